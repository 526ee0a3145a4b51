"""The compiled rubric and the level matrix: the arrays SPEC section 4's formulas run on.

A rubric is compiled once into arrays (`compile_rubric`, cached per rubric object); assessments become
a `LevelMatrix` (`to_matrix`). The pieces of the formulas that `toolkit.engine.scoring` (which scores a
matrix) and `toolkit.engine.results` (which derives indicator scores, evidence-backed scores and
completeness on demand) both need live here, below both, so neither imports the other's caller:
column scores, the roll-up by tree depth, stages and ranks. Nulls are NaN inside.

Inside, node arrays are node-major (nodes x assessments) and nodes are numbered breadth-first, so
each depth is one contiguous block of rows; `Scores` shows them as assessments x nodes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np

from toolkit.errors import ComparisonError
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Indicator, Node, Rubric

ROOT_ID = "overall"


TOLERANCE = 1e-9


NORMALISATIONS = ("goalposts", "minmax")


CONFIDENCE_CODES = {"high": 0, "medium": 1, "low": 2, None: 1}


STATUS_NAMES = ("answered", "missing", "na")  # the codes of the status arrays


ANSWERED, MISSING, NA = 0, 1, 2


@dataclass(frozen=True, eq=False)
class DepthStep:
    """The nodes of one depth (rows lo:hi) and their child nodes (rows kid_lo:kid_hi)."""

    lo: int
    hi: int
    kid_lo: int
    kid_hi: int
    child_weights: np.ndarray  # (hi - lo) x (kid_hi - kid_lo): w of the child under its parent
    child_geometric: np.ndarray  # child rows (relative) whose parent is geometric
    geometric: np.ndarray  # node rows (relative) that aggregate geometrically
    full_weight: np.ndarray  # (hi - lo, 1): every child's weight, the denominator when all answer


@dataclass(frozen=True, eq=False)
class CompiledRubric:
    """A rubric flattened into arrays: indicators in rubric order, nodes breadth-first, root 0."""

    rubric: Rubric
    indicators: tuple[Indicator, ...]
    indicator_ids: tuple[str, ...]
    column: dict[str, int]
    nodes: tuple[Node, ...]
    node_ids: tuple[str, ...]
    node_index: dict[str, int]
    rubric_node_order: tuple[int, ...]  # the non-root nodes in Rubric.nodes() order
    node_parent: np.ndarray  # -1 for the root
    node_depth: np.ndarray  # 0 for the root
    node_weight: np.ndarray
    node_geometric: np.ndarray
    indicator_parent: np.ndarray
    indicator_weight: np.ndarray
    is_metric: np.ndarray
    direction: np.ndarray
    goal_low: np.ndarray  # NaN where the metric has no goalposts (and for level indicators)
    goal_high: np.ndarray
    max_level: int
    stage_ids: tuple[str, ...]
    stage_thresholds: np.ndarray
    top_level: np.ndarray  # node indices of the top-level dimensions
    # hot-path precomputations
    metric_columns: np.ndarray
    level_factor: float  # 100 / L
    cap_score: float | None  # 100 * unsupported_cap / L
    weights_t: np.ndarray  # M x n: w_i in the row of the indicator's parent
    geometric_columns: np.ndarray  # indicators whose parent aggregates geometrically
    plain_weights_t: np.ndarray  # M x n: (100 / L) * w_i for plain columns, 0 for special ones
    special_columns: np.ndarray  # metrics and children of geometric nodes: scored on their own
    special_weights_t: np.ndarray  # M x len(special)
    special_geometric: np.ndarray  # positions in special_columns under geometric nodes
    count_weights_t: np.ndarray  # weights_t, as float32 when that sums answered weights exactly
    node_full_weight: np.ndarray  # M: every child's weight, the denominator when all answer
    steps: tuple[DepthStep, ...]  # deepest first, the root last
    # gates (SPEC 11), in rubric order: the indicator column each watches, the level it needs, the
    # node row it caps and the cap
    gate_ids: tuple[str, ...]
    gate_columns: np.ndarray
    gate_min_levels: np.ndarray
    gate_nodes: np.ndarray
    gate_caps: np.ndarray

    @property
    def n_indicators(self) -> int:
        """n, the number of indicator columns."""
        return len(self.indicators)

    @property
    def n_nodes(self) -> int:
        """M, the number of nodes including the root."""
        return len(self.nodes)


def compile_rubric(rubric: Rubric) -> CompiledRubric:
    """Flatten a rubric into arrays once, so scoring many batches pays the tree walk only once."""
    # Kept on the rubric itself (a frozen dataclass: set past its __setattr__), so the arrays live
    # exactly as long as the rubric. A module dict keyed by id() kept every rubric alive for good:
    # the compiled form refers to its rubric, so the weak reference never died. A copy of a rubric
    # carries the attribute along, hence the identity check.
    cached = rubric.__dict__.get("_compiled")
    if cached is not None and cached.rubric is rubric:
        return cached
    compiled = _compile(rubric)
    object.__setattr__(rubric, "_compiled", compiled)
    return compiled



def _compile(rubric: Rubric) -> CompiledRubric:
    # Walk depth-first (rubric order), then renumber nodes breadth-first.
    walk_nodes: list[tuple[Node, int, int]] = [(rubric.root, -1, 0)]  # node, parent, depth
    indicators: list[Indicator] = []
    walk_parent: list[int] = []

    def walk(node: Node, index: int, depth: int) -> None:
        # Same order as Rubric.indicators(): child nodes first, then the node's own indicators.
        for child in node.dimensions:
            walk_nodes.append((child, index, depth + 1))
            walk(child, len(walk_nodes) - 1, depth + 1)
        indicators.extend(node.indicators)
        walk_parent.extend([index] * len(node.indicators))

    walk(rubric.root, 0, 0)
    order = sorted(range(len(walk_nodes)), key=lambda k: (walk_nodes[k][2], k))
    renumber = {old: new for new, old in enumerate(order)}
    renumber[-1] = -1
    nodes = [walk_nodes[k][0] for k in order]
    n, m = len(indicators), len(nodes)
    node_parent = np.array([renumber[walk_nodes[k][1]] for k in order], dtype=np.intp)
    node_depth = np.array([walk_nodes[k][2] for k in order], dtype=np.intp)
    node_weight = np.array([1.0] + [node.weight for node in nodes[1:]])
    node_geometric = np.array([node.aggregation == "geometric" for node in nodes], dtype=bool)
    indicator_parent = np.array([renumber[k] for k in walk_parent], dtype=np.intp)
    indicator_weight = np.array([ind.weight for ind in indicators], dtype=float)
    is_metric = np.array([ind.is_metric for ind in indicators], dtype=bool)
    goal_low = np.array([ind.goalposts[0] if ind.is_metric and ind.goalposts else math.nan
                         for ind in indicators], dtype=float)
    goal_high = np.array([ind.goalposts[1] if ind.is_metric and ind.goalposts else math.nan
                          for ind in indicators], dtype=float)
    max_level = rubric.max_level
    factor = 100.0 / max_level

    weights_t = np.zeros((m, n))
    weights_t[indicator_parent, np.arange(n)] = indicator_weight
    full_weight = weights_t.sum(axis=1)
    np.add.at(full_weight, node_parent[1:], node_weight[1:])
    steps = []
    for depth in range(int(node_depth.max()), -1, -1):
        lo, hi = np.flatnonzero(node_depth == depth)[[0, -1]] + (0, 1)
        kids = np.flatnonzero(node_depth == depth + 1)
        kid_lo, kid_hi = (int(kids[0]), int(kids[-1]) + 1) if len(kids) else (hi, hi)
        child_weights = np.zeros((hi - lo, kid_hi - kid_lo))
        child_weights[node_parent[kids] - lo, kids - kid_lo] = node_weight[kids]
        steps.append(DepthStep(
            lo=int(lo), hi=int(hi), kid_lo=kid_lo, kid_hi=kid_hi, child_weights=child_weights,
            child_geometric=np.flatnonzero(node_geometric[node_parent[kids]]),
            geometric=np.flatnonzero(node_geometric[lo:hi]),
            full_weight=full_weight[lo:hi, None].copy(),
        ))
    # "Plain" columns (levels under arithmetic nodes) are linear in the level, so 100 / L folds into
    # their weights and one product over the raw matrix sums them all; the few "special" columns
    # (metrics, children of geometric nodes) are transformed first.
    special = np.flatnonzero(is_metric | node_geometric[indicator_parent])
    plain_weights_t = weights_t * factor
    plain_weights_t[:, special] = 0.0
    cap = rubric.unsupported_cap
    node_index = {node.id: k for k, node in enumerate(nodes)}
    column = {ind.id: k for k, ind in enumerate(indicators)}
    return CompiledRubric(
        rubric=rubric,
        indicators=tuple(indicators),
        indicator_ids=tuple(ind.id for ind in indicators),
        column=column,
        nodes=tuple(nodes),
        node_ids=tuple(node.id for node in nodes),
        node_index=node_index,
        rubric_node_order=tuple(node_index[node.id] for node, _ in rubric.nodes()),
        node_parent=node_parent,
        node_depth=node_depth,
        node_weight=node_weight,
        node_geometric=node_geometric,
        indicator_parent=indicator_parent,
        indicator_weight=indicator_weight,
        is_metric=is_metric,
        direction=np.array([ind.direction if ind.is_metric else 1 for ind in indicators], dtype=float),
        goal_low=goal_low,
        goal_high=goal_high,
        max_level=max_level,
        stage_ids=tuple(stage.id for stage in rubric.stages),
        stage_thresholds=np.array([stage.min_score for stage in rubric.stages], dtype=float),
        top_level=np.flatnonzero(node_depth == 1),
        metric_columns=np.flatnonzero(is_metric),
        level_factor=factor,
        cap_score=None if cap is None else factor * min(cap, max_level),
        weights_t=weights_t,
        geometric_columns=np.flatnonzero(node_geometric[indicator_parent]),
        plain_weights_t=plain_weights_t,
        special_columns=special,
        special_weights_t=np.ascontiguousarray(weights_t[:, special]),
        special_geometric=np.flatnonzero(node_geometric[indicator_parent[special]]),
        count_weights_t=weights_t.astype(np.float32) if _float32_exact(weights_t) else weights_t,
        node_full_weight=full_weight,
        steps=tuple(steps),
        gate_ids=tuple(gate.id for gate in rubric.gates),
        gate_columns=np.array([column[gate.indicator] for gate in rubric.gates], dtype=np.intp),
        gate_min_levels=np.array([gate.min_level for gate in rubric.gates], dtype=float),
        gate_nodes=np.array([node_index[gate.node] for gate in rubric.gates], dtype=np.intp),
        gate_caps=np.array([gate.cap for gate in rubric.gates], dtype=float),
    )



def _float32_exact(weights: np.ndarray) -> bool:
    """True when every sum of these weights is exact in float32 (all multiples of one 2^-e, small).

    Summing answered weights is then exact in single precision, which halves the memory the
    answered-mask product reads without changing a single bit of the result.
    """
    for e in range(11):
        scaled = weights * 2.0 ** e
        if np.array_equal(scaled, np.round(scaled)):
            return bool(scaled.sum(axis=1).max(initial=0.0) < 2.0 ** 24)
    return False


@dataclass(frozen=True, eq=False)
class LevelMatrix:
    """Answers as arrays, one row per assessment and one column per indicator (rubric order).

    `values` holds the level (level indicators) or the raw value (metrics), NaN where missing or N/A;
    `na` marks N/A; `targets` is NaN when unset; `confidence` codes are 0 high, 1 medium, 2 low.
    """

    values: np.ndarray
    na: np.ndarray
    has_evidence: np.ndarray
    targets: np.ndarray
    confidence: np.ndarray

    def __post_init__(self) -> None:
        shapes = {a.shape for a in (self.values, self.na, self.has_evidence, self.targets,
                                    self.confidence)}
        if len(shapes) != 1 or self.values.ndim != 2:
            raise ValueError(f"a level matrix needs five arrays of one 2-D shape, not {shapes}")
        if np.isinf(self.values).any():
            raise ValueError("a level matrix holds finite values or NaN, not infinity")
        # An N/A answer must never contribute a value, whoever built the arrays.
        if self.na.any() and not np.isnan(self.values[self.na]).all():
            object.__setattr__(self, "values", np.where(self.na, np.nan, self.values))

    @property
    def shape(self) -> tuple[int, int]:
        """(assessments, indicators)."""
        return self.values.shape  # type: ignore[return-value]

    @classmethod
    def from_values(cls, values: np.ndarray, *, na: np.ndarray | None = None,
                    has_evidence: np.ndarray | None = None) -> LevelMatrix:
        """Wrap a bare level/value matrix (research data, benchmarks).

        No targets, medium confidence, and evidence everywhere unless `has_evidence` says otherwise,
        so the evidence cap only bites where the caller asks for it.
        """
        values = np.asarray(values, dtype=float)
        shape = values.shape
        return cls(
            values=values,
            na=np.zeros(shape, dtype=bool) if na is None else np.asarray(na, dtype=bool),
            has_evidence=(np.ones(shape, dtype=bool) if has_evidence is None
                          else np.asarray(has_evidence, dtype=bool)),
            targets=np.full(shape, np.nan),
            confidence=np.ones(shape, dtype=np.int8),
        )


_ANSWER_FIELDS = ("level", "value", "na", "target", "confidence", "evidence")


_GETTERS = tuple(attrgetter(name) for name in _ANSWER_FIELDS)



def to_matrix(compiled: CompiledRubric, assessments: Sequence[Assessment]) -> LevelMatrix:
    """Turn parsed assessments into a LevelMatrix (the parsing side; the hot path never sees objects)."""
    column = compiled.column
    rows: list[int] = []
    cols: list[int] = []
    # One flat list per answer field, filled with C-level map(): no tuple per answer, which keeps
    # the garbage collector quiet over hundreds of thousands of answers.
    fields: tuple[list[Any], ...] = tuple([] for _ in _ANSWER_FIELDS)
    pairs = tuple(zip(_GETTERS, fields))
    for row, assessment in enumerate(assessments):
        answers = assessment.answers
        try:
            cols.extend([column[key] for key in answers])
        except KeyError as exc:
            raise ComparisonError(
                f"{_where(assessment)}: $.answers: unknown indicator {exc.args[0]!r} "
                f"(rubric {compiled.rubric.id} {compiled.rubric.version})") from None
        rows.extend([row] * len(answers))
        answer_objects = answers.values()
        for getter, values in pairs:
            values.extend(map(getter, answer_objects))
    shape = (len(assessments), compiled.n_indicators)
    values = np.full(shape, np.nan)
    na = np.zeros(shape, dtype=bool)
    has_evidence = np.zeros(shape, dtype=bool)
    targets = np.full(shape, np.nan)
    confidence = np.ones(shape, dtype=np.int8)
    if rows:
        levels, raw, na_flags, target, conf, evidence = fields
        r = np.array(rows, dtype=np.intp)
        c = np.array(cols, dtype=np.intp)
        level_arr = np.array(levels, dtype=float)  # None becomes NaN
        raw_arr = np.array(raw, dtype=float)
        na_arr = np.array(na_flags, dtype=bool)
        metric = compiled.is_metric[c]
        _check_kinds(compiled, assessments, r, c, metric, level_arr, raw_arr, na_arr)
        chosen = np.where(metric, raw_arr, level_arr)
        chosen[na_arr] = np.nan
        values[r, c] = chosen
        na[r, c] = na_arr
        has_evidence[r, c] = np.array(list(map(bool, evidence)), dtype=bool)
        targets[r, c] = np.array(target, dtype=float)
        confidence[r, c] = np.array([CONFIDENCE_CODES.get(x, 1) for x in conf], dtype=np.int8)
    return LevelMatrix(values=values, na=na, has_evidence=has_evidence, targets=targets,
                       confidence=confidence)



def _check_kinds(compiled: CompiledRubric, assessments: Sequence[Assessment], rows: np.ndarray,
                 cols: np.ndarray, metric: np.ndarray, levels: np.ndarray, raw: np.ndarray,
                 na: np.ndarray) -> None:
    """Refuse answers the formulas cannot score (they would silently become missing or out of range)."""
    top = compiled.max_level
    with np.errstate(invalid="ignore"):
        bad_level = ~metric & ~na & (
            (np.isnan(levels) & ~np.isnan(raw))
            | (levels < 0) | (levels > top) | (np.floor(levels) != levels) & ~np.isnan(levels))
    bad_value = metric & ~na & np.isnan(raw) & ~np.isnan(levels)
    bad = np.flatnonzero(bad_level | bad_value)
    if len(bad):
        k = int(bad[0])
        indicator = compiled.indicator_ids[cols[k]]
        need = "a value" if metric[k] else f"a level from 0 to {top}"
        raise ComparisonError(f"{_where(assessments[rows[k]])}: $.answers.{indicator}: "
                              f"indicator {indicator!r} needs {need}")



def _where(assessment: Assessment) -> str:
    """How messages name an assessment: its file, else its id."""
    return assessment.source_file or assessment.id



def resolve_normalisation(rubric: Rubric, normalisation: str | None) -> str:
    """The normalisation in force: the caller's override, else the rubric's setting."""
    chosen = normalisation or rubric.normalisation or "goalposts"
    if chosen not in NORMALISATIONS:
        raise ValueError(f"normalisation must be one of {NORMALISATIONS}, not {chosen!r}")
    return chosen



def metric_bounds(compiled: CompiledRubric, values: np.ndarray,
                  normalisation: str) -> tuple[np.ndarray, np.ndarray]:
    """Low and high per metric column: the goalposts, or min/max of the answered values (minmax)."""
    cols = compiled.metric_columns
    if normalisation == "goalposts":
        low, high = compiled.goal_low[cols], compiled.goal_high[cols]
        lacking = np.flatnonzero(np.isnan(low))
        if len(lacking):
            names = ", ".join(compiled.indicator_ids[cols[k]] for k in lacking)
            raise ComparisonError(f"metric indicators without goalposts need minmax normalisation: {names}")
        return low, high
    block = values[:, cols]
    answered = ~np.isnan(block)
    low = np.where(answered, block, np.inf).min(axis=0, initial=np.inf)
    high = np.where(answered, block, -np.inf).max(axis=0, initial=-np.inf)
    none = ~answered.any(axis=0)  # no answered value: no bounds (and no score to compute)
    return np.where(none, np.nan, low), np.where(none, np.nan, high)



def metric_scores(values: np.ndarray, direction: np.ndarray, low: np.ndarray,
                  high: np.ndarray) -> np.ndarray:
    """s = 100 * clip(t, 0, 1) with t = (v - low) / (high - low), or (high - v) / (high - low) if -1."""
    # (v - anchor) * sign is exactly v - low or high - v: negation is exact in floating point.
    anchor = np.where(direction < 0, high, low)
    span = high - low
    with np.errstate(invalid="ignore", divide="ignore"):
        t = (values - anchor) * np.sign(direction) / span
        scores = 100.0 * np.minimum(np.maximum(t, 0.0), 1.0)
    equal = span == 0
    if equal.any():
        # minmax over one distinct value: every answered value is both the best and the worst.
        scores = np.where(equal & ~np.isnan(values), 100.0, scores)
    return scores



def _weight_without(compiled: CompiledRubric, excluded: np.ndarray) -> np.ndarray:
    """M x A: per node, the weight of its indicator children not excluded (missing, or N/A)."""
    weights = compiled.count_weights_t
    included = np.empty(excluded.shape, dtype=weights.dtype)
    np.logical_not(excluded, out=included)
    return (weights @ included.T).astype(np.float64, copy=False)



def _column_scores(compiled: CompiledRubric, values: np.ndarray, columns: np.ndarray,
                   low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Indicator scores of some columns (A x k): 100 * level / L, or the metric formula."""
    metric = compiled.is_metric[columns]
    if not metric.any():
        return values * compiled.level_factor
    position = np.searchsorted(compiled.metric_columns, columns[metric])
    metric_part = metric_scores(values[:, metric], compiled.direction[columns[metric]],
                                low[position], high[position])
    if metric.all():
        return metric_part
    scores = values * compiled.level_factor
    scores[:, metric] = metric_part
    return scores



