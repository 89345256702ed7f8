"""Each 审核公式 rule: a workbook where it passes and one where it fires, at the exact cell.

A case is (code, good, bad, expected): ``good`` and ``bad`` change the seed sample
(``good`` gives the rule real inputs to pass on, not just blanks); ``expected`` is the
set of (severity, layout cell) the rule must report on the bad workbook, no more.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from conftest import found, paste_table_above

from evaltool.checks import REGISTRY
from evaltool.findings import Severity, percent
from evaltool.text.render import message
from evaltool.text.rules import RULE_DOCS, RULE_NAMES
from evaltool.workbook import layout as L

E, W = Severity.ERROR, Severity.WARNING
# Where the template's 三公 table starts once a copy of it is pasted above (IN08).
_SANGONG_AFTER_PASTE = L.COSTS.grid_row_index(L.COSTS.table("sangong"), "abroad") + L.COSTS.table("sangong").height + 1


def nothing(f):
    pass


def row_typed_in(label: str, amount, words: bool = False):
    """The officer inserts a row into 收支情况's income table under 其他收入 (row 13) and types a label and
    amount; with ``words``, a 邮政编码 into 基本信息 and words into 文字说明 too (notes in tables without amounts)."""

    def apply(f):
        for sheet, at, typed in (("收支情况", 14, (label, amount)), ("基本信息", 8, ("邮政编码", 514300)),
                                 ("文字说明", 7, ("其他说明", "本年无其他需要说明的事项")))[: 3 if words else 1]:
            f.wb[sheet].insert_rows(at)
            f.wb[sheet][f"A{at}"], f.wb[sheet][f"B{at}"] = typed

    return apply


def setter(*changes):
    """A mutation: each change is (sheet, table, row, col, value[, number_format])."""

    def apply(f):
        for change in changes:
            f.set(*change)

    return apply


INCOME_SUBS = lambda a, b, c: setter(  # noqa: E731
    ("finance", "income", "fiscal_general", "amount", D(a)),
    ("finance", "income", "fiscal_fund", "amount", D(b)),
    ("finance", "income", "fiscal_soe", "amount", D(c)),
)
SUB_SHARES = lambda a, b: setter(  # noqa: E731
    ("finance", "expense", "personnel", "share", D(a)),
    ("finance", "expense", "public", "share", D(b)),
)
EXEC = ("execution", "budget")
ASSETS = ("assets", "assets")
DATES = ("disclosure", "dates")
SANGONG = ("costs", "sangong")

def lose_percent_formats(f):
    """Every % cell shown General, as pandas re-saves a workbook (FMT01)."""
    for ws in f.wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if "%" in (cell.number_format or ""):
                    cell.number_format = "General"


CASES = {
    "IN01": (nothing, setter(("basic", "info", "dept", "value", None)), {(E, ("basic", "info", "dept", "value"))}),
    "IN02": (
        nothing,
        setter(("finance", "income", "other", "amount", "五百")),
        {(E, ("finance", "income", "other", "amount"))},
    ),
    "IN03": (
        setter(("finance", "income", "fiscal", "amount", 2369.93)),
        setter(("finance", "income", "fiscal", "amount", "2,369.93")),
        {(W, ("finance", "income", "fiscal", "amount"))},
    ),
    "IN04": (
        nothing,
        setter(("finance", "income", "other", "amount", "#DIV/0!")),
        {(E, ("finance", "income", "other", "amount"))},
    ),
    "IN05": (
        nothing,
        setter(("finance", "income", "total", "amount", "=B5+B13")),
        {(E, ("finance", "income", "total", "amount"))},
    ),
    "IN06": (
        setter(("finance", "income", "carry_in", "amount", D(5))),
        setter(("finance", "income", "carry_in", "amount", D(-5))),
        {(W, ("finance", "income", "carry_in", "amount"))},
    ),
    "IN07": (nothing, lambda f: setattr(f.wb["收支情况"]["A13"], "value", "其它收入"), {(E, ("收支情况", "A13"))}),
    "IN08": (
        nothing,
        lambda f: paste_table_above(f, "costs", "sangong", ("项目", "本年决算数", "上年决算数"), D(1)),
        {(W, ("运行成本", f"A{_SANGONG_AFTER_PASTE}"))},
    ),
    # A row the template does not have, with a figure: no check reads it (a 其中 breakdown is not flagged).
    "IN09": (row_typed_in("其中：利息收入", D(10), words=True), row_typed_in("捐赠收入", "100"),
             {(W, ("收支情况", "A14"))}),
    "UNIT01": (
        setter(("finance", "income", "total", "amount", D("2914.41"))),
        setter(("finance", "income", "total", "amount", D("29144100"))),  # typed in 元 under 万元
        {(W, ("finance", "income", "total", "amount"))},
    ),
    "FMT01": (
        setter(("finance", "income", "fiscal", "share", D("0.8132"), "General")),  # one slip: SHR01's hint says it
        lose_percent_formats,
        {(E, ("finance", "income", "fiscal", "share"))},
    ),
    "GOL02": (nothing, setter(("goals", "goals", 1, "level1", None)), {(W, ("goals", "goals", 1, "level1"))}),
    "EXE02": (
        setter((*EXEC, "total", "adjusted", D(3000)), (*EXEC, "total", "actual", D("2914.41")),
               (*EXEC, "total", "carryover", D("85.59"))),
        setter((*EXEC, "total", "adjusted", D(3000)), (*EXEC, "total", "actual", D("2914.41")),
               (*EXEC, "total", "carryover", D(80))),
        {(W, (*EXEC, "total", "carryover"))},
    ),
    "LIM08": (nothing, setter(("funds", "funds", 0, "paid", D(20))), {(W, ("funds", "funds", 0, "paid"))}),
    "X05": (
        setter((*EXEC, "total", "carryover", D(0)), ("finance", "expense", "carry_out", "amount", D(0))),
        setter((*EXEC, "total", "carryover", D(5)), ("finance", "expense", "carry_out", "amount", D(0))),
        {(E, (*EXEC, "total", "carryover"))},
    ),
    "SUM01": (
        nothing,
        setter(("finance", "income", "other", "amount", D("545.48"))),
        {(E, ("finance", "income", "total", "amount"))},
    ),
    "SUM02": (
        INCOME_SUBS("2000", "300", "69.93"),
        INCOME_SUBS("2000", "300", "68.93"),
        {(E, ("finance", "income", "fiscal", "amount"))},
    ),
    "SUM03": (
        setter(
            ("finance", "income", "carry_in", "amount", D(10)), ("finance", "income", "grand", "amount", D("2924.41"))
        ),
        setter(("finance", "income", "carry_in", "amount", D(10)), ("finance", "income", "grand", "amount", D("2924"))),
        {(E, ("finance", "income", "grand", "amount"))},
    ),
    "SUM04": (
        nothing,
        setter(("finance", "expense", "project", "amount", D("1561"))),
        {(E, ("finance", "expense", "total", "amount"))},
    ),
    "SUM05": (
        setter(
            ("finance", "expense", "personnel", "amount", D("1000")),
            ("finance", "expense", "public", "amount", D("352.67")),
        ),
        setter(
            ("finance", "expense", "personnel", "amount", D("1000")),
            ("finance", "expense", "public", "amount", D("352.76")),
        ),
        {(E, ("finance", "expense", "basic", "amount"))},
    ),
    "SUM06": (
        setter(
            ("finance", "expense", "carry_out", "amount", D(0)), ("finance", "expense", "grand", "amount", D("2914.41"))
        ),
        setter(
            ("finance", "expense", "carry_out", "amount", D(0)), ("finance", "expense", "grand", "amount", D("2941.41"))
        ),
        {(E, ("finance", "expense", "grand", "amount"))},
    ),
    "SUM07": (
        setter(
            (*EXEC, "total", "adjusted", D(3000)),
            (*EXEC, "basic", "adjusted", D(1400)),
            (*EXEC, "project", "adjusted", D(1600)),
        ),
        setter(
            (*EXEC, "total", "adjusted", D(3000)),
            (*EXEC, "basic", "adjusted", D(1400)),
            (*EXEC, "project", "adjusted", D(1500)),
        ),
        {(E, (*EXEC, "total", "adjusted"))},
    ),
    "SUM08": (
        setter(
            (*SANGONG, "abroad", "actual", D(0)),
            (*SANGONG, "car_run", "actual", D("8.06")),
            (*SANGONG, "reception", "actual", D(6)),
        ),
        setter(
            (*SANGONG, "abroad", "actual", D(0)),
            (*SANGONG, "car_buy", "actual", "—"),  # every part given ("—": none), so a mismatch is an error
            (*SANGONG, "car_run", "actual", D("8.06")),
            (*SANGONG, "reception", "actual", D(5)),
        ),
        {(E, (*SANGONG, "total", "actual"))},
    ),
    "SUM10": (
        SUB_SHARES("0.3", "0.1641"),  # 30% + 16.41% = 46.41%, the seed's 基本支出 share
        SUB_SHARES("0.3", "0.1741"),
        {(E, ("finance", "expense", "basic", "share"))},
    ),
    "SUM09": (
        nothing,
        setter(("funds", "funds", "total", "budget", D(22))),
        {(E, ("funds", "funds", "total", "budget"))},
    ),
    "SHR01": (
        nothing,
        setter(("finance", "income", "fiscal", "share", D("0.8133"))),
        {(E, ("finance", "income", "fiscal", "share"))},
    ),
    "SHR02": (
        nothing,
        setter(("finance", "expense", "basic", "share", D("0.4642"))),
        {(E, ("finance", "expense", "basic", "share"))},
    ),
    "EXE01": (
        setter(
            (*EXEC, "total", "adjusted", D(3000)),
            (*EXEC, "total", "actual", D("2914.41")),
            (*EXEC, "total", "exec_rate", D("0.9715")),
        ),
        setter(
            (*EXEC, "total", "adjusted", D(3000)),
            (*EXEC, "total", "actual", D("2914.41")),
            (*EXEC, "total", "exec_rate", D("0.9714")),
        ),
        {(E, (*EXEC, "total", "exec_rate"))},
    ),
    "CAR01": (
        setter((*EXEC, "total", "adjusted", D(3000)), (*EXEC, "total", "carryover", D(0))),
        setter(
            (*EXEC, "total", "adjusted", D(3000)),
            (*EXEC, "total", "carryover", D(30)),
            (*EXEC, "total", "carry_rate", D("0.02")),
        ),
        {(E, (*EXEC, "total", "carry_rate"))},
    ),
    "CST01": (
        setter(("costs", "office", "office", "rate", D("0.8309"))),
        setter(("costs", "office", "office", "rate", D("0.8310"))),
        {(E, ("costs", "office", "office", "rate"))},
    ),
    "CST02": (
        nothing,
        setter(("costs", "office", "office", "diff", D("-10.49"))),
        {(E, ("costs", "office", "office", "diff"))},
    ),
    "CST03": (
        setter((*SANGONG, "total", "rate", D("0.4687"))),
        setter((*SANGONG, "total", "rate", D("0.4686"))),
        {(E, (*SANGONG, "total", "rate"))},
    ),
    "FND01": (nothing, setter(("funds", "funds", 1, "rate", D("0.9"))), {(E, ("funds", "funds", 1, "rate"))}),
    "AST01": (
        setter((*ASSETS, "fixed_total", "value", D(100)), (*ASSETS, "fixed_in_use", "value", D(95))),
        setter(
            (*ASSETS, "fixed_total", "value", D(100)),
            (*ASSETS, "fixed_in_use", "value", D(95)),
            (*ASSETS, "utilization", "value", "≥96%"),
        ),
        {(E, (*ASSETS, "utilization", "value"))},
    ),
    "GOL01": (nothing, setter(("goals", "goals", 1, "rate", D("1.166"))), {(E, ("goals", "goals", 1, "rate"))}),
    "LIM01": (nothing, setter((*SANGONG, "total", "actual", D(35))), {(E, (*SANGONG, "total", "actual"))}),
    "LIM02": (
        setter((*SANGONG, "total", "last_year", D(20))),
        setter((*SANGONG, "total", "last_year", D(10))),
        {(W, (*SANGONG, "total", "actual"))},
    ),
    "LIM03": (
        nothing,
        setter(("costs", "office", "office", "final", D(70)), ("costs", "office", "office", "diff", D("5.32"))),
        {(W, ("costs", "office", "office", "final"))},
    ),
    "LIM04": (
        setter((*EXEC, "total", "carryover", D(0))),
        setter((*EXEC, "total", "carryover", D(5))),
        {(E, (*EXEC, "total", "carry_rate"))},
    ),
    "LIM05": (
        setter((*ASSETS, "fixed_total", "value", D(100)), (*ASSETS, "fixed_in_use", "value", D(95))),
        setter(
            (*ASSETS, "fixed_total", "value", D(100)),
            (*ASSETS, "fixed_in_use", "value", D(80)),
            (*ASSETS, "utilization", "value", D("0.8")),
        ),
        {(W, (*ASSETS, "fixed_in_use", "value"))},
    ),
    "LIM06": (
        setter((*ASSETS, "income_due", "value", D(2)), (*ASSETS, "income_paid", "value", D(2))),
        setter((*ASSETS, "income_due", "value", D(2)), (*ASSETS, "income_paid", "value", D(1))),
        {(W, (*ASSETS, "income_paid", "value"))},
    ),
    "LIM07": (
        setter((*ASSETS, "stocktake", "value", "是")),
        setter((*ASSETS, "stocktake", "value", "否")),
        {(W, (*ASSETS, "stocktake", "value"))},
    ),
    "BAS01": (
        nothing,
        setter(("basic", "info", "date", "value", dt.date(2023, 12, 20))),
        {(E, ("basic", "info", "date", "value"))},
    ),
    "BAS02": (
        setter(("basic", "info", "phone", "value", "13800138000")),
        setter(("basic", "info", "phone", "value", "6888322")),
        {(W, ("basic", "info", "phone", "value"))},
    ),
    "PUB01": (
        setter(
            (*DATES, "final_approved", "value", dt.date(2024, 6, 1)),
            (*DATES, "final_published", "value", dt.date(2024, 6, 21)),
        ),
        setter(
            (*DATES, "final_approved", "value", dt.date(2024, 6, 1)),
            (*DATES, "final_published", "value", dt.date(2024, 6, 22)),
            (*DATES, "budget_approved", "value", dt.date(2023, 2, 1)),
            (*DATES, "budget_published", "value", dt.date(2023, 1, 31)),
        ),
        {(W, (*DATES, "final_published", "value")), (E, (*DATES, "budget_published", "value"))},
    ),
    "X01": (
        setter((*EXEC, "total", "actual", D("2914.41"))),
        setter((*EXEC, "total", "actual", D(2900))),
        {(E, (*EXEC, "total", "actual"))},
    ),
    "X02": (
        setter((*EXEC, "basic", "actual", D("1352.67")), (*EXEC, "project", "actual", D("1561.74"))),
        setter((*EXEC, "basic", "actual", D("1352.67")), (*EXEC, "project", "actual", D("1561.47"))),
        {(E, (*EXEC, "project", "actual"))},
    ),
    "X03": (
        nothing,
        setter(("funds", "funds", "total", "paid", D(2000)), ("funds", "funds", "total", "budget", D(2000))),
        {(W, ("funds", "funds", "total", "paid"))},
    ),
    "X04": (
        nothing,
        setter((*SANGONG, "total", "actual", D(60)), (*SANGONG, "total", "budget", D(60))),
        {(W, (*SANGONG, "total", "actual"))},
    ),
}


def _expected(filler, expected):
    out = set()
    for severity, where in expected:
        if len(where) == 2:  # (sheet name, coord): a cell outside the layout's value cells
            out.add((severity, *where))
            continue
        name, _, _ = filler.position(*where)
        out.add((severity, name, filler.coord(*where)))
    return out


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_passes(code, seeded, run, seed_result):
    good, _bad, _ = CASES[code]
    good(seeded)
    assert found(seed_result if good is nothing else run(seeded), code) == set()


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_exact_cell(code, seeded, run):
    _good, bad, expected = CASES[code]
    bad(seeded)
    assert found(run(seeded), code) == _expected(seeded, expected)


def test_every_check_rule_has_cases():
    scoring = {c for c in REGISTRY if c.startswith(("SCO", "PRI"))}  # tested in test_scoring.py, test_prior.py
    assert set(REGISTRY) - scoring == set(CASES)


def test_every_rule_is_named_and_documented_in_both_languages():
    from evaltool.narrative.verify import REPORT_RULES  # the report rules: tested in test_report_rules.py

    assert set(REGISTRY) | set(REPORT_RULES) == set(RULE_NAMES) == set(RULE_DOCS)


def test_an_inserted_row_is_named_by_its_label_in_the_finding_id(seeded, run):
    """IN09's subject is the row (no column): its id names the row by the label typed, with nothing after."""
    row_typed_in("捐赠收入", "100")(seeded)
    (found,) = [f for f in run(seeded).findings if f.code == "IN09"]
    assert found.id == "IN09:finance.income[捐赠收入]:2023"


