"""The checked copy of a workbook (DOMAIN §6): the officer's workbook with our marks and two sheets.

The officer's sheets are left as they are except for the marked cells (``marks.plan``: a fill and
a comment, and with ``--fix`` the recomputed value in an officer-stated derived cell); two sheets
are added: 核查结果 (``results_sheet``) and 核查汇总 (``summary_sheet``).  The copy is written to a
temporary file in the target folder and moved into place, so a failure never leaves a half-written
file.  openpyxl is imported inside the functions: the CLI must start fast.

The check itself never loads openpyxl (``workbook.read``); until the copy is written by patching the
package, ``write_checked`` loads the input with openpyxl here, and only here.
"""

from __future__ import annotations

import contextlib
import math
import os
import warnings
import zipfile
from typing import TYPE_CHECKING

from evaltool.atomic import write_atomically
from evaltool.errors import InputError
from evaltool.findings import Phrase
from evaltool.outputs import results_sheet, summary_sheet
from evaltool.outputs.marks import Mark, plan
from evaltool.outputs.styles import COMMENT_LINE_PX, COMMENT_LINE_UNITS, COMMENT_WIDTH, clean, fill
from evaltool.width import display_width
from evaltool.workbook import layout as L

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

    from evaltool.checker import Result

AUTHOR = "evaltool"
SEPARATOR = "—— evaltool ——"
MACRO_SUFFIXES = (".xlsm", ".xltm")


def write_checked(result: Result, out_path: str, *, lang: str = "zh", fix: bool = False) -> list[Phrase]:
    """Load ``result.path``, mark it up and save it to ``out_path`` atomically (never to the input).

    Returns what the copy could not keep of the input (also listed in 核查汇总), for the console.
    Raises ``OSError`` when the copy cannot be written (``output_error`` words it), ``InputError`` when
    openpyxl cannot load a part the check did not need to read.
    """
    out_path = os.fspath(out_path)
    if _same_file(result.path, out_path):
        raise ValueError(f"the checked copy must not overwrite the input: {out_path}")
    wb = open_workbook(result.path)

    # The package type must match the name, or Excel refuses the file: macros only in .xlsm.
    suffix = os.path.splitext(out_path)[1].lower()
    if suffix not in MACRO_SUFFIXES:
        wb.vba_archive = None
    wb.template = suffix in (".xltx", ".xltm")
    lost = _losses(result.path, macros_kept=wb.vba_archive is not None)

    marks = [m for m in plan(result.findings, lang, fix) if m.sheet in wb.sheetnames and _valid_coord(m.cell)]
    apply_marks(wb, marks)
    _remove_own_sheets(wb)
    results_sheet.write(wb, result.findings, lang, {id(m.fixed) for m in marks if m.fixed is not None})
    summary_sheet.write(wb, result, lang, lost)
    # openpyxl keeps formulas but not their cached results: have Excel/WPS recalculate on open.
    if getattr(wb, "calculation", None) is not None:
        wb.calculation.fullCalcOnLoad = True
    write_atomically(out_path, wb.save)
    return lost


def open_workbook(path: str) -> Workbook:
    """Load with formulas and rich text kept (the copy must keep them), macros kept for .xlsm.

    The guard has passed the file (the check read it); openpyxl is given an open handle, so the
    file's content decides what it is, not its name.
    """
    import openpyxl

    try:
        with warnings.catch_warnings(), open(path, "rb") as fh:
            # openpyxl warns in English about what it drops; preserve.py says it in the officer's language.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(fh, data_only=False, keep_vba=_keeps_macros(path), keep_links=True,
                                          rich_text=True)
    except Exception as e:  # openpyxl raises many kinds for damaged packages
        raise _damaged(path, e) from None


def _keeps_macros(path: str) -> bool:
    """Macros are kept only where the output can hold them: a macro-enabled name (.xlsm/.xltm)."""
    return os.path.splitext(path)[1].lower() in MACRO_SUFFIXES


def _damaged(path: str, e: BaseException) -> InputError:
    """The message for a package that passed the guard but that openpyxl cannot load: unsafe XML, or damage."""
    from defusedxml import DefusedXmlException

    chain = [e]
    while len(chain) < 20 and (chain[-1].__cause__ is not None or chain[-1].__context__ is not None):
        chain.append(chain[-1].__cause__ or chain[-1].__context__)
    if any(isinstance(x, DefusedXmlException) for x in chain):
        return InputError("xml_unsafe", path=path, part="XML")
    inner = chain[-1]
    reason = (str(inner).splitlines() or [""])[0].strip()
    return InputError("workbook_damaged", path=path, reason=f"{type(inner).__name__}: {reason}"[:160])


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
