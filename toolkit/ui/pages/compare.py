"""Compare: several ministries or rounds scored together, ranked, overlaid, and followed over time.

The selection defaults to the latest round of each ministry. A tag (say `lens:constructivism`)
narrows the rubric to the indicators carrying it, so the page scores and ranks that sub-index.
Only assessments of one rubric (id and major version) are compared; others are left out, said so.
Below the charts, the research view (`toolkit.ui.research`): score and rank intervals over Monte
Carlo draws, stage probabilities, leave-one-out and Sobol indices, and the consistency check, cached
per input in the session; the workbook download carries what it computed.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from toolkit.access.roles import VIEW
from toolkit.access.workspace import Workspace
from toolkit.engine.comparison import Comparison
from toolkit.engine.compiled import NORMALISATIONS
from toolkit.engine.rating import gate_lines, stage_text
from toolkit.engine.subindex import compare_by_tag, tags
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.i18n.formatting import format_number
from toolkit.model.assessment import Assessment, marked_name
from toolkit.model.catalogue import find_rubric, newest
from toolkit.model.rubric import Rubric
from toolkit.reports import charts
from toolkit.reports.branding import Branding
from toolkit.reports.comparison_workbook import comparison_workbook_bytes
from toolkit.store.store import AssessmentSummary
from toolkit.ui.choice import translated_multiselect, translated_selectbox
from toolkit.ui.downloads import checked
from toolkit.ui.report_downloads import branding_fields
from toolkit.ui.research import research_section
from toolkit.ui.state import language, workspace
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import run_page

ALL = ""  # the tag choice that means the whole rubric


def latest_rounds(summaries: Sequence[AssessmentSummary]) -> list[str]:
    """The id of the latest round (highest period label) of each ministry, in the store's order."""
    latest: dict[str, AssessmentSummary] = {}
    for summary in summaries:
        best = latest.get(summary.ministry_id)
        if best is None or (summary.period, summary.updated_at) > (best.period, best.updated_at):
            latest[summary.ministry_id] = summary
    chosen = {summary.id for summary in latest.values()}
    return [summary.id for summary in summaries if summary.id in chosen]


def summary_label(summary: AssessmentSummary, lang: str) -> str:
    """How the choice list names an assessment: ministry (†), period, status."""
    return f"{marked_name(summary.ministry_name, summary.fictional)} · {summary.period} · {t(f'status_{summary.status}', lang)}"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("-", 1)[0].split("."))


def rubric_family(summaries: Sequence[AssessmentSummary]) -> tuple[str, str, list[AssessmentSummary]]:
    """The rubric (id, highest version) most of the chosen assessments answer, and those that answer it."""
    family = Counter((s.rubric_id, s.rubric_version.split(".", 1)[0]) for s in summaries).most_common(1)[0][0]
    members = [s for s in summaries if (s.rubric_id, s.rubric_version.split(".", 1)[0]) == family]
    version = max((s.rubric_version for s in members), key=_version_key)
    return family[0], version, members


def rank_table(comparison: Comparison, lang: str) -> pd.DataFrame:
    """Rank, ministry (†), period, overall, stage, completeness: one row per assessment, best first."""
    rubric = comparison.rubric
    by_id = {a.id: a for a in comparison.assessments}
    rows = []
    for row in comparison.to_dict()["assessments"]:
        assessment = by_id[row["assessment"]]
        overall = row["overall"]
        rows.append({
            t("rank", lang): row["rank"],
            t("ministry", lang): assessment.ministry.marked_name,
            t("period", lang): row["period"],
            # In the reader's locale (37,5 in Indonesian): Streamlit's number formats know only the browser's.
            t("overall", lang): format_number(overall["score"], lang),
            t("stage", lang): stage_text(rubric, overall["stage"], overall["completeness"], lang),
            # Rounded down, as the stage's "not rated: 79 % complete" beside it reads the share.
            t("complete", lang): None if overall["completeness"] is None
            else math.floor(100 * overall["completeness"] + 1e-9),
        })
    table = pd.DataFrame(rows)
    if rows:  # whole ranks, <NA> for an unranked round (not a float column of 1.0, 2.0 and NaN)
        table[t("rank", lang)] = pd.array(table[t("rank", lang)], dtype="Int64")
    return table


