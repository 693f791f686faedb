"""Reading a combined workbook made by `sarkit collate` back into entries and its settings.

The Chronology sheet's Agency column shows each agency's short name; the Agencies sheet maps
it back to the full name, so the entries read here are the entries collate analysed. A Date (or
End Date) cell is a real date whose number format shows its precision ('mmmm yyyy' is a month,
'"?"dd/mm/yyyy' an uncertain day): the formats are read from the workbook's styles, so the date
comes back as written. A date typed over it as text ('22/05/2016', 'May 2016') is read with the
same parser as returns.
"""

from __future__ import annotations

import datetime as dt
import html
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
from sarkit.formats.combined_layout import (
    ADDED_COLUMNS,
    CHRONOLOGY_COLUMNS,
    GLOSSARY_SHEET,
    KEY_EVENTS_VIEW,
    OLD_COLUMNS,
    format_precision,
)
from sarkit.intake.sniff import sniff_format

__all__ = ["is_combined_workbook", "read_combined_workbook"]

_REQUIRED_SHEETS = ("Chronology", "About")
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')
_WORKBOOK_XML_LIMIT = 5_000_000
_STYLES_XML_LIMIT = 20_000_000
_BUILTIN_DATE_FORMATS = {14: "dd/mm/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
                         22: "dd/mm/yyyy hh:mm"}
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
    `returned` (names of agencies that sent entries or a nil return), `inputs` (file names) and
    `glossary` (agency name -> [(abbreviation, meaning)], from the Glossary sheet).
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
                      for name in book.sheet_names
                      if name in ("Chronology", "Agencies", "About", GLOSSARY_SHEET)}
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
    if about.get("view") == KEY_EVENTS_VIEW:
        raise SarkitError(f"{path} holds only the key events (made by sarkit collate "
                          "--key-events), so gaps and overlaps worked out from it would be wrong.",
                          hint="Give the full combined workbook, or the returns themselves.")
    header_row = [_text(v) for v in chronology[0]]
    date_columns = [i for i, name in enumerate(header_row)
                    if i == 1 or (i >= len(CHRONOLOGY_COLUMNS) and name == "End Date")]
    formats = _date_formats(path, "Chronology", date_columns)
    entries = _entries(chronology, by_label, shown, formats)
    about["glossary"] = _glossary(sheets.get(GLOSSARY_SHEET, []), by_label)
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

    def date(self, value: object, cell: tuple[int, int], what: str,
             shown: tuple[str, bool] | None = None) -> PartialDate:
        if isinstance(value, dt.date):
            return _dated(value, shown)
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
    precision, uncertain = shown or ("day", False)
    if precision == "year":
        return PartialDate(value.year, None, None, uncertain)
    if precision == "month":
        return PartialDate(value.year, value.month, None, uncertain)
    return PartialDate(value.year, value.month, value.day, uncertain)


def _date_formats(path: Path, sheet: str, columns: list[int]) -> dict[tuple[int, int], tuple[str, bool]]:
    """(row, column) (1-based row, 0-based column) -> (precision, uncertain) that the number format
    of each date cell of `columns` shows. Read from the sheet's XML and styles.xml; a workbook
    whose parts cannot be found gives {} (its dates are then read as days)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            workbook = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
            found = re.search(rb'<(?:\w+:)?sheet\b[^>]*?\bname="' + re.escape(
                html.escape(sheet).encode()) + rb'"[^>]*>', workbook)
            rid = re.search(rb'\br:id="([^"]+)"', found.group(0)) if found else None
            target = None
            if rid:
                rel = re.search(rb'<Relationship\b[^>]*\bId="' + re.escape(rid.group(1))
                                + rb'"[^>]*>', rels)
                target = re.search(rb'\bTarget="([^"]+)"', rel.group(0)) if rel else None
            if target is None or "xl/styles.xml" not in names:
                return {}
            member = target.group(1).decode()
            member = member.lstrip("/") if member.startswith("/") else "xl/" + member
            styles_info = archive.getinfo("xl/styles.xml")
            if styles_info.file_size > _STYLES_XML_LIMIT:
                return {}
            styles = archive.read(styles_info)
            xml = archive.read(member)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return {}
    codes = {int(m[1]): html.unescape(m[2].decode("utf-8", "replace")) for m in re.finditer(
        rb'<(?:\w+:)?numFmt\b[^>]*?\bnumFmtId="(\d+)"[^>]*?\bformatCode="([^"]*)"', styles)}
    xfs = re.search(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", styles, re.S)
    by_style: dict[bytes, tuple[str, bool]] = {}
    for index, xf in enumerate(re.finditer(rb"<(?:\w+:)?xf\b[^>]*>", xfs.group(0) if xfs else b"")):
        number = re.search(rb'\bnumFmtId="(\d+)"', xf.group(0))
        code = int(number.group(1)) if number else 0
        text = codes.get(code) or _BUILTIN_DATE_FORMATS.get(code)
        meaning = format_precision(text) if text else None
        if meaning is not None:
            by_style[str(index).encode()] = meaning
    letters = "|".join(column_letter(c) for c in columns).encode()
    cell = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*?\br="(' + letters + rb')(\d+)")[^>]*?\bs="(\d+)"')
    numbers = {column_letter(c).encode(): c for c in columns}
    out: dict[tuple[int, int], tuple[str, bool]] = {}
    for match in cell.finditer(xml):
        meaning = by_style.get(match.group(3))
        if meaning is not None:
            out[(int(match.group(2)), numbers[match.group(1)])] = meaning
    return out


def _entries(rows: list[list[object]], by_label: dict[str, str], shown: str,
             formats: dict[tuple[int, int], tuple[str, bool]]) -> list[Entry]:
    header = [_text(v) for v in rows[0]]
    fixed = len(CHRONOLOGY_COLUMNS)
    not_extra = {*ADDED_COLUMNS, *OLD_COLUMNS}
    extras = [(i, header[i]) for i in range(fixed, len(header))
              if header[i] and header[i] not in not_extra]
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
        date = parsed.date(cells[1], (row_number, 1), "date", formats.get((row_number, 1)))
        end_date = None
        if end_date_col is not None and cells[end_date_col] not in ("", None):
            end_date = parsed.date(cells[end_date_col], (row_number, end_date_col), "End Date",
                                   formats.get((row_number, end_date_col)))
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
            row=_row_number(source_row),
            order=index,
            extras={name: _text(cells[i]) for i, name in extras if cells[i] not in ("", None)},
            ref=_text(cells[0]).strip(),
            flags=[f.strip() for f in flags.split(";") if f.strip()] if flags else [],
        ))
    return entries


def _row_number(value: object) -> int:
    """Source Row: a number (text in workbooks made before sarkit wrote it as one)."""
    if isinstance(value, int | float):
        return int(value)
    text = _text(value).strip()
    return int(text) if text.isdigit() else 0


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
