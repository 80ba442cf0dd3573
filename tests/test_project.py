"""The project's promises about itself: the README's two commands, CI calling them, the console script."""
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
    assert run_tests == "make test"


def test_ci_runs_the_readme_commands(repo_root):
    ci = (repo_root / ".ci" / "run").read_text()
    assert "make install" in ci and "make test" in ci
    makefile = (repo_root / "Makefile").read_text()
    assert "bash tools/install.sh" in makefile and "bash tools/test.sh" in makefile


def test_readme_main_job_runs(repo_root):
    "The command after `make install &&` runs (at a small size, so the test stays fast)."
    main_job = readme_commands(repo_root)[0].split("&&", 1)[1].split()
    assert main_job[:3] == ["python3", "-m", "snn_lab.speed"]
    out = subprocess.run([sys.executable, *main_job[1:], "--batch", "2", "--steps", "8", "--neurons", "4", "--repeats", "1"],
                         capture_output=True, text=True, cwd=repo_root, check=True).stdout
    assert "snn_lab fast path" in out and "snntorch.Leaky loop" in out


def test_console_script(repo_root):
    out = subprocess.run(["snn-lab", "--help"], capture_output=True, text=True, check=True).stdout
    assert "speed" in out
    bad = subprocess.run(["snn-lab", "no-such-command"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown command" in bad.stderr
