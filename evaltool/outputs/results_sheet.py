"""核查结果: one row per finding (its columns are ``layout.RESULTS_COLUMNS``): its state, the cell as a
hyperlink, the figures as numbers with their number formats and the unit in its own column; 单位说明 the
officer fills to explain a warning, 审核结论 (a drop-down) and 审核意见 for the 财政局, all unlocked and
carried over by a re-check through the hidden 编号 (the finding's id) and 数据摘要 (its figures' digest).
Written with xlsxwriter into the package of ``added_sheets``."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltool.checker import Result, digest
from evaltool.findings import Finding, Quantity, State, Unit
from evaltool.outputs.marks import coord, fixed_note
from evaltool.outputs.styles import FILL_EXPLAIN, FILL_FIXED, MAX_LINKS, SEVERITY_FILL, Formats, print_setup, write_text
from evaltool.text import render
from evaltool.text.catalogue import WORDS, tr
from evaltool.width import display_width
from evaltool.workbook import layout as L

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

C = L.RESULTS_COLUMN
MESSAGE = C["message"]
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


def state_word(result: Result, f: Finding, lang: str) -> str:
    """已说明的提示 / 未说明的提示 / …; an explanation whose figures changed says so."""
    state = result.state(f)
    if state is State.UNEXPLAINED and f.id in result.reopened:
        return tr("state_reopened", lang)
    return tr(f"state_{state.value}", lang)


def write(wb: Workbook, formats: Formats, result: Result, lang: str, fixed: set[int],
          sheet_names: Collection[str], heading: str) -> None:
    """The sheet, added to ``wb``; ``fixed`` holds the ids of the findings --fix corrected; a finding's
    cell links into its sheet when ``sheet_names`` has it."""
    findings = result.findings
    ws = wb.add_worksheet(tr("results_sheet", lang))
    for col, column in enumerate(L.RESULTS_COLUMNS):
        ws.write_string(0, col, column.header_in(lang), formats.header)
        ws.set_column(col, col, column.width, None, {"hidden": True} if column.hidden else {})
    top = formats.get(valign="top")
    wrap = formats.get(valign="top", text_wrap=True)
    entry = formats.get(valign="top", text_wrap=True, bg_color=f"#{FILL_EXPLAIN}", locked=False)
    links = 0
    for row, f in enumerate(findings, start=1):
        message = render.message(f, lang)
        if id(f) in fixed:
            message = f"{fixed_note(f, lang)} {message}"
        cell = coord(f.cell) if f.cell else ""
        write_text(ws, row, C["code"], f.code, top)
        write_text(ws, row, C["severity"], render.severity(f.severity, lang),
                   formats.get(valign="top", bg_color=f"#{SEVERITY_FILL[f.severity]}"))
        if id(f) in fixed:  # 已更正 in the mark's green: not counted in this copy's 核查汇总
            write_text(ws, row, C["state"], tr("corrected", lang), formats.get(valign="top", bg_color=f"#{FILL_FIXED}"))
        else:
            write_text(ws, row, C["state"], state_word(result, f, lang), wrap)
        write_text(ws, row, C["sheet"], f.sheet or "", top)
        if f.sheet in sheet_names and _CELL.fullmatch(cell) and links < MAX_LINKS:
            target = f.sheet.replace("'", "''")
            ws.write_url(row, C["cell"], f"internal:'{target}'!{cell}", formats.link, string=cell)
            links += 1
        else:
            write_text(ws, row, C["cell"], cell, top)
        for key, q in (("stated", f.stated), ("recomputed", f.recomputed), ("difference", f.difference)):
            _quantity(ws, row, C[key], q, formats, lang)
        write_text(ws, row, C["unit"], unit_shown(f, lang), formats.get(valign="top", indent=1))
        write_text(ws, row, MESSAGE, message, wrap)
        review = result.reviews.get(f.id)
        conclusion = review.conclusion if review else None
        for key, text in (("explain", result.explanations.get(f.id) or result.reopened.get(f.id, "")),
                          ("review", L.REVIEW_CHOICES[conclusion][lang == "en"] if conclusion else ""),
                          ("review_note", review.note if review else "")):
            write_text(ws, row, C[key], text, entry)
        write_text(ws, row, C["id"], f.id, top)
        write_text(ws, row, C["digest"], digest(f), top)
        # Excel/WPS do not grow a row for wrapped text in a written file: size it here.
        width = L.RESULTS_COLUMNS[MESSAGE].width + 6  # half-width characters per line, roughly
        lines = sum(max(1, math.ceil(display_width(part) / width)) for part in message.split("\n"))
        if lines > 1:
            ws.set_row(row, 15 * lines)
    if findings:
        choices = [words[lang == "en"] for words in L.REVIEW_CHOICES.values()]
        ws.data_validation(1, C["review"], len(findings), C["review"],
                           {"validate": "list", "source": choices, "ignore_blank": True})
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(findings), C["review_note"])
    print_setup(ws, heading, lang)
