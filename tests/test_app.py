"""The app's placeholder page runs and shows the sample ministries (AppTest)."""

from conftest import REPO
from streamlit.testing.v1 import AppTest


def test_overview_lists_the_sample_ministries_in_both_languages():
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == len(list((REPO / "sample_ministries").glob("*.json")))
    assert "Overall" in table.columns
    at.sidebar.radio[0].set_value("id").run()
    assert not at.exception
    assert "Keseluruhan" in at.dataframe[0].value.columns
