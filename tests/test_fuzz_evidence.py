"""Fuzz: evidence links, file names and uploaded files (`toolkit.store.evidence_files`, `Store.put_file`, `add_evidence`).

- The URL check accepts a link only if it is http or https with a host and hides no whitespace or
  control character, and it agrees with the assessment document check (`toolkit.model.semantics`).
- A sanitised display name is one line, holds no path separator or invisible character, is at most
  `MAX_NAME` long, is never empty, and sanitising it again changes nothing.
- `put_file` of any bytes under any name stores them (exactly, as the type `detect_type` names) or
  raises `StorageError` with a one-line message that starts with the sanitised name.
- `add_evidence` stores a link exactly when the URL check accepts it and it holds no half of a
  UTF-16 surrogate pair; any other evidence item is stored or refused with `StorageError`, never
  anything else, and a refusal quotes such a half as `\\udXXX`, so it can always be printed.
"""

from __future__ import annotations

import hashlib
import io
import string
import unicodedata
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from fuzz_support import check_error, documented, fuzz, one_line
from hypothesis import example, given
from hypothesis import strategies as st

from toolkit.errors import ToolkitError
from toolkit.model import semantics
from toolkit.model.assessment import Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.store.evidence_files import MAX_NAME, TYPES, detect_type, sanitise_name, url_problem
from toolkit.store.store import StorageError, Store

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
INDICATOR = next(indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric)
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)  # surrogates and all


# -- URLs ---------------------------------------------------------------------------------------------

SCHEMES = ["http", "https", "HTTP", "hTTpS", "javascript", "JavaScript", "data", "file", "ftp", "vbscript", "blob",
           "mailto", "", " http", "ht tp", "jav\tascript", "http\n"]
HOSTS = ["example.org", "EXAMPLE.org", "", "@", ":80", "@:1", "user:pw@host", "user@", "[::1]", "[::1", "::1]",
         "127.0.0.1", "exa mple.org", "xn--bcher-kva.example", "b\u00fccher.example", "host:99999", "host:x",
         "a" * 300, "%00", "example.org\u2028", "example.org\x00", "\u202eexample.org"]
SEPARATORS = ["://", ":", ":/", ":///", "//", "", ":\\\\", ": //"]


@st.composite
def urls(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(ANY_TEXT)
    scheme = draw(st.sampled_from(SCHEMES))
    host = draw(st.sampled_from(HOSTS) | st.text(max_size=6))
    path = draw(st.sampled_from(["", "/", "/a?b=c#d", "/<script>", "/ x", "\t/", "/\r\n"]) | st.text(max_size=6))
    padding = draw(st.sampled_from(["", " ", "\t", "\n", "\u00a0", "\u3000"]))
    return padding + scheme + draw(st.sampled_from(SEPARATORS)) + host + path + padding


def _semantic_problem(url: str) -> bool:
    issues: list[Any] = []
    semantics._check_url(url, ("evidence", 0, "value"), "a.json", issues)
    return bool(issues)


@fuzz(400)
@given(urls())
@example("http://@")  # found by this fuzzing: no host, yet accepted (fixed)
@example("http://:80")
@example("https://user@:443/x")
@example("javascript:alert(1)")
@example("data:text/html,<script>alert(1)</script>")
@example(" https://example.org/a ")
@example("https://example.org/\u2028x")
def test_the_url_check_accepts_only_http_and_https_with_a_host(url: str) -> None:
    problem = url_problem(url)
    if problem is None:
        text = url.strip()
        parts = urlsplit(text)
        assert parts.scheme.lower() in ("http", "https")
        assert text.lower().startswith(("http://", "https://"))
        assert parts.hostname, f"no host in {url!r}"
        assert not any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in text)
    else:
        assert one_line(problem) and problem
        problem.encode("utf-8")  # a lone surrogate is quoted as \udXXX (see the end of this file)
    assert (problem is None) == (not _semantic_problem(url)), "the store and the document checks disagree"


# -- display names ------------------------------------------------------------------------------------

@fuzz(400)
@given(ANY_TEXT | st.text(alphabet=string.printable + "\u0301\u00e9\u202e\u200b\ufeff\u2028/\\.", max_size=300))
@example("../../etc/passwd")
@example("C:\\Windows\\evil.exe")
@example("report\u202efdp.exe")
@example("a" * 200 + ".pdf")
@example("." * 200)
@example("e" + "\u0301" * 130)
@example("x" * 119 + "\u0301" + ".pdf")
@example("U\x1f\u0300")  # found by this fuzzing: NFC ran before the control went, so not idempotent (fixed)
def test_sanitised_names(name: str) -> None:
    shown = sanitise_name(name)
    assert shown and one_line(shown)
    assert "/" not in shown and "\\" not in shown
    assert len(shown) <= MAX_NAME
    assert not any(unicodedata.category(char).startswith("C") for char in shown)
    assert shown == shown.strip(" .") and shown not in (".", "..")
    assert unicodedata.is_normalized("NFC", shown)
    assert sanitise_name(shown) == shown  # idempotent: the same through export and import
    shown.encode("utf-8")


