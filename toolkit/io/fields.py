"""One answer's cells, from a workbook row or a CSV row, checked and turned into an answer object.

The workbook and the CSV importers locate problems in their own terms (`Questionnaire!K7`, `row 7`)
and hand each row's raw cells here; the rules are the same for both: a level on the rubric's scale,
a number with a decimal point, a choice from a short list (in either language), N/A with a reason,
evidence as one web address or description per line.

Issue codes of every import, workbook or CSV (`CODES` maps each to its title and message template;
the defences of the raw file are in `toolkit.io.workbook_guard`):

    not-questionnaire        the workbook is not a ddmt questionnaire
    questionnaire-format     a questionnaire format this toolkit does not read
    missing-sheet            a sheet of the questionnaire is missing
    changed-layout           a column header is not where the questionnaire put it
    other-rubric             the workbook was made for another rubric or version than the one given
    rubric-unavailable       the workbook's rubric is not available
    respondent-questionnaire  a respondent's questionnaire imported as a round (it belongs in the round's responses)
    formula-cell             a formula where a value belongs
    error-cell               an error value (#DIV/0!, #N/A, ...) where a value belongs
    level-not-allowed        a level or target level not on the rubric's scale
    not-a-number             a metric value that is not a number
    decimal-comma            a number written with a comma
    choice-not-allowed       a confidence or N/A not among the choices
    na-without-reason        N/A without a reason
    na-with-answer           N/A together with a level or value
    answer-kind              a level for a metric indicator, or a value for a level indicator
    missing-field            a required field of the cover (ministry, country, period) is empty
    bad-field                a cover field not in its required form
    unknown-row-indicator    a row for an indicator the rubric does not have
    duplicate-row            an indicator answered twice
    row-without-indicator    an answer in a row without an indicator id
    unsafe-evidence          evidence that is neither an http(s) address nor plain text
    broken-link              evidence that looks like a web address but is not a usable one
    csv-encoding             the CSV file is not UTF-8 text
    not-csv                  the file is not CSV text
    csv-malformed            the CSV text cannot be parsed
    csv-header               the CSV header is missing a column, repeats one or has an unknown one
    csv-field-count          a CSV row with more or fewer fields than the header
    csv-needs-base           a CSV of answers given without the assessment they belong to
    too-many-rows            more rows than the limit
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.i18n import LANGUAGES, t
from toolkit.issues import Issue
from toolkit.model.jsonio import display_name
from toolkit.model.links import broken_link, names_a_host
from toolkit.model.rubric import Indicator, Rubric
from toolkit.safe import safe_text

#: code -> (title, English message template); the messages in both languages are `imp_<code>` in
#: toolkit/i18n/import_problems.py, where `issue` finds them.
_TITLES: dict[str, str] = {
    "not-questionnaire": "The workbook is not a ddmt questionnaire",
    "questionnaire-format": "A questionnaire format this toolkit does not read",
    "missing-sheet": "A sheet of the questionnaire is missing",
    "changed-layout": "A column header is not where the questionnaire put it",
    "other-rubric": "The workbook was made for another rubric or version than the one given",
    "rubric-unavailable": "The workbook's rubric is not available",
    "respondent-questionnaire": "A respondent's questionnaire imported as a round",
    "formula-cell": "A formula where a value belongs",
    "error-cell": "An error value where a value belongs",
    "level-not-allowed": "A level or target level not on the rubric's scale",
    "not-a-number": "A metric value that is not a number",
    "decimal-comma": "A number written with a comma",
    "choice-not-allowed": "A confidence or N/A not among the choices",
    "na-without-reason": "N/A without a reason",
    "na-with-answer": "N/A together with a level or value",
    "answer-kind": "A level for a metric indicator, or a value for a level indicator",
    "missing-field": "A required field of the cover (ministry, country, period) is empty",
    "bad-field": "A cover field not in its required form",
    "unknown-row-indicator": "A row for an indicator the rubric does not have",
    "duplicate-row": "An indicator answered twice",
    "row-without-indicator": "An answer in a row without an indicator id",
    "unsafe-evidence": "Evidence that is neither an http(s) address nor plain text",
    "broken-link": "Evidence that looks like a web address but is not a usable one",
    "csv-encoding": "The CSV file is not UTF-8 text",
    "not-csv": "The file is not CSV text",
    "csv-malformed": "The CSV text cannot be parsed",
    "csv-header": "The CSV header is missing a column, repeats one or has an unknown one",
    "csv-field-count": "A CSV row with more or fewer fields than the header",
    "csv-needs-base": "A CSV of answers given without the assessment they belong to",
    "too-many-rows": "More rows than the limit",
}
CODES: dict[str, tuple[str, str]] = {code: (title, t(f"imp_{code}")) for code, title in _TITLES.items()}

_INTEGER = re.compile(r"^[+-]?[0-9]+(\.0*)?$")
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")
_COMMA_NUMBER = re.compile(r"^[+-]?[0-9]*,[0-9]+$|^[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
_WEB = re.compile(r"^https?://\S+", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_UNSAFE_SCHEMES = {"javascript", "vbscript", "data", "file", "blob"}  # active or local: never evidence
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


def issue(file: str, code: str, place: str | None, *, lang: str = "en", **fields: Any) -> Issue:
    """An issue of one of the import codes, its message in `lang` (the language of the file being read)."""
    if code not in CODES:
        raise KeyError(code)
    return Issue(file=file, code=code, message=t(f"imp_{code}", lang, **fields), place=place)


def show(value: Any) -> str:
    """A cell value for a message: numbers as typed, text in quotes, booleans as Excel shows them."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}" if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    text = str(value)
    text = text if len(text) <= 60 else text[:57] + "..."
    # Other control characters (a carriage return, an escape) as \xNN, so a message stays one line.
    return '"' + display_name(text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")) + '"'


def did_you_mean(value: str, known: Iterable[str], lang: str = "en") -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.75)
    return t("imp_w_did_you_mean", lang, value=close[0]) if close else ""


