#!/bin/bash
# round 14: (1) the SNN distilled from CNN-rand trained on the same data (probe_kd.py: alpha 0.5, temperature 2, the
# teacher the benchmark's cnn_rand at its own settings, run on each batch); (2) the Transformer with the norm after
# the mean pool, the setting the benchmark's control got (the same grid for the models under test)
source /work/venv/bin/activate; cd "$(dirname "$0")"; export SNN_LAB_DATA=/work/shared/data OMP_NUM_THREADS=1
common="tokenizer=word vocab_size=16384 training.max_steps=3060 training.warmup_steps=150"
job() { python probe.py word-3ep-r14 "$@" $common; }  # results.jsonl beside the script
( python probe_kd.py kd-cnn-rand seed=0 alpha=0.5 temperature=2; job transformer seed=0 pool=normmean ) > laneA.log 2>&1 &
( python probe_kd.py kd-cnn-rand seed=1 alpha=0.5 temperature=2; job transformer seed=1 pool=normmean ) > laneB.log 2>&1 &
wait
