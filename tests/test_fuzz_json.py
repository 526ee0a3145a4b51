"""Fuzz: JSON documents as bytes, the way a file or an upload arrives (`toolkit.model.jsonio`, `validate_file`).

Inputs: arbitrary bytes and text, and documents (the shipped rubric, a sample assessment, the test
rubric, and the files of the invalid-document corpus, tests/data/invalid) damaged the ways real files are: flipped bytes, truncation, duplicated keys, deep
nesting, huge numbers, NaN and Infinity tokens, byte-order marks, UTF-16 and UTF-32, lone surrogate
escapes. `parse_json` either returns what the standard library would (never NaN, never a duplicate
key, never deeper than the limit) or raises `DocumentError` with exactly one located issue;
`validate_file` never raises; `load_document` raises nothing but `DocumentError`.
"""

from __future__ import annotations

import codecs
import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fuzz_support import bounded, check_issue, check_issues, documented, fuzz
from hypothesis import example, given
from hypothesis import strategies as st

from toolkit.errors import DocumentError, ToolkitError
from toolkit.issues import Report
from toolkit.model import jsonio, validation
from toolkit.model.documents import load_document, validate_file

REPO = Path(__file__).resolve().parent.parent
BASES: dict[str, bytes] = {
    "rubric": (REPO / "rubrics" / "digital-diplomacy-1.0.0.json").read_bytes(),
    "assessment": (REPO / "sample_ministries" / "belmara-mfa-2025.json").read_bytes(),
    "mini": (REPO / "tests" / "data" / "rubrics" / "mini.json").read_bytes(),
}
SMALL = {"assessment": BASES["assessment"], "mini": BASES["mini"]}
# The invalid-document corpus (tests/data/invalid, run as such by tests/test_validation.py) as seeds too.
CORPUS = {f"{path.parent.name}/{path.name}": path.read_bytes()
          for path in sorted((REPO / "tests" / "data" / "invalid").glob("*/*"))
          if path.name not in ("expected.txt", "options.json") and path.stat().st_size < 100_000}
HOSTILE_TOKENS = [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e999", b"9" * 400, b"-" + b"9" * 301,
                  b"1" + b"0" * 299, b'"\\ud800"', b'"\\udfff\\ud800"', b'"\\u0000"', b"\x00", b"\xff", b"\xc3",
                  b"\xed\xa0\x80", b"[" * 70, b"{" * 70, b"]", b"}", b'"', b"\\", b",", b":", b"null", b"true",
                  b'{"a":1,"a":2}', b"\xef\xbb\xbf", b"\r\n", b"\t", b"/*", b"'", b"0x1F", b"01", b"1.", b".5",
                  b"+1", b"\xe2\x80\xa8", b'"\\u2028"']
NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
KEY = re.compile(rb'[{,]\s*("(?:[^"\\]|\\.)*")\s*:')


