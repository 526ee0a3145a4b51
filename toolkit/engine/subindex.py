"""Sub-indices: the rubric cut down to the indicators carrying one tag, scored like the whole.

A sub-rubric keeps the rubric's id and version (so assessments of the rubric stay comparable on it),
every indicator that carries the tag, and the nodes above them; nodes left without indicators are
dropped. Weights and aggregation are kept, so a sub-index re-weights only by what is absent. Gates
are kept where their indicator and the node they cap are both in the sub-index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from toolkit.engine.comparison import Comparison, compare
from toolkit.errors import ComparisonError
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Node, Rubric


def tags(rubric: Rubric) -> list[str]:
    """Every tag any indicator of the rubric carries, sorted."""
    return sorted({tag for indicator in rubric.indicators() for tag in indicator.tags})


def rubric_for_tag(rubric: Rubric, tag: str) -> Rubric:
    """The rubric with only the indicators carrying `tag` (and their nodes); ComparisonError if none do."""
    kept = tuple(node for node in (_prune(top, tag) for top in rubric.dimensions) if node is not None)
    if not kept:
        raise ComparisonError(f"no indicator of rubric {rubric.id} {rubric.version} carries the tag {tag!r}")
    pruned = replace(rubric, dimensions=kept)
    # A gate stays when its indicator and the node it caps are both in the sub-index.
    indicators = {indicator.id for indicator in pruned.indicators()}
    nodes = {node.id for node, _ in pruned.nodes()} | {"overall"}
    return replace(pruned, gates=tuple(gate for gate in rubric.gates
                                       if gate.indicator in indicators and gate.node in nodes))


def _prune(node: Node, tag: str) -> Node | None:
    """The node with only the tagged indicators below it, or None when nothing is left."""
    children = tuple(child for child in (_prune(sub, tag) for sub in node.dimensions) if child is not None)
    indicators = tuple(indicator for indicator in node.indicators if tag in indicator.tags)
    if not children and not indicators:
        return None
    return replace(node, dimensions=children, indicators=indicators)


def restrict(assessment: Assessment, rubric: Rubric) -> Assessment:
    """The assessment with only the answers to indicators of `rubric` (a sub-rubric scores the rest as unknown)."""
    known = {indicator.id for indicator in rubric.indicators()}
    answers = {key: answer for key, answer in assessment.answers.items() if key in known}
    if len(answers) == len(assessment.answers):
        return assessment
    return replace(assessment, answers=answers)


def compare_by_tag(rubric: Rubric, assessments: Sequence[Assessment], tag: str | None,
                   normalisation: str | None = None, *, rank_incomplete: bool = False) -> Comparison:
    """Compare assessments on the sub-index of `tag` (the whole rubric when `tag` is None)."""
    if tag is None:
        return compare(rubric, assessments, normalisation, rank_incomplete=rank_incomplete)
    sub = rubric_for_tag(rubric, tag)
    return compare(sub, [restrict(assessment, sub) for assessment in assessments], normalisation,
                   rank_incomplete=rank_incomplete)
