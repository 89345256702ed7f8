"""Broken and hostile inputs, each run through ``evaltool check`` in Chinese and in English.

Every case builds its files by code, runs the command twice (``--lang zh`` and ``--lang en``)
and asserts the exit code, a fragment of the message in each language, that no exception
escaped, and that every input file's bytes are unchanged.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import subprocess
import sys
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import hostile as H
import openpyxl
import pytest
from click.testing import CliRunner

from evaltool.cli import main
from evaltool.samples import Filler
from evaltool.workbook import guard
from tests.fillers import seed, with_mistakes


@dataclass(frozen=True)
class Case:
    paths: list[Path]  # given to `evaltool check`, in this order
    exit_code: int
    zh: str  # in the output under --lang zh (and not under --lang en)
    en: str  # in the output under --lang en
    args: tuple[str, ...] = ()
    after: Callable[[], None] | None = None  # more assertions, after the Chinese run


Builder = Callable[[Path, pytest.MonkeyPatch], Case]
CASES: dict[str, Builder] = {}


def case(name: str) -> Callable[[Builder], Builder]:
    def register(build: Builder) -> Builder:
        CASES[name] = build
        return build

    return register


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def put(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def book(tmp: Path, name: str, build: Callable[[], Filler] = seed, edit: Callable[[Filler], object] | None = None):
    """A filled template saved as ``name``, after ``edit`` (which may change the Filler's workbook)."""
    filler = build()
    if edit is not None:
        edit(filler)
    return put(tmp, name, H.to_bytes(filler))


def seed_bytes() -> bytes:
    return H.to_bytes(seed())


def checked(path: Path, suffix: str = ".xlsx") -> Path:
    return path.with_name(path.stem + ".checked" + suffix)


# --------------------------------------------------------------------------- not a workbook at all


@case("not a zip")
def _(tmp, mp):
    return Case([put(tmp, "自评表.xlsx", b"\x00\x01binary garbage\xff\xfe" * 20)], 2, "不是 Excel 工作簿",
                "is not an Excel workbook")


@case("a PDF named as a workbook")
def _(tmp, mp):
    return Case([put(tmp, "自评表.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")], 2,
                "不是 Excel 工作簿（.xlsx）", "is not an Excel workbook (.xlsx)")


@case("a damaged PDF report")  # a .pdf is checked as a 自评报告 (narrative/)
def _(tmp, mp):
    return Case([put(tmp, "自评报告.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")], 2,
                "内部结构已损坏，无法作为文档打开", "is damaged and cannot be opened as a document")


@case("truncated zip")
def _(tmp, mp):
    data = seed_bytes()
    return Case([put(tmp, "半截.xlsx", data[: len(data) // 2])], 2, "文件被截断", "is truncated")


@case("empty file")
def _(tmp, mp):
    return Case([put(tmp, "empty.xlsx", b"")], 2, "是空的（0 字节）", "is empty (0 bytes)")


@case("a directory without workbooks")
def _(tmp, mp):
    folder = tmp / "收到的自评表"
    folder.mkdir()
    (folder / "说明.txt").write_text("见附件", encoding="utf-8")
    return Case([folder], 2, "没有找到要核查的", "No .xlsx/.xlsm files to check")


@case("missing file")
def _(tmp, mp):
    return Case([tmp / "不存在.xlsx"], 2, "找不到文件", "File not found")


@case("old .xls")
def _(tmp, mp):
    return Case([put(tmp, "2023自评.xls", H.ole_file(("Workbook", "SummaryInformation")))], 2,
                "旧版 .xls 格式：请在 Excel/WPS 中“另存为” .xlsx", "old .xls file: save it as .xlsx in Excel/WPS")


@case("old .xls renamed to .xlsx")
def _(tmp, mp):
    return Case([put(tmp, "2023自评.xlsx", H.ole_file(("Book",)))], 2, "旧版 .xls 格式", "old .xls file")


@case("encrypted workbook")
def _(tmp, mp):
    data = H.ole_file(("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"))
    return Case([put(tmp, "加密.xlsx", data)], 2, "已加密或设了打开密码", "encrypted or password-protected")


@case("zip with a password")
def _(tmp, mp):
    path = put(tmp, "压缩加密.xlsx", H.password_flagged(seed_bytes()))
    return Case([path], 2, "已加密或设了打开密码", "encrypted or password-protected")


def _ods() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", '<?xml version="1.0"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    return out.getvalue()


@case(".ods given by mistake")
def _(tmp, mp):
    return Case([put(tmp, "自评表.ods", _ods())], 2, "OpenDocument 表格（.ods）", "OpenDocument spreadsheet (.ods)")


@case(".ods renamed to .xlsx")
def _(tmp, mp):
    return Case([put(tmp, "自评表.xlsx", _ods())], 2, "另存为” Excel 工作簿（.xlsx）", "save it as an Excel workbook")


@case(".csv given by mistake")
def _(tmp, mp):
    data = "项目,金额\n财政拨款收入,2369.93\n其他收入,544.48\n".encode("gbk")
    return Case([put(tmp, "收支.csv", data)], 2, "是文本（CSV/TXT）文件", "is a text (CSV/TXT) file")


@case("web page saved as .xls")
def _(tmp, mp):
    data = '<html><head><meta charset="utf-8"></head><body><table><tr><td>部门名称</td></tr></table></body></html>'
    return Case([put(tmp, "系统导出.xls", data.encode())], 2, "网页（HTML/XML）格式的表格", "web-page (HTML/XML) table")


@case("Word document renamed to .xlsx")
def _(tmp, mp):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", f'<Types xmlns="{H.CT_NS}">' + H.override(
            "word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml") + "</Types>")
        z.writestr("word/document.xml", "<w:document xmlns:w='urn:w'/>")
    return Case([put(tmp, "自评报告.xlsx", out.getvalue())], 2, "Word/PowerPoint 等其他文档", "Word/PowerPoint")


@case("binary workbook .xlsb")
def _(tmp, mp):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", f'<Types xmlns="{H.CT_NS}">' + H.override(
            "xl/workbook.bin", "application/vnd.ms-excel.sheet.binary.macroEnabled.main") + "</Types>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return Case([put(tmp, "自评表.xlsb", out.getvalue())], 2, "Excel 二进制工作簿（.xlsb）", "Excel binary workbook")


@case("Strict Open XML workbook")
def _(tmp, mp):
    data = seed_bytes()
    strict = H.rezip(data, edit={n: lambda old: old.replace(H.MAIN_NS.encode(), b"http://purl.oclc.org/ooxml/"
                                                            b"spreadsheetml/main") for n in H.parts(data)
                                 if n.endswith(".xml")})
    return Case([put(tmp, "strict.xlsx", strict)], 2, "Strict Open XML 电子表格", "Strict Open XML spreadsheet")


@case("Office lock file")
def _(tmp, mp):
    return Case([put(tmp, "~$自评表.xlsx", b"\x06wujiaf" + b"\x00" * 50 + b"w\x00u\x00" * 40)], 2,
                "临时锁文件", "lock file")


# --------------------------------------------------------------------------- damaged packages


@case("damaged part (CRC)")
def _(tmp, mp):
    data = bytearray(seed_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo(H.sheet_part(bytes(data), "收支情况"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    return Case([put(tmp, "损坏.xlsx", bytes(data))], 2, f"已损坏（{info.filename}）", f"is damaged ({info.filename})")


@case("malformed [Content_Types].xml")
def _(tmp, mp):
    broken = H.rezip(seed_bytes(), edit={"[Content_Types].xml": lambda old: old[: len(old) // 3]})
    return Case([put(tmp, "manifest.xlsx", broken)], 2, "已损坏（[Content_Types].xml）",
                "is damaged ([Content_Types].xml)")


@case("sheet XML cut short")
def _(tmp, mp):
    data = seed_bytes()
    part = H.sheet_part(data, "基本信息")
    return Case([put(tmp, "半截XML.xlsx", H.rezip(data, edit={part: lambda old: old[: len(old) // 2]}))], 2,
                "内部结构已损坏", "is damaged inside")


@case("cell pointing at a missing shared string")
def _(tmp, mp):
    data = seed_bytes()
    part = H.sheet_part(data, "基本信息")
    # The 填报人 cell made a reference to shared string 999 of none (its style index and the way its text
    # is escaped depend on the template and on whether openpyxl writes with lxml).
    cell = re.compile(rb'<c r="B8"[^>]*t="inlineStr"><is><t>[^<]+</t></is></c>')
    broken = H.rezip(data, edit={part: lambda old: cell.subn(b'<c r="B8" t="s"><v>999</v></c>', old, count=1)[0]})
    # a package without shared strings: the missing part is named, the file is not called damaged
    return Case([put(tmp, "坏索引.xlsx", broken)], 2, "缺少内部部件 xl/sharedStrings.xml",
                "lacks its part xl/sharedStrings.xml")


@case("damaged part neither the check nor the copy reads (document properties)")
def _(tmp, mp):
    # openpyxl refused the whole file; the reader reads what it needs and the copy keeps the part as it is.
    broken = H.rezip(seed_bytes(), edit={"docProps/core.xml": lambda old: old[: len(old) // 2]})
    path = put(tmp, "属性损坏.xlsx", broken)

    def kept_as_it_was() -> None:
        assert H.parts(checked(path).read_bytes())["docProps/core.xml"] == H.parts(broken)["docProps/core.xml"]

    return Case([path], 0, "可报送", "READY TO SEND", after=kept_as_it_was)


# --------------------------------------------------------------------------- resource attacks


@case("file over the size cap")
def _(tmp, mp):
    photo = random.Random(4).randbytes(1_300_000)  # incompressible, like the photos that make files big
    path = put(tmp, "大文件.xlsx", H.rezip(seed_bytes(), add={"xl/media/photo.jpeg": photo}))
    mp.setattr(guard, "MAX_FILE_BYTES", 1024 * 1024)  # 50 MB in real life: the same check, a smaller file
    return Case([path], 2, "有 1.3 MB，超过 1.0 MB 上限", "is 1.3 MB, over the 1.0 MB cap")


@case("zip bomb: one part expands 1000 times")
def _(tmp, mp):
    return Case([put(tmp, "bomb.xlsx", H.zip_bomb(seed_bytes(), megabytes=8))], 2, "解压后异常巨大",
                "expands to an abnormal size")


@case("zip bomb: total uncompressed size")
def _(tmp, mp):
    mp.setattr(guard, "MAX_UNCOMPRESSED_BYTES", 64 * 1024)
    return Case([put(tmp, "total.xlsx", seed_bytes())], 2, "解压后异常巨大", "expands to an abnormal size")


@case("zip with thousands of parts")
def _(tmp, mp):
    many = {f"xl/media/p{i}.bin": b"" for i in range(guard.MAX_PARTS + 1)}
    return Case([put(tmp, "parts.xlsx", H.rezip(seed_bytes(), add=many))], 2, "个内部部件", "internal parts")


@case("XML bomb in sharedStrings")
def _(tmp, mp):
    bomb = H.billion_laughs(seed_bytes(), "xl/sharedStrings.xml")
    return Case([put(tmp, "laughs.xlsx", bomb)], 2, "XML 实体/DTD", "declares XML entities")


@case("XML bomb in a sheet")
def _(tmp, mp):
    data = seed_bytes()
    bomb = H.billion_laughs(data, H.sheet_part(data, "收支情况"))
    return Case([put(tmp, "laughs.xlsx", bomb)], 2, "XML 实体/DTD", "declares XML entities")


@case("XML bomb past the guard: the reader's parser stops it")
def _(tmp, mp):
    mp.setattr(guard, "_declares_dtd", lambda z, info: False)
    data = seed_bytes()
    bomb = H.billion_laughs(data, H.sheet_part(data, "收支情况"))
    return Case([put(tmp, "laughs.xlsx", bomb)], 2, "XML 实体/DTD", "declares XML entities")


@case("external entity (XXE)")
def _(tmp, mp):
    xxe = (f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<sst xmlns="{H.MAIN_NS}"><si><t>&x;</t></si></sst>')
    return Case([put(tmp, "xxe.xlsx", H.rezip(seed_bytes(), add={"xl/sharedStrings.xml": xxe.encode()}))], 2,
                "XML 实体/DTD", "declares XML entities")


@case("DTD hidden behind a long comment")
def _(tmp, mp):
    part = "<?xml version='1.0'?><!--" + "x" * 70_000 + "--><!DOCTYPE a [<!ENTITY b 'c'>]><a/>"
    return Case([put(tmp, "comment.xlsx", H.rezip(seed_bytes(), add={"docProps/custom.xml": part.encode()}))], 2,
                "XML 实体/DTD", "declares XML entities")


def _far_cell(f: Filler) -> None:
    ws = f.wb["专项资金"]
    ws.cell(1_048_576, 16_384, "误输入")


@case("stray cell at XFD1048576")
def _(tmp, mp):
    path = book(tmp, "far.xlsx", edit=_far_cell)
    started = time.monotonic()

    def fast() -> None:  # two runs: a full-sheet scan would take minutes and gigabytes
        assert time.monotonic() - started < 30

    return Case([path], 0, "可报送", "READY TO SEND", after=fast)


# --------------------------------------------------------------------------- not our template


@case("not our template")
def _(tmp, mp):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "随便一张表"
    buf = io.BytesIO()
    wb.save(buf)
    return Case([put(tmp, "other.xlsx", buf.getvalue())], 2,
                "不是部门整体支出绩效自评模板（缺少工作表：填表说明、基本信息",
                "is not the self-evaluation template (sheets missing: 填表说明, 基本信息")


def _stamp(value: str | None) -> Callable[[Filler], None]:
    def edit(f: Filler) -> None:
        f.wb["填表说明"]["B2"] = value

    return edit


@case("older template version")
def _(tmp, mp):
    return Case([book(tmp, "v0.xlsx", edit=_stamp("evaltool-template-v0"))], 2,
                "模板版本为 evaltool-template-v0，本工具只认 evaltool-template-v1",
                "uses template version evaltool-template-v0")


@case("unknown template version")
def _(tmp, mp):
    return Case([book(tmp, "v9.xlsx", edit=_stamp("evaltool-template-v9"))], 2, "模板版本为 evaltool-template-v9",
                "uses template version evaltool-template-v9")


@case("version stamp removed")
def _(tmp, mp):
    return Case([book(tmp, "nostamp.xlsx", edit=_stamp(None))], 2, "没有模板版本标记", "has no template stamp")


@case("renamed sheet")
def _(tmp, mp):
    def rename(f: Filler) -> None:
        f.wb["专项资金"].title = "专项资金表"

    return Case([book(tmp, "renamed.xlsx", edit=rename)], 2,
                "缺少模板工作表：专项资金；另有模板中没有的工作表：专项资金表",
                "lacks template sheets: 专项资金; it has sheets the template does not: 专项资金表")


@case("deleted sheet")
def _(tmp, mp):
    def delete(f: Filler) -> None:
        del f.wb["资产管理"]

    return Case([book(tmp, "deleted.xlsx", edit=delete)], 2, "缺少模板工作表：资产管理",
                "lacks template sheets: 资产管理")


@case("sheet name with a trailing space")
def _(tmp, mp):
    def space(f: Filler) -> None:
        f.wb["收支情况"].title = "收支情况 "

    return Case([book(tmp, "space.xlsx", build=with_mistakes, edit=space)], 1,
                "收支情况 !C5（财政拨款收入 占比(填报)）填报 81.33%",
                "收支情况 !C5 (Fiscal appropriation revenue: share (stated)) states 81.33%")


@case("a template sheet replaced by a chart sheet")
def _(tmp, mp):
    def chart(f: Filler) -> None:
        from openpyxl.chart import BarChart

        del f.wb["信息公开"]
        f.wb.create_chartsheet("信息公开").add_chart(BarChart())

    return Case([book(tmp, "chartsheet.xlsx", edit=chart)], 2, "“信息公开”不是普通工作表",
                "“信息公开” is not an ordinary worksheet")


# --------------------------------------------------------------------------- edited layouts and odd values


def _rows(sheet: str, at: int, n: int, insert: bool = True) -> Callable[[Filler], None]:
    def edit(f: Filler) -> None:
        ws = f.wb[sheet]
        (ws.insert_rows if insert else ws.delete_rows)(at, n)

    return edit


@case("row inserted inside 专项资金")
def _(tmp, mp):
    path = book(tmp, "funds.xlsx", build=with_mistakes, edit=_rows("专项资金", 6, 1))
    return Case([path], 1, "专项资金!D7（县科协科普经费 拨付率(填报)）填报 90%",
                "专项资金!D7 (县科协科普经费: disbursement rate (stated)) states 90%")


@case("rows inserted above the 绩效目标 header")
def _(tmp, mp):
    path = book(tmp, "goals.xlsx", build=with_mistakes, edit=_rows("绩效目标", 2, 3))
    return Case([path], 1, "绩效目标!G9（制造业数字化转型升级企业数 完成率(填报)）",
                "绩效目标!G9 (制造业数字化转型升级企业数")


@case("row deleted inside 绩效目标")
def _(tmp, mp):
    path = book(tmp, "goals.xlsx", build=with_mistakes, edit=_rows("绩效目标", 5, 1, insert=False))
    return Case([path], 1, "绩效目标!G5（制造业数字化转型升级企业数 完成率(填报)）",
                "绩效目标!G5 (制造业数字化转型升级企业数")


@case("rows inserted above the 收支情况 tables")
def _(tmp, mp):
    path = book(tmp, "finance.xlsx", build=with_mistakes, edit=_rows("收支情况", 2, 2))
    return Case([path], 1, "收支情况!C7（财政拨款收入 占比(填报)）填报 81.33%",
                "收支情况!C7 (Fiscal appropriation revenue: share (stated)) states 81.33%")


@case("merged cells over inputs")
def _(tmp, mp):
    def merge(f: Filler) -> None:
        f.wb["收支情况"].merge_cells("C5:C6")  # the wrong share spreads over the row below
        f.wb["专项资金"].merge_cells("E5:F6")  # 完成情况 and 备注 of two projects

    path = book(tmp, "merged.xlsx", build=with_mistakes, edit=merge)

    def flagged_on_the_merge() -> None:
        ws = openpyxl.load_workbook(checked(path))["收支情况"]
        assert "C5:C6" in {str(r) for r in ws.merged_cells.ranges}
        assert "SHR01" in ws["C5"].comment.text

    return Case([path], 1, "收支情况!C5（财政拨款收入 占比(填报)）填报 81.33%",
                "收支情况!C5 (Fiscal appropriation revenue", after=flagged_on_the_merge)


@case("hidden and very hidden sheets")
def _(tmp, mp):
    def hide(f: Filler) -> None:
        f.wb["专项资金"].sheet_state = "hidden"
        f.wb["运行成本"].sheet_state = "veryHidden"

    path = book(tmp, "hidden.xlsx", build=with_mistakes, edit=hide)

    def still_hidden() -> None:
        wb = openpyxl.load_workbook(checked(path))
        assert (wb["专项资金"].sheet_state, wb["运行成本"].sheet_state) == ("hidden", "veryHidden")

    return Case([path], 1, "专项资金!D6（县科协科普经费 拨付率(填报)）填报 90%",
                "专项资金!D6 (县科协科普经费: disbursement rate (stated)) states 90%", after=still_hidden)


@case("negative amount")
def _(tmp, mp):
    def negative(f: Filler) -> None:
        f.set("finance", "income", "other", "amount", Decimal("-544.48"))

    return Case([book(tmp, "neg.xlsx", edit=negative)], 1, "收支情况!B13（其他收入 金额）为负数 -544.48，请核实",
                "收支情况!B13 (Other revenue: amount) is negative (-544.48)")


@case("date typed as text")
def _(tmp, mp):
    def text_date(f: Filler) -> None:
        f.set("basic", "info", "date", "value", "2023年12月20日")

    return Case([book(tmp, "textdate.xlsx", edit=text_date)], 1, "2023-12-20 不在评价年度 2023 之后",
                "2023-12-20 is not after the evaluation year 2023")


@case("date as a serial number")
def _(tmp, mp):
    def serial(f: Filler) -> None:
        f.set("basic", "info", "date", "value", 45280, "General")  # 2023-12-20

    return Case([book(tmp, "serial.xlsx", edit=serial)], 1, "2023-12-20 不在评价年度 2023 之后",
                "2023-12-20 is not after the evaluation year 2023")


@case("32,767-character cells")
def _(tmp, mp):
    long = "长" * 32_767

    def fill(f: Filler) -> None:
        f.set("funds", "funds", 0, "remark", long)
        f.set("goals", "goals", 1, "reason", long)
        f.set("finance", "income", "fiscal", "share", "8" * 32_767)  # unreadable: its finding quotes it

    path = book(tmp, "long.xlsx", edit=fill)

    def kept_and_bounded() -> None:
        wb = openpyxl.load_workbook(checked(path))
        assert wb["专项资金"]["F5"].value == long
        comment = wb["收支情况"]["C5"].comment.text
        assert "IN02" in comment and len(comment) <= 32_767

    return Case([path], 1, "收支情况!C5（财政拨款收入 占比(填报)）",
                "收支情况!C5 (Fiscal appropriation revenue: share (stated))", after=kept_and_bounded)


@case("external links")
def _(tmp, mp):
    data = H.with_external_link(seed_bytes())
    data = H.with_formula(data, "收支情况", "B14", "[1]决算!$A$1", "2914.41")
    path = put(tmp, "links.xlsx", data)

    def link_kept() -> None:
        out = H.parts(checked(path).read_bytes())
        assert "xl/externalLinks/externalLink1.xml" in out
        assert b"[1]" in out[H.sheet_part(checked(path).read_bytes(), "收支情况")]

    return Case([path], 0, "可报送", "READY TO SEND", after=link_kept)


@case(".xlsm: macros kept in the checked copy")
def _(tmp, mp):
    path = put(tmp, "宏.xlsm", H.with_vba(H.to_bytes(with_mistakes())))

    def macros_kept() -> None:
        out = H.parts(checked(path, ".xlsm").read_bytes())
        assert out["xl/vbaProject.bin"] == H.parts(path.read_bytes())["xl/vbaProject.bin"]
        assert b"macroEnabled.main+xml" in out["[Content_Types].xml"]

    return Case([path], 1, "收支情况!C5（财政拨款收入", "收支情况!C5 (Fiscal appropriation revenue", after=macros_kept)


@case("macros in a file named .xlsx: the copy is a valid .xlsx")
def _(tmp, mp):
    path = put(tmp, "宏.xlsx", H.with_vba(seed_bytes()))

    def dropped() -> None:
        out = checked(path)
        assert "xl/vbaProject.bin" not in H.parts(out.read_bytes())  # Excel refuses an .xlsx with macros
        assert "xl/vbaProject.bin" in H.parts(path.read_bytes())  # the officer's file keeps them

    return Case([path], 0, "核查结果已写入", "Checked copy written to", after=dropped)


@case("shapes and x14 validations openpyxl could not keep: kept, nothing to say")
def _(tmp, mp):
    data = H.with_drawing(H.to_bytes(with_mistakes()), "收支情况", H.TEXT_BOX)
    path = put(tmp, "图形.xlsx", H.with_extension(data, "基本信息", H.X14_DV_URI, H.X14_DV_BODY))

    def kept() -> None:
        written = H.parts(checked(path).read_bytes())
        assert any(H.TEXT_BOX.encode() in blob for name, blob in written.items() if "drawings/" in name)
        assert H.X14_DV_BODY.encode() in written[H.sheet_part(path.read_bytes(), "基本信息")]

    return Case([path], 1, "核查结果已写入", "Checked copy written to", after=kept)


@case("a real workbook named .xls")
def _(tmp, mp):
    path = put(tmp, "其实是xlsx.xls", seed_bytes())

    def written() -> None:
        assert checked(path).is_file()

    return Case([path], 0, "可报送", "READY TO SEND", after=written)


@case("a workbook without a suffix, upper-case twin")
def _(tmp, mp):
    bare, upper = put(tmp, "自评表", seed_bytes()), put(tmp, "ZIPING.XLSX", seed_bytes())

    def written() -> None:
        assert (tmp / "自评表.checked.xlsx").is_file() and (tmp / "ZIPING.checked.xlsx").is_file()

    return Case([bare, upper], 0, "可报送", "READY TO SEND", after=written)


# --------------------------------------------------------------------------- paths and outputs


@case("output folder not writable (a file is in the way)")
def _(tmp, mp):
    path = book(tmp, "in.xlsx")
    blocker = put(tmp, "报表", b"a file, not a folder")
    return Case([path], 2, "不存在或不是文件夹（原文件未改动）", "is not a folder (the input is unchanged)",
                args=("-o", str(blocker / "out.xlsx")))


@case("output locked (open in Excel)")
def _(tmp, mp):
    path = book(tmp, "in.xlsx")
    target = put(tmp, "in.checked.xlsx", b"yesterday's checked copy, open in Excel")
    real = os.replace

    def locked(src, dst):
        if os.fspath(dst) == str(target):
            raise PermissionError(13, "The process cannot access the file because it is being used", dst)
        return real(src, dst)

    mp.setattr(os, "replace", locked)

    def untouched() -> None:
        assert target.read_bytes() == b"yesterday's checked copy, open in Excel"
        assert sorted(p.name for p in tmp.iterdir()) == ["in.checked.xlsx", "in.xlsx"]  # no temp file left

    return Case([path], 2, "可能正在 Excel/WPS 中打开，请关闭后重试（原文件未改动）", "it may be open in Excel/WPS",
                after=untouched)


@case("output path is a folder")
def _(tmp, mp):
    path = book(tmp, "in.xlsx")
    (tmp / "in.checked.xlsx").mkdir()
    return Case([path], 2, "已有同名的文件夹", "a folder of that name exists")


@case("output is the input")
def _(tmp, mp):
    path = book(tmp, "in.xlsx")
    return Case([path], 2, "输出文件不能与输入文件相同", "must not be the input", args=("-o", str(path)))


@case("the same file twice")
def _(tmp, mp):
    path = book(tmp, "twice.xlsx")
    return Case([path, tmp / "." / "twice.xlsx"], 0, "在本次命令中重复出现，只核查一次",
                "was given twice; checked once")


@case("Chinese characters and spaces in the path")
def _(tmp, mp):
    folder = tmp / "丰顺县 科工商务局" / "2023 年 自评"
    folder.mkdir(parents=True)
    path = book(folder, "部门整体支出 绩效自评表（终稿）.xlsx")

    def written() -> None:
        assert checked(path).is_file()

    return Case([path], 0, "可报送", "READY TO SEND", after=written)


@case("read-only input")
def _(tmp, mp):
    path = book(tmp, "只读.xlsx", build=with_mistakes)
    path.chmod(0o444)
    return Case([path], 1, "收支情况!C5（财政拨款收入", "收支情况!C5 (Fiscal appropriation revenue")


# --------------------------------------------------------------------------- the run


def _invoke(case_: Case, lang: str):
    return CliRunner().invoke(main, ["check", *map(str, case_.paths), *case_.args, "--lang", lang])


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input(name, tmp_path, monkeypatch):
    spec = CASES[name](tmp_path, monkeypatch)
    files = [p for p in spec.paths if p.is_file()]
    before = {p: sha(p) for p in files}
    outputs = {}
    for lang in ("zh", "en"):
        result = _invoke(spec, lang)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            "".join(traceback.format_exception(result.exception)))
        assert "Traceback" not in result.output
        assert result.exit_code == spec.exit_code, result.output
        assert {p: sha(p) for p in files} == before, "an input file changed"
        outputs[lang] = result.output
        if lang == "zh" and spec.after is not None:
            spec.after()  # on the Chinese checked copy, before the English run replaces it
    assert spec.zh in outputs["zh"], outputs["zh"]
    assert spec.en in outputs["en"], outputs["en"]
    assert spec.zh not in outputs["en"], outputs["en"]


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


def test_gbk_console(tmp_path):
    """A Windows console in GBK: no UnicodeEncodeError, Chinese readable, unencodable characters replaced;
    and nothing but our own words (openpyxl warns in English about the x14 validation it drops)."""
    data = H.with_extension(H.to_bytes(with_mistakes()), "收支情况", H.X14_DV_URI, H.X14_DV_BODY)
    path = put(tmp_path, "丰顺县 ☃ 自评.xlsx", data)  # ☃ is not in GBK
    before = sha(path)
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    run = subprocess.run([sys.executable, "-m", "evaltool", "check", str(path)], capture_output=True, env=env,
                         timeout=120)
    out, err = run.stdout.decode("gbk"), run.stderr.decode("gbk")  # strict: every byte is GBK
    assert run.returncode == 1, err
    assert err == ""  # no traceback, no UnicodeEncodeError, no library warning
    assert "收支情况!C5（财政拨款收入 占比(填报)）填报 81.33%" in out
    assert "丰顺县 ? 自评.xlsx" in out
    assert sha(path) == before


def test_openpyxl_parses_through_defusedxml():
    """Behind the guard's DTD check, the checked copy's openpyxl load parses through defusedxml (the reader's
    own second line is tested in test_read.py)."""
    import defusedxml.ElementTree
    from openpyxl.xml import DEFUSEDXML, functions

    assert DEFUSEDXML
    assert functions.iterparse is defusedxml.ElementTree.iterparse


def test_checking_the_checked_copy_again(tmp_path):
    path = book(tmp_path, "again.xlsx", build=with_mistakes)
    first = CliRunner().invoke(main, ["check", str(path)])
    again = CliRunner().invoke(main, ["check", str(checked(path)), "-o", str(tmp_path / "again2.xlsx")])
    assert first.exit_code == again.exit_code == 1
    assert again.output.count("SHR01") == first.output.count("SHR01") == 1
