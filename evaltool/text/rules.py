"""Every rule's name and documentation in Chinese and English: what `evaltool rules` and `evaltool rule CODE` print.

Each entry is a (Chinese, English) pair keyed by rule code. The Chinese doc is the text the checks carried
as docstrings; the sum rules (SUM01-SUM09) and the ratio rules share a closing paragraph, kept once here as
``_SUM_NOTE`` and ``_RATIO_NOTE``. SUM10 sets out its own rounding rule and gets no closing paragraph.
"""

from __future__ import annotations

# Closing paragraph of the sum rules SUM01-SUM09 (a total against its parts).
_SUM_NOTE: tuple[str, str] = (
    "\n\n空白表示未提供，不当作 0；没有该项请填 0 或“—”。合计未填时：明细行（其中项）填了几项就按这几项之和计算，"
    "其他合计须各分项都已填写才计算；算出的数用于其后的核查，并以信息说明。\n"
    "相差为 0 通过。各数按其显示的小数位四舍五入，每个数最多差末位的半个单位：相差在合计与各分项的这些尾差之内"
    "（均为两位小数时为 0.005 × 分项数，合计以整数万元显示时另加 0.5）为尾差（提示性）；超出时，分项都已填写为"
    "强制性错误，有分项未填写且合计大于已填分项之和为提示性（分项未填全，列出未填的分项）。"
    "只填了合计、分项全空时跳过并说明。",
    "\n\nA blank cell means not provided, never 0; enter 0 or a dash where there is no such item. When the "
    "total is blank: a breakdown (sub-rows) is summed over the sub-rows given; any other total is computed only "
    "when every part is given; the computed figure is used by the later checks and a note says so.\n"
    "A difference of 0 passes. Each figure is rounded at the decimals it shows, so it may be off by half a unit "
    "of its last place: a difference within those tails of the total and its parts (0.005 × the number of "
    "parts when all show two decimals; 0.5 more for a total shown in whole 10k yuan) is a rounding difference "
    "(warning). Beyond it: an error when every part is given; a warning when some parts are blank and the total "
    "is above the parts given (parts missing; the message names them). A total given without any part is "
    "skipped with a note.",
)
# Closing paragraph of the ratio rules (SHR01, SHR02, EXE01, CAR01, CST01, CST03, FND01, AST01, GOL01).
_RATIO_NOTE: tuple[str, str] = (
    "\n\n只核对“填报”栏已填的数；按填报显示的小数位判断（81.32%、81.3%、81% 对 81.318…% 都算对）；"
    "以整数万元显示的金额按其四舍五入前可能的数核对。不符时，若算术能看出可能的错因则一并指出：多乘了 100、"
    "在以百分点计的单元格中填了小数、用了年初预算数、分子分母颠倒、封顶为 100%、分母口径用错。"
    "分母为 0 为提示；输入空白时跳过并说明。",
    '\n\nOnly figures entered in the "stated" column are checked, each judged at the decimal places it '
    "shows (81.32%, 81.3% and 81% are all correct for 81.318…%); an amount shown in whole 10k yuan is taken "
    "as any figure it can be rounded from. When a figure is wrong and the arithmetic shows the likely slip, "
    "the message names it: multiplied by 100, a fraction in a cell of percentage points, the budget at the "
    "start of the year, numerator and denominator swapped, capped at 100%, the wrong basis. A denominator of 0 "
    "gives a warning; when an input is blank, the check is skipped with a note.",
)

