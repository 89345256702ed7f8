"""The README's sample output is what the tool prints today (every line shown; "..." stands for lines left out)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from evaltool.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "samples/fengshun-2023-with-mistakes.xlsx"


def _readme_block() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"What the officer gets \(`" + re.escape(SAMPLE) + r"`\):\n\n```\n(.*?)```", text, re.S)
    assert block, "the README lost its sample output"
    return [line for line in block.group(1).splitlines() if line.strip() != "..."]


def test_readme_sample_output_is_current(tmp_path, monkeypatch):
    (tmp_path / "samples").mkdir()
    shutil.copy(ROOT / SAMPLE, tmp_path / SAMPLE)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", SAMPLE])
    printed = result.output.replace(f"{tmp_path}/", "").splitlines()
    shown = _readme_block()
    assert len(shown) > 10
    missing = [line for line in shown if line not in printed]
    assert not missing, missing
    # and in the same order
    assert [line for line in printed if line in shown] == shown
