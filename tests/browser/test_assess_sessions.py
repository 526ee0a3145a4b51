"""Sessions on one draft round: what one tab saves, the other is told about; the page follows its answers.

Two people (two tabs of one browser, each its own Streamlit session, each with its own name in the
sidebar) change the same answer: the later save is told, nothing is overwritten silently. After
each step the database is read to check what is stored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import quote

from playwright.sync_api import Locator, Page, expect

from toolkit.store.store import Store, StoredAnswer

ASSESSMENT_ID = "belmara-mfa-2026"  # a draft sample round: level 3, confidence medium, notes
INDICATOR = "ins.official_accounts"
LEADING = "4 — Leading: The account inventory is evaluated every year"
DEVELOPING = "2 — Developing: A written inventory lists headquarters"
CONFLICT = ("Someone else changed this answer after you opened it. Nothing has been overwritten: "
            "choose which version to keep.")
B_NOTES = "Budi: the registry still misses 23 mission accounts."


def eventually(read: Callable[[], StoredAnswer], check: Callable[[StoredAnswer], bool],
               timeout: float = 15.0) -> StoredAnswer:
    deadline = time.monotonic() + timeout
    while True:
        stored = read()
        if check(stored):
            return stored
        if time.monotonic() > deadline:
            raise AssertionError(f"the database never showed the change: {stored}")
        time.sleep(0.05)


def open_tab(page: Page, url: str, name: str, ui) -> Locator:
    """Open the round with a link that names who is working in this tab; returns the indicator's card."""
    page.goto(f"{url}&name={quote(name)}")
    card = page.locator(f".st-key-assess_card_{INDICATOR.replace('.', '-')}")
    expect(card.get_by_test_id("stRadioOption")).to_have_count(5, timeout=30_000)
    ui.settle(page)
    who = page.get_by_test_id("stSidebar").get_by_role("textbox", name="Your name (recorded with each change)")
    expect(who).to_have_value(name)
    return card


def option(card: Locator, text: str) -> Locator:
    return card.get_by_test_id("stRadioOption").filter(has_text=text)


def test_second_tab_is_told_about_the_first_and_chooses(page: Page, app_server, ui):
    url = f"{app_server.url}/assess?assessment={ASSESSMENT_ID}"
    alice = page
    bob = page.context.new_page()
    card_a = open_tab(alice, url, "Alice Hartono", ui)
    card_b = open_tab(bob, url, "Budi Santoso", ui)
    store = Store.open(f"sqlite:///{app_server.data_dir}/ddmt.sqlite3", data_dir=app_server.data_dir)
    try:
        def stored() -> StoredAnswer:
            return store.get_answer(ASSESSMENT_ID, INDICATOR)
        start = stored()
        assert (start.answer.level, start.answer.confidence) == (3, "medium")
        assert start.answer.notes

        # Alice raises the level to 4: saved.
        option(card_a, LEADING).click()
        expect(card_a.get_by_text(re.compile(r"^✓ Saved at "))).to_be_visible()
        first = eventually(stored, lambda s: s.version == start.version + 1)
        assert (first.answer.level, first.updated_by) == (4, "Alice Hartono")
        ui.settle(alice)

        # Budi, still looking at level 3, chooses 2: he is told, and Alice's 4 stays stored.
        option(card_b, DEVELOPING).click()
        expect(card_b.get_by_text(CONFLICT, exact=True)).to_be_visible()
        expect(card_b.get_by_text(re.compile(r"^Changed by Alice Hartono at "))).to_be_visible()
        conflict_table = card_b.get_by_test_id("stDataFrame")
        expect(conflict_table.locator("table")).to_contain_text("Theirs (saved)")
        expect(conflict_table.locator("table")).to_contain_text("4 — Leading")
        expect(conflict_table.locator("table")).to_contain_text("2 — Developing")
        expect(card_b.get_by_text(re.compile(r"^✓ Saved at "))).to_have_count(0)
        ui.settle(bob)
        after_conflict = stored()
        assert (after_conflict.version, after_conflict.answer.level) == (first.version, 4), "overwritten silently"

        # Budi keeps Alice's answer: his card shows 4, nothing is written.
        card_b.get_by_role("button", name="Keep theirs", exact=True).click()
        expect(card_b.get_by_text(CONFLICT, exact=True)).to_have_count(0)
        expect(option(card_b, LEADING).locator("input")).to_be_checked()
        ui.settle(bob)
        assert stored().version == first.version

        # Budi, now up to date, adds a note: saved on top of Alice's level.
        notes_b = card_b.get_by_role("textbox", name="Notes", exact=True)
        notes_b.fill(B_NOTES)
        notes_b.press("Tab")
        expect(card_b.get_by_text(re.compile(r"^✓ Saved at "))).to_be_visible()
        second = eventually(stored, lambda s: s.version == first.version + 1)
        assert (second.answer.level, second.answer.notes, second.updated_by) == (4, B_NOTES, "Budi Santoso")
        ui.settle(bob)

        # Alice, who has not seen Budi's note, sets her confidence to low: she is told in turn.
        ui.choose(alice, card_a.get_by_role("combobox", name="Confidence", exact=True), "Low")
        expect(card_a.get_by_text(CONFLICT, exact=True)).to_be_visible()
        expect(card_a.get_by_text(re.compile(r"^Changed by Budi Santoso at "))).to_be_visible()
        ui.settle(alice)
        held = stored()
        assert (held.version, held.answer.confidence, held.answer.notes) == (second.version, "medium", B_NOTES)

        # She overwrites with hers: only her change is written, Budi's note and her level stay.
        card_a.get_by_role("button", name="Overwrite with mine", exact=True).click()
        expect(card_a.get_by_text(CONFLICT, exact=True)).to_have_count(0)
        expect(card_a.get_by_role("combobox", name="Confidence", exact=True)).to_have_value("Low")
        expect(card_a.get_by_role("textbox", name="Notes", exact=True)).to_have_value(B_NOTES)
        third = eventually(stored, lambda s: s.version == second.version + 1)
        assert (third.answer.level, third.answer.confidence, third.answer.notes) == (4, "low", B_NOTES)
        ui.settle(alice)
        ui.no_errors(alice)

        changes = [(entry.user, entry.field, entry.old, entry.new)
                   for entry in store.history(ASSESSMENT_ID, INDICATOR) if entry.user != "sample data"]
        assert [(user, field) for user, field, _, _ in changes] == [
            ("Alice Hartono", "level"), ("Budi Santoso", "notes"), ("Alice Hartono", "confidence")], changes
    finally:
        store.close()
        bob.close()


def test_dimension_picker_names_the_dimension_and_the_progress_bar_counts(page: Page, app_server, ui):
    """The picker names the dimension only; the progress line under it follows every save."""
    page.goto(f"{app_server.url}/assess?name=Tester&assessment={ASSESSMENT_ID}")
    visual = page.locator(".st-key-assess_card_ins-visual_storytelling")
    expect(visual.get_by_test_id("stRadioOption")).to_have_count(5, timeout=30_000)
    ui.settle(page)
    progress = page.get_by_text(re.compile(r"^This dimension: \d+ of \d+ answered$"))
    done, of = map(int, re.findall(r"\d+", progress.inner_text()))
    picker = page.get_by_role("combobox", name="Dimension", exact=True)
    expect(picker).to_have_value("Instruments")

    visual.get_by_role("button", name="Clear the answer", exact=True).click()
    expect(progress).to_have_text(f"This dimension: {done - 1} of {of} answered")
    ui.settle(page)
    expect(picker).to_have_value("Instruments")
