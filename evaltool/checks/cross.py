"""表间审核: figures that appear on two sheets must agree."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from evaltool.checks.base import finding, location, rule
from evaltool.derive import Derived
from evaltool.findings import Finding, Severity, money
from evaltool.model import Book, Cell
from evaltool.sums import amount, money_tolerance


def _same(a: Cell, b: Cell, derived: Derived, unit: str) -> Iterator[Finding]:
    """``a`` (reported on) must equal ``b``; a difference within the rounding of the two figures as shown
    (a half cent each, half a 万元 for one shown in whole 万元) is a rounding note."""
    x, y = amount(a), amount(b)
    if x is None or y is None or x == y:
        return
    diff = x - y
    rounding = abs(diff) <= money_tolerance([derived.tail(a), derived.tail(b)])
    yield finding(
        Severity.WARNING if rounding else Severity.ERROR,
        a,
        "cross_rounding" if rounding else "cross_mismatch",
        stated=money(x, unit),
        recomputed=money(y, unit),
        difference=money(diff, unit),
        other=b.ref,
        other_where=location(b),
    )


@rule("X01", Severity.ERROR)
def expenditure_vs_execution(book: Book, derived: Derived) -> Iterator[Finding]:
    yield from _same(
        book.cell("execution", "budget", "total", "actual"),
        book.cell("finance", "expense", "total", "amount"),
        derived,
        book.unit,
    )


@rule("X02", Severity.ERROR)
def basic_project_consistent(book: Book, derived: Derived) -> Iterator[Finding]:
    for row in ("basic", "project"):
        yield from _same(
            book.cell("execution", "budget", row, "actual"), book.cell("finance", "expense", row, "amount"), derived,
            book.unit,
        )


@rule("X05", Severity.ERROR)
def carryover_across_sheets(book: Book, derived: Derived) -> Iterator[Finding]:
    yield from _same(
        book.cell("execution", "budget", "total", "carryover"),
        book.cell("finance", "expense", "carry_out", "amount"),
        derived,
        book.unit,
    )


@rule("X03", Severity.WARNING)
def funds_within_projects(book: Book, derived: Derived) -> Iterator[Finding]:
    total = book.cell("funds", "funds", "total", "paid")
    paid = total.number
    if paid is None:
        rows = [r["paid"].number for r in book.list("funds", "funds") if r["paid"].number is not None]
        paid = sum(rows, Decimal(0)) if rows else None
    project = book.cell("finance", "expense", "project", "amount")
    if paid is not None and project.number is not None and paid > project.number:
        yield finding(
            Severity.WARNING,
            total if total.number is not None else project,
            "funds_exceed_projects",
            actual=money(paid, book.unit),
            limit=money(project.number, book.unit),
            limit_label=project.ref,
            difference=money(paid - project.number, book.unit),
        )


@rule("X04", Severity.WARNING)
def sangong_within_office(book: Book, derived: Derived) -> Iterator[Finding]:
    sangong = book.cell("costs", "sangong", "total", "actual")
    office = book.cell("costs", "office", "office", "final")
    if sangong.number is not None and office.number is not None and sangong.number > office.number:
        yield finding(
            Severity.WARNING,
            sangong,
            "sangong_exceeds_office",
            actual=money(sangong.number, book.unit),
            limit=money(office.number, book.unit),
            limit_label=office.ref,
            difference=money(sangong.number - office.number, book.unit),
        )
