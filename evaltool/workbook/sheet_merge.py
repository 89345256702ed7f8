"""Graft the worksheets of a second package (our 核查汇总 and 核查结果, written by xlsxwriter) onto the
officer's package, and take out the ones an earlier run added.

The officer's package is a dict part name -> bytes.  Its workbook-level parts (workbook.xml and its
relationships, [Content_Types].xml, styles.xml, docProps/app.xml) are edited in place, byte-level:
only the elements and attributes that change are rewritten, so namespace prefixes (``x:``),
``mc:Ignorable``, ``x14ac:`` attributes and ``extLst`` content are kept exactly as the officer's
program wrote them.  The officer's sheets are never parsed; the one edit to a sheet part is dropping
``tabSelected`` from its ``<sheetView>`` (near the top of the part), so that only our first sheet is
selected and Excel does not open with the tabs grouped.  Every other part is passed through as the
same bytes object.

Decisions:

- **Inline strings.**  The added sheets' shared strings become inline strings (``t="inlineStr"``),
  the form XlsxWriter itself writes in constant-memory mode.  The officer's sharedStrings part (on a
  big list the largest workbook-level part) is then neither rewritten nor created, and no index or
  count in it has to be kept right.  Excel turns them into shared strings at its next save.
- **Styles are appended, equal items reused.**  Fonts, fills, borders, number formats, cell formats
  and differential formats of the added package are appended to the officer's styles.xml; one that
  is already there (the same XML) is reused, so checking a checked copy again leaves styles.xml as
  the first check left it.  Custom number formats get ids above every id the officer's styles use
  (or the officer's id for the same format code).  The added cells keep the look they have in the
  standalone file: a cell xlsxwriter left in the default format gets our copy of that format.  Our
  Normal style maps onto the officer's first cell style (its Normal), so the workbook's Normal font,
  which Excel sizes columns by, stays the officer's.
- **New parts are numbered after the officer's** (xl/worksheets/sheetN.xml, drawingN, chartN,
  commentsN, vmlDrawingN, tableN, imageN ...); VML shape-id blocks and table ids/names are moved
  above the officer's.
- **Removing** a sheet drops every part that only it reached through relationships; a part still
  reached from the package root is kept.  calcChain.xml is dropped when a removed or an added sheet
  holds formulas (its entries name sheets by id), otherwise left alone.
- Strict Open XML packages are refused (ValueError): our sheets are Transitional and must not be
  mixed into one.

``add_sheets`` should run after the officer's sheets and comments are patched: it looks at the
officer's VML parts to keep comment shape ids apart.  Numbers are grafted as they are: a workbook
with the 1904 date system (``workbookPr date1904``) needs our sheets written with xlsxwriter's
``date_1904`` option, or dates written as text.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from evaltool.workbook.package import Parts
from evaltool.workbook.xmlbytes import text as xml_text
from evaltool.workbook.xmlbytes import unescape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"

CONTENT_TYPES = "[Content_Types].xml"
TABLE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
_DOC = REL_NS + "/"
_WORKBOOK_LEVEL = {_DOC + k for k in ("worksheet", "styles", "theme", "sharedStrings")}  # what an added book may relate
_FIRST_CUSTOM_NUMFMT = 164
_VML_BLOCK = 1024  # VML shape ids come in blocks of 1024 per <o:idmap data="n">

# Schema order of the children of <styleSheet> and of <workbook> (after <sheets>) we may insert into.
_STYLE_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
                "tableStyles", "colors", "extLst")
_AFTER_DEFINED_NAMES = ("calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
                        "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst")

# --------------------------------------------------------------------------- XML text, byte-level

_BODY = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""  # a tag's inside; '>' may stand in a quoted value
_ATTR = re.compile(r"""([^\s=/<>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ROOT = re.compile(rf"<(?![?!])([^\s/>]+){_BODY}>")
_UNPREFIXED = re.compile(r"<(/?)([A-Za-z_][\w.-]*)(?=[\s/>])")
_TAGS: dict[tuple[str, str], re.Pattern[str]] = {}


def _tag_re(prefix: str, name: str) -> re.Pattern[str]:
    key = (prefix, name)
    if key not in _TAGS:
        _TAGS[key] = re.compile(rf"<{re.escape(prefix)}{re.escape(name)}(?=[\s/>]){_BODY}>")
    return _TAGS[key]


def _tags(text: str, prefix: str, name: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """Start (or empty-element) tags of ``prefix:name`` in ``text[start:end]``."""
    return _tag_re(prefix, name).finditer(text, start, len(text) if end is None else end)


def _first(text: str, prefix: str, name: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    return next(_tags(text, prefix, name, start, end), None)


def _end(text: str, tag: re.Match[str], prefix: str, name: str) -> int:
    """Where the element opened by ``tag`` ends (it holds no element of its own name)."""
    if tag[0].endswith("/>"):
        return tag.end()
    close = re.compile(rf"</{re.escape(prefix)}{re.escape(name)}\s*>").search(text, tag.end())
    if close is None:
        raise ValueError(f"<{prefix}{name}> is not closed")
    return close.end()


def _inner(text: str, tag: re.Match[str], prefix: str, name: str) -> tuple[int, int]:
    """(start, end) of the content of the element opened by ``tag`` (empty at the tag's end if none)."""
    end = _end(text, tag, prefix, name)
    return (tag.end(), tag.end()) if tag[0].endswith("/>") else (tag.end(), text.rindex("<", tag.end(), end))


def _attrs(tag: str) -> dict[str, str]:
    return {m[1]: unescape(m[2] if m[2] is not None else m[3]) for m in _ATTR.finditer(tag)}


def _quote(value: str) -> str:
    return '"' + value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") + '"'


def _with_attr(tag: str, name: str, value: str) -> str:
    """``tag`` with attribute ``name`` set to ``value`` (replaced where it stands, else added last)."""
    for m in _ATTR.finditer(tag):
        if m[1] == name:
            group = 2 if m[2] is not None else 3
            return tag[: m.start(group) - 1] + _quote(value) + tag[m.end(group) + 1:]
    cut = len(tag) - (2 if tag.endswith("/>") else 1)
    head = tag[:cut].rstrip()
    return f"{head} {name}={_quote(value)}{tag[len(head):]}"


def _head(element: str) -> dict[str, str]:
    """The attributes of ``element``'s start tag (not of its children)."""
    tag = _ROOT.match(element)
    return _attrs(tag[0]) if tag else {}


def _without_attr(tag: str, name: str) -> str:
    for m in _ATTR.finditer(tag):
        if m[1] == name:
            start = m.start()
            while tag[start - 1].isspace():
                start -= 1
            return tag[:start] + tag[m.end():]
    return tag


def _namespaces(text: str) -> dict[str, str]:
    """prefix ('' for the default) -> namespace, as declared on the root element."""
    root = _ROOT.search(text)
    if root is None:
        raise ValueError("no root element")
    return {k[6:]: v for k, v in _attrs(root[0]).items() if k.startswith("xmlns:")} | (
        {"": v} if (v := _attrs(root[0]).get("xmlns")) is not None else {})


def _prefix(text: str, namespace: str) -> str:
    """'' or 'x:': how ``text`` names elements of ``namespace`` (the default namespace preferred)."""
    found = sorted(p for p, ns in _namespaces(text).items() if ns == namespace)
    if not found:
        raise ValueError(f"namespace {namespace} not declared on the root element")
    return f"{found[0]}:" if found[0] else ""


def _reprefix(fragment: str, prefix: str) -> str:
    """XlsxWriter's unprefixed elements named with the officer part's ``prefix`` for the same namespace."""
    return _UNPREFIXED.sub(rf"<\1{prefix}\2", fragment) if prefix else fragment


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, replacement) done; edits at one place keep their order."""
    out, pos = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos:
            raise ValueError("overlapping edits")
        out += [text[pos:start], new]
        pos = end
    out.append(text[pos:])
    return "".join(out)


_BOM = b"\xef\xbb\xbf"


def _decode(data: bytes) -> str:
    return data[len(_BOM):].decode("utf-8") if data.startswith(_BOM) else data.decode("utf-8")


def _encode(text: str, like: bytes) -> bytes:
    return (_BOM if like.startswith(_BOM) else b"") + text.encode("utf-8")


# --------------------------------------------------------------------------- package: names, relationships


@dataclass(frozen=True)
class _Rel:
    id: str
    type: str
    target: str
    external: bool
    span: tuple[int, int]
    tag: str


def rels_name(part: str) -> str:
    """xl/workbook.xml -> xl/_rels/workbook.xml.rels; '' (the package) -> _rels/.rels."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(text: str) -> list[_Rel]:
    prefix = _prefix(text, PKG_REL_NS)
    out = []
    for m in _tags(text, prefix, "Relationship"):
        a = _attrs(m[0])
        out.append(_Rel(a.get("Id", ""), a.get("Type", ""), a.get("Target", ""), a.get("TargetMode") == "External",
                        (m.start(), _end(text, m, prefix, "Relationship")), m[0]))
    return out


class _Package:
    """Part lookup (names are case-insensitive in a package) and relationship targets."""

    def __init__(self, parts: dict[str, bytes]):
        self.parts = parts
        self.lower = {n.lower(): n for n in parts}

    def find(self, name: str | None) -> str | None:
        if name is None:
            return None
        return name if name in self.parts else self.lower.get(name.lower())

    def rels(self, part: str) -> list[_Rel]:
        name = self.find(rels_name(part))
        return _relationships(_decode(self.parts[name])) if name else []

    @staticmethod
    def resolve(source: str, rel: _Rel) -> str | None:
        """The part name ``rel`` (from ``source``) points at; None for an external or in-document target."""
        target = unquote(rel.target.split("#", 1)[0])
        if rel.external or not target or "://" in target or target.startswith("mailto:"):
            return None
        if target.startswith("/"):
            return posixpath.normpath(target[1:])
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))

    def targets(self, part: str) -> Iterator[tuple[_Rel, str | None]]:
        for rel in self.rels(part):
            yield rel, self.find(self.resolve(part, rel))

    def reachable(self, start: Collection[str], skip: Callable[[str, _Rel], bool] = lambda p, r: False) -> set[str]:
        """Every part reached from ``start`` ('' is the package root) through relationships."""
        seen: set[str] = set()
        todo = list(start)
        while todo:
            part = todo.pop()
            for rel, target in self.targets(part):
                if target is not None and target not in seen and not skip(part, rel):
                    seen.add(target)
                    todo.append(target)
        return seen

    def workbook(self) -> str:
        for rel, target in self.targets(""):
            if rel.type.endswith("/officeDocument") and target is not None:
                if rel.type.startswith("http://purl.oclc.org/"):
                    raise ValueError("Strict Open XML packages are not supported")
                return target
        found = self.find("xl/workbook.xml")
        if found is None:
            raise ValueError("no workbook part")
        return found

    def app(self) -> str | None:
        """docProps/app.xml, where the package root says it is."""
        return next((t for rel, t in self.targets("") if rel.type.endswith("/extended-properties")), None)


@dataclass
class _Types:
    """[Content_Types].xml: the text, and what it says of each part."""

    text: str
    prefix: str
    overrides: dict[str, tuple[str, tuple[int, int]]] = field(default_factory=dict)  # lower name -> (type, span)
    defaults: dict[str, str] = field(default_factory=dict)  # lower extension -> type

    @classmethod
    def read(cls, data: bytes) -> _Types:
        text = _decode(data)
        prefix = _prefix(text, CT_NS)
        types = cls(text, prefix)
        for m in _tags(text, prefix, "Override"):
            a = _attrs(m[0])
            name = unquote(a.get("PartName", "")).lstrip("/").lower()
            types.overrides[name] = (a.get("ContentType", ""), (m.start(), _end(text, m, prefix, "Override")))
        for m in _tags(text, prefix, "Default"):
            a = _attrs(m[0])
            types.defaults[a.get("Extension", "").lower()] = a.get("ContentType", "")
        return types

    def of(self, part: str) -> str | None:
        if (found := self.overrides.get(part.lower())) is not None:
            return found[0]
        return self.defaults.get(_extension(part))


def _extension(part: str) -> str:
    """What a Default content type is keyed by: _rels/.rels -> rels (splitext finds none there)."""
    name = posixpath.basename(part)
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


# --------------------------------------------------------------------------- the officer's workbook.xml


@dataclass
class _SheetEntry:
    name: str
    sheet_id: int
    rid: str
    span: tuple[int, int]


@dataclass
class _DefinedName:
    name: str
    local: int | None
    span: tuple[int, int]
    tag: re.Match[str]


class _Book:
    """What the officer's workbook.xml says about sheets, names and views, with where it says it."""

    def __init__(self, text: str):
        self.text = text
        ns = _namespaces(text)
        if STRICT_NS in ns.values():
            raise ValueError("Strict Open XML packages are not supported")
        self.p = _prefix(text, MAIN_NS)
        self.r = next((f"{k}:" for k, v in sorted(ns.items()) if v == REL_NS and k), None)
        sheets = _first(text, self.p, "sheets")
        if sheets is None:
            raise ValueError("workbook.xml has no <sheets>")
        self.sheets_tag = sheets
        self.sheets_end = _end(text, sheets, self.p, "sheets")
        self.sheets: list[_SheetEntry] = []
        for m in _tags(text, self.p, "sheet", sheets.end(), self.sheets_end):
            a = _attrs(m[0])
            here = ns | {k[6:]: v for k, v in a.items() if k.startswith("xmlns:")}
            rid = next((v for k, v in a.items() if k.endswith(":id") and here.get(k[:-3]) == REL_NS), "")
            self.sheets.append(_SheetEntry(a.get("name", ""), int(a.get("sheetId", 0)), rid,
                                           (m.start(), _end(text, m, self.p, "sheet"))))
        self.names_tag = _first(text, self.p, "definedNames", self.sheets_end)
        self.names: list[_DefinedName] = []
        if self.names_tag is not None:
            start, end = _inner(text, self.names_tag, self.p, "definedNames")
            for m in _tags(text, self.p, "definedName", start, end):
                a = _attrs(m[0])
                local = int(a["localSheetId"]) if "localSheetId" in a else None
                self.names.append(_DefinedName(a.get("name", ""), local, (m.start(), _end(text, m, self.p,
                                                                                            "definedName")), m))
        self.views = list(_tags(text, self.p, "workbookView"))

    def names_position(self) -> int:
        """Where a new <definedNames> goes: before the first later sibling, else before </workbook>."""
        later = [m.start() for name in _AFTER_DEFINED_NAMES if (m := _first(self.text, self.p, name, self.sheets_end))]
        return min(later) if later else self.text.rindex("</")


# --------------------------------------------------------------------------- styles


@dataclass
class _Items:
    """One collection of styles.xml (fonts, cellXfs ...): its tag and each child element's text."""

    tag: re.Match[str] | None
    span: tuple[int, int] | None
    items: list[str]


def _collection(text: str, prefix: str, name: str, child: str) -> _Items:
    tag = _first(text, prefix, name)
    if tag is None:
        return _Items(None, None, [])
    start, end = _inner(text, tag, prefix, name)
    items = [text[m.start():_end(text, m, prefix, child)] for m in _tags(text, prefix, child, start, end)]
    return _Items(tag, (tag.start(), _end(text, tag, prefix, name)), items)


_CHILD = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border", "cellStyleXfs": "xf",
          "cellXfs": "xf", "cellStyles": "cellStyle", "dxfs": "dxf"}


