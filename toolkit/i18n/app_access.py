"""Interface strings for access and the review workflow."""

# app: access and review (toolkit/ui/{auth,review_panel}.py, toolkit/ui/widgets.py, the pages)
STRINGS: dict[str, dict[str, str]] = {
    "access_refused": {"en": "You do not have access to this.", "id": "Anda tidak memiliki akses ke sini."},
    "auth_title": {"en": "Sign in", "id": "Masuk"},
    "auth_login": {"en": "Account name or e-mail", "id": "Nama akun atau e-mail"},
    "auth_password": {"en": "Password", "id": "Kata sandi"},
    "auth_sign_in": {"en": "Sign in", "id": "Masuk"},
    "auth_sign_in_oidc": {"en": "Sign in with your organisation's account",
                          "id": "Masuk dengan akun organisasi Anda"},
    "auth_sign_out": {"en": "Sign out", "id": "Keluar"},
    "auth_signed_in_as": {"en": "Signed in as {name}", "id": "Masuk sebagai {name}"},
    "auth_refused": {"en": "Not signed in:", "id": "Belum masuk:"},
    "auth_idle": {"en": "You were signed out after {minutes} minutes without activity. Sign in again.",
                  "id": "Anda dikeluarkan setelah {minutes} menit tanpa aktivitas. Silakan masuk kembali."},
    "auth_account_gone": {"en": "Your account was disabled or removed; you were signed out.",
                          "id": "Akun Anda dinonaktifkan atau dihapus; Anda telah dikeluarkan."},
    "auth_signed_out": {"en": "You are signed out.", "id": "Anda telah keluar."},
    "auth_oidc_unconfigured": {
        "en": "Sign-in through an identity provider is chosen (auth = oidc), but .streamlit/secrets.toml has "
              "no [auth] section. An administrator must configure it.",
        "id": "Masuk melalui penyedia identitas dipilih (auth = oidc), tetapi .streamlit/secrets.toml tidak "
              "memiliki bagian [auth]. Administrator harus mengaturnya."},
    "auth_oidc_incomplete": {
        "en": "Sign-in through an identity provider is chosen (auth = oidc), but its settings in "
              ".streamlit/secrets.toml are incomplete. An administrator must complete them:",
        "id": "Masuk melalui penyedia identitas dipilih (auth = oidc), tetapi pengaturannya di "
              ".streamlit/secrets.toml belum lengkap. Administrator harus melengkapinya:"},
    "auth_no_account_for": {
        "en": "No account of this app has the e-mail address your provider reported (or the provider did not "
              "verify it). Ask an administrator to add one:",
        "id": "Tidak ada akun aplikasi ini dengan alamat e-mail yang dilaporkan penyedia Anda (atau penyedia "
              "tidak memverifikasinya). Minta administrator menambahkannya:"},
    "home_superseded": {"en": "reopened as a newer version", "id": "dibuka kembali sebagai versi baru"},
    "results_version": {"en": "version {version}", "id": "versi {version}"},
    "review_version_of": {"en": "Version {version}, reopened from {parent}",
                          "id": "Versi {version}, dibuka kembali dari {parent}"},
    "review_superseded": {"en": "This version was reopened as a newer one and is kept as it was (read-only):",
                          "id": "Versi ini telah dibuka kembali sebagai versi baru dan disimpan apa adanya "
                                "(hanya baca):"},
    "review_open_newer": {"en": "Open the newer version", "id": "Buka versi yang lebih baru"},
    "review_status_help": {"en": "The status moves one way: draft, then submitted (by an assessor), then reviewed "
                                 "(by a reviewer). To change a submitted round, reopen it as a new version.",
                           "id": "Status bergerak satu arah: draf, lalu diajukan (oleh penilai), lalu ditinjau "
                                 "(oleh peninjau). Untuk mengubah putaran yang sudah diajukan, buka kembali "
                                 "sebagai versi baru."},
    "review_reopen": {"en": "Reopen as a new draft version", "id": "Buka kembali sebagai versi draf baru"},
    "review_reopen_help": {"en": "Copies the answers and evidence into a new draft; this version stays as it is.",
                           "id": "Menyalin jawaban dan bukti ke draf baru; versi ini tetap seperti adanya."},
    "review_not_reopened": {"en": "Not reopened:", "id": "Tidak dibuka kembali:"},
    "review_read_only_status": {"en": "This round is {status}: its answers are read-only.",
                                "id": "Putaran ini berstatus {status}: jawabannya hanya dapat dibaca."},
    "review_read_only_role": {"en": "You can read this round; changing answers needs the assessor role.",
                              "id": "Anda dapat membaca putaran ini; mengubah jawaban memerlukan peran penilai."},
    "review_comments": {"en": "Review", "id": "Tinjauan"},
    "review_on_version": {"en": "(on {id})", "id": "(pada {id})"},
    "review_verdict": {"en": "Verdict", "id": "Putusan"},
    "review_verdict_accept": {"en": "Accepted", "id": "Diterima"},
    "review_verdict_challenge": {"en": "Challenged", "id": "Dipertanyakan"},
    "review_verdict_comment": {"en": "Comment", "id": "Komentar"},
    "review_text": {"en": "Comment (required to challenge)", "id": "Komentar (wajib untuk mempertanyakan)"},
    "review_add": {"en": "Add review", "id": "Tambahkan tinjauan"},
    "review_not_saved": {"en": "The review was not saved:", "id": "Tinjauan tidak tersimpan:"},
}
