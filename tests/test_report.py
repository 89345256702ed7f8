"""``evaltool check`` on a 自评报告: the seed's text verifies with no error (its claims are a golden file),
.docx, PDF and text in any common encoding read alike, every unreadable file gets its own message (never a
traceback), the checked .docx marks and comments each finding, JSON validates, and a batch pairs a report
with the workbook of its department.

To accept a deliberate change of the seed's claims: ``EVALTOOL_UPDATE_GOLDEN=1 python -m pytest
tests/test_report.py`` and review the diff of tests/golden/seed-report-claims.txt.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from importlib import resources
from pathlib import Path

import hostile as H
import jsonschema
import pytest
from click.testing import CliRunner
from test_report_rules import SANGONG, SEED, marked, sub

from evaltool.cli import main
from evaltool.findings import Severity
from evaltool.narrative.check import check_report
from evaltool.narrative.text import normalise

GOLDEN = Path(__file__).resolve().parent / "golden" / "seed-report-claims.txt"
SCHEMA = json.loads((resources.files("evaltool.outputs") / "schema" / "check-v2.json").read_text("utf-8"))
ROOT = Path(__file__).resolve().parent.parent


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


# -- the seed -----------------------------------------------------------------------------------------


def test_the_seed_report_has_no_error_and_its_claims_are_golden():
    result = check_report(SEED)
    assert result.error is None
    assert [f for f in result.findings if f.severity is not Severity.INFO] == []
    verified = result.checked.verified
    assert all(v.finding is None for v in verified)
    lines = [f"{v.code}  {result.checked.report.paragraph(v.about[0].paragraph).line}  {v.claim}" for v in verified]
    arithmetic = [v for v in verified if v.code != "RPT06"]
    assert len(arithmetic) >= 14 and len(verified) >= 20
    text = "\n".join(lines) + "\n"
    if os.environ.get("EVALTOOL_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text("utf-8")


def test_the_seed_claims_include_every_figure_sentence_of_its_section_four():
    claims = {v.claim for v in check_report(SEED).checked.verified}
    assert {"2914.41万元 = 2369.93万元 + 544.48万元", "81.32% = 2369.93万元 ÷ 2914.41万元",
            "18.68% = 544.48万元 ÷ 2914.41万元", "2914.41万元 = 1352.67万元 + 1561.74万元",
            "46.41% = 1352.67万元 ÷ 2914.41万元", "53.59% = 1561.74万元 ÷ 2914.41万元",
            "53.74万元 − 64.68万元 = -10.94万元", "14.06万元 < 30万元", "100% = 18万 ÷ 18万",
            "100% = 3.60万元 ÷ 3.60万元", "7家: 7 listed (等)", "2个: 2 listed"} <= claims


def test_the_seed_against_its_workbook_ties_its_figures(tmp_path):
    from tests.fillers import seed

    f = seed()
    f.set("scores", "scores", "grade", "self", "良")  # the seed says 自评情况良好
    f.set("scores", "scores", "total", "self", __import__("decimal").Decimal(85))
    f.score("预算编制合理性", __import__("decimal").Decimal(0), "示例")
    f.score("预算编制规范性", __import__("decimal").Decimal(0), "示例")
    f.save(tmp_path / "book.xlsx")
    result = check_report(SEED, str(tmp_path / "book.xlsx"))
    assert [f for f in result.findings if f.severity is not Severity.INFO] == []
    tied = {v.claim for v in result.checked.verified if v.code in ("RPT11", "RPT12")}
    assert len(tied) >= 12, tied
    assert any("良好" in c for c in tied) and any("14.06万元" in c for c in tied)


# -- normalising --------------------------------------------------------------------------------------


def test_normalise_full_width_thousands_and_pdf_spaces():
    text, offsets = normalise("整体收入 ２，９１４．４１ 万元，占 81.32 ％； F2B 跨境 2023 2024")
    assert text == "整体收入2914.41万元,占81.32%;F2B跨境2023 2024"
    raw = "整体收入 ２，９１４．４１ 万元，占 81.32 ％； F2B 跨境 2023 2024"
    assert raw[offsets[text.index("2914.41")]] == "２" and len(offsets) == len(text)


def test_a_numbered_paragraph_wrapped_at_a_gongwen_line_is_joined(tmp_path):
    # A LibreOffice PDF of the draft: 28 汉字 a line, so the first line of "1、…" is short once its spaces go.
    # It held a figure, so it is no heading: read apart, 收入 2369.93万元 became the total of the shares.
    lines = ["1、本单位 2023 年整体收入 2914.41 万元，其中，财政拨款",
             "收入 2369.93 万元，占总收入的 81.32%；其他收入 544.48 万元，", "占总收入的 18.68%。",
             "2、本单位 2023 年整体支出 2914.41 万元，其中，基本支出 1352", ".67 万元，占总支出的 46.41%。",
             # Short lines cut inside a figure, before its unit, or after a comma go on too.
             "拨付 18 万，拨付完成 100%；县科协科普经费 3.", "60 万元，拨付 3.60 万元，拨付完成 100%，2",
             " 个项目按照年初预算执行。", "3、本单位 2023 年整体支出 2914.41 万元，",
             "其中，基本支出 1352.67 万元，占总支出的 46.",
             "41%。"]
    path = tmp_path / "自评报告.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = check_report(path)
    assert [f for f in result.findings if f.severity is not Severity.INFO] == []
    assert [p.line for p in result.checked.report.text.paragraphs] == [1, 4, 6, 9]
    claims = {v.claim for v in result.checked.verified}
    assert claims >= {"81.32% = 2369.93万元 ÷ 2914.41万元", "100% = 3.60万元 ÷ 3.60万元",
                      "46.41% = 1352.67万元 ÷ 2914.41万元"}


def test_a_pdf_line_as_wide_as_the_page_runs_on_and_a_line_starting_with_qizhong_continues(tmp_path):
    # The seed through LibreOffice's PDF: the first line is full (28 汉字 wide) though its half-width digits make it
    # fewer characters; 其中 starting a line goes on with the sentence before it (共有 2 个 … 。其中：…).
    lines = ["我局紧紧围绕市下达制造业数字化转型升级任务目标，积极推动华立",
             "风、鑫润、鑫华、梅州佳丰、东南金利、三和、辉旺电声等任务目",
             "和、辉旺电声等 7 家企业完成数字化转型升级，完成率",
             "116.7%，超额完成任务。",
             "本单位 2023 年共有 2 个县级预算专项资金(含县科协 1 个)。",
             "其中：县科工商务局预算专项资金 18 万，拨付 18 万，拨付",
             "完成 100%；县科协科普经费 3.60 万元，拨付 3.60 万元，拨", "付完成 100%。"]
    path = tmp_path / "自评报告.pdf.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = check_report(path)
    assert [p.line for p in result.checked.report.text.paragraphs] == [1, 5]
    claims = {v.claim for v in result.checked.verified}
    assert {"2个: 2 listed", "100% = 3.60万元 ÷ 3.60万元"} <= claims
    assert [f.label for f in result.checked.unchecked if f.unit == "%"] == ["完成率"]


# -- inputs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_in_every_common_encoding_reads_alike(tmp_path, encoding):
    path = tmp_path / "自评报告.txt"
    path.write_bytes(sub(SANGONG, "公务接待费5.50", "公务接待费5.60").encode(encoding))
    result = check_report(path)
    assert result.error is None
    assert [(f.code, marked(f)) for f in result.findings if f.severity is Severity.ERROR] == [("RPT01", "14.06万元")]


def _docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> None:
    import docx

    d = docx.Document()
    for text in paragraphs:
        p = d.add_paragraph()
        # Split into runs the way Word does, so a figure may straddle two runs.
        for piece in (text[: len(text) // 3], text[len(text) // 3:]):
            p.add_run(piece)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    d.save(path)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_docx_report_is_checked_and_its_copy_marks_and_comments_the_figure(tmp_path):
    import docx

    src = tmp_path / "自评报告.docx"
    bad = sub(SANGONG, "下降12.13%", "下降13.00%")
    _docx(src, ["（四）部门整体支出情况", bad], table=[["项目", "金额"], ["合计", "14.06"]])
    before = _sha(src)
    out = invoke("check", src)
    assert out.exit_code == 1
    assert "RPT04" in out.output and "第 2 段" in out.output and "13.00%" in out.output
    assert _sha(src) == before
    copy = tmp_path / "自评报告.checked.docx"
    d = docx.Document(str(copy))
    marked_runs = [r.text for p in d.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert "".join(marked_runs) == "13.00%"
    comments = list(d.comments)
    assert len(comments) == 1 and comments[0].text.startswith("RPT04 强制性：第 2 段")
    assert d.paragraphs[1].text == bad  # the officer's text unchanged, only split into runs


def test_line_breaks_inside_a_word_paragraph_are_wraps(tmp_path):
    # Shift+Enter (w:br) in Word, or a paragraph pasted from a PDF: the break may cut a figure (8|1.32%).
    import docx

    d = docx.Document()
    p = d.add_paragraph()
    for piece in ("1、本单位 2023 年整体收入 2914.41 万元，其中，财政拨款", "收入 2369.93 万元，占总收入的 8",
                  "1.32%；其他收入 544.48 万元，占总收入的 18.68%。"):
        p.add_run(piece).add_break()
    d.save(tmp_path / "自评报告.docx")
    result = check_report(tmp_path / "自评报告.docx")
    assert [f for f in result.findings if f.severity is not Severity.INFO] == []
    assert "81.32% = 2369.93万元 ÷ 2914.41万元" in {v.claim for v in result.checked.verified}


def test_every_cell_of_a_word_table_is_read_once(tmp_path):
    import docx

    src = tmp_path / "自评报告.docx"
    _docx(src, ["收入情况。"], table=[["项目", "金额"], ["合计", "21.6"], ["18", "3.6"], ["其他", "4"]])
    d = docx.Document(str(src))
    table = d.tables[0]
    table.cell(3, 0).merge(table.cell(3, 1))  # a merged cell once
    d.save(src)
    paragraphs = check_report(src).checked.report.text.paragraphs
    assert [p.text for p in paragraphs] == ["收入情况。", "项目", "金额", "合计", "21.6", "18", "3.6", "其他", "4"]


def test_a_word_document_with_a_paragraph_per_pdf_line_is_read_as_its_paragraphs(tmp_path):
    # A PDF turned into Word (WPS, or pasted): a paragraph mark ends every line, cutting figures (3.|60万元).
    import docx

    lines = ["本单位 2023 年共有 2 个县级预算专项资金(含县科协 1 个)。",
             "其中：县科工商务局预算专项资金 18 万，拨付 18 万，拨付",
             "完成 100%；县科协科普经费 3.", "60 万元，拨付 3.60 万元，拨付完成 10", "0%。"]
    src = tmp_path / "自评报告.docx"
    _docx(src, lines, table=[["项目", "金额"], ["合计", "21.6"], ["18", "3.6"]])
    result = check_report(src)
    # Joined as a PDF's lines are; a table's cells never are (21.6 | 18 would be one number).
    assert [p.text[:3] for p in result.checked.report.text.paragraphs] == ["本单位", "项目", "金额", "合计", "21.",
                                                                           "18", "3.6"]
    assert [f for f in result.findings if f.severity is not Severity.INFO] == []
    assert {"2个: 2 listed", "100% = 3.60万元 ÷ 3.60万元"} <= {v.claim for v in result.checked.verified}
    # A finding in a later Word paragraph of the joined ones is marked there.
    bad = tmp_path / "错.docx"
    _docx(bad, [*lines[:3], "60 万元，拨付 3.20 万元，拨付完成 10", "0%。"])
    out = invoke("check", bad)
    assert out.exit_code == 1 and "RPT09" in out.output
    copy = docx.Document(str(tmp_path / "错.checked.docx"))
    marked_runs = [(i, r.text) for i, p in enumerate(copy.paragraphs) for r in p.runs if r.font.highlight_color]
    assert marked_runs == [(3, "10")]  # where the figure starts


def test_a_long_title_and_an_unfinished_paragraph_of_a_word_document_stay_apart(tmp_path):
    title = "丰顺县科工商务局二〇二三年度部门整体支出绩效自评报告（部门整体支出）"
    body = "我局2023年度部门整体支出绩效自评情况良好，各项工作均按计划推进" * 3  # no 。 at its end
    src = tmp_path / "自评报告.docx"
    _docx(src, [title, "部门名称：（公章）丰顺县科工商务局", body, "存在问题：管理措施不够到位。"])
    report = check_report(src).checked.report
    assert report.department == "丰顺县科工商务局"
    assert len(report.text.paragraphs) == 4
    path = tmp_path / "自评报告.txt"  # the same as a PDF's lines: the title is no line of a paragraph either
    path.write_text("\n".join([title, "部门名称：（公章）丰顺县科工商务局", "整体收入2914.41万元。"]), "utf-8")
    assert check_report(path).checked.report.department == "丰顺县科工商务局"


def test_a_pdf_report_is_read_through_its_text_layer(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(0, 8, "（四）部门整体支出情况", new_x="LMARGIN", new_y="NEXT")
    # multi_cell wraps the long line: the reader joins the wrapped lines again.
    pdf.multi_cell(0, 8, sub(SANGONG, "公务接待费5.50", "公务接待费5.60"), new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "自评报告.pdf"
    pdf.output(str(path))
    result = check_report(path)
    assert result.error is None, result.error.render()
    errors = [(f.code, marked(f), f.position.page) for f in result.findings if f.severity is Severity.ERROR]
    assert errors == [("RPT01", "14.06万元", 1)]
    out = invoke("check", path, "-o", tmp_path / "checked.docx")
    assert out.exit_code == 1 and "第 1 页" in out.output and (tmp_path / "checked.docx").exists()


def test_page_numbers_of_a_text_copied_from_a_pdf_do_not_cut_its_paragraphs(tmp_path):
    path = tmp_path / "自评报告.txt"
    path.write_text("1、本单位 2023 年整体收入 2914.41 万元，其中，财政拨款收入 2369.93 万元，占总收\n\n— 1 —\n\n"
                    "入的 81.32%；其他收入 544.48 万元，占总收入的 18.68%。\n第 2 页，共 2 页\n", encoding="utf-8")
    result = check_report(path)
    assert [p.line for p in result.checked.report.text.paragraphs] == [1]
    assert "81.32% = 2369.93万元 ÷ 2914.41万元" in {v.claim for v in result.checked.verified}


def test_page_numbers_of_a_pdf_do_not_cut_its_paragraphs(tmp_path):
    # 公文 pages end with "— 1 —": read as text it ended the paragraph there and cut the 其中 list across the page.
    pdf = _pdf()
    pdf.set_auto_page_break(False)
    for lines, number in ((["1、本单位 2023 年整体收入 2914.41 万元，其中，财政拨款收入 2369.93 万元，占总收"], 1),
                          (["入的 81.32%；其他收入 544.48 万元，占总收入的 18.68%。"], 2)):
        pdf.add_page()
        pdf.set_font("cjk", size=11)
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(-20)
        pdf.cell(0, 8, f"— {number} —", align="C")
    path = tmp_path / "自评报告.pdf"
    pdf.output(str(path))
    result = check_report(path)
    assert result.error is None, result.error.render()
    assert [p.page for p in result.checked.report.text.paragraphs] == [1]
    assert [f for f in result.findings if f.severity is not Severity.INFO] == []
    assert "81.32% = 2369.93万元 ÷ 2914.41万元" in {v.claim for v in result.checked.verified}


def _font(*names: str) -> str | None:
    return next((f"/usr/share/fonts/{n}" for n in names if os.path.exists(f"/usr/share/fonts/{n}")), None)


def _pdf():
    """An fpdf document writing Chinese ("cjk") with a Latin fallback for digits (the CJK font lacks them);
    the test is skipped without fpdf or the fonts."""
    fpdf = pytest.importorskip("fpdf")
    cjk = _font("truetype/droid/DroidSansFallbackFull.ttf", "truetype/wqy/wqy-microhei.ttc")
    latin = _font("truetype/noto/NotoSansMono-Regular.ttf", "truetype/dejavu/DejaVuSans.ttf")
    if cjk is None or latin is None:
        pytest.skip("no CJK and Latin fonts to write a PDF with (fonts-droid-fallback, fonts-noto-mono)")
    pdf = fpdf.FPDF()
    pdf.add_font("cjk", fname=cjk)
    pdf.add_font("latin", fname=latin)
    pdf.set_fallback_fonts(["latin"])
    return pdf


def _docx_bytes(tmp_path: Path) -> bytes:
    _docx(tmp_path / "src.docx", [SANGONG])
    return (tmp_path / "src.docx").read_bytes()


UNREADABLE = {
    "old .doc": (lambda tmp: H.ole_file(("WordDocument", "1Table")), "自评报告.doc", "旧版 Word"),
    "WPS 文字": (lambda tmp: H.ole_file(("WordDocument",)), "自评报告.wps", "WPS 文字"),
    "encrypted .docx": (lambda tmp: H.ole_file(("EncryptionInfo", "EncryptedPackage")), "自评报告.docx", "已加密"),
    "zip bomb": (lambda tmp: H.rezip(_docx_bytes(tmp), add={"word/media/pad.bin": bytes(64 * 1024 * 1024)}),
                 "自评报告.docx", "异常巨大"),
    "XML bomb": (lambda tmp: H.rezip(_docx_bytes(tmp), edit={"word/document.xml": lambda old: b'<?xml version="1.0"?>'
                 b'<!DOCTYPE d [<!ENTITY a "aaaa">]>' + old.split(b"?>", 1)[1]}), "自评报告.docx", "XML 实体"),
    "truncated": (lambda tmp: _docx_bytes(tmp)[:2000], "自评报告.docx", "被截断"),
    "workbook named .docx": (lambda tmp: (ROOT / "samples" / "fengshun-2023.xlsx").read_bytes(), "自评报告.docx",
                             "是 Excel 工作簿，不是自评报告"),
    "scanned PDF": (lambda tmp: _blank_pdf(), "自评报告.pdf", "扫描件"),
    "binary junk": (lambda tmp: bytes(range(256)) * 4, "自评报告.txt", "不是可读的报告"),
    "text named .docx": (lambda tmp: "这不是 Word 文档".encode(), "自评报告.docx", "不是可读的报告（.docx）"),
    "empty": (lambda tmp: b"", "自评报告.txt", "是空的"),
}


def _blank_pdf() -> bytes:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    return bytes(pdf.output())


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_report_says_why_and_exits_2(tmp_path, name):
    make, filename, words = UNREADABLE[name]
    path = tmp_path / filename
    path.write_bytes(make(tmp_path))
    out = invoke("check", path)
    assert out.exit_code == 2, out.output
    assert words in out.output, out.output
    assert not (tmp_path / f"{path.stem}.checked.docx").exists()


def test_an_unreadable_book_is_said(tmp_path):
    report = tmp_path / "自评报告.txt"
    report.write_text(SANGONG, encoding="utf-8")
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    out = invoke("check", report, "--book", tmp_path / "book.xlsx")
    assert out.exit_code == 2 and "book.xlsx" in out.output


# -- outputs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_of_a_report_is_valid_and_keeps_its_facts(tmp_path, lang):
    report = tmp_path / "自评报告.txt"
    report.write_text(sub(SANGONG, "下降12.13%", "下降13.80%"), encoding="utf-8")
    out = invoke("check", report, "--format", "json", "--lang", lang)
    doc = json.loads(out.output)
    jsonschema.validate(doc, SCHEMA)
    entry = doc["files"][0]
    assert entry["kind"] == "report" and entry["exit_code"] == 1
    f = next(f for f in entry["findings"] if f["code"] == "RPT04")
    assert f["position"]["line"] == 1 and f["position"]["quote"].endswith("公务接待费5.50万元。")
    assert f["stated"]["text"] == "13.80%" and f["recomputed"]["exact"].startswith("0.12125")
    assert {c["code"] for c in entry["claims"]} >= {"RPT01", "RPT04"}


def test_verbose_lists_the_unchecked_figures(tmp_path):
    report = tmp_path / "自评报告.txt"
    report.write_text("本年新增企业25家。", encoding="utf-8")
    assert "RPT13" not in invoke("check", report).output
    assert "RPT13  信息    第 1 行：本年新增企业 25家 未核对" in invoke("check", report, "-v").output


def test_a_batch_pairs_each_report_with_the_workbook_of_its_department(tmp_path):
    from tests.fillers import seed

    folder = tmp_path / "收到的材料"
    folder.mkdir()
    seed().save(folder / "科工商务局.xlsx")
    other = seed()
    other.set("basic", "info", "dept", "value", "丰顺县教育局")
    other.save(folder / "教育局.xlsx")
    header = "部门名称：（公章）丰顺县科工商务局\n\n"
    (folder / "科工商务局自评报告.txt").write_text(
        header + "2023年，我局三公经费实际支出数14.06万元，小于预算安排数35万元。", encoding="utf-8")
    (folder / "说明.txt").write_text("不是报告：没有“报告”二字的文本文件不核查", encoding="utf-8")
    out = invoke("check", folder, "--out-dir", tmp_path / "out", "--format", "json", "-j", "1")
    doc = json.loads(out.output)
    jsonschema.validate(doc, SCHEMA)
    names = [(Path(f["path"]).name, f["status"]) for f in doc["files"]]
    assert names == [("教育局.xlsx", "checked"), ("科工商务局.xlsx", "checked"), ("科工商务局自评报告.txt", "checked"),
                     ("说明.txt", "skipped")]  # the batch accounts for every file
    assert [f["flags"] for f in doc["files"]] == [[], [], [], []]  # a report is no second submission
    report = doc["files"][2]
    assert report["book"].endswith("科工商务局.xlsx")
    assert [(f["code"], f["stated"]["text"]) for f in report["findings"] if f["severity"] == "error"] == \
        [("RPT11", "35")]
    assert zipfile.is_zipfile(tmp_path / "out" / "科工商务局自评报告.checked.docx")
