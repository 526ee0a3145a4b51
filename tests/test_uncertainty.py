"""The Monte Carlo of SPEC section 5: the draw engine, the perturbations, intervals, reproducibility."""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from toolkit.engine.comparison import Comparison, compare
from toolkit.engine.compiled import LevelMatrix, compile_rubric, rank
from toolkit.engine.scoring import score_matrix
from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric, newest
from toolkit.model.documents import load_assessment
from toolkit.model.rubric import Node, Rubric
from toolkit.research.draws import DrawEngine
from toolkit.research.tidy import compare_json
from toolkit.research.uncertainty import only_ranked, percentiles_from_counts, uncertainty

REPO = Path(__file__).resolve().parent.parent
MINI = Rubric.from_dict(json.loads((REPO / "tests" / "data" / "scoring" / "mini.json").read_text("utf-8")))


def toy_rubric(dimensions: list[dict[str, Any]], aggregation: str = "arithmetic") -> Rubric:
    return Rubric.from_dict({
        "kind": "rubric", "format_version": 1, "id": "toy", "version": "1.0.0", "title": {"en": "Toy"},
        "languages": ["en"], "aggregation": aggregation, "normalisation": "goalposts",
        "scale": {"levels": [{"value": v, "label": {"en": str(v)}} for v in range(5)]},
        "stages": [{"id": "low", "min_score": 0, "label": {"en": "Low"}},
                   {"id": "mid", "min_score": 40, "label": {"en": "Mid"}},
                   {"id": "top", "min_score": 80, "label": {"en": "Top"}}],
        "evidence_policy": {"unsupported_cap": None}, "dimensions": dimensions})


def dim(node_id: str, *indicators: str, weight: float = 1, aggregation: str = "arithmetic") -> dict[str, Any]:
    return {"id": node_id, "title": {"en": node_id}, "weight": weight, "aggregation": aggregation,
            "indicators": [{"id": i, "kind": "level", "title": {"en": i}, "question": {"en": i}}
                           for i in indicators]}


def assess(assessment_id: str, answers: dict[str, Any], *, period: str = "2026",
           rubric_id: str = "toy") -> Assessment:
    return Assessment.from_dict({
        "kind": "assessment", "format_version": 1, "id": assessment_id,
        "rubric": {"id": rubric_id, "version": "1.0.0"},
        "ministry": {"id": assessment_id, "name": assessment_id.title(), "country": "Testland"},
        "period": period, "date": "2026-01-01", "status": "submitted", "answers": answers})


def with_aggregation(rubric: Rubric, mode: str) -> Rubric:
    def fix(node: Node) -> Node:
        return replace(node, aggregation=mode, dimensions=tuple(fix(k) for k in node.dimensions))
    return replace(rubric, aggregation=mode, dimensions=tuple(fix(d) for d in rubric.dimensions))


@pytest.fixture(scope="module")
def samples() -> Comparison:
    # Every sample, each read with its own rubric (1.0.0 or 1.1.0), compared on the newest version,
    # which takes the older rounds' answers through its migrations table.
    loaded = [load_assessment(p) for p in sorted((REPO / "sample_ministries").glob("*.json"))]
    return compare(newest(find_rubric(a.rubric_id, a.rubric_version) for a in loaded), loaded)


def mini_matrix(confidence: int | None = None, rows: int = 40, seed: int = 1) -> LevelMatrix:
    c = compile_rubric(MINI)
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 5, (rows, c.n_indicators)).astype(float)
    values[:, c.metric_columns] = rng.random((rows, len(c.metric_columns))) * 12
    values[rng.random(values.shape) < 0.2] = np.nan
    na = np.zeros(values.shape, dtype=bool)
    na[3, 0] = True
    values[na] = np.nan
    codes = (rng.integers(0, 3, values.shape) if confidence is None
             else np.full(values.shape, confidence)).astype(np.int8)
    return LevelMatrix(values=values, na=na, has_evidence=np.ones(values.shape, dtype=bool),
                       targets=np.full(values.shape, np.nan), confidence=codes)


# --- the draw engine ---------------------------------------------------------------------------------


