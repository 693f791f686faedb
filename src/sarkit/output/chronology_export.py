"""The Chronology sheet alone, as CSV or JSON, for other tools."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sarkit.collate import Collation
from sarkit.dates import format_time
from sarkit.entries import Entry
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS
from sarkit.formats.mark import GENERATOR, csv_comment
from sarkit.output.safe_text import TextCleaner, csv_safe


def chronology_rows(collation: Collation) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the Chronology sheet as text (pseudonyms applied)."""
    clean = TextCleaner(collation.review.pseudonyms)
    extras: list[str] = []
    for entry in collation.entries:
        extras.extend(name for name in entry.extras if name not in extras)
    labels = {a.name: a.label for a in collation.agencies}
    header = [*CHRONOLOGY_COLUMNS, *extras, "Sort Date", "End Date", "End Time"]
    rows = [_row(entry, labels, extras, clean) for entry in collation.entries]
    return header, rows


def _row(entry: Entry, labels: dict[str, str], extras: list[str], clean: TextCleaner) -> list[str]:
    return [
        entry.ref, entry.date.display(), format_time(entry.time) if entry.time else "",
        labels.get(entry.agency, entry.agency), clean(entry.source), clean(entry.event),
        clean(entry.action), clean(entry.practitioner), clean(entry.analysis),
        {True: "Y", False: "N", None: ""}[entry.key_event], "; ".join(entry.flags),
        clean(entry.agency_ref), clean(Path(entry.file).name), str(entry.row),
        *(clean(entry.extras.get(name, "")) for name in extras),
        entry.date.start.isoformat(),
        entry.end_date.display() if entry.end_date else "",
        format_time(entry.end_time) if entry.end_time else "",
    ]


def write_chronology_csv(collation: Collation, path: Path) -> None:
    """UTF-8 with BOM (so Excel reads it right), a first line `# Made by sarkit …` (sarkit's
    mark); cells starting = + - @ get a leading '."""
    header, rows = chronology_rows(collation)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(csv_comment() + "\r\n")
        writer = csv.writer(handle)
        writer.writerow([csv_safe(cell) for cell in header])
        for row in rows:
            writer.writerow([csv_safe(cell) for cell in row])


def write_chronology_json(collation: Collation, path: Path) -> None:
    """{"generator": "sarkit …", "account": {...}, "entries": [objects keyed by the column
    headings]}: sarkit's mark, the closing account, the chronology."""
    header, rows = chronology_rows(collation)
    data = {"generator": GENERATOR, "account": collation.account.to_json(),
            "entries": [dict(zip(header, row, strict=True)) for row in rows]}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
