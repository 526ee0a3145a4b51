"""Every page of the app in a real browser, in English and in Bahasa Indonesia, on a seeded sample.

Nothing here writes to the database, so the tests share the module's server. Each page visited is
kept as a whole-page screenshot in test-artifacts/pages/<language>-<page>.png for people to look at.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parents[2]
SAMPLE = "maravu-mfa-2025"  # a reviewed round with an earlier one (2024), so results show a trend
MARAVU = "Ministry of Foreign Affairs of the Republic of Maravu †"
RUBRIC = json.loads((REPO / "rubrics" / "digital-diplomacy-1.0.0.json").read_text(encoding="utf-8"))
MINISTRIES_IN_SAMPLES = 8  # the compare page starts with the latest round of each


@dataclass(frozen=True)
class Words:
    """The interface words a page is recognised by, in one language (written out, not looked up:
    a missing translation would fall back to English and go unnoticed)."""

    code: str  # the rubric's language code
    pages: dict[str, str]  # page -> sidebar link and page title
    headings: dict[str, str]
    browse_tab: str
    ranking: str
    rank_columns: tuple[str, ...]
    export: str
    downloads: tuple[str, ...]  # the exports every version of the page offers


EN = Words("en", pages={"home": "Home", "assess": "Assess", "results": "Results", "compare": "Compare",
                             "rubric": "Rubric", "transfer": "Import and export"},
           headings={"home": "Assessments", "assess": "Assess", "results": "Results", "compare": "Compare",
                     "rubric": "Rubric", "transfer": "Import and export"},
           browse_tab="Browse", ranking="Ranking",
           rank_columns=("Rank", "Ministry", "Period", "Overall", "Stage", "Complete"), export="Export",
           downloads=("Assessment (JSON)", "Scores (CSV)", "All assessments (JSON files in a zip)", "All scores (CSV)"))
ID = Words("id", pages={"home": "Beranda", "assess": "Penilaian", "results": "Hasil",
                                      "compare": "Perbandingan", "rubric": "Rubrik", "transfer": "Impor dan ekspor"},
           headings={"home": "Asesmen", "assess": "Penilaian", "results": "Hasil", "compare": "Perbandingan",
                     "rubric": "Rubrik", "transfer": "Impor dan ekspor"},
           browse_tab="Jelajahi", ranking="Peringkat",
           rank_columns=("Peringkat", "Kementerian", "Periode", "Keseluruhan", "Tahap", "Kelengkapan"), export="Ekspor",
           downloads=("Asesmen (JSON)", "Skor (CSV)", "Semua asesmen (berkas JSON dalam zip)", "Semua skor (CSV)"))


def go(page: Page, words: Words, name: str) -> None:
    """Follow the sidebar link to a page (the session, its language and its assessment stay)."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=words.pages[name], exact=True).click()
    expect(page.get_by_role("heading", name=words.headings[name], exact=True).first).to_be_visible(timeout=30_000)


def plotly_charts(page: Page, at_least: int) -> None:
    """At least `at_least` plotly charts, every one drawn (its SVG is there)."""
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts.nth(at_least - 1)).to_be_visible(timeout=30_000)  # charts come last on a loaded machine
    for index in range(charts.count()):
        expect(charts.nth(index).locator(".js-plotly-plot .main-svg").first).to_be_visible()


def page_ready(page: Page, words: Words, name: str) -> None:
    """Wait for what each page shows last, so a screenshot shows the whole page."""
    if name == "home":
        expect(page.locator(".st-key-home_open").get_by_role("button")).to_be_visible()
        expect(page.get_by_test_id("stDataFrame").first.locator("table")).to_contain_text("Maravu")
    elif name == "assess":
        card = page.locator(".st-key-assess_card_ins-official_accounts")
        expect(card.get_by_test_id("stRadioOption")).to_have_count(5)
    elif name == "results":
        plotly_charts(page, 4)  # radar, bars, coverage, trend (2024 and 2025)
    elif name == "compare":
        expect(page.get_by_role("heading", name=words.ranking, exact=True)).to_be_visible()
        plotly_charts(page, 3)  # heatmap, radar, trend
    elif name == "rubric":
        expect(page.get_by_role("tab", name=words.browse_tab, exact=True)).to_be_visible()
        for dimension in RUBRIC["dimensions"]:  # one expander per dimension, titled in the language
            title = dimension["title"][words.code]
            expander = page.get_by_test_id("stExpander").filter(has_text=re.compile(rf"{re.escape(title)} \("))
            expect(expander).to_be_visible()
    elif name == "transfer":
        expect(page.get_by_role("heading", name=words.export, exact=True)).to_be_visible()
        for label in words.downloads:
            expect(page.get_by_test_id("stDownloadButton").get_by_role("button", name=label, exact=True)).to_be_visible()


