"""The checked copy: flagged cells, 核查结果, 核查汇总, --fix, and the atomic write."""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from decimal import Decimal as D
from pathlib import Path

import hostile as H
import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side

from evaltool.checker import Result, check_file
from evaltool.derive import Derived
from evaltool.findings import Finding, Fix, Formula, Location, Quantity, Severity, Unit, money, percent
from evaltool.model import Cell, CellRef
from evaltool.outputs.added_sheets import added_sheets
from evaltool.outputs.checked import write_checked
from evaltool.ratios import GROUPS, Ratio
from evaltool.workbook.comments import SEPARATOR
from evaltool.workbook.coords import coordinate
from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import Parsed, Status

ROOT = Path(__file__).resolve().parent.parent
FIN = "收支情况"
BASIC = "基本信息"
RED, ORANGE, GREEN = "FFC7CE", "F4B183", "C6EFCE"


def _workbook():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = FIN
    ws["A4"] = "财政拨款收入"
    ws["B4"] = 1927.1
    ws["C4"] = 0.8133
    ws["C4"].number_format = "0.00%"
    ws["C4"].font = Font(bold=True, color="FF0000FF")
    ws["C4"].border = Border(left=Side(style="thin"))
    ws["B6"] = 2369.93
    ws["B6"].comment = Comment("原始数据来自决算报表", "张三")
    ws["B7"] = 100
    basic = wb.create_sheet(BASIC)
    basic["B3"] = "某某局"
    return wb


SHARE = CellRef("finance", "income", "fiscal", "share")
TOTAL = CellRef("finance", "income", "total", "amount")


def _findings():
    ratio = Finding("SHR01", Severity.ERROR, "ratio_mismatch", SHARE, Location(FIN, "C4"),
                    percent(D("0.8133")), percent(D("0.8132")), Quantity(D("0.0001"), Unit.POINTS, 2),
                    {"formula": Formula(money(D("1927.1"), "万元"), "÷", money(D("2369.93"), "万元"))},
                    fix=Fix(D("0.8132")))
    also_c4 = Finding("IN06", Severity.WARNING, "negative", SHARE, Location(FIN, "C4"), params={"value": "x"})
    rounding = Finding("SUM01", Severity.WARNING, "sum_rounding", TOTAL, Location(FIN, "B6"),
                       money(D("2369.93"), "万元"), money(D("2369.92"), "万元"), money(D("0.01"), "万元"),
                       {"n": 2, "tolerance": money(D("0.02"), "万元")})
    blank = (CellRef("disclosure", "dates", "budget_approved", "value"),)
    info = Finding("PUB01", Severity.INFO, "skipped_blank", blank[0], Location(BASIC, "B3"), params={"cells": blank})
    sheetless = Finding("X01", Severity.INFO, "skipped_blank", params={"cells": (TOTAL,)})
    return [ratio, also_c4, rounding, info, sheetless]


def _cell(coord: str, value, kind=Kind.PERCENT, decimals=2, sheet=FIN, row="fiscal", col="share") -> Cell:
    status = Status.BLANK if value is None else Status.OK
    r, c = coordinate(coord)
    line = CellRef("finance", "income", row, "")
    return Cell(sheet, r, c, kind, line, col, Parsed(status, value, decimals), raw=value)


def _item(row: str, table: str = "income", sheet: str = "finance") -> CellRef:
    return CellRef(sheet, table, row, "")


