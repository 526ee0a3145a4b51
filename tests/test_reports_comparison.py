"""The comparison workbook: every sample ministry, the matrix, ranks, dimension sheets, intervals."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import time

import openpyxl
import pytest

from toolkit.engine.comparison import compare
from toolkit.i18n import t
from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric, newest
from toolkit.model.documents import load_document
from toolkit.model.rubric import text_in
from toolkit.reports.comparison_workbook import (
    build_comparison_workbook,
    comparison_workbook_bytes,
    write_comparison_workbook,
)
from toolkit.reports.xlsx import _wrapped_lines

DAY = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def samples(repo_root):
    assessments = [load_document(path) for path in sorted((repo_root / "sample_ministries").glob("*.json"))]
    # every sample, on the newest rubric version among them (older rounds as migrated to it)
    rubric = newest(find_rubric(a.rubric_id, a.rubric_version) for a in assessments)
    return assessments, rubric


@pytest.fixture(scope="module")
def workbook(samples, tmp_path_factory):
    assessments, rubric = samples
    comparison = compare(rubric, assessments)
    path = tmp_path_factory.mktemp("cmp") / "comparison.xlsx"
    left_out = write_comparison_workbook(comparison, rubric, assessments, path, "en", "internal", generated=DAY,
                                         evidence_of="all")
    return openpyxl.load_workbook(path), comparison, left_out


def header(ws) -> list[object]:
    return [cell.value for cell in ws[1] if cell.value is not None]


def test_sheets(workbook, samples):
    wb, _, _ = workbook
    _, rubric = samples
    dimensions = [text_in(node.title, "en")[:31] for node in rubric.dimensions]
    assert wb.sheetnames == ["Summary", "Ranking", "Charts", *dimensions, "Evidence register", "Methodology", "Data"]
    assert [name for name in wb.named_styles if name != "Normal"][:4] == ["title", "subtitle", "header", "label"]


def test_native_charts_of_dimensions_per_ministry(workbook, samples):
    wb, comparison, _ = workbook
    _, rubric = samples
    ws = wb["Charts"]
    kinds = sorted(type(chart).__name__ for chart in ws._charts)
    assert kinds == ["BarChart", "RadarChart"]
    shown = min(8, len(comparison.assessments))
    assert all(len(chart.series) == shown for chart in ws._charts)
    assert [ws.cell(row=1 + k, column=1).value for k in range(1, 1 + len(rubric.dimensions))] == \
        [text_in(node.title, "en") for node in rubric.dimensions]
    first = comparison.assessments[comparison.order()[0]]
    assert ws.cell(row=1, column=2).value == f"{first.ministry.marked_name} ({first.period})"


def test_ranking_matrix(workbook, samples):
    wb, comparison, _ = workbook
    _, rubric = samples
    data = comparison.to_dict()
    ws = wb["Ranking"]
    dims = [text_in(node.title, "en") for node in rubric.dimensions]
    assert header(ws) == ["Rank", "Ministry", "Period", "Overall", "Evidence-backed", "Stage", "Completeness",
                          "Evidence coverage", *dims]
    assert ws.max_row >= 1 + len(data["assessments"])
    for r, item in enumerate(data["assessments"], 2):
        row = [c.value for c in ws[r]]
        assert row[0] == item["rank"]
        name = item["ministry"]["name"]
        assert row[1] == name + " †"  # every sample is fictional, and marked
        assert row[2] == item["period"]
        assert row[3] == pytest.approx(item["overall"]["score"], rel=1e-14)
        assert row[6] == pytest.approx(item["overall"]["completeness"], rel=1e-14)
        assert row[8:8 + len(dims)] == [pytest.approx(item["dimensions"][n.id], rel=1e-14) for n in rubric.dimensions]
    last = 1 + len(data["assessments"])
    scales = sorted(str(rng.sqref) for rng in ws.conditional_formatting)
    assert scales == sorted([f"D2:E{last}", f"I2:{openpyxl.utils.get_column_letter(8 + len(dims))}{last}"])
    assert all(rule.type == "colorScale" for rng in ws.conditional_formatting for rule in rng.rules)
    assert ws.freeze_panes == "C2"
    notes = [ws.cell(row=r, column=1).value for r in range(last + 2, ws.max_row + 1)]
    assert t("xl_fictional_some", "en") in notes  # after the note on the unranked draft (below 80 %)
    assert ws.cell(row=2, column=4).number_format == "0.0" and ws.cell(row=2, column=7).number_format == "0%"


def test_ranks_share_the_best_rank_on_ties(samples):
    assessments, rubric = samples
    twin = _copy(assessments[0], "twin-of-first")
    other = assessments[2]  # assessments[1], a draft below 80 % complete, has no rank on 1.1.0
    book, _ = build_comparison_workbook(compare(rubric, [assessments[0], twin, other]), rubric,
                                        [assessments[0], twin, other])
    ranks = [row[0].value for row in book.sheet("Ranking").rows[1:4]]
    assert ranks.count(ranks[0]) >= 1 and sorted(ranks)[0] == 1
    tied = [r for r in ranks if ranks.count(r) == 2]
    assert len(tied) == 2


def test_one_sheet_per_dimension(workbook, samples):
    wb, comparison, _ = workbook
    _, rubric = samples
    data = comparison.to_dict()
    node = rubric.dimensions[0]
    ws = wb[text_in(node.title, "en")[:31]]
    titles = [text_in(indicator.title, "en") for indicator in node.indicators]
    assert header(ws) == ["Rank", "Ministry", "Period", text_in(node.title, "en"), *titles]
    records = {r["assessment"]: r for r in comparison.scores.to_records()}
    for r, item in enumerate(data["assessments"], 2):
        record = records[item["assessment"]]
        values = [c.value for c in ws[r]][3:4 + len(titles)]
        expected = [record["nodes"][node.id]["score"]] + [record["indicators"][i.id]["score"] for i in node.indicators]
        assert values == [None if v is None else pytest.approx(v, rel=1e-14) for v in expected]
    assert ws.freeze_panes == "D2"
    assert [rule.type for rng in ws.conditional_formatting for rule in rng.rules] == ["colorScale"]


def test_evidence_register_respects_the_sharing_level(workbook, samples):
    wb, comparison, left_out = workbook
    assessments, _ = samples
    compared = comparison.assessments  # 1.0.0 rounds as migrated: evidence of retired answers is not compared
    ws = wb["Evidence register"]
    assert header(ws)[:3] == ["Ministry", "Period", "ID"]
    shown = {ws.cell(row=r, column=10).value for r in range(2, ws.max_row + 1)}
    assert shown == {"Public", "Internal"}
    restricted = sum(1 for a in compared for ans in a.answers.values() for i in ans.evidence
                     if i.sensitivity == "restricted")
    total = sum(len(ans.evidence) for a in compared for ans in a.answers.values())
    assert left_out.count == restricted and ws.max_row - 1 == total - restricted
    summary = {row[0].value: row[1].value for row in wb["Summary"].iter_rows(max_col=2) if row[0].value}
    assert summary["Left out of this copy"].startswith(f"{restricted} evidence item(s) ({restricted} Restricted)")
    assert summary["Assessments compared"] == str(len(assessments))
    assert summary["Report generated"] == "1 November 2026"
    assert t("xl_mixed_periods", "en") in [c.value for c in wb["Summary"]["A"]]


def test_methodology_and_data(workbook, samples):
    wb, comparison, _ = workbook
    assessments, rubric = samples
    assert wb["Methodology"]["A1"].value == "How the scores are computed"
    data = wb["Data"]
    assert data.max_row - 1 == len(assessments) * (1 + len(list(rubric.nodes())))


def test_no_formulas_and_print_settings(workbook):
    wb, _, _ = workbook
    for ws in wb:
        assert ws.page_setup.fitToWidth == 1
        assert ws.oddFooter.left.text == t("xl_footer_internal", "en")
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
            assert not [cell.coordinate for cell in row if isinstance(cell.value, str) and "None" in cell.value]


def test_a_wrapped_header_gets_the_lines_word_wrapping_needs():
    """Counting characters said 3 lines; whole words need 4, and the printed header lost its first line."""
    header = "Porsi dalam keseluruhan (semua terjawab)"
    assert -(-len(header) // 14) == 3
    assert _wrapped_lines(header, 14) == 4
    assert _wrapped_lines("a" * 30, 14) == 3  # a word longer than the line breaks inside it
    assert _wrapped_lines("", 14) == 1


def test_from_the_dict_with_intervals_in_indonesian(samples):
    """The hook for the uncertainty analysis: interval keys in the dict become columns."""
    assessments, rubric = samples
    data = copy.deepcopy(compare(rubric, assessments).to_dict())
    for item in data["assessments"]:
        score = item["overall"]["score"]
        item.update(overall_p05=score - 4, overall_p50=score, overall_p95=score + 4,
                    rank_p05=1, rank_p50=2, rank_p95=3, stage_probability={"formative": 0.25, "established": 0.75})
    raw = comparison_workbook_bytes(data, rubric, assessments, lang="id", share="public", evidence_of=["all"])
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    assert wb.sheetnames[:2] == ["Ringkasan", "Peringkat"]
    ws = wb["Peringkat"]
    cols = header(ws)
    assert cols[8:16] == ["Keseluruhan p5", "Keseluruhan p50", "Keseluruhan p95", "Peringkat p5", "Peringkat p50",
                          "Peringkat p95", "P(Pembentukan)", "P(Mapan)"]
    first = data["assessments"][0]
    assert ws.cell(row=2, column=9).value == pytest.approx(first["overall_p05"])
    assert ws.cell(row=2, column=16).value == 0.75 and ws.cell(row=2, column=16).number_format == "0%"
    assert t("xl_intervals_note", "id") in [c.value for c in wb["Ringkasan"]["A"]]
    shown = {c.value for c in wb["Daftar bukti"]["J"][1:]}
    assert shown == {"Publik"}


def test_no_interval_columns_without_intervals(workbook):
    wb, _, _ = workbook
    assert not any("p5" in str(value) for value in header(wb["Ranking"]))


def test_two_hundred_assessments_with_full_evidence_register(samples, capsys):
    """SPEC section 9 wants this under 10 s; the time is printed, not asserted (machines differ)."""
    assessments, rubric = samples
    many = [_copy(assessments[k % len(assessments)], f"copy-{k:03d}") for k in range(200)]
    compared = compare(rubric, many)  # the 1.0.0 rounds as migrated to 1.1.0
    evidence = sum(len(ans.evidence) for a in compared.assessments for ans in a.answers.values())
    start = time.perf_counter()
    raw = comparison_workbook_bytes(compared, rubric, many, share="all", evidence_of="all")
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\ncomparison workbook, 200 assessments, {evidence} evidence rows: {elapsed:.2f} s, "
              f"{len(raw) / 1e6:.1f} MB")
    wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
    assert wb["Evidence register"].max_row == evidence + 1
    assert wb["Ranking"].max_row >= 201


def _copy(assessment: Assessment, new_id: str) -> Assessment:
    import dataclasses
    return dataclasses.replace(assessment, id=new_id,
                               ministry=dataclasses.replace(assessment.ministry, id=new_id))


def test_json_roundtrip_of_samples_is_unchanged(repo_root):
    """Writing workbooks never touches the input documents."""
    path = repo_root / "sample_ministries" / "maravu-mfa-2025.json"
    before = path.read_bytes()
    assessment = load_document(path)
    rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
    comparison_workbook_bytes(compare(rubric, [assessment]), rubric, [assessment])
    assert path.read_bytes() == before and json.loads(before)["id"] == assessment.id


def test_asem_research_rubric_deep_tree_and_metrics(repo_root):
    """A rubric of four node levels and metric indicators only (minmax) writes both workbooks."""
    from toolkit.model.rubric import Rubric
    from toolkit.reports.assessment_workbook import assessment_workbook_bytes
    from toolkit.research.coinr import assessments_from_coinr, read_coinr_csv, rubric_from_coinr

    asem = repo_root / "tests" / "data" / "asem"
    imeta, idata = read_coinr_csv(asem / "ASEM_iMeta.csv", asem / "ASEM_iData.csv")
    rubric = Rubric.from_dict(rubric_from_coinr(imeta, rubric_id="asem", version="1.0.0", title="ASEM"))
    assessments = [Assessment.from_dict(doc) for doc in assessments_from_coinr(
        idata, imeta, rubric_id="asem", version="1.0.0", period="2018", date="2018-12-31")]
    comparison = compare(rubric, assessments)
    wb = openpyxl.load_workbook(io.BytesIO(comparison_workbook_bytes(comparison, rubric, assessments)))
    assert wb["Ranking"].max_row >= 1 + len(assessments)
    assert wb["Data"].max_row - 1 == len(assessments) * (1 + len(list(rubric.nodes())))
    one = openpyxl.load_workbook(io.BytesIO(assessment_workbook_bytes(assessments[0], rubric)))
    indicators = one["Indicators"]
    assert indicators.max_row - 1 == len(list(rubric.indicators()))
    assert " › " in indicators["A2"].value  # the path of nested dimensions
    assert len(one["Dimensions"]._charts) == 2
