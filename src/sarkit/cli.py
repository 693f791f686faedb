"""The `sarkit` command line: wires options to the core; no business logic lives here."""

from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

from sarkit import __version__
from sarkit.commands import actions, collate, documents, gaps, init, template, validate
from sarkit.errors import SarkitError


class _Group(TyperGroup):
    """Turns a SarkitError into one plain `Error: …` line on stderr and its exit code."""

    def invoke(self, ctx: typer.Context) -> object:
        try:
            return super().invoke(ctx)
        except SarkitError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="sarkit",
    help="Collate, validate and analyse Safeguarding Adults Review chronologies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sarkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Collate, validate and analyse Safeguarding Adults Review chronologies."""


for _module in (init, template, validate, collate, gaps, documents, actions):
    _module.register(app)


def main() -> None:
    """Console-script entry point."""
    sys.exit(app())
