"""The look of everything evaltool writes into a workbook: fills, fonts, widths, text limits.

One place, so the marks, 核查结果 and 核查汇总 (and the county summary) agree.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

from evaltool.findings import Severity
from evaltool.text.catalogue import tr
from evaltool.workbook.cellstyles import Edge

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

# Fills: light red / orange / light green.  The warning orange must never look like the template's
# input yellow FFF2CC (a cell still to be filled in): FFEB9C is ΔE 21 from it (CIE L*a*b*) and the
# light orange FCD5B4 only 13; F4B183 (Excel's "Orange, Accent 2, lighter 40%") is ΔE 31 from it and
# the darkest mark (L* 78 against 96), so it stays apart in a grey print too, where black text still
# reads on it.
FILL_ERROR = "FFC7CE"
FILL_WARNING = "F4B183"
FILL_FIXED = "C6EFCE"
FILL_INFO = "DDEBF7"
FILL_EXPLAIN = "FFF2CC"  # the column the officer fills in: the template's own input yellow
FILL_HEADER = "D9D9D9"
SEVERITY_FILL = {Severity.ERROR: FILL_ERROR, Severity.WARNING: FILL_WARNING, Severity.INFO: FILL_INFO}
# A mark's border, on the cell's own format: a black-and-white print loses the fills, so the line style
# tells the marks apart there (solid error, dashed warning, double corrected), in a dark shade of the fill.
EDGE_ERROR = Edge("medium", "9C0006")
EDGE_WARNING = Edge("mediumDashed", "C65911")
EDGE_FIXED = Edge("double", "006100")
SEVERITY_EDGE = {Severity.ERROR: EDGE_ERROR, Severity.WARNING: EDGE_WARNING}
FILL_GOOD = "E2EFDA"  # 良 in the county summary
FONT_ERROR = "9C0006"
FONT_WARNING = "9C5700"
FONT_OK = "006100"
FONT_GOOD = "375623"
FONT_LINK = "0563C1"

# Every font we write is named: a font without a name (bold in particular) is drawn by LibreOffice
# in a serif face.  宋体 is what official Chinese documents use; the English copy uses it too, since
# its sheets still hold the officer's Chinese labels and one face keeps the rows even.
FONT_NAME = "宋体"
FONT_SIZE = 11
FONT_CHARSET = 134  # GB2312: tells Excel the face is for Chinese text
# As Excel writes 宋体; scheme "none", or Excel shows the theme's font (Calibri) instead of the name.
FONT = {"font_name": FONT_NAME, "font_size": FONT_SIZE, "font_charset": FONT_CHARSET, "font_family": 3,
        "font_scheme": "none"}
CHART_FONT = {"name": FONT_NAME, "size": 10, "charset": FONT_CHARSET}
MAX_LINKS = 65530  # Excel's limit of hyperlinks per worksheet
A4 = 9  # xlsxwriter's paper size code

COMMENT_WIDTH = 300  # px
COMMENT_LINE_UNITS = 44  # half-width characters per comment line at 300 px
COMMENT_LINE_PX = 16
MAX_TEXT = 32000  # Excel: 32767 characters per cell / comment

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: object) -> str:
    """Text a workbook can store: no control characters, within Excel's length limit."""
    return _ILLEGAL.sub("", str(text))[:MAX_TEXT]


def fill(rgb: str):
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


# XlsxWriter writes only the data-label flags that are on; LibreOffice and WPS take an absent showCatName
# or showSerName for "show" and printed "财政拨款收入占比; 重算值; 81.32%" on every bar.  Every flag is
# written, off but the value, as Excel itself writes them (in the schema's order).
_VALUE_ONLY = (b'<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
               b'<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>')


def value_labels_only(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The parts of an XlsxWriter package with each chart's data labels showing the value alone."""
    return {name: data.replace(b'<c:showVal val="1"/></c:dLbls>', _VALUE_ONLY)
            if name.startswith("xl/charts/chart") else data for name, data in parts.items()}


def xlsx_parts(data: bytes) -> dict[str, bytes]:
    """The parts of the .xlsx ``data`` (XlsxWriter's, written in memory), in the zip's order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def write_text(ws: Worksheet, row: int, col: int, text: object, fmt: Format) -> None:
    """Text as text (never a formula or a number), cleaned; nothing written as a blank with ``fmt``."""
    text = clean(text)
    if text:
        ws.write_string(row, col, text, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


def workbook_options() -> dict[str, Any]:
    """xlsxwriter options for a workbook built in memory: text stays text (a department named "=…" or
    "0123" is neither a formula nor a number) and the default style uses our font."""
    return {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "default_format_properties": dict(FONT)}


class Formats:
    """The cell formats of one xlsxwriter workbook, made once per distinct look (xlsxwriter keeps every
    format object it is given), each with our font."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}

    def get(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format({**FONT, **props})
        return self._cache[key]

    @property
    def header(self) -> Format:
        return self.get(bold=True, bg_color=f"#{FILL_HEADER}", border=1, align="center", valign="vcenter",
                        text_wrap=True)

    @property
    def link(self) -> Format:
        return self.get(font_color=f"#{FONT_LINK}", underline=1, valign="top")


def _header_text(text: str) -> str:
    """The officer's text in a page header: "&" doubled (a code otherwise), well within Excel's 255 characters."""
    return text.replace("&", "&&")[:120]


def print_setup(ws: Worksheet, heading: str, lang: str, *, landscape: bool = True) -> None:
    """A4, fitted to the page width, the first row (the title or the column headers) on every page,
    ``heading`` (department and year) at the top left and "第 x 页，共 y 页" at the bottom: a sheet
    that prints as a document."""
    ws.set_paper(A4)
    ws.repeat_rows(0)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    if heading:
        ws.set_header(f"&L{_header_text(heading)}&R&A")
    ws.set_footer("&C" + tr("page_footer", lang, page="&P", pages="&N"))
