"""Hand-computed cases for every scoring rule of SPEC section 4.

The rubric is tests/data/scoring/mini.json:

    overall (arithmetic)
    ├── a (w 1, arithmetic)
    │   ├── a.sub (w 1, geometric): s1 (w 1), s2 (w 1)
    │   ├── a1 (w 1)
    │   └── a2 (w 3)
    └── b (w 2, arithmetic): b1 (w 1), b2 (metric, hours, direction -1, goalposts 0..10)

Scale 0..4 (a level scores 25 per step), stages 0/20/40/60/80, unsupported_cap 2, default_target 3.
Every expected number below is worked out by hand in the test.
"""

from __future__ import annotations

import copy
import gc
import json
import math
from pathlib import Path
from typing import Any

import warnings
import weakref

import numpy as np
import pytest

from toolkit.engine.compiled import (
    TOLERANCE,
    STATUS_NAMES,
    LevelMatrix,
    compile_rubric,
    metric_bounds,
    metric_scores,
    none_if_nan,
    rank,
    stage_index,
    to_matrix,
)
from toolkit.engine.results import Scores
from toolkit.engine.scoring import score, score_matrix
from toolkit.errors import ComparisonError
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric

DATA = Path(__file__).parent / "data" / "scoring"
_DOC = json.loads((DATA / "mini.json").read_text(encoding="utf-8"))
EVIDENCE = [{"kind": "url", "value": "https://example.org/proof"}]
SQRT101 = math.sqrt(101)


def mini_doc() -> dict[str, Any]:
    return copy.deepcopy(_DOC)


MINI = Rubric.from_dict(mini_doc())


