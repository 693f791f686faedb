"""Text struck through (a line through it) in .xlsx and .ods cells: authors withdraw an entry by
striking its row through, or strike out words of an Event.

The readers give a cell's text without its formatting, so a struck word reads as fact. Here each
sheet's cells with struck text are found: (row, col) -> True when all the cell's text is struck
through, False when part of it is (the rest of the text is not). The chronology decides what a
struck row is (see struck_rows). Only a workbook whose styles or text carry a strike has its
sheets' XML read again, through expat, under the package's limits (DTDs refused).

.xlsx: a cell's font (styles.xml cellXfs -> fonts, `<strike/>` not switched off) strikes its
text; a rich-text run (shared strings or an inline string) with properties of its own is struck
only when they say so, a run without them takes the cell's font.
.ods: `style:text-line-through-style` (or its `-type`) other than 'none' on the cell's style (its
own, else its row's or column's default, through its parent styles) or on a paragraph or span of
its text. (.xls: a cell's font only, in xls_rows; its rich-text runs are not looked at.)
"""

from __future__ import annotations

from sarkit.intake.limits import SheetScan, ZipPackage
from sarkit.intake.ods_strikes import OdsStrikes
from sarkit.intake.ods_table import TableCursor
from sarkit.intake.ods_table import attribute as _attr
from sarkit.intake.ods_table import local_name as _local
from sarkit.intake.package import PackageScan
from sarkit.intake.shown_dates import styled_cells
from sarkit.intake.xml_scan import _ExpatStream
from sarkit.raw_tables import RawSheet

STYLES_XML_LIMIT = 20_000_000
_OFF = ("0", "false", "off")
Tally = tuple[bool, bool, bool]  # text (struck, not struck, in the cell's own font)
_OWN_FONT: Tally = (False, False, True)


def _on(attrs: dict[str, str]) -> bool:
    return (_attr(attrs, "val").strip().lower() or "true") not in _OFF


def whole_or_part(tally: Tally, font_struck: bool) -> bool | None:
    """True when all the text is struck through, False when part is, None when none is."""
    struck, plain, own = tally
    struck = struck or (own and font_struck)
    plain = plain or (own and not font_struck)
    return None if not struck else not plain


def _read(package: ZipPackage, name: str, limit: int | None = None) -> bytes | None:
    info = package.find(name)
    if info is None or (limit is not None and info.file_size > limit):
        return None
    return b"".join(package.stream(info, count=False))


def _stream(package: ZipPackage, name: str, scanner: _ExpatStream) -> bool:
    info = package.find(name)
    if info is None:
        return False
    for chunk in package.stream(info, count=False):
        scanner.feed(chunk)
    scanner.close()
    return True


# ---- .xlsx --------------------------------------------------------------------------------------

class _Styles(_ExpatStream):
    """styles.xml: the cell styles (cellXfs) whose font is struck through."""

    def __init__(self) -> None:
        super().__init__("xl/styles.xml", "styles.xml")
        self.fonts: list[bool] = []
        self.styles: set[str] = set()
        self.xfs = -1  # cellXfs entries so far; -1 outside cellXfs
        self.in_fonts = False
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "fonts":
            self.in_fonts = True
        elif local == "font" and self.in_fonts:
            self.fonts.append(False)
        elif local == "strike" and self.in_fonts and self.fonts:
            self.fonts[-1] = _on(attrs)
        elif local == "cellXfs":
            self.xfs = 0
        elif local == "xf" and self.xfs >= 0:
            font = _attr(attrs, "fontId").strip()
            if font.isdigit() and int(font) < len(self.fonts) and self.fonts[int(font)]:
                self.styles.add(str(self.xfs))
            self.xfs += 1

    def _end(self, name: str) -> None:
        local = _local(name)
        if local == "fonts":
            self.in_fonts = False
        elif local == "cellXfs":
            self.xfs = -1


