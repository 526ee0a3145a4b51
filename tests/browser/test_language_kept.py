"""The officer's friction (issue 16): the language chosen stays on every button and link that navigates.

A new user started at `/?lang=id`, pressed "Buka" (or created a round with "Buat dan buka") and
landed on an English page: the switch to the assess page dropped `lang=id`. Each test starts a
fresh browser session in Indonesian, presses one navigating control, and checks both the address
and the page's words. The round created here belongs to a fictional sample ministry.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

DRAFT = "belmara-mfa-2026"  # a sample draft round


def start_in_indonesian(page: Page, url: str, ui) -> None:
    page.goto(f"{url}/?lang=id&name=Tester")  # a named link: the name prompt (auth none) is tested elsewhere
    expect(page.get_by_role("heading", name="Asesmen", exact=True)).to_be_visible(timeout=30_000)
    ui.settle(page)


def on_assess_in_indonesian(page: Page, ui) -> None:
    # Generous waits: on a shared two-core machine a whole assess page can take several seconds.
    expect(page.get_by_role("heading", name="Penilaian", exact=True)).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"[?&]lang=id(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]name=Tester(&|$)"))  # the name goes along too
    expect(page.get_by_role("combobox", name="Dimensi", exact=True)).to_be_visible(timeout=30_000)
    # The progress in Indonesian (a round started from an earlier one counts its carried answers too).
    expect(page.get_by_text(re.compile(r"^\d+ dari \d+ (indikator yang berlaku telah dijawab$|terjawab: )"))
           ).to_be_visible(timeout=30_000)
    ui.settle(page)


def test_open_keeps_the_language(page: Page, app_server, ui) -> None:
    start_in_indonesian(page, app_server.url, ui)
    page.locator(".st-key-home_open").get_by_role("button", name="Buka", exact=True).click()
    on_assess_in_indonesian(page, ui)
    page.reload()  # the address alone carries it
    on_assess_in_indonesian(page, ui)


def test_create_and_open_keeps_the_language(page: Page, app_server, ui) -> None:
    start_in_indonesian(page, app_server.url, ui)
    page.locator(".st-key-home_round_period").get_by_role("textbox").fill("2031")
    page.get_by_role("button", name="Buat dan buka", exact=True).click()
    on_assess_in_indonesian(page, ui)
    expect(page).to_have_url(re.compile(r"[?&]assessment=[^&]*2031"))


def test_links_home_keep_the_language(page: Page, app_server, ui) -> None:
    page.goto(f"{app_server.url}/results?lang=id")  # no round open yet: the page offers the way home
    expect(page.get_by_role("heading", name="Hasil", exact=True)).to_be_visible(timeout=30_000)
    ui.settle(page)
    page.get_by_role("link", name="Ke halaman beranda").click()
    expect(page.get_by_role("heading", name="Asesmen", exact=True)).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"[?&]lang=id(&|$)"))

    page.goto(f"{app_server.url}/assess?lang=id&assessment=no-such-round")  # the assess page's way home
    expect(page.get_by_role("heading", name="Penilaian", exact=True)).to_be_visible(timeout=30_000)
    ui.settle(page)
    page.get_by_role("link", name="Ke halaman beranda").click()
    expect(page.get_by_role("heading", name="Asesmen", exact=True)).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"[?&]lang=id(&|$)"))


def test_next_dimension_keeps_the_language(page: Page, app_server, ui) -> None:
    page.goto(f"{app_server.url}/assess?lang=id&name=Tester&assessment={DRAFT}")
    on_assess_in_indonesian(page, ui)
    page.get_by_role("button", name=re.compile(r"^Dimensi berikutnya: ")).click()
    expect(page).to_have_url(re.compile(r"[?&]dimension=functions(&|$)"))
    on_assess_in_indonesian(page, ui)
