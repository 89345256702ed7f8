"""What the terminal shows: a short table per file and one verdict line."""

from __future__ import annotations

import os

import click

from evaltool.checker import Result
from evaltool.findings import Finding, Severity, State, Verdict, score
from evaltool.narrative.check import ReportResult
from evaltool.outputs.jsondoc import unexplained_states
from evaltool.outputs.marks import written_value
from evaltool.outputs.provenance import checks_lines, provenance_line
from evaltool.text import render
from evaltool.text.catalogue import tr
from evaltool.text.labels import cell_label
from evaltool.width import display_width

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: None}


def pad(s: str, n: int) -> str:
    return s + " " * max(0, n - display_width(s))


def _dept(result: Result | ReportResult) -> str:
    if isinstance(result, ReportResult):
        return f"{result.department or ''} {result.year or ''}".strip()
    if result.book is None:
        return ""
    return f"{result.book.department or ''} {result.book.year or ''}".strip()


def quote(f: Finding, width: int = 60) -> str | None:
    """The sentence a report finding is about, cut to about ``width`` columns around the figure."""
    if f.position is None:
        return None
    sentence, at = f.position.quote, f.position.start - f.position.sentence_start
    if display_width(sentence) <= width:
        return f"“{sentence}”"
    begin = max(0, min(at - width // 4, len(sentence) - width // 2))
    cut = sentence[begin:begin + width // 2]
    return f"“{'…' if begin else ''}{cut}{'…' if begin + width // 2 < len(sentence) else ''}”"


def explanation(result: Result, f: Finding, lang: str) -> str | None:
    """A warning's 单位说明 as the verdict counts it: explained, not counting (a placeholder), or reopened."""
    if f.severity is not Severity.WARNING:
        return None
    if f.id in result.reopened:
        return tr("console_reopened", lang, text=result.reopened[f.id])
    text = result.explanations.get(f.id)
    if not text:
        return None
    return tr("console_explained" if result.state(f) is State.EXPLAINED else "console_not_explained", lang, text=text)


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


def print_result(result: Result | ReportResult, lang: str, verbose: bool = False) -> None:
    click.secho(f"{os.path.basename(result.path)}  {_dept(result)}".rstrip(), bold=True)
    if result.error is not None:
        click.secho(f"  {result.error.render(lang)}", fg="red", err=False)
        return
    for f in result.findings:
        if verbose or f.severity is not Severity.INFO:
            sev = render.severity(f.severity, lang)
            click.secho(f"  {pad(f.code, 7)}{pad(sev, 8)}{render.message(f, lang)}", fg=_COLOURS[f.severity])
            said = quote(f) or (explanation(result, f, lang) if isinstance(result, Result) else None)
            if said and f.severity is not Severity.INFO:
                click.secho(f"  {' ' * 15}{said}", dim=True)
    for line in held_back(result.findings, lang):
        click.secho("  " + line, fg="yellow")
    errors, warnings, infos = (result.count(s) for s in Severity)
    click.echo("  " + tr("summary_counts", lang, errors=errors, warnings=warnings, infos=infos))
    if isinstance(result, ReportResult):
        _report_lines(result, lang)
        line = None
    else:
        line = score_line(result, lang)
    if line:
        click.echo("  " + line)
    if isinstance(result, Result):  # what the workbook's verdict was reached under
        book = result.book
        click.echo("  " + provenance_line(book.template_version if book else None, book.ruleset if book else None,
                                          lang))
        for text in checks_lines(result.choices, lang):
            click.secho("  " + text, fg="yellow")
    if isinstance(result, Result):
        for f in (f for f in result.findings if f.id in result.corrected):
            click.secho("  " + tr("console_corrected", lang, where=f"{f.sheet}!{f.cell}",
                                  old=render.quantity(f.stated, lang) if f.stated is not None else "",
                                  new=written_value(f, lang)), fg="green")
    if result.output:
        click.echo("  " + tr("written", lang, path=result.output))


def _report_lines(result: ReportResult, lang: str) -> None:
    if result.checked is None:
        return
    checked = result.checked
    click.echo("  " + tr("report_verified", lang, n=len(checked.verified), unchecked=len(checked.unchecked)))
    if result.book:
        click.echo("  " + tr("report_book", lang, path=result.book))


def held_back(findings: list[Finding], lang: str) -> list[str]:
    """What was not checked until a total is put right, said without -v: one line per total."""
    held: dict[str, tuple[object, int]] = {}
    for f in findings:
        basis = f.params.get("basis") if f.key == "ratio_basis_broken" else None
        if basis is not None:
            held[basis.key] = (basis, held.get(basis.key, (basis, 0))[1] + 1)
    return [tr("held_back", lang, n=n, basis=cell_label(basis, lang)) for basis, n in held.values()]


def _states(record) -> dict[str, int]:
    """Findings by state of a ``Result`` or a batch's ``FileRecord`` (its JSON entry)."""
    if isinstance(record, Result):
        return {s.value: n for s, n in record.tally().items()}
    return record.entry.get("states") or unexplained_states(record)


def verdict_line(verdict: Verdict, states: dict[str, int], lang: str) -> str:
    """可报送 / 通过（有未说明的提示） / 未通过, with the errors, unexplained and explained warnings."""
    return tr("verdict_line", lang, verdict=tr(f"verdict_word_{verdict.value}", lang),
              errors=states.get(State.ERROR.value, 0), unexplained=states.get(State.UNEXPLAINED.value, 0),
              explained=states.get(State.EXPLAINED.value, 0))


def _is_report(record) -> bool:
    return isinstance(record, ReportResult) or (not isinstance(record, Result) and record.entry.get("kind") == "report")


_VERDICT_COLOURS = {Verdict.READY: "green", Verdict.PASS_UNEXPLAINED: "yellow", Verdict.FAIL: "red"}


def print_verdict(results: list, lang: str) -> None:
    """What to do next and one line for the whole run, the last; ``results`` are ``Result``s or ``FileRecord``s."""
    unreadable = sum(1 for r in results if r.error is not None)
    left = sum(1 for r in results if r.skipped is not None)
    if left:
        click.echo(tr("verdict_skipped_n", lang, n=left))
    if unreadable:
        click.secho(tr("verdict_unreadable_n", lang, n=unreadable), fg="red", bold=True)
    checked = [r for r in results if r.error is None and r.skipped is None]
    states = {s.value: sum(_states(r).get(s.value, 0) for r in checked) for s in State}
    verdict = Verdict.of(states[State.ERROR.value], states[State.UNEXPLAINED.value])
    if unreadable and verdict is not Verdict.FAIL:
        return  # a run with a file not checked is not ready to send, whatever the others say
    step = f"verdict_next_{verdict.value}"
    unexplained = [r for r in checked if _states(r).get(State.UNEXPLAINED.value)]
    if verdict is Verdict.PASS_UNEXPLAINED and all(_is_report(r) for r in unexplained):
        step += "_report"  # a report's copy has no 核查结果 to explain them in
    click.echo(tr(step, lang))
    click.secho(verdict_line(verdict, states, lang), fg=_VERDICT_COLOURS[verdict], bold=True)  # the last line
