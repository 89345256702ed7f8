"""Turn one raw cell value (as ``workbook.read`` returns it: str, int, float, bool, a date or time, None)
into a typed value, never raising.

Every number is a ``decimal.Decimal``.  Floats enter only through :func:`to_decimal`,
which keeps Excel's 15 significant digits, so no float noise reaches a comparison.
A cell is read into a :class:`Parsed`: a status, the typed value, the precision it is
shown with, notes on usable-but-suspicious values and, when unusable, a stable problem key.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from enum import Enum
from functools import lru_cache

from evaltool.workbook.layout import Kind

__all__ = [
    "Bound",
    "Measure",
    "Parsed",
    "Status",
    "format_amount",
    "format_decimals",
    "format_percent",
    "is_percent_format",
    "parse_cell",
    "plain",
    "to_decimal",
]


class Status(Enum):
    OK = "ok"
    BLANK = "blank"
    PLACEHOLDER = "placeholder"
    INVALID = "invalid"
    ERROR_VALUE = "error_value"


@dataclass(frozen=True)
class Bound:
    """A stated inequality such as "≥90%" or "大于90%"."""

    op: str  # one of "≥", ">", "≤", "<"
    value: Decimal  # for PERCENT: a fraction (0.9); for MEASURE: the number as written (90)


@dataclass(frozen=True)
class Measure:
    """An indicator value: "6家" -> Measure(6, "家"); "≥90%" -> Measure(90, "%", "≥")."""

    value: Decimal
    unit: str
    op: str | None = None


_Value = Decimal | int | str | datetime.date | Bound | Measure | None


@dataclass(frozen=True, slots=True)
class Parsed:
    """The typed reading of one cell."""

    status: Status
    value: _Value = None
    decimals: int | None = None  # decimals shown (for PERCENT: of the percent points)
    notes: tuple[str, ...] = ()  # usable but suspicious: "as_text", "negative", "serial_date"
    problem: str | None = None  # INVALID / ERROR_VALUE: a short stable key


MAX_DECIMALS = 10
_TOO_LARGE = Decimal(10) ** 15
_SERIAL_MAX = 2958465  # 9999-12-31
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_MAC_EPOCH = datetime.date(1904, 1, 1)  # serial 0 of a workbook saved in the 1904 date system
_SERIAL_MAX_1904 = 2957003  # 9999-12-31 there
_NORMALIZE = Context(prec=20)  # one context for every float: building one per call showed in the profile

ERROR_CODES = frozenset(
    {"#DIV/0!", "#REF!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)
PLACEHOLDERS = frozenset({"—", "——", "-", "--", "－", "/", "／", "无", "N/A", "n/a", "NA"})
_DASH_RUN = re.compile(r"[-—–―－]{1,8}")

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_EDGE_WS = re.compile(rf"^[\s{_ZERO_WIDTH}]+|[\s{_ZERO_WIDTH}]+$")
_ANY_WS = re.compile(rf"[\s{_ZERO_WIDTH}]+")

_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"

# Comparator words and symbols, after NFKC (which turns "＞" into ">").
_BOUND_OPS: dict[str, str] = {
    "≥": "≥", ">=": "≥", "≧": "≥", "大于等于": "≥", "大于或等于": "≥", "不低于": "≥", "不少于": "≥",
    "不小于": "≥", "至少": "≥",
    ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    "≤": "≤", "<=": "≤", "≦": "≤", "小于等于": "≤", "小于或等于": "≤", "不高于": "≤", "不超过": "≤",
    "不大于": "≤", "不多于": "≤", "至多": "≤",
    "<": "<", "小于": "<", "低于": "<", "少于": "<",
}  # fmt: skip
_MEASURE_OPS: dict[str, str] = {**_BOUND_OPS, "=": "=", "==": "="}
_AT_LEAST_SUFFIXES = ("及以上", "或以上", "以上")
_AT_MOST_SUFFIXES = ("及以下", "或以下", "以下")


def _alternation(words: dict[str, str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A unit is matched as any letters, then kept only when they are Latin or CJK (``_is_unit``): a class of
# the CJK ranges themselves costs the re compiler 1–2 ms each (it walks every code point), 5 ms a start.
_LETTERS = r"[^\W\d_]"
_UNIT = rf"{_LETTERS}+[23]?(?:/{_LETTERS}+[23]?)?"
_PERCENT_RE = re.compile(rf"(?P<op>{_alternation(_BOUND_OPS)})?(?P<num>{_NUMBER})(?P<pct>%)?")
_MEASURE_RE = re.compile(
    rf"(?P<op>{_alternation(_MEASURE_OPS)})?(?P<num>{_NUMBER})(?P<pct>%)?(?P<unit>{_UNIT})?"
)
_MONEY_RE = re.compile(rf"(?P<sign>减少|增加)?¥?(?P<num>{_NUMBER})(?P<unit>万元|元|万)?")
_COUNT_RE = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>{_LETTERS}{{1,4}})?")
_YEAR_RE = re.compile(rf"(?P<num>{_NUMBER})(?:年度|年)?")
_SCORE_RE = re.compile(rf"(?P<num>{_NUMBER})分?")
_MULTIPLIERS = ("十", "百", "千", "万", "亿")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _is_unit(word: str | None) -> bool:
    """None, or letters (and the 2 or 3 of m2, m3, and a /) that are Latin or CJK."""
    return word is None or all(ch in "23/" or ch.isascii() or _is_cjk(ch) or "\u3400" <= ch <= "\u4dbf"
                               for ch in word)

_TIME = r"(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_RES = (
    re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}"),
    re.compile(rf"(\d{{4}})/(\d{{1,2}})/(\d{{1,2}}){_TIME}"),
    re.compile(rf"(\d{{4}})\.(\d{{1,2}})\.(\d{{1,2}}){_TIME}"),
    re.compile(rf"(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})[日号]?{_TIME}"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


# --------------------------------------------------------------------------- numbers


def to_decimal(x: int | float) -> Decimal:  # noqa: PYI041 - the API names both
    """Exact Decimal for an int; for a float, its value at Excel's 15 significant digits.

    Raises ``ValueError`` for inf and nan.
    """
    if isinstance(x, int):
        return Decimal(int(x))
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {x!r}")
    text = f"{x:.15g}"
    if "e" not in text:  # "g" wrote no trailing zero after a point: already the normal form
        d = Decimal(text)
        return Decimal(0) if d.is_zero() else d
    d = Decimal(text).normalize(_NORMALIZE)
    if d.as_tuple().exponent > 0:  # 1E+3 -> 1000
        d = Decimal(int(d))
    return d


def _decimals_of(d: Decimal) -> int:
    exponent = d.as_tuple().exponent
    return min(-exponent, MAX_DECIMALS) if isinstance(exponent, int) and exponent < 0 else 0


def _shift(d: Decimal, places: int) -> Decimal:
    """``d * 10**places``, exact (no context rounding)."""
    sign, digits, exponent = d.as_tuple()
    assert isinstance(exponent, int)
    return Decimal((sign, digits, exponent + places))


def _text_number(num: str) -> tuple[Decimal, int]:
    """A number matched by ``_NUMBER``: its value and the decimals written."""
    plain = num.replace(",", "")
    decimals = len(plain.split(".", 1)[1]) if "." in plain else 0
    d = Decimal(plain)
    if d.is_zero():
        d = d.copy_abs()
    return d, min(decimals, MAX_DECIMALS)


# --------------------------------------------------------------------------- formats


def _format_chars(number_format: str) -> Iterator[tuple[int, str]]:
    """(index, character) of a number format outside quoted text, [..] and escapes and padding (\\x, _x, *x)."""
    i, n = 0, len(number_format)
    while i < n:
        c = number_format[i]
        if c == '"':
            end = number_format.find('"', i + 1)
            i = n if end < 0 else end + 1
        elif c in "\\_*":
            i += 2
        elif c == "[":
            end = number_format.find("]", i + 1)
            i = n if end < 0 else end + 1
        else:
            yield i, c
            i += 1


def _first_section(number_format: str) -> str:
    """The first section of a number format, without quoted text, [..], escapes and padding."""
    out: list[str] = []
    for _, c in _format_chars(number_format):
        if c == ";":
            break
        out.append(c)
    return "".join(out)


def format_decimals(number_format: str | None) -> int | None:
    """Decimals an Excel number format shows ("0.00%" -> 2, "#,##0" -> 0); None for General/text/none."""
    if not number_format or not isinstance(number_format, str):
        return None
    return _format_decimals(number_format)


@lru_cache(maxsize=256)  # a workbook has a few formats and up to 300,000 cells that ask
def _format_decimals(number_format: str) -> int | None:
    section = _first_section(number_format)
    if section.strip().lower() == "general" or not any(c in "0#?" for c in section):
        return None
    point = section.find(".")
    if point < 0:
        return 0
    decimals = 0
    for c in section[point + 1 :]:
        if c not in "0#?":
            break
        decimals += 1
    return decimals


def with_decimals(number_format: str | None, places: int) -> str | None:
    """``number_format`` showing at least ``places`` decimals, everything else of it kept ("0%" →
    "0.00%", "#,##0.0" → "#,##0.00", "0%;-0%;-": each number section); None when it already shows them,
    or shows every digit (General, text).  --fix writes a figure the cell must show in full."""
    shown = format_decimals(number_format)
    if shown is None or shown >= places or number_format is None:
        return None
    out: list[str] = []
    for section in _sections(number_format):
        out.append(_section_with_decimals(section, places))
    return ";".join(out)


def _sections(number_format: str) -> list[str]:
    """The format's sections, split at ";" outside quotes, brackets and escapes."""
    cuts = [i for i, c in _format_chars(number_format) if c == ";"]
    return [number_format[start + 1:end] for start, end in zip([-1, *cuts], [*cuts, len(number_format)], strict=True)]


