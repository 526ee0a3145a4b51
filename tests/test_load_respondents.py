"""Load with respondents saving (SPEC 12 and 13): team-round respondents answer at once against one real server.

The harness of tests/test_load.py (`toolkit.ui.load_run.person`: real websocket sessions, one server), with
each session a different respondent of one team round on the Respond page (`?respondent=` in the
address), changing the notes of the same indicator in their own response every 1 to 3 s, thinking before the first change too. Each change
reruns that indicator's card only (a fragment, as on the Assess page). Each save is acknowledged by
the card's run showing "Saved: <indicator>" and no warning or error;
afterwards every respondent's stored answer holds its last acknowledged notes, its version counts
every acknowledged save, and the audit trail lists them in order. The figures go to
test-artifacts/load-respondents.json with the fields of load.json and on one `LOAD:` line.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from fault_support import new_round, sqlite_problems
from st_client import Run, Server
from test_load import LOAD_SECONDS, SESSIONS, THINK, Tally, percentile

from toolkit.access.roles import Principal
from toolkit.access.team import TeamRound
from toolkit.access.workspace import Workspace
from toolkit.model.assessment import Respondent
from toolkit.store.store import Store
from toolkit.ui.load_run import Person, person

INDICATOR = "ins.official_accounts"
ARTIFACT = Path(__file__).resolve().parent.parent / "test-artifacts" / "load-respondents.json"


def respondent(round_id: str, who: str) -> Person:
    """A respondent on the Respond page of the round, changing the notes of INDICATOR in their own response."""
    def verdict(run: Run) -> tuple[bool, list[str]]:
        trouble = [body for body in run.texts("alert") if not body.startswith(("Saved", "The other"))]
        return not trouble and f"Saved: {INDICATOR}" in run.texts("alert"), trouble

    return Person("respond", f"assessment={round_id}&respondent={who}&name=Load%20tester",
                  f"respond_notes_{round_id}_{who}_{INDICATOR}", who, verdict)


@pytest.mark.slow
def test_respondents_save_concurrently_and_nothing_is_lost(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "data"
    store = Store.open(f"sqlite:///{data}/ddmt.sqlite3", data_dir=data)
    round_id = new_round(store)
    team = TeamRound(Workspace(store, Principal.local("facilitator")))
    people = [f"r{number:02d}" for number in range(SESSIONS)]
    for who in people:
        team.invite(round_id, Respondent(who, f"Respondent {who}"))
    store.close()
    server = Server(data)
    server.start()
    try:
        tallies = [Tally(who) for who in people]
        start = threading.Barrier(SESSIONS + 1)
        until = [float("inf")]
        threads = [threading.Thread(target=person, args=(server, respondent(round_id, who), start, until, number,
                                                         tallies[number]), daemon=True)
                   for number, who in enumerate(people)]
        for thread in threads:
            thread.start()
        start.wait(timeout=180)
        began = time.monotonic()
        until[0] = began + LOAD_SECONDS
        for thread in threads:
            thread.join(timeout=LOAD_SECONDS + 120)
        elapsed = time.monotonic() - began
        assert not any(thread.is_alive() for thread in threads), "a session did not stop"
        log = server.log_text()
    finally:
        server.kill()

    assert [tally.error for tally in tallies if tally.error] == []
    store = Store.open(f"sqlite:///{data}/ddmt.sqlite3", data_dir=data)
    lost = []
    try:
        team = TeamRound(Workspace(store, Principal.local("checker")))
        history = store.history(round_id, INDICATOR)
        for tally in tallies:
            who = tally.indicator  # the Tally's first field holds the respondent here
            stored = team.own_answers(round_id, who).get(INDICATOR)
            trail = [entry.new for entry in history if entry.field == f"response {who}: notes"]
            acked = [notes for notes, _ in tally.acked]
            if acked and (stored is None or stored.answer.notes != acked[-1] or trail != acked
                          or stored.version != len(acked)):
                lost.append((who, acked[-3:], trail[-3:]))
    finally:
        store.close()
    latencies = [seconds for tally in tallies for _, seconds in tally.acked]
    figures = {
        "sessions": SESSIONS, "seconds": round(elapsed, 1), "think_seconds": list(THINK),
        "saves": len(latencies), "saves_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000), "p95_ms": round(percentile(latencies, 0.95) * 1000),
        "max_ms": round(max(latencies) * 1000), "not_saved": sum(len(tally.refused) for tally in tallies),
        "lost": len(lost),
    }
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    with capsys.disabled():
        print(f"\nLOAD (respondents): {figures['sessions']} sessions for {figures['seconds']} s: {figures['saves']} "
              f"saves ({figures['saves_per_second']}/s), save latency p50 {figures['p50_ms']} ms, "
              f"p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms; not saved {figures['not_saved']}, "
              f"lost {figures['lost']}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    assert lost == [], f"acknowledged saves missing from the database: {lost}"
    assert [(tally.indicator, tally.refused) for tally in tallies if tally.refused] == []
    assert all(tally.acked for tally in tallies), "a respondent saved nothing"
    assert sqlite_problems(data / "ddmt.sqlite3") == []
    assert "Traceback" not in log and "locked" not in log.lower(), log[-3000:]
