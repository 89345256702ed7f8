"""The officer's loop (issue 10): check, correct and explain in the checked copy, check again, send.

A checked copy checked again checks exactly like the original; our earlier marks and comments go, the
officer's stay; 单位说明 (explanations), 审核结论 and 审核意见 are carried over by the finding's id; an
explanation reopens when its figures change; placeholders do not explain; an error cannot be explained
away.  The LibreOffice round trip (open the copy, save it as .xlsx, check again) is marked slow and
skipped without LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from evaltool.checker import Review, check_file, digest, substantive
from evaltool.cli import main
from evaltool.findings import Severity, State, Verdict
from evaltool.outputs.checked import MARK_FILLS, write_checked
from evaltool.scoring.ruleset import load_ruleset
from evaltool.text.catalogue import tr
from evaltool.workbook import layout as L
from evaltool.workbook import xmlbytes as X
from evaltool.workbook.marker import read_marker, write_marker
from evaltool.workbook.package import as_zip, read_package
from evaltool.workbook.unmark import unmark
from evaltool.workbook.xlsxcache import sheet_parts
from tests.fillers import with_mistakes

ROOT = Path(__file__).resolve().parent.parent
MISTAKES = ROOT / "samples" / "fengshun-2023-with-mistakes.xlsx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
OURS = {f"FF{rgb}" for rgb in MARK_FILLS}
# What the officer corrects in the mistakes sample (every error and two of the warnings) ...
CORRECTIONS = {
    ("收支情况", "C5"): 0.8132, ("收支情况", "C13"): 0.1868, ("运行成本", "D5"): -10.94, ("专项资金", "D6"): 1,
    ("绩效目标", "G6"): 1.167, ("运行成本", "C13"): 14.06, ("基本信息", "B10"): dt.datetime(2024, 7, 12),
    ("基本信息", "B9"): "0753-6888322",
}
# ... and the two warnings explained in 核查结果's 单位说明.
EXPLAINED = {"SUM02": "决算报表按元取整后汇总，尾差 0.01 万元", "PUB01": "预算批复后因系统升级延迟公开，已报财政局备案"}
SUM02 = "SUM02:finance.income.fiscal.amount:2023"
PUB01 = "PUB01:disclosure.dates.budget_published.value:2023"
RESULTS = L.RESULTS_SHEET
COLUMN = {c.key: c.header for c in L.RESULTS_COLUMNS}


@pytest.fixture(scope="session")
def checked(tmp_path_factory) -> Path:
    """The mistakes sample's checked copy, made once."""
    folder = tmp_path_factory.mktemp("checked")
    src = folder / "自评表.xlsx"
    shutil.copy(MISTAKES, src)
    out = folder / "自评表.checked.xlsx"
    write_checked(check_file(src), str(out))
    return out


def _copy(checked: Path, tmp_path: Path, name: str = "自评表.checked.xlsx") -> Path:
    path = tmp_path / name
    shutil.copy(checked, path)
    return path


def edit(path: Path, cells: dict | None = None, rows: dict[str, dict[str, str]] | None = None) -> None:
    """What the officer does in Excel/WPS: type into cells; write into 核查结果's columns by finding code."""
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in (cells or {}).items():
        wb[sheet][cell].value = value
    ws = wb[RESULTS]
    col = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        for key, text in (rows or {}).get(row[0].value, {}).items():
            ws.cell(row[0].row, col[COLUMN[key]]).value = text
    wb.save(path)


@functools.lru_cache(maxsize=16)
def _look(path: Path, _mtime: int) -> tuple[frozenset, tuple]:
    """Our fills and every comment on the officer's sheets of ``path`` (loaded once per version of the file)."""
    wb = openpyxl.load_workbook(path)
    cells = [(ws.title, c) for ws in wb.worksheets if ws.title not in L.ADDED_SHEETS for row in ws.iter_rows()
             for c in row]
    return (frozenset((t, c.coordinate) for t, c in cells if c.fill.fgColor.rgb in OURS),
            tuple(((t, c.coordinate), c.comment.text) for t, c in cells if c.comment is not None))


def marks(path: Path) -> set[tuple[str, str]]:
    """(sheet, cell) of every officer cell with one of our fills."""
    return set(_look(path, path.stat().st_mtime_ns)[0])


def comments(path: Path) -> dict[tuple[str, str], str]:
    return dict(_look(path, path.stat().st_mtime_ns)[1])


def results_rows(path: Path) -> dict[str, dict[str, object]]:
    """核查结果 by finding id: column key -> value."""
    ws = openpyxl.load_workbook(path)[RESULTS]
    keys = [c.key for c in L.RESULTS_COLUMNS]
    return {row[L.RESULTS_COLUMN["id"]]: dict(zip(keys, row, strict=False))
            for row in ws.iter_rows(min_row=2, values_only=True)}


def _facts(result) -> list[tuple]:
    return [(f.id, f.severity, f.stated, f.recomputed, f.difference, f.cell) for f in result.findings]


