"""The checked copy as a document: it opens on 核查汇总, our sheets print as A4 landscape pages with
titles, header and page numbers, every font we write is named and sized, marks carry a border on the
cell's own format, and comment boxes sit beside their own cells."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import hostile as H
import pytest

from evaltool.checker import check_file
from evaltool.outputs.checked import write_checked
from evaltool.workbook.cellstyles import Edge, Styles
from evaltool.workbook.comments import GAP, Grid, anchor, stacked

ROOT = Path(__file__).resolve().parent.parent
MISTAKES = ROOT / "samples" / "fengshun-2023-with-mistakes.xlsx"
OURS = ("核查汇总", "核查结果")
OFFICERS = ("填表说明", "基本信息", "收支情况", "预算执行", "运行成本", "专项资金", "资产管理", "信息公开", "绩效目标",
            "文字说明", "自评评分表")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> tuple[dict[str, bytes], bytes]:
    """(the parts of the mistakes sample's checked copy, its bytes)."""
    out = tmp_path_factory.mktemp("document") / "m.checked.xlsx"
    write_checked(check_file(MISTAKES), str(out))
    data = out.read_bytes()
    return H.parts(data), data


def _sheet(copy, name: str) -> str:
    parts, data = copy
    return parts[H.sheet_part(data, name)].decode("utf-8")


def _attrs(tag: str) -> dict[str, str]:
    return dict(re.findall(r'(\w+)="([^"]*)"', tag))


# --------------------------------------------------------------------------- opening and printing


def test_the_copy_opens_on_the_summary_and_keeps_the_officers_sheet_order(copy):
    book = copy[0]["xl/workbook.xml"].decode("utf-8")
    names = re.findall(r'<sheet\b[^>]*\bname="([^"]+)"', book)
    assert tuple(names) == OURS + OFFICERS
    view = _attrs(re.search(r"<workbookView\b[^>]*>", book)[0])
    assert view.get("activeTab", "0") == "0" and view.get("firstSheet", "0") == "0"
    selected = [name for name in names if 'tabSelected="1"' in _sheet(copy, name)]
    assert selected == ["核查汇总"]


@pytest.mark.parametrize("name", OURS)
def test_each_added_sheet_prints_a4_landscape_one_page_wide_with_titles_header_and_page_numbers(copy, name):
    xml = _sheet(copy, name)
    setup = _attrs(re.search(r"<pageSetup\b[^>]*>", xml)[0])
    assert (setup["paperSize"], setup["orientation"], setup["fitToHeight"]) == ("9", "landscape", "0")
    assert setup.get("fitToWidth", "1") == "1" and '<pageSetUpPr fitToPage="1"/>' in xml
    header = re.search(r"<oddHeader>(.*?)</oddHeader>", xml)[1]
    assert "丰顺县科工商务局 2023" in header
    assert re.search(r"<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>", xml)
    book = copy[0]["xl/workbook.xml"].decode("utf-8")
    assert f'name="_xlnm.Print_Titles" localSheetId="{OURS.index(name)}">{name}!$1:$1<' in book


def test_the_summarys_charts_lie_inside_its_print_area(copy):
    parts, data = copy
    book = parts["xl/workbook.xml"].decode("utf-8")
    area = re.search(r'name="_xlnm.Print_Area" localSheetId="0">核查汇总!\$A\$1:\$([A-Z]+)\$(\d+)<', book)
    last_col = sum((ord(c) - 64) * 26 ** i for i, c in enumerate(reversed(area[1]))) - 1  # 0-based
    drawing = next(n for n in parts if n.startswith("xl/drawings/drawing") and b"/charts/" in
                   parts.get(n.replace("drawings/", "drawings/_rels/") + ".rels", b""))
    ends = re.findall(r"<xdr:to><xdr:col>(\d+)</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row>",
                      parts[drawing].decode("utf-8"))
    assert len(ends) == 2
    assert all(int(col) <= last_col + 1 and int(row) <= int(area[2]) for col, row in ends)


# --------------------------------------------------------------------------- fonts


def _fonts(styles: str) -> list[str]:
    return re.findall(r"<font>.*?</font>|<font/>", re.search(r"<fonts[^>]*>(.*?)</fonts>", styles, re.S)[1], re.S)


def test_every_cell_we_write_has_a_named_and_sized_font(copy):
    parts, _ = copy
    styles = parts["xl/styles.xml"].decode("utf-8")
    fonts = _fonts(styles)
    xfs = re.findall(r"<xf\b[^>]*>", re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)[1])
    for name in OURS:
        used = {int(s) for s in re.findall(r'<c\b[^>]*\ss="(\d+)"', _sheet(copy, name))}
        assert used
        for s in used:
            font = fonts[int(_attrs(xfs[s]).get("fontId", 0))]
            assert '<name val="宋体"/>' in font and re.search(r'<sz val="\d+"/>', font), (name, s, font)


def test_every_chart_text_is_in_a_named_font(copy):
    parts, _ = copy
    charts = [parts[n].decode("utf-8") for n in parts if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    for chart in charts:
        runs = re.findall(r"<a:defRPr\b[^>]*>.*?</a:defRPr>|<a:rPr\b[^>]*>.*?</a:rPr>", chart, re.S)
        assert runs and all('typeface="宋体"' in r and "sz=" in r for r in runs)


# --------------------------------------------------------------------------- marks


def _xf_of(parts: dict[str, bytes], data: bytes, sheet: str, coord: str) -> dict[str, str]:
    styles = parts["xl/styles.xml"].decode("utf-8")
    xfs = re.findall(r"<xf\b[^>]*>", re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)[1])
    cell = re.search(rf'<c r="{coord}"[^>]*>', parts[H.sheet_part(data, sheet)].decode("utf-8"))[0]
    return _attrs(xfs[int(_attrs(cell).get("s", 0))])


