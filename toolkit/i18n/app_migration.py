"""Interface strings for moving rounds to a newer rubric version and starting a round from an earlier one."""

# app: migration and carry-forward (toolkit/ui/round_upgrade.py, toolkit/ui/pages/home.py)
STRINGS: dict[str, dict[str, str]] = {
    "upgrade_uses": {"en": "This round uses rubric {version}.", "id": "Putaran ini memakai rubrik versi {version}."},
    "upgrade_available": {
        "en": "Version {latest} is available. Migrating keeps every answer whose indicator is unchanged, "
              "maps the others as the new version says, leaves the new indicators to answer, and keeps the "
              "earlier answers in the history.",
        "id": "Versi {latest} sudah tersedia. Migrasi mempertahankan setiap jawaban yang indikatornya tidak "
              "berubah, memetakan jawaban lainnya sesuai versi baru, menyisakan indikator baru untuk dijawab, "
              "dan menyimpan jawaban sebelumnya dalam riwayat."},
    "upgrade_migrate": {"en": "Migrate to {latest}", "id": "Migrasikan ke {latest}"},
    "upgrade_reopen_first": {
        "en": "Only a draft round can be migrated: reopen this round as a new version first.",
        "id": "Hanya putaran draf yang dapat dimigrasikan: buka kembali putaran ini sebagai versi baru terlebih "
              "dahulu."},
    "upgrade_no_role": {"en": "An assessor or an administrator of this ministry can migrate it.",
                        "id": "Asesor atau administrator kementerian ini dapat memigrasikannya."},
    "upgrade_done": {
        "en": "Migrated to {version}: {carried} answers kept, {remapped} remapped, {dropped} dropped, "
              "{to_answer} indicators to answer.",
        "id": "Dimigrasikan ke {version}: {carried} jawaban dipertahankan, {remapped} dipetakan ulang, "
              "{dropped} dihapus, {to_answer} indikator perlu dijawab."},
    "upgrade_failed": {"en": "The round was not migrated:", "id": "Putaran tidak dimigrasikan:"},
    "carried_notice": {"en": "Carried from {period}: confirm or change.",
                       "id": "Dibawa dari {period}: konfirmasi atau ubah."},
    "carried_confirm": {"en": "Confirm", "id": "Konfirmasi"},
    "carried_progress": {
        "en": "{answered} of {applicable} answered: {confirmed} confirmed, {carried} carried to confirm",
        "id": "{answered} dari {applicable} terjawab: {confirmed} terkonfirmasi, {carried} dibawa dan perlu "
              "dikonfirmasi"},
    "carried_not_confirmed": {"en": "Not confirmed:", "id": "Tidak dikonfirmasi:"},
    "home_start_from": {"en": "Start from round", "id": "Mulai dari putaran"},
    "home_start_empty": {"en": "An empty round", "id": "Putaran kosong"},
    "home_start_help": {
        "en": "The answers of the round chosen are carried into the new one, evidence included, each marked "
              "to confirm or change; answers of an older rubric version are migrated on the way.",
        "id": "Jawaban putaran yang dipilih dibawa ke putaran baru, beserta buktinya, masing-masing ditandai "
              "untuk dikonfirmasi atau diubah; jawaban dari versi rubrik yang lebih lama dimigrasikan."},
}
