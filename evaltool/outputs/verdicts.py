"""A file's verdict and what it rests on, as the county summary lists them per department: the verdict word,
unexplained and explained warnings, and the 财政局's 审核结论 counted (from the file's JSON entry, which a
batch worker sends back)."""

from __future__ import annotations

from typing import Any

from evaltool.findings import Verdict
from evaltool.text.catalogue import tr

_VERDICTS = frozenset(v.value for v in Verdict)


def verdict_cells(entry: dict[str, Any], lang: str) -> dict[str, Any]:
    """The county summary's columns for one checked file (``county.COLUMNS`` after 提示数, words ``sum_<key>``):
    verdict, unexplained, explained, review_accepted, review_returned, review_pending."""
    states, reviews = entry.get("states") or {}, entry.get("reviews") or {}
    verdict = entry.get("verdict")
    return {
        "verdict": tr(f"verdict_word_{verdict}", lang) if verdict in _VERDICTS else None,
        "unexplained": states.get("unexplained"),
        "explained": states.get("explained"),
        **{f"review_{key}": reviews.get(key) for key in ("accepted", "returned", "pending")},
    }
