"""Gaps in service provision and cross-agency overlaps: pure functions on entries.

`analyse` finds, in one pass over the chronology (DESIGN.md section 6):

* **gaps** — runs of silent days of at least `gap_days`: `all-agency` gaps inside the review
  period, `agency` gaps between two consecutive entries of one agency (with what the other
  agencies recorded meanwhile), `missing-return`s (agencies of review.toml that sent nothing)
  and `unusable-return`s (agencies whose every return was received but could not be read);
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
  missing returns (review.toml order), then unusable returns. Agency order is review.toml's,
  then other names A–Z.
* Possible duplicates compare the Event texts of entries of two agencies with the same date and
  precision, normalised (case, spacing and punctuation ignored); texts with fewer than
  `DUPLICATE_MIN_CHARS` letters and digits ("DNA", "Phone call") are not compared. On a day
  with at most `DUPLICATE_DAY_LIMIT` entries every pair is compared: identical texts, and
  near-identical ones (most words shared and difflib ratio >= `DUPLICATE_SIMILARITY`; rapidfuzz's
  longest common subsequence first rules out the pairs that cannot get there). On a
  busier day (only seen in very large or synthetic chronologies) only texts identical apart
  from case and surrounding spaces are found — the cap that keeps the work linear.
* Communication: an entry's Event, Action, Source and Analysis are searched for the names,
  short names and aliases of the overlap's other agencies (`_Mentions`); an agency not in
  review.toml is known by the name its entries give. The entry's own agency does not count.
* An entry with a month- or year-precision Date ('May 2025') is in no overlap: it happened on
  no known day, and an overlap on the 1st of the month would be a false prompt.

Speed: the entries are read once into numpy arrays of day numbers (days since 1970-01-01) and
agency numbers; everything else is sorting and vectorised arithmetic, with Python loops only
over what is reported. Texts are read only for communication (until an entry naming another
agency is found, with a vectorised screen when many must be read) and for duplicates. A
million entries take 1.5–2.5 seconds on a 2-core machine (`benchmarks/bench_analysis.py`).
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from itertools import repeat
from operator import attrgetter, is_not

import numpy as np

from sarkit.entries import Entry
from sarkit.review import Agency

__all__ = [
    "Analysis",
    "Evidence",
    "Gap",
    "Overlap",
    "PatternCount",
    "PossibleDuplicate",
    "Trail",
    "Vocabulary",
    "analyse",
    "analysis_to_json",
    "duplicate_to_dict",
    "entries_naming",
    "flags_for",
    "gap_to_dict",
    "overlap_to_dict",
    "pattern_to_dict",
    "trail_to_dict",
    "trails_and_patterns",
]

DUPLICATE_SIMILARITY = 0.9
DUPLICATE_MIN_CHARS = 20
DUPLICATE_DAY_LIMIT = 25
_DUPLICATE_WORDS = 0.8  # share of words two texts must have in common to be compared
_DUPLICATE_MAX_CHARS = 2000  # longer texts are compared on their first 2,000 characters

RECORDED = "recorded"
RETURN_KINDS = ("missing-return", "unusable-return")  # gap kinds that are returns, not silences
NONE_RECORDED = "none recorded"


@dataclass(frozen=True, slots=True)
class Gap:
    """A run of silent days. kind: 'all-agency' | 'agency' | 'missing-return' (nothing received)
    | 'unusable-return' (received, nothing could be read)."""

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
class Evidence:
    """The words of an entry that made a verdict: where another agency is named."""

    ref: str
    words: str


@dataclass(frozen=True, slots=True)
class Overlap:
    """Entries of two or more agencies within the window of each other (single linkage)."""

    id: str  # O1, O2… in date order
    start: dt.date
    end: dt.date
    agencies: tuple[str, ...]
    refs: tuple[str, ...]
    communication: str  # 'recorded' | 'none recorded'
    evidence: tuple[Evidence, ...] = ()  # for 'recorded': the entry and words that name another
    looked_for: tuple[str, ...] = ()  # for 'none recorded': the names looked for


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Words looked for in Event and Action texts (the schema's, extended by review.toml)."""

    referral: tuple[str, ...] = ()  # an entry records sending something to another agency
    answer: tuple[str, ...] = ()  # the receiving agency's entry records it arrived
    patterns: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (kind of event, its words)
    # (kind of event, words holding one of its words that are not one: 'falls risk')
    not_patterns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # who, named after 'by', is not an agency ('concern raised with police by neighbour')
    others: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Trail:
    """A referral (letter, notification…) from one agency to another, and its answer if any:
    the receiver's first entry within the window naming the sender or the thing sent."""

    id: str  # T1, T2… in chronology order
    from_agency: str
    to_agency: str
    ref: str
    date: dt.date
    words: str  # the words that opened it
    answered: bool
    answer_ref: str | None = None
    answer_date: dt.date | None = None
    days: int | None = None  # from the referral to the answer
    answer_words: str = ""  # the words that answered it
    next_ref: str | None = None  # unanswered: the receiver's next entry (after the window too)
    next_date: dt.date | None = None
    # the receiver has no entries, so no answer can be found: why ('nil' return, 'missing',
    # 'unusable' return, or 'no-entries' when its return gave none); '' when it has entries
    no_return: str = ""


@dataclass(frozen=True, slots=True)
class PatternCount:
    """How many entries of one agency in one month record a kind of event (a fall, a DNA…)."""

    kind: str
    agency: str
    month: dt.date  # the first day of the month
    count: int
    refs: tuple[str, ...]


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
    missing_returns: list[str] = field(default_factory=list)  # nothing received
    unusable_returns: list[str] = field(default_factory=list)  # received, nothing usable
    trails: list[Trail] = field(default_factory=list)  # unanswered first, then answered
    patterns: list[PatternCount] = field(default_factory=list)
    referral_window_days: int = 14


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
    columns: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.index)

    def entry(self, position: int) -> Entry:
        return self.entries[int(self.index[position])]

    def ref(self, position: int) -> str:
        return self.entry(position).ref

    def refs(self, positions: np.ndarray) -> list[str]:
        """The refs of many positions at once."""
        entries = map(self.entries.__getitem__, self.index[positions].tolist())
        return list(map(attrgetter("ref"), entries))

    def column(self, column: str) -> list[str]:
        """A text column (event, action, source, analysis) of every entry given to `analyse`,
        in that order: read once, kept for the next caller."""
        values = self.columns.get(column)
        if values is None:
            values = self.columns[column] = list(map(attrgetter(column), self.entries))
        return values

    def texts(self, column: str, indexes: list[int]) -> list[str]:
        """A text column of many entries (`index` values) at once."""
        values = self.columns.get(column)
        if values is None and len(indexes) * 8 < len(self.entries):
            return list(map(attrgetter(column), map(self.entries.__getitem__, indexes)))
        return list(map(self.column(column).__getitem__, indexes))


def _table(entries: Sequence[Entry]) -> _Table:
    n = len(entries)
    # Author notes: a few distinct Source texts start with '#', so look at each text once.
    sources = list(map(attrgetter("source"), entries))
    note_sources = {source for source in set(sources) if source.startswith("#")}
    if note_sources:
        keep = np.flatnonzero(~np.fromiter(map(note_sources.__contains__, sources), bool, n))
    else:
        keep = None

    dates = list(map(attrgetter("date"), entries))
    years, months, days = _parts(dates)
    del dates
    first = _first_days(years, months, days)
    precision = np.where(np.isnan(months), 2, np.where(np.isnan(days), 1, 0)).astype(np.int8)
    last = first.copy()
    end_dates = list(map(attrgetter("end_date"), entries))
    ends = np.fromiter(map(is_not, end_dates, repeat(None)), bool, n)
    if ends.any():
        where = np.flatnonzero(ends)
        ey, em, ed = _parts(list(map(end_dates.__getitem__, where.tolist())))
        last[where] = np.maximum(_last_days(ey, em, ed), first[where])
    del end_dates

    agency_strings = list(map(attrgetter("agency"), entries))
    numbering = dict.fromkeys(agency_strings if keep is None else
                              map(agency_strings.__getitem__, keep.tolist()))
    names = list(numbering)
    for number, name in enumerate(names):
        numbering[name] = number
    code = np.fromiter(map(numbering.get, agency_strings, repeat(-1)), np.int32, n)
    del agency_strings

    if keep is None:
        index = np.arange(n)
        if n > 1 and (first[1:] < first[:-1]).any():
            index = np.argsort(first, kind="stable")
    else:
        index = keep[np.argsort(first[keep], kind="stable")]
    return _Table(
        entries=entries, index=index, first=first[index], last=last[index],
        ends=ends[index], code=code[index], precision=precision[index], names=names,
        columns={"source": sources},
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


_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|never|without|nor|didn't|did not|wasn't|was not|were not|unable to|failed to)"
    r"\b[^.;:,\n\0]{0,30}$")
_NEGATION_AFTER = re.compile(
    r"^[^.;:,\n\0]{0,20}\b(?:not|never)\s+(?:been\s+)?(?:informed|told|contacted|notified|aware|"
    r"referred|consulted|involved|shared)\b")


# 'Advised to see own GP', 'signposted to the GP and Age UK', 'given details of Age UK': the adult
# was sent to the agency (or given its details); nothing passed between agencies. The name may
# be one of a list after the words ('signposted to Age UK and the GP'), unless an action follows
# it ('advised to contact GP, and ASC informed': see `_LISTED_THEN_DONE`).
_SIGNPOSTED = re.compile(
    r"(?:\b(?:advised|advice|told|asked|encouraged|reminded|signposted|sign-posted|directed)\b"
    r"[^.;:\n\0]{0,20}\bto\s+"
    r"(?:see|contact|call|ring|phone|telephone|visit|attend|speak to|speak with|talk to|"
    r"make an appointment with|book with|book in with|register with|get in touch with|"
    r"seek help from|(?:go|go back|return|present|self[- ]?refer)\s+(?:to|at))\s+"
    r"|\b(?:signposted|sign-posted|directed)\s+(?:(?!(?:and|or|then)\b)[\w'’]+\s+){0,2}?to\s+"
    r"|\bgiven\s+(?:(?:the|their|contact|phone|telephone|tel)\s+){0,2}"
    r"(?:details|number|numbers|leaflet|leaflets|information|info)\s+(?:of|for|about)\s+)"
    r"(?:(?:the|own|their|his|her|a|an|local)\s+){0,2}"
    r"(?P<listed>(?:(?!(?:and|or)\b)[\w'’&-]+(?:\s+(?!(?:and|or)\b)[\w'’&-]+){0,3}"
    r"(?:,?\s+(?:and|or)\s+|,\s*|\s*[/&]\s*)(?:(?:the|own|their|his|her|a|an|local)\s+){0,2}){0,4})$",
    re.IGNORECASE)
# 'advised to contact GP, and ASC informed': a name of the list followed by an action of its own
_LISTED_THEN_DONE = re.compile(
    r"\s*(?:was|were|is|are|has|have|had|been|informed|notified|made aware|aware|contacted|"
    r"called|rang|phoned|emailed|e-mailed|sent|faxed|updated|advised|told|asked|referred|to be|"
    r"will|would|also|duly|then|later)\b", re.IGNORECASE)
# 'Letter received from the GP': the name is the sender, not where something went.
_INCOMING = re.compile(r"\b(?:from|by|via)\s+(?:the\s+)?$", re.IGNORECASE)
# 'Referral from the hospital', 'concern received': the words record something that arrived.
_ARRIVED = re.compile(r"\W{0,3}(?:\w+\s+){0,1}(?:from|received|receipt)\b", re.IGNORECASE)


def _negated(text: str, start: int, end: int) -> bool:
    """'No referral to ASC', 'ASC were not informed': a name mentioned to say nothing was shared.
    (The expressions are tried only where one of their words is.)"""
    before = text[max(0, start - 60):start].lower()
    if ("no" in before or "never" in before or "without" in before or "n't" in before
            or "unable to" in before or "failed to" in before) and _NEGATION_BEFORE.search(before):
        return True
    after = text[end:end + 60].lower()
    return ("not" in after or "never" in after) and bool(_NEGATION_AFTER.match(after))