def _at(data: bytes, position: int) -> int:
    return position % (len(data) + 1)


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, Any]:
    kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "duplicate-key", "nest", "number",
                                 "encoding", "splice"]))
    if kind == "flip":
        return kind, (draw(st.integers(0, 10**6)), draw(st.integers(0, 255)))
    if kind == "truncate":
        return kind, draw(st.integers(0, 10**6))
    if kind == "insert":
        return kind, (draw(st.integers(0, 10**6)), draw(st.sampled_from(HOSTILE_TOKENS) | st.binary(max_size=8)))
    if kind == "delete":
        return kind, (draw(st.integers(0, 10**6)), draw(st.integers(1, 64)))
    if kind == "duplicate-key":
        return kind, draw(st.integers(0, 10**6))
    if kind == "nest":
        return kind, (draw(st.sampled_from([b"[", b'{"a":'])), draw(st.sampled_from([1, 63, 64, 65, 200, 100_000])))
    if kind == "number":
        return kind, (draw(st.integers(0, 10**6)), draw(st.sampled_from(HOSTILE_TOKENS[:9]) | st.from_regex(
            rb"\A-?[0-9]{1,400}(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,5})?\Z")))
    if kind == "encoding":
        return kind, draw(st.sampled_from(["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                                           "bom-twice", "latin-1"]))
    return kind, (draw(st.integers(0, 10**6)), draw(st.integers(0, 10**6)), draw(st.integers(0, 64)))


def apply(data: bytes, step: tuple[str, Any]) -> bytes:
    kind, arg = step
    if kind == "flip":
        if not data:
            return data
        position = arg[0] % len(data)
        return data[:position] + bytes([arg[1]]) + data[position + 1:]
    if kind == "truncate":
        return data[:_at(data, arg)]
    if kind == "insert":
        position = _at(data, arg[0])
        return data[:position] + arg[1] + data[position:]
    if kind == "delete":
        position = _at(data, arg[0])
        return data[:position] + data[position + arg[1]:]
    if kind == "duplicate-key":
        keys = list(KEY.finditer(data))
        if not keys:
            return data
        key = keys[arg % len(keys)]
        return data[:key.end()] + b" 0, " + key.group(1) + b":" + data[key.end():]
    if kind == "nest":
        opener, depth = arg
        closer = b"]" if opener == b"[" else b"}"
        return opener * depth + data + closer * depth
    if kind == "number":
        numbers = list(NUMBER.finditer(data))
        if not numbers:
            return data
        found = numbers[arg[0] % len(numbers)]
        return data[:found.start()] + arg[1] + data[found.end():]
    if kind == "encoding":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return data
        if arg == "bom-twice":
            return codecs.BOM_UTF8 * 2 + data
        try:
            return text.encode(arg)
        except UnicodeEncodeError:
            return data
    start, other, length = arg
    donor = data[_at(data, other):_at(data, other) + length]
    position = _at(data, start)
    return data[:position] + donor + data[position:]


@st.composite
def damaged(draw: st.DrawFn, bases: dict[str, bytes] = BASES) -> bytes:
    data = bases[draw(st.sampled_from(sorted(bases)))]
    for step in draw(st.lists(mutation(), min_size=1, max_size=4)):
        data = apply(data, step)
    return data


# -- the properties ----------------------------------------------------------------------------------

def depth_of(value: Any) -> int:
    stack, deepest = [(value, 0)], 0
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _strict_loads(text: str) -> Any:
    """The standard library's reading, refusing what JSON itself refuses (NaN, Infinity)."""
    def refuse(token: str) -> Any:
        raise ValueError(token)
    return json.loads(text, parse_constant=refuse)


def check_parse(data: bytes | str, name: str) -> None:
    """parse_json accepts a subset of what the standard library accepts, and says why it refuses."""
    result = documented(lambda: jsonio.parse_json(data, name), seconds=10)
    shown = jsonio.display_name(name)
    if isinstance(result, ToolkitError):
        assert isinstance(result, DocumentError), repr(result)
        assert len(result.issues) == 1, result.issues
        [issue] = result.issues
        check_issue(issue, shown)
        assert issue.code in jsonio.CODES
        if issue.code in ("malformed-json", "duplicate-key", "not-utf8", "non-finite-number", "number-too-large"):
            assert issue.line is not None and issue.column is not None, issue
        return
    text = data if isinstance(data, str) else data.decode("utf-8")
    text = text.removeprefix("\ufeff")
    assert _strict_loads(text) == result  # what the standard library reads, exactly
    assert depth_of(result) <= jsonio.MAX_DEPTH
    json.dumps(result, allow_nan=False, ensure_ascii=False).encode("utf-8")  # finite; every string real text


@fuzz(300)
@given(st.binary(max_size=512))
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe{\x00}\x00")
@example(b"[" * 100_000)
@example(b'"\\ud800"')
def test_parse_json_on_arbitrary_bytes(data: bytes) -> None:
    check_parse(data, "fuzz.json")


@fuzz(200)
@given(st.text(max_size=256), st.text(st.characters(exclude_categories=()), max_size=40))
@example("\ufeff\ufeff{}", "a\u2028b\x85c")
@example("\ud800", "name\n.json")
@example('["\\ud800"]', "\udcff.json")  # a lone surrogate escape; a name from undecodable bytes (surrogateescape)
@example('{"\\udc00": 1, "\\udc00": 2}', "x.json")
def test_parse_json_on_arbitrary_text_and_names(text: str, name: str) -> None:
    check_parse(text, name)


@fuzz(250)
@given(damaged() | damaged(CORPUS))
@example(BASES["mini"].replace(b"{", b'{"kind": 1, ', 1))
@example(b"[" * 65 + BASES["mini"] + b"]" * 65)
@example(BASES["mini"].replace(b"1", b"1e999", 1))
@example(BASES["mini"].replace(b"1", b"NaN", 1))
@example(BASES["assessment"].decode().encode("utf-16"))
@example(b"[NaNx]")  # found by this fuzzing: a refused token glued to text was not located (fixed)
@example(b'{"a": -Infinity0}')
@example(b"[1e999x]")
def test_parse_json_on_damaged_documents(data: bytes) -> None:
    check_parse(data, "damaged.json")


# -- the file doors: validate_file never raises, load_document raises only DocumentError -------------

@pytest.fixture(scope="module")
def folder() -> Any:
    with tempfile.TemporaryDirectory(prefix="ddmt-fuzz-json-") as path:
        yield Path(path)


FILE_CODES = set(validation.CODES)


def check_file(folder: Path, data: bytes, name: str) -> None:
    path = folder / "document.json"
    path.write_bytes(data)
    shown = jsonio.display_name(name)
    with bounded(20):
        report = validate_file(path, name=name)  # never raises: anything raised fails the example
    assert isinstance(report, Report) and report.file == shown
    check_issues(report.issues, shown, FILE_CODES)
    for issue in report.issues:
        assert issue.path is not None or issue.line is not None or issue.code in ("too-large", "too-deep",
                                                                                  "file-unreadable"), issue
    loaded = documented(lambda: load_document(path, name=name), seconds=20)
    if report.valid:
        assert not isinstance(loaded, BaseException), loaded
    else:
        assert isinstance(loaded, DocumentError), loaded
        assert [str(issue) for issue in loaded.issues] == [str(issue) for issue in report.issues]


@fuzz(100)
@given(damaged(SMALL) | damaged(CORPUS), st.sampled_from(["damaged.json", "evil\r\nname.json", "../../etc/passwd", "\x1b[31mred.json"]))
@example(b'{"kind": "assessment", "rubric": {"id": "nope", "version": "9.9.9"}}', "damaged.json")
@example(b'{"kind": "rubric", "dimensions": [{"id": "\\ud800"}]}', "damaged.json")
def test_validate_file_never_raises(folder: Path, data: bytes, name: str) -> None:
    check_file(folder, data, name)


@fuzz(25)
@given(damaged({"rubric": BASES["rubric"]}))
def test_validate_file_on_the_damaged_shipped_rubric(folder: Path, data: bytes) -> None:
    check_file(folder, data, "rubric.json")


@fuzz(100)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                    | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
                    max_leaves=20))
def test_validate_file_on_any_json_value(folder: Path, value: Any) -> None:
    """Well-formed JSON that is not a document at all: a list, a number, an object of anything."""
    check_file(folder, json.dumps(value).encode(), "value.json")
    if isinstance(value, float) and math.isfinite(value):
        assert jsonio.parse_json(json.dumps(value), "v.json") == value


# -- found by this fuzzing (fixed in toolkit/model/jsonio.py) -----------------------------------------------

@pytest.mark.parametrize(("data", "expected"), [
    (b'{"a": ["ok", "x\\ud800y"]}',
     "x.json: line 1, column 14: not UTF-8 text: \\ud800 is half of a UTF-16 surrogate pair, not a character"),
    (b'["\\udfff"]',
     "x.json: line 1, column 2: not UTF-8 text: \\udfff is half of a UTF-16 surrogate pair, not a character"),
    (b'{"\\udc00": 1, "\\udc00": 2}', 'x.json: line 1, column 15: duplicate key "\\udc00"'),
])
def test_a_lone_surrogate_escape_is_refused(data: bytes, expected: str) -> None:
    """`"\\ud800"` is well-formed JSON but no character: it used to pass and crash the store and the printing."""
    with pytest.raises(DocumentError) as caught:
        jsonio.parse_json(data, "x.json")
    assert [str(issue) for issue in caught.value.issues] == [expected]


def test_a_surrogate_pair_and_an_escaped_backslash_are_fine() -> None:
    assert jsonio.parse_json(b'["\\ud83d\\ude00", "\\\\ud800"]', "ok.json") == ["\U0001f600", "\\ud800"]


def test_a_name_from_undecodable_bytes_is_shown_escaped() -> None:
    """A command-line argument Python decoded with surrogateescape: shown, not a crash when printed."""
    assert jsonio.display_name("caf\udce9.json") == "caf\\udce9.json"


@pytest.mark.parametrize(("data", "expected"), [
    (b"[NaNx]", "x.json: line 1, column 2: NaN is not allowed: JSON numbers must be finite"),
    (b'{"a":\n -Infinity0}', "x.json: line 2, column 2: -Infinity is not allowed: JSON numbers must be finite"),
    (b"[1, 1e999x]", "x.json: line 1, column 5: the number 1e999 is too large"),
    (b"[1" + b"0" * 300 + b".5, 1" + b"0" * 300 + b"]",
     "x.json: line 1, column 307: the number 100000000000... (301 characters) is too large"),
])
def test_a_refused_number_glued_to_text_is_located(data: bytes, expected: str) -> None:
    """Found by this fuzzing: `NaNx`, `1e999x` were refused without a line and column (fixed)."""
    with pytest.raises(DocumentError) as caught:
        jsonio.parse_json(data, "x.json")
    assert [str(issue) for issue in caught.value.issues] == [expected]
