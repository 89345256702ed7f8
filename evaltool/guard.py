"""Refuse what must not be opened before openpyxl sees it: wrong kind, too big, a zip bomb."""

from __future__ import annotations

import os
import zipfile

from .errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024  # a real workbook is well under 5 MB
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed for one part; XML compresses ~10-30x
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted .xlsx
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm")


def preflight(path: str) -> None:
    """Raise ``InputError`` unless ``path`` is a plausible, safe .xlsx/.xlsm package."""
    if not os.path.exists(path):
        raise InputError("file_missing", path=path)
    if os.path.isdir(path):
        raise InputError("is_directory", path=path)
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as e:
        raise InputError("file_unreadable", path=path, reason=e.strerror or str(e)) from None
    if size == 0:
        raise InputError("file_empty", path=path)
    if size > MAX_FILE_BYTES:
        raise InputError("file_too_large", path=path, size=size // (1024 * 1024), cap=MAX_FILE_BYTES // (1024 * 1024))
    suffix = os.path.splitext(path)[1].lower()
    if head == _OLE:
        key = "old_xls" if suffix == ".xls" else "encrypted"
        raise InputError(key, path=path)
    if suffix in (".ods", ".csv", ".xls", ".et", ".wps", ".txt") or not zipfile.is_zipfile(path):
        raise InputError("not_xlsx", path=path, suffix=suffix or "?")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                kind = "ods" if "content.xml" in names else "other"
                raise InputError("not_xlsx", path=path, suffix=suffix or kind)
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise InputError("zip_bomb", path=path, part=info.filename)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise InputError("zip_bomb", path=path, part=f"{total // (1024 * 1024)} MB")
            bad = z.testzip()
            if bad is not None:
                raise InputError("zip_corrupt", path=path, part=bad)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as e:
        raise InputError("zip_corrupt", path=path, part=str(e)) from None
