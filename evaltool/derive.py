"""Every sum, ratio, figure and score of a workbook, computed once into one immutable value.

The checks, the scoring rules, the output sheets and the JSON all read the same ``Derived``;
nothing recomputes a figure, so what a finding says and what 核查汇总 shows cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from evaltool.model import Book
from evaltool.ratios import Ratio, compute
from evaltool.scoring.score import ScoreReport, score_book
from evaltool.sums import SUMS, SumResult, SumStatus, evaluate


@dataclass(frozen=True)
class Derived:
    sums: tuple[SumResult, ...]  # one per sum spec and column, in spec order
    ratios: tuple[Ratio, ...]  # in the order 核查汇总 lists them
    score: ScoreReport

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


def derive(book: Book) -> Derived:
    sums = tuple(evaluate(total, parts, spec.code, spec.percent) for spec in SUMS for total, parts in spec.pairs(book))
    ratios = tuple(compute(book))
    return Derived(sums, ratios, score_book(book, ratios))
