"""`sarkit new-imr` and `sarkit new-action-plan`: the documents an agency writes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sarkit.commands.inputs import refuse_given_not_returns
from sarkit.commands.options import (
    ForceOption,
    LimitOption,
    MapOption,
    PasswordOption,
    PasswordsOption,
    QuietOption,
    RedactOption,
    ReviewOption,
    SchemaOption,
)
from sarkit.errors import usage_error
from sarkit.wording import plural

OutputOption = Annotated[
    Path,
    typer.Option("--output", "-o", metavar="FILE", help="The file to write; its ending chooses the format."),
]
TemplateOption = Annotated[
    Path | None,
    typer.Option("--template", metavar="FILE",
        help="Use this Jinja template instead of the one that ships with sarkit."),
]


def new_imr(
    agency: Annotated[str, typer.Option("--agency", metavar="NAME", help="The agency whose IMR this is.")],
    output: OutputOption,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="PATH", show_default=False,
            help="Return files and folders to collate, or the combined workbook (as --chronology)."),
    ] = None,
    chronology: Annotated[
        Path | None,
        typer.Option("--chronology", metavar="FILE", help="The combined chronology made by sarkit collate."),
    ] = None,
    review: ReviewOption = None,
    schema: SchemaOption = None,
    mapping: MapOption = None,
    template: TemplateOption = None,
    force: ForceOption = False,
    password: PasswordOption = False,
    passwords: PasswordsOption = None,
    limit: LimitOption = None,
    quiet: QuietOption = False,
    redact: RedactOption = False,
) -> None:
    """Write an Individual Management Review (Appendix 7) skeleton for one agency.

    The summary of involvement, the agency's entries and the questions about key episodes and
    missed opportunities are filled in from the combined chronology (or from the returns given).
    The format follows the output name: .docx, .md or .html.

    \b
    Example:
        sarkit new-imr --agency Police --chronology out/combined.xlsx -o out/imr-police.docx
    """
    from sarkit.account import review_file_shown
    from sarkit.commands.options import (
        file_progress,
        read_options,
        refuse_output_inside_inputs,
        require_returns,
        writing,
    )
    from sarkit.output.atomic import check_output_path
    from sarkit.output.documents import output_format, write_document
    from sarkit.output.imr import imr_context
    from sarkit.output.rendering import render_template
    from sarkit.output.validation_report import edit_lines, review_line
    from sarkit.pipeline.chronology import collated_refs, from_combined, from_returns
    from sarkit.returns import expand_paths

    options = read_options(review=review, schema=schema, mapping=mapping, agency=None,
                           show_values=False, password=password and bool(paths), passwords=passwords,
                           limits=limit)
    output_format(output)
    if chronology is not None and paths:
        raise usage_error("Give either --chronology or return files, not both.",
                     hint="Use --chronology for a combined workbook made by sarkit collate.")
    chosen = ""
    if chronology is None and not paths:
        chronology, paths, chosen = _default_input(options.review)
    elif chronology is not None:
        _check_chronology(chronology, options.passwords)
    else:
        chronology, paths, chosen = _given_input(paths, options.passwords)
    inputs = [p for p in (chronology, *(paths or ())) if p is not None]
    refuse_output_inside_inputs(output, list(paths or ()))
    check_output_path(output, force=force, inputs=inputs)
    loaded = None
    if chronology is not None:
        loaded = from_combined(chronology, options.review, redact=redact,
                               passwords=options.passwords)
    elif paths:
        files = expand_paths(paths)
        with file_progress(len(files), quiet=quiet) as progress:
            loaded = from_returns(paths, options, progress=progress, files=files, redact=redact,
                                  refs=collated_refs(options.review))
        refuse_given_not_returns(paths, loaded.collation.results, "new-imr", options.passwords)
        require_returns(paths, loaded.collation.results)  # never an IMR of no return
        _some_entries(loaded, paths)
    the_review = loaded.review if loaded else options.review
    entries = loaded.collation.entries if loaded else None
    name = _which_agency(agency, the_review, entries)
    if loaded is not None:
        from sarkit.pipeline.chronology import add_trails_and_patterns

        add_trails_and_patterns(loaded, schema)
    results = loaded.collation.results if loaded else []
    glossary = [pair for r in results if r.agency == name for pair in r.glossary]
    context = imr_context(name, review=the_review, entries=entries,
                          analysis=loaded.collation.analysis if loaded else None, glossary=glossary,
                          account=loaded.account if loaded else None,
                          gap_days=loaded.collation.gap_days if loaded else None)
    text = render_template("imr.md.j2", context, review=the_review, template_file=template)
    with writing(output, quiet=quiet):
        write_document(output, text, review=the_review, title=f"Individual Management Review: {name}")
    questions = (len(context["overlap_questions"]) + len(context["gap_questions"])
                 + len(context["trail_questions"]))
    summary = ("an empty skeleton: no chronology given" if entries is None
               else f"{plural(context['entry_count'], 'entry', 'entries')}, "
                    f"{plural(questions, 'question')}")
    typer.echo(review_line(review_file_shown(the_review)), err=True)
    if chosen:
        typer.echo(chosen, err=True)
    if loaded is not None and loaded.settings_note:
        typer.echo(loaded.settings_note, err=True)
    if loaded is not None and loaded.source == "combined":
        for line in edit_lines(loaded.collation.findings):  # analysts' edits, as gaps says them
            typer.echo(line, err=True)
    if loaded is None:
        typer.echo(f"No chronology was given (--chronology or return files), so this is an empty "
                   f"skeleton for {name}: no entries and no questions from the chronology.",
                   err=True)
    typer.echo(f"Wrote {output}: the IMR skeleton for {name} ({summary}).", err=True)


def _check_chronology(chronology: Path, passwords: dict[str, str]) -> None:
    """--chronology given a folder, no such file, or one of sarkit's or the review's own files
    that is not a combined workbook: a usage error saying what it got."""
    from sarkit.commands.inputs import COMBINED, MARKED_WORKBOOK, kind_of, refuse_not_a_file

    refuse_not_a_file(chronology, "--chronology", "the combined workbook made by sarkit collate")
    kind = kind_of(chronology)  # a marked workbook may be a combined one with a sheet renamed
    if kind is not None and kind not in (COMBINED, MARKED_WORKBOOK):
        raise usage_error(f"--chronology {chronology} is {kind}, not {COMBINED}.",
                          hint="Give the combined workbook, e.g. --chronology out/combined.xlsx, or "
                          "the returns as PATH.")
    if kind is None:
        _refuse_return_or_plan(chronology, passwords)


def _refuse_return_or_plan(chronology: Path, passwords: dict[str, str]) -> None:
    """--chronology given an agency's return or action plan (no combined workbook): a usage
    error saying so; anything else is left to the combined workbook's reader."""
    from sarkit.intake import password_for, read_workbook
    from sarkit.intake.action_plans import holds_plan, is_chronology
    from sarkit.pipeline.chronology import is_combined

    if is_combined(chronology, passwords):
        return
    workbook = read_workbook(chronology, password=password_for(chronology.name, passwords,
                                                                  str(chronology)))
    if is_chronology(workbook):
        what = "an agency's return"
        hint = (f"Give the return as PATH (sarkit new-imr {chronology} --agency NAME), or the combined "
                "workbook, e.g. --chronology out/combined.xlsx")
    elif holds_plan(workbook):
        what = "an agency's action plan"
        hint = "Give the combined workbook, e.g. --chronology out/combined.xlsx, or the returns as PATH."
    else:
        return
    raise usage_error(f"--chronology {chronology} is {what}, not a combined workbook: sarkit new-imr "
                      "reads the combined workbook written by sarkit collate (or returns given as PATH).",
                      hint=hint)


