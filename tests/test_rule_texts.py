"""The rule catalogue (evaltool/text/rules.py): every rule named and documented in both languages."""

from __future__ import annotations

import re

import pytest

from evaltool.text.rules import RULE_DOCS, RULE_NAMES

# Chinese characters, full-width forms and Chinese punctuation: none may reach the English side.
CJK = re.compile("[\u3400-\u9fff\uff00-\uffef“”（），：；、。]")

CODES = (
    [f"IN0{i}" for i in range(1, 8)]
    + ["UNIT01"]
    + [f"SUM{i:02d}" for i in range(1, 11)]
    + ["SHR01", "SHR02", "EXE01", "EXE02", "CAR01", "CST01", "CST02", "CST03", "FND01", "AST01", "GOL01", "GOL02"]
    + [f"LIM0{i}" for i in range(1, 9)]
    + ["BAS01", "BAS02", "PUB01"]
    + [f"SCO{i:02d}" for i in range(1, 11)]
    + [f"X0{i}" for i in range(1, 6)]
)


def test_names_and_docs_cover_the_same_codes():
    assert RULE_NAMES.keys() == RULE_DOCS.keys()


@pytest.mark.parametrize("code", CODES)
def test_every_rule_is_catalogued(code):
    assert code in RULE_NAMES
    assert code in RULE_DOCS


@pytest.mark.parametrize("code", sorted(RULE_NAMES))
def test_both_languages_given(code):
    for zh, en in (RULE_NAMES[code], RULE_DOCS[code]):
        assert zh.strip()
        assert en.strip()


@pytest.mark.parametrize("code", sorted(RULE_NAMES))
def test_english_has_no_chinese(code):
    for text in (RULE_NAMES[code][1], RULE_DOCS[code][1]):
        assert not CJK.search(text), f"{code}: {CJK.findall(text)} in {text!r}"
