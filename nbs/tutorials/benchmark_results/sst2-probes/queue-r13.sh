#!/bin/bash
# round 13: CNN-rand's three ingredients together in the SNN: the n-gram token convolution (conv=3), large embeddings
# under strong decay kept past the first block's norm (emb_std=1, weight decay 0.3, raw_in), and a readout that keeps
# sizes (the norm after the mean) or CNN-rand's (max over time, dropout 0.5)
source /work/venv/bin/activate; cd "$(dirname "$0")"; export SNN_LAB_DATA=/work/shared/data OMP_NUM_THREADS=1
common="tokenizer=word vocab_size=16384 training.max_steps=3060 training.warmup_steps=150 eval_every=340"
job() { python probe.py word-3ep-r13 "$@" $common; }  # results.jsonl beside the script
sizes="conv=3 emb_std=1 training.weight_decay=0.3"
( job snn seed=0 $sizes raw_in=1 pool=normmean; job snn seed=1 $sizes raw_in=1 pool=normmean ) > laneA.log 2>&1 &
( job snn seed=0 $sizes pool=max head_dropout=0.5; job snn seed=1 $sizes pool=max head_dropout=0.5 ) > laneB.log 2>&1 &
wait

# round 13, second part: the third seed of the SNN with CNN-rand's ingredients and max readout, and the zero-layer
# control given the same ingredients (is the lift the SNN's layers or the recipe?)
source /work/venv/bin/activate; cd "$(dirname "$0")"; export SNN_LAB_DATA=/work/shared/data OMP_NUM_THREADS=1
common="tokenizer=word vocab_size=16384 training.max_steps=3060 training.warmup_steps=150 eval_every=340"
job() { python probe.py word-3ep-r13 "$@" $common; }  # results.jsonl beside the script
sizes="conv=3 emb_std=1 training.weight_decay=0.3"
( job snn seed=2 $sizes pool=max head_dropout=0.5 ) > laneC.log 2>&1 &
( for s in 0 1 2; do job zero_layer seed=$s $sizes pool=max head_dropout=0.5; done ) > laneD.log 2>&1 &
wait
