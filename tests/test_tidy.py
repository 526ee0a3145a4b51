"""Tidy data: documented columns, agreement with the score records, CSV, Parquet, the compare JSON,
and the helpers `ddmt compare` calls for its research options."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import toolkit.research.tidy as tidy
from toolkit.cli import research as commands_research
from toolkit.engine.comparison import Comparison, compare
from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric, newest
from toolkit.model.documents import load_assessment
from toolkit.model.rubric import Rubric
from toolkit.research.sensitivity import sensitivity
from toolkit.research.tidy import (
    INTERVAL_COLUMNS,
    LONG_COLUMNS,
    STAGE_PREFIX,
    WIDE_COLUMNS,
    compare_json,
    long_frame,
    to_csv,
    wide_frame,
    write_parquet,
)
from toolkit.research.uncertainty import uncertainty

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def samples() -> Comparison:
    # Every sample, each read with its own rubric (1.0.0 or 1.1.0), compared on the newest version,
    # which takes the older rounds' answers through its migrations table.
    loaded = [load_assessment(p) for p in sorted((REPO / "sample_ministries").glob("*.json"))]
    return compare(newest(find_rubric(a.rubric_id, a.rubric_version) for a in loaded), loaded)


def toy(node_ids: tuple[str, str] = ("d1", "d2"), name: str = "Alpha") -> Comparison:
    rubric = Rubric.from_dict({
        "kind": "rubric", "format_version": 1, "id": "toy", "version": "1.0.0", "title": {"en": "Toy"},
        "languages": ["en"], "normalisation": "goalposts",
        "scale": {"levels": [{"value": v, "label": {"en": str(v)}} for v in range(5)]},
        "stages": [{"id": "low", "min_score": 0, "label": {"en": "Low"}},
                   {"id": "high", "min_score": 50, "label": {"en": "High"}}],
        "evidence_policy": {"unsupported_cap": None},
        "dimensions": [{"id": node, "title": {"en": node},
                        "indicators": [{"id": f"i{k}", "kind": "level", "title": {"en": "i"},
                                        "question": {"en": "i"}}]}
                       for k, node in enumerate(node_ids)]})

    def assess(assessment_id: str, ministry: str, answers: dict[str, Any]) -> Assessment:
        return Assessment.from_dict({
            "kind": "assessment", "format_version": 1, "id": assessment_id,
            "rubric": {"id": "toy", "version": "1.0.0"},
            "ministry": {"id": assessment_id, "name": ministry, "country": "Testland"},
            "period": "2026", "date": "2026-01-01", "status": "submitted", "answers": answers})

    return compare(rubric, [assess("a", name, {"i0": {"level": 1}, "i1": {"na": True, "na_reason": "x"}}),
                            assess("b", "Beta", {"i0": {"level": 3, "confidence": "low"},
                                                 "i1": {"level": 2}}),
                            assess("c", "Gamma", {})])


# --- documented columns ---------------------------------------------------------------------------


def test_every_column_is_documented_in_the_dicts_and_the_module_docstring(samples):
    doc = tidy.__doc__ or ""
    for table in (LONG_COLUMNS, WIDE_COLUMNS, INTERVAL_COLUMNS):
        for name, description in table.items():
            assert f"`{name}`" in doc, name
            assert description
    assert list(long_frame(samples).columns) == list(LONG_COLUMNS)
    wide = wide_frame(samples, uncertainty(samples, 20, 1))
    stage_columns = [tidy.stage_column(s) for s in samples.scores.compiled.stage_ids]
    node_columns = [node.id for node, _ in samples.rubric.nodes()]
    assert list(wide.columns) == [*WIDE_COLUMNS, *INTERVAL_COLUMNS, *stage_columns, *node_columns]
    assert f"`{STAGE_PREFIX}<stage id>`" in doc
    assert "p_start_up" in wide.columns  # safe for R and pandas, not `p_start-up`


# --- the long table ------------------------------------------------------------------------------------


def test_long_rows_agree_with_the_score_records(samples):
    frame = long_frame(samples)
    c = samples.scores.compiled
    per_assessment = 1 + (c.n_nodes - 1) + c.n_indicators
    assert len(frame) == len(samples.assessments) * per_assessment
    records = {r["assessment"]: r for r in samples.scores.to_records()}
    for row in frame.itertuples(index=False):
        record = records[row.assessment]
        if row.kind == "overall":
            item = record["overall"]
            assert (row.node, row.depth, row.parent) == ("overall", 0, None) or pd.isna(row.parent)
        elif row.kind == "dimension":
            item = record["nodes"][row.node]
            assert row.status == item["status"]
            assert row.stage == item["stage"] or (pd.isna(row.stage) and item["stage"] is None)
        else:
            item = record["indicators"][row.node]
            assert row.status == item["status"] and pd.isna(row.stage)
            assert row.completeness == {"answered": 1.0, "missing": 0.0}.get(item["status"]) or (
                item["status"] == "na" and np.isnan(row.completeness))
        for column in ("score", "evidence_score"):
            expected = item[column]
            assert (np.isnan(getattr(row, column)) if expected is None
                    else getattr(row, column) == expected)


def test_long_rows_follow_the_tree_and_the_rank_order(samples):
    frame = long_frame(samples)
    first = frame[frame["assessment"] == frame["assessment"].iloc[0]]
    assert first["node"].iloc[0] == "overall"
    top = samples.rubric.dimensions[0]
    assert list(first["node"].iloc[1:2 + len(top.indicators)]) == [top.id, *(i.id for i in top.indicators)]
    overall = frame[frame["kind"] == "overall"]
    assert list(overall["assessment"]) == [samples.assessments[k].id for k in samples.order()]
    # ranked rounds by rank, then those below min_completeness, which have none (SPEC 11)
    ranked = sorted(int(r) for r in samples.ranks if not np.isnan(r))
    assert 0 < len(ranked) < len(samples.assessments)
    assert list(overall["rank"].iloc[:len(ranked)]) == ranked and overall["rank"].iloc[len(ranked):].isna().all()
    parent = {child.id: node.id for node, _ in samples.rubric.nodes() for child in node.dimensions}
    dimensions = frame[frame["kind"] == "dimension"]
    assert list(dimensions["parent"]) == [parent.get(node, "overall") for node in dimensions["node"]]
    assert set(parent) & set(dimensions["node"])  # sub-dimensions (1.1.0's consular protection) included


def test_long_values_ranks_and_confidence_of_a_toy_comparison():
    frame = long_frame(toy()).set_index(["assessment", "node"])
    assert frame.loc[("b", "i0"), "value"] == 3 and frame.loc[("b", "i0"), "confidence"] == "low"
    assert frame.loc[("a", "i0"), "confidence"] == "medium"  # unset counts as medium
    assert frame.loc[("a", "i1"), "status"] == "na" and pd.isna(frame.loc[("a", "i1"), "confidence"])
    assert frame.loc[("b", "i0"), "rank"] == 1 and frame.loc[("a", "i0"), "rank"] == 2
    assert pd.isna(frame.loc[("c", "overall"), "rank"]) and frame.loc[("c", "overall"), "status"] == "missing"
    assert frame.loc[("b", "i1"), "depth"] == 2 and frame.loc[("b", "i1"), "parent"] == "d2"


# --- the wide table ------------------------------------------------------------------------------------


def test_wide_rows_by_rank_with_intervals_and_stage_probabilities(samples):
    result = uncertainty(samples, 200, 3)
    frame = wide_frame(samples, result)
    order = samples.order()
    assert list(frame["assessment"]) == [samples.assessments[k].id for k in order]
    np.testing.assert_array_equal(frame["overall_p50"], result.overall_percentiles[order, 1])
    stage_columns = [tidy.stage_column(s) for s in result.stage_ids]
    # one for a rated round; a round below min_completeness has no stage, nominal or drawn
    assert not frame["rated"].all()
    np.testing.assert_allclose(frame[stage_columns].sum(axis=1), frame["rated"].astype(float))
    assert frame["rank"].dtype == "Int64"
    first = samples.rubric.dimensions[0].id
    np.testing.assert_array_equal(frame[first], samples.scores.node(first)[order])


def test_wide_without_uncertainty_and_with_indicators(samples):
    frame = wide_frame(samples, indicators=True)
    assert not set(INTERVAL_COLUMNS) & set(frame.columns)
    assert list(frame.columns[-samples.scores.compiled.n_indicators:]) == [
        tidy.safe_name(i) for i in samples.scores.compiled.indicator_ids]
    assert all(name.isidentifier() for name in frame.columns)  # safe in R and pandas


def test_a_node_named_like_a_fixed_column_gets_a_prefix():
    frame = wide_frame(toy(("stage", "rank")))
    assert list(frame.columns[-2:]) == ["node_stage", "node_rank"]
    assert list(frame["stage"].iloc[:2]) == ["high", "low"] and pd.isna(frame["stage"].iloc[2])


# --- CSV and Parquet -------------------------------------------------------------------------------------


def test_csv_has_empty_nulls_and_neutralised_formulas():
    frame = wide_frame(toy(name="=HYPERLINK(\"http://x\")"))
    text = to_csv(frame)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[1]["ministry"] == "'=HYPERLINK(\"http://x\")"
    assert rows[2]["overall"] == "" and rows[2]["rank"] == "" and rows[2]["iso3"] == ""
    assert float(rows[0]["overall"]) == frame["overall"].iloc[0]  # full precision
    assert rows[0]["rank"] == "1"


def test_parquet_round_trip(tmp_path, samples):
    for frame in (long_frame(samples), wide_frame(samples, uncertainty(samples, 20, 2))):
        path = write_parquet(frame, tmp_path / "out" / "table.parquet")
        back = pd.read_parquet(path)
        assert list(back.columns) == list(frame.columns)
        pd.testing.assert_frame_equal(back, frame, check_dtype=False)
        assert back["rank"].dtype == "Int64"


# --- the compare JSON -------------------------------------------------------------------------------------


def test_compare_json_merges_intervals_by_assessment_and_sets_the_sensitivity(samples):
    result = uncertainty(samples, 100, 4)
    robust = sensitivity(samples, samples=32, seed=4, bootstrap=20, switch_aggregation=True)
    data = compare_json(samples, result, robust)
    plain = samples.to_dict()
    assert [row["assessment"] for row in data["assessments"]] == [
        row["assessment"] for row in plain["assessments"]]
    records = dict(zip(result.assessment_ids, result.records(), strict=True))
    for row, base in zip(data["assessments"], plain["assessments"], strict=True):
        assert {key: row[key] for key in base} == base
        assert {key: row[key] for key in records[row["assessment"]]} == records[row["assessment"]]
    assert data["uncertainty"] == {"draws": 100, "seed": 4, "spread": 0.25, "switch_aggregation": False}
    assert set(data["sensitivity"]["leave_one_out"]) == {d.id for d in samples.rubric.dimensions}
    assert set(data["sensitivity"]["sobol"]) == {"levels", "weights", "aggregation"}
    json.dumps(data, allow_nan=False)
    assert compare_json(samples)["sensitivity"] is None and "uncertainty" not in compare_json(samples)


# --- the command-line helpers --------------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser()
    p.add_argument("--format", default="table")
    commands_research.add_compare_arguments(p)
    return p


def test_argument_types_refuse_bad_values():
    for argv in (["--uncertainty", "0"], ["--uncertainty", "x"], ["--seed", "-1"], ["--spread", "1"],
                 ["--spread", "nan"], ["--depth", "0"], ["--sobol-samples", "1"], ["--layout", "tall"]):
        with pytest.raises(SystemExit):
            parser().parse_args(argv)
    args = parser().parse_args([])
    assert (args.uncertainty, args.seed, args.spread, args.switch_aggregation, args.sensitivity,
            args.depth, args.sobol_samples, args.layout, args.parquet) == (
        None, 0, 0.25, False, False, 1, 512, "wide", None)


def test_analyse_and_outputs_from_parsed_options(tmp_path, samples):
    args = parser().parse_args(["--uncertainty", "50", "--seed", "3", "--spread", "0.3",
                                "--switch-aggregation", "--sensitivity", "--sobol-samples", "16"])
    research = commands_research.analyse(args, samples)
    assert research.uncertainty is not None and research.uncertainty.settings() == {
        "draws": 50, "seed": 3, "spread": 0.3, "switch_aggregation": True}
    assert research.sensitivity is not None and research.sensitivity.samples == 16
    data = commands_research.compare_data(samples, research)
    assert "overall_p05" in data["assessments"][0] and data["sensitivity"]["depth"] == 1
    text = commands_research.research_text(data)
    assert "Uncertainty: 50 draws, seed 3, spread 0.3, aggregation switched" in text
    assert "Leave-one-out at depth 1" in text and "Sobol indices" in text
    wide = commands_research.compare_csv(samples, research)
    assert wide.splitlines()[0].startswith("rank,assessment,") and "overall_p05" in wide.splitlines()[0]
    long = commands_research.compare_csv(samples, research, "long")
    assert long.splitlines()[0] == ",".join(LONG_COLUMNS)
    path = commands_research.write_parquet_file(samples, research, tmp_path / "c.parquet", "long")
    assert len(pd.read_parquet(path)) == len(long.splitlines()) - 1
    nothing = commands_research.analyse(parser().parse_args([]), samples)
    assert (nothing.uncertainty, nothing.sensitivity) == (None, None)
    assert commands_research.research_text(commands_research.compare_data(samples, nothing)) == ""