def visit(page: Page, ui, words: Words, name: str) -> None:
    go(page, words, name)
    page_ready(page, words, name)
    ui.settle(page)
    ui.no_errors(page)
    ui.shoot(page, f"{words.code}-{name}")


def test_results_compare_and_every_page_in_english(page: Page, app_server, ui):
    page.goto(f"{app_server.url}/results?assessment={SAMPLE}")
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(rf"^{re.escape(MARAVU)} · Period 2025 · "))).to_be_visible()
    page_ready(page, EN, "results")
    for heading in ("Dimensions", "Roadmap", "History"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    dimensions = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Evidence-backed")).first
    expect(dimensions.locator("table")).to_contain_text(RUBRIC["dimensions"][0]["title"]["en"])
    ui.settle(page)
    ui.no_errors(page)
    ui.shoot(page, "en-results")

    go(page, EN, "compare")
    page_ready(page, EN, "compare")
    rank = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Rank$"))).first
    expect(rank.locator("thead th")).to_have_text(list(EN.rank_columns))
    expect(rank.locator("tbody tr")).to_have_count(MINISTRIES_IN_SAMPLES)
    expect(rank.locator("tbody")).to_contain_text(MARAVU)
    ui.settle(page)
    ui.no_errors(page)
    ui.shoot(page, "en-compare")

    # The other pages, in the same session.
    for name in ("home", "assess", "rubric", "transfer"):
        visit(page, ui, EN, name)
    # The export offers the assessment the URL named.
    expect(page.get_by_text(re.compile(rf"^{re.escape(MARAVU)} — 2025 \(Reviewed\) · {SAMPLE}$"))).to_be_visible()


def test_indonesian_interface_and_rubric_texts(page: Page, app_server, ui):
    first = RUBRIC["dimensions"][0]
    indicator = first["indicators"][0]
    crisis = next(d for d in RUBRIC["dimensions"] if d["id"] == "crisis_readiness")
    level0 = RUBRIC["scale"]["levels"][0]["label"]

    page.goto(f"{app_server.url}/assess?name=Tester&assessment={SAMPLE}")
    card = page.locator(f".st-key-assess_card_{indicator['id'].replace('.', '-')}")
    expect(card.get_by_test_id("stRadioOption")).to_have_count(5, timeout=30_000)
    ui.settle(page)
    page.get_by_test_id("stSidebar").get_by_text("Bahasa Indonesia", exact=True).click()

    # Interface strings.
    expect(page.get_by_role("heading", name="Penilaian", exact=True)).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    for title in ID.pages.values():
        expect(nav.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("Nama Anda (dicatat pada setiap perubahan)")).to_be_visible()
    for label in ("Tingkat", "Keyakinan", "Tingkat sasaran", "Catatan"):
        expect(card.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)).to_be_visible()
    expect(card.get_by_text("Tidak berlaku untuk kementerian ini", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^\d+ dari \d+ indikator yang berlaku telah dijawab$"))).to_be_visible()
    # Rubric texts: the rubric's title, the dimension, the indicator, its question and descriptors.
    expect(page.get_by_text(f"Rubrik: {RUBRIC['title']['id']} {RUBRIC['version']}", exact=True)).to_be_visible()
    expect(card.get_by_role("heading", name=indicator["title"]["id"], exact=True)).to_be_visible()
    expect(card.get_by_text(indicator["question"]["id"], exact=True)).to_be_visible()
    descriptor = f"0 — {level0['id']}: {indicator['levels']['0']['descriptor']['id']}"
    expect(card.get_by_test_id("stRadioOption").first).to_have_text(descriptor)
    # ... and no English left of them.
    expect(page.get_by_role("heading", name=indicator["title"]["en"], exact=True)).to_have_count(0)
    expect(page.get_by_text(indicator["question"]["en"], exact=True)).to_have_count(0)
    expect(page.get_by_test_id("stWidgetLabel").get_by_text("Confidence", exact=True)).to_have_count(0)
    ui.settle(page)
    ui.no_errors(page)
    ui.shoot(page, "id-assess")

    # Another dimension, chosen by its Indonesian title; a metric with its unit in Indonesian.
    ui.choose(page, page.get_by_role("combobox", name="Dimensi", exact=True),
              re.compile(rf"^{re.escape(crisis['title']['id'])}$"), search=crisis["title"]["id"])
    expect(page.get_by_role("combobox", name="Dimensi", exact=True)).to_have_value(
        re.compile(rf"^{re.escape(crisis['title']['id'])}$"))
    metric = next(i for i in crisis["indicators"] if i["kind"] == "metric")
    expect(page.get_by_role("spinbutton", name=f"Nilai ({metric['unit']['id']})", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=metric["title"]["id"], exact=True)).to_be_visible()
    ui.settle(page)
    ui.no_errors(page)

    # Every other page, in Indonesian, within the same session.
    visit(page, ui, ID, "results")
    expect(page.get_by_role("heading", name="Peta jalan", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(rf"^{re.escape(MARAVU)} · Periode 2025 · "))).to_be_visible()
    visit(page, ui, ID, "compare")
    rank = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Peringkat$"))).first
    expect(rank.locator("thead th")).to_have_text(list(ID.rank_columns))
    for name in ("home", "rubric", "transfer"):
        visit(page, ui, ID, name)


def test_selectboxes_show_their_choice_in_the_new_language(page: Page, app_server, ui):
    page.goto(f"{app_server.url}/assess?name=Tester&assessment=belmara-mfa-2026")  # a draft: its widgets are editable
    card = page.locator(".st-key-assess_card_ins-official_accounts")
    expect(card.get_by_test_id("stRadioOption")).to_have_count(5, timeout=30_000)
    expect(card.get_by_role("combobox", name="Confidence", exact=True)).to_have_value("Medium")
    ui.settle(page)
    page.get_by_test_id("stSidebar").get_by_text("Bahasa Indonesia", exact=True).click()
    expect(page.get_by_role("heading", name="Penilaian", exact=True)).to_be_visible()
    expect(card.get_by_role("heading", name="Akun resmi", exact=True)).to_be_visible()
    ui.settle(page)
    expect(card.get_by_role("combobox", name="Keyakinan", exact=True)).to_have_value("Sedang")
    instruments = RUBRIC["dimensions"][0]["title"]["id"]
    expect(page.get_by_role("combobox", name="Dimensi", exact=True)).to_have_value(instruments)
    expect(page.get_by_role("combobox", name="Status", exact=True)).to_have_value("Draf")

    # The home page's filters, in Indonesian, then back in English with the choices kept.
    page.get_by_test_id("stSidebarNav").get_by_text("Beranda", exact=True).click()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("combobox", name="Kementerian", exact=True).first).to_have_value("Semua kementerian")
    expect(main.get_by_role("combobox", name="Putaran asesmen", exact=True)).to_have_value(
        re.compile(r"\(Draf\)$"))
    ui.settle(page)
    page.reload()  # the language is in the URL: a refresh stays in Indonesian
    expect(main.get_by_role("combobox", name="Kementerian", exact=True).first).to_be_visible(timeout=30_000)
    ui.settle(page)
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(main.get_by_role("combobox", name="Ministry", exact=True).first).to_have_value("All ministries")
    expect(main.get_by_role("combobox", name="Assessment round", exact=True)).to_have_value(
        re.compile(r"\(Draft\)$"))