def _renumber(element: str, ids: dict[str, Callable[[int], int]]) -> str:
    """``element`` with the id attributes of its start tag mapped (fontId, numFmtId ...)."""
    tag_end = _ROOT.match(element)
    assert tag_end is not None
    tag = tag_end[0]
    for name, mapping in ids.items():
        value = _head(tag).get(name)
        if value is not None:
            tag = _with_attr(tag, name, str(mapping(int(value))))
    return tag + element[tag_end.end():]


class _StyleMerge:
    """The added package's styles appended to the officer's styles.xml (equal items reused)."""

    def __init__(self, officer: str, added: str):
        self.text = officer
        self.p = _prefix(officer, MAIN_NS)
        if _prefix(added, MAIN_NS):
            raise ValueError("the added package's styles are not XlsxWriter's")
        self.ours = {name: _collection(officer, self.p, name, child) for name, child in _CHILD.items()}
        theirs = {name: [_reprefix(i, self.p) for i in _collection(added, "", name, child).items]
                  for name, child in _CHILD.items()}
        self.new: dict[str, list[str]] = {name: [] for name in _CHILD}

        used = [int(i) for i in re.findall(r'numFmtId="(\d+)"', officer)]
        self.next_numfmt = max([_FIRST_CUSTOM_NUMFMT - 1, *used]) + 1
        self.codes = {a["formatCode"]: int(a["numFmtId"]) for a in map(_head, self.ours["numFmts"].items)
                      if "formatCode" in a and "numFmtId" in a}
        self.numfmt: dict[int, int] = {}
        # element text -> its index, the first of equal ones
        self.index = {name: {item: i for i, item in reversed(list(enumerate(c.items)))}
                      for name, c in self.ours.items()}
        for item in theirs["numFmts"]:
            a = _head(item)
            self._numfmt(int(a["numFmtId"]), a.get("formatCode", ""))

        fonts = [self._put("fonts", i) for i in theirs["fonts"]]
        fills = [i if i < 2 else self._put("fills", f) for i, f in enumerate(theirs["fills"])]  # 0, 1: fixed
        borders = [self._put("borders", i) for i in theirs["borders"]]
        common = {"numFmtId": lambda i: self.numfmt.get(i, i), "fontId": fonts.__getitem__,
                  "fillId": fills.__getitem__, "borderId": borders.__getitem__}

        named = {int(_head(s)["xfId"]): s for s in reversed(theirs["cellStyles"]) if "xfId" in _head(s)}
        style_xfs = []
        for j, xf in enumerate(theirs["cellStyleXfs"]):
            style = named.get(j)
            match = self._officer_style(style) if style is not None else None
            if j == 0 and self.ours["cellStyleXfs"].items:
                style_xfs.append(0)  # Normal: the officer's own, the font Excel sizes columns by
            elif match is not None:
                style_xfs.append(match)
            else:
                index = self._put("cellStyleXfs", _renumber(xf, common))
                style_xfs.append(index)
                if style is not None:
                    self.new["cellStyles"].append(_renumber(style, {"xfId": lambda _, i=index: i}))
        self.xf = [self._put("cellXfs", _renumber(xf, common | {"xfId": style_xfs.__getitem__}))
                   for xf in theirs["cellXfs"]]
        self.dxf = [self._put("dxfs", self._dxf(d)) for d in theirs["dxfs"]]

    def _numfmt(self, old: int, code: str) -> int:
        if old < _FIRST_CUSTOM_NUMFMT:
            return old
        if old not in self.numfmt:
            if code not in self.codes:
                self.codes[code] = self.next_numfmt
                self.new["numFmts"].append(_reprefix(f"<numFmt numFmtId=\"{self.next_numfmt}\" "
                                                     f"formatCode={_quote(code)}/>", self.p))
                self.next_numfmt += 1
            self.numfmt[old] = self.codes[code]
        return self.numfmt[old]

    def _dxf(self, dxf: str) -> str:
        """A differential format with its own number format's id mapped like the cells'."""
        def renumber(m: re.Match[str]) -> str:
            a = _attrs(m[0])
            return _with_attr(m[0], "numFmtId", str(self._numfmt(int(a["numFmtId"]), a.get("formatCode", ""))))
        return _tag_re(self.p, "numFmt").sub(renumber, dxf)

    def _officer_style(self, style: str) -> int | None:
        """The officer's cell style with the same built-in id, or the same name: its cellStyleXfs index."""
        a = _head(style)
        theirs = [_head(s) for s in self.ours["cellStyles"].items]
        for s in theirs:
            if "builtinId" in a and s.get("builtinId") == a["builtinId"] and "xfId" in s:
                return int(s["xfId"])
        for s in theirs:
            if s.get("name", "").casefold() == a.get("name", "").casefold() and "xfId" in s:
                return int(s["xfId"])
        return None

    def _put(self, collection: str, element: str) -> int:
        """Index of ``element`` in the officer's ``collection``, appended unless an equal one is there."""
        index = self.index[collection]
        if element not in index:
            index[element] = len(self.ours[collection].items) + len(self.new[collection])
            self.new[collection].append(element)
        return index[element]

    def result(self) -> str | None:
        """The officer's styles.xml with the new items, or None when nothing had to be added."""
        edits: list[tuple[int, int, str]] = []
        after = _ROOT.search(self.text).end()  # type: ignore[union-attr]
        for name in _STYLE_ORDER:
            items = self.ours.get(name)
            new = self.new.get(name, [])
            if items is not None and items.tag is not None and items.span is not None:
                if new:
                    count = len(items.items) + len(new)
                    tag = items.tag[0]
                    if tag.endswith("/>"):
                        start_tag = _with_attr(tag[:-2].rstrip() + ">", "count", str(count))
                        edits.append((items.span[0], items.span[1],
                                      start_tag + "".join(new) + f"</{self.p}{name}>"))
                    else:
                        close = self.text.rindex("<", items.tag.end(), items.span[1])
                        edits.append((items.span[0], items.tag.end(), _with_attr(tag, "count", str(count))))
                        edits.append((close, close, "".join(new)))
                after = items.span[1]
            elif new:
                edits.append((after, after, f'<{self.p}{name} count="{len(new)}">{"".join(new)}</{self.p}{name}>'))
        return _apply(self.text, edits) if edits else None


