"""Date and time parsing for UK chronologies: day first, precision and uncertainty kept.

`parse_date` reads a cell (a real date, an Excel serial number or text) as a `PartialDate`:
a date as precise as its author wrote it (day, month or year), possibly marked uncertain.
Dates are always read day first; a date that does not exist, or that looks written month
first, is an error and is never guessed. `parse_time` reads a time of day.

`parse_date_range` reads one cell holding two dates ('12/05/2025 - 30/06/2025', '12-14 March
2025') as a start and an end, only when nothing else can be meant.

Error messages are plain sentences for practitioners and never quote the cell's value, so a
report can show them next to the cell without repeating possibly sensitive text.

Pure module: standard library only. Common forms (date cells, ``dd/mm/yyyy``, ``hh:mm``)
take a fast path, since a collation may read hundreds of thousands of cells.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import numbers
import re
from dataclasses import dataclass
from enum import StrEnum

from sarkit.lazy_re import lazy_compile

__all__ = [
    "DateError",
    "PartialDate",
    "Precision",
    "TimeError",
    "UncertainTime",
    "format_time",
    "parse_date",
    "parse_date_range",
    "parse_date_words",
    "read_date_words",
    "date_then_words",
    "day_part_words",
    "parse_time",
    "parse_time_range",
    "reads_month_first_too",
    "time_cell_date",
    "two_digit_year_month",
    "written_midnight",
    "typed_serial",
]


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class DateError(ValueError):
    """A value that is not a usable date. `reason` is 'invalid', 'impossible' or 'month-first'.

    `str(err)` is a sentence that never quotes the value; `hint` says how to fix it.
    """

    def __init__(self, message: str, *, reason: str = "invalid", hint: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.hint = hint


class TimeError(ValueError):
    """A value that is not a usable time; `str(err)` never quotes the value."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


# Years outside this range are taken as typing mistakes (e.g. 3016 for 2016).
YEAR_MIN = 1800
YEAR_MAX = 2200

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month]


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as precise as its author wrote it: day, month or year; maybe uncertain.

    Day precision has `month` and `day`; month precision has `month` only; year precision has
    neither. The fields are not validated here (this class may be built a million times):
    build instances with `parse_date`, or with parts known to be valid.
    """

    year: int
    month: int | None = None
    day: int | None = None
    uncertain: bool = False

    def __reduce__(self) -> tuple[type[PartialDate], tuple[int, int | None, int | None, bool]]:
        """Pickled as its four fields: a reader worker sends thousands back to the main process,
        and a frozen dataclass's own pickling sets each field through object.__setattr__."""
        return PartialDate, (self.year, self.month, self.day, self.uncertain)

    @property
    def precision(self) -> Precision:
        if self.month is None:
            return Precision.YEAR
        if self.day is None:
            return Precision.MONTH
        return Precision.DAY

    @property
    def start(self) -> dt.date:
        """First day of the period the date covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        """Last day of the period the date covers."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, _days_in_month(self.year, self.month))
        return dt.date(self.year, self.month, self.day)

    def display(self) -> str:
        """As written, never showing assumed parts: '22/05/2016', 'May 2016', '2016', '?22/05/2016'."""
        mark = "?" if self.uncertain else ""
        if self.month is None:
            return f"{mark}{self.year}"
        if self.day is None:
            return f"{mark}{_MONTH_NAMES[self.month - 1]} {self.year}"
        return f"{mark}{self.day:02d}/{self.month:02d}/{self.year}"


class UncertainTime(dt.time):
    """A time its author marked uncertain ('?14:30', 'approx 14:30'): shown '?14:30'.

    It is a `datetime.time` in every other way (sorting, comparing), as an uncertain
    PartialDate is a date; outputs show the mark through `format_time`.
    """

    __slots__ = ()

    @classmethod
    def of(cls, value: dt.time) -> UncertainTime:
        return cls(value.hour, value.minute, value.second)


# --------------------------------------------------------------------------------------------
# Messages (never containing the value)

_HINT_DATE = (
    "Write the date day first, e.g. 22/05/2016; write May 2016 or 2016 when the day or month "
    "is not known, and put ? in front when the date is uncertain."
)
_HINT_CHECK = "Check the day and the month; the day comes first, e.g. 22/05/2016."


def _blank() -> DateError:
    return DateError("The date is blank.", reason="invalid", hint=_HINT_DATE)


def _invalid(message: str = "This is not a date that can be read.", hint: str = "") -> DateError:
    return DateError(message, reason="invalid", hint=hint or _HINT_DATE)


def _impossible(message: str, hint: str = _HINT_CHECK) -> DateError:
    return DateError(message, reason="impossible", hint=hint)


def _year_error() -> DateError:
    return DateError(
        "The year looks mistyped: it is far outside the years a chronology covers.",
        reason="invalid",
        hint=f"Check the year; years from {YEAR_MIN} to {YEAR_MAX} are accepted.",
    )


def _month_first() -> DateError:
    return DateError(
        "The date looks written month first; dates must be written day first.",
        reason="month-first",
        hint="Write the day first, then the month, e.g. 23/07/2024 for 23 July 2024.",
    )


def _dmy_error(day: int, month: int, year: int, numeric: bool) -> DateError:
    """The error for a day/month pair that is not a real date."""
    if numeric and month > 12 and 1 <= day <= 12 and month <= _days_in_month(year, day):
        return _month_first()
    if not 1 <= month <= 12:
        return _impossible("The month is not between 1 and 12, so this date does not exist.")
    if day == 0 or day > 31:
        return _impossible("The day is not between 1 and 31, so this date does not exist.")
    return _impossible("That month does not have that many days, so this date does not exist.")


def _make_day(day: int, month: int, year: int, uncertain: bool, numeric: bool) -> PartialDate:
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
        raise _dmy_error(day, month, year, numeric)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise _year_error()
    return PartialDate(year, month, day, uncertain)


def _year2(text: str) -> int:
    """Year from 2 or 4 digits; two-digit years: 00-69 -> 2000s, 70-99 -> 1900s."""
    y = int(text)
    if len(text) == 2:
        return y + (2000 if y < 70 else 1900)
    return y


