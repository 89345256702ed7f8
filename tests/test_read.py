"""The streaming package reader (``workbook/read.py``): every cell as openpyxl loaded it, without openpyxl.

Each test builds its workbook by code (a filled template, then package surgery for what openpyxl does not
write: shared and array formulas, phonetic runs, ``t="d"`` cells, a 1904 date system) and compares what
``read.Package`` gives with openpyxl's reading of the same bytes, or states the exact findings.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import warnings
from pathlib import Path

import hostile as H
import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.formula.translate import Translator
from openpyxl.styles import numbers as opx_numbers
from openpyxl.utils import datetime as opx_datetime
from openpyxl.worksheet.formula import ArrayFormula

from evaltool.checker import check_file
from evaltool.errors import InputError
from evaltool.text import render
from evaltool.workbook import guard, read
from evaltool.workbook import layout as L
from evaltool.workbook.read import Package
from evaltool.workbook.reader import read_book
from tests.fillers import seed, with_mistakes

ROOT = Path(__file__).resolve().parent.parent
BASIC, FIN = "基本信息", "收支情况"


def cell_xml(sheet: str, coord: str, xml: str):
    """A ``rezip`` edit of ``sheet``'s part: cell ``coord`` replaced by ``xml`` (a whole ``<c>``)."""

    def edit(data: bytes) -> dict:
        pattern = re.compile(rf'<c r="{coord}"[^>]*?(?:/>|>.*?</c>)'.encode(), re.S)

        def change(old: bytes) -> bytes:
            assert pattern.search(old), coord
            return pattern.sub(xml.encode().replace(b"\\", b"\\\\"), old, count=1)

        return {H.sheet_part(data, sheet): change}

    return edit


def package(data: bytes, *edits) -> bytes:
    for edit in edits:
        data = H.rezip(data, edit=edit(data))
    return data


def date1904(data: bytes) -> bytes:
    return H.rezip(data, edit={"xl/workbook.xml": lambda old: re.sub(
        rb"<workbookPr([^>]*?)/>", rb'<workbookPr\1 date1904="1"/>', old, count=1)})


def odd_workbook() -> bytes:
    """Every kind of cell: dates in date, time, date-time and duration formats, rich text, booleans,
    errors, a date beyond 9999, then by surgery shared and array formulas, ``t="str"``/``t="d"``, phonetic
    runs, a stray value inside a merged range."""
    f = with_mistakes()
    f.set("basic", "info", "filler", "value", CellRichText(["吴", TextBlock(InlineFont(b=True), "家峰")]))
    f.set("disclosure", "dates", "budget_approved", "value", 0.25, "h:mm")
    f.set("disclosure", "dates", "budget_published", "value", 1.5, "[h]:mm:ss")
    f.set("disclosure", "dates", "final_approved", "value", 45000.75, "yyyy-mm-dd h:mm")
    f.set("disclosure", "dates", "final_published", "value", 30, "mm-dd-yy")  # before 1900-03-01
    f.set("goals", "goals", 0, "actual", 45000, 'yyyy"年"m"月"d"日"')
    f.set("goals", "goals", 1, "target", 3e6, "yyyy-mm-dd")  # beyond 9999-12-31: openpyxl's #VALUE!
    f.set("finance", "income", "fiscal", "share", True)
    f.set("finance", "income", "superior", "amount", "#N/A")
    f.wb["专项资金"].merge_cells("E5:F6")
    data = H.to_bytes(f)
    return package(
        data,
        cell_xml(FIN, "C6", '<c r="C6"><f t="shared" ref="C6:C8" si="0">B6/B$14+$A1</f><v>0.8</v></c>'),
        cell_xml(FIN, "C7", '<c r="C7"><f t="shared" si="0"/><v>0.1</v></c>'),
        cell_xml(FIN, "C8", '<c r="C8"><f t="shared" si="0"/></c>'),
        cell_xml(FIN, "B6", '<c r="B6"><f t="array" ref="B6">SUM(B7:B8)</f><v>12</v></c>'),
        cell_xml(FIN, "B10", '<c r="B10" t="d"><v>2023-12-01T10:30:00</v></c>'),
        cell_xml(FIN, "B12", '<c r="B12" t="str"><v>12.5</v></c>'),
        cell_xml(FIN, "B11", '<c r="B11" t="b"><v>0</v></c>'),
        cell_xml(BASIC, "B9", '<c r="B9" t="inlineStr"><is><r><t>0753-</t></r><r><rPr><b/></rPr>'
                              '<t xml:space="preserve">6888322 </t></r><rPh sb="0" eb="1"><t>ゼロ</t></rPh></is></c>'),
        cell_xml("专项资金", "F6", '<c r="F6" t="inlineStr"><is><t>藏在合并区域里</t></is></c>'),
    )


