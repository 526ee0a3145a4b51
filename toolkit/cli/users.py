"""The `ddmt user` commands: sign-in accounts and their roles, for `auth = password` or `oidc`.

    ddmt user add NAME --email E [--password-stdin | --no-password] [--admin]
    ddmt user passwd NAME [--password-stdin | --no-password]
    ddmt user grant NAME MINISTRY ROLE          (ROLE: admin, assessor, reviewer, viewer)
    ddmt user revoke NAME MINISTRY ROLE
    ddmt user respond NAME ROUND RESPONDENT [--respondent-name N] [--unit U]
                                                the respondent role of one round (invites a new respondent)
    ddmt user admin NAME on|off                 the global administrator flag
    ddmt user disable NAME | ddmt user enable NAME
    ddmt user list [--format table|json]

A password is never an argument (it would stay in the shell's history and the process list): it is
typed twice at a terminal, or read as one line from standard input with `--password-stdin`. The
database is the one the app uses (`DDMT_DATABASE_URL`, else `DDMT_DATA_DIR`). Each `run_*` returns
a `CommandResult` (see `toolkit.cli.commands`); library errors propagate as `ToolkitError` for `cli`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING, TextIO

from toolkit.access.roles import ROLES
from toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from toolkit.cli.base import CommandResult


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The argparse lines of `ddmt user ...`, for `toolkit.cli.build_parser`."""
    user = commands.add_parser("user", help="manage sign-in accounts and their roles (auth password or oidc)")
    # type(user): the cli's own parser class, so usage errors stay one line with exit status 2.
    actions = user.add_subparsers(dest="user_command", required=True, parser_class=type(user))
    add = actions.add_parser("add", help="make an account")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--email", metavar="E", help="e-mail address (OIDC sign-in is matched by it)")
    _password_options(add)
    add.add_argument("--admin", action="store_true", help="a global administrator: every role on every ministry")
    passwd = actions.add_parser("passwd", help="set or remove an account's password")
    passwd.add_argument("name", metavar="NAME")
    _password_options(passwd)
    for verb, text in (("grant", "give an account a role for a ministry"), ("revoke", "take a role away")):
        parser = actions.add_parser(verb, help=text)
        parser.add_argument("name", metavar="NAME")
        parser.add_argument("ministry", metavar="MINISTRY", help="the ministry id, e.g. belmara-mfa")
        parser.add_argument("role", metavar="ROLE", choices=ROLES, help=", ".join(ROLES))
    respond = actions.add_parser("respond", help="let an account answer as a respondent of one round (team rounds)")
    respond.add_argument("name", metavar="NAME")
    respond.add_argument("round", metavar="ROUND", help="the round's id, e.g. tumbaro-mfa-2025")
    respond.add_argument("respondent", metavar="RESPONDENT", help="the respondent's id in the round, e.g. press")
    respond.add_argument("--respondent-name", metavar="N", help="to invite a respondent the round does not have yet")
    respond.add_argument("--unit", metavar="U", help="the new respondent's unit")
    admin = actions.add_parser("admin", help="give or take the global administrator flag")
    admin.add_argument("name", metavar="NAME")
    admin.add_argument("state", choices=("on", "off"))
    for verb, text in (("disable", "stop an account from signing in"), ("enable", "let it sign in again")):
        actions.add_parser(verb, help=text).add_argument("name", metavar="NAME")
    listing = actions.add_parser("list", help="list the accounts and their roles")
    listing.add_argument("--format", choices=("table", "json"), default="table")


def _password_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--password-stdin", action="store_true", help="read the password as one line from stdin")
    group.add_argument("--no-password", action="store_true", help="no password: the account signs in through OIDC")


def run_user(args: argparse.Namespace) -> CommandResult:
    """Dispatch `ddmt user <command>`."""
    from toolkit.access import accounts
    from toolkit.cli.base import CommandResult
    from toolkit.store import responses
    from toolkit.store.store import Store

    store = Store.open()
    try:
        command = args.user_command
        if command == "add":
            password = read_password(args)
            accounts.add_user(store, args.name, email=args.email, password=password, is_admin=args.admin)
            how = "a password" if password is not None else "OIDC sign-in only"
            return CommandResult(f"added account {args.name} ({how}{', administrator' if args.admin else ''})")
        if command == "passwd":
            accounts.set_password(store, args.name, read_password(args))
            return CommandResult(f"{args.name}: password {'removed' if args.no_password else 'changed'}")
        if command == "grant":
            added = accounts.grant(store, args.name, args.ministry, args.role)
            return CommandResult(f"{args.name}: {args.role} of {args.ministry}" + ("" if added else " (already held)"))
        if command == "revoke":
            removed = accounts.revoke(store, args.name, args.ministry, args.role)
            return CommandResult(f"{args.name}: {args.role} of {args.ministry} "
                                 + ("revoked" if removed else "was not held"))
        if command == "respond":
            outcome = accounts.make_respondent(store, args.name, args.round, args.respondent,
                                               respondent_name=args.respondent_name, unit=args.unit)
            text = {"invited": "invited as", "named": "answers as", "held": "already answers as"}[outcome]
            return CommandResult(f"{args.name}: {text} respondent {args.respondent} of {args.round}")
        if command == "admin":
            accounts.set_admin(store, args.name, args.state == "on")
            return CommandResult(f"{args.name}: administrator {args.state}")
        if command in ("disable", "enable"):
            accounts.set_active(store, args.name, command == "enable")
            return CommandResult(f"{args.name}: {command}d")
        answering = {}
        for item in accounts.list_accounts(store):
            answering[item.name] = [(record.assessment_id, record.id)
                                    for record in responses.rounds_answered_by(store, item.name)]
        return CommandResult(_listing(accounts.list_accounts(store), args.format, answering))
    finally:
        store.close()


def read_password(args: argparse.Namespace, stdin: TextIO | None = None) -> str | None:
    """The new password: None with --no-password, one line of stdin with --password-stdin, else asked twice."""
    if args.no_password:
        return None
    stdin = sys.stdin if stdin is None else stdin
    if args.password_stdin:
        return stdin.readline().rstrip("\r\n")
    if not stdin.isatty():
        raise ToolkitError("give the password with --password-stdin (or --no-password for OIDC sign-in only)")
    first = getpass.getpass("New password: ")
    if first != getpass.getpass("Again: "):
        raise ToolkitError("the two passwords differ; nothing was changed")
    return first


def _listing(found: list, form: str, answering: dict[str, list[tuple[str, str]]]) -> str:
    if form == "json":
        return json.dumps([{"name": item.name, "email": item.email, "password": item.has_password,
                            "admin": item.is_admin, "active": item.active,
                            "roles": [{"ministry": ministry, "role": role} for ministry, role in item.roles],
                            "respondent": [{"round": round_id, "respondent": respondent}
                                           for round_id, respondent in answering.get(item.name, [])]}
                           for item in found], indent=2, ensure_ascii=False)
    if not found:
        return "no accounts"
    lines = []
    for item in found:
        flags = [word for word, on in (("admin", item.is_admin), ("password", item.has_password),
                                       ("disabled", not item.active)) if on]
        held = [f"{role}@{ministry}" for ministry, role in item.roles]
        held += [f"respondent {respondent}@{round_id}" for round_id, respondent in answering.get(item.name, [])]
        roles = ", ".join(held) or "no roles"
        lines.append(f"{item.name}\t{item.email or '-'}\t{' '.join(flags) or '-'}\t{roles}")
    return "\n".join(lines)
