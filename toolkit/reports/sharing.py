"""Sharing levels for exports: leave out evidence more sensitive than the level, keep the scores.

Levels, from the narrowest: `public` (only evidence marked public), `internal` (public and internal),
`all` (everything, restricted included). Evidence without a sensitivity counts as `internal`, as in
the assessment model.

Scores are computed from the whole assessment *before* anything is left out, so the evidence-backed
score of a shared copy is the ministry's real one: hiding evidence from a reader must not lower the
score the reader sees. Every export says how many items it left out (`LeftOut`).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.model.assessment import SENSITIVITIES, Assessment, Evidence

SHARE_LEVELS = ("public", "internal", "all")
DEFAULT_SHARE = "internal"  # restricted evidence leaves only when asked for
_RANK = {sensitivity: k for k, sensitivity in enumerate(SENSITIVITIES)}  # public 0 < internal 1 < restricted 2
_LIMIT = {"public": 0, "internal": 1, "all": len(SENSITIVITIES)}
_UNMARKED = "internal"


@dataclasses.dataclass(frozen=True)
class LeftOut:
    """What a sharing level removed: a count per sensitivity, in `SENSITIVITIES` order."""

    level: str
    by_sensitivity: Mapping[str, int]

    @property
    def count(self) -> int:
        return sum(self.by_sensitivity.values())

    def __add__(self, other: LeftOut) -> LeftOut:
        merged = {s: self.by_sensitivity.get(s, 0) + other.by_sensitivity.get(s, 0) for s in SENSITIVITIES}
        return LeftOut(self.level, {s: n for s, n in merged.items() if n})


def check_level(level: str) -> str:
    """`level` if it is a sharing level; ToolkitError naming the choices otherwise."""
    if level not in SHARE_LEVELS:
        raise ToolkitError(f'unknown sharing level "{level}": choose one of {", ".join(SHARE_LEVELS)}')
    return level


def allowed(sensitivity: str | None, level: str) -> bool:
    """True if evidence of `sensitivity` may be shown at sharing `level`."""
    rank = _RANK.get(sensitivity or _UNMARKED, _RANK["restricted"])  # unknown marks count as restricted
    return rank <= _LIMIT[check_level(level)]


def share_evidence(items: Iterable[Evidence], level: str) -> tuple[tuple[Evidence, ...], LeftOut]:
    """The items that may be shown at `level`, and what was left out."""
    kept, dropped = [], {}
    for item in items:
        if allowed(item.sensitivity, level):
            kept.append(item)
        else:
            dropped[item.sensitivity] = dropped.get(item.sensitivity, 0) + 1
    return tuple(kept), LeftOut(level, dropped)


def share_assessment(assessment: Assessment, level: str) -> tuple[Assessment, LeftOut]:
    """A copy of `assessment` without evidence above `level`. Score the original, show the copy."""
    check_level(level)
    total = LeftOut(level, {})
    answers = {}
    for indicator_id, answer in assessment.answers.items():
        kept, left_out = share_evidence(answer.evidence, level)
        total = total + left_out
        answers[indicator_id] = answer if not left_out.count else dataclasses.replace(answer, evidence=kept)
    responses = []
    for response in assessment.responses:  # respondents' evidence follows the same rule, not counted twice
        shared = {key: dataclasses.replace(answer, evidence=share_evidence(answer.evidence, level)[0])
                  for key, answer in response.answers.items()}
        responses.append(dataclasses.replace(response, answers=shared))
    return dataclasses.replace(assessment, answers=answers, responses=tuple(responses)), total


def share_document(doc: Mapping[str, Any], level: str, *, note: str | None = None) -> tuple[dict[str, Any], int]:
    """A deep copy of an assessment document without evidence above `level`, and how many items went.

    The copy stays a valid assessment document. `note`, when given and something was left out, is
    added as a line to the document's `notes` (for example `sharing_note(...)`), so a reader of the
    JSON learns what is missing. Scores recomputed from the copy can be lower than the original's
    (evidence that backed a level is gone): export the scores computed before sharing alongside.
    """
    check_level(level)
    shared = copy.deepcopy(dict(doc))
    count = 0
    # The round's answers and every respondent's (team rounds, SPEC 12): the same rule for both.
    answer_sets = [shared.get("answers")] + [response.get("answers") for response in shared.get("responses") or ()
                                             if isinstance(response, dict)]
    for answer in (answer for answers in answer_sets if isinstance(answers, dict) for answer in answers.values()):
        if not isinstance(answer, dict) or not isinstance(answer.get("evidence"), list):
            continue
        kept = [item for item in answer["evidence"]
                if isinstance(item, dict) and allowed(item.get("sensitivity"), level)]
        count += len(answer["evidence"]) - len(kept)
        answer["evidence"] = kept
    if note and count:
        shared["notes"] = f"{shared['notes']}\n{note}" if shared.get("notes") else note
    return shared, count


# ------------------------------------------------------------------------ comparisons: whose evidence

EVIDENCE_OF_ALL = "all"


def evidence_owners(assessments: Sequence[Assessment], evidence_of: Iterable[str] | str | None) -> frozenset[str]:
    """The ids of the compared assessments whose evidence a comparison export may carry.

    A comparison goes to one client, and the other ministries' evidence is theirs: by default
    (`None` or nothing named) no assessment's evidence is carried, only the scores. `"all"` (alone
    or in the list) carries everyone's; otherwise only the named ids. An id that is not among the
    compared assessments is refused by name, so that a typo never silently withholds a client's own
    evidence or suggests that a peer's was asked for.
    """
    ids = [assessment.id for assessment in assessments]
    if evidence_of is None:
        return frozenset()
    named = [evidence_of] if isinstance(evidence_of, str) else list(evidence_of)
    if EVIDENCE_OF_ALL in named:
        return frozenset(ids)
    unknown = [name for name in named if name not in ids]
    if unknown:
        raise ToolkitError(f'--evidence-of: {", ".join(repr(name) for name in unknown)} is not among the compared '
                           f'assessments ({", ".join(ids)}); name their ids or "{EVIDENCE_OF_ALL}"')
    return frozenset(named)


def withhold_evidence(assessment: Assessment) -> tuple[Assessment, int]:
    """A copy of `assessment` without any evidence, and how many items were withheld."""
    count = sum(len(answer.evidence) for answer in assessment.answers.values())
    if not count:
        return assessment, 0
    answers = {key: dataclasses.replace(answer, evidence=()) if answer.evidence else answer
               for key, answer in assessment.answers.items()}
    return dataclasses.replace(assessment, answers=answers), count
