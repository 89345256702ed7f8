"""Checks on single cells as read: required, readable, typed as numbers, template intact."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from evaltool.checks.base import finding, location, rule
from evaltool.derive import Derived
from evaltool.findings import Finding, Location, Severity, Term, money, quantity_of
from evaltool.model import Book, CellRef
from evaltool.workbook import layout as L
from evaltool.workbook.layout import NUMERIC_KINDS
from evaltool.workbook.numbers import Status


@rule("IN01", Severity.ERROR)
def required(book: Book, derived: Derived) -> Iterator[Finding]:
    for sheet in L.DATA_SHEETS:
        for table in sheet.tables:
            if not isinstance(table, L.Grid):
                continue
            for row in table.rows:
                if not row.required:
                    continue
                # The row's first column carries the figure (金额); its 占比 is not required.
                cell = book.cell(sheet.key, table.key, row.key, table.cells(row)[0].key)
                if cell.blank and cell.coord:
                    yield finding(Severity.ERROR, cell, "required_missing")


@rule("IN02", Severity.ERROR)
def unreadable(book: Book, derived: Derived) -> Iterator[Finding]:
    for cell in book.all_cells():
        if cell.status is Status.INVALID and cell.coord and not cell.no_cache:
            yield finding(
                Severity.ERROR,
                cell,
                f"parse.{cell.parsed.problem}",
                raw=cell.text,
                unit=Term(f"money_unit.{book.unit}"),
                choices="/".join(cell.choices),
            )


@rule("IN03", Severity.WARNING)
def text_numbers(book: Book, derived: Derived) -> Iterator[Finding]:
    for cell in book.all_cells():
        if cell.ok and "as_text" in cell.parsed.notes and cell.kind in NUMERIC_KINDS:
            yield finding(Severity.WARNING, cell, "text_number", raw=cell.text, value=quantity_of(cell, book.unit))


@rule("IN04", Severity.ERROR)
def error_values(book: Book, derived: Derived) -> Iterator[Finding]:
    for cell in book.all_cells():
        if cell.status is Status.ERROR_VALUE:
            yield finding(Severity.ERROR, cell, "error_value", raw=cell.text)


# The cells an IN05 message lists by name; a file whose formulas were all saved without results (a
# generated list of 50,000 rows) is one finding whose message gives the count and the first of them.
IN05_LISTED = 20


@rule("IN05", Severity.ERROR)
def formulas_without_result(book: Book, derived: Derived) -> Iterator[Finding]:
    """One finding per file: the cause (a program saved formulas without their results) and the cure
    (open and save once in Excel/WPS) are the file's, not each cell's.  It sits on the first such cell
    and lists the others, so 36 formula cells are one error, not 36."""
    cells = [cell for cell in book.all_cells() if cell.no_cache and cell.coord]
    if not cells:
        return
    first = cells[0]
    listed = tuple(Location(c.sheet, c.coord) for c in cells[:IN05_LISTED])
    yield Finding("", Severity.ERROR, "no_cache" if len(cells) <= IN05_LISTED else "no_cache_more",
                  location=location(first),
                  params={"n": len(cells), "cells": listed, "formula": (first.formula or "").lstrip("=")})


@rule("IN06", Severity.WARNING)
def negative_amounts(book: Book, derived: Derived) -> Iterator[Finding]:
    for cell in book.all_cells():
        if cell.ok and "negative" in cell.parsed.notes:
            yield finding(Severity.WARNING, cell, "negative", value=quantity_of(cell, book.unit))


# A county department's year in 万元 is far below 100 亿 (1,000,000 万元) and far above 1 万元: a total
# outside that range was most likely typed in the other unit (元 under 万元, or 万元 under 元).
WAN_YUAN_CEILING = Decimal(1_000_000)
YUAN_FLOOR = Decimal(10_000)


@rule("UNIT01", Severity.WARNING)
def unit_implausible(book: Book, derived: Derived) -> Iterator[Finding]:
    totals = [book.cell("finance", table, "total", "amount") for table in ("income", "expense")]
    given = [c for c in totals if c.number is not None and c.number > 0]
    if not given:
        return
    cell = max(given, key=lambda c: c.number)  # type: ignore[arg-type, return-value]
    unit = book.cell("basic", "info", "unit", "value")
    if book.unit == "万元" and cell.number >= WAN_YUAN_CEILING:  # type: ignore[operator]
        yield finding(Severity.WARNING, cell, "unit_looks_yuan", value=money(cell.number, book.unit),
                      unit_cell=unit.ref, unit_where=location(unit), limit=money(WAN_YUAN_CEILING, book.unit, 0))
    elif book.unit == "元" and cell.number < YUAN_FLOOR:  # type: ignore[operator]
        yield finding(Severity.WARNING, cell, "unit_looks_wan", value=money(cell.number, book.unit),
                      unit_cell=unit.ref, unit_where=location(unit), limit=money(YUAN_FLOOR, book.unit, 0))


@rule("GOL02", Severity.WARNING)
def goal_without_kind(book: Book, derived: Derived) -> Iterator[Finding]:
    """A 绩效目标 row without its 一级指标 drops out of the 产出/效益/满意度 averages: say so, not silently."""
    for rec in book.list("goals", "goals"):
        if rec["level1"].blank and rec["level1"].coord:
            yield finding(Severity.WARNING, rec["level1"], "goal_no_kind")


@rule("IN07", Severity.ERROR)
def layout_changed(book: Book, derived: Derived) -> Iterator[Finding]:
    for issue in book.layout_issues:
        yield Finding(
            "",
            Severity.ERROR,
            "layout_changed",
            location=Location(issue.sheet, issue.coord),
            params={"expected": issue.expected, "found": issue.found or "—"},
        )


@rule("IN09", Severity.WARNING)
def extra_row(book: Book, derived: Derived) -> Iterator[Finding]:
    """A row inserted inside a table of fixed rows (收支情况, 预算执行, 运行成本, …) with a figure in it: no
    sum or ratio reads it, so a total that includes it looks incomplete and its figure goes unchecked.
    Keyed by its label, so inserting other rows moves nothing."""
    for x in book.extra_rows:
        yield Finding(
            "",
            Severity.WARNING,
            "extra_row",
            subject=CellRef(x.sheet_key, x.table, "", "", x.label or f"#{x.row}"),
            location=Location(x.sheet, f"A{x.row}"),
            params={"label": x.label or "—"},
        )


@rule("IN08", Severity.WARNING)
def repeated_table(book: Book, derived: Derived) -> Iterator[Finding]:
    """A table of the template stands twice on its sheet (a 决算 table pasted above ours): the reader
    reads the copy under our column headers, else the one nearest the template's place, and this says
    which and where the other is, so the officer deletes the extra one."""
    for t in book.repeated_tables:
        yield Finding(
            "",
            Severity.WARNING,
            "table_repeated",
            subject=CellRef(t.sheet_key, t.table, "", ""),
            location=Location(t.sheet, f"A{t.used}"),
            params={"table": CellRef(t.sheet_key, t.table, "", ""), "used": t.used, "others": t.others},
        )
