"""The 自评评分表 recomputed (DOMAIN §5): the figures indicators are scored on, the scores, totals, grade.

Figures are in percent points (83.09 for 83.09%) and are taken from the recomputed
ratios (``ratios.compute``), never from the officer's derived cells, except when the
inputs are missing and the stated cell holds a number: then the stated value is used
and marked ``from_stated``.  Scores are rounded once, at the end, to 2 decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from evaltool.model import Book, Cell, Record
from evaltool.ratios import Ratio, compute, goal_kind
from evaltool.scoring.ruleset import FIGURES, QUALITATIVE, Indicator, RuleSet, load_ruleset
from evaltool.text import display
from evaltool.workbook.layout import GRADES, normalize_label
from evaltool.workbook.numbers import Bound, Measure

PERCENT = Decimal(100)
CENT = Decimal("0.01")
SCORE_TOLERANCE = Decimal("0.005")  # scores closer than this are equal
ZERO = Decimal(0)
K = TypeVar("K")
GRADE_FLOORS = tuple(zip((Decimal(90), Decimal(80), Decimal(60)), GRADES[:3], strict=True))


@dataclass(frozen=True)
class Figure:
    """The rate an indicator is scored on, with how it was obtained (or why it could not be)."""

    key: str  # a key of ``ruleset.FIGURES``
    value: Decimal | None  # percent points
    source: str  # how it was obtained, or why not (Chinese, for messages)
    cells: tuple[Cell, ...]
    from_stated: bool = False
    # An average some of whose rows could not be computed: the lowest and highest value it can
    # take once those rows are known (each between 0% and 100%).  None when every row counted.
    bounds: tuple[Decimal, Decimal] | None = None

    @property
    def name(self) -> str:
        return FIGURES[self.key]

    @property
    def text(self) -> str:
        """As messages name it: “三公”经费控制率 116.67%."""
        return self.name if self.value is None else f"{self.name} {shown(self.value)}"


def shown(points: Decimal) -> str:
    """Percent points as displayed: 116.67%."""
    return display.percent(points / PERCENT, 2)


@dataclass(frozen=True)
class _Part:
    """One 绩效目标 row of an average."""

    value: Decimal | None  # percent points, capped
    note: str
    cells: tuple[Cell, ...]
    from_stated: bool = False


def _gaps(cells: Iterable[Cell]) -> str:
    """What is wrong with the inputs: blank, unreadable, or words where a number belongs."""
    cells = list(cells)
    words = [c for c in cells if c.ok and not isinstance(c.value, (Decimal, Measure))]
    groups = (
        ([c.label for c in cells if c.blank], "未填写"),
        ([c.label for c in cells if not c.blank and not c.ok], "无法读取"),
        ([f"{c.label}“{display.value(c)}”" for c in words], "不是数值"),
    )
    return "，".join("、".join(names) + why for names, why in groups if names)


def _why(ratio: Ratio) -> str:
    if ratio.num is not None and ratio.den is not None:
        return f"{ratio.inputs[1].label}为 0"
    return _gaps(ratio.inputs)


def _stated_points(cell: Cell) -> Decimal | None:
    """A stated percentage in percent points; a bound (“≥90%”) counts as its number."""
    v = cell.value
    if isinstance(v, Bound):
        v = v.value
    return v * PERCENT if isinstance(v, Decimal) else None


def _from_ratio(key: str, ratio: Ratio) -> Figure:
    if ratio.value is not None:
        points = ratio.value * PERCENT
        return Figure(key, points, f"{ratio.label} = {ratio.formula} = {shown(points)}", ratio.inputs)
    why, cell = _why(ratio), ratio.stated
    stated = _stated_points(cell) if cell is not None else None
    if cell is not None and stated is not None:
        return Figure(key, stated, f"{why}，按{cell.label} {display.value(cell)}", (cell,), from_stated=True)
    return Figure(key, None, why, ratio.inputs)


def _single(group: str, ratio_key: str) -> Callable[[Book, str], Figure]:
    """A figure that is one recomputed ratio (the 年度资金总额 or 合计 row of its group)."""

    def build(book: Book, key: str) -> Figure:
        return _from_ratio(key, next(r for r in compute(book, group) if r.key == ratio_key))

    return build


def _fund_paid_rate(book: Book, key: str) -> Figure:
    """The 合计 row; without it, paid ÷ budget summed over the projects when every project has both."""
    *rows, total = compute(book, "fund_rate")
    if total.value is None and rows and all(r.num is not None and r.den is not None for r in rows):
        paid = sum((r.num for r in rows if r.num is not None), ZERO)
        budget = sum((r.den for r in rows if r.den is not None), ZERO)
        if budget:
            points = paid / budget * PERCENT
            formula = f"{display.plain(paid)} ÷ {display.plain(budget)} = {shown(points)}"
            return Figure(
                key, points, f"各项目拨付数之和 ÷ 预算数之和 = {formula}", tuple(c for r in rows for c in r.inputs)
            )
    return _from_ratio(key, total)


def _key_work_rate(book: Book, key: str) -> Figure:
    """The completion rate of the 绩效目标 row whose 三级指标 names 重点工作."""
    ratios = {r.key: r for r in compute(book, "goal_rate")}
    for rec in book.list("goals", "goals"):
        if "重点工作" in normalize_label(rec["level3"].value):
            ratio = ratios.get(f"goal_rate.row{rec.row}")
            if ratio is not None:
                return _from_ratio(key, ratio)
            direction = rec["direction"]
            why = _gaps([direction]) or f"{direction.label}为“{display.value(direction)}”，不是可计算的指标"
            return Figure(key, None, why, (direction,))
    return Figure(key, None, "绩效目标表没有三级指标含“重点工作”的行", ())


def _average(key: str, what: str, parts: Sequence[_Part]) -> Figure:
    """Mean of the rows that can be computed; ``bounds`` span the rows that cannot."""
    cells = tuple(c for p in parts for c in p.cells)
    known = [p.value for p in parts if p.value is not None]
    notes = "；".join(p.note for p in parts)
    if not known:
        return Figure(key, None, notes or f"绩效目标表没有可计算的{what}指标", cells)
    total = sum(known, ZERO)
    missing = len(parts) - len(known)
    bounds = (total / len(parts), (total + PERCENT * missing) / len(parts)) if missing else None
    counted = f"{len(parts)} 行中 {len(known)} 行可计算" if missing else f"{len(parts)} 行平均"
    return Figure(
        key, total / len(known), f"{what}指标 {counted}：{notes}", cells, any(p.from_stated for p in parts), bounds
    )


def _goals(kind: str) -> Callable[[Book, str], Figure]:
    """Mean completion, each row capped at 100%, of the 绩效目标 rows of one kind (产出 or 效益)."""

    def build(book: Book, key: str) -> Figure:
        parts = []
        for _, ratio in goal_kind(book, kind):
            cell = ratio.stated
            stated = _stated_points(cell) if cell is not None else None
            if ratio.value is not None:
                points = ratio.value * PERCENT
                note = f"{ratio.label} {shown(points)}" + ("（计 100%）" if points > PERCENT else "")
                parts.append(_Part(min(points, PERCENT), note, ratio.inputs))
            elif cell is not None and stated is not None:
                note = f"{ratio.label}按填报 {shown(stated)}"
                parts.append(_Part(min(stated, PERCENT), note, (cell,), from_stated=True))
            else:
                parts.append(_Part(None, f"{ratio.label}无法计算：{_why(ratio)}", ratio.inputs))
        return _average(key, kind, parts)

    return build


def _satisfaction(book: Book, key: str) -> Figure:
    """The 满意度 rows' actual values in percent (“大于90%” counts as 90)."""
    parts = []
    for rec in book.list("goals", "goals"):
        if rec["level1"].value != "满意度":
            continue
        actual = rec["actual"]
        v = actual.value
        if isinstance(v, Measure) and v.unit == "%":
            parts.append(_Part(v.value, f"{actual.label} {display.value(actual)}", (actual,)))
        else:
            why = _gaps([actual]) or f"{actual.label}“{display.value(actual)}”不是百分数"
            parts.append(_Part(None, why, (actual,)))
    return _average(key, "满意度", parts)


