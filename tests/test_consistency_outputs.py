"""Consistency and sensitivity where people read them: `ddmt compare --consistency` (table, JSON, CSV,
English and Indonesian), the tidy consistency table, and the comparison workbook's Sensitivity and
Consistency sheets, reopened with openpyxl.

The toy comparison is the textbook case of tests/test_consistency.py: one dimension whose three
indicators take the levels of ITEMS across five assessments, so its Cronbach's alpha is 12/13 by
hand; a second dimension whose second indicator only one assessment answered.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import REPO

from toolkit.engine.comparison import compare
from toolkit.i18n import t
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_assessment, load_document, load_rubric
from toolkit.reports.comparison_workbook import build_comparison_workbook, comparison_workbook_bytes
from toolkit.research.consistency import WARNING_CODES, WARNINGS, consistency, warning_text
from toolkit.research.sensitivity import sensitivity
from toolkit.research.tidy import CONSISTENCY_COLUMNS, compare_json, consistency_frame, consistency_record
from toolkit.research.uncertainty import uncertainty

ITEMS = [[2, 3, 3], [4, 4, 5], [3, 3, 4], [5, 4, 4], [1, 2, 2]]
ALPHA = 12 / 13  # 3/2 * (1 - 4.5 / 11.7), see tests/test_consistency.py
SAMPLES = sorted((REPO / "sample_ministries").glob("*.json"))
PERIODS = ", ".join(sorted({json.loads(path.read_text(encoding="utf-8"))["period"] for path in SAMPLES}))


def textbook_alpha(items: list[list[float]]) -> float:
    """k/(k-1) * (1 - sum of item variances / variance of the total), variances with n - 1."""
    matrix = np.array(items, dtype=float)
    k = matrix.shape[1]
    return k / (k - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))


def _indicator(key: str) -> dict[str, Any]:
    return {"id": key, "kind": "level", "title": {"en": f"Item {key}", "id": f"Butir {key}"},
            "question": {"en": f"How is {key}?", "id": f"Bagaimana {key}?"}, "tags": ["test:toy"],
            "levels": {str(v): {"descriptor": {"en": f"{key} at {v}.", "id": f"{key} pada {v}."},
                                "evidence_hint": {"en": "A document.", "id": "Sebuah dokumen."}}
                       for v in range(6)}}


@pytest.fixture(scope="module")
def toy(tmp_path_factory) -> tuple[Path, list[Path]]:
    """The toy rubric and its five assessments as files (ministry names that look like formulas)."""
    folder = tmp_path_factory.mktemp("toy")
    rubric = {
        "kind": "rubric", "format_version": 1, "id": "toy", "version": "1.0.0",
        "title": {"en": "Toy", "id": "Mainan"}, "description": {"en": "A toy.", "id": "Mainan."},
        "languages": ["en", "id"], "normalisation": "goalposts",
        "scale": {"levels": [{"value": v, "label": {"en": str(v), "id": str(v)}} for v in range(6)]},
        "stages": [{"id": "low", "min_score": 0, "label": {"en": "Low", "id": "Rendah"}}],
        "evidence_policy": {"unsupported_cap": None},
        "dimensions": [
            {"id": "d", "title": {"en": "=Dee", "id": "=Di"}, "indicators": [_indicator(k) for k in ("q1", "q2", "q3")]},
            {"id": "e", "title": {"en": "Ee", "id": "Ii"}, "indicators": [_indicator(k) for k in ("q4", "q5")]}]}
    rubric_path = folder / "toy.json"
    rubric_path.write_text(json.dumps(rubric), encoding="utf-8")
    paths = []
    for k, (a, b, c) in enumerate(ITEMS):
        answers = {"q1": {"level": a}, "q2": {"level": b}, "q3": {"level": c}, "q4": {"level": k % 2 + 1}}
        if k == 0:
            answers["q5"] = {"level": 4}
        doc = {"kind": "assessment", "format_version": 1, "id": f"r{k}", "rubric": {"id": "toy", "version": "1.0.0"},
               "ministry": {"id": f"m{k}", "name": f"=Ministry {k}", "country": "Testland"},
               "period": "2025" if k == 0 else "2026", "date": "2026-01-01", "status": "submitted",
               "assessors": [], "answers": answers}
        path = folder / f"r{k}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        paths.append(path)
    return rubric_path, paths


@pytest.fixture(scope="module")
def toy_comparison(toy):
    rubric_path, paths = toy
    rubric = load_rubric(rubric_path)
    return compare(rubric, [load_assessment(p, rubric) for p in paths])


def ddmt(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def compare_toy(toy, *args: str | Path) -> subprocess.CompletedProcess[str]:
    rubric_path, paths = toy
    run = ddmt("compare", "--rubric", rubric_path, *paths, "--consistency", *args)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run


# --- the hand-checked case -------------------------------------------------------------------------


def test_the_toy_alpha_is_the_textbook_value(toy_comparison):
    assert textbook_alpha(ITEMS) == pytest.approx(ALPHA, rel=1e-12)
    checks = consistency(toy_comparison)
    row = checks.alpha.set_index("node").loc["d"]
    assert (row["alpha"], row["indicators"], row["assessments"]) == (pytest.approx(ALPHA, rel=1e-12), 3, 5)
    assert [(w.code, w.subject) for w in checks.warnings] == [
        ("mixed_periods", None), ("alpha_undefined", "e"), ("low_coverage", "q5")]
    assert checks.node_pairs.loc["d", "e"] == 5 and checks.indicator_pairs.loc["q1", "q5"] == 1


def test_every_warning_has_an_english_and_an_indonesian_sentence():
    values = {"n": 4, "needed": 3, "periods": "2025, 2026", "alpha": 0.5, "threshold": 0.7, "k": 3,
              "answered": 1, "total": 5, "share": 0.2, "min_share": 0.5, "min_count": 3, "node": "d", "r": -0.4}
    for code in WARNING_CODES:
        assert WARNINGS[code] == t(f"consistency_{code}", "en")
        for lang in ("en", "id"):
            text = t(f"consistency_{code}", lang, subject="X", **values)
            assert text[0].isupper() or text[0] == "“", (code, lang)
            assert text.endswith("."), (code, lang)
        assert t(f"consistency_{code}", "id", subject="X", **values) != t(f"consistency_{code}", "en",
                                                                        subject="X", **values)


def test_warnings_are_said_again_in_indonesian_with_titles(toy_comparison):
    checks = consistency(toy_comparison)
    assert checks.warning_texts("id") == [
        "Perbandingan ini mencampur periode 2025, 2026: peringkat membandingkan putaran sekaligus kementerian, "
        "dan korelasi serta alfa menghitung setiap putaran satu kementerian sebagai asesmen tersendiri.",
        "Alfa Cronbach untuk “Ii” tidak dapat dihitung: diperlukan sedikitnya 3 asesmen yang menjawab semua 2 "
        "indikatornya, sedangkan yang ada hanya 1.",
        "“Butir q5” hanya dijawab oleh 1 dari 5 asesmen (20%; diharapkan sedikitnya 50% dan 3 asesmen): "
        "korelasinya, dan alfa dimensinya, bertumpu pada sedikit jawaban."]
    assert warning_text(checks.warnings[2], "en", toy_comparison.rubric).startswith(
        "“Item q5” is answered by only 1 of 5 assessments (20%")
    assert warning_text(checks.warnings[2]) == checks.warnings[2].message.replace("Item q5", "q5")


def test_two_assessments_give_one_warning_not_one_per_dimension_and_indicator():
    rubric = find_rubric("digital-diplomacy", "1.0.0")
    checks = consistency(compare(rubric, [load_document(path) for path in SAMPLES[:2]]))
    assert [w.code for w in checks.warnings] == ["too_few_assessments", "mixed_periods"]
    assert checks.warnings[0].message == (
        "Correlations and Cronbach's alpha need at least 3 assessments and the comparison has 2, so they are "
        "left empty.")


# --- the command line ------------------------------------------------------------------------------


def test_compare_consistency_table(toy):
    out = compare_toy(toy).stdout
    assert "Consistency of the comparison: 5 assessments, periods 2025, 2026" in out
    assert "- Cronbach's alpha of “Ee” cannot be computed: it needs at least 3 assessments" in out
    assert "- “Item q5” is answered by only 1 of 5 assessments (20%;" in out
    alpha_rows = out.split("Cronbach's alpha per dimension")[1].split("\n\n")[0].splitlines()
    assert alpha_rows[1].split() == ["Dimension", "Indicators", "Assessments", "used", "Alpha"]
    assert alpha_rows[3].split() == ["=Dee", "3", "5", f"{ALPHA:.3f}"]
    assert alpha_rows[4].split() == ["Ee", "2", "1", "—"]
    matrix = out.split("Pearson correlations of the overall and dimension scores")[1].split("\n\n")[0]
    assert [line.split()[:2] for line in matrix.splitlines()[3:]] == [["1", "Overall"], ["2", "=Dee"], ["3", "Ee"]]
    coverage = out.split("Indicator coverage:")[1].splitlines()
    q5 = next(line for line in coverage if line.startswith("Item q5"))
    assert q5.split() == ["Item", "q5", "Ee", "1", "4", "0", "20%", "20%", "—"]


def test_compare_consistency_table_in_indonesian(toy):
    out = compare_toy(toy, "--lang", "id").stdout
    assert "Konsistensi perbandingan: 5 asesmen, periode 2025, 2026" in out
    assert "Peringatan\n- Perbandingan ini mencampur periode 2025, 2026:" in out
    assert "Alfa Cronbach per dimensi (listwise:" in out
    assert "- “Butir q5” hanya dijawab oleh 1 dari 5 asesmen (20%;" in out
    assert "Cakupan indikator:" in out and "r dengan dimensinya" in out
    assert "=Di" in out and "Cronbach's alpha per dimension" not in out


def test_compare_consistency_json_has_every_statistic(toy, toy_comparison):
    data = json.loads(compare_toy(toy, "--format", "json", "--lang", "id").stdout)
    found = data["consistency"]
    assert set(found) == {"assessments", "periods", "settings", "alpha", "correlations", "pairs", "coverage",
                          "warnings"}
    assert found["alpha"]["d"] == {"alpha": pytest.approx(ALPHA, rel=1e-12), "assessments": 5, "indicators": 3,
                                   "depth": 1}
    assert found["alpha"]["e"]["alpha"] is None
    scores = np.array(ITEMS, dtype=float) * 20
    assert found["correlations"]["indicators"]["q1"]["q2"] == pytest.approx(np.corrcoef(scores[:, 0], scores[:, 1])[0, 1])
    assert found["correlations"]["indicators"]["q1"]["q5"] is None and found["pairs"]["indicators"]["q1"]["q5"] == 1
    assert list(found["correlations"]["nodes"]) == ["overall", "d", "e"]
    assert set(found["correlations"]["indicator_nodes"]["q4"]) == {"overall", "d", "e"}
    assert found["coverage"]["q5"] == {"node": "e", "answered": 1, "missing": 4, "na": 0, "coverage": 0.2,
                                       "coverage_applicable": 0.2}
    assert [(w["code"], w["subject"]) for w in found["warnings"]] == [
        ("mixed_periods", None), ("alpha_undefined", "e"), ("low_coverage", "q5")]
    assert found["warnings"][1]["values"] == {"n": 1, "k": 2, "needed": 3}
    assert found["warnings"][2]["message"].startswith("“Butir q5” hanya dijawab oleh 1 dari 5 asesmen")
    assert found["settings"] == {"alpha_threshold": 0.7, "min_share": 0.5, "min_count": 3, "min_pairs": 3}
    assert found == json.loads(json.dumps(consistency_record(consistency(toy_comparison), "id")))


def test_compare_consistency_combines_with_uncertainty_and_sensitivity(toy):
    data = json.loads(compare_toy(toy, "--format", "json", "--uncertainty", "40", "--sensitivity",
                                  "--sobol-samples", "8").stdout)
    assert "overall_p50" in data["assessments"][0] and data["sensitivity"]["depth"] == 1
    assert data["consistency"]["alpha"]["d"]["alpha"] == pytest.approx(ALPHA)
    out = compare_toy(toy, "--uncertainty", "40", "--sensitivity", "--sobol-samples", "8").stdout
    assert out.index("Uncertainty: 40 draws") < out.index("Leave-one-out") < out.index("Consistency of the comparison")


def test_compare_consistency_csv(toy):
    run = compare_toy(toy, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert list(rows[0]) == list(CONSISTENCY_COLUMNS)
    alpha = next(row for row in rows if row["statistic"] == "alpha" and row["subject"] == "d")
    assert (float(alpha["value"]), alpha["n"], alpha["k"]) == (pytest.approx(ALPHA), "5", "3")
    pair = next(row for row in rows if row["kind"] == "indicators" and (row["subject"], row["other"]) == ("q2", "q3"))
    scores = np.array(ITEMS, dtype=float)
    assert float(pair["value"]) == pytest.approx(np.corrcoef(scores[:, 1], scores[:, 2])[0, 1]) and pair["n"] == "5"
    kinds = {row["kind"] for row in rows if row["statistic"] == "correlation"}
    assert kinds == {"nodes", "indicators", "indicator_node"}
    assert sum(row["kind"] == "indicators" for row in rows) == 5 * 5
    coverage = next(row for row in rows if row["statistic"] == "coverage_applicable" and row["subject"] == "q5")
    assert (coverage["other"], coverage["value"], coverage["n"], coverage["k"]) == ("e", "0.2", "1", "5")
    warnings = [row for row in rows if row["statistic"] == "warning"]
    assert [row["kind"] for row in warnings] == ["mixed_periods", "alpha_undefined", "low_coverage"]
    assert warnings[0]["message"].startswith("The comparison mixes periods 2025, 2026")
    assert warnings[0]["value"] == "" and warnings[0]["subject"] == ""
    assert run.stderr == ""
    indonesian = list(csv.DictReader(io.StringIO(compare_toy(toy, "--format", "csv", "--lang", "id").stdout)))
    assert [row["message"] for row in indonesian if row["statistic"] == "warning"][0].startswith(
        "Perbandingan ini mencampur periode")


def test_compare_consistency_csv_refuses_intervals_it_cannot_hold(toy, tmp_path):
    rubric_path, paths = toy
    run = ddmt("compare", "--rubric", rubric_path, *paths, "--consistency", "--format", "csv",
               "--uncertainty", "20")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("ddmt compare: --uncertainty cannot go into --format csv: with "
                                 "--consistency that table is the consistency table; use --bundle DIR")
    parquet = compare_toy(toy, "--parquet", tmp_path / "checks.parquet")
    assert list(pd.read_parquet(tmp_path / "checks.parquet").columns) == list(CONSISTENCY_COLUMNS)
    assert parquet.stderr == ""


def test_consistency_frame_is_documented_and_pivots_back(toy_comparison):
    import toolkit.research.tidy as tidy

    for name, description in CONSISTENCY_COLUMNS.items():
        assert f"`{name}`" in (tidy.__doc__ or "") and description
    checks = consistency(toy_comparison)
    frame = consistency_frame(checks)
    assert list(frame.columns) == list(CONSISTENCY_COLUMNS)
    nodes = frame[(frame["statistic"] == "correlation") & (frame["kind"] == "nodes")]
    pivot = nodes.pivot(index="subject", columns="other", values="value").loc[
        checks.node_correlations.index, checks.node_correlations.columns]
    np.testing.assert_allclose(pivot.to_numpy(), checks.node_correlations.to_numpy(), equal_nan=True)
    data = compare_json(toy_comparison, consistency=checks)
    assert data["consistency"]["assessments"] == 5 and "uncertainty" not in data
    assert compare_json(toy_comparison).keys() == {"rubric", "normalisation", "assessments", "sensitivity"}


# --- the comparison workbook -----------------------------------------------------------------------


def values(ws) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def row_of(ws, first: Any) -> int:
    """The number of the first row whose column A holds `first`."""
    return next(cell.row for cell in ws["A"] if cell.value == first)


def rules(ws) -> dict[str, list[float]]:
    """Per conditional-formatting range, the three numbers of its colour scale."""
    return {str(rng.sqref): [float(v.val) for v in rule.colorScale.cfvo]
            for rng in ws.conditional_formatting for rule in rng.rules}


@pytest.fixture(scope="module")
def research_book(tmp_path_factory):
    """The sample ministries' workbook with the intervals, the research sheets, from a real CLI run."""
    folder = tmp_path_factory.mktemp("research")
    paths = {}
    for lang in ("en", "id"):
        paths[lang] = folder / f"comparison-{lang}.xlsx"
        run = ddmt("compare", *SAMPLES, "--uncertainty", "50", "--sensitivity", "--sobol-samples", "16",
                   "--switch-aggregation", "--consistency", "--lang", lang, "--xlsx", paths[lang], "--format", "json",
                   "--evidence-of", "all")
        assert run.returncode == 0, run.stderr
        paths[f"data-{lang}"] = json.loads(run.stdout)
    return paths


