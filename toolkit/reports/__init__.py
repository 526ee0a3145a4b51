"""Consultant reports: Excel workbooks built from a writer-neutral model.

* `safe` — the one neutraliser of exported text (formulas, control characters, cell length, sheet
  names, links); `toolkit.render` uses it for CSV too.
* `model` — sheets, cells with a style name, charts, colour scales, drop-down lists; `STYLES` is the
  one catalogue of named styles.
* `xlsx` — the openpyxl writer of the model (`write_workbook`, `workbook_bytes`).
* `sharing` — sharing levels public < internal < all (`share_assessment`, `share_document`).
* `assessment_workbook` — `write_assessment_workbook`, `assessment_workbook_bytes`.
* `comparison_workbook` — `write_comparison_workbook`, `comparison_workbook_bytes`.

Nothing is imported here, so `toolkit.render` can use `safe` without loading openpyxl.
"""
