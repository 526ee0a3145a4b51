"""A writer-neutral workbook: sheets of styled cells, charts, colour scales and drop-down lists.

The report builders (`assessment_workbook`, `comparison_workbook`) describe what a workbook holds;
a writer (`toolkit.reports.xlsx`) turns the description into a file. Nothing here imports openpyxl,
so the content is testable on its own and another writer could render it.

Cells carry values computed in Python (never formulas) and the *name* of a style; the styles are
defined once, in `STYLES`, and a writer registers each of them once as a named style. Rows and
columns are 1-based, as spreadsheets number them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from toolkit.safe import sheet_title

Value = str | int | float | bool | None


@dataclass(frozen=True)
class Style:
    """A named cell style; colours are RRGGBB hex, `number_format` an Excel format code."""

    name: str
    bold: bool = False
    italic: bool = False
    size: float = 10
    colour: str | None = None
    fill: str | None = None
    number_format: str = "General"
    wrap: bool = False
    horizontal: str | None = None
    vertical: str = "top"
    border_bottom: bool = False
    underline: bool = False
    indent: int = 0  # in steps of about one character; needs horizontal "left" or "right" to show


# The one catalogue of styles; the builders refer to them by name only.
STYLES: dict[str, Style] = {style.name: style for style in (
    Style("title", bold=True, size=16, colour="1F3864"),
    Style("subtitle", bold=True, size=12, colour="1F3864"),
    Style("header", bold=True, colour="FFFFFF", fill="1F3864", wrap=True, vertical="center",
          border_bottom=True, horizontal="left", indent=1),
    Style("label", bold=True, colour="1F3864"),
    Style("text", horizontal="left", indent=1),
    Style("wrap", wrap=True, horizontal="left", indent=1),
    Style("score", number_format="0.0", horizontal="right", indent=1),
    Style("score_big", bold=True, size=14, number_format="0.0", horizontal="left"),
    Style("percent", number_format="0%", horizontal="right", indent=1),
    Style("share", number_format="0.0%", horizontal="right", indent=1),
    Style("percent_left", number_format="0%", horizontal="left"),
    Style("number", horizontal="right", indent=1),
    Style("integer", number_format="0", horizontal="right", indent=1),
    Style("decimal", number_format="0.000", horizontal="right", indent=1),
    Style("weight", number_format="0.00", horizontal="right", indent=1),
    Style("note", italic=True, colour="595959", wrap=True),
    Style("warning", bold=True, colour="9C0006", fill="FFC7CE", wrap=True),
    Style("link", colour="0563C1", underline=True, wrap=True, horizontal="left", indent=1),
)}


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: a value, the name of a style in `STYLES`, and an optional external link."""

    value: Value = None
    style: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class Area:
    """A rectangle of cells, 1-based and inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def empty(self) -> bool:
        return self.last_row < self.first_row or self.last_col < self.first_col


@dataclass(frozen=True)
class Chart:
    """A native chart over cells of its own sheet.

    `categories` is one column of labels; each of `series` is one column whose first cell is the
    series name (so it starts one row above the categories).
    """

    kind: str  # "radar" | "bar"
    title: str
    categories: Area
    series: tuple[Area, ...]
    anchor: tuple[int, int]  # (row, col) of the top-left corner
    y_title: str | None = None
    y_min: float = 0
    y_max: float = 100
    width_cm: float = 16
    height_cm: float = 9


@dataclass(frozen=True)
class ColourScale:
    """A three-colour scale on fixed values, so a colour means the same score on every sheet."""

    area: Area
    low: float = 0
    mid: float = 50
    high: float = 100
    low_colour: str = "F8696B"
    mid_colour: str = "FFEB84"
    high_colour: str = "63BE7B"


@dataclass(frozen=True)
class ListValidation:
    """A drop-down list of allowed values on an area."""

    area: Area
    options: tuple[str, ...]
    allow_blank: bool = True
    prompt: str | None = None
    error: str | None = None


@dataclass
class Sheet:
    """One worksheet: rows of cells and what sits on top of them."""

    title: str
    rows: list[list[Cell]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)  # row -> points; other rows fit their text
    merges: list[Area] = field(default_factory=list)
    freeze: tuple[int, int] | None = None  # the first cell that scrolls: (row, col)
    charts: list[Chart] = field(default_factory=list)
    colour_scales: list[ColourScale] = field(default_factory=list)
    validations: list[ListValidation] = field(default_factory=list)
    autofilter: Area | None = None
    landscape: bool = True
    fit_width: bool = True
    print_title_rows: int | None = None  # rows 1..n repeat on every printed page
    header: str = ""  # plain text; the writer escapes what the format needs
    footer: str = ""
    zoom: int | None = None

    @property
    def next_row(self) -> int:
        return len(self.rows) + 1

    def append(self, *cells: Cell | Value) -> int:
        """Add one row (plain values get no style); returns its row number."""
        self.rows.append([c if isinstance(c, Cell) else Cell(c) for c in cells])
        return len(self.rows)

    def line(self, text: str, style: str, span: int) -> int:
        """One cell of text spread over `span` columns (merged); returns its row number."""
        row = self.append(Cell(text, style), *[Cell(None, style)] * (span - 1))
        if span > 1:
            self.merges.append(Area(row, 1, row, span))
        return row

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.rows.append([])

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Cell | Value]],
              styles: Sequence[str | None] | None = None, *, first_col: int = 1) -> Area:
        """A header row and data rows; plain values take the column's style. Returns the data area."""
        pad = [Cell()] * (first_col - 1)
        self.rows.append(pad + [Cell(h, "header") for h in headers])
        first = len(self.rows) + 1
        styles = list(styles) if styles is not None else [None] * len(headers)
        for row in rows:
            self.rows.append(pad + [c if isinstance(c, Cell) else Cell(c, s) for c, s in zip(row, styles, strict=True)])
        return Area(first, first_col, len(self.rows), first_col + len(headers) - 1)

    def column_widths(self, widths: Sequence[float], first_col: int = 1) -> None:
        for offset, width in enumerate(widths):
            self.widths[first_col + offset] = width


@dataclass
class Workbook:
    """Sheets in order, plus document properties; sheet titles are made valid and unique."""

    title: str = ""
    subject: str = ""
    creator: str = "ddmt"
    language: str = "en"
    sheets: list[Sheet] = field(default_factory=list)
    _titles: set[str] = field(default_factory=set, repr=False)

    def add_sheet(self, title: str) -> Sheet:
        """A new sheet at the end; its title is a valid, unique version of `title`."""
        sheet = Sheet(sheet_title(title, self._titles))
        self.sheets.append(sheet)
        return sheet

    def sheet(self, title: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise KeyError(title)

    @property
    def style_names(self) -> list[str]:
        """The styles the cells use, in catalogue order."""
        used = {cell.style for sheet in self.sheets for row in sheet.rows for cell in row if cell.style}
        return [name for name in STYLES if name in used]
