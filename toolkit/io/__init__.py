"""The offline questionnaire and imports: the template workbook, xlsx/CSV/JSON importers and their defences.

* `template` — the blank questionnaire workbook; `imports` — every importer, returning a valid
  assessment document or every problem located by sheet and cell, CSV row or JSON path.
* `fields` — one answer's cells checked, shared by the workbook and CSV importers.
* `respondent_copies` — a respondent's filled copy back as their response in a team round.
* `answers_csv` — answers as CSV both ways; `workbook_guard` — the defences applied to a
  workbook's raw bytes before openpyxl opens it.

Layer 4. May import: model, errors, issues, safe, i18n.
"""
