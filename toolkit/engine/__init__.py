"""SPEC section 4: scoring, the results of a batch, the roadmap, evidence coverage, comparisons, sub-indices.

* `compiled` — the compiled rubric and the level matrix: the arrays and formula pieces both
  `scoring` and `results` use, so that `results` never imports `scoring` (which returns results).
* `scoring` — `score` and `score_matrix`; `results` — `Scores`, derived arrays and records.
* `roadmap`, `coverage`, `comparison`, `subindex` — built on the scores.

Layer 2. May import: model, errors, issues, safe, i18n.
"""
