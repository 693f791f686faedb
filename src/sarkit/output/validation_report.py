"""The validation report for people (rich tables), for scripts (JSON) and for agencies (feedback)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from sarkit.entries import ReturnResult
from sarkit.findings import Finding, Severity, count
from sarkit.review import Review

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _errors(result: ReturnResult) -> int:
    return count(result.findings, Severity.ERROR)


def _warnings(result: ReturnResult) -> int:
    return count(result.findings, Severity.WARNING)


def is_valid(results: Sequence[ReturnResult], *, strict: bool = False) -> bool:
    """No errors (and, with --strict, no warnings) in any file."""
    return not any(_errors(r) or (strict and _warnings(r)) for r in results)


def validation_json(results: Sequence[ReturnResult], *, strict: bool = False,
                    show_values: bool = False) -> dict[str, object]:
    """The one JSON object of DESIGN.md §4."""
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
    }


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 entry', '3 entries'."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def _place(f: Finding) -> str:
    """Where a finding is: its cell, else its row (and column: Word tables have no A1 cells)."""
    if f.cell:
        return f.cell
    if f.row and f.column:
        return f"row {f.row}, {f.column}"
    if f.row:
        return f"row {f.row}"
    return ""


def print_validation(results: Sequence[ReturnResult], console: Console) -> None:
    """One table of findings per file, then a summary line per file and in total."""
    for r in results:
        if r.skipped:
            continue
        status = "[green]no problems[/]" if not r.findings else (
            f"{plural(_errors(r), 'error')}, {plural(_warnings(r), 'warning')}")
        agency = r.agency or "agency unknown"
        detail = plural(len(r.entries), "entry", "entries") + (" (nil return)" if r.nil else "")
        if r.rejected_rows:
            detail += f", {plural(r.rejected_rows, 'row')} rejected"
        console.print(f"[bold]{r.path}[/] — {agency}, {detail}: {status}", highlight=False,
                      soft_wrap=True)
        if not r.findings:
            continue
        table = Table(show_edge=False, pad_edge=False, expand=False, show_lines=False)
        table.add_column("Where", no_wrap=True)
        table.add_column("Finding", no_wrap=True)
        table.add_column("Message", overflow="fold", ratio=1)
        for f in r.findings:
            where = "\n".join(part for part in (_place(f), f.sheet) if part)
            table.add_row(where, f"[{SEVERITY_STYLE[f.severity]}]{f.severity}[/]\n{f.code}",
                          f.message + (f"\n[dim]{f.hint}[/]" if f.hint else ""))
        console.print(table)
        console.print()
    print_summary(results, console)


def print_summary(results: Sequence[ReturnResult], console: Console,
                  extra: Sequence[tuple[str, object]] = ()) -> None:
    """The closing table: files, agencies, entries, rejected rows, errors, warnings."""
    agencies = {a for r in results for a in ([r.agency] if r.agency else [])}
    table = Table(title="Summary", show_header=False, title_justify="left")
    table.add_column("What")
    table.add_column("How many", justify="right")
    rows: list[tuple[str, object]] = [
        ("Files", len(results)),
        ("Skipped files", sum(1 for r in results if r.skipped)),
        ("Agencies", len(agencies)),
        ("Entries", sum(len(r.entries) for r in results)),
        ("Rejected rows", sum(r.rejected_rows for r in results)),
        ("Errors", sum(_errors(r) for r in results)),
        ("Warnings", sum(_warnings(r) for r in results)),
        *extra,
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    console.print(table)


def feedback_name(result: ReturnResult) -> str:
    """`<return file stem>-feedback.md`, safe for any file system."""
    stem = re.sub(r"[^\w.-]+", "-", Path(result.path.split(" › ")[-1]).stem).strip("-")
    return f"{stem or 'return'}-feedback.md"


def write_feedback(results: Sequence[ReturnResult], folder: Path, review: Review) -> list[Path]:
    """One plain-language feedback file per return, for the administrator to email back."""
    from sarkit.output.jinja_env import template_environment

    env = template_environment(review.folder, autoescape=False)
    template = env.get_template("feedback.md.j2")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    used: set[str] = set()
    for r in results:
        if r.skipped:
            continue
        name = feedback_name(r)
        while name in used:
            name = "x-" + name
        used.add(name)
        errors = [f for f in r.findings if f.severity == Severity.ERROR]
        warnings = [f for f in r.findings if f.severity == Severity.WARNING]
        notes = [f for f in r.findings if f.severity == Severity.INFO]
        text = template.render(review=review, result=r, file_name=Path(r.path).name,
                               errors=errors, warnings=warnings, notes=notes, place=_place)
        target = folder / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
