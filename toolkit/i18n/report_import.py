"""Interface strings for the offline questionnaire and its import."""

# reports: questionnaire and import (toolkit/io/template.py, toolkit/io/imports.py, toolkit/cli/imports.py)
STRINGS: dict[str, dict[str, str]] = {
    "qn_sheet_cover": {"en": "Cover", "id": "Sampul"},
    "qn_sheet_questionnaire": {"en": "Questionnaire", "id": "Kuesioner"},
    "qn_title": {"en": "{rubric}: questionnaire", "id": "{rubric}: kuesioner"},
    "qn_subtitle": {"en": "Rubric {id}, version {version}. Fill in offline and send back as .xlsx.",
                    "id": "Rubrik {id}, versi {version}. Isi secara luring lalu kirim kembali sebagai .xlsx."},
    "qn_cover_fields": {"en": "The ministry and this round", "id": "Kementerian dan putaran ini"},
    "qn_cover_how": {"en": "How to fill in this questionnaire", "id": "Cara mengisi kuesioner ini"},
    "qn_field_ministry_name": {"en": "Ministry name", "id": "Nama kementerian"},
    "qn_field_country": {"en": "Country", "id": "Negara"},
    "qn_field_ministry_id": {"en": "Ministry identifier", "id": "Pengenal kementerian"},
    "qn_field_iso3": {"en": "ISO 3166 alpha-3 code", "id": "Kode ISO 3166 alfa-3"},
    "qn_field_region": {"en": "Region", "id": "Kawasan"},
    "qn_field_period": {"en": "Period (round)", "id": "Periode (putaran)"},
    "qn_field_date": {"en": "Date completed", "id": "Tanggal selesai"},
    "qn_field_assessors": {"en": "Assessors", "id": "Penilai"},
    "qn_hint_ministry_name": {"en": "Required, e.g. Ministry of Foreign Affairs of ...",
                              "id": "Wajib, misalnya Kementerian Luar Negeri ..."},
    "qn_hint_country": {"en": "Required", "id": "Wajib"},
    "qn_hint_ministry_id": {"en": "Optional: lowercase letters, digits, '-', '_' and '.'; made from the name if empty",
                            "id": "Opsional: huruf kecil, angka, '-', '_' dan '.'; dibuat dari nama jika kosong"},
    "qn_hint_iso3": {"en": "Optional: three capital letters, e.g. IDN", "id": "Opsional: tiga huruf kapital, misalnya IDN"},
    "qn_hint_region": {"en": "Optional, e.g. South-East Asia", "id": "Opsional, misalnya Asia Tenggara"},
    "qn_hint_period": {"en": "Required, e.g. 2026 or 2026-Q1", "id": "Wajib, misalnya 2026 atau 2026-Q1"},
    "qn_hint_date": {"en": "Optional, YYYY-MM-DD; the day of the import if empty",
                     "id": "Opsional, TTTT-BB-HH; tanggal impor jika kosong"},
    "qn_hint_assessors": {"en": "Optional: names or roles, separated by semicolons (;)",
                          "id": "Opsional: nama atau jabatan, dipisahkan dengan titik koma (;)"},
    "qn_how_1": {"en": "Fill in the yellow cells only. Everything else is protected against accidental changes "
                       "(there is no password), and the import reads only the yellow cells.",
                 "id": "Isi sel berwarna kuning saja. Bagian lain dilindungi agar tidak berubah tanpa sengaja "
                       "(tanpa kata sandi), dan impor hanya membaca sel kuning."},
    "qn_how_2": {"en": "On this sheet, give the ministry, its country, the period (the round, e.g. 2026) and the "
                       "assessors.",
                 "id": "Di lembar ini, isi nama kementerian, negaranya, periode (putaran penilaian, misalnya 2026), "
                       "dan para penilai."},
    "qn_how_3": {"en": "The {sheet} sheet has one row per indicator. Read the question and the level descriptors, "
                       "then choose in the answer column the level that is true today. The comments on the cells "
                       "(point at a cell with a red corner) give guidance and the evidence that would show each level.",
                 "id": "Lembar {sheet} memuat satu baris untuk setiap indikator. Baca pertanyaan dan deskripsi "
                       "setiap tingkat, lalu pilih di kolom jawaban tingkat yang sesuai dengan keadaan saat ini. "
                       "Komentar pada sel (arahkan penunjuk ke sel bersudut merah) memuat panduan dan bukti yang "
                       "dapat menunjukkan setiap tingkat."},
    "qn_how_4": {"en": "For a metric (a row with a unit), type the measured number in that unit instead of a level, "
                       "as a number, not as text.",
                 "id": "Untuk metrik (baris yang memiliki satuan), ketik angka hasil pengukuran dalam satuan "
                       "tersebut, bukan tingkat, sebagai angka dan bukan teks."},
    "qn_how_5": {"en": "Confidence says how sure you are of the answer; the target level is where the ministry "
                       "aims to be.",
                 "id": "Keyakinan menunjukkan seberapa yakin Anda atas jawaban; tingkat sasaran adalah tingkat "
                       "yang ingin dicapai kementerian."},
    "qn_how_6": {"en": "Choose yes under N/A only if the indicator does not apply to the ministry, and always give "
                       "the reason. A row left empty counts as not answered, not as 0.",
                 "id": "Pilih ya pada kolom T/B hanya jika indikator tidak berlaku bagi kementerian, dan selalu "
                       "tuliskan alasannya. Baris yang dibiarkan kosong dihitung belum dijawab, bukan 0."},
    "qn_how_7": {"en": "Evidence: one item per line, either a web address starting with https:// or a short "
                       "description of a document.",
                 "id": "Bukti: satu butir per baris, berupa alamat web yang diawali https:// atau keterangan "
                       "singkat tentang suatu dokumen."},
    "qn_how_8": {"en": "Type values, not formulas: a formula is refused on import. Do not add, move or delete rows, "
                       "columns or sheets.",
                 "id": "Ketik nilai, bukan rumus: rumus ditolak saat impor. Jangan menambah, memindahkan, atau "
                       "menghapus baris, kolom, atau lembar."},
    "qn_how_9": {"en": "Save the file as an Excel workbook (.xlsx) and send it back. It is read with \"ddmt import\" "
                       "or on the app's import page, which lists any problem by sheet and cell.",
                 "id": "Simpan berkas sebagai buku kerja Excel (.xlsx) lalu kirim kembali. Berkas dibaca dengan "
                       "\"ddmt import\" atau di halaman impor aplikasi, yang mencantumkan setiap masalah beserta "
                       "lembar dan selnya."},
    "qn_col_dimension": {"en": "Dimension", "id": "Dimensi"},
    "qn_col_indicator": {"en": "Indicator id", "id": "Kode indikator"},
    "qn_col_title": {"en": "Indicator", "id": "Indikator"},
    "qn_col_question": {"en": "Question", "id": "Pertanyaan"},
    "qn_col_unit": {"en": "Unit (metrics)", "id": "Satuan (metrik)"},
    "qn_col_level": {"en": "Level {value}: {label}", "id": "Tingkat {value}: {label}"},
    "qn_col_answer": {"en": "Answer: level, or value for a metric", "id": "Jawaban: tingkat, atau nilai untuk metrik"},
    "qn_col_target": {"en": "Target level", "id": "Tingkat sasaran"},
    "qn_col_confidence": {"en": "Confidence", "id": "Keyakinan"},
    "qn_col_na": {"en": "N/A (does not apply)", "id": "T/B (tidak berlaku)"},
    "qn_col_na_reason": {"en": "N/A reason", "id": "Alasan T/B"},
    "qn_col_evidence": {"en": "Evidence (one per line: a web address or a description)",
                        "id": "Bukti (satu per baris: alamat web atau keterangan)"},
    "qn_col_notes": {"en": "Notes", "id": "Catatan"},
    "qn_yes": {"en": "yes", "id": "ya"},
    "qn_no": {"en": "no", "id": "tidak"},
    "qn_high": {"en": "high", "id": "tinggi"},
    "qn_medium": {"en": "medium", "id": "sedang"},
    "qn_low": {"en": "low", "id": "rendah"},
    "qn_metric_note": {"en": "Metric: type the measured number in {unit}. {scoring}",
                       "id": "Metrik: ketik angka hasil pengukuran dalam {unit}. {scoring}"},
    "qn_metric_higher": {"en": "{high} or more scores 100; {low} or less scores 0.",
                         "id": "{high} atau lebih bernilai 100; {low} atau kurang bernilai 0."},
    "qn_metric_lower": {"en": "{low} or less scores 100; {high} or more scores 0.",
                        "id": "{low} atau kurang bernilai 100; {high} atau lebih bernilai 0."},
    "qn_guidance": {"en": "Guidance", "id": "Panduan"},
    "qn_evidence_hint": {"en": "Evidence that would show this level", "id": "Bukti yang dapat menunjukkan tingkat ini"},
    "qn_prompt_level": {"en": "Choose the level that is true today ({low} to {high}).",
                        "id": "Pilih tingkat yang sesuai dengan keadaan saat ini ({low} sampai {high})."},
    "qn_error_level": {"en": "Choose a level from the list ({low} to {high}).",
                       "id": "Pilih tingkat dari daftar ({low} sampai {high})."},
    "qn_prompt_value": {"en": "Type the measured number.", "id": "Ketik angka hasil pengukuran."},
    "qn_error_value": {"en": "Type a number.", "id": "Ketik sebuah angka."},
    "qn_prompt_target": {"en": "The level the ministry aims for ({low} to {high}).",
                         "id": "Tingkat yang ingin dicapai kementerian ({low} sampai {high})."},
    "qn_prompt_confidence": {"en": "How sure are you of this answer?", "id": "Seberapa yakin Anda atas jawaban ini?"},
    "qn_error_choice": {"en": "Choose from the list: {choices}.", "id": "Pilih dari daftar: {choices}."},
    "qn_prompt_na": {"en": "Yes only if the indicator does not apply; then give the reason.",
                     "id": "Ya hanya jika indikator tidak berlaku; lalu tuliskan alasannya."},
    "qn_prompt_iso3": {"en": "Three capital letters, e.g. IDN.", "id": "Tiga huruf kapital, misalnya IDN."},
    "qn_footer": {"en": "Page &P of &N", "id": "Halaman &P dari &N"},
}
