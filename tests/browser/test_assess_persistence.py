"""A whole round of self-assessment in a real browser, saved as it goes and never lost.

One user journey: create a ministry and a round on the home page, answer indicators of two
dimensions on the assess page (levels chosen by their descriptors, confidence, target, notes, N/A
with a reason, a metric value, a URL and a file as evidence), each change seen as saved on screen
and in the database; then a browser refresh, and a server killed with SIGKILL and started again on
the same data folder: every answer is shown again, with its audit entries.
"""

from __future__ import annotations

import re
import signal
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from toolkit.store.store import Store, StoredAnswer

MINISTRY_ID = "ruritania-mfa"
MINISTRY_NAME = "Ministry of Foreign Affairs of Ruritania"
PERIOD = "2026"
ASSESSMENT_ID = f"{MINISTRY_ID}-{PERIOD}"

ACCOUNTS = "ins.official_accounts"  # level 3, confidence, target, notes, a URL
VISUAL = "ins.visual_storytelling"  # not applicable, with a reason
HOURS = "cri.first_statement_hours"  # a metric
PROTOCOL = "cri.protocol"  # level 2, notes, a file

ACCOUNTS_NOTES = "Inventory kept by the digital unit; last reviewed in March."
NA_REASON = "Visual production is done by the presidency's press office, not the ministry."
PROTOCOL_NOTES = "Protocol approved in 2025; missions not covered yet."
EVIDENCE_URL = "https://example.org/ruritania/accounts-inventory"
FILE_NAME = "crisis-protocol-scan.png"


def tiny_png() -> bytes:
    """A valid 2x2 PNG made here (the store checks the type from the content)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xc5\x39\x48" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def open_store(data_dir: Path) -> Store:
    return Store.open(f"sqlite:///{data_dir}/ddmt.sqlite3", data_dir=data_dir)


def eventually(read: Callable[[], StoredAnswer], check: Callable[[StoredAnswer], bool],
               timeout: float = 15.0) -> StoredAnswer:
    """Poll the database until the stored answer passes `check` (the UI already said it saved)."""
    deadline = time.monotonic() + timeout
    while True:
        stored = read()
        if check(stored):
            return stored
        if time.monotonic() > deadline:
            raise AssertionError(f"the database never showed the change: {stored}")
        time.sleep(0.05)


def card(page: Page, indicator_id: str) -> Locator:
    return page.locator(f".st-key-assess_card_{indicator_id.replace('.', '-')}")


def level_option(where: Locator, text: str) -> Locator:
    return where.get_by_test_id("stRadioOption").filter(has_text=text)


def expect_saved(where: Locator) -> None:
    """The card says this session saved it."""
    expect(where.get_by_text(re.compile(r"^✓ Saved at \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d:\d\d UTC$"))).to_be_visible()


def open_evidence(where: Locator, count: int) -> None:
    """Switch the card's evidence panel on (its toggle says how many items there are)."""
    where.get_by_text(f"Evidence ({count})", exact=True).click()
    expect(where.get_by_role("button", name="Add", exact=True)).to_be_visible()


def choose_dimension(page: Page, ui, title: str, dimension_id: str) -> None:
    """Switch the assess page to a dimension and wait for its cards (the run puts its id in the URL)."""
    ui.choose(page, page.get_by_role("combobox", name="Dimension", exact=True), re.compile(f"^{re.escape(title)}$"),
              search=title)
    expect(page).to_have_url(re.compile(rf"[?&]dimension={dimension_id}(&|$)"))
    ui.settle(page)


