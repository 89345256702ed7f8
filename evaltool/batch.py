"""Checking many workbooks: one worker per file, each returning a small picklable record.

The worker reads a workbook, checks it and writes its checked copy itself, so a loaded workbook
never crosses a process boundary and the parent never holds one; the parent only collects
``FileRecord``s for the console, the JSON and the summary workbook.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaltool.errors import InputError
from evaltool.findings import Severity

if TYPE_CHECKING:
    from evaltool.checker import Result
    from evaltool.derive import Derived
    from evaltool.findings import Phrase
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


@dataclass(frozen=True)
class Job:
    path: str  # as given or found in a folder
    target: str  # where the checked copy goes


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
    not_kept: tuple[str, ...] = ()  # what the checked copy could not keep of the input (also in its 核查汇总)

    @property
    def path(self) -> str:
        return self.entry["path"]

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
    from evaltool.outputs.jsondoc import entry

    return FileRecord(entry(Result(path, error=error), lang))


def check_one(job: Job, options: Options) -> tuple[Result, FileRecord]:
    """Check ``job.path`` and write its checked copy."""
    from evaltool.atomic import output_error
    from evaltool.checker import Result, check_file
    from evaltool.outputs.checked import write_checked

    if os.path.exists(job.target) and os.path.exists(job.path) and os.path.samefile(job.path, job.target):
        result = Result(job.path, error=InputError("output_is_input", path=job.target))
        return result, _record(result, options)
    result = check_file(job.path, options.ruleset)
    lost: list[Phrase] = []
    if result.error is None:
        try:
            if os.path.dirname(job.target):
                os.makedirs(os.path.dirname(job.target), exist_ok=True)
            lost = write_checked(result, job.target, lang=options.lang, fix=options.fix)
            result.output = job.target
        except OSError as e:
            result.error = output_error(job.target, e)
        except InputError as e:  # damage in a part the check did not read but the copy must load
            result.error = e
    return result, _record(result, options, lost)


def guarded(job: Job, options: Options) -> tuple[Result | None, FileRecord]:
    """``check_one``, except that a crash on the file becomes its record (exit 2), never a traceback."""
    try:
        return check_one(job, options)
    except Exception as e:  # noqa: BLE001 - a bug on one workbook must not cost the other 199
        return None, failed(job.path, crashed(job.path, e), options.lang)


def work(job: Job, options: Options) -> FileRecord:
    """The pool's task."""
    return guarded(job, options)[1]


def crashed(path: str, e: BaseException) -> InputError:
    return InputError("check_crashed", path=path, error=f"{type(e).__name__}: {e}"[:200])


def run(jobs: list[Job], options: Options, workers: int,
        done: Callable[[FileRecord], None] = lambda record: None) -> list[FileRecord]:
    """Check every job, ``workers`` processes at a time (in this process when 1); ``done`` sees each
    record as it finishes.  Returns the records in job order."""
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


def _record(result: Result, options: Options, lost: list[Phrase] | None = None) -> FileRecord:
    from evaltool.outputs.jsondoc import entry
    from evaltool.text.render import phrase

    not_kept = tuple(phrase(m, options.lang) for m in lost or ())
    # The console and the summary need no per-figure entries; a 50,000-row list has 50,000 of them.
    record = entry(result, options.lang, ratios=options.ratios, not_kept=list(not_kept))
    book, derived = result.book, result.derived
    if book is None or derived is None or result.error is not None:
        return FileRecord(record, not_kept=not_kept)
    # Departments may fill in 元 or 万元; the county adds them up in 万元 (exact: Decimal ÷ 10000).
    factor = TEN_THOUSAND if book.unit == "元" else Decimal(1)

    def wan(v: Decimal | None) -> Decimal | None:
        return None if v is None else v / factor

    ratios = {col: (wan(derived.ratio(key).num), wan(derived.ratio(key).den)) for col, key in SUMMARY_RATIOS.items()}
    total = {table: wan(book.cell("finance", table, "total", "amount").number) for table in ("income", "expense")}
    return FileRecord(record, total["income"], total["expense"], ratios, _scores(derived), not_kept)


def _scores(derived: Derived) -> Scores:
    report = derived.score
    # What the department claims is its stated 合计 (as in the JSON); nothing when it has not scored yet.
    claimed = report.claimed_total
    return Scores(claimed if report.scored else None, report.recomputed_total,
                  report.self_grade if report.scored else None, report.recomputed_grade)
