"""`ddmt bench`: the performance targets of SPEC section 9, measured as ratios in one run.

* `suite` — every measurement and its target (`measure`); `data` — synthetic assessments, the numpy
  floor and the pandas scorer it is compared with; `timing` — interleaved medians, peak memory.

It sits above ui because one measurement reruns the real app (`toolkit.ui.rerun_timing`).

Layer 6. May import: ui, reports, io, access, store, research, engine, model, errors, issues, safe,
settings, i18n.
"""
