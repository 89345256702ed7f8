"""Read an officer's workbook into a ``Book``, finding every cell through ``layout``.

Rows and headers are looked for where the layout puts them first, then by
their label, so a workbook with rows inserted above a table still reads.
What cannot be found becomes a ``LayoutIssue`` (a finding), not a crash.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from typing import TYPE_CHECKING

from evaltool.errors import InputError
from evaltool.model import Book, Cell, CellRef, ExtraRow, LayoutIssue, Record, RepeatedTable
from evaltool.workbook import layout as L
from evaltool.workbook.coords import column_letter
from evaltool.workbook.earlier import read_earlier
from evaltool.workbook.guard import preflight
from evaltool.workbook.layout import Column, Grid, Kind, ListTable, Row, Sheet, normalize_label
from evaltool.workbook.marker import marker_in
from evaltool.workbook.merged import apply_merged
from evaltool.workbook.numbers import Parsed, Status, parse_cell
from evaltool.workbook.read import Package, SheetEntry, Worksheet

if TYPE_CHECKING:
    from evaltool.scoring.ruleset import RuleSet

_SEARCH_COLS = 60  # how far right a header is looked for: a stray cell at XFD must not cost 16,384 reads


def _worksheets(package: Package) -> dict[str, SheetEntry]:
    """Worksheets by their name as the reader compares it (a stray space or full-width letter is no rename);
    the sheet named exactly as in the template wins over a look-alike."""
    found: dict[str, SheetEntry] = {}
    names = L.sheet_names()
    for entry in package.sheets:
        if entry.chartsheet:
            continue
        key = normalize_label(entry.name)
        if key not in found or entry.name in names:
            found[key] = entry
    return found


def check_template(package: Package, path: str) -> tuple[dict[str, SheetEntry], str]:
    """The template's sheets by their template name, and the file's template version.

    Raises ``InputError`` when the workbook is not ours, is of a version this tool does not know,
    or lacks a sheet its version has.
    """
    found = _worksheets(package)
    known = L.sheet_names()
    sheets = {name: found[normalize_label(name)] for name in known if normalize_label(name) in found}
    if not sheets:
        raise InputError("not_template", path=path, missing=tuple(known))
    others = {normalize_label(name) for name in package.sheet_names} - set(found)  # chart sheets
    replaced = [n for n in known if n not in sheets and normalize_label(n) in others]
    if replaced:
        raise InputError("not_worksheet", path=path, sheet=replaced[0])
    version = _stamped_version(package, sheets, path)
    # Without a stamp, only the sheets every version has are looked for.
    missing = [n for n in L.sheet_names(version or L.VERSIONS[0]) if n not in sheets]
    if missing:
        ours = {normalize_label(n) for n in (*known, *L.ADDED_SHEETS)}  # a checked copy may be checked again
        extra = [s.name for s in package.sheets if not s.chartsheet and normalize_label(s.name) not in ours]
        if extra:
            raise InputError("sheets_missing_extra", path=path, missing=tuple(missing), extra=tuple(extra))
        raise InputError("sheets_missing", path=path, missing=tuple(missing))
    if version is None:
        raise InputError("template_stamp", path=path, expected=_known_stamps())
    return sheets, version


def _known_stamps() -> str:
    return " / ".join(L.version_stamp(v) for v in L.VERSIONS)


def _stamped_version(package: Package, sheets: dict[str, SheetEntry], path: str) -> str | None:
    """The version the stamp names; None without a stamp; ``InputError`` for a version this tool does not know."""
    if L.INSTRUCTIONS_SHEET not in sheets:
        return None
    stamp = _version_stamp(package.worksheet(sheets[L.INSTRUCTIONS_SHEET]))
    if not stamp or not stamp.startswith(L.STAMP_PREFIX):
        return None
    version = stamp.removeprefix(L.STAMP_PREFIX)
    if version not in L.VERSIONS:
        raise InputError("template_version", path=path, found=stamp, expected=_known_stamps())
    return version


def _version_stamp(ws: Worksheet) -> str | None:
    """The stamp beside its label, where the template puts it or a few rows lower (rows inserted above)."""
    row = next((r for r in range(L.VERSION_ROW, L.VERSION_ROW + 20)
                if normalize_label(ws.at(r, L.VERSION_COL - 1).shown) == L.VERSION_LABEL), L.VERSION_ROW)
    stamp = ws.at(row, L.VERSION_COL).shown
    return None if stamp is None else str(stamp).strip()


class _Reader:
    def __init__(self, package: Package, sheets: dict[str, SheetEntry], version: str, path: str) -> None:
        self.package = package
        self.sheets = sheets
        self.version = version
        self.path = path
        self.book = Book(path=path, unit="万元", template_version=version, sheet_names=package.sheet_names)
        self._labels: dict[str, dict[str, list[int]]] = {}
        self._has: dict[int, tuple[object, bool]] = {}
        self._parsed: tuple[str, Worksheet] | None = None

    def worksheet(self, name: str) -> Worksheet:
        """The template sheet ``name``, parsed when first asked for; one at a time is kept (each sheet's
        tables are read together), so a 50,000-row list is not held while the next sheet is read."""
        if self._parsed is None or self._parsed[0] != name:
            ws = self.package.worksheet(self.sheets[name])
            self.book.merged[ws.title] = list(ws.merged)
            self._parsed = (name, ws)
        return self._parsed[1]

    # -- one cell ---------------------------------------------------------------------------
    def cell(self, ws: Worksheet, r: int, c: int, kind: Kind, line: CellRef, column: str, choices=()) -> Cell:
        xc = ws.at(r, c)
        parsed = parse_cell(xc.value, kind, xc.number_format, unit=self.book.unit, choices=choices,
                            is_error=xc.error, date1904=self.package.date1904)
        # Positional: a frozen dataclass binds keywords at twice the cost, once per cell of a 50,000-row list.
        return Cell(ws.title, r, c, kind, line, column, parsed, xc.value, xc.formula, xc.no_cache,
                    xc.number_format, choices)

    def has(self, *elements: Sheet | Row | Column) -> bool:
        """Whether the file's template version has all of ``elements`` (asked once per cell: remembered)."""
        for e in elements:
            seen = self._has.get(id(e))
            if seen is None:  # the element is kept with its answer, so its id is not reused meanwhile
                seen = self._has[id(e)] = (e, L.has(self.version, e))
            if not seen[1]:
                return False
        return True

    def not_provided(self, sheet: Sheet, kind: Kind, line: CellRef, column: str) -> Cell:
        """A cell of a sheet, row or column newer than the file's template version: blank, checks skip it."""
        return Cell(sheet=sheet.name, row=0, col=0, kind=kind, line=line, column=column, parsed=Parsed(Status.BLANK))

    def missing(self, sheet: Sheet, kind: Kind, line: CellRef, column: str) -> Cell:
        """A cell whose row or column is gone: unreadable (IN07 says why), so checks using it skip."""
        return Cell(sheet=sheet.name, row=0, col=0, kind=kind, line=line, column=column,
                    parsed=Parsed(Status.INVALID, problem="layout_changed"))

    # -- locating ---------------------------------------------------------------------------
    def labels(self, ws: Worksheet) -> dict[str, list[int]]:
        """Rows of each label in column A, from the cells the sheet really has: one step per existing
        cell, where asking row by row would cost one step per row down to the last — a million for
        one stray cell at the bottom of the sheet.  A formula counts by its text, as before.
        """
        found = self._labels.get(ws.title)
        if found is None:
            found = {}
            column_a = sorted(((r, xc) for r, c, xc in ws.items() if c == 1), key=lambda item: item[0])
            for r, xc in column_a:
                if xc.shown not in (None, ""):
                    found.setdefault(normalize_label(xc.shown), []).append(r)
            self._labels[ws.title] = found
        return found

    def find_row(self, ws: Worksheet, expected: int, label: str, start: int = 1) -> int | None:
        """The row labelled ``label`` nearest to where the layout expects it, at or below ``start``."""
        hits = [r for r in self.labels(ws).get(normalize_label(label), ()) if r >= start]
        return min(hits, key=lambda r: abs(r - expected)) if hits else None

    def locate_rows(self, ws: Worksheet, sheet: Sheet, grid: Grid) -> dict[str, int | None]:
        """Each row of ``grid``: its label nearest where the layout expects it.  When the grid's labels
        stand on the sheet more often than the layout puts them there (a second copy of the table pasted
        in, e.g. the 决算 table of 三公经费), the copy read is the one under the template's column headers
        with its rows in the template's order, else the one nearest the template's place; both places
        are noted (IN08), never read silently."""
        rows = [row for row in grid.rows if self.has(row)]
        expected = {row.key: sheet.grid_row_index(grid, row.key) for row in rows}
        hits = {row.key: self.labels(ws).get(normalize_label(row.label), []) for row in rows}
        per_layout = _layout_labels(sheet)
        repeated = [row for row in rows if len(hits[row.key]) > per_layout[normalize_label(row.label)]]
        if not repeated:
            return {row.key: self.find_row(ws, expected[row.key], row.label) for row in rows}

        header = sheet.header_row(grid)

        def fit(shift: int) -> tuple[int, int, int]:
            headers = sum(normalize_label(ws.at(header + shift, sheet.col_index(grid, col.key)).shown)
                          == normalize_label(col.header) for col in grid.columns)
            in_order = sum(expected[key] + shift in rows_of for key, rows_of in hits.items())
            return headers, in_order, -abs(shift)

        shift = max({r - expected[key] for key, rows_of in hits.items() for r in rows_of}, key=fit)
        located = {row.key: self.find_row(ws, expected[row.key] + shift, row.label) for row in rows}
        first = repeated[0]
        used = located[first.key]
        if used is not None:
            others = tuple(r for r in hits[first.key] if r != used)
            self.book.repeated_tables.append(RepeatedTable(ws.title, sheet.key, grid.key, used, others))
        return located

    @staticmethod
    def filled_rows(ws: Worksheet, cols: set[int], first: int, end: int | None) -> list[int]:
        """Rows in [first, end) with a value in one of ``cols`` (see ``labels`` for why ``_cells``)."""
        return sorted({r for r, c, xc in ws.items()
                       if c in cols and r >= first and (end is None or r < end) and xc.shown not in (None, "")})

    def find_columns(self, ws: Worksheet, sheet: Sheet, table, header_row: int) -> dict[str, int | None]:
        """Column of each header: where the layout puts it, else anywhere on the header row."""
        found: dict[str, int | None] = {}
        row_labels = {normalize_label(ws.at(header_row, c).shown): c for c in range(1, _SEARCH_COLS + 1)}
        for col in table.columns:
            expected = sheet.col_index(table, col.key)
            if not self.has(col):  # newer than the file: its cells are not provided
                found[col.key] = None
            elif normalize_label(ws.at(header_row, expected).shown) == normalize_label(col.header):
                found[col.key] = expected
            else:
                found[col.key] = row_labels.get(normalize_label(col.header))
                if found[col.key] is None:
                    self.issue(ws, header_row, expected, col.header)
        return found

    def issue(self, ws: Worksheet, r: int, c: int, expected: str) -> None:
        found = ws.at(r, c).shown
        self.book.layout_issues.append(
            LayoutIssue(ws.title, f"{column_letter(c)}{r}", expected, "" if found is None else str(found))
        )

    # -- tables -----------------------------------------------------------------------------
    def grid(self, sheet: Sheet, grid: Grid) -> None:
        ws = self.worksheet(sheet.name)
        located = self.locate_rows(ws, sheet, grid)
        first = next((r for r in located.values() if r is not None), None)
        shift = 0 if first is None else first - sheet.grid_row_index(grid, next(k for k, v in located.items() if v))
        columns = self.find_columns(ws, sheet, grid, sheet.header_row(grid) + shift)
        self.extra_rows(ws, sheet, grid, located, columns)
        for row in grid.rows:
            r = located.get(row.key)
            if r is None and self.has(row):
                self.issue(ws, sheet.grid_row_index(grid, row.key) + shift, 1, row.label)
            self.labelled_row(ws, sheet, grid, row, r, columns, grid.cells(row))

    def extra_rows(self, ws: Worksheet, sheet: Sheet, grid: Grid, located: dict[str, int | None],
                   columns: dict[str, int | None]) -> None:
        """Rows between the grid's own with a figure (``_is_figure``) in its columns and a label the grid does
        not have (IN09): inserted by hand, they enter no sum, so they are said, not passed over.  A label opening
        with 其中 is a breakdown, which adds to nothing by its nature."""
        found = sorted(r for r in located.values() if r is not None)
        if not found or found[-1] - found[0] >= 2 * len(grid.rows):  # rows from two copies (IN08): not one table
            return
        if not any(grid.kind(row, col) in (Kind.MONEY, Kind.SIGNED_MONEY) for row in grid.rows
                   for col in grid.cells(row)):
            return  # a table without amounts (基本信息, 文字说明): a row added there is a note (邮政编码 514300)
        own = {normalize_label(row.label) for row in grid.rows}
        cols = [c for c in columns.values() if c is not None and c != 1]
        for r in range(found[0] + 1, found[-1]):
            label = str(ws.at(r, 1).shown or "").strip()
            if (r not in found and normalize_label(label) not in own and not label.startswith("其中")
                    and any(_is_figure(ws.at(r, c).shown) for c in cols)):
                self.book.extra_rows.append(ExtraRow(ws.title, sheet.key, grid.key, r, label))

    def labelled_row(self, ws: Worksheet | None, sheet: Sheet, table: Grid | ListTable, row: Row, r: int | None,
                     columns: dict[str, int | None], cols: tuple) -> None:
        """The cells of a grid row or a list's footer row; stand-ins (IN07 says why) where it is missing."""
        line = CellRef(sheet.key, table.key, row.key, "")
        for col in cols:
            self.book.cells[(sheet.key, table.key, row.key, col.key)] = self.located_cell(
                ws, sheet, self.has(sheet, row, col), r, columns.get(col.key), table.kind(row, col), line, col.key,
                table.choices(row, col))

    def located_cell(self, ws: Worksheet | None, sheet: Sheet, provided: bool, r: int | None, c: int | None,
                     kind: Kind, line: CellRef, column: str, choices: tuple[str, ...]) -> Cell:
        """The cell at (r, c); not ``provided`` when the file's version predates it, missing when not found."""
        if not provided:
            return self.not_provided(sheet, kind, line, column)
        if ws is None or r is None or c is None:
            return self.missing(sheet, kind, line, column)
        return self.cell(ws, r, c, kind, line, column, choices)

    def list_table(self, sheet: Sheet, table: ListTable) -> None:
        ws = self.worksheet(sheet.name)
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
        plan = [(col.key, self.has(sheet, col), columns[col.key], col.kind, col.choices) for col in table.columns]
        keys = {key: i for i, (key, *_) in enumerate(plan)}  # shared by the table's records
        for r in rows:
            line = CellRef(sheet.key, table.key, "", "", names[r])
            records.append(Record(r, keys, tuple(self.located_cell(ws, sheet, provided, r, c, kind, line, key, choices)
                                                 for key, provided, c, kind, choices in plan)))
            # A list is the last table of its sheet and its rows are read once: release each parsed row as
            # its record is made, so a 50,000-row list is never held twice (parsed and modelled) at once.
            ws.rows.pop(r, None)
        # A merged 一级指标 (or one amount for several rows) reads as the officer sees it (merged.py).
        merged = self.book.merged.get(ws.title, [])
        self.book.records[(sheet.key, table.key)] = apply_merged(records, merged, columns) if merged else records
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
            value = ws.at(r, name_col).shown if name_col else None
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


