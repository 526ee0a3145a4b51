"""One indicator card on the assess page: the question, the answer's widgets, evidence, comments, history.

A card is read-only (its widgets disabled, no clear, add or remove) unless the round is a draft
and the person holds the assessor role; the store refuses such a save anyway. What the widgets hold
and how each change is saved is `toolkit.ui.answer_sync`; a pending conflict or failed save is shown here.

The assess page draws each card through `card_fragment`, an `st.fragment`: a change in a card reruns
that card (its save included), not the whole page with every other card, which is what kept twenty
people at once waiting a second and more after each click. The fragment reads its own answer on
every run, so it never shows the answer as it was at the last full run; the run right after the
card's own save shows what that save stored instead of reading it back (a later save by someone
else shows at the card's next run, or as a conflict if this person changes it first). When a save
changes what the page counts (answered, N/A, missing) the fragment asks for one full rerun, so the
progress bars follow.

Session keys (`<a>` the assessment id, `<i>` the indicator id; see also answer_sync, evidence_panel,
answer_history and review_panel):
    assess_<field>_<a>_<i>            card widgets: level, value, confidence, target, na, reason, notes,
                                      history (confidence and target get a `_<lang>` suffix outside English);
                                      buttons: clear, retry, keep, overwrite
    assess_card_<i>                   the card's container (the browser tests find a card by it)
    assess_shown_status_<a>_<i>       the answer's status (answered, na, missing) the page's counts show
    assess_prefetched                 the round's answers, only while a full run of the page draws its cards
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from toolkit.i18n import t
from toolkit.model.assessment import CONFIDENCES, Answer, Evidence
from toolkit.model.catalogue import find_rubric
from toolkit.model.rubric import Indicator, Rubric, text_in
from toolkit.store.carry import CarriedMark
from toolkit.store.review import ReviewComment
from toolkit.store.store import StoredAnswer
from toolkit.ui import review_panel, state
from toolkit.ui.answer_history import history_table
from toolkit.ui.answer_sync import NONE, Card, changed, clear, keep_theirs, overwrite, retry, sync
from toolkit.ui.evidence_panel import evidence_section
from toolkit.ui.round_upgrade import carried_notice
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import callback_problems, guarded, plain, when

TOAST_KEY = "assess_toast"
PREFETCHED_KEY = "assess_prefetched"


def status_of(stored: StoredAnswer | None, carried: CarriedMark | None) -> str:
    """What the page counts for an answer: answered, na or missing, and whether it is still carried."""
    return (stored.answer.status if stored is not None else "missing") + (" carried" if carried else "")


def remember_status(card: Card, stored: StoredAnswer | None, carried: CarriedMark | None) -> None:
    """Record the status the page's counts were drawn with (the page calls this on a full run)."""
    st.session_state[card.key("shown_status")] = status_of(stored, carried)


@st.fragment
def card_fragment(card: Card, rubric_id: str, rubric_version: str, reviewing: bool, with_comments: bool,
                  carried: CarriedMark | None = None) -> None:
    """One indicator's card as a fragment: a change reruns (and saves) this card only.

    Arguments are those of the page's last full run, so everything that changes is read again here:
    the stored answer, the carried mark (if there was one: a mark only ever goes away while a round
    is edited) and, when there are any or the person reviews, the comments.
    """
    guarded(lambda: _live_card(card, rubric_id, rubric_version, reviewing, with_comments, carried))


