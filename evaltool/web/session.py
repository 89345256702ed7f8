"""One launch of the page: its temporary folder and what was checked in it.

Uploads are saved under ``<folder>/in/<n>/<name>`` and checked with the command line's own calls
(``batch.guarded``: the same messages, a crash becomes a message); the checked copy goes to
``<folder>/out/<n>/``.  Only small things stay in memory (the record, the page's view, the officer's
explanations); a workbook is checked again when its copy must be rewritten, so a 200-workbook batch does
not hold 200 loaded workbooks.  The folder is removed at shutdown; one an earlier launch left behind (a
killed process) is removed at the next start once it has been idle longer than a launch may live.
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

from evaltool.batch import FileRecord, Job, Options, _books, _record, guarded, output_path
from evaltool.errors import InputError
from evaltool.narrative.check import is_report
from evaltool.web.entry import Entry
from evaltool.web.guard import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, TooMuch, safe_name
from evaltool.web.view import file_view

if TYPE_CHECKING:
    from evaltool.checker import Result
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
        with self.lock:
            if len(self.entries) >= MAX_FILES:
                raise TooMuch("web.too_many", name=name, cap=MAX_FILES)
            n = str(next(self.numbers))
            self.entries[n] = None  # type: ignore[assignment] - the number is taken; filled below
        path = self.path("in", n, name)
        try:
            size = self._save(stream, path, name)
        except BaseException:
            with self.lock:
                del self.entries[n]
            shutil.rmtree(os.path.dirname(path), ignore_errors=True)
            raise
        # As the command line names it beside the input: a copy checked again is the next round (X.checked-2.xlsx),
        # a report's copy a Word document, a workbook's keeps .xlsm.
        target = self.path("out", n, os.path.basename(output_path(path, None, None)))
        job = Job(path, target, books=self._books() if is_report(name) else ())
        result, record = guarded(job, Options(self.ruleset, lang))
        entry = Entry(n, name, path, job.target, record, result.error if result is not None else None)
        with self.lock:
            self.entries[n] = entry
            self.total += size
        if entry.workbook and entry.readable:
            entry.explanations = dict(result.explanations)  # a checked copy's 单位说明, as the command line reads them
            with self.busy:
                self._cached = (n, result)
        return entry

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
            return entry.views[lang]

    def result(self, entry: Entry) -> Result:
        """The workbook checked again (cheap next to holding every loaded workbook), its explanations set;
        called holding ``busy``."""
        from evaltool.checker import check_file

        if self._cached is None or self._cached[0] != entry.id:
            self._cached = (entry.id, check_file(entry.path, self.ruleset))
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
