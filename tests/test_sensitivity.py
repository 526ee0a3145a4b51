"""Sensitivity: leave-one-out by hand and on ASEM, Sobol estimators against SALib and known answers."""

from __future__ import annotations

import copy
import json
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from SALib.analyze import sobol as salib_analyze
from SALib.sample import sobol as salib_sample
from SALib.test_functions import Ishigami

from toolkit.engine.comparison import Comparison, compare
from toolkit.engine.scoring import score_matrix
from toolkit.errors import ToolkitError
from toolkit.model.assessment import Assessment
from toolkit.model.documents import load_rubric
from toolkit.model.rubric import Rubric
from toolkit.research.coinr import assessments_from_coinr, read_coinr_csv, rubric_from_coinr
from toolkit.research.sensitivity import (
    SobolIndex,
    leave_one_out,
    mean_abs_rank_change,
    rank_sobol,
    saltelli_design,
    sensitivity,
    sobol_analysis,
    sobol_indices,
)

REPO = Path(__file__).resolve().parent.parent
ASEM = REPO / "tests" / "data" / "asem"
ISHIGAMI_FIRST = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_TOTAL = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def toy_rubric(weights: dict[str, float]) -> Rubric:
    """One level indicator `i<k>` per dimension `d<k>`, arithmetic throughout."""
    return Rubric.from_dict({
        "kind": "rubric", "format_version": 1, "id": "toy", "version": "1.0.0", "title": {"en": "Toy"},
        "languages": ["en"], "normalisation": "goalposts",
        "scale": {"levels": [{"value": v, "label": {"en": str(v)}} for v in range(5)]},
        "stages": [{"id": "low", "min_score": 0, "label": {"en": "Low"}},
                   {"id": "high", "min_score": 50, "label": {"en": "High"}}],
        "evidence_policy": {"unsupported_cap": None},
        "dimensions": [{"id": node, "title": {"en": node}, "weight": w,
                        "indicators": [{"id": "i" + node[1:], "kind": "level", "title": {"en": node},
                                        "question": {"en": node}}]}
                       for node, w in weights.items()]})


def assess(assessment_id: str, levels: dict[str, int], confidence: str = "medium") -> Assessment:
    return Assessment.from_dict({
        "kind": "assessment", "format_version": 1, "id": assessment_id,
        "rubric": {"id": "toy", "version": "1.0.0"},
        "ministry": {"id": assessment_id, "name": assessment_id, "country": "Testland"},
        "period": "2026", "date": "2026-01-01", "status": "submitted",
        "answers": {key: {"level": v, "confidence": confidence} for key, v in levels.items()}})


@pytest.fixture(scope="module")
def toy() -> Comparison:
    # d1, d2 weigh 1, d3 weighs 2; scores 25 per level.
    rubric = toy_rubric({"d1": 1, "d2": 1, "d3": 2})
    return compare(rubric, [assess("a1", {"i1": 4, "i2": 0, "i3": 1}),
                            assess("a2", {"i1": 0, "i2": 4, "i3": 3}),
                            assess("a3", {"i1": 1, "i2": 4, "i3": 2})])


@pytest.fixture(scope="module")
def asem() -> tuple[dict[str, Any], list[dict[str, Any]], Comparison]:
    imeta, idata = read_coinr_csv(ASEM / "ASEM_iMeta.csv", ASEM / "ASEM_iData.csv")
    rubric_doc = rubric_from_coinr(imeta, rubric_id="asem", version="1.0.0", title="ASEM")
    docs = assessments_from_coinr(idata, imeta, rubric_id="asem", version="1.0.0", period="2018",
                                  date="2018-12-31")
    rubric = load_rubric(rubric_doc, name="asem rubric")
    return rubric_doc, docs, compare(rubric, [Assessment.from_dict(doc) for doc in docs])


# --- leave-one-out -----------------------------------------------------------------------------------


