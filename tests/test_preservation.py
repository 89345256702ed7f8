"""Nothing lost: the checked copy keeps everything of the input; only the marked cells change.

A workbook rich in what officers add (formats, fonts, fills, borders, validations, comments,
merges, names, hidden sheets, rows and columns, formulas, rich text, links, a table) is checked
and compared with its checked copy structurally.  Then parts openpyxl cannot write back are
added by package surgery: ``write_checked`` must return each (the console names it).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from copy import copy
from pathlib import Path

import hostile as H
import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from evaltool.checker import check_file
from evaltool.findings import Severity
from evaltool.outputs.checked import write_checked
from evaltool.samples import Filler
from evaltool.workbook.comments import AUTHOR, SEPARATOR
from evaltool.workbook.layout import ADDED_SHEETS
from tests.fillers import with_mistakes


def rich_workbook(f: Filler | None = None) -> Filler:
    """The mistakes sample (or ``f``) plus what an officer's copy typically carries besides the figures."""
    f = f or with_mistakes()
    wb = f.wb
    fin, funds, goals = wb["收支情况"], wb["专项资金"], wb["绩效目标"]
    thick = Side(style="thick", color="FF0000")
    # Styles on input cells, flagged (C5: wrong share) and not (B5, B13).
    for coord in ("B5", "B13", "C5"):
        fin[coord].font = Font(name="仿宋", size=12, bold=True, color="FF1F4E79")
        fin[coord].border = Border(left=thick, bottom=thick)
        fin[coord].alignment = Alignment(horizontal="right", vertical="center")
    fin["B5"].number_format = '#,##0.00"万元"'
    fin["B13"].fill = PatternFill("solid", start_color="FFD9E1F2")
    fin["C5"].fill = PatternFill("solid", start_color="FF92D050")  # replaced by the error fill
    # The officer's own working: formulas, rich text, a link, a merged note, comments.
    fin["H4"] = "核对"
    fin["H5"] = "=B5/B14"
    fin["H6"] = '=IF(B13>0,"有其他收入","")'
    fin["H7"] = "=SUM(B5:B13)"
    fin["H7"].number_format = "0.00"
    fin["H8"] = CellRichText([TextBlock(InlineFont(b=True, color="FFFF0000"), "注意："), "数据来自决算报表"])
    fin["H9"] = "决算公开网址"
    fin["H9"].hyperlink = "https://www.fengshun.gov.cn/"
    fin["H11"] = "本表由办公室填报，财务股复核"
    fin.merge_cells("H11:K12")
    fin["B5"].comment = Comment("2369.93 = 决算报表 财决01表", "吴家峰")
    fin["C5"].comment = Comment("按初稿计算", "吴家峰")  # on a flagged cell: kept above evaltool's text
    funds["F5"].comment = Comment("已全部拨付", "财务股")
    # Validation, conditional format, hidden rows and columns, widths, freeze, tab colour.
    dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True, prompt="是否已复核", promptTitle="复核")
    dv.add("H13")
    fin.add_data_validation(dv)
    fin.conditional_formatting.add("C5:C13", CellIsRule(operator="greaterThan", formula=["1"],
                                                          fill=PatternFill("solid", start_color="FFFFC7CE")))
    fin.column_dimensions["J"].hidden = True
    fin.column_dimensions["H"].width = 28
    fin.row_dimensions[30].hidden = True
    fin["A30"] = "隐藏行：旧口径数据"
    goals.row_dimensions[40].height = 33
    goals["A40"] = "备注行"
    fin.sheet_properties.tabColor = "FF00B050"
    # Names: workbook-wide, sheet-scoped, print area and titles.
    wb.defined_names["收入合计"] = DefinedName("收入合计", attr_text="收支情况!$B$14")
    fin.defined_names["本表占比"] = DefinedName("本表占比", attr_text="收支情况!$C$5:$C$13")
    fin.print_area = "A1:C24"
    goals.print_title_rows = "4:4"
    # Sheets the officer added: one hidden, one very hidden, one with a table.
    draft = wb.create_sheet("草稿")
    draft["A1"] = "旧数据"
    draft["B2"] = 1234.5
    draft.sheet_state = "hidden"
    secret = wb.create_sheet("系统参数")
    secret["A1"] = "口径"
    secret.sheet_state = "veryHidden"
    lst = wb.create_sheet("明细")
    lst.append(["项目", "金额"])
    lst.append(["办公费", 12.5])
    lst.append(["差旅费", 3.2])
    lst.add_table(Table(displayName="明细表", ref="A1:B3"))
    return f


