"""Reading returns end to end: file -> raw tables -> validated entries and findings.

Files are read in worker processes (`sarkit.pipeline.workers`): both cores are used, and a native
crash or a memory blow-up inside a reader library costs that one file, not the run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sarkit.chronology import Context, read_yes_no, validate_return
from sarkit.colour_columns import colour_only_columns
from sarkit.corrections import Correction, apply_corrections
from sarkit.entries import Entry, ReturnResult
from sarkit.errors import usage_error
from sarkit.findings import Finding, Severity, finding
from sarkit.identifiers import IdentifierLog
from sarkit.intake import SEPARATOR, Limits, RawWorkbook, is_junk, read_workbooks
from sarkit.intake.features import formula_findings
from sarkit.intake.sniff import named_not_a_return
from sarkit.pipeline.workers import read_in_workers
from sarkit.raw_tables import RawSheet
from sarkit.review import Review
from sarkit.schema import Schema, load_schema
from sarkit.wording import and_list, shown_path

MEMORY_LIMIT_BYTES = 3 * 1024**3
FILE_TIMEOUT_SECONDS = 300.0


@dataclass(slots=True)
class ReadOptions:
    """Everything reading and validating a return depends on besides the file."""

    review: Review = field(default_factory=Review)
    schema: Schema | None = None  # None: the packaged Appendix 8b schema
    mapping: dict[str, str] = field(default_factory=dict)  # normalised header -> field key
    agency: str | None = None  # --agency
    show_values: bool = False
    today: dt.date | None = None
    passwords: dict[str, str] = field(default_factory=dict)  # file name -> password; "*" any
    limits: Limits = field(default_factory=Limits)
    workers: int = 0  # 0: one per core
    memory_limit: int = MEMORY_LIMIT_BYTES
    timeout: float = FILE_TIMEOUT_SECONDS
    corrections: tuple[Correction, ...] | None = None  # None: corrections.toml not looked for yet


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders searched recursively (sorted); a missing path stops the command.

    Everything found in a folder is listed, even what will not be read (a link out of the folder,
    a pipe or device): `skip_reason` says why, so it is reported rather than silently dropped.
    Links to folders are never followed. sarkit's own ref maps (`.refs.json` beside collate's
    output) are left out: they are never returns.
    """
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = []
            for folder, dirnames, filenames in os.walk(path, followlinks=False):
                found += [Path(folder) / name for name in filenames]
                found += [Path(folder) / name for name in dirnames
                          if (Path(folder) / name).is_symlink()]
            files.extend(sorted(p for p in found if not is_ref_map(p)))
        elif path.exists():
            if not is_ref_map(path):
                files.append(path)
        else:
            raise usage_error(f"There is no file or folder {path}.",
                              hint="Check the spelling of the path.")
    return files


def is_ref_map(path: Path) -> bool:
    """A ref map sarkit collate keeps beside its output: `.refs.json` or `.NAME.refs.json`."""
    name = Path(path).name.lower()
    return name.startswith(".") and name.endswith(".refs.json")


def skip_reason(path: Path, roots: list[Path]) -> str | None:
    """Why a path found among the inputs must not be read, or None.

    A link found inside a returns folder is followed only to a file inside that folder (a link to
    a system file is never read); pipes, devices and sockets are never opened (reading a pipe
    would wait for ever). A file named on the command line is read wherever it points.
    """
    path = Path(path)
    for root in roots:
        root = Path(root)
        if path == root or not root.is_dir() or not _lexically_inside(path, root):
            continue
        if path.is_symlink() and path.is_dir():
            return "it is a link to a folder; sarkit does not follow links inside a returns folder"
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # a loop of links
            return "it is a link that leads nowhere (a loop of links)"
        if not target.is_relative_to(root.resolve()):
            return (f"it is a link to a file outside the folder {root}; sarkit does not follow "
                    "links out of a returns folder (name the file itself if you mean it)")
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # reading it reports what is wrong
    if not stat.S_ISREG(mode):
        return "it is not an ordinary file (a pipe, device or socket)"
    return None


def _lexically_inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
    except ValueError:
        return False
    return True


def skipped_result(path: Path | str, why: str, hint: str | None = None) -> ReturnResult:
    """The result of an input that was listed but deliberately not read."""
    shown = shown_path(path)
    return ReturnResult(path=shown, skipped=True, findings=[finding(
        "skipped-file", shown, f"The file was skipped: {why}.", hint=hint,
    )])


def read_return(path: Path, options: ReadOptions) -> list[ReturnResult]:
    """Read, find the chronology, validate; a bad file gives findings, never an exception.

    One result per return the file holds: one for a workbook, CSV or Word file, one per
    attachment of an email.
    """
    path = Path(path)
    if is_junk(path):
        return [skipped_result(path, "it is a lock file or system file, not a return")]
    books = read_workbooks(path, passwords=options.passwords, limits=options.limits)
    for book in books:
        book.findings.extend(apply_corrections(book, options.corrections or ()))
    results = [validate_workbook(book, options) for book in books]
    for result in results:
        result.source = str(path)
    return results


def _chronology_copy(workbook: RawWorkbook) -> str | None:
    """The sheet holding a copy of a combined workbook's Chronology (values pasted into a new
    workbook, or the sheet saved as CSV): its headings are every one sarkit collate writes, Ref,
    Flags, Source File and Source Row included, which no agency's return has."""
    from sarkit.intake.combined import chronology_headed

    return next((sheet.name for sheet in workbook.sheets
                 if any(chronology_headed(cells) for cells in sheet.rows[:5])), None)


