"""How wide text is on a terminal or in a spreadsheet column: CJK characters take two places."""

from __future__ import annotations

import unicodedata


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
