"""The rule registry, the runner and the helpers rules use to build findings.

A rule is a stable code, a severity and a pure function of the ``Book`` and its ``Derived``
figures.  Its name and documentation, in Chinese and English, are in ``evaltool.text.rules``
(``evaltool rules``, ``evaltool rule CODE``); a test keeps the two in step.  Rules yield facts: ``finding`` takes typed
quantities and parameters, never text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from evaltool.derive import Derived
from evaltool.findings import Finding, Fix, Location, Param, Quantity, Severity
from evaltool.model import Book, Cell

Check = Callable[[Book, Derived], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity  # the worst it reports; a rule may also report milder notes and skips
    check: Check


REGISTRY: dict[str, Rule] = {}


@dataclass(frozen=True)
class Choices:
    """Which rules run and what they report: a county's rule set (``[checks]``), then one run's
    ``--select`` / ``--ignore``.  Both are said in every output, so no verdict hides them."""

    off: tuple[tuple[str, str], ...] = ()  # (code, by): by "ruleset" or "run"
    severity: tuple[tuple[str, Severity], ...] = ()  # (code, what its findings are now), by the rule set

    @property
    def disabled(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.off)

    def severity_of(self, code: str) -> Severity | None:
        return dict(self.severity).get(code)

    @property
    def default(self) -> bool:
        return not self.off and not self.severity


def register(code: str, severity: Severity, check: Check) -> Rule:
    if code in REGISTRY:
        raise ValueError(f"duplicate rule code {code}")
    REGISTRY[code] = r = Rule(code, severity, check)
    return r


def rule(code: str, severity: Severity) -> Callable[[Check], Check]:
    """Register a check function under ``code``."""

    def deco(func: Check) -> Check:
        register(code, severity, func)
        return func

    return deco


def run(book: Book, derived: Derived, choices: Choices | None = None) -> list[Finding]:
    """Every rule over ``book`` (less those ``choices`` switch off, with the severities it sets).  A rule
    that fails is reported, never allowed to stop the others.

    Rules see the workbook with the parents and totals its parts determine filled in (``Derived.book``):
    such a cell is no longer blank, so no rule asks for it or skips on it.
    """
    view = derived.book or book
    choices = choices or Choices()
    off = set(choices.disabled)
    out: dict[str, Finding] = {}  # by their facts: the same note from two figures of one rule is said once
    for r in REGISTRY.values():
        if r.code in off:
            continue
        changed = choices.severity_of(r.code)
        try:
            for f in r.check(view, derived):
                f = replace(f, code=r.code)
                if changed is not None and f.severity is not Severity.INFO:
                    f = replace(f, severity=changed)  # a county's choice; notes stay notes
                out[repr(f)] = f
        except Exception:  # a bug in one rule must not cost the officer the other checks
            crash = Finding(r.code, Severity.ERROR, "internal_error")
            out[repr(crash)] = crash
    return list(out.values())


def location(cell: Cell | None) -> Location | None:
    if cell is None:
        return None
    return Location(cell.sheet, cell.coord or None)


def finding(
    severity: Severity,
    cell: Cell | None,
    key: str,
    *,
    stated: Quantity | None = None,
    recomputed: Quantity | None = None,
    difference: Quantity | None = None,
    fix: Fix | None = None,
    **params: Param,
) -> Finding:
    """A finding on ``cell`` (its subject and its location); the code is stamped on by ``run``."""
    return Finding(
        "",
        severity,
        key,
        subject=cell.ref if cell is not None else None,
        location=location(cell),
        stated=stated,
        recomputed=recomputed,
        difference=difference,
        params=params,
        fix=fix,
    )


def refs(cells: Iterable[Cell]) -> tuple:
    return tuple(c.ref for c in cells)


def skipped(cells: Sequence[Cell]) -> Finding | None:
    """An info finding, on the first such input, for a check that cannot run because some input is blank
    or unreadable (the message names the rule and every such input)."""
    unreadable = [c for c in cells if not c.ok and not c.blank]
    if unreadable:
        return finding(Severity.INFO, unreadable[0], "skipped_unreadable", cells=refs(unreadable))
    blank = [c for c in cells if c.blank]
    if blank:
        return finding(Severity.INFO, blank[0], "skipped_blank", cells=refs(blank))
    return None
