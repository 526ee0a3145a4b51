"""Tidy data for researchers (SPEC section 5): fixed, documented columns; CSV, Parquet and JSON shapes.

`long_frame` has one row per assessment x (overall, node, indicator), `wide_frame` one row per
assessment. Rows follow the comparison's order (by rank; ties and unranked rows by assessment id),
and within an assessment the long rows follow the tree: the overall, then each dimension followed
by its sub-dimensions and then its own indicators. Nulls are pandas' missing values: NaN in float
and text columns (None before pandas 3), <NA> in `rank` (a nullable integer); empty cells in CSV,
nulls in Parquet.

Long columns (`LONG_COLUMNS`):

- `assessment`: the assessment id
- `ministry_id`, `ministry`, `iso3`, `period`: the ministry's id, name and ISO 3166 alpha-3 code (None
  when the assessment gives none), and the round label
- `node`: the node or indicator id; "overall" for the root
- `parent`: the id of the node above ("overall" for a top-level dimension); None for the overall
- `depth`: 0 for the overall, 1 for a top-level dimension, one more per level below; an indicator
  one more than its node
- `kind`: "overall", "dimension" (any node below the root) or "indicator"
- `value`: an indicator's answer: the level, or a metric's raw value; NaN when missing or N/A and
  for nodes
- `confidence`: an indicator's confidence as the engine reads it ("high", "medium", "low"; unset
  counts as "medium"); None when not answered and for nodes
- `score`: the claimed score, 0-100
- `evidence_score`: the evidence-backed score (a level without evidence counts at most the cap)
- `stage`: the stage id of the score, for the overall and nodes; None for indicators, for a null
  score, and where the completeness rule withholds the stage (then `rated` is false)
- `rated`: for the overall and nodes with a score, true when a stage is given, false when the
  node's completeness is below the rubric's `min_completeness` ("not rated", SPEC 11); None for
  indicators and null scores
- `completeness`: answered weight over applicable weight (0-1); for an indicator 1 if answered, 0 if
  missing, NaN if N/A
- `status`: "answered", "missing" or "na"
- `rank`: the rank of this score among the compared assessments for the same node or indicator
  (1 = highest, ties share the best rank); the overall's is the comparison rank

Wide columns (`WIDE_COLUMNS`), then one column per node (its id made safe for R and pandas, rubric
order; a node id equal to a fixed column is written `node_<id>`), and with `indicators=True` one per
indicator (its id made safe: `ins.official_accounts` gives `ins_official_accounts`):

- `rank`, `assessment`, `ministry_id`, `ministry`, `iso3`, `period`: as in the long table
- `overall`, `evidence_overall`, `stage`, `rated`, `completeness`: the overall score, evidence-backed
  score, stage, whether a stage is given (false: "not rated", below `min_completeness`; None for a null
  score) and completeness
- with an uncertainty result, `overall_p05`, `overall_p50`, `overall_p95`, `rank_p05`, `rank_p50`,
  `rank_p95` (percentiles over the draws) and `p_<stage id>`, the share of draws in that stage
  (the name made safe for R and pandas: `p_start_up` for the stage `start-up`)

Consistency columns (`CONSISTENCY_COLUMNS`, `consistency_frame`, `ddmt compare --consistency --format
csv`): one row per statistic of a `toolkit.research.consistency.Consistency`, every correlation matrix in full
(both triangles and the diagonal), so a pivot gives any matrix back:

- `statistic`: "correlation", "alpha", "coverage", "coverage_applicable" or "warning"
- `kind`: for a correlation "nodes" (the overall and every node), "indicators" or "indicator_node";
  "node" for alpha, "indicator" for coverage; a warning's code
- `subject`: the row's node or indicator id; None for a warning about the whole comparison
- `other`: a correlation's column id; the node holding a coverage row's indicator; else None
- `value`: Pearson r, Cronbach's alpha, or the share answered (0-1); NaN where undefined and for warnings
- `n`: the assessments behind the value: pairs with both scores for r, complete assessments for
  alpha, answers for coverage; None for warnings
- `k`: alpha, the indicators below the node; coverage, the assessments compared; coverage_applicable,
  those to which the indicator applies (answered or missing, not N/A); else None
- `message`: a warning as a sentence in the chosen language; else None

`compare_json` is the `ddmt compare --format json` object of SPEC 6 with the intervals, the
sensitivity and (when computed) the consistency merged in; `consistency_record` is that last part.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.engine.comparison import Comparison
from toolkit.engine.compiled import ANSWERED, NA, STATUS_NAMES, none_if_nan, rank
from toolkit.engine.rating import is_rated
from toolkit.engine.results import Scores
from toolkit.model.rubric import Indicator, Node, Rubric
from toolkit.research.consistency import Consistency, subject_names, warning_message
from toolkit.research.sensitivity import Sensitivity
from toolkit.research.uncertainty import Uncertainty, only_ranked, scores_of
from toolkit.safe import csv_text

IDENTITY_COLUMNS: dict[str, str] = {
    "assessment": "the assessment id",
    "ministry_id": "the ministry's id",
    "ministry": "the ministry's name",
    "iso3": "the ministry's ISO 3166 alpha-3 code, None when not given",
    "period": "the round label",
}

LONG_COLUMNS: dict[str, str] = {
    **IDENTITY_COLUMNS,
    "node": 'the node or indicator id; "overall" for the root',
    "parent": 'the id of the node above; None for the overall',
    "depth": "0 for the overall, 1 for a top-level dimension; an indicator one more than its node",
    "kind": '"overall", "dimension" or "indicator"',
    "value": "an indicator's level or metric value; NaN when missing or N/A, and for nodes",
    "confidence": 'an indicator\'s confidence ("high", "medium", "low"); None if not answered or a node',
    "score": "the claimed score, 0-100",
    "evidence_score": "the evidence-backed score, 0-100",
    "stage": "the stage id of the score; None for indicators, null scores and nodes not rated",
    "rated": "true if a stage is given, false if not rated (completeness below min_completeness); "
             "None for indicators and null scores",
    "completeness": "answered over applicable weight (0-1); an indicator 1 answered, 0 missing, NaN N/A",
    "status": '"answered", "missing" or "na"',
    "rank": "rank of the score among the compared assessments for the same node (1 = highest)",
}

WIDE_COLUMNS: dict[str, str] = {
    "rank": "the comparison rank (1 = highest, ties share the best rank)",
    **IDENTITY_COLUMNS,
    "overall": "the overall score, 0-100",
    "evidence_overall": "the evidence-backed overall score, 0-100",
    "stage": "the stage id of the overall score; None if null or not rated",
    "rated": "true if the overall has a stage, false if not rated (completeness below min_completeness); "
             "None for a null score",
    "completeness": "the overall completeness (0-1)",
}

INTERVAL_COLUMNS: dict[str, str] = {
    "overall_p05": "5th percentile of the overall score over the draws",
    "overall_p50": "median overall score over the draws",
    "overall_p95": "95th percentile of the overall score over the draws",
    "rank_p05": "5th percentile of the rank over the draws",
    "rank_p50": "median rank over the draws",
    "rank_p95": "95th percentile of the rank over the draws",
}

CONSISTENCY_COLUMNS: dict[str, str] = {
    "statistic": '"correlation", "alpha", "coverage", "coverage_applicable" or "warning"',
    "kind": 'correlation: "nodes", "indicators" or "indicator_node"; "node" (alpha), "indicator" '
            "(coverage); a warning's code",
    "subject": "the row's node or indicator id; None for a warning about the whole comparison",
    "other": "a correlation's column id; the node of a coverage row's indicator; else None",
    "value": "Pearson r, Cronbach's alpha or the share answered (0-1); NaN where undefined and for warnings",
    "n": "pairs with both scores (r), complete assessments (alpha), answers (coverage); None for warnings",
    "k": "indicators below the node (alpha); assessments compared (coverage) or applicable "
         "(coverage_applicable); else None",
    "message": "a warning as a sentence in the chosen language; else None",
}

STAGE_PREFIX = "p_"  # wide column `p_<stage id>`: the share of draws in that stage
_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def safe_name(name: str) -> str:
    """A column name safe in R and pandas: every character other than a letter, digit or `_` becomes
    `_` (`p_start-up` gives `p_start_up`), and a leading digit gets an `x` in front."""
    safe = _UNSAFE.sub("_", name)
    return "x" + safe if safe[:1].isdigit() else safe


def stage_column(stage_id: str) -> str:
    """The wide column of a stage's probability: `p_<stage id>`, made safe."""
    return safe_name(STAGE_PREFIX + stage_id)
