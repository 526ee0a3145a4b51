"""CITATION.cff (SPEC 13) is valid Citation File Format 1.2.0, checked against the vendored schema."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator
from referencing import Registry

from toolkit import __version__

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "tests" / "data" / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8"))


def problems(document: object) -> list[str]:
    """Every schema violation, as `path: message` (no network: an empty registry for remote refs)."""
    validator = Draft7Validator(SCHEMA, registry=Registry(), format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(document)]


def citation() -> dict:
    # The schema asks tools to read YAML dates as strings.
    data = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, datetime.date) else v))


def test_citation_cff_is_valid_cff_1_2_0():
    document = citation()
    assert problems(document) == []
    assert document["cff-version"] == "1.2.0"
    assert document["version"] == __version__  # cite the version that made the bundle


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d.pop("title"), ""),
    (lambda d: d.update({"license": "Not-A-Licence"}), "license"),
    (lambda d: d["references"][1].update({"doi": "https://doi.org/10.21105/joss.04567"}), "references/1/doi"),
])
def test_the_check_catches_a_broken_citation(change, where):
    document = citation()
    change(document)
    assert any(line.startswith(f"{where}:") for line in problems(document)), problems(document)
