"""Gaps in service provision and cross-agency overlaps: pure functions on entries.

INTERFACE STUB — being implemented. The signatures and result types below are the contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sarkit.entries import Entry
from sarkit.review import Agency


@dataclass(frozen=True, slots=True)
class Gap:
    """A run of silent days. kind: 'all-agency' | 'agency' | 'missing-return'."""

    kind: str
    agency: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    days: int | None = None
    before_ref: str | None = None  # the entry before the gap (None at the review's start)
    after_ref: str | None = None  # the entry after the gap (None at the review's end)
    others_active: int = 0  # other agencies that recorded something inside an agency gap
    others_entries: int = 0  # and how many entries they recorded there


@dataclass(frozen=True, slots=True)
class Overlap:
    """Entries of two or more agencies within the window of each other (single linkage)."""

    id: str  # O1, O2… in date order
    start: dt.date
    end: dt.date
    agencies: tuple[str, ...]
    refs: tuple[str, ...]
    communication: str  # 'recorded' | 'none recorded'


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    """Same-day entries of two agencies whose texts are near-identical."""

    date: dt.date
    refs: tuple[str, str]
    agencies: tuple[str, str]
    similarity: float


@dataclass(slots=True)
class Analysis:
    gaps: list[Gap] = field(default_factory=list)
    overlaps: list[Overlap] = field(default_factory=list)
    duplicates: list[PossibleDuplicate] = field(default_factory=list)
    missing_returns: list[str] = field(default_factory=list)


def analyse(
    entries: Sequence[Entry],
    *,
    agencies: Sequence[Agency] = (),
    returned: Sequence[str] = (),
    period: tuple[dt.date | None, dt.date | None] = (None, None),
    gap_days: int = 28,
    window_days: int = 0,
) -> Analysis:
    """Everything `sarkit gaps` and the combined workbook show.

    `entries` carry refs; `agencies` are review.toml's; `returned` the agencies that sent a
    return (nil returns included) so the rest are missing returns.
    """
    raise NotImplementedError