CONFIDENCE_NAMES = ("high", "medium", "low")


def _order(source: Comparison | Scores) -> list[int]:
    """Rows by rank, ties and unranked rows in input order (the comparison's order)."""
    if isinstance(source, Comparison):
        return source.order()
    ranks = np.where(np.isnan(rank(source.overall)), np.inf, rank(source.overall)).tolist()
    return sorted(range(len(ranks)), key=lambda k: (ranks[k], source.ids[k]))


def _identity(scores: Scores) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    """(assessment, ministry_id, ministry, iso3, period) per row of the scores."""
    if scores.assessments is None:
        return [(assessment_id, None, None, None, None) for assessment_id in scores.ids]
    return [(a.id, a.ministry.id, a.ministry.name, a.ministry.iso3, a.period) for a in scores.assessments]


def _tree(source: Comparison | Scores) -> Iterator[tuple[Node | Indicator, str, int]]:
    """Every node and indicator below the root in tree order, with its parent id and depth."""
    rubric = scores_of(source).rubric

    def walk(node: Node, parent: str, depth: int) -> Iterator[tuple[Node | Indicator, str, int]]:
        yield node, parent, depth
        for child in node.dimensions:
            yield from walk(child, node.id, depth + 1)
        for indicator in node.indicators:
            yield indicator, node.id, depth + 1

    for top in rubric.dimensions:
        yield from walk(top, "overall", 1)


