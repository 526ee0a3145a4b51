"""The PDF and HTML report downloads of the export page, with their branding fields.

The consultancy's and the client's names and a logo are asked once; the logo is checked as an
image (`toolkit.reports.branding.load_logo`) and a refused one is named, not used. The previous
round, for the report's trend, defaults to the latest earlier round of the same ministry. Reports
are built only when a button is clicked, from what this person may read at that moment.

Session keys: <page>_prepared_by, <page>_prepared_for, <page>_logo (page: transfer or compare), transfer_previous.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from toolkit.access.workspace import Workspace
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.model.assessment import marked_name
from toolkit.model.catalogue import find_rubric
from toolkit.reports.branding import LOGO_MAX_BYTES, Branding, load_logo
from toolkit.ui.downloads import checked
from toolkit.ui.widgets import plain

NO_PREVIOUS = ""


def branding_fields(lang: str, page: str = "transfer") -> Branding | None:
    """The branding of the reports from the page's fields; None (said on the page) if the logo is refused.

    `page` keeps the keys of the export page's fields apart from the compare page's.
    """
    from toolkit.reports.html import default_branding

    left, right = st.columns(2)
    prepared_by = left.text_input(t("rp_prepared_by", lang), key=f"{page}_prepared_by", max_chars=200)
    prepared_for = right.text_input(t("rp_prepared_for", lang), key=f"{page}_prepared_for", max_chars=200)
    upload = st.file_uploader(t("rp_logo_upload", lang), type=["png", "svg"], key=f"{page}_logo",
                              max_upload_size=max(1, LOGO_MAX_BYTES // 1_000_000))
    branding = default_branding().with_text(prepared_by, prepared_for)
    if upload is None:
        return branding
    try:
        return dataclasses.replace(branding, logo=load_logo(upload.getvalue(), "logo"))
    except ToolkitError as error:
        st.error(t("rp_logo_refused", lang))
        plain(str(error))
        return None


def previous_round(store: Workspace, assessment_id: str, lang: str) -> str:
    """The id of the previous round to compare with in the report ("" for none)."""
    summaries = store.assessments()
    current = next(s for s in summaries if s.id == assessment_id)
    earlier = sorted((s for s in summaries if s.ministry_id == current.ministry_id and s.period < current.period
                      and s.superseded_by is None), key=lambda s: s.period)
    options = [NO_PREVIOUS, *(s.id for s in earlier)]
    labels = {s.id: f"{marked_name(s.ministry_name, s.fictional)} — {s.period}" for s in earlier}
    return st.selectbox(t("rp_previous_round", lang), options, index=len(options) - 1, key="transfer_previous",
                        format_func=lambda key: labels.get(key, t("rp_previous_none", lang)))


def report_bytes(store: Workspace, assessment_id: str, previous_id: str, lang: str, share: str,
                 branding: Branding, kind: str) -> bytes:
    """The assessment report as PDF or HTML bytes, read through this person's workspace now."""
    from toolkit.reports.html import assessment_report_html
    from toolkit.reports.pdf import html_to_pdf

    assessment = store.load(assessment_id)
    rubric = find_rubric(assessment.rubric_id, assessment.rubric_version)
    previous = None
    if previous_id:
        before = store.load(previous_id)
        previous = (before, find_rubric(before.rubric_id, before.rubric_version))
    page, _ = assessment_report_html(assessment, rubric, lang=lang, share=share, branding=branding, previous=previous)
    return html_to_pdf(page) if kind == "pdf" else page.encode("utf-8")


def report_buttons(store: Workspace, assessment_id: str, lang: str, share: str) -> None:
    """Branding fields, the previous round, and the PDF and HTML downloads of the current round."""
    st.caption(t("rp_report_help", lang))
    branding = branding_fields(lang)
    previous_id = previous_round(store, assessment_id, lang)
    if branding is None:
        return
    left, right = st.columns(2)
    left.download_button(t("rp_download_pdf", lang), key="transfer_pdf_one", on_click="ignore",
                         data=checked(lambda ws: report_bytes(ws, assessment_id, previous_id, lang, share, branding,
                                                              "pdf")),
                         file_name=f"{assessment_id}-{lang}.pdf", mime="application/pdf")
    right.download_button(t("rp_download_html", lang), key="transfer_html_one", on_click="ignore",
                          data=checked(lambda ws: report_bytes(ws, assessment_id, previous_id, lang, share, branding,
                                                               "html")),
                          file_name=f"{assessment_id}-{lang}.html", mime="text/html")
