"""Every 1.0.0 sample round migrates to 1.1.0 and validates, its unchanged indicators carried as they were;
the 1.1.0 sample rounds are what the migration of their earlier round makes, plus the new answers;
and a ministry's trend crosses the version change."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.engine.comparison import compare
from toolkit.model.catalogue import find_rubric
from toolkit.model.documents import load_assessment, validate_assessment
from toolkit.model.migration import migrate_document

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "sample_ministries").glob("*.json"))
OLD, NEW = find_rubric("digital-diplomacy", "1.0.0"), find_rubric("digital-diplomacy", "1.1.0")
TABLE = NEW.migration_from("1.0.0")
NEW_IDS = {indicator.id: indicator.kind for indicator in NEW.indicators()}
OLD_IDS = {indicator.id: indicator.kind for indicator in OLD.indicators()}


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def on(version: str) -> list[Path]:
    return [path for path in SAMPLES if read(path)["rubric"]["version"] == version]


def kept(indicator_id: str) -> bool:
    """An indicator whose answers the migration carries unchanged."""
    return indicator_id not in TABLE.indicators and NEW_IDS.get(indicator_id) == OLD_IDS[indicator_id]


def test_there_are_rounds_on_both_versions_for_at_least_four_ministries():
    ministries = {read(path)["ministry"]["id"] for path in on("1.1.0")}
    assert len(ministries) >= 4
    assert all(any(read(path)["ministry"]["id"] == ministry for path in on("1.0.0")) for ministry in ministries)


@pytest.mark.parametrize("path", on("1.0.0"), ids=lambda path: path.stem)
def test_every_earlier_round_migrates_valid_and_carries_its_kept_answers_unchanged(path: Path):
    doc = read(path)
    migrated = migrate_document(doc, OLD, NEW)
    assert validate_assessment(migrated.document, NEW).valid
    carried = [key for key in doc["answers"] if kept(key)]
    assert carried and all(migrated.document["answers"][key] == doc["answers"][key] for key in carried)
    assert set(migrated.report.carried) == set(carried)
    assert not set(migrated.document["answers"]) & {key for key, move in TABLE.indicators.items() if move is None}


@pytest.mark.parametrize("path", on("1.1.0"), ids=lambda path: path.stem)
def test_each_later_round_is_its_earlier_round_migrated_plus_new_answers(path: Path):
    sys.path.insert(0, str(REPO / "scripts"))
    from sample_next_rounds import NEXT_ROUNDS

    doc = read(path)
    spec = next(spec for spec in NEXT_ROUNDS if spec.id == doc["id"])
    source = read(REPO / "sample_ministries" / f"{spec.ministry}-{spec.source}.json")
    assert doc["ministry"]["fictional"] is True and doc["notes"].startswith("Fictional sample:")
    for key, answer in source["answers"].items():
        if kept(key) and key not in spec.updates:
            assert doc["answers"][key] == answer, key
    assert set(spec.new) == set(NEW_IDS) - set(OLD_IDS)
    assert all(key in doc["answers"] for key in spec.new)
    assert load_assessment(doc, NEW).rubric_version == "1.1.0"


def test_trends_cross_the_version_change():
    for path in on("1.1.0"):
        ministry = read(path)["ministry"]["id"]
        rounds = [load_assessment(other) for other in SAMPLES if read(other)["ministry"]["id"] == ministry]
        (trend,) = compare(NEW, rounds).trends()
        assert len(trend.points) == len(rounds) >= 2
        assert all(point.score is not None for point in trend.points)


def test_ddmt_migrate_takes_every_earlier_sample(tmp_path: Path):
    run = subprocess.run([sys.executable, "-m", "toolkit", "migrate", *map(str, on("1.0.0")), "--to", "1.1.0",
                          "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert len(list(tmp_path.glob("*.json"))) == len(on("1.0.0"))
    assert run.stdout.count("-> 1.1.0, written to") == len(on("1.0.0"))


def test_the_sample_builder_check_passes():
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "build_samples.py"), "--check"], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("(rubric 1.1.0)") == len(on("1.1.0"))