def _check(path: Path, out: Path, fix: bool = False):
    result = check_file(path)
    assert result.error is None, result.error.render()
    write_checked(result, str(out), fix=fix)
    return result


def _load(path: Path):
    return openpyxl.load_workbook(path, rich_text=True)


def _flagged_cells(result) -> set[tuple[str, str]]:
    return {(f.sheet, f.cell) for f in result.findings if f.sheet and f.cell and f.severity is not Severity.INFO}


def _style(cell, marked: bool = False) -> tuple:
    """Font, border, alignment, protection: the style proxies compare only through copies.  A marked
    cell's border is the mark's (what a black-and-white print shows)."""
    names = ("font", "alignment", "protection") if marked else ("font", "border", "alignment", "protection")
    return tuple(copy(getattr(cell, name)) for name in names)


def _xml(obj) -> bytes:
    from openpyxl.xml.functions import tostring

    return tostring(obj.to_tree())


def test_checked_copy_keeps_everything(tmp_path):
    path, out = tmp_path / "rich.xlsx", tmp_path / "rich.checked.xlsx"
    rich_workbook().save(path)
    result = _check(path, out)
    flagged = _flagged_cells(result)
    assert ("收支情况", "C5") in flagged and ("收支情况", "B13") not in flagged
    assert_kept(path, out, flagged)


def assert_kept(path: Path, out: Path, flagged: set[tuple[str, str]]) -> None:
    """``out`` has every sheet, value, format, comment, validation, name ... of ``path``; only the
    ``flagged`` cells' fills and comments differ (the comment keeping the officer's text first)."""
    before, after = _load(path), _load(out)
    assert [ws.title for ws in after.worksheets if ws.title not in ADDED_SHEETS] == before.sheetnames
    for ws in before.worksheets:
        kept_ws = after[ws.title]
        assert kept_ws.sheet_state == ws.sheet_state
        for row in ws.iter_rows():
            for cell in row:
                kept = kept_ws[cell.coordinate]
                where = f"{ws.title}!{cell.coordinate}"
                assert kept.value == cell.value, where
                assert kept.data_type == cell.data_type, where
                assert kept.number_format == cell.number_format, where
                marked = (ws.title, cell.coordinate) in flagged
                assert _style(kept, marked) == _style(cell, marked), where
                assert (kept.hyperlink and kept.hyperlink.target) == (cell.hyperlink and cell.hyperlink.target)
                if (ws.title, cell.coordinate) in flagged:
                    assert kept.comment.author == AUTHOR
                    if cell.comment is not None:
                        assert kept.comment.text.startswith(cell.comment.text + "\n" + SEPARATOR), where
                else:
                    assert copy(kept.fill) == copy(cell.fill), where
                    assert (kept.comment and kept.comment.text) == (cell.comment and cell.comment.text), where
        assert {str(r) for r in kept_ws.merged_cells.ranges} == {str(r) for r in ws.merged_cells.ranges}
        assert [_xml(dv) for dv in kept_ws.data_validations.dataValidation] == \
               [_xml(dv) for dv in ws.data_validations.dataValidation]
        assert [(str(cf.sqref), [_xml(r) for r in cf.rules]) for cf in kept_ws.conditional_formatting] == \
               [(str(cf.sqref), [_xml(r) for r in cf.rules]) for cf in ws.conditional_formatting]
        assert {k: (d.hidden, d.width) for k, d in kept_ws.column_dimensions.items()} == \
               {k: (d.hidden, d.width) for k, d in ws.column_dimensions.items()}
        assert {k: (d.hidden, d.height) for k, d in kept_ws.row_dimensions.items() if d.hidden or d.height} == \
               {k: (d.hidden, d.height) for k, d in ws.row_dimensions.items() if d.hidden or d.height}
        assert {k: v.attr_text for k, v in kept_ws.defined_names.items()} == \
               {k: v.attr_text for k, v in ws.defined_names.items()}
        assert (kept_ws.print_area, kept_ws.print_title_rows, kept_ws.freeze_panes) == \
               (ws.print_area, ws.print_title_rows, ws.freeze_panes)
        assert _xml(kept_ws.protection) == _xml(ws.protection)
        assert kept_ws.sheet_properties.tabColor == ws.sheet_properties.tabColor
        assert sorted(kept_ws.tables) == sorted(ws.tables)
        # Nothing appeared either: reading may touch empty cells, but never gives them a value.
        extra = {c.coordinate for row in kept_ws.iter_rows() for c in row if c.value is not None} - \
                {c.coordinate for row in ws.iter_rows() for c in row if c.value is not None}
        assert extra == set(), (ws.title, extra)
    assert {k: v.attr_text for k, v in after.defined_names.items()} == \
           {k: v.attr_text for k, v in before.defined_names.items()}


