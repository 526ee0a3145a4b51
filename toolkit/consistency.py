"""Internal consistency of a comparison (SPEC section 5): correlations, Cronbach's alpha, coverage.

All statistics are computed over the compared assessments, on the claimed scores (0-100):

* correlations (Pearson): indicator x indicator, node x node (the overall first, then every
  dimension and sub-dimension in rubric order), and indicator x node. Pairwise complete: each
  coefficient uses the assessments that have both scores, and needs at least `MIN_PAIRS` of them
  (with two points every correlation is +-1), else it is NaN;
* Cronbach's alpha of each dimension and sub-dimension over every indicator below it (at least two):
  alpha = k / (k - 1) * (1 - sum of item variances / variance of the total), variances with n - 1.
  Listwise: only the assessments that answered every one of those indicators count, as the textbook
  formula assumes one complete item matrix (a pairwise covariance matrix can give an alpha outside
  any meaning on small samples); the number used is reported beside alpha, and fewer than
  `MIN_PAIRS` complete assessments, or a total that does not vary, give NaN;
* coverage per indicator: answered, missing and N/A counts, the share answered of all compared
  assessments, and the share answered of those to which it applies (not N/A).

`consistency_warnings` turns these into what a reviewer would want flagged; each warning has a code
from `WARNINGS` (a closed set, each with its message template).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from toolkit.comparison import Comparison
from toolkit.results import Scores
from toolkit.scoring import ANSWERED, MISSING, NA
from toolkit.uncertainty import scores_of

MIN_PAIRS = 3
ALPHA_THRESHOLD = 0.7
MIN_SHARE = 0.5
MIN_COUNT = 3

WARNINGS: dict[str, str] = {
    "mixed_periods": ("the comparison mixes periods {periods}: ranks compare rounds as well as "
                      "ministries"),
    "low_alpha": ("{subject}: Cronbach's alpha {alpha:.2f} is below {threshold:g}: its indicators do "
                  "not hang together"),
    "alpha_undefined": ("{subject}: Cronbach's alpha cannot be computed: {n} assessments answered all "
                        "its {k} indicators (at least {needed} needed) or their total does not vary"),
    "low_coverage": ("{subject}: answered by {answered} of {total} assessments ({share:.0%}), fewer "
                     "than {min_share:.0%} or {min_count}"),
    "no_variation": ("{subject}: every assessment that answered it has the same score, so it cannot "
                     "tell them apart"),
    "negative_correlation": ("{subject}: correlates negatively with its dimension {node} "
                             "(r = {r:.2f}): check its direction or its place"),
}


@dataclass(frozen=True)
class ConsistencyWarning:
    """One finding: a code from WARNINGS, the node or indicator concerned, and the message."""

    code: str
    subject: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "subject": self.subject, "message": self.message}


def _warning(code: str, subject: str | None, **fields: Any) -> ConsistencyWarning:
    return ConsistencyWarning(code, subject, WARNINGS[code].format(subject=subject, **fields))


@dataclass(frozen=True, eq=False)
class Consistency:
    """Correlations, alphas, coverage and warnings of one comparison."""

    indicator_correlations: pd.DataFrame  # indicators x indicators
    node_correlations: pd.DataFrame  # nodes x nodes, "overall" first
    indicator_node_correlations: pd.DataFrame  # indicators x nodes
    alpha: pd.DataFrame  # one row per node with at least two indicators below it
    coverage: pd.DataFrame  # one row per indicator
    warnings: tuple[ConsistencyWarning, ...]


def cronbach_alpha(items: Any) -> tuple[float, int]:
    """Cronbach's alpha of an items matrix (rows respondents, columns items), listwise; and rows used."""
    matrix = np.asarray(items, dtype=float)
    if matrix.ndim != 2 or matrix.shape[1] < 2:
        raise ValueError("Cronbach's alpha needs a 2-D matrix with at least two item columns")
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    n, k = complete.shape
    if n < 2:
        return np.nan, n
    total_variance = complete.sum(axis=1).var(ddof=1)
    if total_variance == 0:
        return np.nan, n
    item_variance = complete.var(axis=0, ddof=1).sum()
    return float(k / (k - 1) * (1.0 - item_variance / total_variance)), n


def indicator_frame(source: Comparison | Scores) -> pd.DataFrame:
    """Claimed indicator scores, assessments x indicators (ids as index and columns)."""
    scores = scores_of(source)
    return pd.DataFrame(scores.indicator_scores, index=pd.Index(scores.ids, name="assessment"),
                        columns=pd.Index(scores.compiled.indicator_ids, name="indicator"))


def node_frame(source: Comparison | Scores) -> pd.DataFrame:
    """Claimed node scores, assessments x nodes: "overall" first, then the nodes in rubric order."""
    scores = scores_of(source)
    c = scores.compiled
    order = [0, *c.rubric_node_order]
    return pd.DataFrame(scores.node_scores[:, order], index=pd.Index(scores.ids, name="assessment"),
                        columns=pd.Index([c.node_ids[k] for k in order], name="node"))


