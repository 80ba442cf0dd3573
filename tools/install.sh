#!/usr/bin/env bash
# Install snn_lab with everything its tests, docs and apps need, into the active Python environment.
# Used by `make install`, which the README's first command and CI (.ci/run) run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

# torch: keep one that is already installed (a CUDA build on a GPU machine, say); otherwise take 2.13.0,
# which on our CPU machines is a CPU wheel on local disk (any other spec downloads a multi-GB CUDA build).
if ! "$PY" -c "import torch" 2>/dev/null; then
  "$PY" -m pip install --no-compile "torch==2.13.0"
fi

# the package itself (editable, so the notebooks and snn_lab/ stay one thing) with all optional extras; --no-compile:
# modules are byte-compiled when first imported, not all of them at install (most are never imported)
"$PY" -m pip install --no-compile -e ".[dev,lava,distill,app]"

# lava-nc 0.10.0 declares python<3.11 but runs on 3.11 with snn_lab's import shim (see DEVELOPERS.md);
# its pure dependencies come with the `lava` extra above.
"$PY" -m pip install --no-deps --ignore-requires-python "lava-nc==0.10.0"

# Norse, the second external NIR reader the interop tests check against (13_nirgraph, tests/test_nirgraph.py);
# --no-deps: it asks for torchvision, which its NIR importer does not use and which fails to import beside our CPU torch
"$PY" -m pip install --no-deps "norse==1.1.0"

# a real headless browser for the chat app's browser test (Debian's chromium); needs root and apt
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# pyenv keeps console scripts behind shims; make `snn-lab` callable at once
if command -v pyenv >/dev/null 2>&1; then pyenv rehash || true; fi
echo "snn_lab installed: $("$PY" -c 'import snn_lab; print(snn_lab.__version__, snn_lab.__file__)')"
