"""Assess: one dimension at a time, one card per indicator; every change is saved when it is made.

Each widget saves through an `on_change` callback with the answer version this session last saw
(`assess_version_*`). A save that finds a newer version raises `ConflictError`: the card then shows
who changed what and lets the person keep the stored answer or overwrite it with their own; nothing
is overwritten silently. A save that fails (`StorageError`) keeps the value on screen and offers to try again.

A card is read-only (its widgets disabled, no clear, add or remove) unless the round is a draft
and the person holds the assessor role; the store refuses such a save anyway. The workflow (status,
reopen) and the reviewers' comments are drawn by `toolkit.ui.review_panel`.

Session keys (`<a>` the assessment id, `<i>` the indicator id):
    assess_dimension                  the dimension shown (toolkit/ui/choice.py; mirrored in the `dimension`
                                      URL parameter)
    assess_status_<a>, assess_rv*     the workflow and review widgets (see toolkit/ui/review_panel.py)
    assess_history_all_<a>            whether the assessment's history is shown
    assess_toast                      "saved" message to show once
    assess_<field>_<a>_<i>            card widgets: level, value, confidence, target, na, reason, notes,
                                      evopen, evkind, evurl, evtext, evdesc, evsens, evfile<n>, history
    assess_version_<a>_<i>            the answer version the widgets show (0: no answer yet)
    assess_saved_<a>_<i>              when this session last saved the card
    assess_conflict_<a>_<i>           {"theirs": StoredAnswer, "mine": changes | "evidence": Evidence | "remove": i}
    assess_failed_<a>_<i>             {"message": str, "mine": changes} after a StorageError
    assess_notice_<a>_<i>             an i18n key to show on the card (a refused URL, an empty text)
    assess_everror_<a>_<i>            why an evidence change was not saved (StorageError)
    assess_evnonce_<a>_<i>            bumps the file uploader's key to clear it after an upload
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from toolkit.access import AccessDenied
from toolkit.assessment import CONFIDENCES, SENSITIVITIES, Answer, Evidence
from toolkit.catalogue import find_rubric
from toolkit.i18n import t
from toolkit.review import ReviewComment
from toolkit.rubric import Indicator, Node, Rubric, text_in
from toolkit.store import ConflictError, NotFoundError, StorageError, StoredAnswer
from toolkit.ui import review_panel, state
from toolkit.ui.choice import choose, chosen, translated_selectbox
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import (
    now_iso,
    plain,
    run_page,
    safe_callback,
    safe_file_name,
    url_problem,
    when,
)
from toolkit.workspace import Workspace

DIMENSION_KEY = "assess_dimension"
NONE = ""  # the "not set" option of the confidence and target selectboxes
LANGUAGE_KEYED = ("confidence", "target")


@dataclass(frozen=True)
class Card:
    """Where one indicator card keeps its state."""

    assessment_id: str
    indicator_id: str
    is_metric: bool
    editable: bool = True  # a draft and the assessor role; else every widget is disabled
    lang: str = "en"

    def key(self, name: str) -> str:
        # Selectboxes keep the labels they were first drawn with: one widget per language for them.
        suffix = f"_{self.lang}" if name in LANGUAGE_KEYED and self.lang != "en" else ""
        return f"assess_{name}_{self.assessment_id}_{self.indicator_id}{suffix}"


# --- page -----------------------------------------------------------------------------------------

def render() -> None:
    lang = state.language()
    st.title(t("assess_title", lang))
    assessment_id = state.assessment_id()
    if not assessment_id:
        st.info(t("assess_choose_first", lang))
        st.page_link(state.HOME_PAGE, label=t("assess_go_home", lang))
        return
    ws = state.workspace()
    try:
        assessment = ws.load(assessment_id)
    except NotFoundError:
        st.warning(t("assess_not_found", lang))
        plain(assessment_id)
        state.forget_assessment()
        st.page_link(state.HOME_PAGE, label=t("assess_go_home", lang))
        return
    except AccessDenied as error:  # say no, show nothing of it, and do not land here again
        st.error(t("access_refused", lang))
        plain(error)
        state.forget_assessment()
        st.page_link(state.HOME_PAGE, label=t("assess_go_home", lang))
        return
    rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
    answers = ws.answers(assessment_id)
    info = ws.version(assessment_id)
    editable = review_panel.editable(ws, assessment, info)
    reviewing = review_panel.can_review(ws, assessment, info)
    comments = review_panel.comments_by_indicator(ws.comments(assessment_id))
    toast = st.session_state.pop("assess_toast", None)
    if toast:
        st.toast(t("assess_saved_toast", lang, time=toast))

    ministry = assessment.ministry
    plain(f"{ministry.name}{' †' if ministry.fictional else ''} — {assessment.period}")
    st.caption(t("assess_rubric", lang, title=escape_markdown(text_in(rubric.title, lang)), version=rubric.version))
    review_panel.workflow(ws, assessment, info, lang)
    review_panel.read_only_notice(ws, assessment, info, lang)
    answered, applicable = _progress(rubric.root, answers)
    st.progress(answered / applicable if applicable else 1.0,
                text=t("assess_progress_overall", lang, answered=answered, applicable=applicable))
    st.caption(" · ".join(f"{escape_markdown(text_in(node.title, lang))} {'%d/%d' % _progress(node, answers)}"
                          for node in rubric.dimensions))

    dimension = _choose_dimension(rubric, lang)
    done, of = _progress(dimension, answers)
    st.progress(done / of if of else 1.0, text=t("assess_progress_dimension", lang, answered=done, applicable=of))
    description = text_in(dimension.description, lang)
    if description:
        st.caption(escape_markdown(description))
    for node, indicator in _indicators(dimension):
        if node is not dimension and indicator is node.indicators[0]:
            st.subheader(escape_markdown(text_in(node.title, lang)))
        card = Card(assessment_id, indicator.id, indicator.is_metric, editable, lang)
        _card(card, indicator, rubric, answers.get(indicator.id), lang, comments.get(indicator.id, ()), reviewing)
    _next_dimension_button(rubric, dimension, lang)
    _history_all(assessment_id, rubric, lang)


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


# --- one card ----------------------------------------------------------------------------------------

def _card(card: Card, indicator: Indicator, rubric: Rubric, stored: StoredAnswer | None, lang: str,
          comments: Sequence[ReviewComment] = (), reviewing: bool = False) -> None:
    _sync(card, stored)
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
        _problems(card, rubric, indicator, lang)

        na = bool(ss.get(card.key("na")))
        if indicator.is_metric:
            unit = text_in(indicator.unit, lang)
            st.number_input(t("assess_value", lang, unit=unit), value=None, format="%g", key=card.key("value"),
                            on_change=_changed, args=(card, "value"), disabled=na or locked)
            hint = text_in(indicator.evidence_hint, lang)
        else:
            levels = sorted(indicator.levels)
            st.radio(t("assess_level", lang), levels, index=None, key=card.key("level"),
                     format_func=lambda level: _level_option(rubric, indicator, level, lang),
                     on_change=_changed, args=(card, "level"), disabled=na or locked)
            chosen = ss.get(card.key("level"))
            hint = text_in(indicator.levels[chosen].evidence_hint, lang) if chosen in indicator.levels else ""
        if hint and not na:
            st.caption(t("assess_evidence_hint", lang) + " " + escape_markdown(hint))

        left, middle = st.columns(2)
        with left:
            st.selectbox(t("assess_confidence", lang), [NONE, *CONFIDENCES],
                         format_func=lambda c: t(f"confidence_{c}", lang) if c else "—",
                         key=card.key("confidence"), on_change=_changed, args=(card, "confidence"), disabled=locked)
        with middle:
            if card.is_metric:  # the roadmap measures gaps in levels; a metric's goal is its upper goalpost
                st.caption(t("assess_metric_no_target", lang))
            else:
                st.selectbox(t("assess_target", lang), [NONE, *(scale.value for scale in rubric.scale)],
                             format_func=lambda v: "—" if v == NONE else f"{v} — {rubric.level_label(v, lang)}",
                             key=card.key("target"), on_change=_changed, args=(card, "target"), disabled=locked)
        st.checkbox(t("assess_na", lang), key=card.key("na"), on_change=_changed, args=(card, "na"), disabled=locked)
        if na:
            st.text_input(t("assess_na_reason", lang), key=card.key("reason"), on_change=_changed,
                          args=(card, "reason"), disabled=locked)
            if not ss.get(card.key("reason"), "").strip():
                st.warning(t("assess_na_needs_reason", lang))
        st.text_area(t("assess_notes", lang), key=card.key("notes"), on_change=_changed, args=(card, "notes"),
                     height=80, disabled=locked)
        if stored is not None and stored.answer.status != "missing" and not locked:
            st.button(t("assess_clear", lang), key=card.key("clear"), on_click=_clear, args=(card,), type="tertiary")
        _evidence(card, stored.answer.evidence if stored else (), lang)
        review_panel.card_review(card.assessment_id, card.indicator_id, comments, reviewing, lang)
        if st.toggle(t("assess_history", lang), key=card.key("history")):
            _history_table(card.assessment_id, card.indicator_id, rubric, lang)


def _level_option(rubric: Rubric, indicator: Indicator, level: int, lang: str) -> str:
    descriptor = text_in(indicator.levels[level].descriptor, lang)
    return escape_markdown(f"{level} — {rubric.level_label(level, lang)}: {descriptor}")


def _saved_line(card: Card, stored: StoredAnswer | None, lang: str) -> None:
    saved = st.session_state.get(card.key("saved"))
    if saved:
        st.caption(t("assess_saved_at", lang, time=saved))
    if stored is not None:
        plain(t("assess_last_saved", lang, user=stored.updated_by, time=when(stored.updated_at)))


def _problems(card: Card, rubric: Rubric, indicator: Indicator, lang: str) -> None:
    """The card's pending conflict or failed save."""
    ss = st.session_state
    failed = ss.get(card.key("failed"))
    if failed:
        st.error(t("assess_not_saved", lang))
        plain(failed["message"])
        st.button(t("assess_retry", lang), key=card.key("retry"), on_click=_retry, args=(card,))
    conflict = ss.get(card.key("conflict"))
    if conflict:
        theirs: StoredAnswer = conflict["theirs"]
        st.warning(t("assess_conflict", lang))
        plain(t("assess_conflict_who", lang, user=theirs.updated_by, time=when(theirs.updated_at)))
        st.dataframe(_conflict_rows(conflict, rubric, indicator, lang), hide_index=True)
        left, right = st.columns(2)
        left.button(t("assess_keep_theirs", lang), key=card.key("keep"), on_click=_keep_theirs, args=(card,))
        if "remove" not in conflict:
            right.button(t("assess_overwrite", lang), key=card.key("overwrite"), on_click=_overwrite, args=(card,))


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


