"""Our two sheets as a package of their own: 核查汇总 then 核查结果, written with xlsxwriter in memory.

The checked copy grafts these sheets in front of the officer's (so it opens on 核查汇总); nothing of
the officer's package is read or written here.  Every font is named, every cell format made once
(``styles.Formats``), and both sheets print as A4 documents with page numbers.
"""

from __future__ import annotations

import io
from collections.abc import Collection

from evaltool.checker import Result
from evaltool.outputs import results_sheet, summary_sheet
from evaltool.outputs.styles import Formats, value_labels_only, workbook_options, xlsx_parts


def added_sheets(result: Result, lang: str, fixed: set[int], sheet_names: Collection[str],
                 copy: Result | None = None) -> dict[str, bytes]:
    """The parts of an .xlsx package holding exactly 核查汇总 and 核查结果 for ``result``.

    ``fixed``: the ``id()`` of each finding --fix corrected (its row says 已更正);
    ``sheet_names``: the officer's sheet titles, so a finding's cell links only into a sheet that exists;
    ``copy``: the --fix copy's own check (``corrected``), which 核查汇总 reports: its counts and verdict
    are what remains.
    """
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, workbook_options())
    formats = Formats(wb)
    summary_sheet.write(wb, formats, copy or result, lang)
    results_sheet.write(wb, formats, result, lang, fixed, frozenset(sheet_names),
                        summary_sheet.heading(result))
    wb.close()
    return value_labels_only(xlsx_parts(buf.getvalue()))
