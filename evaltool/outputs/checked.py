"""The checked copy of a workbook (DOMAIN §6).

The officer's sheets are left as they are except for the flagged cells (a fill and a
comment, and with ``--fix`` the recomputed value in an officer-stated derived cell); two
sheets are added: 核查结果 (one row per finding) and 核查汇总 (counts, verdict, the key
ratios stated vs recomputed, a chart or two).  The copy is written to a temporary file in
the target folder and moved into place, so a failure never leaves a half-written file.

openpyxl is imported inside the functions: the CLI must start fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
import unicodedata
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaltool.atomic import write_atomically
from evaltool.findings import Finding, Message, Severity
from evaltool.ratios import GROUPS
from evaltool.text.catalogue import MESSAGES, WORDS, tr
from evaltool.text.display import ratio_text
from evaltool.workbook.layout import ADDED_SHEETS
from evaltool.workbook.reader import MACRO_SUFFIXES

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from evaltool.checker import Result
    from evaltool.ratios import Ratio

# Words only this sheet uses, in the (zh, en) pattern of ``i18n.WORDS`` (which wins if it
# ever defines the same key).
_WORDS: dict[str, tuple[str, str]] = {
    "summary_title": ("部门整体支出绩效自评核查汇总", "Self-evaluation check summary"),
    "verdict": ("结论", "Verdict"),
    "recomputed_number": ("重算值（数值）", "Recomputed (number)"),
    "chart_shares": ("收入、支出结构（重算）", "Revenue and expenditure shares (recomputed)"),
    "chart_rates": ("执行率、控制率（重算）", "Execution and control rates (recomputed)"),
    "chart_data": ("图表数据", "Chart data"),
    "scores": ("自评得分与重算得分", "Self-assessed and recomputed scores"),
    "self_score": ("自评", "Self-assessed"),
    "recomputed_score": ("重算", "Recomputed"),
    "score_total": ("总分", "Total"),
    "score_grade": ("等级", "Grade"),
    "more_rows": ("……另有 {n} 项{what}，差错见核查结果", "... {n} more rows of {what}; mismatches are in 核查结果"),
    "not_kept": ("核查副本未能保留的内容（原文件不受影响）", "Not kept in this checked copy (the input is unaffected)"),
}

LIST_RATIOS_SHOWN = 50  # per-project ratios listed in 核查汇总 before "and N more"

AUTHOR = "evaltool"
SEPARATOR = "—— evaltool ——"

# Fills: light red / light yellow / light green as in Excel's conditional-format presets.
FILL_ERROR = "FFC7CE"
FILL_WARNING = "FFEB9C"
FILL_FIXED = "C6EFCE"
FILL_INFO = "DDEBF7"
FILL_EXPLAIN = "FFF2CC"  # the column the officer fills in
FILL_HEADER = "D9D9D9"
SEVERITY_FILL = {Severity.ERROR: FILL_ERROR, Severity.WARNING: FILL_WARNING, Severity.INFO: FILL_INFO}

RESULT_COLUMNS = (
    "code", "severity", "sheet", "cell", "stated", "recomputed", "difference", "message", "explain",
)
RESULT_WIDTHS = (10, 9, 14, 9, 14, 14, 12, 80, 40)

SHARE_GROUPS = ("income_share", "expense_share")
RATE_GROUPS = ("exec_rate", "office_rate", "sangong_rate")
# Findings on a stated cell that do not say its value disagrees (the value was read as stated).
NOT_A_MISMATCH = frozenset({"text_number"})

COMMENT_WIDTH = 300  # px
_COMMENT_LINE_UNITS = 44  # half-width characters per comment line at 300 px
_COMMENT_LINE_PX = 16
_MAX_TEXT = 32000  # Excel: 32767 characters per cell / comment

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _w(key: str, lang: str, **params: Any) -> str:
    if key in WORDS or key in MESSAGES:
        return tr(key, lang, **params)
    zh, en = _WORDS[key]
    return (en if lang == "en" else zh).format(**params)


def _clean(text: object) -> str:
    """Text openpyxl can store: no control characters, within Excel's length limit."""
    return _ILLEGAL.sub("", str(text))[:_MAX_TEXT]


def _message(f: Finding, lang: str) -> str:
    return tr(f.message.key, lang, **f.message.params)


