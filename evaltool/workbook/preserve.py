"""What the checked copy cannot keep: the input's package against what openpyxl writes back.

openpyxl keeps cells, formulas, styles, data validations, conditional formats, comments,
merged ranges, defined names, hidden states, tables, charts, pivot tables, external links
and, for a macro-enabled name, the macros.  It drops the rest of DrawingML (shapes, text
boxes, SmartArt, and pictures when Pillow is missing or they are WMF/EMF), worksheet
extensions (x14 data validations and conditional formats, sparklines, slicers), OLE objects,
form controls, threaded comments, WPS cell images and Excel rich data.  ``losses`` lists
each of these the input really has, as messages for 核查汇总 and the console; the input
file is never changed.

Dropped silently, being rebuilt or of no use to the officer: calcChain, printer settings,
chart style parts, thumbnails, custom XML data parts.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter

from defusedxml import ElementTree

from evaltool.findings import Phrase
from evaltool.workbook.xlsxcache import main_part, relationships, rels_of, sheet_parts

_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_ANCHORS = ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor")
_SHAPES = ("sp", "cxnSp", "grpSp", "graphicFrame", "contentPart", "AlternateContent")
_UNSAVABLE_PICTURES = (".wmf", ".emf")  # openpyxl drops what Pillow reports as WMF

# Worksheet <extLst> entries by uri (upper case), as openpyxl's EXT_TYPES names them.
_X14_VALIDATION = "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}"
_X14_FORMATTING = "{78C0D931-6437-407D-A8EE-F0AAD7539E65}"
_SPARKLINES = "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}"
_SILENT_EXTENSIONS = frozenset({
    "{01252117-D84E-4E92-8308-4BE1C098FCBB}",  # ignored errors: the green triangles come back
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}", "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}",  # slicer lists:
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}",  # and timelines, reported once from their parts
})
# What each extension counts: one of these elements per item.
_EXTENSION_ITEMS = {_X14_VALIDATION: "dataValidation", _X14_FORMATTING: "conditionalFormatting",
                    _SPARKLINES: "sparklineGroup"}
_EXTENSION_KEYS = {_X14_VALIDATION: "lost_x14_validation", _X14_FORMATTING: "lost_x14_formatting",
                   _SPARKLINES: "lost_sparklines"}
# A cheap test before a sheet's XML is parsed: does it hold anything that could be lost?
_SHEET_RISK = re.compile(rb"<(?:\w+:)?(?:extLst|oleObjects|controls|picture)\b")

# Parts openpyxl writes back, rebuilds, or that are checked element by element elsewhere here.
_KNOWN_PARTS = re.compile(
    r"""^(?:\[Content_Types\]\.xml|_rels/\.rels|docProps/(?:app|core|custom)\.xml|docProps/thumbnail\.\w+
    |customXml/.*
    |xl/(?:styles|sharedStrings|calcChain|cellimages)\.xml|xl/_rels/cellimages\.xml\.rels
    |xl/(?:theme|worksheets|chartsheets|comments|drawings|charts|media|tables|pivotTables|pivotCache
          |externalLinks|ctrlProps|activeX|printerSettings|embeddings|threadedComments|persons|richData
          |slicers|slicerCaches|timelines|timelineCaches)/.*
    |xl/comments\d*\.xml|xl/vba.*)$""",
    re.X,
)
_SLICER_PARTS = ("xl/slicers/", "xl/slicerCaches/", "xl/timelines/", "xl/timelineCaches/")


def images_kept() -> bool:
    """openpyxl keeps pictures only when Pillow can load them."""
    from openpyxl.drawing.image import PILImage

    return bool(PILImage)


def losses(path: str, *, macros_kept: bool) -> list[Phrase]:
    """Everything in the package at ``path`` that the checked copy will not have, one message each.

    ``macros_kept``: whether the copy keeps the VBA project (a macro-enabled output name).
    """
    out: list[Phrase] = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for sheet, part in sheet_parts(z).items():
            if part not in names:
                continue
            out += _sheet_losses(z, sheet, part)
            for kind, target in relationships(z, part).values():
                if target not in names:
                    continue
                if kind == "drawing":
                    out += _drawing_losses(z, sheet, target)
                elif kind == "vmlDrawing" and not macros_kept:  # with macros openpyxl keeps the VML as is
                    out += _vml_losses(z, sheet, target)
        out += _package_losses(z, names, macros_kept)
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_losses(z: zipfile.ZipFile, sheet: str, part: str) -> list[Phrase]:
    with z.open(part) as fh:
        if _SHEET_RISK.search(fh.read()) is None:
            return []
    counts: Counter[str] = Counter()
    background = False
    stack: list[str] = []
    uri = ""
    with z.open(part) as fh:
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):
            name = _local(el.tag)
            if event == "end":
                stack.pop()
                if name == "row":
                    el.clear()  # cells are not needed here: keep memory flat
                continue
            parent = stack[-1] if stack else ""
            stack.append(name)
            if name == "oleObject" and parent == "oleObjects":
                counts["lost_ole"] += 1
            elif name == "control" and parent == "controls":
                counts["lost_controls"] += 1
            elif name == "picture" and parent == "worksheet":
                background = True
            elif name == "ext" and parent == "extLst" and len(stack) == 3:
                uri = (el.get("uri") or "").upper()
                if uri not in _EXTENSION_ITEMS and uri not in _SILENT_EXTENSIONS:
                    counts[f"ext:{el.get('uri')}"] += 1
            elif len(stack) > 3 and stack[1] == "extLst" and _EXTENSION_ITEMS.get(uri) == name:
                counts[_EXTENSION_KEYS[uri]] += 1
    out = [Phrase("lost_background", {"sheet": sheet})] if background else []
    for key, n in counts.items():
        if key.startswith("ext:"):
            out.append(Phrase("lost_extension", {"sheet": sheet, "name": key[4:]}))
        else:
            out.append(Phrase(key, {"sheet": sheet, "count": n}))
    return out


def _drawing_losses(z: zipfile.ZipFile, sheet: str, part: str) -> list[Phrase]:
    root = ElementTree.fromstring(z.read(part))
    targets = {rid: target for rid, (_, target) in relationships(z, part).items()}
    keep_pictures = images_kept()
    shapes = pictures = 0
    for anchor in root:
        if _local(anchor.tag) not in _ANCHORS:
            continue
        for item in anchor:
            name = _local(item.tag)
            if name == "pic":
                blip = next((e for e in item.iter() if _local(e.tag) == "blip"), None)
                target = targets.get(blip.get(f"{{{_DOC_REL}}}embed", "") if blip is not None else "", "")
                pictures += not keep_pictures or target.lower().endswith(_UNSAVABLE_PICTURES)
            elif name == "graphicFrame":
                data = next((e for e in item.iter() if _local(e.tag) == "graphicData"), None)
                shapes += data is None or data.get("uri") != _CHART_URI
            elif name in _SHAPES:
                shapes += 1
    out = []
    if pictures:
        out.append(Phrase("lost_images", {"sheet": sheet, "count": pictures}))
    if shapes:
        out.append(Phrase("lost_shapes", {"sheet": sheet, "count": shapes}))
    return out


_VML_OBJECT = re.compile(rb'ObjectType\s*=\s*"(\w+)"')


def _vml_losses(z: zipfile.ZipFile, sheet: str, part: str) -> list[Phrase]:
    """Form controls live in the legacy VML drawing beside the comments' boxes (VML is not always XML)."""
    controls = sum(1 for kind in _VML_OBJECT.findall(z.read(part)) if kind != b"Note")
    return [Phrase("lost_controls", {"sheet": sheet, "count": controls})] if controls else []