def long_frame(source: Comparison | Scores) -> pd.DataFrame:
    """One row per assessment x (overall, node, indicator), with the columns of `LONG_COLUMNS`."""
    scores = scores_of(source)
    c = scores.compiled
    entries = list(_tree(source))
    is_node = np.array([True] + [isinstance(item, Node) for item, _, _ in entries])
    # Per entry, its column in the node arrays or in the indicator arrays.
    position = np.array([0] + [c.node_index[item.id] if isinstance(item, Node) else c.column[item.id]
                               for item, _, _ in entries])
    order = np.array(_order(source), dtype=np.intp)
    a, r = len(order), len(position)

    def pick(node_values: np.ndarray, indicator_values: np.ndarray) -> np.ndarray:
        """rows x entries, node columns from the node array and the others from the indicator one."""
        out = np.empty((a, r), dtype=np.result_type(node_values, indicator_values))
        out[:, is_node] = node_values[order][:, position[is_node]]
        out[:, ~is_node] = indicator_values[order][:, position[~is_node]]
        return out.ravel()

    n_nodes = c.n_nodes
    indicator_stage = np.full(scores.indicator_scores.shape, -1)
    completeness = np.where(scores.indicator_status == ANSWERED, 1.0, 0.0)
    completeness[scores.indicator_status == NA] = np.nan
    stage_names = np.array([*c.stage_ids, None], dtype=object)
    confidence = np.array([*CONFIDENCE_NAMES, None], dtype=object)
    conf_codes = np.where(scores.indicator_status == ANSWERED,
                          np.clip(scores.matrix.confidence.astype(np.intp), 0, 2), 3)
    node_ranks = rank(scores.node_scores.T).T
    # the overall's rank is the comparison's: rounds below min_completeness have none (SPEC 11)
    node_ranks[:, 0] = source.ranks if isinstance(source, Comparison) else rank(
        only_ranked(scores.overall, scores.overall_rated))
    indicator_ranks = rank(scores.indicator_scores.T).T
    identity = _identity(scores)
    frame = pd.DataFrame({
        name: np.repeat(np.array([identity[k][i] for k in order], dtype=object), r)
        for i, name in enumerate(IDENTITY_COLUMNS)
    })
    frame["node"] = np.tile(np.array(["overall"] + [item.id for item, _, _ in entries], dtype=object), a)
    frame["parent"] = np.tile(np.array([None] + [p for _, p, _ in entries], dtype=object), a)
    frame["depth"] = np.tile(np.array([0] + [d for _, _, d in entries], dtype=np.int64), a)
    kinds = ["overall"] + ["dimension" if isinstance(item, Node) else "indicator" for item, _, _ in entries]
    frame["kind"] = np.tile(np.array(kinds, dtype=object), a)
    frame["value"] = pick(np.full((len(scores), n_nodes), np.nan), scores.matrix.values)
    frame["confidence"] = confidence[pick(np.full((len(scores), n_nodes), 3), conf_codes)]
    frame["score"] = pick(scores.node_scores, scores.indicator_scores)
    frame["evidence_score"] = pick(scores.node_evidence_scores, scores.indicator_evidence_scores)
    frame["stage"] = stage_names[pick(scores.node_stage_index, indicator_stage)]
    frame["rated"] = _rated_cells(pick(scores.node_rated, np.zeros(scores.indicator_scores.shape, dtype=bool)),
                                  pick(np.isnan(scores.node_scores), np.ones(scores.indicator_scores.shape, dtype=bool)))
    frame["completeness"] = pick(scores.node_completeness, completeness)
    frame["status"] = np.array(STATUS_NAMES, dtype=object)[pick(scores.node_status,
                                                                scores.indicator_status)]
    frame["rank"] = pd.array(_as_int(pick(node_ranks, indicator_ranks)), dtype="Int64")
    return frame[list(LONG_COLUMNS)]


