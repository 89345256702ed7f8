"""Checking many workbooks: one worker per file, each returning a small picklable record.

The worker reads a workbook, checks it and writes its checked copy itself, so a loaded workbook
never crosses a process boundary and the parent never holds one; the parent only collects
``FileRecord``s for the console, the JSON and the summary workbook.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaltool.errors import InputError
from evaltool.findings import Severity

if TYPE_CHECKING:
    from evaltool.checker import Result
    from evaltool.checks import Choices
    from evaltool.derive import Derived
    from evaltool.narrative.check import ReportResult
    from evaltool.scoring.ruleset import RuleSet

TEN_THOUSAND = Decimal(10000)

# Summary column -> the recomputed ratio it shows.  All are money ÷ money; numerator and
# denominator travel (in 万元) so that the county total is recomputed from sums, never averaged.
SUMMARY_RATIOS: dict[str, str] = {
    "fiscal_share": "income_share.fiscal",
    "exec_rate": "exec_rate.total",
    "carry_rate": "carry_rate.total",
    "office_rate": "office_rate.office",
    "sangong_rate": "sangong_rate.total",
}


@dataclass(frozen=True)
class Options:
    """What every file of a run is checked with (pickled to the workers)."""

    ruleset: RuleSet
    lang: str = "zh"
    fix: bool = False
    ratios: bool = False  # put every recomputed ratio in the record (needed only for --format json)
    choices: Choices | None = None  # the checks to make (the rule set's, then --select/--ignore)
    dataset: bool = False  # put the county dataset's rows in the record (--export)


@dataclass(frozen=True)
class Job:
    path: str  # as given or found in a folder
    target: str  # where the checked copy goes
    book: str | None = None  # a report: the workbook it is tied to (--book)
    books: tuple[tuple[str, str], ...] = ()  # a report: (department key, workbook) of the batch's workbooks
    prior: str | None = None  # a workbook: last year's workbook of its department (--prior)
    priors: tuple[tuple[tuple[str, int], str], ...] = ()  # --prior-dir: ((department key, year), workbook)


@dataclass(frozen=True)
class Scores:
    self_total: Decimal | None
    recomputed_total: Decimal | None
    self_grade: str | None
    recomputed_grade: str | None


@dataclass(frozen=True)
class FileRecord:
    """One file's outcome: plain data only, cheap to pickle back from a worker."""

    entry: dict[str, Any]  # the file's ``--format json`` entry (``outputs.jsondoc.entry``)
    income_total: Decimal | None = None  # 万元
    expense_total: Decimal | None = None  # 万元
    ratios: dict[str, tuple[Decimal | None, Decimal | None]] | None = None  # SUMMARY_RATIOS key -> (num, den), 万元
    scores: Scores | None = None
    filed: str | None = None  # 填报日期 (ISO): which of two submissions of one department is the later
    data: dict[str, Any] | None = None  # the county dataset's rows (``outputs.dataset_rows.rows``)

    @property
    def path(self) -> str:
        return self.entry["path"]

    @property
    def verdict(self) -> str | None:
        """``Result.verdict`` (a ``findings.Verdict`` value); None for a file left alone."""
        verdict = self.entry["verdict"]
        return None if verdict == "skipped" else verdict

    @property
    def states(self) -> dict[str, int]:
        """``Result.tally()``: findings by ``findings.State`` value (a report's as its console counts them)."""
        return self.entry["states"]

    @property
    def output(self) -> str | None:
        return self.entry["output"]

    @property
    def exit_code(self) -> int:
        return self.entry["exit_code"]

    @property
    def error(self) -> str | None:
        """Why the file could not be checked, in the run's language."""
        error = self.entry["error"]
        return None if error is None else error["message"]

    @property
    def skipped(self) -> str | None:
        """Why the file was left alone (found in a folder, not a workbook to check), in the run's language."""
        skipped = self.entry["skipped"]
        return None if skipped is None else skipped["message"]

    @property
    def flags(self) -> list[dict[str, str]]:
        """What the batch says of this file among the others (``flag_batch``)."""
        return self.entry["flags"]

    def flagged(self, *keys: str) -> bool:
        return any(f["key"] in keys for f in self.flags)

    @property
    def department(self) -> str:
        return str(self.entry["department"] or "")

    @property
    def year(self) -> int | None:
        return self.entry["year"]

    @property
    def findings(self) -> list[dict[str, Any]]:
        return self.entry["findings"]

    def count(self, severity: Severity) -> int:
        return self.entry["counts"][severity.value]

    def ratio(self, key: str) -> tuple[Decimal | None, Decimal | None]:
        """(numerator, denominator) of a ``SUMMARY_RATIOS`` column, in 万元."""
        return (self.ratios or {}).get(key, (None, None))


def failed(path: str, error: InputError, lang: str) -> FileRecord:
    """The record of a file that could not be checked at all."""
    from evaltool.checker import Result

    return _plain(Result(path, error=error), lang)


def skipped(path: str, key: str, lang: str, **params: Any) -> FileRecord:
    """The record of a file found in a folder and left alone (exit 0), with why."""
    from evaltool.checker import Result

    return _plain(Result(path, skipped=InputError(key, path=path, **params)), lang)


