"""Scoring many variants of one batch at once: perturbed levels, node-weight factors, aggregation.

The Monte Carlo and the sensitivity analyses of SPEC section 5 score the same assessments again and
again with three kinds of change, and this module does it for a whole block of draws in one pass:

* levels: each perturbable cell (an answered level indicator whose confidence is not "high") takes
  the value `lo + floor(u * count)` for a uniform `u`, i.e. a uniform pick among the `count` scale
  values of `[level - k, level + k]` clipped to `[0, L]`, with k = 1 for medium (and unset), 2 for
  low confidence. Metrics and N/A or missing answers never move;
* node weights: every node weight under its parent (not the root, not indicator weights) times a
  factor per draw, the same for every assessment of the draw; a factor 0 removes the node and its
  siblings renormalise, which is how leave-one-out is scored;
* aggregation: per draw either the rubric's own aggregation, or every node (root included)
  arithmetic, or every node geometric.

Gates (SPEC 11) follow each draw's perturbed levels: a gate whose level moves below its minimum in
a draw caps its node in that draw, right after the node is aggregated, as in the scoring.

Rows are draw-major (draw, assessment). Levels are perturbed in a buffer of `draws x assessments`
rows; node weights only enter the roll-up, where a draw's factors scale its child rows. Every sum
runs in a fixed order within a row (plain column loops, no BLAS kernel, whose blocking may depend on
the number of rows), so a draw's scores are the same bits whatever block it is scored in, and as
fast: with a handful of nodes the loops are as quick as a matrix product. The formulas are those of
`toolkit.engine.scoring` (SPEC section 4); with no perturbation the result equals `score_matrix` to rounding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from toolkit.engine.compiled import CompiledRubric, metric_scores
from toolkit.engine.results import Scores

OWN, ARITHMETIC, GEOMETRIC = "own", "arithmetic", "geometric"


@dataclass(frozen=True, eq=False)
class _Variant:
    """One aggregation setting, precomputed: which rows take logs, and the metrics' constant part."""

    level_geometric: np.ndarray  # level columns whose parent is geometric
    level_weights: np.ndarray  # nl: w_i, times 100 / L for the arithmetic columns
    metric_numer: np.ndarray  # M x A: what the (fixed) metric answers add to each node's sum
    child_geometric: tuple[np.ndarray, ...]  # per depth step: child rows under a geometric parent
    node_geometric: tuple[np.ndarray, ...]  # per depth step: node rows that aggregate geometrically


