"""What the fault tests share: a fresh round, a deterministic stream of saves and its model, checks, a small disk.

The stream (`stream_saves`) is what a child process runs until it is killed: a fixed sequence of
answer changes (notes, sometimes a level, sometimes adding or removing an evidence link) over a
few indicators, each sent through `Store.save_answer` / `add_evidence` / `remove_evidence` with
the version the previous acknowledged change returned. After each call returns, the child writes
one JSON line to a pipe: that is the acknowledgement. A line is shorter than PIPE_BUF, so it
arrives whole or not at all, whenever the child is killed.

`StreamModel` replays the acknowledged operations (the sequence is a function of its number and
the state so far, so the parent can compute it too) and says what the database must hold: every
acknowledged change with its version (one more per change) and its audit rows, plus at most the
one operation that was in flight when the child died, whole or not at all.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import select
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event

from toolkit.model.assessment import Evidence, Ministry
from toolkit.model.catalogue import find_rubric
from toolkit.store.store import Store, StoredAnswer

RUBRIC = find_rubric("digital-diplomacy", "1.0.0")
LEVEL_IDS = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
MINISTRY = Ministry(id="fault-mfa", name="Ministry of Faults", country="Faultland", iso3="XFT", fictional=True)
STREAM_INDICATORS = LEVEL_IDS[:4]
STREAM_USER = "stream"


def new_round(store: Store, period: str = "2026") -> str:
    """A ministry (once) and a new, empty draft round of the default rubric."""
    if all(ministry.id != MINISTRY.id for ministry in store.ministries()):
        store.create_ministry(MINISTRY, user="setup")
    return store.create_assessment(MINISTRY.id, period, rubric_id=RUBRIC.id, rubric_version=RUBRIC.version,
                                   user="setup")


def sqlite_problems(database: Path) -> list[str]:
    """What SQLite's own checks find wrong with a database file: [] when integrity and foreign keys are fine."""
    connection = sqlite3.connect(database, timeout=30)
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        keys = [repr(row) for row in connection.execute("PRAGMA foreign_key_check")]
    finally:
        connection.close()
    return ([] if integrity == ["ok"] else integrity) + keys


def checkpoint_truncate(database: Path) -> None:
    """Move the WAL into the database and cut it to nothing, so the next commit must grow a file."""
    connection = sqlite3.connect(database, timeout=30)
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    assert busy == 0, "a reader kept the WAL from being checkpointed"


# ------------------------------------------------------------------------------- the stream

