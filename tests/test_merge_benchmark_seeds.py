"tools/merge_benchmark_seeds.py pools per-seed accuracies of separate SST-2 runs and refuses a seed trained twice."
import importlib.util, json, subprocess, sys
from pathlib import Path

import pytest

TOOL = Path(__file__).parents[1] / "tools" / "merge_benchmark_seeds.py"


def run_result(model, seeds, accs, valids, **extra):
    return {"config": {"name": "toy"}, model: dict(seeds=seeds, accuracy_per_seed=accs, valid_accuracy_per_seed=valids,
                                                    dev_standard_error=0.014, **extra)}


def load_tool():
    spec = importlib.util.spec_from_file_location("merge_benchmark_seeds", TOOL)
    module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
    return module


def test_seeds_of_two_runs_and_a_log_line_are_pooled(tmp_path):
    a = run_result("snn", [0], [0.78], [0.85], energy=1.0)
    b = run_result("snn", [1, 2], [0.80, 0.79], [0.86, 0.84], energy=2.0)
    b.update(run_result("zero_layer", [1], [0.70], [0.75]))
    paths = []
    for name, r in (("a.json", a), ("b.json", b)):
        (tmp_path / name).write_text(json.dumps(r)); paths.append(str(tmp_path / name))
    out = tmp_path / "merged.json"
    subprocess.run([sys.executable, str(TOOL), str(out), *paths, "--seed", "zero_layer:0:0.72:0.77"], check=True,
                   capture_output=True)
    merged = json.loads(out.read_text())
    assert merged["snn"]["seeds"] == [0, 1, 2]
    assert merged["snn"]["accuracy"] == pytest.approx((0.78 + 0.80 + 0.79) / 3)
    assert merged["snn"]["energy"] == 2.0 and merged["snn"]["measured_in"] == paths[1]  # the run with most seeds
    assert merged["zero_layer"]["accuracy_per_seed"] == [0.72, 0.70]
    assert merged["zero_layer"]["seed_sources"]["0"] == "log line"


def test_a_seed_trained_twice_is_refused():
    tool = load_tool()
    r = run_result("snn", [0], [0.78], [0.85])
    with pytest.raises(SystemExit, match="snn seed 0 appears twice"):
        tool.merge({"a": r, "b": r}, [])
