#!/bin/bash
# word-level, 3 epochs (3,060 steps): does dropout keep the layers' one-epoch lead? two workers, one thread each
source /work/venv/bin/activate; cd "$(dirname "$0")"; export SNN_LAB_DATA=/work/shared/data OMP_NUM_THREADS=1
# ran with a hand-built word tokenizer (not kept); the library's gives the same words with its own special tokens:
#   common="tokenizer=word vocab_size=16384 training.max_steps=3060 training.warmup_steps=150"
common="tokenizer=/work/main/runs/sst2-word/tok-min1 vocab_size=13726 training.max_steps=3060 training.warmup_steps=150"
job() { python probe.py word-3ep "$@" $common; }
( for s in 0 1; do job snn seed=$s; job snn seed=$s emb_dropout=0.3 head_dropout=0.3; done ) &
( for s in 0 1; do job zero_layer seed=$s; job zero_layer seed=$s emb_dropout=0.3 head_dropout=0.3; job snn seed=$s word_dropout=0.3; done ) &
wait