# -- uploaded files -----------------------------------------------------------------------------------

def zip_of(entries: list[tuple[str, bytes]], method: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, content in entries:
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), content, method)
    return out.getvalue()


CONTENT_TYPES = (b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="xml" ContentType="application/xml"/></Types>')


@st.composite
def office_like(draw: st.DrawFn) -> bytes:
    names = draw(st.lists(st.sampled_from(["[Content_Types].xml", "word/document.xml", "xl/workbook.xml",
                                           "ppt/presentation.xml", "word/vbaProject.bin", "x.txt", "../evil"]),
                          max_size=4))
    contents = [draw(st.sampled_from([CONTENT_TYPES, b"", b"macroEnabled", b"<x/>"]) | st.binary(max_size=20))
                for _ in names]
    data = zip_of(list(zip(names, contents, strict=True)),
                  draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])))
    if draw(st.booleans()) and data:  # damage it: a byte changed, or the end cut off
        position = draw(st.integers(0, len(data) - 1))
        data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1:]
    if draw(st.integers(0, 3)) == 0:
        data = data[:draw(st.integers(0, len(data)))]
    return data


def corrupt_deflate() -> bytes:
    """A .docx whose [Content_Types].xml is deflated, its first block marked with the invalid type 3."""
    data = bytearray(zip_of([("[Content_Types].xml", CONTENT_TYPES * 4), ("word/document.xml", b"<x/>")],
                            zipfile.ZIP_DEFLATED))
    data[30 + len("[Content_Types].xml")] = 0xFF  # the local header is 30 bytes, then the name, no extra
    return bytes(data)


# Found by this fuzzing: zlib.error escaped detect_type (and so put_file) on such a file (fixed).
CORRUPT_DEFLATE = corrupt_deflate()


def test_a_corrupt_office_file_is_refused_not_crashed_on(store: Store) -> None:
    assert detect_type(CORRUPT_DEFLATE) is None
    with pytest.raises(StorageError, match=r"^report\.docx: this kind of file is not accepted"):
        store.put_file(CORRUPT_DEFLATE, "report.docx")


@pytest.mark.parametrize("url", ["http://@", "http://:80", "https://user@:443/x", "http://@/path"])
def test_a_link_without_a_host_is_refused(url: str) -> None:
    """Found by this fuzzing: a netloc without a host passed both URL checks (fixed)."""
    assert url_problem(url) == f'"{url}" is not a web address starting with http:// or https://'
    assert _semantic_problem(url)


FILE_BYTES = st.one_of(
    st.binary(max_size=200),
    st.tuples(st.sampled_from([b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP",
                               b"PK\x03\x04", b"\xef\xbb\xbf"]), st.binary(max_size=40)).map(b"".join),
    st.text(max_size=80).map(lambda text: text.encode("utf-8")),
    st.sampled_from([b"<html><script>alert(1)</script>", b"< svg onload=x>", b"a,b\n1,2\n", b"a;b\n1;2\n", b"\x00text",
                     b"plain\r\ntext\f", b"<?xml version='1.0'?><x/>", b" \n\t "]),
    office_like(),
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path_factory.mktemp('fuzz-store') / 'ddmt.sqlite3'}",
                        data_dir=tmp_path_factory.mktemp("fuzz-data"), max_file_bytes=4096, max_evidence=10**6)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def round_id(store: Store) -> str:
    store.create_ministry(Ministry(id="fuzz-mfa", name="Ministry of Fuzz", country="Fuzzland"), user="fuzz")
    return store.create_assessment("fuzz-mfa", "2026", rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                   user="fuzz")


@fuzz(250)
@given(FILE_BYTES, ANY_TEXT)
@example(CORRUPT_DEFLATE, "corrupt deflate.docx")
@example(b"x" * 5000, "too large.txt")
@example(b"", "")
def test_put_file_stores_or_refuses(store: Store, data: bytes, name: str) -> None:
    result = documented(lambda: store.put_file(data, name), seconds=10, allowed=(StorageError,))
    shown = sanitise_name(name)
    if isinstance(result, StorageError):
        check_error(result, shown)
        assert str(result).startswith(shown + ": ")
        assert not data or len(data) > store.max_file_bytes or detect_type(data) is None
        return
    sha256, kind = result
    assert sha256 == hashlib.sha256(data).hexdigest()
    assert kind == detect_type(data) and kind in TYPES
    assert store.file_path(sha256).read_bytes() == data
    info = store.file_info(sha256)
    assert info is not None and info.type == kind and info.size == len(data)


# -- evidence items -----------------------------------------------------------------------------------

def version(store: Store, round_id: str) -> int:
    return store.get_answer(round_id, INDICATOR).version


