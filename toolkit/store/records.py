"""What the store hands out and takes in: its records and errors, and the conversions to and from rows.

Database rows, the models of `toolkit.model.assessment` and assessment JSON documents are turned into one
another here, and values a person typed are checked before they reach a row, so `toolkit.store`
can stay with transactions. Nothing here touches the database.

Every piece of text bound for a row passes `whole_text`, which refuses half of a UTF-16 surrogate
pair (`"\\ud800"`, possible in a Python str though in no UTF-8 text): the database driver could not
encode it, so it is refused by name before anything is written.
"""

from __future__ import annotations

import json
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from toolkit.errors import DocumentError, RubricNotFoundError, ToolkitError
from toolkit.issues import SURROGATE, Issue
from toolkit.model import jsonio
from toolkit.model.assessment import CONFIDENCES, SENSITIVITIES, Answer, Assessment, Evidence, Ministry, Response
from toolkit.model.catalogue import find_rubric, list_rubrics
from toolkit.model.documents import DEFAULT_NAME, validate_assessment
from toolkit.model.rubric import Indicator, Rubric
from toolkit.model.semantics import ID, show
from toolkit.model.validation import CODES, sort_issues
from toolkit.store import evidence_files

ANSWER_FIELDS = ("level", "value", "na", "na_reason", "target", "confidence", "notes")
EVIDENCE_KINDS = ("url", "text", "file")
MAX_TEXT = 20_000  # characters of one note, reason or evidence text: a page or two, never a whole file

#: A database row as a mapping (SQLAlchemy's RowMapping is keyed by names or columns).
Row = Mapping[Any, Any]

