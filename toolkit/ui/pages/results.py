"""Results: one assessment's scores, stage, completeness, charts, evidence coverage, roadmap and history.

The assessment comes from the `assessment` query parameter, so a refresh shows the same one. Nothing
here writes: every figure is recomputed from the store on each run (one assessment scores in well
under a millisecond). Texts from documents go to st.text, st.dataframe or escaped labels only.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig
from streamlit.errors import StreamlitPageNotFoundError

from toolkit.access.roles import AccessDenied
from toolkit.engine.comparison import compare
from toolkit.engine.coverage import evidence_coverage, top_level_of
from toolkit.engine.results import Scores
from toolkit.engine.compiled import NA
from toolkit.engine.rating import (gate_lines, gate_title, is_rated, stage_text, stage_with_completeness,
                                   unevaluated_gate_lines)
from toolkit.engine.roadmap import ANSWER, EVIDENCE, AnswerGroup, Step, plan
from toolkit.engine.scoring import score
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.i18n.formatting import format_number, format_percent, format_signed
from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric, newest
from toolkit.model.rubric import Rubric, text_in
from toolkit.reports import charts
from toolkit.ui.agreement_panel import show_agreement
from toolkit.ui.state import HOME_PAGE, assessment_id, forget_assessment, language, language_params, workspace
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import run_page


def share_column() -> ColumnConfig:
    """A 0-100 share as a bar with a whole percentage (the "percent" preset shows two decimals)."""
    return st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%")


def number(value: float | None, lang: str) -> str:
    """A score for display in the reader's locale (37.5, 37,5), or a dash for a null."""
    return format_number(value, lang)


def percent(value: float | None, lang: str) -> str:
    """A share (0..1) for display as a whole percentage, rounded down as the not-rated rule reads it, or a dash."""
    return format_percent(value, lang, floor=True)


def _stage_id(rubric: Rubric, score_value: float | None, completeness: float | None) -> tuple[str | None, float | None]:
    """The stage id of a score (None without a score or below the completeness rule) and the known completeness."""
    known = None if completeness is None or math.isnan(completeness) else float(completeness)
    if score_value is None or math.isnan(score_value):
        return None, None
    stage = rubric.stage_for(score_value)
    return (stage.id if stage and is_rated(rubric, known) else None), known


def stage_label(rubric: Rubric, score_value: float | None, lang: str, completeness: float | None = None) -> str:
    """The stage of a score in the chosen language, "not rated: ..." below the rubric's completeness, or a dash.

    For a table whose completeness column stands beside the stage; elsewhere `stage_line`.
    """
    stage_id, known = _stage_id(rubric, score_value, completeness)
    return stage_text(rubric, stage_id, known, lang)


def stage_line(rubric: Rubric, score_value: float | None, lang: str, completeness: float | None) -> str:
    """The stage with its completeness beside it: "Developing · 12 % complete" (or "not rated: ...")."""
    stage_id, known = _stage_id(rubric, score_value, completeness)
    return stage_with_completeness(rubric, stage_id, known, lang)


def level_text(rubric: Rubric, level: int | None, lang: str) -> str:
    """A level as its number and label (`2 Developing`), or empty when there is none."""
    return "" if level is None else f"{level} {rubric.level_label(level, lang)}"


def link_home(lang: str) -> None:
    """A link to the home page, where an assessment is chosen (absent when the page runs on its own)."""
    try:
        st.page_link(HOME_PAGE, label=t("results_home_link", lang), icon=":material/home:",
                     query_params=language_params())
    except StreamlitPageNotFoundError:
        pass  # run outside the app's navigation (a single-page run or a test): no home to link to


