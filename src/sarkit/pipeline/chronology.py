"""Loading "an analysed chronology", the one way every command gets one.

From returns: read every return (sarkit's own outputs among them are skipped with a
`sarkit-output` finding), add the cross-file findings (duplicate files, several returns, an entry
repeated across two returns of one agency), collate and analyse. From a combined workbook: its
entries, analysed again with the same settings. Either way the result carries the closing
account, computed once, so every output shows the same numbers.

Possible identifiers (NHS numbers, phone numbers, names after a title...) are counted in the
entries' text, by agency and kind, for the closing account; with `redact` each one is replaced by
its kind in brackets ("[phone]") in the entries and the findings here, once, before any writer
sees them, so every output is redacted without the writers knowing.

Settings, one set for every command: `--gap-days`/`--window` when given, else review.toml's when
one was found, else (for a combined workbook) the ones the workbook was made with. A combined
workbook analysed with other settings than it was made with carries a `settings_note` saying so
(its gaps and overlaps are numbered differently from its Gaps and Overlaps sheets).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from sarkit.account import Account, note_rows_kept_out, review_file_shown
from sarkit.collate import PRECISION_RANK, AgencySummary, Collation, agency_order, collate, drop_repeats
from sarkit.corrections import corrections_path, load_corrections
from sarkit.entries import Entry, ReturnResult
from sarkit.errors import SarkitError, usage_error
from sarkit.findings import Finding, finding
from sarkit.formats.mark import is_sarkit_output
from sarkit.identifiers import redact as redact_text
from sarkit.intake.combined import (
    EntryColumns,
    collector_paused,
    entries_of,
    is_combined_workbook,
    load_combined_sheets,
    read_combined_columns,
    read_combined_values,
    sheet_names,
)
from sarkit.intake.limits import BrokenPackage, LimitExceeded, Limits, ZipPackage
from sarkit.intake.package import measure_package
from sarkit.output.safe_text import TextCleaner
from sarkit.pipeline.combined_edits import agencies_sheet_gone, check_edits, rows_edited
from sarkit.pipeline.workers import (
    WorkerStopped,
    beside,
    beside_pays,
    call_isolated,
    in_background,
    memory_capped,
)
from sarkit.refs import RefMap
from sarkit.returns import (
    FILE_TIMEOUT_SECONDS,
    MEMORY_LIMIT_BYTES,
    ReadOptions,
    expand_paths,
    read_returns,
    skip_reason,
    skipped_result,
)
from sarkit.review import Agency, Review
from sarkit.wording import shown_path

Progress = Callable[[str], None] | None


@dataclass(frozen=True, slots=True)
class Settings:
    """The analysis settings given on the command line (None: review.toml's or the workbook's)."""

    gap_days: int | None = None
    window_days: int | None = None


@dataclass(slots=True)
class AnalysedChronology:
    """A collated, analysed chronology and its account; `source` is 'returns' or 'combined'."""

    collation: Collation
    source: str = "returns"
    settings_note: str = ""  # a combined workbook analysed with other settings than it was made with

    @property
    def review(self) -> Review:
        return self.collation.review

    @property
    def account(self) -> Account:
        return self.collation.account

    @property
    def labels(self) -> dict[str, str]:
        return {a.name: a.label for a in self.collation.agencies}


def sarkit_outputs(files: list[Path]) -> tuple[list[Path], list[ReturnResult]]:
    """(the files to read as returns, a skipped result for each file sarkit wrote itself)."""
    keep: list[Path] = []
    skipped: list[ReturnResult] = []
    for path in files:
        if is_sarkit_output(path):
            shown = shown_path(path)
            skipped.append(ReturnResult(path=shown, skipped=True, findings=[finding(
                "sarkit-output", shown,
                "This file was written by sarkit (a combined workbook, pack, document or export), "
                "so it was not read as a return.",
            )]))
        else:
            keep.append(path)
    return keep, skipped


def read_checked(paths: list[Path], options: ReadOptions, *, progress: Progress = None,
                 files: list[Path] | None = None) -> list[ReturnResult]:
    """Every return read and checked, with every cross-file finding: what validate reports and
    what collate collates (so both report the same findings)."""
    files = expand_paths(paths) if files is None else files
    options = with_corrections(options)
    refused = {path: why for path in files if (why := skip_reason(path, paths))}
    keep, skipped = sarkit_outputs([path for path in files if path not in refused])
    skipped += [skipped_result(path, why) for path, why in refused.items()]
    results = read_returns(keep, options, progress=progress) if keep else []
    if progress:
        for result in skipped:
            progress(result.path)
    results += skipped
    drop_repeats(results)
    note_rows_kept_out(results)
    pseudonymise(results, options.review)
    return results


def pseudonymise(results: list[ReturnResult], review: Review) -> None:
    """Every string a return gave besides its cell text — agency names typed in cells, its own
    column headings, sheet names, its Details block and glossary, the findings' words — passes
    through review.toml's pseudonyms, as cell text does in every output (no real name in any)."""
    if not review.pseudonyms:
        return
    clean = TextCleaner(review.pseudonyms)

    def maybe(text: str | None) -> str | None:
        return clean(text) if text else text

    for result in results:
        result.agency, result.sheet = maybe(result.agency), maybe(result.sheet)
        result.agencies = [clean(name) for name in result.agencies]
        result.details = {key: clean(value) for key, value in result.details.items()}
        result.provenance = {key: clean(value) for key, value in result.provenance.items()}
        result.glossary = [(clean(a), clean(b)) for a, b in result.glossary]
        for entry in result.entries:
            entry.agency, entry.sheet = clean(entry.agency), clean(entry.sheet)
            if entry.extras:
                entry.extras = {clean(key): clean(value) for key, value in entry.extras.items()}
        for found in result.findings:
            found.sheet, found.column = maybe(found.sheet), maybe(found.column)
            found.message, found.hint = clean(found.message), clean(found.hint)
            found.values = {key: clean(value) for key, value in found.values.items()}
        result.unread_rows = [(clean(sheet), row) for sheet, row in result.unread_rows]
        result.unread_values = {(clean(sheet), row): {clean(k): clean(v) for k, v in values.items()}
                                for (sheet, row), values in result.unread_values.items()}


