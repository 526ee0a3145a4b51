"""Moving to rubric 1.1.0 in a real browser, in English and Indonesian: the Migrate action on a round of
1.0.0, and a new round that starts from an earlier one with every answer carried, to confirm or change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from toolkit.store.carry import carried
from toolkit.store.store import Store

REPO = Path(__file__).resolve().parents[2]
MARAVU = REPO / "sample_ministries" / "maravu-mfa-2025.json"


def open_store(data_dir: Path) -> Store:
    return Store.open(f"sqlite:///{data_dir}/ddmt.sqlite3", data_dir=data_dir)


def idle(page: Page) -> None:
    """No script run going on (a page of sixty cards takes a while on a loaded machine)."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=60_000)


def seeded(page: Page, app_server, ui, language: str = "en") -> None:
    """The home page loaded (the first session seeds the sample ministries)."""
    page.goto(f"{app_server.url}/?lang={language}&name=Tester")
    heading = "Assessments" if language == "en" else "Asesmen"
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=60_000)  # seeded and listed
    idle(page)
    ui.settle(page)


def draft_on_1_0(store: Store, round_id: str) -> str:
    """A draft copy of a 1.0.0 sample round (an imported round arrives as a draft)."""
    doc = json.loads(MARAVU.read_text(encoding="utf-8"))
    doc.pop("responses", None)
    doc.update(id=round_id, period=round_id.removeprefix("maravu-mfa-"), status="draft")
    return store.import_document(doc, user="tester")


def test_migrate_a_round_in_english_and_in_indonesian(page: Page, app_server, ui):
    seeded(page, app_server, ui)
    store = open_store(app_server.data_dir)
    try:
        for round_id, language, uses, button, done in (
            ("maravu-mfa-2025-q3", "en", "This round uses rubric 1.0.0.", "Migrate to 1.1.0",
             re.compile(r"^Migrated to 1\.1\.0: \d+ answers kept, 0 remapped, 2 dropped, 10 indicators to answer\.$")),
            ("maravu-mfa-2025-q4", "id", "Putaran ini memakai rubrik versi 1.0.0.", "Migrasikan ke 1.1.0",
             re.compile(r"^Dimigrasikan ke 1\.1\.0: \d+ jawaban dipertahankan, 0 dipetakan ulang, 2 dihapus, "
                        r"10 indikator perlu dijawab\.$")),
        ):
            draft_on_1_0(store, round_id)
            before = store.answers(round_id)
            page.goto(f"{app_server.url}/assess?assessment={round_id}&lang={language}&name=Tester")
            expect(page.get_by_text(uses, exact=True)).to_be_visible(timeout=30_000)
            idle(page)
            page.get_by_role("button", name=button, exact=True).click()
            expect(page.get_by_text(done)).to_be_visible(timeout=60_000)
            idle(page)
            expect(page.get_by_text(uses, exact=True)).to_have_count(0)
            ui.no_errors(page)
            after = store.answers(round_id)
            assert store.load(round_id).rubric_version == "1.1.0"
            assert set(before) - set(after) == {"rea.languages", "res.audience_concentration"}
            assert all(after[key] == before[key] for key in after)  # every kept answer exactly as it was
            trail = store.history(round_id)
            assert any(entry.field == "migrated" and entry.indicator_id == "rea.languages"
                       and entry.new.startswith("migrated from 1.0.0") for entry in trail)
            ui.shoot(page, f"migrated-{language}")
    finally:
        store.close()


def test_a_new_round_starts_from_an_earlier_one(page: Page, app_server, ui):
    for language, ministry, earlier, period, create, carried_text, confirm, progress in (
        ("en", "orrinth-mfa", "2026", "2028", "Create and open", "Carried from 2026: confirm or change.", "Confirm",
         r"^(\d+) of \d+ answered: (\d+) confirmed, (\d+) carried to confirm$"),
        ("id", "calvessa-mfa", "2025", "2028", "Buat dan buka", "Dibawa dari 2025: konfirmasi atau ubah.",
         "Konfirmasi", r"^(\d+) dari \d+ terjawab: (\d+) terkonfirmasi, (\d+) dibawa dan perlu dikonfirmasi$"),
    ):
        seeded(page, app_server, ui, language)
        ministry_box = page.locator(".st-key-home_round_ministry").get_by_role("combobox")
        name = re.compile(rf"^Ministry of Foreign Affairs of .*{ministry.split('-')[0].title()} †$")
        ui.choose(page, ministry_box, name, search=ministry.split("-")[0].title())
        idle(page)
        start_from = page.locator(f".st-key-home_round_from_{ministry}_{language}").get_by_role("combobox")
        ui.choose(page, start_from, re.compile(rf" — {earlier} \("), search=earlier)
        page.locator(".st-key-home_round_period").get_by_role("textbox").fill(period)
        page.get_by_role("button", name=create, exact=True).click()

        new_id = f"{ministry}-{period}"
        expect(page).to_have_url(re.compile(rf"[?&]assessment={re.escape(new_id)}(&|$)"), timeout=60_000)
        bar = page.get_by_text(re.compile(progress))
        expect(bar).to_be_visible(timeout=60_000)
        idle(page)
        answered, confirmed, waiting = map(int, re.match(progress, bar.inner_text()).groups())
        assert confirmed == 0 and waiting == answered > 0
        first = page.get_by_text(carried_text, exact=True).first
        expect(first).to_be_visible()
        page.get_by_role("button", name=confirm, exact=True).first.click()
        expect(page.get_by_text(re.compile(progress.replace(r"(\d+) confirmed", "1 confirmed")
                                           .replace(r"(\d+) terkonfirmasi", "1 terkonfirmasi")))).to_be_visible(
            timeout=60_000)
        idle(page)
        ui.no_errors(page)
        store = open_store(app_server.data_dir)
        try:
            source = store.load(f"{ministry}-{earlier}")
            new = store.load(new_id)
            assert new.rubric_version == "1.1.0" and source.rubric_version == "1.0.0"
            kept = {key for key in source.answers if key not in ("rea.languages", "res.audience_concentration")}
            assert all(new.answers[key] == source.answers[key] for key in kept)  # evidence included
            assert len(carried(store, new_id)) == len(new.answers) - 1
        finally:
            store.close()
        ui.shoot(page, f"carried-{language}")
