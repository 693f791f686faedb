"""`sarkit status` on the terminal (a table of agencies) and as JSON for scripts."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from sarkit.output.terminal import inert
from sarkit.tracker import AgencyStatus
from sarkit.wording import day

if TYPE_CHECKING:
    from rich.console import Console

STYLE = {"received": "green", "nil return": "green", "needs resubmission": "yellow",
         "unusable": "red", "outstanding": "red"}


def print_status(statuses: list[AgencyStatus], console: Console, *, as_of: dt.date) -> None:
    """One row per agency: state, due, days overdue, received, files, entries, contact.

    Columns no agency has a value for are left out; no column is narrower than its longest
    word, so no word is broken; when the file names do not fit beside the rest (an 80-column
    terminal), they are listed under the table instead. Written to a file or a pipe (no terminal,
    no COLUMNS setting), the table is as wide as it needs: nothing is cropped at rich's default of
    80 columns.
    """
    from rich.table import Table

    columns = {
        "Agency": [s.label for s in statuses],
        "State": [s.state for s in statuses],
        "Due": [day(s.due) for s in statuses],
        "Days overdue": [str(s.days_overdue) if s.days_overdue else "" for s in statuses],
        "Received": [day(s.received) for s in statuses],
        "Files": ["\n".join(Path(f).name for f in s.files) for s in statuses],
        "Entries": [str(s.entries) for s in statuses],
        "Contact": [s.contact for s in statuses],
    }
    shown = [name for name, cells in columns.items()
             if name in ("Agency", "State") or any(cells)]
    if not console.is_terminal and not os.environ.get("COLUMNS", "").strip():
        console.width = max(console.width, _widest(columns, shown))  # a file: rich's 80 is a guess
    if "Files" in shown and _narrowest(columns, shown) > console.width:
        shown.remove("Files")
    table = Table(title=f"Returns as of {day(as_of)}", title_justify="left")
    for name in shown:
        table.add_column(name, min_width=_longest_word([name, *columns[name]]),
                         justify="right" if name in ("Days overdue", "Entries") else "left")
    for index, status in enumerate(statuses):
        cells = [inert(columns[name][index]) for name in shown]
        cells[1] = f"[{STYLE[status.state]}]{status.state}[/]"
        table.add_row(*cells)
    console.print(table)
    if "Files" not in shown and any(columns["Files"]):
        console.print("Files:")
        for status in statuses:
            for name in status.files:
                console.print(inert(f"  {status.label}: {Path(name).name}"), soft_wrap=True)


def _longest_word(texts: list[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def _widest(columns: dict[str, list[str]], shown: list[str]) -> int:
    """The width of the table with no cell wrapped (borders and padding counted)."""
    return sum(max(len(line) for text in [name, *columns[name]] for line in text.split("\n")) + 3
               for name in shown) + 1


def _narrowest(columns: dict[str, list[str]], shown: list[str]) -> int:
    """The narrowest the table can be without breaking a word (borders and padding counted)."""
    return sum(_longest_word([name, *columns[name]]) + 3 for name in shown) + 1


def status_json(statuses: list[AgencyStatus], *, as_of: dt.date,
                account: dict[str, object]) -> dict[str, object]:
    """DESIGN §11: {"as_of", "agencies": [...]}, with the closing account."""
    return {"as_of": as_of.isoformat(), "agencies": [s.to_json() for s in statuses],
            "account": account}
