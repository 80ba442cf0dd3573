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
arch = opts.pop("arch", "")  # "cnn": Kim 2014's CNN-rand (widths 3/4/5 x 100 ReLU filters, max pool, dropout 0.5)
conv = int(opts.pop("conv", 0))  # >0: a depthwise causal convolution of this width added to the embeddings (Mamba's)
emb_std = float(opts.pop("emb_std", 0))  # >0: embeddings start N(0, emb_std^2) (CNN-rand's nn.Embedding: 1.0)
cnn_p = float(opts.pop("cnn_dropout", 0.5)); cnn_pool = opts.pop("cnn_pool", "max")  # CNN-rand's parts, one at a time
raw_in = opts.pop("raw_in", "0") == "1"  # the first block reads the embeddings without its RMSNorm (sizes kept)
in_norm = opts.pop("in_norm", "1") == "1"; in_thr = float(opts.pop("in_threshold", 0.5))  # spiking CNN's input neurons
in_levels = int(opts.pop("in_levels", 0)); filters = int(opts.pop("filters", 100))  # in_levels 0: arch's default
eval_every = int(opts.pop("eval_every", 0))  # >0: validation accuracy every this many steps (the early-stopping curve)
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
    h = _embed(self, input_ids); pool_mask = am
    if word_p and self.training:
        keep = torch.rand(input_ids.shape) >= word_p
        real = am.bool() if am is not None else torch.ones_like(keep)
        keep = keep | ((keep & real).sum(1, keepdim=True) == 0) & (torch.arange(keep.shape[1])[None] == 0)  # keep one
        h = h * keep[..., None]; pool_mask = (real & keep).long()  # the blocks keep the padding mask
    if emb_p and self.training: h = F.dropout(h, emb_p)
    out = run_blocks(self, h, am)
    if bidir and isinstance(self, M.BreakthroughSNN):
        out = 0.5 * (out + reverse_rows(run_blocks(self, reverse_rows(h, am), am), am))
    if pool == "attn":  # attention pooling: a learned query scores each real token, softmax over the sentence
        hn = self.final_norm(out)
        scores = (hn @ self.pool_query).masked_fill(~pool_mask.bool(), float("-inf")) if pool_mask is not None else hn @ self.pool_query
        z = (scores.softmax(-1)[..., None] * hn).sum(1)
    else: z = self.final_norm(M.masked_mean(out, pool_mask)) if pool == "normmean" else pool_fn(self.final_norm(out), pool_mask)
    if head_p and self.training: z = F.dropout(z, head_p)
    return M.ModelOutput(self.head(z), None)
M.BreakthroughSNN.forward = fwd; B.TransformerBaseline.forward = fwd
class KimCNN(torch.nn.Module):
    "CNN-rand (Kim 2014) at this benchmark's size: embeddings, n-gram ReLU filters, max over time, dropout, linear."
    def __init__(self, vocab, d, widths=(3, 4, 5), filters=100, p=0.5):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab, d)
        self.convs = torch.nn.ModuleList(torch.nn.Conv1d(d, filters, w, padding=w - 1) for w in widths)
        self.drop, self.head = torch.nn.Dropout(p), torch.nn.Linear(filters * len(widths), 2)
        self.rates = {}  # real tokens' firing rates of the last forward pass (spikes, or graded payload, per neuron)
    def forward(self, input_ids, attention_mask=None, *, state=None):
        x = self.embedding(input_ids).transpose(1, 2)  # [B, D, T]
        m = attention_mask if attention_mask is not None else torch.ones_like(input_ids)
        feats = []
        for c in self.convs:
            y = torch.relu(c(x))[..., : x.shape[-1]]  # causal padding; position t sees t-w+1..t
            y = y.masked_fill(~m[:, None].bool(), 0)  # ReLU >= 0, so 0 is a neutral pad for the max
            feats.append(y.amax(-1) if cnn_pool == "max" else y.sum(-1) / m.sum(1, keepdim=True).clamp(min=1))
        return M.ModelOutput(self.head(self.drop(torch.cat(feats, -1))), None)
class SpikingCNN(torch.nn.Module):
    """CNN-rand with spikes: the filters' ReLUs become binary Heaviside neurons (surrogate gradients), max over time
    is an OR (did the n-gram detector fire anywhere); `spike_in`: the embeddings reach the filters as ternary spikes
    (RMS-normalised, then bipolar neurons), so every filter operation is an accumulate of a stored weight."""
    def __init__(self, vocab, d, widths=(3, 4, 5), filters=100, p=0.5, spike_in=False, threshold=0.5, levels=1,
                 norm=True, in_threshold=0.5):
        super().__init__()
        from snn_lab.neurons import HeavisideNeuron
        from snn_lab.core import RMSNorm
        self.embedding = torch.nn.Embedding(vocab, d)
        self.spike_in = spike_in
        if spike_in:  # norm=False: N(0, 1) embeddings reach the neurons unnormalised, so a word's size sets its spikes
            if norm: torch.nn.init.normal_(self.embedding.weight, std=0.02)
            self.norm = RMSNorm(d) if norm else torch.nn.Identity()
            self.input_neurons = HeavisideNeuron(d, in_threshold, bipolar=True, levels=levels)
        self.convs = torch.nn.ModuleList(torch.nn.Conv1d(d, filters, w, padding=w - 1, bias=False) for w in widths)
        self.neurons = torch.nn.ModuleList(HeavisideNeuron(filters, threshold) for _ in widths)
        self.drop, self.head = torch.nn.Dropout(p), torch.nn.Linear(filters * len(widths), 2)
        self.rates = {}  # real tokens' firing rates of the last forward pass (spikes, or graded payload, per neuron)
    def forward(self, input_ids, attention_mask=None, *, state=None):
        x = self.embedding(input_ids)
        m = attention_mask if attention_mask is not None else torch.ones_like(input_ids)
        if self.spike_in:
            x = self.input_neurons(self.norm(x))[0]
            self.rates["input"] = (x.abs().sum(-1) * m).sum().item() / (m.sum().item() * x.shape[-1])  # payload / neuron
        x = x.transpose(1, 2)
        feats = []
        for c, n in zip(self.convs, self.neurons):
            s = n(c(x)[..., : x.shape[-1]].transpose(1, 2))[0]  # [B, T, F] spikes
            self.rates[f"filters{c.kernel_size[0]}"] = (s.sum(-1) * m).sum().item() / (m.sum().item() * s.shape[-1])
            feats.append(s.masked_fill(~m[..., None].bool(), 0).amax(1))
        return M.ModelOutput(self.head(self.drop(torch.cat(feats, -1))), None)
