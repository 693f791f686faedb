"""What an Individual Management Review skeleton shows: the agency's entries, the questions the
combined chronology raises for it, and what the chronology lacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sarkit.account import Account, caveats
from sarkit.analysis import Analysis, entries_naming
from sarkit.entries import Entry
from sarkit.output.entry_time import time_shown
from sarkit.questions import imr_gap_questions, imr_overlap_questions, imr_trail_questions
from sarkit.review import Review
from sarkit.wording import day


def imr_context(
    agency: str,
    *,
    review: Review,
    entries: Sequence[Entry] | None,
    analysis: Analysis | None,
    glossary: Sequence[tuple[str, str]] = (),
    today: dt.date | None = None,
    account: Account | None = None,
    gap_days: int | None = None,
) -> dict[str, object]:
    """Everything the IMR template shows. `entries` None: no chronology was supplied;
    `account` says what the chronology lacks (missing, unusable returns, rejected rows)."""
    label = review.label(agency)
    mine = [e for e in entries or () if e.agency == agency]
    mine.sort(key=lambda e: (e.date.start, e.time is not None, e.time or dt.time(), e.order))
    last = max(mine, key=lambda e: e.last_day, default=None)
    return {
        "review": review,
        "agency": agency,
        "label": label,
        "subject": review.subject,
        "reference": review.reference,
        "marking": review.marking,
        "period_start": day(review.period_start),
        "period_end": day(review.period_end),
        "terms_of_reference": list(review.terms_of_reference),
        "gap_days": review.gap_days if gap_days is None else gap_days,
        "caveats": caveats(account, review.label) if account is not None else [],
        "made": day(today or dt.date.today()),
        "chronology_given": entries is not None,
        "entries": [_entry_row(e) for e in mine],
        "entry_count": len(mine),
        "first_contact": mine[0].date.display() if mine else "",
        "last_contact": (last.end_date or last.date).display() if last else "",
        "other_agencies": len({e.agency for e in entries or () if e.agency != agency}),
        "key_events": [_entry_row(e) for e in mine if e.key_event],
        "named_by_others": [
            {**_entry_row(e), "agency": review.label(e.agency), "words": words}
            for e, words in entries_naming(entries or (), agency, agencies=review.agencies)
        ],
        "trail_questions": imr_trail_questions(agency, analysis, review.label),
        "referral_window_days": (analysis.referral_window_days if analysis is not None
                                 else review.referral_window_days),
        "overlap_questions": imr_overlap_questions(agency, analysis, review.label, review.subject),
        "gap_questions": imr_gap_questions(agency, analysis, review.label, review.subject),
        "glossary": [(a, m) for a, m in glossary if str(a).strip() or str(m).strip()],
    }


def _entry_row(entry: Entry) -> dict[str, str]:
    date = entry.date.display()
    if entry.end_date is not None:
        date = f"{date} to {entry.end_date.display()}"
    return {
        "ref": entry.ref or entry.agency_ref,
        "agency_ref": entry.agency_ref,
        "date": date,
        "time": time_shown(entry),
        "source": entry.source,
        "event": entry.event,
        "action": entry.action,
        "practitioner": entry.practitioner,
        "analysis": entry.analysis,
    }
