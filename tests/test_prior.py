"""Last year's workbook (--prior): the PRI rules on two-year pairs built here, and the pairing refused."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from evaltool.checker import check_file
from evaltool.findings import Severity
from evaltool.text.render import message
from tests.conftest import found
from tests.fillers import seed

E, W = Severity.ERROR, Severity.WARNING
SANGONG = ("costs", "sangong")


@pytest.fixture
def pair(tmp_path, ruleset):
    """(this year's Filler, last year's Filler, check): the seed as 2023 and as 2022, identical figures."""
    this, last = seed(ruleset), seed(ruleset)
    last.set("basic", "info", "year", "value", 2022)

    def check(**kw):
        this.save(tmp_path / "2023.xlsx")
        last.save(tmp_path / "2022.xlsx")
        result = check_file(tmp_path / "2023.xlsx", ruleset, prior=tmp_path / "2022.xlsx", **kw)
        assert result.error is None, result.error and result.error.render()
        assert not [f for f in result.findings if f.key == "internal_error"], result.findings
        return result

    return this, last, check


def cell(filler, *where):
    name, _, _ = filler.position(*where)
    return name, filler.coord(*where)


def pri(result) -> set:
    return {(f.code, f.severity, f.sheet, f.cell) for f in result.findings if f.code.startswith("PRI")}


def test_same_figures_say_nothing(pair):
    _, _, check = pair
    assert pri(check()) == set()


def test_no_prior_no_pri_findings(run, seeded):
    assert not [f for f in run(seeded).findings if f.code.startswith("PRI")]


def test_pri01_carry_in_must_be_last_carry_out(pair):
    this, last, check = pair
    this.set("finance", "income", "carry_in", "amount", D(10))
    last.set("finance", "expense", "carry_out", "amount", D(12))
    result = check()
    assert ("PRI01", E, *cell(this, "finance", "income", "carry_in", "amount")) in pri(result)
    f = next(f for f in result.findings if f.code == "PRI01")
    assert message(f) == (f"收支情况!{f.cell}（年初结转和结余 金额）10.00 与上年自评表 "
                          f"收支情况!{last.coord('finance', 'expense', 'carry_out', 'amount')}"
                          "（年末结转和结余 金额）12.00 不符，相差 -2.00")
    last.set("finance", "expense", "carry_out", "amount", D(10))
    assert not found(check(), "PRI01")


def test_pri01_within_the_rounding_of_whole_wan_yuan(pair):
    this, last, check = pair
    this.set("finance", "income", "carry_in", "amount", D("12.3"), "0.00")
    last.set("finance", "expense", "carry_out", "amount", D(12), "0")
    assert not found(check(), "PRI01")


def test_pri02_last_year_column_must_be_last_actual(pair):
    this, _, check = pair
    this.set(*SANGONG, "total", "last_year", D(14))
    assert found(check(), "PRI02") == {(E, *cell(this, *SANGONG, "total", "last_year"))}
    this.set(*SANGONG, "total", "last_year", D("14.06"))
    assert not found(check(), "PRI02")


def test_pri03_change_beyond_threshold_needs_a_note(pair):
    this, last, check = pair
    last.set("costs", "office", "office", "final", D(40))  # 53.74 against 40: +34.35%
    result = check()
    assert found(result, "PRI03") == {(W, *cell(this, "costs", "office", "office", "final"))}
    f = next(f for f in result.findings if f.code == "PRI03")
    assert "上年 40.00，变动 13.74（34.35%），超过 30%" in message(f)
    last.set("costs", "office", "office", "final", D(42))  # +27.95%: within
    assert not found(check(), "PRI03")


def test_pri03_threshold_from_the_rule_set(tmp_path, ruleset):
    import dataclasses

    strict = dataclasses.replace(ruleset, prior_change=D("0.2"))
    this, last = seed(strict), seed(strict)
    last.set("basic", "info", "year", "value", 2022)
    last.set("costs", "office", "office", "final", D(42))
    this.save(tmp_path / "a.xlsx")
    last.save(tmp_path / "b.xlsx")
    result = check_file(tmp_path / "a.xlsx", strict, prior=tmp_path / "b.xlsx")
    assert found(result, "PRI03") == {(W, *cell(this, "costs", "office", "office", "final"))}
    assert "超过 20%" in message(next(f for f in result.findings if f.code == "PRI03"))


def test_pri03_from_zero_is_said_as_an_amount(pair):
    this, last, check = pair
    last.set("costs", "office", "office", "final", D(0))
    f = next(f for f in check().findings if f.code == "PRI03")
    assert f.key == "prior_from_zero"
    assert message(f).endswith("53.74，上年为 0，增加 53.74，请说明原因")


def test_pri04_sangong_budget_only_falls(pair):
    this, last, check = pair
    last.set(*SANGONG, "total", "budget", D(25))
    assert found(check(), "PRI04") == {(W, *cell(this, *SANGONG, "total", "budget"))}


def test_pri05_actual_above_last_unless_lim02_says_it(pair):
    this, last, check = pair
    last.set(*SANGONG, "total", "actual", D(13))
    where = cell(this, *SANGONG, "total", "actual")
    assert found(check(), "PRI05") == {(W, *where)}
    this.set(*SANGONG, "total", "last_year", D(13))  # LIM02 says it now
    result = check()
    assert not found(result, "PRI05")
    assert found(result, "LIM02") == {(W, *where)}


def test_pri06_score_rose_while_figure_got_worse(pair, ruleset):
    this, last, check = pair
    row = next(i for i, ind in enumerate(ruleset.indicators) if ind.figure == "office_control_rate")
    weight = ruleset.indicators[row].weight
    this.set("scores", "scores", row, "self", weight)
    last.set("scores", "scores", row, "self", weight - 1)
    last.set("costs", "office", "office", "final", D(50))  # last year 77.31%, this year 83.09%: worse (上限法 …)
    # … but both within the 100% limit, so full marks are right both years: only the rise is the question.
    result = check()
    assert found(result, "PRI06") == {(W, *cell(this, "scores", "scores", row, "self"))}
    last.set("costs", "office", "office", "final", D("60"))  # 92.76% last year: this year is better
    assert not found(check(), "PRI06")


def test_pri07_error_of_last_year_still_there(pair):
    this, last, check = pair
    for filler in (this, last):
        filler.set("costs", "office", "office", "rate", D("0.8310"))
    result = check()
    where = cell(this, "costs", "office", "office", "rate")
    assert found(result, "CST01") == {(E, *where)}
    assert found(result, "PRI07") == {(W, *where)}
    assert "上年自评表的同一错误（CST01）本年仍然存在" in message(next(f for f in result.findings if f.code == "PRI07"))
    this.set("costs", "office", "office", "rate", D("0.8309"))
    assert not found(check(), "PRI07")


def test_prior_in_yuan_is_taken_into_wan_yuan(pair):
    this, last, check = pair
    last.set("basic", "info", "unit", "value", "元")
    last.set("finance", "expense", "carry_out", "amount", D(120000))
    this.set("finance", "income", "carry_in", "amount", D(12))
    assert not found(check(), "PRI01")


@pytest.mark.parametrize("what", ["year", "dept"])
def test_prior_not_of_this_department_and_year_before(tmp_path, ruleset, what):
    this, last = seed(ruleset), seed(ruleset)
    if what == "year":
        last.set("basic", "info", "year", "value", 2021)
    else:
        last.set("basic", "info", "year", "value", 2022)
        last.set("basic", "info", "dept", "value", "丰顺县教育局")
    this.save(tmp_path / "2023.xlsx")
    last.save(tmp_path / "2022.xlsx")
    result = check_file(tmp_path / "2023.xlsx", ruleset, prior=tmp_path / "2022.xlsx")
    assert result.error is not None and result.error.key == "prior_mismatch"
    text = result.error.render()
    assert str(tmp_path / "2023.xlsx") in text and str(tmp_path / "2022.xlsx") in text
    assert result.exit_code == 2


def test_department_names_compared_normalised(pair):
    this, last, check = pair
    last.set("basic", "info", "dept", "value", "丰顺县科工商务局（公章）")
    assert check().error is None


def test_prior_unreadable_names_both_files(tmp_path, ruleset, seeded):
    seeded.save(tmp_path / "2023.xlsx")
    (tmp_path / "2022.xlsx").write_bytes(b"not a workbook")
    result = check_file(tmp_path / "2023.xlsx", ruleset, prior=tmp_path / "2022.xlsx")
    assert result.error is not None and result.error.key == "prior_unreadable"
    text = result.error.render()
    assert str(tmp_path / "2023.xlsx") in text and str(tmp_path / "2022.xlsx") in text


# --------------------------------------------------------------------------- the command


def invoke(*args: str):
    from click.testing import CliRunner

    from evaltool.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_prior_one_file(pair, tmp_path):
    this, last, _ = pair
    last.set(*SANGONG, "total", "budget", D(25))
    this.save(tmp_path / "2023.xlsx")
    last.save(tmp_path / "2022.xlsx")
    out = invoke("check", str(tmp_path / "2023.xlsx"), "--prior", str(tmp_path / "2022.xlsx"))
    assert out.exit_code == 0, out.output
    assert "PRI04" in out.output


def test_cli_prior_mismatch_exits_2_naming_both(pair, tmp_path):
    this, last, _ = pair
    last.set("basic", "info", "year", "value", 2020)
    this.save(tmp_path / "2023.xlsx")
    last.save(tmp_path / "2020.xlsx")
    out = invoke("check", str(tmp_path / "2023.xlsx"), "--prior", str(tmp_path / "2020.xlsx"))
    assert out.exit_code == 2
    assert "2023.xlsx" in out.output and "2020.xlsx" in out.output and "Traceback" not in out.output


def test_cli_a_missing_prior_dir_is_a_usage_error(tmp_path, ruleset):
    seed(ruleset).save(tmp_path / "2023.xlsx")
    out = invoke("check", str(tmp_path / "2023.xlsx"), "--prior-dir", str(tmp_path / "上年"))
    assert out.exit_code == 2 and f"找不到上年自评表文件夹 {tmp_path / '上年'}" in out.output
    assert not (tmp_path / "2023.checked.xlsx").exists()  # nothing checked without last year, silently


def test_cli_prior_dir_pairs_by_name_and_renames(tmp_path, ruleset):
    now, before = tmp_path / "2023", tmp_path / "2022"
    now.mkdir()
    before.mkdir()
    for dept, old in (("丰顺县科工商务局", "丰顺县科工商务局（公章）"), ("丰顺县教育局", None),
                      ("丰顺县工业和信息化局", "丰顺县经济和信息化局")):
        this = seed(ruleset)
        this.set("basic", "info", "dept", "value", dept)
        this.save(now / f"{dept}.xlsx")
        if old:
            last = seed(ruleset)
            last.set("basic", "info", "dept", "value", old)
            last.set("basic", "info", "year", "value", 2022)
            last.set(*SANGONG, "total", "budget", D(25))
            last.save(before / f"{old}.xlsx")
    renames = tmp_path / "renames.csv"
    renames.write_text("上年名称,本年名称\n丰顺县经济和信息化局,丰顺县工业和信息化局\n", encoding="utf-8-sig")
    summary = tmp_path / "汇总.xlsx"
    out = invoke("check", str(now), "--prior-dir", str(before), "--prior-renames", str(renames), "-j", "1",
                 "--format", "json", "--summary", str(summary), "--export", str(tmp_path / "county.csv"))
    import json

    doc = json.loads(out.stdout)
    pri = {f["department"]: {x["code"] for x in f["findings"] if x["code"].startswith("PRI")} for f in doc["files"]}
    assert pri == {"丰顺县科工商务局": {"PRI04"}, "丰顺县教育局": set(), "丰顺县工业和信息化局": {"PRI04"}}
    flags = {f["department"]: [x["message"] for x in f["flags"]] for f in doc["files"]}
    assert flags == {"丰顺县科工商务局": [], "丰顺县工业和信息化局": [],
                     "丰顺县教育局": ["上年文件夹中没有本部门 2022 年度的自评表：未与上年核对"]}
    import openpyxl
    import pandas as pd

    from evaltool.outputs.county import HEADER_ROW

    data = pd.read_csv(tmp_path / "county.csv", encoding="utf-8-sig", dtype=str).set_index("department")
    assert data.loc["丰顺县工业和信息化局", "prior.file"] == str(before / "丰顺县经济和信息化局.xlsx")
    assert data.loc["丰顺县工业和信息化局", "prior.income_total"] == "2914.41"
    assert pd.isna(data.loc["丰顺县教育局", "prior.file"])

    ws = openpyxl.load_workbook(summary)["汇总"]
    header = [c.value for c in ws[HEADER_ROW + 1]]
    at = {name: header.index(name) for name in header}
    last_year = {ws.cell(r, at["部门名称"] + 1).value: (ws.cell(r, at["上年收入合计（万元）"] + 1).value,
                                                      ws.cell(r, at["提示"] + 1).value)
                 for r in range(HEADER_ROW + 2, HEADER_ROW + 5)}
    assert last_year == {"丰顺县科工商务局": (2914.41, None), "丰顺县工业和信息化局": (2914.41, None),
                         "丰顺县教育局": (None, "上年文件夹中没有本部门 2022 年度的自评表：未与上年核对")}


def test_renames_toml(tmp_path):
    from evaltool.pairing import read_renames

    path = tmp_path / "r.toml"
    path.write_text('[renames]\n"丰顺县经济和信息化局" = "丰顺县工业和信息化局"\n', encoding="utf-8")
    assert read_renames(str(path)) == {"丰顺县经济和信息化局": "丰顺县工业和信息化局"}


def test_a_renames_csv_saved_by_chinese_excel_is_read(tmp_path):
    """Excel on a Chinese Windows saves “CSV（逗号分隔）” in GBK."""
    from evaltool.pairing import read_renames

    path = tmp_path / "r.csv"
    path.write_bytes("上年名称,本年名称\n丰顺县经济和信息化局,丰顺县工业和信息化局\n".encode("gbk"))
    assert read_renames(str(path)) == {"上年名称": "本年名称", "丰顺县经济和信息化局": "丰顺县工业和信息化局"}


@pytest.mark.parametrize(("name", "data", "zh", "en"), [
    ("r.csv", b"\xff\xfe,,\n", "不是 UTF-8 或 GBK 编码的文本", "neither UTF-8 nor GBK text"),
    ("r.toml", "[renames]\n\"甲\" = \n".encode(), "第 2 行有 TOML 语法错误", "TOML syntax error on line 2"),
    ("none.csv", None, "找不到该文件", "no such file"),
])
def test_an_unreadable_renames_file_is_said_in_our_words(tmp_path, name, data, zh, en):
    """Not the decoder's or tomllib's English (“'utf-8' codec can't decode byte 0xff …”)."""
    from evaltool.errors import InputError
    from evaltool.pairing import read_renames

    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_renames(str(path))
    said = {lang: caught.value.render(lang) for lang in ("zh", "en")}
    assert zh in said["zh"] and en in said["en"], said
    assert not any(w in said["zh"] for w in ("codec", "Errno", "Expected", "line ")), said


def test_usage_errors(tmp_path, seeded):
    seeded.save(tmp_path / "a.xlsx")
    seeded.save(tmp_path / "b.xlsx")
    both = invoke("check", str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"), "--prior", str(tmp_path / "a.xlsx"))
    assert both.exit_code == 2 and "--prior 只能用于单个自评表" in both.output
    alone = invoke("check", str(tmp_path / "a.xlsx"), "--prior-renames", str(tmp_path / "r.csv"))
    assert alone.exit_code == 2 and "--prior-renames 要与 --prior-dir 一起用" in alone.output


def test_last_years_checked_copy_serves_as_prior(pair, tmp_path):
    this, last, _ = pair
    last.set(*SANGONG, "total", "budget", D(25))
    last.set("costs", "office", "office", "rate", D("0.8310"))  # an error last year, fixed this year
    this.save(tmp_path / "2023.xlsx")
    last.save(tmp_path / "2022.xlsx")
    assert invoke("check", str(tmp_path / "2022.xlsx")).exit_code == 1  # writes 2022.checked.xlsx
    out = invoke("check", str(tmp_path / "2023.xlsx"), "--prior", str(tmp_path / "2022.checked.xlsx"))
    assert out.exit_code == 0 and "PRI04" in out.output and "PRI07" not in out.output


@pytest.mark.parametrize(("line", "value"), [("prior_change = 20", D("0.2")), ("prior_change = 12.5", D("0.125")),
                                             ("", D("0.3"))])
def test_prior_change_in_the_rule_set(tmp_path, line, value):
    from importlib import resources

    from evaltool.scoring.ruleset import load_ruleset

    text = (resources.files("evaltool.scoring") / "rulesets" / "guangdong-county-2023.toml").read_text("utf-8")
    assert "\nprior_change = 30\n" in text  # the packaged default, said in the file
    path = tmp_path / "county.toml"
    path.write_text(text.replace("\nprior_change = 30\n", f"\n{line}\n"), encoding="utf-8")
    assert load_ruleset(str(path)).prior_change == value


@pytest.mark.parametrize("bad", ['"30%"', "0", "-5", "true"])
def test_prior_change_must_be_a_positive_number(tmp_path, bad):
    from importlib import resources

    from evaltool.scoring.ruleset import RuleSetError, load_ruleset

    text = (resources.files("evaltool.scoring") / "rulesets" / "guangdong-county-2023.toml").read_text("utf-8")
    path = tmp_path / "county.toml"
    path.write_text(text.replace("\nprior_change = 30\n", f"\nprior_change = {bad}\n"), encoding="utf-8")
    with pytest.raises(RuleSetError) as e:
        load_ruleset(str(path))
    assert e.value.key == "ruleset.prior_change" and "prior_change" in e.value.render()
