"""Results page (AppTest): metrics, charts, roadmap and history of the assessment in the URL."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from ui_support import PAGES, fresh_store, seeded_template, start, texts, ui_data  # noqa: F401  (fixtures)

from toolkit.engine.coverage import evidence_coverage
from toolkit.engine.roadmap import AnswerGroup, plan, roadmap
from toolkit.engine.scoring import score
from toolkit.model.catalogue import find_rubric
from toolkit.model.rubric import text_in

RESULTS = str(PAGES / "results.py")
APP = f'''
import streamlit as st

st.session_state.setdefault("language", "en")
st.navigation([st.Page({str(PAGES / "home.py")!r}, title="Home", default=True),
               st.Page({RESULTS!r}, title="Results")]).run()
'''


@pytest.fixture
def app(tmp_path: Path) -> Path:
    script = tmp_path / "app.py"
    script.write_text(APP, encoding="utf-8")
    return script


def engine(assessment_id: str):
    """The engine's scores of one stored assessment, to compare the page against."""
    assessment = fresh_store().load(assessment_id)
    rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
    return rubric, score(rubric, [assessment])


def table_with(at, column: str):
    """The first table shown that has this column."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def figures(at) -> dict[str, dict]:
    """The plotly figures shown, by title."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def test_results_show_the_engines_metrics_and_charts(ui_data, app):
    at = start(app, RESULTS, assessment="belmara-mfa-2026")
    assert not at.exception and not at.error
    rubric, scores = engine("belmara-mfa-2026")
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Overall"] == f"{scores.overall[0]:.1f}"
    assert metrics["Evidence-backed"] == f"{scores.overall_evidence[0]:.1f}"
    stage = text_in(rubric.stage_for(float(scores.overall[0])).label, "en")
    complete = int(scores.overall_completeness[0] * 100 + 1e-9)
    # The stage never stands alone: its completeness beside it (issue 16).
    assert f"Stage: {stage} · {complete} % complete" in [_plain(header.value) for header in at.subheader]
    assert metrics["Complete"] == f"{complete}%"  # rounded down, as the heading: 89.9 % never reads 90 %
    assert metrics["Evidence coverage"] == f"{math.floor(evidence_coverage(scores)[0, 0] * 100 + 1e-9)}%"
    first = rubric.dimensions[0]
    assert metrics[text_in(first.title, "en")] == f"{scores.node(first.id)[0]:.1f}"
    table = at.dataframe[0].value
    assert len(table) == len(rubric.dimensions)
    assert table["Evidence-backed"][0] == f"{scores.node(first.id, evidence=True)[0]:.1f}"
    shown = figures(at)
    assert {"Dimension scores: claimed and evidence-backed", "Claimed versus evidence-backed, by dimension",
            "Evidence coverage by dimension", "Overall score by period"} == set(shown)
    radar = shown["Dimension scores: claimed and evidence-backed"]
    assert [trace["type"] for trace in radar["data"]] == ["scatterpolar", "scatterpolar"]
    assert radar["data"][0]["r"][0] == pytest.approx(scores.node(first.id)[0])
    assert any("fictional" in text for text in texts(at))


