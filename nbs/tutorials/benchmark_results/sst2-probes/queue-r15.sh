#!/bin/bash
# round 15: the spiking CNN with spike-coded input that keeps a word's size: N(0, 1) embeddings under decay 0.3 reach
# the bipolar input neurons without an RMSNorm (in_norm=0), so large words send more spikes (round 9 normalised them)
source /work/venv/bin/activate; cd "$(dirname "$0")"; export SNN_LAB_DATA=/work/shared/data OMP_NUM_THREADS=1
common="tokenizer=word vocab_size=16384 training.max_steps=3060 training.warmup_steps=150 training.weight_decay=0.3"
job() { python probe.py word-3ep-r15 snn arch=scnn_in in_norm=0 "$@" $common; }  # results.jsonl beside the script
( for s in 0 1; do job seed=$s in_threshold=0.5; job seed=$s in_threshold=1.0; done ) > laneA.log 2>&1 &
( for s in 0 1; do job seed=$s in_threshold=0.5 in_levels=3; done; job seed=0 in_threshold=0.25 ) > laneB.log 2>&1 &
wait