def test_cli_workbook_has_the_sensitivity_sheet(research_book):
    wb = openpyxl.load_workbook(research_book["en"])
    data = research_book["data-en"]["sensitivity"]
    rubric = find_rubric("digital-diplomacy", "1.1.0")  # the newest version of the samples: compared on it
    dimensions = [node.title["en"] for node in rubric.dimensions]
    assert wb.sheetnames == ["Summary", "Ranking", "Charts", *dimensions, "Sensitivity", "Consistency",
                             "Evidence register", "Methodology", "Data"]
    ws = wb["Sensitivity"]
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and ws.oddFooter.left.text
    rows = values(ws)
    assert rows[0][0] == "Leave one out at depth 1" and rows[0][4].startswith("Sobol indices on the mean")
    assert rows[1] == ["ID", "Left out", "Mean absolute rank change", None, "Input", "First order",
                       "First order, low", "First order, high", "Total", "Total, low", "Total, high"]
    assert [row[0] for row in rows[2:10]] == list(data["leave_one_out"])
    assert [row[1] for row in rows[2:10]] == dimensions
    assert [row[2] for row in rows[2:10]] == pytest.approx(list(data["leave_one_out"].values()))
    assert [row[4] for row in rows[2:5]] == ["Levels (by confidence)", "Dimension weights", "Aggregation"]
    levels = data["sobol"]["levels"]
    assert rows[2][5:11] == pytest.approx([levels["first"], *levels["first_ci"], levels["total"],
                                           *levels["total_ci"]])
    assert ws["C3"].style == "weight" and ws["A2"].style == "header" and ws["A1"].style == "subtitle"
    assert "C3:C10" in rules(ws)
    notes = [row[0] for row in rows[11:] if row[0]]
    assert notes[0].startswith("Settings: 16 Sobol base samples, seed 0, weight spread 0.25")
    assert any("Jansen 1999" in note for note in notes)


