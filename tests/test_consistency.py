"""Consistency: Cronbach's alpha by hand, correlations, coverage, and the reviewer's warnings."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from toolkit.engine.comparison import Comparison, compare
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric
from toolkit.engine.compiled import compile_rubric, to_matrix
from toolkit.engine.scoring import score_matrix
from toolkit.research.consistency import (
    MIN_PAIRS,
    WARNINGS,
    alphas,
    consistency,
    consistency_warnings,
    correlations,
    coverage,
    cronbach_alpha,
    indicator_frame,
    node_frame,
    pair_counts,
    subject_names,
    warning_message,
    warning_text,
)

# Five respondents, three items. Item variances (n - 1): 2.5, 0.7, 1.3 (sum 4.5); totals 8, 13, 10,
# 13, 5 have variance 46.8 / 4 = 11.7. Alpha = 3/2 * (1 - 4.5 / 11.7) = 10.8 / 11.7 = 12/13.
ITEMS = [[2, 3, 3], [4, 4, 5], [3, 3, 4], [5, 4, 4], [1, 2, 2]]


def rubric(dimensions: dict[str, list[str]], subs: dict[str, dict[str, list[str]]] | None = None,
           titles: dict[str, dict[str, str]] | None = None) -> Rubric:
    """A toy rubric, levels 0-5; each node and indicator titled by its id unless `titles` says otherwise."""
    titles = titles or {}

    def indicators(ids: list[str]) -> list[dict[str, Any]]:
        return [{"id": i, "kind": "level", "title": titles.get(i, {"en": i}), "question": {"en": i}} for i in ids]

    nodes = []
    for node_id, ids in dimensions.items():
        node: dict[str, Any] = {"id": node_id, "title": titles.get(node_id, {"en": node_id}),
                                "indicators": indicators(ids)}
        if subs and node_id in subs:
            node["dimensions"] = [{"id": s, "title": {"en": s}, "indicators": indicators(sub_ids)}
                                  for s, sub_ids in subs[node_id].items()]
        nodes.append(node)
    return Rubric.from_dict({
        "kind": "rubric", "format_version": 1, "id": "toy", "version": "1.0.0", "title": {"en": "Toy"},
        "languages": ["en", "id"] if titles else ["en"], "normalisation": "goalposts",
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


def reviewer_case(titles: dict[str, dict[str, str]] | None = None) -> Comparison:
    """Two periods; d's alpha is low and q2 runs against d; e's alpha is undefined; q5 is thin; q6 is flat."""
    r = rubric({"d": ["q1", "q2", "q3"], "e": ["q4", "q5", "q6"]}, titles=titles)
    rows = [(0, 4, 0, 1, 3), (1, 2, 1, 2, 1), (2, 3, 1, 3, 4), (3, 0, 2, 4, 0), (4, 1, 3, 5, 2)]
    batch = [assess(f"r{k}", levels(q1=a, q2=b, q3=c, q4=d, q6=2, **({"q5": e} if k < 2 else {})),
                    period="2026" if k else "2025")
             for k, (a, b, c, d, e) in enumerate(rows)]
    return compare(r, batch)


def test_warnings_a_reviewer_wants():
    found = consistency(reviewer_case()).warnings
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


# ------------------------------------------------------------------ titles, languages, settings

TITLES = {"d": {"en": "Digital reach", "id": "Jangkauan digital"}, "e": {"en": "Engagement", "id": "Keterlibatan"},
          "q2": {"en": "Posting rhythm", "id": "Ritme unggahan"}, "q5": {"en": "Live sessions", "id": "Sesi langsung"},
          "q6": {"en": "Replies", "id": "Balasan"}}
INDONESIAN = [
    "Perbandingan ini mencampur periode 2025, 2026: peringkat membandingkan putaran sekaligus kementerian, dan "
    "korelasi serta alfa menghitung setiap putaran satu kementerian sebagai asesmen tersendiri.",
    "Indikator-indikator “Jangkauan digital” tidak saling berkaitan erat: alfa Cronbach -1,875, di bawah 0,7 "
    "(dari 5 asesmen).",
    "Alfa Cronbach untuk “Keterlibatan” tidak dapat dihitung: diperlukan sedikitnya 3 asesmen yang menjawab semua 3 "
    "indikatornya, sedangkan yang ada hanya 2.",
    "“Sesi langsung” hanya dijawab oleh 2 dari 5 asesmen (40%; diharapkan sedikitnya 50% dan 3 asesmen): "
    "korelasinya, dan alfa dimensinya, bertumpu pada sedikit jawaban.",
    "“Ritme unggahan” berkorelasi negatif dengan dimensinya, “Jangkauan digital” (r = -0,38): periksa arah "
    "skalanya dan letaknya dalam rubrik.",
    "“Balasan” memiliki skor yang sama pada setiap asesmen yang menjawabnya: indikator ini tidak dapat membedakan "
    "asesmen dan tidak berkorelasi dengan apa pun."]


def test_warnings_name_dimensions_and_indicators_by_their_titles_in_each_language():
    result = consistency(reviewer_case(TITLES))
    english = {w.subject: w.message for w in result.warnings}
    assert english["d"].startswith("The indicators of “Digital reach” do not hang together")
    assert english["e"].startswith("Cronbach's alpha of “Engagement” cannot be computed")
    assert english["q5"].startswith("“Live sessions” is answered by only 2 of 5")
    assert english["q6"].startswith("“Replies” has the same score")
    assert english["q2"].startswith("“Posting rhythm” correlates negatively with its dimension “Digital reach”")
    assert result.warning_texts("id") == INDONESIAN
    assert [warning_text(w, "id", result.rubric) for w in result.warnings] == INDONESIAN
    assert result.warning_texts() == [w.message for w in result.warnings]
    # Without a rubric the ids stand in for the titles.
    assert warning_text(result.warnings[4], "id") == INDONESIAN[4].replace(
        "Ritme unggahan", "q2").replace("Jangkauan digital", "d")
    assert warning_text(result.warnings[4]) == result.warnings[4].message.replace(
        "Posting rhythm", "q2").replace("Digital reach", "d")


def test_subject_names_are_titles_in_the_language_and_ids_without_a_rubric():
    r = rubric({"d": ["q1", "q2"]}, titles=TITLES)
    assert subject_names(r, "id") == {"d": "Jangkauan digital", "q1": "q1", "q2": "Ritme unggahan"}
    assert subject_names(r) == {"d": "Digital reach", "q1": "q1", "q2": "Posting rhythm"}
    assert subject_names(None, "id") == {}


def test_a_warning_message_from_json_fields_names_its_subject_and_node():
    names = {"q2": "Ritme unggahan", "d": "Jangkauan digital"}
    text = warning_message("negative_correlation", "q2", {"node": "d", "r": -0.5}, "id", names)
    assert text.startswith("“Ritme unggahan” berkorelasi negatif dengan dimensinya, “Jangkauan digital” (r = -0,50)")
    assert warning_message("negative_correlation", "q2", {"node": "d", "r": -0.5}, "id").startswith(
        "“q2” berkorelasi negatif dengan dimensinya, “d” (r = -0,50)")
    assert warning_message("too_few_assessments", None, {"n": 1, "needed": 3}, "id", names).startswith(
        "Korelasi dan alfa Cronbach memerlukan sedikitnya 3 asesmen, sedangkan perbandingan ini hanya memuat 1")


def test_warning_values_are_plain_python_numbers_even_from_numpy_thresholds():
    """The values go to JSON (bundles, `--format json`): numpy numbers would not serialise."""
    found = consistency_warnings(reviewer_case(), alpha_threshold=np.float64(0.7), min_share=np.float64(0.5),
                                 min_count=np.int64(3))
    thin = dict(next(w for w in found if w.code == "low_coverage").values)
    assert thin == {"answered": 2, "total": 5, "share": 0.4, "min_share": 0.5, "min_count": 3}
    assert all(type(value) in (int, float) for value in thin.values())
    low = dict(next(w for w in found if w.code == "low_alpha").values)
    assert type(low["threshold"]) is float and low["n"] == 5


def test_the_result_keeps_every_table_the_rubric_and_the_settings(hand):
    comparison = reviewer_case()
    result = consistency(comparison, alpha_threshold=0.5, min_share=0.25, min_count=2)
    indicators, nodes, crossed = correlations(comparison)
    pd.testing.assert_frame_equal(result.indicator_correlations, indicators)
    pd.testing.assert_frame_equal(result.node_correlations, nodes)
    pd.testing.assert_frame_equal(result.indicator_node_correlations, crossed)
    for kept, expected in zip((result.indicator_pairs, result.node_pairs, result.indicator_node_pairs),
                              pair_counts(comparison), strict=True):
        pd.testing.assert_frame_equal(kept, expected)
    pd.testing.assert_frame_equal(result.alpha, alphas(comparison))
    pd.testing.assert_frame_equal(result.coverage, coverage(comparison))
    assert result.rubric is comparison.rubric
    assert (result.assessments, result.periods) == (5, ("2025", "2026"))
    assert result.settings == {"alpha_threshold": 0.5, "min_share": 0.25, "min_count": 2, "min_pairs": MIN_PAIRS}
    # The thresholds reach the warnings: q5 (2 of 5) is enough at 25 % and 2, d's alpha is still below 0.5.
    assert [w.code for w in result.warnings] == ["mixed_periods", "low_alpha", "alpha_undefined",
                                                 "negative_correlation", "no_variation"]
    assert dict(result.warnings[1].values)["threshold"] == 0.5
    assert [w.code for w in consistency(comparison, min_count=3, min_share=0.5).warnings].count("low_coverage") == 1
    assert [w.subject for w in consistency(comparison, min_count=5, min_share=0).warnings
            if w.code == "low_coverage"] == ["q5"]
    assert "low_alpha" not in [w.code for w in consistency(hand, alpha_threshold=0.9).warnings]
    assert [w.code for w in consistency(hand, alpha_threshold=0.95).warnings] == ["low_alpha"]


def test_warnings_computed_alone_equal_those_of_the_full_result():
    comparison = reviewer_case()
    assert consistency_warnings(comparison) == list(consistency(comparison).warnings)


def test_given_tables_are_the_ones_warned_about(hand):
    comparison = hand
    thin = coverage(comparison).assign(answered=[1, 5, 5])
    found = consistency_warnings(comparison, coverage_table=thin)
    assert [(w.code, w.subject) for w in found] == [("low_coverage", "q1")]
    low = alphas(comparison).assign(alpha=0.1)
    assert [(w.code, w.subject) for w in consistency_warnings(comparison, alpha_table=low)] == [("low_alpha", "d")]


def test_periods_come_from_the_scores_too_and_a_bare_matrix_has_none():
    comparison = reviewer_case()
    assert [w.code for w in consistency_warnings(comparison.scores)][0] == "mixed_periods"
    assert consistency(comparison.scores).periods == ("2025", "2026")
    bare = score_matrix(compile_rubric(comparison.rubric), np.array([[1.0, 2, 3, 4, 5, 2], [2, 1, 3, 2, 1, 2],
                                                                     [3, 3, 3, 1, 2, 2]]))
    result = consistency(bare)
    assert result.periods == () and result.assessments == 3
    assert "mixed_periods" not in [w.code for w in result.warnings]


# ------------------------------------------------------------------------- edges of each rule

def test_too_few_assessments_is_said_once_instead_of_every_alpha():
    comparison = compare(rubric({"d": ["q1", "q2"], "e": ["q3", "q4"]}),
                         [assess("a", levels(q1=1, q2=2, q3=1, q4=2)), assess("b", levels(q1=2, q2=3, q3=2, q4=1))])
    found = consistency(comparison).warnings
    assert [w.to_dict() for w in found] == [{
        "code": "too_few_assessments", "subject": None,
        "message": "Correlations and Cronbach's alpha need at least 3 assessments and the comparison has 2, so "
                   "they are left empty."}]
    assert dict(found[0].values) == {"n": 2, "needed": 3}


def test_three_assessments_are_enough_and_a_constant_total_is_named():
    # d: q1 + q2 is 4 in each of the three: alpha is 0 / 0; e varies and hangs together.
    comparison = compare(rubric({"d": ["q1", "q2"], "e": ["q3", "q4"]}, titles=TITLES), [
        assess("a", levels(q1=1, q2=3, q3=1, q4=1)), assess("b", levels(q1=2, q2=2, q3=2, q4=3)),
        assess("c", levels(q1=3, q2=1, q3=4, q4=4))])
    table = alphas(comparison).set_index("node")
    assert np.isnan(table.loc["d", "alpha"])
    assert table.loc["e", "alpha"] == pytest.approx(cronbach_alpha([[1, 1], [2, 3], [4, 4]])[0])  # three suffice
    found = consistency(comparison).warnings
    assert [w.to_dict() for w in found] == [{
        "code": "alpha_constant", "subject": "d",
        "message": "Cronbach's alpha of “Digital reach” cannot be computed: the 3 assessments that answered all its 2 "
                   "indicators have the same total."}]
    assert dict(found[0].values) == {"n": 3, "k": 2}


@pytest.mark.parametrize(("answered", "total", "min_share", "min_count", "flagged"), [
    (2, 4, 0.5, 1, False),  # exactly the share: enough
    (1, 4, 0.5, 1, True),  # below the share, however few are expected
    (1, 2, 0.75, 3, True),  # below the share though fewer than min_count are compared
    (3, 4, 0.5, 4, True),  # above the share, below the count, and the count is reachable
    (3, 4, 0.5, 3, False),  # exactly the count
    (2, 2, 0.5, 3, False),  # fewer compared than the count: the count does not apply
])
def test_low_coverage_at_its_edges(answered, total, min_share, min_count, flagged):
    batch = [assess(f"r{k}", levels(q1=k, q2=k % 2 if k < answered else None)) for k in range(total)]
    found = consistency_warnings(compare(rubric({"d": ["q1", "q2"]}), batch), min_share=min_share,
                                 min_count=min_count)
    assert (("low_coverage", "q2") in [(w.code, w.subject) for w in found]) is flagged


def test_three_equal_scores_are_no_variation_and_later_indicators_are_still_checked():
    # q1 is flat over exactly three answers; q3 runs against d after it.
    comparison = compare(rubric({"d": ["q1", "q2", "q3"]}), [
        assess("a", levels(q1=2, q2=1, q3=4)), assess("b", levels(q1=2, q2=3, q3=3)),
        assess("c", levels(q1=2, q2=5, q3=1))])
    found = [(w.code, w.subject) for w in consistency(comparison).warnings]
    assert ("no_variation", "q1") in found and ("negative_correlation", "q3") in found


def test_cronbach_alpha_edges():
    assert cronbach_alpha([[1, 2], [3, 5]]) == (pytest.approx(0.96), 2)  # two rows suffice for the formula
    assert cronbach_alpha([[0, 0], [0, 1], [1, 1]])[0] == pytest.approx(2 / 3)  # a total variance of exactly 1
    assert np.isnan(cronbach_alpha([[1, 2], [2, 1], [3, 0]])[0])  # items vary, their total does not
    assert np.isnan(cronbach_alpha([[1, 2], [np.nan, 1]])[0])
    assert cronbach_alpha([[2, 3, None], *ITEMS]) == (pytest.approx(12 / 13), 5)  # a null is a missing value
    with pytest.raises(ValueError, match="^Cronbach's alpha needs a 2-D matrix with at least two item columns$"):
        cronbach_alpha([[1], [2]])


def test_alpha_rows_follow_single_indicator_dimensions_and_need_exactly_three_assessments():
    r = rubric({"a": ["q0"], "d": ["q1", "q2", "q3"]})
    comparison = compare(r, [assess(f"r{k}", levels(q0=1, q1=a, q2=b, q3=c)) for k, (a, b, c) in enumerate(ITEMS[:3])])
    assert alphas(comparison).to_dict("records") == [
        {"node": "d", "depth": 1, "indicators": 3, "assessments": 3,
         "alpha": pytest.approx(cronbach_alpha(ITEMS[:3])[0])}]
    empty = alphas(compare(rubric({"a": ["q0"]}), [assess("r", levels(q0=1))]))
    assert list(empty.columns) == ["node", "depth", "indicators", "assessments", "alpha"] and empty.empty


def test_frames_follow_assessment_ids_whatever_the_input_order():
    comparison = compare(rubric({"d": ["q1", "q2", "q3"]}), [
        assess(f"r{k}", levels(q1=a, q2=b, q3=c)) for k, (a, b, c) in reversed(list(enumerate(ITEMS)))])
    frame = indicator_frame(comparison)
    assert list(frame.index) == ["r0", "r1", "r2", "r3", "r4"]
    assert frame.to_numpy().tolist() == (np.array(ITEMS) * 20.0).tolist()
    assert (frame.index.name, frame.columns.name) == ("assessment", "indicator")
    nodes = node_frame(comparison)
    assert list(nodes.index) == ["r0", "r1", "r2", "r3", "r4"]
    assert (nodes.index.name, nodes.columns.name) == ("assessment", "node")
    assert alphas(comparison)["alpha"].iloc[0] == pytest.approx(12 / 13)
    # Scores made outside a comparison keep their own row order: the frames still follow the ids.
    batch = list(reversed(comparison.assessments))
    compiled = compile_rubric(comparison.rubric)
    scores = score_matrix(compiled, to_matrix(compiled, batch), meta=batch)
    assert scores.ids == ("r4", "r3", "r2", "r1", "r0")
    pd.testing.assert_frame_equal(indicator_frame(scores), frame)
    pd.testing.assert_frame_equal(node_frame(scores), nodes)


def test_pair_counts_and_correlations_need_three_pairs_for_nodes_too():
    # e is answered by a and c only: two pairs with everything.
    comparison = compare(rubric({"d": ["q1", "q2"], "e": ["q3"]}), [
        assess("a", levels(q1=1, q2=2, q3=1)), assess("b", levels(q1=2, q2=1)),
        assess("c", levels(q1=3, q2=4, q3=4)), assess("e", levels(q1=4, q2=2))])
    indicator_pairs, node_pairs, crossed_pairs = pair_counts(comparison)
    assert indicator_pairs.to_dict() == {"q1": {"q1": 4, "q2": 4, "q3": 2}, "q2": {"q1": 4, "q2": 4, "q3": 2},
                                         "q3": {"q1": 2, "q2": 2, "q3": 2}}
    assert (indicator_pairs.index.name, indicator_pairs.columns.name) == ("indicator", "indicator")
    assert node_pairs.loc["overall", "e"] == 2 and node_pairs.loc["d", "d"] == 4
    assert (node_pairs.index.name, node_pairs.columns.name) == ("node", "node")
    assert crossed_pairs.to_dict() == {"overall": {"q1": 4, "q2": 4, "q3": 2}, "d": {"q1": 4, "q2": 4, "q3": 2},
                                       "e": {"q1": 2, "q2": 2, "q3": 2}}
    assert (crossed_pairs.index.name, crossed_pairs.columns.name) == ("indicator", "node")
    indicators, nodes, crossed = correlations(comparison)
    assert np.isnan(nodes.loc["d", "e"]) and nodes.loc["overall", "d"] == nodes.loc["overall", "d"]
    assert np.isnan(crossed.loc["q1", "e"]) and not np.isnan(crossed.loc["q1", "d"])
    assert (crossed.index.name, crossed.columns.name) == ("indicator", "node")


def test_coverage_of_an_empty_comparison_is_undefined_without_a_runtime_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a researcher's -W error must not turn 0 / 0 into a crash
        table = coverage(compare(rubric({"d": ["q1", "q2"]}), []))
        na_only = coverage(compare(rubric({"d": ["q1"]}), [assess("a", levels(q1=None))]))
    assert table["coverage"].dtype == float and table["coverage"].isna().all()
    assert table["coverage_applicable"].isna().all()
    assert na_only["coverage"].tolist() == [0.0] and np.isnan(na_only["coverage_applicable"].iloc[0])
