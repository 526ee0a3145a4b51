"""Plotly figures of scores: radar, bars, heatmap, trend, evidence coverage, rank intervals, stage odds
and the correlations of a consistency check.

Figures are returned, never shown: the app passes them to `st.plotly_chart`, a notebook displays
them. Every figure takes a `Scores` (or a comparison's trends) so the values drawn are exactly the
engine's; labels come from the rubric in the chosen language and titles are passed in. Texts from
documents (ministry names, rubric titles) are escaped so plotly shows them as written, never as
its pseudo-HTML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from toolkit.engine.comparison import Trend
from toolkit.engine.coverage import evidence_coverage
from toolkit.engine.results import Scores
from toolkit.i18n import t
from toolkit.model.assessment import Assessment, marked_name
from toolkit.model.rubric import Rubric, text_in
from toolkit.research.uncertainty import Uncertainty

if TYPE_CHECKING:
    from toolkit.research.consistency import Consistency

SCORE_RANGE = (0, 100)
CLAIMED, EVIDENCE = "claimed", "evidence"
HEAT_SCALE = "Blues"
CORRELATION_SCALE = "RdBu"  # red negative, white none, blue positive (fixed on -1..1)


def plain(text: str) -> str:
    """A document's text as plotly must receive it to show it literally (no tags, no links)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def dimension_labels(rubric: Rubric, language: str) -> list[str]:
    """The top-level dimensions' titles in `language`, in rubric order."""
    return [text_in(node.title, language) for node in rubric.dimensions]


def assessment_label(assessment: Assessment) -> str:
    """How a chart names an assessment: country (with † when fictional), period.

    The country, not the ministry's full name ("Ministry of Foreign Affairs of ..."), keeps axes and
    legends short; `row_labels` adds the assessment id where two labels would clash.
    """
    return f"{marked_name(assessment.ministry.country, assessment.ministry.fictional)}, {assessment.period}"


def row_labels(scores: Scores, rows: Sequence[int]) -> list[str]:
    """Distinct labels for some rows of a batch (the assessment id added where two would clash)."""
    if scores.assessments is None:
        return [scores.ids[k] for k in rows]
    labels = [assessment_label(scores.assessments[k]) for k in rows]
    clashes = {label for label in labels if labels.count(label) > 1}
    return [f"{label} ({scores.ids[k]})" if label in clashes else label
            for label, k in zip(labels, rows, strict=True)]


def _values(array: np.ndarray) -> list[float | None]:
    """Numbers for plotly, with None where the engine has a null."""
    return [None if math.isnan(x) else float(x) for x in array.tolist()]


def _rows(scores: Scores, rows: Sequence[int] | None) -> list[int]:
    return list(range(len(scores))) if rows is None else list(rows)


def _layout(figure: go.Figure, title: str) -> go.Figure:
    figure.update_layout(title={"text": plain(title)}, margin={"l": 40, "r": 40, "t": 60, "b": 40},
                         legend={"orientation": "h", "yanchor": "top", "y": -0.1})
    return figure


def radar(scores: Scores, rows: Sequence[int] | None = None, *, language: str = "en", title: str = "",
          kinds: Sequence[str] = (CLAIMED,)) -> go.Figure:
    """Dimension scores on a 0-100 radar: one closed trace per row and kind (claimed, evidence)."""
    rows = _rows(scores, rows)
    labels = [plain(label) for label in dimension_labels(scores.rubric, language)]
    names = row_labels(scores, rows)
    kind_names = {CLAIMED: t("chart_claimed", language), EVIDENCE: t("evidence_backed", language)}
    figure = go.Figure()
    for row, name in zip(rows, names, strict=True):
        for kind in kinds:
            values = scores.node_evidence_scores if kind == EVIDENCE else scores.node_scores
            r = _values(values[row, scores.compiled.top_level])
            if len(rows) == 1:
                trace_name = kind_names[kind]
            else:
                trace_name = plain(name) + (f" · {kind_names[kind]}" if len(kinds) > 1 else "")
            # Repeat the first point so the polygon closes.
            figure.add_trace(go.Scatterpolar(
                r=r + r[:1], theta=labels + labels[:1], name=trace_name, mode="lines+markers",
                fill="toself" if len(rows) * len(kinds) <= 2 else "none", opacity=0.8,
                hovertemplate="%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>"))
    between = 90 - 180 / max(len(labels), 1)  # the radial ticks sit between the first two spokes
    figure.update_layout(polar={
        "radialaxis": {"range": list(SCORE_RANGE), "tickvals": [0, 20, 40, 60, 80, 100], "angle": between,
                       "tickangle": between, "tickfont": {"size": 9}},
        "angularaxis": {"rotation": 90, "direction": "clockwise"},
    }, showlegend=True)
    _layout(figure, title)
    figure.update_layout(margin={"l": 90, "r": 90})  # room for long dimension names left and right
    return figure


