"""Writing outputs so that nobody ever sees half a file, and saying why a write failed."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable

from evaltool.errors import InputError, os_reason


class OutputLocked(PermissionError):
    """The output exists and cannot be replaced: on Windows, it is open in Excel/WPS."""


def write_atomically(path: str, write: Callable[[str], object]) -> None:
    """``write(tmp)`` beside ``path``, then rename over it; on any failure the temp file is removed.

    The temp name starts with "~$" like an Office lock file, so a leftover is skipped when a folder
    is checked; it is created 0o666 through the umask, the mode an ordinary save gives.

    No ``fsync`` before the rename.  On the command line every file evaltool writes is made from inputs it
    never changes (a checked copy carries the explanations forward from the copy it was made from, which
    stays), so a power cut costs at most a file made again by checking again.  The page's copies, which
    hold what the officer typed there, live in the launch's temporary folder and its memory, neither of
    which outlives a power cut.  The fsync cost 10–17 ms of every copy on this project's test machine, a
    twentieth of a check.  Nobody sees half a file on a running system either way: that is the rename.
    """
    directory = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1]
    tmp = os.path.join(directory, f"~$evaltool-{os.getpid()}-{os.urandom(4).hex()}{suffix}")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666))
    try:
        write(tmp)
        try:
            os.replace(tmp, path)
        except PermissionError as e:
            raise OutputLocked(e.errno, e.strerror, e.filename) from e
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def output_error(out_path: str, e: OSError) -> InputError:
    """The officer's message for a checked copy that could not be written (the input is never touched)."""
    folder = os.path.dirname(os.path.abspath(out_path))
    if isinstance(e, OutputLocked):
        return InputError("output_locked", path=out_path)
    if isinstance(e, IsADirectoryError) or os.path.isdir(out_path):
        return InputError("output_is_dir", path=out_path)
    missing = isinstance(e, (FileNotFoundError, NotADirectoryError, FileExistsError))
    if missing and not os.path.isdir(folder):
        return InputError("output_dir_missing", path=out_path, folder=folder)
    if missing or isinstance(e, PermissionError) or e.errno == errno.EROFS:
        return InputError("output_dir_readonly", path=out_path, folder=folder)
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return InputError("output_no_space", path=out_path)
    return InputError("output_failed", path=out_path, reason=os_reason(e))
