"""A workbook package as an ordered ``dict`` of part name -> bytes, read from and written to a zip.

The checked copy is the officer's package with a few parts changed: everything else goes back byte
for byte (the same bytes, not a re-serialisation), in the order it came.  Relationship and content
type edits are targeted byte edits too (``xmlbytes``).  ``as_zip`` lets the ``xlsxcache`` helpers,
written for a ``zipfile.ZipFile``, read a parts dict.
"""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import zipfile
from collections.abc import Callable

from evaltool.atomic import write_atomically
from evaltool.workbook import xmlbytes as X
from evaltool.workbook.xlsxcache import PackageZip, content_types, rels_of

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"
# Parts already compressed: deflating them again costs time and saves nothing.
_STORED = (".png", ".jpg", ".jpeg", ".gif", ".zip", ".tif", ".tiff")


def read_package(path: str) -> dict[str, bytes]:
    """Every part of the package at ``path``, in the zip's order (the file is only opened for reading)."""
    with PackageZip(path) as z:
        return {info.filename: _read_part(z, info) for info in z.infolist() if not info.is_dir()}


_BIG_PART = 4 << 20


def _read_part(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One part's bytes.  ``ZipFile.read`` holds about three times a part's size at its peak (its chunks,
    their join, the result): for a 50,000-row sheet that was the copy's peak.  A big part is streamed into
    a BytesIO instead, whose ``getvalue`` hands over its buffer: the peak is the part and one chunk."""
    if info.file_size < _BIG_PART:
        return z.read(info)
    with z.open(info) as fh:
        buf = io.BytesIO()
        shutil.copyfileobj(fh, buf, _BIG_PART)
        return buf.getvalue()


def write_package(parts: dict[str, bytes], path: str) -> None:
    """``parts`` as a zip at ``path``, written to a temporary file and renamed (``atomic``)."""

    def write(tmp: str) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                kind = zipfile.ZIP_STORED if name.lower().endswith(_STORED) else zipfile.ZIP_DEFLATED
                z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=kind)

    write_atomically(path, write)


class _Zip:
    """The read side of ``zipfile.ZipFile`` over a parts dict, for the ``xlsxcache`` helpers."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self._parts = parts

    def read(self, name: str) -> bytes:
        return self._parts[name]  # KeyError, as ZipFile.read raises for a missing part

    def namelist(self) -> list[str]:
        return list(self._parts)


def as_zip(parts: dict[str, bytes]) -> zipfile.ZipFile:
    return _Zip(parts)  # type: ignore[return-value]  # duck-typed: read() and namelist()


# --------------------------------------------------------------------------- content types


def content_type(parts: dict[str, bytes], part: str) -> str | None:
    overrides, defaults = content_types(as_zip(parts))
    name = posixpath.basename(part)  # "_rels/.rels" has the extension "rels"
    return overrides.get(part) or (defaults.get(name.rsplit(".", 1)[1].lower()) if "." in name else None)


def _override(prefix: bytes) -> re.Pattern[bytes]:
    return X.element(prefix, "Override")


def set_override(parts: dict[str, bytes], part: str, kind: str | None) -> None:
    """Declare ``part`` as ``kind`` (replacing its override), or remove its override when ``kind`` is None."""
    data = X.utf8(parts[CONTENT_TYPES])
    prefix = X.root_prefix(data, CT_NS)
    for m in _override(prefix).finditer(data):
        if X.attrs(m[1]).get("PartName", "").lstrip("/") == part:
            new = b"" if kind is None else X.set_attr(m[0], "ContentType", kind)
            parts[CONTENT_TYPES] = data[:m.start()] + new + data[m.end():]
            return
    if kind is not None:
        new = b"<%sOverride PartName=%s ContentType=%s/>" % (prefix, X.attr_value("/" + part), X.attr_value(kind))
        parts[CONTENT_TYPES] = X.insert_child(data, new, ())


def ensure_default(parts: dict[str, bytes], extension: str, kind: str) -> None:
    """A ``Default`` for ``extension`` unless the package has one (e.g. ``vml``)."""
    _, defaults = content_types(as_zip(parts))
    if extension.lower() in defaults:
        return
    data = X.utf8(parts[CONTENT_TYPES])
    prefix = X.root_prefix(data, CT_NS)
    new = b"<%sDefault Extension=%s ContentType=%s/>" % (prefix, X.attr_value(extension), X.attr_value(kind))
    parts[CONTENT_TYPES] = X.insert_child(data, new, ("Override",))


# --------------------------------------------------------------------------- relationships


def relative(source: str, target: str) -> str:
    """The ``Target`` of a relationship from ``source`` to the part ``target``."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def add_relationship(parts: dict[str, bytes], source: str, kind: str, target: str) -> str:
    """Relate ``source`` (a part, or "" for the package) to ``target``; returns the new id.

    ``kind`` is the full relationship type (``DOC_REL + "/comments"``).  A new id follows the
    ``rIdN`` numbering of the part's others."""
    name = rels_of(source) if source else "_rels/.rels"
    data = X.utf8(parts.get(name) or
                  b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="%s"></Relationships>'
                  % REL_NS.encode())
    prefix = X.root_prefix(data, REL_NS)
    ids = {X.attrs(m[1]).get("Id", "") for m in X.element(prefix, "Relationship").finditer(data)}
    n = 1 + max((int(i[3:]) for i in ids if re.fullmatch(r"rId\d+", i)), default=0)
    rid = f"rId{n}"
    new = b"<%sRelationship Id=%s Type=%s Target=%s/>" % (
        prefix, X.attr_value(rid), X.attr_value(kind), X.attr_value(relative(source, target) if source else target))
    parts[name] = X.insert_child(data, new, ())
    return rid


def remove_relationships(parts: dict[str, bytes], source: str, drop: Callable[[dict[str, str]], bool]) -> None:
    """Remove the relationships of ``source`` whose attributes ``drop`` accepts."""
    name = rels_of(source) if source else "_rels/.rels"
    if name not in parts:
        return
    data = X.utf8(parts[name])
    pattern = X.element(X.root_prefix(data, REL_NS), "Relationship")
    kept = pattern.sub(lambda m: b"" if drop(X.attrs(m[1])) else m[0], data)
    if kept != data:
        parts[name] = kept


def target_part(source: str, target: str) -> str:
    """The part name a relationship ``Target`` of ``source`` points at."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def remove_part(parts: dict[str, bytes], part: str) -> None:
    """``part``, its own relationships, its override and every relationship pointing at it."""
    parts.pop(part, None)
    parts.pop(rels_of(part), None)
    set_override(parts, part, None)
    for name in [n for n in parts if n.endswith(".rels")]:
        folder = posixpath.dirname(posixpath.dirname(name))
        source = "" if name == "_rels/.rels" else posixpath.join(folder, posixpath.basename(name)[:-5])
        remove_relationships(parts, source, lambda a, src=source: a.get("TargetMode") != "External"
                             and target_part(src, a.get("Target", "")) == part)


def free_name(parts: dict[str, bytes], pattern: str) -> str:
    """The first ``pattern.format(n)``, n = 1, 2, ..., that is not a part of the package."""
    lower = {n.lower() for n in parts}
    n = 1
    while pattern.format(n).lower() in lower:
        n += 1
    return pattern.format(n)
