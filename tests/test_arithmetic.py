"""Exact arithmetic (hypothesis): rounding rules of DOMAIN §2 on money and percentages."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from evaltool.checks.ratios import shown_matches
from evaltool.model import Cell, CellRef
from evaltool.sums import SumStatus, evaluate, half_unit, money_tolerance
from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import Parsed, Status

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)
decimals = st.integers(min_value=0, max_value=4)


def cell(value: Decimal, places: int = 2) -> Cell:
    """A money cell showing ``places`` decimals through its number format."""
    fmt = "0." + "0" * places if places else "0"
    return Cell("收支情况", 1, 2, Kind.MONEY, CellRef("finance", "x", "x", ""), "x", Parsed(Status.OK, value, places),
                number_format=fmt)


def shown(num: Decimal, den: Decimal, d: int, rounding=ROUND_HALF_UP) -> Decimal:
    """The fraction an officer would type for num ÷ den shown with d decimals of percent."""
    points = (num / den * 100).quantize(Decimal(1).scaleb(-d), rounding=rounding)
    return points / 100


@given(money, money, decimals)
def test_a_correct_rounding_always_matches(num, den, d):
    true = num / den
    assert shown_matches(shown(num, den, d), d, true)
    assert shown_matches(shown(num, den, d, ROUND_HALF_EVEN), d, true)


@given(money, money, decimals, st.sampled_from([-2, 2, -5, 7]))
def test_a_rounding_two_or_more_units_off_never_matches(num, den, d, units):
    true = num / den
    off = shown(num, den, d) + Decimal(units).scaleb(-d) / 100
    assert not shown_matches(off, d, true)


@given(st.lists(money, min_size=1, max_size=12))
def test_exact_total_passes_and_float_noise_never_reaches_it(parts):
    total = sum(parts, Decimal(0))
    assert evaluate(cell(total), [cell(p) for p in parts]).status is SumStatus.OK


@given(st.lists(money, min_size=1, max_size=12), st.integers(min_value=1, max_value=60))
def test_total_off_by_cents_is_rounding_only_within_half_a_cent_per_part(parts, cents):
    total = sum(parts, Decimal(0)) + Decimal(cents) / 100
    result = evaluate(cell(total), [cell(p) for p in parts])
    within = Decimal(cents) / 100 <= Decimal("0.005") * len(parts)
    assert result.status is (SumStatus.ROUNDING if within else SumStatus.MISMATCH)
    assert result.difference == Decimal(cents) / 100


yuan = st.integers(min_value=1, max_value=10**11)  # amounts in 分 (0.01 元), up to 10 亿元
places = st.sampled_from([0, 1, 2])


def wan(fen: int, places: int) -> Decimal:
    """An amount in 分 as a 决算 table shows it in 万元: rounded half up to ``places`` decimals."""
    return (Decimal(fen) / 1_000_000).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@given(st.lists(yuan, min_size=1, max_size=12), places, places)
def test_figures_rounded_from_yuan_are_never_an_error(parts, total_places, part_places):
    """Each figure rounded from 元 at the precision it is shown with: the total never mismatches its parts."""
    total = cell(wan(sum(parts), total_places), total_places)
    result = evaluate(total, [cell(wan(p, part_places), part_places) for p in parts])
    assert result.status in (SumStatus.OK, SumStatus.ROUNDING)


@given(st.lists(yuan, min_size=1, max_size=12), places, places, st.integers(min_value=0, max_value=5))
def test_a_total_beyond_the_rounding_tails_is_an_error(parts, total_places, part_places, extra):
    shown = [cell(wan(p, part_places), part_places) for p in parts]
    exact = sum((c.number for c in shown), Decimal(0))
    step = Decimal(1).scaleb(-total_places)
    tolerance = money_tolerance([half_unit(cell(Decimal(0), total_places)), *(half_unit(c) for c in shown)])
    total = exact.quantize(step, rounding=ROUND_HALF_UP)
    while abs(total - exact) <= tolerance:  # the first total on its own grid beyond the tails …
        total += step
    total += extra * step  # … or further
    assert evaluate(cell(total, total_places), shown).status is SumStatus.MISMATCH
