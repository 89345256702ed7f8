"""Labels of the layout in the user's language: a cell reference as the officer would name it.

The Chinese labels are the template's own; the English ones sit beside them in the layout.
"""

from __future__ import annotations

from functools import cache

from evaltool.model import CellRef
from evaltool.text.catalogue import tr
from evaltool.workbook import layout as L


@cache
def _sheets() -> dict[str, L.Sheet]:
    # The score sheet's geometry depends on the rule set, its labels do not.
    return {s.key: s for s in (*L.DATA_SHEETS, L.score_sheet(0))}


def record_name(record: str, lang: str) -> str:
    """The record's own name as typed; a record without one, or sharing its name, with its sheet row."""
    name, _, row = record.rpartition("#")
    if not row.isdigit():
        return record
    return tr("record_named_row", lang, name=name, row=int(row)) if name else tr("record_row", lang, row=int(row))


def cell_label(ref: CellRef, lang: str = "zh") -> str:
    """财政拨款收入 占比(填报) / Fiscal appropriation revenue share (stated); 县科协科普经费 拨付率(填报).
    A reference with no column names its row (or record) only: 财政拨款收入; with no row either, its table."""
    table = _sheets()[ref.sheet].table(ref.table)
    if not ref.row and ref.record is None:  # a whole table
        return table.title_in(lang)
    if ref.record is not None:
        name = record_name(ref.record, lang)
    else:
        row = table.row(ref.row)
        name = row.label_in(lang)
        if row.label == "合计":  # "合计" alone is ambiguous in a message: say whose total it is
            name = f"{table.title}{name}" if lang == "zh" else f"{table.title_in(lang)} {_lower(name)}"
    if not ref.col or (ref.record is None and len(table.columns) == 1):
        return name
    header = table.column(ref.col).header_in(lang)
    return f"{name} {header}" if lang == "zh" else f"{name}: {_lower(header)}"


def _lower(s: str) -> str:
    """"Share (stated)" → "share (stated)" inside an English phrase."""
    return s[:1].lower() + s[1:]
