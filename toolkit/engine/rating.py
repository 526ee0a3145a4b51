"""The completeness rule and the gates in words (SPEC 11): when a stage is shown, and what capped a score.

A node, or the overall, whose completeness is below the rubric's `min_completeness` keeps its score
but has no stage: it is "not rated: N % complete, at least M % needed". In a comparison such an
assessment has no rank unless ranking incomplete rounds is asked for. The command line, the app and
the workbooks all word both rules through this module, so they say the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

import numpy as np

from toolkit.engine.compiled import TOLERANCE
from toolkit.i18n import t
from toolkit.i18n.formatting import format_number
from toolkit.model.rubric import Gate, Rubric, text_in


def rated(rubric: Rubric, completeness: np.ndarray) -> np.ndarray:
    """Where a stage may show: completeness at least `min_completeness` (everywhere when the rubric sets none).

    A null completeness (nothing applicable) counts as rated: its score is null, so is its stage.
    """
    completeness = np.asarray(completeness, dtype=float)
    if rubric.min_completeness is None:
        return np.ones(completeness.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        return ~(completeness < rubric.min_completeness - TOLERANCE)


def is_rated(rubric: Rubric, completeness: float | None) -> bool:
    """Whether one completeness (0..1, None for nothing applicable) allows a stage."""
    return completeness is None or bool(rated(rubric, np.array(completeness, dtype=float)))


def percent_floor(share: float) -> int:
    """A share as whole percent, rounded down, so 79.6 % never reads as the 80 % it falls short of."""
    return math.floor(share * 100 + TOLERANCE)


def not_rated_text(rubric: Rubric, completeness: float, lang: str = "en") -> str:
    """ "not rated: 62 % complete, at least 80 % needed" in the chosen language."""
    needed = rubric.min_completeness or 0.0
    return t("not_rated", lang, complete=format_number(percent_floor(completeness), lang, 0),
             needed=format_number(round(needed * 100), lang, 0))


def stage_with_completeness(rubric: Rubric, stage_id: str | None, completeness: float | None,
                            lang: str = "en", empty: str = "—") -> str:
    """The stage with the share answered beside it: "Developing · 12 % complete" (or why it is not rated).

    A stage read alone overstates a round that is mostly unanswered, so wherever a stage stands
    without a completeness column next to it, it carries its completeness in the same words.
    """
    label = stage_text(rubric, stage_id, completeness, lang, empty)
    if stage_id is None or completeness is None or math.isnan(completeness):
        return label  # no stage (the not-rated text already names the completeness), or nothing applicable
    return t("stage_complete", lang, stage=label, complete=format_number(percent_floor(completeness), lang, 0))


def stage_text(rubric: Rubric, stage_id: str | None, completeness: float | None, lang: str = "en",
               empty: str = "—") -> str:
    """A stage's label, the not-rated note when the completeness rule withheld it, else `empty`."""
    if stage_id is not None:
        for stage in rubric.stages:
            if stage.id == stage_id:
                return text_in(stage.label, lang)
        return stage_id
    if completeness is not None and not is_rated(rubric, completeness):
        return not_rated_text(rubric, completeness, lang)
    return empty


def gate(rubric: Rubric, gate_id: str) -> Gate:
    """The gate of an id."""
    return next(found for found in rubric.gates if found.id == gate_id)


def node_title(rubric: Rubric, node_id: str, lang: str = "en") -> str:
    """A node's title, or "Overall" for the root."""
    if node_id == "overall":
        return t("overall_node", lang)
    return next(text_in(node.title, lang) for node, _ in rubric.nodes() if node.id == node_id)


def gate_title(rubric: Rubric, gate_id: str, lang: str = "en") -> str:
    """A gate's title, else its indicator and level: "sec.account_security below 2"."""
    found = gate(rubric, gate_id)
    if found.title:
        return text_in(found.title, lang)
    return f"{found.indicator} < {found.min_level}"


def gate_lines(rubric: Rubric, claimed: Sequence[str], evidence: Sequence[str], lang: str = "en") -> list[str]:
    """One sentence per triggered gate, naming what it capped; evidence-only ones marked so."""
    lines = []
    for gate_id in [*claimed, *[g for g in evidence if g not in claimed]]:
        found = gate(rubric, gate_id)
        line = t("gate_triggered", lang, title=gate_title(rubric, gate_id, lang),
                 node=node_title(rubric, found.node, lang), cap=f"{found.cap:g}")
        if gate_id not in claimed:
            line += f" ({t('gate_evidence_only', lang)})"
        lines.append(line)
    return lines


def unevaluated_gate_lines(rubric: Rubric, unevaluated: Sequence[str], not_applicable: Collection[str] = (),
                           lang: str = "en") -> list[str]:
    """One sentence per gate left unchecked because its indicator is unanswered (or N/A in `not_applicable`).

    The score rule is untouched (such a gate triggers nothing, SPEC 11); the sentence keeps a critical
    control that nobody answered from passing as one that was met.
    """
    lines = []
    for gate_id in unevaluated:
        found = gate(rubric, gate_id)
        key = "gate_unevaluated_na" if found.indicator in not_applicable else "gate_unevaluated"
        lines.append(t(key, lang, indicator=text_in(rubric.indicator(found.indicator).title, lang),
                       title=gate_title(rubric, gate_id, lang), node=node_title(rubric, found.node, lang),
                       cap=f"{found.cap:g}"))
    return lines


def record_unevaluated_lines(rubric: Rubric, record: dict, lang: str = "en") -> list[str]:
    """`unevaluated_gate_lines` of one score record (`Scores.to_records`), read defensively."""
    indicators = record.get("indicators") or {}
    not_applicable = {key for key, value in indicators.items() if value.get("status") == "na"}
    return unevaluated_gate_lines(rubric, record.get("gates_unevaluated") or [], not_applicable, lang)
