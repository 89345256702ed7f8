"""The 自评评分表 (DOMAIN §5): self-scores against their weights, the rule set and the recomputed scores."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from evaltool.checks.base import finding, rule
from evaltool.derive import Derived
from evaltool.findings import Finding, Quantity, Severity, Unit, score
from evaltool.model import Book, Record
from evaltool.scoring.score import SCORE_TOLERANCE, ScoreLine, ScoreReport, grade, same_score
from evaltool.workbook.layout import GRADES


def _scored(derived: Derived) -> ScoreReport | None:
    """The report, or None when nothing is scored yet (SCO09 says so once)."""
    return derived.score if derived.score.scored else None


def _grade(name: str) -> Quantity:
    return Quantity(name, Unit.GRADE)


def _rows(report: ScoreReport) -> Iterator[tuple[Record, Decimal | None]]:
    """Every row of the sheet with its 分值 (the rule set's when the cell is blank)."""
    ruled = {line.record.row: line.indicator.weight for line in report.lines if line.record is not None}
    for rec in report.records:
        weight = rec["weight"].number
        yield rec, weight if weight is not None else ruled.get(rec.row)


@rule("SCO01", Severity.ERROR)
def above_weight(book: Book, derived: Derived) -> Iterator[Finding]:
    report = _scored(derived)
    if report is None:
        return
    for rec, weight in _rows(report):
        mine = rec["self"].number
        if mine is not None and weight is not None and mine > weight:
            yield finding(
                Severity.ERROR,
                rec["self"],
                "score_above_weight",
                stated=score(mine),
                recomputed=score(weight),
                difference=score(mine - weight, 2),
                weight=score(weight),
            )


@rule("SCO02", Severity.WARNING)
def deduction_unexplained(book: Book, derived: Derived) -> Iterator[Finding]:
    report = _scored(derived)
    if report is None:
        return
    for rec, weight in _rows(report):
        mine = rec["self"].number
        if mine is not None and weight is not None and mine < weight and rec["reason"].blank:
            yield finding(
                Severity.WARNING,
                rec["self"],
                "score_no_reason",
                stated=score(mine),
                weight=score(weight),
                reason=rec["reason"].ref,
            )


def _compare(derived: Derived, above: bool) -> Iterator[Finding]:
    report = _scored(derived)
    if report is None:
        return
    for line in report.lines:
        mine, fig = line.self_score, line.figure
        if line.record is None or mine is None or fig is None or line.recomputed is None:
            continue
        bound = line.high if above else line.low
        if (mine > bound if above else mine < bound) and not same_score(mine, bound):
            partial = fig.bounds is not None
            key = ("score_above" if above else "score_below") + ("_partial" if partial else "")
            yield finding(
                Severity.ERROR if above else Severity.WARNING,
                line.record["self"],
                key,
                stated=score(mine),
                recomputed=score(bound),
                difference=score(abs(mine - bound), 2),
                figure=fig.named,
                source=fig.why,
            )


@rule("SCO03", Severity.ERROR)
def above_recomputed(book: Book, derived: Derived) -> Iterator[Finding]:
    yield from _compare(derived, above=True)


@rule("SCO04", Severity.WARNING)
def below_recomputed(book: Book, derived: Derived) -> Iterator[Finding]:
    yield from _compare(derived, above=False)


def _note(line: ScoreLine) -> Finding | None:
    fig = line.figure
    if line.record is None or fig is None:
        return None
    cell = line.record["self"]
    if fig.value is None:
        return finding(Severity.INFO, cell, "score_not_computable", figure=fig.name, source=fig.why)
    if fig.bounds is not None:
        return finding(
            Severity.INFO,
            cell,
            "score_partial",
            figure=fig.name,
            source=fig.why,
            low=score(line.low),
            high=score(line.high),
        )
    if fig.from_stated:
        return finding(Severity.INFO, cell, "score_from_stated", figure=fig.name, source=fig.why)
    return None


@rule("SCO05", Severity.INFO)
def not_computable(book: Book, derived: Derived) -> Iterator[Finding]:
    report = _scored(derived)
    if report is None:
        return
    for line in report.lines:
        note = _note(line)
        if note is not None:
            yield note


@rule("SCO06", Severity.ERROR)
def total_mismatch(book: Book, derived: Derived) -> Iterator[Finding]:
    report = derived.score
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
                stated=score(total.number),
                recomputed=score(expected),
                difference=score(total.number - expected, 2),
                n=len(given),
            )


