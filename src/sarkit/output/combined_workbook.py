"""The combined chronology workbook: six sheets, formatted to be printed for a workshop."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from sarkit import __version__
from sarkit.collate import Collation
from sarkit.dates import Precision, format_time
from sarkit.entries import Entry
from sarkit.output.colours import agency_colours
from sarkit.output.safe_text import EXCEL_CELL_LIMIT, TextCleaner

SHEETS = ("Chronology", "Agencies", "Gaps", "Overlaps", "Findings", "About")
CHRONOLOGY_COLUMNS = (
    "Ref", "Date", "Time", "Agency", "Source of Information", "Event / Contact Details",
    "Action Taken / Outcome", "Practitioner / Role", "Comment / Analysis", "Key Event", "Flags",
    "Agency Ref", "Source File", "Source Row",
)
HIDDEN_COLUMNS = ("Sort Date", "End Date", "End Time")
CHRONOLOGY_WIDTHS = (8, 11, 6, 14, 18, 48, 32, 18, 28, 6, 20, 8, 22, 7)
AGENCIES_COLUMNS = ("Agency", "Short Name", "Returns", "Entries", "First Date", "Last Date",
                    "Errors", "Warnings", "Nil Return", "Missing Return", "Files", "SHA-256")
GAPS_COLUMNS = ("Kind", "Agency", "Start", "End", "Days", "Before Ref", "After Ref",
                "Other Agencies Active", "Their Entries")
OVERLAPS_COLUMNS = ("Overlap", "Start", "End", "Agencies", "Refs", "Communication")
FINDINGS_COLUMNS = ("File", "Sheet", "Row", "Cell", "Column", "Code", "Severity", "Message",
                    "Hint", "Original Values")
DATE_FORMAT = "dd/mm/yyyy"


class _Formats:
    """The cell formats, one set per agency colour, made once."""

    def __init__(self, book: xlsxwriter.Workbook, colours: dict[str, str]) -> None:
        base = {"text_wrap": True, "valign": "top", "font_size": 9, "border": 1,
                "border_color": "#BFBFBF"}
        self.header = book.add_format({**base, "bold": True, "bg_color": "#D9D9D9",
                                       "font_size": 10})
        self.text = book.add_format(base)
        self.date = book.add_format({**base, "num_format": DATE_FORMAT, "align": "left"})
        self.number = book.add_format({**base, "align": "left"})
        self.agency_text = {a: book.add_format({**base, "bg_color": c}) for a, c in colours.items()}
        self.agency_date = {
            a: book.add_format({**base, "bg_color": c, "num_format": DATE_FORMAT, "align": "left"})
            for a, c in colours.items()
        }
        self.hidden_date = book.add_format({"num_format": DATE_FORMAT})


def write_combined_workbook(collation: Collation, path: Path, *, sources: Sequence[str] = ()) -> None:
    """Write the six sheets of DESIGN.md §5 to `path` (the caller makes the write atomic)."""
    review = collation.review
    clean = TextCleaner(review.pseudonyms)
    book = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    book.set_properties({"title": f"Combined chronology {review.reference}".strip(),
                         "comments": f"Made by sarkit {__version__}"})
    colours = agency_colours(collation.agency_order)
    fmt = _Formats(book, colours)
    _chronology(book, collation, fmt, clean)
    _agencies(book, collation, fmt, clean)
    _table(book, "Gaps", GAPS_COLUMNS, (14, 18, 11, 11, 7, 10, 10, 12, 10), collation, fmt, clean,
           _gap_rows(collation))
    _table(book, "Overlaps", OVERLAPS_COLUMNS, (9, 11, 11, 36, 48, 16), collation, fmt, clean,
           _overlap_rows(collation))
    _table(book, "Findings", FINDINGS_COLUMNS, (24, 14, 6, 7, 18, 20, 9, 60, 45, 60), collation,
           fmt, clean, _finding_rows(collation))
    _about(book, collation, fmt, clean, sources)
    book.close()


def _page_setup(sheet: Worksheet, collation: Collation, columns: int, *, a3: bool = False) -> None:
    review = collation.review

    def escape(text: str) -> str:
        return text.replace("&", "&&")

    sheet.set_landscape()
    sheet.set_paper(8 if a3 else 9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    sheet.set_header(
        f'&L&"Arial,Bold"{escape(review.marking)}&C{escape(review.reference)} — {escape(review.subject)}'
        f'&R&"Arial,Bold"{escape(review.marking)}'
    )
    sheet.set_footer(f"&L{escape(review.reference)}&CPage &P of &N&R&A")
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, 0, columns - 1)


def _write_header(sheet: Worksheet, columns: Sequence[str], fmt: _Formats) -> None:
    sheet.set_row(0, 27)
    for col, title in enumerate(columns):
        sheet.write_string(0, col, title, fmt.header)


def _text(sheet: Worksheet, row: int, col: int, value: str, cell_format, clean: TextCleaner) -> None:
    value = clean(value)
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[: EXCEL_CELL_LIMIT - 20] + " … [cut: too long]"
    sheet.write_string(row, col, value, cell_format)


def _chronology(book: xlsxwriter.Workbook, collation: Collation, fmt: _Formats,
                clean: TextCleaner) -> None:
    sheet = book.add_worksheet("Chronology")
    extras: list[str] = []
    for entry in collation.entries:
        for name in entry.extras:
            if name not in extras:
                extras.append(name)
    columns = (*CHRONOLOGY_COLUMNS, *extras, *HIDDEN_COLUMNS)
    for col, width in enumerate(CHRONOLOGY_WIDTHS):
        sheet.set_column(col, col, width)
    if extras:
        sheet.set_column(len(CHRONOLOGY_COLUMNS), len(CHRONOLOGY_COLUMNS) + len(extras) - 1, 16)
    first_hidden = len(CHRONOLOGY_COLUMNS) + len(extras)
    sheet.set_column(first_hidden, first_hidden + len(HIDDEN_COLUMNS) - 1, 11, fmt.hidden_date,
                     {"hidden": True})
    _page_setup(sheet, collation, len(columns) - len(HIDDEN_COLUMNS), a3=True)
    _write_header(sheet, columns, fmt)
    labels = {a.name: a.label for a in collation.agencies}
    write_string, write_number = sheet.write_string, sheet.write_number
    wrapped = [(4, 18), (5, 48), (6, 32), (7, 18), (8, 28), (10, 20)]
    for row, entry in enumerate(collation.entries, start=1):
        texts = (entry.source, entry.event, entry.action, entry.practitioner, entry.analysis,
                 "; ".join(entry.flags))
        sheet.set_row(row, row_height(texts, [w for _, w in wrapped]))
        text_fmt = fmt.agency_text.get(entry.agency, fmt.text)
        date_fmt = fmt.agency_date.get(entry.agency, fmt.date)
        write_string(row, 0, entry.ref, text_fmt)
        _date_cell(sheet, row, 1, entry, date_fmt, text_fmt)
        write_string(row, 2, format_time(entry.time) if entry.time else "", text_fmt)
        write_string(row, 3, labels.get(entry.agency, entry.agency), text_fmt)
        _text(sheet, row, 4, entry.source, text_fmt, clean)
        _text(sheet, row, 5, entry.event, text_fmt, clean)
        _text(sheet, row, 6, entry.action, text_fmt, clean)
        _text(sheet, row, 7, entry.practitioner, text_fmt, clean)
        _text(sheet, row, 8, entry.analysis, text_fmt, clean)
        write_string(row, 9, {True: "Y", False: "N", None: ""}[entry.key_event], text_fmt)
        write_string(row, 10, "; ".join(entry.flags), text_fmt)
        _text(sheet, row, 11, entry.agency_ref, text_fmt, clean)
        _text(sheet, row, 12, Path(entry.file).name, text_fmt, clean)
        write_number(row, 13, entry.row, text_fmt)
        for offset, name in enumerate(extras):
            _text(sheet, row, 14 + offset, entry.extras.get(name, ""), text_fmt, clean)
        sheet.write_datetime(row, first_hidden, _midnight(entry.date.start), fmt.hidden_date)
        if entry.end_date is not None:
            write_string(row, first_hidden + 1, entry.end_date.display())
        if entry.end_time is not None:
            write_string(row, first_hidden + 2, format_time(entry.end_time))


def row_height(texts: Sequence[str], widths: Sequence[int], *, line_points: float = 12.0) -> float:
    """A row height that shows every wrapped line: Excel and LibreOffice do not grow rows of
    written files by themselves, so the lines are estimated from the text and column widths."""
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        if not text:
            continue
        per_line = max(1, int(width * 1.15))
        count = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
        lines = max(lines, count)
    return min(409.0, lines * line_points + 3)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _date_cell(sheet: Worksheet, row: int, col: int, entry: Entry, date_fmt, text_fmt) -> None:
    """A real date when the author gave a certain day; otherwise the date as written."""
    date = entry.date
    if date.precision == Precision.DAY and not date.uncertain:
        sheet.write_datetime(row, col, _midnight(date.start), date_fmt)
    else:
        sheet.write_string(row, col, date.display(), text_fmt)


def _agencies(book: xlsxwriter.Workbook, collation: Collation, fmt: _Formats,
              clean: TextCleaner) -> None:
    sheet = book.add_worksheet("Agencies")
    for col, width in enumerate((30, 14, 8, 8, 11, 11, 7, 9, 8, 9, 40, 66)):
        sheet.set_column(col, col, width)
    _page_setup(sheet, collation, len(AGENCIES_COLUMNS))
    _write_header(sheet, AGENCIES_COLUMNS, fmt)
    for row, summary in enumerate(collation.agencies, start=1):
        text_fmt = fmt.agency_text.get(summary.name, fmt.text)
        date_fmt = fmt.agency_date.get(summary.name, fmt.date)
        _text(sheet, row, 0, summary.name, text_fmt, clean)
        _text(sheet, row, 1, summary.label, text_fmt, clean)
        for col, number in ((2, summary.returns), (3, summary.entries), (6, summary.errors),
                            (7, summary.warnings)):
            sheet.write_number(row, col, number, text_fmt)
        for col, day in ((4, summary.first), (5, summary.last)):
            if day:
                sheet.write_datetime(row, col, _midnight(day), date_fmt)
            else:
                sheet.write_string(row, col, "", text_fmt)
        sheet.write_string(row, 8, "yes" if summary.nil else "no", text_fmt)
        sheet.write_string(row, 9, "yes" if summary.missing else "no", text_fmt)
        _text(sheet, row, 10, "\n".join(Path(p).name for p, _ in summary.files), text_fmt, clean)
        sheet.write_string(row, 11, "\n".join(h for _, h in summary.files), text_fmt)


def _table(book: xlsxwriter.Workbook, name: str, columns: Sequence[str], widths: Sequence[int],
           collation: Collation, fmt: _Formats, clean: TextCleaner, rows) -> None:
    sheet = book.add_worksheet(name)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    _page_setup(sheet, collation, len(columns))
    _write_header(sheet, columns, fmt)
    for row, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            if isinstance(value, dt.date):
                sheet.write_datetime(row, col, _midnight(value), fmt.date)
            elif isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(row, col, value, fmt.number)
            else:
                _text(sheet, row, col, "" if value is None else str(value), fmt.text, clean)


def _gap_rows(collation: Collation):
    labels = {a.name: a.label for a in collation.agencies}
    for gap in collation.analysis.gaps:
        yield (gap.kind, labels.get(gap.agency, gap.agency or "") if gap.agency else "",
               gap.start, gap.end, gap.days, gap.before_ref, gap.after_ref,
               gap.others_active if gap.kind == "agency" else None,
               gap.others_entries if gap.kind == "agency" else None)


def _overlap_rows(collation: Collation):
    labels = {a.name: a.label for a in collation.agencies}
    analysis = collation.analysis
    for overlap in analysis.overlaps:
        yield (overlap.id, overlap.start, overlap.end,
               ", ".join(labels.get(a, a) for a in overlap.agencies), ", ".join(overlap.refs),
               overlap.communication)
    for number, dup in enumerate(analysis.duplicates, start=1):
        yield (f"D{number}", dup.date, dup.date,
               ", ".join(labels.get(a, a) for a in dup.agencies), ", ".join(dup.refs),
               "possible duplicate")


def _finding_rows(collation: Collation):
    for f in collation.findings:
        values = "; ".join(f"{k}: {v}" for k, v in f.values.items())
        yield (f.file, f.sheet or "", f.row, f.cell or "", f.column or "", f.code, str(f.severity),
               f.message, f.hint, values)


def _about(book: xlsxwriter.Workbook, collation: Collation, fmt: _Formats, clean: TextCleaner,
           sources: Sequence[str]) -> None:
    review = collation.review
    sheet = book.add_worksheet("About")
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 90)
    _page_setup(sheet, collation, 2)
    _write_header(sheet, ("Item", "Value"), fmt)

    def show(day: dt.date | None) -> str:
        return day.strftime("%d/%m/%Y") if day else ""

    rows = [
        ("Reference", review.reference),
        ("Subject", review.subject),
        ("Period start", show(review.period_start)),
        ("Period end", show(review.period_end)),
        ("Marking", review.marking),
        ("Made by", f"sarkit {__version__}"),
        ("Made at", dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M %Z")),
        ("Gap days", str(collation.gap_days)),
        ("Overlap window days", str(collation.window_days)),
        ("Review file", str(review.path) if review.path else "(none)"),
        ("Entries", str(len(collation.entries))),
        ("Rejected rows", str(collation.rejected_rows)),
    ]
    rows += [("Input file", str(path)) for path in (sources or [r.path for r in collation.results])]
    for row, (label, value) in enumerate(rows, start=1):
        sheet.write_string(row, 0, label, fmt.text)
        _text(sheet, row, 1, value, fmt.text, clean)
