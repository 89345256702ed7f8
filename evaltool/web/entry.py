"""One uploaded file of a launch: where it is, its checked copy, its record and the explanations typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evaltool.batch import FileRecord
from evaltool.errors import InputError
from evaltool.narrative.check import is_report


@dataclass
class Entry:
    """One uploaded file."""

    id: str
    name: str
    path: str
    target: str  # its checked copy
    record: FileRecord
    error: InputError | None = None  # why it could not be checked (None after a crash: the record words it)
    explanations: dict[str, str] = field(default_factory=dict)  # finding id → 出错说明: the upload's, then as typed
    views: dict[str, dict[str, Any]] = field(default_factory=dict)  # language → what the page shows of it

    @property
    def workbook(self) -> bool:
        return not is_report(self.path)

    @property
    def readable(self) -> bool:
        return self.record.error is None


@dataclass
class PriorFile:
    """One uploaded workbook of last year (上年自评表), paired as ``--prior-dir`` pairs its files."""

    id: str
    name: str
    path: str
    department: str = ""  # as typed
    key: tuple[str, int] | None = None  # ``pairing.prior_key``: department key and year; None without either
    error: InputError | None = None  # it cannot be read: not paired (the command line's prior_dir_unreadable)
