"""Reading a combined workbook made by `sarkit collate` back into entries and its settings.

The Chronology sheet's Agency column shows each agency's short name; the Agencies sheet maps
it back to the full name, so the entries read here are the entries collate analysed. A Date (or
End Date) cell is a real date whose number format shows its precision ('mmmm yyyy' is a month,
'"?"dd/mm/yyyy' an uncertain day): the formats are read from the workbook's styles, so the date
comes back as written. A date typed over it as text ('22/05/2016', 'May 2016') is read with the
same parser as returns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import python_calamine as calamine

from sarkit.dates import DateError, PartialDate, TimeError, parse_date, parse_time
from sarkit.entries import Entry, read_source_row
from sarkit.errors import SarkitError
from sarkit.findings import column_letter
from sarkit.formats.combined_layout import (
    ADDED_COLUMNS,
    CHRONOLOGY_COLUMNS,
    GLOSSARY_SHEET,
    KEY_EVENTS_VIEW,
    NO_ENTRIES,
    NO_KEY_EVENTS,
    OLD_COLUMNS,
)
from sarkit.formats.values_part import ColumnSheet, read_values_part
from sarkit.intake.shown_dates import A_DAY, STYLES_XML_LIMIT, style_meanings
from sarkit.intake.sniff import sniff_format
from sarkit.raw_tables import RawWorkbook

__all__ = ["EntryColumns", "chronology_headed", "entries_of", "is_combined_workbook",
           "load_combined_sheets", "looks_combined", "looks_combined_book", "read_combined_columns",
           "read_combined_values",
           "read_combined_workbook", "sheet_names"]

_REQUIRED_SHEETS = ("Chronology", "About")
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')
_WORKBOOK_XML_LIMIT = 5_000_000
_HINT = "Give the combined workbook written by sarkit collate, or the returns themselves."


def sheet_names(path: Path) -> set[str]:
    """Sheet names from xl/workbook.xml alone: cheap, and safe on any file (a return is only
    ever opened by the isolated readers)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > _WORKBOOK_XML_LIMIT:
                return set()
            data = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return set()
    return {m.decode("utf-8", "replace") for m in _SHEET_NAME.findall(data)}


def is_combined_workbook(path: Path) -> bool:
    """An .xlsx with Chronology and About sheets: what `sarkit collate` writes. Only the
    workbook's sheet list is read; `read_combined_workbook` checks the Chronology header."""
    path = Path(path)
    try:
        return (path.is_file() and sniff_format(path) == "xlsx"
                and set(_REQUIRED_SHEETS) <= sheet_names(path))
    except OSError:
        return False


def looks_combined(sheet_names: list[str], first_row: list[object]) -> bool:
    """Whether a workbook, in any format, is a combined workbook made by sarkit collate: it has an
    About sheet and its Chronology sheet's header row holds every column sarkit writes there."""
    if "Chronology" not in sheet_names or "About" not in sheet_names:
        return False
    return chronology_headed(first_row)


def looks_combined_book(book: RawWorkbook) -> bool:
    """`looks_combined` for a workbook read as returns are (any format, decrypted)."""
    chronology = next((s for s in book.sheets if s.name == "Chronology"), None)
    return (chronology is not None and bool(chronology.rows)
            and looks_combined([s.name for s in book.sheets], chronology.rows[0]))


def chronology_headed(row: list[object]) -> bool:
    """Whether a row holds every heading sarkit collate writes on the Chronology sheet (Ref,
    Flags, Source File and Source Row included, which no agency's return has)."""
    return set(CHRONOLOGY_COLUMNS) <= {_text(v).strip() for v in row}


def read_combined_workbook(path: Path | bytes) -> tuple[list[Entry], dict[str, Any]]:
    """The entries of the Chronology sheet, in its order, and what the workbook says about itself
    (see `read_combined_columns`)."""
    columns, about = read_combined_columns(path)
    return entries_of(columns), about


