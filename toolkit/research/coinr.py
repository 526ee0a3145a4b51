"""Convert COINr's tabular composite-indicator format into our rubric and assessment documents.

COINr (github.com/bluefoxr/COINr, MIT licence) describes a composite indicator with two tables:
`iMeta` (one row per indicator, aggregate, group or denominator: Level, iCode, iName, Direction,
Weight, Unit, Target, Denominator, Parent, Type) and `iData` (one row per unit: uName, uCode, group
columns, denominator columns, indicator columns). This module turns them into a research rubric
(metric indicators, `minmax` normalisation, COINr's hierarchy as nested nodes) and one assessment
per unit, so researchers can score and compare COINr data sets, above all the ASEM reference data,
with the toolkit's engine.

Everything here is a pure function on DataFrames except `read_coinr_csv`, which reads the two CSV
files with every cell kept as text (so a code like "NA", Namibia, stays a code) before numbers are
converted explicitly. A row with more fields than the header is refused with its file and line: left
to pandas, an extra field in the first row would silently turn the first column into the index and
shift every column one place. Bad input raises `ToolkitError` with a message naming the table, row
and column.

A rubric nests at most `MAX_LEVELS` levels of aggregates below its top (30): deeper, its JSON
document would pass the reader's nesting limit (`toolkit.model.jsonio.MAX_DEPTH`, 64), so a deeper iMeta
hierarchy is refused, naming the row of the first aggregate too deep.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from os import PathLike
from typing import Any

import pandas as pd

from toolkit.errors import ToolkitError
from toolkit.model import jsonio

__all__ = [
    "ASEM_NOTE",
    "ASEM_SOURCE",
    "MAX_LEVELS",
    "coinr_ids",
    "assessments_from_coinr",
    "read_coinr_csv",
    "rubric_from_coinr",
    "slugify",
]

META_COLUMNS = ("Level", "iCode", "iName", "Direction", "Weight", "Parent")  # Type is optional
# Levels of aggregates below the top: a node at level n sits 2n brackets deep in the rubric document
# and its indicators' texts 4 more, which must stay within the reader's nesting limit.
MAX_LEVELS = (jsonio.MAX_DEPTH - 4) // 2
DATA_COLUMNS = ("uName", "uCode")

ASEM_SOURCE: Mapping[str, str] = {
    "name": "COINr: ASEM Sustainable Connectivity index data",
    "url": "https://github.com/bluefoxr/COINr",
    "licence": "MIT (COINr package, copyright its authors)",
    "note": ("Indicator metadata and data of the ASEM Sustainable Connectivity index built by the "
             "European Commission's Joint Research Centre, as shipped with the COINr R package; "
             "converted by toolkit.research.coinr."),
}

ASEM_NOTE = ("ASEM reference data set (COINr package, github.com/bluefoxr/COINr, MIT licence; data of "
             "the European Commission JRC's ASEM Sustainable Connectivity index). These are country "
             "statistics converted by toolkit.research.coinr, not a self-assessment by a ministry.")

# Cells that mean "no value" in a numeric column of a COINr export (R writes NA).
_MISSING_TOKENS = frozenset({"", "na", "nan", "n/a", "null", "none", "#n/a"})
# The implicit root of every rubric is called "overall" (toolkit.model.rubric.Rubric.root): never reuse it.
_RESERVED_IDS = frozenset({"overall"})
_ISO3 = re.compile(r"^[A-Z]{3}$")

_SCALE_LABELS = {
    "en": ("very low", "low", "medium", "high", "very high"),
    "id": ("sangat rendah", "rendah", "sedang", "tinggi", "sangat tinggi"),
}
_STAGES = (
    ("start-up", 0, {"en": "Start-up", "id": "Rintisan"}),
    ("formative", 20, {"en": "Formative", "id": "Formatif"}),
    ("established", 40, {"en": "Established", "id": "Mapan"}),
    ("strategic", 60, {"en": "Strategic", "id": "Strategis"}),
    ("dynamic", 80, {"en": "Dynamic", "id": "Dinamis"}),
)


def read_coinr_csv(meta_path: str | PathLike[str],
                   data_path: str | PathLike[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read COINr's iMeta and iData CSVs as text, so codes such as "NA" survive until converted."""
    return _read_table(meta_path), _read_table(data_path)


