"""`snn-lab continual run` (`python -m snn_lab.continual_runs run`) as a user runs it: files written, a rerun resumes from the checkpoints, bad options refused."""
import json
import os
import subprocess
import sys

from snn_lab.continual_runs import summarize


def _run(*args):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "snn_lab.continual_runs", *args], env=env, capture_output=True, text=True)


def test_run_writes_results_and_a_rerun_resumes_instead_of_retraining(tmp_path):
    args = ["run", "synthetic", "--strategies", "naive,replay", "--steps", "6", "6", "--out", str(tmp_path)]
    first = _run(*args)
    assert first.returncode == 0, first.stderr[-2000:]
    for f in ("results.json", "results.md", "matrix.png", "forgetting.png"): assert (tmp_path / f).is_file(), f
    res = json.loads((tmp_path / "results.json").read_text())
    assert list(res["runs"]) == ["naive", "replay"] and res["steps"] == [6, 6]
    for run in res["runs"].values():
        assert len(run["matrix"]) == 2 and all(len(row) == 2 for row in run["matrix"])
    assert res["summary"] == summarize(res)
    assert res["runs"]["naive"]["state_bytes"] == 0 and res["runs"]["replay"]["state_bytes"] > 0
    second = _run(*args)  # everything is checkpointed: the rerun loads the finished runs and reports the same matrices
    assert second.returncode == 0, second.stderr[-2000:]
    again = json.loads((tmp_path / "results.json").read_text())
    for name in res["runs"]: assert again["runs"][name]["matrix"] == res["runs"][name]["matrix"], name
    assert "after 2-back" in first.stdout and "after 2-back" not in second.stdout  # nothing was trained again


def test_unknown_strategy_and_malformed_override_are_refused(tmp_path):
    bad = _run("run", "synthetic", "--strategies", "naive,sgd", "--out", str(tmp_path))
    assert bad.returncode == 2 and "unknown strategy 'sgd'" in bad.stderr
    bad = _run("run", "synthetic", "--out", str(tmp_path), "ewc.lam")
    assert bad.returncode == 2 and "expected strategy.key=value" in bad.stderr


def test_config_errors_name_the_key_before_any_training(tmp_path):
    bad = _run("run", "synthetic", "--out", str(tmp_path), "training.lrr=1e-3")
    assert bad.returncode == 2 and "unknown key 'training.lrr'" in bad.stderr, bad.stderr[-500:]
    bad = _run("run", "synthetic", "--out", str(tmp_path), "ewc.lamda=3")
    assert bad.returncode == 2 and "unknown hyperparameter 'lamda'" in bad.stderr, bad.stderr[-500:]
    bad = _run("run", "no-such-sequence", "--out", str(tmp_path))
    assert bad.returncode == 2 and "no continual sequence 'no-such-sequence'" in bad.stderr, bad.stderr[-500:]
    assert not any(tmp_path.iterdir())  # nothing written


def test_task_names_are_the_builders():
    "`ContinualConfig.tasks` (a Literal, so a bad YAML value is a one-line error) names exactly the task builders."
    import typing
    from snn_lab.continual_runs import TASK_BUILDERS, ContinualConfig
    hints = typing.get_type_hints(ContinualConfig)
    assert set(typing.get_args(hints["tasks"])) == set(TASK_BUILDERS)
