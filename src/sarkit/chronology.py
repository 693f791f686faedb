"""Raw table + schema -> entries and findings: the validation rules of a single-agency return."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sarkit.dated_lines import dated_lines, starts_with_date, starts_with_day_month
from sarkit.dates import (
    SERIAL_MAX,
    DateError,
    PartialDate,
    Precision,
    TimeError,
    date_then_words,
    day_part_words,
    decimal_time,
    parse_date,
    parse_date_range,
    parse_time,
    parse_time_range,
    read_date_words,
    reads_month_first_too,
    time_cell_date,
    two_digit_year_month,
    typed_serial,
    written_midnight,
    zone_moved,
)
from sarkit.entries import Entry, repeat_key
from sarkit.findings import CATALOGUE, Finding, Severity, cell_name, column_letter, finding
from sarkit.formats.combined_layout import ADDED_COLUMNS, CHRONOLOGY_COLUMNS, OLD_COLUMNS
from sarkit.identifiers import IdentifierLog, Scanner
from sarkit.identifiers import redact as redact_text
from sarkit.lazy_re import lazy_compile
from sarkit.markup import html_text, is_rtf
from sarkit.merged_cells import fill_merged
from sarkit.other_headings import heading_words, other_headings
from sarkit.raw_tables import RawSheet, RawWorkbook
from sarkit.review import Agency, Review
from sarkit.row_shapes import (
    ABOUT_THE_DOCUMENT,
    END_MARKER,
    NOTE_ABOUT_THE_DOCUMENT,
    REPEATED_HEADER,
    SIGN_OFF,
    RowShape,
    Shape,
    classify_rows,
    find_dividers,
    is_placeholder,
    markup_only,
    note_days,
    says_nothing,
)
from sarkit.row_words import is_ditto, is_ditto_mark, late_entry, refers_above, withdrawn
from sarkit.schema import (
    FALLBACK,
    HEADER_SEARCH_ROWS,
    NAMED,
    Field,
    HeaderMatch,
    Schema,
    find_header_row,
    heading_like,
    holds_data,
    match_header_row,
    name_unheaded,
    normalise_header,
)
from sarkit.sheet_periods import periods_apart
from sarkit.sign_off import SIGN_OFF_ROWS, sign_off_start
from sarkit.struck_rows import struck_cells, struck_message, struck_out, withdrawn_message
from sarkit.wording import CALCULATE_HINT, and_list, rows_listed

# characters XML 1.0 (and so every workbook) cannot hold; replaced and reported on intake
ILLEGAL_CHARACTERS = lazy_compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CELL_TEXT_LIMIT = 32_767  # what a workbook cell holds (UTF-16 units, as Excel counts them)
WORKBOOK_KEEPS = CELL_TEXT_LIMIT - 100  # what the combined workbook keeps of a longer cell: room for
# the cut mark (entries keep the whole text; the JSON and CSV exports and Word hold it)
TEXT_KEEP_LIMIT = 1_000_000  # a cell longer than this (a hostile file) is cut on intake, marked
# ticked and empty checkboxes: Word's checkbox content control shows ☒ (U+2612) or ☐ (U+2610);
# ☑ and ✅ are typed; the Word reader shows Wingdings' empty box as ◻
TICKED = {"☒", "☑", "✅"}
UNTICKED = {"☐", "◻"}
# Welsh: ie, oes, ydy (yes); na, nac oes, naddo (no)
YES = {"y", "yes", "true", "1", "x", "key", "✓", "✔", "ie", "oes", "ydy", *TICKED}
NO = {"n", "no", "false", "0", "", "na", "nac oes", "nac ydy", "naddo", *UNTICKED}
CROSSES = {"✗", "✘"}  # a cross is 'no' to some and 'ticked' to others: never guessed
KEY_EVENT_TEXT = "Key Event (as written)"  # the extra column keeping a Key Event cell in words
TIME_TEXT = {"time": "Time (as written)", "end_time": "End Time (as written)"}  # unreadable times
_FIRST_WORD = lazy_compile(r"[^\W_]+|[✓✔☒☑✅☐◻]")
_BOXES = TICKED | UNTICKED
_UNSURE = lazy_compile(r"\s*\?[?\s]*")


@dataclass(slots=True)
class Context:
    """What validation needs to know besides the table."""

    file: str
    review: Review = field(default_factory=Review)
    mapping: dict[str, str] = field(default_factory=dict)
    fixed_agency: str | None = None  # from the Details sheet: wins over an Agency column
    file_agency: str | None = None  # from review.toml files glob or --agency: rows without one
    date1904: bool = False
    word: bool = False  # a Word table: findings name the row and column, not an A1 cell
    today: dt.date = field(default_factory=dt.date.today)
    show_values: bool = False
    identifiers: Scanner | None = None  # None: no scan for possible identifiers


@dataclass(slots=True)
class ChronologyResult:
    """The entries and findings of one return."""

    sheet: str | None = None
    header_row: int | None = None
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rejected_rows: int = 0
    data_rows: int = 0
    agencies: list[str] = field(default_factory=list)
    filler_rows: list[int] = field(default_factory=list)  # unused template rows (not data rows)
    unsaved_rows: list[int] = field(default_factory=list)  # rows of formulas never calculated
    total_rows: list[int] = field(default_factory=list)  # chronology sheet's totals and text under it
    unread_rows: list[tuple[str, int]] = field(default_factory=list)  # (sheet, row) of other tables
    # (sheet, row) -> the unread row's cells by heading ('Column C' where none), as a rejected
    # row's Original Values: what was not read is still in the combined workbook
    unread_values: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)

    @property
    def nil(self) -> bool:
        return self.header_row is not None and self.data_rows == 0


def chronology_sheets(
    workbook: RawWorkbook, schema: Schema, mapping: dict[str, str]
) -> list[tuple[RawSheet, HeaderMatch]]:
    """Every visible sheet with a chronology header row, the best match first (the first sheet
    on a tie): that one is read."""
    found = []
    for sheet in workbook.sheets:
        if not sheet.visible:
            continue
        match = find_header_row(sheet.rows, schema, mapping, _header_merges(sheet))
        if match is not None:
            found.append((sheet, match))
    return sorted(found, key=lambda pair: -pair[1].score)


def _mapping(ctx: Context, schema: Schema) -> dict[str, str]:
    """Headings mapped by hand: review.toml's [map], then the map of the file's agency (from
    the Details sheet, the files glob or --agency), then --map; the later wins."""
    where = str(ctx.review.path or "review.toml")
    mapping = schema.check_mapping(ctx.review.mapping, f"{where} [map]")
    agency = ctx.review.find_agency(ctx.fixed_agency or ctx.file_agency or "")
    if agency is not None:
        mapping.update(schema.check_mapping(agency.mapping, f"{where} (agency {agency.name}) map"))
    return {**mapping, **ctx.mapping}


def _header_merges(sheet: RawSheet) -> list[tuple[int, int, int, int]] | None:
    """The sheet's merged ranges near the top as row/column indexes, or None when the reader
    gives no merge information (CSV): then group titles stretch as their sub-headings imply."""
    if not sheet.merged:
        return None
    return [
        (r1 - sheet.first_row, c1 - sheet.first_col, r2 - sheet.first_row, c2 - sheet.first_col)
        for r1, c1, r2, c2 in sheet.merged
        if 0 <= r1 - sheet.first_row < HEADER_SEARCH_ROWS
    ]


def _heading_rows(sheet: RawSheet, limit: int = 3) -> list[tuple[int, list[str]]]:
    """(row, headings) of the rows near the top that look like headings, at most `limit`.

    A row of headings has three or more short text cells and no 'Label:' cell; a row holding
    a date or a number is never one, and the search stops at the first such row of three or
    more cells after headings were seen (the data has begun), so no data cell is listed.
    """
    found: list[tuple[int, list[str]]] = []
    for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        texts = [cell_text(v) for v in cells if cell_text(v)]
        if any(_data_like(v) for v in cells):
            if found and len(texts) >= 3:
                break
            continue
        if len(texts) >= 3 and all(
            len(t) <= 40 and not t.endswith(":") and re.search(r"[^\W\d_]", t) for t in texts
        ):
            found.append((sheet.cell_ref(index, 0)[0], texts))
    widest = sorted(found, key=lambda pair: -len(pair[1]))[:limit]
    return sorted(widest)


def _data_like(value: object) -> bool:
    if value is None or isinstance(value, str) and not value.strip():
        return False
    if not isinstance(value, str):
        return True
    try:
        parse_date(value)
    except DateError:
        return False
    return True


def _list_headings(rows: list[tuple[int, list[str]]], ctx: Context) -> str:
    return "; ".join(f"row {row}: {_headings_shown(texts, ctx)}" for row, texts in rows)


def _headings_shown(texts: Iterable[str], ctx: Context) -> str:
    """Headings for a message: a possible identifier in one (a name after a title, an NHS or
    phone number) is shown as its kind ('[name]') unless --show-values was given."""
    if ctx.show_values:
        return ", ".join(texts)
    scanner = ctx.identifiers or Scanner()
    return ", ".join(redact_text(t, scanner.scan(t)) for t in texts)


def validate_return(workbook: RawWorkbook, schema: Schema, ctx: Context) -> ChronologyResult:
    """Find the chronology table in a workbook and validate every row of it."""
    result = ChronologyResult()
    ctx.mapping = _mapping(ctx, schema)
    candidates = chronology_sheets(workbook, schema, ctx.mapping)
    chosen = candidates[0] if candidates else None
    if chosen is None:
        visible = [s for s in workbook.sheets if s.visible]
        names = ", ".join(s.name for s in visible) or "none"
        seen = [f"sheet {s.name} {_list_headings(rows, ctx)}" for s in visible
                if (rows := _heading_rows(s))]
        found = (f" The rows that look like headings are: {' | '.join(seen)}." if seen
                 else " No row looks like a row of headings.")
        result.findings.append(finding(
            "no-chronology-sheet", ctx.file,
            f"No sheet has a chronology header row in its first 30 rows (visible sheets: {names})."
            + found + _nearest_table(visible, schema, ctx, result),
        ))
        return result
    sheet, header = chosen
    header.set_apart(_unfitting(sheet, header, schema, ctx))
    _yes_no_events(sheet, header, schema, ctx)
    continued = _continued_tables(workbook, sheet, header, schema, ctx) if ctx.word else []
    split = None if ctx.word else _second_table(sheet, header, schema, ctx)
    if split is not None:
        (sheet, tail), match = split
        if match is None:  # headings that are not the chronology's: its rows are not read
            _other_table(tail, ctx, result)
            split = None
        else:  # the rows under another row of headings are read with those headings
            continued = [(tail, match)]
    continued = [*continued, *_headerless_tables(workbook, sheet, header, candidates, continued, ctx,
                                                 result)]
    if split is None and not ctx.word:
        order = [s.name for s in workbook.sheets]
        continued = sorted([*continued, *_same_headed_sheets(sheet, header, candidates, order, ctx)],
                           key=lambda pair: order.index(pair[0].name))
    required = {f.key for f in schema.fields if f.required}
    if required <= set(header.columns.values()):  # else no row is read: nothing to keep
        _name_unheaded(sheet, header, ctx)
    for table, match in continued:
        if match.row_index >= 0:
            _name_unheaded(table, match, ctx)
        else:  # read with the chronology's headings: its blank-headed columns too
            match.unheaded, match.row_numbers = dict(header.unheaded), list(header.row_numbers)
            match.extras, match.headers = dict(header.extras), dict(header.headers)
    carried_on = {id(table) for table, _ in continued}
    for other, match in candidates[1:]:
        if id(other) in carried_on:
            continue
        unread = [other.cell_ref(index, 0)[0] for index in range(match.row_index + 1, len(other.rows))
                  if not _blank_row(other.rows[index])]
        rows = len(unread)
        if rows and required <= set(match.columns.values()):
            row, _ = other.cell_ref(match.row_index, 0)
            # counted as rejected: the account must not say every row is in the chronology
            result.unread_rows.extend((other.name, number) for number in unread)
            _keep_unread(result, other, match.row_index + 1, match.headers, ctx.word)
            named = _another_agency(other, sheet, ctx)
            result.findings.append(finding(
                "other-chronology-sheet", ctx.file,
                f"The sheet {other.name} also has a chronology table ({rows} "
                f"{'row' if rows == 1 else 'rows'} under its "
                f"header in row {row}); only the sheet {sheet.name} was read."
                + (_OTHER_AGENCY.format(agency=named.name) if named else ""),
                sheet=other.name, row=row, hint=_OTHER_AGENCY_FIX if named else None,
            ))
    told = {sheet.name, *(name for name, _ in result.unread_rows), *(t.name for t, _ in continued)}
    pending = _dated_sheets(workbook, candidates, told, schema, ctx, result)
    result.sheet = sheet.name
    header_row, _ = sheet.cell_ref(header.row_index, 0)
    result.header_row = header_row
    if header.upper_index is not None:
        upper, _ = sheet.cell_ref(header.upper_index, 0)
        result.findings.append(finding(
            "two-row-header", ctx.file,
            f"The headings are spread over rows {upper} and {header_row}; read together they are: "
            f"{', '.join(header.headers.values())}. The data starts below row {header_row}.",
            sheet=sheet.name, row=header_row,
        ))
    _report_columns(sheet, header, header_row, schema, ctx, result)
    if any(f.code in ("missing-column", "date-column-ambiguous") for f in result.findings):
        result.data_rows = _rows_under(sheet, header, continued)
        result.rejected_rows = result.data_rows
    else:
        _validate_rows(sheet, header, schema, ctx, result, continued)
    _dates_in_chronology(pending, result, ctx)
    result.data_rows += len(result.unread_rows)
    result.rejected_rows += len(result.unread_rows)
    return result


def _unfitting(sheet: RawSheet, header: HeaderMatch, schema: Schema, ctx: Context) -> dict[int, str]:
    """The columns a fallback heading names for a field other than a date whose cells do not fit
    the field: a 'Service' column none of whose cells names an agency of the review (a team:
    'District Nursing'), a 'Key' column whose cells do not all say yes or no."""
    unfit: dict[int, str] = {}
    for col, key in header.columns.items():
        if key not in ("agency", "key_event") or schema.ranked_match(
                header.headers[col], ctx.mapping)[1] != FALLBACK:
            continue
        texts = [t for cells in sheet.rows[header.row_index + 1:]
                 if col < len(cells) and (t := cell_text(cells[col]))]
        if key == "agency":
            fits = any(ctx.review.find_agency(t) is not None for t in texts)
        else:
            fits = all(read_yes_no(t)[1] != "unclear" or _UNSURE.fullmatch(t) for t in texts)
        if not fits:
            unfit[col] = key
    return unfit


def _yes_no_events(sheet: RawSheet, header: HeaderMatch, schema: Schema, ctx: Context) -> None:
    """A column headed as a significant Event ('Significant Event') whose cells all say only yes
    or no (or are blank, '?') is the Key Event column: an event is never just 'Yes'. (An Event
    column headed otherwise is left alone: its entries may be as short as 'X'.)
    Taken as the Key Event when no column gives it; another column naming the Event then gives
    the Event. Changes `header` in place."""
    if "key_event" in header.columns.values():
        return
    for col in sorted({*header.columns, *header.extras}):
        text = header.headers.get(col, "")
        if col in header.unheaded or schema.ranked_match(text, ctx.mapping) != ("event", NAMED) or not any(
                word in normalise_header(text) for word in ("significant", "key", "allweddol")):
            continue
        texts = [t for cells in sheet.rows[header.row_index + 1:]
                 if col < len(cells) and (t := cell_text(cells[col]))]
        answers = [read_yes_no(t) for t in texts]
        if not any(a is not None for a, _ in answers) or not all(
                how == "plain" or _UNSURE.fullmatch(t) for t, (_, how) in zip(texts, answers, strict=True)):
            continue
        header.extras.pop(col, None)
        if header.columns.get(col) == "event":
            others = [c for c in header.extras if c not in header.unheaded
                      and schema.match(header.headers[c], ctx.mapping) == "event"]
            ranks = {c: schema.ranked_match(header.headers[c], ctx.mapping)[1] for c in others}
            if others:
                chosen = max(others, key=lambda c: (ranks[c], -c))
                del header.extras[chosen]
                header.columns[chosen] = "event"
        header.columns[col] = "key_event"
        header.columns = dict(sorted(header.columns.items()))
        return


def _nearest_table(sheets: list[RawSheet], schema: Schema, ctx: Context, result: ChronologyResult) -> str:
    """For a return with no chronology header row: which required fields the row of headings
    naming the most of them (the widest on a tie, the first then) does not name, and its rows
    counted as rejected (never '0 of 0 rows'). '' when no row looks like headings."""
    best: tuple[int, int, RawSheet, int] | None = None  # (fields named, width, sheet, index)
    for sheet in sheets:
        for row, texts in _heading_rows(sheet):
            index = row - sheet.first_row
            named = len(match_header_row(sheet.rows[index], schema, ctx.mapping).columns)
            if best is None or (named, len(texts)) > best[:2]:
                best = (named, len(texts), sheet, index)
    if best is None:
        return ""
    _, _, sheet, index = best
    present = set(match_header_row(sheet.rows[index], schema, ctx.mapping).columns.values())
    missing = [f.heading for f in schema.fields if f.required and f.key not in present]
    rows = sum(1 for cells in sheet.rows[index + 1:] if not _blank_row(cells))
    result.data_rows = result.rejected_rows = rows
    row, _ = sheet.cell_ref(index, 0)
    lacks = (f" has no heading naming the {and_list(missing)} "
             f"{'column' if len(missing) == 1 else 'columns'}, which a chronology must have; the"
             if missing else ":")
    return (f" Row {row} of the sheet {sheet.name}{lacks} {_count(rows, 'row')} under it "
            f"{'was' if rows == 1 else 'were'} not read and {'is' if rows == 1 else 'are'} counted "
            "as rejected.")


def _rows_under(sheet: RawSheet, header: HeaderMatch,
                continued: list[tuple[RawSheet, HeaderMatch]] = ()) -> int:
    """The non-blank rows under the header, in the table and the tables that carry it on."""
    return sum(1 for table, match in [(sheet, header), *continued]
               for cells in table.rows[match.row_index + 1 :] if not _blank_row(cells))


def _continued_tables(workbook: RawWorkbook, sheet: RawSheet, header: HeaderMatch, schema: Schema,
                      ctx: Context) -> list[tuple[RawSheet, HeaderMatch]]:
    """The Word tables right after the chronology's table that carry it on (a long table split by
    a page break, a paragraph or a heading): each either repeats the same headings, or has no
    headings, as many columns, and a date in its Date column. The first table that does neither
    ends the chronology. A table without headings is read with the chronology's. The rows of
    each are numbered on from the table before (every row of the chronology has its own number)."""
    tables = [t for t in workbook.sheets if t.visible]
    width = _width(sheet)
    date_col = next((col for col, key in header.columns.items() if key == "date"), None)
    found: list[tuple[RawSheet, HeaderMatch]] = []
    for table in tables[tables.index(sheet) + 1 :]:
        match = find_header_row(table.rows, schema, ctx.mapping, _header_merges(table))
        if match is not None:
            match.set_apart(header.set_aside)
            if match.columns != header.columns or match.upper_index is not None:
                break
            found.append((table, match))
            _number_on(table, found[-2][0] if len(found) > 1 else sheet)
            continue
        dated = date_col is not None and any(
            date_col < len(cells) and _reads_as_date(cells[date_col], ctx.date1904)
            for cells in table.rows)
        if not dated or _width(table) != width:
            break
        found.append((table, HeaderMatch(row_index=-1, columns=dict(header.columns),
                                         extras=dict(header.extras), headers=dict(header.headers))))
        _number_on(table, found[-2][0] if len(found) > 1 else sheet)
    return found


_OTHER_AGENCY = (" The sheet is named after {agency}, another agency of review.toml, so its rows "
                 "were not put under this return's agency: sarkit reads one agency's chronology "
                 "from a file.")
_OTHER_AGENCY_FIX = ("If the sheet is that agency's chronology, save it as a file of its own named "
                     "after the agency and put it in the returns folder; if it is this return's, "
                     "rename the sheet.")


def _same_headed_sheets(sheet: RawSheet, header: HeaderMatch, candidates: list[tuple[RawSheet, HeaderMatch]],
                        order: list[str], ctx: Context) -> list[tuple[RawSheet, HeaderMatch]]:
    """The later sheets with the chronology's headings that carry it on (a sheet per year, each
    with the headings): when the sheet names are periods none of which repeats or overlaps
    another, or else when the sheet's dates all come after those of the sheets before it. A
    sheet repeating a period, or whose dates overlap, may be a copy or an older version: it is
    left as another chronology sheet (an error), never read twice."""
    same = {col: normalise_header(text) for col, text in header.headers.items()}
    found: list[tuple[RawSheet, HeaderMatch]] = []
    last = _date_span(sheet, header, ctx)
    for other, match in sorted(candidates[1:], key=lambda pair: order.index(pair[0].name)):
        if order.index(other.name) < order.index(sheet.name) or _another_agency(other, sheet, ctx):
            continue
        match.set_apart(header.set_aside)
        if (match.columns != header.columns or match.upper_index is not None or header.upper_index
                is not None or {c: normalise_header(t) for c, t in match.headers.items()} != same):
            continue
        span = _date_span(other, match, ctx)
        apart = periods_apart([sheet.name, *(t.name for t, _ in found), other.name])
        after = span is not None and last is not None and span[0] > last[1]
        if apart is False or (apart is None and not after):
            continue
        found.append((other, match))
        if span is not None:
            last = span if last is None else (min(last[0], span[0]), max(last[1], span[1]))
    return found


def _another_agency(table: RawSheet, sheet: RawSheet, ctx: Context) -> Agency | None:
    """The agency of review.toml a later sheet is named after when it is not the return's own
    (a 'Mental Health' sheet in the hospital's workbook): its rows are that agency's chronology,
    never carried on under the return's agency. The return's own agency is the one its Details
    sheet, file name or --agency gives, else the one the chronology's sheet is named after."""
    if ctx.word:
        return None
    named = _sheet_named_after(table.name, ctx.review)
    if named is None:
        return None
    own = next((agency for agency in (
        *(ctx.review.find_agency(text) for text in (ctx.fixed_agency, ctx.file_agency) if text),
        _sheet_named_after(sheet.name, ctx.review)) if agency is not None), None)
    return None if own is not None and own.name == named.name else named


def _sheet_named_after(name: str, review: Review) -> Agency | None:
    """The agency of review.toml a sheet's name is: its name or short name ('Mental Health'),
    never an alias, which is a word of free text ('Ward', 'Surgery', 'Crew' name teams too)."""
    wanted = normalise_header(name)
    return next((agency for agency in review.agencies if wanted and wanted in {
        normalise_header(agency.name), normalise_header(agency.short)}), None)


def _date_span(sheet: RawSheet, header: HeaderMatch, ctx: Context) -> tuple[dt.date, dt.date] | None:
    """The first and last day the Date column of a table covers; None when no cell reads as a date."""
    col = next((c for c, key in header.columns.items() if key == "date"), None)
    days: list[dt.date] = []
    for cells in sheet.rows[header.row_index + 1:] if col is not None else []:
        if col is not None and col < len(cells):
            try:
                date, _ = parse_date(cells[col], date1904=ctx.date1904)
            except DateError:
                continue
            days += [date.start, date.last]
    return (min(days), max(days)) if days else None


def _headerless_tables(workbook: RawWorkbook, sheet: RawSheet, header: HeaderMatch,
                       candidates: list[tuple[RawSheet, HeaderMatch]],
                       continued: list[tuple[RawSheet, HeaderMatch]], ctx: Context,
                       result: ChronologyResult) -> list[tuple[RawSheet, HeaderMatch]]:
    """The other sheets (or Word tables) with dated rows and no heading row, never passed over in
    silence: a sheet with the chronology's columns and its dates in the Date column is read with
    the chronology's headings (a sheet per month, only the first with headings); any other is an
    error, its rows counted as rejected. A table with headings of its own, or with no row of
    three or more cells holding a date (a cover sheet, a glossary), is left alone."""
    taken = {sheet.name, *(t.name for t, _ in continued), *(t.name for t, _ in candidates)}
    date_col = next((col for col, key in header.columns.items() if key == "date"), None)
    found: list[tuple[RawSheet, HeaderMatch]] = []
    for table in workbook.sheets:
        if not table.visible or table.name in taken:
            continue
        dated = _dated_rows(table)
        if not dated or any(heading_like(cells) and len([v for v in cells if cell_text(v)]) >= 3
                            for cells in table.rows[: dated[0]]):
            continue
        if _guidance_sheet(table.name) or 2 * sum(
                _entry_shaped(table.rows[i]) for i in dated) < len(dated):
            continue  # instructions, a cover or details lines: _dated_sheets names it, if need be
        named = _another_agency(table, sheet, ctx)
        why = _unlike(table, dated, sheet, header, date_col, ctx)
        if why is None and named is None:
            found.append((table, HeaderMatch(row_index=-1, columns=dict(header.columns),
                                             extras=dict(header.extras),
                                             headers=dict(header.headers))))
            continue
        numbers = [table.cell_ref(i, 0)[0] for i in range(dated[0], len(table.rows))
                   if not _blank_row(table.rows[i])]
        result.unread_rows.extend((table.name, number) for number in numbers)
        _keep_unread(result, table, dated[0], {}, ctx.word)
        place = table.name if ctx.word else f"The sheet {table.name}"
        if named is not None:
            result.findings.append(finding(
                "table-not-read", ctx.file,
                f"{place} has dated rows and no heading row; its {_count(len(numbers), 'row')} "
                f"({rows_listed(numbers)}) were not read and are counted as rejected rows."
                + _OTHER_AGENCY.format(agency=named.name),
                sheet=table.name, row=numbers[0], hint=_OTHER_AGENCY_FIX,
            ))
            continue
        result.findings.append(finding(
            "table-not-read", ctx.file,
            f"{place} has {_count(len(dated), 'row')} with a date "
            f"({rows_listed([table.cell_ref(i, 0)[0] for i in dated])}) but no heading row, and {why}, "
            "so which column is which cannot be told for certain: its "
            f"{_count(len(numbers), 'row')} ({rows_listed(numbers)}) were not read and are counted as "
            "rejected rows.",
            sheet=table.name, row=numbers[0],
        ))
    return found


_Dated = tuple[Finding, RawSheet, list[int]]  # a dates-on-other-sheet warning, its sheet and dated rows


def _dated_sheets(workbook: RawWorkbook, candidates: list[tuple[RawSheet, HeaderMatch]],
                  told: set[str], schema: Schema, ctx: Context, result: ChronologyResult) -> list[_Dated]:
    """The other visible sheets not read and not yet reported that hold rows with a date, never
    passed over in silence. A sheet with chronology headings but no column for a required field,
    whose dated rows have words beside the date, holds lost entries: an error, its rows counted
    as rejected. Any other (headings of its own, or none) is a warning when a dated row has words
    beside its date (maybe entries), and information when none has (a summary of totals by
    month, a sign-off): never an error, so a good return with such a sheet still passes."""
    headed = {table.name: match for table, match in candidates}
    required = [f for f in schema.fields if f.required]
    warned: list[_Dated] = []  # checked against the entries once they are read
    for table in workbook.sheets:
        if not table.visible or table.name in told:
            continue
        match = headed.get(table.name)
        start = match.row_index + 1 if match is not None else 0
        dated = [i for i in range(start, len(table.rows)) if _has_date(table.rows[i])]
        if not dated:
            continue
        place = table.name if ctx.word else f"The sheet {table.name}"  # a Word table: 'Table 3'
        worded = [i for i in dated if _has_words(table.rows[i])]
        details = [i for i in worded if not _entry_shaped(table.rows[i])]
        if details and match is None and len(details) == len(worded):
            result.findings.append(finding(
                "dates-on-other-sheet", ctx.file,
                f"{place} is not the chronology and was not read, but it has "
                f"{_count(len(dated), 'row')} with a date ("
                f"{rows_listed([table.cell_ref(i, 0)[0] for i in dated])}), "
                "with a label or a sentence before the date and nothing after it, like details or "
                "instructions.", severity=Severity.INFO,
                sheet=table.name, row=table.cell_ref(dated[0], 0)[0],
            ))
            continue
        shown = rows_listed([table.cell_ref(i, 0)[0] for i in dated])
        if match is not None and worded:
            row, _ = table.cell_ref(match.row_index, 0)
            missing = and_list([f.heading for f in required if f.key not in match.columns.values()])
            numbers = [table.cell_ref(i, 0)[0] for i in range(start, len(table.rows))
                       if not _blank_row(table.rows[i])]
            result.unread_rows.extend((table.name, number) for number in numbers)
            _keep_unread(result, table, start, match.headers, ctx.word)
            result.findings.append(finding(
                "sheet-not-read", ctx.file,
                f"{place} has chronology headings in row {row} but no {missing} "
                f"column, so it was not read, but it has {_count(len(worded), 'row')} with a date "
                f"and words beside it, like chronology entries ("
                f"{rows_listed([table.cell_ref(i, 0)[0] for i in worded])}): its "
                f"{_count(len(numbers), 'row')} under the headings ({rows_listed(numbers)}) are counted "
                "as rejected rows.",
                sheet=table.name, row=row,
            ))
            if _SUMMARY_SHEET.match(table.name) and len(numbers) <= _SUMMARY_ROWS:
                warned.append((result.findings[-1], table, dated))  # maybe key dates: see below
            continue
        what = ("with words beside the date, like chronology entries" if worded
                else "with no words beside the date, like a summary or a sign-off")
        result.findings.append(finding(
            "dates-on-other-sheet", ctx.file,
            f"{place} is not the chronology and was not read, but it has "
            f"{_count(len(dated), 'row')} with a date ({shown}), {what}.",
            severity=None if worded else Severity.INFO,
            sheet=table.name, row=table.cell_ref(dated[0], 0)[0],
        ))
        if worded:
            warned.append((result.findings[-1], table, dated))
    return warned


def _dates_in_chronology(warned: list[_Dated], result: ChronologyResult, ctx: Context) -> None:
    """A sheet not read whose dated rows are each on a day the chronology has an entry on (a
    'Summary' or 'Key dates' sheet repeating its key events) is said as information, not warned
    of; when only some are, the warning names the rows on other days. A row is on such a day
    only when every date in it is a whole day and an entry of the return is on that day."""
    days = {e.date.start for e in result.entries if e.date.start == e.date.last}
    for said, table, dated in warned if days else ():
        rows = [table.cell_ref(i, 0)[0] for i in dated]
        other = [row for i, row in zip(dated, rows, strict=True) if not _days_of(table.rows[i], ctx) <= days]
        if said.code == "sheet-not-read":
            _key_dates_sheet(said, table, rows, other, result)
            continue
        if len(other) == len(rows):
            continue
        start = said.message.rsplit(", with words beside the date", 1)[0]
        if not other:
            said.severity = Severity.INFO
            said.message = (f"{start}, with words beside the date, each on a day the chronology has "
                            "an entry on (like a summary of its key dates).")
            continue
        said.row = other[0]
        said.message = (f"{start}, with words beside the date, like chronology entries; "
                        f"{_count(len(other), 'row')} ({rows_listed(other)}) "
                        f"{'is' if len(other) == 1 else 'are'} on a day the chronology has no entry on.")


# the names of a small sheet that sums the chronology up ('Key dates', 'Summary', 'Timeline'): with
# headings like the chronology's ('Date | Key event'), its rows are the chronology's own key events
_SUMMARY_SHEET = lazy_compile(
    r"^\W*(key\s+(dates?|events?|incidents?|points?)|summary(\s+of\s+\w+(\s+\w+)?)?|timeline|overview"
    r"|(chronology\s+)?summary|significant\s+(dates|events))\W*$", re.IGNORECASE)
_SUMMARY_ROWS = 40  # more rows than this is a chronology of its own, whatever its name


def _key_dates_sheet(said: Finding, table: RawSheet, rows: list[int], other: list[int],
                     result: ChronologyResult) -> None:
    """A 'Key dates' sheet with chronology headings but no Source column (`said`, sheet-not-read):
    when every dated row is on a day the chronology has an entry on, it repeats the chronology's
    key events: information, its rows no longer rejected; else the error stands, naming the rows
    on other days (their values are kept in the Findings sheet)."""
    if other:
        said.message += (f" {_count(len(other), 'row')} ({rows_listed(other)}) "
                         f"{'is' if len(other) == 1 else 'are'} on a day the chronology has no entry on.")
        return
    result.unread_rows[:] = [(name, row) for name, row in result.unread_rows if name != table.name]
    for key in [key for key in result.unread_values if key[0] == table.name]:
        del result.unread_values[key]
    place = said.message.split(" has chronology headings", 1)[0]
    result.findings[result.findings.index(said)] = finding(
        "dates-on-other-sheet", said.file,
        f"{place} is not the chronology and was not read, but it has {_count(len(rows), 'row')} with "
        f"a date ({rows_listed(rows)}), with words beside the date, each on a day the chronology has "
        "an entry on (like a summary of its key dates).",
        severity=Severity.INFO, sheet=table.name, row=rows[0])


def _days_of(cells: list[object], ctx: Context) -> set[dt.date] | frozenset[None]:
    """The days a row's dates give, each a whole day; a set no day set holds when a date is less
    than a day ('March 2025') or none reads."""
    days: set[dt.date] = set()
    for value in cells:
        if not (isinstance(value, dt.date) or isinstance(value, str) and len(value) <= 40
                and any(ch.isdigit() for ch in value)):
            continue
        try:
            date, _ = parse_date(value, date1904=ctx.date1904)
        except DateError:
            continue
        if date.start != date.last:
            return frozenset([None])
        days.add(date.start)
    return days or frozenset([None])


def _keep_unread(result: ChronologyResult, table: RawSheet, start: int, headers: dict[int, str],
                 word: bool) -> None:
    """Keep the cells of a table's non-blank rows from `start` on, not read, by their heading (the
    column's letter, a Word table's column number, where it has none): they go into the Findings
    sheet as Original Values, as a rejected row's cells do."""
    for index in range(start, len(table.rows)):
        cells = table.rows[index]
        if _blank_row(cells):
            continue
        values: dict[str, str] = {}
        for col, value in enumerate(cells):
            if text := cell_text(value):
                where = str(col + 1) if word else column_letter(table.first_col + col)
                heading = headers.get(col) or f"Column {where}"
                values[heading if heading not in values else f"{heading} ({where})"] = text
        result.unread_values[(table.name, table.cell_ref(index, 0)[0])] = values


def _has_date(cells: list[object]) -> bool:
    """Whether a row holds a date (a date cell or a typed date; never a number) and something
    else, and no 'Label:' cell of a details block ('Date completed:')."""
    filled = [v for v in cells if cell_text(v)]
    if len(filled) < 2 or any(isinstance(v, str) and v.rstrip().endswith(":") for v in filled):
        return False
    return any(isinstance(v, dt.date) or isinstance(v, str) and len(v) <= 40
               and any(ch.isdigit() for ch in v) and _reads_as_date(v, False) for v in filled)


# the names of sheets that guide or introduce a return, never its chronology
_GUIDANCE_SHEET = lazy_compile(
    r"^\W*(instructions?|guidance|guide|guidance\s+notes|cover(\s+(sheet|page))?|front\s+(sheet|page)"
    r"|notes?|help|read\s*me|how\s+to(\s+\w+)*|details|about)\W*$", re.IGNORECASE)


def _guidance_sheet(name: str) -> bool:
    """Whether a sheet's name says it guides or introduces the return (Instructions, Cover)."""
    return bool(_GUIDANCE_SHEET.match(name))


def _entry_shaped(cells: list[object]) -> bool:
    """Whether a dated row is laid out as an entry: its first date with words after it ('03/04/2025
    | Sister | Rang to say…'). A details or instructions line has a label or a sentence before the
    date and nothing after it ('Please return the chronology by | 28/02/2026'); a label starting
    with 'Date' or a sign-off ('Completed by') beside a date is a detail too."""
    filled = [v for v in cells if cell_text(v)]
    at = next((i for i, v in enumerate(filled) if _is_date_cell(v)), None)
    if at is None:
        return False
    before = [cell_text(v).strip() for v in filled[:at] if isinstance(v, str)]
    if any(b[:4].casefold() == "date" or END_MARKER.match(b) or SIGN_OFF.match(b) for b in before):
        return False
    return any(isinstance(v, str) and re.search(r"[^\W\d_]{2}", v) and not _is_date_cell(v)
               for v in filled[at + 1:])


def _is_date_cell(value: object) -> bool:
    """A date cell or a typed date (never a number)."""
    return isinstance(value, dt.date) or isinstance(value, str) and len(value) <= 40 and any(
        ch.isdigit() for ch in value) and _reads_as_date(value, False)


def _has_words(cells: list[object]) -> bool:
    """Whether a row has words beside its date, as an entry does: a text cell of three or more
    words that is not itself a date (a total, a month's name or a signatory's name is not)."""
    return any(isinstance(v, str) and len(re.findall(r"[^\W\d_]+", v)) >= 3
               and not _reads_as_date(v, False) for v in cells)


def _dated_rows(table: RawSheet) -> list[int]:
    """The indexes of rows that look like entries: three or more filled cells, one of them a date
    (a date cell or a typed date; never a number), and no 'Label:' cell of a details block."""
    found = []
    for index, cells in enumerate(table.rows):
        filled = [v for v in cells if v is not None and cell_text(v)]
        if len(filled) < 3 or any(isinstance(v, str) and v.rstrip().endswith(":") for v in filled):
            continue
        if any(isinstance(v, dt.date) or isinstance(v, str) and len(v) <= 40
               and any(ch.isdigit() for ch in v) and _reads_as_date(v, False) for v in filled):
            found.append(index)
    return found


def _unlike(table: RawSheet, dated: list[int], sheet: RawSheet, header: HeaderMatch,
            date_col: int | None, ctx: Context) -> str | None:
    """Why a table without headings cannot be read with the chronology's headings, or None when
    it can: a sheet (never a Word table: those that carry the chronology on are read before)
    starting in the same column, as wide, with a date in the Date column of every dated row."""
    ours = _last_filled(sheet.rows[header.row_index:])
    theirs = _last_filled(table.rows)
    what = "the chronology's table" if ctx.word else f"the chronology on the sheet {sheet.name}"
    if table.first_col != sheet.first_col or ours != theirs:
        return (f"it has {_count(theirs + 1 + table.first_col, 'column')} where {what} has "
                f"{ours + 1 + sheet.first_col}")
    if date_col is None or not all(
            date_col < len(table.rows[i]) and _reads_as_date(table.rows[i][date_col], ctx.date1904)
            for i in dated):
        return f"its dates are not all in the column where {what} has its Date column"
    if ctx.word:
        return f"it does not follow {what} directly"
    return None


def _last_filled(rows: list[list[object]]) -> int:
    """The index of the last column holding something in any of the rows (-1 for none)."""
    last = -1
    for cells in rows:
        for col in range(len(cells) - 1, last, -1):
            if cell_text(cells[col]):
                last = col
                break
    return last


def _carried_on(table: RawSheet, match: HeaderMatch, sheet: RawSheet, ctx: Context) -> Finding:
    """What the chronology says of a table read after the first: a second table of the same
    sheet under its own headings, or a Word table carrying the first one on."""
    if table.name == sheet.name:
        headings = _headings_shown(match.headers.values(), ctx)
        return finding(
            "second-table", ctx.file,
            f"Row {table.first_row} holds the headings of a second table ({headings}); the rows "
            "under it were read with its own headings, not the first table's.",
            sheet=table.name, row=table.first_row,
        )
    if not ctx.word and match.row_index >= 0:
        rows = [table.cell_ref(i, 0)[0] for i in range(match.row_index + 1, len(table.rows))
                if not _blank_row(table.rows[i])]
        why = ("the sheet names are periods none of which repeats" if periods_apart([sheet.name, table.name])
               else "its dates all come after those of the sheets before it")
        return finding(
            "sheet-continued", ctx.file,
            f"The sheet {table.name} has the same headings as the chronology on the sheet {sheet.name} "
            f"and {why}, so it carries the chronology on: its rows ({rows_listed(rows)}) were read "
            "as part of it, under their own sheet and row numbers.",
            sheet=table.name, row=table.cell_ref(match.row_index, 0)[0],
        )
    if not ctx.word:
        rows = [table.cell_ref(i, 0)[0] for i, cells in enumerate(table.rows) if not _blank_row(cells)]
        return finding(
            "sheet-continued", ctx.file,
            f"The sheet {table.name} has no heading row, but the columns of the chronology on the "
            f"sheet {sheet.name} and a date in its Date column in every row that has a date; its "
            f"rows ({rows_listed(rows)}) were read with the headings of the sheet {sheet.name}.",
            sheet=table.name, row=table.first_row,
        )
    repeated = match.row_index >= 0
    return finding(
        "table-continued", ctx.file,
        f"{table.name} carries on the chronology of {sheet.name} ("
        + ("the same headings repeated" if repeated else "no headings, the same columns")
        + "); its rows were read as part of it, numbered on from the table before: "
        + rows_listed(list(range(table.first_row, table.first_row + len(table.rows)))) + ".",
        sheet=table.name, row=table.cell_ref(max(match.row_index, 0), 0)[0],
    )


def _second_table(sheet: RawSheet, header: HeaderMatch, schema: Schema, ctx: Context
                  ) -> tuple[tuple[RawSheet, RawSheet], HeaderMatch | None] | None:
    """((the table down to it, the table from it), its headings) when a row under the header is
    the headings of a second table ('Contacts with family': Date, Family member, Method,
    Summary, Outcome): headings that name the date and two more fields, differ from the first
    table's, and hold no data. Its rows are read with its own headings, never the first's.
    Headings that are not the chronology's ('Date changed', 'Medication', 'Change': see
    other_headings) give None for its headings: its rows are not read at all."""
    first = {col: normalise_header(text) for col, text in header.headers.items()}
    date_col = next((col for col, key in header.columns.items() if key == "date"), None)
    if not {f.key for f in schema.fields if f.required} <= set(header.columns.values()):
        date_col = None  # no row is read: other rows of headings are listed as such
    known = heading_words(schema)
    for index in range(header.row_index + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        if not heading_like(cells) or holds_data(cells):
            continue
        if len(sheet.rows) - index <= 4 * SIGN_OFF_ROWS and _signs_off(sheet.rows[index:]) == 0:
            break  # 'Completed by | Designation | Date' over its values at the foot: a sign-off
        match = match_header_row(cells, schema, ctx.mapping)
        if "date" not in match.columns.values() or match.score < 3:
            if date_col is not None and other_headings(sheet.rows, index, header.headers, date_col,
                                                       known):
                return _split_at(sheet, index), None  # headings that are not the chronology's
            continue
        # other headings in at least two columns (a repeat of the first headings, maybe beside
        # a template default such as Key Event 'N', is a page break: see row_shapes)
        named = {col: normalise_header(text) for col, text in match.headers.items()}
        if sum(1 for col, text in named.items() if len(text) > 1 and first.get(col) != text) < 2:
            continue
        if all(header.columns.get(col) == key for col, key in match.columns.items()) and all(
                match.columns.get(col) == key or not cell_text(cells[col])
                for col, key in header.columns.items() if col < len(cells)):
            header.repeats.append(index)  # the same fields in the same columns: a page break
            continue
        match.row_index = 0
        return _split_at(sheet, index), match
    return None


def _other_table(tail: RawSheet, ctx: Context, result: ChronologyResult) -> None:
    """A second table whose headings are not the chronology's (tail.rows[0]): its rows are not
    entries. The heading row is named (a warning); each row under it is rejected, with its
    values under the second table's own headings, so nothing is lost."""
    headings = {col: cell_text(v) for col, v in enumerate(tail.rows[0]) if cell_text(v)}
    signed = _signs_off(tail.rows[1:])  # a sign-off under the second table ends it
    foot = len(tail.rows) if signed is None else 1 + signed
    rows = [(tail.first_row + i, cells) for i, cells in enumerate(tail.rows[:foot])
            if i and not _blank_row(cells)]
    numbers = [number for number, _ in rows]
    count = _count(len(numbers), "row")
    result.findings.append(finding(
        "second-table", ctx.file,
        f"Row {tail.first_row} holds the headings of a second table "
        f"({_headings_shown(headings.values(), ctx)}), not the chronology's; its {count} "
        f"({rows_listed(numbers)}) "
        + ("was not read as an entry and is counted as a rejected row." if len(numbers) == 1
           else "were not read as entries and are counted as rejected rows."),
        sheet=tail.name, row=tail.first_row, hint=_OTHER_TABLE_FIX,
    ))
    for number, cells in rows:
        found = finding(
            "second-table", ctx.file,
            f"Row {number} is in the second table under the headings in row {tail.first_row}; it "
            "was not read as an entry (its values are kept with this finding).",
            severity=Severity.ERROR, sheet=tail.name, row=number, hint=_OTHER_TABLE_FIX,
        )
        found.values = {headings.get(col, f"Column {column_letter(tail.first_col + col)}"): cell_text(v)
                        for col, v in enumerate(cells) if cell_text(v)}
        result.findings.append(found)
        result.unread_rows.append((tail.name, number))
    after = [tail.first_row + i for i in range(foot, len(tail.rows)) if not _blank_row(tail.rows[i])]
    if after:
        what = "is not read as an entry" if len(after) == 1 else "are not read as entries"
        result.findings.append(finding(
            "text-after-table", ctx.file,
            f"The second table ends before row {after[0]}: {rows_listed(after)} under it (a sign-off) "
            f"{what}.",
            sheet=tail.name, row=after[0],
            cell=cell_name(after[0], tail.first_col + _first_filled(tail.rows[after[0] - tail.first_row])),
        ))


def _signs_off(rows: list[list[object]]) -> int | None:
    """Where a sign-off block at the foot of `rows` starts (see sign_off), or None."""
    return sign_off_start([[cell_text(v) for v in cells] for cells in rows])


_OTHER_TABLE_FIX = ("If its rows are chronology entries, move them into the chronology's table, each "
                    "value under its heading; otherwise move the second table to a sheet of its own. "
                    "Then send the return again.")


def _split_at(sheet: RawSheet, index: int) -> tuple[RawSheet, RawSheet]:
    """The sheet down to rows[index], and from it on (numbered as in the sheet)."""
    head = replace(sheet, rows=sheet.rows[:index])
    tail = replace(sheet, rows=sheet.rows[index:], first_row=sheet.first_row + index,
                   merged=[m for m in sheet.merged if m[0] >= sheet.first_row + index])
    head.merged = [m for m in sheet.merged if m[0] < sheet.first_row + index]
    return head, tail


def _number_on(table: RawSheet, before: RawSheet) -> None:
    """Number the table's rows on from the last row of the table before it."""
    shift = before.first_row + len(before.rows) - table.first_row
    table.first_row += shift
    table.merged = [(r1 + shift, c1, r2 + shift, c2) for r1, c1, r2, c2 in table.merged]
    table.hidden_rows = {row + shift for row in table.hidden_rows}
    table.struck = {(row + shift, col): whole for (row, col), whole in table.struck.items()}
    table.formulas = {(row + shift, col) for row, col in table.formulas}
    table.formulas_without_value = {(row + shift, col) for row, col in table.formulas_without_value}
    table.unsaved_rows = {row + shift for row in table.unsaved_rows}


def _width(sheet: RawSheet) -> int:
    """A table's number of columns: the length of its longest row that holds something."""
    return max((len(cells) for cells in sheet.rows if not _blank_row(cells)), default=0)


def _name_unheaded(sheet: RawSheet, header: HeaderMatch, ctx: Context) -> None:
    """Keep the blank-headed columns that hold data under the header as extra columns named
    'Column E' (in a Word table 'Column 5'); see schema.name_unheaded. Cells that a merged range
    across columns covers hold nothing of their own (see merged_cells) and are not looked at."""
    rows = sheet.rows[header.row_index + 1 :]
    width = max((len(cells) for cells in rows), default=0)
    if all(col in header.headers for col in range(width)):
        return
    covered = {(r - sheet.first_row - header.row_index - 1, c - sheet.first_col)
               for r1, c1, r2, c2 in sheet.merged if c2 > c1
               for r in range(max(r1, sheet.first_row + header.row_index + 1), r2 + 1)
               for c in range(c1 + 1, c2 + 1)} if sheet.merged else set()
    if covered:
        rows = [[None if (i, j) in covered else v for j, v in enumerate(cells)]
                for i, cells in enumerate(rows)]
    names = {col: f"Column {_column_of(sheet, col, ctx)}" for col in range(width)
             if col not in header.headers}
    name_unheaded(header, rows, names)


def _column_of(sheet: RawSheet, col: int, ctx: Context) -> str:
    """How a message names a column: its letter ('E'), or in a Word table its number ('5')."""
    return str(col + 1) if ctx.word else column_letter(sheet.first_col + col)


def _report_unheaded(sheet: RawSheet, header: HeaderMatch, header_row: int, ctx: Context,
                     result: ChronologyResult) -> None:
    """An unknown-column warning for each blank-headed column kept, and a row-number-column note
    for each column of running numbers left out."""
    for col, name in header.unheaded.items():
        result.findings.append(finding(
            "unknown-column", ctx.file,
            f"The column {_column_of(sheet, col, ctx)} has no heading in row {header_row} but "
            f"holds data under it; it is kept as an extra column named {name}.",
            hint="Give the column a heading (one from the Appendix 8b template if it is one of "
                 "them) and send the return again.",
            sheet=sheet.name, row=header_row, column=name,
            cell=None if ctx.word else cell_name(header_row, sheet.first_col + col),
        ))
    for col in header.row_numbers:
        name = f"Column {_column_of(sheet, col, ctx)}"
        result.findings.append(finding(
            "row-number-column", ctx.file,
            f"The column {_column_of(sheet, col, ctx)} has no heading in row {header_row} and holds "
            "only running numbers, one in every row, each one more than the row above (row "
            "numbers, such as the index a spreadsheet program or pandas adds); it is not kept in "
            "the chronology.",
            sheet=sheet.name, row=header_row, column=name,
            cell=None if ctx.word else cell_name(header_row, sheet.first_col + col),
        ))


def _report_columns(
    sheet: RawSheet, header: HeaderMatch, header_row: int, schema: Schema, ctx: Context,
    result: ChronologyResult,
) -> None:
    present = set(header.columns.values())
    found = _headings_shown([t for c, t in header.headers.items() if c not in header.unheaded], ctx)
    rows = (f"rows {sheet.cell_ref(header.upper_index, 0)[0]} and {header_row} have"
            if header.upper_index is not None else f"row {header_row} has")
    used = {header_row} | ({sheet.cell_ref(header.upper_index, 0)[0]}
                           if header.upper_index is not None else set())
    others = [(row, texts) for row, texts in _heading_rows(sheet) if row not in used]
    also = f" Other rows that look like headings: {_list_headings(others, ctx)}." if others else ""
    _report_conflicts(sheet, header, schema, ctx, result)
    ambiguous = {c.key for c in header.ambiguous}
    conflicting = {col for c in header.conflicts for col in c.others}
    for f in schema.fields:
        if f.required and f.key not in present and f.key not in ambiguous:
            result.findings.append(finding(
                "missing-column", ctx.file,
                f"The chronology has no {f.heading} column ({rows}: {found}).{also}",
                sheet=sheet.name, row=header_row, column=f.heading,
            ))
    _report_unheaded(sheet, header, header_row, ctx, result)
    kept_as = extra_names(header)
    for col, text in header.extras.items():
        if col in conflicting or col in header.unheaded:
            continue
        suggestion = schema.suggest(text, exclude=present)
        matched = schema.match(text, ctx.mapping)
        named = "" if kept_as[col] == extra_column_name(text) else f" named {kept_as[col]}"
        hint = None
        if col in header.set_aside:
            message = _set_aside_message(text, schema.field(header.set_aside[col]), named)
            hint = (f'If the column does give the {schema.field(header.set_aside[col]).heading}, use '
                    f'--map "{text}={header.set_aside[col]}".')
        elif matched is not None:  # another column gives that field (a Service beside an Agency)
            givers = [header.headers[c] for c in header.columns
                      if schema.gives(header.headers[c], matched, ctx.mapping)]
            by = f", as the column {and_list(givers)} gives it" if givers else ""
            message = (f"The column {text} is not read as the {schema.field(matched).heading}{by}; "
                       f"it is kept as an extra column{named}.")
        else:
            message = (f"The column {text} matches no chronology field; it is kept as an extra "
                       f"column{named}.")
        if suggestion is not None and matched is None:
            hint = (f'Did you mean "{suggestion.heading}"? Rename the heading, or use '
                    f'--map "{text}={suggestion.key}".')
        row, column = sheet.cell_ref(header.row_index, col)
        result.findings.append(finding(
            "unknown-column", ctx.file, message, hint=hint, sheet=sheet.name,
            row=row, column=text, cell=None if ctx.word else cell_name(row, column),
        ))


def _set_aside_message(text: str, taken_for: Field, named: str) -> str:
    what = ("none of its cells names an agency of the review (it may name a team within the "
            "agency)" if taken_for.key == "agency" else "not all of its cells say yes or no")
    return (f"The column {text} could be the {taken_for.heading} column, but {what}; it is kept as "
            f"an extra column{named}, not read as the {taken_for.heading}.")


def _report_conflicts(sheet: RawSheet, header: HeaderMatch, schema: Schema, ctx: Context,
                      result: ChronologyResult) -> None:
    """Several columns naming one date field: the event's date chosen over when the entry was
    recorded (a warning), or columns naming it equally, none used (an error)."""
    def place(col: int) -> str:
        row, column = sheet.cell_ref(header.row_index, col)
        return f"column {col + 1}" if ctx.word else cell_name(row, column)

    def named(cols: Iterable[int]) -> str:
        return and_list([f"{header.headers[col]} ({place(col)})" for col in cols])

    for conflict in header.conflicts:
        heading = schema.field(conflict.key).heading
        first = conflict.used if conflict.used is not None else conflict.others[0]
        row, _ = sheet.cell_ref(header.row_index, first)
        where = {"sheet": sheet.name, "row": row, "column": header.headers[first],
                 "cell": None if ctx.word else place(first)}
        if conflict.used is not None:
            set_aside = named(conflict.others)
            one = len(conflict.others) == 1
            result.findings.append(finding(
                "date-column-chosen", ctx.file,
                f"The columns {named([conflict.used, *conflict.others])} "
                f"{'both' if one else 'all'} look like the "
                f"{heading}: {named([conflict.used])} names the date of the event and is used; "
                f"{set_aside}, which {'names' if one else 'name'} when the entry was recorded, "
                f"{'is' if one else 'are'} kept as {'an extra column' if one else 'extra columns'}.",
                **where,
            ))
        else:
            result.findings.append(finding(
                "date-column-ambiguous", ctx.file,
                f"The columns {named(conflict.others)} "
                f"{'both' if len(conflict.others) == 2 else 'all'} name the {heading} equally, so it "
                f"cannot be told which gives the date of each event; no row of the return was "
                "read rather than guess.",
                **where,
            ))


def _blank_row(cells: list[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in cells)


def _fill_merged(sheet: RawSheet, header: HeaderMatch, ctx: Context, result: ChronologyResult,
                 dividers: dict[int, RowShape]) -> None:
    """Fill the table's merged ranges (see merged_cells) and report them."""
    result.findings.extend(fill_merged(sheet, header.row_index, header.headers, dividers, ctx.file,
                                       word=ctx.word))


def extra_column_name(heading: str) -> str:
    """A return's own column keeps its heading, unless sarkit's combined chronology has a column
    of that name ('Flags', 'Source File'): then it is 'Flags (return)', so neither overwrites the
    other in any output."""
    if heading.strip().casefold() in _SARKIT_COLUMNS:
        return f"{heading} (return)"
    return heading


def read_yes_no(text: str) -> tuple[bool | None, str]:
    """A yes/no cell: (answer, "plain") for a yes or no word alone, blank or a placeholder
    ('n/a'); (answer, "words") for text whose first word is yes or no ('Yes - first
    disclosure'); (None, "unclear") for any other text ('maybe', '?'). Welsh yes and no count.
    A ticked checkbox (☒ ☑) is yes and an empty one (☐) no; boxes beside yes and no ('☒ Yes ☐ No',
    'Yes ☐ No ☒') are read by the one ticked; a cross (✗) is unclear."""
    plain = text.lower()
    if plain in YES or plain in NO:
        return (True if plain in YES else (False if plain else None)), "plain"
    if _UNSURE.fullmatch(plain) or plain.strip() in CROSSES:  # '?': the agency is unsure, never a blank
        return None, "unclear"
    if any(ch in _BOXES for ch in plain):
        return _boxes_read(plain)
    if is_placeholder(text):  # 'n/a', '-': says nothing
        return None, "plain"
    first = _FIRST_WORD.search(plain)
    word = first.group() if first else ""
    if word in YES or word in NO - {""} or word == "nac":
        return word in YES, "words"
    return None, "unclear"


def _boxes_read(plain: str) -> tuple[bool | None, str]:
    """A cell holding checkboxes: '☒ Yes ☐ No' or 'Yes ☐ No ☒' by its one ticked box (a box on
    one side of every word); '☒ first disclosure' by its box, as a first word; else unclear."""
    tokens = _FIRST_WORD.findall(plain)
    boxed = [t in _BOXES for t in tokens]
    pairs: list[tuple[str, str]] = []
    if len(tokens) >= 4 and len(tokens) % 2 == 0:
        if all(boxed[0::2]) and not any(boxed[1::2]):
            pairs = list(zip(tokens[0::2], tokens[1::2], strict=True))
        elif all(boxed[1::2]) and not any(boxed[0::2]):
            pairs = list(zip(tokens[1::2], tokens[0::2], strict=True))
    if pairs:
        ticked = [word for box, word in pairs if box in TICKED]
        if len(ticked) == 1 and (ticked[0] in YES or ticked[0] in NO - {""}):
            return ticked[0] in YES, "plain"
        return None, "unclear"
    if tokens and boxed[0] and sum(boxed) == 1:
        return tokens[0] in TICKED, "words"
    if len(tokens) == 2 and boxed == [False, True] and tokens[1] in TICKED and (
            tokens[0] in YES or tokens[0] in NO - {""}):  # 'Yes ☒': the one word, ticked
        return tokens[0] in YES, "plain"
    return None, "unclear"


def extra_names(header: HeaderMatch) -> dict[int, str]:
    """The name each extra column is kept under (see `extra_column_name`); a heading that an
    earlier extra column already has gets a number ('Notes', 'Notes (2)'): two columns headed
    alike are two columns in every output, never one holding only the last one's text. The number
    is one no heading of the return uses ('Notes', 'Notes', 'Notes (2)' give 'Notes', 'Notes (3)',
    'Notes (2)')."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    headed = {extra_column_name(text) for text in header.extras.values()}
    for col, text in header.extras.items():
        base = name = extra_column_name(text)
        number = 1
        while name in taken or (number > 1 and name in headed):
            number += 1
            name = f"{base} ({number})"
        taken.add(name)
        names[col] = name
    return names


_SARKIT_COLUMNS = {name.casefold() for name in (*CHRONOLOGY_COLUMNS, *ADDED_COLUMNS, *OLD_COLUMNS)}


def cut_mark(left_out: int) -> str:
    """What ends a text cut to fit a workbook cell: where, how much followed, where it is whole."""
    return (f" … [cut here: {left_out:,} more characters; the JSON and CSV exports hold the "
            "whole text]")


def _keep(text: str) -> str:
    """A text cut to TEXT_KEEP_LIMIT characters, marked where and by how much."""
    if len(text) <= TEXT_KEEP_LIMIT:
        return text
    return text[:TEXT_KEEP_LIMIT] + f" … [cut here: {len(text) - TEXT_KEEP_LIMIT:,} more characters]"


def too_long(text: str) -> bool:
    """Whether a text is more than a workbook cell holds, counted as Excel counts (an emoji: 2)."""
    return len(text) > CELL_TEXT_LIMIT // 2 and (
        len(text.encode("utf-16-le", "surrogatepass")) // 2 > CELL_TEXT_LIMIT)


def cell_text(value: object) -> str:
    """A cell as plain text: whole numbers without '.0', dates as dd/mm/yyyy, line breaks as
    LF (a CR LF or lone CR typed on another system; spreadsheet programs save them as LF, so a
    workbook saved again would otherwise differ from the one written)."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _scanned_text(value: object) -> str:
    """A cell's text as the scan for identifiers sees it: text and numbers (an NHS number typed
    as a number), never dates or yes/no."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell_text(value)
    return ""


class _RowChecker:
    """Validates one row at a time; keeps what it needs for order and duplicate checks."""

    def __init__(self, sheet: RawSheet, header: HeaderMatch, schema: Schema, ctx: Context,
                 result: ChronologyResult) -> None:
        self.sheet, self.header, self.schema, self.ctx, self.result = sheet, header, schema, ctx, result
        self.col_of = {key: col for col, key in header.columns.items()}
        self.heading_of = {key: header.headers[col] for col, key in header.columns.items()}
        self.review = ctx.review
        self.seen: dict[tuple, int] = {}
        self.missing_recommended = [
            f for f in schema.fields if f.rule == "recommended" and f.key not in self.col_of
        ]
        self.extra_names = extra_names(header)
        self.identifiers = IdentifierLog(ctx.identifiers) if ctx.identifiers else None
        # every column but the dates, times and the key-event flag (an event's own date is not
        # an identifier; a text without digits then needs only the names looked for)
        self.not_text = {self.col_of[k] for k in ("date", "time", "end_date", "end_time")
                         if k in self.col_of}
        self.key_event_text = KEY_EVENT_TEXT  # not the name of a column of the return's own
        while self.key_event_text in self.extra_names.values():
            self.key_event_text += " (sarkit)"
        self.time_text = dict(TIME_TEXT)  # likewise for a Time cell in words
        for key, name in self.time_text.items():
            while name in self.extra_names.values():
                name += " (sarkit)"
            self.time_text[key] = name
        self.written: dict[str, str] = {}  # this row's unreadable Time cells, kept as written
        self.time_free = True  # whether this row's Time cell is blank (or absent)
        self.key_cols = list(self.col_of.items())  # (field key, column), once, not per row
        self.month_first: list[int] = []  # rows with a typed date that reads only month first
        self.number_cells: dict[str, list[int]] = {}  # date column -> rows shown as a number
        self.two_digit_years: dict[str, list[int]] = {}  # date column -> rows such as 'Mar-12'
        self.zone_moved: dict[str, list[int]] = {}  # date column -> rows read on the UK clock
        # date column -> (row, day, month) of each date cell, and rows of text dates whose day
        # is over 12 (day-first): together they may show Excel set to US dates (`report_…`)
        self.date_cells: dict[str, list[tuple[int, int, int]]] = {}
        self.text_days_over_12: dict[str, list[int]] = {}
        # field key -> rows of typed dates whose day could be a month (cells looked at again
        # only in a return that writes month first)
        self.either_way: dict[str, list[int]] = {}
        # rows whose Date cell shows a time of 00:00 (typed, or a date cell formatted to show its
        # time) and have no Time of their own, and whether
        # another Date cell holds a real time: then 00:00 is a time too (`keep_midnights`)
        self.typed_midnights: list[int] = []
        self.dates_with_times = False
        self.unstamped_rows = 0  # Dates read showing no time: then a typed 00:00 is a time
        self.decimal_times: dict[str, list[int]] = {}  # time column -> rows holding 9.3 for 9.30
        # time column -> rows holding the number 0 with no time format (a formula copying a
        # blank cell shows 0): no time, where an h:mm cell's 0 (read as a time) is 00:00
        self.zero_times: dict[str, list[int]] = {}
        self.range_end: dt.time | None = None  # the end of a time range read in the Time cell
        self.html_rows: dict[int, list[int]] = {}  # column -> rows whose HTML was read as text

    def scan(self, row: int, cells: list[object], cols: Iterable[int] | None = None) -> None:
        """Look for possible identifiers in the row's text cells (every cell, or `cols`)."""
        if self.identifiers is None:
            return
        skip = self.not_text
        texts = [
            "" if (i in skip if cols is None else i not in cols)
            else v if v.__class__ is str else "" if v is None else _scanned_text(v)
            for i, v in enumerate(cells)
        ]
        self.identifiers.add_row(row, texts, first_col=self.sheet.first_col,
                                 headings=self.header.headers, staff=self.col_of.get("practitioner"))

    def add(self, code: str, row: int, key: str | None, message: str, **kw: object) -> Finding:
        col = self.col_of.get(key) if key else None
        cell = (cell_name(row, self.sheet.first_col + col)
                if col is not None and not self.ctx.word else None)
        item = finding(code, self.ctx.file, message, sheet=self.sheet.name, row=row,
                       column=self.heading_of.get(key) if key else None, cell=cell, **kw)
        self.result.findings.append(item)
        return item

    def add_at(self, code: str, row: int, col: int, message: str) -> Finding:
        """A finding at a column given by its position (a divider's or a continuation's cell)."""
        heading = self.header.headers.get(col)
        cell = None if self.ctx.word else cell_name(row, self.sheet.first_col + col)
        item = finding(code, self.ctx.file, message, sheet=self.sheet.name, row=row,
                       column=heading, cell=cell)
        self.result.findings.append(item)
        return item

    def _error_cells(self, row: int, since: int) -> None:
        """A cell showing a spreadsheet error (#N/A) reads as blank: one finding naming the error
        replaces what was said of the blank cell ('no date'), as serious as that was (a Date is
        required: the row is rejected); a blank Time or Action gets a warning."""
        findings = self.result.findings
        for key, col in self.key_cols:
            where = (row, self.sheet.first_col + col)
            if where not in self.sheet.errors:
                continue
            shown = self.sheet.errors[where] or "an error"
            cell = cell_name(*where)
            said = [f for f in findings[since:] if f.cell == cell]
            for f in said:
                findings.remove(f)
            severity = Severity.ERROR if any(f.severity == Severity.ERROR for f in said) else (
                Severity.WARNING)
            self.add("cell-error", row, key,
                     f"The cell {cell} ({self.heading_of[key]}) of row {row} shows a spreadsheet "
                     f"error ({shown}) from a formula or lookup, not a value; it was read as blank"
                     + (", so the row was not added." if severity == Severity.ERROR else "."),
                     severity=severity)
        for col, heading in self.extra_names.items():  # extra columns go to the output too
            where = (row, self.sheet.first_col + col)
            if where in self.sheet.errors:
                cell = cell_name(*where)
                findings.append(finding(
                    "cell-error", self.ctx.file,
                    f"The cell {cell} ({heading}) of row {row} shows a spreadsheet error "
                    f"({self.sheet.errors[where] or 'an error'}) from a formula or lookup, not a "
                    "value; it was read as blank.", sheet=self.sheet.name, row=row,
                    column=heading, cell=None if self.ctx.word else cell))

    def value(self, cells: list[object], key: str) -> object:
        col = self.col_of.get(key)
        if col is None or col >= len(cells):
            return None
        return cells[col]

    def quoted(self, value: object) -> str:
        return f' (the cell holds "{cell_text(value)[:80]}")' if self.ctx.show_values else ""

    def check(self, row: int, cells: list[object], order: int) -> Entry | None:
        """An entry for a valid row, or None when an error rejects it (findings say why)."""
        errors_before = len(self.result.findings)
        self.written = {}
        self.scan(row, cells)
        width = len(cells)
        v = {key: cells[col] if col < width else None for key, col in self.key_cols}
        source = cell_text(v.get("source"))
        note = source.startswith("#")
        self.range_end = None
        self.time_free = cell_text(v.get("time")) == ""  # words after the date may go to its place
        date, date_time, span = self._start(row, v.get("date"), cell_text(v.get("end_date")),
                                            v.get("end_time"))
        time = self._time(row, v.get("time"), "time", date,
                          end_free=cell_text(v.get("end_time")) == "", end_cell=v.get("end_time")
                          ) if "time" in v else None
        range_end = self.range_end
        if date_time is not None:
            self.dates_with_times = True
        elif date is not None:
            start = v.get("date")
            midnight = written_midnight(start)
            if midnight is None and (row, self.col_of["date"]) not in self.sheet.midnights:
                self.unstamped_rows += 1  # a Date with no time shown: not a date-only export
            elif time is None:
                if midnight:  # '03/03/2025 0000', '... midnight', '... 12am': a time, always
                    date_time = dt.time(0, 0)
                else:
                    self.typed_midnights.append(row)  # '04/01/2025 00:00', '4/1/2025 12:00 AM'
        time = self._one_time(row, time, date_time)
        end_date, end_dt_time = span or (
            self._date(row, v.get("end_date"), "end_date", required=False)
            if "end_date" in v else (None, None))
        end_time = (self._time(row, v.get("end_time"), "end_time", end_date or date)
                    if "end_time" in v else None)
        end_time = end_time or end_dt_time or range_end
        written = cell_text(v.get("event"))
        source, event, action, practitioner = (
            self._plain(row, key, text) for key, text in (
                ("source", source), ("event", written), ("action", cell_text(v.get("action"))),
                ("practitioner", cell_text(v.get("practitioner")))))
        if date is not None:
            self._date_rules(row, date, end_date, time, end_time, "date" if span else "end_date")
        if not note:
            if not source or is_ditto(source):
                self.add("source-missing", row, "source",
                         f"Row {row} has no Source of Information" + _ditto_said(source))
            if not event or is_placeholder(event) or markup_only(written) or is_ditto_mark(event):
                self.add("event-missing", row, "event", f"Row {row} has no Event / Contact Details"
                         + ("." if not written else " (only markup such as '<br>' or '&nbsp;' left "
                            "by a case system's export)." if markup_only(written)
                            else _ditto_said(event) if is_ditto_mark(event)
                            else " (only a placeholder such as 'n/a' or '-')."))
            else:
                self._event_words(row, event, date)
            if "action" in self.col_of and (not action or is_ditto(action)):
                self.add("action-missing", row, "action", f"Row {row} has no Action Taken / Outcome"
                         + _ditto_said(action, kept=True))
            if "practitioner" in self.col_of and (not practitioner or is_ditto(practitioner)):
                self.add("practitioner-missing", row, "practitioner",
                         f"Row {row} has no Practitioner / Role" + _ditto_said(practitioner, kept=True))
        agency = self._agency(row, v.get("agency"))
        if self.sheet.errors:
            self._error_cells(row, errors_before)
        errors = [f for f in self.result.findings[errors_before:] if f.severity == Severity.ERROR]
        if errors or date is None or agency is None:
            for col in [c for c, rows in self.html_rows.items() if rows[-1] == row]:
                self.html_rows[col].pop()  # a rejected row's values are shown as written
                if not self.html_rows[col]:
                    del self.html_rows[col]
            errors[0].values = self._original_values(cells) if errors else {}
            return None
        extras = {
            self.extra_names[col]: self._plain(row, col, cell_text(cells[col]))
            for col in self.header.extras if col < len(cells)
        }
        key_event = self._key_event(row, cell_text(v.get("key_event")), extras)
        extras.update(self.written)
        analysis = self._plain(row, "analysis", cell_text(v.get("analysis")))
        texts = (source, event, action, practitioner, analysis, *extras.values())
        # one search over the texts joined: the pattern matches single characters
        if ILLEGAL_CHARACTERS.search("".join(texts)):
            self.add("illegal-character", row, None,
                     f"Row {row} holds control characters that a workbook cannot store; they "
                     "were replaced with the mark \ufffd.")
            source, event, action, practitioner, analysis = (
                ILLEGAL_CHARACTERS.sub("\ufffd", t)
                for t in (source, event, action, practitioner, analysis))
            extras = {k: ILLEGAL_CHARACTERS.sub("\ufffd", t) for k, t in extras.items()}
            texts = (source, event, action, practitioner, analysis, *extras.values())
        if max(map(len, texts)) > CELL_TEXT_LIMIT // 2:
            self._long_cells(row, dict(zip(("source", "event", "action", "practitioner",
                                            "analysis"), texts[:5], strict=True)), extras)
            if max(map(len, texts)) > TEXT_KEEP_LIMIT:
                source, event, action, practitioner, analysis = (
                    _keep(t) for t in (source, event, action, practitioner, analysis))
                extras = {k: _keep(t) for k, t in extras.items()}
        entry = Entry(
            agency=agency, date=date, source=source, event=event, time=time,
            end_date=end_date, end_time=end_time, action=action, practitioner=practitioner,
            analysis=analysis,
            key_event=key_event,
            agency_ref=cell_text(v.get("ref")), file=self.ctx.file, sheet=self.sheet.name, row=row,
            order=order, extras=extras,
        )
        key = repeat_key(entry)  # the same key as a repeat in another file (collate.drop_repeats)
        if key in self.seen:  # said here, in row order; checked again once lines and notes are joined
            self.add("duplicate-row", row, "event", _repeats(row, self.seen[key]))
        else:
            self.seen[key] = row
        return entry

    def _plain(self, row: int, at: str | int, text: str) -> str:
        """A text cell (field key or column) as the text it shows: HTML markup turned into text
        (its rows said once per column by `report_html`), RTF kept as written with a warning."""
        if "<" not in text and "&" not in text and "{" not in text:
            return text
        col = self.col_of[at] if isinstance(at, str) else at
        if "{" in text and is_rtf(text):
            heading = self.header.headers.get(col, "")
            self.add_at("rtf-in-cell", row, col,
                        f"The {heading} cell in row {row} holds an RTF document (formatting codes "
                        "such as '{\\rtf1' and '\\par' from a case system's export); it is kept as "
                        "written, codes and all. Ask the agency for the text alone.")
            return text
        shown = html_text(text)
        if shown is None:
            return text
        self.html_rows.setdefault(col, []).append(row)
        return shown

    def report_html(self) -> None:
        """One warning per column with cells of HTML markup read as the text it shows."""
        for col, rows in sorted(self.html_rows.items()):
            heading = self.header.headers.get(col, "")
            many = len(rows) > 1
            self.add_at("html-in-cell", rows[0], col,
                        f"The {heading} {'cells' if many else 'cell'} in {rows_listed(rows, at_most=10)} "
                        f"{'hold' if many else 'holds'} HTML markup from a case system's export (such "
                        "as '<br>', '<p>' or '&amp;'); "
                        f"{'they were' if many else 'it was'} read as the text it shows: tags as line "
                        "breaks or left out, '&amp;' as '&'. Check the entries, and ask the agency "
                        "for a plain-text export.")

    def _event_words(self, row: int, event: str, date: PartialDate | None) -> None:
        """Warnings for an Event whose words change what the row means: an entry made in error
        or withdrawn, a late entry for an earlier day, a pointer to the row above. The row is
        kept as written either way (never dropped, never re-dated)."""
        heading = self.heading_of.get("event", "Event / Contact Details")
        points = withdrawn(event)
        if points is not None:
            self.add("entry-in-error", row, "event",
                     f"The {heading} of row {row} says an entry was made in error or withdrawn; the "
                     "row is kept in the chronology as an entry" + _WITHDRAWS[points]
                     + ". Ask the agency which entries stand.")
        day = late_entry(event)
        if day is not None and not _same_day(day, date):
            named = (f" ({day})" if day and self.ctx.show_values else "")
            self.add("late-entry", row, "event",
                     f"The {heading} of row {row} says it is a late or retrospective entry"
                     + (f" for an earlier day named in its {heading}{named}" if day else "")
                     + f"; the entry is kept on the day of its {self.heading_of.get('date', 'Date')} "
                     "cell, not re-dated, so its place in the chronology and its gaps may be "
                     "wrong. Ask the agency for the day of the event.")
        if refers_above(event):
            self.add("event-refers-above", row, "event",
                     f"The {heading} of row {row} points at the entry above it (such as 'as above' "
                     "or 'same as previous entry'); once sorted among other agencies' entries, the "
                     "row above is another entry, so the event says nothing of its own.")

    def _key_event(self, row: int, text: str, extras: dict[str, str]) -> bool | None:
        """A Key Event cell as yes (True), no (False) or blank (None). A cell in words is read by
        its first word ('Yes - first disclosure' is yes; Welsh 'Ie' and 'Na' too) with a note;
        any other text ('maybe') is no answer, with a warning. Either way the whole text is kept
        in the extra column KEY_EVENT_TEXT, never dropped."""
        answer, how = read_yes_no(text)
        if how == "plain":
            return answer
        extras[self.key_event_text] = text
        heading = self.heading_of.get("key_event", "Key Event")
        if how == "words":
            self.add("key-event-words", row, "key_event",
                     f"The {heading} in row {row} says more than yes or no; it was read as "
                     f"{'yes' if answer else 'no'} from its first word, and the whole text is kept "
                     f"in the column {self.key_event_text}.")
            return answer
        self.add("key-event-unclear", row, "key_event",
                 f"The {heading} in row {row} is not yes or no{self.quoted(text)}, so the entry is "
                 f"not marked as a key event; the text is kept in the column {self.key_event_text}.")
        return None

    def _long_cells(self, row: int, texts: dict[str, str], extras: dict[str, str]) -> None:
        """A cell-too-long warning at each cell longer than a workbook cell holds; the entry keeps
        the whole text (the combined workbook cuts it, see output.combined_workbook) up to
        TEXT_KEEP_LIMIT characters."""
        extra_col = {name: col for col, name in self.extra_names.items()}
        found = [(self.col_of[key], text) for key, text in texts.items() if key in self.col_of]
        found += [(extra_col[name], text) for name, text in extras.items() if name in extra_col]
        for col, text in sorted(found):
            if not too_long(text):
                continue
            heading = self.header.headers.get(col, "")
            self.add_at("cell-too-long", row, col,
                        f"The {heading} cell in row {row} holds {len(text):,} characters, more than "
                        f"the {CELL_TEXT_LIMIT:,} a workbook cell can hold: the combined workbook "
                        f"keeps its first {WORKBOOK_KEEPS:,} and marks the cut there; "
                        + ("the JSON and CSV exports and the Word chronology keep the whole text."
                           if len(text) <= TEXT_KEEP_LIMIT else
                           f"every other output keeps its first {TEXT_KEEP_LIMIT:,} and marks the "
                           "cut there."))

    def _original_values(self, cells: list[object]) -> dict[str, str]:
        return {
            text: cell_text(cells[col])
            for col, text in self.header.headers.items()
            if col < len(cells) and cell_text(cells[col])
        }

    def _date(self, row: int, value: object, key: str, *, required: bool
              ) -> tuple[PartialDate | None, dt.time | None]:
        heading = self.heading_of.get(key, key)
        if cell_text(value) == "":
            if required:
                self.add("date-missing", row, key, f"Row {row} has no date in the {heading} column.")
            return None, None
        try:
            read = parse_date(value, date1904=self.ctx.date1904)
        except DateError as exc:
            if not required and exc.reason == "invalid":
                # an optional End Date that is no date ('ongoing'): the entry is kept, as with an
                # unreadable time; an impossible or month-first one stays an error (never guessed)
                self.add("end-date-invalid", row, key,
                         f"The {heading} in row {row} cannot be read as a date{self.quoted(value)}, "
                         f"so the entry is kept without an end date. {exc}", hint=exc.hint or None)
                return None, None
            if exc.reason == "month-first":
                self.month_first.append(row)
            hint = exc.hint or None
            self.add("date-invalid", row, key,
                     f"The {heading} in row {row} cannot be read as a date{self.quoted(value)}. {exc}",
                     hint=hint)
            return None, None
        date = read[0]
        if date.precision == Precision.MONTH and two_digit_year_month(value):
            self.two_digit_years.setdefault(key, []).append(row)  # one warning a column
        if value.__class__ is str and value.rstrip()[-1:] in "Zz0123456789" and zone_moved(value):
            self.zone_moved.setdefault(key, []).append(row)  # one warning a column
        if value.__class__ is not str:
            # a number cell the spreadsheet shows as a number (a date cell comes as a date)
            if value.__class__ in (int, float) and date.precision == Precision.DAY and value < SERIAL_MAX:
                self.number_cells.setdefault(key, []).append(row)
            elif isinstance(value, dt.date) and date.day is not None:
                self.date_cells.setdefault(key, []).append((row, date.day, date.month or 0))
            return read
        if date.day is not None and date.day <= 12 and date.day != date.month:
            self.either_way.setdefault(key, []).append(row)
        elif date.day is not None and date.day > 12:
            self.text_days_over_12.setdefault(key, []).append(row)
        if "/" not in value and typed_serial(value):
            self._from_number(row, key, heading, date)
        return read

    def _from_number(self, row: int, key: str, heading: str, date: PartialDate) -> None:
        shown = f", {date.day} {date.start:%B %Y}" if self.ctx.show_values else ""
        self.add("date-from-number", row, key,
                 f"The {heading} in row {row} holds a number, not a date; it was read as a "
                 f"spreadsheet date number (days counted from "
                 f"{1904 if self.ctx.date1904 else 1900}{shown}). Check that it is the date "
                 "of the entry.")

    def _one_time(self, row: int, time: dt.time | None, date_time: dt.time | None) -> dt.time | None:
        """The Time column's time, else the time in the Date cell; a warning when both differ."""
        if time is None:
            return date_time
        if date_time is not None and time != date_time:
            self.add("time-conflict", row, "time",
                     f"Row {row} has a time in its {self.heading_of.get('date', 'Date')} cell that "
                     f"is not the time in its {self.heading_of.get('time', 'Time')} column; the "
                     f"{self.heading_of.get('time', 'Time')} column's time is used.")
        return time

    def keep_midnights(self, entries: list[Entry]) -> None:
        """A 00:00 typed after a date is a time when other Date cells hold real times (a log
        exported with its times) or no time at all (a midnight typed on some rows only); when
        every dated row shows 00:00 it is a date-only export ('2025-01-04 00:00:00'), and the
        entries stay without a time."""
        if not self.typed_midnights or not (self.dates_with_times or self.unstamped_rows):
            return
        rows = set(self.typed_midnights)
        kept = []
        for entry in entries:
            if entry.time is None and entry.row in rows and entry.sheet == self.sheet.name:
                entry.time = dt.time(0, 0)
                kept.append(entry.row)
        if kept:  # a guess either way (a call at midnight, or a date whose time is not known): said
            kept.sort()
            many = len(kept) > 1
            heading = self.heading_of.get("date", "Date")
            self.add("midnight-as-time", kept[0], "date",
                     f"The {heading} {'cells' if many else 'cell'} in {rows_listed(kept, at_most=10)} "
                     f"{'show' if many else 'shows'} the time 00:00 where other rows show real "
                     f"times or none, so {'they were' if many else 'it was'} read as midnight "
                     "(00:00).", hint="If an entry's time is not known, write its date alone.")

    def report_two_digit_years(self) -> None:
        """One warning per date column with cells of a month and two figures ('Mar-12'): read
        as a month and a two-digit year, though each could be a day of the month with no year."""
        for key, rows in self.two_digit_years.items():
            heading = self.heading_of.get(key, key)
            many = len(rows) > 1
            self.add("date-two-digit-year", rows[0], key,
                     f"The {heading} {'cells' if many else 'cell'} in {rows_listed(rows)} "
                     f"{'are' if many else 'is'} a month and two figures; "
                     f"{'they were' if many else 'it was'} read as the month and a two-digit "
                     "year, but each could be a day of the month with no year. Check "
                     f"{'them' if many else 'it'} and write the year in full.")

    def report_zone_moves(self) -> None:
        """One warning per date column of timestamps with a time zone whose UK clock time is not
        the time written ('2025-06-01T23:30:00Z' is 00:30 on 02/06 in the UK)."""
        for key, rows in self.zone_moved.items():
            heading = self.heading_of.get(key, key)
            many = len(rows) > 1
            self.add("time-zone-converted", rows[0], key,
                     f"The {heading} {'cells' if many else 'cell'} in {rows_listed(rows, at_most=10)} "
                     f"{'are timestamps' if many else 'is a timestamp'} with a time zone (such as "
                     "'Z' or '+01:00'); read as the UK clock then, the time, and at times the day, "
                     "is not the one written.")

    def report_number_cells(self) -> None:
        """One warning per date column whose cells the spreadsheet shows as numbers (45689), not
        dates: read as spreadsheet date numbers, which they nearly always are (an export that
        lost its date format), but a column of other numbers would be read the same way."""
        for key, rows in self.number_cells.items():
            heading = self.heading_of.get(key, key)
            many = len(rows) > 1
            self.add("date-from-number", rows[0], key,
                     f"The {heading} {'cells' if many else 'cell'} in {rows_listed(rows)} "
                     f"{'hold numbers' if many else 'holds a number'}"
                     f" the spreadsheet shows as {'numbers' if many else 'a number'} (such as 45689), "
                     f"not as {'dates' if many else 'a date'}; {'they were' if many else 'it was'} "
                     f"read as spreadsheet date numbers (days counted from "
                     f"{1904 if self.ctx.date1904 else 1900}). Check that the column holds the "
                     "dates of the entries.")

    def report_swapped_cells(self) -> None:
        """One warning per date column that mixes date cells, every one on a day up to 12, with
        dates typed as text on days over 12: what Excel set to US dates leaves of day-first
        typing (05/03/2025 stored as 3 May, 13/03/2025 left as text)."""
        for key, cells in self.date_cells.items():
            typed = self.text_days_over_12.get(key)
            if not typed or any(day > 12 for _, day, _ in cells) or all(
                    day == month for _, day, month in cells):
                continue
            heading = self.heading_of.get(key, key)
            rows = [row for row, _, _ in cells]
            self.add("date-maybe-month-first", rows[0], key,
                     f"The {heading} column mixes date cells ({rows_listed(rows)}), every one on a day "
                     f"of 12 or less, with dates typed as text on days over 12 ({rows_listed(typed)}): "
                     "what Excel leaves when day-first dates are typed on a computer set to US "
                     "dates (it swaps the day and month of the dates it can read that way). The "
                     "date cells were read as stored; if they were typed day first, their day and "
                     "month are the wrong way round.")

    def report_day_first(self, evidence: list[int]) -> None:
        """A warning at each typed date that reads both ways, when the return's dates show it
        writes month first (`evidence`: rows with a date that reads only month first)."""
        cells = [(row, key, self.sheet.rows[row - self.sheet.first_row][self.col_of[key]])
                 for key, rows in self.either_way.items() for row in rows]
        for row, key, value in sorted(cells, key=lambda found: found[0]):
            if not reads_month_first_too(value):
                continue
            shown = ""
            if self.ctx.show_values:
                date = parse_date(value, date1904=self.ctx.date1904)[0]
                shown = f" (as {date.day} {date.start:%B %Y})"
            self.add("date-maybe-month-first", row, key,
                     f"The {self.heading_of.get(key, key)} in row {row} was read day first"
                     f"{shown}, but this return appears to write dates month first: the "
                     f"{'date' if len(evidence) == 1 else 'dates'} in {rows_listed(evidence)} can only "
                     "be read month first. If this date is month "
                     "first too, the entry is on the wrong day.")

    def _start(self, row: int, value: object, end_text: str, end_time: object = None
               ) -> tuple[PartialDate | None, dt.time | None, tuple | None]:
        """The Date cell: (date, time, None), or for a range in the cell (start, time, (end,
        end time)) with a `date-range-split` finding; an End Date column that is also filled
        must agree with the range's end. `end_time` is the End Time cell (None without one)."""
        before = len(self.result.findings)
        date, date_time = self._date(row, value, "date", required=True)
        if date is not None or len(self.result.findings) != before + 1:
            return date, date_time, None
        found = parse_date_range(value, date1904=self.ctx.date1904)
        if found is None:
            return self._date_words(row, value, end_time)
        (start, start_time), (end, end_time) = found
        if end_text and end_text != cell_text(value):
            try:
                agrees = parse_date(end_text, date1904=self.ctx.date1904)[0] == end
            except DateError:
                agrees = False
            if not agrees:
                self.result.findings[-1].message = (
                    f"The Date in row {row} holds a date range, and the End Date column gives "
                    "another end; it is not clear which is right.")
                self.result.findings[-1].hint = ("Keep only the first date in the Date column and "
                                                 "the last date in the End Date column.")
                return None, None, None
        self.result.findings.pop()
        if self.month_first and self.month_first[-1] == row:
            self.month_first.pop()  # read as a range, day first: no sign of month-first dates
        shown = (f" ({start.display()} to {end.display()})" if self.ctx.show_values else "")
        self.add("date-range-split", row, "date",
                 f"The {self.heading_of.get('date', 'Date')} in row {row} holds a date range"
                 f"{shown}: its first date is read as the date and its last as the end date, so "
                 "the entry covers the whole period.")
        return start, start_time, (end, end_time)

    def _date_words(self, row: int, value: object, end_cell: object = None
                    ) -> tuple[PartialDate | None, dt.time | None, tuple | None]:
        """A Date cell with its time written another way ('14:30 03/03/2025', '03/03/2025 14:30
        BST', '03/03/2025 evening'): the date and start time, with a warning for what was not
        used; else the date-invalid finding `_date` gave stands. The end of a time range after
        the date ('03/03/2025 09:30 - 10:00') is the End Time when the End Time cell is absent
        or blank (`range_end`); an End Time cell of its own is kept, and said to differ."""
        found = read_date_words(value, date1904=self.ctx.date1904)
        worded = date_then_words(value, date1904=self.ctx.date1904)
        if found is None and worded is not None:  # '03/03/2025 - night shift', '... (late shift)'
            found = (worded[0], None, ("words",), None)
        if found is None:
            return None, None, None
        date, time, left_out, end = found
        self.result.findings.pop()
        if self.month_first and self.month_first[-1] == row:
            self.month_first.pop()
        heading = self.heading_of.get("date", "Date")
        unused = {"zone": "the time zone after the time (the time is taken as UK clock time)",
                  "end time": "the end time after the start time (put it in the End Time column)",
                  "words": "the words for the part of the day (the entry has no time)"}
        kept = ""
        if "words" in left_out and worded is not None and time is None:
            left_out = tuple(part for part in left_out if part != "words")
            if day_part_words(worded[1]) and self.time_free:
                self.written[self.time_text["time"]] = worded[1]
                kept = (f"; the words for the part of the day are kept in the column "
                        f"{self.time_text['time']} (the entry has no time)")
            elif day_part_words(worded[1]):
                kept = ("; the words for the part of the day were not used, as the Time cell gives "
                        "the time (they are kept with this finding)")
            else:
                kept = "; the words after the date were not used (they are kept with this finding)"
        ended = ""
        if end is not None:
            left_out = tuple(part for part in left_out if part != "end time")
            own = self._end_time_cell(end_cell)
            if own is None:
                self.range_end = end
                ended = "; the end time after the start time was read as the end time"
            elif own == end:
                ended = "; the end time after the start time is the one in the End Time column"
            else:
                end_heading = self.heading_of.get("end_time", "End Time")
                ended = ("; the end time after the start time was not used, because the "
                         f"{end_heading} cell gives another end time, which was kept: check "
                         "which is right")
        if left_out or ended or kept:
            said = self.add("date-extra-text", row, "date",
                     f"The {heading} in row {row} holds more than a date and a time; the date"
                     + (" and its time were" if time is not None else " was") + " read"
                     + (", but not " + " or ".join(unused[part] for part in left_out)
                        if left_out else "")
                     + ended + kept + ".")
            if kept:
                said.values = {heading: cell_text(value)}
        return date, time, None

    def _end_time_cell(self, value: object) -> object:
        """What the End Time cell holds: None when absent or blank, its time when it reads as
        one, else the cell itself (another value, which `_time` reports)."""
        if cell_text(value) == "":
            return None
        try:
            return parse_time(value)
        except TimeError:
            return value

    def _time(self, row: int, value: object, key: str, on: PartialDate | None = None,
              *, end_free: bool = False, end_cell: object = None) -> dt.time | None:
        if cell_text(value) == "":
            return None
        heading = self.heading_of.get(key, key)
        if (value.__class__ is float or value.__class__ is int) and value == 0:
            self.zero_times.setdefault(key, []).append(row)
            return None
        try:
            time = parse_time(value)
        except TimeError as exc:
            span = parse_time_range(value)
            if span is not None:
                return self._time_range(row, key, span, end_free, end_cell)
            self.written[self.time_text[key]] = cell_text(value)
            self.add("time-invalid", row, key,
                     f"The {heading} in row {row} cannot be read as a time{self.quoted(value)}, so the "
                     f"entry is kept without {'a time' if key == 'time' else 'an end time'}; its words are "
                     f"kept in the column "
                     f"{self.time_text[key]}. {exc}",
                     hint=exc.hint or None)
            return None
        kind = value.__class__
        if kind is dt.time or (kind is str and len(value) < 9):  # type: ignore[arg-type]
            return time
        if decimal_time(value):
            self.decimal_times.setdefault(key, []).append(row)
            return time
        other = time_cell_date(value, date1904=self.ctx.date1904)
        if other is not None and on is not None and (
                on.precision != Precision.DAY or (other.year, other.month, other.day)
                != (on.year, on.month, on.day)):
            self.add("time-other-day", row, key,
                     f"The {heading} in row {row} holds a date and time, and its date is not the "
                     f"entry's date{self.quoted(value)}; the entry is kept on its date without a "
                     "time, since it is not clear which day is right.")
            return None
        return time

    def _time_range(self, row: int, key: str, span: tuple[dt.time, dt.time], end_free: bool,
                    end_cell: object = None) -> dt.time:
        """A time range in a Time cell ('14:30-15:00'): its start, and its end as the End Time
        when the return has no End Time column or leaves it blank on that row."""
        heading = self.heading_of.get(key, key)
        used = key == "time" and end_free
        if used:
            self.range_end = span[1]
        same = key == "time" and not used and self._end_time_cell(end_cell) == span[1]
        self.add("time-range-split", row, key,
                 f"The {heading} in row {row} holds a time range: its start is read as the time"
                 + (" and its end as the end time." if used else
                    ", and its end is the one in the End Time column." if same else
                    ", and its end is not used, because the End Time cell gives another end time, "
                    "which was kept: check which is right." if key == "time" else
                    ", and its end is not used."))
        return span[0]

    def _cells_of(self, key: str, rows: list[int]) -> str:
        """The cells of a field's column in `rows`, the first 20 named: 'B2, B5 and more'."""
        col = self.sheet.first_col + self.col_of[key]
        return ", ".join(cell_name(r, col) for r in rows[:20]) + (" and more" if len(rows) > 20 else "")

    def report_decimal_times(self) -> None:
        """One warning per time column with numbers read as hours.minutes (9.3 for 9.30)."""
        for key, rows in self.decimal_times.items():
            heading = self.heading_of.get(key, key)
            cells = self._cells_of(key, rows)
            many = len(rows) > 1
            self.add("time-from-number", rows[0], key,
                     f"The {heading} {'cells' if many else 'cell'} {cells} "
                     f"{'hold times' if many else 'holds a time'} typed as a number (such as 9.30, "
                     "which a spreadsheet keeps as 9.3); "
                     f"{'they were' if many else 'it was'} read as hours and minutes (09:30). Check "
                     f"{'them' if many else 'it'}, and format the column as Text or as a time.")

    def report_zero_times(self) -> None:
        """One warning per time column with cells holding the number 0 and no time format."""
        for key, rows in self.zero_times.items():
            heading = self.heading_of.get(key, key)
            cells = self._cells_of(key, rows)
            many = len(rows) > 1
            self.add("time-from-number", rows[0], key,
                     f"The {heading} {'cells' if many else 'cell'} {cells} "
                     f"{'hold' if many else 'holds'} the number 0 with no time format (what a "
                     "formula copying a blank cell shows), not a time, so "
                     f"{'the entries were' if many else 'the entry was'} kept without a time. If "
                     f"{'an entry was' if many else 'it was'} at midnight, type 00:00.")

    def _date_rules(self, row: int, date: PartialDate, end_date: PartialDate | None,
                    time: dt.time | None, end_time: dt.time | None, end_key: str) -> None:
        if date.start > self.ctx.today:
            self.add("date-in-future", row, "date",
                     f"The date in row {row} is after today.")
        start, end = self.review.period_start, self.review.period_end
        if (start and date.last < start) or (end and date.start > end):
            self.add("date-outside-period", row, "date",
                     f"The date in row {row} is outside the review period "
                     f"({_period(start, end)}).")
        if end_date is not None:
            if end_date.last < date.start or (
                end_date == date and time and end_time and end_time < time
            ):
                self.add("end-before-start", row, end_key,
                         f"The end date in row {row} is before its start date.")
        elif end_time is not None and time is not None and end_time < time:
            self.add("end-next-day", row, "end_time",
                     f"The end time in row {row} is before its start time and there is no end date: "
                     "it is taken as the next day (an entry running past midnight). If so, put the "
                     "next day's date in the End Date column; if not, correct the times.")
        birth = self.review.subject_birth_date
        if birth is not None and date.last < birth:
            self.add("date-before-birth", row, "date",
                     f"The date in row {row} is before the subject's date of birth"
                     + (f" ({birth:%d/%m/%Y})" if self.ctx.show_values else "")
                     + ", so it cannot be about them as written. Check the year.")

    def _agency(self, row: int, value: object) -> str | None:
        if self.ctx.fixed_agency:
            return self.ctx.fixed_agency
        text = cell_text(value)
        if text:
            known = self.review.find_agency(text)
            several = _several_agencies(self.review, text) if known is None else []
            if several:
                return self._joint_agency(row, value, several)
            if known is None and self.ctx.file_agency and _names_with_others(
                    self.review, text, self.ctx.file_agency):
                own = self.ctx.file_agency
                self.add("agency-joint-entry", row, "agency",
                         f"The {self.heading_of.get('agency', 'Agency')} in row {row}"
                         f"{self.quoted(value)} names {self.review.label(own)}, whose return this "
                         "is, with others not in review.toml: the row is kept as "
                         f"{self.review.label(own)}'s entry (a joint contact).")
                return own
            if known is None and self.review.agencies:
                self.add("agency-not-listed", row, "agency",
                         f"The {self.heading_of.get('agency', 'Agency')} in row {row}"
                         f"{self.quoted(value)} names an agency that is not in review.toml "
                         f"({_listed(self.review)}), so the row is not put under any agency.",
                         hint=_not_listed_fix())
                return None
            return known.name if known else text
        if self.ctx.file_agency:
            return self.ctx.file_agency
        self.add("agency-unknown", row, "agency",
                 f"No agency could be determined for row {row}.")
        return None


    def _joint_agency(self, row: int, value: object, several: list[str]) -> str | None:
        """The agency of a row whose Agency cell names several agencies of the review ('ASC and
        Police'): the return's own agency when it is one of them (a joint visit it recorded, an
        info finding); else None and an error (whose entry it is is not guessed)."""
        heading = self.heading_of.get("agency", "Agency")
        own = self.ctx.file_agency
        if own in several:
            others = and_list([self.review.label(a) for a in several if a != own])
            self.add("agency-joint-entry", row, "agency",
                     f"The {heading} in row {row}{self.quoted(value)} names several agencies of the "
                     f"review: the row is kept as {self.review.label(own)}'s entry, whose return "
                     f"this is (a joint contact with {others}).")
            return own
        self.add("agency-several", row, "agency",
                 f"The {heading} in row {row}{self.quoted(value)} names several agencies of the "
                 f"review ({and_list([self.review.label(a) for a in several])}), "
                 + (f"none of them {self.review.label(own)}, whose return this is"
                    if own else "and the return does not say its own agency")
                 + ", so the row is not put under any agency.")
        return None


# An Agency cell naming several agencies: 'ASC and Police', 'ASC & Police', 'ASC/Police', 'Police, ASC'
_AGENCY_SEPARATORS = lazy_compile(r"\s*(?:[&+/,;]|\band\b)\s*", re.IGNORECASE)


# the same, with the words that join a name to others: 'Police (joint with Fire)', 'Police – with
# housing officer'
_JOINT_SEPARATORS = lazy_compile(r"\s*(?:[&+/,;()]|[-–—]\s|\b(?:and|with|joint|jointly)\b)\s*",
                               re.IGNORECASE)


def _names_with_others(review: Review, text: str, own: str) -> bool:
    """Whether an Agency cell names the return's own agency among other words or bodies not in
    review.toml ('Police and Fire', 'GP/practice nurse', 'Northshire Police (joint with Fire)')."""
    parts = [p for p in _JOINT_SEPARATORS.split(text) if p.strip()]
    return len(parts) >= 2 and any(
        (agency := review.find_agency(p)) is not None and agency.name == own for p in parts)


def _several_agencies(review: Review, text: str) -> list[str]:
    """The agencies of review.toml an Agency cell names, when it names two or more and every part
    of it is one ('ASC and Police'); else []."""
    parts = [p for p in _AGENCY_SEPARATORS.split(text) if p.strip()]
    if len(parts) < 2:
        return []
    found = [review.find_agency(p) for p in parts]
    if any(a is None for a in found):
        return []
    names = list(dict.fromkeys(a.name for a in found if a is not None))
    return names if len(names) >= 2 else []


# A nil return typed as a sentence: 'No contact with Adult D in the review period.', 'No known
# involvement during the period', 'Nil return - no involvement in the timeframe'
_NIL_SENTENCE = lazy_compile(
    r"^(?:nil(?: return)?\W*)?(?:there (?:was|has been|were) )?no (?:known |recorded )?"
    r"(?:contact|involvement|dealings|records?)\b[^.;]{0,80}?\b(?:in|during|within|throughout) "
    r"(?:the|this) (?:review |relevant |reporting |scoping )?(?:period|timeframe|time ?frame)\b"
    r"[^.;]{0,40}\.?$"
    # the short forms: 'Nil return', 'N/A - nil return', 'Nil return - no involvement'
    r"|^(?:n/?a\W*)?nil(?: return)?(?:\W+no (?:known |recorded )?(?:contact|involvement)\b"
    r"[^.;]{0,80})?\.?$", re.IGNORECASE)


def _nil_statement_row(sheet: RawSheet, header: HeaderMatch, result: ChronologyResult) -> int | None:
    """The row of a return whose only data row is a sentence saying there was no contact or
    involvement in the period, with no date (blank or 'N/A'): it was rejected, nothing else was
    read, and every other cell is blank or says nothing. Else None."""
    if result.entries or result.data_rows != 1 or result.rejected_rows != 1:
        return None
    rows = {f.row for f in result.findings if f.severity == Severity.ERROR and f.row is not None}
    if len(rows) != 1:
        return None
    row = rows.pop()
    index = row - sheet.first_row
    if not 0 <= index < len(sheet.rows):
        return None
    texts = [cell_text(v) for v in sheet.rows[index]]
    said = [t for t in texts if t and not says_nothing(t)]
    if len(said) != 1 or not _NIL_SENTENCE.match(" ".join(said[0].split())):
        return None  # the sentence may stand in any column, the Date's too: it is all it says
    return row


_AGENCY_WORDS = ("agency", "service", "provider", "organisation", "organization", "asiantaeth",
                 "sefydliad", "gwasanaeth", "darparwr")


def _agency_like(header: HeaderMatch) -> list[int]:
    """The extra columns that may name each row's agency: taken for the Agency and set aside, or
    headed with an agency-like word ('Service provider', 'Agency name')."""
    return [col for col, text in header.extras.items()
            if col not in header.unheaded and (header.set_aside.get(col) == "agency" or any(
                word in normalise_header(text) for word in _AGENCY_WORDS))]


def _listed(review: Review) -> str:
    """The agencies review.toml lists, for a message: 'it lists Police, GP and Housing'."""
    return "it lists " + and_list([a.short or a.name for a in review.agencies], at_most=8)


def _not_listed_fix() -> str:
    return ("If the cell means an agency in the review, add the name to that agency's aliases in "
            "review.toml (aliases = [\"...\"]); else correct the cell to the agency's name in "
            "review.toml and send the return again.")


def _period(start: dt.date | None, end: dt.date | None) -> str:
    def show(d: dt.date | None) -> str:
        return d.strftime("%d/%m/%Y") if d else "open"

    return f"{show(start)} to {show(end)}"


def _validate_rows(sheet: RawSheet, header: HeaderMatch, schema: Schema, ctx: Context,
                   result: ChronologyResult,
                   continued: list[tuple[RawSheet, HeaderMatch]] = ()) -> None:
    checker = _RowChecker(sheet, header, schema, ctx, result)
    review = ctx.review
    if ctx.fixed_agency and review.agencies and review.find_agency(ctx.fixed_agency) is None:
        shown = f' ("{ctx.fixed_agency[:80]}")' if ctx.show_values else ""
        result.findings.append(finding(
            "agency-not-listed", ctx.file,
            f"The 'Agency:' cell (on the Details sheet or above the table){shown} names an agency "
            f"that is not in review.toml ({_listed(review)}), so none of the return's rows is "
            "put under any agency.",
            hint=_not_listed_fix(), sheet=sheet.name,
        ))
        result.data_rows = _rows_under(sheet, header, continued)
        result.rejected_rows = result.data_rows
        return
    if "agency" not in checker.col_of and not (ctx.fixed_agency or ctx.file_agency):
        like = _agency_like(header)
        if like:
            message = (
                "No agency could be determined for this return (no Details sheet 'Agency:', no "
                "matching files pattern in review.toml, no --agency); the "
                f"{'column' if len(like) == 1 else 'columns'} {and_list([header.headers[c] for c in like])} "
                f"{'was' if len(like) == 1 else 'were'} not read as the Agency column.")
            hint = (f'If it gives each row\'s agency, use --map "{header.headers[like[0]]}=agency" '
                    "and make sure review.toml lists the agencies it names.")
        else:
            message = ("No agency could be determined for this return (no Details sheet 'Agency:', no "
                       "Agency column, no matching files pattern in review.toml, no --agency).")
            hint = None
            named = _sheet_named_after(sheet.name, review) if not ctx.word else None
            if named is not None:  # a sheet per agency: a file holds one agency's return
                message += (f" The sheet {sheet.name} is named after {named.name}, but a sheet's "
                            "name is not taken to say whose return a file is.")
                hint = ("If the file is that agency's return, fill in 'Agency:' on the Details sheet "
                        "or add the file's name to the agency's files in review.toml; if each sheet "
                        "is a different agency's chronology, save each as a file of its own named "
                        "after its agency.")
        result.findings.append(finding("agency-unknown", ctx.file, message, hint=hint, sheet=sheet.name))
        result.data_rows = _rows_under(sheet, header, continued)
        result.rejected_rows = result.data_rows
        return
    for f in checker.missing_recommended:
        code = f"{f.key}-missing"
        if code not in CATALOGUE:
            continue
        result.findings.append(finding(
            code, ctx.file, f"The chronology has no {f.heading} column; it is recommended.",
            sheet=sheet.name, row=result.header_row, column=f.heading,
        ))
    place = _read_table(sheet, header, checker, ctx, result, _Place())
    parts = [(sheet.name, checker)]
    for table, match in continued:
        result.findings.append(_carried_on(table, match, sheet, ctx))
        part = _RowChecker(table, match, schema, ctx, result)
        parts.append((table.name, part))
        part.seen = checker.seen  # a row repeated across the tables is still a duplicate
        place = _read_table(table, match, part, ctx, result, place)
    checkers = dict(reversed(parts))  # each sheet's first table's checker, for _check_order
    _check_order(result, checkers)
    evidence = sorted(row for _, part in parts for row in part.month_first)
    for _, part in parts if evidence else ():
        part.report_day_first(evidence)
    for _, part in parts:
        part.keep_midnights(result.entries)
        part.report_number_cells()
        part.report_two_digit_years()
        part.report_zone_moves()
        part.report_html()
        part.report_decimal_times()
        part.report_zero_times()
        part.report_swapped_cells()
    _duplicates_as_joined(result, dict(parts))
    for name, part in parts:
        if part.identifiers is not None:
            practitioners = [e.practitioner for e in result.entries if e.sheet == name]
            result.findings.extend(part.identifiers.findings(
                ctx.file, name, practitioners=practitioners, word=ctx.word,
                show_values=ctx.show_values))
    result.agencies = sorted({e.agency for e in result.entries})
    nil_row = _nil_statement_row(sheet, header, result) if not continued else None
    if nil_row is not None:
        result.findings = [f for f in result.findings if f.row != nil_row or f.sheet != sheet.name]
        result.data_rows = result.rejected_rows = 0
        result.findings.append(finding(
            "nil-return", ctx.file,
            f"The only row under the header (row {nil_row}) says, with no date, that there was no "
            "contact or involvement in the review period: a nil return (no involvement).",
            sheet=sheet.name, row=nil_row,
        ))
        return
    if result.data_rows == 0:
        result.findings.append(finding(
            "nil-return", ctx.file,
            "The return has a header row and no entries: a nil return (no involvement).",
            sheet=sheet.name, row=result.header_row,
        ))


def _unsaved_rows(sheet: RawSheet, filler: list[int], checker: _RowChecker, result: ChronologyResult,
                  read: bool) -> list[int]:
    """The template-like rows whose formulas were never calculated: what they show is not known,
    so each is a rejected row (never an unused template row, never a nil return). A formula saved
    with an empty value and no type (as openpyxl writes every formula) counts as never calculated
    when no row of the table was read (`read`): a whole return is never taken as nil on it.
    Returns the rows that are unused template rows."""
    unknown = {row for row, _ in sheet.formulas_without_value} if not read else set()
    unsaved = [row for row in filler if row in sheet.unsaved_rows or row in unknown]
    if not unsaved:
        return filler
    for row in unsaved:
        cols = sorted(col for r, col in sheet.formulas_without_value if r == row)
        result.data_rows += 1
        result.rejected_rows += 1
        result.findings.append(finding(
            "formula-cell", checker.ctx.file,
            f"Row {row} of the sheet {sheet.name} holds formulas that were saved with no value (the "
            "program that wrote the workbook did not calculate them), so what the row shows is not "
            "known; it was not read as an entry.", hint=CALCULATE_HINT, severity=Severity.ERROR,
            sheet=sheet.name, row=row, cell=cell_name(row, cols[0] if cols else sheet.first_col)))
    result.unsaved_rows.extend(unsaved)
    taken = set(unsaved)
    return [row for row in filler if row not in taken]


@dataclass(slots=True)
class _Place:
    """Where reading has got to: the next entry's order, and the entry a wrapped line joins."""

    order: int = 0
    previous: Entry | None = None


def _read_table(sheet: RawSheet, header: HeaderMatch, checker: _RowChecker, ctx: Context,
                result: ChronologyResult, place: _Place) -> _Place:
    """Read one table's rows (merged cells filled, dividers found), carrying on from `place`."""
    notes: dict[int, int] = {}
    dividers = find_dividers(sheet, header.row_index + 1, header.columns, header.headers, notes)
    dividers.update(dict.fromkeys(header.repeats, REPEATED_HEADER))
    _fill_merged(sheet, header, ctx, result, dividers)
    return _read_rows(sheet, header, checker, ctx, result, dividers, place, notes)


def _check_order(result: ChronologyResult, checkers: dict[str, _RowChecker]) -> None:
    """Warn at the first row out of order on each sheet (sheets per period may come newest first
    while each runs oldest first); a descending sheet is valid and is re-ordered."""
    by_sheet: dict[str, list[Entry]] = {}
    for entry in result.entries:
        by_sheet.setdefault(entry.sheet, []).append(entry)
    for entries in by_sheet.values():
        _check_sheet_order(entries, checkers)


def _check_sheet_order(entries: list[Entry], checkers: dict[str, _RowChecker]) -> None:
    dated = [e for e in entries if not e.is_note]
    if len(dated) < 2:
        return
    descending = dated[0].date.start > dated[-1].date.last
    # a month or year covers its days: 'mid-March 2025' after 'w/c 03/03/2025' is in order; an
    # entry is out of order only when the whole of its period is before (after) one listed earlier
    bound = dated[0].date.last if descending else dated[0].date.start
    for entry in dated[1:]:
        wrong = entry.date.start > bound if descending else entry.date.last < bound
        bound = min(bound, entry.date.last) if descending else max(bound, entry.date.start)
        if wrong:
            checkers[entry.sheet].add("out-of-order", entry.row, "date",
                        f"Row {entry.row} is out of date order: the "
                        f"{'return' if len(checkers) == 1 else 'sheet'} is otherwise "
                        f"{'newest' if descending else 'oldest'} first.")
            break
    if descending:  # the sheet's own entries, last first
        in_order = sorted(entries, key=lambda e: e.order)
        for entry, order in zip(in_order, reversed([e.order for e in in_order]), strict=True):
            entry.order = order


def _read_rows(sheet: RawSheet, header: HeaderMatch, checker: _RowChecker, ctx: Context,
               result: ChronologyResult, dividers: dict[int, RowShape], place: _Place,
               dated_notes: dict[int, int]) -> _Place:
    """Validate each data row; dividers, template filler, continuations and the text under the
    table are reported as what they are (see row_shapes) and are not data rows. A note with a
    date in it written across the table (`dated_notes`, index -> column) joins the entry right
    above it; with none, it is what its shape says (a dated heading, a row missing its cells)."""
    start = header.row_index + 1
    shapes = classify_rows(sheet, start, header.columns, header.headers, dividers,
                           lambda value: _reads_as_date(value, ctx.date1904),
                           after_entry=ctx.word and place.previous is not None)
    order = place.order
    previous = place.previous
    filler: list[int] = []
    after: list[int] = []
    formula_rows = {r for r, _ in sheet.formulas}  # a row of formulas showing nothing: template
    for offset, shape in enumerate(shapes):
        index = start + offset
        cells = sheet.rows[index]
        row, _ = sheet.cell_ref(index, 0)
        if sheet.struck and shape.shape in (Shape.DATA, Shape.CONTINUATION) and _struck_out(
                checker, row, cells):
            previous = None  # a withdrawn row: no entry, nothing joins it
            continue
        if (index in dated_notes and previous is not None and shape.shape in (Shape.DATA, Shape.DIVIDER)
                and _note_joins(cell_text(cells[dated_notes[index]]), previous)):
            result.findings[:] = [f for f in result.findings if not (  # the note moved no entry's text
                f.code == "merged-across" and f.sheet == sheet.name and f.row == row)]
            _join_note(checker, row, cells, RowShape(Shape.DIVIDER, "a note", dated_notes[index]), previous)
            continue
        if shape.shape == Shape.CONTINUATION and previous is not None:
            if _own_date(checker, row, cells, shape, previous):
                result.data_rows += 1
                result.rejected_rows += 1
                order += 1
                previous = None
            else:
                _join(checker, row, cells, shape, previous)
            continue
        if shape.shape == Shape.PAGE_TEXT and shape.repeats is not None:  # a printed page's heading
            first, _ = sheet.cell_ref(shape.repeats, 0)
            result.findings[:] = [f for f in result.findings if not (  # its merges moved no entry's text
                f.code == "merged-across" and f.sheet == sheet.name and f.row == row)]
            checker.add_at("page-text", row, shape.col or 0,
                           f"Row {row} repeats row {first}, a line of the page heading printed above "
                           "the column headings (a printed report's next page); it was skipped, not "
                           "read as an entry.")
            continue
        if shape.shape == Shape.PAGE_TEXT:  # a page's furniture: the entry may go on below it
            checker.add_at("page-text", row, shape.col or 0,
                           f"Row {row} holds only page text (a page number or a 'continued' "
                           "line), not an entry; it was skipped and not added to any entry.")
            continue
        if shape.shape == Shape.REPEATED_HEADER:
            checker.add_at("repeated-header", row, _first_filled(cells),
                           f"Row {row} repeats the column headings (a page break in a printed "
                           "table); it was skipped, not read as an entry.")
            continue
        if shape.shape == Shape.DIVIDER and shape.kind == "a note" and previous is not None and (
                _note_joins(cell_text(cells[shape.col or 0]), previous)):
            _join_note(checker, row, cells, shape, previous)  # a case note under its record
            continue
        previous = None
        if shape.shape == Shape.BLANK:
            if row in formula_rows or row in sheet.unsaved_rows:
                filler.append(row)
            continue
        if shape.shape == Shape.DIVIDER:
            _report_divider(checker, row, cells, shape)
        elif shape.shape == Shape.FILLER:
            filler.append(row)
        elif shape.shape == Shape.AFTER_TABLE:
            after.append(row)
            if sheet.name == result.sheet:  # a total at the foot: its formulas are no entry's cells
                result.total_rows.append(row)
        elif shape.shape == Shape.TOTAL:
            _report_total(checker, row, shape)
        elif shape.shape == Shape.INSTRUCTIONS:
            checker.add("instruction-row", row, "date",
                        f"Row {row} gives the template's instructions (how to write a date) under "
                        "the headings; it is not read as an entry.")
        else:
            result.data_rows += 1
            entry = checker.check(row, cells, order)
            order += 1
            if entry is None:
                result.rejected_rows += 1
            else:
                result.entries.append(entry)
                previous = entry
                _several_events(checker, entry)
    # rows of formulas under the last value read (readers drop rows that show nothing)
    end = sheet.first_row + len(sheet.rows)
    filler.extend(sorted(r for r in formula_rows | sheet.unsaved_rows if r >= end))
    filler = _unsaved_rows(sheet, filler, checker, result, order > place.order)
    if sheet.name == result.sheet:  # Word tables that carry it on have no formula cells
        result.filler_rows.extend(filler)
    if filler:
        one = len(filler) == 1
        result.findings.append(finding(
            "template-rows", ctx.file,
            f"{_count(len(filler), 'unused template row')} ({rows_listed(filler)}) "
            f"{'holds' if one else 'hold'} only a row number, a formula result, a default value "
            f"or a placeholder such as 'n/a' or '-'; {'it is' if one else 'they are'} skipped, not "
            "read as entries.",
            sheet=sheet.name, row=filler[0],
        ))
    if after:
        # a row under the table is not read: its merged cells moved no text of an entry
        listed = set(after)
        result.findings[:] = [f for f in result.findings if not (
            f.code == "merged-across" and f.sheet == sheet.name and f.row in listed)]
        what = ("is not read as an entry" if len(after) == 1
                else "are not read as entries")
        result.findings.append(finding(
            "text-after-table", ctx.file,
            f"The chronology table ends before row {after[0]}: {rows_listed(after)} under it (a "
            f"sign-off, a total, a key or notes) {what}.",
            sheet=sheet.name, row=after[0],
            cell=None if ctx.word else cell_name(after[0], sheet.first_col + _first_filled(
                sheet.rows[after[0] - sheet.first_row])),
        ))
    return _Place(order, previous)


def _report_total(checker: _RowChecker, row: int, shape: RowShape) -> None:
    """A total or count inside the table (a subtotal for a year, with entries under it): no entry,
    and its merged cells moved no text of an entry."""
    name = checker.sheet.name
    checker.result.findings[:] = [f for f in checker.result.findings if not (
        f.code == "merged-across" and f.sheet == name and f.row == row)]
    checker.add_at("total-row", row, shape.col or 0,
                   f"Row {row} holds only a total or a count (such as a subtotal for a year, with "
                   "entries under it), not an entry; it was skipped.")
    if name == checker.result.sheet:  # its formulas are no entry's cells (see _formulas_again)
        checker.result.total_rows.append(row)


def _reads_as_date(value: object, date1904: bool) -> bool:
    try:
        parse_date(value, date1904=date1904)
    except DateError:
        return False
    return True


def _struck_out(checker: _RowChecker, row: int, cells: list[object]) -> bool:
    """Whether the row is struck through in full (withdrawn by its author: `struck-through`, no
    entry); otherwise each of its cells with struck text is named (`struck-text`)."""
    event = checker.col_of.get("event")
    if struck_out(checker.sheet, row, cells, event):
        checker.add_at("struck-through", row, event or 0, withdrawn_message(row))
        return True
    for col, whole in struck_cells(checker.sheet, row, cells):
        heading = checker.header.headers.get(col) or f"column {column_letter(checker.sheet.first_col + col)}"
        cell = None if checker.ctx.word else cell_name(row, checker.sheet.first_col + col)
        checker.add_at("struck-text", row, col, struck_message(row, heading, cell, whole))
    return False


def _report_divider(checker: _RowChecker, row: int, cells: list[object], shape: RowShape) -> None:
    col = shape.col or 0
    what = shape.kind
    if checker.ctx.show_values:
        what += f': "{cell_text(cells[col] if col < len(cells) else None)[:80]}"'
    if shape.kind == "a note":  # a case note written across the table: its words are in no entry
        shown = what.removeprefix("a note")  # ': "…"' with --show-values
        checker.add_at("note-row", row, col,
                       f"Row {row} is a note written across the table{shown}, a sentence rather "
                       "than a heading, not an entry: its text is not in the chronology.")
        return
    if shape.kind == "a dated heading":  # a day in it: maybe an event, so said as a warning
        said = checker.add_at("divider-row", row, col,
                              f"Row {row} is a heading written across the table with a date in it"
                              f"{what.removeprefix('a dated heading')}, not an entry; it was "
                              "skipped, and it gives no date to the rows under it.")
        said.severity = Severity.WARNING
        said.hint = ("If the row records an event, give it a row of its own with its Date, Source "
                     "and Event.")
        return
    checker.add_at("divider-row", row, col,
                   f"Row {row} is a divider ({what}), not an entry; it was skipped, and it gives "
                   "no date to the rows under it.")


def _join(checker: _RowChecker, row: int, cells: list[object], shape: RowShape, entry: Entry) -> None:
    """Add a wrapped line typed into the next row (its Event, Action or Analysis text, one or
    several) to the text of the entry above it; a field it gives that the entry lacked is no
    longer said to be missing. When the row gives an Action that reads as one of its own under
    an entry that had one, it is still joined (a continuation by its shape), with a warning."""
    cols = shape.cols or (shape.col or 0,)
    checker.scan(row, cells, list(cols))
    keys = [checker.header.columns[col] for col in cols]
    added = {key: ILLEGAL_CHARACTERS.sub("\ufffd", cell_text(cells[col]))
             for key, col in zip(keys, cols, strict=True)}
    had = {key: getattr(entry, key) for key in keys}
    for key in keys:
        setattr(entry, key, f"{had[key]}\n{added[key]}" if had[key] else added[key])
    _unsay_missing(checker, entry, [key for key in keys if not had[key]])
    col = cols[0]
    what = " and ".join(checker.heading_of[key] for key in keys)
    where = f"row {entry.row}" + (f" of {entry.sheet}" if entry.sheet != checker.sheet.name else "")
    if "event" in added and starts_with_day_month(added["event"]):
        checker.add_at("continuation-day-month", row, col,
                       f"Row {row} has no date and no source, only more {what}: its text was added "
                       f"to the entry in {where}, but it starts with what may be a day and a month "
                       "without a year, like another day's event.")
        return
    said = checker.add_at("continuation-row", row, col,
                          f"Row {row} has no date and no source, only more {what}: it continues the "
                          f"entry in {where}, and its text was added to that entry.")
    if len(keys) > 1 and had.get("action") and starts_anew(added["action"]):
        said.severity = Severity.WARNING
        said.message += (f" The entry in {where} already had an {checker.heading_of['action']}, and "
                         f"row {row}'s reads like another one: check that row {row} is not an entry "
                         "of its own missing its date and source.")
        said.hint = (f"If row {row} is an event of its own, give it its Date and Source; if it goes "
                     f"on the entry in {where}, nothing to do.")


def _unsay_missing(checker: _RowChecker, entry: Entry, keys: list[str]) -> None:
    """Take back what was said of the entry's row lacking a field a joined line gave it
    ('Row 3 has no Action Taken / Outcome' when row 4 holds its outcome)."""
    codes = {f"{key}-missing" for key in keys}
    if codes:
        checker.result.findings[:] = [f for f in checker.result.findings if not (
            f.code in codes and f.row == entry.row and f.sheet == entry.sheet)]


def starts_anew(value: str) -> bool:
    """Whether a line reads as a sentence of its own rather than the rest of one: it starts
    with a capital letter or a digit ('Discussed with team leader'; not 'and referred to GP')."""
    first = value.lstrip(" \t\n\"'‘“(-•*")[:1]
    return first.isdigit() or first.isupper()


def _note_joins(text: str, entry: Entry) -> bool:
    """Whether a note written across the table may join the entry above: not a remark on the
    document itself ('Note: chronology updated 01/05/2025'), and every day it names is a day that
    entry covers. 'Visit 17/03/2025 - SW attended…' under a 10/03 entry is an event of its own
    day, never joined to another's (it keeps the shape it has: a rejected row, a heading)."""
    if ABOUT_THE_DOCUMENT.search(text) or NOTE_ABOUT_THE_DOCUMENT.search(text):
        return False
    days = note_days(text)
    if days is None:
        return False
    return not days or (entry.date.precision == Precision.DAY
                        and all(entry.first_day <= day <= entry.last_day for day in days))


def _join_note(checker: _RowChecker, row: int, cells: list[object], shape: RowShape, entry: Entry
               ) -> None:
    """Add a sentence written across the table straight under an entry (a case-note export's
    note under its record) to that entry's Event, on a new line, and say so: a warning, as the
    sentence may be a remark of its own rather than that record's note."""
    col = shape.col or 0
    checker.scan(row, cells, [col])
    added = ILLEGAL_CHARACTERS.sub("\ufffd", cell_text(cells[col]))
    entry.event = f"{entry.event}\n{added}" if entry.event else added
    checker.add_at("note-row", row, col,
                   f"Row {row} is a note written across the table, a sentence rather than a heading, "
                   f"under the entry in row {entry.row}: its text was added to that entry's "
                   f"{checker.heading_of['event']}. Check that the note belongs to that entry.")


def _own_date(checker: _RowChecker, row: int, cells: list[object], shape: RowShape, entry: Entry
              ) -> bool:
    """Whether a row that would continue the entry above starts its Event text with a date of
    its own ('14/03/2024 Phone call from bank'): an entry of its own, never joined to another's
    date; it is rejected (no date, no source) with an error saying so."""
    col = next((c for c in shape.cols or (shape.col or 0,) if checker.header.columns.get(c) == "event"), None)
    if col is None or not starts_with_date(cell_text(cells[col])):
        return False  # a dated Action line ('20/03/2024 review booked') is a plan: joined
    heading = checker.heading_of[checker.header.columns[col]]
    checker.add_at("dated-row-not-joined", row, col,
                   f"Row {row} has no date and no source, but its {heading} starts with a date of "
                   f"its own, like an entry of its own: it was not added to the entry in row "
                   f"{entry.row}, and without a date and a source it is rejected.")
    return True


def _repeats(row: int, first: int) -> str:
    return f"Row {row} repeats the entry in row {first} (the same in every column)."


def _duplicates_as_joined(result: ChronologyResult, checkers: dict[str, _RowChecker]) -> None:
    """The duplicate rows of a return as its entries finally read, with the wrapped lines and the
    notes under them joined: two rows alike but followed by different notes are two entries (its
    `duplicate-row` is taken back), two alike once joined are one repeated (said, if not yet)."""
    said = {(f.sheet, f.row): f for f in result.findings if f.code == "duplicate-row"}
    first: dict[tuple, Entry] = {}
    wrong: set[int] = set()
    for entry in result.entries:
        earlier = first.setdefault(repeat_key(entry), entry)
        found = said.get((entry.sheet, entry.row))
        if earlier is entry:
            if found is not None:
                wrong.add(id(found))
        elif found is not None:
            found.message = _repeats(entry.row, earlier.row)
        else:
            checkers[entry.sheet].add("duplicate-row", entry.row, "event", _repeats(entry.row, earlier.row))
    result.findings[:] = [f for f in result.findings if id(f) not in wrong]


def _several_events(checker: _RowChecker, entry: Entry) -> None:
    """A warning when two or more lines of an entry's event text start with dates of their own
    (a day and month without a year counts):
    several events written into one cell, all under the row's date (one dated line, such as a
    follow-up agreed for a later day, is a plan, not a second event)."""
    lines = entry.event.splitlines() if entry.event else []
    dated = dated_lines(lines) if len(lines) > 1 else 0  # '14/03 dressing changed' counts too
    if dated >= 2:
        checker.add("several-events-in-cell", entry.row, "event",
                    f"The {checker.heading_of['event']} cell of row {entry.row} holds several dated "
                    f"events ({dated} of its {len(lines)} lines start with a date of their own); only "
                    "the row's date is used for all of them — split them into rows, one event each.")


_WITHDRAWS = {
    "self": ", and if it withdraws the entry before it, that entry is still in the chronology too",
    "next": ", and so is the next entry it points to",
    "previous": ", and so is the entry before it, which it withdraws",
}


def _ditto_said(value: str, *, kept: bool = False) -> str:
    """The end of a missing-cell message: '.', or why a ditto mark ('"', 'do.') says nothing."""
    if not value or not is_ditto(value):
        return "."
    return (" (only a ditto mark or 'as above', which points at the row above: once sorted among "
            "other agencies' entries, that is another entry's" + ("; it is kept as written)." if kept
                                                                  else ")."))


def _same_day(day: str, date: PartialDate | None) -> bool:
    """Whether a day named in an Event ('12/03/2025') is the entry's own date: then a late entry
    is already on its day. A day that cannot be read, or has no year, is not."""
    if not day or date is None or date.precision != Precision.DAY:
        return False
    try:
        named, _ = parse_date(day)
    except DateError:
        return False
    return named.precision == Precision.DAY and (named.year, named.month, named.day) == (
        date.year, date.month, date.day)


def _first_filled(cells: list[object]) -> int:
    return next((i for i, v in enumerate(cells) if cell_text(v)), 0)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


