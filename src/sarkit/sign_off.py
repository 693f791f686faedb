"""Whether the rows at the foot of a table are a sign-off block, as a careful reader tells it:
labels with their values ('Completed by | Designation | Date' over 'A Smith | Manager |
01/04/2025'), a label and its value in one cell ('Completed by: A Smith', 'Signed ______'), labels
down the first column with their values beside them, a declaration ('I confirm this chronology is
accurate'). Conservative: the block runs to the foot of the table, holds a label that names who
signed ('Name', 'Signed', 'Completed by', not only 'Date' or 'Role'), and a row of values counts
only straight under its row of labels, in its columns; anything else keeps the shape it had, so a
last entry whose Event says 'Care plan signed by Mr X' or whose Source is 'Manager' stays one."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sarkit.lazy_re import lazy_compile

# labels that say who signed: one of them makes the block a sign-off
_WHO = (r"(print(ed)?\s+|full\s+)?name(\s+of\s+(author|manager))?|signed(\s+off)?(\s+by)?|signature|"
        r"signatory|author|(completed|compiled|prepared|written|submitted|reviewed|checked|verified|"
        r"authori[sz]ed|approved|counter-?\s?signed|quality\s+assured|qa'?d)(\s+by)?|countersignature")
# labels that go with them
_WITH = (r"designation|role|job\s+title|title|position|post|(line\s+|team\s+)?manager|team|service|"
         r"department|organi[sz]ation|agency|contact(\s+details)?|e-?mail|tel(ephone)?|phone|"
         r"date(\s+(completed|signed|of\s+completion|submitted|approved|authori[sz]ed|checked))?")
_LABEL = lazy_compile(rf"^\W*(?P<label>{_WHO}|{_WITH})(?![\w'’])\s*(?P<colon>[:\-–]?)\s*(?P<rest>.*)$",
                    re.IGNORECASE | re.DOTALL)
_WHO_ONLY = lazy_compile(rf"^(?:{_WHO})$", re.IGNORECASE)
_BLANKS = lazy_compile(r"^[\s_.…]*$")  # 'Signed ____________', 'Date: ..../..../....'
_DECLARATION = lazy_compile(
    r"^\W*(i|we)\s+(can\s+)?(confirm|certify|declare|verify)\b"
    r"|^\W*(this|the)\s+(chronology|return|report|information)\s+(is|has\s+been)\s+"
    r"(accurate|correct|true|complete|checked|quality\s+assured)\b",
    re.IGNORECASE)
_VALUE_CHARS, _VALUE_WORDS = 80, 10  # a name, a job title, a date: never an event's text
SIGN_OFF_ROWS = 16  # the most lines a sign-off block takes: only the foot of a table is read
_MOST_VALUE_ROWS = 2  # a row of labels with two signatories under it; more rows are a table


def _label(cell: str) -> tuple[str, bool, str] | None:
    """(the label, whether it is bare, the value after it) when the cell starts with a label: a
    bare one ('Name', 'Date:', 'Signed ______'), or one with its value after a colon ('Date:
    01/04/2025') or after 'by' ('Completed by A Smith'); None for anything else ('Signed
    statement taken', 'Manager visited')."""
    match = _LABEL.match(cell)
    if match is None:
        return None
    label, rest = " ".join(match["label"].split()), match["rest"].strip()
    if _BLANKS.match(rest):
        return label, True, ""
    if (match["colon"] or label.casefold().endswith(" by")) and _value(rest):
        return label, False, rest
    return None


def _value(cell: str) -> bool:
    return len(cell) <= _VALUE_CHARS and len(cell.split()) <= _VALUE_WORDS


def _who(label: str) -> bool:
    return bool(_WHO_ONLY.match(label))


def _pairs(cells: dict[int, str], first_col: int) -> list[str] | None:
    """The labels of a row of labels and their values, left to right: each cell a label, or the
    value of the bare label just before it in a row typed from the table's first column ('Name |
    A Smith', 'Signed: | J Example | Date: | 04/04/2025'; 'Author | Letter sent' under Source and
    Event is an entry missing its date); None when a cell is neither."""
    labels: list[str] = []
    bare = False
    for value in cells.values():
        found = _label(value)
        if found is not None:
            labels.append(found[0])
            bare = found[1]
        elif bare and min(cells) <= first_col and _value(value):
            bare = False  # the value of the label before it
        else:
            return None
    return labels or None


def sign_off_start(rows: Sequence[Sequence[str]], first_col: int = 0) -> int | None:
    """The index of the first row of a sign-off block that runs to the foot of `rows` (each row
    its cells as text, '' for blank; `first_col` the table's first column), or None. Blank rows
    may stand anywhere in it."""
    start, labels_row, values_under, who = None, None, 0, False
    for index, row in enumerate(rows):
        cells = {col: value.strip() for col, value in enumerate(row) if value and value.strip()}
        if not cells:
            continue
        pairs = _pairs(cells, first_col)
        if pairs is not None:
            bare_labels = all((found := _label(v)) is not None and found[1] for v in cells.values())
            labels_row = cells if bare_labels and len(cells) >= 2 else None
            values_under = 0
            who = who or any(map(_who, pairs))
        elif (labels_row is not None and values_under < _MOST_VALUE_ROWS and set(cells) <= set(labels_row)
              and all(map(_value, cells.values()))):
            values_under += 1
        elif len(cells) == 1 and _DECLARATION.match(next(iter(cells.values()))):
            labels_row = None
        else:
            start, labels_row, values_under, who = None, None, 0, False
            continue
        if start is None:
            start = index
    return start if start is not None and who else None
