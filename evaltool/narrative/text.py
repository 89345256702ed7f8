"""A 自评报告 as text: read a .txt, .docx or PDF safely, normalise it, cut it into paragraphs.

What a file is comes from its content, not its name (as for workbooks): an old .doc or a WPS
.wps, an encrypted package, a truncated download, a zip or XML bomb, a workbook renamed .docx
and a scanned PDF without a text layer each get their own message (``InputError``, exit 2).
Text files are read as UTF-8 (with or without BOM), UTF-16 (with BOM) or GB18030 (which
covers GBK and GB2312).

Normalising (``normalise``) keeps, for every character of the normalised text, the index of
the character it came from, so a finding can mark the number in the officer's own document.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from evaltool.errors import InputError
from evaltool.width import display_width
from evaltool.workbook.guard import OLE, check_zip, ole_kind, read_head

MAX_PDF_PAGES = 500  # a self-evaluation report has 5 to 30 pages
# A page's number alone on its line (— 3 —, -3-, 3, 第 3 页，共 21 页, 3/21), in a PDF or a text copied from one:
# layout, which would end the paragraph a page break cuts.
_PAGE_NUMBER = re.compile(r"\s*(?:[-—–\s]*\d{1,3}[-—–\s]*|第\s*\d{1,3}\s*页\s*[,，]?\s*(?:共\s*\d{1,3}\s*页)?"
                          r"|\d{1,3}\s*/\s*\d{1,3})\s*$")
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"

# Characters after which a paragraph ends for sure; a line ending otherwise may be a line a PDF wrapped.
_FINAL = "。！？!?；;：:”」』"
# Paragraph openings that number an item: 一、 (一) 1、 1. (1) ①; a line starting so is never a continuation.
MARKER = re.compile(
    r"^(?:(?P<cn>[一二三四五六七八九十]{1,3})、|\((?P<pcn>[一二三四五六七八九十]{1,3})\)"
    r"|(?P<ar>\d{1,2})、|(?P<dot>\d{1,2})\.(?!\d)|\((?P<par>\d{1,2})\)|(?P<circ>[\u2460-\u2473]))"
)
_WRAP_MIN = 25  # 汉字: a line narrower than this is a heading or the last line of its paragraph, never wrapped
_AMOUNT = re.compile(r"\d(?:万元|亿元|元|%)")
_FIELD = re.compile(r"[^,;:。!?()]{2,8}:")
_LINES_AT_MOST = 120  # display width: a Word document whose every paragraph is narrower is a PDF's lines
_UNIT_START = "万亿元%个家项名人户次件所座台辆分"  # a line ending in a digit before one of these cut a figure
# "2\t其他收入\t544.48": a table row pasted as text, not a wrap ("60 万元" and "2 个项目" are a PDF's wraps).
_ROW_NUMBER = re.compile(rf"\s*\d+\s+(?![\d.{_UNIT_START}])")


def _cjk(ch: str) -> bool:
    """汉字, CJK punctuation and the ASCII punctuation NFKC makes of full-width forms."""
    o = ord(ch)
    return (0x3400 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2460 <= o <= 0x2473
            or ch in "“”‘’,;:()%…—·≥≤")


_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
_SPACES = re.compile(r"[ \t\n\r\v\u00a0\u3000\u2002-\u200b\u2028\ufeff]+")
_BREAK = re.compile(r"[\n\r\v\u2028]")
_LATEX = {"\\geq": "≥", "\\leq": "≤", "\\ge": "≥", "\\le": "≤", "\\times": "×", "\\%": "%"}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in sorted(_LATEX, key=len, reverse=True)))


def normalise(raw: str) -> tuple[str, tuple[int, ...]]:
    """NFKC (full-width digits and punctuation become ASCII), thousands separators dropped, the spaces
    a PDF puts between 汉字 and digits dropped, a converter's LaTeX (``\\geq``) made a sign.  Returns the
    text and, for each of its characters, the index in ``raw`` it came from."""
    chars: list[str] = []
    offsets: list[int] = []
    i = 0
    while i < len(raw):
        m = _LATEX_RE.match(raw, i) if raw[i] == "\\" else None
        if m:
            chars.append(_LATEX[m.group()])
            offsets.append(i)
            i = m.end()
            continue
        # ① stays ①: NFKC would make it a bare 1, and it numbers items.
        kept = raw[i] if "\u2460" <= raw[i] <= "\u2473" else unicodedata.normalize("NFKC", raw[i])
        for ch in kept.replace("\u2212", "-"):
            chars.append(ch)
            offsets.append(i)
        i += 1
    text = "".join(chars)
    keep = [True] * len(text)
    for m in _THOUSANDS.finditer(text):
        for j in range(m.start(), m.end()):
            if text[j] == ",":
                keep[j] = False
    for m in _SPACES.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        # Spaces between two ASCII words or numbers separate them; next to 汉字 they are layout, and a line
        # break inside a paragraph (Word's Shift+Enter, a pasted PDF line) is a wrap, even inside a number.
        if not before or not after or _cjk(before) or _cjk(after) or _BREAK.search(m.group()):
            for j in range(m.start(), m.end()):
                keep[j] = False
        else:
            for j in range(m.start() + 1, m.end()):
                keep[j] = False
    out = "".join(c for c, k in zip(text, keep, strict=True) if k)
    return out, tuple(o for o, k in zip(offsets, keep, strict=True) if k)


_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』)]*")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its normalised text, where each character came from in ``raw``, and where the
    paragraph is in the file (``source``: the index of the Word paragraph; ``line``: of a .txt)."""

    number: int  # 1-based among non-empty paragraphs
    text: str
    raw: str
    offsets: tuple[int, ...]
    source: int | None = None
    line: int | None = None
    page: int | None = None
    # Word paragraphs joined into this one (a PDF's lines turned into Word): (index, where its text starts in raw).
    pieces: tuple[tuple[int, int], ...] = ()

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence in ``text``; a sentence ends at 。！？ (a closing quote stays with it)."""
        spans, start = [], 0
        for m in _SENTENCE_END.finditer(self.text):
            spans.append((start, m.end()))
            start = m.end()
        if start < len(self.text):
            spans.append((start, len(self.text)))
        return spans

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``raw`` that ``text[start:end]`` came from."""
        if not self.offsets or start >= end:
            return 0, 0
        return self.offsets[start], self.offsets[min(end, len(self.offsets)) - 1] + 1

    def word_span(self, start: int, end: int) -> tuple[int | None, int, int]:
        """The Word paragraph ``text[start:end]`` starts in, and the span of that paragraph's text it covers
        (cut at its end when the figure runs on into the next one)."""
        a, b = self.raw_span(start, end)
        index, base, stop = self.source, 0, len(self.raw)
        for n, (source, at) in enumerate(self.pieces):
            if at <= a:
                index, base = source, at
                stop = self.pieces[n + 1][1] if n + 1 < len(self.pieces) else len(self.raw)
        return index, a - base, min(b, stop) - base