def _read_table(path: str | PathLike[str]) -> pd.DataFrame:
    """One CSV file as a table of text; ToolkitError naming the file (and line) if it cannot be read as one."""
    name = os.fspath(path) if isinstance(path, str | PathLike) else None
    if not isinstance(name, str):  # open() would take an int as a file descriptor
        raise ToolkitError(f"{path!r}: cannot read as CSV: not a file path ({type(path).__name__})")
    shown = jsonio.display_name(name)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ToolkitError(f"{shown}: cannot read as CSV: {' '.join(str(exc).split())}") from exc
    _check_widths(text, shown)
    try:
        with warnings.catch_warnings():
            # A longer first row is only a ParserWarning with index_col=False: refuse it, never lose a field.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False,
                               index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, pd.errors.ParserWarning) as exc:
        raise ToolkitError(f"{shown}: cannot read as CSV: {' '.join(str(exc).split())}") from exc


def _check_widths(text: str, shown: str) -> None:
    """ToolkitError at the first row with more fields than the header (a stray comma, an unquoted value)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    width = None
    try:
        for record in reader:
            if not record:
                continue  # a blank line, which pandas skips too
            if width is None:
                width = len(record)
            elif len(record) > width:
                raise ToolkitError(f"{shown}: line {reader.line_num}: {len(record)} fields but the header has "
                                   f"{width} (a stray delimiter, or a value with a comma not in quotes?)")
    except csv.Error:
        return  # pandas reads it, or says why it cannot


def slugify(code: str) -> str:
    """Turn a COINr code into a valid id: lowercase `[a-z0-9_.-]`, starting with a letter or digit."""
    slug = re.sub(r"[^a-z0-9_.-]+", "_", str(code).strip().lower())
    slug = slug.lstrip("_.-")
    return slug or "x"


def coinr_ids(codes: Iterable[str]) -> dict[str, str]:
    """Map codes to unique ids deterministically (slug, then `-2`, `-3`... on a clash), in order."""
    taken: set[str] = set(_RESERVED_IDS)
    mapping: dict[str, str] = {}
    for code in codes:
        if code in mapping:
            continue
        base = slugify(code)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        mapping[code] = candidate
    return mapping


def rubric_from_coinr(imeta: pd.DataFrame, *, rubric_id: str, version: str, title: str,
                      languages: Sequence[str] = ("en",), denominate: bool = True,
                      source: Mapping[str, str] | None = None,
                      description: str | None = None) -> dict[str, Any]:
    """Build a research rubric document from COINr's iMeta so COINr hierarchies score in our engine."""
    langs = tuple(languages)
    if not langs:
        raise ToolkitError("iMeta: at least one language is needed for the rubric texts")
    rows = _meta_rows(imeta)
    ids = coinr_ids(row["code"] for row in rows if row["type"] in ("indicator", "aggregate"))
    by_code = {row["code"]: row for row in rows}
    children: dict[str, list[dict[str, Any]]] = {}
    roots: list[dict[str, Any]] = []
    for row in rows:
        if row["type"] not in ("indicator", "aggregate"):
            continue
        if row["parent"]:
            children.setdefault(row["parent"], []).append(row)
        else:
            roots.append(row)

    if len(roots) == 1 and roots[0]["type"] == "aggregate":
        top = roots[0]
        dimension_rows = children.get(top["code"], [])
        stray = [row["code"] for row in dimension_rows if row["type"] == "indicator"]
        if stray:
            raise ToolkitError(f"iMeta: indicators {', '.join(stray)} hang directly from the top "
                               f"aggregate {top['code']}; a rubric's top level holds only nodes")
        top_name = top["name"]
    else:
        stray = [row["code"] for row in roots if row["type"] == "indicator"]
        if stray:
            raise ToolkitError(f"iMeta: indicators without a Parent: {', '.join(stray)}")
        dimension_rows = roots
        top_name = title
    if not dimension_rows:
        raise ToolkitError("iMeta: no aggregate below the top level; nothing to build a rubric from")
    _check_depth(dimension_rows, children)

    def text(value: str) -> dict[str, str]:
        return {lang: value for lang in langs}

    def translated(options: Mapping[str, str]) -> dict[str, str]:
        return {lang: options.get(lang, options["en"]) for lang in langs}

    def indicator(row: dict[str, Any]) -> dict[str, Any]:
        unit = row["unit"] or "value"
        guidance = f"COINr indicator {row['code']} ({row['name']}), unit: {row['unit'] or 'none'}."
        if denominate and row["denominator"]:
            # The denominator's own iMeta row only names it; without one, its code stands in.
            denominator = by_code.get(row["denominator"], {"name": row["denominator"], "unit": ""})
            denominator_text = denominator["name"] + (f" ({denominator['unit']})"
                                                      if denominator["unit"] else "")
            unit = f"{unit} per {denominator_text}"
            guidance += (f" The value is divided by the denominator {row['denominator']} "
                         f"({denominator_text}), as COINr's denomination does.")
        better = "higher" if row["direction"] == 1 else "lower"
        guidance += f" Direction {row['direction']}: {better} values are better."
        return {
            "id": ids[row["code"]],
            "kind": "metric",
            "title": text(row["name"]),
            "question": text(f"What is the value of '{row['name']}' ({unit})?"),
            "guidance": text(guidance),
            "weight": row["weight"],
            "tags": ["source:coinr"],
            "unit": text(unit),
            "direction": row["direction"],
        }

    def node(row: dict[str, Any]) -> dict[str, Any]:
        kids = children.get(row["code"], [])
        if not kids:
            raise ToolkitError(f"iMeta row {row['row']}: aggregate {row['code']} has no children")
        out: dict[str, Any] = {
            "id": ids[row["code"]],
            "title": text(row["name"]),
            "description": text(f"COINr aggregate {row['code']} (level {row['level']}) of {top_name}."),
            "weight": row["weight"],
            "aggregation": "arithmetic",
        }
        sub = [node(kid) for kid in kids if kid["type"] == "aggregate"]
        leaves = [indicator(kid) for kid in kids if kid["type"] == "indicator"]
        if sub:
            out["dimensions"] = sub
        if leaves:
            out["indicators"] = leaves
        return out

    n_indicators = sum(1 for row in rows if row["type"] == "indicator")
    return {
        "kind": "rubric",
        "format_version": 1,
        "id": rubric_id,
        "version": version,
        "title": text(title),
        "description": text(description or (
            f"Research rubric generated from the COINr metadata of {top_name}: {n_indicators} metric "
            f"indicators in COINr's hierarchy, weights and directions, normalised min-max over the "
            f"compared units and aggregated by weighted arithmetic means.")),
        "languages": list(langs),
        "aggregation": "arithmetic",
        "normalisation": "minmax",
        "scale": {"levels": [
            {"value": value, "label": translated({lang: labels[value]
                                                  for lang, labels in _SCALE_LABELS.items()})}
            for value in range(5)
        ]},
        "stages": [{"id": stage_id, "min_score": min_score, "label": translated(label)}
                   for stage_id, min_score, label in _STAGES],
        "evidence_policy": {"unsupported_cap": None},
        "source": dict(source if source is not None else ASEM_SOURCE),
        "dimensions": [node(row) for row in dimension_rows],
    }


