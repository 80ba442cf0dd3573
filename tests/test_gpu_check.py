"""tools/gpu_check.sh, the one script of GPU measurements, run at its tiny CPU size so that it cannot rot."""
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_gpu_check_runs_every_step_at_a_tiny_size(tmp_path, data_dir):
    env = {**os.environ, "OUT_DIR": str(tmp_path), "SNN_LAB_DATA": str(data_dir)}
    run = subprocess.run(["bash", str(REPO / "tools" / "gpu_check.sh"), "--tiny"], env=env, capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr[-3000:]
    assert (tmp_path / "device.txt").read_text().startswith("device: ")
    for name in ("training-tiny.txt", "training-tiny-compiled.txt"):
        table = (tmp_path / name).read_text()
        assert "BreakthroughSNN" in table and "Transformer" in table and "tokens_per_s" in table
    assert "| True |" in (tmp_path / "training-tiny-compiled.txt").read_text()  # the compiled column says so
    # the SNN's attention took the Triton kernels (in Triton's interpreter on a CPU), and the default run did not
    assert "| triton |" in (tmp_path / "training-tiny-triton-retention.txt").read_text()
    assert "| torch |" in (tmp_path / "training-tiny.txt").read_text()
    assert (tmp_path / "sst2" / "results.json").is_file()
