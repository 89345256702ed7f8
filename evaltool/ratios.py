"""Every derived figure of DOMAIN §4, recomputed from inputs only.

A ``Ratio`` pairs the recomputed figure with the officer's stated cell (if the
template has one), so the same objects feed the checks, the scoring and the
核查汇总 sheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from evaltool.model import Book, Cell
from evaltool.sums import SUMS, SumSpec
from evaltool.workbook import layout as L
from evaltool.workbook.numbers import Measure


@dataclass(frozen=True)
class Group:
    key: str
    code: str
    name: str
    name_en: str
    doc: str
    difference: bool = False  # num − den in money instead of num ÷ den


@dataclass(frozen=True)
class Ratio:
    group: Group
    key: str  # stable, e.g. "income_share.fiscal"
    label: str  # e.g. "财政拨款收入占比"
    stated: Cell | None
    inputs: tuple[Cell, ...]  # numerator and denominator cells, for messages
    num: Decimal | None
    den: Decimal | None
    basis: SumSpec | None = None  # the total the denominator comes from
    alt_den: Decimal | None = None  # a second accepted basis (收入总计)
    approximate: bool = False  # an input was written as a bound ("大于90%")

    @property
    def value(self) -> Decimal | None:
        if self.num is None or self.den is None:
            return None
        if self.group.difference:
            return self.num - self.den
        return self.num / self.den if self.den != 0 else None

    @property
    def formula(self) -> str:
        from evaltool.text.display import amount, plain

        if self.num is None or self.den is None:
            return ""
        op = "−" if self.group.difference else "÷"
        money = self.inputs[0].kind in (L.Kind.MONEY, L.Kind.SIGNED_MONEY)
        shown = amount if money else plain
        return f"{shown(self.num)} {op} {shown(self.den)}"


GROUPS: dict[str, Group] = {
    g.key: g
    for g in (
        Group(
            "income_share",
            "SHR01",
            "收入占比",
            "Revenue share",
            "收入各项占比 = 该项金额 ÷ 本年收入合计；按填报的小数位四舍五入后应一致。"
            "若与“÷ 收入总计”一致，说明口径用错，提示改用本年收入合计。本年收入合计不平时暂不核对。",
        ),
        Group(
            "expense_share",
            "SHR02",
            "支出占比",
            "Expenditure share",
            "支出各项占比 = 该项金额 ÷ 本年支出合计；按填报的小数位四舍五入后应一致。本年支出合计不平时暂不核对。",
        ),
        Group(
            "exec_rate",
            "EXE01",
            "预算执行率",
            "Budget execution rate",
            "预算执行率 = 全年执行数 ÷ 全年预算数（全年预算为调整后预算，不是年初预算）。",
        ),
        Group("carry_rate", "CAR01", "结转结余率", "Carry-over rate", "结转结余率 = 年末结转结余 ÷ 全年预算数。"),
        Group(
            "office_rate",
            "CST01",
            "公用经费控制率",
            "Office expense control rate",
            "公用经费（机关运行经费）控制率 = 决算数 ÷ 预算数。",
        ),
        Group(
            "office_diff",
            "CST02",
            "公用经费比预算增减",
            "Office expense vs budget",
            "机关运行经费比预算增减 = 决算数 − 预算数（负数为减少，可写作“减少 10.94”）。",
            difference=True,
        ),
        Group(
            "sangong_rate",
            "CST03",
            "“三公”经费控制率",
            "Three public expenses control rate",
            "“三公”经费控制率 = 实际支出数 ÷ 预算数，逐项及合计。",
        ),
        Group(
            "fund_rate",
            "FND01",
            "专项资金拨付率",
            "Special fund payment rate",
            "专项资金拨付率 = 拨付数 ÷ 预算数，逐项及合计。",
        ),
        Group(
            "asset_rate",
            "AST01",
            "固定资产利用率",
            "Fixed asset utilisation",
            "固定资产利用率 = 在用固定资产总额 ÷ 固定资产总额；填“≥90%”时核对重算值是否满足。",
        ),
        Group(
            "goal_rate",
            "GOL01",
            "绩效指标完成率",
            "Indicator completion rate",
            "指标完成率：方向“≥”为 实际 ÷ 目标，方向“≤”为 目标 ÷ 实际，“=”为 实际 ÷ 目标；"
            "显示不封顶（7 ÷ 6 = 116.7%），评分时封顶 100%。定性指标不计算。",
        ),
        Group(
            "sangong_change",
            "",
            "“三公”经费变动率",
            "Three public expenses change",
            "“三公”经费变动率 = (本年实际 − 上年实际) ÷ 上年实际（仅在核查汇总中列示）。",
        ),
    )
}

_SUM = {s.code: s for s in SUMS}


def _ratio(group: str, key: str, label: str, stated: Cell | None, num: Cell, den: Cell, **kw) -> Ratio:
    return Ratio(GROUPS[group], key, label, stated, (num, den), num.number, den.number, **kw)


def _grid_rows(book: Book, sheet: L.Sheet, table: str):
    grid = sheet.table(table)
    assert isinstance(grid, L.Grid)
    return grid.rows


def compute(book: Book, group: str) -> Iterator[Ratio]:
    """The ratios of one group, in workbook order."""
    cell = book.cell
    if group in ("income_share", "expense_share"):
        table = "income" if group == "income_share" else "expense"
        total = cell("finance", table, "total", "amount")
        alt = cell("finance", "income", "grand", "amount").number if table == "income" else None
        for row in _grid_rows(book, L.FINANCE, table):
            if row.cols is None:
                yield _ratio(
                    group,
                    f"{group}.{row.key}",
                    f"{row.label}占比",
                    cell("finance", table, row.key, "share"),
                    cell("finance", table, row.key, "amount"),
                    total,
                    basis=_SUM["SUM01" if table == "income" else "SUM04"],
                    alt_den=alt,
                )
    elif group in ("exec_rate", "carry_rate"):
        num_col, stated_col, what = (
            ("actual", "exec_rate", "执行率") if group == "exec_rate" else ("carryover", "carry_rate", "结转结余率")
        )
        for row in _grid_rows(book, L.EXECUTION, "budget"):
            yield _ratio(
                group,
                f"{group}.{row.key}",
                f"{row.label}{what}",
                cell("execution", "budget", row.key, stated_col),
                cell("execution", "budget", row.key, num_col),
                cell("execution", "budget", row.key, "adjusted"),
            )
    elif group in ("office_rate", "office_diff"):
        stated_col = "rate" if group == "office_rate" else "diff"
        yield _ratio(
            group,
            group,
            GROUPS[group].name,
            cell("costs", "office", "office", stated_col),
            cell("costs", "office", "office", "final"),
            cell("costs", "office", "office", "budget"),
        )
    elif group in ("sangong_rate", "sangong_change"):
        for row in _grid_rows(book, L.COSTS, "sangong"):
            actual = cell("costs", "sangong", row.key, "actual")
            if group == "sangong_rate":
                name = "“三公”经费合计" if row.key == "total" else row.label
                yield _ratio(
                    group,
                    f"{group}.{row.key}",
                    f"{name}控制率",
                    cell("costs", "sangong", row.key, "rate"),
                    actual,
                    cell("costs", "sangong", row.key, "budget"),
                )
            else:
                last = cell("costs", "sangong", row.key, "last_year")
                change = None if actual.number is None or last.number is None else actual.number - last.number
                yield Ratio(
                    GROUPS[group], f"{group}.{row.key}", f"{row.label}变动率", None, (actual, last), change, last.number
                )
    elif group == "fund_rate":
        for rec in book.list("funds", "funds"):
            name = rec["name"].value or f"第{rec.row}行"
            yield _ratio(group, f"{group}.row{rec.row}", f"{name}拨付率", rec["rate"], rec["paid"], rec["budget"])
        yield _ratio(
            group,
            f"{group}.total",
            "专项资金合计拨付率",
            cell("funds", "funds", "total", "rate"),
            cell("funds", "funds", "total", "paid"),
            cell("funds", "funds", "total", "budget"),
        )
    elif group == "asset_rate":
        yield _ratio(
            group,
            group,
            "固定资产利用率",
            cell("assets", "assets", "utilization", "value"),
            cell("assets", "assets", "fixed_in_use", "value"),
            cell("assets", "assets", "fixed_total", "value"),
        )
    elif group == "goal_rate":
        yield from _goal_rates(book)
    else:
        raise KeyError(group)


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
        name = rec["level3"].value or f"第{rec.row}行"
        yield Ratio(
            group,
            f"goal_rate.row{rec.row}",
            f"{name}完成率",
            rec["rate"],
            cells,
            num,
            den,
            approximate=t_bound or a_bound,
        )


def goal_kind(book: Book, kind: str) -> list[tuple[Cell, Ratio]]:
    """(一级指标 cell, completion ratio) of the 绩效目标 rows of one kind (产出, 效益, 满意度)."""
    by_row = {r.key: r for r in _goal_rates(book)}
    out = []
    for rec in book.list("goals", "goals"):
        ratio = by_row.get(f"goal_rate.row{rec.row}")
        if ratio is not None and rec["level1"].value == kind:
            out.append((rec["level1"], ratio))
    return out


CHECKED_GROUPS = tuple(k for k, g in GROUPS.items() if g.code)
