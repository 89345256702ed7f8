"""Officer-stated shares, rates and differences against their recomputation (one rule per group)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import partial

from evaltool.checks.base import finding, labels, register, skipped
from evaltool.findings import Finding, Severity
from evaltool.model import Book, Cell
from evaltool.ratios import CHECKED_GROUPS, GROUPS, Ratio, compute
from evaltool.sums import HALF_CENT, SumStatus, evaluate
from evaltool.text.display import amount, percent, plain
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


def _fix(stated: Cell, value: Decimal, decimals: int) -> tuple[Decimal, str | None]:
    """What --fix writes, shown as the officer showed it: a fraction in a % cell, percent points
    in a plain cell headed (%), and a number formatted as % where the officer had typed text."""
    fraction = round_half_up(value, decimals + 2)
    if isinstance(stated.raw, str):
        return fraction, "0." + "0" * decimals + "%" if decimals else "0%"
    if is_percent_format(stated.number_format):
        return fraction, None
    return round_half_up(value * PERCENT, decimals), None


def _basis_broken(ratio: Ratio, book: Book) -> bool:
    if ratio.basis is None:
        return False
    return any(evaluate(t, p).status is SumStatus.MISMATCH for t, p in ratio.basis.pairs(book))


def check_group(group: str, book: Book) -> Iterator[Finding]:
    name = GROUPS[group].name
    for ratio in compute(book, group):
        stated = ratio.stated
        if stated is None or not stated.ok:
            continue  # nothing stated to check (unreadable cells are reported by IN rules)
        value = ratio.value
        if value is None:
            if ratio.num is not None and ratio.den is not None:
                yield finding(Severity.WARNING, stated, "ratio_zero_den", what=ratio.label, den=ratio.inputs[1].label)
            else:
                yield skipped(ratio.label, ratio.inputs) or finding(
                    Severity.INFO, stated, "ratio_not_numeric", what=ratio.label, cells=labels(ratio.inputs)
                )
            continue
        if _basis_broken(ratio, book):
            yield finding(Severity.INFO, stated, "ratio_basis_broken", what=ratio.label, basis=ratio.basis.name)
            continue
        if ratio.approximate:
            yield finding(Severity.INFO, stated, "ratio_approximate", what=ratio.label)
            continue
        yield from _compare(ratio, stated, value, name)


def _compare(ratio: Ratio, stated: Cell, value: Decimal, name: str) -> Iterator[Finding]:
    v = stated.value
    if ratio.group.difference:
        diff = v - value
        if diff != 0:
            rounding = abs(diff) <= 2 * HALF_CENT
            yield finding(
                Severity.WARNING if rounding else Severity.ERROR,
                stated,
                "diff_rounding" if rounding else "diff_mismatch",
                stated=amount(v),
                recomputed=amount(value),
                difference=amount(diff),
                formula=ratio.formula,
                fix=value,
            )
        return
    decimals = stated.parsed.decimals if stated.parsed.decimals is not None else 2
    recomputed = percent(value, decimals)
    if isinstance(v, Bound):
        if not bound_holds(v, value):
            shown = f"{v.op}{percent(v.value, decimals)}"
            yield finding(
                Severity.ERROR, stated, "bound_mismatch", stated=shown, recomputed=recomputed, formula=ratio.formula
            )
        return
    if shown_matches(v, decimals, value):
        return
    diff = round_half_up(v * PERCENT, decimals) - round_half_up(value * PERCENT, decimals)
    fix, fmt = _fix(stated, value, decimals)
    # Right on 收入总计 instead of 本年收入合计: the basis is wrong, not the arithmetic (a warning).
    alt = ratio.alt_den is not None and ratio.alt_den != 0 and shown_matches(v, decimals, ratio.num / ratio.alt_den)
    yield finding(
        Severity.WARNING if alt else Severity.ERROR,
        stated,
        "ratio_alt_basis" if alt else "ratio_mismatch",
        stated=percent(v, decimals),
        recomputed=recomputed,
        difference=plain(diff),
        formula=ratio.formula,
        fix=fix,
        fix_format=fmt,
    )


for _key in CHECKED_GROUPS:
    _g = GROUPS[_key]
    register(
        _g.code,
        _g.name,
        _g.name_en,
        Severity.ERROR,
        partial(check_group, _key),
        _g.doc + "\n\n只核对“填报”栏已填的数；按填报显示的小数位判断（81.32%、81.3%、81% 对 81.318…% 都算对）。"
        "分母为 0 为提示；输入空白时跳过并说明。",
    )
