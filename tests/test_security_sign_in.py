"""Security finding 4 of issue 11: sign-in limits that a burst cannot race and an attacker cannot turn on
a victim (SQLite and PostgreSQL, real argon2 hashes, real threads against one store).

Found: 60 simultaneous wrong guesses for one account got 32 full password checks before the lock
applied (limit 5), and the right password still signed in during the burst; five wrong tries locked a
victim out, renewable every 5 minutes; only real accounts answered "too many wrong passwords".
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import UTC, datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg import Backend

from toolkit.access import accounts
from toolkit.access.accounts import SignInError
from toolkit.store.store import StorageError, Store

PASSWORD = "correct horse battery staple"
BURST = 60
ATTACKER, VICTIM = "203.0.113.66", "198.51.100.7"


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    accounts.add_user(opened, "alice", email="alice@example.org", password=PASSWORD)
    yield opened
    opened.close()


def burst(store: Store, login: str, passwords: list[str], client: str) -> Counter:
    """Every password tried at once from `client`, each in its own thread; how each was answered.

    All at one moment (`now`), so no delay runs out while the burst lasts: what is measured is only
    whether counting is atomic.
    """
    moment = datetime.now(UTC)
    answers: Counter = Counter()
    lock, start = threading.Lock(), threading.Barrier(len(passwords))

    def attempt(password: str) -> None:
        start.wait()
        try:
            outcome = "signed in" if accounts.sign_in(store, login, password, client=client, now=moment) else "?"
        except SignInError as refused:
            outcome = "checked" if "wrong" in str(refused) else "limited"
        except StorageError:  # the database too busy to count the attempt: refused before any check
            outcome = "busy"
        with lock:
            answers[outcome] += 1

    threads = [threading.Thread(target=attempt, args=(password,)) for password in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_a_burst_of_guesses_gets_exactly_the_allowed_password_checks(store: Store) -> None:
    guesses = [f"guess number {n:02d}" for n in range(BURST)]
    answers = burst(store, "alice", guesses, ATTACKER)
    assert answers["checked"] == accounts.MAX_FAILURES, answers  # not one full check more than the limit
    assert answers["limited"] + answers["busy"] == BURST - accounts.MAX_FAILURES
    # Right after the burst, the right password from the guessing address is refused unchecked ...
    with pytest.raises(SignInError, match="too many sign-in attempts"):
        accounts.sign_in(store, "alice", PASSWORD, client=ATTACKER)
    # ... while the victim, from her own address, signs in at once: the account itself was never locked.
    assert accounts.sign_in(store, "alice", PASSWORD, client=VICTIM) == "alice"


def test_an_unknown_account_is_limited_exactly_like_a_real_one(store: Store) -> None:
    messages = {}
    for login in ("alice", "nobody-here"):
        for n in range(accounts.MAX_FAILURES):
            with pytest.raises(SignInError, match="^the name or the password is wrong$"):
                accounts.sign_in(store, login, f"wrong {n}", client=ATTACKER)
        with pytest.raises(SignInError) as limited:
            accounts.sign_in(store, login, "one more", client=ATTACKER)
        messages[login] = re.sub(r"\d+", "N", str(limited.value))
    assert messages["alice"] == messages["nobody-here"]
    assert messages["alice"] == "too many sign-in attempts: wait N seconds and try again"


def test_one_address_cannot_spray_guesses_over_many_accounts(store: Store) -> None:
    from toolkit.store.sign_in_limits import FREE_PER_CLIENT

    for n in range(FREE_PER_CLIENT):
        with pytest.raises(SignInError, match="wrong"):
            accounts.sign_in(store, f"user{n}", "some password", client=ATTACKER)
    with pytest.raises(SignInError, match="too many sign-in attempts"):
        accounts.sign_in(store, "alice", PASSWORD, client=ATTACKER)
    assert accounts.sign_in(store, "alice", PASSWORD, client=VICTIM) == "alice"
