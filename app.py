"""The app's entry point: navigation, session defaults and the shared sidebar; nothing else."""

import streamlit as st

st.set_page_config(page_title="Digital Diplomacy Maturity Toolkit", layout="wide")
st.session_state.setdefault("language", "en")
st.sidebar.radio("Language / Bahasa", ["en", "id"], key="language", horizontal=True)
page = st.navigation([st.Page("toolkit/ui/overview.py", title="Overview", default=True)])
page.run()
