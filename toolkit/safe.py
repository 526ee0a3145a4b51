"""The one neutraliser for text leaving the toolkit in a spreadsheet or CSV (SPEC section 10).

Every export, workbook or CSV, passes its text through this module, so the rules live in one place:

* Control characters are removed, except tab and newline; a carriage return becomes a newline
  (``\\r\\n`` and a lone ``\\r`` are both line ends). Unpaired surrogates and the XML non-characters
  U+FFFE/U+FFFF go too: they cannot be written to an xlsx file at all.
* Over-long text is cut so it fits an Excel cell (32,767 characters) and ends with ``CUT_MARKER``.
* In a workbook, text is always stored as text. Decision: openpyxl turns any string that begins with
  ``=`` into a formula cell and ``#N/A`` and friends into error cells, so ``write_text`` sets the cell's
  ``data_type`` to ``"s"`` explicitly after assigning the value. The value is kept exactly as written
  (no apostrophe added): a shared string is never evaluated by Excel or LibreOffice, and the importer
  reads it back unchanged. Only a cell whose ``data_type`` is ``"f"`` is a formula, and these writers
  never make one.
* In CSV there is no type, so a cell whose text could start a formula (``= + - @`` first, or a tab,
  carriage return or newline first, or one of ``= + - @`` after leading spaces) gets a leading
  apostrophe, the convention spreadsheets show as "this is text".
* Sheet names are made valid for Excel: at most 31 characters, none of ``: \\ / ? * [ ]``, not
  starting or ending with an apostrophe, not the reserved ``History``, and unique (case-insensitive).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

EXCEL_CELL_LIMIT = 32767
CUT_MARKER = "… [cut]"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
SHEET_TITLE_LIMIT = 31

# C0 controls except tab (09) and newline (0A), DEL and the C1 controls, surrogates, XML non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SHEET_FORBIDDEN = re.compile(r"[:\\/?*\[\]]")
_RESERVED_SHEET_TITLES = {"history"}


def safe_text(value: object, *, limit: int = EXCEL_CELL_LIMIT) -> str:
    """`value` as text with control characters removed and cut to `limit` characters with a marker."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if len(text) > limit:
        keep = max(limit - len(CUT_MARKER), 0)
        text = (text[:keep] + CUT_MARKER)[:limit]
    return text


def csv_cell(value: object) -> str:
    """One CSV cell as text: control characters removed, formula triggers neutralised with ``'``.

    Numbers (int, float, bool) are written as they are: a negative number is data, not a formula.
    ``None`` is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    text = safe_text(value)  # judged after the controls are gone: "\x00=1" is a formula once they are
    return "'" + text if could_start_a_formula(text) else text


def could_start_a_formula(text: str) -> bool:
    """True if a spreadsheet could take `text` for a formula: ``= + - @``, tab or a line end first, or
    ``= + - @`` after leading spaces."""
    return text.startswith(FORMULA_TRIGGERS) or text.lstrip(" ").startswith(FORMULA_TRIGGERS[:4])


def sheet_title(name: object, existing: set[str]) -> str:
    """A valid, unique Excel sheet title for `name`; the result is added to `existing`.

    `existing` holds the titles already used in the workbook (compared case-insensitively, as Excel
    does). A clash gets a numbered suffix `` (2)``, `` (3)``… within the 31-character limit.
    """
    title = _SHEET_FORBIDDEN.sub(" ", safe_text(name).replace("\n", " ").replace("\t", " "))
    title = " ".join(title.split()).strip("'").strip() or "Sheet"
    title = _shorten(title, SHEET_TITLE_LIMIT).strip("'").strip() or "Sheet"
    taken = {t.casefold() for t in existing}
    candidate, n = title, 1
    while candidate.casefold() in taken or candidate.casefold() in _RESERVED_SHEET_TITLES:
        n += 1
        suffix = f" ({n})"
        candidate = title[: SHEET_TITLE_LIMIT - len(suffix)].rstrip().rstrip("'") + suffix
    existing.add(candidate)
    return candidate


def _shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, at a word boundary when that keeps at least half of it."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space >= limit // 2 else cut).rstrip()


def write_text(cell: Any, value: object, *, limit: int = EXCEL_CELL_LIMIT) -> None:
    """Write `value` into an openpyxl cell as text, never as a formula or error (see module doc).

    Text that looks like a formula also gets the cell's quote prefix (Excel's hidden apostrophe), so
    it stays text even after someone edits the cell in Excel. Set the cell's style *before* calling
    this: assigning a style afterwards replaces the prefix.
    """
    text = safe_text(value, limit=limit)
    cell.value = text
    cell.data_type = "s"
    if could_start_a_formula(text):
        cell.quotePrefix = True


def write_value(cell: Any, value: object) -> None:
    """Write a number, boolean, date or None as it is; anything else through `write_text`."""
    if value is None or isinstance(value, bool | int | float):
        cell.value = value
        return
    import datetime as _dt

    if isinstance(value, _dt.date | _dt.datetime):
        cell.value = value
        return
    write_text(cell, value)


LINK_SCHEMES = ("http://", "https://", "mailto:")
LINK_LIMIT = 2000  # Excel refuses longer hyperlink targets


def safe_link(url: object) -> str | None:
    """`url` if it may become a clickable link (http, https or mailto, no spaces or controls), else None.

    `javascript:`, `data:`, `file:` and anything unrecognised stay plain text: a report must never
    hand its reader a link that runs code or opens a local file.
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    if not text or len(text) > LINK_LIMIT or _CONTROL.search(text) or any(ch.isspace() for ch in text):
        return None
    if not text.lower().startswith(LINK_SCHEMES):
        return None
    if text.lower().startswith(("http://", "https://")) and len(text.split("://", 1)[1]) == 0:
        return None
    return text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with formula triggers neutralised, so a spreadsheet never runs a cell as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()
