"""Consultant reports: Excel workbooks built from a writer-neutral model.

* `model` — sheets, cells with a style name, charts, colour scales, drop-down lists; `STYLES` is the
  one catalogue of named styles.
* `xlsx` — the openpyxl writer of the model (`write_workbook`, `workbook_bytes`).
* `sharing` — sharing levels public < internal < all (`share_assessment`, `share_document`).
* `assessment_workbook` — `write_assessment_workbook`, `assessment_workbook_bytes`.
* `comparison_workbook` — `write_comparison_workbook`, `comparison_workbook_bytes`.

* `charts` — plotly figures of scores for the app.
* `html`, `pdf` — the assessment and comparison reports as one HTML page and as PDF (WeasyPrint),
  from the templates in the top-level `reports/` (`templates` finds them, autoescaping always on).
* `summary` — the executive summary in prose, from the results only; `svg_charts` — vector charts
  drawn without a browser; `branding` — names, checked logos and colours of a report.

Exported text passes through `toolkit.safe`, the one neutraliser of formulas and control characters.

Layer 4. May import: research, engine, model, errors, issues, safe, i18n.
"""