# --------------------------------------------------------------------------- a checked copy checks like the original


def test_mark_fills_are_no_template_colour():
    from evaltool.workbook.template import INPUT_FILL, NA_FILL, STATED_FILL

    assert not {f.lstrip("#") for f in (INPUT_FILL, STATED_FILL, NA_FILL)} & set(MARK_FILLS)


def test_a_checked_copy_checks_exactly_like_the_original(checked):
    assert _facts(check_file(checked)) == _facts(check_file(MISTAKES))


def test_unmark_gives_each_marked_cell_its_own_earlier_format(checked):
    parts = read_package(str(checked))
    marker = read_marker(parts)
    assert marker is not None and marker["fills"] == list(MARK_FILLS)
    clean = unmark(parts, MARK_FILLS)
    sheets = sheet_parts(as_zip(clean))
    for cell in marker["cells"]:
        data = clean[sheets[cell["sheet"]]].decode("utf-8")
        s = re.search(rf'<c r="{cell["cell"]}"[^>]*?\ss="(\d+)"', data)
        assert s is not None and int(s[1]) == cell["xf"], cell
    assert unmark(read_package(str(MISTAKES)), MARK_FILLS) == read_package(str(MISTAKES))  # an original: as is


THEME_FILL = ('<fill><patternFill patternType="solid"><fgColor theme="4" tint="0.7999"/><bgColor indexed="64"/>'
              "</patternFill></fill>")
DOUBLE_BORDER = '<border><left style="double"><color rgb="FF00B050"/></left><right/><top/><bottom/><diagonal/></border>'


def _styles_items(styles: str, name: str, item: str) -> list[str]:
    block = re.search(rf"<{name}[^>]*>(.*?)</{name}>", styles, re.S)[1]
    return re.findall(rf"<{item}\b[^>]*?(?:/>|>.*?</{item}>)", block, re.S)


@pytest.mark.parametrize("record", ["as marked", "not in the part", "not recorded"])
def test_a_marked_cell_whose_own_format_is_gone_gets_its_own_fill_and_border_back(checked, record):
    """A re-save drops a format no cell uses any more (the marked cell's own, when it was its only user):
    with no format to go back to, the marked one keeps its other properties and gets back the fill and the
    border the marker recorded for the cell (added to the part when the part has none equal: a theme fill
    by its XML, not taken for another theme colour, nor is a format equal but for such a fill); a copy whose
    marker recorded no border (made before it did) keeps the border, and loses our fill."""
    parts = read_package(str(checked))
    marker = read_marker(parts)
    cell = next(c for c in marker["cells"] if (c["sheet"], c["cell"]) == ("收支情况", "C5"))
    assert "<border" in cell["border"] and "thin" in cell["border"]  # the template's own border, recorded
    if record != "as marked":
        cell.update(fill=THEME_FILL, border=DOUBLE_BORDER)
        if record == "not recorded":
            del cell["border"]
        write_marker(parts, marker)
        # Another theme colour in the part: a theme fill has no RGB, so only its XML tells the two apart.
        other = THEME_FILL.replace('tint="0.7999"', 'tint="0.3999"').encode()
        styles = parts["xl/styles.xml"]
        count = int(re.search(rb'<fills count="(\d+)"', styles)[1])
        styles = styles.replace(b'<fills count="%d">' % count, b'<fills count="%d">' % (count + 1), 1)
        parts["xl/styles.xml"] = styles.replace(b"</fills>", other + b"</fills>", 1)
    sheet = sheet_parts(as_zip(parts))["收支情况"]
    ours = int(re.search(rb'<c r="C5"[^>]*?\ss="(\d+)"', parts[sheet])[1])
    # Our format made unlike every other, so that no format of the officer's matches it.
    styles = parts["xl/styles.xml"].decode("utf-8")
    mine = _styles_items(styles, "cellXfs", "xf")[ours]
    assert 'quotePrefix="0"' in mine
    unlike = mine.replace('quotePrefix="0"', 'quotePrefix="1"')
    styles = styles.replace(mine, unlike, 1)
    if record != "as marked":  # and an officer's format equal to it but for its fill, of the other theme colour
        twin = re.sub(r'fillId="\d+"', f'fillId="{len(_styles_items(styles, "fills", "fill")) - 1}"', unlike, count=1)
        n = len(_styles_items(styles, "cellXfs", "xf"))
        styles = styles.replace(f'<cellXfs count="{n}">', f'<cellXfs count="{n + 1}">', 1).replace(
            "</cellXfs>", twin + "</cellXfs>", 1)
    parts["xl/styles.xml"] = styles.encode()
    before = _styles_items(parts["xl/styles.xml"].decode(), "borders", "border")

    clean = unmark(parts, MARK_FILLS)
    styles = clean["xl/styles.xml"].decode("utf-8")
    now = int(re.search(r'<c r="C5"[^>]*?\ss="(\d+)"', clean[sheet].decode("utf-8"))[1])
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', _styles_items(styles, "cellXfs", "xf")[now].split(">")[0]))
    fills, borders = _styles_items(styles, "fills", "fill"), _styles_items(styles, "borders", "border")
    assert now != ours and attrs["quotePrefix"] == "1"  # the marked format's other properties kept
    assert fills[int(attrs["fillId"])] == cell["fill"]
    if record == "not recorded":
        assert borders[int(attrs["borderId"])] == before[int(attrs["borderId"])] and "style=\"double\"" not in styles
    else:
        assert borders[int(attrs["borderId"])] == cell["border"]
    assert len(re.findall(r'<fills count="(\d+)"', styles)) == 1 and int(
        re.search(r'<fills count="(\d+)"', styles)[1]) == len(fills)
    assert int(re.search(r'<borders count="(\d+)"', styles)[1]) == len(borders)
    assert int(re.search(r'<cellXfs count="(\d+)"', styles)[1]) == len(_styles_items(styles, "cellXfs", "xf"))


