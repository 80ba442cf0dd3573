#!/usr/bin/env bash
# LM distillation on WikiText-2: the BreakthroughSNN "small" student trained from the snn_lab Transformer's cached
# top-k logits vs the same student on labels only (same tokenizer, windows, seed and schedule).
# Needs the runs of tools/wikitext2_lm.sh (the Transformer is the teacher; both share the SNN run's tokenizer).
# Usage: SNN_LAB_DATA=../shared/data bash tools/distill_wikitext2.sh [WIKITEXT_RUNS] [OUT] [LINES] [STEPS]
set -euo pipefail
wt=${1:-runs/wikitext2}; out=${2:-runs/distill-wikitext2}; lines=${3:-10000}; steps=${4:-150}
common=(data.dataset=wikitext-2 data.seq_len=256 data.vocab_size=8192 data.tokenizer="$wt/snn" data.max_train_examples="$lines"
        training.batch_size=16 training.max_steps="$steps" training.warmup_steps=30 training.lr=1.5e-3
        training.eval_every="$steps" training.eval_batches=60 training.checkpoint_every="$steps" logging.log_every=10)
# the teacher runs once over the student's windows (the first $lines lines of WikiText-2 train), top-32 logits kept
snn-lab distill precompute --task lm --teacher "$wt/transformer" --out "$out/cache" --k 32 --temperature 2 --batch-size 8 \
    data.max_train_examples="$lines"
snn-lab train --model small "${common[@]}" model.kind=snn training.out_dir="$out/labels"
snn-lab train --model small "${common[@]}" model.kind=snn training.mode=distill distill.cache_dir="$out/cache" \
    distill.temperature=2 distill.alpha=0.5 training.out_dir="$out/distilled"
python3 - "$out" "$wt" <<'PY'
import json, sys, pathlib
out, wt = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
def last_eval(path):
    rows = [json.loads(l) for l in path.read_text().splitlines()]
    return [r for r in rows if "valid_perplexity" in r][-1]
teacher = last_eval(wt / "transformer" / "log.jsonl")
print(f"teacher (Transformer, {teacher['step']} steps): valid perplexity {teacher['valid_perplexity']:.2f}")
for name in ("labels", "distilled"):
    e = last_eval(out / name / "log.jsonl")
    print(f"SNN student, {name:9s} ({e['step']} steps): valid perplexity {e['valid_perplexity']:.2f}")
PY
