"""SIGKILL during a stream of saves: every acknowledged save is there afterwards, whole, with its audit rows.

A child process saves answers in a loop through the store (`fault_support.stream_saves`) and
acknowledges each returned save on a pipe; the parent kills it with SIGKILL at a random moment
(seeded, so a failure can be replayed), then reads the database as a restarted server would. Each
test kills the same stream twice, the second run going on from what the first left. On SQLite the
file must also pass `PRAGMA integrity_check` and `foreign_key_check`. Runs on SQLite and PostgreSQL.

What a SIGKILL can and cannot show: the killed process's committed writes are in the operating
system's cache either way, so this proves the transactions are atomic and the acknowledgement
comes after the commit; that a commit is on the disk before it returns (power loss) rests on
`synchronous=FULL`, which tests/test_store.py checks is set.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest
from fault_support import (
    STREAM_USER,
    AckReader,
    StreamModel,
    new_round,
    sqlite_problems,
    stream_saves,
)
from pg import Backend

from toolkit.store.store import Store

SAMPLE = Path(__file__).resolve().parent.parent / "sample_ministries" / "belmara-mfa-2026.json"
CONTEXT = multiprocessing.get_context("fork")  # children start in milliseconds


def kill_at_random(target, args: tuple, rng: random.Random, *, after: int = 1,
                   longest: float = 0.25) -> list[dict]:
    """Start a child that acknowledges on a pipe, SIGKILL it at a random moment after `after` acks; its acks."""
    read_fd, write_fd = os.pipe()
    child = CONTEXT.Process(target=target, args=(*args, write_fd))
    child.start()
    os.close(write_fd)
    reader = AckReader(read_fd)
    try:
        reader.wait_for(after)
        time.sleep(rng.uniform(0.0, longest))
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
    assert child.exitcode == -signal.SIGKILL, "the child ended before it was killed"
    return reader.drain()


def _stream(url: str | None, data_dir: str, round_id: str, first: int, checkpoint_pages: int | None,
            write_fd: int) -> None:
    stream_saves(url, data_dir, round_id, write_fd, STREAM_USER, first, checkpoint_pages)


@pytest.mark.parametrize(("seed", "checkpoint_pages"), [(11, None), (23, None), (37, 8), (41, 8)],
                         ids=["seed11", "seed23", "seed37-checkpointing", "seed41-checkpointing"])
def test_a_killed_writer_loses_no_acknowledged_save(backend: Backend, tmp_path: Path, seed: int,
                                                    checkpoint_pages: int | None) -> None:
    """Killed twice; with `checkpoint_pages` the WAL is checkpointed every few saves, so kills hit checkpoints too."""
    rng = random.Random(seed)
    store = backend.open(tmp_path)
    round_id = new_round(store)
    store.close()  # the parent holds no connection while children come and go
    model = StreamModel()
    for _ in range(2):
        acks = kill_at_random(_stream, (backend.url(tmp_path), str(tmp_path), round_id, model.next,
                                        checkpoint_pages), rng)
        assert acks, "nothing was acknowledged before the kill"
        for ack in acks:
            model.acknowledge(ack)  # each acknowledged save is the next one, exactly one version up
        if backend.name == "sqlite":
            assert sqlite_problems(tmp_path / "ddmt.sqlite3") == []
        reopened = backend.open(tmp_path)  # what a restarted server reads
        try:
            model.check(reopened, round_id)
        finally:
            reopened.close()
    assert model.next >= 2


def _import_stream(url: str | None, data_dir: str, write_fd: int) -> None:
    """Child: import copies of a sample round under new ids, one transaction each, acknowledging each."""
    try:
        store = Store.open(url, data_dir=data_dir)
        document = json.loads(SAMPLE.read_text(encoding="utf-8"))
        number = 0
        while True:
            copy = f"{document['ministry']['id']}-copy-{number}"  # a round id starts with its ministry's
            store.import_document({**document, "id": copy}, user="importer", name=f"copy-{number}.json")
            os.write(write_fd, (json.dumps({"id": copy}) + "\n").encode())
            number += 1
    except BaseException as error:
        os.write(write_fd, (json.dumps({"error": repr(error)[:1000]}) + "\n").encode())
        os._exit(1)


@pytest.mark.parametrize("seed", [5, 8])
def test_an_import_killed_half_way_is_all_there_or_not_at_all(backend: Backend, tmp_path: Path, seed: int) -> None:
    """A whole round is one transaction: a kill in the middle leaves no half-imported round."""
    rng = random.Random(seed)
    backend.open(tmp_path).close()
    acks = kill_at_random(_import_stream, (backend.url(tmp_path), str(tmp_path)), rng, longest=0.5)
    acknowledged = [ack["id"] for ack in acks]
    if backend.name == "sqlite":
        assert sqlite_problems(tmp_path / "ddmt.sqlite3") == []
    expected = json.loads(SAMPLE.read_text(encoding="utf-8"))["answers"]
    store = backend.open(tmp_path)
    try:
        stored = [summary.id for summary in store.assessments()]
        # Every acknowledged import, and at most the one in flight.
        in_flight = f"{json.loads(SAMPLE.read_text(encoding='utf-8'))['ministry']['id']}-copy-{len(acknowledged)}"
        assert set(acknowledged) <= set(stored) <= {*acknowledged, in_flight}
        for round_id in stored:
            answers = store.answers(round_id)
            assert set(answers) == set(expected), f"{round_id} was imported only in part"
            assert [entry.field for entry in store.history(round_id)] == ["imported"]
    finally:
        store.close()
