"""The combined chronology workbook (its layout: formats/combined_layout.py), for working in Excel
or LibreOffice and for printing for a workshop.

Written with xlsxwriter in constant-memory mode: each row goes to disk as it is written, so a
review of 100,000 entries costs little memory. Formats are made once per workbook. Every text value
is written as a text cell (never a formula or a link); dates are real date cells whose number
format shows the date as its author wrote it (`dd/mm/yyyy`, `mmmm yyyy`, `yyyy`, `"?"` in front
when uncertain), so sorting and filtering by Date in a spreadsheet gives the chronological order.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxFileError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from sarkit import __version__
from sarkit.account import UNREAD_CODES, caveats, identifier_lines
from sarkit.ages import age_range, age_text, days_since_previous
from sarkit.chronology import WORKBOOK_KEEPS, cut_mark
from sarkit.collate import Collation
from sarkit.dates import PartialDate, format_time
from sarkit.entries import Entry, several_sheets, source_row
from sarkit.formats.combined_layout import (
    AGENCIES_COLUMNS,
    CHRONOLOGY_COLUMNS,
    CORRECTIONS_COLUMNS,
    CORRECTIONS_SHEET,
    DATE_FORMATS,
    FINDINGS_COLUMNS,
    GAPS_COLUMNS,
    GLOSSARY_COLUMNS,
    GLOSSARY_SHEET,
    KEY_EVENTS_VIEW,
    NO_ENTRIES,
    NO_KEY_EVENTS,
    OLD_COLUMNS,
    OVERLAPS_COLUMNS,
    format_precision,
)
from sarkit.formats.values_part import EXCEL_EPOCH, SheetValues, ValuesRecord, add_values_part
from sarkit.output.colours import agency_colours
from sarkit.output.office_mark import mark_core_properties
from sarkit.output.row_heights import (
    CHARACTERS_PER_WIDTH,
    MAX_HEIGHT,
    row_height,
    row_heights,
    wrapped_lines,
)
from sarkit.output.safe_text import EXCEL_CELL_LIMIT, TextCleaner
from sarkit.output.text_width import text_points
from sarkit.output.xml_rows import RowWriter, utf16_fit
from sarkit.output.zip_level import zip_level
from sarkit.wording import day

CHRONOLOGY_WIDTHS = (8, 11, 6, 12, 16, 46, 30, 16, 26, 6, 18, 8, 18, 7)
SOURCE_FILE = 12  # the Chronology's Source File column: as wide as its longest file name
SOURCE_FILE_WIDEST = 40
ADDED_WIDTHS = {"End Date": 11, "End Time": 6, "Age": 7, "Days Since Previous": 9}
EXTRA_WIDTH = 16
DATE_FORMAT = "dd/mm/yyyy"
HEADER_HEIGHT = 27.0  # two lines of bold 10-point headings: the header row's least height
HEADER_SIZE = 10
HEADER_LINE = 13.0  # points a further line of a 10-point heading takes
PAPER_A3 = 8
FIRST_EXCEL_DAY = dt.date(1900, 3, 1)  # earlier days are not date cells in every program
YES_NO = {True: "Y", False: "N", None: ""}
DETAIL_LABELS = {  # Details block labels (lower case, without ':') for the Agencies sheet
    "Author": ("author", "author name", "name of author", "completed by", "prepared by"),
    "Role": ("role", "author role", "job title", "position", "designation"),
    "Date Completed": ("date completed", "completed on", "date of completion", "completion date"),
}


class _Styles:
    """Every cell format of one workbook, each made once (xlsxwriter writes each into styles.xml)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.made: dict[tuple, Format] = {}

    def __call__(self, background: str | None = None, number_format: str | None = None,
                 *, bold: bool = False, size: float = 9) -> Format:
        key = (background, number_format, bold, size)
        cell = self.made.get(key)
        if cell is None:
            properties: dict[str, object] = {"text_wrap": True, "valign": "top", "font_size": size,
                                             "border": 1, "border_color": "#BFBFBF"}
            if number_format:  # only dates have one: shown like the text beside them
                properties["num_format"] = number_format
                properties["align"] = "left"
            if background:
                properties["bg_color"] = background
            if bold:
                properties["bold"] = True
            cell = self.made[key] = self.book.add_format(properties)
        return cell


def _fit(text: str) -> str:
    """`text`, or its start with a cut mark when a cell cannot hold it (counted in UTF-16 units,
    as Excel does: an emoji counts 2)."""
    if utf16_fit(text, EXCEL_CELL_LIMIT) is not text:
        kept = utf16_fit(text, WORKBOOK_KEEPS)
        return kept + cut_mark(len(text) - len(kept))
    return text


