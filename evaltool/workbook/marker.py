"""The marker that makes a checked copy recognisable: custom document properties in ``docProps/custom.xml``.

Excel, WPS and LibreOffice keep custom properties through a re-save (File ▸ Properties ▸ Custom),
which a cell style index or an XML comment would not survive.  The marker is JSON, cut into text
properties of at most 255 characters (Excel's limit for a text property): ``evaltool`` holds the
head (tool, version, how many pieces), ``evaltool.1`` ... ``evaltool.N`` the pieces.  The officer's
own custom properties are kept; an earlier marker of ours is replaced.
"""

from __future__ import annotations

import json
import re
import zipfile

from evaltool.workbook import xmlbytes as X
from evaltool.workbook.package import add_relationship, as_zip, set_override
from evaltool.workbook.xlsxcache import relationships

NAME = "evaltool"
PIECE = 255  # characters in one text property
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id every custom property carries
_OURS = re.compile(rf"{NAME}(\.\d+)?")


def _part(z: zipfile.ZipFile) -> str | None:
    """The custom properties part the package relates to, if any."""
    # relationships(.., "") reads _rels/.rels, the package's own relationships.
    found = next((t for kind, t in relationships(z, "").values() if kind == "custom-properties"), None)
    return found if found in z.namelist() else None


# A marked cell's earlier <fill> and <border> XML: stored once in the marker's "looks" and named by their
# index in each cell (a few hundred bytes a cell otherwise: 20 MB of properties for 50,000 marks).
_LOOKS = ("fill", "border")


def write_marker(parts: dict[str, bytes], marker: dict) -> None:
    """Put ``marker`` (JSON-able) into ``parts`` as custom properties, replacing an earlier one of ours."""
    looks: dict[str, int] = {}
    cells = [{k: looks.setdefault(v, len(looks)) if k in _LOOKS and isinstance(v, str) else v for k, v in c.items()}
             for c in marker.get("cells", ())]
    if looks:
        marker = {**marker, "cells": cells, "looks": list(looks)}
    text = json.dumps(marker, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    pieces = [text[i:i + PIECE] for i in range(0, len(text), PIECE)] or [""]
    head = json.dumps({"tool": NAME, "version": marker.get("version"), "pieces": len(pieces)},
                      ensure_ascii=False, separators=(",", ":"))
    part = _part(as_zip(parts))
    if part is None:
        part = "docProps/custom.xml"
        parts[part] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="%s" '
                       b'xmlns:vt="%s"></Properties>' % (CUSTOM_NS.encode(), VT_NS.encode()))
        add_relationship(parts, "", CUSTOM_REL, part)
        set_override(parts, part, CUSTOM_TYPE)
    data = X.utf8(parts[part])
    p = X.root_prefix(data, CUSTOM_NS)
    prop = X.element(p, "property")
    data = prop.sub(lambda m: b"" if _OURS.fullmatch(X.attrs(m[1]).get("name", "")) else m[0], data)
    pids = [int(X.attrs(m[1]).get("pid", 1) or 1) for m in prop.finditer(data)]
    vt = b"vt:" if X.declares(data, "vt", VT_NS) else b""
    vt_decl = b"" if vt else b' xmlns="%s"' % VT_NS.encode()
    new = []
    for i, (name, value) in enumerate([(NAME, head), *((f"{NAME}.{n}", s) for n, s in enumerate(pieces, 1))]):
        new.append(b'<%sproperty fmtid="%s" pid="%d" name=%s><%slpwstr%s>%s</%slpwstr></%sproperty>' % (
            p, _FMTID.encode(), max([1, *pids]) + 1 + i, X.attr_value(name), vt, vt_decl, X.text(value), vt, p))
    parts[part] = X.insert_child(data, b"".join(new), ())


def read_marker(parts: dict[str, bytes]) -> dict | None:
    """The marker an earlier check put into the package (``write_marker``), or None for an original."""
    return marker_in(as_zip(parts))


def marker_in(z: zipfile.ZipFile) -> dict | None:
    """``read_marker`` of a package open as a zip (the reader's): None for an original, or for a marker
    (or package relationships) a re-save cut short or damaged: a marker is a hint, never a reason to
    refuse a file whose cells can be read."""
    from defusedxml import DefusedXmlException, ElementTree

    try:
        part = _part(z)
        root = ElementTree.fromstring(z.read(part)) if part is not None else None
    except (SyntaxError, ValueError, KeyError, DefusedXmlException, zipfile.BadZipFile, EOFError, OSError):
        return None  # ParseError is a SyntaxError
    if root is None:
        return None
    values: dict[str, str] = {}
    for el in root:
        name = el.get("name", "")
        if _OURS.fullmatch(name):
            values[name] = "".join(child.text or "" for child in el)
    try:
        head = json.loads(values[NAME])
        marker = json.loads("".join(values[f"{NAME}.{n}"] for n in range(1, int(head["pieces"]) + 1)))
    except (KeyError, ValueError, TypeError):
        return None  # not ours, or cut by a program that shortened the properties
    return _with_looks(marker) if isinstance(marker, dict) else None


def _with_looks(marker: dict) -> dict:
    """The marker with each cell's fill and border as XML again (an index into "looks"; a marker written
    before the table held the XML itself)."""
    looks = marker.pop("looks", None)
    if not isinstance(looks, list):
        return marker
    for cell in marker.get("cells", ()):
        for key in _LOOKS:
            i = cell.get(key) if isinstance(cell, dict) else None
            if isinstance(i, int) and not isinstance(i, bool):
                cell[key] = looks[i] if 0 <= i < len(looks) and isinstance(looks[i], str) else ""
    return marker
