"""Timing helpers for `toolkit.bench`: medians of interleaved samples, peak memory, BLAS threads.

`samples` runs each function once (a warm-up that also sizes the loop), then takes `repeats`
samples of each in turn, each sample looping enough calls to last at least `min_seconds`, with a
garbage collection before it; `paired_ratio` takes the median of side-by-side ratios.
`peak_memory_mb` traces allocations (tracemalloc, numpy's included). `blas_threads` sets numpy's
OpenBLAS thread count for a block through OpenBLAS's own functions, found among the libraries
the process has loaded (Linux), and puts it back afterwards.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import math
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping

MIN_SAMPLE_SECONDS = 0.02


def samples(functions: Mapping[str, Callable[[], object]], repeats: int,
            min_seconds: float = MIN_SAMPLE_SECONDS, *,
            cpu: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
    """Seconds per call of each function, `repeats` samples each, the functions sampled in turn.

    A first call of each (a warm-up, which also times it) decides how many calls one sample loops
    over, so a sample lasts at least `min_seconds`; the garbage collector runs between samples.
    Given `cpu`, the process's CPU seconds per call are added to it too: next to the wall-clock
    time they show how much of it the machine's other load took.
    """
    loops = {}
    for name, function in functions.items():
        start = time.perf_counter()
        function()
        once = time.perf_counter() - start
        loops[name] = max(1, math.ceil(min_seconds / max(once, 1e-9)))
    out: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(max(1, repeats)):
        for name, function in functions.items():
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            for _ in range(loops[name]):
                function()
            out[name].append((time.perf_counter() - start) / loops[name])
            if cpu is not None:
                cpu.setdefault(name, []).append((time.process_time() - start_cpu) / loops[name])
    return out


def medians(functions: Mapping[str, Callable[[], object]], repeats: int,
            min_seconds: float = MIN_SAMPLE_SECONDS, *,
            cpu: dict[str, float] | None = None) -> dict[str, float]:
    """Median seconds per call of each function (see `samples`); medians of CPU seconds into `cpu`."""
    used: dict[str, list[float]] = {}
    taken = samples(functions, repeats, min_seconds, cpu=used)
    if cpu is not None:
        cpu.update({name: statistics.median(values) for name, values in used.items()})
    return {name: statistics.median(values) for name, values in taken.items()}


def paired_ratio(numerator: list[float], denominator: list[float]) -> float:
    """The median of the ratios of samples taken side by side (the same moment's load on both)."""
    return statistics.median(a / b for a, b in zip(numerator, denominator, strict=True))


def peak_memory_mb(function: Callable[[], object]) -> float:
    """The peak memory (MB, 2^20 bytes) allocated while `function` runs, traced by tracemalloc."""
    gc.collect()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        function()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return (peak - base) / 2**20


_BLAS_SYMBOLS = (("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
                 ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
                 ("openblas_set_num_threads", "openblas_get_num_threads"))


@contextlib.contextmanager
def blas_threads(count: int | None) -> Iterator[int | None]:
    """Run the block with numpy's OpenBLAS on `count` threads; yields the count in force, None if unknown.

    The library is found among those the process has loaded (Linux), its thread count set through
    OpenBLAS's own functions and put back afterwards; elsewhere, or with `count` None, nothing changes.
    """
    functions = _openblas() if count is not None else None
    if functions is None:
        yield None
        return
    set_threads, get_threads = functions
    before = int(get_threads())
    set_threads(int(count))
    try:
        yield int(get_threads())
    finally:
        set_threads(before)


def _openblas() -> tuple[Callable[[int], object], Callable[[], int]] | None:
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and "/" in line})
    except OSError:
        return None
    for path in paths:
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for set_name, get_name in _BLAS_SYMBOLS:
            if hasattr(library, set_name) and hasattr(library, get_name):
                setter, getter = getattr(library, set_name), getattr(library, get_name)
                setter.argtypes, setter.restype, getter.restype = [ctypes.c_int], None, ctypes.c_int
                return setter, getter
    return None
