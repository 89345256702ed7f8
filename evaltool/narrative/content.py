"""What the 自评报告 says: its words and figures, as the variables of a docxtpl template.

Every figure is recomputed (``Derived``: the shares, rates and sums; the score as the sum of the
rows' self-scores and its grade), never copied from the officer's own 占比/率 cells; each share and rate
is rounded half up at the precision the workbook shows it with (2 places when it shows none), so a list
of shares may add to 99.99% or 100.01% (DOMAIN §2).  Sentences follow the seed report's shapes.  The
report is a Chinese document whatever ``--lang`` says: its sentences are made here and in the template,
not taken from the message catalogue.

Two marks stand where a figure or a text cannot be given as it is: ``MISSING`` where the workbook leaves
it blank (a v1 workbook has no 文字说明), ``DOUBTFUL`` where it is unreadable or an error (强制性) of the
check touches it: a cell that is an error's subject, its location or a cell it names; for the score, a row
of the 自评评分表 so touched.  An error on an officer-stated 占比/率 does not touch the report, which states
the recomputed figure; nor do errors on the stated 合计 and 自评等级, since the report re-adds the rows and
grades their sum.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from evaltool.derive import Derived
from evaltool.findings import Finding, Severity
from evaltool.model import Book, Cell, CellRef, Record
from evaltool.ratios import Ratio
from evaltool.scoring.score import ScoreLine, grade
from evaltool.workbook import layout as L
from evaltool.workbook.numbers import Bound, Measure, Status, format_amount, format_percent, plain

if TYPE_CHECKING:
    from evaltool.checker import Result

MISSING = "【请填写】"
DOUBTFUL = "【待核实】"
GRADE_WORDS = {"优": "优秀", "良": "良好", "中": "中等", "差": "较差"}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_OPS = ("≥", "≤", ">", "<", "=", "＞", "＜")
_SHARE_PLACES = 2  # a share or rate whose workbook cell shows no precision

# The variables a template may use (the README describes each): a county's template using any other
# name is refused.  Paragraph variables are lists of strings (one per paragraph); rows are dicts.
VARIABLES: tuple[str, ...] = (
    "dept", "year", "subunits", "filler", "phone", "date", "unit",
    "duties", "work", "goal_text", "goals", "finance", "income_rows", "expense_rows",
    "conclusion", "score", "score_rows", "analysis",
    "problems", "measures", "last_problems", "last_measures",
)


def _as_written(cell: Cell) -> str:
    """The cell as the workbook shows it: text as typed (the parsed value is NFKC-normalised, which would
    turn Chinese punctuation half-width), a percentage at the places it is shown with (0%, ≥90%), a number
    or an indicator value plainly (“6” typed for 6家), a date in full."""
    if isinstance(cell.raw, str):
        return cell.raw.strip()
    value = cell.value
    if isinstance(value, Bound | Decimal):
        number, op = (value.value, value.op) if isinstance(value, Bound) else (value, "")
        return op + (format_percent(number, cell.places) if cell.kind is L.Kind.PERCENT else plain(number))
    if isinstance(value, Measure):
        return f"{value.op or ''}{plain(value.value)}{value.unit}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def words(cell: Cell) -> str | None:
    """What the officer wrote, as written; a placeholder such as 无 is an answer here; None when blank or
    unreadable."""
    if cell.status is not Status.PLACEHOLDER and (not cell.ok or cell.value is None):
        return None
    return _as_written(cell) or None


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").splitlines() if p.strip()]


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (an officer's reason may or may not end with one)."""
    return text.rstrip("。；;，,. ") + "。"


def _cells(values: Iterable[object]) -> Iterator[CellRef]:
    for value in values:
        if isinstance(value, CellRef):
            yield value
        elif isinstance(value, tuple):
            yield from _cells(value)


