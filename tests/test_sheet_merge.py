"""Our two sheets, written by xlsxwriter into a package of their own, grafted onto the officer's package
(``workbook.sheet_merge.add_sheets``): every part well-formed and resolvable, the officer's parts
untouched but for the workbook-level ones, our sheets looking in the copy as they look standalone, and
a re-check (remove ours, add them again) leaving no trace of the first.

Officer packages are built by code in the shapes the programs officers use write: openpyxl (the
sample: absolute targets, ``<definedNames />``, no TitlesOfParts, inline strings), Excel (xlsxwriter
plus Excel's extra namespaces, ``mc:AlternateContent``, ``x14ac`` and ``extLst``, a calcChain),
OpenXML-SDK-style ``x:`` prefixes, WPS (a cellimages part), a bare one (no app.xml, no bookViews, no
definedNames, no styles' dxfs); LibreOffice's own output in the slow test.
"""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import hostile as H
import openpyxl
import pytest
import xlsxwriter
from defusedxml import ElementTree

from evaltool.workbook import layout as L
from evaltool.workbook.sheet_merge import CONTENT_TYPES, add_sheets, rels_name

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "fengshun-2023.xlsx"
SUMMARY, RESULTS = "核查汇总", "核查结果"
OURS = (SUMMARY, RESULTS)
assert set(OURS) == set(L.ADDED_SHEETS)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# The officer's parts add_sheets may change; every other officer part must come back as the same bytes.
WORKBOOK_LEVEL = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", CONTENT_TYPES, "xl/styles.xml",
                  "xl/sharedStrings.xml", "docProps/app.xml"}


def png() -> bytes:
    """A 2x2 red PNG, made here so the test carries no binary file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\xff\0\0" * 2 for _ in range(2))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) + chunk(
        b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def added_package(*, formula: bool = False, table: bool = False, image: bool = False,
                  constant_memory: bool = False) -> dict[str, bytes]:
    """What the sheet writers give add_sheets: 核查汇总 and 核查结果 with every feature they use
    (``constant_memory``: XlsxWriter's streaming mode, which writes inline strings)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True} if constant_memory else {"in_memory": True})
    summary = wb.add_worksheet(SUMMARY)
    results = wb.add_worksheet(RESULTS)
    title = wb.add_format({"bold": True, "font_size": 14, "font_name": "宋体"})
    head = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"})
    money = wb.add_format({"num_format": '#,##0.00"万元"', "border": 1})
    pct = wb.add_format({"num_format": "0.00%", "font_color": "#9C0006", "bg_color": "#FFC7CE"})
    wrap = wb.add_format({"text_wrap": True, "italic": True})
    red = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})

    summary.write(0, 0, "核查汇总", title)
    summary.write_row(1, 0, ["项目", "填报", "重算"], head)
    summary.write(2, 0, "财政拨款收入")
    summary.write(2, 1, 2369.93, money)
    summary.write(2, 2, 2369.94, money)
    summary.write(3, 0, "占比  ")  # trailing spaces: xml:space="preserve" must survive
    summary.write(3, 1, 0.8133, pct)
    summary.write(3, 2, 0.8132, pct)
    summary.write_url(4, 0, "internal:'收支情况'!C5", string="收支情况!C5")
    summary.write_comment(3, 1, "填报 81.33%，重算 81.32%")
    summary.write(5, 0, "说明：这一行很长，需要自动换行。" * 3, wrap)
    summary.set_column(0, 0, 30)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"name": "填报", "categories": f"='{SUMMARY}'!$A$3:$A$4", "values": f"='{SUMMARY}'!$B$3:$B$4",
                      "data_labels": {"value": True}})
    summary.insert_chart("E2", chart)
    if formula:
        summary.write_formula(6, 1, "=B3-C3", money, -0.01)
    if image:
        summary.insert_image("E20", "seal.png", {"image_data": io.BytesIO(png())})
    summary.set_landscape()

    results.write_row(0, 0, ["编码", "性质", "工作表", "单元格", "说明"], head)
    findings = [("SHR01", "强制性", "收支情况", "C5", "填报 81.33%，按 2369.93 ÷ 2914.41 重算为 81.32%"),
                ("SUM02", "提示性", "收支情况", "B5", "分项合计为 2369.94"),
                ("BAS02", "提示性", "基本信息", "B9", "不像电话号码")]
    for row, (code, severity, sheet, cell, message) in enumerate(findings, start=1):
        results.write(row, 0, code)
        results.write(row, 1, severity)
        results.write(row, 2, sheet)
        results.write_url(row, 3, f"internal:'{sheet}'!{cell}", string=cell)
        results.write(row, 4, message, wrap)
    results.set_row(len(findings) + 1, None, red)  # a row format: <row s=...>
    results.set_column(4, 4, 60, wrap)  # a column format: <col style=...>
    results.conditional_format(1, 1, len(findings), 1, {"type": "cell", "criteria": "==", "value": '"强制性"',
                                                        "format": red})
    results.data_validation(1, 4, len(findings), 4, {"validate": "length", "criteria": "<", "value": 500})
    results.freeze_panes(1, 0)
    results.autofilter(0, 0, len(findings), 4)
    results.repeat_rows(0)
    results.set_landscape()
    results.fit_to_pages(1, 0)
    if table:
        results.add_table(8, 0, 10, 1, {"name": "Table1", "columns": [{"header": "甲"}, {"header": "乙"}]})
    wb.close()
    return H.parts(buf.getvalue())


