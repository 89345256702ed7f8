"""The 自评评分表 recomputed (DOMAIN §5): the figures indicators are scored on, the scores, totals, grade.

Figures are in percent points (83.09 for 83.09%) and are taken from the recomputed
ratios (derived once, ``evaltool.derive``), never from the officer's derived cells, except when the
inputs are missing and the stated cell holds a number: then the stated value is used
and marked ``from_stated``.  Scores are rounded once, at the end, to 2 decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from evaltool.findings import Phrase, Quantity, Term, money, percent
from evaltool.model import Book, Cell, Record
from evaltool.ratios import Ratio, formula, goal_kind
from evaltool.scoring.ruleset import QUALITATIVE, Indicator, RuleSet, load_ruleset
from evaltool.workbook.layout import GRADES, normalize_label
from evaltool.workbook.numbers import Bound, Measure

PERCENT = Decimal(100)
CENT = Decimal("0.01")
SCORE_TOLERANCE = Decimal("0.005")  # scores no further apart than this are equal
ZERO = Decimal(0)
K = TypeVar("K")
GRADE_FLOORS = tuple(zip((Decimal(90), Decimal(80), Decimal(60)), GRADES[:3], strict=True))


_GOAL_TERMS = {"产出": "output", "效益": "benefit", "满意度": "satisfaction"}


@dataclass(frozen=True)
class Figure:
    """The rate an indicator is scored on, with how it was obtained (or why it could not be)."""

    key: str  # a key of ``ruleset.FIGURES``
    value: Decimal | None  # percent points
    why: Phrase  # how it was obtained, or why not
    cells: tuple[Cell, ...]
    from_stated: bool = False
    # An average some of whose rows could not be computed: the lowest and highest value it can
    # take once those rows are known (each between 0% and 100%).  None when every row counted.
    bounds: tuple[Decimal, Decimal] | None = None

    @property
    def name(self) -> Phrase:
        """As notes name it: “三公”经费控制率."""
        return Phrase("fig.name", {"name": Term(f"figure.{self.key}")})

    @property
    def named(self) -> Phrase:
        """As a comparison names it, with its value: “三公”经费控制率 116.67%."""
        if self.value is None:
            return self.name
        return Phrase("fig.named", {"name": Term(f"figure.{self.key}"), "value": points(self.value)})


def points(value: Decimal) -> Quantity:
    """Percent points as a percentage quantity: 116.67 → 116.67%."""
    return percent(value / PERCENT, 2)


@dataclass(frozen=True)
class _Part:
    """One 绩效目标 row of an average."""

    value: Decimal | None  # percent points, capped
    note: Phrase
    cells: tuple[Cell, ...]
    from_stated: bool = False


def _gaps(cells: Iterable[Cell]) -> tuple[Phrase, ...]:
    """What is wrong with the inputs: blank, unreadable, or words where a number belongs."""
    cells = list(cells)
    out = []
    blank = tuple(c.ref for c in cells if c.blank)
    unreadable = tuple(c.ref for c in cells if not c.blank and not c.ok)
    if blank:
        out.append(Phrase("why.blank", {"cells": blank}))
    if unreadable:
        out.append(Phrase("why.unreadable", {"cells": unreadable}))
    out += [
        Phrase("why.not_numeric", {"cell": c.ref, "value": c.text})
        for c in cells
        if c.ok and not isinstance(c.value, (Decimal, Measure))
    ]
    return tuple(out)


def _why(ratio: Ratio) -> tuple[Phrase, ...]:
    if ratio.num is not None and ratio.den is not None:
        return (Phrase("why.zero", {"cell": ratio.inputs[1].ref}),)
    return _gaps(ratio.inputs)


def _stated_points(cell: Cell) -> Decimal | None:
    """A stated percentage in percent points; a bound (“≥90%”) counts as its number."""
    v = cell.value
    if isinstance(v, Bound):
        v = v.value
    return v * PERCENT if isinstance(v, Decimal) else None


def _stated_quantity(cell: Cell) -> Quantity:
    v = cell.value
    places = cell.places
    if isinstance(v, Bound):
        return percent(v.value, places, v.op)
    return percent(v, places)  # type: ignore[arg-type]


def _from_ratio(key: str, ratio: Ratio, unit: str) -> Figure:
    if ratio.value is not None:
        value = ratio.value * PERCENT
        why = Phrase(
            "fig.formula", {"ratio": ratio.name, "formula": formula(ratio, unit), "value": points(value)}
        )
        return Figure(key, value, why, ratio.inputs)
    why, cell = _why(ratio), ratio.stated
    stated = _stated_points(cell) if cell is not None else None
    if cell is not None and stated is not None:
        phrase = Phrase("fig.from_stated", {"why": why, "cell": cell.ref, "value": _stated_quantity(cell)})
        return Figure(key, stated, phrase, (cell,), from_stated=True)
    return Figure(key, None, Phrase("fig.why", {"why": why}), ratio.inputs)


class _Figures:
    """The figures of one book, each built from the ratios derived once."""

    def __init__(self, book: Book, ratios: tuple[Ratio, ...]) -> None:
        self.book = book
        self.ratios = ratios
        self.by_key = {r.key: r for r in ratios}

    def single(self, ratio_key: str) -> Callable[[str], Figure]:
        """A figure that is one recomputed ratio (the 年度资金总额 or 合计 row of its group)."""
        return lambda key: _from_ratio(key, self.by_key[ratio_key], self.book.unit)

    def fund_paid_rate(self, key: str) -> Figure:
        """The 合计 row; without it, paid ÷ budget summed over the projects when every project has both."""
        rows = [r for r in self.ratios if r.group.key == "fund_rate" and r.key != "fund_rate.total"]
        total = self.by_key["fund_rate.total"]
        if total.value is None and rows and all(r.num is not None and r.den is not None for r in rows):
            paid = sum((r.num for r in rows if r.num is not None), ZERO)
            budget = sum((r.den for r in rows if r.den is not None), ZERO)
            if budget:
                value = paid / budget * PERCENT
                unit = self.book.unit
                why = Phrase(
                    "fig.fund_sum", {"paid": money(paid, unit), "budget": money(budget, unit), "value": points(value)}
                )
                return Figure(key, value, why, tuple(c for r in rows for c in r.inputs))
        return _from_ratio(key, total, self.book.unit)

    def key_work_rate(self, key: str) -> Figure:
        """The completion rate of the 绩效目标 row whose 三级指标 names 重点工作."""
        for rec in self.book.list("goals", "goals"):
            if "重点工作" in normalize_label(rec["level3"].value):
                ratio = self.by_key.get(f"goal_rate[{rec['rate'].ref.record}]")
                if ratio is not None:
                    return _from_ratio(key, ratio, self.book.unit)
                direction = rec["direction"]
                why = _gaps([direction]) or (
                    Phrase("why.direction", {"cell": direction.ref, "value": direction.text}),
                )
                return Figure(key, None, Phrase("fig.why", {"why": why}), (direction,))
        return Figure(key, None, Phrase("why.no_key_work"), ())

    def goals(self, kind: str) -> Callable[[str], Figure]:
        """Mean completion, each row capped at 100%, of the 绩效目标 rows of one kind (产出 or 效益)."""

        def build(key: str) -> Figure:
            parts = []
            for ratio in goal_kind(self.book, self.ratios, kind):
                cell = ratio.stated
                stated = _stated_points(cell) if cell is not None else None
                name = ratio.name
                if ratio.value is not None:
                    value = ratio.value * PERCENT
                    note = "part.capped" if value > PERCENT else "part.value"
                    parts.append(
                        _Part(min(value, PERCENT), Phrase(note, {"ratio": name, "value": points(value)}), ratio.inputs)
                    )
                elif cell is not None and stated is not None:
                    note = Phrase("part.stated", {"ratio": name, "value": points(stated)})
                    parts.append(_Part(min(stated, PERCENT), note, (cell,), from_stated=True))
                else:
                    note = Phrase("part.missing", {"ratio": name, "why": _why(ratio)})
                    parts.append(_Part(None, note, ratio.inputs))
            return _average(key, kind, parts)

        return build

    def satisfaction(self, key: str) -> Figure:
        """The 满意度 rows' actual values in percent (“大于90%” counts as 90)."""
        parts = []
        for rec in self.book.list("goals", "goals"):
            if rec["level1"].value != "满意度":
                continue
            actual = rec["actual"]
            v = actual.value
            if isinstance(v, Measure) and v.unit == "%":
                parts.append(
                    _Part(
                        v.value, Phrase("part.satisfaction", {"cell": actual.ref, "value": actual.text}), (actual,)
                    )
                )
            else:
                why = _gaps([actual]) or (Phrase("why.not_percent", {"cell": actual.ref, "value": actual.text}),)
                parts.append(_Part(None, Phrase("fig.why", {"why": why}), (actual,)))
        return _average(key, "满意度", parts)

    def build(self, key: str) -> Figure:
        builders: dict[str, Callable[[str], Figure]] = {
            "carry_rate": self.single("carry_rate.total"),
            "fund_paid_rate": self.fund_paid_rate,
            "asset_utilization": self.single("asset_rate"),
            "office_control_rate": self.single("office_rate.office"),
            "sangong_control_rate": self.single("sangong_rate.total"),
            "key_work_rate": self.key_work_rate,
            "satisfaction": self.satisfaction,
            "goals_output": self.goals("产出"),
            "goals_benefit": self.goals("效益"),
        }
        return builders[key](key)


