"""End to end through the command: the seed sample, the issue's mutations, outputs, exit codes."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from evaltool.checks import REGISTRY
from evaltool.cli import main
from evaltool.findings import Severity
from evaltool.narrative.verify import REPORT_RULES
from tests.fillers import with_mistakes

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "fengshun-2023.xlsx"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_text(path: Path, sheet: str) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row) for row in wb[sheet].iter_rows(values_only=True)
    )


@pytest.fixture
def seed_copy(tmp_path):
    target = tmp_path / "丰顺 县科工商务局 2023.xlsx"  # Chinese characters and spaces in the path
    shutil.copy(SEED, target)
    return target


def test_seed_sample_passes_with_the_reported_ratios(seed_copy):
    before = sha(seed_copy)
    result = invoke("check", str(seed_copy))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "可报送：强制性错误 0 个，未说明的提示 0 个，已说明的提示 0 个"
    assert sha(seed_copy) == before
    out = seed_copy.with_name(seed_copy.stem + ".checked.xlsx")
    summary = sheet_text(out, "核查汇总")
    for shown in ("81.32%", "18.68%", "46.41%", "53.59%", "83.09%", "减少 10.94", "46.87%", "100%", "116.7%"):
        assert shown in summary, shown


def test_json_output(seed_copy):
    result = invoke("check", str(seed_copy), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    (file,) = data["files"]
    assert set(file) >= {"path", "output", "findings", "figures"}
    assert file["department"] == "丰顺县科工商务局"
    assert not [f for f in file["findings"] if f["severity"] == "error"]
    for f in file["findings"]:
        assert set(f) >= {"id", "code", "severity", "subject", "location", "stated", "recomputed", "message"}
    assert file["figures"]["income_share.fiscal"]["stated"]["text"] == "81.32%"
    assert file["figures"]["income_share.fiscal"]["agrees"] is True
    assert D(file["figures"]["office_rate.office"]["recomputed"]["exact"]).quantize(D("0.0001")) == D("0.8309")


MUTATIONS = {
    "share typed wrong": (("finance", "income", "fiscal", "share", D("0.8133")), Severity.ERROR, "SHR01"),
    "part no longer adds": (("finance", "income", "other", "amount", D("554.48")), Severity.ERROR, "SUM01"),
    "三公 over budget": (("costs", "sangong", "total", "actual", D("31.20")), Severity.ERROR, "LIM01"),
    "number typed as text": (("finance", "income", "fiscal", "amount", "2,369.93"), Severity.WARNING, "IN03"),
    "formula without cached value": (("finance", "income", "total", "amount", "=B5+B13"), Severity.ERROR, "IN05"),
    "#DIV/0! in an input": (("finance", "income", "other", "amount", "#DIV/0!"), Severity.ERROR, "IN04"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_found_at_its_cell_and_nowhere_else(name, seeded, run):
    (sheet, table, row, col, value), severity, code = MUTATIONS[name]
    seeded.set(sheet, table, row, col, value)
    result = run(seeded)
    # Over budget while scored full marks is also over-claiming in the score sheet (SCO03).
    errors = {(f.code, f.cell) for f in result.findings if f.severity is Severity.ERROR and f.code != "SCO03"}
    hits = {(f.code, f.cell) for f in result.findings if f.severity is severity and f.code == code}
    cell = seeded.coord(sheet, table, "total" if code == "SUM01" else row, col)
    if code == "LIM01":
        cell = seeded.coord(sheet, table, row, col)
    assert hits == {(code, cell)}
    assert errors == (hits if severity is Severity.ERROR else set())


def test_rounding_over_three_parts_is_a_warning_not_an_error(seeded, run):
    for row, amount in (("fiscal_general", "2000"), ("fiscal_fund", "300"), ("fiscal_soe", "69.94")):
        seeded.set("finance", "income", row, "amount", D(amount))
    result = run(seeded)
    assert {(f.code, f.severity) for f in result.findings if f.severity is not Severity.INFO} == {
        ("SUM02", Severity.WARNING)
    }
    assert result.exit_code == 0


def _values(path: Path, skip: set[str] = frozenset()) -> dict:
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        if ws.title not in skip
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


def test_checked_copy_keeps_every_value_and_input_is_untouched(tmp_path):
    book = tmp_path / "mistakes.xlsx"
    with_mistakes().save(book)
    before = sha(book)
    result = invoke("check", str(book))
    assert result.exit_code == 1
    assert sha(book) == before
    out = tmp_path / "mistakes.checked.xlsx"
    assert _values(out, {"核查结果", "核查汇总"}) == _values(book)
    assert {"核查结果", "核查汇总"} <= set(openpyxl.load_workbook(out).sheetnames)


def test_fix_replaces_stated_derived_cells_only(tmp_path):
    book = tmp_path / "mistakes.xlsx"
    with_mistakes().save(book)
    out = tmp_path / "fixed.xlsx"
    assert invoke("check", str(book), "--fix", "-o", str(out)).exit_code == 1
    before, after = _values(book), _values(out, {"核查结果", "核查汇总"})
    changed = {k for k in before if before[k] != after.get(k)}
    assert changed == {("收支情况", "C5"), ("运行成本", "D5"), ("专项资金", "D6"), ("绩效目标", "G6")}
    assert D(str(after[("收支情况", "C5")])) == D("0.8132")
    assert D(str(after[("运行成本", "D5")])) == D("-10.94")
    # Re-checking the fixed copy leaves only the findings on inputs.
    recheck = invoke("check", str(out), "--format", "json", "-o", str(tmp_path / "again.xlsx"))
    codes = {f["code"] for f in json.loads(recheck.output)["files"][0]["findings"] if f["severity"] == "error"}
    assert codes == {"LIM01", "BAS01", "SCO03"}  # 三公 over budget yet scored full marks


def test_english_messages(seed_copy, tmp_path):
    bad = tmp_path / "bad.xlsx"
    with_mistakes().save(bad)
    result = invoke("check", str(bad), "--lang", "en")
    assert "FAIL: 7 error(s), 4 unexplained warning(s), 0 explained" in result.output
    assert "states 81.33%; 2369.93 ÷ 2914.41 gives 81.32%" in result.output
    # Workbook labels stay Chinese (they are the officer's words); our sentences do not.
    assert "，" not in result.output and "：" not in result.output and "强制性" not in result.output


def test_several_files_exit_with_the_worst(seed_copy, tmp_path):
    bad = tmp_path / "bad.xlsx"
    with_mistakes().save(bad)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    assert invoke("check", str(seed_copy), str(bad)).exit_code == 1
    result = invoke("check", str(seed_copy), str(bad), str(junk))
    assert result.exit_code == 2
    assert "junk.xlsx" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "找不到文件"),
        (b"", "空的"),
        (b"PK\x03\x04broken", "不是完整的工作簿"),  # the start of a zip without its end
        (b"a,b\n1,2\n", "不是 Excel 工作簿"),
    ],
)
def test_unreadable_input_exit_2(tmp_path, content, needle):
    path = tmp_path / "x.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = invoke("check", str(path))
    assert result.exit_code == 2
    assert needle in result.output and str(path) in result.output


def test_not_our_template_names_missing_sheets(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(path)
    result = invoke("check", str(path))
    assert result.exit_code == 2
    assert "收支情况" in result.output


def test_rules_and_rule_help():
    import re

    listing = invoke("rules").output
    assert "SHR01" in listing and "强制性" in listing
    assert "≤100% 得满分，每超 1 个百分点扣 1 分" in listing  # the rule set's scoring rules too
    codes = re.findall(r"^([A-Z]+\d+) ", listing, re.M)
    assert len(codes) == len(REGISTRY) + len(REPORT_RULES)  # the workbook rules, then the report rules
    for code in codes:
        explained = invoke("rule", code)
        assert explained.exit_code == 0 and len(explained.output) > 30, code


def test_help_is_fast_to_import():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "evaltool", "--help"], capture_output=True, text=True, check=True
    )
    heavy = [m for m in ("openpyxl", "pandas", "xlsxwriter", "docx", "docxtpl", "jinja2", "lxml")
             if f" {m}\n" in out.stderr or f"| {m}" in out.stderr]
    assert heavy == []
    # nor the checks: --help is click and the command table (evaltool.batch pulled in the model, 60 ms)
    ours = {line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines() if "| " in line}
    assert {"evaltool.batch", "evaltool.findings", "evaltool.model"}.isdisjoint(ours), sorted(ours)


def test_the_console_command_finishes_its_work_before_it_ends(tmp_path):
    """``python -m evaltool`` is ``cli.run``: a process that skips the collector's walk at exit, yet a batch
    through two worker processes still writes every copy and its summary and says so, exit 0."""
    import subprocess
    import sys

    for name in ("a", "b", "c"):
        shutil.copy(ROOT / "samples" / "fengshun-2023.xlsx", tmp_path / f"{name}.xlsx")
    out = subprocess.run([sys.executable, "-m", "evaltool", "check", str(tmp_path), "-j", "2", "--summary",
                          str(tmp_path / "汇总.xlsx")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in tmp_path.glob("*.checked.xlsx")) == ["a.checked.xlsx", "b.checked.xlsx",
                                                                        "c.checked.xlsx"]
    assert openpyxl.load_workbook(tmp_path / "汇总.xlsx").sheetnames and out.stdout.count("可报送") >= 3
    assert "evaltool = evaltool.cli:run" in (ROOT / "setup.cfg").read_text(encoding="utf-8")


@pytest.mark.parametrize("option", ["--summary", "--export"])
def test_the_summary_or_dataset_is_never_written_over_a_file_being_checked(tmp_path, option):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(ROOT / "samples" / "fengshun-2023.xlsx", a)
    shutil.copy(a, b)
    before = sha(b)
    result = invoke("check", str(a), str(b), option, str(b))
    assert result.exit_code == 2 and sha(b) == before
    assert f"{option} {b}：是本次要核查的文件" in result.output


@pytest.mark.parametrize("command", [[], ["check"], ["rules"], ["template"]])
def test_help_pages_say_click_s_own_words_in_the_language_asked_for(command):
    """The help texts are Chinese, and so are click's headings and its words for --help, --version and an
    option's default; --lang en gives click's English ones."""
    page = CliRunner().invoke(main, [*command, "--help"]).output
    assert page.startswith("用法：") and "\n选项：\n" in page and "显示本帮助并退出" in page
    assert re.findall(r"Usage:|Options:|Commands:|Show this message|default:", page) == []
    if command:
        assert "[默认：zh]" in page
    else:
        assert "\n命令：\n  check " in page and "--version   显示版本号并退出" in page
    if command:
        english = CliRunner().invoke(main, [*command, "--help", "--lang", "en"]).output
        assert english.startswith("Usage: ") and "\nOptions:\n" in english and "[default: zh]" in english
        assert "Show this message and exit." in english


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("", 10, [""]),
    ("a" * 12, 10, ["a" * 10, "aa"]),  # a word longer than a line is cut
    ("abc defg hij", 8, ["abc defg", "hij"]),  # other text breaks at spaces
    ("一二三四五，六七", 10, ["一二三四五，", "六七"]),  # a comma hung at the end of the line
    ("核查结果文件（只核查一个文件时）", 14, ["核查结果文件", "（只核查一个文", "件时）"]),  # "（" goes on
    ("为 CPU\n核数", 20, ["为 CPU 核数"]),  # a source line break between words is a space
    ("写出\n自评报告", 20, ["写出自评报告"]),  # and nothing between Chinese
])
def test_help_text_wraps_by_terminal_columns(text, width, lines):
    from evaltool.cli import _wrap

    assert _wrap(text, width) == lines


def test_help_columns_line_up_and_fit_the_terminal_with_chinese_in_them():
    """Terms and help texts are measured in terminal columns (a Chinese character takes two): every help
    text starts in one column, and no line runs past 80 columns but for a comma hung at its end."""
    from evaltool.width import display_width

    page = CliRunner().invoke(main, ["check", "--help"]).output
    options = page.split("选项：\n", 1)[1].splitlines()
    starts = set()
    for line in options:
        term = re.match(r"  (-\S.*?)(?:\s{2,}|$)", line)
        if term and line[term.end():].strip():
            starts.add(display_width(line[:term.end()]))
    assert len(starts) == 1, starts
    assert "  --book 自评表.xlsx  " in page  # a term with Chinese in it, padded to the column
    assert all(display_width(line) <= 82 for line in page.splitlines())
    assert not any(line.strip().startswith(("，", "。", "、", "；", "：", "）")) for line in page.splitlines())


@pytest.mark.parametrize(("args", "said"), [
    (["check"], "错误：缺少参数 PATHS"),
    (["check", "--bogus", "x.xlsx"], "错误：没有选项 --bogus（是否要用 --book、--jobs、--verbose？）"),
    (["chek"], "错误：没有命令 chek"),
    (["check", "x.xlsx", "--format", "foo"], "错误：--format 的值无效（"),
])
def test_usage_errors_are_said_in_chinese(args, said):
    """click words its usage errors in English; an officer who mistypes a command reads them in Chinese,
    and with --lang en as click says them."""
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.output.startswith("用法：") and said in result.output and "Error:" not in result.output
    english = CliRunner().invoke(main, [*args, "--lang", "en"])
    assert english.exit_code == 2 and "Error:" in english.output
