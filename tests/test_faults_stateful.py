"""A hypothesis state machine of people editing one round, against a model of acknowledged saves.

Two sessions (two `Store` instances on one SQLite file, each with the versions its screen shows)
edit answers, save them, refresh (the store closed and opened again), meet each other's changes
(a conflict: keep theirs, or overwrite on the version they were shown), and the store is killed:
a child process SIGKILLed at a random moment during a real save, a child killed in the middle of
a large uncommitted write transaction (pages already spilled to the WAL), or a connection closed
without commit. Backups are taken and restored into a new folder. The model holds only what a
caller was told was saved. After every step:

- every acknowledged save is visible, with its values, version and audit rows;
- versions go up by exactly one per acknowledged change (a save that changes nothing keeps it);
- a save based on a stale version never overwrites: it gets a ConflictError carrying what is stored;
- a killed save is there whole or not at all; an uncommitted transaction leaves no trace.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import shutil
import signal
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fault_support import LEVEL_IDS, Expected, new_round, sqlite_problems
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from toolkit.store.store import DATABASE_FILE, ConflictError, Store
from toolkit.store.tables import WRITE

INDICATORS = LEVEL_IDS[:2]
SESSIONS = ("ana", "budi")
CONTEXT = multiprocessing.get_context("fork")

levels = st.none() | st.integers(0, 4)
notes = st.none() | st.sampled_from(["draft", "checked with the unit", "final"])
changes = st.one_of(st.builds(lambda level: {"level": level}, levels),
                    st.builds(lambda text: {"notes": text}, notes),
                    st.builds(lambda level, text: {"level": level, "notes": text}, levels, notes))


def open_store(folder: Path) -> Store:
    """The SQLite store of a folder, named by URL so no DDMT_DATABASE_URL setting can redirect it."""
    return Store.open(f"sqlite:///{folder / DATABASE_FILE}", data_dir=folder)


def after(expected: Expected, change: dict[str, Any]) -> Expected:
    """The answer once `change` is saved on it: one version up and audited if anything changes."""
    new = expected.copy()
    for name, value in change.items():  # the store audits fields in the order given
        if getattr(new, name) != value:
            setattr(new, name, value)
            new.trail.append((name, None if value is None else str(value)))
    if new.trail != expected.trail:
        new.version += 1
    return new


def observed(store: Store, round_id: str, indicator: str) -> Expected:
    stored = store.get_answer(round_id, indicator)
    return Expected(stored.version, stored.answer.level, stored.answer.notes, [],
                    [(entry.field, entry.new) for entry in store.history(round_id, indicator)])


def _save_in_child(folder: str, round_id: str, indicator: str, change: dict[str, Any], version: int,
                   write_fd: int) -> None:
    store = open_store(Path(folder))
    os.write(write_fd, b"r")  # ready: the parent's clock for the kill starts now
    store.save_answer(round_id, indicator, change, expected_version=version, user="killed")
    os.write(write_fd, b"d")  # done: the save was acknowledged
    time.sleep(60)


def _uncommitted_in_child(folder: str, write_fd: int) -> None:
    connection = sqlite3.connect(Path(folder) / DATABASE_FILE, isolation_level=None, timeout=30)
    connection.execute("PRAGMA cache_size = 4")  # a tiny cache: the changed pages spill into the WAL
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE answers SET notes = 'ghost', version = version + 100")
    connection.executemany("INSERT INTO audit (at, user, assessment_id, indicator_id, field, old, new) "
                           "VALUES ('2030-01-01T00:00:00.000Z', 'ghost', 'ghost', NULL, 'ghost', NULL, ?)",
                           [("g" * 4000,) for _ in range(400)])
    os.write(write_fd, b"r")
    time.sleep(60)


def _signals(read_fd: int, wanted: int, timeout: float = 30.0) -> bytes:
    got, deadline = b"", time.monotonic() + timeout
    while len(got) < wanted and time.monotonic() < deadline:
        ready, _, _ = select.select([read_fd], [], [], max(deadline - time.monotonic(), 0))
        chunk = os.read(read_fd, 1) if ready else b""  # one signal at a time: "r" and "d" may both be there
        if not chunk:
            break  # the child is gone (or the time is up)
        got += chunk
    return got


class EditingRound(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ddmt-stateful-"))
        self.stores = {name: open_store(self.folder) for name in SESSIONS}
        self.round_id = new_round(self.stores[SESSIONS[0]])
        self.model = {indicator: Expected() for indicator in INDICATORS}  # what callers were told is saved
        self.seen = {name: dict.fromkeys(INDICATORS, 0) for name in SESSIONS}  # versions each screen shows
        self.pending: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in SESSIONS}  # typed, not saved

    def teardown(self) -> None:
        for store in self.stores.values():
            store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------------ people

    @rule(session=st.sampled_from(SESSIONS), indicator=st.sampled_from(INDICATORS), change=changes)
    def edit(self, session: str, indicator: str, change: dict[str, Any]) -> None:
        """A person changes an answer on screen, not committed yet (a text box still being typed in)."""
        self.pending[session].setdefault(indicator, {}).update(change)

    @rule(indicator=st.sampled_from(INDICATORS), first=changes, second=changes)
    def concurrent_edit(self, indicator: str, first: dict[str, Any], second: dict[str, Any]) -> None:
        """Both people change the same answer on their screens, each from the version they see."""
        self.pending[SESSIONS[0]].setdefault(indicator, {}).update(first)
        self.pending[SESSIONS[1]].setdefault(indicator, {}).update(second)

    @precondition(lambda self: any(self.pending.values()))
    @rule(data=st.data(), overwrite=st.booleans())
    def save(self, data: st.DataObject, overwrite: bool) -> None:
        """One session saves one of its changes on the version its screen shows (the widget's on_change)."""
        session = data.draw(st.sampled_from([name for name in SESSIONS if self.pending[name]]), label="session")
        indicator = data.draw(st.sampled_from(sorted(self.pending[session])), label="indicator")
        self._save(session, indicator, overwrite)

    @rule(session=st.sampled_from(SESSIONS), indicator=st.sampled_from(INDICATORS), change=changes,
          overwrite=st.booleans())
    def edit_and_save(self, session: str, indicator: str, change: dict[str, Any], overwrite: bool) -> None:
        """The common case: a level clicked or a box left is saved at once."""
        self.edit(session, indicator, change)
        self._save(session, indicator, overwrite)

    def _save(self, session: str, indicator: str, overwrite: bool) -> None:
        change = self.pending[session][indicator]
        stored, seen = self.model[indicator], self.seen[session][indicator]
        try:
            saved = self.stores[session].save_answer(self.round_id, indicator, change, expected_version=seen,
                                                     user=session)
        except ConflictError as conflict:
            event("a save met a newer version: " + ("overwrite" if overwrite else "keep theirs"))
            assert seen != stored.version, "a save based on the current version was refused"
            current = conflict.current
            assert (current.version, current.answer.level, current.answer.notes) == (
                stored.version, stored.level, stored.notes), "the conflict did not carry what is stored"
            self.seen[session][indicator] = current.version  # shown theirs; "overwrite" saves on that version
            if not overwrite:
                self.pending[session].pop(indicator)  # "keep theirs"
            return
        assert seen == stored.version, f"a save based on version {seen} overwrote version {stored.version}"
        expected = after(stored, change)
        assert (saved.version, saved.answer.level, saved.answer.notes) == (
            expected.version, expected.level, expected.notes)
        self.model[indicator] = expected
        self.seen[session][indicator] = saved.version
        self.pending[session].pop(indicator)

    @rule(session=st.sampled_from(SESSIONS))
    def refresh(self, session: str) -> None:
        """A refresh or a restarted server: a new Store; the screen shows what is stored, unsaved typing is gone."""
        self.stores[session].close()
        self.stores[session] = open_store(self.folder)
        answers = self.stores[session].answers(self.round_id)
        self.seen[session] = {indicator: answers[indicator].version if indicator in answers else 0
                              for indicator in INDICATORS}
        self.pending[session] = {}

    # ------------------------------------------------------------------------- faults

    @rule(how=st.sampled_from(["during a save", "in an uncommitted transaction", "closed without commit"]),
          indicator=st.sampled_from(INDICATORS), change=changes, delay=st.integers(0, 4000))
    def kill(self, how: str, indicator: str, change: dict[str, Any], delay: int) -> None:
        event(f"killed {how}")
        if how == "during a save":
            self._kill_during_a_save(indicator, change, delay)
        elif how == "in an uncommitted transaction":
            self._kill_in_an_uncommitted_transaction()
        else:
            # A write transaction on a pooled connection given back before it commits: the pool rolls it back.
            connection = self.stores[SESSIONS[0]].engine.connect().execution_options(**{WRITE: True})
            connection.exec_driver_sql("UPDATE answers SET notes = 'never committed', version = version + 1")
            connection.close()

    @contextmanager
    def _forking(self) -> Iterator[None]:
        """No open SQLite connection while a child is forked (SQLite's rule), the stores opened again after."""
        for store in self.stores.values():
            store.close()
        try:
            yield
        finally:
            self.stores = {name: open_store(self.folder) for name in SESSIONS}

    def _kill_during_a_save(self, indicator: str, change: dict[str, Any], delay: int) -> None:
        """A process saving on the current version is SIGKILLed `delay` microseconds after it is ready."""
        read_fd, write_fd = os.pipe()
        with self._forking():
            child = CONTEXT.Process(target=_save_in_child, args=(str(self.folder), self.round_id, indicator, change,
                                                                 self.model[indicator].version, write_fd))
            child.start()
            os.close(write_fd)
            try:
                assert _signals(read_fd, 1) == b"r"
                time.sleep(delay / 1e6)
            finally:
                os.kill(child.pid, signal.SIGKILL)
                child.join(timeout=30)
        acknowledged = b"d" in _signals(read_fd, 1, timeout=1.0)
        os.close(read_fd)
        landed = after(self.model[indicator], change)
        now = observed(self.stores[SESSIONS[0]], self.round_id, indicator)
        assert now in ([landed] if acknowledged else [self.model[indicator], landed]), now
        self.model[indicator] = now  # it landed whole, or not at all

    def _kill_in_an_uncommitted_transaction(self) -> None:
        """A process killed inside a large write transaction whose pages already spilled into the WAL."""
        read_fd, write_fd = os.pipe()
        with self._forking():
            child = CONTEXT.Process(target=_uncommitted_in_child, args=(str(self.folder), write_fd))
            child.start()
            os.close(write_fd)
            try:
                assert _signals(read_fd, 1) == b"r"
            finally:
                os.kill(child.pid, signal.SIGKILL)
                child.join(timeout=30)
                os.close(read_fd)
        assert sqlite_problems(self.folder / DATABASE_FILE) == []

    @rule()
    def restore(self) -> None:
        """Back up the live store, restore into a new folder: the copy holds exactly what is stored."""
        from toolkit.store.backup import backup, restore

        scratch = Path(tempfile.mkdtemp(prefix="ddmt-restore-", dir=self.folder))
        try:
            backup(self.stores[SESSIONS[0]], scratch / "backup.tar.gz")
            target = scratch / "restored"
            restore(scratch / "backup.tar.gz", f"sqlite:///{target / DATABASE_FILE}", data_dir=target)
            copy = open_store(target)
            try:
                for indicator in INDICATORS:
                    assert observed(copy, self.round_id, indicator) == self.model[indicator]
                assert copy.history(self.round_id) == self.stores[SESSIONS[0]].history(self.round_id)
            finally:
                copy.close()
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    # ----------------------------------------------------------------------- invariant

    @invariant()
    def every_acknowledged_save_is_there(self) -> None:
        reader = self.stores[SESSIONS[-1]]
        for indicator in INDICATORS:
            assert observed(reader, self.round_id, indicator) == self.model[indicator]


EditingRound.TestCase.settings = settings(max_examples=30, stateful_step_count=20, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
test_editing_with_faults_never_loses_an_acknowledged_save = EditingRound.TestCase