def _section_with_decimals(section: str, places: int) -> str:
    """One section with ``places`` decimals: zeros added after its decimal digits, or ".00" after its
    integer digits; a section without digits ("-", "@") as it is."""
    last_digit = point = -1
    for i, c in _format_chars(section):
        if c in "0#?" or (c == "," and last_digit == i - 1):
            last_digit = i
        elif c == "." and point < 0 and last_digit >= 0:
            point = i
        elif c in "Ee":
            break
    if last_digit < 0:
        return section
    if point < 0:
        return section[: last_digit + 1] + "." + "0" * places + section[last_digit + 1:]
    have = sum(1 for c in section[point + 1: last_digit + 1] if c in "0#?")
    return section[: last_digit + 1] + "0" * max(places - have, 0) + section[last_digit + 1:]


def is_percent_format(number_format: str | None) -> bool:
    """Whether the format's first section shows a percent sign (outside quotes and brackets)."""
    if not number_format or not isinstance(number_format, str):
        return False
    return _percent_format(number_format)


@lru_cache(maxsize=256)
def _percent_format(number_format: str) -> bool:
    return "%" in _first_section(number_format)


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """``value`` rounded as Excel displays it (half up), at any magnitude (no InvalidOperation)."""
    decimals = max(int(decimals), 0)
    # The result has adjusted() + 1 integer digits (1e68 has 69) and ``decimals`` more: room for all.
    digits = max(len(value.as_tuple().digits), value.adjusted() + 1)
    with localcontext(Context(prec=max(28, digits + decimals + 2))):
        q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return q.copy_abs() if q.is_zero() else q


