"""Every rule's name and documentation in Chinese and English: what `evaltool rules` and `evaltool rule CODE` print.

Each entry is a (Chinese, English) pair keyed by rule code. The Chinese doc is the text the checks carried
as docstrings; the sum rules (SUM01-SUM09) and the ratio rules share a closing paragraph, kept once here as
``_SUM_NOTE`` and ``_RATIO_NOTE``. SUM10 sets out its own rounding rule and gets no closing paragraph.
"""

from __future__ import annotations

# Closing paragraph of the sum rules SUM01-SUM09 (a total against its parts).
_SUM_NOTE: tuple[str, str] = (
    "\n\n相差为 0 通过；各分项分别从元四舍五入到两位小数时，合计可差 0.005 × 分项数，"
    "此范围内为尾差（提示性）；超出为错误（强制性）。空白分项视为没有该项；分项全空时跳过并说明。",
    "\n\nA difference of 0 passes. When each part has been rounded separately from yuan to two decimal "
    "places, the total may be off by up to 0.005 × the number of parts: a difference within that range is "
    "a rounding difference (warning); beyond it, an error (must be fixed). A blank part is taken to mean "
    "there is no such item; when every part is blank, the check is skipped with a note.",
)
# Closing paragraph of the ratio rules (SHR01, SHR02, EXE01, CAR01, CST01-CST03, FND01, AST01, GOL01).
_RATIO_NOTE: tuple[str, str] = (
    "\n\n只核对“填报”栏已填的数；按填报显示的小数位判断（81.32%、81.3%、81% 对 81.318…% 都算对）。"
    "分母为 0 为提示；输入空白时跳过并说明。",
    '\n\nOnly figures entered in the "stated" column are checked, each judged at the decimal places it '
    "shows (81.32%, 81.3% and 81% are all correct for 81.318…%). A denominator of 0 gives a warning; when "
    "an input is blank, the check is skipped with a note.",
)

RULE_NAMES: dict[str, tuple[str, str]] = {
    "IN01": ("必填项未填", "Required cell blank"),
    "IN02": ("无法识别的值", "Unreadable value"),
    "IN03": ("文本型数字", "Number stored as text"),
    "IN04": ("错误值", "Error value"),
    "IN05": ("公式没有计算结果", "Formula without a saved result"),
    "IN06": ("金额为负数", "Negative amount"),
    "IN07": ("模板结构被改动", "Template layout changed"),
    "SUM01": ("本年收入合计", "Revenue total"),
    "SUM02": ("财政拨款收入明细", "Fiscal appropriation breakdown"),
    "SUM03": ("收入总计", "Revenue grand total"),
    "SUM04": ("本年支出合计", "Expenditure total"),
    "SUM05": ("基本支出明细", "Basic expenditure breakdown"),
    "SUM06": ("支出总计", "Expenditure grand total"),
    "SUM07": ("预算执行合计", "Budget execution total"),
    "SUM08": ("“三公”经费合计", "Three public expenses total"),
    "SUM09": ("专项资金合计", "Special funds total"),
    "SUM10": ("基本支出占比明细", "Basic expenditure share breakdown"),
    "SHR01": ("收入占比", "Revenue share"),
    "SHR02": ("支出占比", "Expenditure share"),
    "EXE01": ("预算执行率", "Budget execution rate"),
    "CAR01": ("结转结余率", "Carry-over rate"),
    "CST01": ("公用经费控制率", "Office expense control rate"),
    "CST02": ("公用经费比预算增减", "Office expense vs budget"),
    "CST03": ("“三公”经费控制率", "Three public expenses control rate"),
    "FND01": ("专项资金拨付率", "Special fund disbursement rate"),
    "AST01": ("固定资产利用率", "Fixed asset utilisation"),
    "GOL01": ("绩效指标完成率", "Indicator completion rate"),
    "LIM01": ("“三公”经费超预算", "Three public expenses over budget"),
    "LIM02": ("“三公”经费高于上年", "Three public expenses above last year"),
    "LIM03": ("公用经费超预算", "Office expenses over budget"),
    "LIM04": ("结转结余与“零结余”不符", "Carry-over present while reported as zero"),
    "LIM05": ("固定资产利用率低于 90%", "Fixed asset utilisation below 90%"),
    "LIM06": ("资产收益未足额上缴", "Asset income not fully remitted"),
    "LIM07": ("未开展资产盘点", "No asset stocktake"),
    "BAS01": ("填报日期不在评价年度之后", "Filing date not after the evaluation year"),
    "BAS02": ("联系电话格式", "Phone number format"),
    "PUB01": ("预决算公开时效", "Budget and final accounts disclosure timeliness"),
    "X01": ("支出合计与预算执行一致", "Expenditure total vs budget execution"),
    "X02": ("基本/项目支出两表一致", "Basic/project expenditure across sheets"),
    "X03": ("专项资金不超过项目支出", "Special funds within project expenditure"),
    "X04": ("“三公”经费不超过机关运行经费", "Three public expenses within office expenses"),
    "SCO01": ("自评得分超出分值", "Self-score above the weight"),
    "SCO02": ("扣分未说明原因", "Deduction without a reason"),
    "SCO03": ("自评得分高于重算得分", "Self-score above the recomputed score"),
    "SCO04": ("自评得分低于重算得分", "Self-score below the recomputed score"),
    "SCO05": ("定量指标无法计算", "Quantitative indicator not computable"),
    "SCO06": ("合计不等于各项之和", "Total is not the sum of the rows"),
    "SCO07": ("自评等级与得分不符", "Grade does not match the score"),
    "SCO08": ("分值与评分规则不一致", "Weights differ from the rule set"),
    "SCO10": ("自评等级高于重算等级", "Self-assessed grade above the recomputed grade"),
    "SCO09": ("未打分", "Row not scored"),
}

