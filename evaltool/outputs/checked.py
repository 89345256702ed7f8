"""The checked copy of a workbook (DOMAIN §6): the officer's workbook with our marks and two sheets.

The officer's sheets are left as they are except for the marked cells (``marks.plan``: a fill and
a comment, and with ``--fix`` the recomputed value in an officer-stated derived cell); two sheets
are added: 核查汇总 and 核查结果 (``added_sheets``, a package of their own written with xlsxwriter).
The copy is written to a temporary file in the target folder and moved into place, so a failure
never leaves a half-written file.  openpyxl is imported inside the functions: the CLI must start fast.

Interim: until the patched copy (``workbook/patch.py``) grafts the added package into the officer's
own, the officer's workbook is saved by openpyxl and the added sheets are copied into it cell by cell
(``_append_sheets``).
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import zipfile
from copy import copy
from typing import TYPE_CHECKING

from evaltool.atomic import write_atomically
from evaltool.findings import Phrase
from evaltool.outputs.added_sheets import added_sheets
from evaltool.outputs.marks import Mark, plan
from evaltool.outputs.styles import COMMENT_LINE_PX, COMMENT_LINE_UNITS, COMMENT_WIDTH, clean, fill
from evaltool.width import display_width
from evaltool.workbook import layout as L
from evaltool.workbook.comments import AUTHOR, SEPARATOR
from evaltool.workbook.reader import MACRO_SUFFIXES

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

    from evaltool.checker import Result



def write_checked(result: Result, out_path: str, *, lang: str = "zh", fix: bool = False) -> list[Phrase]:
    """Mark ``result.workbook`` up and save it to ``out_path`` atomically (never to the input).

    Returns what the copy could not keep of the input, for the console.
    Raises ``OSError`` when the copy cannot be written (``output_error`` words it).
    """
    wb = result.workbook
    if wb is None:
        raise ValueError("write_checked needs the loaded workbook (Result.workbook)")
    out_path = os.fspath(out_path)
    if _same_file(result.path, out_path):
        raise ValueError(f"the checked copy must not overwrite the input: {out_path}")

    # The package type must match the name, or Excel refuses the file: macros only in .xlsm.
    suffix = os.path.splitext(out_path)[1].lower()
    if suffix not in MACRO_SUFFIXES:
        wb.vba_archive = None
    wb.template = suffix in (".xltx", ".xltm")
    lost = _losses(result.path, macros_kept=wb.vba_archive is not None)

    marks = [m for m in plan(result.findings, lang, fix) if m.sheet in wb.sheetnames and _valid_coord(m.cell)]
    apply_marks(wb, marks)
    _remove_own_sheets(wb)
    fixed = {id(m.fixed) for m in marks if m.fixed is not None}
    _append_sheets(wb, added_sheets(result, lang, fixed, wb.sheetnames))
    # openpyxl keeps formulas but not their cached results: have Excel/WPS recalculate on open.
    if getattr(wb, "calculation", None) is not None:
        wb.calculation.fullCalcOnLoad = True
    write_atomically(out_path, wb.save)
    return lost


def _losses(path: str, *, macros_kept: bool) -> list[Phrase]:
    """``preserve.losses``; a package it cannot inspect is said to be unverified, not passed as complete."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError

    from evaltool.workbook.preserve import losses

    try:
        return losses(path, macros_kept=macros_kept)
    except (OSError, KeyError, ValueError, ParseError, DefusedXmlException, zipfile.BadZipFile) as e:
        return [Phrase("lost_unverified", {"reason": f"{type(e).__name__}: {e}"[:160]})]


def _same_file(a: str, b: str) -> bool:
    with contextlib.suppress(OSError):
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _valid_coord(coord: str) -> bool:
    from openpyxl.utils.cell import coordinate_from_string

    try:
        coordinate_from_string(coord)
    except ValueError:
        return False
    return True


def _target(ws, coord: str):
    """The cell a mark points at; the top-left cell when it lies inside a merged range."""
    for rng in ws.merged_cells.ranges:
        if coord in rng:
            return ws.cell(rng.min_row, rng.min_col)
    return ws[coord]


def apply_marks(wb: Workbook, marks: list[Mark]) -> None:
    """Carry out the plan: fill, comment and (--fix) value of each marked cell; font, border, number
    format and protection stay."""
    for mark in marks:
        cell = _target(wb[mark.sheet], mark.cell)
        if mark.fix is not None:
            cell.value = mark.fix.value
            if mark.fix.number_format is not None:
                cell.number_format = mark.fix.number_format
        cell.fill = fill(mark.fill)
        cell.comment = _comment(_officer_text(cell.comment), "\n".join(mark.lines))


