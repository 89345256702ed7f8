"""``--format json``: schema version 2 (``evaltool/outputs/schema/check-v2.json`` describes it).

Numbers are JSON numbers with their unit, the decimals they are shown with and the exact decimal
as a string beside them; every finding keeps its facts (code, severity, subject, location,
quantities) beside the rendered message.  Room is kept for what later versions of the tool fill:
``position`` (findings in a report's text).  A finding's ``state`` is where it stands after the
officer's explanations (error, unexplained, explained, info), ``explanation`` the officer's 单位说明 and
``review`` the 财政局's 审核结论 and 审核意见, carried over from an earlier check's 核查结果; a file's
``verdict`` is ``findings.Verdict`` (ready, pass_unexplained, fail, unreadable; skipped for a file left
alone), ``states`` counts its findings by state and ``reviews`` its warnings and errors by 审核结论.
``provenance`` says what a verdict was reached under and ``checks`` which rules a county's rule set
or the run switched off (``disabled``) or gave another severity (``changed``, ``severity``), and by
whom (``by``: ruleset or run).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from evaltool import __version__
from evaltool.checker import Result
from evaltool.findings import Finding, Fix, Location, Passage, Quantity, Severity, State, Verdict
from evaltool.model import CellRef
from evaltool.narrative.check import ReportResult
from evaltool.outputs.figures import figure_rows
from evaltool.outputs.provenance import checks_json, provenance
from evaltool.text import render
from evaltool.text.labels import cell_label

SCHEMA_VERSION = 2


def document(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "tool": {"name": "evaltool", "version": __version__}, "files": entries}


def number(value: Decimal | int) -> float | int:
    return value if isinstance(value, int) else float(value)


def quantity(q: Quantity | str | dt.date | None, lang: str) -> dict[str, Any] | None:
    if q is None:
        return None
    if not isinstance(q, Quantity):  # the officer's own text
        text = q.isoformat() if isinstance(q, dt.date) else q
        return {"value": text, "exact": text, "unit": "text", "places": None, "op": None, "text": text}
    v = q.value
    value: Any
    if isinstance(v, dt.date):
        value = exact = v.isoformat()
    elif isinstance(v, str):
        value = exact = v
    else:
        value, exact = number(v), str(v)
    return {"value": value, "exact": exact, "unit": q.unit.value, "places": q.places, "op": q.op,
            "text": render.quantity(q, lang)}


def subject(ref: CellRef | None, lang: str) -> dict[str, Any] | None:
    return None if ref is None else {"key": ref.key, "label": cell_label(ref, lang)}


def location(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else {"sheet": loc.sheet, "cell": loc.cell, "cells": list(loc.cells)}


def position(p: Passage | None) -> dict[str, Any] | None:
    """Where a report's finding is: the figure's span in the normalised paragraph, the paragraph (and the
    .txt line or PDF page it starts on), the sentence and its text."""
    if p is None:
        return None
    return {"start": p.start, "end": p.end, "paragraph": p.paragraph, "sentence": p.sentence, "line": p.line,
            "page": p.page, "quote": p.quote}


def fix(f: Fix | None) -> dict[str, Any] | None:
    return None if f is None else {"value": number(f.value), "exact": str(f.value), "number_format": f.number_format,
                                   "formula": f.formula}


def finding(f: Finding, lang: str, year: int | None, result: Result | None = None) -> dict[str, Any]:
    """One finding; ``result`` (a workbook's) gives its state, explanation and review, a report's findings
    have no explanations yet (a warning there is unexplained)."""
    review = result.reviews.get(f.id) if result is not None else None
    if result is not None:
        state = result.state(f)
    else:
        state = {Severity.ERROR: State.ERROR, Severity.WARNING: State.UNEXPLAINED}.get(f.severity, State.INFO)
    explanation = (result.explanations.get(f.id) or result.reopened.get(f.id)) if result is not None else None
    return {
        "id": f"{f.id}:{year}" if year is not None and f.year is None else f.id,
        "code": f.code,
        "rule": render.rule_name(f.code, lang),
        "severity": f.severity.value,
        "state": state.value,
        "subject": subject(f.subject, lang),
        "location": location(f.location),
        "position": position(f.position),
        "stated": quantity(f.stated, lang),
        "recomputed": quantity(f.recomputed, lang),
        "difference": quantity(f.difference, lang),
        "fix": fix(f.fix),
        "message": render.message(f, lang),
        "explanation": explanation or None,
        "review": None if review is None else {"conclusion": review.conclusion, "note": review.note},
    }


def unexplained_states(counted) -> dict[str, int]:
    """Findings by state where nothing is explained (a report; anything with ``count(Severity)``)."""
    return {State.ERROR.value: counted.count(Severity.ERROR), State.UNEXPLAINED.value: counted.count(Severity.WARNING),
            State.EXPLAINED.value: 0, State.INFO.value: counted.count(Severity.INFO)}


def _verdict(result: Result) -> str:
    verdict = result.verdict
    return "skipped" if verdict is None else verdict.value


def figures(result: Result, lang: str) -> dict[str, Any]:
    out = {}
    for row in figure_rows(result)[0]:
        out[row.ratio.key] = {
            "group": row.ratio.group.key,
            "code": row.ratio.group.code or None,
            "label": render.phrase(row.name, lang),
            "stated": quantity(row.stated, lang),
            "recomputed": quantity(row.recomputed, lang),
            "location": location(row.location),
            "agrees": False if row.verdict is not None else (True if row.checked else None),
        }
    return out


def score(result: Result, lang: str) -> dict[str, Any] | None:
    from evaltool.findings import Unit
    from evaltool.findings import score as points

    if result.derived is None:
        return None
    report = result.derived.score
    claimed = report.claimed_total
    return {
        "scored": report.scored,
        "ruleset": report.ruleset.name,
        "self_total": quantity(points(claimed), lang),
        "rows_total": quantity(points(report.self_total), lang),
        "recomputed_total": quantity(points(report.recomputed_total), lang),
        "self_grade": quantity(Quantity(report.self_grade, Unit.GRADE), lang) if report.self_grade else None,
        "recomputed_grade": quantity(Quantity(report.recomputed_grade, Unit.GRADE), lang),
        "level1": {
            name: {"self": quantity(points(value), lang),
                   "recomputed": quantity(points(report.recomputed_level1.get(name, value)), lang)}
            for name, value in report.self_level1.items()
        },
    }


def entry(result: Result, lang: str, *, ratios: bool = True) -> dict[str, Any]:
    """One file of the document; ``ratios`` off leaves out the per-figure table (a 50,000-row list has
    50,000 figures)."""
    book = result.book
    year = book.year if book else None
    error = result.error
    return {
        "path": result.path,
        "output": result.output,
        "status": "unreadable" if error is not None else "skipped" if result.skipped is not None else "checked",
        "exit_code": result.exit_code,
        "verdict": _verdict(result),
        "error": None if error is None else {"key": error.key, "message": error.render(lang)},
        "skipped": None if result.skipped is None else {"key": result.skipped.key,
                                                        "message": result.skipped.render(lang)},
        "flags": [],  # set by the batch (batch.flag_batch), which sees the other files
        "provenance": provenance(book.template_version if book else None, book.ruleset if book else None),
        "checked_before": _checked_before(book.checked_before if book else None),
        "department": book.department if book else None,
        "year": year,
        "unit": book.unit if book else None,
        "counts": {s.value: result.count(s) for s in Severity},
        "states": {s.value: n for s, n in result.tally().items()},
        "reviews": result.review_counts(),
        "checks": checks_json(result.choices),
        "findings": [finding(f, lang, year, result) for f in result.findings],
        "corrected": list(result.corrected),  # ids of the findings whose value --fix wrote into the copy
        "figures": figures(result, lang) if ratios and result.derived is not None else {},
        "score": score(result, lang),
    }


def _checked_before(marker: dict | None) -> dict[str, Any] | None:
    """What the check that wrote this copy recorded: its version and rule set (None: an original)."""
    if not marker:
        return None
    return {"tool_version": _text(marker.get("version")), "ruleset": _text(marker.get("ruleset")),
            "ruleset_digest": _text(marker.get("ruleset_digest"))}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def report_entry(result: ReportResult, lang: str) -> dict[str, Any]:
    """One report of the document: the same fields as a workbook's (no figures, score or unit), with the
    claims verified and the workbook it was tied to."""
    from evaltool.narrative.verify import at  # the report's parser stays off a workbook check's path

    year = result.year
    error = result.error
    checked = result.checked
    return {
        "path": result.path,
        "output": result.output,
        "status": "unreadable" if error is not None else "checked",
        "exit_code": result.exit_code,
        "verdict": Verdict.UNREADABLE.value if error is not None else Verdict.of(
            result.count(Severity.ERROR), result.count(Severity.WARNING)).value,
        "error": None if error is None else {"key": error.key, "message": error.render(lang)},
        "skipped": None,
        "flags": [],
        "provenance": provenance(None, None),
        "department": result.department,
        "year": year,
        "unit": None,
        "counts": {s.value: result.count(s) for s in Severity},
        "states": unexplained_states(result),
        "checks": checks_json(None),
        "findings": [finding(f, lang, year) for f in result.findings],
        "figures": {},
        "score": None,
        "kind": "report",
        "book": result.book,
        "claims": [] if checked is None else [
            {"code": v.code, "claim": v.claim, "holds": v.finding is None,
             "position": position(at(checked.report, v.about[0])) if v.about else None}
            for v in checked.verified
        ],
    }
