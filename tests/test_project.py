"""The project's promises about itself: the README's two commands, CI calling them, the console script."""
import json
import os
import re
import subprocess
import sys


def readme_commands(root):
    block = re.search(r"```\s*bash\n(.*?)```", (root / "README.md").read_text(), re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_readme_gives_exactly_two_setup_commands(repo_root):
    commands = readme_commands(repo_root)
    assert len(commands) == 2, commands
    install_and_run, run_tests = commands
    assert install_and_run.startswith("make install && ")
    assert run_tests.split()[-2:] == ["make", "test"]


def test_ci_runs_the_readme_commands(repo_root):
    ci = (repo_root / ".ci" / "run").read_text()
    assert "make install" in ci and "make test" in ci
    makefile = (repo_root / "Makefile").read_text()
    assert "bash tools/install.sh" in makefile and "bash tools/test.sh" in makefile


def test_readme_main_job_runs(repo_root, data_dir, tmp_path):
    "The README's main job (the SST-2 benchmark) runs as written, at a tiny size so the test stays fast."
    env_and_job = readme_commands(repo_root)[0].split("&&", 1)[1].split()
    env = dict(os.environ, **dict(word.split("=", 1) for word in env_and_job if "=" in word and not word.startswith("-")))
    env["SNN_LAB_DATA"] = str(data_dir)  # the README says ../shared/data; the fixture finds the same files from here
    job = [w for w in env_and_job if not ("=" in w and not w.startswith("-"))]
    assert job[:3] == ["snn-lab", "benchmark", "sst2"] and "--out" in job
    job[job.index("--out") + 1] = str(tmp_path / "bench")
    tiny = ["seeds=[0,1,2]", "tradeoff_weights=[]", "training.max_steps=2", "training.warmup_steps=1", "vocab_size=300", "latency_sentences=3",
            "energy_sentences=3", "throughput_batch=4", "--no-progress"]
    subprocess.run([*job, *tiny], cwd=repo_root, env=env, check=True, capture_output=True, text=True, timeout=900)
    results = json.loads((tmp_path / "bench" / "results.json").read_text())
    for model in ("snn", "ann"):
        for key in ("params", "accuracy", "accuracy_std", "latency_ms_p50", "latency_ms_p95", "spikes_per_inference", "energy_pj"):
            assert key in results[model], (model, key)
    assert results["snn"]["spikes_per_inference"] > 0 and results["ann"]["spikes_per_inference"] == 0
    assert set(results["energy_ratio_ann_over_snn"]) == set(results["snn"]["energy_pj"])
    assert (tmp_path / "bench" / "results.md").is_file()


def test_console_script(repo_root):
    out = subprocess.run(["snn-lab", "--help"], capture_output=True, text=True, check=True).stdout
    assert "speed" in out
    bad = subprocess.run(["snn-lab", "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown command" in bad.stderr
