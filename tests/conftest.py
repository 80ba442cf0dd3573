import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    "The shared data sets: $SNN_LAB_DATA, else ../shared/data beside the repository; skip if neither exists."
    candidates = [os.environ.get("SNN_LAB_DATA"), ROOT.parent / "shared" / "data", "/work/shared/data"]
    for c in candidates:
        if c and Path(c).is_dir(): return Path(c)
    pytest.skip("no data directory: set SNN_LAB_DATA")
