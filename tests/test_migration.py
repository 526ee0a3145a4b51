"""Migrating an assessment document to a newer rubric version (SPEC 11), rule by rule, on a toy rubric pair.

`tests/data/migration/` holds two versions of a fictional rubric whose differences exercise every
rule: an id kept, a level mapping, a rename, a retired indicator, a metric kept, an indicator that
changed kind, one that vanished unlisted, and two new ones.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from toolkit.model.migration import (
    DROPPED_BY_RUBRIC,
    DROPPED_KIND_CHANGED,
    DROPPED_NOT_IN_RUBRIC,
    Dropped,
    MigrationError,
    Remapped,
    migrate_document,
)
from toolkit.model.rubric import Rubric

DATA = Path(__file__).parent / "data" / "migration"


def rubric(version: str) -> Rubric:
    return Rubric.from_dict(json.loads((DATA / f"toy-{version}.json").read_text(encoding="utf-8")))


@pytest.fixture
def document() -> dict:
    return json.loads((DATA / "ruritania-2025.json").read_text(encoding="utf-8"))


def test_every_rule_of_the_table(document):
    migrated = migrate_document(document, rubric("1.0.0"), rubric("1.1.0"))
    answers = migrated.document["answers"]
    report = migrated.report
    # carried unchanged: every field, evidence included
    assert answers["a.keep"] == document["answers"]["a.keep"]
    assert answers["a.hours"] == {"value": 6.5, "confidence": "medium"}
    # a level mapped through `levels`, the target too; the rest of the answer kept
    assert answers["a.remap"] == {"level": 3, "target": 2, "confidence": "low"}
    # a rename keeps the whole answer under the new id
    assert answers["a.renamed"] == {"level": 2, "notes": "Moves to a.renamed"}
    assert set(answers) == {"a.keep", "a.remap", "a.renamed", "a.hours"}
    assert report.carried == ("a.keep", "a.hours")
    assert report.remapped == (Remapped("a.remap", "a.remap", 4, 3), Remapped("a.rename", "a.renamed", 2, 2))
    assert report.dropped == (Dropped("a.retire", DROPPED_BY_RUBRIC), Dropped("b.kind", DROPPED_KIND_CHANGED),
                              Dropped("b.gone", DROPPED_NOT_IN_RUBRIC))
    assert report.to_answer == ("a.new", "b.kind", "b.fresh")
    assert report.changed == ("a.remap", "a.renamed")


def test_the_rest_of_the_document_stays_and_the_input_is_untouched(document):
    before = copy.deepcopy(document)
    migrated = migrate_document(document, rubric("1.0.0"), rubric("1.1.0")).document
    assert document == before
    assert migrated["rubric"] == {"id": "toy-migration", "version": "1.1.0"}
    for key in ("id", "ministry", "period", "date", "status", "assessors"):
        assert migrated[key] == document[key]


def test_answers_follow_the_new_rubric_order(document):
    migrated = migrate_document(document, rubric("1.0.0"), rubric("1.1.0")).document
    assert list(migrated["answers"]) == ["a.keep", "a.remap", "a.renamed", "a.hours"]


def test_unmapped_levels_stay(document):
    document["answers"]["a.remap"] = {"level": 1, "target": 4}
    answers = migrate_document(document, rubric("1.0.0"), rubric("1.1.0")).document["answers"]
    assert answers["a.remap"] == {"level": 1, "target": 3}


def test_respondents_answers_move_the_same_way(document):
    document["responses"] = [{"respondent": {"id": "r1", "name": "Ana"},
                              "answers": {"a.remap": {"level": 4}, "a.retire": {"level": 2}}}]
    migrated = migrate_document(document, rubric("1.0.0"), rubric("1.1.0")).document
    assert migrated["responses"][0]["answers"] == {"a.remap": {"level": 3}}


def test_refusals_name_the_reason(document):
    old, new = rubric("1.0.0"), rubric("1.1.0")
    with pytest.raises(MigrationError, match="already uses rubric"):
        migrate_document(document, new, new)
    with pytest.raises(MigrationError, match=r"lists no migration from version 1\.1\.0 \(it migrates from: 1\.0\.0\)"):
        migrate_document(document, new, Rubric.from_dict({**json.loads((DATA / "toy-1.1.0.json").read_text()),
                                                          "version": "1.2.0"}))
    with pytest.raises(MigrationError, match="lists no migration from version 1.0.0"):
        migrate_document(document, old, Rubric.from_dict({**json.loads((DATA / "toy-1.1.0.json").read_text()),
                                                          "migrations": []}))
    other = Rubric.from_dict({**json.loads((DATA / "toy-1.1.0.json").read_text()), "id": "other"})
    with pytest.raises(MigrationError, match='cannot take answers of rubric "toy-migration"'):
        migrate_document(document, old, other)


def test_report_as_json(document):
    report = migrate_document(document, rubric("1.0.0"), rubric("1.1.0")).report.to_dict()
    assert report["from"] == "1.0.0" and report["to"] == "1.1.0"
    assert report["remapped"][0] == {"from": "a.remap", "to": "a.remap", "old_level": 4, "new_level": 3}
    assert report["dropped"][0] == {"indicator": "a.retire", "reason": "retired"}


def test_a_comparison_scores_an_earlier_version_as_the_newer_takes_it(document):
    from toolkit.engine.comparison import compare
    from toolkit.model.assessment import Assessment
    from toolkit.model.migration import on_version_of

    old, new = rubric("1.0.0"), rubric("1.1.0")
    earlier = Assessment.from_dict(document)
    moved = on_version_of(new, earlier)
    on_file = Assessment.from_dict(migrate_document(document, old, new).document)
    assert moved.answers == on_file.answers and moved.rubric_version == "1.1.0"
    assert on_version_of(old, earlier) is earlier  # its own version: unchanged
    later = Assessment.from_dict({**migrate_document(document, old, new).document, "id": "ruritania-mfa-2026",
                                  "period": "2026"})
    comparison = compare(new, [earlier, later])
    (trend,) = comparison.trends()
    assert [point.period for point in trend.points] == ["2025", "2026"]
    assert trend.points[0].score == pytest.approx(trend.points[1].score)
