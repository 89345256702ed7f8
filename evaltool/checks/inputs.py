"""Checks on single cells as read: required, readable, typed as numbers, template intact."""

from __future__ import annotations

from collections.abc import Iterator

from evaltool.checks.base import finding, rule
from evaltool.derive import Derived
from evaltool.findings import Finding, Location, Severity, Term, quantity_of
from evaltool.model import Book
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


@rule("IN05", Severity.ERROR)
def formulas_without_result(book: Book, derived: Derived) -> Iterator[Finding]:
    for cell in book.all_cells():
        if cell.no_cache:
            yield finding(Severity.ERROR, cell, "no_cache", formula=(cell.formula or "").lstrip("="))


@rule("IN06", Severity.WARNING)
def negative_amounts(book: Book, derived: Derived) -> Iterator[Finding]:
    for cell in book.all_cells():
        if cell.ok and "negative" in cell.parsed.notes:
            yield finding(Severity.WARNING, cell, "negative", value=quantity_of(cell, book.unit))


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
