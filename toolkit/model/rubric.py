"""The rubric model: frozen dataclasses built from a validated rubric document.

The model is data: no dimension or indicator name appears in code, so a new rubric needs no code.
`Rubric.from_dict` expects a document that has passed validation (`toolkit.model.documents`); use
`toolkit.model.documents.load_rubric` to read and validate a file in one step.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Text = Mapping[str, str]


def text_in(text: Text | None, language: str, fallback: str = "en") -> str:
    """Pick one language from a language map, falling back to `fallback`, then to any language."""
    if not text:
        return ""
    if language in text:
        return text[language]
    if fallback in text:
        return text[fallback]
    return next(iter(text.values()), "")


@dataclass(frozen=True)
class LevelText:
    """What is true of a ministry at one level, and what evidence would show it."""

    descriptor: Text
    evidence_hint: Text


@dataclass(frozen=True)
class Indicator:
    """A question answered with a level (0..L) or a measured value (metric)."""

    id: str
    kind: str  # "level" | "metric"
    title: Text
    question: Text
    weight: float = 1.0
    tags: tuple[str, ...] = ()
    guidance: Text | None = None
    levels: Mapping[int, LevelText] = field(default_factory=dict)
    unit: Text | None = None
    direction: int = 1
    goalposts: tuple[float, float] | None = None
    evidence_hint: Text | None = None

    @property
    def is_metric(self) -> bool:
        return self.kind == "metric"


@dataclass(frozen=True)
class Node:
    """A dimension or sub-dimension: weighted children combined arithmetically or geometrically."""

    id: str
    title: Text
    weight: float = 1.0
    aggregation: str = "arithmetic"
    description: Text | None = None
    dimensions: tuple[Node, ...] = ()
    indicators: tuple[Indicator, ...] = ()

    @property
    def children(self) -> tuple[Node | Indicator, ...]:
        """Child nodes first, then indicators: the order scores and reports use."""
        return (*self.dimensions, *self.indicators)


@dataclass(frozen=True)
class ScaleLevel:
    value: int
    label: Text


@dataclass(frozen=True)
class Stage:
    id: str
    min_score: float
    label: Text
    description: Text | None = None


@dataclass(frozen=True)
class IndicatorMove:
    """Where an earlier version's answer goes: a new indicator id, its levels mapped (old -> new)."""

    to: str
    levels: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Migration:
    """How answers of an earlier version (`source`) are taken: moved, or dropped (`None`), by old id.

    An old id not listed keeps its place when the new rubric has an indicator of that id and kind.
    """

    source: str
    indicators: Mapping[str, IndicatorMove | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Gate:
    """A critical control (SPEC 11): `indicator` answered below `min_level` caps `node` at `cap`."""

    id: str
    indicator: str
    min_level: int
    node: str  # a node id, or "overall" for the root
    cap: float
    title: Text | None = None


@dataclass(frozen=True)
class Rubric:
    """A whole rubric: scale, stages, policies and the tree of dimensions."""

    id: str
    version: str
    title: Text
    languages: tuple[str, ...]
    scale: tuple[ScaleLevel, ...]
    stages: tuple[Stage, ...]
    dimensions: tuple[Node, ...]
    description: Text | None = None
    aggregation: str = "arithmetic"
    normalisation: str = "goalposts"
    unsupported_cap: int | None = None
    default_target: int | None = None
    source: Mapping[str, Any] | None = None
    migrations: tuple[Migration, ...] = ()
    gates: tuple[Gate, ...] = ()
    min_completeness: float | None = None  # below it a stage (and a rank) is null: "not rated"

    @property
    def max_level(self) -> int:
        """L, the highest scale value."""
        return max(level.value for level in self.scale)

    @property
    def major_version(self) -> int:
        return int(self.version.split(".", 1)[0])

    @property
    def root(self) -> Node:
        """The implicit root node whose children are the top-level dimensions."""
        return Node(id="overall", title={"en": "Overall", "id": "Keseluruhan"},
                    aggregation=self.aggregation, dimensions=self.dimensions)

    def nodes(self) -> Iterator[tuple[Node, int]]:
        """Every dimension and sub-dimension with its depth (1 = top level), depth-first."""
        def walk(node: Node, depth: int) -> Iterator[tuple[Node, int]]:
            yield node, depth
            for child in node.dimensions:
                yield from walk(child, depth + 1)
        for top in self.dimensions:
            yield from walk(top, 1)

    def indicators(self) -> Iterator[Indicator]:
        """Every indicator in rubric order (depth-first, child nodes before a node's own indicators)."""
        def walk(node: Node) -> Iterator[Indicator]:
            for child in node.dimensions:
                yield from walk(child)
            yield from node.indicators
        for top in self.dimensions:
            yield from walk(top)

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators():
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def stage_for(self, score: float | None) -> Stage | None:
        """The last stage whose min_score <= score, with a 1e-9 tolerance; None for no score."""
        if score is None:
            return None
        found = None
        for stage in self.stages:
            if stage.min_score <= score + 1e-9:
                found = stage
        return found

    def level_label(self, value: int, language: str = "en") -> str:
        for level in self.scale:
            if level.value == value:
                return text_in(level.label, language)
        return str(value)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Rubric:
        """Build the model from a validated rubric document."""
        policy = doc.get("evidence_policy") or {}
        return cls(
            id=doc["id"],
            version=doc["version"],
            title=doc["title"],
            description=doc.get("description"),
            languages=tuple(doc["languages"]),
            aggregation=doc.get("aggregation", "arithmetic"),
            normalisation=doc.get("normalisation", "goalposts"),
            scale=tuple(ScaleLevel(int(lv["value"]), lv["label"]) for lv in doc["scale"]["levels"]),
            stages=tuple(Stage(st["id"], float(st["min_score"]), st["label"], st.get("description"))
                         for st in doc["stages"]),
            unsupported_cap=policy.get("unsupported_cap"),
            default_target=doc.get("default_target"),
            dimensions=tuple(_node_from_dict(node) for node in doc["dimensions"]),
            source=doc.get("source"),
            migrations=tuple(_migration_from_dict(entry) for entry in doc.get("migrations", ())),
            gates=tuple(Gate(id=gate["id"], indicator=gate["indicator"], min_level=int(gate["min_level"]),
                             node=gate["node"], cap=float(gate["cap"]), title=gate.get("title"))
                        for gate in doc.get("gates", ())),
            min_completeness=(None if doc.get("min_completeness") is None
                              else float(doc["min_completeness"])),
        )

    def migration_from(self, version: str) -> Migration | None:
        """The migration table for answers of an earlier `version`, or None if the rubric lists none."""
        return next((entry for entry in self.migrations if entry.source == version), None)


def _node_from_dict(doc: Mapping[str, Any]) -> Node:
    return Node(
        id=doc["id"],
        title=doc["title"],
        description=doc.get("description"),
        weight=float(doc.get("weight", 1)),
        aggregation=doc.get("aggregation", "arithmetic"),
        dimensions=tuple(_node_from_dict(child) for child in doc.get("dimensions", ())),
        indicators=tuple(_indicator_from_dict(ind) for ind in doc.get("indicators", ())),
    )


def _indicator_from_dict(doc: Mapping[str, Any]) -> Indicator:
    goalposts = doc.get("goalposts")
    return Indicator(
        id=doc["id"],
        kind=doc["kind"],
        title=doc["title"],
        question=doc["question"],
        guidance=doc.get("guidance"),
        weight=float(doc.get("weight", 1)),
        tags=tuple(doc.get("tags", ())),
        levels={int(key): LevelText(value["descriptor"], value["evidence_hint"])
                for key, value in (doc.get("levels") or {}).items()},
        unit=doc.get("unit"),
        direction=int(doc.get("direction", 1)),
        goalposts=(float(goalposts["low"]), float(goalposts["high"])) if goalposts else None,
        evidence_hint=doc.get("evidence_hint"),
    )


def _migration_from_dict(doc: Mapping[str, Any]) -> Migration:
    return Migration(
        source=doc["from"],
        indicators={old: None if move is None else IndicatorMove(
            to=move["to"], levels={int(key): int(value) for key, value in (move.get("levels") or {}).items()})
            for old, move in doc.get("indicators", {}).items()},
    )
