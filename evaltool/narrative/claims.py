"""The figures of a report and what its sentences claim about them, by sentence pattern.

A ``Figure`` is a number with its unit as the text shows it (2914.41万元, 81.32%, 7家) and the
words naming it (its label: the clause before it).  A claim ties figures together the way a
sentence does: a total and its 其中 parts, a share of a named total, a change on last year or on
the budget, a rate of a budget, a count of the items listed, a comparison word, a grade word.
Nothing here judges a claim (``verify`` does); a figure no pattern ties to anything is left
unchecked (``-v`` lists it as 未核对).

The patterns are the shapes of DOMAIN §9 and of 决算公开 三公 and 收支 paragraphs; each is
deliberately narrow: a sentence read the wrong way would be a false alarm, and a false alarm
is as bad as a miss.  So a share is checked only against a total named the same way (or the
total of its own 其中 list), a 其中 list only when it names two or more amounts, a count only
when the items are listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from evaltool.narrative.text import MARKER, Paragraph, ReportText

# Units a figure may have; money is compared in 元 (exact), the others only with the same unit.
MONEY = {"亿元": Decimal(10) ** 8, "万元": Decimal(10000), "万": Decimal(10000), "元": Decimal(1)}
COUNTS = ("个", "家", "项", "名", "人", "户", "次", "件", "所", "座", "台", "辆")
_FIGURE = re.compile(
    r"(?<![\d.A-Za-z第])(?P<num>\d+(?:\.\d+)?)"
    r"(?P<unit>亿元|万元|元|万(?![人户名家个项次件亩吨平千])|个百分点|%|分(?![钟之别类配期批析布工管])|"
    + "|".join(COUNTS) + ")"
)
_BOUNDARY = ",;:。!?、"
_LEAD = re.compile(r"^(?:其中|另外|此外|同时|目前|今年以来|全年|本单位|我局|本局|本部门|我部门|我单位|部门)+")
_YEAR = re.compile(r"\d{4}年度?")
_DOWN = ("减少", "下降", "降低", "节约", "节省", "压减", "缩减", "降幅", "减幅", "减")
_CHANGE = re.compile(
    r"(?P<cmp>比|较|同比|与)?(?P<since>上年同期|上年度|上年|去年|当年预算数|年初预算数|年初预算|预算安排数|预算数|预算)?"
    r"(?:相比)?(?P<dir>增加|增长|提高|上升|减少|下降|降低|节约|节省|压减|缩减|增幅|涨幅|降幅|减幅|增|减)了?$"
)
_SHARE = re.compile(r"^(?:占(?P<name>.*?)(?:的)?(?:比重|比例|份额)?|占比|所占比重|所占比例)(?:为|达|约)?$")
_RATE = re.compile(r"(?:完成|执行|拨付|到位|支付|使用)(?:率|进度|比例)?(?:为|达|达到|约)?$")
_ACTUAL = ("拨付", "决算", "实际", "支出", "执行", "使用", "到位", "完成", "支付")
_COMPARE = (("不超过", "≤"), ("不高于", "≤"), ("不低于", "≥"), ("不少于", "≥"), ("不足", "<"), ("小于", "<"),
            ("低于", "<"), ("少于", "<"), ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"), ("超出", ">"))
_COMPARE_RE = re.compile("|".join(w for w, _ in _COMPARE))
_NEGATION = re.compile(r"(?:并未|并没有|未|没有|没)$")  # 未超过 is 不超过
_NEGATED = {"<": "≥", ">": "≤", "≤": ">", "≥": "<"}
# "低于预算 10 万元" may mean "10 万元 below the budget": a bare 预算/上年 before the figure is read as
# that, and not compared; "低于预算数 30 万元" names the budget figure itself.
_BY_AMOUNT = re.compile(r"(?:预算|上年|去年|年初|计划|目标|同期)$")
_TOTAL_WORDS = re.compile(
    r"本单位|我局|本局|本部门|我部门|我单位|本年度|本年|当年|年度|全年|整体|全部|合计|总计|总额|总|的|共|计"
)
GRADE_WORDS = {"优秀": "优", "良好": "良", "中等": "中", "一般": "中", "较差": "差", "优": "优", "良": "良", "中": "中",
               "差": "差"}
_GRADE = re.compile(
    r"(?:自评|评价|考核|绩效评价)(?:结果|结论|情况|等级|等次)?(?:(?:为|是|:|评定为|属于|达到)[“\"]?"
    r"(?P<any>优秀|良好|中等|一般|较差|优|良|中|差)|(?P<two>优秀|良好|中等|一般|较差))"
    r"(?=[”\"]?(?:[,;:。!?)]|$|等级|档次|等次))"
)
_SCORE = re.compile(r"(?P<label>(?:自评|评价|综合|合计|总)(?:总)?得分?|得)(?:为|:)?(?P<num>\d+(?:\.\d+)?)分")
_COUNT_APPROX = "(?:大约|约|将近|接近|近|超过|逾|超|不到|不足)?"  # before a count: 共有超过3个, 等近5家
_COUNT_LIST = re.compile(
    r"(?P<items>(?:[^,;:。、()“”\d]{1,20}、)+[^,;:。、()“”\d]{1,20}?)(?P<etc>等)?共?"
    + _COUNT_APPROX + r"(?P<n>\d+)(?P<unit>" + "|".join(COUNTS) + ")"
)
_TOTAL_COUNT = re.compile(r"共有?" + _COUNT_APPROX + r"(?P<n>\d+)(?P<unit>" + "|".join(COUNTS) + ")")
_BLANK_PERCENT = re.compile(r"(?<![\d.])%")
_BLANK_MONEY = re.compile(r"(?<![\d.〇零一二三四五六七八九十百千万亿两几数余多单位(:Xx×*□_])(?:万元|亿元)")
_PLACEHOLDER = re.compile(r"(?:[Xx×*]{1,4}|[□_]{1,8})(?:万元|亿元|元|%)")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)}
# Words that make a figure approximate, before the number: "~" about, "<" nearly, "≤" at most, ">" at least.
_APPROX_WORDS = {"~": ("大约", "约"), "<": ("将近", "接近", "近"),
                 "≤": ("未超过", "不超过", "没有超过", "没超过", "未超", "不超", "不多于", "不高于", "至多", "最多",
                       "不到", "不足"),
                 ">": ("不少于", "不低于", "至少", "超过", "逾", "超")}
_APPROX_ALL = "|".join(sorted((w for ws in _APPROX_WORDS.values() for w in ws), key=len, reverse=True))
_APPROX_BEFORE = re.compile(rf"(?P<word>{_APPROX_ALL})(?:为|达到|达|是)?$")
_APPROX_SIGN = {w: sign for sign, ws in _APPROX_WORDS.items() for w in ws} | {"左右": "~", "以上": ">"}
_APPROX_AFTER = re.compile(r"(?P<word>左右|以上)")
_TRAIL = re.compile(rf"(?:分别为|分别|共计|共有|合计|达到|为|是|达|共|计|有|了|{_APPROX_ALL})+$")
_APPROX_SHARE = re.compile(r"^(?P<word>大约|约|将近|接近|近)(?=占)")


@dataclass(frozen=True)
class Figure:
    """A number of the text, with its unit, the decimals it is written with and the words naming it."""

    paragraph: int  # Paragraph.number
    sentence: int  # 1-based within the paragraph
    start: int  # span of number and unit in the paragraph's normalised text
    end: int
    value: Decimal
    unit: str
    places: int
    label: str
    change: str | None = None  # "+" or "-": a change amount (比上年减少 10.94万元)
    since: str | None = None  # what a change is on: "上年" or "预算"
    approx: str | None = None  # "~" 约/左右, "<" 近, "≤" 不到/不足, ">" 超过/以上: a bound, not a value

    @property
    def kind(self) -> str:
        if self.unit in MONEY:
            return "money"
        if self.unit == "%":
            return "percent"
        if self.unit == "个百分点":
            return "points"
        if self.unit == "分":
            return "score"
        return "count"

    @property
    def base(self) -> Decimal:
        """Money in 元, a percentage as a fraction, anything else as written."""
        if self.unit in MONEY:
            return self.value * MONEY[self.unit]
        if self.unit == "%":
            return self.value / 100
        return self.value

    @property
    def half(self) -> Decimal:
        """Half a unit of the last place shown, in the unit of ``base``.  A count is exact, and so is a 0 (an
        officer writes "0万元" for none, not for an amount rounded away)."""
        if self.kind == "count" or self.value == 0:
            return Decimal(0)
        half = Decimal(1).scaleb(-self.places) / 2
        if self.unit in MONEY:
            return half * MONEY[self.unit]
        return half / 100 if self.unit == "%" else half

    @property
    def text(self) -> str:
        return f"{self.value:f}{self.unit}"

    def same_kind(self, other: Figure) -> bool:
        """Whether the two can be added or compared: money with money, a count with its own unit."""
        if self.kind != other.kind:
            return False
        return self.kind != "count" or self.unit == other.unit


@dataclass(frozen=True)
class SumClaim:
    total: Figure
    parts: tuple[Figure, ...]


@dataclass(frozen=True)
class ShareClaim:
    part: Figure
    share: Figure
    basis: Figure | None  # the total it is a share of; None when no total of that name is stated
    name: str  # the total as the sentence names it ("总收入"; "" for 占比)


@dataclass(frozen=True)
class ChangeClaim:
    current: Figure
    amount: Figure | None  # 比上年减少 10.94万元
    percent: Figure | None  # 下降 5%
    previous: Figure | None  # the earlier figure when the text states it (上年 or 预算)
    since: str  # "上年" or "预算"


@dataclass(frozen=True)
class RateClaim:
    budget: Figure
    actual: Figure
    rate: Figure


@dataclass(frozen=True)
class CountClaim:
    count: Figure
    items: tuple[str, ...]
    open: bool  # the list ends with 等: it may name fewer than the count


@dataclass(frozen=True)
class CompareClaim:
    left: Figure
    word: str
    op: str
    right: Figure


@dataclass(frozen=True)
class Spot:
    """A piece of a paragraph a claim is about that is no figure: a blank, a grade word, an item number."""

    paragraph: int
    sentence: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class GradeClaim:
    spot: Spot
    grade: str  # 优 / 良 / 中 / 差
    score: Figure | None  # the total score stated in the same paragraph


@dataclass(frozen=True)
class ScoreClaim:
    score: Figure
    indicator: str | None  # the 三级指标 whose heading the score is under; None: the total


@dataclass(frozen=True)
class NumberedItem:
    spot: Spot
    style: str
    number: int
    previous: int | None  # the number before it in its list; None: it starts one


@dataclass
class Report:
    text: ReportText
    figures: list[Figure] = field(default_factory=list)
    sums: list[SumClaim] = field(default_factory=list)
    shares: list[ShareClaim] = field(default_factory=list)
    changes: list[ChangeClaim] = field(default_factory=list)
    rates: list[RateClaim] = field(default_factory=list)
    counts: list[CountClaim] = field(default_factory=list)
    compares: list[CompareClaim] = field(default_factory=list)
    blanks: list[Spot] = field(default_factory=list)
    grades: list[GradeClaim] = field(default_factory=list)
    scores: list[ScoreClaim] = field(default_factory=list)
    numbering: list[NumberedItem] = field(default_factory=list)
    department: str | None = None
    year: int | None = None

    @property
    def path(self) -> str:
        return self.text.path

    def paragraph(self, number: int) -> Paragraph:
        return self.text.paragraphs[number - 1]


# --------------------------------------------------------------------------- figures


def canon(name: str) -> str:
    """A total's name as compared: 总收入, 整体收入 and 本年收入合计 are all 收入."""
    return _TOTAL_WORDS.sub("", _YEAR.sub("", name))


