"""The app under load: concurrent sessions saving answers against one real app server (SPEC 13).

`run_load` starts one `streamlit run app.py` on 127.0.0.1 over a data folder holding one draft round
and `sessions` headless sessions (`toolkit.ui.live_session`), each a real websocket session
speaking Streamlit's own protocol, as a browser tab does: it opens the assess page of the shared
round and changes the notes of its own indicator, again and again, for `seconds`, pausing `THINK`
seconds before each change (the first one included). Each change reruns the indicator's card (a fragment, as the browser asks
for it) whose `on_change` callback saves through the store, and the session waits for that run to
end. Why not Chromium tabs: on a 2-core machine twenty renderers would starve the server of CPU and
measure the browser; why not AppTest sessions: they would not share one server.

Measured per save: the time from sending the change to the end of the run that saved it and showed
"Saved at" (what a person waits for). A save counts as acknowledged when that run showed the "Saved
at" toast and no "Not saved" or conflict message. Afterwards every acknowledged save must be in the
database: each indicator holds its session's last acknowledged notes, and its audit trail lists every
acknowledged value in order; anything else is counted as lost. `LoadRun.figures` holds exactly SPEC
13's fields. The load test (tests/test_load.py) asserts that nothing is lost; `ddmt bench` reports
the p95 as `app_load_p95_seconds`. `first_page_seconds` times fresh sessions opening the assess page.
"""

from __future__ import annotations

import math
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.model.assessment import Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.model.rubric import Rubric
from toolkit.store.store import Store
from toolkit.ui.live_session import Run, Server, Session, text

THINK = (1.0, 3.0)  # seconds between two changes of one person: ten times busier than people filling in a form
RUBRIC = ("digital-diplomacy", "1.0.0")  # the rubric the load figures have been measured on since issue 16
MINISTRY = Ministry(id="load-mfa", name="Ministry of Load", country="Loadland", iso3="XLD", fictional=True)


def sessions_wanted(default: int = 20) -> int:
    """`DDMT_LOAD_SESSIONS`, else `default`; ValueError naming the variable if it is not a whole number >= 1."""
    return int(_positive("DDMT_LOAD_SESSIONS", default, whole=True))


def seconds_wanted(default: float = 20.0) -> float:
    """`DDMT_LOAD_SECONDS`, else `default`; ValueError naming the variable if it is not a number > 0."""
    return _positive("DDMT_LOAD_SECONDS", default, whole=False)


def _positive(variable: str, default: float, *, whole: bool) -> float:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = 0
    if not value > 0 or not math.isfinite(value):
        kind = "a whole number of sessions, 1 or more" if whole else "a number of seconds above 0"
        raise ValueError(f"{variable}={raw!r}: give {kind}")
    return value


@dataclass
class Tally:
    """What one session saw."""

    indicator: str
    acked: list[tuple[str, float]] = field(default_factory=list)  # (notes, seconds) of acknowledged saves
    refused: list[tuple[str, list[str]]] = field(default_factory=list)  # (notes, messages) of saves not acknowledged
    error: str | None = None


@dataclass
class LoadRun:
    """What a load run measured: SPEC 13's `figures`, each session's tally, the lost saves, the server log."""

    figures: dict[str, Any]
    tallies: list[Tally]
    lost: list[tuple[str, list[str], list[str]]]  # (indicator, last acknowledged notes, last stored in the trail)
    log: str
    round_id: str
    data_dir: Path


