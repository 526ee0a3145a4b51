"""Safe JSON reading: every refusal is one located issue, and limits hold before the costly step."""

from __future__ import annotations

import codecs
import json
import os
import pwd
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import DocumentError, ToolkitError
from toolkit.model import jsonio
from toolkit.model.jsonio import parse_json, read_json


def refusal(data: bytes | str, **limits: int) -> str:
    """The one line a refusal prints; fails the test if the data is accepted."""
    with pytest.raises(DocumentError) as caught:
        parse_json(data, "bad.json", **limits)
    [issue] = caught.value.issues
    assert issue.code in jsonio.CODES
    return str(issue)


def code_of(data: bytes | str, **limits: int) -> str:
    with pytest.raises(DocumentError) as caught:
        parse_json(data, "bad.json", **limits)
    return caught.value.issues[0].code


@pytest.mark.parametrize(("data", "expected"), [
    (b'{"a": 1,\n  "b": {"id": 1, "id": 2}}', 'bad.json: line 2, column 18: duplicate key "id"'),
    (b'{"a": 1, "\\u0061": 2}', 'bad.json: line 1, column 10: duplicate key "a"'),
    (b'{"x": {"k": 1}, "y": {"k": 2}}', None),  # the same key in different objects is fine
    (b'{"a": NaN}', "bad.json: line 1, column 7: NaN is not allowed: JSON numbers must be finite"),
    (b'[1,\n Infinity]', "bad.json: line 2, column 2: Infinity is not allowed: JSON numbers must be finite"),
    (b'{"NaN": -Infinity}', "bad.json: line 1, column 9: -Infinity is not allowed: JSON numbers must be finite"),
    (b'{"a": 1e999}', "bad.json: line 1, column 7: the number 1e999 is too large"),
    (b'[-' + b"7" * 301 + b"]", "bad.json: line 1, column 2: the number -77777777777... (302 characters) is too large"),
    (b"{'a': 1}", "bad.json: line 1, column 2: malformed JSON: expecting property name enclosed in double quotes"),
    (b'{"a": 1} {"b": 2}', "bad.json: line 1, column 10: malformed JSON: unexpected text after the end of the document"),
    (b'{"a": [1, 2}', "bad.json: line 1, column 12: malformed JSON: expecting ',' delimiter"),
    (b'{"a": }', "bad.json: line 1, column 7: malformed JSON: expected a value"),
    (b"  \n ", "bad.json: line 1, column 1: malformed JSON: the document is empty"),
    (b'{"a": "caf\xe9"}', "bad.json: line 1, column 11: not UTF-8 text: invalid byte 0xe9 at byte offset 10"),
    (b'{"a":\n "\xc3\xa9\xff"}', "bad.json: line 2, column 4: not UTF-8 text: invalid byte 0xff at byte offset 10"),
])
def test_refusals(data: bytes, expected: str | None) -> None:
    if expected is None:
        parse_json(data, "bad.json")
    else:
        assert refusal(data) == expected


def test_long_but_legitimate_numbers_pass() -> None:
    assert parse_json(b"[" + b"9" * 300 + b", 1e308, -0.0, 1e-400]", "ok.json")[1:] == [1e308, -0.0, 0.0]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_named(encoding: str) -> None:
    data = '{"a": 1}'.encode(encoding)
    assert refusal(data).endswith("not UTF-8 text: the file looks like UTF-16 or UTF-32; save it as UTF-8")


def test_bom_is_tolerated() -> None:
    assert parse_json(codecs.BOM_UTF8 + '{"a": "é"}'.encode(), "bom.json") == {"a": "é"}


def test_text_input_is_accepted() -> None:
    assert parse_json('\ufeff{"a": [1]}', "t.json") == {"a": [1]}


def test_depth_cap_is_inclusive() -> None:
    nested: list = []
    for _ in range(63):
        nested = [nested]
    assert parse_json(b"[" * 64 + b"]" * 64, "ok.json", max_depth=64) == nested
    assert refusal(b"[" * 65 + b"]" * 65, max_depth=64) == "bad.json: line 1, column 65: nested more than 64 levels deep"


def test_depth_bomb_never_reaches_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def parser_reached(*args: object, **kwargs: object) -> None:
        raise AssertionError("json.loads was called")
    monkeypatch.setattr(json, "loads", parser_reached)
    assert refusal(b"[" * 100_000) == "bad.json: line 1, column 65: nested more than 64 levels deep"
    assert code_of(b'{"a":' * 100_000) == "too-deep"


