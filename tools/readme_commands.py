"""Print the README's set-up commands, one per line: the command lines of the first bash block under '## Set up'.

`.ci/run` runs exactly these lines and `tests/test_project.py` checks them, so the README, CI and the tests
cannot drift apart. The README itself is generated from nbs/index.ipynb (tools/build_docs.py)."""
import re
import sys
from pathlib import Path


def readme_commands(readme: Path) -> list[str]:
    text = readme.read_text(encoding="utf-8")
    setup = text.split("\n## Set up", 1)
    if len(setup) != 2: raise SystemExit(f"{readme}: no '## Set up' section")
    block = re.search(r"```\s*bash\n(.*?)```", setup[1], re.S)
    if block is None: raise SystemExit(f"{readme}: no bash block under '## Set up'")
    return [line.strip() for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    print("\n".join(readme_commands(Path(sys.argv[1]) if len(sys.argv) > 1 else root / "README.md")))
