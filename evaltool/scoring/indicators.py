"""What a rule set is: its indicators, their weights and scoring methods, as plain data.

Apart from the loader (``ruleset.py``), which reports a bad file through the catalogue, so the model
can name a Book's rule set without an import cycle through the text layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Band:
    """One step of 分档法: a rate up to ``upto`` percent (inclusive) earns ``fraction`` of the weight.

    Rates above the last band earn nothing.
    """

    upto: Decimal
    fraction: Decimal


@dataclass(frozen=True)
class Indicator:
    """A third-level indicator with its weight and how its score is computed."""

    level1: str
    level2: str
    level3: str
    weight: Decimal
    method: str
    figure: str | None = None
    target: Decimal | None = None  # percent points (比率法)
    limit: Decimal | None = None  # percent points (上限法)
    per_point: Decimal | None = None  # points deducted per percentage point over the limit (上限法)
    bands: tuple[Band, ...] = ()  # 分档法, increasing ``upto``


@dataclass(frozen=True)
class RuleSet:
    """A named set of indicators whose weights add to 100, and the county's choices of checks."""

    name: str
    title: str
    note: str
    indicators: tuple[Indicator, ...]
    source: str  # the file it was read from, for messages
    digest: str = ""  # sha256 of the file's bytes: which rules a verdict was reached under
    score_places: int = 2  # decimals recomputed scores are rounded to (half up) and compared at
    completion_capped: bool = False  # 完成率 may be stated capped at 100%
    checks_off: tuple[str, ...] = ()  # rule codes (or prefixes) the county switched off
    severities: tuple[tuple[str, str], ...] = ()  # (code or prefix, "error" / "warning") the county changed
    placeholders: tuple[str, ...] | None = None  # [explanations]: what does not explain a warning (None: default)
    min_explanation: int | None = None  # [explanations]: characters an explanation needs (None: default)
    prior_change: Decimal = Decimal("0.3")  # a year-on-year change beyond this fraction needs a 说明 (PRI03)

    @property
    def total_weight(self) -> Decimal:
        return sum((i.weight for i in self.indicators), Decimal(0))