def test_engine_without_perturbation_equals_the_scoring_engine():
    scores = score_matrix(compile_rubric(MINI), mini_matrix())
    nodes = DrawEngine(scores).nodes(2)
    for draw in range(2):
        np.testing.assert_allclose(nodes[:, draw].T, scores.node_scores, rtol=0, atol=1e-9)


@pytest.mark.parametrize("mode", ["arithmetic", "geometric"])
def test_engine_switch_equals_rescoring_a_rubric_with_that_aggregation(mode):
    matrix = mini_matrix()
    engine = DrawEngine(score_matrix(compile_rubric(MINI), matrix))
    expected = score_matrix(compile_rubric(with_aggregation(MINI, mode)), matrix).node_scores
    got = engine.nodes(3, geometric=np.array([mode == "geometric"] * 3))
    np.testing.assert_allclose(got[:, 1].T, expected, rtol=0, atol=1e-9)


def test_engine_factors_equal_rescoring_with_scaled_node_weights():
    matrix = mini_matrix()
    engine = DrawEngine(score_matrix(compile_rubric(MINI), matrix))
    factors = np.array([[1.2, 0.8, 0.5]])  # node order: a, b, a.sub (breadth first)
    assert compile_rubric(MINI).node_ids == ("overall", "a", "b", "a.sub")
    a, b = MINI.dimensions
    scaled = replace(MINI, dimensions=(
        replace(a, weight=a.weight * 1.2, dimensions=(replace(a.dimensions[0], weight=0.5),)),
        replace(b, weight=b.weight * 0.8)))
    expected = score_matrix(compile_rubric(scaled), matrix).node_scores
    np.testing.assert_allclose(engine.nodes(1, factors=factors)[:, 0].T, expected, rtol=0, atol=1e-9)


def test_levels_move_uniformly_within_one_or_two_levels_clipped_to_the_scale():
    rubric = toy_rubric([dim("d", "i0", "i2", "i4")])
    answers = {"i0": {"level": 0, "confidence": "medium"}, "i2": {"level": 2, "confidence": "low"},
               "i4": {"level": 4}}  # unset confidence counts as medium
    scores = compare(rubric, [assess("x", answers)]).scores
    engine = DrawEngine(scores)
    assert engine.n_cells == 3
    draws = 6000
    u = np.random.default_rng(3).random((draws, 3))
    moved = engine.low + np.floor(u * engine.count)
    expected = {0: [0, 1], 1: [0, 1, 2, 3, 4], 2: [3, 4]}
    for cell, allowed in expected.items():
        found, counts = np.unique(moved[:, cell], return_counts=True)
        assert found.tolist() == allowed
        assert counts.min() / counts.max() > 0.9  # uniform among the allowed values


def test_high_confidence_and_metrics_never_move():
    rubric = toy_rubric([dim("d", "i1", "i2")])
    scores = compare(rubric, [assess("x", {"i1": {"level": 3, "confidence": "high"},
                                           "i2": {"na": True, "na_reason": "n/a"}})]).scores
    assert DrawEngine(scores).n_cells == 0
    result = uncertainty(scores, 50, 1, spread=0.0)
    assert np.all(result.overall_draws == 75.0)


# --- intervals -------------------------------------------------------------------------------------


def test_all_high_confidence_and_no_spread_collapse_to_the_nominal(samples):
    scores = score_matrix(samples.scores.compiled,
                          replace(samples.scores.matrix,
                                  confidence=np.zeros(samples.scores.matrix.shape, dtype=np.int8)),
                          meta=samples.assessments)
    result = uncertainty(scores, 300, 5, spread=0.0)
    for q in range(3):
        np.testing.assert_allclose(result.overall_percentiles[:, q], samples.scores.overall,
                                   rtol=0, atol=1e-9)
        np.testing.assert_array_equal(result.rank_percentiles[:, q], samples.ranks)
    # a round below min_completeness has no stage, nominal or drawn (SPEC 11): its probabilities are null
    rated = samples.scores.overall_rated
    assert not rated.all() and np.isnan(result.stage_probability[~rated]).all()
    nominal_stage = [samples.scores.compiled.stage_ids.index(s) for s in samples.scores.stages() if s is not None]
    np.testing.assert_array_equal(result.stage_probability[rated].argmax(axis=1), nominal_stage)
    assert np.all(result.stage_probability[rated].max(axis=1) == 1.0)