def _as_datetime(value: dt.date) -> dt.datetime:
    return dt.datetime(value.year, value.month, value.day)


def _page_setup(sheet: Worksheet, collation: Collation) -> None:
    """The same print settings on every sheet: A3 landscape, fit to the page width, the header row
    on every page, the marking and the reference in the page header, page numbers in the footer."""
    review = collation.review

    def escape(text: str) -> str:
        return text.replace("&", "&&")

    marking = escape(review.marking)
    sheet.set_landscape()
    sheet.set_paper(PAPER_A3)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    sheet.set_header(f'&L&"Arial,Bold"{marking}&C{escape(review.reference)} — '
                     f'{escape(review.subject)}&R&"Arial,Bold"{marking}')
    sheet.set_footer(f"&L{escape(review.reference)}&CPage &P of &N&R&A")


def _header(sheet: Worksheet, styles: _Styles, columns: Sequence[str], widths: Sequence[float],
            *, freeze_columns: int = 0) -> None:
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_row(0, header_height(columns, widths))
    sheet.write_row(0, 0, columns, styles(background="#D9D9D9", bold=True, size=HEADER_SIZE))
    sheet.freeze_panes(1, freeze_columns)


def header_height(columns: Sequence[str], widths: Sequence[float]) -> float:
    """The header row's height: enough for its longest heading wrapped in its column (xlsxwriter
    cannot autofit, so the lines are counted), so a long heading (a return's own column name kept
    as an extra, "Key Event (as written)") is printed whole; at least HEADER_HEIGHT."""
    per_width = CHARACTERS_PER_WIDTH * 9 / HEADER_SIZE
    lines = max((wrapped_lines(name, int(width * per_width)) for name, width in zip(columns, widths,
                                                                                   strict=True)),
                default=1)
    return min(MAX_HEIGHT, HEADER_HEIGHT + max(0, lines - 2) * HEADER_LINE)


def write_combined_workbook(collation: Collation, path: Path, *, sources: Sequence[str] = (),
                            key_events: bool = False) -> None:
    """Write the sheets of DESIGN.md §5 and §11 to `path` (the caller makes the write atomic).
    With `key_events`, the Chronology holds only the entries marked Key Event."""
    # constant memory keeps each sheet's rows in a scratch file until the workbook is zipped:
    # personal data, so the scratch files stay beside the output and go whatever happens
    record = None if key_events else ValuesRecord()  # the values part, for reading back quickly
    with tempfile.TemporaryDirectory(prefix=".sarkit-", dir=Path(path).parent,
                                     ignore_cleanup_errors=True) as scratch:
        book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "tmpdir": scratch,
        })
        try:
            _write_sheets(book, collation, sources, key_events=key_events, record=record)
            close(book)
        except BaseException:
            _release(book)
            raise
    mark_core_properties(path)
    if record is not None:
        add_values_part(path, record)


READ_BACK = ("Chronology", "Agencies", GLOSSARY_SHEET, "About")  # the sheets sarkit reads again


def _write_sheets(book: xlsxwriter.Workbook, collation: Collation, sources: Sequence[str], *,
                  key_events: bool, record: ValuesRecord | None = None) -> None:
    styles = _Styles(book)
    clean = TextCleaner(collation.review.pseudonyms)
    colours = agency_colours(collation.agency_order)
    _chronology(book.add_worksheet("Chronology"), collation, clean, styles, colours,
                key_events=key_events,
                kept=record.sheet("Chronology", True, by_column=True) if record else None)
    labels = {a.name: a.label for a in collation.agencies}
    tables = [
        ("Agencies", AGENCIES_COLUMNS, (30, 12, 8, 8, 11, 11, 7, 9, 8, 9, 9, 18, 18, 11, 34,
                                        66, 36), _agency_rows(collation)),
        ("Gaps", GAPS_COLUMNS, (14, 18, 11, 11, 7, 10, 10, 12, 10), _gap_rows(collation, labels)),
        ("Overlaps", OVERLAPS_COLUMNS, (9, 11, 11, 36, 48, 16), _overlap_rows(collation, labels)),
        ("Findings", FINDINGS_COLUMNS, (24, 14, 6, 7, 18, 20, 9, 60, 45, 60),
         _finding_rows(collation)),
    ]
    glossary = _glossary_rows(collation, labels)
    if glossary:
        tables.append((GLOSSARY_SHEET, GLOSSARY_COLUMNS, (16, 60, 30), glossary))
    tables.extend(_corrections_table(collation))
    tables.append(("About", ("Item", "Value"), (26, 90),
                   _about_rows(collation, sources, key_events=key_events)))
    agency_rows = {a.name: colours.get(a.name) for a in collation.agencies}
    for name, columns, widths, rows in tables:
        sheet = book.add_worksheet(name)
        backgrounds = ([agency_rows.get(a.name) for a in collation.agencies]
                       if name == "Agencies" else None)
        kept = record.sheet(name, name in READ_BACK) if record else None
        _table(sheet, collation, styles, columns, widths, rows, clean, backgrounds, kept)