class _Runs:
    """Tallies the runs of a rich text (`<si>`, `<is>`): struck, not struck, or in the cell's font."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.struck = self.plain = self.own = False
        self.run: bool | None = None  # None: the run takes the cell's font
        self.in_props = self.in_text = False
        self.phonetic = 0  # inside <rPh>: a reading aid not shown in the cell

    def tally(self) -> Tally:
        return self.struck, self.plain, self.own

    def start(self, local: str, attrs: dict[str, str]) -> None:
        if local == "r":
            self.run = None
        elif local == "rPr":
            self.in_props, self.run = True, False
        elif local == "strike" and self.in_props:
            self.run = _on(attrs)
        elif local == "rPh":
            self.phonetic += 1
        elif local == "t" and not self.phonetic:
            self.in_text = True

    def end(self, local: str) -> None:
        if local == "rPr":
            self.in_props = False
        elif local == "r":
            self.run = None
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if self.in_text and not data.isspace():
            if self.run is None:
                self.own = True
            elif self.run:
                self.struck = True
            else:
                self.plain = True


class _SharedStrings(_ExpatStream):
    """sharedStrings.xml: index -> tally of the strings with runs of their own font."""

    def __init__(self, part: str) -> None:
        super().__init__(part, "the shared strings")
        self.found: dict[int, Tally] = {}
        self.index = -1
        self.runs = _Runs()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self.runs.text

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "si":
            self.index += 1
            self.runs.reset()
        else:
            self.runs.start(local, attrs)

    def _end(self, name: str) -> None:
        local = _local(name)
        if local == "si":
            tally = self.runs.tally()
            if tally != _OWN_FONT and (tally[0] or tally[1]):
                self.found[self.index] = tally
        else:
            self.runs.end(local)


class _XlsxCells(_ExpatStream):
    """A worksheet: (row, col) -> whether all or part of the cell's text is struck through."""

    def __init__(self, part: str, styles: set[str], shared: dict[int, Tally]) -> None:
        super().__init__(part, "a sheet")
        self.styles, self.shared = styles, shared
        self.struck: dict[tuple[int, int], bool] = {}
        self.row = 0
        self.next_col = 0
        self.cell: tuple[int, int, bool, str] | None = None  # row, col, font struck, type
        self.value = ""
        self.in_value = False
        self.runs = _Runs()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        from sarkit.intake.xml_scan import _REF, column_number

        local = _local(name)
        if local == "row":
            number = _attr(attrs, "r").strip()
            self.row = int(number) if number.isdigit() else self.row + 1
            self.next_col = 0
        elif local == "c":
            found = _REF.search(_attr(attrs, "r"))
            if found:
                row, col = int(found.group(2)), column_number(found.group(1)) - 1
            else:
                row, col = max(self.row, 1), self.next_col
            self.row, self.next_col = row, col + 1
            self.cell = (row, col, _attr(attrs, "s").strip() in self.styles, _attr(attrs, "t"))
            self.value = ""
            self.runs.reset()
        elif self.cell is not None:
            if local == "v":
                self.in_value = True
            else:
                self.runs.start(local, attrs)

    def _end(self, name: str) -> None:
        local = _local(name)
        if local == "v":
            self.in_value = False
        elif local == "c" and self.cell is not None:
            row, col, font, kind = self.cell
            self.cell = None
            if kind == "s":
                index = self.value.strip()
                tally = self.shared.get(int(index), _OWN_FONT) if index.isdigit() else _OWN_FONT
            elif kind == "inlineStr":
                tally = self.runs.tally()
            else:
                tally = (False, False, bool(self.value.strip()))
            found = whole_or_part(tally, font)
            if found is not None:
                self.struck[(row, col)] = found
        elif self.cell is not None:
            self.runs.end(local)

    def _text(self, data: str) -> None:
        if self.in_value:
            self.value += data
        elif self.cell is not None:
            self.runs.text(data)


def find_struck_xlsx(package: ZipPackage, scan: PackageScan,
                     sheets: dict[str, tuple[RawSheet, SheetScan]]) -> None:
    """Fill each sheet's `struck` (name -> (sheet, its measurements)) from its XML, reading the
    sheets again only when a cell style, a shared string or an inline string strikes text; only
    the parts the package scan saw the word 'strike' in are read (`scan.strike_parts`)."""
    from sarkit.intake.package import relationships

    marked = {name.lower() for name in scan.strike_parts}
    if not marked:
        return
    styles: set[str] = set()
    raw = _read(package, "xl/styles.xml", STYLES_XML_LIMIT) if "xl/styles.xml" in marked else None
    if raw:
        scanner = _Styles()
        scanner.feed(raw)
        scanner.close()
        styles = scanner.styles
    shared: dict[int, Tally] = {}
    for kind, target in (relationships(package, scan.main).values() if scan.main else ()):
        if kind == "sharedStrings" and target.lower() in marked:
            strings = _SharedStrings(target)
            if _stream(package, target, strings):
                shared = strings.found
            break
    struck_strings = any(tally[0] for tally in shared.values())
    for sheet, measured in sheets.values():
        if not (styles or struck_strings or measured.part.lower() in marked):
            continue
        if not shared and measured.part.lower() not in marked:
            # only cell fonts strike (no rich text anywhere): the styled cells, found by C-speed
            # search as for dates shown as months (shown_dates)
            xml = _read(package, measured.part)
            if xml is not None:
                found = styled_cells(xml, {style.encode() for style in styles})
                sheet.struck = dict.fromkeys(found, True)
            continue
        cells = _XlsxCells(measured.part, styles, shared)
        if _stream(package, measured.part, cells):
            sheet.struck = cells.struck


