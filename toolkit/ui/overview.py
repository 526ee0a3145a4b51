"""Overview page: the sample ministries' scores, until the assessment pages arrive."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from toolkit.commands import load_assessments
from toolkit.i18n import t
from toolkit.rubric import text_in
from toolkit.scoring import score

SAMPLES = Path(__file__).resolve().parents[2] / "sample_ministries"


@st.cache_data(show_spinner=False)
def sample_table(language: str) -> pd.DataFrame:
    """Scores of the shipped sample ministries; public, fictional data, so caching it is safe."""
    loaded = load_assessments(sorted(SAMPLES.glob("*.json")), None)
    rubric = loaded[0][1]
    result = score(rubric, [assessment for assessment, _ in loaded])
    rows = []
    for (assessment, _), record in zip(loaded, result.to_records(), strict=True):
        stage = rubric.stage_for(record["overall"]["score"])
        rows.append({
            t("ministry", language): assessment.ministry.name + (" †" if assessment.ministry.fictional else ""),
            t("period", language): assessment.period,
            t("overall", language): record["overall"]["score"],
            t("evidence_backed", language): record["overall"]["evidence_score"],
            t("stage", language): text_in(stage.label, language) if stage else "—",
            t("complete", language): record["overall"]["completeness"],
        })
    return pd.DataFrame(rows)


def render() -> None:
    language = st.session_state.get("language", "en")
    st.title("Digital Diplomacy Maturity Toolkit")
    st.caption(t("fictional_note", language))
    st.dataframe(sample_table(language), hide_index=True, column_config={
        t("overall", language): st.column_config.NumberColumn(format="%.1f"),
        t("evidence_backed", language): st.column_config.NumberColumn(format="%.1f"),
        t("complete", language): st.column_config.ProgressColumn(min_value=0, max_value=1, format="percent"),
    })


render()
