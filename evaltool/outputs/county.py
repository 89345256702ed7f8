"""The county's summary workbook (``evaltool check --summary``), written with xlsxwriter.

Sheet 汇总, a printable document: a title row (X县 YYYY 年度…核查汇总表) and the date it was made, then one
row per file of the run: the readable workbooks ranked by verdict (可报送, 通过（有未说明的提示）, 未通过: failing
after passing) then recomputed score, with money, recomputed ratios, scores, 自评 − 重算, 核查结论, counts and a
link to the checked copy; then the files that could not be checked (无法核查 and why) or were left alone;
a 全县合计 row whose ratios are recomputed from the summed amounts; with last year's workbooks (--prior-dir)
上年 and 变动 columns.  Sheet 图表: grade distribution and “三公” actual against budget, as native Excel
charts inside the print area.  Sheets 强制性错误 and 未核查的文件 list every error and every file not checked.
Every sheet prints as a document: A3 landscape, header rows repeated, 第 x 页，共 y 页; wrapped cells get
row heights from their text (XlsxWriter does not autofit).  Numbers are written as numbers with number
formats; names exactly as typed.  The workbook is built in memory and moved into place, so a failure
leaves no half-written file.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaltool.batch import SUMMARY_RATIOS, FileRecord
from evaltool.findings import Severity, State, Verdict
from evaltool.outputs import styles as S
from evaltool.outputs.provenance import checks_lines, provenance_line
from evaltool.scoring.score import GRADE_FLOORS, SCORE_TOLERANCE
from evaltool.text import render
from evaltool.text.catalogue import WORDS, tr
from evaltool.width import display_width
from evaltool.workbook import layout as L
from evaltool.workbook.layout import GRADES
from evaltool.workbook.package import write_package

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from evaltool.checks import Choices
    from evaltool.scoring.indicators import RuleSet

# (fill, font) pairs from the one style module, as xlsxwriter colours.
RED, ORANGE, GREEN, PALE_GREEN = ((f"#{fill}", f"#{font}") for fill, font in (
    (S.FILL_ERROR, S.FONT_ERROR), (S.FILL_WARNING, S.FONT_WARNING), (S.FILL_FIXED, S.FONT_OK),
    (S.FILL_GOOD, S.FONT_GOOD)))
GREY = (f"#{S.FILL_HEADER}", "#000000")
GRADE_COLOURS = (GREEN, PALE_GREEN, ORANGE, RED)  # 优 良 中 差
VERDICT_COLOURS = {Verdict.READY: GREEN, Verdict.PASS_UNEXPLAINED: PALE_GREEN, Verdict.FAIL: RED,
                   Verdict.UNREADABLE: GREY}

NUMBER_FORMATS = {"money": "#,##0.00", "ratio": "0.00%", "score": "0.00", "count": "0", "text": "@", "link": "@"}
A3 = 8  # xlsxwriter's paper size code
TITLE_ROWS = 2  # the title and the date above the header row
HEADER_ROW = TITLE_ROWS
LINE_HEIGHT = 14.4  # points per line of 宋体 11
MAX_WIDTH = 40  # a name column grows to its longest name up to this, then wraps


@dataclass(frozen=True)
class Column:
    key: str  # also the i18n word "sum_<key>"
    kind: str  # text, money, ratio, score, count, link
    width: int
    wrap: bool = False


COLUMNS = (
    Column("rank", "count", 6),
    Column("dept", "text", 26, wrap=True),
    Column("year", "count", 8),
    Column("file", "text", 28, wrap=True),
    Column("verdict", "text", 14, wrap=True),
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
    Column("over_claim", "score", 10),
    Column("self_grade", "text", 8),
    Column("recomputed_grade", "text", 8),
    Column("errors", "count", 9),
    Column("warnings", "count", 8),
    Column("unexplained", "count", 9),
    Column("explained", "count", 9),
    # The 财政局's 审核结论 in the copies it received, counted (核查结果's drop-down, carried by finding id).
    Column("review_accepted", "count", 7), Column("review_returned", "count", 7), Column("review_pending", "count", 7),
    Column("checked_copy", "link", 32, wrap=True),
    Column("notes", "text", 50, wrap=True),
)
# With last year's workbooks: 上年 and 变动 beside the figures they compare, inserted after these columns.
PRIOR_COLUMNS = {
    "income_total": (Column("prior_income_total", "money", 14), Column("income_change", "ratio", 10)),
    "expense_total": (Column("prior_expense_total", "money", 14), Column("expense_change", "ratio", 10)),
    "recomputed_score": (Column("prior_score", "score", 9), Column("score_change", "score", 9)),
}


def columns(prior: bool) -> tuple[Column, ...]:
    if not prior:
        return COLUMNS
    return tuple(c for column in COLUMNS for c in (column, *PRIOR_COLUMNS.get(column.key, ())))


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


def verdict(record: FileRecord) -> Verdict | None:
    """``Result.verdict`` as the worker found it (a report's too); None for a file left alone."""
    return None if record.verdict is None else Verdict(record.verdict)


# Flags (``batch.flag_batch``) that keep a file out of the ranking or the county total.
NOT_RANKED = ("duplicate_earlier",)
NOT_COUNTED = ("duplicate_earlier", "unit_outlier")


def ranked(records: Sequence[FileRecord]) -> list[tuple[int | None, FileRecord]]:
    """The checked workbooks, best first: by verdict (可报送, then 通过（有未说明的提示）, then 未通过: one that
    fails never ranks above one that passes), then recomputed score descending, then errors ascending.
    Ties share a rank (1, 2, 2, 4); a workbook without a recomputed score, or the earlier of two
    submissions of one department and year, has none and comes last."""
    checked = [r for r in records if r.error is None and r.skipped is None]

    def key(r: FileRecord) -> tuple:
        score = None if r.flagged(*NOT_RANKED) else _recomputed(r)
        v = verdict(r)
        return score is None, v.rank if v else 0, -(score or 0), r.count(Severity.ERROR)

    checked.sort(key=lambda r: (*key(r), r.department, r.path))
    out: list[tuple[int | None, FileRecord]] = []
    for i, r in enumerate(checked):
        if key(r)[0]:
            out.append((None, r))
        else:
            out.append((out[-1][0] if i and key(checked[i - 1]) == key(r) else i + 1, r))
    return out


def _prior(record: FileRecord, name: str) -> Decimal | None:
    value = ((record.data or {}).get("file") or {}).get(f"prior.{name}")
    return None if value is None else Decimal(str(value))


def _change(now: Decimal | None, last: Decimal | None) -> Decimal | None:
    """The rate of change; none from a last year of 0 (the 上年 column shows it)."""
    return None if now is None or last is None or last == 0 else (now - last) / last


def has_prior(records: Sequence[FileRecord]) -> bool:
    return any(_prior(r, "recomputed_total") is not None for r in records)


def _row(rank: int | None, r: FileRecord, link: str | None, lang: str) -> dict[str, Any]:
    sangong_actual, sangong_budget = r.ratio("sangong_rate")
    scores = r.scores
    v = verdict(r)
    states = r.states
    reviews = r.entry.get("reviews") or {}
    own = scores.self_total if scores else None
    recomputed = scores.recomputed_total if scores else None
    row: dict[str, Any] = {
        "rank": rank, "dept": r.department, "year": r.year, "file": r.path,
        "verdict": tr(f"verdict_word_{v.value}", lang) if v else tr("status_skipped", lang),
        "income_total": r.income_total, "expense_total": r.expense_total,
        "sangong_budget": sangong_budget, "sangong_actual": sangong_actual,
        "self_score": own, "recomputed_score": recomputed,
        "over_claim": None if own is None or recomputed is None else own - recomputed,
        "self_grade": render.grade(scores.self_grade, lang) or None if scores else None,
        "recomputed_grade": render.grade(scores.recomputed_grade, lang) or None if scores else None,
        "errors": r.count(Severity.ERROR), "warnings": r.count(Severity.WARNING),
        "unexplained": states.get(State.UNEXPLAINED.value, 0),
        "explained": states.get(State.EXPLAINED.value, 0),
        **{f"review_{key}": reviews.get(key, 0) for key in L.REVIEW_CHOICES},
        "checked_copy": link,
        "notes": ("; " if lang == "en" else "；").join(f["message"] for f in r.flags),
    }
    for column in SUMMARY_RATIOS:
        row[column] = _ratio(*r.ratio(column))
    for key, name, now in (("income", "income_total", r.income_total), ("expense", "expense_total", r.expense_total)):
        row[f"prior_{name}"] = last = _prior(r, name)
        row[f"{key}_change"] = _change(now, last)
    row["prior_score"] = last_score = _prior(r, "recomputed_total")
    row["score_change"] = None if recomputed is None or last_score is None else recomputed - last_score
    return row


def _not_checked_row(r: FileRecord, lang: str) -> dict[str, Any]:
    """A file that could not be checked, or was left alone: in the table too, with why."""
    v = verdict(r)
    return {"file": r.path, "verdict": tr(f"verdict_word_{v.value}", lang) if v else tr("status_skipped", lang),
            "notes": _reason(r, lang)}


def _reason(r: FileRecord, lang: str) -> str:
    """Why a file was not checked, without its path again (the 文件 column beside it names it)."""
    text = r.error or r.skipped or ""
    return text.replace(r.path, tr("sum_this_file", lang)) if r.path else text


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
        "unexplained": sum(r.states.get(State.UNEXPLAINED.value, 0) for r in records),
        "explained": sum(r.states.get(State.EXPLAINED.value, 0) for r in records),
        **{f"review_{key}": sum((r.entry.get("reviews") or {}).get(key, 0) for r in records)
           for key in L.REVIEW_CHOICES},
    }
    for column in SUMMARY_RATIOS:
        pairs = [r.ratio(column) for r in records]
        pairs = [(n, d) for n, d in pairs if n is not None and d is not None]
        row[column] = _ratio(_sum([n for n, _ in pairs]), _sum([d for _, d in pairs])) if pairs else None
    for key, name in (("income", "income_total"), ("expense", "expense_total")):
        paired = [r for r in records if _prior(r, name) is not None and getattr(r, name) is not None]
        if paired:
            row[f"prior_{name}"] = last = _sum([_prior(r, name) for r in paired])
            row[f"{key}_change"] = _change(_sum([getattr(r, name) for r in paired]), last)
    return row