def test_leave_one_out_on_a_toy_comparison_by_hand(toy):
    # Nominal overall: a1 (100 + 0 + 2*25)/4 = 37.5, a2 (0 + 100 + 2*75)/4 = 62.5,
    # a3 (25 + 100 + 2*50)/4 = 56.25: ranks a1 3, a2 1, a3 2.
    # Without d1: a1 (0 + 50)/3 = 16.7, a2 (100 + 150)/3 = 83.3, a3 (100 + 100)/3 = 66.7: the same
    #   ranks, change 0.
    # Without d2: a1 (100 + 50)/3 = 50, a2 (0 + 150)/3 = 50, a3 (25 + 100)/3 = 41.7: a1 and a2 tie
    #   at rank 1, a3 is 3: changes 2, 0, 1, mean 1.
    # Without d3: a1 (100 + 0)/2 = 50, a2 (0 + 100)/2 = 50, a3 (25 + 100)/2 = 62.5: a3 1, a1 and
    #   a2 tie at 2: changes 1, 1, 1, mean 1.
    result = leave_one_out(toy, depth=1)
    np.testing.assert_array_equal(toy.ranks, [3, 1, 2])
    assert result.node_ids == ("d1", "d2", "d3")
    np.testing.assert_allclose(result.overall, [[50 / 3, 250 / 3, 200 / 3], [50, 50, 125 / 3],
                                                [50, 50, 62.5]], rtol=1e-12)
    np.testing.assert_array_equal(result.ranks, [[3, 1, 2], [1, 1, 3], [2, 2, 1]])
    assert result.to_dict() == {"d1": 0.0, "d2": 1.0, "d3": 1.0}


def test_mean_abs_rank_change_leaves_out_unranked_assessments():
    ranks = np.array([[1.0, np.nan, 2.0], [np.nan, np.nan, np.nan]])
    got = mean_abs_rank_change(ranks, np.array([2.0, 1.0, 2.0]))
    assert got[0] == 0.5 and np.isnan(got[1])


def test_leave_one_out_refuses_a_depth_the_rubric_does_not_have(toy):
    with pytest.raises(ToolkitError, match="depth 2: rubric toy 1.0.0 has nodes at depths 1 to 1"):
        leave_one_out(toy, depth=2)
    with pytest.raises(ToolkitError):
        leave_one_out(toy, depth=0)


def _without(doc: dict[str, Any], node_id: str) -> dict[str, Any]:
    out = copy.deepcopy(doc)

    def keep(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        kept = []
        for node in nodes:
            if node["id"] != node_id:
                if "dimensions" in node:
                    node["dimensions"] = keep(node["dimensions"])
                kept.append(node)
        return kept

    out["dimensions"] = keep(out["dimensions"])
    return out


def test_asem_leave_one_out_at_the_pillar_depth_equals_rescoring_without_the_pillar(asem):
    rubric_doc, docs, comparison = asem
    result = leave_one_out(comparison, depth=2)
    assert result.node_ids == ("physical", "conecfin", "political", "instit", "p2p", "environ",
                               "social", "susecfin")
    assert np.all(result.mean_abs_rank_change > 0)
    for k, pillar in enumerate(result.node_ids):
        # The document route: a rubric written without the pillar, answers to its indicators dropped.
        smaller = Rubric.from_dict(_without(rubric_doc, pillar))
        kept = {indicator.id for indicator in smaller.indicators()}
        rescored = compare(smaller, [Assessment.from_dict(
            {**doc, "answers": {key: v for key, v in doc["answers"].items() if key in kept}})
            for doc in docs])
        np.testing.assert_allclose(result.overall[k], rescored.scores.overall, rtol=0, atol=1e-9)
        assert result.mean_abs_rank_change[k] == pytest.approx(
            mean_abs_rank_change(rescored.ranks, comparison.ranks))
    assert set(leave_one_out(comparison, depth=1).to_dict()) == {"conn", "sust"}


# --- Sobol estimators ----------------------------------------------------------------------------------


def test_estimators_equal_salib_on_salibs_own_design():
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = salib_sample.sample(problem, 512, calc_second_order=False, seed=1)
    y = Ishigami.evaluate(x).reshape(-1, 5)  # per base row: A, AB_1, AB_2, AB_3, B
    expected = salib_analyze.analyze(problem, y.ravel(), calc_second_order=False, seed=2)
    mine = sobol_indices(y[:, 0], y[:, 4], {f"x{i}": y[:, i] for i in (1, 2, 3)}, bootstrap=300)
    np.testing.assert_allclose([mine[n].first for n in problem["names"]], expected["S1"], rtol=1e-9)
    np.testing.assert_allclose([mine[n].total for n in problem["names"]], expected["ST"], rtol=1e-9)
    for k, name in enumerate(problem["names"]):
        low, high = mine[name].first_ci
        assert low <= mine[name].first <= high
        # SALib gives a normal half-width; a percentile interval has about the same width.
        assert (high - low) / 2 == pytest.approx(expected["S1_conf"][k], rel=0.35)


def test_grouped_estimators_equal_salib_with_groups():
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3,
               "groups": ["g12", "g12", "g3"]}
    x = salib_sample.sample(problem, 512, calc_second_order=False, seed=4)
    y = Ishigami.evaluate(x).reshape(-1, 4)  # A, AB_g12, AB_g3, B
    expected = salib_analyze.analyze(problem, y.ravel(), calc_second_order=False, seed=2)
    mine = sobol_indices(y[:, 0], y[:, 3], {"g12": y[:, 1], "g3": y[:, 2]}, bootstrap=0)
    np.testing.assert_allclose([mine["g12"].first, mine["g3"].first], expected["S1"], rtol=1e-9)
    np.testing.assert_allclose([mine["g12"].total, mine["g3"].total], expected["ST"], rtol=1e-9)


