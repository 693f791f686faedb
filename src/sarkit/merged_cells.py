"""Merged cells inside a chronology table, read the way a person reads them.

- Merged down rows (one date over the rows that share it): each row gets the top-left value,
  and a `merged-cells` warning says so.
- Merged across columns (an event typed over Event, Action and Practitioner): the text belongs
  to the first column only; the columns it covers are left empty for that row, and a
  `merged-across` warning names the range and the columns. Copying the text into each column
  would make the event claim to be the action and the practitioner too.
- Divider rows (found before, see row_shapes) are layout: their ranges fill nothing.
"""

from __future__ import annotations

from sarkit.findings import Finding, cell_name, column_letter, finding
from sarkit.raw_tables import RawSheet
from sarkit.row_shapes import RowShape
from sarkit.wording import and_list

MAX_ROWS_FILLED = 100_000  # a range taller than this is not one value shared by rows


def fill_merged(sheet: RawSheet, header_index: int, headings: dict[int, str], dividers: dict[int, RowShape],
                file: str, *, word: bool = False) -> list[Finding]:
    """Fill `sheet.rows` below the header row from its merged ranges, as described above; the
    findings, one per range. `headings` maps column index -> heading; `word`: a Word table
    (columns are named by heading, never by letter)."""
    found: list[Finding] = []
    start = sheet.first_row + header_index
    for r1, c1, r2, c2 in sheet.merged:
        if r2 <= start or r2 - r1 > MAX_ROWS_FILLED:
            continue
        top = r1 - sheet.first_row
        if top in dividers:
            continue
        value = sheet.rows[top][c1 - sheet.first_col] if 0 <= top < len(sheet.rows) and (
            0 <= c1 - sheet.first_col < len(sheet.rows[top])) else None
        covered_text = False  # a covered cell held text of its own (Excel shows none of it)
        for r in range(max(r1, start + 1), r2 + 1):
            index = r - sheet.first_row
            if index >= len(sheet.rows):
                break
            if index in dividers:
                continue
            cells = sheet.rows[index]
            for c in range(c1, c2 + 1):
                j = c - sheet.first_col
                if 0 <= j < len(cells):
                    covered_text = covered_text or ((r, c) != (r1, c1) and not _blank(cells[j]))
                    cells[j] = value if c == c1 else None
        if c2 > c1:
            if _blank(value) and not covered_text:
                continue  # nothing was typed in the range: no text moved, nothing to say
            found.append(_across(sheet, (r1, c1, r2, c2), headings, file, word, covered_text))
        else:
            found.append(finding(
                "merged-cells", file,
                f"Cells {cell_name(r1, c1)}:{cell_name(r2, c2)} are merged; "
                f"the value of the top-left cell is used for each of them.{_covered(covered_text)}",
                sheet=sheet.name, row=r1, cell=cell_name(r1, c1),
            ))
    return found


def _across(sheet: RawSheet, area: tuple[int, int, int, int], headings: dict[int, str], file: str,
            word: bool, covered_text: bool) -> Finding:
    r1, c1, r2, c2 = area

    def name(c: int) -> str:
        heading = headings.get(c - sheet.first_col, "").strip()
        if heading:
            return heading
        return f"column {c - sheet.first_col + 1}" if word else f"column {column_letter(c)}"

    covered = [name(c) for c in range(c1 + 1, c2 + 1)]
    listed = and_list(covered)
    rows = f"row {r1}" if r1 == r2 else f"rows {r1} to {r2}"
    cells = f"The cells of {rows}" if word else f"Cells {cell_name(r1, c1)}:{cell_name(r2, c2)} ({rows})"
    each = "" if r1 == r2 else " of each of those rows"
    return finding(
        "merged-across", file,
        f"{cells} are merged across columns; their text was kept in the first column, "
        f"{name(c1)}{each}, and {listed} {'was' if len(covered) == 1 else 'were'} left empty."
        f"{_covered(covered_text)}",
        sheet=sheet.name, row=r1, column=name(c1),
        cell=None if word else cell_name(r1, c1),
    )


def _covered(covered_text: bool) -> str:
    return (" Some of the covered cells also held text of their own, hidden under the merge; it "
            "was not read." if covered_text else "")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