# --------------------------------------------------------------------------- the title


COUNTY_ENDS = "县市区旗"


def county_name(records: Sequence[FileRecord]) -> str:
    """The county the departments belong to: their names' common beginning up to its last 县/市/区/旗
    ("丰顺县科工商务局", "丰顺县教育局" → "丰顺县"); "" when they share none."""
    names = [r.department for r in records if r.department]
    if not names:
        return ""
    prefix = os.path.commonprefix(names)
    end = max(prefix.rfind(ch) for ch in COUNTY_ENDS)
    return prefix[: end + 1] if end >= 0 else ""


def title(records: Sequence[FileRecord], lang: str) -> str:
    years = Counter(r.year for r in records if r.year is not None)
    county = county_name(records)
    if not years:
        return tr("sum_title_no_year", lang, county=county).strip()
    return tr("sum_title", lang, county=county, year=years.most_common(1)[0][0]).strip()


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
                  ruleset: RuleSet | None = None, choices: Choices | None = None,
                  today: dt.date | None = None) -> None:
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
    heading = title(records, lang)
    not_checked = [r for r in records if r.error is not None or r.skipped is not None]
    summary, at = _summary_sheet(wb, formats, rows, not_checked, links, lang, ruleset, choices,
                                 (heading, today or dt.date.today()), has_prior(records))
    _charts_sheet(wb, formats, (summary, at), [r for _, r in rows], lang, heading)
    _errors_sheet(wb, formats, [r for _, r in rows], links, lang, heading)
    _unreadable_sheet(wb, formats, not_checked, lang, heading)
    wb.close()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    write_package(S.value_labels_only(S.xlsx_parts(buf.getvalue())), path)  # atomically


