"""The normative formulas of SPEC section 4, vectorised over assessments.

A rubric is compiled once into arrays (`toolkit.engine.compiled`). Assessments become a `LevelMatrix`,
and `score_matrix` scores the whole matrix with one matrix product for the indicators and a few small
ones per tree depth: no Python loop per assessment or per answer. Nulls are NaN inside;
`Scores.to_records` turns them into None.

Gates (SPEC 11) cap a node right after it is aggregated, inside the same roll-up: one masked minimum
per depth, one vectorised step per gate.

The names of `toolkit.engine.compiled` that callers of the scoring used to find here (`compile_rubric`,
`to_matrix`, `rank`, the status codes ...) are re-exported, so `from toolkit.engine.scoring import
compile_rubric` keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from toolkit.engine.compiled import (
    ANSWERED,
    CONFIDENCE_CODES,
    MISSING,
    NA,
    NORMALISATIONS,
    ROOT_ID,
    STATUS_NAMES,
    TOLERANCE,
    CompiledRubric,
    LevelMatrix,
    _column_scores,
    _roll_up,
    _terms,
    _weight_without,
    compile_rubric,
    gate_caps,
    gates_triggered,
    metric_bounds,
    metric_scores,
    none_if_nan,
    rank,
    resolve_normalisation,
    stage_index,
    to_matrix,
)
from toolkit.engine.results import Scores
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric

__all__ = ["ANSWERED", "CONFIDENCE_CODES", "MISSING", "NA", "NORMALISATIONS", "ROOT_ID", "STATUS_NAMES",
           "TOLERANCE", "CompiledRubric", "LevelMatrix", "Scores", "compile_rubric", "metric_bounds",
           "metric_scores", "none_if_nan", "rank", "resolve_normalisation", "score", "score_matrix",
           "stage_index", "to_matrix"]


def score_matrix(compiled: CompiledRubric, matrix: LevelMatrix | np.ndarray,
                 normalisation: str | None = None, *,
                 meta: Sequence[Assessment] | None = None) -> Scores:
    """Score every assessment of a level matrix (or a bare array) at once, vectorised over rows.

    Only the claimed node scores are computed here; indicator scores, evidence-backed scores and
    completeness follow on first access, so callers that rank many draws pay for none of them.
    """
    if not isinstance(matrix, LevelMatrix):
        matrix = LevelMatrix.from_values(matrix)
    mode = resolve_normalisation(compiled.rubric, normalisation)
    values = matrix.values
    if values.ndim != 2 or values.shape[1] != compiled.n_indicators:
        raise ValueError(f"the matrix has shape {values.shape}, the rubric "
                         f"{compiled.n_indicators} indicators")
    if meta is not None and len(meta) != values.shape[0]:  # a score must never be read as another's
        raise ValueError(f"{len(meta)} assessments for a matrix of {values.shape[0]} rows")
    low, high = metric_bounds(compiled, values, mode)
    missing = np.isnan(values)
    complete = not missing.any()
    # fmax turns NaN into 0 (levels are never negative); the denominators leave those weights out.
    numer = compiled.plain_weights_t @ (values if complete else np.fmax(values, 0.0)).T
    special = compiled.special_columns
    if len(special):
        scores = _column_scores(compiled, values[:, special], special, low, high)
        numer += compiled.special_weights_t @ _terms(scores.T, compiled.special_geometric)
    denom = None if complete else _weight_without(compiled, missing)
    # A rubric without gates pays nothing for them (the benchmark's bare-numpy ratio is tight).
    triggered = gates_triggered(compiled, values[:, compiled.gate_columns]) if compiled.gate_ids else None
    caps = None if triggered is None else gate_caps(compiled, triggered)
    node_scores, scored = _roll_up(compiled, numer, denom, caps=caps)
    result = Scores(compiled=compiled, matrix=matrix, normalisation=mode, node_major=node_scores,
                    scored_major=scored, metric_low=low, metric_high=high,
                    assessments=None if meta is None else tuple(meta))
    if triggered is not None:
        result._cache["gates_claimed"] = triggered
    if denom is not None:
        result._cache["indicator_weight"] = denom
    return result


def score(rubric: Rubric, assessments: Sequence[Assessment], normalisation: str | None = None) -> Scores:
    """Score parsed assessments against a rubric: compile (cached), build the matrix, score it."""
    compiled = compile_rubric(rubric)
    return score_matrix(compiled, to_matrix(compiled, assessments), normalisation, meta=assessments)
