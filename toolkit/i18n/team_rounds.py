"""Interface strings for team rounds (SPEC 12): respondents, consolidation and agreement."""

STRINGS: dict[str, dict[str, str]] = {
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