def _rated_cells(rated: np.ndarray, unscored: np.ndarray) -> pd.Series:
    """True / False where a score exists (was a stage given?), <NA> elsewhere: a nullable boolean."""
    return pd.Series(pd.array([None if empty else bool(flag) for flag, empty in
                               zip(rated.tolist(), unscored.tolist(), strict=True)], dtype="boolean"))


def _as_int(values: np.ndarray) -> list[int | None]:
    return [None if v != v else int(v) for v in values.tolist()]


def wide_frame(source: Comparison | Scores, uncertainty: Uncertainty | None = None, *,
               indicators: bool = False) -> pd.DataFrame:
    """One row per assessment: ids, overall, stage, rank, [intervals], then each node's score."""
    scores = scores_of(source)
    c = scores.compiled
    order = _order(source)
    ranks = source.ranks if isinstance(source, Comparison) else rank(only_ranked(scores.overall,
                                                                                     scores.overall_rated))
    identity = _identity(scores)
    stages = scores.node_stage_index[:, 0]
    data: dict[str, Any] = {
        "rank": pd.array(_as_int(ranks[order]), dtype="Int64"),
        **{name: [identity[k][i] for k in order] for i, name in enumerate(IDENTITY_COLUMNS)},
        "overall": scores.overall[order],
        "evidence_overall": scores.overall_evidence[order],
        "stage": [c.stage_ids[stages[k]] if stages[k] >= 0 else None for k in order],
        "rated": _rated_cells(scores.overall_rated[order], np.isnan(scores.overall[order])).array,
        "completeness": scores.overall_completeness[order],
    }
    if uncertainty is not None:
        for j, suffix in enumerate(("p05", "p50", "p95")):
            data[f"overall_{suffix}"] = uncertainty.overall_percentiles[order, j]
            data[f"rank_{suffix}"] = uncertainty.rank_percentiles[order, j]
        data = {key: data[key] for key in [*WIDE_COLUMNS, *INTERVAL_COLUMNS]}
        for j, stage_id in enumerate(uncertainty.stage_ids):
            data[stage_column(stage_id)] = uncertainty.stage_probability[order, j]
    for k in c.rubric_node_order:
        data[_free(data, c.node_ids[k], "node")] = scores.node_scores[order, k]
    if indicators:
        for column, indicator_id in enumerate(c.indicator_ids):
            data[_free(data, indicator_id, "indicator")] = scores.indicator_scores[order, column]
    return pd.DataFrame(data)


