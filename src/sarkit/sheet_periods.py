"""Sheet names that name a period ('2024', 'Jan 2025', 'Q2 2025'): a return kept a sheet per
period, each with the same headings, is one chronology carried on; a repeated period is a copy."""

from __future__ import annotations

import datetime as dt

from sarkit.lazy_re import lazy_compile

_YEAR = lazy_compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_QUARTER = lazy_compile(r"q([1-4])|quarter\s*([1-4])|([1-4])(?:st|nd|rd|th)\s*quarter")
_SEPARATORS = lazy_compile(r"[\s\-_/.,]+")
_FULL_MONTHS = {"january", "february", "march", "april", "june", "july", "august", "september",
                "october", "november", "december"}


_MONTH_WORD = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_MONTH_RANGE = lazy_compile(
    rf"{_MONTH_WORD}\s*((?:19|20)\d\d)?\s*(?:-|to)\s*{_MONTH_WORD}\s*((?:19|20)\d\d)?")
_YEAR_RANGE = lazy_compile(r"(?:fy\s*)?((?:19|20)?\d\d)\s*[-/]\s*((?:19|20)?\d\d)")


def _range_period(text: str) -> tuple[str, int | None, int | None] | None:
    """A span of months or a financial year: ('span', first day, last day) as ordinals, or
    ('months', None, first month * 100 + last month) when no year is named ('Apr-Jun')."""
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    if m := _MONTH_RANGE.fullmatch(text):
        first, last = _MONTHS.index(m[1]) + 1, _MONTHS.index(m[3]) + 1
        start_year, end_year = (int(m[2]) if m[2] else None), (int(m[4]) if m[4] else None)
        if start_year is None and end_year is None:
            return "months", None, first * 100 + last
        end_year = end_year or start_year
        start_year = start_year or (end_year if first <= last else end_year - 1)
        assert start_year is not None and end_year is not None
        start = dt.date(start_year, first, 1)
        end = dt.date(end_year + last // 12, last % 12 + 1, 1) - dt.timedelta(days=1)
        return ("span", start.toordinal(), end.toordinal()) if start <= end else None
    if m := _YEAR_RANGE.fullmatch(text):  # a financial year: '2025-26', 'FY 2025/26'
        first_year = int(m[1]) if len(m[1]) == 4 else 2000 + int(m[1])
        second = int(m[2]) if len(m[2]) == 4 else first_year // 100 * 100 + int(m[2])
        if second != first_year + 1:
            return None
        return ("span", dt.date(first_year, 4, 1).toordinal(), dt.date(second, 3, 31).toordinal())
    return None


def sheet_period(name: str) -> tuple[str, int | None, int | None] | None:
    """('year', 2024, None), ('month', 2025, 1), ('quarter', 2025, 2) (the year None when the name
    gives none: 'January'), a span of months or a financial year (see `_range_period`), or None
    when the name is not a period alone ('Chronology')."""
    text = name.strip().lower()
    if ranged := _range_period(text):
        return ranged
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
    if kind == "span":
        assert year is not None and part is not None
        return dt.date.fromordinal(year), dt.date.fromordinal(part)
    if year is None or kind in ("quarter", "months"):  # a quarter: the calendar's or the financial year's?
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
            if first[0] == second[0] == "months":  # 'Jan-Mar' and 'Apr-Jun': months of one year
                assert first[2] is not None and second[2] is not None
                if _months(first[2]) & _months(second[2]):
                    return False
                continue
            a, b = _span(first), _span(second)
            if a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]:
                return False
    return True


def _months(code: int) -> set[int]:
    """The months of a year-less span ('Nov-Feb' runs on into the next year)."""
    first, last = divmod(code, 100)
    return {(first - 1 + n) % 12 + 1 for n in range((last - first) % 12 + 1)}