_ISO3 = re.compile(r"^[A-Z]{3}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SLUG = re.compile(r"[^a-z0-9_.-]+")
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cn"})
_SLUG_LENGTH = 40


class StorageError(ToolkitError):
    """The store could not save or read; the message says why in words fit for a user."""


class NotFoundError(ToolkitError, LookupError):
    """No assessment (or ministry) with that id is stored."""


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as stored: the version a save must name, and who saved it when (version 0: never saved)."""

    indicator_id: str
    answer: Answer
    version: int
    updated_at: str
    updated_by: str


class ConflictError(ToolkitError):
    """Someone saved the answer after the version this change was based on; `current` is theirs."""

    def __init__(self, current: StoredAnswer):
        self.current = current
        who = f"{current.updated_by} at {current.updated_at}" if current.updated_by else "someone else"
        super().__init__(f"{current.indicator_id}: {who} changed this answer first (now version "
                         f"{current.version}); your change was not saved")


@dataclass(frozen=True)
class AssessmentSummary:
    """One assessment round as a list shows it; `answered` counts indicators answered or marked N/A."""

    id: str
    ministry_id: str
    ministry_name: str
    fictional: bool
    period: str
    status: str
    rubric_id: str
    rubric_version: str
    updated_at: str
    answered: int
    version: int = 1  # reopening a submitted or reviewed round makes a new draft version
    parent_id: str | None = None  # the version this one was reopened from
    superseded_by: str | None = None  # the newer version reopened from this one (then read-only)


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change: values are text (numbers and evidence as JSON), None for unset."""

    at: str
    user: str
    assessment_id: str
    indicator_id: str | None
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class StoredFile:
    """An evidence file kept by content hash; `name` is the first upload's display name."""

    sha256: str
    size: int
    type: str
    name: str


# ------------------------------------------------------------------------------------ ministries

def check_ministry(ministry: Ministry) -> None:
    """StorageError unless the ministry would pass the assessment document's checks."""
    if not (isinstance(ministry.id, str) and ID.match(ministry.id)):
        raise StorageError(f"{show(ministry.id)} is not a valid ministry id (lowercase letters, digits, "
                           '"_", "." and "-", starting with a letter or digit)')
    for label, value in (("name", ministry.name), ("country", ministry.country)):
        if not (isinstance(value, str) and value.strip()):
            raise StorageError(f"a ministry needs a {label}")
        visible_label(ministry.id, f"the {label}", value)
    if ministry.iso3 is not None and not (isinstance(ministry.iso3, str) and _ISO3.match(ministry.iso3)):
        raise StorageError(f'{show(ministry.iso3)} is not a three-letter ISO country code like "IDN"')
    if ministry.region is not None and not isinstance(ministry.region, str):
        raise StorageError("a ministry's region must be text")
    visible_label(ministry.id, "the region", ministry.region)


def ministry_row(ministry: Ministry, now: str, who: str) -> dict[str, Any]:
    """The ministries row, stamped with who created it and when (ministries are not in the audit trail)."""
    return {"id": ministry.id, "name": ministry.name, "country": ministry.country, "iso3": ministry.iso3,
            "region": ministry.region, "fictional": bool(ministry.fictional), "created_at": now, "created_by": who}


def ministry(row: Row) -> Ministry:
    """The model from a ministries row."""
    return Ministry(id=row["id"], name=row["name"], country=row["country"], iso3=row["iso3"],
                    region=row["region"], fictional=bool(row["fictional"]))


# ----------------------------------------------------------------------------------- assessments

def slug(label: str) -> str:
    """A period label as the tail of an id: "2026 Q1" -> "2026-q1"."""
    return _SLUG.sub("-", label.lower()).strip("-._")[:_SLUG_LENGTH].strip("-._") or "round"


def assessment_row(assessment: Assessment, now: str, who: str) -> dict[str, Any]:
    """The assessments row of an imported model: its own date and status, created and updated now."""
    return {"id": assessment.id, "ministry_id": assessment.ministry.id, "rubric_id": assessment.rubric_id,
            "rubric_version": assessment.rubric_version, "period": assessment.period, "date": assessment.date,
            "status": assessment.status, "assessors": list(assessment.assessors), "language": assessment.language,
            "notes": assessment.notes, "created_at": now, "created_by": who, "updated_at": now, "updated_by": who}


def assessment(row: Row, answers: Mapping[str, Answer]) -> Assessment:
    """The model from an assessments row joined with its ministry's name, country, iso3, region, fictional."""
    return Assessment(
        id=row["id"], rubric_id=row["rubric_id"], rubric_version=row["rubric_version"],
        ministry=Ministry(id=row["ministry_id"], name=row["name"], country=row["country"], iso3=row["iso3"],
                          region=row["region"], fictional=bool(row["fictional"])),
        period=row["period"], date=row["date"], status=row["status"], assessors=tuple(row["assessors"] or ()),
        answers=dict(answers), language=row["language"], notes=row["notes"],
        version=int(row.get("version") or 1), parent_id=row.get("parent_id"))


def answer_rows(assessment: Assessment, now: str,
                who: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The answers and evidence rows of a whole (validated) assessment, each answer at version 1."""
    answers, items = [], []
    for indicator_id, answer in assessment.answers.items():
        answers.append({"assessment_id": assessment.id, "indicator_id": indicator_id, **answer_fields(answer),
                        "version": 1, "updated_at": now, "updated_by": who})
        for position, item in enumerate(answer.evidence):
            items.append({"assessment_id": assessment.id, "indicator_id": indicator_id, "position": position,
                          "kind": item.kind, "value": item.value,
                          "name": evidence_files.sanitise_name(item.name) if item.name is not None else None,
                          "sha256": item.sha256.lower() if item.sha256 else None, "description": item.description,
                          "added_by": item.added_by, "added_at": item.added_at, "sensitivity": item.sensitivity})
    return answers, items


# --------------------------------------------------------------------------------------- answers

def answer_fields(answer: Answer) -> dict[str, Any]:
    """The answer's own fields (evidence aside), as the answers table holds them."""
    return {"level": answer.level, "value": answer.value, "na": answer.na, "na_reason": answer.na_reason,
            "target": answer.target, "confidence": answer.confidence, "notes": answer.notes}


def answer(row: Row, items: Iterable[Evidence]) -> Answer:
    """The model from an answers row and its evidence, in order."""
    return Answer(level=row["level"], value=float(row["value"]) if row["value"] is not None else None,
                  na=bool(row["na"]), na_reason=row["na_reason"], target=row["target"],
                  confidence=row["confidence"], notes=row["notes"], evidence=tuple(items))


def answer_changes(changes: Mapping[str, Any], indicator: Indicator, scale: Sequence[int]) -> dict[str, Any]:
    """The changes checked and normalised (None clears; "" is None; na None is False); StorageError if wrong.

    Each field is checked alone (type, scale, level or metric): saved-as-you-go stores a half-made
    answer, such as N/A before its reason is typed, and the document checks report what is missing.
    """
    unknown = sorted(set(changes) - set(ANSWER_FIELDS))
    if unknown:
        raise ValueError(f"not answer fields: {', '.join(unknown)} (use {', '.join(ANSWER_FIELDS)})")
    where = indicator.id
    checked: dict[str, Any] = {}
    for key, value in changes.items():
        if key in ("level", "target"):
            value = _whole(where, key, value)
            if key == "level" and value is not None and indicator.is_metric:
                raise StorageError(f'{where}: a metric indicator takes a "value", not a "level"')
            if value is not None and not indicator.is_metric and scale and value not in scale:
                raise StorageError(f"{where}: {value} is not a level of the scale ({min(scale)} to {max(scale)})")
        elif key == "value":
            if value is not None:
                if not (isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)):
                    raise StorageError(f"{where}: the value must be a finite number, not {show(value)}")
                if not indicator.is_metric:
                    raise StorageError(f'{where}: a level indicator takes a "level", not a "value"')
                value = float(value)
        elif key == "na":
            if value is not None and not isinstance(value, bool):
                raise StorageError(f"{where}: N/A must be true or false, not {show(value)}")
            value = bool(value)
        elif key == "confidence":
            if value is not None and value not in CONFIDENCES:
                raise StorageError(f'{where}: confidence must be one of {", ".join(CONFIDENCES)}, not {show(value)}')
        else:
            value = _text(where, key, value)
        checked[key] = value
    return checked


def _whole(where: str, key: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
        raise StorageError(f"{where}: the {key} must be a whole number of 0 or more, not {show(value)}")
    return int(value)


def _text(where: str, key: str, value: Any) -> str | None:
    """Free text as typed (an empty box is None); StorageError if not text, too long or holding half a character."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise StorageError(f"{where}: {key} must be text, not {show(value)}")
    if len(value) > MAX_TEXT:
        raise StorageError(f"{where}: {key} is longer than the limit of {MAX_TEXT:,} characters")
    return whole_text(where, key, value)


def visible_label(where: str, label: str, value: Any) -> Any:
    """`value` as it is, unless it holds a character that hides or reorders text; then StorageError naming it.

    Names and periods tell rounds apart: a control character, a bidirectional override or a
    zero-width character (Unicode categories Cc, Cf, Zl, Zp, Co, Cn) could make two rounds look the
    same, or disguise one as another, so such labels are refused.
    """
    value = whole_text(where, label, value)
    if isinstance(value, str):
        for char in value:
            if unicodedata.category(char) in _HIDDEN_CATEGORIES:
                name = unicodedata.name(char, "a control character")
                raise StorageError(f"{where}: {label} holds U+{ord(char):04X} ({name}), a character that hides "
                                   "or reorders text; nothing was saved")
    return value


def whole_text(where: str, label: str, value: Any) -> Any:
    """`value` as it is, unless it is text holding half of a UTF-16 surrogate pair: then StorageError naming it.

    Such a str can come from Python code or a decoding with `surrogateescape`, never from UTF-8; no
    database driver can encode it, so it is refused before the write, with the half shown as `\\udXXX`.
    """
    if isinstance(value, str):
        found = SURROGATE.search(value)
        if found:
            raise StorageError(f"{where}: {label} holds \\u{ord(found.group()):04x}, half of a UTF-16 surrogate "
                               "pair and not a character; nothing was saved")
    return value


# -------------------------------------------------------------------------------------- evidence

def evidence_row(item: Evidence, who: str, now: str) -> dict[str, Any]:
    """The checked evidence row (without place): http(s) URLs only, file names as display text."""
    if item.kind not in EVIDENCE_KINDS:
        raise StorageError(f'{show(item.kind)} is not a kind of evidence: use {", ".join(EVIDENCE_KINDS)}')
    if item.sensitivity not in SENSITIVITIES:
        raise StorageError(f'{show(item.sensitivity)} is not a sensitivity: use {", ".join(SENSITIVITIES)}')
    value = name = sha256 = None
    if item.kind == "url":
        link = item.value if isinstance(item.value, str) else ""
        problem = evidence_files.url_problem(link)
        if problem:
            raise StorageError(problem)
        value = whole_text("evidence", "the link", link.strip())
    elif item.kind == "text":
        value = _text("evidence", "the text", item.value)
        if value is None or not value.strip():
            raise StorageError("the evidence text is empty")
    else:
        sha256 = item.sha256.lower() if isinstance(item.sha256, str) else ""
        if not _SHA256.match(sha256):
            raise StorageError(f"{show(item.sha256)} is not a SHA-256 hash of a stored file")
        name = evidence_files.sanitise_name(item.name) if item.name else None
    # Who added it and when are the store's own facts, never what the item says (SPEC 13, security).
    return {"kind": item.kind, "value": value, "name": name, "sha256": sha256,
            "description": _text("evidence", "the description", item.description),
            "added_by": who, "added_at": now, "sensitivity": item.sensitivity}


def evidence_item(row: Row) -> Evidence:
    """The model from an evidence row."""
    return Evidence(kind=row["kind"], value=row["value"], name=row["name"], sha256=row["sha256"],
                    description=row["description"], added_by=row["added_by"], added_at=row["added_at"],
                    sensitivity=row["sensitivity"])


def evidence_text(row: Row) -> str:
    """An evidence item as the audit trail shows it: compact JSON of what it says."""
    keys = ("kind", "value", "name", "sha256", "description", "sensitivity")
    return json.dumps({key: row[key] for key in keys if row[key] is not None}, ensure_ascii=False)


def audit_text(value: Any) -> str | None:
    """A value as audit text: strings as they are, anything else as JSON, None as None."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# ------------------------------------------------------------------------------------- documents

def assessment_document(assessment: Assessment, order: Sequence[str] = ()) -> dict[str, Any]:
    """An assessment JSON document from the model, answers in `order` (then by id); optional keys only if set."""
    ministry = assessment.ministry
    ministry_doc: dict[str, Any] = {"id": ministry.id, "name": ministry.name, "country": ministry.country}
    ministry_doc.update({key: value for key, value in (("iso3", ministry.iso3), ("region", ministry.region))
                         if value is not None})
    if ministry.fictional:
        ministry_doc["fictional"] = True
    doc: dict[str, Any] = {
        "kind": "assessment", "format_version": 1, "id": assessment.id,
        "rubric": {"id": assessment.rubric_id, "version": assessment.rubric_version},
        "ministry": ministry_doc, "period": assessment.period, "date": assessment.date,
        "status": assessment.status, "assessors": list(assessment.assessors),
    }
    if assessment.language is not None:
        doc["language"] = assessment.language
    if assessment.notes is not None:
        doc["notes"] = assessment.notes
    rank = {indicator_id: index for index, indicator_id in enumerate(order)}
    keys = sorted(assessment.answers, key=lambda key: (rank.get(key, len(rank)), key))
    doc["answers"] = {key: answer_document(assessment.answers[key]) for key in keys}
    if assessment.responses:
        doc["responses"] = [response_document(response, rank) for response in assessment.responses]
    return doc


def response_document(response: Response, rank: Mapping[str, int]) -> dict[str, Any]:
    """One respondent's response in the document form (SPEC 12)."""
    who = response.respondent
    doc: dict[str, Any] = {"respondent": {"id": who.id, "name": who.name, **({"unit": who.unit} if who.unit else {})}}
    keys = sorted(response.answers, key=lambda key: (rank.get(key, len(rank)), key))
    doc["answers"] = {key: answer_document(response.answers[key]) for key in keys}
    if response.submitted_at:
        doc["submitted_at"] = response.submitted_at
    return doc


def answer_document(answer: Answer) -> dict[str, Any]:
    """One answer in the document form (SPEC 3): only the fields that are set."""
    doc: dict[str, Any] = {}
    for key in ("level", "value"):
        if getattr(answer, key) is not None:
            doc[key] = getattr(answer, key)
    if answer.na:
        doc["na"] = True
    for key in ("na_reason", "target", "confidence", "notes"):
        if getattr(answer, key) is not None:
            doc[key] = getattr(answer, key)
    if answer.evidence:
        doc["evidence"] = [{key: value for key, value in (
            ("kind", item.kind), ("value", item.value), ("name", item.name), ("sha256", item.sha256),
            ("description", item.description), ("added_by", item.added_by), ("added_at", item.added_at),
            ("sensitivity", item.sensitivity)) if value is not None} for item in answer.evidence]
    return doc


def validated_assessment(doc: Any, name: str | None) -> Assessment:
    """The model of an assessment document checked against its catalogue rubric; DocumentError if invalid."""
    label = jsonio.display_name(name) if name else DEFAULT_NAME
    if not isinstance(doc, Mapping):
        raise DocumentError([Issue(label, "wrong-type", CODES["wrong-type"][1].format(
            expected="an object", actual=show(doc)), path=())])
    doc = dict(doc)
    rubric, lookup = _catalogue_rubric(doc, label)
    report = validate_assessment(doc, rubric, name=label)
    issues = sort_issues(doc, [*report.issues, *lookup])
    if issues:
        raise DocumentError(issues)
    return Assessment.from_dict(doc, source_file=label if name else None)


def _catalogue_rubric(doc: Mapping[str, Any], label: str) -> tuple[Rubric | None, list[Issue]]:
    """The rubric the document names, or the issue saying it is not available (malformed: the schema's)."""
    named = doc.get("rubric")
    if not isinstance(named, Mapping):
        return None, []
    rubric_id, version = named.get("id"), named.get("version")
    if not (isinstance(rubric_id, str) and isinstance(version, str)):
        return None, []
    try:
        return find_rubric(rubric_id, version), []
    except RubricNotFoundError as error:
        known = any(found == rubric_id for found, _, _ in list_rubrics())
        return None, [Issue(label, "rubric-not-found", CODES["rubric-not-found"][1].format(detail=error),
                            path=("rubric", "version" if known else "id"))]


def now_stamp() -> str:
    """The current UTC time as ISO 8601 with milliseconds and Z, the form the document format accepts."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def person_name(user: str) -> str:
    """The name of the person making a change, spaces tidied; StorageError if there is none."""
    name = " ".join(user.split()) if isinstance(user, str) else ""
    if not name:
        raise StorageError("a change needs the name of the person making it")
    return whole_text("the change", "the name of the person making it", name)
