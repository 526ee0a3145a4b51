"""The bad-workbook corpus: every case a file from outside could be, with the messages it must get.

Each case below makes one file (a workbook, or an answers CSV) and states its expected messages by
hand; only the sizes of the zip bombs are read back from the file just made. The tests
(tests/test_workbook_guard.py, tests/test_imports.py) make the cases in memory through `generated()`.
To look at the files, write them into one folder per case, each with an `expected.txt`
(the folders are git-ignored):

    uv run python tests/data/bad_workbooks/make_corpus.py

Every file is small: the zip bomb unpacks to 30 MB from about 30 kB, the "declared" bomb only claims
4 GB in its directory. Workbook cases are named `questionnaire.*` (or `kuesioner.xlsx`) and are
imported without a rubric, the shipped rubric being found by the workbook's stamp; CSV cases are
named `answers.csv` and are imported onto `sample_ministries/belmara-mfa-2025.json` (`BASE_CSV`).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import shutil
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import openpyxl  # noqa: E402

from toolkit.io.template import column_letters, cover_cell, questionnaire_bytes  # noqa: E402
from toolkit.model.catalogue import find_rubric  # noqa: E402

RUBRIC_ID, RUBRIC_VERSION = "digital-diplomacy", "1.0.0"
STAMP = (2026, 1, 1, 0, 0, 0)
BASE_CSV = REPO / "sample_ministries" / "belmara-mfa-2025.json"
CSV_HEADER = "indicator,level,value,na,na_reason,target,confidence,notes,evidence\n"

Case = Callable[[], tuple[str, bytes, list[str]]]
CASES: dict[str, Case] = {}


def case(function: Case) -> Case:
    CASES[function.__name__.replace("_", "-")] = function
    return function


# -- helpers -----------------------------------------------------------------------------------------

def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          drop: tuple[str, ...] = ()) -> bytes:
    """The zip with entries replaced, added or dropped, every entry stamped with one fixed date."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename in drop:
                continue
            content = replace.get(entry.filename, source.read(entry.filename))
            target.writestr(zipfile.ZipInfo(entry.filename, STAMP), content, zipfile.ZIP_DEFLATED)
        for name, content in add.items():
            target.writestr(zipfile.ZipInfo(name, STAMP), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def minimal_workbook() -> bytes:
    """An ordinary one-sheet workbook from openpyxl, with fixed entry dates."""
    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return rezip(buffer.getvalue())


def filled(language: str = "en") -> openpyxl.Workbook:
    """The shipped rubric's questionnaire with a valid cover and a few valid answers."""
    rubric = find_rubric(RUBRIC_ID, RUBRIC_VERSION)
    wb = openpyxl.load_workbook(io.BytesIO(questionnaire_bytes(rubric, language)))
    cover = wb.worksheets[0]
    cover[cover_cell("ministry_name")] = "Ministry of Foreign Affairs of Ruritania"
    cover[cover_cell("country")] = "Ruritania"
    cover[cover_cell("period")] = "2026"
    letters = column_letters(rubric)
    sheet = wb.worksheets[1]
    sheet[f"{letters['answer']}2"] = 2
    sheet[f"{letters['confidence']}2"] = "high" if language == "en" else "tinggi"
    return wb


def saved(wb: openpyxl.Workbook) -> bytes:
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 1, 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    return rezip(buffer.getvalue())


def letters() -> dict[str, str]:
    return column_letters(find_rubric(RUBRIC_ID, RUBRIC_VERSION))


# -- the defences: refused before openpyxl reads anything -------------------------------------------

@case
def zip_bomb() -> tuple[str, bytes, list[str]]:
    size = 30_000_000
    data = rezip(minimal_workbook(), replace={"xl/worksheets/sheet1.xml": b" " * size})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(entry.file_size for entry in archive.infolist())
        packed = archive.getinfo("xl/worksheets/sheet1.xml").compress_size
    return "questionnaire.xlsx", data, [
        f"questionnaire.xlsx: the archive would unpack to {total:,} bytes, more than the limit of 25,000,000 "
        "(a zip bomb?)",
        f"questionnaire.xlsx: xl/worksheets/sheet1.xml: compressed {size / packed:,.0f} to 1, more than the limit "
        "of 200 to 1 (a zip bomb?)",
    ]


@case
def zip_bomb_declared() -> tuple[str, bytes, list[str]]:
    """A small archive whose directory claims 4 GB: refused on the claim, before anything is unpacked."""
    name, claimed = "xl/worksheets/sheet1.xml", 4_000_000_000
    data = bytearray(minimal_workbook())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(name).header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, claimed)  # the local header's uncompressed size
    central = data.index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, claimed)  # the directory's uncompressed size
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        total = sum(entry.file_size for entry in archive.infolist())
        packed = archive.getinfo(name).compress_size
    return "questionnaire.xlsx", bytes(data), [
        f"questionnaire.xlsx: the archive would unpack to {total:,} bytes, more than the limit of 25,000,000 "
        "(a zip bomb?)",
        f"questionnaire.xlsx: xl/worksheets/sheet1.xml: compressed {claimed / packed:,.0f} to 1, more than the "
        "limit of 200 to 1 (a zip bomb?)",
    ]


