"""Fuzz: CSV from outside — the answers CSV (`import_answers_csv`, `import_file`) and COINr's tables.

Random bytes, random text, and CSV made from a grammar of plausible and hostile cells (delimiters,
quotes, BOMs, line ends, decimal commas, formula triggers, `NA`) go into the importers, which return
a valid document or raise `DocumentError` with one-line issues naming the file (and the row, for a
problem in a row); the base assessment is never changed. `NA` is Namibia, or any other text: never a
missing value. COINr's iMeta and iData files go through `read_coinr_csv` and the converters, which
raise nothing but `ToolkitError`.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fuzz_support import check_error, check_issues, documented, fuzz, one_line
from hypothesis import example, given
from hypothesis import strategies as st

from toolkit.errors import DocumentError, ToolkitError
from toolkit.io import workbook_guard
from toolkit.io.answers_csv import COLUMNS, import_answers_csv
from toolkit.io.fields import CODES as IMPORT_CODES
from toolkit.io.imports import import_file
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_assessment, load_rubric, validate_assessment
from toolkit.model.jsonio import display_name
from toolkit.model.validation import CODES as VALIDATION_CODES
from toolkit.research.coinr import MAX_LEVELS, assessments_from_coinr, read_coinr_csv, rubric_from_coinr

REPO = Path(__file__).resolve().parent.parent
BASE = json.loads((REPO / "sample_ministries" / "belmara-mfa-2025.json").read_text(encoding="utf-8"))
RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
INDICATORS = [indicator for indicator in RUBRIC.indicators()]
LEVEL_IDS = [indicator.id for indicator in INDICATORS if not indicator.is_metric]
METRIC_IDS = [indicator.id for indicator in INDICATORS if indicator.is_metric]
HEADER_LINE = ",".join(COLUMNS) + "\n"
CODES = set(workbook_guard.CODES) | set(IMPORT_CODES) | set(VALIDATION_CODES)
# Codes about the whole file rather than one row of it.
FILE_CODES = set(workbook_guard.CODES) | set(VALIDATION_CODES) | {"csv-encoding", "not-csv", "too-many-rows",
                                                                  "csv-needs-base"}
TEXTS = ["NA", "N/A", "na", "null", "None", "nan", "#N/A", "-", "NULL", "Namibia"]
CELLS = ["", " ", "0", "1", "2", "3", "4", "5", "-1", "2.5", "3,5", "1,234.5", "1e3", "inf", "NaN", "NA", "yes", "no",
         "ya", "tidak", "TRUE", "high", "medium", "low", "tinggi", "x", "=1+1", "'=1+1", "+1", "@x", "-2", "\t=1",
         "https://example.org report", "javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd",
         "<script>alert(1)</script>", "**bold**", "a\nb", "a\r\nb", "a\rb", '"', '""', "a,b", "a;b", "a\tb",
         "\ufeff", "\u202e", "\x00", "\x1b[31m", "x" * 5000]


def check_csv(data: bytes | str, name: str = "answers.csv") -> Any:
    base = copy.deepcopy(BASE)
    result = documented(lambda: import_answers_csv(data, name, base), seconds=10)
    assert base == BASE  # the base assessment is never changed
    shown = display_name(name)
    if isinstance(result, ToolkitError):
        assert isinstance(result, DocumentError), repr(result)
        check_error(result, shown, CODES)
        for issue in result.issues:
            assert issue.code in FILE_CODES or issue.place is not None, f"{issue.code} is not located: {issue}"
        return result
    assert validate_assessment(result, RUBRIC, name=name).valid
    json.dumps(result, allow_nan=False, ensure_ascii=False).encode("utf-8")
    return result


@fuzz(120)
@given(st.binary(max_size=400))
@example(codecs.BOM_UTF8)
@example(codecs.BOM_UTF16_LE + "indicator\n".encode("utf-16-le"))
@example(b"indicator\n\x00")
@example(b"indicator,level\n" + "ins.official_accounts,\u00e9".encode("latin-1"))
def test_answers_csv_of_arbitrary_bytes(data: bytes) -> None:
    check_csv(data)


@fuzz(100)
@given(st.text(max_size=300), st.text(st.characters(exclude_categories=()), min_size=1, max_size=20))
@example("indicator,level\n\"unterminated", "answers.csv")
@example("indicator\r\n" + "x\r" * 3, "a\u2028.csv")
def test_answers_csv_of_arbitrary_text(text: str, name: str) -> None:
    check_csv(text, name)


@st.composite
def answers_csv(draw: st.DrawFn) -> bytes | str:
    """CSV as a spreadsheet or a script would write it, with a few things wrong."""
    columns = list(COLUMNS)
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    if draw(st.integers(0, 4)) == 0:
        columns = draw(st.lists(st.sampled_from([*COLUMNS, "Indicator ", "levle", "", "extra"]),
                                min_size=1, max_size=10))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    rows = [columns]
    for _ in range(draw(st.integers(0, 6))):
        row = []
        for column in columns:
            if column.strip().lower() == "indicator":
                ids = LEVEL_IDS[:5] + METRIC_IDS[:2] + ["", "nope", "INS.OFFICIAL_ACCOUNTS"]
                row.append(draw(st.sampled_from(ids)))
            else:
                row.append(draw(st.sampled_from(CELLS) | st.text(max_size=8)))
        if draw(st.integers(0, 8)) == 0:
            row = row[:draw(st.integers(0, len(row)))] if draw(st.booleans()) else [*row, "stray"]
        rows.append(row)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"]))).writerows(rows)
    text = out.getvalue()
    form = draw(st.sampled_from(["str", "utf-8", "utf-8-sig", "cp1252"]))
    if form == "str":
        return text
    try:
        return text.encode(form)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@fuzz(120)
@given(answers_csv())
@example(HEADER_LINE + 'ins.official_accounts,"a\rb",,,,,,,\n')
@example('indicator,"\x01\r\x01"\n')
def test_answers_csv_from_a_grammar(data: bytes | str) -> None:
    check_csv(data)


@pytest.mark.parametrize(("text", "expected"), [
    (HEADER_LINE + 'ins.official_accounts,"a\rb",,,,,,,\n',
     'answers.csv: row 2: level "a\\x0db" is not allowed (0-4)'),
    ('indicator,"\x01\r\x01"\n', 'answers.csv: row 1: unknown column "\\x01\\x0d\\x01" (the columns are: indicator, '
     "level, value, na, na_reason, target, confidence, notes, evidence)"),
])
def test_a_carriage_return_in_a_cell_is_shown_escaped(text: str, expected: str) -> None:
    """Found by this fuzzing: a CR (or another control character) in a quoted cell broke the message
    across lines; `import_fields.show` now escapes it as the file name escaping does (fixed)."""
    result = check_csv(text)
    assert isinstance(result, DocumentError)
    assert [str(issue) for issue in result.issues] == [expected]


# -- NA is Namibia ------------------------------------------------------------------------------------

HEADER = ",".join(COLUMNS) + "\n"


@fuzz(30)
@given(st.sampled_from(LEVEL_IDS), st.sampled_from(TEXTS), st.sampled_from(["notes", "na_reason", "evidence"]),
       st.sampled_from([",", ";"]))
def test_na_stays_na(indicator_id: str, text: str, column: str, delimiter: str) -> None:
    """`NA` (and every other spelling of "nothing") in a text column is kept as the text it is."""
    cells = dict.fromkeys(COLUMNS, "")
    cells.update(indicator=indicator_id, level="2", **{column: text})
    if column == "na_reason":
        cells.update(level="", na="yes")
    data = delimiter.join(COLUMNS) + "\n" + delimiter.join(cells[key] for key in COLUMNS) + "\n"
    doc = check_csv(data)
    assert not isinstance(doc, BaseException), doc
    answer = doc["answers"][indicator_id]
    if column == "evidence":
        assert answer["evidence"] == [{"kind": "text", "value": text}]
    else:
        assert answer[column] == text


@pytest.mark.parametrize("column", ["level", "target", "na", "confidence"])
def test_na_is_not_a_missing_value(column: str) -> None:
    """In a column of levels or choices `NA` is an answer that is not allowed, never an empty cell."""
    cells = dict.fromkeys(COLUMNS, "")
    cells.update({"indicator": LEVEL_IDS[0], "level": "2", column: "NA"})
    result = check_csv(HEADER + ",".join(cells[key] for key in COLUMNS) + "\n")
    assert isinstance(result, DocumentError)
    assert [issue.place for issue in result.issues] == ["row 2"]
    assert '"NA"' in result.issues[0].message


# -- any file, by its name ----------------------------------------------------------------------------

@fuzz(120)
@given(st.binary(max_size=300) | answers_csv().map(lambda data: data.encode() if isinstance(data, str) else data),
       st.sampled_from(["answers.csv", "a.tsv", "a.txt", "a.json", "a.xlsx", "a", "a.CSV", "evil\r\n.csv", ".json"]),
       st.booleans())
@example(b'{"kind": "assessment"}', "a", True)
@example(b"PK\x03\x04", "a", False)
@example(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a.txt", True)
def test_import_file_of_anything(data: bytes, name: str, with_base: bool) -> None:
    base = copy.deepcopy(BASE) if with_base else None
    result = documented(lambda: import_file(data, name, base_document=base), seconds=10)
    if isinstance(result, ToolkitError):
        assert isinstance(result, DocumentError), repr(result)
        check_error(result, display_name(name), CODES)
    else:
        assert validate_assessment(result, RUBRIC).valid
    assert base is None or base == BASE


# -- COINr tables -------------------------------------------------------------------------------------

META = ["Level", "iCode", "iName", "Direction", "Weight", "Unit", "Target", "Denominator", "Parent", "Type"]
CODES_POOL = ["A", "B", "C", "D", "Agg", "Top", "NA", "overall", "", " x ", "a.b", "É", "1"]
META_VALUES = {
    "Level": ["1", "2", "3", "1.0", "2.5", "", "x", "-1", "1e400", "nan"],
    "Direction": ["1", "-1", "0", "", "x", "1.5"],
    "Weight": ["1", "0.5", "0", "-1", "", "inf", "nan", "1e308", "x", "2"],
    "Type": ["Indicator", "Aggregate", "Group", "Denominator", "", "junk"],
}


@st.composite
def coinr_tables(draw: st.DrawFn) -> tuple[str, str]:
    columns = [column for column in META if draw(st.integers(0, 9)) > 0]
    meta = [columns]
    for _ in range(draw(st.integers(0, 8))):
        row = []
        for column in columns:
            if column in META_VALUES:
                row.append(draw(st.sampled_from(META_VALUES[column]) | st.text(max_size=4)))
            elif column in ("iCode", "Parent", "Denominator"):
                row.append(draw(st.sampled_from(CODES_POOL)))
            else:
                row.append(draw(st.text(max_size=6)))
        meta.append(row)
    data_columns = ["uName", "uCode"] + draw(st.lists(st.sampled_from(CODES_POOL[:8]), max_size=6))
    data = [[column for column in data_columns if draw(st.integers(0, 9)) > 0]]
    for _ in range(draw(st.integers(0, 5))):
        data.append([draw(st.sampled_from(["1", "0", "-3.5", "NA", "", "n/a", "1,5", "x", "inf", "AUT", "NAM"])
                          | st.text(max_size=4)) for _ in data[0]])

    def write(rows: list[list[str]]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()
    return write(meta), write(data)


@pytest.fixture(scope="module")
def folder() -> Any:
    with tempfile.TemporaryDirectory(prefix="ddmt-fuzz-coinr-") as path:
        yield Path(path)


def convert(folder: Path, meta: bytes, data: bytes) -> None:
    """Read, convert, then load the documents, as `ddmt` research commands do: only ToolkitError."""
    meta_path, data_path = folder / "iMeta.csv", folder / "iData.csv"
    meta_path.write_bytes(meta)
    data_path.write_bytes(data)

    def run() -> None:
        imeta, idata = read_coinr_csv(meta_path, data_path)
        rubric = load_rubric(rubric_from_coinr(imeta, rubric_id="fuzz", version="1.0.0", title="Fuzz"))
        for doc in assessments_from_coinr(idata, imeta, rubric_id="fuzz", version="1.0.0", period="2026",
                                          date="2026-01-01"):
            load_assessment(doc, rubric)
    result = documented(run, seconds=10)
    if isinstance(result, ToolkitError):
        if isinstance(result, DocumentError):
            check_issues(result.issues, "<document>", set(VALIDATION_CODES))
        else:
            assert one_line(str(result)), repr(str(result))


@fuzz(100)
@given(coinr_tables())
@example(("Level,iCode,iName,Direction,Weight,Parent,Type\n2,Top,T,,1,,Aggregate\n1,A,A,1,1,Top,Indicator\n",
          "uName,uCode,A\nNamibia,NA,1\n"))
def test_coinr_tables_from_a_grammar(folder: Path, tables: tuple[str, str]) -> None:
    convert(folder, tables[0].encode(), tables[1].encode())


@fuzz(60)
@given(st.binary(max_size=200), st.binary(max_size=200))
@example(b"", b"")
@example(b"\n\n", b"uName,uCode\n")
def test_coinr_files_of_arbitrary_bytes(folder: Path, meta: bytes, data: bytes) -> None:
    convert(folder, meta, data)


def test_an_empty_coinr_file_is_a_toolkit_error(folder: Path) -> None:
    """Found by this fuzzing: pandas' EmptyDataError escaped read_coinr_csv (fixed)."""
    path = folder / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ToolkitError, match=r"empty\.csv: cannot read as CSV: No columns to parse from file$"):
        read_coinr_csv(path, path)


