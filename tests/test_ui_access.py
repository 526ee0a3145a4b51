"""Access and review in the app (AppTest on the real app.py): signing in and out, the idle timeout,
refusals for another ministry's round, read-only rounds, reviewers' comments, the one-way status,
reopening as a new version, and OIDC sign-in mapped to accounts by e-mail."""

from __future__ import annotations

import time

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest
from ui_support import REPO, fresh_store, seeded_template, texts, ui_data  # noqa: F401  (fixtures)

from toolkit.access import accounts
from toolkit.store import review

PASSWORD = "correct horse battery staple"
DRAFT = "belmara-mfa-2026"  # a draft of Belmara in the samples
OTHER = "maravu-mfa-2025"   # another ministry's round
INDICATOR = "ins.official_accounts"
SECOND = "ins.visual_storytelling"
ASSESS, RESULTS = "toolkit/ui/pages/assess.py", "toolkit/ui/pages/results.py"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the tests sign in often (the real ones are tested in test_accounts)."""
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def people(ui_data, monkeypatch: pytest.MonkeyPatch) -> None:
    """Password sign-in, and one account per role on Belmara."""
    monkeypatch.setenv("DDMT_AUTH", "password")
    monkeypatch.delenv("DDMT_IDLE_MINUTES", raising=False)
    store = fresh_store()
    for name, role in (("ana", "assessor"), ("rina", "reviewer"), ("vic", "viewer")):
        accounts.add_user(store, name, email=f"{name}@example.org", password=PASSWORD)
        accounts.grant(store, name, "belmara-mfa", role)
    store.close()


def app() -> AppTest:
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60)


def sign_in(at: AppTest, login: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="auth_login").input(login)
    at.text_input(key="auth_password").input(password)
    return button(at, "Sign in").click().run()


def button(at: AppTest, label: str):
    return next(item for item in at.button if item.label == label)


def signed_in(name: str, page: str | None = None, assessment: str | None = None) -> AppTest:
    at = app()
    at.run()
    sign_in(at, name)
    if page:
        if assessment:
            at.query_params["assessment"] = assessment
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def level(at: AppTest, assessment: str = DRAFT, indicator: str = INDICATOR):
    return at.radio(key=f"assess_level_{assessment}_{indicator}")


def stored_level(assessment: str = DRAFT, indicator: str = INDICATOR):
    store = fresh_store()
    try:
        found = store.answers(assessment).get(indicator)
        return found.answer.level if found else None
    finally:
        store.close()


# --- signing in and out ------------------------------------------------------------------------------

def test_a_wrong_password_is_refused_the_right_one_enters_and_sign_out_forgets(people):
    at = app()
    at.run()
    assert [title.value for title in at.title] == ["Sign in"]
    assert not at.dataframe and "ana" not in str(at.session_state)

    sign_in(at, "ana", "not the password")
    assert [title.value for title in at.title] == ["Sign in"]
    assert "the name or the password is wrong" in texts(at)
    assert at.text_input(key="auth_password").value == ""  # never kept
    assert "auth_account" not in at.session_state

    sign_in(at, "ana@example.org")
    assert not at.exception
    assert at.session_state["auth_account"] == "ana"
    assert any(caption.value == "Signed in as ana" for caption in at.sidebar.caption)
    assert "belmara-mfa-2026" in set(at.dataframe[0].value["id"])
    assert not any(item.key == "user" for item in at.sidebar.text_input)  # no typed name when signed in

    button(at, "Sign out").click().run()
    assert [title.value for title in at.title] == ["Sign in"]
    assert "You are signed out." in texts(at)
    assert "auth_account" not in at.session_state and "home_assessment" not in at.session_state


def test_an_idle_session_is_signed_out(people):
    at = signed_in("ana")
    at.session_state["auth_seen"] = time.time() - 29 * 60
    at.run()
    assert at.session_state["auth_account"] == "ana"  # 29 minutes: still in, and the clock restarts
    assert at.session_state["auth_seen"] > time.time() - 60
    at.session_state["auth_seen"] = time.time() - 31 * 60
    at.run()
    assert [title.value for title in at.title] == ["Sign in"]
    assert "You were signed out after 30 minutes without activity. Sign in again." in texts(at)
    assert "auth_account" not in at.session_state


def test_a_save_from_a_session_that_went_idle_is_refused(people, monkeypatch):
    monkeypatch.setenv("DDMT_IDLE_MINUTES", "10")
    at = signed_in("ana", ASSESS, DRAFT)
    before = stored_level()
    at.session_state["auth_seen"] = time.time() - 11 * 60
    level(at).set_value(4).run()  # the widget's callback runs before app.py's sign-in check
    assert stored_level() == before
    assert "You were signed out after 10 minutes without activity. Sign in again." in texts(at)


def test_a_disabled_account_is_signed_out_at_its_next_click(people):
    at = signed_in("ana")
    store = fresh_store()
    accounts.set_active(store, "ana", False)
    store.close()
    at.run()
    assert [title.value for title in at.title] == ["Sign in"]
    assert "Your account was disabled or removed; you were signed out." in texts(at)


# --- refusals -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", [ASSESS, RESULTS])
def test_another_ministrys_round_in_the_url_is_refused_not_shown(people, page):
    at = signed_in("ana", page, OTHER)
    assert not at.exception
    assert [error.value for error in at.error] == ["You do not have access to this."]
    shown = " ".join(texts(at))
    assert "Maravu" not in shown and "maravu" not in at.query_params.get("assessment", "")
    assert not at.main.radio and not at.get("plotly_chart") and not at.metric


def test_lists_show_only_the_ministries_one_has_a_role_for(people):
    at = signed_in("vic")
    assert sorted(at.dataframe[0].value["id"]) == ["belmara-mfa-2025", "belmara-mfa-2026"]
    assert not any(item.label == "Create ministry" for item in at.button)  # only an administrator
    at.switch_page("toolkit/ui/pages/compare.py").run()
    assert set(at.multiselect(key="compare_selected").options) <= {
        "Ministry of Foreign Affairs of the Federal Republic of Belmara † · 2025 · Reviewed",
        "Ministry of Foreign Affairs of the Federal Republic of Belmara † · 2026 · Draft"}


def test_a_viewer_sees_a_draft_read_only(people):
    at = signed_in("vic", ASSESS, DRAFT)
    assert "You can read this round; changing answers needs the assessor role." in texts(at)
    assert level(at).disabled and at.selectbox(key=f"assess_status_{DRAFT}").disabled
    assert not any(item.label in ("Clear answer", "Add") for item in at.button)


def test_the_server_refuses_a_save_when_the_role_is_gone(people):
    """The widgets were drawn for an assessor; the role is revoked; the next save is refused on the server."""
    at = signed_in("ana", ASSESS, DRAFT)
    assert not level(at).disabled
    before = stored_level()
    store = fresh_store()
    accounts.revoke(store, "ana", "belmara-mfa", "assessor")
    accounts.grant(store, "ana", "belmara-mfa", "viewer")
    store.close()
    level(at).set_value(4).run()
    assert stored_level() == before
    shown = texts(at)
    assert "Not saved: your change is still on screen. Try again in a moment." in shown
    assert "you may not change answers of this assessment (the assessor role is needed)" in shown
    assert level(at).disabled  # redrawn read-only


# --- the review workflow ------------------------------------------------------------------------------------

def test_submit_review_challenge_and_the_status_moves_one_way(people):
    at = signed_in("ana", ASSESS, DRAFT)
    status = at.selectbox(key=f"assess_status_{DRAFT}")
    assert status.options == ["Draft", "Submitted"]  # an assessor may submit, never mark reviewed
    status.set_value("submitted").run()
    assert fresh_store().load(DRAFT).status == "submitted"
    assert at.selectbox(key=f"assess_status_{DRAFT}").disabled  # nothing further for an assessor
    assert level(at).disabled and "This round is Submitted: its answers are read-only." in texts(at)

    at = signed_in("rina", ASSESS, DRAFT)
    key = f"{DRAFT}_{INDICATOR}"
    at.radio(key=f"assess_rvverdict_{key}").set_value("challenge").run()
    at.button(key=f"assess_rvadd_{key}").click().run()
    assert any("a challenge needs a text" in text for text in texts(at))  # a challenge must say why
    at.text_area(key=f"assess_rvtext_{key}").input("The inventory is two years old.").run()
    at.button(key=f"assess_rvadd_{key}").click().run()
    at.radio(key=f"assess_rvverdict_{DRAFT}_{SECOND}").set_value("accept").run()
    at.button(key=f"assess_rvadd_{DRAFT}_{SECOND}").click().run()
    assert not at.exception
    comments = review.comments(fresh_store(), DRAFT)
    assert [(c.indicator_id, c.user, c.verdict, c.text) for c in comments] == [
        (INDICATOR, "rina", "challenge", "The inventory is two years old."), (SECOND, "rina", "accept", None)]
    assert any(text.startswith("✗ Challenged — rina") for text in texts(at))
    assert level(at).disabled  # a reviewer never changes answers

    status = at.selectbox(key=f"assess_status_{DRAFT}")
    assert status.options == ["Submitted", "Reviewed"]
    status.set_value("reviewed").run()
    assert fresh_store().load(DRAFT).status == "reviewed"
    assert at.selectbox(key=f"assess_status_{DRAFT}").options == ["Reviewed"]  # no way back
    assert not any(item.key == f"assess_rvadd_{key}" for item in at.button)  # reviewed: no more comments


def test_reopening_makes_a_new_draft_version_and_keeps_the_old_one(people):
    store = fresh_store()
    store.set_status(DRAFT, "submitted", user="ana")
    review.add_comment(store, DRAFT, INDICATOR, "challenge", "Show the inventory.", user="rina")
    store.set_status(DRAFT, "reviewed", user="rina")
    before = store.to_document(DRAFT)
    store.close()

    at = signed_in("ana", ASSESS, DRAFT)
    button(at, "Reopen as a new draft version").click().run()
    assert not at.exception
    newer = f"{DRAFT}-v2"
    assert at.query_params["assessment"] == newer
    assert f"Version 2, reopened from {DRAFT}" in texts(at)
    assert not level(at, newer).disabled
    assert f"(on {DRAFT})" in " ".join(texts(at))  # the challenge comes along, marked with its version
    assert any("Show the inventory." == text for text in texts(at))
    level(at, newer).set_value(4).run()
    assert stored_level(newer) == 4

    store = fresh_store()
    assert store.to_document(DRAFT) == before  # the old version is intact
    assert (store.load(newer).version, store.load(newer).parent_id, store.load(newer).status) == (2, DRAFT, "draft")
    store.close()

    at.query_params["assessment"] = DRAFT  # back to the old one: read-only, with a way to the newer
    at.switch_page(ASSESS).run()
    assert level(at).disabled
    assert newer in texts(at) and any(item.label == "Open the newer version" for item in at.button)
    assert not any(item.label == "Reopen as a new draft version" for item in at.button)


# --- OIDC and auth none -------------------------------------------------------------------------------------

@pytest.fixture
def oidc(ui_data, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DDMT_AUTH", "oidc")
    store = fresh_store()
    accounts.add_user(store, "vera", email="Vera@Example.org", password=None)
    accounts.grant(store, "vera", "belmara-mfa", "viewer")
    store.close()


def test_oidc_maps_the_providers_e_mail_to_an_account(oidc):
    at = app()
    at.user = {"is_logged_in": True, "email": "vera@example.org", "name": "Vera"}
    at.run()
    assert not at.exception, at.exception
    assert any(caption.value == "Signed in as vera" for caption in at.sidebar.caption)
    assert sorted(at.dataframe[0].value["id"]) == ["belmara-mfa-2025", "belmara-mfa-2026"]
    button(at, "Sign out").click().run()
    assert at.user == {"is_logged_in": False}


@pytest.mark.parametrize("claims", [
    {"is_logged_in": True, "email": "stranger@example.org"},
    {"is_logged_in": True, "email": "vera@example.org", "email_verified": False},
])
def test_oidc_without_a_matching_account_is_refused(oidc, claims):
    at = app()
    at.user = claims
    at.run()
    assert [title.value for title in at.title] == ["Sign in"] and not at.dataframe
    assert any(text.startswith("No account of this app has the e-mail address") for text in texts(at))


def test_oidc_sign_in_page_needs_the_auth_secrets(oidc):
    at = app()
    at.user = {"is_logged_in": False}
    at.run()
    assert any("has no [auth] section" in error.value for error in at.error)
    at = app()
    at.user = {"is_logged_in": False}
    at.secrets = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                           "client_id": "app", "client_secret": "s",
                           "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}}
    at.run()
    assert any(item.label == "Sign in with your organisation's account" for item in at.button)


@pytest.mark.parametrize(("auth", "provider", "shown"), [
    ({"redirect_uri": "http://localhost:8501/oauth2callback", "client_id": "app", "client_secret": "s",
      "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}, None,
     "[auth] cookie_secret is missing"),
    ({"redirect_uri": "http://localhost:8501/", "cookie_secret": "x" * 32, "client_id": "app", "client_secret": "s",
      "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}, None,
     "[auth] redirect_uri must be the app's address followed by /oauth2callback"),
    ({"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
      "okta": {"client_id": "app", "server_metadata_url": "https://id.example.org/.well-known/openid-configuration"}},
     "okta", "[auth.okta] client_secret is missing"),
    ({"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}, "okta",
     "[auth.okta] is missing"),
])
def test_oidc_sign_in_page_says_what_the_provider_settings_lack(oidc, monkeypatch, auth, provider, shown):
    """Streamlit checks these only when someone clicks "Sign in", and then fails with an exception."""
    if provider:
        monkeypatch.setenv("DDMT_OIDC_PROVIDER", provider)
    at = app()
    at.user = {"is_logged_in": False}
    at.secrets = {"auth": auth}
    at.run()
    assert not at.exception, at.exception
    assert [error.value for error in at.error] == [
        "Sign-in through an identity provider is chosen (auth = oidc), but its settings in .streamlit/secrets.toml "
        "are incomplete. An administrator must complete them:"]
    assert shown in texts(at)
    assert not any(item.label == "Sign in with your organisation's account" for item in at.button)


def test_oidc_an_e_mail_the_provider_marks_unverified_as_text_is_refused(oidc):
    at = app()
    at.user = {"is_logged_in": True, "email": "vera@example.org", "email_verified": "false"}
    at.run()
    assert [title.value for title in at.title] == ["Sign in"] and not at.dataframe


def test_with_auth_none_the_local_user_may_do_everything(ui_data, monkeypatch):
    monkeypatch.delenv("DDMT_AUTH", raising=False)
    at = app()
    at.run()
    assert any(item.key == "user" for item in at.sidebar.text_input)
    # No name yet: the rounds are listed, but nothing that writes is offered before the person says who they are.
    assert len(at.dataframe[0].value) > 2 and not any(item.label == "Create ministry" for item in at.button)
    assert any(info.value.startswith("Before your first change: give your name") for info in at.info)
    at.button[[b.label for b in at.button].index("Continue")].click().run()  # an empty name is refused
    assert [error.value for error in at.error] == ["Give your name to continue."]
    at.text_input(key="state_name_typed").input("  Ibu   Sari ")
    at.button[[b.label for b in at.button].index("Continue")].click().run()
    assert any(item.label == "Create ministry" for item in at.button)
    assert at.query_params["name"] in ("Ibu Sari", ["Ibu Sari"])  # in the address: a new tab with the link is not asked again
    at.query_params["assessment"] = DRAFT
    at.switch_page(ASSESS).run()
    level(at).set_value(1).run()
    assert stored_level() == 1
    store = fresh_store()
    try:
        assert store.history(DRAFT, INDICATOR)[-1].user == "Ibu Sari"
    finally:
        store.close()


def test_with_auth_none_a_link_with_a_name_is_not_asked_and_no_save_is_unnamed(ui_data, monkeypatch):
    monkeypatch.delenv("DDMT_AUTH", raising=False)
    at = app()
    at.query_params["assessment"] = DRAFT
    at.run()
    at.switch_page(ASSESS).run()
    assert not any(item.key == f"assess_level_{DRAFT}_{INDICATOR}" for item in at.radio)  # asked first
    fresh = app()
    fresh.query_params["assessment"] = DRAFT
    fresh.query_params["name"] = "Pak Budi"
    fresh.run()
    fresh.switch_page(ASSESS).run()
    level(fresh).set_value(2).run()
    assert stored_level() == 2
    store = fresh_store()
    try:
        assert store.history(DRAFT, INDICATOR)[-1].user == "Pak Budi"
    finally:
        store.close()


def test_a_wrong_access_setting_shows_only_the_error(ui_data, monkeypatch):
    monkeypatch.setenv("DDMT_AUTH", "ldap")
    at = app()
    at.run()
    assert [error.value for error in at.error] == [
        'DDMT_AUTH / [ddmt] auth: "ldap" is not an access mode: use one of none, password, oidc']
    assert not at.dataframe and not at.text_input


def test_no_shared_cache_holds_anyones_data():
    """Streamlit's caches are shared by every session: only the store (no user data in memory) is cached."""
    sources = {path: path.read_text(encoding="utf-8") for path in [REPO / "app.py", *(REPO / "toolkit").rglob("*.py")]}
    cached = sorted(str(path.relative_to(REPO)) for path, text in sources.items() if "@st.cache_resource" in text)
    assert cached == ["toolkit/ui/state.py"]
    assert sources[REPO / "toolkit" / "ui" / "state.py"].count("@st.cache_resource") == 1
    assert not [path for path, text in sources.items() if "@st.cache_data" in text or "st.cache_data(" in text]
