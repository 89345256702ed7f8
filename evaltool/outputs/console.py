"""What the terminal shows: a short table per file and one verdict line."""

from __future__ import annotations

import os

import click

from evaltool.checker import Result
from evaltool.findings import Severity, score
from evaltool.outputs.provenance import checks_lines, provenance_line
from evaltool.text import render
from evaltool.text.catalogue import tr
from evaltool.width import display_width

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: None}


def pad(s: str, n: int) -> str:
    return s + " " * max(0, n - display_width(s))


def _dept(result: Result) -> str:
    if result.book is None:
        return ""
    return f"{result.book.department or ''} {result.book.year or ''}".strip()


def score_line(result: Result, lang: str) -> str | None:
    """自评得分 95（优），重算得分 90（优）; None before anything is scored."""
    if result.derived is None or not result.derived.score.scored:
        return None
    report = result.derived.score
    claimed = report.claimed_total
    return tr(
        "score_line",
        lang,
        self_total=render.quantity(score(claimed), lang),
        self_grade=render.grade(report.self_grade, lang) or "—",
        recomputed_total=render.quantity(score(report.recomputed_total), lang),
        recomputed_grade=render.grade(report.recomputed_grade, lang),
    )


def print_result(result: Result, lang: str, verbose: bool = False) -> None:
    click.secho(f"{os.path.basename(result.path)}  {_dept(result)}".rstrip(), bold=True)
    if result.error is not None:
        click.secho(f"  {result.error.render(lang)}", fg="red", err=False)
        return
    for f in result.findings:
        if verbose or f.severity is not Severity.INFO:
            sev = render.severity(f.severity, lang)
            click.secho(f"  {pad(f.code, 7)}{pad(sev, 8)}{render.message(f, lang)}", fg=_COLOURS[f.severity])
    errors, warnings, infos = (result.count(s) for s in Severity)
    click.echo("  " + tr("summary_counts", lang, errors=errors, warnings=warnings, infos=infos))
    line = score_line(result, lang)
    if line:
        click.echo("  " + line)
    book = result.book
    click.echo("  " + provenance_line(book.template_version if book else None, book.ruleset if book else None, lang))
    for text in checks_lines(result.choices, lang):
        click.secho("  " + text, fg="yellow")
    if result.output:
        click.echo("  " + tr("written", lang, path=result.output))


def print_verdict(results: list, lang: str) -> None:
    """One line for the whole run; ``results`` are ``Result``s or ``FileRecord``s (error and count)."""
    unreadable = sum(1 for r in results if r.error is not None)
    errors = sum(r.count(Severity.ERROR) for r in results)
    left = sum(1 for r in results if r.skipped is not None)
    if left:
        click.echo(tr("verdict_skipped_n", lang, n=left))
    if unreadable:
        click.secho(tr("verdict_unreadable_n", lang, n=unreadable), fg="red", bold=True)
    if errors:
        click.secho(tr("verdict_fail", lang, errors=errors), fg="red", bold=True)
    elif not unreadable:
        click.secho(tr("verdict_ok", lang), fg="green", bold=True)
