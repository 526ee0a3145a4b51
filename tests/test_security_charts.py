"""Security finding 6 of issue 11: stored text (periods, names, titles) never becomes chart markup.

Plotly renders a subset of HTML in every label (titles, ticks, legends, hover texts), so a period like
`<a href="http://127.0.0.1:9/">2031</a>` became a live link in the trend chart. Every figure the app
draws is built here from rounds whose stored texts are hostile, and every string the figure carries
is checked: no tag plotly would render, only our own hover templates.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from toolkit.cli.base import load_assessments
from toolkit.engine.comparison import compare
from toolkit.model.assessment import Ministry
from toolkit.model.catalogue import newest
from toolkit.reports import charts
from toolkit.research.consistency import consistency
from toolkit.research.uncertainty import uncertainty

SAMPLES = Path(__file__).resolve().parent.parent / "sample_ministries"
LINK = '<a href="http://127.0.0.1:9/">2031</a>'
BIG = '<span style="font-size:80px">2032</span>'
TAG = re.compile(r"<\s*/?\s*[a-z]", re.IGNORECASE)
TEMPLATES = {"hovertemplate", "texttemplate"}  # ours, with <br> and <extra> on purpose


@pytest.fixture(scope="module")
def hostile():
    """Two fictional ministries' rounds whose periods, country and names are markup."""
    loaded = load_assessments(sorted(SAMPLES.glob("*.json")), None)
    rubric, rounds = newest(rubric for _, rubric in loaded), [assessment for assessment, _ in loaded]
    ministry = rounds[0].ministry
    evil = Ministry(id=ministry.id, name="<b>Ministry</b>", country='<i style="color:red">Belmara</i>',
                    fictional=True)
    first = dataclasses.replace(rounds[0], id=f"{ministry.id}-x1", ministry=evil, period=LINK)
    second = dataclasses.replace(rounds[0], id=f"{ministry.id}-x2", ministry=evil, period=BIG)
    other = dataclasses.replace(rounds[1], period=BIG)
    return compare(rubric, [first, second, other, *rounds[2:]])


def strings(node: Any, key: str = "") -> list[tuple[str, str]]:
    """Every (key, text) in a figure's JSON, templates aside."""
    if isinstance(node, dict):
        return [found for k, value in node.items() if k not in TEMPLATES for found in strings(value, k)]
    if isinstance(node, list | tuple):
        return [found for value in node for found in strings(value, key)]
    return [(key, node)] if isinstance(node, str) else []


def figures(comparison):
    scores = comparison.scores
    rows = list(range(len(scores)))
    spread = uncertainty(comparison, 50, seed=1)
    return {
        "trend": charts.trend(scores, comparison.trends(), title=LINK),
        "trend of one": charts.trend(scores, comparison.trends()[:1], dimensions=True),
        "radar": charts.radar(scores, rows, title=BIG),
        "radar of one": charts.radar(scores, [0], kinds=(charts.CLAIMED, charts.EVIDENCE)),
        "bars": charts.score_bars(scores, 0), "heatmap": charts.heatmap(scores, rows),
        "coverage": charts.coverage_bars(scores, 0),
        "rank intervals": charts.rank_intervals(scores, spread, rows),
        "stage probabilities": charts.stage_probabilities(scores, spread, rows),
        "correlations": charts.correlation_heatmap(consistency(comparison)),
    }


def test_no_stored_text_reaches_a_chart_as_markup(hostile):
    for name, figure in figures(hostile).items():
        live = [(key, text) for key, text in strings(figure.to_plotly_json()) if TAG.search(text)]
        assert live == [], name


def test_the_trend_shows_hostile_periods_as_the_text_they_are(hostile):
    figure = charts.trend(hostile.scores, hostile.trends())
    shown = {period for trace in figure.data for period in trace.x}
    assert shown >= {"&lt;a href=\"http://127.0.0.1:9/\"&gt;2031&lt;/a&gt;",
                     "&lt;span style=\"font-size:80px\"&gt;2032&lt;/span&gt;"}
    assert set(figure.layout.xaxis.categoryarray) == shown
    assert not any(TAG.search(period) for period in shown)
