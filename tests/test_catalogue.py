"""The catalogue of shipped rubrics: where they are found, lookup messages, the cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from toolkit.errors import DocumentError, RubricNotFoundError, ToolkitError
from toolkit.model import catalogue
from toolkit.model.rubric import Rubric

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "data" / "rubrics" / "mini.json"


def write_version(folder: Path, version: str, name: str | None = None) -> Path:
    doc = json.loads(MINI.read_text())
    doc["version"] = version
    path = folder / (name or f"mini-{version}.json")
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A rubric folder with mini 1.0.0, 1.2.0 and 1.10.0, and files that are not valid rubrics."""
    shutil.copy(MINI, tmp_path / "mini.json")
    write_version(tmp_path, "1.10.0")
    write_version(tmp_path, "1.2.0")
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "assessment.json").write_text(json.dumps({"kind": "assessment"}))
    (tmp_path / "list.json").write_text("[]")
    invalid = json.loads(MINI.read_text())
    invalid.update(id="shaky", version="1.0.0")
    invalid["dimensions"][0]["weight"] = -1
    (tmp_path / "shaky.json").write_text(json.dumps(invalid))
    (tmp_path / "_draft").mkdir()
    write_version(tmp_path / "_draft", "3.0.0")
    (tmp_path / "notes.md").write_text("# not a rubric")
    return tmp_path


def test_list_rubrics_skips_what_is_not_a_valid_rubric(folder: Path) -> None:
    found = catalogue.list_rubrics([folder])
    assert [(rubric_id, version, path.name) for rubric_id, version, path in found] == [
        ("mini", "1.0.0", "mini.json"),
        ("mini", "1.2.0", "mini-1.2.0.json"),
        ("mini", "1.10.0", "mini-1.10.0.json"),
    ]


def test_find_rubric(folder: Path) -> None:
    rubric = catalogue.find_rubric("mini", "1.2.0", [folder])
    assert isinstance(rubric, Rubric) and rubric.version == "1.2.0"


def test_unknown_version_names_the_available_ones_in_version_order(folder: Path) -> None:
    with pytest.raises(RubricNotFoundError) as caught:
        catalogue.find_rubric("mini", "9.0.0", [folder])
    assert str(caught.value) == 'rubric "mini" version 9.0.0 is not available (available: 1.0.0, 1.2.0, 1.10.0)'
    assert isinstance(caught.value, ToolkitError)


def test_unknown_id(folder: Path) -> None:
    with pytest.raises(RubricNotFoundError) as caught:
        catalogue.find_rubric("x", "1.0.0", [folder])
    assert str(caught.value) == 'no rubric "x" is available'


def test_draft_subfolders_are_not_searched(folder: Path) -> None:
    with pytest.raises(RubricNotFoundError):
        catalogue.find_rubric("mini", "3.0.0", [folder])


def test_an_invalid_rubric_that_matches_is_an_error_not_a_miss(folder: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        catalogue.find_rubric("shaky", "1.0.0", [folder])
    assert [issue.code for issue in caught.value.issues] == ["out-of-range"]
    with pytest.raises(RubricNotFoundError, match='no rubric "shaky" is available'):
        catalogue.find_rubric("shaky", "2.0.0", [folder])


def test_first_folder_wins(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = tmp_path_factory.mktemp("other")
    doc = json.loads(MINI.read_text())
    doc["title"]["en"] = "Overriding copy"
    (other / "mini.json").write_text(json.dumps(doc))
    assert catalogue.find_rubric("mini", "1.0.0", [other, folder]).title["en"] == "Overriding copy"
    assert [entry[2].parent for entry in catalogue.list_rubrics([other, folder])][0] == other


def test_cache_returns_the_same_model_until_the_file_changes(folder: Path) -> None:
    first = catalogue.find_rubric("mini", "1.2.0", [folder])
    assert catalogue.find_rubric("mini", "1.2.0", [folder]) is first
    path = folder / "mini-1.2.0.json"
    doc = json.loads(path.read_text())
    doc["title"]["en"] = "Changed"
    path.write_text(json.dumps(doc))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = catalogue.find_rubric("mini", "1.2.0", [folder])
    assert changed is not first and changed.title["en"] == "Changed"


def test_a_deleted_file_disappears(folder: Path) -> None:
    assert catalogue.find_rubric("mini", "1.2.0", [folder])
    (folder / "mini-1.2.0.json").unlink()
    with pytest.raises(RubricNotFoundError):
        catalogue.find_rubric("mini", "1.2.0", [folder])


def test_default_folders_are_the_repo_rubrics_and_the_package_data() -> None:
    folders = catalogue.rubric_folders()
    assert all(folder.is_dir() for folder in folders)
    if (REPO / "rubrics").is_dir():
        assert folders[0] == REPO / "rubrics"
    shipped = REPO / "toolkit" / "shipped_rubrics"
    assert (shipped in folders) == shipped.is_dir()


def test_default_rubric_is_found_when_shipped() -> None:
    shipped = [path for path in sorted((REPO / "rubrics").glob("*.json"))
               if json.loads(path.read_text(encoding="utf-8")).get("id") == "digital-diplomacy"]
    assert shipped, "rubrics/ holds no digital-diplomacy rubric"
    versions = [version for rubric_id, version, _ in catalogue.list_rubrics() if rubric_id == "digital-diplomacy"]
    assert versions and all(version.startswith("1.") for version in versions)
    assert catalogue.find_rubric("digital-diplomacy", versions[0]).id == "digital-diplomacy"
