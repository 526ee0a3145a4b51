"""Interface strings for team rounds (SPEC 12): respondents, consolidation and agreement."""

STRINGS: dict[str, dict[str, str]] = {
    # a questionnaire for one respondent (toolkit/io/template.py, toolkit/ui/pages/transfer.py)
    "transfer_respondent_heading": {"en": "Questionnaires for the respondents of this round",
                                    "id": "Kuesioner untuk para responden putaran ini"},
    "transfer_respondent_help": {"en": "Each copy names its respondent; uploaded back on this page, it replaces that "
                                       "respondent's answers only, never the round's consolidated answers.",
                                 "id": "Setiap salinan menyebut respondennya; bila diunggah kembali di halaman ini, "
                                       "salinan itu hanya mengganti jawaban responden tersebut, bukan jawaban "
                                       "konsolidasi putaran."},
    "transfer_respondent": {"en": "Respondent", "id": "Responden"},
    "transfer_respondent_button": {"en": "Questionnaire for this respondent (.xlsx)",
                                   "id": "Kuesioner untuk responden ini (.xlsx)"},
    "transfer_response_preview": {"en": "This is the questionnaire of {name} ({id}), a respondent of round {round}. "
                                        "Importing it replaces their response with its {count} answer(s); the "
                                        "round's consolidated answers do not change.",
                                  "id": "Ini kuesioner {name} ({id}), responden putaran {round}. Mengimpornya "
                                        "mengganti tanggapan mereka dengan {count} jawabannya; jawaban konsolidasi "
                                        "putaran tidak berubah."},
    "transfer_response_button": {"en": "Import as {name}'s response", "id": "Impor sebagai tanggapan {name}"},
    "transfer_response_imported": {"en": "{name}'s response in round {round} now holds {count} answer(s).",
                                   "id": "Tanggapan {name} di putaran {round} kini berisi {count} jawaban."},
    "transfer_response_no_round": {"en": "this questionnaire is for round {round}, which you do not facilitate "
                                         "(or which does not exist): nothing was imported",
                                   "id": "kuesioner ini untuk putaran {round}, yang tidak Anda fasilitasi (atau "
                                         "tidak ada): tidak ada yang diimpor"},
    "qn_respondent_subtitle": {"en": "For {name}, a respondent of round {round}: only their own answers.",
                               "id": "Untuk {name}, responden putaran {round}: hanya jawaban mereka sendiri."},
    # ddmt agreement (toolkit/cli/agreement.py)
    "agreement_heading": {"en": "{assessment}: {respondents} respondents, Krippendorff's alpha ({level})",
                          "id": "{assessment}: {respondents} responden, alfa Krippendorff ({level})"},
    "agreement_scope": {"en": "Scope", "id": "Cakupan"},
    "agreement_alpha": {"en": "Alpha", "id": "Alfa"},
    "agreement_overall": {"en": "Overall", "id": "Keseluruhan"},
    "agreement_indicator": {"en": "Indicator", "id": "Indikator"},
    "agreement_levels": {"en": "Levels by respondent", "id": "Tingkat per responden"},
    "agreement_range": {"en": "Range", "id": "Rentang"},
    "agreement_flagged": {"en": "Indicators whose levels differ by two or more:",
                          "id": "Indikator yang tingkatnya berbeda dua atau lebih:"},
    "agreement_none_flagged": {"en": "No indicator's levels differ by two or more.",
                               "id": "Tidak ada indikator yang tingkatnya berbeda dua atau lebih."},
    "agreement_undefined": {"en": "—: not defined (fewer than two pairable levels, or no variation)",
                            "id": "—: tidak terdefinisi (kurang dari dua tingkat yang dapat dipasangkan, atau "
                                  "tanpa variasi)"},
    "agreement_no_responses": {"en": "{file}: no responses in this round, skipped",
                               "id": "{file}: ronde ini tidak memiliki respons, dilewati"},
    "agreement_level_ordinal": {"en": "ordinal", "id": "ordinal"},
    "agreement_level_interval": {"en": "interval", "id": "interval"},
    "agreement_level_nominal": {"en": "nominal", "id": "nominal"},
}

