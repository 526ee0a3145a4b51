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
state.start_user()  # auth none: the name from the link, never an invented default
st.sidebar.radio("Language / Bahasa", ["en", "id"], key="language", horizontal=True,
                 format_func=lambda code: {"en": "English", "id": "Bahasa Indonesia"}[code])
language = state.language()
try:
    config = state.settings()
except ToolkitError as error:  # a wrong access setting: show it and nothing else (fail closed)
    st.error(str(error))
    st.stop()
# toolkit/ui/pages/<name>.py, home first
PAGES = ["home", "assess", "respond", "consolidate", "results", "compare", "rubric", "transfer"]
if not auth.signed_in(config):
    # Every page's address shows the sign-in page: a link to /assess?assessment=... opened before
    # signing in is not "page not found" (a dialog over the sign-in page), and the address stays.
    title = t("auth_title", language)
    door = [st.Page(auth.sign_in_page, title=title, default=True),
            *(st.Page(auth.sign_in_page, title=title, url_path=name) for name in PAGES[1:])]
    st.navigation(door, position="hidden").run()
    st.stop()
auth.sidebar(config, language)
pages = [st.Page(f"toolkit/ui/pages/{name}.py", title=t(f"app_page_{name}", language), default=name == PAGES[0])
         for name in PAGES]
page = st.navigation(pages)
state.keep_language_in_url()  # after st.navigation, which drops the query parameters on a page change
page.run()
