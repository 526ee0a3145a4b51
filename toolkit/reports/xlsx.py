"""The openpyxl writer of the workbook model (`toolkit.reports.model`).

Each style of the catalogue becomes one named style, registered once per workbook; cells refer to
it by name. Text goes through `toolkit.safe`, so no string ever becomes a formula; links
are made clickable only for http, https and mailto. Charts are native Excel charts over the cells
(the numbers in them are the toolkit's, computed in Python).
"""

from __future__ import annotations

import io
import math
import os
from copy import copy
from typing import IO

from openpyxl import Workbook as XlWorkbook
from openpyxl.chart import BarChart, RadarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.reports.model import STYLES, Area, Chart, ListValidation, Sheet, Style, Workbook
from toolkit.safe import safe_link, safe_text, write_text

DEFAULT_WIDTH = 8.43  # Excel's default column width, in characters
CHARS_PER_WIDTH = 1.2  # characters of 10-point text per unit of column width, with some room for word breaks
LINE_HEIGHT = 1.3  # points of row height per point of font size
BOLD_WIDTH = 0.9  # bold text fits about a tenth fewer characters on a line
MAX_ROW_HEIGHT = 409  # Excel's limit
HEADER_FOOTER_LIMIT = 250  # Excel allows 255 characters per header or footer, codes included
LIST_SHEET = "Lists"
_INLINE_LIST_LIMIT = 255  # Excel's limit on an inline list validation


def write_workbook(book: Workbook, target: str | os.PathLike[str] | IO[bytes]) -> None:
    """Write `book` as an xlsx file to a path or a binary file object."""
    to_openpyxl(book).save(target)


def workbook_bytes(book: Workbook) -> bytes:
    """`book` as the bytes of an xlsx file (for a download button)."""
    buffer = io.BytesIO()
    write_workbook(book, buffer)
    return buffer.getvalue()


def to_openpyxl(book: Workbook) -> XlWorkbook:
    """The openpyxl workbook for `book`, not yet saved."""
    wb = XlWorkbook()
    wb.remove(wb.active)
    for style in STYLES.values():
        wb.add_named_style(named_style(style))
    wb.properties.title = safe_text(book.title, limit=250)
    wb.properties.subject = safe_text(book.subject, limit=250)
    wb.properties.creator = safe_text(book.creator, limit=250)
    wb.properties.language = book.language
    # Each cell takes a copy of its named style's array (what `cell.style = name` does, without
    # looking the name up again for every cell: the lookup was half the writing time).
    arrays = {name: wb._named_styles[name].as_tuple() for name in STYLES}
    lists: Worksheet | None = None
    for sheet in book.sheets:
        ws = wb.create_sheet(sheet.title)
        _cells(ws, sheet, arrays)
        _layout(ws, sheet)
        for chart in sheet.charts:
            ws.add_chart(_chart(ws, chart), f"{get_column_letter(chart.anchor[1])}{chart.anchor[0]}")
        for scale in sheet.colour_scales:
            if not scale.area.empty:
                ws.conditional_formatting.add(_ref(scale.area), ColorScaleRule(
                    start_type="num", start_value=scale.low, start_color=scale.low_colour,
                    mid_type="num", mid_value=scale.mid, mid_color=scale.mid_colour,
                    end_type="num", end_value=scale.high, end_color=scale.high_colour))
        for validation in sheet.validations:
            lists = _validation(wb, ws, validation, lists)
    return wb


def named_style(style: Style) -> NamedStyle:
    """The openpyxl named style for one catalogue entry."""
    thin = Side(style="thin", color="1F3864")
    return NamedStyle(
        name=style.name,
        font=Font(name="Calibri", size=style.size, bold=style.bold, italic=style.italic,
                  color=style.colour, underline="single" if style.underline else None),
        fill=PatternFill("solid", fgColor=style.fill) if style.fill else PatternFill(),
        border=Border(bottom=thin) if style.border_bottom else Border(),
        alignment=Alignment(horizontal=style.horizontal, vertical=style.vertical, wrap_text=style.wrap,
                            indent=style.indent),
        number_format=style.number_format,
    )


