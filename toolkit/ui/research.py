"""The compare page's research view: rank intervals, stage odds, leave-one-out and Sobol indices, and
the consistency of the comparison (warnings, Cronbach's alpha, dimension correlations, coverage).

The analyses are the library's (`toolkit.research.uncertainty`, `toolkit.research.sensitivity`, SPEC section 5), run
with the settings chosen here (draws, seed, weight spread, aggregation switch, and the leave-one-out
depth when the rubric has sub-dimensions); the Sobol analysis uses the library's default samples
and, as `ddmt compare --sensitivity` does, always counts the aggregation among its inputs.

Results are cached in the session (`st.session_state`, the last `CACHE_SIZE` inputs) under a digest
of everything they depend on: the rubric (id, version, tag), the normalisation, the compared
assessments' ids and last-updated stamps, the level matrix actually scored, and the settings. A
rerun with the same inputs (a widget elsewhere on the page, the language) reads them back; a
changed input runs the draws again under a progress bar fed by the analyses' `progress`
callbacks. Session state rather than `st.cache_data`: the bar must move while the draws run,
which a cached function's replayed elements cannot do, and a per-session cache never shows one
person's results to another.

The consistency check (`toolkit.research.consistency`) needs no settings and no draws: it has its own cache,
keyed by the same digest without the settings, so changing the draws never recomputes it. Its
warnings name ministries' periods and rubric titles, so they are shown escaped (plain text), never
as markdown.

`research_section` returns what it computed (`uncertainty`, `sensitivity`, `consistency`) for the
page's comparison workbook download, which then carries the intervals and the research sheets.

Session keys: `compare_draws`, `compare_seed`, `compare_spread`, `compare_switch`, `compare_depth`
(the widgets), `compare_research_cache` and `compare_consistency_cache`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from toolkit.engine.comparison import Comparison
from toolkit.engine.compiled import none_if_nan
from toolkit.errors import ToolkitError
from toolkit.i18n import t
from toolkit.i18n.formatting import format_number
from toolkit.model.rubric import text_in
from toolkit.reports import charts
from toolkit.research.consistency import Consistency, consistency, subject_names
from toolkit.research.sensitivity import DEFAULT_SAMPLES, Sensitivity, sensitivity
from toolkit.research.uncertainty import DEFAULT_DRAWS, DEFAULT_SPREAD, INPUTS, Uncertainty, uncertainty
from toolkit.ui.text import escape_markdown

CACHE_KEY = "compare_research_cache"
CONSISTENCY_CACHE_KEY = "compare_consistency_cache"
CACHE_SIZE = 4  # inputs remembered per session: going back to a recent choice costs nothing
MIN_DRAWS, MAX_DRAWS = 10, 20_000  # the upper bound keeps one request's memory and time in check
MAX_SPREAD = 0.9
WARNINGS_SHOWN = 10  # consistency warnings in the box; the others in an expander below it
RUNS = 0  # how many times `analyse` ran in this process; the tests read it to see the cache work
CONSISTENCY_RUNS = 0  # the same for the consistency check


@dataclass(frozen=True)
class Settings:
    """What the analyses are run with."""

    draws: int = DEFAULT_DRAWS
    seed: int = 0
    spread: float = DEFAULT_SPREAD
    switch_aggregation: bool = False
    depth: int = 1
    samples: int = DEFAULT_SAMPLES


@dataclass(frozen=True, eq=False)
class Research:
    """The computed numbers of one input: the Monte Carlo and the sensitivity analysis."""

    uncertainty: Uncertainty
    sensitivity: Sensitivity


def input_key(comparison: Comparison, stamps: Sequence[tuple[str, str]], settings: Settings | None, *,
              tag: str | None) -> str:
    """A digest of everything the analyses depend on (see the module docstring); no settings for consistency."""
    matrix = comparison.scores.matrix
    digest = hashlib.sha256()
    digest.update(json.dumps({
        "rubric": [comparison.rubric.id, comparison.rubric.version, tag or ""],
        "normalisation": comparison.normalisation,
        "assessments": [a.id for a in comparison.assessments],
        "stamps": [list(stamp) for stamp in stamps],
        "settings": asdict(settings) if settings is not None else None,
    }, sort_keys=True).encode())
    for array in (matrix.values, matrix.confidence):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def analyse(comparison: Comparison, settings: Settings,
            progress: Callable[[float], None] | None = None) -> Research:
    """Run the Monte Carlo and the sensitivity analysis; `progress(fraction)` over both."""
    global RUNS
    RUNS += 1
    # Shares of the bar by work done: the Monte Carlo's draws, then Saltelli's samples x (inputs + 2).
    sobol_draws = settings.samples * (len(INPUTS) + 2)
    first = settings.draws / (settings.draws + sobol_draws)
    report = progress or (lambda fraction: None)
    spread = uncertainty(comparison, settings.draws, settings.seed, spread=settings.spread,
                         switch_aggregation=settings.switch_aggregation,
                         progress=lambda done: report(first * done))
    robust = sensitivity(comparison, settings.depth, samples=settings.samples, seed=settings.seed,
                         spread=settings.spread, switch_aggregation=settings.switch_aggregation,
                         progress=lambda done: report(first + (1 - first) * done))
    # The per-draw scores are summarised already (percentiles, counts): keep the session's copy small.
    return Research(uncertainty=replace(spread, overall_draws=spread.overall_draws[:0]), sensitivity=robust)


def cached_analysis(key: str, comparison: Comparison, settings: Settings, lang: str) -> Research:
    """The session's result for `key`, or a new run under a progress bar (then remembered)."""
    cache: dict[str, Research] = st.session_state.setdefault(CACHE_KEY, {})
    found = cache.pop(key, None)
    if found is None:
        text = t("research_running", lang, draws=format_number(settings.draws, lang, digits=0))
        bar = st.progress(0.0, text=text)
        try:
            found = analyse(comparison, settings, lambda done: bar.progress(min(max(done, 0.0), 1.0), text=text))
        finally:
            bar.empty()
    cache[key] = found  # most recent last
    while len(cache) > CACHE_SIZE:
        cache.pop(next(iter(cache)))
    return found


