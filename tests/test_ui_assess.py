"""Assess page (AppTest): answers are saved as they are made, survive a refresh, and never silently
overwrite another person's; N/A needs a reason; evidence URLs must be http(s); history is shown."""

from __future__ import annotations

import pytest
from ui_support import (  # noqa: F401  (fixtures)
    ASSESS,
    app_script,
    fresh_store,
    seeded_template,
    start,
    texts,
    ui_data,
)

from toolkit.store import evidence_files
from toolkit.store.store import StorageError, Store
from toolkit.ui import widgets

INDICATOR = "ins.official_accounts"  # a level indicator of the first dimension
METRIC = "cri.first_statement_hours"  # a metric (hours) of the crisis_readiness dimension


@pytest.fixture
def round_id(ui_data) -> str:
    """A new, empty round of a sample ministry."""
    return fresh_store().create_assessment("belmara-mfa", "2030", rubric_id="digital-diplomacy",
                                           rubric_version="1.0.0", user="setup")


def key(field: str, assessment: str, indicator: str = INDICATOR) -> str:
    return f"assess_{field}_{assessment}_{indicator}"


def stored(assessment: str, indicator: str = INDICATOR):
    """The answer as a restarted server would read it."""
    return fresh_store().answers(assessment).get(indicator)


def button(at, label: str, key_part: str = ""):
    return next(b for b in at.button if b.label == label and key_part in (b.key or ""))


def open_evidence(at, assessment: str, indicator: str = INDICATOR):
    """Show a card's evidence (its widgets are only built while the toggle is on)."""
    return at.toggle(key=key("evopen", assessment, indicator)).set_value(True).run()


def test_the_cards_offer_the_level_descriptors_not_bare_numbers(round_id, app_script):
    at = start(app_script, ASSESS, assessment=round_id)
    assert not at.exception
    radio = at.radio(key=key("level", round_id))
    assert radio.value is None
    # The level's label and descriptor (escaped, as every document text shown as markdown).
    assert radio.options[2].startswith(r"2 — Developing\: A written inventory lists")
    assert any("Answered 0 of 51" in text for text in texts(at))


def test_choosing_a_level_saves_it_at_once(round_id, app_script):
    at = start(app_script, ASSESS, assessment=round_id, user="Desk officer")
    at.radio(key=key("level", round_id)).set_value(3).run()
    assert not at.exception
    answer = stored(round_id)
    assert (answer.answer.level, answer.version, answer.updated_by) == (3, 1, "Desk officer")
    assert any(text.startswith("✓ Saved at") for text in texts(at))
    assert any("Answered 1 of 51" in text for text in texts(at))
    # Confidence, target and notes are saved the same way, each on its own change.
    at.selectbox(key=key("confidence", round_id)).set_value("high").run()
    at.selectbox(key=key("target", round_id)).set_value(4).run()
    at.text_area(key=key("notes", round_id)).input("Inventory kept by the press office.").run()
    answer = stored(round_id).answer
    assert (answer.level, answer.confidence, answer.target, answer.notes) == (
        3, "high", 4, "Inventory kept by the press office.")


def test_the_status_is_saved_and_the_rubric_speaks_indonesian(round_id, app_script):
    at = start(app_script, ASSESS, assessment=round_id, language="id")
    assert not at.exception
    assert "Berkembang" in at.radio(key=key("level", round_id)).options[2]
    at.selectbox(key=f"assess_status_{round_id}_id").set_value("submitted").run()  # one widget per language
    assert fresh_store().load(round_id).status == "submitted"
    assert [entry.field for entry in fresh_store().history(round_id)][-1] == "status"


def test_a_refresh_shows_what_was_saved(round_id, app_script):
    first = start(app_script, ASSESS, assessment=round_id)
    first.radio(key=key("level", round_id)).set_value(2).run()
    first.text_area(key=key("notes", round_id)).input("seen after a refresh").run()
    # A new session with the same URL: a browser refresh, a second tab or a restarted server.
    again = start(app_script, ASSESS, assessment=round_id)
    assert not again.exception
    assert again.radio(key=key("level", round_id)).value == 2
    assert again.text_area(key=key("notes", round_id)).value == "seen after a refresh"


def test_a_metric_takes_a_number_in_its_unit(round_id, app_script):
    at = start(app_script, ASSESS, assessment=round_id)
    at.selectbox(key="assess_dimension").set_value("crisis_readiness").run()
    number = at.number_input(key=key("value", round_id, METRIC))
    assert "hours" in number.label
    number.set_value(6.5).run()
    assert not at.exception
    assert stored(round_id, METRIC).answer.value == 6.5
    assert at.query_params["dimension"] == "crisis_readiness"


