"""A round started from an earlier one: answers and evidence carried, marked until confirmed or changed.

Every test runs on SQLite and on a throwaway PostgreSQL server (`tests/pg.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg import Backend

from toolkit.access.roles import AccessDenied, Principal
from toolkit.access.workspace import Workspace
from toolkit.model.assessment import Evidence, Ministry
from toolkit.store import carry
from toolkit.store.store import StorageError, Store

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_ministries" / "maravu-mfa-2025.json"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def earlier(store: Store) -> str:
    """A reviewed 2025 round of a fictional ministry, with a stored evidence file on one answer."""
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    doc["status"] = "draft"
    round_id = store.import_document(doc, user="ana")
    sha, _ = store.put_file(PNG, "chart.png", ministry_id=doc["ministry"]["id"], user="ana")
    first = next(iter(store.answers(round_id).values()))
    store.add_evidence(round_id, first.indicator_id, Evidence(kind="file", sha256=sha, name="chart.png"),
                       expected_version=first.version, user="ana")
    store.set_status(round_id, "submitted", user="ana")
    return round_id


def start(store: Store, source: str, period: str = "2026") -> str:
    ministry = store.load(source).ministry.id
    return carry.start_round_from(store, ministry, period, source_id=source, rubric_id="digital-diplomacy",
                                  rubric_version="1.0.0", user="budi", assessors=["Budi"])


def test_every_answer_is_carried_whole_with_its_evidence(store: Store, earlier: str) -> None:
    new_id = start(store, earlier)
    before, after = store.load(earlier), store.load(new_id)
    assert after.answers == before.answers  # levels, values, N/A and reasons, targets, notes, evidence
    assert after.period == "2026" and after.status == "draft" and after.rubric_version == "1.0.0"
    files = [item for answer in after.answers.values() for item in answer.evidence if item.kind == "file"]
    assert files and store.evidence_file(new_id, files[0].sha256) == PNG  # the ministry holds it: readable
    assert set(carry.carried(store, new_id)) == set(before.answers)
    assert {mark.from_period for mark in carry.carried(store, new_id).values()} == {"2025"}
    trail = store.history(new_id)
    assert sum(entry.field == "carried" and entry.indicator_id is not None for entry in trail) == len(before.answers)
    assert all(entry.new.startswith("carried from 2025") for entry in trail
               if entry.field == "carried" and entry.indicator_id)


def test_a_save_or_a_confirmation_ends_the_mark(store: Store, earlier: str) -> None:
    new_id = start(store, earlier)
    marks = carry.carried(store, new_id)
    changed, confirmed, *_ = sorted(marks)
    stored = store.get_answer(new_id, changed)
    store.save_answer(new_id, changed, {"notes": "checked again this year"}, expected_version=stored.version,
                      user="budi")
    assert carry.confirm(store, new_id, [confirmed], user="budi") == 1
    assert carry.confirm(store, new_id, [confirmed], user="budi") == 0  # already confirmed
    left = carry.carried(store, new_id)
    assert changed not in left and confirmed not in left and len(left) == len(marks) - 2
    assert store.get_answer(new_id, confirmed).version == 1  # confirming changes no answer
    assert [entry.new for entry in store.history(new_id, confirmed) if entry.field == "confirmed"] == ["confirmed"]
    # the earlier round is untouched
    assert set(carry.carried(store, earlier)) == set()
    assert store.load(earlier).status == "submitted"


def test_only_a_draft_is_confirmed(store: Store, earlier: str) -> None:
    new_id = start(store, earlier)
    store.set_status(new_id, "submitted", user="budi")
    with pytest.raises(StorageError, match="submitted"):
        carry.confirm(store, new_id, list(carry.carried(store, new_id)), user="budi")


def test_a_round_starts_only_from_its_own_ministry(store: Store, earlier: str) -> None:
    store.create_ministry(Ministry(id="other-mfa", name="Other", country="Otherland", fictional=True), user="ana")
    with pytest.raises(StorageError, match="another ministry"):
        carry.start_round_from(store, "other-mfa", "2026", source_id=earlier, rubric_id="digital-diplomacy",
                               rubric_version="1.0.0", user="budi")
    assert store.assessments("other-mfa") == []


def test_the_workspace_checks_both_rounds(store: Store, earlier: str) -> None:
    ministry = store.load(earlier).ministry.id
    viewer = Workspace(store, Principal.of("vera", [(ministry, "viewer")]))
    with pytest.raises(AccessDenied):
        viewer.start_round_from(ministry, "2026", source_id=earlier, rubric_id="digital-diplomacy",
                                rubric_version="1.0.0")
    assessor = Workspace(store, Principal.of("budi", [(ministry, "assessor")]))
    new_id = assessor.start_round_from(ministry, "2026", source_id=earlier, rubric_id="digital-diplomacy",
                                       rubric_version="1.0.0")
    assert assessor.carried(new_id)
    with pytest.raises(AccessDenied):
        viewer.confirm_carried(new_id, list(assessor.carried(new_id)))
    assert assessor.confirm_carried(new_id, list(assessor.carried(new_id))[:3]) == 3
