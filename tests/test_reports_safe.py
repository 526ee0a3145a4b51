"""The one neutraliser of exported text (toolkit/safe.py): formulas, controls, lengths, names."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.cli import render
from toolkit.reports.model import Cell, Workbook
from toolkit.reports.xlsx import workbook_bytes
from toolkit.safe import (CUT_MARKER, EXCEL_CELL_LIMIT, csv_cell, safe_link, safe_text, sheet_title, write_text,
                          write_value)

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "\n", " =", "  +"]
hostile_text = st.one_of(
    st.text(),
    st.builds(lambda head, tail: head + tail, st.sampled_from(TRIGGERS), st.text()),
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3",
                     "=", "#N/A", "#REF!", "#DIV/0!", "\t=1", "\r=1", "\x00=1", "=\x01A1", "\ud800x", "\uffff"]),
)


# ------------------------------------------------------------------------------------ safe_text

def test_safe_text_removes_controls_but_keeps_tab_and_newline():
    assert safe_text("a\x00b\x07c\td\ne\x1bf\x7fg\x85h") == "abc\td\nefgh"


def test_safe_text_turns_carriage_returns_into_newlines():
    assert safe_text("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_safe_text_removes_surrogates_and_xml_non_characters():
    assert safe_text("a\ud800b\ufffec\uffffd") == "abcd"


def test_safe_text_cuts_with_a_marker_within_the_limit():
    cut = safe_text("x" * (EXCEL_CELL_LIMIT + 10))
    assert len(cut) == EXCEL_CELL_LIMIT and cut.endswith(CUT_MARKER)
    assert safe_text("abcdefghij", limit=9) == "ab" + CUT_MARKER
    assert safe_text("abc", limit=3) == "abc"
    assert safe_text("abcdef", limit=3) == CUT_MARKER[:3]  # a limit below the marker's length: the marker, cut


def test_safe_text_of_none_and_numbers():
    assert safe_text(None) == ""
    assert safe_text(2.5) == "2.5"


# -------------------------------------------------------------------------------------- csv_cell

@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"),
    ("\r=1", "'\n=1"), ("  =1", "'  =1"), ("plain", "plain"), ("a=b", "a=b"), ("", ""),
    (None, ""), (-3.5, "-3.5"), (7, "7"), (True, "True"), ("\x00=1", "'=1"),
    ("\x00=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"), (" \x00@A1", "' @A1"),
    # The documented rule, no wider: other text stays exactly as written.
    (" \t=1", " \t=1"), ("\u00a0=1", "\u00a0=1"), ("X=1", "X=1"), ("x=1", "x=1"),
])
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


@settings(deadline=None)
@given(hostile_text)
def test_no_csv_cell_can_start_a_formula(value):
    cell = csv_cell(value)
    if cell.startswith("'"):
        return
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert not cell.lstrip(" ").startswith(("=", "+", "-", "@"))


@settings(deadline=None)
@given(st.lists(hostile_text, min_size=1, max_size=5))
def test_render_csv_uses_the_neutraliser(values):
    text = render.csv_text([f"c{k}" for k in range(len(values))], [values])
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row == [csv_cell(value) for value in values]


def test_render_has_one_neutraliser():
    assert not hasattr(render, "_safe_cell")
    assert render.csv_text(["=h"], [["=x", -1.5, None]]) == "'=h\n'=x,-1.5,\n"


# ----------------------------------------------------------------------------------- sheet_title

@pytest.mark.parametrize(("name", "expected"), [
    ("Summary", "Summary"),
    ("a:b\\c/d?e*f[g]h", "a b c d e f g h"),
    ("x" * 40, "x" * 31),
    ("Ketahanan terhadap ketergantungan platform", "Ketahanan terhadap"),
    ("'quoted'", "quoted"),
    ("", "Sheet"),
    ("::::", "Sheet"),
    ("History", "History (2)"),
    ("tab\there\x00", "tab here"),
    ("two\nlines", "two lines"),
    ("Xavier's data", "Xavier's data"),
    ("' ' '", "Sheet"),  # only quotes and spaces once cut
    ("'" + "x" * 40 + "'", "x" * 31),  # the quotes go before the cut, not after
    ("x" * 30 + "'yyyyyyyyyy", "x" * 30),  # no title ends with a quote after the cut either
    ("a" * 15 + " " + "b" * 15, "a" * 15 + " " + "b" * 15),  # exactly 31: not cut at all
    ("a" * 15 + " " + "b" * 20, "a" * 15),  # a word boundary at half the limit is kept
    ("a" * 14 + " " + "b" * 20, "a" * 14 + " " + "b" * 16),  # one before half: cut mid-word
])
def test_sheet_title_is_valid(name, expected):
    assert sheet_title(name, set()) == expected


def test_sheet_titles_are_unique_case_insensitively_within_31_characters():
    used: set[str] = set()
    first = sheet_title("Data", used)
    second = sheet_title("DATA", used)
    long_a = sheet_title("y" * 40, used)
    long_b = sheet_title("y" * 45, used)
    assert (first, second) == ("Data", "DATA (2)")
    assert long_a == "y" * 31 and long_b == "y" * 27 + " (2)"
    assert len({t.casefold() for t in used}) == 4


@pytest.mark.parametrize(("name", "numbered"), [
    ("x" * 26 + "'yyyyyyyyyy", "x" * 26 + " (2)"),  # no quote left before the number
    ("x" * 26 + " yyyy", "x" * 26 + " (2)"),  # nor a space
    ("a" * 26 + "XXXXX", "a" * 26 + "X (2)"),
])
def test_a_numbered_title_is_cut_cleanly(name, numbered):
    used: set[str] = set()
    sheet_title(name, used)
    assert sheet_title(name, used) == numbered


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=8))
def test_generated_sheet_titles_open_in_openpyxl(names):
    book = Workbook()
    for name in names:
        book.add_sheet(name)
    titles = [sheet.title for sheet in book.sheets]
    assert len({t.casefold() for t in titles}) == len(titles)
    for title in titles:
        assert 0 < len(title) <= 31 and not set(title) & set(":\\/?*[]")
        assert not title.startswith("'") and not title.endswith("'")
    reopened = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))
    assert reopened.sheetnames == titles


# ----------------------------------------------------------------------------- text in workbooks

@settings(max_examples=60, deadline=None)
@given(st.lists(hostile_text, min_size=1, max_size=6))
def test_no_generated_string_becomes_a_formula_cell(values):
    book = Workbook()
    sheet = book.add_sheet("T")
    sheet.append(*[Cell(value, "text") for value in values])
    sheet.append(*values)  # unstyled too
    ws = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))["T"]
    for row in (1, 2):
        for col, value in enumerate(values, 1):
            cell = ws.cell(row=row, column=col)
            assert cell.data_type != "f"
            expected = safe_text(value)
            assert (cell.value or "") == expected


def test_write_text_sets_the_quote_prefix_for_formula_like_text():
    ws = openpyxl.Workbook().active
    write_text(ws["A1"], "=1+1")
    write_text(ws["A2"], "plain")
    write_text(ws["A3"], "#N/A")
    assert ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    assert not ws["A2"].quotePrefix
    assert ws["A3"].data_type == "s" and ws["A3"].value == "#N/A"


@pytest.mark.parametrize(("value", "prefixed"), [
    ("\t=1", True), ("\r=1", True), ("  =1", True), ("\x00-1", True), ("+1", True), ("@A1", True),
    (" \t=1", False), ("X=1", False), ("a=b", False), ("", False),
])
def test_write_text_quote_prefix_follows_the_csv_rule(value, prefixed):
    cell = openpyxl.Workbook().active["A1"]
    write_text(cell, value)
    assert bool(cell.quotePrefix) is prefixed
    assert cell.value == safe_text(value) and cell.data_type == "s"
    assert csv_cell(value).startswith("'") is prefixed


def test_write_text_cuts_at_its_limit():
    cell = openpyxl.Workbook().active["A1"]
    write_text(cell, "abcdefghij", limit=9)
    assert cell.value == "ab" + CUT_MARKER


@pytest.mark.parametrize("value", [None, True, False, 0, -2, 2.5, datetime.date(2026, 1, 31),
                                   datetime.datetime(2026, 1, 31, 9, 30)])
def test_write_value_keeps_numbers_dates_and_empty_cells_as_they_are(value):
    cell = openpyxl.Workbook().active["A1"]
    cell.value = "old"
    write_value(cell, value)
    assert cell.value == value and type(cell.value) is type(value)


def test_write_value_writes_anything_else_as_text():
    cell = openpyxl.Workbook().active["A1"]
    write_value(cell, "=1+1")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
    write_value(cell, ["a\x00"])
    assert (cell.value, cell.data_type) == ("['a\\x00']", "s")


# ------------------------------------------------------------------------------------- safe_link

@pytest.mark.parametrize(("url", "expected"), [
    ("https://mfa.example/a?b=1", "https://mfa.example/a?b=1"),
    ("http://x.example", "http://x.example"),
    ("mailto:desk@mfa.example", "mailto:desk@mfa.example"),
    ("javascript:alert(1)", None),
    ("JAVASCRIPT:alert(1)", None),
    ("data:text/html,<b>x</b>", None),
    ("file:///etc/passwd", None),
    ("https://", None),
    ("http://", None),
    ("HTTP://", None),
    ("HTTPS://MFA.example/a", "HTTPS://MFA.example/a"),
    ("Mailto:desk@mfa.example", "Mailto:desk@mfa.example"),
    ("https://a.example/" + "x" * (2000 - 18), "https://a.example/" + "x" * (2000 - 18)),  # 2000: the limit
    ("https://a.example/" + "x" * (2001 - 18), None),
    ("https://a.example/\x00", None),
    ("https://a.example/ b", None),
    ("https://a.example/" + "x" * 3000, None),
    (None, None),
])
def test_safe_link(url, expected):
    assert safe_link(url) == expected