def indicator_doc(doc: dict[str, Any], indicator_id: str) -> dict[str, Any]:
    def walk(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
        for node in nodes:
            for ind in node.get("indicators", []):
                if ind["id"] == indicator_id:
                    return ind
            found = walk(node.get("dimensions", []))
            if found:
                return found
        return None
    found = walk(doc["dimensions"])
    assert found is not None
    return found


def assess(answers: dict[str, Any], id: str = "x", ministry: str = "m1", period: str = "2026",
           version: str = "1.0.0", rubric_id: str = "mini") -> Assessment:
    return Assessment.from_dict({
        "kind": "assessment", "format_version": 1, "id": id,
        "rubric": {"id": rubric_id, "version": version},
        "ministry": {"id": ministry, "name": ministry.upper(), "country": "Testland", "iso3": "TST"},
        "period": period, "date": "2026-01-01", "status": "draft", "answers": answers,
    })


def record(answers: dict[str, Any], rubric: Rubric = MINI, **kw: Any) -> dict[str, Any]:
    return score(rubric, [assess(answers)], **kw).to_records()[0]


def full(**levels: Any) -> dict[str, Any]:
    """Answers with evidence everywhere, so claimed and evidence-backed scores agree."""
    out: dict[str, Any] = {}
    for key, value in levels.items():
        if isinstance(value, dict):
            out[key] = value
        elif key == "b2":
            out[key] = {"value": value, "evidence": EVIDENCE}
        else:
            out[key] = {"level": value, "evidence": EVIDENCE}
    return out


# --- compilation ---------------------------------------------------------------------------------


def test_compile_flattens_the_tree_in_rubric_order_with_the_root_first():
    c = compile_rubric(Rubric.from_dict(mini_doc()))  # a fresh rubric: compiled here, not cached earlier
    assert c.node_parent[0] == -1  # the root has no parent
    assert c.indicator_ids == ("s1", "s2", "a1", "a2", "b1", "b2")  # child nodes before own indicators
    assert c.node_ids[0] == "overall"
    assert set(c.node_ids) == {"overall", "a", "b", "a.sub"}
    parent = {c.node_ids[k]: c.node_ids[p] for k, p in enumerate(c.node_parent) if p >= 0}
    assert parent == {"a": "overall", "b": "overall", "a.sub": "a"}
    assert [c.node_ids[p] for p in c.indicator_parent] == ["a.sub", "a.sub", "a", "a", "b", "b"]
    assert dict(zip(c.node_ids, c.node_depth.tolist())) == {"overall": 0, "a": 1, "b": 1, "a.sub": 2}
    assert dict(zip(c.node_ids, c.node_weight.tolist())) == {"overall": 1, "a": 1, "b": 2, "a.sub": 1}
    assert c.indicator_weight.tolist() == [1, 1, 1, 3, 1, 1]
    assert c.is_metric.tolist() == [False] * 5 + [True]
    assert c.direction[5] == -1 and (c.goal_low[5], c.goal_high[5]) == (0, 10)
    assert [c.node_ids[k] for k in c.rubric_node_order] == ["a", "a.sub", "b"]
    assert [c.node_ids[k] for k in c.top_level] == ["a", "b"]


def test_compile_is_cached_per_rubric_object():
    assert compile_rubric(MINI) is compile_rubric(MINI)
    twin = Rubric.from_dict(mini_doc())
    assert compile_rubric(twin) is not compile_rubric(MINI)
    first, second = Rubric.from_dict(mini_doc()), Rubric.from_dict(mini_doc())
    compiled = compile_rubric(first), compile_rubric(second)
    assert (compile_rubric(first), compile_rubric(second)) == compiled  # each keeps its own
    assert compile_rubric(copy.copy(first)).rubric is not first  # a copy is compiled for itself


def test_the_compile_cache_lets_a_rubric_go():
    # The compiled form refers to its rubric: a cache that holds it keeps every rubric ever scored alive.
    rubric = Rubric.from_dict(mini_doc())
    compiled = weakref.ref(compile_rubric(rubric))
    gone = weakref.ref(rubric)
    del rubric
    gc.collect()
    assert gone() is None and compiled() is None


# --- indicators ----------------------------------------------------------------------------------


@pytest.mark.parametrize("level, expected", [(0, 0.0), (1, 25.0), (2, 50.0), (3, 75.0), (4, 100.0)])
def test_level_indicator_score_is_100_level_over_L(level, expected):
    assert record(full(a1=level))["indicators"]["a1"]["score"] == expected


@pytest.mark.parametrize("value, expected", [
    (2.5, 75.0),    # (10 - 2.5) / 10
    (0.0, 100.0),   # at the low goalpost, the best for direction -1
    (10.0, 0.0),
    (-3.0, 100.0),  # t = 1.3, clipped to 1
    (14.0, 0.0),    # t = -0.4, clipped to 0
])
def test_metric_with_direction_minus_one_reverses_the_goalposts_and_clips(value, expected):
    assert record(full(b2=value))["indicators"]["b2"]["score"] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("value, expected", [(2.5, 25.0), (7.5, 75.0), (-1.0, 0.0), (12.0, 100.0)])
def test_metric_with_direction_one(value, expected):
    doc = mini_doc()
    indicator_doc(doc, "b2")["direction"] = 1
    got = record(full(b2=value), Rubric.from_dict(doc))["indicators"]["b2"]["score"]
    assert got == pytest.approx(expected, abs=1e-12)


def test_metric_value_zero_is_answered_not_missing():
    rec = record({"b2": {"value": 0}})
    assert rec["indicators"]["b2"] == {"status": "answered", "value": 0.0, "score": 100.0,
                                       "evidence_score": 100.0}


def test_indicator_statuses():
    rec = record({"a1": {"level": 2}, "a2": {"na": True, "na_reason": "no embassy"}})
    assert rec["indicators"]["a1"]["status"] == "answered"
    assert rec["indicators"]["a2"] == {"status": "na", "level": None, "score": None,
                                       "evidence_score": None}
    assert rec["indicators"]["s1"] == {"status": "missing", "level": None, "score": None,
                                       "evidence_score": None}
    assert rec["indicators"]["b2"] == {"status": "missing", "value": None, "score": None,
                                       "evidence_score": None}


# --- minmax --------------------------------------------------------------------------------------


def test_minmax_uses_min_and_max_of_the_answered_values_scored_together():
    batch = [assess({"b2": {"value": v}}, id=f"x{v}") for v in (2.0, 4.0, 6.0)]
    batch.append(assess({"b2": {"na": True, "na_reason": "no crises"}}, id="na"))
    scores = score(MINI, batch, normalisation="minmax")
    # low 2, high 6, direction -1: (6 - v) / 4
    assert scores.indicator("b2").tolist()[:3] == [100.0, 50.0, 0.0]
    assert np.isnan(scores.indicator("b2")[3])
    assert scores.normalisation == "minmax"
    assert (scores.metric_low.tolist(), scores.metric_high.tolist()) == ([2.0], [6.0])


def test_minmax_with_equal_values_scores_100_for_all():
    batch = [assess({"b2": {"value": 5.0}}, id=f"x{k}") for k in range(3)]
    batch.append(assess({}, id="missing"))
    scores = score(MINI, batch, normalisation="minmax")
    assert scores.indicator("b2")[:3].tolist() == [100.0, 100.0, 100.0]
    assert np.isnan(scores.indicator("b2")[3])


def test_minmax_from_the_rubric_setting_and_goalposts_as_an_override():
    doc = mini_doc()
    doc["normalisation"] = "minmax"
    rubric = Rubric.from_dict(doc)
    batch = [assess({"b2": {"value": v}}, id=f"x{v}") for v in (1.0, 3.0)]
    assert score(rubric, batch).indicator("b2").tolist() == [100.0, 0.0]
    assert score(rubric, batch, normalisation="goalposts").indicator("b2").tolist() == [90.0, 70.0]


def test_goalposts_needed_for_goalpost_normalisation():
    doc = mini_doc()
    del indicator_doc(doc, "b2")["goalposts"]
    rubric = Rubric.from_dict(doc)
    with pytest.raises(ComparisonError, match="without goalposts need minmax normalisation: b2"):
        score(rubric, [assess({"b2": {"value": 1}})])
    assert score(rubric, [assess({"b2": {"value": 1}})], normalisation="minmax").indicator("b2")[0] == 100


def test_unknown_normalisation_is_refused():
    with pytest.raises(ValueError, match="normalisation"):
        score(MINI, [assess({})], normalisation="zscore")


# --- nodes ---------------------------------------------------------------------------------------


def test_arithmetic_node_is_the_weighted_mean():
    rec = record(full(a1=4, a2=2))
    # a.sub has no answers, so a = (100 * 1 + 50 * 3) / (1 + 3)
    assert rec["nodes"]["a"]["score"] == pytest.approx(250 / 4)
    assert rec["nodes"]["a.sub"]["score"] is None


def test_geometric_node_with_a_zero_level():
    rec = record(full(s1=0, s2=4))
    # exp((ln(0 + 1) + ln(100 + 1)) / 2) - 1 = sqrt(101) - 1
    assert rec["nodes"]["a.sub"]["score"] == pytest.approx(SQRT101 - 1, abs=1e-12)
    assert rec["indicators"]["s1"]["score"] == 0.0


def test_geometric_node_weights_its_children():
    doc = mini_doc()
    indicator_doc(doc, "s2")["weight"] = 3
    rec = record(full(s1=0, s2=4), Rubric.from_dict(doc))
    # exp((1 * ln 1 + 3 * ln 101) / 4) - 1
    assert rec["nodes"]["a.sub"]["score"] == pytest.approx(101 ** 0.75 - 1, abs=1e-12)


def test_geometric_node_with_equal_scores_is_that_score():
    rec = record(full(s1=3, s2=3))
    assert rec["nodes"]["a.sub"]["score"] == pytest.approx(75.0, abs=1e-12)


def test_nested_nodes_and_overall():
    rec = record(full(s1=0, s2=4, a1=4, a2=3, b1=2, b2=2.5))
    sub = SQRT101 - 1
    a = (sub * 1 + 100 * 1 + 75 * 3) / 5
    b = (50 + 75) / 2
    assert rec["nodes"]["a.sub"]["score"] == pytest.approx(sub, abs=1e-12)
    assert rec["nodes"]["a"]["score"] == pytest.approx(a, abs=1e-12)
    assert rec["nodes"]["b"]["score"] == pytest.approx(62.5, abs=1e-12)
    assert rec["overall"]["score"] == pytest.approx((a * 1 + b * 2) / 3, abs=1e-12)


def test_overall_uses_the_rubric_aggregation():
    doc = mini_doc()
    doc["aggregation"] = "geometric"
    rec = record(full(a1=0, b1=4), Rubric.from_dict(doc))
    # a = 0, b = 100; exp((1 * ln 1 + 2 * ln 101) / 3) - 1
    assert rec["overall"]["score"] == pytest.approx(101 ** (2 / 3) - 1, abs=1e-12)


def test_na_and_missing_children_leave_the_mean():
    with_na = record(full(b1={"na": True, "na_reason": "x"}, b2=2.5))
    missing = record(full(b2=2.5))
    assert with_na["nodes"]["b"]["score"] == 75.0
    assert missing["nodes"]["b"]["score"] == 75.0
    assert with_na["nodes"]["b"]["status"] == missing["nodes"]["b"]["status"] == "answered"


def test_all_na_node_is_null_with_status_na():
    na = {"na": True, "na_reason": "does not apply"}
    rec = record(full(a1=2, b1=na, b2=na))
    assert rec["nodes"]["b"] == {"score": None, "evidence_score": None, "stage": None,
                                 "completeness": None, "status": "na"}
    assert rec["overall"]["score"] == 50.0  # only a counts: a = a1 = 50


def test_node_of_na_and_missing_children_is_null_with_status_missing():
    rec = record(full(a1=2, b1={"na": True, "na_reason": "x"}))
    assert rec["nodes"]["b"]["score"] is None
    assert rec["nodes"]["b"]["status"] == "missing"
    assert rec["nodes"]["b"]["completeness"] == 0.0  # b2 applicable, unanswered


def test_nothing_answered_gives_null_everywhere():
    rec = record({})
    assert rec["overall"] == {"score": None, "evidence_score": None, "stage": None,
                              "completeness": 0.0}
    assert all(node["status"] == "missing" and node["score"] is None
               for node in rec["nodes"].values())


def test_all_na_gives_null_overall_and_null_completeness():
    na = {"na": True, "na_reason": "x"}
    rec = record({key: na for key in ("s1", "s2", "a1", "a2", "b1", "b2")})
    assert rec["overall"]["score"] is None and rec["overall"]["completeness"] is None
    assert {node["status"] for node in rec["nodes"].values()} == {"na"}


def test_nested_all_na_subdimension_is_na_while_parent_scores():
    na = {"na": True, "na_reason": "x"}
    rec = record(full(s1=na, s2=na, a1=4))
    assert rec["nodes"]["a.sub"]["status"] == "na"
    assert rec["nodes"]["a"]["score"] == 100.0


# --- evidence ------------------------------------------------------------------------------------


def test_evidence_cap_applies_only_without_evidence():
    rec = record({"a1": {"level": 4}, "a2": {"level": 4, "evidence": EVIDENCE},
                  "s1": {"level": 1}, "s2": {"level": 2}})
    ind = rec["indicators"]
    assert (ind["a1"]["score"], ind["a1"]["evidence_score"]) == (100.0, 50.0)  # capped at level 2
    assert (ind["a2"]["score"], ind["a2"]["evidence_score"]) == (100.0, 100.0)
    assert ind["s1"]["evidence_score"] == 25.0  # below the cap: unchanged
    assert ind["s2"]["evidence_score"] == 50.0  # at the cap
    # a: claimed (sub + 100 + 300) / 5, evidence-backed (sub + 50 + 300) / 5
    sub = math.sqrt(26 * 51) - 1
    assert rec["nodes"]["a"]["score"] == pytest.approx((sub + 400) / 5, abs=1e-12)
    assert rec["nodes"]["a"]["evidence_score"] == pytest.approx((sub + 350) / 5, abs=1e-12)


def test_evidence_cap_under_a_geometric_node():
    rec = record({"s1": {"level": 4}, "s2": {"level": 4, "evidence": EVIDENCE}})
    # evidence-backed: s1 counts 50, so sqrt(51 * 101) - 1
    assert rec["nodes"]["a.sub"]["score"] == pytest.approx(100.0, abs=1e-12)
    assert rec["nodes"]["a.sub"]["evidence_score"] == pytest.approx(math.sqrt(51 * 101) - 1)


def test_no_cap_when_the_rubric_sets_none():
    doc = mini_doc()
    doc["evidence_policy"]["unsupported_cap"] = None
    rec = record({"a1": {"level": 4}}, Rubric.from_dict(doc))
    assert rec["indicators"]["a1"]["evidence_score"] == 100.0
    assert rec["overall"]["evidence_score"] == 100.0


def test_metrics_are_not_capped():
    rec = record({"b2": {"value": 0.0}})  # no evidence, scores 100
    assert rec["indicators"]["b2"]["evidence_score"] == 100.0
    assert rec["nodes"]["b"]["evidence_score"] == 100.0


def test_methodology_worked_example():
    """docs/methodology.md: crisis readiness, eight indicators, one metric, one without evidence."""
    def lvl(key: str) -> dict[str, Any]:
        return {"id": key, "kind": "level", "title": {"en": key}, "question": {"en": key},
                "tags": [], "levels": {str(k): {"descriptor": {"en": "d"}, "evidence_hint": {"en": "h"}}
                                       for k in range(5)}}
    doc = mini_doc()
    hours = {"id": "hours", "kind": "metric", "title": {"en": "h"}, "question": {"en": "h"}, "tags": [],
             "unit": {"en": "hours"}, "direction": -1, "goalposts": {"low": 1, "high": 24}}
    doc["dimensions"] = [{"id": "crisis", "title": {"en": "c"}, "indicators": [
        lvl("protocol"), lvl("templates"), lvl("monitoring"), hours, lvl("consular"),
        lvl("redundancy"), lvl("drills"), lvl("coordination")]}]
    answers = {"protocol": {"level": 3, "evidence": EVIDENCE},
               "templates": {"level": 2, "evidence": EVIDENCE},
               "monitoring": {"level": 4},
               "hours": {"value": 6.75, "evidence": EVIDENCE},
               "consular": {"level": 1, "evidence": EVIDENCE},
               "redundancy": {"level": 2, "evidence": EVIDENCE},
               "coordination": {"level": 3, "evidence": EVIDENCE}}
    rubric = Rubric.from_dict(doc)
    rec = record(answers, rubric)
    assert rec["indicators"]["hours"]["score"] == pytest.approx(75.0)  # (24 - 6.75) / 23
    assert rec["nodes"]["crisis"]["score"] == pytest.approx(450 / 7)
    assert rec["nodes"]["crisis"]["stage"] == "strategic"
    assert rec["nodes"]["crisis"]["evidence_score"] == pytest.approx(400 / 7)
    assert rec["nodes"]["crisis"]["completeness"] == pytest.approx(7 / 8)
    answers["coordination"] = {"na": True, "na_reason": "no partner agencies"}
    rec = record(answers, rubric)
    assert rec["nodes"]["crisis"]["score"] == pytest.approx(375 / 6)
    assert rec["nodes"]["crisis"]["completeness"] == pytest.approx(6 / 7)


# --- completeness --------------------------------------------------------------------------------


def test_completeness_weights_nested_children_and_excludes_na():
    rec = record(full(s1=1, a1=2, b1={"na": True, "na_reason": "x"}, b2=3.0))
    # a.sub: s1 answered, s2 missing: 1/2. a: (1/2 * 1 + a1 1 * 1 + a2 0 * 3) / 5 = 0.3.
    # b: b1 N/A leaves, b2 answered: 1. overall: (0.3 * 1 + 1 * 2) / 3.
    assert rec["indicators"]["b1"]["status"] == "na"
    assert rec["nodes"]["a.sub"]["completeness"] == 0.5
    assert rec["nodes"]["a"]["completeness"] == pytest.approx(0.3, abs=1e-12)
    assert rec["nodes"]["b"]["completeness"] == 1.0
    assert rec["overall"]["completeness"] == pytest.approx(2.3 / 3, abs=1e-12)


def test_completeness_is_arithmetic_even_under_geometric_nodes():
    doc = mini_doc()
    doc["aggregation"] = "geometric"
    rec = record(full(a1=4, a2=4, s1=4, s2=4), Rubric.from_dict(doc))
    # a complete (1), b nothing answered (0): arithmetic (1 * 1 + 0 * 2) / 3, not a geometric mean
    assert rec["overall"]["completeness"] == pytest.approx(1 / 3, abs=1e-12)


def test_completeness_skips_all_na_children():
    na = {"na": True, "na_reason": "x"}
    rec = record(full(s1=na, s2=na, a1=1, b1=1))
    # a.sub has nothing applicable (null); a: a1 answered, a2 missing: 1 / (1 + 3)
    assert rec["nodes"]["a.sub"]["completeness"] is None
    assert rec["nodes"]["a"]["completeness"] == 0.25
    assert rec["overall"]["completeness"] == pytest.approx((0.25 + 0.5 * 2) / 3)


# --- stages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, stage", [
    (0.0, "start-up"), (19.99999, "start-up"), (19.999999999999996, "formative"),
    (20.0, "formative"), (39.9999999995, "established"), (59.5, "established"),
    (79.99, "strategic"), (80.0, "dynamic"), (100.0, "dynamic"), (float("nan"), None),
])
def test_stage_boundaries_with_tolerance(value, stage):
    c = compile_rubric(MINI)
    k = stage_index(c, np.array([value]))[0]
    assert (c.stage_ids[k] if k >= 0 else None) == stage
    found = MINI.stage_for(none_if_nan(value))
    assert (found.id if found else None) == stage  # the model's own rule agrees