@case
def zip_many_entries() -> tuple[str, bytes, list[str]]:
    extra = {f"x/{number}": b"" for number in range(600)}
    data = rezip(minimal_workbook(), add=extra)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        count = len(archive.infolist())
    return "questionnaire.xlsx", data, [
        f"questionnaire.xlsx: the archive holds {count:,} entries, more than the limit of 500 (a zip bomb?)"]


@case
def xml_bomb() -> tuple[str, bytes, list[str]]:
    """Billion laughs inside the questionnaire sheet's XML."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)]
    sheet = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(entities) + "]>\n"
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    data = rezip(saved(filled()), replace={"xl/worksheets/sheet2.xml": sheet.encode()})
    return "questionnaire.xlsx", data, [
        "questionnaire.xlsx: xl/worksheets/sheet2.xml: this part declares a document type (<!DOCTYPE>): "
        "workbooks never need one, and its entities can be an XML bomb; refused"]


@case
def macro_workbook() -> tuple[str, bytes, list[str]]:
    data = saved(filled())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    data = rezip(data, replace={"[Content_Types].xml": types},
                 add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504})
    return "questionnaire.xlsm", data, [
        'questionnaire.xlsm: xl/vbaProject.bin: the workbook contains macros (a VBA project), which are refused: '
        'save it as "Excel Workbook (.xlsx)" and try again']


@case
def external_link() -> tuple[str, bytes, list[str]]:
    link = (b'<?xml version="1.0" encoding="UTF-8"?>\n<externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships"/></externalLink>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/externalLinkPath" Target="file:///C:/secret/budget.xlsx" '
            b'TargetMode="External"/></Relationships>')
    data = rezip(saved(filled()), add={"xl/externalLinks/externalLink1.xml": link,
                                       "xl/externalLinks/_rels/externalLink1.xml.rels": rels})
    return "questionnaire.xlsx", data, [
        "questionnaire.xlsx: xl/externalLinks/externalLink1.xml: the workbook links to another workbook, which is "
        "refused: break the links in Excel (Data > Edit Links > Break Link) and save again"]


@case
def renamed_csv() -> tuple[str, bytes, list[str]]:
    data = (CSV_HEADER + "ins.official_accounts,3,,,,,high,,\n").encode()
    return "questionnaire.xlsx", data, [
        "questionnaire.xlsx: this is text (a CSV file with the wrong extension?), not an Excel .xlsx workbook: "
        "import it as a .csv file"]


def _ole(stream_names: list[str]) -> bytes:
    """An OLE compound-file header and a directory naming the streams (enough to recognise it)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    header += b"\0" * (512 - len(header))
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for name in stream_names)
    return header + directory