def test_two_sessions_the_second_save_is_told_and_chooses(round_id, app_script):
    alice = start(app_script, ASSESS, assessment=round_id, user="Alice")
    bob = start(app_script, ASSESS, assessment=round_id, user="Bob")
    alice.radio(key=key("level", round_id)).set_value(3).run()
    bob.radio(key=key("level", round_id)).set_value(1).run()
    assert not bob.exception
    # Bob is told who changed it and to what; nothing is overwritten until he chooses.
    assert any("Someone else changed this answer" in w.value for w in bob.warning)
    assert any(text.startswith("Changed by Alice at") for text in texts(bob))
    table = bob.dataframe[0].value
    assert list(table.iloc[0]) == ["Level", "3 — Established", "1 — Initial"]
    assert stored(round_id).answer.level == 3
    assert bob.radio(key=key("level", round_id)).value == 1  # his choice stays on screen

    button(bob, "Overwrite with mine").click().run()
    assert not bob.exception
    answer = stored(round_id)
    assert (answer.answer.level, answer.updated_by, answer.version) == (1, "Bob", 2)
    assert not any("Someone else changed" in w.value for w in bob.warning)


def test_keep_theirs_reloads_the_stored_answer(round_id, app_script):
    alice = start(app_script, ASSESS, assessment=round_id, user="Alice")
    bob = start(app_script, ASSESS, assessment=round_id, user="Bob")
    alice.radio(key=key("level", round_id)).set_value(4).run()
    bob.radio(key=key("level", round_id)).set_value(0).run()
    button(bob, "Keep theirs").click().run()
    assert not bob.exception
    assert bob.radio(key=key("level", round_id)).value == 4
    assert stored(round_id).answer.level == 4
    # Bob's next change is saved on top of Alice's version, without a conflict.
    bob.selectbox(key=key("confidence", round_id)).set_value("low").run()
    answer = stored(round_id)
    assert (answer.answer.level, answer.answer.confidence, answer.version) == (4, "low", 2)


def test_another_persons_save_shows_on_the_next_rerun(round_id, app_script):
    alice = start(app_script, ASSESS, assessment=round_id, user="Alice")
    bob = start(app_script, ASSESS, assessment=round_id, user="Bob")
    alice.radio(key=key("level", round_id)).set_value(2).run()
    bob.run()
    assert bob.radio(key=key("level", round_id)).value == 2
    assert any(text.startswith("Last saved by Alice at") for text in texts(bob))
    bob.radio(key=key("level", round_id)).set_value(3).run()  # based on Alice's version: no conflict
    assert (stored(round_id).answer.level, stored(round_id).version) == (3, 2)


def test_overwrite_after_a_newer_change_conflicts_again(round_id, app_script):
    alice = start(app_script, ASSESS, assessment=round_id, user="Alice")
    bob = start(app_script, ASSESS, assessment=round_id, user="Bob")
    alice.radio(key=key("level", round_id)).set_value(3).run()
    bob.radio(key=key("level", round_id)).set_value(1).run()
    alice.radio(key=key("level", round_id)).set_value(4).run()  # while Bob is deciding
    button(bob, "Overwrite with mine").click().run()
    assert stored(round_id).answer.level == 4
    assert any("Someone else changed this answer" in w.value for w in bob.warning)
    assert list(bob.dataframe[0].value.iloc[0]) == ["Level", "4 — Leading", "1 — Initial"]


def test_not_applicable_is_not_saved_without_a_reason(round_id, app_script):
    at = start(app_script, ASSESS, assessment=round_id)
    at.radio(key=key("level", round_id)).set_value(2).run()
    at.checkbox(key=key("na", round_id)).check().run()
    assert not at.exception
    assert any("not saved as not applicable until you do" in w.value for w in at.warning)
    answer = stored(round_id).answer
    assert (answer.na, answer.level) == (False, 2)
    at.text_input(key=key("reason", round_id)).input("No missions abroad").run()
    answer = stored(round_id).answer
    assert (answer.na, answer.na_reason, answer.level) == (True, "No missions abroad", None)
    assert not any("not saved as not applicable" in w.value for w in at.warning)


def test_a_javascript_url_is_refused_and_an_https_one_added(round_id, app_script):
    at = start(app_script, ASSESS, assessment=round_id)
    assert key("evurl", round_id) not in [w.key for w in at.text_input]  # built only when shown
    open_evidence(at, round_id)
    at.text_input(key=key("evurl", round_id)).input("javascript:alert(1)")
    button(at, "Add", key("evadd", round_id)).click().run()
    assert not at.exception
    assert any("http:// or https://" in w.value for w in at.warning)
    assert stored(round_id) is None
    at.text_input(key=key("evurl", round_id)).input("https://mfa.example/accounts")
    at.text_input(key=key("evdesc", round_id)).input("**Inventory** <b>page</b>")
    button(at, "Add", key("evadd", round_id)).click().run()
    evidence = stored(round_id).answer.evidence
    assert [(e.kind, e.value, e.description) for e in evidence] == [
        ("url", "https://mfa.example/accounts", "**Inventory** <b>page</b>")]
    # User text is shown as plain text, never as markdown.
    assert "**Inventory** <b>page</b>" in [element.value for element in at.text]
    assert not any("Inventory" in element.value for element in at.markdown)
    assert at.text_input(key=key("evurl", round_id)).value == ""


