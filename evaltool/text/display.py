"""How values appear in messages and output sheets: as the officer would write them, no float noise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltool.model import Cell
from evaltool.text.catalogue import tr
from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import Bound, Measure, format_percent

if TYPE_CHECKING:
    from evaltool.ratios import Ratio


def plain(d: Decimal) -> str:
    """A number as the officer typed it: 2369.93, 18, 3.6, -10.94."""
    s = format(d.normalize(), "f")
    return "0" if s in ("-0", "0") else s


def amount(d: Decimal) -> str:
    """Money as a finance officer writes it: at least two decimals (32.50, -10.94, 2914.41)."""
    places = max(2, -d.normalize().as_tuple().exponent)
    s = format(d.quantize(Decimal(1).scaleb(-places)), "f")
    return s[1:] if s.startswith("-") and not d else s


def percent(fraction: Decimal, decimals: int = 2) -> str:
    return format_percent(fraction, decimals)


def value(cell: Cell) -> str:
    """The cell's value as read, or its raw content when it could not be read."""
    v = cell.value
    if v is None:
        return "" if cell.raw is None else str(cell.raw)[:60]
    if isinstance(v, Bound):
        shown = percent(v.value, cell.parsed.decimals or 0) if cell.kind is Kind.PERCENT else plain(v.value)
        return f"{v.op}{shown}"
    if isinstance(v, Measure):
        return f"{v.op or ''}{plain(v.value)}{v.unit}"
    if isinstance(v, Decimal):
        if cell.kind is Kind.PERCENT:
            return percent(v, cell.parsed.decimals if cell.parsed.decimals is not None else 2)
        return amount(v) if cell.kind in (Kind.MONEY, Kind.SIGNED_MONEY) else plain(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def ratio_text(ratio: Ratio, lang: str = "zh") -> str:
    """A recomputed figure as 核查汇总 shows it: at the stated cell's precision (81.32%, 116.7%, 100%),
    2 decimals when nothing was stated; a difference as 减少 10.94 / 增加 …"""
    value = ratio.value
    if value is None:
        return tr("not_computable", lang)
    if ratio.group.difference:
        if value < 0:
            return tr("decrease", lang, v=amount(-value))
        if value > 0:
            return tr("increase", lang, v=amount(value))
        return "0"
    s = ratio.stated
    decimals = 2
    if s is not None and s.coord and s.ok and s.parsed.decimals is not None:
        decimals = s.parsed.decimals
    return percent(value, decimals)
