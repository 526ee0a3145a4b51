"""Rubric: browse a shipped rubric's tree with its descriptors, or validate an uploaded rubric file.

Rubric texts come from files (an uploaded one may be hostile), so they reach the page only through
st.text, st.dataframe and escaped labels: never as markdown or HTML.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from toolkit.errors import DocumentError, ToolkitError
from toolkit.i18n import t
from toolkit.issues import Report
from toolkit.model import jsonio
from toolkit.model.catalogue import find_rubric, list_rubrics
from toolkit.model.documents import validate_rubric
from toolkit.model.rubric import Indicator, Node, Rubric, text_in
from toolkit.model.validation import kind_issues
from toolkit.ui.state import language
from toolkit.ui.text import escape_markdown
from toolkit.ui.widgets import issues_frame, run_page

MAX_UPLOAD_MB = max(1, jsonio.MAX_BYTES // 1_000_000)


def overview(rubric: Rubric, lang: str, prefix: str) -> None:
    """Title, description, counts, the scale and the stages."""
    st.subheader(escape_markdown(f"{text_in(rubric.title, lang)} · {rubric.id} {rubric.version}"))
    if rubric.description:
        st.text(text_in(rubric.description, lang))
    cols = st.columns(4)
    cols[0].metric(t("rubric_dimensions", lang), len(rubric.dimensions))
    cols[1].metric(t("rubric_indicators", lang), sum(1 for _ in rubric.indicators()))
    cols[2].metric(t("rubric_languages", lang), ", ".join(rubric.languages))
    cols[3].metric(t("rubric_evidence_cap", lang),
                   "—" if rubric.unsupported_cap is None else rubric.unsupported_cap,
                   help=t("rubric_evidence_cap_help", lang))
    left, right = st.columns(2)
    left.dataframe(pd.DataFrame({
        t("rubric_level", lang): [level.value for level in rubric.scale],
        t("rubric_label", lang): [text_in(level.label, lang) for level in rubric.scale],
    }), hide_index=True, key=f"{prefix}_scale")
    right.dataframe(pd.DataFrame({
        t("stage", lang): [text_in(stage.label, lang) for stage in rubric.stages],
        t("rubric_from_score", lang): [stage.min_score for stage in rubric.stages],
        t("rubric_description", lang): [text_in(stage.description, lang) for stage in rubric.stages],
    }), hide_index=True, key=f"{prefix}_stages")


def node_heading(node: Node, lang: str) -> str:
    """An expander or heading label for a node: its title, weight and aggregation, escaped."""
    extra = t("rubric_weight", lang, weight=f"{node.weight:g}")
    if node.aggregation != "arithmetic":
        extra += f", {node.aggregation}"
    return escape_markdown(f"{text_in(node.title, lang)} ({extra})")


def show_indicator(rubric: Rubric, indicator: Indicator, lang: str, key: str) -> None:
    """One indicator: question, guidance, tags, then descriptors (level) or unit and goalposts (metric)."""
    with st.container(border=True):
        st.markdown("**" + escape_markdown(text_in(indicator.title, lang)) + "**")
        st.caption(escape_markdown(f"{indicator.id} · " + t("rubric_weight", lang, weight=f"{indicator.weight:g}")))
        st.text(text_in(indicator.question, lang))
        if indicator.guidance:
            st.text(t("rubric_guidance", lang) + ": " + text_in(indicator.guidance, lang))
        if indicator.tags:
            st.text(t("rubric_tags", lang) + ": " + ", ".join(indicator.tags))
        if indicator.is_metric:
            if indicator.direction >= 0:
                direction = t("rubric_higher_better", lang)
            else:
                direction = t("rubric_lower_better", lang)
            if indicator.goalposts:
                low, high = indicator.goalposts
                goalposts = t("rubric_goalposts", lang, low=f"{low:g}", high=f"{high:g}")
            else:
                goalposts = t("rubric_no_goalposts", lang)
            st.text(f"{t('rubric_unit', lang)}: {text_in(indicator.unit, lang)} · {direction} · {goalposts}")
        else:
            values = sorted(indicator.levels)
            st.dataframe(pd.DataFrame({
                t("rubric_level", lang): values,
                t("rubric_label", lang): [rubric.level_label(value, lang) for value in values],
                t("rubric_descriptor", lang): [text_in(indicator.levels[v].descriptor, lang) for v in values],
                t("rubric_evidence_hint", lang): [text_in(indicator.levels[v].evidence_hint, lang) for v in values],
            }), hide_index=True, key=key, column_config={
                t("rubric_descriptor", lang): st.column_config.TextColumn(width="large"),
                t("rubric_evidence_hint", lang): st.column_config.TextColumn(width="large"),
            })
        if indicator.evidence_hint:
            st.text(t("rubric_evidence_hint", lang) + ": " + text_in(indicator.evidence_hint, lang))


def show_node(rubric: Rubric, node: Node, lang: str, prefix: str) -> None:
    """A node's description, its sub-dimensions (headings: expanders cannot nest), then its indicators."""
    if node.description:
        st.text(text_in(node.description, lang))
    for child in node.dimensions:
        st.markdown("**" + node_heading(child, lang) + "**")
        show_node(rubric, child, lang, prefix)
    for indicator in node.indicators:
        show_indicator(rubric, indicator, lang, key=f"{prefix}_levels_{indicator.id}")


