"""The codebook of a research bundle: every file, every column, its type, unit and meaning (SPEC 13).

`codebook.json` is for machines (`{"files": [{name, format, table, rows, description, columns:
[{name, type, unit, meaning}]}], "other_files": [...]}`), `codebook.md` for a reader. Types are
`integer`, `number`, `string` or `boolean`; a unit is empty where the column has none (an id, a
label). Meanings come from the documented column dictionaries of `toolkit.research.tidy`, from the
bundle's own tables below, and for the columns named after the rubric (one per node in the wide
table) from the rubric's titles.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from toolkit.model.rubric import Rubric, text_in
from toolkit.research.tidy import (
    CONSISTENCY_COLUMNS,
    INTERVAL_COLUMNS,
    LONG_COLUMNS,
    WIDE_COLUMNS,
    safe_name,
    stage_column,
)

POINTS, SHARE, RANK = "points (0-100)", "share (0-1)", "rank (1 = highest)"

TABLES: dict[str, str] = {
    "scores_long": "one row per assessment and overall, node or indicator: the scores, with labels",
    "scores_wide": "one row per assessment: overall, stage, rank, intervals (with --uncertainty), "
                   "each node's score",
    "labels": "every id of the rubric (and the Sobol inputs) with its label in English and Indonesian",
    "intervals": "--uncertainty: per assessment the nominal and simulated score and rank percentiles and "
                 "the probability of each stage",
    "sensitivity_leave_one_out": "--sensitivity: the mean absolute rank change when one node at the "
                                 "chosen depth is left out",
    "sensitivity_sobol": "--sensitivity: first-order and total Sobol indices of the inputs this run varies, "
                         "with bootstrap intervals",
    "consistency": "--consistency: one row per statistic (correlations, Cronbach's alpha, coverage, warnings)",
    "agreement": "rounds with respondents: Krippendorff's alpha overall and per top-level dimension",
    "agreement_indicators": "rounds with respondents: each level indicator's range of levels across them",
}

OTHER_COLUMNS: dict[str, str] = {
    "node_label_en": "the node's (or indicator's) title in English",
    "node_label_id": "the node's (or indicator's) title in Bahasa Indonesia",
    "indicator_label_en": "the indicator's title in English",
    "indicator_label_id": "the indicator's title in Bahasa Indonesia",
    "input_label_en": "the input's name in English",
    "input_label_id": "the input's name in Bahasa Indonesia",
    "label_en": "the label in English",
    "label_id": "the label in Bahasa Indonesia",
    "id": "the id as it appears in the other tables",
    "draws": "Monte Carlo draws behind the percentiles",
    "mean_abs_rank_change": "mean over the assessments ranked in both of |rank without the node - nominal rank|",
    "input": '"levels" (answered levels by confidence), "weights" (node weights), "aggregation" '
             "(arithmetic or geometric)",
    "first": "first-order Sobol index (Saltelli 2010) on the mean absolute rank change",
    "first_low": "lower end of the first-order index's 95% bootstrap interval",
    "first_high": "upper end of the first-order index's 95% bootstrap interval",
    "total": "total Sobol index (Jansen 1999) on the mean absolute rank change",
    "total_low": "lower end of the total index's 95% bootstrap interval",
    "total_high": "upper end of the total index's 95% bootstrap interval",
    "samples": "Saltelli base samples (each costs inputs + 2 scorings)",
    "respondents": "respondents of the round",
    "metric": 'Krippendorff metric: "ordinal", "interval" or "nominal"',
    "alpha": "Krippendorff's alpha; empty when fewer than two pairable values exist",
    "indicator": "the level indicator's id",
    "range": "highest minus lowest level the respondents gave",
    "flag": "true when the range is 2 levels or more",
}

TABLE_MEANINGS: dict[str, dict[str, str]] = {
    "scores_long": {**LONG_COLUMNS},
    "scores_wide": {**WIDE_COLUMNS, **INTERVAL_COLUMNS},
    "labels": {"kind": '"overall", "dimension", "indicator", "stage" or "sobol_input"',
               "parent": "the id of the node above; empty for the overall, stages and inputs"},
    "intervals": {"assessment": "the assessment id", "overall": "the nominal overall score",
                  "rank": "the nominal comparison rank", **INTERVAL_COLUMNS},
    "sensitivity_leave_one_out": {"depth": "the depth of the nodes left out (1 = top-level dimensions)",
                                  "node": "the node left out"},
    "consistency": {**CONSISTENCY_COLUMNS},
    "agreement": {"assessment": "the round's assessment id",
                  "node": '"overall" or the top-level dimension whose level indicators are the units'},
    "agreement_indicators": {"assessment": "the round's assessment id",
                             "respondents": "respondents who gave this indicator a level"},
}

UNITS: dict[str, str] = {
    "score": POINTS, "evidence_score": POINTS, "overall": POINTS, "evidence_overall": POINTS,
    "overall_p05": POINTS, "overall_p50": POINTS, "overall_p95": POINTS,
    "rank": RANK, "rank_p05": RANK, "rank_p50": RANK, "rank_p95": RANK,
    "completeness": SHARE, "depth": "levels below the root", "mean_abs_rank_change": "ranks",
    "first": "share of variance", "first_low": "share of variance", "first_high": "share of variance",
    "total": "share of variance", "total_low": "share of variance", "total_high": "share of variance",
    "draws": "draws", "samples": "samples", "respondents": "people", "range": "levels",
    "value": "the indicator's own unit: a level 0-4, or the metric's unit",
}


def _type(series: pd.Series) -> str:
    kind = series.dtype.kind
    return {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}.get(kind, "string")


def _rubric_columns(rubric: Rubric) -> dict[str, tuple[str, str]]:
    """Columns named after the rubric: each node's score and each stage's probability."""
    out: dict[str, tuple[str, str]] = {}
    for node, depth in rubric.nodes():
        title = text_in(node.title, "en")
        what = "top-level dimension" if depth == 1 else "sub-dimension"
        out[safe_name(node.id)] = (POINTS, f"score of the {what} \"{title}\" (id {node.id}); higher is better")
    for stage in rubric.stages:
        out[stage_column(stage.id)] = (SHARE, f"share of draws whose overall score falls in the stage "
                                              f"\"{text_in(stage.label, 'en')}\" (id {stage.id})")
    return out


def describe(table: str, column: str, series: pd.Series, rubric: Rubric) -> dict[str, str]:
    """One column's entry: name, type, unit, meaning."""
    own = TABLE_MEANINGS.get(table, {})
    named = _rubric_columns(rubric)
    if column in own or column in OTHER_COLUMNS:
        meaning = own.get(column) or OTHER_COLUMNS[column]
        unit = UNITS.get(column, "")
        if table == "consistency" and column == "value":
            unit = "Pearson r (-1 to 1), alpha (at most 1) or share (0-1)"
        if column == "alpha":
            unit = "at most 1"
    elif column in named:
        unit, meaning = named[column]
    else:
        unit, meaning = "", "see the table's description"
    return {"name": column, "type": _type(series), "unit": unit, "meaning": meaning}


