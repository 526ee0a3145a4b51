"""On the assess page: a round on an older rubric version, with its Migrate action; carried answers to confirm.

Both act through `state.workspace()`, which checks the role again on the server (the assessor or
admin role, like every change of answers); the controls shown here only follow what the person may do.

Session keys (`<a>` the assessment id, `<i>` the indicator id):
    assess_migrate_<a>             the Migrate button
    assess_migrated_<a>            the report of the migration just made, shown once
    assess_migrate_failed_<a>      why a migration was refused
    assess_confirm_<a>_<i>         a carried answer's Confirm button
    assess_confirm_failed_<a>      why a confirmation was refused
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from toolkit.access.roles import EDIT
from toolkit.access.workspace import Workspace
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric, list_rubrics
from toolkit.store.carry import CarriedMark
from toolkit.store.review import VersionInfo
from toolkit.store.store import StoredAnswer
from toolkit.ui import state
from toolkit.ui.answer_sync import Card
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import plain, safe_callback


def newer_version(rubric_id: str, version: str) -> str | None:
    """The newest shipped version of the rubric that takes answers of `version`, if one is newer."""
    for found_id, found_version, _ in reversed(list_rubrics()):
        if found_id != rubric_id:
            continue
        if found_version == version:
            return None  # the versions below are older
        try:
            if find_rubric(found_id, found_version).migration_from(version) is not None:
                return found_version
        except ToolkitError:
            continue
    return None


def banner(ws: Workspace, assessment: Assessment, info: VersionInfo, editable: bool, lang: str) -> None:
    """"This round uses rubric X" and the Migrate action, when a newer version can take its answers."""
    assessment_id = assessment.id
    report = st.session_state.pop(f"assess_migrated_{assessment_id}", None)
    if report:
        st.success(t("upgrade_done", lang, **report))
    latest = None if info.superseded else newer_version(assessment.rubric_id, assessment.rubric_version)
    if latest is None:
        return
    with st.container(border=True, key=f"assess_upgrade_{assessment_id}"):
        st.warning(t("upgrade_uses", lang, version=assessment.rubric_version))
        st.caption(t("upgrade_available", lang, latest=latest))
        failed = st.session_state.pop(f"assess_migrate_failed_{assessment_id}", None)
        if failed:
            st.error(t("upgrade_failed", lang))
            plain(failed)
        if editable:
            st.button(t("upgrade_migrate", lang, latest=latest), key=f"assess_migrate_{assessment_id}",
                      type="primary", on_click=_migrate, args=(assessment_id, latest))
        elif ws.principal.can(EDIT, assessment.ministry.id):
            st.caption(t("upgrade_reopen_first", lang))
        else:
            st.caption(t("upgrade_no_role", lang))


@safe_callback
def _migrate(assessment_id: str, version: str) -> None:
    try:
        report = state.workspace().migrate(assessment_id, version)
    except ToolkitError as error:
        st.session_state[f"assess_migrate_failed_{assessment_id}"] = str(error)
        return
    st.session_state[f"assess_migrated_{assessment_id}"] = {
        "version": report.target_version, "carried": len(report.carried), "remapped": len(report.remapped),
        "dropped": len(report.dropped), "to_answer": len(report.to_answer)}


def carried_notice(card: Card, mark: CarriedMark | None, lang: str) -> None:
    """"Carried from 2025: confirm or change", with the Confirm button where the person may change answers."""
    if mark is None:
        return
    st.info(t("carried_notice", lang, period=escape_markdown(mark.from_period)))
    failed = st.session_state.pop(f"assess_confirm_failed_{card.assessment_id}_{card.indicator_id}", None)
    if failed:
        st.error(t("carried_not_confirmed", lang))
        plain(failed)
    if card.editable:
        st.button(t("carried_confirm", lang), key=f"assess_confirm_{card.assessment_id}_{card.indicator_id}",
                  on_click=_confirm, args=(card.assessment_id, card.indicator_id))


@safe_callback
def _confirm(assessment_id: str, indicator_id: str) -> None:
    try:
        state.workspace().confirm_carried(assessment_id, [indicator_id])
    except ToolkitError as error:
        st.session_state[f"assess_confirm_failed_{assessment_id}_{indicator_id}"] = str(error)


def progress_text(answered: int, applicable: int, ids: list[str], answers: Mapping[str, StoredAnswer],
                  carried: Mapping[str, CarriedMark], lang: str) -> str | None:
    """The progress bar's words with confirmed and carried counts, for a round with answers carried."""
    if not carried:
        return None
    still = sum(1 for indicator_id in ids if indicator_id in carried and indicator_id in answers
                and answers[indicator_id].answer.status == "answered")
    return t("carried_progress", lang, answered=answered, applicable=applicable, confirmed=answered - still,
             carried=still)