class DrawEngine:
    """Scores one batch (a `Scores`) under many perturbations, vectorised over draws x assessments."""

    def __init__(self, scores: Scores):
        c = scores.compiled
        self.compiled: CompiledRubric = c
        values = scores.matrix.values
        self.n_assessments = values.shape[0]
        self.level_columns = np.flatnonzero(~c.is_metric)
        self.level_parent = c.indicator_parent[self.level_columns].tolist()
        self.metric_columns = c.metric_columns
        levels = values[:, self.level_columns]
        nl = len(self.level_columns)
        confidence = np.clip(scores.matrix.confidence[:, self.level_columns].astype(np.intp), 0, 2)
        movable = ~np.isnan(levels) & (confidence > 0)
        rows, cols = np.nonzero(movable)  # row-major: assessment, then indicator in rubric order
        k = confidence[rows, cols]
        level = levels[rows, cols]
        self.low = np.maximum(level - k, 0.0)
        self.count = np.minimum(level + k, float(c.max_level)) - self.low + 1.0
        self.cells = rows * nl + cols  # positions within one draw's flattened A x nl block
        # Cells per assessment, in batch order: each assessment's uniforms come from its own stream.
        self.cells_per_assessment = np.bincount(rows, minlength=self.n_assessments)
        self.base = np.fmax(levels, 0.0).ravel()  # missing and N/A count 0 (left out of the sums)
        metric = values[:, self.metric_columns]
        if len(self.metric_columns):
            position = np.arange(len(self.metric_columns))
            self._metric = metric_scores(metric, c.direction[self.metric_columns],
                                         scores.metric_low[position], scores.metric_high[position])
        else:
            self._metric = np.empty((self.n_assessments, 0))
        # Answered status never changes between draws, so the indicator part of every denominator
        # (the weight of a node's answered indicator children) is computed once.
        self.indicator_weight = c.weights_t @ (~np.isnan(values)).T  # M x A
        # Gates (SPEC 11) watch level columns; a draw's perturbed level decides whether each one
        # triggers, while N/A and missing (NaN) never do.
        self.gate_positions = np.searchsorted(self.level_columns, c.gate_columns)
        self.gate_answered = ~np.isnan(values[:, c.gate_columns])  # A x G
        self._variants: dict[str, _Variant] = {}

    @property
    def n_cells(self) -> int:
        """P, the number of perturbable level cells (uniforms per draw for the levels)."""
        return len(self.cells)

    @property
    def n_factors(self) -> int:
        """The number of node weights a draw can scale (every node but the root)."""
        return self.compiled.n_nodes - 1

    def _variant(self, mode: str) -> _Variant:
        found = self._variants.get(mode)
        if found is not None:
            return found
        c = self.compiled
        if mode == OWN:
            geometric = c.node_geometric
        else:
            geometric = np.full(c.n_nodes, mode == GEOMETRIC)
        parent_geometric = geometric[c.indicator_parent]
        level_geometric = parent_geometric[self.level_columns]
        level_weights = c.indicator_weight[self.level_columns].copy()
        level_weights[~level_geometric] *= c.level_factor
        metric_terms = np.fmax(self._metric, 0.0)
        metric_geometric = parent_geometric[self.metric_columns]
        metric_terms[:, metric_geometric] = np.log1p(metric_terms[:, metric_geometric])
        metric_numer = np.zeros((c.n_nodes, self.n_assessments))
        for position, column in enumerate(self.metric_columns.tolist()):
            metric_numer[c.indicator_parent[column]] += (c.indicator_weight[column]
                                                         * metric_terms[:, position])
        kids = []
        own = []
        for step in c.steps:
            kid_rows = np.arange(step.kid_lo, step.kid_hi)
            kids.append(np.flatnonzero(geometric[c.node_parent[kid_rows]]))
            own.append(np.flatnonzero(geometric[step.lo:step.hi]))
        found = _Variant(level_geometric=np.flatnonzero(level_geometric), level_weights=level_weights,
                         metric_numer=metric_numer, child_geometric=tuple(kids),
                         node_geometric=tuple(own))
        self._variants[mode] = found
        return found

    def overall(self, draws: int, level_u: np.ndarray | None = None, factors: np.ndarray | None = None,
                geometric: np.ndarray | None = None) -> np.ndarray:
        """Overall scores (draws x assessments) of a block of draws.

        `level_u` (draws x P uniforms) perturbs the levels, None keeps them; `factors` (draws x
        n_factors) scales the node weights, None keeps them; `geometric` (draws, bool) switches
        every node to geometric (True) or arithmetic (False), None keeps the rubric's aggregation.
        """
        return self.nodes(draws, level_u, factors, geometric)[0]

    def nodes(self, draws: int, level_u: np.ndarray | None = None, factors: np.ndarray | None = None,
              geometric: np.ndarray | None = None) -> np.ndarray:
        """Every node's score (M x draws x assessments) of a block of draws; see `overall`."""
        if geometric is None:
            return self._score(OWN, draws, level_u, factors)
        geometric = np.asarray(geometric, dtype=bool)
        out = np.empty((self.compiled.n_nodes, draws, self.n_assessments))
        for mode, chosen in ((GEOMETRIC, geometric), (ARITHMETIC, ~geometric)):
            picked = np.flatnonzero(chosen)
            if len(picked) == draws:
                return self._score(mode, draws, level_u, factors)
            if len(picked):
                out[:, picked] = self._score(
                    mode, len(picked), None if level_u is None else level_u[picked],
                    None if factors is None else factors[picked])
        return out

    def _score(self, mode: str, draws: int, level_u: np.ndarray | None,
               factors: np.ndarray | None) -> np.ndarray:
        # Every sum below runs in a fixed order within each row (no BLAS kernel, whose blocking can
        # depend on the number of rows), so a draw's scores do not depend on the chunk it is in.
        c = self.compiled
        variant = self._variant(mode)
        a, m = self.n_assessments, c.n_nodes
        nl = len(self.level_columns)
        node = np.zeros((m, draws * a))  # node-major: row k holds node k for every (draw, assessment)
        if nl:
            terms = np.empty((draws, a * nl))
            terms[:] = self.base
            if level_u is not None and self.n_cells:
                moved = level_u * self.count
                np.floor(moved, out=moved)
                moved += self.low
                terms[:, self.cells] = moved
            triggered = self._gates(terms.reshape(draws, a, nl))
            terms = terms.reshape(draws * a, nl)
            geometric = variant.level_geometric
            if len(geometric) == nl:
                terms *= c.level_factor
                np.log1p(terms, out=terms)
            elif len(geometric):
                terms[:, geometric] = np.log1p(terms[:, geometric] * c.level_factor)
            terms *= variant.level_weights
            for column, parent in enumerate(self.level_parent):
                node[parent] += terms[:, column]
        else:
            triggered = None
        node = node.reshape(m, draws, a)
        node += variant.metric_numer[:, None, :]
        weight = np.ones((draws, m))
        if factors is not None:
            weight[:, 1:] = factors
        weight *= self.compiled.node_weight  # a child's weight in this draw
        with np.errstate(invalid="ignore", divide="ignore"):
            for step, kid_geo, own_geo in zip(c.steps, variant.child_geometric, variant.node_geometric,
                                              strict=True):
                num = node[step.lo:step.hi]
                denom = np.broadcast_to(self.indicator_weight[step.lo:step.hi, None, :], num.shape)
                if step.kid_hi > step.kid_lo:
                    denom = denom.copy()
                    geometric_kids = set((step.kid_lo + kid_geo).tolist())
                    for kid in range(step.kid_lo, step.kid_hi):
                        parent = int(c.node_parent[kid]) - step.lo
                        child = node[kid]
                        share = weight[:, kid, None]  # draws x 1
                        term = np.fmax(child, 0.0)  # a null child adds nothing...
                        if kid in geometric_kids:
                            np.log1p(term, out=term)
                        term *= share
                        num[parent] += term
                        denom[parent] += ~np.isnan(child) * share  # ...and weighs nothing
                num /= denom  # 0 / 0 is NaN: a node none of whose children has a value
                if len(own_geo):
                    num[own_geo] = np.expm1(num[own_geo])
                if triggered is not None:
                    self._cap(num, step.lo, step.hi, triggered)
        return node

    def _gates(self, levels: np.ndarray) -> np.ndarray | None:
        """draws x A x G: the gates each draw's levels trigger, or None when none is triggered."""
        c = self.compiled
        if not len(c.gate_ids):
            return None
        with np.errstate(invalid="ignore"):
            triggered = (levels[:, :, self.gate_positions] < c.gate_min_levels) & self.gate_answered
        return triggered if triggered.any() else None

    def _cap(self, num: np.ndarray, lo: int, hi: int, triggered: np.ndarray) -> None:
        """Cap the nodes of one depth (rows lo:hi of `num`) by their triggered gates, in place."""
        c = self.compiled
        for g, row in enumerate(c.gate_nodes.tolist()):  # one vectorised step per gate
            if lo <= row < hi:
                capped = np.minimum(num[row - lo], c.gate_caps[g])  # NaN stays NaN
                np.copyto(num[row - lo], capped, where=triggered[:, :, g])
