"""核查结果: one row per finding, the cell as a hyperlink, a column the officer fills to explain."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from evaltool.findings import Finding
from evaltool.outputs.marks import coord, fixed_note
from evaltool.outputs.styles import FILL_EXPLAIN, SEVERITY_FILL, fill, header, put_text
from evaltool.text import render
from evaltool.text.catalogue import tr
from evaltool.width import display_width

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

COLUMNS = ("code", "severity", "sheet", "cell", "stated", "recomputed", "difference", "message", "explain")
WIDTHS = (10, 9, 14, 9, 14, 14, 12, 80, 40)


def write(wb: Workbook, findings: list[Finding], lang: str, fixed: set[int]) -> None:
    """The sheet, appended to ``wb``; ``fixed`` holds the ids of the findings --fix corrected."""
    from openpyxl.styles import Alignment, Protection
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(tr("results_sheet", lang))
    header(ws, 1, [tr(key, lang) for key in COLUMNS])
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    for row, f in enumerate(findings, start=2):
        message = render.message(f, lang)
        if id(f) in fixed:
            message = f"{fixed_note(f, lang)} {message}"
        shown = [render.quantity(q, lang) if q is not None else "" for q in (f.stated, f.recomputed, f.difference)]
        values = (f.code, render.severity(f.severity, lang), f.sheet or "", coord(f.cell) if f.cell else "",
                  *shown, message)
        for col, v in enumerate(values, start=1):
            cell = ws.cell(row, col)
            put_text(cell, v)
            cell.alignment = wrap if col == 8 else top
        ws.cell(row, 2).fill = fill(SEVERITY_FILL[f.severity])
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(row, 4)
            link.hyperlink = f"#'{f.sheet.replace(chr(39), chr(39) * 2)}'!{coord(f.cell)}"
            link.style = "Hyperlink"
            link.alignment = top
        explain = ws.cell(row, 9)
        explain.fill = fill(FILL_EXPLAIN)
        explain.protection = Protection(locked=False)
        explain.alignment = wrap
        # Excel/WPS do not grow a row for wrapped text written by openpyxl: size it here.
        width = WIDTHS[7] + 6  # half-width characters per line, roughly
        lines = sum(max(1, math.ceil(display_width(part) / width)) for part in message.split("\n"))
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(findings) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
