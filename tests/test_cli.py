"""The command line through real subprocess runs: exit codes, output shapes, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

SAMPLES = sorted((REPO / "sample_ministries").glob("*.json"))
RUBRICS = sorted((REPO / "rubrics").glob("*.json"))


def ddmt(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run `python -m toolkit` as a user would run `ddmt`, capturing both streams."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def assert_clean_failure(run: subprocess.CompletedProcess[str], status: int) -> list[str]:
    assert run.returncode == status, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines
    return lines


def test_validate_everything_shipped_exits_zero():
    run = ddmt("validate", *RUBRICS, *SAMPLES)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert run.stdout.count("valid assessment") == len(SAMPLES)
    assert run.stdout.count("valid rubric") == len(RUBRICS)


def test_score_table_is_readable_and_marks_fictional_ministries():
    run = ddmt("score", *SAMPLES)  # rounds of 1.0.0 and 1.1.0: each scored with its own version
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert out.splitlines()[0].split()[:4] == ["#", "Ministry", "Period", "Overall"]
    assert "†" in out and "fictional ministry" in out
    for sample in SAMPLES:
        name = json.loads(sample.read_text(encoding="utf-8"))["ministry"]["name"]
        assert name in out
    numbers = {version: [n for n, path in enumerate(SAMPLES, 1) if rubric_version(path) == version]
               for version in ("1.0.0", "1.1.0")}
    assert all(numbers.values())
    assert "Each round is scored with its own rubric version (digital-diplomacy 1.0.0: #" in out
    for version, rows in numbers.items():  # one dimension table per version, over its own rows
        table = out.split(f"digital-diplomacy {version} · Dimension scores")[1].split("\n\n")[0]
        assert table.splitlines()[1].split()[1:] == [f"#{n}" for n in rows]


def rubric_version(path: Path) -> str:
    return json.loads(path.read_text(encoding="utf-8"))["rubric"]["version"]


def rubric_nodes(version: str) -> tuple[set[str], set[str]]:
    """The ids of every node and of every indicator of digital-diplomacy `version`."""
    rubric = json.loads((REPO / "rubrics" / f"digital-diplomacy-{version}.json").read_text(encoding="utf-8"))
    nodes, indicators, todo = set(), set(), list(rubric["dimensions"])
    while todo:
        node = todo.pop()
        nodes.add(node["id"])
        indicators.update(indicator["id"] for indicator in node.get("indicators", []))
        todo.extend(node.get("dimensions", []))
    return nodes, indicators


def test_score_table_in_indonesian_uses_indonesian_labels():
    run = ddmt("score", "--lang", "id", SAMPLES[0])
    assert run.returncode == 0, run.stderr
    rubric = json.loads((REPO / "rubrics" / "digital-diplomacy-1.0.0.json").read_text(encoding="utf-8"))
    assert any(dimension["title"]["id"] in run.stdout for dimension in rubric["dimensions"])
    # Numbers in the table the Indonesian way (37,5); the JSON of the same round keeps '.' for machines.
    data = json.loads(ddmt("score", "--format", "json", SAMPLES[0]).stdout)
    overall = f"{data[0]['overall']['score']:.1f}"
    assert overall.replace(".", ",") in run.stdout and overall not in run.stdout


def test_score_json_has_the_spec_shape():
    run = ddmt("score", "--format", "json", *SAMPLES)
    assert run.returncode == 0, run.stderr
    records = json.loads(run.stdout)
    assert [r["assessment"] for r in records] == [json.loads(p.read_text())["id"] for p in SAMPLES]
    assert {record["rubric"]["version"] for record in records} == {"1.0.0", "1.1.0"}
    for record, path in zip(records, SAMPLES, strict=True):
        assert set(record) >= {"assessment", "ministry", "period", "rubric", "overall", "nodes", "indicators"}
        assert set(record["ministry"]) == {"id", "name", "iso3"}
        assert record["rubric"] == {"id": "digital-diplomacy", "version": rubric_version(path)}  # its own
        node_ids, indicator_ids = rubric_nodes(record["rubric"]["version"])
        assert set(record["overall"]) == {"score", "evidence_score", "stage", "completeness"}
        assert set(record["nodes"]) == node_ids  # every node, sub-dimensions included
        for node in record["nodes"].values():
            assert set(node) == {"score", "evidence_score", "stage", "completeness", "status"}
        assert set(record["indicators"]) == indicator_ids
        for indicator in record["indicators"].values():
            assert indicator["status"] in {"answered", "na", "missing"}
            assert ("level" in indicator) != ("value" in indicator)
            assert {"score", "evidence_score"} <= set(indicator)
        overall = record["overall"]
        assert 0 <= overall["score"] <= 100
        assert overall["evidence_score"] <= overall["score"] + 1e-9


def test_score_csv_is_tidy_long_data():
    run = ddmt("score", "--format", "csv", SAMPLES[0], SAMPLES[1])
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert rows[0]["node"] == "overall"
    assert len(rows) == 2 * (1 + 8)
    assert {row["assessment"] for row in rows} == {json.loads(p.read_text())["id"] for p in SAMPLES[:2]}


def test_compare_json_ranks_every_assessment():
    run = ddmt("compare", "--format", "json", *SAMPLES)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) == {"rubric", "normalisation", "assessments", "sensitivity"}
    assert data["normalisation"] == "goalposts"
    assert data["sensitivity"] is None
    assert data["rubric"] == {"id": "digital-diplomacy", "version": "1.1.0"}  # the newest of the inputs
    items = data["assessments"]
    assert len(items) == len(SAMPLES)
    # Under 1.1.0's completeness rule a round below 80 % (a 1.0.0 draft, migrated) has no rank and
    # comes after the ranked ones; those are ranked among themselves by score.
    ranked = [item for item in items if item["rank"] is not None]
    unranked = items[len(ranked):]
    assert unranked and all(item["rank"] is None and item["overall"]["completeness"] < 0.8 for item in unranked)
    assert all(item["overall"]["completeness"] >= 0.8 for item in ranked)
    by_score = sorted(ranked, key=lambda item: -item["overall"]["score"])
    assert by_score[0]["rank"] == 1
    for better, worse in zip(by_score, by_score[1:]):
        assert better["rank"] <= worse["rank"]
    for item in items:
        assert set(item) >= {"assessment", "ministry", "period", "overall", "rank", "dimensions"}
        assert len(item["dimensions"]) == 8


def test_compare_minmax_changes_only_the_normalisation():
    run = ddmt("compare", "--normalise", "minmax", "--format", "json", *SAMPLES)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["normalisation"] == "minmax"


def test_compare_table_and_csv():
    table = ddmt("compare", *SAMPLES)
    assert table.returncode == 0, table.stderr
    assert "Rank" in table.stdout and "†" in table.stdout
    rows = list(csv.DictReader(io.StringIO(ddmt("compare", "--format", "csv", *SAMPLES).stdout)))
    assert len(rows) == len(SAMPLES)
    assert rows[0]["rank"]


def test_invalid_documents_give_located_one_line_messages(tmp_path):
    bad = tmp_path / "bad.json"
    sample = json.loads(SAMPLES[0].read_text(encoding="utf-8"))
    sample["answers"]["ins.official_accounts"] = {"level": 9}
    sample["answers"]["no.such_indicator"] = {"level": 1}
    bad.write_text(json.dumps(sample), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"kind": "assessment",\n "id": }', encoding="utf-8")
    run = ddmt("validate", bad, broken)
    lines = assert_clean_failure(run, 1)
    assert all(line.startswith((f"{bad}: $", f"{broken}: line 2")) for line in lines), lines
    assert any('["ins.official_accounts"].level' in line for line in lines)
    assert any("no.such_indicator" in line for line in lines)
    score = ddmt("score", bad)
    assert_clean_failure(score, 1)
    assert score.stdout == ""


def test_unknown_rubric_version_is_a_clear_error(tmp_path):
    sample = json.loads(SAMPLES[0].read_text(encoding="utf-8"))
    sample["rubric"]["version"] = "9.0.0"
    path = tmp_path / "future.json"
    path.write_text(json.dumps(sample), encoding="utf-8")
    lines = assert_clean_failure(ddmt("score", path), 1)
    assert any("9.0.0" in line and "1.0.0" in line for line in lines), lines


def test_missing_file_and_wrong_usage():
    lines = assert_clean_failure(ddmt("score", "does-not-exist.json"), 1)
    assert "does-not-exist.json" in lines[0]
    assert len(assert_clean_failure(ddmt(), 2)) == 1
    assert len(assert_clean_failure(ddmt("score", "--format", "yaml", SAMPLES[0]), 2)) == 1


def test_explicit_rubric_option(tmp_path):
    run = ddmt("score", "--rubric", RUBRICS[0], "--format", "json", SAMPLES[0])
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[0]["rubric"]["id"] == "digital-diplomacy"


def test_rubrics_lists_the_shipped_rubric():
    run = ddmt("rubrics", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert {"id": "digital-diplomacy", "version": "1.0.0"}.items() <= json.loads(run.stdout)[0].items()


@pytest.mark.slow
def test_installed_wheel_works_from_any_directory(tmp_path):
    """`pip install .` (not editable) gives a `ddmt` that finds the schemas and the shipped rubric."""
    uv = os.environ.get("UV") or "uv"
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(python), str(REPO)],
                   check=True, timeout=600, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for sample in SAMPLES[:2]:
        (elsewhere / sample.name).write_bytes(sample.read_bytes())
    run = subprocess.run([str(venv / "bin" / "ddmt"), "score", "--format", "json", *[s.name for s in SAMPLES[:2]]],
                         cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)) == 2
    listed = subprocess.run([str(venv / "bin" / "ddmt"), "rubrics", "--format", "json"], cwd=elsewhere,
                            capture_output=True, text=True, timeout=120)
    assert "shipped_rubrics" in listed.stdout, listed.stdout


@pytest.fixture(scope="module")
def asem_files(tmp_path_factory) -> tuple[Path, list[Path]]:
    """The ASEM research rubric and 51 country assessments, written by the repository's script."""
    out = tmp_path_factory.mktemp("asem")
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "asem_to_ddmt.py"), "--out", str(out)],
                         cwd=REPO, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr
    return out / "rubric.json", sorted((out / "assessments").glob("*.json"))


