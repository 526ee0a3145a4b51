"""The consultant workbook of one assessment, reopened with openpyxl and checked cell by cell."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import math
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, RadarChart

from toolkit.engine.roadmap import AnswerGroup, plan, roadmap
from toolkit.engine.scoring import score
from toolkit.i18n import t
from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_document
from toolkit.model.rubric import text_in
from toolkit.reports.assessment_workbook import (
    assessment_workbook_bytes,
    build_assessment_workbook,
    write_assessment_workbook,
)
from toolkit.reports.model import STYLES
from toolkit.safe import CUT_MARKER, EXCEL_CELL_LIMIT

SAMPLE = "sample_ministries/belmara-mfa-2026.json"
DAY = dt.date(2026, 11, 1)
SHEETS = {
    "en": ["Summary", "Dimensions", "Indicators", "Evidence register", "Roadmap", "Methodology", "Data"],
    "id": ["Ringkasan", "Dimensi", "Indikator", "Daftar bukti", "Peta jalan", "Metodologi", "Data"],
}


@pytest.fixture(scope="module")
def sample(repo_root):
    assessment = load_document(repo_root / SAMPLE)
    return assessment, find_rubric(assessment.rubric_id, assessment.rubric_version)


@pytest.fixture(scope="module")
def workbooks(sample, tmp_path_factory):
    """The sample's workbook in both languages, every evidence item shown, reopened."""
    assessment, rubric = sample
    books = {}
    for lang in ("en", "id"):
        path = tmp_path_factory.mktemp("wb") / f"report-{lang}.xlsx"
        write_assessment_workbook(assessment, rubric, path, lang=lang, share="all", generated=DAY)
        books[lang] = openpyxl.load_workbook(path)
    return books


def pairs(ws) -> dict[str, object]:
    """Summary-style label (column A) -> value (column B)."""
    return {row[0].value: row[1].value for row in ws.iter_rows(min_col=1, max_col=2) if row[0].value}


def header(ws, row: int = 1) -> list[object]:
    return [cell.value for cell in ws[row] if cell.value is not None]


def column(ws, name: str) -> int:
    return header(ws).index(name) + 1


# ------------------------------------------------------------------------------------------ shape

@pytest.mark.parametrize("lang", ["en", "id"])
def test_sheets_in_both_languages(workbooks, lang):
    assert workbooks[lang].sheetnames == SHEETS[lang]


def test_named_styles_are_defined_once_and_used(workbooks):
    wb = workbooks["en"]
    names = [name for name in wb.named_styles if name != "Normal"]
    assert names == list(STYLES)  # every catalogue style, once
    ind = wb["Indicators"]
    assert {cell.style for cell in ind[1]} == {"header"}
    assert ind.cell(row=2, column=column(ind, "Claimed")).style == "score"
    assert ind.cell(row=2, column=column(ind, "Claimed")).number_format == "0.0"
    dims = wb["Dimensions"]
    assert dims.cell(row=2, column=column(dims, "Completeness")).number_format == "0%"


def test_no_cell_holds_a_formula(workbooks):
    for wb in workbooks.values():
        for ws in wb:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate)


@pytest.mark.parametrize(("sheet", "frozen"), [
    ("Dimensions", "B2"), ("Indicators", "D2"), ("Evidence register", "C2"), ("Roadmap", "D2"), ("Data", "A2"),
])
def test_frozen_headers(workbooks, sheet, frozen):
    assert workbooks["en"][sheet].freeze_panes == frozen


def test_columns_are_sized(workbooks):
    ind = workbooks["en"]["Indicators"]
    assert ind.column_dimensions["C"].width == 44
    assert workbooks["en"]["Summary"].column_dimensions["B"].width == 80


def test_print_settings_and_header_footer(workbooks, sample):
    assessment, _ = sample
    for ws in workbooks["en"]:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert assessment.ministry.name in ws.oddHeader.center.text
        assert assessment.period in ws.oddHeader.center.text
        assert ws.oddFooter.left.text == t("xl_footer_all", "en")
        assert ws.oddFooter.right.text == "&P / &N"
        expected = "portrait" if ws.title == "Summary" else "landscape"
        assert ws.page_setup.orientation == expected
    assert workbooks["en"]["Indicators"].print_title_rows == "$1:$1"


