"""`sarkit collate`: the combined multi-agency chronology workbook."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sarkit.collate import collate as collate_returns
from sarkit.commands.options import (
    AgencyOption,
    ForceOption,
    LimitOption,
    MapOption,
    PasswordOption,
    PasswordsOption,
    PathsArgument,
    QuietOption,
    ReviewOption,
    SchemaOption,
    ShowValuesOption,
    StrictOption,
    file_progress,
    read_options,
)
from sarkit.errors import SarkitError
from sarkit.output.atomic import atomic_output, check_output_path
from sarkit.output.chronology_export import write_chronology_csv, write_chronology_json
from sarkit.output.combined_workbook import write_combined_workbook
from sarkit.output.validation_report import is_valid, print_summary
from sarkit.returns import expand_paths, read_returns


class OutputFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    json = "json"


def collate(
    paths: PathsArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="The combined workbook to write.")]
    = Path("out/combined.xlsx"),
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="xlsx (default), or csv/json for the Chronology sheet "
                     "alone; taken from the output's extension when not given."),
    ] = None,
    review: ReviewOption = None,
    schema: SchemaOption = None,
    mapping: MapOption = None,
    agency: AgencyOption = None,
    gap_days: Annotated[int | None, typer.Option("--gap-days", min=1,
                                                 help="Override review.toml's gap_days.")] = None,
    window: Annotated[int | None, typer.Option(
        "--window", min=0, help="Override review.toml's overlap_window_days.")] = None,
    strict: StrictOption = False,
    force: ForceOption = False,
    show_values: ShowValuesOption = False,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
) -> None:
    """Validate the returns and write one combined, sorted, flagged chronology workbook.

    Sheets: Chronology, Agencies, Gaps, Overlaps, Findings, About. Rejected rows are listed in
    Findings with their values, so every row of every return is accounted for. In CSV output,
    a cell starting with = + - or @ is written with a leading ' so no program runs it.

    Example:

        sarkit collate returns/ -o out/combined.xlsx
    """
    fmt = output_format
    if fmt is None and output.suffix.lower() in {".xlsx", ".csv", ".json"}:
        fmt = OutputFormat(output.suffix.lower().lstrip("."))
    if fmt is None:
        raise SarkitError(f"The output {output} must end in .xlsx, .csv or .json "
                          "(or give --format).")
    options = read_options(review=review, schema=schema, mapping=mapping, agency=agency,
                           show_values=show_values, password=password, passwords=passwords,
                           limits=limit)
    check_output_path(output, force=force, inputs=paths)
    files = expand_paths(paths)
    with file_progress(len(files), quiet=quiet) as progress:
        results = read_returns(files, options, progress=progress)
    collation = collate_returns(results, options.review, gap_days=gap_days, window_days=window)
    console = Console(stderr=True, highlight=False)
    if strict and not is_valid(results):
        if not quiet:
            print_summary(results, console)
        typer.echo(f"Nothing written: errors were found and --strict was given. "
                   f"Run: sarkit validate {' '.join(map(str, paths))}", err=True)
        raise typer.Exit(1)
    writer = {OutputFormat.xlsx: write_combined_workbook, OutputFormat.csv: write_chronology_csv,
              OutputFormat.json: write_chronology_json}[fmt]
    with atomic_output(output) as temporary:
        writer(collation, temporary)
    if not quiet:
        analysis = collation.analysis
        print_summary(results, console, extra=[
            ("Gaps", sum(1 for g in analysis.gaps if g.kind != "missing-return")),
            ("Overlaps", len(analysis.overlaps)),
            ("Missing returns", len(analysis.missing_returns)),
        ])
    typer.echo(f"Wrote {output} ({len(collation.entries)} entries).", err=True)


def register(app: typer.Typer) -> None:
    app.command()(collate)
