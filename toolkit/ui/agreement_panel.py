"""The respondents' agreement on a page: alpha overall and per dimension, and the indicators they disagree on.

Shown on the results page of a team round and on the consolidation page; the figures come from
`toolkit.research.agreement`, the same as `ddmt agreement`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from toolkit.i18n import t
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric, text_in
from toolkit.research.agreement import RoundAgreement, round_agreement


def alpha_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def show_agreement(rubric: Rubric, assessment: Assessment, lang: str, *, key: str) -> RoundAgreement:
    """Alpha of the round's responses as a metric and a table; returns the figures for the caller."""
    result = round_agreement(rubric, assessment)
    st.subheader(t("agreement_title", lang))
    st.metric(f"α · {t('agreement_overall', lang)}", alpha_text(result.overall))
    st.caption(t("agreement_caption", lang, level=t("agreement_level_ordinal", lang),
                 respondents=len(result.respondents)))
    titles = {node.id: text_in(node.title, lang) for node in rubric.dimensions}
    st.dataframe(pd.DataFrame({t("agreement_scope", lang): [titles[key_] for key_ in result.dimensions],
                               t("agreement_alpha", lang): [alpha_text(value) for value in result.dimensions.values()]}),
                 hide_index=True, key=f"{key}_alpha")
    flagged = [spread for spread in result.most_disagreed() if spread.flag]
    if flagged:
        st.caption(t("agreement_flagged", lang))
        st.dataframe(pd.DataFrame({
            t("agreement_indicator", lang): [text_in(rubric.indicator(item.indicator).title, lang) for item in flagged],
            t("agreement_range", lang): [item.range for item in flagged],
            t("agreement_levels", lang): [", ".join(f"{who} {level}" for who, level in item.levels.items())
                                          for item in flagged]}), hide_index=True, key=f"{key}_flagged")
    else:
        st.caption(t("agreement_none_flagged", lang))
    return result
