"""Every derived figure of DOMAIN §4, recomputed from inputs only.

The figures are data: ``SPECS`` lists each one by typed cell references.  A ``Ratio``
pairs the recomputed figure with the officer's stated cell (if the template has one);
``derive`` computes them once per workbook for the checks, the scoring and every output.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from evaltool.findings import Formula, Phrase, Quantity, Unit, money
from evaltool.model import Book, Cell, CellRef
from evaltool.workbook import layout as L
from evaltool.workbook.numbers import Measure


@dataclass(frozen=True)
class Group:
    """A kind of derived figure; its name is ``ratio.<key>`` in the catalogue, its rule's text ``code``."""

    key: str
    code: str  # the rule checking the stated figures; "" when nothing is stated (shown only)
    difference: bool = False  # num − den in money instead of num ÷ den


@dataclass(frozen=True, slots=True)  # slots: one per project of a 50,000-row list
class Ratio:
    group: Group
    key: str  # stable, e.g. "income_share.fiscal"
    item: CellRef  # the row or record it is about (column left open): named "<item>占比" by the catalogue
    stated: Cell | None
    inputs: tuple[Cell, ...]  # numerator and denominator cells, for messages
    num: Decimal | None
    den: Decimal | None
    basis: str | None = None  # the sum (code) whose total is the denominator
    # Denominators an officer is likely to have used by mistake (收入总计, the parent row, 年初预算数),
    # each with the word naming the slip: a stated figure that matches one of them says which.
    alts: tuple[tuple[str, Cell], ...] = ()
    approximate: bool = False  # an input was written as a bound ("大于90%")

    @property
    def name(self) -> Phrase:
        """As 核查汇总 and messages name it: 财政拨款收入占比."""
        return Phrase(f"ratio.{self.group.key}", {"item": self.item})

    @property
    def value(self) -> Decimal | None:
        if self.num is None or self.den is None:
            return None
        if self.group.difference:
            return self.num - self.den
        return self.num / self.den if self.den != 0 else None


GROUPS: dict[str, Group] = {
    g.key: g
    for g in (
        Group("income_share", "SHR01"),
        Group("expense_share", "SHR02"),
        Group("exec_rate", "EXE01"),
        Group("carry_rate", "CAR01"),
        Group("office_rate", "CST01"),
        Group("office_diff", "CST02", difference=True),
        Group("sangong_rate", "CST03"),
        Group("fund_rate", "FND01"),
        Group("asset_rate", "AST01"),
        Group("goal_rate", "GOL01"),
        Group("sangong_change", ""),
    )
}


@dataclass(frozen=True)
class RatioSpec:
    """One derived figure as data: ``num`` ÷ ``den`` (or − for a difference), checked against ``stated``."""

    group: str
    key: str
    item: CellRef  # the row it is about
    num: CellRef
    den: CellRef
    stated: CellRef | None = None
    basis: str | None = None  # the sum (code) its denominator is the total of
    alts: tuple[tuple[str, CellRef], ...] = ()  # likely wrong denominators (see ``Ratio.alts``)


@dataclass(frozen=True)
class ListRatioSpec:
    """The same figure for every record of a list table (e.g. each project's 拨付率)."""

    group: str
    sheet: str
    table: str
    num: str
    den: str
    stated: str


def _ref(sheet: str, table: str, row: str, col: str = "") -> CellRef:
    return CellRef(sheet, table, row, col)


def _parents(table: str) -> dict[str, str]:
    """Each 其中 row of a finance table with the row it is part of (一般公共预算财政拨款 → 财政拨款收入)."""
    out, parent = {}, ""
    for row in L.FINANCE.table(table).rows:  # type: ignore[union-attr]
        if row.level == 0:
            parent = row.key
        else:
            out[row.key] = parent
    return out


def _shares(group: str, table: str, basis: str) -> tuple[RatioSpec, ...]:
    """Each row's share of the year's total; likely slips: a share of the grand total (总计) or, for a
    其中 row, of the row it is part of."""
    parents = _parents(table)
    grand = _ref("finance", table, "grand", "amount")
    return tuple(
        RatioSpec(
            group,
            f"{group}.{row.key}",
            _ref("finance", table, row.key),
            _ref("finance", table, row.key, "amount"),
            _ref("finance", table, "total", "amount"),
            _ref("finance", table, row.key, "share"),
            basis,
            (("grand", grand),) + ((("parent", _ref("finance", table, parents[row.key], "amount")),)
                                   if row.key in parents else ()),
        )
        for row in L.FINANCE.table(table).rows  # type: ignore[union-attr]
        if row.cols is None
    )


def _by_row(group: str, sheet: L.Sheet, table: str, num: str, den: str, stated: str | None,
            alt: str | None = None) -> tuple[RatioSpec, ...]:
    """``num`` ÷ ``den`` on every row; ``alt``: a column an officer may divide by instead (年初预算数)."""
    return tuple(
        RatioSpec(
            group,
            f"{group}.{row.key}",
            _ref(sheet.key, table, row.key),
            _ref(sheet.key, table, row.key, num),
            _ref(sheet.key, table, row.key, den),
            _ref(sheet.key, table, row.key, stated) if stated else None,
            alts=(("initial", _ref(sheet.key, table, row.key, alt)),) if alt else (),
        )
        for row in sheet.table(table).rows  # type: ignore[union-attr]
    )