def _given_input(paths: list[Path], passwords: dict[str, str]
                 ) -> tuple[Path | None, list[Path] | None, str]:
    """The PATHs given: one combined workbook is read as with --chronology (as gaps reads it),
    with a line saying so; returns and folders of returns as they are; anything else (the review
    folder, review.toml, a pack or document sarkit wrote) is a usage error saying what it is."""
    from sarkit.commands.inputs import refuse_not_returns
    from sarkit.pipeline.chronology import is_combined

    for path in paths:
        if not Path(path).exists():
            raise usage_error(f"There is no file or folder {path}.", hint="Check the spelling of the path.")
    if len(paths) == 1 and is_combined(Path(paths[0]), passwords):
        return paths[0], None, (f"{paths[0]} is a combined workbook made by sarkit collate, so the "
                                "IMR is made from it (as with --chronology).")
    refuse_not_returns(paths, "new-imr")
    return None, paths, ""


def _some_entries(loaded, paths: list[Path]) -> None:
    """Returns given that gave no entry at all (and no nil return): the closing account, and an
    error rather than an IMR with no entries (as gaps does)."""
    from sarkit.errors import SarkitError
    from sarkit.output.terminal import make_console
    from sarkit.output.validation_report import print_account

    collation = loaded.collation
    if collation.entries or any(a.nil for a in collation.agencies):
        return
    print_account(collation.account, make_console(stderr=True), loaded.review.label)
    raise SarkitError("No entries could be read from the returns given, so no IMR was written.",
                      hint="Run: sarkit validate " + " ".join(map(str, paths)))