def read_combined_columns(path: Path | bytes, shown: str | None = None, *,
                          loaded: Callable[[], LoadedSheets] | None = None
                          ) -> tuple[EntryColumns, dict[str, Any]]:
    """The entries of the Chronology sheet, in its order, as columns (`entries_of` makes them
    entries), and what the workbook says about itself. `path` may be the bytes of the .xlsx
    package (a workbook decrypted in memory), with `shown` its name.

    The dict holds: `reference`, `subject`, `marking` (text), `period_start`, `period_end`
    (dates or None), `gap_days`, `window_days` (int or None), `agencies` (the Agencies sheet:
    one dict per row with `name`, `short`, `returns`, `entries`, `nil`, `missing`),
    `agencies_sheet` (whether the workbook has one), `returned` (names of agencies that sent
    entries or a nil return), `inputs` (file names) and `glossary` (agency name ->
    [(abbreviation, meaning)], from the Glossary sheet).
    Entries carry the agency's full name, their Ref and their Flags. `loaded`, when given,
    returns the sheets `load_combined_sheets` read (begun earlier, in another thread).
    """
    with collector_paused():
        if isinstance(path, bytes):
            return _read_columns(path, shown or "the workbook", loaded)
        return _read_columns(Path(path), str(path), loaded)


LoadedSheets = tuple[list[str], dict[str, list[list[Any]]]]


def load_combined_sheets(source: Path | bytes, shown: str) -> LoadedSheets:
    """The workbook's sheet names, and the cells of the sheets a combined workbook is read from
    (the native reader's part of `read_combined_columns`: it lets other threads run)."""
    try:
        book = (calamine.CalamineWorkbook.from_path(str(source)) if isinstance(source, Path)
                else calamine.CalamineWorkbook.from_filelike(io.BytesIO(source)))
        try:
            names = list(book.sheet_names)
            sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                      for name in names
                      if name in ("Chronology", "Agencies", "About", GLOSSARY_SHEET)}
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 - reader libraries raise anything on broken files
        raise SarkitError(f"The workbook {shown} cannot be read: it may be damaged or incomplete "
                          f"({type(exc).__name__}).", hint=_HINT) from None
    return names, sheets


def _read_columns(source: Path | bytes, shown: str, loaded: Callable[[], LoadedSheets] | None
                  ) -> tuple[EntryColumns, dict[str, Any]]:
    if isinstance(source, Path) and sniff_format(source) != "xlsx":
        raise SarkitError(f"{shown} is not a combined workbook made by sarkit collate (it is not "
                          "an .xlsx workbook).", hint=_HINT, exit_code=2)
    names, sheets = loaded() if loaded is not None else load_combined_sheets(source, shown)
    return _columns_of(names, sheets, shown, lambda columns: _date_formats(
        source if isinstance(source, Path) else io.BytesIO(source), "Chronology", columns))


def read_combined_values(path: Path, max_size: int) -> tuple[EntryColumns, dict[str, Any]] | None:
    """What `read_combined_columns` reads, from the workbook's values part (see
    formats/values_part.py): the same cells, without parsing the sheets; None when the workbook
    has no values part that matches it (saved again, changed, or made before sarkit wrote one)."""
    found = read_values_part(path, max_size)
    if found is None:
        return None
    names, sheets, formats = found
    with collector_paused():
        return _columns_of(names, sheets, str(path), lambda _: formats)


