"""Respond and Consolidate pages (AppTest): a respondent answers and submits, the facilitator consolidates,
the results show alpha."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ui_support import PAGES, fresh_store, seeded_template, start, texts, ui_data  # noqa: F401  (fixtures)

RESPOND, CONSOLIDATE, RESULTS = (str(PAGES / name) for name in ("respond.py", "consolidate.py", "results.py"))
APP = f'''
import streamlit as st

st.session_state.setdefault("language", "en")
st.session_state.setdefault("user", "Test officer")
st.navigation([st.Page({str(PAGES / "home.py")!r}, title="Home", default=True),
               st.Page({RESPOND!r}, title="Respond"), st.Page({CONSOLIDATE!r}, title="Consolidate"),
               st.Page({RESULTS!r}, title="Results")]).run()
'''
ROUND = "tumbaro-mfa-2025"  # reviewed: its answers are frozen


@pytest.fixture
def app(tmp_path: Path) -> Path:
    script = tmp_path / "app.py"
    script.write_text(APP, encoding="utf-8")
    return script


def test_a_new_respondent_answers_submits_and_then_sees_the_others(app, ui_data):
    at = start(app, RESPOND, assessment=ROUND)
    at.text_input(key="respond_invite_id").input("cyber")
    at.text_input(key="respond_invite_name").input("Cyber desk")
    at.button(key="respond_invite").click().run()
    at.selectbox(key="respond_as").select("cyber").run()
    assert "The other respondents' answers show after you submit yours." in texts(at)
    assert not any(frame for frame in at.dataframe)  # nobody else's levels before submitting
    level_key = f"respond_level_{ROUND}_cyber_ins.official_accounts"
    at.radio(key=level_key).set_value(3).run()
    assert "Saved: ins.official_accounts" in texts(at)
    saved = {item.respondent.id: item for item in fresh_store().load(ROUND).responses}["cyber"]
    assert saved.answers["ins.official_accounts"].level == 3
    at.button(key="respond_submit").click().run()
    assert any(text.startswith("Submitted") for text in texts(at))
    others = at.dataframe[0].value
    assert set(others["Respondent"]) == {"Press officer", "IT services", "Consular officer",
                                         "Embassy East, second secretary", "Embassy South, head of chancery",
                                         "Planning bureau"}


def test_the_facilitator_consolidates_from_a_respondent_and_results_show_alpha(app, ui_data):
    from toolkit.store import review

    draft = review.reopen(fresh_store(), ROUND, user="fatima")  # a new draft version, respondents and all
    at = start(app, CONSOLIDATE, assessment=draft)
    assert not at.exception and not at.error
    assert at.metric[0].value == "0.30"  # the sample's low agreement
    first = "ins.cyber_diplomacy"  # the widest range comes first
    assert at.expander[0].label.endswith("Range 3")  # the widest range comes first
    at.radio(key=f"consolidate_take_{first}").set_value("IT services (0)").run()  # AppTest takes the label
    at.button(key=f"consolidate_set_{first}").click().run()
    assert f"Consolidated: {first}" in texts(at), [e.value for e in at.error]
    store = fresh_store()
    assert store.load(draft).answers[first].level == 0
    trail = [entry for entry in store.history(draft, first) if entry.field == "consolidated"]
    assert json.loads(trail[-1].new) == {"from": ["it"]}
    assert store.load(ROUND).answers[first].level != 0  # the reviewed version stays as it was
    results = start(app, RESULTS, assessment=draft)
    assert any(metric.value == "0.30" for metric in results.metric)
    assert "Agreement of the respondents" in [header.value for header in results.subheader]
