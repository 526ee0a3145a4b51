"""Answers as CSV, both ways: one row per indicator, for a spreadsheet or a script.

Columns, in this order: `indicator, level, value, na, na_reason, target, confidence, notes, evidence`.
`na` is `yes` or empty; `confidence` is `high`, `medium` or `low`; `evidence` holds one item per line
(a web address and its description, a text, or `file: NAME` for a stored file). Text that could start
a formula gets a leading apostrophe on export (`toolkit.safe.csv_cell`), removed on import.

The import reads CSV as text and never guesses: `NA` is Namibia (or any text), not a missing value;
`3,5` is reported as a decimal comma, a row with a stray delimiter by its field count, each by row
(the header is row 1). It accepts UTF-8 with or without a byte-order mark, and comma, semicolon or
tab as the delimiter (whichever the header uses). Answers replace those of a base assessment
indicator by indicator; evidence written back unchanged keeps its description, author and
sensitivity, so export then import changes nothing.
"""

from __future__ import annotations

import codecs
import copy
import csv
import dataclasses
import io
from collections.abc import Mapping
from typing import Any

from toolkit.errors import DocumentError
from toolkit.i18n import LANGUAGES, t
from toolkit.io.fields import Row, answer_from_row, did_you_mean, evidence_line, issue, show
from toolkit.io.workbook_guard import describe_content
from toolkit.io.workbook_guard import issue as guard_issue
from toolkit.issues import Issue
from toolkit.model import catalogue
from toolkit.model.assessment import Assessment
from toolkit.model.documents import validate_assessment
from toolkit.model.jsonio import display_name
from toolkit.model.rubric import Rubric
from toolkit.safe import FORMULA_TRIGGERS, csv_cell, safe_text

COLUMNS = ("indicator", "level", "value", "na", "na_reason", "target", "confidence", "notes", "evidence")
MAX_BYTES = 5_000_000
MAX_ROWS = 10_000
_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": '","', ";": '";"'}  # a tab is named in words, in the file's language


def answers_to_csv(assessment: Assessment | Mapping[str, Any], rubric: Rubric | None = None) -> str:
    """The answers as CSV text; with `rubric`, one row for every indicator in rubric order."""
    if not isinstance(assessment, Assessment):
        assessment = Assessment.from_dict(assessment)
    order = [indicator.id for indicator in rubric.indicators()] if rubric else []
    order += [indicator_id for indicator_id in assessment.answers if indicator_id not in order]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for indicator_id in order:
        answer = assessment.answer(indicator_id)
        evidence = "\n".join(evidence_line(dataclasses.asdict(item)) for item in answer.evidence)
        row = [indicator_id, answer.level, _number(answer.value), "yes" if answer.na else None,
               _text(answer.na_reason), answer.target, answer.confidence, _text(answer.notes), _text(evidence)]
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def import_answers_csv(data: bytes | str, name: str, base_document: Mapping[str, Any], *,
                       rubric: Rubric | None = None, base_name: str = "base assessment") -> dict[str, Any]:
    """The base assessment with the CSV's answers in place of its own; DocumentError listing every problem.

    A row replaces the whole answer to its indicator (an empty row clears it); indicators without a
    row keep their answers. `rubric` defaults to the one the base assessment names.
    """
    name = display_name(name)
    rubric = rubric or _rubric_of(base_document, base_name)
    base_report = validate_assessment(base_document, rubric, name=base_name)
    if base_report.issues:
        raise DocumentError(base_report.issues)
    # The problems are in the assessment's language: the person who wrote the answers reads them.
    language = str(base_document.get("language")) if base_document.get("language") in LANGUAGES else "en"
    text = _decode(data, name, language)
    delimiter = _delimiter(text)
    records = _records(text, delimiter, name, language)
    header = _header(records[0][1] if records else [], name, language)
    indicators = {indicator.id: indicator for indicator in rubric.indicators()}
    base_answers: Mapping[str, Any] = base_document.get("answers") or {}
    issues: list[Issue] = []
    found: dict[str, dict[str, Any] | None] = {}
    first_at: dict[str, str] = {}
    for number, fields in records[1:]:
        place = t("imp_w_row", language, number=number)
        if not any(field.strip() for field in fields):
            continue  # a blank line
        if len(fields) != len(header):
            issues.append(issue(name, "csv-field-count", place, lang=language, count=len(fields),
                                expected=len(header), delimiter=_DELIMITER_NAMES.get(delimiter) or t("imp_w_tab", language)))
            continue
        cells: dict[str, Any] = {key: unneutralise(value).strip() or None
                                 for key, value in zip(header, fields, strict=True)}
        indicator_id = cells.pop("indicator", None)
        if indicator_id is None:
            issues.append(issue(name, "row-without-indicator", place, lang=language))
            continue
        if indicator_id not in indicators:
            issues.append(issue(name, "unknown-row-indicator", place, lang=language, id=show(indicator_id),
                                hint=did_you_mean(indicator_id, indicators, language)))
            continue
        if indicator_id in first_at:
            issues.append(issue(name, "duplicate-row", place, lang=language, id=show(indicator_id),
                                first=first_at[indicator_id]))
            continue
        first_at[indicator_id] = place
        base_answer = base_answers.get(indicator_id) or {}
        row = Row(indicators[indicator_id], cells, dict.fromkeys(cells, place), language,
                  base_evidence=base_answer.get("evidence") or ())
        found[indicator_id] = answer_from_row(row, rubric, name)
        issues.extend(row.issues)
    if issues:
        raise DocumentError(issues)
    doc = copy.deepcopy(dict(base_document))
    merged = {**base_answers, **found}
    ordered = [key for key in indicators if key in merged] + [key for key in merged if key not in indicators]
    doc["answers"] = {key: copy.deepcopy(merged[key]) for key in ordered if merged[key]}
    report = validate_assessment(doc, rubric, name=name)
    if report.issues:
        raise DocumentError(report.issues)
    return doc


