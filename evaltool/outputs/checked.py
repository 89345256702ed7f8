"""The checked copy of a workbook (DOMAIN §6): the officer's package with our marks and two sheets.

The copy is the input package patched (``workbook/patch.py``): only the marked cells change
(``marks.plan``: a fill and a comment, and with ``--fix`` the recomputed value in an officer-stated
derived cell), our two sheets 核查汇总 and 核查结果 (``added_sheets``, written with xlsxwriter) are
grafted in front (``workbook/sheet_merge.py``), replacing those of an earlier run, and a marker
records what we changed.  Every other part of the package is the input's bytes.  The copy is written
to a temporary file in the target folder and moved into place; the input is only read.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError

from evaltool import __version__
from evaltool.errors import InputError
from evaltool.findings import Finding, Severity, State
from evaltool.outputs.added_sheets import added_sheets
from evaltool.outputs.corrected import corrected
from evaltool.outputs.marks import Mark, plan
from evaltool.outputs.styles import (
    COMMENT_LINE_PX,
    COMMENT_LINE_UNITS,
    COMMENT_WIDTH,
    FILL_FIXED,
    SEVERITY_FILL,
    clean,
)
from evaltool.workbook import layout as L
from evaltool.workbook.package import as_zip
from evaltool.workbook.patch import CellPatch, CommentBox, patch_copy
from evaltool.workbook.sheet_merge import add_sheets
from evaltool.workbook.unmark import unmark
from evaltool.workbook.xlsxcache import sheet_parts

if TYPE_CHECKING:
    from evaltool.checker import Result

BOX = CommentBox(COMMENT_WIDTH, COMMENT_LINE_UNITS, COMMENT_LINE_PX)
# The fills our marks use (recorded in the marker, so a later version recognises them when it re-checks):
# errors, warnings, fixed cells; never a template colour (a re-check takes these fills off).
MARK_FILLS = (SEVERITY_FILL[Severity.ERROR], SEVERITY_FILL[Severity.WARNING], FILL_FIXED)
# Fills of earlier versions' marks, for copies made before the marker listed them.
EARLIER_MARK_FILLS = ("FFEB9C",)


def write_checked(result: Result, out_path: str, *, lang: str = "zh", fix: bool = False) -> list[Finding]:
    """The checked copy of ``result.path`` at ``out_path``, written atomically (never over the input);
    returns the findings whose recomputed value --fix wrote into their cell, in the order marked.

    Raises ``OSError`` when the copy cannot be written (``output_error`` words it), ``InputError``
    when the package, readable enough to check, is too irregular to patch.
    """
    out_path = os.fspath(out_path)
    if _same_file(result.path, out_path):
        raise ValueError(f"the checked copy must not overwrite the input: {out_path}")
    # An explained warning is not marked: the officer's sheets are clean once the copy can be sent.
    marks = plan([f for f in result.findings if result.state(f) is not State.EXPLAINED], lang, fix)
    patches = {id(m): _patch(m) for m in marks}
    written: list[Mark] = []

    def graft(parts: dict[str, bytes], not_fixed: list[CellPatch]) -> dict[str, bytes]:
        unwritten = {id(p) for p in not_fixed}
        written[:] = [m for m in marks if m.fix is not None and id(patches[id(m)]) not in unwritten]
        fixed = {id(m.fixed) for m in written}
        names = list(sheet_parts(as_zip(parts)))
        # 核查汇总 of a --fix copy is the copy's own check (corrected findings gone, corrected figures shown).
        copy = corrected(result, {(m.sheet, m.cell): m.fix for m in written if m.fix is not None})
        return add_sheets(parts, added_sheets(result, lang, fixed, names, copy), remove=L.ADDED_SHEETS)

    try:
        patch_copy(result.path, out_path, list(patches.values()), box=BOX, added=graft,
                   marker={"tool": "evaltool", "version": __version__, "fills": list(MARK_FILLS),
                           **_ruleset_of(result)},
                   before=lambda parts: unmark(parts, (*MARK_FILLS, *EARLIER_MARK_FILLS)))
    except (ValueError, KeyError, IndexError, ParseError, DefusedXmlException, zipfile.BadZipFile):
        # The checks read what they need; the patcher needs the parts it edits to be well formed.
        raise InputError("copy_unmarkable", path=result.path) from None
    return [m.fixed for m in written if m.fixed is not None]


def _ruleset_of(result: Result) -> dict[str, str]:
    """The rule set the copy's verdict was reached under, so a 财政局 checking the copy under its own
    can tell (``batch.flag_batch``: other_ruleset)."""
    rules = result.book.ruleset if result.book is not None else None
    return {"ruleset": rules.name, "ruleset_digest": rules.digest} if rules is not None and rules.digest else {}


def _patch(mark: Mark) -> CellPatch:
    fix = mark.fix
    instead = None
    if mark.instead is not None:
        fill, edge, lines = mark.instead
        instead = (fill, clean("\n".join(lines)), edge)
    return CellPatch(mark.sheet, mark.cell, mark.fill, clean("\n".join(mark.lines)),
                     fix.value if fix is not None else None, fix.number_format if fix is not None else None,
                     mark.edge, instead)


def _same_file(a: str, b: str) -> bool:
    with contextlib.suppress(OSError):
        if os.path.exists(a) and os.path.exists(b):
            return os.path.samefile(a, b)
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))
