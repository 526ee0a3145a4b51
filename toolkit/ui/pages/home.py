"""Home: choose a ministry and an assessment round, or create them, and open one to assess.

Session keys: home_ministry (the ministry filter), home_assessment (the round to open), home_notice
(a message left by a callback), and the form fields home_new_* (new ministry) and home_round_*
(new round).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from toolkit.access.roles import CREATE_ROUND
from toolkit.access.workspace import Workspace
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.model.assessment import Ministry, id_from_name, marked_name
from toolkit.model.catalogue import find_rubric, list_rubrics
from toolkit.model.semantics import ID
from toolkit.store.store import AssessmentSummary
from toolkit.ui import state
from toolkit.ui.choice import choose, chosen, translated_selectbox
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import plain, run_page, safe_callback, when

RUBRIC_ID = "digital-diplomacy"  # the shipped rubric new rounds answer, in its latest version
ISO3_LETTERS = 3


def render() -> None:
    lang = state.language()
    ws = state.workspace()
    st.title(t("home_title", lang))
    notice = st.session_state.pop("home_notice", None)
    if notice:
        st.success(t(notice[0], lang, **{key: escape_markdown(value) for key, value in notice[1].items()}))
    ministries = {ministry.id: ministry for ministry in ws.ministries()}  # only those this person sees
    _choose(ws, ministries, lang)
    startable = {key: value for key, value in ministries.items() if ws.can_on_ministry(CREATE_ROUND, key)}
    if not startable and not ws.principal.is_admin:
        return  # a viewer or reviewer: nothing to create here
    st.divider()
    if not state.ask_name(lang):  # creating writes: a name first (auth none), never "local user"
        return
    left, right = st.columns(2)
    with left:
        _new_round(ws, startable, lang)
    if ws.principal.is_admin:  # only an administrator adds ministries
        with right:
            _new_ministry(lang)


def _ministry_label(ministries: dict, ministry_id: str) -> str:
    ministry = ministries.get(ministry_id)
    if ministry is None:
        return ministry_id
    return ministry.marked_name


def _round_label(summary: AssessmentSummary, lang: str) -> str:
    """A round as the list names it: period, version when reopened, status."""
    version = f" v{summary.version}" if summary.version > 1 else ""
    superseded = f", {t('home_superseded', lang)}" if summary.superseded_by else ""
    return (f"{summary.ministry_name} — {summary.period}{version} "
            f"({t(f'status_{summary.status}', lang)}{superseded})")


def _choose(ws: Workspace, ministries: dict, lang: str) -> None:
    """The table of rounds (filtered by ministry) and the round to open."""
    all_label = t("home_all_ministries", lang)
    ministry_filter = translated_selectbox(
        t("ministry", lang), ["", *sorted(ministries, key=lambda m: ministries[m].name)], key="home_ministry",
        lang=lang, format_func=lambda m: _ministry_label(ministries, m) if m else all_label)
    summaries = ws.assessments(ministry_filter or None)
    sizes: dict[tuple[str, str], int] = {}
    rows = []
    for summary in summaries:
        key = (summary.rubric_id, summary.rubric_version)
        if key not in sizes:
            sizes[key] = _indicator_count(*key)
        rows.append({
            t("ministry", lang): marked_name(summary.ministry_name, summary.fictional),
            t("period", lang): summary.period,
            t("home_status", lang): t(f"status_{summary.status}", lang),
            # Whole and rounded down, as on every page: the "percent" format follows the browser's
            # locale (90.2% in an Indonesian app) and would show 79.6 % as the 80 % a rule needs.
            t("complete", lang): math.floor(100 * summary.answered / sizes[key] + 1e-9) if sizes[key] else None,
            t("home_updated", lang): when(summary.updated_at, lang),
            "id": summary.id,
        })
    if not rows:
        st.info(t("home_no_rounds", lang))
        return
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={
        t("complete", lang): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%"),
    })
    if any(summary.fictional for summary in summaries):
        st.caption(t("fictional_note", lang))
    ids = [summary.id for summary in summaries]
    labels = {summary.id: _round_label(summary, lang) for summary in summaries}
    current = state.assessment_id()
    if current in ids and st.session_state.get("home_seen_current") != current:
        # Another round was opened meanwhile (from a link, say): offer that one, not an older choice.
        choose("home_assessment", current)
        st.session_state["home_seen_current"] = current
    round_id = translated_selectbox(t("home_round", lang), ids, key="home_assessment", lang=lang,
                                    format_func=labels.__getitem__, default=current)
    if st.button(t("home_open", lang), type="primary", key="home_open"):
        state.open_assessment(round_id)


def _indicator_count(rubric_id: str, version: str) -> int:
    try:
        return sum(1 for _ in find_rubric(rubric_id, version).indicators())
    except ToolkitError:
        return 0


def _latest_rubric() -> tuple[str, str] | None:
    versions = [(rubric_id, version) for rubric_id, version, _ in list_rubrics() if rubric_id == RUBRIC_ID]
    return versions[-1] if versions else None


def _new_round(ws: Workspace, ministries: dict, lang: str) -> None:
    """A new round (period) for a ministry, on the latest shipped rubric; opened when created."""
    st.subheader(t("home_new_round", lang))
    latest = _latest_rubric()
    if latest is None:
        st.warning(t("home_no_rubric", lang, rubric=RUBRIC_ID))
        return
    if not ministries:
        st.info(t("home_no_ministries", lang))
        return
    if st.session_state.get("home_round_ministry") not in ministries:
        st.session_state["home_round_ministry"] = chosen("home_ministry") or next(iter(ministries))
    # Outside the form, so the rounds to start from follow the ministry chosen.
    ministry_id = st.selectbox(t("ministry", lang), list(ministries),
                               format_func=lambda m: _ministry_label(ministries, m), key="home_round_ministry")
    earlier = _rounds_to_start_from(ws, ministry_id)
    with st.form("home_round_form"):
        period = st.text_input(t("period", lang), placeholder="2026", key="home_round_period")
        assessors = st.text_input(t("home_assessors", lang), help=t("home_assessors_help", lang),
                                  key="home_round_assessors")
        source_id = st.selectbox(t("home_start_from", lang), ["", *earlier], help=t("home_start_help", lang),
                                 index=1 if earlier else 0, key=f"home_round_from_{ministry_id}_{lang}",
                                 format_func=lambda key: _round_label(earlier[key], lang) if key
                                 else t("home_start_empty", lang))
        st.caption(t("home_rubric_used", lang, rubric=latest[0], version=latest[1]))
        submitted = st.form_submit_button(t("home_create_round", lang))
    if not submitted:
        return
    period = " ".join(period.split())
    if not period:
        st.error(t("home_period_required", lang))
        return
    names = [name.strip() for name in assessors.split(";") if name.strip()]
    try:
        if source_id:
            new_id = ws.start_round_from(ministry_id, period, source_id=source_id, rubric_id=latest[0],
                                         rubric_version=latest[1], assessors=names)
        else:
            new_id = ws.create_assessment(ministry_id, period, rubric_id=latest[0], rubric_version=latest[1],
                                          assessors=names)
    except ToolkitError as error:
        st.error(t("home_not_created", lang))
        plain(error)
        return
    state.open_assessment(new_id)


def _rounds_to_start_from(ws: Workspace, ministry_id: str) -> dict[str, AssessmentSummary]:
    """The ministry's rounds a new one may start from, newest period first (a round reopened: its newest version)."""
    rounds = [summary for summary in ws.assessments(ministry_id)
              if summary.rubric_id == RUBRIC_ID and not summary.superseded_by]
    rounds.sort(key=lambda summary: (summary.period, summary.version), reverse=True)
    return {summary.id: summary for summary in rounds}