def test_a_marked_cell_whose_own_format_is_gone_does_not_take_a_twin_of_another_colour(checked):
    """运行成本!D5 (blue, 填报) was its format's only user: a LibreOffice re-save drops that format, and the
    yellow input format of the amounts beside it is equal but for its fill. The cell gets its own blue back,
    not the yellow of a cell to fill in."""
    parts = read_package(str(checked))
    cell = next(c for c in read_marker(parts)["cells"] if (c["sheet"], c["cell"]) == ("运行成本", "D5"))
    styles = parts["xl/styles.xml"].decode("utf-8")
    xfs = _styles_items(styles, "cellXfs", "xf")
    own = xfs[cell["xf"]]
    blue = [x for x in xfs if x.split(">")[0] == own.split(">")[0]]  # the cell's own and its unused duplicates
    assert 'quotePrefix="0"' in own and len(blue) > 1
    # The re-save's effect: no format of the cell's own look is left to go back to.
    parts["xl/styles.xml"] = styles.replace(own, own.replace('quotePrefix="0"', 'quotePrefix="1"')).encode()
    sheet = sheet_parts(as_zip(parts))["运行成本"]

    clean = unmark(parts, MARK_FILLS)
    styles = clean["xl/styles.xml"].decode("utf-8")
    now = int(re.search(r'<c r="D5"[^>]*?\ss="(\d+)"', clean[sheet].decode("utf-8"))[1])
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', _styles_items(styles, "cellXfs", "xf")[now].split(">")[0]))
    assert "DDEBF7" in cell["fill"] and _styles_items(styles, "fills", "fill")[int(attrs["fillId"])] == cell["fill"]


def test_the_marker_names_each_fill_and_border_once_and_reads_back_as_before(checked):
    """A marked cell's earlier fill and border are kept once in the marker ("looks") and named by index;
    read back, each cell has its XML again, as does a marker written before the table."""
    from evaltool.workbook import marker as marker_module
    from evaltool.workbook.marker import marker_in

    parts = read_package(str(checked))
    raw = re.findall(rb"<vt:lpwstr>(.*?)</vt:lpwstr>", parts["docProps/custom.xml"], re.S)
    text = "".join(X.unescape(piece.decode("utf-8")) for piece in raw[1:])
    stored = json.loads(text)
    assert len(stored["looks"]) == len(set(stored["looks"])) < 2 * len(stored["cells"])
    assert all(isinstance(c["fill"], int) and isinstance(c["border"], int) for c in stored["cells"])
    marker = read_marker(parts)
    assert "looks" not in marker and all(c["fill"].startswith("<fill") and c["border"].startswith("<border")
                                         for c in marker["cells"])
    # An older copy's marker: each cell's fill XML in the cell itself, no table, no border.
    legacy = {**marker, "cells": [{k: v for k, v in c.items() if k != "border"} for c in marker["cells"]]}
    old = dict(parts)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(marker_module, "_LOOKS", ())
        write_marker(old, legacy)
    assert b"looks" not in old["docProps/custom.xml"] and b"&lt;fill&gt;" in old["docProps/custom.xml"]
    assert marker_in(as_zip(old))["cells"] == legacy["cells"]


def test_recheck_without_changes_marks_the_same_cells_once(checked, tmp_path):
    again = tmp_path / "again.xlsx"
    write_checked(check_file(checked), str(again))
    assert marks(again) == marks(checked)
    ours = {k: v for k, v in comments(again).items()}
    assert ours == comments(checked)
    assert all(text.count("[") == comments(checked)[k].count("[") for k, text in ours.items())


def test_a_recheck_uses_the_earlier_mark_formats_again(checked, tmp_path):
    """Re-checking a copy ten times does not leave ten sets of mark formats in its styles: the formats,
    fills and borders an earlier check added are found byte for byte and used again."""
    again = tmp_path / "again.xlsx"
    write_checked(check_file(checked), str(again))
    before, after = (read_package(str(p))["xl/styles.xml"] for p in (checked, again))
    assert after == before
    assert marks(again) == marks(checked)


