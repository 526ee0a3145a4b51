"""The app server killed (SIGKILL) right after the page said "Saved": after a restart every such answer is there.

A person answers the indicators of a dimension one after the other in a real browser; as soon as
the last card shows "✓ Saved at ...", a further answer is clicked and the server is killed without
waiting (that one was never shown as saved: it may or may not be kept, but whole). The database
must pass SQLite's integrity check and hold every answer the page showed as saved, with its audit
row; after a restart on the same data folder, a reload shows them all.
"""

from __future__ import annotations

import re
import signal

from fault_support import sqlite_problems
from playwright.sync_api import Locator, Page, expect

from toolkit.model.catalogue import find_rubric
from toolkit.store.store import Store

SAVED = re.compile(r"^✓ Saved at \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d:\d\d UTC$")


def card(page: Page, indicator_id: str) -> Locator:
    return page.locator(f".st-key-assess_card_{indicator_id.replace('.', '-')}")


def level(where: Locator, value: int) -> Locator:
    return where.get_by_test_id("stRadioOption").filter(has_text=re.compile(rf"^{value} — "))


def test_a_server_killed_right_after_saved_keeps_every_saved_answer(page: Page, app_server, ui):
    page.goto(app_server.url)  # the first session seeds the sample ministries
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible(timeout=30_000)
    database = app_server.data_dir / "ddmt.sqlite3"
    url = f"sqlite:///{database}"
    store = Store.open(url, data_dir=app_server.data_dir)
    try:
        round_id = store.create_assessment("belmara-mfa", "2032", rubric_id="digital-diplomacy",
                                           rubric_version="1.0.0", user="setup")
    finally:
        store.close()
    first = find_rubric("digital-diplomacy", "1.0.0").dimensions[0]
    indicators = [indicator.id for indicator in first.indicators if not indicator.is_metric][:5]
    shown, in_flight = indicators[:-1], indicators[-1]

    page.goto(f"{app_server.url}/assess?name=Tester&assessment={round_id}")
    expect(card(page, indicators[0]).get_by_test_id("stRadioOption")).to_have_count(5, timeout=30_000)
    ui.settle(page)
    for number, indicator_id in enumerate(shown):
        where = card(page, indicator_id)
        level(where, number % 5).click()
        expect(where.get_by_text(SAVED)).to_be_visible()
        ui.settle(page)
    level(card(page, in_flight), 4).click()  # and the server dies at once
    app_server.stop(signal.SIGKILL)

    assert sqlite_problems(database) == []
    store = Store.open(url, data_dir=app_server.data_dir)
    try:
        answers = store.answers(round_id)
        for number, indicator_id in enumerate(shown):
            assert (answers[indicator_id].answer.level, answers[indicator_id].version) == (number % 5, 1)
            assert [(entry.field, entry.new) for entry in store.history(round_id, indicator_id)] == [
                ("level", str(number % 5))]
        if in_flight in answers:  # clicked but never shown as saved: whole or not at all
            assert (answers[in_flight].answer.level, answers[in_flight].version) == (4, 1)
        assert set(answers) <= {*shown, in_flight}
    finally:
        store.close()

    app_server.start()
    page.goto(f"{app_server.url}/assess?name=Tester&assessment={round_id}")
    expect(card(page, indicators[0]).get_by_test_id("stRadioOption")).to_have_count(5, timeout=30_000)
    ui.settle(page)
    for number, indicator_id in enumerate(shown):
        expect(level(card(page, indicator_id), number % 5).locator("input")).to_be_checked()
    ui.no_errors(page)
