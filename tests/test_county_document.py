"""The county summary as a printable document: title, date, widths, wrapped rows, borders, the over-claim
colour, page setup on every sheet, last year's columns; LibreOffice prints it as asked."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from evaltool.outputs.county import HEADER_ROW, county_name, write_summary
from tests.test_summary import record

H = HEADER_ROW + 1
LONG = "丰顺县人力资源和社会保障局（本级）机关事务服务中心"


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    path = tmp_path_factory.mktemp("doc") / "汇总.xlsx"
    over = dataclasses.replace(record("丰顺县教育局", "80", sangong=("10", "20")),
                               scores=dataclasses.replace(record("x", "80").scores, self_total=85))
    long_note = record(LONG, "91")
    long_note.flags.append({"key": "duplicate_later", "message": "长" * 120})
    records = [over, long_note, record("丰顺县科工商务局", "88", 1),
               record("坏", path="坏.xlsx", error="坏.xlsx 已损坏（xl/workbook.xml），无法打开")]
    write_summary(records, path, today=dt.date(2025, 4, 30))
    return path


def table(path):
    return openpyxl.load_workbook(path)["汇总"]


def test_title_and_date_above_the_header(summary):
    ws = table(summary)
    assert ws["A1"].value == "丰顺县2023 年度部门整体支出绩效自评核查汇总表"
    assert ws["A2"].value == "制表日期：2025-04-30"
    assert {str(r) for r in ws.merged_cells.ranges} >= {f"A1:{get_column_letter(ws.max_column)}1"}
    assert ws.cell(H, 1).value == "排名"


def test_county_name_from_the_departments():
    assert county_name([record("丰顺县教育局"), record("丰顺县科工商务局")]) == "丰顺县"
    assert county_name([record("梅州市丰顺县教育局")]) == "梅州市丰顺县"
    assert county_name([record("教育局"), record("科工商务局")]) == ""


def test_names_exactly_as_typed_and_the_column_fits_the_longest(summary):
    ws = table(summary)
    header = [c.value for c in ws[H]]
    dept = header.index("部门名称") + 1
    names = [ws.cell(r, dept).value for r in range(H + 1, H + 5)]
    assert LONG in names  # full-width （） kept
    assert ws.column_dimensions[get_column_letter(dept)].width >= 40  # capped, then the text wraps


def test_wrapped_rows_grow_and_headers_wrap(summary):
    ws = table(summary)
    header = [c.value for c in ws[H]]
    row = next(r for r in range(H + 1, H + 5) if ws.cell(r, header.index("部门名称") + 1).value == LONG)
    assert ws.row_dimensions[row].height >= 14.4 * 5  # 120 wide characters in a 50-wide 提示 column
    assert ws.cell(H, 1).alignment.wrap_text and ws.cell(row, header.index("提示") + 1).alignment.wrap_text
    assert ws.cell(row, 1).border.left.style == "thin" and ws.cell(H, 1).border.bottom.style == "thin"


def test_verdict_column_and_every_file_in_the_table(summary):
    ws = table(summary)
    header = [c.value for c in ws[H]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=H + 1, max_row=H + 5)]
    verdict, file = header.index("核查结论"), header.index("文件")
    assert [(r[0], r[verdict]) for r in rows] == [(1, "通过（有未说明的提示）"), (2, "通过（有未说明的提示）"),
                                                   (3, "未通过"), (None, "无法核查"), (None, None)]
    assert rows[3][file] == "坏.xlsx" and rows[3][header.index("提示")] == "该文件 已损坏（xl/workbook.xml），无法打开"
    assert rows[4][header.index("部门名称")] == "全县合计"


def test_over_claim_colour_comes_before_the_stop_if_true_bands(summary):
    ws = table(summary)
    header = [c.value for c in ws[H]]
    diff_col = get_column_letter(header.index("自评 − 重算") + 1)
    self_col = get_column_letter(header.index("自评得分") + 1)
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=H + 1, max_row=H + 3)]
    assert sorted(r[header.index("自评 − 重算")] for r in rows) == [0, 0, 5]  # 教育局 claims 85 for 80
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    on_self = [r for sqref, rs in rules.items() if sqref.startswith(self_col) for r in rs]
    over = next(r for r in on_self if ">0.005" in r.formula[0] and "-" in r.formula[0])
    bands = [r for r in on_self if r is not over]
    assert over.priority < min(r.priority for r in bands) and all(r.stopIfTrue for r in bands)
    on_diff = [r for sqref, rs in rules.items() if sqref.startswith(diff_col) for r in rs]
    assert len(on_diff) == 1 and on_diff[0].dxf.font.b


def test_page_setup_on_every_sheet(summary):
    wb = openpyxl.load_workbook(summary)
    assert wb.sheetnames == ["汇总", "图表", "强制性错误", "未核查的文件"]
    for ws in wb:
        assert ws.page_setup.paperSize == 8 and ws.page_setup.orientation == "landscape", ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, ws.title
        assert ws.print_title_rows, ws.title
    assert wb["汇总"].print_title_rows == f"$1:${H}"


def test_charts_inside_the_print_area(summary):
    ws = openpyxl.load_workbook(summary)["图表"]
    from openpyxl.utils.cell import range_boundaries

    area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
    _, _, max_col, max_row = range_boundaries(area.split("!")[-1].replace("$", ""))
    for chart in ws._charts:
        anchor = chart.anchor._from
        assert anchor.col < max_col and anchor.row < max_row
    # the bar chart's bottom: 18 rows down plus its height in rows
    assert max_row >= 18 + 320 // 20


def test_chart_bars_are_labelled_with_their_value_only(summary):
    """As 核查汇总's: every data-label flag written, off but the value (LibreOffice and WPS read an absent
    showCatName or showSerName as on)."""
    import re
    import zipfile

    with zipfile.ZipFile(summary) as z:
        charts = [z.read(n) for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    labels = [lbl for xml in charts for lbl in re.findall(rb"<c:dLbls>.*?</c:dLbls>", xml, re.S)]
    assert labels and all(re.findall(rb'<c:(show\w+) val="(\d)"/>', lbl) == [
        (b"showLegendKey", b"0"), (b"showVal", b"1"), (b"showCatName", b"0"), (b"showSerName", b"0"),
        (b"showPercent", b"0"), (b"showBubbleSize", b"0")] for lbl in labels)


def test_last_years_columns_with_prior(tmp_path):
    now = dataclasses.replace(record("甲", "90", income="130"),
                              data={"file": {"prior.income_total": "100", "prior.expense_total": "0",
                                             "prior.recomputed_total": 85.0}})
    path = tmp_path / "s.xlsx"
    write_summary([now, record("乙", "80")], path)
    ws = table(path)
    header = [c.value for c in ws[H]]
    at = {name: header.index(name) for name in header}
    assert at["上年收入合计（万元）"] == at["本年收入合计（万元）"] + 1
    assert at["收入变动"] == at["上年收入合计（万元）"] + 1
    row = [c.value for c in ws[H + 1]]
    assert (row[at["上年收入合计（万元）"]], row[at["收入变动"]]) == (100, pytest.approx(0.3))
    assert (row[at["上年支出合计（万元）"]], row[at["支出变动"]]) == (0, None)  # no rate from 0
    assert (row[at["上年重算得分"]], row[at["得分变动"]]) == (85, 5)


def test_no_prior_no_prior_columns(summary):
    assert "上年收入合计（万元）" not in [c.value for c in table(summary)[H]]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_the_summary_as_asked(summary, tmp_path):
    import pdfplumber

    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(summary)], check=True, capture_output=True, timeout=180)
    with pdfplumber.open(tmp_path / "汇总.pdf") as pdf:
        pages = pdf.pages
        assert pages, "no page printed"
        for page in pages:  # A3 landscape: 420 × 297 mm
            assert (round(page.width), round(page.height)) == (1191, 842)
        text = [page.extract_text() or "" for page in pages]
    assert "丰顺县2023 年度部门整体支出绩效自评核查汇总表" in text[0]
    assert f"第 1 页，共 {len(pages)} 页" in text[0].replace("\n", " ") or "第 1 页" in text[0]
    assert any("全县合计" in t for t in text)
    # The header row is repeated: every page of 汇总 shows 核查结论 or 部门名称 at its top.
    assert LONG in "".join(text).replace("\n", "")
