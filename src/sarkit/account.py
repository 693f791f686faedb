"""The closing account of a run: what became of every agency's return and of every row.

`complete` is true only when no listed agency is missing, no return was unusable and no row
was rejected. Missing means nothing was received from the agency; a return that was received
but from which nothing could be read is unusable, never missing. Computed once, from the
results of reading the returns, and shown the same way by every output (DESIGN §11).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sarkit.entries import ReturnResult
from sarkit.findings import Severity, finding
from sarkit.identifiers import KINDS, describe_counts
from sarkit.pseudonyms import pseudonymiser
from sarkit.review import Review
from sarkit.wording import and_list, plural

# Findings that say why a whole file could not be used (in the order a reason is chosen)
_FILE_LEVEL = ("file-unreadable", "file-encrypted", "file-label-encrypted", "file-refused",
               "no-chronology-sheet", "missing-column", "date-column-ambiguous", "agency-unknown",
               "agency-ambiguous", "blank-template")
# Findings that may say why a whole return was kept out, in the order a reason is chosen
_REASONS = (*_FILE_LEVEL, "agency-not-listed")
# Cross-file findings: not a rejection, the row is already in the chronology from another file
_REPEATS = ("duplicate-file",)


@dataclass(frozen=True, slots=True)
class UnusableReturn:
    """A return that was received but gave nothing: which agency, which file, why, the fix.
    `rows`: the data rows the file held (under the header in row `header_row` of `sheet`, when a
    header was found), whatever the reason; `not_listed`: how many of them are rejected with the
    whole return rather than listed one by one as rejected rows (None: all of them, as a
    workbook made before they were told apart says); `repeated`: its rows are another return's,
    in the chronology once (a copy), not rejected."""

    agency: str | None
    file: str
    reason: str
    fix: str = ""
    rows: int = 0
    sheet: str | None = None
    header_row: int | None = None
    not_listed: int | None = None
    repeated: bool = False

    @property
    def kept_out(self) -> int:
        """Its rejected rows not listed one by one: counted with the whole return."""
        return self.rows if self.not_listed is None else self.not_listed


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A data row kept out of the chronology by an error, with the cells at fault."""

    agency: str | None
    file: str
    sheet: str | None
    row: int
    codes: tuple[str, ...]
    cells: tuple[str, ...] = ()