# --------------------------------------------------------------------------- the whole loop


def test_the_loop_ends_ready_with_no_stale_mark(checked, tmp_path):
    path = _copy(checked, tmp_path)
    edit(path, CORRECTIONS, {code: {"explain": text} for code, text in EXPLAINED.items()})
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == "可报送：强制性错误 0 个，未说明的提示 0 个，已说明的提示 2 个"
    out = tmp_path / "自评表.checked-2.xlsx"  # beside its input, which is never overwritten
    assert str(out) in result.output
    assert marks(out) == set() and comments(out) == {}  # explained warnings are not marked either
    package = read_package(str(out))  # no empty comments part or note drawing left behind
    assert not [n for n in package if "comments" in n or n.endswith(".vml")]
    assert not any(b"legacyDrawing" in data for name, data in package.items() if name.startswith("xl/worksheets/"))
    rows = results_rows(out)
    assert rows[SUM02]["explain"] == EXPLAINED["SUM02"] and rows[SUM02]["state"] == "已说明的提示"
    assert rows[PUB01]["state"] == "已说明的提示"
    summary = [[c.value for c in row] for row in openpyxl.load_workbook(out)["核查汇总"].iter_rows(max_row=3)]
    assert summary[1][:2] == ["结论", "可报送：强制性错误 0 个，未说明的提示 0 个，已说明的提示 2 个"]
    # The officer's corrected figures, in their own formats.
    wb = openpyxl.load_workbook(out)
    assert wb["收支情况"]["C5"].value == pytest.approx(0.8132) and wb["收支情况"]["C5"].number_format == "0.00%"
    # Checked once more: still ready, and the numbering goes on.
    third = CliRunner().invoke(main, ["check", str(out)])
    assert third.exit_code == 0 and (tmp_path / "自评表.checked-3.xlsx").is_file()
    assert third.output.splitlines()[-1] == lines[-1]


def test_fixed_cells_lose_their_green_on_recheck_and_keep_their_format(tmp_path):
    src = tmp_path / "book.xlsx"
    shutil.copy(MISTAKES, src)
    fixed = tmp_path / "book.fixed.xlsx"
    write_checked(check_file(src), str(fixed), fix=True)
    assert ("收支情况", "C5") in marks(fixed)
    again = tmp_path / "again.xlsx"
    write_checked(check_file(fixed), str(again))
    assert ("收支情况", "C5") not in marks(again) and ("收支情况", "C5") not in comments(again)
    c5 = openpyxl.load_workbook(again)["收支情况"]["C5"]
    assert c5.value == pytest.approx(0.8132) and c5.number_format == "0.00%"
    assert ("运行成本", "C13") in marks(again)  # an input error stays marked


def test_our_comments_go_when_a_resave_dropped_their_author(tmp_path):
    """LibreOffice writes comments back without their author: ours are still known by their lines, also a
    corrected cell's, whose first line is the note 已按重算值更正 and the finding's line comes second."""
    src = tmp_path / "book.xlsx"
    shutil.copy(MISTAKES, src)
    fixed = tmp_path / "book.fixed.xlsx"
    write_checked(check_file(src), str(fixed), fix=True)
    parts = read_package(str(fixed))
    names = [n for n in parts if re.search(r"xl/comments\d+\.xml$", n)]
    assert names and all(b"<author>evaltool</author>" in parts[n] for n in names)
    for name in names:
        parts[name] = parts[name].replace(b"<author>evaltool</author>", b"<author> </author>")
    clean = unmark(parts, MARK_FILLS)
    assert not [n for n in names if n in clean and b"<comment " in clean[n]]


def test_the_officers_comment_stays_and_ours_goes(tmp_path):
    filler = with_mistakes()
    ws = filler.wb["收支情况"]
    ws["C5"].comment = openpyxl.comments.Comment("按初稿计算", "吴家峰")
    ws["A1"].comment = openpyxl.comments.Comment("表头照抄决算", "吴家峰")
    src, first, second = tmp_path / "a.xlsx", tmp_path / "a.checked.xlsx", tmp_path / "b.xlsx"
    filler.save(src)
    write_checked(check_file(src), str(first))
    assert "[SHR01" in comments(first)[("收支情况", "C5")]
    edit(first, {("收支情况", "C5"): 0.8132})
    write_checked(check_file(first), str(second))
    after = comments(second)
    assert after[("收支情况", "C5")] == "按初稿计算" and after[("收支情况", "A1")] == "表头照抄决算"
    assert not any("[" in text for text in after.values() if "SHR01" in text)


