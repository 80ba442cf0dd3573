"""BreakthroughSNN's spiking MLP islands on Loihi 2: Lava fixed_pt against the integer reference, spike for spike and
integer for integer, on random islands (ternary input, readout) and on the islands of a classifier trained on SST-2
and driven by real dev sentences; the export command on a model checkpoint."""
import dataclasses

import numpy as np
import pytest
import torch
from torch import nn

from snn_lab.benchmark import BenchmarkConfig, train_classifier
from snn_lab.config import TrainingConfig
from snn_lab.data import SST2Dataset, load_split, load_tokenizer, pad_collate
from snn_lab.lava_shim import lava_available
from snn_lab.loihi import check_loihi_ranges, lava_outputs, quantize, run_lava, simulate
from snn_lab.loihi_islands import (check_islands_in_lava, check_synapses_in_lava, chip_partition, evaluate_islands,
                                   evaluate_synapses, islands_on_loihi, lava_check_ssm, loihi_mappable, model_islands,
                                   operations_by_part, quantize_islands, run_ssm_in_lava, synapse_networks,
                                   synapses_on_loihi)
from snn_lab.export import main as export_main
from snn_lab.model import ModelConfig
from snn_lab.neurons import CubaLIF
from snn_lab.nirgraph import FeedForwardSNN
from snn_lab.train import save_checkpoint
from snn_lab.core import config_to_dict

needs_lava = pytest.mark.skipif(not lava_available(), reason="lava-nc is not installed")


def ternary(B, T, D, seed=0, rate=0.3) -> torch.Tensor:
    "Random -1/0/1 spikes `[B, T, D]`, like the MLP's input neurons send."
    g = torch.Generator().manual_seed(seed)
    return ((torch.rand(B, T, D, generator=g) < rate).float() * (torch.randint(0, 2, (B, T, D), generator=g) * 2 - 1)).float()


def random_island(d, hidden, seed) -> FeedForwardSNN:
    "fc1 → CUBA-LIF (zero reset, a threshold per neuron) → fc2, bias-free, as `mlp_island` builds it."
    g = torch.Generator().manual_seed(seed)
    net = FeedForwardSNN(nn.Linear(d, hidden, bias=False),
                         CubaLIF(hidden, tau_syn=5.0, tau_mem=2.0, v_threshold=torch.rand(hidden, generator=g) * 0.5 + 0.3, reset="zero"),
                         nn.Linear(hidden, d, bias=False))
    with torch.no_grad():
        net.layers[0].weight.copy_(torch.randn(hidden, d, generator=g) * 0.5)
        net.layers[2].weight.copy_(torch.randn(d, hidden, generator=g) * 0.2)
    return net.requires_grad_(False)


@needs_lava
@pytest.mark.parametrize("seed,d,hidden", [(0, 8, 16), (1, 12, 24), (2, 16, 40)])
def test_lava_equals_reference_on_random_islands(seed, d, hidden):
    q = quantize(random_island(d, hidden, seed))
    x = ternary(3, 30, d, seed)
    assert (x < 0).any() and (x > 0).any()
    piped, free = simulate(q, x, pipelined=True), simulate(q, x)
    assert piped.spikes[0].float().mean() > 0.02 and piped.readout.abs().sum() > 0  # real activity is compared
    for a, b in zip(run_lava(q, x), lava_outputs(piped), strict=True): assert torch.equal(a, b)
    for a, b in zip(run_lava(q, x, undelay=True), lava_outputs(free), strict=True): assert torch.equal(a, b)


@needs_lava
def test_the_comparison_sees_a_one_weight_difference():
    "The check is not vacuous: Lava run on an island with one synapse changed disagrees with the reference."
    q = quantize(random_island(8, 16, 3))
    x = ternary(2, 30, 8, 3, rate=0.5)
    ours = lava_outputs(simulate(q, x, pipelined=True))
    changed = dataclasses.replace(q, layers=[dataclasses.replace(q.layers[0], weight=q.layers[0].weight.copy())])
    i, j = np.unravel_index(np.abs(changed.layers[0].weight).argmax(), changed.layers[0].weight.shape)
    changed.layers[0].weight[i, j] = -changed.layers[0].weight[i, j]
    lava = run_lava(changed, x)
    assert not all(torch.equal(a, b) for a, b in zip(lava, ours))


@pytest.fixture(scope="module")
def sst2_model(data_dir, tmp_path_factory):
    "A small Loihi-mappable BreakthroughSNN classifier trained briefly on SST-2, its tokenizer and dev set."
    torch.set_num_threads(1)
    train_pairs, dev_pairs = load_split("sst2", "train", data_dir), load_split("sst2", "dev", data_dir)
    tokenizer = load_tokenizer("bpe", [s for s, _ in train_pairs[:8000]], 512, save_dir=tmp_path_factory.mktemp("tok"))
    bcfg = BenchmarkConfig(vocab_size=512, max_len=24, seeds=[0],
                           model=loihi_mappable(ModelConfig(head="classifier", d_model=32, n_layers=2, n_heads=2, d_state=4, mlp_ratio=2.0)),
                           training=TrainingConfig(lr=3e-3, warmup_steps=5, max_steps=150, batch_size=32, eval_batches=None))
    train = SST2Dataset(pairs=train_pairs[:8000], tokenizer=tokenizer, max_len=24)
    dev = SST2Dataset(pairs=dev_pairs, tokenizer=tokenizer, max_len=24)
    model, accuracy, _ = train_classifier("snn", 0, bcfg, tokenizer, train, dev, progress=False)
    return model.requires_grad_(False), tokenizer, dev, accuracy


