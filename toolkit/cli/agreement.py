"""`ddmt agreement`: how far the respondents of team rounds agree (SPEC 12).

Per assessment with responses: Krippendorff's alpha overall and per top-level dimension, and every
level indicator some respondent answered, with each respondent's level, the range and a flag when
the range is two levels or more. `--format json` prints the SPEC 12 list; `--format csv` one tidy
row per alpha or indicator (`AGREEMENT_COLUMNS`); the table names dimensions in `--lang`.
Assessments without responses are named on stderr and skipped.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from toolkit.cli import render
from toolkit.cli.base import CommandResult, load_assessments
from toolkit.i18n import t
from toolkit.model.rubric import Rubric, text_in

#: The columns of `ddmt agreement --format csv`: `scope` is overall, dimension or indicator; `id` the
#: dimension or indicator id (empty for overall); `levels` the respondents' levels as `id=level;...`.
AGREEMENT_COLUMNS = ("assessment", "respondents", "level", "scope", "id", "alpha", "range", "flag", "levels")


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The argparse lines of `ddmt agreement`, for `toolkit.cli.build_parser`."""
    from toolkit.research.agreement import LEVELS

    agreement = commands.add_parser("agreement", help="agreement of the respondents of team rounds "
                                                      "(Krippendorff's alpha)")
    agreement.add_argument("files", nargs="+", type=Path, metavar="FILE")
    agreement.add_argument("--rubric", type=Path, help="rubric file (default: the shipped rubric the assessment names)")
    agreement.add_argument("--level", choices=LEVELS, default="ordinal",
                           help="level of measurement of the levels (default ordinal)")
    agreement.add_argument("--format", choices=("table", "json", "csv"), default="table")
    agreement.add_argument("--lang", choices=("en", "id"), default="en")


def run_agreement(args: argparse.Namespace) -> CommandResult:
    """Alpha of each round with responses; rounds without them named on stderr."""
    from toolkit.research.agreement import round_agreement

    results: list[tuple[Any, Rubric]] = []
    skipped: list[str] = []
    for assessment, rubric in load_assessments(args.files, args.rubric):
        if not assessment.responses:
            skipped.append(t("agreement_no_responses", args.lang, file=assessment.source_file or assessment.id))
            continue
        results.append((round_agreement(rubric, assessment, args.level), rubric))
    if args.format == "json":
        return CommandResult(_json([result.to_dict() for result, _ in results]), errors=skipped)
    if args.format == "csv":
        return CommandResult(agreement_csv([result for result, _ in results]), errors=skipped)
    text = "\n\n".join(_table(result, rubric, args.lang) for result, rubric in results)
    return CommandResult(text, errors=skipped)


def agreement_csv(results: list[Any]) -> str:
    """One tidy row per alpha (overall, each dimension) and per answered level indicator."""
    rows: list[list[object]] = []
    for result in results:
        head = [result.assessment, len(result.respondents), result.level]
        rows.append([*head, "overall", "", _number(result.overall), "", "", ""])
        for dimension, alpha in result.dimensions.items():
            rows.append([*head, "dimension", dimension, _number(alpha), "", "", ""])
        for spread in (spread for spread in result.indicators if spread.levels):
            rows.append([*head, "indicator", spread.indicator, "", spread.range, str(spread.flag).lower(),
                         ";".join(f"{who}={level}" for who, level in spread.levels.items())])
    return render.csv_text(AGREEMENT_COLUMNS, rows)


def _table(result: Any, rubric: Rubric, lang: str) -> str:
    level = t(f"agreement_level_{result.level}", lang)
    lines = [t("agreement_heading", lang, assessment=result.assessment, respondents=len(result.respondents),
               level=level)]
    titles = {node.id: text_in(node.title, lang) for node in rubric.dimensions}
    rows = [[t("agreement_overall", lang), _alpha(result.overall, lang)]]
    rows += [[titles.get(node_id, node_id), _alpha(alpha, lang)] for node_id, alpha in result.dimensions.items()]
    lines.append(render.table([t("agreement_scope", lang), t("agreement_alpha", lang)], rows, "lr"))
    if None in (result.overall, *result.dimensions.values()):
        lines.append(t("agreement_undefined", lang))
    flagged = [spread for spread in result.most_disagreed() if spread.flag]
    if not flagged:
        lines.append(t("agreement_none_flagged", lang))
        return "\n".join(lines)
    lines.append("")
    lines.append(t("agreement_flagged", lang))
    lines.append(render.table(
        [t("agreement_indicator", lang), t("agreement_range", lang), t("agreement_levels", lang)],
        [[spread.indicator, str(spread.range), ", ".join(f"{who} {level}" for who, level in spread.levels.items())]
         for spread in flagged], "lrl"))
    return "\n".join(lines)


def _alpha(value: float | None, lang: str) -> str:
    return "—" if value is None else f"{value:.3f}"


def _number(value: float | None) -> object:
    return "" if value is None else repr(value)


def _json(value: object) -> str:
    import json

    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
