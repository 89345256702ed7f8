"""One workbook from path to findings: read, derive every figure once, run every rule."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evaltool.errors import InputError
from evaltool.findings import Finding, Location, Passage, Quantity, Severity, State, Verdict
from evaltool.model import CellRef

if TYPE_CHECKING:
    from evaltool.checks import Choices
    from evaltool.derive import Derived, Prior
    from evaltool.model import Book
    from evaltool.scoring.ruleset import RuleSet


@dataclass(frozen=True)
class Review:
    """The 财政局's word on a finding: 审核结论 (a ``layout.REVIEW_CHOICES`` key; None: not given) and 审核意见."""

    conclusion: str | None = None
    note: str = ""


@dataclass
class Result:
    path: str
    findings: list[Finding] = field(default_factory=list)
    book: Book | None = None
    derived: Derived | None = None  # every recomputed sum, ratio and score
    error: InputError | None = None  # the file could not be checked at all
    skipped: InputError | None = None  # a file found in a folder and left alone, and why (not an error)
    output: str | None = None  # where the checked copy was written
    corrected: tuple[str, ...] = ()  # ids of the findings whose recomputed value --fix wrote into the copy
    choices: Choices | None = None  # the checks a county or this run switched off or changed
    # finding id → the officer's 出错说明, carried over from an earlier 核查结果 or typed in the page
    explanations: dict[str, str] = field(default_factory=dict)
    # finding id → an explanation written against other figures: shown again, counted no more
    reopened: dict[str, str] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)  # finding id → the reviewer's columns, carried over

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def state(self, finding: Finding) -> State:
        """An error stays an error whatever is written beside it; a warning is explained by an
        explanation of substance (DOMAIN §7)."""
        if finding.severity is Severity.ERROR:
            return State.ERROR
        if finding.severity is Severity.INFO:
            return State.INFO
        rules = getattr(self.book, "ruleset", None)  # None: no workbook read (or a report)
        explained = substantive(self.explanations.get(finding.id), rules.placeholders if rules else None,
                                rules.min_explanation if rules else None)
        return State.EXPLAINED if explained else State.UNEXPLAINED

    def tally(self) -> dict[State, int]:
        counts = dict.fromkeys(State, 0)
        for f in self.findings:
            counts[self.state(f)] += 1
        return counts

    @property
    def verdict(self) -> Verdict | None:
        """None for a file left alone in a folder (not a workbook of ours)."""
        if self.error is not None:
            return Verdict.UNREADABLE
        if self.skipped is not None:
            return None
        tally = self.tally()
        return Verdict.of(tally[State.ERROR], tally[State.UNEXPLAINED])

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return 2
        if self.skipped is not None:
            return 0
        return 1 if self.count(Severity.ERROR) else 0

    def review_counts(self) -> dict[str, int]:
        """审核结论 over this file's warnings and errors: pending (blank or 待审), accepted, returned."""
        counts = {"pending": 0, "accepted": 0, "returned": 0}
        for f in self.findings:
            if f.severity is not Severity.INFO:
                review = self.reviews.get(f.id)
                counts[(review.conclusion if review else None) or "pending"] += 1
        return counts

    def carry_over(self) -> None:
        """Take what an earlier check's 核查结果 holds (``book.earlier``) for the findings found now: an
        explanation counts while the figures it was written against are the same, else it is reopened; a
        reviewer's 认可/退回 of other figures goes back to 待审 (the note stays: it says what was asked)."""
        earlier = self.book.earlier if self.book is not None else {}
        for f in self.findings:
            before = earlier.get(f.id)
            if before is None:
                continue
            if before.explanation:
                if before.digest == digest(f):
                    self.explanations.setdefault(f.id, before.explanation)
                else:
                    self.reopened[f.id] = before.explanation
            if before.review or before.review_note:
                same = not before.digest or before.digest == digest(f)
                self.reviews[f.id] = Review(before.review if same else None, before.review_note)


def _plain(value: object) -> str:
    if isinstance(value, Quantity):
        return f"{value.op or ''}{value.value}|{value.unit.value}|{value.places}"
    if isinstance(value, tuple):
        return ",".join(_plain(v) for v in value)
    return "" if isinstance(value, (Location, Passage, CellRef)) else repr(value)


def digest(f: Finding) -> str:
    """The figures a finding is about, as a short digest: an explanation written against them reopens
    when they change.  Where it is (its cell, a passage) is left out: a row inserted moves nothing."""
    figures = [_plain(q) for q in (f.stated, f.recomputed, f.difference)]
    figures += [f"{k}={_plain(v)}" for k, v in sorted(f.params.items())]
    return hashlib.sha1("\n".join(figures).encode("utf-8")).hexdigest()[:12]


