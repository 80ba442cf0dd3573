"""NIR export/import: round trip through a `.nir` file, and spike-exact interop with snnTorch in both directions."""
import contextlib
import io

import numpy as np
import pytest
import torch
from torch import nn

from snn_lab.neurons import LIF, CubaLIF, HeavisideNeuron
from snn_lab.nirgraph import (FeedForwardSNN, euler_decay, euler_tau, feedforward_snn, from_nir, load_feedforward, load_nir,
                              save_feedforward, save_nir, snntorch_sequence, to_nir, fold_graph, READER_FOLDS)


def random_net(seed: int) -> FeedForwardSNN:
    "A 3-population network of LIF and CUBA neurons with per-neuron time constants and thresholds."
    g = torch.Generator().manual_seed(seed)
    rand = lambda *s: torch.rand(*s, generator=g)
    net = FeedForwardSNN(nn.Linear(7, 12, bias=False), LIF(12, tau_mem=rand(12) * 15 + 2, v_threshold=rand(12) + 0.3, reset="zero"),
                         nn.Linear(12, 9), CubaLIF(9, tau_syn=rand(9) * 4 + 1, tau_mem=rand(9) * 10 + 2, v_threshold=rand(9) + 0.3, reset="zero"),
                         nn.Linear(9, 3), LIF(3, tau_mem=5.0, v_threshold=0.4, reset="zero"))
    with torch.no_grad():
        for layer in net.layers:
            if isinstance(layer, nn.Linear):
                layer.weight.copy_(torch.randn(layer.weight.shape, generator=g) * 0.6 + 0.15)
                if layer.bias is not None: layer.bias.copy_(torch.randn(layer.bias.shape, generator=g) * 0.1)
    return net.requires_grad_(False)


def spikes_in(seed: int, B=5, T=80, D=7) -> torch.Tensor:
    return (torch.rand(B, T, D, generator=torch.Generator().manual_seed(seed)) < 0.3).float()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_round_trip_through_a_file_gives_identical_spikes(tmp_path, seed):
    net = random_net(seed)
    back = load_nir(save_nir(net, tmp_path / "net.nir")).requires_grad_(False)
    x = spikes_in(seed)
    assert net(x)[0].sum() > 0
    assert all(torch.equal(a, b) for a, b in zip(populations(net, x), populations(back, x)))  # every population


def populations(net: FeedForwardSNN, x: torch.Tensor) -> list[torch.Tensor]:
    "The spikes of every population of `net`, in order."
    out = []
    for layer in net.layers:
        x = layer(x) if isinstance(layer, nn.Linear) else layer(x)[0]
        if not isinstance(layer, nn.Linear): out.append(x)
    return out


def test_graph_records_the_parameters_a_reader_needs():
    net = random_net(0)
    graph = to_nir(net)
    lif, cuba = graph.nodes["1"], graph.nodes["3"]
    assert np.array_equal(lif.v_threshold, net.layers[1].v_threshold.numpy())
    # an Euler reader (snnTorch) recovers our decay; for these time constants (beta >= 0.6) bit for bit
    assert np.array_equal(euler_decay(lif.tau, graph.metadata["dt"]), net.layers[1].neuron_parameters().beta.numpy())
    np.testing.assert_allclose(cuba.w_in * 1e-4 / cuba.tau_syn, 1, rtol=1e-6)
    np.testing.assert_allclose(cuba.r * 1e-4 / cuba.tau_mem, 1, rtol=1e-6)


def test_euler_tau_is_exact_where_float32_allows():
    beta = np.linspace(0.8, 0.99, 5000, dtype=np.float32)
    assert np.array_equal(euler_decay(euler_tau(beta, 1e-4), 1e-4), beta)


def test_unsupported_things_are_refused():
    with pytest.raises(NotImplementedError, match="ternary"): to_nir(feedforward_snn([3, 4], bipolar=True))
    graph = to_nir(feedforward_snn([3, 4], reset="zero"))
    graph.nodes["1"].v_leak = np.ones(4, np.float32)
    with pytest.raises(NotImplementedError, match="v_leak"): from_nir(graph)
    with pytest.warns(UserWarning, match="metadata"): sub = to_nir(feedforward_snn([3, 4], reset="subtract"))
    assert from_nir(sub).layers[1].reset == "subtract"


def test_threshold_node_is_the_memoryless_neuron():
    net = feedforward_snn([4, 6], kind="heaviside", v_threshold=0.1).requires_grad_(False)
    back = from_nir(to_nir(net)).requires_grad_(False)
    assert isinstance(back.layers[1], HeavisideNeuron)
    x = spikes_in(3, D=4)
    assert torch.equal(net(x)[0], back(x)[0])


def test_input_scale_is_folded_into_the_synapses():
    "A graph whose LIF has R*dt/tau = 2 doubles the synaptic weights, which gives the same membrane."
    net = feedforward_snn([4, 5], tau_mem=6.0, reset="zero").requires_grad_(False)
    graph = to_nir(net)
    graph.nodes["1"].r = graph.nodes["1"].r * 2
    back = from_nir(graph)
    torch.testing.assert_close(back.layers[0].weight, 2 * net.layers[0].weight)


