"""Partial published tables (issue 11): totals and sub-rows as real 决算公开 tables publish them.

Blank means "not provided": a blank parent or total that its parts determine is computed (an info
note) and used by every later check; a sum with blank parts that does not match is a warning naming
them; whole-万元 totals are checked at the precision they are shown with.  Each case states every
finding it gives, by (code, severity, cell), info notes included where they matter.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from conftest import problems

from evaltool.findings import Severity
from evaltool.samples import Filler
from evaltool.text.render import message

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO
FIN = "收支情况"


def amounts(f: Filler, table: str, fmt: str | None = None, **values) -> None:
    for row, value in values.items():
        f.set("finance", table, row, "amount", value, fmt)


def at(f: Filler, table: str, row: str, col: str = "amount") -> str:
    return f.coord("finance", table, row, col)


def notes(result, code: str) -> list[tuple[str, str | None]]:
    return [(f.key, f.cell) for f in result.findings if f.code == code]


def test_general_budget_line_without_its_parent_row(seeded, run):
    """决算 tables list 一般公共预算财政拨款收入 without the parent 财政拨款收入 row."""
    amounts(seeded, "income", fiscal=None, fiscal_general=D("2369.93"))
    result = run(seeded)
    assert problems(result) == set()
    assert notes(result, "SUM02") == [("sum_computed_partial", at(seeded, "income", "fiscal"))]
    assert notes(result, "SUM01") == [] and notes(result, "SHR01") == []  # added up and the share checked
    assert message(next(f for f in result.findings if f.code == "SUM02")) == (
        "收支情况!B5（财政拨款收入 金额）未填，按已填的 1 个分项（一般公共预算财政拨款 金额）合计计为 2369.93，"
        "用于其他核查；政府性基金预算财政拨款 金额、国有资本经营预算财政拨款 金额未填，视为没有该项")


def test_basic_expenditure_blank_with_its_breakdown_given(seeded, run):
    """The issue's false SUM04: 基本支出 blank, 1000.00 + 352.67 given, 1561.74 project, 2914.41 total."""
    amounts(seeded, "expense", basic=None, personnel=D("1000.00"), public=D("352.67"))
    result = run(seeded)
    assert problems(result) == set()
    assert notes(result, "SUM05") == [("sum_computed", at(seeded, "expense", "basic"))]
    assert notes(result, "SUM04") == []
    basic = result.derived.book.cell("finance", "expense", "basic", "amount")
    assert (basic.number, basic.computed, basic.coord) == (D("1352.67"), True, "B20")


def test_the_computed_parent_is_checked_downstream(seeded, run):
    """A computed 基本支出 that breaks 本年支出合计 is an error on the total, and its share is checked."""
    amounts(seeded, "expense", basic=None, personnel=D("1000.00"), public=D("352.76"))
    seeded.set("finance", "expense", "basic", "share", D("0.4641"))
    result = run(seeded)
    assert problems(result) == {("SUM04", FIN, at(seeded, "expense", "total"))}
    assert next(f for f in result.findings if f.code == "SUM04").severity is E


def test_blank_total_with_all_parts_given_is_computed_and_its_shares_checked(seeded, run):
    amounts(seeded, "expense", total=None)
    seeded.set("finance", "expense", "basic", "share", D("0.4642"))
    result = run(seeded)
    assert notes(result, "SUM04") == [("sum_computed", at(seeded, "expense", "total"))]
    assert problems(result) == {("SHR02", FIN, at(seeded, "expense", "basic", "share"))}
    assert not [f for f in result.findings if f.code == "IN01"]  # the total is known: not asked for


def test_blank_total_with_some_parts_blank_is_not_computed(seeded, run):
    amounts(seeded, "expense", total=None, project=None)
    result = run(seeded)
    assert ("IN01", FIN, at(seeded, "expense", "total")) in problems(result)
    assert result.derived.book.cell("finance", "expense", "total", "amount").number is None


