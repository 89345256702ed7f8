"""Scoring rule sets: the indicator tree, weights and scoring methods as data (TOML).

No public source gives a province's weights or per-point deductions, so they live
in rule set files: the packaged ``evaltool/scoring/rulesets/*.toml`` or a county's own file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

METHODS = ("比率法", "上限法", "分档法", "定性", "汇总")
QUALITATIVE = "定性"

FIGURES: dict[str, str] = {
    "carry_rate": "结转结余率",
    "fund_paid_rate": "专项资金拨付率",
    "asset_utilization": "固定资产利用率",
    "office_control_rate": "公用经费控制率",
    "sangong_control_rate": "“三公”经费控制率",
    "key_work_rate": "重点工作完成率",
    "satisfaction": "公众或服务对象满意度",
    "goals_output": "产出指标平均完成率",
    "goals_benefit": "效益指标平均完成率",
}
FIGURES_EN = {
    "carry_rate": "carry-over rate",
    "fund_paid_rate": "special fund disbursement rate",
    "asset_utilization": "fixed-asset utilization rate",
    "office_control_rate": "office expense control rate",
    "sangong_control_rate": "“three public expenses” control rate",
    "key_work_rate": "key task completion rate",
    "satisfaction": "public or client satisfaction",
    "goals_output": "mean completion rate of output indicators",
    "goals_benefit": "mean completion rate of benefit indicators",
}
# 汇总 averages the 绩效目标 rows of one kind, so only these figures make sense for it.
AGGREGATE_FIGURES = ("goals_output", "goals_benefit")
METHOD_EN = {
    "比率法": "ratio",
    "上限法": "ceiling",
    "分档法": "bands",
    "定性": "qualitative",
    "汇总": "aggregate",
}
# Parameters each method takes; any other parameter on an indicator is a mistake in the file.
_PARAMS = {
    "比率法": ("target",),
    "上限法": ("limit", "per_point"),
    "分档法": ("bands",),
    "定性": (),
    "汇总": (),
}
_ALL_PARAMS = ("target", "limit", "per_point", "bands")
_INDICATOR_KEYS = frozenset({"level1", "level2", "level3", "weight", "method", "figure", *_ALL_PARAMS})
_TOP_KEYS = frozenset({"name", "title", "note", "indicator"})

DEFAULT_RULESET = "guangdong-county-2023"
TOTAL_WEIGHT = Decimal(100)


class RuleSetError(Exception):
    """A rule set that cannot be used; the message names the file and the indicator."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class Band:
    """One step of 分档法: a rate up to ``upto`` percent (inclusive) earns ``fraction`` of the weight.

    Rates above the last band earn nothing.
    """

    upto: Decimal
    fraction: Decimal


@dataclass(frozen=True)
class Indicator:
    """A third-level indicator with its weight and how its score is computed."""

    level1: str
    level2: str
    level3: str
    weight: Decimal
    method: str
    figure: str | None = None
    target: Decimal | None = None  # percent points (比率法)
    limit: Decimal | None = None  # percent points (上限法)
    per_point: Decimal | None = None  # points deducted per percentage point over the limit (上限法)
    bands: tuple[Band, ...] = ()  # 分档法, increasing ``upto``

    def criterion(self, lang: str = "zh") -> str:
        """The scoring rule in words, as written into the template's 评分标准 column."""
        en = lang == "en"
        name = (FIGURES_EN if en else FIGURES).get(self.figure or "", "")
        if self.method == "比率法":
            if en:
                return f"{name} ÷ target {_num(self.target)}% × weight, at most full marks"
            return f"{name} ÷ 目标 {_num(self.target)}% × 分值，最高得满分"
        if self.method == "上限法":
            if en:
                return (
                    f"{name} ≤{_num(self.limit)}%: full marks; minus {_num(self.per_point)} "
                    "per percentage point above, down to 0"
                )
            limit, per_point = _num(self.limit), _num(self.per_point)
            return f"{name} ≤{limit}% 得满分，每超 1 个百分点扣 {per_point} 分，扣完为止"
        if self.method == "分档法":
            steps = [_band_text(b, en) for b in self.bands]
            if en:
                return f"{name} " + "; ".join([*steps, "above: 0"])
            return f"{name} " + "；".join([*steps, "以上不得分"])
        if self.method == "汇总":
            if en:
                return f"{name} in 绩效目标 (capped at 100%) × weight"
            return f"按绩效目标中{name}（封顶 100%）× 分值"
        if en:
            return "self-assessed against the scoring standard; deductions must be explained"
        return "按评分标准自评，扣分须写明原因"


