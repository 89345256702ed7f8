"""The standard workbook (template v2): every sheet, label, column and cell position, and the version
each was added in.

This module is the single definition of the workbook.  The template writer
(xlsxwriter, ``template.py``), the sample builder and the reader (openpyxl,
``reader.py``) all walk these objects; no other module knows a coordinate.

Geometry, per sheet: row 1 holds the sheet title; then each table in turn
takes a title row, a header row and its rows, with one blank row between
tables.  A grid's labels are in column A and its value columns start at B.
A list's columns start at A; it may grow or shrink, so it must be the last
table of its sheet, and its footer rows (合计 …) are found by their label.
All row and column numbers here are 1-based, as in Excel.

Every text the officer sees is Chinese and is the contract (the template
writes it, the reader looks for it).  Each has an English counterpart
(``name_en``, ``title_en``, ``label_header_en``, ``header_en``, ``label_en``)
for English messages and pages; the ``*_in(lang)`` methods pick one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

# Template versions.  The stamp at 填表说明!B2 ("evaltool-template-v1") names the version a workbook
# was made from.  A version only adds to the one before: a sheet, a row or a column carries ``since``,
# the first version that has it.  The reader accepts every version in VERSIONS, requires of a file
# only what its version has, and reads what came later as blank cells ("not provided": the checks
# skip them, nothing is a layout error).  Renaming or removing an element is not a new version of
# this layout.
# v2 adds the report's texts: the sheet 文字说明 and the 自评评分表 column 自评说明 (``evaltool draft``).
VERSIONS: tuple[str, ...] = ("v1", "v2")  # oldest first; the template writes the last
TEMPLATE_VERSION = VERSIONS[-1]
STAMP_PREFIX = "evaltool-template-"


def version_stamp(version: str) -> str:
    return f"{STAMP_PREFIX}{version}"


VERSION_STAMP = version_stamp(TEMPLATE_VERSION)
INSTRUCTIONS_SHEET = "填表说明"
VERSION_LABEL = "模板版本"
# The stamp sits at 填表说明!B2, its label at A2.
VERSION_ROW, VERSION_COL = 2, 2


class Kind(StrEnum):
    """What a cell holds; decides parsing, validation and number format."""

    MONEY = "money"  # amount in the workbook's unit, not negative
    SIGNED_MONEY = "signed_money"  # a difference, may be negative ("减少 10.94")
    PERCENT = "percent"  # a ratio, read as a fraction (0.8132 for 81.32%)
    TEXT = "text"
    DATE = "date"
    YEAR = "year"
    COUNT = "count"  # a whole number, not negative
    PHONE = "phone"
    CHOICE = "choice"
    MEASURE = "measure"  # an indicator value: "6家", "≥90%", or words
    SCORE = "score"  # points in the indicator table


NUMERIC_KINDS = frozenset({Kind.MONEY, Kind.SIGNED_MONEY, Kind.PERCENT, Kind.COUNT, Kind.YEAR, Kind.SCORE})


def in_lang(lang: str, zh: str, en: str) -> str:
    """``en`` for English ("en"), else the Chinese ``zh``."""
    return en if lang == "en" else zh


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind
    stated: bool = False  # an officer-stated derived figure (填报) that the tool recomputes
    prefilled: bool = False  # written by the template (locked), not typed by the officer
    choices: tuple[str, ...] = ()
    width: int = 14
    header_en: str = ""
    since: str = "v1"  # the first template version with this column

    def header_in(self, lang: str) -> str:
        return in_lang(lang, self.header, self.header_en)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    level: int = 0  # 1 for 其中 items, shown indented
    cols: tuple[str, ...] | None = None  # columns that take a value on this row; None: all
    kind: Kind | None = None  # overrides the column's kind (one-column sheets)
    stated: bool = False
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None  # value the template writes into the input cell
    label_en: str = ""
    since: str = "v1"  # the first template version with this row
    lines: int = 1  # text lines the template gives the input cell: a long text is taller and starts at the top

    def label_in(self, lang: str) -> str:
        return in_lang(lang, self.label, self.label_en)


class _Table:
    """What grids and lists share: columns by key, and a cell's kind/role from its row and column."""

    columns: tuple[Column, ...]
    title: str
    title_en: str

    def title_in(self, lang: str) -> str:
        return in_lang(lang, self.title, self.title_en)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def kind(self, row: Row | None, col: Column) -> Kind:
        return (row.kind if row is not None else None) or col.kind

    def stated(self, row: Row | None, col: Column) -> bool:
        return col.stated or (row is not None and row.stated)

    def choices(self, row: Row | None, col: Column) -> tuple[str, ...]:
        return (row.choices if row is not None else ()) or col.choices


