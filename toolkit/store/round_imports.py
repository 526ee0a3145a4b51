"""What an imported round may and may not say about itself.

A document is written by whoever imports it, so it cannot vouch for the workflow: an import
arrives as a draft (only the review workflow moves a round to submitted or reviewed), and every
evidence item is recorded as added by the importing person at the moment of the import. What the
document claimed is kept, marked as claimed, in the import's audit row, never as a fact of the round.
A file the round's ministry does not hold stays an evidence item without its file ("file not
included", see `toolkit.store.file_holders`); the outcome names each one so the importer is told.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from toolkit.model.assessment import Assessment


@dataclass(frozen=True)
class ImportOutcome:
    """The imported round's id and the (indicator id, file name) of each file its ministry does not hold."""

    id: str
    files_not_included: tuple[tuple[str, str], ...] = ()


def imported_as_draft(assessment: Assessment, who: str, now: str) -> tuple[Assessment, dict[str, Any]]:
    """The round as it is stored (a draft, evidence added by `who` at `now`) and what the document claimed."""
    claims: dict[str, Any] = {}
    if assessment.status != "draft":
        claims["status"] = assessment.status
    claimed_by: dict[str, list[dict[str, str | None]]] = {}
    answers = {}
    for indicator_id, answer in assessment.answers.items():
        for item in answer.evidence:
            if (item.added_by and item.added_by != who) or item.added_at:
                claimed_by.setdefault(indicator_id, []).append({"added_by": item.added_by, "added_at": item.added_at})
        answers[indicator_id] = replace(answer, evidence=tuple(replace(item, added_by=who, added_at=now)
                                                               for item in answer.evidence))
    if claimed_by:
        claims["evidence"] = claimed_by
    return replace(assessment, status="draft", answers=answers), claims
