#!/bin/bash
# rounds 6 to 11 (2026-12-07): what carries CNN-rand's lead (its N(0, 1) embeddings, dropout, max over time), the
# pooling's normalisation, a trained <unk>, graded spikes into the spiking CNN and into BreakthroughSNN. Word-level,
# 3 epochs. Two lanes of one thread each, ~60 minutes (parts were started by hand as cores freed; the SNN with the
# norm after the pooling, seed 1, was stopped for the N(0, 1) runs). Results: results.jsonl (names word-3ep-r6..r10).
source /work/venv/bin/activate; cd "$(dirname "$0")"; export SNN_LAB_DATA=/work/shared/data OMP_NUM_THREADS=1
common="tokenizer=word training.max_steps=3060 training.warmup_steps=150 eval_every=340"
job() { name=$1; shift; python probe.py "$name" "$@" $common; }
wd="training.weight_decay=0.3"; v="vocab_size=16384"
( for s in 0 1; do
    job word-3ep-r6 zero_layer seed=$s $v arch=cnn $wd emb_std=0.02
    job word-3ep-r6 zero_layer seed=$s $v arch=cnn $wd cnn_dropout=0
    job word-3ep-r6 zero_layer seed=$s $v arch=cnn $wd cnn_pool=mean
    job word-3ep-r6 zero_layer seed=$s $v pool=normmean
    job word-3ep-r6 zero_layer seed=$s $v pool=normmean $wd emb_std=1
  done
  for s in 0 1; do for n in 8192 4096; do job word-3ep-r8 zero_layer seed=$s vocab_size=$n; done; done
  for s in 0 1; do job word-3ep-r8 zero_layer seed=$s vocab_size=8192 arch=cnn $wd; done
  for s in 0 1; do job word-3ep-r9 zero_layer seed=$s $v emb_std=1; job word-3ep-r9 zero_layer seed=$s $v emb_std=0.2; done
  for s in 0 1; do job word-3ep-r10 zero_layer seed=$s $v arch=scnn_in7 $wd; done
  for s in 0 1; do job word-3ep-r10 snn seed=$s $v model.neuron.levels=7; done ) &
( job word-3ep-r7 snn seed=0 $v pool=normmean; job word-3ep-r7 snn seed=0 $v pool=normmean $wd emb_std=1
  for s in 0 1; do job word-3ep-r9 snn seed=$s $v emb_std=1; done
  for s in 0 1; do job word-3ep-r11 snn seed=$s $v raw_in=1 emb_std=1 $wd pool=normmean; done
  job word-3ep-r6 zero_layer seed=2 $v pool=normmean; job word-3ep-r5 zero_layer seed=2 $v conv=3 ) &
wait
