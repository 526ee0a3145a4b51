"""What the pages share for one session: the store, the current assessment, the language, the user.

The store is cached per database location with `st.cache_resource`: it is one object for every
session and holds no user's data in memory (each call reads the database). Everything about one
person lives in `st.session_state` or in the URL.

Shared session keys (each page prefixes its own keys: `home_`, `assess_`, `transfer_`):

    language            "en" | "id", set by the sidebar switch in app.py
    user                the name written to the audit trail, typed by the person (auth none only: once
                        people sign in, the audit trail records the account name instead); asked for
                        before the first save and mirrored in the URL parameter `name`, so a new tab
                        opened with the link does not ask again. Never a default: no change is saved
                        under an invented name (the store refuses an empty one).
    auth_account        the account signed in with a password (set only by toolkit/ui/auth.py, never a widget)
    auth_seen           time.time() of the session's last run, for the idle timeout (auth password/oidc)
    current_assessment  the assessment last opened; mirrored in the URL query parameter
                        `assessment`, so a refresh, a second tab or a restarted server lands on it
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import streamlit as st

from toolkit.access.roles import AccessDenied, Principal, idle_expired
from toolkit.access.workspace import Workspace
from toolkit.i18n import LANGUAGES
from toolkit.settings import Settings, load_settings
from toolkit.store.store import Store

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_ministries"
PAGES = Path(__file__).resolve().parent / "pages"
HOME_PAGE = PAGES / "home.py"
ASSESS_PAGE = PAGES / "assess.py"
TRANSFER_PAGE = PAGES / "transfer.py"

QUERY_KEY = "assessment"
CURRENT_KEY = "current_assessment"
LANGUAGE_KEY = "language"
LANGUAGE_QUERY_KEY = "lang"  # the URL parameter that keeps a non-English language across a refresh
USER_KEY = "user"
USER_QUERY_KEY = "name"  # the URL parameter that keeps the typed name (auth none) in the address
NAME_LIMIT = 80
DEFAULT_USER = "local user"  # shown (never saved) for a session nobody signed in to
ACCOUNT_KEY = "auth_account"
SEEN_KEY = "auth_seen"


@st.cache_resource(show_spinner=False)
def _store(location: str) -> Store:
    """Open the database (creating it) and seed the sample ministries into an empty one."""
    del location  # only the cache key: Store.open reads the same settings itself
    store = Store.open()
    if SAMPLES.is_dir():
        store.seed_samples(SAMPLES)
    return store


def get_store() -> Store:
    """The shared store for the configured database; opened and seeded on first use."""
    # Keyed by where the data lives, so a changed setting (or a test's temporary folder) gets its own.
    return _store(os.environ.get("DDMT_DATABASE_URL") or os.environ.get("DDMT_DATA_DIR") or "")


def start_language() -> None:
    """A new session (a refresh, say) starts in the language of the URL's `lang` parameter, else English."""
    if LANGUAGE_KEY not in st.session_state:
        wanted = st.query_params.get(LANGUAGE_QUERY_KEY)
        st.session_state[LANGUAGE_KEY] = wanted if wanted in LANGUAGES else "en"


def start_user() -> None:
    """A new session (a new tab with the link, a refresh) takes the name from the URL's `name` parameter."""
    if USER_KEY not in st.session_state:
        st.session_state[USER_KEY] = _tidy(st.query_params.get(USER_QUERY_KEY))


def _tidy(name: object) -> str:
    return " ".join(name.split())[:NAME_LIMIT] if isinstance(name, str) else ""


def keep_language_in_url() -> None:
    """Put the chosen language (and a typed name) in the URL: navigation drops query parameters."""
    for key, value in (
            (LANGUAGE_QUERY_KEY, "" if language() == "en" else language()),
            (USER_QUERY_KEY, _typed_name() if settings().auth == "none" else "")):
        if not value:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def language() -> str:
    """The interface language chosen in the sidebar, English by default."""
    chosen = st.session_state.get(LANGUAGE_KEY, "en")
    return chosen if chosen in LANGUAGES else "en"


# The settings last read, with what they were read from (Streamlit's secrets object and the DDMT_
# variables). Without a secrets file Streamlit looks for one on disk at every call, and a page run
# asks three times: with twenty sessions drawing pages each probe could wait for the GIL. A secrets
# file added while the server runs is therefore read at its next start, as an edited one already was.
_settings_read: list[tuple[tuple[object, tuple[tuple[str, str], ...]], Settings]] = []


def settings() -> Settings:
    """The access settings: environment first, then the `[ddmt]` section of Streamlit's secrets."""
    source = (st.secrets, tuple(sorted((name, value) for name, value in os.environ.items()
                                       if name.startswith("DDMT_"))))
    if _settings_read and _settings_read[0][0][0] is source[0] and _settings_read[0][0][1] == source[1]:
        return _settings_read[0][1]
    section = st.secrets.get("ddmt", {}) if st.secrets.load_if_toml_exists() else {}
    found = load_settings(os.environ, section if hasattr(section, "get") else {})
    _settings_read[:] = [(source, found)]
    return found


