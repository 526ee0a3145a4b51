"""The evidence section of an indicator card: the items kept for the answer, and the form to add one.

Links, texts and files are added and removed through `answer_sync.write`, with the same version
check as the answer's other fields: a conflict is shown on the card like any other.

Session keys (`<a>` the assessment id, `<i>` the indicator id):
    assess_evopen_<a>_<i>             whether the section is open
    assess_evkind_<a>_<i>, assess_evurl_*, assess_evtext_*, assess_evdesc_*, assess_evsens_*, assess_evfile<n>_*
                                      the form: kind, link, text, description, sensitivity, file
    assess_notice_<a>_<i>             an i18n key to show on the card (a refused URL, an empty text)
    assess_everror_<a>_<i>            why an evidence change was not saved (StorageError)
    assess_evnonce_<a>_<i>            bumps the file uploader's key to clear it after an upload
"""

from __future__ import annotations

import streamlit as st

from toolkit.access.roles import AccessDenied
from toolkit.access.workspace import Workspace
from toolkit.i18n import t
from toolkit.model.assessment import SENSITIVITIES, Evidence
from toolkit.model.links import broken_link
from toolkit.store.store import StorageError
from toolkit.ui import state
from toolkit.ui.answer_sync import Card, write
from toolkit.ui.downloads import checked
from toolkit.ui.widgets import now_iso, plain, safe_callback, safe_file_name, url_problem, when


def evidence_section(card: Card, items: tuple[Evidence, ...], lang: str) -> None:
    """The card's evidence behind a toggle; the add form and remove buttons only on an editable card."""
    # A toggle rather than an expander: its widgets are only built while it is on, which keeps a
    # rerun of a dimension's cards fast, and it stays on across reruns.
    if not st.toggle(t("assess_evidence_count", lang, count=len(items)), key=card.key("evopen")):
        return
    with st.container(border=True):
        ws = state.workspace()
        held = ws.held_files(card.assessment_id) if any(item.kind == "file" for item in items) else set()
        for index, item in enumerate(items):
            _evidence_item(ws, card, index, item, item.sha256 in held, lang)
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


def _evidence_item(ws: Workspace, card: Card, index: int, item: Evidence, held: bool, lang: str) -> None:
    with st.container(border=True):
        body, actions = st.columns([5, 1])
        with body:
            shown = item.value if item.kind != "file" else (item.name or item.sha256 or "")
            plain(f"{t(f'evidence_{item.kind}', lang)}: {shown}")
            if item.kind == "file" and not held:
                plain(t("evidence_file_not_included", lang))
            if item.description:
                plain(item.description)
            details = [t(f"sensitivity_{item.sensitivity}", lang)]
            if item.added_by:
                details.append(t("assess_added_by", lang, user=item.added_by, time=when(item.added_at, lang)))
            plain(" · ".join(details))
        with actions:
            if item.kind == "url" and item.value and url_problem(item.value) is None:
                st.link_button(t("assess_open_link", lang), item.value.strip())
            if item.kind == "file" and item.sha256 and held:
                st.download_button(t("assess_download", lang), data=_file_reader(card.assessment_id, item.sha256),
                                   file_name=safe_file_name(item.name or item.sha256),
                                   key=card.key(f"evget{index}"), on_click="ignore")
            if card.editable:
                st.button(t("assess_remove", lang), key=card.key(f"evdel{index}"), on_click=_remove_evidence,
                          args=(card, index))


def _file_reader(assessment_id: str, sha256: str):
    """Read an evidence file only when it is downloaded, with the person's access checked then."""
    return checked(lambda ws: ws.evidence_file(assessment_id, sha256))


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
        if broken_link(value):  # kept as text it would lift the evidence cap with nothing to open
            ss[card.key("notice")] = "assess_text_is_link"
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
    saved = write(card, None, lambda ws, version: ws.add_evidence(
        card.assessment_id, card.indicator_id, evidence, expected_version=version),
        conflict_detail={"evidence": evidence})
    if saved:
        ss[card.key("evurl")] = ""
        ss[card.key("evtext")] = ""
        ss[card.key("evdesc")] = ""
        ss[card.key("evnonce")] = ss.get(card.key("evnonce"), 0) + 1


@safe_callback
def _remove_evidence(card: Card, index: int) -> None:
    write(card, None, lambda ws, version: ws.remove_evidence(
        card.assessment_id, card.indicator_id, index, expected_version=version),
        conflict_detail={"remove": index})