def format_percent(fraction: Decimal, decimals: int) -> str:
    """A fraction as a percent string: (Decimal("0.81318"), 2) -> "81.32%" (ROUND_HALF_UP)."""
    if not fraction.is_finite():
        return f"{fraction}%"
    return f"{round_half_up(_shift(fraction, 2), decimals):f}%"


def format_amount(value: Decimal, decimals: int = 2) -> str:
    """An amount as plain text: "2914.41", "-10.94" (no thousands separator, ROUND_HALF_UP)."""
    if not value.is_finite():
        return str(value)
    return f"{round_half_up(value, decimals):f}"


# --------------------------------------------------------------------------- text helpers


def _edge_space(c: str) -> bool:
    return c.isspace() or c in _ZERO_WIDTH  # str.isspace() is what "\s" matches in a str pattern


def _strip(s: str) -> str:
    if s and not _edge_space(s[0]) and not _edge_space(s[-1]):  # most text: nothing to strip, no regex
        return s
    return _EDGE_WS.sub("", s)


def _blank(s: str) -> bool:
    """Nothing but spaces and zero-width characters (most text fails on its first character)."""
    return not s or (_edge_space(s[0]) and not _ANY_WS.sub("", s))


def _nfkc(s: str) -> str:
    return _strip(unicodedata.normalize("NFKC", s))