def assessments_from_coinr(idata: pd.DataFrame, imeta: pd.DataFrame, *, rubric_id: str, version: str,
                           period: str, denominate: bool = True, date: str | None = None,
                           note: str = ASEM_NOTE) -> list[dict[str, Any]]:
    """Turn each iData row into an assessment of raw (optionally denominated) indicator values."""
    period = str(period)
    date = date or _dt.date.today().isoformat()
    rows = _meta_rows(imeta)
    ids = coinr_ids(row["code"] for row in rows if row["type"] in ("indicator", "aggregate"))
    indicators = [row for row in rows if row["type"] == "indicator"]
    for column in DATA_COLUMNS:
        if column not in idata.columns:
            raise ToolkitError(f"iData: column {column!r} is missing")
    needed = {row["code"] for row in indicators}
    if denominate:
        needed |= {row["denominator"] for row in indicators if row["denominator"]}
    absent = sorted(needed - set(idata.columns))
    if absent:
        raise ToolkitError(f"iData: columns {', '.join(absent)} named in iMeta are missing")

    values = {code: _numeric(idata[code], code) for code in needed}
    table = {}
    for row in indicators:
        series = values[row["code"]]
        if denominate and row["denominator"]:
            series = series / values[row["denominator"]]
        table[ids[row["code"]]] = series

    units = [_unit_code(code, name, index)
             for index, (code, name) in enumerate(zip(idata["uCode"], idata["uName"], strict=True))]
    seen: set[str] = set()
    for index, (code, _) in enumerate(units):
        if code in seen:
            raise ToolkitError(f"iData row {index + 2}: uCode {code!r} appears more than once "
                               f"(keep one Time per unit)")
        seen.add(code)
    ministry_ids = coinr_ids(code for code, _ in units)
    period_slug = slugify(period)

    out = []
    for position, (code, name) in enumerate(units):
        answers = {}
        for indicator_id, series in table.items():
            value = float(series.iloc[position])
            if math.isfinite(value):
                answers[indicator_id] = {"value": value}
        ministry: dict[str, Any] = {"id": ministry_ids[code], "name": name, "country": name}
        if _ISO3.match(code):
            ministry["iso3"] = code
        out.append({
            "kind": "assessment",
            "format_version": 1,
            "id": f"{ministry_ids[code]}-{period_slug}",
            "rubric": {"id": rubric_id, "version": version},
            "ministry": ministry,
            "period": period,
            "date": date,
            "status": "reviewed",
            "assessors": ["COINr reference data (converted by toolkit.research.coinr)"],
            "language": "en",
            "notes": note + (" Values are divided by their COINr denominators." if denominate
                             else " Values are raw, not denominated."),
            "answers": answers,
        })
    return out