def test_float_arithmetic_just_below_a_boundary_still_reaches_the_stage():
    doc = mini_doc()
    dims = doc["dimensions"][1]
    dims["indicators"] = [indicator_doc(doc, "b1") | {"id": f"w{k}", "weight": w}
                          for k, w in enumerate((0.1, 1.1, 0.3))]
    rubric = Rubric.from_dict(doc)
    rec = record(full(w0=0, w1=0, w2=4), rubric)
    # exactly 0.3 * 100 / (0.1 + 1.1 + 0.3) = 20; in floating point 0.1 + 1.1 + 0.3 is
    # 1.5000000000000002, so the engine gives 19.999999999999996 (or 20.0 on another BLAS)
    assert rec["nodes"]["b"]["score"] == pytest.approx(20.0, abs=1e-12)
    assert rec["nodes"]["b"]["stage"] == "formative"


# --- ranks ---------------------------------------------------------------------------------------


def test_rank_competition_ties_share_the_best_rank():
    assert rank(np.array([90.0, 80.0, 80.0, 70.0])).tolist() == [1, 2, 2, 4]
    assert rank(np.array([70.0, 80.0, 90.0, 80.0])).tolist() == [4, 2, 1, 2]


def test_rank_ties_within_tolerance_and_nan_unranked():
    got = rank(np.array([50.0, float("nan"), 50.0 + 5e-10, 40.0, 50.0 - 2e-9]))
    assert got[[0, 2, 3, 4]].tolist() == [1, 1, 4, 3]
    assert np.isnan(got[1])
    assert np.isnan(rank(np.array([float("nan")]))).all()
    assert rank(np.array([])).tolist() == []


