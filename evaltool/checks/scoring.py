"""The 自评评分表 (DOMAIN §5): self-scores against their weights, the rule set and the recomputed scores."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from evaltool.checks.base import finding, rule
from evaltool.findings import Finding, Severity
from evaltool.model import Book, Record
from evaltool.scoring.score import SCORE_TOLERANCE, ScoreLine, ScoreReport, grade, same_score, score_book
from evaltool.text.display import plain


def _scored(book: Book) -> ScoreReport | None:
    """The report, or None when nothing is scored yet (SCO09 says so once)."""
    report = score_book(book)
    return report if report.scored else None


def _rows(report: ScoreReport) -> Iterator[tuple[Record, Decimal | None]]:
    """Every row of the sheet with its 分值 (the rule set's when the cell is blank)."""
    ruled = {line.record.row: line.indicator.weight for line in report.lines if line.record is not None}
    for rec in report.records:
        weight = rec["weight"].number
        yield rec, weight if weight is not None else ruled.get(rec.row)


@rule("SCO01", "自评得分超出分值", "Self-score above the weight", Severity.ERROR)
def above_weight(book: Book) -> Iterator[Finding]:
    """自评得分不得超过该行分值（分值空白时按评分规则的分值）。负数或非数字的得分由 IN02 报告。"""
    report = _scored(book)
    if report is None:
        return
    for rec, weight in _rows(report):
        score = rec["self"].number
        if score is not None and weight is not None and score > weight:
            yield finding(
                Severity.ERROR,
                rec["self"],
                "score_above_weight",
                stated=plain(score),
                recomputed=plain(weight),
                difference=plain(score - weight),
                weight=plain(weight),
            )


@rule("SCO02", "扣分未说明原因", "Deduction without a reason", Severity.WARNING)
def deduction_unexplained(book: Book) -> Iterator[Finding]:
    """自评得分低于分值（有扣分）时，扣分原因栏应写明原因；空白或只填“无”“—”为提示性问题。"""
    report = _scored(book)
    if report is None:
        return
    for rec, weight in _rows(report):
        score = rec["self"].number
        if score is not None and weight is not None and score < weight and rec["reason"].blank:
            yield finding(
                Severity.WARNING,
                rec["self"],
                "score_no_reason",
                stated=plain(score),
                weight=plain(weight),
                reason=rec["reason"].coord,
            )


def _compare(book: Book, above: bool) -> Iterator[Finding]:
    report = _scored(book)
    if report is None:
        return
    for line in report.lines:
        score, fig = line.self_score, line.figure
        if line.record is None or score is None or fig is None or line.recomputed is None:
            continue
        bound = line.high if above else line.low
        if (score > bound if above else score < bound) and not same_score(score, bound):
            partial = fig.bounds is not None
            key = ("score_above" if above else "score_below") + ("_partial" if partial else "")
            yield finding(
                Severity.ERROR if above else Severity.WARNING,
                line.record["self"],
                key,
                stated=plain(score),
                recomputed=plain(bound),
                difference=plain(abs(score - bound)),
                figure=fig.text,
                source=fig.source,
            )


@rule("SCO03", "自评得分高于重算得分", "Self-score above the recomputed score", Severity.ERROR)
def above_recomputed(book: Book) -> Iterator[Finding]:
    """定量指标按评分规则重算得分（比率法、上限法、分档法、汇总），自评得分高于重算得分为强制性错误（多打分）。

    自评得分与重算得分相差不足 0.005 分，或等于重算得分按自评得分自身的小数位四舍五入的结果，视为一致：
    重算 3.33 分时自评 3.3 分或 3 分都算一致，3.4 分不一致。汇总类指标有部分绩效目标行无法计算时，
    按这些行全部完成计算可得的最高分核对。"""
    yield from _compare(book, above=True)


@rule("SCO04", "自评得分低于重算得分", "Self-score below the recomputed score", Severity.WARNING)
def below_recomputed(book: Book) -> Iterator[Finding]:
    """定量指标的自评得分低于重算得分（一致的判断同 SCO03），为提示性：请核实，或在说明中写明多扣分的理由。
    汇总类指标有部分绩效目标行无法计算时，按这些行完全未完成计算的最低分核对。"""
    yield from _compare(book, above=False)


def _note(line: ScoreLine) -> Finding | None:
    fig = line.figure
    if line.record is None or fig is None:
        return None
    cell = line.record["self"]
    if fig.value is None:
        return finding(Severity.INFO, cell, "score_not_computable", figure=fig.name, source=fig.source)
    if fig.bounds is not None:
        return finding(
            Severity.INFO,
            cell,
            "score_partial",
            figure=fig.name,
            source=fig.source,
            low=plain(line.low),
            high=plain(line.high),
        )
    if fig.from_stated:
        return finding(Severity.INFO, cell, "score_from_stated", figure=fig.name, source=fig.source)
    return None


@rule("SCO05", "定量指标无法计算", "Quantitative indicator not computable", Severity.INFO)
def not_computable(book: Book) -> Iterator[Finding]:
    """定量指标的计算数据未填或不是数值时，无法重算得分，说明缺哪些数据（信息）；
    计算数据未填而按填报的比率计分，或汇总类指标只有部分绩效目标行可计算时，也予以说明。"""
    report = _scored(book)
    if report is None:
        return
    for line in report.lines:
        note = _note(line)
        if note is not None:
            yield note


@rule("SCO06", "合计不等于各项之和", "Total is not the sum of the rows", Severity.ERROR)
def total_mismatch(book: Book) -> Iterator[Finding]:
    """合计行的自评得分应等于各行自评得分之和，合计行的分值应等于各行分值之和（相差不超过 0.005）。"""
    report = score_book(book)
    checks = [("weight", [rec["weight"].number for rec in report.records])]
    if report.scored:
        checks.append(("self", [rec["self"].number for rec in report.records]))
    for col, values in checks:
        total = book.cell("scores", "scores", "total", col)
        given = [v for v in values if v is not None]
        if total.number is None or not given:
            continue
        expected = sum(given, Decimal(0))
        if abs(total.number - expected) > SCORE_TOLERANCE:
            yield finding(
                Severity.ERROR,
                total,
                "score_total_mismatch",
                stated=plain(total.number),
                recomputed=plain(expected),
                difference=plain(total.number - expected),
                n=len(given),
            )


@rule("SCO07", "自评等级与得分不符", "Grade does not match the score", Severity.ERROR)
def grade_mismatch(book: Book) -> Iterator[Finding]:
    """自评等级应与合计得分相符（合计未填时按各行之和）：
    优 ≥ 90 分，良 80～90 分（含 80 不含 90），中 60～80 分，差 < 60 分。"""
    report = _scored(book)
    if report is None or report.self_grade is None:
        return
    total = report.stated_total if report.stated_total is not None else report.self_total
    expected = grade(total)
    if report.self_grade != expected:
        yield finding(
            Severity.ERROR,
            book.cell("scores", "scores", "grade", "self"),
            "score_grade_mismatch",
            stated=report.self_grade,
            recomputed=expected,
            total=plain(total),
        )


@rule("SCO08", "分值与评分规则不一致", "Weights differ from the rule set", Severity.ERROR)
def weights_changed(book: Book) -> Iterator[Finding]:
    """各行分值应与评分规则一致（不得自行修改分值）；评分规则中的指标在表中找不到（行被删除或改名），
    或表中的三级指标不在评分规则中，也是错误。"""
    report = score_book(book)
    name = report.ruleset.name
    total = book.cell("scores", "scores", "total", "weight")
    for line in report.lines:
        ind = line.indicator
        if line.record is None:
            yield finding(
                Severity.ERROR, total, "score_row_missing", indicator=ind.level3, weight=plain(ind.weight), ruleset=name
            )
            continue
        cell = line.record["weight"]
        if cell.blank:
            yield finding(Severity.ERROR, cell, "score_weight_missing", recomputed=plain(ind.weight), ruleset=name)
        elif line.weight_in_book is not None and line.weight_in_book != ind.weight:
            yield finding(
                Severity.ERROR,
                cell,
                "score_weight_changed",
                stated=plain(line.weight_in_book),
                recomputed=plain(ind.weight),
                difference=plain(line.weight_in_book - ind.weight),
                ruleset=name,
            )
    for rec in report.extra:
        yield finding(
            Severity.ERROR, rec["level3"], "score_unknown_indicator", ruleset=name, name=rec["level3"].value or "（空）"
        )


@rule("SCO09", "未打分", "Row not scored", Severity.WARNING)
def not_scored(book: Book) -> Iterator[Finding]:
    """已开始打分但某行自评得分空白，为提示性。整张评分表都未打分时只给一条信息，并跳过其他评分核查。"""
    report = score_book(book)
    if not report.records:
        return
    if not report.scored:
        yield finding(Severity.INFO, report.records[0]["self"], "score_none")
        return
    for rec in report.records:
        if rec["self"].blank:
            yield finding(Severity.WARNING, rec["self"], "score_blank")