def validate_workbook(workbook: RawWorkbook, options: ReadOptions) -> ReturnResult:
    """Validate a workbook already read (a file, an email attachment, a Word table)."""
    result = _validate_workbook(workbook, options)
    return _not_a_return(workbook, options, result) or result


# Documents that cannot be read as a return at all: named README or ToR, they are not one
_DOCUMENT_FORMATS = {"pdf", "rtf", "odt", "doc"}


_NOT_A_CHRONOLOGY = {"no-chronology-sheet", "missing-column", "agency-unknown", "date-column-ambiguous"}


def _not_a_return(workbook: RawWorkbook, options: ReadOptions,
                  result: ReturnResult) -> ReturnResult | None:
    """A skipped result for a file whose name says it is not a return (README.txt, Terms of
    Reference.docx) and from which no chronology table could be read; else None. A file so named
    that holds a chronology table (even one that cannot be used: no agency, no Source column),
    names an agency (Details sheet) or matches an agency's files pattern in review.toml is read as
    a return: an unreadable return is never passed over."""
    name = workbook.path.rsplit(SEPARATOR, 1)[-1]
    if _headings_only(workbook, result) and named_not_a_return(name):
        return skipped_result(workbook.path, "its name says it is not a return (a read-me, terms of "
                                                   "reference, guidance, covering letter or notes) and "
                                                   "its table has headings only, no row under them (a "
                                                   "blank template), so it is no agency's return",
                              hint="Nothing to do. If it is in fact an agency's nil return, ask the "
                                   "agency to write 'Nil return - no involvement in the review "
                                   "period' under the headings, or to rename the file.")
    if _chronology_table_read(result, options):
        return None  # its error and rejected rows stand, whatever the file is called
    errors = {f.code for f in result.findings if f.severity is Severity.ERROR}
    # no table, or one that is no chronology (a timetable Date | Milestone | Lead, an example
    # table with no agency): nothing was read from it, every row refused for its shape
    not_chronology = bool(errors) and errors <= _NOT_A_CHRONOLOGY
    no_table = not_chronology or (errors == {"file-unreadable"} and workbook.format in _DOCUMENT_FORMATS)
    if (not no_table or result.skipped or result.entries or result.nil
            or result.rejected_rows and not not_chronology
            or workbook.details.get("agency") or workbook.details.get("organisation")
            or options.review.agencies_for_file(Path(name).name) or not named_not_a_return(name)):
        return None
    return skipped_result(workbook.path, "its name says it is not a return (a read-me, terms of "
                                               "reference, guidance, covering letter or notes) and no "
                                               "chronology table could be read from it",
                          hint="Nothing to do. If it is in fact an agency's return, rename it (or add "
                               "its name to that agency's files in review.toml) and send the "
                               "chronology as a table.")


def _headings_only(workbook: RawWorkbook, result: ReturnResult) -> bool:
    """Whether the file's table is headings with nothing under them and nothing says whose or
    that there was no involvement: no Details filled in (Agency, Author, Date completed), no 'Nil
    return' in words. Such a table in a file named as guidance or notes is the blank template
    shown to the agencies, no agency's nil return."""
    if (result.skipped or result.header_row is None or result.entries or result.data_rows
            or result.rejected_rows or result.unread_rows):
        return False
    if any(workbook.details.get(label) for label in ("agency", "organisation", *_SIGN_OFF)):
        return False
    if any(_NIL_WORDS.search(f"{label} {value}") for label, value in workbook.details.items() if value):
        return False
    return not _nil_said_under_headings(workbook, result)


def _chronology_table_read(result: ReturnResult, options: ReadOptions) -> bool:
    """Whether a chronology table was found: a row of headings naming the Date (a date named by
    two columns counts) and the Event, with rows under it. Such a file is a return, used or not."""
    if result.header_row is None or not (result.data_rows or result.entries):
        return False
    schema = options.schema or load_schema()
    lacking = {f.column for f in result.findings if f.code == "missing-column"}
    return not lacking & {schema.field("date").heading, schema.field("event").heading}


