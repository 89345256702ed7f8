"""Template versions: a later version still reads every file of an earlier one.

The real v2 added the report's texts (文字说明, 自评说明): a v1 file (``tests/data``, made by the v1
template before v2 existed) still reads, its v2 fields "not provided".  The hypothetical next version of
these tests (NEXT) adds, with ``since=NEXT``, a sheet (自评附件), a row in the middle of 基本信息 and a
column at the end of the 专项资金 list.
"""

from __future__ import annotations

import functools
import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from evaltool import samples
from evaltool.checker import Result, check_file
from evaltool.cli import main
from evaltool.errors import InputError
from evaltool.workbook import layout as L
from evaltool.workbook.layout import Column, Grid, Kind, ListTable, Row, Sheet
from evaltool.workbook.reader import read_book

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "fengshun-2023.xlsx"
SEED_V1 = ROOT / "tests" / "data" / "fengshun-2023-v1.xlsx"  # the seed sample as the v1 template made it
NEXT = "v3"  # the version after the newest real one (v2)

REPORT = Sheet(
    "report",
    "自评附件",
    (
        Grid(
            "points",
            "自评附件目录",
            "项目",
            (Column("value", "内容", Kind.TEXT, width=40, header_en="Content"),),
            (Row("summary", "附件清单", kind=Kind.TEXT, label_en="List of attachments"),),
            title_en="Attachments",
            label_header_en="Item",
        ),
    ),
    name_en="Attachments",
    since=NEXT,
)
EMAIL = Row("email", "电子邮箱", kind=Kind.TEXT, label_en="Email", since=NEXT)
EVIDENCE = Column("evidence", "佐证材料", Kind.TEXT, header_en="Supporting evidence", since=NEXT)


