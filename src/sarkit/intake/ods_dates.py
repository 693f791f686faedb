"""The month-and-year date styles of an .ods workbook: a cell whose data style shows only the
month and year (or only the year) is that month or year, as in .xlsx and .xls (see
shown_dates). The styles come from content.xml (its automatic styles) and styles.xml (named
cell styles and the data styles they use); a cell takes its own style or its column's default.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sarkit.formats.combined_layout import format_precision
from sarkit.intake.limits import SheetScan, ZipPackage
from sarkit.intake.shown_dates import A_DAY, STYLES_XML_LIMIT, show_cells
from sarkit.raw_tables import RawSheet

# an ODS date style's parts as the letters of an Excel number format, for format_precision
_PARTS = {"day": "d", "day-of-week": "d", "month": "m", "year": "y", "hours": "h",
          "minutes": "", "seconds": "s", "am-pm": "", "era": "", "quarter": "", "week-of-year": ""}


@dataclass(slots=True)
class OdsStyles:
    """What the style elements of content.xml and styles.xml say, fed element by element."""

    formats: dict[str, str] = field(default_factory=dict)  # date style -> an Excel-like format
    cell_styles: dict[str, tuple[str, str]] = field(default_factory=dict)  # -> (data, parent)
    _open: str | None = None  # the date style being read
    _text: bool = False  # inside its number:text

    def start(self, local: str, attrs: dict[str, str]) -> None:
        if local == "date-style":
            self._open = _attr(attrs, "name")
            self.formats[self._open] = ""
        elif self._open is not None:
            if local == "text":
                self._text = True
            elif local in _PARTS:
                self.formats[self._open] += _PARTS[local]
        elif local == "style" and _attr(attrs, "family") == "table-cell":
            self.cell_styles[_attr(attrs, "name")] = (_attr(attrs, "data-style-name"),
                                                      _attr(attrs, "parent-style-name"))

    def text(self, data: str) -> None:
        if self._open is not None and self._text:
            self.formats[self._open] += '"' + data.replace('"', "") + '"'

    def end(self, local: str) -> None:
        if local == "date-style":
            self._open = None
        elif local == "text":
            self._text = False

    def meanings(self) -> dict[str, tuple[str, bool]]:
        """Cell style -> (precision, uncertain) its data style shows, for the cell styles that
        show other than a certain day (a style without a data style takes its parent's)."""
        found: dict[str, tuple[str, bool]] = {}
        for name in self.cell_styles:
            data, parent, seen = "", name, set()
            while parent and parent not in seen and not data:
                seen.add(parent)
                data, parent = self.cell_styles.get(parent, ("", ""))
            meaning = format_precision(self.formats[data]) if data in self.formats else None
            if meaning is not None and meaning != A_DAY:
                found[name] = meaning
        return found


def _attr(attrs: dict[str, str], local: str) -> str:
    return next((value for key, value in attrs.items() if key[key.rfind(":") + 1:] == local), "")


def show_ods_dates(package: ZipPackage, styles: OdsStyles, sheets: dict[str, tuple[RawSheet, SheetScan]]
                   ) -> None:
    """Replace, in each sheet (name -> (sheet, its measurements)), every date cell whose style
    shows only a month or a year with that text (see shown_dates.as_shown)."""
    from sarkit.intake.xml_scan import OdsStylesScanner

    if not any(scan.date_cells for _, scan in sheets.values()):
        return
    info = package.find("styles.xml")
    if info is not None and info.file_size <= STYLES_XML_LIMIT:
        named = OdsStyles()
        scanner = OdsStylesScanner(named)
        for chunk in package.stream(info, count=False):
            scanner.feed(chunk)
        scanner.close()
        named.formats.update(styles.formats)  # content.xml's automatic styles come last
        named.cell_styles.update(styles.cell_styles)
        styles = named
    meanings = styles.meanings()
    if not meanings:
        return
    for sheet, scan in sheets.values():
        show_cells(sheet, {(row, col): meanings[style] for row, col, style in scan.date_cells
                           if style in meanings})


# a time cell of an .ods as python-calamine gives it: LibreOffice's office:time-value, a duration
# ('PT16H20M00S'; 'PT1096144H19M59.999998882S' for a date and time shown as a time: hours since
# 30/12/1899)
_ODS_DURATION = re.compile(r"PT(\d{1,9})H(\d{1,2})M(\d{1,2}(?:\.\d+)?)S")
_ODS_DAY_ZERO = dt.datetime(1899, 12, 30)


def read_ods_times(sheet: RawSheet) -> None:
    """Each time cell of an .ods sheet as the time it shows (a duration under a day), or the date
    and time it holds (a longer one, counted from LibreOffice's day 0), never the text
    'PT16H20M00S' that no reader of times knows."""
    for cells in sheet.rows:
        for col, value in enumerate(cells):
            if value.__class__ is str and value.startswith("PT"):
                m = _ODS_DURATION.fullmatch(value)
                if m is None:
                    continue
                seconds = round(int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3]))
                if seconds > 86400 * 2_900_000:  # past the year 9999: left as written
                    continue
                cells[col] = ((dt.datetime.min + dt.timedelta(seconds=seconds)).time()
                              if seconds < 86400 else _ODS_DAY_ZERO + dt.timedelta(seconds=seconds))
