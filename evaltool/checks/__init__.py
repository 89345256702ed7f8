"""The 审核公式: every check is a ``Rule`` with a stable code and a severity, a pure function of the
``Book`` and its ``Derived`` figures that yields findings (facts, no text).

Each rule's name and documentation, in Chinese and English, are in ``evaltool.text.rules``.  Sum
and ratio checks are data (``evaltool.sums.SUMS``, ``evaltool.ratios.SPECS``), each served by one
function.  May import the model, ``derive``, ``sums``, ``ratios``, the scoring and the workbook
layout; never ``text`` or ``outputs``.
"""

from __future__ import annotations

from evaltool.checks import cross, dates, formats, inputs, limits, prior, ratios, scoring, sums  # noqa: F401  (they register)
from evaltool.checks.base import REGISTRY, Choices, Rule, run
from evaltool.findings import Severity
from evaltool.scoring.indicators import RuleSet
from evaltool.scoring.ruleset import RuleSetError

# The order rules run and are listed in: cells, sums, ratios, limits, dates, cross-sheet, scoring, last year.
ORDER: tuple[str, ...] = (
    "IN01", "IN02", "IN03", "IN04", "IN05", "IN06", "IN07", "IN08", "IN09", "UNIT01", "FMT01",
    "SUM01", "SUM02", "SUM03", "SUM04", "SUM05", "SUM06", "SUM07", "SUM08", "SUM09", "SUM10",
    "SHR01", "SHR02", "EXE01", "CAR01", "CST01", "CST02", "CST03", "FND01", "AST01", "GOL01", "GOL02", "EXE02",
    "LIM01", "LIM02", "LIM03", "LIM04", "LIM05", "LIM06", "LIM07", "LIM08",
    "BAS01", "BAS02", "PUB01", "X01", "X02", "X03", "X04", "X05",
    "SCO01", "SCO02", "SCO03", "SCO04", "SCO05", "SCO06", "SCO07", "SCO08", "SCO09", "SCO10",
    "PRI01", "PRI02", "PRI03", "PRI04", "PRI05", "PRI06", "PRI07",
)
if set(ORDER) != set(REGISTRY) or len(ORDER) != len(REGISTRY):
    raise RuntimeError(f"checks.ORDER and the registered rules differ: {set(ORDER) ^ set(REGISTRY)}")
for _code in ORDER:  # re-insert in ORDER: a dict iterates in insertion order
    REGISTRY[_code] = REGISTRY.pop(_code)



def expand(pattern: str) -> tuple[str, ...]:
    """The rule codes a code or a prefix names ("SUM" → SUM01 … SUM10, "X0" → X01 … X05), in ORDER."""
    p = pattern.strip().upper()
    return tuple(code for code in ORDER if p and code.startswith(p))


def configure(ruleset: RuleSet | None, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> Choices:
    """The checks a run makes: the rule set's ``[checks]`` (``off``, ``severity``), then ``--select`` (only these)
    and ``--ignore`` (not these) for this run.  An unknown code in the rule set is a ``RuleSetError``; in
    ``select``/``ignore`` a ``ValueError`` naming it (the command says it as a usage error)."""
    off: dict[str, str] = {}
    severity: dict[str, Severity] = {}
    if ruleset is not None:
        for pattern in ruleset.checks_off:
            codes = expand(pattern)
            if not codes:
                raise RuleSetError("ruleset.unknown_check", source=ruleset.source, code=pattern)
            off.update(dict.fromkeys(codes, "ruleset"))
        for pattern, word in ruleset.severities:
            codes = expand(pattern)
            if not codes:
                raise RuleSetError("ruleset.unknown_check", source=ruleset.source, code=pattern)
            severity.update(dict.fromkeys(codes, Severity(word)))
    for pattern in (*select, *ignore):
        if not expand(pattern):
            raise ValueError(pattern)
    if select:
        chosen = {code for pattern in select for code in expand(pattern)}
        off.update({code: "run" for code in ORDER if code not in chosen and code not in off})
    for pattern in ignore:
        off.update({code: "run" for code in expand(pattern) if code not in off})
    ordered = tuple((code, off[code]) for code in ORDER if code in off)
    changed = tuple((code, severity[code]) for code in ORDER if code in severity and code not in off)
    return Choices(ordered, changed)


__all__ = ["ORDER", "REGISTRY", "Choices", "Rule", "configure", "expand", "run"]
