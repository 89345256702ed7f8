"""The county's summary workbook (``evaltool check --summary``), written with xlsxwriter.

Sheet 汇总: one row per department, ranked by recomputed score (then fewest errors), with its
money, recomputed ratios, scores, counts and a link to its checked copy; a 全县合计 row whose
ratios are recomputed from the summed amounts.  Sheet 图表: grade distribution and “三公”
actual against budget, as native Excel charts.  Sheets 强制性错误 and 无法核查的文件 list every
error and every file that could not be checked.  Numbers are written as numbers with number
formats.  The workbook is built in memory and moved into place, so a failure leaves no
half-written file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaltool.atomic import write_atomically
from evaltool.batch import SUMMARY_RATIOS, FileRecord
from evaltool.findings import Severity
from evaltool.outputs import styles as S
from evaltool.outputs.provenance import checks_lines, provenance_line
from evaltool.outputs.verdicts import verdict_cells
from evaltool.scoring.score import GRADE_FLOORS
from evaltool.text import render
from evaltool.text.catalogue import WORDS, tr
from evaltool.workbook.layout import GRADES

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from evaltool.checks import Choices
    from evaltool.scoring.indicators import RuleSet

# (fill, font) pairs from the one style module, as xlsxwriter colours.
RED, ORANGE, GREEN, PALE_GREEN = ((f"#{fill}", f"#{font}") for fill, font in (
    (S.FILL_ERROR, S.FONT_ERROR), (S.FILL_WARNING, S.FONT_WARNING), (S.FILL_FIXED, S.FONT_OK),
    (S.FILL_GOOD, S.FONT_GOOD)))
GRADE_COLOURS = (GREEN, PALE_GREEN, ORANGE, RED)  # 优 良 中 差

NUMBER_FORMATS = {"money": "#,##0.00", "ratio": "0.00%", "score": "0.00", "count": "0"}


@dataclass(frozen=True)
class Column:
    key: str  # also the i18n word "sum_<key>"
    kind: str  # text, money, ratio, score, count, link
    width: int


COLUMNS = (
    Column("rank", "count", 6),
    Column("dept", "text", 26),
    Column("year", "count", 8),
    Column("file", "text", 28),
    Column("income_total", "money", 14),
    Column("expense_total", "money", 14),
    Column("fiscal_share", "ratio", 11),
    Column("exec_rate", "ratio", 11),
    Column("carry_rate", "ratio", 11),
    Column("office_rate", "ratio", 11),
    Column("sangong_budget", "money", 13),
    Column("sangong_actual", "money", 13),
    Column("sangong_rate", "ratio", 11),
    Column("self_score", "score", 9),
    Column("recomputed_score", "score", 9),
    Column("self_grade", "text", 8),
    Column("recomputed_grade", "text", 8),
    Column("errors", "count", 9),
    Column("warnings", "count", 8),
    # issue 10: the verdict, warnings unexplained/explained, 审核结论 counted (outputs/verdicts.py)
    Column("verdict", "text", 20), Column("unexplained", "count", 9), Column("explained", "count", 9),
    Column("review_accepted", "count", 7), Column("review_returned", "count", 7), Column("review_pending", "count", 7),
    Column("checked_copy", "link", 32),
    Column("notes", "text", 60),
)
COL = {c.key: i for i, c in enumerate(COLUMNS)}


def _w(key: str, lang: str) -> str:
    """A word of this workbook ("sum_" + key), else the shared one (编码, 工作表, 单元格, 说明)."""
    return tr(f"sum_{key}" if f"sum_{key}" in WORDS else key, lang)


# --------------------------------------------------------------------------- figures


def _ratio(num: Decimal | None, den: Decimal | None) -> Decimal | None:
    return None if num is None or den is None or den == 0 else num / den


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    given = [v for v in values if v is not None]
    return sum(given, Decimal(0)) if given else None


def _recomputed(record: FileRecord) -> Decimal | None:
    return record.scores.recomputed_total if record.scores else None


# Flags (``batch.flag_batch``) that keep a file out of the ranking or the county total.
NOT_RANKED = ("duplicate_earlier",)
NOT_COUNTED = ("duplicate_earlier", "unit_outlier")


def ranked(records: Sequence[FileRecord]) -> list[tuple[int | None, FileRecord]]:
    """The checked departments, best first: recomputed score descending, then errors ascending.
    Ties share a rank (1, 2, 2, 4); a department without a recomputed score, or the earlier of two
    submissions of one department and year, has none and comes last."""
    checked = [r for r in records if r.error is None and r.skipped is None]

    def key(r: FileRecord) -> tuple:
        score = None if r.flagged(*NOT_RANKED) else _recomputed(r)
        return score is None, -(score or 0), r.count(Severity.ERROR)

    checked.sort(key=lambda r: (*key(r), r.department, r.path))
    out: list[tuple[int | None, FileRecord]] = []
    for i, r in enumerate(checked):
        if key(r)[0]:
            out.append((None, r))
        else:
            out.append((out[-1][0] if i and key(checked[i - 1]) == key(r) else i + 1, r))
    return out


def _row(rank: int | None, r: FileRecord, link: str | None, lang: str) -> dict[str, Any]:
    sangong_actual, sangong_budget = r.ratio("sangong_rate")
    scores = r.scores
    row: dict[str, Any] = {
        "rank": rank, "dept": r.department, "year": r.year, "file": r.path,
        "income_total": r.income_total, "expense_total": r.expense_total,
        "sangong_budget": sangong_budget, "sangong_actual": sangong_actual,
        "self_score": scores.self_total if scores else None,
        "recomputed_score": scores.recomputed_total if scores else None,
        "self_grade": render.grade(scores.self_grade, lang) or None if scores else None,
        "recomputed_grade": render.grade(scores.recomputed_grade, lang) or None if scores else None,
        "errors": r.count(Severity.ERROR), "warnings": r.count(Severity.WARNING),
        "checked_copy": link,
        "notes": ("; " if lang == "en" else "；").join(f["message"] for f in r.flags),
        **verdict_cells(r.entry, lang),  # issue 10
    }
    for column in SUMMARY_RATIOS:
        row[column] = _ratio(*r.ratio(column))
    return row


def county_total(records: Sequence[FileRecord], lang: str = "zh") -> dict[str, Any]:
    """Sums of the money and counts; each ratio is Σ numerator ÷ Σ denominator over the departments
    that give both (an average of ratios would weigh a small department like a large one).  The earlier
    of two submissions of a department and a total out of line with the county (``NOT_COUNTED``) are
    left out; each row says so."""
    records = [r for r in records if not r.flagged(*NOT_COUNTED)]
    years = {r.year for r in records}
    row: dict[str, Any] = {
        "dept": _w("county_total", lang),
        "year": years.pop() if len(years) == 1 else None,
        "income_total": _sum([r.income_total for r in records]),
        "expense_total": _sum([r.expense_total for r in records]),
        "sangong_budget": _sum([r.ratio("sangong_rate")[1] for r in records]),
        "sangong_actual": _sum([r.ratio("sangong_rate")[0] for r in records]),
        "errors": sum(r.count(Severity.ERROR) for r in records),
        "warnings": sum(r.count(Severity.WARNING) for r in records),
    }
    for column in SUMMARY_RATIOS:
        pairs = [r.ratio(column) for r in records]
        pairs = [(n, d) for n, d in pairs if n is not None and d is not None]
        row[column] = _ratio(_sum([n for n, _ in pairs]), _sum([d for _, d in pairs])) if pairs else None
    return row


# --------------------------------------------------------------------------- links


def _relative(target: str, base: str) -> str:
    """``target`` relative to the summary's folder, so the links survive moving the whole folder."""
    try:
        return os.path.relpath(os.path.abspath(target), base)
    except ValueError:  # another drive on Windows
        return os.path.abspath(target)


