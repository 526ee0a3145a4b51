"""`ddmt compare --bundle DIR` and `--from-provenance` (SPEC 13): complete, documented, reproducible.

Two runs (the files in reverse order the second time) give byte-identical files; a rerun from
`provenance.json`, from another working directory, reproduces every data file byte for byte; the
codebook documents every file and column; the Parquet files carry the provenance.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from toolkit.cli.main import main
from toolkit.research import provenance

REPO = Path(__file__).resolve().parent.parent
ROUND = REPO / "tests" / "data" / "agreement" / "krippendorff-example.json"
SAMPLES = sorted((REPO / "sample_ministries").glob("*-2025.json"))
OPTIONS = ["--uncertainty", "60", "--seed", "3", "--spread", "0.2", "--switch-aggregation", "--sensitivity",
           "--sobol-samples", "8", "--consistency", "--lang", "id"]
DATA = (".csv", ".parquet")


def run(capsys, *argv: str | Path) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle") / "out"
    assert main(["compare", *map(str, SAMPLES), str(ROUND), *OPTIONS, "--bundle", str(folder)]) == 0
    return folder


def test_the_bundle_holds_every_table_asked_for(bundle):
    names = set(files_of(bundle))
    tables = ["scores_long", "scores_wide", "labels", "intervals", "sensitivity_leave_one_out",
              "sensitivity_sobol", "consistency", "agreement", "agreement_indicators"]
    assert names == {f"{t}{ext}" for t in tables for ext in DATA} | {"codebook.json", "codebook.md",
                                                                     "provenance.json"}
    sobol = pd.read_csv(bundle / "sensitivity_sobol.csv")
    assert list(sobol["input"]) == ["levels", "weights", "aggregation"]
    assert list(sobol["input_label_id"]) == ["Level (menurut tingkat keyakinan)", "Bobot dimensi", "Agregasi"]
    agreement = pd.read_csv(bundle / "agreement.csv")
    overall = agreement[(agreement["assessment"] == "krippendorff-example") & (agreement["node"] == "overall")]
    assert round(float(overall["alpha"].iloc[0]), 3) == 0.815  # Krippendorff's published ordinal value
    long = pd.read_parquet(bundle / "scores_long.parquet")
    row = long[long["node"] == "platform_dependence"].iloc[0]
    assert (row["node_label_en"], row["node_label_id"]) == ("Platform resilience",
                                                            "Ketahanan terhadap ketergantungan platform")
    wide = pd.read_csv(bundle / "scores_wide.csv")
    assert "p_start_up" in wide.columns and all(name.isidentifier() for name in wide.columns)


def test_two_runs_in_reverse_order_are_byte_identical(bundle, tmp_path, capsys):
    again = tmp_path / "again"
    status, _, err = run(capsys, "compare", ROUND, *SAMPLES[::-1], *OPTIONS, "--bundle", again)
    assert status == 0, err
    assert files_of(again) == files_of(bundle)


def test_a_rerun_from_the_provenance_reproduces_every_file(bundle, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # elsewhere: the recorded paths still lead to the inputs
    status, _, err = run(capsys, "compare", "--from-provenance", bundle / "provenance.json", "--bundle", "re")
    assert status == 0, err
    assert files_of(tmp_path / "re") == files_of(bundle)


def test_the_provenance_records_how_the_files_were_made(bundle):
    record = json.loads((bundle / "provenance.json").read_text(encoding="utf-8"))
    assert record["kind"] == "ddmt-provenance" and record["toolkit"]["name"] == "ddmt"
    rubric = REPO / "rubrics" / "digital-diplomacy-1.0.0.json"
    assert record["rubric"] == {"id": "digital-diplomacy", "version": "1.0.0",
                                "sha256": provenance.sha256_of(rubric), "file": rubric.name}
    assert [item["assessment"] for item in record["inputs"]] == sorted(item["assessment"]
                                                                       for item in record["inputs"])
    for item in record["inputs"]:
        assert provenance.sha256_of(item["path"]) == item["sha256"] and Path(item["path"]).name == item["file"]
    options = record["options"]
    assert options["uncertainty"] == {"draws": 60, "seed": 3, "spread": 0.2, "switch_aggregation": True}
    assert options["sensitivity"]["depth"] == 1 and options["sensitivity"]["samples"] == 8
    assert options["consistency"] is True and options["agreement"] == {"level": "ordinal"}
    assert options["normalisation"] == "goalposts" and options["lang"] == "id"
    listed = {item["name"]: item["sha256"] for item in record["files"]}
    assert listed == {name: provenance.sha256_of(bundle / name) for name in files_of(bundle)
                      if name != "provenance.json"}
    for name in listed:
        if name.endswith(".parquet"):
            embedded = json.loads(pq.read_schema(bundle / name).metadata[b"ddmt.provenance"])
            assert embedded == provenance.embedded(record)
            assert "path" not in json.dumps(embedded["inputs"])


def test_the_codebook_documents_every_file_and_column(bundle):
    book = json.loads((bundle / "codebook.json").read_text(encoding="utf-8"))
    documented = {entry["name"]: entry for entry in book["files"]}
    other = {entry["name"] for entry in book["other_files"]}
    assert set(documented) | other == set(files_of(bundle))
    markdown = (bundle / "codebook.md").read_text(encoding="utf-8")
    for name, entry in documented.items():
        if name.endswith(".csv"):
            header = next(csv.reader(io.StringIO((bundle / name).read_text(encoding="utf-8"))))
        else:
            header = list(pq.read_schema(bundle / name).names)
        assert [column["name"] for column in entry["columns"]] == header, name
        for column in entry["columns"]:
            assert column["type"] in {"integer", "number", "string", "boolean"}
            assert column["meaning"] and column["meaning"] != "see the table's description", (name, column)
            assert f"| `{column['name']}` |" in markdown
    wide = {c["name"]: c for c in documented["scores_wide.csv"]["columns"]}
    assert wide["platform_dependence"]["meaning"].startswith('score of the top-level dimension "Platform '
                                                             'resilience"')
    assert wide["overall_p05"]["unit"] == "points (0-100)" and wide["p_start_up"]["unit"] == "share (0-1)"


def test_a_changed_input_stops_the_rerun_naming_it(bundle, tmp_path, capsys):
    record = json.loads((bundle / "provenance.json").read_text(encoding="utf-8"))
    first = record["inputs"][0]
    changed = tmp_path / first["file"]
    shutil.copy(first["path"], changed)
    changed.write_text(changed.read_text(encoding="utf-8").replace('"period"', '"period" ', 1), encoding="utf-8")
    record["inputs"][0]["path"] = str(changed)
    moved = tmp_path / "provenance.json"
    moved.write_text(json.dumps(record), encoding="utf-8")
    status, _, err = run(capsys, "compare", "--from-provenance", moved, "--bundle", tmp_path / "x")
    assert status == 1
    assert err.strip() == (f"ddmt: {moved}: $.inputs[0]: {first['file']} ({first['assessment']}): its content "
                           f"changed (sha256 differs); name the file on the command line")
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(("content", "message"), [
    ("{", "not a JSON provenance file"),
    ('{"kind": "assessment"}', '$.kind: not a ddmt provenance file (expected "ddmt-provenance")'),
    ('{"kind": "ddmt-provenance", "format_version": 9}', "$.format_version: 9 is not supported"),
    ('{"kind": "ddmt-provenance", "format_version": 1, "rubric": {}, "inputs": [{}], "options": {}}',
     "$.inputs[0]: needs assessment, file, path and sha256 texts"),
])
def test_a_bad_provenance_file_is_named(tmp_path, capsys, content, message):
    path = tmp_path / "provenance.json"
    path.write_text(content, encoding="utf-8")
    status, out, err = run(capsys, "compare", "--from-provenance", path, "--bundle", tmp_path / "x")
    assert status == 1 and out == "" and "Traceback" not in err
    assert err.startswith(f"ddmt: {path}: ") and message in err


def test_usage_errors(capsys, tmp_path):
    status, _, err = run(capsys, "compare", "--from-provenance", tmp_path / "p.json")
    assert status == 2 and "--from-provenance needs --bundle DIR" in err
    status, _, err = run(capsys, "compare", "--format", "json")
    assert status == 2 and "name the assessment FILEs" in err
