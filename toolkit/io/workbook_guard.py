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
from toolkit.issues import Issue
from toolkit.model.jsonio import display_name

#: code -> (title, message template).
CODES: dict[str, tuple[str, str]] = {
    "empty-file": ("The file has no content", "the file is empty"),
    "file-too-large": ("The file is larger than the limit", "the file is larger than the limit of {limit:,} bytes"),
    "encrypted-workbook": ("A password-protected (encrypted) workbook",
                           "this workbook is encrypted (password-protected): remove the password in Excel "
                           "(File > Info > Protect Workbook) and save it again as .xlsx"),
    "legacy-workbook": ("An Excel 97-2003 .xls file or another OLE document",
                        "this is a legacy Excel 97-2003 (.xls) file or another Office 97 document, not an "
                        ".xlsx workbook: open it in Excel and save it as .xlsx"),
    "not-xlsx": ("Content that is not an Excel .xlsx workbook", "this is {what}, not an Excel .xlsx workbook{advice}"),
    "zip-damaged": ("The zip archive cannot be read", "the workbook's zip archive is damaged: {detail}"),
    "zip-too-many-entries": ("More entries than a workbook needs (a zip bomb?)",
                             "the archive holds {count:,} entries, more than the limit of {limit:,} "
                             "(a zip bomb?)"),
    "zip-too-large": ("Unpacks to more than the limit (a zip bomb?)",
                      "the archive would unpack to {size:,} bytes, more than the limit of {limit:,} (a zip bomb?)"),
    "zip-ratio": ("One entry compressed far more than XML ever is (a zip bomb?)",
                  "compressed {ratio:,.0f} to 1, more than the limit of {limit:,.0f} to 1 (a zip bomb?)"),
    "zip-method": ("An entry compressed with a method Excel never uses",
                   "compressed with method {method}, which Excel workbooks never use"),
    "zip-entry-encrypted": ("An entry encrypted inside the archive", "this entry is encrypted inside the archive"),
    "macro-workbook": ("Macros (a VBA project or ActiveX controls)",
                       "the workbook contains macros ({what}), which are refused: save it as "
                       '"Excel Workbook (.xlsx)" and try again'),
    "external-link": ("Links to another workbook",
                      "the workbook links to another workbook, which is refused: break the links in Excel "
                      "(Data > Edit Links > Break Link) and save again"),
    "data-connection": ("External data connections or queries",
                        "the workbook has external data connections or queries, which are refused: "
                        "remove them and save again"),
    "xml-dtd": ("An XML part with a document type declaration (an XML bomb?)",
                "this part declares a document type (<!DOCTYPE>): workbooks never need one, and its entities "
                "can be an XML bomb; refused"),
    "xml-refused": ("The XML parser refused entities or a document type (an XML bomb?)",
                    "the workbook's XML declares entities or a document type, which the parser refused "
                    "(an XML bomb?)"),
    "unsafe-xml-parser": ("openpyxl is not parsing through defusedxml",
                          "workbooks cannot be read safely: openpyxl is not parsing XML through defusedxml "
                          "(install defusedxml and do not set OPENPYXL_DEFUSEDXML=False)"),
    "unreadable-workbook": ("openpyxl could not read the workbook", "the workbook cannot be read: {detail}"),
}

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


def issue(file: str, code: str, place: str | None = None, **fields: Any) -> Issue:
    """An issue of one of this module's codes."""
    return Issue(file=file, code=code, message=CODES[code][1].format(**fields), place=place)


def require_defused_xml(name: str) -> None:
    """Refuse to read workbooks unless openpyxl parses XML through defusedxml."""
    if not xml_is_defused():
        raise DocumentError([issue(display_name(name), "unsafe-xml-parser")])


def xml_is_defused() -> bool:
    """True when openpyxl's XML parsing goes through defusedxml (checked, not assumed)."""
    import openpyxl.xml
    from openpyxl.xml import functions

    return openpyxl.xml.DEFUSEDXML is True and functions.iterparse.__module__.startswith("defusedxml")


def describe_content(data: bytes) -> str | None:
    """What non-spreadsheet content is, in words (`a PDF document`), or None when it may be a zip or text."""
    head = data[:8]
    if head.startswith(OLE_SIGNATURE):
        return "an encrypted workbook or an Excel 97-2003 (.xls) file"
    if head.startswith(ZIP_SIGNATURES):
        return "a zip archive (an .xlsx workbook?)"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    for signature, what in ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
                            (b"GIF8", "a GIF image"), (b"{\\rtf", "an RTF document")):
        if head.startswith(signature):
            return what
    return None


def check_workbook(data: bytes, name: str, limits: Limits = LIMITS) -> None:
    """Raise DocumentError listing every reason these bytes must not reach openpyxl; return if safe."""
    name = display_name(name)
    require_defused_xml(name)
    first = _first_bytes(data, name, limits)
    if first:
        raise DocumentError(first)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise DocumentError([issue(name, "zip-damaged", detail=_detail(error))]) from None
    with archive:
        problems = _directory(archive, name, limits)
        if not problems:
            problems = _parts(archive, name)
    if problems:
        raise DocumentError(problems)


