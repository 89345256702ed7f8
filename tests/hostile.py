"""Build broken and hostile workbooks by code: package surgery on a filled template.

Every file the hostile, preservation and LibreOffice tests feed to evaltool is made here
from the template (via ``Filler``) and a few lines of XML, so nothing is an opaque blob.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from collections.abc import Callable

from evaltool.samples import Filler

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

X14_DV_URI = "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"
SPARKLINE_URI = "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}"


def to_bytes(filler: Filler) -> bytes:
    buf = io.BytesIO()
    filler.save(buf)
    return buf.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def rezip(
    data: bytes,
    *,
    add: dict[str, bytes] | None = None,
    edit: dict[str, Callable[[bytes], bytes]] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """The package ``data`` with parts added, edited (old bytes -> new bytes) or dropped."""
    content = parts(data)
    for name, change in (edit or {}).items():
        content[name] = change(content[name])
    content.update(add or {})
    return zipped({name: blob for name, blob in content.items() if name not in drop})


def zipped(content: dict[str, bytes]) -> bytes:
    """A package of ``content`` (part name -> bytes), as a file's bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in content.items():
            z.writestr(name, blob)
    return out.getvalue()


def insert_before(tag: str, xml: str) -> Callable[[bytes], bytes]:
    """An ``edit`` that puts ``xml`` just before the first ``tag`` (e.g. ``"</Types>"``)."""

    def change(old: bytes) -> bytes:
        text = old.decode("utf-8")
        assert tag in text, tag
        return text.replace(tag, xml + tag, 1).encode("utf-8")

    return change


def override(part: str, content_type: str) -> str:
    return f'<Override PartName="/{part}" ContentType="{content_type}"/>'


def relationship(rid: str, kind: str, target: str) -> str:
    """``kind``: a full relationship type, or its last segment under the Office document namespace."""
    kind = kind if "://" in kind else f"{DOC_REL}/{kind}"
    return f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>'


def rels_part(rels: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL_NS}">{rels}</Relationships>'.encode()


