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
from `WARNINGS` (a closed set; each code's message template lives in `toolkit.i18n.research` under
`consistency_<code>`, in English and Bahasa Indonesia). A warning keeps the values that fill its
template, so `warning_text` can say it again in another language, naming dimensions and indicators by
their titles in that language. The checks, in order:

* `too_few_assessments`: fewer than `MIN_PAIRS` assessments, so no correlation or alpha is defined
  (the per-dimension alpha warnings are then left out: they would all say the same);
* `mixed_periods`: several periods, so rounds of one ministry are counted as separate assessments;
* `low_alpha`, `alpha_undefined` (too few complete assessments), `alpha_constant` (the total does
  not vary): per dimension and sub-dimension with at least two indicators;
* `low_coverage`: an indicator answered by fewer than `min_share` of the compared assessments, or by
  fewer than `min_count` when at least that many are compared;
* `no_variation`: an indicator with one score across every assessment that answered it;
* `negative_correlation`: an indicator whose scores fall as its own dimension's rise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from toolkit.engine.comparison import Comparison
from toolkit.engine.compiled import ANSWERED, MISSING, NA
from toolkit.engine.results import Scores
from toolkit.i18n import t
from toolkit.model.rubric import Rubric, text_in
from toolkit.research.uncertainty import scores_of

MIN_PAIRS = 3
ALPHA_THRESHOLD = 0.7
MIN_SHARE = 0.5
MIN_COUNT = 3

WARNING_CODES = ("too_few_assessments", "mixed_periods", "low_alpha", "alpha_undefined",
                 "alpha_constant", "low_coverage", "no_variation", "negative_correlation")
# The English templates; every language's are in toolkit.i18n.research as `consistency_<code>`.
WARNINGS: dict[str, str] = {code: t(f"consistency_{code}", "en") for code in WARNING_CODES}
NAME_FIELDS = ("node",)  # template fields that hold a node id, named by its title like the subject


@dataclass(frozen=True)
class ConsistencyWarning:
    """One finding: a code from WARNINGS, the node or indicator id concerned, and the English message.

    `values` holds the other fields of the code's template (numbers, and ids in `NAME_FIELDS`), so
    that `warning_text` can render the message in another language.
    """

    code: str
    subject: str | None
    message: str
    values: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "subject": self.subject, "message": self.message}


def subject_names(rubric: Rubric | None, lang: str = "en") -> dict[str, str]:
    """Each node's and indicator's title in `lang`, by id (empty without a rubric)."""
    if rubric is None:
        return {}
    names = {node.id: text_in(node.title, lang) for node, _ in rubric.nodes()}
    names.update({indicator.id: text_in(indicator.title, lang) for indicator in rubric.indicators()})
    return {key: name or key for key, name in names.items()}


def warning_text(warning: ConsistencyWarning, lang: str = "en", rubric: Rubric | None = None) -> str:
    """The warning as a sentence in `lang`, dimensions and indicators named by their titles if a rubric is given."""
    return warning_message(warning.code, warning.subject, dict(warning.values), lang, subject_names(rubric, lang))


def warning_message(code: str, subject: str | None, values: Mapping[str, Any], lang: str = "en",
                    names: Mapping[str, str] | None = None) -> str:
    """A warning's sentence in `lang` from its code, subject and values (a JSON warning's fields too)."""
    names = names or {}
    fields = dict(values)
    for key in NAME_FIELDS:
        if key in fields:
            fields[key] = names.get(fields[key], fields[key])
    return t(f"consistency_{code}", lang, subject=names.get(subject, subject) if subject else subject,
             **fields)


def _warning(code: str, subject: str | None, names: Mapping[str, str], **values: Any) -> ConsistencyWarning:
    plain = {key: value.item() if isinstance(value, np.generic) else value for key, value in values.items()}
    return ConsistencyWarning(code, subject, warning_message(code, subject, plain, "en", names),
                              tuple(plain.items()))


@dataclass(frozen=True, eq=False)
class Consistency:
    """Correlations, alphas, coverage and warnings of one comparison."""

    indicator_correlations: pd.DataFrame  # indicators x indicators
    node_correlations: pd.DataFrame  # nodes x nodes, "overall" first
    indicator_node_correlations: pd.DataFrame  # indicators x nodes
    alpha: pd.DataFrame  # one row per node with at least two indicators below it
    coverage: pd.DataFrame  # one row per indicator
    warnings: tuple[ConsistencyWarning, ...]
    # Pairs behind each coefficient (assessments with both scores), shaped like the correlations.
    indicator_pairs: pd.DataFrame | None = None
    node_pairs: pd.DataFrame | None = None
    indicator_node_pairs: pd.DataFrame | None = None
    rubric: Rubric | None = None  # the (possibly narrowed) rubric compared, for titles
    assessments: int = 0  # how many assessments were compared
    periods: tuple[str, ...] = ()
    settings: Mapping[str, float] = field(default_factory=dict)  # the thresholds of the warnings

    def warning_texts(self, lang: str = "en") -> list[str]:
        """Every warning as a sentence in `lang`, naming dimensions and indicators by title."""
        names = subject_names(self.rubric, lang)
        return [warning_message(w.code, w.subject, dict(w.values), lang, names) for w in self.warnings]


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


def _by_id(scores: Scores) -> list[int]:
    """Rows by assessment id: sums run in one order whatever the order of the inputs (SPEC 13)."""
    return sorted(range(len(scores.ids)), key=lambda k: scores.ids[k])