# --------------------------------------------------------------------------- the added sheets

# XlsxWriter writes a cell as <c r="A1" s="3" t="s"><v>7</v></c>: attributes in this order.
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?([^>]*?)(/?)>'
                   r"(?:<v>([0-9]+)</v>(?=</c>))?")
_ROW_STYLE = re.compile(r'(<row\b[^>]*?\ss=")([0-9]+)(")')
_COL_STYLE = re.compile(r'(<col\b[^>]*?\sstyle=")([0-9]+)(")')
_DXF_ID = re.compile(r'(\s(?:dxfId|dataDxfId|headerRowDxfId|totalsRowDxfId|headerRowBorderDxfId|tableBorderDxfId|'
                     r'totalsRowBorderDxfId)=")([0-9]+)(")')
_SHARED = re.compile(r'\st="s"')
_FORMULA = re.compile(r"<(?:\w+:)?f[\s/>]")
_SHEET_VIEW = re.compile(rf"<(?:\w+:)?sheetView(?=[\s/>]){_BODY}>")
_HEAD_END = re.compile(rb"</(?:\w+:)?sheetViews\s*>|<(?:\w+:)?sheetData[\s/>]")
_SELECTED = re.compile(rb"""\stabSelected\s*=\s*(["'])(?:1|true)\1""")
_SI = re.compile(r"<si>(.*?)</si>|<si/>", re.S)
_IDMAP = re.compile(r"""(<(?:\w+:)?idmap\b[^>]*?\sdata=")([0-9,\s]*)(")""")
_SHAPE_ID = re.compile(r"_x0000_s([0-9]+)")


