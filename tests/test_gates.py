"""Gates and the completeness rule (SPEC 11), every rule worked out by hand on the scoring rubric.

The rubric is tests/data/scoring/mini.json (see tests/test_scoring.py for its tree):

    overall (arithmetic): a (w 1) and b (w 2)
    a (arithmetic): a.sub (w 1, geometric: s1, s2), a1 (w 1), a2 (w 3)
    b (arithmetic): b1 (w 1), b2 (metric, direction -1, goalposts 0..10)

Scale 0..4 (25 points a step), stages 0/20/40/60/80, unsupported_cap 2. With s1 = s2 = 4
(a.sub = 100), a1 = 0, a2 = 4, b1 = 4 and b2 = 0 hours (100): a = (100 + 0 + 3 * 100) / 5 = 80,
b = 100, overall = (80 + 2 * 100) / 3 = 93.33.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.engine.comparison import compare
from toolkit.engine.compiled import TOLERANCE, LevelMatrix, compile_rubric
from toolkit.engine.roadmap import EVIDENCE as ATTACH_EVIDENCE
from toolkit.engine.rating import (gate_lines, is_rated, node_title, not_rated_text, rated, record_unevaluated_lines,
                                   stage_text)
from toolkit.engine.roadmap import ANSWER, IMPROVE, plan, roadmap
from toolkit.engine.scoring import score, score_matrix
from toolkit.model.documents import validate_rubric
from toolkit.model.rubric import Rubric
from toolkit.research.draws import DrawEngine
from toolkit.research.sensitivity import leave_one_out
from toolkit.research.uncertainty import uncertainty

from test_scoring import EVIDENCE, assess, full, mini_doc
from property_scale import examples


def gated(*gates: dict[str, Any], min_completeness: float | None = None) -> Rubric:
    """The scoring rubric with these gates (and completeness rule), validated like a shipped one."""
    doc = mini_doc()
    doc["gates"] = [{"id": f"g{k}", "min_level": 2, "cap": 39, **gate} for k, gate in enumerate(gates, 1)]
    if min_completeness is not None:
        doc["min_completeness"] = min_completeness
    assert list(validate_rubric(doc, name="gated.json").issues) == []
    return Rubric.from_dict(doc)


BASE = dict(s1=4, s2=4, a1=0, a2=4, b1=4, b2=0.0)


def result(rubric: Rubric, answers: dict[str, Any]) -> dict[str, Any]:
    return score(rubric, [assess(answers)]).to_records()[0]


def scores_of(record: dict[str, Any], key: str = "score") -> dict[str, float | None]:
    return {"overall": record["overall"][key], **{k: v[key] for k, v in record["nodes"].items()}}


def test_without_gates_the_base_case_is_as_computed_by_hand():
    got = scores_of(result(Rubric.from_dict(mini_doc()), full(**BASE)))
    assert got == pytest.approx({"overall": 280 / 3, "a": 80, "a.sub": 100, "b": 100})


def test_a_triggered_gate_caps_its_node_before_the_parent_aggregates():
    record = result(gated({"indicator": "a1", "node": "a"}), full(**BASE))
    # a = min(80, 39) = 39; the overall takes the capped a: (39 + 200) / 3
    assert scores_of(record) == pytest.approx({"overall": 239 / 3, "a": 39, "a.sub": 100, "b": 100})
    assert record["gates"] == {"claimed": ["g1"], "evidence": ["g1"]}


def test_stages_follow_the_capped_score():
    record = result(gated({"indicator": "a1", "node": "a"}), full(**BASE))
    assert record["nodes"]["a"]["stage"] == "formative"  # 39, not the 80 (dynamic) it averaged
    assert record["overall"]["stage"] == "strategic"  # 79.67, not 93.33


def test_a_gate_on_a_sub_dimension_caps_it_before_its_dimension():
    record = result(gated({"indicator": "a1", "node": "a.sub", "cap": 10}), full(**BASE))
    # a.sub = 10, so a = (10 + 0 + 300) / 5 = 62 and overall = (62 + 200) / 3
    assert scores_of(record) == pytest.approx({"overall": 262 / 3, "a": 62, "a.sub": 10, "b": 100})


def test_a_gate_on_the_overall_caps_only_the_overall():
    record = result(gated({"indicator": "a1", "node": "overall", "cap": 59}), full(**BASE))
    assert scores_of(record) == pytest.approx({"overall": 59, "a": 80, "a.sub": 100, "b": 100})
    assert record["overall"]["stage"] == "established"


def test_several_triggered_gates_on_one_node_take_the_lowest_cap():
    rubric = gated({"indicator": "a1", "node": "a", "cap": 59}, {"indicator": "a1", "node": "a", "cap": 39},
                   {"indicator": "b1", "node": "a", "cap": 5})  # b1 = 4: not triggered
    record = result(rubric, full(**BASE))
    assert record["nodes"]["a"]["score"] == 39
    assert record["gates"]["claimed"] == ["g1", "g2"]


def test_a_cap_above_the_score_changes_nothing_but_the_gate_is_still_named():
    record = result(gated({"indicator": "a1", "node": "a", "cap": 90}), full(**BASE))
    assert record["nodes"]["a"]["score"] == 80
    assert record["gates"]["claimed"] == ["g1"]


def test_at_min_level_the_gate_is_not_triggered():
    record = result(gated({"indicator": "a1", "node": "a"}), full(**{**BASE, "a1": 2}))
    assert record["nodes"]["a"]["score"] == 90  # (100 + 50 + 300) / 5
    assert record["gates"] == {"claimed": [], "evidence": []}


@pytest.mark.parametrize("a1", [
    {"na": True, "na_reason": "done by another body"},  # N/A
    {"notes": "not yet answered"},  # missing: no level
    None,  # absent
])
def test_na_or_missing_triggers_nothing(a1):
    answers = full(**BASE)
    if a1 is None:
        del answers["a1"]
    else:
        answers["a1"] = a1
    record = result(gated({"indicator": "a1", "node": "a"}), answers)
    assert record["nodes"]["a"]["score"] == 100  # (100 + 300) / 4: a1 left out, nothing capped
    assert record["gates"] == {"claimed": [], "evidence": []}
    # ... but the gate is named as not evaluated, so the unanswered control is not passed over silently
    assert record["gates_unevaluated"] == ["g1"]
    assert scores_of(record) == scores_of(result(Rubric.from_dict(mini_doc()), answers))  # score rule kept


def test_an_unevaluated_gate_is_named_in_both_languages():
    rubric = gated({"indicator": "a1", "node": "a"}, {"indicator": "b1", "node": "overall", "cap": 59})
    answers = full(**BASE)
    del answers["a1"]
    answers["b1"] = {"na": True, "na_reason": "no such channel"}
    record = result(rubric, answers)
    assert record["gates_unevaluated"] == ["g1", "g2"]
    title_a1, title_b1 = rubric.indicator("a1").title["en"], rubric.indicator("b1").title["en"]
    assert record_unevaluated_lines(rubric, record) == [
        f"Critical control not answered: {title_a1}. Gate not evaluated: a1 < 2 (it would cap {node_title(rubric, 'a')} at 39)",
        f"Critical control marked N/A: {title_b1}. Gate not evaluated: b1 < 2 (it would cap Overall at 59)"]
    indonesian = record_unevaluated_lines(rubric, record, "id")
    assert indonesian[0].startswith("Kontrol kritis belum dijawab: ") and "Gerbang tidak dievaluasi" in indonesian[0]
    assert indonesian[1].startswith("Kontrol kritis ditandai tidak berlaku: ")


def test_an_unanswered_gated_indicator_comes_first_among_the_missing_answers():
    answers = full(**BASE)
    del answers["a2"], answers["b1"]  # both missing; rubric order puts a2 before b1
    plain = roadmap(score(Rubric.from_dict(mini_doc()), [assess(answers)]), 0)
    assert [step.indicator_id for step in plain if step.kind == ANSWER] == ["a2", "b1"]
    steps = roadmap(score(gated({"indicator": "b1", "node": "b"}), [assess(answers)]), 0)
    assert [(step.indicator_id, step.kind, step.gates) for step in steps if step.kind == ANSWER] == [
        ("b1", ANSWER, ("g1",)), ("a2", ANSWER, ())]
    grouped = plan(score(gated({"indicator": "b1", "node": "b"}), [assess(answers)]), 0)
    assert getattr(grouped[0], "indicator_id", None) == "b1" and grouped[0].gates == ("g1",)  # its own row, first
    answers["b1"] = {"na": True, "na_reason": "no such channel"}  # N/A: named on the results, not to answer
    steps = roadmap(score(gated({"indicator": "b1", "node": "b"}), [assess(answers)]), 0)
    assert [step.indicator_id for step in steps if step.kind == ANSWER] == ["a2"]


def test_a_null_node_stays_null_under_a_triggered_gate():
    answers = full(**BASE)
    del answers["s1"], answers["s2"]
    record = result(gated({"indicator": "a1", "node": "a.sub", "cap": 10}), answers)
    assert record["gates"]["claimed"] == ["g1"]
    assert record["nodes"]["a.sub"]["score"] is None
    assert record["nodes"]["a"]["score"] == 75  # (0 + 300) / 4


def test_the_evidence_backed_score_uses_the_evidence_backed_level():
    answers = full(**{**BASE, "a1": 3})
    answers["a1"] = {"level": 3}  # no evidence: counts as min(3, unsupported_cap 2) = 2
    record = result(gated({"indicator": "a1", "node": "a", "min_level": 3}), answers)
    assert record["gates"] == {"claimed": [], "evidence": ["g1"]}
    assert record["nodes"]["a"]["score"] == 95  # claimed: (100 + 75 + 300) / 5, not capped
    assert record["nodes"]["a"]["evidence_score"] == 39  # (100 + 50 + 300) / 5 = 90, capped
    assert record["overall"]["evidence_score"] == pytest.approx(239 / 3)


def test_claimed_gates_recomputed_from_the_matrix_follow_the_claimed_level_not_the_capped_one():
    """Scoring hands its claimed gates to Scores; a Scores without them works them out from the claimed levels.

    a1 claimed 3 without evidence: the gate (min_level 3) is not triggered by the claim, only by the capped 2.
    """
    answers = full(**{**BASE, "a1": 3})
    answers["a1"] = {"level": 3}
    scored = score(gated({"indicator": "a1", "node": "a", "min_level": 3}), [assess(answers)])
    fresh = replace(scored)  # the same fields, nothing cached
    assert fresh.gates_claimed.tolist() == scored.gates_claimed.tolist() == [[False]]
    assert fresh.gates_evidence.tolist() == [[True]]


def test_gates_are_vectorised_over_a_batch_with_one_row_each():
    rubric = gated({"indicator": "a1", "node": "a"})
    batch = [assess(full(**{**BASE, "a1": level}), id=f"r{level}") for level in range(5)]
    a = score(rubric, batch).node("a")
    assert a.tolist() == pytest.approx([39, 39, 90, 95, 100])
    assert score(rubric, batch).gates_claimed[:, 0].tolist() == [True, True, False, False, False]


def test_gate_lines_name_the_gate_and_what_it_capped():
    doc_gate = {"indicator": "a1", "node": "a", "title": {"en": "Shared passwords", "id": "Kata sandi bersama"}}
    rubric = gated(doc_gate, {"indicator": "a1", "node": "overall", "cap": 59})
    assert gate_lines(rubric, ["g1", "g2"], ["g1", "g2"]) == [
        "Gate triggered: Shared passwords (A capped at 39)",
        "Gate triggered: a1 < 2 (Overall capped at 59)",
    ]
    assert gate_lines(rubric, [], ["g1"], "id") == [
        "Gerbang terpicu: Kata sandi bersama (A dibatasi pada 39) (hanya skor berbasis bukti)"]


def test_gate_lines_and_stages_speak_the_chosen_language_throughout():
    doc = mini_doc()
    doc["dimensions"][0]["title"] = {"en": "A", "id": "Dimensi A"}
    doc["stages"][1]["label"] = {"en": "Formative", "id": "Formatif"}
    doc["gates"] = [{"id": "g1", "indicator": "a1", "node": "a", "min_level": 2, "cap": 39},
                    {"id": "g2", "indicator": "a1", "node": "overall", "min_level": 2, "cap": 59}]
    rubric = Rubric.from_dict(doc)
    assert gate_lines(rubric, ["g1", "g2"], [], "id") == [
        "Gerbang terpicu: a1 < 2 (Dimensi A dibatasi pada 39)",
        "Gerbang terpicu: a1 < 2 (Keseluruhan dibatasi pada 59)"]
    assert stage_text(rubric, "formative", 1.0, "id") == "Formatif"
    assert stage_text(rubric, "formative", 1.0) == "Formative"


# --- completeness rule ---------------------------------------------------------------------------

# Without a2 (weight 3 of a's 5): completeness a = (1 + 1 + 0) / 5 = 0.4, b = 1,
# overall = (0.4 + 2 * 1) / 3 = 0.8 exactly.
WITHOUT_A2 = {k: v for k, v in full(**BASE).items() if k != "a2"}


def test_a_node_below_min_completeness_has_no_stage_but_keeps_its_score():
    record = result(gated(min_completeness=0.8), WITHOUT_A2)
    assert record["nodes"]["a"]["completeness"] == pytest.approx(0.4)
    assert record["nodes"]["a"]["score"] == pytest.approx(50)  # (100 + 0) / 2 (geometric a.sub)
    assert record["nodes"]["a"]["stage"] is None
    assert record["nodes"]["b"]["stage"] == "dynamic"


def test_completeness_exactly_at_the_minimum_is_rated():
    record = result(gated(min_completeness=0.8), WITHOUT_A2)
    assert record["overall"]["completeness"] == pytest.approx(0.8)
    assert record["overall"]["stage"] == "dynamic"  # (50 + 200) / 3 = 83.3


def test_the_overall_below_min_completeness_is_not_rated():
    answers = {k: v for k, v in WITHOUT_A2.items() if k != "b1"}  # b: 0.5, overall (0.4 + 1) / 3
    rubric = gated(min_completeness=0.8)
    record = result(rubric, answers)
    assert record["overall"]["completeness"] == pytest.approx(1.4 / 3)
    assert record["overall"]["score"] == pytest.approx((50 + 2 * 100) / 3)
    assert record["overall"]["stage"] is None
    assert stage_text(rubric, None, record["overall"]["completeness"]) == \
        "not rated: 46 % complete, at least 80 % needed"
    assert stage_text(rubric, None, record["overall"]["completeness"], "id") == \
        "belum dinilai: lengkap 46 %, minimal 80 % diperlukan"


def test_na_answers_do_not_count_against_completeness():
    answers = dict(WITHOUT_A2, a2={"na": True, "na_reason": "no missions"})
    record = result(gated(min_completeness=0.8), answers)
    assert record["nodes"]["a"]["completeness"] == 1
    assert record["nodes"]["a"]["stage"] == "established"  # 50


def test_without_the_rule_every_stage_shows_at_any_completeness():
    answers = {k: v for k, v in WITHOUT_A2.items() if k != "b1"}
    record = result(Rubric.from_dict(mini_doc()), answers)
    assert record["nodes"]["a"]["stage"] == "established"  # 50 at 40 % complete
    assert record["overall"]["stage"] == "dynamic"  # 83.3 at 47 %


def test_not_rated_rounds_down_so_it_never_shows_the_needed_share():
    assert not_rated_text(gated(min_completeness=0.8), 0.7999) == "not rated: 79 % complete, at least 80 % needed"


def test_a_share_that_float_arithmetic_puts_just_below_a_whole_percent_still_reads_as_it():
    # 0.29 * 100 is 28.999999999999996 in floating point: a completeness of 29 % must say 29, not 28.
    assert not_rated_text(gated(min_completeness=0.8), 0.29) == "not rated: 29 % complete, at least 80 % needed"
    assert not_rated_text(gated(min_completeness=0.57), 0.5) == "not rated: 50 % complete, at least 57 % needed"


def test_a_completeness_within_the_tolerance_of_the_minimum_is_rated():
    rubric = gated(min_completeness=0.8)
    assert rated(rubric, np.array([0.8 - TOLERANCE, 0.8 - 2 * TOLERANCE])).tolist() == [True, False]
    assert is_rated(rubric, 0.8 - TOLERANCE) and not is_rated(rubric, 0.79)


def test_nothing_applicable_or_no_rule_counts_as_rated():
    assert is_rated(gated(min_completeness=0.8), None)  # every indicator N/A: the score is null anyway
    without = Rubric.from_dict(mini_doc())
    assert rated(without, np.array([[0.0, 0.5]])).tolist() == [[True, True]]
    assert rated(without, np.array([[0.0, 0.5]])).dtype == bool
    # Completeness as records hold it: None (nothing applicable) counts as rated, as NaN does.
    assert rated(gated(min_completeness=0.8), [0.9, None, 0.5]).tolist() == [True, True, False]


def test_stage_text_names_the_stage_the_note_or_the_empty_mark():
    rubric = gated(min_completeness=0.8)
    assert stage_text(rubric, "formative", 0.1) == "Formative"  # a stage shown is named, whatever the completeness
    assert stage_text(rubric, "retired-stage", None) == "retired-stage"  # an unknown id is shown as it is
    assert stage_text(rubric, None, 0.9) == "—"  # rated but null score
    assert stage_text(rubric, None, None, empty="") == ""
    assert stage_text(rubric, None, 0.5, "id") == "belum dinilai: lengkap 50 %, minimal 80 % diperlukan"


def _round(answers: dict[str, Any], name: str) -> Any:
    return assess(answers, id=name, ministry=name)


def test_a_round_below_min_completeness_has_no_rank_and_comes_last():
    rubric = gated(min_completeness=0.8)
    rounds = [
        _round(full(**{**BASE, "a2": 3}), "low"),  # complete, a = 65, overall 88.3
        _round({k: v for k, v in WITHOUT_A2.items() if k != "b1"}, "incomplete"),  # 83.3, 47 %
        _round(full(**BASE), "high"),  # complete, 93.3
        _round(WITHOUT_A2, "edge"),  # exactly 80 %: ranked, (50 + 200) / 3 = 83.3
    ]
    found = compare(rubric, rounds).to_dict()
    assert [(row["assessment"], row["rank"]) for row in found["assessments"]] == [
        ("high", 1), ("low", 2), ("edge", 3), ("incomplete", None)]
    everyone = compare(rubric, rounds, rank_incomplete=True).to_dict()
    assert [(row["assessment"], row["rank"]) for row in everyone["assessments"]] == [
        ("high", 1), ("low", 2), ("edge", 3), ("incomplete", 3)]  # a tie is listed by id, whatever the input order
    comparison = compare(rubric, rounds)
    assert [comparison.assessments[k].id for k in comparison.unranked] == ["incomplete"]


def test_without_the_rule_every_round_is_ranked():
    rounds = [_round(full(**BASE), "high"), _round({k: v for k, v in WITHOUT_A2.items() if k != "b1"}, "inc")]
    assert [row["rank"] for row in compare(Rubric.from_dict(mini_doc()), rounds).to_dict()["assessments"]] == [1, 2]


# --- properties ----------------------------------------------------------------------------------

LEVEL_IDS = ("s1", "s2", "a1", "a2", "b1")
NODES = ("overall", "a", "a.sub", "b")
answer = st.one_of(
    st.integers(0, 4).map(lambda level: {"level": level, "evidence": EVIDENCE}),
    st.integers(0, 4).map(lambda level: {"level": level}),  # no evidence: the cap applies
    st.just({"na": True, "na_reason": "n/a"}),
    st.just(None),  # missing
)
answers_strategy = st.fixed_dictionaries({key: answer for key in LEVEL_IDS}).map(
    lambda found: {key: value for key, value in found.items() if value is not None})
gate_strategy = st.fixed_dictionaries({
    "indicator": st.sampled_from(LEVEL_IDS), "node": st.sampled_from(NODES),
    "min_level": st.integers(0, 4), "cap": st.floats(0, 100, allow_nan=False)})


def _all_scores(rubric: Rubric, answers: dict[str, Any]) -> np.ndarray:
    found = score(rubric, [assess(answers)])
    return np.concatenate([found.node_scores, found.node_evidence_scores], axis=1)


@settings(max_examples=examples(60), deadline=None)
@given(answers_strategy, st.lists(gate_strategy, max_size=3), gate_strategy)
def test_adding_a_gate_never_raises_a_score(answers, gates, extra):
    before = _all_scores(gated(*gates), answers)
    after = _all_scores(gated(*gates, extra), answers)
    assert np.array_equal(np.isnan(before), np.isnan(after))  # null stays null, nothing becomes null
    assert (np.nan_to_num(after) <= np.nan_to_num(before) + 1e-9).all()


@settings(max_examples=examples(60), deadline=None)
@given(answers_strategy, st.lists(gate_strategy, max_size=3), gate_strategy, st.data())
def test_a_gate_whose_indicator_is_at_or_above_min_level_changes_nothing(answers, gates, extra, data):
    level = data.draw(st.integers(extra["min_level"], 4))
    answers[extra["indicator"]] = {"level": level, "evidence": EVIDENCE}
    before = _all_scores(gated(*gates), answers)
    after = _all_scores(gated(*gates, extra), answers)
    assert np.array_equal(before, after, equal_nan=True)


@settings(max_examples=examples(40), deadline=None)
@given(answers_strategy, gate_strategy, st.sampled_from(["na", "missing"]))
def test_na_or_missing_never_triggers_a_gate(answers, extra, how):
    if how == "na":
        answers[extra["indicator"]] = {"na": True, "na_reason": "n/a"}
    else:
        answers.pop(extra["indicator"], None)
    before = _all_scores(gated(), answers)
    after = _all_scores(gated(extra), answers)
    assert np.array_equal(before, after, equal_nan=True)
    assert result(gated(extra), answers)["gates"] == {"claimed": [], "evidence": []}


# --- draws and the ranked set --------------------------------------------------------------------


def _random_matrix(rows: int = 40, seed: int = 2) -> LevelMatrix:
    c = compile_rubric(MINI_GATED)
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 5, (rows, c.n_indicators)).astype(float)
    values[:, c.metric_columns] = rng.random((rows, len(c.metric_columns))) * 12
    values[rng.random(values.shape) < 0.15] = np.nan
    return LevelMatrix(values=values, na=np.zeros(values.shape, dtype=bool),
                       has_evidence=np.ones(values.shape, dtype=bool),
                       targets=np.full(values.shape, np.nan),
                       confidence=rng.integers(0, 3, values.shape).astype(np.int8))


MINI_GATED = gated({"indicator": "a1", "node": "a"}, {"indicator": "s1", "node": "a.sub", "cap": 10},
                   {"indicator": "b1", "node": "overall", "cap": 59, "min_level": 3})


def test_the_draw_engine_caps_as_the_scoring_does_for_every_perturbed_level():
    c = compile_rubric(MINI_GATED)
    matrix = _random_matrix()
    scores = score_matrix(c, matrix)
    assert scores.gates_claimed.any(axis=0).all()  # every gate triggers somewhere
    engine = DrawEngine(scores)
    np.testing.assert_allclose(engine.nodes(1)[:, 0].T, scores.node_scores, rtol=0, atol=1e-9)
    u = np.random.default_rng(5).random((3, engine.n_cells))
    drawn = engine.nodes(3, level_u=u)
    for draw in range(3):
        levels = matrix.values[:, engine.level_columns].copy()
        flat = levels.ravel()
        flat[engine.cells] = engine.low + np.floor(u[draw] * engine.count)
        values = matrix.values.copy()
        values[:, engine.level_columns] = flat.reshape(levels.shape)
        expected = score_matrix(c, LevelMatrix.from_values(values)).node_scores
        np.testing.assert_allclose(drawn[:, draw].T, expected, rtol=0, atol=1e-9)


def test_uncertainty_and_sensitivity_rank_only_the_ranked_set():
    rubric = gated(min_completeness=0.8)
    rounds = [_round(full(**{**BASE, "a2": 3}), "low"),
              _round({k: v for k, v in WITHOUT_A2.items() if k != "b1"}, "incomplete"),
              _round(full(**BASE), "high")]
    found = compare(rubric, rounds)
    spread = uncertainty(found, draws=200, seed=1)
    assert np.isnan(spread.rank_percentiles[1]).all()  # never ranked
    assert np.nanmax(spread.rank_percentiles) <= 2  # the other two are ranked among themselves
    assert spread.records()[1]["stage_probability"] is None
    assert not np.isnan(spread.overall_percentiles[1]).any()  # its score interval is still there
    loo = leave_one_out(found)
    assert np.isnan(loo.ranks[:, 1]).all() and np.nanmax(loo.ranks) <= 2
    everyone = uncertainty(compare(rubric, rounds, rank_incomplete=True), draws=200, seed=1)
    assert not np.isnan(everyone.rank_percentiles[1]).any()


# --- the roadmap ---------------------------------------------------------------------------------


def test_a_triggered_gates_indicator_comes_first_in_the_roadmap():
    answers = full(**{**BASE, "a2": 0})  # a2: gap 3 at weight 3/15, priority 0.6; a1: gap 3 at 1/15
    plain = roadmap(score(Rubric.from_dict(mini_doc()), [assess(answers)]), 0)
    assert [step.indicator_id for step in plain] == ["a2", "a1"]
    steps = roadmap(score(gated({"indicator": "a1", "node": "a"}), [assess(answers)]), 0)
    assert [(step.indicator_id, step.kind, step.gates) for step in steps] == [
        ("a1", IMPROVE, ("g1",)), ("a2", IMPROVE, ())]
    assert (steps[0].level, steps[0].next_level) == (0, 1)


def test_a_gate_triggered_by_missing_evidence_asks_for_evidence_first():
    answers = full(**{**BASE, "a1": 3})
    answers["a1"] = {"level": 3}  # evidence-backed level 2 < 3
    steps = roadmap(score(gated({"indicator": "a1", "node": "a", "min_level": 3}), [assess(answers)]), 0)
    assert (steps[0].indicator_id, steps[0].kind, steps[0].level, steps[0].next_level) == ("a1", ATTACH_EVIDENCE, 3, 3)


# --- the methodology's worked example on the shipped rubric 1.1.0 ----------------------------------


def test_methodology_worked_example_with_gates():
    """docs/methodology.md, "A worked example with gates": Security capped at 39, the overall at 59."""
    from toolkit.model.catalogue import find_rubric

    rubric = find_rubric("digital-diplomacy", "1.1.0")
    security = {"sec.account_security": 1, "sec.impersonation": 4, "sec.incident_response": 3,
                "sec.supply_chain": 3, "sec.training": 4, "sec.classified_separation": 3}
    metrics = {"cri.first_statement_hours": 6.75, "res.platform_concentration": 12.5}
    answers = {}
    for indicator in rubric.indicators():
        if indicator.is_metric:
            answers[indicator.id] = {"value": metrics[indicator.id], "evidence": EVIDENCE}
        else:
            answers[indicator.id] = {"level": security.get(indicator.id, 3), "evidence": EVIDENCE}
    found = score(rubric, [assess(answers, rubric_id="digital-diplomacy", version="1.1.0")])
    record = found.to_records()[0]
    assert all(record["nodes"][d.id]["score"] == pytest.approx(75) for d in rubric.dimensions if d.id != "security")
    assert record["nodes"]["security"]["score"] == 39
    assert record["nodes"]["security"]["stage"] == "formative"
    assert record["overall"]["score"] == 59 and record["overall"]["stage"] == "established"
    assert record["gates"]["claimed"] == ["gate.account_security.security", "gate.account_security.overall"]
    assert [(step.indicator_id, step.next_level, step.gates) for step in roadmap(found, 0)] == [
        ("sec.account_security", 2, ("gate.account_security.security", "gate.account_security.overall"))]
    plain = score(replace(rubric, gates=()), [assess(answers, rubric_id="digital-diplomacy", version="1.1.0")])
    assert plain.node("security")[0] == pytest.approx(75) and plain.overall[0] == pytest.approx(75)
    # Governance and Ethics unanswered: 6 of 8 equally weighted dimensions, 75 % complete
    dropped = {key: value for key, value in answers.items() if not key.startswith(("gov.", "eth."))}
    partial = score(rubric, [assess(dropped, rubric_id="digital-diplomacy", version="1.1.0")]).to_records()[0]
    assert partial["overall"]["completeness"] == pytest.approx(0.75)
    assert partial["overall"]["stage"] is None
    assert stage_text(rubric, None, 0.75) == "not rated: 75 % complete, at least 80 % needed"
