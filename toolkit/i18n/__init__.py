"""Interface strings in English and Bahasa Indonesia, looked up with a fallback to English.

Rubric texts carry their own languages; this catalogue holds only the toolkit's own words
(column headers, notes), shared by the command line, the reports and the app.

Layer 0, the bottom (with errors, issues, safe and settings). May import: nothing of the toolkit.
"""

from __future__ import annotations

from toolkit.i18n import (
    app_access,
    app_exports,
    app_home,
    app_migration,
    app_results,
    app_workshop,
    core,
    import_problems,
    measurement,
    report_deliverables,
    report_import,
    report_workbooks,
    research,
    research_outputs,
    security,
    team_rounds,
)
from toolkit.i18n.formatting import LocalNumber

LANGUAGES = ("en", "id")
# One module per part of the toolkit, so that parts grow their words without touching each other.
_PARTS = (core, app_results, app_home, report_workbooks, report_import, app_access, research, app_exports,
          report_deliverables, team_rounds, app_migration, security, measurement, app_workshop,
          research_outputs, import_problems)

_STRINGS: dict[str, dict[str, str]] = {}
for _part in _PARTS:
    _twice = _STRINGS.keys() & _part.STRINGS.keys()
    if _twice:  # a second definition would silently replace the first
        raise ImportError(f"interface strings defined twice: {sorted(_twice)}")
    _STRINGS.update(_part.STRINGS)


def t(key: str, language: str = "en", **values: object) -> str:
    """The interface string `key` in `language` (English if missing), with `{name}` filled in.

    Numbers are written as the reader's language writes them: `{limit:,}` is 10,000 in English and
    10.000 in Indonesian, `{alpha:.3f}` 0.667 and 0,667 (a comma is the Indonesian decimal mark).
    """
    entry = _STRINGS[key]
    text = entry.get(language) or entry["en"]
    if not values:
        return text
    if language in entry and language != "en":
        values = {name: LocalNumber(value, language) if _is_number(value) else value
                  for name, value in values.items()}
    return text.format(**values)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)