def _plain(result: Result, lang: str) -> FileRecord:
    from evaltool.outputs.jsondoc import entry

    return FileRecord(entry(result, lang))


def check_one(job: Job, options: Options) -> tuple[Result, FileRecord]:
    """Check ``job.path`` and write its checked copy."""
    from evaltool.atomic import output_error
    from evaltool.checker import Result, check_file
    from evaltool.narrative.check import is_report
    from evaltool.outputs.checked import write_checked

    if os.path.exists(job.target) and os.path.exists(job.path) and os.path.samefile(job.path, job.target):
        result = Result(job.path, error=InputError("output_is_input", path=job.target))
        return result, _record(result, options)
    if is_report(job.path):
        return _check_report(job, options)
    result = check_file(job.path, options.ruleset, options.choices, job.prior or dict(job.priors) or None)
    if result.error is None:
        try:
            if os.path.dirname(job.target):
                os.makedirs(os.path.dirname(job.target), exist_ok=True)
            result.corrected = tuple(f.id for f in write_checked(result, job.target, lang=options.lang,
                                                                  fix=options.fix))
            result.output = job.target
        except OSError as e:
            result.error = output_error(job.target, e)
        except InputError as e:
            result.error = e
    return result, _record(result, options)


def _check_report(job: Job, options: Options) -> tuple[ReportResult, FileRecord]:
    """A 自评报告: its claims checked (against its workbook when it has one) and its checked .docx written."""
    from evaltool.atomic import output_error
    from evaltool.narrative.check import check_report
    from evaltool.outputs.jsondoc import report_entry
    from evaltool.outputs.report_copy import write_checked_report

    result = check_report(job.path, job.book, dict(job.books), options.ruleset)
    if result.error is None:
        try:
            if os.path.dirname(job.target):
                os.makedirs(os.path.dirname(job.target), exist_ok=True)
            write_checked_report(result, job.target, options.lang)
            result.output = job.target
        except OSError as e:
            result.error = output_error(job.target, e)
    entry = report_entry(result, options.lang)
    return result, FileRecord(entry)


def guarded(job: Job, options: Options) -> tuple[Result | ReportResult | None, FileRecord]:
    """``check_one``, except that a crash on the file becomes its record (exit 2), never a traceback; what
    libraries print meanwhile goes nowhere (``quiet``)."""
    from evaltool.quiet import quiet

    try:
        with quiet():
            return check_one(job, options)
    except Exception as e:  # noqa: BLE001 - a bug on one workbook must not cost the other 199
        return None, failed(job.path, crashed(job.path, e), options.lang)


def work(job: Job, options: Options) -> FileRecord:
    """The pool's task."""
    return guarded(job, options)[1]


def crashed(path: str, e: BaseException) -> InputError:
    """A bug met on one file: the officer is told to send it (the exception's text means nothing to them)."""
    return InputError("check_crashed", path=path)


def run(jobs: list[Job], options: Options, workers: int,
        done: Callable[[FileRecord], None] = lambda record: None) -> list[FileRecord]:
    """Check every job, ``workers`` processes at a time (in this process when 1); ``done`` sees each
    record as it finishes.  Returns the records in job order.

    Reports without ``--book`` are checked after the workbooks, each against the workbook of its own
    department (by ``model.department_key``) when exactly one workbook of the batch is of it."""
    from evaltool.narrative.check import is_report

    reports = [i for i, job in enumerate(jobs) if is_report(job.path) and job.book is None]
    if not reports or len(reports) == len(jobs):
        return _run(jobs, options, workers, done)
    others = [i for i in range(len(jobs)) if i not in set(reports)]
    first = _run([jobs[i] for i in others], options, workers, done)
    books = _books(first)
    second = _run([replace(jobs[i], books=books) for i in reports], options, workers, done)
    by_index = dict(zip(others, first, strict=True)) | dict(zip(reports, second, strict=True))
    return [by_index[i] for i in range(len(jobs))]


def _books(records: list[FileRecord]) -> tuple[tuple[str, str], ...]:
    """(department key, workbook path) of each department with exactly one readable workbook."""
    from collections import Counter

    from evaltool.model import department_key

    keys = [(department_key(r.department), r.path) for r in records if r.error is None and r.department
            and r.entry.get("kind", "workbook") == "workbook"]
    seen = Counter(k for k, _ in keys)
    return tuple((k, path) for k, path in keys if seen[k] == 1)