# ---------------------------------------------------------------------------------------- summary

def test_summary_states_the_scores(workbooks, sample):
    assessment, rubric = sample
    record = score(rubric, [assessment]).to_records()[0]
    summary = pairs(workbooks["en"]["Summary"])
    overall = record["overall"]
    assert summary["Overall score"] == pytest.approx(overall["score"], abs=1e-12)
    assert summary["Evidence-backed score"] == pytest.approx(overall["evidence_score"], abs=1e-12)
    assert summary["Completeness"] == pytest.approx(overall["completeness"], abs=1e-12)
    assert 0 < summary["Evidence coverage"] <= 1
    assert summary["Stage"] == text_in(rubric.stages[[s.id for s in rubric.stages].index(overall["stage"])].label, "en")
    assert summary["Ministry"] == assessment.ministry.name
    assert summary["Period"] == assessment.period
    assert summary["Rubric"].startswith(f"{rubric.id} {rubric.version}")
    assert summary["Status"] == "Draft"
    assert summary["Report generated"] == "1 November 2026"  # in words, as the PDF report dates it
    assert summary["Left out of this copy"] == t("xl_left_out_none", "en")
    assert summary["Confidentiality"] == t("xl_confidential_all", "en")
    ws = workbooks["en"]["Summary"]
    assert ws["A1"].value == "Assessment report" and ws["A1"].style == "title"
    assert ws["B" + str(_row_of(ws, "Overall score"))].number_format == "0.0"
    texts = [cell.value for cell in ws["A"] if cell.value]
    assert t("xl_fictional", "en") in texts
    assert "A5:B5" in {str(r) for r in ws.merged_cells.ranges}


def test_summary_in_indonesian(workbooks):
    summary = pairs(workbooks["id"]["Ringkasan"])
    assert "Skor keseluruhan" in summary and "Tingkat berbagi" in summary
    assert summary["Status"] == "Draf"
    assert summary["Laporan dibuat"] == "1 November 2026"
    assert workbooks["id"]["Ringkasan"]["A3"].value == "Kematangan diplomasi digital kementerian luar negeri"


def test_no_fictional_line_for_a_real_ministry(sample):
    assessment, rubric = sample
    real = _replace_ministry(assessment, fictional=False)
    book, _ = build_assessment_workbook(real, rubric, generated=DAY)
    texts = [cell.value for row in book.sheet("Summary").rows for cell in row]
    assert t("xl_fictional", "en") not in texts


# ------------------------------------------------------------------------------------- dimensions

def test_dimensions_sheet_with_native_charts_and_colour_scale(workbooks, sample):
    _, rubric = sample
    ws = workbooks["en"]["Dimensions"]
    assert header(ws)[:4] == ["Dimension", "Weight", "Claimed", "Evidence-backed"]
    names = [ws.cell(row=r, column=1).value for r in range(2, 2 + len(rubric.dimensions))]
    assert names == [text_in(d.title, "en") for d in rubric.dimensions]
    kinds = sorted(type(chart).__name__ for chart in ws._charts)
    assert kinds == ["BarChart", "RadarChart"]
    for chart in ws._charts:
        assert len(chart.series) == 2
        assert chart.y_axis.scaling.min == 0 and chart.y_axis.scaling.max == 100
    radar = next(c for c in ws._charts if isinstance(c, RadarChart))
    bar = next(c for c in ws._charts if isinstance(c, BarChart))
    assert bar.type == "bar" and radar.type == "marker"  # horizontal bars keep long names readable
    last = 1 + len(rubric.dimensions)
    for chart in (radar, bar):
        assert [s.tx.strRef.f for s in chart.series] == ["'Dimensions'!C1", "'Dimensions'!D1"]
        assert [s.val.numRef.f for s in chart.series] == [f"'Dimensions'!$C$2:$C${last}",
                                                          f"'Dimensions'!$D$2:$D${last}"]
        assert chart.series[0].cat.strRef.f == f"'Dimensions'!$A$2:$A${last}"
        assert chart.x_axis.delete is False and chart.y_axis.delete is False
    rules = {str(rng.sqref): [rule.type for rule in rng.rules] for rng in ws.conditional_formatting}
    assert rules == {f"C2:D{last}": ["colorScale"]}


