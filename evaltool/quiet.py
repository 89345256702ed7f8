"""Keep the streams ours while a file is checked: what libraries print, warn or log goes nowhere.

stdout carries only our output (``--format json`` must parse whatever a library prints: openpyxl,
pdfminer), and stderr only our messages (a library's warnings and log records are English text about its
internals).  Warnings are ignored except ResourceWarnings, which keep their filters; in Python's
development mode (``python -X dev``, how the tests prove every file and archive is closed) what reached
stderr is passed on, so a leak is seen, not swallowed.  ``logging`` is not imported for this: a library
that logs imports it, and its last-resort handler writes to the stderr redirected here.
"""

from __future__ import annotations

import contextlib
import io
import sys
import warnings
from collections.abc import Iterator


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    err = io.StringIO()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            kept = [f for f in warnings.filters if issubclass(f[2], ResourceWarning)]
            warnings.simplefilter("ignore")
            warnings.filters[:0] = kept
            yield
    finally:
        if sys.flags.dev_mode and err.getvalue():
            sys.stderr.write(err.getvalue())
