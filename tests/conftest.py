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


@pytest.fixture(autouse=True)
def _no_configured_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own settings must never point a test at a real database or data folder."""
    monkeypatch.delenv("DDMT_DATABASE_URL", raising=False)
    monkeypatch.delenv("DDMT_DATA_DIR", raising=False)
