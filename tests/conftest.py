"""Shared fixtures: the seed responses and one scan of them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"

#: Set NCCD_UPDATE_GOLDEN=1 to rewrite golden files after an intended change.
UPDATE_GOLDEN = os.environ.get("NCCD_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def seeds_result():
    """``nccd.scan`` of the seed responses as they stand, no manifest, from the repo root."""
    import nccd

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        return nccd.scan(["fixtures/seeds"])
    finally:
        os.chdir(here)


def check_golden(name: str, actual: str) -> None:
    """Compare ``actual`` with ``tests/golden/NAME`` (or rewrite it when asked)."""
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {name} was missing and has been written: check it in")
    assert actual == path.read_text(encoding="utf-8")
