"""The semantic checks: what a JSON Schema cannot say about a rubric or an assessment.

The checks are defensive: they run on documents that may also have schema errors, look only at
the parts that are well-formed (right types), and leave everything else to the schema layer, so
one real problem gives one message. `toolkit.model.validation` merges and sorts both layers.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from toolkit.issues import Issue, escape_surrogates, json_path
from toolkit.model.rubric import Rubric

JsonPath = tuple[str | int, ...]

#: code -> (title, message template) of every semantic check.
CODES: dict[str, tuple[str, str]] = {
    "duplicate-id": ("An id is used twice", "duplicate id {id} (first used at {first})"),
    "duplicate-level": ("A scale level is listed twice", "duplicate scale level {value} (first at {first})"),
    "scale-levels": ("Scale levels are not 0, 1, 2, ... in order",
                     "scale levels must run 0, 1, 2, ... in ascending order (found {found})"),
    "missing-level": ("A level indicator lacks a level's descriptor", "missing the descriptor of level {level}"),
    "not-on-scale": ("A level that is not on the rubric's scale", "{value} is not a level of the scale ({low} to {high})"),
    "stage-start": ("The first stage does not start at 0", "the first stage must start at 0, not {value}"),
    "stage-order": ("Stage thresholds do not increase", "{value} must be above the previous threshold {previous}"),
    "missing-text": ("A text lacks one of the rubric's languages", "missing the {language} text"),
    "goalposts-order": ("Goalposts with low not below high", "low ({low}) must be less than high ({high})"),
    "missing-goalposts": ("A metric indicator without goalposts under goalposts normalisation",
                          'a metric indicator needs goalposts when the rubric normalisation is "goalposts"'),
    "empty-node": ("A dimension with no children", "a dimension needs at least one sub-dimension or indicator"),
    "missing-na-reason": ("Not applicable without a reason", '"na" is true but no "na_reason" is given'),
    "conflicting-answer": ("An answer says two incompatible things", "an answer cannot have both {first} and {second}"),
    "unsafe-url": ("An evidence URL with a scheme other than http or https",
                   'the URL scheme "{scheme}" is not allowed: only http and https'),
    "bad-url": ("Evidence that is not a web address", "{value} is not a web address starting with http:// or https://"),
    "rubric-mismatch": ("The assessment answers another rubric than the one given",
                        "the assessment is for rubric {id} version {version}, but the rubric given is "
                        "{given_id} version {given_version}"),
    "unknown-indicator": ("An answer to an indicator the rubric does not have", "unknown indicator {id}{hint}"),
    "duplicate-respondent": ("A respondent is listed twice in a round",
                             "duplicate respondent {id} (first at {first})"),
    "wrong-answer-kind": ("A level for a metric indicator, or a value for a level indicator",
                          'a {kind} indicator takes "{expected}", not "{given}"'),
}

ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
VERSION = re.compile(r"^[0-9A-Za-z.+-]+$")
_LEVEL_KEY = re.compile(r"^(0|[1-9][0-9]*)$")
_INDICATOR_TEXTS = ("title", "question", "guidance", "unit", "evidence_hint")


def issue(file: str, code: str, path: JsonPath, **fields: Any) -> Issue:
    """An issue of a semantic code, its message made from the code's template."""
    return Issue(file=file, code=code, message=CODES[code][1].format(**fields), path=path)