def standalone(data: bytes) -> dict[str, bytes]:
    return H.parts(data)


# --------------------------------------------------------------------------- officer packages


def sample() -> dict[str, bytes]:
    return H.parts(SAMPLE.read_bytes())


def excel_like() -> dict[str, bytes]:
    """An Excel-shaped officer workbook: shared strings, relative targets, a print area and a filter
    (defined names scoped to sheets 3 and 2), a comment (VML block 1), a table, a conditional
    format, a custom number format, a formula with its calcChain, TitlesOfParts with named ranges,
    and the namespaces, ``mc:AlternateContent`` and ``extLst`` Excel writes."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet("填表说明").write(0, 0, "填表说明")
    basic = wb.add_worksheet("基本信息")
    fin = wb.add_worksheet("收支情况")
    basic.write_row(0, 0, ["项目", "内容"])
    basic.write_row(1, 0, ["部门名称", "丰顺县科工商务局"])
    basic.autofilter(0, 0, 1, 1)
    basic.add_table(4, 0, 6, 1, {"name": "Table1", "columns": [{"header": "甲"}, {"header": "乙"}]})
    three = wb.add_format({"num_format": "0.000", "bold": True})
    fin.write_row(0, 0, ["项目", "金额", "占比(填报)"])
    fin.write(4, 0, "财政拨款收入")
    fin.write(4, 1, 2369.93, three)
    fin.write(4, 2, 0.8133, wb.add_format({"num_format": "0.00%"}))
    fin.write_formula(5, 1, "=B5*2", three, 4739.86)
    fin.write_comment(4, 1, "决算数")
    fin.write_url(7, 0, "internal:'基本信息'!A1", string="基本信息")
    fin.conditional_format(4, 2, 4, 2, {"type": "cell", "criteria": ">", "value": 1,
                                        "format": wb.add_format({"bold": True, "font_color": "#FF0000"})})
    fin.print_area(0, 0, 10, 2)
    fin.activate()
    wb.close()
    parts = H.parts(buf.getvalue())
    book = parts["xl/workbook.xml"].decode()
    book = book.replace(
        f'<workbook xmlns="{MAIN}"',
        f'<workbook xmlns="{MAIN}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x15 xr" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" '
        'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision"', 1)
    book = book.replace("<bookViews>", EXCEL_ABSPATH + '<xr:revisionPtr revIDLastSave="0" documentId="8_{1}"/>'
                        "<bookViews>", 1)
    book = book.replace("</workbook>", EXCEL_BOOK_EXT + "</workbook>")
    parts["xl/workbook.xml"] = book.encode()
    styles = parts["xl/styles.xml"].decode()
    styles = styles.replace(
        f'<styleSheet xmlns="{MAIN}"',
        f'<styleSheet xmlns="{MAIN}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"', 1)
    styles = re.sub(r'<fonts count="(\d+)"', r'<fonts count="\1" x14ac:knownFonts="1"', styles, count=1)
    styles = styles.replace("</styleSheet>", EXCEL_STYLES_EXT + "</styleSheet>")
    parts["xl/styles.xml"] = styles.encode()
    parts["xl/calcChain.xml"] = f'<calcChain xmlns="{MAIN}"><c r="B6" i="3" l="1"/></calcChain>'.encode()
    parts[CONTENT_TYPES] = H.insert_before("</Types>", H.override(
        "xl/calcChain.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"))(
        parts[CONTENT_TYPES])
    parts["xl/_rels/workbook.xml.rels"] = H.insert_before("</Relationships>", H.relationship(
        "rId99", "calcChain", "calcChain.xml"))(parts["xl/_rels/workbook.xml.rels"])
    return parts


EXCEL_ABSPATH = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="x15"><x15ac:absPath url="D:\\自评\\" '
    'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice></mc:AlternateContent>')
EXCEL_BOOK_EXT = (
    '<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" '
    'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main">'
    '<x15:workbookPr chartTrackingRefBase="1"/></ext></extLst>')
EXCEL_STYLES_EXT = (
    '<extLst><ext uri="{EB79DEF2-80B8-43e5-95BD-54CBDDF9020C}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:slicerStyles defaultSlicerStyle="SlicerStyleLight1"/></ext></extLst>')


def prefixed(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The SpreadsheetML parts written with an ``x:`` prefix, as the OpenXML SDK does."""
    out = dict(parts)
    for name, data in parts.items():
        text = data.decode("utf-8", "replace")
        if name.endswith(".xml") and f'xmlns="{MAIN}"' in text:
            text = re.sub(r"<(/?)([A-Za-z_][\w.-]*)(?=[\s/>])", r"<\1x:\2", text.replace(
                f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"', 1))
            out[name] = text.encode()
    return out


def wps_like() -> dict[str, bytes]:
    """The sample plus what WPS adds: a cell-images part related from the workbook, custom properties,
    and a part nothing knows."""
    data = H.rezip(SAMPLE.read_bytes(), add={
        "xl/cellimages.xml": b'<?xml version="1.0" encoding="UTF-8"?><etc:cellImages '
                             b'xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"/>',
        "customXml/item1.xml": b"<unknown>\xe4\xb8\xad</unknown>",
    }, edit={
        "xl/_rels/workbook.xml.rels": H.insert_before("</Relationships>", H.relationship(
            "rIdWps", "http://www.wps.cn/officeDocument/2020/cellImage", "cellimages.xml")),
        CONTENT_TYPES: H.insert_before("</Types>", H.override("xl/cellimages.xml", "application/vnd.wps-officedocument"
                                                                                   ".cellimage+xml")),
    })
    return H.parts(data)


def bare() -> dict[str, bytes]:
    """No docProps/app.xml, no bookViews, no definedNames at all."""
    parts = sample()
    del parts["docProps/app.xml"]
    parts["_rels/.rels"] = re.sub(rb"<Relationship [^>]*extended-properties[^>]*/>", b"", parts["_rels/.rels"])
    parts[CONTENT_TYPES] = re.sub(rb'<Override PartName="/docProps/app.xml"[^>]*/>', b"", parts[CONTENT_TYPES])
    book = parts["xl/workbook.xml"]
    book = re.sub(rb"<bookViews>.*?</bookViews>", b"", book)
    parts["xl/workbook.xml"] = book.replace(b"<definedNames />", b"")
    return parts


def plain_xlsxwriter() -> dict[str, bytes]:
    """No custom number format (no <numFmts>), no conditional format (<dxfs count="0"/>)."""
    return big_package(20)


OFFICERS = {"openpyxl": sample, "excel": excel_like, "x-prefix": lambda: prefixed(excel_like()), "wps": wps_like,
            "bare": bare, "xlsxwriter": plain_xlsxwriter}


# --------------------------------------------------------------------------- package checks


def parse(data: bytes):
    return ElementTree.fromstring(data)


def content_type(parts: dict[str, bytes], name: str) -> str | None:
    types = parse(parts[CONTENT_TYPES])
    for o in types:
        if o.tag.endswith("Override") and o.get("PartName").lstrip("/").lower() == name.lower():
            return o.get("ContentType")
    ext = posixpath.basename(name).rsplit(".", 1)[-1].lower()
    defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types if d.tag.endswith("Default")}
    return defaults.get(ext)


def targets(parts: dict[str, bytes], source: str) -> list[str]:
    """Internal targets of ``source``'s relationships, resolved to part names."""
    rels = rels_name(source)
    if rels not in parts:
        return []
    out = []
    for r in parse(parts[rels]):
        target = r.get("Target")
        if r.get("TargetMode") == "External" or target.startswith("#"):
            continue
        out.append(target.lstrip("/") if target.startswith("/") else
                   posixpath.normpath(posixpath.join(posixpath.dirname(source), target)))
    return out


def reachable(parts: dict[str, bytes]) -> set[str]:
    seen, todo = set(), [""]
    while todo:
        for t in targets(parts, todo.pop()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def assert_sound(parts: dict[str, bytes], officer: dict[str, bytes]) -> None:
    """Well-formed, every target there, every part typed, no part of ours unreachable."""
    for name, data in parts.items():
        if name.endswith((".xml", ".rels", ".vml")):
            parse(data)
    for name in [""] + list(parts):
        for t in targets(parts, name):
            assert t in parts, f"{name} -> {t}"
    for name in parts:
        if name != CONTENT_TYPES:
            assert content_type(parts, name), name
    for o in parse(parts[CONTENT_TYPES]):
        if o.tag.endswith("Override"):
            assert o.get("PartName").lstrip("/") in parts, o.get("PartName")
    # Nothing unreachable that the officer did not already have unreachable.
    orphans = {n for n in parts if not n.endswith(".rels") and n != CONTENT_TYPES} - reachable(parts)
    officer_orphans = {n for n in officer if not n.endswith(".rels") and n != CONTENT_TYPES} - reachable(officer)
    assert orphans <= officer_orphans, orphans - officer_orphans


def book_sheets(parts: dict[str, bytes]) -> list[tuple[str, str, str]]:
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return [(s.get("name"), s.get("sheetId"), s.get(rid)) for s in parse(parts["xl/workbook.xml"]).iter(
        f"{{{MAIN}}}sheet")]


def load(parts: dict[str, bytes]):
    return openpyxl.load_workbook(io.BytesIO(H.zipped(parts)))


def look(cell) -> tuple:
    """What a reader sees of a cell: value, font, fill, number format, wrap, link, comment."""
    f = cell.font
    return (cell.value, f.b, f.i, f.sz, f.name, f.color.rgb if f.color is not None else None,
            cell.fill.fill_type, cell.fill.fgColor.rgb, cell.number_format, cell.alignment.wrap_text,
            cell.alignment.vertical, cell.border.left.style,
            cell.hyperlink.location if cell.hyperlink else None, cell.comment.text if cell.comment else None)


def sheet_look(ws) -> dict:
    return {
        "cells": {c.coordinate: look(c) for row in ws.iter_rows() for c in row},
        "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "titles": ws.print_title_rows,
        "orientation": ws.page_setup.orientation, "fit": ws.sheet_properties.pageSetUpPr.fitToPage if
        ws.sheet_properties.pageSetUpPr else None,
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "cf": [(str(r), [(x.type, x.operator, x.formula, x.dxf.font.color.rgb if x.dxf and x.dxf.font else None,
                          x.dxf.fill.fgColor.rgb if x.dxf and x.dxf.fill else None) for x in rules])
               for r, rules in ws.conditional_formatting._cf_rules.items()],
        "dv": [(d.type, d.operator, d.formula1, str(d.sqref)) for d in ws.data_validations.dataValidation],
        "charts": len(ws._charts), "images": len(ws._images), "tables": sorted(ws.tables),
    }


# --------------------------------------------------------------------------- the graft


@pytest.fixture(scope="module")
def added() -> dict[str, bytes]:
    return added_package()


@pytest.mark.parametrize("kind", sorted(OFFICERS))
def test_grafted_copy_is_sound_and_officer_parts_are_untouched(kind, added):
    officer = OFFICERS[kind]()
    out = add_sheets(officer, added, remove=L.ADDED_SHEETS)
    assert_sound(out, officer)
    names = [s[0] for s in book_sheets(out)]
    assert names == [*OURS, *(s[0] for s in book_sheets(officer))]
    ids = [s[1] for s in book_sheets(out)]
    assert len(set(ids)) == len(ids)
    for name, data in officer.items():
        if name in WORKBOOK_LEVEL:
            continue
        assert name in out, name
        if out[name] is data:
            continue
        # The one edit to an officer's sheet: it is no longer selected (only our first sheet is).
        assert re.search(rb'\stabSelected="1"', data), name
        assert re.sub(rb'\stabSelected="1"', b"", data) == out[name], name
    assert "xl/sharedStrings.xml" not in out or out["xl/sharedStrings.xml"] is officer.get("xl/sharedStrings.xml")
    selected = [n for n, d in out.items() if re.search(rb"<(\w+:)?sheetView [^>]*tabSelected=\"1\"", d)]
    assert len(selected) == 1


@pytest.mark.parametrize("kind", sorted(OFFICERS))
def test_added_sheets_look_as_they_do_standalone(kind, added):
    officer = OFFICERS[kind]()
    before = load(officer)
    wb = load(add_sheets(officer, added, remove=L.ADDED_SHEETS))
    alone = load(added)
    assert wb.sheetnames[:2] == list(OURS) and wb.active.title == SUMMARY
    for name in OURS:
        assert sheet_look(wb[name]) == sheet_look(alone[name]), name
    assert sheet_look(wb[SUMMARY])["charts"] == 1
    assert wb[SUMMARY]["B4"].comment.text == "填报 81.33%，重算 81.32%"
    assert wb[SUMMARY]["A4"].value == "占比  "
    assert wb[RESULTS]["D2"].hyperlink.location == "'收支情况'!C5"
    # The officer's sheets are as they were, cell by cell, style by style.
    for ws in before.worksheets:
        assert sheet_look(wb[ws.title]) == sheet_look(ws), ws.title
    assert wb[RESULTS].print_title_rows == "$1:$1" and wb[RESULTS].auto_filter.ref == "A1:E4"


def test_streamed_sheets_with_inline_strings_graft_the_same():
    streamed = added_package(constant_memory=True)
    assert "xl/sharedStrings.xml" not in streamed
    wb = load(add_sheets(excel_like(), streamed, remove=L.ADDED_SHEETS))
    alone = load(streamed)
    for name in OURS:
        assert sheet_look(wb[name]) == sheet_look(alone[name]), name


def test_the_copy_opens_on_our_first_sheet(added):
    """Excel-like officer with 收支情况 (index 2) active: activeTab 0, only 核查汇总 selected."""
    officer = excel_like()
    assert re.search(rb'activeTab="2"', officer["xl/workbook.xml"])
    out = add_sheets(officer, added, remove=L.ADDED_SHEETS)
    view = re.search(r"<workbookView [^>]*>", out["xl/workbook.xml"].decode())[0]
    assert 'activeTab="0"' in view and ('firstSheet="0"' in view or "firstSheet" not in view)
    selected = [n for n, d in out.items() if b'tabSelected="1"' in d]
    assert len(selected) == 1 and SUMMARY.encode() in out[selected[0]]


def test_defined_names_point_at_the_right_sheets(added):
    officer = excel_like()
    wb = load(add_sheets(officer, added, remove=L.ADDED_SHEETS))
    assert wb["收支情况"].print_area == "'收支情况'!$A$1:$C$11"
    assert wb["基本信息"].auto_filter.ref == "A1:B2"
    assert wb[RESULTS].print_title_rows == "$1:$1"
    book = add_sheets(officer, added, remove=L.ADDED_SHEETS)["xl/workbook.xml"].decode()
    scoped = re.findall(r'<definedName name="([^"]+)" localSheetId="(\d+)"[^>]*>([^<]*)<', book)
    assert sorted(scoped) == sorted([("_xlnm._FilterDatabase", "1", f"{RESULTS}!$A$1:$E$4"),
                                     ("_xlnm.Print_Titles", "1", f"{RESULTS}!$1:$1"),
                                     ("_xlnm._FilterDatabase", "3", "基本信息!$A$1:$B$2"),
                                     ("_xlnm.Print_Area", "4", "收支情况!$A$1:$C$11")])


def test_sheet_entries_and_names_are_written_as_xlsxwriter_writes_them(added):
    """The <sheet> and <definedName> elements we write, against XlsxWriter's for the same workbook."""
    out = add_sheets(excel_like(), added, remove=L.ADDED_SHEETS)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for name in (*OURS, "填表说明", "基本信息", "收支情况"):
        wb.add_worksheet(name)
    wb.get_worksheet_by_name(RESULTS).autofilter(0, 0, 3, 4)
    wb.get_worksheet_by_name(RESULTS).repeat_rows(0)
    wb.get_worksheet_by_name("基本信息").autofilter(0, 0, 1, 1)
    wb.get_worksheet_by_name("收支情况").print_area(0, 0, 10, 2)
    wb.close()
    reference = H.parts(buf.getvalue())["xl/workbook.xml"].decode()
    ours = out["xl/workbook.xml"].decode()
    sheet = re.compile(r"<sheet [^>]*/>")
    attributes = re.compile(r'(\S+)="[^"]*"')
    assert [attributes.findall(s) for s in sheet.findall(ours)[:2]] == [
        attributes.findall(s) for s in sheet.findall(reference)[:2]]
    names = re.compile(r"<definedName [^>]*>[^<]*</definedName>")
    assert sorted(names.findall(ours)) == sorted(names.findall(reference))


def test_prefixes_namespaces_and_extensions_of_the_officer_survive(added):
    officer = prefixed(excel_like())
    out = add_sheets(officer, added, remove=L.ADDED_SHEETS)
    book, styles = out["xl/workbook.xml"].decode(), out["xl/styles.xml"].decode()
    for kept in (EXCEL_ABSPATH, EXCEL_BOOK_EXT.replace("<extLst>", "<x:extLst>").replace("</extLst>", "</x:extLst>")
                 .replace("<ext ", "<x:ext ").replace("</ext>", "</x:ext>"), 'mc:Ignorable="x15 xr"'):
        assert kept in book
    assert 'x14ac:knownFonts="1"' in styles and 'mc:Ignorable="x14ac"' in styles
    assert '<x:sheet name="核查汇总" sheetId="4" r:id="' in book
    assert not re.search(r"<(?!x:|/x:|mc:|/mc:|x15|/x15|xr:|\?)[a-zA-Z]", book)  # nothing unprefixed added
    assert not re.search(r"<(?!x:|/x:|x14|/x14|\?)[a-zA-Z]", styles)


def test_styles_numbers_and_dxfs_are_renumbered():
    officer = excel_like()
    added = added_package()
    out = add_sheets(officer, added, remove=L.ADDED_SHEETS)
    styles = out["xl/styles.xml"].decode()
    formats = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
    assert len(formats) == len(set(formats.values())), formats  # one id per format
    officer_ids = dict(re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', officer["xl/styles.xml"].decode()))
    assert all(formats[i] == code for i, code in officer_ids.items())  # the officer's ids keep their codes
    for tag in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"):
        m = re.search(rf'<{tag} count="(\d+)"[^>]*>(.*?)</{tag}>', styles, re.S)
        child = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border", "cellStyles": "cellStyle",
                 "dxfs": "dxf"}.get(tag, "xf")
        assert int(m[1]) == len(re.findall(rf"<{child}[\s/>]", m[2])), tag
    # Our cells point at our formats, the officer's cells still at theirs.
    wb = load(out)
    assert wb[SUMMARY]["B3"].number_format == '#,##0.00"万元"'
    assert wb["收支情况"]["B5"].number_format == "0.000" and wb["收支情况"]["B5"].font.b
    ours = next(n for n in out if n.startswith("xl/worksheets/sheet") and b"cfRule" in out[n] and n not in officer)
    dxf_ids = re.findall(r'dxfId="(\d+)"', out[ours].decode())
    assert dxf_ids and all(int(i) >= 1 for i in dxf_ids)  # the officer's own dxf is 0


def test_recheck_removes_everything_of_the_first_run(added):
    """Checking a checked copy again: same sheets, same parts, styles.xml as the first run left it."""
    officer = excel_like()
    first = add_sheets(officer, added, remove=L.ADDED_SHEETS)
    second = add_sheets(first, added, remove=L.ADDED_SHEETS)
    assert [s[0] for s in book_sheets(second)] == [s[0] for s in book_sheets(first)]
    assert set(second) == set(first)
    assert second["xl/styles.xml"] == first["xl/styles.xml"]
    assert second["docProps/app.xml"] == first["docProps/app.xml"]
    ids = re.compile(rb' (sheetId|r:id)="[^"]*"')
    assert ids.sub(b"", second["xl/workbook.xml"]) == ids.sub(b"", first["xl/workbook.xml"])
    assert_sound(second, officer)
    # Removing ours without adding anything back gives the officer's sheets, names and parts.
    plain = add_sheets(first, added_package_named("别的表"), remove=L.ADDED_SHEETS)
    assert [s[0] for s in book_sheets(plain)] == ["别的表", *(s[0] for s in book_sheets(officer))]
    assert {n for n in plain} - {n for n in officer} == {"xl/worksheets/sheet4.xml"}


def test_recheck_of_a_copy_written_by_openpyxl(tmp_path, added):
    """A copy an earlier evaltool saved with openpyxl (our sheets at the end, with print titles, a filter
    and a chart): ours move to the front, nothing of the old ones stays."""
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.load_workbook(ROOT / "samples" / "fengshun-2023-with-mistakes.xlsx")
    for name in (RESULTS, SUMMARY):
        ws = wb.create_sheet(name)
        ws.append(["代码", "值"])
        ws.append(["SHR01", 1])
        ws.print_title_rows = "1:1"
        ws.auto_filter.ref = "A1:B2"
        chart = BarChart()
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=2), titles_from_data=True)
        ws.add_chart(chart, "D2")
    old = tmp_path / "old.checked.xlsx"
    wb.save(old)
    officer = H.parts(old.read_bytes())
    out = add_sheets(officer, added, remove=L.ADDED_SHEETS)
    assert_sound(out, officer)
    assert [s[0] for s in book_sheets(out)] == [*OURS, *[s[0] for s in book_sheets(officer)][:-2]]
    charts = [n for n in out if n.startswith("xl/charts/")]
    assert len(charts) == 1  # ours; the old sheets' two charts went with them
    wb = load(out)
    assert wb[RESULTS].print_title_rows == "$1:$1" and wb[RESULTS].auto_filter.ref == "A1:E4"