def _coord(cell: str | None) -> str:
    """"$C$4" -> "C4"; "C4:D5" -> "C4"."""
    return (cell or "").split(":")[0].replace("$", "").strip().upper()


def _flagged(f: Finding) -> bool:
    return bool(f.sheet and f.cell) and f.severity is not Severity.INFO


# --------------------------------------------------------------------------- entry point


def write_checked(result: Result, out_path: str, *, lang: str = "zh", fix: bool = False) -> list[Message]:
    """Mark ``result.workbook`` up and save it to ``out_path`` atomically (never to the input).

    Returns what the copy could not keep of the input (also listed in 核查汇总), for the console.
    Raises ``OSError`` when the copy cannot be written (``output_error`` words it); ``OutputLocked``
    when the target exists and cannot be replaced (open in Excel/WPS).
    """
    wb = result.workbook
    if wb is None:
        raise ValueError("write_checked needs the loaded workbook (Result.workbook)")
    out_path = os.fspath(out_path)
    if _same_file(result.path, out_path):
        raise ValueError(f"the checked copy must not overwrite the input: {out_path}")

    # The package type must match the name, or Excel refuses the file: macros only in .xlsm.
    suffix = os.path.splitext(out_path)[1].lower()
    if suffix not in MACRO_SUFFIXES:
        wb.vba_archive = None
    wb.template = suffix in (".xltx", ".xltm")
    lost = _losses(result.path, macros_kept=wb.vba_archive is not None)

    fixed = _mark_cells(wb, result.findings, lang, fix)
    _remove_own_sheets(wb)
    _results_sheet(wb, result.findings, lang, fixed)
    _summary_sheet(wb, result, lang, lost)
    # openpyxl keeps formulas but not their cached results: have Excel/WPS recalculate on open.
    if getattr(wb, "calculation", None) is not None:
        wb.calculation.fullCalcOnLoad = True
    write_atomically(out_path, wb.save)
    return lost


def _losses(path: str, *, macros_kept: bool) -> list[Message]:
    """``preserve.losses``; a package it cannot inspect is said to be unverified, not passed as complete."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    from evaltool.workbook.preserve import losses

    try:
        return losses(path, macros_kept=macros_kept)
    except (OSError, KeyError, ValueError, ParseError, DefusedXmlException, zipfile.BadZipFile) as e:
        return [Message("lost_unverified", {"reason": f"{type(e).__name__}: {e}"[:160]})]


def _same_file(a: str, b: str) -> bool:
    with contextlib.suppress(OSError):
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


# --------------------------------------------------------------------------- flagged cells


def _fill(rgb: str):
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def _target(ws: Worksheet, coord: str):
    """The cell a finding points at; the top-left cell when it lies inside a merged range."""
    for rng in ws.merged_cells.ranges:
        if coord in rng:
            return ws.cell(rng.min_row, rng.min_col)
    return ws[coord]


def _valid_coord(coord: str) -> bool:
    from openpyxl.utils.cell import coordinate_from_string

    try:
        coordinate_from_string(coord)
    except ValueError:
        return False
    return True


def _mark_cells(wb: Workbook, findings: list[Finding], lang: str, fix: bool) -> dict[int, str]:
    """Fill and comment every cell with an error or warning; returns {id(finding): old value} per fix."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if _flagged(f) and f.sheet in wb.sheetnames and _valid_coord(_coord(f.cell)):
            groups.setdefault((f.sheet, _coord(f.cell)), []).append(f)

    fixed: dict[int, str] = {}
    for (sheet, coord), group in groups.items():
        cell = _target(wb[sheet], coord)
        group.sort(key=lambda f: -f.severity.rank)  # stable: worst first, then as reported
        chosen = next((f for f in group if f.fix is not None), None) if fix else None
        lines: list[str] = []
        if chosen is not None:
            old = chosen.stated
            if old is None:
                old = "" if cell.value is None else str(cell.value)
            cell.value = chosen.fix
            if chosen.fix_format is not None:
                cell.number_format = chosen.fix_format
            fixed[id(chosen)] = old
            lines.append(tr("fixed", lang, old=old))
            colour = FILL_FIXED
        else:
            colour = SEVERITY_FILL[group[0].severity]
        lines += [f"[{f.code} {f.severity.label(lang)}] {_message(f, lang)}" for f in group]
        cell.fill = _fill(colour)  # only the fill: font, border, format, protection stay
        cell.comment = _comment(_officer_text(cell.comment), "\n".join(lines))
    return fixed


