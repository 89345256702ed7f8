"""The report rules (RPT): for each, paragraphs in the phrasings of 决算公开 三公 paragraphs, of 收支
structure paragraphs and of 自评 paragraphs, with a planted error found at its sentence with its exact
code, and the same paragraphs without the error giving nothing.

A case is (good text, bad text, expected): ``expected`` is the set of (code, severity, line of the .txt,
the figure or words marked) the bad text must give, no more; the good text must give no error or warning.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evaltool.findings import Severity
from evaltool.narrative.check import ReportResult, check_report
from evaltool.narrative.verify import REPORT_RULES
from evaltool.workbook.numbers import round_half_up

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
# The seed report as copied into the repository (a clone elsewhere has no ../shared).
SEED = Path(__file__).resolve().parent.parent / "samples" / "fengshun-kegongshangwu-2023-self-evaluation.txt"


def check_text(tmp_path: Path, text: str, book: str | None = None, name: str = "自评报告.txt") -> ReportResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = check_report(path, book)
    assert result.error is None, result.error.render()
    assert not [f for f in result.findings if f.key == "internal_error"], result.findings
    return result


def marked(f) -> str:
    """The words a finding marks, as the text has them (normalised)."""
    p = f.position
    return p.quote[p.start - p.sentence_start:p.end - p.sentence_start]


def problems(result: ReportResult, *, info: bool = False) -> set[tuple[str, Severity, int | None, str]]:
    return {(f.code, f.severity, f.position.line if f.position else None, marked(f) if f.position else "")
            for f in result.findings if info or f.severity is not INFO}


# 三公 paragraph of a 决算公开: 0 + 8.56 + 5.50 = 14.06; 0 + 8.56 = 8.56; 1.94 ÷ 16.00 = 12.125% → 12.13%.
SANGONG = ("2023年“三公”经费支出14.06万元，比上年减少1.94万元，下降12.13%，其中：因公出国（境）费0万元，"
           "公务用车购置及运行费8.56万元（其中：公务用车购置费0万元，公务用车运行费8.56万元），公务接待费5.50万元。")
# 决算 structure paragraph in 元: 200000 ÷ 3200000 = 6.25%; 400000 ÷ 1600000 = 25%.
STRUCTURE = ("2023年一般公共预算支出5000000元。其中：基本支出3000000元，占一般公共预算支出60%，同比减少200000元，"
             "下降6.25%；项目支出2000000元，占一般公共预算支出40%，同比增加400000元，增长25%。")
INCOME = ("1、本单位 2023 年整体收入 2914.41 万元，其中，财政拨款收入 2369.93 万元，占总收入的 81.32%；"
          "其他收入 544.48 万元，占总收入的 18.68%。")
APPROX_SUM = "全年支出约2914万元，其中基本支出1352.67万元，项目支出1561.74万元。"
FUNDS = "县科协科普经费 3.60 万元，拨付 3.60 万元，拨付完成 100%，按照年初预算执行。"
DRAFT_SCORE = "对照评分标准，本部门2023年度部门整体支出绩效自评得分88分，自评等级为“良”，自评情况良好。"
SCORE = "经自评，本部门自评总得分85分，自评等级为良好。"


def sub(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


CASES: dict[str, list[tuple[str, str, set]]] = {
    "RPT01": [
        (SANGONG, sub(SANGONG, "公务接待费5.50", "公务接待费5.60"), {("RPT01", E, 1, "14.06万元")}),
        (SANGONG, sub(SANGONG, "公务用车运行费8.56", "公务用车运行费8.50"), {("RPT01", E, 1, "8.56万元")}),
        (SANGONG, sub(SANGONG, "公务接待费5.50", "公务接待费5.51"), {("RPT01", W, 1, "14.06万元")}),
        (STRUCTURE, sub(STRUCTURE, "支出5000000元", "支出5100000元"), {("RPT01", E, 1, "5100000元")}),
        (INCOME, sub(INCOME, "其他收入 544.48", "其他收入 545.48"), {("RPT01", E, 1, "2914.41万元")}),
        # A total shown coarser than its parts holds when it is their sum rounded (half up) at its places.
        ("收入合计2914万元，其中：甲2369.93万元，乙544.48万元。",
         "收入合计2915万元，其中：甲2369.93万元，乙544.48万元。",
         {("RPT01", E, 1, "2915万元")}),
        ("收入合计2914.41万元，其中：甲23699312元，乙5444800元。",
         "收入合计2914.41万元，其中：甲23709312元，乙5444800元。",
         {("RPT01", E, 1, "2914.41万元")}),
        # Approximations (约, 近, 超过 …) are checked as such, never as exact figures.
        (APPROX_SUM, sub(APPROX_SUM, "约2914", "约2000"), {("RPT01", E, 1, "2000万元")}),
        (sub(APPROX_SUM, "约2914", "超过2900"), sub(APPROX_SUM, "约2914", "超过3000"), {("RPT01", E, 1, "3000万元")}),
    ],
    "RPT02": [
        (INCOME, sub(INCOME, "81.32%", "81.33%"), {("RPT02", E, 1, "81.33%")}),
        (STRUCTURE, sub(STRUCTURE, "占一般公共预算支出60%", "占一般公共预算支出61%"), {("RPT02", E, 1, "61%")}),
        # The total stated in the paragraph before: "占总支出的" finds 整体支出 in the same section.
        ("（四）部门整体支出情况\n\n本单位2023年整体支出2914.41万元。\n\n基本支出1352.67万元，占总支出的46.41%。",
         "（四）部门整体支出情况\n\n本单位2023年整体支出2914.41万元。\n\n基本支出1352.67万元，占总支出的46.14%。",
         {("RPT02", E, 5, "46.14%")}),
        (sub(INCOME, "占总收入的 81.32%", "约占总收入的 80%"), sub(INCOME, "占总收入的 81.32%", "约占总收入的 70%"),
         {("RPT02", E, 1, "70%")}),
        (sub(INCOME, "81.32%", "81.32%左右"), sub(INCOME, "81.32%", "60%左右"), {("RPT02", E, 1, "60%")}),
        (sub(INCOME, "占总收入的 81.32%", "占总收入的近 82%"), sub(INCOME, "占总收入的 81.32%", "占总收入的近 80%"),
         {("RPT02", E, 1, "80%")}),
    ],
    "RPT03": [
        (SANGONG, sub(SANGONG, "下降12.13%", "增长12.13%"), {("RPT03", E, 1, "1.94万元,增长12.13%")}),
        ("上年“三公”经费支出16.00万元，本年支出14.06万元，比上年减少1.94万元。",
         "上年“三公”经费支出16.00万元，本年支出14.06万元，比上年增加1.94万元。", {("RPT03", E, 1, "1.94万元")}),
        ("上年“三公”经费支出16.00万元，本年支出14.06万元，比上年减少1.94万元。",
         "上年“三公”经费支出16.00万元，本年支出14.06万元，比上年减少2.94万元。", {("RPT03", E, 1, "2.94万元")}),
        ("我局机关运行经费预算安排64.68万元；决算数为53.74万元，比当年预算数减少10.94万元。",
         "我局机关运行经费预算安排64.68万元；决算数为53.74万元，比当年预算数减少10.49万元。",
         {("RPT03", E, 1, "10.49万元")}),
    ],
    "RPT04": [
        (SANGONG, sub(SANGONG, "下降12.13%", "下降13.00%"), {("RPT04", E, 1, "13.00%")}),
        # 1.94 ÷ 14.06 = 13.80%: this year's figure taken as the base.
        (SANGONG, sub(SANGONG, "下降12.13%", "下降13.80%"), {("RPT04", E, 1, "13.80%")}),
        (STRUCTURE, sub(STRUCTURE, "下降6.25%", "下降6.67%"), {("RPT04", E, 1, "6.67%")}),
        (STRUCTURE, sub(STRUCTURE, "增长25%", "增长20%"), {("RPT04", E, 1, "20%")}),
        (sub(SANGONG, "下降12.13%", "下降约12%"), sub(SANGONG, "下降12.13%", "下降约20%"), {("RPT04", E, 1, "20%")}),
        (sub(SANGONG, "下降12.13%", "降幅为12.13%"), sub(SANGONG, "下降12.13%", "降幅为13.00%"),
         {("RPT04", E, 1, "13.00%")}),
        (sub(STRUCTURE, "增长25%", "增幅25%"), sub(STRUCTURE, "增长25%", "增幅20%"), {("RPT04", E, 1, "20%")}),
    ],
    "RPT05": [
        ("本单位共有3个专项：科普经费、信息化建设经费、招商引资经费。",
         "本单位共有4个专项：科普经费、信息化建设经费、招商引资经费。", {("RPT05", E, 1, "4个")}),
        ("积极推动华立风、鑫润、鑫华等3家企业完成数字化转型升级。",
         "积极推动华立风、鑫润、鑫华、三和等3家企业完成数字化转型升级。", {("RPT05", E, 1, "3家")}),
        ("本单位2023年共有2个专项资金。其中：科普经费3.60万元；招商经费18万元。",
         "本单位2023年共有3个专项资金。其中：科普经费3.60万元；招商经费18万元。", {("RPT05", E, 1, "3个")}),
        # An approximate count is a bound (共有超过3个 for four listed is right); with 等 it is not checked.
        ("本单位共有超过3个专项：甲经费、乙经费、丙经费、丁经费。",
         "本单位共有超过5个专项：甲经费、乙经费、丙经费、丁经费。", {("RPT05", E, 1, "5个")}),
    ],
    "RPT06": [
        ("1、甲项工作。\n2、乙项工作。\n3、丙项工作。", "1、甲项工作。\n2、乙项工作。\n2、丙项工作。",
         {("RPT06", W, 3, "2、")}),
        ("（一）甲\n（二）乙\n（三）丙", "（一）甲\n（三）乙\n（四）丙", {("RPT06", W, 2, "(三)")}),
    ],
    "RPT07": [
        ("2023年，我局三公经费实际支出数14.06万元，小于预算安排数30万元。",
         "2023年，我局三公经费实际支出数34.06万元，小于预算安排数30万元。",
         {("RPT07", E, 1, "34.06万元,小于预算安排数30万元")}),
        ("预算执行率95%，高于90%的目标。", "预算执行率85%，高于90%的目标。", {("RPT07", E, 1, "85%,高于90%")}),
        # Negated: 未超过 is 不超过 (it read as 超过 and flagged the correct sentence).
        ("2023年，我局三公经费实际支出数14.06万元，未超过预算安排数30万元。",
         "2023年，我局三公经费实际支出数34.06万元，未超过预算安排数30万元。",
         {("RPT07", E, 1, "34.06万元,未超过预算安排数30万元")}),
        ("实际支出数14.06万元，并没有超出预算数30万元。", "实际支出数34.06万元，并没有超出预算数30万元。",
         {("RPT07", E, 1, "34.06万元,并没有超出预算数30万元")}),
        ("执行率95%，未低于90%。", "执行率85%，未低于90%。", {("RPT07", E, 1, "85%,未低于90%")}),
    ],
    "RPT08": [
        (STRUCTURE, sub(STRUCTURE, "占一般公共预算支出60%", "占一般公共预算支出%"), {("RPT08", E, 1, "%")}),
        ("本单位2023年整体收入2914.41万元。", "本单位2023年整体收入万元。", {("RPT08", E, 1, "万元")}),
        ("本单位2023年整体收入2914.41万元。", "本单位2023年整体收入XX万元。", {("RPT08", E, 1, "XX万元")}),
    ],
    "RPT09": [
        (FUNDS, sub(FUNDS, "拨付 3.60", "拨付 3.20"), {("RPT09", E, 1, "100%")}),
        ("项目预算18万元，决算支出18万元，完成率100%。", "项目预算18万元，决算支出20万元，完成率100%。",
         {("RPT09", E, 1, "100%")}),
    ],
    "RPT10": [
        (SCORE, sub(SCORE, "良好", "优秀"), {("RPT10", E, 1, "优秀")}),
        (SCORE, sub(SCORE, "85分", "79.5分"), {("RPT10", E, 1, "良好")}),
        # The draft's wording: 自评得分 outside an indicator's heading is the total score.
        (DRAFT_SCORE, sub(DRAFT_SCORE, "88分", "98分"), {("RPT10", E, 1, "良"), ("RPT10", E, 1, "良好")}),
    ],
}
# RPT11 and RPT12 need a workbook (below); RPT13 is the -v list of figures not checked (below).
BOOK_RULES = {"RPT11", "RPT12", "RPT13"}


def _cases():
    for code, cases in CASES.items():
        for i, case in enumerate(cases):
            yield pytest.param(code, *case, id=f"{code}-{i}")


@pytest.mark.parametrize(("code", "good", "bad", "expected"), list(_cases()))
def test_planted_error_is_found_at_its_sentence(tmp_path, code, good, bad, expected):
    assert problems(check_text(tmp_path, good)) == set()
    got = problems(check_text(tmp_path, bad))
    assert got == expected


def test_every_report_rule_has_cases():
    assert set(REPORT_RULES) == set(CASES) | BOOK_RULES


def test_the_full_but_over_case_says_so(tmp_path):
    result = check_text(tmp_path, "项目预算18万元，决算支出20万元，完成率100%。")
    assert [f.key for f in result.findings if f.severity is E] == ["rpt.full_but_over"]


def test_a_share_of_the_wrong_base_is_named(tmp_path):
    result = check_text(tmp_path, sub(SANGONG, "下降12.13%", "下降13.80%"))
    assert [f.key for f in result.findings if f.severity is E] == ["rpt.change_base"]


def test_a_share_of_a_total_that_does_not_add_up_is_not_checked_again(tmp_path):
    text = sub(sub(INCOME, "其他收入 544.48", "其他收入 545.48"), "18.68%", "18.71%")
    assert {f.code for f in check_text(tmp_path, text).findings if f.severity is E} == {"RPT01"}


def test_a_share_of_an_unnamed_total_is_not_checked(tmp_path):
    # The seed: 16 of the 规上电子电声企业, which the text never counts: no finding, not verified.
    text = "目前，全县数字化转型共完成25家，其中电声企业完成16家，占规上电子电声企业48.5%。"
    result = check_text(tmp_path, text)
    assert problems(result) == set()
    assert "48.5%" in {marked(f) for f in result.findings if f.code == "RPT13"}


def test_an_approximate_count_of_an_open_list_is_not_checked(tmp_path):
    text = "积极推动华立风、鑫润、鑫华、三和等超过3家企业完成数字化转型升级，鑫润、鑫华等近5家企业参展。"
    assert problems(check_text(tmp_path, text)) == set()


def test_below_the_budget_by_an_amount_is_not_read_as_a_comparison(tmp_path):
    # "低于预算 10 万元" may state the difference: not compared (a false alarm is as bad as a miss).
    assert problems(check_text(tmp_path, "实际支出20万元，低于预算10万元。")) == set()


def test_grade_words_in_other_senses_are_not_grades(tmp_path):
    text = "自评中发现部门绩效管理不够科学。公用经费控制效果较好。绩效考核获得一等奖。"
    assert check_text(tmp_path, text).checked.report.grades == []


# -- against a workbook -------------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path_factory):
    """The seed sample with a 评分表 worth 85 (良); its figures are the seed's."""
    from tests.fillers import seed

    f = seed()
    f.score("预算编制合理性", D(0), "示例")
    f.score("预算编制规范性", D(0), "示例")
    f.set("scores", "scores", "total", "self", D(85))
    f.set("scores", "scores", "grade", "self", "良")
    path = tmp_path_factory.mktemp("book") / "自评表.xlsx"
    f.save(path)
    return str(path)


