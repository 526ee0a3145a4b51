"""The executive summary of a report, in prose, from the results only: no invented facts.

`assessment_facts` gathers what the summary may say about one assessment (stage and score with
completeness, the two strongest and weakest dimensions, triggered gates when the rubric has
them, the first roadmap steps, evidence coverage, the claimed versus evidence-backed gap, the
change since a previous round); `assessment_summary` writes it as paragraphs in one language.
`comparison_facts` and `comparison_summary` do the same for a comparison: the ranking (with
intervals when they were computed), where the client stands per dimension, and the indicators
with the largest gaps to the best. Paragraphs are plain text; the templates escape them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.engine.comparison import Comparison
from toolkit.engine.coverage import evidence_coverage
from toolkit.engine.rating import gate_title
from toolkit.engine.roadmap import ANSWER, EVIDENCE, AnswerGroup, plan
from toolkit.engine.roadmap import Step as RoadmapStep
from toolkit.engine.scoring import score
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.i18n.formatting import format_number, format_percent, format_signed
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric, text_in

FIRST_STEPS = 5
LEADER_GAPS = 5


def _num(value: float | None, lang: str) -> str:
    """A score in the prose, in the report's language (37.5, 37,5)."""
    return format_number(value, lang)


def _pct(value: float | None, lang: str) -> str:
    """A share in the prose as a whole percentage, rounded down as the not-rated rule reads it."""
    return format_percent(value, lang, floor=True)


def _stage(rubric: Rubric, stage_id: str | None, lang: str) -> str | None:
    return next((text_in(stage.label, lang) for stage in rubric.stages if stage.id == stage_id), None)


def _nan_none(value: float) -> float | None:
    return None if value != value else float(value)


@dataclass
class Step:
    """One roadmap step in words."""

    indicator: str
    action: str  # what to do: answer the question, or reach the next level's descriptor
    current: str
    next: str
    priority: float | None


@dataclass
class Facts:
    """What the summary and the report pages say about one assessment, in one language."""

    ministry: str
    period: str
    score: float | None
    evidence_score: float | None
    stage: str | None
    completeness: float | None
    coverage: float | None
    dimensions: list[dict[str, Any]]  # title, score, evidence_score, stage, completeness, coverage
    strongest: list[dict[str, Any]]
    weakest: list[dict[str, Any]]
    gates: list[str] | None  # None when the rubric has no gates
    steps: list[Step]
    previous: dict[str, Any] | None = None
    record: dict[str, Any] = field(default_factory=dict)
    unevaluated: list[str] = field(default_factory=list)  # critical controls unanswered or N/A: gates unchecked


def assessment_facts(assessment: Assessment, rubric: Rubric, lang: str,
                     previous: tuple[Assessment, Rubric] | None = None) -> Facts:
    """Score `assessment` and gather the facts of its report (and of `previous`, when given)."""
    scores = score(rubric, [assessment])
    record = scores.to_records()[0]
    coverage = evidence_coverage(scores)[0]
    overall = record["overall"]
    dimensions = []
    for k, node in enumerate(rubric.dimensions):
        item = record["nodes"][node.id]
        dimensions.append({"id": node.id, "title": text_in(node.title, lang), "score": item["score"],
                           "evidence_score": item["evidence_score"], "stage": _stage(rubric, item["stage"], lang),
                           "completeness": item["completeness"], "coverage": _nan_none(coverage[1 + k])})
    ranked = sorted((d for d in dimensions if d["score"] is not None), key=lambda d: -d["score"])
    strongest = ranked[:2]
    weakest = [d for d in reversed(ranked[2:])][:2] if len(ranked) > 2 else []
    steps = []
    for step in plan(scores, 0):  # real steps first, then one "answer" row per dimension
        if isinstance(step, AnswerGroup):
            dimension = text_in(rubric.dimensions[step.position].title, lang)
            steps.append(Step(dimension, t("roadmap_answer_group", lang, count=step.count, dimension=dimension),
                              "—", "—", None))
        else:
            steps.append(_step(rubric, step, lang))
    facts = Facts(assessment.ministry.marked_name, assessment.period, overall["score"], overall["evidence_score"],
                  _stage(rubric, overall["stage"], lang), overall["completeness"], _nan_none(coverage[0]),
                  dimensions, strongest, weakest, _gates(rubric, record, lang), steps, record=record,
                  unevaluated=_unevaluated(rubric, record, lang))
    if previous is not None:
        facts.previous = _change(facts, *previous, lang)
    return facts