def _default_input(review) -> tuple[Path | None, list[Path] | None, str]:
    """With no chronology and no returns given, as the other commands do: out/combined.xlsx next
    to review.toml when it exists, else returns/ there; (chronology, returns, what was chosen).
    Nothing found (no review.toml, or neither exists): (None, None, '') for an empty skeleton."""
    from sarkit.commands.options import shown_path

    if review.folder is None:
        return None, None, ""
    combined = shown_path(review.folder / "out" / "combined.xlsx")
    if combined.is_file():
        return combined, None, (f"No chronology or returns were given, so the IMR is made from "
                                f"{combined}, the combined workbook next to review.toml.")
    returns = shown_path(review.folder / "returns")
    if returns.is_dir():
        return None, [returns], (f"No chronology or returns were given, and there is no "
                                 f"{combined}, so the IMR is made from the returns in {returns}.")
    return None, None, ""


def new_action_plan(
    output: OutputOption,
    agency: Annotated[str | None, typer.Option("--agency", metavar="NAME",
        help="The agency whose plan this is.")] = None,
    from_imr: Annotated[
        Path | None,
        typer.Option("--from-imr", metavar="FILE",
            help="Pre-fill the recommendations from this IMR (.docx or .md)."),
    ] = None,
    review: ReviewOption = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", metavar="FILE",
            help="For a .md plan: use this Jinja template instead of sarkit's."),
    ] = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
) -> None:
    """Write an action plan workbook (.xlsx) or table (.md) for an agency to fill in.

    Status and RAG are drop-downs, dates are checked, and rows past their target date that are
    not Complete turn red. With --from-imr the IMR's recommendations are filled in.

    \b
    Example:
        sarkit new-action-plan --agency Police --from-imr out/imr-police.docx -o out/action-plan-police.xlsx
    """
    from sarkit.action_plans import ActionRow
    from sarkit.intake.action_plans import read_imr_recommendations, target_date
    from sarkit.output.action_plan_workbook import write_action_plan_workbook
    from sarkit.output.atomic import atomic_output, check_output_path
    from sarkit.output.files import write_text_atomically
    from sarkit.output.rendering import render_template
    from sarkit.review import find_review
    from sarkit.wording import plural

    the_review = find_review(review)
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "md"):
        raise usage_error(f"The output {output} must end in .xlsx or .md.",
                     hint="For example: -o out/action-plan-police.xlsx")
    if from_imr is not None:
        _check_imr(from_imr)
    check_output_path(output, force=force, inputs=[from_imr] if from_imr else [])
    recommendations = read_imr_recommendations(from_imr) if from_imr else None
    written = agency or (recommendations.agency if recommendations else "")
    # an agency review.toml does not list is refused, as new-imr refuses it (never a new agency)
    name = _which_agency(written, the_review, None) if written else ""
    bound = recommendations.time_bound if recommendations else {}
    rows = [
        ActionRow(agency=name, ref=ref, recommendation=text, status="Not started",
                  target_date=target_date(bound.get(ref, "")))
        for ref, text in (recommendations.items if recommendations else [])
    ]
    unread = [row.ref for row in rows if bound.get(row.ref) and row.target_date is None]
    if fmt == "xlsx":
        with atomic_output(output) as temporary:
            write_action_plan_workbook(temporary, rows, marking=the_review.marking,
                                       reference=the_review.reference, agency=name,
                                       subject=the_review.subject)
    else:
        from sarkit.action_plans import COLUMNS

        context = {"review": the_review, "agency": name, "reference": the_review.reference,
                   "subject": the_review.subject, "marking": the_review.marking,
                   "columns": COLUMNS, "rows": rows}
        text = render_template("action-plan.md.j2", context, review=the_review, template_file=template)
        write_text_atomically(output, text)
    if recommendations is not None and not rows:
        typer.echo(f"Warning: the Recommendations section of {from_imr} is empty; "
                   "the plan has blank rows only.", err=True)
    if unread:
        which = ", ".join(unread)
        typer.echo(f"Warning: the Time-bound column of {from_imr} is not a date for "
                   f"{plural(len(unread), 'recommendation')} ({which}), so "
                   f"{'its' if len(unread) == 1 else 'their'} Target Date is left blank. Write a "
                   "date such as 31/03/2026 or March 2026 in the action plan.", err=True)
    dated = sum(1 for row in rows if row.target_date is not None)
    filled = f" with {plural(len(rows), 'recommendation')}" if rows else ""
    if dated:
        filled += f" ({dated} with a Target Date from the IMR)"
    if not quiet:
        typer.echo(f"Wrote {output}: the action plan{' for ' + name if name else ''}{filled}.",
                   err=True)