_FIGURES: dict[str, Callable[[Book, str], Figure]] = {
    "carry_rate": _single("carry_rate", "carry_rate.total"),
    "fund_paid_rate": _fund_paid_rate,
    "asset_utilization": _single("asset_rate", "asset_rate"),
    "office_control_rate": _single("office_rate", "office_rate"),
    "sangong_control_rate": _single("sangong_rate", "sangong_rate.total"),
    "key_work_rate": _key_work_rate,
    "satisfaction": _satisfaction,
    "goals_output": _goals("产出"),
    "goals_benefit": _goals("效益"),
}


def figure(book: Book, key: str) -> Figure:
    """The figure ``key`` (a key of ``ruleset.FIGURES``) recomputed from ``book``."""
    return _FIGURES[key](book, key)


def score_rate(ind: Indicator, rate: Decimal) -> Decimal:
    """The score ``rate`` (percent points) earns under a quantitative indicator, 0 … weight, 2 decimals."""
    w = ind.weight
    if ind.method == "比率法":
        score = w * min(max(rate, ZERO) / ind.target, Decimal(1))
    elif ind.method == "上限法":
        score = w if rate <= ind.limit else max(ZERO, w - ind.per_point * (rate - ind.limit))
    elif ind.method == "分档法":
        score = next((b.fraction * w for b in ind.bands if rate <= b.upto), ZERO)
    else:  # 汇总: the figure is already a mean of capped completions
        score = w * min(max(rate, ZERO), PERCENT) / PERCENT
    return score.quantize(CENT, ROUND_HALF_UP)


