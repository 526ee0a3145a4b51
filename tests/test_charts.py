"""Plotly figures: types, trace counts, axis ranges, labels in the chosen language, the engine's values."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from toolkit.cli.base import load_assessments
from toolkit.engine.comparison import compare
from toolkit.engine.coverage import evidence_coverage
from toolkit.engine.scoring import score
from toolkit.model.assessment import Ministry
from toolkit.model.catalogue import newest
from toolkit.model.rubric import text_in
from toolkit.reports import charts

SAMPLES = Path(__file__).resolve().parent.parent / "sample_ministries"


@pytest.fixture(scope="module")
def comparison():
    loaded = load_assessments(sorted(SAMPLES.glob("*.json")), None)
    # every sample, on the newest rubric version among them (older rounds as migrated to it)
    return compare(newest(rubric for _, rubric in loaded), [assessment for assessment, _ in loaded])


@pytest.fixture(scope="module")
def scores(comparison):
    return comparison.scores


def floats(plotted) -> np.ndarray:
    """Plotted numbers as floats, NaN for a null."""
    return np.array([math.nan if v is None else v for v in plotted], dtype=float)


def same(plotted, expected) -> bool:
    """Plotted numbers (None for a null) equal the engine's array (NaN for a null)."""
    expected = np.asarray(expected, dtype=float)
    plotted = np.array([math.nan if v is None else v for v in plotted], dtype=float)
    return np.array_equal(plotted, expected, equal_nan=True)


def test_radar_one_closed_trace_per_assessment_with_the_engines_values(scores):
    figure = charts.radar(scores, [0, 3, 5], language="id", title="Radar")
    assert isinstance(figure, go.Figure)
    assert [type(trace) for trace in figure.data] == [go.Scatterpolar] * 3
    titles = [text_in(node.title, "id") for node in scores.rubric.dimensions]
    for trace, row in zip(figure.data, [0, 3, 5], strict=True):
        assert list(trace.theta) == titles + titles[:1]
        assert trace.r[0] == trace.r[-1]
        assert same(trace.r[:-1], scores.dimensions[row])
    assert list(figure.layout.polar.radialaxis.range) == [0, 100]
    assert figure.layout.title.text == "Radar"
    assert figure.data[0].name == charts.assessment_label(scores.assessments[0])


def test_radar_of_one_assessment_overlays_claimed_and_evidence_backed(scores):
    figure = charts.radar(scores, [0], language="en", kinds=(charts.CLAIMED, charts.EVIDENCE))
    assert [trace.name for trace in figure.data] == ["Claimed", "Evidence-backed"]
    top = scores.compiled.top_level
    assert same(figure.data[0].r[:-1], scores.node_scores[0, top])
    assert same(figure.data[1].r[:-1], scores.node_evidence_scores[0, top])
    assert not same(figure.data[0].r, figure.data[1].r)  # the samples claim levels without evidence


def test_radar_of_every_row_and_both_kinds(scores):
    figure = charts.radar(scores, kinds=(charts.CLAIMED, charts.EVIDENCE))
    assert len(figure.data) == 2 * len(scores)
    assert figure.data[1].name.endswith("· Evidence-backed")


def test_bars_claimed_versus_evidence_backed(scores):
    figure = charts.score_bars(scores, 2, language="id", title="Batang")
    assert [type(trace) for trace in figure.data] == [go.Bar, go.Bar]
    assert [trace.name for trace in figure.data] == ["Klaim", "Berbasis bukti"]
    top = scores.compiled.top_level
    assert all(trace.orientation == "h" for trace in figure.data)
    assert same(figure.data[0].x, scores.node_scores[2, top])
    assert same(figure.data[1].x, scores.node_evidence_scores[2, top])
    assert list(figure.data[0].y) == [text_in(node.title, "id") for node in scores.rubric.dimensions]
    assert figure.data[0].text[0] == f"{scores.node_scores[2, top[0]]:.1f}"
    assert list(figure.layout.xaxis.range) == [0, 100]
    assert figure.layout.barmode == "group"


def test_heatmap_rows_by_dimensions_on_a_fixed_scale_with_one_decimal(scores, comparison):
    order = comparison.order()
    figure = charts.heatmap(scores, order, language="en", title="Heat")
    (trace,) = figure.data
    assert isinstance(trace, go.Heatmap)
    assert (trace.zmin, trace.zmax) == (0, 100)
    assert np.array_equal(np.array(trace.z, dtype=float), scores.dimensions[order], equal_nan=True)
    assert trace.text[0][0] == f"{scores.dimensions[order[0], 0]:.1f}"
    assert list(trace.y) == [charts.assessment_label(scores.assessments[k]) for k in order]
    assert len(set(trace.y)) == len(order)
    assert all(label.split(",")[0].endswith("†") for label in trace.y)  # the samples are fictional
    assert list(trace.x) == [text_in(node.title, "en") for node in scores.rubric.dimensions]


def test_heatmap_shows_a_null_dimension_as_an_empty_cell(scores):
    first = scores.assessments[0]
    keep = {ind.id for ind in scores.rubric.dimensions[0].indicators}
    partial = dataclasses.replace(first, id="partial",
                                  answers={k: v for k, v in first.answers.items() if k not in keep})
    figure = charts.heatmap(score(scores.rubric, [partial]))
    assert figure.data[0].z[0][0] is None and figure.data[0].text[0][0] == ""
    assert figure.data[0].z[0][1] is not None


def test_row_labels_stay_distinct_when_ministry_and_period_repeat(scores):
    twin = dataclasses.replace(scores.assessments[0], id="twin")
    both = score(scores.rubric, [scores.assessments[0], twin])
    labels = charts.row_labels(both, [0, 1])
    assert len(set(labels)) == 2 and labels[1].endswith("(twin)")


