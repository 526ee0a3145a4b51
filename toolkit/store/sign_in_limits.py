"""Sign-in limits that hold under a burst and cannot be used to lock someone else out.

Each attempt is counted *before* its password is checked, in one write transaction (SQLite's
`BEGIN IMMEDIATE`, a row lock on PostgreSQL), so sixty simultaneous guesses get exactly as many
password checks as the limit allows, never more. Two counters are kept, both keyed by text, never by
whether an account exists:

* per login and client address (`login:<login>|<client>`): `FREE_PER_LOGIN` attempts, then each
  further attempt waits a delay that doubles (30 s, 1 min, 2 min, ... at most `MAX_DELAY`, 15 min);
* per client address (`client:<client>`), across all logins: `FREE_PER_CLIENT` attempts, then the
  same growing delay, so one address cannot spray guesses over many accounts.

A right password clears its login-and-client counter (the client's counter clears only with time);
a password set by an administrator clears the counters of that account's name and e-mail from every
address, so the person can sign in with it at once.
A counter with no attempt for `WINDOW` starts again from zero. No account is ever locked: a person
signing in from their own address is not slowed by someone guessing from another.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, func, insert, select, update

from toolkit.store.tables import sign_in_attempts

FREE_PER_LOGIN = 5
FREE_PER_CLIENT = 20
FIRST_DELAY = timedelta(seconds=30)  # longer than a password check takes, so the wait is felt
MAX_DELAY = timedelta(minutes=15)
WINDOW = timedelta(hours=1)
SIGN_IN_LOCK = 0x64646D73  # the PostgreSQL advisory lock key of sign-in attempts ("ddms" in ASCII)
MAX_KEY = 400  # a login is at most 254 characters, an address far less


def keys(login: str, client: str) -> tuple[str, str]:
    """The two counters an attempt counts against: this login from this client, and this client."""
    return (f"login:{login.strip().lower()}|{client}"[:MAX_KEY], f"client:{client}"[:MAX_KEY])


def delay(failures: int, free: int) -> timedelta:
    """How long the attempt after `failures` counted ones must wait: none within `free`, then doubling from 30 s."""
    if failures < free:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** min(failures - free, 20), MAX_DELAY)


def reserve(connection: Connection, counters: Sequence[tuple[str, int]], now: datetime) -> timedelta | None:
    """Count one attempt against each (key, free attempts) counter, or refuse it; returns the wait if refused.

    Runs inside the caller's write transaction, which serialises it with every other attempt.
    """
    if connection.dialect.name == "postgresql":
        # Row locks cannot lock a counter not created yet: one advisory lock queues every attempt.
        connection.execute(select(func.pg_advisory_xact_lock(SIGN_IN_LOCK)))
    stamp = _stamp(now)
    rows = {}
    for key, _free in counters:
        row = connection.execute(select(sign_in_attempts).where(sign_in_attempts.c.key == key)
                                 .with_for_update()).mappings().first()
        if row is not None and row["last_at"] < _stamp(now - WINDOW):
            row = None  # quiet for long enough: start again
        rows[key] = row
    waits = [datetime.fromisoformat(row["blocked_until"]) - now for row in rows.values()
             if row is not None and row["blocked_until"] and row["blocked_until"] > stamp]
    if waits:
        return max(waits)
    for key, free in counters:
        row = rows[key]
        failures = (row["failures"] if row is not None else 0) + 1
        wait = delay(failures, free)
        values = {"failures": failures, "last_at": stamp, "blocked_until": _stamp(now + wait) if wait else None}
        exists = connection.scalar(select(sign_in_attempts.c.key).where(sign_in_attempts.c.key == key))
        if exists is None:
            connection.execute(insert(sign_in_attempts).values(key=key, **values))
        else:
            connection.execute(update(sign_in_attempts).where(sign_in_attempts.c.key == key).values(**values))
    return None


def clear(connection: Connection, key: str) -> None:
    """Forget a counter (a right password clears its login-and-client counter)."""
    connection.execute(delete(sign_in_attempts).where(sign_in_attempts.c.key == key))


def clear_login(connection: Connection, login: str) -> None:
    """Forget the counters of one login from every client address (a new password was set for it)."""
    prefix = keys(login, "")[0]  # "login:<login>|"
    connection.execute(delete(sign_in_attempts).where(sign_in_attempts.c.key.startswith(prefix, autoescape=True)))


def _stamp(moment: datetime) -> str:
    """UTC, ISO 8601 with milliseconds and Z: text that sorts as time does, on every database."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
