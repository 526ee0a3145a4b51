"""Moving an assessment's answers to a newer version of its rubric (SPEC section 11), as pure data.

Ministries assess every year and rubrics improve between years; re-entering sixty answers because
two indicators changed is why people stop. The newer rubric says, in its `migrations` table, what
becomes of each earlier version's answers; `migrate_document` applies that table to one assessment
document and returns the new document with a report of what happened to every answer:

* listed with `{"to": new_id, "levels": {...}}`: the answer moves to `new_id`, its level (and its
  target, a level too) mapped through `levels`, unchanged where a level is not listed (remapped);
* listed as `null`: the answer is dropped (the indicator was retired);
* not listed, and the new rubric has an indicator of that id and the same kind: carried unchanged
  (level or value, N/A and reason, confidence, notes, target, evidence);
* not listed, and the new rubric has no such indicator of that kind: dropped, said so;
* indicators new in the newer rubric are missing: "to answer".

Nothing is read or written here: the command line (`ddmt migrate`) and the store
(`toolkit.store.migrate`) build on it, so a file and a stored round migrate the same way.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.model.assessment import Answer, Assessment
from toolkit.model.rubric import Indicator, Migration, Rubric

#: Why an answer was dropped.
DROPPED_BY_RUBRIC = "retired"        # listed as null in the migrations table
DROPPED_NOT_IN_RUBRIC = "not-in-rubric"  # unlisted, and the new rubric has no indicator of that id
DROPPED_KIND_CHANGED = "kind-changed"    # unlisted, and the new indicator of that id is of another kind


class MigrationError(ToolkitError):
    """An assessment cannot be migrated to the rubric asked for (another rubric, no migration table)."""


@dataclass(frozen=True)
class Remapped:
    """An answer that moved to another indicator or had its level mapped."""

    old_id: str
    new_id: str
    old_level: int | None
    new_level: int | None


@dataclass(frozen=True)
class Dropped:
    """An answer the new version has no place for, and why (one of the DROPPED_* reasons)."""

    old_id: str
    reason: str


@dataclass(frozen=True)
class MigrationReport:
    """What became of every answer of one assessment."""

    assessment: str
    rubric_id: str
    source_version: str
    target_version: str
    carried: tuple[str, ...]
    remapped: tuple[Remapped, ...]
    dropped: tuple[Dropped, ...]
    to_answer: tuple[str, ...]

    @property
    def changed(self) -> tuple[str, ...]:
        """The new-version indicator ids whose answers differ from before (moved or mapped)."""
        return tuple(item.new_id for item in self.remapped)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON data."""
        return {
            "assessment": self.assessment, "rubric": self.rubric_id,
            "from": self.source_version, "to": self.target_version,
            "carried": list(self.carried),
            "remapped": [{"from": item.old_id, "to": item.new_id, "old_level": item.old_level,
                          "new_level": item.new_level} for item in self.remapped],
            "dropped": [{"indicator": item.old_id, "reason": item.reason} for item in self.dropped],
            "to_answer": list(self.to_answer),
        }


@dataclass(frozen=True)
class Migrated:
    """The assessment document on the new version, and the report of how it got there."""

    document: dict[str, Any]
    report: MigrationReport


def migration_table(source: Rubric, target: Rubric) -> Migration:
    """The table that takes `source`'s answers to `target`; MigrationError naming why there is none."""
    if source.id != target.id:
        raise MigrationError(f'rubric "{target.id}" cannot take answers of rubric "{source.id}"')
    if source.version == target.version:
        raise MigrationError(f'the assessment already uses rubric "{target.id}" {target.version}')
    table = target.migration_from(source.version)
    if table is None:
        offered = ", ".join(entry.source for entry in target.migrations) or "none"
        raise MigrationError(f'rubric "{target.id}" {target.version} lists no migration from version '
                             f'{source.version} (it migrates from: {offered})')
    return table


