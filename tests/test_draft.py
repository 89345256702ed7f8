"""``evaltool draft``: the 自评报告 from a workbook — its outline, its recomputed figures, its marks, its
fonts, the refusal of a workbook with errors, a county's template checked before use."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st
from test_fuzz import CELLS, FORMATS, VALUES, _workbook

from evaltool.checker import check_file
from evaltool.cli import main
from evaltool.narrative import standard
from evaltool.narrative.content import DOUBTFUL, MISSING, VARIABLES
from evaltool.narrative.draft import load_template, write_draft
from tests.fillers import seed

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "fengshun-2023.xlsx"
MISTAKES = ROOT / "samples" / "fengshun-2023-with-mistakes.xlsx"
SEED_V1 = ROOT / "tests" / "data" / "fengshun-2023-v1.xlsx"


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def draft(book: Path, folder: Path, *args: object) -> tuple[object, Path]:
    """Run ``evaltool draft`` on a copy of ``book`` in ``folder``; the result and the report's path."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / book.name
    shutil.copy(book, copy)
    return invoke("draft", copy, *args), folder / f"{book.stem}.自评报告.docx"


def paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph of the body, tables' cells included, in document order."""
    document = docx.Document(str(path))
    out = []
    for p in document.element.body.iter(qn("w:p")):
        style = p.pPr.pStyle.val if p.pPr is not None and p.pPr.pStyle is not None else "Normal"
        out.append((style, "".join(t.text or "" for t in p.iter(qn("w:t")))))
    return out


def texts(path: Path) -> list[str]:
    return [text for _, text in paragraphs(path)]


def tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in docx.Document(str(path)).tables]


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory) -> Path:
    result, path = draft(SEED, tmp_path_factory.mktemp("seed"))
    assert result.exit_code == 0, result.output
    assert result.output == f"自评报告草稿已写入 {path}\n"  # no mark to fill in or verify
    return path


# --------------------------------------------------------------------------- the seed sample


OUTLINE = [
    ("Heading1", "一、部门基本情况"), ("Heading2", "（一）部门职能"), ("Heading2", "（二）年度总体工作和重点工作任务"),
    ("Heading2", "（三）部门整体支出绩效目标"), ("Heading2", "（四）部门整体支出情况（以决算数为统计口径）"),
    ("Heading1", "二、绩效自评情况"), ("Heading2", "（一）自评结论"), ("Heading2", "（二）部门整体支出绩效指标分析"),
    ("Heading3", "1.预算编制"), ("Heading3", "2.预算执行"), ("Heading3", "3.预算使用效益"),
    ("Heading2", "（三）存在问题及改进措施"), ("Heading3", "1.存在问题"), ("Heading3", "2.改进措施"),
    ("Heading1", "三、上年度绩效自评整改情况"), ("Heading2", "（一）存在问题"), ("Heading2", "（二）改进措施"),
]


def test_outline_headings_in_order(seed_report):
    found = [(style, text) for style, text in paragraphs(seed_report) if style in ("Heading1", "Heading2")
             or (style, text) in OUTLINE]
    assert found == OUTLINE
    body = texts(seed_report)
    assert body[:6] == ["部门整体支出绩效自评报告", "部门名称：（公章）丰顺县科工商务局", "所属下级预算单位数量：",
                        "填报人：吴家峰", "联系电话：0753-6888322", "填报日期：2024年7月12日"]
    # Every indicator of the rule set under its second-level heading, numbered ①② within it.
    assert ("Heading4", "（2）目标设置") in paragraphs(seed_report)
    assert ("Heading5", "②整体绩效指标明确性") in paragraphs(seed_report)
    assert sum(1 for style, _ in paragraphs(seed_report) if style == "Heading5") == 27


def share(part: str, total: str) -> str:
    """The share as DOMAIN §2 rounds it, computed here without evaltool."""
    return f"{(Decimal(part) / Decimal(total) * 100).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


