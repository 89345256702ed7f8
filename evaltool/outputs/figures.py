"""The key figures of a checked workbook, stated beside recomputed, as 核查汇总 and the JSON show them.

Whether a stated figure agrees is a fact of the findings: a finding of the figure's own rule about
the stated cell (by subject, not by cell position or by message).
"""

from __future__ import annotations

from dataclasses import dataclass

from evaltool.checker import Result
from evaltool.findings import Location, Phrase, Quantity, Severity, money, percent, quantity_of
from evaltool.ratios import Ratio


@dataclass(frozen=True)
class FigureRow:
    ratio: Ratio
    name: Phrase
    stated: Quantity | str | None  # str: the officer's text when it is not a number
    recomputed: Quantity | None
    location: Location | None
    verdict: Severity | None  # the worst finding of its rule on the stated cell; None: agrees or not checked
    checked: bool  # both sides present, so agreement was judged


def _stated(ratio: Ratio, unit: str) -> Quantity | str | None:
    cell = ratio.stated
    if cell is None or not cell.coord or cell.blank:
        return None
    return quantity_of(cell, unit) if cell.ok else cell.text


def _recomputed(ratio: Ratio, unit: str) -> Quantity | None:
    value = ratio.value
    if value is None:
        return None
    if ratio.group.difference:
        return money(value, unit)
    cell = ratio.stated
    return percent(value, cell.places if cell is not None and cell.ok else 2)


def figure_rows(result: Result, per_group: int | None = None) -> tuple[list[FigureRow], dict[str, int]]:
    """Every recomputed figure that has a value or a stated counterpart, in 核查汇总 order; with
    ``per_group``, at most that many of each group (its total always), and how many each group left out.
    The cap is applied before a row is built: a 50,000-row list's figures are counted, not made."""
    if result.derived is None or result.book is None:
        return [], {}
    unit = result.book.unit
    worst: dict[tuple[str, str], Severity] = {}
    for f in result.findings:
        if f.subject is not None and f.severity is not Severity.INFO:
            key = (f.code, f.subject.key)
            if key not in worst or f.severity.rank > worst[key].rank:
                worst[key] = f.severity
    rows = []
    listed: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for ratio in result.derived.ratios:
        cell = ratio.stated
        if ratio.value is None and (cell is None or not cell.coord or cell.blank):
            continue
        group = ratio.group.key
        listed[group] = listed.get(group, 0) + 1
        if per_group is not None and listed[group] > per_group and not ratio.key.endswith(".total"):
            hidden[group] = hidden.get(group, 0) + 1
            continue
        stated = _stated(ratio, unit)
        verdict = worst.get((ratio.group.code, cell.ref.key)) if cell is not None else None
        rows.append(
            FigureRow(
                ratio,
                ratio.name,
                stated,
                _recomputed(ratio, unit),
                Location(cell.sheet, cell.coord) if cell is not None and cell.coord else None,
                verdict,
                stated is not None and ratio.value is not None and bool(ratio.group.code),
            )
        )
    return rows, hidden
