"""Signing in and out: the sign-in page, the idle timeout, and the sidebar's account line.

`app.py` asks `signed_in()` on every run before it builds the navigation; while nobody is signed
in, the only page is `sign_in_page`. That is the front door only: every page and every widget
callback also gets its data through `state.workspace()`, which checks the principal (and the idle
timeout) again, so a callback that fires before `app.py` runs cannot act for a session that timed out.

    auth none       nothing to do: the sidebar asks for a name to record with changes
    auth password   name (or e-mail) and password, checked against the argon2 hash (toolkit/access/accounts.py)
    auth oidc       st.login with the configured provider; the e-mail it reports must belong to an account

Signing in or out clears everything the session held (but its language), so the next person at the
same browser finds nothing of the last one's.

Session keys: auth_account and auth_seen (see toolkit/ui/state.py), auth_login and auth_password
(the sign-in form), auth_notice (an i18n key shown on the sign-in page); auth_bind_* (the session binding, toolkit/ui/session_binding.py).
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from toolkit.access.roles import idle_expired
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.settings import Settings
from toolkit.ui import session_binding, state
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import plain

NOTICE_KEY = "auth_notice"


def signed_in(config: Settings) -> bool:
    """Whether this run may show the app; signs an idle or disabled session out. Draws nothing."""
    if config.auth == "none":
        return True
    ss = st.session_state
    if config.auth == "password":
        if ss.get(state.ACCOUNT_KEY) is None:
            return False
        if not session_binding.bound():  # a session id reused from elsewhere: not the browser that signed in
            _sign_out(config, "auth_session_moved")
            return False
    elif not st.user.is_logged_in:
        return False
    elif state.SEEN_KEY not in ss:
        # A new session (a reload, a new tab) of someone the provider signed in: Streamlit's sign-in
        # cookie lasts 30 days, so the idle clock starts at the sign-in itself (the ID token's `iat`),
        # not now; a browser left alone longer than the idle limit must sign in again.
        ss[state.SEEN_KEY] = _signed_in_at(time.time())
    if idle_expired(ss.get(state.SEEN_KEY), time.time(), config.idle_minutes):
        _sign_out(config, "auth_idle")
        return False
    if state.principal() is None:
        if config.auth == "password":  # the account was disabled or removed meanwhile
            _sign_out(config, "auth_account_gone")
        return False  # oidc: the sign-in page says no account has this e-mail
    ss[state.SEEN_KEY] = time.time()
    return True


def _signed_in_at(now: float) -> float:
    """When the identity provider signed this person in (`iat` of the ID token); `now` if it says nothing."""
    issued = st.user.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float) or issued != issued:
        return now
    return float(issued)


def _clear_session() -> None:
    """Forget everything this session held but its language."""
    for key in list(st.session_state.keys()):
        if key != state.LANGUAGE_KEY:
            del st.session_state[key]


def _sign_out(config: Settings, notice: str | None) -> None:
    _clear_session()
    if notice:
        st.session_state[NOTICE_KEY] = notice
    if config.auth == "oidc" and notice == "auth_idle":
        st.logout()  # forgets the provider's cookie too; starts a new session


# --- the sign-in page -------------------------------------------------------------------------------

def sign_in_page() -> None:
    """The page shown while nobody is signed in."""
    lang = state.language()
    config = state.settings()
    st.title(t("auth_title", lang))
    notice = st.session_state.get(NOTICE_KEY)
    if notice:
        st.info(t(notice, lang, minutes=f"{config.idle_minutes:g}"))
    if config.auth == "oidc":
        _oidc(config, lang)
    else:
        _password_form(lang)


def _password_form(lang: str) -> None:
    failed = st.session_state.get("auth_failed")
    if failed:
        st.error(t("auth_refused", lang))
        plain(failed)
    with st.form("auth_form"):
        st.text_input(t("auth_login", lang), key="auth_login", max_chars=254, autocomplete="username")
        st.text_input(t("auth_password", lang), key="auth_password", type="password", max_chars=1024,
                      autocomplete="current-password")
        st.form_submit_button(t("auth_sign_in", lang), type="primary", on_click=_password_sign_in)


def _password_sign_in() -> None:
    """Check the form's name and password; on success, start a clean session for the account."""
    from toolkit.access import accounts  # argon2 is needed only when people sign in

    ss = st.session_state
    login, password = str(ss.get("auth_login", "")), str(ss.get("auth_password", ""))
    ss["auth_password"] = ""  # never kept past this check
    try:
        name = accounts.sign_in(state.get_store(), login, password, client=client_address())
    except ToolkitError as error:  # a refusal, or a database that could not be read: both fit to show
        ss["auth_failed"] = str(error)
        return
    _clear_session()
    ss[state.ACCOUNT_KEY] = name
    ss[state.SEEN_KEY] = time.time()
    session_binding.bind()


