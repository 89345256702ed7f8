"""The workbook as the checks see it: typed values that remember where they came from."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltool.workbook.coords import column_letter
from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import Parsed, Status

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from evaltool.scoring.indicators import RuleSet


# The note on a cell that ``derive`` filled in from its parts (``Parsed.notes``).
COMPUTED = "computed"


@dataclass(frozen=True, slots=True)  # slots: one per cell of a 50,000-row list
class CellRef:
    """A cell of the layout by its keys, never by its position: ("finance", "income", "fiscal", "share").

    In a list table ``row`` is empty and ``record`` names the record (the 项目名称 or 三级指标 the
    officer typed, or "#<sheet row>" when it has none), so the reference survives inserted rows.
    The text layer turns it into a label in the user's language.
    """

    sheet: str
    table: str
    row: str
    col: str
    record: str | None = None

    @property
    def line(self) -> CellRef:
        """The row (or record) this cell is on, with the column left open."""
        return CellRef(self.sheet, self.table, self.row, "", self.record)

    @property
    def key(self) -> str:
        """"finance.income.fiscal.share", "funds.funds[县科协科普经费].rate"; a whole row's without a column."""
        where = f"[{self.record}]" if self.record is not None else f".{self.row}"
        return f"{self.sheet}.{self.table}{where}" + (f".{self.col}" if self.col else "")


@dataclass(frozen=True, slots=True)
class Cell:
    sheet: str  # sheet name as in the workbook
    # Where it is: row and column numbers, 0 when not found in the workbook.  Numbers, not "B5": a list
    # cell shares its row's int with its neighbours, where a coordinate string cost 55 bytes a cell.
    row: int
    col: int
    kind: Kind
    # What it is in the layout (``ref``): the row or record it is on, shared by that line's cells (one
    # reference per cell cost 72 bytes a cell of a 50,000-row list), and its column's key.
    line: CellRef
    column: str
    parsed: Parsed
    raw: object = None
    formula: str | None = None
    no_cache: bool = False  # a formula whose result was never saved
    number_format: str | None = None
    choices: tuple[str, ...] = ()

    @property
    def ref(self) -> CellRef:
        """What it is in the layout; its label comes from there."""
        line = self.line
        return CellRef(line.sheet, line.table, line.row, self.column, line.record)

    @property
    def coord(self) -> str:
        """"B5"; "" when the row or column was not found in the workbook."""
        return f"{column_letter(self.col)}{self.row}" if self.row and self.col else ""

    @property
    def status(self) -> Status:
        return self.parsed.status

    @property
    def ok(self) -> bool:
        return self.parsed.status is Status.OK and not self.no_cache

    @property
    def blank(self) -> bool:
        return self.parsed.status in (Status.BLANK, Status.PLACEHOLDER) and not self.no_cache

    @property
    def value(self):
        return self.parsed.value if self.ok else None

    @property
    def text(self) -> str:
        """The content as typed, for messages about it (at most 60 characters)."""
        return "" if self.raw is None else str(self.raw)[:60]

    @property
    def places(self) -> int:
        """The decimals a figure is shown with (its number format or the digits typed); 2 when unknown."""
        return self.parsed.decimals if self.parsed.decimals is not None else 2

    @property
    def computed(self) -> bool:
        """Not typed: a blank total or parent that ``derive`` filled in from its given parts."""
        return COMPUTED in self.parsed.notes

    @property
    def number(self) -> Decimal | None:
        v = self.value
        return v if isinstance(v, Decimal) else None


@dataclass(frozen=True, slots=True)
class Record:
    """One row of a list sheet (专项资金, 绩效目标, 自评评分表): its cells in the order of ``columns``, the
    column keys' positions, one mapping shared by every record of the table (a dict per record cost
    ~290 bytes a row of a 50,000-row list)."""

    row: int
    columns: Mapping[str, int]
    cells: tuple[Cell, ...]

    def __getitem__(self, key: str) -> Cell:
        return self.cells[self.columns[key]]

    def items(self) -> Iterator[tuple[str, Cell]]:
        return zip(self.columns, self.cells, strict=True)

    def replace(self, changed: Mapping[str, Cell]) -> Record:
        """This record with the cells of ``changed`` (by column key) in place of its own."""
        if not changed:
            return self
        return Record(self.row, self.columns, tuple(changed.get(key, cell) for key, cell in self.items()))


@dataclass(frozen=True)
class LayoutIssue:
    """A label or header of the template that is not where the layout says (or anywhere)."""

    sheet: str
    coord: str
    expected: str
    found: str


@dataclass(frozen=True)
class ExtraRow:
    """A row inside a grid of the template that the template does not have (inserted by hand), with a
    figure in one of the grid's columns: no check reads it."""

    sheet: str  # as named in the workbook
    sheet_key: str
    table: str
    row: int
    label: str


@dataclass(frozen=True)
class RepeatedTable:
    """A grid of the template found more than once on its sheet: the copy read (its first row's sheet
    row) and where the others start."""

    sheet: str  # as named in the workbook
    sheet_key: str
    table: str
    used: int
    others: tuple[int, ...]


@dataclass(frozen=True)
class Earlier:
    """One row of the 核查结果 of an earlier check, read back by its finding's id: the officer's
    explanation, the digest of the figures it explained, the reviewer's conclusion (a
    ``layout.REVIEW_CHOICES`` key) and note."""

    explanation: str = ""
    digest: str = ""
    review: str | None = None
    review_note: str = ""


@dataclass
class Book:
    path: str
    unit: str  # 万元 or 元
    cells: dict[tuple[str, str, str, str], Cell] = field(default_factory=dict)
    records: dict[tuple[str, str], list[Record]] = field(default_factory=dict)
    layout_issues: list[LayoutIssue] = field(default_factory=list)
    repeated_tables: list[RepeatedTable] = field(default_factory=list)
    extra_rows: list[ExtraRow] = field(default_factory=list)
    ruleset: RuleSet | None = None  # the scoring rules the 自评评分表 is checked against
    template_version: str = "v1"  # the stamp's version; layout elements added later read as blank
    sheet_names: tuple[str, ...] = ()  # every sheet of the workbook, in order (chart sheets too)
    # Merged ranges of each template sheet read, by sheet title: (min_row, min_col, max_row, max_col).
    merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    earlier: dict[str, Earlier] = field(default_factory=dict)  # a checked copy's 核查结果, by finding id
    # A checked copy: the marker the check that wrote it left (tool version, rule set); None: an original.
    checked_before: dict | None = None

    def cell(self, sheet: str, table: str, row: str, col: str) -> Cell:
        return self.cells[(sheet, table, row, col)]

    @property
    def department(self) -> str | None:
        name = self.cell("basic", "info", "dept", "value").value
        return name if isinstance(name, str) else None

    @property
    def year(self) -> int | None:
        year = self.cell("basic", "info", "year", "value").value
        return year if isinstance(year, int) else None

    def list(self, sheet: str, table: str) -> list[Record]:
        return self.records.get((sheet, table), [])

    def all_cells(self):
        yield from self.cells.values()
        for records in self.records.values():
            for rec in records:
                yield from rec.cells


_SEAL = re.compile(r"\((?:公章|盖章|签章)\)")


def department_key(name: object) -> str:
    """A department's name as files are paired by it (a report with its workbook): NFKC, no spaces, no
    “（公章）”.  "" for none."""
    s = "".join(unicodedata.normalize("NFKC", str(name or "")).split())
    return _SEAL.sub("", s)
