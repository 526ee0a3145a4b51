"""Gaps, priorities and the roadmap of SPEC sections 4 and 11: what a ministry should do next, in order.

The arrays (`targets`, `gaps`, `effective_weights`, `priorities`) cover a whole batch at once (or
a slice of its rows) and are what reports and research tables use; `roadmap` turns one
assessment's row into ordered steps: first the indicators of triggered gates (they cap a score,
so nothing else pays as much), then the answers still missing (those of a gate's indicator first,
since its gate cannot be evaluated until then), then the gaps by priority.
`plan` is what people read (the app, the workbook, the reports): the real steps first, then a
missing answer of a gate's indicator on its own row, then the other missing answers as one row per
dimension ("answer the 7 remaining indicators of Security"), so a round with one dimension answered
does not bury its five steps under forty-five "answer this" rows.

A metric enters the roadmap by goalpost bands: its 0-100 score is cut into L equal bands (the
scale's levels), its gap is the target band minus its band, and its step names the value that
reaches the next band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from toolkit.engine.compiled import MISSING
from toolkit.engine.coverage import top_level_of
from toolkit.engine.results import Scores
from toolkit.model.rubric import Indicator, LevelText

ANSWER = "answer"
IMPROVE = "improve"
EVIDENCE = "evidence"  # a gate triggered only by the evidence-backed level: attach evidence
# Priorities that differ only by floating-point noise (the same shares multiplied in another order)
# count as equal, so rubric order decides between them.
_PRIORITY_DIGITS = 12


@dataclass(frozen=True)
class Step:
    """One roadmap step: answer a missing indicator, or raise an answered level by one."""

    indicator_id: str
    kind: str  # ANSWER | IMPROVE
    indicator: Indicator
    level: int | None  # the current level (None when not answered)
    target: int | None  # None for metrics
    gap: int | None
    priority: float | None
    next_level: int | None  # for a metric, the next band
    descriptor: LevelText | None  # of the next level; the caller picks a language
    # the gates on this indicator that put it first: triggered ones (IMPROVE, EVIDENCE) or, for a
    # missing answer (ANSWER), the ones it leaves unevaluated
    gates: tuple[str, ...] = ()
    value: float | None = None  # a metric's value
    next_value: float | None = None  # the value that reaches a metric's next band


@dataclass(frozen=True)
class AnswerGroup:
    """The indicators of one top-level dimension still to answer, as one roadmap row."""

    dimension_id: str
    position: int  # of the dimension among the rubric's top-level dimensions (0..D-1)
    indicators: tuple[Indicator, ...]  # in rubric order

    @property
    def count(self) -> int:
        return len(self.indicators)


def targets(scores: Scores, rows: slice = slice(None)) -> np.ndarray:
    """A x n target levels: the answer's, else the rubric's default target, else L (NaN for metrics)."""
    compiled = scores.compiled
    rubric = compiled.rubric
    fallback = rubric.default_target if rubric.default_target is not None else compiled.max_level
    own = scores.matrix.targets[rows]
    chosen = np.where(np.isnan(own), float(fallback), own)
    return np.where(compiled.is_metric, np.nan, chosen)


def gaps(scores: Scores, rows: slice = slice(None)) -> np.ndarray:
    """A x n gaps: target minus level, floored at 0, for answered level indicators (else NaN)."""
    levels = np.where(scores.compiled.is_metric, np.nan, scores.matrix.values[rows])
    return np.maximum(targets(scores, rows) - levels, 0.0)  # NaN stays NaN: missing and N/A


def effective_weights(scores: Scores, rows: slice = slice(None)) -> np.ndarray:
    """A x n share of each answered indicator in the overall score (NaN when it has no score).

    The product along the path indicator -> root of w / (sum of w of the siblings with a score),
    so N/A and missing siblings hand their share to the others, exactly as the score does.
    """
    c = scores.compiled
    scored = scores.scored_major[:, rows]  # M x A
    share = np.empty(scored.shape)
    share[0] = 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        for step in reversed(c.steps[:-1]):  # top-level dimensions first; the root is set above
            parent = c.node_parent[step.lo:step.hi]
            share[step.lo:step.hi] = (share[parent] * c.node_weight[step.lo:step.hi, None]
                                      / scored[parent])
        parent = c.indicator_parent
        weight = share[parent] * c.indicator_weight[:, None] / scored[parent]
    unscored = np.isnan(scores.matrix.values[rows])  # missing or N/A
    return np.where(unscored, np.nan, weight.T)


def priorities(scores: Scores, rows: slice = slice(None)) -> np.ndarray:
    """A x n priority = gap * effective weight, for answered level indicators (else NaN)."""
    return gaps(scores, rows) * effective_weights(scores, rows)


def metric_bands(scores: Scores, rows: slice = slice(None)) -> np.ndarray:
    """A x n: the goalpost band (0..L) of each answered metric's score, NaN elsewhere."""
    c = scores.compiled
    band = np.floor(scores.indicator_scores[rows] * c.max_level / 100.0 + 1e-9)
    return np.where(c.is_metric, np.minimum(band, c.max_level), np.nan)


