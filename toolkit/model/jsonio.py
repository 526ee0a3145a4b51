"""Safe reading of JSON documents: bounded size and depth, UTF-8 only, strict about numbers and keys.

Every failure raises `DocumentError` carrying exactly one `Issue` located by line and column where
the place is known. Limits are checked before the expensive step they protect: the size before
reading or parsing, the nesting depth (by a quick scan that skips strings) before `json.loads`, so
a 20 MB file or a depth bomb of 100,000 brackets never reaches the parser or its recursion. A string
escaping half a UTF-16 surrogate pair (`"\\ud800"`) is refused as not UTF-8: no file, database or page
can hold it.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from toolkit.errors import DocumentError
from toolkit.issues import Issue

MAX_BYTES = 20_000_000
MAX_DEPTH = 64
MAX_DIGITS = 300  # longer integers are never legitimate scores, weights or values

#: code -> (title, message template) of every reading failure.
CODES: dict[str, tuple[str, str]] = {
    "file-unreadable": ("The file cannot be read", "cannot read the file: {reason}"),
    "too-large": ("The file is too large", "the document is larger than the limit of {limit:,} bytes"),
    "not-utf8": ("The file is not UTF-8 text", "not UTF-8 text: {detail}"),
    "malformed-json": ("The text is not well-formed JSON", "malformed JSON: {detail}"),
    "duplicate-key": ("An object has the same key twice", 'duplicate key "{key}"'),
    "non-finite-number": ("NaN or Infinity, which JSON does not allow", "{token} is not allowed: JSON numbers must be finite"),
    "number-too-large": ("A number too large to be meaningful", "the number {number} is too large"),
    "too-deep": ("Nesting deeper than the limit", "nested more than {limit} levels deep"),
}

# One token of JSON text: a string (an unterminated one runs to the end), a bracket, a colon, or a
# bare word / number. Used to scan for depth and to locate a problem found by the parser.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)'
_TOKEN = re.compile(_STRING + r'|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.DOTALL)
_BRACKET_OR_STRING = re.compile(_STRING + r'|[\[\]{}]', re.DOTALL)
_STRINGS = re.compile(_STRING, re.DOTALL)
_NOT_BRACKETS = re.compile(r'[^\[\]{}]+')
_SQUARE = str.maketrans("{}", "[]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")  # surrogates: a name from undecodable bytes
# A UTF-16 surrogate, escaped or (in text given as str) raw: half a character, never text in its own right.
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}|[\ud800-\udfff]")
_JSON_MESSAGES = {
    "Extra data": "unexpected text after the end of the document",
    "Expecting value": "expected a value",
}


class _Refused(Exception):
    """Raised inside the json hooks; carries what `_locate` needs to find the place."""

    def __init__(self, code: str, match: Callable[[str, bool], bool], **fields: Any):
        super().__init__(code)
        self.code, self.match, self.fields = code, match, fields


def _fail(name: str, code: str, *, line: int | None = None, column: int | None = None,
          **fields: Any) -> NoReturn:
    message = CODES[code][1].format(**fields)
    raise DocumentError([Issue(file=name, code=code, message=message, line=line, column=column)])


def display_name(name: str) -> str:
    """A file name fit for a one-line message: control characters (a hostile name) escaped."""
    return _CONTROL.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def read_json(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH,
              name: str | None = None) -> Any:
    """Read and parse a JSON file within the limits; raise DocumentError with one located issue."""
    if not (isinstance(path, str | os.PathLike) and isinstance(os.fspath(path), str)):
        # open() would take an int as a file descriptor and bytes as a path: only a real path is read.
        _fail(display_name(name) if isinstance(name, str) else "<document>", "file-unreadable",
              reason=f"not a file path ({type(path).__name__})")
    name = display_name(name if name is not None else os.fspath(path))
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                _fail(name, "too-large", limit=max_bytes)
            # Read one byte past the cap: a special file can report size 0 and never end.
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        _fail(name, "file-unreadable", reason="no such file")
    except IsADirectoryError:
        _fail(name, "file-unreadable", reason="it is a directory")
    except PermissionError:
        _fail(name, "file-unreadable", reason="permission denied")
    except OSError as error:
        _fail(name, "file-unreadable", reason=(error.strerror or type(error).__name__).lower())
    if Path(path).is_dir():  # some platforms open directories without complaint
        _fail(name, "file-unreadable", reason="it is a directory")
    return parse_json(data, name, max_bytes=max_bytes, max_depth=max_depth)


def parse_json(data: bytes | str, name: str, *, max_bytes: int = MAX_BYTES,
               max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON bytes (UTF-8, optional BOM) within the limits; raise DocumentError on any problem."""
    name = display_name(name)
    if len(data) > max_bytes:
        _fail(name, "too-large", limit=max_bytes)
    text = data if isinstance(data, str) else _decode(data, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    _check_depth(text, name, max_depth)
    if not text.strip():
        _fail(name, "malformed-json", line=1, column=1, detail="the document is empty")
    try:
        value = json.loads(text, object_pairs_hook=_unique_object, parse_constant=_refuse_constant,
                           parse_int=_bounded_int, parse_float=_finite_float)
    except _Refused as refused:
        line, column, key = _locate(text, refused.match, duplicates=refused.code == "duplicate-key")
        if key is not None:
            refused.fields["key"] = key
        _fail(name, refused.code, line=line, column=column, **refused.fields)
    except json.JSONDecodeError as error:
        detail = _JSON_MESSAGES.get(error.msg, error.msg[:1].lower() + error.msg[1:])
        _fail(name, "malformed-json", line=error.lineno, column=error.colno, detail=detail)
    except RecursionError:  # only reachable when a caller raises max_depth very high
        _fail(name, "too-deep", limit=max_depth)
    if _SURROGATE.search(text):
        _refuse_surrogates(text, name)
    return value


def _refuse_surrogates(text: str, name: str) -> None:
    """Refuse a string holding an unpaired UTF-16 surrogate (`"\\ud800"`): no UTF-8 text, store or page can hold it."""
    for match in _STRINGS.finditer(text):  # the text is well-formed JSON: every match is one string
        if _SURROGATE.search(match.group()):
            lone = [char for char in json.loads(match.group()) if "\ud800" <= char <= "\udfff"]
            if lone:
                line, column = _position(text, match.start())
                _fail(name, "not-utf8", line=line, column=column,
                      detail=f"\\u{ord(lone[0]):04x} is half of a UTF-16 surrogate pair, not a character")


def _decode(data: bytes, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
            len(data) >= 2 and (data[0] == 0 or data[1] == 0)):
        # UTF-16/32 text is the usual result of "Save as Unicode" on Windows: say so plainly.
        _fail(name, "not-utf8", line=1, column=1,
              detail="the file looks like UTF-16 or UTF-32; save it as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8")) + 1
        _fail(name, "not-utf8", line=line, column=column,
              detail=f"invalid byte 0x{data[error.start]:02x} at byte offset {error.start}")