def test_cli_workbook_has_the_consistency_sheet(research_book):
    wb = openpyxl.load_workbook(research_book["en"])
    data = research_book["data-en"]["consistency"]
    ws = wb["Consistency"]
    rows = values(ws)
    assert rows[0][0] == "Consistency of the comparison" and rows[1][0] == f"{len(SAMPLES)} assessments, periods {PERIODS}"
    warning = row_of(ws, "Warnings") + 1
    assert ws.cell(warning, 1).value.startswith("The comparison mixes periods 2024, 2025, 2026")
    assert ws.cell(warning, 1).style == "warning"
    head = row_of(ws, "ID")
    assert [c.value for c in ws[head]][:6] == ["ID", "Dimension", "Depth", "Indicators", "Assessments used", "Alpha"]
    assert ws.cell(head + 1, 1).value == "instruments"
    assert ws.cell(head + 1, 6).value == pytest.approx(data["alpha"]["instruments"]["alpha"])
    # ethics, after 1.1.0's sub-dimension consular protection; only the 1.1.0 rounds answer all its indicators
    assert ws.cell(head + 7, 1).value == "ethics"
    assert ws.cell(head + 7, 5).value == data["alpha"]["ethics"]["assessments"] == 3
    matrix = next(cell.row for cell in ws["A"] if cell.value == "ID" and cell.row > head)
    labels = [c.value for c in ws[matrix]][2:11]
    assert labels[0] == "Overall" and len(labels) == 9
    assert ws.cell(matrix + 2, 1).value == "instruments"
    assert ws.cell(matrix + 2, 3).value == pytest.approx(data["correlations"]["nodes"]["instruments"]["overall"])
    assert ws.cell(matrix + 1, 3).value == pytest.approx(1.0)
    scale = rules(ws)[f"C{matrix + 1}:K{matrix + 9}"]
    assert scale == [-1.0, 0.0, 1.0]
    coverage = next(cell.row for cell in ws["A"] if cell.value == "ID" and cell.row > matrix)
    assert [c.value for c in ws[coverage]][:9] == ["ID", "Indicator", "Dimension", "Answered", "Missing", "N/A",
                                                   "Coverage", "Share of applicable", "r with its dimension"]
    first = list(data["coverage"])[0]
    assert [c.value for c in ws[coverage + 1]][:7] == [
        first, "Official accounts", "Instruments", len(SAMPLES), 0, 0, pytest.approx(1.0)]
    assert ws.cell(coverage + 1, 7).style == "percent"
    assert ws.max_row >= coverage + len(data["coverage"])
    summary = [row[0] for row in values(wb["Summary"]) if row[0]]
    # mixed periods; the 1.0.0 rounds, compared as migrated, leave 1.1.0's new indicators unanswered
    codes = [warning["code"] for warning in data["warnings"]]
    assert codes.count("mixed_periods") == 1 and codes.count("low_coverage") == 10
    assert (f"Consistency: {len(codes)} warning(s); see the Consistency sheet before reading the ranks."
            in summary)