def _terms(rows: np.ndarray, geometric: np.ndarray) -> np.ndarray:
    """What a parent sums per child row: s, or ln(s + 1) under a geometric parent; 0 when null."""
    terms = np.fmax(rows, 0.0)
    if len(geometric):
        terms[geometric] = np.log1p(terms[geometric])
    return terms



def evidence_levels(compiled: CompiledRubric, matrix: LevelMatrix, columns: np.ndarray) -> np.ndarray:
    """The evidence-backed levels of some level columns (A x k): min(level, cap) without evidence."""
    levels = matrix.values[:, columns]
    cap = compiled.rubric.unsupported_cap
    if cap is None:
        return levels
    return np.where(matrix.has_evidence[:, columns], levels, np.minimum(levels, float(cap)))


def gates_triggered(compiled: CompiledRubric, levels: np.ndarray) -> np.ndarray:
    """A x G: whether each gate is triggered, from the levels of the gates' columns (A x G).

    A gate is triggered by an answered level below its `min_level`; N/A and missing are NaN, and
    NaN < x is False, so they trigger nothing.
    """
    with np.errstate(invalid="ignore"):
        return levels < compiled.gate_min_levels


def gate_caps(compiled: CompiledRubric, triggered: np.ndarray) -> np.ndarray | None:
    """M x A: the lowest cap of each node's triggered gates (inf where none), or None if none is."""
    if not triggered.any():
        return None
    caps = np.full((compiled.n_nodes, triggered.shape[0]), np.inf)
    for g in range(len(compiled.gate_ids)):  # one vectorised step per gate, never per assessment
        row = caps[compiled.gate_nodes[g]]
        np.minimum(row, np.where(triggered[:, g], compiled.gate_caps[g], np.inf), out=row)
    return caps