def test_a_wider_weight_spread_never_narrows_the_interval(samples):
    # All-high confidence isolates the weights: with one seed, a wider spread moves every draw
    # further along the same direction, so the 5-95% interval can only widen.
    high = replace(samples.scores.matrix, confidence=np.zeros(samples.scores.matrix.shape, dtype=np.int8))
    scores = score_matrix(samples.scores.compiled, high, meta=samples.assessments)
    widths = []
    for spread in (0.0, 0.1, 0.25, 0.5, 0.9):
        p = uncertainty(scores, 1000, 11, spread=spread).overall_percentiles
        widths.append(p[:, 2] - p[:, 0])
    for narrow, wide in zip(widths, widths[1:]):
        assert np.all(wide >= narrow - 1e-9)
    assert np.all(widths[-1] > widths[0])


def test_wider_spread_and_lower_confidence_widen_the_interval_statistically(samples):
    def width(result):
        return result.overall_percentiles[:, 2] - result.overall_percentiles[:, 0]
    narrow = width(uncertainty(samples, 4000, 2, spread=0.1))
    wide = width(uncertainty(samples, 4000, 2, spread=0.5))
    assert np.all(wide >= narrow - 0.25)  # allowing for the sampling error of a percentile
    assert wide.mean() > narrow.mean()
    # Without 1.1.0's gates: a gate caps a draw whose level falls below its minimum, so lower confidence
    # can pile draws up at the cap and narrow an interval; the widening is a property of the levels alone.
    ungated = compare(replace(samples.rubric, gates=()), samples.assessments).scores
    matrix = ungated.matrix
    medium = score_matrix(ungated.compiled, replace(
        matrix, confidence=np.ones(matrix.shape, dtype=np.int8)), meta=samples.assessments)
    low = score_matrix(ungated.compiled, replace(
        matrix, confidence=np.full(matrix.shape, 2, dtype=np.int8)), meta=samples.assessments)
    assert np.all(width(uncertainty(low, 4000, 2)) >= width(uncertainty(medium, 4000, 2)) - 0.25)


def test_stage_probabilities_sum_to_one_and_a_null_score_has_none():
    rubric = toy_rubric([dim("d", "i1", "i2")])
    batch = [assess("a", {"i1": {"level": 2, "confidence": "low"}, "i2": {"level": 1}}),
             assess("b", {"i1": {"level": 4}}), assess("empty", {})]
    result = uncertainty(compare(rubric, batch), 500, 9, switch_aggregation=True)
    np.testing.assert_allclose(result.stage_probability[:2].sum(axis=1), 1.0, rtol=0, atol=1e-12)
    records = result.records()
    assert sum(records[0]["stage_probability"].values()) == pytest.approx(1.0)
    assert records[2] == {"overall_p05": None, "overall_p50": None, "overall_p95": None,
                          "rank_p05": None, "rank_p50": None, "rank_p95": None,
                          "stage_probability": None}
    assert result.rank_counts[:2, 1:3].sum() == 1000  # two ranked assessments, ranks 1 and 2 only


def test_weight_factors_are_shared_by_every_assessment_of_a_draw():
    rubric = toy_rubric([dim("d1", "i1"), dim("d2", "i2", weight=2)])
    same = {"i1": {"level": 4, "confidence": "high"}, "i2": {"level": 1, "confidence": "high"}}
    result = uncertainty(compare(rubric, [assess("a", same), assess("b", same)]), 200, 4)
    np.testing.assert_array_equal(result.overall_draws[:, 0], result.overall_draws[:, 1])
    assert result.overall_draws[:, 0].std() > 0


