"""The rule registry, the runner and the helpers rules use to build findings."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from evaltool.findings import Finding, Message, Severity
from evaltool.model import Book, Cell

Check = Callable[[Book], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    name_en: str
    severity: Severity  # the worst it reports; a rule may also report milder notes and skips
    check: Check
    doc: str


REGISTRY: dict[str, Rule] = {}


def register(code: str, name: str, name_en: str, severity: Severity, check: Check, doc: str) -> Rule:
    if code in REGISTRY:
        raise ValueError(f"duplicate rule code {code}")
    REGISTRY[code] = rule = Rule(code, name, name_en, severity, check, inspect.cleandoc(doc))
    return rule


def rule(code: str, name: str, name_en: str, severity: Severity) -> Callable[[Check], Check]:
    """Register a check function; its docstring is the rule's documentation."""

    def deco(func: Check) -> Check:
        register(code, name, name_en, severity, func, func.__doc__ or "")
        return func

    return deco


def run(book: Book) -> list[Finding]:
    """Every rule over ``book``.  A rule that fails is reported, never allowed to stop the others."""
    out: list[Finding] = []
    for r in REGISTRY.values():
        try:
            out.extend(replace(f, code=r.code) for f in r.check(book))
        except Exception as e:  # a bug in one rule must not cost the officer the other checks
            out.append(
                Finding(
                    r.code,
                    Severity.ERROR,
                    None,
                    None,
                    Message("internal_error", {"rule": r.code, "error": f"{type(e).__name__}: {e}"[:200]}),
                )
            )
    return out


def finding(
    severity: Severity,
    cell: Cell | None,
    key: str,
    *,
    stated: str | None = None,
    recomputed: str | None = None,
    difference: str | None = None,
    fix: Any = None,
    fix_format: str | None = None,
    sheet: str | None = None,
    **params: Any,
) -> Finding:
    """A finding on ``cell``; the message gets ``label`` and ``where`` (sheet!cell) for free."""
    where = f"{cell.sheet}!{cell.coord}" if cell is not None and cell.coord else (cell.sheet if cell else sheet or "")
    params.setdefault("label", cell.label if cell is not None else "")
    params.setdefault("where", where)
    params.update(
        {k: v for k, v in (("stated", stated), ("recomputed", recomputed), ("difference", difference)) if v is not None}
    )
    return Finding(
        "",
        severity,
        cell.sheet if cell is not None else sheet,
        (cell.coord or None) if cell else None,
        Message(key, params),
        stated,
        recomputed,
        difference,
        fix,
        fix_format,
    )


def labels(cells: Iterable[Cell]) -> str:
    return "、".join(dict.fromkeys(c.label for c in cells))


def skipped(what: str, cells: Sequence[Cell]) -> Finding | None:
    """An info finding for a check that cannot run: some input is blank or unreadable."""
    unreadable = [c for c in cells if not c.ok and not c.blank]
    if unreadable:
        return finding(Severity.INFO, unreadable[0], "skipped_unreadable", what=what, cells=labels(unreadable))
    blank = [c for c in cells if c.blank]
    if blank:
        return finding(Severity.INFO, blank[0], "skipped_blank", what=what, cells=labels(blank))
    return None