def test_asem_research_data_validates_scores_and_ranks_51_countries(asem_files):
    rubric, countries = asem_files
    assert len(countries) == 51
    validate = ddmt("validate", rubric, *countries)
    assert validate.returncode == 0, validate.stderr
    score = ddmt("score", "--rubric", rubric, "--format", "json", *countries)
    assert score.returncode == 0, score.stderr
    records = json.loads(score.stdout)
    assert len(records) == 51
    assert all(0 <= r["overall"]["score"] <= 100 for r in records)
    compare = ddmt("compare", "--normalise", "minmax", "--format", "json", rubric, *countries)
    assert compare.returncode == 0, compare.stderr
    data = json.loads(compare.stdout)
    assert data["normalisation"] == "minmax"
    assert sorted(item["rank"] for item in data["assessments"]) == list(range(1, 52))
    best = min(data["assessments"], key=lambda item: item["rank"])
    assert best["ministry"]["iso3"] == "CHE"  # COINr's ASEM index also ranks Switzerland first


def test_assessments_beside_an_unknown_rubric_need_it(asem_files):
    _, countries = asem_files
    lines = assert_clean_failure(ddmt("validate", countries[0]), 1)
    assert lines == [f'{countries[0]}: $.rubric.id: no rubric "asem-connectivity" is available'] or \
        "asem-connectivity" in lines[0]