@pytest.mark.parametrize("seed", [0, 1])
def test_snn_lab_to_snntorch_identical_spikes(seed):
    from snntorch.import_nir import import_from_nir
    net = random_net(seed)
    with torch.no_grad():  # snnTorch's importer wants one threshold per population
        for layer in net.layers:
            if not isinstance(layer, nn.Linear): layer.v_threshold.fill_(0.3)
    with contextlib.redirect_stdout(io.StringIO()): theirs = import_from_nir(to_nir(net))
    x = spikes_in(seed)
    with torch.no_grad(): ours, theirs_out = net(x)[0], snntorch_sequence(theirs, x)
    assert ours.sum() > 20 and torch.equal(ours, theirs_out)


@pytest.mark.parametrize("seed", [0, 1])
def test_snntorch_to_snn_lab_identical_spikes(seed):
    import snntorch as snn
    from snntorch.export_nir import export_to_nir
    g = torch.Generator().manual_seed(seed)
    rand = lambda *s: torch.rand(*s, generator=g)
    theirs = nn.Sequential(
        nn.Linear(7, 14, bias=False), snn.Leaky(beta=rand(14) * 0.4 + 0.55, threshold=torch.full((14,), 0.6), init_hidden=True, reset_mechanism="zero", reset_delay=False),
        nn.Linear(14, 10, bias=False), snn.Synaptic(alpha=rand(10) * 0.5 + 0.3, beta=rand(10) * 0.4 + 0.5, threshold=torch.full((10,), 0.8),
                                                 init_hidden=True, reset_mechanism="zero", reset_delay=False),
        nn.Linear(10, 3, bias=False), snn.Leaky(beta=rand(3) * 0.3 + 0.6, threshold=torch.full((3,), 0.3), init_hidden=True, reset_mechanism="zero", reset_delay=False),
    ).requires_grad_(False)
    with torch.no_grad():
        for layer in theirs:
            if isinstance(layer, nn.Linear): layer.weight.copy_(torch.randn(layer.weight.shape, generator=g) * 0.7 + 0.1)
    ours = from_nir(export_to_nir(theirs, torch.rand(7))).requires_grad_(False)
    assert [type(l) for l in ours.layers] == [nn.Linear, LIF, nn.Linear, CubaLIF, nn.Linear, LIF]
    x = spikes_in(seed)
    with torch.no_grad(): expected, got = snntorch_sequence(theirs, x), ours(x)[0]
    assert expected.sum() > 20 and torch.equal(expected, got)


def test_checkpoint_round_trip(tmp_path):
    net = random_net(4)
    back = load_feedforward(save_feedforward(net, tmp_path / "ff")).requires_grad_(False)
    x = spikes_in(4)
    assert torch.equal(net(x)[0], back(x)[0])


def norse_sequence(module, x: torch.Tensor) -> torch.Tensor:
    "A Norse network over `x` `[B, T, D]`, one step at a time (`module(x_t, state) -> (out, state)`)."
    state, outs = None, []
    for t in range(x.shape[1]):
        y, state = module(x[:, t], state); outs.append(y)
    return torch.stack(outs, 1)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_per_neuron_thresholds_folded_for_snntorch(seed, tmp_path):
    "snnTorch refuses per-neuron thresholds; the file written for it (`reader='snntorch'`) gives snn_lab's spikes."
    import nir
    from snntorch.import_nir import import_from_nir
    net, x = random_net(seed), spikes_in(seed)
    with contextlib.redirect_stdout(io.StringIO()):
        with pytest.raises(AssertionError, match="same for all neurons"): import_from_nir(to_nir(net))
        theirs = import_from_nir(nir.read(str(save_nir(net, tmp_path / "net.nir", reader="snntorch"))))
    with torch.no_grad(): ours, got = net(x)[0], snntorch_sequence(theirs, x)
    assert ours.sum() > 20 and torch.equal(ours, got)
    with torch.no_grad(): assert torch.equal(load_nir(tmp_path / "net.nir")(x)[0], ours)  # snn_lab reads it too


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_lif_r_folded_for_norse(seed):
    "Norse ignores a LIF node's r; with r folded into the weights (`reader='norse'`) it gives snn_lab's spikes."
    from norse.torch.utils.import_nir import from_nir as norse_from_nir
    net, x = random_net(seed), spikes_in(seed)
    graph = to_nir(net)
    with torch.no_grad():
        ours = net(x)[0]
        folded = norse_sequence(norse_from_nir(fold_graph(graph, **READER_FOLDS["norse"]), dt=1e-4), x)
        unfolded = norse_sequence(norse_from_nir(graph, dt=1e-4, ignore_warnings=True), x)
    assert ours.sum() > 20 and torch.equal(folded, ours)
    assert not torch.equal(unfolded, ours)  # the control: without folding Norse scales every LIF input by dt/tau


