"""The summary workbook from records: ranking, county totals, sheets, links, languages."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest

from evaltool.batch import FileRecord, Scores, flag_batch
from evaltool.model import department_key
from evaltool.outputs.county import HEADER_ROW, county_total, ranked, write_summary

H = HEADER_ROW + 1  # the 汇总 header's row number in openpyxl


def record(dept: str, score: str | None = None, errors: int = 0, *, path: str | None = None,
           output: str | None = None, income: str | None = "100", fiscal: str | None = "80",
           sangong: tuple[str | None, str | None] = (None, None), error: str | None = None) -> FileRecord:
    """A record as a worker returns it: amounts in 万元, the 三公 pair as (actual, budget)."""
    entry = {
        "path": path or f"{dept}.xlsx", "output": output, "exit_code": 2 if error else int(errors > 0),
        "error": {"key": "file_unreadable", "message": error} if error else None, "skipped": None, "flags": [],
        "department": None if error else dept, "year": None if error else 2023,
        "counts": {"error": errors, "warning": 1, "info": 0},
        "verdict": "unreadable" if error else "fail" if errors else "pass_unexplained",
        "states": {"error": errors, "unexplained": 1, "explained": 0, "info": 0},
        "findings": [{"code": "SHR01", "severity": "error", "message": f"{dept} 的错误 {i}",
                      "location": {"sheet": "收支情况", "cell": "C5", "cells": []}} for i in range(errors)],
    }
    if error:
        return FileRecord(entry)
    pairs = {"fiscal_share": (D(fiscal) if fiscal else None, D(income) if income else None),
             "sangong_rate": tuple(None if v is None else D(v) for v in sangong)}
    grade = None if score is None else ("优" if D(score) >= 90 else "良" if D(score) >= 80 else "中")
    scores = None if score is None else Scores(D(score), D(score), grade, grade)
    money = D(income) if income else None
    return FileRecord(entry, money, money, pairs, scores)


def test_ranking_by_verdict_then_recomputed_score_with_shared_ranks():
    """Failing after passing: 甲 and 乙 score 95 with errors, below 丙's 88 without; a workbook 可报送 (every
    warning explained) above one with unexplained warnings."""
    unready = record("己", "70", 0)
    ready = dataclasses.replace(unready, entry={**unready.entry, "verdict": "ready",
                                                "states": {"error": 0, "unexplained": 0, "explained": 1, "info": 0}})
    records = [record("丙", "88", 0), record("甲", "95", 2), record("乙", "95", 2), record("丁", None),
               record("戊", "95", 0), record("坏", error="坏.xlsx 无法读取"), ready]
    assert [(rank, r.department) for rank, r in ranked(records)] == [
        (1, "己"), (2, "戊"), (3, "丙"), (4, "乙"), (4, "甲"), (None, "丁"),
    ]


def test_county_ratios_come_from_summed_amounts_not_averaged_ratios():
    small = record("小", income="10", fiscal="1", sangong=("2", "1"))  # 10%, 三公 200%
    large = record("大", income="990", fiscal="891", sangong=("50", "100"))  # 90%, 三公 50%
    none = record("缺", income=None, fiscal=None)
    total = county_total([small, large, none])
    assert total["income_total"] == D(1000)
    assert total["fiscal_share"] == D("0.892")  # (1 + 891) ÷ (10 + 990); the mean of ratios would be 0.5
    assert total["sangong_rate"] == D(52) / D(101)
    assert (total["sangong_actual"], total["sangong_budget"]) == (D(52), D(101))
    assert total["errors"] == 0 and total["year"] == 2023


def read(path: Path, sheet: str) -> list[tuple]:
    """The sheet's rows from its header down (汇总 has its title and date above)."""
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return rows[HEADER_ROW:] if sheet in ("汇总", "Summary") else rows


