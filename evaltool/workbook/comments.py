"""Our comments on the marked cells, merged into a sheet's comments part and its VML drawing.

The XML follows what XlsxWriter writes for a comment (its output opens in Excel): the comments part
(authors, commentList, one run with sz/color/rFont/family) and a VML ``Note`` shape anchored beside
the cell.  The officer's comments on other cells are kept byte for byte; on a marked cell the
officer's text (runs and their formatting) stays above ``SEPARATOR`` and evaltool's text of an
earlier check is replaced.  A cell with a threaded comment (Excel 365) keeps its thread and its
legacy placeholder comment, author included; our text is appended to the placeholder, which is
what LibreOffice, WPS and older Excel show (Excel 365 shows the thread; the fill and 核查结果 still
flag the cell there).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass, field

from evaltool.width import display_width
from evaltool.workbook import xmlbytes as X

AUTHOR = "evaltool"
SEPARATOR = "—— evaltool ——"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
VML_NS = {"v": "urn:schemas-microsoft-com:vml", "o": "urn:schemas-microsoft-com:office:office",
          "x": "urn:schemas-microsoft-com:office:excel"}


def _font(p: bytes) -> bytes:
    """The run properties of our text: XlsxWriter's elements, in the font Chinese Excel gives comments."""
    return b'<%srPr><%ssz val="9"/><%scolor indexed="81"/><%srFont val="%s"/><%sfamily val="2"/></%srPr>' % (
        p, p, p, p, "宋体".encode(), p, p)


@dataclass(frozen=True)
class CommentBox:
    """The size of our comment boxes: ``width`` px, a line holds ``line_units`` half-width characters of
    ``line_px`` height; the height grows with the lines, within ``min_px`` .. ``max_px``."""

    width: int
    line_units: int
    line_px: int
    min_px: int = 60
    max_px: int = 800

    def height(self, text: str) -> int:
        lines = sum(max(1, math.ceil(display_width(line) / self.line_units)) for line in text.split("\n"))
        return min(max(self.min_px, self.line_px * lines + 16), self.max_px)


@dataclass
class Grid:
    """Column widths and row heights of a sheet in pixels, for anchoring a comment box beside its cell."""

    default_col: int = 64
    default_row: int = 20
    cols: dict[int, int] = field(default_factory=dict)  # 0-based column -> px, where not the default
    rows: dict[int, int] = field(default_factory=dict)  # 0-based row -> px, where not the default
    _sums: tuple[list[int], list[int]] | None = field(default=None, init=False, repr=False)

    def col(self, c: int) -> int:
        return self.cols.get(c, self.default_col)

    def row(self, r: int) -> int:
        return self.rows.get(r, self.default_row)

    def left(self, c: int) -> int:
        """Pixels from the sheet's left edge to column ``c``."""
        return sum(self.col(i) for i in range(c))

    def top(self, r: int) -> int:
        """Pixels from the sheet's top to row ``r``: a 50,000-row sheet has many boxes, so not row by row."""
        if self._sums is None:
            rows = sorted(self.rows)
            sums = list(itertools.accumulate((self.rows[k] - self.default_row for k in rows), initial=0))
            self._sums = rows, sums
        rows, sums = self._sums
        return r * self.default_row + sums[bisect.bisect_left(rows, r)]


def col_px(width: float) -> int:
    """A column width in characters, as stored (padding included), in pixels for the default font."""
    return int(width * 7 + 0.5)


def row_px(points: float) -> int:
    return int(points * 4 / 3 + 0.5)


# --------------------------------------------------------------------------- comments part


def _run(text: str, rpr: bytes, p: bytes) -> bytes:
    space = b' xml:space="preserve"' if text != text.strip() else b""
    return b"<%sr>%s<%st%s>%s</%st></%sr>" % (p, rpr, p, space, X.text(text), p, p)


