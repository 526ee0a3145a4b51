"""The officer's friction (issue 16) in AppTest: links written wrongly, targets below the level, no "None".

Each test runs the real app on a fresh copy of the sample database (fictional ministries).
"""

from __future__ import annotations

from test_ui_assess import button, key, open_evidence, stored
from test_ui_results import app  # noqa: F401  (fixture: the home and results pages)
from ui_support import (  # noqa: F401  (fixtures)
    ASSESS,
    PAGES,
    app_script,
    fresh_store,
    seeded_template,
    start,
    texts,
    ui_data,
)

from toolkit.i18n import t

RESULTS = str(PAGES / "results.py")
ADD_ID = t("assess_add", "id")


def new_round() -> str:
    return fresh_store().create_assessment("belmara-mfa", "2031", rubric_id="digital-diplomacy",
                                           rubric_version="1.0.0", user="setup")


def test_text_evidence_that_is_a_broken_link_is_refused_with_the_reason(ui_data, app_script):
    round_id = new_round()
    at = start(app_script, ASSESS, assessment=round_id, language="id")
    open_evidence(at, round_id)
    at.radio(key=key("evkind", round_id)).set_value("text").run()
    for written in ("kemlu.example/siaran-pers", "http//kemlu.example/siaran-pers"):
        at.text_area(key=key("evtext", round_id)).input(written)
        button(at, ADD_ID, key("evadd", round_id)).click().run()
        assert not at.exception
        assert t("assess_text_is_link", "id") in [warning.value for warning in at.warning]
        assert stored(round_id) is None, f"{written} was kept as evidence"
    at.text_area(key=key("evtext", round_id)).input("Notulen rapat bulan Maret")  # a description is fine
    button(at, ADD_ID, key("evadd", round_id)).click().run()
    assert [(e.kind, e.value) for e in stored(round_id).answer.evidence] == [("text", "Notulen rapat bulan Maret")]
    assert t("assess_text_is_link", "id") not in [warning.value for warning in at.warning]


def test_a_target_below_the_level_is_saved_with_a_warning(ui_data, app_script):
    round_id = new_round()
    at = start(app_script, ASSESS, assessment=round_id)
    at.radio(key=key("level", round_id)).set_value(3).run()
    at.selectbox(key=key("target", round_id)).set_value(4).run()
    assert not [w for w in at.warning if "below the level" in w.value]
    at.selectbox(key=key("target", round_id)).set_value(1).run()
    assert stored(round_id).answer.target == 1  # saved: the person may mean it
    assert [w.value for w in at.warning if "below the level" in w.value] == [
        "The target (1 — Initial) is below the level chosen now (3 — Established): the roadmap will show no "
        "step for it. Is that intended?"]


def test_the_dimension_table_shows_a_dash_not_none_in_indonesian(ui_data, app):
    round_id = new_round()
    fresh_store().save_answer(round_id, "ins.official_accounts", {"level": 2}, expected_version=0, user="setup")
    at = start(app, RESULTS, assessment=round_id, language="id")
    assert not at.exception
    table = at.dataframe[0].value
    claimed = list(table[t("chart_claimed", "id")])
    assert claimed[0] == "50,0" and claimed[1:] == ["—"] * (len(claimed) - 1)
    assert "None" not in table.astype(str).to_string()
