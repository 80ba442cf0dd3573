#!/bin/bash
# round 12: attention pooling (a learned query weighs each real token, softmax over the sentence): a way for the
# normalised models to weigh words, as unnormalised sizes let CNN-rand
source /work/venv/bin/activate; cd "$(dirname "$0")"; export SNN_LAB_DATA=/work/shared/data OMP_NUM_THREADS=1
common="tokenizer=word vocab_size=16384 training.max_steps=3060 training.warmup_steps=150 eval_every=340"
job() { python probe.py word-3ep-r12 "$@" $common; }  # results.jsonl beside the script
( job snn seed=0 pool=attn; job zero_layer seed=0 pool=attn; job zero_layer seed=2 pool=attn ) &
( job snn seed=1 pool=attn; job zero_layer seed=1 pool=attn ) &
wait
