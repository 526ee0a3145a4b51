"""Semantic checks of the rubric parts that point at other parts: gates and migrations (SPEC 11).

A gate names a level indicator, a scale value and a node; a migration names indicators of this
rubric that take the answers of an earlier version. A schema can say that these are ids and
numbers, not that they exist, so these checks do. Like `toolkit.model.semantics`, they look only at
well-formed parts and leave the rest to the schema layer, so one real problem gives one message.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from toolkit.issues import Issue, json_path
from toolkit.model.semantics import JsonPath, show

#: code -> (title, message template) of every check of this module.
CODES: dict[str, tuple[str, str]] = {
    "unknown-gate-indicator": ("A gate on an indicator the rubric does not have",
                               "no indicator {id} in the rubric{hint}"),
    "gate-on-metric": ("A gate on a metric indicator",
                       "{id} is a metric indicator: a gate needs a level indicator"),
    "unknown-gate-node": ("A gate capping a node the rubric does not have",
                          'no dimension {id} in the rubric{hint}: a gate caps a dimension or "overall"'),
    "unknown-migration-target": ("A migration to an indicator the rubric does not have",
                                 "no indicator {id} in the rubric{hint}"),
    "migration-merge": ("Two old ids migrate to one new id",
                        "{old} and {first} both move to {id}: two old ids cannot map to one new id"),
    "duplicate-migration": ("Two migrations from one version",
                            "a second migration from {version} (the first is at {first})"),
    "migration-not-earlier": ("A migration from a version that is not earlier than the rubric's",
                              "{version} is not earlier than this rubric's version {own}"),
}

ROOT = "overall"
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")


def _issue(file: str, code: str, path: JsonPath, **fields: Any) -> Issue:
    return Issue(file=file, code=code, message=CODES[code][1].format(**fields), path=path)


def _objects(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {show(close[0])}?)" if close else ""


def _tree(doc: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The node ids and the indicator kinds (id -> kind) of a rubric document, in order."""
    nodes: list[str] = []
    kinds: dict[str, str] = {}

    def walk(node: dict[str, Any]) -> None:
        if isinstance(node.get("id"), str):
            nodes.append(node["id"])
        for _, child in _objects(node.get("dimensions")):
            walk(child)
        for _, indicator in _objects(node.get("indicators")):
            if isinstance(indicator.get("id"), str):
                kinds.setdefault(indicator["id"], str(indicator.get("kind")))
    for _, top in _objects(doc.get("dimensions")):
        walk(top)
    return nodes, kinds


def reference_checks(doc: Any, file: str, scale: list[int]) -> list[Issue]:
    """Every problem of a rubric's gates and migrations (`scale`: its scale values, empty if broken)."""
    if not isinstance(doc, dict):
        return []
    nodes, kinds = _tree(doc)
    issues: list[Issue] = []
    languages = doc.get("languages")
    languages = [lang for lang in languages if isinstance(lang, str)] if isinstance(languages, list) else []
    _check_gates(doc.get("gates"), file, nodes, kinds, scale, languages, issues)
    _check_migrations(doc, file, kinds, scale, issues)
    return issues


def _check_gates(gates: Any, file: str, nodes: list[str], kinds: dict[str, str], scale: list[int],
                 languages: list[str], issues: list[Issue]) -> None:
    first: dict[str, JsonPath] = {}
    for index, gate in _objects(gates):
        path: JsonPath = ("gates", index)
        gate_id = gate.get("id")
        if isinstance(gate_id, str):
            if gate_id in first:
                issues.append(Issue(file=file, code="duplicate-id", path=(*path, "id"),
                                    message=f"duplicate id {show(gate_id)} (first used at {json_path(first[gate_id])})"))
            else:
                first[gate_id] = path
        indicator = gate.get("indicator")
        if isinstance(indicator, str) and _ID.match(indicator):
            if indicator not in kinds:
                issues.append(_issue(file, "unknown-gate-indicator", (*path, "indicator"), id=show(indicator),
                                     hint=_hint(indicator, list(kinds))))
            elif kinds[indicator] == "metric":
                issues.append(_issue(file, "gate-on-metric", (*path, "indicator"), id=show(indicator)))
        node = gate.get("node")
        if isinstance(node, str) and _ID.match(node) and node != ROOT and node not in nodes:
            issues.append(_issue(file, "unknown-gate-node", (*path, "node"), id=show(node),
                                 hint=_hint(node, [*nodes, ROOT])))
        _check_level(gate.get("min_level"), (*path, "min_level"), file, scale, issues)
        title = gate.get("title")
        if isinstance(title, dict):
            issues.extend(Issue(file=file, code="missing-text", path=(*path, "title"),
                                message=f"missing the {show(language)} text")
                          for language in languages if language not in title)


def _check_level(value: Any, path: JsonPath, file: str, scale: list[int], issues: list[Issue]) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0 and scale and value not in scale:
        # The same code and words as every other level off the scale (toolkit.model.semantics).
        issues.append(Issue(file=file, code="not-on-scale", path=path,
                            message=f"{value} is not a level of the scale ({min(scale)} to {max(scale)})"))


def _check_migrations(doc: dict[str, Any], file: str, kinds: dict[str, str], scale: list[int],
                      issues: list[Issue]) -> None:
    own = _version_key(doc.get("version"))
    first_from: dict[str, JsonPath] = {}
    for index, migration in _objects(doc.get("migrations")):
        path: JsonPath = ("migrations", index)
        source = migration.get("from")
        source_key = _version_key(source)
        if isinstance(source, str) and source_key is not None:
            if source in first_from:
                issues.append(_issue(file, "duplicate-migration", (*path, "from"), version=source,
                                     first=json_path(first_from[source])))
            else:
                first_from[source] = (*path, "from")
            if own is not None and source_key >= own:
                issues.append(_issue(file, "migration-not-earlier", (*path, "from"), version=source,
                                     own=doc["version"]))
        moves = migration.get("indicators")
        if not isinstance(moves, dict):
            continue
        taken: dict[str, str] = {}  # new id -> the first old id moving there
        for old, move in moves.items():
            if not isinstance(move, dict):
                continue
            where: JsonPath = (*path, "indicators", old)
            target = move.get("to")
            if isinstance(target, str) and _ID.match(target):
                if target not in kinds:
                    issues.append(_issue(file, "unknown-migration-target", (*where, "to"), id=show(target),
                                         hint=_hint(target, list(kinds))))
                elif target in taken:
                    issues.append(_issue(file, "migration-merge", (*where, "to"), old=show(old),
                                         first=show(taken[target]), id=show(target)))
                else:
                    taken[target] = old
            levels = move.get("levels")
            if isinstance(levels, dict):
                for key, level in levels.items():
                    _check_level(level, (*where, "levels", key), file, scale, issues)


def _version_key(version: Any) -> tuple[int, int, int, int] | None:
    """A sortable key of a semantic version (a pre-release sorts before its release), None if not one."""
    match = _SEMVER.match(version) if isinstance(version, str) else None
    if match is None:
        return None
    major, minor, patch, pre = match.group(1, 2, 3, 4)
    return int(major), int(minor), int(patch), 0 if pre else 1
