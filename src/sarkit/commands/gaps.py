"""`sarkit gaps`: gaps in service provision and cross-agency overlaps, before the workshop."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sarkit.analysis import analyse, analysis_to_json
from sarkit.collate import agency_order
from sarkit.collate import collate as collate_returns
from sarkit.commands.options import (
    ForceOption,
    LimitOption,
    MapOption,
    PasswordOption,
    PasswordsOption,
    QuietOption,
    ReviewOption,
    SchemaOption,
    file_progress,
    read_options,
)
from sarkit.errors import SarkitError, usage_error
from sarkit.intake.combined import is_combined_workbook, read_combined_workbook
from sarkit.output.analysis_report import GapsReport, narrow, print_report, write_csv
from sarkit.review import Agency, Review, find_review
from sarkit.schema import normalise_header


class GapsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def gaps(
    paths: Annotated[list[Path], typer.Argument(
        help="A combined workbook made by sarkit collate, or return files and folders.")],
    review: ReviewOption = None,
    schema: SchemaOption = None,
    mapping: MapOption = None,
    agency: Annotated[str | None, typer.Option(
        "--agency", help="Show only this agency's gaps (with the all-agency gaps) and the "
        "overlaps it is part of. Returns that do not say their agency are read as its.")] = None,
    gap_days: Annotated[int | None, typer.Option(
        "--gap-days", min=1, help="Override review.toml's gap_days.")] = None,
    window: Annotated[int | None, typer.Option(
        "--window", min=0, help="Override review.toml's overlap_window_days (0 = same day).")] = None,
    output_format: Annotated[GapsFormat, typer.Option(
        "--format", help="table (for people), json or csv (for other tools).")] = GapsFormat.table,
    html: Annotated[Path | None, typer.Option(
        "--html", help="Also write the workshop pack: one self-contained HTML file.")] = None,
    force: ForceOption = False,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
) -> None:
    """Find gaps in service provision, overlaps with no recorded communication, possible
    duplicates and missing returns; optionally write the printable workshop pack.

    Works on the combined workbook or straight on the returns (collated in memory), with the
    same answers. Results go to stdout, messages to stderr.

    Example:

        sarkit gaps out/combined.xlsx --html out/workshop.html
    """
    if html is not None:
        from sarkit.output.atomic import check_output_path

        check_output_path(html, force=force, inputs=paths)
    combined = [p for p in paths if p.is_file() and is_combined_workbook(p)]
    if combined and len(paths) > 1:
        raise usage_error(f"{combined[0]} is a combined workbook; give it on its own, or give the "
                     "returns instead.")
    if combined:
        report = _from_combined(combined[0], find_review(review), gap_days, window)
    else:
        options = read_options(review=review, schema=schema, mapping=mapping, agency=agency,
                               show_values=False, password=password, passwords=passwords,
                           limits=limit)
        report = _from_returns(paths, options, gap_days, window, quiet=quiet)
    if agency:
        report.agency = _which_agency(agency, report)
        report.analysis = narrow(report.analysis, report.agency)

    if output_format == GapsFormat.json:
        typer.echo(json.dumps(analysis_to_json(report.analysis), indent=2, ensure_ascii=False))
    elif output_format == GapsFormat.csv:
        write_csv(report, sys.stdout)
    else:
        print_report(report, Console(highlight=False))
    if html is not None:
        from sarkit.output.atomic import atomic_output
        from sarkit.output.workshop import write_workshop_pack

        with atomic_output(html) as temporary:
            write_workshop_pack(report, temporary)
        size = html.stat().st_size
        typer.echo(f"Wrote {html} (the workshop pack, {size / 1024:,.0f} KB).", err=True)


def _from_combined(path: Path, review: Review, gap_days: int | None,
                   window: int | None) -> GapsReport:
    """Analyse a combined workbook's entries afresh, with review.toml's settings (or, with no
    review.toml, with the settings the workbook was made with)."""
    entries, about = read_combined_workbook(path)
    labels = {a["name"]: a["short"] for a in about["agencies"]}
    if review.path is None:
        review = Review(
            reference=about["reference"], subject=about["subject"] or review.subject,
            marking=about["marking"] or review.marking, period_start=about["period_start"],
            period_end=about["period_end"], gap_days=about["gap_days"] or review.gap_days,
            overlap_window_days=about["window_days"] or 0,
        )
        agencies: list[Agency] = []
    else:
        agencies = review.agencies
    gap_days = review.gap_days if gap_days is None else gap_days
    window = review.overlap_window_days if window is None else window
    analysis = analyse(
        entries, agencies=agencies, returned=about["returned"],
        period=(review.period_start, review.period_end), gap_days=gap_days, window_days=window,
    )
    names = {e.agency for e in entries} | set(labels)
    return GapsReport(
        review=review, entries=entries, analysis=analysis,
        agency_order=agency_order(review, names), labels=labels,
        gap_days=max(1, gap_days), window_days=max(0, window),
    )


def _from_returns(paths: list[Path], options, gap_days: int | None, window: int | None, *,
                  quiet: bool) -> GapsReport:
    from sarkit.returns import expand_paths, read_returns

    files = expand_paths(paths)
    with file_progress(len(files), quiet=quiet) as progress:
        results = read_returns(files, options, progress=progress)
    collation = collate_returns(results, options.review, gap_days=gap_days, window_days=window)
    if not collation.entries and not any(r.nil for r in results):
        raise SarkitError("No entries could be read from the returns given.",
                          hint="Run: sarkit validate " + " ".join(map(str, paths)))
    if collation.rejected_rows and not quiet:
        typer.echo(f"Note: {collation.rejected_rows} rows had errors and are left out; "
                   f"run sarkit validate to see them.", err=True)
    return GapsReport(
        review=options.review, entries=collation.entries, analysis=collation.analysis,
        agency_order=collation.agency_order, labels={a.name: a.label for a in collation.agencies},
        gap_days=collation.gap_days, window_days=collation.window_days,
    )


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