_ASSETS = ("assets", "assets")
# Every derived figure of a fixed table, in the order 核查汇总 lists them.
SPECS: tuple[RatioSpec | ListRatioSpec, ...] = (
    *_shares("income_share", "income", "SUM01"),
    *_shares("expense_share", "expense", "SUM04"),
    *_by_row("exec_rate", L.EXECUTION, "budget", "actual", "adjusted", "exec_rate", alt="initial"),
    *_by_row("carry_rate", L.EXECUTION, "budget", "carryover", "adjusted", "carry_rate", alt="initial"),
    *_by_row("office_rate", L.COSTS, "office", "final", "budget", "rate"),
    *_by_row("office_diff", L.COSTS, "office", "final", "budget", "diff"),
    *_by_row("sangong_rate", L.COSTS, "sangong", "actual", "budget", "rate"),
    ListRatioSpec("fund_rate", "funds", "funds", "paid", "budget", "rate"),
    RatioSpec(
        "fund_rate",
        "fund_rate.total",
        _ref("funds", "funds", "total"),
        _ref("funds", "funds", "total", "paid"),
        _ref("funds", "funds", "total", "budget"),
        _ref("funds", "funds", "total", "rate"),
    ),
    RatioSpec(
        "asset_rate",
        "asset_rate",
        _ref(*_ASSETS, "utilization"),
        _ref(*_ASSETS, "fixed_in_use", "value"),
        _ref(*_ASSETS, "fixed_total", "value"),
        _ref(*_ASSETS, "utilization", "value"),
    ),
)


def _get(book: Book, ref: CellRef) -> Cell:
    return book.cell(ref.sheet, ref.table, ref.row, ref.col)


def compute(book: Book) -> Iterator[Ratio]:
    """Every derived figure of ``book``, in the order 核查汇总 lists them (``derive`` calls this once)."""
    for spec in SPECS:
        if isinstance(spec, ListRatioSpec):
            group = GROUPS[spec.group]
            for rec in book.list(spec.sheet, spec.table):
                num, den = rec[spec.num], rec[spec.den]
                item = num.line
                yield Ratio(
                    group, f"{spec.group}[{item.record}]", item, rec[spec.stated], (num, den), num.number, den.number
                )
            continue
        num, den = _get(book, spec.num), _get(book, spec.den)
        alts = tuple((word, _get(book, ref)) for word, ref in spec.alts)
        stated = _get(book, spec.stated) if spec.stated is not None else None
        yield Ratio(
            GROUPS[spec.group], spec.key, spec.item, stated, (num, den), num.number, den.number, spec.basis, alts
        )
    yield from _goal_rates(book)
    yield from _sangong_changes(book)


def _sangong_changes(book: Book) -> Iterator[Ratio]:
    """本年 − 上年 over 上年, shown in 核查汇总 only (nothing is stated)."""
    for row in L.COSTS.table("sangong").rows:  # type: ignore[union-attr]
        actual = book.cell("costs", "sangong", row.key, "actual")
        last = book.cell("costs", "sangong", row.key, "last_year")
        change = None if actual.number is None or last.number is None else actual.number - last.number
        yield Ratio(
            GROUPS["sangong_change"],
            f"sangong_change.{row.key}",
            _ref("costs", "sangong", row.key),
            None,
            (actual, last),
            change,
            last.number,
        )


def _measure(cell: Cell) -> tuple[Decimal | None, bool]:
    v = cell.value
    if isinstance(v, Measure):
        return v.value, v.op is not None
    return None, False


def _goal_rates(book: Book) -> Iterator[Ratio]:
    group = GROUPS["goal_rate"]
    for rec in book.list("goals", "goals"):
        direction = rec["direction"].value
        if direction not in ("≥", "≤", "="):
            continue
        target, t_bound = _measure(rec["target"])
        actual, a_bound = _measure(rec["actual"])
        num, den = (target, actual) if direction == "≤" else (actual, target)
        cells = (rec["target"], rec["actual"]) if direction == "≤" else (rec["actual"], rec["target"])
        item = rec["rate"].line
        yield Ratio(
            group,
            f"goal_rate[{item.record}]",
            item,
            rec["rate"],
            cells,
            num,
            den,
            approximate=t_bound or a_bound,
        )


def goal_kind(book: Book, ratios: Iterable[Ratio], kind: str) -> list[Ratio]:
    """The completion ratios of the 绩效目标 rows of one kind (产出, 效益, 满意度), in sheet order."""
    by_record = {r.item.record: r for r in ratios if r.group.key == "goal_rate"}
    rows = [rec for rec in book.list("goals", "goals") if rec["level1"].value == kind]
    return [by_record[rec["rate"].ref.record] for rec in rows if rec["rate"].ref.record in by_record]


def formula(ratio: Ratio, unit: str) -> Formula:
    """num ÷ den (or num − den) as typed quantities: money in the workbook's unit, else plain numbers."""
    op = "−" if ratio.group.difference else "÷"
    is_money = ratio.inputs[0].kind in (L.Kind.MONEY, L.Kind.SIGNED_MONEY)

    def q(v: Decimal | None) -> Quantity:
        return money(v, unit) if is_money else Quantity(v, Unit.COUNT)  # type: ignore[arg-type]

    return Formula(q(ratio.num), op, q(ratio.den))


CHECKED_GROUPS = tuple(k for k, g in GROUPS.items() if g.code)
