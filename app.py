"""The app's entry point: navigation, session defaults and the shared sidebar; nothing else.

With `auth` password or oidc (toolkit/settings.py) the only page is the sign-in page until someone
signs in; every page checks that person's roles again through `state.workspace()`.
"""

import streamlit as st

from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.ui import auth, state

st.set_page_config(page_title="Digital Diplomacy Maturity Toolkit", layout="wide")
state.start_language()
st.session_state.setdefault("user", "local user")
st.sidebar.radio("Language / Bahasa", ["en", "id"], key="language", horizontal=True,
                 format_func=lambda code: {"en": "English", "id": "Bahasa Indonesia"}[code])
language = state.language()
try:
    config = state.settings()
except ToolkitError as error:  # a wrong access setting: show it and nothing else (fail closed)
    st.error(str(error))
    st.stop()
if not auth.signed_in(config):
    st.navigation([st.Page(auth.sign_in_page, title=t("auth_title", language))]).run()
    st.stop()
auth.sidebar(config, language)
pages = [
    st.Page("toolkit/ui/pages/home.py", title=t("app_page_home", language), default=True),
    st.Page("toolkit/ui/pages/assess.py", title=t("app_page_assess", language)),
    st.Page("toolkit/ui/pages/results.py", title=t("app_page_results", language)),
    st.Page("toolkit/ui/pages/compare.py", title=t("app_page_compare", language)),
    st.Page("toolkit/ui/pages/rubric.py", title=t("app_page_rubric", language)),
    st.Page("toolkit/ui/pages/transfer.py", title=t("app_page_transfer", language)),
]
page = st.navigation(pages)
state.keep_language_in_url()  # after st.navigation, which drops the query parameters on a page change
page.run()