def _free(data: Mapping[str, Any], item_id: str, kind: str) -> str:
    """The wide column of a node or indicator: its id made safe, `<kind>_<id>` if that is taken."""
    name = safe_name(item_id)
    if name in data:
        name = safe_name(f"{kind}_{item_id}")
    while name in data:
        name += "_"
    return name


def to_csv(frame: pd.DataFrame) -> str:
    """CSV text of a tidy frame: empty cells for nulls, formula triggers neutralised (SPEC 10)."""
    rows = ([_plain(value) for value in row] for row in frame.itertuples(index=False, name=None))
    return csv_text([str(name) for name in frame.columns], rows)


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a tidy frame as Parquet (pyarrow), without the index; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, engine="pyarrow", index=False)
    return path


def interval_records(uncertainty: Uncertainty) -> list[dict[str, Any]]:
    """Per assessment (input order): `overall_p05/p50/p95`, `rank_p05/p50/p95`, `stage_probability`."""
    return uncertainty.records()


def sensitivity_record(sensitivity: Sensitivity) -> dict[str, Any]:
    """`{"depth", "leave_one_out": {node_id: mac}, "sobol": {input: {first, total, first_ci,
    total_ci}}, settings}` for the compare JSON."""
    return sensitivity.to_dict()


def compare_json(comparison: Comparison, uncertainty: Uncertainty | None = None,
                 sensitivity: Sensitivity | None = None, consistency: Consistency | None = None, *,
                 lang: str = "en") -> dict[str, Any]:
    """`Comparison.to_dict()` with the intervals merged into each assessment and the sensitivity set.

    With an uncertainty result each assessment gains `overall_p05/p50/p95`, `rank_p05/p50/p95` and
    `stage_probability`, and the object gains `uncertainty` (draws, seed, spread, switch); with a
    sensitivity result `sensitivity` holds it (it is null otherwise, as in SPEC 6); with a
    consistency result, `consistency` holds `consistency_record(consistency, lang)`.
    """
    data = comparison.to_dict()
    if uncertainty is not None:
        if len(uncertainty.assessment_ids) != len(comparison.assessments):
            raise ValueError("the uncertainty result belongs to another comparison")
        records = uncertainty.records()
        for k, row in zip(comparison.order(), data["assessments"], strict=True):
            row.update(records[k])
        data["uncertainty"] = uncertainty.settings()
    if sensitivity is not None:
        data["sensitivity"] = sensitivity.to_dict()
    if consistency is not None:
        data["consistency"] = consistency_record(consistency, lang)
    return data


