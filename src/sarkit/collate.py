"""Merging validated returns into one ordered, numbered chronology.

INTERFACE STUB — being implemented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sarkit.analysis import Analysis
from sarkit.entries import Entry
from sarkit.findings import Finding
from sarkit.returns import ReturnResult
from sarkit.review import Review


@dataclass(slots=True)
class AgencySummary:
    """One row of the Agencies sheet."""

    name: str
    label: str
    returns: int = 0
    entries: int = 0
    first: dt.date | None = None
    last: dt.date | None = None
    errors: int = 0
    warnings: int = 0
    nil: bool = False
    missing: bool = False
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256)


@dataclass(slots=True)
class Collation:
    """The combined chronology and everything said about it."""

    review: Review
    entries: list[Entry]  # sorted, refs C0001…, flags set
    results: list[ReturnResult]
    findings: list[Finding]  # every finding of every file, plus cross-file ones
    agencies: list[AgencySummary]  # in agency order (review.toml order, then by name)
    analysis: Analysis

    @property
    def agency_order(self) -> list[str]:
        return [a.name for a in self.agencies]


def collate(
    results: list[ReturnResult],
    review: Review,
    *,
    gap_days: int | None = None,
    window_days: int | None = None,
) -> Collation:
    """Merge, order and number every valid entry; run the analysis; summarise agencies."""
    raise NotImplementedError
