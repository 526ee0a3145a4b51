"""`ddmt migrate FILE... --to VERSION --out DIR`, run as a user runs it, on the toy rubric pair."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_cli import assert_clean_failure, ddmt

DATA = Path(__file__).parent / "data" / "migration"
OLD, NEW, ROUND = DATA / "toy-1.0.0.json", DATA / "toy-1.1.0.json", DATA / "ruritania-2025.json"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_migrate_writes_the_round_on_the_new_version_and_says_what_happened(out: Path) -> None:
    run = ddmt("migrate", ROUND, OLD, "--rubric", NEW, "--to", "1.1.0", "--out", out)
    assert run.returncode == 0, run.stderr
    written = json.loads((out / ROUND.name).read_text(encoding="utf-8"))
    original = json.loads(ROUND.read_text(encoding="utf-8"))
    assert written["id"] == original["id"] and written["rubric"] == {"id": "toy-migration", "version": "1.1.0"}
    assert written["answers"]["a.keep"] == original["answers"]["a.keep"]
    assert run.stdout.splitlines() == [
        f"ruritania-mfa-2025: toy-migration 1.0.0 -> 1.1.0, written to {out / ROUND.name}",
        "  carried unchanged (2): a.keep, a.hours",
        "  remapped (2): a.remap (level 4 -> 3), a.rename -> a.renamed",
        "  dropped (3): a.retire (retired by the rubric), b.kind (now another kind of indicator), "
        "b.gone (not in the new rubric)",
        "  now to answer (3): a.new, b.kind, b.fresh",
    ]
    check = ddmt("validate", NEW, out / ROUND.name)
    assert check.returncode == 0, check.stderr


def test_the_report_as_json(out: Path) -> None:
    run = ddmt("migrate", ROUND, "--rubric", OLD, "--rubric", NEW, "--to", "1.1.0", "--out", out, "--format", "json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report[0]["carried"] == ["a.keep", "a.hours"] and report[0]["file"] == str(out / ROUND.name)


def test_an_invalid_document_writes_nothing(out: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    doc = json.loads(ROUND.read_text(encoding="utf-8"))
    doc["answers"]["a.keep"]["level"] = 9
    broken.write_text(json.dumps(doc), encoding="utf-8")
    run = ddmt("migrate", ROUND, broken, OLD, "--rubric", NEW, "--to", "1.1.0", "--out", out)
    lines = assert_clean_failure(run, 1)
    assert lines[0].startswith(f"{broken}: $.answers[\"a.keep\"].level: ")
    assert lines[-1] == "ddmt migrate: nothing was written"
    assert list(out.iterdir()) == []


def test_an_input_is_never_overwritten_nor_an_existing_file_silently(out: Path, tmp_path: Path) -> None:
    here = tmp_path / ROUND.name
    shutil.copy(ROUND, here)
    run = ddmt("migrate", here, OLD, "--rubric", NEW, "--to", "1.1.0", "--out", tmp_path)
    assert "is an input file" in assert_clean_failure(run, 1)[0]
    assert here.read_text(encoding="utf-8") == ROUND.read_text(encoding="utf-8")
    (out / ROUND.name).write_text("{}", encoding="utf-8")
    run = ddmt("migrate", ROUND, OLD, "--rubric", NEW, "--to", "1.1.0", "--out", out)
    assert "exists; add --overwrite" in assert_clean_failure(run, 1)[0]
    assert (out / ROUND.name).read_text(encoding="utf-8") == "{}"
    run = ddmt("migrate", ROUND, OLD, "--rubric", NEW, "--to", "1.1.0", "--out", out, "--overwrite")
    assert run.returncode == 0, run.stderr


def test_a_version_with_no_way_there_is_named(out: Path) -> None:
    run = ddmt("migrate", ROUND, OLD, "--rubric", NEW, "--to", "9.9.9", "--out", out)
    line = assert_clean_failure(run, 1)[0]
    assert line == (f"{ROUND}: $.rubric.version: cannot migrate: rubric \"toy-migration\" version 9.9.9 is not "
                    "available (available: 1.0.0, 1.1.0)")
    run = ddmt("migrate", ROUND, OLD, "--rubric", NEW, "--to", "1.0.0", "--out", out)
    assert assert_clean_failure(run, 1)[0] == f"{ROUND}: the assessment already uses rubric \"toy-migration\" 1.0.0"
    run = ddmt("migrate", ROUND, "--to", "1.1.0", "--out", out / "nowhere")
    assert assert_clean_failure(run, 2)[0].endswith("nowhere: no such folder")
