"""Render the 自评报告 with docxtpl: the standard template or a county's own, checked before use.

A county's template (a .docx with Jinja tags, restyled in WPS/Word) may use only the variables
``content.VARIABLES``; any other name is refused with a message naming it, before the workbook is read.
Jinja runs with ``StrictUndefined`` (a misspelt attribute such as ``score.totl`` stops the draft with a
message instead of leaving a blank) and autoescaping (an officer's "<" or "&" stays text).  After
rendering, the marks 【请填写】 and 【待核实】 are highlighted wherever the template put them, and the
draft is written to a temporary file and renamed over the output.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaltool.atomic import write_atomically
from evaltool.errors import InputError
from evaltool.narrative.content import DOUBTFUL, MISSING, VARIABLES, report_context
from evaltool.narrative.standard import STANDARD

if TYPE_CHECKING:
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from evaltool.checker import Result

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a report template with a letterhead picture is well under 2 MB
MAX_TEMPLATE_EXPANDED = 200 * 1024 * 1024  # its parts uncompressed: more is a zip bomb
_MARKS = re.compile(f"({re.escape(MISSING)}|{re.escape(DOUBTFUL)})")


@dataclass(frozen=True)
class Draft:
    path: str
    missing: int  # 【请填写】 in the report
    doubtful: int  # 【待核实】 in the report


def _environment() -> Environment:
    from jinja2 import Environment, StrictUndefined

    return Environment(undefined=StrictUndefined, autoescape=True)


def _reason(e: BaseException) -> str:
    """The template engine's words about the county's own tag (they name it: "… has no attribute 'totl'"),
    without Python's class name."""
    return (str(e).splitlines() or [""])[0][:200]


def _package(path: str) -> None:
    """A readable, plausible .docx package: exists, a zip of sane size, with a main document part."""
    if not os.path.exists(path):
        raise InputError("file_missing", path=path)
    if os.path.isdir(path):
        raise InputError("is_directory", path=path)
    try:
        if os.path.getsize(path) > MAX_TEMPLATE_BYTES or not zipfile.is_zipfile(path):
            raise InputError("report_template_not_docx", path=path)
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > MAX_TEMPLATE_EXPANDED or any(i.flag_bits & 0x1 for i in infos):
                raise InputError("report_template_not_docx", path=path)
            if "word/document.xml" not in z.namelist():
                raise InputError("report_template_not_docx", path=path)
    except OSError as e:
        raise InputError("file_unreadable", path=path, reason=e.strerror or str(e)) from None
    except zipfile.BadZipFile:
        raise InputError("report_template_not_docx", path=path) from None


def load_template(path: str | None) -> DocxTemplate:
    """The template at ``path`` (None: the standard one), its variables checked against ours.

    Raises ``InputError`` for a file that is no .docx, a Jinja syntax error, or a variable we do not
    provide (the message names each).
    """
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    if path is None:
        source = str(STANDARD)
    else:
        _package(path)
        source = path
    template = DocxTemplate(source)
    try:
        unknown = template.get_undeclared_template_variables(_environment()) - set(VARIABLES)
    except TemplateSyntaxError as e:
        raise InputError("report_template_syntax", path=source, line=e.lineno or "?", reason=e.message or "") from None
    except Exception:  # python-docx raises many kinds for a damaged package: its text means nothing to a county
        raise InputError("report_template_damaged", path=source) from None
    if unknown:
        raise InputError("report_template_unknown", path=source, names=tuple(sorted(unknown)), known=VARIABLES)
    return template


def _highlight(body) -> None:
    """Each mark in a run of its own, highlighted: yellow where to fill in, red on yellow where to verify."""
    import copy

    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml.ns import qn
    from docx.shared import RGBColor
    from docx.text.run import Run

    for r in list(body.iter(qn("w:r"))):
        texts = r.findall(qn("w:t"))
        if len(texts) != 1 or not _MARKS.search(texts[0].text or ""):
            continue
        for piece in (p for p in _MARKS.split(texts[0].text) if p):
            new = copy.deepcopy(r)
            t = new.find(qn("w:t"))
            t.text = piece
            t.set(qn("xml:space"), "preserve")
            r.addprevious(new)
            if piece in (MISSING, DOUBTFUL):
                font = Run(new, None).font
                font.highlight_color = WD_COLOR_INDEX.YELLOW
                if piece == DOUBTFUL:
                    font.bold = True
                    font.color.rgb = RGBColor(0xC0, 0, 0)
        r.getparent().remove(r)


def write_draft(result: Result, output: str, template: DocxTemplate) -> Draft:
    """Render the report on ``result`` (a workbook read without an input error) into ``output``."""
    from docx.oxml.ns import qn

    context = report_context(result)
    try:
        template.render(context, _environment(), autoescape=True)
    except Exception as e:  # a county's template: an undefined attribute, a filter misused, …
        raise InputError("report_template_render", path=str(template.template_file), reason=_reason(e)) from None
    body = template.docx.element.body
    _highlight(body)
    text = "".join(t.text or "" for t in body.iter(qn("w:t")))
    write_atomically(output, template.save)
    return Draft(output, text.count(MISSING), text.count(DOUBTFUL))
