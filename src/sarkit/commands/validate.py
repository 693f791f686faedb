"""`sarkit validate`: check returned chronologies and say, cell by cell, what to fix."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sarkit.account import account_for
from sarkit.commands.inputs import refuse_given_not_returns
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
    check_folder_name,
    file_progress,
    read_options,
    refuse_output_inside_inputs,
    require_returns,
    returns_paths,
)
from sarkit.dates import DateError, Precision, parse_date
from sarkit.entries import ReturnResult
from sarkit.errors import SarkitError, usage_error
from sarkit.findings import CATALOGUE
from sarkit.identifiers import add_pseudonym_suggestions
from sarkit.output.atomic import atomic_output, check_output_path
from sarkit.output.terminal import echo_json, inert, make_console, printable
from sarkit.output.validation_report import (
    feedback_names,
    is_valid,
    print_account,
    print_validation,
    validation_json,
    write_feedback,
)
from sarkit.pipeline.chronology import identifiers_in, read_checked
from sarkit.returns import ReadOptions, expand_paths
from sarkit.review import Review, add_mappings
from sarkit.schema import Schema, load_schema
from sarkit.textfile import read_user_text
from sarkit.wording import plural


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


def _codes_epilog() -> str:
    return "Finding codes: " + ", ".join(
        f"{c.code} ({c.severity})" for c in CATALOGUE.values()
    ) + "."


def validate(
    paths: PathsArgument = None,
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
        typer.Option("--feedback", metavar="FOLDER",
            help="Write a feedback letter to the agency for each return "
                     "into this folder, as .docx and as .txt to paste into an email."),
    ] = None,
    annotate: Annotated[
        Path | None,
        typer.Option("--annotate", metavar="FOLDER",
            help="Write an annotated .xlsx copy of each return into this "
                     "folder: every problem cell red (must fix) or amber (check), with a comment, "
                     "and a first sheet listing them. The returns themselves are not changed."),
    ] = None,
    reply_by: Annotated[
        str | None,
        typer.Option("--reply-by", metavar="DATE", help="The date (dd/mm/yyyy) the feedback "
                     "letters and annotated copies ask for the corrected return by."),
    ] = None,
    force: ForceOption = False,
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
    1 when any has (or any warning with --strict), 2 for a usage error (no return found too).

    \b
    Example:
        sarkit validate
        sarkit validate --feedback out/feedback --annotate out/annotated --reply-by 15/01/2030
    """
    options = read_options(review=review, schema=schema, mapping=mapping, agency=agency,
                           show_values=show_values, password=password, passwords=passwords,
                           limits=limit)
    paths = returns_paths(paths, options.review, "validate")
    check_folder_name(feedback, "--feedback")
    check_folder_name(annotate, "--annotate")
    if save_map:
        _save_map(options.review, options.schema or load_schema(), mapping or [])
    deadline = _reply_by(reply_by, feedback=feedback, annotate=annotate)
    for folder in (feedback, annotate):
        if folder is not None:
            refuse_output_inside_inputs(folder, paths)
    files = expand_paths(paths)
    with file_progress(len(files), quiet=quiet or output_format == ReportFormat.json) as progress:
        results = read_checked(paths, options, progress=progress, files=files)
    refuse_given_not_returns(paths, results, "validate", options.passwords)
    require_returns(paths, results)
    entries = [e for r in results if not r.skipped for e in r.entries]
    account = account_for(results, options.review, len(entries))
    names: list[str] = []
    account.identifiers = identifiers_in(entries, options.review, names=names, scanned=True,
                                         findings=[f for r in results for f in r.findings])
    if output_format == ReportFormat.json:
        echo_json(validation_json(results, strict=strict, show_values=show_values, account=account), indent=1)
    else:
        console = make_console()
        print_validation(results, console, account)
        print_account(account, console, options.review.label)
    _check_outputs(results, feedback, annotate, force=force, inputs=paths)
    if suggest_pseudonyms:
        _suggest_pseudonyms(options.review, names)
    unwritten: list[tuple[str, str]] = []
    if feedback is not None:
        written, unwritten = write_feedback(results, feedback, options.review, reply_by=deadline)
        typer.echo(f"Wrote {plural(len(written) // 2, 'feedback letter')} (.docx and .txt) to "
                   f"{feedback}.", err=True)
        for source, reason in unwritten:
            typer.echo(printable(f"Letter not written: {source}: {reason}"), err=True)
    if annotate is not None:
        _annotate(results, annotate, options, deadline)
    if unwritten:
        raise typer.Exit(2)
    if not is_valid(results, strict=strict):
        raise typer.Exit(1)


def _reply_by(text: str | None, *, feedback: Path | None, annotate: Path | None) -> dt.date | None:
    """The --reply-by date, a whole day written day first."""
    if text is None:
        return None
    if feedback is None and annotate is None:
        raise usage_error("--reply-by is the date the feedback letters and annotated copies ask "
                          "for; give --feedback DIR or --annotate DIR with it.")
    try:
        date, _ = parse_date(text)
    except DateError:
        date = None
    if date is None or date.precision != Precision.DAY or date.uncertain:
        raise usage_error(f"The --reply-by date {text} is not a day written as dd/mm/yyyy.",
                          hint="For example: --reply-by 15/01/2027")
    if date.start < dt.date.today():
        raise usage_error(f"The --reply-by date {text} is in the past.",
                          hint="Give the date the agency should send the corrected return by.")
    return date.start


def _check_outputs(results: list[ReturnResult], feedback: Path | None, annotate: Path | None, *,
                   force: bool, inputs: list[Path]) -> None:
    """Every file the run would write, checked before any is written."""
    from sarkit.output.feedback import SUFFIXES, return_file_names

    targets: list[Path] = []
    if feedback is not None:
        targets += [feedback / (name + suffix) for name in feedback_names(results, feedback).values()
                    for suffix in SUFFIXES]
    if annotate is not None:
        targets += [annotate / name for name in
                    return_file_names(results, "-annotated.xlsx", annotate).values()]
    for target in targets:
        for place in (target, target.parent):
            if place.is_symlink():
                raise SarkitError(f"The output {place} is a symbolic link; sarkit does not write "
                                  "through links.", hint="Choose a folder that is not a link.",
                                  exit_code=2)
        check_output_path(target, force=force, inputs=inputs)


def _annotate(results: list[ReturnResult], folder: Path, options: ReadOptions,
              deadline: dt.date | None) -> None:
    """Write the annotated copies and say, per return, what was written or why not."""
    from sarkit.output.feedback import letter_day, return_file_names
    from sarkit.pipeline.annotate import annotate_returns

    names = return_file_names(results, "-annotated.xlsx", folder)
    done = annotate_returns(results, folder, options, names,
                            reply_by=letter_day(deadline) if deadline else "")
    console = make_console(stderr=True)
    written = [a for a in done if a.output is not None]
    console.print(inert(f"Wrote {plural(len(written), 'annotated copy', 'annotated copies')} "
                        f"to {folder}."), highlight=False, soft_wrap=True)
    for a in done:
        if a.output is None:
            console.print(inert(f"Not annotated: {a.source}: {a.reason}"), highlight=False,
                          soft_wrap=True)
        elif a.unprotected:
            console.print(inert(f"{a.output} is NOT password-protected, although {a.source} was: "
                                "protect it before sending it, or send it only by secure email."),
                          highlight=False, soft_wrap=True)


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
    text = add_mappings(read_user_text(review.path, "The review file"), fields)
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
