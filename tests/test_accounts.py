"""Sign-in accounts: argon2 hashes only (never the password), sign-in and its throttle, roles read
fresh from the database, and the `ddmt user` commands. Store tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import io
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from pg import Backend, only
from sqlalchemy import event, func, select, update

from toolkit.access import accounts
from toolkit.access.accounts import AccountError, SignInError
from toolkit.access.roles import EDIT, VIEW
from toolkit.cli import main as cli
from toolkit.cli import users as commands_users
from toolkit.errors import ToolkitError
from toolkit.model.assessment import Ministry
from toolkit.store.store import NotFoundError, Store
from toolkit.store.tables import grants, users

PASSWORD = "correct horse battery staple"
MINISTRY = Ministry(id="test-mfa", name="Ministry of Tests", country="Testland", fictional=True)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters, so a test signs in many times in well under a second; the real ones
    are checked by `test_passwords_are_hashed_with_argon2id_defaults`."""
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_passwords_are_hashed_with_argon2id_defaults(monkeypatch):
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher())
    digest = accounts.hash_password(PASSWORD)
    assert digest.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and PASSWORD not in digest
    assert PasswordHasher().verify(digest, PASSWORD)
    assert accounts.hash_password(PASSWORD) != digest  # salted


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    opened = backend.open(tmp_path)
    opened.create_ministry(MINISTRY, user="admin")
    yield opened
    opened.close()


def test_only_an_argon2_hash_is_stored(store, tmp_path):
    accounts.add_user(store, "ana", email="Ana@Example.ORG", password=PASSWORD)
    with store._read() as connection:
        row = connection.execute(select(users)).mappings().one()
    assert row["password_hash"].startswith("$argon2id$")
    assert PasswordHasher().verify(row["password_hash"], PASSWORD)
    assert all(PASSWORD not in str(value) for value in row.values())
    assert row["email"] == "ana@example.org"
    for path in tmp_path.rglob("*"):  # not in the SQLite file either (nor its write-ahead log)
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes()


def test_sign_in_takes_the_right_password_only(store):
    accounts.add_user(store, "ana", email="ana@example.org", password=PASSWORD)
    assert accounts.sign_in(store, "ana", PASSWORD) == "ana"
    assert accounts.sign_in(store, " ANA@example.org ", PASSWORD) == "ana"  # by e-mail, any case
    for login, password in (("ana", PASSWORD + "!"), ("ana", ""), ("nobody", PASSWORD), ("", ""),
                            ("ana", "x" * 5000), ("ana", PASSWORD + "\ud800"), ("ana\ud800", PASSWORD)):
        with pytest.raises(SignInError, match="^the name or the password is wrong$"):
            accounts.sign_in(store, login, password)


def test_wrong_passwords_slow_that_login_from_that_address_only_and_never_lock_the_account(store):
    accounts.add_user(store, "ana", email=None, password=PASSWORD)
    start = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(SignInError, match="wrong"):
            accounts.sign_in(store, "ana", "not the password", client="203.0.113.9", now=start)
    with pytest.raises(SignInError, match="^too many sign-in attempts: wait 30 seconds and try again$"):
        accounts.sign_in(store, "ana", PASSWORD, client="203.0.113.9", now=start)  # even the right password
    # Ana, from her own address, is not kept out by the guesser.
    assert accounts.sign_in(store, "ana", PASSWORD, client="198.51.100.7", now=start) == "ana"
    # The guesser waits 30 s, then 1 min, 2 min, ...: each counted attempt doubles the next wait.
    moment = start + timedelta(seconds=30)
    with pytest.raises(SignInError, match="wrong"):
        accounts.sign_in(store, "ana", "still not it", client="203.0.113.9", now=moment)
    with pytest.raises(SignInError, match="wait 60 seconds"):
        accounts.sign_in(store, "ana", PASSWORD, client="203.0.113.9", now=moment + timedelta(milliseconds=500))
    later = moment + timedelta(seconds=60)
    assert accounts.sign_in(store, "ana", PASSWORD, client="203.0.113.9", now=later) == "ana"
    # A right password clears the counter of that login and address.
    with pytest.raises(SignInError, match="wrong"):
        accounts.sign_in(store, "ana", "wrong again", client="203.0.113.9", now=later)


