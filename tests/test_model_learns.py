"""Issue 3's 'the model learns': a tiny BreakthroughSNN learns a task that needs token order and memory, on a CPU,
in a test-sized run (the notebook 05b_synthetic shows the longer associative-recall comparison)."""
import torch

from snn_lab.core import seed_everything
from snn_lab.model import BreakthroughSNN, ModelConfig
from snn_lab.mqar import train_synthetic
from snn_lab.synthetic import n_back


def test_tiny_snn_learns_two_back_recall():
    "Predict the token two positions back (8 symbols, chance 12.5%): only order and a memory of the past tell."
    torch.set_num_threads(min(2, torch.get_num_threads()))
    seed_everything(0)
    model = BreakthroughSNN(ModelConfig(vocab_size=8, d_model=48, n_layers=1, n_heads=4, d_state=8, mlp_ratio=2.0))
    run = train_synthetic(model, n_back, steps=300, batch_size=32, length=24, n=2, vocab_size=8)
    assert run["accuracy"] >= 0.95, run["accuracy"]
    assert run["losses"][-1] < 0.25 * run["losses"][0]