def test_fix_changes_only_the_fixed_cells(tmp_path):
    path, out = tmp_path / "rich.xlsx", tmp_path / "fixed.xlsx"
    rich_workbook().save(path)
    _check(path, out, fix=True)
    before, after = _load(path), _load(out)
    changed = {(ws.title, c.coordinate) for ws in before.worksheets for row in ws.iter_rows() for c in row
               if after[ws.title][c.coordinate].value != c.value}
    assert changed == {("收支情况", "C5"), ("运行成本", "D5"), ("专项资金", "D6"), ("绩效目标", "G6")}
    assert after["收支情况"]["H5"].value == "=B5/B14"  # the officer's formulas stay formulas


def test_formulas_of_every_kind_survive(tmp_path):
    """Array and shared formulas are written back as formulas (openpyxl expands shared ones)."""
    from openpyxl.worksheet.formula import ArrayFormula

    f = with_mistakes()
    ws = f.wb["收支情况"]
    ws["H5"] = ArrayFormula("H5:H6", "=B5:B6*2")
    path, out = tmp_path / "array.xlsx", tmp_path / "array.checked.xlsx"
    f.save(path)
    _check(path, out)
    kept = _load(out)["收支情况"]["H5"].value
    assert isinstance(kept, ArrayFormula) and kept.ref == "H5:H6" and kept.text == "=B5:B6*2"


# --------------------------------------------------------------------------- what openpyxl could not keep

_WMF = b"\xd7\xcd\xc6\x9a" + bytes(60)  # a placeable-metafile header
_OLE = (f'<oleObjects><oleObject xmlns:r="{H.DOC_REL}" progId="Word.Document.12" shapeId="1025" '
              'r:id="rIdOle"/></oleObjects>')
_VML_BUTTON = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:office:excel">'
               b'<v:shape id="_x0000_s1025"><x:ClientData ObjectType="Button"><x:FmlaMacro>[0]!Macro1'
               b"</x:FmlaMacro></x:ClientData></v:shape></xml>")
_THREADED = ('<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
             '<threadedComment ref="B5" id="{1}" personId="{2}"><text>请核对</text></threadedComment>'
             '<threadedComment ref="B5" id="{3}" personId="{2}" parentId="{1}"><text>已核对</text></threadedComment>'
             "</ThreadedComments>").encode()
