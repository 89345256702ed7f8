"""``--lang en``: no Chinese beyond what the workbook itself holds (what the officer typed, the
template's own labels and indicator names in the cells) and the sheet and file names."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from evaltool.cli import main

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]+")


def _workbook_text(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    texts = [*wb.sheetnames, path.name, path.stem]
    for ws in wb.worksheets:
        texts += [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    return sorted(texts, key=len, reverse=True)  # longest first, so a label goes before its parts


def chinese_left(output: str, path: Path) -> list[str]:
    for text in _workbook_text(path):
        output = output.replace(text, "")
    return CJK.findall(output)


@pytest.mark.parametrize("sample", ["fengshun-2023.xlsx", "fengshun-2023-with-mistakes.xlsx"])
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_english_output_has_no_chinese_of_its_own(tmp_path, sample, fmt):
    path = ROOT / "samples" / sample
    result = CliRunner().invoke(main, ["check", str(path), "-v", "--lang", "en", "--format", fmt,
                                       "-o", str(tmp_path / "out.xlsx")])
    assert result.exit_code in (0, 1), result.output
    assert chinese_left(result.output, path) == []


def test_the_filter_finds_chinese_the_workbook_does_not_hold():
    seed = ROOT / "samples" / "fengshun-2023.xlsx"
    assert chinese_left("本年收入合计 (Total revenue for the year) 彩虹", seed) == ["彩虹"]


def test_a_total_names_its_table_inside_a_sentence():
    """“… exceeds Three public expenses total: budget 30.00”: a table's English title reads mid-sentence (a
    合计 row is named by it), so it takes no article."""
    from evaltool.model import CellRef
    from evaltool.text.labels import cell_label
    from evaltool.workbook import layout as L

    assert cell_label(CellRef("costs", "sangong", "total", "budget"), "en") == "Three public expenses total: budget"
    assert [t.title_en for s in L.DATA_SHEETS for t in s.tables if t.title_en.startswith(("The ", "A "))] == []