def _package_losses(z: zipfile.ZipFile, names: set[str], macros_kept: bool) -> list[Phrase]:
    out = []
    if not macros_kept and any(n.lower().endswith("vbaproject.bin") for n in names):
        out.append(Phrase("lost_vba", {}))
    threaded = sum(len(re.findall(rb"<(?:\w+:)?threadedComment\b", z.read(n)))
                   for n in sorted(names) if n.startswith("xl/threadedComments/"))
    if threaded:
        out.append(Phrase("lost_threaded_comments", {"count": threaded}))
    if "xl/cellimages.xml" in names:
        count = len(re.findall(rb"<(?:\w+:)?cellImage\b", z.read("xl/cellimages.xml")))
        out.append(Phrase("lost_wps_images", {"count": count}))
    if any(n.startswith("xl/richData/") for n in names):
        out.append(Phrase("lost_rich_data", {"part": "xl/richData"}))
    slicer = next((n for n in sorted(names) if n.startswith(_SLICER_PARTS)), None)
    if slicer is not None:
        out.append(Phrase("lost_slicers", {"where": slicer}))
    main = main_part(z)
    own = {main[0], rels_of(main[0])} if main else set()
    out += [Phrase("lost_part", {"part": n}) for n in sorted(names - own)
            if not n.endswith("/") and not _KNOWN_PARTS.match(n)]
    return out
