"""`sarkit actions`: progress on the agencies' action plans, for the review group."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sarkit.commands.options import (
    ForceOption,
    PasswordOption,
    PasswordsOption,
    QuietOption,
    ReviewOption,
    check_suffix,
)
from sarkit.errors import usage_error
from sarkit.output.terminal import echo_json


class ActionsFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def actions(
    plans: Annotated[
        list[Path],
        typer.Argument(metavar="PATH...", show_default=False,
                       help="Filled-in action plans, and folders of them (searched recursively)."),
    ],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help="Report as on this date (dd/mm/yyyy); default today."),
    ] = None,
    output_format: Annotated[
        ActionsFormat, typer.Option("--format", metavar="table|json",
                                   help="table (for people) or json (for scripts).")
    ] = ActionsFormat.TABLE,
    md: Annotated[Path | None, typer.Option("--md", metavar="FILE",
                                            help="Also write the report as Markdown (.md).")] = None,
    html: Annotated[Path | None, typer.Option("--html", metavar="FILE",
                                              help="Also write the report as HTML (.html).")] = None,
    agency: Annotated[
        str | None,
        typer.Option("--agency", metavar="NAME",
            help="The agency of plans whose rows and file name do not say."),
    ] = None,
    review: ReviewOption = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", metavar="FILE",
            help="Use this Jinja template for the --md or --html report."),
    ] = None,
    force: ForceOption = False,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
    quiet: QuietOption = False,
) -> None:
    """Report on action plans: counts by status and RAG, the latest progress update of each
    action, overdue, due soon, missing evidence, and the agencies with no plan yet.

    Overdue: target date before --as-of and not Complete. Due soon: target date within 30 days.
    Completed without evidence: Complete with no Supporting Evidence. Incomplete: no Lead Officer
    or no Target Date. A plan that cannot be read is reported and the others carry on.

    Two versions of one agency's plan (plan.xlsx and plan-v2.xlsx) count each action once, from
    the later version (the higher version mark in the name, else the file modified last).

    Exit code 0 when every plan was read, 1 when a plan could not be read or had another error
    (the report of the others is still given) or no action plan was found, 2 for a usage error.

    \b
    Example:
        sarkit actions plans/ --as-of 31/03/2026 --html out/actions.html
    """
    from sarkit.action_plans import report_actions
    from sarkit.commands.inputs import refuse_not_plans
    from sarkit.commands.options import load_passwords
    from sarkit.findings import Severity
    from sarkit.intake import is_junk, password_for
    from sarkit.intake.action_plans import read_action_plan
    from sarkit.output.atomic import check_output_path
    from sarkit.plan_versions import PlanFile, one_version_each
    from sarkit.returns import expand_paths
    from sarkit.review import find_review

    the_review = find_review(review)
    if agency and the_review.agencies and the_review.find_agency(agency) is None:
        raise usage_error(f"The agency {agency} is not in review.toml.",
                          hint="Agencies known: " + "; ".join(a.name for a in the_review.agencies) + ".")
    day = _as_of(as_of)
    if template is not None and md is not None and html is not None:
        raise usage_error("--template applies to one report: give it with --md or with --html, not both.")
    check_suffix(md, (".md",), "--md", "the report as Markdown")
    check_suffix(html, (".html", ".htm"), "--html", "the report as HTML")
    for path in (md, html):
        if path is not None:
            check_output_path(path, force=force, inputs=plans)
    refuse_not_plans(plans)
    files = [f for f in expand_paths(plans) if not is_junk(f)]
    secrets = load_passwords(password, passwords)
    read, findings, unopened, returns = [], [], [], []
    for path in files:
        result = read_action_plan(path, agency=agency, review=the_review,
                                  password=password_for(path.name, secrets, str(path)))
        if result.chronology:
            returns.append(path)
        read.append(PlanFile(result.path, result.rows, _modified(path)))
        findings.extend(result.findings)
        if any(f.severity is Severity.ERROR and f.row is None and f.code != "no-chronology-sheet"
               for f in result.findings):
            unopened.append(result.path)
    if files and len(returns) == len(files):
        raise _only_returns(plans, files)
    rows, repeats = one_version_each(read)
    findings.extend(repeats)
    if the_review.pseudonyms:
        _pseudonymise(rows, the_review.pseudonyms)
    report = report_actions(rows, as_of=day, agency_order=[a.name for a in the_review.agencies],
                            findings=findings, files=[str(f) for f in files])
    for item in findings:
        typer.echo(_finding_line(item), err=True)
    if output_format is ActionsFormat.JSON:
        echo_json(report.to_json(), indent=2)
    else:
        _print_tables(report, the_review)
    if md is not None:
        _write_report(md, "actions-report.md.j2", report, the_review, template, autoescape=False,
                      quiet=quiet)
    if html is not None:
        _write_report(html, "actions-report.html.j2", report, the_review, template, autoescape=True,
                      quiet=quiet)
    if not rows:
        typer.echo(f"Error: no action was found in {' '.join(str(p) for p in plans)}: "
                   f"{_why_none(files, unopened)}.", err=True)
        if not unopened:
            typer.echo("Give the folder of filled-in action plans (made by sarkit new-action-plan), "
                       "e.g. sarkit actions plans/", err=True)
        raise typer.Exit(1)
    if any(f.severity is Severity.ERROR for f in findings):
        raise typer.Exit(1)  # the report stands, but an input had an error, as for every command


def _only_returns(plans: list[Path], files: list[Path]):
    """The usage error when every file given is an agency's chronology return, not a plan."""
    from sarkit.wording import and_list

    if len(files) == 1 and len(plans) == 1 and Path(plans[0]).is_file():
        what = f"{plans[0]} is an agency's chronology return, not an action plan"
    else:
        what = (f"{and_list([str(p) for p in plans], at_most=3)} "
                f"{'holds' if len(plans) == 1 else 'hold'} only the agencies' chronology returns "
                f"({len(files)} files), not action plans")
    return usage_error(f"{what}: sarkit actions reads the agencies' filled-in action plans.",
                       hint="Give the agencies' action plans, e.g. sarkit actions plans/ (sarkit validate "
                            "and sarkit collate read the returns).")