STRINGS.update({
    # pages: respond (toolkit/ui/pages/respond.py), consolidate (consolidate.py), the agreement panel
    "app_page_respond": {"en": "Respond", "id": "Tanggapi"},
    "app_page_consolidate": {"en": "Consolidate", "id": "Konsolidasi"},
    "respond_title": {"en": "Your answers for a team round", "id": "Jawaban Anda untuk ronde tim"},
    "respond_intro": {"en": "Answer from what your unit knows. The others' answers show after you submit, so "
                            "that nobody is anchored by another's view. Every change is saved as you make it.",
                      "id": "Jawablah berdasarkan apa yang diketahui unit Anda. Jawaban responden lain tampil "
                            "setelah Anda mengirim, agar tidak ada yang terpengaruh pandangan orang lain. "
                            "Setiap perubahan langsung disimpan."},
    "respond_none": {"en": "You are not a respondent of any round.",
                     "id": "Anda bukan responden pada ronde mana pun."},
    "respond_round": {"en": "Round", "id": "Ronde"},
    "respond_as": {"en": "Answering as", "id": "Menjawab sebagai"},
    "respond_dimension": {"en": "Dimension", "id": "Dimensi"},
    "respond_level": {"en": "Level", "id": "Tingkat"},
    "respond_unanswered": {"en": "Not answered", "id": "Belum dijawab"},
    "respond_notes": {"en": "Notes", "id": "Catatan"},
    "respond_link": {"en": "Evidence link (http or https)", "id": "Tautan bukti (http atau https)"},
    "respond_saved": {"en": "Saved", "id": "Tersimpan"},
    "respond_submit": {"en": "Submit my answers", "id": "Kirim jawaban saya"},
    "respond_submitted": {"en": "Submitted {when}. Your answers no longer change; the others' are below.",
                          "id": "Dikirim {when}. Jawaban Anda tidak berubah lagi; jawaban responden lain ada di "
                                "bawah."},
    "respond_others": {"en": "The other respondents' answers", "id": "Jawaban responden lain"},
    "respond_others_hidden": {"en": "The other respondents' answers show after you submit yours.",
                              "id": "Jawaban responden lain tampil setelah Anda mengirim jawaban Anda."},
    "respond_invite": {"en": "Invite a respondent", "id": "Undang responden"},
    "respond_invite_id": {"en": "Respondent id (e.g. press)", "id": "Id responden (mis. press)"},
    "respond_invite_name": {"en": "Name", "id": "Nama"},
    "respond_invite_unit": {"en": "Unit", "id": "Unit"},
    "respond_invite_account": {"en": "Account (password or OIDC sign-in)", "id": "Akun (masuk dengan kata sandi "
                                                                                 "atau OIDC)"},
    "respond_invite_button": {"en": "Invite", "id": "Undang"},
    "respond_no_round": {"en": "Open a round on the home page, or choose one of yours here.",
                         "id": "Buka ronde di beranda, atau pilih salah satu ronde Anda di sini."},
    "consolidate_title": {"en": "Consolidate the respondents' answers", "id": "Konsolidasikan jawaban responden"},
    "consolidate_none": {"en": "This round has no respondents yet: invite them on the Respond page.",
                         "id": "Ronde ini belum memiliki responden: undang mereka di halaman Tanggapi."},
    "consolidate_help": {"en": "Indicators the respondents disagree on most come first. Set the round's answer "
                               "from one respondent, or your own with a reason; the audit trail records which "
                               "respondents it came from.",
                         "id": "Indikator dengan perbedaan terbesar ditampilkan lebih dulu. Tetapkan jawaban ronde "
                               "dari satu responden, atau jawaban Anda sendiri dengan alasan; jejak audit mencatat "
                               "dari responden mana jawaban itu berasal."},
    "consolidate_respondent": {"en": "Respondent", "id": "Responden"},
    "consolidate_current": {"en": "Consolidated now: {level}", "id": "Konsolidasi saat ini: {level}"},
    "consolidate_take": {"en": "Take the answer of", "id": "Ambil jawaban dari"},
    "consolidate_own": {"en": "My own answer", "id": "Jawaban saya sendiri"},
    "consolidate_reason": {"en": "Reason (needed for your own answer)", "id": "Alasan (wajib untuk jawaban sendiri)"},
    "consolidate_carry": {"en": "Carry the respondents' evidence into the answer",
                          "id": "Bawa bukti dari responden ke dalam jawaban"},
    "consolidate_set": {"en": "Set the consolidated answer", "id": "Tetapkan jawaban konsolidasi"},
    "consolidate_done": {"en": "Consolidated: {indicator}", "id": "Dikonsolidasikan: {indicator}"},
    "consolidate_denied": {"en": "Only the round's facilitator (an assessor or reviewer) consolidates.",
                           "id": "Hanya fasilitator ronde (asesor atau peninjau) yang mengonsolidasikan."},
    "agreement_title": {"en": "Agreement of the respondents", "id": "Kesepakatan responden"},
    "agreement_caption": {"en": "Krippendorff's alpha ({level}) over {respondents} respondents: 1 is full "
                                "agreement, 0 no more than chance; below about 0.67 the answers need talking "
                                "through.",
                          "id": "Alfa Krippendorff ({level}) atas {respondents} responden: 1 berarti sepakat "
                                "penuh, 0 tidak lebih dari kebetulan; di bawah sekitar 0,67 jawaban perlu "
                                "dibahas bersama."},
})

STRINGS.update({
    # the Respondents sheet of the consultant workbook (toolkit/reports/respondents_sheet.py)
    "xl_sheet_respondents": {"en": "Respondents", "id": "Responden"},
    "xl_respondent_id": {"en": "Respondent id", "id": "Id responden"},
    "xl_respondent_submitted": {"en": "Submitted", "id": "Dikirim"},
    "xl_respondent_flag": {"en": "Flag", "id": "Tanda"},
    "xl_respondent_consolidated": {"en": "Consolidated level", "id": "Tingkat konsolidasi"},
    "xl_respondent_from": {"en": "Level of", "id": "Tingkat dari"},
    "xl_respondent_own": {"en": "the facilitator's own", "id": "milik fasilitator sendiri"},
})