def _graft_sheet(xml: str, xf: list[int], dxf: list[int], strings: list[str], selected: bool) -> str:
    """An added sheet with its styles, conditional formats and strings renumbered for the officer's book."""
    default = xf[0] if xf else 0

    def cell(m: re.Match[str]) -> str:
        ref, s, t, rest, empty, v = m.groups()
        style = xf[int(s)] if s is not None else default
        out = f'<c r="{ref}"' + (f' s="{style}"' if style or s is not None else "")
        if t == "s" and v is not None:
            return out + f' t="inlineStr"{rest}{empty}><is>{strings[int(v)]}</is>'
        return out + (f' t="{t}"' if t else "") + f"{rest}{empty}>" + (f"<v>{v}</v>" if v is not None else "")

    xml = _CELL.sub(cell, xml)
    if _SHARED.search(xml):
        raise ValueError("an added sheet has a shared-string cell not written the way XlsxWriter writes one")
    xml = _ROW_STYLE.sub(lambda m: f"{m[1]}{xf[int(m[2])]}{m[3]}", xml)
    xml = _COL_STYLE.sub(lambda m: f"{m[1]}{xf[int(m[2])]}{m[3]}", xml)
    xml = _DXF_ID.sub(lambda m: f"{m[1]}{dxf[int(m[2])]}{m[3]}", xml)
    views = list(_SHEET_VIEW.finditer(xml))
    edits = [(m.start(), m.end(), _without_attr(m[0], "tabSelected")) for m in views]
    if selected and views:
        first = _without_attr(views[0][0], "tabSelected")
        edits[0] = (views[0].start(), views[0].end(), first.replace("sheetView", 'sheetView tabSelected="1"', 1))
    return _apply(xml, edits)