def _validate_workbook(workbook: RawWorkbook, options: ReadOptions) -> ReturnResult:
    from sarkit.intake.combined import looks_combined_book

    result = ReturnResult(path=workbook.path, sha256=workbook.sha256,
                          findings=list(workbook.findings), provenance=dict(workbook.provenance))
    if looks_combined_book(workbook):  # a combined workbook, in any format: never a return
        result.skipped = True
        result.findings = [finding(
            "sarkit-output", workbook.path,
            "This file is a combined workbook written by sarkit collate (saved again in another "
            "format or with a password), so it was not read as a return.",
            hint="Keep sarkit's outputs out of the returns folder. To analyse the combined "
                 "workbook, give it on its own, saved as .xlsx.")]
        return result
    copied = _chronology_copy(workbook)
    if copied is not None:
        result.skipped = True
        text = len(workbook.sheets) == 1 and workbook.sheets[0].name == "CSV"  # a delimited file
        result.findings = [finding(
            "sarkit-output", workbook.path,
            f"{'The file' if text else f'The sheet {copied}'} is a copy of a combined chronology "
            "made by sarkit collate (its headings are sarkit's, Ref, Source File and Source Row "
            "included), so the file was not read as a return: its entries came from the returns "
            "themselves.", sheet=None if text else copied,
            hint="Keep copies of the combined chronology out of the returns folder.")]
        return result
    for sheet in workbook.sheets:
        if not sheet.visible:
            result.findings.append(finding(
                "hidden-sheet", workbook.path,
                f"The sheet {sheet.name} is hidden; it was not read.", sheet=sheet.name,
            ))
    fixed, fallback = _file_agency(workbook, options)
    if not workbook.sheets:
        result.agency = fallback
        if not any(f.severity == Severity.ERROR for f in result.findings):
            what = "document holds no table" if workbook.format in {"docx", "odt"} else "file holds no sheet"
            result.findings.append(finding(
                "no-chronology-sheet", workbook.path,
                f"The {what}, so no chronology could be read from it.",
                hint="Send the chronology as a table: the Appendix 8b workbook, or a table in "
                     "the Word document.",
            ))
        return result
    review = options.review
    ctx = Context(
        file=workbook.path, review=review, mapping=options.mapping, fixed_agency=fixed,
        file_agency=fallback, today=options.today or dt.date.today(),
        show_values=options.show_values, date1904=workbook.date1904,
        word=workbook.format == "docx", identifiers=review.identifier_scanner(),
    )
    schema = options.schema or load_schema()
    chronology = validate_return(workbook, schema, ctx)
    if chronology.filler_rows or chronology.unsaved_rows or chronology.total_rows:  # not cell by cell
        result.findings = _formulas_again(workbook, result.findings, chronology.sheet,
                                          chronology.filler_rows, chronology.unsaved_rows,
                                          chronology.total_rows)
    result.findings.extend(chronology.findings)
    result.findings.extend(colour_only_columns(workbook.path, workbook.format, chronology.sheet,
                                               chronology.entries, chronology.findings))
    result.sheet = chronology.sheet
    result.header_row = chronology.header_row
    result.entries = chronology.entries
    result.rejected_rows = chronology.rejected_rows
    result.unread_rows = chronology.unread_rows
    result.unread_values = chronology.unread_values
    result.data_rows = chronology.data_rows
    result.nil = chronology.nil
    if fixed and review.agencies and review.find_agency(fixed) is None:
        result.agency = None  # agency-not-listed: not a new agency, nor the file name's guess
        result.agencies = chronology.agencies
    else:
        result.agency = fixed or fallback or (chronology.agencies[0] if chronology.agencies else None)
        result.agencies = _returned_for(workbook, review, fixed or fallback, chronology.agencies)
    _agency_ambiguous(workbook, options, result, fixed)
    _blank_template(workbook, result)
    _agency_file_mismatch(workbook, options, result)
    result.glossary = _glossary(workbook)
    result.findings.extend(_glossary_identifiers(workbook, ctx))
    result.details = dict(workbook.details)
    return result


def _formulas_again(workbook: RawWorkbook, findings: list[Finding], name: str | None,
                    template_rows: list[int], unsaved_rows: list[int],
                    total_rows: list[int] = ()) -> list[Finding]:  # type: ignore[assignment]
    """The findings with the chronology sheet's `formula-cell` findings said again, now that its
    unused template rows, rows never calculated and total rows are known (the cells of the first
    two are not listed one by one; a total's formulas are no entry's cells)."""
    sheet = next((s for s in workbook.sheets if s.name == name and s.formulas), None)
    if sheet is None:
        return findings
    mine = [i for i, f in enumerate(findings) if f.code == "formula-cell" and f.sheet == name]
    if not mine:
        return findings
    kept = [f for i, f in enumerate(findings) if i not in set(mine)]
    kept[mine[0]:mine[0]] = formula_findings(workbook.path, sheet, template_rows, unsaved_rows, total_rows)
    return kept


def _file_agency(workbook: RawWorkbook, options: ReadOptions) -> tuple[str | None, str | None]:
    """(agency from the Details sheet, agency from review.toml files glob or --agency)."""
    review = options.review
    named = workbook.details.get("agency") or workbook.details.get("organisation")
    fixed = None
    if named:
        known = review.find_agency(named)
        fixed = known.name if known else named
    return fixed, agency_by_name(workbook.path, options)


def agency_by_name(path: Path | str, options: ReadOptions) -> str | None:
    """The agency a file is by its name (the one review.toml files pattern it fits) or --agency."""
    review = options.review
    by_glob = review.agencies_for_file(Path(path).name)
    if len(by_glob) == 1:
        return by_glob[0].name
    if options.agency:  # a name fitting several patterns is not guessed (agency-ambiguous)
        known = review.find_agency(options.agency)
        return known.name if known else options.agency
    return None


def _returned_for(workbook: RawWorkbook, review: Review, file_agency: str | None,
                  named: list[str]) -> list[str]:
    """The agencies this file is a return of. With an agency for the whole file (Details sheet,
    files pattern, --agency): that agency, and an agency its rows name only when review.toml's
    files patterns say the file is that agency's too (one file for several agencies). A row
    naming another agency (a joint visit) does not make the file that agency's return. Without
    one, every agency its Agency column names (a multi-agency return)."""
    if not file_agency:
        return list(named)
    covers = {a.name for a in review.agencies_for_file(Path(workbook.path).name)}
    return sorted({file_agency, *(name for name in named if name in covers)})


