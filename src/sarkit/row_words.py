"""Words in a cell that change what its row means.

An Event that withdraws an entry ('Entered in error', 'Entry made in error - see next entry',
'ENTRY WITHDRAWN'), one that records an earlier day ('Late entry for 12/03/2025: …',
'Retrospective entry - visit on 14/03/2025'), one that points at the row above ('As above',
'Same as previous entry'), and a ditto mark standing for the cell above ('"', '〃', 'do.').
Each is told here, from the text alone; the row rules decide what to say.
"""

from __future__ import annotations

import re

from sarkit.lazy_re import lazy_compile

# what may come before a phrase at the start of a cell: spaces, a bullet, a bracket, a label
_START = r"^[\s*•·\-–(\[]*(?:(?:nb|n\.b\.|note|please\s+note|admin|correction)\s*[:\-–.]?\s*)?"
_ERROR_VERB = (r"(?:entered|made|recorded|written|typed|input|inputted|added|created|"
               r"done|completed|filed|saved|documented|logged)")
# the entry itself made in error or withdrawn, said at the start of the cell
_WITHDRAWN_START = lazy_compile(
    _START + r"(?:(?:this\s+)?(?:entry|note|record|contact)\s+(?:was\s+|has\s+been\s+)?"
    rf"(?:{_ERROR_VERB}\s+)?(?:in\s+error|withdrawn|deleted|void(?:ed)?|cancell?ed|retracted|"
    r"struck\s+out|invalid)"
    rf"|{_ERROR_VERB}\s+in\s+error(?=\s*(?:$|[.;:!,\-–—(]|see\b|wrong\b|please\b))"
    rf"|{_ERROR_VERB}\s+(?:on|in|against|to)\s+(?:the\s+)?wrong\s+"
    r"(?:patient|person|client|record|file|case|service\s+user)"
    r"|(?:void|withdrawn|deleted|retracted|cancell?ed)\s+entry"
    r"|error\s*[:\-–]\s*see\s+(?:the\s+)?(?:next|previous|following|above|below)"
    r"|in\s+error\b\W*$|void\W*$)\b", re.IGNORECASE)
# anywhere in the cell: this or a neighbouring entry withdrawn
_WITHDRAWN_ANY = lazy_compile(
    r"\b(?:this|the\s+(?:above|previous|preceding|next|following|below)|(?:previous|above|"
    r"preceding|next|following|below))\s+(?:entry|note|record)\s+(?:was\s+|has\s+been\s+|is\s+)?"
    rf"(?:{_ERROR_VERB}\s+)?(?:in\s+error|withdrawn|deleted|void|cancell?ed|retracted|"
    r"(?:to\s+be|should\s+be)\s+(?:disregarded|ignored|deleted))"
    r"|\b(?:disregard|ignore)\s+(?:this|the\s+(?:above|previous|next|following)|previous|above)"
    r"\s+(?:entry|note|record)", re.IGNORECASE)
_NEXT = lazy_compile(r"\b(?:next|following|below)\b", re.IGNORECASE)
_PREVIOUS = lazy_compile(r"\b(?:previous|preceding|above|earlier|before)\b", re.IGNORECASE)


def withdrawn(event: str) -> str | None:
    """Whether an Event says an entry was made in error or withdrawn: 'next' or 'previous' when
    it points at the entry after or before it ('Entry made in error - see next entry'), 'self'
    when it does not; None when it is an event about an error ('medication given in error',
    'letter sent in error to old address')."""
    text = event.strip()
    if not (_WITHDRAWN_START.search(text) or _WITHDRAWN_ANY.search(text)):
        return None
    if _NEXT.search(text):
        return "next"
    if _PREVIOUS.search(text):
        return "previous"
    return "self"


