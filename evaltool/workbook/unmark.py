"""A checked copy checked again: our earlier marks and comments taken out before the new ones go in.

The copy carries our marker (``marker.read_marker``): only such a package is unmarked, so a cell an
officer coloured in an original is never touched.  What we take out:

- **Fills.**  A marked cell's format is a clone of its own with one of our fills (``fills``: the colours
  of this version and those the marker lists).  Each such format is mapped back to the officer's own:
  the format equal to it but for fill and border (the officer's number format decides the precision a
  figure is checked at, so it is the cell's own format, never the template's).  Among several, the one
  the marker recorded for the cell first, then the one with the fill the marker recorded.  Matching
  formats, not indexes, is what survives a LibreOffice or Excel re-save, which renumbers every format
  and moves cells when the officer inserts rows.  A cell --fix corrected keeps its new number format
  (its value was written for it): its format is the officer's with that number format, added when
  missing.  A marked format without any officer twin of the recorded fill (a re-save dropped the original,
  used by that cell alone; a twin of another colour is another kind of cell) keeps its other properties
  and gets back the cell's own fill and border, as the marker recorded them (the part's equal ones, else
  the recorded ones added).
- **Comments.**  Ours (author evaltool, or text whose first or second line starts ``[CODE``: LibreOffice
  writes comments back without their author) go with their VML note; on a cell the officer had
  commented, the officer's text above ``—— evaltool ——`` stays, wherever a re-save split the runs.

Nothing else of the package changes here; the new marks are then added by ``patch.mark_cells``.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from evaltool.workbook import xmlbytes as X
from evaltool.workbook.cellstyles import append_items
from evaltool.workbook.comments import _NOTE_CELL, _SHAPE, AUTHOR, MAIN_NS, SEPARATOR, officer_runs
from evaltool.workbook.marker import read_marker
from evaltool.workbook.package import as_zip, remove_relationships, set_override, target_part, worksheet_parts
from evaltool.workbook.read import coordinate
from evaltool.workbook.xlsxcache import main_part, relationships, rels_of

_IGNORED = frozenset({"fillId", "applyFill", "borderId", "applyBorder"})  # what a mark changes
_FORMAT = frozenset({"numFmtId", "applyNumberFormat"})  # what --fix changes besides
_OUR_TEXT = re.compile(r"\[[A-Z]{1,4}\d{0,3}[ \]]")  # "[SHR01 强制性] …": a line of ours
# A comment of ours opens with such a line, or with one note line before it (已按重算值更正…, 公式…未改写…).
_OUR_COMMENT = re.compile(r"(?:[^\n]*\n)?" + _OUR_TEXT.pattern)
OFFICER = "填报单位"  # the author of an officer's comment whose author our earlier merge replaced
_S = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\bs\s*=\s*["'](\d+)""")  # the format of a cell
_RGB = re.compile(rb"""<(?:\w+:)?fgColor\b[^>]*\brgb\s*=\s*["']([0-9A-Fa-f]{6,8})["']""")


def unmark(parts: dict[str, bytes], fills: Collection[str]) -> dict[str, bytes]:
    """``parts`` without our earlier marks (a copy; ``parts`` is not changed); an original as it is."""
    marker = read_marker(parts)
    if marker is None:
        return parts
    parts = dict(parts)
    found = main_part(as_zip(parts))
    if found is None:
        return parts
    ours = {f.upper()[-6:] for f in (*fills, *marker.get("fills", ()))}
    cells = [c for c in marker.get("cells", ()) if isinstance(c, dict)]
    sheets = worksheet_parts(parts)
    marked = {c.get("sheet") for c in cells} & set(sheets)
    styles = next((t for kind, t in relationships(as_zip(parts), found[0]).values() if kind == "styles"), None)
    if styles in parts:
        used = {int(n) for name in marked for n in _S.findall(parts[sheets[name]])}
        remap = _Styles(parts[styles], ours, used)
        if remap.mine:
            for name in marked:
                earlier = {c.get("cell"): c for c in cells if c.get("sheet") == name}
                parts[sheets[name]] = remap.sheet(parts[sheets[name]], earlier)
            parts[styles] = remap.bytes()
    for name in marked:
        _uncomment(parts, sheets[name])
    return parts


