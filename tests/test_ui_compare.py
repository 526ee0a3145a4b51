"""Compare page (AppTest): selection, rank table, charts, a tag's sub-index, and trends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ui_support import PAGES, fresh_store, seeded_template, start, texts, ui_data  # noqa: F401  (fixtures)

from toolkit.catalogue import find_rubric
from toolkit.comparison import compare
from toolkit.subindex import compare_by_tag

COMPARE = str(PAGES / "compare.py")
APP = f'''
import streamlit as st

st.session_state.setdefault("language", "en")
st.navigation([st.Page({str(PAGES / "home.py")!r}, title="Home", default=True),
               st.Page({COMPARE!r}, title="Compare")]).run()
'''
LATEST = ["belmara-mfa-2026", "calvessa-mfa-2025", "dravenia-mfa-2025", "maravu-mfa-2025",
          "oriandel-mfa-2025", "orrinth-mfa-2026", "tumbaro-mfa-2026", "vantoria-mfa-2025"]
THREE = ["dravenia-mfa-2025", "oriandel-mfa-2025", "vantoria-mfa-2025"]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    script = tmp_path / "app.py"
    script.write_text(APP, encoding="utf-8")
    return script


def figures(at) -> dict[str, dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs}


def engine(ids: list[str], tag: str | None = None):
    store = fresh_store()
    loaded = [store.load(key) for key in ids]
    rubric = find_rubric(loaded[0].rubric_id, loaded[0].rubric_version)
    return compare_by_tag(rubric, loaded, tag) if tag else compare(rubric, loaded)


def test_the_latest_round_of_each_ministry_is_ranked_by_default(ui_data, app):
    at = start(app, COMPARE)
    assert not at.exception and not at.error
    assert sorted(at.multiselect(key="compare_selected").value) == LATEST
    table = at.dataframe[0].value
    assert list(table.columns) == ["Rank", "Ministry", "Period", "Overall", "Stage", "Complete"]
    expected = engine(LATEST).to_dict()["assessments"]
    assert list(table["Rank"]) == [row["rank"] for row in expected]
    assert list(table["Overall"]) == pytest.approx([row["overall"]["score"] for row in expected])
    assert all(name.endswith(" †") for name in table["Ministry"])
    assert any("fictional" in text for text in texts(at))
    shown = figures(at)
    assert len(shown["Dimension scores"]["data"]) == len(LATEST)
    heat = shown["Ministries by dimension"]["data"][0]
    assert heat["type"] == "heatmap" and len(heat["z"]) == len(LATEST)
    # belmara, maravu, orrinth and tumbaro have several rounds: one trend line each.
    trend = shown["Overall score by period, every round of the chosen ministries"]
    assert len(trend["data"]) == 4


def test_choosing_assessments_and_a_tag_scores_the_sub_index(ui_data, app):
    at = start(app, COMPARE)
    at.multiselect(key="compare_selected").set_value(THREE).run()
    whole = at.dataframe[0].value
    assert len(whole) == 3
    assert "None of the chosen ministries has more than one period." in texts(at)
    at.selectbox(key="compare_tag").set_value("lens:constructivism").run()
    assert not at.exception and not at.error
    narrowed = at.dataframe[0].value
    expected = engine(THREE, "lens:constructivism").to_dict()["assessments"]
    assert list(narrowed["Overall"]) == pytest.approx([row["overall"]["score"] for row in expected])
    assert sorted(narrowed["Overall"]) != pytest.approx(sorted(whole["Overall"]))
    assert any(text.startswith("Sub-index lens\\:constructivism:") for text in texts(at))
    heat = figures(at)["Ministries by dimension"]["data"][0]
    sub_dimensions = len(engine(THREE, "lens:constructivism").rubric.dimensions)
    assert len(heat["x"]) == sub_dimensions < 8


def test_several_rounds_of_one_ministry_mix_periods_and_speak_indonesian(ui_data, app):
    at = start(app, COMPARE, language="id")
    at.multiselect(key="compare_selected").set_value(["tumbaro-mfa-2024", "tumbaro-mfa-2026"]).run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert list(table.columns) == ["Peringkat", "Kementerian", "Periode", "Keseluruhan", "Tahap", "Kelengkapan"]
    assert sorted(table["Periode"]) == ["2024", "2026"]
    assert any("mencampur periode" in text for text in texts(at))
    trend = figures(at)["Skor keseluruhan per periode, semua putaran kementerian terpilih"]
    assert [trace["x"] for trace in trend["data"]] == [["2024", "2025", "2026"]]


def test_fewer_than_two_chosen_asks_for_more(ui_data, app):
    at = start(app, COMPARE)
    at.multiselect(key="compare_selected").set_value(["maravu-mfa-2025"]).run()
    assert not at.exception and not at.error
    assert "Choose at least two assessments." in [info.value for info in at.info]
    assert not at.dataframe


def test_minmax_normalisation_is_offered(ui_data, app):
    at = start(app, COMPARE)
    at.multiselect(key="compare_selected").set_value(THREE).run()
    at.radio(key="compare_normalisation").set_value("minmax").run()
    assert not at.exception and not at.error
    store = fresh_store()
    loaded = [store.load(key) for key in THREE]
    expected = compare(find_rubric("digital-diplomacy", "1.0.0"), loaded, "minmax").to_dict()["assessments"]
    assert list(at.dataframe[0].value["Overall"]) == pytest.approx([row["overall"]["score"] for row in expected])