def _ratios():
    num = _cell("B4", Decimal("1927.2"), Kind.MONEY, col="amount")
    den = _cell("B6", Decimal("2369.93"), Kind.MONEY, row="total", col="amount")
    share = Ratio(GROUPS["income_share"], "income_share.fiscal", _item("fiscal"),
                  _cell("C4", Decimal("0.8133")), (num, den), num.number, den.number)
    ok = Ratio(GROUPS["income_share"], "income_share.other", _item("other"),
               _cell("C5", Decimal("0.1868"), row="other"), (num, den), Decimal("442.73"), den.number)
    diff = Ratio(GROUPS["office_diff"], "office_diff.office", _item("office", "office", "costs"),
                 _cell("D9", Decimal("-10.94"), Kind.SIGNED_MONEY, row="superior"), (num, den),
                 Decimal("53.86"), Decimal("64.8"))
    unstated = Ratio(GROUPS["exec_rate"], "exec_rate.total", _item("total", "budget", "execution"),
                     _cell("E9", None, row="business"), (num, den), Decimal("7"), Decimal("6"))
    nothing = Ratio(GROUPS["carry_rate"], "carry_rate.total", _item("total", "budget", "execution"),
                    _cell("F9", None, row="operation"), (num, den), None, Decimal("6"))
    uncomputable = Ratio(GROUPS["carry_rate"], "carry_rate.basic", _item("basic", "budget", "execution"),
                         _cell("F10", Decimal(0), decimals=0, row="affiliate"), (num, den), None, Decimal("6"))
    total = Ratio(GROUPS["income_share"], "income_share.total", _item("total"), None, (den, den),
                  den.number, den.number)
    return [share, ok, diff, unstated, nothing, uncomputable, total]


class _Book:
    unit = "万元"
    department = "某某局"
    year = 2023
    template_version = "v2"
    ruleset = None


class _Score:
    scored = False


def _result(tmp_path, book=None, ratios=None) -> Result:
    wb = _workbook()
    path = tmp_path / "in.xlsx"
    wb.save(path)
    derived = Derived((), tuple(ratios or ()), _Score()) if book is not None else None
    return Result(path=str(path), findings=_findings(), book=book, derived=derived)


def _fill(cell) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return cell.fill.fgColor.rgb[-6:]


def _leftovers(directory) -> list[str]:
    return [n for n in os.listdir(directory) if n.startswith("~$") or n.startswith("tmp")]


# --------------------------------------------------------------------------- flagged cells


def test_flagged_cells_filled_and_commented(tmp_path):
    result = _result(tmp_path)
    before = (tmp_path / "in.xlsx").read_bytes()
    out = tmp_path / "in.checked.xlsx"
    write_checked(result, str(out))
    assert (tmp_path / "in.xlsx").read_bytes() == before  # the input is never written
    assert _leftovers(tmp_path) == []

    wb = openpyxl.load_workbook(out)
    ws = wb[FIN]
    c4 = ws["C4"]
    assert _fill(c4) == RED  # the worst of error + warning
    assert c4.value == pytest.approx(0.8133)  # no --fix: unchanged
    assert c4.number_format == "0.00%"
    assert c4.font.b and c4.font.color.rgb == "FF0000FF"
    # The officer's thin border gives way to the mark's, so a black-and-white print shows it.
    assert [getattr(c4.border, side).style for side in ("left", "right", "top", "bottom")] == ["medium"] * 4
    assert c4.border.left.color.rgb == "FF9C0006"
    text = c4.comment.text
    assert c4.comment.author == "evaltool"
    assert "[SHR01 强制性]" in text and "[IN06 提示性]" in text
    assert "按 1927.10 ÷ 2369.93 重算为 81.32%" in text
    assert text.index("SHR01") < text.index("IN06")
    assert "已按重算值更正" not in text

    b6 = ws["B6"]
    assert _fill(b6) == ORANGE
    assert b6.comment.text.startswith("原始数据来自决算报表")
    assert SEPARATOR in b6.comment.text
    assert "[SUM01 提示性]" in b6.comment.text
    text = b6.comment.text
    assert text.index("原始数据") < text.index(SEPARATOR) < text.index("SUM01")

    assert _fill(ws["B7"]) is None and ws["B7"].comment is None
    assert _fill(wb[BASIC]["B3"]) is None  # info findings are not flagged
    assert wb[BASIC]["B3"].comment is None


def test_english_comment(tmp_path):
    result = _result(tmp_path)
    out = tmp_path / "en.xlsx"
    write_checked(result, str(out), lang="en")
    wb = openpyxl.load_workbook(out)
    assert "[SHR01 error]" in wb[FIN]["C4"].comment.text
    assert "states 81.33%" in wb[FIN]["C4"].comment.text