def with_corrections(options: ReadOptions) -> ReadOptions:
    """The options with corrections.toml (beside review.toml) loaded, once: a mistake in it
    stops the command here, before anything is read or written."""
    if options.corrections is not None:
        return options
    path = corrections_path(options.review.folder)
    return replace(options, corrections=load_corrections(path) if path else ())


_TEXT_FIELDS = ("source", "event", "action", "practitioner", "analysis", "agency_ref")


def identifiers_in(entries: Iterable[Entry], review: Review, *, redact: bool = False,
                   findings: Iterable[Finding] = (), names: list[str] | None = None,
                   scanned: bool = False) -> dict[str, dict[str, int]]:
    """Possible identifiers in the entries' text, agency -> kind -> count; with `redact` each
    is replaced by its kind in brackets, in the entries and in the findings' values and
    messages. Names in a return's Practitioner / Role records are the staff's, not hits.
    `names`, when given, receives every name found after a title (for --suggest-pseudonyms).
    `scanned`: the entries were scanned on intake, so only the rows with a possible-identifier
    finding (and entries joined from continuation rows) can hold one: only those are read again.
    """
    base = review.identifier_scanner()
    findings = list(findings)
    flagged = {(f.file, f.sheet, f.row) for f in findings if f.code == "possible-identifier"}
    by_file: dict[str, list[Entry]] = {}
    practitioners: dict[str, set[str]] = {}
    for entry in entries:
        practitioners.setdefault(entry.file, set()).add(entry.practitioner)
        if (not scanned or (entry.file, entry.sheet, entry.row) in flagged
                or "\n" in entry.event or "\n" in entry.action or "\n" in entry.analysis):
            by_file.setdefault(entry.file, []).append(entry)
    counts: dict[str, dict[str, int]] = {}
    for group in by_file.values():
        scanner = base.with_names(practitioners[group[0].file])
        for entry in group:
            tally = counts.setdefault(entry.agency, {})
            for name in _TEXT_FIELDS:
                text = getattr(entry, name)
                hits = [h for h in scanner.scan(text) if name != "practitioner" or h.kind != "name"]
                for hit in hits:
                    tally[hit.kind] = tally.get(hit.kind, 0) + 1
                    if names is not None and hit.kind == "name":
                        names.append(hit.value)
                if redact and hits:
                    setattr(entry, name, redact_text(text, hits))
            for key, text in entry.extras.items():
                hits = scanner.scan(text)
                for hit in hits:
                    tally[hit.kind] = tally.get(hit.kind, 0) + 1
                if redact and hits:
                    entry.extras[key] = redact_text(text, hits)
            if not tally:
                del counts[entry.agency]
    if redact:
        for f in findings:
            f.message = redact_text(f.message, base.scan(f.message))
            f.values = {k: redact_text(v, base.scan(v)) for k, v in f.values.items()}
    return counts


