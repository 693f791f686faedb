"""`sarkit gaps`: gaps in service provision and cross-agency overlaps, before the workshop."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sarkit.commands.inputs import refuse_given_not_returns
from sarkit.commands.options import (
    ForceOption,
    GapDaysOption,
    LimitOption,
    MapOption,
    PasswordOption,
    PasswordsOption,
    QuietOption,
    RedactOption,
    ReviewOption,
    SchemaOption,
    WindowOption,
    WriteStrictOption,
    check_suffix,
    file_progress,
    read_options,
    refuse_output_inside_inputs,
    require_returns,
    returns_paths,
    writing,
)
from sarkit.errors import SarkitError, usage_error
from sarkit.output.terminal import WatchedStream, echo_json, make_console, replaced_note
from sarkit.output.validation_report import edit_lines, print_account
from sarkit.returns import expand_paths
from sarkit.schema import normalise_header

if TYPE_CHECKING:
    from sarkit.output.analysis_report import GapsReport


class GapsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def gaps(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="[PATH]...", show_default=False,
        help="A combined workbook made by sarkit collate, or return files and folders (default: "
        "returns/ next to review.toml).")] = None,
    review: ReviewOption = None,
    schema: SchemaOption = None,
    mapping: MapOption = None,
    agency: Annotated[str | None, typer.Option(
        "--agency", metavar="NAME", help="Show only this agency's gaps (with the all-agency gaps) and the "
        "overlaps it is part of. Returns that do not say their agency are read as its.")] = None,
    gap_days: GapDaysOption = None,
    window: WindowOption = None,
    output_format: Annotated[GapsFormat, typer.Option(
        "--format", metavar="table|json|csv",
        help="table (for people), json or csv (for other tools).")] = GapsFormat.table,
    html: Annotated[Path | None, typer.Option(
        "--html", metavar="FILE", help="Also write the workshop pack: one self-contained HTML file.")] = None,
    strict: WriteStrictOption = False,
    force: ForceOption = False,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
    redact: RedactOption = False,
) -> None:
    """Find referrals never answered, gaps in service provision, overlaps with no recorded
    communication, patterns, possible duplicates and missing returns; optionally write the
    workshop pack (the workshop's agenda).

    Works on the combined workbook or straight on the returns (collated in memory), with the
    same answers. The terminal shows the top rows of each table; --format csv has them all.
    Results go to stdout, messages and the closing account to stderr. Exit code 0 when the
    chronology is complete and no return had an error, 1 when the results were written but a
    return had an error or an agency's return is missing or unusable (with --strict no result
    is written then, to stdout or --html), 2 for a usage error (no return found too).

    \b
    Example:
        sarkit gaps out/combined.xlsx --html out/workshop.html
        sarkit gaps --agency Police
    """
    # imported here, not above: `sarkit gaps --help` needs none of them (numpy among them)
    from sarkit.analysis import analysis_to_json
    from sarkit.output.analysis_report import GapsReport, narrow, print_report, write_csv
    from sarkit.pipeline.chronology import Settings, add_trails_and_patterns, is_combined, load

    check_suffix(html, (".html", ".htm"), "--html", "the workshop pack as HTML")
    options = read_options(review=review, schema=schema, mapping=mapping, agency=agency,
                           show_values=False, password=password, passwords=passwords,
                           limits=limit)
    paths = returns_paths(paths, options.review, "gaps", combined_ok=True)
    from sarkit.vocabulary import vocabulary_for

    vocabulary_for(options.review, schema)  # a wrong kind in review.toml stops it before reading
    if html is not None:
        from sarkit.output.atomic import check_output_path

        refuse_output_inside_inputs(html, paths)
        check_output_path(html, force=force, inputs=paths)
    combined = len(paths) == 1 and is_combined(paths[0], options.passwords)
    files = [] if combined else expand_paths(paths)
    with file_progress(len(files), quiet=quiet) as progress:
        chronology = load(paths, options, Settings(gap_days, window), progress=progress,
                          files=files or None, redact=redact, combined=combined)
    collation = chronology.collation
    if chronology.source == "returns":
        refuse_given_not_returns(paths, collation.results, "gaps", options.passwords)
        require_returns(paths, collation.results)
    add_trails_and_patterns(chronology, schema)
    if not collation.entries and not any(a.nil for a in collation.agencies):
        print_account(collation.account, make_console(stderr=True), chronology.review.label)
        raise SarkitError("No entries could be read from the returns given.",
                          hint="Run: sarkit validate " + " ".join(map(str, paths)))
    report = GapsReport(
        review=chronology.review, entries=collation.entries, analysis=collation.analysis,
        agency_order=collation.agency_order, labels=chronology.labels,
        gap_days=collation.gap_days, window_days=collation.window_days, account=collation.account,
        settings_note=chronology.settings_note,
    )
    if chronology.settings_note:
        typer.echo(chronology.settings_note, err=True)
    if chronology.source == "combined":
        for line in edit_lines(collation.findings):  # analysts' edits to the workbook, each said
            typer.echo(line, err=True)
    if agency:
        report.agency = _which_agency(agency, report)
        report.analysis = narrow(report.analysis, report.agency)

    complete = report.account.complete and not report.account.errors
    if strict and not complete:
        print_account(report.account, make_console(stderr=True), report.label)
        check = (" Run: sarkit validate " + " ".join(map(str, paths))
                 if chronology.source == "returns" else "")
        typer.echo("Nothing written (no results" + (f" and no {html}" if html is not None else "")
                   + "): the chronology is not complete or a return had an error, and --strict "
                   "was given." + check, err=True)
        raise typer.Exit(1)
    if output_format == GapsFormat.json:
        data = {**analysis_to_json(report.analysis), "account": report.account.to_json()}
        echo_json(data, indent=2)
    elif output_format == GapsFormat.csv:
        watched = WatchedStream(sys.stdout)
        write_csv(report, watched)  # type: ignore[arg-type]
        if watched.replaced:
            typer.echo(replaced_note(sys.stdout), err=True)
    else:
        print_report(report, make_console())
    print_account(report.account, make_console(stderr=True), report.label)
    if html is not None:
        from sarkit.output.atomic import atomic_output
        from sarkit.output.workshop import write_workshop_pack

        with writing(html, quiet=quiet), atomic_output(html) as temporary:
            write_workshop_pack(report, temporary)
        size = html.stat().st_size
        typer.echo(f"Wrote {html} (the workshop pack, {size / 1024:,.0f} KB).", err=True)
    if not complete:
        raise typer.Exit(1)


def _which_agency(given: str, report: GapsReport) -> str:
    """The agency --agency means: by review.toml (name, short name, alias), else as the
    chronology names it (full or short name, case and punctuation ignored)."""
    known = report.review.find_agency(given)
    if known is not None:
        return known.name
    wanted = normalise_header(given)
    for name in report.agency_order:
        if wanted in (normalise_header(name), normalise_header(report.label(name))):
            return name
    shown = ", ".join(report.label(n) for n in report.agency_order) or "none"
    raise usage_error(f"There is no agency {given} in this chronology.",
                 hint=f"The agencies are: {shown}.")



def register(app: typer.Typer) -> None:
    app.command()(gaps)