def _columns_of(names: list[str], sheets: dict[str, list[list[Any]] | ColumnSheet], shown: str,
                formats_of: Callable[[list[int]], dict[tuple[int, int], tuple[str, bool]]]
                ) -> tuple[EntryColumns, dict[str, Any]]:
    """The entries and settings from the cells of the sheets read (`sheets`, by name; `names`:
    every sheet's); `formats_of` gives the date formats of the Chronology's date columns."""
    lacking = [name for name in _REQUIRED_SHEETS if name not in names]
    if lacking:
        raise SarkitError(
            f"{shown} is not a combined workbook sarkit can read: it has no "
            f"{' and no '.join(lacking)} sheet (a combined workbook made by sarkit collate has "
            "Chronology and About sheets; one may have been renamed or deleted).",
            hint="Give the sheet its name again (Chronology, About), or collate the returns again.",
            exit_code=2)
    chronology = sheets.get("Chronology") or [[]]
    header_row = [_text(v).strip() for v in (
        chronology.header if isinstance(chronology, ColumnSheet) else chronology[0])]
    at = _column_places(header_row)
    lacking = [name for name in CHRONOLOGY_COLUMNS if name not in at]
    if lacking:
        raise SarkitError(f"The Chronology sheet of {shown} has no column headed "
                          f"{', '.join(lacking)}: sarkit reads its entries by the headings "
                          "sarkit collate writes in row 1.", file=shown, sheet="Chronology",
                          cell="A1", hint="Give the column its heading again, or collate the "
                                          "returns again.", exit_code=2)
    about = _about(sheets.get("About", []))
    agencies = _agencies(sheets.get("Agencies", []))
    about["agencies"] = agencies
    about["agencies_sheet"] = "Agencies" in names and bool(agencies)
    by_label: dict[str, str] = {}
    for agency in agencies:
        by_label.setdefault(agency["short"], agency["name"])
        by_label.setdefault(agency["name"], agency["name"])
    if about.get("view") == KEY_EVENTS_VIEW:
        raise SarkitError(f"{shown} holds only the key events (made by sarkit collate "
                          "--key-events), so gaps and overlaps worked out from it would be wrong.",
                          hint="Give the full combined workbook, or the returns themselves.",
                          exit_code=2)
    formats = formats_of([at["Date"], *([at["End Date"]] if "End Date" in at else [])])
    entries = _entries(chronology, by_label, shown, formats, at)
    about["glossary"] = _glossary(sheets.get(GLOSSARY_SHEET, []), by_label)
    names_found = set(entries.agency)
    about["returned"] = sorted(names_found | {a["name"] for a in agencies if a["nil"]})
    about["letters"] = {name: column_letter(i) for name, i in at.items()}
    return entries, about


def _column_places(header: list[str]) -> dict[str, int]:
    """Each of sarkit's Chronology headings -> its column (0-based), wherever it stands (an
    analyst may insert a column anywhere); the first column of a heading wins."""
    ours = {*CHRONOLOGY_COLUMNS, *ADDED_COLUMNS, *OLD_COLUMNS}
    at: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in ours:
            at.setdefault(name, i)
    return at


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Parsed:
    """parse_date / parse_time with a cache: a chronology repeats its dates and times, and a
    parsed date is immutable. A value that cannot be read stops the command, naming its cell."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.dates: dict[tuple[type, object], PartialDate] = {}
        self.cells: dict[tuple[dt.date, tuple[str, bool] | None], PartialDate] = {}
        self.times: dict[tuple[type, object], dt.time | None] = {}

    def date(self, value: object, cell: tuple[int, int], what: str,
             shown: tuple[str, bool] | None = None) -> PartialDate:
        if isinstance(value, dt.date):
            key = (value, shown)
            found = self.cells.get(key)
            if found is None:
                found = self.cells[key] = _dated(value, shown)
            return found
        key = (type(value), value)
        found = self.dates.get(key)
        if found is None:
            try:
                found = self.dates[key] = parse_date(value)[0]
            except DateError as exc:
                raise self.error(f"The {what} in the Chronology sheet cannot be read: {exc}",
                                  cell, exc.hint) from None
        return found

    def time(self, value: object, cell: tuple[int, int]) -> dt.time | None:
        if value is None or value == "":
            return None
        key = (type(value), value)
        if key not in self.times:
            try:
                self.times[key] = parse_time(value)
            except TimeError as exc:
                raise self.error(f"The time in the Chronology sheet cannot be read: {exc}",
                                  cell, exc.hint) from None
        return self.times[key]

    def error(self, message: str, cell: tuple[int, int], hint: str) -> SarkitError:
        row, column = cell
        return SarkitError(message, file=self.shown, sheet="Chronology",
                           cell=f"{column_letter(column)}{row}", hint=hint)


def _dated(value: dt.date, shown: tuple[str, bool] | None) -> PartialDate:
    """A date cell as its author wrote it, from its number format's (precision, uncertain)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    precision, uncertain = shown or A_DAY
    if precision == "year":
        return PartialDate(value.year, None, None, uncertain)
    if precision == "month":
        return PartialDate(value.year, value.month, None, uncertain)
    return PartialDate(value.year, value.month, value.day, uncertain)


