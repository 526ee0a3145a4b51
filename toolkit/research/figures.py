"""Publication figures of a comparison, as SVG and PDF, drawn without a browser (SPEC 13).

Three figures, labels in the chosen language: the rank intervals of the uncertainty analysis
(`rank_intervals`), the assessments x dimensions heatmap (`dimension_heatmap`) and the sensitivity
bars, leave-one-out beside the Sobol indices (`sensitivity_bars`). matplotlib draws them with its
own vector backends (no Chromium, unlike kaleido), in the DejaVu Sans it ships, so a fresh machine
gives the same figure: PDF fonts are embedded as TrueType (`pdf.fonttype` 42, text stays
selectable), SVG glyphs are drawn as paths (the file needs no font). Creation dates and random ids
are left out, so the same data give the same bytes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from toolkit.engine.comparison import Comparison
from toolkit.i18n import t
from toolkit.i18n.formatting import format_number
from toolkit.model.assessment import marked_name
from toolkit.model.rubric import text_in
from toolkit.research.sensitivity import Sensitivity
from toolkit.research.uncertainty import Uncertainty

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("svg", "pdf")
STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "pdf.fonttype": 42, "svg.fonttype": "path",
         "svg.hashsalt": "ddmt", "axes.spines.top": False, "axes.spines.right": False}
BLUE, ORANGE, GREY = "#1f5f8b", "#d9822b", "#8a8a8a"


def _labels(comparison: Comparison, rows: list[int]) -> list[str]:
    """Country (with † when fictional) and period; the id added where two would clash."""
    found = [f"{marked_name(a.ministry.country, a.ministry.fictional)}, {a.period}"
             for a in (comparison.assessments[k] for k in rows)]
    clashes = {label for label in found if found.count(label) > 1}
    return [f"{label} ({comparison.assessments[k].id})" if label in clashes else label
            for label, k in zip(found, rows, strict=True)]


def _note_fictional(figure: Figure, comparison: Comparison, lang: str) -> None:
    if any(a.ministry.fictional for a in comparison.assessments):
        figure.supxlabel(t("fig_fictional", lang), x=0.01, ha="left", fontsize=7, color=GREY)


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def rank_intervals(comparison: Comparison, result: Uncertainty, lang: str = "en") -> Figure:
    """Per assessment (by nominal rank): the median rank over the draws, its 5-95% interval, the nominal rank."""
    order = comparison.order()
    figure = _figure(7.0, 1.2 + 0.32 * len(order))
    axes = figure.add_subplot()
    y = np.arange(len(order))
    low, mid, high = (result.rank_percentiles[order, j] for j in range(3))
    axes.hlines(y, low, high, color=BLUE, linewidth=2.5)
    draws = format_number(result.draws, lang, digits=0)
    axes.plot(mid, y, "o", color=BLUE, label=t("fig_rank_median", lang, draws=draws))
    axes.plot(comparison.ranks[order], y, "|", color=ORANGE, markersize=12, markeredgewidth=2,
              label=t("fig_rank_nominal", lang))
    axes.set_yticks(y, _labels(comparison, order))
    axes.invert_yaxis()
    axes.set_xlim(0.5, len(order) + 0.5)
    axes.set_xlabel(t("fig_rank_axis", lang))
    axes.set_title(t("fig_rank_title", lang), loc="left")
    figure.legend(loc="outside upper right", frameon=False, fontsize=8, ncols=2)
    _note_fictional(figure, comparison, lang)
    return figure


def dimension_heatmap(comparison: Comparison, lang: str = "en") -> Figure:
    """Assessments (by rank) x top-level dimensions, each cell its score, empty where null."""
    order = comparison.order()
    dims = comparison.rubric.dimensions
    values = comparison.scores.dimensions[order]
    figure = _figure(1.8 + 0.9 * len(dims), 1.6 + 0.32 * len(order))
    axes = figure.add_subplot()
    image = axes.imshow(np.ma.masked_invalid(values), cmap="Blues", vmin=0, vmax=100, aspect="auto")
    for (row, column), value in np.ndenumerate(values):
        if value == value:
            axes.text(column, row, f"{value:.0f}", ha="center", va="center", fontsize=7,
                      color="white" if value > 60 else "black")
    axes.set_xticks(range(len(dims)), [text_in(d.title, lang) for d in dims], rotation=35, ha="right")
    axes.set_yticks(range(len(order)), _labels(comparison, order))
    axes.spines[:].set_visible(False)
    axes.set_title(t("fig_heatmap_title", lang), loc="left")
    figure.colorbar(image, ax=axes, label=t("fig_heatmap_scale", lang), shrink=0.8)
    _note_fictional(figure, comparison, lang)
    return figure


def sensitivity_bars(comparison: Comparison, result: Sensitivity, lang: str = "en") -> Figure:
    """Leave-one-out rank change per node, and the Sobol indices with their bootstrap intervals."""
    names = {node.id: text_in(node.title, lang) for node, _ in comparison.rubric.nodes()}
    loo = result.leave_one_out
    figure = _figure(10.0, 1.6 + 0.3 * max(len(loo.node_ids), 4))
    left, right = figure.subplots(1, 2, width_ratios=(5, 4))
    y = np.arange(len(loo.node_ids))
    left.barh(y, np.nan_to_num(loo.mean_abs_rank_change), color=BLUE)
    left.set_yticks(y, [names.get(node, node) for node in loo.node_ids])
    left.invert_yaxis()
    left.set_xlabel(t("fig_loo_axis", lang))
    left.set_title(textwrap.fill(t("fig_loo_title", lang), 60), loc="left", fontsize=9)
    inputs = list(result.sobol)
    x = np.arange(len(inputs))
    for offset, (key, colour) in zip((-0.2, 0.2), (("first", BLUE), ("total", ORANGE)), strict=True):
        values = np.array([getattr(result.sobol[name], key) for name in inputs], dtype=float)
        bounds = np.array([getattr(result.sobol[name], f"{key}_ci") for name in inputs], dtype=float)
        bounds = bounds.reshape(len(inputs), 2)
        error = np.abs(np.vstack([values - bounds[:, 0], bounds[:, 1] - values]))
        right.bar(x + offset, np.nan_to_num(values), width=0.4, color=colour,
                  yerr=np.nan_to_num(error), capsize=3, label=t(f"fig_sobol_{key}", lang))
    right.set_xticks(x, [textwrap.fill(t(f"fig_input_{name}", lang), 16) for name in inputs])
    right.axhline(0, color=GREY, linewidth=0.8)
    right.set_title(textwrap.fill(t("fig_sobol_title", lang), 40), loc="left", fontsize=9)
    right.legend(frameon=False, fontsize=8)
    return figure


def save(figure: Figure, base: Path) -> list[Path]:
    """Write one figure as `base.svg` and `base.pdf`, without dates, so the same data give the same bytes."""
    base.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        path = base.with_suffix(f".{fmt}")
        metadata: dict[str, Any] = ({"Date": None} if fmt == "svg"
                                    else {"CreationDate": None, "ModDate": None, "Producer": None})
        figure.savefig(path, format=fmt, metadata=metadata)
        written.append(path)
    return written


def write_figures(folder: str | Path, comparison: Comparison, uncertainty: Uncertainty | None = None,
                  sensitivity: Sensitivity | None = None, lang: str = "en", *, prefix: str = "") -> list[str]:
    """Every figure the results allow, as SVG and PDF in `folder`; the names written (with `prefix`)."""
    import matplotlib

    folder = Path(folder)
    drawn = {"dimension_heatmap": lambda: dimension_heatmap(comparison, lang)}
    if uncertainty is not None:
        drawn["rank_intervals"] = lambda: rank_intervals(comparison, uncertainty, lang)
    if sensitivity is not None:
        drawn["sensitivity_bars"] = lambda: sensitivity_bars(comparison, sensitivity, lang)
    names = []
    with matplotlib.rc_context(STYLE):
        for name, draw in drawn.items():
            names += [prefix + path.name for path in save(draw(), folder / name)]
    return names