RULE_NAMES: dict[str, tuple[str, str]] = {
    "IN01": ("必填项未填", "Required cell blank"),
    "IN02": ("无法识别的值", "Unreadable value"),
    "IN03": ("文本型数字", "Number stored as text"),
    "IN04": ("错误值", "Error value"),
    "IN05": ("公式没有计算结果", "Formula without a saved result"),
    "IN06": ("金额为负数", "Negative amount"),
    "IN07": ("模板结构被改动", "Template layout changed"),
    "IN09": ("表中多出模板没有的行", "A row the template does not have"),
    "IN08": ("同一张表出现两处", "A table appears twice"),
    "UNIT01": ("金额与金额单位不符", "Amounts implausible for the amount unit"),
    "FMT01": ("百分比格式丢失", "Percentage formats lost"),
    "SUM01": ("本年收入合计与分项不符", "Revenue total does not match its parts"),
    "SUM02": ("财政拨款收入与明细不符", "Fiscal appropriation does not match its breakdown"),
    "SUM03": ("收入总计与分项不符", "Revenue grand total does not match its parts"),
    "SUM04": ("本年支出合计与分项不符", "Expenditure total does not match its parts"),
    "SUM05": ("基本支出与明细不符", "Basic expenditure does not match its breakdown"),
    "SUM06": ("支出总计与分项不符", "Expenditure grand total does not match its parts"),
    "SUM07": ("预算执行合计与分项不符", "Budget execution total does not match its parts"),
    "SUM08": ("“三公”经费合计与分项不符", "Three public expenses total does not match its items"),
    "SUM09": ("专项资金合计与各项目不符", "Special funds total does not match the projects"),
    "SUM10": ("基本支出占比与明细占比不符", "Basic expenditure share does not match its sub-shares"),
    "SHR01": ("收入占比与重算不符", "Revenue share differs from the recomputed one"),
    "SHR02": ("支出占比与重算不符", "Expenditure share differs from the recomputed one"),
    "EXE01": ("预算执行率与重算不符", "Budget execution rate differs from the recomputed one"),
    "CAR01": ("结转结余率与重算不符", "Carry-over rate differs from the recomputed one"),
    "CST01": ("公用经费控制率与重算不符", "Office expense control rate differs from the recomputed one"),
    "CST02": ("公用经费比预算增减与重算不符", "Office expense change against budget differs from the recomputed one"),
    "CST03": ("“三公”经费控制率与重算不符", "Three public expenses control rate differs from the recomputed one"),
    "FND01": ("专项资金拨付率与重算不符", "Special fund disbursement rate differs from the recomputed one"),
    "AST01": ("固定资产利用率与重算不符", "Fixed asset utilisation differs from the recomputed one"),
    "GOL01": ("绩效指标完成率与重算不符", "Indicator completion rate differs from the recomputed one"),
    "GOL02": ("绩效目标未填一级指标", "Performance goal without its level-1 indicator"),
    "EXE02": ("年末结转结余不等于预算数减执行数", "Year-end carry-over is not budget less execution"),
    "PRI01": ("年初结转和结余与上年年末不符", "Carry-over at start of year differs from last year's end"),
    "PRI02": ("“三公”上年实际支出数与上年表不符", "Last year's three public expenses differ from last year's workbook"),
    "PRI03": ("与上年比变动过大", "Year-on-year change beyond the threshold"),
    "PRI04": ("“三公”经费预算高于上年", "Three public expenses budget above last year's"),
    "PRI05": ("“三公”经费实际支出高于上年表", "Three public expenses above last year's workbook"),
    "PRI06": ("得分上升而指标变差", "Self-score rose while its figure got worse"),
    "PRI07": ("上年错误仍未整改", "Last year's error still present"),
    "LIM01": ("“三公”经费超预算", "Three public expenses over budget"),
    "LIM02": ("“三公”经费高于上年", "Three public expenses above last year"),
    "LIM03": ("公用经费超预算", "Office expenses over budget"),
    "LIM04": ("结转结余与“零结余”不符", "Carry-over present while reported as zero"),
    "LIM05": ("固定资产利用率低于 90%", "Fixed asset utilisation below 90%"),
    "LIM06": ("资产收益未足额上缴", "Asset income not fully remitted"),
    "LIM07": ("未开展资产盘点", "No asset stocktake"),
    "LIM08": ("专项资金拨付数超过预算数", "Special fund paid above its budget"),
    "BAS01": ("填报日期早于评价年度结束", "Filing date before the evaluation year ended"),
    "BAS02": ("联系电话不像电话号码", "Contact phone is not a phone number"),
    "PUB01": ("预决算公开超过 20 日或早于批复", "Budget or final accounts disclosed late or before approval"),
    "X01": ("支出合计与预算执行不一致", "Expenditure total differs from budget execution"),
    "X02": ("基本/项目支出两表不一致", "Basic/project expenditure differs across sheets"),
    "X03": ("专项资金超过项目支出", "Special funds above project expenditure"),
    "X04": ("“三公”经费超过机关运行经费", "Three public expenses above office expenses"),
    "X05": ("年末结转结余两表不一致", "Year-end carry-over differs across sheets"),
    "SCO01": ("自评得分超出分值", "Self-score above the weight"),
    "SCO02": ("扣分未说明原因", "Deduction without a reason"),
    "SCO03": ("自评得分高于重算得分", "Self-score above the recomputed score"),
    "SCO04": ("自评得分低于重算得分", "Self-score below the recomputed score"),
    "SCO05": ("定量指标无法计算", "Quantitative indicator not computable"),
    "SCO06": ("合计不等于各项之和", "Total is not the sum of the rows"),
    "SCO07": ("自评等级与得分不符", "Grade does not match the score"),
    "SCO08": ("分值与评分规则不一致", "Weights differ from the rule set"),
    "SCO09": ("未打分或未填等级", "Row not scored or grade blank"),
    "SCO10": ("自评等级高于重算等级", "Self-assessed grade above the recomputed grade"),
    "RPT01": ("报告：合计与分项不符", "Report: total is not the sum of its parts"),
    "RPT02": ("报告：占比与所指合计不符", "Report: share does not match its total"),
    "RPT03": ("报告：增减额或增减方向不符", "Report: change amount or direction wrong"),
    "RPT04": ("报告：增减幅度不符", "Report: rate of change wrong"),
    "RPT05": ("报告：个数与列举不符", "Report: count does not match the items listed"),
    "RPT06": ("报告：序号重复或跳号", "Report: item numbers repeat or skip"),
    "RPT07": ("报告：比较词与数字不符", "Report: comparison word contradicts the figures"),
    "RPT08": ("报告：数字留空", "Report: figure left blank"),
    "RPT09": ("报告：完成率与预算数、实际数不符", "Report: rate does not match budget and actual"),
    "RPT10": ("报告：等级与得分不符", "Report: grade does not match the score"),
    "RPT11": ("报告：数字与自评表不一致", "Report: figure differs from the workbook"),
    "RPT12": ("报告：得分、等级与评分表不一致", "Report: score or grade differs from the scoring sheet"),
    "RPT13": ("报告：未核对的数字", "Report: figure not checked"),
}

