"""The reader finds lists of any length and rows moved by the officer."""

from __future__ import annotations

from decimal import Decimal as D

from evaltool.findings import Severity
from evaltool.text import render


def test_a_list_longer_than_the_template_is_read_whole(seeded, run):
    """600 projects: the officer inserted rows above 合计; every one is read and summed."""
    _, first, _ = seeded.position("funds", "funds", 0, "name")
    _, footer, _ = seeded.position("funds", "funds", "total", "name")
    ws = seeded.wb["专项资金"]
    ws.move_range(f"A{footer}:F{footer}", rows=600 - (footer - first))
    footer = first + 600
    for i in range(600):
        for col, value in (("name", f"项目{i}"), ("budget", D("1.50")), ("paid", D("1.50")), ("rate", D(1))):
            cell = ws.cell(first + i, seeded.position("funds", "funds", 0, col)[2])
            cell.value = value
            if col == "rate":
                cell.number_format = "0%"  # Excel copies the format into inserted rows
    for col, value in (("budget", D(900)), ("paid", D("895.00"))):
        ws.cell(footer, seeded.position("funds", "funds", "total", col)[2]).value = value
    result = run(seeded)
    assert len(result.book.list("funds", "funds")) == 600
    errors = {(f.code, f.cell) for f in result.findings if f.severity is Severity.ERROR}
    assert ("SUM09", f"C{footer}") in errors  # 600 × 1.50 = 900, not 895 (beyond 600 × 0.005)
    assert not [f for f in result.findings if f.code == "IN07"]


def test_a_stray_cell_far_below_does_not_end_or_slow_the_list(seeded, run):
    seeded.wb["专项资金"]["Z1048576"] = "x"
    result = run(seeded)
    assert len(result.book.list("funds", "funds")) == 2
    assert result.exit_code == 0


def test_records_that_share_a_name_stay_apart(seeded, run):
    """Two 产出 rows named alike (50% and 100% done) and two projects named alike: each keeps its own
    figure, and a finding on one names its row."""
    for target, actual in (("4家", "2家"), ("4家", "4家")):
        seeded.add("goals", "goals", level1="产出", level2="数量指标", level3="企业培训", direction="≥",
                   target=target, actual=actual)
    seeded.add("funds", "funds", {"rate": "0%"}, name="县科协科普经费", budget=D(10), paid=D(5), rate=D(1))
    result = run(seeded)
    training = [r for r in result.derived.ratios if r.item.record and r.item.record.startswith("企业培训#")]
    assert sorted(r.value for r in training) == [D("0.5"), D(1)]
    output = next(x for x in result.derived.score.lines if x.indicator.level3 == "产出指标完成情况").figure
    assert output.value == (D(100) + D(50) + D(100)) / 3  # 制造业 (capped), 企业培训 50%, 企业培训 100%
    names = [rec["name"].ref.record for rec in result.book.list("funds", "funds")]
    assert len(set(names)) == 3 and names[0] == "县科工商务局预算专项资金"
    (wrong,) = [f for f in result.findings if f.code == "FND01"]
    assert "县科协科普经费（第" in render.message(wrong) and wrong.cell == "D7"