@case
def encrypted() -> tuple[str, bytes, list[str]]:
    return "questionnaire.xlsx", _ole(["Root Entry", "EncryptionInfo", "EncryptedPackage"]), [
        "questionnaire.xlsx: this workbook is encrypted (password-protected): remove the password in Excel "
        "(File > Info > Protect Workbook) and save it again as .xlsx"]


@case
def legacy_xls() -> tuple[str, bytes, list[str]]:
    return "questionnaire.xls", _ole(["Root Entry", "Workbook", "\x05SummaryInformation"]), [
        "questionnaire.xls: this is a legacy Excel 97-2003 (.xls) file or another Office 97 document, not an "
        ".xlsx workbook: open it in Excel and save it as .xlsx"]


@case
def pdf() -> tuple[str, bytes, list[str]]:
    data = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return "questionnaire.xlsx", data, [
        "questionnaire.xlsx: this is a PDF document, not an Excel .xlsx workbook"]


@case
def random_bytes() -> tuple[str, bytes, list[str]]:
    data = random.Random(4).randbytes(2048)
    return "questionnaire.xlsx", data, [
        "questionnaire.xlsx: this is an unrecognised kind of file, not an Excel .xlsx workbook"]


@case
def empty() -> tuple[str, bytes, list[str]]:
    return "questionnaire.xlsx", b"", ["questionnaire.xlsx: the file is empty"]


@case
def word_document() -> tuple[str, bytes, list[str]]:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.'
                               b'openxmlformats.org/package/2006/content-types"/>'),
                              ("word/document.xml", b'<?xml version="1.0"?><document/>')):
            archive.writestr(zipfile.ZipInfo(name, STAMP), content)
    return "questionnaire.xlsx", out.getvalue(), [
        "questionnaire.xlsx: this is a Word document (.docx), not an Excel .xlsx workbook"]


# -- the questionnaire read back: every problem by sheet and cell -------------------------------------

@case
def formula_cells() -> tuple[str, bytes, list[str]]:
    wb, col = filled(), letters()
    wb.worksheets[0][cover_cell("ministry_name")] = '=CONCAT("Ministry of ","Ruritania")'
    wb.worksheets[1][f"{col['answer']}2"] = "=2+2"
    wb.worksheets[1][f"{col['evidence']}3"] = '=HYPERLINK("https://x.example")'
    return "questionnaire.xlsx", saved(wb), [
        'questionnaire.xlsx: Cover!B4: a formula (=CONCAT("Ministry of ","Ruritania")) where a value belongs: '
        "type the value",
        "questionnaire.xlsx: Questionnaire!K2: a formula (=2+2) where a value belongs: type the value",
        'questionnaire.xlsx: Questionnaire!P3: a formula (=HYPERLINK("https://x.example")) where a value '
        "belongs: type the value",
    ]


@case
def level_out_of_range() -> tuple[str, bytes, list[str]]:
    wb, col = filled(), letters()
    sheet = wb.worksheets[1]
    sheet[f"{col['answer']}4"] = 7
    sheet[f"{col['target']}5"] = 9
    sheet[f"{col['answer']}6"] = 2.5
    sheet[f"{col['answer']}7"] = "three"
    return "questionnaire.xlsx", saved(wb), [
        "questionnaire.xlsx: Questionnaire!K4: level 7 is not allowed (0-4)",
        "questionnaire.xlsx: Questionnaire!L5: target level 9 is not allowed (0-4)",
        "questionnaire.xlsx: Questionnaire!K6: level 2.5 is not allowed (0-4)",
        'questionnaire.xlsx: Questionnaire!K7: level "three" is not allowed (0-4)',
    ]


@case
def missing_na_reason() -> tuple[str, bytes, list[str]]:
    wb, col = filled(), letters()
    sheet = wb.worksheets[1]
    sheet[f"{col['na']}8"] = "yes"
    sheet[f"{col['answer']}9"] = 2
    sheet[f"{col['na']}9"] = "yes"
    sheet[f"{col['na_reason']}9"] = "Not a function of this ministry"
    return "questionnaire.xlsx", saved(wb), [
        'questionnaire.xlsx: Questionnaire!O8: N/A is "yes" but no N/A reason is given',
        'questionnaire.xlsx: Questionnaire!K9: N/A is "yes" but a level is given too: keep one of the two',
    ]