def cached_consistency(key: str, comparison: Comparison) -> Consistency:
    """The session's consistency check for `key`, or a new one (then remembered, the last few inputs)."""
    global CONSISTENCY_RUNS
    cache: dict[str, Consistency] = st.session_state.setdefault(CONSISTENCY_CACHE_KEY, {})
    found = cache.pop(key, None)
    if found is None:
        CONSISTENCY_RUNS += 1
        found = consistency(comparison)
    cache[key] = found  # most recent last
    while len(cache) > CACHE_SIZE:
        cache.pop(next(iter(cache)))
    return found


def settings_controls(comparison: Comparison, lang: str) -> Settings:
    """The draws, seed, spread and switch widgets (and the depth, for a rubric with sub-dimensions)."""
    left, middle, right, far = st.columns(4)
    draws = left.number_input(t("research_draws", lang), min_value=MIN_DRAWS, max_value=MAX_DRAWS,
                              value=DEFAULT_DRAWS, step=100, key="compare_draws", help=t("research_draws_help", lang))
    seed = middle.number_input(t("research_seed", lang), min_value=0, max_value=2**32 - 1, value=0, step=1,
                               key="compare_seed", help=t("research_seed_help", lang))
    spread = right.slider(t("research_spread", lang), min_value=0.0, max_value=MAX_SPREAD, value=DEFAULT_SPREAD,
                          step=0.05, key="compare_spread", help=t("research_spread_help", lang))
    switch = far.toggle(t("research_switch", lang), key="compare_switch", help=t("research_switch_help", lang))
    deepest = int(comparison.scores.compiled.node_depth.max())
    depth = 1
    if deepest > 1:
        depth = st.selectbox(t("research_depth", lang), list(range(1, deepest + 1)), key="compare_depth",
                             help=t("research_depth_help", lang))
    return Settings(draws=int(draws), seed=int(seed), spread=round(float(spread), 2),
                    switch_aggregation=bool(switch), depth=int(depth or 1))


def research_section(comparison: Comparison, stamps: Sequence[tuple[str, str]], tag: str | None,
                     lang: str) -> dict[str, Any]:
    """The research view of the compare page, below the rankings and charts; returns what it computed
    (`uncertainty`, `sensitivity`, `consistency`), as keyword arguments for the comparison workbook."""
    st.subheader(t("research_title", lang))
    st.caption(t("research_help", lang))
    settings = settings_controls(comparison, lang)
    key = input_key(comparison, stamps, settings, tag=tag)
    computed: dict[str, Any] = {}
    try:
        found = cached_analysis(key, comparison, settings, lang)
    except (ToolkitError, ValueError) as error:
        st.warning(t("research_failed", lang))
        st.text(str(error))
    else:
        _show_draws(comparison, found, lang)
        computed.update(uncertainty=found.uncertainty, sensitivity=found.sensitivity)
    checks = consistency_section(comparison, input_key(comparison, stamps, None, tag=tag), lang)
    if checks is not None:
        computed["consistency"] = checks
    return computed


