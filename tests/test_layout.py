"""The house's layout rules, checked on the exported package: a module imports only modules whose notebooks come
before its own (at the top of the file or inside a function), so that reading the notebooks in order never meets
a name that is defined later, and the import block at the top of a file says what it depends on."""
import ast, json, re, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def notebook_order() -> dict[str, tuple[int, str]]:
    "Each exported module's position in the numbered notebooks of `nbs/`, and its notebook's name."
    order = {}
    for i, nb in enumerate(sorted((ROOT / "nbs").glob("*.ipynb"))):
        for cell in json.loads(nb.read_text())["cells"]:
            m = re.search(r"#\|\s*default_exp\s+(\S+)", "".join(cell["source"]))
            if m: order[m.group(1)] = (i, nb.stem); break
    return order


def snn_lab_imports(source: str) -> list[tuple[str, int, bool]]:
    "`(module, line, at_top_level)` for every import of an snn_lab module in `source`."
    tree = ast.parse(source)
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module: names = [node.module.split(".")[0]]
            elif node.level == 1: names = [a.name for a in node.names]
            elif node.module and node.module.startswith("snn_lab."): names = [node.module.split(".")[1]]
            else: continue
        elif isinstance(node, ast.Import): names = [a.name.split(".")[1] for a in node.names if a.name.startswith("snn_lab.")]
        else: continue
        found += [(name, node.lineno, id(node) in top) for name in names]
    return found


def test_snn_lab_imports_finds_both_kinds():
    src = "from .data import x\nimport snn_lab.model\ndef f():\n    from snn_lab.train import y\n    from . import ssm\n"
    assert snn_lab_imports(src) == [("data", 1, True), ("model", 2, True), ("train", 4, False), ("ssm", 5, False)]


ORDER = notebook_order()


@pytest.mark.parametrize("module", sorted(ORDER))
def test_imports_follow_notebook_order(module):
    position, notebook = ORDER[module]
    later = [f"{module}.py:{line} imports {name} ({ORDER[name][1]}, after {notebook})"
             for name, line, _ in snn_lab_imports((ROOT / "snn_lab" / f"{module}.py").read_text())
             if name in ORDER and ORDER[name][0] > position]
    assert not later, "; ".join(later)


def test_checks_can_fail():
    assert ORDER["core"][0] < ORDER["train"][0]  # a module that imported train from core would be reported
    assert any(ORDER[name][0] > ORDER["core"][0] for name, _, _ in snn_lab_imports("from .train import Learner"))
    assert not snn_lab_imports("def f():\n    from .data import x\n")[0][2]  # an import inside a function is seen as such


@pytest.mark.parametrize("module", sorted(ORDER))
def test_snn_lab_imports_are_at_the_top(module):
    "An import inside a function hides a dependency from the file's import block (and, before, hid import cycles)."
    inside = [f"{module}.py:{line} imports {name} inside a function"
              for name, line, at_top in snn_lab_imports((ROOT / "snn_lab" / f"{module}.py").read_text()) if not at_top]
    assert not inside, "; ".join(inside)


def unused_imports(source: str) -> list[tuple[str, int]]:
    "`(name, line)` of every name a module imports at its top level and never uses (`__future__` and `__all__` aside)."
    tree = ast.parse(source)
    imported = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__": continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                if a.name != "*": imported[a.asname or a.name.split(".")[0]] = node.lineno
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    exported = set()
    for node in tree.body:  # names listed in __all__ are re-exports, hence used
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            exported = {e.value for e in ast.walk(node.value) if isinstance(e, ast.Constant)}
    return sorted((name, line) for name, line in imported.items() if name not in used | exported)


def test_unused_imports_finds_them():
    src = "from __future__ import annotations\nimport os, re\nfrom .core import a, b as c\ndef f(x: re.Pattern): return c\n"
    assert unused_imports(src) == [("a", 3), ("os", 2)]


@pytest.mark.parametrize("module", sorted(ORDER))
def test_no_unused_imports(module):
    "The import block says what a module depends on: nothing in it that the module does not use."
    unused = [f"{module}.py:{line} imports {name} and never uses it"
              for name, line in unused_imports((ROOT / "snn_lab" / f"{module}.py").read_text())]
    assert not unused, "; ".join(unused)


def test_line_length_check_finds_long_lines(tmp_path):
    "tools/line_length.py reports a line over 120 columns and passes nbdev's `__all__` line and a line of 120."
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from line_length import long_lines
    (tmp_path / "m.py").write_text(f"__all__ = {['n' * 60, 'm' * 60]}\nx = '{'a' * 114}'\ny = '{'b' * 115}'\n")
    found = long_lines([str(tmp_path / "m.py")])
    assert len(found) == 1 and found[0].endswith("m.py:3: 121 columns"), found


def test_export_cells_stay_short():
    "The house's density rule: the median export cell is at most 15 lines (tools/split_export_cells.py splits cells)."
    sizes = []
    for nb in sorted((ROOT / "nbs").glob("*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and re.match(r"#\|\s*export\s*\n", source): sizes.append(len(source.splitlines()) - 1)
    sizes.sort()
    assert sizes and sizes[len(sizes) // 2] <= 15, f"median export cell: {sizes[len(sizes) // 2]} lines"
