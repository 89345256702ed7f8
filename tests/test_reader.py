"""The reader finds lists of any length and rows moved by the officer."""

from __future__ import annotations

from decimal import Decimal as D

from evaltool.findings import Severity


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