def close(book: xlsxwriter.Workbook) -> None:
    """Close (write) the workbook; xlsxwriter wraps a full disk or a vanished folder in its own
    exception, given back here as the OSError it is, so the caller says it in one sentence. Zipped
    at zlib's fastest level (see zip_level.py)."""
    try:
        with zip_level():
            book.close()
    except XlsxFileError as exc:
        cause = exc.args[0] if exc.args else None
        raise cause if isinstance(cause, OSError) else OSError(str(exc)) from None


def _release(book: xlsxwriter.Workbook) -> None:
    """After a failure: close the sheets' scratch files so they can be deleted (on Windows too)."""
    for sheet in book.worksheets():
        handle = getattr(sheet, "row_data_fh", None)
        if handle is not None and not handle.closed:
            handle.close()


SHEET_ROW_LIMIT = 1_048_575  # rows under the header that Excel and LibreOffice can show


def _table(sheet: Worksheet, collation: Collation, styles: _Styles, columns: Sequence[str],
           widths: Sequence[float], rows: Iterable[Sequence[object]], clean: TextCleaner,
           backgrounds: Sequence[str | None] | None, kept: SheetValues | None = None) -> None:
    """A small sheet: text as text, numbers as numbers, dates as dd/mm/yyyy date cells, each row
    as high as its wrapped text. `kept` records the cells as written."""
    _header(sheet, styles, columns, widths)
    if kept is not None:
        kept.add(columns)
    count = 0
    remaining = iter(rows)
    for count, values in enumerate(remaining, start=1):
        if count == SHEET_ROW_LIMIT:  # Excel's last row: say what is left out, never fail
            left = 1 + sum(1 for _ in remaining)
            more = (f"… and {left:,} more rows, over the {SHEET_ROW_LIMIT:,} a sheet can hold: see "
                    "sarkit validate --format json for all.")
            sheet.write_string(count, 0, more, styles(None, bold=True))
            if kept is not None:
                kept.add([more])
            break
        background = backgrounds[count - 1] if backgrounds and count <= len(backgrounds) else None
        text, dates = styles(background), styles(background, DATE_FORMAT)
        cells = [_fit(clean(v)) if isinstance(v, str) else v for v in values]
        if kept is not None:
            kept.add([("yes" if v else "no") if isinstance(v, bool) else v for v in cells])
        sheet.set_row(count, row_height(cells, widths))
        for col, value in enumerate(cells):
            if value is None or value == "":
                sheet.write_blank(count, col, None, text)
            elif isinstance(value, str):
                sheet.write_string(count, col, value, text)
            elif isinstance(value, bool):
                sheet.write_string(count, col, "yes" if value else "no", text)
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                sheet.write_datetime(count, col, _as_datetime(value), dates)
            else:
                sheet.write_number(count, col, value, text)
    if not count:
        sheet.write_string(1, 0, f"(no {sheet.name.lower()})", styles())
        if kept is not None:
            kept.add([f"(no {sheet.name.lower()})"])
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    _page_setup(sheet, collation)


def chronology_columns(collation: Collation, *, age: bool) -> tuple[list[str], list[str], list[str]]:
    """(added columns, the returns' extra columns as found, every header in order)."""
    extras: list[str] = []
    has_end = False
    for entry in collation.entries:
        has_end = has_end or entry.end_date is not None or entry.end_time is not None
        for name in entry.extras:
            if name not in extras:
                extras.append(name)
    added = [*(("End Date", "End Time") if has_end else ()), *(("Age",) if age else ()),
             "Days Since Previous"]
    taken = {*CHRONOLOGY_COLUMNS, *added, "End Date", "End Time", "Age", "Days Since Previous",
             *OLD_COLUMNS}
    named = [f"{name} (return)" if name in taken else name for name in extras]
    return added, extras, [*CHRONOLOGY_COLUMNS, *added, *named]


