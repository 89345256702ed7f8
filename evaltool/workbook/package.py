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
import struct
import zipfile
from collections.abc import Callable
from typing import BinaryIO

from evaltool.atomic import write_atomically
from evaltool.workbook import xmlbytes as X
from evaltool.workbook.xlsxcache import PackageZip, content_types, rels_of, sheet_parts

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = "[Content_Types].xml"
# Parts already compressed: deflating them again costs time and saves nothing.
_STORED = (".png", ".jpg", ".jpeg", ".gif", ".zip", ".tif", ".tiff")


def read_package(path: str) -> Parts:
    """Every part of the package at ``path``, in the zip's order (the file is only opened for reading).
    A big part is read only when asked for (``Parts``)."""
    with PackageZip(path) as z:
        parts = Parts(path)
        for info in z.infolist():
            if info.is_dir():
                continue
            if info.file_size >= _BIG_PART and info.compress_type in _RAW_COPYABLE and not info.flag_bits & 1:
                parts.defer(info)
            else:
                parts[info.filename] = z.read(info)
        return parts


_BIG_PART = 4 << 20
_RAW_COPYABLE = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class _Deferred:
    """Stands for a part not read yet; never bytes, so a read that bypasses ``Parts`` fails loudly."""

    __slots__ = ("info",)

    def __init__(self, info: zipfile.ZipInfo) -> None:
        self.info = info


class Parts(dict):
    """Part name -> bytes, where a big part (a 50,000-row sheet) stays in the input zip until something
    asks for it.  ``write_package`` copies a part nobody asked for as its compressed bytes: a list sheet
    we do not mark is neither inflated nor deflated again, and never held in memory.  Removing a part
    (``pop``, ``del``) does not read it either."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def defer(self, info: zipfile.ZipInfo) -> None:
        super().__setitem__(info.filename, _Deferred(info))

    def deferred(self, name: str) -> zipfile.ZipInfo | None:
        value = super().__getitem__(name)
        return value.info if isinstance(value, _Deferred) else None

    def head(self, name: str, size: int) -> bytes:
        """At most the first ``size`` bytes of a part, inflating no more of a deferred one than that."""
        info = self.deferred(name)
        if info is None:
            return self[name][:size]
        with zipfile.ZipFile(self.source) as z, z.open(info) as fh:
            return fh.read(size)

    def __getitem__(self, name: str) -> bytes:
        value = super().__getitem__(name)
        if isinstance(value, _Deferred):
            with zipfile.ZipFile(self.source) as z:
                value = _read_part(z, value.info)
            super().__setitem__(name, value)
        return value

    def get(self, name: str, default: bytes | None = None) -> bytes | None:  # type: ignore[override]
        return self[name] if name in self else default

    def items(self):  # type: ignore[override]
        return ((name, self[name]) for name in self)

    def values(self):  # type: ignore[override]
        return (self[name] for name in self)

    def copy(self) -> Parts:  # type: ignore[override]
        """A new mapping sharing the parts (read or not): what ``dict(parts)`` would be, without reading."""
        new = Parts(self.source)
        for name in self:
            dict.__setitem__(new, name, dict.__getitem__(self, name))
        return new


def _read_part(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One big part's bytes.  ``ZipFile.read`` holds about three times a part's size at its peak (its
    chunks, their join, the result); streamed into a BytesIO, whose ``getvalue`` hands over its buffer,
    the peak is the part and one chunk."""
    with z.open(info) as fh:
        buf = io.BytesIO()
        shutil.copyfileobj(fh, buf, _BIG_PART)
        return buf.getvalue()


def write_package(parts: dict[str, bytes], path: str) -> None:
    """``parts`` as a zip at ``path``, written to a temporary file and renamed (``atomic``)."""

    def write(tmp: str) -> None:
        source = open(parts.source, "rb") if isinstance(parts, Parts) else None  # noqa: SIM115 - closed below
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
                for name in parts:
                    info = parts.deferred(name) if isinstance(parts, Parts) else None
                    if info is not None and source is not None:
                        _copy_compressed(z, source, info, name)
                        continue
                    kind = zipfile.ZIP_STORED if name.lower().endswith(_STORED) else zipfile.ZIP_DEFLATED
                    z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), parts[name], compress_type=kind)
        finally:
            if source is not None:
                source.close()

    write_atomically(path, write)


def _copy_compressed(z: zipfile.ZipFile, source: BinaryIO, info: zipfile.ZipInfo, name: str) -> None:
    """The entry ``info`` of the zip open as ``source`` copied into ``z`` as its compressed bytes, with the
    CRC and sizes of the input's central directory.  zipfile has no public call for this; this is what
    ``ZipFile.write`` does for a directory entry, with the data copied after the header."""
    source.seek(info.header_offset)
    header = source.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    source.seek(info.header_offset + 30 + name_len + extra_len)
    entry = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    entry.compress_type = info.compress_type
    entry.CRC, entry.compress_size, entry.file_size = info.CRC, info.compress_size, info.file_size
    with z._lock:  # noqa: SLF001 - the private state ZipFile.write itself keeps
        z.fp.seek(z.start_dir)  # noqa: SLF001
        entry.header_offset = z.fp.tell()
        z._writecheck(entry)  # noqa: SLF001
        z._didModify = True  # noqa: SLF001
        z.fp.write(entry.FileHeader())
        left = info.compress_size
        while left:
            chunk = source.read(min(left, 1 << 20))
            if not chunk:
                raise zipfile.BadZipFile(f"{info.filename} is cut short")
            z.fp.write(chunk)
            left -= len(chunk)
        z.filelist.append(entry)
        z.NameToInfo[name] = entry
        z.start_dir = z.fp.tell()  # noqa: SLF001


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


def content_typer(parts: dict[str, bytes]) -> Callable[[str], str | None]:
    """Each part's content type, from the content types read once (a call per part read them per part:
    48 times a check)."""
    overrides, defaults = content_types(as_zip(parts))

    def of(part: str) -> str | None:
        name = posixpath.basename(part)  # "_rels/.rels" has the extension "rels"
        return overrides.get(part) or (defaults.get(name.rsplit(".", 1)[1].lower()) if "." in name else None)

    return of


def content_type(parts: dict[str, bytes], part: str) -> str | None:
    return content_typer(parts)(part)


def worksheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> part name of the workbook's worksheets (not chart sheets, nor parts it lacks)."""
    of = content_typer(parts)
    return {name: part for name, part in sheet_parts(as_zip(parts)).items()
            if part in parts and (of(part) or "").endswith(".worksheet+xml")}


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
