"""The check of a --fix copy: the workbook as the copy holds it, each fixed cell with its new value.

核查汇总 of a --fix copy must say what the copy says (a corrected share is 81.32%, agrees, and is no
error any more), not what the input said.  Rather than subtract the corrected findings, the figures
are derived and the rules run again over the workbook with the fixed cells read as the reader would
read them from the copy (``parse_cell`` of the written value in its new number format): whatever a
fix changes elsewhere (a sum of sub-shares, a score) is then right too.
"""

from __future__ import annotations

from dataclasses import replace

from evaltool.checker import Result, run_rules
from evaltool.findings import Fix
from evaltool.model import Cell
from evaltool.workbook.numbers import parse_cell


def corrected(result: Result, fixes: dict[tuple[str, str], Fix]) -> Result:
    """``result`` as the --fix copy checks: ``fixes`` by (sheet, cell) are the values written."""
    book = result.book
    if not fixes or book is None:
        return result
    from evaltool.derive import derive

    def fixed(cell: Cell) -> Cell:
        fix = fixes.get((cell.sheet, cell.coord))
        if fix is None:
            return cell
        fmt = fix.number_format or cell.number_format
        parsed = parse_cell(fix.value, cell.kind, fmt, unit=book.unit, choices=cell.choices)
        return replace(cell, parsed=parsed, raw=fix.value, number_format=fmt)

    sheets = {sheet for sheet, _ in fixes}
    cells = {key: fixed(cell) if cell.sheet in sheets else cell for key, cell in book.cells.items()}
    records = {key: [rec.replace({k: fixed(c) for k, c in rec.items()}) for rec in recs]
               if any(c.sheet in sheets for rec in recs[:1] for c in rec.cells) else recs
               for key, recs in book.records.items()}
    view = replace(book, cells=cells, records=records)
    # Last year's workbook is the input's (the PRI rules run again); findings keep their ids, explanations their hold.
    derived = replace(derive(view), prior=result.derived.prior if result.derived else None)
    return replace(result, findings=run_rules(view, derived, result.choices), book=view, derived=derived)
