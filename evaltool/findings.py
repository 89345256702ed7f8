"""What a check reports: a finding on a cell, with a severity and a translatable message."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """强制性 (must be fixed), 提示性 (may stand if explained), 信息."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]

    def label(self, lang: str = "zh") -> str:
        if lang == "en":
            return self.value
        return {"error": "强制性", "warning": "提示性", "info": "信息"}[self.value]


@dataclass(frozen=True)
class Message:
    """A catalogue key (see ``i18n.MESSAGES``) and its parameters, rendered per language."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    sheet: str | None
    cell: str | None
    message: Message
    stated: str | None = None  # as displayed, e.g. "81.33%"
    recomputed: str | None = None
    difference: str | None = None
    # What --fix writes into an officer-stated derived cell; never set for an input cell.
    fix: Any = None
    fix_format: str | None = None


def worst(findings: list[Finding]) -> Severity | None:
    return max((f.severity for f in findings), key=lambda s: s.rank, default=None)
