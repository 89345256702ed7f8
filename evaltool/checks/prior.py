"""Against last year's workbook of the same department (与上年数核对, ``--prior``; DOMAIN §8).

Every rule here reads ``derived.prior`` (last year's Book, Derived and error ids) and says nothing
without it.  Last year's amounts are taken into this year's unit (元 ↔ 万元, exact) before any
comparison; equalities allow the rounding tails of the two figures as shown, like every other sum.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from evaltool.checks.base import REGISTRY, finding, location, rule
from evaltool.derive import Derived, Prior
from evaltool.findings import Finding, Severity, money, percent, score
from evaltool.model import Book, Cell
from evaltool.scoring.score import points
from evaltool.sums import money_tolerance
from evaltool.workbook import layout as L

TEN_THOUSAND = Decimal(10000)
SANGONG = tuple(row.key for row in L.COSTS.table("sangong").rows)
# The figures whose year-on-year change needs a 说明 beyond the rule set's threshold (PRI03).
CHANGES: tuple[tuple[str, str, str, str], ...] = (
    ("finance", "income", "total", "amount"),
    ("finance", "expense", "total", "amount"),
    ("finance", "expense", "basic", "amount"),
    ("finance", "expense", "project", "amount"),
    ("costs", "office", "office", "final"),
    *(("costs", "sangong", key, "actual") for key in SANGONG),
)
# Scoring methods where a lower figure is better (上限法: 控制率; 分档法: 结转结余率).
LOWER_IS_BETTER = ("上限法", "分档法")


def _factor(book: Book, prior: Prior) -> Decimal:
    """What last year's amounts are multiplied by to be in this year's unit."""
    if prior.book.unit == book.unit:
        return Decimal(1)
    return TEN_THOUSAND if prior.book.unit == "万元" else 1 / TEN_THOUSAND


def _last(book: Book, prior: Prior, key: tuple[str, str, str, str]) -> tuple[Cell, Decimal | None]:
    """Last year's cell (as its Derived view has it) and its amount in this year's unit."""
    cell = (prior.derived.book or prior.book).cell(*key)
    return cell, None if cell.number is None else cell.number * _factor(book, prior)


def _differs(book: Book, derived: Derived, now: Cell, key: tuple[str, str, str, str]) -> Iterator[Finding]:
    """``now`` must equal last year's ``key`` within the rounding of both as shown: an error."""
    prior = derived.prior
    assert prior is not None
    last_cell, last = _last(book, prior, key)
    if now.number is None or last is None:
        return
    tolerance = money_tolerance([derived.tail(now), prior.derived.tail(last_cell) * _factor(book, prior)])
    if abs(now.number - last) > tolerance:
        yield finding(Severity.ERROR, now, "prior_differs", stated=money(now.number, book.unit),
                      recomputed=money(last, book.unit), difference=money(now.number - last, book.unit),
                      prior_where=location(last_cell), prior_label=last_cell.ref)


@rule("PRI01", Severity.ERROR)
def carry_in_is_last_carry_out(book: Book, derived: Derived) -> Iterator[Finding]:
    if derived.prior is None:
        return
    yield from _differs(book, derived, book.cell("finance", "income", "carry_in", "amount"),
                        ("finance", "expense", "carry_out", "amount"))


@rule("PRI02", Severity.ERROR)
def sangong_last_year_is_last_actual(book: Book, derived: Derived) -> Iterator[Finding]:
    if derived.prior is None:
        return
    for key in SANGONG:
        yield from _differs(book, derived, book.cell("costs", "sangong", key, "last_year"),
                            ("costs", "sangong", key, "actual"))


def _places(fraction: Decimal) -> int:
    """The decimals a threshold needs as a percentage: 0.3 → 0 (30%), 0.125 → 1 (12.5%)."""
    return max(0, -(fraction * 100).normalize().as_tuple().exponent)


