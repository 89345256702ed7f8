"""This year's workbooks with last year's (``--prior-dir``): by 部门名称 as the batch compares names
(``model.department_key``: NFKC, no spaces, no “（公章）”), through a rename map for departments that
changed names, and by year (last year's file is of this year − 1)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaltool.errors import InputError
from evaltool.model import Book, department_key

if TYPE_CHECKING:
    from evaltool.batch import FileRecord


@dataclass(frozen=True)
class PriorFiles:
    """Last year's folder read: (department key, year) → workbook, and the files that could not be read."""

    files: tuple[tuple[tuple[str, int], str], ...]
    unreadable: tuple[tuple[str, InputError], ...] = ()


def read_renames(path: str) -> dict[str, str]:
    """Old name → new name, as department keys.  A .toml file of ``"旧名" = "新名"`` lines (at the top or
    under ``[renames]``); any other file is CSV: two columns, old and new (a header row that is not a
    rename is harmless: no department is called 上年名称)."""
    from evaltool.errors import os_reason
    from evaltool.findings import Phrase, Term

    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError as e:
        raise InputError("renames_unreadable", path=path, reason=Term("file.not_found")) from e
    except OSError as e:
        raise InputError("renames_unreadable", path=path, reason=os_reason(e)) from e
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on a Chinese Windows saves CSV in GBK
        try:
            data = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("renames_unreadable", path=path, reason=Term("file.not_utf8"))
    if path.lower().endswith(".toml"):
        import re
        import tomllib

        try:
            doc = tomllib.loads(data)
        except tomllib.TOMLDecodeError as e:  # where, in our words (as a rule set's TOML error)
            line = re.search(r"line (\d+)", str(e))
            reason = Phrase("file.toml_syntax_at", {"line": int(line.group(1))}) if line else Term("file.toml_syntax")
            raise InputError("renames_unreadable", path=path, reason=reason) from e
        table = doc.get("renames", doc)
        pairs = [(k, v) for k, v in table.items() if isinstance(v, str)]
    else:
        import csv

        pairs = [(row[0], row[1]) for row in csv.reader(data.splitlines()) if len(row) >= 2]
    return {department_key(old): department_key(new) for old, new in pairs if old.strip() and new.strip()}


def prior_files(paths: Iterable[str], renames: dict[str, str] | None = None) -> PriorFiles:
    """Each readable workbook of last year's folder by its department (renamed to this year's name) and year;
    of two files of one department and year, the first in path order."""
    from evaltool.workbook.reader import read_book

    keyed: list[tuple[str, tuple[str, int] | None]] = []
    unreadable: list[tuple[str, InputError]] = []
    for path in sorted(paths):
        try:
            keyed.append((path, prior_key(read_book(path), renames)))
        except InputError as e:
            unreadable.append((path, e))
    return gather(keyed, unreadable)


def prior_key(book: Book, renames: dict[str, str] | None = None) -> tuple[str, int] | None:
    """The (department key, year) last year's workbook pairs by; None without a department or a year."""
    key = department_key(book.department)
    if not key or book.year is None:
        return None
    return (renames or {}).get(key, key), book.year


def gather(keyed: Iterable[tuple[str, tuple[str, int] | None]],
           unreadable: Iterable[tuple[str, InputError]] = ()) -> PriorFiles:
    """Last year's files, each with its ``prior_key``, in the order they were given: the first of each
    department and year is the one used."""
    files: dict[tuple[str, int], str] = {}
    for path, key in keyed:
        if key is not None:
            files.setdefault(key, path)
    return PriorFiles(tuple(files.items()), tuple(unreadable))


def flag_without_prior(records: Sequence[FileRecord], files: PriorFiles, lang: str) -> None:
    """A ``no_prior`` flag on each checked workbook that found no file of last year: the console lists it
    with the batch's other flags, the JSON has it in ``flags``, the county summary in 提示."""
    from evaltool.text.catalogue import tr

    keys = {key for key, _ in files.files}
    for r in records:
        if (r.error is None and r.skipped is None and r.entry.get("kind", "workbook") == "workbook"
                and r.department and (department_key(r.department), (r.year or 0) - 1) not in keys):
            r.flags.append({"key": "no_prior", "message": tr("flag.no_prior", lang, year=(r.year or 1) - 1)})
