"""Reading a combined workbook made by `sarkit collate` back into entries and its settings.

The Chronology sheet's Agency column shows each agency's short name; the Agencies sheet maps
it back to the full name, so the entries read here are the entries collate analysed. Dates are
read as written ('22/05/2016', 'May 2016', '?22/05/2016'), with the same parser as returns.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import python_calamine as calamine

from sarkit.dates import DateError, PartialDate, TimeError, parse_date, parse_time
from sarkit.entries import Entry
from sarkit.errors import SarkitError
from sarkit.findings import column_letter
from sarkit.formats.combined_layout import CHRONOLOGY_COLUMNS, HIDDEN_COLUMNS
from sarkit.intake.sniff import sniff_format

__all__ = ["is_combined_workbook", "read_combined_workbook"]

_REQUIRED_SHEETS = ("Chronology", "About")
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')
_WORKBOOK_XML_LIMIT = 5_000_000
_HINT = "Give the combined workbook written by sarkit collate, or the returns themselves."


def _sheet_names(path: Path) -> set[str]:
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
                and set(_REQUIRED_SHEETS) <= _sheet_names(path))
    except OSError:
        return False


def read_combined_workbook(path: Path) -> tuple[list[Entry], dict[str, Any]]:
    """The entries of the Chronology sheet, in its order, and what the workbook says about itself.

    The dict holds: `reference`, `subject`, `marking` (text), `period_start`, `period_end`
    (dates or None), `gap_days`, `window_days` (int or None), `agencies` (the Agencies sheet:
    one dict per row with `name`, `short`, `returns`, `entries`, `nil`, `missing`),
    `returned` (names of agencies that sent entries or a nil return) and `inputs` (file names).
    Entries carry the agency's full name, their Ref and their Flags.
    """
    path = Path(path)
    shown = str(path)
    if not is_combined_workbook(path):
        raise SarkitError(f"{path} is not a combined workbook made by sarkit collate "
                          "(it needs Chronology and About sheets).", hint=_HINT)
    try:
        book = calamine.CalamineWorkbook.from_path(shown)
        try:
            sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                      for name in book.sheet_names if name in ("Chronology", "Agencies", "About")}
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 - reader libraries raise anything on broken files
        raise SarkitError(f"The workbook {path} cannot be read: it may be damaged or incomplete "
                          f"({type(exc).__name__}).", hint=_HINT) from None
    chronology = sheets.get("Chronology") or [[]]
    header = [_text(v) for v in chronology[0][: len(CHRONOLOGY_COLUMNS)]]
    if header != list(CHRONOLOGY_COLUMNS):
        raise SarkitError(f"The Chronology sheet of {path} does not have the columns sarkit "
                          "collate writes (Ref, Date, Time, Agency, …).", file=shown,
                          sheet="Chronology", cell="A1", hint=_HINT)
    about = _about(sheets.get("About", []))
    agencies = _agencies(sheets.get("Agencies", []))
    about["agencies"] = agencies
    by_label: dict[str, str] = {}
    for agency in agencies:
        by_label.setdefault(agency["short"], agency["name"])
        by_label.setdefault(agency["name"], agency["name"])
    entries = _entries(chronology, by_label, shown)
    names = {e.agency for e in entries}
    about["returned"] = sorted(names | {a["name"] for a in agencies if a["nil"]})
    return entries, about


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
        self.times: dict[tuple[type, object], dt.time | None] = {}

    def date(self, value: object, cell: tuple[int, int], what: str) -> PartialDate:
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


def _entries(rows: list[list[object]], by_label: dict[str, str], shown: str) -> list[Entry]:
    header = [_text(v) for v in rows[0]]
    fixed = len(CHRONOLOGY_COLUMNS)
    hidden = [i for i, name in enumerate(header) if i >= fixed and name in HIDDEN_COLUMNS]
    end_of_extras = min(hidden) if hidden else len(header)
    extras = [(i, header[i]) for i in range(fixed, end_of_extras) if header[i]]
    col = {name: i for i, name in enumerate(header) if i >= fixed}
    end_date_col, end_time_col = col.get("End Date"), col.get("End Time")
    width = len(header)
    parsed = _Parsed(shown)
    keys = {"Y": True, "N": False}
    entries: list[Entry] = []
    for index, cells in enumerate(rows[1:]):
        row_number = index + 2
        if len(cells) < width:
            cells = [*cells, *([""] * (width - len(cells)))]
        if cells[1] in ("", None):
            if any(_text(v).strip() for v in cells[:fixed]):
                raise parsed.error("A row of the Chronology sheet has no date.", (row_number, 1),
                                    "Give every entry its date, or delete the row.")
            continue
        date = parsed.date(cells[1], (row_number, 1), "date")
        end_date = None
        if end_date_col is not None and cells[end_date_col] not in ("", None):
            end_date = parsed.date(cells[end_date_col], (row_number, end_date_col), "End Date")
        end_time = (parsed.time(cells[end_time_col], (row_number, end_time_col))
                    if end_time_col is not None else None)
        label = _text(cells[3]).strip()
        flags = _text(cells[10])
        source_row = cells[13]
        entries.append(Entry(
            agency=by_label.get(label, label),
            date=date,
            source=_text(cells[4]),
            event=_text(cells[5]),
            time=parsed.time(cells[2], (row_number, 2)),
            end_date=end_date,
            end_time=end_time,
            action=_text(cells[6]),
            practitioner=_text(cells[7]),
            analysis=_text(cells[8]),
            key_event=keys.get(_text(cells[9]).strip().upper()),
            agency_ref=_text(cells[11]),
            file=_text(cells[12]),
            sheet="",
            row=int(source_row) if isinstance(source_row, int | float) else 0,
            order=index,
            extras={name: _text(cells[i]) for i, name in extras if cells[i] not in ("", None)},
            ref=_text(cells[0]).strip(),
            flags=[f.strip() for f in flags.split(";") if f.strip()] if flags else [],
        ))
    return entries


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
