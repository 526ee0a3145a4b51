"""Fuzz: questionnaire workbooks damaged at the zip level, the XML level and the cell level.

The base is a real questionnaire (`toolkit.io.template.questionnaire_bytes`, filled in as the
bad-workbook corpus fills it); the raw-byte damage also starts from every file of that corpus. Mutations: entries dropped, added (macros, links, hostile names),
corrupted, truncated or swapped for random or hostile XML (DTDs, entities, deep nesting, odd
encodings); single cells rewritten in the sheet XML with every cell type and odd values; the raw zip
bytes flipped or cut; and, through openpyxl, random values in the input cells (formulas, huge
strings, control characters, dates, NaN). `import_workbook` (and `import_file`) either return a
valid assessment or raise `DocumentError` whose issues are one line each, name the file, come from
the closed sets of codes and, for a problem in a cell, name the cell. No example may hang.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
from fuzz_support import check_error, documented, fuzz
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell

from toolkit.errors import DocumentError, ToolkitError
from toolkit.io import template as layout
from toolkit.io import workbook_guard
from toolkit.io.fields import CODES as IMPORT_CODES
from toolkit.io.imports import ROW_SLACK, import_file, import_workbook
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import validate_assessment
from toolkit.model.jsonio import display_name
from toolkit.model.validation import CODES as VALIDATION_CODES

DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(DATA / "bad_workbooks"))
import make_corpus  # noqa: E402  (tests/data/bad_workbooks/make_corpus.py: the corpus's own helpers)

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
FILLED = make_corpus.saved(make_corpus.filled())
FILLED_ID = make_corpus.saved(make_corpus.filled("id"))
BLANK = layout.questionnaire_bytes(RUBRIC, "en")
BASES = {"filled": FILLED, "filled-id": FILLED_ID, "blank": BLANK}
# The bad-workbook corpus (run as such by tests/test_imports.py and tests/test_workbook_guard.py) as seeds
# for the damage done to raw bytes: zip bombs, macros, encrypted and legacy files, answers CSVs.
CORPUS = {case: data for case, (_, data, _) in make_corpus.generated().items()}
CODES = set(workbook_guard.CODES) | set(IMPORT_CODES) | set(VALIDATION_CODES)
# Codes about the whole file, not one place in it.
FILE_CODES = set(workbook_guard.CODES) | {"not-questionnaire", "missing-sheet", "questionnaire-format", "other-rubric",
                                          "rubric-unavailable", "csv-needs-base", "not-csv", "csv-encoding",
                                          "too-many-rows", "too-large"}
LETTERS = layout.column_letters(RUBRIC)
LAST_ROW = layout.FIRST_ROW + sum(1 for _ in RUBRIC.indicators()) + ROW_SLACK
SECONDS = 15.0  # per example; an import takes some 20-50 ms


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {entry.filename: archive.read(entry) for entry in archive.infolist()}


ENTRIES = {key: entries(data) for key, data in BASES.items()}
PARTS = sorted(ENTRIES["filled"])


def pack(parts: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in parts:
            archive.writestr(zipfile.ZipInfo(name, make_corpus.STAMP), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


# -- strategies ---------------------------------------------------------------------------------------

def xml_text(text: str) -> str:
    return escape(ILLEGAL_CHARACTERS_RE.sub("", text).replace("\ufffe", "").replace("\uffff", ""))


HOSTILE_XML = [
    b"",
    b"not xml at all",
    b"<?xml version='1.0'?>",
    b"<x>" * 5000,
    b"<a>" * 20_000 + b"</a>" * 20_000,
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><x>&b;</x>',
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>'.encode("utf-16"),
    '<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    .encode("utf-32"),
    b'<x xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></x>',
    b"<?xml version='1.0' encoding='ebcdic-cp-us'?><x/>",
    b"<?xml version='1.0' encoding='utf-7'?><x/>",
    b"<?xml version='1.0' encoding='no-such-codec'?><x/>",
    b"\xff\xfe<\x00x\x00/\x00>\x00",
    b'<x a="' + b"A" * 1_000_000 + b'"/>',
    b"<x>\xc3\x28</x>",
    b"<x>&#0;&#xD800;</x>",
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    b'<c r="A1" t="s"><v>5</v></c></row></sheetData></worksheet>',
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>',
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="../../../../etc/passwd"/></Relationships>',
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="https://example.org/x.xml" TargetMode="External"/></Relationships>',
]
HOSTILE_NAMES = ["xl/vbaProject.bin", "xl/activeX/activeX1.xml", "xl/externalLinks/externalLink1.xml",
                 "xl/connections.xml", "xl/queryTables/queryTable1.xml", "../../evil.xml", "/abs.xml",
                 "xl/worksheets/sheet2.xml", "[Content_Types].xml", "evil\r\nname.xml", "x" * 300,
                 "xl/worksheets/sheet9.xml", "xl/sharedStrings.xml", "mimetype", "word/document.xml"]
CELL_TYPES = ["n", "s", "str", "b", "e", "d", "inlineStr", "bogus", ""]
SPECIAL_VALUES = ["", "NaN", "nan", "inf", "-inf", "INF", "1e400", "-1e999", "1.5E+308", "99999999", "-1", "0", "2",
                  "2.5", "4", "TRUE", "#DIV/0!", "#N/A", "2026-02-30", "2026-01-31T09:30:00", "_x0000_", "_x001B_",
                  "_xD800_", "0x10", "1,5", " 3 ", "=1+1", "yes", "high", "tinggi", "javascript:alert(1)",
                  "https://example.org a report", "x" * 40_000]


@st.composite
def cell_xml(draw: st.DrawFn, ref: str) -> str:
    """One `<c>` element for the cell `ref`: any type, any value, a formula or inline text."""
    kind = draw(st.sampled_from(["value", "value", "inline", "formula", "rich", "ref"]))
    value = draw(st.sampled_from(SPECIAL_VALUES) | st.text(max_size=30).map(xml_text))
    if kind == "inline":
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{xml_text(value)}</t></is></c>'
    if kind == "rich":
        return f'<c r="{ref}" t="inlineStr"><is><r><t>{xml_text(value)}</t></r><r><t>!</t></r></is></c>'
    if kind == "formula":
        return f'<c r="{ref}"><f>{xml_text(value)}</f><v>{xml_text(value)}</v></c>'
    if kind == "ref":
        odd = draw(st.sampled_from(["", "A0", "K-1", "ZZZZ1", "XFD1048577", "1A", "k2", ref + ref, "A99999999999"]))
        return f'<c r="{odd}"><v>1</v></c>'
    cell_type = draw(st.sampled_from(CELL_TYPES))
    attribute = f' t="{cell_type}"' if cell_type else ""
    return f'<c r="{ref}"{attribute}><v>{xml_text(value)}</v></c>'


CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
SHEETS = ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"]


@st.composite
def damaged_workbook(draw: st.DrawFn) -> bytes:
    base = draw(st.sampled_from(sorted(BASES)))
    parts = list(ENTRIES[base].items())
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "drop", "add", "replace", "corrupt", "truncate",
                                     "rename", "duplicate"]))
        if not parts:
            break
        index = draw(st.integers(0, len(parts) - 1))
        name, content = parts[index]
        if kind == "cell":
            sheet = draw(st.sampled_from(SHEETS))
            position = next((i for i, (part, _) in enumerate(parts) if part == sheet), None)
            if position is None:
                continue
            content = parts[position][1]
            cells = list(CELL.finditer(content))
            if not cells:
                continue
            found = cells[draw(st.integers(0, len(cells) - 1))]
            new = draw(cell_xml(found.group(1).decode())).encode("utf-8")
            parts[position] = (sheet, content[:found.start()] + new + content[found.end():])
        elif kind == "drop":
            del parts[index]
        elif kind == "add":
            content = draw(st.sampled_from(HOSTILE_XML) | st.binary(max_size=64))
            parts.append((draw(st.sampled_from(HOSTILE_NAMES)), content))
        elif kind == "replace":
            parts[index] = (name, draw(st.sampled_from(HOSTILE_XML) | st.binary(max_size=64)))
        elif kind == "corrupt" and content:
            position = draw(st.integers(0, len(content) - 1))
            parts[index] = (name, content[:position] + bytes([draw(st.integers(0, 255))]) + content[position + 1:])
        elif kind == "truncate":
            parts[index] = (name, content[:draw(st.integers(0, len(content)))])
        elif kind == "rename":
            parts[index] = (draw(st.sampled_from(HOSTILE_NAMES)), content)
        elif kind == "duplicate":
            parts.append((name, draw(st.sampled_from(HOSTILE_XML))))
    return pack(parts)  # (zipfile warns of a duplicate name, and writes both entries)


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """The raw bytes of the zip damaged: a byte changed, the file cut, bytes inserted."""
    seeds = BASES if draw(st.booleans()) else CORPUS
    data = seeds[draw(st.sampled_from(sorted(seeds)))]
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "cut", "insert"]))
        if kind == "flip" and position < len(data):
            data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1:]
        elif kind == "cut":
            data = data[:position]
        else:
            data = data[:position] + draw(st.binary(min_size=1, max_size=16)) + data[position:]
    return data


# -- the property -------------------------------------------------------------------------------------

def check_import(data: bytes, name: str = "questionnaire.xlsx", *, via_file: bool = False) -> None:
    shown = display_name(name)
    if via_file:
        result = documented(lambda: import_file(data, name), seconds=SECONDS)
    else:
        result = documented(lambda: import_workbook(data, name, today=dt.date(2026, 1, 1)), seconds=SECONDS)
    if isinstance(result, ToolkitError):
        assert isinstance(result, DocumentError), repr(result)
        check_error(result, shown, CODES)
        for issue in result.issues:
            if issue.code not in FILE_CODES:  # a cell (`Questionnaire!K7`), or for what is not a workbook a line
                assert issue.place is not None or (via_file and issue.where), f"{issue.code} is not located: {issue}"
        return
    assert isinstance(result, dict)
    assert validate_assessment(result, RUBRIC, name=name).valid
    json.dumps(result, allow_nan=False, ensure_ascii=False).encode("utf-8")


@fuzz(120)
@given(damaged_workbook())
@example(pack([(name, content) for name, content in ENTRIES["filled"].items() if name != "xl/workbook.xml"]))
@example(pack([*ENTRIES["filled"].items(), ("xl/worksheets/sheet2.xml", b"<x/>")]))
def test_workbooks_damaged_inside(data: bytes) -> None:
    check_import(data)


@fuzz(60)
@given(damaged_bytes(), st.sampled_from(["questionnaire.xlsx", "q.xlsm", "evil\n.xlsx", "noextension"]))
def test_workbook_bytes_damaged(data: bytes, name: str) -> None:
    check_import(data, name, via_file=name == "noextension")


@fuzz(40)
@given(st.binary(max_size=300), st.sampled_from(["q.xlsx", "q.xls", "q.xltx"]))
@example(b"PK\x05\x06" + b"\x00" * 18, "q.xlsx")
@example(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "q.xls")
def test_arbitrary_bytes_as_a_workbook(data: bytes, name: str) -> None:
    check_import(data, name)


# -- cell values through openpyxl ---------------------------------------------------------------------

def _legal(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


CELL_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(), st.decimals(allow_nan=False, places=3),
    st.text(max_size=40).map(_legal), st.sampled_from(SPECIAL_VALUES + ["=", "==", '=HYPERLINK("javascript:x")',
                                                                         "+1", "@SUM(A1)", "\t\r\n", "\u202e",
                                                                         "\ufeff", "NA", "N/A", "3,5"]),
    st.dates(), st.datetimes(), st.times(), st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=9)),
)
COVER_CELLS = [f"B{row}" for row in range(1, 15)]


def without_comments(data: bytes) -> bytes:
    """The workbook without its hint comments: openpyxl saves it in a fifth of the time."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None:
                    cell.comment = None
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


