"""What struck-through text in a row means: authors withdraw an entry by striking its row through,
or strike out words of a cell.

A row whose every filled cell, its Event among them, is struck through in full was withdrawn by
its author: it is not an entry (`struck-through`, naming the row). Any other struck text is read
as written, struck words included, and each cell holding some is named (`struck-text`), so the
agency can say whether the struck words stand. Nothing is dropped in silence, and no message
quotes a cell.
"""

from __future__ import annotations

from sarkit.raw_tables import RawSheet


def filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def struck_out(sheet: RawSheet, row: int, cells: list[object], event_col: int | None) -> bool:
    """Whether every filled cell of the row, its Event among them, is struck through in full."""
    struck = sheet.struck
    if not struck or event_col is None:
        return False
    place = (row, sheet.first_col + event_col)
    if not struck.get(place, False) or not filled(cells[event_col] if event_col < len(cells) else None):
        return False
    return all(struck.get((row, sheet.first_col + col), False)
               for col, value in enumerate(cells) if filled(value))


def struck_cells(sheet: RawSheet, row: int, cells: list[object]) -> list[tuple[int, bool]]:
    """(column index in `cells`, all of it struck?) of the row's filled cells with struck text."""
    struck = sheet.struck
    if not struck:
        return []
    found = []
    for col, value in enumerate(cells):
        whole = struck.get((row, sheet.first_col + col))
        if whole is not None and filled(value):
            found.append((col, whole))
    return found


def withdrawn_message(row: int) -> str:
    return (f"Row {row} is struck through (all its text has a line through it): its author "
            "withdrew it, so it was kept out of the chronology and is not an entry.")


def struck_message(row: int, heading: str, cell: str | None, whole: bool) -> str:
    """`cell`: its A1 name in a sheet, None in a Word table (named by its column)."""
    what = "The text" if whole else "Part of the text"
    where = f"cell {cell} ({heading})" if cell else f"the {heading} cell of row {row}"
    return (f"{what} in {where} is struck through (a line through it); it is read as written, "
            "struck words included.")
