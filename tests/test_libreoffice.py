"""A real spreadsheet program as the client: LibreOffice opens what evaltool reads and writes.

LibreOffice (``soffice --headless --convert-to``) must open the template, both samples and
their checked copies.  A workbook whose officer-stated totals and shares are formulas is
recalculated by LibreOffice (the converted .xlsx stores the results); evaltool must then
read it with 0 errors, and every formula's result must be the figure evaltool recomputes,
in the input and in the checked copy.  Each test has its own LibreOffice profile and every
call a timeout; without LibreOffice the tests are skipped, saying so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from evaltool.checker import check_file
from evaltool.cli import main
from evaltool.findings import Severity
from evaltool.narrative.check import check_report
from evaltool.outputs.added_sheets import added_sheets
from evaltool.outputs.checked import write_checked
from evaltool.sums import SUMS, evaluate
from tests.fillers import seed

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = next((ROOT / "workbook_templates").glob("*.xlsx"))
SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
SEED_REPORT = ROOT / "samples" / "fengshun-kegongshangwu-2023-self-evaluation.txt"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TIMEOUT = 180  # one conversion run of several files; a hung LibreOffice fails the test instead

pytestmark = pytest.mark.slow  # every test here starts LibreOffice

# Recalculate every formula of an .xlsx on load (LibreOffice's default trusts the saved results).
_ALWAYS_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


@pytest.fixture
def soffice(tmp_path):
    """convert(files, "xlsx"|"pdf", recalc=False) -> converted paths, with this test's own profile."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc to run these tests")
    profiles = {True: tmp_path / "profile-recalc", False: tmp_path / "profile"}
    (profiles[True] / "user").mkdir(parents=True)
    (profiles[True] / "user" / "registrymodifications.xcu").write_text(_ALWAYS_RECALC, encoding="utf-8")

    def convert(files: list[Path], fmt: str, recalc: bool = False) -> list[Path]:
        outdir = tmp_path / f"lo-{fmt}-{'recalc' if recalc else 'plain'}"
        run = subprocess.run(
            [SOFFICE, "--headless", "--norestore", "--nolockcheck",
             f"-env:UserInstallation={profiles[recalc].as_uri()}", "--convert-to", fmt, "--outdir", str(outdir),
             *map(str, files)],
            capture_output=True, text=True, timeout=TIMEOUT,
        )
        assert run.returncode == 0, run.stderr
        out = [outdir / f"{f.stem}.{fmt}" for f in files]
        missing = [f.name for f in out if not f.is_file() or f.stat().st_size == 0]
        assert not missing, f"LibreOffice could not open {missing}: {run.stdout} {run.stderr}"
        return out

    return convert


def _checked(path: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["check", str(path), "-o", str(out), *args])
    assert result.exit_code in (0, 1), result.output
    return out


# --------------------------------------------------------------------------- formulas


def formula_workbook(path: Path) -> dict[tuple[str, str], str]:
    """The seed with every officer-stated total and derived figure it can compute written as a formula.

    Returns {(sheet, cell): formula}.  Only figures evaltool recomputes from the seed are replaced,
    so the formulas stand for exactly what evaltool checks.
    """
    filler = seed()
    filler.save(path)
    book = check_file(path).book
    formulas: dict[tuple[str, str], str] = {}
    for spec in SUMS:
        for total, parts in spec.pairs(book):
            given = [p for p in parts if p.coord and not p.blank]
            if total.coord and given and evaluate(total, parts).expected is not None:
                formulas[(total.sheet, total.coord)] = "=" + "+".join(p.coord for p in given)
    for ratio in check_file(path).derived.ratios:
        stated, inputs = ratio.stated, ratio.inputs
        if stated is None or not stated.coord or ratio.value is None or len(inputs) != 2 or stated.blank:
            continue
        num, den = inputs
        typed = all(isinstance(c.raw, (int, float)) for c in inputs)  # not "7家": Excel cannot divide text
        if typed and num.sheet == den.sheet == stated.sheet and num.coord and den.coord:
            op = "-" if ratio.group.difference else "/"
            formulas[(stated.sheet, stated.coord)] = f"={num.coord}{op}{den.coord}"
    for (sheet, coord), formula in formulas.items():
        filler.wb[sheet][coord] = formula
    filler.save(path)
    return formulas


