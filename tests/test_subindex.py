"""Sub-indices: the rubric cut down to one tag, scored and compared like the whole rubric."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest

from toolkit.engine.comparison import compare
from toolkit.engine.scoring import score
from toolkit.engine.subindex import compare_by_tag, restrict, rubric_for_tag, tags
from toolkit.errors import ComparisonError
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric

_DOC = json.loads((Path(__file__).parent / "data" / "scoring" / "mini.json").read_text("utf-8"))
TAGS = {"a1": ["lens:realism"], "a2": ["lens:realism", "risk:x"], "s1": ["risk:x"], "s2": [],
        "b1": ["lens:realism"], "b2": ["risk:x"]}


def tagged() -> Rubric:
    doc = copy.deepcopy(_DOC)

    def walk(node: dict[str, Any]) -> None:
        for child in node.get("dimensions", ()):
            walk(child)
        for indicator in node.get("indicators", ()):
            indicator["tags"] = TAGS[indicator["id"]]
    for top in doc["dimensions"]:
        walk(top)
    return Rubric.from_dict(doc)


MINI = tagged()
EVIDENCE = [{"kind": "url", "value": "https://example.org/proof"}]


def assess(id: str, **answers: float) -> Assessment:
    return Assessment.from_dict({
        "kind": "assessment", "format_version": 1, "id": id, "rubric": {"id": "mini", "version": "1.0.0"},
        "ministry": {"id": id, "name": id.title(), "country": "Testland"},
        "period": "2026", "date": "2026-01-01", "status": "submitted",
        "answers": {key: ({"value": v} if key == "b2" else {"level": v, "evidence": EVIDENCE})
                    for key, v in answers.items()},
    })


def ids(rubric: Rubric) -> list[str]:
    return [indicator.id for indicator in rubric.indicators()]


def test_tags_lists_every_tag_once_sorted():
    assert tags(MINI) == ["lens:realism", "risk:x"]


def test_keeps_only_the_tagged_indicators_and_drops_empty_nodes():
    sub = rubric_for_tag(MINI, "lens:realism")
    assert ids(sub) == ["a1", "a2", "b1"]
    assert [node.id for node, _ in sub.nodes()] == ["a", "b"]  # a.sub has no realism indicator


def test_keeps_nested_nodes_that_still_hold_a_tagged_indicator():
    sub = rubric_for_tag(MINI, "risk:x")
    assert ids(sub) == ["s1", "a2", "b2"]
    assert [(node.id, depth) for node, depth in sub.nodes()] == [("a", 1), ("a.sub", 2), ("b", 1)]
    assert sub.dimensions[0].dimensions[0].aggregation == "geometric"  # settings kept


def test_keeps_identity_weights_and_policies():
    sub = rubric_for_tag(MINI, "lens:realism")
    assert (sub.id, sub.version, sub.stages, sub.scale) == (MINI.id, MINI.version, MINI.stages, MINI.scale)
    assert [node.weight for node in sub.dimensions] == [1.0, 2.0]
    assert sub.indicator("a2").weight == 3.0
    assert ids(MINI) == ["s1", "s2", "a1", "a2", "b1", "b2"]  # the original is untouched


def test_an_unknown_tag_is_refused_with_its_name():
    with pytest.raises(ComparisonError) as caught:
        rubric_for_tag(MINI, "lens:nowhere")
    assert str(caught.value) == "no indicator of rubric mini 1.0.0 carries the tag 'lens:nowhere'"


def test_restrict_keeps_only_the_sub_rubric_answers():
    a = assess("x", a1=4, s1=1, b2=5.0)
    sub = rubric_for_tag(MINI, "lens:realism")
    assert set(restrict(a, sub).answers) == {"a1"}
    assert restrict(a, MINI) is a


def test_sub_index_score_follows_the_formulas():
    # realism: a = (1*a1 + 3*a2) / 4 over a1=4 (100), a2=2 (50): 62.5; b = b1=1 (25); overall (62.5 + 2*25) / 3.
    a = assess("x", a1=4, a2=2, b1=1, s1=0, s2=0, b2=0.0)
    comparison = compare_by_tag(MINI, [a], "lens:realism")
    assert math.isclose(comparison.scores.node("a")[0], 62.5)
    assert math.isclose(comparison.scores.overall[0], (62.5 + 2 * 25) / 3)
    whole = score(MINI, [a]).overall[0]
    assert not math.isclose(whole, comparison.scores.overall[0])


def test_sub_index_can_change_the_ranking():
    realist = assess("r", a1=4, a2=4, b1=4, s1=0, s2=0, b2=10.0)  # b2: lower is better
    other = assess("o", a1=0, a2=0, b1=0, s1=4, s2=4, b2=0.0)
    whole = compare(MINI, [realist, other])

    def by_id(result):
        return {a.id: (s, r) for a, s, r in zip(result.assessments, result.scores.overall.tolist(),
                                                result.ranks.tolist(), strict=True)}

    assert by_id(whole) == {"r": (60.0, 1.0), "o": (40.0, 2.0)}
    # risk:x is s1 (a.sub), a2 and b2: a = (1 * sub + 3 * a2) / 4, b = b2.
    risk = compare_by_tag(MINI, [realist, other], "risk:x")
    assert by_id(risk) == {"r": (25.0, 2.0), "o": (75.0, 1.0)}


def test_no_tag_is_the_whole_rubric():
    a = assess("x", a1=3, a2=1, b1=2, s1=2, s2=3, b2=4.0)
    assert compare_by_tag(MINI, [a], None).scores.overall[0] == compare(MINI, [a]).scores.overall[0]
