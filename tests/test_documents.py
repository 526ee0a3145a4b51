"""The two doors: `load_*` raises with every issue, `validate_*` reports and never raises."""

from __future__ import annotations

import codecs
import json
import math
from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import DocumentError
from toolkit.issues import Report
from toolkit.model import catalogue
from toolkit.model.assessment import Assessment
from toolkit.model.documents import (
    load_assessment,
    load_document,
    load_rubric,
    validate_assessment,
    validate_file,
    validate_rubric,
)
from toolkit.model.rubric import Rubric

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
MINI = DATA / "rubrics" / "mini.json"
ASSESSMENT = DATA / "invalid" / "assessment-unknown-indicator" / "assessment.json"


@pytest.fixture
def test_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue, "rubric_folders", lambda: [DATA / "rubrics"])


def good_assessment() -> dict[str, Any]:
    doc = json.loads(ASSESSMENT.read_text(encoding="utf-8"))
    del doc["answers"]["a3"], doc["answers"]["x"]
    return doc


def lines(report: Report) -> list[str]:
    return [str(issue) for issue in report.issues]


# -- rubrics ----------------------------------------------------------------------------------------

def test_load_mini_rubric() -> None:
    rubric = load_rubric(MINI)
    assert (rubric.id, rubric.version, rubric.languages) == ("mini", "1.0.0", ("en", "id"))
    assert [indicator.id for indicator in rubric.indicators()] == ["s1", "s2", "a1", "a2", "b1", "b2"]
    assert [(node.id, depth) for node, depth in rubric.nodes()] == [("a", 1), ("a.sub", 2), ("b", 1)]
    assert rubric.max_level == 4 and rubric.unsupported_cap == 2 and rubric.default_target == 3
    assert [stage.min_score for stage in rubric.stages] == [0, 20, 40, 60, 80]
    sub = rubric.dimensions[0].dimensions[0]
    assert sub.aggregation == "geometric"
    b2 = rubric.indicator("b2")
    assert (b2.kind, b2.direction, b2.goalposts, b2.unit) == ("metric", -1, (0.0, 10.0), {"en": "hours", "id": "jam"})
    assert rubric.indicator("a2").weight == 3 and rubric.dimensions[1].weight == 2


def test_load_rubric_raises_with_every_issue() -> None:
    doc = json.loads(MINI.read_text())
    doc["dimensions"][0]["weight"] = -1
    doc["dimensions"][1]["indicators"][0]["id"] = "a1"
    with pytest.raises(DocumentError) as caught:
        load_rubric(doc, name="bad.json")
    assert str(caught.value).splitlines() == [
        "bad.json: $.dimensions[0].weight: -1 is less than or equal to the minimum of 0",
        'bad.json: $.dimensions[1].indicators[0].id: duplicate id "a1" (first used at $.dimensions[0].indicators[0])',
    ]


def test_validate_rubric_never_raises(tmp_path: Path) -> None:
    report = validate_rubric(tmp_path / "missing.json", name="missing.json")
    assert (report.kind, lines(report)) == (None, ["missing.json: cannot read the file: no such file"])
    assert not report.valid
    assert validate_rubric(MINI).valid
    assert validate_rubric(MINI).file == str(MINI)


def test_in_memory_source_default_name() -> None:
    report = validate_rubric({"kind": "rubric"})
    assert report.file == "<document>" and report.issues[0].file == "<document>"


def test_in_memory_non_finite_numbers_are_refused() -> None:
    doc = json.loads(MINI.read_text())
    doc["dimensions"][0]["weight"] = math.nan
    doc["dimensions"][1]["indicators"][1]["goalposts"]["high"] = -math.inf
    assert lines(validate_rubric(doc, name="m")) == [
        "m: $.dimensions[0].weight: NaN is not allowed: JSON numbers must be finite",
        "m: $.dimensions[1].indicators[1].goalposts.high: -Infinity is not allowed: JSON numbers must be finite",
    ]


def test_in_memory_depth_is_bounded() -> None:
    deep: Any = []
    for _ in range(2000):
        deep = [deep]
    report = validate_rubric({"kind": "rubric", "x": deep}, name="m")
    assert [issue.code for issue in report.issues] == ["too-deep"]


