"""A respondent's questionnaire coming back (SPEC 12): the filled copy becomes that respondent's response.

`toolkit.io.template.RespondentCopy` makes a questionnaire for one respondent of one round; its
About sheet names the round, the ministry and the respondent, mirrored in the workbook's custom
properties. `import_response` reads a filled copy for a given round and returns a `Response` of the
respondent it names: only ever their own answers, never the round's consolidated ones. It refuses,
naming the file and the cell:

    not-respondent-copy      a questionnaire made for no respondent, given as a respondent's
    tampered-stamp           an id or name on the About sheet differs from the copy it was made with
    other-round              a respondent's copy of another round
    other-ministry           a respondent's copy of another ministry's round
    unknown-respondent       a copy for a respondent the round does not have

Who may import into which round is checked above, in `toolkit.access.team`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.errors import DocumentError
from toolkit.i18n import LANGUAGES, t
from toolkit.io.fields import show
from toolkit.io.imports import WorkbookRead, read_workbook
from toolkit.issues import Issue
from toolkit.model.assessment import Assessment, Respondent, Response
from toolkit.model.jsonio import display_name
from toolkit.model.rubric import Rubric

#: code -> (title, English message template); the messages in both languages are `resp_<code>` in
#: toolkit/i18n/import_problems.py, given in the questionnaire's own language.
_TITLES: dict[str, str] = {
    "not-respondent-copy": "A questionnaire made for no respondent, given as a respondent's",
    "tampered-stamp": "An id or name on the About sheet differs from the copy it was made with",
    "other-round": "A respondent's copy of another round",
    "other-ministry": "A respondent's copy of another ministry's round",
    "unknown-respondent": "A copy for a respondent the round does not have",
}
CODES: dict[str, tuple[str, str]] = {code: (title, t(f"resp_{code}")) for code, title in _TITLES.items()}

#: The stamp keys that say whose copy it is; each must match its mirror in the custom properties.
RESPONDENT_KEYS = ("round_id", "ministry_id", "respondent_id", "respondent_name", "respondent_unit")


def issue(file: str, code: str, place: str | None, *, lang: str = "en", **fields: Any) -> Issue:
    if code not in CODES:
        raise KeyError(code)
    return Issue(file=file, code=code, message=t(f"resp_{code}", lang, **fields), place=place)


def respondent_of(read: WorkbookRead) -> str | None:
    """The respondent id a questionnaire was made for, None for an ordinary questionnaire."""
    value = read.value("respondent_id")
    return str(value) if value is not None else None


class _Seen(DocumentError):
    """Stops a read once the About sheet has said whose copy it is."""


@dataclass(frozen=True)
class CopyTarget:
    """Whose copy a questionnaire says it is: the round (and the About cell naming it) and the respondent."""

    round_id: str
    respondent_id: str
    round_place: str


def copy_of(data: bytes, name: str) -> CopyTarget | None:
    """The round and respondent a questionnaire was made for; None for any other file, readable or not.

    Reads no further than the About sheet, so an upload can be routed before it is checked whole.
    """
    found: list[CopyTarget] = []

    def seen(stamp: Mapping[str, tuple[Any, str]], properties: Mapping[str, Any]) -> None:
        respondent = stamp.get("respondent_id", (None,))[0] or properties.get("ddmt.respondent_id")
        if respondent is not None:
            round_id, place = stamp.get("round_id", (properties.get("ddmt.round_id"), "About"))
            found.append(CopyTarget(_text(round_id), _text(respondent), place))
        raise _Seen([])

    try:
        read_workbook(data, name, check_stamp=seen)
    except DocumentError:
        pass
    return found[0] if found else None


def import_response(data: bytes, name: str, round_: Assessment, rubric: Rubric, *,
                    respondents: Sequence[Respondent] | None = None, new_respondents: bool = False,
                    today: dt.date | None = None, lang: str = "en") -> Response:
    """A filled respondent's copy as that respondent's `Response` in `round_`; DocumentError naming file and cell.

    `respondents` are those the round has (default: the round's responses); the response carries
    the round's record of the respondent. With `new_respondents` (a round file, where making a copy
    for a new name is the invitation) a respondent the round lacks comes from the copy instead.
    Problems are in the questionnaire's own language; `lang` before its About sheet is read.
    """
    known = {item.id: item for item in (respondents if respondents is not None else
                                        [response.respondent for response in round_.responses])}
    display = display_name(name)

    def check(stamp: Mapping[str, tuple[Any, str]], properties: Mapping[str, Any]) -> None:
        _check_stamp(display, stamp, properties, round_, known, new_respondents)

    read = read_workbook(data, name, rubric=rubric, today=today, check_stamp=check, lang=lang)
    respondent_id = _text(read.value("respondent_id"))
    respondent = known.get(respondent_id) or Respondent(respondent_id, _text(read.value("respondent_name")),
                                                        _text(read.value("respondent_unit")) or None)
    return Response(respondent, dict(Assessment.from_dict(read.document).answers))


def _check_stamp(name: str, stamp: Mapping[str, tuple[Any, str]], properties: Mapping[str, Any],
                 round_: Assessment, known: Mapping[str, Respondent], new_respondents: bool) -> None:
    """Whose copy it is, each rule refused at its cell: made for a respondent, unchanged, this round, known."""
    stamped = stamp.get("language", (None,))[0]
    lang = stamped if stamped in LANGUAGES else "en"
    if stamp.get("respondent_id", (None,))[0] is None and properties.get("ddmt.respondent_id") is None:
        raise DocumentError([issue(name, "not-respondent-copy", stamp.get("format", (None, None))[1], lang=lang)])
    fallback = stamp.get("respondent_id", stamp.get("format", (None, None)))[1]
    problems = []
    for key in RESPONDENT_KEYS:
        found, place = stamp.get(key, (None, fallback))
        made = properties.get(f"ddmt.{key}")
        if _text(found) != _text(made):
            problems.append(issue(name, "tampered-stamp", place, lang=lang, field=key, found=show(_text(found)),
                                  made=show(_text(made))))
    if problems:
        raise DocumentError(problems)
    round_id, round_place = stamp["round_id"]
    if _text(round_id) != round_.id:
        problems.append(issue(name, "other-round", round_place, lang=lang, found=show(_text(round_id)), expected=show(round_.id)))
    ministry_id, ministry_place = stamp["ministry_id"]
    if _text(ministry_id) != round_.ministry.id:
        problems.append(issue(name, "other-ministry", ministry_place, lang=lang, found=show(_text(ministry_id)),
                              expected=show(round_.ministry.id)))
    respondent_id, place = stamp["respondent_id"]
    if not problems and _text(respondent_id) not in known and not new_respondents:
        problems.append(issue(name, "unknown-respondent", place, lang=lang, id=show(_text(respondent_id)),
                              round=show(round_.id)))
    if problems:
        raise DocumentError(problems)


def _text(value: Any) -> str:
    """A stamp value as text ("" for an empty cell), so 7 and "7" compare equal to the property."""
    return "" if value is None else str(value).strip()