def _cells(ws: Worksheet, sheet: Sheet, arrays: dict[str, StyleArray]) -> None:
    for r, row in enumerate(sheet.rows, 1):
        for c, cell in enumerate(row, 1):
            if cell.value is None and cell.style is None:
                continue
            target = ws.cell(row=r, column=c)
            if cell.style:
                target._style = copy(arrays[cell.style])  # before the value: write_text may add a quote prefix
            value = cell.value
            if isinstance(value, str):
                write_text(target, value)
            elif value is not None:
                target.value = value
            link = safe_link(cell.link)
            if link:
                target.hyperlink = link


def _layout(ws: Worksheet, sheet: Sheet) -> None:
    for col, width in sheet.widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for area in sheet.merges:
        ws.merge_cells(_ref(area))
    for row, height in _row_heights(sheet).items():
        ws.row_dimensions[row].height = height
    if sheet.freeze:
        row, col = sheet.freeze
        ws.freeze_panes = f"{get_column_letter(col)}{row}"
    if sheet.autofilter and not sheet.autofilter.empty:
        ws.auto_filter.ref = _ref(sheet.autofilter)
    if sheet.zoom:
        ws.sheet_view.zoomScale = sheet.zoom
    setup = ws.page_setup
    setup.orientation = "landscape" if sheet.landscape else "portrait"
    setup.paperSize = ws.PAPERSIZE_A4
    if sheet.fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth = 1
        setup.fitToHeight = 0  # as many pages down as needed
    if sheet.print_title_rows:
        ws.print_title_rows = f"1:{sheet.print_title_rows}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    if sheet.header:
        ws.oddHeader.center.text = _header_text(sheet.header)
        ws.oddHeader.center.size = 9
    if sheet.footer:
        ws.oddFooter.left.text = _header_text(sheet.footer)
        ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "&P / &N"
    ws.oddFooter.right.size = 8


def _row_heights(sheet: Sheet) -> dict[int, float]:
    """Heights for rows whose wrapped text needs more than one line, estimated from the column widths.

    Spreadsheet programs do not reliably fit row heights to wrapped text when they open a file, so
    the writer sets them; rows with a height in `sheet.heights` keep it.
    """
    span = {(area.first_row, area.first_col): sum(sheet.widths.get(c, DEFAULT_WIDTH)
                                                  for c in range(area.first_col, area.last_col + 1))
            for area in sheet.merges}
    heights = dict(sheet.heights)
    for r, row in enumerate(sheet.rows, 1):
        if r in heights:
            continue
        lines, size = 1.0, 10.0
        for c, cell in enumerate(row, 1):
            style = STYLES.get(cell.style or "")
            if style is None or not style.wrap or not isinstance(cell.value, str) or not cell.value:
                continue
            width = span.get((r, c), sheet.widths.get(c, DEFAULT_WIDTH))
            per_line = max(width * CHARS_PER_WIDTH * 10.0 / style.size * (BOLD_WIDTH if style.bold else 1.0), 1.0)
            needed = sum(_wrapped_lines(part, per_line) for part in cell.value.split("\n"))
            if needed * style.size > lines * size:
                lines, size = needed, style.size
        if lines > 1:
            heights[r] = min(round(lines * size * LINE_HEIGHT + 2, 1), MAX_ROW_HEIGHT)
    return heights