def _matrix(values: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    return {str(row): {str(column): none_if_nan(float(v)) for column, v in line.items()}
            for row, line in values.iterrows()}


def _counts(values: pd.DataFrame | None) -> dict[str, dict[str, int]]:
    if values is None:
        return {}
    return {str(row): {str(column): int(v) for column, v in line.items()} for row, line in values.iterrows()}


def consistency_record(result: Consistency, lang: str = "en") -> dict[str, Any]:
    """The `consistency` object of `ddmt compare --consistency --format json`.

    `{assessments, periods, settings {alpha_threshold, min_share, min_count, min_pairs},
    alpha {node: {alpha, assessments, indicators, depth}}, correlations {nodes, indicators,
    indicator_nodes} (each `{row id: {column id: r}}`), pairs (the same shapes, the assessments with
    both scores), coverage {indicator: {node, answered, missing, na, coverage, coverage_applicable}},
    warnings [{code, subject, message, values}]}`; null where undefined; `message` in `lang`.
    """
    names = subject_names(result.rubric, lang)
    return {
        "assessments": int(result.assessments),
        "periods": list(result.periods),
        "settings": dict(result.settings),
        "alpha": {row.node: {"alpha": none_if_nan(float(row.alpha)), "assessments": int(row.assessments),
                             "indicators": int(row.indicators), "depth": int(row.depth)}
                  for row in result.alpha.itertuples(index=False)},
        "correlations": {"nodes": _matrix(result.node_correlations),
                         "indicators": _matrix(result.indicator_correlations),
                         "indicator_nodes": _matrix(result.indicator_node_correlations)},
        "pairs": {"nodes": _counts(result.node_pairs), "indicators": _counts(result.indicator_pairs),
                  "indicator_nodes": _counts(result.indicator_node_pairs)},
        "coverage": {row.indicator: {"node": row.node, "answered": int(row.answered),
                                     "missing": int(row.missing), "na": int(row.na),
                                     "coverage": none_if_nan(float(row.coverage)),
                                     "coverage_applicable": none_if_nan(float(row.coverage_applicable))}
                     for row in result.coverage.itertuples(index=False)},
        "warnings": [{"code": w.code, "subject": w.subject,
                      "message": warning_message(w.code, w.subject, dict(w.values), lang, names),
                      "values": dict(w.values)} for w in result.warnings],
    }


def consistency_frame(result: Consistency, lang: str = "en") -> pd.DataFrame:
    """One row per consistency statistic, with the columns of `CONSISTENCY_COLUMNS`."""
    rows: list[tuple[Any, ...]] = []
    matrices = (("nodes", result.node_correlations, result.node_pairs),
                ("indicators", result.indicator_correlations, result.indicator_pairs),
                ("indicator_node", result.indicator_node_correlations, result.indicator_node_pairs))
    for kind, values, pairs in matrices:
        for row, line in values.iterrows():
            for column, r in line.items():
                n = None if pairs is None else int(pairs.loc[row, column])
                rows.append(("correlation", kind, row, column, float(r), n, None, None))
    for item in result.alpha.itertuples(index=False):
        rows.append(("alpha", "node", item.node, None, float(item.alpha), int(item.assessments),
                     int(item.indicators), None))
    for item in result.coverage.itertuples(index=False):
        applicable = int(item.answered + item.missing)
        rows.append(("coverage", "indicator", item.indicator, item.node, float(item.coverage),
                     int(item.answered), int(result.assessments), None))
        rows.append(("coverage_applicable", "indicator", item.indicator, item.node,
                     float(item.coverage_applicable), int(item.answered), applicable, None))
    names = subject_names(result.rubric, lang)
    for w in result.warnings:
        rows.append(("warning", w.code, w.subject, None, np.nan, None, None,
                     warning_message(w.code, w.subject, dict(w.values), lang, names)))
    frame = pd.DataFrame(rows, columns=list(CONSISTENCY_COLUMNS))
    for name in ("n", "k"):
        frame[name] = pd.array(frame[name].tolist(), dtype="Int64")
    frame["value"] = frame["value"].astype(float)
    return frame


__all__ = [
    "CONSISTENCY_COLUMNS", "INTERVAL_COLUMNS", "LONG_COLUMNS", "STAGE_PREFIX", "WIDE_COLUMNS",
    "compare_json", "consistency_frame", "consistency_record", "interval_records", "long_frame",
    "safe_name", "sensitivity_record", "stage_column", "to_csv", "wide_frame", "write_parquet",
]


SCORE_COLUMNS = ("assessment", "ministry_id", "ministry", "iso3", "period", "node", "depth", "score",
                 "evidence_score", "stage", "rated", "completeness", "status")


def _rated_value(item: Mapping[str, Any], rubric: Rubric) -> bool | None:
    """A score record's node: was a stage given (False: "not rated" by the completeness rule)? None without a score."""
    if item["score"] is None:
        return None
    return item["stage"] is not None or is_rated(rubric, item["completeness"])


def score_csv(records: Sequence[dict], rubric_of: Mapping[str, Rubric]) -> str:
    """Tidy scores, one row per assessment and node (overall first): `ddmt score --format csv` and the app."""
    rows = []
    for record in records:
        rubric = rubric_of[record["assessment"]]
        ministry = record["ministry"]
        head = [record["assessment"], ministry["id"], ministry["name"], ministry.get("iso3"), record["period"]]
        overall = record["overall"]
        rows.append(head + ["overall", 0, overall["score"], overall["evidence_score"], overall["stage"],
                            _rated_value(overall, rubric), overall["completeness"], None])
        for node, depth in rubric.nodes():
            item = record["nodes"][node.id]
            rows.append(head + [node.id, depth, item["score"], item["evidence_score"], item["stage"],
                                _rated_value(item, rubric), item["completeness"], item["status"]])
    return csv_text(SCORE_COLUMNS, rows)
