"""The validation report for people (rich tables), for scripts (JSON) and for agencies (feedback)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sarkit.account import Account, identifier_lines, misfiled_text, rejected_split, unusable_rows_text
from sarkit.entries import ReturnResult
from sarkit.findings import Finding, Severity, count
from sarkit.output.terminal import inert
from sarkit.review import Review
from sarkit.wording import plural

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _errors(result: ReturnResult) -> int:
    return count(result.findings, Severity.ERROR)


def _warnings(result: ReturnResult) -> int:
    return count(result.findings, Severity.WARNING)


def is_valid(results: Sequence[ReturnResult], *, strict: bool = False) -> bool:
    """No errors (and, with --strict, no warnings) in any file."""
    return not any(_errors(r) or (strict and _warnings(r)) for r in results)


def validation_json(results: Sequence[ReturnResult], *, strict: bool = False,
                    show_values: bool = False, account: Account | None = None) -> dict[str, object]:
    """The one JSON object of DESIGN.md §4, with the closing account of §11."""
    files = []
    for r in results:
        findings = []
        for f in r.findings:
            data = f.to_json()
            if not show_values:
                data.pop("values", None)
            findings.append(data)
        files.append({
            "path": r.path, "agency": r.agency, "sheet": r.sheet, "header_row": r.header_row,
            "entries": len(r.entries), "rejected_rows": r.rejected_rows, "nil_return": r.nil,
            "skipped": r.skipped, "findings": findings,
            **({"provenance": r.provenance} if r.provenance else {}),
        })
    return {
        "valid": is_valid(results, strict=strict),
        "files": files,
        "summary": {
            "files": len(results),
            "entries": sum(len(r.entries) for r in results),
            "rejected_rows": sum(r.rejected_rows for r in results),
            "errors": sum(_errors(r) for r in results),
            "warnings": sum(_warnings(r) for r in results),
        },
        **({"account": account.to_json()} if account is not None else {}),
    }


def _place(f: Finding) -> str:
    """Where a finding is: its cell, else its row (and column: Word tables have no A1 cells)."""
    if f.cell:
        return f.cell
    if f.row and f.column:
        return f"row {f.row}, {f.column}"
    if f.row:
        return f"row {f.row}"
    return ""


def print_validation(results: Sequence[ReturnResult], console: Console, account: Account) -> None:
    """One table of findings per file, then the summary table (its counts from `account`)."""
    for r in results:
        if r.skipped:
            continue
        status = "[green]no problems[/]" if not r.findings else (
            f"{plural(_errors(r), 'error')}, {plural(_warnings(r), 'warning')}")
        agency = r.agency or "agency unknown"
        detail = plural(len(r.entries), "entry", "entries") + (" (nil return)" if r.nil else "")
        if r.rejected_rows:
            detail += f", {plural(r.rejected_rows, 'row')} rejected"
        console.print(f"[bold]{inert(r.path)}[/] — {inert(agency)}, {detail}: {status}",
                      highlight=False, soft_wrap=True)
        if not r.findings:
            continue
        table = Table(show_edge=False, pad_edge=False, expand=False, show_lines=False)
        table.add_column("Where", no_wrap=True)
        table.add_column("Finding", no_wrap=True)
        table.add_column("Message", overflow="fold", ratio=1)
        for f in r.findings:
            where = "\n".join(part for part in (_place(f), f.sheet) if part)
            table.add_row(inert(where), f"[{SEVERITY_STYLE[f.severity]}]{f.severity}[/]\n{f.code}",
                          inert(f.message) + (f"\n[dim]{inert(f.hint)}[/]" if f.hint else ""))
        console.print(table)
        console.print()
    print_summary(results, console, account)


def print_summary(results: Sequence[ReturnResult], console: Console, account: Account,
                  extra: Sequence[tuple[str, object]] = ()) -> None:
    """The summary table: files and findings from the results; agencies, entries, rejected rows,
    missing and unusable returns from the closing account, so the table and the account printed
    after it give the same numbers (`extra` rows go before the missing and unusable returns)."""
    table = Table(title="Summary", show_header=False, title_justify="left")
    table.add_column("What")
    table.add_column("How many", justify="right")
    rows: list[tuple[str, object]] = [
        ("Files", len(results)),
        ("Skipped files", sum(1 for r in results if r.skipped)),
        ("Agencies with a usable return", len(account.usable_agencies)),
        ("Entries", account.entries),
        ("Rejected rows", account.rejected_rows),
        ("Errors", sum(_errors(r) for r in results)),
        ("Warnings", sum(_warnings(r) for r in results)),
        *extra,
        ("Missing returns", len(account.missing)),
        ("Agencies without a usable return", len(account.unusable_agencies())),
        ("Unusable files", len(account.unusable)),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    console.print(table)


def review_line(review_file: str | None) -> str:
    """Which review.toml a command used, or what having none means."""
    if review_file:
        return f"Review: {review_file}"
    return "No review.toml: agencies taken from the files, no period checks."


def edit_lines(findings: Sequence[Finding]) -> list[str]:
    """One line per finding about a combined workbook an analyst edited (rows added by hand, a
    Ref on two rows...), as gaps and new-imr print them before their results."""
    from sarkit.output.agency_wording import where

    return [f"{found.file}, {where(found)}: {found.message}" for found in findings]


def account_lines(account: Account, label: Callable[[str], str] = str) -> list[str]:
    """The closing account in plain words, by agency (text from files not yet made inert)."""
    lines = [review_line(account.review_file)]
    for name in account.missing:
        seen = misfiled_text(account, name)
        lines.append(f"{label(name)}: missing — no return was received under its name{seen}. "
                     "Ask the agency for it." if seen else
                     f"{label(name)}: missing — no return was received. Ask the agency for it.")
    for u in account.unusable:
        who = label(u.agency) if u.agency else "Agency unknown"
        rows = f" ({unusable_rows_text(u)})" if u.rows and not u.repeated else ""
        what = ("unusable file (another of its returns was used)" if u.agency in account.usable_agencies
                else "unusable")
        lines.append(f"{who}: {what} — {u.file}{rows}: {u.reason}"
                     + (f" Fix: {u.fix}" if u.fix else ""))
    by_file: dict[tuple[str | None, str], list] = {}
    for r in account.rejected:
        by_file.setdefault((r.agency, r.file), []).append(r)
    for (agency, file), rows in by_file.items():
        who = label(agency) if agency else "Agency unknown"
        by_sheet: dict[str | None, list] = {}
        for r in rows:
            by_sheet.setdefault(r.sheet, []).append(r)
        if len(by_sheet) == 1:  # one sheet: named once, before the rows
            sheet = f", sheet {rows[0].sheet}" if rows[0].sheet else ""
            shown = _rejected_rows(rows)
        else:  # rows of several sheets: each sheet named before its own rows
            sheet = ""
            shown = "; ".join(f"sheet {name}: {_rejected_rows(part)}" if name else _rejected_rows(part)
                              for name, part in by_sheet.items())
        fix = ("Correct these cells in the combined workbook, or collate the returns again."
               if file == account.workbook else "Fix these cells and send the return again.")
        lines.append(f"{who}: {plural(len(rows), 'row')} rejected — {file}{sheet}: {shown}. {fix}")
    repeats = (f", {plural(account.repeats, 'repeated row')} collated once"
               if account.repeats else "")
    if account.unaccounted or account.unlisted:
        lines.append(f"{plural(account.rows, 'row')} read: {account.entries} in the chronology, "
                     f"{account.rejected_rows} rejected{rejected_split(account)}{repeats}; "
                     f"{account.unaccounted + account.unlisted} not accounted for. This is a fault "
                     "in sarkit: please report it.")
    elif account.complete:
        lines.append(f"All {plural(account.rows, 'row')} accounted for: "
                     f"{plural(account.entries, 'entry', 'entries')} in the chronology{repeats}.")
    else:
        lines.append(f"Not complete: {plural(account.entries, 'entry', 'entries')} in the "
                     f"chronology, {account.rejected_rows} of {plural(account.rows, 'row')} "
                     f"rejected{rejected_split(account)}{repeats}, "
                     f"{plural(len(account.missing), 'agency', 'agencies')} missing, "
                     f"{plural(len(account.unusable_agencies()), 'agency', 'agencies')} without a "
                     f"usable return, {plural(len(account.unusable), 'unusable file')}.")
    return lines + identifier_lines(account, label)


def _rejected_rows(rows: list) -> str:
    """'row 6 (A6: date-invalid); row 9 (B9, D9: date-missing, source-missing)'."""
    return "; ".join(
        f"row {r.row} ({', '.join(r.cells) + ': ' if r.cells else ''}{', '.join(r.codes)})"
        for r in rows)


def print_account(account: Account, console: Console, label: Callable[[str], str] = str) -> None:
    """The closing account on the terminal (every run of validate, collate and gaps)."""
    for line in account_lines(account, label):
        console.print(inert(line), highlight=False, soft_wrap=True)


def write_feedback(results: Sequence[ReturnResult], folder: Path, review: Review, *,
                   reply_by: dt.date | None = None) -> tuple[list[Path], list[tuple[str, str]]]:
    """A feedback letter per return, as .docx and as plain text to paste into an email (the
    caller has checked the names `feedback_names` gives against the output rules): the files
    written, and (return path, why not) for each letter that could not be written."""
    from sarkit.output.feedback import write_letters

    return write_letters(results, folder, review, feedback_names(results, folder), reply_by=reply_by)


def feedback_names(results: Sequence[ReturnResult], folder: Path | None = None) -> dict[str, str]:
    """Return path -> `<file stem>-feedback` (the letters add .docx and .txt), cut to fit `folder`."""
    from sarkit.output.feedback import return_file_names

    return return_file_names(results, "-feedback", folder, later=".docx")
