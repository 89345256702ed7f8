"""Refuse what must not be opened before openpyxl sees it, saying what the file really is.

The file's content decides, not its name: an .xlsx that is really an old .xls, a web page
exported as ".xls", an .ods, a CSV, an encrypted package, a truncated download, a zip bomb
or an XML bomb each get their own message.  The file is only ever opened for reading.

The pieces that do not depend on what the package holds (``read_head``, ``ole_kind``,
``check_zip``) also guard the 自评报告 (.docx) before python-docx sees it
(``evaltool.narrative.text``).
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Callable

from defusedxml.ElementTree import ParseError

from evaltool.errors import InputError, os_reason
from evaltool.workbook.xlsxcache import BINARY_WORKBOOK, WORKBOOK_TYPES, PackageZip, main_part, strict_namespace

MAX_FILE_BYTES = 50 * 1024 * 1024  # a real workbook is well under 5 MB
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed for one part; XML compresses ~10-30x
MAX_PARTS = 5000  # a workbook with many pictures has a few hundred
_RATIO_FLOOR = 1024 * 1024  # small parts may compress well without being a bomb
_PROLOG_BYTES = 64 * 1024  # no real part has an XML prolog this long
_BINARY_PARTS = (".bin", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".data")

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: old .xls/.et, or an encrypted .xlsx
_ZIP = b"PK\x03\x04"
CONTENT_TYPES = "[Content_Types].xml"
BOOK = "xl/workbook.xml"


def preflight(path: str) -> None:
    """Raise ``InputError`` unless ``path`` is a plausible, safe .xlsx/.xlsm package."""
    head, size = read_head(path)
    if head.startswith(OLE):
        raise InputError(ole_kind(path), path=path)
    if not zipfile.is_zipfile(path):
        raise InputError(_not_zip_kind(path, head, size), path=path, suffix=os.path.splitext(path)[1] or "?")
    try:
        with PackageZip(path) as z:
            _check_package(z, path)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError, ParseError):
        raise InputError("zip_damaged", path=path) from None


def read_head(path: str) -> tuple[bytes, int]:
    """The first 4 KB and the size of ``path``; ``InputError`` for a missing, empty, unreadable or
    oversized file."""
    if not os.path.lexists(path):
        raise InputError("file_missing", path=path)
    if os.path.isdir(path):
        raise InputError("is_directory", path=path)
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as e:  # a dangling link, a device, no permission
        raise InputError("file_unreadable", path=path, reason=os_reason(e)) from None
    if size == 0:
        raise InputError("file_empty", path=path)
    if size > MAX_FILE_BYTES:
        raise InputError("file_too_large", path=path, size=_mb(size), cap=_mb(MAX_FILE_BYTES))
    return head, size


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}"


def ole_kind(path: str) -> str:
    """What a compound file is: an encrypted package keeps its content in a stream named EncryptedPackage,
    a .xls in Workbook/Book, a .doc (and a WPS 文字 .wps) in WordDocument."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted"
    if any(name.encode("utf-16-le") + b"\0\0" in data for name in ("Workbook", "Book")):
        return "old_xls"
    if "WordDocument".encode("utf-16-le") in data:
        return "old_doc"
    suffix = os.path.splitext(path)[1].lower()
    return "old_xls" if suffix in (".xls", ".et") else "old_doc" if suffix in (".doc", ".wps") else "encrypted"


def _not_zip_kind(path: str, head: bytes, size: int) -> str:
    if os.path.basename(path).startswith("~$") and size < 1024:
        return "lock_file"
    if head[:4] in _BIFF_BOF:
        return "old_xls"
    if head.startswith(_ZIP):
        return "truncated"  # a zip's directory is at its end: the end is missing
    if head.startswith(b"%PDF"):
        return "not_xlsx"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text[:1] == b"<" or head.startswith((b"\xff\xfe<", b"\xfe\xff\0<")):
        return "html_file"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _CONTROL.search(head) is None:
        return "text_file"
    if os.path.splitext(path)[1].lower() in _TEXT_SUFFIXES:  # no other kind known: a CSV with odd bytes in it
        return "text_file"
    return "not_xlsx"