def test_rank_along_the_last_axis():
    got = rank(np.array([[1.0, 2.0, 2.0], [3.0, 2.0, 1.0]]))
    assert got.tolist() == [[3, 1, 1], [1, 2, 3]]


def test_a_gap_of_exactly_the_tolerance_is_still_a_tie():
    assert rank(np.array([3.0, 2.5, 1.0]), tolerance=0.5).tolist() == [1, 1, 3]
    assert rank(np.array([3.0, 2.4, 1.0]), tolerance=0.5).tolist() == [1, 2, 3]


def test_rank_and_stage_take_null_scores_as_records_hold_them():
    got = rank([80.0, None, 90.0])  # a list from records: None is a null score, unranked
    assert got[[0, 2]].tolist() == [2, 1] and np.isnan(got[1])
    assert stage_index(compile_rubric(MINI), [None, 85.0]).tolist() == [-1, 4]


def test_a_score_one_tolerance_below_a_threshold_reaches_the_stage():
    # 20 - 1e-9 + 1e-9 is exactly 20.0: "min_score <= score + 1e-9" holds, so the stage is formative.
    c = compile_rubric(MINI)
    assert c.stage_ids[stage_index(c, np.array([20 - TOLERANCE]))[0]] == "formative"


def test_rank_refuses_a_single_number():
    with pytest.raises(ValueError, match="^rank needs an array of scores$"):
        rank(np.float64(50.0))