PLAIN = {"filled": without_comments(FILLED), "filled-id": without_comments(FILLED_ID)}
ANSWER_COLUMNS = sorted(set(LETTERS.values()))


@st.composite
def cell_edits(draw: st.DrawFn) -> list[tuple[str, str, Any]]:
    edits = []
    for _ in range(draw(st.integers(1, 6))):
        sheet = draw(st.sampled_from(["cover", "questionnaire", "questionnaire", "questionnaire", "about"]))
        if sheet == "cover":
            ref = draw(st.sampled_from(COVER_CELLS))
        elif sheet == "about":
            ref = f"{draw(st.sampled_from('AB'))}{draw(st.integers(1, 12))}"
        else:
            row = draw(st.sampled_from([1, 2, 3, LAST_ROW, LAST_ROW + 1]) | st.integers(1, LAST_ROW + 2))
            ref = f"{draw(st.sampled_from(ANSWER_COLUMNS))}{row}"
        edits.append((sheet, ref, draw(CELL_VALUES)))
    return edits


def edited(base: bytes, edits: list[tuple[str, str, Any]], structure: str) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(base))
    sheets = {"cover": wb.worksheets[0], "questionnaire": wb.worksheets[1], "about": wb.worksheets[2]}
    for sheet, ref, value in edits:
        if not isinstance(sheets[sheet][ref], MergedCell):  # (part of a merged title: openpyxl refuses)
            sheets[sheet][ref] = value
    if structure == "rename":
        wb.worksheets[1].title = "Answers"
    elif structure == "delete-about":
        del wb["About"]
    elif structure == "insert-column":
        wb.worksheets[1].insert_cols(3)
    elif structure == "insert-row":
        wb.worksheets[1].insert_rows(3)
    elif structure == "merge":
        wb.worksheets[1].merge_cells(f"{LETTERS['answer']}2:{LETTERS['answer']}4")
    elif structure == "reorder":
        wb.move_sheet("About", offset=-2)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@fuzz(50)
@given(st.sampled_from(["filled", "filled-id"]), cell_edits(),
       st.sampled_from(["none"] * 6 + ["rename", "delete-about", "insert-column", "insert-row", "merge", "reorder"]))
@example("filled", [("questionnaire", f"{LETTERS['answer']}2", float("nan"))], "none")
@example("filled", [("questionnaire", f"{LETTERS['answer']}2", "x" * 40_000)], "none")
@example("filled", [("about", "B3", "=1+1")], "none")
def test_random_values_in_the_cells(base: str, edits: list[tuple[str, str, Any]], structure: str) -> None:
    check_import(edited(PLAIN[base], edits, structure))
