"""What a verdict was reached under, said the same way by the console, the JSON, 核查汇总 and the county
summary: the tool's version, the workbook's template version, the rule set (name and a hash of its
content) and the checks a county's rule set or this run switched off or changed."""

from __future__ import annotations

from typing import Any

from evaltool import __version__
from evaltool.checks import Choices
from evaltool.scoring.indicators import RuleSet
from evaltool.text.catalogue import tr
from evaltool.text.render import param, severity

DIGEST_SHOWN = 12  # hex digits of the rule set's sha256 shown to people; the JSON has all of it


def provenance(template_version: str | None, ruleset: RuleSet | None) -> dict[str, Any]:
    return {
        "tool_version": __version__,
        "template_version": template_version,
        "ruleset": ruleset.name if ruleset else None,
        "ruleset_digest": ruleset.digest or None if ruleset else None,
    }


def provenance_line(template_version: str | None, ruleset: RuleSet | None, lang: str) -> str:
    """核查依据：evaltool 0.1.0，模板 v1，评分规则 guangdong-county-2023（sha256 6ea1277d8de0）; without the
    template for a batch (each file's is in the JSON)."""
    if ruleset is None:
        return tr("provenance_tool", lang, version=__version__)
    key = "provenance" if template_version else "provenance_rules"
    return tr(key, lang, version=__version__, template=template_version, ruleset=ruleset.name,
              digest=ruleset.digest[:DIGEST_SHOWN])


def checks_json(choices: Choices | None) -> dict[str, Any]:
    choices = choices or Choices()
    return {
        "disabled": list(choices.disabled),
        "changed": [code for code, _ in choices.severity],
        "severity": {code: s.value for code, s in choices.severity},
        "by": {code: by for code, by in choices.off} | {code: "ruleset" for code, _ in choices.severity},
    }


def checks_lines(choices: Choices | None, lang: str) -> list[str]:
    """One sentence per kind of change: switched off by the county, left out by this run, severity changed."""
    if choices is None or choices.default:
        return []
    lines = []
    for by in ("ruleset", "run"):
        codes = tuple(code for code, who in choices.off if who == by)
        if codes:
            lines.append(tr(f"checks_off_{by}", lang, codes=param(codes, lang), n=len(codes)))
    if choices.severity:
        items = tuple(f"{code} → {severity(s, lang)}" for code, s in choices.severity)
        lines.append(tr("checks_changed", lang, items=param(items, lang)))
    return lines