class _Doubts:
    """The cells the check's errors touch."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        errors = [f for f in findings if f.severity is Severity.ERROR]
        self.refs = {ref for f in errors for ref in _cells((f.subject, *f.params.values()))}
        self.coords = {(f.location.sheet, c) for f in errors if f.location
                       for c in (f.location.cell, *f.location.cells) if c}

    def touch(self, cells: Iterable[Cell]) -> bool:
        return any(c.ref in self.refs or (c.coord and (c.sheet, c.coord) in self.coords) for c in cells)

    def line(self, line: ScoreLine) -> bool:
        """Whether an error touches the row of the 自评评分表 (its self-score, weight, name)."""
        return line.record is not None and self.touch(line.record.cells)


class _Report:
    def __init__(self, result: Result) -> None:
        assert result.book is not None and result.derived is not None
        self.book: Book = result.book
        self.derived: Derived = result.derived
        self.doubts = _Doubts(result.findings)
        self.unit = self.book.unit
        self.year = str(self.book.year) if self.book.year is not None else MISSING

    # -- one figure or text ------------------------------------------------------------------
    def cell(self, sheet: str, table: str, row: str, col: str) -> Cell:
        return self.book.cell(sheet, table, row, col)

    def mark(self, text: str, *cells: Cell, unit: str = "") -> str:
        """``text`` and its unit, then DOUBTFUL when an error touches ``cells`` (32.50万元【待核实】: the figure
        stays whole for a reader, and for ``evaltool check``)."""
        return text + unit + (DOUBTFUL if self.doubts.touch(cells) else "")

    @staticmethod
    def gap(*cells: Cell) -> str | None:
        """MISSING for a blank input, DOUBTFUL for an unreadable one, None when all are given."""
        if any(c.blank for c in cells):
            return MISSING
        if any(not c.ok for c in cells):
            return DOUBTFUL
        return None

    def amount(self, cell: Cell, unit: str = "") -> str:
        if cell.number is None:
            return (self.gap(cell) or DOUBTFUL) + unit
        return self.mark(format_amount(cell.number, 2), cell, unit=unit)

    def money(self, cell: Cell) -> str:
        """An amount in a sentence, with its unit."""
        return self.amount(cell, self.unit)

    def rate(self, ratio: Ratio, stated: Cell | None = None) -> str:
        """A share or rate, at the precision its stated cell shows (``stated`` or the ratio's own)."""
        if ratio.value is None:
            return self.gap(*ratio.inputs) or DOUBTFUL
        shown = stated if stated is not None else ratio.stated
        places = shown.parsed.decimals if shown is not None and shown.ok else None
        return self.mark(format_percent(ratio.value, _SHARE_PLACES if places is None else places), *ratio.inputs)

    def stated(self, cell: Cell) -> str:
        """A figure the tool cannot recompute, as the officer stated it (the scoring uses it too)."""
        return self.mark(_as_written(cell), cell)

    def text(self, cell: Cell, blank: str = MISSING) -> str:
        said = words(cell)
        return blank if said is None else self.mark(said, cell)

    def paragraphs(self, cell: Cell) -> list[str]:
        return _paragraphs(words(cell)) or [MISSING]

    def ratio(self, key: str) -> Ratio:
        return self.derived.ratio(key)

    # -- the header --------------------------------------------------------------------------
    def header(self) -> dict[str, str]:
        info = lambda row: self.cell("basic", "info", row, "value")  # noqa: E731
        date = info("date")
        when = date.value
        return {
            "dept": self.text(info("dept")),
            "year": self.year,
            # The seed leaves it blank: a department without subordinate units has nothing to say.
            "subunits": self.text(info("subunits"), blank=""),
            "filler": self.text(info("filler")),
            "phone": self.text(info("phone")),
            "date": (self.mark(f"{when.year}年{when.month}月{when.day}日", date) if isinstance(when, dt.date)
                     else self.gap(date) or DOUBTFUL),
            "unit": self.unit,
        }

    # -- 一、(三) goals and (四) revenue and expenditure -----------------------------------------
    def target(self, rec: Record) -> str:
        target = self.text(rec["target"])
        direction = rec["direction"].value
        if direction in ("≥", "≤") and target not in (MISSING, DOUBTFUL) and not target.startswith(_OPS):
            return direction + target
        return target

    def goals(self) -> list[str]:
        records = self.book.list("goals", "goals")
        if not records:
            return []
        kinds: dict[str, list[str]] = {}
        for rec in records:
            kind = rec["level1"].value if rec["level1"].value in L.GOAL_KINDS else "其他"
            kinds.setdefault(kind, []).append(self.text(rec["level3"]) + self.target(rec))
        # Each count directly before what it counts (“共2项：甲、乙”), as a reader (and RPT05) counts them.
        groups = "；".join(f"{kind}指标共{len(items)}项：{'、'.join(items)}" for kind, items in kinds.items())
        return [f"部门整体绩效指标共{len(records)}项。{groups}。"]

    def rows(self, table: str) -> list[dict[str, str]]:
        """The table's rows that have an amount: 项目, 金额 and 占比 (none for totals)."""
        grid = L.FINANCE.table(table)
        assert isinstance(grid, L.Grid)
        out = []
        for row in grid.rows:
            amount = self.cell("finance", table, row.key, "amount")
            if amount.blank:
                continue
            share = ""
            if row.cols is None and row.key != "total":
                share = self.rate(self.ratio(f"{table}_share.{row.key}"))
            out.append({"name": ("其中：" if row.level else "") + row.label, "amount": self.amount(amount),
                        "share": share})
        return out

    def structure(self, table: str, what: str) -> str:
        """本单位 2023 年整体收入 X 万元，其中，财政拨款收入 A 万元，占总收入的 p%；……"""
        grid = L.FINANCE.table(table)
        assert isinstance(grid, L.Grid)
        parts = []
        for row in grid.rows:
            amount = self.cell("finance", table, row.key, "amount")
            if row.level or row.cols is not None or row.key == "total" or amount.blank or amount.number == 0:
                continue
            share = self.rate(self.ratio(f"{table}_share.{row.key}"))
            parts.append(f"{row.label}{self.money(amount)}，占总{what}的{share}")
        total = self.money(self.cell("finance", table, "total", "amount"))
        listed = f"，其中，{'；'.join(parts)}" if parts else ""
        return f"本单位{self.year}年整体{what}{total}{listed}。"

    def execution(self) -> str | None:
        total = self.ratio("exec_rate.total")
        if total.value is None:
            return None
        adjusted, actual = (self.cell("execution", "budget", "total", c) for c in ("adjusted", "actual"))
        text = (f"本单位{self.year}年全年预算数{self.money(adjusted)}，全年执行数{self.money(actual)}，"
                f"预算执行率{self.rate(total)}")
        subs = [(label, self.ratio(f"exec_rate.{key}")) for key, label in (("basic", "基本支出"),
                                                                           ("project", "项目支出"))]
        given = [f"{label}预算执行率{self.rate(r)}" for label, r in subs if r.value is not None]
        return text + (f"，其中，{'，'.join(given)}" if given else "") + "。"

    def finance(self) -> list[str]:
        sentences = [self.structure("income", "收入"), self.structure("expense", "支出"), self.execution()]
        return [f"{n}、{s}" for n, s in enumerate((s for s in sentences if s), 1)]

    # -- 二、(一) the conclusion and the score table ---------------------------------------------
    def score(self) -> dict[str, str]:
        report = self.derived.score
        weight = sum((ind.weight for ind in report.ruleset.indicators), Decimal(0))
        if not report.scored:
            return {"total": MISSING, "grade": MISSING, "grade_word": MISSING, "weight_total": plain(weight)}
        total = report.self_total  # the rows re-added, not the stated 合计 (nor its 自评等级)
        name = grade(total)
        doubtful = DOUBTFUL if any(self.doubts.line(ln) for ln in report.lines) else ""
        return {"total": plain(total) + doubtful, "grade": name + doubtful, "grade_word": GRADE_WORDS[name],
                "weight_total": plain(weight)}

    def conclusion(self, score: dict[str, str]) -> list[str]:
        report = self.derived.score
        total = (plain(report.self_total) + "分" + (DOUBTFUL if score["total"].endswith(DOUBTFUL) else "")
                 if report.scored else MISSING + "分")
        first = (f"对照部门整体支出绩效自评指标评分标准，本部门{self.year}年度部门整体支出绩效自评得分"
                 f"{total}，自评等级为“{score['grade']}”，自评情况{score['grade_word']}。")
        if not report.scored:
            return [first]
        weights: dict[str, Decimal] = {}
        doubtful: set[str] = set()
        for ln in report.lines:
            weights[ln.indicator.level1] = weights.get(ln.indicator.level1, Decimal(0)) + ln.indicator.weight
            if self.doubts.line(ln):
                doubtful.add(ln.indicator.level1)
        levels = "，".join(f"{level1}{plain(report.self_level1[level1])}分{DOUBTFUL if level1 in doubtful else ''}"
                           f"（分值{plain(w)}分）" for level1, w in weights.items())
        return [first, f"其中，{levels}。"]

    def self_score(self, line: ScoreLine, unit: str = "") -> str:
        if line.record is None:
            return MISSING + unit
        cell = line.record["self"]
        if cell.number is None:
            return (self.gap(cell) or DOUBTFUL) + unit
        return self.mark(plain(cell.number), cell, unit=unit)

    def score_rows(self) -> list[dict[str, str]]:
        return [{"level1": ln.indicator.level1, "level2": ln.indicator.level2, "level3": ln.indicator.level3,
                 "weight": plain(ln.indicator.weight), "self": self.self_score(ln),
                 "reason": (words(ln.record["reason"]) or "") if ln.record is not None else ""}
                for ln in self.derived.score.lines]

    # -- 二、(二) each indicator -----------------------------------------------------------------
    def goal(self, rec: Record) -> str:
        # A rate only for a row with a direction (≥ ≤ =); “大于90%” of ≥90% is no exact rate either.
        ratio = next((r for r in self.derived.group("goal_rate") if r.item.record == rec["rate"].ref.record), None)
        # The actual value first: an officer's “大于90%” after the target would read as comparing the two.
        text = f"{self.text(rec['level3'])}：实际完成值{self.text(rec['actual'])}，年度指标值{self.target(rec)}"
        if ratio is not None and ratio.value is not None and not ratio.approximate:
            text += f"，完成率{self.rate(ratio)}"
        reason = words(rec["reason"])
        return _sentence(text + (f"，{reason}" if reason else ""))

    def goal_rows(self, keep) -> list[str]:
        return [self.goal(rec) for rec in self.book.list("goals", "goals") if keep(rec)]

    def carry(self) -> list[str]:
        ratio = self.ratio("carry_rate.total")
        if ratio.value is not None:
            carryover, adjusted = ratio.inputs
            return [f"本单位{self.year}年度年末结转结余{self.money(carryover)}，全年预算数"
                    f"{self.money(adjusted)}，结转结余率为{self.rate(ratio)}。"]
        if ratio.stated is not None and ratio.stated.ok:
            return [f"本单位{self.year}年度结转结余额与当年度预算总额的比率（结转结余率）为"
                    f"{self.stated(ratio.stated)}。"]
        return []

    def assets(self) -> list[str]:
        ratio = self.ratio("asset_rate")
        if ratio.value is not None:
            in_use, total = ratio.inputs
            return [f"本单位固定资产总额{self.money(total)}，在用固定资产总额{self.money(in_use)}，"
                    f"固定资产利用率为{self.rate(ratio)}。"]
        stated = ratio.stated
        if stated is not None and stated.ok:
            verb = "" if isinstance(stated.value, Bound) else "为"
            return [f"本单位固定资产利用率{verb}{self.stated(stated)}。"]
        return []

    def funds(self) -> list[str]:
        records = [rec for rec in self.book.list("funds", "funds") if words(rec["name"])]
        if not records:
            return []
        items = []
        for rec in records:
            ratio = self.ratio(f"fund_rate[{rec['rate'].ref.record}]")
            items.append(f"{words(rec['name'])}{self.money(rec['budget'])}，拨付{self.money(rec['paid'])}，"
                         f"拨付完成{self.rate(ratio)}")
        text = f"本单位{self.year}年共有{len(records)}个专项资金。其中：{'；'.join(items)}。"
        total = self.ratio("fund_rate.total")
        if len(records) > 1 and total.value is not None:
            paid, budget = total.inputs
            text += f"合计{self.money(budget)}，拨付{self.money(paid)}，拨付完成{self.rate(total)}。"
        return [text]

    def office(self) -> list[str]:
        budget, final = (self.cell("costs", "office", "office", c) for c in ("budget", "final"))
        if budget.number is None or final.number is None:
            return []
        diff = final.number - budget.number
        change = ("与当年预算数持平" if diff == 0 else
                  f"比当年预算数{'减少' if diff < 0 else '增加'}"
                  f"{self.mark(format_amount(abs(diff), 2), budget, final, unit=self.unit)}")
        return [f"本单位{self.year}年机关运行经费预算安排{self.money(budget)}，决算数为{self.money(final)}，{change}，"
                f"公用经费控制率{self.rate(self.ratio('office_rate.office'))}。"]

    def sangong(self) -> list[str]:
        cell = lambda row, col: self.cell("costs", "sangong", row, col)  # noqa: E731
        actual, budget, last = cell("total", "actual"), cell("total", "budget"), cell("total", "last_year")
        if actual.number is None or budget.number is None:
            return []
        compared = "小于" if actual.number < budget.number else "等于" if actual.number == budget.number else "超过"
        text = (f"本单位{self.year}年“三公”经费实际支出数{self.money(actual)}，{compared}预算安排数"
                f"{self.money(budget)}，“三公”经费控制率{self.rate(self.ratio('sangong_rate.total'))}")
        if last.number:
            change = actual.number - last.number
            if change == 0:
                text += "，与上年持平"
            else:
                shown = self.mark(format_amount(abs(change), 2), actual, last, unit=self.unit)
                pct = self.mark(format_percent(abs(change) / last.number, _SHARE_PLACES), actual, last)
                more = change > 0
                text += f"，比上年{'增加' if more else '减少'}{shown}，{'增长' if more else '下降'}{pct}"
        grid = L.COSTS.table("sangong")
        assert isinstance(grid, L.Grid)
        items = [f"{row.label.replace('(', '（').replace(')', '）')}{self.money(cell(row.key, 'actual'))}"
                 for row in grid.rows if row.key != "total" and not cell(row.key, "actual").blank]
        return [text + (f"。其中：{'，'.join(items)}。" if items else "。")]

    def figure(self, key: str | None) -> list[str]:
        """The sentences on the figure an indicator is scored on (none for 定性)."""
        level1 = lambda kind: lambda rec: rec["level1"].value == kind  # noqa: E731
        builders = {
            "carry_rate": self.carry,
            "fund_paid_rate": self.funds,
            "asset_utilization": self.assets,
            "office_control_rate": self.office,
            "sangong_control_rate": self.sangong,
            # As the scoring finds it: the 绩效目标 row whose 三级指标 names 重点工作.
            "key_work_rate": lambda: self.goal_rows(lambda rec: "重点工作" in (words(rec["level3"]) or "")),
            "goals_output": lambda: self.goal_rows(level1("产出")),
            "goals_benefit": lambda: self.goal_rows(level1("效益")),
            "satisfaction": lambda: self.goal_rows(level1("满意度")),
        }
        return builders[key]() if key is not None else []

    def indicator(self, n: int, line: ScoreLine) -> dict[str, object]:
        note = _paragraphs(words(line.record["note"])) if line.record is not None else []
        paragraphs = note + self.figure(line.indicator.figure) or [MISSING]
        clause = f"自评得{self.self_score(line, '分')}（分值{plain(line.indicator.weight)}分）。"
        reason = words(line.record["reason"]) if line.record is not None else None
        if reason and line.self_score is not None and line.self_score < line.indicator.weight:
            clause += f"扣分原因：{_sentence(reason)}"
        paragraphs[-1] += clause
        mark = _CIRCLED[n] if n < len(_CIRCLED) else f"（{n + 1}）"
        return {"heading": f"{mark}{line.indicator.level3}", "paragraphs": paragraphs}

    def analysis(self) -> list[dict[str, object]]:
        out = []
        lines = self.derived.score.lines
        for i, (level1, by1) in enumerate(itertools.groupby(lines, lambda ln: ln.indicator.level1), 1):
            groups = []
            for j, (level2, by2) in enumerate(itertools.groupby(by1, lambda ln: ln.indicator.level2), 1):
                items = [self.indicator(n, line) for n, line in enumerate(by2)]
                groups.append({"heading": f"（{j}）{level2}", "indicators": items})
            out.append({"heading": f"{i}.{level1}", "groups": groups})
        return out

    # -- all of it ------------------------------------------------------------------------------
    def context(self) -> dict[str, object]:
        text = lambda row: self.paragraphs(self.cell("texts", "texts", row, "value"))  # noqa: E731
        goal_text = _paragraphs(words(self.cell("texts", "texts", "goals", "value")))
        goals = self.goals()
        score = self.score()
        context: dict[str, object] = {
            **self.header(),
            "duties": text("duties"),
            "work": text("work"),
            # The goals' own words when given; the indicators of 绩效目标 either way.
            "goal_text": goal_text if goal_text or goals else [MISSING],
            "goals": goals,
            "finance": self.finance(),
            "income_rows": self.rows("income"),
            "expense_rows": self.rows("expense"),
            "conclusion": self.conclusion(score),
            "score": score,
            "score_rows": self.score_rows(),
            "analysis": self.analysis(),
            "problems": text("problems"),
            "measures": text("measures"),
            "last_problems": text("last_problems"),
            "last_measures": text("last_measures"),
        }
        assert tuple(context) == VARIABLES
        return context


def report_context(result: Result) -> dict[str, object]:
    """The variables of the report on a checked workbook (``result`` read without an input error)."""
    return _Report(result).context()
