"""Scoring rule sets: the indicator tree, weights and scoring methods as data (TOML).

No public source gives a province's weights or per-point deductions, so they live
in rule set files: the packaged ``evaltool/scoring/rulesets/*.toml`` or a county's own file.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from evaltool.errors import InputError, os_reason
from evaltool.findings import Param, Phrase, Term
from evaltool.scoring.indicators import Band, Indicator, RuleSet
from evaltool.workbook.numbers import plain

METHODS = ("比率法", "上限法", "分档法", "定性", "汇总")
QUALITATIVE = "定性"

# The figures an indicator may be scored on; their names are catalogue words (``term.figure.<key>``).
FIGURES = (
    "carry_rate", "fund_paid_rate", "asset_utilization", "office_control_rate", "sangong_control_rate",
    "key_work_rate", "satisfaction", "goals_output", "goals_benefit",
)
# 汇总 averages the 绩效目标 rows of one kind, so only these figures make sense for it.
AGGREGATE_FIGURES = ("goals_output", "goals_benefit")
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
_TOP_KEYS = frozenset({"name", "title", "note", "indicator", "score_places", "completion_capped", "checks",
                       "explanations", "prior_change"})
_EXPLANATION_KEYS = frozenset({"placeholders", "min_length"})
_CHECK_KEYS = frozenset({"off", "severity"})
SEVERITIES = ("error", "warning")
_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{0,3}$")  # a rule code or a prefix of codes (SUM01, SUM, X)

DEFAULT_RULESET = "guangdong-county-2023"
TOTAL_WEIGHT = Decimal(100)


class RuleSetError(InputError):
    """A rule set that cannot be used: a ``ruleset.*`` catalogue key and its parameters, which name the
    file and the indicator; ``render(lang)`` words it (nothing can be scored without the rules, so it
    stops the run like an unreadable input)."""


# Builds a RuleSetError from a catalogue key and its parameters, adding the file (and the indicator).
_Fail = Callable[..., RuleSetError]


def _rulesets_dir() -> Path:
    # Beside this module, not through importlib.resources: pip installs the package as files, and
    # importlib.resources (with tempfile and shutil behind it) was 13 ms of every check's start.
    return Path(__file__).with_name("rulesets")


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
        raise RuleSetError("ruleset.not_found", name=name_or_path, known=tuple(available()))
    try:
        data = path.read_bytes()
    except OSError as e:
        raise RuleSetError("ruleset.unreadable", path=str(path), reason=os_reason(e)) from e
    return _parse(data, str(path), path.stem)


def _parse(data: bytes, source: str, default_name: str) -> RuleSet:
    digest = hashlib.sha256(data).hexdigest()
    try:
        # utf-8-sig: Windows Notepad saves UTF-8 with a BOM, which TOML itself does not allow.
        doc = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise RuleSetError("ruleset.not_utf8", source=source) from e
    except tomllib.TOMLDecodeError as e:
        # Where, not tomllib's English: the line is what the county's editor needs.
        line = re.search(r"line (\d+)", str(e))
        if line:
            raise RuleSetError("ruleset.toml_syntax_at", source=source, line=line.group(1)) from e
        raise RuleSetError("ruleset.toml_syntax", source=source) from e

    def fail(key: str, **params: Param) -> RuleSetError:
        return RuleSetError(key, source=source, **params)

    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        raise fail("ruleset.unknown_keys", keys=tuple(unknown))
    texts = {}
    for key, default in (("name", default_name), ("title", ""), ("note", "")):
        value = doc.get(key, default)
        if not isinstance(value, str):
            raise fail("ruleset.not_text", setting=key)
        texts[key] = value.strip()
    items = doc.get("indicator")
    if not isinstance(items, list) or not items:
        raise fail("ruleset.no_indicators")
    indicators = tuple(_indicator(item, n, fail) for n, item in enumerate(items, 1))
    seen: set[str] = set()
    for ind in indicators:
        if ind.level3 in seen:
            raise fail("ruleset.duplicate", name=ind.level3)
        seen.add(ind.level3)
    places = doc.get("score_places", 2)
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 2:
        raise fail("ruleset.score_places", value=repr(places))
    capped = doc.get("completion_capped", False)
    if not isinstance(capped, bool):
        raise fail("ruleset.not_bool", setting="completion_capped")
    off, severities = _checks(doc.get("checks", {}), fail)
    placeholders, min_length = _explanations(doc.get("explanations", {}), fail)
    change = doc.get("prior_change", 30)
    if isinstance(change, bool) or not isinstance(change, (int, float)) or not 0 < change <= 1000:
        raise fail("ruleset.prior_change", value=repr(change))
    rules = RuleSet(texts["name"], texts["title"] or texts["name"], texts["note"], indicators, source,
                    digest, places, capped, off, severities, placeholders, min_length, Decimal(str(change)) / 100)
    if rules.total_weight != TOTAL_WEIGHT:
        raise fail("ruleset.weights_total", total=plain(rules.total_weight))
    return rules


def _checks(table: object, fail: _Fail) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """``[checks]``: ``off = ["BAS02"]`` switches rules off, ``severity = {PUB01 = "error"}`` changes what a
    rule reports (its info notes stay notes).  Codes may be prefixes ("SUM"); whether a rule exists is
    checked by ``checks.configure``, which knows them."""
    if not isinstance(table, dict):
        raise fail("ruleset.checks_not_table")
    unknown = sorted(set(table) - _CHECK_KEYS)
    if unknown:
        raise fail("ruleset.unknown_keys", keys=tuple(f"checks.{k}" for k in unknown))
    off = table.get("off", [])
    if not isinstance(off, list) or not all(isinstance(c, str) and _CODE.match(c) for c in off):
        raise fail("ruleset.checks_off", value=repr(off))
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise fail("ruleset.checks_not_table")
    for code, value in severity.items():
        if not _CODE.match(code) or value not in SEVERITIES:
            raise fail("ruleset.checks_severity", code=code, value=repr(value), known=SEVERITIES)
    return tuple(off), tuple(sorted(severity.items()))


def _explanations(table: object, fail: _Fail) -> tuple[tuple[str, ...] | None, int | None]:
    """``[explanations]``: ``placeholders = ["无", "正常"]`` replaces the list of words that do not explain a
    warning; ``min_length = 6`` the characters an explanation needs (spaces and end punctuation not counted)."""
    if not isinstance(table, dict):
        raise fail("ruleset.explanations_not_table")
    unknown = sorted(set(table) - _EXPLANATION_KEYS)
    if unknown:
        raise fail("ruleset.unknown_keys", keys=tuple(f"explanations.{k}" for k in unknown))
    placeholders = table.get("placeholders")
    if placeholders is not None and (not isinstance(placeholders, list)
                                     or not all(isinstance(p, str) for p in placeholders)):
        raise fail("ruleset.explanations_placeholders", value=repr(placeholders))
    min_length = table.get("min_length")
    if min_length is not None and (isinstance(min_length, bool) or not isinstance(min_length, int)
                                   or not 1 <= min_length <= 200):
        raise fail("ruleset.explanations_min_length", value=repr(min_length))
    words = None if placeholders is None else tuple("".join(p.split()).strip("。.，,；;！!") for p in placeholders)
    return words, min_length


def _indicator(item: object, n: int, fail: _Fail) -> Indicator:
    """Validate and convert the ``n``-th [[indicator]] table."""
    if not isinstance(item, dict):
        raise fail("ruleset.not_a_table", n=n)
    label = item.get("level3")
    label = label.strip() if isinstance(label, str) and label.strip() else None
    where = Phrase("ruleset.indicator_named", {"name": label}) if label else Phrase("ruleset.indicator_nth", {"n": n})

    def bad(key: str, **params: Param) -> RuleSetError:
        return fail(key, where=where, **params)

    unknown = sorted(set(item) - _INDICATOR_KEYS)
    if unknown:
        raise bad("ruleset.indicator_unknown_keys", keys=tuple(unknown))
    levels = {}
    for key in ("level1", "level2", "level3"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise bad("ruleset.level_missing", setting=key)
        levels[key] = value.strip()

    def number(key: str) -> Decimal:
        value = item.get(key)
        # bool is an int subclass; "true" is never a number here.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad("ruleset.not_a_number", setting=key, meaning=Term(f"setting.{key}"))
        return Decimal(str(value))

    weight = number("weight")
    if not weight > 0:
        raise bad("ruleset.weight_not_positive", weight=plain(weight))
    method = item.get("method")
    if method not in METHODS:
        raise bad("ruleset.unknown_method", method=repr(method), known=METHODS)
    for key in _ALL_PARAMS:
        if key in item and key not in _PARAMS[method]:
            raise bad("ruleset.setting_not_used", method=method, setting=key)
    figure = item.get("figure")
    if method == QUALITATIVE:
        if figure is not None:
            raise bad("ruleset.qualitative_figure")
    else:
        known = AGGREGATE_FIGURES if method == "汇总" else FIGURES
        if figure not in known:
            listing = tuple(Phrase("ruleset.figure", {"figure": k, "name": Term(f"figure.{k}")}) for k in known)
            if figure is None:
                raise bad("ruleset.figure_missing", method=method, known=listing)
            raise bad("ruleset.figure_unknown", method=method, figure=repr(figure), known=listing)
    target = limit = per_point = None
    bands: tuple[Band, ...] = ()
    if method == "比率法":
        target = number("target")
        if not target > 0:
            raise bad("ruleset.target_not_positive")
    elif method == "上限法":
        limit = number("limit")
        per_point = number("per_point")
        if limit < 0 or per_point < 0:
            raise bad("ruleset.ceiling_negative")
    elif method == "分档法":
        bands = _bands(item.get("bands"), bad)
    return Indicator(
        levels["level1"], levels["level2"], levels["level3"], weight, method, figure,
        target, limit, per_point, bands,
    )


def _bands(raw: object, bad: _Fail) -> tuple[Band, ...]:
    """分档法 bands written as [[upto, fraction], …] with strictly increasing upto."""
    if not isinstance(raw, list) or not raw:
        raise bad("ruleset.bands_missing")
    bands: list[Band] = []
    for pair in raw:
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or any(isinstance(x, bool) or not isinstance(x, (int, float)) for x in pair)
        ):
            raise bad("ruleset.band_shape", band=repr(pair))
        band = Band(Decimal(str(pair[0])), Decimal(str(pair[1])))
        if not 0 <= band.fraction <= 1:
            raise bad("ruleset.band_fraction", fraction=plain(band.fraction))
        if bands and band.upto <= bands[-1].upto:
            raise bad("ruleset.band_order", upto=plain(band.upto), previous=plain(bands[-1].upto))
        bands.append(band)
    return tuple(bands)
