"""A kept extra column whose meaning is only in its cells' colours (a RAG 'Risk level' in red,
amber and green with no text): it would be empty in every output with nothing said but
`unknown-column` ("kept as an extra column"). It is said instead, as a warning naming the column
and its filled cells (`colour-only-column`).

Decisions: a fill is never read as a word (what red means is each agency's own); a column counts
when none of the entries has text in it and the fills of its cells differ between the table's
rows (a colour in some rows and none in others, or several colours). A row highlighted across
the table (the same fill in three or more other cells of it) says nothing of the column and is
not counted. Only .xlsx, .xlsm and .ods files are looked at (not .xls, .xlsb nor Word cell
shading), and only when such a column was kept and holds no text: most returns never have their
styles read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from sarkit.entries import Entry
from sarkit.findings import Finding, column_letter, finding
from sarkit.intake.fills import ods_fills, xlsx_fills
from sarkit.wording import rows_listed

READERS = {"xlsx": xlsx_fills, "xlsm": xlsx_fills, "ods": ods_fills}
ROW_HIGHLIGHT = 3  # the same fill in this many other cells of the row: the row is highlighted
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _column(cell: str) -> int | None:
    """The 0-based column of an A1 cell name."""
    found = _CELL.match(cell)
    if found is None:
        return None
    col = 0
    for letter in found.group(1):
        col = col * 26 + ord(letter) - 64
    return col - 1


def colour_only_columns(path: str, fmt: str, sheet: str | None, entries: list[Entry],
                        findings: list[Finding],
                        read_fills: Callable[[str, str], dict[tuple[int, int], str] | None] | None = None,
                        ) -> list[Finding]:
    """A `colour-only-column` warning for each extra column of the chronology sheet (its
    `unknown-column` finding in `findings`) that no entry has text in and whose cells' fills
    differ between rows; `read_fills(path, sheet)` gives (row, col) -> fill (by default, the
    reader of the file's format)."""
    read_fills = read_fills or READERS.get(fmt)
    if read_fills is None or sheet is None or not entries:
        return []
    empty = [f for f in findings
             if f.code == "unknown-column" and f.sheet == sheet and f.cell and f.column and f.row
             and any(f.column in e.extras for e in entries)
             and not any((e.extras.get(f.column) or "").strip() for e in entries)]
    if not empty:
        return []
    fills = read_fills(path, sheet)
    if not fills:
        return []
    by_row: dict[int, Counter[str]] = {}
    for (row, _), fill in fills.items():
        by_row.setdefault(row, Counter())[fill] += 1
    rows = sorted({e.row for e in entries if e.sheet == sheet})
    said: list[Finding] = []
    for f in empty:
        col = _column(f.cell or "")
        if col is None:
            continue
        coloured = {row: fill for (row, c), fill in fills.items()
                    if c == col and row > (f.row or 0) and by_row[row][fill] - 1 < ROW_HIGHLIGHT}
        kinds = set(coloured.values())
        plain_rows = [row for row in rows if row not in coloured]
        if not coloured or (len(kinds) < 2 and not plain_rows):
            continue  # no colour, or the same in every row (a shaded template column)
        listed = rows_listed(sorted(coloured))
        if len(listed) > 80:  # a message never grows with the size of the input
            listed = rows_listed(sorted(coloured), at_most=10)
        colours = (f"{len(kinds)} different colours" if len(kinds) > 1
                   else "a colour the other rows do not have")
        said.append(finding(
            "colour-only-column", path,
            f"The column {f.column} ({f.cell}) holds no text under its heading, but its cells in "
            f"{listed} (column {column_letter(col)}) are filled with {colours}: the column's "
            "meaning is in its colours, which sarkit does not read, so the column is empty in the "
            "chronology.",
            hint="Type the level (or what each colour stands for) in the cells as words, and send "
                 "the return again.",
            sheet=sheet, row=f.row, column=f.column, cell=f.cell,
        ))
    return said

