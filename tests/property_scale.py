"""How many examples each hypothesis property runs: its own count times `DDMT_PROPERTY_SCALE`.

`./run mutate` sets the scale to 0.1: every mutant that survives reruns each property that reaches it,
and a full set there would take hours on two cores. A normal test run (and CI) keeps the full counts.
"""

from __future__ import annotations

import os

PROPERTY_SCALE = max(float(os.environ.get("DDMT_PROPERTY_SCALE", "1") or 1), 0.01)


def examples(count: int) -> int:
    """`count` examples, scaled by DDMT_PROPERTY_SCALE (at least one)."""
    return max(1, round(count * PROPERTY_SCALE))
