"""What a checked copy is called: the command line, a batch and the page name copies the same way.

Kept apart from ``batch`` so that ``evaltool --help`` and the folder listing import nothing of the checks."""

from __future__ import annotations

import os
import re

CHECKED_SUFFIX = ".checked"
CHECKED_STEM = re.compile(r"(?P<stem>.+)\.checked(?:-(?P<round>\d{1,4}))?", re.IGNORECASE)  # a copy's name


def output_path(path: str, output: str | None, out_dir: str | None, relative: str | None = None) -> str:
    """``-o`` as given; else ``<stem>.checked.xlsx`` beside the input, or in ``out_dir`` under the input's
    ``relative`` folder (the sub-folders of a folder given are mirrored).

    A checked copy checked again does not stack names: 自评表.checked.xlsx gives 自评表.checked.xlsx in
    ``out_dir``, and beside itself (where that name is the input) the next round, 自评表.checked-2.xlsx,
    then 自评表.checked-3.xlsx (the first round not there yet): never the input nor an existing copy, and the
    newest copy has the highest number."""
    from evaltool.narrative.check import is_report

    if output:
        return output
    stem, suffix = os.path.splitext(os.path.basename(path))
    again = CHECKED_STEM.fullmatch(stem)
    if again:
        stem = again["stem"]
    if is_report(path):  # a report's checked copy is a Word document, whatever it came as
        suffix = ".docx"
    else:
        suffix = suffix.lower() if suffix.lower() in (".xlsx", ".xlsm") else ".xlsx"
    folder = (os.path.join(out_dir, os.path.dirname(relative or "")) if out_dir
              else os.path.dirname(os.path.abspath(path)))
    name = f"{stem}{CHECKED_SUFFIX}{suffix}"
    if again and os.path.normcase(os.path.abspath(folder)) == os.path.normcase(os.path.dirname(os.path.abspath(path))):
        # The next round that is not there yet: a later round the officer may have typed in is never written over.
        n = int(again["round"] or 1) + 1
        while os.path.exists(os.path.join(folder, f"{stem}{CHECKED_SUFFIX}-{n}{suffix}")):
            n += 1
        name = f"{stem}{CHECKED_SUFFIX}-{n}{suffix}"
    return os.path.join(folder, name)