def test_numbers_are_numbers_and_text_stays_text(tmp_path):
    path = tmp_path / "s.xlsx"
    write_summary([record("=1+1", "90.5", sangong=("14.06", "30")), record("0123", "70")], path)
    ws = openpyxl.load_workbook(path)["汇总"]
    header = [c.value for c in ws[H]]
    dept, score = ws.cell(H + 1, header.index("部门名称") + 1), ws.cell(H + 1, header.index("重算得分") + 1)
    assert (dept.value, dept.data_type) == ("=1+1", "s")
    assert ws.cell(H + 2, header.index("部门名称") + 1).value == "0123"
    assert (score.value, score.data_type, score.number_format) == (90.5, "n", "0.00")
    rate = ws.cell(H + 1, header.index("“三公”经费控制率") + 1)
    assert rate.number_format == "0.00%" and rate.value == pytest.approx(14.06 / 30)
    assert [p.name for p in tmp_path.iterdir()] == ["s.xlsx"]  # no temporary file left


def test_links_are_relative_to_the_summary(tmp_path):
    out = tmp_path / "out" / "二季度"
    out.mkdir(parents=True)
    copy = out / "a 局.checked.xlsx"
    copy.write_bytes(b"")
    path = tmp_path / "报表" / "汇总.xlsx"
    write_summary([record("甲", "90", 1, output=str(copy))], path)
    ws = openpyxl.load_workbook(path)["汇总"]
    link = ws.cell(H + 1, [c.value for c in ws[H]].index("核查副本") + 1).hyperlink
    assert unquote(link.target).replace("\\", "/") == "../out/二季度/a 局.checked.xlsx"
    err = openpyxl.load_workbook(path)["强制性错误"]["E2"].hyperlink
    assert err.location == "'收支情况'!C5"


def test_only_unreadable_files(tmp_path):
    path = tmp_path / "s.xlsx"
    write_summary([record("坏", error="坏.xlsx 不是 Excel 工作簿")], path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["汇总", "强制性错误", "未核查的文件"]
    table = read(path, "汇总")
    assert (table[1][3], table[1][4], table[1][-1]) == ("坏.xlsx", "无法核查", "该文件 不是 Excel 工作簿")
    assert table[2][1] == "没有可核查的自评表"
    assert read(path, "未核查的文件")[1] == ("坏.xlsx", "无法核查", "该文件 不是 Excel 工作簿")


@pytest.mark.parametrize(("key", "params", "said"), [
    ("file_empty", {}, "该文件 是空的（0 字节）"),
    ("file_unreadable", {"reason": "没有权限"}, "该文件 无法读取：没有权限"),
])
def test_an_unreadable_files_reason_names_it_once(tmp_path, key, params, said):
    """The 提示 beside the 文件 column says 该文件 where the message named the file (not 文件 该文件 是空的)."""
    from evaltool.text.catalogue import tr

    path = tmp_path / "s.xlsx"
    write_summary([record("坏", error=tr(key, "zh", path="坏.xlsx", **params))], path)
    assert read(path, "未核查的文件")[1] == ("坏.xlsx", "无法核查", said)


def test_english(tmp_path):
    path = tmp_path / "s.xlsx"
    write_summary([record("甲", "90", 1), record("坏", error="bad")], path, lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "Charts", "Errors", "Files not checked"]
    header = read(path, "Summary")[0]
    assert "Recomputed score" in header and "Department" in header
    assert read(path, "Summary")[3][1] == "County total"  # 甲, the unreadable file, the total
    summary = read(path, "Summary")
    grades = header.index("Recomputed grade")
    assert summary[1][grades] == "excellent"  # 甲 scored 90: 优
    assert [row[0] for row in read(path, "Charts")[1:5]] == ["excellent", "good", "fair", "poor"]


def test_two_submissions_of_one_department_are_flagged_and_counted_once(tmp_path):
    earlier = dataclasses.replace(record("丰顺县 科工商务局（公章）", "90", path="a.xlsx", income="100"),
                                  filed="2024-07-01")
    later = dataclasses.replace(record("丰顺县科工商务局", "85", path="b.xlsx", income="120"), filed="2024-07-12")
    other = record("丰顺县教育局", "80", path="c.xlsx", income="50")
    records = [earlier, later, other]
    flag_batch(records, "zh")
    assert [f["key"] for f in earlier.flags] == ["duplicate_earlier"]
    assert [f["key"] for f in later.flags] == ["duplicate_later"] and other.flags == []
    assert [(rank, r.path) for rank, r in ranked(records)] == [(1, "b.xlsx"), (2, "c.xlsx"), (None, "a.xlsx")]
    assert county_total(records)["income_total"] == D(170)  # 120 + 50: the later one only
    path = tmp_path / "s.xlsx"
    write_summary(records, path)
    table = read(path, "汇总")
    notes = table[0].index("提示")
    assert [(r[1], r[notes]) for r in table[1:4]] == [
        ("丰顺县科工商务局", "与 a.xlsx 是同一部门同一年度，本份较晚：排名和全县合计只计本份"),
        ("丰顺县教育局", None),
        ("丰顺县 科工商务局（公章）", "与 b.xlsx 是同一部门同一年度，本份较早：不计入排名和全县合计"),
    ]


def test_names_are_compared_after_one_normalisation():
    assert department_key("丰顺县 科工商务局（公章）") == department_key("丰顺县科工商务局") == "丰顺县科工商务局"
    assert department_key("ＡＢＣ局(公章)") == department_key("ABC局")
    assert department_key("丰顺县科工商务局") != department_key("丰顺县教育局")


def test_a_total_far_above_the_county_is_flagged_and_left_out():
    records = [record("甲", "90", income="100"), record("乙", "90", income="80"), record("丙", "90", income="120"),
               record("妇联", "90", income="1987013.45")]  # typed in 元 under 万元
    flag_batch(records, "zh")
    assert [r.department for r in records if r.flags] == ["妇联"]
    assert records[3].flags[0]["key"] == "unit_outlier"
    assert county_total(records)["income_total"] == D(300)


def test_an_existing_summary_is_replaced(tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_bytes(b"old")
    write_summary([record("甲", "90")], path)
    assert read(path, "汇总")[1][1] == "甲"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_summary(tmp_path):
    path = tmp_path / "s.xlsx"
    write_summary([record("甲", "95", sangong=("14.06", "30")), record("乙", "81", 2, sangong=("20", "50"))], path)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path / "csv"), str(path)], check=True, capture_output=True, timeout=120)
    text = (tmp_path / "csv" / "s.csv").read_text(encoding="utf-8")
    assert "全县合计" in text and "甲" in text and "乙" in text


