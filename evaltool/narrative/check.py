"""One 自评报告 from path to findings: read and normalise the text, extract its claims, verify them (and,
given a workbook, tie them to it)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evaltool.errors import InputError
from evaltool.findings import Finding, Severity

if TYPE_CHECKING:
    from evaltool.narrative.verify import Checked
    from evaltool.scoring.ruleset import RuleSet

REPORT_SUFFIXES = (".docx", ".docm", ".pdf", ".txt", ".doc", ".wps")
# Which InputError of the shared package guard means what for a report (the guard speaks of workbooks).
_REPORT_KEYS = {"encrypted": "encrypted_report", "truncated": "truncated_report", "not_xlsx": "not_report"}


def is_report(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in REPORT_SUFFIXES


@dataclass
class ReportResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    checked: Checked | None = None
    error: InputError | None = None
    output: str | None = None
    book: str | None = None  # the workbook the report was tied to
    kind: str = "report"

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return 2
        return 1 if self.count(Severity.ERROR) else 0

    @property
    def department(self) -> str | None:
        return self.checked.report.department if self.checked else None

    @property
    def year(self) -> int | None:
        return self.checked.report.year if self.checked else None


def check_report(path: str | os.PathLike, book: str | None = None, books: Mapping[str, str] | None = None,
                 ruleset: RuleSet | None = None) -> ReportResult:
    """Check one report; ``book`` ties it to that workbook, ``books`` (department key → workbook path) to the
    workbook of its department when there is one.  Never raises for a bad file: ``error`` says why."""
    from evaltool.model import department_key
    from evaltool.narrative.book import BookFigures
    from evaltool.narrative.claims import extract
    from evaltool.narrative.text import read_report
    from evaltool.narrative.verify import verify

    path = os.fspath(path)
    try:
        report = extract(read_report(path))
    except InputError as e:
        if e.key in _REPORT_KEYS:
            e = InputError(_REPORT_KEYS[e.key], **e.params)
        return ReportResult(path, error=e)
    figures = None
    if book is None and books and report.department:
        book = books.get(department_key(report.department))
    if book is not None:
        try:
            figures = BookFigures.read(book, ruleset)
        except InputError as e:
            return ReportResult(path, error=e, book=book)
    checked = verify(report, figures)
    return ReportResult(path, checked.findings, checked, book=book)