def test_cli_workbook_research_sheets_in_indonesian(research_book):
    wb = openpyxl.load_workbook(research_book["id"])
    assert "Sensitivitas" in wb.sheetnames and "Konsistensi" in wb.sheetnames
    sensitivity_rows = values(wb["Sensitivitas"])
    assert sensitivity_rows[0][0] == "Keluarkan satu pada kedalaman 1"
    assert sensitivity_rows[1][:3] == ["ID", "Dikeluarkan", "Rata-rata perubahan peringkat absolut"]
    assert sensitivity_rows[2][1] == "Instrumen"
    ws = wb["Konsistensi"]
    assert ws["A1"].value == "Konsistensi perbandingan" and ws["A2"].value == f"{len(SAMPLES)} asesmen, periode {PERIODS}"
    assert ws.cell(row_of(ws, "Peringatan") + 1, 1).value.startswith("Perbandingan ini mencampur periode")
    assert [c.value for c in ws[row_of(ws, "ID")]][:6] == ["ID", "Dimensi", "Kedalaman", "Indikator",
                                                           "Asesmen dipakai", "Alfa"]


def test_app_workbook_from_results_and_formula_safe_titles(toy, toy_comparison, tmp_path):
    """What the app passes: the results themselves; titles that look like formulas stay text."""
    rubric = toy_comparison.rubric
    spread = uncertainty(toy_comparison, 30, 1)
    robust = sensitivity(toy_comparison, 1, samples=8, seed=1)
    checks = consistency(toy_comparison)
    path = tmp_path / "app.xlsx"
    path.write_bytes(comparison_workbook_bytes(toy_comparison, rubric, toy_comparison.assessments, lang="en",
                                               uncertainty=spread, sensitivity=robust, consistency=checks))
    wb = openpyxl.load_workbook(path)
    assert {"Sensitivity", "Consistency"} <= set(wb.sheetnames)
    assert "Overall p50" in [c.value for c in wb["Ranking"][1]]
    ws = wb["Consistency"]
    alpha = row_of(ws, "d")
    assert ws.cell(alpha, 2).value == "=Dee" and ws.cell(alpha, 2).data_type == "s"
    assert ws.cell(alpha, 6).value == pytest.approx(ALPHA, rel=1e-12)
    assert ws.cell(row_of(ws, "e"), 6).value is None  # undefined alpha: an empty cell
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    assert wb["Sensitivity"]["B3"].value == "=Dee" and wb["Sensitivity"]["B3"].data_type == "s"
    plain, _ = build_comparison_workbook(toy_comparison, rubric, toy_comparison.assessments)
    assert not {"Sensitivity", "Consistency"} & {sheet.title for sheet in plain.sheets}
    with pytest.raises(TypeError):
        build_comparison_workbook(toy_comparison.to_dict(), rubric, toy_comparison.assessments, uncertainty=spread)
    from_dict, _ = build_comparison_workbook(toy_comparison.to_dict(), rubric, toy_comparison.assessments,
                                             consistency=checks)
    assert "Consistency" in {sheet.title for sheet in from_dict.sheets}


def test_correlation_heatmap_is_on_a_fixed_scale_with_titles_as_written(toy_comparison):
    from toolkit.reports import charts

    checks = consistency(toy_comparison)
    figure = charts.correlation_heatmap(checks, language="id", title="<b>r</b>").to_plotly_json()
    heat = figure["data"][0]
    assert list(heat["x"]) == list(heat["y"]) == ["Keseluruhan", "=Di", "Ii"]
    assert (heat["zmin"], heat["zmid"], heat["zmax"]) == (-1, 0, 1)
    assert heat["z"][1][2] == pytest.approx(checks.node_correlations.loc["d", "e"])
    assert figure["layout"]["title"]["text"] == "&lt;b&gt;r&lt;/b&gt;"