def _show_draws(comparison: Comparison, found: Research, lang: str) -> None:
    order = comparison.order()
    scores = comparison.scores
    st.markdown(f"**{t('research_intervals', lang)}**")
    st.dataframe(interval_table(comparison, found.uncertainty, lang), hide_index=True,
                 key="compare_interval_table", column_config={
                     t("research_score_p", lang, p=p): st.column_config.NumberColumn(format="%.1f")
                     for p in (5, 50, 95)})
    st.plotly_chart(charts.rank_intervals(scores, found.uncertainty, order, language=lang,
                                          title=t("research_rank_title", lang)), key="compare_rank_intervals")
    st.plotly_chart(charts.stage_probabilities(scores, found.uncertainty, order, language=lang,
                                               title=t("research_stage_title", lang)),
                    key="compare_stage_probabilities")
    st.markdown(f"**{t('research_loo', lang)}**")
    st.dataframe(leave_one_out_table(comparison, found.sensitivity, lang), hide_index=True,
                 key="compare_loo_table", column_config={
                     t("research_loo_change", lang): st.column_config.NumberColumn(format="%.2f")})
    st.markdown(f"**{t('research_sobol', lang, samples=found.sensitivity.samples)}**")
    st.dataframe(sobol_table(found.sensitivity, lang), hide_index=True, key="compare_sobol_table",
                 column_config={name: st.column_config.NumberColumn(format="%.2f")
                                for name in sobol_columns(lang)[1:]})
    st.caption(t("research_sobol_note", lang))


def consistency_section(comparison: Comparison, key: str, lang: str) -> Consistency | None:
    """Warnings first, then Cronbach's alpha, the dimension correlations and indicator coverage."""
    st.subheader(t("consistency_title", lang))
    try:
        checks = cached_consistency(key, comparison)
    except (ToolkitError, ValueError) as error:
        st.warning(t("consistency_failed", lang))
        st.text(str(error))
        return None
    st.caption(t("consistency_help", lang, min_pairs=checks.settings["min_pairs"]))
    texts = checks.warning_texts(lang)
    if texts:
        # Periods and titles are document text: every message is escaped, shown as written. The
        # comparison-wide and dimension warnings come first; a long tail goes into an expander.
        shown, rest = texts[:WARNINGS_SHOWN], texts[WARNINGS_SHOWN:]
        st.warning("\n".join([t("consistency_warnings_intro", lang), "",
                               *[f"- {escape_markdown(text)}" for text in shown]]))
        if rest:
            with st.expander(t("consistency_more_warnings", lang, count=len(rest))):
                st.markdown("\n".join(f"- {escape_markdown(text)}" for text in rest))
    else:
        st.success(t("consistency_no_warnings", lang))
    threshold = checks.settings["alpha_threshold"]
    st.markdown(f"**{t('consistency_alpha_title', lang, threshold=threshold)}**")
    st.dataframe(alpha_table(checks, lang), hide_index=True, key="compare_alpha_table", column_config={
        t("consistency_alpha", lang): st.column_config.NumberColumn(format="%.3f")})
    if checks.node_correlations.notna().to_numpy().any():  # none with fewer than min_pairs assessments
        st.plotly_chart(charts.correlation_heatmap(checks, language=lang,
                                                   title=t("consistency_corr_chart", lang)),
                        key="compare_correlations")
        st.caption(t("consistency_corr_note", lang, min_pairs=checks.settings["min_pairs"]))
    st.markdown(f"**{t('consistency_coverage_title', lang)}**")
    percent = st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f%%")
    st.dataframe(coverage_table(checks, lang), hide_index=True, key="compare_coverage_table", column_config={
        t("consistency_share", lang): percent,
        t("consistency_share_applicable", lang): st.column_config.NumberColumn(format="%.0f%%"),
        t("consistency_r_dimension", lang): st.column_config.NumberColumn(format="%.2f")})
    return checks


# --- tables -------------------------------------------------------------------------------------------


