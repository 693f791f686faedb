"""The workshop pack: one self-contained HTML file that is the workshop's agenda.

It opens with what the workshop needs (terms of reference, what the chronology lacks, the key
events, the questions in priority order with room for the answers), then the evidence: a
swimlane timeline whose marks link to their entries, referral trails, patterns, gaps, overlaps
(with the words that made each verdict) and the entries themselves.

Everything is inline (CSS, SVG); nothing is fetched, so the file can be emailed, opened offline
and printed (A4 landscape). The timeline draws one mark per agency per day, sized by the number
of entries that day, and the tables list a bounded number of entries, so a 100,000-entry review
still gives a small file that a browser opens at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from sarkit import __version__
from sarkit.account import caveats, identifier_lines
from sarkit.analysis import NONE_RECORDED, RETURN_KINDS, Gap, Trail
from sarkit.dates import Precision
from sarkit.entries import Entry
from sarkit.output.analysis_report import GapsReport
from sarkit.output.colours import agency_colours, agency_mark_colours
from sarkit.output.entry_time import time_shown
from sarkit.output.safe_text import TextCleaner
from sarkit.questions import Namer, Question, longest_first, trail_outcome, when, workshop_agenda
from sarkit.textfile import read_user_text
from sarkit.wording import day, plural

TEMPLATE = "workshop.html.j2"

# Bounds that keep the pack small and quick to open however large the review.
ROWS_PER_OVERLAP = 10  # entries listed under each overlap
OVERLAP_ROWS_BUDGET = 1500  # entries listed under overlaps in all
OVERLAPS_LISTED = 300  # overlaps listed in the table (all are drawn on the timeline)
AGENDA_LIMIT = 150  # questions on the agenda; the rest are counted
TRAILS_LISTED = 300  # referral trails listed (unanswered first)
ENTRIES_LISTED = 2000  # a review with more entries lists only those the pack points to
PATTERN_MARKS = 3000  # pattern marks drawn on the timeline at most
KEY_EVENTS_LISTED = 200  # key events in the opening table; the rest are counted
TEXT_LIMIT = 600  # characters of an entry's text shown in a table
TOOLTIP_LIMIT = 4000  # marks and bands carry a hover text only up to this many of them

# Timeline geometry (SVG user units; the SVG scales to the page width).
WIDTH = 1500
LABEL_WIDTH = 180
LABEL_CHARS = 22  # a longer lane label is cut (the full name shows on hover)
RIGHT_PAD = 16
TOP = 50  # room for one row of overlap labels and the month axis (more rows push it down)
LABEL_ROW = 13  # height of a row of overlap labels
LABEL_CHAR = 7.2  # width of a character of an overlap label (10.5px bold), generously
LABEL_GAP = 6  # space between two labels in a row
LANE_HEIGHT = 34
BOTTOM = 26
PLOT_LEFT = LABEL_WIDTH
PLOT_RIGHT = WIDTH - RIGHT_PAD
MIN_BAND = 2.0  # an overlap band is never thinner than this
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)


# --------------------------------------------------------------------------------------------
# The view model


@dataclass(slots=True)
class EntryRow:
    ref: str
    date: str
    time: str
    agency: str
    tint: str  # CSS class of the agency's colour (a0, a1…), as in the combined workbook
    source: str
    event: str
    action: str


@dataclass(slots=True)
class GapRow:
    kind: str
    agency: str
    tint: str
    start: str
    end: str
    days: int
    others: str
    before: EntryRow | None
    after: EntryRow | None


@dataclass(slots=True)
class OverlapRow:
    id: str
    start: str
    end: str
    agencies: list[tuple[str, str]]  # (label, tint)
    communication: str
    silent: bool
    entry_count: int
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (ref, words)
    looked_for: str = ""
    entries: list[EntryRow] = field(default_factory=list)
    more: int = 0  # entries not listed under this overlap


@dataclass(slots=True)
class TrailRow:
    id: str
    date: str
    sender: tuple[str, str]  # (label, tint)
    receiver: tuple[str, str]
    ref: str
    words: str
    answered: bool
    outcome: str
    answer_ref: str
    answer_words: str


@dataclass(slots=True)
class PatternRow:
    kind: str
    agency: str
    tint: str
    total: int
    months: str  # 'Jan 2025: 2, Mar 2025: 1'


@dataclass(slots=True)
class AgendaItem:
    number: int
    kind: str
    heading: str
    text: str
    refs: list[str]


AGENDA_HEADINGS = {
    "all-agency-gap": "No agency in contact", "trail": "Referral not answered",
    "overlap": "Possible missed communication", "missing-return": "Missing return",
    "unusable-return": "Unusable return", "agency-gap": "Gaps in one agency's contact",
    "duplicates": "Possible duplicates",
}


@dataclass(slots=True)
class AgencyRow:
    name: str
    label: str
    tint: str
    colour: str  # light background, as in the combined workbook
    mark: str  # strong colour of its marks on the timeline
    entries: int
    first: str
    last: str
    status: str  # '', 'nil return', 'missing return', 'unusable return'


def build_context(report: GapsReport, *, made: dt.datetime | None = None) -> dict[str, object]:
    """Everything the template shows, as plain values (text is escaped by the template)."""
    review = report.review
    clean = TextCleaner(review.pseudonyms)
    order = report.agency_order
    colours = agency_colours(order)
    marks = agency_mark_colours(order)
    tints = tint_classes(order)
    by_ref = {e.ref: e for e in report.entries if e.ref}

    def entry_row(entry: Entry) -> EntryRow:
        date = entry.date.display()
        if entry.end_date is not None:
            date += f" to {entry.end_date.display()}"
        return EntryRow(
            ref=entry.ref, date=date, time=_cut(clean(time_shown(entry))),
            agency=report.label(entry.agency), tint=tints.get(entry.agency, ""),
            source=_cut(clean(entry.source)), event=_cut(clean(entry.event)),
            action=_cut(clean(entry.action)),
        )

    analysis = report.analysis
    gaps = []
    for gap in longest_first(analysis.gaps):
        before = by_ref.get(gap.before_ref or "")
        after = by_ref.get(gap.after_ref or "")
        gaps.append(GapRow(
            kind=gap.kind, agency=report.label(gap.agency) if gap.agency else "all agencies",
            tint=tints.get(gap.agency or "", ""), start=day(gap.start),
            end=day(gap.end), days=gap.days or 0, others=_others(gap),
            before=entry_row(before) if before else None,
            after=entry_row(after) if after else None,
        ))

    overlaps = []
    budget = OVERLAP_ROWS_BUDGET
    for overlap in analysis.overlaps[:OVERLAPS_LISTED]:
        row = OverlapRow(
            id=overlap.id, start=day(overlap.start), end=day(overlap.end),
            agencies=[(report.label(a), tints.get(a, "")) for a in overlap.agencies],
            communication=overlap.communication, silent=overlap.communication == NONE_RECORDED,
            entry_count=len(overlap.refs),
            evidence=[(e.ref, _cut(clean(e.words))) for e in overlap.evidence],
            looked_for=", ".join(clean(n) for n in overlap.looked_for),
        )
        shown = min(len(overlap.refs), ROWS_PER_OVERLAP, budget)
        row.entries = [entry_row(by_ref[r]) for r in overlap.refs[:shown] if r in by_ref]
        row.more = len(overlap.refs) - len(row.entries)
        budget -= len(row.entries)
        overlaps.append(row)

    counts: dict[str, int] = dict.fromkeys(order, 0)
    first: dict[str, dt.date] = {}
    last: dict[str, dt.date] = {}
    for entry in report.entries:
        counts[entry.agency] = counts.get(entry.agency, 0) + 1
        if entry.is_note:
            continue
        start = entry.date.start
        if entry.agency not in first or start < first[entry.agency]:
            first[entry.agency] = start
        if entry.agency not in last or entry.last_day > last[entry.agency]:
            last[entry.agency] = entry.last_day
    missing = set(analysis.missing_returns)
    unusable = set(analysis.unusable_returns)
    agencies = [
        AgencyRow(
            name=name, label=report.label(name), tint=tints[name], colour=colours[name],
            mark=marks[name],
            entries=counts.get(name, 0), first=day(first.get(name)), last=day(last.get(name)),
            status="missing return" if name in missing
            else "unusable return" if name in unusable
            else ("nil return" if not counts.get(name) else ""),
        )
        for name in order
    ]

    listed = _listed_refs(report)
    asked = questions(report)
    agenda = [
        AgendaItem(number=n, kind=q.kind, heading=AGENDA_HEADINGS.get(q.kind, ""),
                   text=clean(q.text), refs=[r for r in dict.fromkeys(q.refs) if r in listed][:12])
        for n, q in enumerate(asked[:AGENDA_LIMIT], start=1)
    ]
    made = made or dt.datetime.now().astimezone()
    keys = [e for e in report.entries if e.key_event and not e.is_note]
    timeline = build_timeline(report, listed, {e.ref for e in keys[:KEY_EVENTS_LISTED]})
    trails = _trail_rows(report, analysis.trails[:TRAILS_LISTED], tints, clean)
    key_events = [entry_row(e) for e in keys[:KEY_EVENTS_LISTED]]
    shown_entries = [entry_row(e) for e in report.entries if e.ref in listed]
    return {
        "review": review,
        "reference": review.reference,
        "subject": review.subject,
        "marking": review.marking,
        "period": _period(review.period_start, review.period_end),
        "gap_days": report.gap_days,
        "window_days": report.window_days,
        "focus": report.label(report.agency) if report.agency else "",
        "entry_count": len(report.entries),
        "agencies_with_entries": sum(1 for name in order if counts.get(name)),
        "agencies": agencies,
        "timeline": timeline.svg,
        "timeline_notes": timeline.notes,
        "gaps": gaps,
        "missing_returns": [report.label(m) for m in analysis.missing_returns],
        "unusable_returns": [report.label(m) for m in analysis.unusable_returns],
        "caveats": caveats(report.account, report.label),
        "settings_note": report.settings_note,
        "identifier_notes": identifier_lines(report.account, report.label),
        "redacted": report.account.redacted,
        "overlaps": overlaps,
        "overlap_count": len(analysis.overlaps),
        "overlaps_not_listed": len(analysis.overlaps) - len(overlaps),
        "silent_overlaps": sum(1 for o in analysis.overlaps if o.communication == NONE_RECORDED),
        "overlaps_listed_in_full": budget > 0 and len(overlaps) == len(analysis.overlaps),
        "rows_per_overlap": ROWS_PER_OVERLAP,
        "duplicates": [
            {"date": day(d.date), "refs": " and ".join(d.refs),
             "agencies": " and ".join(report.label(a) for a in d.agencies),
             "similarity": f"{d.similarity:.0%}"}
            for d in analysis.duplicates
        ],
        "terms_of_reference": [clean(t) for t in review.terms_of_reference],
        "key_events": key_events,
        "more_key_events": len(keys) - len(key_events),
        "agenda": agenda,
        "more_questions": max(0, len(asked) - AGENDA_LIMIT),
        "trails": trails,
        "trail_count": len(analysis.trails),
        "unanswered_trails": sum(1 for t in analysis.trails if not t.answered),
        "trails_not_listed": max(0, len(analysis.trails) - TRAILS_LISTED),
        "referral_window_days": analysis.referral_window_days,
        "patterns": _pattern_rows(report, tints),
        "entries": shown_entries,
        "entries_listed_in_full": len(shown_entries) == sum(
            1 for e in report.entries if not e.is_note),
        "has_text": any(e.event.strip() or e.action.strip() for e in report.entries),
        "made": made.strftime("%d/%m/%Y %H:%M"),
        "version": __version__,
    }


def tint_classes(order: Sequence[str]) -> dict[str, str]:
    """Agency -> the CSS class of its colours ('a0', 'a1'…), in agency order."""
    return {name: f"a{i}" for i, name in enumerate(order)}


def render_workshop_pack(report: GapsReport, *, template_file: Path | None = None) -> str:
    """The pack as HTML text, from `workshop.html.j2` (a Board's own copy wins)."""
    from sarkit.output.jinja_env import template_environment

    env = template_environment(report.review.folder, autoescape=True)
    env.trim_blocks = env.lstrip_blocks = True
    env.filters["css_string"] = css_string
    if template_file is not None:
        template = env.from_string(read_user_text(Path(template_file), "The template"))
    else:
        template = env.get_template(TEMPLATE)
    return template.render(**build_context(report))


def write_workshop_pack(report: GapsReport, path: Path) -> None:
    """Write the pack to `path` (the caller makes the write atomic)."""
    Path(path).write_text(render_workshop_pack(report), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Questions for the workshop


def questions(report: GapsReport) -> list[Question]:
    """The workshop's agenda (see sarkit.questions), with the report's agency names."""
    return workshop_agenda(report.analysis, report.label, report.review.subject)


def _listed_refs(report: GapsReport) -> set[str]:
    """The refs of the entries the pack lists (each row has the id 'e-REF'): every activity
    entry of a review of up to ENTRIES_LISTED entries; else the key events and the entries
    the trails, overlaps listed and gaps point to."""
    activity = [e for e in report.entries if not e.is_note and e.ref]
    if len(activity) <= ENTRIES_LISTED:
        return {e.ref for e in activity}
    analysis = report.analysis
    refs = {e.ref for e in activity if e.key_event}
    for trail in analysis.trails[:TRAILS_LISTED]:
        refs.update(r for r in (trail.ref, trail.answer_ref, trail.next_ref) if r)
    for gap in analysis.gaps:
        refs.update(r for r in (gap.before_ref, gap.after_ref) if r)
    for overlap in analysis.overlaps[:OVERLAPS_LISTED]:
        refs.update(overlap.refs[:ROWS_PER_OVERLAP])
    return set(list(refs)[:ENTRIES_LISTED]) if len(refs) > ENTRIES_LISTED else refs


def _trail_rows(report: GapsReport, trails: Sequence[Trail], tints: dict[str, str],
                clean: TextCleaner) -> list[TrailRow]:
    name = Namer(report.label)
    name.named.update(report.agency_order)  # the table shows short names
    window = report.analysis.referral_window_days
    return [
        TrailRow(
            id=t.id, date=day(t.date),
            sender=(report.label(t.from_agency), tints.get(t.from_agency, "")),
            receiver=(report.label(t.to_agency), tints.get(t.to_agency, "")),
            ref=t.ref, words=_cut(clean(t.words)), answered=t.answered,
            outcome=trail_outcome(t, name, window), answer_ref=t.answer_ref or t.next_ref or "",
            answer_words=_cut(clean(t.answer_words)),
        )
        for t in trails
    ]


def _pattern_rows(report: GapsReport, tints: dict[str, str]) -> list[PatternRow]:
    rows: dict[tuple[str, str], PatternRow] = {}
    for count in report.analysis.patterns:
        key = (count.kind, count.agency)
        row = rows.get(key)
        if row is None:
            row = rows[key] = PatternRow(count.kind, report.label(count.agency),
                                         tints.get(count.agency, ""), 0, "")
        row.total += count.count
        month = f"{count.month.strftime('%b %Y')}: {count.count}"
        row.months = f"{row.months}, {month}" if row.months else month
    return list(rows.values())


# --------------------------------------------------------------------------------------------
# The swimlane timeline


@dataclass(slots=True)
class Timeline:
    svg: Markup
    notes: list[str]


def _domain(report: GapsReport) -> tuple[dt.date, dt.date, int]:
    """The days the timeline spans: the review period, else the entries' span; and how many
    entries fall outside it."""
    review = report.review
    days = [(e.date.start, e.last_day) for e in report.entries if not e.is_note]
    lo = review.period_start or min((a for a, _ in days), default=None)
    hi = review.period_end or max((b for _, b in days), default=None)
    today = dt.date.today()
    lo = lo or hi or today
    hi = hi or lo
    if hi < lo:
        lo, hi = hi, lo
    outside = sum(1 for a, b in days if b < lo or a > hi)
    return lo, hi, outside


def build_timeline(report: GapsReport, listed: set[str] | None = None,
                   keyed: set[str] | None = None) -> Timeline:
    """The swimlane SVG: a lane per agency, a mark per agency-day (linked to its entry when the
    pack lists it, `listed`), gaps shaded, overlaps banded and labelled in as many rows as the
    labels need so that none collides with another, patterns marked."""
    order = report.agency_order
    lanes = {name: i for i, name in enumerate(order)}
    colours = agency_colours(order)
    lo, hi, outside = _domain(report)
    n_days = (hi - lo).days + 1
    scale = (PLOT_RIGHT - PLOT_LEFT) / n_days
    listed = set() if listed is None else listed
    keyed = set() if keyed is None else keyed
    analysis = report.analysis

    def x(date: dt.date) -> float:
        return PLOT_LEFT + (date - lo).days * scale

    # So many overlaps that widened bands would cover the plot: draw them at their true width,
    # fainter, and without labels (the table lists them).
    dense = len(analysis.overlaps) * MIN_BAND > 0.25 * (PLOT_RIGHT - PLOT_LEFT)
    min_band = scale if dense else MIN_BAND
    bands = []  # (overlap, left, width, label row or None)
    row_ends: list[float] = []  # right end of the last label in each row
    for overlap in analysis.overlaps:
        if overlap.end < lo or overlap.start > hi:
            continue
        a, b = max(overlap.start, lo), min(overlap.end, hi)
        left, width = x(a), (b - a).days * scale + scale
        if width < min_band:
            left -= (min_band - width) / 2
            width = min_band
        row = None
        if not dense:
            half = LABEL_CHAR * len(overlap.id) / 2
            centre = min(max(left + width / 2, PLOT_LEFT + half), PLOT_RIGHT - half)
            row = next((r for r, end in enumerate(row_ends) if centre - half > end + LABEL_GAP),
                       len(row_ends))
            if row == len(row_ends):
                row_ends.append(-math.inf)
            row_ends[row] = centre + half
            bands.append((overlap, left, width, row, centre))
        else:
            bands.append((overlap, left, width, None, 0.0))
    top = TOP + LABEL_ROW * max(0, len(row_ends) - 1)
    height = top + LANE_HEIGHT * max(1, len(order)) + BOTTOM
    lanes_bottom = top + LANE_HEIGHT * len(order)

    def clip(start: dt.date, end: dt.date) -> tuple[float, float] | None:
        if end < lo or start > hi:
            return None
        a, b = max(start, lo), min(end, hi)
        return x(a), (b - a).days * scale + scale

    out: list[str] = [
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="timeline-title" preserveAspectRatio="xMinYMin meet">',
        f'<title id="timeline-title">Swimlane timeline of {escape(report.review.subject)}: '
        f"one lane per agency, {day(lo)} to {day(hi)}</title>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#E4E4E4"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9A9A9A" stroke-width="2"/></pattern>'
        '<pattern id="hatch-light" width="7" height="7" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="7" height="7" fill="#FFFFFF" fill-opacity=".55"/>'
        '<line x1="0" y1="0" x2="0" y2="7" stroke="#808080" stroke-opacity=".6" stroke-width="1.2"/>'
        '</pattern></defs>',
    ]

    # Lanes: background in the agency's light colour, label on the left.
    for name, i in lanes.items():
        y = top + i * LANE_HEIGHT
        label = report.label(name)
        shown = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"
        out.append(
            f'<g class="lane" data-agency="{escape(name)}"><title>{escape(name)}</title>'
            f'<rect x="0" y="{y}" width="{WIDTH}" height="{LANE_HEIGHT}" fill="{colours[name]}"/>'
            f'<text class="lane-label" x="8" y="{y + LANE_HEIGHT / 2 + 4:.1f}">{escape(shown)}'
            "</text></g>"
        )

    # Months along the axis: a line at each month (or every few months on a long review).
    out.append(_month_axis(lo, hi, x, scale, lanes_bottom, top))

    # Gaps: all-agency across every lane, agency gaps in their own lane.
    for gap in analysis.gaps:
        if gap.kind in RETURN_KINDS or gap.start is None or gap.end is None:
            continue
        span = clip(gap.start, gap.end)
        if span is None:
            continue
        left, width = span
        tip = f"{gap.days} days without {'any entry' if gap.kind == 'all-agency' else 'an entry'}"
        if gap.kind == "all-agency":
            y, h, cls, fill = top, LANE_HEIGHT * len(order), "gap gap-all", "hatch"
        elif gap.agency in lanes:
            y, h = top + lanes[gap.agency] * LANE_HEIGHT + 4, LANE_HEIGHT - 8
            cls, fill = "gap gap-agency", "hatch-light"
            tip = f"{escape(report.label(gap.agency))}: {tip}"
        else:
            continue
        out.append(f'<rect class="{cls}" x="{left:.1f}" y="{y}" width="{width:.1f}" height="{h}" '
                   f'fill="url(#{fill})"><title>{day(gap.start)} to {day(gap.end)}: {tip}</title>'
                   "</rect>")

    # Overlaps: a band across every lane, each labelled O1, O2… in the row found above.
    tooltips = len(analysis.overlaps) <= TOOLTIP_LIMIT
    band_height = lanes_bottom - top + 12
    for overlap, left, width, row, centre in bands:
        silent = overlap.communication == NONE_RECORDED
        tip = ""
        if tooltips:
            agencies = ", ".join(report.label(a) for a in overlap.agencies)
            tip = (f"<title>{overlap.id} {when(overlap.start, overlap.end).lower()}: "
                   f"{escape(agencies)} — communication {overlap.communication}</title>")
        out.append(
            f'<a href="#{overlap.id}"><rect class="overlap-band{" silent" if silent else ""}'
            f'{" dense" if dense else ""}" data-overlap="{overlap.id}" '
            f'x="{left:.1f}" y="{top - 12}" width="{width:.1f}" height="{band_height}">{tip}</rect>'
        )
        if row is not None:
            out.append(f'<text class="overlap-label{" silent" if silent else ""}" '
                       f'x="{centre:.1f}" y="{top - 18 - row * LABEL_ROW}" '
                       f'text-anchor="middle">{overlap.id}</text>')
        out.append("</a>")

    # Patterns: a small tick under the marks of each entry that records one (falls, DNAs…).
    out.extend(_pattern_marks(report, lanes, lo, hi, scale, top, listed))

    # Entries: one mark per agency per day (size by count); key events as larger diamonds,
    # month- or year-precision dates hollow, date ranges as bars.
    out.extend(_marks(report, lanes, agency_mark_colours(order), lo, hi, scale, top, listed,
                      keyed))

    # Frame around the plot.
    out.append(f'<rect x="{PLOT_LEFT}" y="{top}" width="{PLOT_RIGHT - PLOT_LEFT}" '
               f'height="{lanes_bottom - top}" fill="none" stroke="#666666" stroke-width="0.8"/>')
    out.append("</svg>")

    notes = []
    if outside == 1:
        notes.append("1 entry falls outside the review period and is not drawn.")
    elif outside:
        notes.append(f"{outside} entries fall outside the review period and are not drawn.")
    return Timeline(svg=Markup("".join(out)), notes=notes)


def _month_axis(lo: dt.date, hi: dt.date, x, scale: float, lanes_bottom: int, top: int) -> str:
    months_total = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    month_width = 30.4 * scale
    step = next((s for s in _MONTH_STEPS if s * month_width >= 48), _MONTH_STEPS[-1])
    parts = ['<g class="axis">']
    year, month = lo.year, lo.month
    for index in range(months_total + 1):
        first = dt.date(year, month, 1)
        if lo < first <= hi and (month - 1) % step == 0:
            px = x(first)
            strong = month == 1
            parts.append(f'<line x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{lanes_bottom}" '
                         f'stroke="{"#555555" if strong else "#999999"}" '
                         f'stroke-width="{0.9 if strong else 0.5}"/>')
        show = first if index else lo
        if (month - 1) % step == 0 or index == 0:
            label = show.strftime("%b %Y") if (index == 0 or month == 1 or step >= 12) \
                else show.strftime("%b")
            px = x(max(show, lo))
            room = step * month_width if index or lo.day == 1 else x(_next_month(lo)) - x(lo)
            if px + 4 < PLOT_RIGHT and room >= 26:
                parts.append(f'<text class="month" x="{px + 3:.1f}" y="{top - 3}">{label}</text>')
                parts.append(f'<text class="month" x="{px + 3:.1f}" y="{lanes_bottom + 16}">'
                             f"{label}</text>")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    parts.append("</g>")
    return "".join(parts)


def _next_month(date: dt.date) -> dt.date:
    return dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)


def _marks(report: GapsReport, lanes: dict[str, int], colours: dict[str, str], lo: dt.date,
           hi: dt.date, scale: float, top: int, listed: set[str], keyed: set[str]) -> list[str]:
    """One group per lane, placed at the lane's middle (so marks need no y), one mark per day,
    linked to the day's key event in the Key events table (`keyed`), else to the day's first
    entry when the pack lists it (`listed`)."""
    lo_n, hi_n = lo.toordinal(), hi.toordinal()
    days: dict[tuple[int, int, bool], list] = {}  # (lane, day, precise) -> [count, key?, ref]
    bars: set[tuple[int, int, int]] = set()  # (lane, first day, last day) of dated periods
    for entry in report.entries:
        lane = lanes.get(entry.agency)
        if lane is None or entry.is_note:
            continue
        start = entry.date.start.toordinal()
        if entry.end_date is not None:
            end = entry.last_day.toordinal()
            if end > start and end >= lo_n and start <= hi_n:
                bars.add((lane, max(start, lo_n), min(end, hi_n)))
        if not lo_n <= start <= hi_n:
            continue
        precise = entry.date.precision == Precision.DAY
        slot = days.get((lane, start, precise))
        if slot is None:
            days[(lane, start, precise)] = [1, bool(entry.key_event), entry.ref]
        else:
            slot[0] += 1
            if entry.key_event and not slot[1]:
                slot[1], slot[2] = True, entry.ref  # the mark links to the key event
    tooltips = len(days) <= TOOLTIP_LIMIT
    labels = {i: report.label(name) for name, i in lanes.items()}
    # Marks shrink when days are narrower than a mark, so a busy lane stays a readable line.
    base = min(3.6, max(1.4, 1.5 * scale))
    largest = min(3.2 * base, LANE_HEIGHT / 2 - 3)
    by_lane: dict[int, list[str]] = {}
    for lane, start, end in sorted(bars):
        left = PLOT_LEFT + (start - lo_n) * scale
        width = max((end - start + 1) * scale, 2.0)
        by_lane.setdefault(lane, []).append(
            f'<rect class="span" x="{left:.1f}" y="-3" width="{width:.1f}" height="6" rx="3"/>')
    for (lane, start, precise), (count, key, ref) in sorted(days.items()):
        cx = PLOT_LEFT + (start - lo_n + 0.5) * scale
        r = min(base * (1 + 0.4 * math.sqrt(count - 1)), largest)
        tip = ""
        if tooltips:
            when = dt.date.fromordinal(start).strftime("%d/%m/%Y" if precise else "%b %Y")
            what = f"{count} entries from {ref}" if count > 1 else ref
            tip = f"<title>{escape(labels[lane])}, {when}: {escape(what)}</title>"
        if key:
            r += 0.6 * base + 0.8
            tag, attrs = "polygon", (f'class="key" points="{cx:.1f},{-r:.1f} {cx + r:.1f},0 '
                                     f'{cx:.1f},{r:.1f} {cx - r:.1f},0"')
        elif precise:
            tag, attrs = "circle", f'cx="{cx:.1f}" r="{r:.1f}"'
        else:
            tag, attrs = "circle", f'class="vague" cx="{cx:.1f}" r="{r:.1f}"'
        mark = f"<{tag} {attrs}>{tip}</{tag}>" if tip else f"<{tag} {attrs}/>"
        if ref in keyed:  # a key event: to its row in the Key events table
            mark = f'<a href="#k-{escape(ref)}">{mark}</a>'
        elif ref in listed:
            mark = f'<a href="#e-{escape(ref)}">{mark}</a>'
        by_lane.setdefault(lane, []).append(mark)
    names = {i: name for name, i in lanes.items()}
    return [
        f'<g class="marks{" small" if base < 2.5 else ""}" data-agency="{escape(names[lane])}" '
        f'fill="{colours[names[lane]]}" '
        f'stroke="{colours[names[lane]]}" '
        f'transform="translate(0 {top + lane * LANE_HEIGHT + LANE_HEIGHT / 2:g})">'
        f'{"".join(items)}</g>'
        for lane, items in sorted(by_lane.items())
    ]


def _pattern_marks(report: GapsReport, lanes: dict[str, int], lo: dt.date, hi: dt.date,
                   scale: float, top: int, listed: set[str]) -> list[str]:
    """A small triangle near the foot of the lane for each entry that records a pattern."""
    counts = report.analysis.patterns
    if not counts:
        return []
    by_ref = {e.ref: e for e in report.entries if e.ref}
    seen: dict[tuple[int, int], list[str]] = {}  # (lane, day) -> kinds
    first_ref: dict[tuple[int, int], str] = {}
    for count in counts:
        lane = lanes.get(count.agency)
        if lane is None:
            continue
        for ref in count.refs:
            entry = by_ref.get(ref)
            if entry is None or not lo <= entry.date.start <= hi:
                continue
            key = (lane, entry.date.start.toordinal())
            if count.kind not in seen.setdefault(key, []):
                seen[key].append(count.kind)
            first_ref.setdefault(key, ref)
    out = ['<g class="patterns">']
    lo_n = lo.toordinal()
    for (lane, start), kinds in sorted(seen.items())[:PATTERN_MARKS]:
        cx = PLOT_LEFT + (start - lo_n + 0.5) * scale
        y = top + (lane + 1) * LANE_HEIGHT - 3
        ref = first_ref[(lane, start)]
        mark = (f'<polygon class="pattern" points="{cx - 3.5:.1f},{y} {cx + 3.5:.1f},{y} '
                f'{cx:.1f},{y - 5}"><title>{escape(", ".join(kinds))}: {escape(ref)}</title></polygon>')
        out.append(f'<a href="#e-{escape(ref)}">{mark}</a>' if ref in listed else mark)
    out.append("</g>")
    return out


# --------------------------------------------------------------------------------------------
# Small helpers


def _period(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"{day(start)} to {day(end)}"
    if start:
        return f"from {day(start)}"
    if end:
        return f"to {day(end)}"
    return "not set"


def _others(gap: Gap) -> str:
    if gap.kind != "agency":
        return ""
    if not gap.others_active:
        return "no other agency recorded anything"
    return (f"{plural(gap.others_active, 'other agency', 'other agencies')} recorded "
            f"{plural(gap.others_entries, 'entry', 'entries')}")


def _cut(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1].rstrip() + "…"


def css_string(value: object) -> Markup:
    """A value as a quoted CSS string, safe inside a <style> element."""
    text = str(value if value is not None else "")
    escaped = "".join(
        ch if ch.isalnum() or ch in " -_.,:;/()" else f"\\{ord(ch):X} " for ch in text
    )
    return Markup(f'"{escaped}"')