def _runs(comment: bytes, p: bytes) -> list[tuple[bytes, bytes, str]]:
    """(the run as written, its rPr, its text) of each run of a ``<comment>``; a plain ``<t>`` is one run."""
    body = X.element(p, "text").search(comment)
    content = X.element(p, "rPh").sub(b"", body[2] or b"") if body else b""
    found = []
    for r in X.element(p, "r").finditer(content):
        rpr = X.element(p, "rPr").search(r[2] or b"")
        t = X.element(p, "t").search(r[2] or b"")
        found.append((r[0], rpr[0] if rpr else b"", X.unescape((t[2] or b"").decode("utf-8")) if t else ""))
    if not found:
        t = X.element(p, "t").search(content)
        if t is not None and t[2]:
            found.append((b"", b"", X.unescape(t[2].decode("utf-8"))))
    return found


def officer_runs(comment: bytes, author: str, p: bytes) -> tuple[list[bytes], str]:
    """The runs of ``comment`` that are the officer's (without evaltool's text of an earlier check), and
    their text; runs kept whole keep their bytes."""
    runs = _runs(comment, p)
    full = "".join(text for _, _, text in runs)
    if SEPARATOR not in full and author == AUTHOR:
        return [], ""
    # The separator by its place in the whole text: a re-save may split it over runs (LibreOffice writes
    # one run per script, "—— " and "evaltool ——" apart).
    cut = full.find(SEPARATOR) if SEPARATOR in full else len(full)
    kept: list[tuple[bytes, bytes, str]] = []
    at = 0
    for raw, rpr, text in runs:
        if at >= cut:
            break
        if at + len(text) > cut:
            kept.append((b"", rpr, text[: cut - at]))
            break
        kept.append((raw, rpr, text))
        at += len(text)
    while kept:  # the officer's text without the line breaks that led to the separator
        raw, rpr, text = kept[-1]
        stripped = text.rstrip("\r\n")
        if stripped == text:
            break
        kept[-1] = (b"", rpr, stripped)
        if not stripped:
            kept.pop()
    out = [raw or _run(text, rpr, p) for raw, rpr, text in kept]
    return out, "".join(text for _, _, text in kept)


def merge_comments(existing: bytes | None, ours: dict[str, str], threaded: set[str]) -> tuple[bytes, dict[str, str]]:
    """The comments part with ``ours`` (cell ref -> our text) on its cells; and each of those cells'
    whole comment text (for the height of its box).  ``threaded``: cells with a threaded comment."""
    if existing is None:
        existing = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="%s"><authors>'
                    b"</authors><commentList></commentList></comments>" % MAIN_NS.encode())
    data = X.utf8(existing)
    p = X.root_prefix(data, MAIN_NS)
    data = _expand(data, p, "authors")
    data = _expand(data, p, "commentList")
    block = X.element(p, "authors").search(data)
    authors = [X.unescape((m[2] or b"").decode("utf-8")) for m in X.element(p, "author").finditer(block[2] or b"")]
    if AUTHOR not in authors:
        close = block.start(2) + len(block[2])
        data = data[:close] + b"<%sauthor>%s</%sauthor>" % (p, AUTHOR.encode(), p) + data[close:]
        authors.append(AUTHOR)
    mine = str(authors.index(AUTHOR))
    texts: dict[str, str] = {}

    def build(ref: str, start: bytes, officer: list[bytes], officer_text: str) -> bytes:
        text = ours[ref]
        whole = f"{officer_text}\n{SEPARATOR}\n{text}" if officer_text else text
        texts[ref] = whole
        own = _run(f"\n{SEPARATOR}\n{text}" if officer_text else text, _font(p), p)
        return start + b"<%stext>%s</%stext></%scomment>" % (p, b"".join(officer) + own, p, p)

    def replace(m: re.Match[bytes]) -> bytes:
        a = X.attrs(m[1])
        ref = a.get("ref", "").upper()
        if ref not in ours:
            return m[0]
        index = int(a.get("authorId", -1) or -1)
        author = authors[index] if 0 <= index < len(authors) else ""
        start = m[0][: m[0].index(b">") + 1]
        if start.endswith(b"/>"):
            start = start[:-2].rstrip() + b">"
        if not (ref in threaded or author.startswith("tc=")):  # a thread's placeholder keeps its author
            start = X.set_attr(start, "authorId", mine)
        officer, officer_text = officer_runs(m[0], author, p)
        return build(ref, start, officer, officer_text)

    listed = X.element(p, "commentList").search(data)
    body = X.element(p, "comment").sub(replace, listed[2] or b"")
    new = b"".join(build(ref, b'<%scomment ref="%s" authorId="%s">' % (p, ref.encode(), mine.encode()), [], "")
                   for ref in ours if ref not in texts)
    data = data[: listed.start(2)] + body + new + data[listed.start(2) + len(listed[2]):]
    return data, texts