def _cell_anchor(sheet: str, coord: str) -> str:
    return "'{}'!{}".format(sheet.replace("'", "''"), coord)


# --------------------------------------------------------------------------- writing


def write_summary(records: Sequence[FileRecord], path: str | os.PathLike, lang: str = "zh",
                  ruleset: RuleSet | None = None, choices: Choices | None = None) -> None:
    """Write the summary of ``records`` to ``path`` (atomically); under the county total, what the verdicts
    were reached under (``ruleset``, ``choices``)."""
    import io

    import xlsxwriter

    path = os.fspath(path)
    base = os.path.dirname(os.path.abspath(path))
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, S.workbook_options())
    formats = _Formats(wb)
    rows = ranked(records)
    links = {id(r): _relative(r.output, base) for _, r in rows if r.output}
    summary = _summary_sheet(wb, formats, rows, links, lang, ruleset, choices)
    _charts_sheet(wb, formats, summary, [r for _, r in rows], lang)
    _errors_sheet(wb, formats, [r for _, r in rows], links, lang)
    _unreadable_sheet(wb, formats, [r for r in records if r.error is not None or r.skipped is not None], lang)
    wb.close()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_atomically(path, lambda tmp: Path(tmp).write_bytes(buf.getvalue()))


class _Formats:
    """The workbook's cell formats, made once (xlsxwriter keeps every format object it is given)."""

    def __init__(self, wb: Workbook) -> None:
        self.header = wb.add_format({"bold": True, "bg_color": f"#{S.FILL_HEADER}", "border": 1, "text_wrap": True,
                                     "align": "center", "valign": "vcenter"})
        self.cell = {(kind, total): wb.add_format({"num_format": fmt, "bold": total, "top": 1 if total else 0})
                     for kind, fmt in {**NUMBER_FORMATS, "text": "@", "link": "@"}.items() for total in (False, True)}
        self.link = wb.add_format({"font_color": f"#{S.FONT_LINK}", "underline": 1})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.top = wb.add_format({"valign": "top"})
        self.colours = {c: wb.add_format({"bg_color": c[0], "font_color": c[1]}) for c in (RED, ORANGE, GREEN,
                                                                                         PALE_GREEN)}
        self.over_claimed = wb.add_format({"bold": True, "font_color": "#C00000"})


