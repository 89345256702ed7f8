"""The marks on the officer's cells, as a plan: which cell gets which fill, comment and fixed value.

The plan is data (no workbook is touched here); ``checked.apply_marks`` carries it out, and a later
writer that patches the package can carry out the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from evaltool.checks.ratios import FIX_PLACES
from evaltool.findings import Finding, Fix, Severity
from evaltool.outputs.styles import EDGE_FIXED, FILL_FIXED, SEVERITY_EDGE, SEVERITY_FILL
from evaltool.text import render
from evaltool.text.catalogue import tr
from evaltool.workbook.cellstyles import Edge


@dataclass(frozen=True)
class Mark:
    sheet: str
    cell: str  # "C5"
    fill: str  # RGB
    edge: Edge  # the border round the cell: what a black-and-white print still shows
    lines: tuple[str, ...]  # the comment, one line per finding (the fix first)
    fix: Fix | None = None
    fixed: Finding | None = None  # the finding whose recomputed value was written
    # With a fix, the mark the cell gets instead when the value cannot be written after all (a cell of an
    # array formula or a data table, which the patcher finds): fill, border and comment lines.
    instead: tuple[str, Edge, tuple[str, ...]] | None = None


def coord(cell: str | None) -> str:
    """"$C$4" -> "C4"; "C4:D5" -> "C4"."""
    return (cell or "").split(":")[0].replace("$", "").strip().upper()


def flagged(f: Finding) -> bool:
    return bool(f.sheet and f.cell) and f.severity is not Severity.INFO


def fixed_note(f: Finding, lang: str) -> str:
    """已按重算值更正（原值 81.33%）."""
    return tr("fixed", lang, old=render.quantity(f.stated, lang) if f.stated is not None else "")


def formula_note(f: Finding, lang: str) -> str:
    """公式 =ROUND(D5/B5,4) 未改写：重算值为 93.97% …: --fix leaves a formula to the officer."""
    assert f.fix is not None and f.fix.formula is not None
    return tr("fix_formula_kept", lang, formula=f.fix.formula, value=written_value(f, lang))


def kept_note(f: Finding, lang: str) -> str:
    """此格在数组公式或模拟运算表的区域内，未改写：重算值为 93.97% …"""
    return tr("fix_range_kept", lang, value=written_value(f, lang))


def written_value(f: Finding, lang: str) -> str:
    """The recomputed value as --fix writes it, at the decimals its cell then shows (a rate with 2 decimals
    at least, 100% in a "0%" cell as 100%)."""
    assert f.recomputed is not None
    q = f.recomputed
    if f.fix is not None and f.fix.places is not None:
        return render.quantity(replace(q, places=f.fix.places), lang)
    return render.quantity(replace(q, places=max(q.places, FIX_PLACES)) if q.places is not None else q, lang)


def plan(findings: list[Finding], lang: str, fix: bool) -> list[Mark]:
    """One mark per cell with an error or warning; with ``fix`` a stated derived figure gets its
    recomputed value, unless the cell holds a formula (never overwritten: its comment gives the value)."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if flagged(f):
            groups.setdefault((f.sheet, coord(f.cell)), []).append(f)
    marks = []
    for (sheet, cell), group in groups.items():
        group.sort(key=lambda f: -f.severity.rank)  # stable: worst first, then as reported
        fixable = [f for f in group if f.fix is not None] if fix else []
        chosen = next((f for f in fixable if f.fix.formula is None), None)  # type: ignore[union-attr]
        lines = [f"[{f.code} {render.severity(f.severity, lang)}] {render.message(f, lang)}" for f in group]
        flagged_as = (SEVERITY_FILL[group[0].severity], SEVERITY_EDGE[group[0].severity])
        if chosen is None:
            if fixable and fixable[0].recomputed is not None:
                lines.insert(0, formula_note(fixable[0], lang))
            marks.append(Mark(sheet, cell, *flagged_as, tuple(lines)))
            continue
        instead = (*flagged_as, (kept_note(chosen, lang), *lines))
        marks.append(Mark(sheet, cell, FILL_FIXED, EDGE_FIXED, (fixed_note(chosen, lang), *lines), chosen.fix,
                          chosen, instead))
    return marks