def test_figure_sentences_are_the_recomputed_figures(seed_report):
    body = texts(seed_report)
    assert share("2369.93", "2914.41") == "81.32%" and share("544.48", "2914.41") == "18.68%"
    assert ("1、本单位2023年整体收入2914.41万元，其中，财政拨款收入2369.93万元，占总收入的81.32%；"
            "其他收入544.48万元，占总收入的18.68%。") in body
    assert ("2、本单位2023年整体支出2914.41万元，其中，基本支出1352.67万元，占总支出的46.41%；"
            "项目支出1561.74万元，占总支出的53.59%。") in body
    assert ("对照部门整体支出绩效自评指标评分标准，本部门2023年度部门整体支出绩效自评得分88分，自评等级为“良”，"
            "自评情况良好。") in body
    assert "其中，预算编制16分（分值20分），预算执行39分（分值40分），预算使用效益33分（分值40分）。" in body
    assert ("本单位2023年机关运行经费预算安排64.68万元，决算数为53.74万元，比当年预算数减少10.94万元，"
            "公用经费控制率83.09%。自评得5分（分值5分）。") in body
    assert ("本单位2023年“三公”经费实际支出数14.06万元，小于预算安排数30.00万元，“三公”经费控制率46.87%。"
            "自评得5分（分值5分）。") in body
    assert ("本单位2023年共有2个专项资金。其中：县科工商务局预算专项资金18.00万元，拨付18.00万元，拨付完成100%；"
            "县科协科普经费3.60万元，拨付3.60万元，拨付完成100%。合计21.60万元，拨付21.60万元，拨付完成100%。"
            "自评得4分（分值4分）。") in body
    # At the precision the workbook shows (0.0%), uncapped, and with the officer's reason.
    assert "制造业数字化转型升级企业数：实际完成值7家，年度指标值≥6家，完成率116.7%，超额完成任务。" in " ".join(body)
    # A bound (“大于90%”) is no exact rate: none is stated.
    assert "服务对象满意度：实际完成值大于90%，年度指标值≥90%。自评得4分（分值4分）。" in body
    assert ("部门整体绩效指标共3项。产出指标共2项：重点工作任务完成数≥13项、制造业数字化转型升级企业数≥6家；"
            "满意度指标共1项：服务对象满意度≥90%。") in body
    assert "本单位2023年度结转结余额与当年度预算总额的比率（结转结余率）为0%。自评得5分（分值5分）。" in body
    assert "本单位固定资产利用率≥90%。自评得3分（分值3分）。" in body


def test_every_percentage_and_amount_of_the_figures_is_a_recomputed_one(seed_report):
    """Outside the officer's own words, each % is a share or rate of the workbook recomputed here, and
    each 万元 an amount of the workbook or a difference of two."""
    body = texts(seed_report)
    start, end = body.index("（四）部门整体支出情况（以决算数为统计口径）"), body.index("二、绩效自评情况")
    figures = " ".join(body[start:end])
    shares = {share(a, t) for a, t in (("2369.93", "2914.41"), ("544.48", "2914.41"), ("1352.67", "2914.41"),
                                       ("1561.74", "2914.41"))}
    assert set(re.findall(r"\d+\.\d+%", figures)) == shares
    assert set(re.findall(r"(\d+\.\d+)万元", figures)) == {"2914.41", "2369.93", "544.48", "1352.67", "1561.74"}
    income, expense, scores = tables(seed_report)
    assert income == [["项目", "金额（万元）", "占比"], ["财政拨款收入", "2369.93", "81.32%"],
                      ["其他收入", "544.48", "18.68%"], ["本年收入合计", "2914.41", ""]]
    assert expense[1:] == [["基本支出", "1352.67", "46.41%"], ["项目支出", "1561.74", "53.59%"],
                           ["本年支出合计", "2914.41", ""]]
    rows = scores[1:-2]
    assert len(rows) == 27
    assert sum(Decimal(r[3]) for r in rows) == 100 and sum(Decimal(r[4]) for r in rows) == 88
    assert scores[-2:] == [["合计", "", "", "100", "88", ""], ["自评等级", "", "", "", "良", ""]]
    assert ["预算使用效益", "效率性", "重点工作完成率", "8", "6", "重点工作任务13项基本完成，未全部完成"] in rows


def test_texts_come_from_the_workbook_as_typed(seed_report):
    body = texts(seed_report)
    assert body[body.index("（一）部门职能") + 1].startswith("1、贯彻执行国家和省、市、县有关科学技术")
    assert "30、职能转变。" in body and "（1）深入推进简政放权。" in " ".join(body)
    assert "部门整体支出绩效自评不够细化，部门绩效管理不够科学，管理措施不够到位，项目绩效目标设定不够合理。" in body
    # Chinese punctuation as typed (the reader's NFKC would make “（境）” half-width).
    assert any("引进国（境）外智力" in t for t in body)
    assert MISSING not in " ".join(body) and DOUBTFUL not in " ".join(body)


