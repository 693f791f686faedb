"""The chronology entry (one event of one agency, with where it came from) and what became of
one input file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sarkit.dates import PartialDate
from sarkit.findings import Finding


@dataclass(slots=True)
class Entry:
    """One validated chronology row. `ref` is the combined reference (C0001), set by collate."""

    agency: str
    date: PartialDate
    source: str
    event: str
    time: dt.time | None = None
    end_date: PartialDate | None = None
    end_time: dt.time | None = None
    action: str = ""
    practitioner: str = ""
    analysis: str = ""
    key_event: bool | None = None
    agency_ref: str = ""
    file: str = ""
    sheet: str = ""
    row: int = 0
    order: int = 0  # the author's order within the return (0, 1, 2…, as the rows run)
    extras: dict[str, str] = field(default_factory=dict)
    ref: str = ""
    flags: list[str] = field(default_factory=list)
    ref_part: str = ""  # the file's name, when the agency's return came in parts whose Refs overlap

    @property
    def is_note(self) -> bool:
        """An author's note: Source starts with '#'."""
        return self.source.startswith("#")

    @property
    def first_day(self) -> dt.date:
        return self.date.start

    @property
    def last_day(self) -> dt.date:
        """The last day the entry covers: its End Date when it has one, else its own date."""
        if self.end_date is not None:
            return max(self.end_date.last, self.date.start)
        return self.date.start


def repeat_key(entry: Entry) -> tuple:
    """What a reader sees of an entry, its agency and every column as written (Agency Ref and
    where it came from aside): two rows are one entry repeated only when their keys are equal.
    An extra column left blank counts as no column, so a return with one more (empty) column
    still repeats the other."""
    return (entry.agency, entry.date, entry.time, entry.end_date, entry.end_time, entry.source,
            entry.event, entry.action, entry.practitioner, entry.analysis, entry.key_event,
            tuple(sorted((name, text) for name, text in entry.extras.items() if text.strip())))


def several_sheets(entries: Iterable[Entry]) -> set[str]:
    """The files whose entries came from more than one sheet (a sheet per month, a Word table
    carried on): their Source Row names the sheet, as row numbers may repeat across sheets."""
    seen: dict[str, str] = {}
    several: set[str] = set()
    for entry in entries:
        if seen.setdefault(entry.file, entry.sheet) != entry.sheet:
            several.add(entry.file)
    return several


def source_row(entry: Entry, several: set[str]) -> int | str:
    """The Source Row shown for an entry: its row number, or '12 (April)' (row and sheet) when
    its return's entries came from more than one sheet (see several_sheets)."""
    return f"{entry.row} ({entry.sheet})" if entry.file in several else entry.row


_SOURCE_ROW = re.compile(r"(\d+) \((.*)\)", re.DOTALL)


def read_source_row(text: str) -> tuple[str, int] | None:
    """(sheet, row) of a Source Row written as '12 (April)', or None for any other text."""
    match = _SOURCE_ROW.fullmatch(text.strip())
    return (match[2], int(match[1])) if match else None


@dataclass(slots=True)
class ReturnResult:
    """What became of one input file."""

    path: str  # as shown in every message and output (see wording.shown_path)
    agency: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    entries: list[Entry] = field(default_factory=list)
    rejected_rows: int = 0
    data_rows: int = 0
    repeated_rows: int = 0  # entries left out: another return of the agency has them
    unread_rows: list[tuple[str, int]] = field(default_factory=list)  # (sheet, row) not read
    unread_values: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)  # their cells
    findings: list[Finding] = field(default_factory=list)
    sha256: str = ""
    nil: bool = False
    skipped: bool = False
    glossary: list[tuple[str, str]] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)  # the Details block: 'author' -> '…'
    provenance: dict[str, str] = field(default_factory=dict)
    agencies: list[str] = field(default_factory=list)  # every agency its rows belong to
    source: str = ""  # the real path of the file it came from, to open it again
