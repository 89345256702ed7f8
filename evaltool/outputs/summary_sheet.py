"""核查汇总: the verdict and counts first, the file it is about, the scores side by side, every key
figure stated beside recomputed (from ``figures.figure_rows``), and two bar charts beside them.
Written with xlsxwriter into the package of ``added_sheets``."""

from __future__ import annotations

import datetime as dt
import math
import os
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltool import __version__
from evaltool.checker import Result
from evaltool.findings import Quantity, Severity, State, Verdict
from evaltool.outputs.console import held_back, verdict_line
from evaltool.outputs.figures import figure_rows
from evaltool.outputs.provenance import checks_lines, provenance_line
from evaltool.outputs.styles import (
    CHART_FONT,
    FILL_ERROR,
    FILL_FIXED,
    FILL_WARNING,
    FONT_ERROR,
    FONT_OK,
    FONT_WARNING,
    SEVERITY_FILL,
    Formats,
    clean,
    print_setup,
    write_text,
)
from evaltool.text import render
from evaltool.text.catalogue import tr
from evaltool.width import display_width
from evaltool.workbook import layout as L

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

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
WIDTHS = (16, 18, 10, 20)  # B–E: stated, recomputed, match, recomputed as a number
LABEL_WIDTH = (36, 60)  # column A: at least, at most
LINE_HEIGHT = 15  # points: a line of 宋体 11
CHART_COL = 6  # G: the charts, beside the tables and inside the printed page
CHART_WIDTH_COLS = 10  # G–P
DATA_COL = 16  # Q: label, R: value — the charts' data, outside the printed page
ROW_PX = 20  # a default row
_VERDICT_LOOK = {Verdict.READY: (FONT_OK, FILL_FIXED), Verdict.PASS_UNEXPLAINED: (FONT_WARNING, FILL_WARNING),
                 Verdict.FAIL: (FONT_ERROR, FILL_ERROR), Verdict.UNREADABLE: (FONT_ERROR, FILL_ERROR)}


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


def heading(result: Result) -> str:
    """Department and year, for the page header of both sheets."""
    book = result.book
    parts = (book.department, str(book.year or "")) if book is not None else (os.path.basename(result.path),)
    return " ".join(p for p in parts if p)


class _Sheet:
    """The rows as they are written, with what column A needs to be wide enough for."""

    def __init__(self, ws: Worksheet, formats: Formats) -> None:
        self.ws, self.formats, self.row, self.label_width = ws, formats, 0, LABEL_WIDTH[0]

    def text(self, col: int, text: object, **look) -> None:
        write_text(self.ws, self.row, col, text, self.formats.get(**look))
        if col == 0:
            self.label_width = max(self.label_width, display_width(clean(text)) + 2)

    def title(self, text: str, size: int = 12) -> None:
        self.text(0, text, bold=True, font_size=size)
        self.row += 1

    def wide(self, label: str, text: str, **look) -> None:
        """``label``, then ``text`` across B–E (so its fill covers it)."""
        self.text(0, label, bold=True)
        self.ws.merge_range(self.row, 1, self.row, len(WIDTHS), clean(text), self.formats.get(**look))
        self.row += 1


