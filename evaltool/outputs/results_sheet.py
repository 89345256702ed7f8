"""核查结果: one row per finding, the cell as a hyperlink, the figures as numbers with their unit, a
column the officer fills to explain.  Written with xlsxwriter into the package of ``added_sheets``."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltool.findings import Finding, Quantity, Unit
from evaltool.outputs.marks import coord, fixed_note
from evaltool.outputs.styles import FILL_EXPLAIN, FILL_FIXED, MAX_LINKS, SEVERITY_FILL, Formats, print_setup, write_text
from evaltool.text import render
from evaltool.text.catalogue import WORDS, tr
from evaltool.width import display_width

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

COLUMNS = ("code", "severity", "sheet", "cell", "stated", "recomputed", "difference", "unit", "message", "explain")
WIDTHS = (10, 9, 14, 9, 14, 14, 12, 10, 80, 40)
MESSAGE = COLUMNS.index("message")
MAX_PLACES = 10  # a number format with more decimals than this says nothing a person reads
_CELL = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,6}")


def _decimals(d: Decimal) -> int:
    """The decimals ``d`` is written with: 2369.93 → 2, 100 → 0."""
    return min(max(0, -d.normalize().as_tuple().exponent), MAX_PLACES)


def _places_format(places: int) -> str:
    return "0." + "0" * places if places else "0"


def numeric(q: Quantity) -> tuple[float, str] | None:
    """``q`` as a number and the number format that shows it as ``render.quantity`` writes it
    (81.32% as 0.8132 in "0.00%", a difference of 0.01 个百分点 as 0.01 in "0.00"); None for what is not
    a plain number (a bound such as ≥90%, a grade, a date, the officer's text)."""
    v = q.value
    if q.op or not isinstance(v, (int, Decimal)) or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return float(v), "0"
    if not v.is_finite():
        return None
    if q.unit is Unit.PERCENT:
        fmt = _places_format(min(2 if q.places is None else q.places, MAX_PLACES)) + "%"
    elif q.unit in (Unit.WAN_YUAN, Unit.YUAN):
        fmt = _places_format(min(max(q.places or 0, _decimals(v)), MAX_PLACES))
    else:
        if q.unit is Unit.POINTS:
            v = v.scaleb(2)
        fmt = _places_format(_decimals(v) if q.places is None else min(q.places, MAX_PLACES))
    number = float(v)
    return (number, fmt) if math.isfinite(number) else None


def unit_shown(f: Finding, lang: str) -> str:
    """The unit of the row's figures as its message words it: the difference's, else the stated
    figure's (percentages carry their % sign; their difference is in 百分点)."""
    q = f.difference or f.stated or f.recomputed
    if q is None:
        return ""
    key = f"unit_column.{q.unit.value}"
    return tr(key, lang) if key in WORDS else render.unit_word(q.unit, lang)


def _quantity(ws: Worksheet, row: int, col: int, q: Quantity | None, formats: Formats, lang: str) -> None:
    if q is None:
        ws.write_blank(row, col, None, formats.get(valign="top"))
    elif isinstance(q.value, dt.date) and not q.op:
        ws.write_datetime(row, col, q.value, formats.get(valign="top", num_format="yyyy-mm-dd"))
    elif (shown := numeric(q)) is not None:
        ws.write_number(row, col, shown[0], formats.get(valign="top", num_format=shown[1]))
    else:
        write_text(ws, row, col, render.quantity(q, lang), formats.get(valign="top"))


def write(wb: Workbook, formats: Formats, findings: list[Finding], lang: str, fixed: set[int],
          sheet_names: Collection[str], heading: str) -> None:
    """The sheet, added to ``wb``; ``fixed`` holds the ids of the findings --fix corrected; a finding's
    cell links into its sheet when ``sheet_names`` has it."""
    ws = wb.add_worksheet(tr("results_sheet", lang))
    for col, (key, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True)):
        ws.write_string(0, col, tr(key, lang), formats.header)
        ws.set_column(col, col, width)
    top = formats.get(valign="top")
    wrap = formats.get(valign="top", text_wrap=True)
    explain = formats.get(valign="top", text_wrap=True, bg_color=f"#{FILL_EXPLAIN}", locked=False)
    links = 0
    for row, f in enumerate(findings, start=1):
        message = render.message(f, lang)
        if id(f) in fixed:
            message = f"{fixed_note(f, lang)} {message}"
        cell = coord(f.cell) if f.cell else ""
        write_text(ws, row, 0, f.code, top)
        corrected = id(f) in fixed  # 已更正 in the mark's green: not counted in this copy's 核查汇总
        write_text(ws, row, 1, tr("corrected", lang) if corrected else render.severity(f.severity, lang),
                   formats.get(valign="top", bg_color=f"#{FILL_FIXED if corrected else SEVERITY_FILL[f.severity]}"))
        write_text(ws, row, 2, f.sheet or "", top)
        if f.sheet in sheet_names and _CELL.fullmatch(cell) and links < MAX_LINKS:
            target = f.sheet.replace("'", "''")
            ws.write_url(row, 3, f"internal:'{target}'!{cell}", formats.link, string=cell)
            links += 1
        else:
            write_text(ws, row, 3, cell, top)
        for col, q in enumerate((f.stated, f.recomputed, f.difference), start=4):
            _quantity(ws, row, col, q, formats, lang)
        write_text(ws, row, 7, unit_shown(f, lang), formats.get(valign="top", indent=1))
        write_text(ws, row, MESSAGE, message, wrap)
        ws.write_blank(row, MESSAGE + 1, None, explain)
        # Excel/WPS do not grow a row for wrapped text in a written file: size it here.
        width = WIDTHS[MESSAGE] + 6  # half-width characters per line, roughly
        lines = sum(max(1, math.ceil(display_width(part) / width)) for part in message.split("\n"))
        if lines > 1:
            ws.set_row(row, 15 * lines)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(findings), len(COLUMNS) - 1)
    print_setup(ws, heading, lang)