class _Styles:
    """The cell formats of ``xl/styles.xml``: which are ours, and the officer's each of them goes back to."""

    def __init__(self, data: bytes, ours: set[str], used: set[int]) -> None:
        self.data = X.utf8(data)
        self.p = X.root_prefix(self.data, MAIN_NS)
        self._xfs_at = X.element(self.p, "cellXfs").search(self.data)
        self.xfs = [m[0] for m in X.element(self.p, "xf").finditer(self._xfs_at[2] or b"")] if self._xfs_at else []
        # The fills and borders, and those added to put back a cell's own when a re-save dropped them.
        self._at = {name: X.element(self.p, name).search(self.data) for name in ("fills", "borders")}
        self.items = {name: [m[0] for m in X.element(self.p, name[:-1]).finditer(at[2] or b"")] if at else []
                      for name, at in self._at.items()}
        self.added: dict[str, list[bytes]] = {"fills": [], "borders": []}
        self.fills = [_fill_key(f) for f in self.items["fills"]]
        self.attrs = [X.attrs(x[: x.index(b">") + 1]) for x in self.xfs]
        self.new: list[bytes] = []
        self._made: dict[tuple, int] = {}
        self.mine = {i for i in used if 0 <= i < len(self.xfs) and self.fill(i)[1] in ours}
        officer = [i for i in range(len(self.xfs)) if i not in self.mine]
        self.twins: dict[int, tuple[list[int], bool]] = {}  # ours -> (the officer's twins, whether exact)
        if self.mine:
            plain = [self._key(i, _IGNORED) for i in range(len(self.xfs))]
            unformatted = [self._key(i, _IGNORED | _FORMAT) for i in range(len(self.xfs))]
        for m in self.mine:
            exact = [i for i in officer if plain[i] == plain[m]]
            loose = exact or [i for i in officer if unformatted[i] == unformatted[m]]
            self.twins[m] = (loose, bool(exact))

    def fill(self, i: int) -> tuple[str, str]:
        f = _int(self.attrs[i].get("fillId"))
        return self.fills[f] if 0 <= f < len(self.fills) else ("", "")

    def _key(self, i: int, ignored: frozenset[str]) -> tuple:
        tag = self.xfs[i]
        start = tag[: tag.index(b">") + 1]
        body = b"" if start.endswith(b"/>") else tag[len(start):]
        return tuple(sorted((k, v) for k, v in self.attrs[i].items() if k not in ignored)), re.sub(rb"\s+", b" ", body)

    def restore(self, m: int, earlier: dict | None) -> int:
        """The officer's format for a cell now in our format ``m``: the one the marker recorded for the cell
        (its index, else its fill), else the twin used most plainly (lowest index)."""
        twins, exact = self.twins[m]
        earlier = earlier or {}
        fill = self._item(str(earlier.get("fill") or ""))

        def own(i: int) -> bool:  # format i has the cell's recorded fill (none, when none was recorded)
            if not fill:
                return self.fill(i) == _fill_key(b"")
            f = _int(self.attrs[i].get("fillId", "0"))
            return 0 <= f < len(self.items["fills"]) and self._equal("fills", f, fill)

        # Nothing to match, or only twins of another colour (a re-save dropped the cell's own format and kept
        # one equal but for its fill: a blue 填报 cell must not come back yellow, as a cell to fill in): the
        # cell's own fill and border back (as recorded), all else kept.
        if not twins or (fill and not any(own(i) for i in twins)):
            look = self._own_look(earlier)
            return self._make(m, m, look, tuple(look))
        recorded = _int(earlier.get("xf"))
        base = min(twins, key=lambda i: (not (i == recorded and own(i)), not own(i), i))
        if exact:
            return base
        return self._make(base, m, self.attrs[m], _FORMAT)  # --fix's number format on the officer's format

    def _own_look(self, earlier: dict) -> dict[str, str | None]:
        """The fill and border attributes that give a cell the fill and border the marker recorded for it
        (the part's equal ones, else the recorded ones added); no fill without a record, and the border
        as it is without one (copies made before the marker recorded borders)."""
        fill = str(earlier.get("fill") or "")
        look: dict[str, str | None] = {"fillId": str(self._add("fills", fill)) if fill else "0",
                                       "applyFill": "1" if fill else None}
        border = str(earlier.get("border") or "")
        if border:
            look.update(borderId=str(self._add("borders", border)), applyBorder="1")
        return look

    def _item(self, xml: str) -> bytes:
        """A ``<fill>``/``<border>`` the marker recorded (without a prefix) in the part's prefix."""
        return re.sub(rb"(</?)(?=\w)", rb"\1" + self.p, xml.encode("utf-8")) if self.p else xml.encode("utf-8")

    def _equal(self, name: str, i: int, item: bytes) -> bool:
        """Whether the part's ``i``-th ``<fill>``/``<border>`` is ``item``: the same XML, or for a fill of an RGB
        colour the same pattern and colour (a re-save rewrites a fill's XML; a theme colour has no RGB to go by)."""
        if _squeezed(self.items[name][i]) == _squeezed(item):
            return True
        key = _fill_key(item) if name == "fills" else None
        return key is not None and bool(key[1]) and self.fills[i] == key

    def _add(self, name: str, xml: str) -> int:
        """The index of the part's ``<fill>``/``<border>`` equal to ``xml`` (``_equal``), else of ``xml`` added
        at the end of the collection."""
        if self._at[name] is None:  # a part without <borders>: every format has the default, 0
            return 0
        item, had, added = self._item(xml), self.items[name], self.added[name]
        found = next((i for i in range(len(had)) if self._equal(name, i, item)), None)
        if found is not None:
            return found
        if item not in added:
            added.append(item)
        return len(had) + added.index(item)

    def _make(self, base: int, m: int, attrs: dict[str, str], names: Collection[str]) -> int:
        key = (base, m, *((name, attrs.get(name)) for name in names))
        if key not in self._made:
            tag = self.xfs[base]
            start = tag[: tag.index(b">") + 1]
            new = start
            for name in names:
                new = X.set_attr(new, name, attrs.get(name))
            self.new.append(new + tag[len(start):])
            self._made[key] = len(self.xfs) + len(self.new) - 1
        return self._made[key]

    def sheet(self, data: bytes, earlier: dict[str, dict]) -> bytes:
        """The sheet with every cell in one of our formats put back into the officer's."""
        data = X.utf8(data)
        cell = re.compile(rb"<" + re.escape(X.root_prefix(data, MAIN_NS)) + rb"c(?=[\s/>])[^>]*>")
        s = re.compile(rb"""(\ss\s*=\s*["'])(\d+)(["'])""")
        r = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]+\d+)""")

        def restyle(m: re.Match[bytes]) -> bytes:
            found = s.search(m[0])
            if found is None or int(found[2]) not in self.mine:
                return m[0]
            ref = r.search(m[0])
            new = self.restore(int(found[2]), earlier.get(ref[1].decode().upper()) if ref else None)
            return m[0][: found.start(2)] + str(new).encode() + m[0][found.end(2):]

        return cell.sub(restyle, data)

    def bytes(self) -> bytes:
        if not self.new or self._xfs_at is None or self._xfs_at[2] is None:
            return self.data
        # From the end of the part backwards, so the earlier offsets stay right.
        blocks = [(self._xfs_at, "cellXfs", self.new, len(self.xfs)),
                  *((self._at[name], name, self.added[name], len(self.items[name])) for name in ("fills", "borders"))]
        data = self.data
        for block, name, new, had in sorted((b for b in blocks if b[0] is not None), key=lambda b: -b[0].start()):
            data = append_items(data, self.p, block, name, new, had)
        return data


def _squeezed(xml: bytes) -> bytes:
    return re.sub(rb">\s+<", b"><", xml)


def _fill_key(fill: bytes) -> tuple[str, str]:
    """A fill as (pattern, foreground RGB): what LibreOffice's or Excel's re-save keeps of it."""
    pattern = re.search(rb"""patternType\s*=\s*["'](\w+)""", fill)
    rgb = _RGB.search(fill)
    return (pattern[1].decode() if pattern else "none"), (rgb[1].decode().upper()[-6:] if rgb else "")


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return -1


