"""The whole app: every page opens from the real navigation without an exception (AppTest)."""

import pytest
from conftest import REPO
from streamlit.testing.v1 import AppTest

PAGES = ["home", "assess", "respond", "consolidate", "results", "compare", "rubric", "transfer"]


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DDMT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DDMT_DATABASE_URL", raising=False)
    return tmp_path


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("language", ["en", "id"])
def test_every_page_opens_in_both_languages(data_dir, page, language):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.session_state["language"] = language
    at.query_params["assessment"] = "maravu-mfa-2025"
    at.run()
    if page != "home":
        at.switch_page(f"toolkit/ui/pages/{page}.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_the_language_is_kept_in_the_url_for_a_refresh(data_dir):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.session_state["language"] = "id"
    at.run()
    at.switch_page("toolkit/ui/pages/results.py").run()  # page navigation drops query parameters
    assert at.query_params["lang"] == "id"
    # A refresh: a new session with the URL the first one left, and no session state.
    again = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    again.query_params["lang"] = "id"
    again.run()
    assert "Kementerian" in again.dataframe[0].value.columns
    again.session_state["language"] = "en"
    again.run()
    assert "lang" not in again.query_params and "Ministry" in again.dataframe[0].value.columns


def test_an_unknown_language_in_the_url_falls_back_to_english(data_dir):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["lang"] = "<script>"
    at.run()
    assert not at.exception and "Ministry" in at.dataframe[0].value.columns
