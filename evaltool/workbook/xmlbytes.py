"""Targeted edits of XML held as bytes: find an element, set an attribute, insert a child in schema order.

The checked copy changes a few elements of the officer's parts and must leave every other byte as it
was: a parse and re-serialisation would rename namespace prefixes, reorder attributes and drop what
the serialiser does not know (``mc:Ignorable`` content, processing instructions).  These helpers work
on the bytes with patterns that hold for the XML Excel, WPS, LibreOffice and openpyxl write: elements
of the part's main namespace, with or without a prefix, attribute values quoted with ' or ".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)\b([^>]*)>")
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#\d+|lt|gt|amp|quot|apos);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# Characters XML 1.0 cannot hold at all (a workbook's text may: Excel writes them as _x0001_).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Our own escaping: xml.sax.saxutils would pull urllib.request (and http, email) onto the check path.
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                               "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def utf8(data: bytes) -> bytes:
    """``data`` as UTF-8: a part saved as UTF-16 (allowed, rare) is transcoded before it is edited."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        return re.sub(r"""(<\?xml[^>]*encoding=)(["'])[\w-]+\2""", r'\1"UTF-8"', text, count=1).encode("utf-8")
    return data.removeprefix(b"\xef\xbb\xbf")


def root_prefix(data: bytes, namespace: str) -> bytes:
    """The prefix (b"" or b"x:") the part's root element gives ``namespace``; b"" when undeclared."""
    m = _ROOT.match(data, _PROLOG.match(data).end())
    if m is None:
        return b""
    found = re.search(rb"""\sxmlns(?::([\w.-]+))?\s*=\s*["']""" + re.escape(namespace.encode()) + rb"""["']""", m[3])
    return (found[1] + b":") if found and found[1] else b""


def declares(data: bytes, prefix: str, namespace: str) -> bool:
    """Whether the root element binds ``prefix`` to ``namespace`` (so a child may use it undeclared)."""
    m = _ROOT.match(data, _PROLOG.match(data).end())
    pattern = rb"""\sxmlns:""" + re.escape(prefix.encode()) + rb"""\s*=\s*["']""" + re.escape(namespace.encode())
    return m is not None and re.search(pattern + rb"""["']""", m[3]) is not None


def element(prefix: bytes, name: str) -> re.Pattern[bytes]:
    """One ``name`` element, empty or with content (elements of that name must not nest)."""
    tag = re.escape(prefix) + name.encode()
    return re.compile(rb"<" + tag + rb"(?=[\s/>])([^>]*?)(?:/>|>(.*?)</" + tag + rb"\s*>)", re.S)


_ATTR = re.compile(rb"""\s([\w.:-]+)\s*=\s*("[^"]*"|'[^']*')""")


def attrs(tag: bytes) -> dict[str, str]:
    """The attributes of a start tag (or of its attribute text), unescaped."""
    return {m[1].decode(): unescape(m[2][1:-1].decode("utf-8")) for m in _ATTR.finditer(tag)}


def set_attr(tag: bytes, name: str, value: str | None) -> bytes:
    """The start tag ``tag`` (``<c r="A1" s="3">`` or its attribute text) with ``name`` set, or removed
    when ``value`` is None; a new attribute goes last."""
    pattern = re.compile(rb"""\s""" + re.escape(name.encode()) + rb"""\s*=\s*("[^"]*"|'[^']*')""")
    new = b"" if value is None else b" " + name.encode() + b"=" + attr_value(value)
    if pattern.search(tag):
        return pattern.sub(lambda _: new, tag, count=1)
    if value is None:
        return tag
    end = len(tag) - (2 if tag.endswith(b"/>") else 1 if tag.endswith(b">") else 0)
    while end > 0 and tag[end - 1:end].isspace():
        end -= 1
    return tag[:end] + new + tag[end:]


def text(value: str) -> bytes:
    """Character data: escaped, without the characters XML cannot hold."""
    return _ILLEGAL.sub("", value).translate(_TEXT_ESCAPES).encode("utf-8")


def attr_value(value: str) -> bytes:
    """A quoted attribute value."""
    return b'"' + _ILLEGAL.sub("", value).translate(_ATTR_ESCAPES).encode("utf-8") + b'"'


def unescape(value: str) -> str:
    """``value`` with its entity and character references resolved; a reference to no character (0, a
    surrogate, beyond U+10FFFF: a damaged part) reads as U+FFFD, as ``html.unescape`` reads it."""
    def one(m: re.Match[str]) -> str:
        name = m[1]
        if not name.startswith("#"):
            return _ENTITIES[name]
        code = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ENTITY.sub(one, value)


_TAG = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<(/?)([\w.:-]+)[^>]*?(/?)>", re.S)


def children(data: bytes, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """(local name, start, end) of each child element of the element whose content is ``data[start:end]``."""
    depth = 0
    begin = 0
    for m in _TAG.finditer(data, start, end):
        if m[2] is None:
            continue
        if m[1]:
            depth -= 1
            if depth == 0:
                yield m[2].decode().rsplit(":", 1)[-1], begin, m.end()
        elif m[3]:
            if depth == 0:
                yield m[2].decode().rsplit(":", 1)[-1], m.start(), m.end()
        else:
            if depth == 0:
                begin = m.start()
            depth += 1


def root_content(data: bytes) -> tuple[int, int]:
    """(start, end) of the root element's content: after its start tag, before its end tag."""
    m = _ROOT.match(data, _PROLOG.match(data).end())
    if m is None or m[0].endswith(b"/>"):
        raise ValueError("no root element with content")
    close = data.rindex(b"</")
    return m.end(), close


def insert_child(data: bytes, new: bytes, later: tuple[str, ...], *, start: int | None = None) -> bytes:
    """``new`` put into the root element before its first child named in ``later`` (the elements the
    schema puts after it), or last; ``start``: where to begin looking (past a large ``sheetData``)."""
    begin, end = root_content(data)
    for name, at, _ in children(data, begin if start is None else start, end):
        if name in later:
            return data[:at] + new + data[at:]
    return data[:end] + new + data[end:]