@dataclass(frozen=True)
class Grid(_Table):
    """A fixed table: labelled rows (column A) by headed columns (from column B)."""

    key: str
    title: str
    label_header: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    title_en: str = ""
    label_header_en: str = ""
    first_col = 2

    def label_header_in(self, lang: str) -> str:
        return in_lang(lang, self.label_header, self.label_header_en)

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def cells(self, row: Row) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if row.cols is None or c.key in row.cols)

    @property
    def height(self) -> int:
        return 2 + len(self.rows)


@dataclass(frozen=True)
class ListTable(_Table):
    """A list of records that the officer extends; footer rows are found by label."""

    key: str
    title: str
    columns: tuple[Column, ...]
    blank_rows: int  # rows the template offers (the rule set's rows for 自评评分表)
    footer: tuple[Row, ...] = ()  # rows after the list; the label is in column A
    name_col: str = ""  # the column that names a record in messages ("县科协科普经费 拨付率")
    title_en: str = ""
    first_col = 1

    def row(self, key: str) -> Row:
        return next(r for r in self.footer if r.key == key)

    def footer_cells(self, row: Row) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if row.cols is not None and c.key in row.cols)


Table = Grid | ListTable


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    tables: tuple[Table, ...]
    name_en: str = ""
    since: str = "v1"  # the first template version with this sheet

    def name_in(self, lang: str) -> str:
        return in_lang(lang, self.name, self.name_en)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def title_row(self, table: Table) -> int:
        """Row of ``table``'s title; its header is the next row, its rows follow."""
        row = 3
        for t in self.tables:
            if t is table:
                return row
            assert isinstance(t, Grid), "only the last table of a sheet may be a list"
            row += t.height + 1
        raise KeyError(table.key)

    def header_row(self, table: Table) -> int:
        return self.title_row(table) + 1

    def col_index(self, table: Table, col_key: str) -> int:
        keys = [c.key for c in table.columns]
        return table.first_col + keys.index(col_key)

    def grid_row_index(self, grid: Grid, row_key: str) -> int:
        keys = [r.key for r in grid.rows]
        return self.header_row(grid) + 1 + keys.index(row_key)


def has(version: str, element: Sheet | Row | Column) -> bool:
    """Whether a workbook of template ``version`` has ``element``."""
    return VERSIONS.index(element.since) <= VERSIONS.index(version)