def _identifiers_beside_cells(results: Iterable[ReturnResult], review: Review,
                              counts: dict[str, dict[str, int]], *, redact: bool) -> None:
    """A return's glossary scanned as cell text is: counted in `counts` (agency -> kind -> count)
    and, with `redact`, replaced. (Its Details block goes into no output, so it is not scanned.)"""
    scanner = review.identifier_scanner()
    for result in results:
        if not result.glossary:
            continue
        found: list[str] = []
        glossary: list[tuple[str, str]] = []
        for abbreviation, meaning in result.glossary:
            first, second = scanner.scan(abbreviation), scanner.scan(meaning)
            found += [hit.kind for hit in (*first, *second)]
            glossary.append((redact_text(abbreviation, first), redact_text(meaning, second)))
        if redact:
            result.glossary = glossary
        tally = counts.setdefault(result.agency or "Unknown agency", {}) if found else {}
        for kind in found:
            tally[kind] = tally.get(kind, 0) + 1


def _identifiers(chronology: AnalysedChronology, redact: bool) -> AnalysedChronology:
    """Count (and with `redact` replace) the possible identifiers; the account says which."""
    collation = chronology.collation
    if chronology.source == "combined" and not redact:
        return chronology  # the workbook's About sheet says what remains; no need to read again
    counts = identifiers_in(collation.entries, collation.review, redact=redact,
                            findings=collation.findings, scanned=chronology.source == "returns")
    _identifiers_beside_cells(collation.results, collation.review, counts, redact=redact)
    if redact:  # the cells of rows not read, shown as Original Values as a rejected row's are
        scanner = collation.review.identifier_scanner()
        for result in collation.results:
            result.unread_values = {place: {k: redact_text(v, scanner.scan(v)) for k, v in values.items()}
                                    for place, values in result.unread_values.items()}
    collation.account.redacted = redact
    collation.account.identifiers = counts
    return chronology


def from_returns(paths: list[Path], options: ReadOptions, settings: Settings = Settings(), *,
                 progress: Progress = None, files: list[Path] | None = None,
                 refs: RefMap | None = None, redact: bool = False) -> AnalysedChronology:
    """Read, check, collate and analyse returns (`refs`: the previous run's ref map)."""
    results = read_checked(paths, options, progress=progress, files=files)
    collation = collate(results, options.review, gap_days=settings.gap_days,
                        window_days=settings.window_days, refs=refs, repeats_dropped=True)
    return _identifiers(AnalysedChronology(collation=collation, source="returns"), redact)


_COMBINED_HINT = "Give the combined workbook written by sarkit collate, or the returns themselves."
_OTHER_FORMATS = {"ods": "a LibreOffice spreadsheet (.ods)", "xls": "an Excel 97-2003 workbook (.xls)",
                  "xlsb": "an Excel binary workbook (.xlsb)", "xlsm": "a macro-enabled workbook (.xlsm)"}
_SPREADSHEETS = {"xlsx", "ole-encrypted", *_OTHER_FORMATS}


