#!/usr/bin/env bash
# The small from-scratch SNN student (configs/benchmarks/sst2_distill.yaml, 4.2M parameters) distilled from the
# fine-tuned MiniLM teacher (issue 18: how much capacity matters): with the teacher's hidden states matched layer by
# layer (hidden weight 1) and from its logits alone (hidden weight 0, the control), one epoch of SST-2 train (1,052
# steps of 64) per run, at each seed. Settings are those of sst2_distill.yaml; dev is only reported.
# Needs TEACHER (default runs/teacher-minilm-sst2-3ep; see tools/spikify_events.sh for how it is made).
# Usage: SNN_LAB_DATA=../shared/data SEEDS="0 1 2" STEPS=1052 bash tools/layerwise_small.sh [HIDDEN_WEIGHTS...]  (default: 1 0)
set -euo pipefail
teacher=${TEACHER:-runs/teacher-minilm-sst2-3ep}
steps=${STEPS:-1052}
seeds=(${SEEDS:-0 1 2})
weights=("$@"); [ ${#weights[@]} -gt 0 ] || weights=(1 0)
mkdir -p runs/layerwise-small
for seed in "${seeds[@]}"; do
  for weight in "${weights[@]}"; do
    name="h$weight-s$seed"
    snn-lab distill layerwise --teacher "$teacher" --out "runs/layerwise-small/$name" --hidden-weight "$weight" \
      --seed "$seed" --no-progress "training.max_steps=$steps" 2>&1 | grep -v "^Loading" | tee "runs/layerwise-small/$name.log"
  done
done
