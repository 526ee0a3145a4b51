"""Shared fixtures: where the repository's rubrics, samples and test data live."""

from __future__ import annotations

from pathlib import Path

import pytest
from pg import backend, postgres  # noqa: F401  (fixtures: each store test on SQLite and on PostgreSQL)

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA
