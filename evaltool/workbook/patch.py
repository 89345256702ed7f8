"""The checked copy by patching the officer's package: only what the marks need changes.

``mark_cells`` takes the parts of the package (``package.read_package``) and a plan of marks as plain
data (``CellPatch``: a fill, a comment, with ``--fix`` a value and its number format) and changes:

- ``xl/styles.xml``: a new cell format per (the cell's own format, fill, number format), cloned from
  the cell's (``cellstyles``);
- each sheet with marks, in one pass over its bytes: ``s`` of the marked ``<c>`` (inserted, with its
  ``<row>``, where missing), and with ``--fix`` the value (``<v>``, no ``t``) of a cell that holds no
  formula; a ``<legacyDrawing>`` in schema order when the sheet had no comments;
- the sheet's comments part and VML drawing (``comments``), their relationships and content types;
- ``fullCalcOnLoad`` is set when a value was written (formulas reading it show the new figure).

A formula is never overwritten (the officer's formula and its saved result stay; the caller gets the
patch back in ``Marked.not_fixed`` and its comment says what the value should be), nor is a cell of a
multi-cell array formula or data table.

``patch_copy`` reads the input (only ever for reading), marks it, applies the caller's change (our
added sheets), records the marker (``marker``), makes the package type match the output's name and
writes it atomically.  Every other part is the input's bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from evaltool.workbook import xmlbytes as X
from evaltool.workbook.cellstyles import EMPTY_STYLES, Edge, Styles
from evaltool.workbook.comments import (
    CommentBox,
    Grid,
    col_px,
    idmap_blocks,
    merge_comments,
    merge_vml,
    new_vml,
    row_px,
)
from evaltool.workbook.marker import write_marker
from evaltool.workbook.package import (
    DOC_REL,
    add_relationship,
    as_zip,
    content_type,
    content_typer,
    ensure_default,
    free_name,
    read_package,
    remove_part,
    set_override,
    worksheet_parts,
    write_package,
)
from evaltool.workbook.xlsxcache import main_part, relationships

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
VBA_TYPES = ("application/vnd.ms-office.vbaProject", "application/vnd.ms-office.vbaProjectSignature",
             "application/vnd.ms-office.vbaProjectSignatureAgile", "application/vnd.ms-office.vbaProjectSignatureV3")
# The workbook part's content type by the output's name: Excel refuses a package whose type and name disagree.
MAIN_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ".xltx": "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    ".xltm": "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
MACRO_SUFFIXES = tuple(suffix for suffix, kind in MAIN_TYPES.items() if ".macroEnabled." in kind)
# CT_Worksheet's children after <legacyDrawing>, in schema order.
_AFTER_LEGACY_DRAWING = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                         "tableParts", "extLst")
# CT_Workbook's children after <calcPr>.
_AFTER_CALC_PR = ("oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
                  "fileRecoveryPr", "webPublishObjects", "extLst")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_ROWS_AFTER = 60  # rows past the last mark whose heights a comment box may span


@dataclass(frozen=True)
class CellPatch:
    """One marked cell: ``fill`` (RGB), our ``comment``, a ``border`` round it; with --fix the recomputed
    ``value`` written into the cell and the ``number_format`` it needs.  A cell inside a merged range is
    marked on the range's top-left cell."""

    sheet: str  # sheet title
    cell: str  # "C5"
    fill: str
    comment: str
    value: Decimal | None = None
    number_format: str | None = None
    border: Edge | None = None
    # With a value: the fill, comment and border the cell gets instead when the value cannot be written
    # (the cell is in an array formula's or data table's range, which only the patcher sees).
    instead: tuple[str, str, Edge | None] | None = None


@dataclass
class Marked:
    """What ``mark_cells`` did: the new parts, what each marked cell was before (the marker's ``cells``)
    and the patches whose value could not be written (a formula spilling over several cells)."""

    parts: dict[str, bytes]
    cells: list[dict] = field(default_factory=list)
    not_fixed: list[CellPatch] = field(default_factory=list)


