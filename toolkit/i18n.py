"""Interface strings in English and Bahasa Indonesia, looked up with a fallback to English.

Rubric texts carry their own languages; this catalogue holds only the toolkit's own words
(column headers, notes), shared by the command line, the reports and the app.
"""

from __future__ import annotations

LANGUAGES = ("en", "id")

_STRINGS: dict[str, dict[str, str]] = {
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
    "fictional_note": {"en": "† fictional ministry: sample data, not any real country's scores",
                       "id": "† kementerian fiktif: data contoh, bukan skor negara mana pun"},
    "comparison_title": {"en": "Comparison on {rubric} {version}, metrics normalised by {normalisation}",
                         "id": "Perbandingan dengan {rubric} {version}, metrik dinormalisasi dengan {normalisation}"},
}


def t(key: str, language: str = "en", **values: object) -> str:
    """The interface string `key` in `language` (English if missing), with `{name}` filled in."""
    entry = _STRINGS[key]
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text
