"""How sarkit words numbers, days and lists in every message and document (one place each)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import PurePath

# the fix for formulas saved with no value (a program that does not calculate wrote the workbook)
CALCULATE_HINT = ("Open the workbook in Excel or LibreOffice, let it calculate its formulas and save "
                  "it, or replace the formulas with their values (Copy, then Paste Special > Values).")


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 entry', '3 entries', '2 rows'."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def day(date: dt.date | None) -> str:
    """A day in UK form (dd/mm/yyyy), as every sarkit output shows one; '' for None."""
    return date.strftime("%d/%m/%Y") if date else ""


def rows_listed(rows: Sequence[int], *, at_most: int | None = None) -> str:
    """'row 7', 'rows 7-9', 'rows 7-9, 12 and 15': consecutive rows as spans; with `at_most`, a
    longer list is its first rows and how many more ('rows 2, 5, … and 90 more')."""
    if at_most is not None and len(rows) > at_most:
        return f"rows {', '.join(map(str, rows[:at_most]))} and {len(rows) - at_most} more"
    spans: list[list[int]] = []
    for r in rows:
        if spans and r == spans[-1][1] + 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in spans]
    return f"{'row' if len(rows) == 1 else 'rows'} {and_list(parts)}"


def and_list(words: Sequence[str], *, at_most: int | None = None) -> str:
    """'Police', 'Police and ASC', 'Police, ASC and GP'; with `at_most`, a long list is cut:
    'a, b, c and 97 more' (a message never grows with the size of the input)."""
    words = list(words)
    if at_most is not None and len(words) > at_most:
        return ", ".join(words[:at_most]) + f" and {len(words) - at_most} more"
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def shown_path(path: PurePath | str) -> str:
    """A file's path as every message and output shows it. A name that is not valid UTF-8 (a
    Latin-1 'é' as unzip often leaves it) shows U+FFFD where its odd bytes are; the file itself is
    still opened by its real name."""
    text = str(path)
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