def test_in_memory_lone_surrogates_are_refused_as_a_file_would_be() -> None:
    doc = json.loads(MINI.read_text())
    doc["title"]["en"] = "half \ud800 a character"
    doc["dimensions"][0]["x\udfff"] = 1
    assert lines(validate_rubric(doc, name="m")) == [
        "m: $.title.en: not UTF-8 text: \\ud800 is half of a UTF-16 surrogate pair, not a character",
        'm: $.dimensions[0]["x\\udfff"]: not UTF-8 text: \\udfff is half of a UTF-16 surrogate pair, not a '
        "character (in a key)",
    ]
    for line in lines(validate_rubric(doc, name="m")):
        line.encode("utf-8")


@pytest.mark.parametrize(("source", "shown"), [
    (0, "0 (int)"),  # open(0) would read standard input
    (3, "3 (int)"),  # and open(3) whatever file descriptor 3 is
    (b"rubric.json", "b'rubric.json' (bytes)"),
    (None, "null (NoneType)"),
    (1.5, "1.5 (float)"),
    (["kind", "rubric"], '["kind", "rubric"] (list)'),
])
def test_a_source_that_is_neither_a_path_nor_a_mapping_is_refused(source: Any, shown: str) -> None:
    expected = f"<document>: expected a file path or a JSON object, got {shown}"
    for load in (load_rubric, load_assessment, load_document):
        with pytest.raises(DocumentError) as caught:
            load(source)
        assert str(caught.value) == expected
    for validate in (validate_rubric, validate_assessment, validate_file):
        report = validate(source)
        assert (report.file, report.kind, lines(report)) == ("<document>", None, [expected])
    with pytest.raises(DocumentError, match=r"^upload\.json: expected a file path or a JSON object, got 3 "):
        load_rubric(3, name="upload.json")


def test_the_json_reader_opens_only_paths() -> None:
    from toolkit.model.jsonio import read_json
    with pytest.raises(DocumentError, match=r"^<document>: cannot read the file: not a file path \(int\)$"):
        read_json(0)  # type: ignore[arg-type]
    with pytest.raises(DocumentError, match=r"^x\.json: cannot read the file: not a file path \(bytes\)$"):
        read_json(b"x.json", name="x.json")  # type: ignore[arg-type]


def test_bom_file_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(codecs.BOM_UTF8 + MINI.read_bytes())
    assert validate_file(path).valid
    assert load_rubric(path).id == "mini"


# -- assessments ------------------------------------------------------------------------------------

def test_load_assessment_with_and_without_rubric() -> None:
    rubric = load_rubric(MINI)
    doc = good_assessment()
    loaded = load_assessment(doc, rubric, name="a.json")
    assert isinstance(loaded, Assessment)
    assert (loaded.rubric_id, loaded.rubric_version, loaded.source_file) == ("mini", "1.0.0", "a.json")
    assert loaded.answer("a1").level == 2 and loaded.answer("b2").value == 3.5
    assert loaded.answer("s1").status == "missing"
    doc["answers"]["zz"] = {"level": 1}
    assert load_assessment(doc).answers.keys() >= {"zz"}  # without a rubric, ids are not checked
    with pytest.raises(DocumentError) as caught:
        load_assessment(doc, rubric, name="a.json")
    assert str(caught.value) == 'a.json: $.answers.zz: unknown indicator "zz"'


def test_validate_assessment_never_raises() -> None:
    report = validate_assessment({"kind": "assessment"}, name="a.json")
    assert report.kind == "assessment" and not report.valid
    assert validate_assessment(Path("/nonexistent.json")).kind is None


def test_explicit_rubric_with_other_version_is_reported_at_rubric(test_catalogue: None, tmp_path: Path) -> None:
    doc = good_assessment()
    doc["rubric"]["version"] = "2.0.0"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc))
    report = validate_file(path, load_rubric(MINI), name="a.json")
    assert lines(report) == ['a.json: $.rubric: the assessment is for rubric "mini" version 2.0.0, '
                             'but the rubric given is "mini" version 1.0.0']


# -- dispatch on kind -------------------------------------------------------------------------------

def test_validate_file_dispatches_on_kind(test_catalogue: None, tmp_path: Path) -> None:
    assert validate_file(MINI) == Report(str(MINI), "rubric", ())
    path = tmp_path / "a.json"
    path.write_text(json.dumps(good_assessment()))
    assert validate_file(path) == Report(str(path), "assessment", ())
    broken = good_assessment()
    broken["answers"]["a1"]["level"] = 9
    path.write_text(json.dumps(broken))
    report = validate_file(path, name="a.json")
    assert (report.kind, lines(report)) == ("assessment", ["a.json: $.answers.a1.level: 9 is not a level of the scale (0 to 4)"])


