"""Read the package directly: where the workbook part is, and the cached results of formulas.

openpyxl gives either formulas or cached values per load, never both.  The
checked copy must keep the formulas, so the reader loads formulas and takes
the cached results from here: one streaming pass over the sheet XML, instead
of a second full openpyxl load.  All XML goes through defusedxml.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from defusedxml import ElementTree

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

# Main-part content types openpyxl reads, as it looks for them (templates first).
WORKBOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
BINARY_WORKBOOK = "application/vnd.ms-excel.sheet.binary.macroEnabled.main"
_STRICT_NS = b"purl.oclc.org/ooxml/spreadsheetml/main"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")  # a formula element, with or without a namespace prefix

# The value a formula cell has when the file was written without results.
NO_CACHE = object()


def content_types(z: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """(part name -> content type overrides, extension -> default content type) of the package."""
    root = ElementTree.fromstring(z.read("[Content_Types].xml"))
    overrides = {o.get("PartName", "").lstrip("/"): o.get("ContentType", "") for o in root.iter(f"{_CT_NS}Override")}
    defaults = {d.get("Extension", "").lower(): d.get("ContentType", "") for d in root.iter(f"{_CT_NS}Default")}
    return overrides, defaults


def main_part(z: zipfile.ZipFile) -> tuple[str, str] | None:
    """(part name, content type) of the workbook part, found as openpyxl finds it; None if none."""
    try:
        overrides, defaults = content_types(z)
    except KeyError:
        return None
    for wanted in (*WORKBOOK_TYPES, BINARY_WORKBOOK):
        part = next((p for p, ct in overrides.items() if ct == wanted), None)
        if part is not None:
            return part, wanted
        if wanted in defaults.values():
            return "xl/workbook.xml", wanted
    return None


def strict_namespace(z: zipfile.ZipFile, part: str) -> bool:
    """True for a workbook saved as "Strict Open XML", whose namespaces openpyxl does not know."""
    with z.open(part) as fh:
        return _STRICT_NS in fh.read(4096)


def rels_of(part: str) -> str:
    """The relationships part of ``part``: xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def relationships(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type's last segment, target part name) of the internal relationships of ``part``."""
    try:
        root = ElementTree.fromstring(z.read(rels_of(part)))
    except KeyError:
        return {}
    out = {}
    for r in root.iter(f"{_PKG_REL}Relationship"):
        if r.get("TargetMode") == "External":
            continue
        target = r.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(part), target))
        out[r.get("Id", "")] = (r.get("Type", "").rsplit("/", 1)[-1], target)
    return out


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> part name inside the package."""
    found = main_part(z)
    book_part = found[0] if found else "xl/workbook.xml"
    targets = relationships(z, book_part)
    book = ElementTree.fromstring(z.read(book_part))
    return {s.get("name"): targets.get(s.get(f"{_REL_NS}id"), ("", ""))[1] for s in book.iter(f"{_NS}sheet")}


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    overrides, _ = content_types(z)
    part = next((p for p, ct in overrides.items() if ct.endswith(".sharedStrings+xml")), "xl/sharedStrings.xml")
    try:
        data = z.read(part)
    except KeyError:
        return []
    root = ElementTree.fromstring(data)
    return ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]


def cached_values(path: str) -> dict[tuple[str, str], tuple[object, bool]]:
    """(sheet, coord) -> (cached value, is_error) for every formula cell of the workbook.

    A formula cell saved without a result maps to ``(NO_CACHE, False)``.  Raises the
    zipfile/defusedxml/ValueError exceptions of a damaged package; the caller reports them.
    """
    out: dict[tuple[str, str], tuple[object, bool]] = {}
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        strings: list[str] | None = None
        for name, part in sheet_parts(z).items():
            if part not in names:
                continue
            data = z.read(part)
            if not _FORMULA.search(data):  # most sheets hold no formula: skip the XML parse
                continue
            with io.BytesIO(data) as fh:
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
                            value, is_error = (strings[idx] if 0 <= idx < len(strings) else ""), False
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
