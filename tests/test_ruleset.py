"""Rule sets: the packaged default, validation of bad files, criterion texts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from evaltool.scoring.indicators import Band, Indicator
from evaltool.scoring.ruleset import (
    DEFAULT_RULESET,
    FIGURES,
    METHODS,
    RuleSetError,
    available,
    load_ruleset,
)
from evaltool.text.rulesets import criterion

GOOD_A = {"level1": "预算编制", "level2": "预算编制", "level3": "预算编制合理性", "weight": 60,
          "method": "定性"}
GOOD_B = {"level1": "预算使用效益", "level2": "公平性", "level3": "公众或服务对象满意度", "weight": 40,
          "method": "比率法", "figure": "satisfaction", "target": 90}


def _toml_value(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _write(tmp_path: Path, *indicators: dict[str, object], head: str = 'name = "test"\n') -> Path:
    tables = ("".join(f"{k} = {_toml_value(v)}\n" for k, v in ind.items()) for ind in indicators)
    text = head + "".join(f"\n[[indicator]]\n{table}" for table in tables)
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> RuleSetError:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(str(path))
    err = info.value
    assert err.key.startswith("ruleset.")
    assert str(path) in err.render() and str(path) in err.render("en")
    return err


def test_default_ruleset() -> None:
    rules = load_ruleset()
    assert rules.name == DEFAULT_RULESET
    assert DEFAULT_RULESET in available()
    assert len(rules.indicators) == 27
    assert rules.total_weight == Decimal(100)
    assert "非官方" in rules.note or "并非官方" in rules.note
    assert {i.method for i in rules.indicators} <= set(METHODS)
    by_name = {i.level3: i for i in rules.indicators}
    carry = by_name["结转结余率"]
    assert (carry.method, carry.figure) == ("分档法", "carry_rate")
    assert carry.bands == (Band(Decimal(0), Decimal("1.0")), Band(Decimal(5), Decimal("0.8")),
                           Band(Decimal(10), Decimal("0.6")))
    office = by_name["公用经费控制率"]
    assert (office.method, office.limit, office.per_point) == ("上限法", Decimal(100), Decimal("0.5"))
    assert by_name["“三公”经费控制情况"].per_point == Decimal(1)
    assert by_name["公众或服务对象满意度"].target == by_name["固定资产利用率"].target == Decimal(90)
    assert by_name["专项资金绩效完成情况"].figure == "fund_paid_rate"
    assert by_name["重点工作完成率"].figure == "key_work_rate"
    output = by_name["产出指标完成情况"]
    assert (output.method, output.figure) == ("汇总", "goals_output")
    assert by_name["效益指标完成情况"].figure == "goals_benefit"
    qualitative = [i for i in rules.indicators if i.method == "定性"]
    assert all(i.figure is None for i in qualitative)
    assert by_name["采购意向公开合规性"].weight == 2 and by_name["合同备案时效性"].weight == 1
    assert all(isinstance(i.weight, Decimal) for i in rules.indicators)


def test_load_by_path_and_by_name_agree(tmp_path: Path) -> None:
    packaged = load_ruleset(DEFAULT_RULESET)
    copy = tmp_path / "county.toml"
    # A BOM, as Windows Notepad writes it, must not break the file.
    copy.write_bytes(b"\xef\xbb\xbf" + (Path(__file__).parents[1] / packaged.source).read_bytes())
    mine = load_ruleset(str(copy))
    assert mine.indicators == packaged.indicators
    assert mine.source == str(copy)


def test_good_small_file(tmp_path: Path) -> None:
    rules = load_ruleset(str(_write(tmp_path, GOOD_A, GOOD_B)))
    assert rules.name == "test" and rules.title == "test" and rules.note == ""
    assert [i.level3 for i in rules.indicators] == ["预算编制合理性", "公众或服务对象满意度"]
    assert rules.indicators[1].target == Decimal(90)


def test_float_weights_are_exact_decimals(tmp_path: Path) -> None:
    a = {**GOOD_A, "weight": 59.9}
    b = {**GOOD_B, "weight": 40.1}
    rules = load_ruleset(str(_write(tmp_path, a, b)))
    assert [i.weight for i in rules.indicators] == [Decimal("59.9"), Decimal("40.1")]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(str(tmp_path / "nope.toml"))
    assert "找不到评分规则" in info.value.render() and DEFAULT_RULESET in info.value.render()
    assert "not found" in info.value.render("en")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes('name = "测试"\n'.encode("gbk"))
    assert "UTF-8" in _error(path).render()


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('name = "x"\n\n[[indicator]\nlevel1 = "a"\n', encoding="utf-8")
    err = _error(path)
    assert "TOML 语法错误" in err.render() and "第 3 行" in err.render()
    assert "syntax" in err.render("en") and "line 3" in err.render("en")


@pytest.mark.parametrize(
    ("indicators", "zh", "en"),
    [
        ((), "没有任何指标", "no indicators"),
        (({**GOOD_A, "level2": " "}, GOOD_B), "level2", "level2"),
        (({k: v for k, v in GOOD_A.items() if k != "level3"}, GOOD_B), "第 1 个指标：缺少 level3", "level3"),
        (({**GOOD_A, "weight": 20}, {**GOOD_A, "weight": 40}, GOOD_B), "「预算编制合理性」重复", "duplicate"),
        (({**GOOD_A, "weight": 0}, {**GOOD_B, "weight": 100}), "weight 应为正数", "positive"),
        (({**GOOD_A, "weight": "60"}, GOOD_B), "不是数字", "not a number"),
        (({**GOOD_A, "method": "打分法"}, GOOD_B), "评分方法 '打分法' 未知", "unknown method"),
        ((GOOD_A, {k: v for k, v in GOOD_B.items() if k != "figure"}), "缺少 figure", "figure"),
        ((GOOD_A, {**GOOD_B, "figure": "happiness"}), "carry_rate（结转结余率）", "happiness"),
        ((GOOD_A, {k: v for k, v in GOOD_B.items() if k != "target"}), "缺少 target", "target"),
        ((GOOD_A, {**GOOD_B, "target": 0}), "target 应为正数", "positive"),
        ((GOOD_A, {**GOOD_B, "method": "上限法", "target": None, "limit": 100}),
         "缺少 per_point", "per_point"),
        ((GOOD_A, {**GOOD_B, "method": "分档法", "target": None}), "需要 bands", "needs bands"),
        ((GOOD_A, {**GOOD_B, "method": "分档法", "target": None, "bands": [[0, 1.0], [0, 0.5]]}),
         "逐档递增", "strictly increase"),
        ((GOOD_A, {**GOOD_B, "method": "分档法", "target": None, "bands": [[0, 1.5]]}),
         "0 到 1", "between 0 and 1"),
        ((GOOD_A, {**GOOD_B, "method": "分档法", "target": None, "bands": [[0]]}),
         "[上限百分点, 得分比例]", "upto"),
        (({**GOOD_A, "figure": "carry_rate"}, GOOD_B), "定性指标不应指定 figure", "no figure"),
        ((GOOD_A, {**GOOD_B, "method": "汇总", "target": None}), "goals_output", "goals_output"),
        ((GOOD_A, {**GOOD_B, "limit": 100}), "比率法不使用 limit", "does not apply"),
        (({**GOOD_A, "weigth": 1}, GOOD_B), "无法识别的设置项 weigth", "unknown keys"),
        (({**GOOD_A, "weight": 59}, GOOD_B), "合计为 99，应为 100", "add up to 99"),
    ],
)
def test_validation_errors(
    tmp_path: Path, indicators: tuple[dict[str, object], ...], zh: str, en: str
) -> None:
    # None marks a key to drop, so a case can turn one method into another.
    cleaned = [{k: v for k, v in ind.items() if v is not None} for ind in indicators]
    err = _error(_write(tmp_path, *cleaned))
    assert zh in err.render()
    assert en in err.render("en")


def test_error_names_the_indicator(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, GOOD_A, {**GOOD_B, "target": -5}))
    assert "指标「公众或服务对象满意度」" in err.render()
    assert "indicator '公众或服务对象满意度'" in err.render("en")


def test_top_level_errors(tmp_path: Path) -> None:
    assert "无法识别的设置项 nmae" in _error(_write(tmp_path, GOOD_A, GOOD_B, head='nmae = "x"\n')).render()
    assert "title 应为文字" in _error(_write(tmp_path, GOOD_A, GOOD_B, head="title = 3\n")).render()
    # Lists are joined in each language's own punctuation.
    err = _error(_write(tmp_path, GOOD_A, GOOD_B, head='nmae = "x"\ntitel = "y"\n'))
    assert "无法识别的设置项 nmae、titel" in err.render()
    assert "unknown keys nmae, titel" in err.render("en")


def _ind(method: str, **params: object) -> Indicator:
    return Indicator("一级", "二级", "三级", Decimal(5), method, **params)


def test_criterion_texts() -> None:
    ratio = _ind("比率法", figure="satisfaction", target=Decimal(90))
    assert criterion(ratio) == "公众或服务对象满意度 ÷ 目标 90% × 分值，最高得满分"
    assert criterion(ratio, "en") == "public or client satisfaction ÷ target 90% × weight, at most full marks"
    ceiling = _ind("上限法", figure="office_control_rate", limit=Decimal(100), per_point=Decimal("0.5"))
    assert criterion(ceiling) == "公用经费控制率 ≤100% 得满分，每超 1 个百分点扣 0.5 分，扣完为止"
    assert "minus 0.5 per percentage point above, down to 0" in criterion(ceiling, "en")
    steps = ((0, "1.0"), (5, "0.8"), (10, "0.6"))
    bands = tuple(Band(Decimal(upto), Decimal(fraction)) for upto, fraction in steps)
    banded = _ind("分档法", figure="carry_rate", bands=bands)
    assert criterion(banded) == "结转结余率 0% 得满分；≤5% 得 80%；≤10% 得 60%；以上不得分"
    assert criterion(banded, "en") == (
        "carry-over rate 0%: full marks; ≤5%: 80% of weight; ≤10%: 60% of weight; above: 0"
    )
    assert criterion(_ind("定性")) == "按评分标准自评，扣分须写明原因"
    assert "deductions must be explained" in criterion(_ind("定性"), "en")
    aggregate = _ind("汇总", figure="goals_output")
    assert criterion(aggregate) == "按绩效目标中产出指标平均完成率（封顶 100%）× 分值"
    assert criterion(aggregate, "en").startswith("mean completion rate of output indicators")


def test_every_figure_has_a_description() -> None:
    assert set(FIGURES) == {
        "carry_rate", "fund_paid_rate", "asset_utilization", "office_control_rate", "sangong_control_rate",
        "key_work_rate", "satisfaction", "goals_output", "goals_benefit",
    }
    for figure in FIGURES:
        text = criterion(_ind("比率法", figure=figure, target=Decimal(100)), "en")
        assert not text.startswith(" ")