def test_brackets_inside_strings_do_not_count() -> None:
    text = json.dumps({"s": "[" * 1000 + "{" * 1000, "t": 'a \\" [[[[', "u": "]]]]"})
    assert parse_json(text.encode(), "ok.json")["s"].startswith("[[")


def test_unterminated_string_is_malformed_not_deep() -> None:
    assert code_of(b'{"a": "[[[[[[[[', max_depth=3) == "malformed-json"


def test_size_cap_is_checked_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json, "loads", lambda *a, **k: pytest.fail("parsed an oversized document"))
    assert refusal(b"[" + b"1," * 600 + b"1]", max_bytes=1000) == (
        "bad.json: the document is larger than the limit of 1,000 bytes")


def test_size_cap_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b"0," * 5000 + b"0]")
    with pytest.raises(DocumentError) as caught:
        read_json(big, max_bytes=100, name="big.json")
    assert str(caught.value) == "big.json: the document is larger than the limit of 100 bytes"


def test_endless_special_file_is_cut_at_the_cap() -> None:
    with pytest.raises(DocumentError) as caught:
        read_json("/dev/zero", max_bytes=1000)
    assert caught.value.issues[0].code == "too-large"


def test_default_cap_is_twenty_megabytes() -> None:
    assert jsonio.MAX_BYTES == 20_000_000
    assert jsonio.MAX_DEPTH == 64


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        read_json(tmp_path / "nope.json", name="nope.json")
    assert str(caught.value) == "nope.json: cannot read the file: no such file"
    assert caught.value.issues[0].code == "file-unreadable"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        read_json(tmp_path)
    assert str(caught.value) == f"{tmp_path}: cannot read the file: it is a directory"


def test_unreadable_file() -> None:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)  # only the file's own mode refuses, for whoever reads it
        locked = Path(folder) / "locked.json"
        locked.write_text("{}")
        locked.chmod(0)
        assert _refusal_as_an_ordinary_user(locked) == "locked.json: cannot read the file: permission denied"


def _refusal_as_an_ordinary_user(path: Path) -> str:
    """The message of `read_json(path)` in a process that is not root, since root reads any file.

    As root (CI runs so), a forked child drops to `nobody` first and hands the message back through
    a pipe, so the test runs on every machine instead of being skipped where it matters most.
    """
    def refusal() -> str:
        try:
            read_json(path, name=path.name)
        except DocumentError as error:
            return str(error)
        return "read without a refusal"

    if os.geteuid() != 0:
        return refusal()
    nobody = pwd.getpwnam("nobody")
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the child never returns into pytest
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.write(writer, refusal().encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as stream:
        message = stream.read().decode()
    os.waitpid(child, 0)
    return message


def test_read_json_uses_path_as_default_name(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1, "a": 2}')
    with pytest.raises(DocumentError) as caught:
        read_json(bad)
    assert caught.value.issues[0].file == str(bad)
    assert caught.value.issues[0].line == 1 and caught.value.issues[0].column == 10


def test_read_json_good_file(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text('{"kind": "rubric", "n": [1, 2.5, null, true]}', encoding="utf-8")
    assert read_json(good) == {"kind": "rubric", "n": [1, 2.5, None, True]}


def test_document_error_is_a_toolkit_error() -> None:
    with pytest.raises(ToolkitError):
        parse_json(b"[", "x.json")


def test_first_duplicate_in_text_order_is_reported() -> None:
    # The parser meets the inner object first; the message still names the first in the text.
    data = b'{"a": 1, "a": {"b": 1, "b": 2}}'
    assert refusal(data) == 'bad.json: line 1, column 10: duplicate key "a"'


def test_messages_are_one_line() -> None:
    for data in (b'{"a\\n": 1, "a\\n": 2}', b'{"a": "\n"}'):
        assert "\n" not in refusal(data)


def test_permission_denied_is_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(jsonio, "open", refuse, raising=False)
    with pytest.raises(DocumentError) as caught:
        read_json(tmp_path / "x.json", name="x.json")
    assert str(caught.value) == "x.json: cannot read the file: permission denied"


_nested = st.recursive(st.integers(0, 9) | st.text(alphabet="[]{}\"\\ab", max_size=6),
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet="[{a", max_size=3), inner, max_size=3),
                       max_leaves=30)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(_nested)
def test_depth_cap_is_exact(value: object) -> None:
    text = json.dumps(value)
    depth = _depth(value)
    assert parse_json(text, "ok.json", max_depth=max(depth, 1)) == value
    if depth >= 2:
        assert code_of(text, max_depth=depth - 1) == "too-deep"