def _selected(parts: dict[str, bytes], name: str) -> bool:
    """Whether a sheet's views may say ``tabSelected``: a big sheet not read yet (``Parts``) is asked by
    its head only, so a 50,000-row list nobody marked is not read to be left as it is."""
    if not isinstance(parts, Parts):
        return True
    head = parts.head(name, _HEAD_BYTES)
    end = _HEAD_END.search(head)
    return end is None or _SELECTED.search(head, 0, end.start()) is not None


_HEAD_BYTES = 65536


def _unselect(data: bytes) -> bytes:
    """An officer's sheet without ``tabSelected`` on its views; only the part before <sheetData> is read."""
    head = _HEAD_END.search(data)
    end = head.start() if head else min(len(data), _HEAD_BYTES)
    if not _SELECTED.search(data, 0, end):
        return data
    return _SELECTED.sub(b"", data[:end]) + data[end:]


def _fresh_name(name: str, taken: set[str]) -> str:
    """``name`` renumbered after the officer's parts of its kind: xl/charts/chart1.xml -> chart4.xml."""
    m = re.fullmatch(r"(.*?)([0-9]*)(\.[^./]+)", name)
    stem, ext = (m[1], m[3]) if m else (name, "")
    pattern = re.compile(re.escape(stem.lower()) + r"([0-9]*)" + re.escape(ext.lower()))
    numbers = [int(found[1] or 0) for t in taken if (found := pattern.fullmatch(t))]
    n = max(numbers, default=0) + 1
    while f"{stem}{n}{ext}".lower() in taken or rels_name(f"{stem}{n}{ext}").lower() in taken:
        n += 1
    return f"{stem}{n}{ext}"


