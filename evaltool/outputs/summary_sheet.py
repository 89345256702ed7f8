"""核查汇总: counts and verdict, the scores side by side, what the copy could not keep, every key
figure stated beside recomputed (from ``figures.figure_rows``), and two charts."""

from __future__ import annotations

import datetime as dt
import math
import os
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltool import __version__
from evaltool.checker import Result
from evaltool.findings import Phrase, Quantity, Severity
from evaltool.outputs.figures import figure_rows
from evaltool.outputs.styles import (
    FILL_ERROR,
    FILL_FIXED,
    FILL_WARNING,
    FONT_ERROR,
    FONT_OK,
    SEVERITY_FILL,
    fill,
    header,
    put_text,
)
from evaltool.text import render
from evaltool.text.catalogue import tr
from evaltool.width import display_width
from evaltool.workbook import layout as L

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

LIST_RATIOS_SHOWN = 50  # per-project figures listed before "and N more"
SHARE_GROUPS = ("income_share", "expense_share")
RATE_GROUPS = ("exec_rate", "office_rate", "sangong_rate")
# The share items worth charting: the items themselves, not 其中 rows or totals.
_CHARTED_SHARES = {
    f"{group}.{row.key}"
    for group, table in (("income_share", "income"), ("expense_share", "expense"))
    for row in L.FINANCE.table(table).rows  # type: ignore[union-attr]
    if not row.level and row.key != "total"
}


