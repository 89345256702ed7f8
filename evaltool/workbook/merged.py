"""Merged cells in a list table, read as the officer sees them (issue 11).

Printed tables merge a 一级指标 (产出) or 二级指标 over the rows it heads; the file keeps the text in
the range's first cell only and leaves the others empty.  Read plainly, four of five 产出 rows would
lose their 一级指标 and drop out of the 产出 average.  So a merged text or choice applies to every row
of its range.  A merged amount (one budget for several projects) is one amount: it counts once, in
its first row; the rows under it say "given above" (a placeholder), so a sum over the list is
complete and never adds it once per row.

Pure data in, data out: the reader hands over its records, the sheet's merged ranges
(``(min_row, min_col, max_row, max_col)``, 1-based as in Excel) and the column of each field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from evaltool.model import Cell, Record
from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import Parsed, Status

Range = tuple[int, int, int, int]
TEXT_KINDS = frozenset({Kind.TEXT, Kind.CHOICE})
MERGED = "merged"  # the note on a cell whose content comes from (or was counted in) its range's first cell


def apply_merged(records: list[Record], merged: Iterable[Range], columns: Mapping[str, int | None]) -> list[Record]:
    """``records`` with every merged range spread over its rows.

    A range counts when its first cell is on a record's row in one of the table's columns: the text of
    that cell goes to the same column of the range's other records (where they are blank); an amount
    or other figure stays in the first row and the rows under it read as a placeholder.  Columns the
    range covers to the right of its first are the same one merged cell: left as they are.
    """
    by_row = {rec.row: rec for rec in records}
    keys = {c: key for key, c in columns.items() if c is not None}
    changed: dict[int, dict[str, Cell]] = {}
    for min_row, min_col, max_row, _max_col in merged:
        key = keys.get(min_col)
        first = by_row.get(min_row)
        if key is None or first is None or max_row <= min_row:
            continue
        source = first[key]
        if source.kind in TEXT_KINDS and not source.ok:
            continue  # an unreadable merged text is reported once, on its own cell
        for r in range(min_row + 1, max_row + 1):
            rec = by_row.get(r)
            if rec is None or not _empty(rec[key]):
                continue
            target = rec[key]
            changed.setdefault(r, {})[key] = _spread(source, target) if target.kind in TEXT_KINDS else _counted(target)
    if not changed:
        return records
    return [rec.replace(changed.get(rec.row, {})) for rec in records]


def _empty(cell: Cell) -> bool:
    return cell.parsed.status is Status.BLANK and cell.raw in (None, "") and not cell.no_cache


def _spread(source: Cell, target: Cell) -> Cell:
    """``target`` (its place and reference) holding ``source``'s merged text."""
    parsed = source.parsed
    return Cell(sheet=target.sheet, row=target.row, col=target.col, kind=target.kind, line=target.line,
                column=target.column,
                parsed=Parsed(parsed.status, parsed.value, parsed.decimals, (*parsed.notes, MERGED), parsed.problem),
                raw=source.raw, number_format=source.number_format, choices=target.choices)


def _counted(target: Cell) -> Cell:
    """A row under a merged figure: given (in the range's first row), counted there only."""
    return Cell(sheet=target.sheet, row=target.row, col=target.col, kind=target.kind, line=target.line,
                column=target.column,
                parsed=Parsed(Status.PLACEHOLDER, notes=(MERGED,)), number_format=target.number_format,
                choices=target.choices)
