"""Gaps in service provision and cross-agency overlaps: pure functions on entries.

`analyse` finds, in one pass over the chronology (DESIGN.md section 6):

* **gaps** — runs of silent days of at least `gap_days`: `all-agency` gaps inside the review
  period, `agency` gaps between two consecutive entries of one agency (with what the other
  agencies recorded meanwhile) and `missing-return`s (agencies of review.toml with no return);
* **overlaps** — clusters of entries of two or more agencies within `window_days` of each other
  (single linkage), with whether any entry records communication with another agency of the
  cluster;
* **possible duplicates** — same-day entries of two agencies with near-identical texts.

Decisions (recorded here because the design is silent on them):

* Author notes (Source starting with ``#``) are not activity: they are ignored throughout.
* An entry covers ``entry.first_day .. entry.last_day`` (its End Date, when it has one); a
  month- or year-precision date counts on the first day of its month or year, as it sorts.
* Every gap is clipped to the review period when one is given (the silence reported is the part
  inside the period); `days` is the clipped length. With no period, the review runs from the
  first entry's first day to the last day any entry covers.
* "Chronology order" is the order of the first day, ties kept in the order given (collate passes
  entries already sorted, so this is the Chronology sheet's order).
* `others_active` / `others_entries` count the entries of other agencies whose covered days meet
  the gap.
* Gaps are listed all-agency first (by date), then agency gaps (agency order, then date), then
  missing returns (review.toml order). Agency order is review.toml's, then other names A–Z.
* Possible duplicates compare the Event text, normalised (case, spacing and punctuation
  ignored), of entries with the same date and precision. Texts shorter than
  `DUPLICATE_MIN_CHARS` letters and digits ("DNA", "Phone call") are not compared. Identical
  texts are always found; near-identical ones (difflib ratio >= `DUPLICATE_SIMILARITY`) are
  looked for on days with at most `DUPLICATE_DAY_LIMIT` entries (the cap that keeps a very busy
  chronology linear).

Everything per entry is done with numpy on day numbers (days since 1970-01-01) after one pass
that reads the entries, so a million entries take about a second.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import repeat
from operator import attrgetter, is_not, methodcaller

import numpy as np

from sarkit.entries import Entry
from sarkit.review import Agency

__all__ = [
    "Analysis",
    "Gap",
    "Overlap",
    "PossibleDuplicate",
    "analyse",
    "analysis_to_json",
    "duplicate_to_dict",
    "flags_for",
    "gap_to_dict",
    "overlap_to_dict",
]

DUPLICATE_SIMILARITY = 0.9
DUPLICATE_MIN_CHARS = 20
DUPLICATE_DAY_LIMIT = 40
_DUPLICATE_MAX_CHARS = 2000  # longer texts are compared on their first 2,000 characters

RECORDED = "recorded"
NONE_RECORDED = "none recorded"


@dataclass(frozen=True, slots=True)
class Gap:
    """A run of silent days. kind: 'all-agency' | 'agency' | 'missing-return'."""

    kind: str
    agency: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    days: int | None = None
    before_ref: str | None = None  # the entry before the gap (None at the review's start)
    after_ref: str | None = None  # the entry after the gap (None at the review's end)
    others_active: int = 0  # other agencies that recorded something inside an agency gap
    others_entries: int = 0  # and how many entries they recorded there


@dataclass(frozen=True, slots=True)
class Overlap:
    """Entries of two or more agencies within the window of each other (single linkage)."""

    id: str  # O1, O2… in date order
    start: dt.date
    end: dt.date
    agencies: tuple[str, ...]
    refs: tuple[str, ...]
    communication: str  # 'recorded' | 'none recorded'


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    """Same-day entries of two agencies whose texts are near-identical."""

    date: dt.date
    refs: tuple[str, str]
    agencies: tuple[str, str]
    similarity: float


@dataclass(slots=True)
class Analysis:
    gaps: list[Gap] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)
    duplicates: list[PossibleDuplicate] = field(default_factory=list)
    missing_returns: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Reading the entries into arrays

_EPOCH = dt.date(1970, 1, 1).toordinal()
_I64 = np.int64


def _date(day: int) -> dt.date:
    return dt.date.fromordinal(_EPOCH + int(day))


def _day(date: dt.date) -> int:
    return date.toordinal() - _EPOCH


def _months_since_epoch(years: np.ndarray, months: np.ndarray) -> np.ndarray:
    return (years - 1970) * 12 + (months - 1)


def _parts(dates: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of PartialDates as arrays; a missing month or day is NaN."""
    n = len(dates)
    years = np.fromiter(map(attrgetter("year"), dates), _I64, n)
    months = np.array(list(map(attrgetter("month"), dates)), dtype=float)
    days = np.array(list(map(attrgetter("day"), dates)), dtype=float)
    return years, months, days


