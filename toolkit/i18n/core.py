"""Interface strings shared by the command line, the reports and the app."""

STRINGS: dict[str, dict[str, str]] = {
    "ministry": {"en": "Ministry", "id": "Kementerian"},
    "period": {"en": "Period", "id": "Periode"},
    "overall": {"en": "Overall", "id": "Keseluruhan"},
    "evidence_backed": {"en": "Evidence-backed", "id": "Berbasis bukti"},
    "stage": {"en": "Stage", "id": "Tahap"},
    "complete": {"en": "Complete", "id": "Kelengkapan"},
    "rank": {"en": "Rank", "id": "Peringkat"},
    "dimension": {"en": "Dimension", "id": "Dimensi"},
    "dimension_scores": {"en": "Dimension scores (columns are the numbered rows above)",
                         "id": "Skor dimensi (kolom merujuk ke baris bernomor di atas)"},
    "dimension_evidence_scores": {
        "en": "Dimension evidence-backed scores (columns are the numbered rows above)",
        "id": "Skor dimensi berbasis bukti (kolom merujuk ke baris bernomor di atas)"},
    "too_many_for_table": {"en": "Dimension scores: {count} assessments are too many for one table; "
                                 "use --format csv or json.",
                           "id": "Skor dimensi: {count} asesmen terlalu banyak untuk satu tabel; "
                                 "gunakan --format csv atau json."},
    "score_versions_note": {
        "en": "Each round is scored with its own rubric version ({versions}); versions measure slightly different "
              "things. To put rounds of several versions on one scale, use ddmt compare, which scores the older "
              "rounds as migrated to the newest version.",
        "id": "Setiap ronde diberi skor dengan versi rubriknya sendiri ({versions}); versi yang berbeda mengukur hal "
              "yang sedikit berbeda. Untuk menempatkan ronde dari beberapa versi pada satu skala, gunakan ddmt "
              "compare, yang memberi skor ronde lama sebagai hasil migrasi ke versi terbaru."},
    "compare_migrated_note": {
        "en": "Scored as migrated to {rubric} {version} (its migration table, as `ddmt migrate` does): the rounds "
              "of {rows}. Indicators new in {version} count as missing in them.",
        "id": "Diberi skor sebagai hasil migrasi ke {rubric} {version} (dengan tabel migrasinya, seperti `ddmt "
              "migrate`): ronde {rows}. Indikator yang baru di versi {version} dihitung belum dijawab pada ronde tersebut."},
    "fictional_note": {"en": "† fictional ministry: sample data, not any real country's scores",
                       "id": "† kementerian fiktif: data contoh, bukan skor negara mana pun"},
    "app_name_needed": {"en": "Before your first change: give your name. The audit trail records it with each "
                               "change; it stays in this page's address, so a link you open in a new tab keeps it.",
                        "id": "Sebelum perubahan pertama Anda: isi nama Anda. Jejak audit mencatatnya pada setiap "
                              "perubahan; nama tetap ada di alamat halaman ini, jadi tautan yang dibuka di tab baru tetap memuatnya."},
    "app_name_continue": {"en": "Continue", "id": "Lanjutkan"},
    "app_name_required": {"en": "Give your name to continue.", "id": "Isi nama Anda untuk melanjutkan."},
    "app_your_name": {"en": "Your name (recorded with each change)", "id": "Nama Anda (dicatat pada setiap perubahan)"},
    "app_page_home": {"en": "Home", "id": "Beranda"},
    "app_page_assess": {"en": "Assess", "id": "Penilaian"},
    "app_page_results": {"en": "Results", "id": "Hasil"},
    "app_page_compare": {"en": "Compare", "id": "Perbandingan"},
    "app_page_rubric": {"en": "Rubric", "id": "Rubrik"},
    "app_page_transfer": {"en": "Import and export", "id": "Impor dan ekspor"},
    "comparison_title": {"en": "Comparison on {rubric} {version}, metrics normalised by {normalisation}",
                         "id": "Perbandingan dengan {rubric} {version}, metrik dinormalisasi dengan {normalisation}"},
}