def _label(text: str, start: int, floor: int) -> str:
    i = start
    while i > floor and text[i - 1] not in _BOUNDARY:
        i -= 1
    label = text[i:start]
    # An opening bracket not closed before the figure starts the label: "(含县科协1个)".
    depth, cut = 0, 0
    for j, ch in enumerate(label):
        if ch == "(":
            depth += 1
            if depth == 1:
                cut = j + 1
        elif ch == ")":
            depth = max(depth - 1, 0)
    if depth:
        label = label[cut:]
    label = MARKER.sub("", label)
    label = _YEAR.sub("", label)
    label = _LEAD.sub("", label)
    return _TRAIL.sub("", label)


def _figures(p: Paragraph) -> list[Figure]:
    out: list[Figure] = []
    spans = p.sentences()
    floor = 0
    for m in _FIGURE.finditer(p.text):
        sentence = next(i for i, (s, e) in enumerate(spans, start=1) if s <= m.start() < e)
        s_start = spans[sentence - 1][0]
        label = _label(p.text, m.start(), max(floor, s_start))
        num = m.group("num")
        places = len(num.partition(".")[2])
        change = since = None
        c = _CHANGE.search(label)
        if c is not None and (len(c.group("dir")) > 1 or c.group("cmp")):
            change = "-" if c.group("dir") in _DOWN else "+"
            word = c.group("since") or ("上年" if c.group("cmp") == "同比" else None)
            since = None if word is None else "预算" if "预算" in word else "上年"
        out.append(Figure(p.number, sentence, m.start(), m.end(), Decimal(num), m.group("unit"), places,
                          _APPROX_SHARE.sub("", label), change, since, _approx(p.text, m.start(), m.end(), label)))
        floor = m.end()
    return out


