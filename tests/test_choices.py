"""Counties choose their checks (issue 11): a rule set switches a check off or changes its severity,
``--select``/``--ignore`` do the same for one run, and every output says so and what it was checked under."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from evaltool import __version__
from evaltool.checker import check_file
from evaltool.checks import ORDER, Choices, configure, expand
from evaltool.cli import main
from evaltool.findings import Severity
from evaltool.scoring.ruleset import RuleSetError, load_ruleset

ROOT = Path(__file__).resolve().parent.parent
MISTAKES = ROOT / "samples" / "fengshun-2023-with-mistakes.xlsx"
DEFAULT = (resources.files("evaltool.scoring") / "rulesets" / "guangdong-county-2023.toml").read_text("utf-8")


def county(tmp_path: Path, tail: str) -> Path:
    """The default rule set renamed, with ``tail`` appended (a [checks] table) or, for a plain key, put first."""
    path = tmp_path / "county.toml"
    text = DEFAULT.replace('name = "guangdong-county-2023"', 'name = "fengshun-2024"')
    path.write_text(text + tail if "[" in tail else tail.lstrip() + text, "utf-8")
    return path


def codes(result, severity: Severity | None = None) -> set[str]:
    return {f.code for f in result.findings if severity is None or f.severity is severity}


def test_a_rule_set_switches_a_check_off_and_changes_a_severity(tmp_path):
    rules = load_ruleset(str(county(tmp_path, '\n[checks]\noff = ["BAS02"]\nseverity = {PUB01 = "error"}\n')))
    assert (rules.checks_off, rules.severities) == (("BAS02",), (("PUB01", "error"),))
    result = check_file(MISTAKES, rules)
    assert "BAS02" not in codes(result)
    (pub,) = [f for f in result.findings if f.code == "PUB01"]
    assert (pub.severity, pub.cell) == (Severity.ERROR, "B6")  # 35 days: a warning by default
    assert result.choices == Choices((("BAS02", "ruleset"),), (("PUB01", Severity.ERROR),))


def test_notes_stay_notes_when_a_severity_changes(tmp_path):
    rules = load_ruleset(str(county(tmp_path, '\n[checks]\nseverity = {SUM = "warning"}\n')))
    result = check_file(MISTAKES, rules)
    sums = [f for f in result.findings if f.code.startswith("SUM")]
    assert {f.severity for f in sums} == {Severity.WARNING, Severity.INFO}


@pytest.mark.parametrize(("head", "key"), [
    ('\n[checks]\noff = ["NOPE1"]\n', "ruleset.unknown_check"),
    ('\n[checks]\noff = "BAS02"\n', "ruleset.checks_off"),
    ('\n[checks]\nseverity = {PUB01 = "fatal"}\n', "ruleset.checks_severity"),
    ('\n[checks]\nonly = ["PUB01"]\n', "ruleset.unknown_keys"),
    ('\nscore_places = 3\n', "ruleset.score_places"),
    ('\ncompletion_capped = "yes"\n', "ruleset.not_bool"),
])
def test_a_bad_checks_table_is_refused_with_its_reason(head, key, tmp_path):
    path = county(tmp_path, head)
    with pytest.raises(RuleSetError) as info:
        configure(load_ruleset(str(path)))
    assert info.value.key == key
    assert str(path) in info.value.render()


def test_codes_and_prefixes():
    assert expand("sum") == tuple(c for c in ORDER if c.startswith("SUM"))
    assert expand("X0") == ("X01", "X02", "X03", "X04", "X05")
    assert expand("PUB01") == ("PUB01",) and expand("ZZ") == ()


def test_select_and_ignore_for_one_run():
    choices = configure(load_ruleset(), select=("SHR", "CST"), ignore=("CST02",))
    assert set(ORDER) - set(choices.disabled) == {"SHR01", "SHR02", "CST01", "CST03"}
    assert dict(choices.off)["CST02"] == "run"
    result = check_file(MISTAKES, load_ruleset(), choices)
    assert codes(result) == {"SHR01"}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_the_console_and_the_json_say_what_changed_and_under_what(tmp_path):
    rules = county(tmp_path, '\n[checks]\noff = ["BAS02"]\nseverity = {PUB01 = "error"}\n')
    out = tmp_path / "out.xlsx"
    text = invoke("check", MISTAKES, "--rules", rules, "--ignore", "X0", "-o", out).output.splitlines()
    digest = load_ruleset(str(rules)).digest
    assert f"  核查依据：evaltool {__version__}，模板 v2，评分规则 fengshun-2024（sha256 {digest[:12]}）" in text
    assert "  本县评分规则关闭的核查（1 项）：BAS02" in text
    assert "  本次未做的核查（--select/--ignore，5 项）：X01、X02、X03、X04、X05" in text
    assert "  本县评分规则改变性质的核查：PUB01 → 强制性" in text
    doc = json.loads(invoke("check", MISTAKES, "--rules", rules, "--ignore", "X0", "-o", out, "--format",
                            "json").output)
    (entry,) = doc["files"]
    assert entry["provenance"] == {"tool_version": doc["tool"]["version"], "template_version": "v2",
                                   "ruleset": "fengshun-2024", "ruleset_digest": digest}
    assert entry["checks"] == {"disabled": ["BAS02", "X01", "X02", "X03", "X04", "X05"], "changed": ["PUB01"],
                               "severity": {"PUB01": "error"},
                               "by": {"BAS02": "ruleset", "X01": "run", "X02": "run", "X03": "run", "X04": "run",
                                      "X05": "run", "PUB01": "ruleset"}}


def test_the_checked_copys_summary_says_what_it_was_checked_under(tmp_path):
    """核查汇总 is what the 财政局 receives: a 可报送 reached with checks left out says so, as the console does."""
    import openpyxl

    rules = county(tmp_path, '\n[checks]\noff = ["BAS02"]\nseverity = {PUB01 = "error"}\n')
    out = tmp_path / "out.xlsx"
    console = invoke("check", MISTAKES, "--rules", rules, "--ignore", "X0", "-o", out).output.splitlines()
    said = {str(c.value) for row in openpyxl.load_workbook(out)["核查汇总"].iter_rows() for c in row if c.value}
    lines = [line.strip() for line in console if line.startswith(("  核查依据", "  本县评分规则", "  本次未做"))]
    assert len(lines) == 4 and set(lines) <= said, (lines, said)


def test_an_unknown_code_is_a_usage_error(tmp_path):
    result = invoke("check", MISTAKES, "--select", "NOPE", "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "没有编码为 NOPE 的规则" in result.output
