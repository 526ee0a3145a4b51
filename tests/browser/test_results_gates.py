"""The results page of a gated round and of a round below min_completeness, in a real browser, in English
and Indonesian: the triggered gate and what it capped, the not-rated stage, and the critical controls a
partial round leaves unevaluated (SPEC 11)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from toolkit.model.catalogue import find_rubric
from toolkit.store.store import Store


def open_store(data_dir: Path) -> Store:
    return Store.open(f"sqlite:///{data_dir}/ddmt.sqlite3", data_dir=data_dir)


def idle(page: Page) -> None:
    """No script run going on."""
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning", timeout=60_000)


def seeded(page: Page, app_server, ui) -> None:
    """The home page loaded (the first session seeds the sample ministries)."""
    page.goto(f"{app_server.url}/?lang=en&name=Tester")
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=60_000)
    idle(page)
    ui.settle(page)

RUBRIC = find_rubric("digital-diplomacy", "1.1.0")


def rounds(store: Store) -> tuple[str, str]:
    """Two fictional 1.1.0 rounds: complete with shared passwords (gated), and 24 of 67 answers (partial)."""
    evidence = [{"kind": "url", "value": "https://example.org/proof"}]
    answers = {indicator.id: ({"value": 10.0, "evidence": evidence} if indicator.is_metric else
                              {"level": 1 if indicator.id == "sec.account_security" else 3, "evidence": evidence})
               for indicator in RUBRIC.indicators()}
    ids = []
    for name, kept in (("gated", answers), ("partial", dict(list(answers.items())[:24]))):
        doc = {"kind": "assessment", "format_version": 1, "id": f"maravu-mfa-{name}",
               "rubric": {"id": RUBRIC.id, "version": RUBRIC.version},
               "ministry": {"id": "maravu-mfa", "name": "Ministry of Foreign Affairs of the Republic of Maravu",
                            "country": "Republic of Maravu", "fictional": True},
               "period": f"2026-{name}", "date": "2026-11-30", "status": "draft", "assessors": ["tester"],
               "answers": kept}
        ids.append(store.import_document(doc, user="tester"))
    return ids[0], ids[1]


TEXTS = {
    "en": {"gate": "Gate triggered: MFA or individual logins not yet in force on headquarters or leadership "
                   "accounts cap Security at Formative (Security capped at 39)",
           "stage": "Stage: not rated: ", "needed": "% complete, at least 80 % needed",
           "unevaluated": "Critical control not answered: Account access and multi-factor authentication."},
    "id": {"gate": "Gerbang terpicu: MFA atau login perorangan belum diterapkan pada akun kantor pusat atau "
                   "pimpinan membatasi Keamanan paling tinggi pada tahap Pembentukan (Keamanan dibatasi pada 39)",
           "stage": "Tahap: belum dinilai: ", "needed": "minimal 80 % diperlukan",
           "unevaluated": "Kontrol kritis belum dijawab: "},
}


def test_results_of_a_gated_and_of_a_partial_round(page: Page, app_server, ui):
    seeded(page, app_server, ui)
    store = open_store(app_server.data_dir)
    try:
        gated, partial = rounds(store)
    finally:
        store.close()
    for language, texts in TEXTS.items():
        page.goto(f"{app_server.url}/results?assessment={gated}&lang={language}&name=Tester")
        expect(page.get_by_text(texts["gate"], exact=True)).to_be_visible(timeout=60_000)
        idle(page)
        expect(page.get_by_text(texts["unevaluated"])).to_have_count(0)  # every control answered
        ui.no_errors(page)
        ui.shoot(page, f"results-gated-{language}")
        page.goto(f"{app_server.url}/results?assessment={partial}&lang={language}&name=Tester")
        stage = page.get_by_role("heading").filter(has_text=texts["stage"])
        expect(stage).to_be_visible(timeout=60_000)
        expect(stage).to_contain_text(texts["needed"])
        idle(page)
        expect(page.get_by_text(texts["unevaluated"]).first).to_be_visible()
        expect(page.get_by_text(texts["gate"], exact=True)).to_have_count(0)  # nothing answered below the gate
        ui.no_errors(page)
        ui.shoot(page, f"results-partial-{language}")


def test_a_ministrys_history_crosses_the_rubric_versions(page: Page, app_server, ui):
    """Maravu's sample rounds: 2024 and 2025 on 1.0.0, 2026 on 1.1.0; both ends show the whole trend."""
    seeded(page, app_server, ui)
    for round_id in ("maravu-mfa-2026", "maravu-mfa-2025"):
        page.goto(f"{app_server.url}/results?assessment={round_id}&lang=en&name=Tester")
        expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Rounds of several rubric versions: all are scored here on 1.1.0")).to_be_visible(
            timeout=60_000)
        idle(page)
        expect(page.get_by_text("The earlier periods cannot be compared with this one:")).to_have_count(0)
        ui.no_errors(page)
        ui.shoot(page, f"history-{round_id}")