def read_combined_within_limits(path: Path, password: str | None = None, overlapped: bool = False
                                ) -> tuple[EntryColumns, dict]:
    """A combined workbook read as returns are: its package measured under the safety limits
    before the native reader's result is used (run in a worker process by `read_combined`). The
    entries come as columns, quick to send back from the worker; `entries_of` makes them
    entries. A workbook saved with a password is decrypted in memory with `password`; one saved
    again in another format (.ods, .xls) is refused: its dates' formats, which say each date's
    precision, are not read from those formats, so its entries could come back wrong.

    `overlapped`, where the OS caps the worker's memory (`memory_capped`: Linux, macOS), lets
    the native reader start in a thread while the limits are measured, nearly halving the time
    for a large workbook; a reader that outgrows the cap kills the worker, and `read_combined`
    then reads the workbook again with the limits measured first, which say why."""
    from sarkit.intake import crypto
    from sarkit.intake.sniff import sniff_bytes

    limits = Limits()
    loaded = None
    try:
        if path.stat().st_size > limits.max_file_size:
            raise LimitExceeded("it is larger than the limit for one file", "max_file_size")
        data = path.read_bytes()
        fmt = sniff_bytes(data)
        decrypted = fmt == "ole-encrypted"
        if decrypted:
            data = crypto.decrypt_office(data, password, limits)
            fmt = sniff_bytes(data)
        if fmt in _OTHER_FORMATS:
            raise saved_in_other_format(path, fmt)
        if overlapped and fmt == "xlsx" and memory_capped():
            loaded = in_background(load_combined_sheets, data if decrypted else path,
                                   "the workbook" if decrypted else str(path))
        measure_package(ZipPackage(data, limits), "xlsx", limits)
    except LimitExceeded as exc:
        raise SarkitError(f"The workbook {path} was refused: {exc.reason} (limit {exc.limit}).",
                          hint=_COMBINED_HINT) from None
    except crypto.PasswordNeeded:
        raise usage_error(f"The combined workbook {path} is protected by a password, and no "
                          "password was given.", hint="Give the password with --password, "
                          "SARKIT_PASSWORD or --passwords FILE.") from None
    except crypto.WrongPassword:
        raise usage_error(f"The combined workbook {path} is protected by a password, and the "
                          "password given did not open it.", hint="Check the password.") from None
    except crypto.UnsupportedEncryption:
        raise SarkitError(f"The combined workbook {path} is protected by a password with a kind "
                          "of encryption sarkit cannot open.",
                          hint="Save it without a password, as .xlsx.") from None
    except (BrokenPackage, OSError, ValueError):
        raise SarkitError(f"The workbook {path} cannot be read: it may be damaged or incomplete.",
                          hint=_COMBINED_HINT) from None
    return (read_combined_columns(data, str(path), loaded=loaded) if decrypted
            else read_combined_columns(path, loaded=loaded))


def saved_in_other_format(path: Path, fmt: str) -> SarkitError:
    """The refusal of a combined workbook saved again as .ods, .xls, .xlsb or .xlsm."""
    return usage_error(
        f"{path} is a combined workbook made by sarkit collate, saved again as "
        f"{_OTHER_FORMATS[fmt]}: sarkit reads a combined workbook only as .xlsx (the "
        "formats that say each date's precision are not read from other formats), so "
        "it was not read, neither as the combined workbook nor as a return.",
        hint="Open it and save it as .xlsx (Excel Workbook), then give that file.")


def probe_combined(path: Path, passwords: dict[str, str] | None = None) -> bool:
    """Whether a workbook in another format than a plain .xlsx (.ods, .xls, one saved with a
    password) is a combined workbook made by sarkit collate: read as returns are (under the
    limits, decrypted), run in a worker process by `is_combined`."""
    from sarkit.intake import read_workbooks
    from sarkit.intake.combined import looks_combined_book

    return any(looks_combined_book(book) for book in read_workbooks(path, passwords=passwords))


def is_combined(path: Path, passwords: dict[str, str] | None = None) -> bool:
    """Whether a file given on its own is a combined workbook made by sarkit collate, in any
    spreadsheet format, so that it is read as one (or refused plainly), never as a return: an
    .xlsx with Chronology and About sheets, or with sarkit's mark and what is left of its sheets
    (a sheet renamed or deleted: `from_combined` says which; an annotated return is not one); a
    workbook in another format or with a password is read in a worker to see its sheets, and one
    saved again as .ods, .xls, .xlsb or .xlsm is refused there (a usage error), not read again."""
    from sarkit.intake.sniff import sniff_format

    path = Path(path)
    if not path.is_file():
        return False
    if is_combined_workbook(path):
        return True
    try:
        fmt = sniff_format(path)
    except OSError:
        return False
    if fmt not in _SPREADSHEETS:
        return False
    if fmt == "xlsx":  # sarkit's mark, and what is left of the combined workbook's sheets
        names = sheet_names(path)
        return is_sarkit_output(path) and ("About" in names or (
            "Chronology" in names and bool(names & {"Agencies", "Gaps", "Overlaps"})))
    combined = bool(call_isolated(probe_combined, path, passwords, what=f"The workbook {path}",
                                  memory_limit=MEMORY_LIMIT_BYTES, timeout=FILE_TIMEOUT_SECONDS))
    if combined and fmt in _OTHER_FORMATS:  # refused now: reading it again would only refuse it
        raise saved_in_other_format(path, fmt)
    return combined