def write(wb: Workbook, formats: Formats, result: Result, lang: str) -> None:
    ws = wb.add_worksheet(tr("summary_sheet", lang))
    s = _Sheet(ws, formats)
    s.title(tr("summary_title", lang), 14)

    # The verdict first, then what it rests on: errors, unexplained and explained warnings, notes.
    tally = result.tally()
    verdict = result.verdict or Verdict.FAIL
    font, fill = _VERDICT_LOOK[verdict]
    s.wide(tr("verdict", lang), verdict_line(verdict, {k.value: n for k, n in tally.items()}, lang), bold=True,
           font_color=f"#{font}", bg_color=f"#{fill}", valign="vcenter")
    s.wide(tr("next_step", lang), tr(f"verdict_next_{verdict.value}", lang), text_wrap=True, valign="top")
    for state, sev in ((State.ERROR, Severity.ERROR), (State.UNEXPLAINED, Severity.WARNING),
                       (State.EXPLAINED, None), (State.INFO, None)):
        n = tally[state]
        s.text(0, tr(f"state_{state.value}", lang), bold=True)
        look = {"bg_color": f"#{SEVERITY_FILL[sev]}"} if n and sev is not None else {}
        ws.write_number(s.row, 1, n, formats.get(align="left", **look))
        s.row += 1
    for line in held_back(result.findings, lang):
        s.wide(tr("held_back_label", lang), line, font_color=f"#{FONT_WARNING}")
    errors, warnings, infos = (result.count(sev) for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    s.wide(tr("counts", lang), tr("summary_counts", lang, errors=errors, warnings=warnings, infos=infos))
    s.row += 1

    info = (
        ("file", os.path.basename(result.path)),
        ("dept", (result.book.department if result.book else None) or ""),
        ("year", str((result.book.year if result.book else None) or "")),
        ("checked_at", dt.datetime.now().isoformat(sep=" ", timespec="minutes")),
        ("tool", f"evaltool {__version__}"),
    )
    for key, text in info:
        s.text(0, tr(key, lang), bold=True)
        s.text(1, text)
        s.row += 1
    # What the verdict was reached under, as the console says it: a county's rule set, checks left out.
    book = result.book
    said = [(provenance_line(book.template_version if book else None, book.ruleset if book else None, lang), {})]
    said += [(line, {"font_color": f"#{FONT_WARNING}"}) for line in checks_lines(result.choices, lang)]
    for line, look in said:  # wrapped in B–E, the row as high as its lines (XlsxWriter does not autofit)
        ws.set_row(s.row, LINE_HEIGHT * math.ceil(display_width(line) / sum(WIDTHS)))
        s.wide("", line, text_wrap=True, valign="top", **look)
    s.row += 1

    _score_table(s, result, lang)
    charts = _figure_table(s, result, lang)

    ws.set_column(0, 0, min(LABEL_WIDTH[1], s.label_width))
    for col, width in enumerate(WIDTHS, start=1):
        ws.set_column(col, col, width)
    bottom = _charts(wb, ws, formats, charts, lang)
    # The charts' data block (Q:R) stays outside the printed page.
    ws.print_area(0, 0, max(s.row, bottom), CHART_COL + CHART_WIDTH_COLS - 1)
    print_setup(ws, heading(result), lang)


def _score_table(s: _Sheet, result: Result, lang: str) -> None:
    """自评 and 重算 total, grade and first-level subtotals side by side."""
    score = result.derived.score if result.derived is not None else None
    if score is None or not score.scored:
        return
    s.title(tr("scores", lang))
    for col, key in enumerate(("item", "self_score", "recomputed_score")):
        s.ws.write_string(s.row, col, tr(key, lang), s.formats.header)
    s.row += 1
    grades = (render.grade(score.self_grade, lang), render.grade(score.recomputed_grade, lang))
    lines = [(tr("score_total", lang), score.claimed_total, score.recomputed_total), (tr("score_grade", lang), *grades)]
    lines += [(name, value, score.recomputed_level1.get(name)) for name, value in score.self_level1.items()]
    for label, mine, theirs in lines:
        s.text(0, label)
        for col, v in ((1, mine), (2, theirs)):
            look = {"bg_color": f"#{FILL_WARNING}"} if col == 2 and mine != theirs else {}
            if isinstance(v, Decimal) and (number := _number(v)) is not None:
                s.ws.write_number(s.row, col, number, s.formats.get(num_format="0.00", **look))
            else:
                s.text(col, v or "", **look)
        s.row += 1
    s.row += 1


def _figure_table(s: _Sheet, result: Result, lang: str) -> dict[str, list[tuple[str, float]]]:
    """Every key figure stated beside recomputed; returns the points worth charting."""
    s.title(tr("ratios", lang))
    for col, key in enumerate(("item", "stated", "recomputed", "match", "recomputed_number")):
        s.ws.write_string(s.row, col, tr(key, lang), s.formats.header)
    s.row += 1
    charts: dict[str, list[tuple[str, float]]] = {"shares": [], "rates": []}
    # A list of thousands of projects would bury the key figures: show the first rows only;
    # every mismatch is in 核查结果 anyway.
    figures, hidden = figure_rows(result, LIST_RATIOS_SHOWN)
    for fig in figures:
        ratio = fig.ratio
        label = render.phrase(fig.name, lang)
        s.text(0, label, valign="top", text_wrap=True)
        s.text(1, _shown(fig.stated, lang), valign="top")
        s.text(2, _shown(fig.recomputed, lang, ratio.group.difference) or tr("not_computable", lang), valign="top")
        if fig.verdict is not None:
            s.text(3, tr("no", lang), valign="top", bg_color=f"#{SEVERITY_FILL[fig.verdict]}")
        elif fig.checked:
            s.text(3, tr("yes", lang), valign="top")
        number = None if ratio.group.difference else _number(ratio.value)
        if number is not None:
            s.ws.write_number(s.row, 4, number, s.formats.get(valign="top", num_format="0.00%"))
            if ratio.group.key in SHARE_GROUPS and ratio.key in _CHARTED_SHARES:
                charts["shares"].append((label, number))
            elif ratio.group.key in RATE_GROUPS:
                charts["rates"].append((label, number))
        s.row += 1
    for group, n in hidden.items():
        s.text(0, tr("more_rows", lang, n=n, what=tr(f"group.{group}", lang)))
        s.row += 1
    return charts


def _charts(wb: Workbook, ws: Worksheet, formats: Formats, charts: dict[str, list[tuple[str, float]]],
            lang: str) -> int:
    """Bar charts stacked beside the tables from row 2 (so they sit on the first printed page, never
    across a page break), fed by a data block in Q:R; returns the row below the last chart."""
    row = anchor = 1
    for key, title in (("shares", "chart_shares"), ("rates", "chart_rates")):
        points = charts[key]
        if not points:
            continue
        if row == 1:
            ws.write_string(row, DATA_COL, tr("chart_data", lang), formats.get(bold=True))
            ws.set_column(DATA_COL, DATA_COL, 30)
            ws.set_column(DATA_COL + 1, DATA_COL + 1, 12)
            row += 1
        first = row
        ws.write_string(first, DATA_COL, tr(title, lang))
        ws.write_string(first, DATA_COL + 1, tr("recomputed", lang))
        for label, number in points:
            row += 1
            ws.write_string(row, DATA_COL, clean(label))
            ws.write_number(row, DATA_COL + 1, number, formats.get(num_format="0.00%"))
        height = max(230, 60 + 30 * len(points))  # px: room for one readable bar per item
        ws.insert_chart(anchor, CHART_COL, _bar_chart(wb, ws.name, tr(title, lang), first, row, height))
        anchor += math.ceil(height / ROW_PX) + 1
        row += 2
    return anchor


def _bar_chart(wb: Workbook, sheet: str, title: str, first: int, last: int, height: int):
    chart = wb.add_chart({"type": "bar"})  # horizontal: the Chinese labels stay readable
    chart.add_series({
        "name": [sheet, first, DATA_COL + 1],
        "categories": [sheet, first + 1, DATA_COL, last, DATA_COL],
        "values": [sheet, first + 1, DATA_COL + 1, last, DATA_COL + 1],
        "fill": {"color": "#4472C4"},
        # Only the value: LibreOffice and WPS otherwise also print the category and series names.
        "data_labels": {"value": True, "category": False, "series_name": False, "legend_key": False,
                        "num_format": "0.00%", "font": CHART_FONT},
    })
    chart.set_title({"name": title, "name_font": {**CHART_FONT, "size": 12, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True, "num_font": CHART_FONT})  # the category axis: first item on top
    chart.set_x_axis({"min": 0, "num_format": "0%", "num_font": CHART_FONT,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_size({"width": 64 * CHART_WIDTH_COLS - 16, "height": height})
    return chart
