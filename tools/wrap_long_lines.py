#!/usr/bin/env python
"""Wrap lines longer than 120 characters in the exported cells of nbdev notebooks, in place, statement by statement.

Usage: python tools/wrap_long_lines.py NB.ipynb [NB2.ipynb ...]   (add --dry-run to only report)

Only lines that `ruff check --select E501 --line-length 120` flags (as they will read after `nbdev_export`, i.e. with
`from snn_lab.x` turned into `from .x`) are touched, and only the statement that holds them:

1. a trailing comment that makes a line long moves onto its own line(s) just above, at that line's indentation;
   a long comment line is wrapped into several `#` lines;
2. a long code line: the enclosing statement (for a compound statement only its header, unless it is a one-liner) is
   formatted with `ruff format --range` (line-length 120, quote-style preserve, skip-magic-trailing-comma);
3. a string literal still too long is split at spaces into implicitly concatenated literals (same prefix and quotes,
   never inside an f-string field), parenthesised when it is not inside brackets, then the statement is formatted again;
   a long one-line docstring becomes a triple-quoted docstring wrapped over lines (same words).

Every step is checked: the cell must parse, its AST (docstrings compared modulo whitespace) must be unchanged, the
words of its comments must be unchanged, and only the lines of the statement in question may differ. A step that fails
a check is dropped and the line is reported as not fixed. Running the script again changes nothing.
"""
import ast, io, json, os, re, shutil, subprocess, sys, tempfile, textwrap, tokenize, unicodedata
from pathlib import Path

MAX = 120
PRAGMA = re.compile(r"#\s*(noqa|type:|pragma|fmt:|pyright:|mypy:|ruff:|isort:)")
RUFF = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
TMP = Path(tempfile.mkdtemp(prefix="wrap_long_lines_"))
CFG = TMP / "ruff.toml"
CFG.write_text(f'line-length = {MAX}\n[format]\nquote-style = "preserve"\nskip-magic-trailing-comma = true\n'
               '[lint.isort]\nsplit-on-trailing-comma = false\n')


# ------------------------------------------------------------------ helpers
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def as_exported(src):
    "The cell as `nbdev_export` writes it (absolute imports of the package become relative; same line numbers)."
    return re.sub(r"(?m)^(\s*)from snn_lab(\.| import)", lambda m: m.group(1) + "from ." + ("" if m.group(2) == "." else " import"), src)


def ruff_long_lines(src):
    "1-based numbers of the lines ruff E501 flags once exported."
    r = subprocess.run([RUFF, "check", "--config", str(CFG), "--select", "E501", "--output-format", "json", "--no-cache",
                        "--stdin-filename", "cell.py", "-"], input=as_exported(src), capture_output=True, text=True)
    try: return sorted({d["location"]["row"] for d in json.loads(r.stdout) if d["code"] == "E501"})
    except Exception: return None


def ruff_range(src, l1, l2):
    "Format lines l1..l2 (1-based, inclusive) of `src` with ruff's range formatting; None if ruff fails."
    lines = src.split("\n")
    end_col = len(lines[l2 - 1]) + 1
    r = subprocess.run([RUFF, "format", "--config", str(CFG), "--no-cache", "--stdin-filename", "cell.py",
                        "--range", f"{l1}:1-{l2}:{end_col}", "-"], input=src, capture_output=True, text=True)
    if r.returncode != 0: return None
    out = r.stdout
    if not src.endswith("\n") and out.endswith("\n"): out = out[:-1]
    return out


