"""Stable refs: an entry keeps its ref (C0001…) across runs while it is the same entry.

Decisions (DESIGN §11, issue 14):
- An entry's identity is its agency and its agency ref when the return gives one (and its file's
  name when the agency's return came in parts whose Refs overlap), otherwise its
  agency, date, time and event text (case, spaces and punctuation ignored). Two entries with one
  identity in a run (the same event written twice) are told apart by their order.
- The map keeps every identity ever numbered, with a hash of it (no personal data in the map)
  and a hash of the entry's content, so the next run can say what was added, removed or changed.
- An entry not found by its identity is found by its agency, date, time and event when those
  are unchanged (an agency that adds or drops a Ref column in a resubmission).
- Then by its place (the same file, byte for byte, sheet and row): an entry whose cell was
  changed by corrections.toml is still the same entry.
- An entry seen before gets its ref back, even after it was missing for a run; a new entry gets
  the next number after the highest ever used; a ref is never given to another entry.
- Refs are identifiers, not positions: rows stay in chronological order, so refs in the sheet
  need not ascend.
"""

from __future__ import annotations

import datetime as dt
import string
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any

from sarkit.dates import PartialDate
from sarkit.entries import Entry

_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation, " "))
# The same for ASCII text, on bytes (3x quicker on 100,000 event texts): A-Z lowered (casefold
# does no more to ASCII), punctuation to spaces, and the four separators \x1c-\x1f, which
# str.split takes for spaces and bytes.split does not, to spaces too.
_ASCII_NORMAL = bytes(
    32 if chr(b) in string.punctuation or 0x1C <= b <= 0x1F else b + 32 if 65 <= b <= 90 else b
    for b in range(256))


def _normal(text: str) -> str:
    """Case, runs of spaces and ASCII punctuation ignored (the hashes of the map depend on it:
    the result must stay the same, character for character)."""
    if text.isascii():
        return b" ".join(text.encode("ascii").translate(_ASCII_NORMAL).split()).decode("ascii")
    return " ".join(text.casefold().translate(_PUNCTUATION).split())


def _hash(text: str) -> str:
    return sha256(text.encode("utf-8")).hexdigest()[:24]


def _day(date: PartialDate | None) -> str:
    if date is None:
        return ""
    return f"{date.year}-{date.month or 0}-{date.day or 0}{'?' if date.uncertain else ''}"


def _clock(time: dt.time | None) -> str:
    return f"{time.hour:02d}:{time.minute:02d}" if time else ""


class _Shown(dict):
    """_day / _clock of each date or time, worked out once (a chronology repeats them)."""

    def __init__(self, show: Callable[[Any], str]) -> None:
        super().__init__()
        self.show = show

    def __missing__(self, value: Any) -> str:
        shown = self[value] = self.show(value)
        return shown


def content_hash(entry: Entry) -> str:
    """A short hash of every field: equal for an unchanged entry."""
    return content_hashes([entry])[0]


def content_hashes(entries: Iterable[Entry]) -> list[str]:
    """`content_hash` of each entry, in order."""
    days, clocks = _Shown(_day), _Shown(_clock)
    out = []
    for e in entries:
        parts = [days[e.date], clocks[e.time], days[e.end_date], clocks[e.end_time], e.source,
                 e.event, e.action, e.practitioner, e.analysis, str(e.key_event), e.agency_ref]
        if e.extras:
            parts += [f"{k}={v}" for k, v in sorted(e.extras.items())]
        out.append(sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24])
    return out


def entry_keys(entries: list[Entry]) -> tuple[list[str], list[str]]:
    """(identities, identities without the agency ref) of entries, hashed, in their order: the
    agency and agency ref, else the agency, date, time and event (case, spaces and punctuation
    ignored); a repeat of an identity in one run gets '#2', '#3'…"""
    agencies, days, clocks = _Shown(_normal), _Shown(_day), _Shown(_clock)
    seen: Counter[str] = Counter()
    seen_text: Counter[str] = Counter()
    keys: list[str] = []
    texts: list[str] = []
    for e in entries:
        agency = agencies[e.agency]
        text = f"{agency}|{days[e.date]}|{clocks[e.time]}|{_normal(e.event)}"
        key = f"{agency}|ref|{_normal(e.agency_ref)}" if e.agency_ref.strip() else text
        if e.ref_part and key is not text:  # parts of one return numbered alike: ref and file
            key = f"{key}|part|{_normal(e.ref_part)}"
        seen[key] += 1
        seen_text[text] += 1
        count = seen[key]
        keys.append(_hash(key if count == 1 else f"{key}#{count}"))
        if key is text and count == seen_text[text]:  # no agency ref: one identity
            texts.append(keys[-1])
        else:
            count = seen_text[text]
            texts.append(_hash(text if count == 1 else f"{text}#{count}"))
    return keys, texts


def entry_fields(entry: Entry) -> dict[str, str]:
    """The entry's fields as text, by their schema keys: what `diff` compares."""
    return {
        "date": entry.date.display(),
        "time": entry.time.strftime("%H:%M") if entry.time else "",
        "end_date": entry.end_date.display() if entry.end_date else "",
        "end_time": entry.end_time.strftime("%H:%M") if entry.end_time else "",
        "source": entry.source,
        "event": entry.event,
        "action": entry.action,
        "practitioner": entry.practitioner,
        "analysis": entry.analysis,
        "key_event": {True: "Y", False: "N", None: ""}[entry.key_event],
        "agency_ref": entry.agency_ref,
    }