def _openpyxl_cells(data: bytes, data_only: bool) -> dict[str, dict[tuple[int, int], object]]:
    with warnings.catch_warnings():  # the date beyond 9999 is warned about
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), rich_text=True, data_only=data_only)
    return {ws.title: {k: c for k, c in ws._cells.items()} for ws in wb.worksheets}


def _plain(value: object) -> object:
    if isinstance(value, CellRichText):
        return str(value)
    if isinstance(value, ArrayFormula):
        return value.text
    return value


@pytest.mark.parametrize("system", ["1900", "1904"])
def test_every_cell_as_openpyxl_reads_it(system, tmp_path):
    """Values, number formats and formulas of every cell of every template sheet are openpyxl's; a formula
    cell's result is what openpyxl reads with data_only (a date in a date format, in the workbook's system)."""
    data = odd_workbook()
    if system == "1904":
        data = date1904(data)
    formulas, results = _openpyxl_cells(data, False), _openpyxl_cells(data, True)
    compared = 0
    path = tmp_path / "odd.xlsx"
    path.write_bytes(data)
    with Package(str(path)) as pkg:
        assert pkg.date1904 is (system == "1904")
        for entry in pkg.sheets:
            ws = pkg.worksheet(entry)
            theirs = formulas[entry.name]
            mine = {(r, c): x for r, c, x in ws.items()}
            for (r, c), cell in theirs.items():
                x = mine.get((r, c), read.EMPTY)
                assert x.number_format == cell.number_format, (entry.name, cell.coordinate)
                if cell.data_type == "f":
                    assert x.formula == _plain(cell.value), (entry.name, cell.coordinate)
                    expected = results[entry.name][(r, c)].value
                    assert x.value == expected and x.no_cache is (expected is None), (entry.name, cell.coordinate)
                else:
                    assert x.formula is None and x.value == _plain(cell.value), (entry.name, cell.coordinate)
                    assert type(x.value) is type(_plain(cell.value)), (entry.name, cell.coordinate)
                    assert x.error is (cell.data_type == "e"), (entry.name, cell.coordinate)
                compared += 1
            # No cell openpyxl does not have (a merged range's hidden cells are dropped, as it drops them).
            assert {k for k, x in mine.items() if x.shown is not None} <= set(theirs), entry.name
    assert compared > 500


def test_odd_cells_read_into_the_book(tmp_path):
    """The cells above, as the checks see them: rich text and phonetic runs as their text, a time-only
    value, a duration and a date beyond the calendar as such, a merged range's hidden cell as blank."""
    path = tmp_path / "odd.xlsx"
    path.write_bytes(odd_workbook())
    book = read_book(path)
    cell = book.cell
    assert cell("basic", "info", "filler", "value").value == "吴家峰"
    assert cell("basic", "info", "phone", "value").raw == "0753-6888322 "  # the phonetic ゼロ is not text
    assert cell("finance", "income", "fiscal", "share").parsed.problem == "boolean"
    assert cell("finance", "income", "superior", "amount").status.value == "error_value"
    assert cell("finance", "income", "operation", "amount").raw == dt.datetime(2023, 12, 1, 10, 30)  # t="d"
    assert cell("finance", "income", "business", "amount").parsed.problem == "boolean"
    affiliate = cell("finance", "income", "affiliate", "amount")  # t="str": text, as typed
    assert affiliate.raw == "12.5" and affiliate.parsed.notes == ("as_text",)
    shared = [cell("finance", "income", row, "share") for row in ("fiscal_general", "fiscal_fund", "fiscal_soe")]
    assert [c.formula for c in shared] == ["=B6/B$14+$A1", "=B7/B$14+$A2", "=B8/B$14+$A3"]
    assert [c.no_cache for c in shared] == [False, False, True]
    assert cell("finance", "income", "fiscal_general", "amount").formula == "=SUM(B7:B8)"  # an array formula
    assert cell("disclosure", "dates", "budget_approved", "value").raw == dt.time(6, 0)
    assert cell("disclosure", "dates", "budget_published", "value").parsed.problem == "unsupported_type"  # 36:00
    assert cell("disclosure", "dates", "final_published", "value").value == dt.date(1900, 1, 30)
    goals = book.list("goals", "goals")
    assert goals[0]["actual"].value == "2023-03-15"  # a date in a measure column: its words
    assert goals[1]["target"].raw == "#VALUE!" and goals[1]["target"].status.value == "error_value"
    assert (5, 5, 6, 6) in book.merged["专项资金"]
    assert book.list("funds", "funds")[1]["remark"].raw is None  # hidden under the merge, as Excel shows it


