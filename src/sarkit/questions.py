"""The questions a combined chronology raises: for the workshop (gaps, overlaps with no recorded
communication, missing and unusable returns) and for one agency's IMR (its overlaps and silences).

Core: plain values in, sentences out. `label` turns an agency's full name into the name shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sarkit.analysis import NONE_RECORDED, RECORDED, RETURN_KINDS, Analysis, Gap, Overlap
from sarkit.wording import and_list, day, plural

Label = Callable[[str], str]
OVERLAP_REFS_SHOWN = 6


@dataclass(frozen=True, slots=True)
class Question:
    """A question for the IMR author raised by the combined chronology, and where it comes from."""

    kind: str  # 'overlap' | 'agency-gap' | 'all-agency-gap'
    text: str
    refs: tuple[str, ...] = ()


def when(start: dt.date | None, end: dt.date | None) -> str:
    """'On 03/03/2025' or 'Between 03/03/2025 and 05/03/2025'."""
    if start == end:
        return f"On {day(start)}"
    return f"Between {day(start)} and {day(end)}"


def _together(labels: Sequence[str]) -> str:
    return "both" if len(labels) == 2 else "all"


def longest_first(gaps: Sequence[Gap]) -> list[Gap]:
    """Silences (not missing or unusable returns), longest first, then by date."""
    found = [g for g in gaps if g.kind not in RETURN_KINDS]
    return sorted(found, key=lambda g: (-(g.days or 0), g.start or dt.date.min))


# ---- the workshop

def overlap_question(overlap: Overlap, label: Label, subject: str) -> str:
    """For an overlap with no recorded communication: was information shared?"""
    labels = [label(a) for a in overlap.agencies]
    refs = ", ".join(overlap.refs[:OVERLAP_REFS_SHOWN])
    more = " …" if len(overlap.refs) > OVERLAP_REFS_SHOWN else ""
    return (f"{when(overlap.start, overlap.end)} the {and_list(labels)} {_together(labels)} had "
            f"contact with {subject}; no communication between them is recorded. Was information "
            f"shared? ({overlap.id}: {refs}{more})")


def gap_question(gap: Gap, label: Label, subject: str) -> str:
    """For a silence: what was happening, and who knew?"""
    span = f"{when(gap.start, gap.end)} ({gap.days} days)"
    if gap.kind == "all-agency":
        return (f"{span} no agency recorded any contact with {subject}. What was happening for "
                f"{subject} then, and did anyone know?")
    name = label(gap.agency or "")
    if gap.others_active:
        return (f"{span} the {name} recorded no contact with {subject}, while "
                f"{gap.others_active} other {'agency' if gap.others_active == 1 else 'agencies'} "
                f"recorded {plural(gap.others_entries, 'entry', 'entries')}. Should the {name} have "
                "been involved, and did the others tell them what was happening?")
    return (f"{span} the {name} recorded no contact with {subject}, and no other agency "
            "recorded anything either. Was the case open, and who was keeping it in view?")


def workshop_questions(analysis: Analysis, label: Label, subject: str) -> tuple[list[str], list[str]]:
    """(one per overlap with no recorded communication, one per gap — longest first — and per
    missing or unusable return)."""
    about_overlaps = [overlap_question(o, label, subject) for o in analysis.overlaps
                      if o.communication == NONE_RECORDED]
    about_gaps = [gap_question(g, label, subject) for g in longest_first(analysis.gaps)]
    about_gaps += [
        f"The {label(name)} was asked for a chronology but no return was received. "
        f"Was the {label(name)} involved with {subject} during the review period?"
        for name in analysis.missing_returns
    ]
    about_gaps += [
        f"The {label(name)} sent a return that could not be used. "
        f"Was the {label(name)} involved with {subject} during the review period?"
        for name in analysis.unusable_returns
    ]
    return about_overlaps, about_gaps


# ---- one agency's IMR

def imr_overlap_questions(agency: str, analysis: Analysis | None, label: Label,
                          subject: str) -> list[Question]:
    """'On 03/03/2025 the GP and ASC both had contact with Adult B; …' for each of its overlaps."""
    if analysis is None:
        return []
    questions = []
    for overlap in analysis.overlaps:
        if agency not in overlap.agencies:
            continue
        labels = [label(a) for a in overlap.agencies]
        said = when(overlap.start, overlap.end)
        refs = ", ".join(overlap.refs)
        if overlap.communication == RECORDED:
            text = (f"{said} the {and_list(labels)} {_together(labels)} had contact with {subject}, "
                    f"and communication between them is recorded ({refs}). What did the "
                    f"{label(agency)} share or receive, and what difference did it make?")
        else:
            text = (f"{said} the {and_list(labels)} {_together(labels)} had contact with {subject}; "
                    f"no communication is recorded ({refs}). Was this a missed opportunity?")
        questions.append(Question("overlap", text, tuple(overlap.refs)))
    return questions


def imr_gap_questions(agency: str, analysis: Analysis | None, label: Label,
                      subject: str) -> list[Question]:
    """A question for each of the agency's silences, then each silence of every agency that
    one of the agency's own silences does not already cover."""
    if analysis is None:
        return []
    name = label(agency)
    own = [g for g in analysis.gaps if g.kind == "agency" and g.agency == agency
           and g.start is not None and g.end is not None]
    questions = []
    for gap in own:
        if gap.others_active:
            others = (f"while {gap.others_active} other "
                      f"{'agency' if gap.others_active == 1 else 'agencies'} recorded "
                      f"{plural(gap.others_entries, 'entry', 'entries')}")
        else:
            others = "and no other agency recorded anything either"
        text = f"{_span(gap)} the {name} recorded no contact {others}. Was anything missed?"
        questions.append(Question("agency-gap", text, _gap_refs(gap)))
    for gap in analysis.gaps:
        if gap.kind != "all-agency" or gap.start is None or gap.end is None:
            continue
        if any(o.start <= gap.start and gap.end <= o.end for o in own):
            continue
        text = (f"{_span(gap)} no agency recorded any contact with {subject}. Did the "
                f"{name} have any involvement or information in that time that is not recorded?")
        questions.append(Question("all-agency-gap", text, _gap_refs(gap)))
    return questions


def _span(gap: Gap) -> str:
    return f"Between {day(gap.start)} and {day(gap.end)} ({gap.days} days)"


def _gap_refs(gap: Gap) -> tuple[str, ...]:
    return tuple(r for r in (gap.before_ref, gap.after_ref) if r)