def from_combined(path: Path, review: Review, settings: Settings = Settings(), *,
                  redact: bool = False, passwords: dict[str, str] | None = None) -> AnalysedChronology:
    """A combined workbook's entries analysed again; without a review.toml its About and
    Agencies sheets supply the review's reference, subject, marking, period and agencies."""
    with collector_paused():  # 100,000 entries and their analysis: no garbage cycles to look for
        return _from_combined(path, review, settings, redact=redact, passwords=passwords)


def _from_combined(path: Path, review: Review, settings: Settings, *, redact: bool,
                   passwords: dict[str, str] | None) -> AnalysedChronology:
    path = Path(path)
    if not path.is_file():
        raise usage_error(f"There is no file {path}.", hint="Check the path of the combined workbook.")
    entries, about = read_combined(path, passwords)
    listed = [a for a in about.get("agencies", []) if a.get("name")]
    if review.path is None:
        review = replace(
            review, reference=about.get("reference") or review.reference,
            subject=about.get("subject") or review.subject,
            marking=about.get("marking") or review.marking,
            period_start=about.get("period_start"), period_end=about.get("period_end"),
            gap_days=about.get("gap_days") or review.gap_days,
            overlap_window_days=about.get("window_days") or 0,
            agencies=[Agency(a["name"], a.get("short") or "") for a in listed],
        )
    gap_days = review.gap_days if settings.gap_days is None else settings.gap_days
    window_days = review.overlap_window_days if settings.window_days is None else settings.window_days
    note = settings_note(about, review, settings, max(1, gap_days), max(0, window_days))
    shown, rows_found = str(path), len(entries)
    edits = check_edits(entries, review, [a["name"] for a in listed], about.get("letters", {}), shown,
                        {a["name"]: a.get("short") or "" for a in listed})
    entries = in_chronology_order(edits.entries, review)
    findings = edits.findings
    account = _combined_account(about, review, len(entries))
    made = about.get("account")
    edited = rows_edited(account, Account.from_json(made).entries if isinstance(made, dict) else None,
                         rows_found, shown)
    if not isinstance(made, dict):
        account.rows = rows_found
    findings += [edited] if edited else []
    account.workbook = shown
    account.repeats += edits.repeats
    account.rejected += edits.rejected
    account.rejected_rows += len(edits.rejected)
    sheet_gone = not about.get("agencies_sheet")
    if sheet_gone:
        findings.append(agencies_sheet_gone(shown))
    # an agency with entries, or listed as neither missing nor unusable, has a usable return: an
    # unusable file beside it is not an agency without a return (the Agencies sheet's meaning)
    account.usable_agencies = {e.agency for e in entries} | {
        a["name"] for a in listed if not a.get("missing") and not a.get("unusable")}
    unusable = account.unusable_agencies()
    returned = sorted(set(about.get("returned", [])) | set(unusable)
                      | {a["name"] for a in listed if not a.get("missing")}
                      | ({a.name for a in review.agencies if a.name not in account.missing}
                         if sheet_gone else set()))
    from sarkit.analysis import analyse  # numpy: imported only to analyse

    analysis = analyse(entries, agencies=review.agencies, returned=returned,
                       period=(review.period_start, review.period_end), gap_days=gap_days,
                       window_days=window_days, unusable=unusable)
    # an agency listed in review.toml since the workbook was made is missing: the account agrees
    account.missing += [name for name in analysis.missing_returns if name not in account.missing]
    counted = Counter(e.agency for e in entries)
    names = set(counted) | {a["name"] for a in listed}
    summaries = []
    for name in agency_order(review, names):
        row = next((a for a in listed if a["name"] == name), {})
        summaries.append(AgencySummary(
            name=name, label=row.get("short") or review.label(name),
            returns=row.get("returns", 0), entries=counted[name],
            nil=row.get("nil", False), missing=name in analysis.missing_returns,
            unusable=name in unusable,
        ))
    glossaries = [ReturnResult(path=str(path), agency=name, glossary=pairs)  # for new-imr
                  for name, pairs in about.get("glossary", {}).items()]
    collation = Collation(review=review, entries=entries, results=glossaries, findings=findings,
                          agencies=summaries, analysis=analysis, account=account,
                          gap_days=max(1, gap_days), window_days=max(0, window_days))
    return _identifiers(AnalysedChronology(collation=collation, source="combined",
                                           settings_note=note), redact)


