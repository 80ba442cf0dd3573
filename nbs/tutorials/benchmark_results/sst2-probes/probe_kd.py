"""SST-2 probe: the SNN distilled from CNN-rand trained on the same data (from scratch, nothing outside SST-2 train).
python probe_kd.py NAME seed=S alpha=A temperature=T [key=value overrides of sst2_converged_reference]
Trains the benchmark's cnn_rand (its own settings), then the benchmark's SNN on (1 - alpha) x cross-entropy +
alpha x T^2 x KL(teacher || student) at temperature T, the teacher run on each batch; validation accuracy of both."""
import sys, json, tempfile, torch, torch.nn.functional as F
from pathlib import Path
torch.set_num_threads(1)
from snn_lab.benchmark import benchmark_config, carve_validation, benchmark_tokenizer, train_classifier, classifier_accuracy
from snn_lab.data import load_split, SST2Dataset
name, *kv = sys.argv[1:]
opts = dict(a.split("=", 1) for a in kv)
seed, alpha, temp = int(opts.pop("seed", 0)), float(opts.pop("alpha", 0.5)), float(opts.pop("temperature", 2.0))
bcfg = benchmark_config("sst2_converged_reference", [f"{k}={v}" for k, v in opts.items()])
all_train = load_split("sst2", "train")
fit_idx, valid_idx = carve_validation(all_train, bcfg.valid_sentences, bcfg.split_seed, bcfg.validation)
train_pairs = [all_train[i] for i in fit_idx]
tok = benchmark_tokenizer(bcfg, [s for s, _ in train_pairs], f"{tempfile.gettempdir()}/snn_lab-kd-tok-{bcfg.vocab_size}")
train, valid = (SST2Dataset(pairs=p, tokenizer=tok, max_len=bcfg.max_len) for p in (train_pairs, [all_train[i] for i in valid_idx]))
teacher, t_acc, t_secs = train_classifier("cnn_rand", seed, bcfg, tok, train, valid, progress=False)
teacher.eval()
def kd_loss(output, batch):
    with torch.no_grad(): t = teacher(batch["input_ids"], batch.get("attention_mask")).logits.float()
    s = output.logits.float()
    soft = F.kl_div(F.log_softmax(s / temp, -1), F.log_softmax(t / temp, -1), log_target=True, reduction="batchmean")
    return (1 - alpha) * F.cross_entropy(s, batch["label"]) + alpha * temp ** 2 * soft
student, s_acc, s_secs = train_classifier("snn", seed, bcfg, tok, train, valid, progress=False, loss_fn=kd_loss)
r = dict(name=name, kind="snn", teacher="cnn_rand", seed=seed, alpha=alpha, temperature=temp, overrides=kv,
         teacher_valid=t_acc, valid=s_acc, seconds=s_secs, teacher_seconds=t_secs)
print(json.dumps(r), flush=True)
open(Path(__file__).with_name("results_kd.jsonl"), "a").write(json.dumps(r) + "\n")
