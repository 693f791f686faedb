"""Gaps and overlaps for people (rich tables) and for other tools (CSV); JSON is analysis_to_json."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sarkit.account import Account
from sarkit.analysis import NONE_RECORDED, RETURN_KINDS, Analysis, Gap
from sarkit.entries import Entry
from sarkit.output.safe_text import csv_safe
from sarkit.output.terminal import inert
from sarkit.questions import longest_first
from sarkit.review import Review
from sarkit.wording import day, plural

CSV_COLUMNS = (
    "section", "id", "kind", "agency", "agencies", "start", "end", "days", "before_ref",
    "after_ref", "others_active", "others_entries", "refs", "communication", "similarity",
)
REFS_SHOWN = 8  # refs listed per overlap in the terminal; the rest are counted


@dataclass(slots=True)
class GapsReport:
    """Everything the gaps outputs show: the chronology, its analysis and how to name agencies."""

    review: Review
    entries: Sequence[Entry]
    analysis: Analysis
    agency_order: list[str]  # full names: review.toml order, then by name (as collate orders them)
    labels: dict[str, str] = field(default_factory=dict)  # full name -> short name
    gap_days: int = 28
    window_days: int = 0
    agency: str | None = None  # --agency: the analysis is narrowed to this agency
    account: Account = field(default_factory=Account)  # what is missing, unusable or rejected

    def label(self, name: str | None) -> str:
        if not name:
            return ""
        return self.labels.get(name) or self.review.label(name)


def narrow(analysis: Analysis, agency: str) -> Analysis:
    """One agency's view: its own gaps, the all-agency gaps (its silences too), its missing
    return, and the overlaps and possible duplicates it is part of."""
    return Analysis(
        gaps=[g for g in analysis.gaps if g.kind == "all-agency" or g.agency == agency],
        overlaps=[o for o in analysis.overlaps if agency in o.agencies],
        duplicates=[d for d in analysis.duplicates if agency in d.agencies],
        missing_returns=[m for m in analysis.missing_returns if m == agency],
        unusable_returns=[m for m in analysis.unusable_returns if m == agency],
    )


def others_text(gap: Gap) -> str:
    """'3 agencies, 14 entries' for an agency gap; blank for the others."""
    if gap.kind != "agency":
        return ""
    if not gap.others_active:
        return "none"
    return f"{gap.others_active} ({plural(gap.others_entries, 'entry', 'entries')})"


def summary_line(report: GapsReport) -> str:
    """'3 gaps (1 all-agency, 2 agency), 2 overlaps (1 with no recorded communication), …'"""
    analysis = report.analysis
    silences = [g for g in analysis.gaps if g.kind not in RETURN_KINDS]
    all_agency = sum(1 for g in silences if g.kind == "all-agency")
    silent = sum(1 for o in analysis.overlaps if o.communication == NONE_RECORDED)

    parts = [
        plural(len(silences), "gap", "gaps")
        + (f" ({all_agency} all-agency, {len(silences) - all_agency} agency)" if silences else ""),
        plural(len(analysis.overlaps), "overlap", "overlaps")
        + (f" ({silent} with no recorded communication)" if analysis.overlaps else ""),
        plural(len(analysis.duplicates), "possible duplicate", "possible duplicates"),
        plural(len(analysis.missing_returns), "missing return", "missing returns"),
        plural(len(analysis.unusable_returns), "unusable return", "unusable returns"),
    ]
    scope = f" for {report.label(report.agency)}" if report.agency else ""
    return (f"{', '.join(parts)}{scope} (gaps of {report.gap_days} days or more, overlap window "
            f"{report.window_days} days, {len(report.entries)} entries).")


def print_report(report: GapsReport, console: Console) -> None:
    """The tables an analyst reads at a glance, then the one-line summary."""
    analysis = report.analysis
    gaps = longest_first(analysis.gaps)
    if gaps:
        table = _table(f"Gaps in service provision ({report.gap_days} days or more), longest first")
        table.add_column("Kind", no_wrap=True)
        table.add_column("Agency", overflow="fold")
        table.add_column("From", no_wrap=True)
        table.add_column("To", no_wrap=True)
        table.add_column("Days", justify="right", no_wrap=True)
        table.add_column("Between", no_wrap=True)
        table.add_column("Others active", overflow="fold")
        for gap in gaps:
            between = f"{gap.before_ref or 'start'}–{gap.after_ref or 'end'}"
            table.add_row(gap.kind, inert(report.label(gap.agency) or "all"), day(gap.start),
                          day(gap.end), str(gap.days), between, others_text(gap))
        console.print(table)
    if analysis.overlaps:
        window = "same day" if report.window_days == 0 else f"within {report.window_days} days"
        table = _table(f"Cross-agency overlaps ({window})")
        table.add_column("Id", no_wrap=True)
        table.add_column("From", no_wrap=True)
        table.add_column("To", no_wrap=True)
        table.add_column("Agencies")
        table.add_column("Refs")
        table.add_column("Communication")
        for overlap in analysis.overlaps:
            refs = ", ".join(overlap.refs[:REFS_SHOWN])
            if len(overlap.refs) > REFS_SHOWN:
                refs += f" … and {len(overlap.refs) - REFS_SHOWN} more"
            silent = overlap.communication == NONE_RECORDED
            table.add_row(
                overlap.id, day(overlap.start), day(overlap.end),
                inert(", ".join(report.label(a) for a in overlap.agencies)), refs,
                Text(overlap.communication, style="bold red" if silent else "green"),
            )
        console.print(table)
    if analysis.duplicates:
        table = _table("Possible duplicates (the same event recorded by two agencies?)")
        table.add_column("Date", no_wrap=True)
        for name in ("Refs", "Agencies", "Similarity"):
            table.add_column(name)
        for duplicate in analysis.duplicates:
            table.add_row(day(duplicate.date), " and ".join(duplicate.refs),
                          inert(" and ".join(report.label(a) for a in duplicate.agencies)),
                          f"{duplicate.similarity:.0%}")
        console.print(table)
    if analysis.missing_returns:
        names = ", ".join(report.label(name) for name in analysis.missing_returns)
        console.print(f"[bold]Missing returns[/bold] (listed in review.toml, no return received): "
                      f"{inert(names)}", highlight=False)
    if analysis.unusable_returns:
        names = ", ".join(report.label(name) for name in analysis.unusable_returns)
        console.print(f"[bold]Unusable returns[/bold] (received, nothing could be read): "
                      f"{inert(names)}", highlight=False)
    console.print(inert(summary_line(report)), highlight=False, soft_wrap=True)


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                 pad_edge=False, expand=False)


def csv_rows(report: GapsReport) -> list[dict[str, object]]:
    """One table: a row per gap, overlap, possible duplicate and missing return."""
    analysis = report.analysis
    rows: list[dict[str, object]] = []
    for gap in analysis.gaps:
        if gap.kind in RETURN_KINDS:
            continue
        agency_gap = gap.kind == "agency"
        rows.append({
            "section": "gap", "kind": gap.kind, "agency": gap.agency or "",
            "start": _iso(gap.start), "end": _iso(gap.end), "days": gap.days,
            "before_ref": gap.before_ref or "", "after_ref": gap.after_ref or "",
            "others_active": gap.others_active if agency_gap else "",
            "others_entries": gap.others_entries if agency_gap else "",
        })
    for overlap in analysis.overlaps:
        rows.append({
            "section": "overlap", "id": overlap.id, "agencies": "; ".join(overlap.agencies),
            "start": _iso(overlap.start), "end": _iso(overlap.end),
            "days": (overlap.end - overlap.start).days + 1, "refs": " ".join(overlap.refs),
            "communication": overlap.communication,
        })
    for number, duplicate in enumerate(analysis.duplicates, start=1):
        rows.append({
            "section": "duplicate", "id": f"D{number}", "agencies": "; ".join(duplicate.agencies),
            "start": _iso(duplicate.date), "end": _iso(duplicate.date),
            "refs": " ".join(duplicate.refs), "similarity": duplicate.similarity,
        })
    for name in analysis.missing_returns:
        rows.append({"section": "missing-return", "kind": "missing-return", "agency": name})
    for name in analysis.unusable_returns:
        rows.append({"section": "unusable-return", "kind": "unusable-return", "agency": name})
    return rows


def write_csv(report: GapsReport, handle: TextIO) -> None:
    """CSV with a `section` column (gap, overlap, duplicate, missing-return, unusable-return);
    dates ISO; a cell
    starting with = + - @ gets a leading ' so no spreadsheet runs it."""
    writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({key: csv_safe(str(row.get(key, ""))) for key in CSV_COLUMNS})


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""