def _compact(s: str) -> str:
    """NFKC, no whitespace at all, minus signs as ASCII: the form numbers are parsed from."""
    return _ANY_WS.sub("", unicodedata.normalize("NFKC", s)).replace("\u2212", "-")


_LONGEST_PLACEHOLDER = 16  # every placeholder has at most 8 characters (a run of dashes); NFKC only shortens
# text by composing letters with their accents, so longer text is never one: most cells skip the work.


def _is_placeholder(s: str) -> bool:
    stripped = _strip(s)
    if len(stripped) > _LONGEST_PLACEHOLDER:
        return False
    normalized = _nfkc(s)
    if stripped in PLACEHOLDERS or normalized in PLACEHOLDERS:
        return True
    return normalized.casefold() in {"n/a", "na"} or _DASH_RUN.fullmatch(normalized) is not None


def _fixed(d: Decimal) -> str:
    return f"{d:f}"


def plain(d: Decimal) -> str:
    """A number as an officer writes it, no trailing zeros or exponent: 2369.93, 18, 3.6, -10.94."""
    s = format(d.normalize(), "f")
    return "0" if s in ("-0", "0") else s


def _as_text(raw: object) -> str | None:
    """The text a TEXT cell stands for, as typed (full-width （） kept: names are shown exactly as the officer
    wrote them; comparisons normalise on their own, e.g. ``model.department_key``); None for an unsupported type."""
    if isinstance(raw, str):
        return _strip(raw)
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return _fixed(to_decimal(raw)) if math.isfinite(raw) else str(raw)
    if isinstance(raw, Decimal):
        return _fixed(raw) if raw.is_finite() else str(raw)
    if isinstance(raw, datetime.datetime):
        if raw.time() == datetime.time(0) and raw.tzinfo is None:
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, (datetime.date, datetime.time)):
        return raw.isoformat()
    return None


# --------------------------------------------------------------------------- results


def _invalid(problem: str, value: object = None) -> Parsed:
    return Parsed(Status.INVALID, value if isinstance(value, str) else None, problem=problem)


def _ok(value: _Value, decimals: int | None = None, notes: tuple[str, ...] = ()) -> Parsed:
    return Parsed(Status.OK, value, decimals, notes)


def _raw_number(raw: object, number_format: str | None) -> tuple[Decimal, int] | Parsed:
    """A non-text cell as a number and its shown decimals, or the INVALID reading."""
    if isinstance(raw, float):  # the usual case first
        if not math.isfinite(raw):
            return _invalid("not_finite")
        d = to_decimal(raw)
    elif isinstance(raw, bool):
        return _invalid("boolean")
    elif isinstance(raw, int):
        d = Decimal(raw)
    elif isinstance(raw, Decimal):
        if not raw.is_finite():
            return _invalid("not_finite")
        d = raw
    elif isinstance(raw, (datetime.date, datetime.time)):
        return _invalid("date_in_number")
    else:
        return _invalid("unsupported_type")
    if abs(d) >= _TOO_LARGE:
        return _invalid("too_large")
    shown = format_decimals(number_format)
    return d, _decimals_of(d) if shown is None else min(shown, MAX_DECIMALS)