@dataclass(slots=True)
class Account:
    """What became of each agency's return and each row; see the module docstring."""

    review_file: str | None = None
    entries: int = 0
    rows: int = 0  # data rows read from usable and unusable returns
    repeats: int = 0  # rows collated once because another return of the agency has them
    missing: list[str] = field(default_factory=list)
    unusable: list[UnusableReturn] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    rejected_rows: int = 0  # rows rejected: listed in `rejected`, or with an unusable return
    errors: int = 0  # returns with at least one error finding
    usable_agencies: set[str] = field(default_factory=set, repr=False)
    # rejected rows of unusable returns, as a workbook made before they were counted per return
    # says them: the rejected rows it does not list
    unusable_rows_not_itemised: int = field(default=0, repr=False)
    # possible identifiers in the chronology's text, agency -> kind -> count; `redacted`: they
    # were replaced by their kind in brackets, so none remains
    identifiers: dict[str, dict[str, int]] = field(default_factory=dict)
    redacted: bool = False
    # missing agency -> files whose name matches its `files` pattern but which name another agency
    # (or one review.toml does not list): what looks like its return
    misfiled: dict[str, list[str]] = field(default_factory=dict)
    # the combined workbook read back (gaps, new-imr): its own rows kept out are an analyst's
    # edits to correct there, not a return to send again
    workbook: str | None = field(default=None, repr=False)
    # of those files, the ones whose name matches the `files` patterns of several agencies
    ambiguous: set[str] = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return not (self.missing or self.unusable or self.rejected_rows or self.rejected)

    @property
    def unaccounted(self) -> int:
        """Rows neither in the chronology, nor rejected, nor a repeat: always 0 unless a bug."""
        return self.rows - self.entries - self.rejected_rows - self.repeats

    @property
    def unusable_rows(self) -> int:
        """Rejected rows kept out with a whole unusable return (not listed one by one)."""
        return sum(u.kept_out for u in self.unusable) + self.unusable_rows_not_itemised

    @property
    def unlisted(self) -> int:
        """Rejected rows neither listed nor in an unusable return: always 0 unless a bug."""
        return self.rejected_rows - len(self.rejected) - self.unusable_rows

    def unusable_agencies(self) -> list[str]:
        """Agencies whose every return was unusable (they sent something; nothing could be used)."""
        return list(dict.fromkeys(u.agency for u in self.unusable if u.agency and u.agency
                                  not in self.usable_agencies))

    def to_json(self) -> dict[str, object]:
        """DESIGN §11's `account` object (plus `fix`, `cells`, `rows`, and
        `possible_identifiers` when any were found or redacted)."""
        data: dict[str, object] = {
            "complete": self.complete,
            "review_file": self.review_file,
            "missing": list(self.missing),
            "unusable": [{"agency": u.agency, "file": u.file, "reason": u.reason, "fix": u.fix,
                          "rows": u.rows, "rows_not_listed": u.kept_out, "rows_repeated": u.repeated,
                          "sheet": u.sheet, "header_row": u.header_row}
                         for u in self.unusable],
            "rejected_rows": [{"agency": r.agency, "file": r.file, "sheet": r.sheet, "row": r.row,
                               "codes": list(r.codes), "cells": list(r.cells)}
                              for r in self.rejected],
            "entries": self.entries,
            "rows": self.rows,
        }
        if self.identifiers or self.redacted:  # only when there is something to say
            data["possible_identifiers"] = {
                "redacted": self.redacted,
                "by_agency": {a: dict(k) for a, k in self.identifiers.items()}}
        return data

    @classmethod
    def from_json(cls, data: dict) -> Account:
        """The account a combined workbook carries (About sheet), read back."""
        account = cls(
            review_file=data.get("review_file"), entries=int(data.get("entries") or 0),
            rows=int(data.get("rows") or 0), missing=list(data.get("missing") or []),
            unusable=[UnusableReturn(u.get("agency"), u.get("file", ""), u.get("reason", ""),
                                     u.get("fix", ""), int(u.get("rows") or 0), u.get("sheet"),
                                     u.get("header_row"), _count_or_none(u.get("rows_not_listed")),
                                     bool(u.get("rows_repeated")))
                     for u in data.get("unusable") or []],
            rejected=[RejectedRow(r.get("agency"), r.get("file", ""), r.get("sheet"),
                                  int(r.get("row") or 0), tuple(r.get("codes") or ()),
                                  tuple(r.get("cells") or ())) for r in data.get("rejected_rows") or []],
        )
        ids = data.get("possible_identifiers") or {}
        account.redacted = bool(ids.get("redacted"))
        account.identifiers = {a: {k: int(n) for k, n in kinds.items()}
                               for a, kinds in (ids.get("by_agency") or {}).items()}
        account.rejected_rows = int(data.get("rejected_row_count") or len(account.rejected))
        account.errors = int(data.get("returns_with_errors") or 0)
        account.repeats = max(0, account.rows - account.entries - account.rejected_rows)
        unusable = data.get("unusable") or []
        if unusable and not any("rows" in u for u in unusable):  # made before the rows were given
            account.unusable_rows_not_itemised = max(0, account.rejected_rows - len(account.rejected))
        return account


def review_file_shown(review: Review, cwd: Path | None = None) -> str | None:
    """The review.toml used: relative when it is in this folder, below it or in a folder above
    it (as it is found: '../review.toml'), else as given."""
    if review.path is None:
        return None
    path = Path(review.path)
    here = (cwd or Path.cwd()).resolve()
    folder = path.resolve().parent
    if not (here.is_relative_to(folder) or folder.is_relative_to(here)):
        return str(path)
    try:
        return os.path.relpath(path.resolve(), here)
    except ValueError:  # another drive on Windows
        return str(path)


