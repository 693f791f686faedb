"""`sarkit template`: the blank Appendix 8b workbook, one per agency."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from sarkit.commands.options import QuietOption, ReviewOption, SchemaOption
from sarkit.errors import SarkitError, usage_error
from sarkit.review import Agency, Review, find_review

DEFAULT_FOLDER = Path("out") / "templates"
SUFFIX = "-chronology.xlsx"


def template_file_name(agency: Agency) -> str:
    """`<short name>-chronology.xlsx`, with anything unsafe in a file name turned into '-'."""
    stem = re.sub(r"[^\w.-]+", "-", agency.label).strip("-.")
    return f"{stem or 'agency'}{SUFFIX}"


def choose_agencies(review: Review, names: list[str]) -> list[Agency]:
    """The agencies named (matched to review.toml by name, short name or alias), else all of them."""
    if not names:
        return list(review.agencies)
    chosen: list[Agency] = []
    for name in names:
        agency = review.find_agency(name) or Agency(name=name.strip(), short=name.strip())
        if not agency.name:
            raise usage_error("--agency needs the name of an agency.")
        if agency not in chosen:
            chosen.append(agency)
    return chosen


def plan_outputs(agencies: list[Agency], output: Path | None, review: Review) -> list[tuple[Agency, Path]]:
    """Where each agency's workbook goes: a file named after it in the folder, or `output` itself."""
    from sarkit.output.atomic import check_name_fits

    if output is not None:
        check_name_fits(output)
    if output is not None and output.suffix.lower() == ".xlsx":
        if len(agencies) > 1:
            raise usage_error(
                f"{output} is a file name, but there are {len(agencies)} agencies.",
                hint="Give a folder with -o, or one --agency.",
            )
        return [(agencies[0], output)]
    if output is not None and output.suffix and not output.is_dir():
        raise usage_error(
            f"-o {output} ends in {output.suffix}, but sarkit template writes Excel workbooks "
            "(.xlsx).",
            hint=f"Give a file name ending in .xlsx with one --agency (-o "
            f"{output.with_suffix('.xlsx')}), or a folder.")
    folder = output if output is not None else (
        review.folder / DEFAULT_FOLDER if review.folder else DEFAULT_FOLDER
    )
    planned = [(agency, folder / template_file_name(agency)) for agency in agencies]
    by_name: dict[Path, Agency] = {}
    for agency, path in planned:
        other = by_name.setdefault(path, agency)
        if other is not agency:
            raise SarkitError(
                f"{other.name} and {agency.name} would both be written to {path.name}.",
                hint="Give the agencies different short names in review.toml.",
            )
    return planned


def template(
    *,
    agency: Annotated[list[str] | None, typer.Option(
        "--agency", metavar="NAME",
        help="Only this agency (name, short name or alias from review.toml, or any name); "
        "repeat for several. Default: every agency of review.toml.",
    )] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="PATH",
        help="The folder to write into (default: out/templates beside review.toml); with one "
        "agency, a file name ending in .xlsx.",
    )] = None,
    review: ReviewOption = None,
    schema: SchemaOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace workbooks that exist.")] = False,
    quiet: QuietOption = False,
) -> None:
    """Write the blank Appendix 8b chronology workbook for each agency, to send out.

    Each workbook has the sheets Instructions, Details (agency, review, subject and period
    filled in), Chronology (the header row agencies fill in below) and Glossary, and is named
    after its short name, e.g. Police-chronology.xlsx. Existing files are never replaced without
    --force.

    \b
    Example:
        sarkit template
        sarkit template --agency Police -o out/police-chronology.xlsx
    """
    from sarkit.output.atomic import check_name_fits
    from sarkit.output.files import write_atomically
    from sarkit.output.template_workbook import write_template_workbook
    from sarkit.schema import load_schema

    the_review = find_review(review)
    if the_review.path is None:
        the_review.subject = ""
    the_schema = load_schema(schema)
    agencies = choose_agencies(the_review, agency or [])
    if not agencies:
        raise SarkitError(
            "There are no agencies to write templates for.",
            hint="List them in review.toml as [[agencies]], or give --agency NAME.",
        )
    planned = plan_outputs(agencies, output, the_review)
    for _, path in planned:
        check_name_fits(path)
        if path.is_dir():
            raise usage_error(f"{_shown(path)} is a folder.", hint="Give a file name ending in .xlsx.")
    existing = [path for _, path in planned if path.exists()]
    if existing and not force:
        raise usage_error(
            f"{', '.join(_shown(p) for p in existing)} already "
            f"{'exists' if len(existing) == 1 else 'exist'}; nothing was written.",
            hint="Use --force to replace.",
        )
    for one, path in planned:
        write_atomically(path, lambda tmp, one=one: write_template_workbook(
            tmp, agency=one, review=the_review, schema=the_schema))
        if not quiet:
            typer.echo(f"Wrote {_shown(path)} ({one.name})")


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)



def register(app: typer.Typer) -> None:
    """Add `sarkit template` to the app."""
    app.command("template")(template)
