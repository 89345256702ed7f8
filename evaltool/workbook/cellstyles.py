"""New cell formats for the marked cells, appended to the officer's ``xl/styles.xml`` by byte edits.

A marked cell gets a copy of its own cell format (``<xf>``: font, number format, alignment,
protection, cell style) with a solid fill and a border around the cell (so the mark survives a
black-and-white print), and with ``--fix`` the number format the recomputed value needs.  One new
``<xf>`` per distinct (original format, fill, number format, border), one new ``<fill>`` per colour,
one ``<border>`` per (style, colour), one ``<numFmt>`` per new format code; the officer's formats keep
their indexes, so every other cell, conditional format and table style is unchanged.  A format, fill
or border the part already has byte for byte (an earlier check's, left behind when a re-check took
its marks off) is used again rather than added: a copy checked ten times does not carry ten sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from evaltool.workbook import xmlbytes as X

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

# The built-in number formats a fix may need (ECMA-376 §18.8.30): no <numFmt> is written for these.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
_FIRST_CUSTOM_FORMAT = 164

# A workbook without a styles part (some generators omit it): the minimum Excel needs.
EMPTY_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    b'</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


@dataclass(frozen=True)
class Edge:
    """A border on all four sides of a cell: an ECMA-376 line ``style`` ("medium", "mediumDashed" …) in
    ``rgb``."""

    style: str
    rgb: str

    NONE: ClassVar[bytes] = b"<%sborder><%sleft/><%sright/><%stop/><%sbottom/><%sdiagonal/></%sborder>"

    def xml(self, p: bytes) -> bytes:
        side = b'style="%s"><%scolor rgb="FF%s"/>' % (self.style.encode(), p, self.rgb[-6:].upper().encode())
        sides = b"".join(b"<%s%s %s</%s%s>" % (p, name, side, p, name) for name in (b"left", b"right", b"top",
                                                                                   b"bottom"))
        return b"<%sborder>%s<%sdiagonal/></%sborder>" % (p, sides, p, p)


class Styles:
    """The officer's styles part and the cell formats added to it; ``xf`` allocates, ``bytes`` writes."""

    def __init__(self, data: bytes) -> None:
        self.data = X.utf8(data)
        self.p = X.root_prefix(self.data, MAIN_NS)
        self._xfs_at = self._block("cellXfs")
        self._fills_at = self._block("fills")
        self._borders_at = self._block("borders", required=False)
        self.xfs = self._items(self._xfs_at, "xf")
        self.fills = self._items(self._fills_at, "fill")
        self.borders = self._items(self._borders_at, "border")
        self._numfmts_at = self._block("numFmts", required=False)
        self.formats = {int(a.get("numFmtId", -1)): a.get("formatCode", "")
                        for a in (X.attrs(m) for m in self._items(self._numfmts_at, "numFmt"))}
        self._xf_ids: dict[tuple[int, str, str | None, Edge | None], int] = {}
        self._added_xfs: list[bytes] = []
        self._fill_ids: dict[str, int] = {}
        self._added_fills: list[bytes] = []
        self._border_ids: dict[Edge, int] = {}
        self._added_borders: list[bytes] = []
        self._new_formats: dict[str, int] = {}
        self._attrs: dict[int, dict[str, str]] = {}

    def _block(self, name: str, *, required: bool = True) -> re.Match[bytes] | None:
        m = X.element(self.p, name).search(self.data)
        if m is None and required:
            raise ValueError(f"xl/styles.xml has no <{name}>")
        return m

    def _items(self, block: re.Match[bytes] | None, name: str) -> list[bytes]:
        if block is None or block[2] is None:
            return []
        return [m[0] for m in X.element(self.p, name).finditer(block[2])]

    def xf(self, original: int, fill: str, number_format: str | None = None, border: Edge | None = None) -> int:
        """The index of the copy of cell format ``original`` with a solid ``fill`` (RGB) and, if given,
        ``number_format`` and a ``border`` on all four sides."""
        original = original if 0 <= original < len(self.xfs) else 0
        key = (original, fill.upper(), number_format, border)
        if key not in self._xf_ids:
            tag = self.xfs[original]
            start = self._start(tag)
            start = X.set_attr(X.set_attr(start, "fillId", str(self._fill_id(fill.upper()))), "applyFill", "1")
            if border is not None:
                start = X.set_attr(X.set_attr(start, "borderId", str(self._border_id(border))), "applyBorder", "1")
            if number_format is not None:
                start = X.set_attr(X.set_attr(start, "numFmtId", str(self._format_id(number_format))),
                                   "applyNumberFormat", "1")
            self._xf_ids[key] = self._reuse(self.xfs, self._added_xfs, start + tag[len(self._start(tag)):])
        return self._xf_ids[key]

    @staticmethod
    def _reuse(had: list[bytes], added: list[bytes], item: bytes, first: int = 0) -> int:
        """The index of ``item`` in the part (``had``, then ``added``), added when it is not there."""
        for i, old in enumerate(had):
            if old == item:
                return i
        if item in added:
            return max(len(had), first) + added.index(item)
        added.append(item)
        return max(len(had), first) + len(added) - 1

    def fill_xml(self, xf: int) -> str:
        """The ``<fill>`` of cell format ``xf`` without a namespace prefix (the marker records it)."""
        return self._item_xml(xf, "fillId", self.fills, b"<fill/>")

    def border_xml(self, xf: int) -> str:
        """The ``<border>`` of cell format ``xf`` without a namespace prefix (the marker records it, so a
        re-check that finds the cell's own format gone from the part can put its border back)."""
        return self._item_xml(xf, "borderId", self.borders, b"<border/>")

    def _item_xml(self, xf: int, attr: str, items: list[bytes], default: bytes) -> str:
        if not 0 <= xf < len(self.xfs):
            xf = 0
        index = int(self._xf_attrs(xf).get(attr, 0) or 0)
        found = items[index] if 0 <= index < len(items) else default
        if self.p:
            found = re.sub(rb"(</?)" + re.escape(self.p), rb"\1", found)
        return found.decode("utf-8")

    def number_format(self, xf: int) -> str:
        """The format code of cell format ``xf`` (a built-in one by its id: "General", "0.00%" ...)."""
        if not 0 <= xf < len(self.xfs):
            xf = 0
        fmt = int(self._xf_attrs(xf).get("numFmtId", 0) or 0)
        if fmt in self.formats:
            return self.formats[fmt]
        return next((code for code, n in BUILTIN_FORMATS.items() if n == fmt), f"#{fmt}")

    def _xf_attrs(self, xf: int) -> dict[str, str]:
        if xf not in self._attrs:  # asked once per marked cell: 50,000 on a long list marked whole
            self._attrs[xf] = X.attrs(self._start(self.xfs[xf]))
        return self._attrs[xf]

    @staticmethod
    def _start(xf: bytes) -> bytes:
        return xf[: xf.index(b">") + 1]

    def _format_id(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        found = next((n for n, c in self.formats.items() if c == code), None)
        if found is not None:
            return found
        if code not in self._new_formats:
            used = [*self.formats, *self._new_formats.values(), _FIRST_CUSTOM_FORMAT - 1]
            self._new_formats[code] = max(used) + 1
        return self._new_formats[code]

    def _border_id(self, edge: Edge) -> int:
        if edge not in self._border_ids:
            # A part without <borders> gets one with the empty border every xf without one means first.
            self._border_ids[edge] = self._reuse(self.borders, self._added_borders, edge.xml(self.p), first=1)
        return self._border_ids[edge]

    def _fill_id(self, rgb: str) -> int:
        if rgb not in self._fill_ids:
            p = self.p
            fill = (b'<%sfill><%spatternFill patternType="solid"><%sfgColor rgb="FF%s"/><%sbgColor indexed="64"/>'
                    b"</%spatternFill></%sfill>" % (p, p, p, rgb[-6:].encode(), p, p, p))
            self._fill_ids[rgb] = self._reuse(self.fills, self._added_fills, fill)
        return self._fill_ids[rgb]

    def changed(self) -> bool:
        return bool(self._added_xfs)

    def bytes(self) -> bytes:
        """The styles part with the new formats; the officer's bytes where nothing was added."""
        if not self._added_xfs:
            return self.data
        p = self.p
        xfs, fills, borders = self._added_xfs, self._added_fills, self._added_borders
        formats = [b"<%snumFmt numFmtId=\"%d\" formatCode=%s/>" % (p, n, X.attr_value(code))
                   for code, n in self._new_formats.items()]
        data = self.data
        # From the end of the part backwards, so the earlier offsets stay right: cellXfs, borders, fills,
        # numFmts.
        data = self._append(data, self._xfs_at, "cellXfs", xfs, len(self.xfs))
        if borders and self._borders_at is None:
            block = b'<%sborders count="%d">%s</%sborders>' % (p, 1 + len(borders), Edge.NONE % ((p,) * 7)
                                                              + b"".join(borders), p)
            data = X.insert_child(data, block, ("cellStyleXfs", "cellXfs"))
        else:
            data = self._append(data, self._borders_at, "borders", borders, len(self.borders))
        data = self._append(data, self._fills_at, "fills", fills, len(self.fills))
        if formats:
            if self._numfmts_at is None:
                block = b'<%snumFmts count="%d">%s</%snumFmts>' % (p, len(formats), b"".join(formats), p)
                begin, _ = X.root_content(data)
                data = data[:begin] + block + data[begin:]  # numFmts is the styleSheet's first child
            else:
                data = self._append(data, self._numfmts_at, "numFmts", formats, len(self.formats))
        return data

    def _append(self, data: bytes, block: re.Match[bytes] | None, name: str, new: list[bytes], had: int) -> bytes:
        return append_items(data, self.p, block, name, new, had)


def append_items(data: bytes, p: bytes, block: re.Match[bytes] | None, name: str, new: list[bytes],
                 had: int) -> bytes:
    """``data`` with ``new`` items at the end of ``block`` (``<fills>`` ..., found in ``data``) and its count
    updated; ``p`` is the part's prefix."""
    if not new or block is None:
        return data
    old_start = block[0][: block[0].index(b">") + 1]
    start = X.set_attr(old_start, "count", str(had + len(new)))
    if block[2] is None:  # <cellXfs/>: the empty element gets content
        start = start[:-2].rstrip() + b">"
        return data[: block.start()] + start + b"".join(new) + b"</%s%s>" % (p, name.encode()) + data[block.end():]
    close = block.start(2) + len(block[2])
    return data[: block.start()] + start + data[block.start() + len(old_start):close] + b"".join(new) + data[close:]
