"""The questions a combined chronology raises: the workshop's agenda, in priority order, and the
questions for one agency's IMR.

Core: plain values in, sentences out. `label` turns an agency's full name into its short name.
Agencies are named by `Namer`: the full name (with the short name) the first time, the short
name after, every agency the same way: without an article ('GP', 'ASC', 'Mental Health').
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sarkit.analysis import NONE_RECORDED, RECORDED, RETURN_KINDS, Analysis, Gap, Overlap, Trail
from sarkit.wording import and_list, day, plural

Label = Callable[[str], str]
OVERLAP_REFS_SHOWN = 6
GAPS_LISTED = 6  # an agency's silences listed in its one question; the rest are counted


@dataclass(frozen=True, slots=True)
class Question:
    """A question raised by the combined chronology, and where it comes from.

    kind: 'all-agency-gap' | 'trail' | 'overlap' | 'missing-return' | 'unusable-return' |
    'agency-gap' | 'duplicates' (the workshop's priority order)."""

    kind: str
    text: str
    refs: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()  # full names of the agencies it is about


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class Namer:
    """Names agencies in running text: 'Hill Surgery (GP)' the first time, 'GP' after."""

    def __init__(self, label: Label) -> None:
        self.label = label
        self.named: set[str] = set()

    def __call__(self, name: str) -> str:
        short = self.label(name) or name
        if name in self.named or short == name:
            self.named.add(name)
            return short
        self.named.add(name)
        return f"{name} ({short})"

    def short(self, name: str) -> str:
        """The short form, for a second mention in the same sentence ('GP')."""
        return self.label(name) or name


def when(start: dt.date | None, end: dt.date | None) -> str:
    """'On 03/03/2025' or 'Between 03/03/2025 and 05/03/2025'."""
    if start == end:
        return f"On {day(start)}"
    return f"Between {day(start)} and {day(end)}"


def _together(names: Sequence[str]) -> str:
    return "both" if len(names) == 2 else "all"


def longest_first(gaps: Sequence[Gap]) -> list[Gap]:
    """Silences (not missing or unusable returns), longest first, then by date."""
    found = [g for g in gaps if g.kind not in RETURN_KINDS]
    return sorted(found, key=lambda g: (-(g.days or 0), g.start or dt.date.min))


def _agencies(count: int) -> str:
    return plural(count, "other agency", "other agencies")


# ---- referral trails


def trail_outcome(trail: Trail, name: Callable[[str], str], window: int) -> str:
    """What became of a trail: 'answered by C0005 after 9 days', 'no Mental Health entry until
    30/05/2025', 'no Mental Health entry in the next 14 days mentions it'."""
    to = name(trail.to_agency)
    if trail.answered:
        return f"answered by {trail.answer_ref} {_after(trail.days)}"
    if trail.no_return:
        return f"no answer can be found: {no_return_reason(trail.no_return, to)}"
    if trail.next_date is None:
        return f"no {to} entry after that"
    if (trail.next_date - trail.date).days > window:
        return f"no {to} entry until {day(trail.next_date)}"
    return f"no {to} entry in the next {plural(window, 'day')} mentions it"


def no_return_reason(kind: str, named: str) -> str:
    """Why an agency has no entries to answer a trail: 'MHT sent a nil return'."""
    if kind == "nil":
        return f"{named} sent a nil return (no contact in the period)"
    if kind == "missing":
        return f"no return was received from {named}"
    if kind == "unusable":
        return f"{named}'s return could not be used"
    return f"{named} has no entries in the chronology"


def _after(days: int | None) -> str:
    return "the same day" if not days else f"after {plural(days, 'day')}"


def trail_line(trail: Trail, label: Label, window: int) -> str:
    """One line for the terminal (no entry text): 'T1 C0054 12/03/2025 GP to Mental Health:
    no Mental Health entry until 30/05/2025.'"""
    return (f"{trail.id} {trail.ref} {day(trail.date)} {label(trail.from_agency)} to "
            f"{label(trail.to_agency)}: {trail_outcome(trail, label, window)}.")


def trail_question(trail: Trail, name: Namer, window: int) -> str:
    sender, receiver = name(trail.from_agency), name(trail.to_agency)
    outcome = trail_outcome(trail, name, window)
    return (f"On {day(trail.date)} {sender} recorded sending something to {receiver} "
            f"({trail.ref}: “{trail.words}”); {outcome}. Was it received, and what was done "
            "with it?")


# ---- the workshop's agenda


def overlap_question(overlap: Overlap, name: Namer, subject: str) -> str:
    """For an overlap with no recorded communication: was information shared?"""
    names = [name(a) for a in overlap.agencies]
    return (f"{when(overlap.start, overlap.end)} {and_list(names)} {_together(names)} had "
            f"contact with {subject}; no communication between them is recorded. Was information "
            f"shared? ({overlap.id})")


GROUP_DAYS = 31  # silent overlaps of the same agencies within this many days are one question


def _overlap_groups(overlaps: Sequence[Overlap]) -> list[list[Overlap]]:
    """Overlaps with no recorded communication, same-day ones first, then by date; those of the
    same agencies starting within GROUP_DAYS of the first of them are one group."""
    silent = sorted((o for o in overlaps if o.communication == NONE_RECORDED),
                    key=lambda o: (o.start != o.end, o.start))
    groups: list[list[Overlap]] = []
    open_groups: dict[tuple[bool, tuple[str, ...]], list[Overlap]] = {}
    for overlap in silent:
        key = (overlap.start != overlap.end, overlap.agencies)
        group = open_groups.get(key)
        if group is not None and (overlap.start - group[0].start).days <= GROUP_DAYS:
            group.append(overlap)
            continue
        open_groups[key] = [overlap]
        groups.append(open_groups[key])
    return groups


def overlaps_question(group: Sequence[Overlap], name: Namer, subject: str) -> str:
    """One question for several overlaps of the same agencies close together."""
    names = [name(a) for a in group[0].agencies]
    shown = group[:GAPS_LISTED]
    more = f" and {len(group) - GAPS_LISTED} more" if len(group) > GAPS_LISTED else ""
    days = ", ".join(day(o.start) for o in shown) + more
    ids = ", ".join(o.id for o in shown) + more
    return (f"On {len(group)} days between {day(group[0].start)} and {day(group[-1].end)} "
            f"({days}) {and_list(names)} {_together(names)} had contact with {subject}; no "
            f"communication between them is recorded on any of them. Was information shared? "
            f"({ids})")


def all_agency_gap_question(gap: Gap, subject: str) -> str:
    return (f"{when(gap.start, gap.end)} ({gap.days} days) no agency recorded any contact with "
            f"{subject}. What was happening for {subject} then, and did anyone know?")


def agency_gaps_question(agency: str, gaps: Sequence[Gap], name: Namer, subject: str) -> str:
    """One question for all of an agency's silences, longest first."""
    who = name(agency)
    if len(gaps) == 1:
        gap = gaps[0]
        said = f"{when(gap.start, gap.end)} ({gap.days} days) {who} recorded no contact with {subject}"
        if gap.others_active:
            return (f"{said}, while {_agencies(gap.others_active)} recorded "
                    f"{plural(gap.others_entries, 'entry', 'entries')}. Should {name.short(agency)} "
                    "have been involved, and did the others say what was happening?")
        return (f"{said}, and no other agency recorded anything either. Was the case open, and "
                "who was keeping it in view?")
    spans = [f"{day(g.start)} to {day(g.end)} ({g.days} days)" for g in gaps[:GAPS_LISTED]]
    if len(gaps) > GAPS_LISTED:
        spans.append(f"{len(gaps) - GAPS_LISTED} more")
    others = sum(g.others_entries for g in gaps)
    meanwhile = (f"; other agencies recorded {plural(others, 'entry', 'entries')} meanwhile"
                 if others else "; no other agency recorded anything then either")
    return (f"{capital(who)} recorded no contact with {subject} in {len(gaps)} periods, longest "
            f"first: {'; '.join(spans)}{meanwhile}. Was the case open, and did the others tell "
            f"{name.short(agency)} what was happening?")


def workshop_agenda(analysis: Analysis, label: Label, subject: str) -> list[Question]:
    """The workshop's questions in priority order: silences of every agency, referrals never
    answered, overlaps with no recorded communication (same-day first), missing and unusable
    returns, each agency's silences (one question per agency), possible duplicates."""
    name = Namer(label)
    items: list[Question] = []
    for gap in longest_first(analysis.gaps):
        if gap.kind == "all-agency":
            items.append(Question("all-agency-gap", all_agency_gap_question(gap, subject),
                                  tuple(r for r in (gap.before_ref, gap.after_ref) if r)))
    window = analysis.referral_window_days
    for trail in analysis.trails:
        if not trail.answered:
            items.append(Question("trail", trail_question(trail, name, window),
                                  tuple(r for r in (trail.ref, trail.next_ref) if r),
                                  (trail.from_agency, trail.to_agency)))
    for group in _overlap_groups(analysis.overlaps):
        text = (overlap_question(group[0], name, subject) if len(group) == 1
                else overlaps_question(group, name, subject))
        items.append(Question("overlap", text, tuple(r for o in group for r in o.refs),
                              group[0].agencies))
    for agency in analysis.missing_returns:
        who = name(agency)
        items.append(Question(
            "missing-return", f"{capital(who)} was asked for a chronology but no return was "
            f"received. Was {name.short(agency)} involved with {subject} during the "
            "review period?", (), (agency,)))
    for agency in analysis.unusable_returns:
        who = name(agency)
        items.append(Question(
            "unusable-return", f"{capital(who)} sent a return that could not be used. Was "
            f"{name.short(agency)} involved with {subject} during the review period?",
            (), (agency,)))
    by_agency: dict[str, list[Gap]] = {}
    for gap in longest_first(analysis.gaps):
        if gap.kind == "agency" and gap.agency:
            by_agency.setdefault(gap.agency, []).append(gap)
    for agency, gaps in by_agency.items():
        refs = tuple(r for g in gaps for r in (g.before_ref, g.after_ref) if r)
        items.append(Question("agency-gap", agency_gaps_question(agency, gaps, name, subject),
                              refs, (agency,)))
    if analysis.duplicates:
        pairs = [" and ".join(d.refs) for d in analysis.duplicates[:OVERLAP_REFS_SHOWN]]
        more = " …" if len(analysis.duplicates) > OVERLAP_REFS_SHOWN else ""
        count = len(analysis.duplicates)
        items.append(Question(
            "duplicates", f"{plural(count, 'possible duplicate', 'possible duplicates')} "
            f"({'; '.join(pairs)}{more}): {'is this' if count == 1 else 'are these'} the same "
            "event recorded by two agencies, or two events?",
            tuple(r for d in analysis.duplicates for r in d.refs)))
    return items


# ---- one agency's IMR


def imr_overlap_questions(agency: str, analysis: Analysis | None, label: Label,
                          subject: str) -> list[Question]:
    """'On 03/03/2025 GP and ASC both had contact with Adult B; …' for each of its overlaps."""
    if analysis is None:
        return []
    questions = []
    name = Namer(label)
    for overlap in analysis.overlaps:
        if agency not in overlap.agencies:
            continue
        names = [name(a) for a in overlap.agencies]
        said = when(overlap.start, overlap.end)
        refs = ", ".join(overlap.refs)
        if overlap.communication == RECORDED:
            evidence = "".join(f"; {e.ref}: “{e.words}”" for e in overlap.evidence)
            text = (f"{said} {and_list(names)} {_together(names)} had contact with {subject}, "
                    f"and communication between them is recorded ({refs}{evidence}). What did "
                    f"{label(agency)} share or receive, and what difference did it make?")
        else:
            text = (f"{said} {and_list(names)} {_together(names)} had contact with {subject}; "
                    f"no communication is recorded ({refs}). Was this a missed opportunity?")
        questions.append(Question("overlap", text, tuple(overlap.refs), overlap.agencies))
    return questions


def imr_trail_questions(agency: str, analysis: Analysis | None, label: Label) -> list[Question]:
    """A question for each referral trail from or to the agency."""
    if analysis is None:
        return []
    name = Namer(label)
    window = analysis.referral_window_days
    questions = []
    for trail in analysis.trails:
        if agency not in (trail.from_agency, trail.to_agency):
            continue
        if trail.answered:
            text = (f"On {day(trail.date)} {name(trail.from_agency)} recorded sending something "
                    f"to {name(trail.to_agency)} ({trail.ref}: “{trail.words}”); "
                    f"{trail_outcome(trail, name, window)} (“{trail.answer_words}”). What "
                    "happened next?")
        else:
            text = trail_question(trail, name, window)
        questions.append(Question("trail", text, tuple(r for r in (trail.ref, trail.answer_ref
                                                                   or trail.next_ref) if r),
                                  (trail.from_agency, trail.to_agency)))
    return questions


def imr_gap_questions(agency: str, analysis: Analysis | None, label: Label,
                      subject: str) -> list[Question]:
    """A question for each of the agency's silences, then each silence of every agency that
    one of the agency's own silences does not already cover."""
    if analysis is None:
        return []
    who = label(agency)
    own = [g for g in analysis.gaps if g.kind == "agency" and g.agency == agency
           and g.start is not None and g.end is not None]
    questions = []
    for gap in own:
        if gap.others_active:
            others = (f"while {_agencies(gap.others_active)} recorded "
                      f"{plural(gap.others_entries, 'entry', 'entries')}")
        else:
            others = "and no other agency recorded anything either"
        text = f"{_span(gap)} {who} recorded no contact {others}. Was anything missed?"
        questions.append(Question("agency-gap", text, _gap_refs(gap)))
    for gap in analysis.gaps:
        if gap.kind != "all-agency" or gap.start is None or gap.end is None:
            continue
        if any(o.start <= gap.start and gap.end <= o.end for o in own):
            continue
        text = (f"{_span(gap)} no agency recorded any contact with {subject}. Did {who} have "
                "any involvement or information in that time that is not recorded?")
        questions.append(Question("all-agency-gap", text, _gap_refs(gap)))
    return questions


def _span(gap: Gap) -> str:
    return f"Between {day(gap.start)} and {day(gap.end)} ({gap.days} days)"


def _gap_refs(gap: Gap) -> tuple[str, ...]:
    return tuple(r for r in (gap.before_ref, gap.after_ref) if r)
