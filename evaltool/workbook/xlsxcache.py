"""The package's structure: its content types, where the workbook part is, relationships, sheet parts.

Shared by the guard, the reader (``read.py``) and the checked copy.  (The module's
name is historical: it once also read the cached results of formulas, which ``read.py`` now reads
with every other cell.)  All XML goes through defusedxml.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from typing import IO

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
_SMALL_PART = 1 << 20  # a content types part is a few KB


class PackageZip(zipfile.ZipFile):
    """A package's zip, its parts named as the package refers to them.

    Part names are case-insensitive (ECMA-376 part 2, §9.1.1.1) and some zip tools store Windows separators
    (``xl\\workbook.xml``) or other letter cases ([content_types].xml, XL/Worksheets/…): each entry is named
    with "/" and, when the content types or the relationship parts name it in another case, as they do, and
    any name is also found in any case.  So such a valid package reads like any other, and the checked copy
    (``package.read_package``) edits it under the names it expects.  (``ZipFile.open`` still checks each
    entry against the name stored in its local header.)"""

    def __init__(self, file: str | IO[bytes]) -> None:
        super().__init__(file)
        for info in self.filelist:
            info.filename = info.filename.replace("\\", "/")
        self._index()
        if self.NameToInfo.keys() != self._folded.keys():  # some name not in lower case: maybe not as referenced
            referenced = self._referenced()
            for info in self.filelist:
                info.filename = referenced.get(info.filename.lower(), info.filename)
            self._index()

    def _index(self) -> None:
        self.NameToInfo = {info.filename: info for info in self.filelist}
        self._folded = {info.filename.lower(): info for info in reversed(self.filelist)}

    def _referenced(self) -> dict[str, str]:
        """Lower-cased name -> the name the package refers to it by: the content types, the parts they declare
        and their relationship parts; nothing when the content types cannot be read (the guard, which runs
        after this, says why).  Read before the guard's bomb checks, so only when small."""
        info = self._folded.get("[content_types].xml")
        if info is None or info.file_size > _SMALL_PART or info.flag_bits & 0x1:  # missing, big or encrypted
            return {}
        try:
            overrides, _ = content_types(self)
        except (SyntaxError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            overrides = {}  # malformed, refused (a DTD) or damaged
        names = {"[Content_Types].xml", "_rels/.rels", *overrides, *(rels_of(p) for p in overrides)}
        return {name.lower(): name for name in names}

    def getinfo(self, name: str) -> zipfile.ZipInfo:
        info = self.NameToInfo.get(name) or self._folded.get(name.lower())
        if info is None:
            raise KeyError(f"There is no item named {name!r} in the archive")
        return info

    def has(self, name: str) -> bool:
        return name in self.NameToInfo or name.lower() in self._folded


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