# Where a clause ends, for what the words around a referral or an event say of it: a sentence's
# end, a comma or colon, or a word joining two clauses ('No concerns, referred to ASC'; 'referral
# considered but pt declined'). A full stop ends one only before a space ('s.42' goes on). The
# texts are lower-cased.
_JOINING = ("but", "as", "because", "since", "although", "though", "however", "so", "and", "then",
            "whereas", "while", "whilst", "who", "which", "whom")
_CLAUSE_BREAK = re.compile(r"[;:!?,\n\0]|\.(?=\s|$)|(?<!\w)(?:" + "|".join(_JOINING) + r")(?!\w)")
# the same before a place, searched up to it: a full stop there ends a clause only before a space
_CLAUSE_START = re.compile(r"[;:!?,\n\0]|\.(?=\s)|(?<!\w)(?:" + "|".join(_JOINING) + r")(?!\w)")
_CLAUSE_ROOM = 80
# Words in the same clause saying the thing did not happen (or not in the period): negated,
# declined or refused, only considered or offered, in the past, or only if something happens.
_UNDONE_BEFORE = re.compile(
    r"\b(?:no|not|never|without|nor|\w+n['’]t|unable to|failed to|declined|declines|declining|"
    r"refused|refuses|refusing|consider|considered|considering|offered|previous|previously|"
    r"prior(?!\s+to\b)|historic|historical|history of|hx of|if|unless|whether|would|could|should|"
    r"might)\b")
_UNDONE_AFTER = re.compile(
    r"\b(?:(?:not|never)\s+(?:yet\s+)?(?:been\s+)?(?:made|needed|required|necessary|appropriate|"
    r"indicated|warranted|done|sent|completed|submitted|raised|progressed|pursued|considered|felt|"
    r"agreed|wanted|consented|informed|told|contacted|notified|aware|referred|consulted|involved|"
    r"shared|possible|met)|declined|refused|withdrawn|cancelled|canceled|considered|offered|"
    r"unnecessary|unless|(?<!see )(?<!check )(?<!ask )(?<!know )(?<!assess )if)\b")
# 'Police asked to do a welfare check': a request for the event is not the event.
_REQUESTED = re.compile(r"\b(?:asked|asking|requested|requesting|request|requests)\b")
_SELF = re.compile(r"\bself[- ]?$")  # 'self-referral': the adult, not an agency
# the words before a place, looked for in one search (`pattern.search(text, left, start)`)
_UNDONE_BEFORE_ALL = re.compile(f"{_UNDONE_BEFORE.pattern}|{_SELF.pattern}")
_UNDONE_OR_ASKED_BEFORE = re.compile(f"{_UNDONE_BEFORE_ALL.pattern}|{_REQUESTED.pattern}")


# The same, each in one search (no loop in Python): the last clause start before a place (`.*`
# runs on to the place, then back to the last start), and the words of `_UNDONE_AFTER` with no
# clause break before them from the place's end (their spaces not a line's end, as
# a new line is a clause break). The breaks are single marks or whole words and none is inside
# one of the words, so this finds what `_clause` and the separate searches find.
_LAST_CLAUSE_START = re.compile(f"(?s:.*)(?:{_CLAUSE_START.pattern})")
_SPACES_IN_CLAUSE = _UNDONE_AFTER.pattern.replace(r"\s+", r"[^\S\n]+")
_UNDONE_IN_CLAUSE_AFTER = re.compile(f"(?:(?!{_CLAUSE_BREAK.pattern})(?s:.))*?(?:{_SPACES_IN_CLAUSE})")


