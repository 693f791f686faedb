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
from sarkit.questions import longest_first, no_return_reason, trail_line
from sarkit.review import Review
from sarkit.wording import day, plural

CSV_COLUMNS = (
    "section", "id", "kind", "agency", "agencies", "start", "end", "days", "before_ref",
    "after_ref", "others_active", "others_entries", "refs", "communication", "similarity",
    "words", "answer_words", "count",
)
REFS_SHOWN = 8  # refs listed per overlap in the terminal; the rest are counted
TOP_ROWS = 15  # rows of each table shown in the terminal; the rest are counted
MORE = "… and {count} more (--format csv for all)"


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
    settings_note: str = ""  # a combined workbook analysed with other settings than its own

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
        trails=[t for t in analysis.trails if agency in (t.from_agency, t.to_agency)],
        patterns=[p for p in analysis.patterns if p.agency == agency],
        referral_window_days=analysis.referral_window_days,
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

    unanswered = sum(1 for t in analysis.trails if not t.answered)
    parts = [
        plural(len(analysis.trails), "referral trail", "referral trails")
        + (f" ({unanswered} with no answer within {analysis.referral_window_days} days)"
           if analysis.trails else ""),
        plural(len(silences), "gap", "gaps")
        + (f" ({all_agency} all-agency, {len(silences) - all_agency} agency)" if silences else ""),
        plural(len(analysis.overlaps), "overlap", "overlaps")
        + (f" ({silent} with no recorded communication)" if analysis.overlaps else ""),
        plural(len(analysis.duplicates), "possible duplicate", "possible duplicates"),
        plural(len(analysis.missing_returns), "missing return", "missing returns"),
        plural(len(analysis.unusable_returns), "agency", "agencies") + " without a usable return",
    ]
    scope = f" for {report.label(report.agency)}" if report.agency else ""
    return (f"{', '.join(parts)}{scope} (gaps of {report.gap_days} days or more, overlap window "
            f"{report.window_days} days, {len(report.entries)} entries).")


def print_report(report: GapsReport, console: Console, *, rows: int = TOP_ROWS) -> None:
    """The summary, then the top `rows` of each table (unanswered referrals, gaps longest first,
    overlaps with no recorded communication first, possible duplicates, patterns), each with
    how many more there are, then the summary again. Agency names wrap between words only."""
    analysis = report.analysis
    console.print(inert(summary_line(report)), highlight=False, soft_wrap=True)
    word = _longest_word(report)
    if analysis.trails:
        unanswered = [t for t in analysis.trails if not t.answered]
        console.print()
        console.print(f"[bold]Referral trails with no answer within {analysis.referral_window_days} "
                      f"days[/bold] ({len(unanswered)} of {len(analysis.trails)})", highlight=False)
        for trail in unanswered[:rows]:
            console.print(inert(trail_line(trail, report.label, analysis.referral_window_days)),
                          highlight=False)
        _more(console, len(unanswered) - rows)
    gaps = longest_first(analysis.gaps)
    if gaps:
        table = _table(f"Gaps in service provision ({report.gap_days} days or more), longest first")
        table.add_column("Agency", min_width=word)
        table.add_column("From", no_wrap=True)
        table.add_column("To", no_wrap=True)
        table.add_column("Days", justify="right", no_wrap=True)
        table.add_column("Between", no_wrap=True)
        table.add_column("Others active", min_width=6)
        for gap in gaps[:rows]:
            between = f"{gap.before_ref or 'start'}–{gap.after_ref or 'end'}"
            who = (Text("all agencies", style="bold") if gap.kind == "all-agency"
                   else Text(inert(report.label(gap.agency))))
            table.add_row(who, day(gap.start), day(gap.end), str(gap.days), between,
                          others_text(gap))
        console.print(table)
        _more(console, len(gaps) - rows)
    if analysis.overlaps:
        window = "same day" if report.window_days == 0 else f"within {report.window_days} days"
        silent = [o for o in analysis.overlaps if o.communication == NONE_RECORDED]
        shown = (silent + [o for o in analysis.overlaps if o.communication != NONE_RECORDED])[:rows]
        table = _table(f"Cross-agency overlaps ({window}), no recorded communication first")
        table.add_column("Id", no_wrap=True)
        table.add_column("From", no_wrap=True)
        table.add_column("To", no_wrap=True)
        table.add_column("Agencies", min_width=word)
        table.add_column("Refs")
        table.add_column("Communication", min_width=8)
        for overlap in shown:
            refs = ", ".join(overlap.refs[:REFS_SHOWN])
            if len(overlap.refs) > REFS_SHOWN:
                refs += f" … and {len(overlap.refs) - REFS_SHOWN} more"
            quiet = overlap.communication == NONE_RECORDED
            verdict = overlap.communication + "".join(f" ({e.ref})" for e in overlap.evidence)
            table.add_row(
                overlap.id, day(overlap.start), day(overlap.end),
                inert(", ".join(report.label(a) for a in overlap.agencies)), refs,
                Text(verdict, style="bold red" if quiet else "green"),
            )
        console.print(table)
        _more(console, len(analysis.overlaps) - rows)
    if analysis.duplicates:
        table = _table("Possible duplicates (the same event recorded by two agencies?)")
        table.add_column("Date", no_wrap=True)
        table.add_column("Refs")
        table.add_column("Agencies", min_width=word)
        table.add_column("Similarity")
        for duplicate in analysis.duplicates[:rows]:
            table.add_row(day(duplicate.date), " and ".join(duplicate.refs),
                          inert(" and ".join(report.label(a) for a in duplicate.agencies)),
                          f"{duplicate.similarity:.0%}")
        console.print(table)
        _more(console, len(analysis.duplicates) - rows)
    if analysis.patterns:
        totals: dict[tuple[str, str], list[int]] = {}
        for count in analysis.patterns:
            slot = totals.setdefault((count.kind, count.agency), [0, 0])
            slot[0] += count.count
            slot[1] += 1
        table = _table("Patterns (recurring kinds of event)")
        table.add_column("Kind of event")
        table.add_column("Agency", min_width=word)
        table.add_column("Entries", justify="right", no_wrap=True)
        table.add_column("Months", justify="right", no_wrap=True)
        for (kind, agency), (entries, months) in list(totals.items())[:rows]:
            table.add_row(kind, inert(report.label(agency)), str(entries), str(months))
        console.print(table)
        _more(console, len(totals) - rows)
    if analysis.missing_returns:
        names = ", ".join(report.label(name) for name in analysis.missing_returns)
        console.print(f"[bold]Missing returns[/bold] (listed in review.toml, no return received): "
                      f"{inert(names)}", highlight=False)
    if analysis.unusable_returns:
        names = ", ".join(report.label(name) for name in analysis.unusable_returns)
        console.print(f"[bold]Unusable returns[/bold] (received, nothing could be read): "
                      f"{inert(names)}", highlight=False)
    console.print(inert(summary_line(report)), highlight=False, soft_wrap=True)


