"""Reading one return end to end: file -> raw tables -> validated entries and findings.

INTERFACE STUB — being implemented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sarkit.entries import Entry
from sarkit.findings import Finding


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
