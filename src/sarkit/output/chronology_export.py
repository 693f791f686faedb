"""The Chronology sheet alone, as CSV or JSON, for other tools: the workbook's columns, and a
`Sort Date` (ISO, the first day the date covers) last, since Date is text here."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sarkit.ages import age_range, age_text, days_since_previous
from sarkit.collate import Collation
from sarkit.dates import format_time
from sarkit.entries import Entry, several_sheets, source_row
from sarkit.formats.mark import GENERATOR, csv_comment
from sarkit.output.combined_workbook import chronology_columns
from sarkit.output.safe_text import TextCleaner, csv_safe


def chronology_rows(collation: Collation, *, key_events: bool = False) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the Chronology sheet as text (pseudonyms applied); with `key_events`,
    only the entries marked Key Event (Days Since Previous still counts every entry)."""
    clean = TextCleaner(collation.review.pseudonyms)
    review = collation.review
    with_age = review.subject_birth_date is not None or review.subject_age_at_start is not None
    added, extras, columns = chronology_columns(collation, age=with_age)
    labels = {a.name: a.label for a in collation.agencies}
    rows = []
    intervals = days_since_previous(collation.entries)
    several = several_sheets(collation.entries)
    for entry, interval in zip(collation.entries, intervals, strict=True):
        if key_events and entry.key_event is not True:
            continue
        known = {
            "End Date": entry.end_date.display() if entry.end_date else "",
            "End Time": format_time(entry.end_time) if entry.end_time else "",
            "Age": str(age_text(age_range(review, entry.date)) or ""),
            "Days Since Previous": "" if interval is None else str(interval),
        }
        rows.append([*_row(entry, labels, clean, several), *(known[name] for name in added),
                     *(clean(entry.extras.get(name, "")) for name in extras),
                     entry.date.start.isoformat()])
    return [*columns, "Sort Date"], rows


def _row(entry: Entry, labels: dict[str, str], clean: TextCleaner, several: set[str]) -> list[str]:
    """The CHRONOLOGY_COLUMNS of one entry."""
    return [
        entry.ref, entry.date.display(), format_time(entry.time) if entry.time else "",
        labels.get(entry.agency, entry.agency), clean(entry.source), clean(entry.event),
        clean(entry.action), clean(entry.practitioner), clean(entry.analysis),
        {True: "Y", False: "N", None: ""}[entry.key_event], "; ".join(entry.flags),
        clean(entry.agency_ref), clean(Path(entry.file).name), clean(str(source_row(entry, several))),
    ]


def write_chronology_csv(collation: Collation, path: Path, *, key_events: bool = False) -> None:
    """UTF-8 with BOM (so Excel reads it right), a first line `# Made by sarkit …` (sarkit's
    mark); cells starting = + - @ get a leading '."""
    header, rows = chronology_rows(collation, key_events=key_events)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(csv_comment() + "\r\n")
        writer = csv.writer(handle)
        writer.writerow([csv_safe(cell) for cell in header])
        for row in rows:
            writer.writerow([csv_safe(cell) for cell in row])


def write_chronology_json(collation: Collation, path: Path, *, key_events: bool = False) -> None:
    """{"generator": "sarkit …", "account": {...}, "entries": [objects keyed by the column
    headings]}: sarkit's mark, the closing account, the chronology."""
    header, rows = chronology_rows(collation, key_events=key_events)
    data = {"generator": GENERATOR, "account": collation.account.to_json(),
            "entries": [dict(zip(header, row, strict=True)) for row in rows]}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
