"""The look of everything evaltool writes into a workbook: fills, fonts, widths, text limits.

One place, so the marks, 核查结果 and 核查汇总 (and the county summary) agree.
"""

from __future__ import annotations

import re

from evaltool.findings import Severity

# Fills: light red / light yellow / light green as in Excel's conditional-format presets.
FILL_ERROR = "FFC7CE"
FILL_WARNING = "FFEB9C"
FILL_FIXED = "C6EFCE"
FILL_INFO = "DDEBF7"
FILL_EXPLAIN = "FFF2CC"  # the column the officer fills in
FILL_HEADER = "D9D9D9"
SEVERITY_FILL = {Severity.ERROR: FILL_ERROR, Severity.WARNING: FILL_WARNING, Severity.INFO: FILL_INFO}
FILL_GOOD = "E2EFDA"  # 良 in the county summary
FONT_ERROR = "9C0006"
FONT_WARNING = "9C5700"
FONT_OK = "006100"
FONT_GOOD = "375623"

COMMENT_WIDTH = 300  # px
COMMENT_LINE_UNITS = 44  # half-width characters per comment line at 300 px
COMMENT_LINE_PX = 16
MAX_TEXT = 32000  # Excel: 32767 characters per cell / comment

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: object) -> str:
    """Text a workbook can store: no control characters, within Excel's length limit."""
    return _ILLEGAL.sub("", str(text))[:MAX_TEXT]


def fill(rgb: str):
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def put_text(cell, text: object) -> None:
    """Text even if it looks like a formula ("=...")."""
    cell.value = clean(text)
    cell.data_type = "s"


def header(ws, row: int, texts: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    for col, text in enumerate(texts, start=1):
        cell = ws.cell(row, col)
        put_text(cell, text)
        cell.font = Font(bold=True)
        cell.fill = fill(FILL_HEADER)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
