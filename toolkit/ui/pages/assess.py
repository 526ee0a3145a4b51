"""Assess: one dimension at a time, one card per indicator; every change is saved when it is made.

The page draws the round's heading, progress and dimension choice; each indicator's card is
`toolkit.ui.answer_card.card_fragment`, a fragment that reruns alone when it changes, saved as it changes by `toolkit.ui.answer_sync` (a conflict or a failed save
is shown on the card, nothing is overwritten silently). The workflow (status, reopen) and the
reviewers' comments are drawn by `toolkit.ui.review_panel`.

Session keys (`<a>` the assessment id, `<i>` the indicator id), each documented where it is used:
    assess_dimension                  the dimension shown (toolkit/ui/choice.py; mirrored in the `dimension`
                                      URL parameter)
    assess_next                       the next-dimension button
    assess_toast                      "saved" message to show once (set by answer_sync and review_panel)
    assess_status_<a>, assess_rv*     the workflow and review widgets (toolkit/ui/review_panel.py)
    assess_<field>_<a>_<i>            a card's widgets (toolkit/ui/answer_card.py)
    assess_version_*, assess_saved_*, assess_conflict_*, assess_failed_*
                                      what a card shows and its pending problems (toolkit/ui/answer_sync.py)
    assess_ev*, assess_notice_*       a card's evidence section (toolkit/ui/evidence_panel.py)
    assess_history_*                  the history tables (toolkit/ui/answer_history.py)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import streamlit as st

from toolkit.access.roles import AccessDenied
from toolkit.i18n import t
from toolkit.model.catalogue import find_rubric
from toolkit.model.rubric import Indicator, Node, Rubric, text_in
from toolkit.store.store import NotFoundError, StoredAnswer
from toolkit.ui import review_panel, round_upgrade, state
from toolkit.ui.answer_card import PREFETCHED_KEY, TOAST_KEY, card_fragment, remember_status
from toolkit.ui.answer_history import assessment_history
from toolkit.ui.answer_sync import Card
from toolkit.ui.choice import choose, chosen, translated_selectbox
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import plain, run_page, when

DIMENSION_KEY = "assess_dimension"


def render() -> None:
    """The page body: the chosen round, or a way back home when there is none to show."""
    lang = state.language()
    st.title(t("assess_title", lang))
    assessment_id = state.assessment_id()
    if not assessment_id:
        st.info(t("assess_choose_first", lang))
        st.page_link(state.HOME_PAGE, label=t("assess_go_home", lang), query_params=state.language_params())
        return
    ws = state.workspace()
    try:
        assessment = ws.load(assessment_id)
    except NotFoundError:
        st.warning(t("assess_not_found", lang))
        plain(assessment_id)
        state.forget_assessment()
        st.page_link(state.HOME_PAGE, label=t("assess_go_home", lang), query_params=state.language_params())
        return
    except AccessDenied as error:  # say no, show nothing of it, and do not land here again
        st.error(t("access_refused", lang))
        plain(error)
        state.forget_assessment()
        st.page_link(state.HOME_PAGE, label=t("assess_go_home", lang), query_params=state.language_params())
        return
    rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
    answers = ws.answers(assessment_id)
    info = ws.version(assessment_id)
    editable = review_panel.editable(ws, assessment, info)
    if editable and not state.ask_name(lang):  # auth none: a name before the first save, never "local user"
        return
    reviewing = review_panel.can_review(ws, assessment, info)
    comments = review_panel.comments_by_indicator(ws.comments(assessment_id))
    toast = st.session_state.pop(TOAST_KEY, None)
    if toast:
        st.toast(t("assess_saved_toast", lang, time=when(toast, lang)))

    ministry = assessment.ministry
    plain(f"{ministry.marked_name} — {assessment.period}")
    st.caption(t("assess_rubric", lang, title=escape_markdown(text_in(rubric.title, lang)), version=rubric.version))
    review_panel.workflow(ws, assessment, info, lang)
    review_panel.read_only_notice(ws, assessment, info, lang)
    round_upgrade.banner(ws, assessment, info, editable, lang)
    carried = ws.carried(assessment_id)
    answered, applicable = _progress(rubric.root, answers)
    ids = [indicator.id for _, indicator in _indicators(rubric.root)]
    st.progress(answered / applicable if applicable else 1.0,
                text=round_upgrade.progress_text(answered, applicable, ids, answers, carried, lang)
                or t("assess_progress_overall", lang, answered=answered, applicable=applicable))
    st.caption(" · ".join(f"{escape_markdown(text_in(node.title, lang))} {'%d/%d' % _progress(node, answers)}"
                          for node in rubric.dimensions))

    dimension = _choose_dimension(rubric, lang)
    done, of = _progress(dimension, answers)
    st.progress(done / of if of else 1.0, text=t("assess_progress_dimension", lang, answered=done, applicable=of))
    description = text_in(dimension.description, lang)
    if description:
        st.caption(escape_markdown(description))
    st.session_state[PREFETCHED_KEY] = answers  # read once for every card of this full run
    try:
        for node, indicator in _indicators(dimension):
            if node is not dimension and indicator is node.indicators[0]:
                st.subheader(escape_markdown(text_in(node.title, lang)))
            card = Card(assessment_id, indicator.id, indicator.is_metric, editable, lang)
            remember_status(card, answers.get(indicator.id), carried.get(indicator.id))
            card_fragment(card, rubric.id, rubric.version, reviewing, bool(comments.get(indicator.id)),
                          carried.get(indicator.id))
    finally:
        st.session_state.pop(PREFETCHED_KEY, None)  # a card's own run reads its answer again
    _next_dimension_button(rubric, dimension, lang)
    assessment_history(assessment_id, rubric, lang)


def _indicators(node: Node) -> Iterator[tuple[Node, Indicator]]:
    """A node's indicators in rubric order, each with the (sub-)dimension holding it."""
    for child in node.dimensions:
        yield from _indicators(child)
    for indicator in node.indicators:
        yield node, indicator