def _relative(source: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


# --------------------------------------------------------------------------- docProps/app.xml

_HEADINGS = ("worksheets", "工作表")
_NAMED_RANGES = ("named ranges", "命名范围", "已命名范围")


def _app_groups(text: str) -> tuple[str, list[tuple[str, list[str]]], tuple[int, int], tuple[int, int]] | None:
    """(vt prefix, [(heading, titles)], span of HeadingPairs' vector, of TitlesOfParts' vector), or None
    when app.xml has no such lists or they do not agree."""
    try:
        p, vt = _prefix(text, APP_NS), _prefix(text, VT_NS)
    except ValueError:
        return None
    pairs, titles = _first(text, p, "HeadingPairs"), _first(text, p, "TitlesOfParts")
    if pairs is None or titles is None:
        return None
    spans = []
    for outer, name in ((pairs, "HeadingPairs"), (titles, "TitlesOfParts")):
        vector = _first(text, vt, "vector", *_inner(text, outer, p, name))
        if vector is None:
            return None
        spans.append((vector.start(), _end(text, vector, vt, "vector")))
    values = re.compile(rf"<{re.escape(vt)}(lpstr|lpwstr|bstr|i4|i2|i8|int|ui4)>([^<]*)</{re.escape(vt)}\1>")
    heading = [(k, unescape(v)) for k, v in values.findall(text, *spans[0])]
    names = [unescape(v) for _, v in values.findall(text, *spans[1])]
    if len(heading) % 2 or any(k[0] == "i" for k, _ in heading[::2]) or any(not v.isdigit() for _, v in heading[1::2]):
        return None
    groups, pos = [], 0
    for (_, label), (_, count) in zip(heading[::2], heading[1::2], strict=True):
        groups.append((label, names[pos:pos + int(count)]))
        pos += int(count)
    return (vt, groups, spans[0], spans[1]) if pos == len(names) else None


def _app_vectors(vt: str, groups: list[tuple[str, list[str]]]) -> tuple[str, str]:
    groups = [(label, titles) for label, titles in groups if titles]
    pairs = "".join(f"<{vt}variant><{vt}lpstr>{xml_text(label).decode()}</{vt}lpstr></{vt}variant>"
                    f"<{vt}variant><{vt}i4>{len(titles)}</{vt}i4></{vt}variant>" for label, titles in groups)
    names = [t for _, titles in groups for t in titles]
    return (f'<{vt}vector size="{2 * len(groups)}" baseType="variant">{pairs}</{vt}vector>',
            f'<{vt}vector size="{len(names)}" baseType="lpstr">'
            + "".join(f"<{vt}lpstr>{xml_text(n).decode()}</{vt}lpstr>" for n in names) + f"</{vt}vector>")


def _names_sheet(title: str, sheets: Collection[str]) -> bool:
    """A TitlesOfParts entry of a name scoped to or on one of ``sheets`` (核查结果!Print_Titles)."""
    return any(title.startswith((f"{s}!", f"'{s}'!")) for s in sheets)


def _update_app(text: str, book_sheets: list[str], removed: list[str], added_sheets: list[str],
                added_groups: list[tuple[str, list[str]]]) -> str | None:
    parsed = _app_groups(text)
    if parsed is None:
        return None
    vt, groups, pairs_span, titles_span = parsed
    gone = {s.casefold() for s in removed}
    groups = [(label, [t for t in titles if t.casefold() not in gone and not _names_sheet(t, removed)])
              for label, titles in groups]
    known = {s.casefold() for s in book_sheets}
    sheet_group = next((i for i, (label, _) in enumerate(groups) if label.casefold() in _HEADINGS), None)
    if sheet_group is None:
        sheet_group = next((i for i, (_, titles) in enumerate(groups) if any(t.casefold() in known for t in titles)),
                           None)
    for label, titles in added_groups:
        if label.casefold() in _HEADINGS:
            if sheet_group is None:
                groups.insert(0, (label, []))
                sheet_group = 0
            groups[sheet_group] = (groups[sheet_group][0], [*added_sheets, *groups[sheet_group][1]])
            continue
        target = next((i for i, (lab, _) in enumerate(groups) if lab.casefold() == label.casefold()), None)
        if target is None and label.casefold() in _NAMED_RANGES:
            target = next((i for i, (lab, t) in enumerate(groups) if i != sheet_group and t
                           and all("!" in x for x in t)), None)
        if target is None:
            groups.append((label, list(titles)))
        else:
            groups[target] = (groups[target][0], [*groups[target][1], *titles])
    pairs, titles = _app_vectors(vt, groups)
    return _apply(text, [(*pairs_span, pairs), (*titles_span, titles)])


# --------------------------------------------------------------------------- the graft



def add_sheets(parts: dict[str, bytes], added: Mapping[str, bytes], *,
               remove: Collection[str] = ()) -> dict[str, bytes]:
    """The officer's package ``parts`` without the sheets titled ``remove`` and with every worksheet of
    the package ``added`` (the parts of xlsxwriter's output) in front, the first of them active.

    Returns a new dict; parts that do not change are the same objects.  Raises ValueError for a
    package this cannot graft onto (Strict Open XML, no <sheets>), for an ``added`` package relating
    more than worksheets, styles, theme and shared strings to its workbook, or when an added sheet's
    name or global defined name is already in the workbook.
    """
    out = parts.copy()  # a package's Parts: its unread big parts stay unread
    pkg = _Package(out)
    book_part = pkg.workbook()
    book_rels_part = pkg.find(rels_name(book_part)) or rels_name(book_part)
    book = _Book(_decode(out[book_part]))
    book_rels = _relationships(_decode(out[book_rels_part])) if book_rels_part in out else []
    sheet_part = {r.id: pkg.find(pkg.resolve(book_part, r)) for r in book_rels}
    types = _Types.read(out[CONTENT_TYPES])

    gone = {n.casefold() for n in remove}
    removed = [s for s in book.sheets if s.name.casefold() in gone]
    kept = [s for s in book.sheets if s.name.casefold() not in gone]
    removed_rids = {s.rid for s in removed}
    starts = {t for s in removed if (t := sheet_part.get(s.rid)) is not None}
    drop = (starts | pkg.reachable(starts)) - pkg.reachable(
        [""], skip=lambda p, r: p == book_part and r.id in removed_rids) if removed else set()
    formulas = any(_FORMULA.search(_decode(out[t])) for t in starts if t in out)

    theirs = dict(added)
    apkg = _Package(theirs)
    abook_part = apkg.workbook()
    abook = _Book(_decode(theirs[abook_part]))
    arels = {r.id: r for r in apkg.rels(abook_part)}
    atypes = _Types.read(theirs[CONTENT_TYPES])
    for r in arels.values():
        if r.type not in _WORKBOOK_LEVEL:
            raise ValueError(f"the added package relates a part evaltool cannot graft: {r.type}")
    names = {s.name.casefold() for s in kept}
    grafted = [(s, p) for s in abook.sheets if (p := apkg.find(apkg.resolve(abook_part, arels[s.rid]))) in theirs]
    for s, _ in grafted:
        if s.name.casefold() in names:
            raise ValueError(f"sheet {s.name!r} is already in the workbook")
    formulas = formulas or any(_FORMULA.search(_decode(theirs[p])) for _, p in grafted)
    calc_chain = next((r for r in book_rels if r.type.endswith("/calcChain")), None)
    if calc_chain is not None and formulas:  # its entries name cells by sheet id: let Excel rebuild it
        drop |= {t for t in [pkg.find(pkg.resolve(book_part, calc_chain))] if t is not None}
        removed_rids.add(calc_chain.id)
    drop |= {rels for name in drop if (rels := pkg.find(rels_name(name))) is not None}  # LibreOffice types them
    for name in drop:
        del out[name]

    # -- styles and strings
    def related(package: _Package, part: str, rels: Iterator[_Rel], kind: str) -> str | None:
        rel = next((r for r in rels if r.type == _DOC + kind), None)
        return package.find(package.resolve(part, rel)) if rel is not None else None

    new_parts: dict[str, bytes] = {}
    new_rels: list[tuple[str, str]] = []  # (type, part) related from the workbook
    styles_part = related(pkg, book_part, iter(book_rels), "styles")
    astyles_part = related(apkg, abook_part, iter(arels.values()), "styles")
    xf_map: list[int] = []
    dxf_map: list[int] = []
    if astyles_part is not None and styles_part is not None and styles_part in out:
        merge = _StyleMerge(_decode(out[styles_part]), _decode(theirs[astyles_part]))
        xf_map, dxf_map = merge.xf, merge.dxf
        if (styles := merge.result()) is not None:
            out[styles_part] = _encode(styles, out[styles_part])
    elif astyles_part is not None:  # a package without styles: ours become its styles
        merge = _StyleMerge(_decode(theirs[astyles_part]), _decode(theirs[astyles_part]))
        xf_map, dxf_map = merge.xf, merge.dxf
        name = "xl/styles.xml" if pkg.find("xl/styles.xml") is None else _fresh_name("xl/styles.xml", set(pkg.lower))
        new_parts[name] = theirs[astyles_part]
        new_rels.append((_DOC + "styles", name))
    sst = related(apkg, abook_part, iter(arels.values()), "sharedStrings")
    strings = [m[1] or "" for m in _SI.finditer(_decode(theirs[sst]))] if sst else []

    # -- the added sheets and every part they reach, renamed after the officer's parts
    taken = {n.lower() for n in out} | {n.lower() for n in new_parts}
    rename: dict[str, str] = {}
    for _, sheet in grafted:
        for part in [sheet, *sorted(apkg.reachable([sheet]) - {sheet})]:
            if part not in rename and part in theirs:
                rename[part] = _fresh_name(part, taken)
                taken |= {rename[part].lower(), rels_name(rename[part]).lower()}
    vml_block = _vml_blocks_used(out, types)
    table_ids, table_names = _tables_used(out, types)
    sheets = [p for _, p in grafted]
    for old, new in rename.items():
        data, kind = theirs[old], atypes.of(old) or ""
        if old in sheets:
            data = _graft_sheet(_decode(data), xf_map, dxf_map, strings, selected=old == sheets[0]).encode()
        elif kind.endswith("vmlDrawing"):
            data, vml_block = _move_vml(_decode(data), vml_block)
        elif kind == TABLE_TYPE:
            data = _move_table(_decode(data), table_ids, table_names, dxf_map).encode()
        new_parts[new] = data
        if (rels := apkg.find(rels_name(old))) is not None:
            new_parts[rels_name(new)] = _move_rels(_decode(theirs[rels]), old, new, rename).encode()
    new_rels += [(_DOC + "worksheet", rename[p]) for p in sheets]

    # -- workbook.xml, its relationships, content types, app.xml
    rids = _fresh_ids({r.id for r in book_rels} - removed_rids, len(new_rels))
    out[book_rels_part] = _edit_book_rels(out.get(book_rels_part), book_part, removed_rids, new_rels, rids)
    first_id = max((s.sheet_id for s in book.sheets), default=0) + 1  # never a removed sheet's id: calcChain
    sheet_rids = rids[len(rids) - len(grafted):]  # the worksheets' relationships come last
    entries = [(s, sheet_rids[i], first_id + i) for i, (s, _) in enumerate(grafted)]
    out[book_part] = _encode(_edit_book(book, abook, removed, kept, entries), out[book_part])
    if grafted:
        for s in kept:  # only our first sheet is selected, or Excel opens with the tabs grouped
            if (target := sheet_part.get(s.rid)) in out and _selected(out, target):
                out[target] = _unselect(out[target])  # type: ignore[index]
    out[CONTENT_TYPES] = _encode(_edit_types(types, drop, new_parts, atypes, rename), out[CONTENT_TYPES])
    app_part, added_app = pkg.app(), apkg.app()
    if app_part is not None and app_part in out:
        groups = _app_groups(_decode(theirs[added_app])) if added_app else None
        app = _update_app(_decode(out[app_part]), [s.name for s in book.sheets], [s.name for s in removed],
                          [s.name for s, _ in grafted], groups[1] if groups else [])
        if app is not None:
            out[app_part] = _encode(app, out[app_part])
    out.update(new_parts)
    return out


def _fresh_ids(existing: set[str], count: int) -> list[str]:
    out, n = [], 1
    while len(out) < count:
        if f"rId{n}" not in existing:
            out.append(f"rId{n}")
        n += 1
    return out


def _edit_book_rels(data: bytes | None, book_part: str, removed: set[str], new: list[tuple[str, str]],
                    ids: list[str]) -> bytes:
    if data is None:
        data = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}">' \
               "</Relationships>".encode()
    text = _decode(data)
    prefix = _prefix(text, PKG_REL_NS)
    edits = [(r.span[0], r.span[1], "") for r in _relationships(text) if r.id in removed]
    added = "".join(f'<{prefix}Relationship Id="{rid}" Type="{kind}" Target={_quote(_relative(book_part, target))}/>'
                    for rid, (kind, target) in zip(ids, new, strict=True))
    close = text.rindex("</")
    edits.append((close, close, added))
    return _encode(_apply(text, edits), data)


