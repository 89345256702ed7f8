"""The standard report template, ``templates/standard.docx``, written by code in 公文 style.

GB/T 9704 as county offices use it: A4, margins 37/35/28/26 mm, a fixed 28-point line; title in
方正小标宋简体 二号 (22 pt), body in 仿宋_GB2312 三号 (16 pt) with a two-character first-line indent,
一、 headings in 黑体, （一） in 楷体_GB2312, 1. in 仿宋 bold, tables in 仿宋 小四 (12 pt), the page
number — 1 — in 宋体 四号.  The East Asian font of every style is set (``w:eastAsia``), the Latin one
is Times New Roman.  A machine without these fonts substitutes its own; the names stay in the file.

The file is committed (a 财政局 restyles a copy of it in WPS/Word and passes it with ``--template``);
``python -m evaltool.narrative.standard`` rewrites it (``… standard PATH.docx`` writes a copy to PATH),
and a test fails while it differs from what this module writes.  Its Jinja tags use the variables of
``content.VARIABLES``.
"""

from __future__ import annotations

import datetime as dt
import io
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document
    from docx.styles.style import ParagraphStyle
    from docx.table import Table

STANDARD = resources.files("evaltool.narrative") / "templates" / "standard.docx"
TITLE = "部门整体支出绩效自评报告"

LATIN = "Times New Roman"
BODY_FONT, BODY_SIZE = "仿宋_GB2312", 16  # 三号
TITLE_FONT, TITLE_SIZE = "方正小标宋简体", 22  # 二号
H1_FONT, H2_FONT = "黑体", "楷体_GB2312"
TABLE_SIZE = 12  # 小四
CAPTION_FONT, CAPTION_SIZE = "黑体", 14  # 四号
PAGE_FONT, PAGE_SIZE = "宋体", 14
LINE = 28  # points: a fixed line, 22 lines to the page
# Headings of the outline and their fonts: (style, East Asian font, bold).
HEADINGS = {"Heading 1": (H1_FONT, False), "Heading 2": (H2_FONT, False), "Heading 3": (BODY_FONT, True),
            "Heading 4": (BODY_FONT, False), "Heading 5": (BODY_FONT, False)}
CAPTION, TABLE_TEXT, FIELD = "表题", "表格文字", "报头"
# Fixed for reproducible bytes: python-docx would keep its own template's dates otherwise.
CREATED = dt.datetime(2024, 1, 1)


def set_fonts(rpr, east_asian: str, latin: str = LATIN) -> None:
    """rFonts with every script named and no theme font (a theme font would win over the names)."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for script, name in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east_asian), ("cs", latin)):
        fonts.set(qn(f"w:{script}"), name)


def _style(style: ParagraphStyle, font: str, size: float, *, bold: bool = False, indent: bool = True,
           align: str = "JUSTIFY", line: float | None = LINE) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    rpr = style.element.get_or_add_rPr()
    ppr = style.element.get_or_add_pPr()
    # python-docx's own styles: a rule under the title, letter spacing, kerning, contextual spacing.
    for parent, tag in ((ppr, "w:pBdr"), (ppr, "w:contextualSpacing"), (rpr, "w:spacing"), (rpr, "w:kern"),
                        (rpr, "w:szCs")):
        for child in parent.findall(qn(tag)):
            parent.remove(child)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(rpr, font)
    pf = style.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing, pf.line_spacing_rule = Pt(line), WD_LINE_SPACING.EXACTLY
    pf.first_line_indent = Pt(2 * size) if indent else Pt(0)
    pf.alignment = getattr(WD_ALIGN_PARAGRAPH, align)


def _styles(doc: Document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt

    # Document defaults: no theme fonts, Chinese as the East Asian language, no space after paragraphs.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rpr, BODY_FONT)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    for attr in ("after", "line", "lineRule"):
        spacing.attrib.pop(qn(f"w:{attr}"), None)

    normal = doc.styles["Normal"]
    _style(normal, BODY_FONT, BODY_SIZE)
    title = doc.styles["Title"]
    _style(title, TITLE_FONT, TITLE_SIZE, indent=False, align="CENTER", line=None)
    title.paragraph_format.space_after = Pt(TITLE_SIZE)
    for name, (font, bold) in HEADINGS.items():
        style = doc.styles[name]
        _style(style, font, BODY_SIZE, bold=bold)
        style.paragraph_format.keep_with_next = True
    for name, font, size, kwargs in ((CAPTION, CAPTION_FONT, CAPTION_SIZE, {"indent": False, "align": "CENTER"}),
                                     (TABLE_TEXT, BODY_FONT, TABLE_SIZE, {"indent": False, "line": None,
                                                                          "align": "LEFT"}),
                                     (FIELD, BODY_FONT, BODY_SIZE, {"indent": False})):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _style(style, font, size, **kwargs)
    doc.styles[CAPTION].paragraph_format.keep_with_next = True


def _page(doc: Document) -> None:
    """A4 with the 公文 margins; the page number as — 1 — centred in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    runs = [footer.add_run(text) for text in ("— ", "1", " —")]
    for run in runs:
        run.font.size = Pt(PAGE_SIZE)
        set_fonts(run._r.get_or_add_rPr(), PAGE_FONT, PAGE_FONT)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    runs[1]._r.addprevious(field)
    field.append(runs[1]._r)


