"""Defences for workbooks from outside, applied to the raw bytes before openpyxl opens anything.

A workbook is a zip of XML parts, so it can carry what a questionnaire never needs: a zip bomb, an
XML bomb, macros, links to other workbooks. `check_workbook` looks in three passes, each cheaper
than what it protects, and raises `DocumentError` listing every problem it found:

1. the first bytes: empty, too large, encrypted or legacy `.xls` (an OLE compound file), a PDF,
   text (a CSV file with the wrong extension), anything else that is not a zip;
2. the zip directory, without unpacking a byte: the number of entries, the unpacked size (total,
   and the compression ratio of each large entry), compression methods, encrypted entries, and
   parts that mean macros (`vbaProject.bin`, ActiveX), external links or data connections;
3. the parts themselves, unpacked as a stream with the sizes above as a hard cap: any document type
   declaration (the vehicle of entity bombs; a workbook never has one), macro content types, and
   that a workbook part is there at all.

openpyxl parses with defusedxml when it is installed (`openpyxl.xml.DEFUSEDXML`); that is the second
layer, and `require_defused_xml` refuses to go on without it.

Issue codes (`CODES` maps each to its title and message template):

    empty-file               the file has no content
    file-too-large           the file is larger than the limit
    encrypted-workbook       a password-protected (encrypted) workbook
    legacy-workbook          an Excel 97-2003 .xls file or another OLE document
    not-xlsx                 content that is not an Excel .xlsx workbook
    zip-damaged              the zip archive cannot be read
    zip-too-many-entries     more entries than a workbook needs (a zip bomb?)
    zip-too-large            unpacks to more than the limit (a zip bomb?)
    zip-ratio                one entry compressed far more than XML ever is (a zip bomb?)
    zip-method               an entry compressed with a method Excel never uses
    zip-entry-encrypted      an entry encrypted inside the archive
    macro-workbook           macros (a VBA project or ActiveX controls)
    external-link            links to another workbook
    data-connection          external data connections or queries
    xml-dtd                  an XML part with a document type declaration (an XML bomb?)
    xml-refused              the XML parser refused entities or a document type (an XML bomb?)
    unsafe-xml-parser        openpyxl is not parsing through defusedxml
    unreadable-workbook      openpyxl could not read the workbook
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from toolkit.errors import DocumentError
from toolkit.i18n import t
from toolkit.issues import Issue
from toolkit.model.jsonio import display_name

#: code -> (title, English message template); the messages in both languages are `guard_<code>` in
#: toolkit/i18n/import_problems.py, where `issue` finds them.
_TITLES: dict[str, str] = {
    "empty-file": "The file has no content",
    "file-too-large": "The file is larger than the limit",
    "encrypted-workbook": "A password-protected (encrypted) workbook",
    "legacy-workbook": "An Excel 97-2003 .xls file or another OLE document",
    "not-xlsx": "Content that is not an Excel .xlsx workbook",
    "zip-damaged": "The zip archive cannot be read",
    "zip-too-many-entries": "More entries than a workbook needs (a zip bomb?)",
    "zip-too-large": "Unpacks to more than the limit (a zip bomb?)",
    "zip-ratio": "One entry compressed far more than XML ever is (a zip bomb?)",
    "zip-method": "An entry compressed with a method Excel never uses",
    "zip-entry-encrypted": "An entry encrypted inside the archive",
    "macro-workbook": "Macros (a VBA project or ActiveX controls)",
    "external-link": "Links to another workbook",
    "data-connection": "External data connections or queries",
    "xml-dtd": "An XML part with a document type declaration (an XML bomb?)",
    "xml-refused": "The XML parser refused entities or a document type (an XML bomb?)",
    "unsafe-xml-parser": "openpyxl is not parsing through defusedxml",
    "unreadable-workbook": "openpyxl could not read the workbook",
}
CODES: dict[str, tuple[str, str]] = {code: (title, t(f"guard_{code}")) for code, title in _TITLES.items()}

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                     for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_OVERLAP = max(len(marker) for marker in _DTD_MARKERS) - 1
_CHUNK = 1 << 16
_MACRO_TYPES = (b"macroEnabled", b"vbaProject", b"activeX", b"vbaProjectSignature")


@dataclass(frozen=True)
class Limits:
    """How much a workbook from outside may hold; a filled questionnaire needs a small share of it."""

    max_bytes: int = 10_000_000
    max_entries: int = 500
    max_unpacked: int = 25_000_000
    max_ratio: float = 200.0  # XML compresses up to about 100 to 1; deflate bombs reach 1,000 to 1
    ratio_floor: int = 1_000_000  # the ratio is judged only for entries unpacking to more than this


LIMITS = Limits()


def issue(file: str, code: str, place: str | None = None, *, lang: str = "en", **fields: Any) -> Issue:
    """An issue of one of this module's codes, its message in `lang` (`guard_<code>` in toolkit.i18n)."""
    if code not in CODES:
        raise KeyError(code)
    return Issue(file=file, code=code, message=t(f"guard_{code}", lang, **fields), place=place)