def test_dimension_scores_in_indonesian_use_rubric_texts(workbooks, sample):
    _, rubric = sample
    ws = workbooks["id"]["Dimensi"]
    assert ws["A2"].value == text_in(rubric.dimensions[0].title, "id")
    assert header(ws)[2:4] == ["Klaim", "Berbasis bukti"]


# ------------------------------------------------------------------------------------- indicators

def test_indicator_rows(workbooks, sample):
    assessment, rubric = sample
    record = score(rubric, [assessment]).to_records()[0]
    ws = workbooks["en"]["Indicators"]
    assert header(ws) == ["Dimension", "ID", "Indicator", "Level or value", "Label", "Target", "Gap", "Confidence",
                          "Evidence items", "Status", "Claimed", "Evidence-backed", "N/A reason"]
    rows = {ws.cell(row=r, column=2).value: [c.value for c in ws[r]] for r in range(2, ws.max_row + 1)}
    assert list(rows) == [indicator.id for indicator in rubric.indicators()]
    for indicator_id, item in record["indicators"].items():
        row = rows[indicator_id]
        assert row[10:12] == [_close(item["score"]), _close(item["evidence_score"])]
        assert row[8] == len(assessment.answer(indicator_id).evidence)
    first = next(rubric.indicators())
    answer = assessment.answer(first.id)
    assert rows[first.id][3] == answer.level
    assert rows[first.id][4] == rubric.level_label(answer.level, "en")
    metric = next(i for i in rubric.indicators() if i.is_metric and assessment.answer(i.id).value is not None)
    assert rows[metric.id][3] == assessment.answer(metric.id).value
    assert rows[metric.id][4] == text_in(metric.unit, "en")
    missing = [i.id for i in rubric.indicators() if assessment.answer(i.id).status == "missing"]
    assert missing and all(rows[i][9] == "Missing" for i in missing)
    assert ws.auto_filter.ref == f"A1:M{ws.max_row}"
    scales = [str(rng.sqref) for rng in ws.conditional_formatting]
    assert scales == [f"K2:L{ws.max_row}"]


# --------------------------------------------------------------------------------------- evidence

def test_evidence_register_has_working_links(workbooks, sample):
    assessment, _ = sample
    ws = workbooks["en"]["Evidence register"]
    assert header(ws) == ["ID", "Indicator", "Kind", "Description", "Value or link", "Added by", "Added at",
                          "Sensitivity"]
    items = [item for answer in assessment.answers.values() for item in answer.evidence]
    assert ws.max_row - 1 == len(items)
    links = [ws.cell(row=r, column=5) for r in range(2, ws.max_row + 1)
             if ws.cell(row=r, column=3).value == t("evidence_url", "en")]
    assert links and all(cell.hyperlink is not None and cell.hyperlink.target == cell.value for cell in links)
    assert all(cell.style == "link" for cell in links)
    others = [ws.cell(row=r, column=5) for r in range(2, ws.max_row + 1)
              if ws.cell(row=r, column=3).value != t("evidence_url", "en")]
    assert all(cell.hyperlink is None for cell in others)


