"""lava-dl netx export (`snn_lab.netx`): files written by `export_netx` and read back by `read_netx` (which follows
lava-dl's `netx.hdf5.Network` rules) run spike for spike like the network written; broken files and networks netx
cannot hold are refused in one line; the Lava half of the reader's weight path agrees with lava-nc's own functions."""
from dataclasses import replace

import h5py
import numpy as np
import pytest
import torch
from torch import nn

from snn_lab.lava_shim import import_lava, lava_available
from snn_lab.loihi import LoihiLayer, LoihiNetwork, quantize, random_loihi_network, simulate
from snn_lab.netx import (NetxFormatError, dense_weights, export_netx, fit_weight_bits, netx_dense, quantize_netx,
                          read_netx)
from snn_lab.nirgraph import FeedForwardSNN, feedforward_snn

needs_lava = pytest.mark.skipif(not lava_available(), reason="lava-nc is not installed")


def spikes(n_inputs: int, seed: int = 0, batch: int = 3, steps: int = 30) -> torch.Tensor:
    return (torch.rand(batch, steps, n_inputs, generator=torch.Generator().manual_seed(seed)) < 0.35).float()


def assert_same_run(a: LoihiNetwork, b: LoihiNetwork, x: torch.Tensor) -> None:
    for pipelined in (False, True):
        ta, tb = simulate(a, x, pipelined), simulate(b, x, pipelined)
        for s, t in zip(ta.spikes, tb.spikes): assert torch.equal(s, t)
        assert (ta.readout is None and tb.readout is None) or torch.equal(ta.readout, tb.readout)
    assert all(s.sum() > 0 for s in ta.spikes), "a silent layer makes the comparison empty"


def on_netx_grid(l: LoihiLayer) -> LoihiLayer:
    "The layer with its exponent clamped to netx's [-1, 0], threshold and bias scaled with it, bias in whole a-units."
    e = min(max(l.weight_exp, -1), 0)
    bias = np.round(l.bias_mant * 2.0 ** (l.bias_exp + e - l.weight_exp - 6)).astype(np.int64)
    return replace(l, weight_exp=e, vth=max(1, round(l.vth * 2.0 ** (e - l.weight_exp))), bias_mant=bias, bias_exp=6)


@pytest.fixture
def lif_net() -> FeedForwardSNN:
    torch.manual_seed(0)
    net = feedforward_snn([12, 16, 8], tau_mem=5.0, v_threshold=0.15, reset="zero", bias=True)
    return FeedForwardSNN(*net.layers, nn.Linear(8, 3, bias=False))


@pytest.mark.parametrize("seed,sizes", [(0, [10, 12, 6]), (4, [8, 9, 7, 5]), (6, [6, 16, 4])])
def test_random_networks_round_trip(tmp_path, seed, sizes):
    net = LoihiNetwork([on_netx_grid(l).check() for l in random_loihi_network(sizes, seed).layers])
    assert_same_run(net, read_netx(export_netx(net, tmp_path / "r.net")), spikes(sizes[0], seed))


def test_quantized_feedforward_snn_round_trips(tmp_path, lif_net):
    q = quantize_netx(lif_net)
    back = read_netx(export_netx(q, tmp_path / "ff.net"))
    assert [l.weight_exp for l in q.layers] == [0, 0] and back.readout is not None
    assert_same_run(q, back, spikes(12))
    cuba = quantize_netx(feedforward_snn([12, 10, 5], kind="cuba_lif", tau_mem=5.0, tau_syn=3.0, v_threshold=0.2,
                                         reset="zero"))
    assert_same_run(cuba, read_netx(export_netx(cuba, tmp_path / "cuba.net")), spikes(12, seed=2))


