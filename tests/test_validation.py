"""Validation: the data-driven corpus of invalid documents, and the properties of the two layers.

Each folder of tests/data/invalid/ holds one input file, `expected.txt` (the exact message lines,
the file shown by its bare name; empty for a valid document) and optionally `options.json`:
`max_bytes` / `max_depth` (reading limits), `rubric` (a rubric file, relative to tests/data, given
explicitly) and `as` ("rubric" or "assessment": validate as that kind instead of by `kind`).
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.issues import Issue
from toolkit.model import catalogue, semantics, validation
from toolkit.model.documents import load_rubric, validate_assessment, validate_file, validate_rubric

DATA = Path(__file__).resolve().parent / "data"
CASES = sorted(path for path in (DATA / "invalid").iterdir() if path.is_dir())
MINI = DATA / "rubrics" / "mini.json"


def _no_network(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("validation tried to open a network connection")


@pytest.fixture
def offline_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rubrics come from tests/data/rubrics only, and any network access fails the test."""
    monkeypatch.setattr(catalogue, "rubric_folders", lambda: [DATA / "rubrics"])
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", _no_network)
    monkeypatch.setattr(socket, "create_connection", _no_network)


def case_issues(folder: Path) -> list[Issue]:
    """Validate a case folder's input the way its options say; every issue."""
    options = json.loads((folder / "options.json").read_text()) if (folder / "options.json").exists() else {}
    [source] = [path for path in folder.iterdir() if path.name not in ("expected.txt", "options.json")]
    rubric = load_rubric(DATA / options["rubric"]) if "rubric" in options else None
    if options.get("as") == "rubric":
        report = validate_rubric(source, name=source.name)
    elif options.get("as") == "assessment":
        report = validate_assessment(source, rubric, name=source.name)
    else:
        limits = {key: options[key] for key in ("max_bytes", "max_depth") if key in options}
        report = validate_file(source, rubric, name=source.name, **limits)
    return list(report.issues)


def run_case(folder: Path) -> list[str]:
    """The issue lines of a case, as the command line would print them."""
    return [str(issue) for issue in case_issues(folder)]


@pytest.mark.usefixtures("offline_catalogue")
@pytest.mark.parametrize("folder", CASES, ids=[folder.name for folder in CASES])
def test_invalid_corpus(folder: Path) -> None:
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert run_case(folder) == expected


def test_corpus_covers_every_code(offline_catalogue: None) -> None:
    """Every issue code appears in the corpus, but for the few tested elsewhere; all from the closed set."""
    seen = set()
    for folder in CASES:
        for issue in case_issues(folder):
            assert issue.code in validation.CODES
            assert issue.message and "\n" not in issue.message
            seen.add(issue.code)
    # file-unreadable: tests/test_jsonio.py; rubric-invalid and conflicting level/value without a
    # rubric: tests/test_documents.py; schema-violation and too-few: no rule of ours produces them.
    assert set(validation.CODES) - seen == {"file-unreadable", "rubric-invalid", "schema-violation", "too-few"}


def test_codes_are_documented_in_the_module_docstring() -> None:
    doc = validation.__doc__ or ""
    for code in validation.CODES:
        assert re.search(rf"^\s+{re.escape(code)}\s", doc, re.MULTILINE), code
    documented = re.findall(r"^    ([a-z0-9-]+)\s{2,}", doc, re.MULTILINE)
    assert sorted(documented) == sorted(validation.CODES)


def test_remote_ref_in_a_document_is_never_fetched(offline_catalogue: None) -> None:
    doc = json.loads(MINI.read_text())
    doc["$schema"] = "http://127.0.0.1:9/schema.json"
    doc["dimensions"][0]["$ref"] = "http://127.0.0.1:9/x"
    lines = [str(issue) for issue in validate_rubric(doc, name="remote.json").issues]
    assert lines == [
        'remote.json: $: unexpected property "$schema"',
        'remote.json: $.dimensions[0]: unexpected property "$ref"',
    ]