def ishigami(u: np.ndarray) -> np.ndarray:
    return Ishigami.evaluate(-np.pi + 2 * np.pi * u)


def test_own_saltelli_design_recovers_the_ishigami_indices():
    result = sobol_analysis(ishigami, {"x1": 1, "x2": 1, "x3": 1}, samples=4096, seed=3, bootstrap=200)
    for name in ("x1", "x2", "x3"):
        assert result[name].first == pytest.approx(ISHIGAMI_FIRST[name], abs=0.06)
        assert result[name].total == pytest.approx(ISHIGAMI_TOTAL[name], abs=0.06)
        assert result[name].total_ci[0] <= result[name].total <= result[name].total_ci[1]


def test_an_input_with_no_effect_gets_zero_in_an_additive_model():
    # y = 3 u1 + u2 (+ 0 u3): V = (9 + 1) / 12, S1 = ST = 0.9 and 0.1, and exactly 0 for u3.
    result = sobol_analysis(lambda u: 3 * u[:, 0] + u[:, 1], {"u1": 1, "u2": 1, "u3": 1},
                            samples=4096, seed=5, bootstrap=200)
    assert result["u1"].first == pytest.approx(0.9, abs=0.04)
    assert result["u1"].total == pytest.approx(0.9, abs=0.04)
    assert result["u2"].first == pytest.approx(0.1, abs=0.04)
    assert result["u2"].total == pytest.approx(0.1, abs=0.04)
    assert result["u3"].first == 0.0 and result["u3"].total == 0.0
    assert result["u3"].first_ci == (0.0, 0.0) and result["u3"].total_ci == (0.0, 0.0)


def test_grouped_design_takes_a_whole_group_from_b():
    design = saltelli_design(4, {"g": 2, "h": 1}, np.random.default_rng(0))
    mixed = design.mixed("g")
    np.testing.assert_array_equal(mixed[:, :2], design.b[:, :2])
    np.testing.assert_array_equal(mixed[:, 2], design.a[:, 2])


def test_a_constant_output_has_undefined_indices():
    result = sobol_indices(np.ones(10), np.ones(10), {"x": np.ones(10)}, bootstrap=20)
    assert result["x"].to_dict() == {"first": None, "total": None, "first_ci": [None, None],
                                     "total_ci": [None, None]}


# --- Sobol indices of a comparison's ranks -------------------------------------------------------------


