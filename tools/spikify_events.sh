#!/usr/bin/env bash
# The spikified MiniLM with a penalty on its synaptic events (issue 18: accuracy traded for energy): one 800-step run
# per event weight and seed, at one payload range L. The weight is chosen on the validation sentences carved from
# training (`valid_accuracy` in each results.json), subject to the energy goal; dev is only reported.
# Needs a fine-tuned teacher (TEACHER, default runs/teacher-minilm-sst2-3ep:
#   snn-lab teacher finetune --out runs/teacher-minilm-sst2                                   # one epoch, lr 5e-5
#   snn-lab teacher finetune --model runs/teacher-minilm-sst2 --epochs 2 --lr 3e-5 --seed 1 \
#       --out runs/teacher-minilm-sst2-3ep                                                     # two more epochs
# ). Each run takes 6-9 minutes on 2 cores.
# Usage: SNN_LAB_DATA=../shared/data LEVELS=3 SEEDS="0" bash tools/spikify_events.sh [WEIGHTS...]  (default: 0 0.3 1)
set -euo pipefail
teacher=${TEACHER:-runs/teacher-minilm-sst2-3ep}
level=${LEVELS:-3}
seeds=(${SEEDS:-0})
weights=("$@"); [ ${#weights[@]} -gt 0 ] || weights=(0 0.3 1)
mkdir -p runs/spikify-events
for seed in "${seeds[@]}"; do
  for weight in "${weights[@]}"; do
    name="L$level-w$weight-s$seed"
    snn-lab distill spikify --teacher "$teacher" --out "runs/spikify-events/$name" --levels "$level" --steps 800 \
      --event-weight "$weight" --seed "$seed" --no-progress 2>&1 | tee "runs/spikify-events/$name.log"
  done
done
