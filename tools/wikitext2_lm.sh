#!/usr/bin/env bash
# WikiText-2 language modelling: BreakthroughSNN vs the parameter-matched Transformer, same tokenizer, tokens and
# schedule (CPU budget: ~30 minutes per model on 2 cores). Usage: SNN_LAB_DATA=../shared/data bash tools/wikitext2_lm.sh [OUT]
set -euo pipefail
out=${1:-runs/wikitext2}
common=(data.dataset=wikitext-2 data.seq_len=256 data.vocab_size=8192 training.batch_size=16 training.max_steps=400
        training.warmup_steps=60 training.lr=1.5e-3 training.eval_every=100 training.eval_batches=60
        training.checkpoint_every=100 logging.log_every=10)
snn-lab train --model small "${common[@]}" model.kind=snn training.out_dir="$out/snn"
snn-lab train --model small "${common[@]}" model.kind=transformer data.tokenizer="$out/snn" training.out_dir="$out/transformer"
python3 - "$out" <<'PY'
import json, sys, pathlib
out = pathlib.Path(sys.argv[1])
for kind in ("snn", "transformer"):
    rows = [json.loads(l) for l in (out / kind / "log.jsonl").read_text().splitlines()]
    evals = [r for r in rows if "valid_perplexity" in r]
    speed = [r["tokens_per_s"] for r in rows if "tokens_per_s" in r][-1]
    print(f"{kind:12s} valid perplexity {evals[-1]['valid_perplexity']:.2f} at step {evals[-1]['step']}, {speed:.0f} tokens/s")
PY