def evaltool_figures(path: Path) -> dict[tuple[str, str], Decimal]:
    """{(sheet, cell): what evaltool recomputes for the figure stated there} from ``path``'s inputs."""
    result = check_file(path)
    figures = {}
    for spec in SUMS:
        for total, parts in spec.pairs(result.book):
            expected = evaluate(total, parts).expected
            if total.coord and expected is not None:
                figures[(total.sheet, total.coord)] = expected
    for ratio in result.derived.ratios:
        if ratio.stated is not None and ratio.stated.coord and ratio.value is not None:
            figures[(ratio.stated.sheet, ratio.stated.coord)] = ratio.value
    return figures


def computed(path: Path, cells) -> dict[tuple[str, str], float]:
    """The results LibreOffice stored for ``cells`` (openpyxl reads them with data_only=True)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return {(sheet, coord): wb[sheet][coord].value for sheet, coord in cells}


def assert_same_figures(results: dict[tuple[str, str], float], figures: dict[tuple[str, str], Decimal]) -> None:
    for cell, value in results.items():
        assert isinstance(value, (int, float)), (cell, value)
        expected = figures[cell]
        assert abs(Decimal(repr(value)) - expected) <= Decimal("1e-9") * max(1, abs(expected)), (cell, value, expected)


# --------------------------------------------------------------------------- tests


def test_libreoffice_opens_the_template_samples_and_checked_copies(soffice, tmp_path):
    books = [TEMPLATE, *SAMPLES]
    books += [_checked(s, tmp_path / f"{s.stem}.checked.xlsx") for s in SAMPLES]
    books.append(_checked(SAMPLES[-1], tmp_path / "fixed.checked.xlsx", "--fix"))
    converted = soffice(books, "xlsx")
    for original, copy in zip(books, converted, strict=True):
        # Opened as a workbook (not imported as text): every sheet is there, in order.
        assert openpyxl.load_workbook(copy).sheetnames == openpyxl.load_workbook(original).sheetnames, original
    soffice(books, "pdf")  # and every sheet renders


def test_libreoffice_converts_each_draft_to_pdf(soffice, tmp_path):
    drafts = []
    for book, args in ((SAMPLES[0], ["--force"]), (SAMPLES[1], []),
                       (ROOT / "tests" / "data" / "fengshun-2023-v1.xlsx", [])):
        out = tmp_path / f"{book.stem}.docx"
        result = CliRunner().invoke(main, ["draft", str(book), "-o", str(out), *args])
        assert result.exit_code in (0, 1) and out.is_file(), result.output
        drafts.append(out)
    seed_docx = _seed_report_docx(tmp_path / "seed-report.docx")
    pdfs = soffice([*drafts, seed_docx], "pdf")
    # The seed report as a Word document printed to PDF reads as its text does: the same claims, none wrong.
    from_pdf, from_text = check_report(pdfs.pop(), str(SAMPLES[1])), check_report(SEED_REPORT, str(SAMPLES[1]))
    assert [f for f in from_pdf.findings if f.severity is not Severity.INFO] == []
    assert len(from_pdf.checked.verified) == len(from_text.checked.verified)
    pdftotext = shutil.which("pdftotext")
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF")
        if pdftotext:  # the figures are text in the PDF (the extraction puts spaces beside 汉字)
            text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            assert "占总收入的81.32%" in "".join(text.split()), pdf
    # The clean sample's draft, read back from LibreOffice's PDF (公文 lines of 28 汉字), checks clean.
    report = check_report(pdfs[1], str(SAMPLES[1]))
    assert report.error is None and [f for f in report.findings if f.severity is not Severity.INFO] == []


def _seed_report_docx(path: Path) -> Path:
    """The seed report as python-docx writes it: a paragraph per line, 三号 (16 pt) as a 公文's body."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(16)
    for line in SEED_REPORT.read_text("utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    document.save(path)
    return path


# The template as DOMAIN §3 describes it, written out here rather than taken from layout.py, so a change of
# the layout that moves or renames what officers see fails this test: {sheet: {row: values from column A}}.
_TEMPLATE_FILE = ROOT / "workbook_templates" / "部门整体支出绩效自评表-v2.xlsx"
_SHEETS = ["填表说明", "基本信息", "收支情况", "预算执行", "运行成本", "专项资金", "资产管理", "信息公开", "绩效目标",
           "文字说明", "自评评分表"]
_ROWS: dict[str, dict[int, list[object]]] = {
    "填表说明": {1: ["填表说明"], 2: ["模板版本", "evaltool-template-v2"]},
    "基本信息": {3: ["部门基本信息"], 4: ["项目", "内容"], 5: ["部门名称"], 6: ["评价年度"], 11: ["金额单位", "万元"]},
    "收支情况": {
        3: ["收入情况"], 4: ["项目", "金额", "占比(填报)"], 5: ["财政拨款收入"], 6: ["一般公共预算财政拨款"],
        7: ["政府性基金预算财政拨款"], 8: ["国有资本经营预算财政拨款"], 13: ["其他收入"], 14: ["本年收入合计"],
        15: ["年初结转和结余"], 16: ["收入总计"],
        18: ["支出情况"], 19: ["项目", "金额", "占比(填报)"], 20: ["基本支出"], 21: ["人员经费"], 22: ["公用经费"],
        23: ["项目支出"], 24: ["本年支出合计"], 25: ["年末结转和结余"], 26: ["支出总计"],
    },
    "预算执行": {
        4: ["项目", "年初预算数", "全年预算数", "全年执行数", "执行率(填报)", "年末结转结余", "结转结余率(填报)"],
        5: ["年度资金总额"], 6: ["基本支出"], 7: ["项目支出"],
    },
    "运行成本": {
        3: ["机关运行经费（公用经费）"], 4: ["项目", "预算数", "决算数", "比预算增减(填报)", "控制率(填报)"],
        5: ["机关运行经费"],
        7: ["“三公”经费"], 8: ["项目", "预算数", "实际支出数", "上年实际支出数", "控制率(填报)"],
        9: ["因公出国(境)费"], 10: ["公务用车购置费"], 11: ["公务用车运行维护费"], 12: ["公务接待费"], 13: ["合计"],
    },
    "专项资金": {4: ["项目名称", "预算数", "拨付数", "拨付率(填报)", "完成情况", "备注"], 25: ["合计"]},
    "资产管理": {5: ["固定资产总额"], 6: ["在用固定资产总额"], 7: ["固定资产利用率(填报)"], 10: ["是否开展资产盘点"]},
    "信息公开": {5: ["预算批复日期"], 6: ["预算公开日期"], 7: ["决算批复日期"], 8: ["决算公开日期"]},
    "绩效目标": {
        4: ["一级指标", "二级指标", "三级指标", "方向", "年度指标值", "实际完成值", "完成率(填报)", "偏差原因"],
    },
    "文字说明": {
        3: ["自评报告文字内容"], 4: ["项目", "内容"], 5: ["部门职能"], 6: ["年度总体工作和重点工作任务"],
        7: ["部门整体支出绩效目标"], 8: ["存在问题"], 9: ["改进措施"], 10: ["上年度存在问题"],
        11: ["上年度改进措施（整改情况）"],
    },
    "自评评分表": {
        3: ["部门整体支出绩效自评评分表"],
        4: ["一级指标", "二级指标", "三级指标", "分值", "评分方法", "评分标准", "自评得分", "扣分原因", "自评说明"],
        5: ["预算编制", "预算编制", "预算编制合理性", 5, "定性"],
        32: ["合计", None, None, 100],
        33: ["自评等级"],
    },
}


@pytest.mark.slow
def test_template_as_libreoffice_reads_it_has_the_documented_labels(soffice):
    (converted,) = soffice([_TEMPLATE_FILE], "xlsx")
    wb = openpyxl.load_workbook(converted)
    assert wb.sheetnames == _SHEETS
    for sheet, rows in _ROWS.items():
        ws = wb[sheet]
        assert ws["A1"].value == sheet
        for r, values in rows.items():
            assert [ws.cell(r, c).value for c in range(1, len(values) + 1)] == values, (sheet, r)


def test_formulas_recalculated_by_libreoffice_give_evaltool_figures(soffice, tmp_path):
    path = tmp_path / "formulas.xlsx"
    formulas = formula_workbook(path)
    assert len(formulas) >= 10  # totals and shares on 收支情况, 运行成本, 专项资金
    # openpyxl saves formulas without results: evaltool will not guess them (one IN05 listing them all).
    unsaved = check_file(path)
    (in05,) = [f for f in unsaved.findings if f.code == "IN05"]
    assert in05.params["n"] == len(formulas)
    listed = {(w.sheet, w.cell) for w in in05.params["cells"]}
    assert listed <= set(formulas) and len(listed) == min(len(formulas), 20)

    (recalculated,) = soffice([path], "xlsx", recalc=True)
    result = CliRunner().invoke(main, ["check", str(recalculated), "-o", str(tmp_path / "rc.checked.xlsx")])
    assert result.exit_code == 0, result.output  # 0 errors: every stated figure is what evaltool recomputes
    wb = openpyxl.load_workbook(recalculated)
    assert {(s, c) for (s, c) in formulas if wb[s][c].data_type == "f"} == set(formulas)  # still formulas
    assert_same_figures(computed(recalculated, formulas), evaltool_figures(recalculated))
    # A package as a real spreadsheet program writes it is patched: every part but ours comes through.
    write_checked(check_file(recalculated), str(tmp_path / "rc2.checked.xlsx"))
    with zipfile.ZipFile(recalculated) as src, zipfile.ZipFile(tmp_path / "rc2.checked.xlsx") as out:
        assert set(src.namelist()) <= set(out.namelist())


def test_checked_copy_formulas_recalculate_to_the_same_figures(soffice, tmp_path):
    """The officer opens the checked copy (no saved results, full recalculation requested) in LibreOffice."""
    path = tmp_path / "formulas.xlsx"
    formulas = formula_workbook(path)
    (recalculated,) = soffice([path], "xlsx", recalc=True)
    copies = [_checked(recalculated, tmp_path / "rc.checked.xlsx"),
              _checked(recalculated, tmp_path / "rc.fixed.xlsx", "--fix")]
    figures = evaltool_figures(recalculated)
    for opened in soffice(copies, "xlsx"):  # LibreOffice's default settings, as an officer has them
        assert_same_figures(computed(opened, formulas), figures)


def test_added_sheets_print_each_on_one_landscape_page(soffice, tmp_path):
    """核查汇总 (tables and charts) and 核查结果 of the with-mistakes sample: one A4 landscape page each."""
    result = check_file(ROOT / "samples" / "fengshun-2023-with-mistakes.xlsx")
    path = tmp_path / "added.xlsx"
    import hostile as H

    names = openpyxl.load_workbook(result.path, read_only=True).sheetnames
    path.write_bytes(H.zipped(added_sheets(result, "zh", set(), names)))
    (pdf,) = soffice([path], "pdf")
    data = pdf.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 2
    boxes = [[float(v) for v in box.split()] for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)]
    assert boxes and all(round(w) == 842 and round(h) == 595 for _, _, w, h in boxes)  # A4 landscape