def principal() -> Principal | None:
    """Who this session acts as, checked on every call; None if nobody is signed in (or the session idled out).

    With auth none, the person at the machine may do everything, under the name they typed.
    Otherwise the account comes from the sign-in (password) or the identity provider's e-mail
    (oidc), and its roles are read from the database each time, so a revoked role applies at once.
    """
    config = settings()
    if config.auth == "none":
        return Principal.local(_typed_name())
    if idle_expired(st.session_state.get(SEEN_KEY), time.time(), config.idle_minutes):
        return None
    # Imported only when people sign in: one person on their own machine does not need argon2.
    from toolkit.access import accounts

    if config.auth == "password":
        name = st.session_state.get(ACCOUNT_KEY)
    else:
        email = str(st.user.get("email") or "") if oidc_identity_ok() else ""
        name = accounts.name_for_email(get_store(), email) if email else None
    return accounts.principal(get_store(), name) if isinstance(name, str) and name else None


def oidc_identity_ok() -> bool:
    """Whether the identity provider signed this session in with an e-mail it did not mark unverified.

    Some providers send the claim as text ("false"): that is unverified too.
    """
    verified = st.user.get("email_verified", True)
    if isinstance(verified, str):
        verified = verified.strip().lower() not in ("false", "0", "no")
    return bool(st.user.is_logged_in) and verified is not False


def workspace() -> Workspace:
    """The store as this session's principal may use it; AccessDenied if nobody is signed in."""
    person = principal()
    if person is None:
        raise AccessDenied("you are not signed in (or were signed out after a while without activity)")
    return Workspace(get_store(), person)


def user() -> str:
    """The name the audit trail records for this session's changes."""
    if settings().auth != "none":
        person = principal()
        return person.name if person is not None else DEFAULT_USER
    return _typed_name()


def _typed_name() -> str:
    """The name typed (auth none), or "" when nobody gave one yet."""
    return _tidy(st.session_state.get(USER_KEY))


def has_name() -> bool:
    """Whether changes of this session can be recorded under a person's name (always, once signed in)."""
    return settings().auth != "none" or bool(_typed_name())


def ask_name(lang: str) -> bool:
    """Whether the session has a name; if not, ask for it here (auth none) and return False.

    Called by every page before anything it shows can save, so the audit trail never records an
    invented "local user": the name goes into the session and the URL (`name`), and the page runs again.
    """
    if has_name():
        return True
    from toolkit.i18n import t  # a page's words; imported here to keep this module's top light

    st.info(t("app_name_needed", lang), icon=":material/badge:")
    with st.form("state_name_form"):
        st.text_input(t("app_your_name", lang), max_chars=NAME_LIMIT, key="state_name_typed")
        st.form_submit_button(t("app_name_continue", lang), type="primary", on_click=_name_given)
    if st.session_state.pop("state_name_missing", False):
        st.error(t("app_name_required", lang))
    return False


def assessment_id() -> str | None:
    """The current assessment: the URL's `assessment` parameter, else the one opened last."""
    value = st.query_params.get(QUERY_KEY)
    if value:
        st.session_state[CURRENT_KEY] = value
        return value
    remembered = st.session_state.get(CURRENT_KEY)
    if remembered:
        # Page navigation drops query parameters: put it back so a refresh still lands here.
        st.query_params[QUERY_KEY] = remembered
    return remembered


def _name_given() -> None:
    """The name form's callback (before the run, so the sidebar's name field may still change)."""
    typed = _tidy(st.session_state.get("state_name_typed"))
    if not typed:
        st.session_state["state_name_missing"] = True
        return
    st.session_state[USER_KEY] = typed
    st.query_params[USER_QUERY_KEY] = typed


def language_params() -> dict[str, str]:
    """The URL parameters that keep the chosen language (and a typed name) on a page another page links or switches to."""
    chosen = language()
    params = {} if chosen == "en" else {LANGUAGE_QUERY_KEY: chosen}
    name = _typed_name() if settings().auth == "none" else ""
    return {**params, USER_QUERY_KEY: name} if name else params


def open_assessment(assessment_id: str) -> None:
    """Make an assessment current and switch to the assess page with it (and the language) in the URL.

    The language goes along: a switch from inside a page's run (a form just submitted) can lose the
    sidebar's widget state, and the next run then takes the language from the URL (`start_language`).
    """
    st.session_state[CURRENT_KEY] = assessment_id
    st.switch_page(ASSESS_PAGE, query_params={QUERY_KEY: assessment_id, **language_params()})


def forget_assessment() -> None:
    """No current assessment (say, its id is unknown to the database)."""
    st.session_state.pop(CURRENT_KEY, None)
    if QUERY_KEY in st.query_params:
        del st.query_params[QUERY_KEY]
