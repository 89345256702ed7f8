"""What a check reports: facts, never sentences.

A ``Finding`` holds a rule code, a severity, a catalogue key, the subject it is about (a typed
cell reference), where it is (sheet and cell), typed quantities (exact decimals with their unit
and the precision they were shown with) and typed parameters.  Words are made only at the edge,
by ``evaltool.text.render``, from one zh/en catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Union

from evaltool.model import Cell, CellRef
from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import Bound, plain


class Severity(StrEnum):
    """强制性 (must be fixed), 提示性 (may stand if explained), 信息."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class State(StrEnum):
    """Where a finding stands after the officer's explanations (DOMAIN §7): an error must be fixed, a
    warning may stand once explained, a note is only information."""

    ERROR = "error"
    UNEXPLAINED = "unexplained"  # a warning without an explanation of substance
    EXPLAINED = "explained"  # a warning the officer explained (出错说明)
    INFO = "info"


class Verdict(StrEnum):
    """One word for a file, the same in the console, the JSON, 核查汇总 and the county summary."""

    READY = "ready"  # 可报送: no error, every warning explained
    PASS_UNEXPLAINED = "pass_unexplained"  # 通过（有未说明的提示）: no error
    FAIL = "fail"  # 未通过
    UNREADABLE = "unreadable"  # 无法核查

    @classmethod
    def of(cls, errors: int, unexplained: int) -> Verdict:
        if errors:
            return cls.FAIL
        return cls.PASS_UNEXPLAINED if unexplained else cls.READY

    @property
    def rank(self) -> int:
        """Best first: a county summary ranks passing departments above failing ones."""
        return ("ready", "pass_unexplained", "fail", "unreadable").index(self.value)


class Unit(StrEnum):
    """What a quantity counts; money in the workbook's own unit, never converted silently."""

    WAN_YUAN = "wan_yuan"  # 万元
    YUAN = "yuan"  # 元
    PERCENT = "percent"  # value is a fraction: 0.8132 is 81.32%
    POINTS = "percentage_points"  # a difference of percentages: 0.01 is 0.01 个百分点
    SCORE = "score"  # 分
    COUNT = "count"
    DAYS = "days"
    GRADE = "grade"  # 优 / 良 / 中 / 差


MONEY_UNITS = {"万元": Unit.WAN_YUAN, "元": Unit.YUAN}


@dataclass(frozen=True)
class Quantity:
    """An exact value with its unit and the decimals it is shown with (None: as it comes)."""

    value: Decimal | int | dt.date | str
    unit: Unit
    places: int | None = None
    op: str | None = None  # a bound: "≥90%" is Quantity(0.9, PERCENT, 0, "≥")


@dataclass(frozen=True)
class Location:
    """Where a finding is: a sheet as named in the workbook and a cell ("C5"); ``cells`` for a
    finding about several cells at once."""

    sheet: str
    cell: str | None = None
    cells: tuple[str, ...] = ()


@dataclass(frozen=True)
class Passage:
    """Where a finding is in a report's text: the paragraph (1-based, in reading order, empty ones not
    counted), the sentence in it, the figure's character span in the normalised paragraph, the sentence
    as quoted, and the line of a .txt or the page of a PDF the paragraph starts on."""

    paragraph: int
    sentence: int
    start: int
    end: int
    quote: str
    line: int | None = None
    page: int | None = None
    sentence_start: int = 0  # where the quoted sentence starts in the paragraph


@dataclass(frozen=True)
class Term:
    """A word of the catalogue, chosen by the check (e.g. 预算 / 决算), rendered in the user's language."""

    key: str


@dataclass(frozen=True)
class Formula:
    """``left op right`` as the check computed it: 2369.93 ÷ 2914.41."""

    left: Quantity
    op: str  # "÷" or "−"
    right: Quantity


@dataclass(frozen=True)
class Phrase:
    """A catalogue sentence with its own parameters, used inside another message (the reason a figure
    could not be computed, one row of an average)."""

    key: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))