def _agency_ambiguous(workbook: RawWorkbook, options: ReadOptions, result: ReturnResult,
                      fixed: str | None) -> None:
    """An error when the return does not say its agency and its file name matches the `files`
    patterns of several agencies: no agency is guessed, so rows without an Agency cell are kept
    out (the file-level agency-unknown finding is said as this one)."""
    matches = options.review.agencies_for_file(Path(workbook.path).name)
    if fixed or len(matches) < 2:
        return
    unknown = [f for f in result.findings if f.code == "agency-unknown" and f.row is None]
    rows = sum(1 for f in result.findings if f.code == "agency-unknown" and f.row is not None)
    if not unknown and not rows:
        return  # every row names its agency: the patterns say the file covers these agencies
    result.findings = [f for f in result.findings if f not in unknown]
    names = and_list([a.name for a in matches])
    kept = ("none of its rows is put under any agency" if unknown
            else "its rows without an Agency cell are not put under any agency")
    result.findings.append(finding(
        "agency-ambiguous", workbook.path,
        f"The return does not say its agency, and its file name matches the files patterns of "
        f"{len(matches)} agencies in review.toml ({names}); no agency is guessed, so {kept}.",
        hint="Fill in 'Agency:' on the Details sheet, rename the file so that it matches one "
             "agency's pattern, or make the patterns in review.toml narrower.",
        sheet=unknown[0].sheet if unknown else None,
    ))


_SIGN_OFF = ("author", "role", "date completed")
_NIL_WORDS = re.compile(r"\bnil\b|\bno (?:known |recorded )?(?:contact|involvement)\b", re.IGNORECASE)


def _blank_template(workbook: RawWorkbook, result: ReturnResult) -> None:
    """A nil return that is the blank template (its Details block has the sign-off labels, all
    empty, and no row says there was no involvement) is not a nil return: an error, so the agency
    still owes its return."""
    if not result.nil or any(f.code == "nil-return" and f.row != result.header_row
                             for f in result.findings):
        return  # not a nil return, or one stated in words under the headings
    labels = _detail_labels(workbook)
    if not labels & set(_SIGN_OFF) or any(workbook.details.get(label) for label in _SIGN_OFF):
        return
    if any(_NIL_WORDS.search(value) or (_NIL_WORDS.search(label) and read_yes_no(value)[0] is True)
           for label, value in workbook.details.items()):
        return  # 'Note: Nil return' or 'Nil return: Yes' in the Details block
    if _nil_said_under_headings(workbook, result):
        return  # 'Nil return' typed in a cell under the headings (read as a divider)
    result.nil = False
    result.findings = [f for f in result.findings if f.code != "nil-return"]
    result.findings.append(finding(
        "blank-template", workbook.path,
        "The return is a blank template: it has no entries and its Author and Date completed "
        "are empty, so it is not counted as a nil return and the agency's return is still owed.",
        hint="If the agency had no involvement, ask it to fill in Author and Date completed on "
             "the Details sheet (or to write 'Nil return - no involvement in the review period' "
             "under the headings) and send it again; else ask for the completed chronology.",
        sheet=result.sheet,
    ))


def _nil_said_under_headings(workbook: RawWorkbook, result: ReturnResult) -> bool:
    """Whether a cell under the chronology's headings says there was no involvement ('Nil
    return' typed in the Date column of the template): not the Instructions, which say how."""
    sheet = next((s for s in workbook.sheets if s.name == result.sheet), None)
    if sheet is None or result.header_row is None:
        return False
    below = sheet.rows[max(0, result.header_row - sheet.first_row + 1):]
    return any(isinstance(value, str) and _NIL_WORDS.search(value) for cells in below for value in cells)


def _detail_labels(workbook: RawWorkbook) -> set[str]:
    """The labels (lower case, without ':') of the Details sheet or block, filled in or not."""
    labels = set()
    for sheet in workbook.sheets:
        for cells in sheet.rows[:40]:
            for value in cells[:6]:
                if isinstance(value, str) and value.strip().endswith(":"):
                    labels.add(value.strip()[:-1].strip().lower())
    return labels


def _agency_file_mismatch(workbook: RawWorkbook, options: ReadOptions, result: ReturnResult) -> None:
    """A warning when the file name matches one agency's `files` pattern but every entry names
    another agency of the review (gp.xlsx whose Agency cell says Housing)."""
    matches = options.review.agencies_for_file(Path(workbook.path).name)
    named = {e.agency for e in result.entries}
    if len(matches) != 1 or not named or matches[0].name in named:
        return
    name, others = matches[0].name, and_list(sorted(named))
    said = finding(
        "agency-file-mismatch", workbook.path,
        f"The file name matches the files pattern of {name} in review.toml, but its entries name "
        f"{others}; they were put under the agency named, so this file is not counted as {name}'s "
        "return.",
        hint=f"If this is {name}'s return, correct its Agency cell and send it again; else rename "
             "the file.",
    )
    said.agency_words = (
        f"The file's name says it is {name}'s return, but its entries name {others}, so we included "
        f"them as {others}'s entries and did not count this file as {name}'s return.",
        f"If this file is {name}'s return, please correct the Agency of its entries and send it "
        f"again; if it is {others}'s, nothing needs to change.")
    result.findings.append(said)


def _glossary_identifiers(workbook: RawWorkbook, ctx: Context) -> list[Finding]:
    """possible-identifier warnings for the Glossary sheet's cells, as for the chronology's: a
    meaning may name a relative or give a phone number, and it is carried into every output."""
    sheet = _glossary_sheet(workbook)
    if ctx.identifiers is None or sheet is None:
        return []
    log = IdentifierLog(ctx.identifiers)
    headings = {j: str(v).strip() for j, v in enumerate(sheet.rows[0] if sheet.rows else [])
                if str(v or "").strip()}
    for i, cells in enumerate(sheet.rows[1:], start=sheet.first_row + 1):
        log.add_row(i, ["" if v is None else str(v) for v in cells], first_col=sheet.first_col,
                    headings=headings, staff=None)
    return log.findings(workbook.path, sheet.name, practitioners=(), word=ctx.word,
                        show_values=ctx.show_values)