class _Formats:
    """The workbook's cell formats, made once (xlsxwriter keeps every format object it is given)."""

    def __init__(self, wb: Workbook) -> None:
        self.all = S.Formats(wb)
        self.header = self.all.header
        # Left: a table two pages wide would cut a centred title at the page edge.
        self.title = self.all.get(bold=True, font_size=16, align="left", valign="vcenter")
        self.date = self.all.get(align="right", valign="vcenter")
        self.link = self.all.get(font_color=f"#{S.FONT_LINK}", underline=1, valign="top", border=1, text_wrap=True)
        self.wrap = self.all.get(text_wrap=True, valign="top", border=1)
        self.top = self.all.get(valign="top", border=1)
        self.plain = self.all.get()
        self.colours = {c: self.all.get(bg_color=c[0], font_color=c[1]) for c in (RED, ORANGE, GREEN, PALE_GREEN)}
        self.over_claimed = self.all.get(bold=True, font_color="#C00000", bg_color=f"#{S.FILL_ERROR}")

    def cell(self, kind: str, total: bool = False, wrap: bool = False, colour: tuple[str, str] | None = None):
        props: dict[str, Any] = {"num_format": NUMBER_FORMATS[kind], "border": 1, "valign": "top"}
        if total:
            props |= {"bold": True, "top": 2}
        if wrap:
            props["text_wrap"] = True
        if colour:
            props |= {"bg_color": colour[0], "font_color": colour[1]}
        return self.all.get(**props)