def _average(key: str, kind: str, parts: Sequence[_Part]) -> Figure:
    """Mean of the rows that can be computed; ``bounds`` span the rows that cannot."""
    cells = tuple(c for p in parts for c in p.cells)
    known = [p.value for p in parts if p.value is not None]
    notes = tuple(p.note for p in parts)
    term = Term(f"goal_kind.{_GOAL_TERMS[kind]}")
    if not known:
        return Figure(
            key, None, Phrase("fig.why", {"why": notes}) if notes else Phrase("why.no_goals", {"kind": term}), cells
        )
    total = sum(known, ZERO)
    missing = len(parts) - len(known)
    bounds = (total / len(parts), (total + PERCENT * missing) / len(parts)) if missing else None
    why = Phrase(
        "fig.average_part" if missing else "fig.average",
        {"kind": term, "n": len(parts), "known": len(known), "parts": notes},
    )
    return Figure(key, total / len(known), why, cells, any(p.from_stated for p in parts), bounds)


def score_rate(ind: Indicator, rate: Decimal, places: int = 2) -> Decimal:
    """The score ``rate`` (percent points) earns under a quantitative indicator, 0 … weight, rounded half up
    to ``places`` decimals (the rule set's score precision)."""
    w = ind.weight
    if ind.method == "比率法":
        score = w * min(max(rate, ZERO) / ind.target, Decimal(1))
    elif ind.method == "上限法":
        score = w if rate <= ind.limit else max(ZERO, w - ind.per_point * (rate - ind.limit))
    elif ind.method == "分档法":
        score = next((b.fraction * w for b in ind.bands if rate <= b.upto), ZERO)
    else:  # 汇总: the figure is already a mean of capped completions
        score = w * min(max(rate, ZERO), PERCENT) / PERCENT
    return score.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def score_indicator(ind: Indicator, figure: Figure | None, places: int = 2) -> Decimal | None:
    """The recomputed score; None for 定性 and when the figure cannot be computed."""
    if ind.method == QUALITATIVE or figure is None or figure.value is None:
        return None
    return score_rate(ind, figure.value, places)