def test_fix_writes_recomputed_value(tmp_path):
    result = _result(tmp_path)
    out = tmp_path / "in.checked.xlsx"
    write_checked(result, str(out), fix=True)
    ws = openpyxl.load_workbook(out)[FIN]
    c4 = ws["C4"]
    assert c4.value == pytest.approx(0.8132)
    assert c4.number_format == "0.00%"
    assert _fill(c4) == GREEN
    assert "已按重算值更正（原值 81.33%）" in c4.comment.text
    assert "SHR01" in c4.comment.text
    assert ws["B6"].value == pytest.approx(2369.93)  # no fix: unchanged even with --fix
    assert _fill(ws["B6"]) == ORANGE
    assert ws["B4"].value == pytest.approx(1927.1)
    assert ws["B7"].value == 100


def test_fix_format_applied(tmp_path):
    result = _result(tmp_path)
    wb = _workbook()
    wb[FIN]["C4"] = "81.33%"  # typed as text
    wb.save(result.path)
    result.findings[0] = replace(result.findings[0], fix=Fix(D("0.8132"), "0.00%"))
    out = tmp_path / "fmt.xlsx"
    write_checked(result, str(out), lang="en", fix=True)
    c4 = openpyxl.load_workbook(out)[FIN]["C4"]
    assert c4.value == pytest.approx(0.8132) and c4.number_format == "0.00%"
    assert "Corrected to the recomputed value (was 81.33%)" in c4.comment.text


# --------------------------------------------------------------------------- 核查结果 / 核查汇总: the added package


def _added(result: Result, lang: str = "zh", fixed: set[int] = frozenset(), sheets=(FIN, BASIC)):
    return openpyxl.load_workbook(io.BytesIO(H.zipped(added_sheets(result, lang, set(fixed), sheets))))


def test_results_sheet(tmp_path):
    result = _result(tmp_path)
    wb = _added(result)
    assert wb.sheetnames == ["核查汇总", "核查结果"]  # the copy opens on the summary
    ws = wb["核查结果"]
    header = [c.value for c in ws[1]]
    assert header == ["编码", "性质", "状态", "工作表", "单元格", "填报值", "重算值", "差额", "单位", "说明",
                      "单位说明", "审核结论", "审核意见", "编号", "数据摘要"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(result.findings)
    assert [r[0] for r in rows] == [f.code for f in result.findings]
    # Numbers as numbers, shown at the finding's precision, the unit in its own column.
    assert rows[0][:5] == ("SHR01", "强制性", "强制性错误", FIN, "C4")
    assert rows[0][5:8] == (pytest.approx(0.8133), pytest.approx(0.8132), pytest.approx(0.01))
    assert [ws[f"{col}2"].number_format for col in "FGH"] == ["0.00%", "0.00%", "0.00"]
    assert rows[0][8] == "百分点"
    assert rows[2][5:9] == (pytest.approx(2369.93), pytest.approx(2369.92), pytest.approx(0.01), "万元")
    assert [ws[f"{col}4"].number_format for col in "FGH"] == ["0.00", "0.00", "0.00"]
    assert rows[1][5:9] == (None, None, None, None)  # IN06 states nothing
    assert rows[1][2] == "未说明的提示"
    assert "财政拨款收入 占比" in rows[0][9]
    assert ws["E2"].hyperlink.location == f"'{FIN}'!C4"
    assert ws["E4"].hyperlink.location == f"'{FIN}'!B6"
    assert ws["E5"].hyperlink.location == f"'{BASIC}'!B3"
    assert ws["E6"].hyperlink is None and ws["E6"].value is None  # no cell
    assert _fill(ws["B2"]) == RED and _fill(ws["B4"]) == ORANGE
    for col in "KLM":  # 单位说明, 审核结论, 审核意见: typed in
        assert ws[f"{col}2"].protection.locked is False and _fill(ws[f"{col}2"]) == "FFF2CC"
    assert rows[0][13] == result.findings[0].id and ws.column_dimensions["N"].hidden
    assert ws.data_validations.dataValidation[0].formula1 == '"待审,认可,退回"'
    assert ws["J2"].alignment.wrap_text
    assert ws.column_dimensions["J"].width == pytest.approx(64, abs=1)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:M6"
    assert ws.print_title_rows == "$1:$1"
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToHeight) == ("landscape", 9, 0)
    assert setup.fitToWidth in (1, None)  # 1 is the schema's default
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.oddHeader.left.text == "in.xlsx"  # no book: the file's name