def source_file_width(names: Iterable[str]) -> float:
    """The Source File column's width: its longest file name on one line (in 9-point Arial at
    about 5.25 points a unit of width, and in the characters a unit holds by `row_heights`), at
    least the usual width and at most SOURCE_FILE_WIDEST, beyond which a name wraps and its row
    is made as high as its lines."""
    widest = max((max(text_points(name, 9) / 5.25, len(name) / CHARACTERS_PER_WIDTH) for name in names),
                 default=0.0)
    return round(min(SOURCE_FILE_WIDEST, max(CHRONOLOGY_WIDTHS[SOURCE_FILE], widest + 1)), 1)


def _chronology(sheet: Worksheet, collation: Collation, clean: TextCleaner, styles: _Styles,
                colours: dict[str, str], *, key_events: bool, fast: bool | None = None,
                kept: SheetValues | None = None) -> None:
    """The Chronology sheet, each row written whole by `RowWriter` (`fast=False`: through
    xlsxwriter's public per-cell calls, the same cells). `kept` records the rows as written."""
    review = collation.review
    with_age = review.subject_birth_date is not None or review.subject_age_at_start is not None
    added, extras, columns = chronology_columns(collation, age=with_age)
    widths = [*CHRONOLOGY_WIDTHS, *(ADDED_WIDTHS[name] for name in added),
              *([EXTRA_WIDTH] * len(extras))]
    file_names = {file: _fit(clean(Path(file).name)) for file in {e.file for e in collation.entries}}
    widths[SOURCE_FILE] = source_file_width(file_names.values())
    _header(sheet, styles, columns, widths, freeze_columns=2)
    labels = {a.name: _fit(a.label) for a in collation.agencies}
    intervals = days_since_previous(collation.entries)
    height = row_heights(widths)  # every cell's text: a row is as high as its longest wrap
    has_end = "End Date" in added
    dates = _DateCells(styles)
    writer = RowWriter(sheet, fast=fast)
    row = 0
    several = several_sheets(collation.entries)
    end_column = len(CHRONOLOGY_COLUMNS)
    if kept is not None:  # day numbers in the date columns; Source Row and the interval: numbers
        kept.add_row(list(columns))
        kept.day_columns = [1, *((end_column,) if has_end else ())]
        kept.number_columns = [CHRONOLOGY_COLUMNS.index("Source Row"),
                               *((columns.index("Age"),) if with_age else ()),
                               len(CHRONOLOGY_COLUMNS) + len(added) - 1]
    for entry, interval in zip(collation.entries, intervals, strict=True):
        if key_events and entry.key_event is not True:
            continue
        row += 1
        colour = colours.get(entry.agency)
        texts = [_fit(clean(t)) for t in (entry.source, entry.event, entry.action,
                                          entry.practitioner, entry.analysis)]
        flags = _fit("; ".join(entry.flags))
        file_name = file_names[entry.file]
        date, date_format = dates(entry.date, colour)
        # the row format colours and borders every cell of the row, so blank cells are not
        # written at all and the others need no format of their own (dates aside)
        values: list[object] = [
            entry.ref, date, format_time(entry.time) if entry.time else "",
            labels.get(entry.agency, entry.agency), *texts, YES_NO[entry.key_event], flags,
            _fit(clean(entry.agency_ref)), file_name,
            entry.row if entry.file not in several else clean(str(source_row(entry, several)))]
        formats = {1: date_format}
        if has_end:
            if entry.end_date is not None:
                end, formats[len(values)] = dates(entry.end_date, colour)
                values.append(end)
            else:
                values.append("")
            values.append(format_time(entry.end_time) if entry.end_time is not None else "")
        if with_age:
            age = age_text(age_range(review, entry.date))
            values.append("" if age is None else age)
        values.append("" if interval is None else interval)
        if extras:
            values.extend(_fit(clean(entry.extras.get(name, ""))) for name in extras)
        writer.write(row, height(values), styles(colour), values, formats)
        if kept is not None:
            kept.add_row(values, _shown(entry, values, has_end, end_column))
    writer.close()
    if not row:
        nothing = NO_KEY_EVENTS if key_events else NO_ENTRIES
        sheet.write_string(1, 0, nothing, styles())
        if kept is not None:
            kept.add_row([nothing])
    sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
    _page_setup(sheet, collation)


_MEANINGS = {key: format_precision(shown) for key, shown in DATE_FORMATS.items()}


