"""OIDC sign-in end to end: Chromium, the real app server with `auth = oidc`, Streamlit's st.login
(Authlib) and a real OpenID Connect provider on loopback (tests/oidc_provider.py).

Accounts are made with the real `ddmt user add` / `ddmt user grant` commands. The person types
their e-mail into the provider's sign-in form; the provider sends the browser back to the app's
/oauth2callback with a code, which the app server exchanges (client secret, PKCE) for a signed ID
token. The app maps the token's e-mail to an account and shows only what that account's roles allow.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

BELMARA_DRAFT = "belmara-mfa-2026"  # Belmara's rounds in the samples: 2025 (reviewed) and 2026 (draft)
MARAVU = "maravu-mfa-2025"         # another ministry's round
SIGN_IN = "Sign in with your organisation's account"
NO_ACCOUNT = "No account of this app has the e-mail address your provider reported"
REFUSED = "You do not have access to this."


@pytest.fixture(scope="module")
def app(oidc_app):
    """Accounts as an administrator makes them: an assessor of Belmara, and one whose e-mail the
    provider will report as not verified."""
    oidc_app.ddmt("user", "add", "ana", "--email", "Ana.Assessor@Example.org", "--no-password")
    oidc_app.ddmt("user", "grant", "ana", "belmara-mfa", "assessor")
    oidc_app.ddmt("user", "add", "una", "--email", "una@example.org", "--no-password")
    oidc_app.ddmt("user", "grant", "una", "belmara-mfa", "viewer")
    oidc_app.provider.verified["una@example.org"] = False
    listing = oidc_app.ddmt("user", "list")
    assert "assessor@belmara-mfa" in listing and "viewer@belmara-mfa" in listing
    return oidc_app


def settle(page: Page) -> None:
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=30_000)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=30_000)


def open_sign_in_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible(timeout=30_000)
    settle(page)


def sign_in_at_provider(page: Page, app, email: str) -> None:
    """From the app's sign-in page: through the provider's form and back to the app."""
    page.get_by_role("button", name=SIGN_IN).click()
    expect(page).to_have_url(re.compile(re.escape(f"{app.provider.issuer}/authorize?")), timeout=30_000)
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(re.escape(app.url)), timeout=30_000)


def assert_no_data(page: Page) -> None:
    """Nothing of any round: no sidebar pages, no table, no ministry's name."""
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible(timeout=30_000)
    settle(page)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    expect(page.get_by_test_id("stMain")).not_to_contain_text("Belmara")
    expect(page.get_by_test_id("stMain")).not_to_contain_text("Maravu")


def round_options(page: Page) -> list[str]:
    """The rounds the home page offers to open (the options of its round box)."""
    box = page.locator(".st-key-home_assessment").get_by_role("combobox")
    box.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    found = options.all_inner_texts()
    box.press("Escape")
    return found


