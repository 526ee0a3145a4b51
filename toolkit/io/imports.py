"""Importing assessments from outside: the questionnaire workbook, the answers CSV, an assessment JSON.

Every importer takes the file's bytes and its name, returns a valid assessment document (a dict,
ready for `toolkit.store` or `json.dump`), or raises `DocumentError` listing every problem, each
located in the file's own terms (`questionnaire.xlsx: Questionnaire!K7: level 7 is not allowed
(0-4)`, `answers.csv: row 4: ...`). Nothing is half-imported: one problem and there is no document.

A workbook passes `toolkit.io.workbook_guard` (zip and XML bombs, macros, external links, encrypted
and non-xlsx files) before openpyxl opens it, read-only and with formulas kept as formulas so a
formula where a value belongs is reported rather than trusted. The result is checked once more by
`toolkit.model.documents.validate_assessment`. CSV answers are in `toolkit.io.answers_csv`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException

from toolkit.errors import DocumentError, RubricNotFoundError
from toolkit.i18n import LANGUAGES, t
from toolkit.io import template as layout
from toolkit.io.answers_csv import answers_to_csv, import_answers_csv
from toolkit.io.fields import Row, answer_from_row, did_you_mean, issue, show, text_cell
from toolkit.io.workbook_guard import check_workbook
from toolkit.io.workbook_guard import issue as guard_issue
from toolkit.issues import Issue
from toolkit.model import catalogue
from toolkit.model.documents import validate_assessment
from toolkit.model.jsonio import display_name, parse_json
from toolkit.model.rubric import Rubric
from toolkit.model.semantics import ID
from toolkit.model.validation import CODES as VALIDATION_CODES
from toolkit.model.validation import kind_issues

__all__ = ["WorkbookRead", "answers_to_csv", "import_answers_csv", "import_file", "import_json", "import_workbook",
           "read_workbook"]

ROW_SLACK = 200  # rows read below the last indicator, where a row added by hand would be
_ABOUT_ROWS = 40
_SHEET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")


def import_file(data: bytes, name: str, *, rubric: Rubric | None = None,
                base_document: Mapping[str, Any] | None = None, today: dt.date | None = None,
                lang: str = "en") -> dict[str, Any]:
    """Import by the file's kind: a workbook, an answers CSV (onto `base_document`) or an assessment JSON.

    `lang` is the language of a workbook's problems found before its own language is known (see
    `import_workbook`).
    """
    extension = os.path.splitext(name)[1].lower()
    head = data[:8]
    if extension in (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls") or (
            extension not in (".csv", ".tsv", ".txt", ".json") and head.startswith((b"PK", b"\xd0\xcf\x11\xe0"))):
        return import_workbook(data, name, rubric=rubric, today=today, lang=lang)
    if extension == ".json" or (extension not in (".csv", ".tsv", ".txt") and data.lstrip()[:1] == b"{"):
        return import_json(data, name, rubric=rubric)
    if base_document is None:
        raise DocumentError([issue(display_name(name), "csv-needs-base", None, lang=lang)])
    return import_answers_csv(data, name, base_document, rubric=rubric)


def import_json(data: bytes, name: str, *, rubric: Rubric | None = None) -> dict[str, Any]:
    """Read an assessment JSON document and check it against its rubric; DocumentError if invalid."""
    name = display_name(name)
    doc = parse_json(data, name)
    problems = kind_issues(doc, name)
    if problems:
        raise DocumentError(problems)
    if rubric is None:
        rubric_ref = doc.get("rubric") if isinstance(doc.get("rubric"), dict) else {}
        rubric_id, version = rubric_ref.get("id"), rubric_ref.get("version")
        if isinstance(rubric_id, str) and isinstance(version, str):
            try:
                rubric = catalogue.find_rubric(rubric_id, version)
            except RubricNotFoundError as error:
                raise DocumentError([Issue(name, "rubric-not-found", VALIDATION_CODES["rubric-not-found"][1].format(
                    detail=error), path=("rubric", "version"))]) from None
    report = validate_assessment(doc, rubric, name=name)
    if report.issues:
        raise DocumentError(report.issues)
    return doc


def import_workbook(data: bytes, name: str, *, rubric: Rubric | None = None, today: dt.date | None = None,
                    status: str = "submitted", lang: str = "en") -> dict[str, Any]:
    """Read a filled questionnaire workbook into an assessment document; DocumentError listing every problem.

    `rubric`, when given, is the rubric the workbook must have been made for; otherwise the workbook's
    own stamp names it and the catalogue supplies it. An empty date on the cover becomes `today`.
    Problems are given in the workbook's own language (the one it was made in, stamped on its About
    sheet), whatever the language of the app or command reading it: the person who filled it in reads
    them. Problems found before that stamp is read (a damaged file, not a questionnaire) are in `lang`.
    A respondent's questionnaire is refused: its answers are that respondent's, never a round's
    (`toolkit.io.respondent_copies.import_response` reads it).
    """
    read = read_workbook(data, name, rubric=rubric, today=today, status=status, lang=lang)
    made_for = read.value("respondent_id") or read.properties.get("ddmt.respondent_id")
    if made_for is not None:  # also when the About sheet's row was deleted but the mirror remains
        place = read.stamp.get("respondent_id", read.stamp.get("format", (None, None)))[1]
        raise DocumentError([issue(display_name(name), "respondent-questionnaire", place, lang=read.document["language"],
                                   name=show(read.value("respondent_name") or read.properties.get("ddmt.respondent_name")),
                                   id=show(made_for),
                                   round=show(read.value("round_id") or read.properties.get("ddmt.round_id")))])
    return read.document


#: A check of a questionnaire's About stamp (key -> (value, cell)) and custom properties; raises DocumentError.
StampCheck = Callable[[Mapping[str, tuple[Any, str]], Mapping[str, Any]], None]


@dataclass(frozen=True)
class WorkbookRead:
    """A questionnaire as read: its document, its About stamp (key -> (value, cell)) and the mirrored custom properties."""

    document: dict[str, Any]
    stamp: Mapping[str, tuple[Any, str]]
    properties: Mapping[str, Any]

    def value(self, key: str) -> Any:
        return self.stamp.get(key, (None, ""))[0]


def read_workbook(data: bytes, name: str, *, rubric: Rubric | None = None, today: dt.date | None = None,
                  status: str = "submitted", check_stamp: StampCheck | None = None, lang: str = "en") -> WorkbookRead:
    """`import_workbook` without the respondent check: the document, the stamp and the custom properties.

    `check_stamp(stamp, properties)` runs once the About sheet is read, before the other sheets, and
    may raise DocumentError: what a stamp refuses is said alone, not under the cover's problems.
    Problems are in the workbook's own language; `lang` until its About sheet is read.
    """
    name = display_name(name)
    check_workbook(data, name, lang=lang)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; none matter here
        try:
            wb = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=False, keep_vba=False,
                                        keep_links=False)
        except Exception as error:  # noqa: BLE001 - a damaged workbook can fail anywhere inside openpyxl
            raise DocumentError([_unreadable(name, error, lang)]) from None
        reader = _Reader(wb, name, lang, check_stamp)
        try:
            document = reader.document(rubric, today or dt.date.today(), status)
            return WorkbookRead(document, reader.stamp, reader.properties)
        except DocumentError:
            raise
        except Exception as error:  # noqa: BLE001 - sheets are parsed lazily, while they are read
            raise DocumentError([_unreadable(name, error, reader.lang)]) from None
        finally:
            wb.close()


def _unreadable(name: str, error: BaseException, lang: str) -> Issue:
    """The issue of a workbook openpyxl failed on: the XML bomb the parser caught, or the reason."""
    cause: BaseException | None = error
    for _ in range(20):  # openpyxl wraps the parser's error in its own; follow the chain a little way
        if cause is None:
            break
        if isinstance(cause, DefusedXmlException):
            return guard_issue(name, "xml-refused", lang=lang)
        cause = cause.__cause__ or cause.__context__
    return guard_issue(name, "unreadable-workbook", lang=lang, detail=_reason(error))


class _Reader:
    """Reads the three sheets of a questionnaire in order, collecting every problem on the way."""

    def __init__(self, wb: Any, name: str, lang: str, check_stamp: StampCheck | None = None):
        self.wb, self.name, self.check_stamp = wb, name, check_stamp
        self.lang = lang  # the caller's, until the About sheet names the workbook's own
        self.issues: list[Issue] = []
        self.stamp: dict[str, tuple[Any, str]] = {}
        self.properties = {prop.name: prop.value for prop in getattr(wb, "custom_doc_props", ())}

    def document(self, rubric: Rubric | None, today: dt.date, status: str) -> dict[str, Any]:
        rubric, language = self._about(rubric)
        if self.check_stamp is not None:
            self.check_stamp(self.stamp, self.properties)
        cover_name, sheet_name = layout.sheet_names(language)
        missing = [sheet for sheet in (cover_name, sheet_name) if sheet not in self.wb.sheetnames]
        if missing:
            self._stop([issue(self.name, "missing-sheet", None, lang=self.lang, sheet=sheet) for sheet in missing])
        cover = self._cover(self.wb[cover_name], today)
        answers = self._answers(self.wb[sheet_name], rubric, language)
        if self.issues:
            raise DocumentError(self.issues)
        doc = _document(cover, rubric, language, status, answers)
        report = validate_assessment(doc, rubric, name=self.name)
        if report.issues:
            raise DocumentError(report.issues)
        return doc

    def _stop(self, issues: list[Issue]) -> None:
        raise DocumentError(self.issues + issues)

    def _about(self, given: Rubric | None) -> tuple[Rubric, str]:
        """The stamp: format, rubric and language; without a readable stamp nothing else can be read."""
        if layout.ABOUT_SHEET not in self.wb.sheetnames:
            self._stop([issue(self.name, "not-questionnaire", None, lang=self.lang,
                              detail=t("imp_w_no_about", self.lang, sheet=layout.ABOUT_SHEET))])
        ws = self.wb[layout.ABOUT_SHEET]
        grid = _grid(ws, _ABOUT_ROWS, 2)
        stamp: dict[str, tuple[Any, str]] = {}
        for row in range(1, _ABOUT_ROWS + 1):
            key = text_cell(grid.get((row, 1), (None, "n"))[0])
            if key and key not in stamp:
                stamp[key] = (self._value(ws, grid, row, 2), _place(ws.title, "B", row))
        self.stamp = stamp
        missing = (None, _place(ws.title, "B", 1))  # a key with no row is reported at the value column's head
        stamped = stamp.get("language", missing)[0]
        if stamped in LANGUAGES:  # from here on, every problem is in the workbook's own language
            self.lang = stamped
        found, place = stamp.get("format", missing)
        if found != layout.FORMAT:
            self._stop([issue(self.name, "not-questionnaire", place, lang=self.lang,
                              detail=t("imp_w_not_format", self.lang, sheet=layout.ABOUT_SHEET,
                                       format=layout.FORMAT))])
        found, place = stamp.get("format_version", missing)
        if found is None:
            self._stop([issue(self.name, "not-questionnaire", place, lang=self.lang,
                              detail=t("imp_w_no_format_version", self.lang))])
        if found != layout.FORMAT_VERSION:
            self._stop([issue(self.name, "questionnaire-format", place, lang=self.lang, found=show(found),
                              expected=layout.FORMAT_VERSION)])
        language, place = stamp.get("language", missing)
        if language is None:
            self._stop([issue(self.name, "not-questionnaire", place, lang=self.lang,
                              detail=t("imp_w_no_language", self.lang))])
        if language not in LANGUAGES:
            self._stop([issue(self.name, "not-questionnaire", place, lang=self.lang,
                              detail=t("imp_w_unknown_language", self.lang, value=show(language)))])
        (rubric_id, id_place), (version, version_place) = (stamp.get("rubric_id", missing),
                                                          stamp.get("rubric_version", missing))
        rubric_id, version = text_cell(rubric_id), text_cell(version)
        if not rubric_id or not version:
            self._stop([issue(self.name, "not-questionnaire", id_place if not rubric_id else version_place,
                              lang=self.lang, detail=t("imp_w_no_rubric", self.lang))])
        if given is not None:
            if (given.id, given.version) != (rubric_id, version):
                self._stop([issue(self.name, "other-rubric", version_place if given.id == rubric_id else id_place,
                                  lang=self.lang, id=rubric_id, version=version, given_id=given.id, given_version=given.version)])
            return given, language
        try:
            return catalogue.find_rubric(rubric_id, version), language
        except RubricNotFoundError:
            versions = [v for found_id, v, _ in catalogue.list_rubrics() if found_id == rubric_id]
            available = t("imp_w_available", self.lang, versions=", ".join(versions)) if versions else ""
            self._stop([issue(self.name, "rubric-unavailable", version_place if versions else id_place,
                              lang=self.lang, id=rubric_id, version=version, available=available)])
        raise AssertionError("unreachable")

    def _value(self, ws: Any, grid: dict[tuple[int, int], tuple[Any, str]], row: int, column: int) -> Any:
        """A cell's value; None, with an issue, for a formula or an error value; text stripped."""
        value, kind = grid.get((row, column), (None, "n"))
        if kind in ("f", "e"):
            place = _place(ws.title, openpyxl.utils.get_column_letter(column), row)
            formula = getattr(value, "text", None) or str(value)
            self.issues.append(issue(self.name, "formula-cell", place, lang=self.lang, formula=_short(formula))
                               if kind == "f" else
                               issue(self.name, "error-cell", place, lang=self.lang, value=_short(str(value))))
            return None
        if isinstance(value, str):
            return value.strip() or None
        return value

    def _cover(self, ws: Any, today: dt.date) -> dict[str, Any]:
        """The ministry and round from the cover's input cells, each checked where it is."""
        first = layout.COVER_FIRST_ROW
        grid = _grid(ws, first + len(layout.COVER_FIELDS), 2)
        column = openpyxl.utils.column_index_from_string(layout.COVER_INPUT_COLUMN)
        found: dict[str, Any] = {}
        for offset, field in enumerate(layout.COVER_FIELDS):
            row = first + offset
            place = _place(ws.title, layout.COVER_INPUT_COLUMN, row)
            kind = grid.get((row, column), (None, "n"))[1]
            raw = self._value(ws, grid, row, column)  # a formula or an error value is reported here
            value = None if kind in ("f", "e") else _cover_value(field, raw)
            problem = _cover_problem(field, raw, value, self.lang) if kind not in ("f", "e") else None
            if problem:
                code, fields = problem
                self.issues.append(issue(self.name, code, place, lang=self.lang, **fields))
            found[field] = (value, place)
        ministry_id, place = found["ministry_id"]
        if ministry_id is None and found["ministry_name"][0] is not None:
            ministry_id = slug(found["ministry_name"][0])
            if not ministry_id:
                self.issues.append(issue(self.name, "missing-field", place, lang=self.lang,
                                         field=t("imp_w_ministry_id_unmade", self.lang)))
        values = {field: value for field, (value, _) in found.items()}
        values["ministry_id"] = ministry_id
        values["iso3"] = values["iso3"].upper() if values["iso3"] else None
        values["date"] = values["date"] or today.isoformat()
        return values

    def _answers(self, ws: Any, rubric: Rubric, language: str) -> dict[str, dict[str, Any]]:
        """Every row's answer by indicator id; header and row problems collected."""
        cols = layout.columns(rubric, language)
        letters = {column.key: openpyxl.utils.get_column_letter(index) for index, column in enumerate(cols, 1)}
        index = {column.key: number for number, column in enumerate(cols, 1)}
        indicators = {indicator.id: indicator for indicator in rubric.indicators()}
        last = layout.FIRST_ROW + len(indicators) + ROW_SLACK
        grid = _grid(ws, last, len(cols))
        changed = [issue(self.name, "changed-layout", _place(ws.title, letters[column.key], layout.HEADER_ROW),
                         lang=self.lang, expected=column.header, found=show(grid.get((layout.HEADER_ROW, number), ("",))[0] or ""))
                   for number, column in enumerate(cols, 1)
                   if text_cell(grid.get((layout.HEADER_ROW, number), (None,))[0]) != column.header]
        if changed:
            self._stop(changed)
        answers: dict[str, dict[str, Any]] = {}
        first_at: dict[str, str] = {}
        for row in range(layout.FIRST_ROW, last + 1):
            id_place = _place(ws.title, letters["indicator"], row)
            indicator_id = text_cell(self._value(ws, grid, row, index["indicator"]))
            cells = {key: self._value(ws, grid, row, index[key]) for key in layout.INPUTS}
            places = {key: _place(ws.title, letters[key], row) for key in layout.INPUTS}
            if indicator_id is None:
                filled = [key for key, value in cells.items() if value is not None]
                if filled:
                    self.issues.append(issue(self.name, "row-without-indicator", places[filled[0]], lang=self.lang))
                continue
            if indicator_id not in indicators:
                self.issues.append(issue(self.name, "unknown-row-indicator", id_place, lang=self.lang,
                                         id=show(indicator_id), hint=did_you_mean(indicator_id, indicators, self.lang)))
                continue
            if indicator_id in first_at:
                self.issues.append(issue(self.name, "duplicate-row", id_place, lang=self.lang, id=show(indicator_id),
                                         first=first_at[indicator_id]))
                continue
            first_at[indicator_id] = id_place
            indicator = indicators[indicator_id]
            kind = "value" if indicator.is_metric else "level"
            cells[kind], places[kind] = cells.pop("answer"), places.pop("answer")
            parsed = Row(indicator, cells, places, language)
            answer = answer_from_row(parsed, rubric, self.name)
            self.issues.extend(parsed.issues)
            if answer:
                answers[indicator_id] = answer
        return answers


