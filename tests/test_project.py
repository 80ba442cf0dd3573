"""The project's promises about itself: the README's two commands, CI calling them, the console script."""
import importlib.util
import json
import os
import re
import subprocess
import sys


def readme_commands(root):
    "The README's set-up commands, read by the same code that .ci/run uses to run them."
    spec = importlib.util.spec_from_file_location("readme_commands", root / "tools" / "readme_commands.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.readme_commands(root / "README.md")


def test_readme_gives_exactly_two_setup_commands(repo_root):
    commands = readme_commands(repo_root)
    assert len(commands) == 2, commands
    install_and_run, run_tests = commands
    assert install_and_run.startswith("make install && ")
    assert run_tests.split()[-2:] == ["make", "test"]


def test_ci_runs_the_readme_commands(repo_root):
    "CI runs the README's lines as written, in a fresh virtual environment, and no command of its own."
    ci = (repo_root / ".ci" / "run").read_text()
    assert "python3 tools/readme_commands.py" in ci and 'bash -euo pipefail -c "$command"' in ci
    assert "python3 -m venv" in ci
    assert "make install" not in ci and "make test" not in ci  # from the README only
    makefile = (repo_root / "Makefile").read_text()
    assert "bash tools/install.sh" in makefile and "bash tools/test.sh" in makefile
    printed = subprocess.run([sys.executable, "tools/readme_commands.py"], cwd=repo_root, capture_output=True, text=True, check=True)
    assert printed.stdout.splitlines() == readme_commands(repo_root)


def test_relative_data_path_reaches_notebooks(repo_root, data_dir, tmp_path):
    """A relative $SNN_LAB_DATA, typed in another folder, reaches a data-reading notebook that nbdev_test runs in
    nbs/: tools/test.sh makes it absolute against the caller's folder before anything moves."""
    caller = tmp_path / "elsewhere"
    caller.mkdir()
    relative = os.path.relpath(data_dir.resolve(), caller)
    assert not os.path.isabs(relative)
    env = dict(os.environ, SNN_LAB_DATA=relative)
    run = subprocess.run(["bash", str(repo_root / "tools" / "test.sh"), "--notebooks", "nbs/06_data.ipynb"], cwd=caller, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert f"data: {data_dir.resolve()}" in run.stdout
    wrong = subprocess.run(["bash", str(repo_root / "tools" / "test.sh"), "--notebooks", "nbs/06_data.ipynb"], cwd=repo_root,
                           env=dict(os.environ, SNN_LAB_DATA="no/such/dir"), capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 2 and "no/such/dir: no such directory" in wrong.stderr


def test_cli_resolves_relative_data_path(repo_root, data_dir, tmp_path):
    "The snn-lab entry point reads a relative $SNN_LAB_DATA against the folder it was started in."
    relative = os.path.relpath(data_dir.resolve(), tmp_path)
    code = ("import os; from snn_lab.cli import absolute_data_env; absolute_data_env(os.environ, os.getcwd()); os.chdir('/');"
            "from snn_lab.data import load_split; print(len(load_split('sst2', 'dev')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=dict(os.environ, SNN_LAB_DATA=relative),
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "872"


def test_readme_main_job_runs(repo_root, data_dir, tmp_path):
    "The README's main job (the SST-2 benchmark) runs as written, at a tiny size so the test stays fast."
    env_and_job = readme_commands(repo_root)[0].split("&&", 1)[1].split()
    env = dict(os.environ, **dict(word.split("=", 1) for word in env_and_job if "=" in word and not word.startswith("-")))
    env["SNN_LAB_DATA"] = str(data_dir)  # the README says ../shared/data; the fixture finds the same files from here
    job = [w for w in env_and_job if not ("=" in w and not w.startswith("-"))]
    assert job[:3] == ["snn-lab", "benchmark", "sst2"] and "--out" in job
    job[job.index("--out") + 1] = str(tmp_path / "bench")
    tiny = ["seeds=[0]", "valid_sentences=200", "tradeoff_weights=[]", "training.max_steps=2", "training.warmup_steps=1", "vocab_size=300", "latency_sentences=3",
            "energy_sentences=3", "throughput_batch=4", "--no-progress"]
    subprocess.run([*job, *tiny], cwd=repo_root, env=env, check=True, capture_output=True, text=True, timeout=900)
    results = json.loads((tmp_path / "bench" / "results.json").read_text())
    for model in ("snn", "ann", "twin", "zero_layer"):
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