def test_every_schema_pattern_has_a_plain_meaning() -> None:
    from toolkit.model.schemas import KINDS, load_schema

    def patterns(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
            return found + [p for value in node.values() for p in patterns(value)]
        if isinstance(node, list):
            return [p for value in node for p in patterns(value)]
        return []
    for kind in KINDS:
        for pattern in patterns(load_schema(kind)):
            assert pattern in validation._PATTERNS, pattern


def test_document_kind() -> None:
    assert validation.document_kind({"kind": "rubric"}) == "rubric"
    assert validation.document_kind({"kind": "assessment"}) == "assessment"
    assert validation.document_kind({"kind": "other"}) is None
    assert validation.document_kind([]) is None


def test_valid_mini_rubric_has_no_issues() -> None:
    doc = json.loads(MINI.read_text())
    assert validation.rubric_issues(doc, "mini.json") == []


def test_issues_are_sorted_by_document_position() -> None:
    doc = json.loads(MINI.read_text())
    doc["dimensions"][1]["weight"] = 0
    doc["dimensions"][0]["indicators"][1]["weight"] = -2
    doc["id"] = "BAD"
    paths = [issue.where for issue in validation.rubric_issues(doc, "m.json")]
    assert paths == ["$.id", "$.dimensions[0].indicators[1].weight", "$.dimensions[1].weight"]


def test_assessment_against_rubric_mismatch_skips_answer_checks() -> None:
    rubric = load_rubric(MINI)
    doc = json.loads((DATA / "invalid" / "assessment-rubric-mismatch" / "assessment.json").read_text())
    doc["answers"]["zz"] = {"level": 1}
    codes = [issue.code for issue in validation.assessment_issues(doc, "a.json", rubric)]
    assert codes == ["rubric-mismatch"]


# -- robustness: no input makes validation raise --------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(-10, 10) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def _mutations(doc: Any) -> st.SearchStrategy[Any]:
    """The document with one value somewhere replaced by arbitrary JSON."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))
    walk(doc, ())

    def replace(path: tuple[Any, ...], value: Any) -> Any:
        copy = json.loads(json.dumps(doc))
        if not path:
            return value
        target = copy
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        return copy
    return st.builds(replace, st.sampled_from(paths), _json)


_MINI_DOC = json.loads(MINI.read_text())
_ASSESSMENT_DOC = json.loads((DATA / "invalid" / "assessment-unknown-indicator" / "assessment.json").read_text())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations(_MINI_DOC))
def test_rubric_validation_never_raises(doc: Any) -> None:
    for issue in validation.rubric_issues(doc, "fuzz.json"):
        assert isinstance(issue, Issue) and issue.code in validation.CODES and issue.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutations(_ASSESSMENT_DOC))
def test_assessment_validation_never_raises(doc: Any) -> None:
    rubric = load_rubric(MINI)
    for issue in validation.assessment_issues(doc, "fuzz.json", rubric):
        assert isinstance(issue, Issue) and issue.code in validation.CODES and issue.message


def test_semantic_codes_have_templates() -> None:
    for code, (title, template) in semantics.CODES.items():
        assert title and template and code == code.lower()


# -- the schemas themselves ------------------------------------------------------------------------

def _schema_properties(node: Any, path: str = "#") -> list[tuple[str, Any]]:
    """Every (location, subschema) declared under a `properties` keyword, recursively.

    An `if` only tests a condition, so its `properties` declare nothing and are skipped.
    """
    found = []
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            found.append((f"{path}/properties/{name}", sub))
        for key, value in node.items():
            if key != "if":
                found.extend(_schema_properties(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_schema_properties(value, f"{path}/{index}"))
    return found


@pytest.mark.parametrize("kind", ["rubric", "assessment"])
def test_schema_is_valid_2020_12_with_a_urn_id(kind: str) -> None:
    from jsonschema import Draft202012Validator

    from toolkit.model.schemas import load_schema
    schema = load_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:ddmt:schema:{kind}:1"


@pytest.mark.parametrize("kind", ["rubric", "assessment"])
def test_every_schema_property_has_a_description(kind: str) -> None:
    from toolkit.model.schemas import load_schema
    undocumented = [where for where, sub in _schema_properties(load_schema(kind))
                    if not (isinstance(sub, dict) and sub.get("description"))]
    assert undocumented == []


@pytest.mark.parametrize("kind", ["rubric", "assessment"])
def test_every_schema_property_is_in_the_format_docs(kind: str) -> None:
    from toolkit.model.schemas import load_schema
    docs = (DATA.parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    names = {where.rsplit("/", 1)[1] for where, _ in _schema_properties(load_schema(kind))}
    assert sorted(name for name in names if not re.search(rf"\b{re.escape(name)}\b", docs)) == []


@pytest.mark.parametrize("kind", ["rubric", "assessment"])
def test_schema_objects_are_closed(kind: str) -> None:
    """Every object with properties refuses unknown ones, so a typo is always caught."""
    from toolkit.model.schemas import load_schema
    def objects(node: Any, path: str = "#") -> list[str]:
        open_ = []
        if isinstance(node, dict):
            if "properties" in node and node.get("type") == "object" and "additionalProperties" not in node:
                open_.append(path)
            for key, value in node.items():
                open_.extend(objects(value, f"{path}/{key}"))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                open_.extend(objects(value, f"{path}/{index}"))
        return open_
    assert objects(load_schema(kind)) == []


def test_level_and_value_together_without_a_rubric() -> None:
    doc = json.loads((DATA / "invalid" / "assessment-unknown-indicator" / "assessment.json").read_text())
    doc["answers"]["a1"]["value"] = 2
    lines = [str(issue) for issue in validation.assessment_issues(doc, "a.json")]
    assert lines == ['a.json: $.answers.a1: an answer cannot have both "level" and "value"']


def test_assessment_checks_without_a_rubric_skip_rubric_checks() -> None:
    doc = json.loads((DATA / "invalid" / "assessment-unknown-indicator" / "assessment.json").read_text())
    assert validation.assessment_issues(doc, "a.json") == []


def test_in_memory_document_with_unknown_kind() -> None:
    assert [str(i) for i in validation.kind_issues({"kind": 3}, "d")] == [
        'd: $.kind: unknown kind 3: expected "rubric" or "assessment"']
    assert validation.kind_issues({"kind": "rubric"}, "d") == []


@pytest.mark.parametrize(("url", "expected"), [
    ("https://mfa.example/a?b=1#c", None),
    ("HTTP://MFA.EXAMPLE", None),
    ("  https://mfa.example  ", None),
    ("javascript:alert(1)", 'the URL scheme "javascript" is not allowed: only http and https'),
    ("JaVaScRiPt:alert(1)", 'the URL scheme "javascript" is not allowed: only http and https'),
    ("\tjavascript:alert(1)", 'the URL scheme "javascript" is not allowed: only http and https'),
    ("java\nscript:alert(1)", 'the URL scheme "javascript" is not allowed: only http and https'),
    ("vbscript:msgbox", 'the URL scheme "vbscript" is not allowed: only http and https'),
    ("data:text/html,<script>", 'the URL scheme "data" is not allowed: only http and https'),
    ("file:///etc/passwd", 'the URL scheme "file" is not allowed: only http and https'),
    ("ftp://x.example/f", 'the URL scheme "ftp" is not allowed: only http and https'),
    ("//evil.example/x", '"//evil.example/x" is not a web address starting with http:// or https://'),
    ("https:javascript:alert(1)", '"https:javascript:alert(1)" is not a web address starting with http:// or https://'),
    ("https://ok.example/\nx", '"https://ok.example/\\nx" is not a web address starting with http:// or https://'),
    ("http://[::1", '"http://[::1" is not a web address starting with http:// or https://'),
])
def test_evidence_urls(url: str, expected: str | None) -> None:
    doc = json.loads((DATA / "invalid" / "assessment-unknown-indicator" / "assessment.json").read_text())
    doc["answers"]["a1"]["evidence"] = [{"kind": "url", "value": url}]
    messages = [issue.message for issue in validation.assessment_issues(doc, "a.json")]
    assert messages == ([expected] if expected else [])