def require_defused_xml(name: str, lang: str = "en") -> None:
    """Refuse to read workbooks unless openpyxl parses XML through defusedxml."""
    if not xml_is_defused():
        raise DocumentError([issue(display_name(name), "unsafe-xml-parser", lang=lang)])


def xml_is_defused() -> bool:
    """True when openpyxl's XML parsing goes through defusedxml (checked, not assumed)."""
    import openpyxl.xml
    from openpyxl.xml import functions

    return openpyxl.xml.DEFUSEDXML is True and functions.iterparse.__module__.startswith("defusedxml")


def describe_content(data: bytes, lang: str = "en") -> str | None:
    """What non-spreadsheet content is, in words (`a PDF document`), or None when it may be a zip or text."""
    head = data[:8]
    if head.startswith(OLE_SIGNATURE):
        return t("guard_w_ole", lang)
    if head.startswith(ZIP_SIGNATURES):
        return t("guard_w_zip", lang)
    if head.startswith(b"%PDF"):
        return t("guard_w_pdf", lang)
    for signature, what in ((b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF8", "gif"), (b"{\\rtf", "rtf")):
        if head.startswith(signature):
            return t(f"guard_w_{what}", lang)
    return None


def check_workbook(data: bytes, name: str, limits: Limits = LIMITS, *, lang: str = "en") -> None:
    """Raise DocumentError listing every reason these bytes must not reach openpyxl; return if safe.

    The messages are in `lang`: the file's own language cannot be read before it is known to be safe.
    """
    name = display_name(name)
    require_defused_xml(name, lang)
    first = _first_bytes(data, name, limits, lang)
    if first:
        raise DocumentError(first)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise DocumentError([issue(name, "zip-damaged", lang=lang, detail=_detail(error))]) from None
    with archive:
        problems = _directory(archive, name, limits, lang)
        if not problems:
            problems = _parts(archive, name, lang)
    if problems:
        raise DocumentError(problems)


def _first_bytes(data: bytes, name: str, limits: Limits, lang: str) -> list[Issue]:
    """What the size and the first bytes alone say: empty, too large, OLE, PDF, text, unknown."""
    if not data:
        return [issue(name, "empty-file", lang=lang)]
    if len(data) > limits.max_bytes:
        return [issue(name, "file-too-large", lang=lang, limit=limits.max_bytes)]
    if data.startswith(OLE_SIGNATURE):
        # An encrypted .xlsx is an OLE file holding an "EncryptedPackage" stream (names are UTF-16).
        encrypted = "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data
        return [issue(name, "encrypted-workbook" if encrypted else "legacy-workbook", lang=lang)]
    if data.startswith(ZIP_SIGNATURES):
        return []
    known = describe_content(data, lang)
    if known:
        return [issue(name, "not-xlsx", lang=lang, what=known, advice="")]
    if _looks_like_text(data):
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return [issue(name, "not-xlsx", lang=lang, what=t("guard_w_html", lang),
                          advice=t("guard_w_save_xlsx", lang))]
        return [issue(name, "not-xlsx", lang=lang, what=t("guard_w_text", lang), advice=t("guard_w_as_csv", lang))]
    return [issue(name, "not-xlsx", lang=lang, what=t("guard_w_unknown", lang), advice="")]


def _looks_like_text(data: bytes) -> bool:
    """Text has a BOM or no control characters but tab and line ends (random bytes have many)."""
    sample = data[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return not any(byte < 32 and byte not in (9, 10, 13) for byte in sample)


def _directory(archive: zipfile.ZipFile, name: str, limits: Limits, lang: str) -> list[Issue]:
    """Every problem the zip directory shows, before any entry is unpacked."""
    entries = archive.infolist()
    problems: list[Issue] = []
    if len(entries) > limits.max_entries:
        return [issue(name, "zip-too-many-entries", lang=lang, count=len(entries), limit=limits.max_entries)]
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_unpacked:
        problems.append(issue(name, "zip-too-large", lang=lang, size=total, limit=limits.max_unpacked))
    for entry in entries:
        place = display_name(entry.filename)
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            problems.append(issue(name, "zip-ratio", place, lang=lang, ratio=ratio, limit=limits.max_ratio))
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problems.append(issue(name, "zip-method", place, lang=lang, method=entry.compress_type))
        if entry.flag_bits & 0x1:
            problems.append(issue(name, "zip-entry-encrypted", place, lang=lang))
        problems.extend(_refused_part(entry.filename, name, lang))
    return problems


def _refused_part(part: str, name: str, lang: str = "en") -> Iterator[Issue]:
    """Parts a questionnaire never has and that act beyond the file: macros, links, connections."""
    lower = part.lower()
    place = display_name(part)
    if lower.endswith("vbaproject.bin") or lower.endswith("vbaprojectsignature.bin"):
        yield issue(name, "macro-workbook", place, lang=lang, what=t("guard_w_vba", lang))
    elif lower.startswith("xl/activex/"):
        yield issue(name, "macro-workbook", place, lang=lang, what=t("guard_w_activex", lang))
    elif lower.startswith("xl/externallinks/") and not lower.endswith(".rels"):
        yield issue(name, "external-link", place, lang=lang)
    elif lower == "xl/connections.xml" or (lower.startswith("xl/querytables/") and lower.endswith(".xml")):
        yield issue(name, "data-connection", place, lang=lang)


def _parts(archive: zipfile.ZipFile, name: str, lang: str = "en") -> list[Issue]:
    """Unpack every part as a stream (the directory sizes cap it) and look for DTDs and macro types."""
    problems: list[Issue] = []
    content_types = b""
    for entry in archive.infolist():
        place = display_name(entry.filename)
        try:
            found, head = _scan(archive, entry)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as error:
            problems.append(issue(name, "zip-damaged", place, lang=lang, detail=_detail(error)))
            continue
        if found:
            problems.append(issue(name, "xml-dtd", place, lang=lang))
        if entry.filename == "[Content_Types].xml":
            content_types = head
    if problems:
        return problems
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        what, advice = _other_package(archive, names, lang)
        return [issue(name, "not-xlsx", lang=lang, what=what, advice=advice)]
    if b"sheet.binary" in content_types:
        return [issue(name, "not-xlsx", lang=lang, what=t("guard_w_xlsb", lang), advice=t("guard_w_save_as_xlsx", lang))]
    if any(marker in content_types for marker in _MACRO_TYPES):
        return [issue(name, "macro-workbook", "[Content_Types].xml", lang=lang, what=t("guard_w_macro_type", lang))]
    if b"spreadsheetml.sheet.main" not in content_types and b"spreadsheetml.template.main" not in content_types:
        what, advice = _other_package(archive, names, lang)
        return [issue(name, "not-xlsx", lang=lang, what=what, advice=advice)]
    return []


def _scan(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> tuple[bool, bytes]:
    """Whether the entry holds a DTD marker, and (for the small content-types part) its bytes."""
    keep = entry.filename == "[Content_Types].xml"
    kept = bytearray()
    tail = b""
    with archive.open(entry) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _DTD_MARKERS):
                return True, bytes(kept)
            tail = window[-_OVERLAP:]
            if keep and len(kept) < 1_000_000:
                kept.extend(chunk)
    return False, bytes(kept)


def _other_package(archive: zipfile.ZipFile, names: set[str], lang: str) -> tuple[str, str]:
    """What a zip that is not an .xlsx workbook is, as well as the names tell (in `lang`)."""
    if "mimetype" in names:
        try:
            with archive.open("mimetype") as stream:
                mimetype = stream.read(200)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError):
            mimetype = b""
        if b"opendocument.spreadsheet" in mimetype:
            return t("guard_w_ods", lang), t("guard_w_save_as_xlsx", lang)
        return t("guard_w_odf", lang), ""
    if "word/document.xml" in names:
        return t("guard_w_docx", lang), ""
    if "ppt/presentation.xml" in names:
        return t("guard_w_pptx", lang), ""
    return t("guard_w_empty_zip", lang), ""


def _detail(error: BaseException) -> str:
    text = str(error).strip().rstrip(".") or type(error).__name__
    return display_name(text[:200])