def band_value(scores: Scores, column: int, band: int) -> float:
    """The value at which a metric's score reaches `band` (0..L), from the goalposts in use."""
    c = scores.compiled
    position = int(np.searchsorted(c.metric_columns, column))
    low, high = float(scores.metric_low[position]), float(scores.metric_high[position])
    share = band / c.max_level
    return high - share * (high - low) if c.direction[column] < 0 else low + share * (high - low)


def _gate_order(scores: Scores, index: int, on: np.ndarray | None = None) -> dict[int, tuple[str, ...]]:
    """Indicator column -> its gates flagged in `on` (default: triggered, claimed or evidence-backed), lowest cap first."""
    c = scores.compiled
    if on is None:
        on = scores.gates_claimed[index] | scores.gates_evidence[index]
    found: dict[int, list[int]] = {}
    for g in sorted(np.flatnonzero(on).tolist(), key=lambda g: (c.gate_caps[g], c.gate_columns[g], g)):
        found.setdefault(int(c.gate_columns[g]), []).append(g)
    return {column: tuple(c.gate_ids[g] for g in gates) for column, gates in found.items()}


def roadmap(scores: Scores, index: int) -> list[Step]:
    """The ordered steps for one assessment: triggered gates, missing answers, then gaps by priority."""
    c = scores.compiled
    row = slice(index, index + 1 if index != -1 else None)  # one row, without the whole batch
    status = scores.indicator_status[index]
    levels = scores.matrix.values[index]
    target = targets(scores, row)[0]
    gap = gaps(scores, row)[0]
    weight = effective_weights(scores, row)[0]
    fallback = c.rubric.default_target if c.rubric.default_target is not None else c.max_level
    band = metric_bands(scores, row)[0]
    band_gap = np.maximum(fallback - band, 0.0)  # NaN for level indicators
    gap = np.where(c.is_metric, band_gap, gap)
    priority = gap * weight
    steps = []
    gated = _gate_order(scores, index)
    claimed = set(np.flatnonzero(scores.gates_claimed[index]).tolist())
    for k, gate_ids in gated.items():
        indicator = c.indicators[k]
        level = int(levels[k])
        below = any(c.gate_ids.index(g) in claimed for g in gate_ids)
        steps.append(Step(
            indicator_id=indicator.id, kind=IMPROVE if below else EVIDENCE, indicator=indicator,
            level=level, target=int(target[k]), gap=int(gap[k]), priority=float(priority[k]),
            next_level=level + 1 if below else level,
            descriptor=indicator.levels.get(level + 1 if below else level), gates=gate_ids))
    # Missing answers in rubric order, except that a critical control (a gate's indicator) comes first:
    # until it is answered its gate cannot be evaluated (SPEC 11), so it is the answer worth most.
    unchecked = _gate_order(scores, index, scores.gates_unevaluated[index]) if c.gate_ids else {}
    missing = np.flatnonzero(status == MISSING).tolist()
    for k in [*unchecked, *(k for k in missing if k not in unchecked)]:
        if status[k] != MISSING:  # an N/A control: named on the results, nothing to answer here
            continue
        indicator = c.indicators[k]
        steps.append(Step(
            indicator_id=indicator.id, kind=ANSWER, indicator=indicator, level=None,
            target=None if indicator.is_metric else int(target[k]), gap=None, priority=None,
            next_level=None, descriptor=None, gates=unchecked.get(k, ())))
    improvable = [k for k in np.flatnonzero(gap > 0).tolist() if k not in gated]  # NaN: not answered
    improvable.sort(key=lambda k: (-round(float(priority[k]), _PRIORITY_DIGITS), k))
    for k in improvable:
        indicator = c.indicators[k]
        if indicator.is_metric:
            steps.append(Step(
                indicator_id=indicator.id, kind=IMPROVE, indicator=indicator, level=None, target=fallback,
                gap=int(gap[k]), priority=float(priority[k]), next_level=int(band[k]) + 1, descriptor=None,
                value=float(levels[k]), next_value=band_value(scores, k, int(band[k]) + 1)))
            continue
        level = int(levels[k])
        steps.append(Step(
            indicator_id=indicator.id, kind=IMPROVE, indicator=indicator, level=level,
            target=int(target[k]), gap=int(gap[k]), priority=float(priority[k]),
            next_level=level + 1, descriptor=indicator.levels.get(level + 1)))
    return steps


def plan(scores: Scores, index: int) -> list[Step | AnswerGroup]:
    """The roadmap as people read it: gate and gap steps in `roadmap` order, then one row per dimension to answer.

    The one rule for every reader of a roadmap (app, workbook, PDF and HTML reports), so they agree.
    """
    steps = roadmap(scores, index)
    # a missing answer that leaves a gate unevaluated keeps its own row, first among the answers
    real: list[Step | AnswerGroup] = [step for step in steps if step.kind != ANSWER or step.gates]
    missing = [step for step in steps if step.kind == ANSWER and not step.gates]
    if not missing:
        return real
    c = scores.compiled
    dimension_of = top_level_of(c)
    grouped: dict[int, list[Indicator]] = {}
    for step in missing:
        grouped.setdefault(int(dimension_of[c.column[step.indicator_id]]), []).append(step.indicator)
    dimensions = c.rubric.dimensions
    return real + [AnswerGroup(dimensions[k].id, k, tuple(grouped[k])) for k in sorted(grouped)]
