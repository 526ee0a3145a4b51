"""A stored round migrated to a newer rubric version: new answer versions, audit entries, nothing lost.

The toy rubric pair of `tests/data/migration/` is put in the catalogue for these tests. Every test
runs on SQLite and on a throwaway PostgreSQL server (`tests/pg.py`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg import Backend

from toolkit.access.roles import AccessDenied, Principal
from toolkit.access.workspace import Workspace
from toolkit.model import catalogue
from toolkit.model.assessment import Evidence
from toolkit.model.documents import validate_assessment
from toolkit.model.migration import MigrationError
from toolkit.store import carry
from toolkit.store import migrate as store_migrate
from toolkit.store.store import StorageError, Store

DATA = Path(__file__).parent / "data" / "migration"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64


@pytest.fixture
def toy_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "rubrics"
    folder.mkdir()
    for name in ("toy-1.0.0.json", "toy-1.1.0.json"):
        shutil.copy(DATA / name, folder / name)
    monkeypatch.setattr(catalogue, "rubric_folders", lambda: [folder])
    return folder


@pytest.fixture
def store(backend: Backend, tmp_path: Path, toy_catalogue: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def round_id(store: Store) -> str:
    doc = json.loads((DATA / "ruritania-2025.json").read_text(encoding="utf-8"))
    doc["status"] = "draft"
    round_id = store.import_document(doc, user="ana")
    sha, _ = store.put_file(PNG, "minutes.png", ministry_id="ruritania-mfa", user="ana")
    stored = store.get_answer(round_id, "a.rename")
    store.add_evidence(round_id, "a.rename", Evidence(kind="file", sha256=sha, name="minutes.png"),
                       expected_version=stored.version, user="ana")
    return round_id


def test_a_migration_writes_new_versions_and_keeps_the_old_answers(store: Store, round_id: str) -> None:
    before = store.answers(round_id)
    report = store_migrate.migrate_round(store, round_id, "1.1.0", user="budi")
    after = store.answers(round_id)
    assessment = store.load(round_id)
    assert assessment.rubric_version == "1.1.0"
    # carried unchanged: same row, same version
    assert after["a.keep"] == before["a.keep"] and after["a.hours"] == before["a.hours"]
    # mapped in place: a new version, level and target mapped
    assert after["a.remap"].version == before["a.remap"].version + 1
    assert (after["a.remap"].answer.level, after["a.remap"].answer.target) == (3, 2)
    assert after["a.remap"].updated_by == "budi"
    # moved: the whole answer under its new id at the next version, its file evidence with it
    assert after["a.renamed"].answer == before["a.rename"].answer
    assert after["a.renamed"].version == before["a.rename"].version + 1
    assert store.evidence_file(round_id, after["a.renamed"].answer.evidence[0].sha256) == PNG
    # dropped: gone from the round, kept whole in the archive
    assert set(after) == {"a.keep", "a.remap", "a.renamed", "a.hours"}
    archived = {row["indicator_id"]: row for row in store_migrate.archived(store, round_id)}
    assert set(archived) == {"a.remap", "a.rename", "a.retire", "b.kind", "b.gone"}
    assert archived["a.retire"]["answer"] == {"level": 1}
    assert archived["b.gone"]["answer"] == {"na": True, "na_reason": "No such office"}
    assert archived["a.rename"]["answer"]["evidence"][0]["sha256"] == after["a.renamed"].answer.evidence[0].sha256
    assert {row["rubric_version"] for row in archived.values()} == {"1.0.0"}
    # the audit trail says so on every changed answer and on the round
    trail = store.history(round_id)
    migrated = {entry.indicator_id for entry in trail if entry.field == "migrated"}
    assert migrated == {"a.remap", "a.renamed", "a.retire", "b.kind", "b.gone"}
    assert all("migrated from 1.0.0" in entry.new for entry in trail if entry.field == "migrated")
    assert [(entry.old, entry.new) for entry in trail if entry.field == "level" and entry.indicator_id == "a.remap"][-1] \
        == ("4", "3")
    assert any(entry.field == "rubric" and entry.new == "toy-migration 1.1.0 (migrated from 1.0.0)" for entry in trail)
    assert report.to_answer == ("a.new", "b.kind", "b.fresh")
    # and the round is a valid document of the new version
    assert validate_assessment(store.to_document(round_id)).valid


def test_only_a_draft_migrates_and_nothing_changes_otherwise(store: Store, round_id: str) -> None:
    store.set_status(round_id, "submitted", user="ana")
    before = store.answers(round_id)
    with pytest.raises(StorageError, match="submitted"):
        store_migrate.migrate_round(store, round_id, "1.1.0", user="budi")
    assert store.answers(round_id) == before and store.load(round_id).rubric_version == "1.0.0"


def test_no_way_to_the_version_asked_changes_nothing(store: Store, round_id: str, toy_catalogue: Path) -> None:
    before = store.answers(round_id)
    with pytest.raises(MigrationError, match="already uses"):
        store_migrate.migrate_round(store, round_id, "1.0.0", user="budi")
    store_migrate.migrate_round(store, round_id, "1.1.0", user="budi")
    with pytest.raises(MigrationError, match="lists no migration from version 1.1.0"):
        store_migrate.migrate_round(store, round_id, "1.0.0", user="budi")
    assert store.answers(round_id) != before  # the one migration that could, did


def test_a_carried_answer_stays_to_confirm_through_a_migration(store: Store, round_id: str) -> None:
    store.set_status(round_id, "submitted", user="ana")
    new_id = carry.start_round_from(store, "ruritania-mfa", "2026", source_id=round_id, rubric_id="toy-migration",
                                    rubric_version="1.0.0", user="budi")
    store_migrate.migrate_round(store, new_id, "1.1.0", user="budi")
    assert set(carry.carried(store, new_id)) == {"a.keep", "a.remap", "a.renamed", "a.hours"}


def test_a_round_started_from_an_older_version_is_migrated_on_the_way(store: Store, round_id: str) -> None:
    store.set_status(round_id, "submitted", user="ana")
    new_id = carry.start_round_from(store, "ruritania-mfa", "2026", source_id=round_id, rubric_id="toy-migration",
                                    rubric_version="1.1.0", user="budi")
    answers = store.load(new_id).answers
    assert set(answers) == {"a.keep", "a.remap", "a.renamed", "a.hours"}
    assert answers["a.remap"].level == 3 and answers["a.keep"] == store.load(round_id).answers["a.keep"]
    assert store.history(new_id, "a.renamed")[0].new == f"carried from 2025 ({round_id}), migrated from 1.0.0"
    assert validate_assessment(store.to_document(new_id)).valid


def test_migrating_needs_the_assessor_role(store: Store, round_id: str) -> None:
    viewer = Workspace(store, Principal.of("vera", [("ruritania-mfa", "viewer")]))
    with pytest.raises(AccessDenied):
        viewer.migrate(round_id, "1.1.0")
    assert store.load(round_id).rubric_version == "1.0.0"
    assessor = Workspace(store, Principal.of("budi", [("ruritania-mfa", "assessor")]))
    assert assessor.migrate(round_id, "1.1.0").target_version == "1.1.0"
