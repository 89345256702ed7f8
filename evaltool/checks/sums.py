"""表内合计: each ``sums.SUMS`` spec becomes one rule."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from evaltool.checks.base import finding, register, skipped
from evaltool.findings import Finding, Severity
from evaltool.model import Book
from evaltool.sums import SUMS, SumSpec, SumStatus, evaluate
from evaltool.text.display import amount, plain


def check_sum(spec: SumSpec, book: Book) -> Iterator[Finding]:
    for total, parts in spec.pairs(book):
        result = evaluate(total, parts)
        if result.status is SumStatus.SKIPPED:
            if total.blank and not result.parts:
                continue  # nothing given on either side: not part of this department's report
            note = skipped(spec.name, [total, *parts]) if result.unreadable or total.blank else None
            yield note or finding(Severity.INFO, total, "sum_no_parts", what=spec.name)
        elif result.status is not SumStatus.OK:
            rounding = result.status is SumStatus.ROUNDING
            yield finding(
                Severity.WARNING if rounding else Severity.ERROR,
                total,
                "sum_rounding" if rounding else "sum_mismatch",
                stated=amount(total.number),
                recomputed=amount(result.expected),
                difference=amount(result.difference),
                n=len(result.parts),
                tolerance=plain(result.tolerance),
                unit=book.unit,
            )


for _spec in SUMS:
    register(
        _spec.code,
        _spec.name,
        _spec.name_en,
        Severity.ERROR,
        partial(check_sum, _spec),
        _spec.doc + "\n\n相差为 0 通过；各分项分别从元四舍五入到两位小数时，合计可差 0.005 × 分项数，"
        "此范围内为尾差（提示性）；超出为错误（强制性）。空白分项视为没有该项；分项全空时跳过并说明。",
    )