def _roll_up(compiled: CompiledRubric, numer: np.ndarray, denom: np.ndarray | None,
             by_aggregation: bool = True, caps: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Node values from their indicators' weighted sums, one depth at a time from the deepest.

    `numer` and `denom` (M x A) hold per node the sums over its indicator children; child nodes
    join as they are finished. `numer` is consumed in place and becomes the result. `denom` None
    means every indicator is answered, so every child counts. With `by_aggregation` False every
    node is arithmetic (completeness). `caps` (M x A, from `gate_caps`) caps each node right after
    it is aggregated, before its parent takes it; NaN stays NaN. Returns the node values and, per
    node, the weight of its children that have a value.
    """
    none = np.empty(0, dtype=np.intp)
    if denom is not None:
        denom = denom.copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        for step in compiled.steps:
            num = numer[step.lo:step.hi]
            if step.kid_hi > step.kid_lo:
                child = numer[step.kid_lo:step.kid_hi]  # finished one step earlier
                geometric = step.child_geometric if by_aggregation else none
                if denom is None and not len(geometric):
                    num += step.child_weights @ child
                else:
                    num += step.child_weights @ _terms(child, geometric)
                if denom is not None:
                    denom[step.lo:step.hi] += step.child_weights @ (~np.isnan(child))
            # 0 / 0 is NaN: a node none of whose children has a value
            num /= step.full_weight if denom is None else denom[step.lo:step.hi]
            if by_aggregation and len(step.geometric):
                num[step.geometric] = np.expm1(num[step.geometric])
            if caps is not None:
                np.minimum(num, caps[step.lo:step.hi], out=num)  # minimum keeps NaN (fmin would not)
    if denom is None:
        denom = np.broadcast_to(compiled.node_full_weight[:, None], numer.shape)
    return numer, denom



def stage_index(compiled: CompiledRubric, scores: np.ndarray) -> np.ndarray:
    """Index of the last stage whose min_score <= score + 1e-9, or -1 for a null score."""
    scores = np.asarray(scores, dtype=float)
    found = np.searchsorted(compiled.stage_thresholds, scores + TOLERANCE, side="right") - 1
    return np.where(np.isnan(scores), -1, found)



def rank(scores: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray:
    """Competition ranks along the last axis: 1 is the highest, ties (within 1e-9) share the best rank.

    NaN scores get a NaN rank and do not count. Scores closer than the tolerance to the previous one
    in descending order join its rank, so a run of near-equal scores is one tie.
    """
    x = np.asarray(scores, dtype=float)
    if x.ndim == 0:
        raise ValueError("rank needs an array of scores")
    order = np.argsort(-x, axis=-1, kind="stable")  # NaN sorts last
    ordered = np.take_along_axis(x, order, axis=-1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., :-1] - ordered[..., 1:] > tolerance
    position = np.broadcast_to(np.arange(1, x.shape[-1] + 1, dtype=float), ordered.shape)
    ranked = np.maximum.accumulate(np.where(starts, position, 0.0), axis=-1)
    ranked[np.isnan(ordered)] = np.nan
    out = np.empty_like(ranked)
    np.put_along_axis(out, order, ranked, axis=-1)
    return out



def none_if_nan(value: float) -> float | None:
    """NaN (a null inside) as None (a null outside, in JSON and records)."""
    return None if value != value else value  # NaN is the only value unequal to itself
