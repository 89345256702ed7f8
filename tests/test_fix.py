"""--fix and formulas: a formula is never overwritten (its comment gives the value), a fixed figure is
shown in full (decimals added to the cell's own format), a corrected finding is 已更正 and the copy's
核查汇总 counts only what remains; formula cells keep their saved results in every copy."""

from __future__ import annotations

import re
from decimal import Decimal as D

import hostile as H
import openpyxl
import pytest

from evaltool.checker import check_file
from evaltool.findings import Severity, State
from evaltool.outputs import summary_sheet
from evaltool.outputs.checked import write_checked
from evaltool.outputs.figures import figure_rows
from evaltool.outputs.styles import FILL_ERROR, FILL_FIXED
from evaltool.workbook.layout import RESULTS_COLUMN
from tests.fillers import seed, with_mistakes

FIN = "收支情况"
# 基本支出 占比 C20 = B20 ÷ B24 = 1352.67 ÷ 2914.41 = 46.41%; a formula whose saved result is wrong
BASIC_SHARE, BASIC_FORMULA = "C20", "ROUND(B20/B24,2)"
# 本年收入合计 B14 and 本年支出合计 B24 as formulas with the right saved results
GOOD_FORMULAS = {"B14": ("SUM(B5,B13)", "2914.41"), "B24": ("B20+B22", "2914.41")}
SEVERITY, STATE, MESSAGE = (RESULTS_COLUMN[k] for k in ("severity", "state", "message"))


def _workbook(path) -> None:
    """The seed with a wrong share in a "0%" cell (90% for 81.32%), a formula cell with a wrong saved
    result, and two formulas with the right ones."""
    f = seed()
    f.set("finance", "income", "fiscal", "share", D("0.9"), "0%")
    data = H.to_bytes(f)
    data = H.with_formula(data, FIN, BASIC_SHARE, BASIC_FORMULA, "0.5")
    for coord, (formula, cached) in GOOD_FORMULAS.items():
        data = H.with_formula(data, FIN, coord, formula, cached)
    path.write_bytes(data)


@pytest.fixture(scope="module")
def fixed(tmp_path_factory):
    """(input path, its check, the --fix copy, the copy's check, the Result 核查汇总 was given)."""
    folder = tmp_path_factory.mktemp("fix")
    path, out = folder / "book.xlsx", folder / "book.checked.xlsx"
    _workbook(path)
    result = check_file(path)
    given = []
    real = summary_sheet.write
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(summary_sheet, "write", lambda wb, formats, r, lang: (given.append(r), real(wb, formats, r, lang)))
        write_checked(result, str(out), fix=True)
    return path, result, out, check_file(out), given[0]


def _cell_xml(path, sheet: str, coord: str) -> bytes:
    data = path.read_bytes()
    m = re.search(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % coord.encode(), H.parts(data)[H.sheet_part(data, sheet)], re.S)
    assert m, coord
    return m[0]


def _fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:]


def test_the_input_has_the_mistakes_the_tests_rely_on(fixed):
    _, result, *_ = fixed
    errors = {(f.code, f.cell): f for f in result.findings if f.severity is Severity.ERROR}
    assert set(errors) == {("SHR01", "C5"), ("SHR02", BASIC_SHARE)}
    assert errors[("SHR02", BASIC_SHARE)].fix.formula == BASIC_FORMULA
    assert errors[("SHR01", "C5")].fix.number_format == "0.00%"
    assert not any(f.code == "IN05" for f in result.findings)
    from evaltool.outputs.jsondoc import fix

    assert fix(errors[("SHR02", BASIC_SHARE)].fix)["formula"] == BASIC_FORMULA  # the JSON says it stays
    assert fix(errors[("SHR01", "C5")].fix)["formula"] is None


def test_a_formula_cell_is_flagged_with_the_value_never_overwritten(fixed):
    path, _, out, _, _ = fixed
    before, after = _cell_xml(path, FIN, BASIC_SHARE), _cell_xml(out, FIN, BASIC_SHARE)
    assert re.sub(rb'\ss="\d+"', b"", before) == re.sub(rb'\ss="\d+"', b"", after)  # formula and result
    assert f"<f>{BASIC_FORMULA}</f><v>0.5</v>".encode() in after
    cell = openpyxl.load_workbook(out)[FIN][BASIC_SHARE]
    assert _fill(cell) == FILL_ERROR and cell.number_format == "0.00%"
    assert cell.comment.text.startswith(f"公式 ={BASIC_FORMULA} 未改写：重算值为 46.41%，请改正公式或它引用的单元格\n")
    assert "已按重算值更正" not in cell.comment.text