RULE_DOCS: dict[str, tuple[str, str]] = {
    "IN01": (
        "部门名称、评价年度、金额单位、本年收入合计、本年支出合计为必填项；空白或只填“—”“无”均为错误。",
        "The department name, evaluation year, amount unit, total revenue for the year and total "
        'expenditure for the year are required; a cell left blank or holding only a dash ("—") or '
        '"none" is an error.',
    ),
    "IN02": (
        "单元格的内容不能按该栏的类型读取（不是数字、单位与金额单位不符、日期无效、不在下拉选项中等）。\n"
        "该值不参与任何计算，依赖它的核查会跳过并说明。",
        "The cell's content cannot be read as the type its field expects (not a number, a unit that "
        "differs from the amount unit, an invalid date, a value not in the drop-down list, and so on).\n"
        "The value takes no part in any calculation; checks that depend on it are skipped, with a note "
        "saying so.",
    ),
    "IN03": (
        "数字以文本形式存储（如“2,369.93”、“８１．３２％”、“2914.41万元”）：工具能读出数值，\n"
        "但 Excel/WPS 的求和公式会漏算文本，应改为数值单元格。",
        'A number is stored as text (e.g. "2,369.93", "81.32%" typed in full-width characters, or '
        '"2914.41" followed by the unit 10,000 yuan written in the cell): evaltool can read the value, '
        "but SUM formulas in Excel/WPS leave text out, so it should be changed to a numeric cell.",
    ),
    "IN04": (
        "单元格为 Excel 错误值（#DIV/0!、#REF!、#VALUE! 等），通常是公式引用或除数出了问题。",
        "The cell holds an Excel error value (#DIV/0!, #REF!, #VALUE!, etc.), usually because of a "
        "problem with a formula's references or its divisor.",
    ),
    "IN05": (
        "单元格是公式，但文件里没有保存计算结果（常见于程序生成或转换过的文件）。\n"
        "工具不会把它当作 0：请用 Excel 或 WPS 打开并保存一次后再核查。",
        "The cell holds a formula, but the file has no saved result for it (common in files generated or "
        "converted by a program).\n"
        "evaltool does not treat it as 0: open the file in Excel or WPS, save it once, then check it "
        "again.",
    ),
    "IN06": (
        "金额栏出现负数。收入、支出、预算、结转结余一般不为负，请核实是否录入错误或应写在“增减”栏。",
        "An amount field holds a negative number. Revenue, expenditure, budgets and carry-over balances "
        "are normally not negative: check whether it was entered by mistake or belongs in the "
        '"increase/decrease" column.',
    ),
    "IN07": (
        "模板的行标签或列标题不在原处也找不到（被改名或删除）。该行或该列无法读取，相关核查会跳过。",
        "A row label or column heading of the template is neither in its original place nor anywhere else "
        "(it was renamed or deleted). That row or column cannot be read, and the checks that depend on it "
        "are skipped.",
    ),
    "SUM01": (
        "本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入。"
        + _SUM_NOTE[0],
        "Total revenue for the year = fiscal appropriation revenue + subsidies from the higher-level unit "
        "+ public-service revenue + business revenue + remittances from subordinate units + other revenue."
        + _SUM_NOTE[1],
    ),
    "SUM02": (
        "财政拨款收入 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款（填了明细时核对）。" + _SUM_NOTE[0],
        "Fiscal appropriation revenue = appropriations from the general public budget + the government "
        "fund budget + the state capital operation budget (checked when the breakdown is filled in)." + _SUM_NOTE[1],
    ),
    "SUM03": (
        "收入总计 = 本年收入合计 + 年初结转和结余。" + _SUM_NOTE[0],
        "Grand total revenue = total revenue for the year + carry-over and balances at the start of the "
        "year." + _SUM_NOTE[1],
    ),
    "SUM04": (
        "本年支出合计 = 基本支出 + 项目支出。" + _SUM_NOTE[0],
        "Total expenditure for the year = basic expenditure + project expenditure." + _SUM_NOTE[1],
    ),
    "SUM05": (
        "基本支出 = 人员经费 + 公用经费（填了明细时核对）。" + _SUM_NOTE[0],
        "Basic expenditure = personnel expenses + office expenses (checked when the breakdown is filled "
        "in)." + _SUM_NOTE[1],
    ),
    "SUM06": (
        "支出总计 = 本年支出合计 + 年末结转和结余。" + _SUM_NOTE[0],
        "Grand total expenditure = total expenditure for the year + carry-over and balances at the end of "
        "the year." + _SUM_NOTE[1],
    ),
    "SUM07": (
        "预算执行表中，年度资金总额 = 基本支出 + 项目支出（年初预算数、全年预算数、全年执行数、"
        "年末结转结余各列）。" + _SUM_NOTE[0],
        "On the budget execution sheet, total annual funds = basic expenditure + project expenditure (in "
        "each column: budget at the start of the year, full-year budget, full-year amount spent, and "
        "year-end carry-over and balance)." + _SUM_NOTE[1],
    ),
    "SUM08": (
        "“三公”经费合计 = 因公出国(境)费 + 公务用车购置费 + 公务用车运行维护费 + 公务接待费（预算数、"
        "实际支出数、上年实际支出数各列；公务用车购置及运行维护费两项都计入）。" + _SUM_NOTE[0],
        "Total of the three public expenses = official travel abroad + purchase of official vehicles + "
        "operation and maintenance of official vehicles + official reception (in each column: budget, "
        "actual spending, and last year's actual spending; both official-vehicle items, purchase and "
        "operation/maintenance, are counted)." + _SUM_NOTE[1],
    ),
    "SUM09": (
        "专项资金合计行的预算数、拨付数 = 各项目之和。" + _SUM_NOTE[0],
        "On the special funds total row, the budget and the amount disbursed = the sum over the projects."
        + _SUM_NOTE[1],
    ),
    "SUM10": (
        "基本支出的占比(填报) = 人员经费占比 + 公用经费占比（三项都填了占比时核对）；"
        "各占比按其显示的小数位四舍五入，差额在四舍五入尾差以内视为一致，超出为强制性错误。",
        "The stated share of basic expenditure = the share of personnel expenses + the share of office "
        "expenses (checked when all three shares are filled in); each share is rounded to the decimal "
        "places it shows, a difference within the rounding margin counts as agreeing, and a larger one is "
        "an error (must be fixed).",
    ),
    "SHR01": (
        "收入各项占比 = 该项金额 ÷ 本年收入合计；按填报的小数位四舍五入后应一致。若与“÷ 收入总计”一致，"
        "说明口径用错，提示改用本年收入合计。本年收入合计不平时暂不核对。" + _RATIO_NOTE[0],
        "The share of each revenue item = that item's amount ÷ total revenue for the year; rounded to the "
        'stated decimal places, the two should agree. If the stated share instead matches "÷ grand total '
        'revenue", the wrong basis was used, and the message suggests using total revenue for the year. '
        "While total revenue for the year does not add up, the shares are not checked." + _RATIO_NOTE[1],
    ),
    "SHR02": (
        "支出各项占比 = 该项金额 ÷ 本年支出合计；按填报的小数位四舍五入后应一致。"
        "本年支出合计不平时暂不核对。" + _RATIO_NOTE[0],
        "The share of each expenditure item = that item's amount ÷ total expenditure for the year; "
        "rounded to the stated decimal places, the two should agree. While total expenditure for the year "
        "does not add up, the shares are not checked." + _RATIO_NOTE[1],
    ),
    "EXE01": (
        "预算执行率 = 全年执行数 ÷ 全年预算数（全年预算为调整后预算，不是年初预算）。" + _RATIO_NOTE[0],
        "Budget execution rate = full-year amount spent ÷ full-year budget (the full-year budget is the "
        "adjusted budget, not the budget at the start of the year)." + _RATIO_NOTE[1],
    ),
    "CAR01": (
        "结转结余率 = 年末结转结余 ÷ 全年预算数。" + _RATIO_NOTE[0],
        "Carry-over rate = year-end carry-over and balance ÷ full-year budget." + _RATIO_NOTE[1],
    ),
    "CST01": (
        "公用经费（机关运行经费）控制率 = 决算数 ÷ 预算数。" + _RATIO_NOTE[0],
        "Control rate of office expenses (agency operating expenses) = final accounts amount ÷ budget."
        + _RATIO_NOTE[1],
    ),
    "CST02": (
        "机关运行经费比预算增减 = 决算数 − 预算数（负数为减少，可写作“减少 10.94”）。" + _RATIO_NOTE[0],
        "Agency operating expenses compared with the budget = final accounts amount − budget (a negative "
        'result is a decrease and may be written as one, e.g. "decrease 10.94").' + _RATIO_NOTE[1],
    ),
    "CST03": (
        "“三公”经费控制率 = 实际支出数 ÷ 预算数，逐项及合计。" + _RATIO_NOTE[0],
        "Control rate of the three public expenses (overseas travel, official vehicles, official "
        "reception) = actual spending ÷ budget, for each item and for the total." + _RATIO_NOTE[1],
    ),
    "FND01": (
        "专项资金拨付率 = 拨付数 ÷ 预算数，逐项及合计。" + _RATIO_NOTE[0],
        "Special fund disbursement rate = amount disbursed ÷ budget, for each project and for the total."
        + _RATIO_NOTE[1],
    ),
    "AST01": (
        "固定资产利用率 = 在用固定资产总额 ÷ 固定资产总额；填“≥90%”时核对重算值是否满足。" + _RATIO_NOTE[0],
        "Fixed asset utilisation rate = total fixed assets in use ÷ total fixed assets; when it is stated "
        'as "≥90%", the check is whether the recomputed rate satisfies that.' + _RATIO_NOTE[1],
    ),
    "GOL01": (
        "指标完成率：方向“≥”为 实际 ÷ 目标，方向“≤”为 目标 ÷ 实际，“=”为 实际 ÷ 目标；"
        "显示不封顶（7 ÷ 6 = 116.7%），评分时封顶 100%。定性指标不计算。" + _RATIO_NOTE[0],
        'Indicator completion rate: for direction "≥" it is actual ÷ target, for "≤" target ÷ actual, '
        'for "=" actual ÷ target; the rate shown is not capped (7 ÷ 6 = 116.7%), but it is capped at '
        "100% for scoring. Qualitative indicators are not computed." + _RATIO_NOTE[1],
    ),
    "LIM01": (
        "“三公”经费（逐项及合计）实际支出数大于预算数，为强制性错误。",
        "Actual spending on the three public expenses (overseas travel, official vehicles, official "
        "reception), for any item or for the total, is above the budget: an error (must be fixed).",
    ),
    "LIM02": (
        "“三公”经费实际支出数高于上年实际支出数（填了上年数时核对），为提示性，请在说明中解释原因。",
        "Actual spending on the three public expenses (overseas travel, official vehicles, official "
        "reception) is above last year's actual spending (checked when last year's figures are filled "
        "in): a warning (may stand if explained); explain the reason in the notes.",
    ),
    "LIM03": (
        "机关运行经费（公用经费）决算数大于预算数，为提示性。",
        "The final accounts amount of agency operating expenses (office expenses) is above the budget: a "
        "warning (may stand if explained).",
    ),
    "LIM04": (
        "预算执行表的结转结余率填报为 0，但同一行的年末结转结余（或年度资金总额行对应的收支情况表\n"
        "“年末结转和结余”）大于 0。",
        "The budget execution sheet states a carry-over rate of 0, but the year-end carry-over and "
        "balance on the same row (or, for the total annual funds row, the corresponding carry-over and "
        "balances at the end of the year on the revenue and expenditure sheet) is greater than 0.",
    ),
    "LIM05": (
        "在用固定资产总额 ÷ 固定资产总额低于 90%（无金额时按填报的利用率判断）。",
        "Total fixed assets in use ÷ total fixed assets is below 90% (when the amounts are not given, "
        "judged on the stated utilisation rate).",
    ),
    "LIM06": (
        "资产收益已缴数小于应缴数。",
        "The asset income already remitted is less than the amount due.",
    ),
    "LIM07": (
        "“是否开展资产盘点”填“否”。",
        'The answer to "Was an asset stocktake carried out?" is "No".',
    ),
    "BAS01": (
        "自评是对上一年度的评价：填报日期应晚于评价年度的 12 月 31 日（2023 年度的自评在 2024 年填报）。\n"
        "填报日期晚于今天也会提示。",
        "A self-evaluation assesses the previous year: the filing date should be after 31 December of the "
        "evaluation year (the self-evaluation for 2023 is filed in 2024).\n"
        "A filing date later than today also gives a warning.",
    ),
    "BAS02": (
        "联系电话应为固定电话（区号-号码，如 0753-6888322）或 11 位手机号；\n以数字存储的固话会丢掉区号前的 0。",
        "The contact phone number should be a landline (area code-number, e.g. 0753-6888322) or an "
        "11-digit mobile number;\n"
        "a landline stored as a number loses the 0 at the start of the area code.",
    ),
    "PUB01": (
        "预算、决算应在批复后 20 日内公开：公开日期 − 批复日期 > 20 天为提示性；\n"
        "公开日期早于批复日期为强制性错误（日期填错）。",
        "Budgets and final accounts should be made public within 20 days of approval: a disclosure date "
        "more than 20 days after the approval date is a warning (may stand if explained);\n"
        "a disclosure date before the approval date is an error (must be fixed): a date was entered "
        "wrongly.",
    ),
    "X01": (
        "收支情况表的本年支出合计应等于预算执行表“年度资金总额”的全年执行数。",
        "Total expenditure for the year on the revenue and expenditure sheet should equal the full-year "
        'amount spent on the "total annual funds" row of the budget execution sheet.',
    ),
    "X02": (
        "预算执行表基本支出、项目支出的全年执行数应分别等于收支情况表的基本支出、项目支出。",
        "On the budget execution sheet, the full-year amounts spent on basic expenditure and on project "
        "expenditure should equal basic expenditure and project expenditure, respectively, on the revenue "
        "and expenditure sheet.",
    ),
    "X03": (
        "专项资金拨付数合计（未填合计行时按各项目之和）不应大于收支情况表的项目支出。",
        "The total of special funds disbursed (the sum over the projects when the total row is not filled "
        "in) should not be more than project expenditure on the revenue and expenditure sheet.",
    ),
    "X04": (
        "“三公”经费实际支出合计一般不大于机关运行经费决算数，超过时请核实口径。",
        "Total actual spending on the three public expenses (overseas travel, official vehicles, official "
        "reception) is normally not more than the final accounts amount of agency operating expenses; "
        "when it is, check that both are measured on the same basis.",
    ),
    "SCO01": (
        "自评得分不得超过该行分值（分值空白时按评分规则的分值）。负数或非数字的得分由 IN02 报告。",
        "The self-score must not exceed the row's weight (when the weight is blank, the weight in the "
        "rule set applies). A negative or non-numeric score is reported by IN02.",
    ),
    "SCO02": (
        "自评得分低于分值（有扣分）时，扣分原因栏应写明原因；空白或只填“无”“—”为提示性问题。",
        "When the self-score is below the weight (points were deducted), the reason-for-deduction column "
        'should state the reason; leaving it blank or writing only "none" or a dash ("—") is a '
        "warning.",
    ),
    "SCO03": (
        "定量指标按评分规则重算得分（比率法、上限法、分档法、汇总），"
        "自评得分高于重算得分为强制性错误（多打分）。\n\n"
        "自评得分与重算得分相差不足 0.005 分，或等于重算得分按自评得分自身的小数位四舍五入的结果，"
        "视为一致：\n"
        "重算 3.33 分时自评 3.3 分或 3 分都算一致，3.4 分不一致。汇总类指标有部分绩效目标行无法计算时，\n"
        "按这些行全部完成计算可得的最高分核对。",
        "Quantitative indicators are rescored by the rule set (ratio, ceiling, band or aggregate method); "
        "a self-score above the recomputed score is an error (must be fixed): too many points were given.\n\n"
        "A self-score agrees with the recomputed score when the two differ by less than 0.005 points, or "
        "when it equals the recomputed score rounded to the self-score's own decimal places: with a "
        "recomputed 3.33 points, a self-score of 3.3 or 3 agrees, 3.4 does not. When some "
        "performance-goal rows of an aggregate indicator cannot be computed, the check uses the highest "
        "score obtainable with those rows fully achieved.",
    ),
    "SCO04": (
        "定量指标的自评得分低于重算得分（一致的判断同 SCO03），为提示性：请核实，"
        "或在说明中写明多扣分的理由。\n"
        "汇总类指标有部分绩效目标行无法计算时，按这些行完全未完成计算的最低分核对。",
        "A quantitative indicator's self-score is below the recomputed score (agreement is judged as in "
        "SCO03): a warning (may stand if explained). Check it, or give the reason for the extra deduction "
        "in the notes.\n"
        "When some performance-goal rows of an aggregate indicator cannot be computed, the check uses the "
        "lowest score obtainable with those rows not achieved at all.",
    ),
    "SCO05": (
        "定量指标的计算数据未填或不是数值时，无法重算得分，说明缺哪些数据（信息）；\n"
        "计算数据未填而按填报的比率计分，或汇总类指标只有部分绩效目标行可计算时，也予以说明。",
        "When a quantitative indicator's input data are blank or not numeric, its score cannot be "
        "recomputed, and a note (info) says which data are missing;\n"
        "a note is also given when the inputs are blank and the score is computed from the stated rate, "
        "or when only some performance-goal rows of an aggregate indicator can be computed.",
    ),
    "SCO06": (
        "合计行的自评得分应等于各行自评得分之和，合计行的分值应等于各行分值之和（相差不超过 0.005）。",
        "The self-score on the total row should equal the sum of the rows' self-scores, and the weight on "
        "the total row should equal the sum of the rows' weights (to within 0.005).",
    ),
    "SCO07": (
        "自评等级应与合计得分相符（合计未填时按各行之和）：\n"
        "优 ≥ 90 分，良 80～90 分（含 80 不含 90），中 60～80 分，差 < 60 分。",
        "The self-assessed grade should match the total score (the sum of the rows when the total is not "
        "filled in):\n"
        "excellent ≥ 90 points, good 80 to 90 points (80 included, 90 not), fair 60 to 80 points, poor < "
        "60 points.",
    ),
    "SCO10": (
        "自评等级应为重算得分的等级（优 ≥ 90，良 80～90，中 60～80，差 < 60）：高于重算等级为强制性错误（多报），"
        "低于为提示性。\n"
        "汇总类指标有部分绩效目标行无法计算时，重算得分是一个范围，范围内任一得分的等级都算相符。",
        "The self-assessed grade should be the grade of the recomputed score (excellent ≥ 90, good 80 to 90, "
        "fair 60 to 80, poor < 60): a grade above it is an error (over-claiming), below it a warning.\n"
        "When some performance-goal rows of an aggregate indicator cannot be computed, the recomputed score is "
        "a range, and the grade of any score in it agrees.",
    ),
    "SCO08": (
        "各行分值应与评分规则一致（不得自行修改分值）；评分规则中的指标在表中找不到（行被删除或改名），\n"
        "或表中的三级指标不在评分规则中，也是错误。",
        "Each row's weight should match the rule set (weights may not be changed); it is also an error "
        "when an indicator in the rule set cannot be found in the sheet (its row was deleted or renamed), "
        "or a third-level indicator in the sheet is not in the rule set.",
    ),
    "SCO09": (
        "已开始打分但某行自评得分空白，为提示性。整张评分表都未打分时只给一条信息，并跳过其他评分核查。",
        "Scoring has begun but a row's self-score is blank: a warning. When nothing on the whole scoring "
        "sheet has been scored, a single info note is given and the other scoring checks are skipped.",
    ),
}
