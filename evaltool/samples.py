"""Fill the template programmatically: the sample workbooks, and workbooks for tests.

``Filler`` writes values where ``layout`` says they go, into the template generated from
today's layout (written once per rule set and process, then loaded from those bytes), so
samples and tests follow the template when it changes.
``python -m evaltool.samples`` rewrites the committed template (``workbook_templates/``) and
``samples/``.

The seed sample is the seed report (``samples/fengshun-kegongshangwu-2023-self-evaluation.txt``, a
copy of ``../shared/seed/``).  From the seed: every figure of DOMAIN §3 (基本信息, 收支, 运行成本,
专项资金, 绩效目标 values, 结转结余率 0%, 利用率 ≥90%), the three self-scores it states
(采购意向公开合规性 2, 合同备案时效性 1, 资产收益上缴的及时性 2), its grade (“自评情况良好”: 良, so
the self-scores total within [80, 90)) and every text of 文字说明 and 自评说明, taken from the report by
``seed_texts``.  Invented, because the seed gives none: the other self-scores and their deduction
reasons (each resting on a problem the report admits itself, ``SEED_DEDUCTIONS``), the 绩效目标 rows'
二级指标 and direction, and everything ``with_mistakes`` changes.

It sits above ``workbook/`` and ``text/`` (like the CLI): the template's 评分标准 column is words from
the catalogue (``text.rulesets.criteria``), which the template writer is handed as data.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from evaltool.scoring.indicators import RuleSet
from evaltool.scoring.ruleset import load_ruleset
from evaltool.scoring.score import grade
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

    def score(self, level3: str, self_score: Any, reason: str | None = None, note: str | None = None) -> None:
        index = next(i for i, ind in enumerate(self.ruleset.indicators) if ind.level3 == level3)
        self.set("scores", "scores", index, "self", self_score)
        if reason:
            self.set("scores", "scores", index, "reason", reason)
        if note:
            self.set("scores", "scores", index, "note", note)

    def save(self, path: str | os.PathLike) -> None:
        self.wb.save(path)


# The seed's self-scores: the three it states, full marks where its figures and words support them, and a
# deduction wherever it admits a problem itself (“部门绩效管理不够科学，管理措施不够到位，目标设定不够合理”,
# 重点工作/产出/效益 “基本完成”).  They total 88: 良, as the seed's “自评情况良好” says.
SEED_DEDUCTIONS = {
    "整体绩效目标合理性": (D(3), "报告自述目标设定不够合理"),
    "整体绩效指标明确性": (D(3), "报告自述部门绩效管理不够科学，上年自评指出绩效自评不够细化"),
    "项目监管": (D(1), "报告自述管理措施不够到位"),
    "重点工作完成率": (D(6), "重点工作任务13项基本完成，未全部完成"),
    "产出指标完成情况": (D(6), "产出指标基本完成"),
    "效益指标完成情况": (D(5), "效益指标基本完成，未设可量化的效益指标"),
}
SEED_STATED_SCORES = {"采购意向公开合规性": D(2), "合同备案时效性": D(1), "资产收益上缴的及时性": D(2)}

SEED_REPORT = Path(__file__).resolve().parents[1] / "samples" / "fengshun-kegongshangwu-2023-self-evaluation.txt"
# Indicators whose seed paragraph only states figures the draft computes from the workbook itself.
_FIGURES_ONLY = frozenset({"结转结余率", "专项资金绩效完成情况", "固定资产利用率", "公用经费控制率",
                           "“三公”经费控制情况", "重点工作完成率"})
_CJK = r"\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
_NUMBERED = re.compile(r"^(?:\d+、|（\d+）|[①-⑳])")
_SENTENCE_END = ("。", "；", "：", "！", "？", "”")


def _paragraphs(lines: list[str]) -> list[str]:
    """The seed's paragraphs as written: PDF text extraction broke some at page ends (a paragraph that does
    not end a sentence, is no short numbered heading, and is followed by an unnumbered one goes on there),
    put spaces between 汉字 and digits, half-width punctuation beside 汉字, and one English "and"."""
    out: list[str] = []
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        previous = out[-1] if out else ""
        heading = _NUMBERED.match(previous) is not None and len(previous) < 40
        if previous and not previous.endswith(_SENTENCE_END) and not heading and not _NUMBERED.match(line):
            out[-1] = previous + line
        else:
            out.append(line)
    cleaned = []
    for para in out:
        para = para.replace(" and ", "和")
        para = re.sub(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])", "", para)
        para = re.sub(rf"(?<=[{_CJK}])[,;:()]|[,;:()](?=[{_CJK}])", lambda m: _HALF_TO_FULL[m.group()], para)
        cleaned.append(para)
    return cleaned


def _section(lines: list[str], start: str, end: str | None, after: str | None = None) -> list[str]:
    """The lines after the heading line ``start`` (the first one after the line ``after``) up to ``end``."""
    first = lines.index(after) if after else 0
    i = lines.index(start, first) + 1
    j = lines.index(end, i) if end else len(lines)
    return lines[i:j]


@functools.cache
def seed_texts() -> tuple[dict[str, str], dict[str, str]]:
    """(文字说明 by row key, 自评说明 by indicator) taken from the seed report; paragraphs joined by newlines."""
    lines = [ln.strip() for ln in SEED_REPORT.read_text("utf-8").splitlines()]
    paras = lambda *a: "\n".join(_paragraphs(_section(lines, *a)))  # noqa: E731
    # The seed's one paragraph on problems and measures: its first sentence states the problems.
    both = paras("（三）部门整体支出绩效管理存在问题及改进措施", "三、上年度绩效自评整改情况")
    problems, _, measures = both.partition("。")
    texts = {
        "duties": paras("（一）部门职能", "（二）年度总体工作和重点工作任务"),
        "work": paras("（二）年度总体工作和重点工作任务", "（三）部门整体支出绩效目标"),
        "goals": paras("（三）部门整体支出绩效目标", "（四）部门整体支出情况。（以决算数为统计口径）。"),
        "problems": problems + "。",
        "measures": measures,
        "last_problems": paras("（一）存在问题", "（二）改进措施", "三、上年度绩效自评整改情况"),
        "last_measures": paras("（二）改进措施", None, "三、上年度绩效自评整改情况"),
    }
    analysis = _section(lines, "（二）部门整体支出绩效指标分析", "（三）部门整体支出绩效管理存在问题及改进措施")
    notes: dict[str, str] = {}
    heading = None
    for line in analysis:
        if re.match("[①-⑳]", line):
            heading = line[1:]
            notes[heading] = ""
        elif heading and line and not re.match(r"^(?:\d+\.|（\d+）|\(\d+\))", line):
            notes[heading] += line + "\n"
        elif line:
            heading = None
    # The draft states each score itself (“自评得 2 分”), so the seed's own words for it are left out.
    return texts, {k: re.sub(r"[，。]?自评得\d+分", "", "\n".join(_paragraphs(v.splitlines())))
                   for k, v in notes.items()}


def _seed_note(level3: str) -> str | None:
    if level3 in _FIGURES_ONLY:
        return None
    notes = seed_texts()[1]
    return next((text for heading, text in notes.items() if heading.endswith(level3)), None)


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
        f.score(ind.level3, score, reason, _seed_note(ind.level3))
        total += score
    f.set("scores", "scores", "total", "self", total)
    f.set("scores", "scores", "grade", "self", grade(total))
    for key, text in seed_texts()[0].items():
        f.set("texts", "texts", key, "value", text)
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
