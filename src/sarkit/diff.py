"""What changed between two versions of a return or of a combined chronology (core, plain values).

Two combined workbooks are compared by ref (the refs are stable: sarkit.refs). Two returns have no
refs of their own: the old one is numbered C0001… in order and the new one numbered against it,
so an entry with the same identity (agency and agency ref, else agency, date, time and event)
is the same entry, and its other fields are compared one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sarkit.entries import Entry, several_sheets
from sarkit.errors import SarkitError
from sarkit.refs import entry_fields, number_entries

FIELD_HEADINGS = {
    "date": "Date", "time": "Time", "end_date": "End Date", "end_time": "End Time",
    "source": "Source of Information", "event": "Event / Contact Details",
    "action": "Action Taken / Outcome", "practitioner": "Practitioner / Role",
    "analysis": "Comment / Analysis", "key_event": "Key Event", "agency_ref": "Agency Ref",
    "agency": "Agency",
}


@dataclass(slots=True)
class Side:
    """One side of a diff: its entries (with refs when it is a combined workbook)."""

    path: str
    entries: list[Entry]
    combined: bool
    reference: str = ""  # the review reference a combined workbook was made for
    rejected_rows: int = 0
    unread: tuple[str, str] | None = None  # (why, fix): a return that could not be read at all


@dataclass(slots=True)
class DiffItem:
    """An entry added, removed or changed: its ref, agency and where it is (file and row)."""

    ref: str
    agency: str
    file: str
    row: int
    old_row: int | None = None  # for a changed entry: its row in the old version
    # the sheet, when the entry's return came from more than one sheet (see several_sheets)
    sheet: str = ""
    old_sheet: str = ""
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (old, new)


@dataclass(slots=True)
class Diff:
    added: list[DiffItem] = field(default_factory=list)
    removed: list[DiffItem] = field(default_factory=list)
    changed: list[DiffItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _keyed(entries: list[Entry]) -> dict[tuple[str, int], Entry]:
    """Each entry by (ref, which of the entries with that ref it is): a row copied by hand (its
    ref twice) is an entry added, and each row without a ref is one of its own."""
    seen: dict[str, int] = {}
    keyed = {}
    for entry in entries:
        seen[entry.ref] = seen.get(entry.ref, -1) + 1
        keyed[(entry.ref, seen[entry.ref])] = entry
    return keyed


def _compared(entry: Entry, agency: bool = False) -> dict[str, str]:
    """The fields compared; with `agency` (two combined workbooks) the Agency too."""
    values = entry_fields(entry)
    if agency:
        values["agency"] = entry.agency
    values.update({f"extra: {k}": v for k, v in entry.extras.items()})
    return values


def check_related(old: Side, new: Side) -> None:
    """Two unrelated files (other agencies, another review) stop the diff with a sentence."""
    if old.combined != new.combined:
        raise SarkitError(
            f"{old.path} and {new.path} are not the same kind of file: give two returns or two "
            "combined workbooks.", exit_code=2)
    if old.combined and old.reference and new.reference and old.reference != new.reference:
        raise SarkitError(
            f"{old.path} and {new.path} are combined chronologies of different reviews "
            f"({old.reference} and {new.reference}), so they were not compared.", exit_code=2)
    old_agencies = {e.agency for e in old.entries}
    new_agencies = {e.agency for e in new.entries}
    if old_agencies and new_agencies and not old_agencies & new_agencies:
        raise SarkitError(
            f"{old.path} and {new.path} share no agency ({', '.join(sorted(old_agencies))} and "
            f"{', '.join(sorted(new_agencies))}), so they are not two versions of one return.",
            hint="Give the earlier and the later version of the same agency's return.",
            exit_code=2)


def diff_sides(old: Side, new: Side) -> Diff:
    """Entries added, removed and changed (field by field) from `old` to `new`."""
    check_related(old, new)
    if not old.combined:
        previous, _ = number_entries(old.entries, None)
        number_entries(new.entries, previous)
    both = old.combined and new.combined
    before = _keyed(old.entries)
    after = _keyed(new.entries)
    result = Diff()
    several_old, several_new = several_sheets(old.entries), several_sheets(new.entries)

    def sheet(entry: Entry, several: set[str]) -> str:
        return entry.sheet if entry.file in several else ""

    def item(entry: Entry, side: Side, several: set[str], **more: object) -> DiffItem:
        if side.combined and not entry.file:  # a row added by hand: its place on the sheet
            return DiffItem(entry.ref or "(no Ref)", entry.agency, side.path, entry.order + 2,
                            sheet="Chronology", **more)
        return DiffItem(entry.ref or ("(no Ref)" if side.combined else ""), entry.agency, entry.file,
                        entry.row, sheet=sheet(entry, several), **more)

    for key, entry in after.items():
        was = before.get(key)
        if was is None:
            result.added.append(item(entry, new, several_new))
            continue
        a, b = _compared(was, both), _compared(entry, both)
        fields = {k: (a.get(k, ""), b.get(k, "")) for k in dict.fromkeys([*a, *b])
                  if a.get(k, "") != b.get(k, "")}
        if fields:
            result.changed.append(item(entry, new, several_new, old_row=was.row, fields=fields,
                                       old_sheet=sheet(was, several_old)))
    for key, entry in before.items():
        if key not in after:
            result.removed.append(item(entry, old, several_old))
    return result