def _shown(entry: Entry, values: list, has_end: bool, end_column: int) -> dict[int, tuple[str, bool]] | None:
    """The date cells of a Chronology row whose format shows other than a certain day: column ->
    (precision, uncertain), as a reader finds it from the cell's number format."""
    shown = {}
    for col, date in ((1, entry.date), *(((end_column, entry.end_date),) if has_end else ())):
        if date is not None and values[col].__class__ is int:
            meaning = _MEANINGS[(str(date.precision), date.uncertain)]
            if meaning != ("day", False):  # what a date cell is read as without a format
                shown[col] = meaning
    return shown or None


class _DateCells:
    """A date's cell value and format: its day number with a number format that shows the date as
    written (what write_datetime writes), or its text before March 1900."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.made: dict[tuple, tuple[int | str, Format]] = {}

    def __call__(self, date: PartialDate, colour: str | None) -> tuple[int | str, Format]:
        key = (date, colour)
        found = self.made.get(key)
        if found is None:
            start = date.start
            if start < FIRST_EXCEL_DAY:
                found = (date.display(), self.styles(colour))
            else:
                shown = DATE_FORMATS[(str(date.precision), date.uncertain)]
                found = ((start - EXCEL_EPOCH).days, self.styles(colour, shown))
            if len(self.made) < 100_000:
                self.made[key] = found
        return found


def _details(collation: Collation, name: str) -> dict[str, str]:
    """Author, role and date completed from the Details block of the agency's return(s)."""
    found: dict[str, list[str]] = {column: [] for column in DETAIL_LABELS}
    for result in collation.results:
        if result.agency != name and name not in result.agencies:
            continue
        details = getattr(result, "details", {}) or {}
        for column, labels in DETAIL_LABELS.items():
            value = next((details[label] for label in labels if details.get(label)), "")
            if value and value not in found[column]:
                found[column].append(value)
    return {column: "\n".join(values) for column, values in found.items()}


def _agency_rows(collation: Collation) -> Iterator[tuple]:
    for summary in collation.agencies:
        details = _details(collation, summary.name)
        yield (
            summary.name, summary.label, summary.returns, summary.entries,
            summary.first, summary.last,
            summary.errors, summary.warnings, summary.nil, summary.missing, summary.unusable,
            details["Author"], details["Role"], details["Date Completed"],
            "\n".join(Path(p).name for p, _ in summary.files),
            "\n".join(h for _, h in summary.files),
            "\n".join(summary.received),
        )


def _gap_rows(collation: Collation, labels: dict[str, str]) -> Iterator[tuple]:
    for gap in collation.analysis.gaps:
        agency = labels.get(gap.agency, gap.agency) if gap.agency else ""
        inside = gap.kind == "agency"
        yield (gap.kind, agency, gap.start, gap.end, gap.days, gap.before_ref, gap.after_ref,
               gap.others_active if inside else None, gap.others_entries if inside else None)


def _overlap_rows(collation: Collation, labels: dict[str, str]) -> Iterator[tuple]:
    analysis = collation.analysis
    for overlap in analysis.overlaps:
        yield (overlap.id, overlap.start, overlap.end,
               ", ".join(labels.get(a, a) for a in overlap.agencies), ", ".join(overlap.refs),
               overlap.communication)
    for number, dup in enumerate(analysis.duplicates, start=1):
        yield (f"D{number}", dup.date, dup.date,
               ", ".join(labels.get(a, a) for a in dup.agencies), ", ".join(dup.refs),
               "possible duplicate")


def _finding_rows(collation: Collation) -> Iterator[tuple]:
    """Each finding; under one saying a sheet or table was not read, a row for each of its rows
    not read, with the row's cells as Original Values (as a rejected row of the chronology has)."""
    unread = {(r.path, sheet): [(row, values) for (named, row), values in r.unread_values.items()
                                if named == sheet]
              for r in collation.results for sheet, _ in r.unread_values}
    for f in collation.findings:
        values = "; ".join(f"{k}: {v}" for k, v in f.values.items())
        yield (f.file, f.sheet or "", f.row, f.cell or "", f.column or "", f.code,
               str(f.severity), f.message, f.hint, values)
        if f.code in UNREAD_CODES:
            yield from _unread_rows(f.file, f.sheet or "", f.code, unread.pop((f.file, f.sheet), []))
    for (file, sheet), rows in unread.items():  # never left out, though no finding names the sheet
        yield from _unread_rows(file, sheet, "other-chronology-sheet", rows)


