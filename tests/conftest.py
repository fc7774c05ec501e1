"""Shared test paths. Tests mirror the package: tests/core for bot/core, and so on."""

import gc
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
DATA_FILE = REPO / "data" / "runon.yaml"


@pytest.fixture(autouse=True)
def _unfrozen():
    """A bot that starts freezes the heap (bot.knowledge.freeze_long_lived); the next
    test starts from a collector that sees everything again."""
    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("the review seeds (../shared/seeds) are not beside this checkout")
    return SEEDS


# Property tests: deterministic and bounded, so the default run stays fast and repeatable;
# HYPOTHESIS_PROFILE=explore searches wider with fresh random examples.
import os  # noqa: E402

from hypothesis import settings  # noqa: E402

settings.register_profile("default", deadline=None, max_examples=200, derandomize=True, database=None)  # fmt: skip
settings.register_profile("explore", deadline=None, max_examples=5000, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