def tree(rubric: Rubric, lang: str, prefix: str) -> None:
    """The whole rubric: one expander per top-level dimension."""
    for node in rubric.dimensions:
        with st.expander(node_heading(node, lang)):
            show_node(rubric, node, lang, prefix)


def check_upload(data: bytes, name: str) -> tuple[Report, dict | None]:
    """Parse (within jsonio's limits) and validate an uploaded rubric; the document when it is valid."""
    try:
        doc = jsonio.parse_json(data, name)
    except DocumentError as error:
        return Report(jsonio.display_name(name), None, tuple(error.issues)), None
    if not isinstance(doc, dict):  # validate_rubric would take a string for a path, a number for a file handle
        shown = jsonio.display_name(name)
        return Report(shown, None, tuple(kind_issues(doc, shown))), None
    report = validate_rubric(doc, name=name)
    return report, doc if report.valid else None


def browse_section(lang: str) -> None:
    """Choose a shipped rubric (the newest by default) and show it."""
    found = list_rubrics()
    if not found:
        st.info(t("rubric_none", lang))
        return
    choices = [(rubric_id, version) for rubric_id, version, _ in found]
    chosen = st.selectbox(t("rubric_choose", lang), choices, index=len(choices) - 1, key="rubric_choice",
                          format_func=lambda choice: f"{choice[0]} {choice[1]}")
    try:
        rubric = find_rubric(*chosen)
    except ToolkitError as error:
        st.error(t("rubric_unavailable", lang))
        st.text(str(error))
        return
    overview(rubric, lang, "rubric_shipped")
    tree(rubric, lang, "rubric_shipped")


def upload_section(lang: str) -> None:
    """Validate an uploaded rubric: its located problems, or a summary and its tree."""
    st.subheader(t("rubric_validate", lang))
    upload = st.file_uploader(t("rubric_upload", lang), type=["json"], key="rubric_upload",
                              max_upload_size=MAX_UPLOAD_MB, help=t("rubric_upload_help", lang))
    if upload is None:
        return
    report, doc = check_upload(upload.getvalue(), upload.name)
    if doc is None:
        st.error(t("rubric_invalid", lang, count=len(report.issues)))
        st.dataframe(issues_frame(report.issues, lang), hide_index=True, key="rubric_issues")
        return
    rubric = Rubric.from_dict(doc)
    st.success(t("rubric_valid", lang))
    nodes = sum(1 for _ in rubric.nodes())
    st.text(t("rubric_valid_summary", lang, id=rubric.id, version=rubric.version, dimensions=len(rubric.dimensions),
              nodes=nodes, indicators=sum(1 for _ in rubric.indicators())))
    if st.toggle(t("rubric_browse_uploaded", lang), key="rubric_browse_uploaded"):
        overview(rubric, lang, "rubric_uploaded")
        tree(rubric, lang, "rubric_uploaded")


def main() -> None:
    """Two tabs: browse a shipped rubric, validate an uploaded one."""
    lang = language()
    st.title(t("rubric_title", lang))
    browse, validate = st.tabs([t("rubric_tab_browse", lang), t("rubric_tab_validate", lang)])
    with browse:
        browse_section(lang)
    with validate:
        upload_section(lang)


run_page(main)
