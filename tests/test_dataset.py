"""The county dataset: its DataFrames' columns and dtypes, exact money, --export round trips, and pandas
kept off a single check."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from decimal import Decimal as D

import pytest
from click.testing import CliRunner

from evaltool.cli import main
from tests.fillers import seed


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Two departments (one in 元), an earlier duplicate submission, an unreadable file."""
    root = tmp_path_factory.mktemp("county")
    (root / "in").mkdir()
    a = seed()
    a.save(root / "in" / "a.xlsx")
    b = seed()
    b.set("basic", "info", "dept", "value", "丰顺县教育局（本级）")
    b.set("basic", "info", "unit", "value", "元")
    for key, value in (("fiscal", D("23699300")), ("other", D("5444800")), ("total", D("29144100"))):
        b.set("finance", "income", key, "amount", value)
    b.save(root / "in" / "b.xlsx")
    early = seed()
    early.set("basic", "info", "date", "value", __import__("datetime").date(2024, 1, 5))
    early.save(root / "in" / "a-early.xlsx")
    (root / "in" / "broken.xlsx").write_bytes(b"PK not really")
    return root


def export(folder, name, *extra):
    out = CliRunner().invoke(main, ["check", str(folder / "in"), "--out-dir", str(folder / "out"), "-j", "1",
                                    "--export", str(folder / name), *extra], catch_exceptions=False)
    assert out.exit_code == 2, out.output  # the broken file
    return out


@pytest.fixture(scope="module")
def dataset(folder):
    from evaltool.batch import Job, Options, flag_batch, run
    from evaltool.outputs.dataset import build
    from evaltool.scoring.ruleset import load_ruleset

    paths = sorted((folder / "in").iterdir())
    records = run([Job(str(p), str(folder / "out" / (p.stem + ".checked.xlsx"))) for p in paths],
                  Options(load_ruleset(), dataset=True), 1)
    flag_batch(records, "zh")
    return build(records)


def test_one_row_per_file_with_identity_states_and_verdict(dataset):
    files = dataset.files.set_index(dataset.files["file"].str.rsplit("/", n=1).str[-1])
    assert sorted(files.index) == ["a-early.xlsx", "a.xlsx", "b.xlsx", "broken.xlsx"]
    assert files.loc["broken.xlsx", "verdict"] == "unreadable" and files.loc["broken.xlsx", "status"] == "unreadable"
    assert files.loc["a.xlsx", "verdict"] == "ready"
    assert files.loc["a.xlsx", "department"] == "丰顺县科工商务局"
    assert files.loc["b.xlsx", "department"] == "丰顺县教育局（本级）"  # full-width brackets as typed
    assert files["counted"].to_dict() == {"a-early.xlsx": False, "a.xlsx": True, "b.xlsx": True,
                                          "broken.xlsx": False}  # the earlier submission of 科工商务局
    assert files.loc["a.xlsx", ["n_error", "n_unexplained", "n_explained"]].tolist() == [0, 0, 0]


def test_a_skipped_files_verdict_is_the_jsons(tmp_path):
    """“skipped”, as the JSON says it, not a blank beside status “skipped”."""
    from evaltool.batch import skipped
    from evaltool.outputs.dataset import build

    record = skipped(str(tmp_path / "notes.csv"), "skip_csv", "zh")
    assert record.entry["verdict"] == "skipped"
    assert build([record]).files["verdict"].tolist() == ["skipped"]


def test_money_is_exact_decimal_text_in_wan_yuan(dataset):
    files = dataset.files.set_index(dataset.files["file"].str.rsplit("/", n=1).str[-1])
    assert files.loc["a.xlsx", "finance.income.fiscal.amount"] == "2369.93"
    assert files.loc["b.xlsx", "finance.income.fiscal.amount"] == "2369.93"  # 23699300 元
    assert files.loc["a.xlsx", "costs.office.office.diff"] == "-10.94"
    assert files.loc["a.xlsx", "ratio.office_diff.office"] == "-10.94"
    assert files.loc["a.xlsx", "ratio.income_share.fiscal"] == pytest.approx(2369.93 / 2914.41)


