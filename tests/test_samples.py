"""The committed samples are what ``python -m evaltool.samples`` builds from today's template."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from evaltool.samples import SAMPLES

ROOT = Path(__file__).resolve().parent.parent


def _cells(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): (c.value, c.number_format)
            for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_committed_sample_matches_its_builder(name, tmp_path):
    fresh = tmp_path / name
    SAMPLES[name]().save(fresh)
    committed = ROOT / "samples" / name
    assert committed.exists(), f"missing {committed}: run `python -m evaltool.samples`"
    assert _cells(committed) == _cells(fresh), f"{name} is stale: run `python -m evaltool.samples`"