def _write(ws: Worksheet, row: int, col: int, value: Any, fmt) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, (int, Decimal)):
        ws.write_number(row, col, float(value), fmt)  # the double nearest the exact Decimal: no noise shown
    else:
        S.write_text(ws, row, col, value, fmt)


def lines(text: object, width: float) -> int:
    """How many lines ``text`` takes in a wrapped column ``width`` characters wide (CJK counts two)."""
    if text is None or text == "":
        return 1
    usable = max(1.0, (width - 1) * 0.9)  # the cell's padding; LibreOffice and WPS set CJK a little wider
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in str(text).split("\n"))


def _grow(ws: Worksheet, row: int, texts: Sequence[tuple[object, float]]) -> None:
    """XlsxWriter does not autofit: a row whose wrapped text needs more than a line gets the height of it."""
    n = max((lines(text, width) for text, width in texts), default=1)
    if n > 1:
        ws.set_row(row, LINE_HEIGHT * n + 2)


def _fit(values: Sequence[object], least: int) -> int:
    """A column as wide as its longest value (CJK counts two), at least ``least``, at most ``MAX_WIDTH``."""
    widest = max((display_width(str(v)) for v in values if v), default=0)
    return min(MAX_WIDTH, max(least, widest + 2))


def _header(ws: Worksheet, formats: _Formats, row: int, words: Sequence[str], widths: Sequence[float],
            lang: str) -> None:
    texts = [_w(key, lang) for key in words]
    for col, (text, width) in enumerate(zip(texts, widths, strict=True)):
        S.write_text(ws, row, col, text, formats.header)
        ws.set_column(col, col, width)
    _grow(ws, row, list(zip(texts, widths, strict=True)))


def _page(ws: Worksheet, heading: str, lang: str, *, repeat: tuple[int, int], wide: int = 1) -> None:
    """Every sheet prints as a document: A3 landscape, ``wide`` pages across, the title rows and header
    repeated on each page, the title at the top, 第 x 页，共 y 页 at the bottom."""
    S.print_setup(ws, heading, lang)
    ws.set_paper(A3)
    ws.fit_to_pages(wide, 0)
    ws.repeat_rows(*repeat)
    ws.center_horizontally()


