"""What an earlier check wrote into a checked copy's 核查结果 and people typed beside it, read back.

A checked copy checked again keeps the officer's 单位说明 and the reviewer's 审核结论 / 审核意见 by the
finding's id (the hidden 编号 column), with the digest of the figures each explanation was written
against (数据摘要).  Columns are found by their headers (``layout.RESULTS_COLUMNS``, either language),
so a column moved or one inserted by hand does not matter.  A 审核结论 the drop-down does not offer is
the reviewer's word all the same: it goes to the head of 审核意见, and the conclusion reads as 待审.
A copy without the 编号 column (written before ids were kept) carries nothing over.
"""

from __future__ import annotations

from evaltool.errors import InputError
from evaltool.model import Earlier
from evaltool.workbook import layout as L
from evaltool.workbook.read import Package

_HEADERS = {**{h: c.key for c in L.RESULTS_COLUMNS for h in (c.header, c.header_en)}, **L.RESULTS_HEADER_ALIASES}
_REVIEWS = {word: key for key, words in L.REVIEW_CHOICES.items() for word in words}
_HEADER_ROWS = 3  # the header is row 1; a row or two inserted above it is still found


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_earlier(package: Package) -> dict[str, Earlier]:
    """Finding id -> what the earlier 核查结果 holds for it; {} for an original workbook."""
    entry = next((s for s in package.sheets if s.name == L.RESULTS_SHEET and not s.chartsheet), None)
    if entry is None:
        return {}
    try:
        sheet = package.worksheet(entry)
    except InputError:  # our own sheet damaged: nothing carried over, the check goes on
        return {}
    for row in sorted(sheet.rows)[:_HEADER_ROWS]:
        columns = {_HEADERS[t]: col for col, cell in sheet.rows[row].items() if (t := _text(cell.value)) in _HEADERS}
        if "id" in columns:
            break
    else:
        return {}
    found: dict[str, Earlier] = {}
    for r in sorted(sheet.rows):
        if r <= row:
            continue

        def get(key: str, r: int = r) -> str:
            return _text(sheet.at(r, columns[key]).value) if key in columns else ""

        fid = get("id")
        if not fid:
            continue
        review, note = get("review"), get("review_note")
        if review and review not in _REVIEWS:  # typed past the drop-down (同意): kept, at the head of the note
            note = "\n".join(t for t in (review, note) if t)
        found[fid] = Earlier(get("explain"), get("digest"), _REVIEWS.get(review), note)
    return found
