"""The defences for workbooks from outside: refused on their bytes, before openpyxl opens anything."""

from __future__ import annotations

import importlib.util
import io
import re
import struct
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest
from conftest import DATA
from defusedxml import DefusedXmlException

from toolkit.errors import DocumentError
from toolkit.io import fields as import_fields
from toolkit.io import workbook_guard
from toolkit.io import respondent_copies
from toolkit.io.template import questionnaire_bytes
from toolkit.io.workbook_guard import Limits, check_workbook
from toolkit.model import validation
from toolkit.model.catalogue import find_rubric

GUARD_CASES = ["zip-bomb", "zip-bomb-declared", "zip-many-entries", "xml-bomb", "macro-workbook", "external-link",
               "renamed-csv", "encrypted", "legacy-xls", "pdf", "random-bytes", "empty", "word-document"]


def corpus() -> ModuleType:
    """tests/data/bad_workbooks/make_corpus.py, loaded once per session."""
    if "make_corpus" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_corpus", DATA / "bad_workbooks" / "make_corpus.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_corpus"] = module
        spec.loader.exec_module(module)
    return sys.modules["make_corpus"]


def refusal(data: bytes, name: str = "questionnaire.xlsx", limits: Limits = workbook_guard.LIMITS) -> list[str]:
    with pytest.raises(DocumentError) as caught:
        check_workbook(data, name, limits)
    return [str(issue) for issue in caught.value.issues]


@pytest.fixture(scope="module")
def template() -> bytes:
    return questionnaire_bytes(find_rubric("digital-diplomacy", "1.0.0"), "en")


@pytest.mark.parametrize("case", GUARD_CASES)
def test_guard_corpus(case: str) -> None:
    file_name, data, expected = corpus().generated()[case]
    assert refusal(data, file_name) == list(expected)


def test_every_corpus_file_is_small() -> None:
    for case, (_, data, _) in corpus().generated().items():
        assert len(data) < 100_000, case


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_template_passes(language: str) -> None:
    check_workbook(questionnaire_bytes(find_rubric("digital-diplomacy", "1.0.0"), language), "q.xlsx")