def _expand(data: bytes, p: bytes, name: str) -> bytes:
    """``<authors/>`` -> ``<authors></authors>``, so that children can be added; added if missing."""
    m = X.element(p, name).search(data)
    if m is None:
        before = ("commentList", "extLst") if name == "authors" else ("extLst",)
        return X.insert_child(data, b"<%s%s></%s%s>" % (p, name.encode(), p, name.encode()), before)
    if m[2] is None:
        start = m[0][:-2].rstrip() + b">"
        return data[: m.start()] + start + b"</%s%s>" % (p, name.encode()) + data[m.end():]
    return data


# --------------------------------------------------------------------------- VML drawing


def anchor(grid: Grid, row: int, col: int, width: int, height: int, down: int = 0) -> tuple[list[int], tuple[int, int]]:
    """XlsxWriter's placement of a comment box for the 0-based cell (``row``, ``col``)
    (``Worksheet._position_object_pixels``), ``down`` pixels lower: the 8 numbers of ``x:Anchor``
    (column, x, row, y of the top-left and the bottom-right corner) and the box's absolute top-left in
    pixels."""
    col_start, x1 = col + 1, 15
    row_start, y1 = (0, 2) if row == 0 else (row - 1, 10)
    y1 += down
    x_abs = grid.left(col_start) + x1
    y_abs = grid.top(row_start) + y1
    while x1 >= grid.col(col_start):
        x1 -= grid.col(col_start)
        col_start += 1
    while y1 >= grid.row(row_start):
        y1 -= grid.row(row_start)
        row_start += 1
    col_end, row_end = col_start, row_start
    width += x1
    height += y1
    while width >= grid.col(col_end):
        width -= grid.col(col_end)
        col_end += 1
    while height >= grid.row(row_end):
        height -= grid.row(row_end)
        row_end += 1
    return [col_start, x1, row_start, y1, col_end, width, row_end, height], (x_abs, y_abs)


def _pt(px: float) -> str:
    return f"{px * 0.75:.15g}"


GAP = 4  # px between two stacked boxes
MAX_DOWN = 240  # px: a box goes no further below its cell; past that it stays at its place, covering


def stacked(grid: Grid, shapes: list[tuple[int, int, int, int]]) -> list[int]:
    """How far down each box of ``shapes`` (row, col, width, height) goes so that none covers another
    when all are shown: each starts beside its cell, as Excel puts it, and a box that would cover one
    placed above it goes below that one (marked neighbours in a column make a column of boxes), within
    MAX_DOWN of its place.  Boxes are taken top to bottom and only those reaching down to the next
    one's place are compared: with MAX_DOWN that is a handful, so a long list marked whole stays
    linear."""
    lefts: dict[int, int] = {}
    natural = [(lefts.get(col) or lefts.setdefault(col, grid.left(col + 1) + 15),
                grid.top(row - 1) + 10 if row else 2) for row, col, _, _ in shapes]  # as ``anchor`` puts them
    order = sorted(range(len(shapes)), key=lambda i: (natural[i][1], natural[i][0]))
    down = [0] * len(shapes)
    active: list[tuple[int, int, int, int]] = []  # left, top, right, bottom of the boxes placed
    for i in order:
        (x, y), width, height = natural[i], shapes[i][2], shapes[i][3]
        active = [r for r in active if r[3] + GAP > y]
        top = y
        while True:
            below = [r[3] + GAP for r in active if r[0] < x + width and x < r[2] and r[1] < top + height + GAP
                     and top < r[3] + GAP]
            if not below:
                break
            top = max(below)
            if top - y > MAX_DOWN:  # a dense run of marks: no room near the cell, stay at its place
                top = y
                break
        down[i] = top - y
        active.append((x, top, x + width, top + height))
    return down


