"""A team round in the real app: three respondents answer in three browser contexts without seeing each
other's answers until they submit, the facilitator consolidates, and the results show Krippendorff's alpha.

Access rules for accounts (a respondent of one ministry sees nothing of another, the respondent role
of one round) are checked on SQLite and PostgreSQL in tests/test_team_rounds.py; here the server runs
as one local person (auth none), who picks the respondent they answer as.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from toolkit.access.roles import Principal
from toolkit.access.team import TeamRound
from toolkit.access.workspace import Workspace
from toolkit.model.assessment import Respondent
from toolkit.model.catalogue import find_rubric
from toolkit.research.agreement import round_agreement
from toolkit.store.store import Store

REPO = Path(__file__).resolve().parents[2]

FIRST, SECOND = "ins.official_accounts", "ins.visual_storytelling"
# respondent id, name, level of FIRST, level of SECOND
TEAM = (("press", "Press office", 4, 3), ("cyber", "Cyber desk", 1, 3), ("embassy", "Embassy North", 2, 2))
LABELS = {1: "1 Initial", 2: "2 Developing", 3: "3 Established", 4: "4 Leading"}
HIDDEN = "The other respondents' answers show after you submit yours."


def eventually(check: Callable[[], object], timeout: float = 15.0) -> object:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise AssertionError("the database never showed the change")
        time.sleep(0.05)
    return found


def settle(page: Page) -> None:
    """Connected and no script run going on; generous, as a shared machine runs these slowly."""
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=30_000)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=30_000)


def radio(page: Page, round_id: str, who: str, indicator: str):
    return page.locator(f".st-key-respond_level_{round_id}_{who}_{indicator.replace('.', '-')}")


def test_three_respondents_then_the_facilitator_then_alpha_on_the_results(browser: Browser, app_server, ui):
    store = Store.open(f"sqlite:///{app_server.data_dir}/ddmt.sqlite3", data_dir=app_server.data_dir)
    try:
        store.seed_samples(REPO / "sample_ministries")  # as the app does when it first opens the store
        round_id = store.create_assessment("maravu-mfa", "2027 team", rubric_id="digital-diplomacy",
                                           rubric_version="1.0.0", user="Fatima")
        facilitator = TeamRound(Workspace(store, Principal.local("Fatima")))
        for who, name, _, _ in TEAM:
            facilitator.invite(round_id, Respondent(who, name))

        def response(who: str) -> dict:
            return {key: value.answer.level for key, value in facilitator.own_answers(round_id, who).items()}

        contexts = [browser.new_context() for _ in TEAM]
        pages = [context.new_page() for context in contexts]
        for page, (who, name, first, second) in zip(pages, TEAM, strict=True):
            page.goto(f"{app_server.url}/respond?name=Tester&assessment={round_id}")
            expect(page.get_by_text("Your answers for a team round")).to_be_visible(timeout=30_000)
            settle(page)
            ui.choose(page, page.get_by_role("combobox", name="Answering as"), f"{name} ({who})", search=name)
            expect(radio(page, round_id, who, FIRST).get_by_test_id("stRadioOption")).to_have_count(6, timeout=30_000)
            settle(page)
            for indicator, level in ((FIRST, first), (SECOND, second)):
                radio(page, round_id, who, indicator).get_by_text(LABELS[level], exact=True).click()
                expect(page.get_by_text(f"Saved: {indicator}")).to_be_visible(timeout=30_000)
                settle(page)
            eventually(lambda who=who, first=first, second=second: response(who) == {FIRST: first, SECOND: second})
            # Before submitting: nobody else's answers, though the others have saved theirs.
            expect(page.get_by_text(HIDDEN)).to_be_visible()
            expect(page.get_by_text("The other respondents' answers", exact=True)).to_have_count(0)
            ui.no_errors(page)

        # The first respondent still sees nobody's levels until they submit; then they see both others'.
        press = pages[0]
        press.reload()
        ui.choose(press, press.get_by_role("combobox", name="Answering as"), "Press office (press)",
                  search="Press office")
        expect(press.get_by_text(HIDDEN)).to_be_visible()
        expect(press.get_by_test_id("stDataFrame")).to_have_count(0)
        for page in pages:
            page.get_by_role("button", name="Submit my answers").click()
            expect(page.get_by_text(re.compile(r"^Submitted "))).to_be_visible()
            expect(page.get_by_text("The other respondents' answers", exact=True)).to_be_visible()
            ui.no_errors(page)
        ui.shoot(press, "team-round-respondent-after-submitting")
        assert all(record.submitted_at for record in facilitator.respondents(round_id))
        for context in contexts:
            context.close()

        # The facilitator takes the press office's level for the indicator they disagree on most.
        page = browser.new_page()
        page.goto(f"{app_server.url}/consolidate?name=Tester&assessment={round_id}")
        expect(page.get_by_text("Agreement of the respondents")).to_be_visible(timeout=30_000)
        settle(page)
        take = page.locator(f".st-key-consolidate_take_{FIRST.replace('.', '-')}")
        take.get_by_text("Press office (4)", exact=True).click()
        settle(page)
        page.locator(f".st-key-consolidate_set_{FIRST.replace('.', '-')}").get_by_role("button").click()
        expect(page.get_by_text(f"Consolidated: {FIRST}")).to_be_visible()
        assert eventually(lambda: store.get_answer(round_id, FIRST).answer.level == 4)
        trail = [entry for entry in store.history(round_id, FIRST) if entry.field == "consolidated"]
        assert json.loads(trail[-1].new) == {"from": ["press"]}

        expected = round_agreement(find_rubric("digital-diplomacy", "1.0.0"), store.load(round_id)).overall
        page.goto(f"{app_server.url}/results?assessment={round_id}")
        expect(page.get_by_text("Agreement of the respondents")).to_be_visible(timeout=30_000)
        metric = page.get_by_test_id("stMetric").filter(has_text="α")
        expect(metric).to_contain_text(f"{expected:.2f}")
        ui.no_errors(page)
        ui.shoot(page, "team-round-results-alpha")
        page.close()
    finally:
        store.close()