# --------------------------------------------------------------------------------------------
# Real dates and Excel serial numbers

_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1900_EARLY = dt.datetime(1899, 12, 31)  # serials 1..59, before the Lotus leap-day bug
_EPOCH_1904 = dt.datetime(1904, 1, 1)
SERIAL_MAX = (dt.date(YEAR_MAX + 1, 1, 1) - dt.date(1899, 12, 30)).days  # 1900 system; above, 20250303
_HALF_SECOND = dt.timedelta(microseconds=500_000)


def _round_second(value: dt.datetime) -> dt.datetime:
    """Round to the nearest second (Excel floats often land a hair off)."""
    if value.microsecond:
        value = (value + _HALF_SECOND).replace(microsecond=0)
    return value


def _from_datetime(value: dt.datetime) -> tuple[PartialDate, dt.time | None]:
    year = value.year
    if not YEAR_MIN <= year <= YEAR_MAX:  # also false for pandas NaT (nan)
        raise _year_error() if isinstance(year, int) else _blank()
    if value.microsecond:
        try:
            value = _round_second(value)
        except OverflowError:
            raise _year_error() from None
    if value.hour or value.minute or value.second:
        t: dt.time | None = dt.time(value.hour, value.minute, value.second)
    else:
        t = None
    return PartialDate(value.year, value.month, value.day), t


def _from_serial(number: float, date1904: bool) -> tuple[PartialDate, dt.time | None]:
    if not math.isfinite(number):
        if math.isnan(number):
            raise _blank()
        raise _invalid()
    if number < 0:
        raise _invalid("A negative number is not a date.")
    if number < 1:
        raise _invalid(
            "This holds only a time, not a date.",
            hint="Put the date in this column and the time in the Time column.",
        )
    if number == int(number) and YEAR_MIN <= number <= YEAR_MAX:
        return PartialDate(int(number)), None
    if number >= SERIAL_MAX:
        m = _COMPACT_ISO.fullmatch(str(int(number))) if number == int(number) else None
        if m and YEAR_MIN <= int(m[1]) <= YEAR_MAX and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
            return _make_day(int(m[3]), int(m[2]), int(m[1]), False, numeric=False), None  # 20250303
        raise _year_error()
    seconds = round(number * 86400)
    days, seconds = divmod(seconds, 86400)
    if date1904:
        base = _EPOCH_1904
    elif days >= 61:
        base = _EPOCH_1900
    elif days == 60:
        # Excel (after Lotus 1-2-3) counts a 29 February 1900 that never existed.
        raise _impossible("This is 29 February 1900, a day that does not exist.")
    else:
        base = _EPOCH_1900_EARLY
    value = base + dt.timedelta(days=days, seconds=seconds)
    return _from_datetime(value)


# --------------------------------------------------------------------------------------------
# Text

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "febuary": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# Welsh month names (England and Wales): the radical forms, as a date is written ('3 Ionawr 2025')
_WELSH_MONTHS = {
    "ionawr": 1, "chwefror": 2, "mawrth": 3, "ebrill": 4, "mai": 5, "mehefin": 6,
    "gorffennaf": 7, "awst": 8, "medi": 9, "hydref": 10, "tachwedd": 11, "rhagfyr": 12,
}  # fmt: skip
_MONTHS.update(_WELSH_MONTHS)
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1,
    "wednesday": 2, "weds": 2, "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3,
    "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_WELSH_WEEKDAYS = {
    "dydd llun": 0, "dydd mawrth": 1, "dydd mercher": 2, "dydd iau": 3, "dydd gwener": 4,
    "dydd sadwrn": 5, "dydd sul": 6,
}  # fmt: skip
_WEEKDAYS.update(_WELSH_WEEKDAYS)