def headline(assessment: Assessment, rubric: Rubric, scores: Scores, lang: str) -> None:
    """Who and when, then the overall metrics."""
    version = f" · {t('results_version', lang, version=assessment.version)}" if assessment.version > 1 else ""
    st.text(f"{assessment.ministry.marked_name} · {t('period', lang)} {assessment.period}{version} · "
            f"{text_in(rubric.title, lang)} {rubric.version}")
    if assessment.ministry.fictional:
        st.caption(t("fictional_note", lang))
    overall, backed = float(scores.overall[0]), float(scores.overall_evidence[0])
    coverage = evidence_coverage(scores)[0]
    # The stage is a name (Pembentukan, Transformational): too long for a metric card, so it heads them.
    complete = float(scores.overall_completeness[0])
    st.subheader(f"{t('stage', lang)}: {escape_markdown(stage_line(rubric, overall, lang, complete))}")
    for line in gate_lines(rubric, scores.triggered_gates(0), scores.triggered_gates(0, evidence=True), lang):
        st.warning(escape_markdown(line), icon=":material/lock:")
    for line in unevaluated_gate_lines(rubric, scores.unevaluated_gates(0), not_applicable(scores), lang):
        st.warning(escape_markdown(line), icon=":material/help:")
    for indicator_id in scores.unsupported_metrics(0):
        title = text_in(rubric.indicator(indicator_id).title, lang)
        st.info(escape_markdown(f"{title}: {t('metric_no_evidence', lang)}"), icon=":material/flag:")
    cols = st.columns(4)
    cols[0].metric(t("overall", lang), number(overall, lang), border=True)
    cols[1].metric(t("evidence_backed", lang), number(backed, lang), border=True,
                   delta=None if math.isnan(backed - overall) or backed == overall
                   else format_signed(backed - overall, lang),
                   help=None if rubric.unsupported_cap is None
                   else t("results_evidence_help", lang, cap=rubric.unsupported_cap))
    cols[2].metric(t("complete", lang), percent(float(scores.overall_completeness[0]), lang), border=True)
    cols[3].metric(t("chart_coverage", lang), percent(float(coverage[0]), lang), border=True,
                   help=t("results_coverage_help", lang))


def not_applicable(scores: Scores) -> set[str]:
    """The ids of the indicators the (single) assessment marked N/A."""
    c = scores.compiled
    return {c.indicator_ids[k] for k in np.flatnonzero(scores.indicator_status[0] == NA).tolist()}


def dimension_section(rubric: Rubric, scores: Scores, lang: str) -> None:
    """A metric per dimension, then the detail table (claimed, evidence-backed, stage, completeness, coverage)."""
    st.subheader(t("results_dimensions", lang))
    compiled = scores.compiled
    top = compiled.top_level
    claimed = scores.node_scores[0, top]
    backed = scores.node_evidence_scores[0, top]
    complete = scores.node_completeness[0, top]
    coverage = evidence_coverage(scores)[0, 1:]
    titles = charts.dimension_labels(rubric, lang)
    per_row = 3  # long dimension titles (Jangkauan melintasi kesenjangan digital) stay readable
    for start in range(0, len(titles), per_row):
        cols = st.columns(per_row)
        for col, k in zip(cols, range(start, min(start + per_row, len(titles))), strict=False):
            line = stage_line(rubric, float(claimed[k]), lang, float(complete[k]))
            col.metric(escape_markdown(titles[k]), number(float(claimed[k]), lang),
                       help=t("results_dimension_help", lang, stage=escape_markdown(line),
                              complete=percent(float(complete[k]), lang)))
            col.caption(escape_markdown(line))
    # Scores as text: a dimension with no answer has no score, and a null number cell would read
    # "None" (in English, whatever the language); a dash says it in every language.
    table = pd.DataFrame({
        t("dimension", lang): titles,
        t("chart_claimed", lang): [number(float(x), lang) for x in claimed],
        t("evidence_backed", lang): [number(float(x), lang) for x in backed],
        t("stage", lang): [stage_label(rubric, float(x), lang, float(q)) for x, q in zip(claimed, complete, strict=True)],
        t("complete", lang): 100 * complete,  # shown as whole percentages
        t("chart_coverage", lang): 100 * coverage,
    })
    st.dataframe(table, hide_index=True, key="results_dimension_table", column_config={
        t("complete", lang): share_column(),
        t("chart_coverage", lang): share_column(),
    })


