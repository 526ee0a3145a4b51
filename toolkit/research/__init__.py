"""SPEC sections 5, 12 and 13: draws, uncertainty, sensitivity, consistency, tidy frames, research
bundles and figures, and the COINr import.

* `draws` — many perturbed variants of one batch scored at once; `uncertainty` and `sensitivity`
  build on it; `consistency` — correlations, Cronbach's alpha, coverage.
* `tidy` — the researcher's frames (long, wide, CSV, Parquet) and the tidy score CSV.
* `analysis` — the whole analysis in one import; `coinr` — COINr's tabular format, converted.
* `agreement` — Krippendorff's alpha of the respondents of a team round (SPEC 12).
* `streams` — random numbers keyed by assessment id, so results do not depend on the input order.
* `bundle` — every table of a comparison in one folder (CSV, Parquet), with `codebook` (every file
  and column) and `provenance` (how it was made, enough to rerun it byte for byte) (SPEC 13).
* `figures` — publication figures (rank intervals, heatmap, sensitivity) as SVG and PDF, no browser.

Layer 3 (beside store, which it never imports). May import: engine, model, errors, issues, safe, i18n.
"""