def _grid(ws: Any, max_row: int, max_col: int) -> dict[tuple[int, int], tuple[Any, str]]:
    """The non-empty cells of a sheet's top-left block, read in one streamed pass."""
    cells: dict[tuple[int, int], tuple[Any, str]] = {}
    for row_number, row in enumerate(ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col), 1):
        for column_number, cell in enumerate(row, 1):
            if cell.value is not None:
                cells[(row_number, column_number)] = (cell.value, cell.data_type)
    return cells


def _cover_problem(field: str, raw: Any, value: Any, lang: str) -> tuple[str, dict[str, Any]] | None:
    """The code and message fields (in `lang`) of what is wrong with a cover field, or None."""
    name = t(f"imp_w_{field}", lang)
    if field in layout.REQUIRED_FIELDS and value is None:
        return "missing-field", {"field": name}
    what = None
    if field == "date" and raw is not None and value is None:
        what = t("imp_w_date_form", lang)
    elif field == "iso3" and value is not None and not _ISO3.match(value.upper()):
        what = t("imp_w_iso3_form", lang)
    elif field == "ministry_id" and value is not None and not ID.match(value):
        what = t("imp_w_id_form", lang)
    return ("bad-field", {"field": name, "value": show(raw), "what": what}) if what else None


def _cover_value(field: str, raw: Any) -> Any:
    """A cover field's value in the document's terms (the date as YYYY-MM-DD, assessors as a list)."""
    if field == "date":
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        text = text_cell(raw)
        if text and _DATE.match(text):
            try:
                return dt.date.fromisoformat(text).isoformat()
            except ValueError:
                return None
        return None
    if field == "assessors":
        text = text_cell(raw) or ""
        return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
    return text_cell(raw)