# --------------------------------------------------------------------------- the patched copy


def _pixels(pdf: Path, rgb: str) -> int:
    """How many pixels of colour ``rgb`` the PDF's pages show (pdftoppm at 30 dpi, raw PPM)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.skip("pdftoppm not installed: apt-get install poppler-utils")
    prefix = pdf.with_suffix("")
    subprocess.run([tool, "-r", "30", str(pdf), str(prefix)], check=True, timeout=TIMEOUT)
    wanted = bytes.fromhex(rgb)
    count = 0
    for page in sorted(pdf.parent.glob(f"{prefix.name}-*.ppm")):
        data = page.read_bytes()
        magic, width, height, depth, pixels = data.split(maxsplit=4)
        assert (magic, depth) == (b"P6", b"255")
        count += sum(pixels[i:i + 3] == wanted for i in range(0, int(width) * int(height) * 3, 3))
    return count


@pytest.mark.filterwarnings("ignore:.*extension is not supported")  # openpyxl reading LibreOffice's copy
def test_the_patched_copy_keeps_marks_and_marker_through_libreoffice(soffice, tmp_path):
    """LibreOffice opens the patched copy of an officer's package full of what openpyxl drops, shows the
    marks (our fills on its PDF pages, none on the input's), and its re-save keeps our marker."""
    import hostile as H
    from test_patch import BOX, MARKER, patches_of

    from evaltool.outputs.styles import FILL_ERROR
    from evaltool.workbook.marker import read_marker
    from evaltool.workbook.package import read_package
    from evaltool.workbook.patch import patch_copy

    path, out = tmp_path / "officer.xlsx", tmp_path / "officer.checked.xlsx"
    path.write_bytes(H.officer_package())
    patches = patches_of(path, fix=True)
    patch_copy(str(path), str(out), patches, box=BOX, marker=MARKER)
    (resaved,) = soffice([out], "xlsx")
    marker = read_marker(read_package(str(out)))
    assert marker is not None and read_marker(read_package(str(resaved))) == marker
    wb = openpyxl.load_workbook(resaved)
    for p in patches:
        cell = wb[p.sheet][p.cell]
        assert cell.fill.fgColor.rgb == "FF" + p.fill, (p.sheet, p.cell)
        assert p.comment in cell.comment.text, (p.sheet, p.cell)
    assert wb["收支情况"]["H5"].value == "=B5/B14"
    pdf_in, pdf_out = soffice([path, out], "pdf")
    assert _pixels(pdf_in, FILL_ERROR) == 0
    assert _pixels(pdf_out, FILL_ERROR) > 100