def correlations(source: Comparison | Scores) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Pearson correlations (pairwise complete): indicators, nodes, and indicators x nodes."""
    indicators, nodes = indicator_frame(source), node_frame(source)
    both = pd.concat([indicators, nodes], axis=1).corr(method="pearson", min_periods=MIN_PAIRS)
    crossed = both.loc[list(indicators.columns), list(nodes.columns)]
    crossed.index.name, crossed.columns.name = "indicator", "node"
    return (indicators.corr(method="pearson", min_periods=MIN_PAIRS),
            nodes.corr(method="pearson", min_periods=MIN_PAIRS), crossed)


def _indicators_below(source: Comparison | Scores) -> dict[str, list[int]]:
    """Per non-root node (rubric order), the columns of every indicator below it."""
    c = scores_of(source).compiled
    below: dict[int, list[int]] = {k: [] for k in c.rubric_node_order}
    for column, parent in enumerate(c.indicator_parent.tolist()):
        node = parent
        while node > 0:
            below[node].append(column)
            node = int(c.node_parent[node])
    return {c.node_ids[k]: columns for k, columns in below.items()}


def alphas(source: Comparison | Scores) -> pd.DataFrame:
    """Cronbach's alpha per dimension and sub-dimension over the indicators below it (listwise)."""
    scores = scores_of(source)
    c = scores.compiled
    values = scores.indicator_scores
    rows = []
    for node_id, columns in _indicators_below(source).items():
        if len(columns) < 2:
            continue
        alpha, n = cronbach_alpha(values[:, columns])
        rows.append({"node": node_id, "depth": int(c.node_depth[c.node_index[node_id]]),
                     "indicators": len(columns), "assessments": n,
                     "alpha": alpha if n >= MIN_PAIRS else np.nan})
    return pd.DataFrame(rows, columns=["node", "depth", "indicators", "assessments", "alpha"])


def coverage(source: Comparison | Scores) -> pd.DataFrame:
    """Per indicator: answered, missing and N/A counts, share answered, share answered where applicable."""
    scores = scores_of(source)
    c = scores.compiled
    status = scores.indicator_status
    answered = (status == ANSWERED).sum(axis=0)
    missing = (status == MISSING).sum(axis=0)
    na = (status == NA).sum(axis=0)
    total = len(scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = answered / total if total else np.full(len(answered), np.nan)
        applicable = answered / (answered + missing)
    return pd.DataFrame({
        "indicator": list(c.indicator_ids),
        "node": [c.node_ids[k] for k in c.indicator_parent.tolist()],
        "answered": answered, "missing": missing, "na": na,
        "coverage": share, "coverage_applicable": applicable,
    })


def consistency_warnings(source: Comparison | Scores, *, alpha_threshold: float = ALPHA_THRESHOLD,
                         min_share: float = MIN_SHARE, min_count: int = MIN_COUNT,
                         alpha_table: pd.DataFrame | None = None,
                         coverage_table: pd.DataFrame | None = None,
                         crossed: pd.DataFrame | None = None) -> list[ConsistencyWarning]:
    """What a reviewer would want flagged: mixed periods, low alpha, thin coverage, odd indicators."""
    scores = scores_of(source)
    found: list[ConsistencyWarning] = []
    periods = _periods(source)
    if len(periods) > 1:
        found.append(_warning("mixed_periods", None, periods=", ".join(periods)))
    alpha_table = alphas(source) if alpha_table is None else alpha_table
    for row in alpha_table.itertuples(index=False):
        if np.isnan(row.alpha):
            found.append(_warning("alpha_undefined", row.node, n=row.assessments, k=row.indicators,
                                  needed=MIN_PAIRS))
        elif row.alpha < alpha_threshold:
            found.append(_warning("low_alpha", row.node, alpha=row.alpha, threshold=alpha_threshold))
    coverage_table = coverage(source) if coverage_table is None else coverage_table
    total = len(scores)
    for row in coverage_table.itertuples(index=False):
        if row.answered < min_count or row.answered < min_share * total:
            found.append(_warning("low_coverage", row.indicator, answered=int(row.answered),
                                  total=total, share=row.coverage if total else 0.0,
                                  min_share=min_share, min_count=min_count))
    values = scores.indicator_scores
    if crossed is None:
        crossed = correlations(source)[2]
    c = scores.compiled
    for column, indicator_id in enumerate(c.indicator_ids):
        answered = values[:, column][~np.isnan(values[:, column])]
        if len(answered) >= MIN_PAIRS and np.ptp(answered) == 0:
            found.append(_warning("no_variation", indicator_id))
            continue
        parent = c.node_ids[int(c.indicator_parent[column])]
        r = crossed.loc[indicator_id, parent]
        if r == r and r < 0:
            found.append(_warning("negative_correlation", indicator_id, node=parent, r=r))
    return found


def _periods(source: Comparison | Scores) -> tuple[str, ...]:
    if isinstance(source, Comparison):
        return source.periods
    if source.assessments is None:
        return ()
    return tuple(sorted({a.period for a in source.assessments}))


def consistency(source: Comparison | Scores, *, alpha_threshold: float = ALPHA_THRESHOLD,
                min_share: float = MIN_SHARE, min_count: int = MIN_COUNT) -> Consistency:
    """Every consistency statistic of a comparison, with the warnings they raise."""
    indicators, nodes, crossed = correlations(source)
    alpha_table, coverage_table = alphas(source), coverage(source)
    found = consistency_warnings(source, alpha_threshold=alpha_threshold, min_share=min_share,
                                 min_count=min_count, alpha_table=alpha_table,
                                 coverage_table=coverage_table, crossed=crossed)
    return Consistency(indicator_correlations=indicators, node_correlations=nodes,
                       indicator_node_correlations=crossed, alpha=alpha_table,
                       coverage=coverage_table, warnings=tuple(found))
