"""What the page tests share: a seeded data folder per test and a small app that wires the pages.

The sample ministries are seeded once per test session into a template folder; each test gets a
copy (a few milliseconds) and points `DDMT_DATA_DIR` at it, so tests never see each other's saves.
The app script mirrors app.py's navigation with absolute page paths, so it runs from a temporary
folder and `st.switch_page` finds the same pages a real session does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "toolkit" / "ui" / "pages"
HOME, ASSESS, TRANSFER = (str(PAGES / name) for name in ("home.py", "assess.py", "transfer.py"))
SAMPLE_COUNT = len(list((REPO / "sample_ministries").glob("*.json")))
TIMEOUT = 30

APP = f'''
import streamlit as st

st.session_state.setdefault("language", "en")
st.session_state.setdefault("user", "Test officer")
st.navigation([
    st.Page({HOME!r}, title="Home", default=True),
    st.Page({ASSESS!r}, title="Assess"),
    st.Page({TRANSFER!r}, title="Import and export"),
]).run()
'''


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the seeded sample ministries, made once per session."""
    from toolkit.store.store import Store

    folder = tmp_path_factory.mktemp("seeded") / "data"
    folder.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DDMT_DATABASE_URL", raising=False)
        patch.setenv("DDMT_DATA_DIR", str(folder))
        store = Store.open()
        store.seed_samples(REPO / "sample_ministries")
        store.close()  # every write checkpointed and closed before the folder is copied
    return folder


@pytest.fixture
def ui_data(seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own copy of the seeded data folder, set as DDMT_DATA_DIR."""
    from toolkit.ui import state

    folder = tmp_path / "data"
    shutil.copytree(seeded_template, folder)
    monkeypatch.delenv("DDMT_DATABASE_URL", raising=False)
    monkeypatch.setenv("DDMT_DATA_DIR", str(folder))
    yield folder
    state._store.clear()


@pytest.fixture
def app_script(tmp_path: Path) -> Path:
    script = tmp_path / "app.py"
    script.write_text(APP, encoding="utf-8")
    return script


def fresh_store():
    """A new Store on the current DDMT_DATA_DIR: what a restarted server would read."""
    from toolkit.store.store import Store

    return Store.open()


def start(script: Path, page: str = HOME, *, assessment: str | None = None, user: str | None = None,
          language: str | None = None) -> AppTest:
    """An app session on a page (optionally with ?assessment=...), after its first run."""
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    if user is not None:  # "" is nobody named yet (auth none); None keeps the app's "Test officer"
        at.session_state["user"] = user
    if language:
        at.session_state["language"] = language
    if assessment:
        at.query_params["assessment"] = assessment
    at.run()
    if page != HOME:
        if assessment:
            at.query_params["assessment"] = assessment
        at.switch_page(page).run()
    return at


def texts(at: AppTest) -> list[str]:
    """Every text, caption, markdown, alert, toast and progress message shown, as strings."""
    out: list[str] = []
    for kind in ("text", "caption", "markdown", "error", "warning", "info", "success", "toast"):
        out.extend(str(element.value) for element in getattr(at, kind))
    out.extend(element.text for element in at.get("progress"))
    return out
