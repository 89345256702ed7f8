"""The checked copy: flagged cells, 核查结果, 核查汇总, --fix, and the atomic write."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from decimal import Decimal
from decimal import Decimal as D

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side

from evaltool.checker import Result
from evaltool.derive import Derived
from evaltool.findings import Finding, Fix, Formula, Location, Quantity, Severity, Unit, money, percent
from evaltool.model import Cell, CellRef
from evaltool.outputs.checked import SEPARATOR, write_checked
from evaltool.ratios import GROUPS, Ratio
from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import Parsed, Status

FIN = "收支情况"
BASIC = "基本信息"
RED, YELLOW, GREEN = "FFC7CE", "FFEB9C", "C6EFCE"


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
    ref = CellRef("finance", "income", row, col)
    return Cell(sheet, coord, kind, ref, Parsed(status, value, decimals), raw=value)


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


class _Score:
    scored = False


def _result(tmp_path, book=None, ratios=None, edit=None) -> Result:
    wb = _workbook()
    if edit is not None:
        edit(wb)
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
    assert c4.border.left.style == "thin"
    text = c4.comment.text
    assert c4.comment.author == "evaltool"
    assert "[SHR01 强制性]" in text and "[IN06 提示性]" in text
    assert "按 1927.10 ÷ 2369.93 重算为 81.32%" in text
    assert text.index("SHR01") < text.index("IN06")
    assert "已按重算值更正" not in text

    b6 = ws["B6"]
    assert _fill(b6) == YELLOW
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
    assert _fill(ws["B6"]) == YELLOW
    assert ws["B4"].value == pytest.approx(1927.1)
    assert ws["B7"].value == 100


def test_fix_format_applied(tmp_path):
    result = _result(tmp_path, edit=lambda wb: wb[FIN].__setitem__("C4", "81.33%"))  # typed as text
    result.findings[0] = replace(result.findings[0], fix=Fix(D("0.8132"), "0.00%"))
    out = tmp_path / "fmt.xlsx"
    write_checked(result, str(out), lang="en", fix=True)
    c4 = openpyxl.load_workbook(out)[FIN]["C4"]
    assert c4.value == pytest.approx(0.8132) and c4.number_format == "0.00%"
    assert "Corrected to the recomputed value (was 81.33%)" in c4.comment.text


# --------------------------------------------------------------------------- 核查结果 / 核查汇总


def test_results_sheet(tmp_path):
    result = _result(tmp_path)
    out = tmp_path / "in.checked.xlsx"
    write_checked(result, str(out))
    wb = openpyxl.load_workbook(out)
    ws = wb["核查结果"]
    header = [c.value for c in ws[1]]
    assert header == ["编码", "性质", "工作表", "单元格", "填报值", "重算值", "差额", "说明", "填报单位说明"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(result.findings)
    assert [r[0] for r in rows] == [f.code for f in result.findings]
    assert rows[0][:7] == ("SHR01", "强制性", FIN, "C4", "81.33%", "81.32%", "0.01")
    assert "财政拨款收入 占比" in rows[0][7]
    assert ws["D2"].hyperlink.target == f"#'{FIN}'!C4"
    assert ws["D4"].hyperlink.target == f"#'{FIN}'!B6"
    assert ws["D6"].hyperlink is None  # no cell
    assert _fill(ws["B2"]) == RED and _fill(ws["B3"]) == YELLOW
    assert ws["I2"].protection.locked is False
    assert ws["H2"].alignment.wrap_text
    assert ws.column_dimensions["H"].width == 80
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I6"
    assert all(isinstance(v, str) for v in rows[0][4:7])  # stated/recomputed/difference as text


def test_summary_sheet(tmp_path):
    result = _result(tmp_path, book=_Book(), ratios=_ratios())
    other = CellRef("finance", "income", "other", "share")
    as_text = Finding("IN03", Severity.WARNING, "text_number", other, Location(FIN, "C5"),
                      params={"raw": "18.68%", "value": percent(D("0.1868"))})
    result.findings.append(as_text)  # the value was read as stated: still 一致
    out = tmp_path / "in.checked.xlsx"
    write_checked(result, str(out))
    wb = openpyxl.load_workbook(out)
    ws = wb["核查汇总"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "in.xlsx" in flat and "某某局" in flat and "2023" in flat
    assert "强制性错误 1 个，提示 3 个，信息 2 个" in flat
    assert "未通过：有 1 个强制性错误须修正" in flat
    labelled = {row[0]: row[1] for row in values if row and row[0] in ("强制性错误", "提示", "信息")}
    assert labelled == {"强制性错误": 1, "提示": 3, "信息": 2}

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
    assert len(ws._charts) >= 1
    charted = [v for row in values for v in row[16:17]]
    assert "财政拨款收入占比" in charted and "其他收入占比" in charted
    assert "本年收入合计占比" not in charted  # totals are not charted


def test_summary_without_book(tmp_path):
    result = _result(tmp_path)
    result.findings = [f for f in result.findings if f.severity is not Severity.ERROR]
    out = tmp_path / "ok.xlsx"
    write_checked(result, str(out), lang="en")
    flat = [c.value for row in openpyxl.load_workbook(out)["核查汇总"].iter_rows() for c in row]
    assert "PASS: no errors" in flat
    assert "errors: 0, warnings: 2, notes: 2" in flat


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
    assert wb2.sheetnames[:2] == [FIN, BASIC]
    b6 = wb2[FIN]["B6"].comment.text
    assert b6.count("原始数据来自决算报表") == 1 and b6.count(SEPARATOR) == 1 and b6.count("SUM01") == 1
    assert wb2[FIN]["C4"].comment.text.count("SHR01") == 1
    assert wb2.active.title == FIN


# --------------------------------------------------------------------------- atomic write


def test_overwrites_existing_output_atomically(tmp_path):
    out = tmp_path / "in.checked.xlsx"
    out.write_bytes(b"old")
    write_checked(_result(tmp_path), str(out))
    assert openpyxl.load_workbook(out).sheetnames[-2:] == ["核查结果", "核查汇总"]
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

    def broken(path):
        with open(path, "wb") as fh:
            fh.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", lambda self, path: broken(path))
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
