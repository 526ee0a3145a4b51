"""The assess page of a round on an older rubric version (AppTest): "this round uses rubric 1.0.0" and
the Migrate action, for the assessor or admin roles only, in English and Indonesian.

The toy rubric pair of `tests/data/migration/` is added to the catalogue beside the shipped rubrics.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ui_support import ASSESS, app_script, fresh_store, seeded_template, start, texts, ui_data  # noqa: F401

from toolkit.model import catalogue

DATA = Path(__file__).parent / "data" / "migration"
ROUND = "ruritania-mfa-2025"


@pytest.fixture
def toy_round(ui_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    folder = tmp_path / "toy-rubrics"
    folder.mkdir()
    for name in ("toy-1.0.0.json", "toy-1.1.0.json"):
        shutil.copy(DATA / name, folder / name)
    shipped = catalogue.rubric_folders()
    monkeypatch.setattr(catalogue, "rubric_folders", lambda: [*shipped, folder])
    doc = json.loads((DATA / "ruritania-2025.json").read_text(encoding="utf-8"))
    store = fresh_store()
    store.import_document(doc, user="ana")  # arrives as a draft
    store.close()
    return ROUND


def test_an_older_round_offers_migrate_and_the_answers_move(toy_round: str, app_script: Path) -> None:
    at = start(app_script, ASSESS, assessment=toy_round, user="Desk officer")
    assert not at.exception
    assert "This round uses rubric 1.0.0." in texts(at)
    button = at.button(key=f"assess_migrate_{toy_round}")
    assert button.label == "Migrate to 1.1.0"
    button.click().run()
    assert not at.exception
    assert "Migrated to 1.1.0: 2 answers kept, 2 remapped, 3 dropped, 3 indicators to answer." in texts(at)
    assert "This round uses rubric 1.0.0." not in texts(at)
    stored = fresh_store()
    assert stored.load(toy_round).rubric_version == "1.1.0"
    assert stored.get_answer(toy_round, "a.remap").answer.level == 3
    assert any(entry.new == "migrated from 1.0.0" for entry in stored.history(toy_round, "a.remap"))


def test_in_indonesian_and_a_submitted_round_is_reopened_first(toy_round: str, app_script: Path) -> None:
    at = start(app_script, ASSESS, assessment=toy_round, user="Desk officer", language="id")
    assert "Putaran ini memakai rubrik versi 1.0.0." in texts(at)
    assert at.button(key=f"assess_migrate_{toy_round}").label == "Migrasikan ke 1.1.0"
    store = fresh_store()
    store.set_status(toy_round, "submitted", user="ana")
    at.run()
    assert "Putaran ini memakai rubrik versi 1.0.0." in texts(at)
    assert not [button for button in at.button if button.key == f"assess_migrate_{toy_round}"]
    assert ("Hanya putaran draf yang dapat dimigrasikan: buka kembali putaran ini sebagai versi baru terlebih "
            "dahulu.") in texts(at)
