"""The two doors to every document: `load_*` raises an error carrying the issues, `validate_*` reports.

A source is a path to a JSON file (a str or an `os.PathLike`) or an already-parsed mapping (give it
a `name` so messages say which document); anything else (bytes, None, a number, which `open` would
take as a file descriptor) is refused with a `DocumentError`, never opened. Files are read by
`toolkit.model.jsonio` (size, depth, encoding and number limits); the document is then checked by
`toolkit.model.validation`. `validate_file` and `load_document` dispatch on the document's `kind` and,
for an assessment given without a rubric, find its rubric in the catalogue of shipped rubrics.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from toolkit.errors import DocumentError, RubricNotFoundError
from toolkit.issues import Issue, Report
from toolkit.model import catalogue, jsonio
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric
from toolkit.model.semantics import ID, VERSION, JsonPath, show
from toolkit.model.validation import CODES, assessment_issues, document_kind, kind_issues, rubric_issues, sort_issues

Source = str | os.PathLike[str] | Mapping[str, Any]
DEFAULT_NAME = "<document>"
_TOO_MANY_DIGITS = 10 ** jsonio.MAX_DIGITS  # the reader refuses integers of more digits than MAX_DIGITS
_SURROGATE = re.compile("[\ud800-\udfff]")  # half a character: the reader refuses it as not UTF-8


def load_rubric(source: Source, *, name: str | None = None) -> Rubric:
    """Read and validate a rubric; DocumentError with every issue if it is invalid."""
    doc, name = _open(source, name)
    _raise_if(rubric_issues(doc, name))
    return Rubric.from_dict(doc)


def load_assessment(source: Source, rubric: Rubric | None = None, *, name: str | None = None) -> Assessment:
    """Read and validate an assessment (against `rubric` when given); DocumentError if invalid."""
    doc, name = _open(source, name)
    _raise_if(assessment_issues(doc, name, rubric))
    return Assessment.from_dict(doc, source_file=name)


def validate_rubric(source: Source, *, name: str | None = None) -> Report:
    """Every problem of a rubric, as a report; never raises."""
    try:
        doc, name = _open(source, name)
    except DocumentError as error:
        return Report(_name(source, name), None, tuple(error.issues))
    return Report(name, "rubric", tuple(rubric_issues(doc, name)))


def validate_assessment(source: Source, rubric: Rubric | None = None, *, name: str | None = None) -> Report:
    """Every problem of an assessment (against `rubric` when given), as a report; never raises."""
    try:
        doc, name = _open(source, name)
    except DocumentError as error:
        return Report(_name(source, name), None, tuple(error.issues))
    return Report(name, "assessment", tuple(assessment_issues(doc, name, rubric)))


def validate_file(path: str | os.PathLike[str], rubric: Rubric | None = None, *, name: str | None = None,
                  max_bytes: int = jsonio.MAX_BYTES, max_depth: int = jsonio.MAX_DEPTH,
                  known: Sequence[Rubric] = ()) -> Report:
    """Validate a rubric or an assessment by its `kind`, finding an assessment's rubric if not given.

    `known` rubrics (say, rubric files named beside the assessments) are consulted before the catalogue.
    """
    name = _name(path, name)
    try:
        doc = jsonio.read_json(_path(path, name), max_bytes=max_bytes, max_depth=max_depth, name=name)
    except DocumentError as error:
        return Report(name, None, tuple(error.issues))
    kind, issues = _check(doc, name, rubric, known)
    return Report(name, kind, tuple(issues))


def load_document(path: str | os.PathLike[str], rubric: Rubric | None = None, *,
                  name: str | None = None, known: Sequence[Rubric] = ()) -> Rubric | Assessment:
    """Read a rubric or an assessment by its `kind`; DocumentError with every issue if invalid."""
    name = _name(path, name)
    doc = jsonio.read_json(_path(path, name), name=name)
    kind, issues = _check(doc, name, rubric, known)
    _raise_if(issues)
    return Rubric.from_dict(doc) if kind == "rubric" else Assessment.from_dict(doc, source_file=name)


def _check(doc: Any, name: str, rubric: Rubric | None,
           known: Sequence[Rubric] = ()) -> tuple[str | None, list[Issue]]:
    """The kind of a parsed document and all its issues, the catalogue consulted for a rubric."""
    problems = kind_issues(doc, name)
    if problems:
        return None, problems
    kind = document_kind(doc)
    if kind == "rubric":
        return kind, rubric_issues(doc, name)
    lookup: list[Issue] = []
    if rubric is None:
        rubric, lookup = _catalogue_rubric(doc, name, known)
    return kind, sort_issues(doc, assessment_issues(doc, name, rubric) + lookup)


def _catalogue_rubric(doc: dict[str, Any], name: str,
                      known: Sequence[Rubric] = ()) -> tuple[Rubric | None, list[Issue]]:
    """The rubric an assessment names, from the catalogue, or the issue saying why there is none."""
    named = doc.get("rubric")
    if not isinstance(named, dict):
        return None, []
    rubric_id, version = named.get("id"), named.get("version")
    if not (isinstance(rubric_id, str) and ID.match(rubric_id)
            and isinstance(version, str) and VERSION.match(version)):
        return None, []  # the schema layer reports it
    for candidate in known:
        if (candidate.id, candidate.version) == (rubric_id, version):
            return candidate, []
    try:
        return catalogue.find_rubric(rubric_id, version), []
    except RubricNotFoundError as error:
        known_id = any(found_id == rubric_id for found_id, _, _ in catalogue.list_rubrics())
        path: JsonPath = ("rubric", "version" if known_id else "id")
        return None, [_issue(name, "rubric-not-found", path, detail=str(error))]
    except DocumentError as error:
        source = error.issues[0].file if error.issues else "?"
        return None, [_issue(name, "rubric-invalid", ("rubric",), id=rubric_id, version=version, source=source)]


def _open(source: Source, name: str | None) -> tuple[Any, str]:
    """The parsed document and the name its issues carry."""
    name = _name(source, name)
    if isinstance(source, Mapping):
        doc = dict(source)
        _raise_if(list(_unparseable(doc, (), name)))
        return doc, name
    return jsonio.read_json(_path(source, name), name=name), name


def _name(source: Any, name: str | None) -> str:
    if name is not None:
        return jsonio.display_name(name)
    path = os.fspath(source) if isinstance(source, str | os.PathLike) else None
    return jsonio.display_name(path) if isinstance(path, str) else DEFAULT_NAME


def _path(source: Any, name: str) -> str | os.PathLike[str]:
    """`source` if it is a file path (str or os.PathLike of str); else DocumentError, so it is never opened.

    `open` would take an int as a file descriptor (0 is standard input) and bytes as a path; neither
    is a source this module documents.
    """
    if isinstance(source, str | os.PathLike) and isinstance(os.fspath(source), str):
        return source
    actual = f"{show(source, 40)} ({type(source).__name__})"
    raise DocumentError([_issue(name, "wrong-type", None, expected="a file path or a JSON object", actual=actual)])


def _unparseable(value: Any, path: JsonPath, name: str) -> Iterator[Issue]:
    """What `jsonio` refuses in a file, found in an in-memory document: NaN, infinities, deep nesting,
    half of a UTF-16 surrogate pair in a string or a key."""
    if len(path) > jsonio.MAX_DEPTH:
        yield _issue(name, "too-deep", path[:jsonio.MAX_DEPTH], limit=jsonio.MAX_DEPTH)
    elif isinstance(value, str):
        half = _SURROGATE.search(value)
        if half:
            yield _issue(name, "not-utf8", path, detail=_half_character(half.group()))
    elif isinstance(value, float) and not math.isfinite(value):
        token = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        yield _issue(name, "non-finite-number", path, token=token)
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _TOO_MANY_DIGITS:
        # Past a float's range (scoring would overflow) and, from 4,300 digits, past what str() prints.
        yield _issue(name, "number-too-large", path, number=_long_number(value))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            half = _SURROGATE.search(key) if isinstance(key, str) else None
            if half:
                yield _issue(name, "not-utf8", (*path, key), detail=_half_character(half.group()) + " (in a key)")
            else:
                yield from _unparseable(item, (*path, str(key)), name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _unparseable(item, (*path, index), name)


def _half_character(char: str) -> str:
    """The words `jsonio` uses for a lone surrogate in a file."""
    return f"\\u{ord(char):04x} is half of a UTF-16 surrogate pair, not a character"


def _long_number(value: int) -> str:
    """A huge integer in short, as `jsonio` shows one: its first digits and its length."""
    try:
        text = str(value)
    except ValueError:  # more digits than sys.get_int_max_str_digits() allows
        return f"with more than {sys.get_int_max_str_digits():,} digits"
    return f"{text[:12]}... ({len(text)} characters)"


def _issue(file: str, code: str, path: JsonPath | None, **fields: Any) -> Issue:
    return Issue(file=file, code=code, message=CODES[code][1].format(**fields), path=path)


def _raise_if(issues: list[Issue]) -> None:
    if issues:
        raise DocumentError(issues)
