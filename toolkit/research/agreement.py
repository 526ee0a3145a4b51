"""Agreement between the respondents of a team round (SPEC 12): Krippendorff's alpha, from its definition.

Why alpha: respondents answer only some dimensions and may leave indicators out, and alpha is the
reliability coefficient that takes any number of coders, missing values and an ordinal scale.

Reliability data are a units x coders table of values (NaN = missing). Following Krippendorff
("Computing Krippendorff's alpha-reliability", 2011):

* only units with at least two values are pairable; in unit u with m_u values, every ordered pair of
  values (c, k) from two different coders adds 1 / (m_u - 1) to the coincidence matrix o[c, k];
* n_c = sum_k o[c, k] (the marginal frequency of value c) and n = sum_c n_c, the pairable values;
* alpha = 1 - (n - 1) * sum o[c, k] d(c, k) / sum n_c n_k d(c, k), with the squared distance d:
  nominal 0 if c = k else 1; interval (c - k)^2; ordinal (sum of n_g for g from c to k, minus
  (n_c + n_k) / 2)^2, over the values in order.

Alpha is None when fewer than two pairable values exist, and when every pairable value is the same
(the expected disagreement is zero, so alpha is 0 / 0: there is no variation to agree on).

`round_agreement` applies it to a round: the level indicators are the units, the respondents the
coders and the levels the values (N/A and missing are missing values), for the whole round and for
each top-level dimension over its level indicators, with each indicator's levels and their range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Indicator, Node, Rubric

LEVELS = ("ordinal", "interval", "nominal")
FLAG_RANGE = 2  # an indicator whose respondents' levels span at least this many levels is flagged


def krippendorff_alpha(data: Any, level: str = "ordinal") -> float | None:
    """Krippendorff's alpha of a units x coders array of numbers (NaN = missing); None when undefined."""
    if level not in LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}: use one of {', '.join(LEVELS)}")
    table = np.asarray(data, dtype=float)
    if table.ndim != 2:
        raise ValueError("reliability data must be a units x coders table")
    present = ~np.isnan(table)
    values = np.unique(table[present])
    if values.size == 0:
        return None
    # counts[u, v]: how many coders gave value v to unit u
    index = np.searchsorted(values, np.where(present, table, values[0]))
    counts = np.zeros((table.shape[0], values.size))
    rows = np.broadcast_to(np.arange(table.shape[0])[:, None], table.shape)
    np.add.at(counts, (rows[present], index[present]), 1.0)
    pairable = counts.sum(axis=1)
    counts = counts[pairable >= 2]
    if counts.size == 0:
        return None
    scaled = counts / (counts.sum(axis=1, keepdims=True) - 1.0)
    coincidences = scaled.T @ counts - np.diag(scaled.sum(axis=0))
    marginals = coincidences.sum(axis=1)
    total = float(marginals.sum())
    if total < 2:
        return None
    distance = _distances(values, marginals, level)
    observed = float((coincidences * distance).sum())
    expected = float((np.outer(marginals, marginals) * distance).sum())
    if expected <= 0:
        return None
    return float(1.0 - (total - 1.0) * observed / expected)


def _distances(values: np.ndarray, marginals: np.ndarray, level: str) -> np.ndarray:
    """The squared distance between every two values, for the level of measurement."""
    if level == "nominal":
        return 1.0 - np.eye(values.size)
    if level == "interval":
        return np.subtract.outer(values, values) ** 2
    cumulative = np.concatenate(([0.0], np.cumsum(marginals)))
    low = np.minimum.outer(np.arange(values.size), np.arange(values.size))
    high = np.maximum.outer(np.arange(values.size), np.arange(values.size))
    between = cumulative[high + 1] - cumulative[low]  # sum of n_g for g from c to k
    return (between - np.add.outer(marginals, marginals) / 2.0) ** 2


@dataclass(frozen=True)
class IndicatorSpread:
    """The respondents' levels on one level indicator, their range and whether it is flagged."""

    indicator: str
    levels: dict[str, int]
    range: int | None

    @property
    def flag(self) -> bool:
        return self.range is not None and self.range >= FLAG_RANGE

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "levels": dict(self.levels), "range": self.range,
                "flag": self.flag}


@dataclass(frozen=True)
class RoundAgreement:
    """Alpha of one round overall and per top-level dimension, and every level indicator's spread."""

    assessment: str
    respondents: tuple[str, ...]
    level: str
    overall: float | None
    dimensions: dict[str, float | None]
    indicators: tuple[IndicatorSpread, ...]  # every level indicator, in rubric order; JSON keeps the answered

    def to_dict(self) -> dict[str, Any]:
        """The SPEC 12 JSON shape of `ddmt agreement`."""
        return {"assessment": self.assessment, "respondents": len(self.respondents), "level": self.level,
                "alpha": {"overall": self.overall, "dimensions": dict(self.dimensions)},
                "indicators": [spread.to_dict() for spread in self.indicators if spread.levels]}

    def most_disagreed(self) -> list[IndicatorSpread]:
        """Indicators with at least two levels, the widest range first (rubric order among equals)."""
        ranked = [spread for spread in self.indicators if spread.range is not None]
        return sorted(ranked, key=lambda spread: -spread.range)  # stable: rubric order kept among ties


def round_agreement(rubric: Rubric, assessment: Assessment, level: str = "ordinal") -> RoundAgreement:
    """Alpha of a round's responses (SPEC 12): level indicators as units, respondents as coders."""
    respondents = tuple(response.respondent.id for response in assessment.responses)
    indicators = [indicator for indicator in rubric.indicators() if not indicator.is_metric]
    table = np.full((len(indicators), len(respondents)), np.nan)
    for column, response in enumerate(assessment.responses):
        for row, indicator in enumerate(indicators):
            answer = response.answers.get(indicator.id)
            if answer is not None and not answer.na and answer.level is not None:
                table[row, column] = answer.level
    rows = {indicator.id: row for row, indicator in enumerate(indicators)}
    dimensions = {node.id: krippendorff_alpha(table[_rows_under(node, rows)], level)
                  for node in rubric.dimensions}
    return RoundAgreement(
        assessment=assessment.id, respondents=respondents, level=level,
        overall=krippendorff_alpha(table, level), dimensions=dimensions,
        indicators=tuple(_spread(indicator.id, table[row], respondents)
                         for row, indicator in enumerate(indicators)),
    )


def _rows_under(node: Node, rows: dict[str, int]) -> list[int]:
    found: list[int] = []
    for child in node.children:
        if isinstance(child, Indicator):
            if child.id in rows:
                found.append(rows[child.id])
        else:
            found.extend(_rows_under(child, rows))
    return found


def _spread(indicator_id: str, row: np.ndarray, respondents: Sequence[str]) -> IndicatorSpread:
    levels = {who: int(value) for who, value in zip(respondents, row, strict=True) if not np.isnan(value)}
    spread = max(levels.values()) - min(levels.values()) if levels else None
    return IndicatorSpread(indicator=indicator_id, levels=levels, range=spread)
