"""Fill the template programmatically: the sample workbooks, and workbooks for tests.

``Filler`` writes values where ``layout`` says they go, into the template generated from
today's layout (written once per rule set and process, then loaded from those bytes), so
samples and tests follow the template when it changes.
``python -m evaltool.samples`` rewrites the committed template (``workbook_templates/``) and
``samples/``.

It sits above ``workbook/`` and ``text/`` (like the CLI): the template's 评分标准 column is words from
the catalogue (``text.rulesets.criteria``), which the template writer is handed as data.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
from decimal import Decimal
from typing import Any

from evaltool.scoring.indicators import RuleSet
from evaltool.scoring.ruleset import load_ruleset
from evaltool.text.rulesets import criteria
from evaltool.workbook import layout as L
from evaltool.workbook.template import TEMPLATE_PATH, write_template

D = Decimal


@functools.lru_cache(maxsize=8)
def template_bytes(ruleset: RuleSet) -> bytes:
    """The template for ``ruleset`` as .xlsx bytes; xlsxwriter runs once per rule set (a frozen, hashable value)."""
    buf = io.BytesIO()
    write_template(buf, ruleset, criteria(ruleset))
    return buf.getvalue()


class Filler:
    """An openpyxl workbook made from the template, with setters keyed by layout names."""

    def __init__(self, ruleset: RuleSet | None = None) -> None:
        import openpyxl

        self.ruleset = ruleset or load_ruleset()
        self.wb = openpyxl.load_workbook(io.BytesIO(template_bytes(self.ruleset)))
        self.sheets = {s.key: s for s in (*L.DATA_SHEETS, L.score_sheet(len(self.ruleset.indicators)))}
        self._next: dict[tuple[str, str], int] = {}

    def position(self, sheet: str, table: str, row: str | int, col: str) -> tuple[str, int, int]:
        """(sheet name, row, column) of a grid cell, a footer cell, or list row ``row`` (0-based index)."""
        s = self.sheets[sheet]
        t = s.table(table)
        c = s.col_index(t, col)
        if isinstance(t, L.Grid):
            return s.name, s.grid_row_index(t, str(row)), c
        first = s.header_row(t) + 1
        if isinstance(row, int):
            return s.name, first + row, c
        index = [r.key for r in t.footer].index(row)
        return s.name, first + t.blank_rows + index, c

    def coord(self, sheet: str, table: str, row: str | int, col: str) -> str:
        from openpyxl.utils import get_column_letter

        _, r, c = self.position(sheet, table, row, col)
        return f"{get_column_letter(c)}{r}"

    def set(self, sheet: str, table: str, row: str | int, col: str, value: Any, number_format: str | None = None):
        """Write ``value`` as the officer would type it; returns the openpyxl cell."""
        name, r, c = self.position(sheet, table, row, col)
        cell = self.wb[name].cell(r, c)
        cell.value = value
        if number_format:
            cell.number_format = number_format
        return cell

    def add(self, sheet: str, table: str, formats: dict[str, str] | None = None, **values: Any) -> int:
        """Append a list record (专项资金, 绩效目标); returns its 0-based index."""
        index = self._next.get((sheet, table), 0)
        self._next[(sheet, table)] = index + 1
        for col, value in values.items():
            self.set(sheet, table, index, col, value, (formats or {}).get(col))
        return index

    def score(self, level3: str, self_score: Any, reason: str | None = None) -> None:
        index = next(i for i, ind in enumerate(self.ruleset.indicators) if ind.level3 == level3)
        self.set("scores", "scores", index, "self", self_score)
        if reason:
            self.set("scores", "scores", index, "reason", reason)

    def save(self, path: str | os.PathLike) -> None:
        self.wb.save(path)


# The seed's self-scores: the three it states, the rest consistent with its figures and with the
# problems it admits itself (目标设定不够合理, 重点工作/产出/效益 "基本完成").
SEED_DEDUCTIONS = {
    "整体绩效目标合理性": (D(4), "报告自述目标设定不够合理"),
    "整体绩效指标明确性": (D(4), "部门绩效管理不够科学，指标细化不足"),
    "重点工作完成率": (D(7), "重点工作 13 项基本完成"),
    "产出指标完成情况": (D(7), "产出指标基本完成"),
    "效益指标完成情况": (D(7), "效益指标基本完成"),
}
SEED_STATED_SCORES = {"采购意向公开合规性": D(2), "合同备案时效性": D(1), "资产收益上缴的及时性": D(2)}


def seed(ruleset: RuleSet | None = None) -> Filler:
    """丰顺县科工商务局 2023: every figure DOMAIN §3 lists, blank where the seed gives none."""
    f = Filler(ruleset)
    for key, value in (
        ("dept", "丰顺县科工商务局"),
        ("year", 2023),
        ("filler", "吴家峰"),
        ("phone", "0753-6888322"),
        ("date", dt.date(2024, 7, 12)),
        ("unit", "万元"),
    ):
        f.set("basic", "info", key, "value", value, "yyyy-mm-dd" if key == "date" else None)
    for table, row, amount, share in (
        ("income", "fiscal", "2369.93", "0.8132"),
        ("income", "other", "544.48", "0.1868"),
        ("income", "total", "2914.41", None),
        ("expense", "basic", "1352.67", "0.4641"),
        ("expense", "project", "1561.74", "0.5359"),
        ("expense", "total", "2914.41", None),
    ):
        f.set("finance", table, row, "amount", D(amount))
        if share:
            f.set("finance", table, row, "share", D(share))
    f.set("execution", "budget", "total", "carry_rate", D(0), "0%")
    f.set("costs", "office", "office", "budget", D("64.68"))
    f.set("costs", "office", "office", "final", D("53.74"))
    f.set("costs", "office", "office", "diff", D("-10.94"))
    f.set("costs", "sangong", "total", "budget", D(30))
    f.set("costs", "sangong", "total", "actual", D("14.06"))
    pct0 = {"rate": "0%"}
    f.add("funds", "funds", pct0, name="县科工商务局预算专项资金", budget=D(18), paid=D(18), rate=D(1), status="完成")
    f.add("funds", "funds", pct0, name="县科协科普经费", budget=D("3.60"), paid=D("3.60"), rate=D(1), status="完成")
    f.set("funds", "funds", "total", "budget", D("21.60"))
    f.set("funds", "funds", "total", "paid", D("21.60"))
    f.set("funds", "funds", "total", "rate", D(1), "0%")
    f.set("assets", "assets", "utilization", "value", "≥90%")
    f.add(
        "goals",
        "goals",
        level1="产出",
        level2="数量指标",
        level3="重点工作任务完成数",
        direction="≥",
        target="13项",
        actual="基本完成",
    )
    f.add(
        "goals",
        "goals",
        {"rate": "0.0%"},
        level1="产出",
        level2="数量指标",
        level3="制造业数字化转型升级企业数",
        direction="≥",
        target="6家",
        actual="7家",
        rate=D("1.167"),
        reason="超额完成任务",
    )
    f.add(
        "goals",
        "goals",
        level1="满意度",
        level2="服务对象满意度指标",
        level3="服务对象满意度",
        direction="≥",
        target="90%",
        actual="大于90%",
    )
    total = D(0)
    for ind in f.ruleset.indicators:
        score, reason = SEED_DEDUCTIONS.get(ind.level3, (SEED_STATED_SCORES.get(ind.level3, ind.weight), None))
        f.score(ind.level3, score, reason)
        total += score
    f.set("scores", "scores", "total", "self", total)
    f.set("scores", "scores", "grade", "self", "优" if total >= 90 else "良")
    return f


def with_mistakes(ruleset: RuleSet | None = None) -> Filler:
    """The seed with mistakes officers really make, for people to try the tool on."""
    f = seed(ruleset)
    f.set("finance", "income", "fiscal", "share", D("0.8133"))  # typed from an earlier draft
    f.set("finance", "income", "other", "share", "18.68%")  # percent typed as text
    f.set("finance", "income", "fiscal_general", "amount", D("2000.00"))
    f.set("finance", "income", "fiscal_fund", "amount", D("300.00"))
    f.set("finance", "income", "fiscal_soe", "amount", D("69.94"))  # three rounded parts, 0.01 over
    f.set("costs", "office", "office", "diff", D("-10.49"))  # digits swapped
    f.set("costs", "sangong", "total", "actual", D("32.50"))  # over the budget of 30
    f.set("funds", "funds", 1, "rate", D("0.9"))  # 3.60 of 3.60 paid is 100%
    f.set("basic", "info", "date", "value", dt.date(2023, 12, 20))  # before the year being evaluated ended
    f.set("basic", "info", "phone", "value", "6888322")  # no area code
    f.set("disclosure", "dates", "budget_approved", "value", dt.date(2023, 1, 18), "yyyy-mm-dd")
    f.set("disclosure", "dates", "budget_published", "value", dt.date(2023, 2, 22), "yyyy-mm-dd")  # 35 days
    f.set("goals", "goals", 1, "rate", D("1.166"))  # 7 ÷ 6 = 116.7%, not 116.6%
    return f


SAMPLES = {"fengshun-2023.xlsx": seed, "fengshun-2023-with-mistakes.xlsx": with_mistakes}


def main(folder: str = "samples") -> None:
    """Rewrite the committed template (default rule set) and the samples in ``folder``."""
    TEMPLATE_PATH.write_bytes(template_bytes(load_ruleset()))
    print(TEMPLATE_PATH)
    os.makedirs(folder, exist_ok=True)
    for name, build in SAMPLES.items():
        build().save(os.path.join(folder, name))
        print(os.path.join(folder, name))


if __name__ == "__main__":
    main()