@needs_lava
def test_lava_equals_reference_on_a_trained_models_islands_driven_by_sst2(sst2_model):
    model, tokenizer, dev, accuracy = sst2_model
    assert accuracy > 0.55  # trained: above the 51% of the majority class
    networks = quantize_islands(model)
    batch = pad_collate([dev[i] for i in range(4)], tokenizer.pad_token_id)
    runs = []
    with torch.no_grad(), islands_on_loihi(model, networks, runs): model(batch["input_ids"], batch["attention_mask"])
    assert [r.block for r in runs] == [0, 1]
    checks = check_islands_in_lava(networks, runs)
    assert all(c["hidden_spikes"] > 0 for c in checks)
    assert all(c["identical"] for c in checks), checks


@needs_lava
def test_lava_equals_reference_on_a_trained_models_synapse_islands_driven_by_sst2(sst2_model):
    "The attention's synapses as chip islands (ternary spikes → Dense → graded relay), with every island on the chip."
    model, tokenizer, dev, _ = sst2_model
    networks, synapses = quantize_islands(model), synapse_networks(model)
    batch = pad_collate([dev[i] for i in range(4)], tokenizer.pad_token_id)
    runs = []
    with torch.no_grad(), synapses_on_loihi(model, synapses, runs), islands_on_loihi(model, networks):
        model(batch["input_ids"], batch["attention_mask"])
    assert [r.name for r in runs] == list(synapses) and len(runs) == 6
    assert all((r.inputs < 0).any() and (r.inputs > 0).any() for r in runs)  # ternary input reached every island
    checks = check_synapses_in_lava(synapses, runs)
    assert all(c["identical"] for c in checks), checks
    # not vacuous: one weight of one island flipped, and Lava no longer matches the reference's run
    q = synapses[runs[1].name]
    changed = dataclasses.replace(q, readout=dataclasses.replace(q.readout, weight=q.readout.weight.copy()))
    changed.readout.weight[np.unravel_index(np.abs(q.readout.weight).argmax(), q.readout.weight.shape)] *= -1
    assert not check_synapses_in_lava({runs[1].name: changed}, [runs[1]])[0]["identical"]


@needs_lava
def test_lava_s4d_neurons_run_a_trained_models_ssm_on_sst2(sst2_model):
    "Each block's SSM as Lava S4d neurons (floating_pt), driven by its synapse island's output on real sentences."
    model, tokenizer, dev, _ = sst2_model
    checks = lava_check_ssm(model, quantize_islands(model), synapse_networks(model), dev, 4, tokenizer.pad_token_id)
    assert [c["block"] for c in checks] == [0, 1] and all(c["identical_to_rounding"] for c in checks), checks
    assert all(c["max_output"] > 0.1 for c in checks)  # compared on real activity
    # not vacuous: one mode's decay changed, and Lava's output moves far beyond rounding
    import copy
    ssm = copy.deepcopy(model.blocks[0].attn.ssm.ssm).double()
    u = torch.randn(2, 10, ssm.d_model, dtype=torch.float64)
    with torch.no_grad():
        ref = ssm(u)[0]
        ssm.log_neg_a_real[0, 0] -= 1.0
    assert (run_ssm_in_lava(ssm, u) - ref).abs().max() > 1e-3


def test_every_island_on_the_chip_keeps_accuracy_and_more_operations(sst2_model):
    """Measured on a small trained model (d 32: its norms weigh more than at the benchmark's d 128, where the chip
    holds ~77%): the synapse islands cost little accuracy and more than double the chip's share of operations."""
    model, tokenizer, dev, _ = sst2_model
    sentences = [dev[i] for i in range(200)]
    networks = quantize_islands(model)
    mlp_only = evaluate_islands(model, sentences, networks, tokenizer.pad_token_id)
    every = evaluate_synapses(model, sentences, networks, synapse_networks(model), tokenizer.pad_token_id)
    assert abs(every["accuracy"] - mlp_only["float_accuracy"]) < 0.05
    part = chip_partition(operations_by_part(model, sentences[:50]))
    mlp_share = sum(v for k, v in part["share_by_part"].items() if k.startswith("mlp."))
    assert part["chip_share"] > 2 * mlp_share > 0, part  # measured: 53% against 21%
    assert every["chip"]["synaptic_ops"] > 0 and type(model.blocks[0].attn.qkv) is nn.Linear  # the model is back
    print(f"accuracy float {mlp_only['float_accuracy']:.3f}, every island {every['accuracy']:.3f}; "
          f"chip share {part['chip_share']:.3f} (MLP islands {mlp_share:.3f})")


