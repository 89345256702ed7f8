"""The reader finds lists of any length and rows moved by the officer."""

from __future__ import annotations

from decimal import Decimal as D

from conftest import paste_table_above

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


def test_the_cells_of_a_list_share_their_record_s_reference_and_the_records_their_columns(seed_result):
    """What keeps a 50,000-row list within openpyxl's own memory: a record's cells hold one reference to
    their record (each cell's own is made when asked for), and the table's records one column index."""
    records = seed_result.book.list("goals", "goals")
    assert len(records) > 2 and len({id(rec.columns) for rec in records}) == 1
    for rec in records:
        assert len({id(cell.line) for cell in rec.cells}) == 1
        assert [key for key, _ in rec.items()] == list(rec.columns) and rec["rate"] is rec.cells[rec.columns["rate"]]
        rate = rec["rate"].ref
        assert (rate.table, rate.col, rate.record, rate.line) == ("goals", "rate", rec["level3"].ref.record,
                                                                  rec["rate"].line)
    ratio = next(r for r in seed_result.derived.ratios if r.group.key == "goal_rate")
    assert any(ratio.item is rec["rate"].line for rec in records)


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


def test_a_second_copy_of_a_table_above_the_template_one_is_named_not_read(seeded, ruleset, tmp_path):
    """A 三公 table pasted above the template's: the template's table (its headers are ours) is read, so
    the findings are the clean sample's, plus one warning naming both places."""
    from evaltool.checker import check_file

    seeded.save(tmp_path / "clean.xlsx")
    clean = {(f.code, f.severity) for f in check_file(tmp_path / "clean.xlsx", ruleset).findings}
    pasted, template = paste_table_above(seeded, "costs", "sangong", ("项目", "本年决算数", "上年决算数"), D(999))
    seeded.save(tmp_path / "pasted.xlsx")
    result = check_file(tmp_path / "pasted.xlsx", ruleset)
    (repeated,) = [f for f in result.findings if f.code == "IN08"]
    assert repeated.severity is Severity.WARNING and repeated.location.cell == f"A{template}"
    assert repeated.params["used"] == template and repeated.params["others"] == (pasted,)
    assert {(f.code, f.severity) for f in result.findings if f.code != "IN08"} == clean
    assert result.book.cell("costs", "sangong", "abroad", "budget").coord == f"B{template}"
    text = render.message(repeated)
    assert f"第 {template} 行" in text and f"第 {pasted} 行" in text


def test_a_repeated_table_with_template_headers_in_both_places_reads_the_one_nearest_the_template(seeded, run):
    """Two copies that look alike: nothing tells them apart but their place; the one nearer where the
    template puts the table is read (as before), and the warning names both."""
    sheet = seeded.sheets["costs"]
    grid = sheet.table("sangong")
    headers = (grid.label_header, *(c.header for c in grid.columns))
    pasted, template = paste_table_above(seeded, "costs", "sangong", headers, D(1))
    result = run(seeded)
    (repeated,) = [f for f in result.findings if f.code == "IN08"]
    assert repeated.params["used"] == pasted and repeated.params["others"] == (template,)


def test_a_label_the_layout_itself_repeats_is_no_repeated_table(seeded, run):
    """合计 stands in several tables of one sheet by design: no IN08 on the clean sample."""
    assert not [f for f in run(seeded).findings if f.code == "IN08"]