# ---- .ods ---------------------------------------------------------------------------------------

class _OdsStylesStrikes(_ExpatStream):
    def __init__(self, part: str, strikes: OdsStrikes) -> None:
        super().__init__(part, part)
        self.parser.StartElementHandler = lambda name, attrs: strikes.start(_local(name), attrs)
        self.parser.EndElementHandler = lambda name: strikes.end(_local(name))


class _OdsCells(_ExpatStream):
    """content.xml: sheet name -> {(row, col) -> whether all or part of its text is struck}."""

    def __init__(self, strikes: OdsStrikes) -> None:
        super().__init__("content.xml", "content.xml")
        self.strikes = strikes
        self.found: dict[str, dict[tuple[int, int], bool]] = {}
        self.sheet: dict[tuple[int, int], bool] | None = None
        self.depth = 0
        self.cursor = TableCursor()
        self.cell: tuple[int, int, bool] | None = None  # col, repeat, the cell's style strikes
        self.stack: list[bool] = []  # whether the paragraph or span text is in strikes
        self.tally = [False, False]
        self.note = 0  # inside an annotation: not the cell's text
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "table":
            self.depth += 1
            if self.depth == 1:
                self.sheet = self.found.setdefault(_attr(attrs, "name"), {})
                self.cursor = TableCursor()
            return
        if self.depth != 1 or self.sheet is None:
            return
        if self.cell is not None:
            if local == "annotation":
                self.note += 1
            elif local in ("p", "span", "h", "a") and not self.note:
                style = _attr(attrs, "style-name")
                family = "paragraph" if local in ("p", "h") else "text"
                said = self.strikes.strikes(family, style) if style else None
                self.stack.append(self.stack[-1] if said is None else said)
            return
        if local == "table-row":
            self.cursor.start_row(attrs)
        elif local == "table-column":
            self.cursor.add_columns(attrs)
        elif local in ("table-cell", "covered-table-cell"):
            col, repeat, style = self.cursor.cell(attrs)
            self.cell = (col, repeat, bool(self.strikes.strikes("table-cell", style)))
            self.stack = [self.cell[2]]
            self.tally = [False, False]

    def _end(self, name: str) -> None:
        local = _local(name)
        if local == "table":
            self.depth -= 1
            return
        if self.depth != 1 or self.sheet is None:
            return
        if self.cell is not None and local not in ("table-cell", "covered-table-cell"):
            if local == "annotation":
                self.note -= 1
            elif local in ("p", "span", "h", "a") and not self.note and len(self.stack) > 1:
                self.stack.pop()
            return
        if local in ("table-cell", "covered-table-cell") and self.cell is not None:
            col, repeat, _ = self.cell
            self.cell = None
            struck, plain = self.tally
            if struck:
                for place in self.cursor.places(col, repeat):
                    self.sheet[place] = not plain
        elif local == "table-row":
            self.cursor.end_row()

    def _text(self, data: str) -> None:
        if self.cell is not None and not self.note and len(self.stack) > 1 and not data.isspace():
            self.tally[0 if self.stack[-1] else 1] = True




def find_struck_ods(package: ZipPackage, strikes: OdsStrikes | None, sheets: dict[str, RawSheet]) -> None:
    """Fill each sheet's `struck` (by name) from content.xml, read again only when a style of
    content.xml (`strikes`, noted by the package scan) or of styles.xml strikes text through."""
    named = OdsStrikes()
    raw = _read(package, "styles.xml", STYLES_XML_LIMIT)
    if raw and b"line-through" in raw:
        scanner = _OdsStylesStrikes("styles.xml", named)
        scanner.feed(raw)
        scanner.close()
    if strikes is not None:  # content.xml's automatic styles come last
        named.own.update(strikes.own)
        named.parents.update(strikes.parents)
    if not named.any() or not sheets:
        return
    cells = _OdsCells(named)
    if not _stream(package, "content.xml", cells):
        return
    for name, sheet in sheets.items():
        sheet.struck = cells.found.get(name, {})
