"""Files from the wild, made by code: what officers and 财政局 staff keep in their folders besides our template.

Every file is bytes written here (zip and XML by hand, or package surgery on the committed clean sample), so
nothing is an opaque blob: minimal packages, packages missing optional parts, backslash and differently cased
part names, pivot caches, alternate content, old BIFF2–BIFF8 headers, CSVs in several encodings, truncated and
fuzzed archives, encrypted (compound file) and Strict OOXML packages, .xlsb and .ods.  ``CORPUS`` names each
file with the message key evaltool must answer it with (None: it is read and checked) and the exit code.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from evaltool.workbook.layout import sheet_names
from tests.hostile import CT_NS, DOC_REL, MAIN_NS, REL_NS, ole_file, rezip, with_vba

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "fengshun-2023.xlsx"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
BOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


@cache
def sample() -> bytes:
    return SAMPLE.read_bytes()


_INLINE = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S)


@cache
def shared() -> bytes:
    """The sample as Excel saves it: strings in xl/sharedStrings.xml (the sample writes them inline)."""
    strings: dict[bytes, int] = {}

    def to_shared(m: re.Match[bytes]) -> bytes:
        index = strings.setdefault(m[3], len(strings))
        return b'<c %st="s"%s><v>%d</v></c>' % (m[1], m[2], index)

    content = entries(sample())
    for name in [n for n in content if n.startswith("xl/worksheets/")]:
        content[name] = _INLINE.sub(to_shared, content[name])
    items = "".join(f"<si><t>{t.decode()}</t></si>" for t in strings)
    content["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN_NS}" uniqueCount="{len(strings)}">{items}</sst>'.encode()
    content["[Content_Types].xml"] = _insert("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType='
                                             '"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                             'sharedStrings+xml"/>')(content["[Content_Types].xml"])
    content["xl/_rels/workbook.xml.rels"] = _insert("</Relationships>", f'<Relationship Id="rIdSst" '
                                                    f'Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
                                                    )(content["xl/_rels/workbook.xml.rels"])
    return zip_of(content)


def zip_of(content: dict[str, bytes | str]) -> bytes:
    """A zip of ``content`` in the order given (names exactly as given: backslashes and cases kept)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in content.items():
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), blob)
    return out.getvalue()


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def minimal_package(*, main_type: str = BOOK_TYPE, book: str = "xl/workbook.xml", ns: str = MAIN_NS) -> bytes:
    """The least a spreadsheet program accepts: content types, the package and workbook relationships, a
    workbook and one sheet with an inline string; no styles, shared strings, theme or document properties."""
    folder = book.rsplit("/", 1)[0]
    return zip_of({
        "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT_NS}">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                               'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               f'<Override PartName="/{book}" ContentType="{main_type}"/>'
                               f'<Override PartName="/{folder}/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}"/>'
                               "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" '
                       f'Type="{DOC_REL}/officeDocument" Target="{book}"/></Relationships>',
        f"{folder}/_rels/{book.rsplit('/', 1)[1]}.rels":
            f'<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" Type="{DOC_REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        book: f'<workbook xmlns="{ns}" xmlns:r="{DOC_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
              "</sheets></workbook>",
        f"{folder}/worksheets/sheet1.xml": f'<worksheet xmlns="{ns}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
                                           "<is><t>部门名称</t></is></c><c r=\"B1\"><v>1</v></c></row></sheetData>"
                                           "</worksheet>",
    })


def without(data: bytes, *prefixes: str) -> bytes:
    """``data`` without the parts under ``prefixes``, nor their content types and relationships (a valid
    package that simply lacks them, as some programs write)."""
    content = entries(data)
    gone = [n for n in content if n.startswith(prefixes)]
    for name in gone:
        del content[name]
        for key, blob in list(content.items()):
            if key.endswith((".rels", "[Content_Types].xml")):
                base = name.rsplit("/", 1)[1]
                pattern = rf'<(Override|Relationship)\b[^>]*"[^"]*(/|^|"){re.escape(base)}"[^>]*/>'
                if key == "[Content_Types].xml":
                    pattern = rf'<Override\b[^>]*PartName="/{re.escape(name)}"[^>]*/>'
                content[key] = re.sub(pattern.encode(), b"", blob)
    return zip_of(content)