def account_for(results: Sequence[ReturnResult], review: Review, entries: int) -> Account:
    """The account of a run: `entries` is how many entries the chronology holds."""
    account = Account(review_file=review_file_shown(review), entries=entries)
    shown = file_shown(review)  # a file name as every output shows it: pseudonyms applied
    received: set[str] = set()
    usable: set[str] = set()
    for result in results:
        if result.skipped:
            continue
        names = [*result.agencies, *([result.agency] if result.agency else [])]
        received.update(names)
        if any(f.severity == Severity.ERROR for f in result.findings):
            account.errors += 1
        account.rows += result.data_rows
        repeat = next((f for f in result.findings if f.code in _REPEATS), None)
        if repeat is not None:
            account.repeats += result.data_rows  # every row is accounted for by the first copy
            if repeat.severity == Severity.ERROR:  # a copy of another agency's return
                account.unusable.append(UnusableReturn(  # its rows are repeats, not rejected
                    result.agency, shown(result.path), repeat.message, repeat.hint, result.data_rows,
                    result.sheet, result.header_row, not_listed=0, repeated=True))
            else:
                usable.update(names)
            continue
        account.rejected_rows += result.rejected_rows
        account.repeats += result.repeated_rows
        account.rejected.extend(replace(r, file=shown(r.file)) for r in _rejected(result))
        if _usable(result):
            usable.update(names)
        else:
            reason, fix = _why_unusable(result)
            account.unusable.append(UnusableReturn(result.agency, shown(result.path), reason, fix,
                                                   result.data_rows, result.sheet, result.header_row,
                                                   not_listed=rows_kept_out(result)))
    account.usable_agencies = usable
    account.missing = [a.name for a in review.agencies
                       if not any(a.name == n or review.find_agency(n) is a for n in received)]
    for name in account.missing:
        agency = review.find_agency(name)
        files = [shown(r.path) for r in results if not r.skipped and agency is not None
                 and agency in review.agencies_for_file(Path(r.path).name)]
        if files:
            account.misfiled[name] = files
    account.ambiguous = {shown(r.path) for r in results if not r.skipped
                         and len(review.agencies_for_file(Path(r.path).name)) > 1}
    return account


