"""Lines of text that start with a date of their own ('08/05/2024 DNA nurse appointment.').

An event typed as free text with its own date in front (several events in one cell, a
continuation row, a paragraph of a Word document between tables) is an entry in the wrong
place: these tell such a line from a sentence that only mentions a date.
"""

from __future__ import annotations

import re

from sarkit.dates import DateError, parse_date

_MONTH = r"[A-Za-z]{3,9}\.?"
# a date at the start of a line, after an optional bullet, bracket or weekday
_LEAD = r"^[\s•·*\-–(\[]*"  # what may come before a line's date: spaces, a bullet, a bracket
_LEADING_DATE = re.compile(
    _LEAD + r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
    r"(\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d\d)|\d{4}-\d\d-\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}|\d{{1,2}}-{_MONTH}-(?:\d{{4}}|\d\d))(?![\d/])",
    re.IGNORECASE)
_NUMERIC = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d\d)|\d{4}-\d\d-\d\d")
_WORD = re.compile(r"[^\W\d_]{2,}")
WORDS_AFTER = 2  # words after the date that make the line an event, not a bare date


def starts_with_date(line: str) -> bool:
    """Whether a line starts with a date that reads as one, followed by words ('14/03/2024 Phone
    call from bank'); a bare date, a date range's words or a sentence with a date inside is not."""
    match = _LEADING_DATE.match(line)
    if match is None:
        return False
    if not _NUMERIC.fullmatch(match.group(1)):  # figures alone: an impossible day still dates it
        try:
            parse_date(match.group(1))
        except DateError:
            return False
    return len(_WORD.findall(line[match.end():])) >= WORDS_AFTER


_LEADING_DAY_MONTH = re.compile(_LEAD + r"(\d{1,2})[/.](\d{1,2})(?![/.\d])")


def starts_with_day_month(line: str) -> bool:
    """Whether a line starts with a day and month and no year, then words ('12/03 update:
    dressing changed'): maybe another day's event, maybe not ('24/7 care package')."""
    match = _LEADING_DAY_MONTH.match(line)
    return (match is not None and 1 <= int(match[1]) <= 31 and 1 <= int(match[2]) <= 12
            and len(_WORD.findall(line[match.end():])) >= WORDS_AFTER)


def dated_lines(lines: list[str]) -> int:
    """How many of the lines start with a date of their own, or a day and month, then words."""
    return sum(1 for line in lines if starts_with_date(line) or starts_with_day_month(line))


# what follows a date that is not an event's: the date is what the sentence is about ('01/01/2025
# is the start of the review period'), or the line signs the document off ('12/02/2026 - checked
# and approved by Head of Service')
_REMARK = re.compile(
    r"^\W*(?:is|was|marks|being|will\s+be|would\s+be)\b"
    r"|\b(?:signed|checked|approved|completed|compiled|prepared|authori[sz]ed|verified|agreed|"
    r"reviewed|quality\s+assured)(?:\s+and\s+\w+)?\s+(?:off\s+)?by\b", re.IGNORECASE)


def dated_remark(line: str) -> bool:
    """Whether a line that starts with a date is a remark about the date or a sign-off, not an
    event: '01/01/2025 is the start of the review period', '12/02/2026 - approved by …'."""
    match = _LEADING_DATE.match(line)
    return match is not None and bool(_REMARK.search(line[match.end():match.end() + 80]))