def in_chronology_order(entries: list[Entry], review: Review) -> list[Entry]:
    """A combined workbook's entries in the chronology's order, whatever the sheet's order (an
    analyst may sort it by agency): date, coarser precision first, untimed before timed, time,
    review.toml's agency order, then the return and row each came from, then the Ref."""
    rank = {a.name: i for i, a in enumerate(review.agencies)}
    unlisted, midnight = len(rank), dt.time()
    # a date's part of the key worked out once per date object (the reader shares one object
    # between the cells of a day): 100,000 entries are put in order in half the time
    days: dict[int, tuple[dt.date, int]] = {}
    for entry in entries:
        date = entry.date
        if id(date) not in days:
            days[id(date)] = (date.start, PRECISION_RANK[date.precision])
    keys = [(days[id(e.date)], e.time is not None, e.time or midnight, rank.get(e.agency, unlisted),
             e.agency, e.file, e.sheet, e.row, e.ref, e.order) for e in entries]
    return [entries[i] for i in sorted(range(len(entries)), key=keys.__getitem__)]


def settings_note(about: dict, review: Review, settings: Settings, gap_days: int,
                  window_days: int) -> str:
    """When a combined workbook is analysed with other settings than it was made with (the rule:
    the command line's, else review.toml's, else the workbook's), the sentence that says so;
    '' when they are the same or the workbook does not say which it used."""
    made_gap, made_window = about.get("gap_days"), about.get("window_days")
    gap_differs = made_gap is not None and made_gap != gap_days
    window_differs = made_window is not None and made_window != window_days
    if not (gap_differs or window_differs):
        return ""
    toml = "review.toml's" if review.path is not None else "the workbook's"
    gap_from = "the command line's" if settings.gap_days is not None else toml
    window_from = "the command line's" if settings.window_days is not None else toml
    if gap_from == window_from:
        uses = f"{gap_from} {gap_days} and {window_days}"
    else:
        uses = f"gap days {gap_days} ({gap_from}) and an overlap window of {window_days} ({window_from})"
    which = " and ".join(w for w, differs in (("gaps", gap_differs), ("overlaps", window_differs))
                         if differs)
    sheets = " and ".join(w for w, differs in (("Gaps", gap_differs), ("Overlaps", window_differs))
                          if differs)
    made = (f"gap days {made_gap if made_gap is not None else 'not recorded'} and an overlap "
            f"window of {made_window if made_window is not None else 'not recorded'}")
    return (f"The combined workbook was made with {made}; this analysis uses {uses}, so its "
            f"{which} can differ from, and be numbered differently from, the workbook's {sheets} "
            f"{'sheet' if ' and ' not in sheets else 'sheets'}. To match the workbook, give "
            f"--gap-days {made_gap if made_gap is not None else gap_days} --window "
            f"{made_window if made_window is not None else window_days}.")


def _combined_account(about: dict, review: Review, entries: int) -> Account:
    """The account the workbook was made with (its About sheet), else what its sheets say."""
    data = about.get("account")
    if isinstance(data, dict):
        account = Account.from_json(data)
    else:
        account = Account(entries=entries, rows=entries)
        account.missing = [a["name"] for a in about.get("agencies", []) if a.get("missing")]
    account.review_file = review_file_shown(review)
    account.entries = entries
    return account