def _formula_like(text: str) -> bool:
    """Whether `csv_cell` would neutralise this text (or would have, under its leading apostrophes)."""
    text = text.lstrip("'")
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip(" ").startswith(FORMULA_TRIGGERS[:4])


def _text(value: str | None) -> str | None:
    """Text for `csv_cell`, one apostrophe added where the text itself starts with one before a trigger,
    so that `unneutralise` can always tell the export's apostrophe from the author's."""
    if not value:
        return None
    text = safe_text(value)
    return "'" + text if text.startswith("'") and _formula_like(text) else text


def unneutralise(text: str) -> str:
    """Undo the apostrophe the export puts before text that could start a formula."""
    return text[1:] if text.startswith("'") and _formula_like(text[1:]) else text


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


def _rubric_of(base: Mapping[str, Any], base_name: str) -> Rubric:
    named = base.get("rubric")
    named = named if isinstance(named, Mapping) else {}
    rubric_id, version = named.get("id"), named.get("version")
    if not (isinstance(rubric_id, str) and isinstance(version, str)):
        # The schema asks for both as strings: its report says what is wrong, so it is never empty here.
        raise DocumentError(validate_assessment(base, name=base_name).issues)
    return catalogue.find_rubric(rubric_id, version)


def _decode(data: bytes | str, name: str, lang: str) -> str:
    """The CSV text: UTF-8 (a byte-order mark is fine); anything else is named for what it is."""
    if isinstance(data, str):
        data = data.removeprefix("\ufeff")
        if not data.strip():
            raise DocumentError([guard_issue(name, "empty-file", lang=lang)])
        return data
    if len(data) > MAX_BYTES:
        raise DocumentError([guard_issue(name, "file-too-large", lang=lang, limit=MAX_BYTES)])
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DocumentError([issue(name, "csv-encoding", None, lang=lang, detail=t("imp_w_utf16", lang))])
    if not data.strip():
        raise DocumentError([guard_issue(name, "empty-file", lang=lang)])
    what = describe_content(data, lang)
    if what or b"\x00" in data[:4096]:
        advice = t("imp_w_as_workbook", lang) if data.startswith(b"PK") else ""
        raise DocumentError([issue(name, "not-csv", None, lang=lang, what=what or t("imp_w_binary", lang),
                                   advice=advice)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        start = error.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        try:
            data.decode("cp1252")
            guess = t("imp_w_cp1252", lang)
        except UnicodeDecodeError:
            guess = ""
        detail = t("imp_w_not_utf8", lang, byte=f"{data[start]:02X}") + guess
        raise DocumentError([issue(name, "csv-encoding", t("imp_w_line_column", lang, line=line, column=column),
                                   lang=lang, detail=detail)]) from None


def _delimiter(text: str) -> str:
    """The delimiter the header line uses: the one that splits it into the most known column names."""
    first = text.split("\n", 1)[0].strip("\r")
    scores = {d: sum(part.strip().strip('"').lower() in COLUMNS for part in first.split(d)) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (scores[d], d == ","))
    return best


def _records(text: str, delimiter: str, name: str, lang: str) -> list[tuple[int, list[str]]]:
    """(row number, fields) of every record; the header is row 1, as a spreadsheet numbers it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for fields in reader:
            number += 1
            if number > MAX_ROWS + 1:
                raise DocumentError([issue(name, "too-many-rows", None, lang=lang, limit=MAX_ROWS)])
            records.append((number, fields))
    except csv.Error as error:
        raise DocumentError([issue(name, "csv-malformed", t("imp_w_row", lang, number=number + 1), lang=lang,
                                   detail=str(error))]) from None
    return records


def _header(fields: list[str], name: str, lang: str) -> list[str]:
    """The header's column names, checked: `indicator` present, every name known, none twice."""
    names = [field.strip().lower() for field in fields]
    problems: list[str] = []
    listing = ", ".join(COLUMNS)
    for position, column in enumerate(names):
        if column not in COLUMNS:
            problems.append(t("imp_w_unknown_column", lang, column=show(column),
                              hint=did_you_mean(column, COLUMNS, lang), listing=listing))
        elif column in names[:position]:
            problems.append(t("imp_w_column_twice", lang, column=show(column)))
    if "indicator" not in names:
        problems.append(t("imp_w_indicator_missing", lang, listing=listing))
    if problems:
        row = t("imp_w_row", lang, number=1)
        raise DocumentError([issue(name, "csv-header", row, lang=lang, detail=problem) for problem in problems])
    return names