def _run(jobs: list[Job], options: Options, workers: int,
         done: Callable[[FileRecord], None]) -> list[FileRecord]:
    if workers <= 1 or len(jobs) <= 1:
        records = []
        for job in jobs:
            records.append(work(job, options))
            done(records[-1])
        return records

    from concurrent.futures import ProcessPoolExecutor, as_completed

    by_index: dict[int, FileRecord] = {}
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)))
    try:
        futures = {pool.submit(work, job, options): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                record = future.result()
            except Exception as e:  # noqa: BLE001 - a worker killed (out of memory) breaks only its files
                record = failed(jobs[i].path, crashed(jobs[i].path, e), options.lang)
            by_index[i] = record
            done(record)
    finally:
        # Ctrl-C: do not start the files still queued.
        pool.shutdown(wait=True, cancel_futures=True)
    return [by_index[i] for i in range(len(jobs))]


def _record(result: Result, options: Options) -> FileRecord:
    from evaltool.outputs.jsondoc import entry

    # The console and the summary need no per-figure entries; a 50,000-row list has 50,000 of them.
    record = entry(result, options.lang, ratios=options.ratios)
    book, derived = result.book, result.derived
    if book is None or derived is None or result.error is not None:
        return FileRecord(record)
    # Departments may fill in 元 or 万元; the county adds them up in 万元 (exact: Decimal ÷ 10000).
    factor = TEN_THOUSAND if book.unit == "元" else Decimal(1)

    def wan(v: Decimal | None) -> Decimal | None:
        return None if v is None else v / factor

    ratios = {col: (wan(derived.ratio(key).num), wan(derived.ratio(key).den)) for col, key in SUMMARY_RATIOS.items()}
    view = derived.book or book  # a blank total its parts determine counts as given
    total = {table: wan(view.cell("finance", table, "total", "amount").number) for table in ("income", "expense")}
    date = book.cell("basic", "info", "date", "value").value
    filed = date.isoformat() if hasattr(date, "isoformat") else None
    data = None
    if options.dataset:
        from evaltool.outputs.dataset_rows import rows

        data = rows(result)
    elif derived.prior is not None:  # the summary's 上年 columns need only last year's headline figures
        from evaltool.outputs.dataset_rows import prior

        data = {"file": prior(derived)}
    return FileRecord(record, total["income"], total["expense"], ratios, _scores(derived), filed, data=data)


def _scores(derived: Derived) -> Scores:
    report = derived.score
    # What the department claims is its stated 合计 (as in the JSON); nothing when it has not scored yet.
    claimed = report.claimed_total
    return Scores(claimed if report.scored else None, report.recomputed_total,
                  report.self_grade if report.scored else None, report.recomputed_grade)


# --------------------------------------------------------------------------- the batch as a whole

# A department ≥ this many times the county's median total most likely filled in 元 under 万元.
UNIT_OUTLIER = Decimal(1000)
def _total(record: FileRecord) -> Decimal | None:
    given = [v for v in (record.income_total, record.expense_total) if v is not None]
    return max(given) if given else None


def flag_batch(records: Sequence[FileRecord], lang: str) -> None:
    """What only the whole batch shows, written into each record's ``flags``:

    - ``duplicate_later`` / ``duplicate_earlier``: two files of one department (names compared by
      ``model.department_key``) and year.  Both rows say so; the county total and the ranking keep the
      later one (later 填报日期, then the file modified later, then the later in the folder).
    - ``unit_outlier``: a total ≥ 1000 × the county's median, most likely in 元 under 万元; it is kept
      out of the county total (and says so) until it is corrected.
    - ``other_ruleset``: a checked copy whose verdict (the one its department saw) was reached under
      another rule set than this run's: the two verdicts may differ.
    """
    from evaltool.text.catalogue import tr
    from evaltool.text.render import param

    def flag(record: FileRecord, key: str, **params: Any) -> None:
        record.flags.append({"key": key, "message": tr(f"flag.{key}", lang, **params)})

    from evaltool.model import department_key

    checked = [r for r in records if r.error is None and r.skipped is None
               and r.entry.get("kind", "workbook") == "workbook"]  # a report is not a submission of figures
    groups: dict[tuple[str, int | None], list[int]] = {}
    for i, r in enumerate(checked):
        if r.department:
            groups.setdefault((department_key(r.department), r.year), []).append(i)
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        ordered = sorted(indexes, key=lambda i: (checked[i].filed or "", _mtime(checked[i].path), i))
        kept = checked[ordered[-1]]
        for i in ordered[:-1]:
            flag(checked[i], "duplicate_earlier", other=kept.path)
        flag(kept, "duplicate_later", other=param(tuple(checked[i].path for i in ordered[:-1]), lang))
    for r in checked:
        before, now = r.entry.get("checked_before") or {}, r.entry.get("provenance") or {}
        if before.get("ruleset_digest") and before["ruleset_digest"] != now.get("ruleset_digest"):
            flag(r, "other_ruleset", before=before.get("ruleset") or "?", now=now.get("ruleset") or "?",
                 before_digest=before["ruleset_digest"][:12], now_digest=(now.get("ruleset_digest") or "?")[:12])
    totals = [t for t in (_total(r) for r in checked) if t is not None and t > 0]
    if len(totals) >= 3:  # a median of one or two is no county
        import statistics  # off the start-up path: it pulls fractions and random

        median = statistics.median(totals)
        for r in checked:
            t = _total(r)
            if t is not None and median > 0 and t >= UNIT_OUTLIER * median:
                flag(r, "unit_outlier", total=f"{t:,.2f}", median=f"{median:,.2f}", factor=f"{t / median:,.0f}")


def _mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0