@dataclass(frozen=True)
class RuleSet:
    """A named set of indicators whose weights add to 100."""

    name: str
    title: str
    note: str
    indicators: tuple[Indicator, ...]
    source: str  # the file it was read from, for messages

    @property
    def total_weight(self) -> Decimal:
        return sum((i.weight for i in self.indicators), Decimal(0))


def _num(value: Decimal | None) -> str:
    """A Decimal in plain notation without trailing zeros: 100, 0.5, 2.5."""
    return format(Decimal(value or 0).normalize(), "f")


def _band_text(band: Band, en: bool) -> str:
    # Rates are never negative, so "up to 0%" reads better as plain "0%".
    bound = f"{_num(band.upto)}%" if band.upto == 0 else f"≤{_num(band.upto)}%"
    if band.fraction == 1:
        share = "full marks" if en else "得满分"
    elif band.fraction == 0:
        share = "0" if en else "不得分"
    else:
        pct = _num(band.fraction * 100)
        share = f"{pct}% of weight" if en else f"得 {pct}%"
    return f"{bound}: {share}" if en else f"{bound} {share}"


# Builds a RuleSetError from a Chinese and an English description, adding file and indicator.
_Fail = Callable[[str, str], RuleSetError]


def _rulesets_dir() -> Traversable:
    return resources.files("evaltool.scoring") / "rulesets"


def available() -> list[str]:
    """Names of the packaged rule sets."""
    return sorted(p.name[: -len(".toml")] for p in _rulesets_dir().iterdir() if p.name.endswith(".toml"))