BOOK_CASES = [
    (INCOME, sub(INCOME, "2369.93", "2369.83").replace("2914.41", "2914.31"),
     {("RPT11", E, 1, "2914.31万元"), ("RPT11", E, 1, "2369.83万元")}),
    ("2023年，我局三公经费实际支出数14.06万元，小于预算安排数30万元。",
     "2023年，我局三公经费实际支出数14.06万元，小于预算安排数35万元。", {("RPT11", E, 1, "35万元")}),
    ("①采购意向公开合规性\n\n我局采购意向公开，自评得 2 分。", "①采购意向公开合规性\n\n我局采购意向公开，自评得 1 分。",
     {("RPT12", E, 3, "1分")}),
    ("经自评，我局部门整体支出绩效自评情况良好。", "经自评，我局部门整体支出绩效自评情况优秀。",
     {("RPT12", E, 1, "优秀")}),
    ("本单位2023年整体收入约2900万元。", "本单位2023年整体收入约2000万元。", {("RPT11", E, 1, "2000万元")}),
    ("本单位2023年整体收入超过2900万元。", "本单位2023年整体收入超过3000万元。", {("RPT11", E, 1, "3000万元")}),
    # 不足/不到 is "less than", with no lower bound (近 is "nearly": within 10% below).
    ("2023年，我局三公经费实际支出数不足20万元。", "2023年，我局三公经费实际支出数不足10万元。",
     {("RPT11", E, 1, "10万元")}),
    # A negated bound is the other way: 未超过 X is at most X.
    ("2023年，我局三公经费实际支出未超过20万元。", "2023年，我局三公经费实际支出未超过10万元。",
     {("RPT11", E, 1, "10万元")}),
    ("2023年，我局三公经费实际支出不少于14万元。", "2023年，我局三公经费实际支出不少于15万元。",
     {("RPT11", E, 1, "15万元")}),
]


