"""The research options of `ddmt compare`: argument types, running the analyses, and their outputs.

`toolkit.cli` adds the options (`add_compare_arguments`, or the same lines written out) and
`toolkit.cli.commands.run_compare` calls `analyse` once, then `compare_data` (JSON), `compare_csv`
(tidy CSV), `write_parquet_file` (Parquet) or `research_text` and `consistency_text` (below the
table). The library does the work; this module only maps options to calls.

`--format csv` and `--parquet` hold one and the same table: the consistency table with
`--consistency` (`toolkit.research.tidy.consistency_frame`, one row per statistic), else the tidy
scores, with the intervals of `--uncertainty` in the wide layout. An analysis that table cannot
hold is refused before any work (`refusals`, exit 2, pointing to `--bundle`): nothing asked for is
dropped silently (SPEC 13). The table, the JSON and the workbook hold every analysis. Heavy modules are imported inside the functions,
so importing this one (for the argument types) keeps `ddmt --help` fast.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.engine.comparison import Comparison
    from toolkit.model.rubric import Rubric
    from toolkit.research.consistency import Consistency
    from toolkit.research.sensitivity import Sensitivity
    from toolkit.research.uncertainty import Progress, Uncertainty

LAYOUTS = ("wide", "long")


def draws_count(text: str) -> int:
    """argparse type: a whole number of draws, at least 1."""
    return _whole(text, 1, "a whole number of draws, at least 1")


def seed_value(text: str) -> int:
    """argparse type: a seed, a whole number >= 0."""
    return _whole(text, 0, "a whole number >= 0")


def depth_value(text: str) -> int:
    """argparse type: a tree depth, 1 for the top-level dimensions."""
    return _whole(text, 1, "a depth of 1 or more (1 = the top-level dimensions)")


def samples_count(text: str) -> int:
    """argparse type: Sobol base samples, at least 2."""
    return _whole(text, 2, "a whole number of samples, at least 2")


def spread_value(text: str) -> float:
    """argparse type: the weight spread d, in [0, 1)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a spread in [0, 1) (e.g. 0.25)")
    return value


