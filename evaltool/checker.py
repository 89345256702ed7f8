"""One workbook from path to findings: read, derive every figure once, run every rule."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evaltool.errors import InputError
from evaltool.findings import Finding, Severity

if TYPE_CHECKING:
    from evaltool.checks import Choices
    from evaltool.derive import Derived
    from evaltool.model import Book
    from evaltool.scoring.ruleset import RuleSet

@dataclass
class Result:
    path: str
    findings: list[Finding] = field(default_factory=list)
    book: Book | None = None
    derived: Derived | None = None  # every recomputed sum, ratio and score
    error: InputError | None = None  # the file could not be checked at all
    skipped: InputError | None = None  # a file found in a folder and left alone, and why (not an error)
    output: str | None = None  # where the checked copy was written
    choices: Choices | None = None  # the checks a county or this run switched off or changed

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return 2
        if self.skipped is not None:
            return 0
        return 1 if self.count(Severity.ERROR) else 0


def check_file(path: str | os.PathLike, ruleset: RuleSet | None = None, choices: Choices | None = None) -> Result:
    """Check one file; an unreadable file gives a Result with ``error`` set, never an exception.

    ``choices``: the checks to make (``checks.configure``); by default those of the rule set."""
    from evaltool import checks
    from evaltool.derive import derive
    from evaltool.workbook.reader import read_book

    path = os.fspath(path)
    try:
        book = read_book(path, ruleset)
        choices = choices or checks.configure(book.ruleset)
    except InputError as e:
        return Result(path, error=e)
    derived = derive(book)
    findings = sorted(checks.run(book, derived, choices), key=lambda f: -f.severity.rank)
    return Result(path, findings, book, derived, choices=choices)
