"""The spikified BERT (09a_spikify) and its job (11a_spikify_runs): the reference twin, the spike path, the command."""
import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification

from snn_lab.cli import main
from snn_lab.energy import count_inference
from snn_lab.spikify import GradedInput, SpikifyConfig, SpikingBert, calibrate, spikes_bypassed


def tiny_teacher(seed: int = 0) -> BertForSequenceClassification:
    torch.manual_seed(seed)
    return BertForSequenceClassification(BertConfig(vocab_size=50, hidden_size=24, num_hidden_layers=2, num_attention_heads=3,
                                                     intermediate_size=48, max_position_embeddings=32, num_labels=2)).eval()


@pytest.mark.parametrize("seed", [0, 1])
def test_bypassed_hybrid_is_the_teacher_and_spikes_are_integers(seed):
    teacher = tiny_teacher(seed)
    ids = torch.randint(1, 50, (4, 10)); mask = torch.ones_like(ids); mask[2, 6:] = 0
    with torch.no_grad():
        hybrid = SpikingBert(teacher, SpikifyConfig(attention="softmax")).eval()
        with spikes_bypassed(hybrid):
            assert torch.allclose(hybrid(ids, mask).logits, teacher(input_ids=ids, attention_mask=mask).logits, atol=1e-5)
        student = calibrate(SpikingBert(teacher).eval(), [{"input_ids": ids, "attention_mask": mask}])
        seen = []
        hooks = [m.register_forward_hook(lambda mod, a, o: seen.append(o)) for m in student.modules() if isinstance(m, GradedInput)]
        student(ids, mask)
        for h in hooks: h.remove()
    assert seen and all(torch.equal(s, s.round()) for s in seen)
    assert all(s.abs().max() <= 15 for s in seen) and any(s.abs().max() > 1 for s in seen)  # graded, within [-L, L]


def test_a_dropped_spike_changes_the_count_and_the_output():
    "The energy counter prices the spikes actually fired: silence one encoder and both the logits and the events change."
    teacher = tiny_teacher(2)
    ids = torch.randint(1, 50, (1, 10))
    student = calibrate(SpikingBert(teacher).eval(), [{"input_ids": ids, "attention_mask": torch.ones_like(ids)}])
    with torch.no_grad():
        before, ops_before = student.hidden_states(ids)[-1], count_inference(student, ids).total()
        student.layers[1].ffn_out.spikes.neurons.v_threshold.mul_(1e3)  # that encoder now fires nothing
        after, ops_after = student.hidden_states(ids)[-1], count_inference(student, ids).total()
    assert (before - after).abs().max() > 1e-3 and ops_after.sop < ops_before.sop


def test_cli_refuses_a_missing_teacher_in_one_line(tmp_path, capsys):
    assert main(["distill", "spikify", "--teacher", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no fine-tuned model there" in err


def test_cli_refuses_an_unknown_attention_kernel_before_loading_anything(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["distill", "spikify", "--teacher", str(tmp_path), "--kernel", "softmax"])
    assert exit_.value.code == 2 and "invalid choice: 'softmax' (choose from 'relu', 'poly', 'exp')" in capsys.readouterr().err


def test_committed_results_hold_what_issue_18_asks():
    "The full runs' results.json: teacher, spiking and small student, each with the fields issue 18 names, consistent."
    import json
    from pathlib import Path
    from snn_lab.energy import ENERGY_MODELS
    results = json.loads((Path(__file__).parents[1] / "nbs/tutorials/spikify_results/results.json").read_text())
    for key in ("teacher", "spiking_student", "small_student"):
        r = results[key]
        assert r["params"] > 0 and 0 < r["accuracy"] < 1 and r["seeds"], key
        assert set(r["energy_pj"]) == set(ENERGY_MODELS) and all(e > 0 for e in r["energy_pj"].values()), key
        assert (r["spikes_per_inference"] == 0) == (key == "teacher"), key
        if "accuracy_per_seed" in r:  # a mean over seeds
            assert len(r["accuracy_per_seed"]) == len(r["seeds"]) >= 3, key
            assert abs(r["accuracy"] - sum(r["accuracy_per_seed"]) / len(r["seeds"])) < 1e-9, key
    assert results["spiking_student"]["params"] <= results["teacher"]["params"]
    ratio = results["energy_ratio_teacher_over_student"]["cmos45_fp32"]
    assert abs(ratio - results["teacher"]["energy_pj"]["cmos45_fp32"] / results["spiking_student"]["energy_pj"]["cmos45_fp32"]) < 1e-9