def test_a_fixed_figure_keeps_its_format_with_the_decimals_it_needs(fixed):
    _, _, out, _, _ = fixed
    cell = openpyxl.load_workbook(out)[FIN]["C5"]
    assert cell.value == pytest.approx(0.8132) and cell.number_format == "0.00%"  # 81.32%, not 81%
    assert _fill(cell) == FILL_FIXED and cell.border.left.style == "double"
    assert cell.comment.text.startswith("已按重算值更正（原值 90%）\n[SHR01 强制性]")


def test_the_copys_summary_is_the_copys_own_check(fixed):
    _, result, out, again, given = fixed
    assert [f.code for f in result.findings if f.severity is Severity.ERROR].count("SHR01") == 1
    assert not any(f.code == "SHR01" for f in given.findings)  # 核查汇总 counts what remains
    assert given.tally()[State.ERROR] == result.tally()[State.ERROR] - 1
    # What 核查汇总 was given is what checking the written copy finds, figure for figure.
    assert sorted((f.code, f.cell, f.severity) for f in given.findings) == sorted(
        (f.code, f.cell, f.severity) for f in again.findings)
    (c5,) = [row for row in figure_rows(given)[0] if row.location is not None and row.location.cell == "C5"]
    assert (c5.stated.value, c5.stated.places, c5.verdict) == (D("0.8132"), 2, None)  # 81.32%, agrees
    rows = list(openpyxl.load_workbook(out)["核查结果"].iter_rows(values_only=True))  # every finding of the input
    shr01 = next(r for r in rows if r[0] == "SHR01")
    assert shr01[STATE] == "已更正" and str(shr01[MESSAGE]).startswith("已按重算值更正（原值 90%）")
    shr02 = next(r for r in rows if r[0] == "SHR02")
    assert (shr02[SEVERITY], shr02[STATE]) == ("强制性", "强制性错误")


def test_a_cell_inside_an_array_formula_is_flagged_not_said_to_be_corrected(tmp_path):
    """C5 (the wrong 90% share) is the second cell of an array formula typed in B5 over B5:C5: its value is
    the formula's, so --fix cannot write it; its comment says so, with the value, and it is marked as the
    error it still is, not as corrected, on its cell and in 核查结果."""
    f = seed()
    f.set("finance", "income", "fiscal", "share", D("0.9"), "0%")
    data = H.with_formula(H.to_bytes(f), FIN, "B5", "B5:C5", "2369.93")
    data = H.rezip(data, edit={H.sheet_part(data, FIN): lambda xml: xml.replace(
        b"<f>B5:C5</f>", b'<f t="array" ref="B5:C5">B5:C5</f>')})
    path, out = tmp_path / "book.xlsx", tmp_path / "book.checked.xlsx"
    path.write_bytes(data)
    result = check_file(path)
    assert ("SHR01", "C5") in {(f.code, f.cell) for f in result.findings if f.severity is Severity.ERROR}
    write_checked(result, str(out), fix=True)
    cell = openpyxl.load_workbook(out)[FIN]["C5"]
    assert cell.value == 0.9 and _fill(cell) == FILL_ERROR and cell.border.left.style != "double"
    assert cell.comment.text.startswith("此格在数组公式或模拟运算表的区域内，未改写：重算值为 81.32%，"
                                        "请改正公式或它引用的单元格\n[SHR01 强制性]")
    assert "已按重算值更正" not in cell.comment.text
    rows = list(openpyxl.load_workbook(out)["核查结果"].iter_rows(values_only=True))
    shr01 = next(r for r in rows if r[0] == "SHR01")
    assert shr01[STATE] == "强制性错误" and not str(shr01[MESSAGE]).startswith("已按重算值更正")


def test_the_console_and_json_say_which_cells_fix_corrected(tmp_path):
    """The share written (C5) is said with its old and new value; the formula cell left alone (C20) is not."""
    import json

    from click.testing import CliRunner

    from evaltool.cli import main

    path = tmp_path / "book.xlsx"
    _workbook(path)
    shown = CliRunner().invoke(main, ["check", str(path), "--fix"]).output
    assert "  已更正 收支情况!C5：90% → 81.32%（副本中标绿）\n" in shown and f"{FIN}!{BASIC_SHARE}：" not in shown
    doc = json.loads(CliRunner().invoke(main, ["check", str(path), "--fix", "--format", "json"]).output)
    (entry,) = doc["files"]
    assert entry["corrected"] == ["SHR01:finance.income.fiscal.share:2023"]
    assert json.loads(CliRunner().invoke(main, ["check", str(path), "--format", "json"]).output)["files"][0][
        "corrected"] == []