@case
def other_rubric_version() -> tuple[str, bytes, list[str]]:
    wb = filled()
    wb["About"]["B5"] = "0.9.0"
    return "questionnaire.xlsx", saved(wb), [
        "questionnaire.xlsx: About!B5: the workbook was made for rubric digital-diplomacy version 0.9.0, which is "
        "not available (available: 1.0.0, 1.1.0)"]


@case
def unknown_indicator() -> tuple[str, bytes, list[str]]:
    wb, col = filled(), letters()
    sheet = wb.worksheets[1]
    sheet[f"{col['indicator']}3"] = "ins.visual_storytelin"
    sheet[f"{col['answer']}3"] = 3
    sheet[f"{col['notes']}60"] = "A note below the questionnaire"
    return "questionnaire.xlsx", saved(wb), [
        'questionnaire.xlsx: Questionnaire!B3: unknown indicator "ins.visual_storytelin" (did you mean '
        '"ins.visual_storytelling"?)',
        "questionnaire.xlsx: Questionnaire!Q60: an answer in a row without an indicator id",
    ]


@case
def missing_ministry() -> tuple[str, bytes, list[str]]:
    wb = filled()
    cover = wb.worksheets[0]
    for field in ("ministry_name", "country", "period"):
        cover[cover_cell(field)] = None
    cover[cover_cell("iso3")] = "Ruritania"
    cover[cover_cell("date")] = "31/03/2026"
    return "questionnaire.xlsx", saved(wb), [
        "questionnaire.xlsx: Cover!B4: the ministry name is missing",
        "questionnaire.xlsx: Cover!B5: the country is missing",
        'questionnaire.xlsx: Cover!B7: ISO 3166 alpha-3 code "Ruritania" is not three letters, like "IDN"',
        "questionnaire.xlsx: Cover!B9: the period is missing",
        'questionnaire.xlsx: Cover!B10: date "31/03/2026" is not a date in the form YYYY-MM-DD',
    ]


@case
def bad_choices() -> tuple[str, bytes, list[str]]:
    wb, col = filled(), letters()
    sheet = wb.worksheets[1]
    sheet[f"{col['confidence']}3"] = "sure"
    sheet[f"{col['na']}4"] = "maybe"
    sheet[f"{col['answer']}17"] = "3,5"
    sheet[f"{col['answer']}22"] = "about 60%"
    sheet[f"{col['evidence']}5"] = "https://mfa.example/report\njavascript:alert(1)"
    return "questionnaire.xlsx", saved(wb), [
        'questionnaire.xlsx: Questionnaire!M3: confidence "sure" is not allowed (high, medium, low)',
        'questionnaire.xlsx: Questionnaire!N4: N/A "maybe" is not allowed (yes, no)',
        'questionnaire.xlsx: Questionnaire!P5: evidence "javascript:alert(1)" is not allowed: give an http:// '
        "or https:// address or a plain description",
        'questionnaire.xlsx: Questionnaire!K17: value "3,5" has a comma: write numbers with a decimal point and '
        "no thousands separator (3.5, not 3,5)",
        'questionnaire.xlsx: Questionnaire!K22: value "about 60%" is not a number',
    ]


@case
def changed_layout() -> tuple[str, bytes, list[str]]:
    wb, col = filled(), letters()
    wb.worksheets[1][f"{col['answer']}1"] = "Level"
    return "questionnaire.xlsx", saved(wb), [
        'questionnaire.xlsx: Questionnaire!K1: expected the column "Answer: level, or value for a metric", found '
        '"Level": columns were added, moved or renamed']