def _officer_text(comment) -> str:
    """What the officer wrote in an existing comment, without what evaltool added last time."""
    if comment is None:
        return ""
    text = comment.text or ""
    if SEPARATOR in text:
        return text.split(SEPARATOR, 1)[0].rstrip("\r\n")
    if comment.author == AUTHOR:
        return ""
    return text.rstrip("\r\n")


def _display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _comment(officer: str, ours: str):
    from openpyxl.comments import Comment

    text = _clean(f"{officer}\n{SEPARATOR}\n{ours}" if officer else ours)
    lines = sum(max(1, math.ceil(_display_width(line) / _COMMENT_LINE_UNITS)) for line in text.split("\n"))
    height = min(max(60, _COMMENT_LINE_PX * lines + 16), 800)
    return Comment(text, AUTHOR, height=height, width=COMMENT_WIDTH)


# --------------------------------------------------------------------------- 核查结果


def own_sheet_names() -> set[str]:
    """核查结果 / 核查汇总 in every language: the sheets evaltool adds (and replaces when re-checking)."""
    return set(ADDED_SHEETS)


def _remove_own_sheets(wb: Workbook) -> None:
    """Drop the 核查结果 / 核查汇总 of an earlier run (re-checking a checked copy)."""
    own = [ws for ws in wb.worksheets if ws.title in own_sheet_names()]
    if not own:
        return
    active = wb.active
    for ws in own:
        wb.remove(ws)
    if active in own or active not in wb.worksheets:
        visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"] or wb.worksheets
        if visible:
            wb.active = visible[0]
            for ws in wb.worksheets:
                ws.sheet_view.tabSelected = ws is visible[0]
    else:
        wb.active = active  # the index may have shifted


def _put_text(cell, text: object) -> None:
    cell.value = _clean(text)
    cell.data_type = "s"  # text even if it looks like a formula ("=...")