def test_published_total_and_one_share_with_other_lines_blank(seeded, run):
    """A 决算 discloses 本年收入合计 and 财政拨款收入 with its share; the other lines are left blank."""
    amounts(seeded, "income", other=None)
    seeded.set("finance", "income", "other", "share", None)
    result = run(seeded)
    assert problems(result, E) == set()
    assert problems(result) == {("SUM01", FIN, at(seeded, "income", "total"))}
    (f,) = [f for f in result.findings if f.code == "SUM01"]
    assert (f.severity, f.key) == (W, "sum_incomplete")
    assert "分项未填全：上级补助收入 金额、事业收入 金额、经营收入 金额、附属单位上缴收入 金额、其他收入 金额未填写" \
        in message(f)


def test_parts_above_their_total_are_an_error_even_with_blank_parts(seeded, run):
    """Blank parts can only add to the given ones: a total below them is wrong whatever they hold."""
    amounts(seeded, "income", other=D("545.48"))
    result = run(seeded)
    assert {(f.code, f.severity) for f in result.findings if f.code == "SUM01"} == {("SUM01", E)}


def test_a_dash_says_none_so_every_part_is_given(seeded, run):
    amounts(seeded, "income", superior="—", operation="—", business="—", affiliate="—")
    amounts(seeded, "income", other=D("540.48"))
    seeded.set("finance", "income", "other", "share", D("0.1855"))
    result = run(seeded)
    assert {(f.code, f.severity, f.cell) for f in result.findings if f.code == "SUM01"} == {
        ("SUM01", E, at(seeded, "income", "total"))}


@pytest.mark.parametrize(
    ("total", "fmt", "expected"),
    [
        (D(2914), "#,##0", {("SUM04", W)}),  # 2914 for 2914.41: within 0.5 + 0.005
        (D(2915), "#,##0", {("SUM04", E)}),  # 2914.41 never rounds to 2915
        (D(2914), "General", {("SUM04", W)}),  # General with a whole number typed: whole 万元 too
        # General drops a trailing zero: 2914.40 is to the cent, 0.01 from 2914.41 a tail of two parts
        (D("2914.4"), "General", {("SUM04", W)}),
    ],
)
def test_whole_wan_yuan_total_over_parts_to_the_cent(total, fmt, expected, seeded, run):
    seeded.set("finance", "expense", "total", "amount", total, fmt)
    seeded.set("finance", "expense", "basic", "amount", D("1352.67"))
    result = run(seeded)
    got = {(f.code, f.severity) for f in result.findings if f.code == "SUM04" and f.severity is not N}
    assert got == expected
    assert not [f for f in result.findings if f.code == "SHR02" and f.severity is not N]


def test_whole_wan_yuan_table_rounded_from_yuan(run):
    """A table published in whole 万元, each figure rounded from 元: 1353 + 1562 = 2915 against 2914."""
    f = Filler()
    f.set("basic", "info", "dept", "value", "丰顺县妇联")
    f.set("basic", "info", "year", "value", 2023)
    whole = "#,##0"
    amounts(f, "income", whole, fiscal=D(2370), other=D(544), total=D(2914))
    amounts(f, "expense", whole, basic=D(1353), project=D(1562), total=D(2914))
    f.set("finance", "expense", "basic", "share", D("0.4641"))  # 1352.67 ÷ 2914.41, from the 元 figures
    f.set("finance", "expense", "project", "share", D("0.5359"))
    f.set("finance", "income", "fiscal", "share", D("0.8132"))
    result = run(f)
    assert {(x.code, x.severity, x.cell) for x in result.findings if x.severity is not N} == {
        ("SUM04", W, at(f, "expense", "total")),
    }
    assert [x.key for x in result.findings if x.code == "SUM04"] == ["sum_rounding"]


def test_expenditure_total_in_whole_wan_yuan_against_execution(seeded, run):
    seeded.set("finance", "expense", "total", "amount", D(2914), "#,##0")
    seeded.set("execution", "budget", "total", "actual", D("2914.41"))
    result = run(seeded)
    assert {(f.code, f.severity) for f in result.findings if f.code == "X01"} == {("X01", W)}
    seeded.set("execution", "budget", "total", "actual", D("2915.41"))
    result = run(seeded, "off.xlsx")
    assert {(f.code, f.severity) for f in result.findings if f.code == "X01"} == {("X01", E)}