def test_the_aggregation_switch_is_one_coin_per_draw_for_the_whole_tree():
    rubric = toy_rubric([dim("d1", "i1", "i2"), dim("d2", "i3")])
    answers = {"i1": {"level": 4, "confidence": "high"}, "i2": {"level": 0, "confidence": "high"},
               "i3": {"level": 2, "confidence": "high"}}
    batch = [assess("a", answers)]
    arithmetic = compare(with_aggregation(rubric, "arithmetic"), batch).scores.overall[0]
    geometric = compare(with_aggregation(rubric, "geometric"), batch).scores.overall[0]
    result = uncertainty(compare(rubric, batch), 2000, 8, spread=0.0, switch_aggregation=True)
    values, counts = np.unique(np.round(result.overall_draws[:, 0], 9), return_counts=True)
    assert values.tolist() == pytest.approx(sorted([arithmetic, geometric]))
    assert abs(counts[0] - counts[1]) < 200  # a fair coin


def test_rank_percentiles_from_counts_equal_numpy():
    rng = np.random.default_rng(2)
    for _ in range(200):
        top = int(rng.integers(1, 30))
        sample = rng.integers(1, top + 1, int(rng.integers(1, 500)))
        counts = np.bincount(sample, minlength=top + 1)[None, :]
        got = percentiles_from_counts(counts, np.arange(top + 1, dtype=float), (5.0, 50.0, 95.0, 33.3))
        np.testing.assert_array_equal(got[0], np.percentile(sample.astype(float), [5, 50, 95, 33.3]))
    assert np.isnan(percentiles_from_counts(np.zeros((1, 3), dtype=int), np.arange(3.0))).all()


@pytest.mark.parametrize(("values", "counts", "q"), [
    # ranks 2 and 5 (a tie skips ranks): the 5th percentile of 15 draws lies 0.7 of the way up
    (np.arange(6.0), [0, 0, 1, 0, 0, 14], 5.0),
    # exactly half way between 0.1 and 0.7: numpy interpolates down from the upper value
    (np.array([0.1, 0.7]), [1, 2], 25.0),
])
def test_rank_percentiles_from_counts_round_as_numpy_does_from_the_midpoint_up(values, counts, q):
    # From the midpoint on numpy interpolates down from the upper value (hi - span (1 - t)), which
    # can differ from lo + span t in the last bit; the percentiles match numpy's to the bit.
    sample = np.repeat(values, counts)
    got = percentiles_from_counts(np.array([counts]), values, (q,))
    assert got[0].tolist() == np.percentile(sample, [q]).tolist()
    lo, hi = np.unique(sample)
    h = (len(sample) - 1) * (q / 100.0)  # numpy's virtual index
    t = h - np.floor(h)
    assert got[0, 0] != lo + (hi - lo) * t  # the case tells the two formulas apart


def test_rank_percentiles_agree_with_the_ranks_of_the_draws(samples):
    result = uncertainty(samples, 400, 6, switch_aggregation=True)
    ranks = rank(only_ranked(result.overall_draws, samples.scores.overall_rated))  # the ranked set only
    np.testing.assert_array_equal(result.rank_percentiles,
                                  np.percentile(ranks, [5, 50, 95], axis=0).T)


# --- reproducibility, chunks, progress, options --------------------------------------------------------


def test_same_seed_same_json_bytes_and_another_seed_differs(samples):
    def run(seed: int) -> bytes:
        result = uncertainty(samples, 300, seed, switch_aggregation=True)
        return json.dumps(compare_json(samples, result), indent=2, allow_nan=False).encode("utf-8")
    first = run(42)
    assert run(42) == first
    assert run(43) != first


def test_chunk_size_changes_nothing(samples):
    whole = uncertainty(samples, 250, 3, switch_aggregation=True, chunk_rows=10**6)
    for chunk_rows in (1, 100, 1000):
        part = uncertainty(samples, 250, 3, switch_aggregation=True, chunk_rows=chunk_rows)
        np.testing.assert_array_equal(part.overall_draws, whole.overall_draws)
        np.testing.assert_array_equal(part.rank_counts, whole.rank_counts)
        np.testing.assert_array_equal(part.stage_counts, whole.stage_counts)  # every chunk's stages counted


