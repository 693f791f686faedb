"""`sarkit actions`: progress on the agencies' action plans, for the review group."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sarkit.commands.options import ForceOption, PasswordOption, PasswordsOption, ReviewOption
from sarkit.errors import usage_error


class ActionsFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def actions(
    plans: Annotated[
        list[Path],
        typer.Argument(help="Filled-in action plans, and folders of them (searched recursively)."),
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Report as on this date (dd/mm/yyyy); default today."),
    ] = None,
    output_format: Annotated[
        ActionsFormat, typer.Option("--format", help="table (for people) or json (for scripts).")
    ] = ActionsFormat.TABLE,
    md: Annotated[Path | None, typer.Option("--md", help="Also write the report as Markdown.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the report as HTML.")] = None,
    agency: Annotated[
        str | None,
        typer.Option("--agency", help="The agency of plans whose rows and file name do not say."),
    ] = None,
    review: ReviewOption = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", help="Use this Jinja template for the --md or --html report."),
    ] = None,
    force: ForceOption = False,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
) -> None:
    """Report on action plans: counts by status and RAG, overdue, due soon, missing evidence.

    Overdue: target date before --as-of and not Complete. Due soon: target date within 30 days.
    Completed without evidence: Complete with no Supporting Evidence. Incomplete: no Lead Officer
    or no Target Date. A plan that cannot be read is reported and the others carry on.

    \b
    Example:
        sarkit actions returns/plans/ --as-of 31/03/2026 --html out/actions.html
    """
    from sarkit.action_plans import report_actions
    from sarkit.commands.options import load_passwords
    from sarkit.intake import is_junk, password_for
    from sarkit.intake.action_plans import read_action_plan
    from sarkit.output.atomic import check_output_path
    from sarkit.returns import expand_paths
    from sarkit.review import find_review

    the_review = find_review(review)
    day = _as_of(as_of)
    if template is not None and md is not None and html is not None:
        raise usage_error("--template applies to one report: give it with --md or with --html, not both.")
    for path in (md, html):
        if path is not None:
            check_output_path(path, force=force, inputs=plans)
    files = [f for f in expand_paths(plans) if not is_junk(f)]
    secrets = load_passwords(password, passwords)
    rows, findings = [], []
    for path in files:
        result = read_action_plan(path, agency=agency, review=the_review,
                                  password=password_for(path.name, secrets, str(path)))
        rows.extend(result.rows)
        findings.extend(result.findings)
    if the_review.pseudonyms:
        _pseudonymise(rows, the_review.pseudonyms)
    report = report_actions(rows, as_of=day, agency_order=[a.name for a in the_review.agencies],
                            findings=findings, files=[str(f) for f in files])
    for item in findings:
        typer.echo(_finding_line(item), err=True)
    if output_format is ActionsFormat.JSON:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_tables(report, the_review)
    if md is not None:
        _write_report(md, "actions-report.md.j2", report, the_review, template, autoescape=False)
    if html is not None:
        _write_report(html, "actions-report.html.j2", report, the_review, template, autoescape=True)


def _as_of(text: str | None) -> dt.date:
    """--as-of as a day (day first, like every date in sarkit); default today."""
    from sarkit.dates import DateError, Precision, parse_date

    if text is None:
        return dt.date.today()
    try:
        date, _ = parse_date(text)
    except DateError:
        date = None
    if date is None or date.precision is not Precision.DAY:
        raise usage_error("--as-of is not a date.", hint="Give a day, day first: --as-of 31/03/2026.")
    return date.start


def _pseudonymise(rows, pseudonyms: dict[str, str]) -> None:
    from sarkit.output.safe_text import TextCleaner

    clean = TextCleaner(pseudonyms)
    for row in rows:
        for key in ("recommendation", "action", "lead_officer", "progress", "evidence", "critical_friend"):
            setattr(row, key, clean(getattr(row, key)))



def _finding_line(item) -> str:
    """One finding on stderr: where, what, how to fix; never a cell's value."""
    where = ", ".join(p for p in (item.file, item.sheet and f"sheet {item.sheet}",
                                  item.cell and f"cell {item.cell}") if p)
    return f"{str(item.severity).capitalize()}: {where}: {item.message} {item.hint}".rstrip()


def _write_report(path: Path, name: str, report, review, template: Path | None, *, autoescape: bool):
    from sarkit.output.files import write_text_atomically
    from sarkit.output.rendering import render_template

    context = report_context(report, review)
    text = render_template(name, context, review=review, template_file=template, autoescape=autoescape)
    write_text_atomically(path, text)
    typer.echo(f"Wrote {path}.", err=True)


def report_context(report, review) -> dict[str, object]:
    """What the report templates show: the report itself and the review's header."""
    from sarkit.action_plans import RAGS, STATUSES

    statuses = list(STATUSES)
    rags = list(RAGS)
    for counts in report.agencies:
        statuses += [s for s in counts.by_status if s not in statuses]
        rags += [r for r in counts.by_rag if r not in rags]
    return {
        "report": report,
        "review": review,
        "reference": review.reference,
        "subject": review.subject,
        "marking": review.marking,
        "as_of": report.as_of.strftime("%d/%m/%Y"),
        "statuses": statuses,
        "rags": rags,
        "sections": [
            ("Overdue", "Target date passed and not complete.", report.overdue),
            ("Due in the next 30 days", "Not complete, target date within 30 days.", report.due_soon),
            ("Completed without evidence", "Marked Complete with no Supporting Evidence.",
             report.completed_without_evidence),
            ("Incomplete", "No Lead Officer or no Target Date.", report.incomplete),
        ],
    }


def _print_tables(report, review) -> None:
    from rich.table import Table

    from sarkit.output.terminal import inert, make_console

    console = make_console()
    context = report_context(report, review)
    title = f"Action plans as of {context['as_of']}"
    if review.reference:
        title += f" — {inert(review.reference)}"
    if not report.agencies:
        console.print(f"{title}: no actions found in {len(report.files)} plan(s).")
        return
    console.print(title)
    for caption, names, key in (("Actions by status", context["statuses"], "by_status"),
                                ("Actions by RAG", context["rags"], "by_rag")):
        table = Table(title=caption, title_justify="left")
        table.add_column("Agency", overflow="fold")
        table.add_column("Actions", justify="right")
        for name in names:
            table.add_column(name, justify="right")
        for counts in report.agencies:
            tally = getattr(counts, key)
            table.add_row(inert(review.label(counts.agency)), str(counts.actions),
                          *[str(tally.get(n, 0)) for n in names])
        console.print(table)
    for heading, meaning, items in context["sections"]:
        if not items:
            console.print(f"{heading}: none.")
            continue
        section = Table(title=f"{heading} ({len(items)}): {meaning}", title_justify="left")
        for column in ("Agency", "Ref", "Action", "Target date", "Lead officer"):
            section.add_column(column, overflow="fold")
        for item in items:
            section.add_row(*(inert(text) for text in (
                review.label(item.agency), item.ref, item.action, item.target_display,
                item.lead_officer)))
        console.print(section)


def register(app: typer.Typer) -> None:
    """Add `actions` to the app."""
    app.command("actions")(actions)