def _alternation(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_MON = rf"({_alternation(_MONTHS)})\.?(?![a-z])"
_SEP = r"(?:\s*[-/.\\]\s*|\s+)"  # one separator, '/', '.', '-' or '\' mixed freely, or spaces

_FAST_DMY = lazy_compile(r"(\d\d?)([/.-])(\d\d?)\2(\d{4}|\d\d)")
_FAST_D_MON_Y = lazy_compile(r"(\d\d?)([ -])([A-Za-z]{3,10})\2(\d{4}|\d\d)")
_FAST_ISO = lazy_compile(r"(\d{4})-(\d\d)-(\d\d)")
_FAST_MON_Y = lazy_compile(r"([A-Za-z]{3,10}) (\d{4})")
_FAST_DMY_HM = lazy_compile(r"(\d\d?)/(\d\d?)/(\d{4}) (\d\d?):(\d\d)")
# a system's timestamp with its time zone: '2025-03-05T14:32:00Z', '2025-06-05T14:32:00+01:00'
_ISO_ZONED = lazy_compile(
    r"\s*(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?\s*"
    r"(?:(Z)|([+-])(\d\d):?(\d\d))\s*", re.IGNORECASE)
_ISO = lazy_compile(r"(\d{4})\s*[-/.]\s*(\d\d?)\s*[-/.]\s*(\d\d?)(?!\d)")
_DMY = lazy_compile(rf"(\d\d?){_SEP}(\d\d?){_SEP}(\d{{4}}|\d\d)(?!\d)")
_D_MON_Y = lazy_compile(rf"(\d\d?)[\s/.\-,]*{_MON}[\s/.\-,']*(\d{{4}}|\d\d)(?!\d)")
_MON_D_Y = lazy_compile(rf"{_MON}[\s/.\-,]*(\d\d?)(?:\s*[,/\-]\s*|\s+)(\d{{4}})(?!\d)")
_MON_Y = lazy_compile(rf"{_MON}\s*[,/.\-']?\s*(\d{{4}})")
_MON_YY = lazy_compile(rf"{_MON}\s*(?:[-/]|')\s*(\d\d)")  # Excel's mmm-yy: 'May-16'
_D_MON = lazy_compile(rf"(\d\d?)[\s/.\-,]*{_MON}")  # a day and month with no year
_MON_ONLY = lazy_compile(rf"{_MON}(?:\s*\d\d)?")  # a month with no (full) year
_NUM_MY = lazy_compile(r"(\d\d?)\s*[-/.]\s*(\d{4})")
_YEAR = lazy_compile(r"(\d{4})(?:\.0+)?")
_COMPACT_ISO = lazy_compile(r"(\d{4})(\d\d)(\d\d)")  # a system export's 20250303
_SERIAL = lazy_compile(r"\d{5}(?:\.\d+)?")
_PLACEHOLDER = lazy_compile(r"(\?\??|xx?)\s*[-/.]\s*(\?\??|xx?|\d\d?)\s*[-/.]\s*(\d{4}|\d\d)")

_UNCERTAIN_LEAD = lazy_compile(
    r"(?:\?+|~|(?:approximately|approx|circa|about|around|estimated|est|ca|c)(?:\.|\s|(?=\d))"
    # a week or a part of a month: 'w/c 03/03/2025', 'week beginning 3 March', 'mid-March 2025'
    r"|(?:w/c|w/b|w\.c\.|w\.b\.|wc|wb|week\s+(?:commencing|beginning|starting|of))(?=[\s\d])"
    r"|(?:early|mid|late|(?:beginning|start|middle|end)\s+of)(?:\s*-\s*|\s+))\s*"
)
_UNCERTAIN_TRAIL = lazy_compile(
    r"\s*(?:\?+|\(\s*(?:\?+|approx\.?|approximately|circa|ca\.?|c\.?|est\.?|estimated)\s*\)"
    r"|(?<=\s)(?:approx\.?|approximately|estimated))$"
)
_LEAD_CHARS = frozenset("?~acewmlbs")  # what _UNCERTAIN_LEAD can start with
_TRAIL_CHARS = frozenset("?)xyd.")  # what _UNCERTAIN_TRAIL can end with
_WEEKDAY = lazy_compile(rf"({_alternation(_WEEKDAYS)})\.?(?:\s*,\s*|\s+)")
_ORDINAL = lazy_compile(r"(?<=\d)(?:st|nd|rd|th)\b(?:\s+of\b)?")
_REST_LEAD = lazy_compile(r"\s*(?:t|at|@|,|-|;)?\s*")
_SECOND_DATE_LEAD = lazy_compile(r"\s*(?:-|to|until|till|and|&)?\s*")
_HAS_LETTER = lazy_compile(r"[a-z]")

_TRANSLATE = str.maketrans(
    {
        "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u2018": "'", "\u2019": "'", "\u2044": "/", "\u2215": "/", "\uff0f": "/",
    }
)  # fmt: skip
_MAX_LEN = 100


def _parse_text(value: str, date1904: bool) -> tuple[PartialDate, dt.time | None]:
    s = value.translate(_TRANSLATE).strip().lower()
    if not s:
        raise _blank()
    if len(s) > _MAX_LEN:
        raise _invalid("This is too long to be a date.")
    if s[0] == "'":  # a spreadsheet's text marker
        s = s[1:].lstrip()
    s = s.rstrip(".,; ")
    if not s:
        raise _invalid()

    m = _PLACEHOLDER.fullmatch(s) if s[0] in "?x" else None
    if m:  # '??/05/2016', 'xx/xx/2016': the author does not know the day (or month)
        year = _year2(m[3])
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise _year_error()
        if m[2][0] in "?x":
            return PartialDate(year), None
        month = int(m[2])
        if not 1 <= month <= 12:
            raise _impossible("The month is not between 1 and 12, so this date does not exist.")
        return PartialDate(year, month), None

    uncertain = False
    if s[0] in _LEAD_CHARS:
        for _ in range(3):
            m = _UNCERTAIN_LEAD.match(s)
            if not m:
                break
            uncertain = True
            s = s[m.end() :]
    if s and s[-1] in _TRAIL_CHARS:
        m = _UNCERTAIN_TRAIL.search(s)
        if m:
            uncertain = True
            s = s[: m.start()].rstrip(".,; ")
    if not s:
        raise _invalid()

    weekday = -1
    has_letter = _HAS_LETTER.search(s) is not None
    if has_letter:
        m = _WEEKDAY.match(s)
        if m:
            weekday = _WEEKDAYS[m[1]]
            s = s[m.end() :]
        s = _ORDINAL.sub("", s)

    pd, rest = _parse_core(s, uncertain, has_letter, date1904)
    if weekday >= 0:
        if pd.day is None:
            raise _invalid(
                "A day of the week needs a full date.", hint="Write e.g. Sunday 22 May 2016."
            )
        if dt.date(pd.year, pd.month, pd.day).weekday() != weekday:  # type: ignore[arg-type]
            raise _impossible(
                "The day of the week does not match the date.",
                hint="Check the date and the day of the week; either may be mistyped.",
            )
    if not rest:
        return pd, None
    return pd, _time_after_date(rest, date1904)


def _make_time_or_date_error(hour: int, minute: int) -> dt.time:
    if hour > 23 or minute > 59:
        raise _invalid(
            "There is text after the date that is not a time.",
            hint="Keep only the date here, e.g. 22/05/2016 or 22/05/2016 14:30.",
        )
    return dt.time(hour, minute)


def _time_after_date(rest: str, date1904: bool) -> dt.time | None:
    """The time written after a date in the same cell; midnight means no time."""
    lead = _REST_LEAD.match(rest).end()  # type: ignore[union-attr]
    text = rest[lead:]
    try:
        if "-" in rest[:lead] and text.strip().isdigit():
            # '2016-05-22 - 2017' is a range of years gone wrong, not 20:17
            raise _time_invalid()
        t = _parse_time_text(text)
    except TimeError:
        second = rest[_SECOND_DATE_LEAD.match(rest).end() :]  # type: ignore[union-attr]
        try:
            _parse_text(second, date1904)
        except DateError:
            pass
        else:
            raise _invalid(
                "The cell holds two dates; it should hold one.",
                hint="Put the first date here and the last date in the End Date column.",
            ) from None
        raise _invalid(
            "There is text after the date that is not a time.",
            hint="Keep only the date here, e.g. 22/05/2016 or 22/05/2016 14:30.",
        ) from None
    if not (t.hour or t.minute or t.second):
        return None
    return t


def _parse_core(
    s: str, uncertain: bool, has_letter: bool, date1904: bool
) -> tuple[PartialDate, str]:
    """Read the date at the start of `s`: the PartialDate and the text after it."""
    m = _ISO.match(s)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise _year_error()
        return _make_day(day, month, year, uncertain, numeric=False), s[m.end() :]
    m = _DMY.match(s)
    if m:
        pd = _make_day(int(m[1]), int(m[2]), _year2(m[3]), uncertain, numeric=True)
        return pd, s[m.end() :]
    if not has_letter:
        m = _NUM_MY.fullmatch(s)
        if m:
            month, year = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise _impossible("The month is not between 1 and 12, so this date does not exist.")
            if not YEAR_MIN <= year <= YEAR_MAX:
                raise _year_error()
            return PartialDate(year, month, None, uncertain), ""
        m = _COMPACT_ISO.fullmatch(s)
        if m and YEAR_MIN <= int(m[1]) <= YEAR_MAX and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
            return _make_day(int(m[3]), int(m[2]), int(m[1]), uncertain, numeric=False), ""
        m = _YEAR.fullmatch(s)
        if m:
            year = int(m[1])
            if not YEAR_MIN <= year <= YEAR_MAX:
                raise _invalid()
            return PartialDate(year, None, None, uncertain), ""
        if _SERIAL.fullmatch(s):
            pd, t = _from_serial(float(s), date1904)
            if uncertain:
                pd = PartialDate(pd.year, pd.month, pd.day, True)
            return pd, format_time(t) if t else ""
        if _no_year_day_month(s):
            raise _no_year()
        raise _invalid()

    m = _D_MON_Y.match(s)
    if m:
        pd = _make_day(int(m[1]), _MONTHS[m[2]], _year2(m[3]), uncertain, numeric=False)
        return pd, s[m.end() :]
    m = _MON_D_Y.match(s)
    if m:
        pd = _make_day(int(m[2]), _MONTHS[m[1]], int(m[3]), uncertain, numeric=False)
        return pd, s[m.end() :]
    m = _MON_Y.fullmatch(s) or _MON_YY.fullmatch(s)
    if m:
        year = _year2(m[2])
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise _year_error()
        return PartialDate(year, _MONTHS[m[1]], None, uncertain), ""
    if _D_MON.fullmatch(s) or _MON_ONLY.fullmatch(s):
        raise _no_year()
    raise _invalid()


def _no_year() -> DateError:
    return _invalid("The date has no year, or a year that is not written in full.",
                    hint="Write the year in full, e.g. 22/05/2016 or May 2016.")


_NUM_DM = lazy_compile(r"(\d\d?)/(\d\d?)")


def _no_year_day_month(s: str) -> bool:
    """Whether `s` is a day and month with no year that can only be read day first ('3/3',
    '13/03': a day that is the month too, or past 12); '1/2' might be month first, or a half."""
    m = _NUM_DM.fullmatch(s)
    if not m:
        return False
    day, month = int(m[1]), int(m[2])
    return 1 <= month <= 12 and (day == month or 12 < day <= calendar.monthrange(2024, month)[1])


def _uk_offset(moment: dt.datetime) -> dt.timedelta:
    """UK summer time at a moment given in UTC: from 01:00 UTC on the last Sunday of March to
    01:00 UTC on the last Sunday of October, an hour ahead (no time-zone database needed)."""
    def last_sunday(month: int) -> dt.datetime:
        day = dt.datetime(moment.year, month, 31, 1)
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)

    return dt.timedelta(hours=1) if last_sunday(3) <= moment < last_sunday(10) else dt.timedelta(0)