def _may_be_undone(room: str, requests: bool) -> bool:
    """Does `room` hold what one word of `_UNDONE_BEFORE_ALL` (or, with `requests`, of
    `_REQUESTED`) holds? Where it does not (about half the places), the slow expression need not
    be tried. ('no' stands for 'not' and 'nor', "n'" for "didn't", 'ould' for 'would'…) The
    same for `_UNDONE_AFTER` in `_undone`."""
    return ("no" in room or "if" in room or "ould" in room or "n'" in room or "n’" in room
            or "never" in room or "without" in room or "unable to" in room or "failed to" in room
            or "declin" in room or "refus" in room or "consider" in room or "offered" in room
            or "previous" in room or "prior" in room or "histor" in room or "hx of" in room
            or "unless" in room or "whether" in room or "might" in room or "self" in room
            or (requests and ("ask" in room or "request" in room)))


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause holding text[start:end] (lower-cased) starts and ends."""
    return _clause_start(text, start), _clause_end(text, end)


def _clause_start(text: str, start: int) -> int:
    """Where the clause holding text[start:…] (lower-cased) starts (`_clause`'s first)."""
    left = max(0, start - _CLAUSE_ROOM)
    m = _LAST_CLAUSE_START.match(text, left, start)  # the last break before the place
    return m.end() if m is not None else left


def _clause_end(text: str, end: int) -> int:
    """Where the clause holding text[…:end] (lower-cased) ends (`_clause`'s second)."""
    m = _CLAUSE_BREAK.search(text, end, min(len(text), end + _CLAUSE_ROOM))
    return m.start() if m else min(len(text), end + _CLAUSE_ROOM)


def _undone(text: str, start: int, end: int, requests: bool = False) -> bool:
    """Do the words of text[start:end]'s clause say it did not happen: 'Declined referral to
    ASC', 'referral to ASC not made', 'previous referral (2019)', 'no falls', 'advised to attend
    A&E if worsens'; with `requests`, also 'asked to do a welfare check'. Only the clause counts:
    'No concerns. Referred to ASC.' is a referral. `text` is lower-cased."""
    left = max(0, start - _CLAUSE_ROOM)
    if _may_be_undone(text[left:start], requests):
        # the words from the clause's start on (no word holds a clause start, nor starts inside one)
        words = _UNDONE_OR_ASKED_BEFORE if requests else _UNDONE_BEFORE_ALL
        if words.search(text, _clause_start(text, start), start) is not None:
            return True
    right = min(len(text), end + _CLAUSE_ROOM)
    room = text[end:right]
    return (("not" in room or "if" in room or "never" in room or "declined" in room
             or "refused" in room or "withdrawn" in room or "cancel" in room or "considered" in room
             or "offered" in room or "unnecessary" in room or "unless" in room)
            and _UNDONE_IN_CLAUSE_AFTER.match(text, end, right) is not None)


# A quick look for the words first, as most places have none ('given' is common alone: 'advice
# given'; 'given details of' is not).
_SIGNPOST_WORDS = re.compile(r"advised|advice to|told|asked|encouraged|reminded|posted|directed|"
                             r"given\s+(?:the\s+|their\s+)?(?:contact|phone|tel|details|number|leaflet|info)")
_SIGNPOST_START = re.compile(r"\b(?:advised|advice|told|asked|encouraged|reminded|signposted|"
                             r"sign-posted|directed|given)\b")
_SIGNPOST_ROOM = 100


def _signposted(text: str, start: int, end: int) -> bool:
    """'Advised to see own GP', 'signposted to Age UK and the GP' just before text[start:end]
    (lower-cased); the words looked for first, as most places have none of them, and the whole
    expression tried only where one of them is."""
    before = text[max(0, start - _SIGNPOST_ROOM):start]
    if not ("advi" in before or "told" in before or "asked" in before or "given" in before
            or "posted" in before or "directed" in before or "encouraged" in before
            or "reminded" in before):  # what each of `_SIGNPOST_WORDS` holds: plain tests first
        return False
    if _SIGNPOST_WORDS.search(before) is None:
        return False
    for word in _SIGNPOST_START.finditer(before):
        m = _SIGNPOSTED.fullmatch(before, word.start())
        if m is not None:
            return not m.group("listed") or not _LISTED_THEN_DONE.match(text, end)
    return False


_CLAUSE_ENDS = ".;\n\0!?"
_CLAUSE_END = re.compile("[" + re.escape(_CLAUSE_ENDS) + "]")
_EXCERPT_ROOM = 60


def _excerpt(text: str, start: int, end: int) -> str:
    """The clause around text[start:end], at most about 60 characters either side ('…' where
    cut): the words shown as evidence."""
    find = text.rfind  # the last clause end before the place: one call per mark, no loop
    left = max(find(".", 0, start), find(";", 0, start), find("\n", 0, start),
               find("\0", 0, start), find("!", 0, start), find("?", 0, start)) + 1
    cut_left = left < start - _EXCERPT_ROOM
    left = max(left, start - _EXCERPT_ROOM)
    m = _CLAUSE_END.search(text, end)  # the first clause end after it
    right = m.start() if m is not None else len(text)
    cut_right = right > end + _EXCERPT_ROOM
    right = min(right, end + _EXCERPT_ROOM)
    words = " ".join(text[left:right].split())
    return ("…" if cut_left else "") + words + ("…" if cut_right else "")


# Short names and aliases that are also ordinary words ('Fire' for a fire and rescue service:
# "kitchen fire"): such a name counts as naming its agency only where it reads as the agency
# (`_reads_as_agency`). An agency's full name, and a name written in capitals in review.toml
# ('MIND'), match as ever. Not 'housing': lower-case "referred to housing" names the agency.
_PLAIN_WORDS = frozenset({
    "fire", "care", "home", "homes", "hope", "mind", "shelter", "crisis", "step", "steps",
    "health", "support", "recovery", "change", "changes", "choices", "together", "help",
    "safe", "safer", "action", "aspire", "refuge", "turning point", "first step", "next step",
    "new start", "fresh start", "open door", "the door", "time", "space", "haven", "harbour",
    "anchor", "bridge", "bridges", "beacon", "compass", "pathways", "pathway", "horizons",
    "rescue", "ambition", "inspire", "hub", "the hub", "outreach", "advocacy", "carers",
})
# words after a plain name that make it a service: "fire service", "Fire and Rescue", "fire crew"
# (not 'team', 'worker', 'services': "care team", "support worker" are ordinary words)
_SERVICE_AFTER = re.compile(r"(?:\s+(?:and|&)\s+rescue|\s+(?:service|brigade|crew|crews|station))\b")
# where a sentence starts (a capital there says nothing): a full stop, a colon, a line's start
_SENTENCE_OPEN = re.compile(r"(?:^|[.!?:\n\0])[\s\"'‘“(\[-]*$")
# a capitalised word just before: a title ("Kitchen Fire"), where a capital says nothing
_TITLE_BEFORE = re.compile(r"\b[A-Z][a-z'’]*\s+$")


def _reads_as_agency(text: str, folded: str, start: int, end: int) -> bool:
    """Does a plain word used as an agency's name ('Fire') at text[start:end] read as the agency:
    followed by a service word ('fire service', 'Fire and Rescue', 'fire crew') or capitalised
    inside a sentence ('referred to Fire for a home safety visit'); not at a sentence's start
    ('Fire in kitchen'), in a title ('Kitchen Fire') or written in capitals ('KITCHEN FIRE')?
    `folded`: text case-folded, letter for letter (else only the first test is made)."""
    if _SERVICE_AFTER.match(folded, end):
        return True
    if len(text) != len(folded):
        return False
    written = text[start:end]
    return (written[:1].isupper() and not written.isupper()
            and not _SENTENCE_OPEN.search(text, max(0, start - 8), start)
            and not _TITLE_BEFORE.search(text, max(0, start - 40), start))


class _Mentions:
    """Finds, in an entry's texts, which agencies it names (by name, short name or alias).

    A name matches case-insensitively, at word boundaries where it starts or ends with a letter
    or digit ("GP" is not found in "GPS"); an alias ending in a space or a mark ("PC ", "Dr.")
    matches as written. The longest name at a place wins ("Adult Social Care", not "Social Care").
    A short name or alias that is an ordinary word (`_PLAIN_WORDS`: 'Fire') counts only where it
    reads as the agency (`_reads_as_agency`).
    """

    def __init__(self, names: list[str], agencies: Sequence[Agency]) -> None:
        words: dict[str, set[int]] = {}
        self.variants: list[tuple[str, ...]] = []  # per code: the names looked for
        plain: set[str] = set()  # ordinary words used as short names or aliases ('fire')
        full: set[str] = set()  # full names (and names written in capitals): never plain
        for code, name in enumerate(names):
            number = _resolve(name, agencies)
            variants = {name}
            full.add(name.casefold())
            if number is not None:
                variants.update(agencies[number].names())
                full.add(agencies[number].name.casefold())
            for variant in variants:
                folded_variant = " ".join(variant.casefold().split())
                if variant.isupper():
                    full.add(variant.casefold())
                elif folded_variant in _PLAIN_WORDS:
                    plain.add(variant.casefold())
            unique = {v.casefold(): v for v in sorted(variants, reverse=True) if v.strip()}
            self.variants.append(tuple(sorted(unique.values(), key=lambda v: (v.casefold(), v))))
            for variant in variants:
                if variant.strip() and len(variant) <= _MAX_NAME:
                    words.setdefault(variant.casefold(), set()).add(code)
        self.codes = {word: frozenset(codes) for word, codes in words.items()}
        self.plain = frozenset(plain - full)
        starts_word = [w for w in words if _WORD.match(w)]
        others = [w for w in words if not _WORD.match(w)]
        parts = ([r"\b" + _trie(starts_word)] if starts_word else []) + (
            [_trie(others)] if others else [])
        self.pattern = re.compile("|".join(parts)) if parts else None
        ascii_words = [w.encode("ascii") for w in words if w.isascii()]
        # The quick screen needs two characters to look for; a one-letter name turns it off, and
        # so does a name across lines (the texts are looked at one by one, not joined by lines).
        self.screen = ascii_words if all(len(w) >= 2 and b"\n" not in w and b"\0" not in w
                                          for w in ascii_words) else None

    def names_any(self, entry: Entry, wanted: frozenset[int]) -> bool:
        """Does the entry (Event, Action, Source or Analysis) name one of `wanted`?"""
        return self.first_mention(entry, wanted) is not None

    def first_mention(self, entry: Entry, wanted: frozenset[int]) -> str | None:
        """The words around the first place the entry (Event, Action, Source or Analysis) names
        one of `wanted` to record something shared: not negated ('GP not informed'), not the
        adult sent there ('advised to see own GP'), not in a clause saying nothing was shared
        ('adult refused to be referred to ASC'). None when there is none."""
        if self.pattern is None or not wanted:
            return None
        text = "\n".join((entry.event, entry.action, entry.source, entry.analysis))
        folded = text.casefold()
        codes, plain = self.codes, self.plain
        for m in self.pattern.finditer(folded):
            if (not codes[m.group()].isdisjoint(wanted)
                    and (m.group() not in plain or _reads_as_agency(text, folded, *m.span()))
                    and not _negated(folded, m.start(), m.end())
                    and not _signposted(folded, m.start(), m.end())
                    and not _undone(folded, m.start(), m.end())):
                shown = text if len(text) == len(folded) else folded
                return _excerpt(shown, m.start(), m.end())
        return None

    def found(self, folded: str, text: str = "") -> list[tuple[frozenset[int], int, int]]:
        """Every agency named in a case-folded text and not negated: (codes, start, end).
        `text`: the text as written (for plain-word names, `_reads_as_agency`)."""
        if self.pattern is None:
            return []
        codes, plain = self.codes, self.plain
        found = []
        for m in self.pattern.finditer(folded):
            name = m.group()
            start, end = m.span()
            if ((name not in plain or _reads_as_agency(text, folded, start, end))
                    and not _negated(folded, start, end)):
                found.append((codes[name], start, end))
        return found

    def may_name(self, t: _Table, positions: np.ndarray) -> np.ndarray:
        """Which entries may name an agency: a quick screen, vectorised, of many entries at once.

        Entries screened out name none (`names_any` is False for them); the others must still be
        read with `names_any`. Exact for texts in ASCII, which are screened with numpy; the
        others always pass.
        """
        count = len(positions)
        if self.pattern is None:
            return np.zeros(count, bool)
        if self.screen is None:
            return np.ones(count, bool)
        result = np.zeros(count, bool)
        indexes = t.index[positions].tolist()
        for column in ("event", "action", "source", "analysis"):
            if count * 8 < len(t.entries):  # a few: their own texts
                values = t.texts(column, indexes)
                if any(values):
                    result |= _may_name(values, self.screen)
                continue
            everyone = t.column(column)
            if not any(everyone):
                continue
            if len(set(everyone[:1000])) < 250 and len(distinct := set(everyone)) * 4 < count:
                listed = list(distinct)  # e.g. Source: a few texts, each screened once
                passing = {v for v, ok in zip(listed, _may_name(listed, self.screen),
                                              strict=True) if ok}
                if passing:
                    values = map(everyone.__getitem__, indexes)
                    result |= np.fromiter(map(passing.__contains__, values), bool, count)
            else:
                result |= _may_name(t.texts(column, indexes), self.screen)
        return result


_MAX_NAME = 200  # longer "names" are not looked for in texts
_ASCII_WORD = np.zeros(256, bool)
_ASCII_WORD[list(b"0123456789_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")] = True
_LOWER = np.arange(256, dtype=np.uint16)
_LOWER[65:91] += 32
_LOWER_PAIR = (_LOWER[np.arange(1 << 16) & 255] | _LOWER[np.arange(1 << 16) >> 8] << 8)


def _may_name(texts: list[str], names: list[bytes]) -> np.ndarray:
    """For each text, whether one of `names` (lower-case ASCII, two or more characters) occurs
    in it (ignoring case) where `_Mentions.pattern` could match it: at a word start when the name
    starts with a letter or digit, before a non-word character when it ends with one. Exact for
    ASCII texts; True for the others.

    The texts are joined into one byte string. For each name, numpy finds every place of its
    rarest pair of characters (looking at the bytes as 16-bit pairs, at even and at odd places)
    and checks its other characters and its boundaries around it: a few passes over the bytes
    instead of a regular expression tried at every character.
    """
    count = len(texts)
    pad = "\0" * (max(map(len, names), default=0) + 1)
    joined = "\0".join([*texts, pad])
    if joined.isascii():
        result = np.zeros(count, bool)
    else:
        result = ~np.fromiter(map(str.isascii, texts), bool, count)
        texts = [t if t.isascii() else "" for t in texts]
        joined = "\0".join([*texts, pad])
    if not names or count == 0:
        return result
    ends = np.cumsum(np.fromiter(map(len, texts), _I64, count) + 1)  # each text, then a NUL
    data = joined.encode("ascii")  # not lower-cased: the comparisons below ignore case
    del joined
    buf = np.frombuffer(data, np.uint8)
    views = (np.frombuffer(data, "<u2", len(data) // 2),  # pairs at even places
             np.frombuffer(data, "<u2", (len(data) - 1) // 2, 1))  # and at odd ones

    sample = np.concatenate([view[: 1 << 19] for view in views])
    seen = np.bincount(_LOWER_PAIR[sample], minlength=1 << 16)
    anchors = []  # (offset in the name, the pair there)
    table = np.zeros(1 << 16, bool)
    for name in names:
        pairs = [name[j] | name[j + 1] << 8 for j in range(len(name) - 1)]
        j = min(range(len(pairs)), key=lambda j: (seen[pairs[j]], j))
        anchors.append((j, pairs[j]))
        table[pairs[j]] = True
    table = table[_LOWER_PAIR]  # every way of writing each pair in capitals or not
    hits = [np.flatnonzero(table[view]) for view in views]
    places = np.concatenate((hits[0] * 2, hits[1] * 2 + 1))
    found_pairs = _LOWER_PAIR[np.concatenate((views[0][hits[0]], views[1][hits[1]]))]
    for name, (j, pair) in zip(names, anchors, strict=True):
        found = places[found_pairs == pair] - j
        found = found[found >= 0]
        for k in range(len(name)):
            if not len(found):
                break
            if k != j and k != j + 1:
                found = found[_LOWER[buf[found + k]] == name[k]]
        if len(found) and _ASCII_WORD[name[0]]:
            found = found[~_ASCII_WORD[buf[found - 1]]]  # found - 1 = -1 reads the final NUL
        if len(found) and _ASCII_WORD[name[-1]]:
            found = found[~_ASCII_WORD[buf[found + len(name)]]]
        if len(found):
            result[np.searchsorted(ends, found, "right")] = True
    return result


def _trie(words: Iterable[str]) -> str:
    """One regular expression matching any of `words`, longest first, built as a trie so that
    a text is scanned once whatever the number of names (a plain alternation is 20x slower)."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict, last: str) -> str:
        pieces = [re.escape(char) + build(child, char) for char, child in sorted(node.items())
                  if char]
        if "" in node:  # a word ends here: after the longer ones, at a word boundary
            pieces.append(r"(?!\w)" if _WORD.match(last) else "")
        return pieces[0] if len(pieces) == 1 else "(?:" + "|".join(pieces) + ")"

    return build(root, "")


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
    t: _Table, lo: int | None, hi: int | None, gap_days: int
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
        before = t.ref(holder[k - 1]) if k > 0 else None
        after = t.ref(k) if k < n else None
        gaps.append(Gap("all-agency", None, _date(starts[k]), _date(ends[k]), int(days[k]),
                        before, after))
    return gaps


def _agency_gaps(
    t: _Table, lo: int | None, hi: int | None, gap_days: int,
    sort_keys: list[tuple[int, str]],
) -> list[Gap]:
    if len(t) < 2:
        return []
    small = t.code.astype(np.int16) if len(t.names) < 1 << 15 else t.code  # radix sort
    by_agency = np.argsort(small, kind="stable")  # by agency, then chronology
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
            t.ref(by_agency[holder[k]]), t.ref(by_agency[k + 1]),
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
    t: _Table, window_days: int, ranking: np.ndarray, mentions: _Mentions
) -> list[Overlap]:
    """`ranking`: per agency code, its place in the order agencies are listed (all zeros:
    first appearance)."""
    n = len(t)
    if n < 2:
        return []
    # Points: every entry dated to the day on its first day, and on its End Date when that is
    # another day. A 'May 2025' entry is on no particular day, so it is in no overlap.
    # (The first days are already in order; a stable sort merges the End Dates in.)
    precise = t.precision == 0
    firsts = np.flatnonzero(precise)
    second = np.flatnonzero(t.ends & (t.last != t.first) & precise)
    if len(firsts) < 2:
        return []
    if len(second):
        p_day = np.concatenate((t.first[firsts], t.last[second]))
        p_pos = np.concatenate((firsts, second))  # chronology position of the entry
        order = np.argsort(p_day, kind="stable")
        p_day, p_pos = p_day[order], p_pos[order]
    else:
        p_day, p_pos = t.first[firsts], firsts
    cluster = np.r_[0, np.cumsum(np.diff(p_day) > window_days)]
    heads = np.flatnonzero(np.r_[True, cluster[1:] != cluster[:-1]])
    c_start, c_end = p_day[heads], p_day[np.r_[heads[1:], len(p_day)] - 1]

    # Each cluster's entries in chronology order, each once (an entry may be there twice).
    # (np.unique is avoided: numpy 2 hashes, which is slow on a million distinct values.)
    if len(second):
        key = np.sort(cluster * n + p_pos)
        key = key[np.r_[True, key[1:] != key[:-1]]]
        e_cluster, e_pos = key // n, key % n
    else:
        e_cluster, e_pos = cluster, p_pos
    # Each cluster's agencies, each once, with the first of its entries there.
    n_codes = max(1, len(t.names))
    pair = e_cluster * n_codes + t.code[e_pos]
    if len(heads) * n_codes <= 1 << 22:  # a table of (cluster, agency): no sort needed
        table = np.full(len(heads) * n_codes, len(pair), _I64)
        np.minimum.at(table, pair, np.arange(len(pair)))
        pair = np.flatnonzero(table < len(pair))
        first_seen = table[pair]
    else:
        order = np.argsort(pair, kind="stable")
        pair = pair[order]
        fresh = np.r_[True, pair[1:] != pair[:-1]]
        pair, first_seen = pair[fresh], order[fresh]
    a_cluster, a_code = pair // n_codes, pair % n_codes
    multi = np.bincount(a_cluster, minlength=len(heads)) >= 2
    if not multi.any():
        return []
    keep = multi[a_cluster]
    a_cluster, a_code, first_seen = a_cluster[keep], a_code[keep], first_seen[keep]
    order = np.lexsort((first_seen, ranking[a_code], a_cluster))
    a_code = a_code[order]
    a_bounds = np.r_[0, np.cumsum(np.bincount(a_cluster, minlength=len(heads))[multi])]
    keep = multi[e_cluster]
    e_cluster, e_pos = e_cluster[keep], e_pos[keep]
    e_bounds = np.r_[0, np.cumsum(np.bincount(e_cluster, minlength=len(heads))[multi])]

    e_refs = t.refs(e_pos)
    e_bounds_list = e_bounds.tolist()
    a_code_list = a_code.tolist()
    a_bounds_list = a_bounds.tolist()
    clusters = [
        (e_bounds_list[c], e_bounds_list[c + 1],
         a_code_list[a_bounds_list[c]:a_bounds_list[c + 1]])
        for c in range(len(e_bounds_list) - 1)
    ]
    recorded = _communication(t, e_pos, clusters, mentions)
    names = t.names
    starts, ends = c_start[multi].tolist(), c_end[multi].tolist()
    looked: dict[tuple[int, ...], tuple[str, ...]] = {}

    def looked_for(agencies: list[int]) -> tuple[str, ...]:
        key = tuple(agencies)
        if key not in looked:
            looked[key] = tuple(dict.fromkeys(v for c in agencies for v in mentions.variants[c]))
        return looked[key]

    return [
        Overlap(
            id=f"O{number + 1}",
            start=_date(starts[number]),
            end=_date(ends[number]),
            agencies=tuple(names[c] for c in agencies),
            refs=tuple(e_refs[lo:hi]),
            communication=RECORDED if recorded[number] else NONE_RECORDED,
            evidence=(Evidence(t.ref(recorded[number][0]), recorded[number][1]),)
            if recorded[number] else (),
            looked_for=() if recorded[number] else looked_for(agencies),
        )
        for number, (lo, hi, agencies) in enumerate(clusters)
    ]


_FIRST_LOOK = 64  # entries read in each overlap before the rest are screened together…
_READ_BUDGET = 30_000  # …unless this many have been read already
_SCREEN_FROM = 20_000  # entries left to read from which the quick screen pays


def _communication(
    t: _Table, e_pos: np.ndarray, clusters: list[tuple[int, int, list[int]]], mentions: _Mentions
) -> list[tuple[int, str] | None]:
    """For each overlap (rows lo..hi of `e_pos`, its agencies), the first entry (chronology
    position) that names another agency of it and the words that do, or None.
    Reading stops at the first that does; usually one of the first few does.
    When many entries remain to be read (a big chronology in which few entries name another
    agency), they are screened together first (`_Mentions.may_name`) and only those that may
    name one are read."""
    recorded: list[tuple[int, str] | None] = [None] * len(clusters)
    if mentions.pattern is None:
        return recorded

    def names_another(row: int, wanted: frozenset[int]) -> tuple[int, str] | None:
        pos = int(e_pos[row])
        words = mentions.first_mention(t.entry(pos), wanted - {int(t.code[pos])})
        return None if words is None else (pos, words)

    budget = _READ_BUDGET
    later = []
    for number, (lo, hi, agencies) in enumerate(clusters):
        wanted = frozenset(agencies)
        row = lo
        stop = min(hi, lo + min(_FIRST_LOOK, budget))
        while row < stop:
            row += 1
            found = names_another(row - 1, wanted)
            if found is not None:
                recorded[number] = found
                break
        budget -= row - lo
        if recorded[number] is None and row < hi:
            later.append((number, row, hi, wanted))
    if not later:
        return recorded
    rows = np.concatenate([np.arange(lo, hi) for _, lo, hi, _ in later])
    passing = None
    if len(rows) >= _SCREEN_FROM:
        passing = np.zeros(int(rows.max()) + 1, bool)
        passing[rows] = mentions.may_name(t, e_pos[rows])
    for number, lo, hi, wanted in later:
        candidates = range(lo, hi) if passing is None else lo + np.flatnonzero(passing[lo:hi])
        recorded[number] = next(
            (found for row in candidates if (found := names_another(int(row), wanted)) is not None),
            None)
    return recorded


# --------------------------------------------------------------------------------------------
# Referral trails and patterns


class _Phrases:
    """Finds any of some words in a text, each whole ('fall' is not found in 'fallen'). An
    abbreviation written in capitals ('ED', 'DNA') matches as written ('ed' in 'referred' is not
    it); other words ignore case (matched in the lower-cased text, which the caller gives).

    The expressions have no leading boundary (re then scans quickly for the first letters); the
    boundary before a match is checked here, and a match failing it is retried one character on.
    """

    def __init__(self, words: Iterable[str]) -> None:
        listed = {w.strip() for w in words if w.strip()}
        capitals = {w for w in listed if w.isupper()}
        lower = {w.lower() for w in listed - capitals}
        self.capital_words, self.lower_words = frozenset(capitals), frozenset(lower)
        self.capitals = re.compile(_trie(capitals)) if capitals else None
        self.lower = re.compile(_trie(lower)) if lower else None

    def __bool__(self) -> bool:
        return self.capitals is not None or self.lower is not None

    def finditer(self, text: str, lowered: str | None = None) -> Iterable[tuple[int, int]]:
        """(start, end) of each match in order; `lowered` is text.lower() when the caller has it
        (the same length as `text`, or None to make it here)."""
        if lowered is None:
            lowered = text.lower()
            if len(lowered) != len(text):
                lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        spans: list[tuple[int, int]] = []
        for pattern, subject in ((self.capitals, text), (self.lower, lowered)):
            if pattern is None:
                continue
            m = pattern.search(subject)
            while m is not None:
                start = m.start()
                if start and _WORD.match(subject[start - 1]) and _WORD.match(subject[start]):
                    m = pattern.search(subject, start + 1)
                    continue
                spans.append(m.span())
                m = pattern.search(subject, m.end())
        spans.sort()
        return spans


def _phrases(words: Iterable[str]) -> _Phrases | None:
    found = _Phrases(words)
    return found if found else None


def _phrase_spans(text: str, lowered: str, sets: Sequence[_Phrases]) -> list[list[tuple[int, int]]]:
    """`[p.finditer(text, lowered) for p in sets]`, the same spans, the texts read once.

    numpy finds every place where each word starts (`_word_places`); each set's expression is
    tried only at the places of its own words, from where its own scan has got to (a set's
    expression matches only where one of its words starts, so no span is missed). When a word
    is not in ASCII, one expression of every set's words finds the places instead (stepping one
    character on, so that no place is skipped inside a longer match), and at each only the sets
    holding a word the matched one starts with are tried.
    """
    spans: list[list[tuple[int, int]]] = [[] for _ in sets]
    for kind, subject in (("capital", text), ("lower", lowered)):
        members = [(i, phrases.capitals if kind == "capital" else phrases.lower,
                    phrases.capital_words if kind == "capital" else phrases.lower_words)
                   for i, phrases in enumerate(sets)]
        members = [member for member in members if member[1] is not None]
        if not members:
            continue
        every = set().union(*(words for _, _, words in members))
        places = _word_places(subject, every)
        if places is not None:  # each set's expression tried where one of its words starts
            for i, pattern, words in members:
                cursor = 0
                match = pattern.match
                for start in _union(places[w] for w in words):
                    if start >= cursor and (own := match(subject, start)) is not None:
                        spans[i].append(own.span())
                        cursor = own.end()
            continue
        # words not in ASCII: one expression of them all finds the places
        union = re.compile(_trie(every))
        cursors = [0] * len(members)
        tried: dict[str, list[int]] = {}  # matched word -> the members holding one of its starts
        for m in _searching(union.search, subject):
            start = m.start()
            found = m.group()
            which = tried.get(found)
            if which is None:
                which = tried[found] = [k for k, (_, _, words) in enumerate(members)
                                        if any(found.startswith(w) for w in words)]
            for k in which:
                if start >= cursors[k]:
                    own = members[k][1].match(subject, start)
                    if own is not None:
                        spans[members[k][0]].append(own.span())
                        cursors[k] = own.end()
    for found in spans:
        found.sort()
    return spans


def _searching(search: Callable[..., re.Match[str] | None], subject: str) -> Iterator[re.Match[str]]:
    """Every place where `search` matches in `subject` and no word goes on before it (see
    `_Phrases`), one character on from the last place (so that a place inside a longer match
    is not skipped)."""
    word = _WORD.match
    m = search(subject)
    while m is not None:
        start = m.start()
        if not (start and word(subject, start) and word(subject, start - 1)):
            yield m
        m = search(subject, start + 1)


def _occurrences(subject: str, words: Iterable[str]) -> list[int] | None:
    """Every place in `subject` where one of `words` starts (as written) and no word goes on
    before it, in order; None when a word is not in ASCII (see `_word_places`)."""
    places = _word_places(subject, words)
    if places is None:
        return None
    return _union(places.values())


def _union(arrays: Iterable[np.ndarray]) -> list[int]:
    """The places of some arrays, in order, each once."""
    listed = list(arrays)
    if not listed:
        return []
    places = np.sort(np.concatenate(listed))
    if len(places):
        places = places[np.concatenate(([True], places[1:] != places[:-1]))]
    return places.tolist()


def _word_places(subject: str, words: Iterable[str]) -> dict[str, np.ndarray] | None:
    """For each of `words`, every place in `subject` where it starts (as written) and no word
    goes on before it (not a letter, digit or _ both there and just before); None when a word
    is not in ASCII. The places are found with numpy, as in `_may_name`: a character not in
    ASCII becomes '?' (one for one, so places keep their numbers), which no word holds, so no
    place is lost and none is found that is not one; where '?' is before a place, Python says
    whether the character there is a letter."""
    words = set(words)
    if not all(map(str.isascii, words)):
        return None
    data = subject.encode("ascii", "replace") + b"\0"
    buf = np.frombuffer(data, np.uint8)
    found: dict[str, np.ndarray] = {}
    pairs_of = [w for w in words if len(w) >= 2]
    for w in words:
        if len(w) == 1:
            found[w] = np.flatnonzero(buf == ord(w))
    if pairs_of:
        views = (np.frombuffer(data, "<u2", len(data) // 2),  # pairs at even places
                 np.frombuffer(data, "<u2", (len(data) - 1) // 2, 1))  # and at odd ones
        sample = np.concatenate([view[: 1 << 19] for view in views])
        seen = np.bincount(sample, minlength=1 << 16)
        table = np.zeros(1 << 16, bool)
        anchors = []
        for w in pairs_of:
            b = w.encode("ascii")
            pairs = [b[j] | b[j + 1] << 8 for j in range(len(b) - 1)]
            j = min(range(len(pairs)), key=lambda j: (seen[pairs[j]], j))
            anchors.append((j, pairs[j]))
            table[pairs[j]] = True
        hits = [np.flatnonzero(table[view]) for view in views]
        places = np.concatenate((hits[0] * 2, hits[1] * 2 + 1))
        found_pairs = np.concatenate((views[0][hits[0]], views[1][hits[1]]))
        size = len(buf)
        for w, (j, pair) in zip(pairs_of, anchors, strict=True):
            b = w.encode("ascii")
            at = places[found_pairs == pair] - j
            at = at[(at >= 0) & (at + len(b) <= size)]
            for k in range(len(b)):
                if not len(at):
                    break
                if k != j and k != j + 1:
                    at = at[buf[at + k] == b[k]]
            found[w] = at
    word = _WORD.match
    for w, places in found.items():
        # no word goes on before: both characters letters (not in ASCII: '?', asked of Python)
        inside = (places > 0) & _ASCII_WORD[buf[places]] & _ASCII_WORD[buf[places - 1]]
        unsure = (places > 0) & (buf[places - 1] == ord("?")) & ~inside
        for index in np.flatnonzero(unsure).tolist():
            at = int(places[index])
            inside[index] = bool(word(subject, at) and word(subject, at - 1))
        found[w] = places[~inside]
    return found


def _event_texts(t: _Table) -> tuple[str, str, np.ndarray]:
    """Every activity entry's Event and Action as one text (entries joined by NUL), the same
    lower-cased (letter for letter), and where each entry's text ends, in chronology order."""
    events, actions = t.column("event"), t.column("action")
    order = t.index.tolist()
    texts = [events[i] + "\n" + actions[i] if actions[i] else events[i] for i in order]
    ends = np.cumsum(np.fromiter(map(len, texts), _I64, len(texts)) + 1)
    joined = "\0".join(texts)
    lowered = joined.lower()
    if len(lowered) != len(joined):  # 'İ' lower-cases to two characters: keep such as written
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in joined)
    return joined, lowered, ends


def _matching(lowered: str, ends: np.ndarray, spans: list[tuple[int, int]],
              not_events: frozenset[str] = frozenset()) -> dict[int, tuple[int, int]]:
    """Chronology position -> the first of `spans` (where a kind of event's words match in
    `joined`) in its text that records one: not one of `not_events` ('falls risk', 'fall
    asleep'), not the adult sent there ('advised to attend A&E'), not in a clause saying it did
    not happen or was only asked for ('no falls', 'asked to do a welfare check')."""
    found: dict[int, tuple[int, int]] = {}
    if not spans:
        return found
    positions = np.searchsorted(ends, np.array([start for start, _ in spans]), "right").tolist()
    for pos, (start, end) in zip(positions, spans, strict=True):
        if pos in found or (not_events and lowered[start:end] in not_events):
            continue
        if not _undone(lowered, start, end, requests=True) and not _signposted(lowered, start, end):
            found[pos] = (start, end)
    return found


# A trail: (sending position, its agency's code, the receiver's code, the words that sent it,
# the answering position or -1, the answering words or None, the receiver's next entry or -1)
_Record = tuple[int, int, int, str, int, "str | None", int]
BesideCall = Callable[..., Callable[[], tuple]]  # runs a function elsewhere; call for its result
_BESIDE_FROM = 15_000  # entries from which a share of the reading is done beside (`beside`)
_BESIDE_SHARE = 0.5  # the share of the text read beside (its last entries)


def _sending(t: _Table, mentions: _Mentions, ends: np.ndarray, sent: list[tuple[int, int]]
             ) -> tuple[list[int], list[int], list[int]]:
    """The positions of the entries that may open a trail, with where each one's referral words
    begin and end in `sent`: those with referral words that may name an agency (the quick
    screen) and have a day ('May 2025': no day to count the window from)."""
    # `sent` is in text order, so each entry's spans are together: the entries are screened
    # first, and only those that may open a trail have their spans listed
    starts = np.fromiter((start for start, _ in sent), _I64, len(sent))
    positions_of = np.searchsorted(ends, starts, "right")
    sending = np.unique(positions_of)
    sending = sending[mentions.may_name(t, sending) & (t.precision[sending] == 0)]
    firsts = np.searchsorted(positions_of, sending, "left").tolist()
    lasts = np.searchsorted(positions_of, sending, "right").tolist()
    return sending.tolist(), firsts, lasts


def _trails(t: _Table, records: Sequence[_Record], silent: Sequence[tuple[str, str]] = ()
            ) -> list[Trail]:
    """The trails of `records` (`_trail_records`, in the order of their sending entries),
    numbered in that order, the unanswered first. `silent`: (name, why) of the agencies without
    entries that the records name as codes after the table's own (`len(t.names)` on): a
    referral to one opens a trail no entry can answer, and the trail says why."""
    names = [*t.names, *(name for name, _ in silent)]
    why = [""] * len(t.names) + [reason for _, reason in silent]
    trails = []
    for pos, own, code, words, q, said, after in records:
        day = int(t.first[pos])
        common = {"id": f"T{len(trails) + 1}", "from_agency": names[own], "to_agency": names[code],
                  "ref": t.ref(pos), "date": _date(day), "words": words, "no_return": why[code]}
        if q >= 0:
            trails.append(Trail(**common, answered=True, answer_ref=t.ref(q),
                                answer_date=_date(t.first[q]), days=int(t.first[q]) - day,
                                answer_words=said))
        else:
            trails.append(Trail(**common, answered=False,
                                next_ref=t.ref(after) if after >= 0 else None,
                                next_date=_date(t.first[after]) if after >= 0 else None))
    return sorted(trails, key=attrgetter("answered"))


def _trail_records(t: _Table, mentions: _Mentions, vocabulary: Vocabulary, window: int,
                   joined: str, lowered: str, ends: np.ndarray, sent: list[tuple[int, int]],
                   sending: list[int], firsts: list[int], lasts: list[int]) -> list[_Record]:
    """The trails opened by the entries at positions `sending` (`_sending`: their referral
    words are `sent[firsts[i]:lasts[i]]`), in their order, each with the entry that answers it
    (the receiver's first within `window` days that names the sender or holds answer words
    about it) or else the receiver's next entry. Each entry's text is read once however many
    trails look at it. Only plain values come out: a part of the review can be read in another
    process (`_read_part`) and the records joined."""
    answer = _phrases(vocabulary.answer)
    others = _others_pattern(vocabulary.others)
    precise = t.precision == 0
    lanes: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def lane(code: int) -> tuple[np.ndarray, np.ndarray]:
        if code not in lanes:
            positions = np.flatnonzero((t.code == code) & precise)
            lanes[code] = positions, t.first[positions]
        return lanes[code]

    # per position read: its text, the text case-folded, where it names each agency (code ->
    # the first span) and where agencies are named (start -> codes)
    read: dict[int, tuple[str, str, dict[int, tuple[int, int]], dict[int, frozenset[int]]]] = {}
    # position -> its answer words, each with whether it is negated and what its clause says it
    # came from or went to (`_came_or_went`), both read when a trail first needs them (None)
    said_in: dict[int, list[list]] = {}

    def answers(pos: int, sender: int) -> str | None:
        """The words of entry `pos` that answer a trail from `sender`: where it names the
        sender, else where it names the thing sent; None when it does neither. Each entry's
        text is read once however many trails look at it, its answer words only when a trail
        needs them (when it does not name the sender)."""
        known = read.get(pos)
        if known is None:
            text = joined[text_ends[pos - 1] if pos else 0:text_ends[pos] - 1]
            folded = text.casefold()
            named: dict[int, tuple[int, int]] = {}
            places: dict[int, frozenset[int]] = {}
            # an entry the quick screen says names no agency has no names to look for
            for codes, start, end in mentions.found(folded, text) if may_name[pos] else ():
                places[start] = codes
                for code in codes:
                    named.setdefault(code, (start, end))
            known = read[pos] = (text, folded, named, places)
        text, folded, named, places = known
        where = named.get(sender)
        if where is None:
            if answer is None:
                return None
            said = said_in.get(pos)
            if said is None:
                said = said_in[pos] = [[span, None, None] for span in answer.finditer(text)]
            lowered = None
            receiver = code_of[pos]
            for item in said:
                span, negated, came_or_went = item
                if negated is None:
                    negated = item[1] = _negated(text, *span)
                if negated:
                    continue
                if came_or_went is None:
                    if lowered is None:
                        lowered = text.lower() if len(text.lower()) == len(text) else text
                    came_or_went = item[2] = _came_or_went(lowered, *span, places)
                if not _about_others(came_or_went, sender, receiver):
                    return _excerpt(text, *span)
            return None
        return _excerpt(text if len(text) == len(folded) else folded, *where)

    text_ends = ends.tolist()  # plain ints: read per entry, no numpy scalar each time
    code_of = t.code.tolist()
    opened: list[tuple[int, int, int, str]] = []  # (sending position, its agency, receiver, words)
    for pos, first, last in zip(sending, firsts, lasts, strict=True):
        own = code_of[pos]
        begin = text_ends[pos - 1] if pos else 0
        stop = text_ends[pos] - 1
        sent_to = _sent_to(joined[begin:stop], lowered[begin:stop],
                           [(start - begin, end - begin) for start, end in sent[first:last]],
                           mentions, own, others)
        for code, words in sent_to:
            opened.append((pos, own, code, words))
    # each trail's window in its receiving agency's lane (positions lo:hi), all of a lane at once
    count = len(opened)
    opened_days = t.first[np.fromiter((pos for pos, _, _, _ in opened), _I64, count)]
    receivers = np.fromiter((code for _, _, code, _ in opened), _I64, count)
    los, his = np.zeros(count, _I64), np.zeros(count, _I64)
    receiving = np.unique(receivers).tolist()
    for code in receiving:
        which = np.flatnonzero(receivers == code)
        _, days = lane(code)
        los[which] = np.searchsorted(days, opened_days[which], "left")
        his[which] = np.searchsorted(days, opened_days[which] + window, "right")
    bounds = list(zip(los.tolist(), his.tolist(), strict=True))
    # the entries in the windows that may answer: those naming an agency or holding answer
    # words (a quick screen of them all at once); the others answer no trail
    windows = [lane(code)[0][lo:hi] for (_, _, code, _), (lo, hi) in zip(opened, bounds, strict=True)]
    may_name = np.ones(len(t), bool)  # whether an entry may name an agency (the quick screen)
    may = _may_answer(t, mentions, answer, joined, ends, windows, may_name)
    # per lane, as lists: its positions, those that may answer, and how many of these come
    # before each place in the lane (so a window's are a slice of a list, no array per trail)
    listed: dict[int, tuple[list[int], list[int], list[int]]] = {}
    for code in receiving:
        positions, _ = lane(code)
        chosen = may[positions]
        counted = np.concatenate(([0], np.cumsum(chosen))).tolist()
        listed[code] = positions.tolist(), positions[chosen].tolist(), counted
    told: dict[tuple[int, int], str | None] = {}  # (position, sender) -> the answering words
    records: list[_Record] = []
    for (pos, own, code, words), (lo, hi) in zip(opened, bounds, strict=True):
        positions, answering, counted = listed[code]
        found, said = -1, None
        for q in answering[counted[lo]:counted[hi]]:
            said = told[q, own] if (q, own) in told else told.setdefault((q, own), answers(q, own))
            if said is not None:
                found = q
                break
        after = positions[lo] if lo < len(positions) else -1
        records.append((pos, own, code, words, found, said, after))
    return records


def _may_answer(t: _Table, mentions: _Mentions, answer: _Phrases | None, joined: str,
                ends: np.ndarray, windows: list[np.ndarray], names: np.ndarray | None = None
                ) -> np.ndarray:
    """Per chronology position, whether the entry may answer a trail: True for every entry of
    `windows` that names an agency (`_Mentions.may_name`) or holds one of `answer`'s words, as
    the quick screen `_may_name` finds them (ignoring case: a superset); False for the others,
    which `answers` would read as answering nothing. Entries outside `windows` are False.
    `names`: set here, for the entries of `windows`, to whether they may name an agency (False:
    they name none, so `answers` need not look for names in them)."""
    result = np.zeros(len(t), bool)
    listed = np.unique(np.concatenate(windows)) if windows else np.zeros(0, _I64)
    if not len(listed):
        return result
    may = mentions.may_name(t, listed)
    if names is not None:
        names[listed] = may
    if answer is not None:
        words = {w.lower() for w in (*answer.capital_words, *answer.lower_words)}
        if all(w.isascii() and len(w) >= 2 and "\n" not in w and "\0" not in w for w in words):
            begins = np.concatenate(([0], ends[:-1]))
            texts = [joined[b:e - 1] for b, e in zip(begins[listed].tolist(),
                                                      ends[listed].tolist(), strict=True)]
            may |= _may_name(texts, sorted(w.encode("ascii") for w in words))
        else:
            may[:] = True
    result[listed] = may
    return result


# An answer word about something else ('letter received from hospital', 'referred to Housing'):
# where it came from or went, named in its clause. Not a way of sending ('via email', 'by post'),
# a time ('from today') or the receiver's own people ('allocated by duty manager').
_CAME_OR_WENT = re.compile(
    r"\b(?P<way>from|via|by|to)\s+(?:(?:the|a|an|his|her|their|our)\s+)?")
# ways of sending, both after 'from'/'via' (`_WAYS`) and after 'by' (`_BY_WAY`)
_SENDING = (r"post|phone|telephone|tel|email|e-mail|emails|letter|fax|hand|text|sms|portal|system|"
            r"secure|nhs\s*mail|nhsmail|egress|mail")
_WAYS = re.compile(
    rf"(?:{_SENDING}|today|yesterday|tomorrow|date|now|then|duty|team|"
    r"triage|allocation|worker|manager|me|us|we|writer|\d)\b")
# someone other than an agency of review.toml, after 'by', as who sent it ('by hospital', 'by
# neighbour'); after 'from' or 'via' any name but a way or time is someone else
_SOURCES = re.compile(
    r"(?:hospital|ward|ed|a&e|a and e|emergency department|police|ambulance|paramedics?|"
    r"surgery|practice|gp|council|school|court|prison|probation|hospice|pharmacy|clinic|"
    r"consultant|trust|landlord|housing|family|daughter|son|wife|husband|partner|neighbour|"
    r"friend|relative|patient|pt|adult|client)\b")


def _came_or_went(lowered: str, start: int, end: int, places: dict[int, frozenset[int]]
                  ) -> tuple[frozenset[int] | None, ...]:
    """What the clause of the answer word at lowered[start:end] says it came from or went to,
    whatever the trail: the codes of each agency named after 'from', 'via', 'by' or 'to' (about
    another unless the trail's sender or receiver is one of them), and None for someone else
    (about another whatever the trail), the list ending there. Read once per word of an entry
    however many trails ask (`_about_others` judges it per trail)."""
    left, right = _clause(lowered, start, end)
    found: list[frozenset[int] | None] = []
    for m in _CAME_OR_WENT.finditer(lowered, left, right):
        at, way = m.end(), m.group("way")
        codes = places.get(at)
        if codes is not None:
            found.append(codes)
        elif (way in ("from", "via") and not _WAYS.match(lowered, at)) or (
                way == "by" and _SOURCES.match(lowered, at)):
            found.append(None)
            break
    return tuple(found)


def _about_others(came_or_went: tuple[frozenset[int] | None, ...], sender: int, receiver: int
                  ) -> bool:
    """Is an answer word of the `receiver`'s entry plainly about something else than a trail from
    `sender` (which the entry does not name), from what `_came_or_went` read of its clause: it
    came from someone else ('ED discharge letter received from hospital', 'concern raised by
    neighbour', 'referral from Police') or went on to an agency that is neither ('referred to
    Housing')?"""
    for codes in came_or_went:
        if codes is None or (sender not in codes and receiver not in codes):
            return True
    return False


_SENTENCE_END = re.compile(r"[;!?\n\0]|\.(?=\s|$)")
_RECEIVED_BEFORE = re.compile(r"\breceived\s+(?:\w+\s+){0,2}$")

# Who did it, named after 'by' ('referral made by daughter to ASC'): the words before the doer
# (articles, a kind word, a possessive: 'by a concerned member of the public', 'by her son').
_BY = re.compile(r"\bby\s+")
_DOER_LEAD = re.compile(
    r"(?:(?:the|a|an|her|his|their|its|one|two|several|some|another|other|concerned|anonymous|"
    r"worried|local|elderly)\s+){0,3}(?:(?:[\w-]+\s+)?[\w-]+['’]s\s+)?")
# Words between the referral words and 'by' that start something else ('referral to ASC following
# concerns raised by neighbour'): the doer is not the referral's.
_NOT_THE_DOER_OF_IT = re.compile(
    r"[.,;:!?\n\0]|\b(?:following|after|before|regarding|re|about|due|because|since|as|concerning|"
    r"when|while|whilst|who|which|that|but|then|so|from|for|of|over|whom|where)\b")
# a word of `Vocabulary.others` that starts the name of a role or a service: 'by family liaison
# officer', 'by public health', 'by tenancy support worker', 'by patient transport'
_STAFF_AFTER = re.compile(
    r"[\s-]+(?:liaison|support|officer|officers|worker|workers|practitioner|nurse|team|service|"
    r"services|therapist|link|doctor|champion|hub|centre|center|health|transport|advocate|"
    r"advocacy|mediator|navigator|coordinator|co-ordinator|manager|staff|partnership|court)\b")
_LIST_JOIN = re.compile(r"\b(?:and|or)\s+(?:the\s+)?")
_DOER_ROOM = 80


def _others_pattern(others: Iterable[str]) -> re.Pattern[str] | None:
    """The words of people who are not agencies (`Vocabulary.others`), lower-cased, whole."""
    words = {w.strip().lower() for w in others if w.strip()}
    return re.compile(_trie(words) + r"(?!\w)") if words else None


# After 'by', a way of sending or a time, not who did it ('by phone', 'by the end of the day')
_BY_WAY = re.compile(
    rf"(?:{_SENDING}|courier|video|teams|today|yesterday|tomorrow|date|now|"
    r"then|time|end|close|noon|midday|lunchtime|morning|afternoon|evening|tonight|way|means|"
    r"virtue|mistake|error|accident|default|agreement|arrangement|consent|request)\b|\d")
_A_WORD = re.compile(r"\w")


def _by_whom(lowered: str, end: int, next_start: int, named: dict[int, frozenset[int]], own: int,
             others: re.Pattern[str] | None) -> str | None:
    """Who 'by …' after the referral words ending at `end` (before the next referral words,
    `next_start`) names as who did it: "other" for a person who is not an agency ('concern raised
    with police and ASC by neighbour', 'referral made by daughter to ASC') or another agency
    ('referred to ASC by the GP', in a Housing entry); "own" for the recording agency's own staff
    or service ('by PC 123', 'by the duty team', 'by ward', 'by Dr Smith', 'by us'); None when no
    'by' of these words names anyone (none, or only a way of sending or a time: 'by post').
    `named`: where agencies are named (start -> codes)."""
    stop = min(next_start, end + _DOER_ROOM, len(lowered))
    found = None
    for m in _BY.finditer(lowered, end, stop):
        gap = lowered[end:m.start()]
        if _NOT_THE_DOER_OF_IT.search(gap):
            break
        if any(end + joined.end() not in named for joined in _LIST_JOIN.finditer(gap)):
            break  # 'with police and ASC by': names only
        lead = _DOER_LEAD.match(lowered, m.end())
        at = lead.end() if lead else m.end()
        codes = named.get(at)  # an agency first: 'by Adult Social Care' is not 'by adult'
        if codes is not None:
            if own not in codes:
                return "other"
            found = "own"
        elif others is not None and (person := others.match(lowered, at)) is not None:
            if not _STAFF_AFTER.match(lowered, person.end()):  # not 'family liaison officer'
                return "other"
            found = "own"
        elif _A_WORD.match(lowered, at) and not _BY_WAY.match(lowered, at):
            found = "own"
    return found


# The passive's subject, an agency told by the recording agency's staff ('GP notified by ward'):
# words between it and the referral words
_PASSIVE_THEN = re.compile(
    r"\s*(?:(?:was|were|is|are|has|have|had|been|being|also|later|then|subsequently|today)\s+)*")
# referral words whose passive subject is the agency told ('GP notified by ward'), unlike 'Daughter
# referred to ASC by ward' (the daughter was referred; ASC was sent it)
_TELLS_ITS_SUBJECT = frozenset({"notified", "informed", "made aware", "alerted", "emailed",
                                "e-mailed", "faxed"})


def _passive_subject(lowered: str, start: int, end: int,
                     named: dict[int, tuple[frozenset[int], int]]) -> int | None:
    """Where the agency is named that starts the clause of the referral words at
    lowered[start:end] as their subject and was not sent it ('GP referred to ASC by ward',
    'ASC notified police by ward'), None when none is ('GP notified by ward': the GP was told)."""
    by = _BY.search(lowered, end)
    if lowered[start:end] in _TELLS_ITS_SUBJECT and not any(
            end <= place < (by.start() if by else len(lowered)) for place in named):
        return None
    left = _clause_start(lowered, start)
    at = left + len(lowered[left:start]) - len(lowered[left:start].lstrip())
    lead = _DOER_LEAD.match(lowered, at, start)
    at = lead.end() if lead else at
    if at not in named:
        return None
    after = _AGENCY_THEN.match(lowered, named[at][1], start).end()
    return at if _PASSIVE_THEN.match(lowered, after, start).end() == start else None


# Who did it, named before the referral words at the start of their clause ('Neighbour raised a
# concern with police', 'Mr X's friend called 999', 'The GP referred her to ASC' in a Housing
# return). The adult is not a doer there: 'Pt referred to CMHT' is the adult referred.
_THE_ADULT = frozenset({"adult", "patient", "pt", "client", "service user", "tenant", "herself",
                        "himself", "themselves", "self"})
# words between the doer and the referral words: 'neighbour also raised', 'daughter had referred'
_DOER_THEN = re.compile(r"\s*(?:(?:also|later|subsequently|reportedly|apparently|allegedly|"
                        r"already|had|has|have|today|herself|himself|themselves)\s+)*")
# up to two words naming someone of another agency after its name ('PC Smith', 'GP surgery');
# not 'was', 'to'… ('ASC was notified' is the recorder's referral)
_AGENCY_THEN = re.compile(
    r"(?:\s*(?!(?:was|were|is|are|been|be|being|to|not|and|or|then)\b)[\w'’.-]+){0,2}")
# Words the adult does, not has done to them, when the adult is their subject: 'Pt informed GP',
# 'pt reported to GP' (the adult told them), unlike 'Pt referred to CMHT' (the adult was referred).
_TOLD_BY_THE_ADULT = frozenset({"informed", "notified", "alerted", "reported to", "shared with",
                                "emailed", "e-mailed", "wrote to", "faxed"})
_HE_OR_SHE = re.compile(r"(?:she|he)\b")
# 'Police informed us', 'sent to us by police': the recording agency was sent it, not the sender
_TO_US = re.compile(r"\s+(?:us|me|myself|ourselves|(?:the|this)\s+writer|writer)\b")
_OWN_SERVICE_BEFORE = re.compile(r"\b(?:our(?:\s+own)?|in-house|internal)\s+$")
_POSSESSIVE = re.compile(r"['’]s\s+")
_POSSESSIVE_END = re.compile(r"['’]s\s+$")


def _said_by_other(lowered: str, start: int, end: int, named: dict[int, tuple[frozenset[int], int]],
                   own: int, others: re.Pattern[str] | None) -> bool:
    """Does the clause of the referral words at lowered[start:end] start with someone else as
    who did it, and then name an agency it went to: a person who is not an agency or the adult
    ('Neighbour raised a concern with police', 'Mr X's friend called 999') or another agency
    ('Police notified ASC' in a Housing return). 'ASC notified' (no agency after the words) and
    'Pt referred to CMHT' (the adult) stay the recording agency's. `named`: where agencies are
    named (start -> codes, end)."""
    left = _clause_start(lowered, start)  # its end only when it comes to that
    at = left + len(lowered[left:start]) - len(lowered[left:start].lstrip())
    lead = _DOER_LEAD.match(lowered, at, start)
    at = lead.end() if lead else at
    doer: frozenset[int] = frozenset()
    if at in named:
        codes, after = named[at]
        if own in codes:
            return False
        doer = codes
        after = _AGENCY_THEN.match(lowered, after, start).end()
    elif others is not None and (person := others.match(lowered, at, start)) is not None:
        if _STAFF_AFTER.match(lowered, person.end()) or (
                person.group() in _THE_ADULT and lowered[start:end] not in _TOLD_BY_THE_ADULT):
            return False
        after = person.end()
    elif lowered[start:end] == "reported to" and (person := _HE_OR_SHE.match(lowered, at, start)):
        after = person.end()  # 'She reported to police': the adult did
    else:
        return False
    if _DOER_THEN.match(lowered, after, start).end() != start:
        return False
    right = _clause_end(lowered, end)
    return any(end <= place < right and not codes <= doer for place, (codes, _) in named.items())


def _own_service(folded: str, start: int, names_end: dict[int, frozenset[int]]) -> bool:
    """Is the name at folded[start:] a service of some agency named just before it ('the
    hospital's falls team': the hospital's, not the falls team's agency) or of the recording
    agency ('our memory clinic')?"""
    if _OWN_SERVICE_BEFORE.search(folded, max(0, start - 16), start):
        return True
    before = folded[max(0, start - 8):start]
    m = _POSSESSIVE_END.search(before)
    return m is not None and (start - len(before) + m.start()) in names_end


def _sent_to(text: str, lowered: str, spans: list[tuple[int, int]], mentions: _Mentions,
             own: int, others: re.Pattern[str] | None = None) -> list[tuple[int, str]]:
    """The agencies (codes, in the order named) that an entry's text (`lowered`: the same
    lower-cased, letter for letter) records sending something to, each with the words that say
    so. `spans`: where the referral words are in it.

    An agency is sent something when it is named in the same sentence as referral words that
    record something sent: not something that came in ('referral from the hospital'), not
    negated, declined, only considered, past or hypothetical ('referral to ASC not made'); the
    words in the agency's own clause when it has some ('letter sent to hospital, SG concern
    raised with ASC'), else the nearest in the sentence ('referral to ASC and the GP'). Not an
    agency named as the sender ('from the GP'), the adult sent there ('advised to see own GP'),
    or in a clause saying nothing was shared; not referral words someone else is said to have
    acted on ('concern raised with police by neighbour': `_by_whom`, `others` the words
    of people who are not agencies)."""
    folded = text.casefold()
    if len(folded) != len(text):
        folded = lowered  # places must be the same in the text and in what is searched
    found = mentions.found(folded, text)
    if all(own in codes for codes, _, _ in found):  # none but its own: nothing sent anywhere
        return []
    valid = {(start, end) for start, end in spans
             if not _ARRIVED.match(lowered, end, min(end + 30, len(lowered)))
             and not ("received" in (before := lowered[max(0, start - 30):start])
                      and _RECEIVED_BEFORE.search(before))
             and not _TO_US.match(lowered, end)
             and not _undone(lowered, start, end)}
    places = {start: (codes, end) for codes, start, end in found}
    by_own: set[tuple[int, int]] = set()  # passive, done by the recording agency's own staff
    if valid and "by" in lowered:
        named = {start: codes for codes, start, _ in found}
        nexts = [*(start for start, _ in spans[1:]), len(lowered)]
        for span, following in zip(spans, nexts, strict=True):
            if span in valid:
                whom = _by_whom(lowered, span[1], following, named, own, others)
                if whom == "other":
                    valid.discard(span)
                elif whom == "own":
                    by_own.add(span)
    # 'Daughter referred to ASC by ward': who is named first was referred, not the sender
    valid -= {(start, end) for start, end in valid - by_own
              if _said_by_other(lowered, start, end, places, own, others)}
    if not valid:
        return []
    # 'GP referred to ASC by ward': the GP was not sent it ('GP notified by ward': it was)
    subjects = {place for start, end in by_own & valid
                if (place := _passive_subject(lowered, start, end, places)) is not None}
    names_end = {end: codes for codes, _, end in found}
    breaks = [m.end() for m in _SENTENCE_END.finditer(lowered)]
    sentence_of = [bisect_right(breaks, start) for start, _ in spans]
    result: dict[int, str] = {}
    for codes, start, end in found:
        # a name the recording agency shares with another may be its own service: no trail
        wanted = [code for code in sorted(codes) if code not in result] if own not in codes else []
        if not wanted:
            continue
        sentence = bisect_right(breaks, start)
        same = [span for span, k in zip(spans, sentence_of, strict=True) if k == sentence]
        if valid.isdisjoint(same):  # no valid words in its sentence: none to choose from below
            continue
        if (start in subjects or _own_service(folded, start, names_end)
                or _INCOMING.search(folded[max(0, start - 12):start])
                or _signposted(folded, start, end) or _undone(lowered, start, end)):
            continue
        left, right = _clause(lowered, start, end)
        candidates = [span for span in same if left <= span[0] < right] or same
        good = [span for span in candidates if span in valid]
        if not good:
            continue
        near = min(good, key=lambda span: abs(span[0] - start))
        words = _excerpt(text, min(near[0], start), max(near[1], end))
        for code in wanted:
            result[code] = words
    return list(result.items())


def _patterns(t: _Table, vocabulary: Vocabulary, matched: Mapping[int, dict[int, tuple[int, int]]]
              ) -> list[PatternCount]:
    """Per kind of event (in vocabulary order), agency (chronology order) and month: the entries
    that record one. `matched`: per kind with words (its index), those entries' positions."""
    counts: list[PatternCount] = []
    months = t.first.astype("datetime64[D]").astype("datetime64[M]")
    for k, (kind, _) in enumerate(vocabulary.patterns):
        if not matched.get(k):
            continue
        # grouped at once: by agency, then month, then chronology order (the order of positions)
        positions = np.fromiter(matched[k], _I64, len(matched[k]))
        codes, month_numbers = t.code[positions], months[positions].astype(_I64)
        order = np.lexsort((positions, month_numbers, codes))
        positions, codes, month_numbers = positions[order], codes[order], month_numbers[order]
        starts = np.flatnonzero(np.concatenate(
            ([True], (codes[1:] != codes[:-1]) | (month_numbers[1:] != month_numbers[:-1]))))
        bounds = [*starts.tolist(), len(positions)]
        refs = t.refs(positions)
        for first, last in zip(bounds[:-1], bounds[1:], strict=True):
            counts.append(PatternCount(kind, t.names[int(codes[first])],
                                       months[positions[first]].astype(dt.date), last - first,
                                       tuple(refs[first:last])))
    return counts


def entries_naming(entries: Sequence[Entry], agency: str, *, agencies: Sequence[Agency] = ()
                   ) -> list[tuple[Entry, str]]:
    """The entries of other agencies that name `agency` (not negated, not the adult sent there),
    each with the words that do, in the order given. Author notes are left out."""
    names = list(dict.fromkeys([agency, *(e.agency for e in entries)]))
    mentions = _Mentions(names, agencies)
    wanted = frozenset({0})
    found = []
    for entry in entries:
        if entry.agency == agency or entry.is_note:
            continue
        words = mentions.first_mention(entry, wanted)
        if words is not None:
            found.append((entry, words))
    return found


NO_RETURN_KINDS = ("nil", "missing", "unusable", "no-entries")


def trails_and_patterns(
    entries: Sequence[Entry], *, agencies: Sequence[Agency] = (), vocabulary: Vocabulary,
    referral_window_days: int = 14, analysis: Analysis | None = None,
    without_entries: Mapping[str, str] | None = None, beside: BesideCall | None = None,
) -> Analysis:
    """Referral trails and patterns of `entries` (added to `analysis` when one is given).

    A referral to an agency with no entries opens a trail that nothing can answer: the agencies
    of review.toml (`agencies`) and of `without_entries` (name -> 'nil', 'missing', 'unusable'
    or 'no-entries') are looked for as well as those with entries. Without `without_entries`,
    why an agency of review.toml has none comes from `analysis` (missing, unusable), else
    'no-entries'. `beside`: runs a share of a large review's reading in another process
    (`sarkit.pipeline.workers.beside`), for the same result sooner."""
    result = analysis if analysis is not None else Analysis()
    t = _table(entries)
    window = max(0, int(referral_window_days))
    result.referral_window_days = window
    if not len(t) or not (vocabulary.referral or vocabulary.patterns):
        result.trails, result.patterns = [], []
        return result
    silent = _silent_agencies(t.names, agencies, without_entries, result)
    mentions = _Mentions([*t.names, *(name for name, _ in silent)], agencies)
    _add_trails_and_patterns(result, t, mentions, vocabulary, window, silent, beside)
    return result


def _silent_agencies(names: list[str], agencies: Sequence[Agency],
                     without_entries: Mapping[str, str] | None, analysis: Analysis
                     ) -> list[tuple[str, str]]:
    """(name, why) of every agency that has no entry among `names`: review.toml's (by any of
    its names) and those of `without_entries`, in that order."""
    known = {number for name in names if (number := _resolve(name, agencies)) is not None}
    given: dict[int | str, str] = {}
    for name, why in (without_entries or {}).items():
        number = _resolve(name, agencies)
        given.setdefault(name if number is None else number, why)
    found: dict[str, str] = {}
    for number, agency in enumerate(agencies):
        if number not in known:
            found[agency.name] = given.get(number) or (
                "missing" if agency.name in analysis.missing_returns
                else "unusable" if agency.name in analysis.unusable_returns else "no-entries")
    for name, why in given.items():
        if isinstance(name, str) and name not in names:
            found[name] = why
    found = {name: why if why in NO_RETURN_KINDS else "no-entries" for name, why in found.items()}
    return list(found.items())


def _add_trails_and_patterns(result: Analysis, t: _Table, mentions: _Mentions,
                             vocabulary: Vocabulary, window: int,
                             silent: Sequence[tuple[str, str]] = (),
                             beside: BesideCall | None = None) -> None:
    """The referral trails and the patterns, their words found in one pass over the texts.
    `beside`: runs a function in another process (`sarkit.pipeline.workers.beside`); given, a
    large review is read in two parts (`_read_part`): the entries holding the last
    `_BESIDE_SHARE` of the text there as the others are read here, and the two joined in order
    (the same trails and patterns either way)."""
    joined, lowered, ends = _event_texts(t)
    unlike = dict(vocabulary.not_patterns)
    sets = [_phrases(vocabulary.referral),
            *(_phrases((*words, *unlike.get(kind, ()))) for kind, words in vocabulary.patterns)]
    part = (mentions, vocabulary, window, joined, lowered, ends, sets)
    cut, later = len(t), None
    if beside is not None and len(t) >= _BESIDE_FROM:
        cut = int(np.searchsorted(ends, ends[-1] * (1 - _BESIDE_SHARE)))
        later = beside(_read_part, _lean_table(t), *part, cut, len(t))
    records, matched = _read_part(t, *part, 0, cut)
    if later is not None:
        their_records, their_matched = later()
        records += their_records
        for k, theirs in their_matched.items():  # the two parts' entries are apart
            matched[k].update(theirs)
    result.patterns = _patterns(t, vocabulary, matched)
    result.trails = _trails(t, records, silent)


def _lean_table(t: _Table) -> _Table:
    """The table with its text columns and without the entries: all a part's reading needs, and
    quick to pickle (a spawned child is sent it; the entries would take seconds)."""
    for column in ("event", "action", "source", "analysis"):
        t.column(column)
    return replace(t, entries=())


def _read_part(t: _Table, mentions: _Mentions, vocabulary: Vocabulary, window: int, joined: str,
               lowered: str, ends: np.ndarray, sets: list[_Phrases | None], lo: int, hi: int
               ) -> tuple[list[_Record], dict[int, dict[int, tuple[int, int]]]]:
    """The trails opened by the entries at positions lo:hi (`_trail_records`) and, per kind of
    pattern with words (its index in the vocabulary's patterns), which of them record one
    (`_matching`), as plain values: a part can be read in another process. `sets`: the
    referral words, then each kind's; their places are found in the part's own text (with the
    same result as in the whole: a text starts after a NUL, where no word goes on)."""
    begin = int(ends[lo - 1]) if lo else 0
    stop = int(ends[hi - 1]) - 1 if hi > lo else begin
    listed = [phrases for phrases in sets if phrases is not None]
    places = iter(_phrase_spans(joined[begin:stop], lowered[begin:stop], listed) if listed else ())
    found = [None if phrases is None else [(start + begin, end + begin) for start, end in next(places)]
             for phrases in sets]
    sent, records = found[0], []
    if sent and mentions.pattern is not None:
        records = _trail_records(t, mentions, vocabulary, window, joined, lowered, ends, sent,
                                 *_sending(t, mentions, ends, sent))
    unlike = dict(vocabulary.not_patterns)
    matched = {}
    for k, ((kind, _), spans) in enumerate(zip(vocabulary.patterns, found[1:], strict=True)):
        if spans is not None:
            not_events = frozenset(w.strip().lower() for w in unlike.get(kind, ()))
            matched[k] = _matching(lowered, ends, spans, not_events)
    return records, matched


# --------------------------------------------------------------------------------------------
# Possible duplicates

_DROP = bytes(c for c in range(128) if not chr(c).isalnum())


def _duplicate_keys(events: Iterable[str]) -> list[bytes]:
    """Event texts with case, spacing and punctuation taken out: letters and digits only."""
    return [text.casefold().encode("utf-8", "replace").translate(None, _DROP) for text in events]


def _duplicates(t: _Table) -> list[PossibleDuplicate]:
    n = len(t)
    if n < 2:
        return []
    # Same date and precision (a 'May 2016' entry is not on 1 May 2016), chronology order within
    # a day; only days with entries of two or more agencies.
    if t.precision.any():
        day = t.first * 4 + t.precision
        order = np.argsort(day, kind="stable")
        day = day[order]
    else:
        day, order = t.first, np.arange(n)
    code = t.code[order]
    heads = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    sizes = np.diff(np.r_[heads, n])
    mixed = np.minimum.reduceat(code, heads) != np.maximum.reduceat(code, heads)
    if not mixed.any():
        return []
    codes = t.code.tolist()
    get = t.entries.__getitem__
    found: list[tuple[int, int, float]] = []

    # Busy days: texts identical apart from case and surrounding spaces (a cheap key per entry,
    # compared by hash, side by side after one sort).
    busy = mixed & (sizes > DUPLICATE_DAY_LIMIT)
    if busy.any():
        chosen = np.repeat(busy, sizes)
        pos, b_day = order[chosen], day[chosen]
        events = t.texts("event", t.index[pos].tolist())
        count = len(events)
        long_enough = np.fromiter(map(len, events), _I64, count) >= DUPLICATE_MIN_CHARS
        # (The folded texts are hashed as they are made, not kept: a million of them would
        # double the memory the analysis needs.)
        hashes = np.fromiter(map(hash, map(str.strip, map(str.casefold, events))), _I64, count)
        sel = np.flatnonzero(long_enough)  # in day order, so a stable sort on the hash
        sel = sel[np.argsort(hashes[sel], kind="stable")]  # gives (hash, day, chronology)
        equal = (b_day[sel][1:] == b_day[sel][:-1]) & (hashes[sel][1:] == hashes[sel][:-1])
        if equal.any():
            edges = np.diff(np.r_[0, equal.astype(np.int8), 0])
            pos_list = pos.tolist()
            for start, stop in zip(np.flatnonzero(edges == 1).tolist(),
                                   np.flatnonzero(edges == -1).tolist(), strict=True):
                run = sel[start:stop + 1].tolist()
                texts = [events[j].casefold().strip() for j in run]
                found += _identical([pos_list[j] for j in run], texts, codes)

    # Other days: every pair of texts of two agencies, normalised, identical or near-identical.
    bounds = np.r_[heads, n]
    for g in np.flatnonzero(mixed & ~busy).tolist():
        positions = order[bounds[g]:bounds[g + 1]].tolist()
        entries = [get(i) for i in t.index[positions].tolist()]
        keys = _duplicate_keys(e.event for e in entries)
        items: dict[tuple[bytes, int], int] = {}  # (text, agency) -> its first position
        words: dict[bytes, frozenset[str]] = {}
        for pos, key, entry in zip(positions, keys, entries, strict=True):
            if len(key) >= DUPLICATE_MIN_CHARS and (key, codes[pos]) not in items:
                items[key, codes[pos]] = pos
                if key not in words:
                    words[key] = _words(entry.event)
        listed = list(items.items())
        for x, ((a, ca), pa) in enumerate(listed):
            for (b, cb), pb in listed[x + 1:]:
                if ca != cb:
                    similarity = 1.0 if a == b else _similarity(a, b, words[a], words[b])
                    if similarity >= DUPLICATE_SIMILARITY:
                        found.append((min(pa, pb), max(pa, pb), similarity))
    found.sort()
    if not found:
        return []
    # the refs and days of all pairs at once (not a NumPy scalar per pair: 9,000 pairs at 100,000)
    pairs = np.array([(a, b) for a, b, _ in found], _I64)
    refs = iter(t.refs(pairs.ravel()))
    firsts = t.first[pairs[:, 0]].tolist()
    dates = {day: _date(day) for day in set(firsts)}
    return [
        PossibleDuplicate(
            date=dates[day], refs=(next(refs), next(refs)),
            agencies=(t.names[codes[a]], t.names[codes[b]]), similarity=round(s, 3),
        )
        for (a, b, s), day in zip(found, firsts, strict=True)
    ]


def _identical(run: list[int], texts: list[str], codes: list[int]) -> list[tuple[int, int, float]]:
    """Pairs among same-day entries with the same text: each entry with the first entry of
    another agency that wrote it before (so three agencies give two pairs, not three)."""
    pairs = []
    writers: dict[str, dict[int, int]] = {}  # text -> agency -> first position
    for pos, text in sorted(zip(run, texts, strict=True)):
        own = codes[pos]
        first = writers.setdefault(text, {})
        other = min((p for c, p in first.items() if c != own), default=None)
        if other is not None:
            pairs.append((other, pos, 1.0))
        first.setdefault(own, pos)
    return pairs


_TOKEN = re.compile(r"\w+")


def _words(text: str) -> frozenset[str]:
    return frozenset(_TOKEN.findall(text.casefold()))


def _similarity(a: bytes, b: bytes, words_a: frozenset[str], words_b: frozenset[str]) -> float:
    """difflib's ratio of the two normalised texts, or 0.0 when cheaper bounds already rule the
    pair out: lengths too different, fewer than 4 in 5 of their words shared (near-identical
    texts differ in a word or two), or their longest common subsequence too short.

    The last bound is exact, not a guess: difflib's ratio is 2*M/T where M counts the characters
    of the matching blocks it finds, and those blocks are a common subsequence, so M is at most
    the longest common subsequence (rapidfuzz's LCSseq, C++, linear-ish in the text length). A
    pair whose 2*LCS/T is already below `DUPLICATE_SIMILARITY` cannot reach it with difflib;
    the few that pass are measured by difflib itself, so every decision and every reported
    similarity is difflib's, as before.
    """
    la, lb = len(a), len(b)
    if 2 * min(la, lb) < DUPLICATE_SIMILARITY * (la + lb):  # difflib's real_quick_ratio
        return 0.0
    if 2 * len(words_a & words_b) < _DUPLICATE_WORDS * (len(words_a) + len(words_b)):
        return 0.0
    from rapidfuzz.distance import LCSseq  # here: 0.02 s to import, needed only for such pairs

    a, b = a[:_DUPLICATE_MAX_CHARS], b[:_DUPLICATE_MAX_CHARS]
    total = len(a) + len(b)
    # latin-1 maps each byte to one character, so lengths and equal bytes are kept.
    common = LCSseq.similarity(a.decode("latin-1"), b.decode("latin-1"))
    if total and 2.0 * common / total < DUPLICATE_SIMILARITY:  # an upper bound of difflib's ratio
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


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
    unusable: Sequence[str] = (),
    vocabulary: Vocabulary | None = None,
    referral_window_days: int = 14,
) -> Analysis:
    """Everything `sarkit gaps` and the combined workbook show.

    `entries` carry refs; `agencies` are review.toml's; `returned` the agencies that sent a
    return (nil and unusable returns included) so the rest are missing returns; `unusable` the
    agencies whose every return was received but could not be used; `vocabulary` the words
    of referral trails and patterns (none looked for without one).
    """
    gap_days = max(1, int(gap_days))
    window_days = max(0, int(window_days))
    t = _table(entries)
    lo = _day(period[0]) if period[0] is not None else None
    hi = _day(period[1]) if period[1] is not None else None
    if lo is not None and hi is not None and hi < lo:
        lo = hi = None  # an impossible period (review.toml refuses one) is ignored
    sort_keys = _agency_sort_keys(t.names, agencies)
    ranking = np.zeros(max(1, len(t.names)), _I64)
    if agencies:  # review.toml's order; else first appearance in each overlap
        for rank, code in enumerate(sorted(range(len(t.names)), key=sort_keys.__getitem__)):
            ranking[code] = rank

    gaps = _all_agency_gaps(t, lo, hi, gap_days)
    gaps += _agency_gaps(t, lo, hi, gap_days, sort_keys)
    missing = _missing_returns(agencies, [*returned, *t.names])
    missing = [name for name in missing if name not in unusable]
    gaps += [Gap("missing-return", name) for name in missing]
    gaps += [Gap("unusable-return", name) for name in unusable]
    mentions = _Mentions(t.names, agencies)
    overlaps = _overlaps(t, window_days, ranking, mentions)
    result = Analysis(gaps=gaps, overlaps=overlaps, duplicates=_duplicates(t),
                      missing_returns=missing, unusable_returns=list(unusable),
                      referral_window_days=max(0, int(referral_window_days)))
    if vocabulary is not None and len(t) and (vocabulary.referral or vocabulary.patterns):
        _add_trails_and_patterns(result, t, mentions, vocabulary, result.referral_window_days)
    return result


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
        "evidence": [{"ref": e.ref, "words": e.words} for e in overlap.evidence],
        "looked_for": list(overlap.looked_for),
    }


def trail_to_dict(trail: Trail) -> dict[str, object]:
    return {
        "id": trail.id,
        "from_agency": trail.from_agency,
        "to_agency": trail.to_agency,
        "ref": trail.ref,
        "date": _iso(trail.date),
        "words": trail.words,
        "answered": trail.answered,
        "answer_ref": trail.answer_ref,
        "answer_date": _iso(trail.answer_date),
        "days": trail.days,
        "answer_words": trail.answer_words,
        "next_ref": trail.next_ref,
        "next_date": _iso(trail.next_date),
        "no_return": trail.no_return or None,
    }


def pattern_to_dict(count: PatternCount) -> dict[str, object]:
    return {"kind": count.kind, "agency": count.agency, "month": count.month.strftime("%Y-%m"),
            "count": count.count, "refs": list(count.refs)}


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
        "unusable_returns": list(analysis.unusable_returns),
        "trails": [trail_to_dict(t) for t in analysis.trails],
        "referral_window_days": analysis.referral_window_days,
        "patterns": [pattern_to_dict(p) for p in analysis.patterns],
    }