def spread_indicators(rubric: Rubric, count: int) -> list[tuple[str, str]]:
    """`count` indicators, (indicator, its top dimension), taken round-robin over the dimensions.

    Level indicators first (twenty sessions change the same ones as before metrics were added), then
    metric ones: every card has its notes, and fifty sessions need more than the 48 level indicators.
    """
    per_dimension: list[list[tuple[str, str]]] = []
    for dimension in rubric.dimensions:
        found: list[tuple[str, str]] = []

        def walk(node, top=dimension.id, found=found) -> None:
            found.extend((indicator.id, top) for indicator in node.indicators if not indicator.is_metric)
            for child in node.dimensions:
                walk(child)

        walk(dimension)
        metrics: list[tuple[str, str]] = []

        def walk_metrics(node, top=dimension.id, metrics=metrics) -> None:
            metrics.extend((indicator.id, top) for indicator in node.indicators if indicator.is_metric)
            for child in node.dimensions:
                walk_metrics(child)

        walk_metrics(dimension)
        per_dimension.append(found + metrics)
    if count > sum(len(found) for found in per_dimension):
        raise ValueError(f"{count} sessions: the rubric has only {sum(map(len, per_dimension))} indicators, "
                         "one for each session")
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


def new_round(data_dir: Path, ministry: Ministry = MINISTRY) -> str:
    """A SQLite store in `data_dir` with one ministry and an empty draft round of the default rubric."""
    store = Store.open(f"sqlite:///{data_dir}/ddmt.sqlite3", data_dir=data_dir)
    try:
        if all(known.id != ministry.id for known in store.ministries()):
            store.create_ministry(ministry, user="setup")
        return store.create_assessment(ministry.id, "2026", rubric_id=RUBRIC[0], rubric_version=RUBRIC[1],
                                       user="setup")
    finally:
        store.close()


@dataclass(frozen=True)
class Person:
    """What one simulated person does: the page and address they open, the notes they change, and
    how the run after a change says it saved (the assess page's toast, the respond page's alert)."""

    page: str  # the URL path name ("assess", "respond")
    query: str  # the address's query string (round, dimension or respondent, the name)
    widget_key: str  # the notes widget they change, drawn inside its card's fragment
    label: str  # written into the notes: "<label> save <n>"
    verdict: Callable[[Run], tuple[bool, list[str]]]  # (acknowledged, the messages that refused it)


def assess_verdict(run: Run) -> tuple[bool, list[str]]:
    """The assess page: acknowledged by the "Saved at" toast, refused by "Not saved" or a conflict."""
    messages = [body for body in run.texts("alert") if body.startswith(("Not saved", "Someone else"))]
    return not messages and any(body.startswith("Saved at") for body in run.texts("toast")), messages


def person(server: Server, who: Person, start: threading.Barrier, until: list[float], seed: int, tally: Tally,
           think: tuple[float, float] = THINK) -> None:
    """One session: open the page, wait for everyone, then change the notes until time is up; thinking first."""
    rng = random.Random(seed)
    try:
        with Session(server, who.query, page=who.page) as session:
            first = session.open()
            widget_id = first.widget_ids()[who.widget_key]
            fragment = first.fragment_of(widget_id)  # a card is a fragment: the change reruns that card
            if not fragment:
                raise AssertionError(f"{who.widget_key} is not drawn inside a fragment: "
                                     "each change would rerun the page")
            start.wait(timeout=180)
            # A person thinks before the first change too: without it every session's first save left at
            # the same instant, a burst of twenty that no workshop produces and that alone set the p95.
            time.sleep(rng.uniform(*think))
            number = 0
            while time.monotonic() < until[0]:
                notes = f"{who.label} save {number}"
                run = session.rerun(text(widget_id, notes), fragment_id=fragment)
                acknowledged, messages = who.verdict(run)
                if acknowledged:
                    tally.acked.append((notes, run.seconds))
                else:
                    tally.refused.append((notes, messages))
                number += 1
                time.sleep(rng.uniform(*think))
    except Exception as error:  # noqa: BLE001 - reported in the tally
        tally.error = f"{type(error).__name__}: {error}"


def _assessor(round_id: str, indicator: str, dimension: str) -> Person:
    """A person on the assess page of the round, at their indicator's dimension, changing its notes."""
    return Person("assess", f"name=Load%20tester&assessment={round_id}&dimension={dimension}",
                  f"assess_notes_{round_id}_{indicator}", indicator, assess_verdict)


