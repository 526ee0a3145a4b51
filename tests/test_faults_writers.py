"""Two writers at once: two processes saving to the same assessment, each with its own Store.

Each process changes answers of its own (different answers) and one answer both change (the same
answer), first in lock-step races (both read the same version, wait for each other, then save),
then freely (120 saves each, as fast as they go), as two people or two servers would. What must hold, on SQLite and on
PostgreSQL:

- no caller ever sees "database is locked" or any StorageError: a writer waits for the other
  (SQLite's busy timeout, `BEGIN IMMEDIATE`; PostgreSQL's row locks) far less than the busy timeout;
- the same answer changed from the same version: exactly one save wins, the other gets a
  `ConflictError` carrying the winner's answer; nothing is overwritten silently;
- nothing acknowledged is lost: every version of every answer belongs to exactly one acknowledged
  save, and the audit trail lists every acknowledged value in version order.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

from fault_support import LEVEL_IDS, new_round, sqlite_problems
from pg import Backend

from toolkit.store.store import BUSY_TIMEOUT, ConflictError, Store

CONTEXT = multiprocessing.get_context("fork")
RACES = 20
FREE_SAVES = 120  # per writer, half of them on the shared answer
FREE_LIMIT = 60.0  # seconds: a bound, never reached unless something hangs
WRITERS = {"ana": LEVEL_IDS[0:3], "budi": LEVEL_IDS[3:6]}  # each writer's own answers
SHARED = LEVEL_IDS[6]  # the answer both change


def _writer(url: str | None, data_dir: str, round_id: str, name: str, barrier: Any, results: Any) -> None:
    """One process: the races on the shared answer, then a free run over its own answers and the shared one."""
    out: dict[str, Any] = {"name": name, "races": [], "acks": [], "conflicts": 0, "errors": [], "slowest": 0.0}
    try:
        store = Store.open(url, data_dir=data_dir)
        for race in range(RACES):
            barrier.wait(timeout=30)
            seen = store.get_answer(round_id, SHARED).version
            barrier.wait(timeout=30)  # both have read the same version: now both save on it
            notes = f"{name} race {race}"
            try:
                saved = store.save_answer(round_id, SHARED, {"notes": notes}, expected_version=seen, user=name)
                out["races"].append(("won", saved.version, notes))
            except ConflictError as conflict:
                out["races"].append(("lost", conflict.current.version, conflict.current.answer.notes))
        own = WRITERS[name]
        versions = {indicator: store.get_answer(round_id, indicator).version for indicator in [*own, SHARED]}
        barrier.wait(timeout=30)
        until, number = time.monotonic() + FREE_LIMIT, 0
        while number < FREE_SAVES and time.monotonic() < until:
            indicator = SHARED if number % 2 else own[(number // 2) % len(own)]
            notes = f"{name} {number}"
            began = time.monotonic()
            try:
                saved = store.save_answer(round_id, indicator, {"notes": notes}, expected_version=versions[indicator],
                                          user=name)
                out["acks"].append((indicator, saved.version, notes))
                versions[indicator] = saved.version
            except ConflictError as conflict:
                out["conflicts"] += 1
                versions[indicator] = conflict.current.version  # shown the other's answer, the person saves again
            except Exception as error:  # noqa: BLE001 - every other failure is what the test looks for
                out["errors"].append(f"{type(error).__name__}: {error}")
            out["slowest"] = max(out["slowest"], time.monotonic() - began)
            number += 1
        store.close()
    except BaseException as error:  # reported to the parent, which fails the test with it
        out["errors"].append(f"{type(error).__name__}: {error}")
    results.put(out)


def test_two_writers_at_once_lose_nothing_and_surface_conflicts(backend: Backend, tmp_path: Path) -> None:
    store = backend.open(tmp_path)
    round_id = new_round(store)
    store.close()
    barrier, results = CONTEXT.Barrier(len(WRITERS)), CONTEXT.Queue()
    processes = [CONTEXT.Process(target=_writer, args=(backend.url(tmp_path), str(tmp_path), round_id, name,
                                                        barrier, results)) for name in WRITERS]
    for process in processes:
        process.start()
    outcomes = {out["name"]: out for out in (results.get(timeout=120) for _ in processes)}
    for process in processes:
        process.join(timeout=30)

    # No "database is locked", nor any other storage error, reached a caller; no one waited long.
    assert {name: out["errors"] for name, out in outcomes.items()} == {name: [] for name in WRITERS}
    assert max(out["slowest"] for out in outcomes.values()) < BUSY_TIMEOUT
    assert all(len(out["acks"]) + out["conflicts"] == FREE_SAVES for out in outcomes.values())

    # The races: one winner each, the loser told with the winner's answer.
    winners = []
    for race in range(RACES):
        results_of_race = {name: out["races"][race] for name, out in outcomes.items()}
        won = [(name, result) for name, result in results_of_race.items() if result[0] == "won"]
        assert len(won) == 1, f"race {race}: {results_of_race}"
        (_, (_, version, notes)), = won
        assert version == race + 1
        for _, seen_version, seen_notes in results_of_race.values():
            assert (seen_version, seen_notes) == (version, notes)  # the conflict carried what won
        winners.append(notes)

    store = backend.open(tmp_path)
    try:
        # Different answers: each holds its writer's last acknowledged save, every save in its trail.
        for name, own in WRITERS.items():
            for indicator in own:
                acked = [(version, notes) for where, version, notes in outcomes[name]["acks"] if where == indicator]
                assert [version for version, _ in acked] == list(range(1, len(acked) + 1))
                stored = store.get_answer(round_id, indicator)
                assert (stored.version, stored.answer.notes) == acked[-1]
                assert [entry.new for entry in store.history(round_id, indicator)] == [notes for _, notes in acked]
        # The same answer: every version is exactly one acknowledged save of one writer, in the trail in order.
        shared = sorted((version, notes) for out in outcomes.values()
                        for where, version, notes in out["acks"] if where == SHARED)
        stored = store.get_answer(round_id, SHARED)
        assert [version for version, _ in shared] == list(range(RACES + 1, stored.version + 1))
        assert stored.answer.notes == shared[-1][1]
        assert [entry.new for entry in store.history(round_id, SHARED)] == winners + [notes for _, notes in shared]
    finally:
        store.close()
    if backend.name == "sqlite":
        assert sqlite_problems(tmp_path / "ddmt.sqlite3") == []
    saves = sum(len(out["acks"]) for out in outcomes.values())
    conflicts = sum(out["conflicts"] for out in outcomes.values())
    assert conflicts > 0
    print(f"two writers ({backend.name}): {saves} saves, {conflicts} conflicts in the free run, "
          f"slowest save {max(out['slowest'] for out in outcomes.values()) * 1000:.0f} ms")


def test_many_sessions_of_one_server_saving_at_once_each_get_their_turn(tmp_path: Path) -> None:
    """20 threads sharing one Store (one server's sessions) save in a tight loop for 4 s: none is starved."""
    import threading

    store = Store.open(data_dir=tmp_path)
    round_id = new_round(store)
    counts, slowest, errors = [0] * 20, [0.0] * 20, []
    start = threading.Barrier(len(counts))

    def session(number: int) -> None:
        version, until = 0, None
        start.wait(timeout=30)
        until = time.monotonic() + 4.0
        while time.monotonic() < until:
            began = time.monotonic()
            try:
                version = store.save_answer(round_id, LEVEL_IDS[number], {"notes": f"{number} {began}"},
                                            expected_version=version, user=f"session {number}").version
                counts[number] += 1
            except Exception as error:  # noqa: BLE001 - collected: the test reports them
                errors.append(f"{type(error).__name__}: {error}")
            slowest[number] = max(slowest[number], time.monotonic() - began)

    threads = [threading.Thread(target=session, args=(number,)) for number in range(len(counts))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        store.close()
    assert errors == []
    mean = sum(counts) / len(counts)
    assert min(counts) >= mean / 4, (f"saves per session: {sorted(counts)}; the slowest save waited "
                                      f"{max(slowest):.1f} s")
