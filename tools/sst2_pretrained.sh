#!/usr/bin/env bash
# SST-2 after WikiText-2 pretraining (issue 15): every model of the benchmark (SNN, Transformer, twin, zero-layer
# control) is first trained as a language model on WikiText-2 at the SST-2 benchmark's size, then fine-tuned on
# SST-2 with configs/benchmarks/sst2_pretrained.yaml. Usage: tools/sst2_pretrained.sh [OUT] [benchmark overrides...]
set -euo pipefail
out=${1:-runs/sst2-pretrained}; shift || true
lm=runs/sst2-lm-pretrain
snn-lab benchmark wikitext2 --out "$lm" model.d_model=128 model.n_layers=2 model.n_heads=4 model.d_state=4 \
    model.mlp_ratio=2.0 model.neuron.levels=1 data.vocab_size=4096 --seeds 0
snn-lab benchmark sst2 --config sst2_pretrained --out "$out" --no-progress "pretrained=$lm" "$@"
