"""Sign-in accounts in the database: argon2 password hashes, roles per ministry, a global admin flag.

Accounts are made on the command line (`ddmt user add NAME --email E`), never by the app. A
password is kept only as an argon2id hash (argon2-cffi's defaults, RFC 9106's low-memory profile);
a hash made with weaker parameters is replaced at the next good sign-in. An account without a
hash signs in through OIDC only, matched by e-mail.

Sign-in limits (`toolkit.store.sign_in_limits`; the rules are also in docs/access.md): every attempt
is counted in the database before its password is checked, atomically, against two counters keyed
by text, whether or not an account has that name: the login from this client address
(`MAX_FAILURES` = 5 attempts, then a delay that doubles from 30 s up to 15 minutes before each next
one) and the client address over all logins (20, then the same). A right password clears the
login-and-client counter; setting a password clears the account's counters from every address. No
account is ever locked, so a guesser elsewhere cannot keep a person out; a limited attempt gets the
same answer, "too many sign-in attempts", for every login, and an unknown login costs the same
password check as a known one. Passwords are 12 to 1024 characters, logins at most 254.

`principal` reads the roles from the database on every call: a revoked role or a disabled account
takes effect at the person's next click.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, insert, select, update

from toolkit.access.roles import ROLES, Principal
from toolkit.errors import ToolkitError
from toolkit.issues import SURROGATE
from toolkit.model.assessment import Respondent
from toolkit.store import responses, sign_in_limits
from toolkit.store.records import NotFoundError, StorageError
from toolkit.store.tables import DuplicateRow, grants, ministries, users

if TYPE_CHECKING:
    from toolkit.store.store import Store

MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing a megabyte "password" is a cheap way to busy a server
MAX_FAILURES = 5  # attempts of one login from one client address before the growing delay
MAX_LOGIN = 254  # a login is a name or an e-mail address
MAX_CLIENT = 100
GRANTED_BY = "ddmt user"

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_EMAIL = re.compile(r"^[^@\s\ud800-\udfff]+@[^@\s\ud800-\udfff]+\.[^@\s\ud800-\udfff]+$")
# Half of a UTF-16 surrogate pair: no character, and neither the database nor argon2 can encode it.
_HASHER = PasswordHasher()  # holds parameters only, no user data


class AccountError(ToolkitError):
    """An account could not be made or changed as asked; the message says why."""


class SignInError(ToolkitError):
    """Sign-in refused: the message never says whether the name or the password was wrong."""


@dataclass(frozen=True)
class Account:
    """An account as listed: no hash, only whether it has a password."""

    name: str
    email: str | None
    has_password: bool
    is_admin: bool
    active: bool
    roles: tuple[tuple[str, str], ...]  # (ministry, role), sorted


def hash_password(password: str) -> str:
    """An argon2id hash of an acceptable password; AccountError if it is too short or too long."""
    check_password(password)
    return _HASHER.hash(password)


def check_password(password: str) -> None:
    """AccountError unless the password is text of MIN_PASSWORD to MAX_PASSWORD characters."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"a password has at most {MAX_PASSWORD} characters")
    if SURROGATE.search(password):
        raise AccountError("a password cannot hold half of a UTF-16 surrogate pair, which is not a character")


