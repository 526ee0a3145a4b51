"""SPEC 13: the same set of assessments gives the same numbers in any order.

A co-author who lists the files differently must reproduce the table: the intervals, the stage
probabilities, the sensitivity indices and the consistency statistics, to the last bit.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.cli.main import main
from toolkit.engine.comparison import compare
from toolkit.model.documents import load_assessment, load_rubric
from toolkit.research.consistency import consistency
from toolkit.research.sensitivity import sensitivity
from toolkit.research.tidy import compare_json, long_frame, wide_frame
from toolkit.research.uncertainty import uncertainty

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "sample_ministries").glob("*.json"))
# The samples answer 1.0.0 and 1.1.0: compared on the newer one, which takes the older rounds' answers
# through its migration table, so the order of migrated and native rounds is exercised too.
RUBRIC = load_rubric(REPO / "rubrics" / "digital-diplomacy-1.1.0.json")


def _batch():
    loaded = [load_assessment(path) for path in SAMPLES]
    assert {a.rubric_version for a in loaded} == {"1.0.0", "1.1.0"}
    # Two copies of one assessment under other ids tie with it: ties must not follow the input order.
    twins = [replace(loaded[0], id=f"{loaded[0].id}-twin-{n}") for n in (1, 2)]
    return loaded + twins


BATCH = _batch()


def analysed(assessments) -> dict:
    """Everything the research side computes on one comparison, as JSON text plus the tidy frames."""
    comparison = compare(RUBRIC, assessments)
    spread = uncertainty(comparison, 60, 11, switch_aggregation=True, chunk_rows=97)
    robust = sensitivity(comparison, 1, samples=8, seed=11, bootstrap=20, switch_aggregation=True)
    data = compare_json(comparison, spread, robust, consistency(comparison))
    return {"json": json.dumps(data, allow_nan=False),
            "wide": wide_frame(comparison, spread).to_csv(index=False),
            "long": long_frame(comparison).to_csv(index=False)}


REFERENCE = analysed(BATCH)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(len(BATCH))))
def test_any_order_of_the_inputs_gives_identical_results(order):
    assert analysed([BATCH[k] for k in order]) == REFERENCE


def test_the_draws_do_differ_with_the_seed():
    """The property above is not vacuous: the numbers it compares move with the seed."""
    comparison = compare(RUBRIC, BATCH)
    one = uncertainty(comparison, 60, 11).overall_percentiles
    other = uncertainty(comparison, 60, 12).overall_percentiles
    assert (one != other).any()


def test_reversed_files_give_identical_json_on_the_command_line(capsys):
    options = ["--uncertainty", "80", "--seed", "1", "--sensitivity", "--sobol-samples", "8",
               "--switch-aggregation", "--consistency", "--format", "json"]
    outputs = []
    for files in (SAMPLES, SAMPLES[::-1]):
        assert main(["compare", *map(str, files), *options]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["assessments"][0]["rank_p05"] is not None


@pytest.mark.parametrize("size", [1, 7, 10_000])
def test_the_chunk_size_changes_nothing(size):
    comparison = compare(RUBRIC, BATCH)
    reference = uncertainty(comparison, 30, 5)
    chunked = uncertainty(comparison, 30, 5, chunk_rows=size)
    assert (chunked.overall_draws == reference.overall_draws).all()


def test_each_assessment_keeps_its_draws_when_scored_in_any_row():
    """Below the comparison (which holds rows by id), the draws themselves are keyed by assessment id:
    the same batch scored in reverse row order gives each assessment the same intervals."""
    from toolkit.engine.scoring import score
    from toolkit.model.migration import on_version_of

    batch = [on_version_of(RUBRIC, assessment) for assessment in BATCH]  # as the comparison takes them
    forward, backward = score(RUBRIC, batch), score(RUBRIC, batch[::-1])
    one, other = uncertainty(forward, 50, 4), uncertainty(backward, 50, 4)
    by_id = {k: i for i, k in enumerate(backward.ids)}
    rows = [by_id[k] for k in forward.ids]
    assert one.overall_percentiles == pytest.approx(other.overall_percentiles[rows], rel=1e-12)
    # an unranked round (below min_completeness) has no rank in any draw: NaN in both orders
    assert np.isnan(one.rank_percentiles).any()
    assert np.array_equal(one.rank_percentiles, other.rank_percentiles[rows], equal_nan=True)
