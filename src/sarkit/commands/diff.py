"""`sarkit diff`: what changed between two versions of a return or two combined chronologies."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sarkit.commands.options import (
    AgencyOption,
    MapOption,
    PasswordOption,
    PasswordsOption,
    ReviewOption,
    SchemaOption,
    ShowValuesOption,
    read_options,
)
from sarkit.output.change_report import diff_json, diff_lines
from sarkit.output.terminal import echo_json
from sarkit.pipeline.diff import compare


class DiffFormat(StrEnum):
    text = "text"
    json = "json"


def diff(
    old: Annotated[Path, typer.Argument(
        metavar="OLD", help="The earlier version (a return or a combined workbook).")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later version, of the same kind.")],
    output_format: Annotated[DiffFormat, typer.Option(
        "--format", metavar="text|json", help="text for people, json for scripts.")] = DiffFormat.text,
    review: ReviewOption = None,
    schema: SchemaOption = None,
    mapping: MapOption = None,
    agency: AgencyOption = None,
    show_values: ShowValuesOption = False,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Only the first line: how many entries were added, removed and "
        "changed.")] = False,
) -> None:
    """List the entries added, removed and changed (field by field) from OLD to NEW.

    Give two versions of one agency's return (a resubmission next to the first), or two
    combined workbooks written by sarkit collate (compared by their refs). Entries are named by
    ref, agency and row. Values are shown only with --show-values. Exit code 0 when the
    files were compared, 2 when they cannot be (unrelated files, two kinds, no such file).

    \b
    Example (a return against the annotated copy sarkit validate --annotate wrote of it):
        sarkit diff returns/northshire-police-chronology.xlsx \\
          out/annotated/northshire-police-chronology-annotated.xlsx
    """
    options = read_options(review=review, schema=schema, mapping=mapping, agency=agency,
                           show_values=show_values, password=password, passwords=passwords)
    from sarkit.commands.inputs import refuse_not_comparable

    refuse_not_comparable(old, new)
    before, after, result = compare(old, new, options)
    label = options.review.label
    if output_format == DiffFormat.json:
        echo_json(diff_json(before, after, result, label=label, show_values=show_values), indent=1)
        return
    lines = diff_lines(before, after, result, label=label, show_values=show_values)
    for line in list(lines)[:1] if quiet else lines:
        typer.echo(line)


def register(app: typer.Typer) -> None:
    app.command()(diff)