def test_the_roadmap_lists_gaps_by_priority_then_one_answer_row_per_dimension(ui_data, app):
    at = start(app, RESULTS, assessment="belmara-mfa-2026")  # a draft with unanswered indicators
    rubric, scores = engine("belmara-mfa-2026")
    steps = roadmap(scores, 0)
    real = [step for step in steps if step.kind != "answer"]
    missing = [step for step in steps if step.kind == "answer"]
    groups = [item for item in plan(scores, 0) if isinstance(item, AnswerGroup)]
    assert missing and groups
    table = table_with(at, "Step")
    assert len(table) == len(real) + len(groups)  # one "answer" row per dimension, not per indicator
    assert len(groups) == len({group.dimension_id for group in groups}) <= len(missing)
    assert list(table["Indicator"][:len(real)]) == [text_in(step.indicator.title, "en") for step in real]
    titles = {d.id: text_in(d.title, "en") for d in rubric.dimensions}
    assert list(table["Step"][len(real):]) == [
        f"Answer the {group.count} remaining indicator(s) of {titles[group.dimension_id]}" for group in groups]
    assert sum(group.count for group in groups) == len(missing)
    at_gap = next(k for k, step in enumerate(real) if step.kind == "improve" and not step.indicator.is_metric)
    first_gap = real[at_gap]
    assert table["Step"][at_gap] == f"Raise to {first_gap.next_level} {rubric.level_label(first_gap.next_level)}"
    assert table["What the next level looks like"][at_gap] == text_in(first_gap.descriptor.descriptor, "en")
    metric = next(k for k, step in enumerate(real) if step.indicator.is_metric and step.kind == "improve")
    unit = text_in(real[metric].indicator.unit, "en")
    assert table["Step"][metric] == f"Reach {real[metric].next_value:g} {unit}"  # the next goalpost band
    assert table["Now"][metric] == f"{real[metric].value:g} {unit}"
    priorities = [float(value) for value in table["Priority"][:len(real)]]
    assert priorities == sorted(priorities, reverse=True)
    # The filter by dimension keeps that dimension's rows only.
    dimension = groups[0].dimension_id
    at.selectbox(key="results_roadmap_dimension").set_value(dimension).run()
    filtered = table_with(at, "Step")
    assert set(filtered["Dimension"]) == {titles[dimension]}
    assert list(filtered["Step"])[-1].startswith(f"Answer the {groups[0].count} remaining")


def test_results_in_indonesian_use_the_rubrics_indonesian_texts(ui_data, app):
    at = start(app, RESULTS, assessment="tumbaro-mfa-2025", language="id")
    assert not at.exception and not at.error
    rubric, scores = engine("tumbaro-mfa-2025")
    step = next(step for step in roadmap(scores, 0) if step.descriptor is not None)
    table = table_with(at, "Langkah")
    assert "Keseluruhan" in {metric.label for metric in at.metric}
    assert text_in(step.descriptor.descriptor, "id") in set(table["Gambaran tingkat berikutnya"])
    assert "Skor keseluruhan per periode" in figures(at)


def test_history_is_a_trend_over_the_ministrys_periods(ui_data, app):
    at = start(app, RESULTS, assessment="tumbaro-mfa-2025")
    trend = figures(at)["Overall score by period"]
    assert [trace["x"] for trace in trend["data"]] == [["2024", "2025", "2026"]]
    history = table_with(at, "This round")
    assert list(history["Period"]) == ["2024", "2025", "2026"]
    assert list(history["This round"]) == ["", "●", ""]
    at.toggle(key="results_trend_dimensions").set_value(True).run()
    rubric, _ = engine("tumbaro-mfa-2025")
    assert len(figures(at)["Overall score by period"]["data"]) == 1 + len(rubric.dimensions)


def test_a_single_round_has_no_trend_yet(ui_data, app):
    at = start(app, RESULTS, assessment="vantoria-mfa-2025")
    assert not at.exception and not at.error
    assert "Overall score by period" not in figures(at)
    assert any("trend appears from the second round" in text for text in texts(at))


def test_without_an_assessment_the_page_says_so_and_links_home(ui_data, app):
    at = start(app, RESULTS)
    assert not at.exception and not at.error
    assert any("No assessment is selected" in info.value for info in at.info)
    assert [link.proto.label for link in at.get("page_link")] == ["Go to the home page"]
    assert not at.metric


def test_an_unknown_assessment_is_said_and_forgotten(ui_data, app):
    at = start(app, RESULTS, assessment="no-such-round")
    assert not at.exception
    assert [error.value for error in at.error] == ["This assessment cannot be shown:"]
    assert "assessment" not in at.query_params