def test_a_shared_formula_saved_without_its_result_is_quoted_as_its_own_cell_has_it(tmp_path):
    data = package(H.to_bytes(seed()),
                   cell_xml(FIN, "B5", '<c r="B5"><f t="shared" ref="B5:B6" si="3">B6+B7</f><v>2369.93</v></c>'),
                   cell_xml(FIN, "B6", '<c r="B6"><f t="shared" si="3"/></c>'))
    path = tmp_path / "shared.xlsx"
    path.write_bytes(data)
    result = check_file(path)
    (in05,) = [f for f in result.findings if f.code == "IN05"]
    assert in05.cell == "B6" and "B7+B8" in render.message(in05)
    assert result.book.cell("finance", "income", "fiscal", "amount").formula == "=B6+B7"


@pytest.mark.parametrize("formula", [
    "=B5/B$14+$A1", "=SUM(B5:B13)", "=SUM(A:A)+SUM($B:C)", "=SUM(3:4)", "='收支 情况'!B5*2", "=收支情况!B5",
    '=IF(B5>0,"B5 ""quoted"" text",C3)', "=LOG10(A1)", "=[1]决算!A1", "=表1[金额]+A1", "=1E+3+A1", "=A1  +  B1",
    "=#REF!+A1", "=TRUE+A1", "=SUM(A1,B2:C3)*-D4%", "={1,2;3,4}", "=A1:B2 C2:D3", "=TAX2023+1",
])
@pytest.mark.parametrize("dest", ["B5", "D9", "C30", "AA7"])
def test_shared_formulas_translate_as_openpyxl_translates_them(formula, dest):
    rows, cols = read.coordinate(dest)
    assert read.translate(formula, rows - 5, cols - 2) == Translator(formula, "B5").translate_formula(dest)


def test_a_reference_moved_off_the_sheet_is_ref_error():
    assert read.translate("=A1+B2", -1, 0) == "=#REF!+B1"


def test_format_table_and_date_rules_are_openpyxls():
    assert read.BUILTIN_FORMATS == opx_numbers.BUILTIN_FORMATS
    for fmt in ("General", "0.00%", "yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "h:mm", "[h]:mm:ss", "mm:ss.0", "@",
                '#,##0.00"万元"', "[Red]0.00", '"d"0', r"\d0", "[$-804]yyyy年m月", "0_);[Red](0)", "[mm]:ss", ";;;"):
        assert read.is_date_format(fmt) == opx_numbers.is_date_format(fmt), fmt
        assert read.is_duration_format(fmt) == opx_numbers.is_timedelta_format(fmt), fmt
    for value in (0, 0.25, 0.999999, 1, 1.5, 59, 60, 61, 45280, 45280.5, 45280.123456, 2958465, 3e6, -1):
        for epoch in (opx_datetime.WINDOWS_EPOCH, opx_datetime.MAC_EPOCH):
            for duration in (False, True):
                mine = _outcome(read.from_excel, value, epoch, duration)
                assert mine == _outcome(opx_datetime.from_excel, value, epoch, duration), (value, epoch, duration)
    for text in ("2023-12-01", "2023-12-01T10:30:00", "2023-12-01T10:30:00.250Z", "10:30", "10:30:15", "PT1H30M"):
        assert read.from_iso8601(text) == opx_datetime.from_ISO8601(text), text


def _outcome(fn, *args):
    try:
        return fn(*args)
    except (OverflowError, ValueError) as e:
        return type(e)


def test_a_1904_workbook_reads_every_kind_of_date_in_its_own_system(tmp_path):
    """The 填报日期 as a date-formatted number, a General serial, and a formula's saved result: one date."""
    base = H.to_bytes(seed())
    coord = seed().coord("basic", "info", "date", "value")
    serial_1904 = (dt.date(2024, 7, 12) - dt.date(1904, 1, 1)).days
    style = re.search(rf'<c r="{coord}" s="(\d+)"'.encode(), H.parts(base)[H.sheet_part(base, BASIC)])[1].decode()
    for cell in (f'<c r="{coord}" s="{style}"><v>{serial_1904}</v></c>',
                 f'<c r="{coord}"><v>{serial_1904}</v></c>',
                 f'<c r="{coord}" s="{style}"><f>DATE(2024,7,12)</f><v>{serial_1904}</v></c>'):
        path = tmp_path / "1904.xlsx"
        path.write_bytes(date1904(package(base, cell_xml(BASIC, coord, cell))))
        assert read_book(path).cell("basic", "info", "date", "value").value == dt.date(2024, 7, 12), cell


def test_sheet_names_and_merged_ranges_are_on_the_book(tmp_path):
    f = seed()
    f.wb["绩效目标"].merge_cells("A5:A7")  # 产出 over three rows, as printed tables do
    f.wb.create_chartsheet("图表")
    f.wb.create_sheet("说明")
    path = tmp_path / "book.xlsx"
    f.save(path)
    book = read_book(path)
    assert book.sheet_names == (*L.sheet_names(), "图表", "说明")
    assert (5, 1, 7, 1) in book.merged["绩效目标"]
    assert set(book.merged) == set(L.sheet_names()) - {L.INSTRUCTIONS_SHEET}