def client_address() -> str:
    """The address sign-in limits count against: the websocket's peer, or, when that is this machine, the
    client a reverse proxy on this machine names (the last X-Forwarded-For hop, else X-Real-IP)."""
    address = st.context.ip_address  # None on loopback
    if address:
        return str(address)
    forwarded = st.context.headers.get("X-Forwarded-For") or st.context.headers.get("X-Real-Ip") or ""
    return forwarded.split(",")[-1].strip() or "local"


def _oidc(config: Settings, lang: str) -> None:
    if st.user.is_logged_in:  # the provider knows them, but no account has their (verified) e-mail
        st.warning(t("auth_no_account_for", lang))
        plain(str(st.user.get("email") or "—"))
        st.button(t("auth_sign_out", lang), key="auth_oidc_out", on_click=st.logout)
        return
    if (not st.secrets.load_if_toml_exists() or "auth" not in st.secrets
            or not isinstance(st.secrets["auth"], Mapping)):
        st.error(t("auth_oidc_unconfigured", lang))
        return
    provider = config.oidc_provider
    problems = oidc_configuration_problems(st.secrets["auth"], provider)
    if problems:  # st.login would fail only once someone clicks: say so now, and what is missing
        st.error(t("auth_oidc_incomplete", lang))
        plain("; ".join(problems))
        return
    st.button(t("auth_sign_in_oidc", lang), type="primary", key="auth_oidc_in",
              on_click=st.login, args=(provider,) if provider else ())


OIDC_SHARED_KEYS = ("redirect_uri", "cookie_secret")  # in [auth] itself
OIDC_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")  # in [auth] or [auth.<provider>]
OIDC_CALLBACK = "/oauth2callback"  # the path Streamlit serves the provider's answer on


def oidc_configuration_problems(auth: Mapping[str, Any], provider: str | None) -> list[str]:
    """What st.login needs that the secrets' `[auth]` section lacks (the checks Streamlit makes when
    someone clicks, and a redirect_uri Streamlit can answer on); empty if nothing."""
    problems = []
    if importlib.util.find_spec("authlib") is None:
        problems.append("Authlib is not installed (streamlit[auth])")
    name = f"[auth.{provider}]" if provider else "[auth]"
    section = auth.get(provider) if provider else auth
    problems += [f"[auth] {key} is missing" for key in OIDC_SHARED_KEYS if not auth.get(key)]
    if isinstance(section, Mapping):
        problems += [f"{name} {key} is missing" for key in OIDC_PROVIDER_KEYS if not section.get(key)]
    else:
        problems.append(f"{name} is missing")
    redirect_uri = str(auth.get("redirect_uri") or "")
    if redirect_uri and not urlsplit(redirect_uri).path.endswith(OIDC_CALLBACK):
        problems.append(f"[auth] redirect_uri must be the app's address followed by {OIDC_CALLBACK}")
    return problems


# --- the sidebar ---------------------------------------------------------------------------------------

def sidebar(config: Settings, lang: str) -> None:
    """Who is signed in and a way out (password, oidc); the name to record (none)."""
    if config.auth == "none":
        st.sidebar.text_input(t("app_your_name", lang), key=state.USER_KEY, max_chars=80)
        return
    if config.auth == "password":
        with st.sidebar:
            session_binding.set_cookie()
    st.sidebar.caption(t("auth_signed_in_as", lang, name=escape_markdown(state.user())))
    st.sidebar.button(t("auth_sign_out", lang), key="auth_sign_out", on_click=_sign_out_clicked, args=(config,))


def _sign_out_clicked(config: Settings) -> None:
    _clear_session()
    st.session_state[NOTICE_KEY] = "auth_signed_out"
    if config.auth == "oidc":
        st.logout()