def _new_ministry(lang: str) -> None:
    """A new ministry; its id is derived from the name (editable) and checked here, everything else by the store."""
    st.subheader(t("home_new_ministry", lang))
    # Outside the form, so that the id follows the name as it is typed (a form sends only on submit).
    st.text_input(t("home_ministry_name", lang), key="home_new_name", on_change=_derive_ministry_id)
    st.text_input(t("home_ministry_id", lang), placeholder="ruritania-mfa", help=t("home_ministry_id_help", lang),
                  key="home_new_id")
    with st.form("home_new_form", clear_on_submit=False):
        st.text_input(t("home_country", lang), key="home_new_country")
        st.text_input(t("home_region", lang), key="home_new_region")
        st.text_input(t("home_iso3", lang), max_chars=ISO3_LETTERS, help=t("home_iso3_help", lang), key="home_new_iso3")
        st.checkbox(t("home_fictional", lang), key="home_new_fictional")
        st.form_submit_button(t("home_create_ministry", lang), on_click=_create_ministry)
    problem = st.session_state.pop("home_new_problem", None)
    if problem:
        st.error(t(problem[0], lang, **(problem[2] if len(problem) > 2 else {})))
        if problem[1]:
            plain(problem[1])


@safe_callback
def _derive_ministry_id() -> None:
    """Fill the id from the name, unless someone typed an id of their own (then it is theirs to keep)."""
    current = st.session_state.get("home_new_id", "").strip()
    if current and current != st.session_state.get("home_new_id_derived"):
        return
    taken = {ministry.id for ministry in state.workspace().ministries()}
    derived = id_from_name(st.session_state.get("home_new_name", ""), taken)
    st.session_state["home_new_id"] = derived
    st.session_state["home_new_id_derived"] = derived


@safe_callback
def _create_ministry() -> None:
    """Create the ministry from the form; on success, filter the table to it."""
    get = st.session_state.get
    ministry_id = get("home_new_id", "").strip()
    name, country = " ".join(get("home_new_name", "").split()), " ".join(get("home_new_country", "").split())
    iso3 = get("home_new_iso3", "").strip().upper() or None
    region = " ".join(get("home_new_region", "").split()) or None
    if not ID.match(ministry_id):
        st.session_state["home_new_problem"] = ("home_bad_ministry_id", None)
        return
    if not name or not country:
        st.session_state["home_new_problem"] = ("home_name_required", None)
        return
    if iso3 is not None and not (len(iso3) == ISO3_LETTERS and iso3.isascii() and iso3.isalpha()):
        st.session_state["home_new_problem"] = ("home_bad_iso3", None)
        return
    ws = state.workspace()
    taken = {existing.id for existing in ws.ministries()}  # an administrator (who alone creates) sees them all
    if ministry_id in taken:
        suggestion = id_from_name(ministry_id, taken)  # the same id with the first free "-2", "-3", ...
        st.session_state["home_new_problem"] = ("home_ministry_exists", None,
                                                {"id": ministry_id, "suggestion": suggestion})
        return
    ministry = Ministry(id=ministry_id, name=name, country=country, iso3=iso3, region=region,
                        fictional=bool(get("home_new_fictional")))
    try:
        ws.create_ministry(ministry)
    except ToolkitError as error:
        st.session_state["home_new_problem"] = ("home_not_created", str(error))
        return
    st.session_state.pop("home_new_id_derived", None)
    for key in ("home_new_id", "home_new_name", "home_new_country", "home_new_region", "home_new_iso3"):
        st.session_state[key] = ""
    st.session_state["home_new_fictional"] = False
    st.session_state["home_ministry"] = ministry_id
    st.session_state["home_round_ministry"] = ministry_id
    st.session_state["home_notice"] = ("home_ministry_created", {"name": name})


run_page(render)
