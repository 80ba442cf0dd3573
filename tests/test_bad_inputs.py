"""Every bad input a user can give the CLI gets one line naming the cause and exit code 2, never a traceback (issue 17).

The cases run in-process through `snn_lab.cli.main`, as `snn-lab ...` would run them. The table of inputs and
messages they produce is the docs page `nbs/explanations/bad_inputs.ipynb` (which shows `_bad_inputs.md`): this test regenerates it and fails when the
committed page is out of date (`SNN_LAB_UPDATE_DOCS=1 pytest tests/test_bad_inputs.py` rewrites it).
"""
import os, socket
from pathlib import Path

import pytest
import torch

from snn_lab.cli import main
from snn_lab.model import config_file

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "nbs" / "explanations" / "_bad_inputs.md"  # underscore: Quarto leaves it to the page that shows it
TINY = ["--model", "tiny", "data.max_train_examples=200", "data.max_valid_examples=20", "data.vocab_size=500",
        "data.seq_len=32", "training.max_steps=2", "logging.progress=false"]


def cases(tmp: Path, data: Path) -> list[tuple[str, list[str], str]]:
    "(what the user did, argv, a part of the one-line message that names the cause)."
    (tmp / "latin1.txt").write_bytes("café au lait\n".encode("latin1"))
    (tmp / "blank.txt").write_text("\n \n")
    (tmp / "short.txt").write_text("hi\n")
    chat = '[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]\n'
    (tmp / "chats.jsonl").write_text(chat * 20)
    (tmp / "roles.jsonl").write_text(chat + '[{"role": "bot", "content": "Hi"}]\n')
    empty_root = tmp / "empty-data" / "wikitext-2"; empty_root.mkdir(parents=True)
    (empty_root / "wiki.train.tokens").write_text("")
    (empty_root / "wiki.valid.tokens").write_text((data / "wikitext-2" / "wiki.valid.tokens").read_text()[:20000])
    (tmp / "corrupt" / "checkpoints" / "step_0000001").mkdir(parents=True)
    (tmp / "corrupt" / "checkpoints" / "latest").write_text("step_0000001")
    (tmp / "corrupt" / "checkpoints" / "step_0000001" / "meta.json").write_text("{not json")
    out = lambda name: f"training.out_dir={tmp / name}"
    return [
        ("a misspelt config key", ["train", "training.max_stpes=3"], "unknown key"),
        ("batch size 0", ["train", *TINY, "training.batch_size=0", out("a")], "'training.batch_size' must be >= 1"),
        ("window length 0", ["train", *TINY, "data.seq_len=0", out("b")], "'data.seq_len' must be >= 1"),
        ("a negative window length", ["train", *TINY, "data.seq_len=-5", out("c")], "'data.seq_len' must be >= 1"),
        ("a negative learning rate", ["train", *TINY, "training.lr=-1e-3", out("d")], "'training.lr' must be > 0"),
        ("gradient accumulation 0", ["train", *TINY, "training.grad_accum_steps=0", out("e")], "'training.grad_accum_steps' must be >= 1"),
        ("zero training steps", ["train", *TINY, "training.max_steps=0", out("f")], "'training.max_steps' must be >= 1"),
        ("FSDP asked of one process", ["train", *TINY, "training.distributed=fsdp", out("o")], "fsdp needs several processes"),
        ("a GPU on a machine without one", ["train", *TINY, "training.device=cuda", out("g")], "no CUDA GPU is visible"),
        ("an instruction set read as text", ["train", *TINY, "data.dataset=alpaca", "data.format=text", out("h")], "set data.format=instruction"),
        ("an instruction set read as dialogue", ["train", *TINY, "data.dataset=alpaca", "data.format=dialogue", out("i")], "set data.format=instruction"),
        ("WikiText-2 read as instructions", ["train", *TINY, "data.format=instruction", out("j")], "set data.format=text"),
        ("a conversation file read as text", ["train", *TINY, f"data.dataset={tmp / 'chats.jsonl'}", "data.format=text", out("p")],
         "set data.format=dialogue"),
        ("a conversation with an unknown role", ["train", *TINY, f"data.dataset={tmp / 'roles.jsonl'}", "data.format=dialogue", out("q")],
         "line 2: message 0: needs a role"),
        ("an empty training file", ["train", *TINY, f"data.path={tmp / 'empty-data'}", out("k")], "no training examples"),
        ("a data root that does not exist", ["train", *TINY, f"data.path={tmp / 'nowhere'}", out("l")], "data file not found"),
        ("a non-UTF-8 corpus for prepare-data", ["prepare-data", str(tmp / "latin1.txt"), "--out", str(tmp / "c1")], "not UTF-8 text"),
        ("an empty corpus for prepare-data", ["prepare-data", str(tmp / "blank.txt"), "--out", str(tmp / "c2")], "no text to train a tokenizer on"),
        ("training on a corpus shorter than one window", ["train", *TINY, f"data.dataset={tmp / 'c3'}", f"data.tokenizer={tmp / 'c3'}", out("m")],
         "fewer than one window"),
        ("a corrupt checkpoint to evaluate", ["evaluate", str(tmp / "corrupt")], "meta.json: corrupt"),
        ("a directory without a checkpoint to evaluate", ["evaluate", str(tmp)], "no checkpoint here"),
        ("the chat on port 99999", ["chat", "--port", "99999"], "'app.port' must be 1 to 65535"),
        ("the chat on a port in use", ["chat", "--port", "{busy_port}"], "cannot serve on 127.0.0.1"),
        ("resuming a run with another tokenizer", ["train", *TINY, f"data.tokenizer={tmp / 'c3'}", out("run")], "was trained with another tokenizer"),
        ("resuming a run with a new learning rate", ["train", *TINY, "training.lr=5e-3", out("run")], "resuming with changed settings (training.lr"),
        ("resuming a run as another model size", ["train", *TINY, "model.d_model=96", out("run")], "does not fit this model, a checkpoint of another size"),
        ("an unknown benchmark config key", ["benchmark", "sst2", "model.width=3"], "unknown key 'model.width'"),
        ("a per-model setting outside model and training", ["benchmark", "sst2", "variant_overrides={cnn_rand: [seeds=1]}"],
         "only model.* and training.* keys may differ"),
    ]


