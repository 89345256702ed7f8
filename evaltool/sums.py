"""Totals and their parts (DOMAIN §2) as data: each ``SumSpec`` is one 审核公式 total = Σ parts.

Money sums are exact, or off by no more than the rounding of the parts (a warning).  Percentage
sums (a share that is the sum of its sub-shares) compare at the precision each figure is shown
with: within the rounding tails they agree, beyond they are an error.  Blank parts are lines the
department does not have (a 决算 table leaves them empty), so they count as nothing as long as
one part is given; a sum none of whose parts is given is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from evaltool.model import Book, Cell, CellRef

# Each part rounded from 元 to 2 decimals is off by at most half a cent of the unit.
HALF_CENT = Decimal("0.005")


class SumStatus(Enum):
    OK = "ok"
    ROUNDING = "rounding"  # off within the rounding tolerance: a rounding note (warning)
    MISMATCH = "mismatch"  # error
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SumSpec:
    """``total`` = Σ ``parts`` for each column of ``columns``: typed references with the column left open.

    ``parts`` of None: every record of the list table.  ``percent``: the figures are percentages.
    """

    code: str
    total: CellRef
    parts: tuple[CellRef, ...] | None
    columns: tuple[str, ...]
    percent: bool = False

    def pairs(self, book: Book) -> list[tuple[Cell, list[Cell]]]:
        """(total cell, part cells) for each column the sum applies to."""
        out = []
        for col in self.columns:
            total = book.cell(self.total.sheet, self.total.table, self.total.row, col)
            if self.parts is None:
                parts = [rec[col] for rec in book.list(self.total.sheet, self.total.table)]
            else:
                parts = [book.cell(p.sheet, p.table, p.row, col) for p in self.parts]
            out.append((total, parts))
        return out


@dataclass(frozen=True)
class SumResult:
    code: str
    status: SumStatus
    total: Cell
    parts: tuple[Cell, ...]  # the parts that were given
    expected: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    unreadable: tuple[Cell, ...] = ()  # why it was skipped, when it was
    percent: bool = False
    inputs: tuple[Cell, ...] = ()  # every part, given or not


def _half_unit(cell: Cell) -> Decimal:
    """Half a unit of the last place a percentage is shown with, as a fraction (81.32% → 0.00005)."""
    return Decimal(1).scaleb(-cell.places - 2) / 2


def evaluate(total: Cell, parts: list[Cell], code: str = "", percent: bool = False) -> SumResult:
    bad = tuple(c for c in (total, *parts) if not c.ok and not c.blank)
    given = tuple(p for p in parts if p.ok and p.number is not None)
    # A share is checked against its sub-shares only when all of them are stated.
    if bad or total.number is None or not given or (percent and len(given) < len(parts)):
        return SumResult(code, SumStatus.SKIPPED, total, given, unreadable=bad, percent=percent, inputs=tuple(parts))
    expected = sum((p.number for p in given), Decimal(0))
    diff = total.number - expected
    if percent:
        tol = _half_unit(total) + sum((_half_unit(p) for p in given), Decimal(0))
        status = SumStatus.OK if abs(diff) <= tol else SumStatus.MISMATCH
    else:
        tol = HALF_CENT * len(given)
        status = SumStatus.OK if diff == 0 else SumStatus.ROUNDING if abs(diff) <= tol else SumStatus.MISMATCH
    return SumResult(code, status, total, given, expected, diff, tol, percent=percent, inputs=tuple(parts))


def _rows(sheet: str, table: str, *rows: str) -> tuple[CellRef, ...]:
    return tuple(CellRef(sheet, table, row, "") for row in rows)


def _grid(code: str, sheet: str, table: str, total: str, parts: tuple[str, ...], *cols: str, percent: bool = False):
    return SumSpec(code, CellRef(sheet, table, total, ""), _rows(sheet, table, *parts), cols, percent)


_INCOME_PARTS = ("fiscal", "superior", "operation", "business", "affiliate", "other")

SUMS: tuple[SumSpec, ...] = (
    _grid("SUM01", "finance", "income", "total", _INCOME_PARTS, "amount"),
    _grid("SUM02", "finance", "income", "fiscal", ("fiscal_general", "fiscal_fund", "fiscal_soe"), "amount"),
    _grid("SUM03", "finance", "income", "grand", ("total", "carry_in"), "amount"),
    _grid("SUM04", "finance", "expense", "total", ("basic", "project"), "amount"),
    _grid("SUM05", "finance", "expense", "basic", ("personnel", "public"), "amount"),
    _grid("SUM06", "finance", "expense", "grand", ("total", "carry_out"), "amount"),
    _grid("SUM07", "execution", "budget", "total", ("basic", "project"), "initial", "adjusted", "actual", "carryover"),
    _grid(
        "SUM08",
        "costs",
        "sangong",
        "total",
        ("abroad", "car_buy", "car_run", "reception"),
        "budget",
        "actual",
        "last_year",
    ),
    SumSpec("SUM09", CellRef("funds", "funds", "total", ""), None, ("budget", "paid")),
    _grid("SUM10", "finance", "expense", "basic", ("personnel", "public"), "share", percent=True),
)