@dataclass(frozen=True)
class ReportText:
    path: str
    kind: str  # "txt", "docx" or "pdf"
    paragraphs: tuple[Paragraph, ...]
    encoding: str | None = None  # of a .txt


def _paragraph(number: int, raw: str, **where) -> Paragraph:
    text, offsets = normalise(raw)
    return Paragraph(number, text, raw, offsets, **where)


def _cut_number(text: str, nxt: str) -> bool:
    """Whether a figure runs on from ``text`` into ``nxt``: 1352|.67, 23|69.93, 1352.|67, 2|个项目."""
    last, first, second = text[-1:], nxt[:1], nxt[1:2]
    if last.isdigit():
        return first.isdigit() or (first == "." and second.isdigit()) or first in _UNIT_START
    return last == "." and text[-2:-1].isdigit() and first.isdigit()


def _joins(line: str, following: str, wide: int) -> bool:
    """Whether ``following`` continues ``line`` (a line a PDF, a page break or a copy-paste wrapped): a line
    cut inside a figure or after a comma, a line followed by 其中, or a line as wide as ``wide`` that ends no
    sentence and is no numbered heading; never when ``following`` starts an item."""
    text, nxt = normalise(line)[0], normalise(following)[0]
    if MARKER.match(nxt):
        return False
    if _cut_number(text, nxt) and not _ROW_NUMBER.match(following):
        return True  # a figure is never cut by a paragraph end
    if nxt.startswith("其中"):
        return True  # "共有 2 个…。" / "其中：…": the breakdown of the sentence before
    if _FIELD.match(nxt):
        return False  # "部门名称：…", "填报人：…": a field of the header starts its own line
    if text[-1:] in _FINAL:
        return False
    if text[-1:] in ",、":
        return True  # a clause goes on: no heading or paragraph ends on a comma
    # A heading states no amount: a short numbered line with one is the first line of a wrapped paragraph
    # (a 公文 PDF line is 28 汉字, fewer than 40 once its spaces go).
    heading = MARKER.match(text) is not None and len(text) < 40 and not _AMOUNT.search(text)
    return display_width(line.strip()) >= wide and not heading


