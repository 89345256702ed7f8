"""Single figures against their limits: budgets, last year, 90%, zero carry-over."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from evaltool.checks.base import finding, location, rule, skipped
from evaltool.derive import Derived
from evaltool.findings import Finding, Formula, Severity, money, percent
from evaltool.model import Book, Cell
from evaltool.sums import money_tolerance
from evaltool.workbook import layout as L

UTILIZATION_TARGET = Decimal("0.9")


def _over(actual: Cell, limit: Cell, unit: str, severity: Severity, key: str) -> Iterator[Finding]:
    """``actual`` above ``limit``: a finding on ``actual``; blank inputs skip with a note."""
    if actual.blank and limit.blank:
        return
    if actual.number is None or limit.number is None:
        note = skipped([actual, limit])
        if note:
            yield note
        return
    if actual.number > limit.number:
        yield finding(
            severity,
            actual,
            key,
            actual=money(actual.number, unit),
            limit=money(limit.number, unit),
            limit_label=limit.ref,
            difference=money(actual.number - limit.number, unit),
        )


@rule("LIM01", Severity.ERROR)
def sangong_over_budget(book: Book, derived: Derived) -> Iterator[Finding]:
    grid = L.COSTS.table("sangong")
    for row in grid.rows:
        c = lambda col, r=row: book.cell("costs", "sangong", r.key, col)  # noqa: E731
        yield from _over(c("actual"), c("budget"), book.unit, Severity.ERROR, "over_budget")


@rule("LIM02", Severity.WARNING)
def sangong_over_last_year(book: Book, derived: Derived) -> Iterator[Finding]:
    for row in L.COSTS.table("sangong").rows:
        actual = book.cell("costs", "sangong", row.key, "actual")
        last = book.cell("costs", "sangong", row.key, "last_year")
        if last.blank:
            continue  # 上年数 is optional
        yield from _over(actual, last, book.unit, Severity.WARNING, "over_last_year")


@rule("LIM03", Severity.WARNING)
def office_over_budget(book: Book, derived: Derived) -> Iterator[Finding]:
    yield from _over(
        book.cell("costs", "office", "office", "final"),
        book.cell("costs", "office", "office", "budget"),
        book.unit,
        Severity.WARNING,
        "over_budget",
    )


@rule("LIM04", Severity.ERROR)
def carryover_claimed_zero(book: Book, derived: Derived) -> Iterator[Finding]:
    for row in L.EXECUTION.table("budget").rows:
        rate = book.cell("execution", "budget", row.key, "carry_rate")
        if rate.number is None or rate.number != 0:
            continue
        held = [book.cell("execution", "budget", row.key, "carryover")]
        if row.key == "total":
            held.append(book.cell("finance", "expense", "carry_out", "amount"))
        for cell in held:
            if cell.number is not None and cell.number > 0:
                yield finding(
                    Severity.ERROR,
                    rate,
                    "carry_claimed_zero",
                    stated=percent(rate.number, rate.places),
                    amount_label=cell.ref,
                    amount_where=location(cell),
                    amount=money(cell.number, book.unit),
                )
                break


@rule("LIM05", Severity.WARNING)
def utilization_low(book: Book, derived: Derived) -> Iterator[Finding]:
    ratio = derived.ratio("asset_rate")
    stated = ratio.stated
    if ratio.value is not None:  # recomputed from the amounts
        if ratio.value < UTILIZATION_TARGET:
            yield finding(Severity.WARNING, ratio.inputs[0], "utilization_low", recomputed=percent(ratio.value, 2))
    elif stated is not None and stated.number is not None and stated.number < UTILIZATION_TARGET:
        # No amounts: the officer's own figure says it is low.
        yield finding(Severity.WARNING, stated, "utilization_low_stated", stated=percent(stated.number, stated.places))


@rule("LIM06", Severity.WARNING)
def asset_income_unpaid(book: Book, derived: Derived) -> Iterator[Finding]:
    due = book.cell("assets", "assets", "income_due", "value")
    paid = book.cell("assets", "assets", "income_paid", "value")
    if paid.number is not None and due.number is not None and paid.number < due.number:
        yield finding(
            Severity.WARNING,
            paid,
            "income_unpaid",
            actual=money(paid.number, book.unit),
            limit=money(due.number, book.unit),
            difference=money(due.number - paid.number, book.unit),
        )


@rule("LIM08", Severity.WARNING)
def fund_paid_over_budget(book: Book, derived: Derived) -> Iterator[Finding]:
    """A project paid more than its budget (and the 合计 row): a budget adjustment left out, or a slip."""
    rows = [(rec["paid"], rec["budget"]) for rec in book.list("funds", "funds")]
    rows.append((book.cell("funds", "funds", "total", "paid"), book.cell("funds", "funds", "total", "budget")))
    for paid, budget in rows:
        if paid.number is not None and budget.number is not None and paid.number > budget.number:
            yield finding(
                Severity.WARNING,
                paid,
                "over_budget_explain",
                actual=money(paid.number, book.unit),
                limit=money(budget.number, book.unit),
                limit_label=budget.ref,
                difference=money(paid.number - budget.number, book.unit),
            )


@rule("EXE02", Severity.WARNING)
def budget_less_spent_is_carryover(book: Book, derived: Derived) -> Iterator[Finding]:
    """全年预算数 − 全年执行数 = 年末结转结余 on each row of 预算执行 (a warning: carry-over from other
    sources, or funds taken back, can explain a difference)."""
    for row in L.EXECUTION.table("budget").rows:
        cell = lambda col, r=row.key: book.cell("execution", "budget", r, col)  # noqa: E731
        adjusted, actual, carryover = cell("adjusted"), cell("actual"), cell("carryover")
        if adjusted.number is None or actual.number is None or carryover.number is None:
            continue
        expected = adjusted.number - actual.number
        diff = carryover.number - expected
        if abs(diff) > money_tolerance([derived.tail(c) for c in (adjusted, actual, carryover)]):
            yield finding(
                Severity.WARNING,
                carryover,
                "carryover_not_balance",
                stated=money(carryover.number, book.unit),
                recomputed=money(expected, book.unit),
                difference=money(diff, book.unit),
                formula=Formula(money(adjusted.number, book.unit), "−", money(actual.number, book.unit)),
            )


@rule("LIM07", Severity.WARNING)
def no_stocktake(book: Book, derived: Derived) -> Iterator[Finding]:
    cell = book.cell("assets", "assets", "stocktake", "value")
    if cell.value == "否":
        yield finding(Severity.WARNING, cell, "no_stocktake")
