"""The Streamlit pages: the only package of the toolkit that imports Streamlit."""