def _number(value: Decimal | None) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (OverflowError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _shown(q: Quantity | str | None, lang: str, difference: bool = False) -> str:
    """As the officer would write it; a recomputed difference as 减少 10.94 / 增加 2.00."""
    if q is None:
        return ""
    if not isinstance(q, Quantity):
        return str(q)
    if difference and q.value:
        word = "decrease" if q.value < 0 else "increase"
        return tr(word, lang, v=render.quantity(Quantity(abs(q.value), q.unit, q.places), lang))
    return render.quantity(q, lang)


def write(wb: Workbook, result: Result, lang: str, lost: list[Phrase]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(tr("summary_sheet", lang))
    bold = Font(bold=True)
    ws.cell(1, 1, tr("summary_title", lang)).font = Font(bold=True, size=14)

    row = 3
    info = (
        ("file", os.path.basename(result.path)),
        ("dept", (result.book.department if result.book else None) or ""),
        ("year", str((result.book.year if result.book else None) or "")),
        ("checked_at", dt.datetime.now().isoformat(timespec="minutes")),
        ("tool", f"evaltool {__version__}"),
    )
    for key, text in info:
        ws.cell(row, 1, tr(key, lang)).font = bold
        put_text(ws.cell(row, 2), text)
        row += 1

    errors, warnings, infos = (result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    row += 1
    ws.cell(row, 1, tr("counts", lang)).font = Font(bold=True, size=12)
    row += 1
    put_text(ws.cell(row, 1), tr("summary_counts", lang, errors=errors, warnings=warnings, infos=infos))
    row += 1
    for key, n, sev in (("errors", errors, Severity.ERROR), ("warnings", warnings, Severity.WARNING),
                        ("infos", infos, Severity.INFO)):
        ws.cell(row, 1, tr(key, lang)).font = bold
        count = ws.cell(row, 2, n)
        if n:
            count.fill = fill(SEVERITY_FILL[sev])
        row += 1
    ws.cell(row, 1, tr("verdict", lang)).font = bold
    verdict = tr("verdict_fail", lang, errors=errors) if errors else tr("verdict_ok", lang)
    cell = ws.cell(row, 2, verdict)
    cell.font = Font(bold=True, color=FONT_ERROR if errors else FONT_OK)
    cell.fill = fill(FILL_ERROR if errors else FILL_FIXED)
    row += 2

    row = _score_table(ws, result, row, lang)

    if lost:
        ws.cell(row, 1, tr("not_kept", lang)).font = Font(bold=True, size=12, color=FONT_ERROR)
        row += 1
        for message in lost:
            text = ws.cell(row, 1)
            put_text(text, render.phrase(message, lang))
            text.fill = fill(FILL_WARNING)
            row += 1
        row += 1

    ws.cell(row, 1, tr("ratios", lang)).font = Font(bold=True, size=12)
    row += 1
    header_row = row
    header(ws, row, [tr(k, lang) for k in ("item", "stated", "recomputed", "match", "recomputed_number")])
    row += 1

    charts: dict[str, list[tuple[str, float]]] = {"shares": [], "rates": []}
    top, top_wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    listed: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for fig in figure_rows(result):
        ratio = fig.ratio
        # A list of thousands of projects would bury the key figures: show the first rows only;
        # every mismatch is in 核查结果 anyway.
        listed[ratio.group.key] = listed.get(ratio.group.key, 0) + 1
        if listed[ratio.group.key] > LIST_RATIOS_SHOWN and not ratio.key.endswith(".total"):
            hidden[ratio.group.key] = hidden.get(ratio.group.key, 0) + 1
            continue
        label = render.phrase(fig.name, lang)
        put_text(ws.cell(row, 1), label)
        put_text(ws.cell(row, 2), _shown(fig.stated, lang))
        put_text(ws.cell(row, 3), _shown(fig.recomputed, lang, ratio.group.difference) or tr("not_computable", lang))
        match = ws.cell(row, 4)
        if fig.verdict is not None:
            put_text(match, tr("no", lang))
            match.fill = fill(SEVERITY_FILL[fig.verdict])
        elif fig.checked:
            put_text(match, tr("yes", lang))
        number = None if ratio.group.difference else _number(ratio.value)
        if number is not None:
            num_cell = ws.cell(row, 5, number)
            num_cell.number_format = "0.00%"
            if ratio.group.key in SHARE_GROUPS and ratio.key in _CHARTED_SHARES:
                charts["shares"].append((label, number))
            elif ratio.group.key in RATE_GROUPS:
                charts["rates"].append((label, number))
        for col in range(1, 6):
            ws.cell(row, col).alignment = top_wrap if col == 1 else top
        row += 1
    for group, n in hidden.items():
        put_text(ws.cell(row, 1), tr("more_rows", lang, n=n, what=tr(f"group.{group}", lang)))
        row += 1

    for col, width in zip("ABCDE", (36, 16, 18, 10, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["A"].width = max(36, min(60, max(
        (display_width(str(c.value or "")) + 2 for c in ws["A"][2:]), default=36)))
    _charts(ws, charts, header_row, lang)


def _score_table(ws: Worksheet, result: Result, row: int, lang: str) -> int:
    """自评 and 重算 total, grade and first-level subtotals side by side; returns the next free row."""
    from openpyxl.styles import Font

    score = result.derived.score if result.derived is not None else None
    if score is None or not score.scored:
        return row
    ws.cell(row, 1, tr("scores", lang)).font = Font(bold=True, size=12)
    header(ws, row + 1, [tr(k, lang) for k in ("item", "self_score", "recomputed_score")])
    row += 2
    total = score.claimed_total

    grades = (render.grade(score.self_grade, lang), render.grade(score.recomputed_grade, lang))
    lines = [(tr("score_total", lang), total, score.recomputed_total), (tr("score_grade", lang), *grades)]
    lines += [(name, value, score.recomputed_level1.get(name)) for name, value in score.self_level1.items()]
    for label, mine, theirs in lines:
        put_text(ws.cell(row, 1), label)
        for col, v in ((2, mine), (3, theirs)):
            cell = ws.cell(row, col, v if isinstance(v, Decimal) else None)
            if isinstance(v, Decimal):
                cell.number_format = "0.00"
            else:
                put_text(cell, v or "")
        if mine != theirs:
            ws.cell(row, 3).fill = fill(FILL_WARNING)
        row += 1
    return row + 1


def _charts(ws: Worksheet, charts: dict[str, list[tuple[str, float]]], top: int, lang: str) -> None:
    """Bar charts to the right of the figure table, fed by a small data block further right."""
    from openpyxl.styles import Font

    data_col = 17  # Q: label, R: value
    ws.column_dimensions["Q"].width = 30
    ws.column_dimensions["R"].width = 12
    row = top
    anchor_row = top
    placed = False
    for key, title in (("shares", "chart_shares"), ("rates", "chart_rates")):
        points = charts[key]
        if not points:
            continue
        if not placed:
            ws.cell(row, data_col, tr("chart_data", lang)).font = Font(bold=True)
            row += 1
            placed = True
        first = row
        put_text(ws.cell(first, data_col), tr(title, lang))
        put_text(ws.cell(first, data_col + 1), tr("recomputed", lang))
        for label, number in points:
            row += 1
            put_text(ws.cell(row, data_col), label)
            ws.cell(row, data_col + 1, number).number_format = "0.00%"
        chart = _bar_chart(ws, tr(title, lang), first, row, data_col)
        ws.add_chart(chart, f"G{anchor_row}")
        anchor_row += math.ceil(chart.height / 0.53) + 2  # a default row is about 0.53 cm
        row += 2


def _bar_chart(ws: Worksheet, title: str, first: int, last: int, col: int):
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    chart = BarChart()
    chart.type = "bar"  # horizontal: the Chinese labels stay readable
    chart.style = 10
    chart.title = title
    chart.add_data(Reference(ws, min_col=col + 1, min_row=first, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=col, min_row=first + 1, max_row=last))
    chart.legend = None
    chart.x_axis.scaling.orientation = "maxMin"  # first item on top, as in the table
    chart.y_axis.numFmt = "0%"
    chart.y_axis.scaling.min = 0
    chart.x_axis.delete = False  # openpyxl ≥ 3.1 otherwise hides the axes
    chart.y_axis.delete = False
    # Only the value: left unset, LibreOffice/WPS also print the category and series names.
    chart.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False, showLegendKey=False,
                                     showPercent=False, showBubbleSize=False)
    chart.width = 16
    chart.height = max(6.0, 1.5 + 0.8 * (last - first))
    return chart