# -- found by this fuzzing (fixed) -----------------------------------------------------------------

META_TOP = "Level,iCode,iName,Direction,Weight,Parent,Type\n2,Top,T,,1,,Aggregate\n1,A,A,1,1,Top,Indicator\n"


@pytest.mark.parametrize(("data", "line", "fields"), [
    ("uName,uCode,A\nNamibia,NA,1,999\nAustria,AUT,2\n", 2, 4),  # pandas took uName as the index, shifted the rest
    ("uName,uCode,A\r\n\r\nNamibia,NA,1\r\nAustria,AUT,2,\r\n", 4, 4),  # a blank line and CRLF: lines counted
    ('uName,uCode,A\n"Namibia, Republic of",NA,1\nAustria,AUT,2,3,4\n', 3, 5),  # a quoted comma is no stray field
])
def test_a_stray_field_in_idata_is_refused(folder: Path, data: str, line: int, fields: int) -> None:
    """Found by this fuzzing: a stray field in iData's first row silently shifted every column (fixed)."""
    (folder / "m.csv").write_text(META_TOP, encoding="utf-8")
    (folder / "d.csv").write_bytes(data.encode("utf-8"))
    with pytest.raises(ToolkitError) as caught:
        read_coinr_csv(folder / "m.csv", folder / "d.csv")
    assert str(caught.value) == (f"{folder / 'd.csv'}: line {line}: {fields} fields but the header has 3 "
                                 "(a stray delimiter, or a value with a comma not in quotes?)")
    check_error(caught.value, "")