def test_answers_survive_refresh_and_server_restart(page: Page, browser: Browser, app_server, ui, tmp_path):
    # --- home: a new ministry, then a new round for it ------------------------------------------------
    page.goto(f"{app_server.url}/?name=Desk%20officer")  # a link with the name: none is asked
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible(timeout=30_000)
    ui.settle(page)
    page.get_by_role("textbox", name="Identifier", exact=True).fill(MINISTRY_ID)
    page.get_by_role("textbox", name="Name", exact=True).fill(MINISTRY_NAME)
    page.get_by_role("textbox", name="Country", exact=True).fill("Ruritania")
    page.get_by_role("textbox", name="ISO 3166 alpha-3 code (optional)", exact=True).fill("RUR")
    page.get_by_role("button", name="Create ministry", exact=True).click()
    expect(page.get_by_text(f"Ministry created: {MINISTRY_NAME}", exact=True)).to_be_visible()
    ui.settle(page)
    # The new-round form now proposes the new ministry.
    expect(page.locator(".st-key-home_round_ministry").get_by_role("combobox")).to_have_value(MINISTRY_NAME)
    page.locator(".st-key-home_round_period").get_by_role("textbox", name="Period").fill(PERIOD)
    page.locator(".st-key-home_round_assessors").get_by_role("textbox").fill("Desk officer; Head of the digital unit")
    page.get_by_role("button", name="Create and open", exact=True).click()

    # --- assess: the new round is open, addressed by the URL ----------------------------------------
    expect(page.get_by_role("heading", name="Assess", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"[?&]assessment={re.escape(ASSESSMENT_ID)}(&|$)"))
    expect(page.get_by_text(f"{MINISTRY_NAME} — {PERIOD}", exact=True)).to_be_visible()
    expect(page.get_by_text("Answered 0 of 59 applicable indicators", exact=True)).to_be_visible()
    ui.settle(page)

    store = open_store(app_server.data_dir)
    try:
        def stored(indicator_id: str) -> Callable[[], StoredAnswer]:
            return lambda: store.get_answer(ASSESSMENT_ID, indicator_id)

        # Instruments / Official accounts: a level by its descriptor, confidence, target, notes, a URL.
        accounts = card(page, ACCOUNTS)
        established = level_option(accounts, "3 — Institutionalised: A central account inventory")
        established.click()
        expect(established.locator("input")).to_be_checked()
        expect_saved(accounts)
        eventually(stored(ACCOUNTS), lambda s: s.answer.level == 3)
        ui.settle(page)

        ui.choose(page, accounts.get_by_role("combobox", name="Confidence", exact=True), "Medium")
        eventually(stored(ACCOUNTS), lambda s: s.answer.confidence == "medium")
        ui.settle(page)
        ui.choose(page, accounts.get_by_role("combobox", name="Target level", exact=True), "4 — Leading")
        eventually(stored(ACCOUNTS), lambda s: s.answer.target == 4)
        ui.settle(page)

        notes = accounts.get_by_role("textbox", name="Notes", exact=True)
        notes.fill(ACCOUNTS_NOTES)
        notes.press("Tab")  # a text area commits when it loses focus
        eventually(stored(ACCOUNTS), lambda s: s.answer.notes == ACCOUNTS_NOTES)
        ui.settle(page)

        open_evidence(accounts, 0)
        url = accounts.get_by_role("textbox", name="Web address", exact=True)
        url.fill(EVIDENCE_URL)
        url.press("Enter")
        ui.settle(page)
        accounts.get_by_role("textbox", name="Description (optional)", exact=True).fill("Published account list")
        accounts.get_by_role("button", name="Add", exact=True).click()
        expect(accounts.get_by_text(f"Web address: {EVIDENCE_URL}", exact=True)).to_be_visible()
        expect(accounts.get_by_text("Evidence (1)", exact=True)).to_be_visible()
        expect(url).to_have_value("")  # the form is cleared for the next item
        eventually(stored(ACCOUNTS), lambda s: [(e.kind, e.value) for e in s.answer.evidence]
                   == [("url", EVIDENCE_URL)])
        ui.settle(page)

        # Instruments / Visual storytelling: not applicable, saved only once a reason is given.
        visual = card(page, VISUAL)
        visual.get_by_text("Not applicable to this ministry", exact=True).click()
        needs_reason = visual.get_by_text("Give a reason: the answer is not saved as not applicable", exact=False)
        expect(needs_reason).to_be_visible()
        assert store.get_answer(ASSESSMENT_ID, VISUAL).version == 0, "saved as N/A without a reason"
        reason = visual.get_by_role("textbox", name="Why it does not apply (required)", exact=True)
        reason.fill(NA_REASON)
        reason.press("Enter")
        expect_saved(visual)
        expect(needs_reason).to_have_count(0)
        eventually(stored(VISUAL), lambda s: s.answer.na and s.answer.na_reason == NA_REASON)
        ui.settle(page)

        # A second dimension: Crisis readiness.
        choose_dimension(page, ui, "Crisis readiness", "crisis_readiness")
        hours = card(page, HOURS)
        value = hours.get_by_role("spinbutton", name="Value (hours)", exact=True)
        value.fill("6.5")
        value.press("Enter")
        expect_saved(hours)
        eventually(stored(HOURS), lambda s: s.answer.value == 6.5)
        ui.settle(page)

        protocol = card(page, PROTOCOL)
        developing = level_option(protocol, "2 — Developing: A written protocol")
        developing.click()
        expect(developing.locator("input")).to_be_checked()
        expect_saved(protocol)
        eventually(stored(PROTOCOL), lambda s: s.answer.level == 2)
        ui.settle(page)
        protocol_notes = protocol.get_by_role("textbox", name="Notes", exact=True)
        protocol_notes.fill(PROTOCOL_NOTES)
        protocol_notes.press("Tab")
        eventually(stored(PROTOCOL), lambda s: s.answer.notes == PROTOCOL_NOTES)
        ui.settle(page)

        open_evidence(protocol, 0)
        protocol.get_by_test_id("stRadioOption").filter(has_text=re.compile(r"^File$")).click()
        png = tmp_path / FILE_NAME
        png.write_bytes(tiny_png())
        protocol.locator("input[type=file]").set_input_files(png)
        chip = protocol.get_by_test_id("stFileChip")  # the uploaded file, waiting for "Add"
        expect(chip).to_be_visible()
        expect(chip).to_contain_text(".png")
        ui.settle(page)
        protocol.get_by_role("button", name="Add", exact=True).click()
        expect(protocol.get_by_text(f"File: {FILE_NAME}", exact=True)).to_be_visible()
        expect(protocol.get_by_role("button", name="Download", exact=True)).to_be_visible()
        saved_file = eventually(stored(PROTOCOL), lambda s: len(s.answer.evidence) == 1).answer.evidence[0]
        assert (saved_file.kind, saved_file.name) == ("file", FILE_NAME)
        assert store.file_path(saved_file.sha256).read_bytes() == png.read_bytes()
        ui.settle(page)
        ui.no_errors(page)
        ui.shoot(page, "en-assess-crisis-readiness")

        answers_in_db(store)

        # --- a browser refresh: a new session on the same URL shows everything ------------------------
        round_url = page.url  # ...?assessment=ruritania-mfa-2026&dimension=crisis_readiness
        page.reload()
        expect_everything_shown(page, ui)

        # --- the server killed without warning and started again on the same data folder ---------------
        store.close()
        app_server.stop(signal.SIGKILL)
        app_server.start()
        store = open_store(app_server.data_dir)
        answers_in_db(store)
        audited = {(entry.indicator_id, entry.field) for entry in store.history(ASSESSMENT_ID)}
        for expected in [(ACCOUNTS, "level"), (ACCOUNTS, "confidence"), (ACCOUNTS, "target"), (ACCOUNTS, "notes"),
                         (ACCOUNTS, "evidence"), (VISUAL, "na"), (VISUAL, "na_reason"), (HOURS, "value"),
                         (PROTOCOL, "level"), (PROTOCOL, "notes"), (PROTOCOL, "evidence")]:
            assert expected in audited, f"no audit entry for {expected}"

        context = browser.new_context(viewport=page.viewport_size)
        try:
            fresh = context.new_page()
            fresh.goto(round_url)
            expect_everything_shown(fresh, ui)
        finally:
            context.close()
    finally:
        store.close()


