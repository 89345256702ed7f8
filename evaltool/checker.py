"""One workbook from path to findings: read, run every rule, recompute every ratio."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evaltool.errors import InputError
from evaltool.findings import Finding, Severity
from evaltool.model import Book
from evaltool.ratios import GROUPS, Ratio, compute

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

    from evaltool.scoring.ruleset import RuleSet
    from evaltool.scoring.score import ScoreReport


@dataclass
class Result:
    path: str
    findings: list[Finding] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    book: Book | None = None
    error: InputError | None = None  # the file could not be checked at all
    output: str | None = None  # where the checked copy was written
    workbook: Workbook | None = None  # the loaded input, reused to write the checked copy
    score: ScoreReport | None = None  # the 自评评分表, self-assessed and recomputed

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return 2
        return 1 if self.count(Severity.ERROR) else 0


def key_ratios(book: Book) -> list[Ratio]:
    """Every recomputed figure, in the order 核查汇总 lists them."""
    return [r for g in GROUPS for r in compute(book, g)]


def check_book(book: Book) -> list[Finding]:
    from evaltool import checks as rules

    return rules.run(book)


def check_file(path: str | os.PathLike, ruleset: RuleSet | None = None) -> Result:
    """Check one file; an unreadable file gives a Result with ``error`` set, never an exception."""
    from evaltool.scoring.score import score_book
    from evaltool.workbook.reader import read_book

    path = os.fspath(path)
    try:
        book, wb = read_book(path, ruleset)
    except InputError as e:
        return Result(path, error=e)
    findings = check_book(book)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    findings.sort(key=lambda f: order[f.severity])
    return Result(path, findings, key_ratios(book), book, workbook=wb, score=score_book(book))