def cell_index(ref: str) -> tuple[int, int]:
    """"C5" -> (5, 3), 1-based; ValueError for anything else."""
    m = _REF.fullmatch(ref.strip())
    if m is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in m[1].upper():
        col = col * 26 + ord(ch) - 64
    row = int(m[2])
    if not (1 <= row <= 1048576 and 1 <= col <= 16384):
        raise ValueError(f"not a cell reference: {ref!r}")
    return row, col


def cell_ref(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _range(ref: str) -> tuple[int, int, int, int]:
    """"B2:D5" -> (2, 2, 5, 4): first row, first column, last row, last column."""
    first, _, last = ref.partition(":")
    r1, c1 = cell_index(first)
    r2, c2 = cell_index(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _inside(rng: tuple[int, int, int, int], row: int, col: int) -> bool:
    return rng[0] <= row <= rng[2] and rng[1] <= col <= rng[3]


def _number(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --------------------------------------------------------------------------- one sheet


@dataclass
class _Target:
    row: int
    col: int
    patch: CellPatch
    comment: str
    earlier: dict = field(default_factory=dict)
    fixed: bool = False


class _Sheet:
    """One pass over a sheet's bytes: restyle (and with --fix rewrite) the target cells."""

    def __init__(self, data: bytes, styles: Styles, strings: Callable[[int], str]) -> None:
        self.data = X.utf8(data)
        self.styles = styles
        self.strings = strings
        self.p = X.root_prefix(self.data, MAIN_NS)
        self.grid = Grid()
        self.col_styles: dict[int, int] = {}
        self.value_written = False
        self.not_fixed: list[CellPatch] = []
        self._spills: list[tuple[int, int, int, int]] = []  # ranges of array formulas / data tables
        self.marked: list[_Target] = []  # the targets, one per cell
        self._cell = X.element(self.p, "c")
        self._f = X.element(self.p, "f")

    # ---- what lies around sheetData

    def _sheet_data(self) -> tuple[int, int]:
        """(start, end) of sheetData's content; an empty or missing sheetData is opened first."""
        p = self.p
        m = re.search(rb"<" + re.escape(p) + rb"sheetData(?=[\s/>])[^>]*?(/?)>", self.data)
        if m is None:
            later = ("sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
                     "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
                     "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
                     "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
                     "drawing", "legacyDrawing", *_AFTER_LEGACY_DRAWING)
            self.data = X.insert_child(self.data, b"<%ssheetData></%ssheetData>" % (p, p), later)
            m = re.search(rb"<" + re.escape(p) + rb"sheetData(?=[\s/>])[^>]*?(/?)>", self.data)
        if m[1]:
            opened = m[0][:-2].rstrip() + b">"
            self.data = self.data[:m.start()] + opened + b"</%ssheetData>" % p + self.data[m.end():]
            return m.start() + len(opened), m.start() + len(opened)
        return m.end(), self.data.index(b"</" + p + b"sheetData", m.end())

    def _read_head(self, head: bytes) -> None:
        """Column widths and styles, default sizes: for new cells' formats and comment boxes."""
        fmt = X.element(self.p, "sheetFormatPr").search(head)
        if fmt is not None:
            a = X.attrs(fmt[1])
            if "defaultColWidth" in a:
                self.grid.default_col = max(1, col_px(float(a["defaultColWidth"])))
            elif "baseColWidth" in a:
                self.grid.default_col = max(1, int(a["baseColWidth"]) * 7 + 8)
            if "defaultRowHeight" in a:
                self.grid.default_row = max(1, row_px(float(a["defaultRowHeight"])))
        for col in X.element(self.p, "col").finditer(head):
            a = X.attrs(col[1])
            first, last = int(a.get("min", 0) or 0), int(a.get("max", 0) or 0)
            px = 0 if a.get("hidden") in ("1", "true") else col_px(float(a["width"])) if "width" in a else None
            for c in range(max(first, 1), min(last, 1024) + 1):  # marks and boxes stay far left of 1024
                if px is not None:
                    self.grid.cols[c - 1] = px
                if "style" in a:
                    self.col_styles[c] = int(a["style"])

    def _read_tail(self, tail: bytes) -> list[tuple[int, int, int, int]]:
        return [_range(X.attrs(m[1])["ref"]) for m in X.element(self.p, "mergeCell").finditer(tail)
                if "ref" in X.attrs(m[1])]

    # ---- the pass

    def patch(self, wanted: list[_Target]) -> bytes:
        start, end = self._sheet_data()
        self._read_head(self.data[:start])
        merges = self._read_tail(self.data[end:])
        targets: dict[int, dict[int, _Target]] = {}
        for t in wanted:  # a mark inside a merged range goes on its top-left cell
            rng = next((m for m in merges if _inside(m, t.row, t.col)), None)
            if rng is not None:
                t.row, t.col = rng[0], rng[1]
            same = targets.setdefault(t.row, {}).get(t.col)
            if same is not None:  # two marks on one merged range: one comment, the first fill and fix
                same.comment = f"{same.comment}\n{t.comment}"
                same.patch = same.patch if same.patch.value is not None or t.patch.value is None else t.patch
                continue
            targets[t.row][t.col] = t
            self.marked.append(t)
        if any(t.patch.value is not None for row in targets.values() for t in row.values()):
            self._find_spills(start, end)
        data, p = self.data, self.p
        row_tag = re.compile(rb"<" + re.escape(p) + rb"row(?=[\s/>])([^>]*?)(/?)>")
        row_end = b"</" + p + b"row>"
        pending = sorted(targets)
        last_needed = pending[-1] + _ROWS_AFTER if pending else 0
        out: list[bytes] = [data[:start]]
        last, i, r = start, 0, 0
        for m in row_tag.finditer(data, start, end):
            a = m[1]
            found = re.search(rb"""\sr\s*=\s*["'](\d+)""", a)
            r = int(found[1]) if found else r + 1
            if b"ht" in a or b"hidden" in a:
                attrs = X.attrs(a)
                if attrs.get("hidden") in ("1", "true"):
                    self.grid.rows[r - 1] = 0
                elif "ht" in attrs:
                    self.grid.rows[r - 1] = row_px(float(attrs["ht"]))
            while i < len(pending) and pending[i] < r:  # a marked row that does not exist yet
                out += [data[last:m.start()], self._new_row(pending[i], targets[pending[i]])]
                last, i = m.start(), i + 1
            if r in targets:
                close = m.end() if m[2] else data.index(row_end, m.end()) + len(row_end)
                out += [data[last:m.start()], self._row(data[m.start():close], m, targets[r])]
                last = close
                if i < len(pending) and pending[i] == r:
                    i += 1
            if i >= len(pending) and r >= last_needed:
                break
        out.append(data[last:end])
        out += [self._new_row(row, targets[row]) for row in pending[i:]]
        out.append(data[end:])
        return b"".join(out)

    def _find_spills(self, start: int, end: int) -> None:
        """The ranges of array formulas and data tables: a value cannot replace one cell of them."""
        body = self.data[start:end]
        if not re.search(rb"""t\s*=\s*["'](?:array|dataTable)""", body):
            return
        for f in self._f.finditer(body):
            a = X.attrs(f[1])
            if a.get("t") in ("array", "dataTable") and ":" in a.get("ref", ""):
                self._spills.append(_range(a["ref"]))

    def _new_row(self, r: int, cells: dict[int, _Target]) -> bytes:
        body = b"".join(self._new_cell(t, None) for _, t in sorted(cells.items()))
        return b'<%srow r="%d">%s</%srow>' % (self.p, r, body, self.p)

    def _row(self, row: bytes, m: re.Match[bytes], cells: dict[int, _Target]) -> bytes:
        p = self.p
        start = m[0]
        if m[2]:
            start = start[:-2].rstrip() + b">"
            content = b""
        else:
            content = row[len(start):-len(b"</" + p + b"row>")]
        a = X.attrs(m[1]) if b"customFormat" in m[1] else {}
        row_style = int(a.get("s", 0) or 0) if a.get("customFormat") in ("1", "true") else None
        pending = sorted(cells)
        out: list[bytes] = []
        last, i, c = 0, 0, 0
        for cm in self._cell.finditer(content):
            found = re.search(rb"""\sr\s*=\s*["']([A-Za-z]+\d+)""", cm[1])
            c = cell_index(found[1].decode())[1] if found else c + 1
            while i < len(pending) and pending[i] < c:
                out += [content[last:cm.start()], self._new_cell(cells[pending[i]], row_style)]
                last, i = cm.start(), i + 1
            if i < len(pending) and pending[i] == c:
                out += [content[last:cm.start()], self._mark(cm, cm[2], cells[c])]
                last = cm.end()
                i += 1
        out.append(content[last:])
        out += [self._new_cell(cells[col], row_style) for col in pending[i:]]
        return start + b"".join(out) + b"</" + p + b"row>"

    def _new_cell(self, t: _Target, row_style: int | None) -> bytes:
        """A cell that was not written (blank, formatted by its row or column): it gets that format."""
        xf = row_style if row_style is not None else self.col_styles.get(t.col, 0)
        t.earlier = {"xf": xf, "fill": self.styles.fill_xml(xf), "border": self.styles.border_xml(xf), "blank": True}
        value = self._fix_value(t)
        s = self.styles.xf(xf, t.patch.fill, t.patch.number_format if value is not None else None, t.patch.border)
        ref = cell_ref(t.row, t.col).encode()
        if value is None:
            return b'<%sc r="%s" s="%d"/>' % (self.p, ref, s)
        return b'<%sc r="%s" s="%d"><%sv>%s</%sv></%sc>' % (self.p, ref, s, self.p, value, self.p, self.p)

    def _fix_value(self, t: _Target, body: bytes = b"") -> bytes | None:
        if t.patch.value is None:
            return None
        if self._f.search(body) or any(_inside(rng, t.row, t.col) for rng in self._spills):
            self.not_fixed.append(t.patch)
            if t.patch.instead is not None:
                fill, comment, border = t.patch.instead
                t.comment = t.comment.replace(t.patch.comment, comment, 1)
                t.patch = replace(t.patch, fill=fill, comment=comment, border=border, value=None,
                                  number_format=None, instead=None)
            return None
        t.fixed = True
        self.value_written = True
        if t.patch.number_format is not None:
            t.earlier["format"] = self.styles.number_format(t.earlier["xf"])
        return _number(t.patch.value).encode()

    def _mark(self, cm: re.Match[bytes], body: bytes | None, t: _Target) -> bytes:
        p = self.p
        start = cm[0][: cm[0].index(b">") + 1]
        if start.endswith(b"/>"):
            start = start[:-2].rstrip() + b">"
        a = X.attrs(cm[1])
        xf = int(a.get("s", 0) or 0)
        t.earlier = {"xf": xf, "fill": self.styles.fill_xml(xf), "border": self.styles.border_xml(xf)}
        value = self._fix_value(t, body or b"")
        s = self.styles.xf(xf, t.patch.fill, t.patch.number_format if value is not None else None, t.patch.border)
        start = X.set_attr(start, "s", str(s))
        if value is None:
            return start + (body or b"") + b"</%sc>" % p
        t.earlier.update(self._earlier_value(a, body or b""))
        return X.set_attr(start, "t", None) + b"<%sv>%s</%sv></%sc>" % (p, value, p, p)

    def _earlier_value(self, a: dict[str, str], content: bytes) -> dict:
        """What a fixed cell held, for the marker (never a formula: a formula is not overwritten)."""
        kind = a.get("t", "n")
        v = X.element(self.p, "v").search(content)
        text = X.unescape((v[2] or b"").decode("utf-8")) if v else None
        if kind == "inlineStr":
            text = "".join(X.unescape((m[2] or b"").decode("utf-8")) for m in X.element(self.p, "t").finditer(content))
        elif kind == "s" and text is not None:
            text = self.strings(int(text))
        return {"type": kind, "value": text}


# --------------------------------------------------------------------------- the package


def _shared_strings(parts: dict[str, bytes], book: str) -> Callable[[int], str]:
    """Index -> text of the shared strings, read only if a fixed cell held one."""
    cache: list[str] = []

    def get(i: int) -> str:
        if not cache:
            from defusedxml import ElementTree

            sst = next((t for kind, t in relationships(as_zip(parts), book).values() if kind == "sharedStrings"), "")
            if sst in parts:
                ns = f"{{{MAIN_NS}}}"
                for si in ElementTree.fromstring(parts[sst]).iter(f"{ns}si"):  # its t and runs, not rPh
                    cache.append("".join(t.text or "" for child in si if child.tag in (f"{ns}t", f"{ns}r")
                                         for t in child.iter(f"{ns}t")))
            cache.append("")  # a sentinel, so a package without strings is read once
        return cache[i] if 0 <= i < len(cache) - 1 else ""

    return get


def _styles_part(parts: dict[str, bytes], book: str) -> str:
    found = next((t for kind, t in relationships(as_zip(parts), book).values() if kind == "styles"), None)
    if found is not None and found in parts:
        return found
    found = "xl/styles.xml" if "xl/styles.xml" not in parts else free_name(parts, "xl/styles{}.xml")
    parts[found] = EMPTY_STYLES
    add_relationship(parts, book, f"{DOC_REL}/styles", found)
    set_override(parts, found, STYLES_TYPE)
    return found


def mark_cells(parts: dict[str, bytes], patches: list[CellPatch], *, box: CommentBox) -> Marked:
    """Mark ``patches`` on a copy of ``parts`` (a package ``guard.preflight`` let through); ``parts``
    itself is not changed.

    A patch naming a sheet the workbook does not have, or no cell, is left out (as the openpyxl copy
    did): a finding may point at a cell of a sheet the officer renamed."""
    parts = parts.copy()  # a package's Parts: its unread big parts stay unread
    found = main_part(as_zip(parts))
    if found is None:
        raise ValueError("the package has no workbook part")
    book = found[0]
    sheets = worksheet_parts(parts)
    by_sheet: dict[str, list[_Target]] = {}
    for patch in patches:
        try:
            row, col = cell_index(patch.cell)
        except ValueError:
            continue
        if patch.sheet not in sheets:
            continue  # no such sheet, or a chart sheet
        by_sheet.setdefault(patch.sheet, []).append(_Target(row, col, patch, patch.comment))
    if not by_sheet:
        return Marked(parts)
    styles_part = _styles_part(parts, book)
    styles = Styles(parts[styles_part])
    strings = _shared_strings(parts, book)
    marked = Marked(parts)
    value_written = False
    for name, targets in by_sheet.items():
        part = sheets[name]
        sheet = _Sheet(parts[part], styles, strings)
        data = sheet.patch(targets)
        data = _comment(parts, part, data, sheet, box)
        parts[part] = data
        value_written |= sheet.value_written
        marked.not_fixed += sheet.not_fixed
        marked.cells += [{"sheet": name, "cell": cell_ref(t.row, t.col), **t.earlier} for t in sheet.marked]
    parts[styles_part] = styles.bytes()
    if value_written:
        _full_calc_on_load(parts, book)
    return marked


def _comment(parts: dict[str, bytes], part: str, data: bytes, sheet: _Sheet, box: CommentBox) -> bytes:
    """Our comments on the sheet's marked cells: the comments part, the VML drawing, their relationships."""
    rels = relationships(as_zip(parts), part)
    comments = next((t for kind, t in rels.values() if kind == "comments" and t in parts), None)
    threaded_parts = [t for kind, t in rels.values() if kind == "threadedComment" and t in parts]
    threaded = {m.decode().upper() for t in threaded_parts
                for m in re.findall(rb"""<(?:\w+:)?threadedComment\b[^>]*\sref\s*=\s*["']([A-Za-z]+\d+)""", parts[t])}
    after_rows = data.index(b">", data.rfind(b"</" + sheet.p + b"sheetData")) + 1  # the sheet's small tail
    legacy = X.element(sheet.p, "legacyDrawing").search(data, after_rows)
    legacy_id = next((v for k, v in X.attrs(legacy[1]).items() if k.endswith(":id")), None) if legacy else None
    vml = rels.get(legacy_id, ("", ""))[1] if legacy_id else None
    ours = {cell_ref(t.row, t.col): t.comment for t in sheet.marked}
    merged, texts = merge_comments(parts.get(comments) if comments else None, ours, threaded)
    if comments is None:
        comments = free_name(parts, "xl/comments{}.xml")
        add_relationship(parts, part, f"{DOC_REL}/comments", comments)
        set_override(parts, comments, COMMENTS_TYPE)
    parts[comments] = merged
    shapes = []
    for ref, text in texts.items():
        row, col = cell_index(ref)
        shapes.append((row - 1, col - 1, box.width, box.height(text)))
    if vml is not None and vml in parts:
        parts[vml] = merge_vml(parts[vml], shapes, sheet.grid)
        return data
    used = set().union(*(idmap_blocks(parts[n]) for n in parts if n.lower().endswith(".vml")))
    vml = free_name(parts, "xl/drawings/vmlDrawing{}.vml")
    parts[vml] = new_vml(max(used, default=0) + 1, shapes, sheet.grid)
    ensure_default(parts, "vml", VML_TYPE)
    if content_type(parts, vml) != VML_TYPE:
        set_override(parts, vml, VML_TYPE)
    rid = add_relationship(parts, part, f"{DOC_REL}/vmlDrawing", vml)
    if legacy is not None:  # it pointed at nothing: point it at the new drawing
        return data[:legacy.start()] + X.set_attr(legacy[0], next(k for k in X.attrs(legacy[1]) if k.endswith(":id")),
                                                  rid) + data[legacy.end():]
    r = b"r:" if X.declares(data, "r", DOC_REL) else b'xmlns:r="%s" r:' % DOC_REL.encode()
    element = b'<%slegacyDrawing %sid="%s"/>' % (sheet.p, r, rid.encode())
    return X.insert_child(data, element, _AFTER_LEGACY_DRAWING, start=after_rows)


def _full_calc_on_load(parts: dict[str, bytes], book: str) -> None:
    """A fixed value changes what formulas reading it show: Excel recalculates them on opening."""
    data = X.utf8(parts[book])
    p = X.root_prefix(data, MAIN_NS)
    calc = X.element(p, "calcPr").search(data)
    if calc is None:
        parts[book] = X.insert_child(data, b'<%scalcPr fullCalcOnLoad="1"/>' % p, _AFTER_CALC_PR)
        return
    start = calc[0][: calc[0].index(b">") + 1]
    parts[book] = data[:calc.start()] + X.set_attr(start, "fullCalcOnLoad", "1") + data[calc.start() + len(start):]


def match_name(parts: dict[str, bytes], suffix: str) -> None:
    """Make the package what its name says: the workbook's content type, and no macros unless .xlsm/.xltm."""
    found = main_part(as_zip(parts))
    if found is None:
        raise ValueError("the package has no workbook part")
    book, kind = found
    wanted = MAIN_TYPES.get(suffix.lower(), MAIN_TYPES[".xlsx"])
    if kind != wanted:
        set_override(parts, book, wanted)
    if suffix.lower() in MACRO_SUFFIXES:
        return
    of = content_typer(parts)
    for name in [n for n in parts if of(n) in VBA_TYPES or n.lower().endswith("vbaproject.bin")]:
        remove_part(parts, name)


Added = Callable[[dict[str, bytes], list[CellPatch]], dict[str, bytes]]


def patch_copy(src_path: str, out_path: str, patches: list[CellPatch], *, box: CommentBox, marker: dict,
               added: Added | None = None,
               before: Callable[[dict[str, bytes]], dict[str, bytes]] | None = None) -> list[CellPatch]:
    """The checked copy of ``src_path`` at ``out_path``: ``patches`` marked, ``added`` applied to the
    marked parts and the patches whose value could not be written (our sheets, which must not call
    those fixed), ``marker`` (with each marked cell's earlier state under ``cells``) recorded, the
    package type matched to the name; written atomically.  Returns the patches whose value could not
    be written (the cell is still marked).  The input is only opened for reading."""
    out_path = os.fspath(out_path)
    if os.path.exists(out_path) and os.path.samefile(src_path, out_path):
        raise ValueError(f"the checked copy must not overwrite the input: {out_path}")
    parts = read_package(src_path)
    marked = mark_cells(before(parts) if before is not None else parts, patches, box=box)  # before: unmark
    parts = added(marked.parts, marked.not_fixed) if added is not None else marked.parts
    write_marker(parts, {**marker, "cells": marked.cells})
    match_name(parts, os.path.splitext(out_path)[1])
    write_package(parts, out_path)
    return marked.not_fixed


__all__ = ["CellPatch", "CommentBox", "Marked", "mark_cells", "match_name", "patch_copy"]