def sheet_part(data: bytes, sheet: str) -> str:
    """The package part holding ``sheet`` (openpyxl writes /xl/worksheets/sheetN.xml)."""
    content = parts(data)
    book = content["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(\w+)"', book)
    assert rid, sheet
    rels = content["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid[1]}"', rels) or re.search(
        rf'<Relationship [^>]*Id="{rid[1]}"[^>]*Target="([^"]+)"', rels
    )
    assert target, rid[1]
    return target[1].lstrip("/") if target[1].startswith("/") else f"xl/{target[1]}"


def sheet_rels(part: str) -> str:
    folder, name = part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


# --------------------------------------------------------------------------- additions


def with_vba(data: bytes) -> bytes:
    """A macro-enabled package: a vbaProject.bin part, its relationship and content type."""
    vba = b"VBA-PROJECT-PLACEHOLDER" + bytes(range(256))  # openpyxl copies it byte for byte
    return rezip(
        data,
        add={"xl/vbaProject.bin": vba},
        edit={
            "[Content_Types].xml": lambda old: insert_before("</Types>", override(
                "xl/vbaProject.bin", "application/vnd.ms-office.vbaProject"))(old).replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
            "xl/_rels/workbook.xml.rels": insert_before("</Relationships>", relationship(
                "rIdVba", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")),
        },
    )


# Worksheet children after <sheetData> that reference other parts, in the order the schema requires.
_SHEET_ORDER = ("drawing", "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls",
                "webPublishItems", "tableParts", "extLst")


def sheet_child(element: str, xml: str) -> Callable[[bytes], bytes]:
    """An ``edit`` that puts ``xml`` (a worksheet child named ``element``) where the schema wants it."""

    def change(old: bytes) -> bytes:
        later = _SHEET_ORDER[_SHEET_ORDER.index(element) + 1:]
        tag = next(t for t in (*(f"<{e}" for e in later), "</worksheet>") if t.encode() in old)
        return insert_before(tag, xml)(old)

    return change


def attach(data: bytes, sheet: str, part: str, blob: bytes, *, kind: str, element: str, content_type: str,
           add: dict[str, bytes] | None = None) -> bytes:
    """Add ``part`` related from ``sheet`` (relationship ``kind``) and referenced by its ``element``."""
    sheet_xml = sheet_part(data, sheet)
    rels = sheet_rels(sheet_xml)
    rel = relationship("rIdAttached", kind, posixpath.relpath(part, posixpath.dirname(sheet_xml)))
    existing = rels in parts(data)
    return rezip(
        data,
        add={part: blob, **(add or {}), **({} if existing else {rels: rels_part(rel)})},
        edit={
            "[Content_Types].xml": insert_before("</Types>", override(part, content_type)),
            sheet_xml: sheet_child(element, f'<{element} xmlns:r="{DOC_REL}" r:id="rIdAttached"/>'),
            **({rels: insert_before("</Relationships>", rel)} if existing else {}),
        },
    )


DRAWING_TYPE = "application/vnd.openxmlformats-officedocument.drawing+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_DRAWING_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    f'xmlns:r="{DOC_REL}"><xdr:oneCellAnchor><xdr:from><xdr:col>8</xdr:col><xdr:colOff>0</xdr:colOff>'
    '<xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="2000000" cy="800000"/>'
)
_DRAWING_CLOSE = "<xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"
TEXT_BOX = (
    '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="文本框 1"/><xdr:cNvSpPr txBox="1"/>'
    '</xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
    "<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>数据来源：2023 年部门决算</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
)
PICTURE = (
    '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="3" name="公章"/><xdr:cNvPicPr/></xdr:nvPicPr>'
    '<xdr:blipFill><a:blip r:embed="rIdImage"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
    '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>'
)


def with_drawing(data: bytes, sheet: str, item: str, media: dict[str, bytes] | None = None) -> bytes:
    """A drawing on ``sheet`` holding ``item`` (``TEXT_BOX``, ``PICTURE`` ...); ``media``: its picture."""
    add = {}
    for name, blob in (media or {}).items():
        add[name] = blob
        add["xl/drawings/_rels/drawing99.xml.rels"] = rels_part(
            relationship("rIdImage", "image", posixpath.relpath(name, "xl/drawings")))
    return attach(data, sheet, "xl/drawings/drawing99.xml", (_DRAWING_OPEN + item + _DRAWING_CLOSE).encode(),
                  kind="drawing", element="drawing", content_type=DRAWING_TYPE, add=add)


def with_extension(data: bytes, sheet: str, uri: str, body: str) -> bytes:
    """A worksheet ``<extLst>`` entry (x14 data validation, sparklines ...)."""
    ext = (f'<extLst><ext uri="{uri}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
           f"{body}</ext></extLst>")
    return rezip(data, edit={sheet_part(data, sheet): sheet_child("extLst", ext)})


X14_DV_BODY = (
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>基本信息!$B$5:$B$6</xm:f></x14:formula1>'
    "<xm:sqref>H3</xm:sqref></x14:dataValidation></x14:dataValidations>"
)
SPARKLINE_BODY = (
    '<x14:sparklineGroups xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    "<x14:sparklineGroup><x14:sparklines><x14:sparkline><xm:f>收支情况!B5:B13</xm:f><xm:sqref>H5</xm:sqref>"
    "</x14:sparkline></x14:sparklines></x14:sparklineGroup></x14:sparklineGroups>"
)


def with_part(data: bytes, part: str, blob: bytes, content_type: str | None = None) -> bytes:
    """A part openpyxl does not know (WPS cell images, an OLE object ...), declared in the manifest."""
    edit = {"[Content_Types].xml": insert_before("</Types>", override(part, content_type))} if content_type else {}
    return rezip(data, add={part: blob}, edit=edit)


def with_external_link(data: bytes) -> bytes:
    """An external workbook reference (``[1]``) and a formula using it, with a cached result."""
    link = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<externalLink xmlns="{MAIN_NS}" xmlns:r="{DOC_REL}"><externalBook r:id="rId1">'
        '<sheetNames><sheetName val="决算"/></sheetNames><sheetDataSet><sheetData sheetId="0">'
        '<row r="1"><cell r="A1"><v>2914.41</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>'
    )
    link_rels = rels_part(
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'externalLinkPath" Target="file:///D:/决算/2023决算.xlsx" TargetMode="External"/>'
    )
    return rezip(
        data,
        add={"xl/externalLinks/externalLink1.xml": link.encode(),
             "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels},
        edit={
            "[Content_Types].xml": insert_before("</Types>", override(
                "xl/externalLinks/externalLink1.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml")),
            "xl/_rels/workbook.xml.rels": insert_before("</Relationships>", relationship(
                "rIdLink1", "externalLink", "externalLinks/externalLink1.xml")),
            "xl/workbook.xml": lambda old: old.replace(b"</sheets>", (
                f'</sheets><externalReferences><externalReference xmlns:r="{DOC_REL}" r:id="rIdLink1"/>'
                "</externalReferences>").encode(), 1),
        },
    )


def with_formula(data: bytes, sheet: str, coord: str, formula: str, cached: str | None) -> bytes:
    """Replace cell ``coord`` of ``sheet`` by ``formula`` with ``cached`` as its saved result."""
    part = sheet_part(data, sheet)
    cell = re.compile(rf'<c r="{coord}"([^>]*?)(?:/>|>.*?</c>)'.encode(), re.S)

    def change(old: bytes) -> bytes:
        m = cell.search(old)
        assert m, coord
        style = re.search(rb's="\d+"', m[1])
        value = f"<v>{cached}</v>" if cached is not None else ""
        new = f'<c r="{coord}"{" " + style[0].decode() if style else ""}><f>{formula}</f>{value}</c>'
        return old[: m.start()] + new.encode() + old[m.end():]

    return rezip(data, edit={part: change})


# --------------------------------------------------------------------------- an officer's package


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")
CUSTOM_XML = {
    "customXml/item1.xml": b'<?xml version="1.0" encoding="UTF-8"?><b:Sources xmlns:b="urn:x-evaltool:test"/>',
    "customXml/itemProps1.xml": (b'<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem '
                                 b'ds:itemID="{6C1E0C11-0000-4000-8000-000000000001}" xmlns:ds="http://schemas.'
                                 b'openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>'),
    "customXml/_rels/item1.xml.rels": rels_part(relationship("rId1", "customXmlProps", "itemProps1.xml")),
}
CELL_IMAGES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><etc:cellImages xmlns:etc="http://www.wps.cn/'
               b'officeDocument/2017/etCustomData" xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/'
               b'spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://'
               b'schemas.openxmlformats.org/officeDocument/2006/relationships"><etc:cellImage><xdr:pic><xdr:nvPicPr>'
               b'<xdr:cNvPr id="2" name="ID_1"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId1"/>'
               b'</xdr:blipFill><xdr:spPr/></xdr:pic></etc:cellImage></etc:cellImages>')


def officer_package() -> bytes:
    """The mistakes sample as an officer sends it upward: everything openpyxl cannot carry."""
    from openpyxl.comments import Comment
    from openpyxl.packaging.custom import StringProperty

    from tests.fillers import with_mistakes

    f = with_mistakes()
    fin = f.wb["收支情况"]
    fin["A5"].comment = Comment("决算报表 财决01表", "吴家峰")
    fin["C5"].comment = Comment("按初稿计算", "吴家峰")  # on a flagged cell: kept above our text
    fin["H4"], fin["H5"], fin["H6"] = "核对", 0, 0
    f.wb.custom_doc_props.append(StringProperty(name="审核人", value="张三"))
    data = to_bytes(f)
    data = with_formula(data, "收支情况", "H5", "B5/B14", "0.81317659491972")  # results openpyxl would drop
    data = with_formula(data, "收支情况", "H6", "SUM(B5:B13)", "2914.41")
    data = with_drawing(data, "基本信息", PICTURE, {"xl/media/seal.png": PNG})
    text_box = (_DRAWING_OPEN + TEXT_BOX + _DRAWING_CLOSE).encode()
    data = attach(data, "绩效目标", "xl/drawings/drawing98.xml", text_box, kind="drawing", element="drawing",
                  content_type=DRAWING_TYPE)
    data = with_extension(data, "收支情况", X14_DV_URI, X14_DV_BODY)
    data = with_extension(data, "运行成本", SPARKLINE_URI, SPARKLINE_BODY)
    wps = relationship("rIdCellImages", "http://www.wps.cn/officeDocument/2020/cellImage", "cellimages.xml")
    props = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
    types = (override("customXml/itemProps1.xml", props)
             + '<Default Extension="png" ContentType="image/png"/>'
             + '<Default Extension="data" ContentType="application/octet-stream"/>')
    return rezip(
        data,
        add={"xl/cellimages.xml": CELL_IMAGES, "xl/media/image9.png": PNG, "xl/model/item.data": bytes(range(256)),
             "xl/_rels/cellimages.xml.rels": rels_part(relationship("rId1", "image", "media/image9.png")),
             "evaltool-test/unknown.xml": b"<x/>", **CUSTOM_XML},
        edit={"xl/_rels/workbook.xml.rels": insert_before("</Relationships>", wps + relationship(
                  "rIdCustomXml", "customXml", "../customXml/item1.xml")),
              "[Content_Types].xml": insert_before("</Types>", types)},
    )


# --------------------------------------------------------------------------- hostile packages


def billion_laughs(data: bytes, part: str) -> bytes:
    """``part`` replaced by an entity-expansion bomb (about 10**9 characters if expanded)."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'
            f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    return rezip(data, add={part: bomb.encode()})


def zip_bomb(data: bytes, megabytes: int = 64) -> bytes:
    """A valid package plus one part of ``megabytes`` zeros, compressing about 1000:1."""
    return rezip(data, add={"xl/media/padding.bin": bytes(megabytes * 1024 * 1024)})


def ole_file(streams: tuple[str, ...]) -> bytes:
    """An OLE2 compound file header followed by directory entries named ``streams`` (UTF-16LE).

    Enough for a sniffer (the signature and the stream names), not a readable compound file:
    what an encrypted .xlsx or an old .xls looks like to a program that does not open it.
    """
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    header = header.ljust(512, b"\0")
    entries = b"".join(
        (name.encode("utf-16-le") + b"\0\0").ljust(64, b"\0") + struct.pack("<H", 2 * len(name) + 2) + bytes(62)
        for name in ("Root Entry", *streams)
    )
    return header + entries.ljust(4096, b"\0")


def password_flagged(data: bytes) -> bytes:
    """``data`` with every entry marked encrypted (general purpose bit 0), as a zip tool with a password
    marks it; ``zipfile`` cannot write that flag, so the headers are patched in place."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        central = z.start_dir
    for info in infos:
        out[info.header_offset + 6] |= 0x1  # local file header: flags at byte 6
    pos = central
    for _ in infos:
        assert out[pos:pos + 4] == b"PK\x01\x02"
        out[pos + 8] |= 0x1  # central directory entry: flags at byte 8
        name, extra, comment = struct.unpack("<HHH", out[pos + 28:pos + 34])
        pos += 46 + name + extra + comment
    return bytes(out)