def test_a_review_of_other_figures_goes_back_to_pending(checked, tmp_path):
    """The 财政局 accepted PUB01 at one date; the officer changed the date: that 认可 was of other figures."""
    path = _copy(checked, tmp_path)
    edit(path, {("信息公开", "B6"): dt.datetime(2023, 2, 25)}, {"PUB01": {"review": "认可", "review_note": "已核"}})
    result = check_file(path)
    assert (result.reviews[PUB01].conclusion, result.reviews[PUB01].note) == (None, "已核")


# --------------------------------------------------------------------------- explanations


def test_a_changed_figure_reopens_an_explanation(checked, tmp_path):
    path = _copy(checked, tmp_path)
    edit(path, {("信息公开", "B6"): dt.datetime(2023, 2, 25)}, {"PUB01": {"explain": EXPLAINED["PUB01"]}})
    result = check_file(path)
    pub = next(f for f in result.findings if f.id == PUB01)
    assert result.state(pub) is State.UNEXPLAINED and result.reopened == {PUB01: EXPLAINED["PUB01"]}
    out = tmp_path / "out.xlsx"
    write_checked(result, str(out))
    row = results_rows(out)[PUB01]
    assert row["state"] == "值已变化，请重新说明" and row["explain"] == EXPLAINED["PUB01"]
    assert row["digest"] == digest(pub)
    # Explained again against the new figures: it counts.
    edit(out, rows={"PUB01": {"explain": "预算批复后因系统升级延迟公开 38 天，已报财政局备案"}})
    assert check_file(out).state(pub) is State.EXPLAINED


def test_a_placeholder_does_not_explain_and_a_rule_set_may_say_otherwise(checked, tmp_path):
    path = _copy(checked, tmp_path)
    edit(path, rows={"PUB01": {"explain": "已核实。"}, "SUM02": {"explain": "无"}})
    result = check_file(path)
    assert result.explanations == {PUB01: "已核实。", SUM02: "无"}
    assert result.tally()[State.EXPLAINED] == 0
    assert not substantive("  正常 ") and not substantive("已核实无误") and substantive("系上年结转资金")
    text = (ROOT / "evaltool/scoring/rulesets/guangdong-county-2023.toml").read_text("utf-8")
    county = tmp_path / "本县.toml"
    county.write_text(text + '\n[explanations]\nplaceholders = ["无"]\nmin_length = 2\n', "utf-8")
    lenient = check_file(path, load_ruleset(str(county)))
    states = {f.id: lenient.state(f) for f in lenient.findings}
    assert states[PUB01] is State.EXPLAINED and states[SUM02] is State.UNEXPLAINED


@pytest.mark.parametrize(("table", "key"), [
    ('[explanations]\nplaceholders = "无"\n', "ruleset.explanations_placeholders"),
    ("[explanations]\nmin_length = 0\n", "ruleset.explanations_min_length"),
    ("[explanations]\nmin_length = true\n", "ruleset.explanations_min_length"),
    ("[explanations]\nwords = []\n", "ruleset.unknown_keys"),
    ("explanations = 3\n", "ruleset.explanations_not_table"),
])
def test_a_rule_sets_explanations_table_is_checked(tmp_path, table, key):
    from evaltool.scoring.ruleset import RuleSetError

    text = (ROOT / "evaltool/scoring/rulesets/guangdong-county-2023.toml").read_text("utf-8")
    county = tmp_path / "本县.toml"
    head, _, rest = text.partition("\n[[indicator]]\n")  # a top-level key goes before the first indicator
    county.write_text(f"{head}\n{table}\n[[indicator]]\n{rest}" if table.startswith("explanations =")
                      else f"{text}\n{table}", "utf-8")
    with pytest.raises(RuleSetError) as raised:
        load_ruleset(str(county))
    assert raised.value.key == key


def test_an_english_copy_is_read_back_too(tmp_path):
    src, out = tmp_path / "book.xlsx", tmp_path / "book.checked.xlsx"
    shutil.copy(MISTAKES, src)
    write_checked(check_file(src), str(out), lang="en")
    wb = openpyxl.load_workbook(out)
    ws = wb[RESULTS]
    col = {c.value: c.column for c in ws[1]}
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "SUM02")
    ws.cell(row, col["Explanation"]).value = EXPLAINED["SUM02"]
    ws.cell(row, col["Review"]).value = "accepted"
    wb.save(out)
    result = check_file(out)
    assert result.explanations == {SUM02: EXPLAINED["SUM02"]} and result.reviews[SUM02].conclusion == "accepted"


def test_an_error_cannot_be_explained_away(checked, tmp_path):
    path = _copy(checked, tmp_path)
    edit(path, rows={"SHR01": {"explain": "按部门决算报表口径填列，数字无误"}})
    result = check_file(path)
    shr = next(f for f in result.findings if f.code == "SHR01")
    assert result.state(shr) is State.ERROR and result.verdict is Verdict.FAIL and result.exit_code == 1
    assert result.explanations[shr.id] == "按部门决算报表口径填列，数字无误"  # kept, shown, not counted


