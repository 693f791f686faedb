"""The values part of a combined workbook: the cells of the sheets sarkit reads back, kept inside
the .xlsx so that `gaps`, `new-imr` and the API read them without parsing the sheets' XML.

`sarkit collate` records each cell of the Chronology, About, Agencies and Glossary sheets as a
spreadsheet reader gives it back (text as text, numbers as floats, date cells as dates), with
the precision each Date cell's format shows, and adds them as one more part of the package,
`sarkit/values.xml`, with a SHA-256 digest of every byte written before it. The part is used
only while that digest still matches: a workbook saved again by a spreadsheet program (which
writes the package afresh; LibreOffice drops the part) or changed in any other way is read from
its sheets as before.

The part holds nothing the sheets do not: the same cells, as written. It is an XML element
whose text is JSON in which < > & are written as \\u escapes, so the package stays valid. No
relationship points at it: ECMA-376 Part 1 calls such a part unknown, which a consumer "shall
ignore" and a producer "can, but need not, discard" (so a program that saves the workbook again
may keep it; the digest then no longer matches, and it is not used).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any

PART = "sarkit/values.xml"
VERSION = 1
_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<values xmlns="urn:sarkit:values">'
_TAIL = b"</values>"
# what must not stand as itself in XML text: written as a JSON \\u escape instead (only inside
# strings: JSON's own syntax has none of them)
_NOT_IN_XML = ("<", ">", "&", "\ufffe", "\uffff")
_CHUNK = 1 << 20
# a column of text kept as one string, its cells joined by this character (a column holding it
# is kept as a list): one JSON string reads many times quicker than 100,000
_JOIN = "\x1f"
_CELL_TYPES = frozenset({str, float, dt.date})

Cell = str | int | float | dt.date | None
Formats = dict[tuple[int, int], tuple[str, bool]]
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of the 1900 date system, for days from March 1900


class SheetValues:
    """The cells of one sheet as written, row by row from row 1 (the header), and what a reader
    gives back for them: text as text, a number as a float, a date cell as a date, a blank as ""
    (what python-calamine returns; every row as wide as the widest).

    A row is kept as written (`add_row`, no work per cell, for the Chronology): an int in one of
    `day_columns` is a date cell's day number, in one of `number_columns` a number. `add` works
    out each cell (for the small sheets)."""

    def __init__(self, day_columns: Sequence[int] = (), number_columns: Sequence[int] = (),
                 by_column: bool = False) -> None:
        self.rows: list[list[Any]] = []
        self.by_column = by_column  # kept column by column (a large sheet)
        self.dates: list[tuple[int, int, int]] = []  # (row index, column, ordinal) of `add`'s dates
        self.formats: list[tuple[int, int, str, bool]] = []  # (1-based row, column, precision, uncertain)
        self.day_columns = list(day_columns)
        self.number_columns = list(number_columns)

    def add_row(self, cells: list[str | int], shown: dict[int, tuple[str, bool]] | None = None) -> None:
        """A row as written: text, "" for a blank, ints only in the day and number columns;
        `shown`: column -> (precision, uncertain) of its date cells showing other than a day."""
        self.rows.append(cells)
        if shown:
            row = len(self.rows)
            self.formats.extend((row, col, *meaning) for col, meaning in shown.items())

    def add(self, cells: Sequence[Cell]) -> None:
        """A row of values of any kind: a date is a date cell, None a blank."""
        index = len(self.rows)
        row: list[Any] = []
        for col, value in enumerate(cells):
            if value is None:
                row.append("")
            elif isinstance(value, dt.date):
                self.dates.append((index, col, value.toordinal()))
                row.append(None)
            elif isinstance(value, str):
                row.append(value)
            else:
                row.append(float(f"{value:.16G}"))  # the digits the sheet holds
        self.rows.append(row)


class ValuesRecord:
    """The values of the sheets that sarkit reads back, and the names of all sheets in order."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.sheets: dict[str, SheetValues] = {}

    def sheet(self, name: str, kept: bool, *, by_column: bool = False) -> SheetValues | None:
        """A sheet added to the workbook (in order); its values when `kept`."""
        self.names.append(name)
        if not kept:
            return None
        found = self.sheets[name] = SheetValues(by_column=by_column)
        return found


class ColumnSheet:
    """A sheet read back column by column: its header row and the columns of the rows below."""

    def __init__(self, header: list[Any], columns: list[list[Any]], height: int) -> None:
        self.header, self.columns, self.height = header, columns, height

    def rows(self) -> list[list[Any]]:
        """The sheet as rows, header first."""
        return [self.header, *map(list, zip(*self.columns, strict=True))] if self.height else [self.header]


