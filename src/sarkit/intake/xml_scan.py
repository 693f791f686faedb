"""Measuring sheet XML as an XML parser reads it, before a native reader allocates anything.

Every part is read by expat, incrementally: attributes are found as XML defines them (any
whitespace, either quote, entity and character references, namespace prefixes, any order),
comments and CDATA hide nothing, and a part that is not well-formed is damage. Elements are
matched by their local name, as calamine does; a cell's position is its unprefixed `r`.

Speed: most sheets (Excel, LibreOffice, xlsxwriter, openpyxl) write every cell as
`<c r="A1" ...>`. A buffer whose every `<` starts one of a few exact tokens of that canonical
form is measured with C-speed searches while expat checks it with no Python callbacks; any other
buffer (and the rest of the sheet from then on) goes through expat's callbacks, tag by tag.
The canonical test is sound because in well-formed XML a `<` only ever starts markup.
"""

from __future__ import annotations

import re
from operator import itemgetter
from pyexpat import ExpatError, ParserCreate

from sarkit.intake.limits import (
    MB,
    BrokenPackage,
    LimitExceeded,
    Limits,
    SheetScan,
    column_number,
    parse_range,
)
from sarkit.intake.ods_dates import OdsStyles
from sarkit.intake.ods_strikes import OdsStrikes

MAX_TAG = 64 * MB
_REF = re.compile(r"([A-Za-z]{1,7})\$?(\d{1,12})")
_DIGITS = re.compile(r"\d{1,12}")
_ATTRS = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)"  # a tag's attributes, quotes respected
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData\b")
_HIDDEN = re.compile(rb"\shidden\s*=\s*[\"'](?:1|true)[\"']")
_TYPE = re.compile(rb"\st\s*=\s*[\"']([^\"']*)[\"']")
# what Excel, LibreOffice and Google Sheets show for a formula or lookup that failed; any other
# text in an error cell is named only as 'an error' (a message never quotes a cell)
ERROR_TEXTS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!",
    "#PYTHON!", "Err:502", "Err:504", "Err:508", "Err:522",
})