def test_a_cell_links_only_into_a_sheet_the_workbook_has(tmp_path):
    ws = _added(_result(tmp_path), sheets=(FIN,))["核查结果"]
    assert ws["E2"].hyperlink.location == f"'{FIN}'!C4"
    assert ws["E5"].hyperlink is None and ws["E5"].value == "B3"


def test_fixed_rows_say_so(tmp_path):
    result = _result(tmp_path)
    ws = _added(result, fixed={id(result.findings[0])})["核查结果"]
    assert ws["J2"].value.startswith("已按重算值更正（原值 81.33%） ")
    assert not ws["J3"].value.startswith("已按重算值更正")


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    result = _result(tmp_path)
    result.findings.append(Finding("IN06", Severity.WARNING, "negative", SHARE, Location("=A1", "C4"),
                                   Quantity("=2+2", Unit.PERCENT), params={"value": "=3+3"}))
    row = _added(result)["核查结果"][7]
    assert [(c.value, c.data_type) for c in (row[1], row[4])] == [("提示性", "s"), ("C4", "s")]
    assert [(c.value, c.data_type) for c in (row[3], row[5])] == [("=A1", "s"), ("=2+2", "s")]
    assert "=3+3" in row[9].value and row[9].data_type == "s"


def test_summary_sheet(tmp_path):
    result = _result(tmp_path, book=_Book(), ratios=_ratios())
    other = CellRef("finance", "income", "other", "share")
    as_text = Finding("IN03", Severity.WARNING, "text_number", other, Location(FIN, "C5"),
                      params={"raw": "18.68%", "value": percent(D("0.1868"))})
    result.findings.append(as_text)  # the value was read as stated: still 一致
    ws = _added(result)["核查汇总"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    # The verdict first, with the counts by state it rests on, right under it.
    assert values[1][:2] == ["结论", "未通过：强制性错误 1 个，未说明的提示 3 个，已说明的提示 0 个"]
    assert values[2][:2] == ["下一步", "强制性错误须修正后再核查"]
    counts = [["强制性错误", 1], ["未说明的提示", 3], ["已说明的提示", 0], ["信息", 2]]
    assert [row[:2] for row in values[3:7]] == counts
    assert values[7][:2] == ["核查结果统计", "强制性错误 1 个，提示 3 个，信息 2 个"]
    assert "in.xlsx" in flat and "某某局" in flat and "2023" in flat
    assert not any("未能保留" in str(v) for v in flat)  # the patched copy loses nothing: no such block

    ends = ("占比", "增减", "率")
    table = {row[0]: tuple(row[1:5]) for row in values if row and row[0] and str(row[0]).endswith(ends)}
    assert table["财政拨款收入占比"][:3] == ("81.33%", "81.32%", "不一致")
    assert table["财政拨款收入占比"][3] == pytest.approx(1927.2 / 2369.93)
    assert table["其他收入占比"][:3] == ("18.68%", "18.68%", "一致")
    assert table["公用经费比预算增减"][:3] == ("-10.94", "减少 10.94", "一致")
    assert table["公用经费比预算增减"][3] is None
    assert table["年度资金总额执行率"][:3] == (None, "116.67%", None)
    assert "年度资金总额结转结余率" not in table  # neither stated nor computable
    assert table["基本支出结转结余率"][:3] == ("0%", "无法计算", None)
    assert table["本年收入合计占比"][:3] == (None, "100.00%", None)
    charted = [row[16] for row in values if len(row) > 16]
    assert "财政拨款收入占比" in charted and "其他收入占比" in charted and "年度资金总额执行率" in charted
    assert "本年收入合计占比" not in charted  # totals are not charted


def test_summary_charts_and_page(tmp_path):
    ws = _added(_result(tmp_path, book=_Book(), ratios=_ratios()))["核查汇总"]
    assert [c.title.tx.rich.p[0].r[0].t for c in ws._charts] == ["收入、支出结构（重算）", "执行率、控制率（重算）"]
    for chart in ws._charts:
        labels = chart.series[0].dLbls
        assert labels.showVal and not labels.showCatName and not labels.showSerName  # the value only
        assert labels.numFmt == "0.00%"
    # Landscape A4, one page wide; the charts inside the printed area, their data (Q:R) outside it.
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToHeight) == ("landscape", 9, 0)
    assert setup.fitToWidth in (1, None)  # 1 is the schema's default
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页" and ws.oddHeader.left.text == "某某局 2023"
    area = ws.print_area.split("!")[1]
    assert area.startswith("$A$1:$P$")
    last_row = int(area.rsplit("$", 1)[1])
    for chart in ws._charts:
        assert chart.anchor._from.col >= 6 and chart.anchor.to.col <= 15 and chart.anchor.to.row < last_row


