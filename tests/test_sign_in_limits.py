"""The sign-in counters themselves (`toolkit.store.sign_in_limits`): which attempts share a counter,
how long each waits, when a counter starts again. Through `accounts.sign_in` in tests/test_accounts.py
and under a burst in tests/test_security_sign_in.py; here at their boundaries, without password checks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pg import Backend
from sqlalchemy import select

from toolkit.store import sign_in_limits as limits
from toolkit.store.store import Store
from toolkit.store.tables import sign_in_attempts

START = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
LOGIN, CLIENT = limits.keys("ana", "203.0.113.9")


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    yield opened
    opened.close()


def attempt(store: Store, at: datetime, counters=((LOGIN, 5), (CLIENT, 20))) -> timedelta | None:
    """One attempt counted (None) or refused (the wait), as `accounts.sign_in` makes it."""
    with store._write() as connection:
        return limits.reserve(connection, counters, at)


def counter(store: Store, key: str) -> dict | None:
    with store._read() as connection:
        row = connection.execute(select(sign_in_attempts).where(sign_in_attempts.c.key == key)).mappings().first()
    return dict(row) if row is not None else None


def test_a_login_counts_as_one_in_any_case_and_spacing_and_per_client_address():
    assert limits.keys("  Ana@Example.ORG ", "203.0.113.9") == limits.keys("ana@example.org", "203.0.113.9") == \
        ("login:ana@example.org|203.0.113.9", "client:203.0.113.9")
    assert limits.keys("ana", "198.51.100.7") == ("login:ana|198.51.100.7", "client:198.51.100.7")
    longest = limits.keys("a" * 254, "c" * 100)  # the longest login and client address `sign_in` passes on
    assert longest == ("login:" + "a" * 254 + "|" + "c" * 100, "client:" + "c" * 100)
    # Anything longer is cut to MAX_KEY characters, so a key's size stays bounded whoever calls.
    assert limits.keys("a" * 500, "c") == (("login:" + "a" * 500)[:400], "client:c")
    assert limits.keys("a", "c" * 500) == ("login:a|" + "c" * 392, "client:" + "c" * 393)


@pytest.mark.parametrize(("failures", "wait"), [
    (0, 0), (4, 0),  # within the five free attempts
    (5, 30), (6, 60), (7, 120), (9, 480),  # then doubling from 30 s
    (10, 900), (11, 900), (30, 900), (10_000, 900),  # at most 15 minutes, however many attempts came before
])
def test_the_wait_doubles_from_30_seconds_after_the_free_attempts_up_to_15_minutes(failures, wait):
    assert limits.delay(failures, 5) == timedelta(seconds=wait)


def test_the_free_attempts_are_the_counters_own(store):
    for n in range(5):
        assert attempt(store, START, ((LOGIN, 5), (CLIENT, 7))) is None, n
    assert (counter(store, LOGIN)["blocked_until"], counter(store, CLIENT)["blocked_until"]) == \
        ("2030-01-01T09:00:30.000Z", None)
    assert attempt(store, START + timedelta(seconds=30), ((LOGIN, 5), (CLIENT, 7))) is None  # the login's wait is over
    assert attempt(store, START + timedelta(seconds=90), ((LOGIN, 5), (CLIENT, 7))) is None
    assert counter(store, CLIENT) == {"key": CLIENT, "failures": 7, "last_at": "2030-01-01T09:01:30.000Z",
                                      "blocked_until": "2030-01-01T09:02:00.000Z"}


def test_an_attempt_waits_until_the_last_counted_one_allows_and_a_refused_one_is_not_counted(store):
    for _ in range(5):
        assert attempt(store, START) is None
    assert attempt(store, START + timedelta(seconds=30)) is None  # the sixth, which makes the seventh wait 60 s
    assert counter(store, LOGIN) == {"key": LOGIN, "failures": 6, "last_at": "2030-01-01T09:00:30.000Z",
                                     "blocked_until": "2030-01-01T09:01:30.000Z"}
    assert attempt(store, START + timedelta(seconds=31)) == timedelta(seconds=59)
    assert attempt(store, START + timedelta(seconds=89, milliseconds=999)) == timedelta(milliseconds=1)
    assert counter(store, LOGIN)["failures"] == 6  # the refused attempts changed nothing
    assert attempt(store, START + timedelta(seconds=90)) is None  # the wait is over at its last millisecond
    assert counter(store, LOGIN)["failures"] == 7


def test_the_longer_wait_of_the_two_counters_is_the_answer(store):
    for _ in range(5):
        assert attempt(store, START - timedelta(seconds=60), ((LOGIN, 5),)) is None
    assert attempt(store, START - timedelta(seconds=20), ((LOGIN, 5),)) is None  # the login now waits to 09:00:40
    for n in range(20):  # the address, over twenty logins, waits to 09:00:30
        assert attempt(store, START, ((f"login:user{n}|203.0.113.9", 5), (CLIENT, 20))) is None
    assert attempt(store, START + timedelta(seconds=10), ((LOGIN, 5), (CLIENT, 20))) == timedelta(seconds=30)
    assert attempt(store, START + timedelta(seconds=10), ((CLIENT, 20), (LOGIN, 5))) == timedelta(seconds=30)
    assert attempt(store, START + timedelta(seconds=35)) == timedelta(seconds=5)
    assert attempt(store, START + timedelta(seconds=40)) is None


def test_a_counter_quiet_for_an_hour_starts_again(store):
    for _ in range(5):
        assert attempt(store, START) is None
    # Exactly an hour after the last attempt the counter still holds: the next one waits 60 s.
    assert attempt(store, START + limits.WINDOW) is None
    assert counter(store, LOGIN)["failures"] == 6
    assert attempt(store, START + limits.WINDOW + timedelta(seconds=1)) == timedelta(seconds=59)
    # A millisecond more than an hour after the last counted attempt: from one again, five free attempts.
    later = START + 2 * limits.WINDOW + timedelta(milliseconds=1)
    for n in range(5):
        assert attempt(store, later) is None, n
        assert counter(store, LOGIN)["failures"] == n + 1
    assert attempt(store, later) == timedelta(seconds=30)


def test_clearing_forgets_that_counter_only(store):
    for _ in range(5):
        assert attempt(store, START) is None
    other = limits.keys("bob", "203.0.113.9")[0]
    assert attempt(store, START, ((other, 5),)) is None
    with store._write() as connection:
        limits.clear(connection, LOGIN)
    assert counter(store, LOGIN) is None
    assert counter(store, CLIENT)["failures"] == 5 and counter(store, other)["failures"] == 1
    assert attempt(store, START, ((LOGIN, 5),)) is None
    assert counter(store, LOGIN)["failures"] == 1


def test_counters_keep_utc_times_whatever_the_servers_time_zone(store, monkeypatch):
    """Times are compared as text: a stamp in the server's local time would sort wrongly against UTC ones."""
    monkeypatch.setenv("TZ", "Asia/Jakarta")  # UTC+7, no summer time
    time.tzset()
    try:
        for _ in range(5):
            assert attempt(store, START) is None
        assert (counter(store, LOGIN)["last_at"], counter(store, LOGIN)["blocked_until"]) == \
            ("2030-01-01T09:00:00.000Z", "2030-01-01T09:00:30.000Z")
        assert attempt(store, START + timedelta(seconds=10)) == timedelta(seconds=20)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_two_first_attempts_at_once_are_both_counted(store):
    """The second waits for the first's transaction and counts on the counter it made. On PostgreSQL row
    locks cannot hold a counter not made yet: without the advisory lock the second would insert the
    same key and fail on it instead of being counted."""
    first_counted, answers = threading.Event(), []

    def second() -> None:
        first_counted.wait()
        try:
            answers.append(attempt(store, START))
        except Exception as error:  # noqa: BLE001 - the failure is the finding
            answers.append(error)

    thread = threading.Thread(target=second)
    thread.start()
    with store._write() as connection:
        assert limits.reserve(connection, ((LOGIN, 5), (CLIENT, 20)), START) is None
        first_counted.set()
        time.sleep(1)  # meanwhile the second attempt reaches the lock (or, without it, the duplicate key)
    thread.join()
    assert answers == [None]
    assert (counter(store, LOGIN)["failures"], counter(store, CLIENT)["failures"]) == (2, 2)
