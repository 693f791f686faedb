"""Which rows of a chronology table are entries: dividers, template filler, notes under the
table and wrapped lines are told apart from data the way a person reading the table would.

Decisions (issue 10):
- A *divider* is a row with one value and nothing else (a Ref beside it is allowed): merged or
  repeated across at least half the table (a year, a month, a period, a date cell, a heading or
  a note), or typed alone in the first column or under Date (a year, a month, a heading). It is
  found before merged cells are filled, so its value never reaches another cell. A full date
  typed alone in one cell is a half-filled entry, not a divider; an entry squeezed into one
  cell ('05/03/2025 Home visit') is not one either. A divider's year never completes other dates.
- *Filler* is an unused template row: only a row number or Ref, a formula result, a Yes/No
  default, an agency name or a form placeholder ("Choose an item.").
- The *end of the table* is an end line typed from the first column ("END OF CHRONOLOGY",
  "Signed", "Author:", a total, "Glossary"), or note-like rows after a blank row with no other
  row after them. Under it, a row with a readable date and a source or event is still an entry;
  a note-like row, or words where the date goes, is text after the table; anything else is
  validated as an entry (and so gets today's errors).
- A *continuation* is a row with text only in Event, Action or Analysis (one of them or several,
  each its own text), straight under a row that became an entry (the chronology joins the text
  to it); the first row of a Word table that carries the chronology on continues the last entry
  of the table before (`after_entry`: a row split by a page break).
- *Instructions* are a template's guidance under the headings, before any entry: the Date cell
  says how to write a date ("(dd/mm/yyyy)", "DD/MM/YY", "e.g. dd-mmm-yyyy") rather than giving one.
- A *repeated header* is the headings again below the first row of them (a printed table's page
  break); a *ruled line* holds only dashes or other marks; *page text* is a row holding only
  "Page 2 of 3" or "continued overleaf": none is an entry, and page text is never joined to one.
- A *sign-off* inside the table ("Completed by" or "Quality assured by" as the source, "END OF
  CHRONOLOGY" as the event, beside a date) is an end line too, and so is an end line alone in any
  column ("No further entries", "Total entries: 8" under Event): rows after it that are not
  dated entries are text after the table, not continuations of the last entry.
- A *totals row* ends the table too: an Excel table's own totals row (its definition says which),
  or a row whose only words are an end line such as "Total", "Grand total" or "Count" and whose
  other cells are formulas or numbers (=SUBTOTAL(…) under Date reads as a date, yet is no entry;
  "Total hip replacement" under Event is one), or a count line: total words typed from the first
  column or under Date ('Total attendances', 'Number of contacts 12', 'TOTAL') with no day in them,
  beside only numbers or formulas, with a number somewhere. A totals row with a dated entry under
  it before any other end line is a *subtotal* ('Total 2024: 14' above the 2025 rows): named and
  skipped, and the table goes on.
Whenever a row fits none of these for sure, it is a data row and is validated as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from sarkit.dates import DateError, Precision, parse_date
from sarkit.lazy_re import lazy_compile
from sarkit.markup import html_text
from sarkit.raw_tables import RawSheet
from sarkit.sign_off import SIGN_OFF_ROWS, sign_off_start


class Shape(StrEnum):
    """What a row of the table is."""

    BLANK = "blank"
    DATA = "data"
    DIVIDER = "divider"
    FILLER = "filler"
    AFTER_TABLE = "after-table"
    CONTINUATION = "continuation"
    INSTRUCTIONS = "instructions"
    REPEATED_HEADER = "repeated-header"
    PAGE_TEXT = "page-text"
    TOTAL = "total"


@dataclass(slots=True)
class RowShape:
    """The shape of one row; `kind` says what a divider holds ('a year', 'a heading', …)."""

    shape: Shape
    kind: str = ""
    col: int | None = None  # the column a divider or continuation holds its text in
    repeats: int | None = None  # page text: the row (index) above the headings it repeats
    cols: tuple[int, ...] = ()  # a continuation: every column it holds text in (Event, Action…)


BLANK, DATA, FILLER = RowShape(Shape.BLANK), RowShape(Shape.DATA), RowShape(Shape.FILLER)
AFTER_TABLE = RowShape(Shape.AFTER_TABLE)
INSTRUCTIONS = RowShape(Shape.INSTRUCTIONS)
REPEATED_HEADER = RowShape(Shape.REPEATED_HEADER)
# how to write a date, as templates put it under the Date heading: 'dd/mm/yyyy', '(DD/MM/YY)',
# 'e.g. dd-mmm-yyyy', 'Date (dd.mm.yy)'; never a date itself (no digit)
DATE_PATTERN = lazy_compile(
    r"^[^\w]*(?:(?:e\.?g\.?|date|format)\W*)*(?:dd?|mm?|mmm|yy|yyyy)"
    r"(?:\s*[./\-\s]\s*(?:dd?|mm?|mmm|mmmm|y|yy|yyyy))+(?:\s+hh?[:.]mm)?\W*"
    r"(?:(?:e\.?g\.?|for example)\W.*)?$", re.IGNORECASE)
TEXT_FIELDS = ("event", "action", "analysis")
PLACEHOLDERS = {
    "choose an item", "click or tap here to enter text", "click here to enter text",
    "click or tap to enter a date", "click here to enter a date", "select", "please select",
    "select from list", "select from the list", "select one", "-- select --", "--select--",
    "enter text", "type here", "dd/mm/yyyy", "dd/mm/yy", "hh:mm",
}
YES_NO = {"y", "n", "yes", "no", "true", "false", "0", "1"}
# what an author types in a cell to say there is nothing there: 'n/a', 'nil', 'None', '-', '0'
# (and a lone 'No contact' beside a month divider); never an event, never a value of its own
PLACEHOLDER_WORDS = {"n/a", "na", "n.a", "n / a", "nil", "none", "null", "0", "not applicable"}
NOTHING = PLACEHOLDER_WORDS | {
    "no contact", "no contacts", "no contact this month", "no contact in this period",
    "no involvement", "nothing recorded", "nothing to report", "no entries", "no entry",
}
# words that close a chronology, shared by END_MARKER and SIGN_OFF
_END_OF = r"end\s+of\s+(the\s+)?(chronology|report|return|document|table|entries|record)"
_NO_FURTHER = r"no\s+(further|more|other)\s+(entries|contacts|records|involvement|events)"
_THE_DOCUMENT = r"(report|chronology|return|document|table)\s+"
# a sentence about the chronology itself ('This chronology was completed from the EMIS record by
# …'): a remark on the document, never a note of the entry above it
ABOUT_THE_DOCUMENT = lazy_compile(
    r"\b(this|the|our)\s+(chronology|return|report|document|table|summary)\s+(was|has\s+been|is|were|"
    r"have\s+been)\s+(completed|compiled|prepared|written|produced|collated|drawn\s+up|put\s+together|"
    r"taken|extracted|checked|reviewed|signed|quality\s+assured|based)\b", re.IGNORECASE)
# a note that remarks on the chronology itself ('Note: chronology updated 01/05/2025', 'NB version 2
# amended'): never joined to an entry's Event (a care plan updated is an event: it may join)
NOTE_ABOUT_THE_DOCUMENT = lazy_compile(
    r"\b(chronology|chronologies|document|this\s+(return|report|table)|version(\s*\d+)?|v\d+(\.\d+)?)\b",
    re.IGNORECASE)
END_MARKER = lazy_compile(
    rf"^\W*({_END_OF}|{_NO_FURTHER}"
    rf"|{_THE_DOCUMENT}(completed|compiled|prepared|written|signed)"
    r"\s+by"
    r"|signed|signature|signatory|author|completed\s+by|compiled\s+by|prepared\s+by|"
    r"authori[sz]ed\s+by|approved\s+by|checked\s+by|verified\s+by|quality\s+assured\s+by|"
    r"date\s+(completed|signed|of\s+completion|submitted)|number\s+of\s+(entries|"
    r"contacts|events)|glossary|abbreviations|key\s+to\s+abbreviations)(?=\s|[:.,-]|$)"
    # a total: 'Total', 'Grand total: 12', 'Total entries 8', 'Count' (not 'Total of three
    # carers attended' or 'Count of tablets showed…', lines of an entry)
    r"|^\W*((grand\s+|sub-?)?totals?|count)(\s+(entries|contacts|events|records|rows|actions))?"
    r"\s*[:=-]?\s*[\d.,]*\s*$"
    r"|^\W*((rag|colou?r|status)\s+)?(key|legend)\s*(:|$)",  # a legend: 'Key:', 'Legend', 'RAG key'
    re.IGNORECASE,
)
# what only a sign-off puts where the Source or Event goes, beside a date ('Author notes' or
# 'Totals' could be a source; 'Completed by' and 'END OF CHRONOLOGY' are not)
SIGN_OFF = lazy_compile(
    rf"^\W*({_END_OF}|{_NO_FURTHER}"
    rf"|({_THE_DOCUMENT})?(completed|compiled|prepared|written|signed|reviewed|submitted"
    r"|authori[sz]ed|approved|checked|verified|quality\s+assured|countersigned)\s+by)"
    r"(?=\s|[:.,-]|$)"  # 'Signed statement' or 'Role: duty sergeant' is a source, not a sign-off
    r"|^\W*(author|reviewer|signed|signatory|(full\s+)?name|designation|signature)\s*(:|$)",
    re.IGNORECASE)
# a page's furniture typed into the table: 'Page 2 of 3', 'p. 2/3', 'continued overleaf',
# 'Continued on next page', '(cont'd)'
PAGE_TEXT = lazy_compile(
    r"^\W*(page\s+\d+(\s*(of|/)\s*\d+)?|p\.?\s*\d+\s*(of|/)\s*\d+"
    r"|(continued|cont'?d\.?)(\s+(overleaf|below|over|on\s+(the\s+)?next\s+page"
    r"|from\s+(the\s+)?previous\s+page|from\s+page\s+\d+))?)\W*$",
    re.IGNORECASE)
# a page number inside a line of a printed report's page heading ('Printed 01/11/2025 Page 2 of 2')
PAGE_NUMBER = lazy_compile(r"\b(page|p\.)\s*\d+(\s*(of|/)\s*\d+)?\b", re.IGNORECASE)
# when a printed report was printed or run, in its page heading: 'Printed: 01/11/2025 10:02'
PRINTED = lazy_compile(r"^\W*(date\s+)?(printed|print\s+date|run\s+date|report\s+run|run\s+on|"
                     r"generated|produced)\b", re.IGNORECASE)
PAGE_HEADING_ROWS = 10  # how many rows above the column headings a page heading may take
DECORATION = " -=*_~#•|+–—"  # what a divider's value may be framed with: '--- 2025 ---', '— 2025 —'
LABEL = lazy_compile(r"^\s*[A-Za-z][A-Za-z0-9 /&()'’.-]{0,40}:(\s|$)")
YEAR = lazy_compile(r"^(19|20)\d\d$")
FINANCIAL_YEAR = lazy_compile(r"^\s*(19|20)\d\d\s*[-/–]\s*(\d\d|(19|20)\d\d)\s*$")
SENTENCE_END = lazy_compile(r"[.!?]\s*$")
PERIOD_WORDS = lazy_compile(r"\b(from|to|until|till|and|between|period|onwards?)\b", re.IGNORECASE)
# a total or count line's first words: 'Total', 'TOTAL attendances', 'Sub-total 2024', 'Count',
# 'Sum', 'Number of contacts', 'No. of visits'
TOTAL_WORDS = lazy_compile(r"^\W*(grand\s+|sub-?\s*)?(totals?|count|sum|number\s+of|no\.?\s+of)(?![\w'’])",
                         re.IGNORECASE)
# what may follow them: a few words or a year ('attendances', 'for 2024/25'), then perhaps ':' and
# a number ('Total attendances: 5', 'Number of contacts 12', 'Total 2024: 14')
TOTAL_REST = lazy_compile(r"^(\s+([A-Za-z][A-Za-z.&()'’/-]*|(19|20)\d\d([/-]\d\d(\d\d)?)?)){0,4}"
                        r"\s*[:=-]?\s*(?P<number>\d[\d,]*(\.\d+)?)?\s*$")
NUMBER = lazy_compile(r"^\s*\d[\d,]*(\.\d+)?\s*$")
DAY_DATE = lazy_compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\b|\b\d{1,2}[:.]\d{2}\b")


_NOTHING_LONGEST = max(map(len, NOTHING))


def is_placeholder(value: str) -> bool:
    """A cell holding only a placeholder ('n/a', 'nil', 'None', '-', '—', '.'): never an event
    ('No contact' is one: something that did not happen is still recorded)."""
    return len(value.strip()) <= 20 and says_nothing(value, PLACEHOLDER_WORDS)


def markup_only(value: str) -> bool:
    """A cell holding only what a case system's export left of an empty note: HTML tags and
    entities ('<p></p>', '<br/>', '&nbsp;'), no words. Only known tags count: words written
    between angle brackets ('<Discharge letter sent to GP>') are words."""
    if "<" not in value and "&" not in value:
        return False
    shown = html_text(value)
    return shown is not None and not shown.strip()


def says_nothing(value: str, words: frozenset[str] | set[str] = NOTHING) -> bool:
    """A cell that says there is nothing there: 'n/a', 'nil', 'None', '-', '—', '.', '?' (one of
    `words`, or marks only)."""
    value = value.strip()
    if not value:
        return False
    if len(value) > _NOTHING_LONGEST + 3:  # an event's text: only marks could say nothing
        return not value[0].isalnum() and not any(ch.isalnum() for ch in value)
    return not any(ch.isalnum() for ch in value) or _plain(value).rstrip(".") in words


def text(value: object) -> str:
    """A cell as stripped text ('' for blank); whole numbers without '.0'."""
    if value.__class__ is str:
        return value.strip()  # type: ignore[attr-defined]
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _one_value(cells: list[object], incidental: Callable[[int, str], bool]
               ) -> list[tuple[int, str]] | None:
    """The non-blank cells of a row that holds one value (maybe repeated, maybe beside a row
    number or a template default, which come back with column -1); None as soon as a second
    value shows it is not such a row."""
    filled: list[tuple[int, str]] = []
    seen = ""
    for col, value in enumerate(cells):
        t = text(value)
        if not t:
            continue
        if incidental(col, t):
            filled.append((-1, t))  # set aside: a row number or a default
            continue
        key = t.casefold()
        if seen and key != seen:
            return None
        seen = key
        filled.append((col, t))
    return filled


def _template_value(columns: dict[int, str]) -> Callable[[int, str], bool]:
    """Whether a cell holds what a template puts in every row: a row number or Ref, a Key
    Event default, the agency's name, a form placeholder."""
    def incidental(col: int, value: str) -> bool:
        key = columns.get(col)
        return ((key == "ref" and len(value) <= 12 and " " not in value)
                or (key == "key_event" and value.casefold() in YES_NO) or key == "agency"
                or value.casefold().strip(" .…") in PLACEHOLDERS or says_nothing(value))
    return incidental