def normalize_label(text: object) -> str:
    """Labels as compared by the reader: NFKC, no spaces, no 其中 prefix."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = "".join(s.split())
    for prefix in ("其中:", "其中"):
        if s.startswith(prefix) and len(s) > len(prefix):
            s = s[len(prefix) :]
    return s


def stated(header: str) -> str:
    return f"{header}(填报)"


def stated_en(header_en: str) -> str:
    return f"{header_en} (stated)"


_PCT = Kind.PERCENT
_M = Kind.MONEY

BASIC = Sheet(
    "basic",
    "基本信息",
    (
        Grid(
            "info",
            "部门基本信息",
            "项目",
            (Column("value", "内容", Kind.TEXT, width=30, header_en="Content"),),
            (
                Row("dept", "部门名称", kind=Kind.TEXT, required=True, label_en="Department name"),
                Row("year", "评价年度", kind=Kind.YEAR, required=True, label_en="Evaluation year"),
                Row("subunits", "所属下级预算单位数量", kind=Kind.COUNT, label_en="Number of subordinate budget units"),
                Row("filler", "填报人", kind=Kind.TEXT, label_en="Filled in by"),
                Row("phone", "联系电话", kind=Kind.PHONE, label_en="Contact phone"),
                Row("date", "填报日期", kind=Kind.DATE, label_en="Date filled in"),
                Row("unit", "金额单位", kind=Kind.CHOICE, required=True, choices=("万元", "元"), default="万元",
                    label_en="Amount unit"),
            ),
            title_en="Department information",
            label_header_en="Item",
        ),
    ),
    name_en="Basic information",
)

_AMOUNT = Column("amount", "金额", _M, header_en="Amount")
_SHARE = Column("share", stated("占比"), _PCT, stated=True, header_en=stated_en("Share"))

FINANCE = Sheet(
    "finance",
    "收支情况",
    (
        Grid(
            "income",
            "收入情况",
            "项目",
            (_AMOUNT, _SHARE),
            (
                Row("fiscal", "财政拨款收入", label_en="Fiscal appropriation revenue"),
                Row("fiscal_general", "一般公共预算财政拨款", level=1, label_en="General public budget appropriation"),
                Row("fiscal_fund", "政府性基金预算财政拨款", level=1, label_en="Government fund budget appropriation"),
                Row("fiscal_soe", "国有资本经营预算财政拨款", level=1,
                    label_en="State capital operation budget appropriation"),
                Row("superior", "上级补助收入", label_en="Subsidy revenue from higher authorities"),
                Row("operation", "事业收入", label_en="Public service revenue"),
                Row("business", "经营收入", label_en="Business revenue"),
                Row("affiliate", "附属单位上缴收入", label_en="Revenue remitted by affiliated units"),
                Row("other", "其他收入", label_en="Other revenue"),
                Row("total", "本年收入合计", required=True, label_en="Total revenue for the year"),
                Row("carry_in", "年初结转和结余", cols=("amount",), label_en="Carry-over and balance at start of year"),
                Row("grand", "收入总计", cols=("amount",), label_en="Grand total of revenue"),
            ),
            title_en="Revenue",
            label_header_en="Item",
        ),
        Grid(
            "expense",
            "支出情况",
            "项目",
            (_AMOUNT, _SHARE),
            (
                Row("basic", "基本支出", label_en="Basic expenditure"),
                Row("personnel", "人员经费", level=1, label_en="Personnel expenses"),
                Row("public", "公用经费", level=1, label_en="Public (office) expenses"),
                Row("project", "项目支出", label_en="Project expenditure"),
                Row("total", "本年支出合计", required=True, label_en="Total expenditure for the year"),
                Row("carry_out", "年末结转和结余", cols=("amount",), label_en="Carry-over and balance at end of year"),
                Row("grand", "支出总计", cols=("amount",), label_en="Grand total of expenditure"),
            ),
            title_en="Expenditure",
            label_header_en="Item",
        ),
    ),
    name_en="Revenue and expenditure",
)

EXECUTION = Sheet(
    "execution",
    "预算执行",
    (
        Grid(
            "budget",
            "预算执行情况",
            "项目",
            (
                Column("initial", "年初预算数", _M, header_en="Budget at start of year"),
                Column("adjusted", "全年预算数", _M, header_en="Full-year budget"),
                Column("actual", "全年执行数", _M, header_en="Full-year execution"),
                Column("exec_rate", stated("执行率"), _PCT, stated=True, header_en=stated_en("Execution rate")),
                Column("carryover", "年末结转结余", _M, header_en="Carry-over and balance at end of year"),
                Column("carry_rate", stated("结转结余率"), _PCT, stated=True,
                       header_en=stated_en("Carry-over and balance rate")),
            ),
            (
                Row("total", "年度资金总额", label_en="Total funds for the year"),
                Row("basic", "基本支出", label_en="Basic expenditure"),
                Row("project", "项目支出", label_en="Project expenditure"),
            ),
            title_en="Budget execution",
            label_header_en="Item",
        ),
    ),
    name_en="Budget execution",
)

COSTS = Sheet(
    "costs",
    "运行成本",
    (
        Grid(
            "office",
            "机关运行经费（公用经费）",
            "项目",
            (
                Column("budget", "预算数", _M, header_en="Budget"),
                Column("final", "决算数", _M, header_en="Final accounts"),
                Column("diff", stated("比预算增减"), Kind.SIGNED_MONEY, stated=True,
                       header_en=stated_en("Change against budget")),
                Column("rate", stated("控制率"), _PCT, stated=True, header_en=stated_en("Control rate")),
            ),
            (Row("office", "机关运行经费", label_en="Office running expenses"),),
            title_en="Office running expenses (public expenses)",
            label_header_en="Item",
        ),
        Grid(
            "sangong",
            "“三公”经费",
            "项目",
            (
                Column("budget", "预算数", _M, header_en="Budget"),
                Column("actual", "实际支出数", _M, header_en="Actual expenditure"),
                Column("last_year", "上年实际支出数", _M, header_en="Actual expenditure last year"),
                Column("rate", stated("控制率"), _PCT, stated=True, header_en=stated_en("Control rate")),
            ),
            (
                Row("abroad", "因公出国(境)费", label_en="Official travel abroad"),
                Row("car_buy", "公务用车购置费", label_en="Official vehicle purchase"),
                Row("car_run", "公务用车运行维护费", label_en="Official vehicle operation and maintenance"),
                Row("reception", "公务接待费", label_en="Official reception"),
                Row("total", "合计", label_en="Total"),
            ),
            title_en="Three public expenses",
            label_header_en="Item",
        ),
    ),
    name_en="Running costs",
)

FUND_STATUS = ("完成", "基本完成", "未完成")

FUNDS = Sheet(
    "funds",
    "专项资金",
    (
        ListTable(
            "funds",
            "专项资金使用情况",
            (
                Column("name", "项目名称", Kind.TEXT, width=30, header_en="Project name"),
                Column("budget", "预算数", _M, header_en="Budget"),
                Column("paid", "拨付数", _M, header_en="Disbursed"),
                Column("rate", stated("拨付率"), _PCT, stated=True, header_en=stated_en("Disbursement rate")),
                Column("status", "完成情况", Kind.CHOICE, choices=FUND_STATUS, header_en="Completion"),
                Column("remark", "备注", Kind.TEXT, width=24, header_en="Remarks"),
            ),
            blank_rows=20,
            footer=(Row("total", "合计", cols=("budget", "paid", "rate"), label_en="Total"),),
            name_col="name",
            title_en="Use of special funds",
        ),
    ),
    name_en="Special funds",
)

ASSETS = Sheet(
    "assets",
    "资产管理",
    (
        Grid(
            "assets",
            "资产管理情况",
            "项目",
            (Column("value", "数值", Kind.TEXT, width=16, header_en="Value"),),
            (
                Row("fixed_total", "固定资产总额", kind=_M, label_en="Total fixed assets"),
                Row("fixed_in_use", "在用固定资产总额", kind=_M, label_en="Fixed assets in use"),
                Row("utilization", stated("固定资产利用率"), kind=_PCT, stated=True,
                    label_en=stated_en("Fixed asset utilisation rate")),
                Row("income_due", "资产收益应缴数", kind=_M, label_en="Asset income due"),
                Row("income_paid", "资产收益已缴数", kind=_M, label_en="Asset income paid"),
                Row("stocktake", "是否开展资产盘点", kind=Kind.CHOICE, choices=("是", "否"),
                    label_en="Asset stocktake carried out"),
            ),
            title_en="Asset management",
            label_header_en="Item",
        ),
    ),
    name_en="Asset management",
)

DISCLOSURE = Sheet(
    "disclosure",
    "信息公开",
    (
        Grid(
            "dates",
            "预决算公开情况",
            "项目",
            (Column("value", "日期", Kind.DATE, width=16, header_en="Date"),),
            (
                Row("budget_approved", "预算批复日期", label_en="Budget approval date"),
                Row("budget_published", "预算公开日期", label_en="Budget publication date"),
                Row("final_approved", "决算批复日期", label_en="Final accounts approval date"),
                Row("final_published", "决算公开日期", label_en="Final accounts publication date"),
            ),
            title_en="Publication of the budget and final accounts",
            label_header_en="Item",
        ),
    ),
    name_en="Information disclosure",
)

GOAL_KINDS = ("产出", "效益", "满意度")
DIRECTIONS = ("≥", "≤", "=", "定性")

GOALS = Sheet(
    "goals",
    "绩效目标",
    (
        ListTable(
            "goals",
            "部门整体绩效目标完成情况",
            (
                Column("level1", "一级指标", Kind.CHOICE, choices=GOAL_KINDS, width=10, header_en="Level-1 indicator"),
                Column("level2", "二级指标", Kind.TEXT, header_en="Level-2 indicator"),
                Column("level3", "三级指标", Kind.TEXT, width=30, header_en="Level-3 indicator"),
                Column("direction", "方向", Kind.CHOICE, choices=DIRECTIONS, width=8, header_en="Direction"),
                Column("target", "年度指标值", Kind.MEASURE, header_en="Annual target"),
                Column("actual", "实际完成值", Kind.MEASURE, header_en="Actual result"),
                Column("rate", stated("完成率"), _PCT, stated=True, header_en=stated_en("Completion rate")),
                Column("reason", "偏差原因", Kind.TEXT, width=30, header_en="Reason for deviation"),
            ),
            blank_rows=20,
            name_col="level3",
            title_en="Achievement of the department's overall performance goals",
        ),
    ),
    name_en="Performance goals",
)

_LONG = 6  # lines of a long text field

# The report's words that are not figures: ``evaltool draft`` puts each into its section of the 自评报告.
TEXTS = Sheet(
    "texts",
    "文字说明",
    (
        Grid(
            "texts",
            "自评报告文字内容",
            "项目",
            (Column("value", "内容", Kind.TEXT, width=100, header_en="Content"),),
            (
                Row("duties", "部门职能", lines=_LONG, label_en="Functions of the department"),
                Row("work", "年度总体工作和重点工作任务", lines=_LONG,
                    label_en="Overall work and key tasks of the year"),
                Row("goals", "部门整体支出绩效目标", lines=_LONG,
                    label_en="Performance goals of the overall expenditure"),
                Row("problems", "存在问题", lines=_LONG, label_en="Problems"),
                Row("measures", "改进措施", lines=_LONG, label_en="Improvement measures"),
                Row("last_problems", "上年度存在问题", lines=_LONG, label_en="Problems found last year"),
                Row("last_measures", "上年度改进措施（整改情况）", lines=_LONG,
                    label_en="Measures taken on last year's problems"),
            ),
            title_en="Texts of the self-evaluation report",
            label_header_en="Item",
        ),
    ),
    name_en="Report texts",
    since="v2",
)

GRADES = ("优", "良", "中", "差")


def score_sheet(indicator_rows: int) -> Sheet:
    """自评评分表: its rows are the rule set's indicators, so its length is the rule set's."""
    return Sheet(
        "scores",
        "自评评分表",
        (
            ListTable(
                "scores",
                "部门整体支出绩效自评评分表",
                (
                    Column("level1", "一级指标", Kind.TEXT, prefilled=True, width=12, header_en="Level-1 indicator"),
                    Column("level2", "二级指标", Kind.TEXT, prefilled=True, width=12, header_en="Level-2 indicator"),
                    Column("level3", "三级指标", Kind.TEXT, prefilled=True, width=24, header_en="Level-3 indicator"),
                    Column("weight", "分值", Kind.SCORE, prefilled=True, width=8, header_en="Weight"),
                    Column("method", "评分方法", Kind.TEXT, prefilled=True, width=10, header_en="Scoring method"),
                    Column("criterion", "评分标准", Kind.TEXT, prefilled=True, width=40, header_en="Scoring criteria"),
                    Column("self", "自评得分", Kind.SCORE, width=10, header_en="Self-assessed score"),
                    Column("reason", "扣分原因", Kind.TEXT, width=30, header_en="Reason for deduction"),
                    # What the report says under this indicator (``evaltool draft``).
                    Column("note", "自评说明", Kind.TEXT, width=50, header_en="Notes for the report", since="v2"),
                ),
                blank_rows=indicator_rows,
                footer=(
                    Row("total", "合计", cols=("weight", "self"), label_en="Total"),
                    Row("grade", "自评等级", cols=("self",), kind=Kind.CHOICE, choices=GRADES,
                        label_en="Self-assessed grade"),
                ),
                name_col="level3",
                title_en="Self-evaluation scores of the department's overall expenditure performance",
            ),
        ),
        name_en="Self-evaluation scores",
    )


DATA_SHEETS: tuple[Sheet, ...] = (BASIC, FINANCE, EXECUTION, COSTS, FUNDS, ASSETS, DISCLOSURE, GOALS, TEXTS)
SCORE_SHEET_NAME = "自评评分表"


def sheet_names(version: str | None = None) -> tuple[str, ...]:
    """The sheets of a workbook of template ``version``, in order; None: of the newest version."""
    return (INSTRUCTIONS_SHEET, *(s.name for s in DATA_SHEETS if version is None or has(version, s)),
            SCORE_SHEET_NAME)


SHEET_NAMES = sheet_names()
# The sheets evaltool adds to a checked copy (and replaces when a checked copy is checked again);
# their names are the same in every language, so a copy checked in English is still recognised.
RESULTS_SHEET = "核查结果"
ADDED_SHEETS: tuple[str, ...] = (RESULTS_SHEET, "核查汇总")


@dataclass(frozen=True)
class ResultColumn:
    """A column of 核查结果.  The header is both how it is written and how a re-check finds the column
    again (in either language, so an English copy is read back too); ``entry``: a column people type in
    (unlocked), which a re-check carries over by the finding's id; ``hidden``: ours, for the re-check."""

    key: str
    header: str
    header_en: str
    width: int
    entry: bool = False
    hidden: bool = False

    def header_in(self, lang: str) -> str:
        return self.header_en if lang == "en" else self.header


