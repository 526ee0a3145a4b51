"""Load: concurrent sessions saving answers against one real app server for a bounded time (SPEC 13).

How: one `streamlit run app.py` on 127.0.0.1 and `DDMT_LOAD_SESSIONS` (20) headless sessions (`tests/st_client.py`), each a
real websocket session speaking Streamlit's own protocol, as a browser tab does: it opens the assess
page of one shared round and changes the notes of its own indicator, again and again, for
`LOAD_SECONDS` (20; `DDMT_LOAD_SECONDS` overrides), pausing `THINK` seconds between changes. Each
change reruns the indicator's card (a fragment, as the browser asks for it) whose `on_change`
callback saves through the store, and the session waits for that run to end. Why not 20 Chromium contexts: on this 2-core machine 20
renderers would starve the server of CPU and measure the browser; why not 20 AppTest sessions:
they would not share one server. The websocket sessions load the server exactly as 20 tabs do
while costing the client side little.

Measured per save: the time from sending the change to the end of the page run that saved it and
showed "Saved at" (what a person waits for). A save counts as acknowledged when that run showed
the "Saved at" toast and no "Not saved" or conflict message. Afterwards every acknowledged save
must be in the database: each indicator holds its session's last acknowledged notes, and its audit
trail lists every acknowledged value in order (lost saves: 0). The figures are printed on one
`LOAD:` line (with the machine's load average) and written to test-artifacts/load.json with exactly
SPEC 13's fields. Latency is printed and written, not asserted: on a shared machine a timed assertion
would fail for other people's work; what is asserted is that nothing is lost or refused.
"""

from __future__ import annotations

import json
import math
import os
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fault_support import RUBRIC, new_round, sqlite_problems
from st_client import Server, Session, text

from toolkit.store.store import Store

SESSIONS = int(os.environ.get("DDMT_LOAD_SESSIONS", "20"))
LOAD_SECONDS = float(os.environ.get("DDMT_LOAD_SECONDS", "20"))
THINK = (1.0, 3.0)  # seconds between two changes of one person: ten times busier than people filling in a form
ARTIFACT = Path(__file__).resolve().parent.parent / "test-artifacts" / "load.json"


@dataclass
class Tally:
    """What one session saw."""

    indicator: str
    acked: list[tuple[str, float]] = field(default_factory=list)  # (notes, seconds) of acknowledged saves
    refused: list[tuple[str, list[str]]] = field(default_factory=list)  # (notes, messages) of saves not acknowledged
    error: str | None = None


def spread_indicators(count: int) -> list[tuple[str, str]]:
    """`count` level indicators, (indicator, its top dimension), taken round-robin over the dimensions."""
    per_dimension: list[list[tuple[str, str]]] = []
    for dimension in RUBRIC.dimensions:
        found: list[tuple[str, str]] = []

        def walk(node, top=dimension.id, found=found) -> None:
            found.extend((indicator.id, top) for indicator in node.indicators if not indicator.is_metric)
            for child in node.dimensions:
                walk(child)

        walk(dimension)
        per_dimension.append(found)
    chosen: list[tuple[str, str]] = []
    while len(chosen) < count:
        for found in per_dimension:
            if found and len(chosen) < count:
                chosen.append(found.pop(0))
    return chosen


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value at least `share` of the values are not above."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


def person(server: Server, round_id: str, indicator: str, dimension: str, start: threading.Barrier,
           until: list[float], seed: int, tally: Tally) -> None:
    """One session: open the round at its indicator's dimension, then change that indicator's notes until time is up."""
    rng = random.Random(seed)
    key = f"assess_notes_{round_id}_{indicator}"
    try:
        with Session(server, f"assessment={round_id}&dimension={dimension}", page="assess") as session:
            first = session.open()
            widget_id = first.widget_ids()[key]
            fragment = first.fragment_of(widget_id)  # a card is a fragment: the change reruns that card
            if not fragment:
                raise AssertionError(f"{key} is not drawn inside a fragment: each change would rerun the page")
            start.wait(timeout=120)
            number = 0
            while time.monotonic() < until[0]:
                notes = f"{indicator} save {number}"
                run = session.rerun(text(widget_id, notes), fragment_id=fragment)
                messages = [body for body in run.texts("alert")
                            if body.startswith(("Not saved", "Someone else"))]
                if messages or not any(body.startswith("Saved at") for body in run.texts("toast")):
                    tally.refused.append((notes, messages))
                else:
                    tally.acked.append((notes, run.seconds))
                number += 1
                time.sleep(rng.uniform(*THINK))
    except Exception as error:  # noqa: BLE001 - reported by the test
        tally.error = f"{type(error).__name__}: {error}"


@pytest.mark.slow
def test_sessions_save_concurrently_and_nothing_is_lost(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "data"
    store = Store.open(f"sqlite:///{data}/ddmt.sqlite3", data_dir=data)
    round_id = new_round(store)  # an assessment in the database: the server seeds no samples
    store.close()
    server = Server(data)
    server.start()
    try:
        people = spread_indicators(SESSIONS)
        tallies = [Tally(indicator) for indicator, _ in people]
        start = threading.Barrier(SESSIONS + 1)
        until = [float("inf")]
        threads = [threading.Thread(target=person, args=(server, round_id, indicator, dimension, start, until,
                                                         number, tallies[number]), daemon=True)
                   for number, (indicator, dimension) in enumerate(people)]
        for thread in threads:
            thread.start()
        start.wait(timeout=120)  # every session has its page open
        began = time.monotonic()
        until[0] = began + LOAD_SECONDS
        for thread in threads:
            thread.join(timeout=LOAD_SECONDS + 90)
        elapsed = time.monotonic() - began
        assert not any(thread.is_alive() for thread in threads), "a session did not stop"
        log = server.log_text()
    finally:
        server.kill()

    assert [tally.error for tally in tallies if tally.error] == []
    store = Store.open(f"sqlite:///{data}/ddmt.sqlite3", data_dir=data)
    lost = []
    try:
        for tally in tallies:
            stored = store.get_answer(round_id, tally.indicator)
            trail = [entry.new for entry in store.history(round_id, tally.indicator)]
            acked = [notes for notes, _ in tally.acked]
            if acked and (stored.answer.notes != acked[-1] or trail != acked or stored.version != len(acked)):
                lost.append((tally.indicator, acked[-3:], trail[-3:]))
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
        print(f"\nLOAD: {figures['sessions']} sessions for {figures['seconds']} s: {figures['saves']} saves "
              f"({figures['saves_per_second']}/s), save latency p50 {figures['p50_ms']} ms, "
              f"p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms; not saved {figures['not_saved']}, "
              f"lost {figures['lost']}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    assert lost == [], f"acknowledged saves missing from the database: {lost}"
    assert [(tally.indicator, tally.refused) for tally in tallies if tally.refused] == []
    assert all(tally.acked for tally in tallies), "a session saved nothing"
    assert sqlite_problems(data / "ddmt.sqlite3") == []
    assert "Traceback" not in log and "locked" not in log.lower(), log[-3000:]
