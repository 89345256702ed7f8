"""What the terminal shows: a short table per file and one verdict line; or JSON for machines."""

from __future__ import annotations

import os
import unicodedata

import click

from evaltool.checker import Result
from evaltool.findings import Severity
from evaltool.text.catalogue import tr

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: None}


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


def _dept(result: Result) -> str:
    if result.book is None:
        return ""
    dept = result.book.cell("basic", "info", "dept", "value").value or ""
    year = result.book.cell("basic", "info", "year", "value").value or ""
    return f"{dept} {year}".strip()


def print_result(result: Result, lang: str, verbose: bool = False) -> None:
    click.secho(f"{os.path.basename(result.path)}  {_dept(result)}".rstrip(), bold=True)
    if result.error is not None:
        click.secho(f"  {result.error.render(lang)}", fg="red", err=False)
        return
    shown = [f for f in result.findings if verbose or f.severity is not Severity.INFO]
    for f in shown:
        sev = f.severity.label(lang)
        line = f"  {_pad(f.code, 7)}{_pad(sev, 8)}{tr(f.message.key, lang, **f.message.params)}"
        click.secho(line, fg=_COLOURS[f.severity])
    click.echo(
        "  "
        + tr(
            "summary_counts",
            lang,
            errors=result.count(Severity.ERROR),
            warnings=result.count(Severity.WARNING),
            infos=result.count(Severity.INFO),
        )
    )
    if result.score is not None and result.score.scored:
        click.echo("  " + tr("score_line", lang, **score_dict(result)))
    if result.output:
        click.echo("  " + tr("written", lang, path=result.output))


def print_verdict(results: list[Result], lang: str) -> None:
    unreadable = sum(1 for r in results if r.error is not None)
    errors = sum(r.count(Severity.ERROR) for r in results)
    if unreadable:
        click.secho(f"{tr('verdict_unreadable', lang)}: {unreadable}", fg="red", bold=True)
    if errors:
        click.secho(tr("verdict_fail", lang, errors=errors), fg="red", bold=True)
    elif not unreadable:
        click.secho(tr("verdict_ok", lang), fg="green", bold=True)


def result_dict(result: Result, lang: str) -> dict:
    from evaltool.text.display import ratio_text
    from evaltool.text.display import value as shown

    findings = [
        {
            "code": f.code,
            "severity": f.severity.value,
            "sheet": f.sheet,
            "cell": f.cell,
            "stated": f.stated,
            "recomputed": f.recomputed,
            "difference": f.difference,
            "message": tr(f.message.key, lang, **f.message.params),
        }
        for f in result.findings
    ]
    ratios = {}
    for r in result.ratios:
        value = r.value
        ratios[r.key] = {
            "label": r.label,
            "stated": shown(r.stated) if r.stated is not None and not r.stated.blank else None,
            "stated_cell": f"{r.stated.sheet}!{r.stated.coord}" if r.stated is not None and r.stated.coord else None,
            "recomputed": None if value is None else format(value, "f"),
            "recomputed_display": ratio_text(r, lang),
        }
    book = result.book
    return {
        "path": result.path,
        "output": result.output,
        "exit_code": result.exit_code,
        "error": result.error.render(lang) if result.error is not None else None,
        "department": book.cell("basic", "info", "dept", "value").value if book else None,
        "year": book.cell("basic", "info", "year", "value").value if book else None,
        "counts": {s.value: result.count(s) for s in Severity},
        "findings": findings,
        "ratios": ratios,
        "score": score_dict(result),
    }


def score_dict(result: Result) -> dict | None:
    """The scores as text (exact decimals), for JSON and the console."""
    from evaltool.text.display import plain

    score = result.score
    if score is None:
        return None
    return {
        "self_total": plain(score.stated_total if score.stated_total is not None else score.self_total),
        "rows_total": plain(score.self_total),
        "recomputed_total": plain(score.recomputed_total),
        "self_grade": score.self_grade or "",
        "recomputed_grade": score.recomputed_grade,
        "level1": {
            k: {"self": plain(v), "recomputed": plain(score.recomputed_level1.get(k, v))}
            for k, v in score.self_level1.items()
        },
    }
