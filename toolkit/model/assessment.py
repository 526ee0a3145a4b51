"""The assessment model: one ministry's answers to one rubric in one round.

`Assessment.from_dict` expects a validated document; `toolkit.model.documents.load_assessment` reads and
validates a file in one step.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

CONFIDENCES = ("high", "medium", "low")
SENSITIVITIES = ("public", "internal", "restricted")
STATUSES = ("draft", "submitted", "reviewed")


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a URL, a text, or a stored file named by its content hash."""

    kind: str  # "url" | "text" | "file"
    value: str | None = None
    name: str | None = None
    sha256: str | None = None
    description: str | None = None
    added_by: str | None = None
    added_at: str | None = None
    sensitivity: str = "internal"


@dataclass(frozen=True)
class Answer:
    """The answer to one indicator. Neither level nor value (and not N/A) means missing."""

    level: int | None = None
    value: float | None = None
    na: bool = False
    na_reason: str | None = None
    target: int | None = None
    confidence: str | None = None
    notes: str | None = None
    evidence: tuple[Evidence, ...] = ()

    @property
    def status(self) -> str:
        """`na`, `missing` or `answered`, as SPEC section 4 defines them."""
        if self.na:
            return "na"
        if self.level is None and self.value is None:
            return "missing"
        return "answered"


FICTIONAL_MARK = " †"  # after a fictional ministry's name wherever it is shown, with a note saying why


def marked_name(name: str, fictional: bool) -> str:
    """A ministry's name as shown: with † when it is fictional, so invented scores never pass as a country's."""
    return name + FICTIONAL_MARK if fictional else name


ID_FROM_NAME_LIMIT = 48  # characters: long enough for "ministry-of-foreign-affairs-of-x", short enough for a URL


def id_from_name(name: str, taken: Collection[str] = ()) -> str:
    """A ministry's id derived from its name: "Kementerian Luar Negeri RI" -> "kementerian-luar-negeri-ri".

    Accents are dropped, anything but letters and digits becomes one '-', the result is cut at a word
    boundary; when the id is `taken`, "-2", "-3", ... is added. Empty for a name with no letter or digit.
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    words = [word for word in re.split(r"[^a-z0-9]+", plain) if word]
    base = ""
    for word in words:
        longer = f"{base}-{word}" if base else word
        if len(longer) > ID_FROM_NAME_LIMIT:
            break
        base = longer
    if not base:
        base = words[0][:ID_FROM_NAME_LIMIT] if words else ""
    if not base or base not in taken:
        return base
    return next(f"{base}-{n}" for n in range(2, len(taken) + 3) if f"{base}-{n}" not in taken)


@dataclass(frozen=True)
class Ministry:
    id: str
    name: str
    country: str
    iso3: str | None = None
    region: str | None = None
    fictional: bool = False

    @property
    def marked_name(self) -> str:
        """The name as shown, with † when the ministry is fictional."""
        return marked_name(self.name, self.fictional)


@dataclass(frozen=True)
class Respondent:
    """One person (or unit) answering separately in a team round (SPEC 12)."""

    id: str
    name: str
    unit: str | None = None


@dataclass(frozen=True)
class Response:
    """A respondent's own answers; never scored, only compared and consolidated."""

    respondent: Respondent
    answers: Mapping[str, Answer] = field(default_factory=dict)
    submitted_at: str | None = None


@dataclass(frozen=True)
class Assessment:
    """One ministry's answers to one rubric version in one round (period)."""

    id: str
    rubric_id: str
    rubric_version: str
    ministry: Ministry
    period: str
    date: str
    status: str
    assessors: tuple[str, ...] = ()
    answers: Mapping[str, Answer] = field(default_factory=dict)
    responses: tuple[Response, ...] = ()  # team rounds: each respondent's answers; `answers` is consolidated
    language: str | None = None
    notes: str | None = None
    source_file: str | None = None
    version: int = 1  # the round's version in the store (a reopened round is a new version); not in documents
    parent_id: str | None = None  # the version it was reopened from

    def answer(self, indicator_id: str) -> Answer:
        """The answer to an indicator, or an empty (missing) answer."""
        return self.answers.get(indicator_id, _MISSING)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], source_file: str | None = None) -> Assessment:
        """Build the model from a validated assessment document."""
        ministry = doc["ministry"]
        return cls(
            id=doc["id"],
            rubric_id=doc["rubric"]["id"],
            rubric_version=doc["rubric"]["version"],
            ministry=Ministry(
                id=ministry["id"], name=ministry["name"], country=ministry["country"],
                iso3=ministry.get("iso3"), region=ministry.get("region"),
                fictional=bool(ministry.get("fictional", False)),
            ),
            period=str(doc["period"]),
            date=doc["date"],
            status=doc["status"],
            assessors=tuple(doc.get("assessors", ())),
            answers={key: _answer_from_dict(value) for key, value in doc.get("answers", {}).items()},
            responses=tuple(_response_from_dict(item) for item in doc.get("responses", ())),
            language=doc.get("language"),
            notes=doc.get("notes"),
            source_file=source_file,
        )


_MISSING = Answer()


def _response_from_dict(doc: Mapping[str, Any]) -> Response:
    who = doc["respondent"]
    return Response(
        respondent=Respondent(id=who["id"], name=who["name"], unit=who.get("unit")),
        answers={key: _answer_from_dict(value) for key, value in doc.get("answers", {}).items()},
        submitted_at=doc.get("submitted_at"),
    )


def _answer_from_dict(doc: Mapping[str, Any]) -> Answer:
    return Answer(
        level=doc.get("level"),
        value=float(doc["value"]) if doc.get("value") is not None else None,
        na=bool(doc.get("na", False)),
        na_reason=doc.get("na_reason"),
        target=doc.get("target"),
        confidence=doc.get("confidence"),
        notes=doc.get("notes"),
        evidence=tuple(Evidence(
            kind=item["kind"], value=item.get("value"), name=item.get("name"),
            sha256=item.get("sha256"), description=item.get("description"),
            added_by=item.get("added_by"), added_at=item.get("added_at"),
            sensitivity=item.get("sensitivity", "internal"),
        ) for item in doc.get("evidence", ())),
    )
