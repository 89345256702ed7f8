"""The 审核公式: every check is a ``Rule`` with a stable code, a Chinese name, a severity and a docstring.

Rules are pure functions of the ``Book``: they read values and yield findings; the
code is stamped on by ``run``.  Importing this package registers them all.
"""

from __future__ import annotations

from .base import REGISTRY, Rule, run
from . import inputs, sums, ratios, limits, dates, cross  # noqa: E402,F401  (registration)
from . import scoring  # noqa: E402,F401  (registration)

__all__ = ["REGISTRY", "Rule", "run"]