def _write(ws: Worksheet, row: int, col: int, value: Any, fmt) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, (int, Decimal)):
        ws.write_number(row, col, float(value), fmt)  # the double nearest the exact Decimal: no noise shown
    else:
        ws.write_string(row, col, str(value), fmt)


def _header(ws: Worksheet, formats: _Formats, words: Sequence[str], widths: Sequence[int], lang: str) -> None:
    for col, (key, width) in enumerate(zip(words, widths, strict=True)):
        ws.write_string(0, col, _w(key, lang), formats.header)
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)


def _summary_sheet(wb: Workbook, formats: _Formats, rows: list[tuple[int | None, FileRecord]],
                   links: dict[int, str], lang: str, ruleset: RuleSet | None, choices: Choices | None) -> str:
    name = _w("sheet_summary", lang)
    ws = wb.add_worksheet(name)
    _header(ws, formats, [c.key for c in COLUMNS], [c.width for c in COLUMNS], lang)
    ws.freeze_panes(1, 2)
    for i, (rank, record) in enumerate(rows, start=1):
        values = _row(rank, record, links.get(id(record)), lang)
        for col, c in enumerate(COLUMNS):
            if c.kind == "link" and values[c.key] and i <= S.MAX_LINKS:
                ws.write_url(i, col, "external:" + values[c.key], formats.link, string=values[c.key])
            else:
                _write(ws, i, col, values[c.key], formats.cell[(c.kind, False)])
    if not rows:
        ws.write_string(1, COL["dept"], tr("sum_none", lang))
        return name
    total = county_total([r for _, r in rows], lang)
    last = len(rows) + 1
    for col, c in enumerate(COLUMNS):
        _write(ws, last, col, total.get(c.key), formats.cell[(c.kind, True)])
    ws.autofilter(0, 0, last - 1, len(COLUMNS) - 1)
    _conditional_formats(ws, formats, last - 1, lang)
    for n, text in enumerate([provenance_line(None, ruleset, lang), *checks_lines(choices, lang)], start=last + 2):
        ws.write_string(n, COL["dept"], text)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    return name


