"""Consistency: Cronbach's alpha by hand, correlations, coverage, and the reviewer's warnings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from toolkit.engine.comparison import Comparison, compare
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric
from toolkit.research.consistency import (
    WARNINGS,
    alphas,
    consistency,
    correlations,
    coverage,
    cronbach_alpha,
    indicator_frame,
    node_frame,
)

# Five respondents, three items. Item variances (n - 1): 2.5, 0.7, 1.3 (sum 4.5); totals 8, 13, 10,
# 13, 5 have variance 46.8 / 4 = 11.7. Alpha = 3/2 * (1 - 4.5 / 11.7) = 10.8 / 11.7 = 12/13.
ITEMS = [[2, 3, 3], [4, 4, 5], [3, 3, 4], [5, 4, 4], [1, 2, 2]]


def rubric(dimensions: dict[str, list[str]], subs: dict[str, dict[str, list[str]]] | None = None) -> Rubric:
    def indicators(ids: list[str]) -> list[dict[str, Any]]:
        return [{"id": i, "kind": "level", "title": {"en": i}, "question": {"en": i}} for i in ids]

    nodes = []
    for node_id, ids in dimensions.items():
        node: dict[str, Any] = {"id": node_id, "title": {"en": node_id}, "indicators": indicators(ids)}
        if subs and node_id in subs:
            node["dimensions"] = [{"id": s, "title": {"en": s}, "indicators": indicators(sub_ids)}
                                  for s, sub_ids in subs[node_id].items()]
        nodes.append(node)
    return Rubric.from_dict({
        "kind": "rubric", "format_version": 1, "id": "toy", "version": "1.0.0", "title": {"en": "Toy"},
        "languages": ["en"], "normalisation": "goalposts",
        "scale": {"levels": [{"value": v, "label": {"en": str(v)}} for v in range(6)]},
        "stages": [{"id": "low", "min_score": 0, "label": {"en": "Low"}}],
        "evidence_policy": {"unsupported_cap": None}, "dimensions": nodes})


def assess(assessment_id: str, answers: dict[str, Any], period: str = "2026") -> Assessment:
    return Assessment.from_dict({
        "kind": "assessment", "format_version": 1, "id": assessment_id,
        "rubric": {"id": "toy", "version": "1.0.0"},
        "ministry": {"id": assessment_id, "name": assessment_id, "country": "Testland"},
        "period": period, "date": "2026-01-01", "status": "submitted", "answers": answers})


def levels(**values: int | None) -> dict[str, Any]:
    return {key: ({"na": True, "na_reason": "n/a"} if v is None else {"level": v})
            for key, v in values.items()}


@pytest.fixture(scope="module")
def hand() -> Comparison:
    """The ITEMS matrix as one dimension's three indicators."""
    return compare(rubric({"d": ["q1", "q2", "q3"]}), [
        assess(f"r{k}", levels(q1=a, q2=b, q3=c)) for k, (a, b, c) in enumerate(ITEMS)])


def test_cronbach_alpha_equals_the_hand_computed_value():
    alpha, n = cronbach_alpha(ITEMS)
    assert alpha == pytest.approx(12 / 13, rel=1e-12)
    assert n == 5


def test_cronbach_alpha_is_listwise_and_undefined_without_variation():
    with_gap = [*ITEMS, [np.nan, 1, 1]]
    assert cronbach_alpha(with_gap) == (pytest.approx(12 / 13), 5)
    parallel = [[1, 1], [2, 2], [4, 4]]
    assert cronbach_alpha(parallel)[0] == pytest.approx(1.0)
    assert np.isnan(cronbach_alpha([[1, 2], [1, 2], [1, 2]])[0])
    with pytest.raises(ValueError):
        cronbach_alpha([1, 2, 3])


def test_alpha_of_a_dimension_over_the_compared_assessments(hand):
    # Scores are 20 per level: alpha does not change with the scale.
    table = alphas(hand)
    assert table.to_dict("records") == [
        {"node": "d", "depth": 1, "indicators": 3, "assessments": 5, "alpha": pytest.approx(12 / 13)}]


def test_alpha_of_a_dimension_covers_the_indicators_of_its_sub_dimensions():
    r = rubric({"d": ["q1"]}, subs={"d": {"s": ["q2", "q3"]}})
    comparison = compare(r, [assess(f"r{k}", levels(q1=a, q2=b, q3=c))
                             for k, (a, b, c) in enumerate(ITEMS)])
    table = alphas(comparison).set_index("node")
    assert table.loc["d", "indicators"] == 3
    assert table.loc["d", "alpha"] == pytest.approx(12 / 13)
    assert table.loc["s", "indicators"] == 2


