"""The 120-column check of `snn_lab/` (`ruff check --select E501`), run by tools/test.sh.

Two kinds of line are nbdev's, not ours, and are left out: `_modidx.py` (the symbol index nbdev writes) and the
first line of each module's `__all__` (nbdev wraps the names at 120 columns, then puts `__all__ = ` in front).

    python tools/line_length.py [PATH ...]     # default: snn_lab/; exits 1 and lists the long lines if any
"""
from __future__ import annotations

import json, os, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 120


def long_lines(paths: list[str]) -> list[str]:
    "`path:line: length` of each line over `LIMIT` columns in `paths` (files or folders), nbdev's own lines left out."
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--select", "E501", "--line-length", str(LIMIT),
                          "--exclude", "_modidx.py", "--output-format", "json", "--exit-zero", *paths],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    found = []
    for hit in json.loads(out):
        path, row = Path(hit["filename"]), hit["location"]["row"]
        line = path.read_text(encoding="utf-8").splitlines()[row - 1]
        if not line.startswith("__all__ = "): found.append(f"{os.path.relpath(path, ROOT)}:{row}: {len(line)} columns")
    return found


if __name__ == "__main__":
    found = long_lines(sys.argv[1:] or ["snn_lab"])
    for f in found: print(f)
    if found: sys.exit(f"{len(found)} line(s) over {LIMIT} columns: wrap them in the notebooks (python tools/wrap_long_lines.py nbs/NB.ipynb does it statement by statement), then nbdev_export")
    print(f"every line of {' '.join(sys.argv[1:]) or 'snn_lab'} fits in {LIMIT} columns")
