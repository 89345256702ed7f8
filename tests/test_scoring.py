"""The 自评评分表: recomputed figures and scores, totals, grade, and the SCO rules at their exact cells."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from importlib import resources
from pathlib import Path

import pytest
from conftest import found, problems
from hypothesis import given
from hypothesis import strategies as st

from evaltool.checker import check_file
from evaltool.findings import Severity
from evaltool.findings import score as points
from evaltool.samples import Filler
from evaltool.scoring.ruleset import Indicator, RuleSetError, load_ruleset
from evaltool.scoring.score import grade, same_score, score_indicator, score_rate
from evaltool.text.render import param
from tests.fillers import seed

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO
SHEET = "自评评分表"
RULES = load_ruleset()
BY_NAME = {i.level3: i for i in RULES.indicators}
SANGONG = "“三公”经费控制情况"
SEED_TOTAL = D(88)  # the seed sample's self-scores (samples.py): 良, as the seed report says


def at(f: Filler, row: str | int, col: str = "self") -> str:
    """Coordinate of a score-sheet cell: a row by its 三级指标, or a footer row (total, grade)."""
    if isinstance(row, str) and row not in ("total", "grade"):
        row = next(n for n, i in enumerate(f.ruleset.indicators) if i.level3 == row)
    return f.coord("scores", "scores", row, col)


def scoring(result, severity: Severity | None = None) -> set[tuple[str, str, str | None]]:
    return {p for p in problems(result, severity) if p[0].startswith("SCO")}


Change = Callable[[Filler], None]


def total(value) -> Change:
    return lambda f: f.set("scores", "scores", "total", "self", value)


def both(*changes: Change) -> Change:
    def apply(f: Filler) -> None:
        for change in changes:
            change(f)

    return apply


def score(level3: str, value, reason: str | None = None) -> Change:
    return lambda f: f.score(level3, value, reason)


def put(*where, value, fmt: str | None = None) -> Change:
    return lambda f: f.set(*where, value, fmt)


def nothing(f: Filler) -> None:
    pass


def full_inputs(f: Filler) -> None:
    """Every figure computable from inputs, and the self-scores that agree with them."""
    f.set("execution", "budget", "total", "adjusted", D(3000))
    f.set("execution", "budget", "total", "carryover", D(0))
    f.set("assets", "assets", "fixed_total", "value", D(100))
    f.set("assets", "assets", "fixed_in_use", "value", D(95))
    f.set("goals", "goals", 0, "actual", "11项")  # 84.62%: 重点工作 6.77, 产出 7.38, scored so
    f.add("goals", "goals", level1="效益", level2="经济效益指标", level3="带动企业技术改造", direction="≥",
          target="8个", actual="7个")  # 87.5%: 7 of 8
    f.score("重点工作完成率", D("6.77"), "重点工作 13 项完成 11 项")  # the seed's 6, 6 and 5
    f.score("产出指标完成情况", D("7.38"), "产出指标部分完成")
    f.score("效益指标完成情况", D(7), "未全部完成")
    f.set("scores", "scores", "total", "self", SEED_TOTAL - 17 + D("21.15"))  # 92.15
    f.set("scores", "scores", "grade", "self", "优")


# code: (good, bad, {(severity, row, col)}) — the rule is silent on good and reports exactly these on bad.
CASES = {
    "SCO01": (nothing, both(score("预算编制合理性", D(6)), total(SEED_TOTAL + 1)), {(E, "预算编制合理性", "self")}),
    "SCO02": (both(score("预算编制合理性", D(4), "依据不充分"), total(SEED_TOTAL - 1)),
              both(score("预算编制合理性", D(4)), total(SEED_TOTAL - 1)), {(W, "预算编制合理性", "self")}),
    "SCO03": (nothing, put("costs", "sangong", "total", "actual", value=D(35)), {(E, SANGONG, "self")}),
    "SCO04": (nothing, both(score("公用经费控制率", D(4), "压减不到位"), total(SEED_TOTAL - 1)),
              {(W, "公用经费控制率", "self")}),
    "SCO05": (full_inputs, nothing, {(N, r, "self") for r in (
        "结转结余率", "固定资产利用率", "重点工作完成率", "产出指标完成情况", "效益指标完成情况")}),
    "SCO06": (nothing, both(total(SEED_TOTAL - 1), put("scores", "scores", "total", "weight", value=D(101))),
              {(E, "total", "self"), (E, "total", "weight")}),
    "SCO07": (nothing, put("scores", "scores", "grade", "self", value="优"), {(E, "grade", "self")}),
    # 三公 over budget (5 → 0), 公用经费 at 108.23% (5 → 0.88) and 项目监管 self-scored 0: recomputed 75.89 …
    # 79.89 whatever the 产出 row the tool cannot compute gives, 中; the rows' 87 claims 良.
    "SCO10": (nothing, both(put("costs", "sangong", "total", "actual", value=D(35)),
                            put("costs", "office", "office", "final", value=D(70)),
                            put("costs", "office", "office", "diff", value=D("5.32")),
                            score("项目监管", D(0), "管理措施不到位"), total(SEED_TOTAL - 1)),
              {(E, "grade", "self")}),
    "SCO08": (nothing, both(put("scores", "scores", 0, "weight", value=D(6)),
                            put("scores", "scores", 5, "weight", value=D(3))),
              {(E, "预算编制合理性", "weight"), (E, "财务管理合规性", "weight")}),
    "SCO09": (nothing, both(score("预算编制合理性", None), total(SEED_TOTAL - 5)), {(W, "预算编制合理性", "self")}),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_passes(code, seeded, run, seed_result):
    good, _bad, _ = CASES[code]
    good(seeded)
    assert found(seed_result if good is nothing else run(seeded), code, info=True) == set()


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_exact_cell(code, seeded, run):
    _good, bad, expected = CASES[code]
    bad(seeded)
    assert found(run(seeded), code, info=True) == {(s, SHEET, at(seeded, row, col)) for s, row, col in expected}


def test_every_scoring_rule_has_cases():
    from evaltool.checks import REGISTRY

    assert {c for c in REGISTRY if c.startswith("SCO")} == set(CASES)


def test_seed_scores_clean_and_as_computed_by_hand(seeded, run):
    result = run(seeded)
    assert scoring(result) == set()
    report = result.derived.score
    assert (report.self_total, report.stated_total, report.recomputed_total) == (D(88), D(88), D(88))
    assert (report.self_grade, report.recomputed_grade) == ("良", "良")
    recomputed = {line.indicator.level3: line.recomputed for line in report.lines if line.figure is not None}
    assert recomputed == {
        "结转结余率": D(5),  # stated 0%: first band
        "专项资金绩效完成情况": D(4),  # 21.60 ÷ 21.60
        "固定资产利用率": D(3),  # stated ≥90%, counted as 90%
        "公用经费控制率": D(5),  # 83.09% ≤ 100%
        SANGONG: D(5),  # 46.87% ≤ 100%
        "重点工作完成率": None,  # 实际完成值 “基本完成”
        "产出指标完成情况": D(8),  # 7 ÷ 6 capped; the 重点工作 row cannot be computed
        "效益指标完成情况": None,  # no 效益 rows
        "公众或服务对象满意度": D(4),  # “大于90%” ÷ 90%
    }
    lines = {line.indicator.level3: line for line in report.lines}
    output = lines["产出指标完成情况"]
    assert output.figure.bounds == (D(50), D(100)) and (output.low, output.high) == (D(4), D(8))
    assert output.counted == D(6)  # the self-score stands: the figure allows 4 to 8
    assert param(lines["公用经费控制率"].figure.named) == "公用经费控制率 83.09%"
    assert param(lines[SANGONG].figure.named) == "“三公”经费控制率 46.87%"
    carry = lines["结转结余率"].figure
    assert carry.from_stated and carry.value == 0 and carry.cells[0].coord == "G5"
    assert "基本完成" in param(lines["重点工作完成率"].figure.why)
    assert report.self_level1 == report.recomputed_level1 == {"预算编制": D(16), "预算执行": D(39),
                                                              "预算使用效益": D(33)}
    assert report.recomputed_level2[("预算使用效益", "履职效能")] == D(11)
    assert report.extra == ()


def test_sangong_over_budget_scored_full_marks(seeded, run):
    seeded.set("costs", "sangong", "total", "actual", D(35))
    result = run(seeded)
    assert problems(result, E) == {("LIM01", "运行成本", "C13"), ("SCO03", SHEET, at(seeded, SANGONG))}
    finding = next(f for f in result.findings if f.code == "SCO03")
    assert (finding.stated, finding.recomputed, finding.difference) == (points(D(5)), points(D(0)), points(D(5), 2))
    assert param(finding.params["figure"]) == "“三公”经费控制率 116.67%"
    report = result.derived.score
    assert report.recomputed_total == SEED_TOTAL - 5 and report.recomputed_grade == "良"


@pytest.mark.parametrize(
    ("self_score", "recomputed", "same"),
    [
        ("3.33", "3.33", True), ("3.334", "3.33", True), ("3.335", "3.33", True), ("3.336", "3.33", False),
        ("3.3", "3.33", False), ("3", "3.33", False), ("3.4", "3.33", False), ("4", "3.66", False),
        ("4", "3.5", False), ("2.5", "2.45", False), ("4.30", "4.33", False), ("4.325", "4.33", True),
    ],
)
def test_same_score_is_exact(self_score, recomputed, same):
    """DOMAIN §2: over-claiming is exact; 4 for a recomputed 3.66 is 0.34 too many."""
    assert same_score(D(self_score), D(recomputed)) is same


def _office_at_101_34(seeded, self_score) -> None:
    # 101.34 ÷ 100 = 101.34%: 5 − 0.5 × 1.34 = 4.33
    seeded.set("costs", "office", "office", "budget", D(100))
    seeded.set("costs", "office", "office", "final", D("101.34"))
    seeded.set("costs", "office", "office", "diff", D("1.34"))
    seeded.score("公用经费控制率", self_score, "超预算")
    seeded.set("scores", "scores", "total", "self", SEED_TOTAL - 5 + D(str(self_score)))


@pytest.mark.parametrize(("self_score", "found"),
                         [(4.33, set()), (4.3, {"SCO04"}), (4, {"SCO04"}), (4.4, {"SCO03"}), (5, {"SCO03"})])
def test_self_score_is_compared_exactly(self_score, found, seeded, run):
    _office_at_101_34(seeded, self_score)
    result = run(seeded)
    assert {code for code, _, _ in scoring(result)} == found
    line = next(x for x in result.derived.score.lines if x.indicator.level3 == "公用经费控制率")
    assert line.recomputed == D("4.33")


@pytest.mark.parametrize(("places", "self_score", "recomputed", "found"),
                         [(0, 4, "4", set()), (0, 5, "4", {"SCO03"}), (0, 3, "4", {"SCO04"}),
                          (1, "4.3", "4.3", set()), (1, 4, "4.3", {"SCO04"}), (1, "4.4", "4.3", {"SCO03"})])
def test_a_county_may_declare_a_coarser_score_precision(places, self_score, recomputed, found, tmp_path):
    text = (resources.files("evaltool.scoring") / "rulesets" / "guangdong-county-2023.toml").read_text("utf-8")
    path = tmp_path / "whole-points.toml"
    path.write_text(f"score_places = {places}\n" + text, "utf-8")
    county = load_ruleset(str(path))
    f = seed(county)
    _office_at_101_34(f, D(str(self_score)))
    f.save(tmp_path / "book.xlsx")
    result = check_file(tmp_path / "book.xlsx", county)
    line = next(x for x in result.derived.score.lines if x.indicator.level3 == "公用经费控制率")
    assert line.recomputed == D(recomputed)  # 4.33 rounded half up to the county's precision
    assert {code for code, _, _ in scoring(result)} == found


def test_over_claimed_grade_hidden_by_rounding(seeded, run):
    """4 for a recomputed 3.66 and 90.08 优 against a recomputed 89.74 良 (issue 11)."""
    seeded.set("costs", "office", "office", "budget", D(100))
    seeded.set("costs", "office", "office", "final", D("102.68"))  # 5 − 0.5 × 2.68 = 3.66
    seeded.set("costs", "office", "office", "diff", D("2.68"))
    seeded.score("公用经费控制率", D(4), "超预算")
    for name in ("重点工作完成率", "产出指标完成情况", "效益指标完成情况"):
        seeded.score(name, D(8))
    seeded.score("整体绩效目标合理性", D("2.08"), "目标不合理")
    seeded.score("整体绩效指标明确性", D(2), "指标不明确")
    seeded.score("预算编制合理性", D(3), "依据不足")
    seeded.score("预算编制规范性", D(4), "不够规范")
    seeded.score("项目监管", D(2))  # the seed sample's 1 is taken as it stands: full marks here
    seeded.set("scores", "scores", "total", "self", D("90.08"))
    seeded.set("scores", "scores", "grade", "self", "优")
    seeded.add("goals", "goals", level1="效益", level2="经济效益指标", level3="带动企业技术改造", direction="≥",
               target="8个", actual="8个")
    seeded.set("goals", "goals", 0, "actual", "13项")
    result = run(seeded)
    report = result.derived.score
    assert report.recomputed_total == D("89.74") and report.recomputed_range == (D("89.74"), D("89.74"))
    assert scoring(result, E) == {("SCO03", SHEET, at(seeded, "公用经费控制率")), ("SCO10", SHEET, at(seeded, "grade"))}
    grade_finding = next(f for f in result.findings if f.code == "SCO10")
    assert grade_finding.key == "grade_above"
    assert result.exit_code == 1


def test_blank_grade_is_a_warning(seeded, run):
    seeded.set("scores", "scores", "grade", "self", None)
    result = run(seeded)
    assert found(result, "SCO09") == {(W, SHEET, at(seeded, "grade"))}
    assert found(result, "SCO10") == set() and found(result, "SCO07") == set()


def test_grade_below_the_recomputed_one_is_a_warning(seeded, run):
    seeded.set("scores", "scores", "grade", "self", "中")  # recomputed: 83, 良
    seeded.set("scores", "scores", "total", "self", D(75))  # the rows still add to 88: SCO06 says so
    result = run(seeded)
    assert found(result, "SCO10") == {(W, SHEET, at(seeded, "grade"))}


def test_partly_computable_average_is_checked_against_its_range(seeded, run):
    seeded.add("goals", "goals", level1="产出", level2="质量指标", level3="项目验收合格数", direction="≥",
               target="10个", actual="5个")  # 50%; with 100% and one row unknown: 75%, 50% … 83.33%
    seeded.score("产出指标完成情况", D("7.5"), "部分完成")
    seeded.set("scores", "scores", "total", "self", SEED_TOTAL - 6 + D("7.5"))
    result = run(seeded)
    line = next(x for x in result.derived.score.lines if x.indicator.level3 == "产出指标完成情况")
    assert (line.recomputed, line.low, line.high) == (D(6), D(4), D("6.67"))
    finding = next(f for f in result.findings if f.code == "SCO03")
    assert (finding.cell, finding.key, finding.recomputed) == (at(seeded, "产出指标完成情况"),
                                                        "score_above_partial", points(D("6.67")))
    seeded.score("产出指标完成情况", D(3), "部分完成")
    seeded.set("scores", "scores", "total", "self", SEED_TOTAL - 6 + 3)
    below = run(seeded, "below.xlsx")
    assert scoring(below) == {("SCO04", SHEET, at(seeded, "产出指标完成情况"))}
    assert next(f for f in below.findings if f.code == "SCO04").key == "score_below_partial"


def test_full_inputs_recompute_every_figure(seeded, run):
    full_inputs(seeded)
    result = run(seeded)
    assert [f for f in result.findings if f.code.startswith("SCO")] == []
    lines = {x.indicator.level3: x for x in result.derived.score.lines}
    assert lines["重点工作完成率"].recomputed == D("6.77")
    assert lines["产出指标完成情况"].recomputed == D("7.38")
    assert lines["效益指标完成情况"].recomputed == D(7)
    assert lines["固定资产利用率"].recomputed == D(3) and not lines["固定资产利用率"].figure.from_stated
    assert result.derived.score.recomputed_total == SEED_TOTAL + 4 - 21 + D("6.77") + D("7.38") + 7


def test_nothing_scored_is_one_note(run):
    f = seed()
    for ind in f.ruleset.indicators:
        f.score(ind.level3, None)
    f.set("scores", "scores", "total", "self", None)
    f.set("scores", "scores", "grade", "self", None)
    result = run(f)
    assert {(x.code, x.severity, x.cell) for x in result.findings if x.code.startswith("SCO")} == {
        ("SCO09", N, at(f, "预算编制合理性"))
    }
    # 26 recomputed exactly, 4 (the least the figure allows) for 产出, the rest 0
    assert result.derived.score.recomputed_total == D(30)


def test_fresh_template_has_no_scoring_problem(run):
    result = run(Filler())
    assert scoring(result) == set()


def test_grade_from_row_sum_when_total_blank(seeded, run):
    seeded.set("scores", "scores", "total", "self", None)
    seeded.set("scores", "scores", "grade", "self", "优")  # the rows add to 88: 良
    assert scoring(run(seeded)) == {("SCO07", SHEET, at(seeded, "grade"))}


def test_renamed_row(seeded, run):
    seeded.set("scores", "scores", 0, "level3", "预算编制合理")
    result = run(seeded)
    assert scoring(result) == {("SCO08", SHEET, at(seeded, 0, "level3")),
                               ("SCO08", SHEET, at(seeded, "total", "weight"))}
    report = result.derived.score
    assert [r.row for r in report.extra] == [5] and report.lines[0].record is None
    assert report.self_total == SEED_TOTAL


@pytest.mark.parametrize(
    ("total", "expected"),
    [(D(100), "优"), (D(90), "优"), (D("89.99"), "良"), (D(80), "良"), (D("79.99"), "中"), (D(60), "中"),
     (D("59.99"), "差"), (D(0), "差")],
)
def test_grade_bands(total, expected):
    assert grade(total) == expected


@pytest.mark.parametrize(
    ("level3", "rate", "expected"),
    [
        ("固定资产利用率", "85", "2.83"), ("固定资产利用率", "90", "3.00"), ("固定资产利用率", "120", "3.00"),
        (SANGONG, "100", "5.00"), (SANGONG, "102", "3.00"), (SANGONG, "116.67", "0.00"),
        ("公用经费控制率", "101.34", "4.33"),
        ("结转结余率", "0", "5.00"), ("结转结余率", "3", "4.00"), ("结转结余率", "5", "4.00"),
        ("结转结余率", "7", "3.00"), ("结转结余率", "10", "3.00"), ("结转结余率", "10.01", "0.00"),
        ("产出指标完成情况", "87.5", "7.00"), ("产出指标完成情况", "150", "8.00"),
    ],
)
def test_score_rate(level3, rate, expected):
    assert str(score_rate(BY_NAME[level3], D(rate))) == expected


def test_qualitative_has_no_recomputed_score():
    assert score_indicator(BY_NAME["预算编制合理性"], None) is None


RATES = st.decimals(min_value=0, max_value=300, places=2, allow_nan=False, allow_infinity=False)
HIGHER_IS_BETTER = ("固定资产利用率", "公众或服务对象满意度", "产出指标完成情况")
LOWER_IS_BETTER = (SANGONG, "公用经费控制率", "结转结余率")


@given(a=RATES, b=RATES)
def test_scores_bounded_and_monotone(a, b):
    low, high = min(a, b), max(a, b)
    for name in HIGHER_IS_BETTER + LOWER_IS_BETTER:
        ind: Indicator = BY_NAME[name]
        s_low, s_high = score_rate(ind, low), score_rate(ind, high)
        assert D(0) <= s_low <= ind.weight and D(0) <= s_high <= ind.weight
        assert s_low <= s_high if name in HIGHER_IS_BETTER else s_low >= s_high
        assert s_low == s_low.quantize(D("0.01"))


def _county(tmp_path: Path, per_point: str = "2", moved: bool = True) -> Path:
    """The default rule set with 1 point moved from 财务管理合规性 to “三公”, and 三公 per_point changed."""
    text = (resources.files("evaltool.scoring") / "rulesets" / "guangdong-county-2023.toml").read_text("utf-8")
    blocks = text.split("[[indicator]]")
    for n, block in enumerate(blocks):
        if 'level3 = "财务管理合规性"' in block and moved:
            blocks[n] = block.replace("weight = 4", "weight = 3")
        if f'level3 = "{SANGONG}"' in block:
            block = block.replace("weight = 5", "weight = 6")
            blocks[n] = block.replace("per_point = 1", f"per_point = {per_point}")
    path = tmp_path / "fengshun-2024.toml"
    path.write_text("[[indicator]]".join(blocks).replace("guangdong-county-2023", "fengshun-2024"), "utf-8")
    return path


def test_county_rule_set(tmp_path):
    county = load_ruleset(str(_county(tmp_path)))
    f = seed(county)
    ws = f.wb[SHEET]
    assert ws[at(f, SANGONG, "weight")].value == 6 and ws[at(f, "财务管理合规性", "weight")].value == 3
    assert "每超 1 个百分点扣 2 分" in ws[at(f, SANGONG, "criterion")].value
    f.set("costs", "sangong", "total", "actual", D("30.6"))  # 102%
    path = tmp_path / "county.xlsx"
    f.save(path)

    result = check_file(path, county)
    line = next(x for x in result.derived.score.lines if x.indicator.level3 == SANGONG)
    assert (line.self_score, line.recomputed) == (D(6), D(2))  # 6 − 2 × 2
    assert scoring(result) == {("SCO03", SHEET, at(f, SANGONG))}
    assert result.derived.score.recomputed_total == SEED_TOTAL - 4

    default = check_file(path, RULES)  # the default rules: 三公 scores 5 − 1 × 2, and both weights differ
    assert next(x for x in default.derived.score.lines if x.indicator.level3 == SANGONG).recomputed == D(3)
    assert scoring(default) == {("SCO08", SHEET, at(f, SANGONG, "weight")),
                                ("SCO08", SHEET, at(f, "财务管理合规性", "weight")),
                                ("SCO03", SHEET, at(f, SANGONG))}


def test_county_weights_must_add_to_100(tmp_path):
    with pytest.raises(RuleSetError) as info:
        load_ruleset(str(_county(tmp_path, moved=False)))
    assert "合计为 101" in info.value.render() and "add up to 101" in info.value.render("en")