# --- keeping widgets and the database in step ---------------------------------------------------------

def _sync(card: Card, stored: StoredAnswer | None) -> None:
    """Show the stored answer, unless the widgets already show it or hold changes not yet saved."""
    ss = st.session_state
    version = stored.version if stored else 0
    if card.key("conflict") in ss or card.key("failed") in ss:
        return  # the person's own values stay on screen until they choose
    if ss.get(card.key("version")) == version and card.key("notes") in ss:
        if card.key("confidence") not in ss:  # the language changed: its own selectboxes start from the store
            answer = stored.answer if stored else Answer()
            ss[card.key("confidence")] = answer.confidence or NONE
            ss[card.key("target")] = NONE if answer.target is None else answer.target
        return
    _load(card, stored.answer if stored else Answer())
    ss[card.key("version")] = version


def _load(card: Card, answer: Answer) -> None:
    """Put an answer into the card's widgets."""
    ss = st.session_state
    ss[card.key("value" if card.is_metric else "level")] = answer.value if card.is_metric else answer.level
    ss[card.key("confidence")] = answer.confidence or NONE
    ss[card.key("target")] = NONE if answer.target is None else answer.target
    ss[card.key("na")] = answer.na
    ss[card.key("reason")] = answer.na_reason or ""
    ss[card.key("notes")] = answer.notes or ""


