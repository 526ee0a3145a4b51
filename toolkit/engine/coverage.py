"""Evidence coverage: the share of answered indicators that carry at least one evidence item.

Unweighted on purpose: it says how much of what was answered can be shown, not how much it
weighs. Null (NaN) where nothing is answered.
"""

from __future__ import annotations

import numpy as np

from toolkit.engine.compiled import ANSWERED, CompiledRubric
from toolkit.engine.results import Scores


def top_level_of(compiled: CompiledRubric) -> np.ndarray:
    """Per indicator column, the position (0..D-1) of the top-level dimension it sits under."""
    ancestor = compiled.indicator_parent.copy()
    # Climb until every parent is a top-level dimension (depth 1); the tree is shallow.
    while (deeper := compiled.node_depth[ancestor] > 1).any():
        ancestor[deeper] = compiled.node_parent[ancestor[deeper]]
    position = np.full(compiled.n_nodes, -1, dtype=np.intp)
    position[compiled.top_level] = np.arange(len(compiled.top_level))
    return position[ancestor]


def evidence_coverage(scores: Scores) -> np.ndarray:
    """A x (1 + D) shares (0..1): overall in column 0, then per top-level dimension; NaN if none answered."""
    compiled = scores.compiled
    answered = scores.indicator_status == ANSWERED
    backed = answered & scores.matrix.has_evidence
    groups = np.zeros((compiled.n_indicators, 1 + len(compiled.top_level)))
    groups[:, 0] = 1.0
    groups[np.arange(compiled.n_indicators), 1 + top_level_of(compiled)] = 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        return (backed @ groups) / (answered @ groups)
