"""Read the package in one streaming pass, without openpyxl: the workbook's sheets, its shared strings and
number formats, and the cells and merged ranges of the sheets asked for.

Each cell comes back as openpyxl loaded it before (the reader's findings must not change with the
parser): the typed value (a number in a date format is a ``datetime`` as ``openpyxl.utils.datetime
.from_excel`` makes it, in the workbook's 1900 or 1904 date system), rich text as its plain text, and
for a formula cell its text ("=B5/B14", a shared formula translated to the cell) and its cached result.
Only the sheets asked for are parsed, so a huge sheet the layout does not use costs nothing.

Safe XML: no part with a DTD is parsed (the guard refuses them first; ``_Target`` says why the parser
needs no defusedxml and refuses them too; the small parts go through defusedxml).  A part that cannot
be read raises ``InputError`` ("workbook_damaged" naming the part, "xml_unsafe" for a DTD).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, NamedTuple
from xml.etree.ElementTree import ParseError, XMLParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from evaltool.errors import InputError
from evaltool.workbook.coords import column_index, column_letter, coordinate
from evaltool.workbook.xlsxcache import PackageZip, content_types, main_part, relationships

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW, _C, _V, _F, _IS, _SI, _T, _R, _RPH, _MERGE = (
    f"{_NS}{t}" for t in ("row", "c", "v", "f", "is", "si", "t", "r", "rPh", "mergeCell"))

GENERAL = "General"
# Excel's built-in number formats by id, as openpyxl 3.1 (openpyxl.styles.numbers.BUILTIN_FORMATS) has them;
# an id missing here (the locale's own, 27-36 and 50-58 in Chinese Excel) reads as General, as it did.
BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy",
    16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "m/d/yy h:mm", 37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)", 41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)', 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    48: "##0.0E+0", 49: "@",
}  # fmt: skip

# Date and duration formats, as openpyxl.styles.numbers.is_date_format / is_timedelta_format decide them.
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)

WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)


def is_date_format(fmt: str | None) -> bool:
    return fmt is not None and _DATE_PART.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_duration_format(fmt: str | None) -> bool:
    return fmt is not None and _DURATION.search(fmt.split(";")[0]) is not None


# A cell is one of three small tuples, all answering value, number_format, formula, no_cache, error and
# shown: most cells need two fields, and a 50,000-row list has 300,000 cells.
class XCell(NamedTuple):
    """A typed value and its number format: most cells."""

    value: object
    number_format: str = GENERAL
    formula = None
    no_cache = False
    error = False

    @property
    def shown(self) -> object:
        """What a program that loads formulas shows in the cell: the formula, else the value."""
        return self.value


class XError(NamedTuple):
    """An error value typed into the cell ("#DIV/0!"), or a date beyond the calendar (openpyxl's #VALUE!)."""

    value: str
    number_format: str = GENERAL
    formula = None
    no_cache = False
    error = True

    @property
    def shown(self) -> object:
        return self.value


class XFormula(NamedTuple):
    """A formula ("=B5/B14"; a shared formula translated to the cell) and its saved result."""

    value: object  # the cached result; None with ``no_cache``
    number_format: str
    formula: str
    no_cache: bool = False  # saved without its result
    error: bool = False  # the result is an error value

    @property
    def shown(self) -> object:
        return self.formula


AnyCell = XCell | XError | XFormula
EMPTY = XCell(None)


@dataclass
class Worksheet:
    title: str
    # Row -> column -> cell, only the cells the part has.  By row, not one dict of every cell: a 50,000-row
    # list would make a 10 MB table whose release moves glibc's mmap threshold, and the copy's openpyxl
    # load after it then fragments the heap (the 50,000-row check peaked 15 MB higher).
    rows: dict[int, dict[int, AnyCell]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)

    def at(self, row: int, col: int) -> AnyCell:
        cells = self.rows.get(row)
        return EMPTY if cells is None else cells.get(col, EMPTY)

    def items(self) -> Iterator[tuple[int, int, AnyCell]]:
        """(row, column, cell) of every cell the part has, in the part's order (row by row, as programs write)."""
        for row, cells in self.rows.items():
            for col, cell in cells.items():
                yield row, col, cell


@dataclass(frozen=True)
class SheetEntry:
    name: str
    state: str  # visible, hidden, veryHidden
    part: str
    chartsheet: bool


def cell_range(ref: str) -> tuple[int, int, int, int]:
    """(min_row, min_col, max_row, max_col) of "A1:B2" or "A1"."""
    first, _, last = ref.partition(":")
    r1, c1 = coordinate(first)
    r2, c2 = coordinate(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


# --------------------------------------------------------------------------- values


def from_excel(value: float, epoch: dt.datetime, duration: bool = False) -> dt.datetime | dt.time | dt.timedelta:
    """A serial in a date format as openpyxl.utils.datetime.from_excel gives it (to the millisecond; a
    fraction of a day is a time; the 1900 system's phantom 1900-02-29 below serial 60)."""
    if duration:
        td = dt.timedelta(days=value)
        if td.microseconds:
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


_ISO = re.compile(r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?(?P<time>(?P<hour>\d{2}):"
                  r"(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?")
_ISO_DURATION = re.compile(r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?")


def from_iso8601(text: str) -> object:
    """A ``t="d"`` cell's value as openpyxl.utils.datetime.from_ISO8601 reads it; ValueError if it is none."""
    m = _ISO.match(text)
    if m and any(m.groups()):
        p = {k: int(v) if v and k not in ("date", "time", "microsecond") else v for k, v in m.groupdict().items()}
        micro = int(float(p["microsecond"]) * 1_000_000) if p["microsecond"] else 0
        if not p["date"]:
            return dt.time(p["hour"], p["minute"], p["second"] or 0, micro)
        if not p["time"]:
            return dt.date(p["year"], p["month"], p["day"])
        return dt.datetime(p["year"], p["month"], p["day"], p["hour"], p["minute"], p["second"] or 0, micro)
    m = _ISO_DURATION.match(text)
    if m and any(m.groups()):
        return dt.timedelta(**{k: float(v) for k, v in m.groupdict().items() if v and k in ("hours", "minutes",
                                                                                          "seconds")})
    raise ValueError(f"not a date: {text!r}")


def _number(text: str) -> int | float:
    """A ``<v>`` number as openpyxl casts it: a float when written with a point or exponent, else an int."""
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


# --------------------------------------------------------------------------- shared formulas

_REF_CHARS = re.compile(r"[^ \n,;{}()+\-*/^&=<>%\"'\[]+")
_ROW_RANGE = re.compile(r"(\$?[1-9][0-9]{0,6}):(\$?[1-9][0-9]{0,6})$")
_COL_RANGE = re.compile(r"(\$?[A-Za-z]{1,3}):(\$?[A-Za-z]{1,3})$")
_CELL_REF = re.compile(r"(\$?[A-Za-z]{1,3})(\$?[1-9][0-9]{0,6})$")
_LAST_COL = 18278  # ZZZ: openpyxl's bound; rows are bounded below only, as there


class _OutOfSheet(ValueError):
    pass


def _shift_row(text: str, delta: int) -> str:
    if text.startswith("$"):
        return text
    row = int(text) + delta
    if row < 1:
        raise _OutOfSheet(text)
    return str(row)


def _shift_col(text: str, delta: int) -> str:
    if text.startswith("$"):
        return text
    col = column_index(text) + delta
    if not 1 <= col <= _LAST_COL:
        raise _OutOfSheet(text)
    return column_letter(col)


def _shift_ref(ref: str, rows: int, cols: int) -> str:
    """One reference moved as openpyxl.formula.translate.Translator moves it; a name is left alone."""
    sheet, bang, ref = ref.rpartition("!")
    prefix = sheet + bang
    if m := _ROW_RANGE.match(ref):
        return f"{prefix}{_shift_row(m[1], rows)}:{_shift_row(m[2], rows)}"
    if m := _COL_RANGE.match(ref):
        return f"{prefix}{_shift_col(m[1], cols)}:{_shift_col(m[2], cols)}"
    if ":" in ref:
        return prefix + ":".join(_shift_ref(piece, rows, cols) for piece in ref.split(":"))
    if m := _CELL_REF.match(ref):
        return f"{prefix}{_shift_col(m[1], cols)}{_shift_row(m[2], rows)}"
    return prefix + ref


def translate(formula: str, rows: int, cols: int) -> str:
    """A shared formula ("=B5/B$14") as it reads in a cell ``rows`` below and ``cols`` right of its master.

    The formula is split as openpyxl's tokenizer splits it: strings and bracketed parts are kept, a run
    of spaces is one space, a name followed by "(" is a function; a reference moved off the sheet
    becomes #REF! as in Excel.
    """
    out: list[str] = []
    i, n = 1, len(formula)  # after the "="
    while i < n:
        ch = formula[i]
        if ch == '"':
            j = i + 1
            while j < n and not (formula[j] == '"' and formula[j + 1:j + 2] != '"'):
                j += 2 if formula[j] == '"' else 1
            out.append(formula[i:j + 1])
            i = j + 1
        elif ch in " \n":
            out.append(ch)
            while i < n and formula[i] in " \n":
                i += 1
        elif ch in ",;{}()+-*/^&=<>%":
            out.append(ch)
            i += 1
        else:
            j = i
            while j < n:
                if formula[j] == "'":  # a quoted sheet name: '收支 情况'!B5
                    j = formula.find("'", j + 1)
                    while j >= 0 and formula[j + 1:j + 2] == "'":
                        j = formula.find("'", j + 2)
                    j = n if j < 0 else j + 1
                elif formula[j] == "[":  # an external book or a table column
                    depth = 0
                    while j < n:
                        depth += {"[": 1, "]": -1}.get(formula[j], 0)
                        j += 1
                        if depth == 0:
                            break
                elif (m := _REF_CHARS.match(formula, j)) is not None:
                    j = m.end()
                else:
                    break
            token = formula[i:j]
            function = j < n and formula[j] == "("
            if function or token.startswith("#") or token.upper() in ("TRUE", "FALSE") or _is_number(token):
                out.append(token)
            else:
                try:
                    out.append(_shift_ref(token, rows, cols))
                except _OutOfSheet:
                    out.append("#REF!")
            i = j
    return "=" + "".join(out)


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- the package


class Package:
    """An open .xlsx package (the guard has passed it): its sheets, and the cells of any of them on request."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._zip = PackageZip(path)
        try:
            found = main_part(self._zip)
            self._book = found[0] if found else "xl/workbook.xml"
            with self._reading(self._book):
                self._rels = relationships(self._zip, self._book)
                root = fromstring(self._zip.read(self._book), forbid_dtd=True)
                pr = root.find(f"{_NS}workbookPr")
                # As openpyxl's Bool reads it: "false", "f", "0" and "" are false, anything else true.
                flag = pr.get("date1904", "") if pr is not None else ""
                self.date1904 = bool(flag) and flag not in ("false", "f", "0")
                self.sheets = tuple(self._entries(root))
        except BaseException:
            self._zip.close()
            raise
        self._strings: list[str] | None = None
        self._styles: list[tuple[str, bool, bool]] | None = None  # per cell format: (number format, date, duration)

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    @property
    def zip(self) -> zipfile.ZipFile:
        """The package's zip (its parts by the names the package refers to them), for a part the cells
        do not need: the marker of an earlier check."""
        return self._zip

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets)

    def _entries(self, root):
        """The sheets in workbook order: one without a relationship id is left out (as openpyxl had it), a
        relationship id the workbook does not have is damage; one whose part is missing is listed, and reading
        it says which part is missing (openpyxl left it out, so the message called the sheet deleted)."""
        for el in root.iter(f"{_NS}sheet"):
            rid = el.get(_REL_ID)
            if not rid:
                continue
            kind, part = self._rels[rid]
            yield SheetEntry(el.get("name", ""), el.get("state") or "visible", part, "chartsheet" in kind)

    @contextmanager
    def _reading(self, part: str):
        """Damage found while reading ``part`` becomes the officer's message naming the part."""
        try:
            yield
        except InputError:
            raise
        except (DefusedXmlException, _Refused):
            raise InputError("xml_unsafe", path=self.path, part=part) from None
        except (ParseError, KeyError, ValueError, IndexError, OverflowError, EOFError, OSError, NotImplementedError,
                zipfile.BadZipFile, zlib.error) as e:
            raise InputError("workbook_damaged", path=self.path, reason=part) from e

    def _part_of(self, rel_type: str, content_type: str, default: str | None) -> str | None:
        part = self._named(rel_type, content_type, default)
        return part if part is not None and self._zip.has(part) else None

    def _named(self, rel_type: str, content_type: str, default: str | None) -> str | None:
        """The part the package names for a role (by its content type, else its relationship), present or not."""
        overrides, _ = content_types(self._zip)
        part = next((p for p, ct in overrides.items() if ct.endswith(content_type)), None)
        return part or next((t for kind, t in self._rels.values() if kind == rel_type), None) or default

    def unknown_style(self) -> InputError | None:
        """Why a cell names a style the package does not have: its style sheet is missing (it is optional, but
        not when cells name styles: their formats, % among them, would be guessed), else None (damage)."""
        if self._part_of("styles", ".styles+xml", "xl/styles.xml") is None:
            return InputError("part_missing", path=self.path, part=self._named("styles", ".styles+xml",
                                                                                "xl/styles.xml"))
        return None

    def string(self, index: int) -> str:
        """Shared string ``index``; a package without its shared strings part cannot give the cell's text: the
        message names the part (a valid package may lack it when no cell needs it)."""
        strings = self.strings()
        if not strings and self._part_of("sharedStrings", ".sharedStrings+xml", None) is None:
            part = self._named("sharedStrings", ".sharedStrings+xml", "xl/sharedStrings.xml")
            raise InputError("part_missing", path=self.path, part=part)
        return strings[index]

    def strings(self) -> list[str]:
        if self._strings is None:
            part = self._part_of("sharedStrings", ".sharedStrings+xml", None)
            target = _Strings()
            if part is not None:
                with self._reading(part), self._zip.open(part) as fh:
                    target.feed(fh)
            self._strings = target.strings
        return self._strings

    def styles(self) -> list[tuple[str, bool, bool]]:
        """Per cell format (``s``): its number format and whether it shows a date or a duration, as openpyxl
        read them: a custom format by its id (whatever the id), else the built-in table, else General."""
        if self._styles is None:
            part = self._part_of("styles", ".styles+xml", "xl/styles.xml")
            styles = [(GENERAL, False, False)]  # what openpyxl assumed without one
            if part is not None:
                with self._reading(part):
                    root = fromstring(self._zip.read(part), forbid_dtd=True)
                    custom = {int(f.get("numFmtId", "")): f.get("formatCode", "")
                              for f in root.iterfind(f"{_NS}numFmts/{_NS}numFmt")}
                    xfs = root.findall(f"{_NS}cellXfs/{_NS}xf")
                    if xfs:
                        styles = [self._style(int(xf.get("numFmtId") or 0), custom) for xf in xfs]
            self._styles = styles
        return self._styles

    @staticmethod
    def _style(fmt_id: int, custom: dict[int, str]) -> tuple[str, bool, bool]:
        fmt = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
        shown = fmt if fmt is not None else GENERAL
        return shown, is_date_format(fmt), is_duration_format(fmt)

    def worksheet(self, entry: SheetEntry) -> Worksheet:
        """Every cell and merged range of one worksheet, in one streaming pass over its part."""
        if not self._zip.has(entry.part):
            raise InputError("part_missing", path=self.path, part=entry.part)
        target = _Sheet(self, entry.name, self.styles())
        with self._reading(entry.part), self._zip.open(entry.part) as fh:
            target.feed(fh)
        return target.sheet


# --------------------------------------------------------------------------- parsing

_CHUNK = 1 << 16


class _Refused(Exception):
    """A part declares a DTD: refused before any entity in it could be declared, let alone expanded."""


class _Target:
    """Events of one part from the C expat parser (``xml.etree.ElementTree.XMLParser``), handled without
    building a tree.

    Why this is safe without defusedxml: expat calls ``doctype`` where a DOCTYPE starts, before its
    internal subset, and this refuses it; without a DTD no entity can be declared, so the only entities
    are the five predefined ones and character references (any other ``&name;`` is a parse error); no
    external entity or DTD is ever fetched (ElementTree sets no handler for them).  The guard refuses
    every part with a DTD before anything is parsed, so this is the second line; expat's own limit on
    entity amplification is the third.  It is about twice as fast as defusedxml's pure-Python builder.
    """

    def doctype(self, name: str, pubid: str, system: str) -> None:
        raise _Refused(name)

    def start(self, tag: str, attrs: dict[str, str]) -> None: ...

    def end(self, tag: str) -> None: ...

    def data(self, text: str) -> None: ...

    def close(self) -> None: ...

    def feed(self, fh: IO[bytes]) -> None:
        parser = XMLParser(target=self)
        while chunk := fh.read(_CHUNK):
            parser.feed(chunk)
        parser.close()


class _Item:
    """A string item (``<si>``, ``<is>``) as openpyxl's rich-text reading gave its text: its own ``<t>``
    when not empty, else its runs' ``<t>`` joined; phonetic runs (``<rPh>``) are not text."""

    __slots__ = ("own", "runs", "run", "phonetic")

    def __init__(self) -> None:
        self.own: str | None = None
        self.runs: list[str] = []
        self.run = self.phonetic = False

    def start(self, tag: str) -> None:
        if tag == _R:
            self.run = True
        elif tag == _RPH:
            self.phonetic = True

    def end(self, tag: str, text: str | None) -> None:
        if tag == _T and text is not None and not self.phonetic:
            if self.run:
                self.runs.append(text)
            elif self.own is None:
                self.own = text
        elif tag == _R:
            self.run = False
        elif tag == _RPH:
            self.phonetic = False

    @property
    def text(self) -> str:
        # "x005F_" dropped as openpyxl dropped it (its reading of the escaped underscore), kept as it was.
        return (self.own if self.own else "".join(self.runs)).replace("x005F_", "")


class _Strings(_Target):
    def __init__(self) -> None:
        self.strings: list[str] = []
        self.item: _Item | None = None
        self.buf: list[str] | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == _SI:
            self.item = _Item()
        elif self.item is not None:
            self.item.start(tag)
            if tag == _T:
                self.buf = []

    def end(self, tag: str) -> None:
        if tag == _SI:
            self.strings.append(self.item.text if self.item is not None else "")
            self.item = None
        elif self.item is not None:
            text = None
            if tag == _T and self.buf is not None:
                text, self.buf = "".join(self.buf), None
            self.item.end(tag, text)

    def data(self, text: str) -> None:
        if self.buf is not None:
            self.buf.append(text)


class _Sheet(_Target):
    """One worksheet part: rows as openpyxl's WorkSheetParser walked them (a cell or row without its
    number follows the one before), each cell typed as it typed it, formulas with their cached results."""

    def __init__(self, package: Package, title: str, styles: list[tuple[str, bool, bool]]) -> None:
        self.package = package
        self.sheet = Worksheet(title, {})
        self.styles = styles
        self.epoch = MAC_EPOCH if package.date1904 else WINDOWS_EPOCH
        self.shared: dict[str, tuple[str, int, int]] = {}  # shared formula id -> (text, row, column) of its master
        self.row = self.col = 0
        self.buf: list[str] | None = None  # the text of the <v>, <f> or <t> being read
        self.cell: dict[str, str] | None = None  # the attributes of the <c> being read
        self.v = self.f = None
        self.f_attrs: dict[str, str] | None = None
        self.item: _Item | None = None  # an inline string

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == _C:
            self.cell, self.v, self.f, self.f_attrs, self.item = attrs, None, None, None, None
        elif tag == _V or tag == _F:
            self.buf = []
            if tag == _F:
                self.f_attrs = attrs
        elif tag == _ROW:
            self._row(attrs.get("r"))
        elif tag == _MERGE:
            self.sheet.merged.append(cell_range(attrs.get("ref", "")))
        elif tag == _IS and self.cell is not None:
            self.item = _Item()
        elif self.item is not None:
            self.item.start(tag)
            if tag == _T:
                self.buf = []

    def end(self, tag: str) -> None:
        if tag == _C:
            if self.cell is not None:
                self._cell(self.cell)
            self.cell = self.item = None
        elif tag == _V:
            self.v, self.buf = "".join(self.buf) or None, None
        elif tag == _F:
            self.f, self.buf = "".join(self.buf) or None, None
        elif self.item is not None and tag != _IS:  # the cell takes the item's text when it ends
            text = None
            if tag == _T and self.buf is not None:
                text, self.buf = "".join(self.buf), None
            self.item.end(tag, text)

    def data(self, text: str) -> None:
        if self.buf is not None:
            self.buf.append(text)

    def close(self) -> None:
        self._unmerge()

    def _row(self, number: str | None) -> None:
        if number is None:
            self.row += 1
        else:
            try:
                self.row = int(number)
            except ValueError:
                value = float(number)
                if not value.is_integer():
                    raise
                self.row = int(value)
        self.col = 0

    def _cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        if ref:
            r, self.col = coordinate(ref)
        else:
            r, self.col = self.row, self.col + 1
        col = self.col
        kind = attrs.get("t", "n")
        style = attrs.get("s")
        try:
            fmt, is_date, is_duration = self.styles[int(style) if style else 0]
        except IndexError:
            raise self.package.unknown_style() or IndexError(style) from None
        v = self.v
        if self.f_attrs is not None:
            formula = self._formula(r, col)
            if v is None:
                cell = XFormula(None, fmt, formula, True)
            else:
                value, error = self._cached(kind, v, is_date, is_duration)
                cell = XFormula(value, fmt, formula, False, error)
        elif kind == "inlineStr":
            cell = XCell(None if self.item is None else self.item.text, fmt)
        elif v is None:
            cell = XCell(None, fmt)
        elif kind == "n":
            number = _number(v)
            cell = XCell(number, fmt)
            if is_date:
                try:
                    cell = XCell(from_excel(number, self.epoch, is_duration), fmt)
                except (OverflowError, ValueError):  # beyond the dates there are: openpyxl made it #VALUE!
                    cell = XError("#VALUE!", fmt)
        elif kind == "s":
            cell = XCell(self.package.string(int(v)), fmt)
        elif kind == "b":
            cell = XCell(bool(int(v)), fmt)
        elif kind == "d":
            cell = XCell(from_iso8601(v), fmt)
        elif kind == "e":
            cell = XError(v, fmt)
        else:  # str, and types no program writes: the text
            cell = XCell(v, fmt)
        cells = self.sheet.rows.get(r)
        if cells is None:
            cells = self.sheet.rows[r] = {}
        cells[col] = cell

    def _cached(self, kind: str, text: str, is_date: bool, is_duration: bool) -> tuple[object, bool]:
        """A formula's saved result: numbers as floats, a shared string's text, errors flagged; a number in
        a date format is a date, like a typed one (and in the workbook's date system)."""
        if kind == "e":
            return text, True
        if kind == "b":
            return text == "1", False
        if kind == "s":
            strings = self.package.strings()
            index = int(text)
            return (strings[index] if 0 <= index < len(strings) else ""), False
        if kind in ("str", "inlineStr"):
            return text, False
        try:
            number = float(text)
        except ValueError:
            return text, False
        if is_date and math.isfinite(number):
            try:
                return from_excel(number, self.epoch, is_duration), False
            except (OverflowError, ValueError):
                return "#VALUE!", True
        return number, False

    def _formula(self, r: int, col: int) -> str:
        """"=" and the formula's text; a shared formula's other cells (no text) translated from its master."""
        attrs = self.f_attrs or {}
        text = "=" + (self.f or "")
        if attrs.get("t") != "shared":
            return text
        si = attrs.get("si", "")
        master = self.shared.get(si)
        if master is not None:
            formula, row0, col0 = master
            return translate(formula, r - row0, col - col0)
        if text != "=":
            self.shared[si] = (text, r, col)
        return text

    def _unmerge(self) -> None:
        """Only the top-left cell of a merged range holds a value (Excel shows no other; openpyxl dropped them)."""
        rows = self.sheet.rows
        for r1, c1, r2, c2 in self.sheet.merged:
            # A range over a million rows must not cost a million steps: walk the rows there are.
            inside = range(r1, r2 + 1) if r2 - r1 < len(rows) else [r for r in rows if r1 <= r <= r2]
            for r in inside:
                cells = rows.get(r) or {}
                for c in [c for c in cells if c1 <= c <= c2 and (r, c) != (r1, c1)]:
                    del cells[c]