def _glossary_sheet(workbook: RawWorkbook) -> RawSheet | None:
    """The return's visible Glossary sheet, if it has one."""
    return next((sheet for sheet in workbook.sheets
                 if sheet.visible and sheet.name.strip().lower() == "glossary"), None)


def _glossary(workbook: RawWorkbook) -> list[tuple[str, str]]:
    sheet = _glossary_sheet(workbook)
    return [(str(cells[0]).strip(), str(cells[1]).strip()) for cells in sheet.rows[1:]
            if len(cells) >= 2 and str(cells[0] or "").strip() and str(cells[1] or "").strip()
            ] if sheet is not None else []


def read_returns(
    paths: list[Path], options: ReadOptions, *, progress: Callable[[str], None] | None = None
) -> list[ReturnResult]:
    """Expand folders, read every return in a worker process, flag cross-file problems."""
    files = expand_paths(paths)
    results = _read_isolated(files, options, progress)
    add_cross_file_findings(results)
    return results


def add_cross_file_findings(results: list[ReturnResult]) -> None:
    """duplicate-file (same bytes twice) and several-returns (two files for one agency, said on
    a file unless its other files are parts of one return with it: agency-ref-parts when their
    Refs overlap, agency-parts when their entries and periods do not, see `_relation`)."""
    first_by_hash: dict[str, ReturnResult] = {}
    for result in results:
        if result.skipped or not result.sha256:
            continue
        original = first_by_hash.setdefault(result.sha256, result)
        if original is not result:
            result.findings.append(_duplicate(result, original))
            result.entries = []
    by_agency: dict[str, list[ReturnResult]] = defaultdict(list)
    for result in results:
        if result.agency and not result.skipped and (result.entries or result.nil):
            by_agency[result.agency].append(result)
    for agency, group in by_agency.items():
        if len(group) < 2:
            continue
        partners, parts_said = _parts(agency, group)
        compare = _Compare(agency)
        relations, more_said = _relations(agency, group, partners, compare)
        partners |= {pair for pair, kind in relations.items() if kind == PARTS}
        for result in group:
            kinds = {relations[result.path, other.path] for other in group if other is not result}
            if kinds != {PARTS}:  # else its other files are parts of one return with it: said so
                result.findings.append(_several(agency, group, result, unsure=VERSIONS not in kinds,
                                                compare=compare))
        for result, said in parts_said + more_said:
            result.findings.append(said)
        _versions_of_entries(agency, group, partners)
    _rows_without_return(results)


PARTS, VERSIONS, UNSURE = "parts", "versions", "unsure"


def _file_name(path: str) -> str:
    """A return's file name as the agency knows it (an email attachment's own name)."""
    return Path(path.rsplit(SEPARATOR, 1)[-1]).name


def _several(agency: str, group: list[ReturnResult], result: ReturnResult, *, unsure: bool,
             compare: _Compare | None = None) -> Finding:
    """several-returns on `result`, one of `group`; `unsure`: its other files may be parts of one
    return with it, so nobody is told to remove one before checking which they are."""
    names = and_list([r.path for r in group], at_most=3)
    files = and_list([_file_name(r.path) for r in group], at_most=3)
    count, other = len(group), "the other" if len(group) == 2 else "another"
    if not unsure:
        redated = _redated(result, group, compare or _Compare(agency))
        said = finding("several-returns", result.path, f"{agency} has {count} returns: {names}. "
                       "Entries identical in more than one are collated once." + (
                           " Most entries of one have the words of the other's on other days: one "
                           "probably corrects the other's dates, so the same events are in the "
                           "combined chronology twice, on different days, until the older file is "
                           "removed." if redated else ""))
        said.agency_words = (
            f"We received {count} files from you: {files}. We included the entries of each (an "
            "entry that is the same in more than one is included once)." + (
                " Most of their entries have the same words on different days, so the same events "
                "are in the combined chronology twice." if redated else ""),
            f"If one of these files replaces {other}, please tell us which one to use.")
        return said
    said = finding(
        "several-returns", result.path,
        f"{agency} has {count} returns: {names}. They share few entries but cover overlapping "
        "periods, so they may be versions of one return or parts of it: check which before removing "
        "either. Entries identical in more than one are collated once.",
        hint="Check whether these are versions of one return or parts of it before removing either: "
             "parts (other entries, other dates) are both kept; if one file replaces another, remove "
             "the older one from the returns folder.")
    said.agency_words = (
        f"We received {count} files from you: {files}. They hold mostly different entries over the "
        "same period, so they may be parts of one return or versions of it; we included every entry "
        "of each (an entry that is the same in more than one is included once).",
        f"If they are parts of one return, nothing needs to change; if one replaces {other}, please "
        "tell us which one to use.")
    return said


def _redated(result: ReturnResult, group: list[ReturnResult], compare: _Compare) -> bool:
    """Whether `result` and another return of the agency are versions with the same words on
    other days (a resubmission correcting the dates): half the smaller one's entries keep their
    Source and Event words, but fewer than half are on the same day with the same event."""
    mine = compare.profile(result)
    for other in group:
        theirs = compare.profile(other)
        if other is result or not mine.entries or not theirs.entries:
            continue
        fewest = min(len(mine.entries), len(theirs.entries))
        same_day = len(mine.day_words & theirs.day_words)
        if compare.same_words(result, other) * 2 >= fewest and same_day * 2 < fewest:
            return True
    return False