def _more(console: Console, count: int) -> None:
    if count > 0:
        console.print(MORE.format(count=f"{count:,}"), highlight=False)


def _longest_word(report: GapsReport) -> int:
    """The longest word of any agency's short name (at most 20): an agency column at least this
    wide never breaks a name inside a word."""
    words = [w for name in report.agency_order for w in report.label(name).split()]
    return min(20, max(map(len, words), default=4))


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
    for trail in analysis.trails:
        rows.append({
            "section": "trail", "id": trail.id,
            "kind": "answered" if trail.answered else "unanswered",
            "agency": trail.from_agency, "agencies": f"{trail.from_agency}; {trail.to_agency}",
            "start": _iso(trail.date), "end": _iso(trail.answer_date or trail.next_date),
            "days": "" if trail.days is None else trail.days, "before_ref": trail.ref,
            "after_ref": trail.answer_ref or trail.next_ref or "",
            "refs": " ".join(r for r in (trail.ref, trail.answer_ref) if r),
            "communication": ("answered" if trail.answered else
                              f"no answer: {no_return_reason(trail.no_return, trail.to_agency)}"
                              if trail.no_return else "no answer"),
            "words": trail.words, "answer_words": trail.answer_words,
        })
    for overlap_row, overlap in zip([r for r in rows if r["section"] == "overlap"],
                                    analysis.overlaps, strict=True):
        overlap_row["words"] = " | ".join(f"{e.ref}: {e.words}" for e in overlap.evidence)
    for count in analysis.patterns:
        rows.append({
            "section": "pattern", "kind": count.kind, "agency": count.agency,
            "start": _iso(count.month), "end": "", "refs": " ".join(count.refs),
            "count": count.count,
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
    """CSV with a `section` column (gap, overlap, trail, pattern, duplicate, missing-return,
    unusable-return); dates ISO; a cell
    starting with = + - @ gets a leading ' so no spreadsheet runs it."""
    writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({key: csv_safe(str(row.get(key, ""))) for key in CSV_COLUMNS})


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""