def _zoned(m: re.Match[str]) -> tuple[PartialDate, dt.time | None]:
    """A timestamp with its time zone, as the UK clock read it then."""
    year, month, day, hour, minute = (int(m[i]) for i in range(1, 6))
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise _year_error()
    try:
        moment = dt.datetime(year, month, day, hour, minute, int(m[6] or 0))
    except ValueError:
        raise _invalid() from None
    if not m[7]:
        offset = dt.timedelta(hours=int(m[9]), minutes=int(m[10]))
        moment -= offset if m[8] == "+" else -offset
    local = moment + _uk_offset(moment)
    clock = local.time().replace(second=0)
    return PartialDate(local.year, local.month, local.day), clock if clock != dt.time(0) else None


def zone_moved(value: str) -> bool:
    """Whether a timestamp with a time zone ('2025-06-01T23:30:00Z') reads, on the UK clock of
    that day (what parse_date gives), as another time than the one written."""
    m = _ISO_ZONED.fullmatch(value)
    if m is None:
        return False
    try:
        written = dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]))
    except ValueError:
        return False
    offset = dt.timedelta(0) if m[7] else dt.timedelta(hours=int(m[9]), minutes=int(m[10])) * (
        1 if m[8] == "+" else -1)
    moment = written - offset
    return moment + _uk_offset(moment) != written


