"""The 审核公式: every check is a ``Rule`` with a stable code and a severity, a pure function of the
``Book`` and its ``Derived`` figures that yields findings (facts, no text).

Each rule's name and documentation, in Chinese and English, are in ``evaltool.text.rules``.  Sum
and ratio checks are data (``evaltool.sums.SUMS``, ``evaltool.ratios.SPECS``), each served by one
function.  May import the model, ``derive``, ``sums``, ``ratios``, the scoring and the workbook
layout; never ``text`` or ``outputs``.
"""

from __future__ import annotations

from evaltool.checks import cross, dates, inputs, limits, ratios, scoring, sums  # noqa: F401  (they register)
from evaltool.checks.base import REGISTRY, Rule, run

# The order rules run and are listed in: cells, sums, ratios, limits, dates, cross-sheet, scoring.
ORDER: tuple[str, ...] = (
    "IN01", "IN02", "IN03", "IN04", "IN05", "IN06", "IN07", "UNIT01",
    "SUM01", "SUM02", "SUM03", "SUM04", "SUM05", "SUM06", "SUM07", "SUM08", "SUM09", "SUM10",
    "SHR01", "SHR02", "EXE01", "CAR01", "CST01", "CST02", "CST03", "FND01", "AST01", "GOL01", "GOL02", "EXE02",
    "LIM01", "LIM02", "LIM03", "LIM04", "LIM05", "LIM06", "LIM07", "LIM08",
    "BAS01", "BAS02", "PUB01", "X01", "X02", "X03", "X04", "X05",
    "SCO01", "SCO02", "SCO03", "SCO04", "SCO05", "SCO06", "SCO07", "SCO08", "SCO09", "SCO10",
)
if set(ORDER) != set(REGISTRY) or len(ORDER) != len(REGISTRY):
    raise RuntimeError(f"checks.ORDER and the registered rules differ: {set(ORDER) ^ set(REGISTRY)}")
for _code in ORDER:  # re-insert in ORDER: a dict iterates in insertion order
    REGISTRY[_code] = REGISTRY.pop(_code)

__all__ = ["ORDER", "REGISTRY", "Rule", "run"]
