"""Interface strings for the consultant deliverables: PDF and HTML reports, the executive summary,
branding, and whose evidence a comparison carries (issue 14)."""

# reports: comparisons' evidence (toolkit/reports/comparison_workbook.py, sharing.py), app compare export
STRINGS: dict[str, dict[str, str]] = {
    "xl_evidence_of": {"en": "Evidence of", "id": "Bukti dari"},
    "xl_evidence_of_none": {"en": "no assessment (scores only)", "id": "tidak ada penilaian (hanya skor)"},
    "xl_evidence_of_text": {
        "en": "{carried}. Each ministry's evidence is its own: {withheld} evidence item(s) of the other "
              "compared assessments are withheld; their scores were computed with all of it.",
        "id": "{carried}. Bukti setiap kementerian adalah miliknya sendiri: {withheld} butir bukti dari "
              "penilaian lain yang dibandingkan tidak disertakan; skornya tetap dihitung dengan seluruh bukti."},
    "compare_evidence_of": {"en": "Include the evidence of", "id": "Sertakan bukti dari"},
    "compare_evidence_of_help": {
        "en": "A comparison goes to one client: by default it carries no ministry's evidence, only scores. "
              "Choose the assessments whose evidence the downloads may carry.",
        "id": "Perbandingan dikirim ke satu klien: secara bawaan tidak memuat bukti kementerian mana pun, "
              "hanya skor. Pilih penilaian yang buktinya boleh disertakan dalam unduhan."},
}