def test_a_stray_field_in_imeta_is_refused(folder: Path) -> None:
    (folder / "m.csv").write_text(META_TOP.replace(",Aggregate", ",Aggregate,x"), encoding="utf-8")
    (folder / "d.csv").write_text("uName,uCode,A\nNamibia,NA,1\n", encoding="utf-8")
    with pytest.raises(ToolkitError, match=r"m\.csv: line 2: 8 fields but the header has 7 "):
        read_coinr_csv(folder / "m.csv", folder / "d.csv")


def test_shorter_rows_and_a_quoted_comma_still_read(folder: Path) -> None:
    (folder / "m.csv").write_text(META_TOP, encoding="utf-8")
    (folder / "d.csv").write_text('uName,uCode,A\n"Namibia, Republic of",NA,1\nAustria,AUT\n', encoding="utf-8")
    imeta, idata = read_coinr_csv(folder / "m.csv", folder / "d.csv")
    assert list(idata.columns) == ["uName", "uCode", "A"]
    assert idata["uName"].tolist() == ["Namibia, Republic of", "Austria"]
    assert idata["uCode"].tolist() == ["NA", "AUT"]
    namibia, austria = assessments_from_coinr(idata, imeta, rubric_id="x", version="1.0.0", period="2026",
                                              date="2026-01-01")
    assert namibia["answers"] == {"a": {"value": 1.0}} and austria["answers"] == {}