def test_hostile_evidence_stays_text(sample, tmp_path):
    assessment, rubric = sample
    hostile = _with_evidence(assessment, [
        {"kind": "url", "value": "javascript:alert(1)", "description": "=HYPERLINK(\"http://evil.example\")",
         "added_by": "@attacker", "added_at": "+1", "sensitivity": "public"},
        {"kind": "url", "value": "data:text/html,<script>x</script>", "description": "-2+3", "sensitivity": "public"},
        {"kind": "text", "value": "bell\x07 and \x1b escape\r\nnext", "description": "\t=cmd", "sensitivity": "public"},
        {"kind": "text", "value": "y" * (EXCEL_CELL_LIMIT + 500), "description": "long", "sensitivity": "public"},
    ])
    path = tmp_path / "hostile.xlsx"
    write_assessment_workbook(hostile, rubric, path, share="public", generated=DAY)
    ws = openpyxl.load_workbook(path)["Evidence register"]
    cells = {ws.cell(row=r, column=4).value: [c for c in ws[r]] for r in range(2, ws.max_row + 1)}
    js = cells['=HYPERLINK("http://evil.example")']
    assert js[3].data_type == "s" and js[3].quotePrefix and js[3].style == "wrap"
    assert js[4].value == "javascript:alert(1)" and js[4].hyperlink is None
    assert js[5].value == "@attacker" and js[6].value == "+1"
    assert cells["-2+3"][4].hyperlink is None
    assert cells["\t=cmd"][4].value == "bell and  escape\nnext"
    long = cells["long"][4].value
    assert len(long) == EXCEL_CELL_LIMIT and long.endswith(CUT_MARKER)


# ---------------------------------------------------------------------------------------- roadmap

def test_roadmap_follows_the_library(workbooks, sample):
    assessment, rubric = sample
    scores = score(rubric, [assessment])
    items = plan(scores, 0)  # the one rule: real steps first, then one "answer" row per dimension
    steps = [item for item in items if not isinstance(item, AnswerGroup)]
    groups = [item for item in items if isinstance(item, AnswerGroup)]
    assert len(steps) + sum(group.count for group in groups) == len(roadmap(scores, 0))
    ws = workbooks["en"]["Roadmap"]
    assert header(ws)[:4] == ["#", "ID", "Indicator", "Action"]
    ids = [ws.cell(row=r, column=2).value for r in range(2, 2 + len(items))]
    assert ids == [step.indicator_id for step in steps] + [group.dimension_id for group in groups]
    first_improve = next(k for k, step in enumerate(steps) if step.kind == "improve" and not step.indicator.is_metric)
    metric = next((k for k, step in enumerate(steps) if step.indicator.is_metric and step.kind == "improve"), None)
    if metric is not None:  # a metric's step is the value that reaches its next goalpost band
        unit = text_in(steps[metric].indicator.unit, "en")
        assert ws[2 + metric][3].value == f"Reach {steps[metric].next_value:g} {unit}"
        assert ws[2 + metric][5].value == f"{steps[metric].next_value:g} {unit}"
    row = ws[2 + first_improve]
    step = steps[first_improve]
    assert row[3].value == "Improve"
    assert row[4].value == f"{step.level} · {rubric.level_label(step.level, 'en')}"
    assert row[5].value == f"{step.next_level} · {rubric.level_label(step.next_level, 'en')}"
    assert row[8].value == text_in(step.descriptor.descriptor, "en")
    assert row[9].value == pytest.approx(step.priority) and row[9].number_format == "0.000"
    for offset, group in enumerate(groups, start=2 + len(steps)):  # after the real steps
        title = text_in(rubric.dimensions[group.position].title, "en")
        assert ws[offset][3].value == f"Answer the {group.count} remaining indicator(s) of {title}"
        assert ws[offset][2].value == "; ".join(text_in(i.title, "en") for i in group.indicators)
    # The footnote spans the table (merged), so it prints as a line, not a strip in the # column.
    note = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == t("xl_roadmap_note", "en"))
    assert f"A{note}:J{note}" in {str(area) for area in ws.merged_cells.ranges}
    assert (ws.row_dimensions[note].height or 15) < 40


# ------------------------------------------------------------------------------- methodology, data