def _first_bytes(data: bytes, name: str, limits: Limits) -> list[Issue]:
    """What the size and the first bytes alone say: empty, too large, OLE, PDF, text, unknown."""
    if not data:
        return [issue(name, "empty-file")]
    if len(data) > limits.max_bytes:
        return [issue(name, "file-too-large", limit=limits.max_bytes)]
    if data.startswith(OLE_SIGNATURE):
        # An encrypted .xlsx is an OLE file holding an "EncryptedPackage" stream (names are UTF-16).
        encrypted = "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data
        return [issue(name, "encrypted-workbook" if encrypted else "legacy-workbook")]
    if data.startswith(ZIP_SIGNATURES):
        return []
    known = describe_content(data)
    if known:
        return [issue(name, "not-xlsx", what=known, advice="")]
    if _looks_like_text(data):
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            return [issue(name, "not-xlsx", what="an HTML or XML file",
                          advice=": open it in Excel and save it as .xlsx")]
        return [issue(name, "not-xlsx", what="text (a CSV file with the wrong extension?)",
                      advice=": import it as a .csv file")]
    return [issue(name, "not-xlsx", what="an unrecognised kind of file", advice="")]


def _looks_like_text(data: bytes) -> bool:
    """Text has a BOM or no control characters but tab and line ends (random bytes have many)."""
    sample = data[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return not any(byte < 32 and byte not in (9, 10, 13) for byte in sample)


def _directory(archive: zipfile.ZipFile, name: str, limits: Limits) -> list[Issue]:
    """Every problem the zip directory shows, before any entry is unpacked."""
    entries = archive.infolist()
    problems: list[Issue] = []
    if len(entries) > limits.max_entries:
        return [issue(name, "zip-too-many-entries", count=len(entries), limit=limits.max_entries)]
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_unpacked:
        problems.append(issue(name, "zip-too-large", size=total, limit=limits.max_unpacked))
    for entry in entries:
        place = display_name(entry.filename)
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            problems.append(issue(name, "zip-ratio", place, ratio=ratio, limit=limits.max_ratio))
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problems.append(issue(name, "zip-method", place, method=entry.compress_type))
        if entry.flag_bits & 0x1:
            problems.append(issue(name, "zip-entry-encrypted", place))
        problems.extend(_refused_part(entry.filename, name))
    return problems


def _refused_part(part: str, name: str) -> Iterator[Issue]:
    """Parts a questionnaire never has and that act beyond the file: macros, links, connections."""
    lower = part.lower()
    place = display_name(part)
    if lower.endswith("vbaproject.bin") or lower.endswith("vbaprojectsignature.bin"):
        yield issue(name, "macro-workbook", place, what="a VBA project")
    elif lower.startswith("xl/activex/"):
        yield issue(name, "macro-workbook", place, what="ActiveX controls")
    elif lower.startswith("xl/externallinks/") and not lower.endswith(".rels"):
        yield issue(name, "external-link", place)
    elif lower == "xl/connections.xml" or (lower.startswith("xl/querytables/") and lower.endswith(".xml")):
        yield issue(name, "data-connection", place)


def _parts(archive: zipfile.ZipFile, name: str) -> list[Issue]:
    """Unpack every part as a stream (the directory sizes cap it) and look for DTDs and macro types."""
    problems: list[Issue] = []
    content_types = b""
    for entry in archive.infolist():
        place = display_name(entry.filename)
        try:
            found, head = _scan(archive, entry)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as error:
            problems.append(issue(name, "zip-damaged", place, detail=_detail(error)))
            continue
        if found:
            problems.append(issue(name, "xml-dtd", place))
        if entry.filename == "[Content_Types].xml":
            content_types = head
    if problems:
        return problems
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        what, advice = _other_package(archive, names)
        return [issue(name, "not-xlsx", what=what, advice=advice)]
    if b"sheet.binary" in content_types:
        return [issue(name, "not-xlsx", what="an Excel binary workbook (.xlsb)",
                      advice=': save it as "Excel Workbook (.xlsx)"')]
    if any(marker in content_types for marker in _MACRO_TYPES):
        return [issue(name, "macro-workbook", "[Content_Types].xml", what="a macro-enabled workbook type")]
    if b"spreadsheetml.sheet.main" not in content_types and b"spreadsheetml.template.main" not in content_types:
        what, advice = _other_package(archive, names)
        return [issue(name, "not-xlsx", what=what, advice=advice)]
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


def _other_package(archive: zipfile.ZipFile, names: set[str]) -> tuple[str, str]:
    """What a zip that is not an .xlsx workbook is, as well as the names tell."""
    if "mimetype" in names:
        try:
            with archive.open("mimetype") as stream:
                mimetype = stream.read(200)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError):
            mimetype = b""
        if b"opendocument.spreadsheet" in mimetype:
            return "an OpenDocument spreadsheet (.ods)", ': save it as "Excel Workbook (.xlsx)"'
        return "an OpenDocument file", ""
    if "word/document.xml" in names:
        return "a Word document (.docx)", ""
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (.pptx)", ""
    return "a zip archive without an Excel workbook in it", ""


def _detail(error: BaseException) -> str:
    text = str(error).strip().rstrip(".") or type(error).__name__
    return display_name(text[:200])