def _title(ws: Worksheet, formats: _Formats, heading: str, made: dt.date, last_col: int, lang: str) -> None:
    ws.merge_range(0, 0, 0, last_col, heading, formats.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last_col, tr("sum_made_on", lang, date=made.isoformat()), formats.date)


def _summary_sheet(wb: Workbook, formats: _Formats, rows: list[tuple[int | None, FileRecord]],
                   not_checked: list[FileRecord], links: dict[int, str], lang: str, ruleset: RuleSet | None,
                   choices: Choices | None, heading: tuple[str, dt.date], prior: bool) -> tuple[str, dict[str, int]]:
    name = _w("sheet_summary", lang)
    ws = wb.add_worksheet(name)
    cols = columns(prior)
    at = {c.key: i for i, c in enumerate(cols)}
    values = [_row(rank, r, links.get(id(r)), lang) for rank, r in rows] + [_not_checked_row(r, lang)
                                                                           for r in not_checked]
    widths = [_fit([v.get(c.key) for v in values], c.width) if c.key in ("dept", "file") else c.width for c in cols]
    _title(ws, formats, heading[0], heading[1], len(cols) - 1, lang)
    _header(ws, formats, HEADER_ROW, [c.key for c in cols], widths, lang)
    ws.freeze_panes(HEADER_ROW + 1, at["file"])
    first = HEADER_ROW + 1
    verdicts = [verdict(r) for _, r in rows] + [verdict(r) for r in not_checked]
    for i, (row_values, v) in enumerate(zip(values, verdicts, strict=True)):
        n = first + i
        for col, c in enumerate(cols):
            value = row_values.get(c.key)
            if c.kind == "link" and value and i < S.MAX_LINKS:
                ws.write_url(n, col, "external:" + value, formats.link, string=value)
            else:
                colour = VERDICT_COLOURS.get(v) if c.key == "verdict" and v else None
                _write(ws, n, col, value, formats.cell(c.kind, wrap=c.wrap, colour=colour))
        _grow(ws, n, [(row_values.get(c.key), w) for c, w in zip(cols, widths, strict=True) if c.wrap])
    last = first + len(values)  # the county total's row
    if not rows:
        S.write_text(ws, last, at["dept"], tr("sum_none", lang), formats.plain)
        _page(ws, heading[0], lang, repeat=(0, HEADER_ROW))
        return name, at
    else:
        total = county_total([r for _, r in rows], lang)
        for col, c in enumerate(cols):
            _write(ws, last, col, total.get(c.key), formats.cell(c.kind, total=True))
        ws.autofilter(HEADER_ROW, 0, last - 1, len(cols) - 1)
        _conditional_formats(ws, formats, at, first, last - 1, lang)
    for n, text in enumerate([provenance_line(None, ruleset, lang), *checks_lines(choices, lang)], start=last + 2):
        S.write_text(ws, n, at["dept"], text, formats.plain)
    _page(ws, heading[0], lang, repeat=(0, HEADER_ROW), wide=2 if sum(widths) > 250 else 1)
    ws.repeat_columns(0, at["dept"])
    ws.print_area(0, 0, last + 2 + len(checks_lines(choices, lang)), len(cols) - 1)
    return name, at