def test_reviewer_columns_survive_a_recheck(checked, tmp_path):
    path = _copy(checked, tmp_path)
    edit(path, rows={"SUM02": {"review": "退回", "review_note": "请附决算报表"}, "PUB01": {"review": "认可"}})
    result = check_file(path)
    assert result.reviews[SUM02].conclusion == "returned" and result.reviews[SUM02].note == "请附决算报表"
    assert result.review_counts() == {"pending": 9, "accepted": 1, "returned": 1}
    out = tmp_path / "out.xlsx"
    write_checked(result, str(out))
    rows = results_rows(out)
    shown = (rows[SUM02]["review"], rows[SUM02]["review_note"], rows[PUB01]["review"])
    assert shown == ("退回", "请附决算报表", "认可")
    doc = json.loads(CliRunner().invoke(main, ["check", str(out), "--format", "json", "-o",
                                               str(tmp_path / "j.xlsx")]).output)
    entry = doc["files"][0]
    assert entry["reviews"] == {"pending": 9, "accepted": 1, "returned": 1}
    assert next(f for f in entry["findings"] if f["id"] == SUM02)["review"] == {"conclusion": "returned",
                                                                                "note": "请附决算报表"}


def test_a_conclusion_typed_past_the_drop_down_is_kept_in_the_note(checked, tmp_path):
    """审核结论 typed as a word the drop-down does not offer (同意, pasted or typed in LibreOffice, which
    the API and a paste let through) is not lost: it heads 审核意见, and the conclusion is 待审."""
    path = _copy(checked, tmp_path)
    edit(path, rows={"SUM02": {"review": "同意", "review_note": "请附决算报表"}, "PUB01": {"review": "不同意"}})
    result = check_file(path)
    assert result.reviews[SUM02] == Review(None, "同意\n请附决算报表")
    assert result.reviews[PUB01] == Review(None, "不同意")
    out = tmp_path / "out.xlsx"
    write_checked(result, str(out))
    again = check_file(out)  # and the next round keeps it as it is
    assert again.reviews[SUM02] == result.reviews[SUM02] and again.reviews[PUB01] == result.reviews[PUB01]


def test_the_county_summary_counts_verdicts_and_reviews_per_department(checked, tmp_path):
    folder = tmp_path / "收到"
    folder.mkdir()
    path = _copy(checked, folder)
    edit(path, CORRECTIONS, {"SUM02": {"explain": EXPLAINED["SUM02"], "review": "退回"}, "PUB01": {"review": "认可"}})
    summary = tmp_path / "汇总.xlsx"
    result = CliRunner().invoke(main, ["check", str(folder), "--out-dir", str(tmp_path / "out"),
                                       "--summary", str(summary)])
    assert result.exit_code == 0, result.output
    table = list(openpyxl.load_workbook(summary)["汇总"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(table) if r[0] == "排名")  # under the title and the date
    row = dict(zip(table[head], table[head + 1], strict=True))
    assert (row["核查结论"], row["其中未说明"], row["其中已说明"]) == ("通过（有未说明的提示）", 1, 1)
    assert (row["审核认可"], row["审核退回"], row["待审"]) == (1, 1, 0)


def test_ids_carry_the_year_and_survive_an_inserted_row(tmp_path):
    filler = with_mistakes()
    before = tmp_path / "before.xlsx"
    filler.save(before)
    name, first, _ = filler.position("funds", "funds", 1, "name")
    ws = filler.wb[name]
    ws.insert_rows(first)  # a project typed above the others
    for col, value in enumerate(("新增项目", 5, 5), start=1):
        ws.cell(first, col).value = value
    after = tmp_path / "after.xlsx"
    filler.save(after)
    old, new = check_file(before), check_file(after)
    fnd = [f for f in new.findings if f.code == "FND01"]
    assert [f.id for f in fnd] == ["FND01:funds.funds[县科协科普经费].rate:2023"]
    assert fnd[0].id in {f.id for f in old.findings} and fnd[0].cell != "D6"


# --------------------------------------------------------------------------- names and held-back checks


def test_a_checked_copy_checked_again_never_stacks_nor_overwrites(checked, tmp_path):
    path = _copy(checked, tmp_path)
    before = path.read_bytes()
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 1
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["自评表.checked-2.xlsx", "自评表.checked.xlsx"]
    out_dir = tmp_path / "out"
    assert CliRunner().invoke(main, ["check", str(path), "--out-dir", str(out_dir)]).exit_code == 1
    assert [p.name for p in out_dir.iterdir()] == ["自评表.checked.xlsx"]


def test_a_folder_skips_every_round_of_copies_beside_their_original(checked, tmp_path):
    shutil.copy(MISTAKES, tmp_path / "自评表.xlsx")
    for name in ("自评表.checked.xlsx", "自评表.checked-2.xlsx"):
        _copy(checked, tmp_path, name)
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json", "--out-dir", str(tmp_path / "o"),
                                       "-j", "1"])
    files = {Path(f["path"]).name: f["status"] for f in json.loads(result.output)["files"]}
    assert files == {"自评表.xlsx": "checked", "自评表.checked.xlsx": "skipped", "自评表.checked-2.xlsx": "skipped"}


