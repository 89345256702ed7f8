"""Keep the streams ours while a file is checked: what libraries print, warn or log goes nowhere.

stdout carries only our output (``--format json`` must parse whatever a library prints: openpyxl,
pdfminer), and stderr only our messages (a library's warnings and log records would be English text
about its internals).  ResourceWarnings keep the filters they had: a test turns them into errors to prove
every file and archive is closed.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Iterator


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            kept = [f for f in warnings.filters if issubclass(f[2], ResourceWarning)]
            warnings.simplefilter("ignore")
            warnings.filters[:0] = kept
            yield
    finally:
        logging.disable(previous)
