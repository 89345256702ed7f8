"""The committed samples are what ``python -m evaltool.samples`` builds from today's template."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import hostile as H
import openpyxl
import pytest
from test_preservation import rich_workbook

from evaltool import samples
from evaltool.samples import SAMPLES
from tests import fillers

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



def _package(data: bytes) -> dict[str, bytes]:
    """The parts but the save time, each cell's style index in the sheets replaced by the style itself."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
    styles = ElementTree.fromstring(parts.pop("xl/styles.xml"))
    table = {child.tag.rpartition("}")[2]: list(child) for child in styles}
    formats = {f.get("numFmtId"): f.get("formatCode") for f in table.get("numFmts", [])}
    refs = {"fontId": "fonts", "fillId": "fills", "borderId": "borders"}

    def whole(xf) -> str:
        said = {k: ElementTree.tostring(table[refs[k]][int(v)]).decode() if k in refs
                else formats.get(v, v) if k == "numFmtId" else v for k, v in sorted(xf.attrib.items())}
        return repr((said, [ElementTree.tostring(child).decode() for child in xf]))

    xfs = [whole(xf) for xf in table["cellXfs"]]
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(rb' (s|style)="(\d+)"', lambda m: b" %s=%r" % (m[1], xfs[int(m[2])].encode()),
                             parts[name])
    return parts


@pytest.mark.parametrize("name", ["seed", "with_mistakes"])
def test_a_test_fillers_copy_is_the_workbook_a_fresh_build_gives(name):
    """tests/fillers.py hands out unpickled copies: the same package as a fresh build (the style table may
    be numbered otherwise: a fresh build's holds duplicates), before and after the same edits (those of
    the preservation tests' officer workbook: styles, comments, names, validations, tables, sheets,
    dimensions), and an edited copy leaves the next copy alone."""
    build = getattr(samples, name)
    copy = getattr(fillers, name)
    fresh = _package(H.to_bytes(build()))
    assert _package(H.to_bytes(copy())) == fresh
    assert _package(H.to_bytes(rich_workbook(copy()))) == _package(H.to_bytes(rich_workbook(build())))
    assert _package(H.to_bytes(copy())) == fresh
