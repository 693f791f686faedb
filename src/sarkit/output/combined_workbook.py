"""The combined chronology workbook: six sheets (their layout: formats/combined_layout.py),
formatted to be printed for a workshop.

Written with rustpy-xlsxwriter (bindings to the Rust port of XlsxWriter), which streams rows
several times faster than Python's xlsxwriter: the Chronology of a large review has a million
cells. Every text value is written as a text cell (never a formula or a link).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from rustpy_xlsxwriter import FastExcel, Format

from sarkit import __version__
from sarkit.account import caveats, identifier_lines
from sarkit.collate import Collation
from sarkit.dates import format_time
from sarkit.formats.combined_layout import (
    AGENCIES_COLUMNS,
    CHRONOLOGY_COLUMNS,
    FINDINGS_COLUMNS,
    GAPS_COLUMNS,
    HIDDEN_COLUMNS,
    OVERLAPS_COLUMNS,
)
from sarkit.output.colours import agency_colours
from sarkit.output.office_mark import mark_core_properties
from sarkit.output.safe_text import EXCEL_CELL_LIMIT, TextCleaner
from sarkit.wording import day

CHRONOLOGY_WIDTHS = (8, 11, 6, 14, 18, 48, 32, 18, 28, 6, 20, 8, 22, 7)
WRAPPED = ((4, 18), (5, 48), (6, 32), (7, 18), (8, 28), (10, 20))  # (column, width) that wrap
DATE_FORMAT = "dd/mm/yyyy"
HEADER_HEIGHT = 27.0


def _format(*, background: str | None = None, bold: bool = False, size: float = 9,
            number_format: str | None = None) -> Format:
    cell = Format()
    if number_format:
        cell.set_num_format(number_format)
    cell.set_text_wrap()
    cell.set_align("top")
    cell.set_font_size(size)
    cell.set_border("thin")
    cell.set_border_color("#BFBFBF")
    if background:
        cell.set_background_color(background)
    if bold:
        cell.set_bold()
    return cell


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


def _fit(text: str) -> str:
    if len(text) > EXCEL_CELL_LIMIT:
        return text[: EXCEL_CELL_LIMIT - 20] + " … [cut: too long]"
    return text


def _page_setup(collation: Collation, *, a3: bool = False) -> dict[str, object]:
    review = collation.review

    def escape(text: str) -> str:
        return text.replace("&", "&&")

    marking = escape(review.marking)
    return {
        "landscape": True,
        "paper_size": 8 if a3 else 9,
        "fit_to_pages": (1, 0),
        "repeat_rows": 0,
        "margins": {"left": 0.4, "right": 0.4, "top": 0.7, "bottom": 0.6},
        "header": f'&L&"Arial,Bold"{marking}&C{escape(review.reference)} — '
                  f'{escape(review.subject)}&R&"Arial,Bold"{marking}',
        "footer": f"&L{escape(review.reference)}&CPage &P of &N&R&A",
    }


def write_combined_workbook(collation: Collation, path: Path, *, sources: Sequence[str] = ()) -> None:
    """Write the six sheets of DESIGN.md §5 to `path` (the caller makes the write atomic)."""
    clean = TextCleaner(collation.review.pseudonyms)
    colours = agency_colours(collation.agency_order)
    agency_formats = {name: _format(background=colour) for name, colour in colours.items()}
    # rustpy-xlsxwriter gives a row with a set height its row format in every cell, replacing
    # a date cell's own format: so the Chronology's row formats carry the date format too
    # (its only non-text cell is the hidden Sort Date).
    dated_formats = {name: _format(background=colour, number_format=DATE_FORMAT)
                     for name, colour in colours.items()}
    header = _format(background="#D9D9D9", bold=True, size=10)
    plain = _format()
    book = FastExcel(str(path)).format(datetime_format=DATE_FORMAT).freeze(row=1, col=0)
    _chronology(book, collation, clean, dated_formats, header)
    agency_records = _agency_records(collation, clean) or [
        {**dict.fromkeys(AGENCIES_COLUMNS, ""), "Agency": "(no agencies)"}]
    book.sheet(
        "Agencies", agency_records, header_format=header, autofilter=True,
        column_widths=[30, 14, 8, 8, 11, 11, 7, 9, 8, 9, 9, 40, 66, 40],
        row_formats={i: agency_formats.get(a.name, plain)
                     for i, a in enumerate(collation.agencies, start=1)},
        row_heights={0: HEADER_HEIGHT}, page_setup=_page_setup(collation),
    )
    tables = (
        ("Gaps", GAPS_COLUMNS, (14, 18, 11, 11, 7, 10, 10, 12, 10), _gap_rows(collation)),
        ("Overlaps", OVERLAPS_COLUMNS, (9, 11, 11, 36, 48, 16), _overlap_rows(collation)),
        ("Findings", FINDINGS_COLUMNS, (24, 14, 6, 7, 18, 20, 9, 60, 45, 60),
         _finding_rows(collation)),
        ("About", ("Item", "Value"), (26, 90), _about_rows(collation, sources)),
    )
    for name, columns, widths, rows in tables:
        records = [dict(zip(columns, _clean_row(values, clean), strict=True)) for values in rows]
        if not records:
            records = [{**dict.fromkeys(columns, ""), columns[0]: f"(no {name.lower()})"}]
        book.sheet(
            name, records, header_format=header, autofilter=True, column_widths=list(widths),
            row_formats=dict.fromkeys(range(1, len(records) + 1), plain),
            row_heights={0: HEADER_HEIGHT}, page_setup=_page_setup(collation),
        )
    book.save()
    mark_core_properties(path)


def _clean_row(values: Sequence[object], clean: TextCleaner) -> list[object]:
    out: list[object] = []
    for value in values:
        if value is None:
            out.append("")
        elif isinstance(value, str):
            out.append(_fit(clean(value)))
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            out.append(dt.datetime(value.year, value.month, value.day))
        else:
            out.append(value)
    return out


def _chronology_columns(collation: Collation) -> tuple[list[str], list[str]]:
    extras: list[str] = []
    for entry in collation.entries:
        for name in entry.extras:
            if name not in extras:
                extras.append(name)
    taken = set(CHRONOLOGY_COLUMNS) | set(HIDDEN_COLUMNS)
    named = [f"{name} (return)" if name in taken else name for name in extras]
    return extras, [*CHRONOLOGY_COLUMNS, *named, *HIDDEN_COLUMNS]


def _chronology(book: FastExcel, collation: Collation, clean: TextCleaner,
                agency_formats: dict[str, Format], header: Format) -> None:
    extras, columns = _chronology_columns(collation)
    labels = {a.name: a.label for a in collation.agencies}
    widths = [*CHRONOLOGY_WIDTHS, *([16] * len(extras)), *([0] * len(HIDDEN_COLUMNS))]
    heights: dict[int, float] = {0: HEADER_HEIGHT}
    row_formats: dict[int, Format] = {}
    wrapped_widths = [w for _, w in WRAPPED]
    for row, entry in enumerate(collation.entries, start=1):
        texts = (entry.source, entry.event, entry.action, entry.practitioner, entry.analysis,
                 "; ".join(entry.flags))
        heights[row] = row_height(texts, wrapped_widths)
        row_formats[row] = agency_formats[entry.agency]

    def records() -> Iterator[dict[str, object]]:
        if not collation.entries:
            yield {**dict.fromkeys(columns, ""), "Ref": "(no entries)"}
        for entry in collation.entries:
            start = entry.date.start
            values: list[object] = [
                entry.ref, entry.date.display(),
                format_time(entry.time) if entry.time else "",
                labels.get(entry.agency, entry.agency), _fit(clean(entry.source)),
                _fit(clean(entry.event)), _fit(clean(entry.action)),
                _fit(clean(entry.practitioner)), _fit(clean(entry.analysis)),
                {True: "Y", False: "N", None: ""}[entry.key_event], "; ".join(entry.flags),
                clean(entry.agency_ref), clean(Path(entry.file).name), str(entry.row),
                *(_fit(clean(entry.extras.get(name, ""))) for name in extras),
                dt.datetime(start.year, start.month, start.day),
                entry.end_date.display() if entry.end_date else "",
                format_time(entry.end_time) if entry.end_time else "",
            ]
            yield dict(zip(columns, values, strict=True))

    book.sheet(
        "Chronology", records(), header_format=header, autofilter=True, column_widths=widths,
        row_formats=row_formats, row_heights=heights, page_setup=_page_setup(collation, a3=True),
    )


def _agency_records(collation: Collation, clean: TextCleaner) -> list[dict[str, object]]:
    records = []
    for summary in collation.agencies:
        values = (
            summary.name, summary.label, summary.returns, summary.entries,
            summary.first, summary.last,
            summary.errors, summary.warnings, "yes" if summary.nil else "no",
            "yes" if summary.missing else "no",
            "yes" if summary.unusable else "no",
            "\n".join(Path(p).name for p, _ in summary.files),
            "\n".join(h for _, h in summary.files),
            "\n".join(summary.received),
        )
        records.append(dict(zip(AGENCIES_COLUMNS, _clean_row(values, clean), strict=True)))
    return records


def _gap_rows(collation: Collation) -> Iterator[tuple]:
    labels = {a.name: a.label for a in collation.agencies}
    for gap in collation.analysis.gaps:
        agency = labels.get(gap.agency, gap.agency) if gap.agency else ""
        inside = gap.kind == "agency"
        yield (gap.kind, agency, gap.start, gap.end, gap.days, gap.before_ref, gap.after_ref,
               gap.others_active if inside else None, gap.others_entries if inside else None)


def _overlap_rows(collation: Collation) -> Iterator[tuple]:
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


def _finding_rows(collation: Collation) -> Iterator[tuple]:
    for f in collation.findings:
        values = "; ".join(f"{k}: {v}" for k, v in f.values.items())
        yield (f.file, f.sheet or "", f.row, f.cell or "", f.column or "", f.code,
               str(f.severity), f.message, f.hint, values)


def _about_rows(collation: Collation, sources: Sequence[str]) -> list[tuple[str, str]]:
    review = collation.review

    rows = [
        ("Reference", review.reference),
        ("Subject", review.subject),
        ("Period start", day(review.period_start)),
        ("Period end", day(review.period_end)),
        ("Marking", review.marking),
        ("Made by", f"sarkit {__version__}"),
        ("Made at", dt.datetime.now().astimezone().strftime("%d/%m/%Y %H:%M %Z")),
        ("Gap days", str(collation.gap_days)),
        ("Overlap window days", str(collation.window_days)),
        ("Review file", str(review.path) if review.path else "(none)"),
        ("Entries", str(len(collation.entries))),
        ("Rejected rows", str(collation.account.rejected_rows)),
    ]
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
