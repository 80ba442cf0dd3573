"""A wheel built from the repository installs in a fresh virtual environment and works without the notebooks."""
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path


def test_wheel_installs_and_imports_without_notebooks(repo_root, tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
                    str(repo_root)], check=True)
    (wheel,) = dist.glob("snn_lab-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "snn_lab/neurons.py" in names and not any(n.endswith(".ipynb") for n in names)
    assert {"snn_lab/configs/base.yaml", "snn_lab/configs/benchmarks/sst2.yaml", "snn_lab/configs/continual/synthetic.yaml"} <= set(names)  # the embedded configs

    env = tmp_path / "venv"
    venv.create(env, with_pip=False)  # no system site-packages: the editable checkout is invisible
    py = env / "bin" / "python"
    site = Path(subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the wheel goes into the new environment; its dependencies (torch, ...) are borrowed from this one by a
    # plain path entry, which (unlike the site directory itself) does not run this environment's editable hooks
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)], check=True)
    (site / "borrowed_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = ("import snn_lab, torch; from snn_lab.neurons import LIF; from snn_lab import core, surrogate, encoders, cli, speed;"
            "s, _ = LIF(4)(torch.ones(1, 5, 4)); print(snn_lab.__file__, int(s.sum()))")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # nothing may leak the checkout into the new environment
    out = subprocess.run([py, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True, env=env).stdout
    module_file, spikes = out.split()
    assert module_file.startswith(str(site)), module_file  # imported from the wheel, not the repository
    assert int(spikes) > 0