@dataclass
class Row:
    """One row's raw cells by field (`level`, `value`, `na`, ...) and where each is, for messages."""

    indicator: Indicator
    cells: dict[str, Any]
    places: dict[str, str]
    language: str = "en"
    base_evidence: Sequence[Mapping[str, Any]] = ()
    issues: list[Issue] = field(default_factory=list)


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def answer_from_row(row: Row, rubric: Rubric, file: str) -> dict[str, Any] | None:
    """The answer a row gives (None for an empty row); problems are added to `row.issues`."""
    cells, places = row.cells, row.places
    if all(empty(value) for value in cells.values()):
        return None
    answer: dict[str, Any] = {}
    indicator = row.indicator
    lang = row.language
    yes = show(t("qn_yes", lang))
    for given, expected in (("level", "value"), ("value", "level")):
        if not empty(cells.get(given)) and (given == "value") != indicator.is_metric:
            row.issues.append(issue(file, "answer-kind", places[given], lang=lang, id=show(indicator.id),
                                    kind=t(f"imp_w_{indicator.kind}", lang), expected=t(f"imp_w_{expected}", lang),
                                    given=t(f"imp_w_{given}", lang)))
    if indicator.is_metric:
        value = _number(cells.get("value"), t("imp_w_value", lang), places.get("value"), row, file)
        if value is not None:
            answer["value"] = value
    else:
        level = _level(cells.get("level"), t("imp_w_level", lang), places.get("level"), rubric, row, file)
        if level is not None:
            answer["level"] = level
    na = _na(cells.get("na"), places.get("na"), row, file)
    reason = text_cell(cells.get("na_reason"))
    if na:
        answer["na"] = True
        if reason is None:
            row.issues.append(issue(file, "na-without-reason", places.get("na_reason"), lang=lang, yes=yes))
        if "level" in answer or "value" in answer:
            what = "value" if "value" in answer else "level"
            row.issues.append(issue(file, "na-with-answer", places.get(what), lang=lang, yes=yes,
                                    what=t(f"imp_w_{what}", lang)))
    if reason is not None:
        answer["na_reason"] = reason
    target = _level(cells.get("target"), t("imp_w_target", lang), places.get("target"), rubric, row, file)
    if target is not None:
        answer["target"] = target
    confidence = _confidence(cells.get("confidence"), places.get("confidence"), row, file)
    if confidence is not None:
        answer["confidence"] = confidence
    notes = text_cell(cells.get("notes"))
    if notes is not None:
        answer["notes"] = notes
    evidence = _evidence(cells.get("evidence"), places.get("evidence"), row, file)
    if evidence:
        answer["evidence"] = evidence
    return answer


