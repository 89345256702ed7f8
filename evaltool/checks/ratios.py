"""Officer-stated shares, rates and differences against their recomputation (one rule per group)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial

from evaltool.checks.base import finding, refs, register, skipped
from evaltool.derive import Derived
from evaltool.findings import Finding, Fix, Quantity, Severity, Unit, money, percent
from evaltool.model import Book, Cell
from evaltool.ratios import CHECKED_GROUPS, GROUPS, Ratio, formula
from evaltool.sums import HALF_CENT
from evaltool.workbook.numbers import Bound, is_percent_format, round_half_up

PERCENT = Decimal(100)


def shown_matches(stated: Decimal, decimals: int, true: Decimal) -> bool:
    """DOMAIN §2: a stated percentage is right when it is a rounding of the true value at its shown precision.

    The stated fraction is taken as displayed (rounded to ``decimals`` places of percent points);
    it matches when within half a unit of the last shown place (both roundings of a tie pass).
    """
    unit = Decimal(1).scaleb(-decimals)
    return abs(round_half_up(stated * PERCENT, decimals) - true * PERCENT) <= unit / 2


def bound_holds(bound: Bound, value: Decimal) -> bool:
    return {"≥": value >= bound.value, ">": value > bound.value, "≤": value <= bound.value, "<": value < bound.value}[
        bound.op
    ]


def _fix(stated: Cell, value: Decimal, decimals: int) -> Fix:
    """What --fix writes, shown as the officer showed it: a fraction in a % cell, percent points
    in a plain cell headed (%), and a number formatted as % where the officer had typed text."""
    fraction = round_half_up(value, decimals + 2)
    if isinstance(stated.raw, str):
        return Fix(fraction, "0." + "0" * decimals + "%" if decimals else "0%")
    if is_percent_format(stated.number_format):
        return Fix(fraction)
    return Fix(round_half_up(value * PERCENT, decimals))


def check_group(group: str, book: Book, derived: Derived) -> Iterator[Finding]:
    for ratio in derived.group(group):
        stated = ratio.stated
        if stated is None or not stated.ok:
            continue  # nothing stated to check (unreadable cells are reported by IN rules)
        value = ratio.value
        if value is None:
            if ratio.num is not None and ratio.den is not None:
                yield finding(Severity.WARNING, stated, "ratio_zero_den", den=ratio.inputs[1].ref)
            else:
                yield skipped(ratio.inputs) or finding(
                    Severity.INFO, stated, "ratio_not_numeric", cells=refs(ratio.inputs)
                )
            continue
        if derived.basis_broken(ratio):
            yield finding(Severity.INFO, stated, "ratio_basis_broken", basis=derived.sum(ratio.basis)[0].total.ref)
            continue
        if ratio.approximate:
            yield finding(Severity.INFO, stated, "ratio_approximate")
            continue
        yield from _compare(ratio, stated, value, book.unit)


def _compare(ratio: Ratio, stated: Cell, value: Decimal, unit: str) -> Iterator[Finding]:
    v = stated.value
    how = formula(ratio, unit)
    if ratio.group.difference:
        diff = v - value
        if diff != 0:
            rounding = abs(diff) <= 2 * HALF_CENT
            yield finding(
                Severity.WARNING if rounding else Severity.ERROR,
                stated,
                "diff_rounding" if rounding else "diff_mismatch",
                stated=money(v, unit),
                recomputed=money(value, unit),
                difference=money(diff, unit),
                formula=how,
                fix=Fix(value),
            )
        return
    decimals = stated.places
    recomputed = percent(value, decimals)
    if isinstance(v, Bound):
        if not bound_holds(v, value):
            yield finding(
                Severity.ERROR,
                stated,
                "bound_mismatch",
                stated=percent(v.value, decimals, v.op),
                recomputed=recomputed,
                formula=how,
            )
        return
    if shown_matches(v, decimals, value):
        return
    diff = round_half_up(v, decimals + 2) - round_half_up(value, decimals + 2)
    # Right on 收入总计 instead of 本年收入合计: the basis is wrong, not the arithmetic (a warning).
    alt = ratio.alt_den is not None and ratio.alt_den != 0 and shown_matches(v, decimals, ratio.num / ratio.alt_den)
    yield finding(
        Severity.WARNING if alt else Severity.ERROR,
        stated,
        "ratio_alt_basis" if alt else "ratio_mismatch",
        stated=percent(v, decimals),
        recomputed=recomputed,
        difference=Quantity(diff, Unit.POINTS, decimals),
        formula=how,
        fix=_fix(stated, value, decimals),
    )


for _key in CHECKED_GROUPS:
    register(GROUPS[_key].code, Severity.ERROR, partial(check_group, _key))