def _first_days(years: np.ndarray, months: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Day numbers of the first day each date covers (the start of its month or year)."""
    m = np.where(np.isnan(months), 1.0, months).astype(_I64)
    d = np.where(np.isnan(days), 1.0, days).astype(_I64)
    ms = _months_since_epoch(years, m)
    return ms.astype("datetime64[M]").astype("datetime64[D]").astype(_I64) + (d - 1)


def _last_days(years: np.ndarray, months: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Day numbers of the last day each date covers (the end of its month or year)."""
    no_month = np.isnan(months)
    no_day = np.isnan(days)
    m = np.where(no_month, 12.0, months).astype(_I64)
    ms = _months_since_epoch(years, m)
    month_end = (ms + 1).astype("datetime64[M]").astype("datetime64[D]").astype(_I64) - 1
    d = np.where(no_day, 1.0, days).astype(_I64)
    exact = ms.astype("datetime64[M]").astype("datetime64[D]").astype(_I64) + (d - 1)
    return np.where(no_day | no_month, month_end, exact)


@dataclass(slots=True)
class _Table:
    """The activity entries (notes left out) as arrays, in chronology order.

    Position i in every array is the i-th activity entry in chronology order; `index[i]` is its
    position in the list given to `analyse`.
    """

    entries: Sequence[Entry]
    index: np.ndarray  # position in `entries`
    first: np.ndarray  # first covered day
    last: np.ndarray  # last covered day (End Date, when there is one)
    ends: np.ndarray  # has an End Date
    code: np.ndarray  # agency number, into `names`
    precision: np.ndarray  # 0 day, 1 month, 2 year (of the Date)
    names: list[str]  # agency strings as the entries write them, by code

    def __len__(self) -> int:
        return len(self.index)

    def ref(self, i: int) -> str:
        return self.entries[int(self.index[i])].ref

    def refs(self) -> list[str]:
        """Refs by chronology position (read once, for the loops that build results)."""
        get = self.entries.__getitem__
        return [get(i).ref for i in self.index.tolist()]


def _table(entries: Sequence[Entry]) -> _Table:
    n = len(entries)
    sources = list(map(attrgetter("source"), entries))
    notes = np.fromiter(map(methodcaller("startswith", "#"), sources), bool, n)
    del sources
    keep = np.flatnonzero(~notes) if notes.any() else np.arange(n)
    kept: Sequence[Entry] = entries if len(keep) == n else [entries[i] for i in keep.tolist()]
    m = len(kept)

    dates = list(map(attrgetter("date"), kept))
    years, months, days = _parts(dates)
    del dates
    first = _first_days(years, months, days)
    precision = np.where(np.isnan(months), 2, np.where(np.isnan(days), 1, 0)).astype(np.int8)
    last = first.copy()
    end_dates = list(map(attrgetter("end_date"), kept))
    ends = np.fromiter(map(is_not, end_dates, repeat(None)), bool, m)
    if ends.any():
        where = np.flatnonzero(ends)
        ey, em, ed = _parts([end_dates[i] for i in where.tolist()])
        last[where] = np.maximum(_last_days(ey, em, ed), first[where])
    del end_dates

    agency_strings = list(map(attrgetter("agency"), kept))
    numbering = dict.fromkeys(agency_strings)
    names = list(numbering)
    for number, name in enumerate(names):
        numbering[name] = number
    code = np.fromiter(map(numbering.__getitem__, agency_strings), np.int32, m)
    del agency_strings

    order = np.argsort(first, kind="stable")
    return _Table(
        entries=entries, index=keep[order], first=first[order], last=last[order],
        ends=ends[order], code=code[order], precision=precision[order], names=names,
    )


# --------------------------------------------------------------------------------------------
# Agencies: review.toml's records, their order and the words that name them


def _resolve(name: str, agencies: Sequence[Agency]) -> int | None:
    """The review.toml agency an entry's agency string means: exact name, then any name
    (name, short name, alias) ignoring case."""
    for number, agency in enumerate(agencies):
        if agency.name == name:
            return number
    folded = name.strip().casefold()
    for number, agency in enumerate(agencies):
        if folded in {n.strip().casefold() for n in agency.names()}:
            return number
    return None


def _agency_sort_keys(names: list[str], agencies: Sequence[Agency]) -> list[tuple[int, str]]:
    """Per agency code: review.toml order first, then other names A–Z."""
    keys = []
    for name in names:
        number = _resolve(name, agencies)
        keys.append((number, "") if number is not None else (len(agencies), name.casefold()))
    return keys


_WORD = re.compile(r"\w")


class _Mentions:
    """Finds, in a text, which agencies it names (by name, short name or alias)."""

    def __init__(self, names: list[str], agencies: Sequence[Agency]) -> None:
        words: dict[str, set[int]] = {}
        for code, name in enumerate(names):
            number = _resolve(name, agencies)
            variants = {name}
            if number is not None:
                variants.update(agencies[number].names())
            for variant in variants:
                if variant.strip():
                    words.setdefault(variant.casefold(), set()).add(code)
        self.codes = {word: frozenset(codes) for word, codes in words.items()}
        ordered = sorted(words, key=lambda w: (-len(w), w))
        self.pattern = (
            re.compile("|".join(_mention_pattern(w) for w in ordered)) if ordered else None
        )

    def names_any(self, text: str, wanted: frozenset[int]) -> bool:
        """Does `text` name one of the agencies `wanted`?"""
        if not text or self.pattern is None:
            return False
        codes = self.codes
        return any(
            not codes[match.group()].isdisjoint(wanted)
            for match in self.pattern.finditer(text.casefold())
        )


def _mention_pattern(word: str) -> str:
    """A name matches at word boundaries where it starts or ends with a letter or digit
    ("GP" not in "GPS"); an alias written with a space ("PC ") is matched as written."""
    text = re.escape(word)
    if _WORD.match(word[0]):
        text = r"(?<!\w)" + text
    if _WORD.match(word[-1]):
        text += r"(?!\w)"
    return text


# --------------------------------------------------------------------------------------------
# Gaps


def _clip(starts: np.ndarray, ends: np.ndarray, lo: int | None, hi: int | None):
    if lo is not None:
        starts = np.maximum(starts, lo)
    if hi is not None:
        ends = np.minimum(ends, hi)
    return starts, ends


def _latest_holder(last: np.ndarray, running: np.ndarray) -> np.ndarray:
    """For each position, the latest position at or before it whose last day is the running
    maximum: the entry that covers the day before a gap."""
    positions = np.where(last == running, np.arange(len(last)), 0)
    return np.maximum.accumulate(positions)


def _all_agency_gaps(
    t: _Table, refs: list[str], lo: int | None, hi: int | None, gap_days: int
) -> list[Gap]:
    if len(t) == 0:
        if lo is None or hi is None or hi - lo + 1 < gap_days:
            return []
        return [Gap("all-agency", None, _date(lo), _date(hi), hi - lo + 1)]
    running = np.maximum.accumulate(t.last)
    holder = _latest_holder(t.last, running)
    lo_ = int(t.first[0]) if lo is None else lo
    hi_ = int(running[-1]) if hi is None else hi
    # The silent run before position k+1 (k = -1: before the first entry; k = n-1: after the last).
    starts = np.concatenate(([lo_], running + 1))
    ends = np.concatenate((t.first - 1, [hi_]))
    starts, ends = _clip(starts, ends, lo_, hi_)
    days = ends - starts + 1
    found = np.flatnonzero(days >= gap_days)
    n = len(t)
    gaps = []
    for k in found.tolist():  # k: the gap before chronology position k (n: after the last)
        before = refs[int(holder[k - 1])] if k > 0 else None
        after = refs[k] if k < n else None
        gaps.append(Gap("all-agency", None, _date(starts[k]), _date(ends[k]), int(days[k]),
                        before, after))
    return gaps


def _agency_gaps(
    t: _Table, refs: list[str], lo: int | None, hi: int | None, gap_days: int,
    sort_keys: list[tuple[int, str]],
) -> list[Gap]:
    if len(t) < 2:
        return []
    by_agency = np.argsort(t.code, kind="stable")  # by agency, then chronology
    code = t.code[by_agency]
    first = t.first[by_agency]
    last = t.last[by_agency]
    # A running maximum of the last day within each agency: shift each agency above the one
    # before it so the maximum never carries over from one agency to the next.
    base = int(last.min())
    span = int(last.max()) - base + 2
    shift = code.astype(_I64) * span
    running = np.maximum.accumulate(last - base + shift) - shift + base
    holder = _latest_holder(last, running)
    same = code[1:] == code[:-1]
    starts, ends = _clip(running[:-1] + 1, first[1:] - 1, lo, hi)
    days = ends - starts + 1
    found = np.flatnonzero(same & (days >= gap_days))
    if len(found) == 0:
        return []
    g_start, g_end, g_code = starts[found], ends[found], code[found]

    # Entries meeting [start, end]: first <= end, minus those with last < start.
    sorted_last = np.sort(t.last)
    total = np.searchsorted(t.first, g_end, "right") - np.searchsorted(sorted_last, g_start, "left")
    active = np.zeros(len(found), _I64)
    bounds = np.flatnonzero(np.diff(code)) + 1
    for s, e in zip(np.r_[0, bounds].tolist(), np.r_[bounds, len(code)].tolist(), strict=True):
        own_first = first[s:e]  # sorted: chronology order within the agency
        own_last = np.sort(last[s:e])
        met = np.searchsorted(own_first, g_end, "right") - np.searchsorted(own_last, g_start, "left")
        active += (met > 0) & (g_code != code[s])
    gaps = []
    for j, k in enumerate(found.tolist()):
        agency = int(g_code[j])
        gap = Gap(
            "agency", t.names[agency], _date(g_start[j]), _date(g_end[j]), int(days[k]),
            refs[int(by_agency[holder[k]])], refs[int(by_agency[k + 1])],
            int(active[j]), int(total[j]),
        )
        gaps.append((sort_keys[agency], gap.start, gap))
    gaps.sort(key=lambda item: item[:2])
    return [gap for _, _, gap in gaps]


def _missing_returns(agencies: Sequence[Agency], returned: Iterable[str]) -> list[str]:
    given = list(returned)
    exact = set(given)
    folded = {name.strip().casefold() for name in given}
    missing = []
    for agency in agencies:
        if agency.name in exact:
            continue
        if any(n.strip().casefold() in folded for n in agency.names()):
            continue
        missing.append(agency.name)
    return missing


# --------------------------------------------------------------------------------------------
# Overlaps


def _overlaps(
    t: _Table, refs: list[str], window_days: int, sort_keys: list[tuple[int, str]],
    mentions: _Mentions, by_review: bool,
) -> list[Overlap]:
    n = len(t)
    if n < 2:
        return []
    # Points: every entry on its first day, and on its End Date when that is another day.
    second = np.flatnonzero(t.ends & (t.last != t.first))
    p_day = np.concatenate((t.first, t.last[second]))
    p_pos = np.concatenate((np.arange(n), second))  # chronology position of the entry
    order = np.lexsort((p_pos, p_day))
    p_day, p_pos = p_day[order], p_pos[order]
    cluster = np.concatenate(([0], np.cumsum(np.diff(p_day) > window_days)))
    p_code = t.code[p_pos].astype(_I64)
    n_codes = len(t.names)

    # Clusters with two or more agencies.
    pairs = np.unique(cluster * n_codes + p_code)
    per_cluster = np.bincount(pairs // n_codes, minlength=int(cluster[-1]) + 1)
    multi = per_cluster[cluster] >= 2
    if not multi.any():
        return []
    p_day, p_pos, cluster, p_code = p_day[multi], p_pos[multi], cluster[multi], p_code[multi]

    # Each cluster's span, and its entries in chronology order, each once.
    heads = np.flatnonzero(np.r_[True, cluster[1:] != cluster[:-1]])
    tails = np.r_[heads[1:], len(cluster)] - 1
    c_start, c_end = p_day[heads], p_day[tails]
    order = np.lexsort((p_pos, cluster))
    e_cluster, e_pos = cluster[order], p_pos[order]
    fresh = np.r_[True, (e_cluster[1:] != e_cluster[:-1]) | (e_pos[1:] != e_pos[:-1])]
    e_cluster, e_pos = e_cluster[fresh], e_pos[fresh]
    e_heads = np.r_[np.flatnonzero(np.r_[True, e_cluster[1:] != e_cluster[:-1]]), len(e_pos)]

    # Each cluster's agencies, each once: in review.toml order when agencies are given, else
    # in order of first appearance (chronology order) in the cluster.
    e_code = t.code[e_pos].astype(_I64)
    e_index = np.arange(len(e_pos))
    order = np.lexsort((e_index, e_code, e_cluster))
    a_cluster, a_code, a_first = e_cluster[order], e_code[order], e_index[order]
    fresh = np.r_[True, (a_cluster[1:] != a_cluster[:-1]) | (a_code[1:] != a_code[:-1])]
    a_cluster, a_code, a_first = a_cluster[fresh], a_code[fresh], a_first[fresh]
    ranking = np.zeros(n_codes, _I64)
    if by_review:
        for rank, code in enumerate(sorted(range(n_codes), key=sort_keys.__getitem__)):
            ranking[code] = rank
    order = np.lexsort((a_first, ranking[a_code], a_cluster))
    a_cluster, a_code = a_cluster[order], a_code[order]
    a_heads = np.r_[np.flatnonzero(np.r_[True, a_cluster[1:] != a_cluster[:-1]]), len(a_code)]

    e_pos_list = e_pos.tolist()
    e_heads_list = e_heads.tolist()
    a_code_list = a_code.tolist()
    a_heads_list = a_heads.tolist()
    codes = t.code.tolist()
    names = t.names
    starts, ends = c_start.tolist(), c_end.tolist()
    get = t.entries.__getitem__
    index = t.index.tolist()
    overlaps = []
    for number in range(len(heads)):
        positions = e_pos_list[e_heads_list[number]:e_heads_list[number + 1]]
        cluster_codes = a_code_list[a_heads_list[number]:a_heads_list[number + 1]]
        communication = NONE_RECORDED
        if mentions.pattern is not None:
            wanted = frozenset(cluster_codes)
            for pos in positions:
                entry = get(index[pos])
                others = wanted - {codes[pos]}
                if (mentions.names_any(entry.event, others)
                        or mentions.names_any(entry.action, others)
                        or mentions.names_any(entry.source, others)
                        or mentions.names_any(entry.analysis, others)):
                    communication = RECORDED
                    break
        overlaps.append(Overlap(
            id=f"O{number + 1}",
            start=_date(starts[number]),
            end=_date(ends[number]),
            agencies=tuple(names[c] for c in cluster_codes),
            refs=tuple(map(refs.__getitem__, positions)),
            communication=communication,
        ))
    return overlaps


# --------------------------------------------------------------------------------------------
# Possible duplicates

_DROP = bytes(c for c in range(128) if not chr(c).isalnum())


def _duplicate_key(text: str) -> bytes:
    """The text with case, spacing and punctuation ignored (letters and digits only)."""
    return text.casefold().encode("utf-8", "replace").translate(None, _DROP)


def _duplicates(t: _Table, refs: list[str]) -> list[PossibleDuplicate]:
    n = len(t)
    if n < 2:
        return []
    # Same date, same precision (a 'May 2016' entry is not on 1 May 2016); the stable sort keeps
    # chronology order inside each day. Only days with entries of two or more agencies.
    key = t.first * 4 + t.precision
    order = np.argsort(key, kind="stable")
    key, code = key[order], t.code[order]
    heads = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    tails = np.r_[heads[1:], n]
    mixed = np.minimum.reduceat(code, heads) != np.maximum.reduceat(code, heads)
    heads, tails = heads[mixed], tails[mixed]
    if len(heads) == 0:
        return []
    found: list[tuple[int, int, float]] = []
    order_list = order.tolist()
    codes = t.code.tolist()
    get = t.entries.__getitem__
    index = t.index.tolist()
    for head, tail in zip(heads.tolist(), tails.tolist(), strict=True):
        positions = order_list[head:tail]
        # Each distinct text, with the first position at which each agency wrote it.
        texts: dict[bytes, dict[int, int]] = {}
        for pos in positions:
            text = _duplicate_key(get(index[pos]).event)
            if len(text) < DUPLICATE_MIN_CHARS:
                continue
            writers = texts.get(text)
            if writers is None:
                texts[text] = {codes[pos]: pos}
                continue
            own = codes[pos]
            other = min((p for c, p in writers.items() if c != own), default=None)
            if other is not None:
                found.append((other, pos, 1.0))
            writers.setdefault(own, pos)
        if tail - head > DUPLICATE_DAY_LIMIT or len(texts) < 2:
            continue
        items = [(text, c, p) for text, writers in texts.items() for c, p in writers.items()]
        for x, (a, ca, pa) in enumerate(items):
            for b, cb, pb in items[x + 1:]:
                if ca == cb or a is b:
                    continue
                similarity = _similarity(a, b)
                if similarity >= DUPLICATE_SIMILARITY:
                    found.append((min(pa, pb), max(pa, pb), similarity))
    found.sort()
    return [
        PossibleDuplicate(
            date=_date(t.first[a]), refs=(refs[a], refs[b]),
            agencies=(t.names[codes[a]], t.names[codes[b]]), similarity=round(s, 3),
        )
        for a, b, s in found
    ]


def _similarity(a: bytes, b: bytes) -> float:
    la, lb = len(a), len(b)
    if 2 * min(la, lb) < DUPLICATE_SIMILARITY * (la + lb):  # difflib's real_quick_ratio
        return 0.0
    matcher = SequenceMatcher(None, a[:_DUPLICATE_MAX_CHARS], b[:_DUPLICATE_MAX_CHARS],
                              autojunk=False)
    if matcher.quick_ratio() < DUPLICATE_SIMILARITY:
        return 0.0
    return matcher.ratio()


# --------------------------------------------------------------------------------------------
# The analysis


def analyse(
    entries: Sequence[Entry],
    *,
    agencies: Sequence[Agency] = (),
    returned: Sequence[str] = (),
    period: tuple[dt.date | None, dt.date | None] = (None, None),
    gap_days: int = 28,
    window_days: int = 0,
) -> Analysis:
    """Everything `sarkit gaps` and the combined workbook show.

    `entries` carry refs; `agencies` are review.toml's; `returned` the agencies that sent a
    return (nil returns included) so the rest are missing returns.
    """
    gap_days = max(1, int(gap_days))
    window_days = max(0, int(window_days))
    t = _table(entries)
    refs = t.refs()
    lo = _day(period[0]) if period[0] is not None else None
    hi = _day(period[1]) if period[1] is not None else None
    if lo is not None and hi is not None and hi < lo:
        lo = hi = None  # an impossible period (review.toml refuses one) is ignored
    sort_keys = _agency_sort_keys(t.names, agencies)

    gaps = _all_agency_gaps(t, refs, lo, hi, gap_days)
    gaps += _agency_gaps(t, refs, lo, hi, gap_days, sort_keys)
    missing = _missing_returns(agencies, [*returned, *t.names])
    gaps += [Gap("missing-return", name) for name in missing]
    mentions = _Mentions(t.names, agencies)
    overlaps = _overlaps(t, refs, window_days, sort_keys, mentions, by_review=bool(agencies))
    duplicates = _duplicates(t, refs)
    return Analysis(gaps=gaps, overlaps=overlaps, duplicates=duplicates, missing_returns=missing)


# --------------------------------------------------------------------------------------------
# Flags and JSON


def _days_text(days: int | None) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def flags_for(entries: Sequence[Entry], analysis: Analysis) -> dict[str, list[str]]:
    """The Flags column of the combined Chronology: entry ref -> its flags, in this order:
    'all-agency gap of 60 days before' (or '… after' on the last entry, for a silence at the
    end of the review), 'gap of 41 days before' (the first entry after its agency's silence),
    'multi-agency O3' (each entry of overlap O3), 'possible duplicate of C0012'.
    Only refs of `entries` are keyed; entries without flags are left out.
    """
    known = {entry.ref for entry in entries}
    flags: dict[str, list[str]] = {}

    def add(ref: str | None, text: str) -> None:
        if ref and ref in known:
            flags.setdefault(ref, []).append(text)

    for gap in analysis.gaps:
        if gap.kind == "all-agency":
            if gap.after_ref:
                add(gap.after_ref, f"all-agency gap of {_days_text(gap.days)} before")
            else:
                add(gap.before_ref, f"all-agency gap of {_days_text(gap.days)} after")
    for gap in analysis.gaps:
        if gap.kind == "agency":
            add(gap.after_ref, f"gap of {_days_text(gap.days)} before")
    for overlap in analysis.overlaps:
        text = f"multi-agency {overlap.id}"
        for ref in overlap.refs:
            add(ref, text)
    for duplicate in analysis.duplicates:
        first, second = duplicate.refs
        add(first, f"possible duplicate of {second}")
        add(second, f"possible duplicate of {first}")
    return flags


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date is not None else None


def gap_to_dict(gap: Gap) -> dict[str, object]:
    return {
        "kind": gap.kind,
        "agency": gap.agency,
        "start": _iso(gap.start),
        "end": _iso(gap.end),
        "days": gap.days,
        "before_ref": gap.before_ref,
        "after_ref": gap.after_ref,
        "others_active": gap.others_active,
        "others_entries": gap.others_entries,
    }


def overlap_to_dict(overlap: Overlap) -> dict[str, object]:
    return {
        "id": overlap.id,
        "start": _iso(overlap.start),
        "end": _iso(overlap.end),
        "agencies": list(overlap.agencies),
        "refs": list(overlap.refs),
        "communication": overlap.communication,
    }


def duplicate_to_dict(duplicate: PossibleDuplicate) -> dict[str, object]:
    return {
        "date": _iso(duplicate.date),
        "refs": list(duplicate.refs),
        "agencies": list(duplicate.agencies),
        "similarity": duplicate.similarity,
    }


def analysis_to_json(analysis: Analysis) -> dict[str, object]:
    """DESIGN.md section 6's JSON object (dates as ISO strings)."""
    return {
        "gaps": [gap_to_dict(g) for g in analysis.gaps],
        "overlaps": [overlap_to_dict(o) for o in analysis.overlaps],
        "duplicates": [duplicate_to_dict(d) for d in analysis.duplicates],
        "missing_returns": list(analysis.missing_returns),
    }