@pytest.mark.parametrize(("good", "bad", "expected"), BOOK_CASES)
def test_figures_naming_the_workbook_equal_it(tmp_path, book, good, bad, expected):
    assert problems(check_text(tmp_path, good, book)) == set()
    assert problems(check_text(tmp_path, bad, book)) == expected


def test_book_figures_are_compared_at_the_reports_precision(tmp_path, book):
    text = ("1、本单位2023年整体收入2914万元，其中，财政拨款收入2370万元，占总收入的81.3%；"
            "其他收入544万元，占总收入的18.7%。")
    result = check_text(tmp_path, text, book)
    assert problems(result) == set()  # 2370 ↔ 2369.93, 81.3% ↔ 81.318…%
    assert sum(1 for v in result.checked.verified if v.code == "RPT11") == 5


# -- the unchecked figures --------------------------------------------------------------------------------


def test_figures_no_pattern_checks_are_listed_as_unchecked(tmp_path):
    result = check_text(tmp_path, "本年新增企业25家，服务满意度大于90%。")
    assert problems(result, info=True) == {("RPT13", INFO, 1, "25家"), ("RPT13", INFO, 1, "90%")}


# -- the arithmetic, for any figures ---------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=10**9).map(lambda n: D(n).scaleb(-2))


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(cents, min_size=2, max_size=5), extra=st.integers(min_value=-3, max_value=3))
def test_a_list_adds_up_exactly_or_within_its_tail_or_is_an_error(tmp_path_factory, parts, extra):
    total = sum(parts, D(0)) + D(extra).scaleb(-2)
    assume(total > 0)  # a report states no negative total ("-0.01" reads as a dash and 0.01)
    items = "，".join(f"第{'甲乙丙丁戊'[i]}项{p}万元" for i, p in enumerate(parts))
    result = check_text(tmp_path_factory.mktemp("h"), f"收入合计{total}万元，其中：{items}。")
    got = {(f.code, f.severity) for f in result.findings if f.severity is not INFO}
    tail = D("0.005") * (len(parts) + 1)
    if extra == 0:
        assert got == set()
    elif abs(D(extra).scaleb(-2)) <= tail:
        assert got == {("RPT01", W)}
    else:
        assert got == {("RPT01", E)}


@settings(max_examples=60, deadline=None)
@given(now=cents, change=cents, down=st.booleans(), places=st.integers(min_value=0, max_value=2))
def test_a_correctly_rounded_change_rate_passes_and_this_years_base_is_named(tmp_path_factory, now, change, down,
                                                                               places):
    earlier = now + change if down else now - change
    if earlier <= 0:
        return
    rate = round_half_up(change / earlier * 100, places)
    words = ("减少", "下降") if down else ("增加", "增长")
    text = f"“三公”经费支出{now}万元，比上年{words[0]}{change}万元，{words[1]}{rate}%。"
    assert problems(check_text(tmp_path_factory.mktemp("h"), text)) == set()
    wrong = round_half_up(change / now * 100, places)
    if wrong != rate and abs(wrong - rate) > 1:  # far enough from the right one not to be a rounding tail
        bad = text.replace(f"{words[1]}{rate}%", f"{words[1]}{wrong}%")
        keys = {f.key for f in check_text(tmp_path_factory.mktemp("h"), bad).findings if f.severity is E}
        assert keys == {"rpt.change_base"}
