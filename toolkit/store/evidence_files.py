"""Evidence files and links: what may be stored, what a file is, and how it reaches the disk safely.

Pure helpers for `toolkit.store`, which turns their answers into `StorageError` messages:

- `detect_type` names a file's type from its content (magic bytes, the entries of an Office zip, a
  strict UTF-8 decode); a file whose content is none of the accepted types gets `None`, whatever
  its name says.
- `sanitise_name` makes an uploaded name fit to show: it is display text only, never a path.
- `url_problem` says why a link is not a plain http or https address (the same rule and wording
  as the assessment document checks of `toolkit.model.semantics`).
- `write_atomic` puts bytes on disk so a crash leaves either the whole file or none of it.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from toolkit.model.semantics import CODES as _SEMANTIC_CODES
from toolkit.model.semantics import show

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TEXT = "text/plain"
CSV = "text/csv"

#: Every accepted type (a MIME type) and the name a person knows it by.
TYPES: dict[str, str] = {
    PDF: "PDF", PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WebP", DOCX: "Word (.docx)",
    XLSX: "Excel (.xlsx)", PPTX: "PowerPoint (.pptx)", TEXT: "plain text", CSV: "CSV",
}

MAX_NAME = 120  # characters of a display name: enough for any real file name, short enough for a table

# The part each Office format must have besides [Content_Types].xml.
_OFFICE_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
_CONTENT_TYPES_LIMIT = 1_000_000  # a real [Content_Types].xml is a few kB; a larger one may be a zip bomb
# Markup that a browser would run or render: such "text" is refused, so a stored file is never a web page.
_MARKUP = re.compile(r"<\s*(?:!doctype|\?xml|html|head|body|script|svg|iframe|object|embed|meta|style|link|"
                     r"img|form|frame|frameset|base|math|xsl)\b", re.IGNORECASE)
_TEXT_CONTROLS = frozenset("\t\n\r\f")
_CSV_DELIMITERS = (",", ";", "\t")
_CSV_SAMPLE_LINES = 50


def detect_type(data: bytes) -> str | None:
    """The accepted type the content is (a MIME type from `TYPES`), or None: the name is never trusted."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return _text_type(data)


def _office_type(data: bytes) -> str | None:
    """DOCX, XLSX or PPTX by their required parts; macro-enabled or unreadable zips are refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros: a document that runs code is not evidence we keep
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_LIMIT:
                return None
            if b"macroenabled" in archive.read(info).lower():
                return None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, OSError, ValueError,
            EOFError, zlib.error):
        return None  # encrypted, truncated or exotic archives are not documents we can vouch for
    for part, mime in _OFFICE_PARTS:
        if part in names:
            return mime
    return None


def _text_type(data: bytes) -> str | None:
    """Plain text or CSV if the bytes are UTF-8 text without binary controls or markup; else None."""
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.strip():
        return None
    if any(char not in _TEXT_CONTROLS and (ord(char) < 32 or ord(char) == 127) for char in text):
        return None  # NUL and other controls mean a binary file (an executable, an archive) or a trick
    if _MARKUP.search(text):
        return None
    return CSV if _looks_like_csv(text) else TEXT


def _looks_like_csv(text: str) -> bool:
    """Two or more lines that all hold the same number (at least one) of one delimiter."""
    lines = [line for line in text.splitlines()[:_CSV_SAMPLE_LINES] if line.strip()]
    if len(lines) < 2:
        return False
    for delimiter in _CSV_DELIMITERS:
        counts = {line.count(delimiter) for line in lines}
        if len(counts) == 1 and counts.pop() >= 1:
            return True
    return False


def sanitise_name(name: str) -> str:
    """A file name fit to show: no folders, no control or invisible characters, at most MAX_NAME long.

    Idempotent, so a name sanitised on upload stays the same through export and import.
    """
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    # Category C covers controls, bidirectional overrides (which can disguise "exe.pdf"), surrogates.
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    # NFC once they are gone: a control between a letter and its accent would otherwise keep them apart.
    name = " ".join(unicodedata.normalize("NFC", name).split()).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and 0 < len(extension) <= 10:
            name = stem[:MAX_NAME - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:MAX_NAME]
        name = name.strip(" .")
    return name or "file"


def url_problem(url: str) -> str | None:
    """Why `url` is not a plain http or https web address, in the words of the document checks; None if it is."""
    text = url.strip() if isinstance(url, str) else ""
    not_address = _SEMANTIC_CODES["bad-url"][1].format(value=show(url))
    # urlsplit silently drops tabs and newlines: a link that hides them is not one to show.
    if not text or any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in text):
        return not_address
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. a malformed IPv6 host
        return not_address
    scheme = parts.scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return _SEMANTIC_CODES["unsafe-url"][1].format(scheme=scheme)
    if not scheme or not parts.hostname:  # `http://@` and `http://:80` have a netloc but no host
        return not_address
    return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a synced temporary file and a rename: all of it or nothing, even on a crash."""
    folder = path.parent
    created = not folder.is_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass  # the original error is the one to report
        raise
    _sync_folder(folder)  # the rename itself must survive a power cut
    if created:
        _sync_folder(folder.parent)


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder to fsync it; NTFS journals the rename
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