@fuzz(150)
@given(urls(), st.none() | st.text(max_size=20))
@example("http://@", None)
@example("javascript:alert(1)", None)
@example("https://example.org/report", "the <b>annual</b> report")
def test_a_link_is_stored_exactly_when_the_url_check_accepts_it(store: Store, round_id: str, url: str,
                                                                   description: str | None) -> None:
    before = version(store, round_id)
    result = documented(lambda: store.add_evidence(round_id, INDICATOR, Evidence(kind="url", value=url,
                                                                                 description=description),
                                                   expected_version=before, user="fuzz"), seconds=10)
    if any("\ud800" <= char <= "\udfff" for char in url + (description or "")):
        # Half a character, even in a link the URL check accepts: refused by name (see the end of this file).
        assert isinstance(result, StorageError), result
        check_error(result, "")
        assert version(store, round_id) == before
    elif url_problem(url) is None:
        assert not isinstance(result, BaseException), result
        assert result.answer.evidence[-1].value == url.strip()
    else:
        assert isinstance(result, StorageError), result
        check_error(result, "")
        assert version(store, round_id) == before


@fuzz(150)
@given(st.builds(Evidence, kind=st.sampled_from(["url", "text", "file", "", "URL", "html"]),
                 value=st.none() | ANY_TEXT,
                 name=st.none() | st.text(max_size=20),
                 sha256=st.none() | st.sampled_from(["0" * 64, "F" * 64, "x", "../" * 20]) | st.text(max_size=64),
                 description=st.none() | st.text(max_size=20) | st.integers(),
                 added_by=st.none() | st.text(max_size=10),
                 added_at=st.none() | st.sampled_from(["2026-01-31T09:30:00Z", "2026-13-31T09:30:00Z", "yesterday",
                                                       ""]),
                 sensitivity=st.sampled_from(["internal", "public", "restricted", "secret", ""])))
def test_any_evidence_item_is_stored_or_refused(store: Store, round_id: str, item: Evidence) -> None:
    before = version(store, round_id)
    result = documented(lambda: store.add_evidence(round_id, INDICATOR, item, expected_version=before, user="fuzz"),
                        seconds=10)
    if isinstance(result, ToolkitError):
        assert isinstance(result, StorageError), result
        check_error(result, "")
        assert version(store, round_id) == before
    else:
        assert result.version == before + 1
        assert result.answer.evidence[-1].kind == item.kind


# -- found by this fuzzing (fixed) -----------------------------------------------------------------

HALF = "the evidence, half \ud800 a character"


@pytest.mark.parametrize(("item", "message"), [
    (Evidence(kind="text", value=HALF), "evidence: the text holds \\ud800, "),
    (Evidence(kind="url", value="https://example.org/\udfff"), "evidence: the link holds \\udfff, "),
    (Evidence(kind="url", value="https://example.org/", description=HALF), "evidence: the description holds \\ud800, "),
    # `added_by` is no longer read from the item: the store records the person saving it (issue 11).
])
def test_a_lone_surrogate_in_evidence_text_is_refused(store: Store, round_id: str, item: Evidence,
                                                      message: str) -> None:
    """Found by this fuzzing: half a surrogate pair reached the database driver, a UnicodeEncodeError (fixed)."""
    before = version(store, round_id)
    with pytest.raises(StorageError) as caught:
        store.add_evidence(round_id, INDICATOR, item, expected_version=before, user="fuzz")
    assert str(caught.value) == message + "half of a UTF-16 surrogate pair and not a character; nothing was saved"
    check_error(caught.value, "")
    assert version(store, round_id) == before


def test_a_lone_surrogate_in_a_link_is_refused_in_words(store: Store, round_id: str) -> None:
    """Found by this fuzzing: the refusal quoted the surrogate raw, so the message could not be printed (fixed)."""
    before = version(store, round_id)
    with pytest.raises(StorageError) as caught:
        store.add_evidence(round_id, INDICATOR, Evidence(kind="url", value="\ud800"), expected_version=before,
                           user="fuzz")
    assert str(caught.value) == '"\\ud800" is not a web address starting with http:// or https://'
    check_error(caught.value, "")
    assert version(store, round_id) == before


def test_messages_escape_only_lone_surrogates() -> None:
    assert semantics.show("Kementerian Luar Negeri \u2014 \u00e9 \U0001f600 \ud83d") == \
        '"Kementerian Luar Negeri \u2014 \u00e9 \U0001f600 \\ud83d"'
    assert url_problem("laporan tahunan \udcff") == \
        '"laporan tahunan \\udcff" is not a web address starting with http:// or https://'
    assert url_problem("Kemlu\u00a0RI") == '"Kemlu\u00a0RI" is not a web address starting with http:// or https://'
    # The last line of defence: any toolkit error's message, however it was made.
    assert str(StorageError("Kementerian \u00e9 \udc80")) == "Kementerian \u00e9 \\udc80"