def score_indicator(ind: Indicator, figure: Figure | None) -> Decimal | None:
    """The recomputed score; None for 定性 and when the figure cannot be computed."""
    if ind.method == QUALITATIVE or figure is None or figure.value is None:
        return None
    return score_rate(ind, figure.value)


def same_score(self_score: Decimal, recomputed: Decimal) -> bool:
    """A self-score agrees with a recomputed one when within 0.005, or when it is the recomputed score
    rounded (half up) to the self-score's own decimals: 3.3 and 3 both agree with 3.33, 3.4 does not."""
    if abs(self_score - recomputed) < SCORE_TOLERANCE:
        return True
    exponent = self_score.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return self_score == recomputed.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


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
    def scored(self) -> bool:
        """Whether the officer has entered any self-score."""
        return any(not rec["self"].blank for rec in self.records)

    @property
    def extra(self) -> tuple[Record, ...]:
        """Rows whose 三级指标 is not in the rule set."""
        matched = {line.record.row for line in self.lines if line.record is not None}
        return tuple(rec for rec in self.records if rec.row not in matched)


def _line(ind: Indicator, rec: Record | None, fig: Figure | None) -> ScoreLine:
    recomputed = score_indicator(ind, fig)
    low, high = ZERO, ind.weight
    if recomputed is not None:
        low = high = recomputed
        if fig is not None and fig.bounds is not None:
            low, high = sorted(score_rate(ind, v) for v in fig.bounds)
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


def score_book(book: Book) -> ScoreReport:
    """Score every rule-set indicator, matching the sheet's rows by 三级指标 (once per book)."""
    report = book.derived.get("score")
    if report is None:
        report = book.derived["score"] = _score(book)
    return report  # type: ignore[return-value]


def _score(book: Book) -> ScoreReport:
    rules = book.ruleset or load_ruleset()
    records = tuple(book.list("scores", "scores"))
    by_label: dict[str, Record] = {}
    for rec in records:
        by_label.setdefault(normalize_label(rec["level3"].value), rec)
    figures: dict[str, Figure] = {}
    lines = []
    for ind in rules.indicators:
        fig = None
        if ind.figure is not None:  # 定性 indicators have none
            fig = figures[ind.figure] = figures.get(ind.figure) or figure(book, ind.figure)
        lines.append(_line(ind, by_label.get(normalize_label(ind.level3)), fig))
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