def _check_depth(dimension_rows: Sequence[dict[str, Any]], children: Mapping[str, list[dict[str, Any]]]) -> None:
    """ToolkitError at the first aggregate nested deeper than MAX_LEVELS (walked without recursion)."""
    stack = [(row, 1) for row in dimension_rows if row["type"] == "aggregate"]
    while stack:
        row, depth = stack.pop()
        if depth > MAX_LEVELS:
            raise ToolkitError(f"iMeta row {row['row']}: aggregate {row['code']} is nested {depth} levels deep; "
                               f"a rubric holds at most {MAX_LEVELS} levels of aggregates")
        stack.extend((kid, depth + 1) for kid in children.get(row["code"], ()) if kid["type"] == "aggregate")


def _meta_rows(imeta: pd.DataFrame) -> list[dict[str, Any]]:
    """Parse iMeta into checked plain rows (numbers converted, codes kept as text)."""
    missing = [column for column in META_COLUMNS if column not in imeta.columns]
    if missing:
        raise ToolkitError(f"iMeta: columns {', '.join(missing)} are missing")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, record in enumerate(imeta.to_dict("records")):
        line = index + 2  # the header is line 1 of the CSV
        code = _cell(record.get("iCode"))
        if not code:
            raise ToolkitError(f"iMeta row {line}: iCode is empty")
        if code in seen:
            raise ToolkitError(f"iMeta row {line}: iCode {code!r} appears more than once")
        seen.add(code)
        kind = _cell(record.get("Type")).lower()
        level_text = _cell(record.get("Level"))
        if not kind:
            # Older COINr tables have no Type: level 1 rows are indicators, higher levels aggregates.
            level = _integer(level_text, f"iMeta row {line}: Level") if level_text else 0
            kind = "indicator" if level == 1 else "aggregate" if level > 1 else "other"
        row: dict[str, Any] = {
            "row": line, "code": code, "type": kind,
            "name": _cell(record.get("iName")) or code,
            "unit": _cell(record.get("Unit")),
            "denominator": _cell(record.get("Denominator")),
            "parent": _cell(record.get("Parent")),
        }
        if kind in ("indicator", "aggregate"):
            row["level"] = _integer(level_text, f"iMeta row {line}: Level")
            row["weight"] = _plain(_number(_cell(record.get("Weight")) or "1",
                                           f"iMeta row {line}: Weight"))
            if not row["weight"] > 0:
                raise ToolkitError(f"iMeta row {line}: Weight of {code} is {row['weight']:g}; "
                                   f"our rubrics need weights > 0 (drop the row to exclude it)")
            if kind == "indicator":
                row["direction"] = _integer(_cell(record.get("Direction")) or "1",
                                            f"iMeta row {line}: Direction")
                if row["direction"] not in (1, -1):
                    raise ToolkitError(f"iMeta row {line}: Direction of {code} must be 1 or -1")
        rows.append(row)
    structural = {row["code"]: row for row in rows if row["type"] in ("indicator", "aggregate")}
    for row in structural.values():
        parent = structural.get(row["parent"]) if row["parent"] else None
        if row["parent"] and parent is None:
            raise ToolkitError(f"iMeta row {row['row']}: Parent {row['parent']!r} of {row['code']} "
                               f"is not an aggregate in iMeta")
        if parent is not None and (parent["type"] != "aggregate" or parent["level"] <= row["level"]):
            raise ToolkitError(f"iMeta row {row['row']}: Parent {row['parent']!r} of {row['code']} "
                               f"must be an aggregate at a higher Level")
    return rows