def test_correlations_are_pearson_with_the_overall_first(hand):
    indicators, nodes, crossed = correlations(hand)
    matrix = np.array(ITEMS, dtype=float)
    np.testing.assert_allclose(indicators.to_numpy(), np.corrcoef(matrix.T), rtol=1e-12)
    assert list(nodes.columns) == ["overall", "d"]
    assert nodes.loc["overall", "d"] == pytest.approx(1.0)
    total = matrix.sum(axis=1)
    assert crossed.loc["q1", "d"] == pytest.approx(np.corrcoef(matrix[:, 0], total)[0, 1])
    assert list(crossed.index) == ["q1", "q2", "q3"]


def test_correlations_are_pairwise_complete_and_need_three_pairs():
    r = rubric({"d": ["q1", "q2", "q3"]})
    comparison = compare(r, [assess("a", levels(q1=1, q2=1, q3=1)), assess("b", levels(q1=2, q2=3)),
                             assess("c", levels(q1=3, q2=2, q3=5)), assess("e", levels(q1=4, q2=5))])
    indicators = correlations(comparison)[0]
    expected = pd.Series([1, 2, 3, 4]).corr(pd.Series([1, 3, 2, 5]))
    assert indicators.loc["q1", "q2"] == pytest.approx(expected)
    assert np.isnan(indicators.loc["q1", "q3"])  # two pairs only


def test_frames_are_labelled_by_id(hand):
    assert list(indicator_frame(hand).index) == ["r0", "r1", "r2", "r3", "r4"]
    assert list(node_frame(hand).columns) == ["overall", "d"]


def test_coverage_counts_answers_missing_and_na():
    r = rubric({"d": ["q1", "q2"]})
    comparison = compare(r, [assess("a", levels(q1=1, q2=None)), assess("b", levels(q1=2)),
                             assess("c", levels(q1=3, q2=4)), assess("e", {})])
    table = coverage(comparison).set_index("indicator")
    assert table.loc["q1"].to_dict() == {"node": "d", "answered": 3, "missing": 1, "na": 0,
                                         "coverage": 0.75, "coverage_applicable": 0.75}
    assert table.loc["q2"].to_dict() == {"node": "d", "answered": 1, "missing": 2, "na": 1,
                                         "coverage": 0.25, "coverage_applicable": pytest.approx(1 / 3)}


def test_warnings_a_reviewer_wants():
    r = rubric({"d": ["q1", "q2", "q3"], "e": ["q4", "q5", "q6"]})
    rows = [(0, 4, 0, 1, 3), (1, 2, 1, 2, 1), (2, 3, 1, 3, 4), (3, 0, 2, 4, 0), (4, 1, 3, 5, 2)]
    batch = [assess(f"r{k}", levels(q1=a, q2=b, q3=c, q4=d, q6=2, **({"q5": e} if k < 2 else {})),
                    period="2026" if k else "2025")
             for k, (a, b, c, d, e) in enumerate(rows)]
    found = consistency(compare(r, batch)).warnings
    messages = {(w.code, w.subject): w.message for w in found}
    assert messages[("mixed_periods", None)] == (
        "The comparison mixes periods 2025, 2026: the ranks compare rounds as well as ministries, and the "
        "correlations and alphas count each round of a ministry as a separate assessment.")
    # q1 and q2 move in opposite directions: alpha of d is -1.875 (by hand as above), below 0.7.
    assert messages[("low_alpha", "d")] == (
        "The indicators of “d” do not hang together: Cronbach's alpha is -1.875, below 0.7 (over 5 assessments).")
    assert messages[("low_coverage", "q5")] == (
        "“q5” is answered by only 2 of 5 assessments (40%; at least 50% and 3 are expected): its "
        "correlations, and the alpha of its dimension, rest on few answers.")
    assert messages[("no_variation", "q6")] == (
        "“q6” has the same score in every assessment that answered it: it cannot tell them apart and "
        "correlates with nothing.")
    assert messages[("negative_correlation", "q2")] == (
        "“q2” correlates negatively with its dimension “d” (r = -0.38): check the direction of its scale "
        "and its place in the rubric.")
    assert messages[("alpha_undefined", "e")] == (
        "Cronbach's alpha of “e” cannot be computed: it needs at least 3 assessments that answered all its 3 "
        "indicators, and there are 2.")
    assert len(found) == 6
    assert {w.code for w in found} <= set(WARNINGS)
    assert found[0].to_dict() == {"code": "mixed_periods", "subject": None,
                                  "message": messages[("mixed_periods", None)]}


def test_a_consistent_single_period_comparison_raises_no_warning(hand):
    result = consistency(hand)
    assert result.warnings == ()
    assert result.alpha["alpha"].iloc[0] == pytest.approx(12 / 13)
    assert list(result.coverage["coverage"]) == [1.0, 1.0, 1.0]