def score_bars(scores: Scores, row: int = 0, *, language: str = "en", title: str = "") -> go.Figure:
    """Claimed and evidence-backed score per dimension of one assessment, as paired horizontal bars (0-100)."""
    labels = [plain(label) for label in dimension_labels(scores.rubric, language)]
    top = scores.compiled.top_level
    figure = go.Figure()
    for name, values in ((t("chart_claimed", language), scores.node_scores),
                         (t("evidence_backed", language), scores.node_evidence_scores)):
        x = _values(values[row, top])
        figure.add_trace(go.Bar(y=labels, x=x, name=name, orientation="h", text=[_one_decimal(v) for v in x],
                                textposition="outside", cliponaxis=False,
                                hovertemplate="%{y}: %{x:.1f}<extra>%{fullData.name}</extra>"))
    figure.update_layout(barmode="group", xaxis={"range": list(SCORE_RANGE), "title": t("chart_score", language)},
                         yaxis={"autorange": "reversed"})  # the first dimension on top, as in the tables
    return _layout(figure, title)


def heatmap(scores: Scores, rows: Sequence[int] | None = None, *, language: str = "en",
            title: str = "") -> go.Figure:
    """Assessments (rows, in the order given) x dimensions, coloured on a fixed 0-100 scale."""
    rows = _rows(scores, rows)
    z = [_values(scores.dimensions[row]) for row in rows]
    figure = go.Figure(go.Heatmap(
        z=z, x=[plain(label) for label in dimension_labels(scores.rubric, language)],
        y=[plain(label) for label in row_labels(scores, rows)],
        zmin=SCORE_RANGE[0], zmax=SCORE_RANGE[1], colorscale=HEAT_SCALE,
        text=[[_one_decimal(v) for v in line] for line in z], texttemplate="%{text}",
        hovertemplate="%{y}<br>%{x}: %{z:.1f}<extra></extra>",
        colorbar={"title": {"text": t("chart_score", language)}}))
    # A row per assessment, tall enough to read its annotations; the first row on top.
    figure.update_layout(yaxis={"autorange": "reversed"}, height=200 + 36 * len(rows),
                         # long dimension names slant below the cells; above, they ran into the title
                         xaxis={"side": "bottom", "tickangle": -30, "automargin": True})
    return _layout(figure, title)


def trend(scores: Scores, trends: Sequence[Trend], *, language: str = "en", title: str = "",
          dimensions: bool = False) -> go.Figure:
    """Overall score over periods, one line per ministry; with `dimensions`, a dashed line per dimension too."""
    # Periods are stored text: escaped like every label, so `<a href=...>2031</a>` stays a label.
    periods = [plain(period) for period in sorted({point.period for item in trends for point in item.points})]
    labels = dimension_labels(scores.rubric, language)
    top = scores.compiled.top_level
    figure = go.Figure()
    for item in trends:
        x = [plain(point.period) for point in item.points]
        rows = [point.index for point in item.points]
        ministry = item.ministry_name
        if scores.assessments is not None:
            first = scores.assessments[rows[0]].ministry
            ministry = marked_name(first.country, first.fictional)
        overall = t("overall", language)
        figure.add_trace(go.Scatter(
            x=x, y=_values(scores.overall[rows]), mode="lines+markers",
            name=plain(ministry if len(trends) > 1 else overall),
            hovertemplate="%{x}: %{y:.1f}<extra>%{fullData.name}</extra>"))
        if dimensions:
            for position, label in enumerate(labels):
                name = label if len(trends) == 1 else f"{ministry} · {label}"
                figure.add_trace(go.Scatter(
                    x=x, y=_values(scores.node_scores[rows, top[position]]), mode="lines+markers",
                    name=plain(name), line={"dash": "dot", "width": 1}, marker={"size": 4},
                    hovertemplate="%{x}: %{y:.1f}<extra>%{fullData.name}</extra>"))
    figure.update_layout(
        xaxis={"type": "category", "categoryorder": "array", "categoryarray": periods},
        yaxis={"range": list(SCORE_RANGE), "title": t("chart_score", language)})
    return _layout(figure, title)


def coverage_bars(scores: Scores, row: int = 0, *, language: str = "en", title: str = "") -> go.Figure:
    """Per dimension, the share (0-1) of answered indicators that carry evidence."""
    share = _values(evidence_coverage(scores)[row, 1:])
    figure = go.Figure(go.Bar(
        x=[plain(label) for label in dimension_labels(scores.rubric, language)], y=share,
        name=t("chart_coverage", language),
        text=[None if v is None else f"{v:.0%}" for v in share], textposition="outside", cliponaxis=False,
        hovertemplate="%{x}: %{y:.0%}<extra></extra>"))
    figure.update_layout(yaxis={"range": [0, 1], "tickformat": ".0%",
                                "title": t("chart_coverage", language)})
    return _layout(figure, title)


