"""An entry's time as the IMR and the workshop pack show it: hh:mm, or the words of a Time cell
that could not be read, marked as written, so no part of an entry is left out."""

from __future__ import annotations

from sarkit.dates import format_time
from sarkit.entries import Entry

TIME_WRITTEN = "Time (as written)"
END_TIME_WRITTEN = "End Time (as written)"


def time_shown(entry: Entry) -> str:
    """'10:00', 'am visit (as written)', '10:00 to 11:00', '10:00 to late morning (as written)':
    the time, else its words; with the end time (or its words) when there is one."""
    start = format_time(entry.time) if entry.time else _written(entry, TIME_WRITTEN)
    end = format_time(entry.end_time) if entry.end_time else _written(entry, END_TIME_WRITTEN)
    if not end:
        return start
    return f"{start} to {end}" if start else f"ending {end}"


def _written(entry: Entry, name: str) -> str:
    """The words sarkit kept from an unreadable time cell: its column is `name`, or `name` with
    ' (sarkit)' added when the return has a column of that name of its own."""
    names = [key for key in entry.extras
             if key == name or (key.startswith(name) and not key[len(name):].replace(" (sarkit)", ""))]
    words = entry.extras.get(max(names, key=len), "").strip() if names else ""
    return f"{words} (as written)" if words else ""