def error_text(value: str | bytes) -> str:
    """The error a cell shows ('#N/A'), or '' when it is not one of the known error texts."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    value = value.strip()
    return value if value in ERROR_TEXTS else ""
_FIRST, _SECOND = itemgetter(0), itemgetter(1)  # a cell reference's letters, its row number


def _local(name: str) -> str:
    return name[name.rfind(":") + 1 :]


class _ExpatStream:
    """An expat parser fed in buffers cut after a `>`; DTDs and entities are refused."""

    def __init__(self, part: str, what: str) -> None:
        self.part = part
        self.what = what
        self.parser = ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._refuse_dtd
        self.parser.EntityDeclHandler = self._refuse_dtd
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        buffer = self.carry + chunk
        cut = buffer.rfind(b">") + 1
        if cut == 0:
            if len(buffer) > MAX_TAG:
                raise LimitExceeded(f"{self.what} has a single XML tag over 64 MB long",
                                    "max_member_size")
            self.carry = buffer
            return
        self.carry = buffer[cut:]
        self._scan(buffer[:cut])

    def close(self) -> None:
        if self.carry:
            self._scan(self.carry)
            self.carry = b""
        self._parse(b"", final=True)

    def _scan(self, buf: bytes) -> None:
        self._parse(buf)

    def _parse(self, data: bytes, *, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except ExpatError as exc:
            raise BrokenPackage(f"the XML part {self.part} is not well-formed") from exc

    def _refuse_dtd(self, *_args: object) -> None:
        raise LimitExceeded(
            f"its XML part {self.part} declares a DTD or entities, which a workbook never needs "
            "(a 'billion laughs' or external-entity attack?)", "xml_entities")


class XlsxSheetScanner(_ExpatStream):
    """Streams a worksheet's XML and measures it: real rows and columns, merges, formulas.

    A cell counts when it holds something (a child element), as calamine skips empty cells;
    a cell without `r` takes the place after the one before, as calamine places it.
    """

    def __init__(self, scan: SheetScan, limits: Limits) -> None:
        super().__init__(scan.part, f"the sheet {scan.name}")
        self.scan = scan
        self.limits = limits
        self.row = 0
        self.next_col = 0
        # [row, col, has_formula, has_value, counted, is_error, has <v>, array formula's range]
        self.cell: list | None = None
        self.in_value = False
        self.entered = False  # the sheetData element has started
        self.fast = False  # at a clean point inside sheetData: the canonical test may be tried
        self.precise = False  # a buffer failed the canonical test: callbacks from here on
        self.callbacks: bool | None = None

    def feed(self, chunk: bytes) -> None:
        super().feed(chunk)
        self.scan.check(self.limits)

    def close(self) -> None:
        super().close()
        self._end_cell()
        self.scan.check(self.limits)

    # -- the loop: canonical buffers quickly, the rest through callbacks --------------------

    def _scan(self, buf: bytes) -> None:
        while buf:
            if self.fast and not self.precise:
                end = buf.find(self.data_end)
                part = buf if end < 0 else buf[:end]
                if self._quick(part):
                    self._parse_with(part, callbacks=False)
                    buf = buf[len(part) :]
                    if end >= 0:
                        self.fast = False
                    continue
                self.precise = True
                self.fast = False
            if not self.entered:
                match = _SHEET_DATA.search(buf)
                close = buf.find(b">", match.end()) if match else -1
                if close >= 0:
                    self._parse_with(buf[: close + 1], callbacks=True)
                    buf = buf[close + 1 :]
                    continue
            self._parse_with(buf, callbacks=True)
            return

    def _parse_with(self, data: bytes, *, callbacks: bool) -> None:
        if callbacks != self.callbacks:
            parser = self.parser
            parser.StartElementHandler = self._start if callbacks else None
            parser.EndElementHandler = self._end if callbacks else None
            parser.CharacterDataHandler = None  # only inside <v> (see _start)
            parser.CommentHandler = self._other if callbacks else None
            parser.ProcessingInstructionHandler = self._other if callbacks else None
            parser.StartCdataSectionHandler = self._other if callbacks else None
            self.callbacks = callbacks
        self._parse(data)

    # -- the quick path ---------------------------------------------------------------------

    def _learn_prefix(self, prefix: str) -> None:
        p = prefix.encode("utf-8")
        self.data_end = b"</" + p + b"sheetData>"
        self.cell_open = b"<" + p + b'c r="'
        self.row_open = b"<" + p + b'row r="'
        self.cell_close = b"</" + p + b"c>"
        self.value_open = b"<" + p + b"v>"
        q = re.escape(p)
        self.not_canonical = re.compile(
            b"<(?!/|" + q + b'c r="|' + q + b'row r="|' + q + b"v>|" + q + b"is>|" + q + b"t[ >])")
        self.cell_ref = re.compile(re.escape(self.cell_open) + rb'([A-Za-z]{1,7})(\d{1,12})"')
        self.cell_tag = re.compile(re.escape(self.cell_open) + rb'([A-Za-z]{1,7})(\d{1,12})"' + _ATTRS + b">")
        self.row_ref = re.compile(re.escape(self.row_open) + rb'(\d{1,12})"')
        self.row_tag = re.compile(re.escape(self.row_open) + rb'(\d{1,12})"' + _ATTRS + b">")

    def _quick(self, part: bytes) -> bool:
        """Measure a canonical buffer; False (nothing measured) when it is not canonical."""
        if self.not_canonical.search(part):
            return False
        found = self.cell_ref.findall(part)
        if len(found) != part.count(self.cell_open):
            return False
        last_cell = part.rfind(self.cell_open)
        last_row = part.rfind(self.row_open)
        row_number = self.row_ref.match(part, last_row) if last_row > last_cell else None
        if last_row > last_cell and row_number is None:
            return False
        scan = self.scan
        limits = self.limits
        if found:
            rows = max(map(int, set(map(_SECOND, found))))
            columns = max(map(column_number, set(map(_FIRST, found))))
            if rows > limits.max_rows or columns > limits.max_columns or (
                    rows * columns > limits.max_cells):
                # Over a limit counting every cell; calamine skips cells without content
                # (<c r="XFD9" s="1"/>), so count again without them before refusing.
                # A tag cut by the buffer's end (a '>' inside a value) is not known empty.
                filled = [(m.group(1), m.group(2)) for m in self.cell_ref.finditer(part)
                          if not self._empty_tag(part, m.start())]
                rows = max((int(r) for _, r in filled), default=0)
                columns = max((column_number(c) for c, _ in filled), default=0)
            scan.rows = max(scan.rows, rows)
            scan.columns = max(scan.columns, columns)
        if b"hidden" in part:
            for number, attrs in self.row_tag.findall(part):
                if _HIDDEN.search(attrs):
                    scan.hidden_rows.append(int(number))
        if row_number is not None:  # every cell names itself: only the last row matters
            self.row = int(row_number.group(1))
            self.next_col = 0
        elif last_cell >= 0:
            letters, digits = found[-1]
            self.row, self.next_col = int(digits), column_number(letters)
        if last_cell > part.rfind(self.cell_close):
            tag = self.cell_tag.match(part, last_cell)
            if tag is None or not tag.group(3).endswith(b"/"):
                kind = _TYPE.search(tag.group(3)) if tag else None
                self.cell = [self.row, self.next_col - 1, False,
                             bool(kind and kind.group(1) == b"str"), True, False, False, None]
            else:
                self.cell = None
        elif last_cell >= 0 or self.cell_close in part:
            self.cell = None
        if b'"e"' in part or b"'e'" in part:
            self._quick_errors(part)
        return True

    def _quick_errors(self, part: bytes) -> None:
        """Error cells (t="e") of a canonical buffer, with the error each shows when its value
        is in the buffer ('' when cut off by the buffer's end)."""
        for tag in self.cell_tag.finditer(part):
            kind = _TYPE.search(tag.group(3))
            if kind is None or kind.group(1) != b"e" or tag.group(3).endswith(b"/"):
                continue
            shown = b""
            if part.startswith(self.value_open, tag.end()):
                start = tag.end() + len(self.value_open)
                end = part.find(b"<", start)
                shown = part[start:end] if end >= 0 else b""
            cell = (int(tag.group(2)), column_number(tag.group(1)) - 1)
            self.scan.errors[cell] = error_text(shown)

    def _empty_tag(self, part: bytes, start: int) -> bool:
        tag = self.cell_tag.match(part, start)
        return tag is not None and tag.group(3).endswith(b"/")

    # -- the callbacks ------------------------------------------------------------------------

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.fast = False
        local = name[name.rfind(":") + 1 :]
        if self.in_value:
            self._stop_value()
        if local == "sheetData":
            self.entered = True
            self._learn_prefix(name[: len(name) - len(local)])
            self.fast = not self.precise
            return
        cell = self.cell
        if local == "c":
            self._end_cell()
            ref = attrs.get("r")
            found = _REF.search(ref) if ref is not None else None
            if found:
                row, col = int(found.group(2)), column_number(found.group(1)) - 1
            else:
                row, col = max(self.row, 1), self.next_col
            self.row, self.next_col = row, col + 1
            self.cell = [row, col, False, attrs.get("t") == "str", False, attrs.get("t") == "e",
                         False, None]
        elif local == "row":
            found = _DIGITS.search(attrs.get("r", ""))
            self.row = int(found.group()) if found else self.row + 1
            self.next_col = 0
            if attrs.get("hidden", "").strip() in ("1", "true"):
                self.scan.hidden_rows.append(self.row)
        elif cell is not None:
            if not cell[4]:  # the cell holds something: calamine will place it
                cell[4] = True
                self.scan.rows = max(self.scan.rows, cell[0])
                self.scan.columns = max(self.scan.columns, cell[1] + 1)
                if cell[5]:  # an error cell: which error is in its value, when it has one
                    self.scan.errors[(cell[0], cell[1])] = ""
            if local == "f":
                cell[2] = True
                if attrs.get("t") == "array":  # the range its values fill (a spill)
                    cell[7] = parse_range(attrs.get("ref", ""))
            elif local == "v":
                cell[6] = True
                self.in_value = True
                self.parser.CharacterDataHandler = self._text
        elif local == "mergeCell":
            area = parse_range(attrs.get("ref", ""))
            if area is not None:
                r1, c1, r2, c2 = area
                self.scan.merged.append(area)
                self.scan.merged_cells += (r2 - r1 + 1) * (c2 - c1 + 1)
                if self.scan.merged_cells > self.limits.max_merged_cells:
                    self.scan.check(self.limits)
        elif local == "autoFilter":
            self.scan.autofilter = attrs.get("ref")
        elif local == "filterColumn":
            self.scan.filtered = True

    def _end(self, name: str) -> None:
        self.fast = False
        if self.in_value:
            self._stop_value()
        local = name[name.rfind(":") + 1 :]
        if local == "c" or local == "sheetData":
            self._end_cell()

    def _text(self, data: str) -> None:
        cell = self.cell
        if cell is not None and data:
            cell[3] = True
            if cell[5]:
                self.scan.errors[(cell[0], cell[1])] = error_text(data)
            self._stop_value()

    def _stop_value(self) -> None:
        self.in_value = False
        self.parser.CharacterDataHandler = None

    def _other(self, *_args: object) -> None:
        self.fast = False

    def _end_cell(self) -> None:
        cell = self.cell
        if cell is None:
            return
        self.cell = None
        if cell[2]:
            self.scan.formulas.append((cell[0], cell[1]))
            if not cell[3]:
                self.scan.formulas_without_value.append((cell[0], cell[1]))
            if not cell[6]:  # not even an empty value: never calculated
                self.scan.unsaved_rows.append((cell[0], cell[0]))
                area = cell[7]
                if area is not None and area[2] > cell[0]:  # the rows it fills, no more than a sheet
                    self.scan.unsaved_rows.append((cell[0], min(area[2], self.limits.max_rows)))


# ---- ODS: content.xml ----------------------------------------------------------------------------

def _count(attrs: dict[str, str], name: str) -> int:
    """The largest value of an attribute with this local name (any prefix), at least 1."""
    best = 1
    for key, value in attrs.items():
        if _local(key) == name:
            found = re.search(r"\d+", value)
            if found:
                best = max(best, int(found.group()[:15]))
    return best


def _value(attrs: dict[str, str], name: str) -> str:
    return next((value for key, value in attrs.items() if _local(key) == name), "")


def _has(attrs: dict[str, str], name: str) -> bool:
    return any(_local(key) == name for key in attrs)


class OdsContentScanner(_ExpatStream):
    """Streams an ODS content.xml: repeated rows and columns are counted, never expanded."""

    def __init__(self, limits: Limits) -> None:
        super().__init__("content.xml", "content.xml")
        self.limits = limits
        self.sheets: list[SheetScan] = []
        self.depth = 0  # nesting of table:table (sub-tables are not sheets)
        self.row = 0  # rows before the current one
        self.row_repeat = 1
        self.col = 0
        self.pending: tuple[int, int] | None = None  # (repeat, row span) of a cell not yet used
        self.cell: tuple[int, int] | None = None  # (row, col) of an open cell
        self.styles = OdsStyles()  # the automatic styles, before the tables
        self.strikes = OdsStrikes()  # which of them strike their text through (see struck)
        self.column_styles: list[tuple[int, int, str]] = []  # (first, last + 1, default cell style)
        parser = self.parser
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end

    def feed(self, chunk: bytes) -> None:
        super().feed(chunk)
        if self.sheets:
            self.sheets[-1].check(self.limits)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "table":
            self.depth += 1
            if self.depth == 1:
                title = next((v for k, v in attrs.items() if _local(k) == "name"), "?")
                self.sheets.append(SheetScan(part="content.xml", name=title))
                self.row = 0
                self.column_styles = []
            return
        if self.depth == 0:
            self.styles.start(local, attrs)
            self.strikes.start(local, attrs)
            if local == "date-style":  # its text parts only: no callback for the cells' text
                self.parser.CharacterDataHandler = self.styles.text
            return
        if self.depth != 1 or not self.sheets:
            return
        sheet = self.sheets[-1]
        if self.pending is not None:  # a child element: the open cell holds something
            self._use(sheet, *self.pending)
        if local == "table-row":
            self.row_repeat = _count(attrs, "number-rows-repeated")
            self.col = 0
            if any(_local(k) == "visibility" and v in ("collapse", "filter") for k, v in attrs.items()):
                sheet.hidden_rows.extend(
                    range(self.row + 1, self.row + 1 + min(self.row_repeat, 1000)))
        elif local == "table-column":
            first = self.column_styles[-1][1] if self.column_styles else 0
            self.column_styles.append((first, first + _count(attrs, "number-columns-repeated"),
                                       _value(attrs, "default-cell-style-name")))
        elif local in ("table-cell", "covered-table-cell"):
            count = _count(attrs, "number-columns-repeated")
            position = (self.row + 1, self.col)
            self.cell = position
            self.pending = None
            if local == "table-cell":
                kind = _value(attrs, "value-type")
                if _has(attrs, "formula"):  # with no value type: LibreOffice's formula worked
                    sheet.formulas.append(position)  # out to "", never 'no saved value'
                if kind:
                    self._use(sheet, count, position[1])
                    if kind == "date":
                        self._date_cells(sheet, attrs, count)
                else:
                    self.pending = (count, position[1])
            width = _count(attrs, "number-columns-spanned")
            height = _count(attrs, "number-rows-spanned")
            if width > 1 or height > 1:
                sheet.merged.append((self.row + 1, self.col, self.row + height, self.col + width - 1))
                sheet.merged_cells += width * height * count
            self.col += count
            if self.col > self.limits.max_columns or sheet.merged_cells > self.limits.max_merged_cells:
                sheet.check(self.limits)
        elif local == "annotation" and self.cell is not None:
            sheet.comments.append(self.cell)

    def _date_cells(self, sheet: SheetScan, attrs: dict[str, str], count: int) -> None:
        """Note a date cell's style (its own, else its column's default), for ods_dates."""
        style = _value(attrs, "style-name") or next(
            (name for first, end, name in self.column_styles if first <= self.col < end), "")
        if style:
            sheet.date_cells.extend((self.row + 1 + down, self.col + across, style)
                                    for down in range(min(self.row_repeat, 1000))
                                    for across in range(min(count, 1000)))

    def _use(self, sheet: SheetScan, count: int, col: int) -> None:
        self.pending = None
        sheet.columns = max(sheet.columns, col + count)
        sheet.rows = max(sheet.rows, self.row + self.row_repeat)

    def _end(self, name: str) -> None:
        local = _local(name)
        if local == "table":
            self.depth -= 1
            if self.depth == 0 and self.sheets:
                self.sheets[-1].check(self.limits)
        elif self.depth == 0:
            self.styles.end(local)
            self.strikes.end(local)
            if local == "date-style":
                self.parser.CharacterDataHandler = None
        elif self.depth != 1:
            return
        elif local == "table-row":
            self.row += self.row_repeat
            self.row_repeat = 1
            self.col = 0
        elif local in ("table-cell", "covered-table-cell"):
            self.cell = None
            self.pending = None


class OdsStylesScanner(_ExpatStream):
    """Streams an ODS styles.xml for its named cell styles and data styles (see ods_dates)."""

    def __init__(self, styles: OdsStyles) -> None:
        super().__init__("styles.xml", "styles.xml")
        self.styles = styles
        self.parser.StartElementHandler = lambda name, attrs: styles.start(_local(name), attrs)
        self.parser.EndElementHandler = lambda name: styles.end(_local(name))
        self.parser.CharacterDataHandler = styles.text


# ---- docx: table cells -------------------------------------------------------------------------

class DocxScanner(_ExpatStream):
    """Counts a Word document's table rows and cells (spans included) before python-docx loads it."""

    def __init__(self, limits: Limits, part: str = "word/document.xml") -> None:
        super().__init__(part, "the Word document")
        self.limits = limits
        self.rows = 0
        self.cells = 0
        self.parser.StartElementHandler = self._start

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "tr":
            self.rows += 1
        elif local == "tc":
            self.cells += 1
        elif local == "gridSpan":
            self.cells += _count(attrs, "val") - 1

    def feed(self, chunk: bytes) -> None:
        super().feed(chunk)
        self._check()

    def close(self) -> None:
        super().close()
        self._check()

    def _check(self) -> None:
        if self.rows > self.limits.max_rows:
            raise LimitExceeded(
                f"the Word document's tables have more than {self.limits.max_rows:,} rows",
                "max_rows")
        if self.cells > self.limits.max_cells:
            raise LimitExceeded(
                f"the Word document's tables have more than {self.limits.max_cells:,} cells",
                "max_cells")