def test_progress_reports_increasing_fractions_ending_at_one(samples):
    seen: list[float] = []
    uncertainty(samples, 1000, 1, chunk_rows=len(samples.assessments) * 100, progress=seen.append)
    assert len(seen) == 10
    assert seen == sorted(seen) and seen[-1] == 1.0


@pytest.mark.parametrize(("options", "message"), [
    ({"draws": 0}, "draws must be a whole number of at least 1, not 0"),
    ({"draws": 2.5}, "draws must be a whole number of at least 1, not 2.5"),
    ({"draws": True}, "draws must be a whole number of at least 1, not True"),
    ({"seed": -1}, "seed must be a whole number >= 0, not -1"),
    ({"seed": 2.5}, "seed must be a whole number >= 0, not 2.5"),
    ({"seed": True}, "seed must be a whole number >= 0, not True"),
    ({"spread": 1.0}, "spread must be in [0, 1) so every weight stays positive, not 1.0"),
    ({"spread": -0.1}, "spread must be in [0, 1) so every weight stays positive, not -0.1"),
])
def test_refuses_impossible_options_saying_which_and_why(samples, options, message):
    settings = {"draws": 10, "seed": 0, "spread": 0.25, **options}
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        uncertainty(samples, settings["draws"], settings["seed"], spread=settings["spread"])


def test_settings_are_reported(samples):
    result = uncertainty(samples, 20, 7, spread=0.3, switch_aggregation=True)
    assert result.settings() == {"draws": 20, "seed": 7, "spread": 0.3, "switch_aggregation": True}


# --- records and edge sizes ------------------------------------------------------------------------------


def test_records_carry_each_percentile_under_its_own_name(samples):
    result = uncertainty(samples, 200, 6, switch_aggregation=True)
    records = result.records()
    # The check means something only where the three percentiles differ.
    spread_out = [k for k in range(len(records))
                  if len(set(result.overall_percentiles[k])) == 3 and len(set(result.rank_percentiles[k])) == 3]
    assert spread_out
    def nulled(values: np.ndarray) -> list[float | None]:
        return [None if np.isnan(x) else x for x in values.tolist()]
    for k, record in enumerate(records):
        o, r = result.overall_percentiles[k], result.rank_percentiles[k]
        assert [record["overall_p05"], record["overall_p50"], record["overall_p95"]] == nulled(o)
        assert [record["rank_p05"], record["rank_p50"], record["rank_p95"]] == nulled(r)
        odds = result.stage_probability[k]
        assert record["stage_probability"] == (None if np.isnan(odds).all()  # below min_completeness
                                               else dict(zip(result.stage_ids, odds.tolist(), strict=True)))


def test_a_single_draw_is_its_own_every_percentile():
    rubric = toy_rubric([dim("d1", "i1"), dim("d2", "i2")])
    batch = [assess("a", {"i1": {"level": 3, "confidence": "low"}, "i2": {"level": 1}}),
             assess("b", {"i1": {"level": 1}, "i2": {"level": 2, "confidence": "low"}}), assess("empty", {})]
    result = uncertainty(compare(rubric, batch), 1, 4)
    drawn = result.overall_draws[0]
    for q in range(3):
        np.testing.assert_array_equal(result.overall_percentiles[:2, q], drawn[:2])
        np.testing.assert_array_equal(result.rank_percentiles[:2, q], rank(drawn[:2]))
    assert np.isnan(result.overall_percentiles[2]).all() and np.isnan(result.rank_percentiles[2]).all()


def test_percentiles_cover_every_assessment_of_a_large_comparison():
    # Score percentiles are taken a block of assessments at a time: 130 needs more than two blocks.
    rubric = toy_rubric([dim("d1", "i1"), dim("d2", "i2")])
    rng = np.random.default_rng(12)
    batch = [assess(f"m{k:03d}", {"i1": {"level": int(a), "confidence": "low"}, "i2": {"level": int(b)}})
             for k, (a, b) in enumerate(rng.integers(0, 5, (130, 2)))]
    result = uncertainty(compare(rubric, batch), 20, 3)
    np.testing.assert_array_equal(result.overall_percentiles,
                                  np.percentile(result.overall_draws, [5, 50, 95], axis=0).T)