def _header(ws: Worksheet, row: int, words: list[str], lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    for col, key in enumerate(words, start=1):
        cell = ws.cell(row, col)
        _put_text(cell, _w(key, lang))
        cell.font = Font(bold=True)
        cell.fill = _fill(FILL_HEADER)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _results_sheet(wb: Workbook, findings: list[Finding], lang: str, fixed: dict[int, str]) -> None:
    from openpyxl.styles import Alignment, Protection
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(tr("results_sheet", lang))
    _header(ws, 1, list(RESULT_COLUMNS), lang)
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    for row, f in enumerate(findings, start=2):
        message = _message(f, lang)
        if id(f) in fixed:
            message = f"{tr('fixed', lang, old=fixed[id(f)])} {message}"
        values = (f.code, f.severity.label(lang), f.sheet or "", _coord(f.cell) if f.cell else "",
                  f.stated or "", f.recomputed or "", f.difference or "", message)
        for col, v in enumerate(values, start=1):
            cell = ws.cell(row, col)
            _put_text(cell, v)
            cell.alignment = wrap if col == 8 else top
        ws.cell(row, 2).fill = _fill(SEVERITY_FILL[f.severity])
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            link = ws.cell(row, 4)
            link.hyperlink = f"#'{f.sheet.replace(chr(39), chr(39) * 2)}'!{_coord(f.cell)}"
            link.style = "Hyperlink"
            link.alignment = top
        explain = ws.cell(row, 9)
        explain.fill = _fill(FILL_EXPLAIN)
        explain.protection = Protection(locked=False)
        explain.alignment = wrap
        # Excel/WPS do not grow a row for wrapped text written by openpyxl: size it here.
        width = RESULT_WIDTHS[7] + 6  # half-width characters per line, roughly
        lines = sum(max(1, math.ceil(_display_width(part) / width)) for part in message.split("\n"))
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines
    for col, width in enumerate(RESULT_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    last = get_column_letter(len(RESULT_COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(findings) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


# --------------------------------------------------------------------------- 核查汇总


def _basic(result: Result, key: str) -> str:
    if result.book is None:
        return ""
    try:
        v = result.book.cell("basic", "info", key, "value").value
    except (KeyError, AttributeError):
        return ""
    return "" if v is None else str(v)


def _version() -> str:
    import evaltool

    return str(getattr(evaltool, "__version__", "") or "")


def _stated_filled(ratio: Ratio) -> bool:
    s = ratio.stated
    return s is not None and bool(s.coord) and not s.blank


def _number(value: Decimal | None) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (OverflowError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _summary_sheet(wb: Workbook, result: Result, lang: str, lost: list[Message]) -> None:
    from openpyxl.styles import Alignment, Font

    from evaltool.text.display import value as shown

    ws = wb.create_sheet(tr("summary_sheet", lang))
    bold = Font(bold=True)
    ws.cell(1, 1, _w("summary_title", lang)).font = Font(bold=True, size=14)

    row = 3
    info = (
        ("file", os.path.basename(result.path)),
        ("dept", _basic(result, "dept")),
        ("year", _basic(result, "year")),
        ("checked_at", dt.datetime.now().isoformat(timespec="minutes")),
        ("tool", f"evaltool {_version()}".strip()),
    )
    for key, text in info:
        ws.cell(row, 1, _w(key, lang)).font = bold
        _put_text(ws.cell(row, 2), text)
        row += 1

    errors, warnings, infos = (result.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    row += 1
    ws.cell(row, 1, _w("counts", lang)).font = Font(bold=True, size=12)
    row += 1
    _put_text(ws.cell(row, 1), tr("summary_counts", lang, errors=errors, warnings=warnings, infos=infos))
    row += 1
    for key, n, sev in (("errors", errors, Severity.ERROR), ("warnings", warnings, Severity.WARNING),
                        ("infos", infos, Severity.INFO)):
        ws.cell(row, 1, _w(key, lang)).font = bold
        count = ws.cell(row, 2, n)
        if n:
            count.fill = _fill(SEVERITY_FILL[sev])
        row += 1
    ws.cell(row, 1, _w("verdict", lang)).font = bold
    verdict = tr("verdict_fail", lang, errors=errors) if errors else tr("verdict_ok", lang)
    cell = ws.cell(row, 2, verdict)
    cell.font = Font(bold=True, color="9C0006" if errors else "006100")
    cell.fill = _fill(FILL_ERROR if errors else FILL_FIXED)
    row += 2

    row = _score_table(ws, result, row, lang)

    if lost:
        ws.cell(row, 1, _w("not_kept", lang)).font = Font(bold=True, size=12, color="9C0006")
        row += 1
        for message in lost:
            text = ws.cell(row, 1)
            _put_text(text, tr(message.key, lang, **message.params))
            text.fill = _fill(FILL_WARNING)
            row += 1
        row += 1

    ws.cell(row, 1, _w("ratios", lang)).font = Font(bold=True, size=12)
    row += 1
    header_row = row
    _header(ws, row, ["item", "stated", "recomputed", "match", "recomputed_number"], lang)
    row += 1

    worst_at: dict[tuple[str, str], Severity] = {}
    for f in result.findings:
        if _flagged(f) and f.message.key not in NOT_A_MISMATCH:
            key = (f.sheet, _coord(f.cell))
            if key not in worst_at or f.severity.rank > worst_at[key].rank:
                worst_at[key] = f.severity

    charts: dict[str, list[tuple[str, float]]] = {"shares": [], "rates": []}
    top_level = _top_level_shares()
    top, top_wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    listed: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for ratio in result.ratios:
        filled = _stated_filled(ratio)
        if ratio.value is None and not filled:
            continue
        # A list of thousands of projects would bury the key ratios: show the first rows only;
        # every mismatch is in 核查结果 anyway.
        listed[ratio.group.key] = listed.get(ratio.group.key, 0) + 1
        if listed[ratio.group.key] > LIST_RATIOS_SHOWN and not ratio.key.endswith(".total"):
            hidden[ratio.group.key] = hidden.get(ratio.group.key, 0) + 1
            continue
        _put_text(ws.cell(row, 1), ratio.label)
        _put_text(ws.cell(row, 2), shown(ratio.stated) if filled else "")
        _put_text(ws.cell(row, 3), ratio_text(ratio, lang))
        flagged = worst_at.get((ratio.stated.sheet, _coord(ratio.stated.coord))) if filled else None
        match = ws.cell(row, 4)
        if flagged is not None:
            _put_text(match, tr("no", lang))
            match.fill = _fill(SEVERITY_FILL[flagged])
        elif filled and ratio.value is not None:
            _put_text(match, tr("yes", lang))
        number = None if ratio.group.difference else _number(ratio.value)
        if number is not None:
            num_cell = ws.cell(row, 5, number)
            num_cell.number_format = "0.00%"
            if ratio.group.key in SHARE_GROUPS and ratio.key in top_level:
                charts["shares"].append((ratio.label, number))
            elif ratio.group.key in RATE_GROUPS:
                charts["rates"].append((ratio.label, number))
        for col in range(1, 6):
            ws.cell(row, col).alignment = top_wrap if col == 1 else top
        row += 1
    for group, n in hidden.items():
        _put_text(ws.cell(row, 1), _w("more_rows", lang, n=n, what=GROUPS[group].name))
        row += 1

    for col, width in zip("ABCDE", (36, 16, 18, 10, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["A"].width = max(36, min(60, max(
        (_display_width(str(c.value or "")) + 2 for c in ws["A"][2:]), default=36)))
    _charts(ws, charts, header_row, lang)


def _score_table(ws: Worksheet, result: Result, row: int, lang: str) -> int:
    """自评 and 重算 total, grade and first-level subtotals side by side; returns the next free row."""
    from openpyxl.styles import Font

    score = result.score
    if score is None or not score.scored:
        return row
    ws.cell(row, 1, _w("scores", lang)).font = Font(bold=True, size=12)
    _header(ws, row + 1, ["item", "self_score", "recomputed_score"], lang)
    row += 2
    total = score.stated_total if score.stated_total is not None else score.self_total
    lines = [(_w("score_total", lang), total, score.recomputed_total),
             (_w("score_grade", lang), score.self_grade or "", score.recomputed_grade)]
    lines += [(name, value, score.recomputed_level1.get(name)) for name, value in score.self_level1.items()]
    for label, mine, theirs in lines:
        _put_text(ws.cell(row, 1), label)
        for col, v in ((2, mine), (3, theirs)):
            cell = ws.cell(row, col, v if isinstance(v, Decimal) else None)
            if isinstance(v, Decimal):
                cell.number_format = "0.00"
            else:
                _put_text(cell, v or "")
        if mine != theirs:
            ws.cell(row, 3).fill = _fill(FILL_WARNING)
        row += 1
    return row + 1


def _top_level_shares() -> set[str]:
    """Keys of the share ratios worth charting: the items themselves, not 其中 rows or totals."""
    from evaltool.workbook import layout as L

    keys: set[str] = set()
    for group, table in (("income_share", "income"), ("expense_share", "expense")):
        try:
            rows = L.FINANCE.table(table).rows
        except (AttributeError, KeyError):
            continue
        keys |= {f"{group}.{row.key}" for row in rows if not row.level and row.key != "total"}
    return keys


def _charts(ws: Worksheet, charts: dict[str, list[tuple[str, float]]], top: int, lang: str) -> None:
    """Bar charts to the right of the ratio table, fed by a small data block further right."""
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
            ws.cell(row, data_col, _w("chart_data", lang)).font = Font(bold=True)
            row += 1
            placed = True
        header = row
        _put_text(ws.cell(header, data_col), _w(title, lang))
        _put_text(ws.cell(header, data_col + 1), _w("recomputed", lang))
        for label, number in points:
            row += 1
            _put_text(ws.cell(row, data_col), label)
            ws.cell(row, data_col + 1, number).number_format = "0.00%"
        chart = _bar_chart(ws, _w(title, lang), header, row, data_col)
        ws.add_chart(chart, f"G{anchor_row}")
        anchor_row += math.ceil(chart.height / 0.53) + 2  # a default row is about 0.53 cm
        row += 2


def _bar_chart(ws: Worksheet, title: str, header: int, last: int, col: int):
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.label import DataLabelList

    chart = BarChart()
    chart.type = "bar"  # horizontal: the Chinese labels stay readable
    chart.style = 10
    chart.title = title
    chart.add_data(Reference(ws, min_col=col + 1, min_row=header, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=col, min_row=header + 1, max_row=last))
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
    chart.height = max(6.0, 1.5 + 0.8 * (last - header))
    return chart