@case
def indonesian_errors() -> tuple[str, bytes, list[str]]:
    """An Indonesian questionnaire is answered in Indonesian, wherever it is read (SPEC 13, issue 14)."""
    wb, col = filled("id"), letters()
    wb.worksheets[0][cover_cell("period")] = None
    wb.worksheets[0][cover_cell("iso3")] = "Indonesia"
    sheet = wb.worksheets[1]
    sheet[f"{col['answer']}3"] = 9
    sheet[f"{col['confidence']}3"] = "yakin"
    sheet[f"{col['na']}4"] = "ya"
    sheet[f"{col['target']}5"] = "=1+2"
    sheet[f"{col['evidence']}5"] = "javascript:alert(1)"
    sheet[f"{col['answer']}6"] = "tiga"
    rubric = find_rubric(RUBRIC_ID, RUBRIC_VERSION)
    metric = 2 + next(number for number, indicator in enumerate(rubric.indicators())
                      if indicator.is_metric and number > 5)
    sheet[f"{col['answer']}{metric}"] = "4,5"
    sheet[f"{col['indicator']}{metric + 1}"] = "ins.oficial_accounts"
    return "kuesioner.xlsx", saved(wb), [
        'kuesioner.xlsx: Sampul!B7: kode ISO 3166 alfa-3 "Indonesia" bukan tiga huruf, seperti "IDN"',
        "kuesioner.xlsx: Sampul!B9: periode belum diisi",
        "kuesioner.xlsx: Kuesioner!K3: tingkat 9 tidak diizinkan (0-4)",
        'kuesioner.xlsx: Kuesioner!M3: keyakinan "yakin" tidak diizinkan (tinggi, sedang, rendah)',
        'kuesioner.xlsx: Kuesioner!O4: T/B berisi "ya" tetapi alasan T/B tidak diisi',
        "kuesioner.xlsx: Kuesioner!L5: ada rumus (=1+2) di tempat yang seharusnya berisi nilai: ketik nilainya",
        'kuesioner.xlsx: Kuesioner!P5: bukti "javascript:alert(1)" tidak diizinkan: isi alamat http:// atau '
        "https:// atau keterangan biasa",
        'kuesioner.xlsx: Kuesioner!K6: tingkat "tiga" tidak diizinkan (0-4)',
        f'kuesioner.xlsx: Kuesioner!K{metric}: nilai "4,5" memakai koma: tulis angka dengan titik desimal dan '
        "tanpa pemisah ribuan (3.5, bukan 3,5)",
        f'kuesioner.xlsx: Kuesioner!B{metric + 1}: indikator "ins.oficial_accounts" tidak dikenal (maksud Anda '
        '"ins.official_accounts"?)',
    ]


# -- answers CSV: read as text, problems by row ----------------------------------------------------

@case
def csv_decimal_comma() -> tuple[str, bytes, list[str]]:
    text = CSV_HEADER + 'ins.official_accounts,3,,,,,high,,\ncri.first_statement_hours,,"4,5",,,,,,\n'
    return "answers.csv", text.encode(), [
        'answers.csv: row 3: value "4,5" has a comma: write numbers with a decimal point and no thousands '
        "separator (3.5, not 3,5)"]


@case
def csv_semicolon_decimal_comma() -> tuple[str, bytes, list[str]]:
    text = CSV_HEADER.replace(",", ";") + "ins.official_accounts;3;;;;;high;;\nres.audience_concentration;;62,5;;;;;;\n"
    return "answers.csv", text.encode(), [
        'answers.csv: row 3: value "62,5" has a comma: write numbers with a decimal point and no thousands '
        "separator (3.5, not 3,5)"]


@case
def csv_wrong_column_count() -> tuple[str, bytes, list[str]]:
    text = (CSV_HEADER + "ins.official_accounts,3,,,,,high,,\nins.visual_storytelling,2,,,,,low,,\n"
            "ins.hashtag_campaigns,2,,,,,medium,Campaigns, mostly around summits,\n")
    return "answers.csv", text.encode(), [
        'answers.csv: row 4: 10 fields, but the header has 9 (a stray ","? put text that contains one in double '
        "quotes)"]


