"""One launch of the page: its temporary folder and what was checked in it.

Uploads are saved under ``<folder>/in/<n>/<name>`` and checked with the command line's own calls
(``batch.guarded``: the same messages, a crash becomes a message); the checked copy goes to
``<folder>/out/<n>/``.  Only small things stay in memory (the record, the page's view, the officer's
explanations); a workbook is checked again when its copy must be rewritten, so a 200-workbook batch does
not hold 200 loaded workbooks.  Last year's workbooks are saved under ``<folder>/prior/<n>/`` and paired as
``--prior-dir`` pairs them (department and year − 1; of one department and year, the first given); one given
after this year's workbook re-checks it.  The folder is removed at shutdown; one an earlier launch left
behind (a killed process) is removed at the next start once it has been idle longer than a launch may live.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import shutil
import tempfile
import threading
import time
from typing import IO, TYPE_CHECKING, Any

from evaltool.batch import FileRecord, Job, Options, _books, _record, crashed, guarded
from evaltool.errors import InputError
from evaltool.model import department_key
from evaltool.naming import output_path
from evaltool.narrative.check import is_report
from evaltool.quiet import quiet
from evaltool.web.entry import Entry, PriorFile
from evaltool.web.guard import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, TooMuch, safe_name
from evaltool.web.view import file_view

if TYPE_CHECKING:
    from evaltool.checker import Result
    from evaltool.pairing import PriorFiles
    from evaltool.scoring.ruleset import RuleSet

PREFIX = "evaltool-serve-"
IDLE_SECONDS = 3600  # the server stops itself after an idle hour
STALE_SECONDS = IDLE_SECONDS + 600  # a folder untouched this long belongs to no running launch
CHUNK = 1 << 20


def clean_stale(root: str | None = None, now: float | None = None) -> list[str]:
    """Remove the folders of earlier launches that are no longer running; the paths removed."""
    root = root or tempfile.gettempdir()
    now = time.time() if now is None else now
    removed = []
    try:
        names = os.listdir(root)
    except OSError:
        return removed
    for name in names:
        path = os.path.join(root, name)
        try:
            stale = name.startswith(PREFIX) and os.path.isdir(path) and now - os.path.getmtime(path) > STALE_SECONDS
        except OSError:
            continue
        if stale:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class Session:
    def __init__(self, ruleset: RuleSet, root: str | None = None) -> None:
        clean_stale(root)
        self.folder = tempfile.mkdtemp(prefix=PREFIX, dir=root)
        self.ruleset = ruleset
        self.entries: dict[str, Entry] = {}
        self.priors: dict[str, PriorFile] = {}  # last year's workbooks, in the order given
        self.numbers = itertools.count(1)  # never reused, even after a refused upload
        self.total = 0  # bytes uploaded
        self.lock = threading.Lock()  # the entries
        self.busy = threading.RLock()  # the cached Result: one rewrite at a time (waitress answers in 4 threads)
        self.last = time.monotonic()
        self._cached: tuple[str, Result] | None = None  # the last workbook checked again (explanations typed in a row)

    # -- the launch ----------------------------------------------------------------------------

    def touch(self) -> None:
        """A request came: the idle clock restarts, and the folder's time says this launch is alive."""
        self.last = time.monotonic()
        try:
            os.utime(self.folder)
        except OSError:
            pass

    def idle(self) -> float:
        return time.monotonic() - self.last

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def path(self, *parts: str) -> str:
        path = os.path.join(self.folder, *parts)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    # -- uploads -------------------------------------------------------------------------------

    def add(self, name: str, stream: IO[bytes], lang: str) -> Entry:
        """Save one upload and check it.  Raises ``TooMuch`` past a cap (nothing is kept then)."""
        name = safe_name(name)
        n, path = self._take(name, stream, self.entries, "in")
        # As the command line names it beside the input: a copy checked again is the next round (X.checked-2.xlsx),
        # a report's copy a Word document, a workbook's keeps .xlsm.
        target = self.path("out", n, os.path.basename(output_path(path, None, None)))
        job = Job(path, target, books=self._books() if is_report(name) else (),
                  priors=() if is_report(name) else self.pairs().files)
        result, record = guarded(job, Options(self.ruleset, lang))
        entry = Entry(n, name, path, job.target, record, result.error if result is not None else None)
        with self.lock:
            self.entries[n] = entry
        if entry.workbook and entry.readable:
            entry.explanations = dict(result.explanations)  # a checked copy's 单位说明, as the command line reads them
            with self.busy:
                self._cached = (n, result)
        return entry

    def add_prior(self, name: str, stream: IO[bytes], lang: str) -> tuple[PriorFile, list[Entry]]:
        """Save one workbook of last year and pair it; the workbooks whose page changed with it: those of its
        department, checked again with it, or every workbook when it is the first (the others now lack one)."""
        from evaltool.pairing import prior_key
        from evaltool.workbook.reader import read_book

        name = safe_name(name)
        n, path = self._take(name, stream, self.priors, "prior")
        prior = PriorFile(n, name, path)
        try:
            with quiet():
                book = read_book(path)
            prior.department, prior.key = book.department or "", prior_key(book)
        except InputError as e:
            prior.error = e
        except Exception as e:  # noqa: BLE001 - a bug of ours on the file: said as a crash on it, as the batch does
            prior.error = crashed(path, e)
        known = dict(self.pairs().files)
        with self.lock:
            first = not any(self.priors.values())
            self.priors[n] = prior
            books = [e for e in self.entries.values() if e is not None and e.workbook and e.readable]
        new = prior.key is not None and prior.key not in known  # else the first of its department stays in use
        again = [e for e in books if new and _wants(e, prior.key)]
        for entry in again:
            self._recheck(entry, lang)
        return prior, books if first else again

    def _recheck(self, entry: Entry, lang: str) -> None:
        """Check a workbook again now that last year's is here, and write its copy (with the explanations typed)."""
        from evaltool.outputs.checked import write_checked

        result, record = guarded(Job(entry.path, entry.target, priors=self.pairs().files), Options(self.ruleset, lang))
        with self.busy:
            entry.record, entry.error = record, result.error if result is not None else None
            entry.views.clear()
            self._cached = (entry.id, result) if entry.readable else None
            if entry.explanations and entry.readable:
                write_checked(self.result(entry), entry.target, lang=lang)

    def _take(self, name: str, stream: IO[bytes], into: dict[str, Any], folder: str) -> tuple[str, str]:
        """Save one upload under a new number taken in ``into``; ``TooMuch`` past a cap (nothing kept then)."""
        with self.lock:
            if len(self.entries) + len(self.priors) >= MAX_FILES:
                raise TooMuch("web.too_many", name=name, cap=MAX_FILES)
            n = str(next(self.numbers))
            into[n] = None  # the number is taken; filled by the caller
        path = self.path(folder, n, name)
        try:
            size = self._save(stream, path, name)
        except BaseException:
            with self.lock:
                del into[n]
            shutil.rmtree(os.path.dirname(path), ignore_errors=True)
            raise
        with self.lock:
            self.total += size
        return n, path

    def _save(self, stream: IO[bytes], path: str, name: str) -> int:
        size = 0
        with open(path, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise TooMuch("web.file_too_large", name=name, cap=MAX_FILE_BYTES >> 20)
                if self.total + size > MAX_TOTAL_BYTES:
                    raise TooMuch("web.total_too_large", name=name, cap=MAX_TOTAL_BYTES >> 20)
                out.write(chunk)
        return size

    def _books(self) -> tuple[tuple[str, str], ...]:
        """The batch's workbooks a report is paired with by department (as ``evaltool check`` pairs them)."""
        return _books([e.record for e in self.done() if e.workbook])

    def pairs(self) -> PriorFiles:
        """Last year's files as ``--prior-dir`` gives them to the batch (no renames: a page has no map)."""
        from evaltool.pairing import gather

        given = self.done_priors()
        return gather([(p.path, p.key) for p in given if p.error is None],
                      [(p.path, p.error) for p in given if p.error is not None])

    def done(self) -> list[Entry]:
        with self.lock:
            return [e for e in self.entries.values() if e is not None]

    def entry(self, n: str) -> Entry | None:
        with self.lock:
            return self.entries.get(n)

    # -- what the page shows and offers --------------------------------------------------------

    def view(self, entry: Entry, lang: str) -> dict[str, Any]:
        with self.busy:
            if lang not in entry.views:  # a reload or a language switch re-checks nothing already shown
                result = self.result(entry) if entry.workbook and entry.readable else None
                entry.views[lang] = file_view(entry, result, lang)
            return {**entry.views[lang], "notes": self._notes(entry, lang)}  # said afresh: files of last year come

    def _notes(self, entry: Entry, lang: str) -> list[str]:
        """What the command line says of the file among the batch's flags once last year's files are given:
        ``no_prior`` (by the same function, on a copy of the record: the summary flags the records afresh)."""
        from evaltool.pairing import flag_without_prior

        if not self.done_priors():
            return []
        probe = dataclasses.replace(entry.record, entry={**entry.record.entry, "flags": []})
        flag_without_prior([probe], self.pairs(), lang)
        return [f["message"] for f in probe.flags]

    def prior_view(self, prior: PriorFile, lang: str) -> dict[str, Any]:
        """A file of last year as the page lists it: the workbooks it is paired with, unused, or unreadable."""
        from evaltool.text.catalogue import tr
        from evaltool.text.render import param

        view: dict[str, Any] = {"id": prior.id, "name": prior.name, "error": None, "used_by": [], "status": ""}
        if prior.error is not None:
            view["error"] = tr("prior_dir_unreadable", lang, path=prior.path, reason=prior.error.render(lang))
            return view
        if prior.key is not None and dict(self.pairs().files).get(prior.key) == prior.path:
            view["used_by"] = [e.name for e in self.done() if e.workbook and e.readable and _wants(e, prior.key)]
        if view["used_by"]:
            view["status"] = tr("web.prior_used", lang, names=param(tuple(view["used_by"]), lang))
        else:
            year = prior.key[1] + 1 if prior.key else "?"
            view["status"] = tr("web.prior_unused", lang, dept=prior.department or "?", year=year)
        return view

    def done_priors(self) -> list[PriorFile]:
        with self.lock:
            return [p for p in self.priors.values() if p is not None]

    def result(self, entry: Entry) -> Result:
        """The workbook checked again (cheap next to holding every loaded workbook), its explanations set;
        called holding ``busy``."""
        from evaltool.checker import check_file

        if self._cached is None or self._cached[0] != entry.id:
            self._cached = (entry.id, check_file(entry.path, self.ruleset, prior=dict(self.pairs().files) or None))
        result = self._cached[1]
        result.explanations = dict(entry.explanations)
        return result

    def explain(self, entry: Entry, finding: str, text: str, lang: str) -> bool:
        """Set (or, blank, clear) the officer's explanation of a warning and rewrite the checked copy with it;
        False for an id that is no warning of the file (an error is never explained, DOMAIN §7)."""
        from evaltool.findings import Severity
        from evaltool.outputs.checked import write_checked

        text = text.strip()
        with self.busy:
            if not any(f.id == finding and f.severity is Severity.WARNING for f in self.result(entry).findings):
                return False
            if text:
                entry.explanations[finding] = text
            else:
                entry.explanations.pop(finding, None)
            entry.views.clear()
            result = self.result(entry)
            write_checked(result, entry.target, lang=lang)
            result.output = entry.target
            entry.record = _record(result, Options(self.ruleset, lang))  # the county summary counts it explained
            return True

    def fixed(self, entry: Entry, lang: str) -> str:
        """The --fix copy (recomputed 占比/率/增减 written in, green)."""
        from evaltool.outputs.checked import write_checked

        stem = os.path.splitext(os.path.basename(entry.target))[0]
        target = self.path("fixed", entry.id, f"{stem}.fixed.xlsx")
        with self.busy:
            write_checked(self.result(entry), target, lang=lang, fix=True)
        return target

    def draft(self, entry: Entry) -> str:
        """The 自评报告 draft; ``InputError`` (draft_refused's words) when the workbook has errors, as the
        command line refuses without --force."""
        from evaltool.findings import Severity
        from evaltool.narrative.draft import load_template, write_draft

        stem = os.path.splitext(entry.name)[0]
        with self.busy:
            result = self.result(entry)
            errors = result.count(Severity.ERROR)
            if errors:
                raise InputError("web.draft_refused", errors=errors)
            return write_draft(result, self.path("draft", entry.id, f"{stem}.自评报告.docx"), load_template(None)).path

    def summary(self, lang: str) -> str:
        """The county summary of every file checked in this launch."""
        from evaltool.batch import flag_batch
        from evaltool.outputs.county import write_summary

        path = self.path("summary", f"{time.strftime('%Y%m%d-%H%M%S')}-{os.urandom(2).hex()}", "汇总.xlsx")
        records = [self._as_uploaded(e, os.path.dirname(path)) for e in self.done()]
        flag_batch(records, lang)
        if self.done_priors():  # as --prior-dir: each department without a file of last year is flagged
            from evaltool.pairing import flag_without_prior

            flag_without_prior(records, self.pairs(), lang)
        write_summary(records, path, lang, self.ruleset)
        return path

    @staticmethod
    def _as_uploaded(entry: Entry, folder: str) -> FileRecord:
        """The record named as uploaded, its copy linked by the name it downloads under (beside the summary in
        ``folder``), not where the launch keeps them; its batch flags said afresh."""
        record = entry.record.entry
        error = record["error"] and {**record["error"], "message": record["error"]["message"].replace(entry.path,
                                                                                                     entry.name)}
        output = os.path.join(folder, os.path.basename(entry.target)) if record["output"] else None
        return dataclasses.replace(entry.record, entry={**record, "path": entry.name, "output": output,
                                                        "error": error, "flags": []})

    def template(self) -> str:
        from evaltool.atomic import write_atomically
        from evaltool.text.rulesets import criteria
        from evaltool.workbook.template import TEMPLATE_FILE_NAME, write_template

        path = self.path("template", TEMPLATE_FILE_NAME)
        if not os.path.exists(path):
            write_atomically(path, lambda tmp: write_template(tmp, self.ruleset, criteria(self.ruleset)))
        return path


def _wants(entry: Entry, key: tuple[str, int] | None) -> bool:
    """Whether last year's file of ``key`` is this workbook's: its department, its year − 1 (as ``check_file``
    looks it up)."""
    r = entry.record
    return bool(r.department) and (department_key(r.department), (r.year or 0) - 1) == key