def test_share_on_grand_total_is_an_error_naming_the_basis(seeded, run):
    seeded.set("finance", "income", "carry_in", "amount", D(100))
    seeded.set("finance", "income", "grand", "amount", D("3014.41"))
    seeded.set("finance", "income", "fiscal", "share", D("0.7862"))  # 2369.93 ÷ 3014.41
    result = run(seeded)
    assert found(result, "SHR01") == {(E, "收支情况", seeded.coord("finance", "income", "fiscal", "share"))}
    (f,) = [f for f in result.findings if f.code == "SHR01"]
    assert f.params["hint"].key == "hint.grand"
    assert message(f).endswith("填报值是按 2369.93 ÷ 3014.41 算的：分母应为本年收入合计 金额，不是收入总计 金额")


def test_sum_rounding_within_tolerance_is_a_warning(seeded, run):
    INCOME_SUBS("2000", "300", "69.94")(seeded)  # 0.01 over three parts: within 0.015
    result = run(seeded)
    assert found(result, "SUM02") == {(W, "收支情况", "B5")}
    assert result.exit_code == 0


@pytest.mark.parametrize("n", [3, 25])
def test_formulas_without_results_are_one_finding_per_file_listing_the_cells(seeded, run, n):
    """IN05 is the file's: 36 formula cells saved without results are one error, not 36."""
    goals = [seeded.add("goals", "goals", level3=f"指标{i}", target=f"=1+{i}") for i in range(n - 1)]
    seeded.set("finance", "income", "total", "amount", "=B5+B13")
    result = run(seeded)
    (f,) = [f for f in result.findings if f.code == "IN05"]
    listed = [where.cell for where in f.params["cells"]]
    assert f.params["n"] == n and f.severity is E and len(listed) == min(n, 20)
    total = seeded.coord("finance", "income", "total", "amount")
    assert (f.sheet, f.cell) == ("收支情况", total) and listed[0] == total
    assert {seeded.coord("goals", "goals", goals[0], "target")} <= set(listed)
    text = message(f)
    assert text.startswith(f"文件中有 {n} 个公式没有保存计算结果：收支情况!{total}、")
    assert (" 等（如" in text) is (n > 20)