@case
def csv_latin1() -> tuple[str, bytes, list[str]]:
    text = CSV_HEADER + "ins.official_accounts,3,,,,,high,Revue de presse du minist\u00e8re,\n"
    return "answers.csv", text.encode("cp1252"), [
        'answers.csv: line 2, column 59: not UTF-8 text: byte 0xE8 is not UTF-8; it looks like Windows-1252 (ANSI) '
        'or Latin-1 text; save it as "CSV UTF-8"']


@case
def csv_utf16() -> tuple[str, bytes, list[str]]:
    text = CSV_HEADER + "ins.official_accounts,3,,,,,high,,\n"
    return "answers.csv", text.encode("utf-16"), [
        'answers.csv: not UTF-8 text: the file is UTF-16 text (Excel\'s "Unicode Text"); save it as "CSV UTF-8"']


@case
def csv_workbook_renamed() -> tuple[str, bytes, list[str]]:
    return "answers.csv", minimal_workbook(), [
        "answers.csv: this is a zip archive (an .xlsx workbook?), not CSV text: import it as a workbook (.xlsx)"]


@case
def csv_bad_values() -> tuple[str, bytes, list[str]]:
    text = (CSV_HEADER
            + "ins.official_accounts,7,,,,,high,,\n"
            + "ins.visual_storytelling,2,,NA,,,,,\n"
            + "ins.hashtag_campaigns,2,,,,,sure,,\n"
            + "ins.social_listenin,2,,,,,,,\n"
            + "cri.first_statement_hours,3,,,,,,,\n"
            + "ins.public_engagement,,,yes,,,,,\n"
            + 'ins.cyber_diplomacy,2,,,,,,,"data:text/html,<script>alert(1)</script>"\n'
            + "ins.official_accounts,1,,,,,,,\n")
    return "answers.csv", text.encode(), [
        "answers.csv: row 2: level 7 is not allowed (0-4)",
        'answers.csv: row 3: N/A "NA" is not allowed (yes, no)',
        'answers.csv: row 4: confidence "sure" is not allowed (high, medium, low)',
        'answers.csv: row 5: unknown indicator "ins.social_listenin" (did you mean "ins.social_listening"?)',
        'answers.csv: row 6: "cri.first_statement_hours" is a metric indicator: give a value, not a level',
        'answers.csv: row 7: N/A is "yes" but no N/A reason is given',
        'answers.csv: row 8: evidence "data:text/html,<script>alert(1)</script>" is not allowed: give an http:// or '
        "https:// address or a plain description",
        'answers.csv: row 9: indicator "ins.official_accounts" is answered twice (first at row 2)',
    ]


@case
def csv_bad_header() -> tuple[str, bytes, list[str]]:
    text = "indicator,levle,value,comment\nins.official_accounts,3,,\n"
    return "answers.csv", text.encode(), [
        'answers.csv: row 1: unknown column "levle" (did you mean "level"?) (the columns are: indicator, level, '
        "value, na, na_reason, target, confidence, notes, evidence)",
        'answers.csv: row 1: unknown column "comment" (the columns are: indicator, level, value, na, na_reason, '
        "target, confidence, notes, evidence)",
    ]


@functools.cache
def generated() -> dict[str, tuple[str, bytes, tuple[str, ...]]]:
    """Every case, made once: name -> (file name, content, expected message lines)."""
    made = {}
    for name, make in CASES.items():
        file_name, data, expected = make()
        made[name] = (file_name, data, tuple(expected))
    return made


def build(folder: Path = HERE) -> list[str]:
    """Write every case under `folder` (replacing old case folders); return the case names."""
    for name, (file_name, data, expected) in generated().items():
        target = folder / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        (target / file_name).write_bytes(data)
        (target / "expected.txt").write_text("\n".join(expected) + "\n", encoding="utf-8")
    return list(CASES)


if __name__ == "__main__":
    for written in build():
        print(written)