def _edit_book(book: _Book, abook: _Book, removed: list[_SheetEntry], kept: list[_SheetEntry],
               entries: list[tuple[_SheetEntry, str, int]]) -> str:
    """The officer's workbook.xml: removed sheets out, ours in front (XlsxWriter's <sheet> elements with
    new ids), defined names scoped to the right positions, the views opening on our first sheet."""
    text, p = book.text, book.p
    if entries and book.sheets_tag[0].endswith("/>"):
        raise ValueError("workbook.xml has no sheets")
    edits: list[tuple[int, int, str]] = [(s.span[0], s.span[1], "") for s in removed]
    theirs = abook.r or "r:"
    ours = book.r or "r:"
    declare = "" if book.r else f' xmlns:r="{REL_NS}"'
    sheets = []
    for s, rid, sheet_id in entries:
        element = _with_attr(_with_attr(abook.text[s.span[0]:s.span[1]], "sheetId", str(sheet_id)), f"{theirs}id", rid)
        sheets.append(_reprefix(element, p).replace(f" {theirs}id=", f"{declare} {ours}id=", 1))
    edits.append((book.sheets_tag.end(), book.sheets_tag.end(), "".join(sheets)))

    # Positions: the officer's sheets move behind ours; names scoped to a removed sheet go with it.
    index = {id(s): i for i, s in enumerate(book.sheets)}
    position = {index[id(s)]: i + len(sheets) for i, s in enumerate(kept)}
    gone = {index[id(s)] for s in removed}
    for name in book.names:
        if name.local is None or not (name.local in gone or name.local in position):
            continue  # global, or a broken scope left as it is
        if name.local in gone:
            edits.append((name.span[0], name.span[1], ""))
        elif position[name.local] != name.local:
            edits.append((name.tag.start(), name.tag.end(),
                          _with_attr(name.tag[0], "localSheetId", str(position[name.local]))))
    officer_globals = {n.name.casefold() for n in book.names if n.local is None}
    for n in abook.names:
        if n.local is None and n.name.casefold() in officer_globals:
            raise ValueError(f"defined name {n.name!r} is already in the workbook")
    if abook.names and entries:
        fragment = _reprefix("".join(abook.text[n.span[0]:n.span[1]] for n in abook.names), p)
        if book.names_tag is None:
            at = book.names_position()
            edits.append((at, at, f"<{p}definedNames>{fragment}</{p}definedNames>"))
        elif book.names_tag[0].endswith("/>"):
            edits.append((book.names_tag.start(), book.names_tag.end(),
                          f"{book.names_tag[0][:-2].rstrip()}>{fragment}</{p}definedNames>"))
        else:
            edits.append((book.names_tag.end(), book.names_tag.end(), fragment))

    # The copy opens on our first sheet; with nothing added, the active tab follows its sheet.
    visible = [position[index[id(s)]] for s in kept
               if _attrs(text[s.span[0]:s.span[1]]).get("state", "visible") == "visible"]

    def moved(old: int) -> int:
        if sheets:
            return 0
        return position.get(old, visible[0] if visible else 0)

    for view in book.views:
        tag, a = view[0], _attrs(view[0])
        for attr in ("activeTab", "firstSheet"):
            if attr in a and int(a[attr]) != moved(int(a[attr])):
                tag = _with_attr(tag, attr, str(moved(int(a[attr]))))
        if tag != view[0]:
            edits.append((view.start(), view.end(), tag))
    return _apply(text, edits)