def add_values_part(path: Path, record: ValuesRecord) -> None:
    """Append the values part to the finished workbook at `path`, with the digest of every byte
    before it (what the other parts are, as written)."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        end = archive.start_dir  # where the part goes: the bytes before it are the digest's
    members = [[i.filename, i.header_offset, i.compress_size, i.CRC] for i in infos]
    sheets = {}
    for name, values in record.sheets.items():
        width = max(map(len, values.rows), default=0)
        rows = [row if len(row) == width else row + [""] * (width - len(row)) for row in values.rows]
        sheets[name] = {"dates": values.dates, "formats": values.formats,
                        "day_columns": values.day_columns, "number_columns": values.number_columns}
        if values.by_column and rows:
            columns = [list(column) for column in zip(*rows[1:], strict=True)] or [[] for _ in rows[0]]
            sheets[name].update(header=rows[0], height=len(rows) - 1,
                                columns=[_joined(column) for column in columns])
        else:
            sheets[name]["rows"] = rows
    body = {"version": VERSION, "digest": _digest(path, end), "members": members,
            "names": record.names, "sheets": sheets}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for character in _NOT_IN_XML:  # a look first: most texts have none (quicker than one expression)
        if character in text:
            text = text.replace(character, f"\\u{ord(character):04x}")
    try:
        data = _HEAD + text.encode("utf-8") + _TAIL
    except UnicodeEncodeError:  # a text no sheet could hold either: read from the sheets
        return
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(PART, data)


def _joined(column: list[Any]) -> list[Any] | dict[str, str]:
    """A column as one string of its cells joined, when every cell is text without `_JOIN`."""
    if set(map(type, column)) <= {str}:
        text = _JOIN.join(column)
        if text.count(_JOIN) == len(column) - 1:
            return {"joined": text}
    return column


Sheets = dict[str, "list[list[Any]] | ColumnSheet"]


def read_values_part(path: Path, max_size: int) -> tuple[list[str], Sheets, Formats] | None:
    """The sheet names, the values of the sheets kept, and the Chronology's date formats, from a
    workbook whose values part matches the bytes before it; None when it has none, or it does
    not match, or anything about it is not as `add_values_part` writes it (the workbook is then
    read from its sheets). `max_size` caps the part's size unpacked."""
    try:
        return _read(Path(path), max_size)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError,
            RecursionError, MemoryError, zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError):
        return None


def _read(path: Path, max_size: int) -> tuple[list[str], Sheets, Formats] | None:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if not infos or infos[-1].filename != PART:
            return None
        info = infos[-1]
        if info.file_size > max_size or info.compress_type not in (zipfile.ZIP_STORED,
                                                                   zipfile.ZIP_DEFLATED):
            return None
        with archive.open(info) as handle:
            data = handle.read(max_size + 1)
        if len(data) > max_size or not data.startswith(_HEAD) or not data.endswith(_TAIL):
            return None
        body = json.loads(data[len(_HEAD):-len(_TAIL)])
        others = [[i.filename, i.header_offset, i.compress_size, i.CRC] for i in infos[:-1]]
    if (not isinstance(body, dict) or body.get("version") != VERSION or body.get("members") != others
            or body.get("digest") != _digest(path, info.header_offset)):
        return None
    names = body["names"]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    sheets: Sheets = {}
    formats: Formats = {}
    for name, values in body["sheets"].items():
        if name not in names:
            return None
        if "columns" in values:
            found = _columns(values)
            if found is None:
                return None
            sheets[name] = found
        else:
            rows = _rows(values)
            if rows is None:
                return None
            sheets[name] = rows
        if name == "Chronology":
            for row, col, precision, uncertain in values["formats"]:
                if precision not in ("day", "month", "year") or type(uncertain) is not bool:
                    return None
                formats[(int(row), int(col))] = (precision, uncertain)
    return names, sheets, formats


def _rows(values: dict[str, Any]) -> list[list[Any]] | None:
    """A small sheet's rows, its dates and numbers made what a reader gives; None if unlike."""
    rows = values["rows"]
    if not isinstance(rows, list) or set(map(type, rows)) - {list}:
        return None
    made: dict[int, dt.date] = {}
    for index, col, ordinal in values["dates"]:
        if rows[index][col] is not None:
            return None
        rows[index][col] = made.get(ordinal) or made.setdefault(ordinal, dt.date.fromordinal(ordinal))
    if values["day_columns"] or values["number_columns"]:
        return None  # kept by column only
    if set(map(type, chain.from_iterable(rows))) - _CELL_TYPES:
        return None
    return rows


def _columns(values: dict[str, Any]) -> ColumnSheet | None:
    """A large sheet's columns, each of `height` cells, made what a reader gives; None if unlike."""
    header, height, kept = values["header"], values["height"], values["columns"]
    if (not isinstance(header, list) or set(map(type, header)) - {str} or type(height) is not int
            or not isinstance(kept, list) or len(kept) != len(header) or values["dates"]):
        return None
    columns: list[list[Any]] = []
    checked = set()  # the columns of text split from one string: text only, no look needed
    for col, column in enumerate(kept):
        if isinstance(column, dict):
            text = column["joined"]
            if type(text) is not str:
                return None
            column = text.split(_JOIN) if height else []
            checked.add(col)
        if not isinstance(column, list) or len(column) != height:
            return None
        columns.append(column)
    for col in values["day_columns"]:
        columns[col] = _days_to_dates(columns[col])
        checked.discard(col)
    for col in values["number_columns"]:
        columns[col] = [float(v) if v.__class__ is int else v for v in columns[col]]
        checked.discard(col)
    if any(set(map(type, column)) - _CELL_TYPES for col, column in enumerate(columns)
           if col not in checked):
        return None
    return ColumnSheet(header, columns, height)


def _days_to_dates(column: list[Any]) -> list[Any]:
    """The day numbers of a column made dates (as a reader gives a date cell): each distinct
    number once, one date object for its cells."""
    by_number: dict[int, dt.date] = {}
    for value in set(column):
        if value.__class__ is int:
            if value < 61:  # before March 1900, where Excel's days are off by one
                raise ValueError("a day number before March 1900")
            by_number[value] = EXCEL_EPOCH + dt.timedelta(days=value)
    return [by_number[value] if value.__class__ is int else value for value in column]


def _digest(path: Path, end: int) -> str:
    """SHA-256 of the file's first `end` bytes."""
    digest = hashlib.sha256()
    left = end
    with open(path, "rb") as handle:
        while left > 0:
            chunk = handle.read(min(_CHUNK, left))
            if not chunk:
                raise ValueError("the file is shorter than its parts say")
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()