def added_package_named(name: str) -> dict[str, bytes]:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet(name).write(0, 0, "x")
    wb.close()
    return H.parts(buf.getvalue())


def test_app_xml_lists_our_sheets_and_names(added):
    officer = excel_like()
    out = add_sheets(officer, added, remove=L.ADDED_SHEETS)
    app = out["docProps/app.xml"].decode()
    heading = re.findall(r"<vt:lpstr>([^<]*)</vt:lpstr></vt:variant><vt:variant><vt:i4>(\d+)<", app)
    assert heading == [("Worksheets", "5"), ("Named Ranges", "2")]
    titles = re.search(r"<TitlesOfParts>(.*)</TitlesOfParts>", app)[1]
    assert re.findall(r"<vt:lpstr>([^<]*)</vt:lpstr>", titles) == [
        *OURS, "填表说明", "基本信息", "收支情况", "收支情况!Print_Area", f"{RESULTS}!Print_Titles"]
    plain = sample()
    assert add_sheets(plain, added)["docProps/app.xml"] is plain["docProps/app.xml"]  # no lists: left alone


def test_app_xml_in_chinese_gets_our_names_in_its_own_groups(added):
    officer = excel_like()
    officer["docProps/app.xml"] = officer["docProps/app.xml"].replace(b">Worksheets<", ">工作表<".encode()).replace(
        b">Named Ranges<", ">命名范围<".encode())
    app = add_sheets(officer, added, remove=L.ADDED_SHEETS)["docProps/app.xml"].decode()
    heading = re.findall(r"<vt:lpstr>([^<]*)</vt:lpstr></vt:variant><vt:variant><vt:i4>(\d+)<", app)
    assert heading == [("工作表", "5"), ("命名范围", "2")]


