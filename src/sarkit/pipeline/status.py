"""`sarkit status`'s use case: read the returns received so far and track each agency."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sarkit.dates import DateError, parse_date
from sarkit.pipeline.chronology import AnalysedChronology, from_returns
from sarkit.returns import ReadOptions, expand_paths
from sarkit.tracker import AgencyStatus, track


def received_on(chronology: AnalysedChronology) -> dict[str, dt.date]:
    """When each return arrived: the email's date for an attachment, else the file's date."""
    days: dict[str, dt.date] = {}
    for result in chronology.collation.results:
        sent = result.provenance.get("email_date", "")
        try:
            parsed, _ = parse_date(sent.split(" ")[0]) if sent else (None, None)
        except DateError:
            parsed = None
        if parsed is not None:
            days[result.path] = parsed.start
            continue
        try:
            stamp = Path(result.source or result.path).stat().st_mtime
        except (OSError, ValueError):  # ValueError: a name the file system encoding cannot take
            continue
        days[result.path] = dt.datetime.fromtimestamp(stamp).date()
    return days


def returns_status(paths: list[Path], options: ReadOptions,
                   as_of: dt.date) -> tuple[AnalysedChronology, list[AgencyStatus]]:
    """Every return read and collated in memory, and each agency's state on `as_of`."""
    existing = [p for p in paths if Path(p).exists()]
    files = expand_paths(existing) if existing else []
    chronology = from_returns(existing, options, files=files)
    return chronology, track(chronology.collation, as_of, received_on(chronology))