_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
# The BOF record an old .xls of BIFF2, 3 and 4 starts with (record id, length); BIFF5 and 8 are compound files.
_BIFF_BOF = (b"\x09\x00\x04\x00", b"\x09\x02\x06\x00", b"\x09\x04\x06\x00")
# Bytes no text file holds: C0 controls other than tab, line feed, form feed, carriage return and the DOS
# end-of-file mark.  Text in any 8-bit or multibyte encoding (UTF-8, GBK, ISO-8859-7 …) has none, a binary has
# many; UTF-16 is known by its byte order mark.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")


def check_zip(z: zipfile.ZipFile, path: str, kind_of: Callable[[set[str]], str | None] = lambda names: None) -> None:
    """The checks every Office package gets before a parser sees it: not too many parts, no zip bomb, no
    encrypted entry, every part intact, no DTD in any XML part.  ``kind_of`` names a package that is the
    wrong kind of file by its part names (an .ods); it is asked before anything is decompressed."""
    infos = z.infolist()
    if len(infos) > MAX_PARTS:
        raise InputError("too_many_parts", path=path, count=len(infos))
    wrong = kind_of({i.filename for i in infos})
    if wrong is not None:
        raise InputError(wrong, path=path, suffix=os.path.splitext(path)[1] or "?")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InputError("zip_bomb", path=path, part=info.filename)
        if info.flag_bits & 0x1:
            raise InputError("encrypted", path=path)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError("zip_bomb", path=path, part=f"{_mb(total)} MB")
    _verify(z, infos, path)
    # Every XML part, before any is parsed: a DTD is how an entity bomb starts.
    for info in infos:
        if not info.filename.lower().endswith(_BINARY_PARTS) and _declares_dtd(z, info):
            raise InputError("xml_unsafe", path=path, part=info.filename)


def _check_package(z: PackageZip, path: str) -> None:
    check_zip(z, path, lambda names: "ods_file" if "mimetype" in names or "content.xml" in names else None)
    names = set(z.namelist())
    try:
        kind = main_part(z)
    except ParseError:
        raise InputError("zip_corrupt", path=path, part="[Content_Types].xml") from None
    if kind is None:
        if any(n.lower().startswith("xl/") for n in names):  # a spreadsheet's parts without its index or workbook
            raise InputError("part_missing", path=path, part=CONTENT_TYPES if not z.has(CONTENT_TYPES) else BOOK)
        office = any(n.startswith(("word/", "ppt/")) for n in names)
        raise InputError("other_document" if office else "not_xlsx", path=path, suffix=os.path.splitext(path)[1] or "?")
    part, content_type = kind
    if content_type in WORKBOOK_TYPES and not z.has(part):
        raise InputError("part_missing", path=path, part=part)
    if content_type == BINARY_WORKBOOK:
        raise InputError("xlsb_file", path=path)
    if content_type not in WORKBOOK_TYPES:
        raise InputError("not_xlsx", path=path, suffix=os.path.splitext(path)[1] or "?")
    if strict_namespace(z, part):
        raise InputError("strict_ooxml", path=path)


def _verify(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], path: str) -> None:
    """Decompress every part (CRC checked at its end): a damaged attachment fails here, naming the part."""
    for info in infos:
        try:
            with z.open(info) as fh:
                while fh.read(1024 * 1024):
                    pass
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
            raise InputError("zip_corrupt", path=path, part=info.filename) from None


_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def _declares_dtd(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when the part's prolog holds a <!DOCTYPE (or is too long to see past)."""
    with z.open(info) as fh:
        head = fh.read(_PROLOG_BYTES)
    text = _decode_prolog(head)
    pos = 0
    while (m := _PROLOG_ITEM.match(text, pos)) is not None and m.end() > pos:
        pos = m.end()
    if text.startswith("<!", pos):
        return True
    return pos >= len(text) and len(head) == _PROLOG_BYTES


def _decode_prolog(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"<\0")):
        return head.decode("utf-16-le", "ignore").lstrip("\ufeff")
    if head.startswith((b"\xfe\xff", b"\0<")):
        return head.decode("utf-16-be", "ignore").lstrip("\ufeff")
    return head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")  # markup characters are ASCII
