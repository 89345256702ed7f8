"""The checked copy by patching (``workbook/patch.py``): only what the marks need changes, byte for byte.

A workbook carrying what openpyxl cannot write back (formula results, a picture, a text box, x14
validations, sparklines, WPS cell images, custom XML, made-up parts, the officer's comments and
custom properties) is built by package surgery, checked, and marked from the plan of its findings.
Every part other than the ones the marks change must come back as the same bytes; every part must
be well-formed, every relationship and content type resolve, openpyxl and python-calamine open the
copy, and an OOXML schema validator finds nothing new in it.  Then the pieces one by one: styles,
rows and cells inserted in order, merged ranges, --fix (formulas, shared formulas, arrays,
calcChain), comments merged with the officer's (and threaded ones), the XML XlsxWriter writes, the
package type by name, and the marker.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
from copy import copy
from decimal import Decimal
from pathlib import Path

import hostile as H
import openpyxl
import pytest
from defusedxml import ElementTree

from evaltool.checker import check_file
from evaltool.outputs.marks import plan
from evaltool.outputs.styles import (
    COMMENT_LINE_PX,
    COMMENT_LINE_UNITS,
    COMMENT_WIDTH,
    FILL_ERROR,
    FILL_FIXED,
    FILL_WARNING,
)
from evaltool.workbook.comments import AUTHOR, SEPARATOR, CommentBox
from evaltool.workbook.marker import PIECE, read_marker, write_marker
from evaltool.workbook.package import as_zip, content_type, read_package, write_package
from evaltool.workbook.patch import CellPatch, mark_cells, match_name, patch_copy
from evaltool.workbook.xlsxcache import relationships, rels_of, sheet_parts
from tests.fillers import with_mistakes

BOX = CommentBox(COMMENT_WIDTH, COMMENT_LINE_UNITS, COMMENT_LINE_PX)
MARKER = {"tool": "evaltool", "version": "0.1.0"}
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
def patches_of(path: Path, *, fix: bool = False) -> list[CellPatch]:
    """The plan of ``path``'s findings as the package patcher takes it (what ``outputs/checked.py`` will pass)."""
    result = check_file(path)
    assert result.error is None, result.error.render()
    return [CellPatch(m.sheet, m.cell, m.fill, "\n".join(m.lines), m.fix.value if m.fix else None,
                      m.fix.number_format if m.fix else None) for m in plan(result.findings, "zh", fix)]


def _sheet_family(parts: dict[str, bytes], sheet_part: str) -> set[str]:
    """A sheet, its relationships, and the comments and VML drawing it relates to."""
    rels = relationships(as_zip(parts), sheet_part)
    return {sheet_part, rels_of(sheet_part)} | {t for kind, t in rels.values() if kind in ("comments", "vmlDrawing")}


def assert_sound(parts: dict[str, bytes]) -> None:
    """Every XML part well-formed; every internal relationship target a part; every part a content type."""
    for name, data in parts.items():
        if name.endswith((".xml", ".rels", ".vml")):
            ElementTree.fromstring(data)  # raises on a malformed part
    for name in [n for n in parts if n.endswith(".rels")]:
        folder = posixpath.dirname(posixpath.dirname(name))
        source = posixpath.join(folder, posixpath.basename(name)[:-5])
        for rel in ElementTree.fromstring(parts[name]):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(source), target))
            assert part in parts, (name, target)
    for name in parts:
        if name != "[Content_Types].xml":
            assert content_type(parts, name), name


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """(input path, input parts, fixed copy path, its parts, the patches)."""
    folder = tmp_path_factory.mktemp("rich")
    path, out = folder / "rich.xlsx", folder / "rich.checked.xlsx"
    path.write_bytes(H.officer_package())
    patches = patches_of(path, fix=True)
    assert patch_copy(str(path), str(out), patches, box=BOX, marker=MARKER) == []
    return path, read_package(str(path)), out, read_package(str(out)), patches