def _count_or_none(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def file_shown(review: Review) -> Callable[[str], str]:
    """How an output shows a return's file name: through review.toml's pseudonyms, as its cells
    are ("Police - Janet Ellingham.xlsx" is "Police - Adult Z.xlsx" in every output)."""
    return pseudonymiser(review.pseudonyms) or str


def misfiled_text(account: Account, name: str) -> str:
    """' (returns/police.xlsx has its file name but names another agency)' for a missing agency
    with such a file, else nothing; a file whose name fits several agencies is said as such."""
    files = account.misfiled.get(name) or []
    said = []
    other = [f for f in files if f not in account.ambiguous]
    if other:
        has = "has" if len(other) == 1 else "have"
        said.append(f"{and_list(other, at_most=3)} {has} its file name but "
                    f"{'names' if len(other) == 1 else 'name'} another agency or one review.toml "
                    "does not list (see the findings for that file)")
    shared = [f for f in files if f in account.ambiguous]
    if shared:
        said.append(f"{and_list(shared, at_most=3)} {'has' if len(shared) == 1 else 'have'} a "
                    "file name that fits the files patterns of several agencies, so "
                    f"{'it was' if len(shared) == 1 else 'they were'} not counted as any of "
                    "theirs (see the findings for that file)")
    return "".join(f"; {text}" for text in said)


def _usable(result: ReturnResult) -> bool:
    return bool(result.entries or result.nil or result.repeated_rows)


def rows_kept_out(result: ReturnResult) -> int:
    """The data rows of a return that gave nothing, kept out with the whole return rather than
    rejected one by one (a column or the agency missing): 0 for a usable return."""
    if result.skipped or _usable(result) or any(f.code in _REPEATS for f in result.findings):
        return 0
    return max(0, result.rejected_rows - len(_rejected(result)))


def note_rows_kept_out(results: Sequence[ReturnResult]) -> None:
    """Add a `rows-not-used` finding to each return whose rows are kept out with it, so the
    findings (terminal, Findings sheet, JSON, feedback) count the rows the account counts."""
    for result in results:
        rows = rows_kept_out(result)
        if rows and not any(f.code == "rows-not-used" for f in result.findings):
            under = f" under the headings in row {result.header_row}" if result.header_row else ""
            none = "The row" if rows == 1 else f"None of the {rows} rows"
            result.findings.append(finding(
                "rows-not-used", result.path,
                f"{none}{under} {'is not' if rows == 1 else 'is'} in the chronology: the return "
                "could not be used (see the error above), so "
                f"{'it is' if rows == 1 else 'they are'} counted as rejected.",
                sheet=result.sheet, row=result.header_row))


def _why_unusable(result: ReturnResult) -> tuple[str, str]:
    errors = [f for f in result.findings if f.severity == Severity.ERROR]
    misnamed = next((f for f in result.findings if f.code == "file-misnamed"), None)
    if misnamed and any(f.code == "no-chronology-sheet" for f in errors):
        return misnamed.message, misnamed.hint  # a text file named .xlsx: its name is the cause
    for code in _REASONS:
        for f in errors:
            if f.code == code:
                return f.message, f.hint
    if result.rejected_rows:
        rows = "row" if result.rejected_rows == 1 else "rows"
        return (f"every row had an error ({result.rejected_rows} {rows} rejected).",
                "Correct the rows listed and send the return again.")
    if errors:
        return errors[0].message, errors[0].hint
    return ("no chronology table could be read from it.",
            "Send the chronology as the Appendix 8b workbook.")


def _rejected(result: ReturnResult) -> list[RejectedRow]:
    """One RejectedRow per row an error kept out (file-level errors are the unusable reason)."""
    rows: dict[tuple[str | None, int], tuple[list[str], list[str]]] = {}
    # an error in a row that is an entry all the same (a formula with no saved value in an
    # extra column) is an error of the return, but the row is in the chronology, not kept out
    kept = {(e.sheet, e.row) for e in result.entries}
    for f in result.findings:
        if (f.severity != Severity.ERROR or f.row is None or f.code in _FILE_LEVEL
                or f.code in UNREAD_CODES  # their rows are listed below, one by one
                or (f.sheet, f.row) in kept):
            continue
        codes, cells = rows.setdefault((f.sheet, f.row), ([], []))
        if f.code not in codes:
            codes.append(f.code)
        place = f.cell or (f"row {f.row}, {f.column}" if f.column else "")
        if place and place not in cells:
            cells.append(place)
    unread = {f.sheet: f.code for f in result.findings if f.code in UNREAD_CODES}
    for sheet, row in result.unread_rows:  # rows of another sheet or table, not read
        rows.setdefault((sheet, row), ([unread.get(sheet, "other-chronology-sheet")], []))
    return [RejectedRow(result.agency, result.path, sheet, row, tuple(codes), tuple(cells))
            for (sheet, row), (codes, cells) in rows.items()]


UNREAD_CODES = {"other-chronology-sheet", "table-not-read", "sheet-not-read"}  # the rows are in unread_rows


def caveats(account: Account, label: Callable[[str], str] = str) -> list[str]:
    """Sentences for outputs that travel (About sheet, workshop pack, IMR): what is not in the
    chronology and why. Empty when the account is complete. The rejected rows' count is the
    closing account's: the rows listed one by one plus the rows of unusable returns."""
    said: list[str] = []
    for name in account.missing:
        said.append(f"No return was received from {label(name)}{misfiled_text(account, name)}.")
    for u in account.unusable:
        who = label(u.agency) if u.agency else "an agency not known"
        rows = f" ({unusable_rows_text(u, 'this')})" if u.rows and not u.repeated else ""
        said.append(f"The return {Path(u.file).name} from {who} could not be used{rows}: "
                    f"{u.reason.rstrip('.')}.")
    if account.rejected_rows:
        named = sheet_named(account.rejected)
        listed = "; ".join(f"{Path(r.file).name} row {r.row}" + (f" (sheet {r.sheet})" if named(r) else "")
                           for r in account.rejected[:20])
        more = len(account.rejected) - 20
        listed += f" and {more} more" if more > 0 else ""
        with_returns = [u for u in account.unusable if u.kept_out]
        if with_returns:
            whole = and_list([f"{plural(u.kept_out, 'row')} of {Path(u.file).name}"
                              for u in with_returns])
            whole += (", a return that could not be used" if len(with_returns) == 1
                      else ", returns that could not be used")
            listed = (f"{plural(len(account.rejected), 'row')} listed here ({listed}) and {whole}"
                      if listed else whole)
        rows = "row was" if account.rejected_rows == 1 else "rows were"
        verb = "is" if account.rejected_rows == 1 else "are"
        text = f"{account.rejected_rows} {rows} rejected and {verb} not in this chronology"
        said.append(f"{text}: {listed}." if listed else f"{text}.")
    return said


def sheet_named(rejected: Sequence[RejectedRow]) -> Callable[[RejectedRow], bool]:
    """Whether a rejected row's place names its sheet: when the row is not on the return's
    chronology sheet (a sheet or table not read), or the file's rejected rows come from several
    sheets; else 'file row 3' reads as the chronology sheet's row, as it is."""
    sheets: dict[str, set[str | None]] = {}
    for r in rejected:
        sheets.setdefault(r.file, set()).add(r.sheet)
    return lambda r: bool(r.sheet) and (len(sheets[r.file]) > 1 or bool(UNREAD_CODES & set(r.codes)))


def unusable_rows_text(u: UnusableReturn, the: str = "the") -> str:
    """Where an unusable return's rows are, for a reader counting rejected rows: 'its 3 rows
    under the header in row 3 of sheet Chronology are not in the chronology'."""
    where = (f" under the header in row {u.header_row}" if u.header_row else "") + (
        f" of sheet {u.sheet}" if u.sheet else "")
    verb = "is" if u.rows == 1 else "are"
    listed = u.rows - u.kept_out
    said = ("" if listed <= 0 else "; it is listed as a rejected row" if u.rows == 1
            else "; they are listed as rejected rows" if not u.kept_out
            else f"; {listed} of them are listed as rejected rows")
    return f"its {plural(u.rows, 'row')}{where} {verb} not in {the} chronology{said}"


def rejected_split(account: Account) -> str:
    """' (12 listed row by row, 3 in 1 unusable return)' when some rejected rows went with a whole
    unusable return, so the numbers a reader counts add up; else nothing."""
    if not account.unusable_rows:
        return ""
    returns = sum(1 for u in account.unusable if u.kept_out)
    listed = f"{len(account.rejected)} listed row by row, " if account.rejected else ""
    return f" ({listed}{account.unusable_rows} in {plural(returns, 'unusable file')})"


def identifier_totals(account: Account) -> dict[str, int]:
    """kind -> count over every agency, in the catalogue's order of kinds."""
    totals: dict[str, int] = {}
    for kinds in account.identifiers.values():
        for kind, n in kinds.items():
            totals[kind] = totals.get(kind, 0) + n
    return {k: totals[k] for k in KINDS if totals.get(k)}


def identifier_lines(account: Account, label: Callable[[str], str] = str) -> list[str]:
    """The closing account's sentences on possible identifiers: what redaction replaced, or
    what remains, by agency and kind. Empty when none was found."""
    totals = identifier_totals(account)
    if not totals:
        return []
    if account.redacted:
        return [f"Redaction applied: {describe_counts(totals)} replaced by their kind in brackets "
                "in every output."]
    lines = [f"{label(agency)}: {describe_counts(kinds)} may remain in the text "
             "(possible identifiers; see the possible-identifier findings)."
             for agency, kinds in account.identifiers.items() if kinds]
    return [*lines, f"Possible identifiers remain: {describe_counts(totals)}. Check them, or give "
            "--redact to replace each one by its kind in brackets."]