@dataclass(slots=True)
class Known:
    """One entry the map has numbered: its ref, agency, content hash, and whether it was in the
    last run."""

    ref: str
    agency: str
    content: str
    present: bool = True
    text: str = ""  # the identity without the agency ref: found again when a Ref column comes or goes
    place: str = ""  # the same file (by content), sheet and row: found again after a correction


@dataclass(slots=True)
class RefMap:
    """Identity hash -> what is known of that entry; `highest` is the highest number ever used."""

    known: dict[str, Known] = field(default_factory=dict)
    highest: int = 0

    @property
    def present_refs(self) -> set[str]:
        return {k.ref for k in self.known.values() if k.present}


@dataclass(slots=True)
class AgencyChange:
    """What changed for one agency since the previous run."""

    agency: str
    added: int = 0
    removed: int = 0
    changed: int = 0


def ref_number(ref: str) -> int:
    """The number of a ref (C0042 -> 42); 0 for anything else."""
    digits = ref[1:] if ref[:1].upper() == "C" else ""
    return int(digits) if digits.isdigit() else 0


def place_keys(entries: list[Entry], sha256: dict[str, str]) -> list[str]:
    """Hashes of where each entry was read: its file's content (SHA-256), sheet and row; '' when
    the file's content is not known. The same bytes and row are the same entry, whatever a
    correction changed in it."""
    return [_hash(f"{sha256[e.file]}|{e.sheet}|{e.row}") if sha256.get(e.file) else ""
            for e in entries]


def number_entries(entries: list[Entry], previous: RefMap | None,
                   places: list[str] | None = None) -> tuple[RefMap, list[AgencyChange]]:
    """Give every entry (already in chronological order) its ref; the new map and, per agency,
    what was added, removed and changed since `previous` (empty when there is none)."""
    places = places or [""] * len(entries)
    if previous is None:
        width = max(4, len(str(len(entries))))
        refs = RefMap()
        for number, (entry, key, text, place, content) in enumerate(
                zip(entries, *entry_keys(entries), places, content_hashes(entries), strict=True), 1):
            entry.ref = f"C{number:0{width}d}"
            refs.known[key] = Known(entry.ref, entry.agency, content, text=text, place=place)
        refs.highest = len(entries)
        return refs, []
    refs = RefMap(highest=previous.highest)
    for key, k in previous.known.items():  # (dataclasses.replace is 10x slower on 100,000)
        refs.known[key] = Known(k.ref, k.agency, k.content, False, k.text, k.place)
    changes: dict[str, AgencyChange] = {}

    def change(agency: str) -> AgencyChange:
        return changes.setdefault(agency, AgencyChange(agency))

    keys, texts = entry_keys(entries)
    contents = content_hashes(entries)
    known = previous.known
    # first the same identity and content; then an unchanged entry whose identity moved (two
    # versions of one Agency Ref in two returns, the older since removed: the version left keeps
    # its own ref); then the same identity; then, for the rest, the same agency, date, time and
    # event (a Ref column added or dropped in a resubmission); the rest are new
    matched: dict[int, str] = {i: key for i, key in enumerate(keys)
                               if key in known and known[key].content == contents[i]}
    claimed = set(matched.values())
    if len(matched) < len(keys):
        by_content: dict[tuple[str, str], list[str]] = {}
        for key, old in known.items():
            if key not in claimed:
                by_content.setdefault((old.agency, old.content), []).append(key)
        for i, entry in enumerate(entries):
            if i not in matched and (same := by_content.get((entry.agency, contents[i]))):
                found = same.pop(0)
                matched[i] = found
                claimed.add(found)
        for i, key in enumerate(keys):
            if i not in matched and key in known and key not in claimed:
                matched[i] = key
                claimed.add(key)
    by_text = {known.text: key for key, known in previous.known.items()
               if known.text and key not in claimed}
    for i, text in enumerate(texts):
        if i not in matched and (found := by_text.get(text)) is not None and found not in claimed:
            matched[i] = found
            claimed.add(found)
    # then the same file (unchanged bytes), sheet and row: an entry changed by a correction
    by_place = {known.place: key for key, known in previous.known.items()
                if known.place and key not in claimed}
    for i, place in enumerate(places):
        if i not in matched and place and (found := by_place.get(place)) is not None \
                and found not in claimed:
            matched[i] = found
            claimed.add(found)
    for i, (entry, key, text, place, content) in enumerate(
            zip(entries, keys, texts, places, contents, strict=True)):
        if i in matched:
            old = previous.known[matched[i]]
            entry.ref = old.ref
            if not old.present:  # back after a run without it
                change(entry.agency).added += 1
            elif old.content != content:
                change(entry.agency).changed += 1
            if matched[i] != key:
                refs.known.pop(matched[i], None)
        else:
            refs.highest += 1
            entry.ref = f"C{refs.highest:04d}"
            change(entry.agency).added += 1
        refs.known[key] = Known(entry.ref, entry.agency, content, text=text, place=place)
    for key, known in previous.known.items():
        if known.present and key not in claimed:
            change(known.agency).removed += 1
    return refs, [c for c in changes.values() if c.added or c.removed or c.changed]
