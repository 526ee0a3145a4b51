"""The review workflow on the assess page: version and status, submit / mark reviewed / reopen, and
each indicator's review comments with the form reviewers use to accept, challenge or comment.

Every action goes through `state.workspace()`, which checks the role again on the server; the
controls shown here only follow what the person may do.

Session keys (`<a>` the assessment id, `<i>` the indicator id):
    assess_status_<a>              the status selectbox (toolkit/ui/choice.py): the stored status and the
                                   moves allowed (with _seen: the stored status it shows, _failed: why a
                                   move was refused)
    assess_reopen_failed_<a>       why a reopen was refused
    assess_rvverdict_<a>_<i>       a reviewer's verdict (accept | challenge | comment)
    assess_rvtext_<a>_<i>          the comment's text
    assess_rverror_<a>_<i>         why a comment was not saved
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from toolkit.access.roles import EDIT, REOPEN, REVIEW, SUBMIT
from toolkit.access.workspace import Workspace
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.model.assessment import Assessment
from toolkit.store.review import MOVES, REOPENABLE, VERDICTS, ReviewComment, VersionInfo
from toolkit.ui import state
from toolkit.ui.choice import choose, chosen, translated_selectbox
from toolkit.ui.widgets import now_iso, plain, safe_callback, when

MOVE_ACTIONS = {"submitted": SUBMIT, "reviewed": REVIEW}
VERDICT_MARKS = {"accept": "✓", "challenge": "✗", "comment": "•"}


def editable(ws: Workspace, assessment: Assessment, info: VersionInfo) -> bool:
    """Whether this person may change the answers now (a draft, and the assessor role)."""
    return assessment.status == "draft" and not info.superseded and ws.principal.can(EDIT, assessment.ministry.id)


def workflow(ws: Workspace, assessment: Assessment, info: VersionInfo, lang: str) -> None:
    """Version, status with the moves this person may make, and the reopen button."""
    ministry_id, assessment_id = assessment.ministry.id, assessment.id
    if info.version > 1:
        st.caption(t("review_version_of", lang, version=info.version, parent=info.parent_id))
    if info.superseded:
        st.warning(t("review_superseded", lang))
        plain(info.superseded_by)
        st.button(t("review_open_newer", lang), key=f"assess_newer_{assessment_id}", on_click=_go_to,
                  args=(info.superseded_by,))
    moves = () if info.superseded else tuple(
        status for status in MOVES.get(assessment.status, ()) if ws.principal.can(MOVE_ACTIONS[status], ministry_id))
    _status(assessment_id, assessment.status, moves, lang)
    if assessment.status in REOPENABLE and not info.superseded and ws.principal.can(REOPEN, ministry_id):
        failed = st.session_state.get(f"assess_reopen_failed_{assessment_id}")
        if failed:
            st.error(t("review_not_reopened", lang))
            plain(failed)
        st.button(t("review_reopen", lang), key=f"assess_reopen_{assessment_id}", on_click=_reopen,
                  args=(assessment_id,), help=t("review_reopen_help", lang))


def read_only_notice(ws: Workspace, assessment: Assessment, info: VersionInfo, lang: str) -> None:
    """Why the answers cannot be changed here, if they cannot."""
    if editable(ws, assessment, info):
        return
    if info.superseded:
        return  # the superseded warning says it
    if assessment.status != "draft":
        st.info(t("review_read_only_status", lang, status=t(f"status_{assessment.status}", lang)))
    else:
        st.info(t("review_read_only_role", lang))


def _status(assessment_id: str, status: str, moves: Sequence[str], lang: str) -> None:
    """The status selectbox: the stored status and the forward moves allowed (disabled when there are none)."""
    ss = st.session_state
    key = f"assess_status_{assessment_id}"
    options = [status, *moves]
    if f"{key}_failed" in ss:
        st.error(t("assess_not_saved", lang))
        plain(ss[f"{key}_failed"])
    if ss.get(f"{key}_seen") != status:  # the stored status changed (here or elsewhere): show it
        choose(key, status)
        ss[f"{key}_seen"] = status
    translated_selectbox(t("home_status", lang), options, key=key, lang=lang,
                         format_func=lambda s: t(f"status_{s}", lang), default=status,
                         on_change=_save_status, args=(assessment_id, key), disabled=not moves,
                         help=t("review_status_help", lang))


@safe_callback
def _save_status(assessment_id: str, key: str) -> None:
    ss = st.session_state
    ss.pop(f"{key}_failed", None)
    wanted = chosen(key)
    try:
        state.workspace().set_status(assessment_id, wanted)
    except ToolkitError as error:
        ss[f"{key}_failed"] = str(error)
        choose(key, ss.get(f"{key}_seen", wanted))
    else:
        ss[f"{key}_seen"] = wanted
        ss["assess_toast"] = now_iso()


@safe_callback
def _reopen(assessment_id: str) -> None:
    ss = st.session_state
    ss.pop(f"assess_reopen_failed_{assessment_id}", None)
    try:
        new_id = state.workspace().reopen(assessment_id)
    except ToolkitError as error:
        ss[f"assess_reopen_failed_{assessment_id}"] = str(error)
        return
    _go_to(new_id)


def _go_to(assessment_id: str | None) -> None:
    """Show another round on this page (the URL follows, so a refresh stays there)."""
    if assessment_id:
        st.session_state[state.CURRENT_KEY] = assessment_id
        st.query_params[state.QUERY_KEY] = assessment_id


# --- per indicator ------------------------------------------------------------------------------------

def can_review(ws: Workspace, assessment: Assessment, info: VersionInfo) -> bool:
    """Whether this person may comment now (a submitted round, not reopened since, the reviewer role)."""
    return (assessment.status == "submitted" and not info.superseded
            and ws.principal.can(REVIEW, assessment.ministry.id))


def card_review(assessment_id: str, indicator_id: str, comments: Sequence[ReviewComment], reviewing: bool,
                lang: str) -> None:
    """One indicator's review comments (of this version and the earlier ones) and, for a reviewer, the form."""
    if not comments and not reviewing:
        return
    st.markdown(f"**{t('review_comments', lang)}**")
    for comment in comments:
        where = "" if comment.assessment_id == assessment_id else " " + t("review_on_version", lang,
                                                                           id=comment.assessment_id)
        plain(f"{VERDICT_MARKS.get(comment.verdict, '•')} {t(f'review_verdict_{comment.verdict}', lang)} — "
              f"{comment.user}, {when(comment.at, lang)}{where}")
        if comment.text:
            plain(comment.text)
    if not reviewing:
        return
    key = f"{assessment_id}_{indicator_id}"
    error = st.session_state.get(f"assess_rverror_{key}")
    if error:
        st.error(t("review_not_saved", lang))
        plain(error)
    st.radio(t("review_verdict", lang), VERDICTS, format_func=lambda v: t(f"review_verdict_{v}", lang),
             horizontal=True, key=f"assess_rvverdict_{key}")
    st.text_area(t("review_text", lang), key=f"assess_rvtext_{key}", height=68)
    st.button(t("review_add", lang), key=f"assess_rvadd_{key}", on_click=_add_comment,
              args=(assessment_id, indicator_id))


@safe_callback
def _add_comment(assessment_id: str, indicator_id: str) -> None:
    ss = st.session_state
    key = f"{assessment_id}_{indicator_id}"
    ss.pop(f"assess_rverror_{key}", None)
    verdict = ss.get(f"assess_rvverdict_{key}") or "comment"
    text = str(ss.get(f"assess_rvtext_{key}") or "")
    try:
        state.workspace().add_comment(assessment_id, indicator_id, verdict, text)
    except ToolkitError as error:  # AccessDenied included
        ss[f"assess_rverror_{key}"] = str(error)
        return
    ss[f"assess_rvtext_{key}"] = ""
    ss["assess_toast"] = now_iso()


def comments_by_indicator(comments: Sequence[ReviewComment]) -> dict[str, list[ReviewComment]]:
    """Comments grouped by indicator, each list oldest first."""
    grouped: dict[str, list[ReviewComment]] = {}
    for comment in comments:
        grouped.setdefault(comment.indicator_id, []).append(comment)
    return grouped
