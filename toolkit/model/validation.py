"""Schema errors and semantic checks, turned into one sorted list of located issues.

Two layers report every problem at once: the JSON Schema of the document kind (`toolkit/model/schemas/`),
then the semantic checks of `toolkit.model.semantics` and, for gates and migrations,
`toolkit.model.references`. Issues come back sorted by their place in the
document. The schemas are resolved only from our own registry, so a `$ref` or `$schema` inside a
document is plain data: it is reported as an unexpected property and never fetched.

Every issue code, reading and validation alike, is one of this closed set (`CODES` maps each to its
title and message template):

    file-unreadable      the file cannot be read
    too-large            the file is too large
    not-utf8             the file is not UTF-8 text
    malformed-json       the text is not well-formed JSON
    duplicate-key        an object has the same key twice
    non-finite-number    NaN or Infinity, which JSON does not allow
    number-too-large     a number too large to be meaningful
    too-deep             nesting deeper than the limit
    missing-kind         the document has no kind
    unknown-kind         the kind is neither rubric nor assessment
    missing-property     a required property is absent
    unexpected-property  a property the format does not have (often a typo)
    not-allowed          a property that does not belong to this kind of indicator
    wrong-type           a value of the wrong JSON type
    bad-value            a value not among the allowed ones
    bad-format           a string not in the required form (id, version, date, ...)
    out-of-range         a number below the minimum or above the maximum
    empty                an empty string, list or object where content is needed
    too-few              fewer items than needed
    duplicate-item       a list item given twice
    schema-violation     any other schema rule
    duplicate-id         an id is used twice
    duplicate-level      a scale level is listed twice
    scale-levels         scale levels are not 0, 1, 2, ... in order
    missing-level        a level indicator lacks a level's descriptor
    not-on-scale         a level that is not on the rubric's scale
    stage-start          the first stage does not start at 0
    stage-order          stage thresholds do not increase
    missing-text         a text lacks one of the rubric's languages
    goalposts-order      goalposts with low not below high
    missing-goalposts    a metric indicator without goalposts under goalposts normalisation
    empty-node           a dimension with no children
    missing-na-reason    not applicable without a reason
    conflicting-answer   an answer says two incompatible things
    unsafe-url           an evidence URL with a scheme other than http or https
    bad-url              evidence that is not a web address
    rubric-mismatch      the assessment answers another rubric than the one given
    rubric-not-found     the assessment's rubric is not available
    rubric-invalid       the assessment's rubric is available but invalid
    unknown-indicator    an answer to an indicator the rubric does not have
    wrong-answer-kind    a level for a metric indicator, or a value for a level indicator
    duplicate-respondent  a respondent is listed twice in a team round
    unknown-gate-indicator  a gate on an indicator the rubric does not have
    gate-on-metric       a gate on a metric indicator
    unknown-gate-node    a gate capping a node the rubric does not have
    unknown-migration-target  a migration to an indicator the rubric does not have
    migration-merge      two old ids migrate to one new id
    duplicate-migration  two migrations from one version
    migration-not-earlier  a migration from a version that is not earlier than the rubric's
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import best_match
from referencing import Registry, Resource

from toolkit.issues import Issue
from toolkit.model import jsonio, references, semantics
from toolkit.model.rubric import Rubric
from toolkit.model.schemas import KINDS, load_schema
from toolkit.model.semantics import JsonPath, show

_SCHEMA_CODES: dict[str, tuple[str, str]] = {
    "missing-kind": ("The document has no kind", 'missing: a document needs "kind": "rubric" or "kind": "assessment"'),
    "unknown-kind": ("The kind is neither rubric nor assessment",
                     'unknown kind {value}: expected "rubric" or "assessment"'),
    "missing-property": ("A required property is absent", 'missing required property "{name}"'),
    "unexpected-property": ("A property the format does not have (often a typo)", "unexpected property {name}{hint}"),
    "not-allowed": ("A property that does not belong to this kind of indicator", '"{name}" is not allowed {where}'),
    "wrong-type": ("A value of the wrong JSON type", "expected {expected}, got {actual}"),
    "bad-value": ("A value not among the allowed ones", "expected {allowed}, got {value}"),
    "bad-format": ("A string not in the required form (id, version, date, ...)", "{value} is not {what}"),
    "out-of-range": ("A number below the minimum or above the maximum", "{value} is {relation} {limit}"),
    "empty": ("An empty string, list or object where content is needed", "must not be empty"),
    "too-few": ("Fewer items than needed", "needs at least {limit} {unit}"),
    "duplicate-item": ("A list item given twice", "{value} appears more than once"),
    "schema-violation": ("Any other schema rule", "{detail}"),
    "rubric-not-found": ("The assessment's rubric is not available", "{detail}"),
    "rubric-invalid": ("The assessment's rubric is available but invalid",
                       'rubric "{id}" version {version} is available but invalid ({source})'),
}

#: Every issue code -> (title, message template): reading, schema and semantic codes.
CODES: dict[str, tuple[str, str]] = {**jsonio.CODES, **_SCHEMA_CODES, **semantics.CODES, **references.CODES}

# What each schema pattern means, for messages a person can act on.
_PATTERNS = {
    r"^[a-z0-9][a-z0-9_.-]*$": 'a valid id (lowercase letters, digits, "_", "." and "-", starting with a letter or digit)',
    r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$":
        "a semantic version like 1.0.0",
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": 'a language code like "en" or "pt-BR"',
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date in the form YYYY-MM-DD",
    r"^[0-9a-fA-F]{64}$": "a SHA-256 hash (64 hexadecimal digits)",
    r"^[A-Z]{3}$": 'a three-letter ISO country code like "IDN"',
    r"^[a-z0-9][a-z0-9_-]*:[a-z0-9][a-z0-9_.-]*$": 'a tag of the form family:value, like "lens:realism"',
    r"^(0|[1-9][0-9]*)$": 'a level number like "0" or "3"',
    r"^https?://[^\s]+$": "an http or https address",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$":
        "an ISO 8601 date-time like 2026-01-31T09:30:00Z",
}
_FORMATS = {"date": "a real calendar date"}
_TYPES = {"object": "an object", "array": "a list", "string": "a string", "number": "a number",
          "integer": "an integer", "boolean": "true or false", "null": "null"}
_RELATIONS = {"minimum": "less than the minimum of", "exclusiveMinimum": "less than or equal to the minimum of",
              "maximum": "greater than the maximum of", "exclusiveMaximum": "greater than or equal to the maximum of"}
_SIZES = {"minItems": "items", "minLength": "characters", "minProperties": "properties"}


def document_kind(doc: Any) -> str | None:
    """The document's kind if it is one this toolkit knows (`rubric`, `assessment`), else None."""
    kind = doc.get("kind") if isinstance(doc, dict) else None
    return kind if kind in KINDS else None


