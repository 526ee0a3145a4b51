"""Gaps, effective weights, priorities and roadmap order, computed by hand on the mini rubric.

    overall: a (w 1) [a.sub (w 1, geometric) [s1, s2], a1 (w 1), a2 (w 3)], b (w 2) [b1, b2 metric]
    default_target 3, L = 4.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from toolkit.engine.roadmap import (
    ANSWER,
    IMPROVE,
    AnswerGroup,
    Step,
    effective_weights,
    gaps,
    plan,
    priorities,
    roadmap,
    targets,
)
from toolkit.engine.scoring import score
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric

_DOC = json.loads((Path(__file__).parent / "data" / "scoring" / "mini.json").read_text("utf-8"))
MINI = Rubric.from_dict(_DOC)
COLUMNS = ("s1", "s2", "a1", "a2", "b1", "b2")


def assess(answers: dict[str, Any]) -> Assessment:
    return Assessment.from_dict({
        "kind": "assessment", "format_version": 1, "id": "x", "rubric": {"id": "mini", "version": "1.0.0"},
        "ministry": {"id": "m", "name": "M", "country": "Testland"}, "period": "2026",
        "date": "2026-01-01", "status": "draft", "answers": answers,
    })


def levels(rubric: Rubric = MINI, **answers: Any) -> Any:
    body = {key: value if isinstance(value, dict) else {"level": value}
            for key, value in answers.items()}
    return score(rubric, [assess(body)])


def row(array: np.ndarray) -> dict[str, float | None]:
    return {key: None if np.isnan(v) else float(v) for key, v in zip(COLUMNS, array[0], strict=True)}


# The main case: b2 (metric) missing, everything else answered.
MAIN = dict(s1={"level": 1, "target": 4}, s2=3, a1=2, a2=1, b1=0)


def test_targets_fall_back_from_the_answer_to_the_default_target():
    s = levels(**MAIN)
    assert row(targets(s)) == {"s1": 4, "s2": 3, "a1": 3, "a2": 3, "b1": 3, "b2": None}


def test_targets_fall_back_to_the_top_level_without_a_default_target():
    doc = copy.deepcopy(_DOC)
    del doc["default_target"]
    s = levels(Rubric.from_dict(doc), **MAIN)
    assert row(targets(s)) == {"s1": 4, "s2": 4, "a1": 4, "a2": 4, "b1": 4, "b2": None}
    assert row(gaps(s)) == {"s1": 3, "s2": 1, "a1": 2, "a2": 3, "b1": 4, "b2": None}


def test_gaps_are_floored_at_zero_and_only_for_answered_levels():
    s = levels(s1={"level": 4, "target": 2}, s2={"na": True, "na_reason": "x"}, a2=3,
               b2={"value": 1.0})
    assert row(gaps(s)) == {"s1": 0, "s2": None, "a1": None, "a2": 0, "b1": None, "b2": None}


def test_effective_weights_are_products_of_shares_among_scored_siblings():
    s = levels(**MAIN)
    # overall: a 1/3, b 2/3; in a: a.sub 1/5, a1 1/5, a2 3/5; in a.sub 1/2 each;
    # in b only b1 has a score (b2 is missing), so b1 takes all of b.
    expected = {"s1": 1 / 30, "s2": 1 / 30, "a1": 1 / 15, "a2": 1 / 5, "b1": 2 / 3, "b2": None}
    got = row(effective_weights(s))
    assert got["b2"] is None
    assert {k: v for k, v in got.items() if v is not None} == pytest.approx(
        {k: v for k, v in expected.items() if v is not None}, abs=1e-12)


def test_effective_weights_skip_na_siblings_and_unscored_dimensions():
    s = levels(a1=2, b1={"na": True, "na_reason": "x"}, b2={"value": 5.0})
    # a: only a1 scored (a.sub and a2 unanswered) -> 1; overall 1/3. b: only b2 -> 1; overall 2/3.
    got = row(effective_weights(s))
    assert got == pytest.approx({"s1": None, "s2": None, "a1": 1 / 3, "a2": None, "b1": None,
                                 "b2": 2 / 3})


def test_priorities_are_gap_times_effective_weight():
    got = row(priorities(levels(**MAIN)))
    assert got == pytest.approx({"s1": 3 / 30, "s2": 0.0, "a1": 1 / 15, "a2": 2 / 5, "b1": 2.0,
                                 "b2": None}, abs=1e-12)


def test_roadmap_lists_missing_first_then_gaps_by_priority():
    steps = roadmap(levels(**MAIN), 0)
    assert [(st.indicator_id, st.kind) for st in steps] == [
        ("b2", ANSWER), ("b1", IMPROVE), ("a2", IMPROVE), ("s1", IMPROVE), ("a1", IMPROVE)]
    b1 = steps[1]
    assert isinstance(b1, Step)
    assert (b1.level, b1.target, b1.gap, b1.next_level) == (0, 3, 3, 1)
    assert b1.priority == pytest.approx(2.0, abs=1e-12)
    assert b1.descriptor == MINI.indicator("b1").levels[1]
    assert b1.descriptor.descriptor["en"] == "b1 at level 1"
    s1 = steps[3]
    assert (s1.level, s1.target, s1.gap, s1.next_level) == (1, 4, 3, 2)
    assert s1.descriptor.descriptor["en"] == "s1 at level 2"


def test_answer_steps_come_in_rubric_order_and_carry_no_level():
    steps = roadmap(levels(a2=4, s2={"target": 4}), 0)
    assert [(st.indicator_id, st.kind) for st in steps] == [
        ("s1", ANSWER), ("s2", ANSWER), ("a1", ANSWER), ("b1", ANSWER), ("b2", ANSWER)]
    s2, b2 = steps[1], steps[4]
    assert (s2.level, s2.target, s2.gap, s2.priority, s2.next_level, s2.descriptor) == (
        None, 4, None, None, None, None)
    assert b2.target is None  # a metric has no target level


def test_equal_priorities_keep_rubric_order():
    # s1 gap 2 * 1/30 and a1 gap 1 * 1/15 are both 1/15 (b2 answered: b1 and b2 share b).
    steps = roadmap(levels(s1=1, s2=3, a1=2, a2=3, b1=3, b2={"value": 1.0}), 0)  # b2 at 90: band 3
    assert [st.indicator_id for st in steps] == ["s1", "a1"]
    assert steps[0].priority == pytest.approx(steps[1].priority, abs=1e-15)


def test_na_targets_met_and_metrics_in_their_target_band_are_not_steps():
    # b2 = 2.5 hours scores 75: band 3 of 4, the default target (3) reached
    steps = roadmap(levels(s1=3, s2=4, a1={"level": 2, "target": 2}, a2=3,
                           b1={"na": True, "na_reason": "x"}, b2={"value": 2.5}), 0)
    assert steps == []


def test_a_metric_below_its_target_band_is_a_step_to_the_next_band():
    # b2 = 6 hours scores (10 - 6) / 10 = 40: band 1 (25 to under 50), gap 2 to the target band 3;
    # the next band (50) is reached at 10 - 0.5 * 10 = 5 hours. b1 is N/A, so b2 carries all of
    # b's 2/3 of the overall: priority 2 * 2/3.
    steps = roadmap(levels(s1=3, s2=4, a1={"level": 2, "target": 2}, a2=3,
                           b1={"na": True, "na_reason": "x"}, b2={"value": 6.0}), 0)
    [step] = steps
    assert (step.indicator_id, step.kind, step.level, step.gap, step.next_level) == ("b2", IMPROVE, None, 2, 2)
    assert (step.value, step.next_value) == (6.0, pytest.approx(5.0))
    assert step.priority == pytest.approx(4 / 3)
    assert step.descriptor is None


def test_roadmap_of_each_row_in_a_batch():
    batch = [assess({"a1": {"level": 1}}), assess({"a1": {"level": 3}})]
    s = score(MINI, batch)
    assert [st.indicator_id for st in roadmap(s, 0) if st.kind == IMPROVE] == ["a1"]
    assert [st.indicator_id for st in roadmap(s, 1) if st.kind == IMPROVE] == []


def test_row_slices_agree_with_the_whole_batch():
    batch = [assess({"a1": {"level": 1}, "b1": {"level": 2}}),
             assess({"s1": {"level": 0}, "a2": {"level": 2}})]
    s = score(MINI, batch)
    whole = priorities(s)
    np.testing.assert_array_equal(priorities(s, slice(1, 2))[0], whole[1])
    assert [st.indicator_id for st in roadmap(s, -1)] == [st.indicator_id for st in roadmap(s, 1)]
    # Row 1: b has no score, so a takes the whole overall (share 1); in a only a.sub (w 1) and
    # a2 (w 3) have scores; s1 is alone in a.sub. s1: gap 3 * 1 * 1/4 * 1; a2: gap 1 * 1 * 3/4.
    assert whole[1, 0] == pytest.approx(3 * 1 / 4, abs=1e-12)
    assert whole[1, 3] == pytest.approx(1 * 3 / 4, abs=1e-12)


def test_plan_puts_real_steps_first_and_one_answer_row_per_dimension():
    # a.sub's s1 and s2, and b's b2, missing: three "answer this" steps in two dimensions.
    s = levels(a1=1, a2=2, b1=0)
    steps = roadmap(s, 0)
    assert [step.indicator_id for step in steps if step.kind == ANSWER] == ["s1", "s2", "b2"]
    rows = plan(s, 0)
    real = [step for step in steps if step.kind != ANSWER]
    assert rows[:len(real)] == real  # the real steps, first and in the roadmap's order
    groups = rows[len(real):]
    assert all(isinstance(group, AnswerGroup) for group in groups)
    assert [(g.dimension_id, g.position, [i.id for i in g.indicators], g.count) for g in groups] == [
        ("a", 0, ["s1", "s2"], 2), ("b", 1, ["b2"], 1)]


def test_plan_without_missing_answers_is_the_roadmap():
    s = levels(**{**MAIN, "b2": {"value": 1.0}})
    assert plan(s, 0) == roadmap(s, 0)
    assert not any(isinstance(item, AnswerGroup) for item in plan(s, 0))