def chart_section(scores: Scores, lang: str) -> None:
    """Radar and bars of claimed versus evidence-backed scores, and evidence coverage."""
    left, right = st.columns(2)
    left.plotly_chart(charts.radar(scores, [0], language=lang, title=t("results_radar_title", lang),
                                   kinds=(charts.CLAIMED, charts.EVIDENCE)), key="results_radar")
    right.plotly_chart(charts.score_bars(scores, 0, language=lang, title=t("results_bars_title", lang)),
                       key="results_bars")
    st.plotly_chart(charts.coverage_bars(scores, 0, language=lang, title=t("results_coverage_title", lang)),
                    key="results_coverage")


def step_row(rubric: Rubric, step: Step, dimension: str, lang: str) -> dict:
    """One real roadmap step (a gate, a gap) as a row of the table."""
    indicator = step.indicator
    if step.kind == ANSWER:  # a critical control not answered: its gate waits for the answer
        action = t("results_answer_this", lang)
    elif step.kind == EVIDENCE:
        action = t("roadmap_attach_evidence", lang, level=level_text(rubric, step.level, lang))
    elif indicator.is_metric:
        action = t("roadmap_reach_value", lang, value=f"{step.next_value:g}", unit=text_in(indicator.unit, lang))
    else:
        action = t("results_raise_to", lang, level=level_text(rubric, step.next_level, lang))
    if step.gates:
        reason = "gate_roadmap_unevaluated" if step.kind == ANSWER else "gate_roadmap_reason"
        action += " · " + "; ".join(t(reason, lang, title=gate_title(rubric, gate_id, lang))
                                    for gate_id in step.gates)
    return {
        t("results_action", lang): action,
        t("dimension", lang): dimension,
        t("results_indicator", lang): text_in(indicator.title, lang),
        t("results_now", lang): (f"{step.value:g} {text_in(indicator.unit, lang)}" if step.value is not None
                                 else level_text(rubric, step.level, lang)),
        t("results_target", lang): level_text(rubric, step.target, lang),
        t("results_next_descriptor", lang): "" if step.descriptor is None else text_in(step.descriptor.descriptor, lang),
        t("results_priority", lang): format_number(step.priority, lang, 4),
    }


def group_row(group: AnswerGroup, dimension: str, lang: str) -> dict:
    """The missing answers of one dimension as one row: "Answer the 7 remaining indicators of Security"."""
    return {
        t("results_action", lang): t("roadmap_answer_group", lang, count=group.count, dimension=dimension),
        t("dimension", lang): dimension,
        t("results_indicator", lang): "; ".join(text_in(indicator.title, lang) for indicator in group.indicators),
        t("results_now", lang): "", t("results_target", lang): "", t("results_next_descriptor", lang): "",
        t("results_priority", lang): "",
    }


def roadmap_section(rubric: Rubric, scores: Scores, lang: str) -> None:
    """The roadmap (engine.roadmap.plan): real steps first, then one "answer" row per dimension; a dimension filter."""
    st.subheader(t("results_roadmap", lang))
    items = plan(scores, 0)
    if not items:
        st.success(t("results_roadmap_done", lang))
        return
    answers = [isinstance(item, AnswerGroup) or item.kind == ANSWER for item in items]
    to_answer = sum(item.count if isinstance(item, AnswerGroup) else 1
                    for item, answer in zip(items, answers, strict=True) if answer)
    st.caption(t("results_roadmap_counts", lang, answer=to_answer, improve=answers.count(False)))
    compiled = scores.compiled
    dimension_of = top_level_of(compiled)
    titles = charts.dimension_labels(rubric, lang)
    positions = [group.position if isinstance(group, AnswerGroup)
                 else int(dimension_of[compiled.column[group.indicator_id]]) for group in items]
    shown = sorted(set(positions))
    # Dimension ids as the options, so the choice survives a change of language.
    ids = [rubric.dimensions[k].id for k in shown]
    chosen = st.selectbox(t("results_roadmap_filter", lang), ["", *ids], key="results_roadmap_dimension",
                          format_func=lambda key: titles[[d.id for d in rubric.dimensions].index(key)] if key
                          else t("results_all_dimensions", lang))
    rows = []
    for order, (item, k) in enumerate(zip(items, positions, strict=True), start=1):
        if chosen and rubric.dimensions[k].id != chosen:
            continue
        row = group_row(item, titles[k], lang) if isinstance(item, AnswerGroup) else step_row(rubric, item, titles[k], lang)
        rows.append({"#": order, **row})
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="results_roadmap_table", column_config={
        t("results_priority", lang): st.column_config.TextColumn(help=t("results_priority_help", lang)),
        t("results_indicator", lang): st.column_config.TextColumn(width="medium"),
        t("results_next_descriptor", lang): st.column_config.TextColumn(width="large"),
    })