# --------------------------------------------------------------------------- per kind


def _money(raw: object, kind: Kind, number_format: str | None, unit: str) -> Parsed:
    notes: tuple[str, ...] = ()
    if isinstance(raw, str):
        m = _MONEY_RE.fullmatch(_compact(raw))
        if m is None or (m["sign"] and (kind is not Kind.SIGNED_MONEY or m["num"][0] in "+-")):
            return _invalid("not_a_number")
        written = m["unit"]
        if written is not None and ("万元" if written == "万" else written) != unit:
            return _invalid("unit_mismatch")
        d, decimals = _text_number(m["num"])
        if m["sign"] == "减少" and not d.is_zero():
            d = -d
        notes = ("as_text",)
    else:
        got = _raw_number(raw, number_format)
        if isinstance(got, Parsed):
            return got
        d, decimals = got
    if abs(d) >= _TOO_LARGE:
        return _invalid("too_large")
    if kind is Kind.MONEY and d < 0:
        notes += ("negative",)
    return _ok(d, decimals, notes)


def _percent(raw: object, number_format: str | None) -> Parsed:
    if isinstance(raw, str):
        m = _PERCENT_RE.fullmatch(_compact(raw))
        if m is None:
            return _invalid("not_a_number")
        points, decimals = _text_number(m["num"])
        if abs(points) >= _TOO_LARGE:
            return _invalid("too_large")
        fraction = _shift(points, -2)
        if m["op"]:
            return _ok(Bound(_BOUND_OPS[m["op"]], fraction), decimals)
        notes: tuple[str, ...] = ("as_text",)
    else:
        got = _raw_number(raw, number_format)
        if isinstance(got, Parsed):
            return got
        d, decimals = got
        if is_percent_format(number_format):
            fraction = d
            if format_decimals(number_format) is None:
                decimals = _decimals_of(_shift(d, 2))
        else:
            fraction = _shift(d, -2)
        notes = ()
    if fraction < 0:
        notes += ("negative",)
    return _ok(fraction, decimals, notes)


def _count(raw: object, number_format: str | None) -> Parsed:
    notes: tuple[str, ...] = ()
    if isinstance(raw, str):
        m = _COUNT_RE.fullmatch(_compact(raw))
        if m is None or not all(map(_is_cjk, m["unit"] or "")) or (m["unit"] and m["unit"].startswith(_MULTIPLIERS)):
            return _invalid("not_a_number")
        d, _ = _text_number(m["num"])
        notes = ("as_text",)
    else:
        got = _raw_number(raw, number_format)
        if isinstance(got, Parsed):
            return got
        d = got[0]
    if abs(d) >= _TOO_LARGE:
        return _invalid("too_large")
    if d < 0:
        return _invalid("negative")
    if d != d.to_integral_value():
        return _invalid("not_whole")
    return _ok(int(d), 0, notes)