def _relations(agency: str, group: list[ReturnResult], partners: set[tuple[str, str]],
               compare: _Compare) -> tuple[dict[tuple[str, str], str], list[tuple[ReturnResult, Finding]]]:
    """PARTS, VERSIONS or UNSURE for every pair of returns of one agency (both orders, by path),
    and the agency-parts finding to say on the later of each pair found to be parts by its
    entries. Ref partners (`_parts`) are parts; returns sharing a Ref otherwise are versions (as
    `_parts_of_one_return` decided); returns sharing no Ref are judged by `_entries_relation`."""
    refs = {result.path: set(_by_ref(agency, result)) for result in group}
    relations: dict[tuple[str, str], str] = {}
    said: list[tuple[ReturnResult, Finding]] = []
    for index, result in enumerate(group):
        for other in group[:index]:
            if (result.path, other.path) in partners:
                kind = PARTS
            elif refs[result.path] & refs[other.path]:
                kind = VERSIONS
            else:
                kind, shared, inside = _entries_relation(compare.profile(result), compare.profile(other),
                                                         compare.same_words(result, other))
                if kind == PARTS:
                    said.append((result, _parts_by_entries(agency, result, other, shared, inside)))
            relations[result.path, other.path] = relations[other.path, result.path] = kind
    return relations, said


def _dated(agency: str, result: ReturnResult) -> list[Entry]:
    return [entry for entry in result.entries if entry.agency == agency]


class _Profile:
    """One return's entries of an agency and what the pair checks compare of them, each worked
    out once: an agency that sent many files has every pair of them compared."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries

    @cached_property
    def days(self) -> list[str]:
        """Each entry's day as shown."""
        return [e.date.display() for e in self.entries]

    @cached_property
    def event_words(self) -> list[str]:
        """Each entry's Event words."""
        return [_words(e.event) for e in self.entries]

    @cached_property
    def seen(self) -> set[tuple[str, str]]:
        """(day as shown, Event with its spacing and case ignored) of each entry."""
        return set(zip(self.days, (" ".join(e.event.casefold().split()) for e in self.entries), strict=True))

    @cached_property
    def seen_days(self) -> Counter[str]:
        """How many of `seen` fall on each day."""
        return Counter(day for day, _ in self.seen)

    @cached_property
    def said(self) -> Counter[tuple[str, str]]:
        """(Source words, Event words) of the entries, each as often as it is said."""
        return Counter(zip((_words(e.source) for e in self.entries), self.event_words, strict=True))

    @cached_property
    def day_words(self) -> set[tuple[str, str]]:
        """(day as shown, Event words) of each entry."""
        return set(zip(self.days, self.event_words, strict=True))


class _Compare:
    """The profiles of one agency's returns and the words their pairs share, worked out once."""

    def __init__(self, agency: str) -> None:
        self.agency = agency
        self._profiles: dict[int, _Profile] = {}
        self._worded: dict[tuple[int, int], int] = {}

    def profile(self, result: ReturnResult) -> _Profile:
        found = self._profiles.get(id(result))
        if found is None:
            found = self._profiles[id(result)] = _Profile(_dated(self.agency, result))
        return found

    def same_words(self, one: ReturnResult, other: ReturnResult) -> int:
        key = (min(id(one), id(other)), max(id(one), id(other)))
        if key not in self._worded:
            self._worded[key] = _same_words(self.profile(one), self.profile(other))
        return self._worded[key]


def _profile(entries: list[Entry] | _Profile) -> _Profile:
    return entries if isinstance(entries, _Profile) else _Profile(entries)


def _entries_relation(mine: list[Entry] | _Profile, theirs: list[Entry] | _Profile,
                      worded: int | None = None) -> tuple[str, int, int]:
    """(PARTS, VERSIONS or UNSURE, entries in common, entries inside the other's period) for two
    returns of one agency that share no Ref. Versions: at least half the smaller return's entries
    are in the other (by date and event), or at least 4 in 5 of them are on days of the other (a
    resubmission reworded keeps its days), or at least half of them have the words of one of the
    other's (`_same_words`: a resubmission correcting the year on every date keeps its words).
    Parts: each has at least 3 entries, at most 1 in 5 of the smaller's are in the other (by date
    and event) and at most 2 in 5 have its words (a welfare check in each), and at most 1 in 5 of
    all the entries lie inside the other file's period (first to last day): two periods one after
    the other, an old and a new case system.
    Anything else is UNSURE: said so, never guessed. `worded`: `_same_words` of the two, when
    already known."""
    mine, theirs = _profile(mine), _profile(theirs)
    ours, others = mine.seen, theirs.seen
    small = min(len(ours), len(others))
    shared = len(ours & others)
    on_days, on_their_days = mine.seen_days, theirs.seen_days
    same_days = min(sum(on_days[day] for day in on_days.keys() & on_their_days.keys()),
                    sum(on_their_days[day] for day in on_days.keys() & on_their_days.keys()))
    worded = _same_words(mine, theirs) if worded is None else worded
    fewest = min(len(mine.entries), len(theirs.entries))
    if shared * 2 >= small or same_days * 5 >= small * 4 or worded * 2 >= fewest:
        return VERSIONS, shared, 0
    inside = _inside(mine.entries, theirs.entries) + _inside(theirs.entries, mine.entries)
    if (small >= 3 and shared * 5 <= small and worded * 5 <= fewest * 2
            and inside * 5 <= len(mine.entries) + len(theirs.entries)):
        return PARTS, shared, inside
    return UNSURE, shared, inside


_NOT_WORDS = re.compile(r"[\W_]+")
# in ASCII, the characters that are not word characters (and _) made spaces: quicker than the
# expression, the same words
_ASCII_NOT_WORDS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


