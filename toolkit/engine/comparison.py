"""Comparisons of SPEC section 5: several assessments of one rubric scored together and ranked.

Only assessments of the rubric's id and major version are compared; anything else is refused with a
message naming the versions found. Scoring together matters for `minmax`, whose goalposts are the
lowest and highest values among exactly the compared assessments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from toolkit.engine.compiled import compile_rubric, none_if_nan, rank, to_matrix
from toolkit.engine.results import Scores
from toolkit.engine.scoring import score_matrix
from toolkit.errors import ComparisonError
from toolkit.model.assessment import Assessment
from toolkit.model.migration import on_version_of
from toolkit.model.rubric import Rubric


@dataclass(frozen=True)
class TrendPoint:
    """One round of one ministry in a trend."""

    period: str
    assessment_id: str
    index: int  # row in the comparison
    score: float | None
    stage: str | None


@dataclass(frozen=True)
class Trend:
    """The rounds of one ministry, sorted by period label."""

    ministry_id: str
    ministry_name: str
    points: tuple[TrendPoint, ...]


def _major(version: str) -> int | None:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def check_comparable(rubric: Rubric, assessments: Sequence[Assessment]) -> None:
    """Refuse assessments of another rubric id or major version, naming the versions found."""
    found: dict[str, list[str]] = {}
    other_rubric = False
    for assessment in assessments:
        major = _major(assessment.rubric_version)
        if assessment.rubric_id == rubric.id and major == rubric.major_version:
            continue
        shown = f"{major}.x" if major is not None else assessment.rubric_version
        if assessment.rubric_id != rubric.id:
            other_rubric = True
            shown = f"{assessment.rubric_id} {shown}"
        found.setdefault(shown, []).append(assessment.source_file or assessment.id)
    if found:
        what = "rubrics" if other_rubric else "rubric versions"
        others = ", ".join(f"{label} ({', '.join(where)})" for label, where in found.items())
        raise ComparisonError(f"cannot compare assessments of different {what}: "
                              f"{rubric.id} {rubric.major_version}.x and {others}")


@dataclass(frozen=True, eq=False)
class Comparison:
    """Assessments scored together (held by id), with their ranks by overall score (1 = highest)."""

    rubric: Rubric
    assessments: tuple[Assessment, ...]
    scores: Scores
    ranks: np.ndarray  # per assessment, NaN when the overall score is null or the round not ranked
    normalisation: str
    rank_incomplete: bool = False  # rank rounds below the rubric's min_completeness too

    @property
    def ranked(self) -> np.ndarray:
        """Per assessment: whether it takes part in the ranking (SPEC 11: complete enough, or asked)."""
        if self.rank_incomplete:
            return np.ones(len(self.assessments), dtype=bool)
        return self.scores.overall_rated

    @property
    def unranked(self) -> list[int]:
        """Rows left out of the ranking by the completeness rule, in input order."""
        return np.flatnonzero(~self.ranked).tolist()

    @property
    def periods(self) -> tuple[str, ...]:
        """The distinct periods compared, sorted by label."""
        return tuple(sorted({a.period for a in self.assessments}))

    @property
    def mixed_periods(self) -> bool:
        """True when the compared assessments come from more than one period (round)."""
        return len(self.periods) > 1

    def order(self) -> list[int]:
        """Row indices by rank; ties, and then the unranked rows, by assessment id.

        Ties go by id rather than by input order so that the same files listed in another order
        give the same table (SPEC 13); two rows with one id keep their input order.
        """
        key = np.where(np.isnan(self.ranks), np.inf, self.ranks).tolist()
        return sorted(range(len(key)), key=lambda k: (key[k], self.assessments[k].id))

    def to_dict(self) -> dict[str, Any]:
        """The `ddmt compare --format json` object (SPEC section 6), assessments in rank order."""
        compiled = self.scores.compiled
        overall = self.scores.overall.tolist()
        completeness = self.scores.overall_completeness.tolist()
        stages = self.scores.node_stage_index[:, 0].tolist()
        dimensions = self.scores.dimensions.tolist()
        top_ids = [compiled.node_ids[k] for k in compiled.top_level]
        ranks = self.ranks.tolist()
        rows = []
        for k in self.order():
            a = self.assessments[k]
            rows.append({
                "assessment": a.id,
                "ministry": {"id": a.ministry.id, "name": a.ministry.name, "iso3": a.ministry.iso3},
                "period": a.period,
                "overall": {"score": none_if_nan(overall[k]),
                            "stage": compiled.stage_ids[stages[k]] if stages[k] >= 0 else None,
                            "completeness": none_if_nan(completeness[k])},
                "rank": None if ranks[k] != ranks[k] else int(ranks[k]),
                "dimensions": {node_id: none_if_nan(value)
                               for node_id, value in zip(top_ids, dimensions[k], strict=True)},
            })
        return {"rubric": {"id": self.rubric.id, "version": self.rubric.version},
                "normalisation": self.normalisation, "assessments": rows, "sensitivity": None}

    def trends(self, min_periods: int = 2) -> list[Trend]:
        """Per ministry with at least `min_periods` distinct periods, its rounds sorted by period."""
        rows: dict[str, list[int]] = {}
        for k, a in enumerate(self.assessments):
            rows.setdefault(a.ministry.id, []).append(k)
        overall = self.scores.overall.tolist()
        stages = self.scores.stages()
        trends = []
        for ministry_id, members in rows.items():
            if len({self.assessments[k].period for k in members}) < min_periods:
                continue
            members.sort(key=lambda k: self.assessments[k].period)  # stable: input order in a tie
            trends.append(Trend(
                ministry_id=ministry_id,
                ministry_name=self.assessments[members[0]].ministry.name,
                points=tuple(TrendPoint(period=self.assessments[k].period,
                                        assessment_id=self.assessments[k].id, index=k,
                                        score=none_if_nan(overall[k]), stage=stages[k])
                             for k in members)))
        return trends


def compare(rubric: Rubric, assessments: Sequence[Assessment],
            normalisation: str | None = None, *, rank_incomplete: bool = False) -> Comparison:
    """Score assessments of one rubric together (minmax over this set) and rank them by overall score.

    Under the completeness rule (SPEC 11) a round below the rubric's `min_completeness` has no rank
    and is listed after the ranked ones, which are ranked among themselves; `rank_incomplete` ranks all.
    The comparison holds the assessments by id, whatever order they come in: a row's sums then run
    in the same place of the same matrix, so the same set gives the same bits in any order (SPEC 13).
    """
    check_comparable(rubric, assessments)
    # Rounds of an earlier minor version the rubric migrates from are scored as it takes their answers.
    assessments = sorted((on_version_of(rubric, assessment) for assessment in assessments), key=lambda a: a.id)
    compiled = compile_rubric(rubric)
    scores = score_matrix(compiled, to_matrix(compiled, assessments), normalisation,
                          meta=assessments)
    overall = scores.overall if rank_incomplete else np.where(scores.overall_rated, scores.overall, np.nan)
    return Comparison(rubric=rubric, assessments=tuple(assessments), scores=scores,
                      ranks=rank(overall), normalisation=scores.normalisation,
                      rank_incomplete=rank_incomplete)
