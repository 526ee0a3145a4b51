"""Shared pieces of the fuzz tests (tests/test_fuzz_*.py): the `fuzz` profile, a time bound, the checks.

Every fuzz property says the same thing of one parser or importer: on any input it either succeeds
or raises one of the documented errors (`toolkit.errors.ToolkitError` and its subclasses, the store's
among them), whose messages are one line each and name the file; it never raises anything else, and
it never hangs.

The `fuzz` settings profile: no per-example deadline (the hard `bounded` time limit below replaces
it, with a wide margin, so a slow CI machine cannot flake), and in CI (`CI` set in the environment)
`derandomize=True` and no example database, so every CI run tries exactly the same examples. Run more
examples locally with `DDMT_FUZZ_SCALE=10 uv run --extra test pytest tests/test_fuzz_*.py`; a failure
found that way goes into the test as an `@example(...)`, so it is tried on every run from then on.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

from toolkit.errors import DocumentError, ToolkitError
from toolkit.issues import Issue

CI = bool(os.environ.get("CI"))
SCALE = max(float(os.environ.get("DDMT_FUZZ_SCALE", "1") or 1), 0.01)

settings.register_profile(
    "fuzz",
    deadline=None,
    derandomize=CI,
    database=None if CI else settings.default.database,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                           HealthCheck.large_base_example],
)
FUZZ = settings.get_profile("fuzz")

T = TypeVar("T")

#: Characters that end a line for a terminal, a log reader or a CSV of messages.
LINE_BREAKS = frozenset("\n\r")


def fuzz(max_examples: int) -> settings:
    """The `fuzz` profile with this many examples (times DDMT_FUZZ_SCALE)."""
    return settings(FUZZ, max_examples=max(1, round(max_examples * SCALE)))


class Hang(BaseException):
    """An example ran past its time bound (a BaseException, so no broad `except Exception` swallows it)."""


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail an example that runs longer than `seconds`: interrupted by SIGALRM, checked again on return.

    The bound is hundreds of times the usual run time of one example, so only a real hang (or a
    quadratic blow-up) trips it.
    """
    use_alarm = hasattr(signal, "setitimer") and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)

    def _alarm(signum: int, frame: Any) -> None:
        raise Hang(f"no result after {seconds} s")

    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    elapsed = time.monotonic() - start
    if elapsed > seconds:
        raise Hang(f"took {elapsed:.1f} s, more than the bound of {seconds} s")


def one_line(text: str) -> bool:
    return not any(char in LINE_BREAKS for char in text)


def check_issue(issue: Issue, file: str) -> None:
    """An issue as the command line prints it: one line, starting with the file's display name."""
    assert isinstance(issue, Issue)
    line = str(issue)
    assert issue.file == file, (issue.file, file)
    assert line.startswith(file + ": "), line
    assert one_line(line), repr(line)
    assert issue.message and one_line(issue.message), repr(issue.message)
    line.encode("utf-8")  # printable and storable: no lone surrogates


def check_issues(issues: Sequence[Issue], file: str, codes: Any = None) -> None:
    """Every issue well-formed, from the closed set of codes when given."""
    for issue in issues:
        check_issue(issue, file)
        if codes is not None:
            assert issue.code in codes, issue.code


def documented(action: Callable[[], T], *, seconds: float = 10.0,
               allowed: tuple[type[BaseException], ...] = (ToolkitError,)) -> T | BaseException:
    """Run `action` within the time bound; its result, or the documented error it raised.

    Anything else (a TypeError, a KeyError, an IndexError from deep inside a library) propagates
    and fails the example: that is a crash.
    """
    with bounded(seconds):
        try:
            return action()
        except allowed as error:
            return error


def check_error(error: BaseException, file: str, codes: Any = None) -> None:
    """A documented error as a user sees it: one-line messages, each naming the file."""
    assert isinstance(error, ToolkitError), repr(error)
    if isinstance(error, DocumentError):
        assert error.issues, "a DocumentError without issues"
        check_issues(error.issues, file, codes)
    else:
        assert one_line(str(error)) and str(error), repr(str(error))
        str(error).encode("utf-8")
