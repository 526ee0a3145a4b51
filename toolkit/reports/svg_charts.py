"""Charts as SVG text, drawn here without a browser: the PDF and HTML reports embed them as vectors.

Plotly's static images need Chromium (kaleido) at run time, which a consultant's machine or a
server may not have; these charts are a few hundred lines of geometry instead. Every label passes
through `html.escape`, so a ministry or dimension name is always text, never markup. Scores are on
0..100; None (no score) draws nothing for that point or bar and is said in the label.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

# A palette that stays distinct in print and for the common colour-vision deficiencies (Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
GRID = "#BFBFBF"
FONT = "Carlito, Calibri, 'Liberation Sans', sans-serif"

Series = tuple[str, Sequence[float | None]]


def _text(x: float, y: float, text: str, *, size: float = 9, anchor: str = "middle", weight: str = "normal",
          fill: str = "#262626") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}" font-family="{escape(FONT)}">{escape(text)}</text>')


def _wrap(label: str, width: int) -> list[str]:
    """Split a label into lines of about `width` characters, at spaces."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


LEGEND_CHARS = 40


def legend_labels(names: Sequence[str], limit: int = LEGEND_CHARS) -> list[str]:
    """Legend labels that stay apart when shortened: the words every long name shares are left out.

    Ministries' names share their start ("Ministry of Foreign Affairs of the ..."), so cutting each
    at the end gave eight identical entries on the printed comparison report. The distinctive end
    is kept instead (`… Republic of Maravu †`), and a label still too long is cut at its start.
    """
    words = [name.split() for name in names]
    shared = 0  # how many leading words all names share (at least one word of each is kept)
    if len(names) > 1:
        shortest = min(len(w) for w in words)
        while shared < shortest - 1 and len({tuple(w[:shared + 1]) for w in words}) == 1:
            shared += 1
    common = 0  # as few of them left out as make the labels fit
    while common < shared and any(len(name) > limit for name in
                                  ("… " * bool(common) + " ".join(w[common:]) for w in words)):
        common += 1
    labels = []
    for name, parts in zip(names, words, strict=True):
        label = "… " + " ".join(parts[common:]) if common else name
        labels.append(label if len(label) <= limit else "…" + label[-(limit - 1):])
    return labels


def _legend(series: Sequence[Series], x: float, y: float, width: float) -> tuple[list[str], float]:
    """Legend entries in rows across `width`; returns the parts and the height used."""
    parts, cx, cy = [], x, y
    labels = legend_labels([name for name, _ in series])
    for k, label in enumerate(labels):
        step = 18 + 5.2 * len(label)
        if cx + step > x + width and cx > x:
            cx, cy = x, cy + 14
        parts.append(f'<rect x="{cx:.1f}" y="{cy - 8:.1f}" width="10" height="10" fill="{PALETTE[k % len(PALETTE)]}"/>')
        parts.append(_text(cx + 14, cy, label, anchor="start"))
        cx += step
    return parts, cy - y + 14


def radar(categories: Sequence[str], series: Sequence[Series], *, title: str = "", size: float = 420) -> str:
    """A radar (spider) chart of 0..100 scores, one closed line per series (up to eight read well)."""
    n = len(categories)
    cx, cy, r = size / 2, size / 2 + (18 if title else 0), size * 0.30
    legend, legend_h = _legend(series, 10, size + (18 if title else 0) + 6, size - 20)
    height = size + (18 if title else 0) + legend_h + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size:.0f} {height:.0f}" '
             f'width="{size:.0f}" height="{height:.0f}" role="img">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
        parts.append(_text(size / 2, 14, title, size=11, weight="bold"))

    def point(k: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * k / max(n, 1)
        return cx + r * value / 100 * math.cos(angle), cy + r * value / 100 * math.sin(angle)

    for ring in (20, 40, 60, 80, 100):
        ring_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(k, ring) for k in range(n)))
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="{GRID}" stroke-width="0.6"/>')
        x, y = point(0, ring)
        parts.append(_text(x + 3, y + 3, str(ring), size=7, anchor="start", fill="#7F7F7F"))
    for k, label in enumerate(categories):
        x, y = point(k, 100)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.6"/>')
        lx, ly = point(k, 118)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        lines = _wrap(label, 18)
        for j, line in enumerate(lines):
            parts.append(_text(lx, ly + 3 + (j - (len(lines) - 1) / 2) * 10, line, size=8.5, anchor=anchor))
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        known = [(k, v) for k, v in enumerate(values) if v is not None]
        if not known:
            continue
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(k, v) for k, v in known))
        parts.append(f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.10" stroke="{colour}" '
                     f'stroke-width="1.6"><title>{escape(name)}</title></polygon>')
        for k, v in known:
            x, y = point(k, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}"/>')
    parts.extend(legend)
    parts.append("</svg>")
    return "\n".join(parts)


def bars(categories: Sequence[str], series: Sequence[Series], *, title: str = "", width: float = 640,
         axis_title: str = "") -> str:
    """Horizontal clustered bars of 0..100 scores: one group per category, one bar per series."""
    label_w, right, top = 170.0, 30.0, 24.0 if title else 6.0
    bar_h, gap = 9.0 if len(series) > 1 else 12.0, 8.0
    group_h = bar_h * len(series) + gap
    plot_w = width - label_w - right
    plot_h = group_h * len(categories)
    legend, legend_h = _legend(series, label_w, top + plot_h + 30, plot_w) if len(series) > 1 else ([], 0)
    height = top + plot_h + 28 + legend_h + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'width="{width:.0f}" height="{height:.0f}" role="img">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
        parts.append(_text(width / 2, 14, title, size=11, weight="bold"))
    for tick in range(0, 101, 20):
        x = label_w + plot_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + plot_h:.1f}" stroke="{GRID}" '
                     'stroke-width="0.6"/>')
        parts.append(_text(x, top + plot_h + 11, str(tick), size=8, fill="#595959"))
    if axis_title:
        parts.append(_text(label_w + plot_w / 2, top + plot_h + 23, axis_title, size=8.5, fill="#595959"))
    for c, label in enumerate(categories):
        y0 = top + c * group_h + gap / 2
        lines = _wrap(label, 30)[:2]
        middle = y0 + bar_h * len(series) / 2
        for j, line in enumerate(lines):
            parts.append(_text(label_w - 6, middle + 3 + (j - (len(lines) - 1) / 2) * 10, line, size=8.5,
                               anchor="end"))
        for s, (name, values) in enumerate(series):
            value = values[c]
            y = y0 + s * bar_h
            if value is None:
                parts.append(_text(label_w + 4, y + bar_h - 2, "—", size=8, anchor="start", fill="#7F7F7F"))
                continue
            w = plot_w * max(0.0, min(100.0, value)) / 100
            parts.append(f'<rect x="{label_w:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 1:.1f}" '
                         f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(name)}: {value:.1f}</title></rect>')
            parts.append(_text(label_w + w + 3, y + bar_h - 2, f"{value:.1f}", size=7.5, anchor="start"))
    parts.extend(legend)
    parts.append("</svg>")
    return "\n".join(parts)
