"""Shared helpers: fill the template in code, check it, look at the findings."""

from __future__ import annotations

import pytest

from evaltool.checker import Result, check_file
from evaltool.findings import Severity
from evaltool.samples import Filler, seed
from evaltool.scoring.ruleset import load_ruleset


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset()


@pytest.fixture
def run(tmp_path, ruleset):
    """Save a Filler to a file and check it: what the officer's workbook would give."""

    def _run(filler: Filler, name: str = "book.xlsx") -> Result:
        path = tmp_path / name
        filler.save(path)
        result = check_file(path, ruleset)
        # A rule that crashed is reported as internal_error; no test workbook may cause one.
        assert not [f for f in result.findings if f.key == "internal_error"], result.findings
        return result

    return _run


@pytest.fixture
def seeded(ruleset):
    return seed(ruleset)


def problems(result: Result, severity: Severity | None = None) -> set[tuple[str, str, str | None]]:
    """{(code, sheet, cell)} of the errors and warnings (or of one severity)."""
    return {
        (f.code, f.sheet, f.cell)
        for f in result.findings
        if (f.severity is severity if severity else f.severity is not Severity.INFO)
    }


def found(result: Result, code: str, *, info: bool = False) -> set[tuple[Severity, str | None, str | None]]:
    """{(severity, sheet, cell)} of one rule's findings (info notes only when asked)."""
    return {(f.severity, f.sheet, f.cell) for f in result.findings
            if f.code == code and (info or f.severity is not Severity.INFO)}