# research: bench and compare view
def rank_intervals(scores: Scores, spread: Uncertainty, rows: Sequence[int] | None = None, *,
                   language: str = "en", title: str = "") -> go.Figure:
    """Per row, the median rank over the draws with its 5-95% bar, and the nominal rank (1 = best)."""
    rows = _rows(scores, rows)
    labels = [plain(label) for label in row_labels(scores, rows)]
    low, median, high = (_values(spread.rank_percentiles[rows, k]) for k in range(3))
    below = [None if m is None else m - lo for m, lo in zip(median, low, strict=True)]
    above = [None if m is None else hi - m for m, hi in zip(median, high, strict=True)]
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=median, y=labels, mode="markers", name=t("chart_median_rank", language),
        marker={"size": 10, "symbol": "circle"},
        error_x={"type": "data", "symmetric": False, "array": above, "arrayminus": below, "thickness": 2},
        customdata=[[lo, hi] for lo, hi in zip(low, high, strict=True)],
        hovertemplate="%{y}: %{x:g} (5–95%: %{customdata[0]:g}–%{customdata[1]:g})"
                      "<extra>%{fullData.name}</extra>"))
    figure.add_trace(go.Scatter(
        x=_values(spread.nominal_rank[rows]), y=labels, mode="markers",
        name=t("chart_nominal_rank", language), marker={"size": 9, "symbol": "diamond-open"},
        hovertemplate="%{y}: %{x:g}<extra>%{fullData.name}</extra>"))
    count = len(spread.assessment_ids)
    figure.update_layout(
        xaxis={"range": [0.5, count + 0.5], "title": t("rank", language), "dtick": 1 if count <= 20 else None},
        yaxis={"autorange": "reversed"})  # the first row on top
    return _legend_below_axis(_layout(figure, title), len(rows))


def stage_probabilities(scores: Scores, spread: Uncertainty, rows: Sequence[int] | None = None, *,
                        language: str = "en", title: str = "") -> go.Figure:
    """Per row, the share of draws in each stage, as one stacked horizontal bar (0-1)."""
    rows = _rows(scores, rows)
    labels = [plain(label) for label in row_labels(scores, rows)]
    stages = scores.rubric.stages
    colours = sample_colorscale(HEAT_SCALE, list(np.linspace(0.25, 1.0, len(stages))))
    figure = go.Figure()
    for k, (stage, colour) in enumerate(zip(stages, colours, strict=True)):
        share = _values(spread.stage_probability[rows, k])
        figure.add_trace(go.Bar(
            x=share, y=labels, orientation="h", name=plain(text_in(stage.label, language)),
            marker={"color": colour}, text=[None if v is None or v < 0.05 else f"{v:.0%}" for v in share],
            textposition="inside", insidetextanchor="middle",
            hovertemplate="%{y}<br>%{fullData.name}: %{x:.1%}<extra></extra>"))
    figure.update_layout(barmode="stack", yaxis={"autorange": "reversed"},
                         xaxis={"range": [0, 1], "tickformat": ".0%", "title": t("chart_probability", language)})
    return _legend_below_axis(_layout(figure, title), len(rows))


def correlation_heatmap(checks: Consistency, *, language: str = "en", title: str = "") -> go.Figure:
    """Pearson correlations of the overall and the top-level dimension scores, on a fixed -1..1 scale."""
    rubric = checks.rubric
    top = [node.id for node in rubric.dimensions] if rubric is not None else []
    keys = [key for key in checks.node_correlations.columns if key == "overall" or key in top]
    titles = {node.id: text_in(node.title, language) for node in rubric.dimensions} if rubric is not None else {}
    labels = [plain(t("overall", language) if key == "overall" else titles.get(key, key)) for key in keys]
    z = [_values(checks.node_correlations.loc[key, keys].to_numpy(dtype=float)) for key in keys]
    figure = go.Figure(go.Heatmap(
        z=z, x=labels, y=labels, zmin=-1, zmax=1, zmid=0, colorscale=CORRELATION_SCALE,
        text=[["" if v is None else f"{v:.2f}" for v in line] for line in z], texttemplate="%{text}",
        hovertemplate="%{y} · %{x}: r = %{z:.2f}<extra></extra>",
        colorbar={"title": {"text": t("chart_correlation", language)}}))
    figure.update_layout(yaxis={"autorange": "reversed"}, height=240 + 36 * len(keys),
                         xaxis={"side": "bottom", "tickangle": -30, "automargin": True})
    return _layout(figure, title)


def _legend_below_axis(figure: go.Figure, rows: int) -> go.Figure:
    """A row per assessment, and the legend below the x-axis title (a fixed gap in pixels)."""
    top, bottom = 60, 110
    height = top + bottom + 40 + 30 * rows
    figure.update_layout(height=height, margin={"t": top, "b": bottom},
                         legend={"y": -55 / (height - top - bottom), "traceorder": "normal"})
    return figure
# end of block: research: bench and compare view


def _one_decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