def _step(rubric: Rubric, step: RoadmapStep, lang: str) -> Step:
    """One roadmap step in words, as the consultant workbook's roadmap sheet words it.

    A metric has values, not levels ("62 % → 75 %", reach the value), and a gate met only by the
    claimed level asks for evidence: neither has a level to print (it printed as "None · None").
    """
    title = text_in(step.indicator.title, lang)
    if step.kind == ANSWER:
        return Step(title, t("rp_step_answer", lang, question=text_in(step.indicator.question, lang)), "—", "—", None)
    if step.kind == EVIDENCE:
        level = _level(rubric, step.level, lang)
        action, current, nxt = t("roadmap_attach_evidence", lang, level=level), level, level
    elif step.indicator.is_metric:
        unit = text_in(step.indicator.unit, lang)
        value, goal = _value(step.value), _value(step.next_value)
        action = t("roadmap_reach_value", lang, value=goal, unit=unit)
        current, nxt = f"{value} {unit}".strip(), f"{goal} {unit}".strip()
    else:
        action = text_in(step.descriptor.descriptor, lang) if step.descriptor else ""
        current, nxt = _level(rubric, step.level, lang), _level(rubric, step.next_level, lang)
    if step.gates:
        action += " · " + "; ".join(t("gate_roadmap_reason", lang, title=gate_title(rubric, gate_id, lang))
                                    for gate_id in step.gates)
    return Step(title, action, current, nxt, step.priority)


def _level(rubric: Rubric, level: int | None, lang: str) -> str:
    return "—" if level is None else f"{level} · {rubric.level_label(level, lang)}"


