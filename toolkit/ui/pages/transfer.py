"""Import and export: assessments in, as JSON or a filled questionnaire workbook (checked and previewed
before anything is written), and out, as JSON, the consultant workbook, the scores as CSV and a blank
questionnaire, each export at a chosen sharing level.

A questionnaire made for one respondent of a team round (SPEC 12) goes, when uploaded, to that
respondent's response in its round, never to the round's answers: the preview says whose it is, and
only the round's facilitator may import it. The facilitator downloads one such copy per respondent
of the current round.

Session keys: transfer_share (the sharing level of the exports), transfer_upload<n> (the file uploader; <n> is transfer_nonce, bumped to clear it after
an import), transfer_done (the id of the assessment just imported), transfer_not_included (how many of its files its ministry does not hold), transfer_failed (why an import
did not happen), transfer_response_done (what a respondent's copy updated), transfer_respondent (the respondent whose copy to download).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from toolkit.access.roles import CREATE_ROUND
from toolkit.access.team import TeamRound
from toolkit.access.workspace import Workspace
from toolkit.errors import DocumentError, ToolkitError
from toolkit.i18n import t
from toolkit.io.imports import import_workbook
from toolkit.io.respondent_copies import CopyTarget, copy_of, import_response
from toolkit.io.template import RespondentCopy, questionnaire_bytes
from toolkit.model import jsonio
from toolkit.model.assessment import Response, marked_name
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import validate_file
from toolkit.reports.assessment_workbook import assessment_workbook_bytes
from toolkit.reports.sharing import DEFAULT_SHARE, SHARE_LEVELS, share_document
from toolkit.store.store import Store
from toolkit.ui import state
from toolkit.ui.downloads import checked
from toolkit.ui.report_downloads import report_buttons
from toolkit.ui.widgets import (
    documents_zip,
    issues_frame,
    plain,
    run_page,
    safe_callback,
    safe_file_name,
    scores_csv,
)

IMPORT_MAX_MB = 20


def render() -> None:
    lang = state.language()
    ws = state.workspace()  # only the ministries this person sees, and imports only where they may start rounds
    st.title(t("transfer_title", lang))
    if ws.principal.is_admin or any(ws.can_on_ministry(CREATE_ROUND, item.id) for item in ws.ministries()):
        _import(ws, lang)
        st.divider()
    _export(ws, lang)


# --- import -------------------------------------------------------------------------------------------

def check_upload(store: Store | Workspace, data: bytes, name: str) -> tuple[dict[str, Any] | None, list[tuple[str, str, str]]]:
    """The parsed assessment and every located problem (file, place, message); nothing is written.

    A name ending in .xlsx is read as a filled questionnaire (problems by sheet and cell, in the
    workbook's own language, whatever the app's: the person who filled it in reads them), anything
    else as an assessment JSON document (problems by JSON path).
    """
    if name.lower().endswith(".xlsx"):
        try:
            doc = import_workbook(data, name, lang=state.language())
        except DocumentError as error:
            return None, [(issue.file, issue.where, issue.message) for issue in error.issues]
        except ToolkitError as error:
            return None, [(name, "", str(error))]
        if any(summary.id == doc["id"] for summary in store.assessments()):
            return None, [(name, "$.id", t("transfer_exists", state.language(), id=doc["id"]))]
        return doc, []
    with tempfile.TemporaryDirectory(prefix="ddmt-upload-") as folder:
        path = Path(folder) / "upload.json"
        path.write_bytes(data)
        report = validate_file(path, name=name)
    problems = [(issue.file, issue.where, issue.message) for issue in report.issues]
    if problems:
        return None, problems
    if report.kind != "assessment":
        return None, [(name, "$.kind", t("transfer_not_assessment", state.language(), kind=report.kind or "?"))]
    doc = jsonio.parse_json(data, name)  # valid: parsing again cannot fail
    if any(summary.id == doc["id"] for summary in store.assessments()):
        return None, [(name, "$.id", t("transfer_exists", state.language(), id=doc["id"]))]
    return doc, []


def check_response_upload(ws: Workspace, data: bytes, name: str,
                          target: CopyTarget) -> tuple[Response | None, list[tuple[str, str, str]]]:
    """A respondent's copy checked against its round: the response it becomes, or every located problem."""
    team = TeamRound(ws)
    if not team.is_facilitator(target.round_id):  # a missing round and another ministry's read the same
        return None, [(name, target.round_place, t("transfer_response_no_round", state.language(),
                                                   round=target.round_id))]
    try:
        round_ = ws.load(target.round_id)
        rubric = find_rubric(round_.rubric_id, round_.rubric_version)
        known = [record.respondent for record in team.respondents(target.round_id)]
        return import_response(data, name, round_, rubric, respondents=known), []
    except DocumentError as error:
        return None, [(issue.file, issue.where, issue.message) for issue in error.issues]
    except ToolkitError as error:
        return None, [(name, "", str(error))]