def _live_card(card: Card, rubric_id: str, rubric_version: str, reviewing: bool, with_comments: bool,
               carried: CarriedMark | None) -> None:
    ss = st.session_state
    callback_problems()
    ws = state.workspace()
    prefetched = ss.get(PREFETCHED_KEY)
    just_saved = ss.pop(card.key("stored"), None)  # stored by this run's own save callback, if it saved
    if prefetched is not None:  # a full run: the page has just read every answer
        stored = prefetched.get(card.indicator_id)
    elif just_saved is not None:  # the run after this card's save: the answer as that save wrote it
        stored = just_saved
    else:  # the fragment's own run: this answer as it is now
        stored = ws.get_answer(card.assessment_id, card.indicator_id)
        if stored.version == 0:
            stored = None
        if carried is not None:
            carried = ws.carried(card.assessment_id).get(card.indicator_id)
    status = status_of(stored, carried)
    if ss.get(card.key("shown_status"), status) != status:
        st.rerun()  # the page's counts are out of date: one full run redraws them (and this card)
    toast = ss.pop(TOAST_KEY, None)
    if toast:
        st.toast(t("assess_saved_toast", card.lang, time=when(toast, card.lang)))
    rubric = find_rubric(rubric_id, rubric_version)
    comments = ()
    if with_comments or reviewing:
        comments = tuple(comment for comment in ws.comments(card.assessment_id)
                         if comment.indicator_id == card.indicator_id)
    indicator_card(card, rubric.indicator(card.indicator_id), rubric, stored, card.lang, comments, reviewing,
                   carried)


def indicator_card(card: Card, indicator: Indicator, rubric: Rubric, stored: StoredAnswer | None, lang: str,
                   comments: Sequence[ReviewComment] = (), reviewing: bool = False,
                   carried: CarriedMark | None = None) -> None:
    """Draw one indicator's card, first bringing its widgets in step with the stored answer."""
    sync(card, stored)
    ss = st.session_state
    locked = not card.editable
    with st.container(border=True, key=f"assess_card_{card.indicator_id}"):
        # Rubric texts are documents too: escaped wherever Streamlit would read markdown.
        st.subheader(escape_markdown(text_in(indicator.title, lang)))
        st.markdown(escape_markdown(text_in(indicator.question, lang)))
        guidance = text_in(indicator.guidance, lang)
        if guidance:
            with st.expander(t("assess_guidance", lang)):
                st.markdown(escape_markdown(guidance))
        _saved_line(card, stored, lang)
        carried_notice(card, carried, lang)
        _problems(card, rubric, indicator, lang)

        na = bool(ss.get(card.key("na")))
        if indicator.is_metric:
            unit = text_in(indicator.unit, lang)
            st.number_input(t("assess_value", lang, unit=unit), value=None, format="%g", key=card.key("value"),
                            on_change=changed, args=(card, "value"), disabled=na or locked)
            hint = text_in(indicator.evidence_hint, lang)
        else:
            levels = sorted(indicator.levels)
            st.radio(t("assess_level", lang), levels, index=None, key=card.key("level"),
                     format_func=lambda level: _level_option(rubric, indicator, level, lang),
                     on_change=changed, args=(card, "level"), disabled=na or locked)
            chosen = ss.get(card.key("level"))
            hint = text_in(indicator.levels[chosen].evidence_hint, lang) if chosen in indicator.levels else ""
        if hint and not na:
            st.caption(t("assess_evidence_hint", lang) + " " + escape_markdown(hint))

        left, middle = st.columns(2)
        with left:
            st.selectbox(t("assess_confidence", lang), [NONE, *CONFIDENCES],
                         format_func=lambda c: t(f"confidence_{c}", lang) if c else "—",
                         key=card.key("confidence"), on_change=changed, args=(card, "confidence"), disabled=locked)
        with middle:
            if card.is_metric:  # the roadmap measures gaps in levels; a metric's goal is its upper goalpost
                st.caption(t("assess_metric_no_target", lang))
            else:
                st.selectbox(t("assess_target", lang), [NONE, *(scale.value for scale in rubric.scale)],
                             format_func=lambda v: "—" if v == NONE else f"{v} — {rubric.level_label(v, lang)}",
                             key=card.key("target"), on_change=changed, args=(card, "target"), disabled=locked)
                _target_below(rubric, ss.get(card.key("level")), ss.get(card.key("target")), na, lang)
        st.checkbox(t("assess_na", lang), key=card.key("na"), on_change=changed, args=(card, "na"), disabled=locked)
        if na:
            st.text_input(t("assess_na_reason", lang), key=card.key("reason"), on_change=changed,
                          args=(card, "reason"), disabled=locked)
            if not ss.get(card.key("reason"), "").strip():
                st.warning(t("assess_na_needs_reason", lang))
        st.text_area(t("assess_notes", lang), key=card.key("notes"), on_change=changed, args=(card, "notes"),
                     height=80, disabled=locked)
        if stored is not None and stored.answer.status != "missing" and not locked:
            st.button(t("assess_clear", lang), key=card.key("clear"), on_click=clear, args=(card,), type="tertiary")
        evidence_section(card, stored.answer.evidence if stored else (), lang)
        review_panel.card_review(card.assessment_id, card.indicator_id, comments, reviewing, lang)
        if st.toggle(t("assess_history", lang), key=card.key("history")):
            history_table(card.assessment_id, card.indicator_id, rubric, lang)