@pytest.mark.parametrize("dash", ["–", "—", "-", "无"])
def test_a_dash_typed_as_a_total_counts_as_none_and_its_sum_is_worded(seeded, run, dash):
    """Found by the fuzzer: an en dash in 专项资金 合计 预算数 made SUM09's message crash (a total with no
    number); a placeholder says "none", so the total is 0 against its parts."""
    seeded.set("funds", "funds", "total", "budget", dash)
    result = run(seeded)
    (f,) = [f for f in result.findings if f.code == "SUM09"]
    assert (f.severity, f.stated.value, f.recomputed.value) == (E, D(0), D("21.6"))
    assert message(f).startswith("专项资金!B25（") and "填报 0.00" in message(f)


def test_share_checks_wait_for_a_balanced_total(seeded, run):
    """A part changed so the total no longer adds: one error on the total, not a cascade on shares."""
    seeded.set("finance", "income", "other", "amount", D("545.48"))
    result = run(seeded)
    assert {(f.code, f.cell) for f in result.findings if f.severity is E} == {("SUM01", "B14")}
    assert any(f.code == "SHR01" and f.key == "ratio_basis_broken" for f in result.findings)


@pytest.mark.parametrize(
    ("stated", "fmt", "ok"),
    [
        (D("0.8132"), "0.00%", True),
        (D("0.813"), "0.0%", True),
        (D("0.81"), "0%", True),
        (D("0.8133"), "0.00%", False),
        (D("0.8131"), "0.00%", False),
        (D("81.32"), "General", True),
        ("81.32%", None, True),
        ("81.3%", None, True),
        ("81.4%", None, False),
        (D("0.813176595"), "0.00%", True),
    ],
)
def test_percent_precision(stated, fmt, ok, seeded, run):
    seeded.set("finance", "income", "fiscal", "share", stated, fmt)
    found = [f for f in run(seeded).findings if f.code == "SHR01" and f.severity is E]
    assert (not found) is ok