def _cell(value: Any) -> str:
    """A table cell as stripped text; a missing cell (None or NaN) is empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ToolkitError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ToolkitError(f"{where}: {text!r} is not a finite number")
    return value


def _plain(value: float) -> float | int:
    """A whole number as an int, so documents read `"weight": 1` rather than `1.0`."""
    return int(value) if value == int(value) else value


def _integer(text: str, where: str) -> int:
    value = _number(text, where)
    if value != int(value):
        raise ToolkitError(f"{where}: {text!r} is not a whole number")
    return int(value)


def _numeric(column: pd.Series, name: str) -> pd.Series:
    """Convert one iData column to floats explicitly; missing tokens become NaN, junk is refused."""
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        return column.astype(float).reset_index(drop=True)
    out = []
    for index, cell in enumerate(column.tolist()):
        text = _cell(cell)
        if text.lower() in _MISSING_TOKENS:
            out.append(math.nan)
            continue
        try:
            out.append(float(text))
        except ValueError:
            raise ToolkitError(f"iData row {index + 2}, column {name}: {text!r} is not a number "
                               f"(use a decimal point, no thousands separators)") from None
    return pd.Series(out, dtype=float)


def _unit_code(code: Any, name: Any, index: int) -> tuple[str, str]:
    """A unit's code and name as text; an empty code usually means "NA" was read as missing."""
    code_text, name_text = _cell(code), _cell(name)
    if not code_text:
        raise ToolkitError(f"iData row {index + 2}: uCode is empty (was a code like 'NA' read as "
                           f"missing? read the CSV with keep_default_na=False)")
    return code_text, name_text or code_text
