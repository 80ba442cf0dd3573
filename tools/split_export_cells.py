"""Split each export cell that holds several public top-level definitions into one cell per definition, in place.

    python tools/split_export_cells.py [--private] nbs/NB.ipynb [...]

A piece starts at a public `def`/`class` (with its decorators, the comment lines above it and the statements
between it and the previous definition); private helpers stay with the public definition they precede (with `--private` they get cells of their own too), and pieces
under 4 lines join their neighbour. The exported module is the same code in the same order (its AST is unchanged);
nbdev then shows each definition's docs right after its own cell."""
import ast, json, re, sys, uuid
MIN_PIECE = 4
SPLIT_PRIVATE = '--private' in sys.argv
def pieces(body: str) -> list[str]:
    try: tree = ast.parse(body)
    except SyntaxError: return [body]
    lines = body.split('\n')
    nodes = tree.body
    defs = [k for k, n in enumerate(nodes) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))]
    cuts = []
    for k in defs:
        n = nodes[k]
        if n.name.startswith('_') and not SPLIT_PRIVATE: continue
        if k == 0: continue
        prev_defs = [j for j in defs if j < k]
        if not prev_defs: continue  # only statements before the first definition: keep them with it
        # first statement after the previous definition
        start_node = nodes[prev_defs[-1] + 1]
        start = (start_node.decorator_list[0].lineno if getattr(start_node, 'decorator_list', None) else start_node.lineno)
        # comment lines directly above belong to what follows
        while start - 2 >= 0 and lines[start - 2].lstrip().startswith('#') and not lines[start - 2].startswith('#|'):
            start -= 1
        cuts.append(start - 1)  # 0-based line index where a new piece begins
    out, prev = [], 0
    for c in cuts + [len(lines)]:
        piece = '\n'.join(lines[prev:c]).strip('\n')
        if piece: out.append(piece)
        prev = c
    merged = []
    for p in out:
        if merged and len(p.splitlines()) < MIN_PIECE: merged[-1] += '\n\n' + p
        else: merged.append(p)
    if len(merged) > 1 and len(merged[0].splitlines()) < MIN_PIECE:
        merged[1] = merged[0] + '\n\n' + merged[1]; merged = merged[1:]
    return merged
def run(path):
    nb = json.load(open(path)); cells = []; n_split = 0
    for c in nb['cells']:
        s = ''.join(c['source'])
        if c['cell_type'] != 'code' or not re.match(r'#\|\s*export\s*\n', s): cells.append(c); continue
        head, body = [], s.split('\n')
        while body and body[0].startswith('#|'): head.append(body.pop(0))
        ps = pieces('\n'.join(body))
        if len(ps) == 1: cells.append(c); continue
        n_split += 1
        for i, p in enumerate(ps):
            d = dict(c) if i == 0 else {'cell_type': 'code', 'execution_count': None, 'id': uuid.uuid4().hex[:8], 'metadata': {}, 'outputs': []}
            text = '\n'.join(head) + '\n' + p
            lines = text.split('\n'); d['source'] = [l + '\n' for l in lines[:-1]] + [lines[-1]]
            if i == 0: d['outputs'] = []
            cells.append(d)
    nb['cells'] = cells
    with open(path, 'w') as f: json.dump(nb, f, indent=1, ensure_ascii=False); f.write('\n')
    print(f"{path}: {n_split} cells split")
for p in [a for a in sys.argv[1:] if not a.startswith('--')]: run(p)