def parse_date(value: object, *, date1904: bool = False) -> tuple[PartialDate, dt.time | None]:
    """Read a cell as a date (and the time when the cell holds both). Raises DateError.

    Accepts date and datetime objects, Excel serial numbers (1900 system, or 1904 when
    `date1904`; a whole number from 1800 to 2200 is a year) and text written day first.
    A time of exactly midnight is read as no time.
    """
    kind = type(value)
    if kind is str:
        m = _FAST_DMY.fullmatch(value)  # type: ignore[arg-type]
        if m:
            year = m[4]
            year = int(year) if len(year) == 4 else _year2(year)
            return _make_day(int(m[1]), int(m[3]), year, False, numeric=True), None
        m = _FAST_D_MON_Y.fullmatch(value)  # type: ignore[arg-type]
        if m:
            month = _MONTHS.get(m[3].lower())
            if month:
                return _make_day(int(m[1]), month, _year2(m[4]), False, numeric=False), None
        m = _FAST_ISO.fullmatch(value)  # type: ignore[arg-type]
        if m:
            year = int(m[1])
            if not YEAR_MIN <= year <= YEAR_MAX:
                raise _year_error()
            return _make_day(int(m[3]), int(m[2]), year, False, numeric=False), None
        m = _FAST_MON_Y.fullmatch(value)  # type: ignore[arg-type]
        if m:
            month = _MONTHS.get(m[1].lower())
            year = int(m[2])
            if month and YEAR_MIN <= year <= YEAR_MAX:
                return PartialDate(year, month), None
        m = _ISO_ZONED.fullmatch(value)  # type: ignore[arg-type]
        if m:
            return _zoned(m)
        m = _FAST_DMY_HM.fullmatch(value)  # type: ignore[arg-type]
        if m:
            pd = _make_day(int(m[1]), int(m[2]), int(m[3]), False, numeric=True)
            hour, minute = int(m[4]), int(m[5])
            if hour or minute:
                return pd, _make_time_or_date_error(hour, minute)
            return pd, None
        return _parse_text(value, date1904)  # type: ignore[arg-type]
    if kind is dt.datetime or isinstance(value, dt.datetime):
        return _from_datetime(value)  # type: ignore[arg-type]
    if kind is dt.date or isinstance(value, dt.date):
        year = value.year  # type: ignore[attr-defined]
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise _year_error()
        return PartialDate(year, value.month, value.day), None  # type: ignore[attr-defined]
    if value is None:
        raise _blank()
    if isinstance(value, bool):
        raise _invalid("A yes/no value is not a date.")
    if kind is int or kind is float or isinstance(value, numbers.Real):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (OverflowError, ValueError):
            raise _year_error() from None
        return _from_serial(number, date1904)
    if isinstance(value, str):
        return _parse_text(value, date1904)
    if isinstance(value, dt.time):
        raise _invalid(
            "This holds only a time, not a date.",
            hint="Put the date in this column and the time in the Time column.",
        )
    raise _invalid()


def reads_month_first_too(value: object) -> bool:
    """Whether a date typed as text in figures, read day first, is another real date read month
    first: '02/03/2025' (2 March, or 3 February). False for '03/03/2025', '13/03/2025', for a
    month in words, a date led by the day of the week (which settles it), and for a date cell.
    Meant for a value `parse_date` has read; it does not check the rest of the text."""
    if not isinstance(value, str):
        return False
    m = _FAST_DMY.fullmatch(value)  # the common form, without the work below
    if m:
        day, month = int(m[1]), int(m[3])
        return day != month and 1 <= day <= 12 and 1 <= month <= 12
    s = value.translate(_TRANSLATE).strip().lower()
    if s[:1] == "'":
        s = s[1:].lstrip()
    for _ in range(3):
        m = _UNCERTAIN_LEAD.match(s)
        if not m:
            break
        s = s[m.end() :]
    m = _DMY.match(s)
    if not m:
        return False
    day, month = int(m[1]), int(m[2])
    return day != month and 1 <= day <= 12 and 1 <= month <= 12


_TYPED_SERIAL = lazy_compile(r"\s*'?\s*[?~]?\s*\d{5}(?:\.\d+)?\s*")


def typed_serial(value: object) -> bool:
    """Whether text that `parse_date` read is a bare number taken as an Excel serial ('45689',
    1 February 2025): typed or exported as a number, not written as a date."""
    return isinstance(value, str) and _TYPED_SERIAL.fullmatch(value) is not None


# --------------------------------------------------------------------------------------------
# Date ranges in one cell

DateTime = tuple[PartialDate, dt.time | None]

_RANGE_LEAD = lazy_compile(r"(from|between)\s+")
_RANGE_SEP = lazy_compile(r"\s+(?:to|until|till|and)\s+|\s*-\s*")
_RANGE_DAY = lazy_compile(r"(\?)?\s*(\d\d?)(?:st|nd|rd|th)?")
_FULL_YEAR = lazy_compile(r"\d{4}")
_SERIAL_SIDE = lazy_compile(r"\d{5}")
_BORROWING = lazy_compile(r"[a-z]|\d\s*[/.-]\s*\d")  # a month name, or day and month in figures


def parse_date_range(value: object, *, date1904: bool = False) -> tuple[DateTime, DateTime] | None:
    """The start and end of a range written in one cell, or None when the cell is not one.

    Reads '12/05/2025 - 30/06/2025', '12/05/2025 to 30/06/2025', '12/05/2025–30/06/2025',
    'from 3/3/25 until 5/3/25', 'between … and …', '12-14 March 2025', '12 March - 14 April
    2025', 'March - April 2025'. None (never a guess) for what `parse_date` reads as one date
    ('12-05-2025'), for two bare years ('2024-2025': a range, or a financial year?), for two
    dates joined by 'and' or '&' (two events?), and whenever the cell splits into two dates in
    more than one way. The end may be before the start: the caller reports that.
    """
    if not isinstance(value, str) or len(value) > 2 * _MAX_LEN:
        return None
    try:
        parse_date(value, date1904=date1904)
    except DateError:
        pass
    else:
        return None
    text = value.translate(_TRANSLATE).strip().lower()
    lead = _RANGE_LEAD.match(text)
    body = text[lead.end() :] if lead else text
    found: set[tuple[DateTime, DateTime]] = set()
    for sep in _RANGE_SEP.finditer(body):
        if sep.group().strip() == "and" and not (lead and lead[1] == "between"):
            continue
        left, right = body[: sep.start()].strip(), body[sep.end() :].strip()
        if left and right:
            sides = _range_sides(left, right, date1904)
            if sides is not None:
                found.add(sides)
    return found.pop() if len(found) == 1 else None


def _range_sides(left: str, right: str, date1904: bool) -> tuple[DateTime, DateTime] | None:
    if _SERIAL_SIDE.search(left) or _SERIAL_SIDE.search(right):
        return None  # '7-41165': an Excel serial typed as text is no end of a range
    try:
        end = parse_date(right, date1904=date1904)
    except DateError:
        return None
    try:
        start = parse_date(left, date1904=date1904)
    except DateError:
        borrowed = _start_from_end(left, end[0], date1904)
        return None if borrowed is None else ((borrowed, None), end)
    if start[0].precision == Precision.YEAR and end[0].precision == Precision.YEAR:
        return None
    return start, end