def _officer_text(comment) -> str:
    """What the officer wrote in an existing comment, without what evaltool added last time."""
    if comment is None:
        return ""
    text = comment.text or ""
    if SEPARATOR in text:
        return text.split(SEPARATOR, 1)[0].rstrip("\r\n")
    if comment.author == AUTHOR:
        return ""
    return text.rstrip("\r\n")


def _comment(officer: str, ours: str):
    from openpyxl.comments import Comment

    text = clean(f"{officer}\n{SEPARATOR}\n{ours}" if officer else ours)
    lines = sum(max(1, math.ceil(display_width(line) / COMMENT_LINE_UNITS)) for line in text.split("\n"))
    height = min(max(60, COMMENT_LINE_PX * lines + 16), 800)
    return Comment(text, AUTHOR, height=height, width=COMMENT_WIDTH)


def own_sheet_names() -> set[str]:
    """核查结果 / 核查汇总: the sheets evaltool adds (and replaces when re-checking)."""
    return set(L.ADDED_SHEETS)


def _remove_own_sheets(wb: Workbook) -> None:
    """Drop the 核查结果 / 核查汇总 of an earlier run (re-checking a checked copy)."""
    own = [ws for ws in wb.worksheets if ws.title in own_sheet_names()]
    if not own:
        return
    active = wb.active
    for ws in own:
        wb.remove(ws)
    if active in own or active not in wb.worksheets:
        visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"] or wb.worksheets
        if visible:
            wb.active = visible[0]
            for ws in wb.worksheets:
                ws.sheet_view.tabSelected = ws is visible[0]
    else:
        wb.active = active  # the index may have shifted


def _append_sheets(wb: Workbook, package: bytes) -> None:
    """Copy each sheet of ``package`` to the end of ``wb``: values, looks, links, merges, sizes, print
    setup and charts (interim, see the module docstring)."""
    import openpyxl
    from openpyxl.cell import MergedCell

    added = openpyxl.load_workbook(io.BytesIO(package))
    for src in added.worksheets:
        ws = wb.create_sheet(src.title)
        styles: dict[tuple[int, ...], object] = {}  # the package's style → the same look in ``wb``
        for c in list(src._cells.values()):  # the cells it has (iter_rows would make every empty one)
            if isinstance(c, MergedCell):
                continue
            cell = ws.cell(c.row, c.column, c.value)
            cell.data_type = c.data_type  # text stays text, even "=…"
            key = tuple(c._style)
            if key in styles:
                cell._style = copy(styles[key])
            else:  # also the package's default style: it is not the officer's workbook's default
                for name in ("font", "fill", "border", "alignment", "protection"):
                    setattr(cell, name, copy(getattr(c, name)))
                cell.number_format = c.number_format
                styles[key] = copy(cell._style)
            if c.hyperlink is not None:
                cell.hyperlink = copy(c.hyperlink)
        for rng in src.merged_cells.ranges:
            ws.merge_cells(rng.coord)
        for key, dim in src.column_dimensions.items():
            ws.column_dimensions[key].width = dim.width
            ws.column_dimensions[key].min, ws.column_dimensions[key].max = dim.min, dim.max  # E:F as one
        for index, dim in src.row_dimensions.items():
            if dim.height:
                ws.row_dimensions[index].height = dim.height
        ws.freeze_panes = src.freeze_panes
        ws.auto_filter.ref = src.auto_filter.ref
        ws.print_title_rows = src.print_title_rows
        if src.print_area:
            ws.print_area = src.print_area.split("!")[-1]
        ws.page_setup = copy(src.page_setup)
        ws.sheet_properties.pageSetUpPr = copy(src.sheet_properties.pageSetUpPr)
        ws.page_margins = copy(src.page_margins)
        ws.HeaderFooter = copy(src.HeaderFooter)
        for chart in src._charts:
            # openpyxl writes back only the data label flags that are set, and LibreOffice shows the
            # missing ones of such a chart: say "value only" in full.
            for series in chart.series:
                labels = series.dLbls
                for flag in ("showLegendKey", "showCatName", "showSerName", "showPercent", "showBubbleSize"):
                    if labels is not None and getattr(labels, flag) is None:
                        setattr(labels, flag, False)
            ws.add_chart(chart)
