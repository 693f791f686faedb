"""Sheet names that name a period ('2024', 'Jan 2025', 'Q2 2025'): a return kept a sheet per
period, each with the same headings, is one chronology carried on; a repeated period is a copy."""

from __future__ import annotations

import datetime as dt
import re

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_QUARTER = re.compile(r"q([1-4])|quarter\s*([1-4])|([1-4])(?:st|nd|rd|th)\s*quarter")
_SEPARATORS = re.compile(r"[\s\-_/.,]+")
_FULL_MONTHS = {"january", "february", "march", "april", "june", "july", "august", "september",
                "october", "november", "december"}


def sheet_period(name: str) -> tuple[str, int | None, int | None] | None:
    """('year', 2024, None), ('month', 2025, 1), ('quarter', 2025, 2) (the year None when the name
    gives none: 'January'), or None when the name is not a period alone ('Chronology')."""
    text = name.strip().lower()
    years = _YEAR.findall(text)
    if len(years) > 1:
        return None
    year = int(years[0]) if years else None
    rest = _SEPARATORS.sub(" ", _YEAR.sub(" ", text)).strip()
    if not rest:
        return ("year", year, None) if year is not None else None
    if quarter := _QUARTER.fullmatch(rest):
        return "quarter", year, int(next(q for q in quarter.groups() if q))
    if rest.isdigit() and year is not None and 1 <= int(rest) <= 12:
        return "month", year, int(rest)
    for number, month in enumerate(_MONTHS, start=1):
        if rest.startswith(month) and (rest == month or rest in _FULL_MONTHS or rest == "sept"):
            return "month", year, number
    return None



def _span(period: tuple[str, int | None, int | None]) -> tuple[dt.date, dt.date] | None:
    kind, year, part = period
    if year is None or kind == "quarter":  # a quarter may be the calendar's or the financial year's
        return None
    if kind == "year":
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    assert part is not None
    end = dt.date(year + part // 12, part % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, part, 1), end


def periods_apart(names: list[str]) -> bool | None:
    """Whether the sheet names are all periods and no two of them overlap (True), or all periods
    but one repeats or overlaps another (False: a copy or an older version); None when some name
    is not a period."""
    periods = [sheet_period(name) for name in names]
    if any(p is None for p in periods):
        return None
    for i, first in enumerate(periods):
        for second in periods[i + 1:]:
            assert first is not None and second is not None
            if first == second or (first[1] == second[1] is not None and "year" in (first[0], second[0])):
                return False
            a, b = _span(first), _span(second)
            if a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]:
                return False
    return True