def _gated_rounds(folder: Path) -> list[Path]:
    """Two fictional 1.1.0 rounds: one complete with shared passwords (gated), one 40 % complete."""
    from toolkit.model.catalogue import find_rubric

    rubric = find_rubric("digital-diplomacy", "1.1.0")
    evidence = [{"kind": "url", "value": "https://example.org/proof"}]
    answers = {indicator.id: ({"value": 10.0, "evidence": evidence} if indicator.is_metric else
                              {"level": 1 if indicator.id == "sec.account_security" else 3, "evidence": evidence})
               for indicator in rubric.indicators()}
    paths = []
    for name, kept in (("gated", answers), ("partial", dict(list(answers.items())[:24]))):
        doc = {"kind": "assessment", "format_version": 1, "id": f"{name}-2027",
               "rubric": {"id": "digital-diplomacy", "version": "1.1.0"},
               "ministry": {"id": name, "name": name.title(), "country": "Testland", "fictional": True},
               "period": "2027", "date": "2027-01-01", "status": "draft", "assessors": ["tester"], "answers": kept}
        path = folder / f"{name}.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        paths.append(path)
    return paths


def test_score_names_triggered_gates_and_not_rated_rounds(tmp_path):
    gated, partial = _gated_rounds(tmp_path)
    run = ddmt("score", gated, partial, "--format", "json")
    assert run.returncode == 0, run.stderr
    first, second = json.loads(run.stdout)
    assert first["gates"] == {"claimed": ["gate.account_security.security", "gate.account_security.overall"],
                              "evidence": ["gate.account_security.security", "gate.account_security.overall"]}
    assert first["nodes"]["security"]["score"] == 39 and first["overall"]["score"] == 59
    assert second["overall"]["stage"] is None and second["overall"]["score"] is not None
    table = ddmt("score", gated, partial).stdout
    assert ("#1: Gate triggered: MFA or individual logins not yet in force on headquarters or leadership accounts "
            "cap Security at Formative (Security capped at 39)") in table
    assert "not rated: " in table and "% complete, at least 80 % needed" in table


