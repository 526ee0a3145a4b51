"""Rubric page (AppTest): the shipped rubric's tree, and an uploaded rubric's validation report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from ui_support import PAGES, TIMEOUT, texts

from toolkit.model.catalogue import find_rubric, list_rubrics
from toolkit.model.rubric import text_in
from toolkit.ui.text import escape_markdown

RUBRIC_PAGE = str(PAGES / "rubric.py")
DATA = Path(__file__).resolve().parent / "data"
MINI = (DATA / "rubrics" / "mini.json").read_bytes()


@pytest.fixture(scope="module")
def shipped():
    rubric_id, version, _ = list_rubrics()[-1]
    return find_rubric(rubric_id, version)


def page(language: str = "en") -> AppTest:
    at = AppTest.from_file(RUBRIC_PAGE, default_timeout=TIMEOUT)
    at.session_state["language"] = language
    return at.run()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="rubric_upload").set_value((name, data, "application/json"))
    return at.run()


def issues(at: AppTest):
    return next(frame.value for frame in at.dataframe if "Place" in frame.value.columns)


def test_the_tree_shows_every_dimension_and_indicator_with_descriptors(shipped):
    at = page()
    assert not at.exception and not at.error
    labels = [expander.label for expander in at.expander]
    assert len(labels) == len(shipped.dimensions)
    assert labels[0].startswith(escape_markdown(text_in(shipped.dimensions[0].title, "en")))
    metrics = {metric.label: metric.value for metric in at.metric}
    indicators = list(shipped.indicators())
    assert metrics["Indicators"] == str(len(indicators))
    first = next(ind for ind in indicators if not ind.is_metric)
    frames = [frame.value for frame in at.dataframe if "Descriptor" in frame.value.columns]
    assert len(frames) == sum(not ind.is_metric for ind in indicators)
    assert list(frames[0]["Descriptor"]) == [text_in(first.levels[v].descriptor, "en") for v in sorted(first.levels)]
    assert list(frames[0]["Evidence hint"]) == [text_in(first.levels[v].evidence_hint, "en")
                                                for v in sorted(first.levels)]
    shown = texts(at)
    assert text_in(first.question, "en") in shown
    assert any(text.startswith("Tags: ") and first.tags[0] in text for text in shown)
    metric = next(ind for ind in indicators if ind.is_metric)
    unit = text_in(metric.unit, "en")
    assert any(text.startswith(f"Unit: {unit} · ") for text in shown)


def test_the_tree_speaks_indonesian(shipped):
    at = page("id")
    assert not at.exception and not at.error
    first = next(ind for ind in shipped.indicators() if not ind.is_metric)
    frames = [frame.value for frame in at.dataframe if "Deskriptor" in frame.value.columns]
    assert list(frames[0]["Deskriptor"]) == [text_in(first.levels[v].descriptor, "id") for v in sorted(first.levels)]
    assert at.expander[0].label.startswith(escape_markdown(text_in(shipped.dimensions[0].title, "id")))


def test_an_uploaded_bad_rubric_shows_its_located_problems():
    doc = json.loads(MINI)
    doc["dimensions"][0]["weight"] = -1
    doc["dimensions"][1]["indicators"][0]["id"] = doc["dimensions"][0]["indicators"][0]["id"]
    at = upload(page(), "bad.json", json.dumps(doc).encode())
    assert not at.exception
    assert [error.value for error in at.error] == ["Not valid. Problems found, each with its place in the file: 2"]
    table = issues(at)
    assert list(table.columns) == ["File", "Place", "Problem"]
    assert list(table["File"]) == ["bad.json", "bad.json"]
    assert list(table["Place"]) == ["$.dimensions[0].weight", "$.dimensions[1].indicators[0].id"]
    assert table["Problem"][0] == "-1 is less than or equal to the minimum of 0"
    assert table["Problem"][1].startswith("duplicate id")


def test_malformed_json_is_located_by_line_and_column():
    at = upload(page(), "broken.json", b'{"kind": "rubric",\n  "id": }')
    table = issues(at)
    assert list(table["Place"]) == ["line 2, column 9"]
    assert list(table["File"]) == ["broken.json"]


def test_a_valid_upload_is_summarised_and_can_be_browsed():
    at = upload(page(), "mini.json", MINI)
    assert not at.exception and not at.error
    assert [success.value for success in at.success] == ["Valid: no problems found."]
    assert "mini 1.0.0: 2 dimensions (3 nodes in all), 6 indicators." in texts(at)
    before = len(at.expander)
    at.toggle(key="rubric_browse_uploaded").set_value(True).run()
    assert not at.exception and not at.error
    assert len(at.expander) == before + 2


def test_texts_of_an_uploaded_rubric_are_never_markdown():
    doc = json.loads(MINI)
    doc["dimensions"][0]["title"] = {"en": "**Bold** [link](javascript:alert(1)) <b>x</b>", "id": "x"}
    doc["dimensions"][0]["indicators"][0]["question"] = {"en": "# Heading <script>", "id": "x"}
    at = upload(page(), "odd.json", json.dumps(doc).encode())
    at.toggle(key="rubric_browse_uploaded").set_value(True).run()
    assert not at.exception and not at.error
    label = at.expander[-2].label
    assert label.startswith(r"\*\*Bold\*\* \[link\]\(javascript\:alert\(1\)\) \<b\>x\<\/b\>")
    assert "# Heading <script>" in [text.value for text in at.text]  # st.text: shown as written