def _approx(text: str, start: int, end: int, label: str) -> str | None:
    """The sign of an approximate figure: 约2914万元, 81%左右, 近82%, 超过2900万元, 90%以上, 约占…81%."""
    m = (_APPROX_BEFORE.search(text, max(start - 6, 0), start) or _APPROX_AFTER.match(text, end)
         or _APPROX_SHARE.match(label))
    return None if m is None else _APPROX_SIGN[m.group("word")]


# --------------------------------------------------------------------------- claims


def _depths(text: str) -> list[int]:
    depth, out = 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        out.append(depth)
        if ch == ")":
            depth = max(depth - 1, 0)
    return out


def _plain(f: Figure) -> bool:
    """A stated amount or count (not a change, not a percentage or a score)."""
    return f.change is None and f.kind in ("money", "count")


class _Paragraphs:
    """Claim extraction over one report: the figures of each paragraph and of its section."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.by_paragraph: dict[int, list[Figure]] = {}
        self.section: dict[int, int] = {}  # paragraph -> the first paragraph of its section
        start = 1
        for p in report.text.paragraphs:
            m = MARKER.match(p.text)
            if m and (m.group("cn") or m.group("pcn")):
                start = p.number
            self.section[p.number] = start
            self.by_paragraph[p.number] = _figures(p)
            report.figures += self.by_paragraph[p.number]
        self.actuals: set[Figure] = set()

    def run(self) -> None:
        for p in self.report.text.paragraphs:
            figures = self.by_paragraph[p.number]
            for number, (s, e) in enumerate(p.sentences(), start=1):
                in_sentence = [f for f in figures if f.sentence == number]
                self._rates(p, in_sentence)
                self._sums(p, number, s, e, in_sentence, figures)
                self._changes(p, in_sentence, figures)
                self._compares(p, number, s, e, in_sentence)
                self._counts(p, number, s, e, figures)
                self._grades(p, number, s, e)
            for sum_claim_share in self._shares(p, figures):
                self.report.shares.append(sum_claim_share)
            self._blanks(p)
        self._numbering()
        self._scores()

    # -- 其中 lists and bracketed breakdowns
    def _sums(self, p: Paragraph, number: int, s: int, e: int, fs: list[Figure], figures: list[Figure]) -> None:
        text = p.text
        depths = _depths(text)
        starts: list[tuple[int, int, int]] = []  # (where the parts start, depth, where they end)
        for m in re.finditer("其中", text[s:e]):
            q = s + m.start()
            d = depths[q]
            starts.append((q, d, self._close(text, q, d, e)))
        for f in fs:  # "B万元(C万元,D万元)": a bracket right after an amount holds its parts
            if f.end < e and text[f.end] == "(":
                close = self._close(text, f.end + 1, depths[f.end] + 1, e)
                if "其中" not in text[f.end:close]:
                    starts.append((f.end, depths[f.end] + 1, close))
        for q, d, end in starts:
            total = self._total_before(text, depths, q, d, fs, figures, number)
            if total is None:
                continue
            parts = tuple(f for f in fs if q < f.start < end and depths[f.start] == d and _plain(f)
                          and f.same_kind(total) and f not in self.actuals and f is not total)
            if len(parts) >= 2:
                self.report.sums.append(SumClaim(total, parts))

    @staticmethod
    def _close(text: str, q: int, d: int, e: int) -> int:
        """Where the bracket of depth ``d`` that ``q`` is in closes (the sentence end at depth 0)."""
        if d == 0:
            return e
        depth = d
        for i in range(q, e):
            if text[i] == "(":
                depth += 1
            elif text[i] == ")":
                depth -= 1
                if depth < d:
                    return i
        return e

    @staticmethod
    def _total_before(text: str, depths: list[int], q: int, d: int, fs: list[Figure], figures: list[Figure],
                      number: int) -> Figure | None:
        if d > 0:  # the amount the bracket follows
            opening = text.rfind("(", 0, q + 1) if text[q] != "(" else q
            while opening > 0 and depths[opening] != d:
                opening = text.rfind("(", 0, opening)
            before = [f for f in fs if f.end == opening]
            return before[0] if before and _plain(before[0]) else None
        before = [f for f in fs if f.end <= q and depths[f.start] == 0 and _plain(f)]
        if before:
            return before[-1]
        if not any(f.end <= q for f in fs):  # "…共有2个…。其中：": the total ends the sentence before
            earlier = [f for f in figures if f.sentence == number - 1 and _plain(f) and depths[f.start] == 0]
            return earlier[-1] if earlier else None
        return None

    # -- 占 … %
    def _shares(self, p: Paragraph, figures: list[Figure]) -> Iterable[ShareClaim]:
        for i, f in enumerate(figures):
            if f.unit != "%" or f.change is not None:
                continue
            m = _SHARE.match(f.label)
            if m is None:
                continue
            part = next((g for g in reversed(figures[:i]) if g.sentence == f.sentence and _plain(g)), None)
            if part is None:
                continue
            name = (m.group("name") or "").strip()
            yield ShareClaim(part, f, self._basis(p, part, name), name)

    def _basis(self, p: Paragraph, part: Figure, name: str) -> Figure | None:
        own = next((s.total for s in self.report.sums if part in s.parts), None)
        key = canon(name)
        if not key:
            return own
        if own is not None and canon(own.label) == key:
            return own
        # The paragraph first (before the part, then after), then its section.
        first = self.section[p.number]
        pools = [self.by_paragraph[p.number]] + [self.by_paragraph[n] for n in range(first, p.number + 1)
                                                  if n != p.number]
        for pool in pools:
            named = [g for g in pool if g is not part and _plain(g) and g.same_kind(part) and canon(g.label) == key]
            before = [g for g in named if (g.paragraph, g.start) < (part.paragraph, part.start)]
            if before or named:
                return (before or named)[-1] if before else named[0]
        return None

    # -- 比上年/比预算 增加/减少 X，增长/下降 Y%
    def _changes(self, p: Paragraph, fs: list[Figure], figures: list[Figure]) -> None:
        used: set[Figure] = set()
        for i, f in enumerate(fs):
            if f.change is None or f in used or f.kind not in ("money", "count", "percent"):
                continue
            current = next((g for g in reversed(fs[:i]) if _plain(g) and (f.kind == "percent" or g.same_kind(f))),
                           None)
            if current is None:
                continue
            amount = percent = None
            if f.kind == "percent":
                percent = f
            else:
                amount = f
                nxt = fs[i + 1] if i + 1 < len(fs) else None
                if nxt is not None and nxt.unit == "%" and nxt.change is not None:
                    percent = nxt
            used.update(x for x in (amount, percent) if x is not None)
            since = next((x.since for x in (amount, percent) if x is not None and x.since), None) or "上年"
            previous = self._previous(current, since, figures)
            if (amount is not None and (percent is not None or previous is not None)) or \
                    (percent is not None and previous is not None):
                self.report.changes.append(ChangeClaim(current, amount, percent, previous, since))

    @staticmethod
    def _previous(current: Figure, since: str, figures: list[Figure]) -> Figure | None:
        words = ("上年", "去年") if since == "上年" else ("预算",)
        named = [g for g in figures if g is not current and _plain(g) and g.same_kind(current)
                 and any(w in g.label for w in words)]
        before = [g for g in named if g.start < current.start]
        return before[-1] if before else (named[0] if named else None)

    # -- 预算 a，拨付 b，拨付完成 c%
    def _rates(self, p: Paragraph, fs: list[Figure]) -> None:
        for i, f in enumerate(fs):
            if f.unit != "%" or f.change is not None or _SHARE.match(f.label) or not _RATE.search(f.label):
                continue
            segment = p.text.rfind(";", 0, f.start)
            before = [g for g in fs[:i] if g.start > segment and _plain(g)]
            actual = next((g for g in reversed(before) if any(w in g.label for w in _ACTUAL)), None)
            if actual is None:
                continue
            budget = next((g for g in reversed(before) if g.start < actual.start and g.same_kind(actual)), None)
            if budget is not None:
                self.report.rates.append(RateClaim(budget, actual, f))
                self.actuals.add(actual)

    # -- 小于/超过 …
    def _compares(self, p: Paragraph, number: int, s: int, e: int, fs: list[Figure]) -> None:
        ops = dict(_COMPARE)
        for m in _COMPARE_RE.finditer(p.text, s, e):
            left = next((g for g in reversed(fs) if g.end <= m.start() and g.change is None), None)
            right = next((g for g in fs if g.start >= m.end()), None)
            if left is None or right is None or not left.same_kind(right) or right.change is not None:
                continue
            between = p.text[m.end():right.start]
            if len(between) > 12 or any(c in between for c in _BOUNDARY) or _BY_AMOUNT.search(between):
                continue
            negated = _NEGATION.search(p.text, max(m.start() - 3, s), m.start())
            word = (negated.group() if negated else "") + m.group()
            op = _NEGATED[ops[m.group()]] if negated else ops[m.group()]
            self.report.compares.append(CompareClaim(left, word, op, right))

    # -- 共 N 个：甲、乙、丙
    def _counts(self, p: Paragraph, number: int, s: int, e: int, figures: list[Figure]) -> None:
        text = p.text
        by_start = {f.start: f for f in figures}
        for m in _COUNT_LIST.finditer(text, s, e):
            count = by_start.get(m.start("n"))
            if count is None:
                continue
            items = tuple(x.strip() for x in m.group("items").split("、"))
            if m.start("items") > s and text[m.start("items") - 1] not in _BOUNDARY:
                items = items[1:]  # "…25家企业参加博览会、组织甲、乙等3家": the first piece ends another phrase
            if len(items) < 2:
                continue
            self.report.counts.append(CountClaim(count, items, m.group("etc") is not None))
        for m in _TOTAL_COUNT.finditer(text, s, e):
            count = by_start.get(m.start("n"))
            if count is None or any(c.count is count for c in self.report.counts):
                continue
            rest = text[m.end():e]
            colon = rest.find(":")
            listed = rest[colon + 1:] if colon >= 0 and "其中" not in rest[:colon] else None
            if listed is None:  # "…共有2个…。其中：甲…；乙…。"
                spans = p.sentences()
                if number < len(spans):
                    nxt = text[spans[number][0]:spans[number][1]]
                    if nxt.startswith("其中:"):
                        listed = nxt[3:]
            if not listed:
                continue
            listed = listed.rstrip("。")
            items = tuple(x for x in (listed.split(";") if ";" in listed else listed.split("、")) if x.strip())
            if len(items) >= 2:
                self.report.counts.append(CountClaim(count, items, False))

    # -- 占 %、收入万元: a figure left out
    def _blanks(self, p: Paragraph) -> None:
        spans = p.sentences()
        for rx in (_BLANK_PERCENT, _BLANK_MONEY, _PLACEHOLDER):
            for m in rx.finditer(p.text):
                if rx is _BLANK_MONEY and p.text[max(m.start() - 3, 0):m.start()].endswith(("单位", "单位:", "(")):
                    continue
                sentence = next(i for i, (s, e) in enumerate(spans, start=1) if s <= m.start() < e)
                self.report.blanks.append(Spot(p.number, sentence, m.start(), m.end(), m.group()))

    # -- 自评情况良好
    def _grades(self, p: Paragraph, number: int, s: int, e: int) -> None:
        for m in _GRADE.finditer(p.text, s, e):
            word = m.group("any") or m.group("two")
            start = m.start("any") if m.group("any") else m.start("two")
            spot = Spot(p.number, number, start, start + len(word), word)
            self.report.grades.append(GradeClaim(spot, GRADE_WORDS[word], None))

    def _scores(self) -> None:
        heading: str | None = None
        totals: dict[int, Figure] = {}
        for p in self.report.text.paragraphs:
            m = MARKER.match(p.text)
            if m and m.group("circ"):
                heading = p.text[m.end():].strip()
            elif m:
                heading = None
            for s in _SCORE.finditer(p.text):
                f = next((g for g in self.by_paragraph[p.number] if g.start == s.start("num") and g.unit == "分"), None)
                if f is None:
                    continue
                # 自评得分 outside an indicator's heading is the total too (the draft's 自评结论 says so).
                label = s.group("label")
                total = any(w in label for w in ("总", "综合", "合计")) or (heading is None and label.endswith("得分"))
                if total:
                    totals.setdefault(p.number, f)
                self.report.scores.append(ScoreClaim(f, None if total else heading))
        self.report.grades[:] = [GradeClaim(g.spot, g.grade, totals.get(g.spot.paragraph))
                                 for g in self.report.grades]

    # -- 1、2、3…
    def _numbering(self) -> None:
        stack: list[tuple[str, int]] = []  # (style, last number) from the outermost list in
        for p in self.report.text.paragraphs:
            m = MARKER.match(p.text)
            if m is None:
                continue
            style = next(k for k, v in m.groupdict().items() if v)
            n = _number(m.group(style), style)
            styles = [st for st, _ in stack]
            previous = None
            if style in styles:
                at = styles.index(style)
                previous = stack[at][1]
                del stack[at:]
            if previous is not None and n == 1 and previous != 1:
                previous = None  # a new list of the same style
            stack.append((style, n))
            spot = Spot(p.number, 1, m.start(), m.end(), m.group())
            self.report.numbering.append(NumberedItem(spot, style, n, previous))


def _number(token: str, style: str) -> int:
    if style == "circ":
        return ord(token) - 0x2460 + 1
    if style in ("cn", "pcn"):
        cn = token.strip("()、")
        if cn.startswith("十"):
            return 10 + (_CN_DIGITS.get(cn[1:], 0) if len(cn) > 1 else 0)
        if "十" in cn:
            tens, _, ones = cn.partition("十")
            return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
        return _CN_DIGITS[cn]
    return int(re.sub(r"\D", "", token))


_DEPT = re.compile(r"^部门(?:名称)?:(?:\(公章\))?(?P<name>.+)$")
_REPORT_YEAR = re.compile(r"(?P<year>20\d\d)年度?(?:部门)?(?:整体支出|整体收入|部门预算|预算|决算|县级财政)")


def extract(text: ReportText) -> Report:
    """Every figure and claim of the report."""
    report = Report(text)
    _Paragraphs(report).run()
    for p in text.paragraphs[:15]:
        m = _DEPT.match(p.text)
        if m:
            report.department = m.group("name").strip()
            break
    years = [int(m.group("year")) for p in text.paragraphs for m in _REPORT_YEAR.finditer(p.text)]
    report.year = max(set(years), key=years.count) if years else None
    return report
