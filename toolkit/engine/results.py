"""The scores of a batch: arrays computed by `toolkit.engine.scoring`, shown as assessments x nodes.

Claimed node scores come with the batch; indicator scores, evidence-backed scores, completeness and
statuses are derived on first access, so callers that only rank (uncertainty draws) pay for none of
them. `Scores.to_records` gives the `ddmt score --format json` shape of SPEC section 6.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from toolkit.engine.compiled import (
    ANSWERED,
    MISSING,
    NA,
    STATUS_NAMES,
    CompiledRubric,
    LevelMatrix,
    _column_scores,
    _roll_up,
    _terms,
    _weight_without,
    evidence_levels,
    gate_caps,
    gates_triggered,
    none_if_nan,
    stage_index,
)
from toolkit.engine.rating import rated
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric


@dataclass(frozen=True, eq=False)
class Scores:
    """The scores of a batch of assessments; arrays are assessments x nodes, column 0 the overall."""

    compiled: CompiledRubric
    matrix: LevelMatrix
    normalisation: str
    node_major: np.ndarray  # M x A claimed node scores (the engine's layout)
    scored_major: np.ndarray  # M x A: per node, the weight of its children that have a score
    metric_low: np.ndarray  # per metric column, the low/high actually used
    metric_high: np.ndarray
    assessments: tuple[Assessment, ...] | None = None
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def __len__(self) -> int:
        """The number of assessments."""
        return self.node_major.shape[1]

    def _lazy(self, key: str, make: Callable[[], np.ndarray]) -> np.ndarray:
        """Compute a derived array once, on first use."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def rubric(self) -> Rubric:
        """The rubric these scores were computed with."""
        return self.compiled.rubric

    @property
    def ids(self) -> tuple[str, ...]:
        """Assessment ids, or positional labels when scored from a bare matrix."""
        if self.assessments is None:
            return tuple(f"#{k}" for k in range(len(self)))
        return tuple(a.id for a in self.assessments)

    @property
    def node_scores(self) -> np.ndarray:
        """A x M claimed node scores (node order: `compiled.node_ids`)."""
        return self.node_major.T

    @property
    def scored_weight(self) -> np.ndarray:
        """A x M: per node, the weight of its children that have a score (the formula's sum(w))."""
        return self.scored_major.T

    @property
    def overall(self) -> np.ndarray:
        """The overall (root) score per assessment, NaN when null."""
        return self.node_major[0]

    @property
    def overall_evidence(self) -> np.ndarray:
        """The evidence-backed overall score per assessment."""
        return self.node_evidence_scores[:, 0]

    @property
    def overall_completeness(self) -> np.ndarray:
        """The overall completeness per assessment (0..1), NaN when nothing applies."""
        return self.node_completeness[:, 0]

    @property
    def dimensions(self) -> np.ndarray:
        """A x D scores of the top-level dimensions, in rubric order."""
        return self.node_scores[:, self.compiled.top_level]

    def node(self, node_id: str, evidence: bool = False) -> np.ndarray:
        """One node's score per assessment (`overall` for the root)."""
        k = self.compiled.node_index[node_id]
        return (self.node_evidence_scores if evidence else self.node_scores)[:, k]

    def indicator(self, indicator_id: str, evidence: bool = False) -> np.ndarray:
        """One indicator's score per assessment."""
        k = self.compiled.column[indicator_id]
        return (self.indicator_evidence_scores if evidence else self.indicator_scores)[:, k]

    @property
    def indicator_scores(self) -> np.ndarray:
        """A x n claimed indicator scores (NaN when missing or N/A)."""
        c = self.compiled
        return self._lazy("indicator_scores", lambda: _column_scores(
            c, self.matrix.values, np.arange(c.n_indicators), self.metric_low, self.metric_high))

    @property
    def indicator_evidence_scores(self) -> np.ndarray:
        """A x n evidence-backed indicator scores: a level without evidence counts at most the cap."""
        def make() -> np.ndarray:
            claimed, cap = self.indicator_scores, self.compiled.cap_score
            if cap is None:
                return claimed
            # The limit is 100 (no limit) where evidence backs the answer or for metrics; one
            # buffer serves as limit and result.
            keep = self.matrix.has_evidence | self.compiled.is_metric
            limit = np.where(keep, 100.0, cap)
            return np.minimum(claimed, limit, out=limit)
        return self._lazy("indicator_evidence_scores", make)

    @property
    def node_evidence_scores(self) -> np.ndarray:
        """A x M evidence-backed node scores (null exactly where the claimed ones are)."""
        def make() -> np.ndarray:
            c = self.compiled
            terms = _terms(self.indicator_evidence_scores.T, c.geometric_columns)
            caps = gate_caps(c, self.gates_evidence)
            return _roll_up(c, c.weights_t @ terms, self._indicator_weight(), caps=caps)[0].T
        return self._lazy("node_evidence_scores", make)

    @property
    def gates_claimed(self) -> np.ndarray:
        """A x G: the gates (`compiled.gate_ids`) triggered by the claimed levels."""
        c = self.compiled
        return self._lazy("gates_claimed", lambda: gates_triggered(c, self.matrix.values[:, c.gate_columns]))

    @property
    def gates_evidence(self) -> np.ndarray:
        """A x G: the gates triggered by the evidence-backed levels (a level without evidence is capped)."""
        c = self.compiled
        return self._lazy("gates_evidence", lambda: gates_triggered(
            c, evidence_levels(c, self.matrix, c.gate_columns)))

    @property
    def gates_unevaluated(self) -> np.ndarray:
        """A x G: the gates whose indicator is missing or N/A, so nothing was checked (SPEC 11).

        Such a gate triggers nothing and the score rule stays as it is (completeness answers for the
        gap), but a critical control left unanswered must not pass silently: results name these.
        """
        c = self.compiled
        return self._lazy("gates_unevaluated", lambda: np.isnan(self.matrix.values[:, c.gate_columns]))

    def unevaluated_gates(self, row: int) -> list[str]:
        """The ids of one assessment's gates not evaluated (indicator missing or N/A), in rubric order."""
        flags = self.gates_unevaluated[row].tolist()
        return [gate_id for gate_id, on in zip(self.compiled.gate_ids, flags, strict=True) if on]

    def unsupported_metrics(self, row: int) -> list[str]:
        """The answered metrics of one assessment that carry no evidence: flagged, their score kept."""
        c = self.compiled
        flagged = c.is_metric & ~np.isnan(self.matrix.values[row]) & ~self.matrix.has_evidence[row]
        return [c.indicator_ids[k] for k in np.flatnonzero(flagged).tolist()]

    def triggered_gates(self, row: int, evidence: bool = False) -> list[str]:
        """The ids of the gates triggered for one assessment, in rubric order."""
        flags = (self.gates_evidence if evidence else self.gates_claimed)[row]
        return [gate_id for gate_id, on in zip(self.compiled.gate_ids, flags.tolist(), strict=True) if on]

    @property
    def node_completeness(self) -> np.ndarray:
        """A x M answered weight over applicable weight, weighted arithmetically up the tree."""
        def make() -> np.ndarray:
            c = self.compiled
            applicable = _weight_without(c, self.matrix.na)
            # An answered indicator counts 1, so the indicator-level numerator is the answered
            # weight: the score's denominator.
            answered = self._indicator_weight().copy()
            return _roll_up(c, answered, applicable, by_aggregation=False)[0].T
        return self._lazy("node_completeness", make)

    def _indicator_weight(self) -> np.ndarray:
        """M x A: per node, the weight of its answered indicator children."""
        return self._lazy("indicator_weight", lambda: _weight_without(
            self.compiled, np.isnan(self.matrix.values)))

    @property
    def indicator_status(self) -> np.ndarray:
        """A x n codes: 0 answered, 1 missing, 2 N/A (names in STATUS_NAMES)."""
        def make() -> np.ndarray:
            # True/False as int8 is exactly MISSING/ANSWERED (1/0).
            status = np.isnan(self.matrix.values).view(np.int8)
            status[self.matrix.na] = NA
            return status
        return self._lazy("indicator_status", make)

    @property
    def node_status(self) -> np.ndarray:
        """A x M codes: answered if scored; else N/A if nothing below applies; else missing."""
        def make() -> np.ndarray:
            # Completeness is null exactly when every indicator below is N/A (all children N/A).
            status = np.where(np.isnan(self.node_completeness), NA, MISSING).astype(np.int8)
            status[~np.isnan(self.node_scores)] = ANSWERED
            return status
        return self._lazy("node_status", make)

    @property
    def node_rated(self) -> np.ndarray:
        """A x M: where the completeness rule lets a stage show (SPEC 11; everywhere without it)."""
        return self._lazy("node_rated", lambda: rated(self.rubric, self.node_completeness))

    @property
    def node_stage_index(self) -> np.ndarray:
        """A x M stage indices of the claimed node scores; -1 for a null score or a node not rated."""
        return self._lazy("node_stage_index", lambda: np.where(
            self.node_rated, stage_index(self.compiled, self.node_scores), -1))

    @property
    def overall_rated(self) -> np.ndarray:
        """Per assessment: whether its overall completeness lets it have a stage and a rank."""
        return self.node_rated[:, 0]

    def stages(self, scores: np.ndarray | None = None) -> list[str | None]:
        """Stage ids of some scores; by default the overall's, None where not rated (SPEC 11) or null."""
        found = self.node_stage_index[:, 0] if scores is None else stage_index(self.compiled, scores)
        ids = self.compiled.stage_ids
        return [ids[k] if k >= 0 else None for k in found.ravel().tolist()]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per assessment in the `ddmt score --format json` shape (SPEC section 6)."""
        c = self.compiled
        rubric = {"id": c.rubric.id, "version": c.rubric.version}
        stage_names = (*c.stage_ids, None)  # index -1 picks None
        node_ids = c.node_ids
        status_names = STATUS_NAMES
        scores = self.node_scores.tolist()
        evidence = self.node_evidence_scores.tolist()
        complete = self.node_completeness.tolist()
        stage_of = self.node_stage_index.tolist()
        node_status = self.node_status.tolist()
        ind_values = self.matrix.values.tolist()
        ind_scores = self.indicator_scores.tolist()
        ind_evidence = self.indicator_evidence_scores.tolist()
        ind_status = self.indicator_status.tolist()
        value_keys = ["value" if metric else "level" for metric in c.is_metric.tolist()]
        records = []
        for row in range(len(self)):
            s, e, q, g = scores[row], evidence[row], complete[row], stage_of[row]
            nodes = {node_ids[k]: {"score": none_if_nan(s[k]), "evidence_score": none_if_nan(e[k]),
                                   "stage": stage_names[g[k]], "completeness": none_if_nan(q[k]),
                                   "status": status_names[node_status[row][k]]}
                     for k in c.rubric_node_order}
            vals, iscore, iev, ist = ind_values[row], ind_scores[row], ind_evidence[row], ind_status[row]
            indicators = {}
            for k, indicator_id in enumerate(c.indicator_ids):
                raw = none_if_nan(vals[k])
                if raw is not None and value_keys[k] == "level":
                    raw = int(raw)
                indicators[indicator_id] = {"status": status_names[ist[k]], value_keys[k]: raw,
                                            "score": none_if_nan(iscore[k]),
                                            "evidence_score": none_if_nan(iev[k])}
            records.append({
                **self._identity(row),
                "rubric": dict(rubric),
                "overall": {"score": none_if_nan(s[0]), "evidence_score": none_if_nan(e[0]),
                            "stage": stage_names[g[0]], "completeness": none_if_nan(q[0])},
                "nodes": nodes,
                "indicators": indicators,
                "gates": {"claimed": self.triggered_gates(row), "evidence": self.triggered_gates(row, True)},
                "gates_unevaluated": self.unevaluated_gates(row),
            })
        return records

    def _identity(self, row: int) -> dict[str, Any]:
        """Assessment id, ministry and period of one row, as the JSON shapes name them."""
        if self.assessments is None:
            return {"assessment": f"#{row}", "ministry": None, "period": None}
        a = self.assessments[row]
        return {"assessment": a.id,
                "ministry": {"id": a.ministry.id, "name": a.ministry.name, "iso3": a.ministry.iso3},
                "period": a.period}
