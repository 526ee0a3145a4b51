"""SPEC sections 5 and 12: draws, uncertainty, sensitivity, consistency, tidy frames and the COINr import.

* `draws` — many perturbed variants of one batch scored at once; `uncertainty` and `sensitivity`
  build on it; `consistency` — correlations, Cronbach's alpha, coverage.
* `tidy` — the researcher's frames (long, wide, CSV, Parquet) and the tidy score CSV.
* `analysis` — the whole analysis in one import; `coinr` — COINr's tabular format, converted.
* `agreement` — Krippendorff's alpha of the respondents of a team round (SPEC 12).

Layer 3 (beside store, which it never imports). May import: engine, model, errors, issues, safe, i18n.
"""