def tokens(src):
    try: return list(tokenize.generate_tokens(io.StringIO(src).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError): return None


def parse(src):
    try: return ast.parse(src)
    except SyntaxError: return None


def docstring_nodes(tree):
    "The Constant nodes that are docstrings."
    res = []
    for n in [tree] + [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]:
        b = n.body
        if b and isinstance(b[0], ast.Expr) and isinstance(b[0].value, ast.Constant) and isinstance(b[0].value.value, str):
            res.append(b[0].value)
    return res


def norm_dump(src):
    tree = parse(src)
    if tree is None: return None
    for c in docstring_nodes(tree): c.value = " ".join(c.value.split())
    return ast.dump(tree)


def comment_words(src):
    toks = tokens(src)
    if toks is None: return None
    return " ".join(t.string.lstrip("#") for t in toks if t.type == tokenize.COMMENT).split()


def changed_region(old, new):
    "(first, last) 1-based lines of `old` that differ from `new` (common prefix/suffix removed); None if equal."
    a, b = old.split("\n"), new.split("\n")
    if a == b: return None
    p = 0
    while p < min(len(a), len(b)) and a[p] == b[p]: p += 1
    s = 0
    while s < min(len(a), len(b)) - p and a[-1 - s] == b[-1 - s]: s += 1
    return p + 1, max(p + 1, len(a) - s)


def header_end(toks, row):
    "Row of the ':' that ends the header of the compound statement starting on `row` (depth 0)."
    depth = 0
    for t in toks:
        if t.start[0] < row: continue
        if t.type == tokenize.OP:
            if t.string in "([{": depth += 1
            elif t.string in ")]}": depth -= 1
            elif t.string == ":" and depth == 0: return t.start[0]
    return row


def stmt_span(src, row):
    "Lines (1-based, inclusive) of the statement that holds line `row`: simple statement, compound header or one-liner."
    tree, toks = parse(src), tokens(src)
    if tree is None or toks is None: return None
    spans = []  # (start, end, is_own)
    for n in ast.walk(tree):
        if not hasattr(n, "lineno") or not isinstance(n, (ast.stmt, ast.excepthandler)): continue
        start = min([n.lineno] + [d.lineno for d in getattr(n, "decorator_list", [])])
        if hasattr(n, "body") and isinstance(n.body, list) and n.body:
            he = header_end(toks, n.lineno)
            own = (start, n.end_lineno) if n.body[0].lineno <= he else (start, he)
            spans.append(own)
        else: spans.append((start, n.end_lineno))
    cands = [s for s in spans if s[0] <= row <= s[1]]
    if not cands: return None
    lo, hi = min(cands, key=lambda s: s[1] - s[0])
    return lo, hi


# ------------------------------------------------------------------ comments
def wrap_comment(indent, text):
    "A comment (with its '#') as lines of at most MAX characters at `indent`."
    m = re.match(r"(#+\s?)(.*)", text)
    mark, body = m.group(1), m.group(2)
    if width(indent + text) <= MAX: return [indent + text]
    return textwrap.wrap(body, width=MAX, initial_indent=indent + mark, subsequent_indent=indent + mark,
                         break_long_words=False, break_on_hyphens=False) or [indent + text]


def fix_comment(src, row, toks):
    lines = src.split("\n")
    line = lines[row - 1]
    com = [t for t in toks if t.type == tokenize.COMMENT and t.start[0] == row]
    if not com: return None, None
    c = com[0]
    indent = line[: len(line) - len(line.lstrip())]
    if PRAGMA.match(c.string): return None, "pragma comment (noqa/type:/fmt:) must stay on its line"
    if c.string.startswith("#|"): return None, "nbdev directive"
    if line[: c.start[1]].strip() == "":  # a comment line
        new = wrap_comment(indent, c.string)
        if len(new) == 1: return None, "comment cannot be wrapped (one long word)"
        return "\n".join(lines[: row - 1] + new + lines[row:]), None
    # a trailing comment: it goes above this physical line, which must start a token (not inside a string/backslash)
    if row > 1 and lines[row - 2].rstrip().endswith("\\"): return None, "line continues a backslash continuation"
    if any(t.type == tokenize.STRING and t.start[0] < row <= t.end[0] for t in toks):
        return None, "line continues a multi-line string"
    code = line[: c.start[1]].rstrip()
    new = wrap_comment(indent, c.string) + [code]
    return "\n".join(lines[: row - 1] + new + lines[row:]), None


# ------------------------------------------------------------------ strings
def split_points(body, is_f, is_raw):
    "Indices i where body[:i] / body[i:] may be split: (after a space, anywhere safe)."
    spaces, anyw, i, depth, n = [], [], 0, 0, len(body)
    while i < n:
        ch = body[i]
        if depth == 0 and i > 0: anyw.append(i)
        if ch == "\\":
            if is_raw: i += 2; continue
            nx = body[i + 1: i + 2]
            if nx == "N" and body[i + 2: i + 3] == "{": i = body.index("}", i) + 1 if "}" in body[i:] else n; continue
            if nx == "x": i += 4; continue
            if nx == "u": i += 6; continue
            if nx == "U": i += 10; continue
            if nx in "01234567" and nx:
                j = i + 1
                while j < min(i + 4, n) and body[j] in "01234567": j += 1
                i = j; continue
            i += 2; continue
        if is_f:
            if depth == 0 and body[i: i + 2] in ("{{", "}}"): i += 2; continue
            if ch == "{": depth += 1
            elif ch == "}": depth -= 1; i += 1; continue
        if depth == 0 and ch == " " and i + 1 < n: spaces.append(i + 1)
        i += 1
    anyw = [j for j in anyw if 0 < j < n]
    return spaces, anyw


def chunk(body, w, is_f, is_raw):
    "Split `body` into as few pieces of at most `w` characters as greedy finds, as even as that count allows."
    best = _chunk(body, w, is_f, is_raw)
    if len(best) < 2 or width(best[-1]) >= 0.35 * w: return best  # filled lines, unless the last is an orphan
    lo = max(1, w // 2)
    for w2 in range(lo, w):  # the narrowest width that needs no more pieces
        p = _chunk(body, w2, is_f, is_raw)
        if len(p) == len(best) and max(map(width, p)) <= w2: return p
    return best


def _chunk(body, w, is_f, is_raw):
    "Split `body` into pieces of at most `w` characters, preferably after spaces."
    spaces, anyw = split_points(body, is_f, is_raw)
    ok = set(anyw)
    spaces = [s for s in spaces if s in ok]
    punct = [s for s in anyw if body[s - 1] in "/-_,.:=;)]"]
    pieces, start = [], 0
    while width(body[start:]) > w:
        cut = None
        for tier in (spaces, punct, anyw):  # a space, else punctuation, else any safe point
            cand = [s for s in tier if start < s and width(body[start:s]) <= w]
            if cand: cut = max(cand); break
        if cut is None:  # nothing fits: the first split point after start (keeps progress)
            nxt = [s for s in anyw if s > start]
            if not nxt: break
            cut = nxt[0]
        pieces.append(body[start:cut]); start = cut
    pieces.append(body[start:])
    return [p for p in pieces if p]


STR_RE = re.compile(r"(?is)^([rbuf]*)('''|\"\"\"|'|\")(.*)\2$")


def fix_docstring(src, tok, node, lines):
    "Rewrap a docstring token that has a long line; same words."
    m = STR_RE.match(tok.string)
    if not m: return None, "cannot read the docstring literal"
    prefix, q, body = m.groups()
    raw = "r" in prefix.lower()
    row = tok.start[0]
    stmt_line = lines[row - 1]
    indent = stmt_line[: len(stmt_line) - len(stmt_line.lstrip())]
    if stmt_line[: tok.start[1]].strip(): return None, "docstring shares its line with other code (one-line def)"
    if tok.start[0] == tok.end[0]:  # one line
        tq = '"""' if q in ('"', '"""') else "'''"
        if tq in body or body.endswith(tq[0]) or body.endswith("\\"): return None, "docstring text holds quotes at the end"
        words = (prefix + tq + body + tq)
        wrap = lambda w: textwrap.wrap(words, width=w, initial_indent=indent, subsequent_indent=indent,
                                       break_long_words=False, break_on_hyphens=False)
        new = wrap(MAX)
        for w in [] if len(new) < 2 or len(new[-1].strip()) >= 0.35 * (MAX - len(indent)) else range(max(len(indent) + 40, (MAX + len(indent)) // 2), MAX):  # even lines, same count
            if len(wrap(w)) == len(new): new = wrap(w); break
        if len(new) < 2: return None, "docstring cannot be wrapped (long word)"
        if not raw and any(l.endswith("\\") for l in new[:-1]): return None, "wrap would end a line with a backslash"
        return "\n".join(lines[: row - 1] + new + [stmt_line[tok.end[1]:]] * bool(stmt_line[tok.end[1]:].strip()) + lines[row:]), None
    # multi-line docstring: rewrap each long physical line of it at its own indentation
    out, changed = lines[:], False
    for r in range(tok.end[0], tok.start[0] - 1, -1):
        l = out[r - 1]
        if width(l) <= MAX: continue
        ind = l[: len(l) - len(l.lstrip())] if r != tok.start[0] else indent
        new = textwrap.wrap(l.strip(), width=MAX, initial_indent=l[: len(l) - len(l.lstrip())], subsequent_indent=ind,
                            break_long_words=False, break_on_hyphens=False)
        if len(new) < 2 or (not raw and any(x.endswith("\\") for x in new[:-1])): continue
        out[r - 1: r] = new; changed = True
    return ("\n".join(out), None) if changed else (None, "docstring line cannot be wrapped")


def fix_string(src, row, toks, tree):
    "Split the long string literal on line `row`; returns (new_src, reason)."
    lines = src.split("\n")
    line = lines[row - 1]
    strs = [t for t in toks if t.type == tokenize.STRING and t.start[0] <= row <= t.end[0]]
    if not strs: return None, "no string to split (long name/expression ruff cannot break)"
    docs = {(d.lineno, d.col_offset): d for d in docstring_nodes(tree)}
    for t in strs:
        if t.start in docs: return fix_docstring(src, t, docs[t.start], lines)
    multi = [t for t in strs if t.start[0] != t.end[0]]
    single = [t for t in strs if t.start[0] == t.end[0] == row]
    if not single:
        return None, "line inside a multi-line string (not a docstring): wrapping would change its value" if multi else "?"
    cross = [t for t in single if t.start[1] < MAX < t.end[1]]
    t = cross[0] if cross else max(single, key=lambda t: t.end[1] - t.start[1])
    m = STR_RE.match(t.string)
    if not m: return None, "cannot read the string literal"
    prefix, q, body = m.groups()
    is_f, is_raw = "f" in prefix.lower(), "r" in prefix.lower()
    first_on_line = line[: t.start[1]].strip() == ""
    indent = len(line) - len(line.lstrip())
    col = t.start[1] if first_on_line else indent + 4
    w = MAX - col - len(prefix) - 2 * len(q) - 1
    if w < 20: w = max(20, MAX - (indent + 8) - len(prefix) - 2 * len(q) - 1)
    pieces = chunk(body, w, is_f, is_raw)
    if len(pieces) < 2: return None, "string cannot be split (no safe split point)"
    new_lit = " ".join(prefix + q + p + q for p in pieces)
    # the whole run of adjacent literals, and the bracket depth at it
    i = toks.index(t)
    j0 = i
    while j0 > 0 and toks[j0 - 1].type in (tokenize.STRING, tokenize.NL, tokenize.COMMENT): j0 -= 1
    while toks[j0].type != tokenize.STRING: j0 += 1
    j1 = i
    while j1 + 1 < len(toks) and toks[j1 + 1].type in (tokenize.STRING, tokenize.NL, tokenize.COMMENT): j1 += 1
    while toks[j1].type != tokenize.STRING: j1 -= 1
    depth = 0
    for k in range(i - 1, -1, -1):
        tk = toks[k]
        if tk.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT): break
        if tk.type == tokenize.OP and tk.string in ")]}": depth -= 1
        if tk.type == tokenize.OP and tk.string in "([{": depth += 1
    need_paren = depth <= 0
    for par in ast.walk(tree):  # an element of a list/tuple/set literal: parenthesised too (ruff ISC004)
        if isinstance(par, (ast.List, ast.Tuple, ast.Set)) and any(
                isinstance(e, (ast.Constant, ast.JoinedStr)) and (e.lineno, e.col_offset) == toks[j0].start for e in par.elts):
            need_paren = True
    s_row, s_col = toks[j0].start
    e_row, e_col = toks[j1].end
    # rebuild: replace token t, then add parentheses around the run if needed (edit from the end backwards)
    out = lines[:]
    l = out[row - 1]
    l = l[: t.start[1]] + new_lit + l[t.end[1]:]
    out[row - 1] = l
    if need_paren:
        if e_row == row and e_col >= t.end[1]: e_col += len(new_lit) - len(t.string)
        out[e_row - 1] = out[e_row - 1][:e_col] + ")" + out[e_row - 1][e_col:]
        out[s_row - 1] = out[s_row - 1][:s_col] + "(" + out[s_row - 1][s_col:]
    return "\n".join(out), None


# ------------------------------------------------------------------ imports
def fix_import(src, node, toks):
    """`from m import (a, b,` / aligned continuation `c)`: the house style, and the only multi-line form nbdev's
    relative-import rewrite handles (it slices the first line up to the end column of the last one)."""
    lines = src.split("\n")
    if any(t.type == tokenize.COMMENT and node.lineno <= t.start[0] <= node.end_lineno for t in toks):
        return None, "import with comments inside"
    first = lines[node.lineno - 1]
    if first[: node.col_offset].strip() or lines[node.end_lineno - 1][node.end_col_offset:].strip():
        return None, "import shares its line with other code"
    indent = first[: node.col_offset]
    head = f"{indent}from {'.' * node.level}{node.module or ''} import ("
    names = [a.name + (f" as {a.asname}" if a.asname else "") for a in node.names]
    out, cur = [], head
    for k, nm in enumerate(names):
        piece = nm + (")" if k == len(names) - 1 else ",")
        sep = "" if cur.endswith("(") or cur.strip() == "" else " "
        if width(as_exported(cur + sep + piece)) > MAX and cur.strip() and not cur.endswith("("):
            out.append(cur); cur = " " * len(head) + piece
        else: cur = cur + sep + piece
    out.append(cur)
    return "\n".join(lines[: node.lineno - 1] + out + lines[node.end_lineno:]), None


# ------------------------------------------------------------------ one step on one long line
def fix_line(src, row):
    "One edit that shortens line `row` (1-based); returns (new_src, reason_if_none)."
    toks, tree = tokens(src), parse(src)
    if toks is None or tree is None: return None, "cell does not parse"
    line = src.split("\n")[row - 1]
    com = [t for t in toks if t.type == tokenize.COMMENT and t.start[0] == row]
    if com:
        new, why = fix_comment(src, row, toks)
        if new is not None or line[: com[0].start[1]].strip() == "" or why and "pragma" in why: return new, why
    span = stmt_span(src, row)
    if span is None: return None, "no statement found for the line"
    imp = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and (n.lineno, n.end_lineno) == span]
    if imp: return fix_import(src, imp[0], toks)
    tup = [n for n in ast.walk(tree) if isinstance(n, ast.Assign) and isinstance(n.value, ast.Tuple)
           and n.lineno == n.end_lineno == row and n.value.col_offset == n.value.elts[0].col_offset]
    if tup and not com:  # `a, b, c = x, y, z`: the house style's backslash continuation, not one element per line
        n, indent = tup[0], line[: len(line) - len(line.lstrip())]
        lhs, rhs = line[: n.value.col_offset].rstrip(), line[n.value.col_offset:]
        if line[: n.col_offset].strip() == "" and lhs.endswith("=") and not line[n.end_col_offset:].strip():
            new = [lhs + " \\", indent + "    " + rhs]
            if all(width(as_exported(l)) <= MAX for l in new):
                lines = src.split("\n")
                return "\n".join(lines[: row - 1] + new + lines[row:]), None
    new = ruff_range(src, *span)
    if new is None: return None, "ruff format failed"
    new = restore_outside(src, new, span)
    longs = ruff_long_lines(new) or []
    reg = changed_region(src, new)
    if new != src:
        # lines of the statement after formatting
        d = len(new.split("\n")) - len(src.split("\n"))
        lo, hi = span[0], span[1] + d
        if not any(lo <= r <= hi for r in longs): return new, None
        # still long: split a string in the formatted statement
        t2, tr2 = tokens(new), parse(new)
        for r in longs:
            if lo <= r <= hi:
                s2, why = fix_string(new, r, t2, tr2)
                if s2 is not None: return s2, None
        return new, None  # progress anyway; the loop will come back
    s2, why = fix_string(src, row, toks, tree)
    return s2, why


def _indent(l): return l[: len(l) - len(l.lstrip())]


def restore_outside(old, new, span):
    "Undo ruff's whitespace-only touches (e.g. `): # c` -> `):  # c`) on lines outside `span`."
    a, b = old.split("\n"), new.split("\n")
    d = len(b) - len(a)
    for k in range(min(span[0] - 1, len(b))):
        if a[k] != b[k] and _indent(a[k]) == _indent(b[k]) and a[k].split() == b[k].split(): b[k] = a[k]
    for k in range(span[1], len(a)):
        if 0 <= k + d < len(b) and a[k] != b[k + d] and _indent(a[k]) == _indent(b[k + d]) and a[k].split() == b[k + d].split():
            b[k + d] = a[k]
    return "\n".join(b)


def small_compound(src, row, n=10):
    "Full spans of the compound statements of at most `n` lines around `row` (`try: x` / `except E: raise ...`)."
    tree = parse(src)
    return [(c.lineno, c.end_lineno) for c in ast.walk(tree) if isinstance(c, ast.stmt) and hasattr(c, "body")
            and c.lineno <= row <= c.end_lineno and c.end_lineno - c.lineno < n]


def check(old, new, row):
    "Why `new` is not an acceptable edit of `old`, or None."
    if parse(new) is None: return "edit does not parse"
    if norm_dump(old) != norm_dump(new): return "edit changes the AST"
    if comment_words(old) != comment_words(new): return "edit changes the comments"
    reg = changed_region(old, new)
    span = stmt_span(old, row)
    ok = lambda sp: sp[0] <= reg[0] and reg[1] <= sp[1]
    if reg and span and not ok(span) and not any(ok(sp) for sp in small_compound(old, row)):
        # a moved comment or a new line above belongs to the statement; anything else is outside it
        return f"edit reaches outside the statement (lines {reg} vs {span})"
    return None


def fix_source(src):
    "Returns (new_src, n_fixed, [(line_no, line_text, reason)])."
    if any(re.match(r"\s*[%!]", l) for l in src.split("\n")): 
        longs = ruff_long_lines(src) or []
        return src, 0, [(r, src.split("\n")[r - 1], "cell has IPython magics/shell lines") for r in longs]
    if parse(src) is None:
        longs = [i + 1 for i, l in enumerate(src.split("\n")) if width(l) > MAX]
        return src, 0, [(r, src.split("\n")[r - 1], "cell does not parse") for r in longs]
    start_longs = ruff_long_lines(src)
    if not start_longs: return src, 0, []
    stuck, steps = {}, 0
    for _ in range(3):  # a line given up on may become fixable after later edits: retry while edits happen
        steps_before, stuck = steps, {}
        while steps < 400:
            longs = ruff_long_lines(src) or []
            lines = src.split("\n")
            todo = [r for r in longs if lines[r - 1] not in stuck]
            if not todo: break
            row = todo[0]
            new, why = fix_line(src, row)
            if new is not None and new != src:
                why = check(src, new, row)
                if why is None:
                    src, steps = new, steps + 1
                    continue
            stuck[lines[row - 1]] = why or "no change"
        if steps == steps_before or not stuck: break
    longs = ruff_long_lines(src) or []
    lines = src.split("\n")
    left = [(r, lines[r - 1], stuck.get(lines[r - 1], "step limit")) for r in longs]
    return src, len(start_longs) - len(left), left


# ------------------------------------------------------------------ notebooks
EXPORT = re.compile(r"^\s*#\|\s*export")


def is_exported(cell):
    if cell.get("cell_type") != "code": return False
    for l in "".join(cell["source"]).split("\n"):
        if EXPORT.match(l): return True
        if not l.strip().startswith("#|") and l.strip(): return False
    return False


def summary_line(nb):
    "The markdown `> ` line nbdev turns into the module docstring (cannot be wrapped there)."
    for c in nb["cells"]:
        if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("# "):
            for l in "".join(c["source"]).splitlines():
                if l.startswith("> "): return l.lstrip("> ").strip()
            return None
    return None


def process(path, dry=False):
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    fixed, left, changed = 0, [], False
    for i, cell in enumerate(nb["cells"]):
        if not is_exported(cell): continue
        src = "".join(cell["source"])
        new, n, rest = fix_source(src)
        fixed += n; left += [(i, *r) for r in rest]
        if new != src:
            changed = True
            cell["source"] = [l + "\n" for l in new.split("\n")]
            cell["source"][-1] = cell["source"][-1][:-1]
            if not cell["source"][-1]: cell["source"].pop()
    summ = summary_line(nb)
    if summ and any(is_exported(c) for c in nb["cells"]) and width(f'"""{summ}"""') > MAX:
        left.append(("md", 1, f'"""{summ}"""', "module docstring = the notebook's first `> ` summary line (nbdev writes it on one line)"))
    if changed and not dry:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1, ensure_ascii=False); f.write("\n")
    print(f"{path}: fixed {fixed} long line(s), {len(left)} not fixed")
    for cell_i, r, text, why in left:
        print(f"    cell {cell_i} line {r}: {why}\n        {text[:160]}")
    return fixed, len(left)


def main(argv):
    dry = "--dry-run" in argv
    paths = [a for a in argv if not a.startswith("--")]
    if not paths: print(__doc__); return 2
    tf = tl = 0
    for p in paths:
        f, l = process(p, dry); tf += f; tl += l
    print(f"total: fixed {tf}, not fixed {tl}")
    shutil.rmtree(TMP, ignore_errors=True)
    return 0


if __name__ == "__main__": sys.exit(main(sys.argv[1:]))
