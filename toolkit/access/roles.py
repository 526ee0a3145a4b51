"""Who may do what: roles per ministry, the actions each role allows, and the signed-in principal.

Four roles, each held for one ministry:

    viewer     sees the ministry's rounds, results and reviews
    assessor   also answers draft rounds, starts rounds, submits them and reopens them as new versions
    reviewer   also comments on submitted rounds, accepts or challenges answers, marks rounds reviewed
    admin      everything on the ministry's rounds

An account may also be a global administrator: every role on every ministry, and the only one who
may add ministries. With `auth = none` (one person on their own machine) that person is a global
administrator, which is how the app behaved before accounts existed.

`Principal.require` is the one check; `toolkit.access.workspace` calls it before every read and write, so
no page, widget callback or URL can reach a ministry's data without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from toolkit.errors import ToolkitError

ROLES = ("admin", "assessor", "reviewer", "viewer")

VIEW = "view"                  # read a round, its answers, evidence, history, comments and scores
EDIT = "edit"                  # change answers and evidence of a draft round
CREATE_ROUND = "create_round"  # start or import a round for the ministry
SUBMIT = "submit"              # move a draft round to submitted
REOPEN = "reopen"              # make a new draft version of a submitted or reviewed round
REVIEW = "review"              # comment, accept or challenge answers, mark a round reviewed
ACTIONS = (VIEW, EDIT, CREATE_ROUND, SUBMIT, REOPEN, REVIEW)

ALLOWED: Mapping[str, frozenset[str]] = MappingProxyType({
    "viewer": frozenset({VIEW}),
    "assessor": frozenset({VIEW, EDIT, CREATE_ROUND, SUBMIT, REOPEN}),
    "reviewer": frozenset({VIEW, REVIEW}),
    "admin": frozenset(ACTIONS),
})


class AccessDenied(ToolkitError):
    """The signed-in person may not do this (or nobody is signed in); nothing was read or changed."""


@dataclass(frozen=True)
class Principal:
    """A signed-in person: the name the audit trail records, the global flag, and roles by ministry."""

    name: str
    is_admin: bool = False
    roles: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def local(cls, name: str) -> Principal:
        """The one person of `auth = none`: every role on every ministry."""
        return cls(name=name, is_admin=True)

    @classmethod
    def of(cls, name: str, grants: Iterable[tuple[str, str]], *, is_admin: bool = False) -> Principal:
        """A principal from (ministry, role) grants; unknown roles are ignored."""
        roles: dict[str, set[str]] = {}
        for ministry_id, role in grants:
            if role in ALLOWED:
                roles.setdefault(ministry_id, set()).add(role)
        return cls(name=name, is_admin=is_admin,
                   roles=MappingProxyType({key: frozenset(value) for key, value in roles.items()}))

    def roles_for(self, ministry_id: str) -> frozenset[str]:
        """The roles held for one ministry (every role for a global administrator)."""
        return frozenset(ROLES) if self.is_admin else self.roles.get(ministry_id, frozenset())

    def can(self, action: str, ministry_id: str) -> bool:
        """Whether any role held for the ministry allows the action."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        return any(action in ALLOWED[role] for role in self.roles_for(ministry_id))

    def sees(self, ministry_id: str) -> bool:
        """Whether the ministry's rounds are visible at all."""
        return self.can(VIEW, ministry_id)

    def require(self, action: str, ministry_id: str) -> None:
        """AccessDenied unless the action is allowed on the ministry."""
        if not self.can(action, ministry_id):
            raise AccessDenied(denial(action))

    def require_admin(self) -> None:
        """AccessDenied unless a global administrator."""
        if not self.is_admin:
            raise AccessDenied("only an administrator may do this")


def denial(action: str) -> str:
    """The refusal message for an action, in words fit to show."""
    return {
        VIEW: "you have no access to this ministry's assessments",
        EDIT: "you may not change answers of this assessment (the assessor role is needed)",
        CREATE_ROUND: "you may not start or import rounds for this ministry (the assessor role is needed)",
        SUBMIT: "you may not submit this assessment (the assessor role is needed)",
        REOPEN: "you may not reopen this assessment (the assessor role is needed)",
        REVIEW: "you may not review this assessment (the reviewer role is needed)",
    }[action]


def idle_expired(last_seen: float | None, now: float, idle_minutes: float) -> bool:
    """Whether a session last active at `last_seen` (seconds) has been idle past the limit by `now`."""
    return last_seen is None or now - last_seen > idle_minutes * 60 or now < last_seen - 60