def find_dividers(sheet: RawSheet, start: int, columns: dict[int, str], headings: dict[int, str],
                  dated_notes: dict[int, int] | None = None) -> dict[int, RowShape]:
    """Divider rows (index -> shape) among rows[start:], from the cells as read (before merged
    cells are filled). `columns` maps column -> field key, `headings` column -> heading.
    `dated_notes`, when given, receives the rows (index -> column of the text) written across the
    table that are a note with a date in it (see `dated_note`): a dated heading or an entry
    missing its cells if nothing is above them to join."""
    first_col = min(headings, default=0)
    width = len(headings)
    spans = {(r1 - sheet.first_row, c1 - sheet.first_col): c2 - c1 + 1
             for r1, c1, r2, c2 in sheet.merged if r2 >= r1 and c2 >= c1}
    wide = max(2, (width + 1) // 2)
    ref_col = next((c for c, key in columns.items() if key == "ref"), None)
    date_col = next((c for c, key in columns.items() if key == "date"), None)
    incidental = _template_value(columns)
    found: dict[int, RowShape] = {}
    for index in range(start, len(sheet.rows)):
        filled = _one_value(sheet.rows[index], incidental)
        if not filled:
            continue
        values = [item for item in filled if item[0] >= 0]
        if not values:  # a row number alone is filler, unless no row of this table has it
            ref = text(sheet.rows[index][ref_col]) if ref_col is not None and ref_col < len(
                sheet.rows[index]) else ""
            if not ref or spans.get((index, ref_col), 1) < wide and not (
                    YEAR.match(ref) and int(ref) > len(sheet.rows)):
                continue
            values = [(ref_col, ref)]  # type: ignore[list-item]
        filled = values
        col, value = filled[0]
        if len(filled) == 1 and PAGE_TEXT.match(value):
            continue  # 'Continued on next page': page text (see classify_rows), not a heading
        across = len(filled) >= wide or spans.get((index, col), 1) >= wide
        if across and dated_notes is not None and len({t for _, t in filled}) == 1 and dated_note(value):
            dated_notes[index] = col
        kind = divider_kind(value, across=across)
        if not kind:
            continue
        if across:
            found[index] = RowShape(Shape.DIVIDER, kind, col)
        elif len(filled) == 1 and (col <= first_col or col == date_col):
            if columns.get(col) in {"event", "action", "analysis", "source", "practitioner"} and (
                    kind == "a heading" and not _short_heading(value)):
                continue
            found[index] = RowShape(Shape.DIVIDER, kind, col)
    return found


def divider_kind(value: str, *, across: bool = False) -> str:
    """'a year', 'a month' or 'a heading' when a lone value can be a divider; '' when it is or
    holds a full date (a half-filled or squeezed entry), or reads like a sentence typed in one
    cell. `across`: merged or repeated across the table, where a sentence is a note and a date
    alone ('March 2025' that Excel turned into 01/03/2025) is 'a date'."""
    value = value.strip(DECORATION) or value
    if FINANCIAL_YEAR.match(value):
        return "a year"
    try:
        date, clock = parse_date(value)
    except DateError:
        date = None
    if date is not None:
        if clock is not None or date.precision == Precision.DAY:
            return "a date" if across else ""  # alone across the table it is no entry either
        return "a year" if date.precision == Precision.YEAR else "a month"
    if DAY_DATE.search(value):
        rest = PERIOD_WORDS.sub(" ", DAY_DATE.sub(" ", value))
        if not any(ch.isalnum() for ch in rest):
            return "a period" if across else ""
        # across the table, a heading naming a day ('Admission to Ward 7 (14/03/2025 - 28/03/2025)');
        # one that starts with its date is an entry squeezed into one cell
        if across and _heading(value) and not DAY_DATE.match(value.lstrip(" ([")):
            return "a dated heading"
        return ""
    if not any(ch.isalpha() for ch in value):
        return ""
    if _heading(value):
        return "a heading"
    return "a note" if across else ""  # a sentence across the table: a note, read by no entry


# a note's opening word ('Note:', 'NB', 'Comment -', 'Addendum:'): what follows is about the entry above
NOTE_START = lazy_compile(
    r"^\W*((case\s+|file\s+|further\s+|additional\s+)?notes?|comments?|update|addendum|memo)\s*[:\u2013\u2014-]"
    r"|^\W*(nb|n\.b\.?)(\s|:)", re.IGNORECASE)


def dated_note(value: str) -> bool:
    """Whether text written across the table with a day or a time in it is a note about the entry
    above rather than a heading: it opens with a note word ('Note: letter from GP received
    14/03/2025, filed') or is plainly prose (a sentence of six or more words, or more words than
    a heading has), and does not start with its date (an entry of its own squeezed into one
    cell) nor hold only dates and period words ('Admission 14/03/2025 - 20/03/2025' is a
    heading). Conservative: anything else keeps the shape it had."""
    value = value.strip(DECORATION) or value
    if not DAY_DATE.search(value) or DAY_DATE.match(value.lstrip(" ([")):
        return False
    rest = PERIOD_WORDS.sub(" ", DAY_DATE.sub(" ", value))
    if NOTE_START.match(value):
        return len(re.findall(r"[^\W\d_]+", NOTE_START.sub(" ", rest, count=1))) >= 2
    return not _heading(value) and len(value.split()) >= 6


# a day written in words in a note ('On 5 April 2025 the carer…', '5th Apr 2025')
_WORD_DAY = lazy_compile(
    r"\b\d{1,2}(st|nd|rd|th)?\s+(of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?"
    r"\s+\d{2,4}\b", re.IGNORECASE)
_NUMBER_DAY = lazy_compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\b")


# what puts a day in the future of the note's entry: 'follow-up booked for 20/03/2025', 'review due on'
_PLANNED_FOR = lazy_compile(
    r"\b(booked|scheduled|arranged|planned|due|appointment)\s+(\w+\s+){0,2}(for|on)\s*$"
    r"|\b(due|booked\s+for|arranged\s+for)\s*$", re.IGNORECASE)


def note_days(value: str) -> list[dt.date] | None:
    """The days a note written across the table names ('Visit 17/03/2025 - …', 'On 5 April 2025
    …'), in order; None when one of them cannot be read as a whole day (when in doubt, the note is
    said to be on another day). Times are not days: 'seen at 14:30' names none; nor is a day
    something is booked for ('follow-up booked for 20/03/2025'), a plan made on the entry's day."""
    days = []
    for match in (*_NUMBER_DAY.finditer(value), *_WORD_DAY.finditer(value)):
        if _PLANNED_FOR.search(value[max(0, match.start() - 60):match.start()]):
            continue
        try:
            date, _ = parse_date(" ".join(match[0].split()))
        except DateError:
            return None
        if date.precision != Precision.DAY or date.uncertain:
            return None
        days.append(date.start)
    return days


def _heading(value: str) -> bool:
    words = value.split()
    return 0 < len(words) <= 12 and len(value) <= 100 and not SENTENCE_END.search(value)


def _short_heading(value: str) -> bool:
    return _heading(value) and len(value.split()) <= 6


def classify_rows(
    sheet: RawSheet, start: int, columns: dict[int, str], headings: dict[int, str],
    dividers: dict[int, RowShape], dated: Callable[[object], bool], after_entry: bool = False,
) -> list[RowShape]:
    """The shape of every row from `start` on (merged cells already filled; dividers found
    before). `dated(value)` says whether a cell reads as a date; `after_entry`, whether the rows
    carry on a table that ended on an entry (its first rows may continue that entry)."""
    col_of = {key: col for col, key in columns.items()}
    first_col, has_ref = min(headings, default=0), "ref" in col_of
    incidental = _template_value(columns)
    date_col = col_of.get("date")
    plain_headings = {col: (_plain(h), len(h), h.strip()[:1].casefold())
                      for col, h in headings.items() if _plain(h)}
    shapes: list[RowShape] = []
    for index in range(start, len(sheet.rows)):
        if index in dividers:
            shapes.append(dividers[index])
            continue
        filled = {col: t for col, t in enumerate(map(text, sheet.rows[index])) if t}
        if not filled:
            shapes.append(BLANK)
        elif (date_col in filled and DATE_PATTERN.match(filled[date_col])
              and not any(s.shape == Shape.DATA for s in shapes)):
            shapes.append(INSTRUCTIONS)
        elif _repeats_headings(filled, plain_headings):
            shapes.append(REPEATED_HEADER)
        elif not any(ch.isalnum() for value in filled.values() for ch in value):
            shapes.append(RowShape(Shape.DIVIDER, "a ruled line", next(iter(filled))))
        elif _filler(sheet, index, filled, columns, first_col, has_ref, incidental):
            shapes.append(FILLER)
        elif len(set(filled.values())) == 1 and PAGE_TEXT.match(next(iter(filled.values()))):
            shapes.append(RowShape(Shape.PAGE_TEXT, col=next(iter(filled))))
        else:
            numbered = {col: t for col, t in filled.items()  # less a row number (pandas' index)
                        if not _row_number(col, t, columns, first_col, has_ref)}
            shapes.append(_lone_period(filled, incidental)
                          or _continuation(numbered or filled, columns, shapes, after_entry) or DATA)
    _page_headings(sheet, start, shapes)
    _mark_end(sheet, start, shapes, col_of, first_col, dated)
    return shapes


def _page_headings(sheet: RawSheet, start: int, shapes: list[RowShape]) -> None:
    """Mark as page text the rows just above a repeated heading row (back to the last row that
    is not blank and not one of them) that repeat a row of the block above the first column
    headings: a printed report's page heading ('Client: …', 'Printed: … Page 2 of 2') on every
    page. Only the same cells go (a page number, or when it was printed, may differ); a row
    that matches no row of that block, such as an entry with a mistyped date, stays what it is."""
    header = start - 1
    block: dict[tuple[tuple[int, str], ...], int] = {}
    for index in range(max(0, header - PAGE_HEADING_ROWS), header):
        key = _page_key(sheet.rows[index])
        if key:
            block.setdefault(key, index)
    if not block:
        return
    for i, shape in enumerate(shapes):
        if shape.shape != Shape.REPEATED_HEADER:
            continue
        for j in range(i - 1, -1, -1):
            if shapes[j].shape in (Shape.BLANK, Shape.PAGE_TEXT):
                continue
            cells = sheet.rows[start + j]
            repeats = block.get(_page_key(cells))
            if repeats is None:
                break
            col = next(c for c, v in enumerate(cells) if text(v))
            shapes[j] = RowShape(Shape.PAGE_TEXT, "a page heading", col, repeats=repeats)


def _page_key(cells: list[object]) -> tuple[tuple[int, str], ...]:
    """A row's filled cells as a page heading is compared: plain text, with a page number and
    the time it was printed made the same on every page."""
    key = []
    for col, value in enumerate(cells):
        t = _plain(text(value))
        if not t:
            continue
        t = PAGE_NUMBER.sub("page #", t)
        if PRINTED.match(t):
            t = re.sub(r"\d+", "#", t)
        key.append((col, t))
    return tuple(key)


def _repeats_headings(filled: dict[int, str], headings: dict[int, tuple[str, int, str]]) -> bool:
    """The column headings again (at least two of them, under their own columns, and most of
    the row): a printed table's headings repeated after a page break. `headings`: column ->
    (its heading as `_plain` makes it, its length and first character as written)."""
    same = 0
    for col, value in filled.items():
        heading = headings.get(col)
        # a copy of the heading starts as it does and is not much longer (an event's text is):
        # only such a cell is made plain and compared
        if (heading is not None and value[0].casefold() == heading[2]
                and len(value) <= 2 * heading[1] + 4 and _plain(value) == heading[0]):
            same += 1
    return same >= 2 and same * 2 > len(filled)


def _plain(value: str) -> str:
    return " ".join(value.casefold().split())


def _filler(sheet: RawSheet, index: int, filled: dict[int, str], columns: dict[int, str],
            first: int, has_ref: bool, incidental: Callable[[int, str], bool]) -> bool:
    """Only template values, formula results, or a number in an unnamed first column."""
    row = sheet.first_row + index
    return all(
        incidental(col, value) or (row, sheet.first_col + col) in sheet.formulas
        or _row_number(col, value, columns, first, has_ref)
        for col, value in filled.items())


def _row_number(col: int, value: str, columns: dict[int, str], first: int, has_ref: bool) -> bool:
    """A short value in an unnamed first column of a table with no Ref: a row number."""
    return col not in columns and col <= first and not has_ref and len(value) <= 12 and " " not in value


def _lone_period(filled: dict[int, str], incidental: Callable[[int, str], bool]) -> RowShape | None:
    """A year or a month alone in any column ('March 2025' under Event, '--- 2026 ---'): a
    divider, never a line of the entry above (beside it only a row number, 'n/a' or '-')."""
    values: list[tuple[int, str]] = []
    for col, value in filled.items():
        if not incidental(col, value):
            values.append((col, value))
            if len(values) > 1:  # most rows: an entry's cells
                return None
    if not values:
        return None
    col, value = values[0]
    kind = divider_kind(value)
    return RowShape(Shape.DIVIDER, kind, col) if kind in ("a year", "a month") else None


def _continuation(filled: dict[int, str], columns: dict[int, str], shapes: list[RowShape],
                  after_entry: bool = False) -> RowShape | None:
    """More text of the entry above: only Event, Action or Analysis text (each column its own
    field), under an entry or a line joined to one (`after_entry`: the table before ended on one).
    One value repeated across cells (merged cells filled) is not lines of an entry."""
    keys = [columns.get(col) for col in filled]
    if not set(keys) <= set(TEXT_FIELDS) or len(set(keys)) != len(keys):
        return None
    if len(filled) > 1 and len({value.casefold() for value in filled.values()}) == 1:
        return None
    above = next((s for s in reversed(shapes) if s.shape not in PAGE_BREAK), None)
    if above is None and not after_entry:
        return None
    if above is not None and above.shape not in (Shape.DATA, Shape.CONTINUATION):
        return None
    cols = tuple(filled)
    return RowShape(Shape.CONTINUATION, col=cols[0], cols=cols)


READABLE = (Shape.DATA, Shape.CONTINUATION, Shape.DIVIDER)
PAGE_BREAK = (Shape.PAGE_TEXT, Shape.REPEATED_HEADER)  # an entry's lines may go on under them


def _mark_end(sheet: RawSheet, start: int, shapes: list[RowShape], col_of: dict[str, int],
              first_col: int, dated: Callable[[object], bool]) -> None:
    """Find where the table ends and mark the note-like rows under it as after the table."""
    def filled(i: int) -> list[str]:
        return [t for t in (text(v) for v in sheet.rows[start + i]) if t]

    def cell(i: int, key: str) -> object:
        row, col = sheet.rows[start + i], col_of.get(key)
        return row[col] if col is not None and col < len(row) else None

    def entry_shaped(i: int) -> bool:
        date = cell(i, "date")
        return (text(date) != "" and dated(date)
                and any(text(cell(i, key)) for key in ("source", "event")))

    def not_a_date(i: int) -> bool:
        """Words where the date goes (a glossary line under the table): no entry. A blank or
        mistyped date ('31/02/2025'), or 'Unknown' beside its own source and event, is an entry
        with an error, and stays one."""
        value = text(cell(i, "date"))
        source, event = text(cell(i, "source")), text(cell(i, "event"))
        entry_like = source and event and source.casefold() != event.casefold()
        return value != "" and not any(ch.isdigit() for ch in value) and not entry_like

    def note(i: int) -> bool:
        """One value (in a cell or across the row), or an end line or a 'Label:' in the first
        column; never a row with a readable date and a source or event."""
        if signed(i) or totals(i):
            return True
        if entry_shaped(i):
            return False
        values = filled(i)
        return (shapes[i].shape == Shape.DIVIDER or len({v.casefold() for v in values}) == 1
                or marker(i) or (first_filled(i) <= first_col and bool(LABEL.match(values[0]))))

    def first_filled(i: int) -> int:
        return next(c for c, v in enumerate(sheet.rows[start + i]) if text(v))

    def marker(i: int) -> bool:
        """An end line typed from the table's first column ('Total care' as a Source is not),
        or alone in the row in any column ('No further entries' under Event)."""
        col = first_filled(i)
        if col <= first_col and END_MARKER.match(text(sheet.rows[start + i][col])):
            return True
        values = filled(i)
        return len({v.casefold() for v in values}) == 1 and bool(END_MARKER.match(values[0]))

    def totals(i: int) -> bool:
        """A totals row: the table's own (`sheet.totals_rows`), an end line's words ('Total',
        'Grand total:', 'Count') beside only formulas and numbers, or a count line."""
        return sheet.first_row + start + i in sheet.totals_rows or end_line_total(i) or count_line(i)

    def end_line_total(i: int) -> bool:
        row = sheet.first_row + start + i
        label = ""
        for col, value in enumerate(sheet.rows[start + i]):
            words = text(value)
            if not words or (row, sheet.first_col + col) in sheet.formulas or (
                    isinstance(value, int | float) and not isinstance(value, bool)):
                continue
            end_line = END_MARKER.match(words)
            if label or end_line is None or any(ch.isalpha() for ch in words[end_line.end():]):
                return False
            label = words
        return bool(label)

    def count_line(i: int) -> bool:
        """A total or count line: total words ('Total attendances', 'TOTAL', 'Number of contacts
        12') typed from the first column or under Date, with no day in them, and beside them only
        numbers or formulas (not a plain number under Date: that may be a date), with a number
        somewhere. 'Total hip replacement' beside a source or an event is an entry."""
        row, cells, col = sheet.first_row + start + i, sheet.rows[start + i], first_filled(i)
        label = text(cells[col])
        words = TOTAL_WORDS.match(label)
        said = TOTAL_REST.match(label[words.end():]) if words else None
        if said is None or DAY_DATE.search(label) or (col > first_col and col != col_of.get("date")):
            return False
        counted = said.group("number") is not None
        for c, value in enumerate(cells):
            shown = text(value)
            formula = (row, sheet.first_col + c) in sheet.formulas  # shown blank when never calculated
            if c == col or not (shown or formula) or shown == label:  # a merged label repeats itself
                continue
            if not formula and (c == col_of.get("date") or not (
                    isinstance(value, int | float) and not isinstance(value, bool) or NUMBER.match(shown))):
                return False
            counted = True
        return counted

    def signed(i: int) -> bool:
        """A sign-off beside a date: the Source (or, with no Source, the Event) is an end line
        ('Completed by', 'END OF CHRONOLOGY') and nothing was done or analysed."""
        words = text(cell(i, "source")) or text(cell(i, "event"))
        return bool(SIGN_OFF.match(words)) and not any(
            text(cell(i, key)) for key in ("action", "practitioner", "analysis"))

    def closes(i: int) -> bool:
        return shapes[i].shape in READABLE and (marker(i) and not entry_shaped(i) or signed(i) or totals(i))

    def entries_follow(first: int) -> list[bool]:
        """For each row from `first` on, whether a dated entry comes under it before any end line
        other than a total: then a totals row is a subtotal ('Total 2024: 14' above the 2025
        entries), not the table's end. One pass from the foot up."""
        follows, seen = [False] * len(shapes), False
        for j in reversed(range(first, len(shapes))):
            follows[j] = seen
            if shapes[j].shape == Shape.DATA and entry_shaped(j):
                seen = True
            elif closes(j) and not totals(j):
                seen = False
        return follows

    end, follows = None, None
    for i in range(len(shapes)):
        if not closes(i):
            continue
        if totals(i) and any(TOTAL_WORDS.match(words) for words in filled(i)):  # not 'END'
            follows = follows or entries_follow(i)
            if follows[i]:
                shapes[i] = RowShape(Shape.TOTAL, col=first_filled(i))
                continue
        end = i
        break
    if end is None:
        tail = len(shapes)
        for i in reversed(range(len(shapes))):
            if shapes[i].shape in (Shape.BLANK, Shape.FILLER):
                continue
            if not note(i):
                break
            tail = i
        end = next((i for i in range(tail, len(shapes)) if shapes[i].shape in READABLE and i > 0
                    and shapes[i - 1].shape in (Shape.BLANK, Shape.FILLER)
                    and any(s.shape == Shape.DATA for s in shapes[:i])), None)
    block = _sign_off(sheet, start, shapes, first_col)
    if block is not None and (end is None or block < end):
        end = block
    if end is None:
        return
    for i in range(end, len(shapes)):
        shape = shapes[i].shape
        if shape not in READABLE:
            continue
        if block is not None and i >= block:
            shapes[i] = AFTER_TABLE  # a sign-off block: its dated row is the day it was signed
            continue
        if i != end and shape == Shape.CONTINUATION and shapes[i - 1].shape == Shape.DATA:
            continue
        if i == end or note(i) or not_a_date(i):
            shapes[i] = AFTER_TABLE


def _sign_off(sheet: RawSheet, start: int, shapes: list[RowShape], first_col: int) -> int | None:
    """Where a sign-off block at the foot of the table starts (see sign_off), under at least
    one row that is data; None when there is none."""
    first, seen = len(shapes), 0
    while first > 0 and seen < SIGN_OFF_ROWS:  # only the foot is read: a block is a few lines
        first -= 1
        seen += shapes[first].shape in READABLE
    rows = [[text(v) for v in sheet.rows[start + i]] if shapes[i].shape in READABLE else []
            for i in range(first, len(shapes))]
    block = sign_off_start(rows, first_col)
    if block is None or not any(s.shape == Shape.DATA for s in shapes[:first + block]):
        return None
    return first + block
