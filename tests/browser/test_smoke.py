"""The app opens in a real browser and switches language."""

from playwright.sync_api import Page, expect


def test_app_opens_and_switches_to_indonesian(page: Page, app_server):
    page.goto(app_server.url)
    expect(page.get_by_role("heading", name="Assessments", exact=True)).to_be_visible(timeout=30_000)
    page.get_by_text("Bahasa Indonesia", exact=True).click()
    expect(page.get_by_role("heading", name="Asesmen", exact=True)).to_be_visible(timeout=30_000)