def test_minmax_over_one_distinct_value_scores_100_without_a_numpy_warning():
    # The span is 0, so t is 0 / 0: the library must neither warn (a terminal would show it) nor give NaN.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = metric_scores(np.array([[5.0], [np.nan]]), np.array([1.0]), np.array([5.0]), np.array([5.0]))
    assert got[0].tolist() == [100.0] and np.isnan(got[1, 0])


# --- matrix and records --------------------------------------------------------------------------


def test_to_matrix_fills_every_array():
    a = assess({"a1": {"level": 3, "target": 4, "confidence": "low", "evidence": EVIDENCE},
                "a2": {"na": True, "na_reason": "x", "confidence": "high"},
                "b2": {"value": 7.5}})
    m = to_matrix(compile_rubric(MINI), [a, assess({}, id="empty")])
    assert m.shape == (2, 6)  # (assessments, indicators)
    nan = float("nan")
    np.testing.assert_array_equal(m.values[0], [nan, nan, 3, nan, nan, 7.5])
    assert m.na[0].tolist() == [False, False, False, True, False, False]
    assert m.has_evidence[0].tolist() == [False, False, True, False, False, False]
    np.testing.assert_array_equal(m.targets[0], [nan, nan, 4, nan, nan, nan])
    assert m.confidence[0].tolist() == [1, 1, 2, 0, 1, 1]
    assert np.isnan(m.values[1]).all() and m.confidence[1].tolist() == [1] * 6