@rule("SCO07", Severity.ERROR)
def grade_mismatch(book: Book, derived: Derived) -> Iterator[Finding]:
    report = _scored(derived)
    if report is None or report.self_grade is None:
        return
    total = report.claimed_total
    expected = grade(total)
    if report.self_grade != expected:
        yield finding(
            Severity.ERROR,
            book.cell("scores", "scores", "grade", "self"),
            "score_grade_mismatch",
            stated=_grade(report.self_grade),
            recomputed=_grade(expected),
            total=score(total),
        )


@rule("SCO10", Severity.ERROR)
def grade_over_claimed(book: Book, derived: Derived) -> Iterator[Finding]:
    """The self grade against the grade of the recomputed total (or every grade its range allows)."""
    report = _scored(derived)
    if report is None or report.self_grade not in GRADES:
        return
    allowed = report.recomputed_grades
    if report.self_grade in allowed:
        return
    above = GRADES.index(report.self_grade) < GRADES.index(allowed[0])
    low, high = report.recomputed_range
    yield finding(
        Severity.ERROR if above else Severity.WARNING,
        book.cell("scores", "scores", "grade", "self"),
        ("grade_above" if above else "grade_below") + ("_range" if low != high else ""),
        stated=_grade(report.self_grade),
        recomputed=_grade(allowed[0] if above else allowed[-1]),
        total=score(report.recomputed_total),
        low=score(low),
        high=score(high),
    )


@rule("SCO08", Severity.ERROR)
def weights_changed(book: Book, derived: Derived) -> Iterator[Finding]:
    report = derived.score
    name = report.ruleset.name  # the rule set's file name, shown as it is
    total = book.cell("scores", "scores", "total", "weight")
    for line in report.lines:
        ind = line.indicator
        if line.record is None:
            yield finding(
                Severity.ERROR, total, "score_row_missing", indicator=ind.level3, weight=score(ind.weight), ruleset=name
            )
            continue
        cell = line.record["weight"]
        if cell.blank:
            yield finding(Severity.ERROR, cell, "score_weight_missing", recomputed=score(ind.weight), ruleset=name)
        elif line.weight_in_book is not None and line.weight_in_book != ind.weight:
            yield finding(
                Severity.ERROR,
                cell,
                "score_weight_changed",
                stated=score(line.weight_in_book),
                recomputed=score(ind.weight),
                difference=score(line.weight_in_book - ind.weight, 2),
                ruleset=name,
            )
    for rec in report.extra:
        yield finding(
            Severity.ERROR, rec["level3"], "score_unknown_indicator", ruleset=name, name=rec["level3"].value or "—"
        )


@rule("SCO09", Severity.WARNING)
def not_scored(book: Book, derived: Derived) -> Iterator[Finding]:
    report = derived.score
    if not report.records:
        return
    if not report.scored:
        yield finding(Severity.INFO, report.records[0]["self"], "score_none")
        return
    for rec in report.records:
        if rec["self"].blank:
            yield finding(Severity.WARNING, rec["self"], "score_blank")
    grade_cell = book.cell("scores", "scores", "grade", "self")
    if grade_cell.blank and grade_cell.coord:
        yield finding(Severity.WARNING, grade_cell, "score_grade_blank", recomputed=_grade(report.recomputed_grade))