def show(value: Any, limit: int = 80) -> str:
    """A value as compact JSON for a message, shortened if long; half a surrogate pair shown as `\\udXXX`."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    text = escape_surrogates(text)  # else the message itself could not be printed or stored as UTF-8
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The (index, object) items of a list, skipping anything that is not an object."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


# ---------------------------------------------------------------------------------------- rubric

def rubric_checks(doc: Any, file: str) -> list[Issue]:
    """Every semantic problem of a rubric document, in no particular order."""
    if not isinstance(doc, dict):
        return []
    issues: list[Issue] = []
    scale = _scale_values(doc, file, issues)
    _check_stages(doc, file, issues)
    nodes = list(_walk_nodes(doc))
    _check_ids(nodes, file, issues)
    normalisation = doc.get("normalisation", "goalposts")
    for path, node, is_indicator in nodes:
        if is_indicator:
            _check_indicator(node, path, file, scale, normalisation, issues)
        elif not any(isinstance(node.get(key), list) and node[key] for key in ("dimensions", "indicators")):
            issues.append(issue(file, "empty-node", path))
    for key, path in (("default_target", ("default_target",)),
                      ("unsupported_cap", ("evidence_policy", "unsupported_cap"))):
        holder = doc if key == "default_target" else doc.get("evidence_policy")
        value = holder.get(key) if isinstance(holder, dict) else None
        _check_on_scale(value, path, file, scale, issues)
    languages = doc.get("languages")
    if isinstance(languages, list) and all(isinstance(lang, str) for lang in languages):
        for path, text in _texts(doc, nodes):
            for language in languages:
                if isinstance(text, dict) and language not in text:
                    issues.append(issue(file, "missing-text", path, language=show(language)))
    return issues


def scale_of(doc: Any) -> list[int]:
    """The scale values of a rubric document, or an empty list when its scale is broken."""
    return _scale_values(doc, "", []) if isinstance(doc, dict) else []


def _scale_values(doc: dict[str, Any], file: str, issues: list[Issue]) -> list[int]:
    scale = doc.get("scale")
    levels = scale.get("levels") if isinstance(scale, dict) else None
    values: list[int] = []
    first: dict[int, JsonPath] = {}
    for index, level in _items(levels):
        value = level.get("value")
        if not _is_int(value) or value < 0:
            continue
        path: JsonPath = ("scale", "levels", index)
        if value in first:
            issues.append(issue(file, "duplicate-level", (*path, "value"), value=value,
                                first=json_path(first[value])))
            continue
        first[value] = path
        values.append(value)
    if values and values != list(range(len(values))):
        issues.append(issue(file, "scale-levels", ("scale", "levels"),
                            found=", ".join(str(v) for v in values)))
    if len(values) != len(list(_items(levels))) or values != list(range(len(values))):
        return []  # checks against a broken scale would only repeat its problem everywhere
    return values


def _check_stages(doc: dict[str, Any], file: str, issues: list[Issue]) -> None:
    previous: float | None = None
    first_ids: dict[str, JsonPath] = {}
    for index, stage in _items(doc.get("stages")):
        stage_id = stage.get("id")
        if isinstance(stage_id, str):
            if stage_id in first_ids:
                issues.append(issue(file, "duplicate-id", ("stages", index, "id"), id=show(stage_id),
                                    first=json_path(first_ids[stage_id])))
            else:
                first_ids[stage_id] = ("stages", index)
        score = stage.get("min_score")
        if not _is_number(score):
            previous = None
            continue
        path: JsonPath = ("stages", index, "min_score")
        if index == 0 and score != 0:
            issues.append(issue(file, "stage-start", path, value=show(score)))
        elif previous is not None and score <= previous:
            issues.append(issue(file, "stage-order", path, value=show(score), previous=show(previous)))
        previous = score


def _walk_nodes(doc: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any], bool]]:
    """Every node and indicator object with its path and whether it is an indicator, in order."""
    def walk(node: dict[str, Any], path: JsonPath) -> Iterator[tuple[JsonPath, dict[str, Any], bool]]:
        yield path, node, False
        for index, child in _items(node.get("dimensions")):
            yield from walk(child, (*path, "dimensions", index))
        for index, indicator in _items(node.get("indicators")):
            yield (*path, "indicators", index), indicator, True
    for index, top in _items(doc.get("dimensions")):
        yield from walk(top, ("dimensions", index))


def _check_ids(nodes: list[tuple[JsonPath, dict[str, Any], bool]], file: str, issues: list[Issue]) -> None:
    first: dict[str, JsonPath] = {}
    for path, node, _ in nodes:
        node_id = node.get("id")
        if not isinstance(node_id, str):
            continue
        if node_id in first:
            issues.append(issue(file, "duplicate-id", (*path, "id"), id=show(node_id),
                                first=json_path(first[node_id])))
        else:
            first[node_id] = path


def _check_indicator(indicator: dict[str, Any], path: JsonPath, file: str, scale: list[int],
                     normalisation: Any, issues: list[Issue]) -> None:
    kind = indicator.get("kind")
    levels = indicator.get("levels")
    if kind == "level" and isinstance(levels, dict) and scale:
        given = {int(key) for key in levels if _LEVEL_KEY.match(key)}
        for level in scale:
            if level not in given:
                issues.append(issue(file, "missing-level", (*path, "levels"), level=level))
        for key in levels:
            if _LEVEL_KEY.match(key) and int(key) not in scale:
                issues.append(issue(file, "not-on-scale", (*path, "levels", key), value=key,
                                    low=min(scale), high=max(scale)))
    goalposts = indicator.get("goalposts")
    if isinstance(goalposts, dict):
        low, high = goalposts.get("low"), goalposts.get("high")
        if _is_number(low) and _is_number(high) and low >= high:
            issues.append(issue(file, "goalposts-order", (*path, "goalposts"), low=show(low), high=show(high)))
    elif kind == "metric" and goalposts is None and normalisation == "goalposts":
        issues.append(issue(file, "missing-goalposts", path))


def _check_on_scale(value: Any, path: JsonPath, file: str, scale: list[int], issues: list[Issue]) -> None:
    if _is_int(value) and value >= 0 and scale and value not in scale:
        issues.append(issue(file, "not-on-scale", path, value=value, low=min(scale), high=max(scale)))


def _texts(doc: dict[str, Any], nodes: list[tuple[JsonPath, dict[str, Any], bool]]) -> Iterator[tuple[JsonPath, Any]]:
    """Every language map of a rubric, with its path."""
    for key in ("title", "description"):
        yield (key,), doc.get(key)
    scale = doc.get("scale")
    for index, level in _items(scale.get("levels") if isinstance(scale, dict) else None):
        yield ("scale", "levels", index, "label"), level.get("label")
    for index, stage in _items(doc.get("stages")):
        for key in ("label", "description"):
            yield ("stages", index, key), stage.get(key)
    for path, node, is_indicator in nodes:
        for key in _INDICATOR_TEXTS if is_indicator else ("title", "description"):
            yield (*path, key), node.get(key)
        levels = node.get("levels") if is_indicator else None
        if isinstance(levels, dict):
            for level_key, level in levels.items():
                if isinstance(level, dict):
                    for key in ("descriptor", "evidence_hint"):
                        yield (*path, "levels", level_key, key), level.get(key)


# ------------------------------------------------------------------------------------ assessment

def assessment_checks(doc: Any, file: str, rubric: Rubric | None = None) -> list[Issue]:
    """Every semantic problem of an assessment document (against `rubric` when given)."""
    if not isinstance(doc, dict):
        return []
    issues: list[Issue] = []
    answers = doc.get("answers")
    answers = answers if isinstance(answers, dict) else {}
    against = rubric is not None and _same_rubric(doc, rubric, file, issues)
    answer_sets: list[tuple[JsonPath, dict[str, Any]]] = [(("answers",), answers)]
    answer_sets += [(("responses", index, "answers"), response["answers"])
                    for index, response in _items(doc.get("responses"))
                    if isinstance(response.get("answers"), dict)]
    for prefix, given in answer_sets:
        for key, answer in given.items():
            if isinstance(answer, dict):
                _check_answer(answer, (*prefix, key), file, issues, kinds_known=against)
        if rubric is not None and against:
            _check_against_rubric(given, rubric, file, issues, prefix)
    _check_respondents(doc.get("responses"), file, issues)
    return issues


def _check_respondents(responses: Any, file: str, issues: list[Issue]) -> None:
    """Respondent ids are unique within a round (SPEC 12)."""
    first: dict[str, JsonPath] = {}
    for index, response in _items(responses):
        who = response.get("respondent")
        respondent_id = who.get("id") if isinstance(who, dict) else None
        if not isinstance(respondent_id, str):
            continue  # the schema layer reports it
        path: JsonPath = ("responses", index, "respondent", "id")
        if respondent_id in first:
            issues.append(issue(file, "duplicate-respondent", path, id=show(respondent_id),
                                first=json_path(first[respondent_id])))
        else:
            first[respondent_id] = path


def _check_answer(answer: dict[str, Any], path: JsonPath, file: str, issues: list[Issue], *,
                  kinds_known: bool) -> None:
    has_level, has_value = _is_int(answer.get("level")), _is_number(answer.get("value"))
    if answer.get("na") is True:
        reason = answer.get("na_reason")
        if not isinstance(reason, str) or not reason.strip():
            issues.append(issue(file, "missing-na-reason", path))
        for given, present in (('"level"', has_level), ('"value"', has_value)):
            if present:
                issues.append(issue(file, "conflicting-answer", path, first=given, second='"na": true'))
    if has_level and has_value and not kinds_known:  # with the rubric, wrong-answer-kind says which
        issues.append(issue(file, "conflicting-answer", path, first='"level"', second='"value"'))
    for index, item in _items(answer.get("evidence")):
        value = item.get("value")
        if item.get("kind") == "url" and isinstance(value, str) and value:
            _check_url(value, (*path, "evidence", index, "value"), file, issues)


def _check_url(value: str, path: JsonPath, file: str, issues: list[Issue]) -> None:
    try:
        parts = urlsplit(value.strip())
    except ValueError:  # e.g. a malformed IPv6 host
        issues.append(issue(file, "bad-url", path, value=show(value)))
        return
    scheme = parts.scheme.lower()
    # urlsplit silently drops tabs and newlines; a link that hides them is not one to render.
    hidden = any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in value.strip())
    if scheme and scheme not in ("http", "https"):
        issues.append(issue(file, "unsafe-url", path, scheme=scheme))
    elif not scheme or not parts.hostname or hidden:  # `http://@` has a netloc but no host
        issues.append(issue(file, "bad-url", path, value=show(value)))


def _same_rubric(doc: dict[str, Any], rubric: Rubric, file: str, issues: list[Issue]) -> bool:
    """Whether the document names the given rubric; if it names another, say so at $.rubric."""
    named = doc.get("rubric")
    if not isinstance(named, dict):
        return True  # the schema layer reports a missing or malformed $.rubric
    named_id, version = named.get("id"), named.get("version")
    if (named_id, version) == (rubric.id, rubric.version):
        return True
    issues.append(issue(file, "rubric-mismatch", ("rubric",), id=show(named_id), version=_bare(version),
                        given_id=show(rubric.id), given_version=_bare(rubric.version)))
    return False


def _bare(version: Any) -> str:
    """A version as people write it (1.0.0), anything odd shown as JSON so it stays one line."""
    return version if isinstance(version, str) and VERSION.match(version) else show(version)


def _check_against_rubric(answers: Mapping[str, Any], rubric: Rubric, file: str, issues: list[Issue],
                          prefix: JsonPath = ("answers",)) -> None:
    indicators = {indicator.id: indicator for indicator in rubric.indicators()}
    scale = [level.value for level in rubric.scale]
    for key, answer in answers.items():
        path: JsonPath = (*prefix, key)
        if not ID.match(key):
            continue  # the schema layer reports a malformed key
        indicator = indicators.get(key)
        if indicator is None:
            close = difflib.get_close_matches(key, list(indicators), n=1)
            hint = f" (did you mean {show(close[0])}?)" if close else ""
            issues.append(issue(file, "unknown-indicator", path, id=show(key), hint=hint))
            continue
        if not isinstance(answer, dict):
            continue
        expected, wrong = ("value", "level") if indicator.is_metric else ("level", "value")
        if wrong in answer:
            issues.append(issue(file, "wrong-answer-kind", (*path, wrong), kind=indicator.kind,
                                expected=expected, given=wrong))
        elif not indicator.is_metric:
            _check_on_scale(answer.get("level"), (*path, "level"), file, scale, issues)
        if not indicator.is_metric:
            _check_on_scale(answer.get("target"), (*path, "target"), file, scale, issues)
