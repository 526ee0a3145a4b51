"""Comparisons keep peers' evidence private: only the assessments named in `evidence_of` (or "all")
carry evidence into a comparison export; by default none, only the scores."""

from __future__ import annotations

import io

import openpyxl
import pytest

from toolkit.cli import main as cli
from toolkit.engine.comparison import compare
from toolkit.errors import ToolkitError
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_document
from toolkit.reports.comparison_workbook import comparison_workbook_bytes
from toolkit.reports.sharing import evidence_owners, withhold_evidence

FILES = ("belmara-mfa-2026.json", "maravu-mfa-2025.json", "tumbaro-mfa-2025.json")
REGISTER = "Evidence register"


@pytest.fixture(scope="module")
def samples(repo_root):
    assessments = [load_document(repo_root / "sample_ministries" / name) for name in FILES]
    return assessments, find_rubric(assessments[0].rubric_id, assessments[0].rubric_version)


def evidence_values(assessment) -> set[str]:
    return {item.value or item.name for answer in assessment.answers.values() for item in answer.evidence}


def register(raw: bytes) -> tuple[list[str], set[str], dict[str, str]]:
    """The sheet names, the ministry column of the evidence register, and the summary's label/value pairs."""
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    owners = {row[0].value for row in wb[REGISTER].iter_rows(min_row=2)} if REGISTER in wb.sheetnames else set()
    summary = {row[0].value: row[1].value for row in wb["Summary"].iter_rows(max_col=2) if row[0].value}
    return wb.sheetnames, owners, summary


def all_text(raw: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    return "\n".join(str(cell.value) for ws in wb for row in ws.iter_rows() for cell in row if cell.value is not None)


def test_every_sample_has_evidence_to_keep_private(samples):
    assessments, _ = samples
    assert all(evidence_values(a) for a in assessments)


def test_by_default_no_evidence_only_scores(samples):
    assessments, rubric = samples
    raw = comparison_workbook_bytes(compare(rubric, assessments), rubric, assessments, share="all")
    sheets, owners, summary = register(raw)
    assert REGISTER not in sheets and not owners
    text = all_text(raw)
    leaked = [value for a in assessments for value in evidence_values(a) if value and value in text]
    assert leaked == []
    total = sum(len(ans.evidence) for a in assessments for ans in a.answers.values())
    assert summary["Evidence of"].startswith(f"no assessment (scores only). Each ministry's evidence is its own: "
                                             f"{total} evidence item(s)")
    assert "Ranking" in sheets  # the scores are all there


def test_one_id_carries_only_that_ministrys_evidence(samples):
    assessments, rubric = samples
    client = assessments[1]
    raw = comparison_workbook_bytes(compare(rubric, assessments), rubric, assessments, share="all",
                                    evidence_of=[client.id])
    _, owners, summary = register(raw)
    assert owners == {client.ministry.marked_name}
    text = all_text(raw)
    for peer in (assessments[0], assessments[2]):
        assert [v for v in evidence_values(peer) - evidence_values(client) if v in text] == []
    assert all(value in text for value in evidence_values(client))
    assert summary["Evidence of"].startswith(f"{client.ministry.marked_name} ({client.period}).")


def test_all_carries_everyones_evidence_within_the_sharing_level(samples):
    assessments, rubric = samples
    raw = comparison_workbook_bytes(compare(rubric, assessments), rubric, assessments, share="all", evidence_of="all")
    _, owners, _ = register(raw)
    assert owners == {a.ministry.marked_name for a in assessments}
    public = comparison_workbook_bytes(compare(rubric, assessments), rubric, assessments, share="public",
                                       evidence_of="all")
    shown = {row[9].value for row in openpyxl.load_workbook(io.BytesIO(public))[REGISTER].iter_rows(min_row=2)}
    assert shown == {"Public"}


def test_scores_do_not_depend_on_whose_evidence_is_carried(samples):
    assessments, rubric = samples
    def ranking(evidence_of):
        raw = comparison_workbook_bytes(compare(rubric, assessments), rubric, assessments, evidence_of=evidence_of)
        return [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(raw))["Ranking"].iter_rows()]
    assert ranking(None) == ranking("all")


def test_unknown_ids_are_named(samples):
    assessments, _ = samples
    with pytest.raises(ToolkitError, match="--evidence-of: 'nobody' is not among the compared assessments"):
        evidence_owners(assessments, ["nobody", assessments[0].id])
    assert evidence_owners(assessments, None) == frozenset() == evidence_owners(assessments, [])
    assert evidence_owners(assessments, ["all"]) == {a.id for a in assessments}


def test_withhold_evidence_counts_and_keeps_answers(samples):
    assessment = samples[0][0]
    bare, count = withhold_evidence(assessment)
    assert count == sum(len(ans.evidence) for ans in assessment.answers.values())
    assert not evidence_values(bare)
    assert {k: (a.level, a.value, a.na) for k, a in bare.answers.items()} == \
           {k: (a.level, a.value, a.na) for k, a in assessment.answers.items()}


@pytest.mark.parametrize(("named", "expected"), [((), set()), (("maravu-mfa-2025",), {"maravu"}), (("all",), None)])
def test_ddmt_compare_xlsx_evidence_of(repo_root, tmp_path, capsys, samples, named, expected):
    assessments, _ = samples
    out = tmp_path / "c.xlsx"
    args = ["compare", *(str(repo_root / "sample_ministries" / name) for name in FILES), "--xlsx", str(out),
            "--share", "all"]
    if named:
        args += ["--evidence-of", *named]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    assert f"evidence of: {' '.join(named) if named else 'none (scores only)'}" in printed
    _, owners, _ = register(out.read_bytes())
    if expected is None:
        assert owners == {a.ministry.marked_name for a in assessments}
    else:
        assert {name for name in owners} == {a.ministry.marked_name for a in assessments
                                             if a.ministry.id.split("-")[0] in expected}


def test_ddmt_compare_refuses_an_unknown_id_and_writes_nothing(repo_root, tmp_path, capsys):
    out = tmp_path / "c.xlsx"
    status = cli.main(["compare", *(str(repo_root / "sample_ministries" / n) for n in FILES), "--xlsx", str(out),
                       "--evidence-of", "maravu"])
    assert status == 1 and not out.exists()
    assert "--evidence-of: 'maravu' is not among the compared assessments" in capsys.readouterr().err