def test_shares_are_not_forced_to_add_to_100(tmp_path):
    f = seed()
    for table, rows in (("income", ("fiscal", "superior", "other")), ("expense", ("basic", "project"))):
        for row in rows:
            f.set("finance", table, row, "amount", Decimal(1))
            f.set("finance", table, row, "share", None)
        f.set("finance", table, "total", "amount", Decimal(len(rows)))
    f.save(tmp_path / "thirds.xlsx")
    result, path = draft(tmp_path / "thirds.xlsx", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert ("1、本单位2023年整体收入3.00万元，其中，财政拨款收入1.00万元，占总收入的33.33%；上级补助收入1.00万元，"
            "占总收入的33.33%；其他收入1.00万元，占总收入的33.33%。") in texts(path)  # 99.99%: right


def test_draft_checked_against_its_workbook_has_no_finding(seed_report, tmp_path):
    """``evaltool check`` reads the draft's figures (RPT rules) and finds each equal to the workbook's."""
    result = invoke("check", seed_report, "--book", SEED, "--out-dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert "强制性错误 0 个，提示 0 个" in result.output
    verified = re.search(r"已核对 (\d+) 处数字说法", result.output)
    assert verified and int(verified.group(1)) >= 100, result.output
    # The marks of --force keep each figure whole: the checker still reads them.
    _, forced = draft(MISTAKES, tmp_path / "forced", "--force")
    result = invoke("check", forced, "--book", MISTAKES, "--out-dir", tmp_path / "forced")
    assert "强制性错误 0 个，提示 0 个" in result.output, result.output


# --------------------------------------------------------------------------- fonts


def test_gongwen_fonts_are_in_the_xml(seed_report):
    with zipfile.ZipFile(seed_report) as z:
        styles = z.read("word/styles.xml").decode()
    document = docx.Document(str(seed_report))

    def fonts(name: str) -> tuple[str | None, str | None, int | None, bool | None]:
        style = document.styles[name]
        rfonts = style.element.rPr.rFonts
        size = style.font.size.pt if style.font.size else None
        return rfonts.get(qn("w:eastAsia")), rfonts.get(qn("w:ascii")), size, style.font.bold

    assert fonts("Title") == ("方正小标宋简体", "Times New Roman", 22, False)  # 二号
    assert fonts("Normal") == ("仿宋_GB2312", "Times New Roman", 16, False)  # 三号
    assert fonts("Heading 1") == ("黑体", "Times New Roman", 16, False)
    assert fonts("Heading 2") == ("楷体_GB2312", "Times New Roman", 16, False)
    assert fonts("Heading 3") == ("仿宋_GB2312", "Times New Roman", 16, True)
    assert fonts("表格文字") == ("仿宋_GB2312", "Times New Roman", 12, False)  # 小四
    assert 'w:eastAsia="zh-CN"' in styles
    assert "Theme=" not in styles.split("<w:latentStyles")[0]  # no theme font overrides the names
    assert round(document.sections[0].top_margin.mm) == 37  # twips: 37.006 mm
    assert document.styles["Normal"].paragraph_format.line_spacing.pt == 28


# --------------------------------------------------------------------------- marks


def test_v1_workbook_drafts_with_placeholders(tmp_path):
    result, path = draft(SEED_V1, tmp_path)
    assert result.exit_code == 0, result.output
    body = texts(path)
    n = sum(t.count(MISSING) for t in body)
    assert f"草稿中有 {n} 处【请填写】、0 处【待核实】" in result.output and n == 7 + 18
    assert "用的是 v1 模板，没有“文字说明”表和“自评说明”列" in result.output
    for heading in ("（一）部门职能", "（二）年度总体工作和重点工作任务", "1.存在问题", "（二）改进措施"):
        assert body[body.index(heading) + 1] == MISSING, heading
    assert "【请填写】自评得5分（分值5分）。" in body  # a qualitative indicator without its 自评说明
    assert "本单位2023年机关运行经费预算安排64.68万元，决算数为53.74万元，比当年预算数减少10.94万元，" \
           "公用经费控制率83.09%。自评得5分（分值5分）。" in body  # figures need no text
    # Each mark in a run of its own, highlighted.
    runs = [r for r in docx.Document(str(path)).element.body.iter(qn("w:r"))
            if "".join(t.text or "" for t in r.iter(qn("w:t"))) == MISSING]
    assert len(runs) == n and all(r.rPr.highlight_val is not None for r in runs)


def test_workbook_with_errors_is_refused(tmp_path):
    result, path = draft(MISTAKES, tmp_path)
    assert result.exit_code == 1
    assert "SHR01  强制性  收支情况!C5（财政拨款收入 占比(填报)）填报 81.33%" in result.output
    assert result.output.rstrip().endswith("未生成自评报告：工作簿有 7 个强制性错误，请先修正（或加 --force 生成草稿，"
                                           "受错误影响的数字标为【待核实】）")
    assert not path.exists() and not list(tmp_path.glob("~$*"))
    en, _ = draft(MISTAKES, tmp_path / "en", "--lang", "en")
    assert en.exit_code == 1 and "Report not drafted: the workbook has 7 error(s) to fix first" in en.output


def test_force_marks_each_figure_an_error_touches(tmp_path):
    result, path = draft(MISTAKES, tmp_path, "--force")
    assert result.exit_code == 1 and path.exists()
    body = texts(path)
    marked = [t for t in body if DOUBTFUL in t]
    assert marked == [
        "填报日期：2023年12月20日【待核实】",  # BAS01
        "对照部门整体支出绩效自评指标评分标准，本部门2023年度部门整体支出绩效自评得分88分【待核实】，"
        "自评等级为“良【待核实】”，自评情况良好。",  # SCO03 on a row: the sum and its grade
        "其中，预算编制16分（分值20分），预算执行39分（分值40分），预算使用效益33分【待核实】（分值40分）。",
        "5【待核实】", "88【待核实】", "良【待核实】",  # the table
        "本单位2023年“三公”经费实际支出数32.50万元【待核实】，超过预算安排数30.00万元【待核实】，"
        "“三公”经费控制率108.33%【待核实】。自评得5分【待核实】（分值5分）。",  # LIM01 and SCO03
    ]
    # An error in an officer-stated share does not touch the report: it states the recomputed one.
    assert any("财政拨款收入2369.93万元，占总收入的81.32%；" in t for t in body)
    assert "草稿中有 0 处【请填写】、11 处【待核实】" in result.output


# --------------------------------------------------------------------------- a county's template


def county_template(path: Path, *lines: str) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def test_county_template_with_unknown_variables_is_refused(tmp_path):
    template = county_template(tmp_path / "county.docx", "{{ dept }}自评报告", "负责人：{{ leader }}",
                               "{% for p in finance %}{{ p }}{% endfor %}预算总额 {{ budget_total }}")
    result, path = draft(SEED, tmp_path / "zh", "--template", template)
    assert result.exit_code == 2 and not path.exists()
    refused = f"报告模板 {template} 用了本工具不提供的变量：budget_total、leader。可用的变量：dept、year、"
    assert refused in result.output
    en, _ = draft(SEED, tmp_path / "en", "--template", template, "--lang", "en")
    assert "uses variables this tool does not provide: budget_total, leader. Available: dept, year, " in en.output


@pytest.mark.parametrize(("lines", "zh", "en"), [
    (("{{ dept }",), "的模板标记有误", "has a tag error"),
    (("{{ score.totl }}",), "生成报告时出错：", "failed while the report was made: "),
])
def test_county_template_errors_are_messages(tmp_path, lines, zh, en):
    template = county_template(tmp_path / "county.docx", *lines)
    for lang, needle in (("zh", zh), ("en", en)):
        result, path = draft(SEED, tmp_path / lang, "--template", template, "--lang", lang)
        assert result.exit_code == 2 and needle in result.output and not path.exists(), result.output
        assert "Traceback" not in result.output and "UndefinedError" not in result.output
        assert "totl" in result.output or "{{ dept }" in lines[0]


@pytest.mark.parametrize("content", [b"not a word document", b"PK\x03\x04 truncated", b""])
def test_county_template_that_is_no_docx(tmp_path, content):
    template = tmp_path / "county.docx"
    template.write_bytes(content)
    result, _ = draft(SEED, tmp_path / "out", "--template", template)
    assert result.exit_code == 2 and "不是 Word 文档（.docx）" in result.output


def test_county_template_restyled_with_our_variables(tmp_path):
    template = county_template(tmp_path / "county.docx", "{{ dept }}{{ year }}年度自评报告",
                               "{%p for p in finance %}", "{{ p }}", "{%p endfor %}",
                               "得分：{{ score.total }}（{{ score.grade_word }}）")
    result, path = draft(SEED, tmp_path / "out", "--template", template)
    assert result.exit_code == 0, result.output
    assert texts(path) == ["丰顺县科工商务局2023年度自评报告",
                           "1、本单位2023年整体收入2914.41万元，其中，财政拨款收入2369.93万元，占总收入的81.32%；"
                           "其他收入544.48万元，占总收入的18.68%。",
                           "2、本单位2023年整体支出2914.41万元，其中，基本支出1352.67万元，占总支出的46.41%；"
                           "项目支出1561.74万元，占总支出的53.59%。",
                           "得分：88（良好）"]


def test_officer_text_is_escaped(tmp_path):
    f = seed()
    f.set("texts", "texts", "problems", "value", "资金<拨付>滞后 & 绩效跟踪不足\n第二段")
    f.save(tmp_path / "book.xlsx")
    result, path = draft(tmp_path / "book.xlsx", tmp_path / "out")
    assert result.exit_code == 0, result.output
    body = texts(path)
    at = body.index("1.存在问题")
    assert body[at + 1: at + 3] == ["资金<拨付>滞后 & 绩效跟踪不足", "第二段"]


# --------------------------------------------------------------------------- the command


def test_output_is_never_the_input_and_is_a_docx(tmp_path):
    copy = tmp_path / "book.docx"  # a workbook is known by its content, whatever its name
    shutil.copy(SEED, copy)
    before = copy.read_bytes()
    for output, needle in ((copy, "输出文件不能与输入文件相同"), (tmp_path / "r.pdf", "须写成 .docx")):
        result = invoke("draft", copy, "-o", output)
        assert result.exit_code == 2 and needle in result.output
    assert copy.read_bytes() == before
    result = invoke("draft", copy, "-o", tmp_path / "报告.docx")
    assert result.exit_code == 0 and (tmp_path / "报告.docx").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.docx", "报告.docx"]  # no temporary file left
    assert copy.read_bytes() == before


@pytest.mark.parametrize("content", [b"", b"plain text, not a workbook"])
def test_unreadable_workbook_exit_2(tmp_path, content):
    (tmp_path / "bad.xlsx").write_bytes(content)
    result = invoke("draft", tmp_path / "bad.xlsx")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "bad.自评报告.docx").exists()


# --------------------------------------------------------------------------- the standard template


def _parts(data: bytes | Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_committed_standard_template_is_what_its_generator_writes():
    buf = io.BytesIO()
    standard.build(buf)
    committed = Path(str(standard.STANDARD))
    assert _parts(committed) == _parts(buf.getvalue()), "stale: run `python -m evaltool.narrative.standard`"


def test_standard_template_uses_exactly_our_variables():
    from docxtpl import DocxTemplate

    used = DocxTemplate(str(standard.STANDARD)).get_undeclared_template_variables()
    assert used == set(VARIABLES) - {"year"}  # the year is in the sentences; a county may put it in a title


def test_readme_describes_every_variable():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## 自评报告 / Report draft"):]
    assert [v for v in VARIABLES if f"`{v}`" not in section] == []


# --------------------------------------------------------------------------- any workbook


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(CELLS), VALUES, FORMATS), min_size=1, max_size=6))
@example([(("goals", "goals", 0, "direction"), "定性", None)])  # a goal row with no rate at all
def test_any_value_in_any_input_cell_drafts_with_force(edits):
    """The fuzzer's workbooks (test_fuzz): each drafts, errors or not, and the report names no Python object."""
    made = _workbook(edits)
    if made is None:
        reject()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.xlsx"
        path.write_bytes(made[0])
        result = check_file(path)
        assert result.error is None
        out = Path(tmp) / "fuzz.docx"
        write_draft(result, str(out), load_template(None))
        body = " ".join(texts(out))
    assert "None" not in body and "Decimal(" not in body and "object at" not in body