def text_cell(value: Any) -> str | None:
    """A text field: numbers and dates as text, control characters and surrounding space removed, empty as None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = show(value)
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        text = str(value)
    text = safe_text(text).strip()  # control characters out, line ends as "\n", at most a cell's length
    return text or None


def _level(value: Any, name: str, place: str | None, rubric: Rubric, row: Row, file: str) -> int | None:
    if empty(value):
        return None
    allowed = {level.value for level in rubric.scale}
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _INTEGER.match(value.strip()):
        number = int(float(value.strip()))
    if number is None or number not in allowed:
        row.issues.append(issue(file, "level-not-allowed", place, lang=row.language, field=name,
                                value=_show_number(value),
                                low=min(allowed), high=max(allowed)))
        return None
    return number


def _show_number(value: Any) -> str:
    """A would-be number for a message: CSV text that looks like a number is shown as one."""
    if isinstance(value, str) and _DECIMAL.match(value.strip()):
        return value.strip()
    return show(value)


def _number(value: Any, name: str, place: str | None, row: Row, file: str) -> float | int | None:
    if empty(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and _DECIMAL.match(value.strip()):
        number = float(value.strip())
    elif isinstance(value, str) and _COMMA_NUMBER.match(value.strip()):
        row.issues.append(issue(file, "decimal-comma", place, lang=row.language, field=name, value=show(value),
                                example=t("imp_w_example", row.language)))
        return None
    else:
        row.issues.append(issue(file, "not-a-number", place, lang=row.language, field=name, value=show(value)))
        return None
    if not math.isfinite(number) or abs(number) > 1e15:
        row.issues.append(issue(file, "not-a-number", place, lang=row.language, field=name,
                                value=_show_number(value)))
        return None
    return int(number) if number.is_integer() else number


def _labels(key: str) -> set[str]:
    return {t(key, language).casefold() for language in LANGUAGES}


def _na(value: Any, place: str | None, row: Row, file: str) -> bool:
    if empty(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _TRUE | _labels("qn_yes"):
        return True
    if text in _FALSE | _labels("qn_no"):
        return False
    allowed = f"{t('qn_yes', row.language)}, {t('qn_no', row.language)}"
    row.issues.append(issue(file, "choice-not-allowed", place, lang=row.language, field=t("imp_w_na", row.language),
                            value=show(value), allowed=allowed))
    return False


def _confidence(value: Any, place: str | None, row: Row, file: str) -> str | None:
    if empty(value):
        return None
    text = str(value).strip().casefold()
    for code in ("high", "medium", "low"):
        if text == code or text in _labels(f"qn_{code}"):
            return code
    allowed = ", ".join(t(f"qn_{code}", row.language) for code in ("high", "medium", "low"))
    row.issues.append(issue(file, "choice-not-allowed", place, lang=row.language,
                            field=t("imp_w_confidence", row.language), value=show(value), allowed=allowed))
    return None


def evidence_line(item: Mapping[str, Any]) -> str:
    """One evidence item as the single line the CSV export writes (and the import recognises)."""
    kind = item.get("kind")
    if kind == "url":
        description = " ".join(str(item.get("description") or "").split())
        return f"{item.get('value', '')} {description}".strip()
    if kind == "file":
        return f"file: {item.get('name') or item.get('sha256') or ''}".strip()
    return " ".join(str(item.get("value") or "").split())


def _evidence(value: Any, place: str | None, row: Row, file: str) -> list[dict[str, Any]]:
    """One item per line: a base item written back unchanged, a web address, or a description."""
    text = text_cell(value)
    if text is None:
        return []
    known = [(safe_text(evidence_line(item)).strip(), item) for item in row.base_evidence]
    items: list[dict[str, Any]] = []
    for line in (part.strip() for part in text.split("\n")):
        if not line:
            continue
        match = next((index for index, (shown, _) in enumerate(known) if shown == line), None)
        if match is not None:
            items.append(dict(known.pop(match)[1]))
            continue
        scheme = _SCHEME.match(line)
        if _WEB.match(line):
            address, *description = line.split(maxsplit=1)  # a tab or a no-break space ends it as well as a space
            if not names_a_host(address):
                row.issues.append(issue(file, "broken-link", place, lang=row.language, value=show(line)))
                continue
            item: dict[str, Any] = {"kind": "url", "value": address}
            if description:
                item["description"] = description[0]
            items.append(item)
        elif scheme and scheme.group(1).lower() in _UNSAFE_SCHEMES:
            advice = t("imp_w_attach_files", row.language) if scheme.group(1).lower() == "file" else ""
            row.issues.append(issue(file, "unsafe-evidence", place, lang=row.language, value=show(line),
                                    advice=advice))
        elif broken_link(line.split(" ", 1)[0]):
            row.issues.append(issue(file, "broken-link", place, lang=row.language, value=show(line)))
        else:
            items.append({"kind": "text", "value": line})
    return items
