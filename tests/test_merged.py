"""Merged cells in list tables (workbook/merged.py): merged text for every row, a merged amount once."""

from __future__ import annotations

from decimal import Decimal as D

from conftest import found

from evaltool import checks
from evaltool.derive import derive
from evaltool.findings import Severity
from evaltool.model import Cell, CellRef, Record
from evaltool.samples import Filler
from evaltool.sums import amount
from evaltool.workbook.layout import GOALS, Kind
from evaltool.workbook.merged import apply_merged
from evaltool.workbook.numbers import parse_cell
from evaltool.workbook.reader import read_book

COLUMNS = {"level1": 1, "level2": 2, "budget": 3, "name": 4}
KINDS = {"level1": Kind.CHOICE, "level2": Kind.TEXT, "budget": Kind.MONEY, "name": Kind.TEXT}


def record(row: int, **values) -> Record:
    cells = {}
    for key, col in COLUMNS.items():
        raw = values.get(key)
        choices = ("产出", "效益", "满意度") if key == "level1" else ()
        cells[key] = Cell("绩效目标", row, col, KINDS[key], CellRef("goals", "goals", "", "", f"#{row}"), key,
                          parse_cell(raw, KINDS[key], choices=choices), raw=raw, choices=choices)
    return Record(row, {key: i for i, key in enumerate(cells)}, tuple(cells.values()))


def rows() -> list[Record]:
    return [record(4, level1="产出", level2="数量指标", budget=D(30), name="甲"),
            record(5, level2="质量指标", name="乙"), record(6, name="丙"), record(7, level1="效益", name="丁")]


def test_merged_text_applies_to_every_row_of_its_range():
    out = apply_merged(rows(), [(4, 1, 6, 1)], COLUMNS)
    assert [r["level1"].value for r in out] == ["产出", "产出", "产出", "效益"]
    spread = out[2]["level1"]
    assert (spread.coord, spread.ref.record, spread.ok) == ("A6", "#6", True)  # its own place and record


def test_a_typed_value_under_a_merge_is_kept():
    recs = rows()
    recs[1] = record(5, level1="效益", name="乙")  # not what Excel allows, but a file may say it
    out = apply_merged(recs, [(4, 1, 6, 1)], COLUMNS)
    assert [r["level1"].value for r in out] == ["产出", "效益", "产出", "效益"]


def test_a_merged_amount_counts_once():
    out = apply_merged(rows(), [(4, 3, 6, 3)], COLUMNS)
    assert [amount(r["budget"]) for r in out] == [D(30), D(0), D(0), None]  # given once; row 7 not merged
    assert [r["budget"].number for r in out] == [D(30), None, None, None]  # no ratio is computed twice


def test_ranges_outside_the_list_or_its_columns_change_nothing():
    recs = rows()
    assert apply_merged(recs, [(2, 1, 5, 1), (4, 9, 6, 9), (4, 1, 4, 3)], COLUMNS) is recs
    assert apply_merged(recs, [], COLUMNS) is recs


def test_a_block_merge_spreads_its_first_column_only():
    out = apply_merged(rows(), [(4, 1, 5, 2)], COLUMNS)
    assert [(r["level1"].value, r["level2"].value) for r in out[:2]] == [("产出", "数量指标"), ("产出", "质量指标")]


def test_an_unreadable_merged_choice_is_not_spread():
    recs = rows()
    recs[0] = record(4, level1="产量", level2="数量指标", name="甲")
    out = apply_merged(recs, [(4, 1, 6, 1)], COLUMNS)
    assert [r["level1"].blank for r in out[1:3]] == [True, True]


def test_merged_goal_kind_keeps_the_output_average(tmp_path, ruleset):
    """产出 merged over its 5 rows as printed tables do: the average and the self-score stand."""
    f = Filler()
    for n, (target, actual) in enumerate([("10个", "10个"), ("10项", "5项"), ("4次", "2次"), ("2个", "1个"),
                                          ("100%", "50%")]):
        f.add("goals", "goals", level1="产出" if n == 0 else None, level2="数量指标", level3=f"指标{n}",
              direction="≥", target=target, actual=actual, rate=D(1) if n == 0 else D("0.5"))
    f.score("产出指标完成情况", D("4.8"), "部分完成")  # (100% + 4 × 50%) ÷ 5 × 8
    name, first, col = f.position("goals", "goals", 0, "level1")
    f.wb[name].merge_cells(start_row=first, start_column=col, end_row=first + 4, end_column=col)
    f.save(tmp_path / "merged.xlsx")
    book = read_book(tmp_path / "merged.xlsx", ruleset)
    header = GOALS.header_row(GOALS.tables[0])
    assert (header + 1, 1, header + 5, 1) in book.merged[name]  # and the title row, merged by the template
    assert [r["level1"].value for r in book.list("goals", "goals")] == ["产出"] * 5  # the reader spreads it
    derived = derive(book)
    line = next(x for x in derived.score.lines if x.indicator.level3 == "产出指标完成情况")
    assert (line.figure.value, line.recomputed) == (D(60), D("4.8"))
    findings = checks.run(book, derived)
    assert not [x for x in findings if x.code in ("SCO03", "SCO04", "GOL02")]


def test_a_goal_row_without_its_kind_is_a_warning(seeded, run):
    seeded.set("goals", "goals", 1, "level1", None)
    result = run(seeded)
    assert found(result, "GOL02") == {(Severity.WARNING, "绩效目标", seeded.coord("goals", "goals", 1, "level1"))}