def test_a_zip_bomb_is_judged_by_its_directory_without_unpacking(monkeypatch: pytest.MonkeyPatch) -> None:
    _, data, expected = corpus().generated()["zip-bomb-declared"]

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("an entry was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    assert refusal(data) == list(expected)


def test_openpyxl_itself_refuses_the_xml_bomb() -> None:
    """The second layer: even past the guard, openpyxl parses through defusedxml."""
    _, data, _ = corpus().generated()["xml-bomb"]
    with pytest.raises(ValueError) as caught:  # openpyxl wraps the parser's error in its own ValueError
        openpyxl.load_workbook(io.BytesIO(data))
    assert isinstance(caught.value, DefusedXmlException) or isinstance(caught.value.__cause__, DefusedXmlException)


def test_openpyxl_parses_through_defusedxml() -> None:
    assert workbook_guard.xml_is_defused()


def test_refused_without_defusedxml(monkeypatch: pytest.MonkeyPatch, template: bytes) -> None:
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    assert refusal(template) == [
        "questionnaire.xlsx: workbooks cannot be read safely: openpyxl is not parsing XML through defusedxml "
        "(install defusedxml and do not set OPENPYXL_DEFUSEDXML=False)"]


def test_limits_are_parameters(template: bytes) -> None:
    assert refusal(template, limits=Limits(max_entries=5)) == [
        "questionnaire.xlsx: the archive holds 15 entries, more than the limit of 5 (a zip bomb?)"]
    assert refusal(template, limits=Limits(max_bytes=1000)) == [
        "questionnaire.xlsx: the file is larger than the limit of 1,000 bytes"]


def _rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    return corpus().rezip(data, replace=replace, add=add)


def test_macro_content_type_without_a_vba_project(template: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        types = archive.read("[Content_Types].xml").replace(b"spreadsheetml.sheet.main+xml",
                                                             b"ms-excel.sheet.macroEnabled.main+xml")
    assert refusal(_rezip(template, replace={"[Content_Types].xml": types})) == [
        "questionnaire.xlsx: [Content_Types].xml: the workbook contains macros (a macro-enabled workbook type), "
        'which are refused: save it as "Excel Workbook (.xlsx)" and try again']


def test_activex_and_data_connections_are_refused(template: bytes) -> None:
    data = _rezip(template, add={"xl/activeX/activeX1.xml": b"<ax/>", "xl/connections.xml": b"<connections/>"})
    assert refusal(data) == [
        "questionnaire.xlsx: xl/activeX/activeX1.xml: the workbook contains macros (ActiveX controls), which are "
        'refused: save it as "Excel Workbook (.xlsx)" and try again',
        "questionnaire.xlsx: xl/connections.xml: the workbook has external data connections or queries, which "
        "are refused: remove them and save again",
    ]


def test_a_dtd_in_utf16_is_found(template: bytes) -> None:
    part = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'.encode("utf-16")
    assert refusal(_rezip(template, add={"docProps/extra.xml": part})) == [
        "questionnaire.xlsx: docProps/extra.xml: this part declares a document type (<!DOCTYPE>): workbooks never "
        "need one, and its entities can be an XML bomb; refused"]


def test_other_packages_are_named() -> None:
    ods = _package({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    assert refusal(ods, "answers.xlsx") == [
        'answers.xlsx: this is an OpenDocument spreadsheet (.ods), not an Excel .xlsx workbook: save it as '
        '"Excel Workbook (.xlsx)"']
    assert refusal(_package({"notes.txt": b"hello"})) == [
        "questionnaire.xlsx: this is a zip archive without an Excel workbook in it, not an Excel .xlsx workbook"]


def test_a_damaged_zip_is_named(template: bytes) -> None:
    lines = refusal(template[: len(template) // 2])
    assert len(lines) == 1 and lines[0].startswith("questionnaire.xlsx: the workbook's zip archive is damaged: ")


def test_html_is_named() -> None:
    assert refusal(b"<html><body><table><tr><td>1</td></tr></table></body></html>") == [
        "questionnaire.xlsx: this is an HTML or XML file, not an Excel .xlsx workbook: open it in Excel and save "
        "it as .xlsx"]


def test_hostile_names_stay_on_one_line(template: bytes) -> None:
    lines = refusal(b"", "evil\nname.xlsx")
    assert lines == ["evil\\x0aname.xlsx: the file is empty"]


def test_codes_are_a_documented_closed_set() -> None:
    for module in (workbook_guard, import_fields, respondent_copies):
        doc = module.__doc__ or ""
        documented = re.findall(r"^    ([a-z0-9-]+)\s{2,}", doc, re.MULTILINE)
        assert sorted(documented) == sorted(module.CODES), module.__name__
    overlap = set(workbook_guard.CODES) & set(import_fields.CODES)
    overlap |= (set(workbook_guard.CODES) | set(import_fields.CODES)) & set(validation.CODES)
    overlap |= set(respondent_copies.CODES) & (set(workbook_guard.CODES) | set(import_fields.CODES)
                                               | set(validation.CODES))
    assert not overlap


def test_corpus_writes_folders(tmp_path: Path) -> None:
    names = corpus().build(tmp_path)
    for name in names:
        folder = tmp_path / name
        expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert expected == list(corpus().generated()[name][2])
        assert len(list(folder.iterdir())) == 2


# ------------------------------------------------------------------ each defence, at its boundary

def _with_entry(data: bytes, name: str, content: bytes, *, method: int = zipfile.ZIP_DEFLATED,
                flag_bits: int = 0) -> bytes:
    """`data` with one more entry, written with the given compression method and flag bits."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry.filename))
        info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
        info.compress_type = method
        target.writestr(info, content)
    if flag_bits:
        # zipfile never writes an encrypted entry; set the bit in both headers as an encrypting tool would.
        raw = bytearray(out.getvalue())
        encoded = name.encode()
        local = raw.rfind(b"PK\x03\x04" + bytes(2), 0, raw.rfind(encoded))
        for header, offset in ((local, 6), (raw.rfind(b"PK\x01\x02"), 8)):
            raw[header + offset] |= flag_bits
        return bytes(raw)
    return out.getvalue()


def test_an_encrypted_entry_is_refused(template: bytes) -> None:
    data = _with_entry(template, "docProps/secret.xml", b"<x/>", method=zipfile.ZIP_STORED, flag_bits=0x1)
    assert refusal(data) == [
        "questionnaire.xlsx: docProps/secret.xml: this entry is encrypted inside the archive"]


def test_a_bzip2_entry_is_refused(template: bytes) -> None:
    data = _with_entry(template, "docProps/packed.xml", b"<x/>", method=zipfile.ZIP_BZIP2)
    assert refusal(data) == [
        "questionnaire.xlsx: docProps/packed.xml: compressed with method 12, which Excel workbooks never use"]


def test_query_tables_and_a_lone_vba_signature_are_refused(template: bytes) -> None:
    data = _rezip(template, add={"xl/queryTables/queryTable1.xml": b"<queryTable/>",
                                 "xl/vbaProjectSignature.bin": b"\x00signature"})
    assert refusal(data) == [
        "questionnaire.xlsx: xl/queryTables/queryTable1.xml: the workbook has external data connections or "
        "queries, which are refused: remove them and save again",
        "questionnaire.xlsx: xl/vbaProjectSignature.bin: the workbook contains macros (a VBA project), which are "
        'refused: save it as "Excel Workbook (.xlsx)" and try again',
    ]


@pytest.mark.parametrize("split", [1, 4, 8])
def test_a_dtd_split_across_the_read_boundary_is_found(template: bytes, split: int) -> None:
    """The guard reads parts in 64 KiB chunks; a marker cut in two by a chunk end is still found."""
    marker = b"<!DOCTYPE x>"
    padding = b" " * (workbook_guard._CHUNK - split)
    part = padding + marker + b"<x/>"
    assert part.index(marker) + split == workbook_guard._CHUNK
    assert refusal(_rezip(template, add={"docProps/extra.xml": part})) == [
        "questionnaire.xlsx: docProps/extra.xml: this part declares a document type (<!DOCTYPE>): workbooks never "
        "need one, and its entities can be an XML bomb; refused"]


def test_a_highly_compressed_entry_of_a_few_megabytes_is_refused(template: bytes) -> None:
    data = _rezip(template, add={"xl/media/blank.xml": b"\0" * 4_000_000})
    lines = refusal(data)
    assert len(lines) == 1
    assert re.fullmatch(r"questionnaire\.xlsx: xl/media/blank\.xml: compressed [\d,]+ to 1, more than the limit "
                        r"of 200 to 1 \(a zip bomb\?\)", lines[0])


def test_the_ratio_is_judged_only_above_its_floor(template: bytes) -> None:
    small = _rezip(template, add={"xl/media/blank.xml": b"\0" * 999_999})
    check_workbook(small, "q.xlsx", Limits(ratio_floor=999_999))
    assert len(refusal(small, limits=Limits(ratio_floor=999_998))) == 1


def test_the_size_limits_hold_at_their_boundaries(template: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        entries = len(archive.infolist())
        unpacked = sum(entry.file_size for entry in archive.infolist())
        largest = max(archive.infolist(), key=lambda entry: entry.file_size / max(entry.compress_size, 1))
        ratio = largest.file_size / max(largest.compress_size, 1)
    exact = Limits(max_bytes=len(template), max_entries=entries, max_unpacked=unpacked, max_ratio=ratio,
                   ratio_floor=0)
    check_workbook(template, "q.xlsx", exact)
    assert refusal(template, limits=Limits(max_bytes=len(template) - 1)) == [
        f"questionnaire.xlsx: the file is larger than the limit of {len(template) - 1:,} bytes"]
    assert refusal(template, limits=Limits(max_entries=entries - 1)) == [
        f"questionnaire.xlsx: the archive holds {entries:,} entries, more than the limit of {entries - 1:,} "
        "(a zip bomb?)"]
    assert refusal(template, limits=Limits(max_unpacked=unpacked - 1)) == [
        f"questionnaire.xlsx: the archive would unpack to {unpacked:,} bytes, more than the limit of "
        f"{unpacked - 1:,} (a zip bomb?)"]
    assert len(refusal(template, limits=Limits(max_ratio=ratio - 0.001, ratio_floor=0))) == 1


# --- survivors of a partial mutation run (issue 17): what the first bytes and an error's text say ------

TEXT = "questionnaire.xlsx: this is text (a CSV file with the wrong extension?), not an Excel .xlsx workbook: " \
       "import it as a .csv file"
UNKNOWN = "questionnaire.xlsx: this is an unrecognised kind of file, not an Excel .xlsx workbook"


@pytest.mark.parametrize(("data", "expected"), [
    (b"name, level\r\nana, 3\n", TEXT),  # spaces, carriage returns and line ends are text
    (b"name\tlevel\n", TEXT),  # so are tabs
    (b"a" * 4096 + b"\x00\x01", TEXT),  # only the first 4096 bytes are judged
    (b"a" * 4095 + b"\x00", UNKNOWN),
    (b"a,b\x0e\n", UNKNOWN),  # any other control character is not text
    (b"a,b\x1f\n", UNKNOWN),
    (b"\xff\xfe" + "name,level\n".encode("utf-16-le"), TEXT),  # a UTF-16 byte order mark is text
    (b"\xfe\xff" + "name,level\n".encode("utf-16-be"), TEXT),
])
def test_text_is_told_from_other_content_by_its_first_bytes(data: bytes, expected: str) -> None:
    assert refusal(data) == [expected]


@pytest.mark.parametrize(("head", "english", "indonesian"), [
    (workbook_guard.OLE_SIGNATURE + b"\0" * 100, "an encrypted workbook or an Excel 97-2003 (.xls) file",
     "buku kerja terenkripsi atau berkas Excel 97-2003 (.xls)"),
    (b"PK\x03\x04rest", "a zip archive (an .xlsx workbook?)", "arsip zip (buku kerja .xlsx?)"),
    (b"PK\x05\x06", "a zip archive (an .xlsx workbook?)", "arsip zip (buku kerja .xlsx?)"),
    (b"%PDF-1.7", "a PDF document", "dokumen PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", "gambar PNG"),
    (b"\xff\xd8\xff\xe0", "a JPEG image", "gambar JPEG"),
    (b"GIF89a", "a GIF image", "gambar GIF"),
    (b"{\\rtf1\\ansi", "an RTF document", "dokumen RTF"),
])
def test_other_content_is_described_in_both_languages(head: bytes, english: str, indonesian: str) -> None:
    """describe_content also names what a CSV upload really is (answers_csv)."""
    assert workbook_guard.describe_content(head) == english
    assert workbook_guard.describe_content(head, "en") == english
    assert workbook_guard.describe_content(head, "id") == indonesian


def test_text_is_not_described_by_its_first_bytes() -> None:
    assert workbook_guard.describe_content(b"name,level") is None
    assert workbook_guard.describe_content(b"{\\RTF1") is None  # the signature is exact


@pytest.mark.parametrize(("message", "detail"), [
    ("Bad magic number for file header.", "Bad magic number for file header"),  # one sentence, no full stop
    (".zip ends early.", ".zip ends early"),  # only a trailing full stop goes
    ("CRC mismatch in X.", "CRC mismatch in X"),
    ("", "BadZipFile"),  # an error without text is named by its kind
    ("y" * 300, "y" * 200),  # at most 200 characters
])
def test_a_damaged_zip_detail_is_the_errors_own_text_cut_short(message: str, detail: str) -> None:
    assert workbook_guard._detail(zipfile.BadZipFile(message)) == detail


# --- survivors of the mutation run (issue 17): the rest of the guard -----------------------------------

def refusal_in(lang: str, data: bytes, name: str = "questionnaire.xlsx",
               limits: Limits = workbook_guard.LIMITS) -> list[str]:
    """The refusal's lines with the messages in `lang`."""
    with pytest.raises(DocumentError) as caught:
        check_workbook(data, name, limits, lang=lang)
    return [str(issue) for issue in caught.value.issues]


def _package(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


ODS = b"application/vnd.oasis.opendocument.spreadsheet"


@pytest.mark.parametrize(("entries", "english", "indonesian"), [
    ({"mimetype": ODS, "content.xml": b"<x/>"},
     'this is an OpenDocument spreadsheet (.ods), not an Excel .xlsx workbook: save it as "Excel Workbook (.xlsx)"',
     'ini adalah lembar kerja OpenDocument (.ods), bukan buku kerja Excel .xlsx: simpan sebagai '
     '"Excel Workbook (.xlsx)"'),
    ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"},
     "this is an OpenDocument file, not an Excel .xlsx workbook",
     "ini adalah berkas OpenDocument, bukan buku kerja Excel .xlsx"),
    ({"word/document.xml": b"<w/>"},
     "this is a Word document (.docx), not an Excel .xlsx workbook",
     "ini adalah dokumen Word (.docx), bukan buku kerja Excel .xlsx"),
    ({"ppt/presentation.xml": b"<p/>"},
     "this is a PowerPoint presentation (.pptx), not an Excel .xlsx workbook",
     "ini adalah presentasi PowerPoint (.pptx), bukan buku kerja Excel .xlsx"),
    ({"notes.txt": b"hello"},
     "this is a zip archive without an Excel workbook in it, not an Excel .xlsx workbook",
     "ini adalah arsip zip tanpa buku kerja Excel di dalamnya, bukan buku kerja Excel .xlsx"),
])
def test_other_packages_are_named_in_both_languages(entries: dict[str, bytes], english: str,
                                                    indonesian: str) -> None:
    data = _package(entries)
    assert refusal_in("en", data) == [f"questionnaire.xlsx: {english}"]
    assert refusal_in("id", data) == [f"questionnaire.xlsx: {indonesian}"]


@pytest.mark.parametrize(("padding", "named"), [
    (200 - len(ODS), "an OpenDocument spreadsheet (.ods)"),  # the spreadsheet type within the first 200 bytes
    (201 - len(ODS), "an OpenDocument file"),  # one byte further is not read
])
def test_only_the_first_200_bytes_of_an_opendocument_mimetype_are_read(padding: int, named: str) -> None:
    lines = refusal(_package({"mimetype": b" " * padding + ODS, "content.xml": b"<x/>"}))
    assert len(lines) == 1 and lines[0].startswith(f"questionnaire.xlsx: this is {named}, not an Excel")


def _damaged(data: bytes, *contents: bytes) -> bytes:
    """`data` with each stored content's first byte changed, so that its CRC no longer matches."""
    raw = bytearray(data)
    for content in contents:
        at = raw.index(content)
        raw[at] ^= 0x20
    return bytes(raw)


def test_an_entry_damaged_inside_an_intact_directory_is_named(template: bytes) -> None:
    data = _with_entry(_with_entry(template, "docProps/one.xml", b"<one>first part</one>", method=zipfile.ZIP_STORED),
                       "docProps/two.xml", b"<two>second part</two>", method=zipfile.ZIP_STORED)
    data = _damaged(data, b"<one>first part</one>", b"<two>second part</two>")
    assert refusal_in("en", data) == [
        "questionnaire.xlsx: docProps/one.xml: the workbook's zip archive is damaged: "
        "Bad CRC-32 for file 'docProps/one.xml'",
        "questionnaire.xlsx: docProps/two.xml: the workbook's zip archive is damaged: "
        "Bad CRC-32 for file 'docProps/two.xml'"]
    assert refusal_in("id", data)[0] == ("questionnaire.xlsx: docProps/one.xml: arsip zip buku kerja ini rusak: "
                                          "Bad CRC-32 for file 'docProps/one.xml'")


def test_a_binary_workbook_is_named_in_both_languages() -> None:
    types = (b'<Types><Override PartName="/xl/workbook.bin" '
             b'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
    data = _package({"[Content_Types].xml": types, "xl/workbook.bin": b"\x00\x01"})
    assert refusal_in("en", data, "answers.xlsx") == [
        'answers.xlsx: this is an Excel binary workbook (.xlsb), not an Excel .xlsx workbook: save it as '
        '"Excel Workbook (.xlsx)"']
    assert refusal_in("id", data, "answers.xlsx") == [
        'answers.xlsx: ini adalah buku kerja biner Excel (.xlsb), bukan buku kerja Excel .xlsx: simpan sebagai '
        '"Excel Workbook (.xlsx)"']


def test_a_dtd_is_refused_in_both_languages(template: bytes) -> None:
    data = _rezip(template, add={"docProps/extra.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'})
    assert refusal_in("id", data) == [
        "questionnaire.xlsx: docProps/extra.xml: bagian ini mendeklarasikan tipe dokumen (<!DOCTYPE>): buku kerja "
        "tidak pernah memerlukannya, dan entitasnya dapat menjadi bom XML; ditolak"]


def test_each_refusal_carries_its_code(template: bytes) -> None:
    data = _rezip(template, add={"xl/vbaProject.bin": b"\x00vba", "xl/connections.xml": b"<connections/>"})
    with pytest.raises(DocumentError) as caught:
        check_workbook(data, "q.xlsx")
    assert [(issue.code, issue.place) for issue in caught.value.issues] == [
        ("macro-workbook", "xl/vbaProject.bin"), ("data-connection", "xl/connections.xml")]


def test_an_unknown_code_is_refused_by_name() -> None:
    with pytest.raises(KeyError) as caught:
        workbook_guard.issue("q.xlsx", "no-such-code")
    assert caught.value.args == ("no-such-code",)


def test_macros_are_refused_in_both_languages(template: bytes) -> None:
    vba = _rezip(template, add={"xl/vbaProject.bin": b"\x00vba"})
    assert refusal_in("id", vba) == [
        'questionnaire.xlsx: xl/vbaProject.bin: buku kerja ini memuat makro (proyek VBA), yang ditolak: simpan '
        'sebagai "Excel Workbook (.xlsx)" lalu coba lagi']
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        types = archive.read("[Content_Types].xml").replace(b"spreadsheetml.sheet.main+xml",
                                                             b"ms-excel.sheet.macroEnabled.main+xml")
    macro_type = _rezip(template, replace={"[Content_Types].xml": types})
    assert refusal_in("id", macro_type) == [
        'questionnaire.xlsx: [Content_Types].xml: buku kerja ini memuat makro (jenis buku kerja bermakro), yang '
        'ditolak: simpan sebagai "Excel Workbook (.xlsx)" lalu coba lagi']


def test_a_package_with_content_types_but_no_workbook_is_named_in_both_languages() -> None:
    types = (b'<Types><Override PartName="/word/document.xml" ContentType="application/'
             b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    data = _package({"[Content_Types].xml": types, "word/document.xml": b"<w/>"})
    assert refusal_in("en", data, "answers.xlsx") == [
        "answers.xlsx: this is a Word document (.docx), not an Excel .xlsx workbook"]
    assert refusal_in("id", data, "answers.xlsx") == [
        "answers.xlsx: ini adalah dokumen Word (.docx), bukan buku kerja Excel .xlsx"]
    # A crafted package with both content types and an OpenDocument mimetype is named, not a crash.
    both = _package({"[Content_Types].xml": types, "mimetype": ODS})
    assert refusal_in("en", both, "answers.xlsx") == [
        'answers.xlsx: this is an OpenDocument spreadsheet (.ods), not an Excel .xlsx workbook: save it as '
        '"Excel Workbook (.xlsx)"']


def test_an_excel_template_passes(template: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        types = archive.read("[Content_Types].xml")
    assert b"spreadsheetml.sheet.main+xml" in types
    xltx = types.replace(b"spreadsheetml.sheet.main+xml", b"spreadsheetml.template.main+xml")
    check_workbook(_rezip(template, replace={"[Content_Types].xml": xltx}), "q.xltx")


def test_a_part_is_scanned_as_a_stream_in_bounded_memory() -> None:
    """A large part is read a chunk at a time, keeping only a short tail: memory does not grow with it."""
    import tracemalloc

    data = _package({"xl/media/big.xml": b" " * 8_000_000})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entry = archive.getinfo("xl/media/big.xml")
        tracemalloc.start()
        try:
            found = workbook_guard._scan(archive, entry)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert found == (False, b"")
    assert peak < 1_000_000, peak


def test_the_directory_refusals_in_indonesian(template: bytes) -> None:
    data = _rezip(template, add={"xl/media/blank.xml": b"\0" * 2_000_000,
                                 "xl/activeX/activeX1.xml": b"<ax/>",
                                 "xl/vbaProject.bin": b"\x00vba",
                                 "xl/externalLinks/externalLink1.xml": b"<externalLink/>",
                                 "xl/queryTables/queryTable1.xml": b"<queryTable/>"})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(entry.file_size for entry in archive.infolist())
        blank = archive.getinfo("xl/media/blank.xml")
        ratio = blank.file_size / blank.compress_size
    save = 'yang ditolak: simpan sebagai "Excel Workbook (.xlsx)" lalu coba lagi'

    def dotted(number: float) -> str:  # Indonesian groups thousands with a dot: 2.374.057
        return f"{number:,.0f}".replace(",", ".")

    assert refusal_in("id", data, limits=Limits(max_unpacked=2_000_000)) == [
        f"questionnaire.xlsx: arsip ini akan terurai menjadi {dotted(unpacked)} bita, melebihi batas 2.000.000 (bom zip?)",
        f"questionnaire.xlsx: xl/media/blank.xml: dimampatkan {dotted(ratio)} banding 1, melebihi batas 200 banding 1 "
        "(bom zip?)",
        f"questionnaire.xlsx: xl/activeX/activeX1.xml: buku kerja ini memuat makro (kontrol ActiveX), {save}",
        f"questionnaire.xlsx: xl/vbaProject.bin: buku kerja ini memuat makro (proyek VBA), {save}",
        "questionnaire.xlsx: xl/externalLinks/externalLink1.xml: buku kerja ini bertaut ke buku kerja lain, yang "
        "ditolak: putuskan tautannya di Excel (Data > Edit Links > Break Link) lalu simpan lagi",
        "questionnaire.xlsx: xl/queryTables/queryTable1.xml: buku kerja ini memiliki koneksi data eksternal atau "
        "kueri, yang ditolak: hapus lalu simpan lagi",
    ]
    assert refusal_in("id", template, limits=Limits(max_entries=5)) == [
        "questionnaire.xlsx: arsip ini memuat 15 entri, melebihi batas 5 (bom zip?)"]


def test_an_entry_claiming_megabytes_from_no_packed_bytes_is_judged_against_one_byte(template: bytes) -> None:
    """A crafted directory entry with nothing packed: its ratio is its claimed size over one byte, not a crash."""
    name, claimed = "docProps/empty.xml", 2_000_000
    data = bytearray(_with_entry(template, name, b"", method=zipfile.ZIP_STORED))
    central = data.rindex(b"PK\x01\x02")
    assert data[central + 46:central + 46 + len(name)] == name.encode()
    struct.pack_into("<I", data, central + 24, claimed)  # the directory's uncompressed size
    assert refusal(bytes(data)) == [
        "questionnaire.xlsx: docProps/empty.xml: compressed 2,000,000 to 1, more than the limit of 200 to 1 "
        "(a zip bomb?)"]


ENCRYPTED = ("questionnaire.xlsx: this workbook is encrypted (password-protected): remove the password in Excel "
             "(File > Info > Protect Workbook) and save it again as .xlsx")


@pytest.mark.parametrize("streams", [["Root Entry", "EncryptedPackage"], ["Root Entry", "EncryptionInfo"]])
def test_either_encryption_stream_alone_marks_an_encrypted_workbook(streams: list[str]) -> None:
    assert refusal(corpus()._ole(streams)) == [ENCRYPTED]


def test_the_first_byte_refusals_in_indonesian(template: bytes) -> None:
    assert refusal_in("id", b"") == ["questionnaire.xlsx: berkas ini kosong"]
    assert refusal_in("id", template, limits=Limits(max_bytes=1000)) == [
        "questionnaire.xlsx: berkas ini melebihi batas 1.000 bita"]


def test_entry_refusals_in_indonesian(template: bytes) -> None:
    data = _with_entry(template, "docProps/packed.xml", b"<x/>", method=zipfile.ZIP_BZIP2)
    assert refusal_in("id", data) == [
        "questionnaire.xlsx: docProps/packed.xml: dimampatkan dengan metode 12, yang tidak pernah dipakai buku "
        "kerja Excel"]
    data = _with_entry(template, "docProps/secret.xml", b"<x/>", method=zipfile.ZIP_STORED, flag_bits=0x1)
    assert refusal_in("id", data) == ["questionnaire.xlsx: docProps/secret.xml: entri ini terenkripsi di dalam arsip"]


HTML = "questionnaire.xlsx: this is an HTML or XML file, not an Excel .xlsx workbook: open it in Excel and save it as .xlsx"


@pytest.mark.parametrize(("data", "expected"), [
    (b"\xef\xbb\xbf<table><tr><td>1</td></tr></table>", HTML),  # a UTF-8 byte order mark is skipped
    (b" \t\r\n<?xml version='1.0'?><x/>", HTML),  # so is white space before the first tag
    (b"X<1,2\n", TEXT),  # but nothing else: a CSV line is text
    (b"<x/>\n\n  ", HTML),
])
def test_html_is_told_by_its_first_tag_after_a_bom_and_white_space(data: bytes, expected: str) -> None:
    assert refusal(data) == [expected]


@pytest.mark.parametrize(("data", "indonesian"), [
    (corpus()._ole(["Root Entry", "EncryptedPackage"]),
     "buku kerja ini terenkripsi (dilindungi kata sandi): hapus kata sandinya di Excel (File > Info > Protect "
     "Workbook) lalu simpan lagi sebagai .xlsx"),
    (corpus()._ole(["Root Entry", "Workbook"]),
     "ini berkas Excel 97-2003 (.xls) lama atau dokumen Office 97 lain, bukan buku kerja .xlsx: buka di Excel lalu "
     "simpan sebagai .xlsx"),
    (b"%PDF-1.7\n", "ini adalah dokumen PDF, bukan buku kerja Excel .xlsx"),
    (b"<html></html>", "ini adalah berkas HTML atau XML, bukan buku kerja Excel .xlsx: buka di Excel lalu simpan "
     "sebagai .xlsx"),
    (b"indicator,level\n", "ini adalah teks (berkas CSV dengan ekstensi yang salah?), bukan buku kerja Excel .xlsx: "
     "impor sebagai berkas .csv"),
    (b"\x00\x01\x02", "ini adalah jenis berkas yang tidak dikenal, bukan buku kerja Excel .xlsx"),
])
def test_what_the_first_bytes_say_in_indonesian(data: bytes, indonesian: str) -> None:
    assert refusal_in("id", data) == [f"questionnaire.xlsx: {indonesian}"]


def test_refused_without_defusedxml_in_indonesian(monkeypatch: pytest.MonkeyPatch, template: bytes) -> None:
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    assert refusal_in("id", template) == [
        "questionnaire.xlsx: buku kerja tidak dapat dibaca dengan aman: openpyxl tidak mengurai XML melalui "
        "defusedxml (pasang defusedxml dan jangan setel OPENPYXL_DEFUSEDXML=False)"]


def test_a_damaged_zip_is_named_with_the_reason_in_both_languages(template: bytes) -> None:
    cut = template[: len(template) // 2]
    assert refusal_in("en", cut) == ["questionnaire.xlsx: the workbook's zip archive is damaged: File is not a zip file"]
    assert refusal_in("id", cut) == ["questionnaire.xlsx: arsip zip buku kerja ini rusak: File is not a zip file"]
