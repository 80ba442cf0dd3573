"""Merge SST-2 benchmark runs of the same config that trained different seeds (or different models) into one results.json.

Usage: python tools/merge_benchmark_seeds.py OUT.json RUN1/results.json RUN2/results.json ... [--seed MODEL:SEED:DEV:VALID ...]

For each model (snn, ann, twin, zero_layer) the per-seed dev and validation accuracies of every run are pooled and the
mean and std recomputed (population std, as `snn_lab.benchmark` reports it); every other figure (energy, spikes,
latency, dead units) is the one of the run holding the most seeds of that model, and `measured_in` says which.
`--seed` adds a seed whose run kept only its log line (accuracies as fractions of 1)."""
import argparse, json
from pathlib import Path

import numpy as np

MODELS = ("snn", "ann", "twin", "zero_layer")


def merge(runs: dict[str, dict], extra: list[tuple[str, int, float, float]]) -> dict:
    merged = {"config": None, "runs": sorted(runs)}
    for model in MODELS:
        seeds = {}
        for path, r in runs.items():
            if model not in r: continue
            m = r[model]
            for seed, acc, valid in zip(m["seeds"], m["accuracy_per_seed"], m["valid_accuracy_per_seed"]):
                if seed in seeds: raise SystemExit(f"{model} seed {seed} appears twice ({seeds[seed][2]} and {path})")
                seeds[seed] = (acc, valid, path)
        for name, seed, acc, valid in extra:
            if name == model: seeds[seed] = (acc, valid, "log line")
        holders = [(len(r[model]["seeds"]), path) for path, r in runs.items() if model in r]
        if not holders: continue
        source = max(holders)[1]
        row = dict(runs[source][model])
        order = sorted(seeds)
        accs, valids = [seeds[s][0] for s in order], [seeds[s][1] for s in order]
        row.update(seeds=order, accuracy_per_seed=accs, valid_accuracy_per_seed=valids,
                   accuracy=float(np.mean(accs)), accuracy_std=float(np.std(accs)),
                   valid_accuracy=float(np.mean(valids)), valid_accuracy_std=float(np.std(valids)),
                   measured_in=source, seed_sources={str(s): seeds[s][2] for s in order})
        merged[model] = row
        merged["config"] = merged["config"] or runs[source]["config"]
    return merged


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out"); parser.add_argument("runs", nargs="+")
    parser.add_argument("--seed", action="append", default=[], help="MODEL:SEED:DEV:VALID for a seed kept only as a log line")
    args = parser.parse_args()
    runs = {p: json.loads(Path(p).read_text()) for p in args.runs}
    extra = [(m, int(s), float(d), float(v)) for m, s, d, v in (e.split(":") for e in args.seed)]
    merged = merge(runs, extra)
    Path(args.out).write_text(json.dumps(merged, indent=1))
    for model in MODELS:
        if model in merged:
            r = merged[model]
            print(f"{model:11s} seeds {r['seeds']}: dev {100 * r['accuracy']:.2f} ± {100 * r['accuracy_std']:.2f}%, "
                  f"validation {100 * r['valid_accuracy']:.2f} ± {100 * r['valid_accuracy_std']:.2f}%, "
                  f"dev SE {100 * r['dev_standard_error']:.2f} points")


if __name__ == "__main__":
    main()
