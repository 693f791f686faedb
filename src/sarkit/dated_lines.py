"""Lines of text that start with a date of their own ('08/05/2024 DNA nurse appointment.').

An event typed as free text with its own date in front (several events in one cell, a
continuation row, a paragraph of a Word document between tables) is an entry in the wrong
place: these tell such a line from a sentence that only mentions a date.
"""

from __future__ import annotations

import re

from sarkit.dates import DateError, parse_date
from sarkit.lazy_re import lazy_compile

_MONTH = r"[A-Za-z]{3,9}\.?"
# a date at the start of a line, after an optional bullet, bracket or weekday
_LEAD = r"^[\s•·*\-–(\[]*"  # what may come before a line's date: spaces, a bullet, a bracket
_LEADING_DATE = lazy_compile(
    _LEAD + r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    r"(\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d\d)|\d{4}-\d\d-\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}|\d{{1,2}}-{_MONTH}-(?:\d{{4}}|\d\d))(?![\d/])",
    re.IGNORECASE)
_NUMERIC = lazy_compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d\d)|\d{4}-\d\d-\d\d")
_WORD = lazy_compile(r"[^\W\d_]{2,}")
WORDS_AFTER = 2  # words after the date that make the line an event, not a bare date


def starts_with_date(line: str, words: int = WORDS_AFTER) -> bool:
    """Whether a line starts with a date that reads as one, followed by words ('14/03/2024 Phone
    call from bank'); a bare date, a date range's words or a sentence with a date inside is not.
    `words`: how many words must follow (a line of a list of dated lines needs only one:
    '27/05/2025 DNA')."""
    match = _LEADING_DATE.match(line)
    if match is None:
        return False
    if not _NUMERIC.fullmatch(match.group(1)):  # figures alone: an impossible day still dates it
        try:
            parse_date(match.group(1))
        except DateError:
            return False
    return len(_WORD.findall(line[match.end():])) >= words


_LEADING_DAY_MONTH = lazy_compile(_LEAD + r"(\d{1,2})([/.])(\d{1,2})(?![/.\d])")
# a mark after a date that sets it apart from the words: '03/07 - visit', '3rd: call from GP'
_SET_APART = lazy_compile(r"\s*(?:[-–—:)]|\.\s)")
# a fraction, or round the clock, not a day: '1/2 tablets', '3/4 of a dose', '24/7 care'
_NOT_A_DAY = lazy_compile(
    r"\s*(?:of\b|tabs?\b|tablets?\b|pills?\b|caps(?:ules)?\b|doses?\b|cups?\b|mugs?\b|"
    r"glass(?:es)?\b|portions?\b|plates?\b|hours?\b|hrs?\b|days?\b|miles?\b|strength\b|"
    r"mg\b|ml\b)", re.IGNORECASE)


def starts_with_day_month(line: str, words: int = WORDS_AFTER) -> bool:
    """Whether a line starts with a day and month and no year, then words ('12/03 update:
    dressing changed', '03/07 - visit'): maybe another day's event, maybe not ('24/7 care
    package', '1/2 tablet taken' are not). A line with fewer than `words` words needs a mark
    setting the date apart ('05/07 - call'). Without such a mark, '1.1 Care package' numbers a
    point of a plan and '2/5 falls risk' or '7/10 pain' is a score (out of 5 or 10), not a day."""
    match = _LEADING_DAY_MONTH.match(line)
    if match is None:
        return False
    day, month = int(match[1]), int(match[3])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    rest = line[match.end():]
    if (day, month) == (24, 7) or _NOT_A_DAY.match(rest):
        return False
    set_apart = _SET_APART.match(rest) is not None
    score = month in (5, 10) and day <= month and not match[1].startswith("0")  # '03/10' a day
    if not set_apart and (match[2] == "." or score):
        return False
    found = len(_WORD.findall(rest))
    return found >= words or (found >= 1 and set_apart)


# a day of the month as an ordinal, set apart from the words: '3rd - call from GP', '15th: visit',
# 'Mon 3rd - visit' ('1st visit by new carer' counts visits, not days)
_LEADING_ORDINAL = lazy_compile(
    _LEAD + r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    r"(\d{1,2})(?:st|nd|rd|th)\b(?:\s+(?:of\s+)?" + _MONTH + r")?(?=\s*[-–—:)])", re.IGNORECASE)


def starts_with_ordinal_day(line: str) -> bool:
    """Whether a line starts with a day of the month as an ordinal set apart from words after
    it ('3rd - call from GP', '15th: visit'), a line of a month's list of events."""
    match = _LEADING_ORDINAL.match(line)
    if match is None or not 1 <= int(match[1]) <= 31:
        return False
    return len(_WORD.findall(line[match.end():])) >= 1


def dated_lines(lines: list[str]) -> int:
    """How many of the lines start with a date of their own, a day and month, or an ordinal day,
    then words: in a cell of several lines, one word is enough ('27/05/2025 DNA', '05/07 - call')."""
    return sum(1 for line in lines
               if starts_with_date(line, 1) or starts_with_day_month(line, WORDS_AFTER)
               or starts_with_ordinal_day(line))


# what follows a date that is not an event's: the date is what the sentence is about ('01/01/2025
# is the start of the review period'), or the line signs the document off ('12/02/2026 - checked
# and approved by Head of Service')
_REMARK = lazy_compile(
    r"^\W*(?:is|was|marks|being|will\s+be|would\s+be)\b"
    r"|\b(?:signed|checked|approved|completed|compiled|prepared|authori[sz]ed|verified|agreed|"
    r"reviewed|quality\s+assured)(?:\s+and\s+\w+)?\s+(?:off\s+)?by\b", re.IGNORECASE)


def dated_remark(line: str) -> bool:
    """Whether a line that starts with a date is a remark about the date or a sign-off, not an
    event: '01/01/2025 is the start of the review period', '12/02/2026 - approved by …'."""
    match = _LEADING_DATE.match(line)
    return match is not None and bool(_REMARK.search(line[match.end():match.end() + 80]))
