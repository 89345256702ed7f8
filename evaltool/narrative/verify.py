"""The report rules (RPT): each a unit with a stable code and a severity, a function of the report's
claims (and, with ``--book``, of the workbook's figures) that yields verdicts.

They are a registry of their own (``REPORT_RULES``, in ``ORDER``), not part of ``checks.REGISTRY``:
a workbook rule is a function of a ``Book``, a report rule of a ``Report``, and the workbook rules
never see a report.  Their names and documentation are in ``evaltool.text.rules`` beside the
workbook rules', and ``evaltool rules`` / ``evaltool rule RPT01`` list them too.

A verdict is one claim checked: what it was about (for the list of verified claims and for
``-v``'s 未核对, the figures no claim checked) and its finding, if any.  Figures are compared at
the precision the text shows them with (DOMAIN §2): a money total off by no more than the rounding
tails of the figures shown is a warning; a percentage that is not a correct half-up rounding of the
figures as shown, nor of any figures they could have been rounded from, is an error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltool.findings import Finding, Formula, Passage, Quantity, Severity, Unit
from evaltool.narrative.claims import (
    ChangeClaim,
    Figure,
    NumberedItem,
    Report,
    ShareClaim,
    Spot,
    SumClaim,
)
from evaltool.scoring.score import grade
from evaltool.workbook.numbers import round_half_up

if TYPE_CHECKING:  # a report is checked without a workbook too
    from evaltool.narrative.book import BookFigures

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Verdict:
    """One claim checked: the figures (or spots) it was about, a plain description for the list of
    verified claims, and its finding when it does not hold."""

    about: tuple[Figure | Spot, ...]
    claim: str
    finding: Finding | None = None
    code: str = ""  # stamped by ``verify``


Check = Callable[[Report, "BookFigures | None"], Iterable[Verdict]]


@dataclass(frozen=True)
class ReportRule:
    code: str
    severity: Severity  # the worst it reports
    check: Check


REPORT_RULES: dict[str, ReportRule] = {}


def _rule(code: str, severity: Severity) -> Callable[[Check], Check]:
    def deco(func: Check) -> Check:
        if code in REPORT_RULES:
            raise ValueError(f"duplicate rule code {code}")
        REPORT_RULES[code] = ReportRule(code, severity, func)
        return func

    return deco


# --------------------------------------------------------------------------- facts for findings


_MONEY_UNITS = {"万元": Unit.WAN_YUAN, "万": Unit.WAN_YUAN, "亿元": Unit.WAN_YUAN, "元": Unit.YUAN}


def quantity(f: Figure, value: Decimal | None = None, places: int | None = None) -> Quantity:
    """A figure (or ``value``, in the figure's own unit) as a typed quantity: money in 万元 or 元 (亿元 shown
    in 万元), a percentage as a fraction, a count, a score."""
    v = f.value if value is None else value
    p = f.places if places is None else places
    if f.kind == "money":
        if f.unit == "亿元":
            return Quantity(v * 10000, Unit.WAN_YUAN, max(p - 4, 0))
        return Quantity(v, _MONEY_UNITS[f.unit], p)
    if f.kind == "percent":
        return Quantity(v / HUNDRED, Unit.PERCENT, p)
    if f.kind == "score":
        return Quantity(v, Unit.SCORE, p)
    if f.kind == "points":
        return Quantity(v / HUNDRED, Unit.POINTS, p)
    return Quantity(int(v) if v == v.to_integral_value() else v, Unit.COUNT, p)


def in_unit(f: Figure, base: Decimal) -> Decimal:
    """A value in ``f``'s ``base`` unit (元, fraction, count) expressed in the unit ``f`` is written in."""
    if f.kind == "money":
        from evaltool.narrative.claims import MONEY

        return base / MONEY[f.unit]
    return base * HUNDRED if f.kind == "percent" else base