def test_a_disabled_account_cannot_sign_in_and_loses_its_principal(store):
    accounts.add_user(store, "ana", email=None, password=PASSWORD)
    accounts.grant(store, "ana", "test-mfa", "assessor")
    assert accounts.principal(store, "ana").can(EDIT, "test-mfa")
    accounts.set_active(store, "ana", False)
    assert accounts.principal(store, "ana") is None
    with pytest.raises(SignInError):
        accounts.sign_in(store, "ana", PASSWORD)
    accounts.set_active(store, "ana", True)
    assert accounts.sign_in(store, "ana", PASSWORD) == "ana"


def test_roles_are_read_fresh_and_grants_are_checked(store):
    accounts.add_user(store, "vera", email="vera@example.org", password=None)  # OIDC only
    assert accounts.principal(store, "vera").roles == {}
    assert accounts.grant(store, "vera", "test-mfa", "viewer") is True
    assert accounts.grant(store, "vera", "test-mfa", "viewer") is False  # already held
    person = accounts.principal(store, "vera")
    assert person.can(VIEW, "test-mfa") and not person.can(EDIT, "test-mfa") and not person.sees("other-mfa")
    with pytest.raises(AccountError, match="not a role"):
        accounts.grant(store, "vera", "test-mfa", "owner")
    with pytest.raises(NotFoundError, match="no ministry"):
        accounts.grant(store, "vera", "nope-mfa", "viewer")
    with pytest.raises(NotFoundError, match="no account"):
        accounts.grant(store, "nobody", "test-mfa", "viewer")
    assert accounts.revoke(store, "vera", "test-mfa", "viewer") is True
    assert not accounts.principal(store, "vera").sees("test-mfa")
    accounts.set_admin(store, "vera", True)
    assert accounts.principal(store, "vera").can(EDIT, "any-mfa")
    assert accounts.name_for_email(store, "VERA@example.org") == "vera"
    assert accounts.name_for_email(store, "someone@example.org") is None
    assert accounts.name_for_email(store, "not an address") is None


def test_account_rules(store):
    accounts.add_user(store, "ana", email="ana@example.org", password=PASSWORD)
    for name, email, password, message in (
            ("Ana", None, PASSWORD, "already exists"),
            ("bob", "ANA@example.org", PASSWORD, "already has the e-mail"),
            ("bob", None, "short", "at least 12"),
            ("bob", None, "x" * 2000, "at most 1024"),
            ("bob", None, None, "needs an e-mail"),
            ("bob smith", None, PASSWORD, "not a valid account name"),
            ("bob", "bob@", PASSWORD, "not an e-mail"),
            ("bob", "b\ud800b@example.org", PASSWORD, r"^'b\\ud800b@example\.org' is not an e-mail address$"),
            ("bob", None, PASSWORD + "\udfff", "half of a UTF-16 surrogate pair")):
        with pytest.raises(AccountError, match=message):
            accounts.add_user(store, name, email=email, password=password)
    accounts.set_password(store, "ana", "another long password")
    assert accounts.sign_in(store, "ana", "another long password") == "ana"
    with pytest.raises(SignInError):
        accounts.sign_in(store, "ana", PASSWORD)


@only("postgresql")  # SQLite's BEGIN IMMEDIATE queues the two; PostgreSQL lets the check and the insert interleave
def test_two_admins_adding_the_same_account_at_once_make_it_once_and_the_second_is_told(backend, tmp_path):
    """The first admin's account is inserted but not yet committed when the second's existence check runs (it
    sees nothing) and its insert then waits on the key; once the first commits, the second is told in words."""
    first, second = backend.open(tmp_path), backend.open(tmp_path)  # two servers, two connection pools
    inserted, release, outcome = threading.Event(), threading.Event(), []

    def hold_before_commit(_connection):
        if not inserted.is_set():
            inserted.set()
            release.wait(30)

    event.listen(first.engine, "commit", hold_before_commit)

    def add(store):
        try:
            accounts.add_user(store, "dewi", email="dewi@example.org", password=PASSWORD, user="admin")
            outcome.append("added")
        except Exception as error:  # noqa: BLE001 - the failure is the finding
            outcome.append(error)

    first_admin = threading.Thread(target=add, args=(first,))
    second_admin = threading.Thread(target=add, args=(second,))
    try:
        first_admin.start()
        assert inserted.wait(30)
        second_admin.start()
        database = backend.url(tmp_path).rsplit("/", 1)[1]
        deadline = time.monotonic() + 30
        while not backend.cluster.execute(  # the second insert waits on the first's uncommitted key
                f"SELECT 1 FROM pg_stat_activity WHERE datname = '{database}' AND wait_event_type = 'Lock'"):
            assert time.monotonic() < deadline, "the second add_user never reached the insert"
            time.sleep(0.05)
    finally:
        release.set()
        first_admin.join()
        second_admin.join()
    try:
        assert outcome[0] == "added"
        assert isinstance(outcome[1], AccountError), repr(outcome[1])
        assert str(outcome[1]) == 'an account named "dewi" or with that e-mail address already exists'
        with first.engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(users).where(users.c.name == "dewi")) == 1
    finally:
        first.close()
        second.close()