def trend_section(rubric: Rubric, chosen: Sequence[Assessment], tag: str | None, normalisation: str,
                  lang: str) -> None:
    """Every round of the chosen ministries, scored together, as one line per ministry."""
    st.subheader(t("compare_trends", lang))
    store = workspace()
    ministries = {a.ministry.id for a in chosen}
    major = str(rubric.major_version)
    # A round reopened as a newer version is left out: each period's latest version stands for it.
    rounds = [s for ministry in sorted(ministries) for s in store.assessments(ministry)
              if s.rubric_id == rubric.id and s.rubric_version.split(".", 1)[0] == major and s.superseded_by is None]
    by_ministry = Counter(s.ministry_id for s in {(s.ministry_id, s.period): s for s in rounds}.values())
    if not any(count > 1 for count in by_ministry.values()):
        st.caption(t("compare_trends_none", lang))
        return
    loaded = {a.id: a for a in chosen}
    try:
        every = [loaded.get(s.id) or store.load(s.id) for s in rounds]
        # rounds of several versions go on the newest, which takes the older rounds' answers (migrations)
        on = newest([rubric, *(find_rubric(rubric.id, v) for v in {a.rubric_version for a in every})])
        comparison = compare_by_tag(on, every, tag or None, normalisation)
    except ToolkitError as error:
        st.warning(t("compare_failed", lang))
        st.text(str(error))
        return
    with_dimensions = st.toggle(t("results_trend_dimensions", lang), key="compare_trend_dimensions")
    st.plotly_chart(charts.trend(comparison.scores, comparison.trends(), language=lang,
                                 title=t("compare_trends_title", lang), dimensions=with_dimensions),
                    key="compare_trend")