def renamed(data: bytes, rename: Callable[[str], str]) -> bytes:
    """``data`` with every zip entry renamed (the package's own references left as they are)."""
    return zip_of({rename(name): blob for name, blob in entries(data).items()})


def backslashed(data: bytes) -> bytes:
    """Entries named with Windows separators (xl\\worksheets\\sheet1.xml), as some zip tools write."""
    return renamed(data, lambda n: n.replace("/", "\\"))


def recased(data: bytes) -> bytes:
    """Entries named in other letter cases than the package's references ([content_types].xml, XL/…)."""
    return renamed(data, lambda n: "[content_types].xml" if n == "[Content_Types].xml"
                   else n.replace("xl/worksheets/", "xl/Worksheets/").replace("sharedStrings", "SharedStrings"))


def with_pivot_cache(data: bytes) -> bytes:
    """A pivot cache definition and its records, related from the workbook (openpyxl choked on these)."""
    definition = (f'<pivotCacheDefinition xmlns="{MAIN_NS}" xmlns:r="{DOC_REL}" r:id="rId1" refreshOnLoad="1" '
                  'recordCount="1"><cacheSource type="worksheet"><worksheetSource ref="A1:B2" sheet="收支情况"/>'
                  '</cacheSource><cacheFields count="1"><cacheField name="项目" numFmtId="0"><sharedItems/>'
                  "</cacheField></cacheFields></pivotCacheDefinition>")
    records = f'<pivotCacheRecords xmlns="{MAIN_NS}" count="1"><r><s v="x"/></r></pivotCacheRecords>'
    pc = "xl/pivotCache/pivotCacheDefinition1.xml"
    return rezip(data, add={
        pc: definition.encode(),
        "xl/pivotCache/pivotCacheRecords1.xml": records.encode(),
        "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": (
            f'<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" Type="{DOC_REL}/pivotCacheRecords" '
            'Target="pivotCacheRecords1.xml"/></Relationships>').encode(),
    }, edit={
        "[Content_Types].xml": _insert("</Types>", f'<Override PartName="/{pc}" ContentType="application/vnd.'
                                       'openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml"/>'),
        "xl/_rels/workbook.xml.rels": _insert("</Relationships>", f'<Relationship Id="rIdPc1" '
                                              f'Type="{DOC_REL}/pivotCacheDefinition" '
                                              'Target="pivotCache/pivotCacheDefinition1.xml"/>'),
        "xl/workbook.xml": _insert("</workbook>", f'<pivotCaches><pivotCache cacheId="1" r:id="rIdPc1" '
                                   f'xmlns:r="{DOC_REL}"/></pivotCaches>'),
    })


def with_alternate_content(data: bytes) -> bytes:
    """Markup-compatibility blocks, as Excel 2010+ writes them in workbook.xml and in a sheet."""
    block = (f'<mc:AlternateContent xmlns:mc="{MC_NS}"><mc:Choice Requires="x15"><x15ac:absPath '
             'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" url="D:\\自评\\"/>'
             "</mc:Choice></mc:AlternateContent>")
    return rezip(data, edit={"xl/workbook.xml": _insert("<sheets>", block)})


def with_sheet_state(data: bytes, state: str) -> bytes:
    """The last sheet given a state in another spelling (openpyxl refused anything but its three words)."""
    def change(old: bytes) -> bytes:
        head, sep, tail = old.rpartition(b"<sheet ")
        return head + sep + re.sub(rb'state="\w*"', f'state="{state}"'.encode(), tail, count=1)
    return rezip(data, edit={"xl/workbook.xml": change})


def _insert(tag: str, xml: str) -> Callable[[bytes], bytes]:
    def change(old: bytes) -> bytes:
        i = old.find(tag.encode())
        assert i >= 0, tag
        return old[:i] + xml.encode() + old[i:]
    return change


def strict(data: bytes) -> bytes:
    """A "Strict Open XML" package: the ISO namespaces instead of the transitional ones."""
    return minimal_package(ns="http://purl.oclc.org/ooxml/spreadsheetml/main")