def test_two_rounds_without_their_original_never_overwrite_one_another(checked, tmp_path):
    """Two rounds of a copy sent on their own: the latest is checked (into the next round not there yet),
    the earlier one is left alone and says why, and no file of the folder is written over."""
    first, second = _copy(checked, tmp_path), _copy(checked, tmp_path, "自评表.checked-2.xlsx")
    edit(second, rows={"SUM02": {"explain": EXPLAINED["SUM02"]}})
    before = {p.name: p.read_bytes() for p in (first, second)}
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json", "-j", "1"])
    assert {p.name: p.read_bytes() for p in (first, second)} == before
    files = {Path(f["path"]).name: f for f in json.loads(result.output)["files"]}
    assert files["自评表.checked-2.xlsx"]["status"] == "checked"
    assert files["自评表.checked.xlsx"]["skipped"] == {
        "key": "skip_earlier_round",
        "message": f"{first}：同一文件夹中有更新的一轮核查副本 自评表.checked-2.xlsx，只核查最新的一轮"}
    assert (tmp_path / "自评表.checked-3.xlsx").exists()


def test_an_earlier_round_checked_by_name_never_overwrites_a_later_one(checked, tmp_path):
    """Checking 自评表.checked.xlsx again when the officer already has 自评表.checked-2.xlsx (perhaps explained
    in) writes 自评表.checked-3.xlsx: the first round not there yet."""
    first, second = _copy(checked, tmp_path), _copy(checked, tmp_path, "自评表.checked-2.xlsx")
    edit(second, rows={"SUM02": {"explain": EXPLAINED["SUM02"]}})
    before = second.read_bytes()
    assert CliRunner().invoke(main, ["check", str(first)]).exit_code == 1
    assert second.read_bytes() == before and (tmp_path / "自评表.checked-3.xlsx").exists()


