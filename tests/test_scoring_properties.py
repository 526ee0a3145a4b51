"""Properties of the scoring engine on generated rubric trees (random depth, weights, aggregations)."""

from __future__ import annotations

import copy
import itertools
import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from property_scale import examples

from toolkit.engine.compiled import LevelMatrix, compile_rubric, rank
from toolkit.engine.results import Scores
from toolkit.engine.scoring import score_matrix
from toolkit.model.rubric import Rubric

L = 4
TOL = 1e-9
SETTINGS = settings(max_examples=examples(150), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
weights = st.sampled_from([0.1, 0.5, 1.0, 1.0, 1.0, 2.0, 3.0, 7.3])
aggregations = st.sampled_from(["arithmetic", "geometric"])


def _text(value: str) -> dict[str, str]:
    return {"en": value}


@st.composite
def rubric_docs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid rubric document with 1..3 levels of nodes, 1..3 children each, a few metrics."""
    ids = itertools.count()
    max_depth = draw(st.integers(1, 3))

    def indicator() -> dict[str, Any]:
        key = f"i{next(ids)}"
        doc: dict[str, Any] = {"id": key, "title": _text(key), "question": _text(key), "tags": [],
                               "weight": draw(weights)}
        if draw(st.integers(0, 5)) == 0:
            low = draw(st.sampled_from([0.0, 1.0, 10.0]))
            doc.update(kind="metric", unit=_text("u"), direction=draw(st.sampled_from([1, -1])),
                       goalposts={"low": low, "high": low + draw(st.sampled_from([1.0, 5.0, 30.0]))})
        else:
            doc.update(kind="level", levels={str(k): {"descriptor": _text("d"),
                                                      "evidence_hint": _text("h")}
                                             for k in range(L + 1)})
        return doc

    def node(depth: int) -> dict[str, Any]:
        key = f"n{next(ids)}"
        children = draw(st.integers(0, 2)) if depth < max_depth else 0
        doc: dict[str, Any] = {"id": key, "title": _text(key), "weight": draw(weights),
                               "aggregation": draw(aggregations)}
        if children:
            doc["dimensions"] = [node(depth + 1) for _ in range(children)]
        count = draw(st.integers(0 if children else 1, 3))
        if count:
            doc["indicators"] = [indicator() for _ in range(count)]
        return doc

    return {
        "id": "gen", "version": "1.0.0", "title": _text("g"), "languages": ["en"],
        "aggregation": draw(aggregations),
        "scale": {"levels": [{"value": v, "label": _text(str(v))} for v in range(L + 1)]},
        "stages": [{"id": f"s{k}", "min_score": 20 * k, "label": _text("s")} for k in range(5)],
        "evidence_policy": {"unsupported_cap": draw(st.sampled_from([None, 1, 2]))},
        "dimensions": [node(1) for _ in range(draw(st.integers(1, 3)))],
    }


def matrices_for(rubric: Rubric, complete: bool = False) -> st.SearchStrategy[LevelMatrix]:
    """Level matrices of 1..5 assessments for a rubric: levels, metric values, missing, N/A.

    `complete` answers every cell, which takes the engine's path for fully answered batches.
    """
    compiled = compile_rubric(rubric)
    n = compiled.n_indicators

    def cell(k: int) -> st.SearchStrategy[float | str]:
        answered = (st.floats(-10, 50, allow_nan=False) if compiled.is_metric[k]
                    else st.integers(0, L).map(float))
        if complete:
            return answered
        return st.one_of(answered, answered, answered, st.just("missing"), st.just("na"))

    def build(rows: list[tuple[list[float | str], list[bool]]]) -> LevelMatrix:
        cells = [cells for cells, _ in rows]
        values = np.array([[v if isinstance(v, float) else np.nan for v in row] for row in cells])
        na = np.array([[v == "na" for v in row] for row in cells], dtype=bool)
        evidence = np.array([flags for _, flags in rows], dtype=bool)
        return LevelMatrix.from_values(values, na=na, has_evidence=evidence)

    row = st.tuples(st.tuples(*(cell(k) for k in range(n))).map(list),
                    st.lists(st.booleans(), min_size=n, max_size=n))
    return st.lists(row, min_size=1, max_size=5).map(build)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Rubric, LevelMatrix]:
    """A generated rubric and a level matrix for it."""
    rubric = Rubric.from_dict(draw(rubric_docs()))
    return rubric, draw(matrices_for(rubric, complete=draw(st.integers(0, 3)) == 0))


def run(rubric: Rubric, matrix: LevelMatrix) -> Scores:
    return score_matrix(compile_rubric(rubric), matrix)


def same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal within 1e-9, with nulls in the same places."""
    return bool(np.array_equal(np.isnan(a), np.isnan(b))
                and np.allclose(a, b, rtol=0, atol=TOL, equal_nan=True))


def with_values(matrix: LevelMatrix, values: np.ndarray, na: np.ndarray | None = None) -> LevelMatrix:
    return LevelMatrix(values=values, na=matrix.na if na is None else na,
                       has_evidence=matrix.has_evidence, targets=matrix.targets,
                       confidence=matrix.confidence)


@SETTINGS
@given(cases())
def test_scores_stay_in_range_or_null(case):
    s = run(*case)
    for array in (s.node_scores, s.node_evidence_scores, s.indicator_scores,
                  s.indicator_evidence_scores):
        finite = array[~np.isnan(array)]
        assert ((finite >= -TOL) & (finite <= 100 + TOL)).all()
    done = s.node_completeness[~np.isnan(s.node_completeness)]
    assert ((done >= 0) & (done <= 1 + TOL)).all()


@SETTINGS
@given(cases(), st.data())
def test_raising_one_level_never_lowers_a_score(case, data):
    rubric, matrix = case
    c = compile_rubric(rubric)
    raisable = np.argwhere(~c.is_metric & (matrix.values < L))  # NaN compares False
    assume(len(raisable))
    row, col = raisable[data.draw(st.integers(0, len(raisable) - 1))]
    higher = matrix.values.copy()
    higher[row, col] += 1
    before, after = run(rubric, matrix), run(rubric, with_values(matrix, higher))
    assert np.array_equal(np.isnan(before.node_scores), np.isnan(after.node_scores))
    assert (np.nan_to_num(after.node_scores) >= np.nan_to_num(before.node_scores) - TOL).all()
    assert (np.nan_to_num(after.node_evidence_scores)
            >= np.nan_to_num(before.node_evidence_scores) - TOL).all()


@SETTINGS
@given(rubric_docs(), st.floats(0.01, 100), st.data())
def test_scaling_every_weight_changes_nothing(doc, factor, data):
    rubric = Rubric.from_dict(doc)
    matrix = data.draw(matrices_for(rubric))

    def scale(node: dict[str, Any]) -> None:
        node["weight"] = node["weight"] * factor
        for child in (*node.get("dimensions", ()), *node.get("indicators", ())):
            scale(child)

    scaled = copy.deepcopy(doc)
    for top in scaled["dimensions"]:
        scale(top)
    a, b = run(rubric, matrix), run(Rubric.from_dict(scaled), matrix)
    for name in ("node_scores", "node_evidence_scores", "node_completeness"):
        assert same(getattr(a, name), getattr(b, name)), name


def _aggregate(scores: list[float], weights: list[float], geometric: bool) -> float:
    """SPEC section 4 for one node, written out plainly over its children's scores."""
    pairs = [(s, w) for s, w in zip(scores, weights, strict=True) if not math.isnan(s)]
    if not pairs:
        return math.nan
    total = sum(w for _, w in pairs)
    if geometric:
        return math.exp(sum(w * math.log(s + 1) for s, w in pairs) / total) - 1
    return sum(w * s for s, w in pairs) / total


def _children(compiled: Any, node: int) -> tuple[list[int], list[int]]:
    kids = [k for k, p in enumerate(compiled.node_parent) if p == node]
    indicators = [k for k, p in enumerate(compiled.indicator_parent) if p == node]
    return kids, indicators


@SETTINGS
@given(cases())
def test_every_node_is_its_formula_over_its_children(case):
    rubric, matrix = case
    s = run(rubric, matrix)
    c = s.compiled
    for node in range(c.n_nodes):
        kids, indicators = _children(c, node)
        weights = [c.node_weight[k] for k in kids] + [c.indicator_weight[k] for k in indicators]
        for row in range(len(s)):
            children = ([s.node_scores[row, k] for k in kids]
                        + [s.indicator_scores[row, k] for k in indicators])
            expected = _aggregate(children, weights, bool(c.node_geometric[node]))
            got = s.node_scores[row, node]
            assert (math.isnan(expected) and math.isnan(got)) or abs(got - expected) < TOL


@SETTINGS
@given(cases(), st.data())
def test_marking_an_indicator_na_keeps_the_others_relative_weights(case, data):
    rubric, matrix = case
    c = compile_rubric(rubric)
    answered = np.argwhere(~np.isnan(matrix.values))
    assume(len(answered))
    row, col = answered[data.draw(st.integers(0, len(answered) - 1))]
    na = matrix.na.copy()
    na[row, col] = True
    before, after = run(rubric, matrix), run(rubric, with_values(matrix, matrix.values, na))
    parent = int(c.indicator_parent[col])
    kids, indicators = _children(c, parent)
    others = [k for k in indicators if k != col]
    scores = ([before.node_scores[row, k] for k in kids]
              + [before.indicator_scores[row, k] for k in others])
    weights = [c.node_weight[k] for k in kids] + [c.indicator_weight[k] for k in others]
    # The siblings keep their scores and their weights relative to each other: the parent is
    # exactly their own aggregate, as if the N/A indicator had never been in the rubric.
    expected = _aggregate(scores, weights, bool(c.node_geometric[parent]))
    got = after.node_scores[row, parent]
    assert (math.isnan(expected) and math.isnan(got)) or abs(got - expected) < TOL
    # Nodes that are not above the indicator do not move at all.
    above = {parent}
    while parent > 0:
        parent = int(c.node_parent[parent])
        above.add(parent)
    untouched = [k for k in range(c.n_nodes) if k not in above]
    assert same(before.node_scores[:, untouched], after.node_scores[:, untouched])


@SETTINGS
@given(cases())
def test_evidence_backed_score_never_exceeds_the_claimed_one(case):
    s = run(*case)
    assert np.array_equal(np.isnan(s.node_scores), np.isnan(s.node_evidence_scores))
    assert (np.nan_to_num(s.node_evidence_scores) <= np.nan_to_num(s.node_scores) + TOL).all()
    assert (np.nan_to_num(s.indicator_evidence_scores)
            <= np.nan_to_num(s.indicator_scores) + TOL).all()


@SETTINGS
@given(cases())
def test_the_batch_equals_scoring_each_assessment_alone(case):
    rubric, matrix = case
    batch = run(rubric, matrix)
    for row in range(len(batch)):
        alone = run(rubric, LevelMatrix(
            values=matrix.values[row:row + 1], na=matrix.na[row:row + 1],
            has_evidence=matrix.has_evidence[row:row + 1], targets=matrix.targets[row:row + 1],
            confidence=matrix.confidence[row:row + 1]))
        for name in ("node_scores", "node_evidence_scores", "node_completeness",
                     "indicator_scores", "scored_weight"):
            assert same(getattr(batch, name)[row:row + 1], getattr(alone, name)), name


@SETTINGS
@given(cases())
def test_status_follows_scores_and_completeness(case):
    s = run(*case)
    scored = ~np.isnan(s.node_scores)
    assert (s.node_status[scored] == 0).all()
    # A node without a score is N/A exactly when nothing below it applies.
    no_score = ~scored
    assert np.array_equal(s.node_status[no_score] == 2, np.isnan(s.node_completeness)[no_score])


@SETTINGS
@given(st.lists(st.one_of(st.integers(0, 6).map(float), st.just(math.nan)), max_size=12))
def test_rank_is_one_plus_the_number_of_higher_scores(values):
    got = rank(np.array(values, dtype=float))
    for k, value in enumerate(values):
        if math.isnan(value):
            assert math.isnan(got[k])
        else:
            assert got[k] == 1 + sum(1 for other in values if other > value)