def load(paths: list[Path], options: ReadOptions, settings: Settings = Settings(), *,
         progress: Progress = None, files: list[Path] | None = None,
         redact: bool = False, combined: bool | None = None) -> AnalysedChronology:
    """A combined workbook given on its own, or returns: the analysed chronology either way;
    with `redact`, every possible identifier replaced by its kind in brackets. `combined`: whether
    the one path given is a combined workbook, when the caller has found out (`is_combined`)."""
    if combined is None:
        combined = len(paths) == 1 and is_combined(Path(paths[0]), options.passwords)
    if combined:
        return from_combined(Path(paths[0]), options.review, settings, redact=redact,
                             passwords=options.passwords)
    together = [p for p in paths if Path(p).is_file() and is_combined_workbook(Path(p))]
    if together and len(paths) > 1:
        raise usage_error(f"{together[0]} is a combined workbook; give it on its own, or give the "
                          "returns instead.")
    return from_returns(paths, options, settings, progress=progress, files=files,
                        refs=collated_refs(options.review), redact=redact)


def collated_refs(review: Review) -> RefMap | None:
    """The refs `sarkit collate` gave, from the map in out/ next to review.toml (read only), so
    gaps, new-imr and the API cite the entries by the refs of the combined workbook."""
    from sarkit.pipeline.refs import REFS_FILE, load_ref_map

    folder = (review.folder / "out") if review.folder is not None else Path("out")
    if not (folder / REFS_FILE).is_file():
        return None
    return load_ref_map(folder / "combined.xlsx", review.reference)


def read_combined(path: Path, passwords: dict[str, str] | None = None) -> tuple[list[Entry], dict]:
    """A combined workbook's entries and what it says about itself, read in an isolated worker
    under the intake limits (a look-alike workbook is hostile input, whoever asks for it); one
    saved with a password is opened with its password from `passwords` (as a return's is)."""
    from sarkit.intake import password_for

    password = password_for(Path(path).name, passwords, str(path))

    def read(overlapped: bool) -> tuple[EntryColumns, dict]:
        return call_isolated(read_combined_within_limits, Path(path), password, overlapped,
                             what=f"The workbook {path}", memory_limit=MEMORY_LIMIT_BYTES,
                             timeout=FILE_TIMEOUT_SECONDS)

    fast = _from_values_part(Path(path))
    if fast is not None:  # the cells sarkit collate kept, as written: no sheet to parse
        return entries_of(fast[0]), fast[1]
    try:
        columns, about = read(overlapped=True)
    except WorkerStopped:  # again with the limits measured first: they say why, if they can
        columns, about = read(overlapped=False)
    return entries_of(columns), about


def _from_values_part(path: Path) -> tuple[EntryColumns, dict] | None:
    """A combined workbook's entries and settings from its values part, when it has one that
    matches the workbook as collate wrote it (see formats/values_part.py); else None."""
    limits = Limits()
    try:
        if path.stat().st_size > limits.max_file_size:
            return None
    except OSError:
        return None
    return read_combined_values(path, limits.max_member_size)


def without_entries(collation: Collation) -> dict[str, str]:
    """Each agency with no entries and why: 'nil' return, 'missing', 'unusable' or 'no-entries'
    (its returns gave none), so a referral to it opens a trail that says why nothing answers."""
    return {a.name: "missing" if a.missing else "unusable" if a.unusable
            else "nil" if a.nil else "no-entries"
            for a in collation.agencies if a.entries == 0}


def add_trails_and_patterns(chronology: AnalysedChronology, schema_path: Path | None = None) -> None:
    """The referral trails and patterns added to the chronology's analysis, with the vocabulary
    of the schema (`--schema`, else sarkit's) and review.toml: what gaps, new-imr and the API
    all show."""
    from sarkit.analysis import trails_and_patterns  # numpy: imported only to analyse
    from sarkit.vocabulary import vocabulary_for

    collation, review = chronology.collation, chronology.review
    trails_and_patterns(collation.entries, agencies=review.agencies,
                        vocabulary=vocabulary_for(review, schema_path),
                        referral_window_days=review.referral_window_days,
                        analysis=collation.analysis, without_entries=without_entries(collation),
                        beside=beside if beside_pays(len(collation.entries)) else None)
