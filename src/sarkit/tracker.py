"""The returns tracker (`sarkit status`): where each agency's return stands on a given day.

States, one per agency, the first that applies:
- `outstanding`: nothing received (days overdue counted from review.toml's `due`);
- `unusable`: something received, nothing could be used (overdue too: nothing usable came);
- `needs resubmission`: used, but a return had errors (rows rejected, to correct and resend);
- `nil return`: a return with the header and no entries (no involvement);
- `received`: used, no error.
The day is given (`as_of`), never read from the clock here, so the tracker is testable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sarkit.account import file_shown
from sarkit.collate import Collation
from sarkit.wording import and_list, day, plural

OWED = ("outstanding", "unusable")


@dataclass(slots=True)
class AgencyStatus:
    agency: str
    label: str
    state: str
    contact: str = ""
    due: dt.date | None = None
    days_overdue: int = 0
    files: list[str] = field(default_factory=list)
    received: dt.date | None = None  # the latest day a return of the agency arrived
    entries: int = 0
    errors: int = 0
    reason: str = ""  # why a return is unusable

    def to_json(self) -> dict[str, object]:
        """DESIGN §11's shape, plus contact, received and errors."""
        return {"agency": self.agency, "state": self.state, "files": list(self.files),
                "entries": self.entries, "due": self.due.isoformat() if self.due else None,
                "days_overdue": self.days_overdue, "contact": self.contact,
                "received": self.received.isoformat() if self.received else None,
                "errors": self.errors}


def track(collation: Collation, as_of: dt.date,
          received_on: dict[str, dt.date]) -> list[AgencyStatus]:
    """Each agency's state on `as_of`; `received_on` maps a return's path to when it came."""
    review = collation.review
    unusable = {u.agency: u.reason for u in collation.account.unusable if u.agency}
    shown = file_shown(review)  # file names as every output shows them: pseudonyms applied
    statuses = []
    for summary in collation.agencies:
        listed = review.find_agency(summary.name)
        due = listed.due if listed else None
        if summary.missing:
            state = "outstanding"
        elif summary.unusable:
            state = "unusable"
        elif summary.errors:
            state = "needs resubmission"
        elif summary.nil:
            state = "nil return"
        else:
            state = "received"
        files = [path for path, _ in summary.files]
        dates = [received_on[p] for p in files if p in received_on]
        overdue = (as_of - due).days if due and state in OWED and as_of > due else 0
        statuses.append(AgencyStatus(
            agency=summary.name, label=summary.label, state=state,
            contact=listed.contact if listed else "", due=due, days_overdue=overdue,
            files=[shown(f) for f in files], received=max(dates) if dates else None, entries=summary.entries,
            errors=summary.errors, reason=unusable.get(summary.name, ""),
        ))
    return statuses


def chase_list(statuses: list[AgencyStatus], *, reference: str, as_of: dt.date) -> str:
    """Plain text to paste into an email: one paragraph per agency still owing something."""
    owing = [s for s in statuses if s.state in (*OWED, "needs resubmission")]
    title = f"Chronology returns to chase for {reference}" if reference else "Chronology returns to chase"
    if not owing:
        return f"{title} as of {day(as_of)}: none. Every agency's return has been received.\n"
    lines = [f"{title} as of {day(as_of)}:", ""]
    for s in owing:
        who = f"{s.agency} (contact: {s.contact})" if s.contact else f"{s.agency} (no contact in review.toml)"
        if s.state == "outstanding":
            when = _due_words(s)
            text = f"{who}: no chronology return has been received{when}."
        elif s.state == "unusable":
            names = and_list([_name(f) for f in s.files])
            text = (f"{who}: the return {names} could not be used ({s.reason.rstrip('.')}); "
                    f"please send it again{_due_words(s)}.")
        else:
            names = and_list([_name(f) for f in s.files])
            text = (f"{who}: the return {names} has {plural(s.errors, 'problem')} to correct "
                    "(see the feedback from sarkit validate --feedback); please correct it and "
                    "send it again.")
        lines += [f"- {text}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _due_words(status: AgencyStatus) -> str:
    if status.due is None:
        return ""
    if status.days_overdue:
        return (f"; it was due on {day(status.due)} and is "
                f"{plural(status.days_overdue, 'day')} overdue")
    return f"; it is due on {day(status.due)}"


def _name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]