def answers_in_db(store: Store) -> None:
    """Every answer the UI showed as saved is in the database."""
    answers = store.answers(ASSESSMENT_ID)
    accounts = answers[ACCOUNTS].answer
    assert (accounts.level, accounts.confidence, accounts.target, accounts.notes) == (3, "medium", 4, ACCOUNTS_NOTES)
    assert [(e.kind, e.value, e.description) for e in accounts.evidence] == [
        ("url", EVIDENCE_URL, "Published account list")]
    visual = answers[VISUAL].answer
    assert (visual.na, visual.na_reason, visual.level) == (True, NA_REASON, None)
    assert answers[HOURS].answer.value == 6.5
    protocol = answers[PROTOCOL].answer
    assert (protocol.level, protocol.notes) == (2, PROTOCOL_NOTES)
    assert [(e.kind, e.name) for e in protocol.evidence] == [("file", FILE_NAME)]
    assert set(answers) == {ACCOUNTS, VISUAL, HOURS, PROTOCOL}


def expect_everything_shown(page: Page, ui) -> None:
    """A page freshly loaded on the round's URL shows every saved answer (it lands on Crisis readiness)."""
    expect(page.get_by_role("heading", name="Assess", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_text(f"{MINISTRY_NAME} — {PERIOD}", exact=True)).to_be_visible()
    # A server just restarted draws its first page slowly: wait as long as for the heading.
    expect(page.get_by_text("Answered 3 of 58 applicable indicators", exact=True)).to_be_visible(timeout=60_000)
    expect(page.get_by_role("combobox", name="Dimension", exact=True)).to_have_value("Crisis readiness")
    expect(page.get_by_text("This dimension: 2 of 11 answered", exact=True)).to_be_visible()

    hours = card(page, HOURS)
    expect(hours.get_by_role("spinbutton", name="Value (hours)", exact=True)).to_have_value("6.5")
    expect(hours.get_by_text(re.compile(r"^Last saved by Desk officer at "))).to_be_visible()
    protocol = card(page, PROTOCOL)
    expect(level_option(protocol, "2 — Developing: A written protocol").locator("input")).to_be_checked()
    expect(protocol.locator("input[type=radio]:checked")).to_have_count(1)
    expect(protocol.get_by_role("textbox", name="Notes", exact=True)).to_have_value(PROTOCOL_NOTES)
    open_evidence(protocol, 1)
    expect(protocol.get_by_text(f"File: {FILE_NAME}", exact=True)).to_be_visible()
    ui.settle(page)

    choose_dimension(page, ui, "Instruments", "instruments")
    accounts = card(page, ACCOUNTS)
    expect(level_option(accounts, "3 — Institutionalised: A central account inventory").locator("input")).to_be_checked()
    expect(accounts.locator("input[type=radio]:checked")).to_have_count(1)
    expect(accounts.get_by_role("combobox", name="Confidence", exact=True)).to_have_value("Medium")
    expect(accounts.get_by_role("combobox", name="Target level", exact=True)).to_have_value("4 — Leading")
    expect(accounts.get_by_role("textbox", name="Notes", exact=True)).to_have_value(ACCOUNTS_NOTES)
    open_evidence(accounts, 1)
    expect(accounts.get_by_text(f"Web address: {EVIDENCE_URL}", exact=True)).to_be_visible()
    expect(accounts.get_by_text("Published account list", exact=True)).to_be_visible()
    ui.settle(page)

    visual = card(page, VISUAL)
    expect(visual.get_by_role("checkbox", name="Not applicable to this ministry")).to_be_checked()
    expect(visual.get_by_role("textbox", name="Why it does not apply (required)", exact=True)).to_have_value(NA_REASON)
    ui.no_errors(page)
