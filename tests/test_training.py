"""Training across processes and from the command line, run as a user would (subprocesses)."""
import json
import os
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file

from snn_lab.data import load_split, load_tokenizer


def _train_args(out, tokenizer_dir, batch_size):
    return ["train", "--model", "tiny", f"training.out_dir={out}", f"data.tokenizer={tokenizer_dir}",
            "data.max_train_examples=400", "data.max_valid_examples=20", "data.seq_len=32",
            f"training.batch_size={batch_size}", "training.max_steps=3", "training.warmup_steps=1",
            "training.eval_every=0", "training.lr=1e-3", "logging.progress=false", "logging.log_every=1"]


def test_ddp_and_fsdp_two_processes_equal_one_process_with_the_same_global_batch(tmp_path, data_dir):
    tok_dir = tmp_path / "tokenizer"
    load_tokenizer("bpe", load_split("wikitext-2", "train", data_dir)[:2000], 500, save_dir=tok_dir)
    env = {**os.environ, "SNN_LAB_DATA": str(data_dir), "OMP_NUM_THREADS": "1"}
    one = subprocess.run([sys.executable, "-m", "snn_lab.cli", *_train_args(tmp_path / "one", tok_dir, 8)],
                         env=env, capture_output=True, text=True)
    assert one.returncode == 0, one.stderr[-2000:]
    two = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29533",
                          "-m", "snn_lab.cli", *_train_args(tmp_path / "two", tok_dir, 4)],
                         env=env, capture_output=True, text=True)
    assert two.returncode == 0, two.stderr[-3000:]
    a = load_file(str(tmp_path / "one" / "checkpoints" / "step_0000003" / "model.safetensors"))
    b = load_file(str(tmp_path / "two" / "checkpoints" / "step_0000003" / "model.safetensors"))
    assert a.keys() == b.keys()
    worst = max((a[k] - b[k]).abs().max().item() for k in a)
    # the two runs sum the same gradients in another order; AdamW divides each gradient by its running RMS, so a
    # rounding difference in a near-zero gradient becomes a visible one in its step (3 steps of at most lr = 1e-3
    # each): 1.3e-5 measured here, 0.4% of the largest possible change (the logged losses below agree to 1e-5)
    assert worst <= 5e-5, worst
    assert '"world_size": 2' in two.stdout and '"world_size": 1' in one.stdout  # it really ran in two processes
    losses = lambda run: [json.loads(l)["loss"] for l in (tmp_path / run / "log.jsonl").read_text().splitlines()]
    assert len(losses("one")) == 3 and losses("two") == pytest.approx(losses("one"), rel=1e-5)  # the global batch's loss, not rank 0's half
    fsdp = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29534",
                           "-m", "snn_lab.cli", *_train_args(tmp_path / "fsdp", tok_dir, 4), "training.distributed=fsdp"],
                          env=env, capture_output=True, text=True)
    assert fsdp.returncode == 0, fsdp.stderr[-3000:]
    assert "returned a view tensor" not in fsdp.stderr  # FSDP2's warning: an in-place op on a view would skip its hooks
    assert losses("fsdp") == pytest.approx(losses("one"), rel=1e-5)  # sharded: the same curve as one process
    c = load_file(str(tmp_path / "fsdp" / "checkpoints" / "step_0000003" / "model.safetensors"))  # gathered from the shards
    assert c.keys() == a.keys() and max((a[k] - c[k]).abs().max().item() for k in a) <= 5e-5
    assert (tmp_path / "fsdp" / "checkpoints" / "step_0000003" / "shards" / ".metadata").is_file()


def test_config_and_checkpoint_errors_are_one_line(tmp_path):
    bad_key = subprocess.run(["snn-lab", "train", "training.max_stpes=3"], capture_output=True, text=True)
    assert bad_key.returncode == 2 and bad_key.stderr.count("\n") == 1 and "training.max_stpes" in bad_key.stderr
    (tmp_path / "m.yaml").write_text("model:\n  d_model: wide\n")
    bad_type = subprocess.run(["snn-lab", "train", "--model", str(tmp_path / "m.yaml")], capture_output=True, text=True)
    assert bad_type.returncode == 2 and "m.yaml: 'model.d_model' must be int" in bad_type.stderr
    missing = subprocess.run(["snn-lab", "train", "--model", str(tmp_path / "none.yaml")], capture_output=True, text=True)
    assert missing.returncode == 2 and "none.yaml: config file not found" in missing.stderr


def test_training_on_a_file_of_ones_own_conversations(tmp_path):
    "`snn-lab train data.dataset=chats.jsonl data.format=dialogue`: a user's dialogue file, from the command line (issue 17)."
    from snn_lab.cli import main
    from snn_lab.container import load_run
    turns = [("What is the capital of France?", "Paris."), ("How many legs has a spider?", "Eight."), ("Say hello.", "Hello!")]
    chats = tmp_path / "chats.jsonl"
    chats.write_text("\n".join(json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]})
                               for _ in range(20) for q, a in turns) + "\n")
    out = tmp_path / "run"
    assert main(["train", "--model", "tiny", f"data.dataset={chats}", "data.format=dialogue", "data.vocab_size=300", "data.seq_len=32",
                 "training.max_steps=4", "training.batch_size=4", "training.eval_every=4", "logging.progress=false",
                 f"training.out_dir={out}"]) == 0
    history = [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]
    assert history[-1]["step"] == 4 and "valid_loss" in history[-1]  # validated on the 5% held out of the file
    config, model, tokenizer = load_run(out)
    assert config.data.dataset == str(chats) and config.data.format == "dialogue"
    assert main(["train", "--model", "tiny", f"data.dataset={chats}", "data.format=text", "training.max_steps=1",
                 f"training.out_dir={tmp_path / 'text'}"]) == 2  # read as text: one line naming the format