def normalise(text: str, tmp: Path, data: Path) -> str:
    configs = config_file("base", folder=".").parent  # the shipped configs, wherever this checkout or install is
    return text.replace(str(tmp), "<tmp>").replace(str(data), "$SNN_LAB_DATA").replace(str(configs), "<configs>")


@pytest.mark.skipif(torch.cuda.is_available(), reason="the GPU case needs a machine without CUDA")
def test_every_bad_input_gets_one_line_and_exit_code_2(tmp_path, data_dir, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SNN_LAB_DATA", str(data_dir))
    monkeypatch.setenv("SNN_LAB_HOME", str(tmp_path / "home"))  # the chat must fail before any starter model is built
    rows = []
    busy = socket.socket(); busy.bind(("127.0.0.1", 0)); busy.listen()
    try:
        all_cases = cases(tmp_path, data_dir)
        assert main(["prepare-data", str(tmp_path / "short.txt"), "--out", str(tmp_path / "c3"), "--vocab-size", "300"]) == 0
        assert main(["train", *TINY, f"training.out_dir={tmp_path / 'run'}"]) == 0  # a healthy run to resume wrongly
        capsys.readouterr()
        for what, argv, expected in all_cases:
            argv = [a.replace("{busy_port}", str(busy.getsockname()[1])) for a in argv]
            code = main(argv)
            err = capsys.readouterr().err
            errors = [line for line in err.splitlines() if line.startswith("snn-lab ")]
            assert code == 2 and "Traceback" not in err and len(errors) == 1, (what, code, err[-2000:])
            assert expected in errors[0], (what, errors[0])
            shown = ["snn-lab", *(normalise(a, tmp_path, data_dir) for a in argv if a not in TINY)]
            if what == "the chat on a port in use": shown[-1] = "<a port in use>"
            rows.append((what, " ".join(shown), normalise(errors[0], tmp_path, data_dir).replace(str(busy.getsockname()[1]), "<port>")))
    finally:
        busy.close()
    table = ("<!-- generated by tests/test_bad_inputs.py; do not edit -->\n"
             "| what the user did | command (the tiny-model options left out) | the one line printed (exit code 2) |\n|---|---|---|\n" +
             "".join(f"| {w} | `{c}` | `{m.replace('|', '/')}` |\n" for w, c, m in rows))
    if os.environ.get("SNN_LAB_UPDATE_DOCS"): TABLE.write_text(table)
    assert TABLE.read_text() == table, f"{TABLE} is out of date: rerun with SNN_LAB_UPDATE_DOCS=1 and commit it"
