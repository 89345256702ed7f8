"""The template writer: every label where layout puts it, input styling, validations, stable bytes."""

from __future__ import annotations

import io
import unicodedata
import warnings
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell import Cell
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from evaltool.scoring.ruleset import RuleSet, load_ruleset
from evaltool.text.rulesets import criteria, criterion
from evaltool.workbook import layout
from evaltool.workbook.layout import Grid, Kind, ListTable, Sheet
from evaltool.workbook.template import INPUT_FILL, NA_FILL, STATED_FILL, TEMPLATE_PATH, write_template


def _rgb(hex_colour: str) -> str:
    return "FF" + hex_colour.lstrip("#").upper()


def _fill(cell: Cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def _bytes(ruleset: RuleSet) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # xlsxwriter only warns (and drops the validation) on a bad option: make that fail here.
        warnings.simplefilter("error")
        write_template(buf, ruleset, criteria(ruleset))
    return buf.getvalue()


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_ruleset()


@pytest.fixture(scope="module")
def book(rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = tmp_path_factory.mktemp("template") / "t.xlsx"
    path.write_bytes(_bytes(rules))
    return openpyxl.load_workbook(path)


def _sheets(rules: RuleSet) -> list[Sheet]:
    return [*layout.DATA_SHEETS, layout.score_sheet(len(rules.indicators))]


def _validation_for(ws: Worksheet, coord: str) -> object | None:
    return next((dv for dv in ws.data_validations.dataValidation if coord in dv.sqref), None)


def _assert_value_cell(ws: Worksheet, cell: Cell, kind: Kind, stated: bool, choices: tuple[str, ...]) -> None:
    assert cell.protection.locked is False, cell.coordinate
    assert _fill(cell) == _rgb(STATED_FILL if stated else INPUT_FILL), cell.coordinate
    dv = _validation_for(ws, cell.coordinate)
    if kind is Kind.CHOICE:
        assert dv is not None and dv.type == "list", cell.coordinate
        assert dv.formula1 == '"' + ",".join(choices) + '"'
    elif kind in (Kind.MONEY, Kind.PERCENT, Kind.SCORE):
        assert dv is not None and dv.type == "decimal" and dv.errorStyle == "warning", cell.coordinate
    elif kind in (Kind.YEAR, Kind.COUNT):
        assert dv is not None and dv.type == "whole", cell.coordinate
    elif kind is Kind.DATE:
        assert dv is not None and dv.type == "date", cell.coordinate


def test_sheet_order_and_version(book: Workbook) -> None:
    assert book.sheetnames == list(layout.SHEET_NAMES)
    ws = book[layout.INSTRUCTIONS_SHEET]
    assert ws["A1"].value == layout.INSTRUCTIONS_SHEET
    assert ws.cell(layout.VERSION_ROW, layout.VERSION_COL).value == layout.VERSION_STAMP
    assert ws.cell(layout.VERSION_ROW, layout.VERSION_COL - 1).value == layout.VERSION_LABEL


def _english_texts(rules: RuleSet) -> list[tuple[str, str]]:
    """(Chinese, English) of every text of the layout the officer sees."""
    texts = []
    for sheet in _sheets(rules):
        texts.append((sheet.name, sheet.name_in("en")))
        for table in sheet.tables:
            texts.append((table.title, table.title_in("en")))
            texts += [(col.header, col.header_in("en")) for col in table.columns]
            rows = table.rows if isinstance(table, Grid) else table.footer
            texts += [(row.label, row.label_in("en")) for row in rows]
            if isinstance(table, Grid):
                texts.append((table.label_header, table.label_header_in("en")))
    return texts


def test_every_label_has_english(rules: RuleSet) -> None:
    texts = _english_texts(rules)
    assert len(texts) > 100
    for zh, en in texts:
        assert en.strip(), zh
        assert not any(unicodedata.east_asian_width(ch) in "WF" for ch in en), (zh, en)
        assert en.endswith(" (stated)") == zh.endswith(layout.stated("")), (zh, en)
    finance = layout.FINANCE
    assert finance.name_in("zh") == "收支情况" and finance.name_in("en") == "Revenue and expenditure"
    share = finance.table("income").column("share")
    assert (share.header_in("zh"), share.header_in("en")) == ("占比(填报)", "Share (stated)")


def test_instructions_explain_colours_units_and_rules(book: Workbook, rules: RuleSet) -> None:
    ws = book[layout.INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for needed in ("万元", "填报", "核对", "未提供", "—", "合计", "evaltool check", rules.name, rules.note):
        assert needed in text
    fills = {c.value: _fill(c) for c in ws["A"]}
    legend = (fills["填写"], fills["填报"], fills["不填"])
    assert legend == (_rgb(INPUT_FILL), _rgb(STATED_FILL), _rgb(NA_FILL))


def test_titles_and_protection(book: Workbook, rules: RuleSet) -> None:
    for sheet in _sheets(rules):
        ws = book[sheet.name]
        assert ws["A1"].value == sheet.name and ws["A1"].font.b
        assert ws.protection.sheet and ws.protection.password is None
        assert ws.protection.insertRows is False and ws.protection.deleteRows is False  # False = allowed
        assert ws.freeze_panes == f"A{sheet.header_row(sheet.tables[0]) + 1}"
        assert ws.page_setup.orientation == "landscape"
        for table in sheet.tables:
            assert ws.cell(sheet.title_row(table), 1).value == table.title


def test_grids_follow_layout(book: Workbook) -> None:
    for sheet in layout.DATA_SHEETS:
        ws = book[sheet.name]
        for grid in (t for t in sheet.tables if isinstance(t, Grid)):
            header = sheet.header_row(grid)
            assert ws.cell(header, 1).value == grid.label_header
            for col in grid.columns:
                assert ws.cell(header, sheet.col_index(grid, col.key)).value == col.header
            for row in grid.rows:
                r = sheet.grid_row_index(grid, row.key)
                assert ws.cell(r, 1).value == row.label
                assert ws.cell(r, 1).alignment.indent == row.level
                for col in grid.columns:
                    cell = ws.cell(r, sheet.col_index(grid, col.key))
                    if col in grid.cells(row):
                        _assert_value_cell(ws, cell, grid.kind(row, col), grid.stated(row, col),
                                           grid.choices(row, col))
                        assert cell.value == row.default
                    else:
                        assert cell.protection.locked and _fill(cell) == _rgb(NA_FILL), cell.coordinate


def test_lists_follow_layout(book: Workbook) -> None:
    for sheet in layout.DATA_SHEETS:
        ws = book[sheet.name]
        for table in (t for t in sheet.tables if isinstance(t, ListTable)):
            header = sheet.header_row(table)
            for col in table.columns:
                c = sheet.col_index(table, col.key)
                assert ws.cell(header, c).value == col.header
                for r in (header + 1, header + table.blank_rows):
                    _assert_value_cell(ws, ws.cell(r, c), table.kind(None, col), table.stated(None, col),
                                       table.choices(None, col))
            for i, row in enumerate(table.footer):
                r = header + table.blank_rows + 1 + i
                assert ws.cell(r, 1).value == row.label
                for col in table.footer_cells(row):
                    _assert_value_cell(ws, ws.cell(r, sheet.col_index(table, col.key)), table.kind(row, col),
                                       table.stated(row, col), table.choices(row, col))


def test_number_formats(book: Workbook) -> None:
    finance = layout.FINANCE
    income = finance.table("income")
    ws = book[finance.name]
    total = finance.grid_row_index(income, "total")
    assert ws.cell(total, finance.col_index(income, "amount")).number_format == "#,##0.00"
    assert ws.cell(total, finance.col_index(income, "share")).number_format == "0.00%"
    basic = layout.BASIC
    info = basic.table("info")
    assert book[basic.name].cell(basic.grid_row_index(info, "date"), 2).number_format == "yyyy-mm-dd"


def test_score_sheet(book: Workbook, rules: RuleSet) -> None:
    sheet = layout.score_sheet(len(rules.indicators))
    table = sheet.tables[0]
    assert isinstance(table, ListTable)
    ws = book[sheet.name]
    header = sheet.header_row(table)
    col = {c.key: sheet.col_index(table, c.key) for c in table.columns}
    for i, ind in enumerate(rules.indicators):
        r = header + 1 + i
        assert [ws.cell(r, col[k]).value for k in ("level1", "level2", "level3", "method", "criterion")] == [
            ind.level1, ind.level2, ind.level3, ind.method, criterion(ind)]
        assert Decimal(str(ws.cell(r, col["weight"]).value)) == ind.weight
        assert ws.cell(r, col["weight"]).protection.locked
        self_cell = ws.cell(r, col["self"])
        assert not self_cell.protection.locked
        assert Decimal(str(_validation_for(ws, self_cell.coordinate).formula2)) == ind.weight  # at most 分值
    total = header + len(rules.indicators) + 1
    assert ws.cell(total, 1).value == "合计"
    assert ws.cell(total, col["weight"]).value == 100
    assert not ws.cell(total, col["self"]).protection.locked
    grade = ws.cell(total + 1, col["self"])
    assert ws.cell(total + 1, 1).value == "自评等级"
    assert _validation_for(ws, grade.coordinate).formula1 == '"优,良,中,差"'
    assert rules.note in ws.cell(total + 3, 1).value and rules.name in ws.cell(total + 3, 1).value


def test_score_sheet_follows_ruleset(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(
        'name = "small"\nnote = "测试"\n'
        '[[indicator]]\nlevel1 = "甲"\nlevel2 = "乙"\nlevel3 = "丙"\nweight = 62.5\nmethod = "定性"\n'
        '[[indicator]]\nlevel1 = "甲"\nlevel2 = "乙"\nlevel3 = "丁"\nweight = 37.5\nmethod = "定性"\n',
        encoding="utf-8",
    )
    out = tmp_path / "small.xlsx"
    small = load_ruleset(str(path))
    write_template(out, small, criteria(small))
    ws = openpyxl.load_workbook(out)[layout.SCORE_SHEET_NAME]
    sheet = layout.score_sheet(2)
    table = sheet.tables[0]
    header = sheet.header_row(table)
    weight = sheet.col_index(table, "weight")
    assert [ws.cell(header + 1 + i, weight).value for i in range(2)] == [62.5, 37.5]
    assert ws.cell(header + 3, 1).value == "合计" and ws.cell(header + 3, weight).value == 100


def test_no_formulas(book: Workbook) -> None:
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell.coordinate


def test_bytes_are_deterministic(rules: RuleSet, tmp_path: Path) -> None:
    first = _bytes(rules)
    write_template(tmp_path / "a.xlsx", rules, criteria(rules))
    assert first == _bytes(rules) == (tmp_path / "a.xlsx").read_bytes()


def test_committed_template_is_current(rules: RuleSet) -> None:
    assert TEMPLATE_PATH.is_file() and TEMPLATE_PATH.read_bytes() == _bytes(rules), (
        f"{TEMPLATE_PATH.name} is out of date: regenerate it with `python -m evaltool.samples`"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template_command_says_where_it_wrote(tmp_path: Path, lang: str) -> None:
    """A sentence, as check and draft say theirs (it printed the bare path)."""
    from click.testing import CliRunner

    from evaltool.cli import main
    from evaltool.text.catalogue import tr

    out = tmp_path / "自评表.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(out), "--lang", lang])
    assert result.exit_code == 0 and out.exists()
    assert result.output == tr("template_written", lang, path=str(out)) + "\n"
