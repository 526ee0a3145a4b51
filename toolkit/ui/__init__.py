"""The Streamlit pages and their widgets: the only package of the toolkit that imports Streamlit.

Layer 5. May import: reports, io, access, store, research, engine, model, errors, issues, safe,
settings, i18n.
"""
