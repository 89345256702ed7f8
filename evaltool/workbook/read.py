"""Read the package in one streaming pass, without openpyxl: the workbook's sheets, its shared strings and
number formats, and the cells and merged ranges of the sheets asked for.

Each cell comes back as openpyxl loaded it before (the reader's findings must not change with the
parser): the typed value (a number in a date format is a ``datetime`` as ``openpyxl.utils.datetime
.from_excel`` makes it, in the workbook's 1900 or 1904 date system), rich text as its plain text, and
for a formula cell its text ("=B5/B14", a shared formula translated to the cell) and its cached result.
Only the sheets asked for are parsed, so a huge sheet the layout does not use costs nothing.

Safe XML: every part goes through ``defusedxml`` with DTDs forbidden (the guard has already refused a
part declaring one; this is the second line).  A part that cannot be read raises ``InputError``
("workbook_damaged" naming the part, "xml_unsafe" for a DTD).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, NamedTuple

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring, iterparse

from evaltool.errors import InputError
from evaltool.workbook.xlsxcache import content_types, main_part, relationships

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ROW, _C, _V, _F, _IS, _T, _R = (f"{_NS}{t}" for t in ("row", "c", "v", "f", "is", "t", "r"))
_SI, _MERGE = f"{_NS}si", f"{_NS}mergeCell"

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
_CUSTOM_FLOOR = 164  # ids below are built in

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


class XCell(NamedTuple):
    """One cell as read: ``value`` is the typed value, for a formula cell its cached result."""

    value: object
    number_format: str = GENERAL
    formula: str | None = None  # "=..." for a formula cell
    no_cache: bool = False  # a formula saved without its result (value None)
    error: bool = False  # an error value (#DIV/0!), typed or cached

    @property
    def shown(self) -> object:
        """What a program that loads formulas shows in the cell: the formula, else the value."""
        return self.value if self.formula is None else self.formula


EMPTY = XCell(None)


@dataclass
class Worksheet:
    title: str
    cells: dict[tuple[int, int], XCell]  # (row, column), 1-based
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_row, min_col, max_row, max_col)

    def at(self, row: int, col: int) -> XCell:
        return self.cells.get((row, col), EMPTY)


@dataclass(frozen=True)
class SheetEntry:
    name: str
    state: str  # visible, hidden, veryHidden
    part: str
    chartsheet: bool


@lru_cache(maxsize=1024)
def column_letter(col: int) -> str:
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=1024)
def column_index(letters: str) -> int:
    """1-based index of column ``letters`` (A to ZZZ, any case); ValueError otherwise."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"not a column: {letters!r}")
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index


_COORD = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def coordinate(ref: str) -> tuple[int, int]:
    """(row, column) of "B5"; ValueError for anything else."""
    m = _COORD.fullmatch(ref)
    if m is None or int(m[2]) == 0:
        raise ValueError(f"not a cell: {ref!r}")
    return int(m[2]), column_index(m[1])


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


def _text(el) -> str:
    """The plain text of a string item (``<si>`` or ``<is>``) as openpyxl's rich-text reading gives it:
    its ``<t>``, else its runs joined; phonetic runs (``<rPh>``) are not text."""
    t = el.find(_T)
    if t is not None and t.text:
        return t.text.replace("x005F_", "")  # openpyxl's handling of the escaped underscore, kept as it was
    return "".join((r.findtext(_T) or "").replace("x005F_", "") for r in el.iterfind(_R))


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
        self._zip = zipfile.ZipFile(path)
        try:
            self._names = set(self._zip.namelist())
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
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets)

    def _entries(self, root):
        """The sheets in workbook order; as openpyxl had them: one without a relationship id or whose part
        is missing is left out, a relationship id the workbook does not have is damage."""
        for el in root.iter(f"{_NS}sheet"):
            rid = el.get(_REL_ID)
            if not rid:
                continue
            kind, part = self._rels[rid]
            if part in self._names:
                yield SheetEntry(el.get("name", ""), el.get("state") or "visible", part, "chartsheet" in kind)

    @contextmanager
    def _reading(self, part: str):
        """Damage found while reading ``part`` becomes the officer's message naming the part."""
        try:
            yield
        except InputError:
            raise
        except DefusedXmlException:
            raise InputError("xml_unsafe", path=self.path, part=part) from None
        except (ParseError, KeyError, ValueError, IndexError, OverflowError, EOFError, OSError, NotImplementedError,
                zipfile.BadZipFile, zlib.error) as e:
            raise InputError("workbook_damaged", path=self.path, reason=part) from e

    def _part_of(self, rel_type: str, content_type: str, default: str | None) -> str | None:
        overrides, _ = content_types(self._zip)
        part = next((p for p, ct in overrides.items() if ct.endswith(content_type)), None)
        part = part or next((t for kind, t in self._rels.values() if kind == rel_type), None) or default
        return part if part in self._names else None

    def strings(self) -> list[str]:
        if self._strings is None:
            part = self._part_of("sharedStrings", ".sharedStrings+xml", None)
            strings: list[str] = []
            if part is not None:
                with self._reading(part), self._zip.open(part) as fh:
                    for _, el in iterparse(fh, forbid_dtd=True):
                        if el.tag == _SI:
                            strings.append(_text(el))
                            el.clear()
            self._strings = strings
        return self._strings

    def styles(self) -> list[tuple[str, bool, bool]]:
        """Per cell format (``s``): its number format and whether it shows a date or a duration, as openpyxl
        read them: a custom format by its id (whatever the id), else the built-in table, else General."""
        if self._styles is None:
            part = self._part_of("styles", ".styles+xml", "xl/styles.xml")
            styles = [(GENERAL, False, False)]  # what openpyxl assumed without a style sheet
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
        styles = self.styles()
        with self._reading(entry.part), self._zip.open(entry.part) as fh:
            return _SheetParser(self, entry.name, styles).parse(fh)