def _check_depth(text: str, name: str, max_depth: int) -> None:
    # Fast bound at C speed: strip strings and everything but brackets, then peel innermost pairs
    # one level per pass; passes plus brackets left open bound the depth the parser could reach.
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text)).translate(_SQUARE)
    passes = 0
    while passes <= max_depth:
        peeled = brackets.replace("[]", "")
        if peeled == brackets:
            break
        brackets, passes = peeled, passes + 1
    if passes + brackets.count("[") <= max_depth:
        return
    # Slow exact scan, only for a document that may be too deep: find the offending bracket.
    depth = 0
    for match in _BRACKET_OR_STRING.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > max_depth:
                line, column = _position(text, match.start())
                _fail(name, "too-deep", line=line, column=column, limit=max_depth)
        elif char in "]}":
            depth = max(depth - 1, 0)  # an unbalanced close is the parser's to report


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        # The hook sees inner objects first; _locate finds the first duplicate in text order.
        raise _Refused("duplicate-key", lambda text, is_key: False, key="?")
    return result


def _refuse_constant(token: str) -> NoReturn:
    # startswith: `NaNx` is one bare word to the locator; no valid token before it starts with NaN or Infinity.
    raise _Refused("non-finite-number", lambda text, is_key: not is_key and text.startswith(token), token=token)


def _bounded_int(token: str) -> int:
    if len(token.lstrip("-")) > MAX_DIGITS:
        raise _Refused("number-too-large", lambda text, is_key: not is_key and _glued(text, token),
                       number=_excerpt(token))
    return int(token)


def _finite_float(token: str) -> float:
    value = float(token)
    if math.isinf(value):
        raise _Refused("number-too-large", lambda text, is_key: not is_key and _glued(text, token),
                       number=_excerpt(token))
    return value


def _glued(text: str, token: str) -> bool:
    """Whether the bare word `text` is the number `token`, perhaps with text glued on (`1e999x`) that no
    number continues with (so an earlier, valid number that merely starts the same is not taken for it)."""
    return text == token or (text.startswith(token) and text[len(token)] not in "0123456789.eE")


def _excerpt(token: str) -> str:
    return token if len(token) <= 24 else f"{token[:12]}... ({len(token)} characters)"


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _tokens(text: str) -> Iterator[tuple[re.Match[str], bool]]:
    """Each token with whether it is an object key; the text is known to be well-formed JSON."""
    matches = list(_TOKEN.finditer(text))
    for index, match in enumerate(matches):
        is_key = (match.group().startswith('"') and index + 1 < len(matches)
                  and matches[index + 1].group() == ":")
        yield match, is_key


def _locate(text: str, match: Callable[[str, bool], bool], *,
            duplicates: bool = False) -> tuple[int | None, int | None, str | None]:
    """Line and column of the first token `match` accepts, or (with `duplicates`) the first repeated key."""
    stack: list[set[str] | None] = []
    for token, is_key in _tokens(text):
        value = token.group()
        if value == "{":
            stack.append(set())
        elif value == "[":
            stack.append(None)
        elif value in "]}" and stack:
            stack.pop()
        elif duplicates and is_key and stack and stack[-1] is not None:
            key = json.loads(value)
            if key in stack[-1]:
                shown = json.dumps(key, ensure_ascii=False)[1:-1]
                return *_position(text, token.start()), shown.encode("utf-8", "backslashreplace").decode("utf-8")
            stack[-1].add(key)
        if match(value, is_key):
            return *_position(text, token.start()), None
    return None, None, None
