"""Krippendorff's alpha of team rounds: the published example, the `krippendorff` package, `ddmt agreement`."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from conftest import REPO
from test_cli import ddmt

from toolkit.model.assessment import Assessment
from toolkit.model.catalogue import find_rubric
from toolkit.research.agreement import krippendorff_alpha, round_agreement

EXAMPLE = REPO / "tests" / "data" / "agreement" / "krippendorff-example.json"
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849}
NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": observers A-D (rows) x 12 units.
OBSERVERS = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])
RUBRIC = find_rubric("digital-diplomacy", "1.0.0")


@pytest.mark.parametrize("level", PUBLISHED)
def test_published_example(level: str) -> None:
    assert round(krippendorff_alpha(OBSERVERS.T, level), 3) == PUBLISHED[level]


@pytest.mark.parametrize("level", PUBLISHED)
def test_published_example_as_a_round_on_the_command_line(level: str) -> None:
    run = ddmt("agreement", EXAMPLE, "--level", level, "--format", "json")
    assert run.returncode == 0, run.stderr
    [result] = json.loads(run.stdout)
    assert result["assessment"] == "krippendorff-example"
    assert result["respondents"] == 4 and result["level"] == level
    assert round(result["alpha"]["overall"], 3) == PUBLISHED[level]
    assert set(result["alpha"]["dimensions"]) == {node.id for node in RUBRIC.dimensions}
    assert result["alpha"]["dimensions"]["security"] is None  # nobody answered it
    # unit 6 of the example: observers gave 1, 2, 3, 4, shifted to levels 0-3
    sixth = result["indicators"][5]
    assert sixth == {"indicator": "ins.cyber_diplomacy", "range": 3, "flag": True,
                     "levels": {"observer-a": 0, "observer-b": 1, "observer-c": 2, "observer-d": 3}}
    assert [item["indicator"] for item in result["indicators"] if item["flag"]] == ["ins.cyber_diplomacy"]
    assert result["indicators"][-1] == {"indicator": "fun.tech_envoy", "levels": {"observer-b": 2},
                                        "range": 0, "flag": False}


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_equals_the_krippendorff_package_on_random_data(level: str) -> None:
    rng = np.random.default_rng(13)
    for _ in range(60):
        units, coders = rng.integers(2, 40), rng.integers(2, 8)
        data = rng.integers(0, rng.integers(2, 6), size=(units, coders)).astype(float)
        data[rng.random(data.shape) < rng.uniform(0, 0.6)] = np.nan
        ours = krippendorff_alpha(data, level)
        try:
            theirs = krippendorff.alpha(reliability_data=data.T, level_of_measurement=level)
        except ValueError:  # the package refuses data with one value only; ours says None
            theirs = np.nan
        if ours is None:
            assert np.isnan(theirs) or not np.isfinite(theirs), (data, theirs)
        else:
            assert ours == pytest.approx(theirs, abs=1e-12)


def _random_round(rng: np.random.Generator, respondents: int) -> dict:
    doc = json.loads(EXAMPLE.read_text())
    doc["id"] = "random-round"
    level_ids = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
    doc["responses"] = []
    for number in range(respondents):
        answers = {}
        for indicator_id in level_ids:
            draw = rng.random()
            if draw < 0.15:
                continue  # missing
            answers[indicator_id] = {"na": True, "na_reason": "not ours"} if draw < 0.2 else \
                {"level": int(rng.integers(0, 5))}
        doc["responses"].append({"respondent": {"id": f"r{number}", "name": f"Respondent {number}"},
                                 "answers": answers})
    return doc


def test_rounds_agree_with_the_package_overall_and_per_dimension() -> None:
    rng = np.random.default_rng(7)
    level_ids = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
    for respondents in (2, 3, 5, 6):
        doc = _random_round(rng, respondents)
        result = round_agreement(RUBRIC, Assessment.from_dict(doc), "ordinal")
        table = np.array([[response["answers"].get(i, {}).get("level", np.nan) for i in level_ids]
                          for response in doc["responses"]], dtype=float)
        assert result.overall == pytest.approx(krippendorff.alpha(reliability_data=table,
                                                                  level_of_measurement="ordinal"), abs=1e-12)
        for node in RUBRIC.dimensions:
            below = [level_ids.index(i.id) for i in _indicators(node) if i.id in level_ids]
            expected = krippendorff.alpha(reliability_data=table[:, below], level_of_measurement="ordinal")
            assert result.dimensions[node.id] == pytest.approx(expected, abs=1e-12), node.id


def test_a_random_round_on_the_command_line(tmp_path: Path) -> None:
    doc = _random_round(np.random.default_rng(3), 5)
    path = tmp_path / "round.json"
    path.write_text(json.dumps(doc))
    run = ddmt("agreement", path, "--level", "interval", "--format", "json")
    assert run.returncode == 0, run.stderr
    level_ids = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
    table = np.array([[response["answers"].get(i, {}).get("level", np.nan) for i in level_ids]
                      for response in doc["responses"]], dtype=float)
    expected = krippendorff.alpha(reliability_data=table, level_of_measurement="interval")
    assert json.loads(run.stdout)[0]["alpha"]["overall"] == pytest.approx(expected, abs=1e-12)


def _indicators(node):
    for child in node.children:
        if hasattr(child, "children"):
            yield from _indicators(child)
        else:
            yield child


def test_undefined_alpha_is_none() -> None:
    assert krippendorff_alpha(np.array([[1.0, NAN], [NAN, 2.0]])) is None  # no unit has two values
    assert krippendorff_alpha(np.array([[2.0, 2.0], [2.0, 2.0]])) is None  # nothing varies
    assert krippendorff_alpha(np.empty((0, 3))) is None
    assert krippendorff_alpha(np.array([[0.0, 4.0], [4.0, 0.0]])) == pytest.approx(-0.5)  # 1 - 3 * 2 / 4
    with pytest.raises(ValueError, match="ratio"):
        krippendorff_alpha(np.ones((2, 2)), "ratio")


def test_range_and_flag_count_only_given_levels() -> None:
    doc = json.loads(EXAMPLE.read_text())
    doc["responses"][0]["answers"]["cri.protocol"] = {"na": True, "na_reason": "no crisis unit"}
    doc["responses"][1]["answers"]["cri.protocol"] = {"level": 1}
    doc["responses"][2]["answers"]["cri.protocol"] = {"level": 2}
    result = round_agreement(RUBRIC, Assessment.from_dict(doc))
    spread = next(item for item in result.indicators if item.indicator == "cri.protocol")
    assert (spread.levels, spread.range, spread.flag) == ({"observer-b": 1, "observer-c": 2}, 1, False)
    assert result.dimensions["crisis_readiness"] is not None
    assert result.most_disagreed()[0].indicator == "ins.cyber_diplomacy"


def test_responses_never_change_the_score(tmp_path: Path) -> None:
    without = copy.deepcopy(json.loads(EXAMPLE.read_text()))
    without["answers"] = {"ins.official_accounts": {"level": 3}}
    with_responses = copy.deepcopy(without)
    without.pop("responses")
    for name, doc in (("a.json", without), ("b.json", with_responses)):
        (tmp_path / name).write_text(json.dumps(doc))
    scores = [json.loads(ddmt("score", tmp_path / name, "--format", "json").stdout)[0] for name in ("a.json", "b.json")]
    assert scores[0] == scores[1]
    assert scores[0]["indicators"]["ins.official_accounts"]["level"] == 3


def test_table_csv_languages_and_rounds_without_responses() -> None:
    sample = REPO / "sample_ministries" / "maravu-mfa-2024.json"
    english = ddmt("agreement", EXAMPLE, sample)
    assert english.returncode == 0
    assert english.stderr.strip() == f"{sample}: no responses in this round, skipped"
    lines = english.stdout.splitlines()
    assert lines[0] == "krippendorff-example: 4 respondents, Krippendorff's alpha (ordinal)"
    assert "Overall               0.815" in lines
    assert "ins.cyber_diplomacy      3  observer-a 0, observer-b 1, observer-c 2, observer-d 3" in lines
    indonesian = ddmt("agreement", EXAMPLE, "--lang", "id")
    assert "krippendorff-example: 4 responden, alfa Krippendorff (ordinal)" in indonesian.stdout
    assert "Keseluruhan" in indonesian.stdout and "Instrumen" in indonesian.stdout
    rows = list(csv.DictReader(io.StringIO(ddmt("agreement", EXAMPLE, "--format", "csv", "--level", "nominal").stdout)))
    assert rows[0]["scope"] == "overall" and round(float(rows[0]["alpha"]), 3) == 0.743
    assert [row["id"] for row in rows if row["scope"] == "dimension"] == [node.id for node in RUBRIC.dimensions]
    cyber = next(row for row in rows if row["id"] == "ins.cyber_diplomacy")
    assert (cyber["range"], cyber["flag"], cyber["levels"]) == (
        "3", "true", "observer-a=0;observer-b=1;observer-c=2;observer-d=3")


def test_bad_level_is_a_usage_error() -> None:
    run = ddmt("agreement", EXAMPLE, "--level", "ratio")
    assert run.returncode == 2 and "invalid choice" in run.stderr and "Traceback" not in run.stderr


def test_the_sample_team_rounds_agree_high_and_low() -> None:
    samples = sorted((REPO / "sample_ministries").glob("*.json"))
    run = ddmt("agreement", *samples, "--format", "json")
    assert run.returncode == 0
    results = {result["assessment"]: result for result in json.loads(run.stdout)}
    assert set(results) == {"dravenia-mfa-2025", "tumbaro-mfa-2025"}
    assert results["dravenia-mfa-2025"]["alpha"]["overall"] > 0.8
    assert results["tumbaro-mfa-2025"]["alpha"]["overall"] < 0.4
    assert all(4 <= result["respondents"] <= 6 for result in results.values())
    assert run.stderr.count("no responses in this round, skipped") == len(samples) - 2


def test_the_consultant_workbook_has_a_respondents_sheet_for_team_rounds_only(tmp_path: Path) -> None:
    import openpyxl

    for name in ("tumbaro-mfa-2025", "maravu-mfa-2025"):
        run = ddmt("report", REPO / "sample_ministries" / f"{name}.json", "--xlsx", tmp_path / f"{name}.xlsx")
        assert run.returncode == 0, run.stderr
    assert "Respondents" not in openpyxl.load_workbook(tmp_path / "maravu-mfa-2025.xlsx").sheetnames
    sheet = openpyxl.load_workbook(tmp_path / "tumbaro-mfa-2025.xlsx")["Respondents"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[2][:2] == ["Press officer", "press"]
    overall = next(row for row in rows if row[0] == "Overall")
    expected = json.loads(ddmt("agreement", REPO / "sample_ministries" / "tumbaro-mfa-2025.json",
                               "--format", "json").stdout)[0]
    assert overall[1] == pytest.approx(expected["alpha"]["overall"])
    header = rows.index(next(row for row in rows if row[0] == "ID"))
    widest = dict(zip(rows[header], rows[header + 1], strict=True))
    assert (widest["ID"], widest["Range"], widest["Flag"]) == ("ins.cyber_diplomacy", 3, "⚑")
    assert (widest["Press officer"], widest["IT services"], widest["Consular officer"]) == (3, 0, "—")
    assert (widest["Consolidated level"], widest["Level of"]) == (1, "the facilitator's own")


# ------------------------------------------------------------------ in-process edges (issue 17)

def test_the_errors_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match=r"^unknown level of measurement 'ratio': use one of ordinal, interval, "
                                         r"nominal$"):
        krippendorff_alpha(np.ones((2, 2)), "ratio")
    with pytest.raises(ValueError, match="^reliability data must be a units x coders table$"):
        krippendorff_alpha([1.0, 2.0, 3.0])


def test_a_null_is_a_missing_value_and_the_values_need_not_be_whole() -> None:
    with_nulls = [[1, 2, None], [2, 2, 3], [None, 4, 4], [1, 1, 2]]
    as_nan = np.array(with_nulls, dtype=float)
    assert krippendorff_alpha(with_nulls, "interval") == pytest.approx(
        krippendorff.alpha(reliability_data=as_nan.T, level_of_measurement="interval"), abs=1e-12)
    # Interval alpha does not depend on the unit of the scale, even where the expected disagreement is below 1.
    assert krippendorff_alpha([[0.0, 0.1], [0.1, 0.0]], "interval") == pytest.approx(-0.5)
    assert krippendorff_alpha([[0.0, 4.0], [4.0, 0.0]], "interval") == pytest.approx(-0.5)


def _round(answers_by_respondent: dict[str, dict[str, int | None]]) -> Assessment:
    doc = json.loads(EXAMPLE.read_text())
    doc["id"] = "in-process"
    doc["responses"] = [
        {"respondent": {"id": who, "name": who}, "answers": {
            key: ({"na": True, "na_reason": "not ours"} if level is None else {"level": level})
            for key, level in answers.items()}}
        for who, answers in answers_by_respondent.items()]
    return Assessment.from_dict(doc)


def test_a_round_in_process_has_the_spec_shape_at_each_level() -> None:
    first = [indicator.id for indicator in _indicators(RUBRIC.dimensions[0])][:3]
    second = [indicator.id for indicator in _indicators(RUBRIC.dimensions[1])][:2]
    round_ = _round({"ana": {first[0]: 0, first[1]: 3, first[2]: 1, second[0]: 2, second[1]: None},
                     "budi": {first[0]: 1, first[1]: 1, first[2]: 1, second[0]: 4, second[1]: 1},
                     "citra": {first[0]: 0, first[1]: 3, second[0]: 2}})
    for level in ("interval", "nominal"):
        result = round_agreement(RUBRIC, round_, level)
        level_ids = [indicator.id for indicator in RUBRIC.indicators() if not indicator.is_metric]
        table = np.array([[response.answers[i].level if i in response.answers and not response.answers[i].na
                           else np.nan for i in level_ids] for response in round_.responses], dtype=float)
        overall = krippendorff.alpha(reliability_data=table, level_of_measurement=level)
        columns = [level_ids.index(i) for i in first + second]
        assert result.overall == pytest.approx(overall, abs=1e-12)
        assert result.dimensions[RUBRIC.dimensions[0].id] == pytest.approx(krippendorff.alpha(
            reliability_data=table[:, columns[:3]], level_of_measurement=level), abs=1e-12)
        assert result.to_dict() == {
            "assessment": "in-process", "respondents": 3, "level": level,
            "alpha": {"overall": result.overall, "dimensions": result.dimensions},
            "indicators": [
                {"indicator": first[0], "levels": {"ana": 0, "budi": 1, "citra": 0}, "range": 1, "flag": False},
                {"indicator": first[1], "levels": {"ana": 3, "budi": 1, "citra": 3}, "range": 2, "flag": True},
                {"indicator": first[2], "levels": {"ana": 1, "budi": 1}, "range": 0, "flag": False},
                {"indicator": second[0], "levels": {"ana": 2, "budi": 4, "citra": 2}, "range": 2, "flag": True},
                {"indicator": second[1], "levels": {"budi": 1}, "range": 0, "flag": False}]}
        assert result.respondents == ("ana", "budi", "citra")
        assert set(result.dimensions) == {node.id for node in RUBRIC.dimensions}


def test_a_dimension_counts_the_indicators_of_its_sub_dimensions() -> None:
    from test_consistency import rubric as toy_rubric

    toy = toy_rubric({"d": ["q1"], "e": ["q4"]}, subs={"d": {"s": ["q2", "q3"]}})
    doc = {"kind": "assessment", "format_version": 1, "id": "toy-round", "rubric": {"id": "toy", "version": "1.0.0"},
           "ministry": {"id": "m", "name": "M", "country": "Testland"}, "period": "2026", "date": "2026-01-01",
           "status": "submitted", "answers": {},
           "responses": [{"respondent": {"id": who, "name": who},
                          "answers": {key: {"level": level} for key, level in answers.items()}}
                         for who, answers in (("a", {"q1": 1, "q2": 4, "q3": 0, "q4": 2}),
                                              ("b", {"q1": 1, "q2": 0, "q3": 4, "q4": 2}))]}
    result = round_agreement(toy, Assessment.from_dict(doc))
    table = np.array([[1, 4, 0], [1, 0, 4]], dtype=float)  # d: q1 and, through s, q2 and q3
    assert result.dimensions["d"] == pytest.approx(krippendorff.alpha(reliability_data=table,
                                                                      level_of_measurement="ordinal"), abs=1e-12)
    assert result.dimensions["e"] is None  # two values that agree: nothing varies
