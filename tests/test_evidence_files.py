"""Evidence files: types from content, display-only names, safe links, and the store's file folder."""

from __future__ import annotations

import hashlib
import io
import os
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
    (b"GIF87a\x01\x00\x01\x00", evidence_files.GIF),
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
    office("word/document.xml", content_types=b"<Types/>".ljust(evidence_files._CONTENT_TYPES_LIMIT + 1)),
    office("other.xml"),                                             # a zip, not an Office document
    b"PK\x03\x04 truncated zip",
    b"   \n\t ",
    b"\xef\xbb\xbf  \n",                                                # a byte-order mark and blanks: empty
    b"text with a DEL\x7f byte",
    b"RIFF\x24\x00\x00\x00WAVEfmt ",                                  # RIFF, but a sound, not a WebP picture
    b"",
])
def test_other_content_is_refused_whatever_its_name(data: bytes) -> None:
    assert detect_type(data) is None


def test_an_office_file_may_declare_its_content_types_in_exactly_the_limit() -> None:
    data = office("word/document.xml", content_types=b"<Types/>".ljust(evidence_files._CONTENT_TYPES_LIMIT))
    assert detect_type(data) == evidence_files.DOCX


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


@pytest.mark.parametrize(("name", "shown"), [
    ("Xylophone notes X.txt", "Xylophone notes X.txt"),                # only spaces and dots are trimmed
    ("a" * 115 + " .pdf", "a" * 115 + " .pdf"),                        # exactly the limit: kept as it is
    ("annual.report " + "x" * 300 + ".pdf", "annual.report " + "x" * 102 + ".pdf"),  # the last dot's extension
    ("a" * 300 + ".c", "a" * 118 + ".c"),                              # a one-letter extension is kept
    ("a" * 300 + ".abcdefghij", "a" * 109 + ".abcdefghij"),            # so is a ten-letter one
    ("a" * 300 + ".abcdefghijk", "a" * 120),                           # an eleven-letter one is just text
    ("a" * 10 + "." + "b" * 200, "a" * 10 + "." + "b" * 109),          # so is a long tail after the last dot
    ("a" * 115 + "." + "b" * 300 + ".pdf", "a" * 115 + ".pdf"),        # the cut stem loses a trailing dot
    ("a" * 114 + "XX" + "b" * 300 + ".pdf", "a" * 114 + "XX.pdf"),
    ("a" * 119 + "." + "b" * 20, "a" * 119),                           # the cut name loses a trailing dot
    ("X" * 5 + "a" * 200, "X" * 5 + "a" * 115),
])
def test_a_long_name_is_cut_to_the_limit_keeping_a_short_extension(name: str, shown: str) -> None:
    assert sanitise_name(name) == shown
    assert len(shown) <= MAX_NAME


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


@pytest.mark.parametrize(("url", "message"), [
    (None, "null is not a web address starting with http:// or https://"),
    (42, "42 is not a web address starting with http:// or https://"),
    ("https://example.org/\x7f", '"https://example.org/\x7f" is not a web address starting with http:// or https://'),
])
def test_a_link_that_is_not_text_or_hides_a_delete_character_is_refused(url: object, message: str) -> None:
    assert url_problem(url) == message  # type: ignore[arg-type]


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


def test_write_atomic_writes_beside_the_target_under_the_name_backups_skip(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary file is in the target's folder (a rename across file systems is not atomic) and named
    `.incoming-...`, which backups leave out (`toolkit.store.backup`) should a crash leave it behind."""
    renamed: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def replace(source: str, target: str) -> None:
        renamed.append((Path(source), Path(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "ab" / "abc"
    evidence_files.write_atomic(target, b"one")
    [(source, final)] = renamed
    assert final == target and source.parent == target.parent and source.name.startswith(".incoming-")


def test_write_atomic_syncs_the_file_its_folder_and_a_new_folders_parent(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """What survives a power cut cannot be seen without one: the real fsync runs, and the test records (by the
    descriptor's name in /proc: Linux, where the toolkit is deployed and tested) what it was asked to sync (the bytes, the rename in the folder, and a new folder's entry in its parent)."""
    synced: list[Path] = []
    real_fsync = os.fsync

    def fsync(handle: int) -> None:
        synced.append(Path(os.readlink(f"/proc/self/fd/{handle}")))
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", fsync)
    target = tmp_path / "ab" / "abc"
    evidence_files.write_atomic(target, b"one")
    assert [path.name.startswith(".incoming-") for path in synced[:1]] == [True]
    assert synced[1:] == [target.parent, tmp_path]
    synced.clear()
    evidence_files.write_atomic(target, b"two")  # the folder is there already: its parent is left alone
    assert synced[1:] == [target.parent]
    assert target.read_bytes() == b"two"


def test_a_failed_rename_removes_the_temporary_file_and_raises_its_own_error(tmp_path: Path) -> None:
    target = tmp_path / "ab" / "abc"
    target.mkdir(parents=True)  # a folder where the file should go: the rename fails
    with pytest.raises(IsADirectoryError):
        evidence_files.write_atomic(target, b"one")
    assert [path.name for path in target.parent.iterdir()] == ["abc"] and target.is_dir()


@pytest.mark.parametrize("digest", ["../../etc/passwd", "0" * 63, "g" * 64, "0" * 64 + "/x"])
def test_file_paths_come_only_from_hashes(store: Store, digest: str) -> None:
    with pytest.raises(StorageError, match="not a SHA-256 hash"):
        store.file_path(digest)
