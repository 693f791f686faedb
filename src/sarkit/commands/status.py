"""`sarkit status`: the returns tracker, and a chase list to paste into an email."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sarkit.commands.actions import _as_of
from sarkit.commands.inputs import refuse_given_not_returns
from sarkit.commands.options import (
    AgencyOption,
    MapOption,
    PasswordOption,
    PasswordsOption,
    QuietOption,
    ReviewOption,
    SchemaOption,
    read_options,
    returns_paths,
)
from sarkit.output.atomic import check_name_fits
from sarkit.output.files import write_text_atomically
from sarkit.output.status_report import print_status, status_json
from sarkit.output.terminal import echo_json, make_console
from sarkit.pipeline.status import returns_status
from sarkit.tracker import chase_list


class StatusFormat(StrEnum):
    table = "table"
    json = "json"


def status(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="PATH", show_default=False,
            help="Return files and folders (default: returns/ next to review.toml).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", help="Track as on this date (dd/mm/yyyy); default today.")] = None,
    output_format: Annotated[StatusFormat, typer.Option(
        "--format", metavar="table|json",
        help="table for people, json for scripts.")] = StatusFormat.table,
    chase: Annotated[Path | None, typer.Option(
        "--chase", metavar="FILE",
            help="Write the chase list (plain text to paste into an email) to this file."
    )] = None,
    review: ReviewOption = None,
    schema: SchemaOption = None,
    mapping: MapOption = None,
    agency: AgencyOption = None,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
    quiet: QuietOption = False,
) -> None:
    """Show each agency's return as received, outstanding (days overdue), unusable, needs
    resubmission or nil return, and the chase list of agencies still owing something.

    Due dates and contacts come from review.toml (due = 2025-03-14, contact = "…" in each
    [[agencies]] table). Exit code 0 when every agency's return is received (or a nil return),
    1 when any is outstanding, unusable or needs resubmission, 2 for a usage error.

    \b
    Example:
        sarkit status returns/ --chase out/chase.txt
    """
    options = read_options(review=review, schema=schema, mapping=mapping, agency=agency,
                           show_values=False, password=password, passwords=passwords)
    day = _as_of(as_of)
    if chase is not None:
        check_name_fits(chase)  # said before the returns are read, not after
    paths = returns_paths(paths, options.review, "status")
    chronology, statuses = returns_status(paths, options, day)
    refuse_given_not_returns(paths, chronology.collation.results, "status", options.passwords)
    text = chase_list(statuses, reference=options.review.reference, as_of=day)
    if output_format == StatusFormat.json:
        echo_json(status_json(statuses, as_of=day, account=chronology.account.to_json()), indent=1)
    else:
        print_status(statuses, make_console(), as_of=day)
        typer.echo("")
        typer.echo(text, nl=False)
    if chase is not None:
        write_text_atomically(chase, text)
        if not quiet:
            typer.echo(f"Wrote the chase list to {chase}.", err=True)
    if any(s.state not in ("received", "nil return") for s in statuses):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(status)