@pytest.mark.parametrize("answers, message", [
    ({"zz": {"level": 1}}, "x: \\$.answers: unknown indicator 'zz'"),
    ({"a1": {"value": 2.0}}, "x: \\$.answers.a1: indicator 'a1' needs a level from 0 to 4"),
    ({"a1": {"level": 5}}, "needs a level from 0 to 4"),
    ({"a1": {"level": -1}}, "x: \\$.answers.a1: indicator 'a1' needs a level from 0 to 4"),
    ({"a1": {"level": 2.5}}, "needs a level from 0 to 4"),
    ({"b2": {"level": 2}}, "x: \\$.answers.b2: indicator 'b2' needs a value"),
])
def test_to_matrix_refuses_answers_it_cannot_score(answers, message):
    with pytest.raises(ComparisonError, match=message):
        to_matrix(compile_rubric(MINI), [assess(answers)])


def test_level_matrix_forces_na_cells_to_nan_and_checks_shapes():
    values = np.array([[1.0, 2, 3, 4, 0, 5]])
    na = np.zeros((1, 6), dtype=bool)
    na[0, 1] = True
    m = LevelMatrix.from_values(values, na=na)
    assert np.isnan(m.values[0, 1]) and values[0, 1] == 2  # the caller's array is left alone
    with pytest.raises(ValueError, match="one 2-D shape"):
        LevelMatrix(values=values, na=na[:, :3], has_evidence=na, targets=values, confidence=na)
    with pytest.raises(ValueError, match="^a level matrix holds finite values or NaN, not infinity$"):
        LevelMatrix.from_values(np.array([[np.inf, 0, 0, 0, 0, 0]]))


def test_score_matrix_accepts_a_bare_array_and_checks_its_width():
    c = compile_rubric(MINI)
    scores = score_matrix(c, np.array([[4.0, 4, 4, 4, 4, 0], [0, 0, 0, 0, np.nan, 10]]))
    assert scores.overall.tolist() == [100.0, 0.0]
    assert scores.ids == ("#0", "#1")
    with pytest.raises(ValueError, match="shape"):
        score_matrix(c, np.zeros((2, 5)))


def test_score_matrix_refuses_assessments_that_do_not_match_its_rows():
    """A row's score must never be labelled with another assessment: one assessment per row, or none."""
    c = compile_rubric(MINI)
    one, other = assess({}), assess({})
    values = np.array([[4.0, 4, 4, 4, 4, 0], [0, 0, 0, 0, np.nan, 10]])
    assert len(score_matrix(c, values, meta=[one, other]).assessments) == 2
    for meta in ([one], [one, other, one]):
        with pytest.raises(ValueError, match=f"^{len(meta)} assessments for a matrix of 2 rows$"):
            score_matrix(c, values, meta=meta)


def test_empty_batch():
    scores = score(MINI, [])
    assert len(scores) == 0 and scores.to_records() == []
    assert scores.node_completeness.shape == (0, 4)


def test_scores_accessors_agree_with_each_other():
    batch = [assess(full(a1=4, b1=2, b2=5.0), id="p"), assess({"a2": {"level": 1}}, id="q")]
    s = score(MINI, batch)
    assert isinstance(s, Scores) and len(s) == 2 and s.ids == ("p", "q")
    assert s.node("overall").tolist() == s.overall.tolist()
    assert s.node("b").tolist()[0] == 50.0 and np.isnan(s.node("b")[1])
    assert s.dimensions.shape == (2, 2)
    assert s.indicator("a2", evidence=True)[1] == 25.0
    assert s.stages() == ["strategic", "formative"]  # (100 + 2 * 50) / 3 = 66.7; a = 25
    assert s.scored_weight[0, s.compiled.node_index["b"]] == 2.0  # b1 and b2 answered
    assert s.scored_weight[1, s.compiled.node_index["a"]] == 3.0  # only a2


def test_records_have_the_json_shape_of_the_spec():
    rec = record(full(s1=0, s2=4, a1=4, a2=3, b1=2, b2=2.5))
    json.dumps(rec)  # plain Python values only
    assert list(rec) == ["assessment", "ministry", "period", "rubric", "overall", "nodes",
                         "indicators", "gates", "gates_unevaluated"]
    assert rec["gates"] == {"claimed": [], "evidence": []}  # SPEC 11: the triggered gates, none here
    assert rec["gates_unevaluated"] == []  # gates whose indicator is unanswered or N/A: none (no gates)
    assert rec["assessment"] == "x"
    assert rec["ministry"] == {"id": "m1", "name": "M1", "iso3": "TST"}
    assert rec["period"] == "2026"
    assert rec["rubric"] == {"id": "mini", "version": "1.0.0"}
    assert set(rec["overall"]) == {"score", "evidence_score", "stage", "completeness"}
    assert list(rec["nodes"]) == ["a", "a.sub", "b"]  # every node but the root, in rubric order
    assert all(set(node) == {"score", "evidence_score", "stage", "completeness", "status"}
               for node in rec["nodes"].values())
    assert list(rec["indicators"]) == ["s1", "s2", "a1", "a2", "b1", "b2"]
    assert rec["indicators"]["a1"] == {"status": "answered", "level": 4, "score": 100.0,
                                       "evidence_score": 100.0}
    assert type(rec["indicators"]["a1"]["level"]) is int
    assert rec["indicators"]["b2"] == {"status": "answered", "value": 2.5, "score": 75.0,
                                       "evidence_score": 75.0}
    assert type(rec["overall"]["score"]) is float
    assert rec["nodes"]["b"]["stage"] == "strategic"  # (50 + 75) / 2 = 62.5


