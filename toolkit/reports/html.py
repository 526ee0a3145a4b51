"""The assessment and comparison reports as one self-contained HTML page (styles, charts and logo
inside), rendered from the templates in `reports/`; `toolkit.reports.pdf` prints the same page.

The same sharing rules as the workbooks: evidence above the sharing level is left out, scores are
computed before; a comparison carries the evidence only of `evidence_of` (none by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from toolkit.engine.comparison import Comparison, compare
from toolkit.i18n import t
from toolkit.i18n.formatting import format_date
from toolkit.model.assessment import Assessment
from toolkit.model.rubric import Rubric, text_in
from toolkit.reports import parts, svg_charts
from toolkit.reports.branding import Branding, check_colours
from toolkit.reports.sharing import (
    DEFAULT_SHARE,
    LeftOut,
    check_level,
    evidence_owners,
    share_assessment,
    withhold_evidence,
)
from toolkit.reports.summary import (
    FIRST_STEPS,
    assessment_facts,
    assessment_summary,
    comparison_facts,
    comparison_summary,
)
from toolkit.reports.templates import branding_defaults, render

RADAR_LIMIT = 8  # more lines than this on one radar cannot be told apart


def default_branding() -> Branding:
    """The branding of `reports/branding.json` (colours and font), without names or logo."""
    found = branding_defaults()
    return Branding(colours=check_colours(found.get("colours", {}), "reports/branding.json"),
                    font=str(found.get("font", "")))


def _common(rubric: Rubric, lang: str, share: str, branding: Branding | None, generated: dt.date | None,
            title: str) -> dict[str, Any]:
    branding = branding or default_branding()
    return {
        "lang": lang, "t": lambda key, **values: t(key, lang, **values), "title": title,
        "rubric_title": text_in(rubric.title, lang), "rubric_id": rubric.id, "rubric_version": rubric.version,
        "share_footer": parts.footer_text(share, lang), "share_text": parts.sharing_text(share, lang),
        "confidentiality": parts.confidentiality_text(share, lang), "branding": branding,
        "logo": branding.logo.data_uri if branding.logo else None,
        "generated": format_date(generated or dt.date.today(), lang),  # 7 Desember 2026, as the prose
        "page_label": t("rp_page", lang), "of_label": t("rp_of", lang),
        "methodology": _methodology(rubric, lang),
    }


def _methodology(rubric: Rubric, lang: str) -> dict[str, Any]:
    top, cap = rubric.max_level, rubric.unsupported_cap
    return {
        "formulas": [t(f"xl_formula_{key}", lang, top=top)
                     for key in ("level", "metric", "arithmetic", "geometric", "missing", "stage", "gap", "coverage")],
        "cap": t("xl_cap_text", lang, cap=cap, label=rubric.level_label(cap, lang)) if cap is not None
        else t("xl_no_cap", lang),
        "scale": [(level.value, text_in(level.label, lang)) for level in rubric.scale],
        "stages": [(stage.min_score, text_in(stage.label, lang)) for stage in rubric.stages],
    }


def _evidence_rows(assessment: Assessment, rubric: Rubric, lang: str) -> list[dict[str, str]]:
    rows = []
    for indicator in rubric.indicators():
        answer = assessment.answers.get(indicator.id)
        for item in answer.evidence if answer else ():
            value = item.value or ""
            if item.kind == "file":
                value = t("xl_file_value", lang, name=item.name or "—", sha=(item.sha256 or "")[:12])
            rows.append({"ministry": assessment.ministry.marked_name, "indicator": text_in(indicator.title, lang),
                         "kind": parts.kind_text(item.kind, lang), "description": item.description or "",
                         "value": value, "sensitivity": parts.sensitivity_text(item.sensitivity, lang)})
    return rows


def _indicator_rows(assessment: Assessment, rubric: Rubric, record: Mapping[str, Any], lang: str,
                    node_id: str) -> list[dict[str, Any]]:
    node = next(n for n in rubric.dimensions if n.id == node_id)
    rows = []

    def walk(current):
        for child in current.dimensions:
            walk(child)
        for indicator in current.indicators:
            item = record["indicators"][indicator.id]
            answer = assessment.answer(indicator.id)
            if indicator.is_metric:
                value = item.get("value")
                shown = "—" if value is None else f"{value:g} {text_in(indicator.unit, lang)}"
            else:
                level = item.get("level")
                shown = parts.level_text(rubric, level, lang)
            rows.append({"title": text_in(indicator.title, lang), "value": shown,
                         "status": parts.status_text(item["status"], lang), "score": item["score"],
                         "evidence_score": item["evidence_score"], "evidence": len(answer.evidence),
                         "confidence": parts.confidence_text(answer.confidence, lang)})
    walk(node)
    return rows


def assessment_report_html(assessment: Assessment, rubric: Rubric, *, lang: str = "en", share: str = DEFAULT_SHARE,
                           branding: Branding | None = None, previous: tuple[Assessment, Rubric] | None = None,
                           generated: dt.date | None = None) -> tuple[str, LeftOut]:
    """The assessment report as one HTML page, and what the sharing level left out."""
    check_level(share)
    facts = assessment_facts(assessment, rubric, lang, previous)  # scored before anything is left out
    shown, left_out = share_assessment(assessment, share)
    titles = [d["title"] for d in facts.dimensions]
    claimed = [d["score"] for d in facts.dimensions]
    backed = [d["evidence_score"] for d in facts.dimensions]
    series = [(t("chart_claimed", lang), claimed), (t("evidence_backed", lang), backed)]
    context = _common(rubric, lang, share, branding, generated, t("rp_assessment_title", lang))
    context.update(
        ministry=assessment.ministry.marked_name, country=assessment.ministry.country, period=assessment.period,
        fictional=assessment.ministry.fictional, facts=facts, summary=assessment_summary(facts, lang),
        first_steps=facts.steps[:FIRST_STEPS], steps=facts.steps, left_out=parts.left_out_text(left_out, lang),
        radar=Markup(svg_charts.radar(titles, series, title=t("xl_radar_title", lang))),
        bars=Markup(svg_charts.bars(titles, series, title=t("xl_bar_title", lang), axis_title=t("xl_score", lang))),
        dimension_tables=[(d, _indicator_rows(shown, rubric, facts.record, lang, d["id"])) for d in facts.dimensions],
        evidence=_evidence_rows(shown, rubric, lang),
        trend_bars=_trend_chart(facts, lang),
    )
    return render("assessment.html", **context), left_out


def _trend_chart(facts, lang: str) -> Markup | None:
    if facts.previous is None:
        return None
    rows = facts.previous["rows"]
    series = [(facts.previous["period"], [r["before"] for r in rows]), (facts.period, [r["after"] for r in rows])]
    return Markup(svg_charts.bars([r["title"] for r in rows], series, title=t("rp_trend", lang),
                                  axis_title=t("xl_score", lang)))


def comparison_report_html(comparison: Comparison | Mapping[str, Any], rubric: Rubric,
                           assessments: Sequence[Assessment], *, lang: str = "en", share: str = DEFAULT_SHARE,
                           evidence_of: Iterable[str] | str | None = None, client: str | None = None,
                           branding: Branding | None = None,
                           generated: dt.date | None = None) -> tuple[str, LeftOut]:
    """The comparison report as one HTML page, and what the sharing level left out.

    `comparison` is a `Comparison` or its `ddmt compare` JSON object (intervals are shown when it
    carries them). `client` is the id of the client's assessment (default: the first).
    """
    check_level(share)
    if isinstance(comparison, Comparison):
        data: Mapping[str, Any] = comparison.to_dict()
        result = comparison
    else:
        data = comparison
        result = compare(rubric, assessments, normalisation=data.get("normalisation"))
    rubric = result.rubric
    owners = evidence_owners(result.assessments, evidence_of)
    evidence, left_out, withheld = [], LeftOut(share, {}), 0
    for assessment in result.assessments:
        if assessment.id in owners:
            shown, dropped = share_assessment(assessment, share)
            left_out = left_out + dropped
            evidence += _evidence_rows(shown, rubric, lang)
        else:
            withheld += withhold_evidence(assessment)[1]
    facts = comparison_facts(result, data, client, lang)
    titles = [text_in(node.title, lang) for node in rubric.dimensions]
    records = result.scores.to_records()
    order = result.order()
    series = [(f"{result.assessments[k].ministry.marked_name} ({result.assessments[k].period})",
               [records[k]["nodes"][node.id]["score"] for node in rubric.dimensions]) for k in order]
    carried = [f"{a.ministry.marked_name} ({a.period})" for a in result.assessments if a.id in owners]
    context = _common(rubric, lang, share, branding, generated, t("rp_comparison_title", lang))
    context.update(
        facts=facts, summary=comparison_summary(facts, result, lang),
        client_name=result.assessments[facts.client].ministry.marked_name,
        fictional=any(a.ministry.fictional for a in result.assessments),
        names=[row["name"] + f" ({row['period']})" for row in facts.ranking],
        matrix=[(s[0], s[1]) for s in series], dimension_titles=titles,
        radar=Markup(svg_charts.radar(titles, series[:RADAR_LIMIT], title=t("compare_radar_title", lang))),
        bars=Markup(svg_charts.bars(titles, series[:RADAR_LIMIT], title=t("rp_dimensions", lang),
                                    axis_title=t("xl_score", lang))),
        evidence=evidence, left_out=parts.left_out_text(left_out, lang),
        evidence_of=t("xl_evidence_of_text", lang, carried="; ".join(carried) or t("xl_evidence_of_none", lang),
                      withheld=withheld),
        normalisation=result.normalisation,
    )
    return render("comparison.html", **context), left_out