def test_folding_refuses_what_it_cannot_fold():
    with pytest.raises(ValueError, match="no Linear or Affine node before it"):
        fold_graph(to_nir(FeedForwardSNN(LIF(3, v_threshold=torch.tensor([0.5, 1.0, 2.0])))))
    with pytest.raises(ValueError, match="reader 'brian'"): save_nir(random_net(0), "x.nir", reader="brian")


def recurrent_net(seed: int, recurrent_bias: bool = False) -> FeedForwardSNN:
    "Two recurrent populations, LIF (per-neuron thresholds) then CubaLIF (the output), with strong loops."
    from snn_lab.nirgraph import RecurrentPopulation
    g = torch.Generator().manual_seed(seed)
    rand = lambda *s: torch.rand(*s, generator=g)
    def loop(neurons, bias=False):
        synapses = nn.Linear(neurons.n_neurons, neurons.n_neurons, bias=bias)
        with torch.no_grad():
            synapses.weight.copy_(torch.randn(synapses.weight.shape, generator=g) * 0.8)
            if bias: synapses.bias.copy_(torch.randn(synapses.bias.shape, generator=g) * 0.2)
        return RecurrentPopulation(neurons, synapses)
    net = FeedForwardSNN(nn.Linear(7, 12, bias=False),
                         loop(LIF(12, tau_mem=rand(12) * 15 + 2, v_threshold=rand(12) + 0.3, reset="zero")),
                         nn.Linear(12, 9),
                         loop(CubaLIF(9, tau_syn=rand(9) * 4 + 1, tau_mem=rand(9) * 10 + 2, v_threshold=0.5, reset="zero"),
                              recurrent_bias))
    with torch.no_grad():
        for layer in (net.layers[0], net.layers[2]):
            layer.weight.copy_(torch.randn(layer.weight.shape, generator=g) * 0.6 + 0.15)
    return net.requires_grad_(False)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recurrent_graph_round_trips_and_norse_reads_it(seed, tmp_path):
    "A NIR cycle (population -> its synapses -> population): our file and Norse give every spike; cutting it changes them."
    import nir
    from norse.torch.utils.import_nir import from_nir as norse_from_nir
    net, x = recurrent_net(seed), spikes_in(seed)
    with torch.no_grad():
        ours = net(x)[0]
        assert torch.equal(load_nir(save_nir(net, tmp_path / "net.nir"))(x)[0], ours)
        assert torch.equal(load_feedforward(save_feedforward(net, tmp_path / "ff"))(x)[0], ours)
        graph = fold_graph(to_nir(net), **READER_FOLDS["norse"])
        assert torch.equal(norse_sequence(norse_from_nir(graph, dt=1e-4), x), ours)
        graph.nodes = {k: v for k, v in graph.nodes.items() if not k.endswith(".rec")}
        graph.edges = [e for e in graph.edges if not any(n.endswith(".rec") for n in e)]
        assert not torch.equal(norse_sequence(norse_from_nir(graph, dt=1e-4), x), ours)  # the control: no loops
    assert ours.sum() > 20


def test_recurrent_bias_is_delivered_before_the_first_step():
    "snn_lab (and snnTorch's RLeaky) feed W·0 + b at the first step; dropping that changes the spikes."
    net, x = recurrent_net(5, recurrent_bias=True), spikes_in(5)
    pop = net.layers[3]
    with torch.no_grad():
        current = net.layers[2](net.layers[1](net.layers[0](x))[0])
        spikes = pop(current)[0]
        s, v, by_hand = torch.zeros(5, 9), None, []
        for t in range(x.shape[1]):
            s, v = pop.neurons.step(current[:, t] + pop.recurrent(s), v); by_hand.append(s)
    assert torch.equal(torch.stack(by_hand, 1), spikes)


def test_snntorch_rleaky_reads_into_snn_lab():
    import snntorch as snn
    from snntorch.export_nir import export_to_nir
    torch.manual_seed(7)
    theirs = nn.Sequential(nn.Linear(7, 10), snn.RLeaky(beta=torch.rand(10) * 0.5 + 0.45, threshold=torch.full((10,), 0.5),
                                                        linear_features=10, all_to_all=True, init_hidden=True,
                                                        reset_mechanism="zero", reset_delay=False)).requires_grad_(False)
    theirs[1].recurrent.weight.mul_(3)
    x = spikes_in(7)
    with torch.no_grad():
        expected = snntorch_sequence(theirs, x)
        assert expected.sum() > 20 and torch.equal(from_nir(export_to_nir(theirs, torch.rand(7)))(x)[0], expected)


def test_recurrent_export_cli(tmp_path, capsys):
    "snn-lab export nir on a recurrent checkpoint: verified for snn_lab and Norse; one-line refusal for snnTorch."
    from snn_lab.cli import main
    ckpt = save_feedforward(recurrent_net(3), tmp_path / "rec")
    assert main(["export", "nir", "--checkpoint", str(ckpt), "--out", str(tmp_path), "--verify"]) == 0
    assert "identical spikes" in capsys.readouterr().out
    assert main(["export", "nir", "--checkpoint", str(ckpt), "--out", str(tmp_path), "--reader", "snntorch"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "recurrent weights" in err
