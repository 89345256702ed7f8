"""Tests for evaltool.workbook.numbers: one raw cell value into a typed value, never raising."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from evaltool.workbook.layout import Kind
from evaltool.workbook.numbers import (
    Bound,
    Measure,
    Parsed,
    Status,
    format_amount,
    format_decimals,
    format_percent,
    is_percent_format,
    parse_cell,
    to_decimal,
)

D = Decimal


def ok(parsed: Parsed) -> Parsed:
    assert parsed.status is Status.OK, parsed
    assert parsed.problem is None
    return parsed


def invalid(parsed: Parsed, problem: str) -> None:
    assert parsed.status is Status.INVALID, parsed
    assert parsed.problem == problem


# --------------------------------------------------------------------------- to_decimal


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (2914.4100000000003, "2914.41"),
        (0.1 + 0.2, "0.3"),
        (1e-7, "0.0000001"),
        (100.0, "100"),
        (1e14, "100000000000000"),
        (-0.0, "0"),
        (0.0, "0"),
        (-10.94, "-10.94"),
        (7, "7"),
        (12345678901234567890, "12345678901234567890"),
        (0.8132, "0.8132"),
    ],
)
def test_to_decimal(x: float, expected: str) -> None:
    d = to_decimal(x)
    assert d == D(expected)
    assert isinstance(d, Decimal)


def test_to_decimal_has_no_exponent_noise() -> None:
    assert str(to_decimal(100.0)) == "100"
    assert str(to_decimal(2914.4100000000003)) == "2914.41"
    assert f"{to_decimal(1e-7):f}" == "0.0000001"
    assert to_decimal(1e-7).as_tuple().digits == (1,)


def test_to_decimal_ints_are_exact() -> None:
    assert to_decimal(10**20 + 1) == D(10**20 + 1)


@pytest.mark.parametrize("x", [math.inf, -math.inf, math.nan])
def test_to_decimal_rejects_non_finite(x: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        to_decimal(x)


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: abs(f) < 1e15))
def test_to_decimal_keeps_15_significant_digits(f: float) -> None:
    d = to_decimal(f)
    assert len(d.normalize().as_tuple().digits) <= 15
    assert float(d) == float(f"{f:.15g}")


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("0.00%", 2),
        ("0%", 0),
        ("#,##0.00", 2),
        ("0.0", 1),
        ("#,##0.00_);[Red](#,##0.00)", 2),
        ("#,##0_);[Red](#,##0)", 0),
        ('"¥"#,##0.000', 3),
        ("0.00_ ", 2),
        ("[$-804]0.0", 1),
        ('0.00"元"', 2),
        ("0", 0),
        ("General", None),
        ("general", None),
        (None, None),
        ("", None),
        ("@", None),
        ("yyyy-mm-dd", None),
        ('yyyy"年"m"月"d"日"', None),
    ],
)
def test_format_decimals(fmt: str | None, expected: int | None) -> None:
    assert format_decimals(fmt) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("0.00%", True),
        ("0%", True),
        ("0.0%;[Red]-0.0%", True),
        ('0.00"%"', False),
        ("[%]0.00", False),
        ("0.00;0.00%", False),
        ("0.00", False),
        ("General", False),
        (None, False),
        ("", False),
    ],
)
def test_is_percent_format(fmt: str | None, expected: bool) -> None:
    assert is_percent_format(fmt) is expected


@pytest.mark.parametrize(
    ("fraction", "decimals", "expected"),
    [
        (D("0.81318"), 2, "81.32%"),
        (D("0.81318"), 1, "81.3%"),
        (D("0.81318"), 0, "81%"),
        (D("0.812345"), 2, "81.23%"),
        (D("0.812350"), 2, "81.24%"),  # half up
        (D("1.1665"), 1, "116.7%"),
        (D("1"), 0, "100%"),
        (D("1"), 2, "100.00%"),
        (D("-0.05"), 1, "-5.0%"),
        (D("-0.00001"), 2, "0.00%"),
    ],
)
def test_format_percent(fraction: Decimal, decimals: int, expected: str) -> None:
    assert format_percent(fraction, decimals) == expected


def test_format_percent_of_a_true_ratio() -> None:
    assert format_percent(D("2369.93") / D("2914.41"), 2) == "81.32%"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (D("2914.41"), 2, "2914.41"),
        (D("2914.405"), 2, "2914.41"),
        (D("2914.404"), 2, "2914.40"),
        (D("-10.94"), 2, "-10.94"),
        (D("-10.935"), 2, "-10.94"),
        (D("1234567.891"), 2, "1234567.89"),
        (D("7"), 2, "7.00"),
        (D("7.5"), 0, "8"),
        (D("-0.001"), 2, "0.00"),
        (D("1E+3"), 2, "1000.00"),
    ],
)
def test_format_amount(value: Decimal, decimals: int, expected: str) -> None:
    assert format_amount(value, decimals) == expected


def test_format_amount_default_two_decimals() -> None:
    assert format_amount(D("2914.4")) == "2914.40"


# --------------------------------------------------------------------------- blanks, placeholders, errors


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\xa0", " \t\n "])
def test_blank(kind: Kind, raw: object) -> None:
    assert parse_cell(raw, kind) == Parsed(Status.BLANK)


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize(
    "raw", ["—", "——", "-", "--", "－", "/", "／", "无", "N/A", "n/a", "NA", " — ", "\u3000无\u3000"]
)
def test_placeholder(kind: Kind, raw: str) -> None:
    parsed = parse_cell(raw, kind, choices=("是", "否"))
    assert parsed.status is Status.PLACEHOLDER
    assert parsed.value is None


ERROR_CODES = [
    "#DIV/0!",
    "#REF!",
    "#VALUE!",
    "#N/A",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
]


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("code", ERROR_CODES)
def test_error_codes(kind: Kind, code: str) -> None:
    for is_error in (True, False):
        parsed = parse_cell(code, kind, is_error=is_error)
        assert parsed.status is Status.ERROR_VALUE
        assert parsed.problem == "error_value"
        assert parsed.value == code


def test_div0_is_error() -> None:
    assert parse_cell("#DIV/0!", Kind.PERCENT, "0.00%", is_error=True) == Parsed(
        Status.ERROR_VALUE, "#DIV/0!", problem="error_value"
    )


def test_is_error_wins_over_the_value() -> None:
    assert parse_cell("anything", Kind.MONEY, is_error=True).status is Status.ERROR_VALUE


def test_error_code_text_inside_other_text_is_not_an_error() -> None:
    assert parse_cell("see #REF! above", Kind.TEXT) == Parsed(Status.OK, "see #REF! above")


def test_dash_placeholder_not_taken_for_negative_number() -> None:
    assert ok(parse_cell("-10.94", Kind.SIGNED_MONEY)).value == D("-10.94")


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize("kind", [Kind.MONEY, Kind.SIGNED_MONEY])
@pytest.mark.parametrize(
    ("raw", "value", "decimals"),
    [
        ("2,369.93", "2369.93", 2),
        ("2,914.41", "2914.41", 2),
        ("1,234,567.8", "1234567.8", 1),
        (" 2914.41 ", "2914.41", 2),
        ("\u30002914.41\xa0", "2914.41", 2),
        ("２９１４．４１", "2914.41", 2),
        ("2914.41万元", "2914.41", 2),
        ("2914.41 万元", "2914.41", 2),
        ("2914.410", "2914.410", 3),
        ("2914", "2914", 0),
        ("0", "0", 0),
    ],
)
def test_money_as_text(kind: Kind, raw: str, value: str, decimals: int) -> None:
    parsed = ok(parse_cell(raw, kind))
    assert parsed.value == D(value)
    assert isinstance(parsed.value, Decimal)
    assert parsed.decimals == decimals
    assert parsed.notes == ("as_text",)


def test_money_unit_suffix() -> None:
    assert ok(parse_cell("2914.41万元", Kind.MONEY, unit="万元")).value == D("2914.41")
    invalid(parse_cell("2914.41万元", Kind.MONEY, unit="元"), "unit_mismatch")
    assert ok(parse_cell("29144100元", Kind.MONEY, unit="元")).value == D("29144100")
    invalid(parse_cell("29144100元", Kind.MONEY, unit="万元"), "unit_mismatch")
    invalid(parse_cell("10.94万元", Kind.SIGNED_MONEY, unit="元"), "unit_mismatch")


@pytest.mark.parametrize(
    ("raw", "fmt", "value", "decimals"),
    [
        (2914.41, None, "2914.41", 2),
        (2914.4100000000003, None, "2914.41", 2),
        (2914.4100000000003, "#,##0.00", "2914.41", 2),
        (2914.4, "0.00", "2914.4", 2),
        (2914.4, "General", "2914.4", 1),
        (0.1 + 0.2, None, "0.3", 1),
        (7, None, "7", 0),
        (7, "#,##0.00_);[Red](#,##0.00)", "7", 2),
        (D("12.345"), None, "12.345", 3),
    ],
)
def test_money_numbers(raw: object, fmt: str | None, value: str, decimals: int) -> None:
    parsed = ok(parse_cell(raw, Kind.MONEY, fmt))
    assert parsed.value == D(value)
    assert parsed.decimals == decimals
    assert parsed.notes == ()


def test_money_negative_is_kept_with_a_note() -> None:
    assert parse_cell(-10.94, Kind.MONEY) == Parsed(Status.OK, D("-10.94"), 2, ("negative",))
    assert parse_cell("-10.94", Kind.MONEY) == Parsed(Status.OK, D("-10.94"), 2, ("as_text", "negative"))


@pytest.mark.parametrize(
    ("raw", "value", "notes"),
    [
        ("减少 10.94", "-10.94", ("as_text",)),
        ("减少10.94万元", "-10.94", ("as_text",)),
        ("增加 10.94", "10.94", ("as_text",)),
        ("增加10.94万元", "10.94", ("as_text",)),
        ("-10.94", "-10.94", ("as_text",)),
        ("－10.94", "-10.94", ("as_text",)),
        (-10.94, "-10.94", ()),
        (10.94, "10.94", ()),
    ],
)
def test_signed_money(raw: object, value: str, notes: tuple[str, ...]) -> None:
    parsed = ok(parse_cell(raw, Kind.SIGNED_MONEY))
    assert parsed.value == D(value)
    assert parsed.decimals == 2
    assert parsed.notes == notes


def test_increase_decrease_words_only_for_signed_money() -> None:
    invalid(parse_cell("减少 10.94", Kind.MONEY), "not_a_number")
    invalid(parse_cell("减少-10.94", Kind.SIGNED_MONEY), "not_a_number")


@pytest.mark.parametrize("kind", [Kind.MONEY, Kind.SIGNED_MONEY, Kind.PERCENT, Kind.SCORE, Kind.COUNT])
@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (math.inf, "not_finite"),
        (-math.inf, "not_finite"),
        (math.nan, "not_finite"),
        (1e15, "too_large"),
        (-1e15, "too_large"),
        (10**15, "too_large"),
        ("1000000000000000", "too_large"),
        (True, "boolean"),
        (False, "boolean"),
        (datetime.datetime(2024, 7, 12, 10, 0), "date_in_number"),
        (datetime.date(2024, 7, 12), "date_in_number"),
        (datetime.time(10, 0), "date_in_number"),
        ("abc", "not_a_number"),
        ("1,2,3", "not_a_number"),
        ("12,34.5", "not_a_number"),
        ("=A1+B2", "not_a_number"),
        ("inf", "not_a_number"),
        ("nan", "not_a_number"),
    ],
)
def test_numeric_invalid(kind: Kind, raw: object, problem: str) -> None:
    invalid(parse_cell(raw, kind), problem)


def test_money_just_below_too_large() -> None:
    assert ok(parse_cell(999999999999999, Kind.MONEY)).value == D(999999999999999)


def test_unsupported_raw_type() -> None:
    for kind in Kind:
        invalid(parse_cell([1, 2], kind), "unsupported_type")
        invalid(parse_cell(object(), kind), "unsupported_type")


# --------------------------------------------------------------------------- percent


@pytest.mark.parametrize(
    ("raw", "fmt", "value", "decimals"),
    [
        (0.8132, "0.00%", "0.8132", 2),
        (81.32, "General", "0.8132", 2),
        (81.32, None, "0.8132", 2),
        (81.32, "0.0", "0.8132", 1),
        (1.167, "0.0%", "1.167", 1),
        (1, "0%", "1", 0),
        (100, None, "1", 0),
        (0.813181818181818, "0.00%", "0.813181818181818", 2),
        (0.813181818181818, "%", "0.813181818181818", 10),  # no shown decimals: capped
        (81.3181818181818, None, "0.813181818181818", 10),  # full-precision quotient: capped
    ],
)
def test_percent_numbers(raw: object, fmt: str | None, value: str, decimals: int) -> None:
    parsed = ok(parse_cell(raw, Kind.PERCENT, fmt))
    assert parsed.value == D(value)
    assert parsed.decimals == decimals
    assert parsed.notes == ()


@pytest.mark.parametrize(
    ("raw", "value", "decimals"),
    [
        ("81.32%", "0.8132", 2),
        ("81.32 %", "0.8132", 2),
        ("81.32％", "0.8132", 2),
        ("８１．３２％", "0.8132", 2),
        ("81.32", "0.8132", 2),
        ("116.7%", "1.167", 1),
        ("100%", "1", 0),
        ("0.5%", "0.005", 1),
    ],
)
def test_percent_text(raw: str, value: str, decimals: int) -> None:
    parsed = ok(parse_cell(raw, Kind.PERCENT))
    assert parsed.value == D(value)
    assert parsed.decimals == decimals
    assert parsed.notes == ("as_text",)


@pytest.mark.parametrize(
    ("raw", "op", "value", "decimals"),
    [
        ("≥90%", "≥", "0.9", 0),
        (">=90%", "≥", "0.9", 0),
        ("大于90%", ">", "0.9", 0),
        ("不低于90%", "≥", "0.9", 0),
        ("高于90%", ">", "0.9", 0),
        (">90%", ">", "0.9", 0),
        ("≤5%", "≤", "0.05", 0),
        ("<=5%", "≤", "0.05", 0),
        ("小于5%", "<", "0.05", 0),
        ("不高于5%", "≤", "0.05", 0),
        ("低于5%", "<", "0.05", 0),
        ("<5%", "<", "0.05", 0),
        ("≥ 95.5 %", "≥", "0.955", 1),
        ("＞９０％", ">", "0.9", 0),
    ],
)
def test_percent_bounds(raw: str, op: str, value: str, decimals: int) -> None:
    parsed = ok(parse_cell(raw, Kind.PERCENT))
    assert parsed.value == Bound(op, D(value))
    assert parsed.decimals == decimals
    assert parsed.notes == ()


def test_percent_negative_is_noted() -> None:
    assert parse_cell("-5%", Kind.PERCENT) == Parsed(Status.OK, D("-0.05"), 0, ("as_text", "negative"))


def test_percent_rejects_other_text() -> None:
    invalid(parse_cell("81.32%%", Kind.PERCENT), "not_a_number")
    invalid(parse_cell("约80%", Kind.PERCENT), "not_a_number")


# --------------------------------------------------------------------------- count, year, score


@pytest.mark.parametrize(
    ("raw", "notes"),
    [
        ("3", ("as_text",)),
        (3, ()),
        (3.0, ()),
        ("3个", ("as_text",)),
        ("3 个", ("as_text",)),
        ("3.0", ("as_text",)),
    ],
)
def test_count(raw: object, notes: tuple[str, ...]) -> None:
    parsed = ok(parse_cell(raw, Kind.COUNT))
    assert parsed.value == 3
    assert type(parsed.value) is int
    assert parsed.notes == notes


def test_count_invalid() -> None:
    invalid(parse_cell(2.5, Kind.COUNT), "not_whole")
    invalid(parse_cell("2.5", Kind.COUNT), "not_whole")
    invalid(parse_cell(-1, Kind.COUNT), "negative")
    invalid(parse_cell("-3", Kind.COUNT), "negative")
    invalid(parse_cell("3万", Kind.COUNT), "not_a_number")
    # A count's unit is one to four Chinese characters: Latin, kana or Greek letters are not a count.
    for raw in ("3个人民群众", "3pcs", "3タ", "3κ", "3个/年", "3㐀"):
        invalid(parse_cell(raw, Kind.COUNT), "not_a_number")
    assert parse_cell("3鿕", Kind.COUNT).value == 3


@pytest.mark.parametrize("raw", [2023, 2023.0, "2023", "2023年", " 2023 年 ", "２０２３"])
def test_year(raw: object) -> None:
    parsed = ok(parse_cell(raw, Kind.YEAR))
    assert parsed.value == 2023
    assert type(parsed.value) is int


@pytest.mark.parametrize(
    "raw", [1899, 2101, 2023.5, "23", "二〇二三", "abc", True, math.nan, datetime.date(2023, 1, 1)]
)
def test_year_invalid(raw: object) -> None:
    parsed = parse_cell(raw, Kind.YEAR)
    assert parsed.status is Status.INVALID
    assert parsed.problem in {"not_a_year", "boolean"}


def test_year_bounds() -> None:
    assert ok(parse_cell(1900, Kind.YEAR)).value == 1900
    assert ok(parse_cell(2100, Kind.YEAR)).value == 2100


@pytest.mark.parametrize(
    ("raw", "value", "notes"),
    [
        (2, "2", ()),
        (2.5, "2.5", ()),
        ("2", "2", ("as_text",)),
        ("2分", "2", ("as_text",)),
        ("9.5 分", "9.5", ("as_text",)),
    ],
)
def test_score(raw: object, value: str, notes: tuple[str, ...]) -> None:
    parsed = ok(parse_cell(raw, Kind.SCORE))
    assert parsed.value == D(value)
    assert isinstance(parsed.value, Decimal)
    assert parsed.notes == notes


def test_score_negative() -> None:
    invalid(parse_cell(-1, Kind.SCORE), "negative")


# --------------------------------------------------------------------------- date


JULY_12 = datetime.date(2024, 7, 12)


@pytest.mark.parametrize(
    "raw",
    [
        datetime.datetime(2024, 7, 12, 15, 30),
        JULY_12,
        "2024-07-12",
        "2024/7/12",
        "2024.7.12",
        "2024年7月12日",
        "2024年07月12日",
        "20240712",
        " 2024-07-12 ",
        "２０２４年７月１２日",
    ],
)
def test_date(raw: object) -> None:
    assert parse_cell(raw, Kind.DATE) == Parsed(Status.OK, JULY_12)


def test_date_from_datetime_is_a_date() -> None:
    value = ok(parse_cell(datetime.datetime(2024, 7, 12, 15, 30), Kind.DATE)).value
    assert type(value) is datetime.date


def test_serial_date() -> None:
    assert parse_cell(45485, Kind.DATE) == Parsed(Status.OK, JULY_12, notes=("serial_date",))
    assert parse_cell(45485.75, Kind.DATE) == Parsed(Status.OK, JULY_12, notes=("serial_date",))
    assert ok(parse_cell(61, Kind.DATE)).value == datetime.date(1900, 3, 1)
    assert ok(parse_cell(1, Kind.DATE)).value == datetime.date(1900, 1, 1)
    assert ok(parse_cell(2958465, Kind.DATE)).value == datetime.date(9999, 12, 31)


def test_serial_date_in_a_1904_workbook() -> None:
    """A workbook saved in the 1904 date system counts from 1904-01-01: the same day is 1462 less."""
    assert parse_cell(45485 - 1462, Kind.DATE, date1904=True) == Parsed(Status.OK, JULY_12, notes=("serial_date",))
    assert ok(parse_cell(1, Kind.DATE, date1904=True)).value == datetime.date(1904, 1, 2)
    assert ok(parse_cell(2957003, Kind.DATE, date1904=True)).value == datetime.date(9999, 12, 31)
    assert parse_cell(2957004, Kind.DATE, date1904=True).problem == "bad_date"
    assert parse_cell(0, Kind.DATE, date1904=True).problem == "bad_date"


@pytest.mark.parametrize(
    "raw",
    [
        "2024-02-30",
        "2024-13-01",
        "20241332",
        "tomorrow",
        "2024",
        0,
        -5,
        2958466,
        True,
        math.inf,
        math.nan,
        datetime.time(10, 0),
        "45485",
    ],
)
def test_bad_date(raw: object) -> None:
    invalid(parse_cell(raw, Kind.DATE), "bad_date")


# --------------------------------------------------------------------------- phone, text, choice


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (" 0753-6682345 ", "0753-6682345"),
        ("０７５３－６６８２３４５", "0753-6682345"),
        (13800138000, "13800138000"),
        (13800138000.0, "13800138000"),
        ("138 0013 8000", "138 0013 8000"),
    ],
)
def test_phone(raw: object, value: str) -> None:
    assert parse_cell(raw, Kind.PHONE) == Parsed(Status.OK, value)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("  丰顺县 科工商务局\u3000", "丰顺县 科工商务局"),
        ("ＡＢＣ１２３", "ＡＢＣ１２３"),  # text is kept as typed (names shown exactly; comparisons normalise)
        ("丰顺县教育局（本级）", "丰顺县教育局（本级）"),
        (7, "7"),
        (2914.4100000000003, "2914.41"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (JULY_12, "2024-07-12"),
        (datetime.datetime(2024, 7, 12), "2024-07-12"),
        (datetime.datetime(2024, 7, 12, 10, 30), "2024-07-12 10:30:00"),
        (True, "TRUE"),
        (False, "FALSE"),
        ("=A1+B2", "=A1+B2"),
    ],
)
def test_text(raw: object, value: str) -> None:
    assert parse_cell(raw, Kind.TEXT) == Parsed(Status.OK, value)


@pytest.mark.parametrize(
    ("raw", "choices", "value"),
    [
        ("是", ("是", "否"), "是"),
        (" 否 ", ("是", "否"), "否"),
        (">=", ("≥", "≤", "=", "定性"), "≥"),
        ("<=", ("≥", "≤", "=", "定性"), "≤"),
        ("≥", ("≥", "≤", "=", "定性"), "≥"),
        ("＝", ("≥", "≤", "=", "定性"), "="),
        ("基本 完成", ("完成", "基本完成", "未完成"), "基本完成"),
        ("万元", ("万元", "元"), "万元"),
        ("ＡＢ", ("AB",), "AB"),
    ],
)
def test_choice(raw: object, choices: tuple[str, ...], value: str) -> None:
    assert parse_cell(raw, Kind.CHOICE, choices=choices) == Parsed(Status.OK, value)


def test_choice_invalid() -> None:
    assert parse_cell("也许", Kind.CHOICE, choices=("是", "否")) == Parsed(
        Status.INVALID, problem="not_a_choice"
    )
    invalid(parse_cell(1, Kind.CHOICE, choices=("是", "否")), "not_a_choice")
    invalid(parse_cell("是", Kind.CHOICE), "not_a_choice")


def test_choice_that_looks_like_a_placeholder() -> None:
    assert parse_cell("无", Kind.CHOICE, choices=("有", "无")) == Parsed(Status.OK, "无")
    assert parse_cell("无", Kind.CHOICE, choices=("是", "否")).status is Status.PLACEHOLDER


# --------------------------------------------------------------------------- measure


@pytest.mark.parametrize(
    ("raw", "measure", "decimals"),
    [
        ("6家", Measure(D(6), "家"), 0),
        ("13项", Measure(D(13), "项"), 0),
        ("116.7%", Measure(D("116.7"), "%"), 1),
        ("≥90%", Measure(D(90), "%", "≥"), 0),
        ("大于90%", Measure(D(90), "%", ">"), 0),
        ("≥ 6 家", Measure(D(6), "家", "≥"), 0),
        (">=6家", Measure(D(6), "家", "≥"), 0),
        ("<=5%", Measure(D(5), "%", "≤"), 0),
        ("=100%", Measure(D(100), "%", "="), 0),
        ("不低于95.50%", Measure(D("95.50"), "%", "≥"), 2),
        ("7", Measure(D(7), ""), 0),
        ("2,914.41万元", Measure(D("2914.41"), "万元"), 2),
        ("６家", Measure(D(6), "家"), 0),
        ("90%以上", Measure(D(90), "%", "≥"), 0),
        ("5家及以下", Measure(D(5), "家", "≤"), 0),
        ("100km", Measure(D(100), "km"), 0),
        ("6个/年", Measure(D(6), "个/年"), 0),
        ("12㎡", Measure(D(12), "m2"), 0),
        ("3㐀", Measure(D(3), "㐀"), 0),  # CJK extension A
    ],
)
def test_measure_text(raw: str, measure: Measure, decimals: int) -> None:
    assert parse_cell(raw, Kind.MEASURE) == Parsed(Status.OK, measure, decimals)


@pytest.mark.parametrize(
    ("raw", "fmt", "measure", "decimals"),
    [
        (7, None, Measure(D(7), ""), 0),
        (7.25, None, Measure(D("7.25"), ""), 2),
        (7.25, "0.0", Measure(D("7.25"), ""), 1),
        (0.9, "0%", Measure(D(90), "%"), 0),
    ],
)
def test_measure_numbers(raw: object, fmt: str | None, measure: Measure, decimals: int) -> None:
    assert parse_cell(raw, Kind.MEASURE, fmt) == Parsed(Status.OK, measure, decimals)


@pytest.mark.parametrize("raw", ["基本完成", "按时完成", "有效提升", "5%左右", "1,2,3", "6κ", "6タ", "6家/한"])
def test_measure_words(raw: str) -> None:
    assert parse_cell(raw, Kind.MEASURE) == Parsed(Status.OK, raw)


def test_measure_invalid_numbers() -> None:
    invalid(parse_cell(math.nan, Kind.MEASURE), "not_finite")
    invalid(parse_cell(True, Kind.MEASURE), "boolean")
    invalid(parse_cell(1e16, Kind.MEASURE), "too_large")


def test_measure_date_is_words() -> None:
    assert parse_cell(datetime.datetime(2023, 12, 31), Kind.MEASURE) == Parsed(Status.OK, "2023-12-31")


# --------------------------------------------------------------------------- never raises

FORMATS = [
    None,
    "General",
    "0.00",
    "0.00%",
    "0%",
    "#,##0.00_);[Red](#,##0.00)",
    "@",
    "yyyy-mm-dd",
    '"',
    "[",
    ";",
]

RAW = st.one_of(
    st.none(),
    st.integers(),
    st.integers(min_value=-(10**16), max_value=10**16),
    st.floats(),
    st.floats(min_value=-1e20, max_value=1e20),
    st.sampled_from([1e-300, 5e-324, 1.7976931348623157e308, -0.0, 1e15, 999999999999999.9]),
    st.text(),
    st.text(alphabet="0123456789.,-+%％万元减少增加≥≤<>=大于不低于家 年月日分/—０１２．\u3000"),
    st.sampled_from(["=A1+B2", "=SUM(B2:B9)", "#DIV/0!", "1,234.5", "减少 10.94", "≥90%", "2024-02-30"]),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.decimals(),
)


_PARSE_ARGS = dict(
    raw=RAW,
    kind=st.sampled_from(list(Kind)),
    fmt=st.sampled_from(FORMATS),
    unit=st.sampled_from(["万元", "元"]),
    is_error=st.booleans(),
)


@settings(max_examples=200, deadline=None)  # 3000 in the slow run below
@given(**_PARSE_ARGS)
def test_parse_cell_never_raises(raw: object, kind: Kind, fmt: str | None, unit: str, is_error: bool) -> None:
    parsed = parse_cell(raw, kind, fmt, unit=unit, choices=("是", "否", "≥"), is_error=is_error)
    assert isinstance(parsed, Parsed)
    assert parsed.problem != "unexpected", (raw, kind, fmt)
    if parsed.status in (Status.INVALID, Status.ERROR_VALUE):
        assert parsed.problem
    if parsed.decimals is not None:
        assert 0 <= parsed.decimals <= 10
    if isinstance(parsed.value, Decimal):
        assert parsed.value.is_finite()


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, derandomize=True)  # the same examples every run, as CI sees them
@given(**_PARSE_ARGS)
def test_parse_cell_never_raises_long_run(raw: object, kind: Kind, fmt: str | None, unit: str, is_error: bool) -> None:
    test_parse_cell_never_raises.hypothesis.inner_test(raw, kind, fmt, unit, is_error)


# Number formats built from parts whose decimals and percent sign are known: text Excel shows as it
# is (quoted, [..], escaped, padded, or plain characters that are no digit placeholder, point or %)
# around an integer part, 0-6 decimal placeholders, an optional %, and any later sections.
_PLAIN = st.text(alphabet=st.characters(blacklist_characters='0#?.%;"[\\_*'), max_size=3)
_SPECIAL = '0#?.%;"[]\\_*'  # the characters a format parser must not take at face value inside these


def _any_but(excluded: str):
    return st.text(alphabet=st.sampled_from([c for c in _SPECIAL if c not in excluded]) | st.characters(
        blacklist_characters=excluded), max_size=4)


_SHOWN_AS_IS = st.one_of(
    _PLAIN,
    _any_but('"').map(lambda t: f'"{t}"'),
    _any_but("]").map(lambda t: f"[{t}]"),
    st.tuples(st.sampled_from("\\_*"), st.sampled_from(_SPECIAL) | st.characters()).map("".join),
)


@given(
    before=st.lists(_SHOWN_AS_IS, max_size=3).map("".join),
    integer=st.sampled_from(["0", "#", "?", "#,##0", "##0"]),
    point=st.booleans(),
    places=st.text(alphabet="0#?", max_size=6),
    percent=st.booleans(),
    after=st.lists(_SHOWN_AS_IS, max_size=3).map("".join),
    later=st.none() | st.text(),
)
@example(before='*.[%]"0.0"\\.', integer="#,##0", point=True, places="00", percent=False, after='_%* ', later="0.000%")
def test_format_decimals_and_percent_of_any_built_format(
    before: str, integer: str, point: bool, places: str, percent: bool, after: str, later: str | None
) -> None:
    fmt = before + integer + ("." + places if point or places else "") + ("%" if percent else "") + after
    if later is not None:
        fmt += ";" + later
    assert format_decimals(fmt) == len(places), fmt
    assert is_percent_format(fmt) is percent, fmt


@given(st.text(alphabet=st.characters(blacklist_characters="0#?")))
def test_text_without_digit_placeholders_shows_no_decimals(fmt: str) -> None:
    assert format_decimals(fmt) is None


@given(st.text(alphabet=st.characters(blacklist_characters="%")))
def test_text_without_a_percent_sign_is_no_percent_format(fmt: str) -> None:
    assert is_percent_format(fmt) is False


@pytest.mark.parametrize(("fmt", "places", "wanted"), [
    ("0%", 2, "0.00%"), ("0.0%", 2, "0.00%"), ("0.00%", 2, None), ("#,##0.0", 2, "#,##0.00"), ("0", 1, "0.0"),
    ("0%;-0%;-", 2, "0.00%;-0.00%;-"), ('0"%"', 2, '0.00"%"'), ("[Red]0.0%", 2, "[Red]0.00%"),
    ("0.0_);(0.0)", 2, "0.00_);(0.00)"), ("General", 2, None), ("@", 2, None), (None, 2, None), ("0%", 0, None),
])
def test_a_fixed_figure_gets_the_cells_format_with_the_decimals_it_needs(fmt, places, wanted):
    from evaltool.workbook.numbers import with_decimals

    assert with_decimals(fmt, places) == wanted
