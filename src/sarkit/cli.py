"""The `sarkit` command line: wires options to the core; no business logic lives here.

Commands are imported when they are run, not at start-up: `sarkit --help` and `--version` stay
fast, and a worker process started with spawn (Windows, macOS) does not import every command.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import os
import signal
import sys
from typing import Any, NamedTuple

import typer
from typer.core import TyperGroup

from sarkit import __version__
from sarkit.errors import SarkitError
from sarkit.output.terminal import survive_narrow_encodings


class CommandEntry(NamedTuple):
    module: str
    summary: str  # the line `sarkit --help` shows; the command's own --help has the full text


COMMANDS: dict[str, CommandEntry] = {
    "init": CommandEntry("init", "Create a review folder: review.toml, returns/ and out/."),
    "template": CommandEntry("template", "Write the blank Appendix 8b workbook for each agency."),
    "validate": CommandEntry("validate", "Check returns and list what to fix, cell by cell."),
    "collate": CommandEntry("collate", "Write the combined multi-agency chronology."),
    "diff": CommandEntry("diff", "List what changed between two versions of a return or chronology."),
    "status": CommandEntry("status", "Track the returns: received, outstanding, to resend; a chase list."),
    "gaps": CommandEntry("gaps", "Find gaps, overlaps and missing returns; the workshop pack."),
    "new-imr": CommandEntry("documents", "Write an IMR skeleton for one agency."),
    "new-action-plan": CommandEntry("documents", "Write an action plan for an agency to fill in."),
    "actions": CommandEntry("actions", "Report on filled-in action plans for the review group."),
}


@functools.cache
def _commands_of(module: str) -> dict[str, Any]:
    """The click commands a `sarkit.commands` module registers, imported on first use."""
    loaded = importlib.import_module(f"sarkit.commands.{module}")
    holder = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    loaded.register(holder)
    from sarkit.commands.help import plain_help

    return {name: plain_help(command)
            for name, command in typer.main.get_group(holder).commands.items()}


class _Group(TyperGroup):
    """Loads commands lazily and turns a SarkitError into one `Error: …` line and its exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        command = _commands_of(entry.module)[cmd_name]
        command.short_help = entry.summary
        return command

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, entry.summary) for name, entry in COMMANDS.items()])

    def invoke(self, ctx: Any) -> object:
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
    survive_narrow_encodings()


def stop_cleanly_on_signals() -> None:
    """SIGTERM, SIGHUP and Ctrl+Break end a run as Ctrl+C does: through every `finally`, so no
    temporary output (which holds personal data) is left behind and worker processes stop."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP", "SIGBREAK"):  # SIGHUP on Unix, SIGBREAK on Windows
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(number, stop)


# Python's cycle collector, by default, looks at the young objects every 700 allocations, and a
# run allocates millions that live until it ends (entries, cells, rows of XML). Collate of 100,000
# entries in one process, 2 cores, 3 runs each: 18.4-20.3 s with 700, 15.5-16.4 s with 20,000,
# 15.7-17.8 s with no collector (which a run making cycles could not afford); the same peak memory.
COLLECT_EVERY = 20_000

# numpy (imported only to analyse) starts OpenBLAS, which makes a thread per core when it loads:
# 0.06-0.1 s of every gaps run on 2 cores, more on a laptop with more. sarkit does no linear
# algebra, so one thread, unless the user has set it.
BLAS_THREADS = {"OPENBLAS_NUM_THREADS": "1"}


def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(COLLECT_EVERY, *gc.get_threshold()[1:])
    for name, value in BLAS_THREADS.items():
        os.environ.setdefault(name, value)
    survive_narrow_encodings()
    stop_cleanly_on_signals()
    sys.exit(app())