def migrate_answers(answers: Mapping[str, Any], source: Rubric, target: Rubric,
                    table: Migration) -> tuple[dict[str, Any], list[str], list[Remapped], list[Dropped]]:
    """Answers (document form, by indicator id) on the new version; and what was carried, remapped, dropped."""
    new_indicators = {indicator.id: indicator for indicator in target.indicators()}
    old_kinds = {indicator.id: indicator.kind for indicator in source.indicators()}
    moved: dict[str, Any] = {}
    carried: list[str] = []
    remapped: list[Remapped] = []
    dropped: list[Dropped] = []
    for old_id, answer in answers.items():
        if old_id in table.indicators:
            move = table.indicators[old_id]
            if move is None:
                dropped.append(Dropped(old_id, DROPPED_BY_RUBRIC))
                continue
            new_answer = _mapped(answer, move.levels)
            moved[move.to] = new_answer
            if move.to != old_id or new_answer != answer:
                remapped.append(Remapped(old_id, move.to, _level(answer), _level(new_answer)))
            else:
                carried.append(old_id)
            continue
        indicator = new_indicators.get(old_id)
        if indicator is None:
            dropped.append(Dropped(old_id, DROPPED_NOT_IN_RUBRIC))
        elif old_kinds.get(old_id, _kind_of(answer, indicator)) != indicator.kind:
            dropped.append(Dropped(old_id, DROPPED_KIND_CHANGED))
        else:
            moved[old_id] = copy.deepcopy(answer)
            carried.append(old_id)
    order = {indicator_id: place for place, indicator_id in enumerate(new_indicators)}
    ordered = dict(sorted(moved.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return ordered, carried, remapped, dropped


def migrate_document(doc: Mapping[str, Any], source: Rubric, target: Rubric) -> Migrated:
    """An assessment document (valid against `source`) moved to `target`; the input is left unchanged.

    Everything but the rubric version and the answers stays as it was: the id, ministry, period,
    date, status, assessors and notes. Each respondent's own answers (SPEC 12), if any, move the same way.
    """
    table = migration_table(source, target)
    document = copy.deepcopy(dict(doc))
    answers, carried, remapped, dropped = migrate_answers(doc.get("answers") or {}, source, target, table)
    document["rubric"] = {"id": target.id, "version": target.version}
    document["answers"] = answers
    responses = document.get("responses")
    if isinstance(responses, list):
        for response in responses:
            if isinstance(response, dict) and isinstance(response.get("answers"), Mapping):
                response["answers"] = migrate_answers(response["answers"], source, target, table)[0]
    to_answer = tuple(indicator.id for indicator in target.indicators() if indicator.id not in answers)
    report = MigrationReport(str(doc.get("id", "")), target.id, source.version, target.version,
                             tuple(carried), tuple(remapped), tuple(dropped), to_answer)
    return Migrated(document, report)


def on_version_of(target: Rubric, assessment: Assessment) -> Assessment:
    """The assessment's answers as `target` takes them, when it is of another version `target` migrates from.

    For comparing rounds across a minor version change (a trend from 1.0.0 into 1.1.0): the answers
    move in memory by the same rules as `migrate_document`, the kind of an old indicator read from its
    answer (a value is a metric's, a level a level's). Anything else is returned unchanged.
    """
    if assessment.rubric_id != target.id or assessment.rubric_version == target.version:
        return assessment
    table = target.migration_from(assessment.rubric_version)
    if table is None:
        return assessment
    new_indicators = {indicator.id: indicator for indicator in target.indicators()}
    moved: dict[str, Answer] = {}
    for old_id, answer in assessment.answers.items():
        if old_id in table.indicators:
            move = table.indicators[old_id]
            if move is not None:
                moved[move.to] = replace(answer, level=move.levels.get(answer.level, answer.level)
                                         if answer.level is not None else None,
                                         target=move.levels.get(answer.target, answer.target)
                                         if answer.target is not None else None)
            continue
        indicator = new_indicators.get(old_id)
        implied = "metric" if answer.value is not None else "level" if answer.level is not None else None
        if indicator is not None and implied in (None, indicator.kind):
            moved[old_id] = answer
    return replace(assessment, rubric_version=target.version, answers=moved)


def _mapped(answer: Any, levels: Mapping[int, int]) -> Any:
    """A copy of the answer with its level and target mapped through `levels` (unlisted levels kept)."""
    new = copy.deepcopy(answer)
    if isinstance(new, dict) and levels:
        for key in ("level", "target"):
            value = new.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value in levels:
                new[key] = levels[value]
    return new


def _level(answer: Any) -> int | None:
    value = answer.get("level") if isinstance(answer, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _kind_of(answer: Any, indicator: Indicator) -> str:
    """The kind an answer implies when its old indicator is unknown: a value is a metric's, a level a level's."""
    if isinstance(answer, Mapping):
        if answer.get("value") is not None:
            return "metric"
        if answer.get("level") is not None:
            return "level"
    return indicator.kind
