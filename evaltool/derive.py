"""Every sum, ratio, figure and score of a workbook, computed once into one immutable value.

The checks, the scoring rules, the output sheets and the JSON all read the same ``Derived``;
nothing recomputes a figure, so what a finding says and what 核查汇总 shows cannot differ.

Sums come first, parents before the totals that add them up: a blank parent or total that its
given parts determine is filled in (``Derived.book`` is the workbook with those values), so the
ratios and scores after it use it like a typed figure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from evaltool.model import Book, Cell
from evaltool.ratios import Ratio, compute
from evaltool.scoring.score import ScoreReport, score_book
from evaltool.sums import SUMS, SumResult, SumStatus, evaluate, evaluation_order, half_unit


@dataclass(frozen=True)
class Prior:
    """Last year's workbook as this year's rules see it: its Book, its Derived figures, and the ids of the
    errors its own check found (so an error still present this year is named as such)."""

    book: Book
    derived: Derived
    errors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Derived:
    sums: tuple[SumResult, ...]  # one per sum spec and column, in spec order
    ratios: tuple[Ratio, ...]  # in the order 核查汇总 lists them
    score: ScoreReport
    book: Book | None = None  # the workbook with the blank parents and totals its parts determine filled in
    # How far a figure computed from parts may be off through the rounding of those parts (by CellRef key).
    tails: Mapping[str, Decimal] = field(default_factory=dict)
    # Last year's workbook of the same department (``--prior``): the PRI rules compare with it.
    prior: Prior | None = None

    @cached_property
    def _by_key(self) -> dict[str, Ratio]:
        return {r.key: r for r in self.ratios}

    def ratio(self, key: str) -> Ratio:
        return self._by_key[key]

    def group(self, key: str) -> tuple[Ratio, ...]:
        return tuple(r for r in self.ratios if r.group.key == key)

    def sum(self, code: str) -> tuple[SumResult, ...]:
        return tuple(s for s in self.sums if s.code == code)

    def basis_broken(self, ratio: Ratio) -> bool:
        """Whether the total the ratio divides by does not add up (the ratio is then not checked)."""
        return ratio.basis is not None and any(s.status is SumStatus.MISMATCH for s in self.sum(ratio.basis))

    def tail(self, cell: Cell) -> Decimal:
        """How far a money figure may be off through rounding: half a unit of its last shown place, or for a
        figure computed from parts, the tails of those parts."""
        return self.tails.get(cell.ref.key, Decimal(0)) if cell.computed else half_unit(cell)


def derive(book: Book) -> Derived:
    filled: dict[tuple[str, str, str, str], Cell] = {}
    tails: dict[str, Decimal] = {}

    def tail(cell: Cell) -> Decimal:
        return tails[cell.ref.key] if cell.computed else half_unit(cell)

    results: dict[tuple[str, str], SumResult] = {}
    for spec in evaluation_order():
        for total, parts in spec.pairs(book, filled):
            result = evaluate(total, parts, spec.code, spec.percent, spec.parent, tail)
            if result.status is SumStatus.COMPUTED:
                ref = total.ref
                filled[(ref.sheet, ref.table, ref.row, ref.col)] = result.total
                tails[ref.key] = result.tolerance or Decimal(0)
            results[(spec.code, total.ref.key)] = result
    sums = tuple(results[(spec.code, total.ref.key)] for spec in SUMS for total, _ in spec.pairs(book))
    view = dataclasses.replace(book, cells={**book.cells, **filled}) if filled else book
    ratios = tuple(compute(view))
    return Derived(sums, ratios, score_book(view, ratios), view, tails)