def _table(doc: Document, headers: tuple[str, ...], widths: tuple[float, ...],
           loops: tuple[tuple[str, tuple[str, ...]], ...], footer: tuple[tuple[str, ...], ...] = ()) -> Table:
    """A grid table: a header row (repeated on each page, kept with the first row), for each (list, cells)
    of ``loops`` a docxtpl row loop, then ``footer`` rows; no row breaks across pages."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    rows: list[tuple[str, ...]] = [headers]
    blank = ("",) * (len(headers) - 1)
    for name, cells in loops:
        rows += [(f"{{%tr for r in {name} %}}", *blank), cells, ("{%tr endfor %}", *blank)]
    rows += list(footer)
    table = doc.add_table(rows=len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, width in enumerate(widths):
        table.columns[c].width = Cm(width)  # the grid, which LibreOffice and WPS lay out by
    for r, values in enumerate(rows):
        tr_pr = table.rows[r]._tr.get_or_add_trPr()
        for flag in ("w:cantSplit", "w:tblHeader") if r == 0 else ("w:cantSplit",):
            tr_pr.append(OxmlElement(flag))
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Cm(widths[c])
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles[TABLE_TEXT]
            if r == 0:
                paragraph.paragraph_format.keep_with_next = True
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(value)
            run.bold = r == 0 or None
    return table


def _loop(doc: Document, name: str, style: str = "Normal", var: str = "p") -> None:
    """One paragraph per item of the list variable ``name``."""
    doc.add_paragraph(f"{{%p for {var} in {name} %}}")
    doc.add_paragraph(f"{{{{ {var} }}}}", style)
    doc.add_paragraph("{%p endfor %}")


def build(target: str | Path | io.BytesIO) -> None:
    """Write the standard template to ``target``."""
    import docx

    doc = docx.Document()
    _styles(doc)
    _page(doc)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = TITLE, "evaltool", "evaltool"
    props.created = props.modified = CREATED
    props.revision = 1

    doc.add_paragraph(TITLE, "Title")
    for label, var in (("部门名称：（公章）", "dept"), ("所属下级预算单位数量：", "subunits"), ("填报人：", "filler"),
                       ("联系电话：", "phone"), ("填报日期：", "date")):
        doc.add_paragraph(f"{label}{{{{ {var} }}}}", FIELD)

    doc.add_paragraph("一、部门基本情况", "Heading 1")
    doc.add_paragraph("（一）部门职能", "Heading 2")
    _loop(doc, "duties")
    doc.add_paragraph("（二）年度总体工作和重点工作任务", "Heading 2")
    _loop(doc, "work")
    doc.add_paragraph("（三）部门整体支出绩效目标", "Heading 2")
    _loop(doc, "goal_text")
    _loop(doc, "goals")
    doc.add_paragraph("（四）部门整体支出情况（以决算数为统计口径）", "Heading 2")
    _loop(doc, "finance")
    money = "金额（{{ unit }}）"
    for title, rows in (("表1  收入情况", "income_rows"), ("表2  支出情况", "expense_rows")):
        doc.add_paragraph(title, CAPTION)
        _table(doc, ("项目", money, "占比"), (7.0, 4.5, 4.0), ((rows, ("{{ r.name }}", "{{ r.amount }}",
                                                                       "{{ r.share }}")),))

    doc.add_paragraph("二、绩效自评情况", "Heading 1")
    doc.add_paragraph("（一）自评结论", "Heading 2")
    _loop(doc, "conclusion")
    doc.add_paragraph("表3  部门整体支出绩效自评评分表", CAPTION)
    _table(doc, ("一级指标", "二级指标", "三级指标", "分值", "自评得分", "扣分原因"), (2.9, 2.1, 3.8, 1.3, 2.1, 3.4),
           (("score_rows", ("{{ r.level1 }}", "{{ r.level2 }}", "{{ r.level3 }}", "{{ r.weight }}",
                            "{{ r.self }}", "{{ r.reason }}")),),
           (("合计", "", "", "{{ score.weight_total }}", "{{ score.total }}", ""),
            ("自评等级", "", "", "", "{{ score.grade }}", "")))
    doc.add_paragraph("（二）部门整体支出绩效指标分析", "Heading 2")
    doc.add_paragraph("{%p for l1 in analysis %}")
    doc.add_paragraph("{{ l1.heading }}", "Heading 3")
    doc.add_paragraph("{%p for l2 in l1.groups %}")
    doc.add_paragraph("{{ l2.heading }}", "Heading 4")
    doc.add_paragraph("{%p for item in l2.indicators %}")
    doc.add_paragraph("{{ item.heading }}", "Heading 5")
    _loop(doc, "item.paragraphs")
    for _ in range(3):
        doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("（三）存在问题及改进措施", "Heading 2")
    doc.add_paragraph("1.存在问题", "Heading 3")
    _loop(doc, "problems")
    doc.add_paragraph("2.改进措施", "Heading 3")
    _loop(doc, "measures")

    doc.add_paragraph("三、上年度绩效自评整改情况", "Heading 1")
    doc.add_paragraph("（一）存在问题", "Heading 2")
    _loop(doc, "last_problems")
    doc.add_paragraph("（二）改进措施", "Heading 2")
    _loop(doc, "last_measures")
    doc.save(target)


def main(argv: list[str]) -> None:
    """``python -m evaltool.narrative.standard [PATH.docx]``: rewrite the committed template, or write a
    copy to PATH for a county to restyle."""
    path = Path(argv[0]) if argv else Path(str(STANDARD))
    path.parent.mkdir(parents=True, exist_ok=True)
    build(path)
    print(path)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