def _wrapped_lines(text: str, per_line: float) -> int:
    """Lines a paragraph takes when wrapped at word breaks, as a spreadsheet program wraps it.

    Counting characters alone underestimates: a long word that does not fit moves whole to the
    next line, so an Indonesian header like "Porsi dalam keseluruhan (semua terjawab)" needs a
    line more than its length says, and a row too low cuts its first line off when printed.
    """
    lines, used = 1, 0.0
    for word in text.split():
        length = len(word)
        if used and used + 1 + length > per_line:
            lines, used = lines + 1, 0.0
        used = used + 1 + length if used else float(length)
        while used > per_line:  # a word longer than the line breaks inside it
            lines, used = lines + 1, used - per_line
    return lines


def _header_text(text: str) -> str:
    """Plain text for a header or footer: one line, `&` doubled (it starts a format code)."""
    plain = " ".join(safe_text(text).split())
    return plain.replace("&", "&&")[:HEADER_FOOTER_LIMIT].rstrip("&") if "&" in plain else plain[:HEADER_FOOTER_LIMIT]


def _ref(area: Area) -> str:
    return (f"{get_column_letter(area.first_col)}{area.first_row}:"
            f"{get_column_letter(area.last_col)}{area.last_row}")


def _chart(ws: Worksheet, spec: Chart) -> RadarChart | BarChart:
    if spec.kind == "radar":
        chart = RadarChart()
        chart.type = "marker"
    elif spec.kind == "bar":
        # Horizontal bars: long category names stay readable, listed top-down in table order.
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "clustered"
        chart.gapWidth = 60
        chart.x_axis.scaling.orientation = "maxMin"
        chart.y_axis.crosses = "max"  # with the categories reversed, this keeps the value axis at the bottom
        chart.y_axis.majorGridlines = None
    else:
        raise ValueError(f"unknown chart kind {spec.kind!r}")
    chart.title = safe_text(spec.title, limit=250)
    chart.width, chart.height = spec.width_cm, spec.height_cm
    for area in spec.series:
        chart.add_data(Reference(ws, min_col=area.first_col, max_col=area.last_col,
                                 min_row=area.first_row, max_row=area.last_row), titles_from_data=True)
    cats = spec.categories
    labels = Reference(ws, min_col=cats.first_col, max_col=cats.last_col,
                       min_row=cats.first_row, max_row=cats.last_row)
    for series in chart.series:
        # Text labels: a string reference (openpyxl's set_categories would make a numeric one).
        series.cat = AxDataSource(strRef=StrRef(f=str(labels)))
    chart.y_axis.scaling.min = spec.y_min
    chart.y_axis.scaling.max = spec.y_max
    chart.y_axis.majorUnit = 20
    chart.y_axis.number_format = "0"
    # openpyxl 3.1 marks axes deleted unless told otherwise; Excel then draws no labels.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if spec.y_title and spec.kind == "bar":
        chart.y_axis.title = spec.y_title
    chart.legend.position = "b"
    return chart


def _validation(wb: XlWorkbook, ws: Worksheet, spec: ListValidation,
                lists: Worksheet | None) -> Worksheet | None:
    options = [safe_text(option, limit=255) for option in spec.options]
    inline = '"' + ",".join(options) + '"'
    if len(inline) <= _INLINE_LIST_LIMIT and not any("," in o or '"' in o for o in options):
        formula = inline
    else:
        # Long lists, or options holding a comma or a quote, live on a hidden sheet of lists.
        if lists is None:
            lists = wb.create_sheet(LIST_SHEET)
            lists.sheet_state = "hidden"
        col = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value is not None else 1
        for row, option in enumerate(options, 1):
            write_text(lists.cell(row=row, column=col), option)
        letter = get_column_letter(col)
        formula = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${max(len(options), 1)}"
    validation = DataValidation(type="list", formula1=formula, allow_blank=spec.allow_blank)
    if spec.prompt:
        validation.prompt = safe_text(spec.prompt, limit=255)
        validation.showInputMessage = True
    if spec.error:
        validation.error = safe_text(spec.error, limit=225)
        validation.showErrorMessage = True
    validation.add(_ref(spec.area))
    ws.add_data_validation(validation)
    return lists