def planned(number: int, evidence: dict[str, list[str]],
            indicators: Sequence[str] = STREAM_INDICATORS) -> tuple[str, str, Any]:
    """Operation `number` of the stream: (indicator, kind, argument); `evidence` is the links held so far."""
    indicator = indicators[number % len(indicators)]
    if number % 5 == 4:
        if evidence.get(indicator):
            return indicator, "remove", 0
        return indicator, "add", f"https://example.org/evidence/{number}"
    changes: dict[str, Any] = {"notes": f"note {number}"}
    if number % 3 == 0:
        changes["level"] = (number // 3) % 5
    return indicator, "fields", changes


def perform(store: Store, round_id: str, indicator: str, kind: str, argument: Any, version: int,
            user: str) -> StoredAnswer:
    """Send one planned operation to the store, based on `version`."""
    if kind == "fields":
        return store.save_answer(round_id, indicator, argument, expected_version=version, user=user)
    if kind == "add":
        return store.add_evidence(round_id, indicator, Evidence(kind="url", value=argument),
                                  expected_version=version, user=user)
    return store.remove_evidence(round_id, indicator, argument, expected_version=version, user=user)


def stream_saves(url: str | None, data_dir: str, round_id: str, write_fd: int, user: str = STREAM_USER,
                 first: int = 0, checkpoint_pages: int | None = None) -> None:
    """Child process: run the stream from operation `first` until killed, acknowledging each on `write_fd`.

    `checkpoint_pages` (SQLite) makes the WAL checkpoint into the database every few pages instead of
    every 1000, so a kill often lands in the middle of a checkpoint too.
    """
    try:
        store = Store.open(url, data_dir=data_dir)
        if checkpoint_pages and store.engine.dialect.name == "sqlite":
            @event.listens_for(store.engine, "connect")
            def _small_wal(dbapi_connection: Any, _record: Any) -> None:
                dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")

            store.engine.dispose()  # the pooled connection is opened again with it
        versions = {indicator: store.get_answer(round_id, indicator).version for indicator in STREAM_INDICATORS}
        evidence = {indicator: [item.value for item in store.get_answer(round_id, indicator).answer.evidence]
                    for indicator in STREAM_INDICATORS}
        number = first
        while True:
            indicator, kind, argument = planned(number, evidence)
            saved = perform(store, round_id, indicator, kind, argument, versions[indicator], user)
            versions[indicator] = saved.version
            evidence[indicator] = [item.value for item in saved.answer.evidence]
            os.write(write_fd, (json.dumps({"n": number, "indicator": indicator, "version": saved.version,
                                            "level": saved.answer.level, "notes": saved.answer.notes,
                                            "evidence": evidence[indicator]}) + "\n").encode())
            number += 1
    except BaseException as error:  # the parent fails the test with it
        with contextlib.suppress(OSError):
            os.write(write_fd, (json.dumps({"error": repr(error)[:1000]}) + "\n").encode())
        os._exit(1)


class AckReader:
    """The parent's end of the acknowledgement pipe: whole JSON lines, read as they come."""

    def __init__(self, read_fd: int):
        self.fd = read_fd
        self.buffer = b""
        self.lines: list[dict[str, Any]] = []
        self.closed = False

    def _pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return
        chunk = os.read(self.fd, 65536)
        if not chunk:
            self.closed = True
            return
        self.buffer += chunk
        *whole, self.buffer = self.buffer.split(b"\n")
        for line in whole:
            item = json.loads(line)
            if "error" in item:
                raise AssertionError(f"the saving process failed: {item['error']}")
            self.lines.append(item)

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.lines) < count:
            if self.closed or time.monotonic() > deadline:
                raise AssertionError(f"the saving process acknowledged {len(self.lines)} saves, expected {count}")
            self._pump(0.05)

    def drain(self, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Everything acknowledged, once the writer is gone (its end of the pipe closed)."""
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            self._pump(0.05)
        assert self.buffer == b"", "a partial acknowledgement line: pipe writes should be atomic"
        os.close(self.fd)
        return self.lines


@dataclass
class Expected:
    """What one indicator must hold: its answer fields, version and audit rows as (field, summary)."""

    version: int = 0
    level: int | None = None
    notes: str | None = None
    evidence: list[str] = field(default_factory=list)
    trail: list[tuple[str, str | None]] = field(default_factory=list)

    def copy(self) -> Expected:
        return Expected(self.version, self.level, self.notes, list(self.evidence), list(self.trail))


class StreamModel:
    """The acknowledged stream, replayed: what the database must hold."""

    def __init__(self, indicators: Sequence[str] = STREAM_INDICATORS):
        self.indicators = list(indicators)
        self.state = {indicator: Expected() for indicator in self.indicators}
        self.next = 0

    def apply(self, number: int) -> tuple[str, Expected]:
        """Apply operation `number` to a copy of its indicator's state; returns (indicator, new state)."""
        evidence = {indicator: expected.evidence for indicator, expected in self.state.items()}
        indicator, kind, argument = planned(number, evidence, self.indicators)
        after = self.state[indicator].copy()
        after.version += 1
        if kind == "fields":
            for name, value in argument.items():  # the store audits the fields in the order given
                if getattr(after, name) != value:
                    setattr(after, name, value)
                    after.trail.append((name, str(value)))
        elif kind == "add":
            after.evidence.append(argument)
            after.trail.append(("evidence", "+" + argument))
        else:
            after.trail.append(("evidence", "-" + after.evidence.pop(argument)))
        return indicator, after

    def acknowledge(self, ack: dict[str, Any]) -> None:
        """One acknowledgement: it must be the next operation, one version up, with the values planned."""
        assert ack["n"] == self.next, f"acknowledgement {ack['n']} arrived when {self.next} was expected"
        indicator, after = self.apply(self.next)
        assert ack["indicator"] == indicator
        assert ack["version"] == after.version == self.state[indicator].version + 1, "a version was skipped"
        assert (ack["level"], ack["notes"], ack["evidence"]) == (after.level, after.notes, after.evidence)
        self.state[indicator] = after
        self.next += 1

    def check(self, store: Store, round_id: str, user: str = STREAM_USER) -> bool:
        """The database holds every acknowledged operation, and the one in flight whole or not at all.

        Returns whether the operation in flight (unacknowledged) had been committed; the model then
        counts it as done.
        """
        in_flight, landed = self.apply(self.next)
        committed = None
        for indicator in self.indicators:
            stored = store.get_answer(round_id, indicator)
            actual = Expected(stored.version, stored.answer.level, stored.answer.notes,
                              [item.value for item in stored.answer.evidence],
                              audit_summary(store, round_id, indicator))
            choices = [self.state[indicator]] + ([landed] if indicator == in_flight else [])
            assert actual in choices, (f"{indicator}: the database holds {actual}, but the acknowledged saves "
                                       f"say {choices[0]}" + (f" or, with the save in flight, {landed}"
                                                              if len(choices) > 1 else ""))
            if indicator == in_flight:
                committed = actual == landed
            assert {entry.user for entry in store.history(round_id, indicator)} <= {user}
        if committed:
            self.state[in_flight] = landed
            self.next += 1
        return bool(committed)


def audit_summary(store: Store, round_id: str, indicator: str) -> list[tuple[str, str | None]]:
    """An answer's audit rows as (field, new value); evidence as "+link" (added) or "-link" (removed)."""
    rows = []
    for entry in store.history(round_id, indicator):
        if entry.field == "evidence":
            added = entry.new is not None
            rows.append(("evidence", ("+" if added else "-") + json.loads(entry.new if added else entry.old)["value"]))
        else:
            rows.append((entry.field, entry.new))
    return rows


# ----------------------------------------------------------------------------- a small disk

NO_MOUNT_COMMAND = "there is no mount command"


def mount_tmpfs(folder: Path, size: str) -> str | None:
    """Mount a tmpfs of `size` on `folder`; None if done, else why it could not be (not root, no mount)."""
    if shutil.which("mount") is None:
        return NO_MOUNT_COMMAND
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
                          capture_output=True, text=True, timeout=30, check=False)
    return None if done.returncode == 0 else f"mount -t tmpfs failed: {done.stderr.strip() or done.returncode}"


def unmount(folder: Path) -> None:
    """Unmount, lazily if something still holds a file open there (the test's clean-up must not fail)."""
    done = subprocess.run(["umount", str(folder)], capture_output=True, timeout=30, check=False)
    if done.returncode != 0:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30, check=False)


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[str | None]:
    """A tmpfs of `size` mounted on `folder` for the block; yields None, or why it could not be mounted."""
    folder.mkdir(parents=True, exist_ok=True)
    problem = mount_tmpfs(folder, size)
    try:
        yield problem
    finally:
        if problem is None:
            unmount(folder)


def fill(folder: Path) -> Path:
    """Write a file in `folder` until the file system has no byte left; returns it (delete it to free the disk)."""
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as stream:
        for chunk in (1 << 20, 1 << 12, 1):
            block = b"\0" * chunk
            while True:
                try:
                    stream.write(block)
                except OSError as error:
                    if error.errno not in (errno.ENOSPC, errno.EFBIG):
                        raise
                    break
    return filler
