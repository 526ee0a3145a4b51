"""Load: concurrent sessions saving answers against one real app server for a bounded time (SPEC 13).

The driver is `toolkit.ui.load_run` (shared with `ddmt bench`, which reports the p95 as
`app_load_p95_seconds`): one `streamlit run app.py`, `DDMT_LOAD_SESSIONS` (20) real websocket sessions
on the assess page of one round, each changing its own indicator's notes for `DDMT_LOAD_SECONDS` (20),
pausing 1 to 3 s between changes. The figures are printed on one `LOAD:` line (with the machine's load
average) and written to test-artifacts/load.json with exactly SPEC 13's fields. Latency is printed
and written, not asserted: on a shared machine a timed assertion would fail for other people's work;
what is asserted is that nothing is lost or refused and the server logged no error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from fault_support import sqlite_problems

from toolkit.model.catalogue import find_rubric
from toolkit.ui import load_run
from toolkit.ui.load_run import THINK, Tally, percentile, run_load, seconds_wanted, sessions_wanted

# The names tests/test_load_respondents.py and tests/test_two_servers.py take from here.
__all__ = ["LOAD_SECONDS", "SESSIONS", "THINK", "Tally", "percentile", "spread_indicators"]

SESSIONS = sessions_wanted()
LOAD_SECONDS = seconds_wanted()
ARTIFACT = Path(__file__).resolve().parent.parent / "test-artifacts" / "load.json"


def spread_indicators(count: int) -> list[tuple[str, str]]:
    """`count` (indicator, top dimension) pairs of the load run's rubric, round-robin over the dimensions."""
    return load_run.spread_indicators(find_rubric(*load_run.RUBRIC), count)


SPEC_FIELDS = ["sessions", "seconds", "think_seconds", "saves", "saves_per_second", "p50_ms", "p95_ms", "max_ms",
               "not_saved", "lost"]


@pytest.mark.slow
def test_sessions_save_concurrently_and_nothing_is_lost(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    outcome = run_load(tmp_path / "data", SESSIONS, LOAD_SECONDS)
    figures = outcome.figures
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    with capsys.disabled():
        print(f"\nLOAD: {figures['sessions']} sessions for {figures['seconds']} s: {figures['saves']} saves "
              f"({figures['saves_per_second']}/s), save latency p50 {figures['p50_ms']} ms, "
              f"p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms; not saved {figures['not_saved']}, "
              f"lost {figures['lost']}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    assert list(figures) == SPEC_FIELDS
    assert [tally.error for tally in outcome.tallies if tally.error] == []
    assert outcome.lost == [], f"acknowledged saves missing from the database: {outcome.lost}"
    assert [(tally.indicator, tally.refused) for tally in outcome.tallies if tally.refused] == []
    assert all(tally.acked for tally in outcome.tallies), "a session saved nothing"
    assert figures["sessions"] == SESSIONS and figures["seconds"] >= LOAD_SECONDS
    assert sqlite_problems(outcome.data_dir / "ddmt.sqlite3") == []
    assert "Traceback" not in outcome.log and "locked" not in outcome.log.lower(), outcome.log[-3000:]


@pytest.mark.parametrize(("variable", "raw", "expected"), [
    ("DDMT_LOAD_SESSIONS", "", 20), ("DDMT_LOAD_SESSIONS", "50", 50), ("DDMT_LOAD_SESSIONS", " 3 ", 3),
    ("DDMT_LOAD_SECONDS", "", 20.0), ("DDMT_LOAD_SECONDS", "7.5", 7.5),
])
def test_the_load_is_sized_by_the_environment(monkeypatch, variable, raw, expected) -> None:
    monkeypatch.setenv(variable, raw)
    wanted = sessions_wanted if variable == "DDMT_LOAD_SESSIONS" else seconds_wanted
    assert wanted() == expected


@pytest.mark.parametrize(("variable", "raw"), [
    ("DDMT_LOAD_SESSIONS", "0"), ("DDMT_LOAD_SESSIONS", "2.5"), ("DDMT_LOAD_SESSIONS", "many"),
    ("DDMT_LOAD_SECONDS", "-1"), ("DDMT_LOAD_SECONDS", "nan"), ("DDMT_LOAD_SECONDS", "inf"),
])
def test_a_wrong_size_is_refused_naming_the_variable(monkeypatch, variable, raw) -> None:
    monkeypatch.setenv(variable, raw)
    wanted = sessions_wanted if variable == "DDMT_LOAD_SESSIONS" else seconds_wanted
    with pytest.raises(ValueError, match=variable):
        wanted()