def _changes(card: Card, field: str) -> dict[str, Any] | None:
    """What a changed widget asks the store to save; None when nothing can be saved yet."""
    ss = st.session_state
    value = ss.get(card.key(field))
    if field in ("na", "reason"):
        if not ss.get(card.key("na")):
            return {"na": False, "na_reason": None} if field == "na" else None
        reason = " ".join(str(ss.get(card.key("reason"), "")).split())
        if not reason:
            return None  # the card says it is not saved as N/A until a reason is given
        return {"na": True, "na_reason": reason, "level": None, "value": None}
    if field in ("confidence", "target"):
        return {field: None if value == NONE else value}
    if field == "notes":
        return {"notes": value.strip() or None}
    return {field: value}


@safe_callback
def _changed(card: Card, field: str) -> None:
    st.session_state.pop(card.key("notice"), None)
    changes = _changes(card, field)
    if changes is not None:
        _save(card, changes)


@safe_callback
def _clear(card: Card) -> None:
    _save(card, {"level": None, "value": None, "na": False, "na_reason": None})


def _save(card: Card, changes: dict[str, Any]) -> None:
    ss = st.session_state
    conflict = ss.get(card.key("conflict"))
    if conflict is not None and "mine" in conflict:
        conflict["mine"].update(changes)  # the person chooses once for everything pending
        return
    failed = ss.get(card.key("failed"))
    pending = {**(failed["mine"] if failed else {}), **changes}
    _write(card, pending, lambda ws, version: ws.save_answer(
        card.assessment_id, card.indicator_id, pending, expected_version=version),
        conflict_detail={"mine": pending})