def test_shared_mini_rubric_scores_the_same():
    path = Path(__file__).parent / "data" / "rubrics" / "mini.json"
    rubric = Rubric.from_dict(json.loads(path.read_text(encoding="utf-8")))
    rec = record(full(s1=0, s2=4, a1=4, a2=3, b1=2, b2=2.5), rubric)
    a = (SQRT101 - 1 + 100 + 225) / 5
    assert rec["overall"]["score"] == pytest.approx((a + 2 * 62.5) / 3, abs=1e-12)


# --- the arrays under the formulas: defaults, bounds, exact sums (issue 17) -----------------------


def test_an_unknown_confidence_counts_as_medium():
    m = to_matrix(compile_rubric(MINI), [assess({"a1": {"level": 2, "confidence": "unsure"},
                                                 "a2": {"level": 2, "confidence": "low"}})])
    assert m.confidence[0].tolist() == [1, 1, 1, 2, 1, 1]


def test_a_bare_array_gets_the_documented_defaults_and_full_statuses():
    # Research data comes as plain integer levels: no N/A, evidence everywhere, no targets, medium confidence.
    c = compile_rubric(MINI)
    levels = np.array([[4, 0, 3, 1, 2, 5], [4, 4, 4, 4, 4, 0]])
    m = LevelMatrix.from_values(levels)
    assert m.values.dtype == np.float64 and not m.na.any() and m.has_evidence.all()
    assert np.isnan(m.targets).all() and (m.confidence == 1).all()
    s = score_matrix(c, levels)
    assert s.indicator_status.tolist() == [[0] * 6] * 2
    assert s.node_status.tolist() == [[0] * 4] * 2
    assert s.to_records()[0]["indicators"]["a1"] == {"status": "answered", "level": 3, "score": 75.0,
                                                      "evidence_score": 75.0}
    assert s.node("a", evidence=True).tolist() == s.node("a").tolist()


def test_a_bare_array_takes_na_and_evidence_as_numbers():
    # 0/1 arrays (from a spreadsheet or a data frame, float or int) mean False/True, as bool arrays would.
    c = compile_rubric(MINI)
    levels = np.array([[4.0, 4, 3, 1, 2, 5]])
    s = score_matrix(c, LevelMatrix.from_values(levels, na=np.array([[0.0, 0, 0, 1, 0, 0]]),
                                                has_evidence=np.array([[1.0, 1, 0, 0, 1, 1]])))
    assert [STATUS_NAMES[k] for k in s.indicator_status[0]] == ["answered"] * 3 + ["na"] + ["answered"] * 2
    # a1 is claimed at 3 without evidence: the cap of 2 holds it at 50; N/A a2 leaves the mean.
    assert s.indicator("a1", evidence=True).tolist() == [50.0]
    assert s.indicator("b1", evidence=True).tolist() == [50.0]
    rec = s.to_records()[0]
    assert rec["indicators"]["a2"]["status"] == "na" and rec["nodes"]["a"]["evidence_score"] < rec["nodes"]["a"]["score"]
    ints = LevelMatrix.from_values(levels, na=np.array([[0, 0, 0, 1, 0, 0]]), has_evidence=np.array([[1, 1, 0, 0, 1, 1]]))
    assert score_matrix(c, ints).to_records() == s.to_records()


def test_a_node_without_answers_is_null_without_a_numpy_warning():
    # b has nothing answered: its value is 0 / 0, which must neither warn on a terminal nor be a number.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = score(MINI, [assess(full(a1=2))])
        assert np.isnan(s.node("b")[0]) and s.node("a")[0] == 50.0


def two_metric_doc(goalposts: bool = True) -> dict[str, Any]:
    """mini with b1 turned into a second metric (higher is better, goalposts 100..200)."""
    doc = mini_doc()
    b1 = indicator_doc(doc, "b1")
    b2 = copy.deepcopy(indicator_doc(doc, "b2"))
    b1.clear()
    b1.update(b2)
    b1.update({"id": "b1", "direction": 1, "goalposts": {"low": 100, "high": 200}})
    if not goalposts:
        del b1["goalposts"], indicator_doc(doc, "b2")["goalposts"]
    return doc


def test_missing_goalposts_are_named_all_at_once():
    rubric = Rubric.from_dict(two_metric_doc(goalposts=False))
    with pytest.raises(ComparisonError, match="^metric indicators without goalposts need minmax normalisation: b1, b2$"):
        score(rubric, [assess({"b2": {"value": 1}})])


def test_minmax_bounds_are_per_metric_and_null_where_nothing_is_answered():
    c = compile_rubric(Rubric.from_dict(two_metric_doc()))
    nan = np.nan
    values = np.array([[nan, nan, nan, nan, 150.0, nan], [nan, nan, nan, nan, 120.0, nan]])
    low, high = metric_bounds(c, values, "minmax")  # b1 answered, b2 not
    assert low[0] == 120.0 and high[0] == 150.0 and np.isnan(low[1]) and np.isnan(high[1])
    values[:, 5] = [3.0, 7.0]
    low, high = metric_bounds(c, values, "minmax")
    assert low.tolist() == [120.0, 3.0] and high.tolist() == [150.0, 7.0]
    low, high = metric_bounds(c, np.empty((0, 6)), "minmax")  # an empty batch: no bounds, no error
    assert np.isnan(low).all() and np.isnan(high).all()
    assert score(c.rubric, [], normalisation="minmax").overall.shape == (0,)