def check_name(name: str) -> str:
    """The account name if valid (letters, digits, `. _ @ -`, at most 64); AccountError if not."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise AccountError(f"{name!r} is not a valid account name (letters, digits, \".\", \"_\", \"@\" and \"-\", "
                           "starting with a letter or digit, at most 64 characters)")
    return name


def normal_email(email: str | None) -> str | None:
    """The e-mail address lowercased and trimmed, None if empty; AccountError if it is not an address."""
    if email is None or not str(email).strip():
        return None
    text = str(email).strip().lower()
    if len(text) > 254 or not _EMAIL.match(text):
        raise AccountError(f"{email!r} is not an e-mail address")
    return text


# ---------------------------------------------------------------------------------- managing

def add_user(store: Store, name: str, *, email: str | None, password: str | None, is_admin: bool = False,
             user: str = GRANTED_BY) -> None:
    """Make an account (password None: OIDC only); AccountError if the name or e-mail is taken."""
    check_name(name)
    address = normal_email(email)
    digest = hash_password(password) if password is not None else None
    if digest is None and address is None:
        raise AccountError("an account without a password signs in through OIDC and needs an e-mail address")
    try:
        with store._write() as connection:
            if connection.scalar(select(users.c.name).where(func.lower(users.c.name) == name.lower())) is not None:
                raise AccountError(f'an account named "{name}" already exists')
            if address and connection.scalar(select(users.c.name).where(users.c.email == address)) is not None:
                raise AccountError(f"another account already has the e-mail address {address}")
            connection.execute(insert(users).values(name=name, email=address, password_hash=digest,
                                                    is_admin=is_admin, active=True, failed_logins=0,
                                                    created_at=_now(), created_by=user))
    except DuplicateRow:
        raise AccountError(f'an account named "{name}" or with that e-mail address already exists') from None


def set_password(store: Store, name: str, password: str | None) -> None:
    """Replace an account's password (None: OIDC only from now on); unlocks it.

    Unlocking clears the sign-in counters of its name and e-mail from every address, so the person
    can sign in with the new password at once, and the lock an older version kept on the account.
    """
    digest = hash_password(password) if password is not None else None
    with store._write() as connection:
        _require(connection, name)
        email = connection.scalar(select(users.c.email).where(users.c.name == name))
        connection.execute(update(users).where(users.c.name == name).values(
            password_hash=digest, failed_logins=0, locked_until=None))
        for login in (name, email):
            if login:
                sign_in_limits.clear_login(connection, login)


def set_active(store: Store, name: str, active: bool) -> None:
    """Disable an account (it can no longer sign in, and a signed-in session stops at its next click) or enable it."""
    with store._write() as connection:
        _require(connection, name)
        connection.execute(update(users).where(users.c.name == name).values(active=active))


def set_admin(store: Store, name: str, is_admin: bool) -> None:
    """Give or take the global administrator flag."""
    with store._write() as connection:
        _require(connection, name)
        connection.execute(update(users).where(users.c.name == name).values(is_admin=is_admin))


def grant(store: Store, name: str, ministry_id: str, role: str, *, user: str = GRANTED_BY) -> bool:
    """Give an account a role for a ministry; False if it already had it."""
    if role not in ROLES:
        raise AccountError(f'"{role}" is not a role: use one of {", ".join(ROLES)}')
    with store._write() as connection:
        _require(connection, name)
        if connection.scalar(select(ministries.c.id).where(ministries.c.id == ministry_id)) is None:
            raise NotFoundError(f'no ministry with the id "{ministry_id}"')
        held = select(grants.c.role).where(grants.c.user_name == name, grants.c.ministry_id == ministry_id,
                                           grants.c.role == role)
        if connection.scalar(held) is not None:
            return False
        connection.execute(insert(grants).values(user_name=name, ministry_id=ministry_id, role=role,
                                                 granted_at=_now(), granted_by=user))
    return True


def make_respondent(store: Store, name: str, assessment_id: str, respondent_id: str, *,
                    respondent_name: str | None = None, unit: str | None = None, user: str = GRANTED_BY) -> str:
    """Give an account the respondent role of one round (SPEC 12): it answers as that respondent only.

    A respondent the round does not have yet is invited, which needs `respondent_name`. Returns
    "invited", "named" (an invited respondent now answered by this account) or "held" (already so).
    """
    with store._read() as connection:
        _require(connection, name)
    known = {record.id: record for record in responses.respondents_of(store, assessment_id)}
    if respondent_id in known:
        if respondent_name and respondent_name != known[respondent_id].respondent.name:
            raise AccountError(f'respondent "{respondent_id}" of round "{assessment_id}" is '
                               f'"{known[respondent_id].respondent.name}": leave out the name')
        return "named" if responses.set_account(store, assessment_id, respondent_id, name, user=user) else "held"
    if not (respondent_name or "").strip():
        raise AccountError(f'round "{assessment_id}" has no respondent "{respondent_id}": give their name to '
                           "invite them")
    responses.invite(store, assessment_id, Respondent(respondent_id, respondent_name, unit), user=user, account=name)
    return "invited"


def revoke(store: Store, name: str, ministry_id: str, role: str) -> bool:
    """Take a role away; False if the account did not hold it."""
    with store._write() as connection:
        _require(connection, name)
        result = connection.execute(delete(grants).where(
            grants.c.user_name == name, grants.c.ministry_id == ministry_id, grants.c.role == role))
    return result.rowcount > 0


def list_accounts(store: Store) -> list[Account]:
    """Every account with its roles, by name."""
    with store._read() as connection:
        held: dict[str, list[tuple[str, str]]] = {}
        for row in connection.execute(select(grants.c.user_name, grants.c.ministry_id, grants.c.role)):
            held.setdefault(row.user_name, []).append((row.ministry_id, row.role))
        return [Account(row.name, row.email, row.password_hash is not None, bool(row.is_admin), bool(row.active),
                        tuple(sorted(held.get(row.name, ()))))
                for row in connection.execute(select(users).order_by(users.c.name))]


# ---------------------------------------------------------------------------------- signing in

def sign_in(store: Store, login: str, password: str, *, client: str = "local", now: datetime | None = None) -> str:
    """The account name if `login` (name or e-mail) and `password` match an active account; else SignInError.

    `client` is the address the attempt comes from; see the module docstring for the limits.
    """
    now = now or datetime.now(UTC)
    refused = SignInError("the name or the password is wrong")
    if not isinstance(login, str) or not isinstance(password, str) or len(password) > MAX_PASSWORD:
        raise refused
    if SURROGATE.search(login) or SURROGATE.search(password) or len(login) > MAX_LOGIN:
        raise refused  # no account has such a name or password: they could not have been stored
    key = login.strip()
    pair, address = sign_in_limits.keys(key, str(client)[:MAX_CLIENT])
    wait = _reserve(store, ((pair, MAX_FAILURES), (address, sign_in_limits.FREE_PER_CLIENT)), now)
    if wait is not None:
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise SignInError(f"too many sign-in attempts: wait {seconds} seconds and try again")
    with store._read() as connection:
        row = connection.execute(select(users).where(
            (users.c.name == key) | (users.c.email == key.lower()))).first()
    if row is None or row.password_hash is None or not row.active:
        _verify(_dummy_hash(), password)  # a wrong name takes as long as a wrong password
        raise refused
    if not _verify(row.password_hash, password):
        raise refused
    changes: dict[str, object] = {"failed_logins": 0, "locked_until": None}
    if _HASHER.check_needs_rehash(row.password_hash):
        changes["password_hash"] = _HASHER.hash(password)
    with store._write() as connection:
        connection.execute(update(users).where(users.c.name == row.name).values(**changes))
        sign_in_limits.clear(connection, pair)
    return row.name


def _reserve(store: Store, counters: tuple[tuple[str, int], ...], now: datetime) -> timedelta | None:
    """Count the attempt (atomically; once more if two first attempts raced to create a counter)."""
    for attempt in (1, 2):
        try:
            with store._write() as connection:
                return sign_in_limits.reserve(connection, counters, now)
        except DuplicateRow:
            if attempt == 2:
                raise
    return None


@functools.cache
def _dummy_hash() -> str:
    """A hash of no one's password (made once, on the first unknown name), to verify against."""
    return _HASHER.hash("not the password of any account")


