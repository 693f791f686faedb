"""Options shared by several commands, defined once."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer

from sarkit.entries import ReturnResult
from sarkit.errors import usage_error
from sarkit.intake import Limits
from sarkit.output.terminal import inert, make_console
from sarkit.returns import ReadOptions
from sarkit.review import Review, find_review
from sarkit.schema import Schema, load_schema
from sarkit.textfile import read_user_text
from sarkit.wording import and_list, plural


def _at_least(value: int | None, least: int, option: str) -> int | None:
    """A number of days given on the command line, checked (said in words, not as a range)."""
    if value is not None and value < least:
        raise typer.BadParameter(f"{option} must be {least} or more (it was {value}).")
    return value


ReviewOption = Annotated[
    Path | None,
    typer.Option("--review", metavar="FILE",
                 help="The review.toml to use (default: the nearest review.toml in this folder or "
                 "a folder above it)."),
]
SchemaOption = Annotated[
    Path | None,
    typer.Option("--schema", metavar="FILE",
                 help="A Board's own chronology schema (TOML, same format as the packaged one)."),
]
MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", metavar="HEADING=FIELD",
                 help='Map a heading to a field by hand, e.g. --map "When=date". Repeatable.'),
]
AgencyOption = Annotated[
    str | None,
    typer.Option("--agency", metavar="NAME",
                 help="The agency, for returns that do not say which agency they are from."),
]
ShowValuesOption = Annotated[
    bool,
    typer.Option("--show-values", help="Quote cell values in messages (they are personal data)."),
]
RedactOption = Annotated[
    bool,
    typer.Option("--redact", help="Replace every possible identifier (NHS, NI and phone numbers, "
                 "postcodes, emails, dates of birth, names after a title) by its kind in brackets, "
                 "e.g. [NHS number], in every output."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(metavar="[PATH]...", show_default=False,
                   help="Return files and folders, searched recursively (default: returns/ next "
                   "to review.toml)."),
]
PasswordOption = Annotated[
    bool,
    typer.Option("--password", help="Ask for the password of protected returns (never echoed). "
                 "SARKIT_PASSWORD in the environment works too."),
]
PasswordsOption = Annotated[
    Path | None,
    typer.Option("--passwords", metavar="FILE",
                 help="A file of 'file name = password' lines for protected returns."),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Treat warnings as errors (validate), or write nothing "
                       "if any error is found (collate).")
]
WriteStrictOption = Annotated[
    bool, typer.Option("--strict", help="Write nothing when the run would exit 1 (a return had an "
                       "error, or an agency's return is missing or unusable).")
]
GapDaysOption = Annotated[
    int | None,
    typer.Option("--gap-days", metavar="DAYS", callback=lambda v: _at_least(v, 1, "--gap-days"),
                 help="Override review.toml's gap_days (1 or more)."),
]
WindowOption = Annotated[
    int | None,
    typer.Option("--window", metavar="DAYS", callback=lambda v: _at_least(v, 0, "--window"),
                 help="Override review.toml's overlap_window_days (0 = same day)."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output if it exists.")]
LimitOption = Annotated[
    list[str] | None,
    typer.Option("--limit", metavar="NAME=VALUE",
                 help="Raise or lower a safety limit, e.g. --limit max-rows=2000000. Limits: "
                 + "; ".join(Limits().describe()) + "."),
]


def load_passwords(ask: bool, passwords_file: Path | None) -> dict[str, str]:
    """File name -> password, from --passwords FILE, SARKIT_PASSWORD and --password ("*" = any)."""
    passwords: dict[str, str] = {}
    if passwords_file is not None:
        try:
            lines = read_user_text(passwords_file, "The passwords file").splitlines()
        except OSError as exc:
            raise usage_error(f"The passwords file {passwords_file} cannot be read "
                              f"({exc.strerror}).") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            name, sep, password = line.partition("=")
            if not sep:
                raise usage_error(f"Line {number} of {passwords_file} is not 'file name = password'.")
            passwords[name.strip()] = password.strip()
    env = os.environ.get("SARKIT_PASSWORD")
    if env:
        passwords.setdefault("*", env)
    if ask:
        passwords["*"] = typer.prompt("Password for protected returns", hide_input=True,
                                      err=True)
    return passwords


def read_options(
    *, review: Path | None, schema: Path | None, mapping: list[str] | None, agency: str | None,
    show_values: bool, password: bool = False, passwords: Path | None = None,
    limits: list[str] | None = None,
) -> ReadOptions:
    """The ReadOptions every command that reads returns builds from its options."""
    loaded_review = find_review(review)
    loaded_schema = load_schema(schema)
    return ReadOptions(
        review=loaded_review, schema=loaded_schema,
        mapping=merge_mappings(loaded_review, loaded_schema, mapping or []), agency=agency,
        show_values=show_values, passwords=load_passwords(password, passwords),
        limits=_limits(limits or []),
    )


def merge_mappings(review: Review, schema: Schema, pairs: list[str]) -> dict[str, str]:
    """The --map options (normalised heading -> field key), after checking every map of
    review.toml against the schema in use, so a wrong field stops the command at once.

    The chronology applies review.toml's [map], then the agency's own map, then these.
    """
    where = str(review.path or "review.toml")
    schema.check_mapping(review.mapping, f"{where} [map]")
    for agency in review.agencies:
        schema.check_mapping(agency.mapping, f"{where} (agency {agency.name}) map")
    return schema.parse_mapping(pairs)


def returns_paths(paths: list[Path] | None, review: Review, command: str, *,
                  combined_ok: bool = False) -> list[Path]:
    """The paths given, else returns/ next to review.toml (a usage error when there is none).
    A path that does not exist, or that is not a return nor a folder of returns (the review
    folder, review.toml, a file sarkit wrote; a combined workbook unless `combined_ok`), is a
    usage error here, before any output is checked or written."""
    if paths:
        from sarkit.commands.inputs import refuse_not_returns

        for path in paths:
            if not Path(path).exists():
                raise usage_error(f"There is no file or folder {path}.",
                                  hint="Check the spelling of the path.")
        refuse_not_returns(paths, command, combined_ok=combined_ok)
        return paths
    if review.folder is None:
        raise usage_error("Give the returns folder (there is no review.toml to find it by).",
                          hint=f"For example: sarkit {command} returns/")
    folder = shown_path(review.folder / "returns")
    if not folder.is_dir():
        raise usage_error(f"There is no returns folder {folder} next to review.toml.",
                          hint=f"Put the returns there, or give their folder: sarkit {command} PATH")
    return [folder]


def require_returns(paths: list[Path], results: list[ReturnResult]) -> None:
    """A run that found no return to read is a usage error (exit code 2, nothing written): an
    empty folder, or only files sarkit does not read (its own outputs, lock files, links)."""
    if any(not result.skipped for result in results):
        return
    where = and_list([f"{p}{os.sep}" if Path(p).is_dir() and not str(p).endswith(("/", os.sep))
                      else str(p) for p in paths], at_most=3)
    skipped = [Path(result.path).name for result in results]
    if skipped:
        found = (f" ({plural(len(skipped), 'file')} there {'is' if len(skipped) == 1 else 'are'} "
                 f"not read as {'a return' if len(skipped) == 1 else 'returns'}: "
                 f"{and_list(skipped, at_most=3)})")
    else:
        found = ""
    raise usage_error(f"No returns were found in {where}{found}.",
                      hint="Put the agencies' files there, or give their paths.")


def check_suffix(path: Path | None, suffixes: tuple[str, ...], option: str, what: str) -> None:
    """An output whose name does not end as what is written is a usage error naming the ending."""
    if path is None or path.suffix.lower() in suffixes:
        return
    right = " or ".join(suffixes)
    raise usage_error(f"{option} {path} would hold {what}, so its name must end in {right}.",
                      hint=f"For example: {option} {path.with_suffix(suffixes[0])}")


def check_folder_name(path: Path | None, option: str) -> None:
    """An output folder named like a file (out/letters.docx) is a usage error."""
    if path is None or not path.suffix or path.is_dir():
        return
    raise usage_error(f"{option} {path} is a folder for several files, but its name ends in "
                      f"{path.suffix} like a file.",
                      hint=f"Give a folder name, e.g. {option} {path.with_suffix('')}")


@contextlib.contextmanager
def writing(target: Path | str, *, quiet: bool) -> Iterator[None]:
    """A spinner on stderr while a (possibly large) output is written, unless quiet."""
    console = make_console(stderr=True)
    if quiet or not console.is_terminal:
        yield
        return
    with console.status(inert(f"Writing {target}"), spinner="line"):
        yield


def default_output(review: Review, name: str) -> Path:
    """out/NAME next to review.toml when one was found, else out/NAME here."""
    return shown_path(review.folder / "out" / name) if review.folder is not None else Path("out") / name


def shown_path(path: Path) -> Path:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return path.absolute().relative_to(Path.cwd().absolute())
    except ValueError:
        return path


def refuse_output_inside_inputs(output: Path, inputs: list[Path]) -> None:
    """An output inside a folder of returns would be read back as a return next time: refused."""
    target = Path(output).absolute().resolve()
    for given in inputs:
        folder = Path(given).absolute().resolve()
        if folder.is_dir() and target.is_relative_to(folder):
            raise usage_error(
                f"The output {output} is inside the returns folder {given}; sarkit would read it "
                "back as a return next time.",
                hint="Write it somewhere else, e.g. -o out/combined.xlsx next to review.toml.")


def _limits(specs: list[str]) -> Limits:
    try:
        return Limits.parse(specs)
    except ValueError as exc:
        raise usage_error(f"The --limit option is not right: {exc}",
                          hint="Write it as NAME=VALUE, e.g. --limit max-rows=2000000.") from None


@contextlib.contextmanager
def file_progress(total: int, *, quiet: bool) -> Iterator[Callable[[str], None] | None]:
    """A rich progress bar on stderr while files are read (only for more than a few files)."""
    console = make_console(stderr=True)
    if quiet or total <= 3 or not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("Reading returns"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:
        task = progress.add_task("read", total=total)
        yield lambda _path: progress.advance(task)
