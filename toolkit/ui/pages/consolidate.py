"""Consolidate: the facilitator reconciles a team round's responses into the round's answers (SPEC 12).

Per level indicator, every respondent's level, notes and evidence side by side with the spread, the
indicators they disagree on most first, and the respondents' agreement (Krippendorff's alpha) on top.
The facilitator (an assessor or reviewer) takes one respondent's answer or sets their own with a
reason, optionally carrying the respondents' evidence; `toolkit.access.team` checks the role and
records in the audit trail which respondents the answer came from.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from toolkit.access.team import TeamRound
from toolkit.i18n import t
from toolkit.model.catalogue import find_rubric
from toolkit.model.rubric import text_in
from toolkit.store.records import ConflictError, StorageError
from toolkit.ui import state
from toolkit.ui.agreement_panel import show_agreement
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import run_page, safe_callback

PREFIX = "consolidate_"
OWN = "__own__"


def _key(*parts: str) -> str:
    return PREFIX + "_".join(parts)


@safe_callback
def _set(round_id: str, indicator_id: str) -> None:
    team = TeamRound(state.workspace())
    choice = st.session_state.get(_key("choices", indicator_id), {}).get(st.session_state.get(_key("take", indicator_id)))
    if choice is None:
        return
    reason = st.session_state.get(_key("reason", indicator_id))
    responses = {item.respondent.id: item for item in team.all_responses(round_id)}
    carry = [(who, index) for who, response in responses.items() if indicator_id in response.answers
             for index, _ in enumerate(response.answers[indicator_id].evidence)] \
        if st.session_state.get(_key("carry", indicator_id)) else []
    version = team.workspace.get_answer(round_id, indicator_id).version
    try:
        if choice == OWN:
            team.consolidate(round_id, indicator_id, expected_version=version, reason=reason,
                             own={"level": st.session_state.get(_key("own", indicator_id))}, carry=carry)
        else:
            team.consolidate(round_id, indicator_id, expected_version=version, source=choice, carry=carry)
    except (ConflictError, StorageError) as error:
        st.session_state[_key("message")] = ("error", str(error))
        return
    st.session_state[_key("message")] = ("done", t("consolidate_done", state.language(), indicator=indicator_id))


def main() -> None:
    lang = state.language()
    st.title(t("consolidate_title", lang))
    round_id = state.assessment_id()
    if not round_id:
        st.info(t("respond_no_round", lang))
        return
    team = TeamRound(state.workspace())
    if not team.is_facilitator(round_id):
        team.workspace.require("view", round_id)  # another ministry's round: refused like any read
        st.warning(t("consolidate_denied", lang))
        return
    assessment = team.workspace.load(round_id)
    if not assessment.responses:
        st.info(t("consolidate_none", lang))
        return
    if not state.ask_name(lang):  # consolidating writes answers: a name first
        return
    rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
    message = st.session_state.pop(_key("message"), None)
    if message:
        (st.success if message[0] == "done" else st.error)(message[1])
    st.caption(t("consolidate_help", lang))
    result = show_agreement(rubric, assessment, lang, key=_key("agreement"))
    names = {item.respondent.id: item.respondent.name for item in assessment.responses}
    scale = [level.value for level in rubric.scale]
    for spread in result.most_disagreed():
        indicator = rubric.indicator(spread.indicator)
        current = assessment.answer(indicator.id).level
        with st.expander(f"{text_in(indicator.title, lang)} · {t('agreement_range', lang)} {spread.range}",
                         expanded=spread.flag):
            st.markdown(escape_markdown(t("consolidate_current", lang, level="—" if current is None else current)))
            rows = []
            for response in assessment.responses:
                answer = response.answers.get(indicator.id)
                if answer is None:
                    continue
                rows.append({t("consolidate_respondent", lang): f"{response.respondent.name} ({response.respondent.id})",
                             t("respond_level", lang): answer.level,
                             t("respond_notes", lang): answer.notes or "",
                             t("respond_link", lang): " ".join(item.value or item.name or "" for item in answer.evidence)})
            st.dataframe(pd.DataFrame(rows), hide_index=True, key=_key("table", indicator.id))
            # Labels as the options (a label maps back to its respondent), so each choice is plain text.
            choices = {f"{names[who]} ({level})": who for who, level in spread.levels.items()}
            choices[t("consolidate_own", lang)] = OWN
            st.session_state[_key("choices", indicator.id)] = choices
            taken = st.radio(t("consolidate_take", lang), list(choices), key=_key("take", indicator.id),
                             horizontal=True)
            if choices.get(taken) == OWN:
                st.selectbox(t("respond_level", lang), scale, key=_key("own", indicator.id),
                             format_func=lambda value: f"{value} {rubric.level_label(value, lang)}")
                st.text_input(t("consolidate_reason", lang), key=_key("reason", indicator.id))
            st.checkbox(t("consolidate_carry", lang), key=_key("carry", indicator.id))
            st.button(t("consolidate_set", lang), key=_key("set", indicator.id), on_click=_set,
                      args=(round_id, indicator.id))


run_page(main)