def _verify(digest: str, password: str) -> bool:
    try:
        return _HASHER.verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False



def name_for_email(store: Store, email: str | None) -> str | None:
    """The active account with this e-mail address (as an OIDC provider reports it), or None."""
    try:
        address = normal_email(email)
    except AccountError:
        return None
    if address is None:
        return None
    with store._read() as connection:
        return connection.scalar(select(users.c.name).where(users.c.email == address, users.c.active.is_(True)))


def principal(store: Store, name: str) -> Principal | None:
    """The signed-in person with the roles they hold now; None if the account is gone or disabled."""
    with store._read() as connection:
        row = connection.execute(select(users.c.name, users.c.is_admin, users.c.active)
                                 .where(users.c.name == name)).first()
        if row is None or not row.active:
            return None
        held = [(item.ministry_id, item.role) for item in connection.execute(
            select(grants.c.ministry_id, grants.c.role).where(grants.c.user_name == name))]
    return Principal.of(row.name, held, is_admin=bool(row.is_admin))


# -------------------------------------------------------------------------------------- helpers

def _require(connection, name: str) -> None:
    if connection.scalar(select(users.c.name).where(users.c.name == name)) is None:
        raise NotFoundError(f'no account named "{name}"')


def _now() -> str:
    return _stamp(datetime.now(UTC))


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


__all__ = ["Account", "AccountError", "SignInError", "StorageError", "add_user", "check_password", "grant",
           "hash_password", "list_accounts", "make_respondent", "name_for_email", "principal", "revoke", "set_active",
           "set_admin",
           "set_password", "sign_in"]