def test_only_the_aggregation_matters_when_levels_and_weights_are_fixed():
    rubric = toy_rubric({"d1": 1, "d2": 1})
    # Arithmetic ranks a above b (50 > 37.5); geometric ranks b above a (sqrt(101 * 1) - 1 = 9.0
    # < sqrt(51 * 26) - 1 = 35.4): the ranks move exactly when the coin says geometric.
    batch = [assess("a", {"i1": 4, "i2": 0}, "high"), assess("b", {"i1": 2, "i2": 1}, "high")]
    result = rank_sobol(compare(rubric, batch), samples=256, seed=1, spread=0.0, switch_aggregation=True,
                        bootstrap=100)
    # Levels of high confidence and a spread of 0 do not vary in this run: only the aggregation does.
    assert list(result) == ["aggregation"]
    assert result["aggregation"].total == pytest.approx(1.0, abs=0.1)
    assert result["aggregation"].first == pytest.approx(1.0, abs=0.2)


def test_without_the_switch_there_are_two_inputs(toy):
    result = rank_sobol(toy, samples=64, seed=1, switch_aggregation=False, bootstrap=50)
    assert list(result) == ["levels", "weights"]


def test_asem_sobol_levels_have_no_effect_on_metric_data(asem):
    _, _, comparison = asem
    result = sensitivity(comparison, depth=2, samples=128, seed=3, bootstrap=100, switch_aggregation=True)
    # ASEM holds metrics only: no level can move, so that input is not reported.
    assert list(result.sobol) == ["weights", "aggregation"]
    assert result.sobol["weights"].total > 0 and result.sobol["aggregation"].total > 0
    data = result.to_dict()
    assert set(data) == {"depth", "leave_one_out", "sobol", "samples", "seed", "spread",
                         "switch_aggregation"}
    assert data["depth"] == 2 and len(data["leave_one_out"]) == 8
    assert set(data["sobol"]["weights"]) == {"first", "total", "first_ci", "total_ci"}
    json.dumps(data, allow_nan=False)


def test_sensitivity_is_reproducible_and_reports_progress(toy):
    seen: list[float] = []
    first = sensitivity(toy, samples=64, seed=9, bootstrap=50, progress=seen.append).to_dict()
    assert sensitivity(toy, samples=64, seed=9, bootstrap=50).to_dict() == first
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_rank_sobol_accepts_scores_as_well(toy):
    scores = score_matrix(toy.scores.compiled, replace(toy.scores.matrix))
    assert rank_sobol(scores, samples=32, seed=2, bootstrap=10).keys() == rank_sobol(
        toy, samples=32, seed=2, bootstrap=10).keys()


# --- settings, defaults and what reaches the Sobol run (issue 17) ----------------------------------------


def test_a_sobol_index_reports_each_field_under_its_own_name():
    index = SobolIndex(first=0.1, total=0.2, first_ci=(0.05, 0.15), total_ci=(0.12, 0.3))
    assert index.to_dict() == {"first": 0.1, "total": 0.2, "first_ci": [0.05, 0.15], "total_ci": [0.12, 0.3]}


def test_leave_one_out_defaults_to_the_top_level_and_refuses_a_boolean_depth(toy):
    assert leave_one_out(toy).to_dict() == leave_one_out(toy, 1).to_dict() == {"d1": 0.0, "d2": 1.0, "d3": 1.0}
    with pytest.raises(ToolkitError, match="depth True"):
        leave_one_out(toy, depth=True)


def test_one_uncertain_level_and_one_weighted_dimension_are_inputs_that_vary():
    one = toy_rubric({"d1": 1})
    batch = [assess("a", {"i1": 2}), assess("b", {"i1": 3}, "high")]  # one medium-confidence cell
    assert list(rank_sobol(compare(one, batch), samples=16, seed=1, bootstrap=0)) == ["levels", "weights"]


def test_rank_sobol_refuses_fewer_than_two_samples_by_name_and_takes_two(toy):
    with pytest.raises(ValueError, match="samples must be a whole number of at least 2, not 1"):
        rank_sobol(toy, samples=1)
    assert list(rank_sobol(toy, samples=2, bootstrap=0)) == ["levels", "weights"]


