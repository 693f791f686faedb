""".xlsx cell fills (background colours), read only when asked: the readers give a cell's value
without its formatting, so a column whose meaning is only in its colours (a RAG 'Risk level'
with red, amber and green cells and no text) reads as empty. See colour_columns.

A fill is told apart from another by what styles.xml says of it (its pattern and colours, as
written: 'rgb=FFFF0000', 'theme=5 tint=0.4'), never named: what a colour means is the agency's.
The package is opened again under the default limits; styles.xml and the one sheet are parsed by
expat (DTDs refused) and the styled cells found by C-speed search (shown_dates.styled_cells).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sarkit.intake.limits import BrokenPackage, LimitExceeded, Limits, ZipPackage
from sarkit.intake.package import main_part, sheet_parts
from sarkit.intake.shown_dates import styled_cells
from sarkit.intake.xml_scan import _ExpatStream

STYLES_XML_LIMIT = 20_000_000
_COLOUR_ATTRS = ("rgb", "theme", "indexed", "tint", "auto")


def _local(name: str) -> str:
    return name[name.rfind(":") + 1 :]


def _attr(attrs: dict[str, str], local: str) -> str:
    return next((value for key, value in attrs.items() if _local(key) == local), "")


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