def _check_imr(path: Path) -> None:
    """--from-imr given a folder, no such file, or a file that is not an IMR (.docx or .md): a
    usage error saying what it got."""
    from sarkit.commands.inputs import kind_of, refuse_not_a_file

    refuse_not_a_file(path, "--from-imr", "the IMR (.docx or .md) made by sarkit new-imr")
    if path.suffix.lower() in (".docx", ".md", ".markdown", ".txt"):
        return
    kind = kind_of(path) or (f"a {path.suffix} file" if path.suffix else "a file with no ending")
    raise usage_error(f"--from-imr {path} is {kind}, not an IMR: --from-imr takes the IMR (.docx "
                      "or .md) made by sarkit new-imr.",
                      hint="For example: --from-imr out/imr-police.docx")


def _which_agency(given: str, review, entries) -> str:
    """The agency's name as the chronology knows it: by review.toml, else as the entries spell it."""
    from sarkit.schema import normalise_header

    known = review.find_agency(given)
    if known:
        return known.name
    wanted = normalise_header(given)
    for name in sorted({e.agency for e in entries or ()}):
        if normalise_header(name) == wanted or normalise_header(review.label(name)) == wanted:
            return name
    choices = sorted({e.agency for e in entries or ()} | {a.name for a in review.agencies})
    if choices:
        raise usage_error(f"The agency {given} is neither in review.toml nor in the chronology.",
                     hint="Agencies known: " + "; ".join(choices) + ".")
    return " ".join(given.split())


def register(app: typer.Typer) -> None:
    """Add `new-imr` and `new-action-plan` to the app."""
    app.command("new-imr")(new_imr)
    app.command("new-action-plan")(new_action_plan)
