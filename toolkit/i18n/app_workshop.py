"""Interface strings of the workshop fixes (issue 16): evidence links written wrongly, targets below the level."""

# app: the evidence panel (toolkit/ui/evidence_panel.py) and an answer card (toolkit/ui/answer_card.py)
STRINGS: dict[str, dict[str, str]] = {
    "assess_text_is_link": {
        "en": "This looks like a web address but is not one: choose “Web address” and write it in full, "
              "starting with https://. Kept as text it would count as evidence no one can open.",
        "id": "Ini tampak seperti alamat web tetapi bukan alamat yang dapat dibuka: pilih “Alamat web” dan "
              "tuliskan lengkap, diawali https://. Jika disimpan sebagai teks, ia akan dihitung sebagai bukti "
              "yang tidak dapat dibuka siapa pun."},
    "assess_target_below": {
        "en": "The target ({target}) is below the level chosen now ({level}): the roadmap will show no step "
              "for it. Is that intended?",
        "id": "Target ({target}) lebih rendah daripada tingkat yang dipilih sekarang ({level}): peta jalan tidak "
              "akan menampilkan langkah untuknya. Apakah memang demikian?"},
}