def test_an_account_holder_signs_in_and_sees_only_their_ministry(page: Page, app, ui):
    provider = app.provider
    open_sign_in_page(page, app.url)
    assert_no_data(page)

    sign_in_at_provider(page, app, "ana.assessor@example.org")
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible(timeout=30_000)
    settle(page)
    ui.no_errors(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as ana")
    assert provider.sign_ins[-1] == "ana.assessor@example.org"
    issued = provider.tokens_issued[-1]
    assert issued["email"] == "ana.assessor@example.org" and issued["aud"] == provider.client_id
    assert issued.get("nonce"), "st.login sends a nonce and checks it in the ID token"
    assert any(cookie["name"] == "_streamlit_user" for cookie in page.context.cookies())

    rounds = round_options(page)
    assert len(rounds) == 2 and all("Belmara" in label for label in rounds), rounds
    assert any("2026" in label for label in rounds) and not any("Maravu" in label for label in rounds)
    ui.shoot(page, "oidc-signed-in-home")

    # Their own ministry's round, typed into the URL (a new session: the sign-in cookie carries it).
    page.goto(f"{app.url}/assess?assessment={BELMARA_DRAFT}")
    expect(page.get_by_role("heading", name="Assess", exact=True)).to_be_visible(timeout=30_000)
    settle(page)
    ui.no_errors(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("Belmara")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as ana")

    # Another ministry's round in the URL: a refusal, nothing of its data.
    for path in ("assess", "results"):
        page.goto(f"{app.url}/{path}?assessment={MARAVU}")
        expect(page.get_by_test_id("stAlertContentError")).to_have_text(REFUSED, timeout=30_000)
        settle(page)
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as ana")
        expect(page.get_by_test_id("stMain")).not_to_contain_text("Maravu")
        expect(page.get_by_test_id("stMain").get_by_role("radio")).to_have_count(0)
        expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
    ui.shoot(page, "oidc-another-ministry-refused")


@pytest.mark.parametrize(("email", "why"), [("stranger@example.org", "no account"),
                                             ("una@example.org", "not verified")])
def test_an_email_without_an_account_is_refused_and_sees_nothing(page: Page, app, ui, email, why):
    open_sign_in_page(page, app.url)
    sign_in_at_provider(page, app, email)
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text(NO_ACCOUNT, timeout=30_000)
    expect(page.get_by_test_id("stMain")).to_contain_text(email)
    assert_no_data(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    ui.shoot(page, f"oidc-refused-{why.replace(' ', '-')}")

    # Typing a round into the URL changes nothing: still refused, still nothing of its data.
    page.goto(f"{app.url}/assess?assessment={BELMARA_DRAFT}")
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text(NO_ACCOUNT, timeout=30_000)
    assert_no_data(page)

    # The refusal offers a way out, which forgets the provider's sign-in.
    page.get_by_test_id("stMain").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name=SIGN_IN)).to_be_visible(timeout=30_000)
    settle(page)
    expect(page.get_by_test_id("stAlertContentWarning")).to_have_count(0)
    assert not any(cookie["name"] == "_streamlit_user" for cookie in page.context.cookies())


def test_sign_out_forgets_the_session_and_shows_no_data(page: Page, app, ui):
    provider = app.provider
    open_sign_in_page(page, app.url)
    sign_in_at_provider(page, app, "ana.assessor@example.org")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as ana", timeout=30_000)
    settle(page)
    logouts = len(provider.logouts)

    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name=SIGN_IN)).to_be_visible(timeout=30_000)
    assert_no_data(page)
    assert not any(cookie["name"] == "_streamlit_user" for cookie in page.context.cookies())
    assert len(provider.logouts) == logouts + 1, "the provider's end-session endpoint was not visited"
    assert provider.logouts[-1].get("id_token_hint"), provider.logouts[-1]
    ui.shoot(page, "oidc-signed-out")

    # A round typed into the URL after signing out: the sign-in page, nothing of the round.
    page.goto(f"{app.url}/assess?assessment={BELMARA_DRAFT}")
    expect(page.get_by_role("button", name=SIGN_IN)).to_be_visible(timeout=30_000)
    assert_no_data(page)


def test_a_sign_in_older_than_the_idle_limit_must_be_made_again(page: Page, app, ui):
    """Streamlit's sign-in cookie lasts 30 days; a new session counts idle time from the sign-in itself."""
    provider = app.provider
    provider.token_age = 2 * 3600  # the provider says the person signed in two hours ago (idle limit 30 min)
    try:
        open_sign_in_page(page, app.url)
        sign_in_at_provider(page, app, "ana.assessor@example.org")
        expect(page.get_by_role("button", name=SIGN_IN)).to_be_visible(timeout=30_000)
        assert_no_data(page)
        assert not any(cookie["name"] == "_streamlit_user" for cookie in page.context.cookies())
        ui.shoot(page, "oidc-stale-sign-in")
    finally:
        provider.token_age = 0
    # A fresh sign-in lets the same person in, and a reload keeps them in.
    sign_in_at_provider(page, app, "ana.assessor@example.org")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as ana", timeout=30_000)
    settle(page)
    page.reload()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as ana", timeout=30_000)