def passage(report: Report, paragraph: int, sentence: int, start: int, end: int) -> Passage:
    p = report.paragraph(paragraph)
    spans = p.sentences()
    s, e = spans[sentence - 1] if 0 < sentence <= len(spans) else (0, len(p.text))
    return Passage(paragraph, sentence, start, end, p.text[s:e], p.line, p.page, s)


def at(report: Report, what: Figure | Spot, last: Figure | Spot | None = None) -> Passage:
    end = (last or what).end
    return passage(report, what.paragraph, what.sentence, what.start, end)


def finding(report: Report, severity: Severity, key: str, where: Figure | Spot, *, last: Figure | Spot | None = None,
            stated: Quantity | None = None, recomputed: Quantity | None = None,
            difference: Quantity | None = None, **params) -> Finding:
    return Finding("", severity, key, stated=stated, recomputed=recomputed, difference=difference, params=params,
                   position=at(report, where, last))


def named(f: Figure) -> str:
    """A figure as the officer wrote it, with its label: 财政拨款收入 2369.93万元."""
    return f"{f.label} {f.text}".strip()


def rounds_to(true: Decimal, stated: Figure) -> bool:
    """Whether ``stated`` (a percentage) is ``true`` (a fraction) rounded half up at the places shown."""
    return round_half_up(true * HUNDRED, stated.places) == stated.value


ABOUT = Decimal("0.05")  # 约 X: within 5% of X
NEARLY = Decimal("0.1")  # 近 X: at most X, and not 10% below it


def approx_holds(f: Figure, true: Decimal) -> bool:
    """Whether an approximate figure (``f.approx``) fits ``true`` (in ``f``'s base unit): 约/左右 within 5%
    of it (or its rounding), 近 at most it and within 10% below, 不到/不足 at most it, 超过/以上 at least it."""
    v, h = f.base, f.half
    if f.approx == "~":
        return abs(true - v) <= max(h, abs(v) * ABOUT)
    if f.approx == "<":
        return v * (1 - NEARLY) - h <= true <= v + h
    if f.approx == "≤":
        return true <= v + h
    return true >= v - h


def exact(*figures: Figure | None) -> bool:
    """None of the figures is approximate: a claim built on one cannot be checked exactly."""
    return all(f is None or f.approx is None for f in figures)


def _interval(num: Figure | Decimal, den: Figure | Decimal) -> tuple[Decimal, Decimal] | None:
    """The range of num ÷ den over every pair of figures the two shown could have been rounded from."""
    n, nh = (num.base, num.half) if isinstance(num, Figure) else (num, Decimal(0))
    d, dh = (den.base, den.half) if isinstance(den, Figure) else (den, Decimal(0))
    if d - dh <= 0:
        return None
    return max(n - nh, Decimal(0)) / (d + dh), (n + nh) / (d - dh)


def ratio_verdict(report: Report, rate: Figure, num: Figure | Decimal, den: Figure | Decimal, claim: str,
                  key: str, formula: Formula, about: tuple[Figure, ...], **params) -> Verdict:
    """A stated percentage against num ÷ den: right when it is the rounding of the shown figures' ratio; a
    warning when only figures they could have been rounded from give it; else an error."""
    n = num.base if isinstance(num, Figure) else num
    d = den.base if isinstance(den, Figure) else den
    true = n / d
    if rate.approx is not None or rounds_to(true, rate):
        if rate.approx is None or approx_holds(rate, true):
            return Verdict(about, claim)
        return Verdict(about, claim, finding(
            report, Severity.ERROR, key, rate, stated=quantity(rate),
            recomputed=Quantity(true, Unit.PERCENT, rate.places),
            difference=Quantity(rate.base - round_half_up(true * HUNDRED, rate.places) / HUNDRED, Unit.POINTS,
                                rate.places), formula=formula, **params))
    span = _interval(num, den)
    low, high = rate.base - rate.half, rate.base + rate.half
    tail = span is not None and span[0] <= high and span[1] >= low
    recomputed = Quantity(true, Unit.PERCENT, rate.places)
    diff = Quantity(rate.base - round_half_up(true * HUNDRED, rate.places) / HUNDRED, Unit.POINTS, rate.places)
    f = finding(report, Severity.WARNING if tail else Severity.ERROR, f"{key}_tail" if tail else key, rate,
                stated=quantity(rate), recomputed=recomputed, difference=diff, formula=formula, **params)
    return Verdict(about, claim, f)