def _words(text: str) -> str:
    """Text as its words: case, spaces and punctuation ignored."""
    folded = text.casefold()
    if folded.isascii():
        return " ".join(folded.translate(_ASCII_NOT_WORDS).split())
    return _NOT_WORDS.sub(" ", folded).strip()


def _same_words(mine: list[Entry] | _Profile, theirs: list[Entry] | _Profile) -> int:
    """How many entries of one return have the Source and Event of an entry of the other (each
    matched once), whatever their dates: case, spaces and punctuation ignored."""
    ours, others = _profile(mine).said, _profile(theirs).said
    return sum(min(ours[key], others[key]) for key in ours.keys() & others.keys())


def _inside(entries: list[Entry], other: list[Entry]) -> int:
    """How many of `entries` lie inside the period of `other` (its first to its last day)."""
    first, last = min(e.date.start for e in other), max(e.date.last for e in other)
    return sum(1 for e in entries if first <= e.date.start and e.date.last <= last)


def _parts_by_entries(agency: str, result: ReturnResult, other: ReturnResult, shared: int,
                      inside: int) -> Finding:
    """agency-parts on `result`, the later of two parts of one return told by their entries."""
    common = "no entry" if not shared else f"only {shared} {'entry' if shared == 1 else 'entries'}"
    periods = "do not overlap" if not inside else "barely overlap"
    said = finding(
        "agency-parts", result.path,
        f"{agency}'s return came in more than one file: this return and {other.path} have no Ref "
        f"numbers in common, {common} in common, and periods that {periods}, so they were read as "
        "parts of one return, not as versions: every row of both is in the chronology, told apart by "
        "Source File.", sheet=result.sheet)
    said.agency_words = (
        f"Your return came in more than one file (this file and {_file_name(other.path)}), which hold "
        "different entries over different periods, so we read them as parts of one return and "
        "included every entry of both.",
        "Nothing to do; if one of the files in fact replaces the other, please tell us which one to "
        "use.")
    return said


def _versions_of_entries(agency: str, group: list[ReturnResult], partners: set[tuple[str, str]]) -> None:
    """agency-ref-versions: rows of a return with an Agency Ref another return of the agency
    (before it in `group`) gives to an entry with other contents (a resubmission correcting it):
    both versions are in the chronology, said, never one chosen in silence. Two returns whose
    rows under the same Refs have other dates and events, and which share (nearly) no entry, are
    parts of one return (an ED file and a ward file): agency-ref-parts, and their entries are
    known by file and Agency Ref (see `_parts_of_one_return`); `partners` are those pairs
    (`_parts`)."""
    from sarkit.refs import content_hash

    earlier: dict[str, list[tuple[ReturnResult, Entry]]] = defaultdict(list)
    for result in group:
        pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)  # earlier file -> rows
        for entry in result.entries:
            if entry.agency != agency or not entry.agency_ref.strip():
                continue
            seen = earlier[_ref_key(entry)]
            before = next((pair for pair in seen if pair[0] is result
                           or (pair[0].path, result.path) not in partners), None)
            if before is None:
                seen.append((result, entry))
            elif before[0] is not result and content_hash(before[1]) != content_hash(entry):
                pairs[before[0].path].append((entry.row, before[1].row))
        for path, rows in pairs.items():
            ours = and_list([str(row) for row, _ in rows], at_most=10)
            theirs = and_list([str(row) for _, row in rows], at_most=10)
            many = len(rows) > 1
            said = finding(
                "agency-ref-versions", result.path,
                f"{'Rows' if many else 'Row'} {ours} of this return {'have' if many else 'has'} the "
                f"same Agency {'Refs' if many else 'Ref'} as {'rows' if many else 'row'} {theirs} of "
                f"{path}, another return of {agency}, with other contents (one return correcting "
                "the other?): both versions are in the chronology.", sheet=result.sheet,
                row=rows[0][0], hint="If one of the two returns corrects the other, remove the "
                                     "older one from the returns folder.",
            )
            said.agency_words = (
                f"{'Rows' if many else 'Row'} {ours} of this file {'have' if many else 'has'} the same "
                f"Ref {'numbers' if many else 'number'} as {'rows' if many else 'row'} {theirs} of "
                f"{_file_name(path)}, another file you sent us, but other contents: we included both "
                "versions.",
                "If one of the two files corrects the other, please tell us which, so that we use only "
                "the corrected entries.")
            result.findings.append(said)


def _ref_key(entry: Entry) -> str:
    return " ".join(entry.agency_ref.split()).casefold()


def _parts(agency: str, group: list[ReturnResult]
           ) -> tuple[set[tuple[str, str]], list[tuple[ReturnResult, Finding]]]:
    """The pairs of returns of one agency (both orders, by path) that are parts of one return,
    and the agency-ref-parts finding to say on the later of each pair; the entries of each part
    are given its file's name as `ref_part`, so that their identities (refs.entry_keys) do not
    clash."""
    mine = [(result, _by_ref(agency, result)) for result in group]
    partners: set[tuple[str, str]] = set()
    said: list[tuple[ReturnResult, Finding]] = []
    for index, (result, refs) in enumerate(mine):
        for other, theirs in mine[:index]:
            shared = sorted(set(refs) & set(theirs), key=lambda k: refs[k].row)
            if not shared or not _parts_of_one_return(refs, theirs, shared):
                continue
            partners |= {(result.path, other.path), (other.path, result.path)}
            for part in (result, other):
                for entry in part.entries:
                    if entry.agency == agency:
                        entry.ref_part = _file_name(entry.file)
            ours = and_list([str(refs[k].row) for k in shared], at_most=10)
            there = and_list([str(theirs[k].row) for k in shared], at_most=10)
            many = len(shared) > 1
            said.append((result, finding(
                "agency-ref-parts", result.path,
                f"{agency}'s return came in more than one file: this return and {other.path} use the "
                f"same Ref numbers ({'rows' if many else 'row'} {ours} here, {there} there) for "
                "entries with other dates and events, so they were read as parts of one return, "
                "not as versions: every row of both is in the chronology, told apart by Source "
                "File.", sheet=result.sheet, row=refs[shared[0]].row,
            )))
    return partners, said