def xlsb() -> bytes:
    return minimal_package(main_type="application/vnd.ms-excel.sheet.binary.macroEnabled.main", book="xl/workbook.bin")


def ods() -> bytes:
    return zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                   "content.xml": '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                                  'office:1.0"/>',
                   "META-INF/manifest.xml": "<manifest/>"})


# BOF record of each BIFF version: record id, then the version, the sheet kind (workbook globals) and a build.
_BIFF_BOF = {2: b"\x09\x00\x04\x00\x02\x00\x10\x00", 3: b"\x09\x02\x06\x00\x00\x03\x10\x00\x00\x00",
             4: b"\x09\x04\x06\x00\x00\x04\x00\x01\x00\x00"}


def biff(version: int) -> bytes:
    """An old .xls: BIFF2–4 are a bare record stream (BOF, a LABEL, EOF); BIFF5 and 8 live in a compound file
    (a "Book" or a "Workbook" stream)."""
    if version == 5:
        return ole_file(("Book",))
    if version == 8:
        return ole_file(("Workbook", "\x05SummaryInformation"))
    label = b"\x04\x00\x0c\x00\x00\x00\x00\x00\x00\x00\x00\x05" + b"total"  # LABEL A1 "total"
    return _BIFF_BOF[version] + label + b"\x0a\x00\x00\x00"


CONTROL_CSV = b"1,\x01,\x01\r\n2,\x02,\x02\r\n"  # a CSV of control characters (SheetJS's xlrd_reveng1)
CSV_TEXT = "部门名称,本年收入合计,财政拨款收入\n丰顺县科工商务局,2914.41,2369.93\n"
GREEK_TEXT = "Τμήμα,Έσοδα,Δαπάνες\nΥπουργείο Οικονομικών,2914.41,2369.93\n"


def csv(encoding: str) -> bytes:
    return (GREEK_TEXT if encoding == "iso-8859-7" else CSV_TEXT).encode(encoding)


def report_pdf(text: str) -> bytes:
    """A one-page PDF report with a text layer and a cross-reference table pointing nowhere (as some export
    tools write it): pdfminer falls back to scanning the file, and may warn while it does."""
    stream = b"BT /F1 12 Tf 20 100 Td (" + text.encode() + b") Tj ET"
    objects = (b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (i, o) for i, o in enumerate(objects, 1))
    return (b"%PDF-1.4\n" + body + b"xref\n0 6\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R >>\n"
            b"startxref\n999999\n%%EOF\n")


def fuzzed(data: bytes, seed: int, flips: int = 40) -> bytes:
    """``data`` with bytes overwritten at random places past the first local header (deterministic)."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        out[rng.randrange(64, len(out))] = rng.randrange(256)
    return bytes(out)


def lost_percent(data: bytes) -> bytes:
    """The workbook re-saved through pandas/openpyxl without number formats: every % cell shows General."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if "%" in (cell.number_format or ""):
                    cell.number_format = "General"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Wild:
    name: str
    make: Callable[[], bytes]
    key: str | None  # the message it gets (None: read and checked)
    exit_code: int
    params: tuple[tuple[str, object], ...] = ()  # the message's parameters besides the path