def _formula(a: Figure, op: str, b: Figure | Decimal, like: Figure | None = None) -> Formula:
    right = quantity(b) if isinstance(b, Figure) else quantity(like or a, in_unit(like or a, b))
    return Formula(quantity(a), op, right)


def _failed_totals(report: Report) -> set[Figure]:
    """Totals whose own parts do not add up: their shares are not checked (one error, not a cascade)."""
    out = set()
    for s in report.sums:
        verdict = _sum(report, s)
        if verdict is not None and verdict.finding is not None and verdict.finding.severity is Severity.ERROR:
            out.add(s.total)
    return out


# --------------------------------------------------------------------------- the rules


@_rule("RPT01", Severity.ERROR)
def sums(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    for s in report.sums:
        verdict = _sum(report, s)
        if verdict is not None:
            yield verdict


def _sum(report: Report, s: SumClaim) -> Verdict | None:
    """The total against its parts; None when a part is approximate (the sum is then unknown)."""
    t = s.total
    if not exact(*s.parts):
        return None
    added = sum((p.base for p in s.parts), Decimal(0))
    diff = t.base - added
    claim = f"{t.text} = " + " + ".join(p.text for p in s.parts)
    # Right when it is the parts' sum rounded half up at the places the total is shown with (2914万元 for
    # 2369.93 + 544.48), as a share is right when it is the rounding of the figures as shown.
    if approx_holds(t, added) if t.approx else round_half_up(in_unit(t, added), t.places) == t.value:
        return Verdict((t, *s.parts), claim)
    tolerance = t.half + sum((p.half for p in s.parts), Decimal(0))
    places = max(p.places for p in (t, *s.parts))
    tail = abs(diff) <= tolerance and t.approx is None
    f = finding(report, Severity.WARNING if tail else Severity.ERROR, "rpt.sum_tail" if tail else "rpt.sum", t,
                stated=quantity(t), recomputed=quantity(t, in_unit(t, added), places),
                difference=quantity(t, in_unit(t, diff), places),
                parts=tuple(named(p) for p in s.parts), tolerance=quantity(t, in_unit(t, tolerance), places + 1))
    return Verdict((t, *s.parts), claim, f)


@_rule("RPT02", Severity.ERROR)
def shares(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    broken = _failed_totals(report)
    for s in report.shares:
        if s.basis is None or s.basis in broken or s.basis.base <= 0 or not exact(s.part, s.basis):
            continue
        yield _share(report, s)


def _share(report: Report, s: ShareClaim) -> Verdict:
    assert s.basis is not None
    claim = f"{s.share.text} = {s.part.text} ÷ {s.basis.text}"
    return ratio_verdict(report, s.share, s.part, s.basis, claim, "rpt.share", _formula(s.part, "÷", s.basis),
                         (s.share, s.part, s.basis), part=s.part.label, basis=s.name or s.basis.label)


def _earlier(c: ChangeClaim) -> Decimal | None:
    if c.previous is not None:
        return c.previous.base
    if c.amount is None:
        return None
    return c.current.base + c.amount.base if c.amount.change == "-" else c.current.base - c.amount.base


@_rule("RPT03", Severity.ERROR)
def changes(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    for c in report.changes:
        words = [x for x in (c.amount, c.percent) if x is not None]
        about = tuple(x for x in (c.current, c.amount, c.percent, c.previous) if x is not None)
        if not exact(c.current, c.previous):
            continue
        if len(words) == 2 and words[0].change != words[1].change:
            yield Verdict(about, f"{c.amount.text} / {c.percent.text}: one direction",  # type: ignore[union-attr]
                          finding(report, Severity.ERROR, "rpt.change_words", words[0], last=words[1],
                                  first=words[0].label, second=words[1].label))
            continue
        if c.previous is None:
            continue
        diff = c.current.base - c.previous.base
        word = words[0]
        claim = f"{c.current.text} − {c.previous.text} = {'-' if word.change == '-' else '+'}" + \
            (c.amount.text if c.amount is not None else "")
        if diff != 0 and (diff < 0) != (word.change == "-"):
            yield Verdict(about, claim, finding(
                report, Severity.ERROR, "rpt.change_direction", word, stated=quantity(c.current),
                recomputed=quantity(c.previous), word=word.label, current=c.current.label,
                previous=c.previous.label, difference=quantity(c.current, in_unit(c.current, diff))))
            continue
        if c.amount is None:
            continue
        gap = abs(diff) - c.amount.base
        places = max(c.current.places, c.previous.places, c.amount.places)
        if approx_holds(c.amount, abs(diff)) if c.amount.approx else gap == 0:
            yield Verdict(about, claim)
            continue
        tail = abs(gap) <= c.current.half + c.previous.half + c.amount.half and c.amount.approx is None
        yield Verdict(about, claim, finding(
            report, Severity.WARNING if tail else Severity.ERROR, "rpt.change_tail" if tail else "rpt.change",
            c.amount, stated=quantity(c.amount), recomputed=quantity(c.amount, in_unit(c.amount, abs(diff)), places),
            difference=quantity(c.amount, in_unit(c.amount, -gap), places),
            formula=_formula(c.current, "−", c.previous)))


@_rule("RPT04", Severity.ERROR)
def change_rates(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    for c in report.changes:
        if c.percent is None or (c.amount is not None and c.amount.change != c.percent.change) or \
                not exact(c.current, c.amount, c.previous):
            continue
        earlier = _earlier(c)
        if earlier is None or earlier <= 0:
            continue
        change = c.amount if c.amount is not None else abs(c.current.base - earlier)
        size = change.base if isinstance(change, Figure) else change
        about = tuple(x for x in (c.current, c.amount, c.percent, c.previous) if x is not None)
        claim = f"{c.percent.text} = {size} ÷ {earlier} (元/个, {c.since})"
        earlier_figure = c.previous
        den: Figure | Decimal = earlier_figure if earlier_figure is not None else earlier
        if c.percent.approx is None and not rounds_to(size / earlier, c.percent) and c.current.base > 0 and \
                rounds_to(size / c.current.base, c.percent):
            # Divided by this year's figure: the change is on the earlier one.
            yield Verdict(about, claim, finding(
                report, Severity.ERROR, "rpt.change_base", c.percent, stated=quantity(c.percent),
                recomputed=Quantity(size / earlier, Unit.PERCENT, c.percent.places),
                formula=_formula(change if isinstance(change, Figure) else c.current, "÷", den, like=c.current),
                current=c.current.label))
            continue
        yield ratio_verdict(report, c.percent, change if isinstance(change, Figure) else size, den, claim,
                            "rpt.change_percent",
                            _formula(change if isinstance(change, Figure) else c.current, "÷", den, like=c.current),
                            about)


@_rule("RPT05", Severity.ERROR)
def counts(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    for c in report.counts:
        n, listed = int(c.count.value), len(c.items)
        claim = f"{c.count.text}: {listed} listed" + (" (等)" if c.open else "")
        if c.count.approx is not None:  # 超过3个: a bound; with 等 the list may be short of it either way
            if c.open:
                continue
            ok = approx_holds(c.count, Decimal(listed))
            yield Verdict((c.count,), claim, None if ok else finding(
                report, Severity.ERROR, "rpt.count", c.count, stated=quantity(c.count),
                recomputed=Quantity(listed, Unit.COUNT), items=c.items, count=c.count.text))
            continue
        if listed == n:
            yield Verdict((c.count,), claim)
        elif listed > n or not c.open:
            yield Verdict((c.count,), claim, finding(
                report, Severity.ERROR, "rpt.count_open" if c.open else "rpt.count", c.count,
                stated=quantity(c.count), recomputed=Quantity(listed, Unit.COUNT), items=c.items,
                count=c.count.text))


@_rule("RPT06", Severity.WARNING)
def numbering(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    for item in report.numbering:
        if item.previous is None:
            continue
        claim = f"{item.spot.text} after {item.previous}"
        if item.number == item.previous + 1:
            yield Verdict((item.spot,), claim)
        else:
            yield Verdict((item.spot,), claim, _numbering(report, item))


def _numbering(report: Report, item: NumberedItem) -> Finding:
    key = "rpt.numbering_repeat" if item.number == item.previous else "rpt.numbering"
    return finding(report, Severity.WARNING, key, item.spot, marker=item.spot.text,
                   stated=Quantity(item.number, Unit.COUNT),
                   recomputed=Quantity((item.previous or 0) + 1, Unit.COUNT))


_OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<": lambda a, b: a < b, ">": lambda a, b: a > b, "≤": lambda a, b: a <= b, "≥": lambda a, b: a >= b,
}


@_rule("RPT07", Severity.ERROR)
def compares(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    for c in report.compares:
        claim = f"{c.left.text} {c.op} {c.right.text}"
        if _OPS[c.op](c.left.base, c.right.base):
            yield Verdict((c.left, c.right), claim)
        else:
            yield Verdict((c.left, c.right), claim, finding(
                report, Severity.ERROR, "rpt.compare", c.left, last=c.right, word=c.word, left=named(c.left),
                right=named(c.right)))


@_rule("RPT08", Severity.ERROR)
def blanks(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    for spot in report.blanks:
        yield Verdict((spot,), f"blank {spot.text}", finding(report, Severity.ERROR, "rpt.blank", spot,
                                                            blank=spot.text))


@_rule("RPT09", Severity.ERROR)
def rates(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    for r in report.rates:
        if r.budget.base <= 0 or not exact(r.actual, r.budget):
            continue
        about = (r.rate, r.actual, r.budget)
        claim = f"{r.rate.text} = {r.actual.text} ÷ {r.budget.text}"
        over = r.actual.base - r.budget.base > r.actual.half + r.budget.half
        if r.rate.value == HUNDRED and r.rate.approx is None and over:
            yield Verdict(about, claim, finding(
                report, Severity.ERROR, "rpt.full_but_over", r.rate, stated=quantity(r.rate),
                recomputed=Quantity(r.actual.base / r.budget.base, Unit.PERCENT, r.rate.places),
                actual=named(r.actual), budget=named(r.budget)))
            continue
        yield ratio_verdict(report, r.rate, r.actual, r.budget, claim, "rpt.rate",
                            _formula(r.actual, "÷", r.budget), about)


@_rule("RPT10", Severity.ERROR)
def grades(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    for g in report.grades:
        if g.score is None:
            continue
        right = grade(g.score.value)
        claim = f"{g.spot.text} ↔ {g.score.text}"
        if right == g.grade:
            yield Verdict((g.spot, g.score), claim)
        else:
            yield Verdict((g.spot, g.score), claim, finding(
                report, Severity.ERROR, "rpt.grade", g.spot, stated=Quantity(g.grade, Unit.GRADE),
                recomputed=Quantity(right, Unit.GRADE), word=g.spot.text, score=quantity(g.score)))


@_rule("RPT11", Severity.ERROR)
def book_figures(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    if book is None:
        return
    for fig, expected, label in book.figures(report):
        claim = f"{fig.text} = 自评表 {label}"
        shown = in_unit(fig, expected)
        if approx_holds(fig, expected) if fig.approx else round_half_up(shown, fig.places) == fig.value:
            yield Verdict((fig,), claim)
        else:
            yield Verdict((fig,), claim, finding(
                report, Severity.ERROR, "rpt.book", fig, stated=quantity(fig),
                recomputed=quantity(fig, shown, fig.places), item=label, path=os.path.basename(book.path)))


@_rule("RPT12", Severity.ERROR)
def book_scores(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    if book is None:
        return
    for s in report.scores:
        expected = book.score(s.indicator)
        if expected is None:
            continue
        claim = f"{s.score.text} = 自评表 {s.indicator or '合计'}"
        if round_half_up(expected, s.score.places) == s.score.value:
            yield Verdict((s.score,), claim)
        else:
            yield Verdict((s.score,), claim, finding(
                report, Severity.ERROR, "rpt.book_score", s.score, stated=quantity(s.score),
                recomputed=Quantity(expected, Unit.SCORE), item=s.indicator or "", path=os.path.basename(book.path)))
    stated = book.grade()
    for g in report.grades:
        if stated is None:
            continue
        claim = f"{g.spot.text} = 自评表 {stated}"
        if g.grade == stated:
            yield Verdict((g.spot,), claim)
        else:
            yield Verdict((g.spot,), claim, finding(
                report, Severity.ERROR, "rpt.book_grade", g.spot, stated=Quantity(g.grade, Unit.GRADE),
                recomputed=Quantity(stated, Unit.GRADE), word=g.spot.text, path=os.path.basename(book.path)))


ORDER: tuple[str, ...] = ("RPT01", "RPT02", "RPT03", "RPT04", "RPT05", "RPT06", "RPT07", "RPT08", "RPT09", "RPT10",
                          "RPT11", "RPT12", "RPT13")
UNCHECKED = "RPT13"  # the figures no claim checked: info, listed by -v as 未核对


@dataclass
class Checked:
    report: Report
    findings: list[Finding]
    verified: list[Verdict]  # every claim checked, with or without a finding
    unchecked: list[Figure]


def verify(report: Report, book: BookFigures | None = None) -> Checked:
    """Every report rule over ``report``; a rule that fails is reported, never allowed to stop the others."""
    findings: dict[str, Finding] = {}
    verified: list[Verdict] = []
    for code in ORDER:
        if code == UNCHECKED:
            continue
        try:
            for v in REPORT_RULES[code].check(report, book):
                if v.finding is not None:
                    v = replace(v, finding=replace(v.finding, code=code))
                    findings[repr(v.finding)] = v.finding
                verified.append(replace(v, code=code))
        except Exception:  # a bug in one rule must not cost the officer the other checks
            crash = Finding(code, Severity.ERROR, "internal_error")
            findings[repr(crash)] = crash
    seen = {x for v in verified for x in v.about}
    unchecked = [f for f in report.figures if f not in seen]
    findings.update((repr(f), f) for f in _unchecked(report, unchecked))
    order = {code: i for i, code in enumerate(ORDER)}
    ordered = sorted(findings.values(), key=lambda f: (-f.severity.rank, order.get(f.code, 99),
                                                        f.position.paragraph if f.position else 0))
    return Checked(report, ordered, verified, unchecked)


def _unchecked(report: Report, figures: list[Figure]) -> Iterator[Finding]:
    for f in figures:
        yield replace(finding(report, Severity.INFO, "rpt.unchecked", f, stated=quantity(f), label=f.label,
                                figure=f.text),
                      code=UNCHECKED)


@_rule(UNCHECKED, Severity.INFO)
def unchecked(report: Report, book: BookFigures | None) -> Iterator[Verdict]:
    """Registered for its code, name and documentation; ``verify`` lists the figures no rule checked."""
    return iter(())


if set(ORDER) != set(REPORT_RULES):
    raise RuntimeError(f"verify.ORDER and the report rules differ: {set(ORDER) ^ set(REPORT_RULES)}")
