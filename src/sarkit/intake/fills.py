""".xlsx and .ods cell fills (background colours), read only when asked: the readers give a cell's value
without its formatting, so a column whose meaning is only in its colours (a RAG 'Risk level'
with red, amber and green cells and no text) reads as empty. See colour_columns.

A fill is told apart from another by what styles.xml says of it (its pattern and colours, as
written: 'rgb=FFFF0000', 'theme=5 tint=0.4'), never named: what a colour means is the agency's.
The package is opened again under the default limits; styles.xml and the one sheet are parsed by
expat (DTDs refused) and the styled cells found by C-speed search (shown_dates.styled_cells).
.ods: a cell's style (its own, else its row's or column's default, through its parents) with a
`fo:background-color`; a repeated row or cell is noted 1,000 times at most.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sarkit.intake.limits import BrokenPackage, LimitExceeded, Limits, ZipPackage
from sarkit.intake.ods_table import TableCursor
from sarkit.intake.ods_table import attribute as _attr
from sarkit.intake.ods_table import local_name as _local
from sarkit.intake.package import main_part, sheet_parts
from sarkit.intake.shown_dates import styled_cells
from sarkit.intake.xml_scan import _ExpatStream

STYLES_XML_LIMIT = 20_000_000
_COLOUR_ATTRS = ("rgb", "theme", "indexed", "tint", "auto")


class _FillStyles(_ExpatStream):
    """styles.xml: cell style (cellXfs index, as text) -> what its fill is, for styles with one."""

    def __init__(self) -> None:
        super().__init__("xl/styles.xml", "styles.xml")
        self.fills: list[str] = []  # '' for no fill
        self.styles: dict[str, str] = {}
        self.in_fills = False
        self.pattern = ""
        self.xfs = -1  # cellXfs entries so far; -1 outside cellXfs
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "fills":
            self.in_fills = True
        elif self.in_fills and local == "fill":
            self.fills.append("")
        elif self.in_fills and self.fills and local == "patternFill":
            self.pattern = _attr(attrs, "patternType").strip()
            if self.pattern not in ("", "none"):
                self.fills[-1] = f"pattern={self.pattern}"
        elif self.in_fills and self.fills and local == "gradientFill":
            self.fills[-1] = f"gradient #{len(self.fills)}"
        elif (self.in_fills and self.fills and local in ("fgColor", "bgColor")
              and self.pattern not in ("", "none")):
            said = " ".join(f"{key}={_attr(attrs, key)}" for key in _COLOUR_ATTRS if _attr(attrs, key))
            self.fills[-1] += f" {local}({said})"
        elif local == "cellXfs":
            self.xfs = 0
        elif local == "xf" and self.xfs >= 0:
            fill = _attr(attrs, "fillId").strip()
            if fill.isdigit() and int(fill) < len(self.fills) and self.fills[int(fill)]:
                self.styles[str(self.xfs)] = self.fills[int(fill)]
            self.xfs += 1

    def _end(self, name: str) -> None:
        local = _local(name)
        if local == "fills":
            self.in_fills = False
        elif local == "patternFill":
            self.pattern = ""
        elif local == "cellXfs":
            self.xfs = -1


def _read(package: ZipPackage, name: str, limit: int | None = None) -> bytes | None:
    info = package.find(name)
    if info is None or (limit is not None and info.file_size > limit):
        return None
    return b"".join(package.stream(info, count=False))


def xlsx_fills(path: str | Path, sheet: str) -> dict[tuple[int, int], str] | None:
    """(row, col) -> its fill, for every filled cell of the sheet named `sheet` (rows 1-based,
    columns 0-based, as the sheet places them); None when the file or the sheet cannot be read."""
    try:
        package = ZipPackage(Path(path).read_bytes(), Limits())
        main = main_part(package)
        part = next((p.part for p in sheet_parts(package, main) if p.name == sheet), None) if main else None
        raw = _read(package, "xl/styles.xml", STYLES_XML_LIMIT)
        if part is None or not raw:
            return None
        styles = _FillStyles()
        styles.feed(raw)
        styles.close()
        if not styles.styles:
            return {}
        xml = _read(package, part)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, BrokenPackage, LimitExceeded):
        # damage or a limit: said when the file was read
        return None
    if xml is None:
        return None
    wanted = {style.encode() for style in styles.styles}
    return {place: styles.styles[style.decode()] for place, style in styled_cells(xml, wanted).items()}


# ---- .ods ---------------------------------------------------------------------------------------

class _OdsFills(_ExpatStream):
    """styles.xml or content.xml: the cell styles' own backgrounds and parents; in content.xml,
    (row, col) -> the fill of each cell of the sheet named `sheet` whose style (its own, else its
    row's or column's default, through its parents) has a background."""

    def __init__(self, part: str, sheet: str | None = None, styles: _OdsFills | None = None) -> None:
        super().__init__(part, part)
        self.own: dict[str, str] = dict(styles.own) if styles else {}  # style -> background ('' none)
        self.parents: dict[str, str] = dict(styles.parents) if styles else {}
        self.style = ""
        self.sheet, self.depth, self.inside = sheet, 0, False
        self.cursor = TableCursor()
        self.found: dict[tuple[int, int], str] = {}
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    def fill(self, style: str) -> str:
        for _ in range(20):  # a chain of parents, never a loop
            if not style:
                return ""
            if style in self.own:
                return self.own[style]
            style = self.parents.get(style, "")
        return ""

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "style" and _attr(attrs, "family") == "table-cell":
            self.style = _attr(attrs, "name")
            if _attr(attrs, "parent-style-name"):
                self.parents[self.style] = _attr(attrs, "parent-style-name")
        elif local == "table-cell-properties" and self.style:
            colour = _attr(attrs, "background-color").strip().lower()
            self.own[self.style] = "" if colour in ("", "transparent") else f"background={colour}"
        elif local == "table":
            self.depth += 1
            if self.depth == 1:
                self.inside = _attr(attrs, "name") == self.sheet
        elif self.depth == 1 and self.inside:
            if local == "table-row":
                self.cursor.start_row(attrs)
            elif local == "table-column":
                self.cursor.add_columns(attrs)
            elif local in ("table-cell", "covered-table-cell"):
                col, repeat, style = self.cursor.cell(attrs)
                fill = self.fill(style)
                if fill:
                    for place in self.cursor.places(col, repeat):
                        self.found[place] = fill

    def _end(self, name: str) -> None:
        local = _local(name)
        if local == "style":
            self.style = ""
        elif local == "table":
            self.depth -= 1
        elif local == "table-row" and self.depth == 1 and self.inside:
            self.cursor.end_row()


def ods_fills(path: str | Path, sheet: str) -> dict[tuple[int, int], str] | None:
    """As `xlsx_fills`, for an .ods (cells' backgrounds); None when it cannot be read."""
    try:
        package = ZipPackage(Path(path).read_bytes(), Limits())
        named = _OdsFills("styles.xml")
        raw = _read(package, "styles.xml", STYLES_XML_LIMIT)
        if raw:
            named.feed(raw)
            named.close()
        content = _read(package, "content.xml")
        if content is None:
            return None
        cells = _OdsFills("content.xml", sheet, named)
        cells.feed(content)
        cells.close()
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, BrokenPackage, LimitExceeded):
        return None
    return cells.found