def use_next(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the layout the hypothetical next version for the rest of the test."""
    info = L.BASIC.table("info")
    assert isinstance(info, Grid)
    rows = list(info.rows)
    rows.insert(rows.index(info.row("phone")) + 1, EMAIL)
    basic = replace(L.BASIC, tables=(replace(info, rows=tuple(rows)),))
    funds_list = L.FUNDS.table("funds")
    assert isinstance(funds_list, ListTable)
    funds = replace(L.FUNDS, tables=(replace(funds_list, columns=(*funds_list.columns, EVIDENCE)),))
    changed = {"basic": basic, "funds": funds}
    monkeypatch.setattr(L, "VERSIONS", (*L.VERSIONS, NEXT))
    monkeypatch.setattr(L, "BASIC", basic)
    monkeypatch.setattr(L, "FUNDS", funds)
    monkeypatch.setattr(L, "DATA_SHEETS", (*(changed.get(s.key, s) for s in L.DATA_SHEETS), REPORT))
    # The template is cached per rule set for the real layout: this layout gets a cache of its own.
    monkeypatch.setattr(samples, "template_bytes", functools.lru_cache(samples.template_bytes.__wrapped__))


def facts(result: Result) -> set[tuple]:
    return {(f.code, f.severity, f.sheet, f.cell, f.key) for f in result.findings}


def next_file(path: Path, edit=None) -> Path:
    """A workbook of the next version (template written with its layout, stamped so) with its new fields filled."""
    filler = samples.Filler()
    filler.wb[L.INSTRUCTIONS_SHEET]["B2"] = L.version_stamp(NEXT)
    filler.set("basic", "info", "dept", "value", "丰顺县科工商务局")
    filler.set("basic", "info", "email", "value", "kgs@example.cn")
    filler.set("report", "points", "summary", "value", "佐证材料目录")
    filler.add("funds", "funds", name="县科协科普经费", budget=3.6, paid=3.6, evidence="拨款凭证")
    if edit:
        edit(filler.wb)
    filler.save(path)
    return path


def test_layout_versions_are_known_and_ordered() -> None:
    assert L.VERSIONS[-1] == L.TEMPLATE_VERSION and L.VERSION_STAMP == L.version_stamp(L.TEMPLATE_VERSION)
    for sheet in (*L.DATA_SHEETS, L.score_sheet(1)):
        assert sheet.since in L.VERSIONS
        for table in sheet.tables:
            rows = table.rows if isinstance(table, Grid) else table.footer
            assert all(e.since in L.VERSIONS for e in (*rows, *table.columns))


def test_v1_file_reads_with_the_v2_fields_not_provided() -> None:
    assert L.sheet_names("v1") == tuple(n for n in L.SHEET_NAMES if n != "文字说明")
    result = check_file(SEED_V1)
    assert result.error is None
    book = result.book
    assert book.template_version == "v1" and book.layout_issues == []
    texts = L.TEXTS.table("texts")
    assert isinstance(texts, Grid)
    for row in texts.rows:
        cell = book.cell("texts", "texts", row.key, "value")
        assert cell.blank and cell.coord == "", row.key
    scores = book.list("scores", "scores")
    assert len(scores) == 27 and all(rec["note"].blank and rec["note"].coord == "" for rec in scores)
    # The same figures, hence the same findings, as the v2 sample (only the self-scores changed since).
    def figures(r: Result) -> set[tuple]:
        return {(f.code, f.severity, f.sheet, f.cell, f.key) for f in r.findings if f.sheet != "自评评分表"}

    assert figures(result) == figures(check_file(SEED))


def test_current_file_reads_under_the_next_version_with_its_fields_blank(monkeypatch: pytest.MonkeyPatch) -> None:
    before = check_file(SEED)
    use_next(monkeypatch)
    assert L.sheet_names("v2") == L.SHEET_NAMES and L.sheet_names()[-2:] == ("自评附件", "自评评分表")
    result = check_file(SEED)
    assert result.error is None
    book = result.book
    assert book.template_version == "v2"
    assert book.layout_issues == [] and not [f for f in result.findings if f.code == "IN07"]
    for key in (("report", "points", "summary", "value"), ("basic", "info", "email", "value")):
        cell = book.cell(*key)
        assert cell.blank and cell.coord == "", key
    funds = book.list("funds", "funds")
    assert funds and all(rec["evidence"].blank and rec["evidence"].coord == "" for rec in funds)
    # Rows below the new one are still found where the file has them.
    assert book.cell("basic", "info", "unit", "value").coord == before.book.cell("basic", "info", "unit", "value").coord
    assert facts(result) == facts(before)  # nothing more, nothing less to report


def test_next_file_reads_its_new_fields(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_next(monkeypatch)
    book = read_book(next_file(tmp_path / "next.xlsx"))
    assert book.template_version == NEXT and book.layout_issues == []
    assert book.cell("basic", "info", "email", "value").value == "kgs@example.cn"
    assert book.cell("report", "points", "summary", "value").value == "佐证材料目录"
    assert [rec["evidence"].value for rec in book.list("funds", "funds")] == ["拨款凭证"]


def test_next_file_without_its_new_sheet_is_missing_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_next(monkeypatch)
    path = next_file(tmp_path / "next.xlsx", edit=lambda wb: wb.remove(wb["自评附件"]))
    with pytest.raises(InputError) as raised:
        read_book(path)
    assert raised.value.key == "sheets_missing" and raised.value.params["missing"] == ("自评附件",)


def test_v2_file_without_its_text_sheet_is_missing_it(tmp_path: Path) -> None:
    path = tmp_path / "v2.xlsx"
    filler = samples.seed()
    filler.wb.remove(filler.wb["文字说明"])
    filler.save(path)
    with pytest.raises(InputError) as raised:
        read_book(path)
    assert raised.value.key == "sheets_missing" and raised.value.params["missing"] == ("文字说明",)


def test_next_file_without_a_new_row_is_a_layout_change(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_next(monkeypatch)

    def drop_email(wb: openpyxl.Workbook) -> None:
        ws = wb["基本信息"]
        ws.cell(next(c.row for c in ws["A"] if c.value == "电子邮箱"), 1).value = None

    result = check_file(next_file(tmp_path / "next.xlsx", edit=drop_email))
    assert [(i.sheet, i.expected) for i in result.book.layout_issues] == [("基本信息", "电子邮箱")]
    assert "IN07" in {f.code for f in result.findings}


def test_unknown_version_names_the_known_ones(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "v9.xlsx"
    shutil.copy(SEED, path)
    wb = openpyxl.load_workbook(path)
    wb[L.INSTRUCTIONS_SHEET]["B2"] = "evaltool-template-v9"
    wb.save(path)
    zh = CliRunner().invoke(main, ["check", str(path)])
    en = CliRunner().invoke(main, ["check", str(path), "--lang", "en"])
    assert zh.exit_code == en.exit_code == 2
    known = "evaltool-template-v1 / evaltool-template-v2"
    assert f"模板版本为 evaltool-template-v9，本工具只认 {known}" in zh.output
    assert f"uses template version evaltool-template-v9; this tool reads {known}" in en.output
    assert not (tmp_path / "v9.checked.xlsx").exists()

    monkeypatch.setattr(L, "VERSIONS", (*L.VERSIONS, NEXT))
    with pytest.raises(InputError) as raised:
        read_book(path)
    assert raised.value.key == "template_version"
    assert f"本工具只认 {known} / evaltool-template-v3" in raised.value.render("zh")
    assert f"this tool reads {known} / evaltool-template-v3" in raised.value.render("en")