def same_score(self_score: Decimal, recomputed: Decimal) -> bool:
    """Over- and under-claiming are exact (DOMAIN §2): a self-score agrees with the recomputed one only within
    0.005 (4 for a recomputed 3.66 is 0.34 too many).  A county scoring in whole points says so in its rule
    set (``score_places``): the recomputed score is then rounded to it, half up, before the comparison."""
    return abs(self_score - recomputed) <= SCORE_TOLERANCE


def grade(total: Decimal) -> str:
    """优 ≥ 90, 良 [80, 90), 中 [60, 80), 差 < 60."""
    return next((name for floor, name in GRADE_FLOORS if total >= floor), GRADES[-1])


@dataclass(frozen=True)
class ScoreLine:
    """One rule-set indicator against its row of the 自评评分表."""

    indicator: Indicator
    record: Record | None  # None: the row is missing (deleted or renamed)
    weight_in_book: Decimal | None
    self_score: Decimal | None
    recomputed: Decimal | None  # None for 定性 and when the figure cannot be computed
    figure: Figure | None  # None for 定性
    # The scores the recomputation supports: the recomputed score itself; a range when the
    # figure is a partly computable average; 0 … weight when nothing can be recomputed.
    low: Decimal
    high: Decimal

    @property
    def counted(self) -> Decimal:
        """What the line adds to the recomputed total: its self-score (blank: 0) moved into [low, high]."""
        return min(max(self.self_score or ZERO, self.low), self.high)