def test_quantised_islands_keep_the_trained_models_accuracy(sst2_model):
    "Measured property of the quantisation on a small trained model: prediction agreement and accuracy change."
    model, tokenizer, dev, _ = sst2_model
    ev = evaluate_islands(model, [dev[i] for i in range(200)], quantize_islands(model), tokenizer.pad_token_id)
    assert ev["blocks"][0]["input_agreement"] == 1.0
    assert ev["blocks"][0]["hidden_agreement"] > 0.97
    assert ev["prediction_agreement"] > 0.9
    assert abs(ev["loihi_accuracy"] - ev["float_accuracy"]) < 0.05


@needs_lava
def test_export_command_on_a_model_checkpoint(sst2_model, tmp_path, capsys):
    model = sst2_model[0]
    save_checkpoint(tmp_path / "checkpoints", 150, model, meta={"model_config": config_to_dict(model.config)})
    assert export_main(["lava", "--checkpoint", str(tmp_path / "checkpoints"), "--out", str(tmp_path / "out"), "--verify"]) == 0
    out = capsys.readouterr().out
    assert out.count("Lava fixed_pt and the integer reference give identical spikes") == 2
    assert out.count("2 of 128 cores") == 2  # a small model's island and its readout relay: one core each
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["block0.loihi.json", "block1.loihi.json", "islands.json"]


def test_island_nir_files_import_into_snntorch(sst2_model, tmp_path, capsys):
    "A trained model's islands learn a threshold per neuron: written for snnTorch, snnTorch reads them and agrees."
    import contextlib, io
    import nir
    from snntorch.import_nir import import_from_nir
    from snn_lab.loihi_islands import model_islands
    from snn_lab.nirgraph import snntorch_sequence
    model = sst2_model[0]
    save_checkpoint(tmp_path / "checkpoints", 150, model, meta={"model_config": config_to_dict(model.config)})
    assert export_main(["nir", "--checkpoint", str(tmp_path / "checkpoints"), "--out", str(tmp_path / "out"),
                        "--reader", "snntorch", "--verify"]) == 0
    assert capsys.readouterr().out.count("gives identical outputs") == 2
    for block, island in enumerate(model_islands(model)):
        assert island.layers[1].v_threshold.unique().numel() > 1  # per-neuron thresholds: the case snnTorch refuses
        with contextlib.redirect_stdout(io.StringIO()):
            theirs = import_from_nir(nir.read(str(tmp_path / "out" / f"block{block}.nir")))
        x = (torch.rand(3, 20, island.layers[0].in_features, generator=torch.Generator().manual_seed(block)) < 0.3).float()
        with torch.no_grad():
            theirs_out, ours_out = snntorch_sequence(theirs, x), island.requires_grad_(False)(x)[0]
            # the readout is real-valued: snnTorch's one-step products and our [B, T, D] product may round differently
            assert (theirs_out - ours_out).abs().max() < 1e-5
            hidden = island.layers[1](island.layers[0](x))[0]  # the spikes into it must be the same, exactly
            assert torch.equal(hidden @ island.layers[2].weight.T, ours_out)
            assert torch.equal(torch.stack([hidden[:, t] @ island.layers[2].weight.T for t in range(20)], 1), theirs_out)


def test_calibrated_exponents_fit_and_follow_the_float_model(sst2_model):
    "Per-stage exponents calibrated on SST-2 sentences: within Loihi's ranges, and no further from float than 1,024."
    from snn_lab.loihi_islands import calibrated_islands
    model, tokenizer, dev, _ = sst2_model
    calib = pad_collate([dev[i] for i in range(200, 216)], tokenizer.pad_token_id)["input_ids"]
    auto, fixed = calibrated_islands(model, calib), quantize_islands(model)
    assert all(l.vth >= f.vth for q, p in zip(auto, fixed) for l, f in zip(q.layers, p.layers))
    sentences = [dev[i] for i in range(200)]
    ev_auto, ev_fixed = (evaluate_islands(model, sentences, n, tokenizer.pad_token_id) for n in (auto, fixed))
    for a, f in zip(ev_auto["blocks"], ev_fixed["blocks"]):
        assert a["hidden_agreement"] >= f["hidden_agreement"] - 0.002, (a, f)
    batch = pad_collate(sentences[:8], tokenizer.pad_token_id)
    runs = []
    with torch.no_grad(), islands_on_loihi(model, auto, runs): model(batch["input_ids"], batch["attention_mask"])
    for run in runs: check_loihi_ranges(run.trace, None, f"block {run.block}, ")
    print("hidden agreement, 1024 vs calibrated:", [(round(f["hidden_agreement"], 4), round(a["hidden_agreement"], 4))
                                                    for a, f in zip(ev_auto["blocks"], ev_fixed["blocks"])],
          "vth:", [[l.vth for l in q.layers] for q in auto])