def test_file_layout_is_what_lava_dl_reads(tmp_path, lif_net):
    q = quantize_netx(lif_net)
    with h5py.File(export_netx(q, tmp_path / "ff.net")) as f:
        assert sorted(f["layer"]) == ["0", "1", "2", "3"]
        assert f["layer/0/type"][0] == b"input" and f["layer/1/type"][0] == b"dense"
        n = f["layer/1/neuron"]
        assert n["type"][()] == b"CUBA" and int(n["iDecay"][()]) == q.layers[0].du + 1
        assert int(n["vDecay"][()]) == q.layers[0].dv and int(n["vThMant"][()]) == q.layers[0].vth
        assert np.array_equal(f["layer/1/weight"][()], 2 * q.layers[0].weight)  # exponent 0: a = 2 * weight
        assert np.array_equal(f["layer/1/bias"][()], q.layers[0].bias_mant)  # bias_exp 6, the reader's
        assert "neuron" not in f["layer/3"]  # the readout: lava-dl puts its default integrator there


@pytest.mark.parametrize("key", ["layer/1/neuron/vThMant", "layer/1/neuron/iDecay", "layer/1/neuron/vDecay",
                                 "layer/1/neuron/type", "layer/2/weight", "layer/2/shape", "layer/1/type"])
def test_a_dropped_key_is_named_in_one_line(tmp_path, lif_net, key):
    path = export_netx(quantize_netx(lif_net), tmp_path / "ff.net")
    with h5py.File(path, "a") as f: del f[key]
    with pytest.raises(NetxFormatError) as e: read_netx(path)
    group, name = key.rsplit("/", 1)
    assert "\n" not in str(e.value) and f"'{name}'" in str(e.value) and group in str(e.value), str(e.value)


def test_networks_netx_cannot_hold_are_refused(tmp_path, lif_net):
    with pytest.raises(NetxFormatError, match=r"layers\[0\]: netx weights"):
        export_netx(quantize(lif_net), tmp_path / "a.net")
    with pytest.raises(NetxFormatError, match="multiple of 64"):
        export_netx(random_loihi_network([10, 12, 6], 1), tmp_path / "b.net")
    layer = on_netx_grid(random_loihi_network([10, 12], 0).layers[0])
    with pytest.raises(NetxFormatError, match="rounds the summed input"):
        export_netx(LoihiNetwork([replace(layer, weight_exp=-3)]), tmp_path / "c.net")
    assert not (tmp_path / "a.net").exists()  # nothing is written before the checks pass


def test_other_layer_kinds_are_refused(tmp_path, lif_net):
    path = export_netx(quantize_netx(lif_net), tmp_path / "ff.net")
    with h5py.File(path, "a") as f:
        del f["layer/2/neuron/vDecay"]; f["layer/2/neuron"].create_dataset("vDecay", data=np.arange(8))
    with pytest.raises(NetxFormatError, match="vDecay differs between neurons"): read_netx(path)
    with h5py.File(path, "a") as f: f["layer/1/neuron"].create_dataset("messageBits", data=16)
    with pytest.raises(NetxFormatError, match="messageBits"): read_netx(path)


def test_reader_weight_path_is_exact_inside_lava_dls_range():
    g = np.random.default_rng(0)
    for _ in range(200):
        w = g.integers(-128, 128, (4, 5)) * 2 ** int(g.integers(0, 3)) // 2
        if not w.any(): continue
        fitted, e = netx_dense(w)
        assert np.array_equal(fitted * 2.0 ** e, w)


@needs_lava
def test_dense_weights_match_lava_nc():
    "The Lava half of the reader's path (sign mode, clip to 8 bits, truncate) against lava-nc's own functions."
    wu = import_lava("lava.utils.weightutils")
    g = np.random.default_rng(1)
    for _ in range(500):
        lo = int(g.integers(-300, 10))
        w = g.integers(lo, int(g.integers(lo + 1, 300)), (3, 4)) * 2 ** int(g.integers(0, 4))
        if not w.any(): continue
        fitted, bits, _ = fit_weight_bits(w)
        mode = wu.determine_sign_mode(fitted)
        lava = wu.truncate_weights(wu.clip_weights(fitted, mode, num_bits=8), mode, bits)
        assert np.array_equal(dense_weights(fitted, bits), lava), w
