"""表内合计: each ``sums.SUMS`` spec is one rule, reading its results from ``Derived``."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from evaltool.checks.base import finding, refs, register, skipped
from evaltool.derive import Derived
from evaltool.findings import Finding, Quantity, Severity, Unit, money, percent
from evaltool.model import Book
from evaltool.sums import SUMS, SumResult, SumStatus, amount

_KEYS = {
    SumStatus.ROUNDING: (Severity.WARNING, "sum_rounding"),
    SumStatus.MISMATCH: (Severity.ERROR, "sum_mismatch"),
    SumStatus.INCOMPLETE: (Severity.WARNING, "sum_incomplete"),
}


def _quantities(result: SumResult, unit: str) -> tuple[Quantity, Quantity, Quantity]:
    # The total as the sum counted it: a "—"/"无" (none) is 0, never a number-less quantity.
    total = amount(result.total)
    if result.percent:
        places = result.total.places
        return (
            percent(total, places),
            percent(result.expected, places),
            Quantity(result.difference, Unit.POINTS, 2),
        )
    return money(total, unit), money(result.expected, unit), money(result.difference, unit)


def check_sum(code: str, book: Book, derived: Derived) -> Iterator[Finding]:
    for result in derived.sum(code):
        total = result.total
        if result.status is SumStatus.SKIPPED:
            if total.blank and not result.parts:
                continue  # nothing given on either side: not part of this department's report
            if result.percent:
                continue  # sub-shares not (all) stated: nothing to compare
            note = skipped([total, *result.inputs]) if result.unreadable or total.blank else None
            yield note or finding(Severity.INFO, total, "sum_no_parts")
        elif result.status is SumStatus.COMPUTED:
            yield finding(
                Severity.INFO,
                total,
                "sum_computed_partial" if result.blank else "sum_computed",
                recomputed=money(result.expected, book.unit),
                n=len(result.parts),
                parts=refs(result.parts),
                blank=refs(result.blank),
            )
        elif result.status is not SumStatus.OK:
            severity, key = _KEYS[result.status]
            if result.percent:
                key += "_percent"
            stated, expected, diff = _quantities(result, book.unit)
            extra = {} if result.percent else {"tolerance": money(result.tolerance, book.unit, None)}
            if result.status is SumStatus.INCOMPLETE:
                extra["blank"] = refs(result.blank)
            yield finding(
                severity,
                total,
                key,
                stated=stated,
                recomputed=expected,
                difference=diff,
                n=len(result.parts),
                parts=refs(result.parts),
                **extra,
            )


for _spec in SUMS:
    register(_spec.code, Severity.ERROR, partial(check_sum, _spec.code))