def _document(cover: dict[str, Any], rubric: Rubric, language: str, status: str,
              answers: dict[str, dict[str, Any]]) -> dict[str, Any]:
    ministry: dict[str, Any] = {"id": cover["ministry_id"], "name": cover["ministry_name"],
                                "country": cover["country"]}
    for key in ("iso3", "region"):
        if cover[key]:
            ministry[key] = cover[key]
    return {
        "kind": "assessment", "format_version": 1,
        "id": f"{cover['ministry_id']}-{slug(cover['period']) or 'round'}",
        "rubric": {"id": rubric.id, "version": rubric.version},
        "ministry": ministry, "period": cover["period"], "date": cover["date"], "status": status,
        "assessors": cover["assessors"], "language": language, "answers": answers,
    }


def slug(text: str) -> str:
    """An id made from a name: `Ministry of Foreign Affairs` -> `ministry-of-foreign-affairs`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9_.]+", "-", ascii_text).strip("-._")[:64].strip("-._")


def _place(sheet: str, column: str, row: int) -> str:
    """A cell reference as Excel writes it: `Questionnaire!K7`, `'My sheet'!K7`."""
    title = sheet if _SHEET_NAME.match(sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{display_name(title)}!{column}{row}"


def _short(text: str, limit: int = 40) -> str:
    text = display_name(" ".join(text.split()))
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _reason(error: BaseException) -> str:
    return _short(f"{type(error).__name__}: {error}".rstrip(": "), 120)
