"""A rule set's indicators in words: the scoring rule (评分标准) of each, in zh or en.

The sentence patterns are catalogue entries (``criterion.<method>``); this renders an ``Indicator``
through them.  The template writer (``workbook/``, which may not import ``text/``) does not call this:
it is handed the Chinese texts as data, by ``evaltool template`` and ``evaltool.samples`` (see
``workbook.template.write_template``), so the template, `evaltool rules` and ``--lang en`` word a
rule the same way from one pattern.
"""

from __future__ import annotations

from evaltool.findings import Phrase
from evaltool.scoring.indicators import Band, Indicator, RuleSet
from evaltool.text.catalogue import tr
from evaltool.text.render import param
from evaltool.workbook.numbers import plain


def criterion(ind: Indicator, lang: str = "zh") -> str:
    """The scoring rule of ``ind`` in words, as written into the template's 评分标准 column."""
    params = {"name": tr(f"term.figure.{ind.figure}", lang) if ind.figure else ""}
    if ind.bands:
        params["steps"] = param((*map(_step, ind.bands), Phrase("criterion.band_above")), lang)
    for key in ("target", "limit", "per_point"):
        value = getattr(ind, key)
        if value is not None:
            params[key] = plain(value)
    return tr(f"criterion.{ind.method}", lang, **params)


def criteria(ruleset: RuleSet, lang: str = "zh") -> tuple[str, ...]:
    """The scoring rule of every indicator of ``ruleset``, in order: what ``write_template`` is given."""
    return tuple(criterion(ind, lang) for ind in ruleset.indicators)


def _step(band: Band) -> Phrase:
    # Rates are never negative, so "up to 0%" reads better as plain "0%".
    bound = f"{plain(band.upto)}%" if band.upto == 0 else f"≤{plain(band.upto)}%"
    if band.fraction == 1:
        share = Phrase("criterion.band_full")
    elif band.fraction == 0:
        share = Phrase("criterion.band_none")
    else:
        share = Phrase("criterion.band_part", {"percent": plain(band.fraction * 100)})
    return Phrase("criterion.band", {"bound": bound, "share": share})
