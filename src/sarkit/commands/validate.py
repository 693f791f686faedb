"""`sarkit validate`: check returned chronologies and say, cell by cell, what to fix."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sarkit.account import account_for
from sarkit.commands.options import (
    AgencyOption,
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
from sarkit.errors import usage_error
from sarkit.findings import CATALOGUE
from sarkit.identifiers import add_pseudonym_suggestions
from sarkit.output.atomic import atomic_output
from sarkit.output.terminal import inert, make_console
from sarkit.output.validation_report import (
    is_valid,
    print_account,
    print_validation,
    validation_json,
    write_feedback,
)
from sarkit.pipeline.chronology import identifiers_in, read_checked
from sarkit.returns import expand_paths
from sarkit.review import Review, add_mappings
from sarkit.schema import Schema, load_schema
from sarkit.wording import plural


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


def _codes_epilog() -> str:
    return "Finding codes: " + ", ".join(
        f"{c.code} ({c.severity})" for c in CATALOGUE.values()
    ) + "."


def validate(
    paths: PathsArgument,
    review: ReviewOption = None,
    schema: SchemaOption = None,
    mapping: MapOption = None,
    agency: AgencyOption = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="table for people, json for scripts.")
    ] = ReportFormat.table,
    strict: StrictOption = False,
    feedback: Annotated[
        Path | None,
        typer.Option("--feedback", help="Write one feedback file per return into this folder."),
    ] = None,
    show_values: ShowValuesOption = False,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
    suggest_pseudonyms: Annotated[
        bool, typer.Option("--suggest-pseudonyms", help="Write the names found after a title "
                           "(Mr, Mrs, Dr...) into review.toml's [pseudonyms] as commented lines to "
                           "fill in (printed when there is no review.toml)."),
    ] = False,
    save_map: Annotated[
        bool, typer.Option("--save-map", help="Keep the --map mappings: write them into the [map] "
                           "table of the review.toml in use, for every later command."),
    ] = False,
) -> None:
    """Check returned chronologies and list what to fix, file by file and cell by cell.

    Ends with the closing account: missing agencies, unusable returns (and why), rejected rows
    (with their cells), or "all N rows accounted for". Exit code 0 when no file has an error,
    1 when any has (or any warning with --strict), 2 for a usage error.

    Example:

        sarkit validate returns/ --feedback out/feedback
    """
    options = read_options(review=review, schema=schema, mapping=mapping, agency=agency,
                           show_values=show_values, password=password, passwords=passwords,
                           limits=limit)
    if save_map:
        _save_map(options.review, options.schema or load_schema(), mapping or [])
    files = expand_paths(paths)
    with file_progress(len(files), quiet=quiet or output_format == ReportFormat.json) as progress:
        results = read_checked(paths, options, progress=progress, files=files)
    entries = [e for r in results if not r.skipped for e in r.entries]
    account = account_for(results, options.review, len(entries))
    names: list[str] = []
    account.identifiers = identifiers_in(entries, options.review, names=names, scanned=True,
                                         findings=[f for r in results for f in r.findings])
    if output_format == ReportFormat.json:
        typer.echo(json.dumps(validation_json(results, strict=strict, show_values=show_values,
                                              account=account), ensure_ascii=False, indent=1))
    else:
        console = make_console()
        print_validation(results, console)
        print_account(account, console, options.review.label)
    if suggest_pseudonyms:
        _suggest_pseudonyms(options.review, names)
    if feedback is not None:
        written = write_feedback(results, feedback, options.review)
        typer.echo(f"Wrote {len(written)} feedback files to {feedback}.", err=True)
    if not is_valid(results, strict=strict):
        raise typer.Exit(1)


def _save_map(review: Review, schema: Schema, pairs: list[str]) -> None:
    """Write the --map mappings (already checked) into review.toml's [map], and say so."""
    if not pairs:
        raise usage_error("--save-map needs at least one --map option to save.",
                          hint='For example: sarkit validate returns/ --map "When=date" --save-map')
    if review.path is None:
        raise usage_error("There is no review.toml to save the mappings in.",
                          hint="Run sarkit in the review's folder, give --review PATH, or create "
                          "one with sarkit init.")
    fields = {pair.rpartition("=")[0].strip(): next(iter(schema.parse_mapping([pair]).values()))
              for pair in pairs}
    text = add_mappings(review.path.read_text("utf-8-sig"), fields)
    with atomic_output(review.path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    lines = ", ".join(f'"{heading}" = "{key}"' for heading, key in fields.items())
    typer.echo(f"Saved in {review.path} under [map]: {lines}.", err=True)


def _suggest_pseudonyms(review: Review, names: list[str]) -> None:
    """The names found after titles as commented [pseudonyms] lines: into review.toml, or printed."""
    names = list(dict.fromkeys(names))
    if not names:
        typer.echo("No names after a title (Mr, Mrs, Dr...) were found to suggest as pseudonyms.",
                   err=True)
        return
    if review.path is None:
        console = make_console(stderr=True)
        console.print("No review.toml: add these lines under [pseudonyms] in one, each with its "
                      "pseudonym:", highlight=False)
        for line in add_pseudonym_suggestions("", names).splitlines()[1:]:
            console.print(inert(line), highlight=False, soft_wrap=True)
        return
    text = review.path.read_text("utf-8-sig")
    new = add_pseudonym_suggestions(text, names)
    if new != text:
        with atomic_output(review.path) as temporary:
            temporary.write_text(new, encoding="utf-8")
    added = len(new.splitlines()) - len(text.splitlines())
    typer.echo(f"Suggested {plural(len(names), 'name')} in {review.path} under [pseudonyms] "
               f"({added} new): remove the # and give each its pseudonym.", err=True)


def register(app: typer.Typer) -> None:
    app.command(epilog=_codes_epilog())(validate)
