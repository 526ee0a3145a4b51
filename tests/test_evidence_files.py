"""Evidence files: types from content, display-only names, safe links, and the store's file folder."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.store import evidence_files
from toolkit.store.evidence_files import MAX_NAME, detect_type, sanitise_name, url_problem
from toolkit.store.store import StorageError, Store

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17


def office(*parts: str, content_types: bytes = b"<Types/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        for part in parts:
            archive.writestr(part, b"<x/>")
    return buffer.getvalue()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.delenv("DDMT_DATABASE_URL", raising=False)
    opened = Store.open(data_dir=tmp_path, max_file_bytes=1000)
    yield opened
    opened.close()


# ------------------------------------------------------------------------------- types

@pytest.mark.parametrize(("data", "expected"), [
    (PNG, evidence_files.PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", evidence_files.JPEG),
    (b"GIF89a\x01\x00\x01\x00", evidence_files.GIF),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", evidence_files.WEBP),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", evidence_files.PDF),
    (office("word/document.xml"), evidence_files.DOCX),
    (office("xl/workbook.xml"), evidence_files.XLSX),
    (office("ppt/presentation.xml"), evidence_files.PPTX),
    ("Notes of the meeting, 3 May:\n— all agreed.\n".encode(), evidence_files.TEXT),
    (b"\xef\xbb\xbfcountry;score\nMaravu;2,5\nTumbaro;1,0\n", evidence_files.CSV),
    (b"a,b\n1,2\n", evidence_files.CSV),
])
def test_accepted_types_are_recognised_by_content(data: bytes, expected: str) -> None:
    assert detect_type(data) == expected


@pytest.mark.parametrize("data", [
    b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8,                      # a Linux executable
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",                           # a Windows executable
    b"<!DOCTYPE html><html><body>hi</body></html>",
    b"  <script>alert(1)</script>",
    b"Looks like text\n<iframe src=x>",
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    b"text with a NUL\x00 byte",
    b"\xff\xfeu\x00t\x00f\x001\x006\x00",                            # UTF-16, not UTF-8
    b"caf\xe9",                                                      # Latin-1
    office("word/document.xml", "word/vbaProject.bin"),              # macros
    office("xl/workbook.xml", content_types=b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
    office("other.xml"),                                             # a zip, not an Office document
    b"PK\x03\x04 truncated zip",
    b"   \n\t ",
    b"",
])
def test_other_content_is_refused_whatever_its_name(data: bytes) -> None:
    assert detect_type(data) is None


# ------------------------------------------------------------------------------- names

@pytest.mark.parametrize(("name", "shown"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\ana\\report.pdf", "report.pdf"),
    ("report\x00.pdf\n", "report.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),        # a right-to-left override disguising the extension
    ("  many   spaces .txt ", "many spaces .txt"),
    ("..", "file"),
    ("", "file"),
    (".hidden", "hidden"),
])
def test_names_are_display_text_only(name: str, shown: str) -> None:
    assert sanitise_name(name) == shown


def test_long_names_keep_their_extension_and_sanitising_is_idempotent() -> None:
    long = "a" * 300 + ".pdf"
    assert sanitise_name(long) == "a" * (MAX_NAME - 4) + ".pdf"
    for name in [long, "x" * 500, "../../etc/passwd", "a\u202eb. .c", " . a/b\\c\t.d ", "é" * 200]:
        once = sanitise_name(name)
        assert len(once) <= MAX_NAME
        assert sanitise_name(once) == once


# -------------------------------------------------------------------------------- links

@pytest.mark.parametrize("url", ["https://example.org/a?b=c#d", "http://localhost:8501", " HTTPS://EXAMPLE.ORG "])
def test_web_addresses_pass(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(("url", "message"), [
    ("javascript:alert(1)", 'the URL scheme "javascript" is not allowed: only http and https'),
    ("data:text/html;base64,PGI+", 'the URL scheme "data" is not allowed: only http and https'),
    ("file:///etc/passwd", 'the URL scheme "file" is not allowed: only http and https'),
    ("vbscript:msgbox", 'the URL scheme "vbscript" is not allowed: only http and https'),
    ("java\nscript:alert(1)", '"java\\nscript:alert(1)" is not a web address starting with http:// or https://'),
    ("https://exa mple.org", '"https://exa mple.org" is not a web address starting with http:// or https://'),
    ("www.example.org", '"www.example.org" is not a web address starting with http:// or https://'),
    ("http://[::1", '"http://[::1" is not a web address starting with http:// or https://'),
])
def test_other_links_are_refused_in_the_words_of_the_document_checks(url: str, message: str) -> None:
    assert url_problem(url) == message


# ---------------------------------------------------------------------- the file folder

def test_a_file_is_stored_by_its_hash_and_a_hostile_name_is_only_shown(store: Store, tmp_path: Path) -> None:
    sha256, kind = store.put_file(PNG, "../../etc/passwd")
    assert (sha256, kind) == (hashlib.sha256(PNG).hexdigest(), evidence_files.PNG)
    path = store.file_path(sha256)
    assert path == tmp_path / "files" / sha256[:2] / sha256
    assert path.read_bytes() == PNG
    assert store.file_info(sha256).name == "passwd"  # type: ignore[union-attr]
    assert sorted(p.name for p in (tmp_path / "files").rglob("*")) == sorted([sha256[:2], sha256])
    assert not (tmp_path / "etc").exists()


def test_the_same_content_is_stored_once_under_its_first_name(store: Store) -> None:
    first = store.put_file(b"minutes\n", "minutes.txt")
    second = store.put_file(b"minutes\n", "copy.txt")
    assert first == second
    info = store.file_info(first[0])
    assert info is not None and (info.name, info.size, info.type) == ("minutes.txt", 8, "text/plain")
    assert store.file_info("0" * 64) is None


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"x" * 1001, "big.txt", "big.txt: the file is larger than the limit of 1,000 bytes"),
    (b"", "empty.pdf", "empty.pdf: the file is empty"),
    (b"\x7fELF\x02\x01\x01", "tool.exe", "tool.exe: this kind of file is not accepted"),
    (b"<html><script>x</script></html>", "../page.html\x1b", "page.html: this kind of file is not accepted"),
])
def test_refused_files_are_named_in_the_message_and_never_written(store: Store, tmp_path: Path, data: bytes,
                                                                   name: str, message: str) -> None:
    with pytest.raises(StorageError) as raised:
        store.put_file(data, name)
    assert str(raised.value).startswith(message)
    assert not (tmp_path / "files").exists()


def test_a_write_failure_is_a_storage_error_and_leaves_no_partial_file(store: Store, tmp_path: Path) -> None:
    sha256 = hashlib.sha256(PNG).hexdigest()
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / sha256[:2]).write_bytes(b"")  # a file where the folder should be
    with pytest.raises(StorageError, match="picture.png: the file could not be stored"):
        store.put_file(PNG, "picture.png")
    assert store.file_info(sha256) is None


def test_write_atomic_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "ab" / "abc"
    evidence_files.write_atomic(target, b"one")
    evidence_files.write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [path.name for path in target.parent.iterdir()] == ["abc"]


@pytest.mark.parametrize("digest", ["../../etc/passwd", "0" * 63, "g" * 64, "0" * 64 + "/x"])
def test_file_paths_come_only_from_hashes(store: Store, digest: str) -> None:
    with pytest.raises(StorageError, match="not a SHA-256 hash"):
        store.file_path(digest)