# 核查结果, one row per finding.  单位说明 is the officer's 出错说明; 审核结论 and 审核意见 the 财政局's;
# 编号 (the finding's id) and 数据摘要 (a digest of its figures) let a re-check carry them over and
# reopen an explanation whose figures changed.
RESULTS_COLUMNS: tuple[ResultColumn, ...] = (
    ResultColumn("code", "编码", "Code", 9),
    ResultColumn("severity", "性质", "Severity", 8),
    ResultColumn("state", "状态", "State", 16),
    ResultColumn("sheet", "工作表", "Sheet", 12),
    ResultColumn("cell", "单元格", "Cell", 8),
    ResultColumn("stated", "填报值", "Stated", 13),
    ResultColumn("recomputed", "重算值", "Recomputed", 13),
    ResultColumn("difference", "差额", "Difference", 11),
    ResultColumn("unit", "单位", "Unit", 8),
    ResultColumn("message", "说明", "Message", 64),
    ResultColumn("explain", "单位说明", "Explanation", 36, entry=True),
    ResultColumn("review", "审核结论", "Review", 10, entry=True),
    ResultColumn("review_note", "审核意见", "Reviewer's note", 28, entry=True),
    ResultColumn("id", "编号", "ID", 30, hidden=True),
    ResultColumn("digest", "数据摘要", "Figures digest", 12, hidden=True),
)
RESULTS_COLUMN = {c.key: i for i, c in enumerate(RESULTS_COLUMNS)}  # key -> 0-based column
# Headers earlier copies used for the same columns.
RESULTS_HEADER_ALIASES = {"填报单位说明": "explain"}
# 审核结论's drop-down, by its key (how the JSON and the county summary count it): zh, en.
REVIEW_CHOICES: dict[str, tuple[str, str]] = {
    "pending": ("待审", "pending"), "accepted": ("认可", "accepted"), "returned": ("退回", "returned"),
}