def test_methodology_lists_weights_formulas_and_stages(workbooks, sample):
    _, rubric = sample
    ws = workbooks["en"]["Methodology"]
    texts = [cell.value for cell in ws["A"] if isinstance(cell.value, str)]
    assert ws["A1"].value == "How the scores are computed"
    assert f"{rubric.id} {rubric.version}" in [cell.value for cell in ws["B"]]
    assert t("xl_formula_level", "en", top=rubric.max_level) in texts
    assert t("xl_cap_text", "en", cap=rubric.unsupported_cap, label=rubric.level_label(rubric.unsupported_cap, "en")) \
        in [cell.value for cell in ws["B"]]
    ids = {cell.value: cell.row for cell in ws["A"]}
    shares = [ws.cell(row=ids[i.id], column=7).value for i in rubric.indicators()]
    assert math.isclose(sum(shares), 1.0)
    assert all(stage.id for stage in rubric.stages)


def test_data_sheet_is_the_tidy_table(workbooks, sample):
    assessment, rubric = sample
    record = score(rubric, [assessment]).to_records()[0]
    ws = workbooks["id"]["Data"]
    assert header(ws) == ["assessment", "node", "depth", "score", "evidence_score", "stage", "completeness", "status"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    # xlsx keeps 16 significant digits (Excel shows 15): compare numbers to that precision.
    assert rows[0][:3] == [assessment.id, "overall", 0]
    assert rows[0][3:7] == [_close(record["overall"]["score"]), _close(record["overall"]["evidence_score"]),
                            record["overall"]["stage"], _close(record["overall"]["completeness"])]
    by_node = {row[1]: row for row in rows}
    for node_id, item in record["nodes"].items():
        assert by_node[node_id][3:] == [_close(item["score"]), _close(item["evidence_score"]), item["stage"],
                                        _close(item["completeness"]), item["status"]]


def _close(value):
    return None if value is None else pytest.approx(value, rel=1e-14)


# ------------------------------------------------------------------------------------------ other

def test_bytes_for_the_app(sample):
    assessment, rubric = sample
    data = assessment_workbook_bytes(assessment, rubric, lang="id", share="public", generated=DAY)
    assert data[:2] == b"PK"
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == SHEETS["id"]


def test_every_sample_writes(repo_root, tmp_path):
    for path in sorted((repo_root / "sample_ministries").glob("*.json")):
        assessment = load_document(path)
        rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
        out = tmp_path / f"{path.stem}.xlsx"
        write_assessment_workbook(assessment, rubric, out, lang="id", share="internal")
        # a team round has a Respondents sheet after the roadmap (tests/test_agreement.py checks it)
        team = ["Responden"] if assessment.responses else []
        expected = SHEETS["id"][:5] + team + SHEETS["id"][5:]
        assert openpyxl.load_workbook(out).sheetnames == expected


def test_ampersand_in_the_header_is_escaped(sample):
    assessment, rubric = sample
    odd = _replace_ministry(assessment, name="Foreign & Commonwealth Office")
    ws = openpyxl.load_workbook(io.BytesIO(assessment_workbook_bytes(odd, rubric)))["Indicators"]
    assert "Foreign && Commonwealth Office" in ws.oddHeader.center.text


def test_unknown_sharing_level_is_refused(sample):
    from toolkit.errors import ToolkitError
    assessment, rubric = sample
    with pytest.raises(ToolkitError, match="unknown sharing level"):
        build_assessment_workbook(assessment, rubric, share="secret")


# ---------------------------------------------------------------------------------------- helpers

def _row_of(ws, label: str) -> int:
    return next(cell.row for cell in ws["A"] if cell.value == label)


def _document(assessment: Assessment) -> dict:
    path = Path(__file__).resolve().parent.parent / SAMPLE
    return json.loads(path.read_text(encoding="utf-8"))


def _replace_ministry(assessment: Assessment, **changes) -> Assessment:
    import dataclasses
    return dataclasses.replace(assessment, ministry=dataclasses.replace(assessment.ministry, **changes))


def _with_evidence(assessment: Assessment, items: list[dict]) -> Assessment:
    doc = copy.deepcopy(_document(assessment))
    first = next(iter(doc["answers"]))
    doc["answers"][first]["evidence"] = items
    return Assessment.from_dict(doc)