@dataclass(frozen=True)
class ScoreReport:
    """The whole sheet scored.  ``recomputed_total`` sums ``ScoreLine.counted``: each line's recomputed
    score when it can be computed, else its self-score clamped to [0, weight] (to the supported range for a
    partly computable average), else 0; so it is the total once every over- or under-claim is corrected."""

    ruleset: RuleSet
    lines: tuple[ScoreLine, ...]
    records: tuple[Record, ...]  # every row of the sheet, in sheet order
    self_total: Decimal  # sum of the rows' self-scores
    stated_total: Decimal | None  # the 合计 自评得分 cell
    recomputed_total: Decimal
    self_level1: dict[str, Decimal]
    recomputed_level1: dict[str, Decimal]
    self_level2: dict[tuple[str, str], Decimal]  # (一级, 二级)
    recomputed_level2: dict[tuple[str, str], Decimal]
    self_grade: str | None  # the 自评等级 cell
    recomputed_grade: str

    @property
    def recomputed_range(self) -> tuple[Decimal, Decimal]:
        """The lowest and highest recomputed total: ``recomputed_total`` with every partly computable average
        anywhere in its range (DOMAIN §5; a grade outside every grade of this range is over-claimed)."""
        low = high = self.recomputed_total
        for line in self.lines:
            if line.figure is not None and line.figure.bounds is not None and line.recomputed is not None:
                low += line.low - line.counted
                high += line.high - line.counted
        return low, high

    @property
    def recomputed_grades(self) -> tuple[str, ...]:
        """Every grade a total in ``recomputed_range`` can have, best first."""
        low, high = self.recomputed_range
        return GRADES[GRADES.index(grade(high)): GRADES.index(grade(low)) + 1]

    @property
    def claimed_total(self) -> Decimal:
        """What the department claims: its stated 合计, else the sum of its rows."""
        return self.stated_total if self.stated_total is not None else self.self_total

    @property
    def scored(self) -> bool:
        """Whether the officer has entered any self-score."""
        return any(not rec["self"].blank for rec in self.records)

    @property
    def extra(self) -> tuple[Record, ...]:
        """Rows whose 三级指标 is not in the rule set."""
        matched = {line.record.row for line in self.lines if line.record is not None}
        return tuple(rec for rec in self.records if rec.row not in matched)


def _line(ind: Indicator, rec: Record | None, fig: Figure | None, places: int) -> ScoreLine:
    recomputed = score_indicator(ind, fig, places)
    low, high = ZERO, ind.weight
    if recomputed is not None:
        low = high = recomputed
        if fig is not None and fig.bounds is not None:
            low, high = sorted(score_rate(ind, v, places) for v in fig.bounds)
    weight = rec["weight"].number if rec is not None else None
    self_score = rec["self"].number if rec is not None else None
    return ScoreLine(ind, rec, weight, self_score, recomputed, fig, low, high)


def _subtotal(pairs: Iterable[tuple[K, Decimal]]) -> dict[K, Decimal]:
    out: dict[K, Decimal] = {}
    for key, value in pairs:
        out[key] = out.get(key, ZERO) + value
    return out


def _level2(line: ScoreLine) -> tuple[str, str]:
    return line.indicator.level1, line.indicator.level2


def score_book(book: Book, ratios: tuple[Ratio, ...]) -> ScoreReport:
    """Score every rule-set indicator, matching the sheet's rows by 三级指标 (``derive`` calls this once)."""
    rules = book.ruleset or load_ruleset()
    builder = _Figures(book, ratios)
    records = tuple(book.list("scores", "scores"))
    by_label: dict[str, Record] = {}
    for rec in records:
        by_label.setdefault(normalize_label(rec["level3"].value), rec)
    figures: dict[str, Figure] = {}
    lines = []
    for ind in rules.indicators:
        fig = None
        if ind.figure is not None:  # 定性 indicators have none
            fig = figures[ind.figure] = figures.get(ind.figure) or builder.build(ind.figure)
        lines.append(_line(ind, by_label.get(normalize_label(ind.level3)), fig, rules.score_places))
    recomputed_total = sum((ln.counted for ln in lines), ZERO)
    grade_cell = book.cell("scores", "scores", "grade", "self")
    return ScoreReport(
        ruleset=rules,
        lines=tuple(lines),
        records=records,
        self_total=sum((rec["self"].number or ZERO for rec in records), ZERO),
        stated_total=book.cell("scores", "scores", "total", "self").number,
        recomputed_total=recomputed_total,
        self_level1=_subtotal((ln.indicator.level1, ln.self_score or ZERO) for ln in lines),
        recomputed_level1=_subtotal((ln.indicator.level1, ln.counted) for ln in lines),
        self_level2=_subtotal((_level2(ln), ln.self_score or ZERO) for ln in lines),
        recomputed_level2=_subtotal((_level2(ln), ln.counted) for ln in lines),
        self_grade=grade_cell.value if isinstance(grade_cell.value, str) else None,
        recomputed_grade=grade(recomputed_total),
    )
