"""The answers' history from the audit trail: one card's changes, and the whole assessment's.

Session keys (`<a>` the assessment id, `<i>` the indicator id):
    assess_history_<a>_<i>            whether a card shows its history (the toggle is drawn by the card)
    assess_history_all_<a>            whether the assessment's history is shown
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from toolkit.i18n import t
from toolkit.model.rubric import Rubric, text_in
from toolkit.ui import state
from toolkit.ui.widgets import guarded, when


def history_table(assessment_id: str, indicator_id: str | None, rubric: Rubric, lang: str) -> None:
    """The changes newest first: to one indicator, or (indicator_id None) to every indicator, named."""
    entries = state.workspace().history(assessment_id, indicator_id)
    if not entries:
        st.caption(t("assess_no_history", lang))
        return
    titles = {indicator.id: text_in(indicator.title, lang) for indicator in rubric.indicators()}
    rows = []
    for entry in reversed(entries):  # newest first
        row = {t("assess_when", lang): when(entry.at, lang), t("assess_who", lang): entry.user}
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


@st.fragment
def assessment_history(assessment_id: str, rubric: Rubric, lang: str) -> None:
    """The whole assessment's history at the foot of the page, read from the store only when shown.

    A fragment: showing or hiding it reruns this section only, not the page with every card.
    """
    st.divider()
    st.subheader(t("assess_history_all", lang))
    if st.toggle(t("assess_history_show", lang), key=f"assess_history_all_{assessment_id}"):
        guarded(lambda: history_table(assessment_id, None, rubric, lang))