@rule("PRI03", Severity.WARNING)
def change_beyond_threshold(book: Book, derived: Derived) -> Iterator[Finding]:
    prior = derived.prior
    if prior is None:
        return
    limit = book.ruleset.prior_change if book.ruleset is not None else Decimal("0.3")
    for key in CHANGES:
        now = book.cell(*key)
        _, last = _last(book, prior, key)
        if now.number is None or last is None:
            continue
        change = now.number - last
        if last == 0:
            if change > 0:  # no rate from nothing: the increase is said as an amount
                yield finding(Severity.WARNING, now, "prior_from_zero", stated=money(now.number, book.unit),
                              difference=money(change, book.unit))
        elif abs(change) > limit * abs(last):
            yield finding(Severity.WARNING, now, "prior_change", stated=money(now.number, book.unit),
                          difference=money(change, book.unit), last=money(last, book.unit),
                          rate=percent(change / last, 2), limit=percent(limit, _places(limit)))


def _above_last(book: Book, derived: Derived, col: str) -> Iterator[Finding]:
    prior = derived.prior
    assert prior is not None
    for key in SANGONG:
        now = book.cell("costs", "sangong", key, col)
        _, last = _last(book, prior, ("costs", "sangong", key, col))
        if now.number is not None and last is not None and now.number > last:
            yield finding(Severity.WARNING, now, "prior_above", stated=money(now.number, book.unit),
                          difference=money(now.number - last, book.unit), last=money(last, book.unit))


@rule("PRI04", Severity.WARNING)
def sangong_budget_above_last(book: Book, derived: Derived) -> Iterator[Finding]:
    """只减不增: the 变动率 of 财预〔2013〕53号 is this year's budget against last year's budget."""
    if derived.prior is not None:
        yield from _above_last(book, derived, "budget")


@rule("PRI05", Severity.WARNING)
def sangong_actual_above_last(book: Book, derived: Derived) -> Iterator[Finding]:
    """Said only where LIM02 does not already say it: this year's 上年实际支出数 blank or not last year's."""
    prior = derived.prior
    if prior is None:
        return
    for f in _above_last(book, derived, "actual"):
        assert f.subject is not None
        stated = book.cell("costs", "sangong", f.subject.row, "last_year")
        _, last = _last(book, prior, ("costs", "sangong", f.subject.row, "actual"))
        if stated.number is None or stated.number != last:
            yield f


@rule("PRI06", Severity.WARNING)
def score_rose_figure_worse(book: Book, derived: Derived) -> Iterator[Finding]:
    prior = derived.prior
    if prior is None:
        return
    before = {line.indicator.level3: line for line in prior.derived.score.lines}
    for line in derived.score.lines:
        old = before.get(line.indicator.level3)
        if old is None or line.record is None or line.self_score is None or old.self_score is None:
            continue
        if line.figure is None or old.figure is None or line.figure.value is None or old.figure.value is None:
            continue
        now_fig, old_fig = line.figure.value, old.figure.value
        worse = now_fig > old_fig if line.indicator.method in LOWER_IS_BETTER else now_fig < old_fig
        if line.self_score > old.self_score and worse:
            yield finding(Severity.WARNING, line.record["self"], "prior_score_rose", stated=score(line.self_score),
                          last=score(old.self_score), figure=line.figure.name, figure_last=points(old_fig),
                          figure_now=points(now_fig))


@rule("PRI07", Severity.WARNING)
def error_of_last_year_again(book: Book, derived: Derived) -> Iterator[Finding]:
    """Last year's error ids (code and subject) against the same rules run on this year's workbook."""
    prior = derived.prior
    if prior is None or not prior.errors:
        return
    codes = dict.fromkeys(i.split(":", 1)[0] for i in sorted(prior.errors))
    for code in codes:
        if code not in REGISTRY or code.startswith("PRI"):
            continue
        for f in REGISTRY[code].check(book, derived):
            f = replace(f, code=code)
            if f.severity is Severity.ERROR and f.id in prior.errors:
                yield Finding("", Severity.WARNING, "prior_error_again", subject=f.subject, location=f.location,
                              params={"original": code})