def main() -> None:
    """Choose, filter, rank, chart and follow the chosen assessments."""
    lang = language()
    st.title(t("compare_title", lang))
    store = workspace()
    summaries = store.assessments()  # only the ministries this person sees
    if not summaries:
        st.info(t("compare_nothing", lang))
        return
    by_id = {summary.id: summary for summary in summaries}
    selected = translated_multiselect(t("compare_choose", lang), list(by_id), key="compare_selected", lang=lang,
                                      format_func=lambda key: summary_label(by_id[key], lang),
                                      default=latest_rounds(summaries), help=t("compare_choose_help", lang))
    selected = [key for key in selected if key in by_id]
    if len(selected) < 2:
        st.info(t("compare_pick_two", lang))
        return
    rubric_id, version, members = rubric_family([by_id[key] for key in selected])
    left_out = [by_id[key] for key in selected if by_id[key] not in members]
    if left_out:
        st.warning(t("compare_left_out", lang, rubric=escape_markdown(f"{rubric_id} {version}")))
        st.text("\n".join(summary_label(s, lang) + f" ({s.rubric_id} {s.rubric_version})" for s in left_out))
    try:
        rubric = find_rubric(rubric_id, version)
    except ToolkitError as error:
        st.error(t("compare_failed", lang))
        st.text(str(error))
        return

    left, right = st.columns(2)
    with left:
        tag = translated_selectbox(t("compare_tag", lang), [ALL, *tags(rubric)], key="compare_tag", lang=lang,
                                   format_func=lambda choice: choice or t("compare_all_indicators", lang),
                                   help=t("compare_tag_help", lang))
    normalisation = right.radio(t("compare_normalisation", lang), NORMALISATIONS, horizontal=True,
                                index=NORMALISATIONS.index(rubric.normalisation), key="compare_normalisation",
                                format_func=lambda name: t(f"compare_normalisation_{name}", lang),
                                help=t("compare_normalisation_help", lang))
    rank_incomplete = (st.toggle(t("rank_incomplete_toggle", lang), key="compare_rank_incomplete")
                       if rubric.min_completeness is not None else False)
    try:
        chosen = [store.load(s.id) for s in members]
        comparison = compare_by_tag(rubric, chosen, tag or None, normalisation, rank_incomplete=rank_incomplete)
    except ToolkitError as error:
        st.error(t("compare_failed", lang))
        st.text(str(error))
        return

    if tag:
        count = sum(1 for _ in comparison.rubric.indicators())
        st.caption(t("compare_subindex", lang, tag=escape_markdown(tag), count=count))
    if comparison.mixed_periods:
        st.caption(t("compare_mixed_periods", lang))
    if any(a.ministry.fictional for a in chosen):
        st.caption(t("fictional_note", lang))

    st.subheader(t("compare_ranks", lang))
    # An unranked round reads "—", as on the command line, not Streamlit's grey "None"; ranks sort as numbers.
    progress = st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%")
    st.dataframe(rank_table(comparison, lang), hide_index=True, key="compare_rank_table", placeholder="—",
                 column_config={t("complete", lang): progress})
    unranked = [comparison.assessments[k] for k in comparison.unranked
                if not math.isnan(float(comparison.scores.overall[k]))]
    if unranked:
        st.warning(escape_markdown(t("unranked_note_app", lang, needed=round((rubric.min_completeness or 0) * 100),
                                     names="; ".join(f"{a.ministry.marked_name} {a.period}" for a in unranked))))
    gates = [f"{a.ministry.marked_name} {a.period}: {line}" for k, a in enumerate(comparison.assessments)
             for line in gate_lines(comparison.rubric, comparison.scores.triggered_gates(k),
                                    comparison.scores.triggered_gates(k, evidence=True), lang)]
    if gates:
        st.caption(escape_markdown(t("gate_column", lang) + ": " + " · ".join(gates)))
    order = comparison.order()
    st.plotly_chart(charts.heatmap(comparison.scores, order, language=lang, title=t("compare_heatmap_title", lang)),
                    key="compare_heatmap")
    st.plotly_chart(charts.radar(comparison.scores, order, language=lang, title=t("compare_radar_title", lang)),
                    key="compare_radar")
    computed = research_section(comparison, [(s.id, s.updated_at) for s in members], tag or None, lang)
    owners = st.multiselect(t("compare_evidence_of", lang), [a.id for a in chosen], default=[],
                            format_func=lambda aid: next(f"{a.ministry.marked_name} ({a.period})"
                                                         for a in chosen if a.id == aid),
                            help=t("compare_evidence_of_help", lang), key="compare_evidence_of")
    st.download_button(t("compare_workbook", lang),
                       data=checked(lambda ws: comparison_workbook_bytes(
                           comparison, comparison.rubric, _still_seen(ws, chosen), lang=lang, evidence_of=owners,
                           **computed)),
                       file_name="comparison.xlsx", key="compare_workbook", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    _report_downloads(comparison, chosen, owners, lang)
    trend_section(rubric, chosen, tag or None, normalisation, lang)


def _report_downloads(comparison: Comparison, chosen: Sequence[Assessment], owners: list[str], lang: str) -> None:
    """The comparison report as PDF and HTML, with the consultancy's and the client's names and logo.

    The logo is checked as the export page checks it; a refused one is named and no report is offered.
    """
    st.caption(t("compare_report_help", lang))
    branding = branding_fields(lang, page="compare")
    if branding is None:
        return
    left, right = st.columns(2)
    left.download_button(t("compare_report_pdf", lang), key="compare_pdf", on_click="ignore",
                         data=checked(lambda ws: _report(comparison, _still_seen(ws, chosen), lang, owners, branding,
                                                         "pdf")),
                         file_name=f"comparison-{lang}.pdf", mime="application/pdf")
    right.download_button(t("compare_report_html", lang), key="compare_html", on_click="ignore",
                          data=checked(lambda ws: _report(comparison, _still_seen(ws, chosen), lang, owners, branding,
                                                          "html")),
                          file_name=f"comparison-{lang}.html", mime="text/html")


def _report(comparison: Comparison, chosen: Sequence[Assessment], lang: str, owners: list[str], branding: Branding,
            kind: str) -> bytes:
    """The comparison report as PDF or HTML bytes: evidence only of the chosen owners, the first chosen as the client."""
    from toolkit.reports.html import comparison_report_html
    from toolkit.reports.pdf import html_to_pdf

    page, _ = comparison_report_html(comparison, comparison.rubric, chosen, lang=lang, evidence_of=owners,
                                     branding=branding)
    return html_to_pdf(page) if kind == "pdf" else page.encode("utf-8")


def _still_seen(ws: Workspace, chosen: Sequence[Assessment]) -> Sequence[Assessment]:
    """The rounds of the comparison, if the person may still see every one of them (AccessDenied if not)."""
    for assessment in chosen:
        ws.require(VIEW, assessment.id)
    return chosen


run_page(main)
