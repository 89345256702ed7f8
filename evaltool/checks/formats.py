"""FMT01: the workbook lost its % number formats (re-saved through pandas or another program that drops
formats), so its stated percentages read as 1/100 of what the officer meant.

A "(填报)" percentage in a cell without a % format holds percent points (DOMAIN §2): 81.32 in a General cell
is 81.32%.  A workbook re-saved without its formats shows the fraction Excel kept, 0.8132, which then reads
as 0.8132%.  When at least two stated percentages are exactly the recomputed figure ÷ 100 (at the places
they show, less two), more than are wrong either way, and none is right as shown, this is one finding (on
the first of them), and the ratio rules read every plain-number percentage not right as shown as the
fraction it holds (``checks.ratios.percent_cells``): the per-cell errors it explains are gone, and a wrong
figure among them is still reported, as the percentage it really is.  An error: the workbook as shown
states 0.8132 under 占比(%), which every reader of it takes for 0.81%.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from evaltool.checks.base import finding, rule
from evaltool.checks.ratios import explained_cells
from evaltool.derive import Derived
from evaltool.findings import Finding, Quantity, Severity, Unit, percent
from evaltool.model import Book
from evaltool.ratios import CHECKED_GROUPS


@rule("FMT01", Severity.ERROR)
def lost_percent_formats(book: Book, derived: Derived) -> Iterator[Finding]:
    """The stated percentages are the recomputed ones ÷ 100: one finding for the lost % formats."""
    cells = explained_cells(derived)
    if not cells:
        return
    first = next(r for key in CHECKED_GROUPS for r in derived.group(key) if r.stated and r.stated.ref == cells[0])
    assert first.stated is not None and first.value is not None
    typed = first.stated.raw if isinstance(first.stated.raw, (int, float)) else first.stated.value * 100
    yield finding(Severity.ERROR, first.stated, "lost_percent_formats", n=len(cells),
                  typed=Quantity(Decimal(repr(typed)) if isinstance(typed, float) else Decimal(typed), Unit.COUNT),
                  meant=percent(first.value, max(first.stated.places - 2, 0)))