def _sheet_member(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the XML of the sheet named `sheet`, or None."""
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    found = re.search(rb'<(?:\w+:)?sheet\b[^>]*?\bname="' + re.escape(
        html.escape(sheet).encode()) + rb'"[^>]*>', workbook)
    rid = re.search(rb'\br:id="([^"]+)"', found.group(0)) if found else None
    if rid is None:
        return None
    rel = re.search(rb'<Relationship\b[^>]*\bId="' + re.escape(rid.group(1)) + rb'"[^>]*>', rels)
    target = re.search(rb'\bTarget="([^"]+)"', rel.group(0)) if rel else None
    if target is None:
        return None
    member = target.group(1).decode()
    return member.lstrip("/") if member.startswith("/") else "xl/" + member


_FIRST_ROW_LIMIT = 1_000_000  # bytes of sheet XML looked through for the end of the first row
_HEADING_CELL = re.compile(
    rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_TEXT_RUN = re.compile(rb"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si\b[^>]*>(.*?)</(?:\w+:)?si>", re.S)


def chronology_headings(path: Path) -> list[str] | None:
    """The headings of a combined workbook's Chronology sheet (its first row), read without
    reading the sheet: the sheet's XML up to the end of its first row, and the shared strings
    it names (only as far as the last one it needs). None when they cannot be read so."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, "Chronology")
            if member is None:
                return None
            head = b""
            with archive.open(member) as stream:
                while b"</row>" not in head and b":row>" not in head.split(b"<sheetData", 1)[-1]:
                    chunk = stream.read(65536)
                    if not chunk or len(head) > _FIRST_ROW_LIMIT:
                        return None
                    head += chunk
            body = head.split(b"<sheetData", 1)[-1]
            row = re.search(rb"<(?:\w+:)?row\b.*?</(?:\w+:)?row>", body, re.S)
            if row is None:
                return None
            cells = []
            for attributes, inner in _HEADING_CELL.findall(row.group(0)):
                kind = re.search(rb'\bt="([^"]*)"', attributes)
                if kind and kind.group(1) == b"s":
                    value = _VALUE.search(inner or b"")
                    cells.append(int(value.group(1)) if value and value.group(1).isdigit() else "")
                elif kind and kind.group(1) in (b"inlineStr", b"str"):
                    runs = _TEXT_RUN.findall(inner or b"") or _VALUE.findall(inner or b"")
                    cells.append(html.unescape(b"".join(runs).decode("utf-8", "replace")))
                else:
                    value = _VALUE.search(inner or b"")
                    cells.append(value.group(1).decode("utf-8", "replace") if value else "")
            wanted = max((c for c in cells if isinstance(c, int)), default=-1)
            shared = _shared_strings(archive, wanted) if wanted >= 0 else []
            if len(shared) <= wanted:
                return None
            return [shared[c] if isinstance(c, int) else c for c in cells]
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None


def _shared_strings(archive: zipfile.ZipFile, last: int) -> list[str]:
    """The shared strings up to index `last`, read from the start of sharedStrings.xml only."""
    found: list[str] = []
    data = b""
    with archive.open("xl/sharedStrings.xml") as stream:
        while len(found) <= last:
            chunk = stream.read(65536)
            if not chunk:
                break
            data += chunk
            end = 0
            for item in _SHARED_ITEM.finditer(data):
                found.append(html.unescape(b"".join(_TEXT_RUN.findall(item.group(1))).decode(
                    "utf-8", "replace")))
                end = item.end()
            data = data[end:]
    return found


def _date_formats(path: Path | io.BytesIO, sheet: str,
                  columns: list[int]) -> dict[tuple[int, int], tuple[str, bool]]:
    """(row, column) (1-based row, 0-based column) -> (precision, uncertain) that the number format
    of each date cell of `columns` shows, when it is not a certain day (what a cell without one
    is read as). Read from styles.xml and the sheet's XML (not read when no style shows anything
    but a day); a workbook whose parts cannot be found gives {} (its dates are then read as
    days)."""
    try:
        with zipfile.ZipFile(path) as archive:
            member = _sheet_member(archive, sheet)
            if member is None or "xl/styles.xml" not in set(archive.namelist()):
                return {}
            styles_info = archive.getinfo("xl/styles.xml")
            if styles_info.file_size > STYLES_XML_LIMIT:
                return {}
            styles = archive.read(styles_info)
            by_style = style_meanings(styles)
            if not by_style:
                return {}
            xml = archive.read(member)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return {}
    numbers = {column_letter(c).encode(): c for c in columns}
    out: dict[tuple[int, int], tuple[str, bool]] = {}
    for letter, row, style in _styled_cells(xml, list(numbers)):
        meaning = by_style.get(style)
        if meaning is not None:
            out[(int(row), numbers[letter])] = meaning
    return out


def _styled_cells(xml: bytes, letters: list[bytes]) -> list[tuple[bytes, bytes, bytes]]:
    """(column letter, row, style) of each cell of the columns `letters` that has a style.

    The cells as xlsxwriter writes them ('<c r="B2" s="3"') are found with one quick pass per
    column (its expression starts with a literal); when some cell of those columns is written
    otherwise (another program saved the workbook), the general expression reads every cell.
    """
    quick: list[tuple[bytes, bytes, bytes]] = []
    for letter in letters:
        found = re.findall(rb'<c r="(' + letter + rb')(\d+)" s="(\d+)"', xml)
        if len(found) != len(re.findall(rb'r="' + letter + rb'\d+"', xml)):
            break
        quick += found
    else:
        return quick
    either = b"|".join(letters)
    cell = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*?\br="(' + either + rb')(\d+)")[^>]*?\bs="(\d+)"')
    return cell.findall(xml)