def test_only_the_template_sheets_are_parsed(tmp_path, monkeypatch):
    """A sheet the layout does not use is never parsed, however big or broken."""
    f = seed()
    f.wb.create_sheet("底稿")
    data = H.to_bytes(f)
    part = H.sheet_part(data, "底稿")
    path = tmp_path / "extra.xlsx"
    path.write_bytes(H.rezip(data, edit={part: lambda old: old[: len(old) // 2]}))  # cut short: not XML
    parsed = []
    real = Package.worksheet
    monkeypatch.setattr(Package, "worksheet", lambda self, entry: parsed.append(entry.name) or real(self, entry))
    result = check_file(path)
    assert result.error is None and sorted(parsed) == sorted(L.sheet_names())
    assert [f.code for f in result.findings] == [f.code for f in check_file(ROOT / "samples" / "fengshun-2023.xlsx")
                                                .findings]


@pytest.mark.parametrize(("edit", "key", "part"), [
    # a shared string of a package without the shared strings part: the part is named, not called damaged
    (cell_xml(BASIC, "B8", '<c r="B8" t="s"><v>999</v></c>'), "part_missing", "xl/sharedStrings.xml"),
    (cell_xml(BASIC, "B8", '<c r="B8"><v>&lol;</v></c>'), "workbook_damaged", BASIC),  # no DTD: no entity
    (cell_xml(BASIC, "B8", '<c r="B8"><v>12</c>'), "workbook_damaged", BASIC),
    (cell_xml(BASIC, "B8", '<c r="B8" t="b"><v>yes</v></c>'), "workbook_damaged", BASIC),
    (cell_xml(BASIC, "B8", '<c r="B8" s="9999"><v>1</v></c>'), "workbook_damaged", BASIC),
    (cell_xml(FIN, "B5", '<c r="B5x"><v>1</v></c>'), "workbook_damaged", FIN),
    (lambda data: {"xl/styles.xml": lambda old: old[: len(old) // 2]}, "workbook_damaged", "xl/styles.xml"),
    (lambda data: {"xl/workbook.xml": lambda old: old.replace(b'r:id="rId2"', b'r:id="rId99"', 1)},
     "workbook_damaged", "xl/workbook.xml"),
])
def test_a_damaged_part_names_itself(tmp_path, edit, key, part):
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(package(H.to_bytes(seed()), edit))
    with pytest.raises(InputError) as raised:
        read_book(path)
    data = path.read_bytes()
    expected = H.sheet_part(data, part) if part in (BASIC, FIN) else part
    assert raised.value.key == key and raised.value.params.get("reason", raised.value.params.get("part")) == expected
    for lang in ("zh", "en"):
        message = raised.value.render(lang)
        assert expected in message and "Error" not in message  # no Python exception class quoted


def test_a_dtd_past_the_guard_is_refused_by_the_reader_itself(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "_declares_dtd", lambda z, info: False)
    # A cell that uses the shared strings, and the part declared, so that the reader parses it.
    data = package(H.to_bytes(seed()), cell_xml(FIN, "B5", '<c r="B5" t="s"><v>0</v></c>'),
                   lambda data: {"[Content_Types].xml": H.insert_before("</Types>", H.override(
                       "xl/sharedStrings.xml",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"))})
    for part in (H.sheet_part(data, FIN), "xl/sharedStrings.xml"):
        path = tmp_path / "bomb.xlsx"
        path.write_bytes(H.billion_laughs(data, part))
        with pytest.raises(InputError) as raised:
            read_book(path)
        assert (raised.value.key, raised.value.params["part"]) == ("xml_unsafe", part)


def test_the_check_path_imports_no_openpyxl_numpy_or_pandas():
    """Read, derive, check, console and JSON: none of them loads openpyxl (nor numpy or pandas, which
    openpyxl pulls in); only writing the checked copy does, for now."""
    code = (
        "import json, sys\n"
        "from evaltool.checker import check_file\n"
        "from evaltool.outputs.console import print_result\n"
        "from evaltool.outputs.jsondoc import document, entry\n"
        "result = check_file(sys.argv[1])\n"
        "assert result.error is None and result.findings\n"
        "print_result(result, 'zh', True)\n"
        "json.dumps(document([entry(result, 'en')]), ensure_ascii=False)\n"
        "loaded = [m for m in ('openpyxl', 'numpy', 'pandas') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    sample = ROOT / "samples" / "fengshun-2023-with-mistakes.xlsx"
    run = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
