"""The research analysis of SPEC section 5 in one import.

    from toolkit.research.analysis import compare, compare_json, consistency, sensitivity, uncertainty, wide_frame

    comparison = compare(rubric, assessments)
    spread = uncertainty(comparison, draws=1000, seed=1)          # intervals, stage odds
    robust = sensitivity(comparison, depth=1, seed=1)             # leave-one-out, Sobol indices
    checks = consistency(comparison)                              # correlations, alpha, coverage
    checks.warning_texts("id")                                    # its warnings, as sentences
    consistency_frame(checks)                                     # one row per statistic
    table = wide_frame(comparison, spread)                        # tidy pandas, CSV, Parquet
    data = compare_json(comparison, spread, robust)               # the `ddmt compare` JSON

Each part lives in its own module: `toolkit.research.uncertainty` (the Monte Carlo), `toolkit.research.sensitivity`
(leave-one-out, Saltelli/Jansen Sobol indices), `toolkit.research.consistency`, `toolkit.research.tidy`, on top of
`toolkit.research.draws` (many perturbed scorings at once). Every function takes a `Comparison` or the
`Scores` of one batch; long runs accept `progress`, a callable given the fraction done.
"""

from __future__ import annotations

from toolkit.engine.comparison import Comparison, compare
from toolkit.research.consistency import (
    WARNING_CODES,
    Consistency,
    ConsistencyWarning,
    alphas,
    consistency,
    consistency_warnings,
    correlations,
    coverage,
    cronbach_alpha,
    pair_counts,
    warning_text,
)
from toolkit.research.sensitivity import (
    LeaveOneOut,
    Sensitivity,
    SobolIndex,
    leave_one_out,
    rank_sobol,
    saltelli_design,
    sensitivity,
    sobol_analysis,
    sobol_indices,
)
from toolkit.research.tidy import (
    CONSISTENCY_COLUMNS,
    LONG_COLUMNS,
    WIDE_COLUMNS,
    compare_json,
    consistency_frame,
    consistency_record,
    interval_records,
    long_frame,
    sensitivity_record,
    to_csv,
    wide_frame,
    write_parquet,
)
from toolkit.research.uncertainty import Uncertainty, uncertainty

__all__ = [
    "CONSISTENCY_COLUMNS", "LONG_COLUMNS", "WARNING_CODES", "WIDE_COLUMNS", "Comparison", "Consistency",
    "ConsistencyWarning", "LeaveOneOut", "Sensitivity", "SobolIndex", "Uncertainty", "alphas", "compare",
    "compare_json", "consistency", "consistency_frame", "consistency_record", "consistency_warnings",
    "correlations", "coverage", "cronbach_alpha", "interval_records", "leave_one_out", "long_frame",
    "pair_counts", "rank_sobol", "saltelli_design", "sensitivity", "sensitivity_record", "sobol_analysis",
    "sobol_indices", "to_csv", "uncertainty", "warning_text", "wide_frame", "write_parquet",
]