def _conditional_formats(ws: Worksheet, formats: _Formats, last: int, lang: str) -> None:
    """Errors red, warnings yellow, scores and grades by band, a self-score above the recomputed one in bold red."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    for key, colour in (("errors", RED), ("warnings", ORANGE)):
        ws.conditional_format(1, COL[key], last, COL[key],
                              {"type": "cell", "criteria": ">", "value": 0, "format": formats.colours[colour]})
    for key in ("self_score", "recomputed_score"):
        cell = xl_rowcol_to_cell(1, COL[key], col_abs=True)
        floors = [floor for floor, _ in GRADE_FLOORS]
        bands = [f">={floor}" for floor in floors] + [f"<{floors[-1]}"]
        # Excel applies the first matching rule; ISNUMBER keeps blank scores uncoloured.
        for band, colour in zip(bands, GRADE_COLOURS, strict=True):
            ws.conditional_format(1, COL[key], last, COL[key], {
                "type": "formula", "criteria": f"=AND(ISNUMBER({cell}),{cell}{band})",
                "format": formats.colours[colour], "stop_if_true": True})
    for key in ("self_grade", "recomputed_grade"):
        for grade, colour in zip(GRADES, GRADE_COLOURS, strict=True):
            ws.conditional_format(1, COL[key], last, COL[key], {
                "type": "cell", "criteria": "==", "value": f'"{render.grade(grade, lang)}"',
                "format": formats.colours[colour]})
    own, recomputed = (xl_rowcol_to_cell(1, COL[k], col_abs=True) for k in ("self_score", "recomputed_score"))
    ws.conditional_format(1, COL["self_score"], last, COL["self_score"], {
        "type": "formula", "criteria": f"=AND(ISNUMBER({own}),ISNUMBER({recomputed}),{own}>{recomputed})",
        "format": formats.over_claimed})


def _charts_sheet(wb: Workbook, formats: _Formats, summary: str, records: list[FileRecord], lang: str) -> None:
    """Grade counts (COUNTIF of the 汇总 grade columns, stored with their values) and two native charts."""
    from xlsxwriter.utility import xl_range_abs

    n = len(records)
    if not n:
        return
    ws = wb.add_worksheet(_w("sheet_charts", lang))
    _header(ws, formats, ["grade", "self_grade", "recomputed_grade"], [8, 12, 12], lang)
    quoted = "'{}'".format(summary.replace("'", "''"))
    for i, grade in enumerate(GRADES, start=1):
        shown = render.grade(grade, lang)
        ws.write_string(i, 0, shown)
        for col, key in ((1, "self_grade"), (2, "recomputed_grade")):
            grades = f"{quoted}!{xl_range_abs(1, COL[key], n, COL[key])}"
            count = sum(1 for r in records if r.scores and getattr(r.scores, key) == grade)
            ws.write_formula(i, col, f'=COUNTIF({grades},"{shown}")', formats.cell[("count", False)], count)
    chart = wb.add_chart({"type": "column"})
    for col, colour in ((1, "#A5A5A5"), (2, "#4472C4")):
        chart.add_series({"name": [ws.name, 0, col], "categories": [ws.name, 1, 0, len(GRADES), 0],
                          "values": [ws.name, 1, col, len(GRADES), col], "fill": {"color": colour},
                          "data_labels": {"value": True}})
    chart.set_title({"name": _w("chart_grades", lang)})
    chart.set_y_axis({"min": 0, "major_gridlines": {"visible": True}})
    chart.set_size({"width": 560, "height": 320})
    ws.insert_chart(1, 4, chart)
    if all(r.ratio("sangong_rate") == (None, None) for r in records):
        return
    bars = wb.add_chart({"type": "bar"})
    for key, colour in (("sangong_budget", "#A5A5A5"), ("sangong_actual", "#ED7D31")):
        bars.add_series({"name": [summary, 0, COL[key]], "categories": [summary, 1, COL["dept"], n, COL["dept"]],
                         "values": [summary, 1, COL[key], n, COL[key]], "fill": {"color": colour}})
    bars.set_title({"name": _w("chart_sangong", lang)})
    bars.set_y_axis({"reverse": True})  # the category axis of a bar chart: first (best) department on top
    bars.set_x_axis({"min": 0, "num_format": "#,##0.00"})
    bars.set_legend({"position": "top"})
    bars.set_size({"width": 720, "height": max(320, 60 + 24 * n)})
    ws.insert_chart(18, 4, bars)


def _errors_sheet(wb: Workbook, formats: _Formats, records: list[FileRecord], links: dict[int, str],
                  lang: str) -> None:
    """Every error of every department, in ranking order; the cell links into the checked copy."""
    ws = wb.add_worksheet(_w("sheet_errors", lang))
    _header(ws, formats, ["dept", "file", "code", "sheet", "cell", "message"], [24, 28, 8, 12, 8, 90], lang)
    row = 0
    for record in records:
        for f in record.findings:
            if f["severity"] != Severity.ERROR.value:
                continue
            row += 1
            where = f["location"] or {}
            sheet = where.get("sheet") or ""
            for col, value in enumerate((record.department, record.path, f["code"], sheet)):
                ws.write_string(row, col, value, formats.top)
            cell = (where.get("cell") or "").split(":")[0].replace("$", "")
            link = links.get(id(record))
            if link and sheet and cell and row <= S.MAX_LINKS:
                ws.write_url(row, 4, f"external:{link}#{_cell_anchor(sheet, cell)}", formats.link, string=cell)
            else:
                ws.write_string(row, 4, cell, formats.top)
            ws.write_string(row, 5, f["message"], formats.wrap)
    if row:
        ws.autofilter(0, 0, row, 5)


def _unreadable_sheet(wb: Workbook, formats: _Formats, records: list[FileRecord], lang: str) -> None:
    """Every file that was not checked: unreadable (why) or left alone (why), so the batch accounts for all."""
    ws = wb.add_worksheet(_w("sheet_unreadable", lang))
    _header(ws, formats, ["file", "status", "reason"], [40, 10, 100], lang)
    for row, record in enumerate(records, start=1):
        ws.write_string(row, 0, record.path, formats.top)
        ws.write_string(row, 1, tr("verdict_unreadable" if record.error else "status_skipped", lang), formats.top)
        ws.write_string(row, 2, record.error or record.skipped or "", formats.wrap)
