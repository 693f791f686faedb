"""The subject's age at each entry and the days since the previous entry: the two sums reviewers
do by hand beside a chronology.

An age is a range when it cannot be known to the year: a month- or year-precision date, or only
the age at the start of the period given (the birthday is then unknown). The range is said, never
guessed: (47, 47) is 47, (47, 48) is "47 or 48". Days Since Previous is counted between the first
days of two day-precision dates; when either date is a month or a year it is left blank (None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sarkit.dates import PartialDate, Precision
from sarkit.entries import Entry
from sarkit.review import Review


def _years_ago(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _full_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_range(review: Review, date: PartialDate) -> tuple[int, int] | None:
    """The youngest and oldest the subject can have been on `date`; None when review.toml gives
    neither subject_birth_date nor subject_age_at_start, or the date is before the birth."""
    if review.subject_birth_date is not None:
        latest = earliest = review.subject_birth_date
    elif review.subject_age_at_start is not None and review.period_start is not None:
        start, age = review.period_start, review.subject_age_at_start
        latest = _years_ago(start, age)  # born on this day at the latest
        earliest = _years_ago(start, age + 1) + dt.timedelta(days=1)
    else:
        return None
    if date.last < latest:
        return None
    low = _full_years(latest, max(date.start, latest))
    high = _full_years(earliest, date.last)
    return low, max(low, high)


def age_text(ages: tuple[int, int] | None) -> int | str | None:
    """47, or '47 or 48' when the age is not known to the year; None when unknown."""
    if ages is None:
        return None
    low, high = ages
    return low if low == high else f"{low} or {high}"


def days_since_previous(entries: Sequence[Entry]) -> list[int | None]:
    """For each entry in chronology order, the days since the entry before it (any agency)."""
    out: list[int | None] = []
    previous: PartialDate | None = None
    for entry in entries:
        date = entry.date
        if (previous is not None and date.precision == Precision.DAY
                and previous.precision == Precision.DAY):
            out.append((date.start - previous.start).days)
        else:
            out.append(None)
        previous = date
    return out