def indicator_frame(source: Comparison | Scores) -> pd.DataFrame:
    """Claimed indicator scores, assessments (by id) x indicators (ids as index and columns)."""
    scores = scores_of(source)
    rows = _by_id(scores)
    return pd.DataFrame(scores.indicator_scores[rows],
                        index=pd.Index([scores.ids[k] for k in rows], name="assessment"),
                        columns=pd.Index(scores.compiled.indicator_ids, name="indicator"))


def node_frame(source: Comparison | Scores) -> pd.DataFrame:
    """Claimed node scores, assessments (by id) x nodes: "overall" first, then the nodes in rubric order."""
    scores = scores_of(source)
    c = scores.compiled
    order = [0, *c.rubric_node_order]
    rows = _by_id(scores)
    return pd.DataFrame(scores.node_scores[rows][:, order],
                        index=pd.Index([scores.ids[k] for k in rows], name="assessment"),
                        columns=pd.Index([c.node_ids[k] for k in order], name="node"))


def pair_counts(source: Comparison | Scores) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """How many assessments have both scores, for each coefficient of `correlations` (same shapes)."""
    indicators, nodes = indicator_frame(source), node_frame(source)
    seen_i = indicators.notna().to_numpy(dtype=np.int64)
    seen_n = nodes.notna().to_numpy(dtype=np.int64)

    def frame(a: np.ndarray, b: np.ndarray, rows: pd.Index, columns: pd.Index) -> pd.DataFrame:
        return pd.DataFrame(a.T @ b, index=rows, columns=columns)

    return (frame(seen_i, seen_i, indicators.columns.rename("indicator"), indicators.columns),
            frame(seen_n, seen_n, nodes.columns.rename("node"), nodes.columns),
            frame(seen_i, seen_n, indicators.columns.rename("indicator"), nodes.columns))


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
    values = scores.indicator_scores[_by_id(scores)]
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
    """What a reviewer would want flagged: too few assessments, mixed periods, low alpha, thin coverage,
    odd indicators (see the module docstring)."""
    scores = scores_of(source)
    names = subject_names(scores.rubric, "en")
    found: list[ConsistencyWarning] = []
    total = len(scores)
    if total < MIN_PAIRS:
        found.append(_warning("too_few_assessments", None, names, n=total, needed=MIN_PAIRS))
    periods = _periods(source)
    if len(periods) > 1:
        found.append(_warning("mixed_periods", None, names, periods=", ".join(periods)))
    alpha_table = alphas(source) if alpha_table is None else alpha_table
    for row in alpha_table.itertuples(index=False):
        if row.alpha == row.alpha:
            if row.alpha < alpha_threshold:
                found.append(_warning("low_alpha", row.node, names, alpha=float(row.alpha),
                                      threshold=alpha_threshold, n=int(row.assessments)))
        elif total < MIN_PAIRS:
            continue  # said once for the whole comparison
        elif row.assessments < MIN_PAIRS:
            found.append(_warning("alpha_undefined", row.node, names, n=int(row.assessments),
                                  k=int(row.indicators), needed=MIN_PAIRS))
        else:
            found.append(_warning("alpha_constant", row.node, names, n=int(row.assessments),
                                  k=int(row.indicators)))
    coverage_table = coverage(source) if coverage_table is None else coverage_table
    for row in coverage_table.itertuples(index=False):
        # Fewer than min_count answers matters only where that many assessments are compared.
        if row.answered < min_share * total or (total >= min_count and row.answered < min_count):
            found.append(_warning("low_coverage", row.indicator, names, answered=int(row.answered),
                                  total=total, share=float(row.coverage) if total else 0.0,
                                  min_share=min_share, min_count=min_count))
    values = scores.indicator_scores
    if crossed is None:
        crossed = correlations(source)[2]
    c = scores.compiled
    for column, indicator_id in enumerate(c.indicator_ids):
        answered = values[:, column][~np.isnan(values[:, column])]
        if len(answered) >= MIN_PAIRS and np.ptp(answered) == 0:
            found.append(_warning("no_variation", indicator_id, names))
            continue
        parent = c.node_ids[int(c.indicator_parent[column])]
        r = crossed.loc[indicator_id, parent]
        if r == r and r < 0:
            found.append(_warning("negative_correlation", indicator_id, names, node=parent, r=float(r)))
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
    indicator_pairs, node_pairs, crossed_pairs = pair_counts(source)
    alpha_table, coverage_table = alphas(source), coverage(source)
    found = consistency_warnings(source, alpha_threshold=alpha_threshold, min_share=min_share,
                                 min_count=min_count, alpha_table=alpha_table,
                                 coverage_table=coverage_table, crossed=crossed)
    scores = scores_of(source)
    return Consistency(indicator_correlations=indicators, node_correlations=nodes,
                       indicator_node_correlations=crossed, alpha=alpha_table,
                       coverage=coverage_table, warnings=tuple(found),
                       indicator_pairs=indicator_pairs, node_pairs=node_pairs,
                       indicator_node_pairs=crossed_pairs, rubric=scores.rubric,
                       assessments=len(scores), periods=_periods(source),
                       settings={"alpha_threshold": float(alpha_threshold), "min_share": float(min_share),
                                 "min_count": int(min_count), "min_pairs": MIN_PAIRS})