def _drop(parts: dict[str, bytes], sheet: str, part: str) -> None:
    """``part``, its override and the sheet's relationship to it (only the sheet relates to its comments and
    notes: ``package.remove_part`` would read every relationship part of the package for each)."""
    parts.pop(part, None)
    parts.pop(rels_of(part), None)
    set_override(parts, part, None)
    remove_relationships(parts, sheet, lambda a: a.get("TargetMode") != "External"
                         and target_part(sheet, a.get("Target", "")) == part)


def _uncomment(parts: dict[str, bytes], sheet: str) -> None:
    """Our comments taken off ``sheet``: wholly ours with their notes, the officer's text kept above ours."""
    rels = relationships(as_zip(parts), sheet)
    comments = next((t for kind, t in rels.values() if kind == "comments" and t in parts), None)
    if comments is None:
        return
    data = X.utf8(parts[comments])
    p = X.root_prefix(data, MAIN_NS)
    authors_at = X.element(p, "authors").search(data)
    authors = [X.unescape((m[2] or b"").decode("utf-8"))
               for m in X.element(p, "author").finditer((authors_at[2] or b"") if authors_at else b"")]
    gone: set[tuple[int, int]] = set()
    had = len(authors)

    def officer_author() -> int:
        found = next((i for i, a in enumerate(authors) if a != AUTHOR), None)
        if found is None:
            authors.append(OFFICER)
            found = len(authors) - 1
        return found

    def strip(m: re.Match[bytes]) -> bytes:
        a = X.attrs(m[1])
        index = _int(a.get("authorId"))
        author = authors[index] if 0 <= index < len(authors) else ""
        text = "".join(X.unescape((t[2] or b"").decode("utf-8")) for t in X.element(p, "t").finditer(m[0]))
        if SEPARATOR not in text and author != AUTHOR and not _OUR_COMMENT.match(text):
            return m[0]
        kept, kept_text = officer_runs(m[0], AUTHOR if SEPARATOR not in text else author, p)
        if kept_text:  # the officer's again: an author other than ours (the merge had made it ours)
            start = m[0][: m[0].index(b">") + 1]
            if author == AUTHOR:
                start = X.set_attr(start, "authorId", str(officer_author()))
            return start + b"<%stext>%s</%stext></%scomment>" % (p, b"".join(kept), p, p)
        try:
            row, col = coordinate(a.get("ref", ""))
            gone.add((row - 1, col - 1))
        except ValueError:
            pass
        return b""

    data = X.element(p, "comment").sub(strip, data)
    if authors_at is not None and len(authors) > had and authors_at[2] is not None:
        close = data.index(b"</" + p + b"authors")
        data = data[:close] + b"<%sauthor>%s</%sauthor>" % (p, X.text(OFFICER), p) + data[close:]
    parts[comments] = data
    vml = next((t for kind, t in rels.values() if kind == "vmlDrawing" and t in parts), None)
    if gone and vml is not None:
        def keep(m: re.Match[bytes]) -> bytes:
            note = _NOTE_CELL.search(m[0])
            return b"" if note and (int(note[1]), int(note[2])) in gone else m[0]

        parts[vml] = _SHAPE.sub(keep, parts[vml])
    if X.element(p, "comment").search(data) is None:  # none left: the sheet as it was before our first check
        _drop(parts, sheet, comments)
        if vml is not None and not _SHAPE.search(parts[vml]):
            _drop(parts, sheet, vml)
            sheet_data = X.utf8(parts[sheet])
            parts[sheet] = X.element(X.root_prefix(sheet_data, MAIN_NS), "legacyDrawing").sub(b"", sheet_data)
