"""Cached results of formula cells, read from the sheet XML.

openpyxl gives either formulas or cached values per load, never both.  The
checked copy must keep the formulas, so the reader loads formulas and takes
the cached results from here: one pass over the XML of the sheets that hold
formulas, instead of a second full openpyxl load.
"""

from __future__ import annotations

import posixpath
import zipfile

from defusedxml import ElementTree

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# The value a formula cell has when the file was written without results.
NO_CACHE = object()


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name inside the package."""
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    parts = {}
    for s in book.iter(f"{_NS}sheet"):
        target = targets.get(s.get(f"{_REL_NS}id"), "")
        parts[s.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target)
        )
    return parts


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    try:
        data = z.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    root = ElementTree.fromstring(data)
    return ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]


def cached_values(path: str, sheets: set[str]) -> dict[tuple[str, str], tuple[object, bool]]:
    """(sheet, coord) -> (cached value, is_error) for every formula cell of ``sheets``.

    A formula cell saved without a result maps to ``(NO_CACHE, False)``.
    """
    out: dict[tuple[str, str], tuple[object, bool]] = {}
    with zipfile.ZipFile(path) as z:
        parts = _sheet_parts(z)
        strings: list[str] | None = None
        for name in sheets:
            part = parts.get(name)
            if part is None:
                continue
            with z.open(part) as fh:
                for _, el in ElementTree.iterparse(fh, events=("end",)):
                    if el.tag != f"{_NS}c":
                        continue
                    if el.find(f"{_NS}f") is not None:
                        v = el.find(f"{_NS}v")
                        kind = el.get("t", "n")
                        text = v.text if v is not None else None
                        if text is None:
                            value, is_error = NO_CACHE, False
                        elif kind == "s":
                            if strings is None:
                                strings = _shared_strings(z)
                            idx = int(text)
                            value, is_error = (strings[idx] if idx < len(strings) else ""), False
                        elif kind == "e":
                            value, is_error = text, True
                        elif kind == "b":
                            value, is_error = text == "1", False
                        elif kind in ("str", "inlineStr"):
                            value, is_error = text, False
                        else:
                            try:
                                value, is_error = float(text), False
                            except ValueError:
                                value, is_error = text, False
                        out[(name, el.get("r", ""))] = (value, is_error)
                    el.clear()
    return out