_LATE = lazy_compile(
    _START + r"(?:late|retrospective|retro|delayed|belated)\s+(?:entry|note|record(?:ing)?)"
    r"(?=\s*(?:[:\-–(,]|for\b|re\b|regarding\b|about\b|dated\b|$))"
    r"|\b(?:entry|note)\s+(?:was\s+)?(?:written|made|recorded|entered|added)\s+"
    r"(?:retrospectively|in\s+retrospect|late)\b"
    r"|^[\s*•·\-–(\[]*(?:written|recorded|entered)\s+retrospectively\b", re.IGNORECASE)
_DATE_IN_TEXT = lazy_compile(
    r"\b\d{1,2}[/.\-]\d{1,2}(?:[/.\-](?:\d{4}|\d\d))?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"\.?(?:\s+\d{4})?\b", re.IGNORECASE)


def late_entry(event: str) -> str | None:
    """Whether an Event says it is a late or retrospective entry ('Late entry for 12/03/2025:
    …', 'Retrospective entry - visit on 14/03/2025'): the first day it names ('' when it names
    none), or None ('Late entry to the hostel after curfew' is an event)."""
    late = _LATE.search(event)
    if late is None:
        return None
    day = _DATE_IN_TEXT.search(event)
    if day is None and _FOR_WHOM.match(event, late.end()):
        return None  # 'Late entry for the carers: …' names no day: a remark, not a late entry
    return day.group(0) if day else ""


# what follows 'late entry for' when no date does: a day in words, else it is no late entry
_FOR_WHOM = lazy_compile(r"\s*(?:for|re|regarding|about)\b(?!\s+(?:yesterday|(?:the\s+)?previous\s+day|"
                       r"last\s+\w+|(?:mon|tues|wednes|thurs|fri|satur|sun)day|earlier|this\s+morning))",
                       re.IGNORECASE)


# 'do' is ditto only with its full stop: 'DO' alone is a Duty Officer's log
_DITTO_DO = {"do.", "d/o", "-do-", "- do -"}
_DITTO = {'"', "''", "“", "”", "„", "″", "〃", "‘‘", "’’", "ditto", "dito",
          "as above", "same as above", "see above", "as before", "same", "same as before",
          "as per above", "same as previous", "as previous", "as prev", "as previous entry",
          "same as previous entry", "“ ”"}


_MARKS = set('"“”„″〃\'‘’ ')


def is_ditto(value: str) -> bool:
    """A cell holding only a ditto mark or words for 'the same as the cell above' ('"', '〃',
    'do.', 'ditto', 'as above'): in a chronology sorted with other agencies' rows, the cell
    above is another entry's, so it says nothing."""
    text = " ".join(value.split()).casefold()
    if text and set(text) <= _MARKS:
        return True  # '" "', "''"
    return text in _DITTO_DO or len(text) <= 30 and text.rstrip(".") in _DITTO


_ABOVE = lazy_compile(
    r"^[\s*•·\-–(\[]*(?:(?:same\s+)?as\s+(?:per\s+)?(?:above|before|previous(?:\s+(?:entry|note|"
    r"row|contact|visit|call))?|the\s+(?:previous|last|above)\s+(?:entry|note|row|contact|visit|"
    r"call))|see\s+(?:above|previous\s+(?:entry|note|row))|ditto(?=\s*(?:$|[.;:,\-–—]))|cont(?:inued|'d|\.)?\s+from\s+"
    r"(?:above|previous\s+(?:entry|note|row))|same\s+again|repeat\s+of\s+(?:above|previous))"
    r"(?=\W|$)", re.IGNORECASE)


def is_ditto_mark(value: str) -> bool:
    """A cell holding only a ditto mark ('"', '〃', 'do.'), no words: an Event of 'as above' is
    words, an entry that `refers_above`."""
    text = "".join(value.split()).casefold()
    return bool(text) and (set(text) <= _MARKS or text in {"do.", "-do-", "d/o"})


def refers_above(event: str) -> bool:
    """Whether an Event starts by pointing at the row above ('As above', 'Same as previous
    entry', 'See above - no change'): once sorted among other agencies' rows, 'above' is
    another entry."""
    return _ABOVE.search(event) is not None