def note_shape(shape_id: int, z: int, grid: Grid, row: int, col: int, width: int, height: int,
               down: int = 0) -> bytes:
    corners, (left, top) = anchor(grid, row, col, width, height, down)
    style = (f"position:absolute;margin-left:{_pt(left)}pt;margin-top:{_pt(top)}pt;width:{_pt(width)}pt;"
             f"height:{_pt(height)}pt;z-index:{z};visibility:hidden")
    return (
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="{style}" fillcolor="#ffffe1" '
        'o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
        '<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left">'
        '</div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
        f'<x:Anchor>{", ".join(map(str, corners))}</x:Anchor><x:AutoFill>False</x:AutoFill>'
        f"<x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>"
    ).encode()


_SHAPETYPE = (b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
              b'<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
_SHAPE = re.compile(rb"<v:shape\b[^>]*>.*?</v:shape\s*>", re.S)
_NOTE_CELL = re.compile(rb"ObjectType=[\"']Note[\"'].*?<x:Row>\s*(\d+)\s*</x:Row>\s*<x:Column>\s*(\d+)\s*</x:Column>",
                        re.S)
_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_IDMAP = re.compile(rb"<o:idmap\b[^>]*\bdata=[\"']([\d,\s]*)[\"']")


def idmap_blocks(vml: bytes) -> set[int]:
    """The shape id blocks (of 1024) a VML drawing claims in ``o:idmap``."""
    return {int(n) for m in _IDMAP.finditer(vml) for n in re.findall(rb"\d+", m[1])}


def new_vml(block: int, shapes: list[tuple[int, int, int, int]], grid: Grid) -> bytes:
    """A VML drawing of Note shapes, one per (row, col, width, height); ids from ``block`` * 1024 + 1."""
    blocks = range(block, block + 1 + len(shapes) // 1023)  # 1023 shapes a block, as Excel numbers them
    head = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
            f'data="{",".join(map(str, blocks))}"/></o:shapelayout>').encode()
    body = b"".join(note_shape(block * 1024 + 1 + i, i + 1, grid, *shape, down)
                    for i, (shape, down) in enumerate(zip(shapes, stacked(grid, shapes), strict=True)))
    return head + _SHAPETYPE + body + b"</xml>"


def merge_vml(existing: bytes, shapes: list[tuple[int, int, int, int]], grid: Grid) -> bytes:
    """The officer's VML drawing with the Note shapes of the cells in ``shapes`` replaced by ours (their
    form controls and other notes kept as written).  VML is not always XML: byte edits only."""
    cells = {(row, col) for row, col, _, _ in shapes}

    def keep(m: re.Match[bytes]) -> bytes:
        note = _NOTE_CELL.search(m[0])
        return b"" if note and (int(note[1]), int(note[2])) in cells else m[0]

    data = _SHAPE.sub(keep, existing)
    head = data[: data.index(b">") + 1]
    for prefix, ns in VML_NS.items():
        if not X.declares(data, prefix, ns):
            head = X.set_attr(head, f"xmlns:{prefix}", ns)
    data = head + data[data.index(b">") + 1:]
    if b"_x0000_t202" not in data:
        shapetype_at = data.index(b">", data.index(b"</o:shapelayout>")) + 1 if b"</o:shapelayout>" in data \
            else len(head)
        data = data[:shapetype_at] + _SHAPETYPE + data[shapetype_at:]
    first = 1 + max((int(n) for n in _SHAPE_ID.findall(data)), default=1024)
    z = len(_SHAPE.findall(data))
    body = b"".join(note_shape(first + i, z + i + 1, grid, *shape, down)
                    for i, (shape, down) in enumerate(zip(shapes, stacked(grid, shapes), strict=True)))
    close = data.rindex(b"</xml>")
    return data[:close] + body + data[close:]
