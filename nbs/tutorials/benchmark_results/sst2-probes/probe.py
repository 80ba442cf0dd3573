"""Quick SST-2 probes on the leak-free validation split: python probe.py NAME kind key=val ... (one job per call)."""
import sys, json, tempfile, torch, torch.nn.functional as F
from pathlib import Path
torch.set_num_threads(1)
from snn_lab.benchmark import *
from snn_lab.benchmark import benchmark_config, carve_validation, benchmark_tokenizer, train_classifier, classifier_accuracy
from snn_lab.data import load_split, SST2Dataset
from snn_lab import model as M, baseline as B
name, kind, *kv = sys.argv[1:]
opts = dict(a.split("=", 1) for a in kv)
emb_p = float(opts.pop("emb_dropout", 0)); pool = opts.pop("pool", "mean"); head_p = float(opts.pop("head_dropout", 0))
bidir = opts.pop("bidir", "0") == "1"; seed = int(opts.pop("seed", 0))
word_p = float(opts.pop("word_dropout", 0))  # DAN-style: drop whole tokens (embedding zeroed, out of the pooling)
min_words = int(opts.pop("min_words", 0)); words_per_copy = int(opts.pop("words_per_copy", 0))  # composition-focused data
bcfg = benchmark_config("sst2", [f"{k}={v}" for k, v in opts.items()])
def reverse_rows(x, mask):
    if mask is None: return x.flip(1)
    L = mask.sum(1, keepdim=True); t = torch.arange(x.shape[1])[None]
    idx = torch.where(t < L, L - 1 - t, t)
    return x.gather(1, idx[..., None].expand_as(x)) if x.dim() == 3 else x.gather(1, idx)
def pool_fn(h, mask):
    if pool == "mean": return M.masked_mean(h, mask)
    if pool in ("last", "meanlast"):  # a causal model's last real position has read the whole sentence
        last = (mask.sum(1) - 1) if mask is not None else torch.full((h.shape[0],), h.shape[1] - 1)
        z = h[torch.arange(h.shape[0]), last]
        return z if pool == "last" else 0.5 * (z + M.masked_mean(h, mask))
    m = mask[..., None].bool() if mask is not None else torch.ones_like(h[..., :1], dtype=torch.bool)
    mx = h.masked_fill(~m, -1e4).amax(1)
    return mx if pool == "max" else 0.5 * (mx + M.masked_mean(h, mask))
def run_blocks(self, h, am):
    for block in self.blocks: h, _ = (block(h, am) if isinstance(self, B.TransformerBaseline) else block(h))
    return h
def fwd(self, input_ids, attention_mask=None, *, state=None):
    am = M.check_attention_mask(attention_mask, input_ids)
    h = self.embedding(input_ids); pool_mask = am
    if word_p and self.training:
        keep = torch.rand(input_ids.shape) >= word_p
        real = am.bool() if am is not None else torch.ones_like(keep)
        keep = keep | ((keep & real).sum(1, keepdim=True) == 0) & (torch.arange(keep.shape[1])[None] == 0)  # keep one
        h = h * keep[..., None]; pool_mask = (real & keep).long()  # the blocks keep the padding mask
    if emb_p and self.training: h = F.dropout(h, emb_p)
    out = run_blocks(self, h, am)
    if bidir and isinstance(self, M.BreakthroughSNN):
        out = 0.5 * (out + reverse_rows(run_blocks(self, reverse_rows(h, am), am), am))
    z = pool_fn(self.final_norm(out), pool_mask)
    if head_p and self.training: z = F.dropout(z, head_p)
    return M.ModelOutput(self.head(z), None)
M.BreakthroughSNN.forward = fwd; B.TransformerBaseline.forward = fwd
all_train, dev_pairs = load_split("sst2", "train"), load_split("sst2", "dev")
fit_idx, valid_idx = carve_validation(all_train, bcfg.valid_sentences, bcfg.split_seed, bcfg.validation)
train_pairs = [all_train[i] for i in fit_idx]
tok = benchmark_tokenizer(bcfg, [s for s, _ in train_pairs], f"{tempfile.gettempdir()}/snn_lab-probe-tok-{bcfg.vocab_size}")
if min_words: train_pairs = [p for p in train_pairs if len(p[0].split()) >= min_words]  # long phrases only
if words_per_copy: train_pairs = [p for p in train_pairs for _ in range(max(1, round(len(p[0].split()) / words_per_copy)))]
train, valid, dev = (SST2Dataset(pairs=p, tokenizer=tok, max_len=bcfg.max_len) for p in (train_pairs, [all_train[i] for i in valid_idx], dev_pairs))
model, vacc, secs = train_classifier(kind, seed, bcfg, tok, train, valid, progress=False)
tr_acc = classifier_accuracy(model, torch.utils.data.Subset(train, range(0, len(train), 20)), tok.pad_token_id)
r = dict(name=name, kind=kind, seed=seed, emb_dropout=emb_p, head_dropout=head_p, pool=pool, bidir=bidir, min_words=min_words, word_dropout=word_p, words_per_copy=words_per_copy, overrides=kv,
         valid=vacc, train_acc=tr_acc, seconds=secs, params=sum(p.numel() for p in model.parameters()))
print(json.dumps(r), flush=True)
open(Path(__file__).with_name("results.jsonl"), "a").write(json.dumps(r) + "\n")
