"""One checked workbook as the county dataset's rows: plain Python values, made in the worker that checked
it (so no Book crosses a process boundary) and turned into DataFrames by ``outputs.dataset``.

Money is exact decimal text in 万元 (a 元 workbook's amounts ÷ 10000, exact); rates, shares and scores
are numbers (``float``: not money, shown to at most 4 places); words and dates as text.  Every key is
the layout's ``CellRef.key`` (``finance.income.fiscal.amount``), the same for every file, so the
columns do not depend on which files a folder holds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaltool.workbook import layout as L
from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import Bound

if TYPE_CHECKING:
    from evaltool.checker import Result
    from evaltool.derive import Derived
    from evaltool.model import Book

MONEY = (Kind.MONEY, Kind.SIGNED_MONEY)
FIGURE_SHEETS = tuple(s for s in L.DATA_SHEETS if s is not L.TEXTS)  # 文字说明 is words, not figures
TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")
# Figures the county summary compares with last year (--prior, --prior-dir), as (name, CellRef key).
PRIOR_FIGURES = (
    ("income_total", "finance.income.total.amount"),
    ("expense_total", "finance.expense.total.amount"),
    ("sangong_actual", "costs.sangong.total.actual"),
)


def money_text(value: Decimal | None, unit: str) -> str | None:
    """Exact decimal text in 万元, at least to the cent: 2369.93 (万元) → "2369.93", 18 → "18.00",
    23699300 (元) → "2369.93", 12345.67 (元) → "1.234567" (nothing rounded away)."""
    if value is None:
        return None
    wan = (value / TEN_THOUSAND if unit == "元" else value).normalize()
    return format(wan if -wan.as_tuple().exponent >= 2 else wan.quantize(CENT), "f")


def _value(cell: Any, kind: Kind, unit: str) -> Any:
    if cell is None or not cell.ok:
        return None
    v = cell.value
    if isinstance(v, Bound):
        v = v.value
    if kind in MONEY and isinstance(v, Decimal):
        return money_text(v, unit)
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v if isinstance(v, (int, str)) else str(v)


def figure_keys() -> list[tuple[str, tuple[str, str, str, str], Kind]]:
    """(column, cell key, kind) of every figure of the layout's fixed tables and list footers."""
    out = []
    for sheet in FIGURE_SHEETS:
        for table in sheet.tables:
            rows = table.rows if isinstance(table, L.Grid) else table.footer
            for row in rows:
                cols = table.cells(row) if isinstance(table, L.Grid) else table.footer_cells(row)
                for col in cols:
                    key = (sheet.key, table.key, row.key, col.key)
                    out.append((".".join(key), key, table.kind(row, col)))
    return out


def figures(book: Book) -> dict[str, Any]:
    """Every figure as typed (a blank total its parts determine stays blank here: the inputs)."""
    return {name: _value(book.cells.get(key), kind, book.unit) for name, key, kind in figure_keys()}


def ratios(derived: Derived, unit: str) -> dict[str, Any]:
    """Every recomputed figure of the fixed tables (per-record ones are in the long tables)."""
    out: dict[str, Any] = {}
    for r in derived.ratios:
        if "[" in r.key:
            continue
        v = r.value
        out[f"ratio.{r.key}"] = money_text(v, unit) if r.group.difference else None if v is None else float(v)
    return out


def _number(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def projects(book: Book, derived: Derived) -> list[dict[str, Any]]:
    """专项资金, one row per project: amounts, stated and recomputed 拨付率, status."""
    rates = {r.item.record: r.value for r in derived.ratios if r.group.key == "fund_rate"}
    out = []
    for rec in book.list("funds", "funds"):
        name = rec["name"].ref.record
        typed = rec["name"].value  # the whole name, as typed (``Cell.text`` is cut for messages)
        out.append({"project": typed if isinstance(typed, str) else name, "row": rec.row,
                    "remark": _value(rec["remark"], Kind.TEXT, ""),
                    "budget": money_text(rec["budget"].number, book.unit),
                    "paid": money_text(rec["paid"].number, book.unit),
                    "rate_stated": _value(rec["rate"], Kind.PERCENT, book.unit), "rate": _number(rates.get(name)),
                    "status": _value(rec["status"], Kind.CHOICE, book.unit)})
    return out


def indicators(derived: Derived) -> list[dict[str, Any]]:
    """自评评分表, one row per rule-set indicator: weight, self-score, recomputed score, the figure scored on."""
    return [{"level1": line.indicator.level1, "level2": line.indicator.level2, "level3": line.indicator.level3,
             "method": line.indicator.method, "weight": float(line.indicator.weight),
             "self_score": _number(line.self_score), "recomputed_score": _number(line.recomputed),
             "figure": None if line.figure is None else line.figure.key,
             "figure_value": None if line.figure is None else _number(line.figure.value)}
            for line in derived.score.lines]


def prior(derived: Derived) -> dict[str, Any]:
    """Last year's headline figures (``PRIOR_FIGURES`` and the recomputed score); None without a prior, so
    every file has the same columns."""
    out: dict[str, Any] = dict.fromkeys(["prior.file", *(f"prior.{name}" for name, _ in PRIOR_FIGURES),
                                         "prior.recomputed_total"])
    if derived.prior is None:
        return out
    out["prior.file"] = derived.prior.book.path
    last = derived.prior.derived.book or derived.prior.book
    for name, key in PRIOR_FIGURES:
        cell = last.cells.get(tuple(key.split(".")))  # type: ignore[arg-type]
        out[f"prior.{name}"] = money_text(cell.number if cell else None, last.unit)
    out["prior.recomputed_total"] = _number(derived.prior.derived.score.recomputed_total)
    return out


def rows(result: Result) -> dict[str, Any] | None:
    """The file's figures, recomputed figures, scores and long tables; None when it was not read."""
    book, derived = result.book, result.derived
    if book is None or derived is None:
        return None
    report = derived.score
    file = {**figures(book), **ratios(derived, book.unit),
            "self_total": _number(report.claimed_total) if report.scored else None,
            "recomputed_total": _number(report.recomputed_total),
            "self_grade": report.self_grade if report.scored else None,
            "recomputed_grade": report.recomputed_grade}
    file.update(prior(derived))
    return {"file": file, "projects": projects(book, derived), "indicators": indicators(derived)}