def test_rank_sobol_defaults_are_seed_zero_without_the_switch(toy):
    default = rank_sobol(toy, samples=32, bootstrap=20)
    explicit = rank_sobol(toy, 32, 0, spread=0.25, switch_aggregation=False, bootstrap=20, confidence=0.95)
    assert {k: v.to_dict() for k, v in default.items()} == {k: v.to_dict() for k, v in explicit.items()}


def test_chunk_size_changes_no_sobol_index_and_progress_comes_per_chunk(toy):
    whole = rank_sobol(toy, samples=32, seed=4, switch_aggregation=True, bootstrap=20)
    seen: list[float] = []
    # 3 assessments: 24 rows are 8 draws a chunk, 4 chunks for each of A, B and the three AB_i
    chunked = rank_sobol(toy, samples=32, seed=4, switch_aggregation=True, bootstrap=20, chunk_rows=24,
                         progress=seen.append)
    assert {k: v.to_dict() for k, v in chunked.items()} == {k: v.to_dict() for k, v in whole.items()}
    assert seen == pytest.approx([k / 20 for k in range(1, 21)])
    seen.clear()
    rank_sobol(toy, samples=3, seed=4, bootstrap=0, chunk_rows=1, progress=seen.append)  # one draw a chunk
    assert len(seen) == 4 * 3
    seen.clear()
    lone = compare(toy.rubric, toy.assessments[:1])
    rank_sobol(lone, samples=8, seed=4, bootstrap=0, chunk_rows=4, progress=seen.append)  # four draws a chunk
    assert len(seen) == 4 * 2


def test_rank_sobol_bootstrap_and_confidence_shape_the_intervals(toy):
    none = rank_sobol(toy, samples=64, seed=3, bootstrap=0)
    assert all(np.isnan(index.first_ci).all() and np.isnan(index.total_ci).all() for index in none.values())
    narrow = rank_sobol(toy, samples=64, seed=3, bootstrap=200, confidence=0.5)
    wide = rank_sobol(toy, samples=64, seed=3, bootstrap=200, confidence=0.99)
    for name in ("levels", "weights"):
        assert narrow[name].total == none[name].total  # the intervals never move the estimates
        assert np.diff(narrow[name].total_ci)[0] < np.diff(wide[name].total_ci)[0]


def test_sensitivity_passes_every_setting_to_both_analyses(toy):
    got = sensitivity(toy, 1, samples=40, seed=5, spread=0.3, switch_aggregation=True, bootstrap=30,
                      confidence=0.8)
    sobol = rank_sobol(toy, 40, 5, spread=0.3, switch_aggregation=True, bootstrap=30, confidence=0.8)
    assert got.to_dict() == {"depth": 1, "leave_one_out": leave_one_out(toy, 1).to_dict(),
                             "sobol": {k: v.to_dict() for k, v in sobol.items()},
                             "samples": 40, "seed": 5, "spread": 0.3, "switch_aggregation": True}


def test_sensitivity_defaults(toy):
    got = sensitivity(toy, samples=16, bootstrap=10)
    assert (got.seed, got.spread, got.switch_aggregation, got.leave_one_out.depth) == (0, 0.25, False, 1)
    sobol = rank_sobol(toy, 16, 0, bootstrap=10)
    assert {k: v.to_dict() for k, v in got.sobol.items()} == {k: v.to_dict() for k, v in sobol.items()}


def test_sobol_weight_factors_span_one_plus_or_minus_the_spread():
    # Two dimensions, spread 0.5: each weight is scaled by a factor uniform in [0.5, 1.5], so the ratio
    # r = f1 / f2 lies in [1/3, 3], and a (levels 4, 0) scores 100 r / (1 + r), between 25 and 75.
    rubric = toy_rubric({"d1": 1, "d2": 1})
    # b scores 75 whatever the weights: a never passes it (only r > 3 would), the output never moves.
    never = compare(rubric, [assess("a", {"i1": 4, "i2": 0}, "high"), assess("b", {"i1": 3, "i2": 3}, "high")])
    result = rank_sobol(never, samples=256, seed=6, spread=0.5, bootstrap=0)
    assert result["weights"].to_dict()["total"] is None
    # c (levels 3, 2) scores 50 + 25 r / (1 + r): a passes it when r > 2, in about 6 % of draws,
    # which factors stopping short of 1 + spread (r <= 5/3 at most) would never reach.
    sometimes = compare(rubric, [assess("a", {"i1": 4, "i2": 0}, "high"), assess("c", {"i1": 3, "i2": 2}, "high")])
    result = rank_sobol(sometimes, samples=256, seed=6, spread=0.5, bootstrap=0)
    assert result["weights"].total == pytest.approx(1.0, abs=0.1)