def test_shares_held_back_by_a_wrong_total_are_said_without_verbose(tmp_path):
    filler = with_mistakes()
    filler.set("finance", "income", "total", "amount", D("2800.00"))  # below its parts: an error
    path = tmp_path / "book.xlsx"
    filler.save(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    held = [line.strip() for line in result.output.splitlines() if "未核对：先修正" in line]
    assert held == ["2 项占比、比率未核对：先修正本年收入合计 金额（与分项不符）"]
    summary = [c.value for row in openpyxl.load_workbook(tmp_path / "book.checked.xlsx")["核查汇总"].iter_rows()
               for c in row]
    assert held[0] in summary


def test_warnings_only_pass_with_unexplained_then_ready(checked, tmp_path):
    path = _copy(checked, tmp_path)
    edit(path, CORRECTIONS)
    result = check_file(path)
    assert result.verdict is Verdict.PASS_UNEXPLAINED and result.exit_code == 0
    assert {f.code for f in result.findings if f.severity is Severity.WARNING} == set(EXPLAINED)
    output = CliRunner().invoke(main, ["check", str(path), "-o", str(tmp_path / "o.xlsx")]).output.splitlines()
    assert output[-1] == "通过（有未说明的提示）：强制性错误 0 个，未说明的提示 2 个，已说明的提示 0 个"
    assert "单位说明" in output[-2]


# --------------------------------------------------------------------------- through LibreOffice


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*extension is not supported")  # openpyxl reading LibreOffice's copy
def test_the_loop_through_libreoffice(checked, tmp_path):
    """The officer opens the checked copy in LibreOffice, corrects and explains, saves as .xlsx: figures,
    explanations and reviews survive, the re-check is ready to send with no stale mark or comment."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc to run this test")
    path = _copy(checked, tmp_path)
    edit(path, CORRECTIONS, {code: {"explain": text, "review": "认可"} for code, text in EXPLAINED.items()})
    plain = _copy(checked, tmp_path, "plain.checked.xlsx")
    outdir = tmp_path / "lo"
    run = subprocess.run([SOFFICE, "--headless", "--norestore", "--nolockcheck",
                          f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--convert-to", "xlsx",
                          "--outdir", str(outdir), str(path), str(plain)], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    resaved, plain_resaved = outdir / path.name, outdir / plain.name
    # Untouched but re-saved by LibreOffice: still checks like the original, its marks found again.
    again = check_file(plain_resaved)
    assert _facts(again) == _facts(check_file(MISTAKES))
    out = tmp_path / "plain.again.xlsx"
    write_checked(again, str(out))
    assert marks(out) == marks(checked)
    assert all(text.count("[") == comments(checked)[k].count("[") for k, text in comments(out).items())
    # Corrected and explained: ready to send, nothing stale.
    result = check_file(resaved)
    assert result.verdict is Verdict.READY, [(f.code, result.state(f)) for f in result.findings]
    assert result.explanations == {SUM02: EXPLAINED["SUM02"], PUB01: EXPLAINED["PUB01"]}
    assert {r.conclusion for r in result.reviews.values()} == {"accepted"}
    final = tmp_path / "final.xlsx"
    write_checked(result, str(final))
    assert marks(final) == set() and comments(final) == {}


@pytest.mark.slow
def test_a_fixed_copy_resaved_by_libreoffice_checks_clean_again(tmp_path):
    """A --fix copy re-saved by LibreOffice (which drops comment authors, splits a comment into runs by script
    and drops formats no cell uses) and checked again: the corrected cells are back in their own colour with
    no comment of ours left, and the officer's own comment on a corrected cell stays, alone."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc to run this test")
    filler = with_mistakes()
    filler.wb["收支情况"]["C5"].comment = openpyxl.comments.Comment("按初稿计算", "吴家峰")
    src, fixed = tmp_path / "book.xlsx", tmp_path / "book.checked.xlsx"
    filler.save(src)
    write_checked(check_file(src), str(fixed), fix=True)
    outdir = tmp_path / "lo"
    run = subprocess.run([SOFFICE, "--headless", "--norestore", "--nolockcheck",
                          f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--convert-to", "xlsx",
                          "--outdir", str(outdir), str(fixed)], capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    again = tmp_path / "again.xlsx"
    write_checked(check_file(outdir / fixed.name), str(again))
    corrected = {("收支情况", "C5"), ("运行成本", "D5"), ("专项资金", "D6"), ("绩效目标", "G6")}
    assert not corrected & marks(again)
    assert {k: v for k, v in comments(again).items() if k in corrected} == {("收支情况", "C5"): "按初稿计算"}
    wb, original = openpyxl.load_workbook(again), openpyxl.load_workbook(src)
    assert {k: wb[k[0]][k[1]].fill.fgColor.rgb for k in corrected} == {
        k: original[k[0]][k[1]].fill.fgColor.rgb for k in corrected}


def test_a_reports_verdict_counts_its_errors(tmp_path):
    report = tmp_path / "自评报告.txt"
    report.write_text("本单位2023年整体收入2914.41万元，其中，财政拨款收入2369.93万元，占总收入的81.33%；"
                      "其他收入544.48万元，占总收入的18.68%。\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(report)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1].startswith("未通过：强制性错误 1 个")
    doc = json.loads(CliRunner().invoke(main, ["check", str(report), "--format", "json"]).output)
    assert doc["files"][0]["verdict"] == "fail" and doc["files"][0]["states"]["error"] == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reports_warnings_are_not_sent_to_a_results_sheet_it_has_not(tmp_path, lang):
    """A report's copy is a Word document without 核查结果: its warnings are corrected, not explained there."""
    report = tmp_path / "自评报告.txt"
    report.write_text("一、部门职能\n1、拟订政策。\n3、组织实施。\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(report), "--lang", lang])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == tr("verdict_line", lang, verdict=tr("verdict_word_pass_unexplained", lang), errors=0,
                           unexplained=1, explained=0)
    assert lines[-2] == tr("verdict_next_pass_unexplained_report", lang)
    workbook = CliRunner().invoke(main, ["check", str(MISTAKES), "-o", str(tmp_path / "c.xlsx"),
                                         "--ignore", "IN,SHR,CST,FND,GOL,LIM,BAS,SCO", "--lang", lang])
    assert workbook.output.splitlines()[-2] == tr("verdict_next_pass_unexplained", lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_console_shows_each_warnings_explanation_and_whether_it_counts(checked, tmp_path, lang):
    """Which warnings are explained, which explanation does not count and which reopened, under each line (the
    verdict line alone gave only the numbers)."""
    copy = _copy(checked, tmp_path)
    edit(copy, rows={"SUM02": {"explain": EXPLAINED["SUM02"]}, "PUB01": {"explain": "无"}})
    lines = CliRunner().invoke(main, ["check", str(copy), "--lang", lang]).output.splitlines()
    after = {code: lines[i + 1].strip() for i, line in enumerate(lines) for code in ("SUM02", "PUB01", "BAS02")
             if line.startswith(f"  {code} ")}
    assert after["SUM02"] == tr("console_explained", lang, text=EXPLAINED["SUM02"])
    assert after["PUB01"] == tr("console_not_explained", lang, text="无")
    assert not after["BAS02"].startswith(tr("console_explained", lang, text="")[:2])  # nothing typed: no line
    edit(copy, cells={("收支情况", "B5"): 2369.95})  # SUM02's figures change, still within the rounding tail
    lines = CliRunner().invoke(main, ["check", str(copy), "--lang", lang]).output.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("  SUM02 "))
    assert lines[i + 1].strip() == tr("console_reopened", lang, text=EXPLAINED["SUM02"])
