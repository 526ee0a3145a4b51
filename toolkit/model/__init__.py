"""Documents: the rubric and assessment models, safe JSON reading, schemas, validation, the catalogue.

* `rubric`, `assessment` — frozen models built from validated documents; the model is data.
* `jsonio` — bounded, strict JSON reading; `schemas` — the JSON Schemas, shipped as package data.
* `validation`, `semantics` — the two validation layers (schema, then what a schema cannot say).
* `documents` — the two doors, `load_*` (raises) and `validate_*` (reports); `catalogue` — the
  shipped rubrics, found by id and version from any folder; `links` — evidence text that is a
  web address written wrongly.

Layer 1. May import: errors, issues, safe, i18n.
"""