def _by_ref(agency: str, result: ReturnResult) -> dict[str, Entry]:
    """The agency's entries of a return with an Agency Ref, by that ref (the first of a repeat)."""
    refs: dict[str, Entry] = {}
    for entry in result.entries:
        if entry.agency == agency and entry.agency_ref.strip():
            refs.setdefault(_ref_key(entry), entry)
    return refs


def _parts_of_one_return(refs: dict[str, Entry], theirs: dict[str, Entry], shared: list[str]) -> bool:
    """Whether two returns of one agency whose Agency Refs overlap are parts of one return, not
    versions: at least 4 in 5 of the shared Refs name entries with another date AND another event
    in each, at most 1 in 5 of the smaller return's entries is in the other (by date and
    event, whatever its Ref: a resubmission numbered afresh is still a version), at most 2 in 5
    have the words of one of the other's (`_same_words`, whatever their dates: a resubmission
    correcting its dates keeps its words), and at most 2 in 5 of its days are days of the other (a
    resubmission reworded, with an entry put in that moved the Refs on, keeps its days). In doubt
    they are versions, which are said as a warning."""
    def seen(entry: Entry) -> tuple[str, str]:
        return (entry.date.display(), " ".join(entry.event.casefold().split()))

    unlike = sum(1 for k in shared if refs[k].date.display() != theirs[k].date.display()
                 and _words(refs[k].event) != _words(theirs[k].event))
    if unlike * 5 < len(shared) * 4:
        return False
    if _same_words(list(refs.values()), list(theirs.values())) * 5 > min(len(refs), len(theirs)) * 2:
        return False  # the same words on other dates: a resubmission correcting its dates
    ours, others = {seen(e) for e in refs.values()}, {seen(e) for e in theirs.values()}
    if len(ours & others) * 5 > min(len(ours), len(others)):
        return False
    days, their_days = {day for day, _ in ours}, {day for day, _ in others}
    return len(days & their_days) * 5 <= min(len(days), len(their_days)) * 2


def _rows_without_return(results: list[ReturnResult]) -> None:
    """agency-without-return: rows of a return that name an agency no file is a return of (a
    joint visit): they are in the chronology under that agency, whose return is still missing."""
    returned = {name for r in results if not r.skipped
                for name in (*r.agencies, *([r.agency] if r.agency else []))}
    for result in results:
        if result.skipped:
            continue
        rows: dict[str, list[int]] = defaultdict(list)
        for entry in result.entries:
            if entry.agency not in returned:
                rows[entry.agency].append(entry.row)
        for agency, numbers in rows.items():
            which = f"Row {numbers[0]}" if len(numbers) == 1 else "Rows " + and_list(
                [str(n) for n in numbers], at_most=10)
            result.findings.append(finding(
                "agency-without-return", result.path,
                f"{which} of this return {'names' if len(numbers) == 1 else 'name'} {agency}, which "
                f"sent no return of its own; {'it is' if len(numbers) == 1 else 'they are'} in the "
                f"chronology under {agency}, but {agency}'s return is still missing.",
                sheet=result.sheet, row=numbers[0],
            ))


def _duplicate(copy: ReturnResult, original: ReturnResult) -> Finding:
    """duplicate-file: a warning, or an error when the copy is under another agency's name than the
    first file (the same return saved as two agencies'): the copy is not that agency's return."""
    theirs = original.agency
    if copy.agency and theirs and copy.agency != theirs:
        return finding(
            "duplicate-file", copy.path,
            f"This file has the same content as {original.path}, which is {theirs}'s return; its "
            f"entries are collated once, under {theirs}, so this file is not counted as "
            f"{copy.agency}'s return.",
            hint=f"Ask {copy.agency} for its own return, or remove the copy if {copy.agency} "
                 "had no involvement and send a nil return instead.",
            severity=Severity.ERROR,
        )
    return finding(
        "duplicate-file", copy.path,
        f"This file has the same content as {original.path}; its entries are not collated twice.",
    )


def _read_isolated(
    files: list[Path], options: ReadOptions, progress: Callable[[str], None] | None
) -> list[ReturnResult]:
    """Junk files are listed here; every other file is read in a worker process."""
    junk = {i for i, path in enumerate(files) if is_junk(path)}
    read = iter(read_in_workers([p for i, p in enumerate(files) if i not in junk], options, progress))
    results: list[ReturnResult] = []
    for index, path in enumerate(files):
        if index in junk:
            results.extend(read_return(path, options))
            if progress:
                progress(str(path))
        else:
            results.extend(_keeps_its_agency(next(read), path, options))
    return results


def _keeps_its_agency(results: list[ReturnResult], path: Path, options: ReadOptions) -> list[ReturnResult]:
    """A file whose worker died (a native crash, the OS's memory cap), timed out or hit a bug has
    a result made without reading it: it is given the agency its name gives, as a file refused
    inside the worker (a zip bomb) is, so that agency is unusable, never missing."""
    for result in results:
        if not result.source and not result.agency and not result.skipped:
            result.agency = agency_by_name(path, options)
            result.source = str(path)
    return results
