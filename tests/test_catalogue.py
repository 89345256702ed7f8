"""The zh/en catalogue: every text in both languages with the same fields; a gap raises."""

from __future__ import annotations

import re
import string

import pytest

from evaltool.text.catalogue import MESSAGES, WORDS, tr
from evaltool.workbook import layout as L

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")  # CJK, full-width and CJK punctuation
# Chinese an English text may hold: sheet names (the tabs stay Chinese) and the words an officer
# types that a check searches for.
ALLOWED_IN_EN = (*L.SHEET_NAMES, *L.ADDED_SHEETS, "重点工作")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted({**MESSAGES, **WORDS}))
def test_both_languages_take_the_same_fields(key):
    zh, en = {**MESSAGES, **WORDS}[key]
    assert _fields(zh) == _fields(en), key


@pytest.mark.parametrize("key", sorted({**MESSAGES, **WORDS}))
def test_english_has_no_chinese_beyond_sheet_names(key):
    en = {**MESSAGES, **WORDS}[key][1]
    for allowed in ALLOWED_IN_EN:
        en = en.replace(allowed, "")
    assert not CJK.search(en), (key, en)


def test_no_key_is_in_both_tables():
    assert not set(MESSAGES) & set(WORDS)


def test_an_unknown_key_raises():
    with pytest.raises(KeyError):
        tr("no_such_message")


def test_a_missing_field_raises():
    with pytest.raises(KeyError):
        tr("file_missing", "en")
    assert tr("file_missing", "en", path="a.xlsx") == "File not found: a.xlsx"


def test_counts_in_english_read_well_for_one():
    assert tr("summary_counts", "en", errors=1, warnings=1, infos=1) == "errors: 1, warnings: 1, notes: 1"
