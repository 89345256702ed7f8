"""The one renderer: findings, quantities, cell references and phrases into zh or en text.

Every writer (console, JSON, the checked workbook, the county summary) renders through here, so a
number is written the same way everywhere and no sentence is made anywhere else.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from evaltool.findings import Finding, Formula, Location, Param, Passage, Phrase, Quantity, Severity, Term, Unit
from evaltool.model import CellRef
from evaltool.text.catalogue import WORDS, tr
from evaltool.text.labels import cell_label
from evaltool.text.rules import RULE_DOCS, RULE_NAMES
from evaltool.workbook.numbers import format_amount, format_percent, plain, round_half_up

_LIST_SEP = {"zh": "、", "en": ", "}
_PHRASE_SEP = {"zh": "；", "en": "; "}


def amount(d: Decimal, places: int | None = 2) -> str:
    """Money as a finance officer writes it: at least ``places`` decimals (32.50, -10.94, 2914.41)."""
    return format_amount(d, max(places or 0, -d.normalize().as_tuple().exponent) if d.is_finite() else 0)


def percent(fraction: Decimal, places: int | None = 2) -> str:
    return format_percent(fraction, 2 if places is None else places)


def quantity(q: Quantity, lang: str = "zh") -> str:
    """A quantity as shown in messages and sheets; money and scores without their unit word (the
    sentence says it), percentages with %."""
    v, op = q.value, q.op or ""
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return grade(v, lang) if q.unit is Unit.GRADE else v
    if isinstance(v, int):
        return f"{op}{v}"
    if q.unit is Unit.PERCENT:
        return f"{op}{percent(v, q.places)}"
    if q.unit in (Unit.WAN_YUAN, Unit.YUAN):
        return f"{op}{amount(v, q.places)}"
    if q.unit is Unit.POINTS:
        v = v * 100
    # With its places given, a figure is shown at exactly that precision (differences: 0.10, -10.00), so
    # every difference of a unit reads alike; without, as the officer would write it.
    return f"{op}{round_half_up(v, q.places):f}" if q.places is not None else f"{op}{plain(v)}"


def grade(name: str | None, lang: str = "zh") -> str:
    """优 / excellent; a grade the tool does not know (typed by hand) as it is; "" for none."""
    if not name:
        return ""
    return tr(f"grade.{name}", lang) if f"grade.{name}" in WORDS else name


def unit_word(unit: Unit, lang: str = "zh") -> str:
    """The unit as a column heading says it: 万元, 百分点, 分 …"""
    return tr(f"unit.{unit.value}", lang)


def severity(s: Severity, lang: str = "zh") -> str:
    return tr(f"severity.{s.value}", lang)


def where(loc: Location | Passage, lang: str = "zh") -> str:
    """A cell (收支情况!C5), or a place in a report: the page of a PDF, the line of a .txt, the paragraph of
    a Word document."""
    if isinstance(loc, Passage):
        if loc.page is not None:
            return tr("where.page", lang, page=loc.page)
        if loc.line is not None:
            return tr("where.line", lang, line=loc.line)
        return tr("where.paragraph", lang, paragraph=loc.paragraph)
    if loc.cell:
        return f"{loc.sheet}!{loc.cell}"
    if loc.cells:
        return f"{loc.sheet}!{','.join(loc.cells)}"
    return loc.sheet


def param(v: Param, lang: str = "zh") -> str:
    """One message parameter in ``lang``: typed facts are worded here; plain text is the officer's."""
    if isinstance(v, Quantity):
        return quantity(v, lang)
    if isinstance(v, CellRef):
        return cell_label(v, lang)
    if isinstance(v, (Location, Passage)):
        return where(v, lang)
    if isinstance(v, Term):
        return tr(f"term.{v.key}", lang)
    if isinstance(v, Formula):
        return f"{quantity(v.left, lang)} {v.op} {quantity(v.right, lang)}"
    if isinstance(v, Phrase):
        return phrase(v, lang)
    if isinstance(v, tuple):
        sep = _PHRASE_SEP if v and isinstance(v[0], Phrase) else _LIST_SEP
        return sep[lang].join(dict.fromkeys(param(x, lang) for x in v))
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def phrase(p: Phrase, lang: str = "zh") -> str:
    return tr(p.key, lang, **{k: param(v, lang) for k, v in p.params.items()})


def message(f: Finding, lang: str = "zh") -> str:
    """The finding as one sentence: the catalogue text of ``f.key`` with its facts worded."""
    params = {k: param(v, lang) for k, v in f.params.items()}
    params.setdefault("label", cell_label(f.subject, lang) if f.subject is not None else "")
    spot = f.location if f.location is not None else f.position
    params.setdefault("where", where(spot, lang) if spot is not None else "")
    params.setdefault("rule", rule_name(f.code, lang))
    shown = f.difference or f.stated
    if shown is not None:
        params.setdefault("unit", unit_word(shown.unit, lang))
    for name in ("stated", "recomputed", "difference"):
        q = getattr(f, name)
        if q is not None:
            params.setdefault(name, quantity(q, lang))
    return tr(f.key, lang, **params)


def rule_name(code: str, lang: str = "zh") -> str:
    zh, en = RULE_NAMES[code]
    return en if lang == "en" else zh


def rule_doc(code: str, lang: str = "zh") -> str:
    zh, en = RULE_DOCS[code]
    return en if lang == "en" else zh