@pytest.mark.parametrize("ref", ["&#x110000;", "&#99999999999999999999;", "&#xD800;", "&#0;"])
def test_a_reference_to_no_character_in_app_xml_reads_as_a_replacement_character(added, ref):
    """A damaged docProps/app.xml (a sheet title ending in a reference to no character) neither stops the
    graft nor leaves the reference behind: it reads as U+FFFD, as html.unescape read it."""
    officer = excel_like()
    app = officer["docProps/app.xml"].decode()
    last = re.findall(r"<vt:lpstr>([^<]*)</vt:lpstr>", app)[-1]
    officer["docProps/app.xml"] = app.replace(f"<vt:lpstr>{last}</vt:lpstr>", f"<vt:lpstr>{last}{ref}</vt:lpstr>",
                                              1).encode()
    out = add_sheets(officer, added, remove=L.ADDED_SHEETS)["docProps/app.xml"].decode()
    assert f"{last}\ufffd<" in out and ref not in out
    parse(out.encode())


def test_comment_shapes_tables_and_images_do_not_collide():
    officer = excel_like()
    out = add_sheets(officer, added_package(table=True, image=True), remove=L.ADDED_SHEETS)
    assert_sound(out, officer)
    vml = {n: out[n].decode() for n in out if n.endswith(".vml")}
    assert len(vml) == 2
    blocks = [re.search(r'data="([\d,]+)"', v)[1] for v in vml.values()]
    assert len(set(blocks)) == 2
    shapes = [s for v in vml.values() for s in re.findall(r'id="(_x0000_s\d+)"', v)]
    assert len(shapes) == len(set(shapes))
    tables = [re.search(rb"<table [^>]*>", out[n])[0].decode() for n in out if n.startswith("xl/tables/")]
    assert len({re.search(r' id="(\d+)"', t)[1] for t in tables}) == 2
    assert len({re.search(r' name="([^"]+)"', t)[1] for t in tables}) == 2
    wb = load(out)
    assert sorted(wb[RESULTS].tables) == ["Table1_2"] and sorted(wb["基本信息"].tables) == ["Table1"]
    drawing = next(n for n in out if n.startswith("xl/drawings/drawing") and n not in officer)
    assert b"<xdr:pic>" in out[drawing] and b"<c:chart " in out[drawing]
    assert [t for t in targets(out, drawing) if t.startswith("xl/media/")] == ["xl/media/image1.png"]
    assert content_type(out, "xl/media/image1.png") == "image/png"