def _target_below(rubric: Rubric, level: int | None, target: int | str | None, na: bool, lang: str) -> None:
    """Warn when the target is below the level chosen now: the roadmap then has no step for it."""
    if na or not isinstance(level, int) or not isinstance(target, int) or target >= level:
        return
    st.warning(t("assess_target_below", lang, target=f"{target} — {rubric.level_label(target, lang)}",
                 level=f"{level} — {rubric.level_label(level, lang)}"))


def _level_option(rubric: Rubric, indicator: Indicator, level: int, lang: str) -> str:
    descriptor = text_in(indicator.levels[level].descriptor, lang)
    return escape_markdown(f"{level} — {rubric.level_label(level, lang)}: {descriptor}")


def _saved_line(card: Card, stored: StoredAnswer | None, lang: str) -> None:
    saved = st.session_state.get(card.key("saved"))
    if saved:
        st.caption(t("assess_saved_at", lang, time=when(saved, lang)))
    if stored is not None:
        plain(t("assess_last_saved", lang, user=stored.updated_by, time=when(stored.updated_at, lang)))


def _problems(card: Card, rubric: Rubric, indicator: Indicator, lang: str) -> None:
    """The card's pending conflict or failed save."""
    ss = st.session_state
    failed = ss.get(card.key("failed"))
    if failed:
        st.error(t("assess_not_saved", lang))
        plain(failed["message"])
        st.button(t("assess_retry", lang), key=card.key("retry"), on_click=retry, args=(card,))
    conflict = ss.get(card.key("conflict"))
    if conflict:
        theirs: StoredAnswer = conflict["theirs"]
        st.warning(t("assess_conflict", lang))
        plain(t("assess_conflict_who", lang, user=theirs.updated_by, time=when(theirs.updated_at, lang)))
        st.dataframe(_conflict_rows(conflict, rubric, indicator, lang), hide_index=True)
        left, right = st.columns(2)
        left.button(t("assess_keep_theirs", lang), key=card.key("keep"), on_click=keep_theirs, args=(card,))
        if "remove" not in conflict:
            right.button(t("assess_overwrite", lang), key=card.key("overwrite"), on_click=overwrite, args=(card,))


def _conflict_rows(conflict: dict, rubric: Rubric, indicator: Indicator, lang: str) -> pd.DataFrame:
    theirs: Answer = conflict["theirs"].answer
    rows = []
    for field, value in conflict.get("mine", {}).items():
        rows.append((t(f"assess_field_{field}", lang), _show(field, getattr(theirs, field), rubric, lang),
                     _show(field, value, rubric, lang)))
    if "evidence" in conflict:
        evidence: Evidence = conflict["evidence"]
        rows.append((t("assess_evidence", lang), f"{len(theirs.evidence)}",
                     t("assess_add_this", lang, item=evidence.value or evidence.name or "")))
    if "remove" in conflict:
        rows.append((t("assess_evidence", lang), f"{len(theirs.evidence)}",
                     t("assess_remove_item", lang, number=conflict["remove"] + 1)))
    return pd.DataFrame(rows, columns=[t("assess_field", lang), t("assess_theirs", lang), t("assess_mine", lang)])


def _show(field: str, value: Any, rubric: Rubric, lang: str) -> str:
    if value is None or value == "":
        return "—"
    if field in ("level", "target"):
        return f"{value} — {rubric.level_label(value, lang)}"
    if field == "confidence":
        return t(f"confidence_{value}", lang)
    if field == "na":
        return t("yes" if value else "no", lang)
    if field == "value":
        return f"{value:g}"
    return str(value)