def _round_on_1_1(keep: int | None = None) -> dict:
    """A fictional 1.1.0 round: every level 3 with evidence, account security 1; `keep` first answers only."""
    rubric = find_rubric("digital-diplomacy", "1.1.0")
    evidence = [{"kind": "url", "value": "https://example.org/proof"}]
    answers = {}
    for indicator in rubric.indicators():
        if indicator.is_metric:
            answers[indicator.id] = {"value": 6.75 if indicator.id.startswith("cri.") else 12.5}  # no evidence
        else:
            answers[indicator.id] = {"level": 1 if indicator.id == "sec.account_security" else 3,
                                     "evidence": evidence}
    if keep is not None:
        answers = dict(list(answers.items())[:keep])
    return {"kind": "assessment", "format_version": 1, "id": "gated-2027",
            "rubric": {"id": "digital-diplomacy", "version": "1.1.0"},
            "ministry": {"id": "gated", "name": "Gated Ministry", "country": "Testland", "fictional": True},
            "period": "2027", "date": "2027-01-01", "status": "draft", "assessors": ["tester"], "answers": answers}


def _plain(markdown: str) -> str:
    """Shown text without the escapes that keep stored text from being read as markdown."""
    return markdown.replace("\\", "")


def test_results_name_triggered_gates_and_put_their_indicator_first(ui_data, app):
    fresh_store().import_document(_round_on_1_1(), user="tester")
    at = start(app, RESULTS, assessment="gated-2027")
    assert not at.exception and not at.error
    warnings = [_plain(item.value) for item in at.warning]
    assert "Gate triggered: MFA or individual logins not yet in force on headquarters or leadership accounts cap Security at Formative (Security capped at 39)" \
        in warnings
    assert any("Overall capped at 59" in text for text in warnings)
    assert any(_plain(header.value).startswith("Stage: Established · ")  # 59, not the 75 averaged
               for header in at.subheader)
    roadmap_table = table_with(at, "Step")
    assert roadmap_table["Step"][0].startswith("Raise to 2")
    assert "gate: MFA or individual logins not yet in force" in roadmap_table["Step"][0]
    assert any("metric without evidence" in _plain(item.value) for item in at.info)


def test_results_show_not_rated_below_min_completeness(ui_data, app):
    fresh_store().import_document(_round_on_1_1(keep=30), user="tester")
    at = start(app, RESULTS, assessment="gated-2027")
    assert not at.exception and not at.error
    [stage] = [_plain(header.value) for header in at.subheader if header.value.startswith("Stage:")]
    assert stage.startswith("Stage: not rated: ") and stage.endswith("% complete, at least 80 % needed")
    at.session_state["language"] = "id"
    at.run()
    assert any(_plain(header.value).startswith("Tahap: belum dinilai: lengkap ") for header in at.subheader)


def test_indonesian_results_write_numbers_the_indonesian_way(ui_data, app):
    at = start(app, RESULTS, assessment="belmara-mfa-2026")
    at.session_state["language"] = "id"
    at.run()
    assert not at.exception and not at.error
    rubric, scores = engine("belmara-mfa-2026")
    metrics = {metric.label: metric.value for metric in at.metric}
    overall = f"{scores.overall[0]:.1f}"
    assert "." in overall
    assert metrics["Keseluruhan"] == overall.replace(".", ",")  # 37,5, not 37.5
    first = rubric.dimensions[0]
    table = at.dataframe[0].value
    assert table["Berbasis bukti"][0] == f"{scores.node(first.id, evidence=True)[0]:.1f}".replace(".", ",")
    complete = int(scores.overall_completeness[0] * 100 + 1e-9)
    assert f"Tahap: {text_in(rubric.stage_for(float(scores.overall[0])).label, 'id')} · lengkap {complete} %" in [
        _plain(header.value) for header in at.subheader]