def test_calc_chain_is_kept_without_formulas_and_dropped_with_them():
    officer = excel_like()
    plain = add_sheets(officer, added_package(), remove=L.ADDED_SHEETS)
    assert plain["xl/calcChain.xml"] is officer["xl/calcChain.xml"]
    with_formula = add_sheets(officer, added_package(formula=True), remove=L.ADDED_SHEETS)
    assert "xl/calcChain.xml" not in with_formula
    assert b"calcChain" not in with_formula["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in with_formula[CONTENT_TYPES]
    assert_sound(with_formula, officer)
    wb = load(with_formula)
    assert wb[SUMMARY]["B7"].value == "=B3-C3"


def test_refusals(added):
    with pytest.raises(ValueError, match="already in the workbook"):
        add_sheets(add_sheets(sample(), added), added)  # ours there, and not asked to remove them
    strict = sample()
    strict["xl/workbook.xml"] = strict["xl/workbook.xml"].replace(
        MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    with pytest.raises(ValueError, match="Strict"):
        add_sheets(strict, added)


def test_calamine_opens_the_copy(added):
    calamine = pytest.importorskip("python_calamine")
    for kind in ("openpyxl", "excel", "wps", "bare"):
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(H.zipped(add_sheets(OFFICERS[kind](), added))))
        assert book.sheet_names[:2] == list(OURS)
        rows = book.get_sheet_by_name(SUMMARY).to_python()
        assert rows[2][:3] == ["财政拨款收入", 2369.93, 2369.94]
        assert book.get_sheet_by_name(RESULTS).to_python()[1][0] == "SHR01"


@pytest.mark.parametrize("kind", sorted(OFFICERS))
def test_the_schema_validator_finds_nothing_new(kind, tmp_path):
    """openxml-audit (ECMA-376 schemas plus Excel's known complaints): every error in the copy was in
    the officer's file already (openpyxl's font child order in the sample's styles.xml)."""
    import openxml_audit as audit

    officer = OFFICERS[kind]()

    def errors(parts: dict[str, bytes]) -> set[tuple[str, str, str]]:
        path = tmp_path / "book.xlsx"
        path.write_bytes(H.zipped(parts))
        found = audit.OpenXmlValidator().validate(path).errors
        return {(e.part_uri, e.path, e.description) for e in found if e.severity.name == "ERROR"}

    assert errors(add_sheets(officer, added_package(table=True, image=True), remove=L.ADDED_SHEETS)) <= errors(officer)


def _list_row(r: int) -> tuple:
    return f"项目{r}", r * 1.5, r * 1.25, 0.8333


def big_package_by_xlsxwriter(rows: int) -> dict[str, bytes]:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("专项资金")
    for r in range(rows):
        ws.write_row(r, 0, _list_row(r))
    wb.close()
    return H.parts(buf.getvalue())


def big_package(rows: int) -> dict[str, bytes]:
    """``big_package_by_xlsxwriter(rows)``, its rows and strings repeated here as xlsxwriter writes them
    (xlsxwriter itself takes 1.5 s for 50,000 rows)."""
    parts = big_package_by_xlsxwriter(1)
    cells = "".join(
        f'<row r="{r + 1}" spans="1:4"><c r="A{r + 1}" t="s"><v>{r}</v></c>'
        + "".join(f'<c r="{col}{r + 1}"><v>{value:.16g}</v></c>'
                  for col, value in zip("BCD", _list_row(r)[1:], strict=True))
        + "</row>" for r in range(rows))
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub("<sheetData>.*</sheetData>", lambda _: f"<sheetData>{cells}</sheetData>", sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.replace('ref="A1:D1"', f'ref="A1:D{rows}"').encode()
    strings = "".join(f"<si><t>{_list_row(r)[0]}</t></si>" for r in range(rows))
    sst = parts["xl/sharedStrings.xml"].decode().replace('count="1" uniqueCount="1"',
                                                         f'count="{rows}" uniqueCount="{rows}"')
    parts["xl/sharedStrings.xml"] = re.sub("<si>.*</si>", lambda _: strings, sst).encode()
    return parts


def test_the_big_package_is_what_xlsxwriter_writes():
    assert {k: v for k, v in big_package(300).items() if k != "docProps/core.xml"} == {
        k: v for k, v in big_package_by_xlsxwriter(300).items() if k != "docProps/core.xml"}


def test_big_sheets_are_passed_through_not_read(added):
    officer = big_package(50_000)
    out = add_sheets(officer, added, remove=L.ADDED_SHEETS)
    # The same object: only workbook-level parts and the sheet's head are read (timed in benchmarks/).
    assert out["xl/sharedStrings.xml"] is officer["xl/sharedStrings.xml"]
    assert len(officer["xl/worksheets/sheet1.xml"]) > 2_000_000


# --------------------------------------------------------------------------- LibreOffice


def without_text_colour(looks: dict) -> dict:
    return looks | {"cells": {k: v[:5] + v[6:] for k, v in looks["cells"].items()}}

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
def test_libreoffice_opens_converts_and_keeps_the_chart(tmp_path, added):
    """One LibreOffice run: the sample, an Excel-shaped and a LibreOffice-written officer workbook
    with our sheets grafted on, converted to PDF and to xlsx; the chart survives the xlsx round trip."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc to run this test")
    profile = (tmp_path / "profile").as_uri()

    def convert(files: list[Path], fmt: str) -> list[Path]:
        outdir = tmp_path / fmt
        run = subprocess.run([SOFFICE, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile}",
                              "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
                             capture_output=True, text=True, timeout=240)
        assert run.returncode == 0, run.stderr
        out = [outdir / f"{f.stem}.{fmt}" for f in files]
        assert all(f.is_file() and f.stat().st_size for f in out), run.stdout + run.stderr
        return out

    lo_input = tmp_path / "lo-officer.xlsx"
    lo_input.write_bytes(H.zipped(sample()))
    (lo_officer,) = convert([lo_input], "xlsx")  # what LibreOffice itself writes, as an officer's input
    alone = tmp_path / "alone.xlsx"
    alone.write_bytes(H.zipped(added))
    files = [alone]
    officers = {"openpyxl": sample(), "excel": excel_like(), "libreoffice": H.parts(lo_officer.read_bytes())}
    for name, parts in officers.items():
        path = tmp_path / f"{name}.xlsx"
        grafted = add_sheets(parts, added, remove=L.ADDED_SHEETS)
        assert_sound(grafted, parts)
        path.write_bytes(H.zipped(grafted))
        files.append(path)
    pdfs = convert(files, "pdf")
    xlsxs = convert(files, "xlsx")
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF")
    reference = openpyxl.load_workbook(xlsxs[0])
    for xlsx in xlsxs[1:]:
        back = H.parts(xlsx.read_bytes())
        assert any(n.startswith("xl/charts/chart") for n in back), xlsx.name
        assert any(b"<c:dLbls>" in back[n] and b'<c:showVal val="1"/>' in back[n] for n in back
                   if n.startswith("xl/charts/chart")), xlsx.name  # with its data labels
        wb = openpyxl.load_workbook(xlsx)
        assert wb.sheetnames[:2] == list(OURS) and wb.active.title == SUMMARY
        # What LibreOffice makes of our sheets is what it makes of them standalone, but for the colour
        # of text in theme colour 1: it follows the officer's theme (LibreOffice writes "automatic"
        # for its own workbook's, black for XlsxWriter's).
        for name in OURS:
            assert without_text_colour(sheet_look(wb[name])) == without_text_colour(sheet_look(reference[name])), (
                xlsx.name, name)
        assert wb[SUMMARY]["B3"].value == 2369.93 and wb[SUMMARY]["B3"].number_format == '#,##0.00"万元"'
        assert wb[SUMMARY]["B4"].comment is not None
        assert "收支情况" in wb.sheetnames
        # Checking again the copy LibreOffice saved: its versions of our sheets (shared strings, its own
        # drawings, comments and styles) go, every part they alone used with them.
        again = add_sheets(back, added, remove=L.ADDED_SHEETS)
        assert_sound(again, back)
        assert [s[0] for s in book_sheets(again)] == [s[0] for s in book_sheets(back)]
        assert len([n for n in again if n.startswith("xl/charts/chart")]) == len(
            [n for n in back if n.startswith("xl/charts/chart")])
