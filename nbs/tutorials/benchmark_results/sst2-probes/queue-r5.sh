#!/bin/bash
# fifth round (2026-12-07): CNN-rand (Kim 2014) as a reference inside this pipeline, weight decay, a causal token
# convolution, a spiking CNN, CNN-rand's readout on the SNN; validation curves every 340 steps. Word-level, 3 epochs.
# Two lanes of one thread each (~75 minutes of trainings in all; parts were started by hand as earlier ones ended,
# and the SNN with weight decay 0.3 alone was stopped to free a core). Results: results.jsonl (name word-3ep-r5).
source /work/venv/bin/activate; cd "$(dirname "$0")"; export SNN_LAB_DATA=/work/shared/data OMP_NUM_THREADS=1
common="tokenizer=word vocab_size=16384 training.max_steps=3060 training.warmup_steps=150 eval_every=340"
job() { python probe.py word-3ep-r5 "$@" $common; }
wd="training.weight_decay=0.3"
( for s in 0 1; do job snn seed=$s; job snn seed=$s conv=3; done   # the SNN, with and without the token convolution
  for s in 0 1; do job zero_layer seed=$s conv=3; job transformer seed=$s conv=3; done
  job zero_layer seed=0 conv=3 $wd; job zero_layer seed=1 conv=3 $wd
  for s in 0 1; do job transformer seed=$s $wd; done
  for s in 0 1; do job snn seed=$s pool=max head_dropout=0.5 $wd; done   # CNN-rand's readout recipe on the SNN
  job snn seed=0 conv=3 $wd ) &
( for s in 0 1 2; do job zero_layer seed=$s arch=cnn; job zero_layer seed=$s; done
  for s in 0 1; do job transformer seed=$s; done
  for s in 0 1; do for a in "arch=" "arch=cnn"; do
    job zero_layer seed=$s $a $wd; job zero_layer seed=$s $a model.d_model=64; job zero_layer seed=$s $a training.lr=1e-3
  done; done
  job zero_layer seed=2 arch=cnn $wd; job zero_layer seed=2 $wd
  for s in 0 1; do job zero_layer seed=$s arch=scnn $wd; job zero_layer seed=$s arch=scnn_in $wd; done ) &
wait
