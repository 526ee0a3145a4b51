"""Scoring and analysis rules at their edges: each test here was written against a mutant of the
code that every other test let through (issue 17), so it names the rule it guards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import test_consistency as consistency_cases
import test_scoring as scoring_cases
import test_sensitivity as sensitivity_cases
import test_uncertainty as uncertainty_cases

from toolkit.engine.comparison import compare
from toolkit.engine.compiled import LevelMatrix, compile_rubric, to_matrix
from toolkit.engine.scoring import score_matrix
from toolkit.errors import ComparisonError
from toolkit.issues import Issue
from toolkit.model.validation import sort_issues
from toolkit.research.consistency import ALPHA_THRESHOLD, consistency_warnings
from toolkit.research.sensitivity import rank_sobol
from toolkit.research.uncertainty import uncertainty

# ------------------------------------------------------------------------------------ scoring

@pytest.mark.parametrize("level", [-1, -0.5, 4.5, 5])
def test_a_level_below_or_above_the_scale_never_reaches_the_formulas(level: float) -> None:
    answers = scoring_cases.assess({"a1": {"level": level}})
    with pytest.raises(ComparisonError, match=r"x: \$\.answers\.a1: indicator 'a1' needs a level from 0 to 4"):
        to_matrix(compile_rubric(scoring_cases.MINI), [answers])


def test_a_bare_matrix_with_a_float_na_mask_is_scored_with_its_statuses() -> None:
    compiled = compile_rubric(scoring_cases.MINI)
    values = np.array([[4.0, 4, 4, 4, 4, 0]])
    na = np.array([[0.0, 1.0, 0.0, 0.0, 0.0, 0.0]])  # as read from a CSV of 0/1 flags
    scores = score_matrix(compiled, LevelMatrix.from_values(values, na=na))
    assert scores.indicator_status.tolist() == [[0, 2, 0, 0, 0, 0]]
    assert scores.overall.tolist() == [100.0]
    assert set(scores.node_status.ravel().tolist()) == {0}


# -------------------------------------------------------------------------------- uncertainty

def test_weight_factors_reach_both_ends_of_one_plus_or_minus_the_spread() -> None:
    """d1 scores 100 and d2 0, so the overall is 100 f1 / (f1 + f2) with f uniform in [0.75, 1.25]:
    between 37.5 and 62.5, above 60 in about 2 % of draws (below 57.2 if the factors stopped at 1)."""
    rubric = uncertainty_cases.toy_rubric([uncertainty_cases.dim("d1", "i1"), uncertainty_cases.dim("d2", "i2")])
    answers = {"i1": {"level": 4, "confidence": "high"}, "i2": {"level": 0, "confidence": "high"}}
    result = uncertainty(compare(rubric, [uncertainty_cases.assess("a", answers)]), 2000, 5, spread=0.25)
    drawn = result.overall_draws[:, 0]
    assert 37.5 <= drawn.min() < 40 and 60 < drawn.max() <= 62.5
    assert 0.005 < (drawn > 60).mean() < 0.05 and 0.005 < (drawn < 40).mean() < 0.05


# -------------------------------------------------------------------------------- sensitivity

def test_when_only_levels_are_uncertain_the_levels_explain_the_rank_changes() -> None:
    toy = sensitivity_cases.toy_rubric({"d1": 1, "d2": 1, "d3": 2})
    batch = [sensitivity_cases.assess("a1", {"i1": 4, "i2": 0, "i3": 1}),
             sensitivity_cases.assess("a2", {"i1": 0, "i2": 4, "i3": 2}),
             sensitivity_cases.assess("a3", {"i1": 1, "i2": 3, "i3": 2})]
    result = rank_sobol(compare(toy, batch), samples=256, seed=2, spread=0.0, switch_aggregation=False,
                        bootstrap=50)
    assert result["levels"].total > 0.8 and result["levels"].first > 0.5
    assert "weights" not in result  # Sobol reports only the inputs that vary in the run


def test_when_only_weights_are_uncertain_the_weights_explain_the_rank_changes() -> None:
    toy = sensitivity_cases.toy_rubric({"d1": 1, "d2": 1})
    batch = [sensitivity_cases.assess("a", {"i1": 4, "i2": 0}, "high"),
             sensitivity_cases.assess("b", {"i1": 1, "i2": 2}, "high")]
    result = rank_sobol(compare(toy, batch), samples=256, seed=2, spread=0.5, switch_aggregation=False,
                        bootstrap=50)
    assert result["weights"].total > 0.8 and result["weights"].first > 0.5
    assert "levels" not in result  # every answer has high confidence: the levels do not vary


# -------------------------------------------------------------------------------- consistency

def _warnings(alpha: float, r: float) -> dict[str, str]:
    r_toy = consistency_cases.rubric({"d": ["q1", "q2", "q3"]})
    comparison = compare(r_toy, [consistency_cases.assess(f"r{k}", consistency_cases.levels(q1=a, q2=b, q3=c))
                                 for k, (a, b, c) in enumerate(consistency_cases.ITEMS)])
    alpha_table = pd.DataFrame([{"node": "d", "assessments": 5, "indicators": 3, "alpha": alpha}])
    crossed = pd.DataFrame({"d": [0.9, r, 0.8]}, index=["q1", "q2", "q3"])
    found = consistency_warnings(comparison, alpha_table=alpha_table, crossed=crossed)
    return {warning.code: warning.subject for warning in found}


def test_an_alpha_at_the_threshold_passes_and_just_below_it_is_flagged() -> None:
    assert "low_alpha" not in _warnings(ALPHA_THRESHOLD, 0.5)
    assert _warnings(np.nextafter(ALPHA_THRESHOLD, 0), 0.5) == {"low_alpha": "d"}


def test_a_weakly_negative_correlation_is_flagged() -> None:
    assert _warnings(0.9, -0.01) == {"negative_correlation": "q2"}
    assert _warnings(0.9, 0.0) == {}


# --------------------------------------------------------------------------------- validation

def test_repeated_issues_are_reported_once_in_document_order() -> None:
    doc = {"a": 1, "b": [1, 2]}
    first = Issue("f.json", "bad-value", "one", path=("b", 1))
    second = Issue("f.json", "bad-value", "two", path=("a",))
    assert sort_issues(doc, [first, second, first, second, first]) == [second, first]
