"""Action plans: their columns, and the progress report the review group receives.

Pure: takes action rows (already read from any file) and an `as_of` date, returns the report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sarkit.dates import DateError, PartialDate, Precision, parse_date
from sarkit.findings import Finding
from sarkit.schema import normalise_header

DUE_SOON_DAYS = 30

COMPLETE = "Complete"
STATUSES = ("Not started", "In progress", COMPLETE, "Not achieved")
RAGS = ("Red", "Amber", "Green", "Blue")
NOT_RECORDED = "Not recorded"


@dataclass(frozen=True, slots=True)
class PlanColumn:
    """One column of the action plan: its key, the heading sarkit writes, and accepted variants."""

    key: str
    heading: str
    aliases: tuple[str, ...] = ()
    width: int = 16


COLUMNS = (
    PlanColumn("ref", "Ref", ("Ref No", "No", "Number", "Rec No", "Action No", "Item"), 7),
    PlanColumn("recommendation", "Recommendation", ("Recommendations", "Learning", "Finding"), 36),
    PlanColumn("agency", "Agency", ("Organisation", "Service", "Agency Name"), 18),
    PlanColumn("action", "Action", ("Action to be Taken", "Actions", "Action Required",
                                    "Actions to be Taken", "Agreed Action"), 36),
    PlanColumn("lead_officer", "Lead Officer", ("Owner", "Lead", "Responsible Officer", "By Whom",
                                                "Action Owner", "Responsible", "Lead Person"), 18),
    PlanColumn("target_date", "Target Date", ("Due", "Due Date", "By When", "Deadline", "Target",
                                              "Timescale", "Completion Target"), 13),
    PlanColumn("status", "Status", ("Progress Status", "Current Status"), 14),
    PlanColumn("rag", "RAG", ("RAG Status", "RAG Rating", "Rating"), 9),
    PlanColumn("progress", "Progress Update", ("Update on Progress", "Progress", "Update",
                                               "Progress to Date"), 36),
    PlanColumn("evidence", "Supporting Evidence", ("Evidence", "Evidence of Completion",
                                                   "Evidence of Impact"), 30),
    PlanColumn("date_completed", "Date Completed", ("Completed", "Completion Date",
                                                    "Date Complete", "Completed On"), 13),
    PlanColumn("critical_friend", "Critical Friend Comments", ("Critical Friend",
                                                               "Critical Friend Comment"), 30),
)
HEADINGS = tuple(c.heading for c in COLUMNS)
# The columns that make a row an action; a row with only a Ref, Agency, Status or RAG is blank.
CONTENT_KEYS = ("recommendation", "action", "lead_officer", "target_date", "progress", "evidence",
                "date_completed", "critical_friend")

_COLUMN_LOOKUP = {
    normalise_header(variant): column.key
    for column in COLUMNS
    for variant in (column.key, column.heading, *column.aliases)
}
_STATUS_LOOKUP = {
    **{normalise_header(s): s for s in STATUSES},
    "notyetstarted": "Not started",
    "ongoing": "In progress",
    "started": "In progress",
    "underway": "In progress",
    "inhand": "In progress",
    "completed": COMPLETE,
    "done": COMPLETE,
    "closed": COMPLETE,
    "notcompleted": "Not achieved",
    "notmet": "Not achieved",
    "ontrack": "In progress",
    "progressing": "In progress",
    "partiallycomplete": "In progress",
    "partlycomplete": "In progress",
    "notbegun": "Not started",
    "achieved": COMPLETE,
    "fullyachieved": COMPLETE,
}
_RAG_LOOKUP = {
    **{normalise_header(r): r for r in RAGS},
    **{r[0].lower(): r for r in RAGS},
}


def match_plan_column(header: object) -> str | None:
    """The action plan column a header means (case, spaces and punctuation ignored), or None."""
    return _COLUMN_LOOKUP.get(normalise_header(header))


# what a plan may put before its value: 'RAG: Amber', 'Status - complete'
_LABELLED = re.compile(r"^\s*(?:rag(?:\s+(?:status|rating))?|status|rating)\s*[:\-–=]\s*", re.IGNORECASE)


def normalise_status(text: str) -> str:
    """'COMPLETED', 'complete ', 'on track' -> their value on the list; blank -> 'Not recorded';
    others kept as written (`known_value` says which are on the list)."""
    text = " ".join(_LABELLED.sub("", text).split())
    if not text:
        return NOT_RECORDED
    return _STATUS_LOOKUP.get(normalise_header(text), text)


def known_value(value: str) -> bool:
    """Whether a normalised Status or RAG is on the list (or not recorded)."""
    return value in STATUSES or value in RAGS or value == NOT_RECORDED


def normalise_rag(text: str) -> str:
    """'red', 'R', 'RED ', 'RAG: Amber' -> 'Red'…; blank -> 'Not recorded'; others kept as written."""
    text = " ".join(_LABELLED.sub("", text).split())
    if not text:
        return NOT_RECORDED
    return _RAG_LOOKUP.get(normalise_header(text), text)


@dataclass(slots=True)
class ActionRow:
    """One action of a plan, as its agency wrote it (status and RAG normalised)."""

    agency: str
    ref: str = ""
    recommendation: str = ""
    action: str = ""
    lead_officer: str = ""
    target_date: PartialDate | None = None
    status: str = NOT_RECORDED
    rag: str = NOT_RECORDED
    progress: str = ""
    evidence: str = ""
    date_completed: PartialDate | None = None
    critical_friend: str = ""
    file: str = ""
    sheet: str = ""
    row: int = 0

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE

    @property
    def deadline(self) -> dt.date | None:
        """The last day the target allows: 'March 2026' means by the end of March."""
        return self.target_date.last if self.target_date else None


@dataclass(frozen=True, slots=True)
class ActionItem:
    """One action listed in a section of the report (overdue, due soon…)."""

    agency: str
    ref: str
    action: str
    target_date: str | None  # ISO, as precise as written: 2026-03-31, 2026-03, 2026
    lead_officer: str
    target_display: str = ""  # as written, for people: 31/03/2026, March 2026
    deadline: dt.date | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "agency": self.agency,
            "ref": self.ref,
            "action": self.action,
            "target_date": self.target_date,
            "lead_officer": self.lead_officer,
        }


@dataclass(frozen=True, slots=True)
class ActionProgress:
    """One action's status and the latest update its plan gives."""

    agency: str
    ref: str
    status: str
    latest_update: str

    def to_json(self) -> dict[str, object]:
        return {"agency": self.agency, "ref": self.ref, "status": self.status,
                "latest_update": self.latest_update}


