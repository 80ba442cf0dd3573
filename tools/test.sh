#!/usr/bin/env bash
# Everything CI checks, in order; exits non-zero on the first failure. Used by `make test` and .ci/run.
# Usage: tools/test.sh                      everything
#        tools/test.sh --notebooks NB...    only nbdev_test on those notebooks (paths from the repository root)
set -euo pipefail
# $SNN_LAB_DATA as the caller typed it is relative to the caller's folder: make it absolute before moving, so
# that every notebook (nbdev_test runs each in its own folder) and every test worker reads the same directory
if [ -n "${SNN_LAB_DATA:-}" ]; then
  if [ ! -d "$SNN_LAB_DATA" ]; then echo "tools/test.sh: \$SNN_LAB_DATA=$SNN_LAB_DATA: no such directory (from $PWD)" >&2; exit 2; fi
  export SNN_LAB_DATA=$(cd "$SNN_LAB_DATA" && pwd)
fi
cd "$(dirname "$0")/.."
export MPLBACKEND=Agg PYTHONHASHSEED=0
# the shared data sets, if the caller did not say where they are: beside the checkout, or the machine's copy
if [ -z "${SNN_LAB_DATA:-}" ]; then
  for d in ../shared/data /work/shared/data; do
    if [ -d "$d/sst2" ]; then export SNN_LAB_DATA=$(cd "$d" && pwd); break; fi
  done
fi
echo "data: ${SNN_LAB_DATA:-<none: set SNN_LAB_DATA>}"
# CI has the browser (tools/install.sh installs it): its test must run, not skip
if command -v chromium >/dev/null 2>&1; then export SNN_LAB_REQUIRE_BROWSER=1; fi
export HF_HUB_OFFLINE=${HF_HUB_OFFLINE:-1}  # tests never download: they use local data and packaged weights
step() { echo; echo "== $* ($(date +%H:%M:%S))"; }

# one torch thread per notebook worker: two workers with two threads each on two cores spin-wait and run the
# small-tensor SNN cells up to 10x slower
notebook_tests() { OMP_NUM_THREADS=${NBDEV_THREADS:-1} nbdev_test --flags "slow lava" --timing --n_workers "${NBDEV_WORKERS:-2}" "$@"; }
if [ "${1:-}" = "--notebooks" ]; then
  shift
  for nb in "$@"; do step "nbdev_test $nb"; notebook_tests --path "$nb"; done
  exit 0
fi

step "notebooks and snn_lab/ in sync (nbdev_export changes nothing)"
nbdev_export
if ! git diff --exit-code --stat -- snn_lab || [ -n "$(git ls-files --others --exclude-standard -- snn_lab)" ]; then
  echo "snn_lab/ differs from what the notebooks export: run nbdev_export and commit"; exit 1
fi

step "lines of snn_lab/ at most 120 columns (ruff E501)"
python3 tools/line_length.py

step "notebooks clean (nbdev_clean changes nothing)"
nbdev_clean
if ! git diff --exit-code --stat -- nbs; then echo "notebooks are not clean: run nbdev_clean and commit"; exit 1; fi

step "notebook tests, slow and lava cells included (nbdev_test)"
notebook_tests

step "pytest tests/"
python3 -m pytest tests -q -x --durations=10

step "docs preview (pandoc) and README"
python3 tools/build_docs.py --check
echo; echo "all checks passed"
