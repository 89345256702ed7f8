"""Shared helpers: fill the template in code, check it, look at the findings."""

from __future__ import annotations

import pytest

from evaltool.checker import Result, check_file
from evaltool.findings import Severity
from evaltool.samples import Filler
from evaltool.scoring.ruleset import load_ruleset
from tests import fillers


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset()


def _checked(filler: Filler, path, ruleset) -> Result:
    filler.save(path)
    result = check_file(path, ruleset)
    # A rule that crashed is reported as internal_error; no test workbook may cause one.
    assert not [f for f in result.findings if f.key == "internal_error"], result.findings
    return result


@pytest.fixture
def run(tmp_path, ruleset):
    """Save a Filler to a file and check it: what the officer's workbook would give."""
    return lambda filler, name="book.xlsx": _checked(filler, tmp_path / name, ruleset)


@pytest.fixture(scope="session")
def seed_result(tmp_path_factory, ruleset) -> Result:
    """``run(seeded)`` of the unchanged seed, checked once for every test that reads it (none changes it)."""
    return _checked(fillers.seed(ruleset), tmp_path_factory.mktemp("seed") / "book.xlsx", ruleset)


@pytest.fixture
def seeded(ruleset):
    return fillers.seed(ruleset)


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


def paste_table_above(filler, sheet_key: str, table_key: str, headers: tuple[str, ...], value) -> tuple[int, int]:
    """The officer pastes a second copy of a grid (e.g. the 决算 table of 三公经费) above the template's:
    rows inserted at its title, the labels repeated, other headers, other figures.  Returns (first row of
    the pasted labels, first row of the template's labels after the insertion)."""
    sheet = filler.sheets[sheet_key]
    grid = sheet.table(table_key)
    ws = filler.wb[sheet.name]
    title = sheet.title_row(grid)
    height = grid.height + 1
    ws.insert_rows(title, height)
    ws.cell(title, 1).value = "附：决算公开表"
    for i, header in enumerate(headers):
        ws.cell(title + 1, 1 + i).value = header
    for i, row in enumerate(grid.rows):
        ws.cell(title + 2 + i, 1).value = row.label
        for c in range(2, 2 + len(headers) - 1):
            ws.cell(title + 2 + i, c).value = value
    return title + 2, sheet.grid_row_index(grid, grid.rows[0].key) + height

