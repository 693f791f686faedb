"""Whether a row under the chronology starts another table whose headings are not the
chronology's ('Date changed | Medication | Change | Prescriber | Reason'): its rows are never
entries of the first table, read with the first table's columns."""

from __future__ import annotations

import datetime as dt

from sarkit.lazy_re import lazy_compile
from sarkit.schema import Schema, normalise_header

_WORD = lazy_compile(r"[^\W\d_]+")
_SMALL = frozenset({"a", "and", "by", "from", "in", "n", "no", "of", "or", "the", "to", "until", "what",
                    "where", "y"})
_DATE_WORDS = frozenset({"date", "dates", "dyddiad", "when", "day"})
# what a Date cell of an undated entry says: never the heading of a column
_NO_DATE = frozenset({"unknown", "notknown", "nk", "tbc", "tba", "unclear", "none", "na", "various",
                      "ongoing", "undated"})
_NO_DATE_WORDS = frozenset({"unknown", "awaiting", "tbc", "tba", "missing", "pending", "unclear", "not",
                            "no", "approx", "around", "about", "before", "after", "unsure"})
_LABEL_WORDS, _LABEL_CHARS = 5, 40


def heading_words(schema: Schema) -> frozenset[str]:
    """The words of every field's headings and aliases ('source', 'outcome', 'dyddiad')."""
    words: set[str] = set()
    for f in schema.fields:
        for variant in (f.key, f.heading, *f.aliases, *f.fallback_aliases):
            words.update(_WORD.findall(variant.lower()))
    return frozenset(words - _SMALL)


def other_headings(rows: list[list[object]], index: int, first: dict[int, str], date_col: int,
                   known: frozenset[str]) -> bool:
    """Whether rows[index] (short text labels only, no date) is the headings of another table.

    `first` holds the chronology's headings by column, `date_col` its Date column and `known`
    the heading words (`heading_words`). The row must have three or more labels (a few words,
    no digits, no full stop), a label in the Date column that is no 'unknown' or 'TBC', and not
    be the chronology's own headings again (a page break). It must say 'Date' in the Date column,
    or stand apart (a blank row or a lone title above it) with a date in the Date column of the
    next row holding something; and two of its labels hold heading words, or that next row has
    a date in the Date column. A row under the chronology that is an entry without its date, or
    a sign-off's 'Completed by | Role | Date signed', is none of these."""
    cells = rows[index]
    texts = {col: v.strip() for col, v in enumerate(cells) if isinstance(v, str) and v.strip()}
    if len(texts) < 3 or len(texts) != sum(1 for v in cells if _filled(v)):
        return False
    if not all(_label(text) for text in texts.values()):
        return False
    date_text = texts.get(date_col, "")
    date_words = set(_WORD.findall(date_text.lower()))
    if not date_text or normalise_header(date_text) in _NO_DATE or date_words & _NO_DATE_WORDS:
        return False
    again = sum(1 for col, text in texts.items()
                if normalise_header(first.get(col, "")) == normalise_header(text))
    if 2 * again >= len(texts):
        return False
    below = next((r for r in rows[index + 1:] if any(_filled(v) for v in r)), None)
    if below is None:
        return False
    dated_word = bool(_DATE_WORDS & date_words)
    dated_below = date_col < len(below) and _is_date(below[date_col])
    if not dated_word and not (dated_below and _apart(rows, index)):
        return False  # a sign-off's 'Completed by | Role | Date signed' starts no table of entries
    worded = sum(1 for text in texts.values() if known & set(_WORD.findall(text.lower())))
    return worded >= 2 or dated_below


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _label(text: str) -> bool:
    """A column heading's shape: a few words, no digits, no full stop at the end."""
    return (len(text) <= _LABEL_CHARS and len(text.split()) <= _LABEL_WORDS
            and not any(ch.isdigit() for ch in text) and not text.endswith((".", "!", "?", ":")))


def _apart(rows: list[list[object]], index: int) -> bool:
    """Whether a blank row, or a lone title with a blank row above it, stands above the row."""
    above = [sum(1 for v in cells if _filled(v)) for cells in rows[max(0, index - 2):index]]
    if not above:
        return False
    if above[-1] == 0:
        return True
    return above[-1] == 1 and len(above) == 2 and above[0] == 0


def _is_date(value: object) -> bool:
    from sarkit.dates import DateError, parse_date

    if isinstance(value, dt.date):
        return True
    if not isinstance(value, str) or not any(ch.isdigit() for ch in value) or len(value) > 40:
        return False
    try:
        parse_date(value)
    except DateError:
        return False
    return True
