"""Evidence coverage: the share of answered indicators with evidence, overall and per dimension."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from toolkit.engine.compiled import compile_rubric
from toolkit.engine.coverage import evidence_coverage, top_level_of
from toolkit.engine.scoring import score
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric

MINI = Rubric.from_dict(json.loads((Path(__file__).parent / "data" / "scoring" / "mini.json").read_text("utf-8")))
PROOF = [{"kind": "url", "value": "https://example.org/proof"}]


def assess(answers: dict) -> Assessment:
    return Assessment.from_dict({
        "kind": "assessment", "format_version": 1, "id": "x", "rubric": {"id": "mini", "version": "1.0.0"},
        "ministry": {"id": "m", "name": "M", "country": "Testland"},
        "period": "2026", "date": "2026-01-01", "status": "draft", "answers": answers,
    })


def test_indicators_map_to_their_top_level_dimension_through_sub_dimensions():
    compiled = compile_rubric(MINI)
    assert dict(zip(compiled.indicator_ids, top_level_of(compiled).tolist(), strict=True)) == {
        "s1": 0, "s2": 0, "a1": 0, "a2": 0, "b1": 1, "b2": 1}


def test_coverage_counts_answered_indicators_with_evidence():
    a = assess({
        "s1": {"level": 2, "evidence": PROOF}, "s2": {"level": 1},  # sub-dimension of a
        "a1": {"na": True, "na_reason": "not applicable"},  # N/A: not answered, not counted
        "b1": {"level": 3, "evidence": PROOF}, "b2": {"value": 4, "evidence": PROOF},
    })
    coverage = evidence_coverage(score(MINI, [a]))
    assert coverage.shape == (1, 3)
    assert np.allclose(coverage[0], [3 / 4, 1 / 2, 1.0])


def test_coverage_is_null_where_nothing_is_answered():
    coverage = evidence_coverage(score(MINI, [assess({"b1": {"level": 1}})]))
    assert math.isnan(coverage[0, 1]) and coverage[0, 2] == 0.0 and coverage[0, 0] == 0.0