def test_leave_one_out_keeps_the_nominal_ranks(toy):
    np.testing.assert_array_equal(leave_one_out(toy).nominal_rank, toy.ranks)


def test_a_row_with_no_ranked_assessment_is_null_without_a_numpy_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = mean_abs_rank_change(np.array([[np.nan, np.nan]]), np.array([1.0, 2.0]))
    assert np.isnan(got[0])


def test_saltelli_design_takes_two_samples_and_refuses_one():
    assert saltelli_design(2, {"x": 1}, np.random.default_rng(0)).a.shape == (2, 1)
    with pytest.raises(ValueError, match="samples must be at least 2, not 1"):
        saltelli_design(1, {"x": 1}, np.random.default_rng(0))


@pytest.mark.parametrize("confidence", [0.0, 1.0, 1.5])
def test_sobol_indices_refuse_a_confidence_outside_zero_to_one(confidence):
    with pytest.raises(ValueError, match=f"confidence must be between 0 and 1, not {confidence!r}"):
        sobol_indices(np.arange(4.0), np.arange(4.0)[::-1], {"x": np.ones(4)}, confidence=confidence)


def test_the_bootstrap_draws_from_the_generator_given_and_else_from_seed_zero():
    y_a, y_b, y_ab = np.array([1.0, 4, 2, 8, 5, 7]), np.array([3.0, 1, 6, 2, 9, 4]), {"x": np.array([2.0, 4, 1, 7, 6, 5])}
    def run(rng):
        return sobol_indices(y_a, y_b, y_ab, bootstrap=50, rng=rng)["x"].to_dict()
    assert run(None) == run(np.random.default_rng(0))
    assert run(np.random.default_rng(5)) != run(np.random.default_rng(0))


def test_sobol_analysis_is_reproducible_by_seed_and_passes_its_settings():
    def model(u):
        return 3 * u[:, 0] + u[:, 1]
    groups = {"u1": 1, "u2": 1}
    def run(**options):
        return {k: v.to_dict() for k, v in sobol_analysis(model, groups, samples=64, **options).items()}
    assert run(bootstrap=50) == run(seed=0, bootstrap=50) == run(seed=0, bootstrap=50, confidence=0.95)
    assert run(seed=1, bootstrap=50) != run(seed=0, bootstrap=50)
    assert run(seed=2, bootstrap=0)["u1"]["first_ci"] == [None, None]
    narrow, wide = run(seed=2, bootstrap=100, confidence=0.5), run(seed=2, bootstrap=100, confidence=0.99)
    assert np.diff(narrow["u1"]["total_ci"])[0] < np.diff(wide["u1"]["total_ci"])[0]


def test_an_output_flat_over_a_and_b_is_undefined_even_where_ab_moves_and_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = sobol_indices(np.ones(8), np.ones(8), {"x": np.arange(8.0), "y": np.ones(8)}, bootstrap=20)
    for name in ("x", "y"):
        assert result[name].to_dict() == {"first": None, "total": None, "first_ci": [None, None],
                                          "total_ci": [None, None]}


