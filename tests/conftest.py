"""Shared test paths. Tests mirror the package: tests/core for bot/core, and so on."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
DATA_FILE = REPO / "data" / "runon.yaml"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("the review seeds (../shared/seeds) are not beside this checkout")
    return SEEDS