def load_ruleset(name_or_path: str | None = None) -> RuleSet:
    """Load a packaged rule set by name (default: ``DEFAULT_RULESET``) or a ``.toml`` file by path."""
    name_or_path = name_or_path or DEFAULT_RULESET
    if name_or_path in available():
        source = f"evaltool/scoring/rulesets/{name_or_path}.toml"
        data = (_rulesets_dir() / f"{name_or_path}.toml").read_bytes()
        return _parse(data, source, name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        known = "、".join(available())
        raise RuleSetError(
            f"找不到评分规则 {name_or_path}：既不是内置规则（可用：{known}），也不是存在的 .toml 文件",
            f"rule set {name_or_path} not found: neither a packaged rule set ({', '.join(available())}) "
            "nor an existing .toml file",
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise RuleSetError(
            f"无法读取评分规则文件 {path}：{e.strerror or e}", f"cannot read rule set file {path}: {e}"
        ) from e
    return _parse(data, str(path), path.stem)


def _parse(data: bytes, source: str, default_name: str) -> RuleSet:
    try:
        # utf-8-sig: Windows Notepad saves UTF-8 with a BOM, which TOML itself does not allow.
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise RuleSetError(
            f"评分规则文件 {source} 不是 UTF-8 编码，请另存为 UTF-8",
            f"rule set file {source} is not UTF-8 encoded",
        ) from e
    except tomllib.TOMLDecodeError as e:
        line = re.search(r"line (\d+)", str(e))
        where = f"第 {line.group(1)} 行" if line else ""
        raise RuleSetError(
            f"评分规则文件 {source} {where}有 TOML 语法错误：{e}",
            f"rule set file {source}: TOML syntax error: {e}",
        ) from e

    def fail(zh: str, en: str) -> RuleSetError:
        return RuleSetError(f"评分规则文件 {source}：{zh}", f"rule set file {source}: {en}")

    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        raise fail(f"无法识别的设置项 {'、'.join(unknown)}", f"unknown keys {', '.join(unknown)}")
    texts = {}
    for key, default in (("name", default_name), ("title", ""), ("note", "")):
        value = doc.get(key, default)
        if not isinstance(value, str):
            raise fail(f"{key} 应为文字", f"{key} must be a string")
        texts[key] = value.strip()
    items = doc.get("indicator")
    if not isinstance(items, list) or not items:
        raise fail("没有任何指标（需要若干 [[indicator]] 段）", "no indicators ([[indicator]] tables)")
    indicators = tuple(_indicator(item, n, fail) for n, item in enumerate(items, 1))
    seen: set[str] = set()
    for ind in indicators:
        if ind.level3 in seen:
            raise fail(f"三级指标「{ind.level3}」重复", f"duplicate level3 indicator '{ind.level3}'")
        seen.add(ind.level3)
    rules = RuleSet(texts["name"], texts["title"] or texts["name"], texts["note"], indicators, source)
    if rules.total_weight != TOTAL_WEIGHT:
        total = _num(rules.total_weight)
        raise fail(f"各指标分值合计为 {total}，应为 100", f"weights add up to {total}, not 100")
    return rules


def _indicator(item: object, n: int, fail: _Fail) -> Indicator:
    """Validate and convert the ``n``-th [[indicator]] table."""
    if not isinstance(item, dict):
        raise fail(f"第 {n} 个指标不是表（应写作 [[indicator]]）", f"indicator #{n} is not a table")
    label = item.get("level3")
    label = label.strip() if isinstance(label, str) and label.strip() else None
    where_zh = f"指标「{label}」" if label else f"第 {n} 个指标"
    where_en = f"indicator '{label}'" if label else f"indicator #{n}"

    def bad(zh: str, en: str) -> RuleSetError:
        return fail(f"{where_zh}：{zh}", f"{where_en}: {en}")

    unknown = sorted(set(item) - _INDICATOR_KEYS)
    if unknown:
        raise bad(f"无法识别的设置项 {'、'.join(unknown)}", f"unknown keys {', '.join(unknown)}")
    levels = {}
    for key in ("level1", "level2", "level3"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise bad(f"缺少 {key}（指标名称）", f"missing or empty {key}")
        levels[key] = value.strip()

    def number(key: str, zh: str) -> Decimal:
        value = item.get(key)
        # bool is an int subclass; "true" is never a number here.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad(f"缺少 {key}（{zh}）或不是数字", f"{key} missing or not a number")
        return Decimal(str(value))

    weight = number("weight", "分值")
    if not weight > 0:
        raise bad(f"分值 weight 应为正数，现为 {_num(weight)}", f"weight {_num(weight)} is not positive")
    method = item.get("method")
    if method not in METHODS:
        raise bad(
            f"评分方法 {method!r} 未知，可用：{'、'.join(METHODS)}",
            f"unknown method {method!r}; known: {', '.join(METHODS)}",
        )
    method_en = METHOD_EN[method]
    for key in _ALL_PARAMS:
        if key in item and key not in _PARAMS[method]:
            raise bad(f"{method}不使用 {key}", f"{key} does not apply to {method} ({method_en})")
    figure = item.get("figure")
    if method == QUALITATIVE:
        if figure is not None:
            raise bad("定性指标不应指定 figure（工具不计算定性指标）", "qualitative: takes no figure")
    else:
        known = AGGREGATE_FIGURES if method == "汇总" else tuple(FIGURES)
        if figure not in known:
            listing_zh = "、".join(f"{k}（{FIGURES[k]}）" for k in known)
            what = "缺少 figure" if figure is None else f"figure {figure!r} 未知"
            raise bad(
                f"{method}需要指定计算依据，{what}；可用：{listing_zh}",
                f"{method} ({method_en}) needs a known figure, got {figure!r}; known: {', '.join(known)}",
            )
    target = limit = per_point = None
    bands: tuple[Band, ...] = ()
    if method == "比率法":
        target = number("target", "目标值，百分点")
        if not target > 0:
            raise bad("比率法的目标值 target 应为正数", "ratio target must be positive")
    elif method == "上限法":
        limit = number("limit", "上限，百分点")
        per_point = number("per_point", "每超 1 个百分点扣分")
        if limit < 0 or per_point < 0:
            raise bad("上限法的 limit 与 per_point 不能为负", "limit and per_point must not be negative")
    elif method == "分档法":
        bands = _bands(item.get("bands"), bad)
    return Indicator(
        levels["level1"], levels["level2"], levels["level3"], weight, method, figure,
        target, limit, per_point, bands,
    )


def _bands(raw: object, bad: _Fail) -> tuple[Band, ...]:
    """分档法 bands written as [[upto, fraction], …] with strictly increasing upto."""
    if not isinstance(raw, list) or not raw:
        raise bad("分档法需要 bands，如 [[0, 1.0], [5, 0.8]]", "needs bands, e.g. [[0, 1.0], [5, 0.8]]")
    bands: list[Band] = []
    for pair in raw:
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or any(isinstance(x, bool) or not isinstance(x, (int, float)) for x in pair)
        ):
            raise bad(f"档位 {pair!r} 应写作 [上限百分点, 得分比例]", f"band {pair!r}: not [upto, fraction]")
        band = Band(Decimal(str(pair[0])), Decimal(str(pair[1])))
        if not 0 <= band.fraction <= 1:
            raise bad(
                f"档位得分比例 {_num(band.fraction)} 应在 0 到 1 之间",
                f"band fraction {_num(band.fraction)} must be between 0 and 1",
            )
        if bands and band.upto <= bands[-1].upto:
            raise bad(
                f"档位上限须逐档递增且不重叠：{_num(band.upto)} 不大于前一档 {_num(bands[-1].upto)}",
                f"band limits must strictly increase: {_num(band.upto)} after {_num(bands[-1].upto)}",
            )
        bands.append(band)
    return tuple(bands)