def kind_issues(doc: Any, file: str) -> list[Issue]:
    """The issue of a document whose kind is missing or unknown (empty if the kind is known)."""
    if not isinstance(doc, dict):
        return [_issue(file, "wrong-type", (), expected="an object", actual=_describe(doc))]
    if "kind" not in doc:
        return [_issue(file, "missing-kind", ("kind",))]
    if document_kind(doc) is None:
        return [_issue(file, "unknown-kind", ("kind",), value=show(doc["kind"]))]
    return []


def rubric_issues(doc: Any, file: str) -> list[Issue]:
    """Every schema and semantic problem of a rubric document, sorted by place."""
    if _other_kind(doc, "rubric"):
        return _kind_mismatch(doc, file, "rubric")
    found = (schema_issues(doc, file, "rubric") + semantics.rubric_checks(doc, file)
             + references.reference_checks(doc, file, semantics.scale_of(doc)))
    return sort_issues(doc, found)


def assessment_issues(doc: Any, file: str, rubric: Rubric | None = None) -> list[Issue]:
    """Every problem of an assessment document, checked against `rubric` when given, sorted by place."""
    if _other_kind(doc, "assessment"):
        return _kind_mismatch(doc, file, "assessment")
    found = schema_issues(doc, file, "assessment") + semantics.assessment_checks(doc, file, rubric)
    return sort_issues(doc, found)


def _other_kind(doc: Any, kind: str) -> bool:
    # An assessment given where a rubric is expected (or the reverse) would otherwise drown the one
    # real problem in a page of missing and unexpected properties.
    found = document_kind(doc)
    return found is not None and found != kind


def _kind_mismatch(doc: Any, file: str, kind: str) -> list[Issue]:
    return [_issue(file, "bad-value", ("kind",), allowed=show(kind), value=show(doc["kind"]))]


def schema_issues(doc: Any, file: str, kind: str) -> list[Issue]:
    """The JSON Schema problems of a document of `kind`, one plain message per real problem."""
    issues: list[Issue] = []
    for error in _validator(kind).iter_errors(doc):
        issues.extend(_translate(error, doc, file))
    return issues