def _write(card: Card, pending: dict[str, Any] | None, operation: Callable[[Workspace, int], StoredAnswer], *,
           conflict_detail: dict[str, Any], version: int | None = None) -> bool:
    """Run one store write for a card with the expected version, recording the outcome; True if saved.

    `pending` holds the field changes (None for an evidence change), kept for a retry on failure. The
    workspace checks the person's role on the server first: a refusal is kept like a failed save.
    """
    ss = st.session_state
    expected = ss.get(card.key("version"), 0) if version is None else version
    try:
        saved = operation(state.workspace(), expected)
    except ConflictError as error:
        ss[card.key("conflict")] = {"theirs": error.current, **conflict_detail}
        ss.pop(card.key("failed"), None)
        return False
    except (StorageError, AccessDenied) as error:
        if pending is None:  # an evidence change: the inputs still hold it, so "Add" tries again
            ss[card.key("everror")] = str(error)
        else:
            ss[card.key("failed")] = {"message": str(error), "mine": pending}
        return False
    for name in ("conflict", "failed", "notice", "everror"):
        ss.pop(card.key(name), None)
    ss[card.key("version")] = saved.version
    ss[card.key("saved")] = when(saved.updated_at or now_iso())
    ss["assess_toast"] = ss[card.key("saved")]
    _load(card, saved.answer)
    return True


@safe_callback
def _retry(card: Card) -> None:
    failed = st.session_state.pop(card.key("failed"), None)
    if failed:
        _save(card, failed["mine"])


@safe_callback
def _keep_theirs(card: Card) -> None:
    """Drop this session's pending change and show what is stored now."""
    ss = st.session_state
    ss.pop(card.key("conflict"), None)
    ss.pop(card.key("failed"), None)
    stored = state.workspace().answers(card.assessment_id).get(card.indicator_id)
    _load(card, stored.answer if stored else Answer())
    ss[card.key("version")] = stored.version if stored else 0


