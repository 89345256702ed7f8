"""A1 cell coordinates: column letters and numbers, both ways (no dependency, so the model can use it)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1024)
def column_letter(col: int) -> str:
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=1024)
def column_index(letters: str) -> int:
    """1-based index of column ``letters`` (A to ZZZ, any case); ValueError otherwise."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"not a column: {letters!r}")
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index


def coordinate(ref: str) -> tuple[int, int]:
    """(row, column) of "B5"; ValueError for anything else (asked once per cell: no regular expression)."""
    letters = ref.rstrip("0123456789")
    row = int(ref[len(letters):])
    if row < 1:
        raise ValueError(f"not a cell: {ref!r}")
    return row, column_index(letters)
