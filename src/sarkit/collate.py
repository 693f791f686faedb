"""Merging validated returns into one ordered, numbered chronology: the one place sort order is decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from sarkit.account import Account, account_for
from sarkit.dates import Precision
from sarkit.entries import Entry, ReturnResult, repeat_key
from sarkit.findings import Finding, Severity, count, finding
from sarkit.refs import AgencyChange, RefMap, number_entries, place_keys
from sarkit.review import Review

if TYPE_CHECKING:  # the analysis (and numpy) is imported when a chronology is collated
    from sarkit.analysis import Analysis

PRECISION_RANK = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}


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
    missing: bool = False  # nothing was received
    unusable: bool = False  # something was received, nothing could be used
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256)
    received: list[str] = field(default_factory=list)  # how returns came: email sender, date, subject


@dataclass(slots=True)
class Collation:
    """The combined chronology and everything said about it."""

    review: Review
    entries: list[Entry]  # sorted, refs C0001…, flags set
    results: list[ReturnResult]
    findings: list[Finding]  # every finding of every file, plus cross-file ones
    agencies: list[AgencySummary]  # in agency order (review.toml order, then by name)
    analysis: Analysis
    account: Account
    gap_days: int = 28
    window_days: int = 0
    ref_map: RefMap = field(default_factory=RefMap)  # identity -> ref, for the next run
    changes: list[AgencyChange] = field(default_factory=list)  # since the previous run's map

    @property
    def agency_order(self) -> list[str]:
        return [a.name for a in self.agencies]

    @property
    def rejected_rows(self) -> int:
        return sum(r.rejected_rows for r in self.results)


def agency_order(review: Review, names: set[str]) -> list[str]:
    """review.toml's agencies first, in its order, then any others by name."""
    listed = [a.name for a in review.agencies]
    return listed + sorted(names - set(listed), key=str.casefold)


def sort_key(entry: Entry, agency_rank: dict[str, int], file_rank: dict[str, int]) -> tuple:
    """Date, then coarser precision first, untimed before timed, agency order, author's order."""
    return (
        entry.date.start,
        PRECISION_RANK[entry.date.precision],
        entry.time is not None,
        entry.time or dt.time(),
        agency_rank.get(entry.agency, len(agency_rank)),
        file_rank.get(entry.file, 0),
        entry.order,
    )


def collate(
    results: list[ReturnResult],
    review: Review,
    *,
    gap_days: int | None = None,
    window_days: int | None = None,
    refs: RefMap | None = None,
    repeats_dropped: bool = False,
) -> Collation:
    """Merge, order and number every valid entry; run the analysis; summarise agencies.

    With `refs` (the previous run's map) an entry seen before keeps its ref and new ones are
    numbered after the highest ever used (sarkit.refs); without, refs run C0001… in order.
    `repeats_dropped`: `drop_repeats` has been run on these results (as `read_checked` does)."""
    from sarkit.analysis import analyse, flags_for

    gap_days = review.gap_days if gap_days is None else gap_days
    window_days = review.overlap_window_days if window_days is None else window_days
    if not repeats_dropped:
        drop_repeats(results)
    findings: list[Finding] = [f for r in results for f in r.findings]
    entries = [e for r in results if not r.skipped for e in r.entries]
    account = account_for(results, review, len(entries))
    received = {name for r in results if not r.skipped
                for name in (*r.agencies, *([r.agency] if r.agency else []))}
    names = {e.agency for e in entries} | received
    order = agency_order(review, names)
    agency_rank = {name: i for i, name in enumerate(order)}
    file_rank = {r.path: i for i, r in enumerate(results)}
    entries.sort(key=lambda e: sort_key(e, agency_rank, file_rank))
    sha256 = {r.path: r.sha256 for r in results if r.sha256}
    ref_map, changes = number_entries(entries, refs, place_keys(entries, sha256))
    unusable = account.unusable_agencies()
    analysis = analyse(
        entries, agencies=review.agencies, returned=sorted(received),
        period=(review.period_start, review.period_end), gap_days=gap_days,
        window_days=window_days, unusable=unusable,
    )
    flags = flags_for(entries, analysis)
    corrected = corrected_cells(findings)
    for entry in entries:
        entry.flags = list(flags.get(entry.ref, ()))
        if entry.end_date is not None:
            entry.flags.append(f"until {entry.end_date.display()}")
        cells = corrected.get((entry.file, entry.sheet, entry.row))
        if cells:
            entry.flags.append(f"corrected {', '.join(cells)} (see Corrections)")
    return Collation(
        review=review, entries=entries, results=results, findings=findings,
        agencies=_summaries(order, entries, results, review, set(unusable)),
        analysis=analysis, account=account, gap_days=gap_days, window_days=window_days,
        ref_map=ref_map, changes=changes,
    )


