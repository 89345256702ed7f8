"""``--format json`` (schema v2): the samples' output in zh and en against golden files, and every
document the CLI writes valid against the shipped JSON Schema.

To accept a deliberate change: ``EVALTOOL_UPDATE_GOLDEN=1 python -m pytest tests/test_json_golden.py``
and review the diff of tests/golden/.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from evaltool import __version__
from evaltool.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SCHEMA = json.loads((resources.files("evaltool.outputs") / "schema" / "check-v2.json").read_text("utf-8"))


def check_json(*args: str) -> dict:
    result = CliRunner().invoke(main, ["check", *args, "--format", "json"])
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(result.output)


def _normalised(doc: dict, tmp_path: Path) -> dict:
    """Without what changes from run to run: the temporary output path and the tool version."""
    text = json.dumps(doc, ensure_ascii=False).replace(str(tmp_path), "<tmp>").replace(__version__, "<version>")
    return json.loads(text)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("sample", ["fengshun-2023", "fengshun-2023-with-mistakes"])
def test_samples_match_their_golden_json(tmp_path, monkeypatch, sample, lang):
    monkeypatch.chdir(ROOT)
    doc = check_json(f"samples/{sample}.xlsx", "--lang", lang, "-o", str(tmp_path / "out.xlsx"))
    jsonschema.validate(doc, SCHEMA)
    got = _normalised(doc, tmp_path)
    golden = GOLDEN / f"{sample}.{lang}.json"
    if os.environ.get("EVALTOOL_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert golden.exists(), f"missing {golden.name}: run with EVALTOOL_UPDATE_GOLDEN=1"
    assert got == json.loads(golden.read_text("utf-8"))


def test_an_unreadable_file_and_a_batch_are_valid(tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    doc = check_json(str(ROOT / "samples" / "fengshun-2023.xlsx"), str(junk), "--out-dir", str(tmp_path / "out"))
    jsonschema.validate(doc, SCHEMA)
    assert [f["status"] for f in doc["files"]] == ["checked", "unreadable"]
    assert doc["files"][1]["error"]["key"] == "text_file"


def test_the_schema_rejects_a_finding_without_its_facts():
    doc = {"schema_version": 2, "tool": {"name": "evaltool", "version": "x"},
           "files": [{"findings": [{"code": "SHR01", "message": "…"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_numbers_are_numbers_with_their_unit(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    doc = check_json("samples/fengshun-2023-with-mistakes.xlsx", "-o", str(tmp_path / "out.xlsx"))
    shr01 = next(f for f in doc["files"][0]["findings"] if f["code"] == "SHR01")
    assert shr01["stated"] == {"value": 0.8133, "exact": "0.8133", "unit": "percent", "places": 2, "op": None,
                               "text": "81.33%"}
    assert shr01["difference"]["unit"] == "percentage_points" and shr01["difference"]["text"] == "0.01"
    assert shr01["subject"]["key"] == "finance.income.fiscal.share"
    assert shr01["location"] == {"sheet": "收支情况", "cell": "C5", "cells": []}
    assert shr01["id"] == "SHR01:finance.income.fiscal.share:2023"