@pytest.mark.parametrize("source", [3, b"iMeta.csv", None])
def test_a_coinr_source_that_is_not_a_path_is_refused(source: Any) -> None:
    with pytest.raises(ToolkitError, match=r": cannot read as CSV: not a file path \(\w+\)$"):
        read_coinr_csv(source, source)


def _chain(aggregates: int) -> Any:
    """iMeta of one top aggregate over a chain of `aggregates` nested aggregates over one indicator."""
    import pandas as pd
    top = aggregates + 2
    rows = [[str(level), f"N{level}", f"N{level}", "", "1", f"N{level + 1}" if level < top else "", "Aggregate"]
            for level in range(top, 1, -1)]
    rows.append(["1", "I", "I", "1", "1", "N2", "Indicator"])
    return pd.DataFrame(rows, columns=["Level", "iCode", "iName", "Direction", "Weight", "Parent", "Type"])


def test_a_very_deep_coinr_hierarchy_is_refused() -> None:
    """Found by this fuzzing: ~1,000 nested aggregates made rubric_from_coinr overflow the recursion limit (fixed)."""
    for aggregates in (MAX_LEVELS + 1, 1200, 5000):
        with pytest.raises(ToolkitError) as caught:
            rubric_from_coinr(_chain(aggregates), rubric_id="x", version="1.0.0", title="Deep")
        # The top is the rubric itself; the aggregate one level too deep is N(top - MAX_LEVELS - 1).
        code = aggregates + 2 - MAX_LEVELS - 1
        assert str(caught.value) == (f"iMeta row {MAX_LEVELS + 3}: aggregate N{code} is nested {MAX_LEVELS + 1} "
                                     f"levels deep; a rubric holds at most {MAX_LEVELS} levels of aggregates")


def test_the_deepest_coinr_hierarchy_allowed_loads_as_a_rubric() -> None:
    """MAX_LEVELS is what the rubric document's nesting limit leaves room for: that deep still loads."""
    doc = rubric_from_coinr(_chain(MAX_LEVELS), rubric_id="x", version="1.0.0", title="Deep")
    rubric = load_rubric(doc, name="deep")
    assert len(list(rubric.indicators())) == 1
