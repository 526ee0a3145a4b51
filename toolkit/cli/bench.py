"""`ddmt bench [--quick] [--json]`: the performance targets of SPEC section 9, as a table or one object.

`toolkit.cli` adds the arguments (`add_bench_arguments`, or the same lines written out) and calls
`run_bench`; the measuring is `toolkit.bench.measure`, and this module only renders its result.
The exit status is 0 whether or not a target is met (timings are noisy; `meets` in the JSON says
which were): a failed measurement is a `ToolkitError` like any other.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.bench.suite import BenchResult
    from toolkit.cli.base import CommandResult

_OPS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">"}


def add_bench_arguments(bench: argparse.ArgumentParser) -> None:
    """The options of `ddmt bench` (SPEC 6), for `toolkit.cli.build_parser`."""
    bench.add_argument("--quick", action="store_true",
                       help="smaller sizes (1,000 assessments, 100 draws, a workbook of 20): "
                            "the same keys and ratios, in a few seconds")
    bench.add_argument("--json", action="store_true", help="print one JSON object instead of a table")


def run_bench(args: argparse.Namespace) -> CommandResult:
    """Measure, then render: a table, or with `--json` one object."""
    from toolkit.cli.base import CommandResult

    return CommandResult(bench_text(args))


def bench_text(args: argparse.Namespace) -> str:
    """The text `ddmt bench` prints for these arguments (the measuring included)."""
    from toolkit.bench.suite import measure

    result = measure(quick=bool(getattr(args, "quick", False)))
    if getattr(args, "json", False):
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    return bench_table(result)


def bench_table(result: BenchResult) -> str:
    """The result as a plain-text table, with the sizes, the checks and the notes below it."""
    from toolkit.bench.suite import CPU_CHECKS
    from toolkit.cli import render

    data = result.to_dict()
    checks = data["checks"]
    rows = []
    for key, target in data["targets"].items():
        meets = data["meets"][key]
        cpu = checks.get(CPU_CHECKS.get(key, ""))
        rows.append([key, _value(key, data[key]), "" if cpu is None else f"{cpu:.3f} s",
                     _target(key, target), "—" if meets is None else ("yes" if meets else "NO")])
    sizes, environment = data["sizes"], data["environment"]
    head = (f"ddmt bench ({'quick' if result.quick else 'full'} sizes: {sizes['assessments']:,} "
            f"assessments, {sizes['draws']:,} draws x {sizes['draw_assessments']} assessments, "
            f"workbook of {sizes['workbook_assessments']}; medians of {sizes['repeats']} samples, "
            f"{sizes['heavy_repeats']} for the long runs; {environment['cpus']} CPUs, load "
            f"{environment['load_average_1min']}, BLAS threads {environment.get('blas_threads') or 'default'}; "
            f"{data['seconds']:.0f} s)")
    lines = [head, "", render.table(["measure", "value", "cpu", "target", "meets"], rows, "lrrrl"), ""]
    lines.append("baselines agree with the engine: numpy floor to "
                 f"{_small(checks.get('numpy_floor_max_difference'))}, pandas to "
                 f"{_small(checks.get('pandas_max_difference'))} points")
    lines.extend(f"{key}: {note}" for key, note in data["notes"].items())
    return "\n".join(lines)


def _value(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key.endswith("_seconds"):
        return f"{value:.3f} s"
    if key.endswith("_mb"):
        return f"{value:.1f} MB"
    return f"{value:.2f}x" if value < 10 else f"{value:,.0f}x"


def _target(key: str, target: dict[str, Any] | None) -> str:
    if target is None:
        return "—"
    unit = " s" if key.endswith("_seconds") else ""
    return f"{_OPS[target['op']]} {target['value']:g}{unit}"


def _small(value: float | None) -> str:
    return "—" if value is None else f"{value:.1e}"