_CELL_IMAGES = (b'<etc:cellImages xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData">'
                b"<etc:cellImage/><etc:cellImage/></etc:cellImages>")


# Each of these was dropped by the openpyxl copy (which then had to say so); the patched copy keeps them.
ADDITIONS: dict[str, Callable[[bytes], bytes]] = {
    "text box": lambda d: H.with_drawing(d, "收支情况", H.TEXT_BOX),
    "x14 data validation": lambda d: H.with_extension(d, "收支情况", H.X14_DV_URI, H.X14_DV_BODY),
    "sparklines": lambda d: H.with_extension(d, "运行成本", H.SPARKLINE_URI, H.SPARKLINE_BODY),
    "WMF picture": lambda d: H.with_drawing(d, "基本信息", H.PICTURE, {"xl/media/seal.wmf": _WMF}),
    "WPS cell images": lambda d: H.with_part(d, "xl/cellimages.xml", _CELL_IMAGES),
    "threaded comments": lambda d: H.with_part(d, "xl/threadedComments/threadedComment1.xml", _THREADED),
    "OLE object": lambda d: H.rezip(d, edit={H.sheet_part(d, "收支情况"): H.sheet_child("oleObjects", _OLE)}),
    "form control": lambda d: H.attach(d, "专项资金", "xl/drawings/vmlDrawing9.vml", _VML_BUTTON, kind="vmlDrawing",
                                       element="legacyDrawing", content_type=H.VML_TYPE),
    "slicer": lambda d: H.with_part(d, "xl/slicers/slicer1.xml", b"<slicers/>"),
    "macros in .xlsm": H.with_vba,
    "unknown part": lambda d: H.with_part(d, "xl/model/item.data", b"\0" * 16),
}


def _inserted(before: bytes, after: bytes) -> bytes:
    """What an edit put into ``before`` to make ``after`` (one contiguous insertion or replacement)."""
    head = len(os.path.commonprefix([before, after]))
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return after[head:len(after) - tail]


@pytest.mark.parametrize("name", list(ADDITIONS))
def test_what_openpyxl_dropped_comes_through_byte_for_byte(name, tmp_path):
    """A part the officer's tool added is in the copy with the same bytes; an element added to a part
    we patch (a sheet with marks, the content types) is in the copy's part with the same bytes."""
    plain = H.to_bytes(with_mistakes())
    data = ADDITIONS[name](plain)
    suffix = ".xlsm" if name.startswith("macros") else ".xlsx"
    path, out = tmp_path / f"extra{suffix}", tmp_path / f"extra.checked{suffix}"
    path.write_bytes(data)
    _check(path, out)
    was, now, written = H.parts(plain), H.parts(data), H.parts(out.read_bytes())
    for part, blob in now.items():
        if part not in was and written[part] != blob:  # a marked sheet's rels or VML: ours added to theirs
            assert part.endswith((".rels", ".vml")), part
            pieces = re.findall(rb"<Relationship\b[^>]*/>|<v:shape\b.*?</v:shape>", blob, re.S)
            assert pieces and all(piece in written[part] for piece in pieces), part
        elif part in was and blob != was[part] and written[part] != blob:
            assert _inserted(was[part], blob) in written[part], part


def test_xlsm_checked_into_xlsx_drops_macros(tmp_path):
    """Excel refuses an .xlsx holding macros: a copy the officer names .xlsx has none (the input keeps them)."""
    path, out = tmp_path / "m.xlsm", tmp_path / "m.checked.xlsx"
    path.write_bytes(H.with_vba(H.to_bytes(with_mistakes())))
    _check(path, out)
    written = H.parts(out.read_bytes())
    assert "xl/vbaProject.bin" not in written and b"macroEnabled" not in written["[Content_Types].xml"]
    assert openpyxl.load_workbook(io.BytesIO(out.read_bytes())).vba_archive is None