@safe_callback
def _overwrite(card: Card) -> None:
    """Save this session's change over the version the person was shown (a newer one conflicts again)."""
    ss = st.session_state
    conflict = ss.pop(card.key("conflict"), None)
    if not conflict:
        return
    seen = conflict["theirs"].version
    if "mine" in conflict:
        mine = conflict["mine"]
        _write(card, mine, lambda ws, version: ws.save_answer(
            card.assessment_id, card.indicator_id, mine, expected_version=version),
            conflict_detail={"mine": mine}, version=seen)
    elif "evidence" in conflict:
        evidence = conflict["evidence"]
        _write(card, None, lambda ws, version: ws.add_evidence(
            card.assessment_id, card.indicator_id, evidence, expected_version=version),
            conflict_detail={"evidence": evidence}, version=seen)


# --- evidence -----------------------------------------------------------------------------------------

def _evidence(card: Card, items: tuple[Evidence, ...], lang: str) -> None:
    # A toggle rather than an expander: its widgets are only built while it is on, which keeps a
    # rerun of a dimension's cards fast, and it stays on across reruns.
    if not st.toggle(t("assess_evidence_count", lang, count=len(items)), key=card.key("evopen")):
        return
    with st.container(border=True):
        ws = state.workspace()
        for index, item in enumerate(items):
            _evidence_item(ws, card, index, item, lang)
        if not card.editable:
            return
        notice = st.session_state.get(card.key("notice"))
        if notice:
            st.warning(t(notice, lang))
        everror = st.session_state.get(card.key("everror"))
        if everror:
            st.error(t("assess_evidence_not_saved", lang))
            plain(everror)
        st.markdown(f"**{t('assess_add_evidence', lang)}**")
        kinds = ("url", "text", "file")
        kind = st.radio(t("assess_evidence_kind", lang), kinds, format_func=lambda k: t(f"evidence_{k}", lang),
                        horizontal=True, key=card.key("evkind"))
        if kind == "url":
            st.text_input(t("evidence_url", lang), placeholder="https://", key=card.key("evurl"))
        elif kind == "text":
            st.text_area(t("evidence_text", lang), key=card.key("evtext"), height=80)
        else:
            nonce = st.session_state.get(card.key("evnonce"), 0)
            limit = max(1, ws.max_file_bytes // 2**20)  # the store refuses larger files anyway
            st.file_uploader(t("evidence_file", lang), key=card.key(f"evfile{nonce}"), max_upload_size=limit)
        st.text_input(t("assess_evidence_description", lang), key=card.key("evdesc"))
        st.selectbox(t("assess_sensitivity", lang), SENSITIVITIES, index=SENSITIVITIES.index("internal"),
                     format_func=lambda s: t(f"sensitivity_{s}", lang), key=card.key("evsens"))
        st.button(t("assess_add", lang), key=card.key("evadd"), on_click=_add_evidence, args=(card,))


def _evidence_item(ws: Workspace, card: Card, index: int, item: Evidence, lang: str) -> None:
    with st.container(border=True):
        body, actions = st.columns([5, 1])
        with body:
            shown = item.value if item.kind != "file" else (item.name or item.sha256 or "")
            plain(f"{t(f'evidence_{item.kind}', lang)}: {shown}")
            if item.description:
                plain(item.description)
            details = [t(f"sensitivity_{item.sensitivity}", lang)]
            if item.added_by:
                details.append(t("assess_added_by", lang, user=item.added_by, time=when(item.added_at)))
            plain(" · ".join(details))
        with actions:
            if item.kind == "url" and item.value and url_problem(item.value) is None:
                st.link_button(t("assess_open_link", lang), item.value.strip())
            if item.kind == "file" and item.sha256:
                st.download_button(t("assess_download", lang), data=_file_reader(ws, card.assessment_id, item.sha256),
                                   file_name=safe_file_name(item.name or item.sha256),
                                   key=card.key(f"evget{index}"), on_click="ignore")
            if card.editable:
                st.button(t("assess_remove", lang), key=card.key(f"evdel{index}"), on_click=_remove_evidence,
                          args=(card, index))


def _file_reader(ws: Workspace, assessment_id: str, sha256: str):
    """Read an evidence file only when it is downloaded (and only a file that is evidence of this round)."""
    def read() -> bytes:
        return ws.evidence_file(assessment_id, sha256)
    return read


@safe_callback
def _add_evidence(card: Card) -> None:
    ss = st.session_state
    ss.pop(card.key("notice"), None)
    ss.pop(card.key("everror"), None)
    kind = ss.get(card.key("evkind"), "url")
    description = " ".join(str(ss.get(card.key("evdesc"), "")).split()) or None
    common = {"description": description, "added_by": state.workspace().user, "added_at": now_iso(),
              "sensitivity": ss.get(card.key("evsens"), "internal")}
    if kind == "url":
        value = str(ss.get(card.key("evurl"), "")).strip()
        problem = url_problem(value)
        if problem:
            ss[card.key("notice")] = problem
            return
        evidence = Evidence(kind="url", value=value, **common)
    elif kind == "text":
        value = str(ss.get(card.key("evtext"), "")).strip()
        if not value:
            ss[card.key("notice")] = "assess_text_empty"
            return
        evidence = Evidence(kind="text", value=value, **common)
    else:
        nonce = ss.get(card.key("evnonce"), 0)
        upload = ss.get(card.key(f"evfile{nonce}"))
        if upload is None:
            ss[card.key("notice")] = "assess_file_missing"
            return
        try:
            sha256, _ = state.workspace().put_file(card.assessment_id, upload.getvalue(), upload.name)
        except (StorageError, AccessDenied) as error:
            ss[card.key("everror")] = str(error)
            return
        evidence = Evidence(kind="file", name=safe_file_name(upload.name), sha256=sha256, **common)
    saved = _write(card, None, lambda ws, version: ws.add_evidence(
        card.assessment_id, card.indicator_id, evidence, expected_version=version),
        conflict_detail={"evidence": evidence})
    if saved:
        ss[card.key("evurl")] = ""
        ss[card.key("evtext")] = ""
        ss[card.key("evdesc")] = ""
        ss[card.key("evnonce")] = ss.get(card.key("evnonce"), 0) + 1


@safe_callback
def _remove_evidence(card: Card, index: int) -> None:
    _write(card, None, lambda ws, version: ws.remove_evidence(
        card.assessment_id, card.indicator_id, index, expected_version=version),
        conflict_detail={"remove": index})


# --- history ------------------------------------------------------------------------------------------

def _history_table(assessment_id: str, indicator_id: str | None, rubric: Rubric, lang: str) -> None:
    entries = state.workspace().history(assessment_id, indicator_id)
    if not entries:
        st.caption(t("assess_no_history", lang))
        return
    titles = {indicator.id: text_in(indicator.title, lang) for indicator in rubric.indicators()}
    rows = []
    for entry in reversed(entries):  # newest first
        row = {t("assess_when", lang): when(entry.at), t("assess_who", lang): entry.user}
        if indicator_id is None:
            row[t("assess_indicator", lang)] = titles.get(entry.indicator_id or "", entry.indicator_id or "—")
        row[t("assess_field", lang)] = _field_label(entry.field, lang)
        row[t("assess_from", lang)] = "—" if entry.old is None else entry.old
        row[t("assess_to", lang)] = "—" if entry.new is None else entry.new
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def _field_label(field: str, lang: str) -> str:
    """A translated field name for the fields people edit; other audit events as recorded."""
    known = ("level", "value", "na", "na_reason", "target", "confidence", "notes", "evidence", "status")
    return t(f"assess_field_{field}", lang) if field in known else field


def _history_all(assessment_id: str, rubric: Rubric, lang: str) -> None:
    st.divider()
    st.subheader(t("assess_history_all", lang))
    if st.toggle(t("assess_history_show", lang), key=f"assess_history_all_{assessment_id}"):
        _history_table(assessment_id, None, rubric, lang)


run_page(render)
