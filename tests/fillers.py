"""The sample Fillers for tests, built once per process and handed out as fresh copies.

Loading the template into openpyxl is most of what ``seed()`` costs (about 40 ms), and hundreds of tests
start from it; an unpickled copy of a built one takes about 5 ms.  Pickle, not ``copy.deepcopy``: deepcopy
rebuilds openpyxl's ``IndexedList`` through its ``append``, which skips what its copied index already holds,
and the styles come out empty; the unpickler fills lists with ``list.extend``.  openpyxl's
``BoundDictionary`` (row and column dimensions) pickles as a plain defaultdict, its factory taken for its
``reference``, so it is reduced here whole.  tests/test_samples.py proves a copy saves to the same package
as a fresh build (up to the numbering of the style table).
"""

from __future__ import annotations

import copy
import functools
import io
import pickle
from collections import defaultdict
from collections.abc import Callable

from openpyxl.utils.bound_dictionary import BoundDictionary

from evaltool import samples
from evaltool.samples import Filler
from evaltool.scoring.indicators import RuleSet


def _bound(cls: type, factory, state: dict, items: list) -> BoundDictionary:
    obj = cls.__new__(cls)
    defaultdict.__init__(obj, factory)
    obj.__dict__.update(state)
    dict.update(obj, items)
    return obj


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, BoundDictionary):
            return _bound, (type(obj), obj.default_factory, obj.__dict__, list(obj.items()))
        return NotImplemented


@functools.cache
def _pristine(build: Callable[[RuleSet | None], Filler], ruleset: RuleSet | None) -> tuple[Filler, bytes]:
    filler = build(ruleset)
    buf = io.BytesIO()
    _Pickler(buf, pickle.HIGHEST_PROTOCOL).dump(filler.wb)
    return filler, buf.getvalue()


def _fresh(build: Callable[[RuleSet | None], Filler], ruleset: RuleSet | None) -> Filler:
    pristine, wb = _pristine(build, ruleset)
    filler = copy.copy(pristine)  # the rule set and the layout's sheets are shared: read-only
    filler.wb = pickle.loads(wb)
    filler._next = dict(pristine._next)
    return filler


def seed(ruleset: RuleSet | None = None) -> Filler:
    """A fresh ``samples.seed(ruleset)``."""
    return _fresh(samples.seed, ruleset)


def with_mistakes(ruleset: RuleSet | None = None) -> Filler:
    """A fresh ``samples.with_mistakes(ruleset)``."""
    return _fresh(samples.with_mistakes, ruleset)