NOT_OURS = (("missing", sheet_names()),)
CORPUS: tuple[Wild, ...] = (
    # valid, unusual packages of our template: read and checked like the sample
    Wild("no-theme-docprops.xlsx", lambda: without(sample(), "xl/theme/", "docProps/"), None, 0),
    Wild("backslash.xlsx", lambda: backslashed(sample()), None, 0),
    Wild("recased.xlsx", lambda: recased(shared()), None, 0),
    Wild("pivot-cache.xlsx", lambda: with_pivot_cache(sample()), None, 0),
    Wild("alternate-content.xlsx", lambda: with_alternate_content(sample()), None, 0),
    Wild("sheet-state.xlsx", lambda: with_sheet_state(sample(), "VeryHidden"), None, 0),
    Wild("macro.xlsm", lambda: with_vba(sample()), None, 0),
    Wild("shared-strings.xlsx", shared, None, 0),
    # valid packages that are not our template
    Wild("minimal.xlsx", minimal_package, "not_template", 2, NOT_OURS),
    Wild("minimal-macro.xlsm", lambda: with_vba(minimal_package()), "not_template", 2, NOT_OURS),
    Wild("minimal-backslash.xlsx", lambda: backslashed(minimal_package()), "not_template", 2, NOT_OURS),
    # a part the cells need is missing: named, not called damaged
    Wild("no-shared-strings.xlsx", lambda: rezip(shared(), drop=("xl/sharedStrings.xml",)), "part_missing", 2,
         (("part", "xl/sharedStrings.xml"),)),
    Wild("no-styles.xlsx", lambda: without(sample(), "xl/styles.xml"), "part_missing", 2,
         (("part", "xl/styles.xml"),)),  # optional, but its cells name styles
    Wild("no-sheet-part.xlsx", lambda: rezip(sample(), drop=("xl/worksheets/sheet3.xml",)), "part_missing", 2,
         (("part", "xl/worksheets/sheet3.xml"),)),
    Wild("no-content-types.xlsx", lambda: rezip(sample(), drop=("[Content_Types].xml",)), "part_missing", 2,
         (("part", "[Content_Types].xml"),)),
    Wild("no-workbook-part.xlsx", lambda: rezip(sample(), drop=("xl/workbook.xml",)), "part_missing", 2,
         (("part", "xl/workbook.xml"),)),
    # old .xls of every BIFF version, whatever they are named
    *(Wild(f"biff{v}.xls", lambda v=v: biff(v), "old_xls", 2) for v in (2, 3, 4, 5, 8)),
    Wild("biff4-named.xlsx", lambda: biff(4), "old_xls", 2),
    # CSVs in several encodings
    *(Wild(f"data-{enc}.csv", lambda enc=enc: csv(enc), "text_file", 2)
      for enc in ("utf-8", "utf-8-sig", "gbk", "utf-16", "iso-8859-7")),
    Wild("control-characters.csv", lambda: CONTROL_CSV, "text_file", 2),
    # damaged: truncated and fuzzed archives
    Wild("truncated-half.xlsx", lambda: sample()[: len(sample()) // 2], "truncated", 2),
    Wild("truncated-end.xlsx", lambda: sample()[:-10], "truncated", 2),
    # (a size field fuzzed to claim a part 200× its compressed size is refused as a bomb: the guard cannot
    # tell a lying header from a hostile one; a fuzzed end of central directory reads as a cut-off file)
    *(Wild(f"fuzzed-{seed}.xlsx", lambda seed=seed: fuzzed(sample(), seed), key, 2, (("part", part),))
      for seed, (key, part) in enumerate((("zip_bomb", "xl/worksheets/sheet4.xml"),
                                          *[("zip_corrupt", "xl/theme/theme1.xml")] * 3,
                                          ("zip_corrupt", "xl/worksheets/sheet1.xml"),
                                          ("zip_corrupt", "docProps/core.xml")))),
    Wild("fuzzed-directory.xlsx", lambda: sample()[:-200] + fuzzed(sample()[-200:], 7, 30), "truncated", 2),
    Wild("bad-central-directory.xlsx", lambda: sample().replace(b"PK\x01\x02", b"PK\x01\x00", 1), "zip_damaged", 2),
    Wild("自评报告.pdf", lambda: report_pdf("Self-evaluation report 2023"), None, 0),
    # kinds with their own message
    Wild("~$lock.xlsx", lambda: b"\x0bofficer" + bytes(150), "lock_file", 2),
    Wild("export.xls", lambda: "<html><body><table><tr><td>部门</td></tr></table></body></html>".encode(),
         "html_file", 2),
    Wild("empty.xlsx", lambda: b"", "file_empty", 2),
    Wild("noise.xlsx", lambda: random.Random(9).randbytes(3000), "not_xlsx", 2,
         (("suffix", ".xlsx"),)),
    Wild("encrypted.xlsx", lambda: ole_file(("EncryptedInfo", "EncryptedPackage")), "encrypted", 2),
    Wild("strict.xlsx", lambda: strict(sample()), "strict_ooxml", 2),
    Wild("binary.xlsb", xlsb, "xlsb_file", 2),
    Wild("open.ods", ods, "ods_file", 2),
)
