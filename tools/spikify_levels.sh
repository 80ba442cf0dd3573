#!/usr/bin/env bash
# The spikified MiniLM on SST-2 at several graded-spike payload ranges L (issue 18's accuracy-vs-energy curve): the same
# recipe (snn_lab.spikify_runs.SpikifyRun: softmax-free spike attention, 800 steps, one seed) for each L in turn.
# Needs a fine-tuned teacher: snn-lab teacher finetune --out runs/teacher-minilm-sst2 (16.6 minutes on 2 idle cores).
# Each 800-step run takes 6-9 minutes on 2 cores. The full epoch at the chosen L (about 18 minutes):
#   snn-lab distill spikify --teacher runs/teacher-minilm-sst2 --out runs/spikify-epoch/L3 --levels 3 --steps 2104
# Usage: SNN_LAB_DATA=../shared/data bash tools/spikify_levels.sh [LEVELS...]   (default: 1 3 7 15)
set -euo pipefail
teacher=${TEACHER:-runs/teacher-minilm-sst2}
levels=("$@"); [ ${#levels[@]} -gt 0 ] || levels=(1 3 7 15)
mkdir -p runs/spikify-levels
for level in "${levels[@]}"; do
  snn-lab distill spikify --teacher "$teacher" --out "runs/spikify-levels/L$level" --levels "$level" --steps 800 \
    --no-progress 2>&1 | tee "runs/spikify-levels/L$level.log"
done