def weights_doc(a1: float, a2: float) -> dict[str, Any]:
    doc = mini_doc()
    indicator_doc(doc, "a1")["weight"] = a1
    indicator_doc(doc, "a2")["weight"] = a2
    return doc


@pytest.mark.parametrize("a1, a2", [(1 / 3, 3.0), (2.0 ** 24, 1.0), (0.1, 0.7)])
def test_answered_weights_are_summed_exactly(a1, a2):
    # With s2 missing the answered weight of each node is summed per assessment; single precision
    # would round 1/3, and 2^24 + 1, and must only be used where it is exact.
    c = compile_rubric(Rubric.from_dict(weights_doc(a1, a2)))
    s = score(c.rubric, [assess(full(s1=4, a1=4, a2=0, b1=2))])
    assert s.scored_weight[0, c.node_index["a"]] == a1 + a2 + 1.0  # a1, a2 and a.sub (weight 1)
    assert s.node("a")[0] == pytest.approx((a1 * 100 + 0 + 100) / (a1 + a2 + 1.0), rel=1e-12)


def test_records_of_a_bare_matrix_name_rows_by_position_without_ministry_or_period():
    c = compile_rubric(MINI)
    records = score_matrix(c, np.array([[4.0, 4, 4, 4, 4, 0], [0, 0, 0, 0, np.nan, 10]])).to_records()
    assert [(r["assessment"], r["ministry"], r["period"]) for r in records] == [("#0", None, None),
                                                                                 ("#1", None, None)]


def test_unsupported_metrics_are_the_answered_metrics_without_evidence():
    batch = [assess({"b2": {"value": 2.0}, "b1": {"level": 2}}, id="bare"),
             assess({"b2": {"value": 2.0, "evidence": EVIDENCE}}, id="backed"),
             assess({"b1": {"level": 1}}, id="unanswered")]
    s = score(MINI, batch)
    assert [s.unsupported_metrics(row) for row in range(3)] == [["b2"], [], []]


def test_the_overall_accessors_are_the_roots_scores():
    batch = [assess({"a1": {"level": 4}, "b1": {"level": 2}}, id="p"), assess(full(a1=4, b1=2, b2=5.0), id="q"),
             assess({}, id="r")]
    s = score(MINI, batch)
    assert s.overall.tolist()[:2] == pytest.approx([200 / 3, 200 / 3])  # (1 * 100 + 2 * 50) / 3
    assert s.overall_evidence.tolist()[:2] == pytest.approx([50.0, 200 / 3])  # p's a1 has no evidence: capped at 50
    assert np.isnan(s.overall[2]) and np.isnan(s.overall_evidence[2])
    assert s.overall_completeness.tolist() == pytest.approx([0.4, 11 / 15, 0.0])
    assert s.stages(np.array([0.0, 50.0, 100.0, np.nan])) == ["start-up", "established", "dynamic", None]


def test_a_record_holds_each_nodes_own_claimed_and_evidence_backed_values():
    """a1 answered 4 without evidence (capped at 50), b1 2, the rest unanswered."""
    batch = [assess({"a1": {"level": 4}, "b1": {"level": 2}}, id="p"), assess(full(a1=4, b1=2, b2=5.0), id="q")]
    s = score(MINI, batch)
    assert s.node("a").tolist() == [100.0, 100.0] and s.node("a", evidence=True).tolist() == [50.0, 100.0]
    assert s.indicator("a1").tolist() == [100.0, 100.0] and s.indicator("a1", evidence=True).tolist() == [50.0, 100.0]
    rec = s.to_records()[0]
    assert rec["overall"] == {"score": pytest.approx(200 / 3), "evidence_score": 50.0, "stage": "strategic",
                              "completeness": pytest.approx(0.4)}
    assert rec["nodes"]["a"] == {"score": 100.0, "evidence_score": 50.0, "stage": "dynamic",
                                 "completeness": pytest.approx(0.2), "status": "answered"}
    assert rec["nodes"]["a.sub"] == {"score": None, "evidence_score": None, "stage": None, "completeness": 0.0,
                                     "status": "missing"}
    assert rec["indicators"]["a1"] == {"status": "answered", "level": 4, "score": 100.0, "evidence_score": 50.0}
    assert rec["indicators"]["a2"] == {"status": "missing", "level": None, "score": None, "evidence_score": None}
    assert rec["indicators"]["b2"] == {"status": "missing", "value": None, "score": None, "evidence_score": None}


def test_overall_completeness_is_null_when_nothing_applies_and_zero_when_nothing_is_answered():
    na = {"na": True, "na_reason": "x"}
    batch = [assess({key: na for key in ("s1", "s2", "a1", "a2", "b1", "b2")}, id="all-na"), assess({}, id="empty")]
    s = score(MINI, batch)
    assert np.isnan(s.overall_completeness[0]) and s.overall_completeness[1] == 0.0


def test_dimensions_are_the_claimed_scores_of_the_top_level_nodes():
    """a1 answered 4 without evidence: a's claimed score is 100, its evidence-backed one 50."""
    s = score(MINI, [assess({"a1": {"level": 4}, "b1": {"level": 2}})])
    assert s.dimensions.tolist() == [[100.0, 50.0]]
    assert s.node("a", evidence=True).tolist() == [50.0]
