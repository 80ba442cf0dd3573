#!/usr/bin/env bash
# Every GPU measurement of issues 16 and 21 in one run (about 8 minutes on one H100/H200): training tokens/s and CUDA
# peak memory of the SNN and its parameter-matched Transformer at 125M and 350M parameters (eager and compiled; the
# Transformer in bf16 autocast, the SNN in float32, the precisions `snn-lab train` uses; the SNN's attention through
# the Triton kernels, and once at 125M through the PyTorch reference), then the SST-2 benchmark's GPU config once.
# Results and the device's name go to $OUT_DIR (default runs/gpu_check).
#   bash tools/gpu_check.sh           # on a GPU
#   bash tools/gpu_check.sh --tiny    # the same steps at a tiny size on a CPU, in seconds (CI runs this so it cannot rot)
set -euo pipefail
OUT_DIR=${OUT_DIR:-runs/gpu_check}
mkdir -p "$OUT_DIR"
if [[ "${1:-}" == "--tiny" ]]; then
  PRESETS="tiny"; SPEED="--seq-len 64 --batch 2 --steps 2 --rounds 1 --vocab-size 512 --device cpu"
  SST2=(--config sst2 training.max_steps=3 training.warmup_steps=1 seeds=[0] models=[snn,transformer] latency_sentences=3
        energy_sentences=3 valid_sentences=50 workers=1 compile_transformer=false model.d_model=32 model.n_layers=1)
else
  PRESETS="125m 350m"; SPEED="--seq-len 2048 --batch 8 --steps 5 --rounds 1 --vocab-size 32768 --device cuda"
  SST2=(--config sst2_gpu)
fi
python -c "import torch; print('device:', torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu', '| torch', torch.__version__)" | tee "$OUT_DIR/device.txt"
for preset in $PRESETS; do
  for mode in "" "--compile"; do
    name="training-$preset${mode:+-compiled}"
    python -m snn_lab.speed training --preset "$preset" $SPEED $mode | tee "$OUT_DIR/$name.txt"
  done
done
# the SNN's attention through the PyTorch reference instead of the Triton kernels (03a_retention_kernel): what they buy
if [[ "${1:-}" == "--tiny" ]]; then
  # on a CPU the kernels run in Triton's interpreter, so this tiny run checks the kernel path instead
  SNN_LAB_RETENTION=triton python -m snn_lab.speed training --preset tiny $SPEED \
    | tee "$OUT_DIR/training-tiny-triton-retention.txt"
else
  SNN_LAB_RETENTION=torch python -m snn_lab.speed training --preset 125m $SPEED | tee "$OUT_DIR/training-125m-torch-retention.txt"
fi
python -m snn_lab.cli benchmark sst2 --out "$OUT_DIR/sst2" --no-progress "${SST2[@]}" | tee "$OUT_DIR/sst2.txt"
echo "results in $OUT_DIR"