def build(frames: Mapping[str, pd.DataFrame], rubric: Rubric, extra_files: Sequence[str] = ()) -> dict[str, Any]:
    """The codebook of the bundle's tables (each written as CSV and Parquet) and its other files."""
    files = []
    for table, frame in frames.items():
        columns = [describe(table, str(column), frame[column], rubric) for column in frame.columns]
        for fmt in ("csv", "parquet"):
            files.append({"name": f"{table}.{fmt}", "format": fmt, "table": table, "rows": int(len(frame)),
                          "description": TABLES.get(table, ""), "columns": columns})
    other = [{"name": name, "description": "a figure (SVG or PDF, fonts embedded)"} for name in extra_files]
    other += [{"name": "codebook.json", "description": "this codebook, for machines"},
              {"name": "codebook.md", "description": "this codebook, for a reader"},
              {"name": "provenance.json", "description": "how the bundle was made: toolkit and rubric "
                                                        "versions, inputs with sha256, every option"}]
    return {"rubric": {"id": rubric.id, "version": rubric.version}, "files": files, "other_files": other}


def to_json(book: Mapping[str, Any]) -> str:
    """codebook.json's text."""
    return json.dumps(book, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def to_markdown(book: Mapping[str, Any]) -> str:
    """codebook.md: one section per table (its CSV and Parquet files), a row per column."""
    lines = [f"# Codebook: {book['rubric']['id']} {book['rubric']['version']}", "",
             "Every table is written twice, as CSV (UTF-8, empty cells for nulls) and as Parquet (the "
             "provenance in its metadata, key `ddmt.provenance`). Methods: docs/research.md.", ""]
    seen = set()
    for entry in book["files"]:
        if entry["table"] in seen:
            continue
        seen.add(entry["table"])
        lines += [f"## {entry['table']}.csv, {entry['table']}.parquet", "",
                  f"{entry['description']} ({entry['rows']} rows).", "",
                  "| column | type | unit | meaning |", "|---|---|---|---|"]
        lines += [f"| `{c['name']}` | {c['type']} | {c['unit']} | {c['meaning'].replace('|', '/')} |"
                  for c in entry["columns"]]
        lines.append("")
    lines += ["## Other files", ""] + [f"- `{f['name']}`: {f['description']}" for f in book["other_files"]]
    return "\n".join(lines) + "\n"