def test_load_document(test_catalogue: None, tmp_path: Path) -> None:
    assert isinstance(load_document(MINI), Rubric)
    path = tmp_path / "a.json"
    path.write_text(json.dumps(good_assessment()))
    assessment = load_document(path)
    assert isinstance(assessment, Assessment) and assessment.source_file == str(path)
    path.write_text(json.dumps({"kind": "memo"}))
    with pytest.raises(DocumentError) as caught:
        load_document(path, name="memo.json")
    assert str(caught.value) == 'memo.json: $.kind: unknown kind "memo": expected "rubric" or "assessment"'


def test_load_document_rubric_not_available(test_catalogue: None, tmp_path: Path) -> None:
    doc = good_assessment()
    doc["rubric"] = {"id": "digital-diplomacy", "version": "1.0.0"}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(DocumentError) as caught:
        load_document(path, name="a.json")
    assert str(caught.value) == 'a.json: $.rubric.id: no rubric "digital-diplomacy" is available'
    with pytest.raises(DocumentError) as caught:
        load_document(path, load_rubric(MINI), name="a.json")
    assert [issue.code for issue in caught.value.issues] == ["rubric-mismatch"]


def test_invalid_catalogue_rubric_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    broken = json.loads(MINI.read_text())
    broken["stages"][1]["min_score"] = 0
    (tmp_path / "mini.json").write_text(json.dumps(broken))
    monkeypatch.setattr(catalogue, "rubric_folders", lambda: [tmp_path])
    path = tmp_path / "assessments" / "a.json"
    path.parent.mkdir()
    path.write_text(json.dumps(good_assessment()))
    report = validate_file(path, name="a.json")
    assert lines(report) == [
        f'a.json: $.rubric: rubric "mini" version 1.0.0 is available but invalid ({tmp_path / "mini.json"})']
    assert report.issues[0].code == "rubric-invalid"


def test_validate_file_limits_are_passed_through(tmp_path: Path) -> None:
    report = validate_file(MINI, max_bytes=100, name="mini.json")
    assert lines(report) == ["mini.json: the document is larger than the limit of 100 bytes"]
    report = validate_file(MINI, max_depth=3, name="mini.json")
    assert [issue.code for issue in report.issues] == ["too-deep"]


# -- the shipped documents are valid ----------------------------------------------------------------

SHIPPED_RUBRICS = sorted((REPO / "rubrics").glob("*.json"))
SAMPLES = sorted((REPO / "sample_ministries").glob("*.json"))


def test_the_repository_ships_rubrics_and_samples() -> None:
    assert SHIPPED_RUBRICS, "rubrics/ holds no *.json"
    assert SAMPLES, "sample_ministries/ holds no *.json"


@pytest.mark.parametrize("path", SHIPPED_RUBRICS, ids=[p.name for p in SHIPPED_RUBRICS])
def test_default_rubrics_are_valid(path: Path) -> None:
    report = validate_file(path, name=path.name)
    assert (report.kind, lines(report)) == ("rubric", [])


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_ministries_are_valid(path: Path) -> None:
    report = validate_file(path, name=path.name)
    assert (report.kind, lines(report)) == ("assessment", [])
    assert load_document(path).ministry.fictional  # type: ignore[union-attr]


def test_hostile_names_and_keys_stay_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "evil\nname.json"
    path.write_text('{"a": NaN}')
    [line] = lines(validate_file(path, name="evil\nname.json"))
    assert line == "evil\\x0aname.json: line 1, column 7: NaN is not allowed: JSON numbers must be finite"
    doc = good_assessment()
    doc["answers"]["x\ny"] = {"level\r": 1}
    found = lines(validate_assessment(doc, load_rubric(MINI), name="a.json"))
    assert found == [
        'a.json: $.answers["x\\ny"]: "x\\ny" is not a valid id (lowercase letters, digits, "_", "." and "-", '
        'starting with a letter or digit)',
        'a.json: $.answers["x\\ny"]: unexpected property "level\\r" (did you mean "level"?)',
    ]
    assert all("\n" not in line and "\r" not in line for line in found)