def _border(parts: dict[str, bytes], border_id: str) -> str:
    styles = parts["xl/styles.xml"].decode("utf-8")
    block = re.search(r"<borders[^>]*>(.*?)</borders>", styles, re.S)[1]
    return re.findall(r"<border>.*?</border>|<border/>", block, re.S)[int(border_id)]


@pytest.mark.parametrize(("sheet", "coord", "style", "rgb"), [
    ("收支情况", "C5", "medium", "FF9C0006"),  # SHR01, an error
    ("基本信息", "B9", "mediumDashed", "FFC65911"),  # BAS02, a warning
])
def test_a_mark_is_a_border_on_the_cells_own_format(copy, sheet, coord, style, rgb):
    parts, data = copy
    before = H.parts(MISTAKES.read_bytes())
    was, now = _xf_of(before, MISTAKES.read_bytes(), sheet, coord), _xf_of(parts, data, sheet, coord)
    assert (now["fontId"], now["numFmtId"]) == (was["fontId"], was["numFmtId"])  # font, number format kept
    assert now["applyBorder"] == "1"
    border = _border(parts, now["borderId"])
    for side in ("left", "right", "top", "bottom"):
        assert f'<{side} style="{style}"><color rgb="{rgb}"/></{side}>' in border


def test_a_styles_part_without_borders_gets_one_for_the_marks():
    data = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font/>'
            b'</fonts><fills count="2"><fill/><fill/></fills><cellXfs count="1"><xf numFmtId="0" fontId="0" '
            b'fillId="0"/></cellXfs></styleSheet>')
    styles = Styles(data)
    assert styles.xf(0, "FFC7CE", border=Edge("medium", "9C0006")) == 1
    out = styles.bytes().decode("utf-8")
    assert re.search(r'<borders count="2"><border><left/>.*?</border><border><left style="medium">', out)
    assert out.index("<borders") < out.index("<cellXfs")
    assert 'borderId="1" applyBorder="1"' in out


# --------------------------------------------------------------------------- comments


def test_comment_boxes_sit_beside_their_own_cells_none_covering_another(copy):
    parts, _ = copy
    seen = stacked = 0
    for name in (n for n in parts if n.endswith(".vml")):
        vml = parts[name].decode("utf-8")
        shapes = re.findall(r"margin-left:([\d.]+)pt;margin-top:([\d.]+)pt;width:([\d.]+)pt;height:([\d.]+)pt.*?"
                            r"<x:Anchor>([^<]*)</x:Anchor>.*?<x:Row>(\d+)</x:Row><x:Column>(\d+)</x:Column>", vml, re.S)
        boxes = [tuple(map(float, shape[:4])) for shape in shapes]
        for i, (x, y, w, h) in enumerate(boxes):
            for x2, y2, w2, h2 in boxes[i + 1:]:
                assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y, name  # disjoint
        for (_, _, width, height, corners, row, col) in shapes:
            first_col, _, first_row, *_ = (int(v) for v in corners.split(","))
            assert first_col == int(col) + 1 and first_row >= int(row) - 1  # beside its cell, or below one
            assert float(width) > 100 and float(height) >= 45
            stacked += first_row > int(row)
        seen += len(shapes)
    assert seen >= 10 and stacked  # the sample's errors and warnings; 基本信息 B9 and B10 are neighbours


def test_boxes_of_neighbouring_cells_stack_and_others_stay_where_excel_puts_them():
    grid = Grid()
    shapes = [(4, 2, 300, 60), (5, 2, 300, 60), (40, 2, 300, 60), (6, 9, 300, 60)]
    down = stacked(grid, shapes)
    assert down[0] == 0 and down[2] == 0 and down[3] == 0  # alone at their place (K7 is far right of D5)
    assert anchor(grid, 5, 2, 300, 60, down[1])[1][1] == anchor(grid, 4, 2, 300, 60)[1][1] + 60 + GAP


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.slow
def test_libreoffice_prints_the_summary_of_the_checked_copy_on_one_landscape_page(copy, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc to run this test")
    pdfplumber = pytest.importorskip("pdfplumber")
    path = tmp_path / "m.checked.xlsx"
    path.write_bytes(copy[1])
    subprocess.run([soffice, "--headless", "--norestore", "--nolockcheck",
                    f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=180, check=True)
    with pdfplumber.open(tmp_path / "m.checked.pdf") as pdf:
        pages = [(page.width, page.height, (page.extract_text() or "").splitlines()) for page in pdf.pages]
    # The page header is the department and year, then the sheet's name (&A): one page per print range.
    summary = [(w, h, lines) for w, h, lines in pages if lines and lines[0].endswith("核查汇总")]
    assert len(summary) == 1
    width, height, lines = summary[0]
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    assert lines[0] == "丰顺县科工商务局 2023 核查汇总" and lines[-1] == f"第 1 页，共 {len(pages)} 页"


def test_the_english_copy_prints_its_page_numbers_in_english(tmp_path):
    out = tmp_path / "m.checked.xlsx"
    write_checked(check_file(MISTAKES), str(out), lang="en")
    data = out.read_bytes()
    book = H.parts(data)["xl/workbook.xml"].decode("utf-8")
    first = re.findall(r'<sheet\b[^>]*\bname="([^"]+)"', book)[0]
    xml = H.parts(data)[H.sheet_part(data, first)].decode("utf-8")
    assert "<oddFooter>&amp;CPage &amp;P of &amp;N</oddFooter>" in xml and "丰顺县科工商务局 2023" in xml