def _start_from_end(left: str, end: PartialDate, date1904: bool) -> PartialDate | None:
    """A start written without what the end gives: '12' of '12-14 March 2025', '12 March' of
    '12 March - 14 April 2025', 'March' of 'March - April 2025'."""
    if _FULL_YEAR.search(left):
        return None
    m = _RANGE_DAY.fullmatch(left)
    try:
        if m:
            if end.precision != Precision.DAY:
                return None
            return _make_day(int(m[2]), end.month, end.year, bool(m[1]), numeric=False)  # type: ignore[arg-type]
        if not _BORROWING.search(left):
            return None  # '6.' or '1/' of a typing slip is not a month
        start, t = parse_date(f"{left} {end.year}", date1904=date1904)
    except DateError:
        return None
    return start if t is None and start.precision != Precision.YEAR else None


# --------------------------------------------------------------------------------------------
# Times

_HINT_TIME = "Write the time in 24-hour form, e.g. 14:30, or as 2.30pm."

_FAST_HM = lazy_compile(r"(\d\d?):(\d\d)")
_AMPM = r"(?:\s*([ap])\.?\s*m\.?)?"
_HRS = r"(?:\s*(?:hrs?|hours|h))?"
_T_HMS = lazy_compile(rf"(\d\d?)\s*[:.h;]\s*(\d\d)(?:\s*[:.]\s*(\d\d)(?:[.,]\d+)?)?{_AMPM}{_HRS}")
_T_HHMM = lazy_compile(rf"(\d{{1,2}})(\d\d){_AMPM}{_HRS}")
_T_H = lazy_compile(r"(\d\d?)\s*([ap])\.?\s*m\.?")
_T_WORDS = {"noon": dt.time(12), "midday": dt.time(12), "12 noon": dt.time(12),
            "midnight": dt.time(0), "12 midnight": dt.time(0)}  # fmt: skip


def _time_invalid() -> TimeError:
    return TimeError("This is not a time that can be read.", hint=_HINT_TIME)


def _time_range() -> TimeError:
    return TimeError(
        "The hour or the minutes are out of range, so this time does not exist.",
        hint="Hours run from 0 to 23 and minutes from 0 to 59, e.g. 14:30.",
    )


def _make_time(hour: int, minute: int, second: int, ampm: str | None) -> dt.time:
    if ampm:
        if ampm == "a":
            if hour == 12:
                hour = 0
            elif hour > 12:
                raise _time_range()
        elif hour == 0:
            raise _time_range()
        elif hour < 12:
            hour += 12
    if hour > 23 or minute > 59 or second > 59:
        raise _time_range()
    return dt.time(hour, minute, second)


def _parse_time_text(value: str) -> dt.time:
    m = _FAST_HM.fullmatch(value)
    if m:
        return _make_time(int(m[1]), int(m[2]), 0, None)
    s = value.translate(_TRANSLATE).strip().lower()
    if not s:
        raise TimeError("The time is blank.", hint=_HINT_TIME)
    if len(s) > _MAX_LEN:
        raise _time_invalid()
    # Uncertainty ('?14:30', 'approx 14:30') is kept, as for dates.
    uncertain = False
    for _ in range(3):
        m = _UNCERTAIN_LEAD.match(s)
        if not m:
            break
        uncertain = True
        s = s[m.end() :]
    if s and s[-1] in _TRAIL_CHARS:
        m = _UNCERTAIN_TRAIL.search(s)
        if m:
            uncertain = True
            s = s[: m.start()]
    s = s.strip()
    if uncertain:
        return UncertainTime.of(_parse_plain_time(s))
    return _parse_plain_time(s)


def _parse_plain_time(s: str) -> dt.time:
    if s in _T_WORDS:
        return _T_WORDS[s]
    m = _T_HMS.fullmatch(s)
    if m:
        second = int(m[3]) if m[3] else 0
        return _make_time(int(m[1]), int(m[2]), second, m[4])
    m = _T_HHMM.fullmatch(s)
    if m:
        return _make_time(int(m[1]), int(m[2]), 0, m[3])
    m = _T_H.fullmatch(s)
    if m:
        return _make_time(int(m[1]), 0, 0, m[2])
    raise _time_invalid()


def _parse_time_str(value: str) -> dt.time:
    try:
        return _parse_time_text(value)
    except TimeError as err:
        # A date and time in a Time column: keep the time.
        try:
            _, t = parse_date(value)
        except DateError:
            raise err from None
        if t is None:
            raise TimeError(
                "This holds a date, not a time.",
                hint="Put the time here and the date in the Date column.",
            ) from None
        return t