def test_summary_without_book(tmp_path):
    result = _result(tmp_path)
    result.findings = [f for f in result.findings if f.severity is not Severity.ERROR]
    wb = _added(result, lang="en")
    assert wb.sheetnames == ["核查汇总", "核查结果"]
    flat = [c.value for row in wb["核查汇总"].iter_rows() for c in row]
    assert "PASS (unexplained warnings): 0 error(s), 2 unexplained warning(s), 0 explained" in flat
    assert "errors: 0, warnings: 2, notes: 2" in flat
    assert wb["核查汇总"].oddFooter.center.text == "Page &P of &N"
    assert [c.value for c in wb["核查结果"][1]][8] == "Unit"


def test_every_font_is_named(tmp_path):
    parts = added_sheets(_result(tmp_path, book=_Book(), ratios=_ratios()), "en", set(), (FIN, BASIC))
    wb = openpyxl.load_workbook(io.BytesIO(H.zipped(parts)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.font.name == "宋体", (ws.title, c.coordinate)
    fonts = re.findall(rb"<font>.*?</font>", parts["xl/styles.xml"])
    assert fonts and all(b'<name val="\xe5\xae\x8b\xe4\xbd\x93"/>' in f and b"<scheme" not in f for f in fonts)
    for name in (n for n in parts if n.startswith("xl/charts/")):
        faces = set(re.findall(rb'typeface="([^"]*)"', parts[name]))
        assert faces == {"宋体".encode()}, name


def test_chart_bars_are_labelled_with_their_value_only(tmp_path):
    """Every data-label flag is written, all off but the value, in the schema's order: LibreOffice and WPS
    read an absent showCatName or showSerName as on and printed "财政拨款收入占比; 重算值; 81.32%" on a bar."""
    parts = added_sheets(check_file(ROOT / "samples" / "fengshun-2023.xlsx"), "zh", set(), (FIN, BASIC))
    charts = [parts[n] for n in parts if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    assert len(charts) == 2
    for xml in charts:
        (labels,) = re.findall(rb"<c:dLbls>.*?</c:dLbls>", xml, re.S)
        flags = re.findall(rb'<c:(show\w+) val="(\d)"/>', labels)
        assert flags == [(b"showLegendKey", b"0"), (b"showVal", b"1"), (b"showCatName", b"0"),
                         (b"showSerName", b"0"), (b"showPercent", b"0"), (b"showBubbleSize", b"0")]


# The sheets as the openpyxl writer made them for the with-mistakes sample (before they moved to
# xlsxwriter): the new package must hold the same rows, and show the same figures.
_OLD_RESULT_ROWS = [
    ("SHR01", "强制性", "收支情况", "C5", "81.33%", "81.32%", "0.01"),
    ("CST02", "强制性", "运行成本", "D5", "-10.49", "-10.94", "0.45"),
    ("FND01", "强制性", "专项资金", "D6", "90%", "100%", "-10.00"),  # differences at one precision (issue 11)
    ("GOL01", "强制性", "绩效目标", "G6", "116.6%", "116.7%", "-0.10"),
    ("LIM01", "强制性", "运行成本", "C13", None, None, "2.50"),
    ("BAS01", "强制性", "基本信息", "B10", None, None, None),
    ("SCO03", "强制性", "自评评分表", "G26", "5", "0", "5.00"),
    ("IN03", "提示性", "收支情况", "C13", None, None, None),
    ("SUM02", "提示性", "收支情况", "B5", "2369.93", "2369.94", "-0.01"),
    ("BAS02", "提示性", "基本信息", "B9", None, None, None),
    ("PUB01", "提示性", "信息公开", "B6", None, None, None),
]
_OLD_RESULT_COUNT = 23
_OLD_RESULT_HEADER = ["编码", "性质", "工作表", "单元格", "填报值", "重算值", "差额", "说明", "填报单位说明"]
_OLD_SUMMARY_TEXT = [  # every text of the old 核查汇总 but the time of the check and the tool's version
    "部门整体支出绩效自评核查汇总", "文件", "fengshun-2023-with-mistakes.xlsx", "部门", "丰顺县科工商务局", "年度",
    "2023", "核查时间", "核查工具", "核查结果统计", "强制性错误 7 个，提示 4 个，信息 12 个",
    "强制性错误", "信息", "结论", "自评得分与重算得分", "项目", "自评",
    "重算",
    "总分", "等级", "良", "预算编制", "预算执行", "预算使用效益", "主要比率：填报与重算", "填报值", "重算值",
    "是否一致", "重算值（数值）", "财政拨款收入占比", "81.33%", "81.32%", "不一致", "一般公共预算财政拨款占比",
    "68.62%", "政府性基金预算财政拨款占比", "10.29%", "国有资本经营预算财政拨款占比", "2.40%", "其他收入占比",
    "18.68%", "一致", "本年收入合计占比", "100.00%", "基本支出占比", "46.41%", "项目支出占比", "53.59%",
    "本年支出合计占比", "年度资金总额结转结余率", "0%", "无法计算", "公用经费控制率", "83.09%", "公用经费比预算增减",
    "-10.49", "减少 10.94", "“三公”经费合计控制率", "108.33%", "县科工商务局预算专项资金拨付率", "100%",
    "县科协科普经费拨付率", "90%", "专项资金使用情况合计拨付率", "固定资产利用率", "≥90%",
    "制造业数字化转型升级企业数完成率", "116.6%", "116.7%", "服务对象满意度完成率",
]


def _as_shown(cell) -> str | None:
    """A number cell as its number format shows it (the formats 核查结果 uses: 0, 0.00, 0.00%)."""
    if not isinstance(cell.value, (int, float)):
        return cell.value
    fmt = cell.number_format
    value = D(repr(cell.value)) * (100 if fmt.endswith("%") else 1)
    places = len(fmt.rstrip("%").partition(".")[2])
    shown = value.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown}{'%' if fmt.endswith('%') else ''}"


def test_same_rows_and_figures_as_the_openpyxl_sheets():
    result = check_file(ROOT / "samples" / "fengshun-2023-with-mistakes.xlsx")
    wb = _added(result, sheets=openpyxl.load_workbook(result.path, read_only=True).sheetnames)
    assert sorted(wb.sheetnames) == sorted(["核查结果", "核查汇总"])
    ws = wb["核查结果"]
    header = [c.value for c in ws[1]]
    new = {"单位", "状态", "审核结论", "审核意见", "编号", "数据摘要"}  # columns the old sheet did not have
    assert [{"单位说明": "填报单位说明"}.get(h, h) for h in header if h not in new] == _OLD_RESULT_HEADER
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == len(result.findings) == _OLD_RESULT_COUNT
    shown = [tuple(_as_shown(row[i]) for i in (0, 1, 3, 4, 5, 6, 7)) for row in rows[:len(_OLD_RESULT_ROWS)]]
    assert shown == _OLD_RESULT_ROWS
    texts = {c.value for row in wb["核查汇总"].iter_rows() for c in row if isinstance(c.value, str)}
    assert set(_OLD_SUMMARY_TEXT) <= texts


def _look(ws) -> dict:
    """What a reader sees of a sheet: values but the time of the check, fills, links, fonts, layout."""
    cells = {}
    for row in ws.iter_rows():
        if row[0].value == "核查时间":
            continue
        for c in row:
            if c.value is not None or _fill(c):
                link = c.hyperlink.location if c.hyperlink is not None else None
                cells[c.coordinate] = (c.value, c.data_type, _fill(c), link, c.font.name, c.number_format)
    return {"cells": cells, "merged": sorted(map(str, ws.merged_cells.ranges)), "charts": len(ws._charts),
            "area": ws.print_area, "titles": ws.print_title_rows, "filter": ws.auto_filter.ref,
            "freeze": ws.freeze_panes, "footer": ws.oddFooter.center.text, "landscape": ws.page_setup.orientation,
            "widths": {i: d.width for d in ws.column_dimensions.values() for i in range(d.min, d.max + 1)}}


def test_the_copy_carries_the_added_sheets(tmp_path):
    """The copy carries our package's sheets as they are, in front: it opens on 核查汇总."""
    result = _result(tmp_path, book=_Book(), ratios=_ratios())
    package = _added(result)
    out = tmp_path / "in.checked.xlsx"
    write_checked(result, str(out))
    copy = openpyxl.load_workbook(out)
    assert copy.sheetnames == ["核查汇总", "核查结果", FIN, BASIC]
    assert copy.active.title == "核查汇总"
    for name in package.sheetnames:
        assert _look(copy[name]) == _look(package[name]), name


def test_recheck_keeps_one_result_sheet(tmp_path):
    first = tmp_path / "in.checked.xlsx"
    write_checked(_result(tmp_path), str(first))
    again = Result(path=str(first), findings=_findings())
    second = tmp_path / "again.checked.xlsx"
    write_checked(again, str(second))
    write_checked(again, str(second))  # and twice over the same output
    wb2 = openpyxl.load_workbook(second)
    assert wb2.sheetnames.count("核查结果") == 1
    assert wb2.sheetnames.count("核查汇总") == 1
    assert wb2.sheetnames == ["核查汇总", "核查结果", FIN, BASIC]
    b6 = wb2[FIN]["B6"].comment.text
    assert b6.count("原始数据来自决算报表") == 1 and b6.count(SEPARATOR) == 1 and b6.count("SUM01") == 1
    assert wb2[FIN]["C4"].comment.text.count("SHR01") == 1
    assert wb2.active.title == "核查汇总"


# --------------------------------------------------------------------------- atomic write


def test_overwrites_existing_output_atomically(tmp_path):
    out = tmp_path / "in.checked.xlsx"
    out.write_bytes(b"old")
    write_checked(_result(tmp_path), str(out))
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["核查汇总", "核查结果"]
    assert _leftovers(tmp_path) == []


def test_refuses_the_input(tmp_path):
    result = _result(tmp_path)
    before = (tmp_path / "in.xlsx").read_bytes()
    with pytest.raises(ValueError):
        write_checked(result, result.path)
    assert (tmp_path / "in.xlsx").read_bytes() == before


def test_read_only_directory(tmp_path):
    result = _result(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        try:
            (ro / "probe").write_text("x")
        except OSError:
            pass
        else:
            pytest.skip("directory permissions are not enforced (running as root?)")
        with pytest.raises(PermissionError):
            write_checked(result, str(ro / "out.xlsx"))
        assert os.listdir(ro) == []
    finally:
        ro.chmod(stat.S_IRWXU)


def test_temp_file_cannot_be_created(tmp_path, monkeypatch):
    """What a read-only folder does, also when the tests run as root."""
    from evaltool import atomic

    result = _result(tmp_path)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "out"))

    monkeypatch.setattr(atomic.os, "open", denied)
    with pytest.raises(PermissionError):
        write_checked(result, str(tmp_path / "in.checked.xlsx"))
    assert sorted(os.listdir(tmp_path)) == ["in.xlsx"]


def test_replace_failure_removes_temp_file(tmp_path, monkeypatch):
    result = _result(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def locked(src, dst):
        raise PermissionError(13, "locked by Excel", dst)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(PermissionError):
        write_checked(result, str(out_dir / "in.checked.xlsx"))
    assert os.listdir(out_dir) == []


def test_save_failure_removes_temp_file(tmp_path, monkeypatch):
    result = _result(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    real = zipfile.ZipFile.writestr

    def broken(self, *args, **kwargs):  # the disk fills while the copy (not our in-memory sheets) is written
        if str(out_dir) in str(self.filename):
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken)
    with pytest.raises(OSError):
        write_checked(result, str(out_dir / "in.checked.xlsx"))
    assert os.listdir(out_dir) == []


def test_xlsm_suffix_kept(tmp_path, monkeypatch):
    result = _result(tmp_path)
    seen = []
    real = os.replace

    def spy(src, dst):
        seen.append(src)
        real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_checked(result, str(tmp_path / "book.checked.xlsm"))
    assert seen and seen[0].endswith(".xlsm")
    assert os.path.dirname(seen[0]) == str(tmp_path)
