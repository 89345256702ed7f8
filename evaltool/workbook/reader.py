"""Read an officer's workbook into a ``Book``, finding every cell through ``layout``.

Rows and headers are looked for where the layout puts them first, then by
their label, so a workbook with rows inserted above a table still reads.
What cannot be found becomes a ``LayoutIssue`` (a finding), not a crash.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException

from evaltool.errors import InputError
from evaltool.model import Book, Cell, CellRef, LayoutIssue, Record
from evaltool.workbook import layout as L
from evaltool.workbook.guard import preflight
from evaltool.workbook.layout import Column, Grid, Kind, ListTable, Row, Sheet, normalize_label
from evaltool.workbook.numbers import Parsed, Status, parse_cell
from evaltool.workbook.xlsxcache import NO_CACHE, cached_values

MACRO_SUFFIXES = (".xlsm", ".xltm")

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from evaltool.scoring.ruleset import RuleSet

_SEARCH_COLS = 60  # how far right a header is looked for: a stray cell at XFD must not cost 16,384 reads


def open_workbook(path: str) -> Workbook:
    """Load with formulas and rich text kept (the checked copy must keep them), macros kept for .xlsm.

    openpyxl is given an open handle, so the file's content decides what it is, not its name.
    """
    import openpyxl

    preflight(path)
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
    """The message for a package that passed the guard but cannot be read: unsafe XML, or damage."""
    chain = [e]
    while len(chain) < 20 and (chain[-1].__cause__ is not None or chain[-1].__context__ is not None):
        chain.append(chain[-1].__cause__ or chain[-1].__context__)
    if any(isinstance(x, DefusedXmlException) for x in chain):
        return InputError("xml_unsafe", path=path, part="XML")
    inner = chain[-1]
    reason = (str(inner).splitlines() or [""])[0].strip()
    return InputError("workbook_damaged", path=path, reason=f"{type(inner).__name__}: {reason}"[:160])


def _worksheets(wb: Workbook) -> dict[str, Worksheet]:
    """Worksheets by their name as the reader compares it (a stray space or full-width letter is no rename);
    the sheet named exactly as in the template wins over a look-alike."""
    found: dict[str, Worksheet] = {}
    names = L.sheet_names()
    for ws in wb.worksheets:
        key = normalize_label(ws.title)
        if key not in found or ws.title in names:
            found[key] = ws
    return found


def check_template(wb: Workbook, path: str) -> tuple[dict[str, Worksheet], str]:
    """The template's sheets by their template name, and the file's template version.

    Raises ``InputError`` when the workbook is not ours, is of a version this tool does not know,
    or lacks a sheet its version has.
    """
    found = _worksheets(wb)
    known = L.sheet_names()
    sheets = {name: found[normalize_label(name)] for name in known if normalize_label(name) in found}
    if not sheets:
        raise InputError("not_template", path=path, missing=tuple(known))
    others = {normalize_label(name) for name in wb.sheetnames} - set(found)  # chart sheets
    replaced = [n for n in known if n not in sheets and normalize_label(n) in others]
    if replaced:
        raise InputError("not_worksheet", path=path, sheet=replaced[0])
    version = _stamped_version(sheets, path)
    # Without a stamp, only the sheets every version has are looked for.
    missing = [n for n in L.sheet_names(version or L.VERSIONS[0]) if n not in sheets]
    if missing:
        ours = {normalize_label(n) for n in (*known, *L.ADDED_SHEETS)}  # a checked copy may be checked again
        extra = [ws.title for ws in wb.worksheets if normalize_label(ws.title) not in ours]
        if extra:
            raise InputError("sheets_missing_extra", path=path, missing=tuple(missing), extra=tuple(extra))
        raise InputError("sheets_missing", path=path, missing=tuple(missing))
    if version is None:
        raise InputError("template_stamp", path=path, expected=_known_stamps())
    return sheets, version


def _known_stamps() -> str:
    return " / ".join(L.version_stamp(v) for v in L.VERSIONS)


def _stamped_version(sheets: dict[str, Worksheet], path: str) -> str | None:
    """The version the stamp names; None without a stamp; ``InputError`` for a version this tool does not know."""
    if L.INSTRUCTIONS_SHEET not in sheets:
        return None
    stamp = _version_stamp(sheets[L.INSTRUCTIONS_SHEET])
    if not stamp or not stamp.startswith(L.STAMP_PREFIX):
        return None
    version = stamp.removeprefix(L.STAMP_PREFIX)
    if version not in L.VERSIONS:
        raise InputError("template_version", path=path, found=stamp, expected=_known_stamps())
    return version


def _version_stamp(ws: Worksheet) -> str | None:
    """The stamp beside its label, where the template puts it or a few rows lower (rows inserted above)."""
    row = next((r for r in range(L.VERSION_ROW, L.VERSION_ROW + 20)
                if normalize_label(ws.cell(r, L.VERSION_COL - 1).value) == L.VERSION_LABEL), L.VERSION_ROW)
    stamp = ws.cell(row, L.VERSION_COL).value
    return None if stamp is None else str(stamp).strip()  # rich text too


class _Reader:
    def __init__(self, sheets: dict[str, Worksheet], version: str, path: str) -> None:
        self.sheets = sheets
        self.version = version
        self.path = path
        try:
            self.cache = cached_values(path)
        except Exception as e:  # the same package openpyxl read: damage openpyxl tolerated
            raise _damaged(path, e) from None
        self.book = Book(path=path, unit="万元", template_version=version)
        self._labels: dict[str, dict[str, list[int]]] = {}

    # -- one cell ---------------------------------------------------------------------------
    def cell(self, ws: Worksheet, r: int, c: int, kind: Kind, ref: CellRef, choices=()) -> Cell:
        from openpyxl.cell.rich_text import CellRichText
        from openpyxl.utils import get_column_letter

        xc = ws.cell(r, c)
        coord = f"{get_column_letter(c)}{r}"
        raw, formula, no_cache = xc.value, None, False
        is_error = xc.data_type == "e"
        if isinstance(raw, CellRichText):  # runs of formatting: the text is the value
            raw = str(raw)
        elif xc.data_type == "f" or hasattr(raw, "text"):  # plain, array and data-table formulas
            formula = raw if isinstance(raw, str) else str(getattr(raw, "text", "") or "")
            raw, is_error = self.cache.get((ws.title, coord), (NO_CACHE, False))
            if raw is NO_CACHE:
                raw, no_cache = None, True
        parsed = parse_cell(raw, kind, xc.number_format, unit=self.book.unit, choices=choices, is_error=is_error)
        return Cell(
            sheet=ws.title, coord=coord, kind=kind, ref=ref, parsed=parsed, raw=raw,
            formula=formula, no_cache=no_cache, number_format=xc.number_format, choices=choices,
        )

    def has(self, *elements: Sheet | Row | Column) -> bool:
        """Whether the file's template version has all of ``elements``."""
        return all(L.has(self.version, e) for e in elements)

    def not_provided(self, sheet: Sheet, kind: Kind, ref: CellRef) -> Cell:
        """A cell of a sheet, row or column newer than the file's template version: blank, checks skip it."""
        return Cell(sheet=sheet.name, coord="", kind=kind, ref=ref, parsed=Parsed(Status.BLANK))

    def missing(self, sheet: Sheet, kind: Kind, ref: CellRef) -> Cell:
        """A cell whose row or column is gone: unreadable (IN07 says why), so checks using it skip."""
        return Cell(sheet=sheet.name, coord="", kind=kind, ref=ref,
                    parsed=Parsed(Status.INVALID, problem="layout_changed"))

    # -- locating ---------------------------------------------------------------------------
    def labels(self, ws: Worksheet) -> dict[str, list[int]]:
        """Rows of each label in column A, from the cells the sheet really has.

        openpyxl keeps the cells of a sheet in ``ws._cells``; walking that dict costs one step per
        existing cell, where asking row by row would cost (and create) one cell per row up to
        ``max_row`` — a million for one stray cell at the bottom of the sheet.
        """
        found = self._labels.get(ws.title)
        if found is None:
            found = {}
            for (r, c), xc in sorted(ws._cells.items()):
                if c == 1 and xc.value not in (None, ""):
                    found.setdefault(normalize_label(xc.value), []).append(r)
            self._labels[ws.title] = found
        return found

    def find_row(self, ws: Worksheet, expected: int, label: str, start: int = 1) -> int | None:
        """The row labelled ``label`` nearest to where the layout expects it, at or below ``start``."""
        hits = [r for r in self.labels(ws).get(normalize_label(label), ()) if r >= start]
        return min(hits, key=lambda r: abs(r - expected)) if hits else None

    @staticmethod
    def filled_rows(ws: Worksheet, cols: set[int], first: int, end: int | None) -> list[int]:
        """Rows in [first, end) with a value in one of ``cols`` (see ``labels`` for why ``_cells``)."""
        return sorted({r for (r, c), xc in ws._cells.items()
                       if c in cols and r >= first and (end is None or r < end) and xc.value not in (None, "")})

    def find_columns(self, ws: Worksheet, sheet: Sheet, table, header_row: int) -> dict[str, int | None]:
        """Column of each header: where the layout puts it, else anywhere on the header row."""
        found: dict[str, int | None] = {}
        last = min(ws.max_column, _SEARCH_COLS)
        row_labels = {normalize_label(ws.cell(header_row, c).value): c for c in range(1, last + 1)}
        for col in table.columns:
            expected = sheet.col_index(table, col.key)
            if not self.has(col):  # newer than the file: its cells are not provided
                found[col.key] = None
            elif normalize_label(ws.cell(header_row, expected).value) == normalize_label(col.header):
                found[col.key] = expected
            else:
                found[col.key] = row_labels.get(normalize_label(col.header))
                if found[col.key] is None:
                    self.issue(ws, header_row, expected, col.header)
        return found

    def issue(self, ws: Worksheet, r: int, c: int, expected: str) -> None:
        from openpyxl.utils import get_column_letter

        found = ws.cell(r, c).value
        self.book.layout_issues.append(
            LayoutIssue(ws.title, f"{get_column_letter(c)}{r}", expected, "" if found is None else str(found))
        )

    # -- tables -----------------------------------------------------------------------------
    def grid(self, sheet: Sheet, grid: Grid) -> None:
        ws = self.sheets[sheet.name]
        located = {row.key: self.find_row(ws, sheet.grid_row_index(grid, row.key), row.label)
                   for row in grid.rows if self.has(row)}
        first = next((r for r in located.values() if r is not None), None)
        shift = 0 if first is None else first - sheet.grid_row_index(grid, next(k for k, v in located.items() if v))
        columns = self.find_columns(ws, sheet, grid, sheet.header_row(grid) + shift)
        for row in grid.rows:
            r = located.get(row.key)
            if r is None and self.has(row):
                self.issue(ws, sheet.grid_row_index(grid, row.key) + shift, 1, row.label)
            self.labelled_row(ws, sheet, grid, row, r, columns, grid.cells(row))

    def labelled_row(self, ws: Worksheet | None, sheet: Sheet, table: Grid | ListTable, row: Row, r: int | None,
                     columns: dict[str, int | None], cols: tuple) -> None:
        """The cells of a grid row or a list's footer row; stand-ins (IN07 says why) where it is missing."""
        for col in cols:
            ref = CellRef(sheet.key, table.key, row.key, col.key)
            self.book.cells[(sheet.key, table.key, row.key, col.key)] = self.located_cell(
                ws, sheet, (row, col), r, columns.get(col.key), table.kind(row, col), ref,
                table.choices(row, col))

    def located_cell(self, ws: Worksheet | None, sheet: Sheet, elements: tuple[Row | Column, ...], r: int | None,
                     c: int | None, kind: Kind, ref: CellRef, choices: tuple[str, ...]) -> Cell:
        """The cell at (r, c); not provided when the file's version predates it, missing when not found."""
        if not self.has(sheet, *elements):
            return self.not_provided(sheet, kind, ref)
        if ws is None or r is None or c is None:
            return self.missing(sheet, kind, ref)
        return self.cell(ws, r, c, kind, ref, choices)

    def list_table(self, sheet: Sheet, table: ListTable) -> None:
        ws = self.sheets[sheet.name]
        first_header = next(c for c in table.columns if self.has(c)).header
        header_row = self.find_row(ws, sheet.header_row(table), first_header)
        if header_row is None:
            self.issue(ws, sheet.header_row(table), 1, first_header)
            header_row = sheet.header_row(table)
        columns = self.find_columns(ws, sheet, table, header_row)
        footer_rows = {
            row.key: self.find_row(ws, header_row + 1 + table.blank_rows, row.label, start=header_row + 1)
            for row in table.footer if self.has(row)
        }
        # Without its footer a list runs to its last filled row.
        end = min([r for r in footer_rows.values() if r is not None], default=None)
        rows = self.filled_rows(ws, {c for c in columns.values() if c is not None}, header_row + 1, end)
        if end is None:
            end = (rows[-1] if rows else header_row) + 1
        records = []
        names = self.record_names(ws, rows, columns.get(table.name_col))
        for r in rows:
            cells = {col.key: self.located_cell(ws, sheet, (col,), r, columns[col.key], col.kind,
                                                CellRef(sheet.key, table.key, "", col.key, record=names[r]),
                                                col.choices)
                     for col in table.columns}
            records.append(Record(r, cells))
        self.book.records[(sheet.key, table.key)] = records
        for row in table.footer:
            r = footer_rows.get(row.key)
            if r is None and self.has(row):
                self.issue(ws, end, 1, row.label)
            self.labelled_row(ws, sheet, table, row, r, columns, table.footer_cells(row))

    def newer_table(self, sheet: Sheet, table: Grid | ListTable) -> None:
        """A table of a sheet newer than the file's template version: every cell not provided, no records."""
        if isinstance(table, Grid):
            for row in table.rows:
                self.labelled_row(None, sheet, table, row, None, {}, table.cells(row))
        else:
            self.book.records[(sheet.key, table.key)] = []
            for row in table.footer:
                self.labelled_row(None, sheet, table, row, None, {}, table.footer_cells(row))

    @staticmethod
    def record_names(ws: Worksheet, rows: list[int], name_col: int | None) -> dict[int, str]:
        """Each record's name as the officer typed it (what findings and figures are keyed by, so that
        inserting a row moves nothing); "#<row>" without one, "<name>#<row>" when two records share it."""
        typed = {}
        for r in rows:
            value = ws.cell(r, name_col).value if name_col else None
            typed[r] = str(value).strip()[:30] if value not in (None, "") else ""
        counts = Counter(typed.values())
        return {r: name if name and counts[name] == 1 else f"{name}#{r}" for r, name in typed.items()}

    def sheet(self, sheet: Sheet) -> None:
        for table in sheet.tables:
            if not self.has(sheet):
                self.newer_table(sheet, table)
            elif isinstance(table, Grid):
                self.grid(sheet, table)
            else:
                self.list_table(sheet, table)


def read_book(path: str | os.PathLike, ruleset: RuleSet | None = None) -> tuple[Book, Workbook]:
    """The model of ``path`` and the loaded openpyxl workbook (reused for the checked copy)."""
    path = os.fspath(path)
    wb = open_workbook(path)
    try:
        return _read(wb, path, ruleset), wb
    except InputError:
        raise
    except Exception as e:  # a reader bug on an odd file: a message, never a traceback
        raise InputError("read_failed", path=path, reason=f"{type(e).__name__}: {e}"[:160]) from None


def _read(wb: Workbook, path: str, ruleset: RuleSet | None) -> Book:
    reader = _Reader(*check_template(wb, path), path)
    # The unit decides how amounts are parsed, so 基本信息 goes first.
    reader.sheet(L.BASIC)
    unit = reader.book.cell("basic", "info", "unit", "value").value
    reader.book.unit = unit if unit in ("万元", "元") else "万元"
    for sheet in L.DATA_SHEETS[1:]:
        reader.sheet(sheet)
    if ruleset is None:
        from evaltool.scoring.ruleset import load_ruleset

        ruleset = load_ruleset()
    reader.book.ruleset = ruleset
    reader.sheet(L.score_sheet(len(ruleset.indicators)))
    return reader.book
