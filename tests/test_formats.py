"""FMT01 on the samples re-saved without number formats (as pandas writes them): one finding for the lost %
formats, and none of the per-cell errors it explains; a workbook's real errors are still found."""

from __future__ import annotations

import pytest

from evaltool.checker import check_file
from tests.wild import SAMPLE, lost_percent

MISTAKES = SAMPLE.with_name("fengshun-2023-with-mistakes.xlsx")


def codes(path) -> list[tuple[str, str, str | None]]:
    result = check_file(str(path))
    assert result.error is None
    return sorted((f.code, f.severity.value, f.location.cell if f.location else None)
                  for f in result.findings if f.severity.value != "info")


@pytest.fixture(scope="module")
def resaved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lost")
    for source in (SAMPLE, MISTAKES):
        (folder / source.name).write_bytes(lost_percent(source.read_bytes()))
    return folder


def test_the_clean_sample_without_percent_formats_is_one_finding(resaved):
    assert codes(resaved / SAMPLE.name) == [("FMT01", "error", "C5")]
    (finding,) = [f for f in check_file(str(resaved / SAMPLE.name)).findings if f.code == "FMT01"]
    assert finding.params["n"] == 8


def test_real_errors_are_still_found_as_percentages(resaved):
    """The mistakes sample re-saved: its own findings, each cell read as the percentage it holds, plus FMT01
    on the first cell it explains (C5 is a real error: 81.33% for 81.32%)."""
    assert codes(resaved / MISTAKES.name) == sorted(codes(MISTAKES) + [("FMT01", "error", "C20")])


def test_the_samples_as_made_do_not_fire_it():
    assert "FMT01" not in {c for c, _, _ in codes(SAMPLE) + codes(MISTAKES)}
