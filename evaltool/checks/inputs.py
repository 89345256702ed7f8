"""Checks on single cells as read: required, readable, typed as numbers, template intact."""

from __future__ import annotations

from collections.abc import Iterator

from evaltool.checks.base import finding, raw, rule, value_of
from evaltool.derive import Derived
from evaltool.findings import Finding, Location, Severity, Term
from evaltool.model import Book
from evaltool.workbook import layout as L
from evaltool.workbook.layout import NUMERIC_KINDS
from evaltool.workbook.numbers import Status


@rule("IN01", Severity.ERROR)
def required(book: Book, derived: Derived) -> Iterator[Finding]:
    """部门名称、评价年度、金额单位、本年收入合计、本年支出合计为必填项；空白或只填“—”“无”均为错误。"""
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
    """单元格的内容不能按该栏的类型读取（不是数字、单位与金额单位不符、日期无效、不在下拉选项中等）。
    该值不参与任何计算，依赖它的核查会跳过并说明。"""
    for cell in book.all_cells():
        if cell.status is Status.INVALID and cell.coord and not cell.no_cache:
            yield finding(
                Severity.ERROR,
                cell,
                f"parse.{cell.parsed.problem}",
                raw=raw(cell),
                unit=Term(f"money_unit.{book.unit}"),
                choices="/".join(cell.choices),
            )


@rule("IN03", Severity.WARNING)
def text_numbers(book: Book, derived: Derived) -> Iterator[Finding]:
    """数字以文本形式存储（如“2,369.93”、“８１．３２％”、“2914.41万元”）：工具能读出数值，
    但 Excel/WPS 的求和公式会漏算文本，应改为数值单元格。"""
    for cell in book.all_cells():
        if cell.ok and "as_text" in cell.parsed.notes and cell.kind in NUMERIC_KINDS:
            yield finding(Severity.WARNING, cell, "text_number", raw=raw(cell), value=value_of(cell, book.unit))


@rule("IN04", Severity.ERROR)
def error_values(book: Book, derived: Derived) -> Iterator[Finding]:
    """单元格为 Excel 错误值（#DIV/0!、#REF!、#VALUE! 等），通常是公式引用或除数出了问题。"""
    for cell in book.all_cells():
        if cell.status is Status.ERROR_VALUE:
            yield finding(Severity.ERROR, cell, "error_value", raw=raw(cell))


@rule("IN05", Severity.ERROR)
def formulas_without_result(book: Book, derived: Derived) -> Iterator[Finding]:
    """单元格是公式，但文件里没有保存计算结果（常见于程序生成或转换过的文件）。
    工具不会把它当作 0：请用 Excel 或 WPS 打开并保存一次后再核查。"""
    for cell in book.all_cells():
        if cell.no_cache:
            yield finding(Severity.ERROR, cell, "no_cache", formula=(cell.formula or "").lstrip("="))


@rule("IN06", Severity.WARNING)
def negative_amounts(book: Book, derived: Derived) -> Iterator[Finding]:
    """金额栏出现负数。收入、支出、预算、结转结余一般不为负，请核实是否录入错误或应写在“增减”栏。"""
    for cell in book.all_cells():
        if cell.ok and "negative" in cell.parsed.notes:
            yield finding(Severity.WARNING, cell, "negative", value=value_of(cell, book.unit))


@rule("IN07", Severity.ERROR)
def layout_changed(book: Book, derived: Derived) -> Iterator[Finding]:
    """模板的行标签或列标题不在原处也找不到（被改名或删除）。该行或该列无法读取，相关核查会跳过。"""
    for issue in book.layout_issues:
        yield Finding(
            "",
            Severity.ERROR,
            "layout_changed",
            location=Location(issue.sheet, issue.coord),
            params={"expected": issue.expected, "found": issue.found or "—"},
        )
