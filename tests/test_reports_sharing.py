"""Sharing levels: evidence above the level is left out of every export, the scores stay the same."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.model.assessment import Evidence
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_document, validate_assessment
from toolkit.reports.assessment_workbook import assessment_workbook_bytes
from toolkit.reports.sharing import (
    DEFAULT_SHARE,
    SHARE_LEVELS,
    LeftOut,
    allowed,
    share_assessment,
    share_document,
    share_evidence,
)

SAMPLE = "sample_ministries/belmara-mfa-2026.json"
VISIBLE = {"public": {"Public"}, "internal": {"Public", "Internal"}, "all": {"Public", "Internal", "Restricted"}}


@pytest.fixture(scope="module")
def sample(repo_root):
    assessment = load_document(repo_root / SAMPLE)
    return assessment, find_rubric(assessment.rubric_id, assessment.rubric_version)


@pytest.fixture(scope="module")
def books(sample):
    assessment, rubric = sample
    return {level: openpyxl.load_workbook(io.BytesIO(assessment_workbook_bytes(assessment, rubric, share=level)))
            for level in SHARE_LEVELS}


def counts(assessment) -> dict[str, int]:
    found: dict[str, int] = {}
    for answer in assessment.answers.values():
        for item in answer.evidence:
            found[item.sensitivity] = found.get(item.sensitivity, 0) + 1
    return found


@pytest.mark.parametrize(("sensitivity", "level", "expected"), [
    ("public", "public", True), ("internal", "public", False), ("restricted", "public", False),
    ("public", "internal", True), ("internal", "internal", True), ("restricted", "internal", False),
    ("public", "all", True), ("internal", "all", True), ("restricted", "all", True),
    (None, "public", False), (None, "internal", True), ("secret", "internal", False), ("secret", "all", True),
])
def test_allowed(sensitivity, level, expected):
    assert allowed(sensitivity, level) is expected


def test_default_level_keeps_restricted_evidence_out():
    assert DEFAULT_SHARE == "internal"
    with pytest.raises(ToolkitError, match='unknown sharing level "everything"'):
        allowed("public", "everything")


def test_share_evidence_counts_by_sensitivity():
    items = [Evidence("text", "a", sensitivity=s) for s in ("public", "internal", "restricted", "restricted")]
    kept, left_out = share_evidence(items, "public")
    assert [item.value for item in kept] == ["a"]
    assert left_out == LeftOut("public", {"internal": 1, "restricted": 2}) and left_out.count == 3


def test_share_assessment_keeps_everything_else(sample):
    assessment, _ = sample
    present = counts(assessment)
    assert set(present) == {"public", "internal", "restricted"}  # the sample exercises every level
    for level, dropped in (("public", {"internal", "restricted"}), ("internal", {"restricted"}), ("all", set())):
        shared, left_out = share_assessment(assessment, level)
        assert left_out.count == sum(present[s] for s in dropped)
        assert set(counts(shared)) == set(present) - dropped
        assert shared.ministry == assessment.ministry and shared.answers.keys() == assessment.answers.keys()
        for key, answer in shared.answers.items():
            assert (answer.level, answer.value, answer.na, answer.notes) == (
                assessment.answers[key].level, assessment.answers[key].value, assessment.answers[key].na,
                assessment.answers[key].notes)


def test_public_copy_has_no_restricted_evidence_and_says_so(books, sample):
    assessment, _ = sample
    present = counts(assessment)
    for level, wb in books.items():
        ws = wb["Evidence register"]
        shown = {ws.cell(row=r, column=8).value for r in range(2, ws.max_row + 1)}
        assert shown == VISIBLE[level]
        summary = {row[0].value: row[1].value for row in wb["Summary"].iter_rows(max_col=2) if row[0].value}
        dropped = sum(n for s, n in present.items() if s.capitalize() not in VISIBLE[level])
        assert ws.max_row - 1 == sum(present.values()) - dropped
        if dropped:
            assert summary["Left out of this copy"].startswith(f"{dropped} evidence item(s)")
        else:
            assert summary["Left out of this copy"] == t("xl_left_out_none", "en")
        assert summary["Sharing level"] == t(f"xl_share_{level}", "en")
        assert summary["Confidentiality"] == t(f"xl_confidential_{level}", "en")
    public = {row[0].value: row[1].value for row in books["public"]["Summary"].iter_rows(max_col=2) if row[0].value}
    assert f"{present['internal']} Internal" in public["Left out of this copy"]
    assert f"{present['restricted']} Restricted" in public["Left out of this copy"]
    texts = " ".join(str(c.value) for row in books["public"]["Evidence register"].iter_rows() for c in row)
    restricted = [i.value for a in assessment.answers.values() for i in a.evidence if i.sensitivity != "public"]
    assert not any(value and value in texts for value in restricted)


def test_scores_are_the_same_at_every_level(books):
    def numbers(wb):
        out = []
        for title in ("Summary", "Dimensions", "Indicators", "Data"):
            for row in wb[title].iter_rows():
                out.extend(c.value for c in row if isinstance(c.value, float))
        return out
    reference = numbers(books["all"])
    assert reference
    for level in ("public", "internal"):
        assert numbers(books[level]) == reference


def test_share_document_leaves_out_evidence_and_stays_valid(repo_root):
    doc = json.loads((repo_root / SAMPLE).read_text(encoding="utf-8"))
    before = json.dumps(doc)
    total = sum(len(a.get("evidence", [])) for a in doc["answers"].values())
    public, count = share_document(doc, "public", note="Shared at level public.")
    assert json.dumps(doc) == before  # the original is untouched
    assert count == total - sum(1 for a in doc["answers"].values() for i in a.get("evidence", [])
                                if i.get("sensitivity") == "public")
    assert all(i["sensitivity"] == "public" for a in public["answers"].values() for i in a.get("evidence", []))
    assert public["notes"].endswith("\nShared at level public.")
    assert validate_assessment(public).valid
    everything, none = share_document(doc, "all", note="unused")
    assert none == 0 and everything == doc


def test_share_document_counts_unmarked_evidence_as_internal():
    doc = {"answers": {"a": {"evidence": [{"kind": "text", "value": "x"}, {"kind": "text", "value": "y",
                                                                          "sensitivity": "public"}]}}}
    shared, count = share_document(doc, "public")
    assert count == 1 and shared["answers"]["a"]["evidence"] == [{"kind": "text", "value": "y",
                                                                  "sensitivity": "public"}]
    assert "notes" not in shared
    assert share_document(doc, "internal")[1] == 0
