"""Interface strings of the security fixes: files a ministry does not hold, imported drafts, sign-in limits."""

# app: evidence files and imports (toolkit/ui/evidence_panel.py, toolkit/ui/pages/transfer.py),
# sign-in limits and session binding (toolkit/ui/auth.py, toolkit/ui/session_binding.py)
STRINGS: dict[str, dict[str, str]] = {
    "evidence_file_not_included": {
        "en": "file not included: it was not uploaded into this ministry",
        "id": "berkas tidak disertakan: berkas ini tidak diunggah ke kementerian ini"},
    "transfer_imported_as_draft": {
        "en": "The round was imported as a draft; evidence is recorded as added by you, now.",
        "id": "Putaran diimpor sebagai draf; bukti dicatat sebagai ditambahkan oleh Anda, saat ini."},
    "transfer_files_not_included": {
        "en": "{count} evidence file(s) were not included: this ministry never uploaded them. "
              "The items are kept, without their files; upload the files again to attach them.",
        "id": "{count} berkas bukti tidak disertakan: kementerian ini tidak pernah mengunggahnya. "
              "Butir buktinya tetap ada, tanpa berkasnya; unggah kembali berkas tersebut untuk melampirkannya."},
    "auth_session_moved": {
        "en": "You were signed out: this session was opened from another browser.",
        "id": "Anda dikeluarkan: sesi ini dibuka dari peramban lain."},
}