def _unread_rows(file: str, sheet: str, code: str, rows: list[tuple[int, dict[str, str]]]) -> Iterator[tuple]:
    for row, cells in rows:
        yield (file, sheet, row, "", "", code, "error",
               f"Row {row} ({sheet}) was not read (see the finding on {sheet} above); its cells are in "
               "Original Values.", "", "; ".join(f"{k}: {v}" for k, v in cells.items()))


def _corrections_table(collation: Collation) -> list[tuple]:
    """The Corrections sheet (only when corrections.toml touched a return): the audit trail of
    what the administrator changed, with the original and the reason."""
    refs = {(e.file, e.sheet, e.row): e.ref for e in collation.entries}
    rows = []
    for f in collation.findings:
        if f.code not in ("corrected-cell", "correction-stale"):
            continue
        v = f.values
        applied = "yes" if f.code == "corrected-cell" else "no: " + f.message.partition(": ")[2]
        rows.append((refs.get((f.file, f.sheet, f.row), "") if f.code == "corrected-cell" else "",
                     f.file, f.sheet or "", f.cell or "", v.get("original", ""),
                     v.get("corrected", ""), v.get("reason", ""), v.get("who", ""),
                     v.get("when", ""), applied))
    if not rows:
        return []
    return [(CORRECTIONS_SHEET, CORRECTIONS_COLUMNS, (8, 24, 14, 7, 36, 36, 40, 16, 11, 30), rows)]


def _glossary_rows(collation: Collation, labels: dict[str, str]) -> list[tuple[str, str, str]]:
    """Every return's glossary in one: an abbreviation with the same meaning (case and spaces
    aside) is listed once, as the first agency wrote it, with every agency that gave it;
    different meanings of one abbreviation each keep their row."""
    merged: dict[tuple[str, str], tuple[str, str, list[str]]] = {}
    rank = {name: index for index, name in enumerate(collation.agency_order)}
    for result in sorted(collation.results, key=lambda r: rank.get(r.agency or "", len(rank))):
        agency = labels.get(result.agency or "", result.agency or "")
        for abbreviation, meaning in result.glossary:
            key = (abbreviation.strip().casefold(), " ".join(meaning.split()).casefold())
            _, _, agencies = merged.setdefault(key, (abbreviation.strip(), meaning.strip(), []))
            if agency and agency not in agencies:
                agencies.append(agency)
    ordered = sorted(merged.items(), key=lambda item: item[0])
    return [(abbreviation, meaning, ", ".join(agencies))
            for _, (abbreviation, meaning, agencies) in ordered]


def _about_rows(collation: Collation, sources: Sequence[str], *,
                key_events: bool) -> list[tuple[str, object]]:
    review = collation.review
    rows: list[tuple[str, object]] = [
        ("Reference", review.reference),
        ("Subject", review.subject),
        ("Period start", day(review.period_start)),
        ("Period end", day(review.period_end)),
        ("Marking", review.marking),
        ("Made by", f"sarkit {__version__}"),
        ("Made at", dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M %Z")),
        ("Gap days", collation.gap_days),
        ("Overlap window days", collation.window_days),
        ("Review file", str(review.path) if review.path else "(none)"),
        ("Entries", len(collation.entries)),
        ("Rejected rows", collation.account.rejected_rows),
    ]
    if key_events:
        shown = sum(1 for e in collation.entries if e.key_event is True)
        rows.append(("View", KEY_EVENTS_VIEW))
        rows.append(("Entries shown", shown))
    if review.subject_birth_date is not None or review.subject_age_at_start is not None:
        rows.append(("Age column", "from the subject's date of birth in review.toml"
                     if review.subject_birth_date is not None else
                     "from the subject's age at the start of the period in review.toml; "
                     "'47 or 48' where the birthday is not known"))
    account = collation.account
    labels = {a.name: a.label for a in collation.agencies}
    said = caveats(account, lambda name: labels.get(name, name))
    rows.append(("Complete", "yes: every return received and every row in the chronology"
                 if account.complete else "NO: " + said[0] if said else "NO"))
    rows += [("Not complete", text) for text in said[1:]]
    rows += [("Redaction" if account.redacted else "Possible identifiers", text)
             for text in identifier_lines(account, lambda name: labels.get(name, name))]
    rows += [("Input file", str(path)) for path in (sources or [r.path for r in collation.results])]
    data = {**account.to_json(), "returns_with_errors": account.errors,
            "rejected_row_count": account.rejected_rows}
    rows.append(("Account data", json.dumps(data, ensure_ascii=False)))
    return rows

