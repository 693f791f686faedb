"""`sarkit collate`: the combined multi-agency chronology workbook."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sarkit.commands.inputs import refuse_given_not_returns
from sarkit.commands.options import (
    AgencyOption,
    ForceOption,
    GapDaysOption,
    LimitOption,
    MapOption,
    PasswordOption,
    PasswordsOption,
    PathsArgument,
    QuietOption,
    RedactOption,
    ReviewOption,
    SchemaOption,
    ShowValuesOption,
    WindowOption,
    WriteStrictOption,
    default_output,
    file_progress,
    read_options,
    refuse_output_inside_inputs,
    require_returns,
    returns_paths,
    writing,
)
from sarkit.errors import usage_error
from sarkit.output.atomic import atomic_output, check_output_path
from sarkit.output.change_report import change_summary
from sarkit.output.chronology_export import write_chronology_csv, write_chronology_json
from sarkit.output.combined_workbook import write_combined_workbook
from sarkit.output.terminal import make_console
from sarkit.output.validation_report import print_account, print_summary
from sarkit.pipeline.chronology import Settings, from_returns
from sarkit.pipeline.refs import ref_map_for, save_ref_map
from sarkit.returns import expand_paths
from sarkit.wording import plural

if TYPE_CHECKING:
    from sarkit.collate import Collation


class OutputFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    json = "json"
    docx = "docx"


def collate(
    paths: PathsArgument = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE",
            help="The combined workbook to write (default: out/combined.xlsx next "
        "to review.toml; never inside a returns folder).")] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="xlsx (default), docx for the chronology as a Word "
                     "document, or csv/json for the Chronology sheet alone; taken from the "
                     "output's extension when not given."),
    ] = None,
    also: Annotated[list[OutputFormat] | None, typer.Option(
        "--also", help="Also write the chronology in this format next to the output, with the "
        "same name (e.g. --also docx writes out/combined.docx). Repeatable.")] = None,
    key_events: Annotated[bool, typer.Option(
        "--key-events", help="Only the entries marked Key Event in the Chronology (the gaps and "
        "overlaps of the whole review stay): a summary for the panel.")] = False,
    review: ReviewOption = None,
    schema: SchemaOption = None,
    mapping: MapOption = None,
    agency: AgencyOption = None,
    gap_days: GapDaysOption = None,
    window: WindowOption = None,
    strict: WriteStrictOption = False,
    force: ForceOption = False,
    show_values: ShowValuesOption = False,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
    renumber: Annotated[bool, typer.Option(
        "--renumber", help="Number the entries afresh from C0001, forgetting the refs of earlier "
        "runs (kept in .refs.json beside the output).")] = False,
    redact: RedactOption = False,
) -> None:
    """Validate the returns and write one combined, sorted, flagged chronology workbook.

    Sheets: Chronology, Agencies, Gaps, Overlaps, Findings, Glossary (when a return has one),
    About. Rejected rows are listed in Findings with their values, so every row of every return
    is accounted for; the run ends with the closing account by agency. In CSV output, a cell
    starting with = + - or @ is written with a leading ' so no program runs it.

    Exit code 0 when every listed agency's return was used and no return had an error; 1 when
    the workbook was written but a return had an error or an agency's return is missing or
    unusable (with --strict nothing is written then); 2 for a usage error (nothing written: a
    path or review.toml that cannot be used, an output that exists, no return found).

    Refs stay: an entry keeps its ref from run to run (the map is .refs.json beside the output);
    new entries are numbered after the highest ref ever used. --renumber starts afresh.

    \b
    Example:
        sarkit collate --also docx
        sarkit collate --key-events -o out/key-events.xlsx
    """
    options = read_options(review=review, schema=schema, mapping=mapping, agency=agency,
                           show_values=show_values, password=password, passwords=passwords,
                           limits=limit)
    paths = returns_paths(paths, options.review, "collate")
    output = output if output is not None else default_output(options.review, "combined.xlsx")
    fmt = _output_format(output, output_format)
    outputs = {fmt: output}
    for extra in also or []:
        outputs.setdefault(extra, output.with_suffix(f".{extra.value}"))
    for target in outputs.values():
        refuse_output_inside_inputs(target, paths)
        check_output_path(target, force=force, inputs=paths)
    files = expand_paths(paths)
    previous, other_review = (None, "") if renumber else ref_map_for(output, options.review.reference)
    if other_review:
        typer.echo(other_review, err=True)
    with file_progress(len(files), quiet=quiet) as progress:
        chronology = from_returns(paths, options, Settings(gap_days, window), progress=progress,
                                  files=files, refs=previous, redact=redact)
    collation = chronology.collation
    refuse_given_not_returns(paths, collation.results, "collate", options.passwords)
    require_returns(paths, collation.results)
    account = collation.account
    console = make_console(stderr=True)
    complete = account.complete and not account.errors
    if strict and not complete:
        print_account(account, console, options.review.label)
        typer.echo(f"Nothing written: the chronology is not complete or a return had an error, "
                   f"and --strict was given. Run: sarkit validate {' '.join(map(str, paths))}",
                   err=True)
        raise typer.Exit(1)
    if force and fmt == OutputFormat.xlsx:
        _keep_analysts_columns(output, collation.entries)
    writers = {OutputFormat.xlsx: write_combined_workbook, OutputFormat.csv: write_chronology_csv,
               OutputFormat.json: write_chronology_json, OutputFormat.docx: _write_docx}
    for written, target in outputs.items():
        with writing(target, quiet=quiet), atomic_output(target) as temporary:
            writers[written](collation, temporary, key_events=key_events)
    save_ref_map(output, collation.ref_map, options.review.reference)
    if not quiet:
        from sarkit.analysis import RETURN_KINDS  # imported by now: collating analysed

        analysis = collation.analysis
        print_summary(collation.results, console, account, extra=[
            ("Gaps", sum(1 for g in analysis.gaps if g.kind not in RETURN_KINDS)),
            ("Overlaps", len(analysis.overlaps)),
        ])
    print_account(account, console, options.review.label)
    names = " and ".join(str(target) for target in outputs.values())
    written = (plural(sum(1 for e in collation.entries if e.key_event), "key event") if key_events
               else plural(len(collation.entries), "entry", "entries"))
    typer.echo(f"Wrote {names} ({written}).", err=True)
    if previous is not None:
        typer.echo(change_summary(collation), err=True)
    if not complete:
        raise typer.Exit(1)


def _keep_analysts_columns(output: Path, entries: list) -> None:
    """Before --force overwrites a combined workbook: when it has columns sarkit did not write
    (an analyst's notes) that hold something, a copy of it is kept beside it and a warning names
    the columns, as the new workbook has only what the returns give."""
    import shutil

    from sarkit.formats.combined_layout import ADDED_COLUMNS, CHRONOLOGY_COLUMNS
    from sarkit.intake.combined import chronology_headings, is_combined_workbook

    if not (output.is_file() and is_combined_workbook(output)):
        return
    # its headings alone (the first row, read in milliseconds; reading the whole sheet took 8 s
    # at 100,000 entries, on every re-collate)
    headings = chronology_headings(output)
    if headings is None:
        typer.echo(f"Warning: {output} could not be read to see whether it had columns added by "
                   "hand; it was replaced.", err=True)
        return
    written = {*CHRONOLOGY_COLUMNS, *ADDED_COLUMNS, *(name for e in entries for name in e.extras)}
    lost = sorted({h.strip() for h in headings if h.strip()} - written, key=str.casefold)
    if not lost:
        return
    copy = next(c for n in range(1, 1000)
                if not (c := output.with_name(f"{output.stem}.kept{'' if n == 1 else n}{output.suffix}"))
                .exists())
    shutil.copy2(output, copy)
    typer.echo(f"Warning: {output} had {'a column' if len(lost) == 1 else 'columns'} not written by "
               f"sarkit ({', '.join(lost)}), which the new workbook does not have; a copy of the "
               f"old workbook keeps {'it' if len(lost) == 1 else 'them'}: {copy}.", err=True)


def _output_format(output: Path, given: OutputFormat | None) -> OutputFormat:
    """The format to write: --format, else the output's ending; they must agree."""
    known = ".xlsx, .docx, .csv or .json"
    suffix = output.suffix.lower().lstrip(".")
    if given is None:
        if suffix not in {f.value for f in OutputFormat}:
            raise usage_error(f"The output {output} must end in {known}; sarkit chooses what to "
                              "write by the ending.",
                              hint="For example: -o out/combined.xlsx")
        return OutputFormat(suffix)
    if suffix != given.value:
        raise usage_error(f"The output {output} would hold {given.value.upper()}, so its name must "
                          f"end in .{given.value}.",
                          hint=f"For example: -o {output.with_suffix('.' + given.value)}")
    return given


def register(app: typer.Typer) -> None:
    app.command()(collate)


def _write_docx(collation: Collation, path: Path, *, key_events: bool) -> None:
    """The Word chronology; python-docx (about 0.05 s to import) only when a .docx is asked for."""
    from sarkit.output.chronology_docx import write_chronology_docx

    write_chronology_docx(collation, path, key_events=key_events)
