"""Officer-stated shares, rates and differences against their recomputation (one rule per group).

A stated figure is right when it is a rounding, at the precision it is shown with, of the figure its
inputs give; a money input shown coarser than the cent (a total in whole 万元) stands for any value
within half a unit of its last place.  A wrong figure is an error; when the
arithmetic shows the likely slip (×100, a fraction in a points cell, 年初预算数, swapped, a sign, a rate
capped at 100%, the wrong basis) the message names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from functools import partial

from evaltool.checks.base import finding, refs, register, skipped
from evaltool.derive import Derived
from evaltool.findings import Finding, Fix, Formula, Phrase, Quantity, Severity, Unit, money, percent
from evaltool.model import Book, Cell, CellRef
from evaltool.ratios import CHECKED_GROUPS, GROUPS, Ratio, formula
from evaltool.sums import half_unit, money_places, money_tolerance
from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import Bound, format_decimals, is_percent_format, round_half_up, with_decimals

PERCENT = Decimal(100)
ONE = Decimal(1)
MONEY_KINDS = (Kind.MONEY, Kind.SIGNED_MONEY)


def shown_matches(stated: Decimal, decimals: int, true: Decimal, high: Decimal | None = None) -> bool:
    """DOMAIN §2: a stated percentage is right when it is a rounding of the true value at its shown precision.

    The stated fraction is taken as displayed (rounded to ``decimals`` places of percent points);
    it matches when within half a unit of the last shown place (both roundings of a tie pass) of the
    true value, or of some value in [``true``, ``high``] when the inputs only fix a range.
    """
    half = Decimal(1).scaleb(-decimals) / 2
    shown = round_half_up(stated * PERCENT, decimals)
    low, high = true * PERCENT, (true if high is None else high) * PERCENT
    return low - half <= shown <= high + half


def bound_holds(bound: Bound, value: Decimal) -> bool:
    return {"≥": value >= bound.value, ">": value > bound.value, "≤": value <= bound.value, "<": value < bound.value}[
        bound.op
    ]


# --fix writes a rate with at least this many decimals of percent: the recomputed 93.97% in a "0%" cell
# would show as 94%, a rounding that hides the figure the officer is to report.
FIX_PLACES = 2


def fix_of(stated: Cell, value: Decimal, places: int, number_format: str | None = None) -> Fix:
    """--fix's ``value`` for ``stated`` in the cell's own number format with ``places`` decimals at least
    (``number_format`` when the cell's own cannot hold it at all); a formula cell is named, not
    overwritten."""
    fmt = number_format or with_decimals(stated.number_format, places)
    shown = format_decimals(fmt or stated.number_format)  # General shows the value's own digits
    return Fix(value, fmt, (stated.formula or "").lstrip("=") or None, places if shown is None else shown)


def _fix(stated: Cell, value: Decimal, decimals: int) -> Fix:
    """What --fix writes, shown as the officer showed it but with FIX_PLACES decimals at least: a fraction
    in a % cell, percent points in a plain cell headed (%), and a number formatted as % where the officer
    had typed text."""
    fraction = round_half_up(value, max(decimals, FIX_PLACES) + 2)
    places = max(decimals, _places(fraction) - 2)  # 100% stays "0%"; 93.97% needs "0.00%"
    if isinstance(stated.raw, str):
        return fix_of(stated, fraction, places, "0." + "0" * places + "%" if places else "0%")
    if is_percent_format(stated.number_format):
        return fix_of(stated, fraction, places)
    return fix_of(stated, round_half_up(value * PERCENT, max(decimals, FIX_PLACES)), places)


def _places(d: Decimal) -> int:
    """The decimals ``d`` needs: 0.9397 → 4, 1.0000 → 0."""
    return max(0, -d.normalize().as_tuple().exponent) if d.is_finite() else 0


def check_group(group: str, book: Book, derived: Derived) -> Iterator[Finding]:
    for ratio in derived.group(group):
        stated = ratio.stated
        if stated is None or not stated.ok:
            continue  # nothing stated to check (unreadable cells are reported by IN rules)
        stated = read_as_fraction(stated, derived)
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
        if ratio.group.difference:
            yield from _difference(ratio, stated, value, derived, book.unit)
        else:
            yield from _compare(ratio, stated, value, book)


def _difference(ratio: Ratio, stated: Cell, value: Decimal, derived: Derived, unit: str) -> Iterator[Finding]:
    """决算 − 预算 stated in money: exact, or within the rounding of the three figures as shown (a warning)."""
    v = stated.value
    diff = v - value
    if diff == 0:
        return
    how = formula(ratio, unit)
    rounding = abs(diff) <= money_tolerance([derived.tail(c) for c in (stated, *ratio.inputs)])
    common = dict(stated=money(v, unit), recomputed=money(value, unit), difference=money(diff, unit), formula=how,
                  fix=fix_of(stated, value, _places(value)))
    if rounding:
        yield finding(Severity.WARNING, stated, "diff_rounding", **common)
    elif v == -value:
        yield finding(Severity.ERROR, stated, "diff_mismatch_hint", hint=Phrase("hint.sign"), **common)
    else:
        yield finding(Severity.ERROR, stated, "diff_mismatch", **common)


def _coarse(cell: Cell) -> Decimal:
    """How far a money input may be from the figure the stated one was computed from.  A figure shown to
    the cent is taken as it is (officers compute from it, DOMAIN §2); one shown coarser (whole 万元, as
    决算 tables publish totals) stands for anything within half a unit of its last place, as the
    figure behind it was what the share was computed from."""
    return half_unit(cell) if money_places(cell) < 2 and not cell.computed else Decimal(0)


def _range(ratio: Ratio) -> tuple[Decimal, Decimal] | None:
    """The lowest and highest value num ÷ den can stand for, each coarse money input anywhere within its
    rounding; None when the inputs are exact or the range would reach a zero denominator."""
    num, den = ratio.inputs
    if ratio.num is None or ratio.den is None or num.kind not in MONEY_KINDS:
        return None
    hn, hd = _coarse(num), _coarse(den)
    if not (hn or hd) or ratio.den - hd <= 0 or ratio.num < 0:
        return None
    return max(ratio.num - hn, Decimal(0)) / (ratio.den + hd), (ratio.num + hn) / (ratio.den - hd)


def _compare(ratio: Ratio, stated: Cell, value: Decimal, book: Book) -> Iterator[Finding]:
    v = stated.value
    unit = book.unit
    decimals = stated.places
    if isinstance(v, Bound):
        if not bound_holds(v, value):
            yield finding(
                Severity.ERROR,
                stated,
                "bound_mismatch",
                stated=percent(v.value, decimals, v.op),
                recomputed=percent(value, decimals),
                formula=formula(ratio, unit),
            )
        return
    span = _range(ratio)
    if shown_matches(v, decimals, *(span or (value,))):
        return  # the common case, kept cheap: a 10,000-row list has 10,000 of these
    capped = v == ONE and value > ONE
    if capped and ratio.group.key == "goal_rate" and book.ruleset is not None and book.ruleset.completion_capped:
        return  # the county's rules cap 完成率 at 100%
    diff = round_half_up(v, decimals + 2) - round_half_up(value, decimals + 2)
    hint = Phrase("hint.capped") if capped else _hint(ratio, v, decimals, unit)
    yield finding(
        Severity.ERROR,
        stated,
        "ratio_mismatch_hint" if hint is not None else "ratio_mismatch",
        stated=percent(v, decimals),
        recomputed=percent(value, decimals),
        difference=Quantity(diff, Unit.POINTS, 2),
        formula=formula(ratio, unit),
        fix=_fix(stated, value, decimals),
        **({"hint": hint} if hint is not None else {}),
    )


def _hint(ratio: Ratio, v: Decimal, decimals: int, unit: str) -> Phrase | None:
    """The slip the arithmetic shows: the stated figure is what a likely mistake gives."""
    num, den, value = ratio.num, ratio.den, ratio.value
    assert num is not None and den is not None and value is not None
    for word, cell in ratio.alts:
        alt = cell.number
        if alt and shown_matches(v, decimals, num / alt):
            used = Formula(money(num, unit), "÷", money(alt, unit))
            return Phrase(f"hint.{word}", {"formula": used, "den": cell.ref, "basis": ratio.inputs[1].ref})
    if num and shown_matches(v, decimals, den / num):
        return Phrase("hint.swapped", {"formula": Formula(formula(ratio, unit).right, "÷", formula(ratio, unit).left)})
    if shown_matches(v / PERCENT, decimals, value):
        return Phrase("hint.times100", {"typed": Quantity(v, Unit.COUNT), "should": percent(v / PERCENT, decimals)})
    if shown_matches(v * PERCENT, decimals, value):
        return Phrase("hint.fraction", {"typed": _points(v), "should": _points(value, decimals)})
    return None


def _points(fraction: Decimal, places: int | None = None) -> Quantity:
    """A fraction as the plain number of percent points an officer types (0.942 → 94.2)."""
    points = fraction * PERCENT
    return Quantity(points if places is None else round_half_up(points, places), Unit.COUNT)


# --------------------------------------------------------------------------- lost % formats (FMT01)

MIN_CELLS = 2  # one figure a hundred times too small is a slip (the ratio rules say so); two are a pattern

_last: tuple[Derived | None, tuple[CellRef, ...], frozenset[CellRef]] = (None, (), frozenset())


def _as_fraction(cell: Cell) -> Cell:
    """``cell`` read as the fraction its plain number is (0.8132 → 81.32%), shown at two places fewer; taken as
    a % cell, so that --fix writes the fraction its neighbours hold."""
    parsed = cell.parsed
    return replace(cell, number_format="0%",
                   parsed=replace(parsed, value=parsed.value * PERCENT, decimals=max(cell.places - 2, 0)))


def _stated(ratio: Ratio) -> Cell | None:
    """The officer's plain-number percentage of ``ratio`` (not a % cell, not a bound) with a recomputed figure."""
    cell = ratio.stated
    if (cell is None or not cell.ok or ratio.value is None or ratio.approximate or ratio.group.difference
            or isinstance(cell.value, Bound) or not isinstance(cell.value, Decimal)
            or is_percent_format(cell.number_format) or isinstance(cell.raw, str)):
        return None
    return cell


def percent_cells(derived: Derived) -> frozenset[CellRef]:
    """The stated cells to read as fractions: every plain-number percentage not right as shown, when at least
    two of them, and more than those that are neither, are the recomputed figure ÷ 100 and none that is right
    as shown states something (a 0 for a 0 says nothing); else none."""
    return _lost_percent(derived)[2]


def explained_cells(derived: Derived) -> tuple[CellRef, ...]:
    """The stated cells FMT01 explains (exactly the recomputed figure ÷ 100), in rule order; () unless it fires."""
    return _lost_percent(derived)[1]


def _lost_percent(derived: Derived) -> tuple[Derived, tuple[CellRef, ...], frozenset[CellRef]]:
    global _last
    if _last[0] is derived:  # asked once per ratio rule of one workbook
        return _last  # type: ignore[return-value]
    lost: list[CellRef] = []
    other: list[CellRef] = []
    right = False
    for ratio in (r for key in CHECKED_GROUPS for r in derived.group(key)):
        cell = _stated(ratio)
        if cell is None or derived.basis_broken(ratio):
            continue
        if shown_matches(cell.value, cell.places, ratio.value):
            right = right or ratio.value != 0
            continue
        fraction = _as_fraction(cell)
        (lost if shown_matches(fraction.value, fraction.places, ratio.value) else other).append(cell.ref)
    fires = len(lost) >= MIN_CELLS and len(lost) > len(other) and not right
    _last = (derived, tuple(lost), frozenset(lost + other)) if fires else (derived, (), frozenset())
    return _last  # type: ignore[return-value]


def read_as_fraction(cell: Cell, derived: Derived) -> Cell:
    """What the ratio rules compare: ``cell`` itself, or its fraction when FMT01 explains it."""
    return _as_fraction(cell) if cell.ref in percent_cells(derived) else cell


for _key in CHECKED_GROUPS:
    register(GROUPS[_key].code, Severity.ERROR, partial(check_group, _key))
