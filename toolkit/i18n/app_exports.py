"""Interface strings for workbook and questionnaire downloads in the app."""

# app: workbook and questionnaire exports (toolkit/ui/pages/transfer.py, compare.py)
STRINGS: dict[str, dict[str, str]] = {
    "transfer_share": {"en": "Sharing level of the exports", "id": "Tingkat berbagi ekspor"},
    "transfer_share_public": {"en": "Public: only evidence marked public",
                              "id": "Publik: hanya bukti bertanda publik"},
    "transfer_share_internal": {"en": "Internal: public and internal evidence",
                                "id": "Internal: bukti publik dan internal"},
    "transfer_share_all": {"en": "All: restricted evidence included",
                           "id": "Semua: termasuk bukti terbatas"},
    "transfer_workbook": {"en": "Consultant workbook (.xlsx)", "id": "Buku kerja konsultan (.xlsx)"},
    "transfer_questionnaire": {"en": "Offline questionnaire", "id": "Kuesioner luring"},
    "transfer_questionnaire_help": {
        "en": "A blank workbook to fill in offline; upload it above to import the answers.",
        "id": "Buku kerja kosong untuk diisi secara luring; unggah kembali di atas untuk mengimpor jawabannya."},
    "transfer_questionnaire_button": {"en": "Blank questionnaire (.xlsx)", "id": "Kuesioner kosong (.xlsx)"},
    "compare_workbook": {"en": "Comparison workbook (.xlsx)", "id": "Buku kerja perbandingan (.xlsx)"},
}