def test_trend_one_line_per_ministry_with_several_periods(scores, comparison):
    trends = comparison.trends()
    figure = charts.trend(scores, trends, language="en", title="Trend")
    assert [type(trace) for trace in figure.data] == [go.Scatter] * len(trends)
    for trace, item in zip(figure.data, trends, strict=True):
        assert list(trace.x) == [point.period for point in item.points]
        assert same(trace.y, [scores.overall[point.index] for point in item.points])
        ministry = scores.assessments[item.points[0].index].ministry
        assert trace.name == f"{ministry.country} †"
    periods = sorted({p.period for item in trends for p in item.points})
    assert list(figure.layout.xaxis.categoryarray) == periods
    assert list(figure.layout.yaxis.range) == [0, 100]


def test_trend_of_one_ministry_with_its_dimensions(scores, comparison):
    item = next(trend for trend in comparison.trends() if len(trend.points) == 3)
    figure = charts.trend(scores, [item], language="id", dimensions=True)
    dimensions = scores.rubric.dimensions
    assert len(figure.data) == 1 + len(dimensions)
    assert figure.data[0].name == "Keseluruhan"
    assert figure.data[1].name == text_in(dimensions[0].title, "id")
    rows = [point.index for point in item.points]
    assert same(figure.data[2].y, scores.node(dimensions[1].id)[rows])


def test_coverage_bars_show_the_share_with_evidence(scores):
    figure = charts.coverage_bars(scores, 4, language="en", title="Coverage")
    (trace,) = figure.data
    assert isinstance(trace, go.Bar)
    assert same(trace.y, evidence_coverage(scores)[4, 1:])
    assert list(figure.layout.yaxis.range) == [0, 1]
    assert figure.layout.yaxis.tickformat == ".0%"


def test_document_texts_are_escaped_for_plotly(scores):
    hostile = Ministry(id="h", name="X", country='<a href="javascript:alert(1)">Evil</a> & co')
    odd = dataclasses.replace(scores.assessments[0], id="h", ministry=hostile)
    figure = charts.heatmap(score(scores.rubric, [odd]), title="<b>t</b>")
    assert figure.data[0].y[0].startswith('&lt;a href="javascript:alert(1)"&gt;Evil&lt;/a&gt; &amp; co')
    assert figure.layout.title.text == "&lt;b&gt;t&lt;/b&gt;"


# research: bench and compare view

@pytest.fixture(scope="module")
def spread(comparison):
    from toolkit.research.uncertainty import uncertainty

    return uncertainty(comparison, 300, seed=2, switch_aggregation=True)


def test_rank_intervals_median_rank_with_its_5_to_95_bar_and_the_nominal_rank(scores, comparison, spread):
    order = comparison.order()
    figure = charts.rank_intervals(scores, spread, order, language="id", title="Peringkat")
    median, nominal = figure.data
    assert [type(trace) for trace in figure.data] == [go.Scatter, go.Scatter]
    assert median.name == "Peringkat median (batang 5–95%)" and nominal.name == "Peringkat hasil skor"
    p05, p50, p95 = spread.rank_percentiles[order].T
    assert same(median.x, p50)
    assert same(floats(median.x) - floats(median.error_x.arrayminus), p05)  # NaN: a round without a rank
    assert same(floats(median.x) + floats(median.error_x.array), p95)
    assert median.error_x.symmetric is False
    assert same(nominal.x, comparison.ranks[order])
    assert list(median.y) == list(nominal.y) == charts.row_labels(scores, order)
    assert list(figure.layout.xaxis.range) == [0.5, len(order) + 0.5]
    assert figure.layout.xaxis.title.text == "Peringkat"
    assert figure.layout.yaxis.autorange == "reversed"  # the best on top
    assert figure.layout.title.text == "Peringkat"


def test_stage_probabilities_stack_one_trace_per_stage_to_one(scores, comparison, spread):
    order = comparison.order()
    figure = charts.stage_probabilities(scores, spread, order, language="en", title="Stages")
    stages = scores.rubric.stages
    assert [trace.name for trace in figure.data] == [text_in(stage.label, "en") for stage in stages]
    assert all(isinstance(trace, go.Bar) and trace.orientation == "h" for trace in figure.data)
    assert figure.layout.barmode == "stack"
    shares = np.array([trace.x for trace in figure.data], dtype=float)  # stages x rows
    assert np.array_equal(shares.T, spread.stage_probability[order], equal_nan=True)
    rated = comparison.scores.overall_rated[order]  # a round below min_completeness has no stage
    assert not rated.all() and np.isnan(shares[:, ~rated]).all()
    np.testing.assert_allclose(shares[:, rated].sum(axis=0), 1.0)
    assert list(figure.layout.xaxis.range) == [0, 1] and figure.layout.xaxis.tickformat == ".0%"
    assert len({trace.marker.color for trace in figure.data}) == len(stages)


def test_research_charts_leave_a_null_score_empty(scores):
    from toolkit.research.uncertainty import uncertainty

    first = scores.assessments[0]
    empty = dataclasses.replace(first, id="empty", answers={})
    batch = score(scores.rubric, [first, empty, scores.assessments[1]])
    drawn = uncertainty(batch, 50, seed=1)
    intervals = charts.rank_intervals(batch, drawn)
    assert intervals.data[0].x[1] is None and intervals.data[0].error_x.array[1] is None
    assert intervals.data[1].x[1] is None
    stages = charts.stage_probabilities(batch, drawn)
    assert all(trace.x[1] is None for trace in stages.data)