@dataclass(slots=True)
class EntryColumns:
    """The entries of a Chronology sheet as columns (one list per Entry field, in sheet order):
    quick to send from the reader's process, where 100,000 Entry objects are slow to pickle.
    Dates and times are shared objects (immutable), each sent once. `entries_of` makes the
    entries."""

    agency: list[str] = field(default_factory=list)
    date: list[PartialDate] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    event: list[str] = field(default_factory=list)
    time: list[dt.time | None] = field(default_factory=list)
    end_date: list[PartialDate | None] = field(default_factory=list)
    end_time: list[dt.time | None] = field(default_factory=list)
    action: list[str] = field(default_factory=list)
    practitioner: list[str] = field(default_factory=list)
    analysis: list[str] = field(default_factory=list)
    key_event: list[bool | None] = field(default_factory=list)
    agency_ref: list[str] = field(default_factory=list)
    file: list[str] = field(default_factory=list)
    sheet: list[str] = field(default_factory=list)  # '' unless Source Row names it ('12 (April)')
    row: list[int] = field(default_factory=list)
    order: list[int] = field(default_factory=list)
    ref: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # as the Flags cell says: 'a; b'
    # a return's own columns: heading -> each entry's value ('' when blank), when there are any
    # (columns pickle quickly; 100,000 small dicts took most of the transfer from the worker)
    extras: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.date)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while many objects are made that are never garbage (a
    sheet's cells, 100,000 entries): it would look at every object again and again for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_COLUMN_FIELDS = tuple(f.name for f in fields(EntryColumns) if f.name != "extras")


def entries_of(columns: EntryColumns) -> list[Entry]:
    """The entries the columns hold, each with its own extras dict and flags list."""
    with collector_paused():
        return _entries_of(columns)


def _entries_of(columns: EntryColumns) -> list[Entry]:
    height = len(columns.date)
    if any(len(getattr(columns, name)) != height for name in _COLUMN_FIELDS) or any(
            len(values) != height for values in columns.extras.values()):
        raise ValueError("the entries' columns differ in length")
    extras: list[dict[str, str]] = [{} for _ in columns.date]
    for name, values in columns.extras.items():  # a cell at a time only where one is written
        for i in [i for i, value in enumerate(values) if value]:
            extras[i][name] = values[i]
    # each distinct Flags text split once ('a; b': a few thousand among 100,000), a list each
    split = {text: [f.strip() for f in text.split(";") if f.strip()] for text in set(columns.flags)}
    flags = [[*split[text]] for text in columns.flags]
    # positional arguments in Entry's field order: a third quicker than keywords at 100,000
    return list(map(Entry, columns.agency, columns.date, columns.source, columns.event, columns.time,
                    columns.end_date, columns.end_time, columns.action, columns.practitioner,
                    columns.analysis, columns.key_event, columns.agency_ref, columns.file,
                    columns.sheet, columns.row, columns.order, extras, columns.ref, flags))


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the Chronology sheet's columns are (0-based), found by their headings."""

    width: int
    at: dict[str, int]  # each of sarkit's headings -> its column
    extras: list[tuple[int, str]]  # every other column: (index, heading)
    end_date: int | None
    end_time: int | None

    def __getitem__(self, name: str) -> int:
        return self.at[name]


def _entries(sheet: list[list[object]] | ColumnSheet, by_label: dict[str, str], shown: str,
             formats: dict[tuple[int, int], tuple[str, bool]], at: dict[str, int]) -> EntryColumns:
    """The entries of the Chronology's rows (or of its columns, read back from the values part)."""
    if isinstance(sheet, ColumnSheet):
        header_cells, columns = sheet.header, sheet.columns
        if sheet.height == 1 and _nothing_written([column[0] for column in columns]):
            columns = [[] for _ in columns]
    else:
        if len(sheet) == 2 and _nothing_written(sheet[1]):  # collate's "(no entries)": none to read
            sheet = sheet[:1]
        header_cells, columns = sheet[0], None
    header = [_text(v).strip() for v in header_cells]
    ours = set(at.values())
    layout = _Layout(width=len(header), at=at, end_date=at.get("End Date"),
                     end_time=at.get("End Time"),
                     extras=[(i, header[i]) for i in range(len(header))
                             if header[i] and i not in ours
                             and header[i] not in {*ADDED_COLUMNS, *OLD_COLUMNS}])
    try:
        if columns is None:
            body = sheet[1:]
            if any(len(cells) < layout.width for cells in body):
                raise ValueError("a short row")
            columns = list(zip(*body, strict=False)) if body else [()] * layout.width
        return _by_column(columns, len(columns[0]) if columns else 0, by_label, shown, formats, layout)
    except Exception:  # noqa: BLE001 - read again row by row, which says the first problem
        pass
    rows = sheet.rows() if isinstance(sheet, ColumnSheet) else sheet
    return _by_row(rows, by_label, shown, formats, layout)


def _nothing_written(cells: list[object]) -> bool:
    """Whether a row is what collate writes in row 2 of a Chronology without entries."""
    return bool(cells) and _text(cells[0]).strip() in (NO_ENTRIES, NO_KEY_EVENTS) and not any(
        _text(value).strip() for value in cells[1:])


def _text_of(value: object) -> str:
    return value if value.__class__ is str else _text(value)  # type: ignore[return-value]


def _by_column(columns: Sequence[Sequence[object]], height: int, by_label: dict[str, str], shown: str,
               formats: dict[tuple[int, int], tuple[str, bool]], layout: _Layout) -> EntryColumns:
    """The entries read a column at a time (what `_by_row` reads, quicker) from the columns
    under the header, each `height` cells: for a sheet whose every row has its date. Anything
    else raises, and `_by_row` reads the sheet."""
    if len(columns) < layout.width or any(len(column) != height for column in columns):
        raise ValueError("a short column")
    dates = columns[layout["Date"]]
    if "" in dates or None in dates:
        raise ValueError("a row without a date")
    parsed = _Parsed(shown)
    out = EntryColumns()
    out.date = _dates(dates, layout["Date"], "date", parsed, formats)
    end_date_col, end_time_col = layout.end_date, layout.end_time
    if end_date_col is not None:
        out.end_date = _dates(columns[end_date_col], end_date_col, "End Date", parsed, formats)
    else:
        out.end_date = [None] * height
    out.end_time = (_times(columns[end_time_col], parsed) if end_time_col is not None
                    else [None] * height)
    out.time = _times(columns[layout["Time"]], parsed)

    def agency(value: object) -> str:
        label = _text(value).strip()
        return by_label.get(label, label)

    keys = {"Y": True, "N": False}
    out.agency = _each_once(columns[layout["Agency"]], agency)
    out.source, out.event, out.action, out.practitioner, out.analysis = (
        _texts(columns[layout[name]]) for name in CHRONOLOGY_COLUMNS[4:9])
    out.key_event = _each_once(columns[layout["Key Event"]], lambda v: keys.get(_text(v).strip().upper()))
    out.flags = _texts(columns[layout["Flags"]])
    out.agency_ref = _texts(columns[layout["Agency Ref"]])
    out.file = _each_once(columns[layout["Source File"]], _text)
    rows_in = columns[layout["Source Row"]]
    if set(map(type, rows_in)) <= {float, int}:
        out.sheet, out.row = [""] * height, list(map(int, rows_in))
    else:
        places = list(map(_source_row, rows_in))
        out.sheet = [sheet for sheet, _ in places]
        out.row = [row for _, row in places]
    out.order = list(range(height))
    out.ref = list(map(str.strip, _texts(columns[layout["Ref"]])))
    for i, name in layout.extras:
        _add_extra(out.extras, name, _each_once(columns[i], _text))
    return out


def _dates(values: Sequence[object], col: int, what: str, parsed: _Parsed,
           formats: dict[tuple[int, int], tuple[str, bool]]) -> list[PartialDate | None]:
    """A column of dates read (a blank: None): each distinct date cell once, then the cells
    whose number format shows a month or a year, then any other value a cell at a time."""
    date = dt.date
    known = {v: parsed.date(v, (0, col), what) for v in set(values) if v.__class__ is date}
    out = [known[v] if v.__class__ is date else None for v in values]
    for (row, c), shown in formats.items():
        if c == col and 2 <= row < len(values) + 2 and values[row - 2].__class__ is date:
            out[row - 2] = parsed.date(values[row - 2], (row, col), what, shown)
    for i in [i for i, v in enumerate(values) if v.__class__ is not date and v not in ("", None)]:
        out[i] = parsed.date(values[i], (i + 2, col), what, formats.get((i + 2, col)))
    return out


def _times(values: Sequence[object], parsed: _Parsed) -> list[dt.time | None]:
    """A column of times read, each distinct text once (raises at a time that cannot be read:
    `_by_row` reads the sheet again and names its cell)."""
    known = {v: parsed.time(v, (0, 0)) for v in set(values) if v.__class__ is str}
    return [known[v] if v.__class__ is str else parsed.time(v, (0, 0)) for v in values]


def _texts(values: tuple[object, ...]) -> list[str]:
    """A column's cells as text (a column of text only, as it is: checked in one pass)."""
    return list(values) if set(map(type, values)) <= {str} else list(map(_text_of, values))


def _add_extra(extras: dict[str, list[str]], name: str, values: list[str]) -> None:
    """A return's own column added to `extras`; a second column of the same heading fills in
    the first's blanks and, where both are filled, wins (as a later cell does in a row)."""
    before = extras.get(name)
    extras[name] = values if before is None else [v or b for v, b in zip(values, before, strict=True)]


def _each_once(values: tuple[object, ...], function: Callable[[object], Any]) -> list[Any]:
    """`function` of each value, worked out once for each distinct text (a column of a few
    values: agency, file, Key Event); other values (numbers...) each time."""
    known = {v: function(v) for v in set(values) if v.__class__ is str}
    return [known[v] if v.__class__ is str else function(v) for v in values]


def _by_row(rows: list[list[object]], by_label: dict[str, str], shown: str,
            formats: dict[tuple[int, int], tuple[str, bool]], layout: _Layout) -> EntryColumns:
    """The entries read a row at a time: a row without a date is left out when it is empty and
    stops the command when it is not; the first cell that cannot be read stops it, naming it."""
    ours = [layout[name] for name in CHRONOLOGY_COLUMNS]
    ref_c, date_c, time_c, agency_c = ours[:4]
    extras, width = layout.extras, layout.width
    end_date_col, end_time_col = layout.end_date, layout.end_time
    parsed = _Parsed(shown)
    keys = {"Y": True, "N": False}
    out = EntryColumns(extras={name: [] for _, name in extras})
    texts = {}  # a few distinct values (agency, file): one string object each
    text = _text_of

    for index, cells in enumerate(rows[1:]):
        row_number = index + 2
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        if cells[date_c] in ("", None):
            if any(_text(cells[i]).strip() for i in ours):
                raise parsed.error("A row of the Chronology sheet has no date.", (row_number, date_c),
                                    "Give every entry its date, or delete the row.")
            continue
        out.date.append(parsed.date(cells[date_c], (row_number, date_c), "date",
                                    formats.get((row_number, date_c))))
        end_date = None
        if end_date_col is not None and cells[end_date_col] not in ("", None):
            end_date = parsed.date(cells[end_date_col], (row_number, end_date_col), "End Date",
                                   formats.get((row_number, end_date_col)))
        out.end_date.append(end_date)
        out.end_time.append(parsed.time(cells[end_time_col], (row_number, end_time_col))
                            if end_time_col is not None else None)
        label = text(cells[agency_c]).strip()
        agency = by_label.get(label, label)
        out.agency.append(texts.setdefault(agency, agency))
        out.source.append(text(cells[ours[4]]))
        out.event.append(text(cells[ours[5]]))
        out.time.append(parsed.time(cells[time_c], (row_number, time_c)))
        out.action.append(text(cells[ours[6]]))
        out.practitioner.append(text(cells[ours[7]]))
        out.analysis.append(text(cells[ours[8]]))
        out.key_event.append(keys.get(text(cells[ours[9]]).strip().upper()))
        out.flags.append(text(cells[ours[10]]))
        out.agency_ref.append(text(cells[ours[11]]))
        file = text(cells[ours[12]])
        out.file.append(texts.setdefault(file, file))
        sheet, number = _source_row(cells[ours[13]])
        out.sheet.append(texts.setdefault(sheet, sheet))
        out.row.append(number)
        out.order.append(index)
        out.ref.append(text(cells[ref_c]).strip())
        if extras:
            found: dict[str, str] = {}
            for i, name in extras:
                if cells[i] not in ("", None) or name not in found:
                    found[name] = _text(cells[i]) if cells[i] not in ("", None) else ""
            for name, value in found.items():
                out.extras[name].append(texts.setdefault(value, value))
    return out


def _source_row(value: object) -> tuple[str, int]:
    """(sheet, row) of a Source Row: a number (text in workbooks made before sarkit wrote it as
    one), or '12 (April)' for a return whose entries came from more than one sheet."""
    if isinstance(value, int | float):
        return "", int(value)
    text = _text(value).strip()
    return ("", int(text)) if text.isdigit() else read_source_row(text) or ("", 0)


def _about(rows: list[list[object]]) -> dict[str, Any]:
    values: dict[str, list[object]] = {}
    for cells in rows[1:]:
        if len(cells) >= 2 and _text(cells[0]).strip():
            values.setdefault(_text(cells[0]).strip(), []).append(cells[1])

    def one(label: str) -> str:
        found = values.get(label)
        return _text(found[0]).strip() if found else ""

    def day(label: str) -> dt.date | None:
        value = values.get(label, [None])[0]
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value).strip()
        for form in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(text, form).date()
            except ValueError:
                continue
        return None

    def count(label: str) -> int | None:
        text = one(label)
        return int(text) if text.isdigit() else None

    return {
        "reference": one("Reference"),
        "subject": one("Subject"),
        "marking": one("Marking"),
        "period_start": day("Period start"),
        "period_end": day("Period end"),
        "gap_days": count("Gap days"),
        "window_days": count("Overlap window days"),
        "inputs": [_text(v) for v in values.get("Input file", [])],
        "view": one("View"),
        "account": _account(one("Account data")),
    }


