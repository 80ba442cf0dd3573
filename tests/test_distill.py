"""Distillation through `snn-lab train` as a user runs it: from a cache, online from a teacher, and the errors."""
import json
import subprocess
import sys

import pytest
import torch

from snn_lab.data import load_split, load_tokenizer
from snn_lab.distill import TeacherCache, hf_tokenizer, minilm_dir, precompute_classification
from snn_lab.distill_runs import transfer_pairs

N_TRAIN = 96


@pytest.fixture(scope="module")
def toy_teacher(tmp_path_factory, data_dir):
    "A one-layer BERT classifier with MiniLM's tokenizer (random weights: the plumbing, not the quality, is tested)."
    from transformers import BertConfig, BertForSequenceClassification
    d = tmp_path_factory.mktemp("teacher")
    tok = hf_tokenizer(minilm_dir())
    torch.manual_seed(0)
    BertForSequenceClassification(BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                                             intermediate_size=64, num_labels=2)).save_pretrained(d)
    tok.save_pretrained(d)
    return d


def _run(args, data_dir):
    env = {"SNN_LAB_DATA": str(data_dir), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "PATH": __import__("os").environ["PATH"]}
    return subprocess.run([sys.executable, "-m", "snn_lab.cli", *args], env=env, capture_output=True, text=True)


def _sst2_args(out, tok_dir, *extra):
    return ["train", "--model", "tiny", f"training.out_dir={out}", f"data.tokenizer={tok_dir}", "data.dataset=sst2",
            "data.format=classification", "data.valid_split=dev", "model.head=classifier", f"data.max_train_examples={N_TRAIN}",
            "data.max_valid_examples=32", "data.seq_len=64", "training.batch_size=16", "training.max_steps=3",
            "training.warmup_steps=1", "training.eval_every=3", "logging.progress=false", "logging.log_every=1",
            "training.mode=distill", *extra]


@pytest.fixture(scope="module")
def student_tokenizer(tmp_path_factory, data_dir):
    d = tmp_path_factory.mktemp("student_tok")
    load_tokenizer("bpe", [s for s, _ in load_split("sst2", "train", data_dir)[:2000]], 400, save_dir=d)
    return d


def test_train_from_cache_and_online_give_the_same_first_loss(tmp_path, data_dir, toy_teacher, student_tokenizer):
    precompute_classification(toy_teacher, tmp_path / "cache", max_examples=N_TRAIN, data_path=data_dir, progress=False)
    assert len(TeacherCache(tmp_path / "cache")) == N_TRAIN
    cached = _run(_sst2_args(tmp_path / "cached", student_tokenizer, f"distill.cache_dir={tmp_path / 'cache'}"), data_dir)
    assert cached.returncode == 0, cached.stderr[-2000:]
    online = _run(_sst2_args(tmp_path / "online", student_tokenizer, f"distill.teacher={toy_teacher}"), data_dir)
    assert online.returncode == 0, online.stderr[-2000:]
    first = lambda out: [json.loads(l) for l in (out / "log.jsonl").read_text().splitlines() if '"loss"' in l][0]["loss"]
    # same seed, same batches, same loss code: the fp16 cache differs from the live teacher only by rounding
    assert abs(first(tmp_path / "cached") - first(tmp_path / "online")) < 1e-3


def test_distill_mode_without_teacher_or_cache_is_a_one_line_error(tmp_path, data_dir, student_tokenizer):
    r = _run(_sst2_args(tmp_path / "none", student_tokenizer), data_dir)
    assert r.returncode != 0
    assert "distill.cache_dir" in r.stderr and "distill.teacher" in r.stderr and "Traceback" not in r.stderr


def test_cache_for_other_sentences_is_refused(tmp_path, data_dir, toy_teacher, student_tokenizer):
    precompute_classification(toy_teacher, tmp_path / "cache", max_examples=N_TRAIN // 2, data_path=data_dir, progress=False)
    r = _run(_sst2_args(tmp_path / "wrong", student_tokenizer, f"distill.cache_dir={tmp_path / 'cache'}"), data_dir)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "must align" in r.stderr or "other training data" in r.stderr


def test_augment_cli_labels_a_transfer_set_once_and_refuses_other_settings(tmp_path, data_dir, toy_teacher):

    args = ["distill", "augment", "--teacher", str(toy_teacher), "--out", str(tmp_path / "transfer"), "--max-examples", "40",
            "--per-sentence", "2", "--batch-size", "16"]
    r = _run(args, data_dir)
    assert r.returncode == 0, r.stderr[-2000:]
    pairs, cache = transfer_pairs(tmp_path / "transfer"), TeacherCache(tmp_path / "transfer")
    assert len(cache) == len(pairs) > 20 and all(label == -100 for _, label in pairs)
    assert f"{len(pairs):,} augmented sentences" in r.stdout
    again = _run(args[:-4] + ["--per-sentence", "3", "--batch-size", "16"], data_dir)  # same --out, other settings
    assert again.returncode != 0 and "made with" in again.stderr and "Traceback" not in again.stderr