class TokenConv(torch.nn.Module):
    "Depthwise causal convolution over tokens, `[B, T, D]` -> `[B, T, D]`, started at zero (identity residual)."
    def __init__(self, d, width):
        super().__init__(); self.conv = torch.nn.Conv1d(d, d, width, groups=d, padding=width - 1)
        torch.nn.init.zeros_(self.conv.weight); torch.nn.init.zeros_(self.conv.bias)
    def forward(self, h): return h + self.conv(h.transpose(1, 2))[..., : h.shape[1]].transpose(1, 2)
import snn_lab.benchmark as BM
_build = BM.build_model
def build(cfg):
    if arch == "cnn":
        model = KimCNN(cfg.vocab_size, cfg.d_model, p=cnn_p)
        if emb_std: torch.nn.init.normal_(model.embedding.weight, std=emb_std)
        return model
    if arch in ("scnn", "scnn_in", "scnn_in7"):  # scnn_in7: graded input spikes, payloads -7..7
        return SpikingCNN(cfg.vocab_size, cfg.d_model, filters=filters, spike_in=arch != "scnn", norm=in_norm,
                          levels=in_levels or (7 if arch == "scnn_in7" else 1), in_threshold=in_thr)
    model = _build(cfg)
    if conv: model.token_conv = TokenConv(cfg.d_model, conv)
    if emb_std: torch.nn.init.normal_(model.embedding.weight, std=emb_std)
    if raw_in: model.blocks[0].attn_norm = torch.nn.Identity()
    if pool == "attn": model.pool_query = torch.nn.Parameter(torch.zeros(cfg.d_model))  # uniform weights at the start
    return model
BM.build_model = build
_embed = lambda self, ids: self.token_conv(self.embedding(ids)) if hasattr(self, "token_conv") else self.embedding(ids)
all_train, dev_pairs = load_split("sst2", "train"), load_split("sst2", "dev")
fit_idx, valid_idx = carve_validation(all_train, bcfg.valid_sentences, bcfg.split_seed, bcfg.validation)
train_pairs = [all_train[i] for i in fit_idx]
tok = benchmark_tokenizer(bcfg, [s for s, _ in train_pairs], f"{tempfile.gettempdir()}/snn_lab-probe-tok-{bcfg.vocab_size}")
if min_words: train_pairs = [p for p in train_pairs if len(p[0].split()) >= min_words]  # long phrases only
if words_per_copy: train_pairs = [p for p in train_pairs for _ in range(max(1, round(len(p[0].split()) / words_per_copy)))]
train, valid, dev = (SST2Dataset(pairs=p, tokenizer=tok, max_len=bcfg.max_len) for p in (train_pairs, [all_train[i] for i in valid_idx], dev_pairs))
curve = []
from snn_lab.train import Callback
class ValidCurve(Callback):
    def after_step(self, learner):
        if eval_every and learner.step % eval_every == 0:
            curve.append((learner.step, classifier_accuracy(learner.model.eval(), valid, tok.pad_token_id)))
            learner.model.train()
model, vacc, secs = train_classifier(kind, seed, bcfg, tok, train, valid, progress=False, callbacks=[ValidCurve()])
rates = {}
if isinstance(model, SpikingCNN):  # firing rates over the validation sentences' real tokens
    from snn_lab.data import pad_collate
    sums, n = {}, 0
    with torch.no_grad():
        for i in range(0, len(valid), 100):
            batch = pad_collate([valid[j] for j in range(i, min(i + 100, len(valid)))], tok.pad_token_id)
            model.eval()(batch["input_ids"], batch["attention_mask"]); w = batch["attention_mask"].sum().item()
            for k, v in model.rates.items(): sums[k] = sums.get(k, 0) + v * w
            n += w
    rates = {k: v / n for k, v in sums.items()}
tr_acc = classifier_accuracy(model, torch.utils.data.Subset(train, range(0, len(train), 20)), tok.pad_token_id)
r = dict(name=name, kind=kind, seed=seed, emb_dropout=emb_p, head_dropout=head_p, pool=pool, bidir=bidir, min_words=min_words, word_dropout=word_p, words_per_copy=words_per_copy, overrides=kv, arch=arch, conv=conv, emb_std=emb_std, cnn_dropout=cnn_p, cnn_pool=cnn_pool, raw_in=raw_in, curve=curve, in_norm=in_norm, in_threshold=in_thr, in_levels=in_levels, filters=filters, rates=rates,
         valid=vacc, train_acc=tr_acc, seconds=secs, params=sum(p.numel() for p in model.parameters()))
print(json.dumps(r), flush=True)
open(Path(__file__).with_name("results.jsonl"), "a").write(json.dumps(r) + "\n")
