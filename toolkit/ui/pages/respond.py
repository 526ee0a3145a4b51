"""Respond: one respondent of a team round answers in their own view (SPEC 12).

The round comes from the `assessment` query parameter, or from the rounds this account answers in;
`respondent` in the address opens as that respondent (a link sent to each, when they may answer as it).
Each level is saved when it is chosen and each note when it is typed (versioned: a second tab that
is behind is told, never silently overwritten). The round's consolidated answers are not shown
here, and the other respondents' answers only once this respondent has submitted, so that nobody is
anchored by another's view; `toolkit.access.team` enforces the same on the server for accounts with
the respondent role. A facilitator invites respondents at the foot of the page.

Each indicator's card is an `st.fragment` (`_card`), as on the Assess page: a saved level, note or
link reruns that card only, not the page with every other card (the respondent load test measured
a p95 of 1.9 s per save while each change reran the whole page). Submitting is outside the cards and
reruns the whole page, which is what decides whether the others' answers show.

Session keys (`<r>` the round, `<w>` the respondent, `<i>` the indicator): respond_round,
respond_dimension, respond_as, respond_submit, respond_invite*, respond_message (the invite's
problem), respond_versions_<r>_<w> (the version each saved answer has), respond_<field>_<r>_<w>_<i>
(a card's level, notes and link) and respond_message_<r>_<w>_<i> (what the card's last save said).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from toolkit.access.team import TeamRound
from toolkit.i18n import t
from toolkit.model.assessment import Evidence, Respondent
from toolkit.model.catalogue import find_rubric
from toolkit.model.rubric import Rubric, text_in
from toolkit.store.records import ConflictError, StorageError
from toolkit.ui import state
from toolkit.ui.widgets import callback_problems, guarded, plain, run_page, safe_callback, when

PREFIX = "respond_"
UNANSWERED = -1


def _team() -> TeamRound:
    return TeamRound(state.workspace())


def _key(*parts: str) -> str:
    return PREFIX + "_".join(parts)


@safe_callback
def _save(round_id: str, who: str, indicator_id: str, field: str) -> None:
    versions = st.session_state.setdefault(_key("versions", round_id, who), {})
    value = st.session_state.get(_key(field, round_id, who, indicator_id))
    if field == "level":
        changes = {"level": None if value in (None, UNANSWERED) else int(value)}
    elif field == "notes":
        changes = {"notes": value}
    else:
        link = (value or "").strip()
        changes = {"evidence": [Evidence("url", link)] if link else []}
    message = _key("message", round_id, who, indicator_id)
    try:
        saved = _team().save(round_id, who, indicator_id, changes, expected_version=versions.get(indicator_id, 0))
    except ConflictError as error:
        st.session_state[message] = ("warning", str(error))
        versions[indicator_id] = error.current.version
        return
    except StorageError as error:
        st.session_state[message] = ("error", str(error))
        return
    versions[indicator_id] = saved.version
    st.session_state[message] = ("saved", f"{t('respond_saved', state.language())}: {indicator_id}")


@safe_callback
def _submit(round_id: str, who: str) -> None:
    _team().submit(round_id, who)


@safe_callback
def _invite(round_id: str) -> None:
    get = st.session_state.get
    try:
        _team().invite(round_id, Respondent(str(get(_key("invite_id")) or "").strip(),
                                            str(get(_key("invite_name")) or ""), str(get(_key("invite_unit")) or "")),
                       account=str(get(_key("invite_account")) or "").strip() or None)
    except StorageError as error:
        st.session_state[_key("message")] = ("error", str(error))


def _choose_round(team: TeamRound, lang: str) -> str | None:
    current = state.assessment_id()
    mine = sorted({record.assessment_id for record in team.my_respondents()})
    if current and current not in mine:
        mine.insert(0, current)
    if not mine:
        st.info(t("respond_none", lang))
        return None
    return st.selectbox(t("respond_round", lang), mine, key=_key("round"))


def _answer_form(team: TeamRound, rubric: Rubric, round_id: str, who: str, lang: str) -> None:
    stored = team.own_answers(round_id, who)
    versions = st.session_state.setdefault(_key("versions", round_id, who), {})
    for indicator_id, answer in stored.items():
        versions[indicator_id] = max(versions.get(indicator_id, 0), answer.version)
    names = {node.id: text_in(node.title, lang) for node in rubric.dimensions}
    dimension = st.selectbox(t("respond_dimension", lang), list(names), format_func=names.get,
                             key=_key("dimension"))
    node = next(item for item in rubric.dimensions if item.id == dimension)
    for indicator in (item for item in _indicators(node) if not item.is_metric):
        answer = stored[indicator.id].answer if indicator.id in stored else None
        for field, value in (("level", UNANSWERED if answer is None or answer.level is None else answer.level),
                             ("notes", (answer.notes if answer else None) or ""),
                             ("link", next((item.value for item in answer.evidence if item.kind == "url"), "")
                              if answer else "")):
            st.session_state.setdefault(_key(field, round_id, who, indicator.id), value)
        _card(round_id, who, indicator.id, rubric.id, rubric.version, lang)
    st.button(t("respond_submit", lang), key=_key("submit"), on_click=_submit, args=(round_id, who), type="primary")


@st.fragment
def _card(round_id: str, who: str, indicator_id: str, rubric_id: str, rubric_version: str, lang: str) -> None:
    """One indicator's answer card as a fragment: a change reruns (and saves) this card only.

    The widgets hold the respondent's answer (set from the store by the page's full run), so the
    card's own run reads nothing from the database; what its last save said is shown in it.
    """
    guarded(lambda: _live_card(round_id, who, indicator_id, find_rubric(rubric_id, rubric_version), lang))


def _live_card(round_id: str, who: str, indicator_id: str, rubric: Rubric, lang: str) -> None:
    callback_problems()
    indicator = rubric.indicator(indicator_id)
    scale = [UNANSWERED, *(level.value for level in rubric.scale)]
    with st.container(border=True, key=_key("card", indicator_id)):
        st.markdown(f"**{_escape(text_in(indicator.title, lang))}**")
        plain(text_in(indicator.question, lang))
        st.radio(t("respond_level", lang), scale, horizontal=True, key=_key("level", round_id, who, indicator_id),
                 format_func=lambda value: t("respond_unanswered", lang) if value == UNANSWERED
                 else f"{value} {rubric.level_label(value, lang)}",
                 on_change=_save, args=(round_id, who, indicator_id, "level"))
        st.text_area(t("respond_notes", lang), key=_key("notes", round_id, who, indicator_id), height=68,
                     on_change=_save, args=(round_id, who, indicator_id, "notes"))
        st.text_input(t("respond_link", lang), key=_key("link", round_id, who, indicator_id),
                      on_change=_save, args=(round_id, who, indicator_id, "link"))
        message = st.session_state.pop(_key("message", round_id, who, indicator_id), None)
        if message:
            {"saved": st.success, "warning": st.warning, "error": st.error}[message[0]](message[1])


def _others(team: TeamRound, rubric: Rubric, round_id: str, who: str, lang: str) -> None:
    st.subheader(t("respond_others", lang))
    others = team.others(round_id, who)
    rows = [{t("consolidate_respondent", lang): response.respondent.name,
             t("agreement_indicator", lang): text_in(rubric.indicator(indicator_id).title, lang),
             t("respond_level", lang): answer.level}
            for response in others for indicator_id, answer in response.answers.items()
            if answer.level is not None]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key=_key("others_table"))


def _indicators(node):
    for child in node.children:
        if hasattr(child, "children"):
            yield from _indicators(child)
        else:
            yield child


def _escape(text: str) -> str:
    from toolkit.ui.text import escape_markdown

    return escape_markdown(text)


def main() -> None:
    lang = state.language()
    st.title(t("respond_title", lang))
    st.caption(t("respond_intro", lang))
    team = _team()
    round_id = _choose_round(team, lang)
    if round_id is None:
        return
    rubric = find_rubric(*team.round_rubric(round_id))
    records = [record for record in team.respondents(round_id) if team.may_answer_as(round_id, record.id)]
    message = st.session_state.pop(_key("message"), None)
    if message:
        {"saved": st.success, "warning": st.warning, "error": st.error}[message[0]](message[1])
    if records and not state.ask_name(lang):  # answers need a name in the audit trail
        return
    if records:
        labels = {record.id: f"{record.respondent.name} ({record.id})" for record in records}
        linked = st.query_params.get("respondent")  # a link sent to one respondent opens as them
        if linked in labels and _key("as") not in st.session_state:
            st.session_state[_key("as")] = linked
        who = st.selectbox(t("respond_as", lang), list(labels), format_func=labels.get, key=_key("as"))
        record = next(item for item in records if item.id == who)
        if record.submitted_at is None:
            _answer_form(team, rubric, round_id, who, lang)
            st.caption(t("respond_others_hidden", lang))
        else:
            st.success(t("respond_submitted", lang, when=when(record.submitted_at, lang)))
            _others(team, rubric, round_id, who, lang)
    if team.is_facilitator(round_id):
        with st.expander(t("respond_invite", lang)):
            st.text_input(t("respond_invite_id", lang), key=_key("invite_id"))
            st.text_input(t("respond_invite_name", lang), key=_key("invite_name"))
            st.text_input(t("respond_invite_unit", lang), key=_key("invite_unit"))
            st.text_input(t("respond_invite_account", lang), key=_key("invite_account"))
            st.button(t("respond_invite_button", lang), key=_key("invite"), on_click=_invite, args=(round_id,))


run_page(main)