def _why_none(files: list[Path], unopened: list[str]) -> str:
    """Why no action was read: no file, plans that could not be opened, or no plan at all."""
    from sarkit.wording import and_list

    if not files:
        return "no file there is an action plan"
    if not unopened:
        return "none of its files is an action plan"
    opened = len(files) - len(unopened)
    could = "could not be opened (see the error above)"
    rest = f", and none of the other {opened} is an action plan" if opened else ""
    return f"{and_list(unopened, at_most=3)} {could}{rest}"


def _modified(path: Path) -> float:
    """When the file was last modified (0 when the file system cannot say)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


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


def _write_report(path: Path, name: str, report, review, template: Path | None, *, autoescape: bool,
                  quiet: bool) -> None:
    from sarkit.output.files import write_text_atomically
    from sarkit.output.rendering import render_template

    context = report_context(report, review)
    text = render_template(name, context, review=review, template_file=template, autoescape=autoescape)
    write_text_atomically(path, text)
    if not quiet:
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
        title += f" — {review.reference}"
    missing = [review.label(name) for name in report.without_plan]
    if not report.agencies:
        console.print(inert(f"{title}: no actions found in {len(report.files)} plan(s)."))
        _print_without_plan(console, missing)
        return
    console.print(inert(title))
    widest = _longest_word([review.label(a.agency) for a in report.agencies])
    for caption, names, key in (("Actions by status", context["statuses"], "by_status"),
                                ("Actions by RAG", context["rags"], "by_rag")):
        table = Table(title=caption, title_justify="left")
        table.add_column("Agency", min_width=widest)
        table.add_column("Actions", justify="right")
        for name in names:
            table.add_column(inert(name), justify="right", min_width=_longest_word([name]))
        for counts in report.agencies:
            tally = getattr(counts, key)
            table.add_row(inert(review.label(counts.agency)), str(counts.actions),
                          *[str(tally.get(n, 0)) for n in names])
        console.print(table)
    _print_without_plan(console, missing)
    progress = Table(title="Latest progress update per action", title_justify="left")
    progress.add_column("Agency", min_width=widest)
    progress.add_column("Ref", min_width=_longest_word([p.ref for p in report.progress]))
    progress.add_column("Status", min_width=_longest_word([p.status for p in report.progress]))
    progress.add_column("Latest update", ratio=1)
    for item in report.progress:
        progress.add_row(inert(review.label(item.agency)), inert(item.ref), inert(item.status),
                         inert(item.latest_update or "none recorded"))
    console.print(progress)
    for heading, meaning, items in context["sections"]:
        if not items:
            console.print(f"{heading}: none.")
            continue
        section = Table(title=f"{heading} ({len(items)}): {meaning}", title_justify="left")
        section.add_column("Agency", min_width=widest)
        section.add_column("Ref", min_width=_longest_word([i.ref for i in items]))
        section.add_column("Action", ratio=1)
        section.add_column("Target date", min_width=10)
        section.add_column("Lead officer")
        for item in items:
            section.add_row(inert(review.label(item.agency)), inert(item.ref), inert(item.action),
                            inert(item.target_display), inert(item.lead_officer))
        console.print(section)


def _print_without_plan(console, missing: list[str]) -> None:
    """The agencies of review.toml that have no action plan yet, in one sentence."""
    from sarkit.output.terminal import inert
    from sarkit.wording import plural

    if missing:
        console.print(inert(f"No plan yet from {plural(len(missing), 'agency', 'agencies')}: "
                            f"{', '.join(missing)}."), soft_wrap=False)


def _longest_word(texts: list[str]) -> int:
    """The width of the longest word, so a column never breaks one."""
    return max((len(word) for text in texts for word in str(text).split()), default=1)


def register(app: typer.Typer) -> None:
    """Add `actions` to the app."""
    app.command("actions")(actions)
