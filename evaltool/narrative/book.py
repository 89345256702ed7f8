"""The workbook a report is tied to (``--book``, or the workbook of the same 部门 in a batch): which of
the report's figures name a workbook figure, and what that figure is.

A report figure names a workbook figure by its words: 整体收入/总收入 is 本年收入合计, a row label
of 收支情况 (财政拨款收入, 基本支出 …) is that row, a share of one is its recomputed share, an amount
in a sentence about “三公”经费 or 机关运行经费 is that table's 预算数 or 实际支出/决算数 (by the words
预算, 上年), a 专项资金 named as in the workbook is that project, 自评得分 under an indicator's
heading is that indicator's self-score.  Amounts compare with the workbook's stated inputs (the
workbook's own rules check those); shares and rates with the workbook's recomputed figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltool.narrative.claims import Figure, Report, canon
from evaltool.workbook import layout as L
from evaltool.workbook.layout import normalize_label

if TYPE_CHECKING:
    from evaltool.derive import Derived
    from evaltool.model import Book
    from evaltool.scoring.ruleset import RuleSet

_TEN_THOUSAND = Decimal(10000)
_SANGONG_ITEMS = (  # longest first: 公务用车购置及运行费 is two rows
    ("公务用车购置及运行维护费", ("car_buy", "car_run")), ("公务用车购置及运行费", ("car_buy", "car_run")),
    ("因公出国(境)费", ("abroad",)), ("因公出国境费", ("abroad",)), ("公务用车购置费", ("car_buy",)),
    ("公务用车运行维护费", ("car_run",)), ("公务用车运行费", ("car_run",)), ("公务接待费", ("reception",)),
)
_RATE_WORDS = re.compile(r"预算执行率|执行率")


def read_workbook(path: str, ruleset: RuleSet | None = None) -> tuple[Book, Derived]:
    """The workbook read and derived; ``InputError`` when it cannot be read."""
    from evaltool.derive import derive
    from evaltool.workbook.reader import read_book

    book = read_book(path, ruleset)
    return book, derive(book)


@dataclass
class BookFigures:
    path: str
    book: Book
    derived: Derived

    @classmethod
    def read(cls, path: str, ruleset: RuleSet | None = None) -> BookFigures:
        book, derived = read_workbook(path, ruleset)
        return cls(path, book, derived)

    # -- values in the report's base units: money in 元, ratios as fractions
    def _money(self, table: str, row: str, col: str, sheet: str = "finance") -> Decimal | None:
        v = self.book.cell(sheet, table, row, col).number
        if v is None:
            return None
        return v * _TEN_THOUSAND if self.book.unit == "万元" else v

    def _ratio(self, key: str) -> Decimal | None:
        try:
            return self.derived.ratio(key).value
        except KeyError:
            return None

    def figures(self, report: Report) -> Iterator[tuple[Figure, Decimal, str]]:
        """(report figure, the workbook's value in the figure's base unit, the workbook figure's name)."""
        shares = {s.share: s for s in report.shares}
        rates = {r.rate: r for r in report.rates}
        for f in report.figures:
            if f.change is not None:
                continue
            p = report.paragraph(f.paragraph)
            context = p.text[p.sentences()[f.sentence - 1][0]:f.start]
            found = self._match(f, context, shares, rates)
            if found is not None and found[0] is not None:
                yield f, found[0], found[1]

    def _match(self, f: Figure, context: str, shares, rates) -> tuple[Decimal | None, str] | None:
        label = normalize_label(f.label)
        if f.kind == "money":
            if "三公" in context or "三公" in label or any(w in label for w, _ in _SANGONG_ITEMS):
                return self._sangong(label)
            if "机关运行经费" in context or "机关运行经费" in label:
                col = "budget" if "预算" in label else "final" if any(w in label for w in ("决算", "实际")) else None
                return None if col is None else (self._money("office", "office", col, "costs"), f"机关运行经费{col}")
            row = self._finance_row(label)
            if row is not None:
                table, key, name = row
                return self._money(table, key, "amount"), name
            fund = self._fund(label)
            if fund is not None:
                return fund
            return None
        if f.kind == "percent":
            if f in shares:
                row = self._finance_row(normalize_label(shares[f].part.label))
                if row is None:
                    return None
                table, key, name = row
                return self._ratio(f"{table}_share.{key}"), f"{name}占比"
            if f in rates:
                fund = self._fund(normalize_label(rates[f].budget.label))
                name = self._fund_name(normalize_label(rates[f].budget.label))
                return None if fund is None or name is None else (self._ratio(f"fund_rate[{name}]"), f"{name}拨付率")
            if _RATE_WORDS.search(label):
                return self._ratio("exec_rate.total"), "预算执行率"
        return None

    def _sangong(self, label: str) -> tuple[Decimal | None, str] | None:
        col = "budget" if "预算" in label else "last_year" if ("上年" in label or "去年" in label) else "actual"
        rows: tuple[str, ...] = ("total",)
        for word, keys in _SANGONG_ITEMS:
            if word in label:
                rows = keys
                break
        values = [self._money("sangong", r, col, "costs") for r in rows]
        if any(v is None for v in values):
            return None
        return sum(values, Decimal(0)), f"“三公”经费 {'+'.join(rows)} {col}"  # type: ignore[arg-type]

    @staticmethod
    def _finance_row(label: str) -> tuple[str, str, str] | None:
        key = canon(label)
        if key == "收入":
            return "income", "total", "本年收入合计"
        if key == "支出":
            return "expense", "total", "本年支出合计"
        for table in ("income", "expense"):
            for row in L.FINANCE.table(table).rows:
                if row.key not in ("total", "grand") and label.endswith(normalize_label(row.label)) \
                        and "预算" not in label.removesuffix(normalize_label(row.label)):
                    return table, row.key, row.label
        return None

    def _fund_name(self, label: str) -> str | None:
        for rec in self.book.list("funds", "funds"):
            name = rec["name"].value
            if isinstance(name, str) and name and label.endswith(normalize_label(name)):
                return name
        return None

    def _fund(self, label: str) -> tuple[Decimal | None, str] | None:
        name = self._fund_name(label)
        if name is None:
            return None
        rec = next(r for r in self.book.list("funds", "funds") if r["name"].value == name)
        v = rec["budget"].number
        if v is not None and self.book.unit == "万元":
            v *= _TEN_THOUSAND
        return v, f"{name}预算数"

    def score(self, indicator: str | None) -> Decimal | None:
        """The 评分表's self-score of an indicator (its 三级指标 name), or its stated total."""
        report = self.derived.score
        if indicator is None:
            return report.claimed_total if report.scored else None
        key = normalize_label(indicator)
        for rec in self.book.list("scores", "scores"):
            if normalize_label(rec["level3"].value) == key:
                return rec["self"].number
        return None

    def grade(self) -> str | None:
        """The grade the 评分表 states (or that its stated total gives)."""
        from evaltool.scoring.score import grade

        report = self.derived.score
        if not report.scored:
            return None
        return report.self_grade or grade(report.claimed_total)

    @property
    def department(self) -> str | None:
        return self.book.department