def _edit_types(types: _Types, drop: set[str], new_parts: dict[str, bytes], atypes: _Types,
                rename: dict[str, str]) -> str:
    """[Content_Types].xml without the dropped parts, with the new ones (a Default for an extension the
    officer has none for and XlsxWriter declares by extension, such as vml and png)."""
    text, p = types.text, types.prefix
    dropped = {d.lower() for d in drop}
    edits = [(span[0], span[1], "") for name, (_, span) in types.overrides.items() if name in dropped]
    source = {new: old for old, new in rename.items()}
    defaults: dict[str, str] = {}
    overrides = []
    for part in new_parts:
        kind = atypes.of(source.get(part, part))
        ext = _extension(part)
        if kind is None or types.defaults.get(ext) == kind or defaults.get(ext) == kind:
            continue
        if ext not in types.defaults and ext not in defaults and atypes.defaults.get(ext) == kind:
            defaults[ext] = kind
        else:
            overrides.append(f'<{p}Override PartName={_quote("/" + part)} ContentType={_quote(kind)}/>')
    if defaults:
        first = _first(text, p, "Override")
        at = first.start() if first else text.rindex("</")
        edits.append((at, at, "".join(f'<{p}Default Extension={_quote(e)} ContentType={_quote(k)}/>'
                                      for e, k in defaults.items())))
    close = text.rindex("</")
    edits.append((close, close, "".join(overrides)))
    return _apply(text, edits)


def _move_rels(text: str, old: str, new: str, rename: dict[str, str]) -> str:
    """An added part's relationships pointing at the added parts' new names."""
    edits = []
    for rel in _relationships(text):
        target = _Package.resolve(old, rel)
        if target is not None and target in rename:
            tag = _with_attr(rel.tag, "Target", _relative(new, rename[target]))
            edits.append((rel.span[0], rel.span[0] + len(rel.tag), tag))
    return _apply(text, edits)


def _vml_blocks_used(parts: dict[str, bytes], types: _Types) -> int:
    """The highest VML shape-id block any officer VML part uses (comments' shapes share one id space)."""
    top = 0
    for name in parts:  # by name first: a big worksheet is not read to be passed over
        if name.lower().endswith(".vml") or (types.of(name) or "").endswith("vmlDrawing"):
            text = parts[name].decode("utf-8", "replace")
            for m in _IDMAP.finditer(text):
                top = max([top, *(int(x) for x in re.findall(r"[0-9]+", m[2]))])
            top = max([top, *(int(x) // _VML_BLOCK for x in _SHAPE_ID.findall(text))])
    return top


def _move_vml(text: str, top: int) -> tuple[bytes, int]:
    """An added VML drawing moved to the blocks after ``top``; returns it and the new highest block."""
    blocks = sorted({int(x) for m in _IDMAP.finditer(text) for x in re.findall(r"[0-9]+", m[2])}
                    | {int(x) // _VML_BLOCK for x in _SHAPE_ID.findall(text)})
    moved = {b: top + 1 + i for i, b in enumerate(blocks)}
    text = _IDMAP.sub(lambda m: m[1] + ",".join(str(moved[int(x)]) for x in re.findall(r"[0-9]+", m[2])) + m[3], text)
    text = _SHAPE_ID.sub(lambda m: f"_x0000_s{moved[int(m[1]) // _VML_BLOCK] * _VML_BLOCK + int(m[1]) % _VML_BLOCK}",
                         text)
    return text.encode("utf-8"), max([top, *moved.values()])


def _tables_used(parts: dict[str, bytes], types: _Types) -> tuple[set[int], set[str]]:
    ids, names = set(), set()
    for name in parts:
        if types.of(name) == TABLE_TYPE:
            root = _ROOT.search(_decode(parts[name]))
            if root is not None:
                a = _attrs(root[0])
                ids.add(int(a.get("id", 0)))
                names |= {a.get("name", "").casefold(), a.get("displayName", "").casefold()}
    return ids, names


def _move_table(text: str, ids: set[int], names: set[str], dxf: list[int]) -> str:
    """An added table with an id and a name no officer table has; its formats' dxf ids mapped."""
    root = _ROOT.search(text)
    assert root is not None
    a = _attrs(root[0])
    tag = _with_attr(root[0], "id", str(max(ids | {0}) + 1))
    ids.add(max(ids | {0}) + 1)
    name = a.get("displayName", a.get("name", "Table"))
    if name.casefold() in names:
        n = 2
        while f"{name}_{n}".casefold() in names:
            n += 1
        name = f"{name}_{n}"
        tag = _with_attr(_with_attr(tag, "name", name), "displayName", name)
    names.add(name.casefold())
    text = text[:root.start()] + tag + text[root.end():]
    return _DXF_ID.sub(lambda m: f"{m[1]}{dxf[int(m[2])]}{m[3]}", text)
