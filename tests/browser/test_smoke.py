"""The app opens in a real browser and switches language."""

from playwright.sync_api import Page, expect


def test_app_opens_and_switches_to_indonesian(page: Page, app_server):
    page.goto(app_server.url)
    expect(page.get_by_text("Digital Diplomacy Maturity Toolkit").first).to_be_visible(timeout=30_000)
    page.get_by_text("id", exact=True).first.click()
    expect(page.get_by_text("kementerian fiktif", exact=False).first).to_be_visible(timeout=30_000)
