"""Our two sheets as a package of their own: 核查汇总 then 核查结果, written with xlsxwriter in memory.

The checked copy grafts these sheets in front of the officer's (so it opens on 核查汇总); nothing of
the officer's package is read or written here.  Every font is named, every cell format made once
(``styles.Formats``), and both sheets print as A4 documents with page numbers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection

from evaltool.checker import Result
from evaltool.outputs import results_sheet, summary_sheet
from evaltool.outputs.styles import Formats, workbook_options

# XlsxWriter writes only the data-label flags that are on; LibreOffice and WPS take the absent
# showCatName and showSerName for "show" and printed "财政拨款收入占比; 重算值; 81.32%" on every bar.
# Every flag is written, off but the value, as Excel itself writes them (in the schema's order).
_VALUE_ONLY = (b'<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
               b'<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>')


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
    with zipfile.ZipFile(buf) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    for name in parts:
        if name.startswith("xl/charts/chart"):
            parts[name] = parts[name].replace(b'<c:showVal val="1"/></c:dLbls>', _VALUE_ONLY)
    return parts