def run_load(data_dir: Path, sessions: int, seconds: float, think: tuple[float, float] = THINK) -> LoadRun:
    """Start a server on `data_dir` (a new draft round in it), run `sessions` for `seconds`, check the database."""
    data_dir.mkdir(parents=True, exist_ok=True)
    round_id = new_round(data_dir)  # an assessment in the database: the server seeds no samples
    people = spread_indicators(find_rubric(*RUBRIC), sessions)
    server = Server(data_dir)
    server.start()
    try:
        tallies = [Tally(indicator) for indicator, _ in people]
        start = threading.Barrier(sessions + 1)
        until = [float("inf")]
        threads = [threading.Thread(target=person, args=(server, _assessor(round_id, indicator, dimension), start,
                                                         until, number, tallies[number], think), daemon=True)
                   for number, (indicator, dimension) in enumerate(people)]
        for thread in threads:
            thread.start()
        try:
            start.wait(timeout=180)  # every session has its page open
        except threading.BrokenBarrierError:
            pass  # a session failed to open: its tally says why
        began = time.monotonic()
        until[0] = began + seconds
        for thread in threads:
            thread.join(timeout=seconds + 90)
        elapsed = time.monotonic() - began
        if any(thread.is_alive() for thread in threads):
            for tally, thread in zip(tallies, threads, strict=True):
                if thread.is_alive():
                    tally.error = tally.error or "the session did not stop"
        log = server.log_text()
    finally:
        server.kill()
    lost = _lost(data_dir, round_id, tallies)
    return LoadRun(_figures(sessions, elapsed, think, tallies, lost), tallies, lost, log, round_id, data_dir)


def _lost(data_dir: Path, round_id: str, tallies: list[Tally]) -> list[tuple[str, list[str], list[str]]]:
    """Acknowledged saves the database does not hold: per indicator, the last value and the audit trail."""
    store = Store.open(f"sqlite:///{data_dir}/ddmt.sqlite3", data_dir=data_dir)
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
    return lost


def _figures(sessions: int, elapsed: float, think: tuple[float, float], tallies: list[Tally],
             lost: list) -> dict[str, Any]:
    """SPEC 13's fields: sessions, seconds, think_seconds, saves, saves_per_second, p50/p95/max_ms, not_saved, lost."""
    latencies = [seconds for tally in tallies for _, seconds in tally.acked]

    def ms(value: float | None) -> int | None:
        return None if value is None else round(value * 1000)

    return {
        "sessions": sessions, "seconds": round(elapsed, 1), "think_seconds": list(think),
        "saves": len(latencies), "saves_per_second": round(len(latencies) / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": ms(percentile(latencies, 0.50) if latencies else None),
        "p95_ms": ms(percentile(latencies, 0.95) if latencies else None),
        "max_ms": ms(max(latencies) if latencies else None),
        "not_saved": sum(len(tally.refused) for tally in tallies), "lost": len(lost),
    }


def first_page_seconds(data_dir: Path, sessions: int) -> list[float]:
    """The wall time of `sessions` fresh sessions, one after another, each opening the assess page of a round.

    The server is started and warmed by one opening first (its start and the rubric's first parse
    are not what a person arriving at a running workshop waits for); each timed session is new, so
    its run draws the whole page: every card of the first dimension, the progress and the history.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    round_id = new_round(data_dir)
    server = Server(data_dir)
    server.start()
    try:
        times = []
        for number in range(sessions + 1):
            with Session(server, f"name=Load%20tester&assessment={round_id}", page="assess") as session:
                run = session.open()
                if not run.widget_ids():
                    raise RuntimeError("the assess page drew no widgets: " + " | ".join(run.texts("alert"))[:300])
                if number:
                    times.append(run.seconds)
        return times
    finally:
        server.kill()