def test_text_and_file_evidence_are_added_and_removed(round_id, app_script):
    at = start(app_script, ASSESS, assessment=round_id)
    open_evidence(at, round_id)
    at.radio(key=key("evkind", round_id)).set_value("text").run()
    at.text_area(key=key("evtext", round_id)).input("Minutes of the March review")
    button(at, "Add", key("evadd", round_id)).click().run()
    at.radio(key=key("evkind", round_id)).set_value("file").run()
    at.file_uploader[0].upload("../inventory.pdf", b"%PDF-1.4 minimal", "application/pdf")
    at.run()
    button(at, "Add", key("evadd", round_id)).click().run()
    assert not at.exception
    evidence = stored(round_id).answer.evidence
    assert [e.kind for e in evidence] == ["text", "file"]
    assert evidence[1].name == "inventory.pdf" and len(evidence[1].sha256) == 64
    button(at, "Remove", key("evdel0", round_id)).click().run()
    assert [e.kind for e in stored(round_id).answer.evidence] == ["file"]


def test_a_failed_save_says_not_saved_and_keeps_the_value(round_id, app_script):
    at = start(app_script, ASSESS, assessment=round_id)

    def refuse(self, *args, **kwargs):
        raise StorageError("the database is busy")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "save_answer", refuse)
        at.radio(key=key("level", round_id)).set_value(3).run()
    assert not at.exception
    assert any(e.value.startswith("Not saved") for e in at.error)
    assert "the database is busy" in [element.value for element in at.text]
    assert at.radio(key=key("level", round_id)).value == 3
    assert stored(round_id) is None
    button(at, "Try again").click().run()
    assert stored(round_id).answer.level == 3
    assert not any(e.value.startswith("Not saved") for e in at.error)


def test_history_lists_who_changed_what(round_id, app_script):
    at = start(app_script, ASSESS, assessment=round_id, user="Alice")
    at.radio(key=key("level", round_id)).set_value(1).run()
    at.radio(key=key("level", round_id)).set_value(2).run()
    at.toggle(key=key("history", round_id)).set_value(True).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["When", "Who", "Field", "From", "To"]
    assert [tuple(row) for row in table[["Who", "Field", "From", "To"]].itertuples(index=False)] == [
        ("Alice", "Level", "1", "2"), ("Alice", "Level", "—", "1")]  # newest first
    at.toggle(key=f"assess_history_all_{round_id}").set_value(True).run()
    assert "Indicator" in at.dataframe[-1].value.columns


def test_a_store_that_cannot_be_read_says_so(round_id, app_script, monkeypatch):
    def busy(self, *args, **kwargs):
        raise StorageError("the database is locked by another program")

    monkeypatch.setattr(Store, "answers", busy)
    at = start(app_script, ASSESS, assessment=round_id)
    assert not at.exception
    assert any("cannot be read right now" in e.value for e in at.error)
    assert "the database is locked by another program" in [element.value for element in at.text]


def test_an_unexpected_error_shows_a_short_message_not_a_traceback(round_id, app_script, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Store, "answers", broken)
    at = start(app_script, ASSESS, assessment=round_id)
    assert not at.exception
    assert any("Something went wrong" in e.value for e in at.error)
    assert not any("secret internals" in text for text in texts(at))


def test_no_assessment_in_the_url_points_home(ui_data, app_script):
    at = start(app_script, ASSESS)
    assert not at.exception
    assert any("No assessment is open" in i.value for i in at.info)
    unknown = start(app_script, ASSESS, assessment="nobody-1999")
    assert not unknown.exception
    assert any("not in the database" in w.value for w in unknown.warning)


def test_an_unexpected_error_in_a_save_shows_a_short_message(round_id, app_script, monkeypatch):
    at = start(app_script, ASSESS, assessment=round_id)

    def broken(self, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Store, "save_answer", broken)
    at.radio(key=key("level", round_id)).set_value(1).run()
    assert not at.exception
    assert any("Something went wrong" in e.value for e in at.error)
    assert not any("secret internals" in text for text in texts(at))


@pytest.mark.parametrize("address", [
    "https://mfa.example/accounts", "HTTP://mfa.example", "https://@", "https://:80/x", "http://[::1",
    "https://user@", "javascript:alert(1)", "https://mfa.example/a b", "mfa.example", "https://[::1]/x"])
def test_the_card_takes_a_link_exactly_when_the_store_will(address: str) -> None:
    # The card checks a link before saving (and shows saved ones as links); the store is the authority.
    assert (widgets.url_problem(address) is None) == (evidence_files.url_problem(address) is None)


@pytest.mark.parametrize(("address", "words"), [
    ("  ", "ui_url_empty"), ("https://mfa.example/a", None), ("javascript:alert(1)", "ui_url_scheme"),
    ("FTP://mfa.example/a b", "ui_url_scheme"), ("mfa.example", "ui_url_bad"), ("https://@", "ui_url_bad"),
    ("http://[::1", "ui_url_bad"), ("https://mfa.example/\x7f", "ui_url_bad")])
def test_the_card_says_why_a_link_is_refused(address: str, words: str | None) -> None:
    assert widgets.url_problem(address) == words
