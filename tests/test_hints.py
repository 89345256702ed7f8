"""Messages that name the likely slip when the arithmetic shows it (issue 11), at the exact cell."""

from __future__ import annotations

from decimal import Decimal as D
from importlib import resources

import pytest

from evaltool.checker import check_file
from evaltool.findings import Severity
from evaltool.scoring.ruleset import load_ruleset
from evaltool.text.render import message
from tests.fillers import seed

E = Severity.ERROR
EXEC = ("execution", "budget")


def the(result, code: str):
    (f,) = [f for f in result.findings if f.code == code and f.severity is not Severity.INFO]
    return f


def test_percent_typed_into_a_percent_cell(seeded, run):
    """94.20 typed into a cell formatted 0.00% shows 9420.00%."""
    seeded.set(*EXEC, "total", "adjusted", D(3000))
    seeded.set(*EXEC, "total", "actual", D("2826"))  # 94.20%
    seeded.set(*EXEC, "total", "exec_rate", D("94.2"), "0.00%")
    f = the(run(seeded), "EXE01")
    assert (f.severity, f.cell, f.params["hint"].key) == (E, "E5", "hint.times100")
    assert message(f) == ("预算执行!E5（年度资金总额 执行率(填报)）填报 9420.00%，按 2826.00 ÷ 3000.00 重算为 94.20%，"
                          "相差 9325.80 个百分点；填报值是重算值的 100 倍：可能把百分数 94.2 填进了百分比格式的单元格，"
                          "应填 94.20%")


def test_fraction_typed_into_a_points_cell(seeded, run):
    """0.7459 in a cell headed (%) without a % format is read as 0.7459 points."""
    seeded.set(*EXEC, "total", "adjusted", D(3000))
    seeded.set(*EXEC, "total", "actual", D("2237.7"))  # 74.59%
    seeded.set(*EXEC, "total", "exec_rate", D("0.7459"), "General")
    f = the(run(seeded), "EXE01")
    assert f.params["hint"].key == "hint.fraction"
    assert message(f).endswith("相差 -73.84 个百分点；填报值是重算值的 1/100："
                               "可能在以百分点计的单元格中填了小数 0.7459，应填 74.59")


def test_execution_rate_on_the_initial_budget(seeded, run):
    seeded.set(*EXEC, "total", "initial", D(2826))
    seeded.set(*EXEC, "total", "adjusted", D(3000))
    seeded.set(*EXEC, "total", "actual", D("2914.41"))
    seeded.set(*EXEC, "total", "exec_rate", D("1.0313"))  # 2914.41 ÷ 2826 = 103.13%
    f = the(run(seeded), "EXE01")
    assert (f.severity, f.params["hint"].key) == (E, "hint.initial")
    assert message(f).endswith("填报值是按 2914.41 ÷ 2826.00 算的："
                               "分母应为年度资金总额 全年预算数（调整后的全年预算），不是年度资金总额 年初预算数")


def test_numerator_and_denominator_swapped(seeded, run):
    seeded.set("costs", "office", "office", "rate", D("1.2036"))  # 64.68 ÷ 53.74
    f = the(run(seeded), "CST01")
    assert f.params["hint"].key == "hint.swapped"
    assert message(f).endswith("填报值是按 64.68 ÷ 53.74 算的：分子分母颠倒了")


def test_sign_flipped(seeded, run):
    seeded.set("costs", "office", "office", "diff", D("10.94"))
    f = the(run(seeded), "CST02")
    assert (f.severity, f.cell, f.params["hint"].key) == (E, "D5", "hint.sign")
    assert message(f) == ("运行成本!D5（机关运行经费 比预算增减(填报)）填报 10.94，按 53.74 − 64.68 重算为 -10.94，"
                          "相差 21.88；符号填反了：增减 = 决算数 − 预算数，比预算减少为负数")


def test_completion_rate_capped_at_100(seeded, run):
    seeded.set("goals", "goals", 1, "rate", D(1), "0%")  # 7 ÷ 6 = 116.67%
    f = the(run(seeded), "GOL01")
    assert (f.cell, f.params["hint"].key) == ("G6", "hint.capped")


def test_a_county_may_cap_completion_rates(tmp_path):
    text = (resources.files("evaltool.scoring") / "rulesets" / "guangdong-county-2023.toml").read_text("utf-8")
    path = tmp_path / "capped.toml"
    path.write_text("completion_capped = true\n" + text, "utf-8")
    county = load_ruleset(str(path))
    f = seed(county)
    f.set("goals", "goals", 1, "rate", D(1), "0%")
    f.save(tmp_path / "book.xlsx")
    result = check_file(tmp_path / "book.xlsx", county)
    assert not [x for x in result.findings if x.code == "GOL01"]
    f.set("goals", "goals", 1, "rate", D("0.9"), "0%")  # capped is 100%, not any lower figure
    f.save(tmp_path / "book.xlsx")
    assert [x.cell for x in check_file(tmp_path / "book.xlsx", county).findings if x.code == "GOL01"] == ["G6"]


def test_personnel_share_taken_of_basic_expenditure(seeded, run):
    seeded.set("finance", "expense", "personnel", "amount", D("1000.00"))
    seeded.set("finance", "expense", "public", "amount", D("352.67"))
    seeded.set("finance", "expense", "personnel", "share", D("0.7393"))  # 1000 ÷ 1352.67
    f = the(run(seeded), "SHR02")
    assert (f.severity, f.cell, f.params["hint"].key) == (E, "C21", "hint.parent")
    assert message(f).endswith("填报值是按 1000.00 ÷ 1352.67 算的（占基本支出 金额的比例）："
                               "占比的分母应为本年支出合计 金额")


@pytest.mark.parametrize(("stated", "hint"), [(D("0.8133"), None), (D("0.7862"), "hint.grand")])
def test_a_plain_mismatch_has_no_hint(stated, hint, seeded, run):
    seeded.set("finance", "income", "carry_in", "amount", D(100))
    seeded.set("finance", "income", "grand", "amount", D("3014.41"))
    seeded.set("finance", "income", "fiscal", "share", stated)
    f = the(run(seeded), "SHR01")
    assert (f.severity, f.key) == (E, "ratio_mismatch_hint" if hint else "ratio_mismatch")
    assert (f.params["hint"].key if hint else None) == hint


def test_differences_are_shown_at_one_precision(seeded, run):
    seeded.set("funds", "funds", 1, "rate", D("0.9"))
    seeded.set("goals", "goals", 1, "rate", D("1.166"))
    result = run(seeded)
    assert "相差 -10.00 个百分点" in message(the(result, "FND01"))
    assert "相差 -0.10 个百分点" in message(the(result, "GOL01"))