def _upload_key() -> str:
    return f"transfer_upload{st.session_state.get('transfer_nonce', 0)}"


def _import(store: Workspace, lang: str) -> None:
    st.header(t("transfer_import", lang))
    done = st.session_state.get("transfer_done")
    if done:
        st.success(t("transfer_imported", lang))
        plain(done)
        st.info(t("transfer_imported_as_draft", lang))
        not_included = st.session_state.get("transfer_not_included", 0)
        if not_included:
            st.warning(t("transfer_files_not_included", lang, count=not_included))
        if st.button(t("transfer_open", lang), key="transfer_open"):
            st.session_state.pop("transfer_done", None)
            state.open_assessment(done)
    response_done = st.session_state.get("transfer_response_done")
    if response_done:
        st.success(t("transfer_response_imported", lang, **response_done))
    failed = st.session_state.pop("transfer_failed", None)
    if failed:
        st.error(t("transfer_not_imported", lang))
        plain(failed)
    upload = st.file_uploader(t("transfer_upload", lang, limit=IMPORT_MAX_MB), type=["json", "xlsx"],
                              max_upload_size=IMPORT_MAX_MB, key=_upload_key())
    if upload is None:
        return
    st.session_state.pop("transfer_done", None)
    st.session_state.pop("transfer_response_done", None)
    name = jsonio.display_name(safe_file_name(upload.name, "upload.json"))
    if name.lower().endswith(".xlsx") != upload.name.lower().endswith(".xlsx"):
        name = "upload.xlsx" if upload.name.lower().endswith(".xlsx") else "upload.json"
    target = copy_of(upload.getvalue(), name) if name.lower().endswith(".xlsx") else None
    if target is not None:
        _response_preview(store, upload.getvalue(), name, target, lang)
        return
    _, problems = check_upload(store, upload.getvalue(), name)
    if problems:
        st.error(t("transfer_problems", lang, count=len(problems)))
        st.dataframe(issues_frame(problems, lang), hide_index=True)
        st.button(t("transfer_import_button", lang), disabled=True, key="transfer_import_disabled")
        return
    st.success(t("transfer_valid", lang))
    if not state.ask_name(lang):  # importing writes a round: a name for the audit trail first (auth none)
        return
    st.button(t("transfer_import_button", lang), type="primary", key="transfer_import",
              on_click=_do_import, args=(name,))


def _response_preview(ws: Workspace, data: bytes, name: str, target: CopyTarget, lang: str) -> None:
    """A respondent's copy: whose it is and what importing it replaces, or its problems."""
    response, problems = check_response_upload(ws, data, name, target)
    if response is None:
        st.error(t("transfer_problems", lang, count=len(problems)))
        st.dataframe(issues_frame(problems, lang), hide_index=True)
        st.button(t("transfer_import_button", lang), disabled=True, key="transfer_import_disabled")
        return
    st.info(t("transfer_response_preview", lang, name=response.respondent.name, id=response.respondent.id,
              round=target.round_id, count=len(response.answers)))
    if not state.ask_name(lang):  # importing writes the response: a name for the audit trail first (auth none)
        return
    st.button(t("transfer_response_button", lang, name=response.respondent.name), type="primary",
              key="transfer_import", on_click=_do_import_response, args=(name,))


@safe_callback
def _do_import_response(name: str) -> None:
    """Check the respondent's copy once more and put it as their response; the uploader is cleared on success."""
    ss = st.session_state
    upload = ss.get(_upload_key())
    if upload is None:
        return
    ws = state.workspace()
    target = copy_of(upload.getvalue(), name)
    response, problems = check_response_upload(ws, upload.getvalue(), name, target) if target else (None, [])
    if response is None or target is None:
        ss["transfer_failed"] = "; ".join(message for _, _, message in problems)
        return
    try:
        count = TeamRound(ws).put_response(target.round_id, response, source=name)
    except ToolkitError as error:
        ss["transfer_failed"] = str(error)
        return
    ss["transfer_response_done"] = {"name": response.respondent.name, "round": target.round_id, "count": count}
    ss["transfer_nonce"] = ss.get("transfer_nonce", 0) + 1


@safe_callback
def _do_import(name: str) -> None:
    """Check the upload once more and import it; the uploader is cleared on success."""
    ss = st.session_state
    upload = ss.get(_upload_key())
    if upload is None:
        return
    store = state.workspace()
    doc, problems = check_upload(store, upload.getvalue(), name)
    if doc is None:
        ss["transfer_failed"] = "; ".join(message for _, _, message in problems)
        return
    try:
        outcome = store.import_round(doc, name=name)
    except ToolkitError as error:
        ss["transfer_failed"] = str(error)
        return
    ss["transfer_done"] = outcome.id
    ss["transfer_not_included"] = len(outcome.files_not_included)
    ss["transfer_nonce"] = ss.get("transfer_nonce", 0) + 1


# --- export -------------------------------------------------------------------------------------------