def latest_update(text: str) -> str:
    """The latest of the updates a Progress cell holds, one a line: the line with the latest
    date at its start when lines start with dates, else the last line written."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else ""
    dated: list[tuple[dt.date, int, str]] = []
    for index, line in enumerate(lines):
        head = line.split(maxsplit=1)[0].rstrip(":-–,")
        try:
            date, _ = parse_date(head)
        except DateError:
            date = None
        if date is not None:
            dated.append((date.start, index, line))
    return max(dated)[2] if dated else lines[-1]


@dataclass(slots=True)
class AgencyActions:
    """One agency's actions counted by status and by RAG."""

    agency: str
    actions: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_rag: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"agency": self.agency, "actions": self.actions,
                "by_status": dict(self.by_status), "by_rag": dict(self.by_rag)}


@dataclass(slots=True)
class ActionsReport:
    """What `sarkit actions` tells the review group."""

    as_of: dt.date
    agencies: list[AgencyActions] = field(default_factory=list)
    overdue: list[ActionItem] = field(default_factory=list)
    due_soon: list[ActionItem] = field(default_factory=list)
    completed_without_evidence: list[ActionItem] = field(default_factory=list)
    incomplete: list[ActionItem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    without_plan: list[str] = field(default_factory=list)  # review.toml's agencies with no action
    progress: list[ActionProgress] = field(default_factory=list)  # every action, in plan order

    @property
    def actions(self) -> int:
        return sum(a.actions for a in self.agencies)

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape, plus the findings of plans that could not be read."""
        return {
            "as_of": self.as_of.isoformat(),
            "agencies": [a.to_json() for a in self.agencies],
            "overdue": [i.to_json() for i in self.overdue],
            "due_soon": [i.to_json() for i in self.due_soon],
            "completed_without_evidence": [i.to_json() for i in self.completed_without_evidence],
            "incomplete": [i.to_json() for i in self.incomplete],
            "findings": [f.to_json(with_file=True) for f in self.findings],
            "without_plan": list(self.without_plan),
            "progress": [p.to_json() for p in self.progress],
        }


def iso_partial(date: PartialDate | None) -> str | None:
    """ISO 8601 at the precision written: '2026-03-31', '2026-03' or '2026'."""
    if date is None:
        return None
    if date.precision is Precision.DAY:
        return date.start.isoformat()
    if date.precision is Precision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return f"{date.year:04d}"


def report_actions(
    rows: Iterable[ActionRow],
    *,
    as_of: dt.date,
    agency_order: Sequence[str] = (),
    findings: Sequence[Finding] = (),
    files: Sequence[str] = (),
) -> ActionsReport:
    """Count and sort every action for the review group.

    overdue: deadline before as_of, not Complete. due soon: deadline from as_of to as_of + 30
    days, not Complete. completed without evidence: Complete, no Supporting Evidence.
    incomplete: not Complete and no Lead Officer or no Target Date.
    """
    rows = list(rows)
    report = ActionsReport(as_of=as_of, findings=list(findings), files=list(files))
    order = {name: index for index, name in enumerate(agency_order)}
    names = sorted({r.agency for r in rows}, key=lambda n: (order.get(n, len(order)), n.lower()))
    soon = as_of + dt.timedelta(days=DUE_SOON_DAYS)
    for name in names:
        mine = [r for r in rows if r.agency == name]
        counts = AgencyActions(name, actions=len(mine))
        counts.by_status = _tally(mine, "status", STATUSES)
        counts.by_rag = _tally(mine, "rag", RAGS)
        report.agencies.append(counts)
        for row in mine:
            item = _item(row)
            deadline = row.deadline
            if not row.complete and deadline is not None:
                if deadline < as_of:
                    report.overdue.append(item)
                elif deadline <= soon:
                    report.due_soon.append(item)
            if row.complete and not row.evidence.strip():
                report.completed_without_evidence.append(item)
            if not row.complete and (not row.lead_officer.strip() or row.target_date is None):
                report.incomplete.append(item)
            report.progress.append(ActionProgress(row.agency, row.ref, row.status,
                                                  latest_update(row.progress)))
    report.without_plan = [name for name in agency_order if name not in names]
    report.overdue.sort(key=_by_deadline)
    report.due_soon.sort(key=_by_deadline)
    return report


def _tally(rows: list[ActionRow], key: str, known: tuple[str, ...]) -> dict[str, int]:
    """Every known value (zeros too, so tables line up), then 'Not recorded' and others if seen."""
    counts = dict.fromkeys(known, 0)
    others: dict[str, int] = {}
    for row in rows:
        value = getattr(row, key)
        if value in counts:
            counts[value] += 1
        else:
            others[value] = others.get(value, 0) + 1
    if NOT_RECORDED in others:
        counts[NOT_RECORDED] = others.pop(NOT_RECORDED)
    counts.update(sorted(others.items()))
    return counts


def _item(row: ActionRow) -> ActionItem:
    return ActionItem(
        agency=row.agency,
        ref=row.ref,
        action=row.action or row.recommendation,
        target_date=iso_partial(row.target_date),
        lead_officer=row.lead_officer,
        target_display=row.target_date.display() if row.target_date else "",
        deadline=row.deadline,
    )


def _by_deadline(item: ActionItem) -> dt.date:
    """Earliest deadline first; the sort is stable, so ties keep agency and plan order."""
    return item.deadline or dt.date.max
