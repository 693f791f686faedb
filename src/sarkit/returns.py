"""Reading one return end to end: file -> raw tables -> validated entries and findings.

INTERFACE STUB — being implemented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sarkit.entries import Entry
from sarkit.findings import Finding
from sarkit.review import Review
from sarkit.schema import Schema


@dataclass(slots=True)
class ReturnResult:
    """What became of one input file."""

    path: str
    agency: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    entries: list[Entry] = field(default_factory=list)
    rejected_rows: int = 0
    findings: list[Finding] = field(default_factory=list)
    sha256: str = ""
    nil: bool = False
    skipped: bool = False
    glossary: list[tuple[str, str]] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ReadOptions:
    """Everything reading and validating a return depends on besides the file."""

    review: Review = field(default_factory=Review)
    schema: Schema | None = None  # None: the packaged Appendix 8b schema
    mapping: dict[str, str] = field(default_factory=dict)  # normalised header -> field key
    agency: str | None = None  # --agency
    show_values: bool = False
    today: dt.date | None = None
    passwords: dict[str, str] = field(default_factory=dict)  # file name -> password; "*" any


def read_return(path: Path, options: ReadOptions) -> ReturnResult:
    """Read, find the chronology, validate; never raises for a bad file (findings instead)."""
    raise NotImplementedError


def read_returns(paths: list[Path], options: ReadOptions, *, progress=None) -> list[ReturnResult]:
    """Expand folders, skip junk, read every return (in parallel), flag duplicate files."""
    raise NotImplementedError