def history_section(assessment: Assessment, rubric: Rubric, lang: str) -> None:
    """Every round of this ministry on the same rubric (major version), as a trend line and a table."""
    st.subheader(t("results_history", lang))
    store = workspace()
    # A round reopened as a newer version is left out: the trend shows each period's latest version.
    rounds = [summary for summary in store.assessments(assessment.ministry.id)
              if (summary.superseded_by is None or summary.id == assessment.id)
              and summary.rubric_id == rubric.id
              and summary.rubric_version.split(".", 1)[0] == str(rubric.major_version)]
    if len({summary.period for summary in rounds}) < 2:
        st.caption(t("results_history_none", lang))
        return
    try:
        loaded = [assessment if summary.id == assessment.id else store.load(summary.id) for summary in rounds]
        # Rounds of several versions go on the newest, which takes the older rounds' answers (migrations).
        on = newest(find_rubric(rubric.id, version) for version in {a.rubric_version for a in loaded})
        comparison = compare(on, loaded)
    except ToolkitError as error:
        st.warning(t("results_history_failed", lang))
        st.text(str(error))
        return
    trends = comparison.trends()
    if any(a.rubric_version != on.version for a in loaded):
        st.caption(t("results_history_migrated", lang, version=on.version))
    with_dimensions = st.toggle(t("results_trend_dimensions", lang), key="results_trend_dimensions")
    st.plotly_chart(charts.trend(comparison.scores, trends, language=lang, title=t("results_history_title", lang),
                                 dimensions=with_dimensions), key="results_trend")
    overall = comparison.scores.overall
    rows = [{t("period", lang): point.period, t("overall", lang): number(float(overall[point.index]), lang),
             t("evidence_backed", lang): number(float(comparison.scores.overall_evidence[point.index]), lang),
             t("stage", lang): stage_label(on, float(overall[point.index]), lang,
                                           float(comparison.scores.overall_completeness[point.index])),
             t("complete", lang): 100 * comparison.scores.overall_completeness[point.index],
             t("results_this_round", lang): "●" if point.assessment_id == assessment.id else ""}
            for item in trends for point in item.points]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="results_history_table", column_config={
        t("complete", lang): share_column(),
    })


def main() -> None:
    """The results of the assessment in the URL, or a pointer to the home page."""
    lang = language()
    st.title(t("results_title", lang))
    current = assessment_id()
    if not current:
        st.info(t("results_none", lang))
        link_home(lang)
        return
    try:
        assessment = workspace().load(current)
    except AccessDenied as error:  # another ministry's round: a refusal, nothing of its data
        st.error(t("access_refused", lang))
        st.text(str(error))
        forget_assessment()
        link_home(lang)
        return
    except ToolkitError as error:
        st.error(t("results_unavailable", lang))
        st.text(str(error))
        forget_assessment()  # an unknown id in the URL: a refresh should not land here again
        link_home(lang)
        return
    try:
        rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
        scores = score(rubric, [assessment])
    except ToolkitError as error:
        st.error(t("results_unavailable", lang))
        st.text(str(error))
        return
    headline(assessment, rubric, scores, lang)
    dimension_section(rubric, scores, lang)
    chart_section(scores, lang)
    roadmap_section(rubric, scores, lang)
    if assessment.responses:  # a team round: how far its respondents agreed
        show_agreement(rubric, assessment, lang, key="results_agreement")
    history_section(assessment, rubric, lang)


run_page(main)