def test_every_part_the_marks_do_not_need_is_byte_identical(rich):
    _, before, _, after, patches = rich
    sheets = sheet_parts(as_zip(before))
    marked = {sheets[p.sheet] for p in patches}
    assert {"收支情况", "运行成本", "专项资金", "绩效目标", "基本信息", "自评评分表"} <= {p.sheet for p in patches}
    may_change = {"xl/styles.xml", "[Content_Types].xml", "docProps/custom.xml"}
    for part in marked:
        may_change |= _sheet_family(after, part)
    changed = {n for n in after if before.get(n) != after[n]}
    assert changed <= may_change
    assert set(before) - set(after) == set()  # nothing dropped (openpyxl writes no calcChain to drop)
    assert [n for n in after if n in before] == list(before)  # in the input's order
    # What openpyxl would have lost, by name: the same bytes.
    for name in ("xl/media/seal.png", "xl/drawings/drawing99.xml", "xl/drawings/drawing98.xml", "xl/cellimages.xml",
                 "xl/_rels/cellimages.xml.rels", "xl/model/item.data", "evaltool-test/unknown.xml", *H.CUSTOM_XML,
                 "xl/theme/theme1.xml", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml"):
        assert after[name] == before[name], name
    assert len(changed & {sheets[s] for s in sheets}) == len(marked)


def test_the_marked_sheets_keep_their_formula_results_extensions_and_drawings(rich):
    path, before, out, after, _ = rich
    part = sheet_parts(as_zip(before))["收支情况"]
    for fragment in (b"<f>B5/B14</f><v>0.81317659491972</v>", b"<f>SUM(B5:B13)</f><v>2914.41</v>",
                     H.X14_DV_BODY.encode(), b"<mergeCells", b"<dataValidations"):
        assert fragment in before[part] and fragment in after[part], fragment
    sheets = sheet_parts(as_zip(before))
    assert H.SPARKLINE_BODY.encode() in after[sheets["运行成本"]]
    for sheet in ("基本信息", "绩效目标"):
        assert b'<drawing xmlns:r="' in after[sheets[sheet]], sheet
    calamine = pytest.importorskip("python_calamine")
    book = calamine.CalamineWorkbook.from_path(str(out))
    rows = book.get_sheet_by_name("收支情况").to_python()
    assert rows[4][7] == pytest.approx(0.81317659491972)  # H5: the formula's saved result
    assert rows[5][7] == pytest.approx(2914.41)
    assert rows[4][2] == pytest.approx(0.8132)  # C5: the fixed share


@pytest.mark.filterwarnings("ignore:.*extension is not supported")  # openpyxl reading the x14 parts
def test_the_copy_is_sound_and_opens(rich):
    _, _, out, after, patches = rich
    assert_sound(after)
    wb = openpyxl.load_workbook(out)
    first = next(p for p in patches if p.sheet == "收支情况" and p.cell == "C5")
    cell = wb["收支情况"]["C5"]
    assert (cell.value, cell.number_format, cell.fill.fgColor.rgb) == (0.8132, "0.00%", "FF" + FILL_FIXED)
    assert cell.comment.text == f"按初稿计算\n{SEPARATOR}\n{first.comment}"
    assert wb["收支情况"]["A5"].comment.text == "决算报表 财决01表"  # the officer's, untouched
    assert wb.custom_doc_props["审核人"].value == "张三"


def test_a_schema_validator_finds_nothing_new_in_the_copy(rich, tmp_path):
    """openxml-audit (the Open XML SDK's schemas and rules in Python) on the input and on the copy.

    It reports element order, missing and unknown elements and attributes (shown below by a
    copy broken on purpose), so the parts we change follow the schema's order."""
    audit = pytest.importorskip("openxml_audit")
    path, _, out, after, _ = rich

    def findings(p) -> set[tuple[str, str, str]]:
        found = audit.OpenXmlValidator(max_errors=0).validate(str(p)).errors
        return {(e.part_uri, e.path, e.description) for e in found}

    before = findings(path)  # validated once: about a third of a second
    assert findings(out) - before == set()
    broken = dict(after)
    part = sheet_parts(as_zip(after))["基本信息"]
    legacy = re.search(rb"<legacyDrawing[^>]*/>", broken[part])[0]
    broken[part] = broken[part].replace(legacy, b"").replace(b"<sheetData>", legacy + b"<sheetData>")
    write_package(broken, str(tmp_path / "broken.xlsx"))
    assert {d for p, _, d in findings(tmp_path / "broken.xlsx") - before if p == "/" + part}


def test_the_input_is_only_read(tmp_path):
    path = tmp_path / "in.xlsx"
    path.write_bytes(H.to_bytes(with_mistakes()))
    os.chmod(path, 0o444)
    data, stat = path.read_bytes(), path.stat()
    patches = patches_of(path)
    patch_copy(str(path), str(tmp_path / "out.xlsx"), patches, box=BOX, marker=MARKER)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == (data, stat.st_mtime_ns)
    with pytest.raises(ValueError, match="must not overwrite"):
        patch_copy(str(path), str(path), patches, box=BOX, marker=MARKER)
    assert [n for n in os.listdir(tmp_path) if n.startswith("~$")] == []


# --------------------------------------------------------------------------- small workbooks


def tiny(rows: str, *, sheet_extra: str = "", head: str = "",
         extra: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """A one-sheet package (openpyxl's) whose sheetData is ``rows``; ``head`` goes before it (cols),
    ``sheet_extra`` after it (mergeCells ...)."""
    wb = openpyxl.Workbook()
    wb.active.title = "表"
    wb.active["A1"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    parts = H.parts(buf.getvalue())
    new = f"{head}<sheetData>{rows}</sheetData>{sheet_extra}".encode()
    sheet = re.sub(rb"<sheetData>.*</sheetData>", lambda _: new, parts["xl/worksheets/sheet1.xml"], flags=re.S)
    sheet = re.sub(rb"<cols>.*?</cols>", b"", sheet) if head else sheet
    parts["xl/worksheets/sheet1.xml"] = sheet
    parts.update(extra or {})
    return parts


def sheet_xml(parts: dict[str, bytes]):
    return ElementTree.fromstring(parts["xl/worksheets/sheet1.xml"])


def cells(parts: dict[str, bytes]) -> list[tuple[str, dict[str, str]]]:
    return [(c.get("r"), dict(c.attrib)) for c in sheet_xml(parts).iter(f"{NS}c")]


def test_missing_rows_and_cells_are_inserted_in_order_and_rows_keep_their_attributes():
    parts = tiny('<row r="1"><c r="A1"><v>1</v></c></row>'
                 '<row r="3" spans="1:3" ht="30" customHeight="1"><c r="A3"><v>3</v></c><c r="C3"><v>4</v></c></row>'
                 '<row r="5"><c r="A5"><v>5</v></c></row>')
    refs = ["B3", "D3", "A2", "Z9", "A1", "A4"]
    nowhere = [CellPatch("别的表", "A1", FILL_ERROR, "no such sheet"), CellPatch("表", "C", FILL_ERROR, "no cell")]
    marked = mark_cells(parts, [CellPatch("表", r, FILL_ERROR, f"note {r}") for r in refs] + nowhere, box=BOX)
    order = [r for r, _ in cells(marked.parts)]
    assert order == ["A1", "A2", "A3", "B3", "C3", "D3", "A4", "A5", "Z9"]
    rows = [(r.get("r"), r.get("ht"), r.get("customHeight")) for r in sheet_xml(marked.parts).iter(f"{NS}row")]
    assert rows == [("1", None, None), ("2", None, None), ("3", "30", "1"), ("4", None, None), ("5", None, None),
                    ("9", None, None)]
    new = {r: a.get("s") for r, a in cells(marked.parts)}
    assert new["A3"] is None and new["C3"] is None and new["A5"] is None  # untouched cells keep no style
    assert len({new[r] for r in refs}) == 1 and new["A1"] is not None
    assert {c["cell"]: c.get("blank", False) for c in marked.cells} == {r: r != "A1" for r in refs}


def test_a_mark_in_a_merged_range_goes_on_its_top_left_cell(tmp_path):
    parts = tiny('<row r="2"><c r="B2"><v>1</v></c></row>', sheet_extra='<mergeCells count="1"><mergeCell ref="B2:D4"/>'
                 "</mergeCells>")
    marked = mark_cells(parts, [CellPatch("表", "C3", FILL_ERROR, "one"), CellPatch("表", "D4", FILL_ERROR, "two")],
                        box=BOX)
    assert [r for r, _ in cells(marked.parts)] == ["B2"]
    write_package(marked.parts, str(tmp_path / "merged.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "merged.xlsx")
    assert wb["表"]["B2"].comment.text == "one\ntwo"
    assert [c["cell"] for c in marked.cells] == ["B2"]


def test_a_new_cell_format_is_the_cells_own_with_our_fill(tmp_path):
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表"
    for ref in ("A1", "B1"):
        ws[ref] = 1.5
        ws[ref].font = Font(name="仿宋", size=12, bold=True, color="FF1F4E79")
        ws[ref].border = Border(left=Side(style="thick", color="FFFF0000"))
        ws[ref].alignment = Alignment(horizontal="right", wrap_text=True)
        ws[ref].protection = Protection(locked=False)
        ws[ref].number_format = '#,##0.00"万元"'
        ws[ref].fill = PatternFill("solid", start_color="FF92D050")
    path = tmp_path / "styled.xlsx"
    wb.save(path)
    out = tmp_path / "out.xlsx"
    patch_copy(str(path), str(out), [CellPatch("表", "A1", FILL_ERROR, "x"),
                                     CellPatch("表", "B1", FILL_FIXED, "y", Decimal("2.25"), "0.00%")],
               box=BOX, marker=MARKER)
    before, after = openpyxl.load_workbook(path)["表"], openpyxl.load_workbook(out)["表"]
    for ref in ("A1", "B1"):
        for name in ("font", "border", "alignment", "protection"):
            assert copy(getattr(after[ref], name)) == copy(getattr(before[ref], name)), (ref, name)
    assert after["A1"].number_format == '#,##0.00"万元"' and after["A1"].fill.fgColor.rgb == "FF" + FILL_ERROR
    assert (after["B1"].value, after["B1"].number_format, after["B1"].fill.fgColor.rgb) == (2.25, "0.00%",
                                                                                              "FF" + FILL_FIXED)
    styles = ElementTree.fromstring(read_package(str(out))["xl/styles.xml"])
    for block in ("fills", "cellXfs", "numFmts", "fonts", "borders"):
        el = styles.find(f"{NS}{block}")
        assert int(el.get("count")) == len(el), block
    marker = read_marker(read_package(str(out)))
    a1, b1 = marker["cells"]
    assert 'rgb="FF92D050"' in a1["fill"] and "format" not in a1
    assert b1["format"] == '#,##0.00"万元"' and b1["value"] == "1.5" and b1["type"] == "n"


# --------------------------------------------------------------------------- --fix and formulas


def test_a_formula_cell_is_marked_but_never_overwritten_and_the_calc_chain_stays():
    chain = f'<calcChain xmlns="{H.MAIN_NS}"><c r="B1" i="1"/></calcChain>'.encode()
    parts = tiny('<row r="1"><c r="A1"><v>2</v></c><c r="B1" t="str"><f>A1&amp;"x"</f><v>2x</v></c></row>',
                 extra={"xl/calcChain.xml": chain})
    parts["xl/_rels/workbook.xml.rels"] = H.insert_before("</Relationships>", H.relationship(
        "rIdChain", "calcChain", "calcChain.xml"))(parts["xl/_rels/workbook.xml.rels"])
    parts["[Content_Types].xml"] = H.insert_before("</Types>", H.override(
        "xl/calcChain.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"))(
        parts["[Content_Types].xml"])
    patches = [CellPatch("表", "B1", FILL_FIXED, "fixed", Decimal("0.50"))]
    marked = mark_cells(parts, patches, box=BOX)
    assert marked.not_fixed == patches
    assert marked.parts["xl/calcChain.xml"] == chain
    b1 = next(c for c in sheet_xml(marked.parts).iter(f"{NS}c") if c.get("r") == "B1")
    assert (b1.get("t"), b1.find(f"{NS}f").text, b1.find(f"{NS}v").text) == ("str", 'A1&"x"', "2x")
    assert b1.get("s") is not None and "value" not in marked.cells[0] and "format" not in marked.cells[0]
    assert marked.parts["xl/workbook.xml"] == parts["xl/workbook.xml"]  # nothing to recalculate
    assert_sound(marked.parts)


def test_no_cell_of_a_shared_formula_is_overwritten_leading_or_not():
    rows = ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B2" si="0">A1*2</f><v>2</v></c></row>'
            '<row r="2"><c r="A2"><v>3</v></c><c r="B2"><f t="shared" si="0"/><v>6</v></c></row>')
    parts = tiny(rows)
    patches = [CellPatch("表", "B1", FILL_FIXED, "fixed", Decimal("2.5")),
               CellPatch("表", "B2", FILL_FIXED, "fixed too", Decimal("7"))]
    marked = mark_cells(parts, patches, box=BOX)
    assert marked.not_fixed == patches
    cells = {c.get("r"): c for c in sheet_xml(marked.parts).iter(f"{NS}c")}
    assert [(cells[r].find(f"{NS}f").attrib.get("si"), cells[r].find(f"{NS}v").text) for r in ("B1", "B2")] == [
        ("0", "2"), ("0", "6")]


def test_a_cell_of_an_array_formula_is_marked_but_not_overwritten():
    parts = tiny('<row r="1"><c r="A1"><f t="array" ref="A1:A2">B1:B2*2</f><v>2</v></c></row>'
                 '<row r="2"><c r="A2"><v>4</v></c></row>')
    patches = [CellPatch("表", "A2", FILL_FIXED, "cannot", Decimal("5"))]
    marked = mark_cells(parts, patches, box=BOX)
    assert marked.not_fixed == patches
    a2 = next(c for c in sheet_xml(marked.parts).iter(f"{NS}c") if c.get("r") == "A2")
    assert a2.find(f"{NS}v").text == "4" and a2.get("s") is not None


# --------------------------------------------------------------------------- comments


RICH_COMMENT = (
    '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>吴家峰</author>'
    '<author>tc={11111111-2222-3333-4444-555555555555}</author></authors><commentList>'
    '<comment ref="A1" authorId="0"><text><r><rPr><b/><sz val="9"/><rFont val="宋体"/></rPr><t>吴家峰:</t></r>'
    '<r><rPr><sz val="9"/><rFont val="宋体"/></rPr><t xml:space="preserve">\n按初稿计算</t></r></text></comment>'
    '<comment ref="B1" authorId="0"><text><t>别的单元格</t></text></comment>'
    '<comment ref="C1" authorId="1"><text><t>[Threaded comment]\n请核对</t></text></comment>'
    "</commentList></comments>")
THREADED = ('<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
            '<threadedComment ref="C1" dT="2024-01-01T00:00:00.00" personId="{1}" '
            'id="{11111111-2222-3333-4444-555555555555}"><text>请核对</text></threadedComment></ThreadedComments>')
VML_WITH_BUTTON = (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
                   b'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit"'
                   b' data="1"/></o:shapelayout><v:shape id="_x0000_s1025" type="#_x0000_t201"><x:ClientData '
                   b'ObjectType="Button"><x:FmlaMacro>[0]!Macro1</x:FmlaMacro></x:ClientData></v:shape>'
                   b'<v:shape id="_x0000_s1026" type="#_x0000_t202"><x:ClientData ObjectType="Note"><x:Row>0</x:Row>'
                   b"<x:Column>0</x:Column></x:ClientData></v:shape></xml>")


def commented() -> dict[str, bytes]:
    """A sheet with the officer's comments (a formatted one on A1), a threaded comment on C1 and a VML
    drawing holding a form button besides the notes."""
    rels = H.rels_part(H.relationship("rId1", "comments", "../comments1.xml")
                       + H.relationship("rId2", "vmlDrawing", "../drawings/vmlDrawing1.vml")
                       + H.relationship("rId3", "http://schemas.microsoft.com/office/2017/10/relationships/"
                                        "threadedComment", "../threadedComments/threadedComment1.xml"))
    parts = tiny('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="C1"><v>3</v></c></row>',
                 sheet_extra=f'<legacyDrawing xmlns:r="{H.DOC_REL}" r:id="rId2"/>',
                 extra={"xl/comments1.xml": RICH_COMMENT.encode(), "xl/drawings/vmlDrawing1.vml": VML_WITH_BUTTON,
                        "xl/threadedComments/threadedComment1.xml": THREADED.encode(),
                        "xl/worksheets/_rels/sheet1.xml.rels": rels})
    types = (H.override("xl/comments1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml")
             + '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
             + H.override("xl/threadedComments/threadedComment1.xml", "application/vnd.ms-excel.threadedcomments+xml"))
    parts["[Content_Types].xml"] = H.insert_before("</Types>", types)(parts["[Content_Types].xml"])
    return parts


def _comments(parts: dict[str, bytes]) -> dict[str, tuple[str, str]]:
    root = ElementTree.fromstring(parts["xl/comments1.xml"])
    authors = [a.text or "" for a in root.iter(f"{NS}author")]
    return {c.get("ref"): (authors[int(c.get("authorId"))], "".join(t.text or "" for t in c.iter(f"{NS}t")))
            for c in root.iter(f"{NS}comment")}


def test_our_comments_merge_with_the_officers_and_a_recheck_replaces_ours():
    parts = commented()
    first = mark_cells(parts, [CellPatch("表", "A1", FILL_ERROR, "[SHR01] 第一次"),
                               CellPatch("表", "C1", FILL_ERROR, "[SHR02] 会话")], box=BOX).parts
    comments = _comments(first)
    assert comments["A1"] == (AUTHOR, f"吴家峰:\n按初稿计算\n{SEPARATOR}\n[SHR01] 第一次")
    assert comments["B1"] == ("吴家峰", "别的单元格")
    # A threaded comment's placeholder keeps its author (Excel links the thread by it); the thread is untouched.
    assert comments["C1"] == ("tc={11111111-2222-3333-4444-555555555555}",
                              f"[Threaded comment]\n请核对\n{SEPARATOR}\n[SHR02] 会话")
    assert first["xl/threadedComments/threadedComment1.xml"] == THREADED.encode()
    # The officer's formatted runs are kept as written.
    officer = '<r><rPr><b/><sz val="9"/><rFont val="宋体"/></rPr><t>吴家峰:</t></r>'
    assert officer.encode() in first["xl/comments1.xml"]
    again = mark_cells(first, [CellPatch("表", "A1", FILL_WARNING, "[SHR01] 第二次")], box=BOX).parts
    assert _comments(again)["A1"] == (AUTHOR, f"吴家峰:\n按初稿计算\n{SEPARATOR}\n[SHR01] 第二次")
    ours_only = mark_cells(tiny('<row r="1"><c r="A1"><v>1</v></c></row>'),
                           [CellPatch("表", "A1", FILL_ERROR, "旧的")], box=BOX).parts
    ours_only = mark_cells(ours_only, [CellPatch("表", "A1", FILL_ERROR, "新的")], box=BOX).parts
    assert _comments(ours_only)["A1"] == (AUTHOR, "新的")


def _run(text: str) -> str:
    return f'<r><rPr><sz val="11"/><rFont val="Calibri"/></rPr><t xml:space="preserve">{text}</t></r>'


# A merged comment as LibreOffice writes it back: no author, one run per script, so the separator's two
# halves are in two runs.
RESAVED_COMMENT = (
    '<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author> </author>'
    '</authors><commentList><comment ref="A1" authorId="0"><text>'
    + "".join(_run(t) for t in ("吴家峰:&#10;按初稿计算&#10;", "—— ", "evaltool ——&#10;[SHR01 ", "强制性] 第一次"))
    + "</text></comment></commentList></comments>")


def test_a_separator_split_across_runs_by_a_resave_still_parts_the_officers_text_from_ours():
    parts = commented()
    parts["xl/comments1.xml"] = RESAVED_COMMENT.encode()
    again = mark_cells(parts, [CellPatch("表", "A1", FILL_WARNING, "[SHR01] 第二次")], box=BOX).parts
    assert _comments(again)["A1"][1] == f"吴家峰:\n按初稿计算\n{SEPARATOR}\n[SHR01] 第二次"


def test_the_vml_drawing_keeps_the_form_button_and_gets_one_note_per_comment():
    parts = commented()
    marked = mark_cells(parts, [CellPatch("表", "A1", FILL_ERROR, "甲"), CellPatch("表", "B3", FILL_ERROR, "乙")],
                        box=BOX).parts
    vml = marked["xl/drawings/vmlDrawing1.vml"]
    assert vml.count(b'ObjectType="Button"') == 1 and b"[0]!Macro1" in vml
    notes = re.findall(rb"<x:Row>(\d+)</x:Row><x:Column>(\d+)</x:Column>", vml)
    assert sorted(notes) == [(b"0", b"0"), (b"2", b"1")]  # the officer's note on A1 replaced by ours
    assert marked["xl/worksheets/sheet1.xml"].count(b"<legacyDrawing") == 1
    assert len(set(re.findall(rb'id="(_x0000_s\d+)"', vml))) == 3
    assert_sound(marked)


def test_comments_and_vml_are_what_xlsxwriter_writes_for_the_same_comment(tmp_path):
    """XlsxWriter's comments open in Excel: ours are the same XML, element for element, attribute for
    attribute (anchor included, the sheet having XlsxWriter's default sizes)."""
    import xlsxwriter

    text = "[SHR01 强制性] 收支情况!C5 填报 81.33%，重算 81.32%\n第二行"

    def book(path: Path, comment: bool) -> None:
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("表")
        ws.write("C5", 1)
        if comment:
            ws.write_comment("C5", text, {"author": AUTHOR, "width": BOX.width, "height": BOX.height(text),
                                          "font_name": "宋体", "font_size": 9})
        wb.close()

    book(tmp_path / "plain.xlsx", False)
    book(tmp_path / "theirs.xlsx", True)
    theirs = read_package(str(tmp_path / "theirs.xlsx"))
    ours = mark_cells(read_package(str(tmp_path / "plain.xlsx")), [CellPatch("表", "C5", FILL_ERROR, text)],
                      box=BOX).parts
    rels = relationships(as_zip(ours), "xl/worksheets/sheet1.xml")
    kinds = {kind: target for kind, target in rels.values()}
    assert ours[kinds["comments"]] == theirs["xl/comments1.xml"]
    assert ours[kinds["vmlDrawing"]] == theirs["xl/drawings/vmlDrawing1.vml"]
    assert re.search(rb"<legacyDrawing r:id=\"rId\d+\"/></worksheet>", ours["xl/worksheets/sheet1.xml"])
    assert re.search(rb"<pageMargins[^>]*/><legacyDrawing", theirs["xl/worksheets/sheet1.xml"])


def test_legacy_drawing_goes_where_the_schema_wants_it():
    parts = tiny('<row r="1"><c r="A1"><v>1</v></c></row>')
    tail = (f'<drawing xmlns:r="{H.DOC_REL}" r:id="rIdX"/><tableParts count="0"/>'
            f'<extLst><ext uri="{H.X14_DV_URI}"><extLst/></ext></extLst></worksheet>').encode()
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b"</worksheet>", tail)
    marked = mark_cells(parts, [CellPatch("表", "A1", FILL_ERROR, "x")], box=BOX).parts
    names = [el.tag.rsplit("}", 1)[-1] for el in sheet_xml(marked)]
    assert names[names.index("drawing"):] == ["drawing", "legacyDrawing", "tableParts", "extLst"]


# --------------------------------------------------------------------------- package type and marker


def test_the_package_type_follows_the_name(tmp_path):
    path = tmp_path / "m.xlsm"
    path.write_bytes(H.with_vba(H.to_bytes(with_mistakes())))
    patches = patches_of(path)
    for name, macros, kind in (("a.xlsm", True, "sheet.macroEnabled"), ("b.xlsx", False, "spreadsheetml.sheet"),
                               ("c.xltx", False, "spreadsheetml.template"), ("d.xltm", True, "template.macroEnabled")):
        patch_copy(str(path), str(tmp_path / name), patches, box=BOX, marker=MARKER)
        parts = read_package(str(tmp_path / name))
        assert ("xl/vbaProject.bin" in parts) is macros, name
        assert (b"vbaProject" in parts["xl/_rels/workbook.xml.rels"]) is macros, name
        assert kind in content_type(parts, "xl/workbook.xml"), name
        assert_sound(parts)
        openpyxl.load_workbook(tmp_path / name)


def test_match_name_without_macros_changes_nothing_for_xlsx():
    parts = tiny('<row r="1"><c r="A1"><v>1</v></c></row>')
    before = dict(parts)
    match_name(parts, ".xlsx")
    assert parts == before


def test_the_marker_survives_in_pieces_and_is_replaced_not_added_to():
    parts = tiny('<row r="1"><c r="A1"><v>1</v></c></row>')
    assert read_marker(parts) is None
    long = {"tool": "evaltool", "version": "9", "cells": [{"formula": "A1&\"" + "长" * 600 + "\""}]}
    write_marker(parts, long)
    assert read_marker(parts) == long
    values = [p.text for p in ElementTree.fromstring(parts["docProps/custom.xml"]).iter()
              if p.tag.endswith("lpwstr")]
    assert len(values) > 3 and all(len(v) <= PIECE for v in values)
    write_marker(parts, MARKER)
    assert read_marker(parts) == MARKER
    assert parts["docProps/custom.xml"].count(b'name="evaltool"') == 1
    assert_sound(parts)


def test_patch_copy_applies_the_callers_change_before_the_marker(tmp_path):
    path = tmp_path / "in.xlsx"
    path.write_bytes(H.to_bytes(with_mistakes()))
    seen = []

    def added(parts: dict[str, bytes], not_fixed: list) -> dict[str, bytes]:
        seen.append((read_marker(parts), not_fixed))
        return {**parts, "xl/evaltool-added.bin": b"x"}

    patch_copy(str(path), str(tmp_path / "out.xlsx"), [], box=BOX, marker=MARKER, added=added)
    parts = read_package(str(tmp_path / "out.xlsx"))
    assert seen == [(None, [])] and parts["xl/evaltool-added.bin"] == b"x"
    assert read_marker(parts) == {**MARKER, "cells": []}


def test_a_fixed_text_cell_records_its_shared_string(tmp_path):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(tmp_path / "text.xlsx"))  # XlsxWriter (like Excel) writes shared strings
    sheet = wb.add_worksheet("表")
    sheet.write_string("A2", "其他")
    sheet.write_string("A1", "81.33%")  # a share typed as text
    wb.close()
    marked = mark_cells(read_package(str(tmp_path / "text.xlsx")),
                        [CellPatch("表", "A1", FILL_FIXED, "fixed", Decimal("0.8132"), "0.00%")], box=BOX)
    assert {k: marked.cells[0][k] for k in ("type", "value", "format")} == {"type": "s", "value": "81.33%",
                                                                          "format": "General"}
    a1 = next(sheet_xml(marked.parts).iter(f"{NS}c"))
    assert a1.get("t") is None and a1.find(f"{NS}v").text == "0.8132"


def test_the_patched_copy_keeps_what_the_openpyxl_copy_kept(tmp_path):
    """The structural comparison of ``test_preservation`` (values, formats, comments, validations,
    conditional formats, merges, names, hidden sheets and rows, tables ...) holds for the patched copy."""
    from test_preservation import assert_kept, rich_workbook

    path, out = tmp_path / "rich.xlsx", tmp_path / "rich.patched.xlsx"
    rich_workbook().save(path)
    patches = patches_of(path)
    patch_copy(str(path), str(out), patches, box=BOX, marker=MARKER)
    assert_kept(path, out, {(p.sheet, p.cell) for p in patches})


def test_a_big_part_nobody_marks_is_copied_as_its_compressed_bytes(tmp_path, monkeypatch):
    """A part at or above the big-part size (a 50,000-row list) stays in the input zip until read; the
    copy takes the unread ones as their compressed bytes and reads (whole, or by its head for the tab
    selection) only those it edits.  Here every part of at least 2 KB counts as big."""
    import zipfile

    from evaltool.workbook import package

    monkeypatch.setattr(package, "_BIG_PART", 2048)
    path, out = tmp_path / "rich.xlsx", tmp_path / "rich.checked.xlsx"
    path.write_bytes(H.officer_package())
    patches = patches_of(path)
    parts = read_package(str(path))
    deferred = {n for n in parts if parts.deferred(n) is not None}
    sheets = sheet_parts(as_zip(parts))
    marked = {sheets[p.sheet] for p in patches}
    assert deferred & marked and deferred - marked  # both kinds are exercised
    assert patch_copy(str(path), str(out), patches, box=BOX, marker=MARKER) == []
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(out) as b:
        assert b.testzip() is None
        for name in deferred - marked - {"xl/styles.xml", "[Content_Types].xml", "xl/workbook.xml"}:
            before, after = a.getinfo(name), b.getinfo(name)
            assert (after.CRC, after.compress_size, after.compress_type) == (
                before.CRC, before.compress_size, before.compress_type), name
            assert b.read(name) == a.read(name)
    monkeypatch.setattr(package, "_BIG_PART", 4 << 20)
    eager = tmp_path / "eager.xlsx"
    assert patch_copy(str(path), str(eager), patches, box=BOX, marker=MARKER) == []
    assert {n: d for n, d in read_package(str(out)).items()} == {n: d for n, d in read_package(str(eager)).items()}
