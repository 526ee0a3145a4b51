"""The app's pages: scripts that `st.navigation` runs (app.py wires them with `st.Page`), not modules
to import. Each one renders on every run through `toolkit.ui.widgets.run_page`, which turns an
unexpected error into a short message. Shared session helpers live in `toolkit.ui.state`.
"""
