"""Totals and their parts (DOMAIN §2): exact, or off by no more than the rounding of the parts.

Each ``SumSpec`` is one 审核公式 of the form total = Σ parts.  Blank parts are lines
the department does not have (a 决算 table leaves them empty), so they count as
nothing as long as one part is given; a sum none of whose parts is given is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from evaltool.model import Book, Cell

# Each part rounded from 元 to 2 decimals is off by at most half a cent of the unit.
HALF_CENT = Decimal("0.005")


class SumStatus(Enum):
    OK = "ok"
    ROUNDING = "rounding"  # off within 0.005 × parts: a rounding note (warning)
    MISMATCH = "mismatch"  # error
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SumSpec:
    code: str
    name: str
    name_en: str
    sheet: str
    table: str
    total_row: str
    part_rows: tuple[str, ...] | None  # None: every record of the list table
    columns: tuple[str, ...]
    doc: str

    def pairs(self, book: Book) -> list[tuple[Cell, list[Cell]]]:
        """(total cell, part cells) for each column the sum applies to."""
        out = []
        for col in self.columns:
            total = book.cell(self.sheet, self.table, self.total_row, col)
            if self.part_rows is None:
                parts = [rec[col] for rec in book.list(self.sheet, self.table)]
            else:
                parts = [book.cell(self.sheet, self.table, row, col) for row in self.part_rows]
            out.append((total, parts))
        return out


@dataclass(frozen=True)
class SumResult:
    status: SumStatus
    total: Cell
    parts: tuple[Cell, ...]  # the parts that were given
    expected: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    unreadable: tuple[Cell, ...] = ()  # why it was skipped, when it was


def evaluate(total: Cell, parts: list[Cell]) -> SumResult:
    bad = tuple(c for c in (total, *parts) if not c.ok and not c.blank)
    given = tuple(p for p in parts if p.ok and p.number is not None)
    if bad or total.number is None or not given:
        return SumResult(SumStatus.SKIPPED, total, given, unreadable=bad)
    expected = sum((p.number for p in given), Decimal(0))
    diff = total.number - expected
    tol = HALF_CENT * len(given)
    if diff == 0:
        status = SumStatus.OK
    elif abs(diff) <= tol:
        status = SumStatus.ROUNDING
    else:
        status = SumStatus.MISMATCH
    return SumResult(status, total, given, expected, diff, tol)


_INCOME_PARTS = ("fiscal", "superior", "operation", "business", "affiliate", "other")

SUMS: tuple[SumSpec, ...] = (
    SumSpec(
        "SUM01",
        "本年收入合计",
        "Revenue total",
        "finance",
        "income",
        "total",
        _INCOME_PARTS,
        ("amount",),
        "本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入。",
    ),
    SumSpec(
        "SUM02",
        "财政拨款收入明细",
        "Fiscal appropriation breakdown",
        "finance",
        "income",
        "fiscal",
        ("fiscal_general", "fiscal_fund", "fiscal_soe"),
        ("amount",),
        "财政拨款收入 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款（填了明细时核对）。",
    ),
    SumSpec(
        "SUM03",
        "收入总计",
        "Revenue grand total",
        "finance",
        "income",
        "grand",
        ("total", "carry_in"),
        ("amount",),
        "收入总计 = 本年收入合计 + 年初结转和结余。",
    ),
    SumSpec(
        "SUM04",
        "本年支出合计",
        "Expenditure total",
        "finance",
        "expense",
        "total",
        ("basic", "project"),
        ("amount",),
        "本年支出合计 = 基本支出 + 项目支出。",
    ),
    SumSpec(
        "SUM05",
        "基本支出明细",
        "Basic expenditure breakdown",
        "finance",
        "expense",
        "basic",
        ("personnel", "public"),
        ("amount",),
        "基本支出 = 人员经费 + 公用经费（填了明细时核对）。",
    ),
    SumSpec(
        "SUM06",
        "支出总计",
        "Expenditure grand total",
        "finance",
        "expense",
        "grand",
        ("total", "carry_out"),
        ("amount",),
        "支出总计 = 本年支出合计 + 年末结转和结余。",
    ),
    SumSpec(
        "SUM07",
        "预算执行合计",
        "Budget execution total",
        "execution",
        "budget",
        "total",
        ("basic", "project"),
        ("initial", "adjusted", "actual", "carryover"),
        "预算执行表中，年度资金总额 = 基本支出 + 项目支出（年初预算数、全年预算数、全年执行数、年末结转结余各列）。",
    ),
    SumSpec(
        "SUM08",
        "“三公”经费合计",
        "Three public expenses total",
        "costs",
        "sangong",
        "total",
        ("abroad", "car_buy", "car_run", "reception"),
        ("budget", "actual", "last_year"),
        "“三公”经费合计 = 因公出国(境)费 + 公务用车购置费 + 公务用车运行维护费 + 公务接待费"
        "（预算数、实际支出数、上年实际支出数各列；公务用车购置及运行维护费两项都计入）。",
    ),
    SumSpec(
        "SUM09",
        "专项资金合计",
        "Special funds total",
        "funds",
        "funds",
        "total",
        None,
        ("budget", "paid"),
        "专项资金合计行的预算数、拨付数 = 各项目之和。",
    ),
)