@only("sqlite")
def test_a_hash_made_with_weaker_parameters_is_replaced_at_sign_in(store, monkeypatch):
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher())
    accounts.add_user(store, "ana", email=None, password=PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with store._write() as connection:
        connection.execute(update(users).values(password_hash=weak))
    assert accounts.sign_in(store, "ana", PASSWORD) == "ana"
    with store._read() as connection:
        upgraded = connection.scalar(select(users.c.password_hash))
    assert upgraded != weak and not PasswordHasher().check_needs_rehash(upgraded)


# --- ddmt user ---------------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = cli.build_parser()
    commands = next(action for action in parser._actions if action.dest == "command")
    if "user" not in commands.choices:  # until the lead wires it into toolkit/cli.py
        commands_users.add_parsers(commands)
    return parser


def _run(argv: list[str], stdin: str = "") -> str:
    args = _parser().parse_args(argv)
    original = commands_users.sys.stdin
    commands_users.sys.stdin = io.StringIO(stdin)
    try:
        return commands_users.run_user(args).text
    finally:
        commands_users.sys.stdin = original


def test_the_user_commands(tmp_path, monkeypatch):
    monkeypatch.setenv("DDMT_DATA_DIR", str(tmp_path / "data"))
    store = Store.open()
    store.create_ministry(MINISTRY, user="admin")
    store.close()
    assert _run(["user", "add", "ana", "--email", "ana@example.org", "--password-stdin"],
                PASSWORD + "\n") == "added account ana (a password)"
    assert "OIDC" in _run(["user", "add", "vera", "--email", "vera@example.org", "--no-password"])
    assert _run(["user", "grant", "ana", "test-mfa", "assessor"]) == "ana: assessor of test-mfa"
    assert _run(["user", "grant", "ana", "test-mfa", "assessor"]).endswith("(already held)")
    assert _run(["user", "admin", "vera", "on"]) == "vera: administrator on"
    listing = _run(["user", "list"]).splitlines()
    assert listing == ["ana\tana@example.org\tpassword\tassessor@test-mfa", "vera\tvera@example.org\tadmin\tno roles"]
    assert _run(["user", "revoke", "ana", "test-mfa", "assessor"]) == "ana: assessor of test-mfa revoked"
    assert _run(["user", "disable", "vera"]) == "vera: disabled"
    assert '"active": false' in _run(["user", "list", "--format", "json"])
    assert _run(["user", "passwd", "ana", "--password-stdin"], "a brand new passphrase\r\n") == "ana: password changed"
    store = Store.open()
    assert accounts.sign_in(store, "ana", "a brand new passphrase") == "ana"
    store.close()
    with pytest.raises(ToolkitError, match="--password-stdin"):  # no terminal to ask at
        _run(["user", "add", "bob"])
    with pytest.raises(SystemExit) as stopped:
        _parser().parse_args(["user", "grant", "ana", "test-mfa", "owner"])
    assert stopped.value.code == cli.EXIT_USAGE


def test_ddmt_user_respond_gives_the_respondent_role_of_one_round(tmp_path, monkeypatch):
    """An account answers as one respondent of one round, invited if new; nothing else of the ministry or another."""
    import json

    from conftest import REPO

    from toolkit.access.roles import AccessDenied, Principal
    from toolkit.access.team import TeamRound
    from toolkit.access.workspace import Workspace

    monkeypatch.setenv("DDMT_DATA_DIR", str(tmp_path / "data"))
    store = Store.open()
    ours = store.import_document(json.loads((REPO / "sample_ministries" / "tumbaro-mfa-2025.json").read_text()),
                                 user="admin")
    theirs = store.import_document(json.loads((REPO / "sample_ministries" / "dravenia-mfa-2025.json").read_text()),
                                   user="admin")
    store.close()
    _run(["user", "add", "cyrus", "--email", "cyrus@example.org", "--no-password"])
    _run(["user", "add", "paula", "--email", "paula@example.org", "--no-password"])
    assert _run(["user", "respond", "cyrus", ours, "cyber", "--respondent-name", "Cyber desk", "--unit", "Cyber"]) == \
        f"cyrus: invited as respondent cyber of {ours}"
    assert _run(["user", "respond", "paula", ours, "press"]) == f"paula: answers as respondent press of {ours}"
    assert _run(["user", "respond", "paula", ours, "press"]) == f"paula: already answers as respondent press of {ours}"
    assert f"cyrus@example.org\t-\trespondent cyber@{ours}" in _run(["user", "list"]).splitlines()[0]
    assert json.loads(_run(["user", "list", "--format", "json"]))[0]["respondent"] == [
        {"round": ours, "respondent": "cyber"}]
    for argv, message in (
            (["user", "respond", "cyrus", ours, "legal"], 'has no respondent "legal": give their name'),
            (["user", "respond", "cyrus", ours, "press"], 'answered by the account "paula" already'),
            (["user", "respond", "nobody", ours, "press"], 'no account named "nobody"'),
            (["user", "respond", "cyrus", "no-such-round", "x", "--respondent-name", "X"], "no-such-round"),
            (["user", "respond", "cyrus", ours, "press", "--respondent-name", "Someone"], "leave out the name")):
        with pytest.raises(ToolkitError, match=message):
            _run(argv)
    store = Store.open()
    cyrus = TeamRound(Workspace(store, Principal.of("cyrus", ())))
    assert [(record.assessment_id, record.id) for record in cyrus.my_respondents()] == [(ours, "cyber")]
    cyrus.save(ours, "cyber", "ins.official_accounts", {"level": 2}, expected_version=0)
    with pytest.raises(AccessDenied):
        cyrus.save(ours, "press", "ins.official_accounts", {"level": 2}, expected_version=0)
    with pytest.raises(AccessDenied):
        cyrus.respondents(theirs)
    with pytest.raises(AccessDenied):
        cyrus.workspace.load(ours)
    store.close()


# --- the account rules at their boundaries (issue 17: each shown to fail when its rule is broken) ------

def _row(store: Store, name: str) -> dict:
    with store._read() as connection:
        return dict(connection.execute(select(users).where(users.c.name == name)).mappings().one())


def _leave_an_old_lock(store: Store, name: str) -> None:
    """What a version before issue 11 left on an account: a failure count and a lock in the future."""
    with store._write() as connection:
        connection.execute(update(users).where(users.c.name == name).values(
            failed_logins=4, locked_until="2999-01-01T00:00:00.000Z"))


def test_a_right_password_clears_that_logins_failure_count(store):
    accounts.add_user(store, "ana", email=None, password=PASSWORD)
    moment = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(SignInError, match="wrong"):
            accounts.sign_in(store, "ana", "not the password", client="203.0.113.9", now=moment)
    assert accounts.sign_in(store, "ana", PASSWORD, client="203.0.113.9", now=moment) == "ana"
    # Counted "in a row": after the success, five more wrong tries are checked before any wait.
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(SignInError, match="^the name or the password is wrong$"):
            accounts.sign_in(store, "ana", "not the password", client="203.0.113.9", now=moment)
    with pytest.raises(SignInError, match="too many sign-in attempts"):
        accounts.sign_in(store, "ana", PASSWORD, client="203.0.113.9", now=moment)


def test_an_old_lock_on_the_account_is_not_honoured_and_a_success_clears_it(store):
    accounts.add_user(store, "ana", email=None, password=PASSWORD)
    assert (_row(store, "ana")["failed_logins"], _row(store, "ana")["locked_until"]) == (0, None)
    _leave_an_old_lock(store, "ana")
    assert accounts.sign_in(store, "ana", PASSWORD) == "ana"  # no account is ever locked
    assert (_row(store, "ana")["failed_logins"], _row(store, "ana")["locked_until"]) == (0, None)


def test_setting_a_password_replaces_it_and_clears_an_old_lock(store):
    accounts.add_user(store, "ana", email="ana@example.org", password=PASSWORD)
    _leave_an_old_lock(store, "ana")
    accounts.set_password(store, "ana", "a brand new passphrase")
    assert (_row(store, "ana")["failed_logins"], _row(store, "ana")["locked_until"]) == (0, None)
    assert accounts.sign_in(store, "ana", "a brand new passphrase") == "ana"
    with pytest.raises(SignInError, match="wrong"):
        accounts.sign_in(store, "ana", PASSWORD)
    # A refused new password changes nothing: the current one still signs in.
    with pytest.raises(AccountError, match="at least 12"):
        accounts.set_password(store, "ana", "x" * (accounts.MIN_PASSWORD - 1))
    assert accounts.sign_in(store, "ana", "a brand new passphrase") == "ana"
    # No password (`ddmt user passwd ana --no-password`): OIDC only from now on, by the same e-mail.
    accounts.set_password(store, "ana", None)
    assert [account.has_password for account in accounts.list_accounts(store)] == [False]
    with pytest.raises(SignInError, match="wrong"):
        accounts.sign_in(store, "ana", "a brand new passphrase")
    assert accounts.name_for_email(store, "ana@example.org") == "ana"
    with pytest.raises(NotFoundError, match='no account named "bob"'):
        accounts.set_password(store, "bob", PASSWORD)


def test_setting_a_password_lets_its_person_sign_in_with_it_at_once_from_every_address(store):
    accounts.add_user(store, "ana", email="ana@example.org", password=PASSWORD)
    accounts.add_user(store, "a_a", email=None, password=PASSWORD)  # "_" is a LIKE wildcard: it must not match "ana"
    moment = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    for login, client in (("ana", "203.0.113.9"), ("ANA@example.org", "198.51.100.7"), ("a_a", "192.0.2.1")):
        for _ in range(accounts.MAX_FAILURES):
            with pytest.raises(SignInError, match="wrong"):
                accounts.sign_in(store, login, "a forgotten password", client=client, now=moment)
    accounts.set_password(store, "a_a", "a brand new passphrase")
    assert accounts.sign_in(store, "a_a", "a brand new passphrase", client="192.0.2.1", now=moment) == "a_a"
    for login, client in (("ana", "203.0.113.9"), ("ana@example.org", "198.51.100.7")):  # not ana's counters
        with pytest.raises(SignInError, match="too many sign-in attempts"):
            accounts.sign_in(store, login, PASSWORD, client=client, now=moment)
    accounts.set_password(store, "ana", "another new passphrase")
    assert accounts.sign_in(store, "ana@example.org", "another new passphrase", client="198.51.100.7",
                            now=moment) == "ana"
    assert accounts.sign_in(store, "ana", "another new passphrase", client="203.0.113.9", now=moment) == "ana"


def test_passwords_of_12_to_1024_characters_exactly(store):
    for length in (accounts.MIN_PASSWORD - 1, accounts.MAX_PASSWORD + 1):
        with pytest.raises(AccountError, match="a password needs at least 12|a password has at most 1024"):
            accounts.check_password("p" * length)
    assert accounts.MIN_PASSWORD == 12 and accounts.MAX_PASSWORD == 1024
    shortest, longest = "p" * 12, "q" * 1024
    accounts.add_user(store, "ana", email=None, password=shortest)
    accounts.add_user(store, "bob", email=None, password=longest)
    assert accounts.sign_in(store, "ana", shortest) == "ana"
    assert accounts.sign_in(store, "bob", longest) == "bob"
    with pytest.raises(AccountError, match="at least 12 characters"):
        accounts.add_user(store, "cai", email=None, password="p" * 11)
    with pytest.raises(AccountError, match="at most 1024 characters"):
        accounts.add_user(store, "cai", email=None, password="q" * 1025)


def test_a_password_longer_than_any_stored_one_is_refused_before_it_is_counted_or_hashed(store):
    accounts.add_user(store, "bob", email=None, password="q" * 1024)
    moment = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    for _ in range(accounts.MAX_FAILURES + 2):  # never "too many": these attempts are not counted
        with pytest.raises(SignInError, match="^the name or the password is wrong$"):
            accounts.sign_in(store, "bob", "q" * 1025, client="203.0.113.9", now=moment)
    assert accounts.sign_in(store, "bob", "q" * 1024, client="203.0.113.9", now=moment) == "bob"


def test_e_mail_addresses_and_logins_of_at_most_254_characters_exactly(store):
    domain = "@example.org"
    longest = "a" * (254 - len(domain)) + domain
    assert len(longest) == 254 and accounts.normal_email(longest.upper()) == longest
    with pytest.raises(AccountError, match="is not an e-mail address"):
        accounts.normal_email("a" + longest)
    with pytest.raises(AccountError, match="is not an e-mail address"):
        accounts.add_user(store, "ana", email="a" + longest, password=PASSWORD)
    accounts.add_user(store, "ana", email=longest, password=PASSWORD)
    assert accounts.sign_in(store, "ana", PASSWORD, client="a") == "ana"
    assert accounts.sign_in(store, longest, PASSWORD, client="a") == "ana"  # a 254-character login
    moment = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    for _ in range(accounts.MAX_FAILURES + 2):  # a 255-character login is refused before it is counted
        with pytest.raises(SignInError, match="^the name or the password is wrong$"):
            accounts.sign_in(store, "a" + longest, PASSWORD, client="203.0.113.9", now=moment)


# --- found by mutation testing (issue 17): each fails with the change it names ---------------------------

OTHER = Ministry(id="other-mfa", name="Ministry of Others", country="Otherland", fictional=True)


def test_refusals_say_exactly_what_is_wrong(store):
    accounts.add_user(store, "ana", email=None, password=PASSWORD)
    for call, message in (
            (lambda: accounts.check_password(PASSWORD + "\udfff"),
             "a password cannot hold half of a UTF-16 surrogate pair, which is not a character"),
            (lambda: accounts.check_name("bob smith"),
             "'bob smith' is not a valid account name (letters, digits, \".\", \"_\", \"@\" and \"-\", "
             "starting with a letter or digit, at most 64 characters)"),
            (lambda: accounts.add_user(store, "bob", email=None, password=None),
             "an account without a password signs in through OIDC and needs an e-mail address"),
            (lambda: accounts.grant(store, "ana", "test-mfa", "owner"),
             '"owner" is not a role: use one of admin, assessor, reviewer, viewer')):
        with pytest.raises(AccountError) as refused:
            call()
        assert str(refused.value) == message


def test_a_blank_e_mail_address_is_no_address(store):
    assert accounts.normal_email("   ") is None and accounts.normal_email("") is None
    accounts.add_user(store, "ana", email="  ", password=PASSWORD)
    assert [(account.name, account.email) for account in accounts.list_accounts(store)] == [("ana", None)]


def test_an_account_made_as_administrator_is_one_and_accounts_list_by_name(store):
    accounts.add_user(store, "zeno", email=None, password=PASSWORD, is_admin=True)
    accounts.add_user(store, "ana", email=None, password=PASSWORD)
    assert [(account.name, account.is_admin, account.active) for account in accounts.list_accounts(store)] == \
        [("ana", False, True), ("zeno", True, True)]
    assert accounts.principal(store, "zeno").is_admin and not accounts.principal(store, "ana").is_admin
    assert accounts.principal(store, "ana").name == "ana"


def test_a_grant_or_revoke_touches_that_account_ministry_and_role_only(store):
    store.create_ministry(OTHER, user="admin")
    accounts.add_user(store, "ana", email=None, password=PASSWORD)
    accounts.add_user(store, "bob", email=None, password=PASSWORD)
    assert accounts.grant(store, "ana", "test-mfa", "viewer") is True
    assert accounts.grant(store, "bob", "test-mfa", "viewer") is True  # another account holding it
    assert accounts.grant(store, "ana", "other-mfa", "viewer") is True  # another ministry
    assert accounts.grant(store, "ana", "test-mfa", "assessor") is True  # another role
    assert accounts.revoke(store, "ana", "test-mfa", "reviewer") is False  # not held
    assert accounts.revoke(store, "ana", "test-mfa", "viewer") is True
    assert accounts.revoke(store, "ana", "test-mfa", "viewer") is False  # no longer held
    assert {account.name: account.roles for account in accounts.list_accounts(store)} == {
        "ana": (("other-mfa", "viewer"), ("test-mfa", "assessor")), "bob": (("test-mfa", "viewer"),)}


def test_an_invited_respondent_keeps_their_unit(tmp_path, monkeypatch):
    import json

    from conftest import REPO

    from toolkit.store import responses

    monkeypatch.setenv("DDMT_DATA_DIR", str(tmp_path / "data"))
    store = Store.open()
    try:
        ours = store.import_document(json.loads((REPO / "sample_ministries" / "tumbaro-mfa-2025.json").read_text()),
                                     user="admin")
        accounts.add_user(store, "cyrus", email="cyrus@example.org", password=None)
        with pytest.raises(AccountError) as refused:
            accounts.make_respondent(store, "cyrus", ours, "legal")
        assert str(refused.value) == f'round "{ours}" has no respondent "legal": give their name to invite them'
        assert accounts.make_respondent(store, "cyrus", ours, "cyber", respondent_name="Cyber desk",
                                        unit="Cyber") == "invited"
        invited = next(record for record in responses.respondents_of(store, ours) if record.id == "cyber")
        assert (invited.respondent.name, invited.respondent.unit, invited.account) == ("Cyber desk", "Cyber", "cyrus")
    finally:
        store.close()


def test_a_disabled_account_is_not_found_by_its_e_mail_address(store):
    accounts.add_user(store, "vera", email="vera@example.org", password=None)
    accounts.set_active(store, "vera", False)
    assert accounts.name_for_email(store, "vera@example.org") is None


def test_a_login_or_password_that_is_not_text_is_refused_as_wrong(store):
    accounts.add_user(store, "ana", email=None, password=PASSWORD)
    for login, password in ((None, PASSWORD), ("ana", None), (b"ana", PASSWORD), (None, None)):
        with pytest.raises(SignInError, match="^the name or the password is wrong$"):
            accounts.sign_in(store, login, password)


def test_the_wait_is_told_in_whole_seconds_rounded_up_at_the_time_of_the_attempt(store):
    moment = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    for _ in range(5):  # five free attempts of a login from one address, as docs/access.md says
        with pytest.raises(SignInError, match="wrong"):
            accounts.sign_in(store, "ana", "not the password", client="203.0.113.9", now=moment)
    for after, seconds in ((0, 30), (29.5, 1), (29.999, 1), (0.001, 30)):
        with pytest.raises(SignInError, match=f"^too many sign-in attempts: wait {seconds} seconds and try again$"):
            accounts.sign_in(store, "ana", PASSWORD, client="203.0.113.9", now=moment + timedelta(seconds=after))
    # Without a given time, the clock's (as the app signs in).
    for _ in range(5):
        with pytest.raises(SignInError, match="wrong"):
            accounts.sign_in(store, "bob", "not the password", client="198.51.100.7")
    with pytest.raises(SignInError, match=r"^too many sign-in attempts: wait \d+ seconds and try again$"):
        accounts.sign_in(store, "bob", "not the password", client="198.51.100.7")


def test_accounts_and_grants_record_when_in_utc_whatever_the_servers_time_zone(store, monkeypatch):
    import re
    import time

    monkeypatch.setenv("TZ", "Asia/Jakarta")  # UTC+7
    time.tzset()
    try:
        before = datetime.now(UTC)
        accounts.add_user(store, "ana", email=None, password=PASSWORD)
        accounts.grant(store, "ana", "test-mfa", "viewer")
        after = datetime.now(UTC)
    finally:
        monkeypatch.undo()
        time.tzset()
    row = _row(store, "ana")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", row["created_at"]), row["created_at"]
    made = datetime.fromisoformat(row["created_at"])
    assert before - timedelta(milliseconds=1) <= made <= after and row["created_by"] == "ddmt user"
    with store._read() as connection:
        granted = connection.execute(select(grants.c.granted_at, grants.c.granted_by)).one()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", granted.granted_at)
    assert granted.granted_by == "ddmt user"
