"""Dates and contact details: 填报日期, 公开时效, 联系电话."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from evaltool.checks.base import finding, rule
from evaltool.derive import Derived
from evaltool.findings import Finding, Quantity, Severity, Term, Unit
from evaltool.model import Book

DISCLOSURE_LIMIT_DAYS = 20
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


@rule("BAS01", Severity.ERROR)
def filing_date(book: Book, derived: Derived) -> Iterator[Finding]:
    date = book.cell("basic", "info", "date", "value")
    year = book.cell("basic", "info", "year", "value")
    if isinstance(date.value, dt.date) and isinstance(year.value, int) and date.value.year <= year.value:
        yield finding(Severity.ERROR, date, "filing_too_early", date=date.value, year=year.value)
    if isinstance(date.value, dt.date) and date.value > dt.date.today():
        yield finding(Severity.WARNING, date, "filing_in_future", date=date.value)


@rule("BAS02", Severity.WARNING)
def phone_format(book: Book, derived: Derived) -> Iterator[Finding]:
    cell = book.cell("basic", "info", "phone", "value")
    if cell.ok and isinstance(cell.value, str):
        phone = cell.value.replace(" ", "").replace("—", "-").replace("－", "-")
        if not (_LANDLINE.match(phone) or _MOBILE.match(phone)):
            yield finding(Severity.WARNING, cell, "phone_format", value=cell.value)


@rule("PUB01", Severity.WARNING)
def disclosure_late(book: Book, derived: Derived) -> Iterator[Finding]:
    for what, approved_key, published_key in (
        ("budget", "budget_approved", "budget_published"),
        ("final_accounts", "final_approved", "final_published"),
    ):
        approved = book.cell("disclosure", "dates", approved_key, "value")
        published = book.cell("disclosure", "dates", published_key, "value")
        if not (isinstance(approved.value, dt.date) and isinstance(published.value, dt.date)):
            continue
        days = (published.value - approved.value).days
        if days < 0:
            yield finding(
                Severity.ERROR, published, "published_before_approved", what=Term(what), days=Quantity(-days, Unit.DAYS)
            )
        elif days > DISCLOSURE_LIMIT_DAYS:
            yield finding(
                Severity.WARNING,
                published,
                "disclosure_late",
                what=Term(what),
                days=Quantity(days, Unit.DAYS),
                limit=Quantity(DISCLOSURE_LIMIT_DAYS, Unit.DAYS),
            )