# What does not explain anything (DOMAIN §7); compared after stripping spaces and end punctuation.
PLACEHOLDERS = frozenset({"无", "没有", "正常", "已核实", "核实", "同上", "见上", "已说明", "说明", "确认", "已确认",
                          "无误", "属实", "好", "是", "/", "-", "—", "…", "..."})
MIN_EXPLANATION = 6  # characters: "已核实无误" is not an explanation; "系上年结转资金" is


def substantive(text: str | None, placeholders: Collection[str] | None = None, min_length: int | None = None) -> bool:
    """An explanation that says something: not empty, not a placeholder, at least ``min_length``
    characters once spaces are gone.  A rule set's ``[explanations]`` may give its own ``placeholders``
    and ``min_length`` (default ``PLACEHOLDERS``, ``MIN_EXPLANATION``)."""
    if not text:
        return False
    core = "".join(text.split()).strip("。.，,；;！!")
    return (core not in (PLACEHOLDERS if placeholders is None else placeholders)
            and len(core) >= (MIN_EXPLANATION if min_length is None else min_length))


def check_file(path: str | os.PathLike, ruleset: RuleSet | None = None, choices: Choices | None = None,
               prior: str | os.PathLike | Mapping[tuple[str, int], str] | None = None) -> Result:
    """Check one file; an unreadable file gives a Result with ``error`` set, never an exception.

    ``choices``: the checks to make (``checks.configure``); by default those of the rule set.  ``prior``: last
    year's workbook of the same department (or its checked copy), for the PRI rules; one that cannot be
    read, or is not of this department and the year before, is the file's error (exit 2).  A mapping
    (``pairing.prior_files``: department key and year → workbook) is looked up by this workbook's
    department and year − 1; a department without one is checked without."""
    from evaltool import checks
    from evaltool.derive import derive
    from evaltool.model import department_key

    path = os.fspath(path)
    with _collector_paused():
        try:
            book = _read(path, ruleset)
            choices = choices or checks.configure(book.ruleset)
            derived = derive(book)
            paired = isinstance(prior, Mapping)  # by department (renames included) and year already
            if isinstance(prior, Mapping):
                prior = prior.get((department_key(book.department), (book.year or 0) - 1))
            if prior is not None:
                last = _prior(path, os.fspath(prior), book, ruleset, choices, paired)
                derived = dataclasses.replace(derived, prior=last)
        except InputError as e:
            return Result(path, error=e)
        result = Result(path, run_rules(book, derived, choices), book, derived, choices=choices)
        result.carry_over()
        return result


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The model of a workbook is a few hundred thousand small objects without cycles (reference counting
    frees them): the cycle collector walked them over and over while they were made, a quarter of a
    10,000-row check.  Paused while reading and checking; cycles made meanwhile are collected after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def run_rules(book: Book, derived: Derived, choices: Choices) -> list[Finding]:
    """Every chosen rule's findings, errors first, each with the evaluation year (its id carries it)."""
    from evaltool import checks

    findings = sorted(checks.run(book, derived, choices), key=lambda f: -f.severity.rank)
    return findings if book.year is None else [dataclasses.replace(f, year=book.year) for f in findings]


def _read(path: str, ruleset: RuleSet | None) -> Book:
    from evaltool.workbook.reader import read_book

    return read_book(path, ruleset)


def _prior(path: str, prior_path: str, book: Book, ruleset: RuleSet | None, choices: Choices,
           paired: bool = False) -> Prior:
    """Last year's Book and Derived, and the ids of its errors; refused unless it is this department's
    (``model.department_key``) and this year − 1."""
    from evaltool import checks
    from evaltool.derive import Prior, derive
    from evaltool.findings import Phrase
    from evaltool.model import department_key

    try:
        last = _read(prior_path, ruleset)
    except InputError as e:
        raise InputError("prior_unreadable", path=path, prior=prior_path, reason=Phrase(e.key, e.params)) from e
    same = paired or (book.department and department_key(book.department) == department_key(last.department))
    if not same or book.year is None or last.year != book.year - 1:
        raise InputError("prior_mismatch", path=path, prior=prior_path, dept=book.department or "?",
                         year=book.year or "?", prior_dept=last.department or "?", prior_year=last.year or "?")
    derived = derive(last)
    errors = frozenset(f.id for f in checks.run(last, derived, choices) if f.severity is Severity.ERROR)
    return Prior(last, derived, errors)
