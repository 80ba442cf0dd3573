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


@pytest.fixture(scope="module")
def confident_teacher(tmp_path_factory, data_dir):
    """A toy teacher whose answers differ from sentence to sentence (large initial weights) and are centred by its bias,
    so about half the training sentences are confidently positive and half confidently negative: a cache that gives
    a sentence another sentence's targets then changes the loss, which the near-constant `toy_teacher` would not."""
    from transformers import BertConfig, BertForSequenceClassification
    d = tmp_path_factory.mktemp("confident_teacher")
    tok = hf_tokenizer(minilm_dir())
    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1,
                                                     num_attention_heads=2, intermediate_size=64, num_labels=2,
                                                     initializer_range=1.0)).eval()
    sentences = [s for s, _ in load_split("sst2", "train", data_dir)[:N_TRAIN]]
    with torch.no_grad():
        z = model(**tok(sentences, padding=True, return_tensors="pt")).logits
        margin = z[:, 1] - z[:, 0]
        model.classifier.bias[1] -= margin.median()
    margin = margin - margin.median()
    assert margin.std() > 2 and 0.4 <= float((margin > 0).float().mean()) <= 0.6, margin  # varied, confident, balanced
    model.save_pretrained(d); tok.save_pretrained(d)
    return d


def _shuffled_copy(cache_dir, out_dir, seed=0):
    "The same classification cache with its rows permuted: every sentence gets another sentence's teacher targets."
    import shutil
    import numpy as np
    shutil.copytree(cache_dir, out_dir)
    cache = TeacherCache(out_dir)
    order = np.random.default_rng(seed).permutation(len(cache))
    assert (np.diff(cache.offsets) == 1).all()  # one position per sentence: rows are sentences
    for name, dtype, shape in (("values.f16", np.float16, cache.values.shape), ("indices", cache.index["index_dtype"], cache.indices.shape),
                               ("lse.f32", np.float32, cache.lse.shape)):
        rows = np.memmap(out_dir / name, dtype=dtype, mode="r+", shape=shape)
        rows[:] = np.array(rows)[order]; rows.flush()
    return out_dir


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


def test_train_from_cache_and_online_give_the_same_first_loss(tmp_path, data_dir, confident_teacher, student_tokenizer):
    precompute_classification(confident_teacher, tmp_path / "cache", max_examples=N_TRAIN, data_path=data_dir, progress=False)
    assert len(TeacherCache(tmp_path / "cache")) == N_TRAIN
    shuffled = _shuffled_copy(tmp_path / "cache", tmp_path / "shuffled_cache")
    first = {}
    for name, source in (("cached", f"distill.cache_dir={tmp_path / 'cache'}"), ("online", f"distill.teacher={confident_teacher}"),
                         ("shuffled", f"distill.cache_dir={shuffled}")):
        r = _run(_sst2_args(tmp_path / name, student_tokenizer, source), data_dir)
        assert r.returncode == 0, (name, r.stderr[-2000:])
        first[name] = [json.loads(l) for l in (tmp_path / name / "log.jsonl").read_text().splitlines() if '"loss"' in l][0]["loss"]
    # same seed, same batches, same loss code: the fp16 cache differs from the live teacher only by rounding
    assert abs(first["cached"] - first["online"]) < 1e-3, first
    # the control: targets of other sentences move the loss far beyond that (the check above would catch a misaligned cache)
    assert abs(first["shuffled"] - first["online"]) > 0.05, first


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
