"""Rows for table.md from probe results (JSON lines on stdin): python table_rows.py < results.jsonl (rounds 5 on)."""
import json, sys
def change(r):
    parts = []
    if r.get("arch") == "cnn": parts.append("CNN-rand (Kim 2014: widths 3/4/5 x 100 ReLU filters, max over time, dropout 0.5)")
    if r.get("arch") == "scnn": parts.append("CNN-rand with binary spiking filter neurons (max over time = OR)")
    if r.get("arch") == "scnn_in": parts.append("spiking CNN-rand, embeddings sent as ternary spikes")
    if r.get("arch") == "scnn_in7": parts.append("spiking CNN-rand, embeddings sent as graded spikes (payloads -7..7)")
    if r.get("arch", "").startswith("scnn_in") and r.get("in_norm") is False:
        parts.append(f"no RMSNorm before the input neurons (N(0, 1) embeddings, size kept), input threshold {r['in_threshold']}")
    if r.get("in_levels"): parts.append(f"graded input spikes, payloads -{r['in_levels']}..{r['in_levels']}")
    if r.get("cnn_dropout", 0.5) != 0.5: parts.append(f"CNN dropout {r['cnn_dropout']}")
    if r.get("cnn_pool", "max") != "max": parts.append(f"CNN {r['cnn_pool']} over time")
    if r.get("conv"): parts.append(f"causal token convolution, width {r['conv']}")
    if r.get("pool", "mean") != "mean": parts.append({"max": "max pooling", "normmean": "normalised after mean pooling"}.get(r["pool"], r["pool"] + " pooling"))
    if r.get("head_dropout"): parts.append(f"head dropout {r['head_dropout']}")
    if r.get("emb_std"): parts.append(f"embeddings start N(0, {r['emb_std']}^2)")
    if r.get("raw_in"): parts.append("no RMSNorm before the first block (token sizes kept)")
    for o in r["overrides"]:
        if o.startswith(("training.weight_decay", "model.d_model", "training.lr", "model.neuron")): parts.append(o)
        if o.startswith("vocab_size=") and o != "vocab_size=16384": parts.append(f"the {int(o.split('=')[1]):,} most frequent words")
    parts.append("word-level, 3,060 steps (3 epochs)")
    if r.get("rates"):  # validation sentences' real tokens: payload per input neuron, spikes per filter neuron
        f = [v for k, v in r["rates"].items() if k != "input"]
        parts.append(f"firing {r['rates'].get('input', 0):.1%} (input), {sum(f) / len(f):.1%} (filters)")
    return ", ".join(parts) + (f", seed {r['seed']}" if r["seed"] else "")
for line in sys.stdin:
    r = json.loads(line)
    if r["name"] == "t": continue
    print(f"| {r['kind'] if not r.get('arch') else 'reference'} | {change(r)} | {r['params']:,} | {100 * r['valid']:.1f}% | "
          f"{100 * r['train_acc']:.1f}% | {r['seconds']:.0f} |")
