"""Feedback letters to agencies (`sarkit validate --feedback DIR`): one per return, as a Word
document and as plain text to paste into an email, addressed to the agency, listing what to fix
in its own terms (output/agency_wording.py) and asking for the return by `--reply-by`.

Both come from templates (`feedback.md.j2` for Word, `feedback.txt.j2` for the email) that a
Board can replace in the `templates/` folder beside review.toml. The plain text carries no
sarkit mark, since it is pasted into an email as it is; the Word letter has the mark in its
document properties.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from sarkit.entries import ReturnResult
from sarkit.errors import SarkitError
from sarkit.findings import Severity
from sarkit.output.agency_wording import advice
from sarkit.output.atomic import fit_name
from sarkit.output.documents import write_document
from sarkit.output.files import write_text_atomically
from sarkit.output.jinja_env import template_environment
from sarkit.review import Review

SUFFIXES = (".docx", ".txt")
SEPARATOR = " › "  # between an email and its attachment in a return's path (intake/email.py)


def output_stem(result: ReturnResult) -> str:
    """The return's file name without its suffix, safe for any file system."""
    stem = re.sub(r"[^\w.-]+", "-", Path(result.path.split(SEPARATOR)[-1]).stem).strip("-.")
    return stem or "return"


def return_file_names(results: Sequence[ReturnResult], ending: str, folder: Path | None = None, *,
                      later: str = "") -> dict[str, str]:
    """Return path -> `<stem><ending>` for every return read (skipped files have none), unique
    within one folder whatever the case. A stem too long for `folder` (with `later`, a suffix
    added afterwards) is cut, with 6 characters of its hash, so the name fits (atomic.fit_name)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    place = Path(folder) if folder is not None else Path(".")
    for result in results:
        if result.skipped:
            continue
        stem = output_stem(result)
        name, number = fit_name(place, stem, ending, later=later), 2
        while name.casefold() in used:
            name, number = fit_name(place, stem, f"-{number}{ending}", later=later), number + 1
        used.add(name.casefold())
        names[result.path] = name
    return names


def letter_day(date: dt.date) -> str:
    """'Friday 12 December 2025': a date in a letter, so nobody misreads it."""
    return f"{date:%A} {date.day} {date:%B %Y}"


def feedback_texts(result: ReturnResult, review: Review, *, reply_by: dt.date | None = None
                   ) -> tuple[str, str]:
    """(the Markdown for the Word letter, the plain text) for one return."""
    env = template_environment(review.folder, autoescape=False)
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    said = [advice(f) for f in result.findings]
    file_name = Path(result.path.split(SEPARATOR)[-1]).name
    agency = result.agency or f"the agency that sent {file_name}"
    context = {
        "review": review, "agency": agency, "file_name": file_name,
        # rows collated once because another file of the agency has them were read all the same
        "entries": len(result.entries) + result.repeated_rows, "rejected": result.rejected_rows,
        "nil": result.nil,
        "errors": [a for a in said if a.severity == Severity.ERROR],
        "warnings": [a for a in said if a.severity == Severity.WARNING],
        "notes": [a for a in said if a.severity == Severity.INFO],
        "reply_by": letter_day(reply_by) if reply_by else "",
        "by": f"by {letter_day(reply_by)}" if reply_by else "as soon as you can",
    }
    markdown = env.get_template("feedback.md.j2").render(**context)
    text = env.get_template("feedback.txt.j2").render(**context)
    return markdown, text.strip() + "\n"


def write_letters(results: Sequence[ReturnResult], folder: Path, review: Review,
                  names: dict[str, str], *, reply_by: dt.date | None = None
                  ) -> tuple[list[Path], list[tuple[str, str]]]:
    """`<name>.docx` and `<name>.txt` for each return in `names` (return path -> name stem):
    (the files written, (return path, why not) for each letter that could not be written). A
    letter that fails costs that letter only, never the others."""
    written: list[Path] = []
    failed: list[tuple[str, str]] = []
    for result in results:
        if result.path not in names:
            continue
        stem = folder / names[result.path]
        title = f"Feedback on {Path(result.path.split(SEPARATOR)[-1]).name}"
        docx, txt = (stem.with_name(stem.name + suffix) for suffix in SUFFIXES)
        try:
            markdown, text = feedback_texts(result, review, reply_by=reply_by)
            write_document(docx, markdown, review=review, title=title)
            try:
                write_text_atomically(txt, text)
            except BaseException:
                docx.unlink(missing_ok=True)  # a letter is both files or neither
                raise
            written += [docx, txt]
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except SarkitError as exc:  # cannot write: a full disk, a name too long
            failed.append((result.path, str(exc)))
        except Exception:  # noqa: BLE001 - a template or python-docx failing on one letter
            failed.append((result.path, "The letter could not be made; this is a fault in sarkit "
                           "or in the letter's template (templates/ beside review.toml)."))
    return written, failed
