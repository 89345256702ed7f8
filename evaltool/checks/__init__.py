"""The 审核公式: every check is a ``Rule`` with a stable code, a Chinese name, a severity and a docstring.

Rules are pure functions of the ``Book``: they read values and yield findings; the
code is stamped on by ``run``.  Importing this package registers them all.
"""

from __future__ import annotations

from evaltool.checks.base import REGISTRY, Rule, run

# Registration order is the order rules run and are listed in: cells, sums, ratios, limits,
# dates, cross-sheet, scoring.
# isort: off
from evaltool.checks import inputs, sums, ratios, limits, dates, cross, scoring  # noqa: E402,F401
# isort: on

__all__ = ["REGISTRY", "Rule", "run"]