def _account(text: str) -> dict[str, Any] | None:
    """The closing account the workbook was made with (About sheet, 'Account data'), if any."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _agencies(rows: list[list[object]]) -> list[dict[str, Any]]:
    if not rows:
        return []
    header = [_text(v).strip() for v in rows[0]]
    col = {name: i for i, name in enumerate(header)}
    if "Agency" not in col:
        return []

    def get(cells: list[object], name: str) -> object:
        i = col.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    agencies = []
    for cells in rows[1:]:
        name = _text(get(cells, "Agency")).strip()
        if not name:
            continue
        returns, entries = get(cells, "Returns"), get(cells, "Entries")
        agencies.append({
            "name": name,
            "short": _text(get(cells, "Short Name")).strip() or name,
            "returns": int(returns) if isinstance(returns, int | float) else 0,
            "entries": int(entries) if isinstance(entries, int | float) else 0,
            "nil": _text(get(cells, "Nil Return")).strip().lower() == "yes",
            "missing": _text(get(cells, "Missing Return")).strip().lower() == "yes",
            "unusable": _text(get(cells, "Unusable Return")).strip().lower() == "yes",
        })
    return agencies


def _glossary(rows: list[list[object]], by_label: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The Glossary sheet by agency: its Agency cell lists the short names that gave the meaning."""
    glossary: dict[str, list[tuple[str, str]]] = {}
    for cells in rows[1:]:
        cells = [*cells, "", "", ""][:3]
        abbreviation, meaning, agencies = (_text(v).strip() for v in cells)
        if not abbreviation or not meaning:
            continue
        labels = [agencies] if agencies in by_label else [a.strip() for a in agencies.split(",")]
        for label in labels:
            if label:
                glossary.setdefault(by_label.get(label, label), []).append((abbreviation, meaning))
    return glossary
