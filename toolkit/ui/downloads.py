"""Downloads that ask who is asking when they are produced, not when their button was drawn.

A download button given a callable builds its file when clicked, on a server thread, without
running the page again: a workspace captured while the page was drawn would carry the rights of
that moment past a `ddmt user revoke`, a `ddmt user disable`, a sign-out or the idle limit.
`checked(produce)` captures only the session itself; at the click it reads the session's account
and last activity again, the account and its roles from the database, and the idle limit, and
calls `produce` with a workspace made then. If the person may no longer act, it produces nothing:
the refusal is an error, which Streamlit shows as a failed download.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from toolkit.access.roles import AccessDenied, Principal, idle_expired
from toolkit.access.workspace import Workspace
from toolkit.settings import Settings
from toolkit.store.store import Store
from toolkit.ui import state

T = TypeVar("T")

REFUSED = "nothing was produced: you are no longer allowed to see this, or you were signed out"


def checked(produce: Callable[[Workspace], T]) -> Callable[[], T]:
    """A download button's data callable that checks the person's access again when it is clicked."""
    context = get_script_run_ctx()
    session = context.session_state if context is not None else None
    config, store = state.settings(), state.get_store()
    email = str(st.user.get("email") or "") if config.auth == "oidc" and state.oidc_identity_ok() else ""

    def produce_now() -> T:
        person = principal_now(session, config, store, email, time.time())
        if person is None:
            raise AccessDenied(REFUSED)
        return produce(Workspace(store, person))

    return produce_now


def principal_now(session: Any, config: Settings, store: Store, email: str, now: float) -> Principal | None:
    """Who the session acts as at this moment (as `state.principal` decides on a page run), or None."""
    if session is None:
        return None
    if config.auth == "none":
        name = session[state.USER_KEY] if state.USER_KEY in session else ""
        name = " ".join(name.split()) if isinstance(name, str) else ""
        return Principal.local(name)  # reads only: a download never needs a name
    seen = session[state.SEEN_KEY] if state.SEEN_KEY in session else None
    if seen is None or idle_expired(seen, now, config.idle_minutes):
        return None  # signed out (the session was cleared) or idle past the limit
    from toolkit.access import accounts  # argon2 only when people sign in

    if config.auth == "password":
        name = session[state.ACCOUNT_KEY] if state.ACCOUNT_KEY in session else None
    else:
        name = accounts.name_for_email(store, email) if email else None
    return accounts.principal(store, name) if isinstance(name, str) and name else None