def _is_figure(value: object) -> bool:
    """A number, or text read as one ("100", "1,000万元"): what a check would have had to read.  Words in an
    inserted row (基本信息's 单位负责人, a paragraph of 文字说明) are the officer's notes, not figures."""
    if isinstance(value, str):
        return parse_cell(value, Kind.SIGNED_MONEY).status is Status.OK
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@functools.cache
def _layout_labels(sheet: Sheet) -> Counter[str]:
    """How often the layout itself puts each row label in column A of ``sheet`` (合计 in several tables)."""
    labels: Counter[str] = Counter()
    for table in sheet.tables:
        for row in table.rows if isinstance(table, Grid) else table.footer:
            labels[normalize_label(row.label)] += 1
    return labels


def read_book(path: str | os.PathLike, ruleset: RuleSet | None = None) -> Book:
    """The model of ``path``: the package guarded, then read in one streaming pass (no openpyxl)."""
    path = os.fspath(path)
    preflight(path)
    try:
        with Package(path) as package:
            return _read(package, path, ruleset)
    except InputError:
        raise
    except Exception:  # a reader bug on an odd file: a message, never a traceback nor its text
        raise InputError("read_failed", path=path) from None


def _read(package: Package, path: str, ruleset: RuleSet | None) -> Book:
    reader = _Reader(package, *check_template(package, path), path)
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
    reader.book.earlier = read_earlier(package)
    reader.book.checked_before = marker_in(package.zip)
    return reader.book
