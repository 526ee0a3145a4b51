"""Comparisons: version checks, scoring together, ranks, the JSON shape, trends and periods."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from toolkit.engine.comparison import Comparison, Trend, TrendPoint, check_comparable, compare
from toolkit.errors import ComparisonError
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric

_DOC = json.loads((Path(__file__).parent / "data" / "scoring" / "mini.json").read_text("utf-8"))
MINI = Rubric.from_dict(_DOC)
EVIDENCE = [{"kind": "url", "value": "https://example.org/proof"}]


def assess(id: str, answers: dict[str, Any] | None = None, *, ministry: str = "m1",
           period: str = "2026", version: str = "1.0.0", rubric_id: str = "mini",
           source: str | None = None) -> Assessment:
    return Assessment.from_dict({
        "kind": "assessment", "format_version": 1, "id": id,
        "rubric": {"id": rubric_id, "version": version},
        "ministry": {"id": ministry, "name": ministry.title(), "country": "Testland", "iso3": "TST"},
        "period": period, "date": "2026-01-01", "status": "submitted", "answers": answers or {},
    }, source_file=source)


def levels(**values: float) -> dict[str, Any]:
    return {key: {"value": v} if key == "b2" else {"level": v, "evidence": EVIDENCE}
            for key, v in values.items()}


# --- refusing ------------------------------------------------------------------------------------


def test_refuses_another_major_version_naming_the_versions():
    batch = [assess("ok"), assess("x", version="2.0.0", source="x.json")]
    with pytest.raises(ComparisonError) as caught:
        compare(MINI, batch)
    assert str(caught.value) == (
        "cannot compare assessments of different rubric versions: mini 1.x and 2.x (x.json)")


def test_names_every_version_found_and_where():
    batch = [assess("x", version="2.1.0", source="x.json"), assess("y", version="3.0.0", source="y.json"),
             assess("z", version="2.0.0", source="z.json"), assess("ok", version="1.9.3")]
    with pytest.raises(ComparisonError) as caught:
        check_comparable(MINI, batch)
    assert str(caught.value) == ("cannot compare assessments of different rubric versions: "
                                 "mini 1.x and 2.x (x.json, z.json), 3.x (y.json)")


def test_refuses_another_rubric_id():
    with pytest.raises(ComparisonError) as caught:
        compare(MINI, [assess("o", rubric_id="other", source="o.json")])
    assert str(caught.value) == (
        "cannot compare assessments of different rubrics: mini 1.x and other 1.x (o.json)")


def test_names_the_assessment_id_when_there_is_no_file():
    with pytest.raises(ComparisonError, match=r"mini 1\.x and 0\.x \(old-round\)"):
        compare(MINI, [assess("old-round", version="0.9.0")])


def test_accepts_other_minor_and_patch_versions():
    result = compare(MINI, [assess("p", levels(a1=4), version="1.3.7"), assess("q", levels(a1=1))])
    assert result.ranks.tolist() == [1, 2]


# --- scoring together and ranking ----------------------------------------------------------------


def test_ranks_by_overall_score_with_shared_ties_and_unranked_nulls():
    batch = [assess("low", levels(a1=1), ministry="m3"),
             assess("none", {}, ministry="m4"),
             assess("top", levels(a1=4), ministry="m1"),
             assess("tie1", levels(a1=2), ministry="m2"),
             assess("tie2", levels(b1=2), ministry="m5")]
    result = compare(MINI, batch)
    assert isinstance(result, Comparison)
    # The comparison holds them by id (SPEC 13: the input order changes nothing):
    # low 25, none null, tie1 50 (a only), tie2 50 (b only), top 100
    assert [a.id for a in result.assessments] == ["low", "none", "tie1", "tie2", "top"]
    np.testing.assert_array_equal(result.ranks, [4, np.nan, 2, 2, 1])
    assert result.order() == [4, 2, 3, 0, 1]
    assert compare(MINI, batch[::-1]).to_dict() == result.to_dict()
    out = result.to_dict()
    assert [(row["assessment"], row["rank"]) for row in out["assessments"]] == [
        ("top", 1), ("tie1", 2), ("tie2", 2), ("low", 4), ("none", None)]


def test_to_dict_has_the_json_shape_of_the_spec():
    batch = [assess("p", levels(s1=0, s2=4, a1=4, a2=3, b1=2, b2=2.5)),
             assess("q", levels(a1=2, b1=0), ministry="m2")]
    out = compare(MINI, batch).to_dict()
    json.dumps(out)
    assert list(out) == ["rubric", "normalisation", "assessments", "sensitivity"]
    assert out["rubric"] == {"id": "mini", "version": "1.0.0"}
    assert out["normalisation"] == "goalposts"
    assert out["sensitivity"] is None
    top = out["assessments"][0]
    assert list(top) == ["assessment", "ministry", "period", "overall", "rank", "dimensions"]
    assert top["ministry"] == {"id": "m1", "name": "M1", "iso3": "TST"}
    assert top["period"] == "2026"
    assert list(top["overall"]) == ["score", "stage", "completeness"]
    a = (101 ** 0.5 - 1 + 100 + 225) / 5
    assert top["dimensions"] == pytest.approx({"a": a, "b": 62.5})
    assert top["overall"]["score"] == pytest.approx((a + 125) / 3)
    assert top["overall"]["completeness"] == 1.0
    assert top["overall"]["stage"] == "strategic"
    second = out["assessments"][1]
    assert second["dimensions"] == {"a": 50.0, "b": 0.0}  # b1 level 0; b2 missing
    assert second["rank"] == 2


def test_minmax_is_computed_over_the_compared_set():
    batch = [assess("p", {"b2": {"value": 2.0}}, ministry="m1"),
             assess("q", {"b2": {"value": 4.0}}, ministry="m2"),
             assess("r", {"b2": {"value": 3.0}}, ministry="m3")]
    result = compare(MINI, batch, normalisation="minmax")
    assert result.normalisation == "minmax" and result.to_dict()["normalisation"] == "minmax"
    # low 2, high 4, direction -1: (4 - v) / 2
    assert result.scores.indicator("b2").tolist() == [100.0, 0.0, 50.0]
    assert result.ranks.tolist() == [1, 3, 2]
    pair = compare(MINI, batch[1:], normalisation="minmax")  # another set, other bounds
    assert pair.scores.indicator("b2").tolist() == [0.0, 100.0]
    goalposts = compare(MINI, batch)
    assert goalposts.scores.indicator("b2").tolist() == [80.0, 60.0, 70.0]


def test_empty_comparison():
    out = compare(MINI, []).to_dict()
    assert out["assessments"] == [] and out["normalisation"] == "goalposts"


# --- periods and trends --------------------------------------------------------------------------


def test_mixed_periods_are_noted():
    same = compare(MINI, [assess("p", ministry="m1"), assess("q", ministry="m2")])
    assert same.periods == ("2026",) and not same.mixed_periods
    mixed = compare(MINI, [assess("p", period="2026"), assess("q", ministry="m2", period="2025")])
    assert mixed.periods == ("2025", "2026") and mixed.mixed_periods


def test_trends_group_a_ministrys_periods_sorted_by_label():
    batch = [assess("m1-2026", levels(a1=4), period="2026"),
             assess("m2-2026", levels(a1=1), ministry="m2", period="2026"),
             assess("m1-2024q4", levels(a1=1), period="2024-Q4"),
             assess("m1-2025", {}, period="2025")]
    result = compare(MINI, batch)
    trends = result.trends()
    # index: the row in the comparison, which holds the assessments by id
    assert trends == [Trend(ministry_id="m1", ministry_name="M1", points=(
        TrendPoint(period="2024-Q4", assessment_id="m1-2024q4", index=0, score=25.0, stage="formative"),
        TrendPoint(period="2025", assessment_id="m1-2025", index=1, score=None, stage=None),
        TrendPoint(period="2026", assessment_id="m1-2026", index=2, score=100.0, stage="dynamic"),
    ))]
    assert [t.ministry_id for t in result.trends(min_periods=1)] == ["m1", "m2"]