def from_lines(lines: list[tuple[str, int | None, int | None]]) -> list[Paragraph]:
    """Paragraphs of a text cut into lines ((text, line, page) each): blank lines separate paragraphs, and
    a long line not ending a sentence is joined with the next one."""
    out: list[Paragraph] = []
    pending: list[tuple[str, int | None, int | None]] = []

    def flush() -> None:
        if pending:
            raw = "".join(t.strip() for t, _, _ in pending)
            out.append(_paragraph(len(out) + 1, raw, line=pending[0][1], page=pending[0][2]))
            pending.clear()

    # A line is long (it may be wrapped) from 25 汉字 wide, or from 4/5 of the widest line: a PDF's line of 28
    # 汉字 holds fewer characters when it has half-width digits.
    widest = max((display_width(t.strip()) for t, _, _ in lines), default=0)
    wide = min(2 * _WRAP_MIN, widest * 4 // 5)
    for text, line, page in lines:
        if not normalise(text)[0] or _PAGE_NUMBER.match(text):
            continue  # a blank line, a page break or a page's number: the paragraph may go on after it
        if pending and not _joins(pending[-1][0], text, wide):
            flush()
        pending.append((text, line, page))
    flush()
    return out


# --------------------------------------------------------------------------- reading files


def read_report(path: str) -> ReportText:
    """The report at ``path``, or ``InputError`` saying why it cannot be read."""
    head, size = read_head(path)
    if head.startswith(OLE):
        kind = ole_kind(path)
        raise InputError(kind if kind != "old_xls" else "report_is_workbook", path=path)
    if head.startswith(b"%PDF"):
        return _read_pdf(path)
    if head.startswith(b"PK\x03\x04") or zipfile.is_zipfile(path):
        return _read_docx(path)
    if os.path.splitext(path)[1].lower() in (".docx", ".docm", ".pdf", ".doc", ".wps"):
        # Named as a document, but neither a package, a PDF nor a compound file: a broken download or a
        # file saved under the wrong name.  Only a .txt (or a name that says nothing) is read as text.
        raise InputError("not_report", path=path, suffix=os.path.splitext(path)[1])
    return _read_txt(path)


def _decode(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace").lstrip("\ufeff"), "utf-16"
    # UTF-16 without a BOM: every other byte of ASCII text is 0.
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4 and b"\0\0" not in data[: len(data) & ~1]:
        return data.decode("utf-16-le", "replace"), "utf-16-le"
    if b"\0" in data:
        raise InputError("not_report", path=path, suffix=os.path.splitext(path)[1] or "?")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError("report_encoding", path=path)


def _read_txt(path: str) -> ReportText:
    with open(path, "rb") as fh:
        data = fh.read()
    text, encoding = _decode(data, path)
    lines = [(line, n, None) for n, line in enumerate(text.splitlines(), start=1)]
    return ReportText(path, "txt", tuple(from_lines(lines)), encoding)


def _guard_docx(path: str) -> None:
    from defusedxml.ElementTree import ParseError

    from evaltool.workbook.xlsxcache import content_types

    if not zipfile.is_zipfile(path):
        raise InputError("truncated_report", path=path)
    try:
        with zipfile.ZipFile(path) as z:
            check_zip(z, path, lambda names: "odt_file" if "mimetype" in names or "content.xml" in names else None)
            try:
                overrides, defaults = content_types(z)
            except (KeyError, ParseError):
                raise InputError("not_report", path=path, suffix=os.path.splitext(path)[1] or "?") from None
            types = set(overrides.values()) | set(defaults.values())
            if not types & {WORD_MAIN, WORD_MACRO_MAIN}:
                workbook = any(n.startswith("xl/") for n in z.namelist())
                raise InputError("report_is_workbook" if workbook else "not_report", path=path,
                                 suffix=os.path.splitext(path)[1] or "?")
    except InputError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise InputError("zip_damaged", path=path) from None


def word_paragraphs(document) -> Iterator:
    """Every paragraph of a python-docx ``Document`` in reading order: body paragraphs, and the paragraphs
    of each table cell (a merged cell once).  The reader and the checked copy walk the same sequence."""
    from docx.table import Table

    def walk(container) -> Iterator:
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                # The cells' elements themselves, not their ids: a proxy freed gives its id to the next one,
                # and a cell of another row was taken for a merged one already read.
                seen: set = set()
                for row in block.rows:
                    for cell in row.cells:
                        if cell._tc in seen:
                            continue
                        seen.add(cell._tc)
                        yield from walk(cell)
            else:
                yield block

    yield from walk(document)


def open_word(path: str):
    """The python-docx ``Document`` of a guarded .docx."""
    import docx

    _guard_docx(path)
    try:
        with open(path, "rb") as fh:
            return docx.Document(fh)
    except Exception:  # python-docx raises many kinds for a damaged package
        raise InputError("report_damaged", path=path) from None


def _read_docx(path: str) -> ReportText:
    """Word paragraphs, those of the body joined as a PDF's lines are (a PDF turned into Word ends every line with
    a paragraph mark); a table's cells never (21.6 and 18 side by side are two numbers)."""
    from docx.table import _Cell

    document = open_word(path)
    kept = [(source, p.text, isinstance(p._parent, _Cell)) for source, p in enumerate(word_paragraphs(document))]
    kept = [k for k in kept if normalise(k[1])[0]]
    widest = max((display_width(raw.strip()) for _, raw, cell in kept if not cell), default=0)
    # An officer's own paragraphs are joined only where one is cut inside a figure or a sentence (a comma, 其中).
    wide = min(2 * _WRAP_MIN, widest * 4 // 5) if widest <= _LINES_AT_MOST else widest + 1
    groups: list[list[tuple[int, str, bool]]] = []
    for k in kept:
        last = groups[-1][-1] if groups else None
        if last is not None and not (last[2] or k[2]) and _joins(last[1], k[1], wide):
            groups[-1].append(k)
        else:
            groups.append([k])
    paragraphs: list[Paragraph] = []
    for group in groups:
        starts = [sum(len(raw) for _, raw, _ in group[:n]) for n in range(len(group))]
        pieces = tuple((source, at) for (source, _, _), at in zip(group, starts, strict=True)) if len(group) > 1 else ()
        paragraphs.append(_paragraph(len(paragraphs) + 1, "".join(raw for _, raw, _ in group), source=group[0][0],
                                     pieces=pieces))
    return ReportText(path, "docx", tuple(paragraphs))


def _read_pdf(path: str) -> ReportText:
    """The text layer, page by page; pdfminer's warnings and prints never reach the console."""
    try:
        import pdfplumber
    except ImportError:  # an installation without the PDF extra
        raise InputError("pdf_unsupported", path=path) from None
    lines: list[tuple[str, int | None, int | None]] = []
    quiet = io.StringIO()
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            warnings.simplefilter("ignore")
            with pdfplumber.open(path) as pdf:
                if len(pdf.pages) > MAX_PDF_PAGES:
                    raise InputError("pdf_too_long", path=path, pages=len(pdf.pages), cap=MAX_PDF_PAGES)
                for number, page in enumerate(pdf.pages, start=1):
                    text = page.extract_text() or ""
                    lines += [(line, None, number) for line in text.split("\n")]
                    page.close()  # pdfplumber keeps every page's objects otherwise
    except InputError:
        raise
    except Exception as e:  # pdfminer raises its own kinds for damaged and encrypted files
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name or "password" in str(e).lower():
            raise InputError("encrypted_pdf", path=path) from None
        raise InputError("report_damaged", path=path) from None
    finally:
        logger.setLevel(level)
    paragraphs = from_lines(lines)
    if not paragraphs:
        raise InputError("pdf_no_text", path=path)
    return ReportText(path, "pdf", tuple(paragraphs))