def test_bootstrap_intervals_are_percentiles_of_the_estimates_over_resampled_rows():
    rng = np.random.default_rng(8)
    y_a, y_b, y_x = rng.random(30), rng.random(30), rng.random(30)
    y_x[:10] = y_a[:10]  # a model where x matters for some rows only
    got = sobol_indices(y_a, y_b, {"x": y_x}, bootstrap=200, confidence=0.9, rng=np.random.default_rng(4))["x"]
    centre = np.concatenate([y_a, y_b, y_x]).mean()
    rows = np.random.default_rng(4).integers(0, 30, size=(200, 30))
    firsts, totals = [], []
    for r in rows:  # each resample estimated on its own, as one run would be (the centre stays the full one)
        a, b, x = y_a[r] - centre, y_b[r] - centre, y_x[r] - centre
        variance = np.var(np.concatenate([a, b]))
        firsts.append(np.mean(b * (x - a)) / variance)
        totals.append(0.5 * np.mean((a - x) ** 2) / variance)
    np.testing.assert_allclose(got.first_ci, np.percentile(firsts, [5, 95]), rtol=1e-12)
    np.testing.assert_allclose(got.total_ci, np.percentile(totals, [5, 95]), rtol=1e-12)


def test_a_bootstrap_resample_on_which_the_output_never_moved_is_left_out_of_the_interval():
    # Row 0 has the same output in A and B: a resample of row 0 alone has no variance, so its indices
    # are undefined and drop out; the other resamples still give the interval.
    y_a, y_b, y_x = np.array([0.0, 1.0]), np.array([0.0, 3.0]), np.array([2.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = sobol_indices(y_a, y_b, {"x": y_x}, bootstrap=40, confidence=0.9, rng=np.random.default_rng(1))["x"]
    centre = np.concatenate([y_a, y_b, y_x]).mean()
    rows = np.random.default_rng(1).integers(0, 2, size=(40, 2))
    firsts, totals = [], []
    for r in rows:
        a, b, x = y_a[r] - centre, y_b[r] - centre, y_x[r] - centre
        if np.ptp(np.concatenate([a, b])) == 0:
            continue  # this resample never moved
        variance = np.var(np.concatenate([a, b]))
        firsts.append(np.mean(b * (x - a)) / variance)
        totals.append(0.5 * np.mean((a - x) ** 2) / variance)
    assert 0 < len(firsts) < len(rows)  # the case has flat resamples and others
    np.testing.assert_allclose(got.first_ci, np.percentile(firsts, [5, 95]), rtol=1e-12)
    np.testing.assert_allclose(got.total_ci, np.percentile(totals, [5, 95]), rtol=1e-12)


def test_sobol_analysis_resamples_with_its_seeds_own_bootstrap_stream():
    # The seed spawns two streams: the first draws Saltelli's design, the second the bootstrap rows
    # (not seed zero's rows for every seed).
    def model(u):
        return 3 * u[:, 0] + u[:, 1] ** 2
    groups = {"u1": 1, "u2": 1}
    design_seed, boot_seed = np.random.SeedSequence(7).spawn(2)
    design = saltelli_design(64, groups, np.random.default_rng(design_seed))
    expected = sobol_indices(model(design.a), model(design.b), {k: model(design.mixed(k)) for k in groups},
                             bootstrap=50, rng=np.random.default_rng(boot_seed))
    assert sobol_analysis(model, groups, samples=64, seed=7, bootstrap=50) == expected


def test_rank_sobol_gives_the_same_numbers_for_a_seed_as_this_release(toy):
    # A published seed reproduces published indices and intervals: the design and the bootstrap
    # each come from their own stream of the seed, unchanged between releases.
    got = rank_sobol(toy, samples=64, seed=9, bootstrap=50)
    expected = {
        "levels": SobolIndex(first=0.8402806438299627, total=0.991975053881781,
                             first_ci=(0.5640128828969592, 1.2716334684361275),
                             total_ci=(0.8183368029533403, 1.2466748413811533)),
        "weights": SobolIndex(first=0.0715366625395515, total=0.25826569450176545,
                              first_ci=(-0.0789461403464791, 0.2363023503477126),
                              total_ci=(0.09538105466726365, 0.3827049578109336)),
    }
    assert list(got) == list(expected)
    for name, index in expected.items():
        assert got[name].first == pytest.approx(index.first, rel=1e-9)
        assert got[name].total == pytest.approx(index.total, rel=1e-9)
        assert got[name].first_ci == pytest.approx(index.first_ci, rel=1e-9)
        assert got[name].total_ci == pytest.approx(index.total_ci, rel=1e-9)