def test_percent_ties_round_half_up_as_excel_shows_them(seeded, run):
    """1.40 ÷ 1.83 = 76.50…%: a cell holding 0.765 formatted 0% shows 77%, which is right."""
    for col, value in (("budget", D("1.83")), ("paid", D("1.40")), ("rate", D("0.765"))):
        seeded.set("funds", "funds", 0, col, value, "0%" if col == "rate" else None)
    assert found(run(seeded), "FND01") == set()


def test_low_utilisation_without_amounts_is_said_as_the_stated_figure(seeded, run):
    seeded.set("assets", "assets", "utilization", "value", D("0.85"), "0%")
    (low,) = [f for f in run(seeded).findings if f.code == "LIM05"]
    assert (low.key, low.stated, low.recomputed) == ("utilization_low_stated", percent(D("0.85"), 0), None)


def test_the_same_note_of_one_rule_is_said_once(seeded, run):
    """Every revenue share skips on the same unreadable total: one note, not one per share."""
    seeded.set("finance", "income", "total", "amount", "=B5+B13")
    notes = [f for f in run(seeded).findings if f.code == "SHR01"]
    assert [(f.key, f.cell) for f in notes] == [("skipped_unreadable", "B14")]


def test_every_finding_has_its_cell(seeded, run):
    """Info notes included: -v shows where each one is (issue 11)."""
    from evaltool.samples import Filler
    from tests.fillers import with_mistakes

    for n, filler in enumerate((seeded, with_mistakes(), Filler())):
        result = run(filler, f"book{n}.xlsx")
        assert [f for f in result.findings if not f.cell] == []
        assert all(message(f).startswith(f"{f.sheet}!{f.cell}") for f in result.findings)


def test_amounts_in_wan_yuan_under_the_unit_yuan(seeded, run):
    """金额单位 says 元 but 2914.41 is a department's year in 万元: UNIT01 names the unit cell."""
    seeded.set("basic", "info", "unit", "value", "元")
    result = run(seeded)
    (f,) = [f for f in result.findings if f.code == "UNIT01"]
    assert (f.severity, f.cell, f.key) == (W, "B14", "unit_looks_wan")
    assert message(f).endswith("金额可能是按万元填的，而基本信息!B11（金额单位）写的是元")