def _time_of(value: dt.datetime) -> dt.time:
    if value.microsecond:
        total = value.hour * 3600 + value.minute * 60 + value.second
        total = min(total + (value.microsecond >= 500_000), 86399)
        return dt.time(total // 3600, total // 60 % 60, total % 60)
    return dt.time(value.hour, value.minute, value.second)


def _time_from_seconds(seconds: float) -> dt.time:
    total = min(round(seconds), 86399)
    return dt.time(total // 3600, total // 60 % 60, total % 60)


def parse_time(value: object) -> dt.time:
    """Read a cell as a time of day. Raises TimeError.

    Accepts time and datetime objects (their time), durations under a day, Excel day
    fractions (0 <= x < 1; a date serial with a fraction gives its time), whole numbers
    written as hhmm (1430), numbers from 1 to 100 as hours.minutes (9.3 is '9.30' typed in a
    General cell: 09:30; 9.75 is no time), and text such as 14:30, 14:30:15, 1430, 14.30, 14h30, 2.30pm,
    2:30 PM, 2pm, noon. A leading '?' or 'approx' gives an `UncertainTime`.
    """
    kind = type(value)
    if kind is str:
        return _parse_time_str(value)  # type: ignore[arg-type]
    if kind is dt.time or isinstance(value, dt.time):
        return _time_of(value)  # type: ignore[arg-type]
    if isinstance(value, dt.datetime):
        if not isinstance(value.hour, int):  # pandas NaT
            raise TimeError("The time is blank.", hint=_HINT_TIME)
        return _time_of(value)
    if isinstance(value, dt.date):
        raise TimeError(
            "This holds a date, not a time.", hint="Put the time here and the date in the Date column."
        )
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
        if not 0 <= seconds < 86400:
            raise _time_range()
        return _time_from_seconds(seconds)
    if value is None:
        raise TimeError("The time is blank.", hint=_HINT_TIME)
    if isinstance(value, bool):
        raise _time_invalid()
    if kind is int or kind is float or isinstance(value, numbers.Real):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (OverflowError, ValueError):
            raise _time_invalid() from None
        if math.isnan(number):
            raise TimeError("The time is blank.", hint=_HINT_TIME)
        if not math.isfinite(number) or number < 0:
            raise _time_invalid()
        if number < 1:
            return _time_from_seconds(number * 86400)
        if number == int(number):
            whole = int(number)
            if 100 <= whole <= 9999:  # typed as hhmm, e.g. 1430
                return _make_time(whole // 100, whole % 100, 0, None)
            raise _time_invalid()
        if number < DECIMAL_TIME_MAX:  # '9.30' typed in a General cell: Excel keeps 9.3
            return _decimal_time(number)
        if number < 3_000_000:  # a date serial with a time: keep the time
            return _time_from_seconds((number - math.floor(number)) * 86400)
        raise _time_invalid()
    if isinstance(value, str):
        return _parse_time_str(value)
    raise _time_invalid()


DECIMAL_TIME_MAX = 100  # a number in a Time cell from 1 up to this is hours.minutes, not a serial


def _decimal_time(number: float) -> dt.time:
    """9.3 -> 09:30, 14.45 -> 14:45: what Excel keeps of '9.30' typed in a General cell."""
    hundredths = round(number * 100)
    if abs(number * 100 - hundredths) > 1e-6:
        raise TimeError(
            "This is a number with more than two decimals, not a time of day.",
            hint=_HINT_TIME + " Format the column as Text or as a time before typing.",
        )
    hour, minute = divmod(hundredths, 100)
    if hour > 23 or minute > 59:
        raise TimeError(
            "This number is not a time written as hours.minutes (such as 9.30): the hour or "
            "the minutes are out of range.",
            hint=_HINT_TIME + " Format the column as Text or as a time before typing.",
        )
    return dt.time(hour, minute)


def decimal_time(value: object) -> bool:
    """Whether a Time cell is a number read as hours.minutes (9.3 for '9.30')."""
    return (value.__class__ is float or (isinstance(value, numbers.Real) and not isinstance(value, bool))
            ) and 1 <= value < DECIMAL_TIME_MAX and value != int(value)  # type: ignore[operator,call-overload]


_NO_DATE = frozenset({dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1900, 1, 1),
                      dt.date(1904, 1, 1)})  # what a time-only cell's date part shows


def time_cell_date(value: object, *, date1904: bool = False) -> PartialDate | None:
    """The date a Time cell holds beside its time (a date-time cell, a date serial with a fraction,
    '04/03/2025 01:30' typed), or None when it holds a time only."""
    kind = value.__class__
    if kind is dt.time or value is None:
        return None
    if isinstance(value, dt.datetime):
        if not isinstance(value.year, int):  # pandas NaT
            return None
        return None if value.date() in _NO_DATE else PartialDate(value.year, value.month, value.day)
    if isinstance(value, str):
        if len(value) < 8:
            return None
        try:
            _parse_time_text(value)
            return None
        except TimeError:
            pass
        try:
            return parse_date(value, date1904=date1904)[0]
        except DateError:
            return None
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if DECIMAL_TIME_MAX <= number < 3_000_000 and number != int(number):
            try:
                return _from_serial(number, date1904)[0]
            except DateError:
                return None
    return None


# --------------------------------------------------------------------------------------------
# Dates and times written in other ways (read when `parse_date` or `parse_time` could not)

_T_TOKEN = (r"(?:\d\d?\s*[:.h]\s*\d\d(?:\s*[ap]\.?\s*m\.?)?(?:\s*(?:hrs?|hours))?"
            r"|\d{3,4}(?:\s*(?:hrs?|hours))?|\d\d?\s*[ap]\.?\s*m\.?|noon|midday|midnight)")
_BRACKETS = lazy_compile(r"[()\[\]]")
_ZONE = lazy_compile(r"\s+(?:bst|gmt|utc|uk\s+time)$")
_TIME_FIRST = lazy_compile(rf"(?:at\s+)?({_T_TOKEN})\s*(?:,|on|-)?\s*(.+)")
_TIME_SPAN = lazy_compile(rf"(.+?)\s+(?:at\s+|from\s+)?({_T_TOKEN})\s*(?:-|to|until|till)\s*({_T_TOKEN})")
_TIME_PAIR = lazy_compile(rf"(?:from\s+)?({_T_TOKEN})\s*(?:-|to|until|till)\s*({_T_TOKEN})")
_PART = r"(?:early\s+hours|early\s+morning|late\s+evening|morning|afternoon|evening|night|overnight)"
_DAY_PART = lazy_compile(rf"^(?:(?:in\s+)?the\s+)?{_PART}(?:\s+of)?\s+|\s+(?:in\s+the\s+)?{_PART}$")


def parse_date_words(value: object, *, date1904: bool = False
                     ) -> tuple[PartialDate, dt.time | None, tuple[str, ...]] | None:
    """`read_date_words` without the end time."""
    found = read_date_words(value, date1904=date1904)
    return None if found is None else found[:3]


def read_date_words(value: object, *, date1904: bool = False
                    ) -> tuple[PartialDate, dt.time | None, tuple[str, ...], dt.time | None] | None:
    """A date (and start time) from a Date cell `parse_date` could not read, when only the way the
    time is written stood in the way: '14:30 03/03/2025', '1430hrs 03/03/2025', '03/03/2025
    (14:30)', '03/03/2025 14:30 BST', '03/03/2025 09:30 - 10:00', '03/03/2025 evening', 'early
    hours of 03/03/2025'. Also what was left out: 'zone', 'end time', 'words' (a part of the day).
    The last item is the end time of a time range after the date ('03/03/2025 09:30 - 10:00'),
    else None. None when the cell does not read as one clear date this way."""
    if not isinstance(value, str) or len(value) > _MAX_LEN:
        return None
    end: dt.time | None = None
    s = " ".join(_BRACKETS.sub(" ", value.translate(_TRANSLATE).lower()).split()).rstrip(".,; ")
    left_out: list[str] = []
    m = _ZONE.search(s)
    if m:
        s = s[: m.start()]
        left_out.append("zone")
    m = _TIME_SPAN.fullmatch(s)
    if m:
        try:
            end = _parse_time_text(m[3])
        except TimeError:
            return None
        s = f"{m[1]} {m[2]}"
        left_out.append("end time")
    else:
        m = _TIME_FIRST.fullmatch(s)
        if m:
            s = f"{m[2]} {m[1]}"
    m = _DAY_PART.search(s)
    if m:
        s = (s[: m.start()] + " " + s[m.end() :]).strip()
        left_out.append("words")
    try:
        date, time = parse_date(s, date1904=date1904)
    except DateError:
        return None
    if date.precision != Precision.DAY:
        return None
    return date, time, tuple(left_out), end


_WORDS_EDGE = " -\u2013\u2014,;:()[]"
# words after a date that make it a period or a doubt, never a date with a note
_PERIOD_WORDS = frozenset({
    "to", "until", "till", "onwards", "onward", "ongoing", "present", "now", "and", "or", "week",
    "weekend", "fortnight", "month", "year", "approx", "approximately", "around", "circa", "about",
    "before", "after", "by", "since", "from", "between", "later", "earlier", "prior", "commencing",
    "beginning", "ending", "end", "start", "estimated", "est", "unknown", "unsure", "uncertain",
    "tbc", "wc", "date", "dates", "not", "maybe", "possibly", "probably"})
_DAY_WORDS = frozenset({"am", "pm", "morning", "afternoon", "evening", "night", "overnight", "hours",
                        "shift", "lunchtime", "teatime", "midday"})
_DAY_PART_WORDS = _DAY_WORDS | {"early", "late", "day", "in", "the", "of", "at", "during", "a", "m", "p"}


def date_then_words(value: object, *, date1904: bool = False) -> tuple[PartialDate, str] | None:
    """A full date with no time, then (after a space, a dash or a bracket) a few words with no
    digits ('03/03/2025 - night shift', '3rd March 2025 (late shift)'): the date and the words.
    None when the words hold a digit (a time or another date) or say a period or a doubt ('to
    date', 'onwards', 'or', 'approx'), or the date is not a whole day."""
    if not isinstance(value, str) or len(value) > _MAX_LEN:
        return None
    tokens = value.split()
    for count in range(len(tokens) - 1, 0, -1):
        tail = " ".join(tokens[count:])
        if any(ch.isdigit() for ch in tail) or "?" in tail:
            return None
        head = " ".join(tokens[:count]).rstrip(_WORDS_EDGE)
        words = " ".join(_BRACKETS.sub(" ", tail).strip(_WORDS_EDGE).split())
        if not head or not _HAS_LETTER.search(words):
            continue
        try:
            date, time = parse_date(head, date1904=date1904)
        except DateError:
            continue
        if time is not None or date.precision != Precision.DAY or date.uncertain:
            return None
        said = set(re.findall(r"[^\W\d_]+", words.lower()))
        if said & _PERIOD_WORDS or len(said) > 5:
            return None
        return date, words
    return None


def day_part_words(words: str) -> bool:
    """Whether words after a date say only a part of the day ('evening', 'pm', 'night shift')."""
    said = re.findall(r"[^\W\d_]+", words.lower())
    return bool(said) and set(said) <= _DAY_PART_WORDS and bool(set(said) & _DAY_WORDS)


def parse_time_range(value: object) -> tuple[dt.time, dt.time] | None:
    """The start and end of a time range in a Time cell ('14:30-15:00', '9am to 10am'), or None."""
    if not isinstance(value, str) or len(value) > _MAX_LEN:
        return None
    m = _TIME_PAIR.fullmatch(" ".join(value.translate(_TRANSLATE).lower().split()))
    if not m:
        return None
    try:
        return _parse_time_text(m[1]), _parse_time_text(m[2])
    except TimeError:
        return None


_MIDNIGHT_STAMP = lazy_compile(
    r"(?:t|\s)\s*(?:0?0[:.]00(?:[:.]00(?:[.,]0+)?)?|12[:.]00(?:[:.]00)?\s*a\.?m\.?)\s*$")


def written_midnight(value: object) -> bool | None:
    """For a Date cell `parse_date` read with no time: True when midnight is written after the date
    in so many words or figures ('0000', 'midnight', 'at midnight', '12am'), False for a
    timestamp's '00:00' or '12:00 AM' (a date-only export writes it on every row), None when no
    time is written."""
    if not isinstance(value, str) or len(value) <= 10 and ":" not in value:
        return None
    if _ISO_ZONED.fullmatch(value):  # midnight on the UK clock: moved there from another time
        return zone_moved(value)  # ('2025-06-01T23:00:00Z') is a time, a '…T00:00:00Z' stamp not
    s = value.translate(_TRANSLATE).strip().lower()
    if _MIDNIGHT_STAMP.search(s):
        return False
    if "midnight" in s or re.search(r"(?:\s|^)(?:0000|00\.00|12\s*a\.?m\.?)\s*(?:hrs?|hours)?$", s):
        return True
    return None


_MON_YY_TEXT = lazy_compile(rf"\s*'?\s*{_MON}\s*(?:[-/]|')\s*\d\d\s*", re.IGNORECASE)


def two_digit_year_month(value: object) -> bool:
    """Whether a Date cell typed as text is a month and two digits ('Mar-12': March 2012, or 12
    March with no year?), as `parse_date` reads Excel's mmm-yy."""
    return isinstance(value, str) and _MON_YY_TEXT.fullmatch(value.translate(_TRANSLATE)) is not None


def format_time(value: dt.time) -> str:
    """'14:30' (seconds only when not zero); '?14:30' when the author marked it uncertain."""
    mark = "?" if isinstance(value, UncertainTime) else ""
    if value.second:
        return f"{mark}{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    return f"{mark}{value.hour:02d}:{value.minute:02d}"