def test_the_console_says_a_corrected_value_as_its_cell_shows_it(tmp_path):
    """100% written into a "0%" cell stays "0%" (it shows 100%), 116.67% makes "0.0%" "0.00%", and a money
    difference is said at its cell's decimals: the console says what the copy shows."""
    from click.testing import CliRunner

    from evaltool.cli import main

    path = tmp_path / "book.xlsx"
    with_mistakes().save(path)
    shown = CliRunner().invoke(main, ["check", str(path), "--fix", "-o", str(tmp_path / "out.xlsx")]).output
    assert "已更正 专项资金!D6：90% → 100%（副本中标绿）" in shown
    assert "已更正 绩效目标!G6：116.6% → 116.67%（副本中标绿）" in shown
    assert "已更正 运行成本!D5：-10.49 → -10.94（副本中标绿）" in shown
    d6 = openpyxl.load_workbook(tmp_path / "out.xlsx")["专项资金"]["D6"]
    assert (d6.value, d6.number_format) == (1, "0%")


def test_formula_cells_keep_their_saved_results_and_a_recheck_finds_no_in05(fixed):
    path, result, out, again, _ = fixed
    for coord in GOOD_FORMULAS:
        assert _cell_xml(out, FIN, coord) == _cell_xml(path, FIN, coord)  # byte for byte, <v> included
    assert not any(f.code == "IN05" for f in again.findings)
    # The copy checks as the input less the corrected share: the formula still wrong, nothing new.
    assert {(f.code, f.cell) for f in again.findings if f.severity is Severity.ERROR} == {("SHR02", BASIC_SHARE)}


def test_without_fix_the_copy_keeps_every_saved_result(tmp_path):
    path, out = tmp_path / "book.xlsx", tmp_path / "book.checked.xlsx"
    _workbook(path)
    write_checked(check_file(path), str(out))
    for coord in (*GOOD_FORMULAS, BASIC_SHARE):
        strip = re.compile(rb'\ss="\d+"')
        assert strip.sub(b"", _cell_xml(out, FIN, coord)) == strip.sub(b"", _cell_xml(path, FIN, coord))
    assert not any(f.code == "IN05" for f in check_file(out).findings)


def test_the_mistakes_sample_fixed_leaves_the_errors_fix_cannot_touch(tmp_path):
    path, out = tmp_path / "m.xlsx", tmp_path / "m.checked.xlsx"
    with_mistakes().save(path)
    result = check_file(path)
    write_checked(result, str(out), fix=True)
    again = check_file(out)
    fixable = {f.code for f in result.findings if f.fix is not None and f.severity is Severity.ERROR}
    assert fixable and not fixable & {f.code for f in again.findings if f.severity is Severity.ERROR}
    rows = list(openpyxl.load_workbook(out)["核查结果"].iter_rows(values_only=True))
    assert {r[0] for r in rows if r[STATE] == "已更正"} == fixable


def test_the_fixed_copys_summary_keeps_explanations_and_last_year(tmp_path):
    """核查汇总 of a --fix copy counts an explained warning as explained (its finding keeps its id, year
    included) and keeps last year's findings (PRI), as a re-check of the copy does."""
    import datetime as dt

    path, last, out = tmp_path / "m.xlsx", tmp_path / "last.xlsx", tmp_path / "m.checked.xlsx"
    with_mistakes().save(path)
    prior = seed()
    prior.set("basic", "info", "year", "value", 2022)
    prior.set("basic", "info", "date", "value", dt.datetime(2023, 7, 10))
    prior.set("costs", "sangong", "total", "budget", D("20"))  # this year's 30 is higher: PRI04
    prior.save(last)
    result = check_file(path, prior=last)
    sum02 = next(f for f in result.findings if f.code == "SUM02")
    result.explanations[sum02.id] = "决算报表按元取整后汇总，尾差 0.01 万元"
    given = []
    real = summary_sheet.write
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(summary_sheet, "write", lambda wb, formats, r, lang: (given.append(r), real(wb, formats, r, lang)))
        write_checked(result, str(out), fix=True)
    again = check_file(out, prior=last)
    assert "PRI04" in {f.code for f in result.findings}
    assert sorted(f.id for f in given[0].findings) == sorted(f.id for f in again.findings)
    assert given[0].tally() == again.tally() and given[0].tally()[State.EXPLAINED] == 1