def test_defaults_are_a_thousand_draws_seed_zero_and_a_quarter_spread():
    rubric = toy_rubric([dim("d1", "i1"), dim("d2", "i2")])
    comparison = compare(rubric, [assess("a", {"i1": {"level": 3}, "i2": {"level": 1}}),
                                  assess("b", {"i1": {"level": 2}, "i2": {"level": 2, "confidence": "low"}})])
    result = uncertainty(comparison)
    assert result.settings() == {"draws": 1000, "seed": 0, "spread": 0.25, "switch_aggregation": False}
    explicit = uncertainty(comparison, 1000, 0, spread=0.25, switch_aggregation=False)
    np.testing.assert_array_equal(result.overall_draws, explicit.overall_draws)


def test_uncertain_levels_move_in_the_monte_carlo_within_their_confidence():
    # One indicator per dimension, spread 0: each draw's dimension score is 25 x the drawn level.
    rubric = toy_rubric([dim("d", "i")])
    batch = [assess("medium", {"i": {"level": 2, "confidence": "medium"}}),
             assess("low", {"i": {"level": 2, "confidence": "low"}})]
    result = uncertainty(compare(rubric, batch), 3000, 21, spread=0.0)
    for name, allowed in [("medium", [25.0, 50.0, 75.0]), ("low", [0.0, 25.0, 50.0, 75.0, 100.0])]:
        drawn = result.overall_draws[:, result.assessment_ids.index(name)]
        found, counts = np.unique(drawn, return_counts=True)
        assert found.tolist() == allowed
        assert counts.min() / counts.max() > 0.85  # uniform among the allowed levels


def test_progress_comes_after_every_chunk_of_at_least_one_draw():
    rubric = toy_rubric([dim("d", "i")])
    three = compare(rubric, [assess(x, {"i": {"level": 2}}) for x in ("a", "b", "c")])
    seen: list[float] = []
    uncertainty(three, 5, 1, chunk_rows=1, progress=seen.append)  # fewer rows than assessments: one draw
    assert seen == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])
    seen.clear()
    uncertainty(compare(rubric, [assess("a", {"i": {"level": 2}})]), 6, 1, chunk_rows=3, progress=seen.append)
    assert seen == pytest.approx([0.5, 1.0])  # one assessment: three draws a chunk


def test_rank_and_stage_counts_are_whole_numbers_of_draws(samples):
    result = uncertainty(samples, 50, 2)
    assert result.rank_counts.dtype.kind == "i" and result.stage_counts.dtype.kind == "i"
    rated = samples.scores.overall_rated
    assert (result.rank_counts[rated].sum(axis=1) == 50).all()
    assert (result.stage_counts[rated].sum(axis=1) == 50).all()


def test_the_result_keeps_the_nominal_scores_and_ranks_the_intervals_surround(samples):
    result = uncertainty(samples, 20, 1)
    np.testing.assert_array_equal(result.nominal, samples.scores.overall)
    np.testing.assert_array_equal(result.nominal_rank, samples.ranks)  # NaN below min_completeness
    assert not samples.scores.overall_rated.all()


def test_only_ranked_makes_the_scores_outside_the_ranked_set_float_nans():
    got = only_ranked(np.array([[70.0, 40.0, 55.0]]), np.array([True, False, True]))
    assert got.dtype == np.float64
    np.testing.assert_array_equal(np.isnan(got), [[False, True, False]])
    np.testing.assert_array_equal(got[:, [0, 2]], [[70.0, 55.0]])


def test_an_assessment_without_a_stage_gets_null_odds_without_a_numpy_warning():
    rubric = toy_rubric([dim("d", "i1", "i2")])
    batch = [assess("a", {"i1": {"level": 2, "confidence": "low"}, "i2": {"level": 1}}), assess("empty", {})]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0 / 0 for the stageless row must not reach the caller as a warning
        result = uncertainty(compare(rubric, batch), 50, 9)
    assert np.isnan(result.stage_probability[1]).all()
    assert result.stage_probability[0].sum() == pytest.approx(1.0)