def _conditional_formats(ws: Worksheet, formats: _Formats, at: dict[str, int], first: int, last: int,
                         lang: str) -> None:
    """The over-claim first (Excel applies rules in order and a stop-if-true band would hide it): 自评 − 重算
    above the score tolerance, and the self-score above the recomputed one, in bold red.  Then errors red,
    warnings orange, scores and grades by band."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    over = xl_rowcol_to_cell(first, at["over_claim"], col_abs=True)
    ws.conditional_format(first, at["over_claim"], last, at["over_claim"], {
        "type": "formula", "criteria": f"=AND(ISNUMBER({over}),{over}>{SCORE_TOLERANCE})",
        "format": formats.over_claimed, "stop_if_true": True})
    own, recomputed = (xl_rowcol_to_cell(first, at[k], col_abs=True) for k in ("self_score", "recomputed_score"))
    ws.conditional_format(first, at["self_score"], last, at["self_score"], {
        "type": "formula",
        "criteria": f"=AND(ISNUMBER({own}),ISNUMBER({recomputed}),{own}-{recomputed}>{SCORE_TOLERANCE})",
        "format": formats.over_claimed, "stop_if_true": True})
    for key, colour in (("errors", RED), ("warnings", ORANGE)):
        ws.conditional_format(first, at[key], last, at[key],
                              {"type": "cell", "criteria": ">", "value": 0, "format": formats.colours[colour]})
    for key in ("self_score", "recomputed_score"):
        cell = xl_rowcol_to_cell(first, at[key], col_abs=True)
        floors = [floor for floor, _ in GRADE_FLOORS]
        bands = [f">={floor}" for floor in floors] + [f"<{floors[-1]}"]
        # Excel applies the first matching rule; ISNUMBER keeps blank scores uncoloured.
        for band, colour in zip(bands, GRADE_COLOURS, strict=True):
            ws.conditional_format(first, at[key], last, at[key], {
                "type": "formula", "criteria": f"=AND(ISNUMBER({cell}),{cell}{band})",
                "format": formats.colours[colour], "stop_if_true": True})
    for key in ("self_grade", "recomputed_grade"):
        for grade, colour in zip(GRADES, GRADE_COLOURS, strict=True):
            ws.conditional_format(first, at[key], last, at[key], {
                "type": "cell", "criteria": "==", "value": f'"{render.grade(grade, lang)}"',
                "format": formats.colours[colour]})


CHART_ROW_PX, CHART_COL_PX = 20, 64  # default row height and column width in pixels


def _charts_sheet(wb: Workbook, formats: _Formats, table: tuple[str, dict[str, int]], records: list[FileRecord],
                  lang: str, heading: str) -> None:
    """Grade counts (COUNTIF of the 汇总 grade columns, stored with their values) and two native charts, inside
    the print area."""
    from xlsxwriter.utility import xl_range_abs

    n = len(records)
    if not n:
        return
    summary, at = table
    ws = wb.add_worksheet(_w("sheet_charts", lang))
    _header(ws, formats, 0, ["grade", "self_grade", "recomputed_grade"], [8, 12, 12], lang)
    ws.freeze_panes(1, 0)
    quoted = "'{}'".format(summary.replace("'", "''"))
    first, last = HEADER_ROW + 1, HEADER_ROW + n
    counts = []
    for i, grade in enumerate(GRADES, start=1):
        shown = render.grade(grade, lang)
        S.write_text(ws, i, 0, shown, formats.top)
        for col, key in ((1, "self_grade"), (2, "recomputed_grade")):
            grades = f"{quoted}!{xl_range_abs(first, at[key], last, at[key])}"
            counts.append(sum(1 for r in records if r.scores and getattr(r.scores, key) == grade))
            ws.write_formula(i, col, f'=COUNTIF({grades},"{shown}")', formats.cell("count"), counts[-1])
    chart = wb.add_chart({"type": "column"})
    for col, colour in ((1, "#A5A5A5"), (2, "#4472C4")):
        chart.add_series({"name": [ws.name, 0, col], "categories": [ws.name, 1, 0, len(GRADES), 0],
                          "values": [ws.name, 1, col, len(GRADES), col], "fill": {"color": colour},
                          "data_labels": {"value": True}})
    chart.set_title({"name": _w("chart_grades", lang)})
    # Whole departments (Excel's own steps go by 0.5 for a few), about 8 steps at most for a large county.
    step = max(1, -(-max(counts, default=0) // 8))
    chart.set_y_axis({"min": 0, "major_unit": step, "major_gridlines": {"visible": True}})
    chart.set_size({"width": 560, "height": 320})
    ws.insert_chart(1, 4, chart)
    bottom, right = 1 + 320 // CHART_ROW_PX, 4 + 560 // CHART_COL_PX
    if any(r.ratio("sangong_rate") != (None, None) for r in records):
        bars = wb.add_chart({"type": "bar"})
        for key, colour in (("sangong_budget", "#A5A5A5"), ("sangong_actual", "#ED7D31")):
            bars.add_series({"name": [summary, HEADER_ROW, at[key]],
                             "categories": [summary, first, at["dept"], last, at["dept"]],
                             "values": [summary, first, at[key], last, at[key]], "fill": {"color": colour}})
        bars.set_title({"name": _w("chart_sangong", lang)})
        bars.set_y_axis({"reverse": True})  # the category axis of a bar chart: first (best) department on top
        bars.set_x_axis({"min": 0, "num_format": "#,##0.00"})
        bars.set_legend({"position": "top"})
        height = max(320, 60 + 24 * n)
        bars.set_size({"width": 720, "height": height})
        ws.insert_chart(18, 4, bars)
        bottom, right = 18 + math.ceil(height / CHART_ROW_PX), max(right, 4 + math.ceil(720 / CHART_COL_PX))
    _page(ws, heading, lang, repeat=(0, 0))
    ws.print_area(0, 0, bottom + 1, right + 1)


def _errors_sheet(wb: Workbook, formats: _Formats, records: list[FileRecord], links: dict[int, str],
                  lang: str, heading: str) -> None:
    """Every error of every department, in ranking order; the cell links into the checked copy."""
    ws = wb.add_worksheet(_w("sheet_errors", lang))
    widths = [_fit([r.department for r in records], 16), _fit([r.path for r in records], 20), 8, 12, 8, 90]
    _header(ws, formats, 0, ["dept", "file", "code", "sheet", "cell", "message"], widths, lang)
    ws.freeze_panes(1, 0)
    row = 0
    for record in records:
        for f in record.findings:
            if f["severity"] != Severity.ERROR.value:
                continue
            row += 1
            where = f["location"] or {}
            sheet = where.get("sheet") or ""
            for col, value in enumerate((record.department, record.path, f["code"], sheet)):
                S.write_text(ws, row, col, value, formats.wrap if col < 2 else formats.top)
            cell = (where.get("cell") or "").split(":")[0].replace("$", "")
            link = links.get(id(record))
            if link and sheet and cell and row <= S.MAX_LINKS:
                ws.write_url(row, 4, f"external:{link}#{_cell_anchor(sheet, cell)}", formats.link, string=cell)
            else:
                S.write_text(ws, row, 4, cell, formats.top)
            S.write_text(ws, row, 5, f["message"], formats.wrap)
            _grow(ws, row, [(record.department, widths[0]), (record.path, widths[1]), (f["message"], widths[5])])
    if row:
        ws.autofilter(0, 0, row, 5)
    _page(ws, heading, lang, repeat=(0, 0))


def _unreadable_sheet(wb: Workbook, formats: _Formats, records: list[FileRecord], lang: str, heading: str) -> None:
    """Every file that was not checked: unreadable (why) or left alone (why), so the batch accounts for all."""
    ws = wb.add_worksheet(_w("sheet_unreadable", lang))
    widths = [_fit([r.path for r in records], 30), 10, 90]
    _header(ws, formats, 0, ["file", "status", "reason"], widths, lang)
    ws.freeze_panes(1, 0)
    for row, record in enumerate(records, start=1):
        reason = _reason(record, lang)
        S.write_text(ws, row, 0, record.path, formats.wrap)
        S.write_text(ws, row, 1, tr("verdict_unreadable" if record.error else "status_skipped", lang), formats.top)
        S.write_text(ws, row, 2, reason, formats.wrap)
        _grow(ws, row, [(record.path, widths[0]), (reason, widths[2])])
    _page(ws, heading, lang, repeat=(0, 0))