@cache
def _validator(kind: str) -> Draft202012Validator:
    # Our own registry, holding only our schemas and no retriever: nothing is ever fetched.
    registry: Registry = Registry().with_resources(
        (load_schema(name)["$id"], Resource.from_contents(load_schema(name))) for name in KINDS)
    return Draft202012Validator(load_schema(kind), registry=registry,
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def _issue(file: str, code: str, path: JsonPath, **fields: Any) -> Issue:
    return Issue(file=file, code=code, message=CODES[code][1].format(**fields), path=path)


def _describe(value: Any) -> str:
    """A value's type and, for a scalar, the value: `the string "x"`, `the number 2.5`, `a list`."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None or isinstance(value, bool):
        return show(value)
    noun = "string" if isinstance(value, str) else "number"
    return f"the {noun} {show(value)}"


def _translate(error: ValidationError, doc: Any, file: str) -> list[Issue]:
    """One jsonschema error as zero or more plain issues at the error's JSON path."""
    path: JsonPath = tuple(error.absolute_path)
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    if keyword in ("anyOf", "oneOf") and error.context:
        return _translate(best_match(error.context), doc, file)
    if "propertyNames" in error.schema_path:
        # The error's instance is the offending key; point at the key's own path.
        return [_issue(file, "bad-format", (*path, instance), value=show(instance),
                       what=_PATTERNS.get(expected, "an allowed name") if keyword == "pattern" else "an allowed name")]
    if keyword == "required":
        return [_issue(file, "missing-property", path, name=name)
                for name in expected if isinstance(instance, dict) and name not in instance]
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = list(error.schema.get("properties", {}))
        return [_issue(file, "unexpected-property", path, name=show(name), hint=_did_you_mean(name, known))
                for name in instance if name not in known]
    if keyword == "not" and expected == {} and path:  # a property barred for this kind of indicator
        parent = _at(doc, path[:-1])
        kind = parent.get("kind") if isinstance(parent, dict) else None
        where = f"in a {kind} indicator" if isinstance(kind, str) else "here"
        return [_issue(file, "not-allowed", path, name=path[-1], where=where)]
    if keyword == "type":
        wanted = [expected] if isinstance(expected, str) else list(expected)
        names = " or ".join(_TYPES.get(name, name) for name in wanted)
        return [_issue(file, "wrong-type", path, expected=names, actual=_describe(instance))]
    if keyword in ("enum", "const"):
        allowed = [expected] if keyword == "const" else list(expected)
        text = ", ".join(show(value) for value in allowed)
        return [_issue(file, "bad-value", path, allowed=text if len(allowed) == 1 else f"one of {text}",
                       value=show(instance))]
    if keyword == "pattern":
        return [_issue(file, "bad-format", path, value=show(instance), what=_PATTERNS.get(expected, f"matching {expected}"))]
    if keyword == "format":
        pattern = error.schema.get("pattern") if isinstance(error.schema, dict) else None
        if pattern and isinstance(instance, str) and not re.search(pattern, instance):
            return []  # the pattern error already says it
        return [_issue(file, "bad-format", path, value=show(instance), what=_FORMATS.get(expected, f"a valid {expected}"))]
    if keyword in _RELATIONS:
        return [_issue(file, "out-of-range", path, value=show(instance), relation=_RELATIONS[keyword],
                       limit=show(expected))]
    if keyword in _SIZES:
        if expected == 1:
            return [_issue(file, "empty", path)]
        return [_issue(file, "too-few", path, limit=expected, unit=_SIZES[keyword])]
    if keyword == "uniqueItems" and isinstance(instance, list):
        return _duplicates(instance, path, file)
    return [_issue(file, "schema-violation", path, detail=error.message.splitlines()[0][:200])]


def _did_you_mean(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.7)
    return f" (did you mean {show(close[0])}?)" if close else ""


def _duplicates(items: list[Any], path: JsonPath, file: str) -> list[Issue]:
    seen: list[Any] = []
    issues = []
    for index, item in enumerate(items):
        # Compare as JSON equals (1 and true differ), which `in` on Python values does not do.
        key = (type(item) is bool, item)
        if key in seen:
            issues.append(_issue(file, "duplicate-item", (*path, index), value=show(item)))
        else:
            seen.append(key)
    return issues


def _at(doc: Any, path: JsonPath) -> Any:
    """The value at a path, or None when the path leads nowhere."""
    for part in path:
        try:
            doc = doc[part]
        except (KeyError, IndexError, TypeError):
            return None
    return doc


def _position(doc: Any, path: JsonPath) -> tuple[int, ...]:
    """A sort key following the document's own order: the index of each step among its siblings."""
    key: list[int] = []
    for part in path:
        if isinstance(doc, dict) and part in doc:
            key.append(list(doc).index(part))
            doc = doc[part]
        elif isinstance(doc, list) and isinstance(part, int) and 0 <= part < len(doc):
            key.append(part)
            doc = doc[part]
        else:
            key.append(len(doc) if isinstance(doc, dict | list) else 0)
            doc = None
    return tuple(key)


def sort_issues(doc: Any, issues: Sequence[Issue]) -> list[Issue]:
    """Issues without repeats, in document order (stable, so schema issues precede semantic ones)."""
    unique = list(dict.fromkeys(issues))
    return sorted(unique, key=lambda issue: _position(doc, issue.path or ()))
