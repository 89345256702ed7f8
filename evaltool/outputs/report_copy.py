"""The checked copy of a 自评报告: a .docx where each finding's figure is highlighted (errors pink, warnings
yellow) and carries a Word comment with its code and message.

A .docx input is copied with only its runs split and marked (python-docx keeps everything else of the
package); a .txt or PDF input becomes a plain .docx of its paragraphs, marked the same way.  Written to a
temporary file and renamed (``atomic.write_atomically``); the input is only ever read.
"""

from __future__ import annotations

import copy

from evaltool.findings import Finding, Severity
from evaltool.narrative.check import ReportResult
from evaltool.narrative.text import Paragraph
from evaltool.text import render

AUTHOR = "evaltool"


def checked_name(path: str) -> str:
    """The checked copy is always a .docx: 自评报告.pdf → 自评报告.checked.docx."""
    import os

    stem = os.path.splitext(os.path.basename(path))[0]
    return f"{stem}.checked.docx"


def write_checked_report(result: ReportResult, target: str, lang: str = "zh") -> None:
    from evaltool.atomic import write_atomically

    assert result.checked is not None
    text = result.checked.report.text
    if text.kind == "docx":
        from evaltool.narrative.text import open_word, word_paragraphs

        document = open_word(result.path)
        word = list(word_paragraphs(document))
    else:
        import docx

        document = docx.Document()
        word = [document.add_paragraph(p.raw) for p in text.paragraphs]
    for f in result.findings:
        if f.severity is Severity.INFO or f.position is None:
            continue
        paragraph = text.paragraphs[f.position.paragraph - 1]
        index, start, end = _where(text.kind, paragraph, f.position.start, f.position.end)
        if index is not None:
            _mark(document, word[index], start, end, f, lang)
    write_atomically(target, document.save)


def _where(kind: str, paragraph: Paragraph, start: int, end: int) -> tuple[int | None, int, int]:
    """The paragraph of the copy a finding's span is in (its index in the copy's paragraphs) and the span there."""
    if kind == "docx":
        return paragraph.word_span(start, end)
    return paragraph.number - 1, *paragraph.raw_span(start, end)


def _mark(document, word_paragraph, start: int, end: int, f: Finding, lang: str) -> None:
    from docx.enum.text import WD_COLOR_INDEX

    runs = _isolate(word_paragraph, start, end) or list(word_paragraph.runs)
    if not runs:
        return
    colour = WD_COLOR_INDEX.PINK if f.severity is Severity.ERROR else WD_COLOR_INDEX.YELLOW
    for run in runs:
        run.font.highlight_color = colour
    colon = "：" if lang == "zh" else ": "
    document.add_comment(runs, f"{f.code} {render.severity(f.severity, lang)}{colon}{render.message(f, lang)}",
                         author=AUTHOR, initials="ET")


def _isolate(word_paragraph, start: int, end: int) -> list:
    """The runs that hold exactly ``start:end`` of the paragraph's text, splitting runs at the two ends; []
    when the runs do not spell the paragraph's text (a hyperlink or a field holds part of it)."""
    from docx.text.run import Run

    runs = list(word_paragraph.runs)
    if start >= end or "".join(r.text for r in runs) != word_paragraph.text:
        return []
    out = []
    pos = 0
    for run in runs:
        text = run.text
        a, b = pos, pos + len(text)
        pos = b
        if b <= start or a >= end:
            continue
        if a < start:  # split off the part before the span
            right = _split(run, start - a, Run)
            run, text, a = right, text[start - a:], start
        if b > end:
            _split(run, end - a, Run)
        out.append(run)
    return out


def _split(run, at: int, run_type):
    """Split ``run`` at character ``at``: it keeps the text before, a copy (same formatting) after it gets the
    rest, which is returned."""
    text = run.text
    element = copy.deepcopy(run._r)
    run._r.addnext(element)
    right = run_type(element, run._parent)
    run.text = text[:at]
    right.text = text[at:]
    return right