# What a message parameter may be.  A plain ``str`` is text the officer typed (a raw cell value, a
# project name), a file path or a formula: it is shown as it is in every language.
Param = Union[  # noqa: UP007 - a recursive alias needs the string-free form
    Quantity, CellRef, Location, Passage, Term, Formula, Phrase, int, str, dt.date, tuple["Param", ...]
]


@dataclass(frozen=True)
class Fix:
    """What ``--fix`` writes into an officer-stated derived cell, and the number format it then needs
    (the cell's own with the decimals the value has).  ``formula``: the cell holds this formula, which
    --fix never overwrites (the mark says what the value should be instead)."""

    value: Decimal
    number_format: str | None = None
    formula: str | None = None
    places: int | None = None  # the decimals the cell then shows: what the console says was written


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    key: str  # the catalogue message
    subject: CellRef | None = None  # what it is about; its label is the message's {label}
    location: Location | None = None  # where; the message's {where}
    stated: Quantity | None = None
    recomputed: Quantity | None = None
    difference: Quantity | None = None
    params: Mapping[str, Param] = field(default_factory=dict)
    fix: Fix | None = None  # never set for an input cell
    position: Passage | None = None  # a report's finding: where in the text (its location is None)
    year: int | None = None  # the 评价年度 of the workbook or report (set by the checker; part of the id)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def sheet(self) -> str | None:
        return self.location.sheet if self.location else None

    @property
    def cell(self) -> str | None:
        return self.location.cell if self.location else None

    @property
    def id(self) -> str:
        """Stable across re-checks: the code, the subject (in a list, the record's name and column, not its
        row, so inserting a row moves nothing) and the year.  A report's finding: the code and a digest of
        the sentence it quotes, so a paragraph inserted above moves nothing either."""
        if self.position is not None:
            import hashlib

            about = hashlib.sha1(self.position.quote.encode("utf-8")).hexdigest()[:10]
        else:
            about = self.subject.key if self.subject is not None else (self.location.sheet if self.location else "")
        return f"{self.code}:{about}" if self.year is None else f"{self.code}:{about}:{self.year}"


def money(value: Decimal, unit: str, places: int | None = 2) -> Quantity:
    """An amount in the workbook's unit (万元 or 元)."""
    return Quantity(value, MONEY_UNITS.get(unit, Unit.WAN_YUAN), places)


def score(value: Decimal, places: int | None = None) -> Quantity:
    """Points of the 自评评分表; ``places`` for a difference (shown at 2 decimals, like every difference)."""
    return Quantity(value, Unit.SCORE, places)


def percent(fraction: Decimal, places: int | None = 2, op: str | None = None) -> Quantity:
    return Quantity(fraction, Unit.PERCENT, places, op)


_UNIT = {Kind.SCORE: Unit.SCORE, Kind.COUNT: Unit.COUNT, Kind.YEAR: Unit.COUNT}


def quantity_of(cell: Cell, unit: str) -> Quantity | str | dt.date | None:
    """The cell's value as read, typed: money in ``unit``, percentages at their shown decimals; words and
    indicator values ("6家") as the officer wrote them."""
    v = cell.value
    places = cell.parsed.decimals
    if isinstance(v, Bound):
        if cell.kind is Kind.PERCENT:
            return percent(v.value, places or 0, v.op)
        return Quantity(v.value, Unit.COUNT, None, v.op)
    if isinstance(v, Decimal):
        if cell.kind is Kind.PERCENT:
            return percent(v, 2 if places is None else places)
        if cell.kind in (Kind.MONEY, Kind.SIGNED_MONEY):
            return money(v, unit)
        return Quantity(v, _UNIT.get(cell.kind, Unit.SCORE))
    if isinstance(v, int):
        return Quantity(v, Unit.COUNT)
    if v is None or isinstance(v, dt.date):
        return v
    return str(v) if not hasattr(v, "unit") else f"{v.op or ''}{plain(v.value)}{v.unit}"