def test_columns_and_dtypes(dataset):
    from evaltool.outputs.dataset import IDENTITY, PRIOR, SCORES, STATES, money_columns

    files = dataset.files
    assert list(files.columns[: len(IDENTITY) + len(STATES)]) == [*IDENTITY, *STATES]
    assert set(SCORES) | set(PRIOR) <= set(files.columns)
    dtypes = files.dtypes.astype(str)
    assert {dtypes[c] for c in money_columns()} == {"string"}
    assert {dtypes[c] for c in STATES} == {"Int64"}
    assert dtypes["year"] == "Int64" and dtypes["counted"] == "bool"
    assert dtypes["recomputed_total"] == "float64" and dtypes["ratio.exec_rate.total"] == "float64"
    assert not any(t == "float64" for c, t in dtypes.items() if c in money_columns())
    assert list(dataset.findings.columns[:7]) == ["file", "department", "year", "id", "code", "severity", "state"]
    assert dataset.projects["budget"].dtype == "string"
    assert set(dataset.projects["project"]) == {"县科工商务局预算专项资金", "县科协科普经费"}
    assert dataset.indicators["weight"].dtype == "float64"
    from evaltool.scoring.ruleset import load_ruleset

    assert len(dataset.indicators) == 3 * len(load_ruleset().indicators)  # the three readable workbooks


def test_csv_round_trip(folder):
    import pandas as pd

    out = export(folder, "county.csv")
    assert "county.findings.csv" in out.output
    raw = (folder / "county.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM as UTF-8
    back = pd.read_csv(folder / "county.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(back) == 4 and "丰顺县教育局（本级）" in set(back["department"])
    assert set(back["finance.income.fiscal.amount"]) == {"2369.93", ""}
    findings = pd.read_csv(folder / "county.findings.csv", encoding="utf-8-sig")
    assert {"id", "code", "state", "message"} <= set(findings.columns)


def test_xlsx_export_has_a_sheet_per_table(folder):
    import pandas as pd

    export(folder, "county.xlsx")
    sheets = pd.read_excel(folder / "county.xlsx", sheet_name=None, dtype=str, engine="openpyxl")
    assert list(sheets) == ["files", "findings", "projects", "indicators"]
    assert len(sheets["files"]) == 4


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="pyarrow not installed (extra 'parquet')")
def test_parquet_export(folder):
    import pandas as pd

    export(folder, "county.parquet")
    back = pd.read_parquet(folder / "county.parquet")
    # The dtypes travel with the data: money stays exact text, counts stay integers.
    assert str(back["finance.income.fiscal.amount"].dtype) == "string"
    assert (str(back["year"].dtype), str(back["counted"].dtype)) == ("Int64", "bool")
    assert back["finance.income.fiscal.amount"].dropna().tolist() == ["2369.93"] * 3


def test_export_suffix_is_a_usage_error(folder):
    out = CliRunner().invoke(main, ["check", str(folder / "in"), "--export", str(folder / "x.json")])
    assert out.exit_code == 2 and ".csv、.xlsx 或 .parquet" in out.output


def test_a_single_check_does_not_import_pandas(tmp_path):
    seed().save(tmp_path / "a.xlsx")
    code = ("import sys; from evaltool.cli import main\n"
            "try:\n    main(['check', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "a.xlsx")], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


@pytest.mark.parametrize(("value", "unit", "text"), [
    (D("2369.93"), "万元", "2369.93"), (D(18), "万元", "18.00"), (D("3.6"), "万元", "3.60"),
    (D("23699300"), "元", "2369.93"), (D("12345.67"), "元", "1.234567"), (D(0), "万元", "0.00"),
    (D("-10.94"), "万元", "-10.94"), (D("1E+3"), "万元", "1000.00"),
])
def test_money_text_is_exact_to_at_least_the_cent(value, unit, text):
    from evaltool.outputs.dataset_rows import money_text

    assert money_text(value, unit) == text