_RPT_NOTE: tuple[str, str] = (
    "\n\n报告规则核对自评报告（.docx、.pdf 的文字层、.txt）中句子里的数字；数字按文中显示的小数位比较。"
    "句式没有把握的数字不核对（-v 列为“未核对”），宁可漏核也不误报。",
    "\n\nReport rules check the figures in the sentences of a self-evaluation report (.docx, the text layer of a "
    "PDF, .txt), each compared at the decimal places the text shows. A figure in a sentence whose shape is not "
    "certain is not checked (-v lists it as not checked): a false alarm is as bad as a miss.",
)

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
        "工具不会把它当作 0：请用 Excel 或 WPS 打开并保存一次后再核查。一个文件只报告一次，"
        "标在第一个这样的单元格上，消息给出个数并列出这些单元格。",
        "The cell holds a formula, but the file has no saved result for it (common in files generated or "
        "converted by a program).\n"
        "evaltool does not treat it as 0: open the file in Excel or WPS, save it once, then check it "
        "again. It is reported once per file, on the first such cell; the message gives the count and "
        "lists the cells.",
    ),
    "IN06": (
        "金额栏出现负数。收入、支出、预算、结转结余一般不为负，请核实是否录入错误或应写在“增减”栏。",
        "An amount field holds a negative number. Revenue, expenditure, budgets and carry-over balances "
        "are normally not negative: check whether it was entered by mistake or belongs in the "
        '"increase/decrease" column.',
    ),
    "FMT01": (
        "工作簿经 pandas 等不保留数字格式的程序另存后，占比、比率单元格丢了百分比格式：81.32% 显示为 0.8132，"
        "按“无百分比格式的填报栏以百分点计”读作 0.8132%。至少两个填报的占比/比率恰好是重算值的 1/100（按其显示的"
        "小数位减两位比较）、多于两种读法都不对的、且没有一个按原样读是对的（0 对 0 不算）时，只报这一条错误，"
        "并把这些单元格按其中的小数（百分比）核对：它解释的逐格错误不再报，真错的仍按百分比报出。"
        "处理：在 Excel/WPS 中把这些单元格设为百分比格式（数不用改），或把数据转填到 evaltool template 生成的模板。",
        "A workbook re-saved through pandas or another program that drops number formats loses the percentage "
        "format of its share and rate cells: 81.32% shows as 0.8132, which a stated cell without a % format reads "
        "as percent points, 0.8132%. When at least two stated shares or rates are exactly 1/100 of the recomputed "
        "figure (compared at their shown places less two), more than are wrong either way, and none is right as "
        "shown (a 0 for a 0 does not count), this one error is reported and those cells are checked as the "
        "fractions they hold: the per-cell errors it explains are not reported, a real error among them still is, "
        "as a percentage. To fix: format the cells as percentages in Excel/WPS (the numbers need no change), or "
        "copy the data into the template from `evaltool template`.",
    ),
    "UNIT01": (
        "金额单位为万元而本年收入/支出合计达到 1,000,000 万元（100 亿元），或金额单位为元而合计不足 10,000 元："
        "金额多半是按另一个单位填的，为提示性。批量核查时，某部门的合计达到全县中位数的 1000 倍也在汇总表中标出。",
        "The amount unit is 10k yuan but the revenue or expenditure total reaches 1,000,000 (10 billion yuan), or "
        "the unit is yuan and the total is under 10,000 yuan: the amounts were most likely entered in the other "
        "unit; a warning. In a batch, a department whose total is 1000 times the county median or more is also "
        "marked in the summary.",
    ),
    "IN07": (
        "模板的行标签或列标题不在原处也找不到（被改名或删除）。该行或该列无法读取，相关核查会跳过。",
        "A row label or column heading of the template is neither in its original place nor anywhere else "
        "(it was renamed or deleted). That row or column cannot be read, and the checks that depend on it "
        "are skipped.",
    ),
    "IN08": (
        "模板的一张表在本表中出现不止一处（例如在模板表上方粘贴了决算公开表）。读取列标题与模板一致、行序与模板一致的"
        "那一处；都一致时读取最接近模板位置的那一处。提示写明读取了哪一处、另一处在哪里：请删去多余的表或改掉其行标签。",
        "A table of the template appears more than once on its sheet (for example a published final-accounts "
        "table pasted above the template's). The copy under the template's column headings, with its rows in "
        "the template's order, is read; when both qualify, the one nearest the template's place. The warning "
        "says which copy was read and where the other one is: delete the extra table or rename its row labels.",
    ),
    "IN09": (
        "在固定行的表（收支情况、预算执行、运行成本等）中间插入了模板没有的行，且该行填了数字：任何合计、占比都不读取它，"
        "含它的合计看起来分项未填全，它的数字也无人核对，为提示性。行标签以“其中”开头的明细不提示。",
        "A row the template does not have was inserted inside a table of fixed rows (revenue and expenditure, "
        "budget execution, running costs, …) and holds a figure: no sum or share reads it, so a total that "
        "includes it looks incomplete and its figure goes unchecked; a warning. A breakdown labelled \"of "
        "which …\" (in Chinese) is not flagged.",
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
        "收入各项占比 = 该项金额 ÷ 本年收入合计（其中项也是）；按填报的小数位四舍五入后应一致。"
        "与“÷ 收入总计”或其中项与“÷ 所属项目”一致时，是分母口径用错（强制性错误，消息指出）。"
        "本年收入合计与分项不符（SUM01 强制性错误）时暂不核对；合计未填而分项齐全时按分项之和核对。" + _RATIO_NOTE[0],
        "The share of each revenue item (sub-rows too) = that item's amount ÷ total revenue for the year; "
        "rounded to the stated decimal places, the two should agree. A share that matches \"÷ grand total "
        "revenue\", or for a sub-row \"÷ the row it belongs to\", used the wrong basis: an error that says so. "
        "While total revenue for the year does not match its parts (a SUM01 error), the shares are not checked; a "
        "blank total with every part given is checked as their sum." + _RATIO_NOTE[1],
    ),
    "SHR02": (
        "支出各项占比 = 该项金额 ÷ 本年支出合计（人员经费、公用经费也是，不是 ÷ 基本支出）；按填报的小数位四舍五入后"
        "应一致。分母口径用错（÷ 支出总计、÷ 基本支出）为强制性错误，消息指出。本年支出合计与分项不符时暂不核对。"
        + _RATIO_NOTE[0],
        "The share of each expenditure item = that item's amount ÷ total expenditure for the year (personnel and "
        "office expenses too, not ÷ basic expenditure); rounded to the stated decimal places, the two should "
        "agree. The wrong basis (÷ grand total expenditure, ÷ basic expenditure) is an error that says so. While "
        "total expenditure for the year does not match its parts, the shares are not checked." + _RATIO_NOTE[1],
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
        "机关运行经费比预算增减 = 决算数 − 预算数（负数为减少，可写作“减少 10.94”），单位与金额单位相同。\n\n"
        "相差为 0 通过；在三个数按显示小数位四舍五入的尾差之内（均为两位小数时 0.01）为尾差（提示性），"
        "超出为强制性错误；符号填反时一并指出。只核对已填的增减；决算数或预算数空白时跳过并说明。",
        "Agency operating expenses compared with the budget = final accounts amount − budget (a negative "
        'result is a decrease and may be written as one, e.g. "decrease 10.94"), in the amount unit.\n\n'
        "A difference of 0 passes; one within the rounding of the three figures at the decimals they show (0.01 "
        "when all show two) is a rounding difference (warning); beyond it, an error, and a reversed sign is "
        "named. Only a stated change is checked; when the final amount or the budget is blank, the check is "
        "skipped with a note.",
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
        "显示不封顶（7 ÷ 6 = 116.7%），评分时封顶 100%；评分规则声明 completion_capped = true 时，"
        "填报封顶的 100% 也算对。定性指标不计算。" + _RATIO_NOTE[0],
        'Indicator completion rate: for direction "≥" it is actual ÷ target, for "≤" target ÷ actual, '
        'for "=" actual ÷ target; the rate shown is not capped (7 ÷ 6 = 116.7%), but it is capped at '
        "100% for scoring; when the rule set declares completion_capped = true, a stated 100% for a higher rate "
        "is accepted too. Qualitative indicators are not computed." + _RATIO_NOTE[1],
    ),
    "GOL02": (
        "绩效目标表中已填写的行，一级指标（产出/效益/满意度）未填：该行不计入任何平均完成率，为提示性。"
        "合并单元格的一级指标对合并范围内的每一行都适用。",
        "A filled row of the performance goals has no level-1 indicator (output/benefit/satisfaction): it counts "
        "in no average completion rate; a warning. A merged level-1 cell applies to every row of its range.",
    ),
    "EXE02": (
        "预算执行表各行：年末结转结余应等于全年预算数 − 全年执行数（在三个数的四舍五入尾差之内）。"
        "不等时为提示性：其他来源的结转、收回的资金等可以解释，请说明。三个数有空白时不核对。",
        "On each row of the budget execution sheet, the year-end carry-over should equal the full-year budget "
        "less the full-year execution (within the rounding of the three figures). A difference is a warning: "
        "carry-over from other sources or funds taken back can explain it. Not checked while one of the three is "
        "blank.",
    ),
    "PRI01": (
        "与上年自评表核对（--prior）：收支情况“年初结转和结余”应等于上年表“年末结转和结余”（按各自显示精度的尾差），"
        "不符为强制性错误。",
        "Against last year's workbook (--prior): this year's carry-over at the start of the year must equal last "
        "year's carry-over at the end of the year (within the rounding of the shown places): an error.",
    ),
    "PRI02": (
        "与上年自评表核对（--prior）：运行成本“三公”经费各项及合计的“上年实际支出数”应等于上年表的“实际支出数”，"
        "不符为强制性错误。",
        "Against last year's workbook (--prior): each item of the three public expenses (and the total) stated as "
        "last year's actual spending must equal the actual spending in last year's workbook: an error.",
    ),
    "PRI03": (
        "与上年自评表核对（--prior）：本年收入合计、本年支出合计、基本支出、项目支出、机关运行经费决算数、"
        "“三公”经费各项及合计实际支出数，与上年相比增减超过评分规则的 prior_change（默认 30%）为提示性，须说明原因；"
        "上年为 0 时不计算变动率，增加的金额须说明。",
        "Against last year's workbook (--prior): total revenue, total expenditure, basic and project expenditure, "
        "office running expenses and each of the three public expenses changing by more than the rule set's "
        "prior_change (default 30%) from last year: a warning that needs an explanation; when last year's figure "
        "is 0 no rate is computed and any increase is stated as an amount.",
    ),
    "PRI04": (
        "与上年自评表核对（--prior）：“三公”经费各项及合计的预算数高于上年预算数（只减不增，变动率按预算比预算，"
        "财预〔2013〕53号），为提示性。",
        "Against last year's workbook (--prior): a budget for the three public expenses (an item or the total) "
        "above last year's budget (they may only fall; budget against budget): a warning.",
    ),
    "PRI05": (
        "与上年自评表核对（--prior）：“三公”经费各项及合计的实际支出数高于上年表的实际支出数，为提示性；"
        "本表“上年实际支出数”已填且与上年表一致时由 LIM02 提示，不重复。",
        "Against last year's workbook (--prior): actual spending on the three public expenses (an item or the "
        "total) above last year's actual spending: a warning; when this year's column of last year's figures "
        "is filled in and agrees, LIM02 says it and this rule does not repeat it.",
    ),
    "PRI06": (
        "与上年自评表核对（--prior）：同一指标自评得分高于上年，而其计分的指标值变差（比率法、汇总：下降；"
        "上限法、分档法：上升），为提示性，请说明理由。",
        "Against last year's workbook (--prior): an indicator's self-score above last year's while the figure it "
        "is scored on got worse (ratio and average methods: lower; ceiling and band methods: higher): a warning.",
    ),
    "PRI07": (
        "与上年自评表核对（--prior）：上年自评表的强制性错误（同一规则、同一单元格）本年仍然存在，"
        "为提示性，指明整改未到位（错误本身仍按其规则报告）。",
        "Against last year's workbook (--prior): an error of last year's workbook (same rule, same cell) is still "
        "there this year: a warning that it was not rectified (the error itself is reported by its "
        "own rule).",
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
    "LIM08": (
        "专项资金某项目（或合计行）的拨付数大于预算数，为提示性：预算调整未反映在预算数中，或数字填错。",
        "A special-fund project (or the total row) was paid more than its budget: a warning. Either a budget "
        "adjustment is missing from the budget figure, or a figure is wrong.",
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
    "X05": (
        "预算执行表“年度资金总额”的年末结转结余应等于收支情况表的年末结转和结余；相差在两数的四舍五入尾差之内为"
        "提示性。",
        "The year-end carry-over on the total annual funds row of the budget execution sheet should equal the "
        "year-end carry-over and balance on the revenue and expenditure sheet; a difference within the rounding "
        "of the two figures is a warning.",
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
        "核对是精确的：自评得分比重算得分高出 0.005 分以上即为多报（重算 3.66 分时自评 4 分为错误）。"
        "评分规则可以声明更粗的得分精度（score_places = 0 为整数分），重算得分先按它四舍五入再核对。\n"
        "汇总类指标有部分绩效目标行无法计算时，按这些行全部完成计算可得的最高分核对。",
        "Quantitative indicators are rescored by the rule set (ratio, ceiling, band or aggregate method); "
        "a self-score above the recomputed score is an error (must be fixed): too many points were given.\n\n"
        "The comparison is exact: a self-score more than 0.005 points above the recomputed one over-claims "
        "(4 for a recomputed 3.66 is an error). A rule set may declare a coarser score precision (score_places = "
        "0 for whole points); the recomputed score is then rounded to it, half up, before the comparison. When "
        "some performance-goal rows of an aggregate indicator cannot be computed, the check uses the highest "
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
        "已开始打分但某行自评得分空白，或自评等级空白，为提示性。整张评分表都未打分时只给一条信息，"
        "并跳过其他评分核查。",
        "Scoring has begun but a row's self-score, or the self-assessed grade, is blank: a warning. When "
        "nothing on the whole scoring sheet has been scored, a single info note is given and the other scoring "
        "checks are skipped.",
    ),
    "RPT01": (
        "“X 万元，其中 A 万元，B 万元……”：其中所列两项以上的金额（或同一单位的个数）相加应等于合计；"
        "括号里的细分（“公务用车购置及运行费 B 万元（其中：购置费 C 万元，运行费 D 万元）”）同样核对。\n"
        "相差不超过各数显示精度的半个单位之和（四舍五入尾差）为提示性，超出为强制性错误。" + _RPT_NOTE[0],
        "'X, of which A, B …': two or more amounts (or counts of one unit) listed after 'of which' should add up "
        "to the total; a breakdown in brackets after an amount is checked the same way.\n"
        "A difference within half a unit of the last place shown of each figure (rounding) is a warning; a larger "
        "one is an error." + _RPT_NOTE[1],
    ),
    "RPT02": (
        "“A 万元，占总收入的 p%”：p 应为 A ÷ 所指合计按 p 的小数位四舍五入的结果。合计按名称在同一段或同一节中"
        "找（总收入/整体收入/本年收入合计视为同一个；“占一般公共预算支出”找“一般公共预算支出”）；只写“占比”时为"
        "所在其中列表的合计。找不到所指合计、或合计本身加不平时不核对。\n"
        "只有按各数四舍五入前的数才可能得到 p 时为提示性，否则为强制性错误。" + _RPT_NOTE[0],
        "'A, p% of total revenue': p should be A ÷ the total named, rounded half up at p's places. The total is "
        "looked for by its name in the same paragraph or section (total revenue, overall revenue and revenue for "
        "the year are one name); a bare 'share' is of the total of its own list. A share is not checked when no "
        "total of that name is stated, or when that total does not add up.\n"
        "When only the unrounded figures could give p, a warning; otherwise an error." + _RPT_NOTE[1],
    ),
    "RPT03": (
        "“比上年/比预算 增加/减少 Y”：文中写明了上年数或预算数时，Y 应等于两数之差，方向词应与差的正负一致；"
        "同一句里“减少……增长……”这样方向相反的说法也是错误。" + _RPT_NOTE[0],
        "'Y more/less than last year (or the budget)': when the text states last year's figure or the budget, Y "
        "should be the difference and the direction word should match its sign; opposite words in one sentence "
        "('less … grew …') are an error too." + _RPT_NOTE[1],
    ),
    "RPT04": (
        "“增长/下降 Z%”：Z = 增减额 ÷ 上期数（上期数为文中写明的上年数或预算数，未写明时为本期数减去/加上增减额）。"
        "以本期数为基数算出的 Z 单独说明。" + _RPT_NOTE[0],
        "'grew/fell by Z%': Z = the change ÷ the earlier figure (last year's or the budget as stated, or this "
        "year's figure less or plus the change). A Z taken on this year's figure is named as such." + _RPT_NOTE[1],
    ),
    "RPT05": (
        "“甲、乙、丙 3 家”“共 2 个……。其中：甲……；乙……”：个数应等于列举的项数；以“等”结尾的列举不得多于个数。"
        + _RPT_NOTE[0],
        "'A, B and C, 3 firms', '2 in all … of which: A …; B …': the count should equal the items listed; a list "
        "ending in 'and others' may not list more than the count." + _RPT_NOTE[1],
    ),
    "RPT06": (
        "段首序号（一、（一）1、1.（1）①）在同一层级内应逐一递增：重复或跳号为提示性。从 1 重新开始视为新的列表。",
        "Item numbers at the start of paragraphs (Chinese numerals, Chinese numerals in brackets, 1, 1., (1), "
        "circled numbers) should go up one by one within a level: a repeated or skipped number is a warning. "
        "Starting again at 1 begins a new list.",
    ),
    "RPT07": (
        "“实际支出 a 万元，小于/超过/低于/高于/不超过 预算数 b 万元”：比较词应与两个数的大小一致。"
        "“低于预算 10 万元”这类可理解为差额的说法不核对。" + _RPT_NOTE[0],
        "'actual a, less than / more than / not above the budget b': the word should agree with the two figures. "
        "'10 below the budget', which may state the difference, is not checked." + _RPT_NOTE[1],
    ),
    "RPT08": (
        "“占 %”“收入万元”“XX 万元”：应有数字的地方是空的，为强制性错误。",
        "'% of' or '10k yuan' with no figure before it, or a placeholder such as 'XX': a blank left in the text, "
        "an error.",
    ),
    "RPT09": (
        "“预算 a 万元，拨付/支出 b 万元，完成 c%”：c 应为 b ÷ a 按 c 的小数位四舍五入的结果；"
        "写 100% 而同一句中实际数超过预算数单独说明。" + _RPT_NOTE[0],
        "'budget a, paid b, c% done': c should be b ÷ a rounded at c's places; a 100% in the same sentence as an "
        "actual figure above the budget is named as such." + _RPT_NOTE[1],
    ),
    "RPT10": (
        "同一段写了总得分和等级时，等级应与得分相符：优 ≥ 90 分，良 80～90 分，中 60～80 分，差 < 60 分；"
        "优秀/优、良好/良、中等/一般/中、较差/差 视为同一等级。",
        "When a paragraph states a total score and a grade, they should agree: excellent ≥ 90, good 80 to 90, fair "
        "60 to 80, poor < 60 (the Chinese words for each grade in their long and short forms count alike).",
    ),
    "RPT11": (
        "对照自评表（--book，或批量核查时同一部门的自评表）：报告中指明自评表数字的数（收入、支出合计及各项，"
        "占比，预算执行率，“三公”经费及各项，机关运行经费，专项资金）应等于自评表的数，按报告显示的小数位比较。",
        "Against the workbook (--book, or the workbook of the same department in a batch): a report figure that "
        "names a workbook figure (revenue and expenditure totals and items, shares, budget execution rate, the three "
        "public expenses and their items, office expenses, special funds) should equal it at the places the report "
        "shows.",
    ),
    "RPT12": (
        "对照自评表：报告中的自评总得分、各指标标题下的“自评得 N 分”和自评等级应与自评评分表一致。",
        "Against the workbook: the report's total self-score, the self-score under each indicator's heading and "
        "the grade should equal those of the scoring sheet.",
    ),
    "RPT13": (
        "没有任何句式核对到的金额、百分比、个数和得分（信息）；-v 时列出，便于人工核对。",
        "Amounts, percentages, counts and scores that no sentence pattern checked (info); -v lists them for "
        "checking by eye.",
    ),
}
