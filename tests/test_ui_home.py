"""Home page (AppTest): the seeded rounds are listed; ministries and rounds are created and opened."""

from __future__ import annotations

import math

from ui_support import (  # noqa: F401  (fixtures)
    ASSESS,
    SAMPLE_COUNT,
    app_script,
    fresh_store,
    seeded_template,
    start,
    texts,
    ui_data,
)

from toolkit.model.catalogue import find_rubric


def test_home_lists_the_seeded_sample_rounds(ui_data, app_script):
    at = start(app_script)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == SAMPLE_COUNT
    assert {"Ministry", "Period", "Status", "Complete", "Updated"} <= set(table.columns)
    assert "belmara-mfa-2026" in set(table["id"])
    assert all(name.endswith(" †") for name in table["Ministry"])  # every sample is fictional, and says so
    # Completeness in whole percent, rounded down as the not-rated rule reads it (90.2 % shows as 90).
    store = fresh_store()
    draft = next(summary for summary in store.assessments() if summary.id == "belmara-mfa-2026")
    size = sum(1 for _ in find_rubric(draft.rubric_id, draft.rubric_version).indicators())
    shown = table.loc[table["id"] == "belmara-mfa-2026", "Complete"].iloc[0]
    assert shown == math.floor(100 * draft.answered / size) and shown < 100 * draft.answered / size


def test_home_filters_by_ministry_and_speaks_indonesian(ui_data, app_script):
    at = start(app_script, language="id")
    assert "Kementerian" in at.dataframe[0].value.columns
    at.selectbox(key="home_ministry_id").set_value("tumbaro-mfa").run()  # one widget per language
    table = at.dataframe[0].value
    assert sorted(table["id"]) == ["tumbaro-mfa-2024", "tumbaro-mfa-2025", "tumbaro-mfa-2026"]


def test_create_a_ministry_and_a_round_then_open_it(ui_data, app_script):
    at = start(app_script, user="Desk officer")
    at.text_input(key="home_new_id").input("ruritania-mfa")
    at.text_input(key="home_new_name").input("Ministry of Foreign Affairs of Ruritania")
    at.text_input(key="home_new_country").input("Ruritania")
    at.text_input(key="home_new_iso3").input("xru")
    at.checkbox(key="home_new_fictional").check()
    at.button[[b.label for b in at.button].index("Create ministry")].click().run()
    assert not at.exception
    assert any("Ministry created" in text for text in texts(at))
    ministry = next(m for m in fresh_store().ministries() if m.id == "ruritania-mfa")
    assert (ministry.name, ministry.country, ministry.iso3, ministry.fictional) == (
        "Ministry of Foreign Affairs of Ruritania", "Ruritania", "XRU", True)

    assert at.selectbox(key="home_round_ministry").value == "ruritania-mfa"
    at.text_input(key="home_round_period").input("2027")
    at.text_input(key="home_round_assessors").input("Director, Public Diplomacy; Inspector")
    at.button[[b.label for b in at.button].index("Create and open")].click().run()
    assert not at.exception
    created = [s for s in fresh_store().assessments("ruritania-mfa")]
    assert [(s.period, s.status, s.rubric_id) for s in created] == [("2027", "draft", "digital-diplomacy")]
    # Opened: the assess page shows it, addressed by the URL.
    assert at.query_params["assessment"] == created[0].id
    assert at.title[0].value == "Assess"
    assert any("Ruritania" in text and "2027" in text for text in texts(at))


def test_a_bad_ministry_id_is_refused_and_nothing_is_created(ui_data, app_script):
    at = start(app_script)
    before = len(fresh_store().ministries())
    at.text_input(key="home_new_id").input("Bad Id!")
    at.text_input(key="home_new_name").input("X")
    at.text_input(key="home_new_country").input("Y")
    at.button[[b.label for b in at.button].index("Create ministry")].click().run()
    assert not at.exception
    assert any("identifier must start" in e.value for e in at.error)
    assert len(fresh_store().ministries()) == before


def test_a_new_ministrys_id_follows_its_name_until_edited_and_a_clash_is_explained(ui_data, app_script):
    at = start(app_script)
    at.text_input(key="home_new_name").input("Kementerian Luar Negeri Ruritania").run()
    assert at.text_input(key="home_new_id").value == "kementerian-luar-negeri-ruritania"
    at.text_input(key="home_new_name").input("Ministère des Affaires étrangères").run()  # still derived
    assert at.text_input(key="home_new_id").value == "ministere-des-affaires-etrangeres"
    at.text_input(key="home_new_id").input("belmara-mfa").run()  # edited by hand: a sample's id, taken
    at.text_input(key="home_new_name").input("Ministry of Foreign Affairs of Belmara").run()
    assert at.text_input(key="home_new_id").value == "belmara-mfa"  # the name no longer overwrites it
    at.text_input(key="home_new_country").input("Belmara")
    before = len(fresh_store().ministries())
    at.button[[b.label for b in at.button].index("Create ministry")].click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The identifier belmara-mfa is taken by another ministry: change it (for example to belmara-mfa-2)."]
    assert len(fresh_store().ministries()) == before


def test_a_derived_id_skips_the_ids_taken(ui_data, app_script):
    at = start(app_script)
    taken = {ministry.id for ministry in fresh_store().ministries()}
    assert "belmara-mfa" in taken
    at.text_input(key="home_new_name").input("Belmara MFA").run()
    assert at.text_input(key="home_new_id").value == "belmara-mfa-2"


def test_open_switches_to_the_assess_page_with_the_assessment_in_the_url(ui_data, app_script):
    at = start(app_script)
    at.selectbox(key="home_assessment").set_value("maravu-mfa-2025").run()
    at.button(key="home_open").click().run()
    assert not at.exception
    assert at.query_params["assessment"] == "maravu-mfa-2025"
    assert any("Maravu" in text and "2025" in text for text in texts(at))



def test_the_round_box_offers_the_round_open_now(ui_data, app_script):
    at = start(app_script, assessment="maravu-mfa-2025")
    assert at.selectbox(key="home_assessment").value == "maravu-mfa-2025"
    at.selectbox(key="home_assessment").set_value("tumbaro-mfa-2025").run()  # chosen, not opened
    assert at.selectbox(key="home_assessment").value == "tumbaro-mfa-2025"
    at.query_params["assessment"] = "orrinth-mfa-2026"  # another round opened meanwhile (a link)
    at.run()
    assert at.selectbox(key="home_assessment").value == "orrinth-mfa-2026"