def interval_table(comparison: Comparison, spread: Uncertainty, lang: str) -> pd.DataFrame:
    """Per assessment (rank order): rank, ministry, rank and score percentiles, the likeliest stage."""
    stages = [text_in(stage.label, lang) for stage in comparison.rubric.stages]
    rows = []
    for k in comparison.order():
        assessment = comparison.assessments[k]
        ranks = [none_if_nan(x) for x in spread.rank_percentiles[k].tolist()]
        overall = [none_if_nan(x) for x in spread.overall_percentiles[k].tolist()]
        odds = spread.stage_probability[k]
        likeliest = None if np.isnan(odds).any() else int(np.argmax(odds))
        rows.append({
            t("rank", lang): None if np.isnan(comparison.ranks[k]) else int(comparison.ranks[k]),
            t("ministry", lang): assessment.ministry.marked_name,
            t("period", lang): assessment.period,
            **{t("research_rank_p", lang, p=p): value for p, value in zip((5, 50, 95), ranks, strict=True)},
            **{t("research_score_p", lang, p=p): value for p, value in zip((5, 50, 95), overall, strict=True)},
            t("research_likeliest", lang): "—" if likeliest is None else f"{stages[likeliest]} ({odds[likeliest]:.0%})",
        })
    return pd.DataFrame(rows)


def leave_one_out_table(comparison: Comparison, robust: Sensitivity, lang: str) -> pd.DataFrame:
    """Per node left out (rubric order): its title and the mean absolute rank change."""
    titles = {node.id: text_in(node.title, lang) for node, _ in comparison.rubric.nodes()}
    loo = robust.leave_one_out
    return pd.DataFrame({
        t("research_loo_node", lang): [titles.get(node_id, node_id) for node_id in loo.node_ids],
        t("research_loo_change", lang): [none_if_nan(x) for x in loo.mean_abs_rank_change.tolist()],
    })


def sobol_columns(lang: str) -> list[str]:
    """The Sobol table's headers: input, then first order and total, each with its interval."""
    first, total = t("research_sobol_first", lang), t("research_sobol_total", lang)
    return [t("research_sobol_input", lang), first, t("research_sobol_low", lang, name=first),
            t("research_sobol_high", lang, name=first), total, t("research_sobol_low", lang, name=total),
            t("research_sobol_high", lang, name=total)]


def sobol_table(robust: Sensitivity, lang: str) -> pd.DataFrame:
    """Per uncertain input: first-order and total Sobol index with their bootstrap intervals."""
    rows = [[t(f"research_input_{name}", lang), index.first, *index.first_ci, index.total, *index.total_ci]
            for name, index in robust.sobol.items()]
    frame = pd.DataFrame(rows, columns=sobol_columns(lang))
    return frame.astype({name: float for name in frame.columns[1:]})


def alpha_table(checks: Consistency, lang: str) -> pd.DataFrame:
    """Per dimension and sub-dimension (rubric order, indented by depth): indicators, assessments used, alpha."""
    names = subject_names(checks.rubric, lang)
    return pd.DataFrame({
        t("dimension", lang): ["  " * (int(depth) - 1) + names.get(node, node)
                               for node, depth in zip(checks.alpha["node"], checks.alpha["depth"], strict=True)],
        t("consistency_indicators", lang): checks.alpha["indicators"].astype(int).tolist(),
        t("consistency_assessments_used", lang): checks.alpha["assessments"].astype(int).tolist(),
        t("consistency_alpha", lang): [none_if_nan(float(x)) for x in checks.alpha["alpha"]],
    })


def coverage_table(checks: Consistency, lang: str) -> pd.DataFrame:
    """Per indicator: its dimension, answered / missing / N/A counts, coverage (%), and r with its dimension."""
    names = subject_names(checks.rubric, lang)
    table = checks.coverage
    crossed = checks.indicator_node_correlations
    return pd.DataFrame({
        t("xl_indicator", lang): [names.get(i, i) for i in table["indicator"]],
        t("dimension", lang): [names.get(n, n) for n in table["node"]],
        t("xl_status_answered", lang): table["answered"].astype(int).tolist(),
        t("xl_status_missing", lang): table["missing"].astype(int).tolist(),
        t("xl_status_na", lang): table["na"].astype(int).tolist(),
        t("consistency_share", lang): [none_if_nan(100 * float(x)) for x in table["coverage"]],
        t("consistency_share_applicable", lang): [none_if_nan(100 * float(x)) for x in table["coverage_applicable"]],
        t("consistency_r_dimension", lang): [none_if_nan(float(crossed.loc[i, n]))
                                             for i, n in zip(table["indicator"], table["node"], strict=True)],
    })
