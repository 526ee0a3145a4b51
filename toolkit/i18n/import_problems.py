"""The problems an import reports, in both languages (toolkit/io/fields.py, workbook_guard.py, answers_csv.py).

`imp_<code>` is the message of import code `<code>`, `guard_<code>` that of a workbook-guard code;
`imp_w_*` and `guard_w_*` are the words and phrases the messages are filled with. A questionnaire's
problems are given in the workbook's own language (its About sheet says which), so an Indonesian
questionnaire is answered in Indonesian wherever it is imported.
"""

STRINGS: dict[str, dict[str, str]] = {
    # --- import codes (toolkit.io.fields.CODES) -------------------------------------------------------
    "imp_not-questionnaire": {
        "en": "this workbook is not a ddmt questionnaire ({detail}): make one with \"ddmt template\" or on the "
              "app's import page",
        "id": "buku kerja ini bukan kuesioner ddmt ({detail}): buat kuesioner dengan \"ddmt template\" atau di "
              "halaman impor aplikasi"},
    "imp_questionnaire-format": {
        "en": "questionnaire format {found} is not read by this version of ddmt (it reads format {expected}): make "
              "a new questionnaire with \"ddmt template\"",
        "id": "format kuesioner {found} tidak dapat dibaca oleh versi ddmt ini (yang dibaca: format {expected}): "
              "buat kuesioner baru dengan \"ddmt template\""},
    "imp_missing-sheet": {"en": "the sheet \"{sheet}\" is missing", "id": "lembar \"{sheet}\" tidak ada"},
    "imp_changed-layout": {
        "en": "expected the column \"{expected}\", found {found}: columns were added, moved or renamed",
        "id": "seharusnya kolom \"{expected}\", ditemukan {found}: ada kolom yang ditambah, dipindah, atau diganti "
              "namanya"},
    "imp_other-rubric": {
        "en": "the workbook was made for rubric {id} version {version}, not {given_id} version {given_version}: "
              "make a new questionnaire for this rubric",
        "id": "buku kerja ini dibuat untuk rubrik {id} versi {version}, bukan {given_id} versi {given_version}: "
              "buat kuesioner baru untuk rubrik ini"},
    "imp_rubric-unavailable": {
        "en": "the workbook was made for rubric {id} version {version}, which is not available{available}",
        "id": "buku kerja ini dibuat untuk rubrik {id} versi {version}, yang tidak tersedia{available}"},
    "imp_respondent-questionnaire": {
        "en": "this questionnaire was made for respondent {id} ({name}) of round {round}: import it into that round "
              "as their response, not as a round of its own",
        "id": "kuesioner ini dibuat untuk responden {id} ({name}) pada putaran {round}: impor ke putaran tersebut "
              "sebagai jawaban responden itu, bukan sebagai putaran tersendiri"},
    "imp_formula-cell": {"en": "a formula ({formula}) where a value belongs: type the value",
                         "id": "ada rumus ({formula}) di tempat yang seharusnya berisi nilai: ketik nilainya"},
    "imp_error-cell": {"en": "an error value ({value}) where a value belongs",
                       "id": "ada nilai galat ({value}) di tempat yang seharusnya berisi nilai"},
    "imp_level-not-allowed": {"en": "{field} {value} is not allowed ({low}-{high})",
                              "id": "{field} {value} tidak diizinkan ({low}-{high})"},
    "imp_not-a-number": {"en": "{field} {value} is not a number", "id": "{field} {value} bukan angka"},
    "imp_decimal-comma": {
        "en": "{field} {value} has a comma: write numbers with a decimal point and no thousands separator "
              "({example})",
        "id": "{field} {value} memakai koma: tulis angka dengan titik desimal dan tanpa pemisah ribuan "
              "({example})"},
    "imp_choice-not-allowed": {"en": "{field} {value} is not allowed ({allowed})",
                               "id": "{field} {value} tidak diizinkan ({allowed})"},
    "imp_na-without-reason": {"en": "N/A is {yes} but no N/A reason is given",
                              "id": "T/B berisi {yes} tetapi alasan T/B tidak diisi"},
    "imp_na-with-answer": {"en": "N/A is {yes} but a {what} is given too: keep one of the two",
                           "id": "T/B berisi {yes} tetapi {what} juga diisi: pertahankan salah satunya"},
    "imp_answer-kind": {"en": "{id} is a {kind} indicator: give a {expected}, not a {given}",
                        "id": "{id} adalah indikator {kind}: isi {expected}, bukan {given}"},
    "imp_missing-field": {"en": "the {field} is missing", "id": "{field} belum diisi"},
    "imp_bad-field": {"en": "{field} {value} is not {what}", "id": "{field} {value} bukan {what}"},
    "imp_unknown-row-indicator": {"en": "unknown indicator {id}{hint}", "id": "indikator {id} tidak dikenal{hint}"},
    "imp_duplicate-row": {"en": "indicator {id} is answered twice (first at {first})",
                          "id": "indikator {id} dijawab dua kali (pertama di {first})"},
    "imp_row-without-indicator": {"en": "an answer in a row without an indicator id",
                                  "id": "ada jawaban di baris tanpa kode indikator"},
    "imp_unsafe-evidence": {
        "en": "evidence {value} is not allowed: give an http:// or https:// address or a plain description{advice}",
        "id": "bukti {value} tidak diizinkan: isi alamat http:// atau https:// atau keterangan biasa{advice}"},
    "imp_broken-link": {
        "en": "evidence {value} looks like a web address but is not one: write it in full, starting with https:// "
              "(kept as text it would count as evidence no one can open)",
        "id": "bukti {value} tampak seperti alamat web tetapi bukan: tulis lengkap, diawali https:// (jika "
              "disimpan sebagai teks, bukti ini tidak dapat dibuka siapa pun)"},
    "imp_csv-encoding": {"en": "not UTF-8 text: {detail}; save it as \"CSV UTF-8\"",
                         "id": "bukan teks UTF-8: {detail}; simpan sebagai \"CSV UTF-8\""},
    "imp_not-csv": {"en": "this is {what}, not CSV text{advice}", "id": "ini adalah {what}, bukan teks CSV{advice}"},
    "imp_csv-malformed": {"en": "malformed CSV: {detail}", "id": "CSV rusak: {detail}"},
    "imp_csv-header": {"en": "{detail}", "id": "{detail}"},
    "imp_csv-field-count": {
        "en": "{count} fields, but the header has {expected} (a stray {delimiter}? put text that contains one in "
              "double quotes)",
        "id": "{count} kolom, padahal judulnya memuat {expected} (ada {delimiter} yang terselip? apit teks yang "
              "memuatnya dengan tanda petik ganda)"},
    "imp_csv-needs-base": {"en": "a CSV file holds only answers: give the assessment they belong to",
                           "id": "berkas CSV hanya memuat jawaban: sertakan asesmen pemilik jawaban tersebut"},
    "imp_too-many-rows": {"en": "more than {limit:,} rows", "id": "lebih dari {limit:,} baris"},
    # --- a respondent's questionnaire (toolkit.io.respondent_copies.CODES) --------------------------------
    "resp_not-respondent-copy": {
        "en": "this questionnaire was not made for a respondent: import it as a round, or make one for the respondent",
        "id": "kuesioner ini tidak dibuat untuk seorang responden: impor sebagai putaran, atau buat kuesioner untuk "
              "responden tersebut"},
    "resp_tampered-stamp": {
        "en": "{field} {found} differs from the questionnaire as it was made ({made}): the About sheet was changed; "
              "send the respondent a new copy",
        "id": "{field} {found} berbeda dari kuesioner saat dibuat ({made}): lembar About telah diubah; kirimkan salinan "
              "baru kepada responden"},
    "resp_other-round": {"en": "this questionnaire is for round {found}, not {expected}: import it into its own round",
                         "id": "kuesioner ini untuk putaran {found}, bukan {expected}: impor ke putarannya sendiri"},
    "resp_other-ministry": {"en": "this questionnaire is for ministry {found}, not {expected}",
                            "id": "kuesioner ini untuk kementerian {found}, bukan {expected}"},
    "resp_unknown-respondent": {
        "en": "respondent {id} is not a respondent of round {round}: invite them first, or use the copy made for them",
        "id": "{id} bukan responden putaran {round}: undang terlebih dahulu, atau gunakan salinan yang dibuat untuknya"},
    # --- words the import messages are filled with ------------------------------------------------------
    "imp_w_level": {"en": "level", "id": "tingkat"},
    "imp_w_target": {"en": "target level", "id": "tingkat sasaran"},
    "imp_w_value": {"en": "value", "id": "nilai"},
    "imp_w_metric": {"en": "metric", "id": "metrik"},
    "imp_w_confidence": {"en": "confidence", "id": "keyakinan"},
    "imp_w_na": {"en": "N/A", "id": "T/B"},
    "imp_w_example": {"en": "3.5, not 3,5", "id": "3.5, bukan 3,5"},
    "imp_w_did_you_mean": {"en": " (did you mean \"{value}\"?)", "id": " (maksud Anda \"{value}\"?)"},
    "imp_w_attach_files": {"en": ": attach files in the app", "id": ": lampirkan berkas di aplikasi"},
    "imp_w_available": {"en": " (available: {versions})", "id": " (yang tersedia: {versions})"},
    "imp_w_no_about": {"en": "no \"{sheet}\" sheet", "id": "tidak ada lembar \"{sheet}\""},
    "imp_w_not_format": {"en": "its {sheet} sheet does not say \"{format}\"",
                         "id": "lembar {sheet}-nya tidak menyebut \"{format}\""},
    "imp_w_no_format_version": {"en": "the version of its format is not recorded",
                                "id": "versi formatnya tidak tercatat"},
    "imp_w_no_language": {"en": "the language it was made in is not recorded",
                          "id": "bahasa pembuatannya tidak tercatat"},
    "imp_w_unknown_language": {"en": "unknown language {value}", "id": "bahasa {value} tidak dikenal"},
    "imp_w_no_rubric": {"en": "the rubric it was made for is not recorded",
                        "id": "rubrik yang menjadi dasarnya tidak tercatat"},
    "imp_w_ministry_name": {"en": "ministry name", "id": "nama kementerian"},
    "imp_w_country": {"en": "country", "id": "negara"},
    "imp_w_ministry_id": {"en": "ministry identifier", "id": "pengenal kementerian"},
    "imp_w_ministry_id_unmade": {"en": "ministry identifier (it cannot be made from the name)",
                                 "id": "pengenal kementerian (tidak dapat dibuat dari nama)"},
    "imp_w_iso3": {"en": "ISO 3166 alpha-3 code", "id": "kode ISO 3166 alfa-3"},
    "imp_w_region": {"en": "region", "id": "kawasan"},
    "imp_w_period": {"en": "period", "id": "periode"},
    "imp_w_date": {"en": "date", "id": "tanggal"},
    "imp_w_assessors": {"en": "assessors", "id": "penilai"},
    "imp_w_date_form": {"en": "a date in the form YYYY-MM-DD", "id": "tanggal berformat TTTT-BB-HH"},
    "imp_w_iso3_form": {"en": "three letters, like \"IDN\"", "id": "tiga huruf, seperti \"IDN\""},
    "imp_w_id_form": {"en": "lowercase letters, digits, '-', '_' and '.'",
                      "id": "huruf kecil, angka, '-', '_' dan '.'"},
    "imp_w_row": {"en": "row {number}", "id": "baris {number}"},
    "imp_w_line_column": {"en": "line {line}, column {column}", "id": "baris {line}, kolom {column}"},
    "imp_w_utf16": {"en": "the file is UTF-16 text (Excel's \"Unicode Text\")",
                    "id": "berkas ini teks UTF-16 (\"Unicode Text\" dari Excel)"},
    "imp_w_not_utf8": {"en": "byte 0x{byte} is not UTF-8", "id": "bita 0x{byte} bukan UTF-8"},
    "imp_w_cp1252": {"en": "; it looks like Windows-1252 (ANSI) or Latin-1 text",
                     "id": "; tampaknya teks Windows-1252 (ANSI) atau Latin-1"},
    "imp_w_binary": {"en": "binary data", "id": "data biner"},
    "imp_w_as_workbook": {"en": ": import it as a workbook (.xlsx)", "id": ": impor sebagai buku kerja (.xlsx)"},
    "imp_w_unknown_column": {"en": "unknown column {column}{hint} (the columns are: {listing})",
                             "id": "kolom {column} tidak dikenal{hint} (kolomnya: {listing})"},
    "imp_w_column_twice": {"en": "the column {column} appears twice", "id": "kolom {column} muncul dua kali"},
    "imp_w_indicator_missing": {"en": "the column \"indicator\" is missing (the columns are: {listing})",
                                "id": "kolom \"indicator\" tidak ada (kolomnya: {listing})"},
    "imp_w_tab": {"en": "tab", "id": "tab"},
    # --- workbook-guard codes (toolkit.io.workbook_guard.CODES) -----------------------------------------
    "guard_empty-file": {"en": "the file is empty", "id": "berkas ini kosong"},
    "guard_file-too-large": {"en": "the file is larger than the limit of {limit:,} bytes",
                             "id": "berkas ini melebihi batas {limit:,} bita"},
    "guard_encrypted-workbook": {
        "en": "this workbook is encrypted (password-protected): remove the password in Excel (File > Info > "
              "Protect Workbook) and save it again as .xlsx",
        "id": "buku kerja ini terenkripsi (dilindungi kata sandi): hapus kata sandinya di Excel (File > Info > "
              "Protect Workbook) lalu simpan lagi sebagai .xlsx"},
    "guard_legacy-workbook": {
        "en": "this is a legacy Excel 97-2003 (.xls) file or another Office 97 document, not an .xlsx workbook: "
              "open it in Excel and save it as .xlsx",
        "id": "ini berkas Excel 97-2003 (.xls) lama atau dokumen Office 97 lain, bukan buku kerja .xlsx: buka di "
              "Excel lalu simpan sebagai .xlsx"},
    "guard_not-xlsx": {"en": "this is {what}, not an Excel .xlsx workbook{advice}",
                       "id": "ini adalah {what}, bukan buku kerja Excel .xlsx{advice}"},
    "guard_zip-damaged": {"en": "the workbook's zip archive is damaged: {detail}",
                          "id": "arsip zip buku kerja ini rusak: {detail}"},
    "guard_zip-too-many-entries": {
        "en": "the archive holds {count:,} entries, more than the limit of {limit:,} (a zip bomb?)",
        "id": "arsip ini memuat {count:,} entri, melebihi batas {limit:,} (bom zip?)"},
    "guard_zip-too-large": {
        "en": "the archive would unpack to {size:,} bytes, more than the limit of {limit:,} (a zip bomb?)",
        "id": "arsip ini akan terurai menjadi {size:,} bita, melebihi batas {limit:,} (bom zip?)"},
    "guard_zip-ratio": {"en": "compressed {ratio:,.0f} to 1, more than the limit of {limit:,.0f} to 1 (a zip bomb?)",
                        "id": "dimampatkan {ratio:,.0f} banding 1, melebihi batas {limit:,.0f} banding 1 (bom zip?)"},
    "guard_zip-method": {"en": "compressed with method {method}, which Excel workbooks never use",
                         "id": "dimampatkan dengan metode {method}, yang tidak pernah dipakai buku kerja Excel"},
    "guard_zip-entry-encrypted": {"en": "this entry is encrypted inside the archive",
                                  "id": "entri ini terenkripsi di dalam arsip"},
    "guard_macro-workbook": {
        "en": "the workbook contains macros ({what}), which are refused: save it as \"Excel Workbook (.xlsx)\" "
              "and try again",
        "id": "buku kerja ini memuat makro ({what}), yang ditolak: simpan sebagai \"Excel Workbook (.xlsx)\" "
              "lalu coba lagi"},
    "guard_external-link": {
        "en": "the workbook links to another workbook, which is refused: break the links in Excel (Data > Edit "
              "Links > Break Link) and save again",
        "id": "buku kerja ini bertaut ke buku kerja lain, yang ditolak: putuskan tautannya di Excel (Data > Edit "
              "Links > Break Link) lalu simpan lagi"},
    "guard_data-connection": {
        "en": "the workbook has external data connections or queries, which are refused: remove them and save "
              "again",
        "id": "buku kerja ini memiliki koneksi data eksternal atau kueri, yang ditolak: hapus lalu simpan lagi"},
    "guard_xml-dtd": {
        "en": "this part declares a document type (<!DOCTYPE>): workbooks never need one, and its entities can be "
              "an XML bomb; refused",
        "id": "bagian ini mendeklarasikan tipe dokumen (<!DOCTYPE>): buku kerja tidak pernah memerlukannya, dan "
              "entitasnya dapat menjadi bom XML; ditolak"},
    "guard_xml-refused": {
        "en": "the workbook's XML declares entities or a document type, which the parser refused (an XML bomb?)",
        "id": "XML buku kerja ini mendeklarasikan entitas atau tipe dokumen, yang ditolak pengurai (bom XML?)"},
    "guard_unsafe-xml-parser": {
        "en": "workbooks cannot be read safely: openpyxl is not parsing XML through defusedxml (install "
              "defusedxml and do not set OPENPYXL_DEFUSEDXML=False)",
        "id": "buku kerja tidak dapat dibaca dengan aman: openpyxl tidak mengurai XML melalui defusedxml (pasang "
              "defusedxml dan jangan setel OPENPYXL_DEFUSEDXML=False)"},
    "guard_unreadable-workbook": {"en": "the workbook cannot be read: {detail}",
                                  "id": "buku kerja ini tidak dapat dibaca: {detail}"},
    "guard_w_ole": {"en": "an encrypted workbook or an Excel 97-2003 (.xls) file",
                    "id": "buku kerja terenkripsi atau berkas Excel 97-2003 (.xls)"},
    "guard_w_zip": {"en": "a zip archive (an .xlsx workbook?)", "id": "arsip zip (buku kerja .xlsx?)"},
    "guard_w_pdf": {"en": "a PDF document", "id": "dokumen PDF"},
    "guard_w_png": {"en": "a PNG image", "id": "gambar PNG"},
    "guard_w_jpeg": {"en": "a JPEG image", "id": "gambar JPEG"},
    "guard_w_gif": {"en": "a GIF image", "id": "gambar GIF"},
    "guard_w_rtf": {"en": "an RTF document", "id": "dokumen RTF"},
    "guard_w_html": {"en": "an HTML or XML file", "id": "berkas HTML atau XML"},
    "guard_w_save_xlsx": {"en": ": open it in Excel and save it as .xlsx",
                          "id": ": buka di Excel lalu simpan sebagai .xlsx"},
    "guard_w_text": {"en": "text (a CSV file with the wrong extension?)",
                     "id": "teks (berkas CSV dengan ekstensi yang salah?)"},
    "guard_w_as_csv": {"en": ": import it as a .csv file", "id": ": impor sebagai berkas .csv"},
    "guard_w_unknown": {"en": "an unrecognised kind of file", "id": "jenis berkas yang tidak dikenal"},
    "guard_w_vba": {"en": "a VBA project", "id": "proyek VBA"},
    "guard_w_activex": {"en": "ActiveX controls", "id": "kontrol ActiveX"},
    "guard_w_xlsb": {"en": "an Excel binary workbook (.xlsb)", "id": "buku kerja biner Excel (.xlsb)"},
    "guard_w_save_as_xlsx": {"en": ": save it as \"Excel Workbook (.xlsx)\"",
                             "id": ": simpan sebagai \"Excel Workbook (.xlsx)\""},
    "guard_w_ods": {"en": "an OpenDocument spreadsheet (.ods)", "id": "lembar kerja OpenDocument (.ods)"},
    "guard_w_odf": {"en": "an OpenDocument file", "id": "berkas OpenDocument"},
    "guard_w_docx": {"en": "a Word document (.docx)", "id": "dokumen Word (.docx)"},
    "guard_w_pptx": {"en": "a PowerPoint presentation (.pptx)", "id": "presentasi PowerPoint (.pptx)"},
    "guard_w_empty_zip": {"en": "a zip archive without an Excel workbook in it",
                          "id": "arsip zip tanpa buku kerja Excel di dalamnya"},
    "guard_w_macro_type": {"en": "a macro-enabled workbook type", "id": "jenis buku kerja bermakro"},
}