def corrected_cells(findings: list[Finding]) -> dict[tuple[str, str, int], list[str]]:
    """(file, sheet, row) -> the cells corrected through corrections.toml in that row."""
    cells: dict[tuple[str, str, int], list[str]] = {}
    for f in findings:
        if f.code == "corrected-cell" and f.sheet and f.row and f.cell:
            cells.setdefault((f.file, f.sheet, f.row), []).append(f.cell)
    return cells


def drop_repeats(results: list[ReturnResult]) -> None:
    """An entry repeated in another file, for the same agency, is collated once: the repeat (the
    same in every column a reader sees, see `repeat_key`; a row changed in any column is kept)
    is taken out of its file and reported there as `duplicate-row`, whatever file it came through
    (a second return, a trust's return whose Agency column names the agency, a copy of the
    combined chronology). The entry of a file that is the agency's own return is kept first. Running it
    twice changes nothing, so validate and collate report the same findings."""
    seen: dict[tuple, Entry] = {}
    live = [r for r in results if not r.skipped]
    own = {r.path: {*r.agencies, *([r.agency] if r.agency else [])} for r in live}
    for entry in [e for r in live for e in r.entries if e.agency in own[r.path]] + [
            e for r in live for e in r.entries if e.agency not in own[r.path]]:
        seen.setdefault(repeat_key(entry), entry)
    for result in live:
        kept = []
        for entry in result.entries:
            first = seen[repeat_key(entry)]
            if first is not entry and first.file != entry.file:
                said = finding(
                    "duplicate-row", entry.file,
                    f"Row {entry.row} repeats row {first.row} of {first.file} (an entry of the "
                    f"same agency, {entry.agency}, in another file); it is collated once.",
                    sheet=entry.sheet, row=entry.row,
                )
                said.agency_words = (_repeat_for_agency(entry, first, own), "Nothing to do.")
                result.findings.append(said)
                result.repeated_rows += 1
                continue
            kept.append(entry)
        result.entries = kept


def _repeat_for_agency(entry: Entry, first: Entry, own: dict[str, set[str]]) -> str:
    """A cross-file duplicate-row in the words of a letter to the agency that sent `entry`'s
    file: another file of its own is named; another agency's file is not."""
    theirs = own.get(first.file, set())
    if entry.agency in own.get(entry.file, set()) and entry.agency in theirs:
        name = PurePath(first.file.rsplit(" › ", 1)[-1]).name  # an attachment's own name
        return (f"Row {entry.row} is the same entry as row {first.row} of {name}, another file you "
                "sent us; we included it once.")
    if entry.agency in theirs:
        return (f"Row {entry.row} is an entry of {entry.agency}, and the same entry is in "
                f"{entry.agency}'s own return; we included it once.")
    return f"Row {entry.row} is the same entry as one in another return we received; we included it once."


def describe_provenance(provenance: dict[str, str]) -> str:
    """'Email from x on 03/03/2026 10:00, subject "…"' for a return that came in an email."""
    parts = []
    if provenance.get("email_from"):
        parts.append(f"from {provenance['email_from']}")
    if provenance.get("email_date"):
        parts.append(f"on {provenance['email_date']}")
    if provenance.get("email_subject"):
        parts.append(f'subject "{provenance["email_subject"]}"')
    return "Email " + ", ".join(parts) if parts else ""


def _summaries(
    order: list[str], entries: list[Entry], results: list[ReturnResult], review: Review,
    unusable: set[str],
) -> list[AgencySummary]:
    by_name = {name: AgencySummary(name=name, label=review.label(name)) for name in order}
    for entry in entries:
        summary = by_name[entry.agency]
        summary.entries += 1
        if not entry.is_note:
            summary.first = min(summary.first or entry.date.start, entry.date.start)
            summary.last = max(summary.last or entry.date.start, entry.date.start)
    for result in results:
        if result.skipped:
            continue
        for name in set(result.agencies) | ({result.agency} if result.agency else set()):
            summary = by_name.get(name)
            if summary is None:
                continue
            summary.returns += 1
            summary.files.append((result.path, result.sha256))
            if result.provenance:
                summary.received.append(describe_provenance(result.provenance))
            summary.nil = summary.nil or result.nil
            summary.errors += count(result.findings, Severity.ERROR)
            summary.warnings += count(result.findings, Severity.WARNING)
    for summary in by_name.values():
        summary.nil = summary.nil and summary.entries == 0
        summary.missing = summary.returns == 0
        summary.unusable = summary.name in unusable
    return list(by_name.values())
