"""The next round starts from the last one (AppTest): offered on the home page, carried answers marked
"carried from 2025: confirm or change" on the assess page, with confirmed and carried counts."""

from __future__ import annotations

from toolkit.model.catalogue import find_rubric
from ui_support import ASSESS, app_script, fresh_store, seeded_template, start, texts, ui_data  # noqa: F401

MINISTRY = "tumbaro-mfa"


def test_a_new_round_starts_from_the_latest_round_and_each_answer_is_to_confirm(ui_data, app_script):
    at = start(app_script, user="Desk officer")
    at.selectbox(key="home_round_ministry").set_value(MINISTRY).run()
    offered = at.selectbox(key=f"home_round_from_{MINISTRY}_en")
    assert offered.value == "tumbaro-mfa-2026"  # the latest round is the default
    assert offered.options[0] == "An empty round"
    at.text_input(key="home_round_period").input("2027")
    at.button[[b.label for b in at.button].index("Create and open")].click().run()
    assert not at.exception
    store = fresh_store()
    new = next(s for s in store.assessments(MINISTRY) if s.period == "2027")
    earlier, carried = store.load("tumbaro-mfa-2026"), store.load(new.id)
    # every answer whose indicator the new round's rubric version has, exactly as it was
    kept = {key for key in earlier.answers if key in {i.id for i in find_rubric(carried.rubric_id,
                                                                                   carried.rubric_version).indicators()}}
    assert kept and carried.answers == {key: earlier.answers[key] for key in kept}
    assert at.query_params["assessment"] == new.id

    shown = texts(at)
    answered = sum(answer.status == "answered" for answer in carried.answers.values())
    progress = next(text for text in shown if "carried to confirm" in text)
    assert f"0 confirmed, {answered} carried to confirm" in progress
    assert any(text == "Carried from 2026: confirm or change." for text in shown)

    first = next(b for b in at.button if b.key and b.key.startswith(f"assess_confirm_{new.id}_"))
    indicator = first.key.removeprefix(f"assess_confirm_{new.id}_")
    first.click().run()
    assert not at.exception
    assert fresh_store().history(new.id, indicator)[-1].field == "confirmed"
    progress = next(text for text in texts(at) if "carried to confirm" in text)
    assert f"1 confirmed, {answered - 1} carried to confirm" in progress


def test_an_empty_round_carries_nothing_and_speaks_indonesian(ui_data, app_script):
    at = start(app_script, user="Desk officer", language="id")
    at.selectbox(key="home_round_ministry").set_value(MINISTRY).run()
    offered = at.selectbox(key=f"home_round_from_{MINISTRY}_id")
    assert offered.options[0] == "Putaran kosong"
    offered.set_value("")  # inside the form: sent with the submit
    at.text_input(key="home_round_period").input("2027")
    at.button[[b.label for b in at.button].index("Buat dan buka")].click().run()
    assert not at.exception
    new = next(s for s in fresh_store().assessments(MINISTRY) if s.period == "2027")
    assert fresh_store().load(new.id).answers == {}
    assert not any("dibawa dan perlu dikonfirmasi" in text for text in texts(at))
