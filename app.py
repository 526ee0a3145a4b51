"""The app's entry point: navigation, session defaults and the shared sidebar; nothing else."""

import streamlit as st

from toolkit.i18n import t

st.set_page_config(page_title="Digital Diplomacy Maturity Toolkit", layout="wide")
st.session_state.setdefault("language", "en")
st.session_state.setdefault("user", "local user")
st.sidebar.radio("Language / Bahasa", ["en", "id"], key="language", horizontal=True,
                 format_func=lambda code: {"en": "English", "id": "Bahasa Indonesia"}[code])
st.sidebar.text_input(t("app_your_name", st.session_state["language"]), key="user", max_chars=80)

language = st.session_state["language"]
pages = [
    st.Page("toolkit/ui/pages/home.py", title=t("app_page_home", language), default=True),
    st.Page("toolkit/ui/pages/assess.py", title=t("app_page_assess", language)),
    st.Page("toolkit/ui/pages/results.py", title=t("app_page_results", language)),
    st.Page("toolkit/ui/pages/compare.py", title=t("app_page_compare", language)),
    st.Page("toolkit/ui/pages/rubric.py", title=t("app_page_rubric", language)),
    st.Page("toolkit/ui/pages/transfer.py", title=t("app_page_transfer", language)),
]
st.navigation(pages).run()