def _progress(node: Node, answers: Mapping[str, StoredAnswer]) -> tuple[int, int]:
    """(answered, applicable) indicators under a node: N/A ones are not applicable."""
    answered = applicable = 0
    for _, indicator in _indicators(node):
        stored = answers.get(indicator.id)
        status = stored.answer.status if stored else "missing"
        applicable += status != "na"
        answered += status == "answered"
    return answered, applicable


def _choose_dimension(rubric: Rubric, lang: str) -> Node:
    dimensions = {node.id: node for node in rubric.dimensions}
    if chosen(DIMENSION_KEY) not in dimensions:
        wanted = st.query_params.get("dimension")
        choose(DIMENSION_KEY, wanted if wanted in dimensions else rubric.dimensions[0].id)
    # The labels carry no counts: a selectbox's labels do not refresh while it stays drawn.
    dimension_id = translated_selectbox(t("dimension", lang), list(dimensions), key=DIMENSION_KEY, lang=lang,
                                        format_func=lambda node_id: text_in(dimensions[node_id].title, lang))
    st.query_params["dimension"] = dimension_id
    return dimensions[dimension_id]


def _next_dimension_button(rubric: Rubric, dimension: Node, lang: str) -> None:
    ids = [node.id for node in rubric.dimensions]
    position = ids.index(dimension.id)
    if position + 1 < len(ids):
        st.button(t("assess_next_dimension", lang, title=escape_markdown(text_in(rubric.dimensions[position + 1].title,
                                                                                      lang))),
                  on_click=_go_to_dimension, args=(ids[position + 1],), key="assess_next")


def _go_to_dimension(dimension_id: str) -> None:
    choose(DIMENSION_KEY, dimension_id)


run_page(render)