class _SheetParser:
    """One worksheet part: rows as openpyxl's WorkSheetParser walked them (a cell or row without its
    number follows the one before), cells as it typed them."""

    def __init__(self, package: Package, title: str, styles: list[tuple[str, bool, bool]]) -> None:
        self.package = package
        self.sheet = Worksheet(title, {})
        self.styles = styles
        self.epoch = MAC_EPOCH if package.date1904 else WINDOWS_EPOCH
        self.shared: dict[str, tuple[str, int, int]] = {}  # shared formula id -> (text, row, column) of its master
        self.row = 0

    def parse(self, fh: IO[bytes]) -> Worksheet:
        for _, el in iterparse(fh, forbid_dtd=True):
            tag = el.tag
            if tag == _ROW:
                self._row(el)
                el.clear()
            elif tag == _MERGE:
                self.sheet.merged.append(cell_range(el.get("ref", "")))
        self._unmerge()
        return self.sheet

    def _row(self, row) -> None:
        number = row.get("r")
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
        col = 0
        cells = self.sheet.cells
        for c in row:
            if c.tag != _C:
                continue
            ref = c.get("r")
            if ref:
                r, col = coordinate(ref)
            else:
                r, col = self.row, col + 1
            cells[(r, col)] = self._cell(c, r, col)

    def _cell(self, c, r: int, col: int) -> XCell:
        kind = c.get("t", "n")
        style = c.get("s")
        fmt, is_date, is_duration = self.styles[int(style) if style else 0]
        v = f = inline = None
        for child in c:
            tag = child.tag
            if tag == _V:
                v = child
            elif tag == _F:
                f = child
            elif tag == _IS:
                inline = child
        if f is not None:
            formula = self._formula(f, r, col)
            text = v.text if v is not None else None
            if text is None:
                return XCell(None, fmt, formula, no_cache=True)
            value, error = self._cached(kind, text, is_date, is_duration)
            return XCell(value, fmt, formula, error=error)
        if kind == "inlineStr":
            return XCell(None if inline is None else _text(inline), fmt)
        text = v.text if v is not None else None
        if not text:
            return XCell(None, fmt)
        if kind == "n":
            number = _number(text)
            if is_date:
                try:
                    return XCell(from_excel(number, self.epoch, is_duration), fmt)
                except (OverflowError, ValueError):  # beyond the dates there are: openpyxl made it #VALUE!
                    return XCell("#VALUE!", fmt, error=True)
            return XCell(number, fmt)
        if kind == "s":
            return XCell(self.package.strings()[int(text)], fmt)
        if kind == "b":
            return XCell(bool(int(text)), fmt)
        if kind == "d":
            return XCell(from_iso8601(text), fmt)
        return XCell(text, fmt, error=kind == "e")  # str, e, and types no program writes: the text

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

    def _formula(self, f, r: int, col: int) -> str:
        """"=" and the formula's text; a shared formula's other cells (no text) translated from its master."""
        text = "=" + (f.text or "")
        if f.get("t") != "shared":
            return text
        si = f.get("si", "")
        master = self.shared.get(si)
        if master is not None:
            formula, row0, col0 = master
            return translate(formula, r - row0, col - col0)
        if text != "=":
            self.shared[si] = (text, r, col)
        return text

    def _unmerge(self) -> None:
        """Only the top-left cell of a merged range holds a value (Excel shows no other; openpyxl dropped them)."""
        cells = self.sheet.cells
        for r1, c1, r2, c2 in self.sheet.merged:
            if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(cells):
                inside = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
            else:
                inside = [k for k in cells if r1 <= k[0] <= r2 and c1 <= k[1] <= c2]
            for key in inside:
                if key != (r1, c1):
                    cells.pop(key, None)
