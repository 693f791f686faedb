"""Reading returns end to end: file -> raw tables -> validated entries and findings.

Files are read in worker processes (`sarkit.pipeline.workers`): both cores are used, and a native
crash or a memory blow-up inside a reader library costs that one file, not the run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sarkit.chronology import Context, validate_return
from sarkit.entries import ReturnResult
from sarkit.errors import usage_error
from sarkit.findings import finding
from sarkit.intake import Limits, RawWorkbook, is_junk, read_workbooks
from sarkit.pipeline.workers import read_in_workers
from sarkit.review import Review
from sarkit.schema import Schema, load_schema

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


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders searched recursively (sorted); a missing path stops the command."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            raise usage_error(f"There is no file or folder {path}.",
                              hint="Check the spelling of the path.")
    return files


def read_return(path: Path, options: ReadOptions) -> list[ReturnResult]:
    """Read, find the chronology, validate; a bad file gives findings, never an exception.

    One result per return the file holds: one for a workbook, CSV or Word file, one per
    attachment of an email.
    """
    path = Path(path)
    shown = str(path)
    if is_junk(path):
        return [ReturnResult(path=shown, skipped=True, findings=[finding(
            "skipped-file", shown,
            "The file was skipped: it is a lock file or system file, not a return.",
        )])]
    books = read_workbooks(path, passwords=options.passwords, limits=options.limits)
    return [validate_workbook(book, options) for book in books]


def validate_workbook(workbook: RawWorkbook, options: ReadOptions) -> ReturnResult:
    """Validate a workbook already read (a file, an email attachment, a Word table)."""
    result = ReturnResult(path=workbook.path, sha256=workbook.sha256,
                          findings=list(workbook.findings), provenance=dict(workbook.provenance))
    for sheet in workbook.sheets:
        if not sheet.visible:
            result.findings.append(finding(
                "hidden-sheet", workbook.path,
                f"The sheet {sheet.name} is hidden; it was not read.", sheet=sheet.name,
            ))
    fixed, fallback = _file_agency(workbook, options)
    if not workbook.sheets:
        result.agency = fallback
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
    unused = {(chronology.sheet, row) for row in chronology.filler_rows}
    result.findings = [f for f in result.findings  # a formula in an unused template row is moot
                       if f.code != "formula-cell" or (f.sheet, f.row) not in unused]
    result.findings.extend(chronology.findings)
    result.sheet = chronology.sheet
    result.header_row = chronology.header_row
    result.entries = chronology.entries
    result.rejected_rows = chronology.rejected_rows
    result.data_rows = chronology.data_rows
    result.nil = chronology.nil
    result.agencies = chronology.agencies
    result.agency = fixed or fallback or (chronology.agencies[0] if chronology.agencies else None)
    result.glossary = _glossary(workbook)
    return result


def _file_agency(workbook: RawWorkbook, options: ReadOptions) -> tuple[str | None, str | None]:
    """(agency from the Details sheet, agency from review.toml files glob or --agency)."""
    review = options.review
    named = workbook.details.get("agency") or workbook.details.get("organisation")
    fixed = None
    if named:
        known = review.find_agency(named)
        fixed = known.name if known else named
    fallback = None
    by_glob = review.agency_for_file(Path(workbook.path).name)
    if by_glob is not None:
        fallback = by_glob.name
    elif options.agency:
        known = review.find_agency(options.agency)
        fallback = known.name if known else options.agency
    return fixed, fallback


def _glossary(workbook: RawWorkbook) -> list[tuple[str, str]]:
    for sheet in workbook.sheets:
        if sheet.visible and sheet.name.strip().lower() == "glossary":
            pairs = []
            for cells in sheet.rows[1:]:
                if len(cells) >= 2 and str(cells[0] or "").strip() and str(cells[1] or "").strip():
                    pairs.append((str(cells[0]).strip(), str(cells[1]).strip()))
            return pairs
    return []


def read_returns(
    paths: list[Path], options: ReadOptions, *, progress: Callable[[str], None] | None = None
) -> list[ReturnResult]:
    """Expand folders, read every return in a worker process, flag cross-file problems."""
    files = expand_paths(paths)
    results = _read_isolated(files, options, progress)
    add_cross_file_findings(results)
    return results


def add_cross_file_findings(results: list[ReturnResult]) -> None:
    """duplicate-file (same bytes twice) and several-returns (two files for one agency)."""
    first_by_hash: dict[str, ReturnResult] = {}
    for result in results:
        if result.skipped or not result.sha256:
            continue
        original = first_by_hash.setdefault(result.sha256, result)
        if original is not result:
            result.findings.append(finding(
                "duplicate-file", result.path,
                f"This file has the same content as {original.path}; its entries are not "
                "collated twice.",
            ))
            result.entries = []
    by_agency: dict[str, list[ReturnResult]] = defaultdict(list)
    for result in results:
        if result.agency and not result.skipped and (result.entries or result.nil):
            by_agency[result.agency].append(result)
    for agency, group in by_agency.items():
        if len(group) < 2:
            continue
        names = ", ".join(r.path for r in group)
        for result in group:
            result.findings.append(finding(
                "several-returns", result.path,
                f"{agency} has {len(group)} returns: {names}. Entries identical in both are "
                "collated once.",
            ))


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
            results.extend(next(read))
    return results