def test_a_copy_checked_under_another_rule_set_is_flagged(tmp_path):
    """A department checked its workbook under the default rule set and sent the copy; the 财政局 checks
    it under its own: the batch says the department may have seen another verdict (issue 11)."""
    import json
    from importlib import resources

    from click.testing import CliRunner

    from evaltool.cli import main

    sent = tmp_path / "收到"
    sent.mkdir()
    copy = sent / "科工商务局.checked.xlsx"
    assert CliRunner().invoke(main, ["check", "samples/fengshun-2023.xlsx", "-o", str(copy)]).exit_code == 0
    default = (resources.files("evaltool.scoring") / "rulesets" / "guangdong-county-2023.toml").read_text("utf-8")
    county = tmp_path / "本县.toml"
    county.write_text(default.replace('note = "', 'note = "本县修订：', 1), "utf-8")  # same name, other content

    def run(*rules: str) -> dict:
        out = CliRunner().invoke(main, ["check", str(sent), "--out-dir", str(tmp_path / "out"), "--format", "json",
                                        *rules])
        (entry,) = json.loads(out.output)["files"]
        return entry

    theirs = run("--rules", str(county))
    before, now = theirs["checked_before"], theirs["provenance"]
    assert before["ruleset"] == now["ruleset"] == "guangdong-county-2023"
    assert before["ruleset_digest"] != now["ruleset_digest"] and before["tool_version"]
    assert [f["message"] for f in theirs["flags"]] == [
        f"本文件是按评分规则 guangdong-county-2023（sha256 {before['ruleset_digest'][:12]}）核查过的副本，本次按 "
        f"guangdong-county-2023（sha256 {now['ruleset_digest'][:12]}）核查：报送单位看到的结论可能与本表不同"]
    ours = run()
    assert ours["checked_before"] == before and ours["flags"] == []