def test_compare_leaves_incomplete_rounds_unranked_unless_asked(tmp_path):
    gated, partial = _gated_rounds(tmp_path)
    ranked = json.loads(ddmt("compare", partial, gated, "--format", "json").stdout)["assessments"]
    assert [(item["assessment"], item["rank"]) for item in ranked] == [("gated-2027", 1), ("partial-2027", None)]
    table = ddmt("compare", partial, gated).stdout
    assert "Not ranked (below 80 % complete): Partial 2027. Use --rank-incomplete" in table
    forced = json.loads(ddmt("compare", partial, gated, "--rank-incomplete", "--format", "json").stdout)
    assert sorted(item["rank"] for item in forced["assessments"]) == [1, 2]


def test_score_names_gates_left_unevaluated_and_the_csv_says_not_rated(tmp_path):
    """A round that leaves account security unanswered: no cap (SPEC 11), but never silent."""
    gated, partial = _gated_rounds(tmp_path)
    first, second = json.loads(ddmt("score", gated, partial, "--format", "json").stdout)
    assert first["gates_unevaluated"] == []
    assert second["gates"] == {"claimed": [], "evidence": []}
    assert second["gates_unevaluated"] == ["gate.account_security.security", "gate.classified_separation.security",
                                           "gate.incident_response.security", "gate.account_security.overall"]
    table = ddmt("score", gated, partial).stdout
    assert ("#2: Critical control not answered: Account access and multi-factor authentication. Gate not "
            "evaluated: MFA or individual logins "
            "not yet in force on headquarters or leadership accounts cap Security at Formative (it would cap "
            "Security at 39)") in table
    assert "#1: Critical control not answered" not in table
    indonesian = ddmt("score", "--lang", "id", gated, partial).stdout
    assert "#2: Kontrol kritis belum dijawab: " in indonesian and "Gerbang tidak dievaluasi" in indonesian
    rows = list(csv.DictReader(io.StringIO(ddmt("score", gated, partial, "--format", "csv").stdout)))
    overall = {row["assessment"]: row for row in rows if row["node"] == "overall"}
    assert (overall["gated-2027"]["stage"], overall["gated-2027"]["rated"]) == ("established", "True")
    assert (overall["partial-2027"]["stage"], overall["partial-2027"]["rated"]) == ("", "False")
    assert overall["partial-2027"]["score"] != ""  # the score is kept, only the stage withheld
