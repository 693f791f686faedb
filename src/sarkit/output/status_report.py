"""`sarkit status` on the terminal (a table of agencies) and as JSON for scripts."""

from __future__ import annotations

import datetime as dt
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
    """One row per agency: state, due, days overdue, received, files, entries, contact."""
    from rich.table import Table

    table = Table(title=f"Returns as of {day(as_of)}", title_justify="left")
    for name in ("Agency", "State", "Due", "Days overdue", "Received", "Files", "Entries",
                 "Contact"):
        table.add_column(name, overflow="fold", justify="right" if name in
                         ("Days overdue", "Entries") else "left")
    for s in statuses:
        table.add_row(
            inert(s.label), f"[{STYLE[s.state]}]{s.state}[/]", day(s.due),
            str(s.days_overdue) if s.days_overdue else "", day(s.received),
            inert("\n".join(Path(f).name for f in s.files)), str(s.entries), inert(s.contact),
        )
    console.print(table)


def status_json(statuses: list[AgencyStatus], *, as_of: dt.date,
                account: dict[str, object]) -> dict[str, object]:
    """DESIGN §11: {"as_of", "agencies": [...]}, with the closing account."""
    return {"as_of": as_of.isoformat(), "agencies": [s.to_json() for s in statuses],
            "account": account}
