"""`sarkit init`: create a review folder with its review.toml, returns/ and out/."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from sarkit.errors import SarkitError
from sarkit.review import REVIEW_FILE, Agency, Review, render_review_toml

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_option_date(value: str | None, option: str) -> dt.date | None:
    """A date given on the command line, as dd/mm/yyyy or yyyy-mm-dd (a usage error otherwise)."""
    if value is None or not value.strip():
        return None
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), form).date()
        except ValueError:
            continue
    raise typer.BadParameter(
        "write the date as dd/mm/yyyy or yyyy-mm-dd, e.g. 01/04/2024.", param_hint=option
    )


def parse_agency(text: str) -> Agency:
    """An agency from `--agency "Name"` or `--agency "Name=Short"`."""
    name, sep, short = text.partition("=")
    name, short = name.strip(), short.strip()
    if not name or (sep and not short):
        raise typer.BadParameter(
            f'"{text}" is not an agency name; write "Name" or "Name=Short".', param_hint="--agency"
        )
    short = short or name
    return Agency(name=name, short=short, aliases=agency_aliases(name, short),
                  files=agency_file_patterns(name, short))


def _acronym(name: str) -> str:
    """NWAS for North West Ambulance Service: the first letters of the capitalised words."""
    return "".join(word[0] for word in re.findall(r"[A-Za-z][\w&'-]*", name) if word[0].isupper())


def agency_aliases(name: str, short: str) -> tuple[str, ...]:
    """The words that mean the agency besides its name: its short name and its initials (three
    letters or more, so they are not mistaken for other words)."""
    candidates = [short, _acronym(name)]
    seen = {name.casefold()}
    aliases: list[str] = []
    for alias in candidates:
        if len(alias) >= 2 and alias.casefold() not in seen and (alias == short or len(alias) >= 3):
            seen.add(alias.casefold())
            aliases.append(alias)
    return tuple(aliases)


def agency_file_patterns(name: str, short: str) -> tuple[str, ...]:
    """The file names that are the agency's returns: its short name, its name (words in any
    separators) and its initials anywhere in the name, e.g. *police*, *northshire*police*."""
    def pattern(text: str) -> str:
        words = re.findall(r"[^\W_]+", text.casefold())
        return f"*{'*'.join(words)}*" if words else ""

    acronym = _acronym(name)
    patterns = list(dict.fromkeys(p for p in (pattern(short), pattern(name),
                                               pattern(acronym) if len(acronym) >= 3 else "") if p))
    # a pattern whose every match another pattern matches too (*northshire*police* beside
    # *police*) says nothing more
    return tuple(p for p in patterns
                 if not any(other != p and fnmatch.fnmatchcase(p, other) for other in patterns))


PSEUDONYM_WORDS = frozenset({
    "adult", "child", "person", "subject", "client", "mr", "mrs", "ms", "miss", "mx", "dr",
    "the", "service", "user", "patient", "resident", "individual", "young", "older", "man",
    "woman", "baby", "family", "sibling", "mother", "father", "brother", "sister",
})


def looks_like_real_name(subject: str) -> bool:
    """Whether a subject reads as a first name and a surname ("Jane Smith") rather than a
    pseudonym ("Adult B", "Child C", "Mr A", "Ruby"): two or more capitalised words of two
    letters or more, none of them a word pseudonyms are made of."""
    words = subject.replace(".", " ").split()
    if len(words) < 2:
        return False
    if any(word.casefold() in PSEUDONYM_WORDS for word in words):
        return False
    return all(len(word) >= 2 and word[0].isupper() and word.replace("-", "").replace("'", "").isalpha()
               for word in words)


def at_terminal() -> bool:
    """Whether someone can answer a question (never in scripts, pipes or tests)."""
    return sys.stdin.isatty()


def create_review_folder(folder: Path, review: Review) -> list[Path]:
    """Write folder/review.toml and make returns/ and out/; the paths created, in order."""
    from sarkit.output.atomic import check_name_fits

    target = folder / REVIEW_FILE
    check_name_fits(target)
    if target.exists():
        raise SarkitError(
            f"{target} already exists; sarkit init never overwrites a review file.",
            hint="Edit it in a text editor, or give another folder.", exit_code=2,
        )
    if folder.exists() and not folder.is_dir():
        raise SarkitError(f"{folder} is a file, not a folder.", hint="Give the path of a folder.",
                          exit_code=2)
    created: list[Path] = []
    if not folder.exists():
        folder.mkdir(parents=True)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(render_review_toml(review))
    except OSError as exc:
        raise SarkitError(f"{target} cannot be written ({exc.strerror}).") from None
    created.append(target)
    for name in ("returns", "out"):
        sub = folder / name
        if not sub.is_dir():
            sub.mkdir()
            created.append(sub)
    return created


def init(
    folder: Annotated[Path, typer.Argument(help="The review folder (created if it does not exist).",
                                           metavar="DIR")],
    *,
    reference: Annotated[str | None, typer.Option(
        "--reference", metavar="REF", help="The review's reference, e.g. SAR-2025-07.")] = None,
    subject: Annotated[str | None, typer.Option(
        "--subject", metavar="PSEUDONYM",
        help="The pseudonym of the adult, e.g. 'Adult B' (never a real name).")] = None,
    start: Annotated[str | None, typer.Option(
        "--start", metavar="DATE", help="First day of the review period (dd/mm/yyyy or yyyy-mm-dd).")] = None,
    end: Annotated[str | None, typer.Option(
        "--end", metavar="DATE", help="Last day of the review period (dd/mm/yyyy or yyyy-mm-dd).")] = None,
    agency: Annotated[list[str] | None, typer.Option(
        "--agency", metavar="NAME",
        help='An agency taking part; repeat for each. "Name=Short" also sets the short name '
        'used in tables (e.g. "Northshire Police=Police"); otherwise the short name is the name. '
        "Its aliases and file name patterns are filled in from both.",
    )] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q",
        help="Say nothing unless something is wrong.")] = False,
) -> None:
    """Create a review folder: review.toml (the review's settings), returns/ and out/.

    Asks nothing when run without a terminal; at a terminal it asks for a missing
    reference and subject pseudonym. Never overwrites an existing review.toml.

    \b
    Example:
        sarkit init SAR-2025-07 --reference SAR-2025-07 --subject "Adult B" \\
          --start 01/04/2024 --end 30/09/2025 \\
          --agency "Northshire Police=Police" --agency "Riverside Medical Practice=GP"
    """
    period_start = parse_option_date(start, "--start")
    period_end = parse_option_date(end, "--end")
    if period_start and period_end and period_end < period_start:
        raise typer.BadParameter("the end of the period is before its start.", param_hint="--end")
    agencies = [parse_agency(text) for text in agency or []]
    names = [a.name.casefold() for a in agencies]
    duplicates = sorted({a.name for a in agencies if names.count(a.name.casefold()) > 1})
    if duplicates:
        raise typer.BadParameter(f"{', '.join(duplicates)} is given twice.", param_hint="--agency")
    if at_terminal():
        if reference is None:
            reference = typer.prompt("Review reference (e.g. SAR-2025-07)", default="")
        if subject is None:
            subject = typer.prompt("Subject pseudonym (never a real name)", default="Adult A")
    review = Review(reference=(reference or "").strip(), period_start=period_start,
                    period_end=period_end, agencies=agencies)
    if subject and subject.strip():
        review.subject = subject.strip()
    created = create_review_folder(folder, review)
    if not quiet:
        for path in created:
            typer.echo(f"Created {path}{'/' if path.is_dir() else ''}")
        if agencies:
            typer.echo("Each agency's short name, initials and file name patterns are in "
                       "review.toml (aliases, files): check them against the returns' names.")
    if subject and looks_like_real_name(subject.strip()):
        typer.echo(f"Warning: the subject given looks like a real name (a first name and a "
                   f"surname), not a pseudonym. Every output shows it. If it is a real name, change "
                   f"subject in {created[0]} to a pseudonym such as \"Adult B\".", err=True)


def register(app: typer.Typer) -> None:
    """Add `sarkit init` to the app."""
    app.command("init")(init)
