"""What analysts' edits to a combined workbook mean for its analysis (pure core).

An analyst may add, copy or delete Chronology rows, type an Agency cell, or delete the Agencies
sheet. Each edit is said in a finding naming its cell, never used silently: a row without a Ref
or naming an agency the review does not list is kept out (a rejected row); the second row of a
repeated Ref is kept out (analysed once); a count of entries other than the one the About sheet
says the workbook was written with is said as rows added or deleted by hand, and the account
balances with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sarkit.account import Account, RejectedRow
from sarkit.entries import Entry
from sarkit.findings import Finding, finding
from sarkit.review import Review
from sarkit.wording import plural

SHEET = "Chronology"


@dataclass(slots=True)
class Edits:
    """The entries to analyse and what the edits found say."""

    entries: list[Entry]
    findings: list[Finding] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    repeats: int = 0


def sheet_row(entry: Entry) -> int:
    """The entry's row on the Chronology sheet (its order there; the header is row 1)."""
    return entry.order + 2


def check_edits(entries: list[Entry], review: Review, listed: list[str], letters: dict[str, str],
                shown: str, short_of: dict[str, str] | None = None) -> Edits:
    """The entries kept (sheet order kept) and a finding for each edit that is not used as it is.
    `listed`: the agencies of the Agencies sheet (`short_of`: their short names); `letters`:
    heading -> column letter."""
    short_of = short_of or {}
    ref_at, agency_at = letters.get("Ref", "A"), letters.get("Agency", "D")
    in_review = {a.name for a in review.agencies}
    known = in_review | set(listed)
    out = Edits(entries=[])
    first: dict[str, Entry] = {}
    not_in_review: dict[str, list[int]] = {}  # agency -> its rows, when review.toml drops it
    for entry in entries:
        row = sheet_row(entry)
        if not entry.ref:
            out.findings.append(finding(
                "combined-ref-missing", shown,
                f"Row {row} of the Chronology sheet has no Ref (a row added by hand?), so it was "
                "kept out of the analysis: gaps, trails and patterns cite each entry by its Ref.",
                sheet=SHEET, row=row, cell=f"{ref_at}{row}"))
            out.rejected.append(RejectedRow(entry.agency or None, shown, SHEET, row,
                                            ("combined-ref-missing",), (f"{ref_at}{row}",)))
            continue
        if known and entry.agency not in in_review:
            found = review.find_agency(entry.agency) or (
                review.find_agency(short_of[entry.agency]) if short_of.get(entry.agency) else None)
            if found is not None:
                entry.agency = found.name
            elif entry.agency not in known:
                out.findings.append(finding(
                    "agency-not-listed", shown,
                    f"The Agency cell of row {row} of the Chronology sheet names an agency that is "
                    "neither in review.toml nor on the Agencies sheet (changed by hand?), so the "
                    "entry was kept out of the analysis, not put under a new agency.",
                    hint="Correct the cell to the agency's name or short name as the Agencies "
                         "sheet gives it, or add the name to that agency's aliases in review.toml.",
                    sheet=SHEET, row=row, cell=f"{agency_at}{row}"))
                out.rejected.append(RejectedRow(None, shown, SHEET, row, ("agency-not-listed",),
                                                (f"{agency_at}{row}",)))
                continue
            elif in_review:  # on the Agencies sheet, but review.toml no longer lists it
                not_in_review.setdefault(entry.agency, []).append(row)
        before = first.get(entry.ref)
        if before is not None:
            out.findings.append(finding(
                "combined-ref-repeated", shown,
                f"Rows {sheet_row(before)} and {row} of the Chronology sheet have the same Ref "
                f"{entry.ref} (a row copied by hand?): row {sheet_row(before)} was analysed, and "
                f"row {row} was kept out, so the entry is not analysed twice.",
                sheet=SHEET, row=row, cell=f"{ref_at}{row}"))
            out.repeats += 1
            continue
        first[entry.ref] = entry
        out.entries.append(entry)
    for agency, rows in not_in_review.items():
        out.findings.append(finding(
            "combined-agency-not-in-review", shown,
            f"The Chronology sheet holds {plural(len(rows), 'entry', 'entries')} of {agency} "
            f"(the first in row {rows[0]}), an agency review.toml does not list (removed, or renamed "
            "without an alias, since the workbook was made): they are analysed as the workbook "
            "gives them.", sheet=SHEET, row=rows[0], cell=f"{agency_at}{rows[0]}",
            hint="Collate the returns again to leave the agency out, or list it again in "
                 "review.toml (an alias keeps a renamed agency)."))
    return out


def rows_edited(account: Account, made: int | None, found: int, shown: str) -> Finding | None:
    """When the Chronology sheet holds `found` entry rows but the workbook was written with `made`
    entries (its About sheet's account): the finding saying rows were added or deleted by hand.
    The account's rows are moved by as many, so it balances (every row is accounted for)."""
    if made is None or made == found:
        return None
    account.rows += found - made
    count = abs(found - made)
    what = "added (or copied)" if found > made else "deleted"
    return finding(
        "combined-rows-edited", shown,
        f"The Chronology sheet has {found} entry rows, but sarkit collate wrote it with {made} "
        f"entries (its About sheet says so): {count} {'row was' if count == 1 else 'rows were'} "
        f"{what} by hand since.", sheet=SHEET)


def agencies_sheet_gone(shown: str) -> Finding:
    """The finding for a combined workbook whose Agencies sheet was deleted."""
    return finding(
        "combined-agencies-sheet-missing", shown,
        "The Agencies sheet of the combined workbook has been deleted, so which agencies sent a "
        "nil return, an unusable return or none cannot be known from it: no agency is called "
        "missing, and an agency with no entries is shown as having none.", sheet="Agencies")
