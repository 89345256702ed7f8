"""The benchmark's generator still builds what it measures: department workbooks that evaltool reads
and scores (a refactoring that breaks benchmarks/bench.py fails here, not at the next benchmark run)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from evaltool.checker import check_file
from evaltool.findings import Severity

# The error codes of the mistakes the generator plants (share typed from a draft, parts off, sign of
# 比预算增减, 拨付率, 填报日期, 合计 score, formula without result, #DIV/0!, 三公 over budget scored full).
PLANTED = {"SHR01", "SHR02", "SUM01", "SUM04", "CST02", "FND01", "BAS01", "SCO06", "SCO07", "IN05", "IN04",
           "LIM01", "SCO03", "X01", "X02"}
BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"


def test_generated_county_files_check_cleanly_apart_from_their_planned_mistakes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench", bench)  # its dataclasses and worker processes look it up
    spec.loader.exec_module(bench)
    files = bench.generate(tmp_path, county=4, lists=(3,))
    books = sorted(files["county"].rglob("*.xlsx"))
    assert len(books) == 4
    readable = [check_file(p) for p in books]
    assert sorted(r.exit_code == 2 for r in readable) == [False, False, True, True]
    for result in readable:
        if result.error is None:
            assert not [f for f in result.findings if f.key == "internal_error"]
            assert result.derived.score.scored
            errors = {f.code for f in result.findings if f.severity is Severity.ERROR}
            assert errors <= PLANTED, errors - PLANTED
    assert check_file(files["list3"]).derived is not None
