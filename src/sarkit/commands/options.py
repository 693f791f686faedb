"""Options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ReviewOption = Annotated[
    Path | None,
    typer.Option("--review", help="The review.toml to use (default: ./review.toml if present)."),
]
SchemaOption = Annotated[
    Path | None,
    typer.Option("--schema", help="A Board's own chronology schema (TOML, same format as the packaged one)."),
]
MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", help='Map a heading to a field by hand, e.g. --map "When=date". Repeatable.'),
]
AgencyOption = Annotated[
    str | None,
    typer.Option("--agency", help="The agency, for returns that do not say which agency they are from."),
]
ShowValuesOption = Annotated[
    bool,
    typer.Option("--show-values", help="Quote cell values in messages (they are personal data)."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")]
PathsArgument = Annotated[
    list[Path],
    typer.Argument(help="Return files and folders (folders are searched recursively)."),
]