def _export(store: Workspace, lang: str) -> None:
    st.header(t("transfer_export", lang))
    share = st.selectbox(t("transfer_share", lang), SHARE_LEVELS, index=SHARE_LEVELS.index(DEFAULT_SHARE),
                         format_func=lambda level: t(f"transfer_share_{level}", lang), key="transfer_share")
    assessment_id = state.assessment_id()
    current = next((summary for summary in store.assessments() if summary.id == assessment_id), None)
    if current is not None:
        st.subheader(t("transfer_current", lang))
        plain(f"{marked_name(current.ministry_name, current.fictional)} — {current.period} ({t(f'status_{current.status}', lang)}) · "
              f"{assessment_id}")
        left, middle, right = st.columns(3)
        left.download_button(t("transfer_json", lang), data=checked(lambda ws: _shared_json(ws, assessment_id, share)),
                             file_name=f"{assessment_id}.json", mime="application/json",
                             key="transfer_json_one", on_click="ignore")
        middle.download_button(t("transfer_workbook", lang),
                               data=checked(lambda ws: _workbook(ws, assessment_id, lang, share)),
                               file_name=f"{assessment_id}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key="transfer_xlsx_one", on_click="ignore")
        right.download_button(t("transfer_csv", lang), data=scores_csv(store, [assessment_id]),
                              file_name=f"{assessment_id}-scores.csv", mime="text/csv",
                              key="transfer_csv_one", on_click="ignore")
        st.subheader(t("rp_report_heading", lang))
        report_buttons(store, assessment_id, lang, share)
        _respondent_copies(store, assessment_id, lang)
    else:
        st.info(t("transfer_no_current", lang))
    st.subheader(t("transfer_questionnaire", lang))
    st.caption(t("transfer_questionnaire_help", lang))
    rubric = _latest_rubric()
    st.download_button(t("transfer_questionnaire_button", lang), data=lambda: questionnaire_bytes(rubric, lang),
                       file_name=f"questionnaire-{rubric.id}-{rubric.version}-{lang}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="transfer_questionnaire", on_click="ignore")
    st.subheader(t("transfer_all", lang))
    left, right = st.columns(2)
    # Built only when clicked (every assessment is read and scored), for the rounds the person sees then.
    left.download_button(t("transfer_json_all", lang), data=checked(documents_zip),
                         file_name="assessments.zip", mime="application/zip",
                         key="transfer_json_all", on_click="ignore")
    right.download_button(t("transfer_csv_all", lang),
                          data=checked(lambda ws: scores_csv(ws, [summary.id for summary in ws.assessments()])),
                          file_name="scores.csv", mime="text/csv", key="transfer_csv_all", on_click="ignore")


def _respondent_copies(ws: Workspace, assessment_id: str, lang: str) -> None:
    """For the round's facilitator: a questionnaire per respondent, coming back as their response only."""
    team = TeamRound(ws)
    if not team.is_facilitator(assessment_id):
        return
    records = team.respondents(assessment_id)
    if not records:
        return
    st.subheader(t("transfer_respondent_heading", lang))
    st.caption(t("transfer_respondent_help", lang))
    chosen = st.selectbox(t("transfer_respondent", lang), [record.id for record in records], key="transfer_respondent",
                          format_func=lambda key: next(f"{record.respondent.name} ({key})" for record in records
                                                       if record.id == key))
    st.download_button(t("transfer_respondent_button", lang),
                       data=checked(lambda ws: _respondent_copy(ws, assessment_id, chosen, lang)),
                       file_name=f"questionnaire-{assessment_id}-{chosen}-{lang}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="transfer_respondent_copy", on_click="ignore")


def _respondent_copy(ws: Workspace, assessment_id: str, respondent_id: str, lang: str) -> bytes:
    """The questionnaire of one respondent of the round, access checked when it is made."""
    team = TeamRound(ws)
    if not team.is_facilitator(assessment_id):
        raise ToolkitError(t("transfer_response_no_round", lang, round=assessment_id))
    round_ = ws.load(assessment_id)
    record = next(item for item in team.respondents(assessment_id) if item.id == respondent_id)
    copy = RespondentCopy(round_.id, round_.ministry, round_.period, record.respondent)
    return questionnaire_bytes(find_rubric(round_.rubric_id, round_.rubric_version), lang, copy)


def _shared_json(store: Workspace, assessment_id: str, share: str) -> str:
    """The assessment document without evidence above the sharing level; the scores are unaffected."""
    doc, _ = share_document(store.to_document(assessment_id), share)
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _workbook(store: Workspace, assessment_id: str, lang: str, share: str) -> bytes:
    assessment = store.load(assessment_id)
    rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
    return assessment_workbook_bytes(assessment, rubric, lang=lang, share=share)


def _latest_rubric():
    """The newest shipped default rubric, which new rounds and the blank questionnaire use."""
    from toolkit.model.catalogue import list_rubrics

    rubric_id, version, _ = [entry for entry in list_rubrics() if entry[0] == "digital-diplomacy"][-1]
    return find_rubric(rubric_id, version)


run_page(render)