def _whole(text: str, least: int, need: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise argparse.ArgumentTypeError(f"{text!r} is not {need}")
    return value


def add_compare_arguments(compare: argparse.ArgumentParser) -> None:
    """The research options of `ddmt compare` (SPEC 6), for `toolkit.cli.build_parser`."""
    compare.add_argument("--uncertainty", type=draws_count, metavar="N",
                         help="Monte Carlo draws: score and rank intervals, stage probabilities")
    compare.add_argument("--seed", type=seed_value, default=0, metavar="S",
                         help="random seed of --uncertainty and --sensitivity (default 0)")
    compare.add_argument("--spread", type=spread_value, default=0.25, metavar="D",
                         help="node weights vary by a factor in [1-D, 1+D] (default 0.25)")
    compare.add_argument("--switch-aggregation", action="store_true",
                         help="each draw is all arithmetic or all geometric (--uncertainty), and the "
                              "aggregation is a Sobol input (--sensitivity)")
    compare.add_argument("--sensitivity", action="store_true",
                         help="leave-one-out and Sobol indices on the mean absolute rank change")
    compare.add_argument("--depth", type=depth_value, default=1, metavar="K",
                         help="depth of the nodes --sensitivity leaves out (1 = top level)")
    compare.add_argument("--sobol-samples", type=samples_count, default=512, metavar="N",
                         help="Sobol base samples for --sensitivity (default 512)")
    compare.add_argument("--consistency", action="store_true",
                         help="correlations, Cronbach's alpha per dimension, indicator coverage and "
                              "warnings; with --format csv these are the CSV (one row per statistic)")
    compare.add_argument("--layout", choices=LAYOUTS, default="wide",
                         help="tidy shape of --format csv and --parquet: one row per assessment "
                              "(wide) or per assessment and node (long)")
    compare.add_argument("--parquet", type=Path, metavar="OUT", help="write the tidy table as Parquet")


@dataclass(frozen=True, eq=False)
class Research:
    """What the research options asked for; None where an option was not given."""

    uncertainty: Uncertainty | None = None
    sensitivity: Sensitivity | None = None
    consistency: Consistency | None = None


def analyse(args: argparse.Namespace, comparison: Comparison,
            progress: Progress | None = None) -> Research:
    """Run the analyses the options ask for (none without --uncertainty, --sensitivity, --consistency)."""
    found: dict[str, Any] = {}
    draws = getattr(args, "uncertainty", None)
    seed = getattr(args, "seed", 0)
    spread = getattr(args, "spread", 0.25)
    if draws:
        from toolkit.research.uncertainty import uncertainty

        found["uncertainty"] = uncertainty(
            comparison, draws, seed, spread=spread,
            switch_aggregation=getattr(args, "switch_aggregation", False), progress=progress)
    if getattr(args, "sensitivity", False):
        from toolkit.research.sensitivity import sensitivity

        # The Sobol analysis covers the inputs this run varies: the aggregation only when switched.
        found["sensitivity"] = sensitivity(comparison, getattr(args, "depth", 1),
                                           samples=getattr(args, "sobol_samples", 512),
                                           seed=seed, spread=spread,
                                           switch_aggregation=getattr(args, "switch_aggregation", False))
    if getattr(args, "consistency", False):
        from toolkit.research.consistency import consistency

        found["consistency"] = consistency(comparison)
    return Research(**found)


def compare_data(comparison: Comparison, research: Research, lang: str = "en") -> dict[str, Any]:
    """The `ddmt compare --format json` object with intervals, sensitivity and consistency merged in."""
    from toolkit.research.tidy import compare_json

    return compare_json(comparison, research.uncertainty, research.sensitivity, research.consistency,
                        lang=lang)


def tidy_frame(comparison: Comparison, research: Research, layout: str = "wide") -> Any:
    """The tidy DataFrame of a comparison: wide (with the intervals, if any) or long."""
    from toolkit.research.tidy import long_frame, wide_frame

    if layout == "long":
        return long_frame(comparison)
    return wide_frame(comparison, research.uncertainty)


def compare_csv(comparison: Comparison, research: Research, layout: str = "wide", lang: str = "en") -> str:
    """`ddmt compare --format csv`: the tidy table as CSV text (the consistency table with --consistency)."""
    from toolkit.research.tidy import to_csv

    return to_csv(table_frame(comparison, research, layout, lang))


ANALYSES = ("uncertainty", "sensitivity", "consistency")


def held_in_table(analysis: str, *, consistency: bool, layout: str) -> str | None:
    """Why the one table of --format csv or --parquet cannot hold `analysis` (None if it can)."""
    if analysis == "sensitivity":
        return "its leave-one-out and Sobol tables are not rows of that table"
    if analysis == "uncertainty" and consistency:
        return "with --consistency that table is the consistency table"
    if analysis == "uncertainty" and layout == "long":
        return "the long layout has no interval columns (--layout wide has them)"
    return None


def refusals(args: argparse.Namespace) -> list[str]:
    """Every requested analysis an asked-for output cannot hold, as one-line messages (SPEC 13)."""
    asked = [name for name in ANALYSES if getattr(args, name, None)]
    outputs = [label for label, wanted in (("--format csv", getattr(args, "format", None) == "csv"),
                                           ("--parquet", getattr(args, "parquet", None) is not None))
               if wanted]
    found = []
    for analysis in asked:
        for output in outputs:
            why = held_in_table(analysis, consistency=bool(getattr(args, "consistency", False)),
                                layout=getattr(args, "layout", "wide"))
            if why:
                found.append(f"ddmt compare: --{analysis} cannot go into {output}: {why}; use "
                             f"--bundle DIR (every table, with a codebook) or --format json")
    return found


def table_frame(comparison: Comparison, research: Research, layout: str = "wide", lang: str = "en") -> Any:
    """The one table of --format csv and --parquet: consistency with --consistency, else the scores."""
    if research.consistency is not None:
        from toolkit.research.tidy import consistency_frame

        return consistency_frame(research.consistency, lang)
    return tidy_frame(comparison, research, layout)


def write_parquet_file(comparison: Comparison, research: Research, path: Path,
                       layout: str = "wide", lang: str = "en") -> Path:
    """`ddmt compare --parquet OUT`: the table of --format csv, as a Parquet file."""
    from toolkit.research.tidy import write_parquet

    return write_parquet(table_frame(comparison, research, layout, lang), path)


def research_text(data: dict[str, Any], rubric: Rubric | None = None, lang: str = "en") -> str:
    """Plain-text tables of the intervals and the sensitivity in a compare JSON object ('' if none)."""
    from toolkit.cli import render
    from toolkit.model.rubric import text_in

    titles = {node.id: text_in(node.title, lang) for node, _ in rubric.nodes()} if rubric else {}

    parts = []
    rows = [item for item in data["assessments"] if "overall_p50" in item]
    if rows:
        settings = data.get("uncertainty") or {}
        parts.append(f"Uncertainty: {settings.get('draws')} draws, seed {settings.get('seed')}, "
                     f"spread {settings.get('spread')}"
                     + (", aggregation switched" if settings.get("switch_aggregation") else ""))
        table = []
        for item in rows:
            probability = item["stage_probability"] or {}
            likeliest = max(probability, key=probability.__getitem__) if probability else None
            table.append([item["assessment"], _rank(item["rank"]), render.fmt_score(item["overall_p05"], lang),
                          render.fmt_score(item["overall_p50"], lang), render.fmt_score(item["overall_p95"], lang),
                          _interval(item["rank_p05"], item["rank_p95"]),
                          "—" if likeliest is None else f"{likeliest} {probability[likeliest]:.0%}"])
        parts.append(render.table(["assessment", "rank", "p05", "median", "p95", "rank 5-95%",
                                   "likeliest stage"], table, "lrrrrrl"))
    sensitivity = data.get("sensitivity")
    if sensitivity:
        loo = sensitivity["leave_one_out"]
        parts.append(f"Leave-one-out at depth {sensitivity['depth']}: mean absolute rank change")
        parts.append(render.table(["node", "title", "rank change"],
                                  [[node, titles.get(node, ""), "—" if v is None else f"{v:.2f}"]
                                   for node, v in loo.items()], "llr"))
        parts.append(f"Sobol indices on the mean absolute rank change ({sensitivity['samples']} "
                     f"samples, 95% bootstrap intervals)")
        parts.append(render.table(
            ["input", "first", "interval", "total", "interval"],
            [[name, _fixed(index["first"]), _pair(index["first_ci"]), _fixed(index["total"]),
              _pair(index["total_ci"])] for name, index in sensitivity["sobol"].items()]))
    return "\n\n".join(parts)


def consistency_text(data: dict[str, Any], rubric: Rubric, lang: str = "en") -> str:
    """Plain-text warnings, alphas, dimension correlations and coverage of a compare JSON object ('' if none)."""
    from toolkit.cli import render
    from toolkit.i18n import t
    from toolkit.research.consistency import subject_names, warning_message

    found = data.get("consistency")
    if not found:
        return ""
    names = subject_names(rubric, lang)
    settings = found["settings"]
    parts = [t("consistency_heading", lang, count=found["assessments"],
               periods=", ".join(found["periods"]) or "—")]
    warnings = [warning_message(w["code"], w["subject"], w["values"], lang, names) for w in found["warnings"]]
    parts.append(t("consistency_warnings", lang) + "\n" + "\n".join(f"- {text}" for text in warnings)
                 if warnings else t("consistency_no_warnings", lang))
    depth_of = {node.id: depth for node, depth in rubric.nodes()}
    rows = [["  " * (item["depth"] - 1) + names.get(node, node), str(item["indicators"]),
             str(item["assessments"]), _alpha(item["alpha"], settings["alpha_threshold"])]
            for node, item in found["alpha"].items()]
    parts.append(t("consistency_alpha_title", lang, threshold=settings["alpha_threshold"]) + "\n" + render.table(
        [t("dimension", lang), t("consistency_indicators", lang), t("consistency_assessments_used", lang),
         t("consistency_alpha", lang)], rows, "lrrr"))
    matrix = found["correlations"]["nodes"]
    shown = [key for key in matrix if key == "overall" or depth_of.get(key) == 1]
    rows = [[str(number), t("overall", lang) if key == "overall" else names.get(key, key),
             *[_fixed(matrix[key][other]) for other in shown]] for number, key in enumerate(shown, 1)]
    parts.append(t("consistency_corr_title", lang) + "\n" + render.table(
        ["#", t("dimension", lang), *[f"#{number}" for number in range(1, len(shown) + 1)]], rows,
        "rl" + "r" * len(shown)))
    crossed = found["correlations"]["indicator_nodes"]
    rows = [[names.get(indicator, indicator), names.get(item["node"], item["node"]), str(item["answered"]),
             str(item["missing"]), str(item["na"]), render.fmt_percent(item["coverage"], lang),
             render.fmt_percent(item["coverage_applicable"], lang), _fixed(crossed[indicator][item["node"]])]
            for indicator, item in found["coverage"].items()]
    parts.append(t("consistency_coverage_title", lang) + "\n" + render.table(
        [t("xl_indicator", lang), t("dimension", lang), t("xl_status_answered", lang),
         t("xl_status_missing", lang), t("xl_status_na", lang), t("consistency_share", lang),
         t("consistency_share_applicable", lang), t("consistency_r_dimension", lang)], rows, "llrrrrrr"))
    return "\n\n".join(parts)


def _alpha(value: float | None, threshold: float) -> str:
    """Alpha with three decimals (0.698 is not 0.70), marked `!` below the threshold."""
    if value is None:
        return "—"
    return f"{value:.3f}" + (" !" if value < threshold else "")


def _rank(value: Any) -> str:
    return "—" if value is None else str(value)


def _fixed(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _pair(values: list[float | None]) -> str:
    return f"{_fixed(values[0])} to {_fixed(values[1])}"


def _interval(low: float | None, high: float | None) -> str:
    """A rank interval as whole ranks ("8-13"): percentiles of ranks interpolate, ranks do not."""
    if low is None or high is None:
        return "—"
    return f"{_whole_rank(low)}-{_whole_rank(high)}"


def _whole_rank(value: float) -> int:
    """Round half up (7.5 gives 8), the same way on every platform."""
    return int(math.floor(value + 0.5))