def _year(raw: object) -> Parsed:
    notes: tuple[str, ...] = ()
    if isinstance(raw, bool):
        return _invalid("boolean")
    if isinstance(raw, str):
        m = _YEAR_RE.fullmatch(_compact(raw))
        if m is None:
            return _invalid("not_a_year")
        d, _ = _text_number(m["num"])
        notes = ("as_text",)
    elif isinstance(raw, (int, float, Decimal)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return _invalid("not_a_year")
        if isinstance(raw, Decimal) and not raw.is_finite():
            return _invalid("not_a_year")
        d = to_decimal(raw) if isinstance(raw, (int, float)) else raw
    else:
        return _invalid("not_a_year")
    if not (1900 <= d <= 2100) or d != d.to_integral_value():
        return _invalid("not_a_year")
    return _ok(int(d), None, notes)


def _score(raw: object, number_format: str | None) -> Parsed:
    notes: tuple[str, ...] = ()
    if isinstance(raw, str):
        m = _SCORE_RE.fullmatch(_compact(raw))
        if m is None:
            return _invalid("not_a_number")
        d, decimals = _text_number(m["num"])
        notes = ("as_text",)
    else:
        got = _raw_number(raw, number_format)
        if isinstance(got, Parsed):
            return got
        d, decimals = got
    if abs(d) >= _TOO_LARGE:
        return _invalid("too_large")
    if d < 0:
        return _invalid("negative")
    return _ok(d, decimals, notes)


def _serial_date(serial: int, date1904: bool = False) -> datetime.date | None:
    """An Excel serial as a date: in the 1900 system (serial 60 is Excel's phantom 1900-02-29), or the
    1904 system of a workbook saved so (serial 0 is 1904-01-01)."""
    if date1904:
        return _MAC_EPOCH + datetime.timedelta(days=serial) if 1 <= serial <= _SERIAL_MAX_1904 else None
    if not 1 <= serial <= _SERIAL_MAX or serial == 60:
        return None
    if serial < 60:
        return datetime.date(1899, 12, 31) + datetime.timedelta(days=serial)
    return _EXCEL_EPOCH + datetime.timedelta(days=serial)


def _date(raw: object, date1904: bool) -> Parsed:
    if isinstance(raw, datetime.datetime):
        return _ok(raw.date())
    if isinstance(raw, datetime.date):
        return _ok(raw)
    if isinstance(raw, bool):
        return _invalid("bad_date")
    if isinstance(raw, (int, float, Decimal)):
        try:
            serial = math.floor(raw)
        except (ValueError, OverflowError, InvalidOperation):
            return _invalid("bad_date")
        day = _serial_date(serial, date1904)
        return _invalid("bad_date") if day is None else _ok(day, notes=("serial_date",))
    if isinstance(raw, str):
        text = _compact(raw)
        for pattern in _DATE_RES:
            m = pattern.fullmatch(text)
            if m is not None:
                try:
                    return _ok(datetime.date(int(m[1]), int(m[2]), int(m[3])))
                except ValueError:
                    return _invalid("bad_date")
    return _invalid("bad_date")


def _phone(raw: object) -> Parsed:
    if isinstance(raw, str):
        return _ok(_nfkc(raw))
    if isinstance(raw, bool):
        return _invalid("boolean")
    if isinstance(raw, (datetime.date, datetime.time)):
        return _invalid("date_in_number")
    if isinstance(raw, int):
        return _ok(str(raw))
    if isinstance(raw, (float, Decimal)):
        if not (math.isfinite(raw) if isinstance(raw, float) else raw.is_finite()):
            return _invalid("not_finite")
        d = to_decimal(raw) if isinstance(raw, float) else raw
        return _ok(str(int(d)) if d == d.to_integral_value() else _fixed(d))
    return _invalid("unsupported_type")


@lru_cache(maxsize=64)
def _choice_keys(choices: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_choice_key(c) for c in choices)


def _choice_key(s: str) -> str:
    return _short_choice_key(s) if len(s) <= 64 else _choice_key_of(s)


@lru_cache(maxsize=1024)  # choices and what officers pick from them: few distinct short strings, asked per cell
def _short_choice_key(s: str) -> str:
    return _choice_key_of(s)


def _choice_key_of(s: str) -> str:
    return _compact(s).replace(">=", "≥").replace("<=", "≤").replace("≧", "≥").replace("≦", "≤")


def _choice(raw: object, choices: tuple[str, ...]) -> Parsed | None:
    """The canonical choice ``raw`` names, INVALID if none; None when it is not text at all."""
    text = _as_text(raw)
    if text is None:
        return None
    key = _choice_key(text)
    for choice in choices:
        if _choice_key(choice) == key:
            return _chosen(choice)
    return _invalid("not_a_choice")


@lru_cache(maxsize=256)
def _chosen(choice: str) -> Parsed:
    """One reading per choice, shared (it is immutable): a 50,000-row list says 完成 50,000 times."""
    return _ok(choice)


def _measure(raw: object, number_format: str | None) -> Parsed:
    if isinstance(raw, str):
        text = _compact(raw)
        m = _MEASURE_RE.fullmatch(text)
        if m is None or not _is_unit(m["unit"]):
            return _ok(_nfkc(raw))
        d, decimals = _text_number(m["num"])
        if abs(d) >= _TOO_LARGE:
            return _invalid("too_large")
        op = _MEASURE_OPS[m["op"]] if m["op"] else None
        word = m["unit"] or ""
        for suffixes, implied in ((_AT_LEAST_SUFFIXES, "≥"), (_AT_MOST_SUFFIXES, "≤")):
            suffix = next((s for s in suffixes if word.endswith(s)), None)
            if suffix is not None and op is None:
                word, op = word[: -len(suffix)], implied
                break
        if m["pct"] and word:
            return _ok(_nfkc(raw))  # "5%左右": words, not a measure
        return _ok(Measure(d, "%" if m["pct"] else word, op), decimals)
    if isinstance(raw, (datetime.date, datetime.time)):
        return _ok(_as_text(raw))  # a completion date is a qualitative value here
    got = _raw_number(raw, number_format)
    if isinstance(got, Parsed):
        return got
    d, decimals = got
    if is_percent_format(number_format):
        points = _shift(d, 2)
        if format_decimals(number_format) is None:
            decimals = _decimals_of(points)
        return _ok(Measure(points, "%"), decimals)
    return _ok(Measure(d, ""), decimals)


# --------------------------------------------------------------------------- entry point


def parse_cell(
    raw: object,
    kind: Kind,
    number_format: str | None = None,
    *,
    unit: str = "万元",
    choices: tuple[str, ...] = (),
    is_error: bool = False,
    date1904: bool = False,
) -> Parsed:
    """Read one cell's raw value as ``kind``; never raises (anything unexpected is INVALID).

    ``date1904``: the workbook counts its date serials from 1904 (a number typed into a date cell).
    """
    try:
        return _parse(raw, kind, number_format, unit, choices, is_error, date1904)
    except Exception:  # noqa: BLE001 - the contract: a cell is a value or a finding, never a crash
        return _invalid("unexpected")


_BLANK = Parsed(Status.BLANK)  # immutable: one for every blank cell


def _parse(
    raw: object, kind: Kind, number_format: str | None, unit: str, choices: tuple[str, ...], is_error: bool,
    date1904: bool,
) -> Parsed:
    if not isinstance(number_format, str):
        number_format = None
    if is_error or (isinstance(raw, str) and _strip(raw) in ERROR_CODES):
        code = _strip(raw) if isinstance(raw, str) else (None if raw is None else str(raw))
        return Parsed(Status.ERROR_VALUE, code, problem="error_value")
    if raw is None:
        return _BLANK
    if isinstance(raw, str):
        if _blank(raw):
            return _BLANK
        if kind is Kind.CHOICE and _choice_key(raw) in _choice_keys(choices):
            return _choice(raw, choices) or _invalid("not_a_choice")
        if _is_placeholder(raw):
            return Parsed(Status.PLACEHOLDER)
    elif not isinstance(raw, (int, float, Decimal, datetime.date, datetime.time)):
        return _invalid("unsupported_type")

    if kind in (Kind.MONEY, Kind.SIGNED_MONEY):
        return _money(raw, kind, number_format, unit)
    if kind is Kind.PERCENT:
        return _percent(raw, number_format)
    if kind is Kind.COUNT:
        return _count(raw, number_format)
    if kind is Kind.YEAR:
        return _year(raw)
    if kind is Kind.SCORE:
        return _score(raw, number_format)
    if kind is Kind.DATE:
        return _date(raw, date1904)
    if kind is Kind.PHONE:
        return _phone(raw)
    if kind is Kind.TEXT:
        text = _as_text(raw)
        return _invalid("unsupported_type") if text is None else _ok(text)
    if kind is Kind.CHOICE:
        return _choice(raw, choices) or _invalid("unsupported_type")
    if kind is Kind.MEASURE:
        return _measure(raw, number_format)
    return _invalid("unknown_kind")