def _value(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _gates(rubric: Rubric, record: Mapping[str, Any], lang: str) -> list[str] | None:
    """The triggered gates in words, or None when the rubric has none (SPEC 11; read defensively)."""
    gates = getattr(rubric, "gates", None)
    if not gates:
        return None
    triggered = (record.get("gates") or {}).get("claimed") or []
    nodes = {node.id: text_in(node.title, lang) for node, _ in rubric.nodes()}
    named = []
    for gate in gates:
        if gate.id in triggered:
            title = getattr(gate, "title", None)
            name = text_in(title, lang) if title else gate.id
            node = t("overall", lang) if gate.node == "overall" else nodes.get(gate.node, gate.node)
            named.append(t("rp_gate_item", lang, gate=name, node=node, cap=_num(gate.cap, lang)))
    return named


def _unevaluated(rubric: Rubric, record: Mapping[str, Any], lang: str) -> list[str]:
    """The titles of the indicators whose gates were not evaluated (unanswered or N/A), once each."""
    gates = {gate.id: gate for gate in getattr(rubric, "gates", None) or ()}
    found = dict.fromkeys(gates[gate_id].indicator for gate_id in record.get("gates_unevaluated") or ()
                          if gate_id in gates)
    return [text_in(rubric.indicator(indicator_id).title, lang) for indicator_id in found]


def _change(facts: Facts, before: Assessment, rubric: Rubric, lang: str) -> dict[str, Any]:
    """The previous round's scores beside this one's, per dimension id present in both."""
    record = score(rubric, [before]).to_records()[0]
    rows = []
    for dimension in facts.dimensions:
        old = record["nodes"].get(dimension["id"], {}).get("score")
        new = dimension["score"]
        rows.append({"title": dimension["title"], "before": old, "after": new,
                     "delta": None if old is None or new is None else new - old})
    old_overall = record["overall"]["score"]
    return {"period": before.period, "before": old_overall, "after": facts.score,
            "delta": None if old_overall is None or facts.score is None else facts.score - old_overall,
            "stage_before": _stage(rubric, record["overall"]["stage"], lang), "rows": rows}


def assessment_summary(facts: Facts, lang: str) -> list[str]:
    """The executive summary as paragraphs (plain text) in `lang`."""
    paragraphs = []
    if facts.stage is not None:
        paragraphs.append(t("rp_sum_stage", lang, ministry=facts.ministry, period=facts.period, stage=facts.stage,
                            score=_num(facts.score, lang), completeness=_pct(facts.completeness, lang)))
    else:
        paragraphs.append(t("rp_sum_no_stage", lang, ministry=facts.ministry, period=facts.period,
                            score=_num(facts.score, lang), completeness=_pct(facts.completeness, lang)))
    if facts.completeness is not None and facts.completeness < 1 - 1e-9:
        paragraphs.append(t("rp_sum_incomplete", lang, completeness=_pct(facts.completeness, lang)))
    if len(facts.strongest) == 2 and len(facts.weakest) == 2:
        s, w = facts.strongest, facts.weakest
        paragraphs.append(t("rp_sum_dimensions", lang, a=s[0]["title"], sa=_num(s[0]["score"], lang),
                            b=s[1]["title"], sb=_num(s[1]["score"], lang), c=w[0]["title"],
                            sc=_num(w[0]["score"], lang), d=w[1]["title"], sd=_num(w[1]["score"], lang)))
    if facts.gates:
        paragraphs.append(t("rp_sum_gates", lang, count=len(facts.gates), gates="; ".join(facts.gates)))
    if facts.unevaluated:  # never "every critical control is met" when one was not answered
        paragraphs.append(t("rp_sum_gates_unevaluated", lang, count=len(facts.unevaluated),
                            controls="; ".join(facts.unevaluated)))
    elif facts.gates == []:
        paragraphs.append(t("rp_sum_no_gates", lang))
    gap = None if facts.score is None or facts.evidence_score is None else facts.score - facts.evidence_score
    if gap is not None and gap >= 0.05:
        paragraphs.append(t("rp_sum_evidence_gap", lang, coverage=_pct(facts.coverage, lang), gap=_num(gap, lang),
                            evidence=_num(facts.evidence_score, lang), score=_num(facts.score, lang)))
    elif gap is not None:
        paragraphs.append(t("rp_sum_evidence_same", lang, coverage=_pct(facts.coverage, lang)))
    if facts.previous is not None and facts.previous["delta"] is not None:
        p = facts.previous
        same = p["stage_before"] is not None and p["stage_before"] == facts.stage  # "was X and is now X" reads oddly
        paragraphs.append(t("rp_sum_previous_same_stage" if same else "rp_sum_previous", lang, period=p["period"],
                            delta=format_signed(p["delta"], lang), before=_num(p["before"], lang),
                            after=_num(p["after"], lang),
                            stage_before=p["stage_before"] or "—", stage_after=facts.stage or "—"))
        moves = sorted((r for r in p["rows"] if r["delta"] is not None and abs(r["delta"]) >= 0.05),
                       key=lambda r: -abs(r["delta"]))[:3]
        if moves:
            paragraphs.append(t("rp_sum_moves", lang, moves="; ".join(f"{r['title']} {r['delta']:+.1f}" for r in moves)))
    if facts.steps:
        paragraphs.append(t("rp_sum_steps", lang, count=min(FIRST_STEPS, len(facts.steps)), total=len(facts.steps)))
    else:
        paragraphs.append(t("rp_sum_no_steps", lang))
    return paragraphs


# ------------------------------------------------------------------------------------ comparison

@dataclass
class ComparisonFacts:
    """What a comparison report says, in one language."""

    client: int  # the row of the client's assessment
    ranking: list[dict[str, Any]]  # in rank order: rank, name, period, score, stage, completeness, intervals
    dimensions: list[dict[str, Any]]  # title, client score, median, best, best name
    leader_gaps: list[dict[str, Any]]  # indicator, client score, best score, leaders
    intervals: bool


def comparison_facts(comparison: Comparison, data: Mapping[str, Any], client_id: str | None,
                     lang: str) -> ComparisonFacts:
    """The facts of a comparison report; the client is `client_id`, else the first assessment."""
    assessments = comparison.assessments
    client = next((k for k, a in enumerate(assessments) if a.id == client_id), None if client_id else 0)
    if client is None:
        raise ToolkitError(f"--client: {client_id!r} is not among the compared assessments "
                           f"({', '.join(a.id for a in assessments)})")
    records = comparison.scores.to_records()
    by_id = {item["assessment"]: item for item in data.get("assessments", [])}
    ranking = []
    for k in comparison.order():
        a, item = assessments[k], by_id.get(assessments[k].id, {})
        overall = records[k]["overall"]
        ranking.append({"rank": item.get("rank"), "name": a.ministry.marked_name, "period": a.period,
                        "score": overall["score"], "stage": _stage(comparison.rubric, overall["stage"], lang) or "—",
                        "completeness": overall["completeness"], "client": k == client,
                        "p05": item.get("overall_p05"), "p95": item.get("overall_p95"),
                        "rank_p05": item.get("rank_p05"), "rank_p95": item.get("rank_p95")})
    dimensions = []
    for node in comparison.rubric.dimensions:
        values = [(records[k]["nodes"][node.id]["score"], k) for k in range(len(assessments))]
        known = sorted(v for v, _ in values if v is not None)
        best = max((pair for pair in values if pair[0] is not None), default=(None, None))
        dimensions.append({"title": text_in(node.title, lang), "client": values[client][0],
                           "median": _median(known), "best": best[0],
                           "leader": assessments[best[1]].ministry.marked_name if best[1] is not None else "—"})
    gaps = []
    for indicator in comparison.rubric.indicators():
        mine = records[client]["indicators"][indicator.id]["score"]
        others = [(records[k]["indicators"][indicator.id]["score"], k) for k in range(len(assessments)) if k != client]
        others = [pair for pair in others if pair[0] is not None]
        if mine is None or not others:
            continue
        top = max(value for value, _ in others)
        if top - mine > 1e-9:
            leaders = [assessments[k].ministry.marked_name for value, k in others if value == top]
            gaps.append({"indicator": text_in(indicator.title, lang), "client": mine, "best": top,
                         "gap": top - mine, "leaders": ", ".join(dict.fromkeys(leaders))})
    gaps.sort(key=lambda g: -g["gap"])
    intervals = any(row["p05"] is not None for row in ranking)
    return ComparisonFacts(client, ranking, dimensions, gaps[:LEADER_GAPS], intervals)


def _median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def comparison_summary(facts: ComparisonFacts, comparison: Comparison, lang: str) -> list[str]:
    """The comparison's executive summary as paragraphs in `lang`."""
    rubric = comparison.rubric
    client = comparison.assessments[facts.client]
    row = next(r for r in facts.ranking if r["client"])
    paragraphs = [t("rp_cmp_intro", lang, count=len(comparison.assessments), rubric=text_in(rubric.title, lang),
                    periods=", ".join(comparison.periods))]
    leaders = [r for r in facts.ranking if r["rank"] == 1]
    if leaders:
        paragraphs.append(t("rp_cmp_leader", lang, names=", ".join(r["name"] for r in leaders),
                            score=_num(leaders[0]["score"], lang)))
    if row["rank"] is not None:
        ranked = sum(1 for r in facts.ranking if r["rank"] is not None)  # "9 of 16": only ranked rounds count
        paragraphs.append(t("rp_cmp_client", lang, client=client.ministry.marked_name, rank=row["rank"],
                            count=ranked, score=_num(row["score"], lang), stage=row["stage"]))
    if facts.intervals and row["p05"] is not None:
        paragraphs.append(t("rp_cmp_interval", lang, client=client.ministry.marked_name, p05=_num(row["p05"], lang),
                            p95=_num(row["p95"], lang), r05=_num(row["rank_p05"], lang),
                            r95=_num(row["rank_p95"], lang)))
    above = [d["title"] for d in facts.dimensions
             if d["client"] is not None and d["median"] is not None and d["client"] > d["median"] + 1e-9]
    below = [d["title"] for d in facts.dimensions
             if d["client"] is not None and d["median"] is not None and d["client"] < d["median"] - 1e-9]
    paragraphs.append(t("rp_cmp_median", lang, above=", ".join(above) or "—", below=", ".join(below) or "—"))
    if facts.leader_gaps:
        paragraphs.append(t("rp_cmp_gaps", lang, items="; ".join(
            f"{g['indicator']} ({_num(g['client'], lang)} / {_num(g['best'], lang)}, {g['leaders']})"
            for g in facts.leader_gaps)))
    return paragraphs


def finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
