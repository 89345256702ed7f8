"""Read an officer's workbook into a ``Book``, finding every cell through ``layout``.

Rows and headers are looked for where the layout puts them first, then by
their label, so a workbook with rows inserted above a table still reads.
What cannot be found becomes a ``LayoutIssue`` (a finding), not a crash.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from . import layout as L
from .errors import InputError
from .guard import preflight
from .layout import Grid, Kind, ListTable, Row, Sheet, normalize_label
from .model import Book, Cell, LayoutIssue, Record
from .numbers import Status, parse_cell
from .xlsxcache import NO_CACHE, cached_values

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from .ruleset import RuleSet

_SEARCH_ROWS = 400  # how far down a grid label is looked for when it is not in place


def open_workbook(path: str) -> Workbook:
    """Load with formulas kept (the checked copy must keep them) and macros kept for .xlsm."""
    import openpyxl

    preflight(path)
    try:
        return openpyxl.load_workbook(
            path, data_only=False, keep_vba=path.lower().endswith(".xlsm"), keep_links=True, rich_text=False
        )
    except InputError:
        raise
    except Exception as e:  # openpyxl raises many kinds for damaged packages
        raise InputError("file_damaged", path=path, reason=f"{type(e).__name__}: {e}"[:200]) from None


def check_template(wb: Workbook, path: str) -> None:
    names = set(wb.sheetnames)
    missing = [n for n in L.SHEET_NAMES if n not in names]
    if len(missing) == len(L.SHEET_NAMES):
        raise InputError("not_template", path=path, missing="、".join(missing))
    if L.INSTRUCTIONS_SHEET in names:
        stamp = wb[L.INSTRUCTIONS_SHEET].cell(L.VERSION_ROW, L.VERSION_COL).value
        if isinstance(stamp, str) and stamp.startswith("evaltool-template-") and stamp != L.VERSION_STAMP:
            raise InputError("template_version", path=path, found=stamp, expected=L.VERSION_STAMP)
        if stamp != L.VERSION_STAMP and not missing:
            raise InputError("template_stamp", path=path, expected=L.VERSION_STAMP)
    if missing:
        raise InputError("sheets_missing", path=path, missing="、".join(missing))


class _Reader:
    def __init__(self, wb: Workbook, path: str) -> None:
        self.wb = wb
        self.path = path
        formula_sheets = {ws.title for ws in wb.worksheets if _has_formulas(ws)}
        self.cache = cached_values(path, formula_sheets) if formula_sheets else {}
        self.book = Book(path=path, unit="万元")

    # -- one cell ---------------------------------------------------------------------------
    def cell(self, ws: Worksheet, r: int, c: int, kind: Kind, label: str, stated: bool, choices=()) -> Cell:
        from openpyxl.utils import get_column_letter

        xc = ws.cell(r, c)
        coord = f"{get_column_letter(c)}{r}"
        raw, formula, no_cache = xc.value, None, False
        is_error = xc.data_type == "e"
        if xc.data_type == "f" or hasattr(raw, "text"):  # plain, array and data-table formulas
            formula = raw if isinstance(raw, str) else str(getattr(raw, "text", "") or "")
            raw, is_error = self.cache.get((ws.title, coord), (NO_CACHE, False))
            if raw is NO_CACHE:
                raw, no_cache = None, True
        parsed = parse_cell(raw, kind, xc.number_format, unit=self.book.unit, choices=choices, is_error=is_error)
        return Cell(
            sheet=ws.title, coord=coord, kind=kind, label=label, parsed=parsed, stated=stated, raw=raw,
            formula=formula, no_cache=no_cache, number_format=xc.number_format, choices=choices,
        )

    def missing(self, sheet: Sheet, kind: Kind, label: str, stated: bool) -> Cell:
        """A cell whose row or column is gone: unreadable (IN07 says why), so checks using it skip."""
        from .numbers import Parsed

        return Cell(sheet=sheet.name, coord="", kind=kind, label=label, stated=stated,
                    parsed=Parsed(Status.INVALID, problem="layout_changed"))

    # -- locating ---------------------------------------------------------------------------
    def find_row(self, ws: Worksheet, expected: int, label: str, col: int = 1, start: int = 1) -> int | None:
        want = normalize_label(label)
        if normalize_label(ws.cell(expected, col).value) == want:
            return expected
        last = min(ws.max_row, max(expected, start) + _SEARCH_ROWS)
        hits = [r for r in range(start, last + 1) if normalize_label(ws.cell(r, col).value) == want]
        return min(hits, key=lambda r: abs(r - expected)) if hits else None

    def find_columns(self, ws: Worksheet, sheet: Sheet, table, header_row: int) -> dict[str, int | None]:
        """Column of each header: where the layout puts it, else anywhere on the header row."""
        found: dict[str, int | None] = {}
        row_labels = {normalize_label(ws.cell(header_row, c).value): c for c in range(1, ws.max_column + 1)}
        for col in table.columns:
            expected = sheet.col_index(table, col.key)
            if normalize_label(ws.cell(header_row, expected).value) == normalize_label(col.header):
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
        ws = self.wb[sheet.name]
        located = {row.key: self.find_row(ws, sheet.grid_row_index(grid, row.key), row.label) for row in grid.rows}
        first = next((r for r in located.values() if r is not None), None)
        shift = 0 if first is None else first - sheet.grid_row_index(grid, next(k for k, v in located.items() if v))
        columns = self.find_columns(ws, sheet, grid, sheet.header_row(grid) + shift)
        for row in grid.rows:
            r = located[row.key]
            if r is None:
                self.issue(ws, sheet.grid_row_index(grid, row.key) + shift, 1, row.label)
            # "合计" alone is ambiguous in messages: say whose total it is.
            name = f"{grid.title}{row.label}" if row.label == "合计" else row.label
            for col in grid.cells(row):
                label = name if len(grid.columns) == 1 else f"{name} {col.header}"
                kind, stated = grid.kind(row, col), grid.stated(row, col)
                c = columns[col.key]
                self.book.cells[(sheet.key, grid.key, row.key, col.key)] = (
                    self.cell(ws, r, c, kind, label, stated, grid.choices(row, col))
                    if r is not None and c is not None
                    else self.missing(sheet, kind, label, stated)
                )

    def list_table(self, sheet: Sheet, table: ListTable) -> None:
        ws = self.wb[sheet.name]
        first_header = table.columns[0].header
        header_row = self.find_row(ws, sheet.header_row(table), first_header)
        if header_row is None:
            self.issue(ws, sheet.header_row(table), 1, first_header)
            header_row = sheet.header_row(table)
        columns = self.find_columns(ws, sheet, table, header_row)
        footer_rows = {
            row.key: self.find_row(ws, header_row + 1 + table.blank_rows, row.label, start=header_row + 1)
            for row in table.footer
        }
        end = min([r for r in footer_rows.values() if r is not None], default=ws.max_row + 1)
        records = []
        for r in range(header_row + 1, end):
            if all(ws.cell(r, c).value in (None, "") for c in columns.values() if c is not None):
                continue
            cells = {}
            name_col = columns.get(table.name_col)
            name = ws.cell(r, name_col).value if name_col else None
            name = str(name).strip()[:30] if name not in (None, "") else f"第{r}行"
            for col in table.columns:
                label = f"{name} {col.header}"
                c = columns[col.key]
                cells[col.key] = (
                    self.cell(ws, r, c, col.kind, label, col.stated, col.choices)
                    if c is not None
                    else self.missing(sheet, col.kind, label, col.stated)
                )
            records.append(Record(r, cells))
        self.book.records[(sheet.key, table.key)] = records
        for row in table.footer:
            r = footer_rows[row.key]
            if r is None:
                self.issue(ws, end, 1, row.label)
            for col in table.footer_cells(row):
                label = f"{row.label} {col.header}"
                kind, stated = table.kind(row, col), table.stated(row, col)
                c = columns[col.key]
                self.book.cells[(sheet.key, table.key, row.key, col.key)] = (
                    self.cell(ws, r, c, kind, label, stated, table.choices(row, col))
                    if r is not None and c is not None
                    else self.missing(sheet, kind, label, stated)
                )

    def sheet(self, sheet: Sheet) -> None:
        for table in sheet.tables:
            if isinstance(table, Grid):
                self.grid(sheet, table)
            else:
                self.list_table(sheet, table)


def _has_formulas(ws: Worksheet) -> bool:
    return any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def read_book(path: str | os.PathLike, ruleset: RuleSet | None = None) -> tuple[Book, Workbook]:
    """The model of ``path`` and the loaded openpyxl workbook (reused for the checked copy)."""
    path = os.fspath(path)
    wb = open_workbook(path)
    check_template(wb, path)
    reader = _Reader(wb, path)
    # The unit decides how amounts are parsed, so 基本信息 goes first.
    reader.sheet(L.BASIC)
    unit = reader.book.cell("basic", "info", "unit", "value").value
    reader.book.unit = unit if unit in ("万元", "元") else "万元"
    for sheet in L.DATA_SHEETS[1:]:
        reader.sheet(sheet)
    if ruleset is None:
        from .ruleset import load_ruleset

        ruleset = load_ruleset()
    reader.book.ruleset = ruleset
    reader.sheet(L.score_sheet(len(ruleset.indicators)))
    return reader.book, wb
