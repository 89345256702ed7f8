"""Totals and their parts (DOMAIN §2) as data: each ``SumSpec`` is one 审核公式 total = Σ parts.

Blank means "not provided", never 0; 0 and "—" are how an officer says "none" and count as 0.
Rows form a hierarchy: a blank parent (财政拨款收入, 基本支出) whose sub-rows are given is their sum,
and so is a blank total whose parts are all given; the value is computed once and used by every
later sum, ratio and score (``derive``).  A sum whose parts are all given and do not match is an
error; one with some parts blank and a total above them is incomplete (a warning naming them).

Money sums are compared at the precision the figures are shown with: each figure rounded to its
last shown place is off by at most half a unit of that place, so a difference within the sum of
those halves is a rounding tail (warning), beyond it an error.  Percentage sums (a share that is
the sum of its sub-shares) compare the same way but a difference within the tails is no finding
(shares are rounded by nature).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import lru_cache

from evaltool.model import COMPUTED, Book, Cell, CellRef
from evaltool.workbook.numbers import Parsed, Status, format_decimals

# Each part rounded from 元 to 2 decimals is off by at most half a cent of the unit.
HALF_CENT = Decimal("0.005")


class SumStatus(Enum):
    OK = "ok"
    ROUNDING = "rounding"  # off within the rounding tails: a rounding note (warning)
    MISMATCH = "mismatch"  # every part given and the total does not match: error
    INCOMPLETE = "incomplete"  # does not match, but some parts are blank: warning naming them
    COMPUTED = "computed"  # the total was blank and is the sum of its parts (info)
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SumSpec:
    """``total`` = Σ ``parts`` for each column of ``columns``: typed references with the column left open.

    ``parts`` of None: every record of the list table.  ``percent``: the figures are percentages.
    ``parent``: the parts are a 其中 breakdown (sub-rows), so a blank total is computed from whichever
    of them are given (a 决算 table lists only the lines a department has); any other blank total is
    computed only when every part is given.
    """

    code: str
    total: CellRef
    parts: tuple[CellRef, ...] | None
    columns: tuple[str, ...]
    percent: bool = False
    parent: bool = False

    def pairs(self, book: Book, filled: Mapping[tuple[str, str, str, str], Cell] | None = None
              ) -> list[tuple[Cell, list[Cell]]]:
        """(total cell, part cells) for each column the sum applies to; ``filled`` overrides the book's
        cells with values computed earlier."""
        filled = filled or {}

        def get(ref: CellRef, col: str) -> Cell:
            key = (ref.sheet, ref.table, ref.row, col)
            return filled.get(key) or book.cells[key]

        out = []
        for col in self.columns:
            total = get(self.total, col)
            if self.parts is None:
                parts = [rec[col] for rec in book.list(self.total.sheet, self.total.table)]
            else:
                parts = [get(p, col) for p in self.parts]
            out.append((total, parts))
        return out

    def depends_on(self, other: SumSpec) -> bool:
        """Whether one of this sum's parts is ``other``'s total (so ``other`` is evaluated first)."""
        return any(p.sheet == other.total.sheet and p.table == other.total.table and p.row == other.total.row
                   for p in self.parts or ())


@dataclass(frozen=True)
class SumResult:
    code: str
    status: SumStatus
    total: Cell  # as read; for COMPUTED the filled-in cell
    parts: tuple[Cell, ...]  # the parts that were given
    expected: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    unreadable: tuple[Cell, ...] = ()  # why it was skipped, when it was
    percent: bool = False
    inputs: tuple[Cell, ...] = ()  # every part, given or not
    blank: tuple[Cell, ...] = ()  # the parts left blank (not provided)


def amount(cell: Cell) -> Decimal | None:
    """A money figure as a sum counts it: its number, 0 for "—"/"无" (none), None when blank or unreadable."""
    if cell.parsed.status is Status.PLACEHOLDER and not cell.no_cache:
        return Decimal(0)
    return cell.number


def given(cell: Cell) -> bool:
    return amount(cell) is not None


def is_blank(cell: Cell) -> bool:
    """Not provided: empty (a "—" is provided: it says "none")."""
    return cell.parsed.status is Status.BLANK and not cell.no_cache


def money_places(cell: Cell) -> int:
    """The last place a money figure is shown to: its number format's, or the digits typed.  A General cell
    drops trailing zeros (1.50 shows as 1.5), so only a whole number there says "whole 万元"."""
    places = cell.places
    if places and not isinstance(cell.raw, str) and _format_decimals(cell.number_format) is None:
        return max(places, 2)
    return places


# A workbook has a handful of number formats and a long list has one per cell: parse each format once.
_format_decimals = lru_cache(maxsize=512)(format_decimals)


def half_unit(cell: Cell) -> Decimal:
    """Half a unit of the last place a money figure is shown with: 2914.41 → 0.005, 2914 → 0.5."""
    return Decimal(1).scaleb(-money_places(cell)) / 2


def _percent_half(cell: Cell) -> Decimal:
    """Half a unit of the last place a percentage is shown with, as a fraction (81.32% → 0.00005)."""
    return Decimal(1).scaleb(-cell.places - 2) / 2


def money_tolerance(halves: Iterable[Decimal]) -> Decimal:
    """The largest difference rounding can explain between figures shown with these half units.

    Each figure is off by less than its half unit, so a difference is a rounding tail when below
    their sum.  Differences fall on the grid of the finest place shown (twice its half unit), and on
    that grid "below the sum" is "at most the sum less the finest half": 0.005 × n for n parts and a
    total shown to the cent, 0.5 + 0.005 × (n − 1) for a total in whole 万元 over parts to the cent.
    """
    halves = list(halves)
    return sum(halves, Decimal(0)) - min(halves)


Tail = Callable[[Cell], Decimal]


def evaluate(total: Cell, parts: list[Cell], code: str = "", percent: bool = False, parent: bool = False,
             tail: Tail | None = None) -> SumResult:
    """Check ``total`` = Σ ``parts``.  ``tail``: how far a money figure may be off through rounding
    (``half_unit``; ``Derived.tail`` also knows the figures it computed from parts)."""
    tail = tail or half_unit
    inputs = tuple(parts)
    if percent:
        return _percent_sum(total, parts, code)
    bad = tuple(c for c in (total, *parts) if not given(c) and not is_blank(c))
    have = tuple(p for p in parts if given(p))
    blank = tuple(p for p in parts if is_blank(p))
    if bad:
        return SumResult(code, SumStatus.SKIPPED, total, have, unreadable=bad, inputs=inputs, blank=blank)
    parts_sum = sum((amount(p) for p in have), Decimal(0))  # type: ignore[misc]
    stated = amount(total)
    if stated is None:  # blank: computed when its parts say what it is
        if have and (parent or not blank):
            tolerance = sum((tail(p) for p in have), Decimal(0))
            filled = computed_cell(total, parts_sum, max(p.places for p in have))
            return SumResult(code, SumStatus.COMPUTED, filled, have, parts_sum, tolerance=tolerance, inputs=inputs,
                             blank=blank)
        return SumResult(code, SumStatus.SKIPPED, total, have, inputs=inputs, blank=blank)
    if not have:
        return SumResult(code, SumStatus.SKIPPED, total, have, inputs=inputs, blank=blank)
    diff = stated - parts_sum
    tol = money_tolerance([tail(total), *(tail(p) for p in have)])
    if diff == 0:
        status = SumStatus.OK
    elif abs(diff) <= tol:
        status = SumStatus.ROUNDING
    else:
        # Blank parts can explain a total above its given parts (amounts are not negative), never one below.
        status = SumStatus.INCOMPLETE if blank and diff > 0 else SumStatus.MISMATCH
    return SumResult(code, status, total, have, parts_sum, diff, tol, inputs=inputs, blank=blank)


def _percent_sum(total: Cell, parts: list[Cell], code: str) -> SumResult:
    """A share against its sub-shares: checked only when all of them are stated, within the tails."""
    bad = tuple(c for c in (total, *parts) if not c.ok and not c.blank)
    have = tuple(p for p in parts if p.ok and p.number is not None)
    if bad or total.number is None or len(have) < len(parts):
        return SumResult(code, SumStatus.SKIPPED, total, have, unreadable=bad, percent=True, inputs=tuple(parts))
    expected = sum((p.number for p in have), Decimal(0))  # type: ignore[misc]
    diff = total.number - expected
    tol = _percent_half(total) + sum((_percent_half(p) for p in have), Decimal(0))
    status = SumStatus.OK if abs(diff) <= tol else SumStatus.MISMATCH
    return SumResult(code, status, total, have, expected, diff, tol, percent=True, inputs=tuple(parts))


def computed_cell(blank: Cell, value: Decimal, places: int) -> Cell:
    """The blank ``blank`` cell holding ``value`` computed from its parts (noted, so no rule takes it for typed)."""
    return Cell(
        sheet=blank.sheet, row=blank.row, col=blank.col, kind=blank.kind, line=blank.line, column=blank.column,
        parsed=Parsed(Status.OK, value, places, (COMPUTED,)), number_format=blank.number_format,
    )


def _rows(sheet: str, table: str, *rows: str) -> tuple[CellRef, ...]:
    return tuple(CellRef(sheet, table, row, "") for row in rows)


def _grid(code: str, sheet: str, table: str, total: str, parts: tuple[str, ...], *cols: str, percent: bool = False,
          parent: bool = False):
    return SumSpec(code, CellRef(sheet, table, total, ""), _rows(sheet, table, *parts), cols, percent, parent)


_INCOME_PARTS = ("fiscal", "superior", "operation", "business", "affiliate", "other")

SUMS: tuple[SumSpec, ...] = (
    _grid("SUM01", "finance", "income", "total", _INCOME_PARTS, "amount"),
    _grid("SUM02", "finance", "income", "fiscal", ("fiscal_general", "fiscal_fund", "fiscal_soe"), "amount",
          parent=True),
    _grid("SUM03", "finance", "income", "grand", ("total", "carry_in"), "amount"),
    _grid("SUM04", "finance", "expense", "total", ("basic", "project"), "amount"),
    _grid("SUM05", "finance", "expense", "basic", ("personnel", "public"), "amount", parent=True),
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


def evaluation_order(specs: tuple[SumSpec, ...] = SUMS) -> list[SumSpec]:
    """``specs`` with every sum after the sums whose totals it adds up (SUM02 before SUM01 …)."""
    done: list[SumSpec] = []

    def visit(spec: SumSpec) -> None:
        if spec in done:
            return
        for other in specs:
            if other is not spec and not other.percent and spec.depends_on(other):
                visit(other)
        done.append(spec)

    for spec in specs:
        visit(spec)
    return done
