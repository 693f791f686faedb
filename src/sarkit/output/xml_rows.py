"""Whole rows of a constant-memory xlsxwriter worksheet, written as the XML xlsxwriter would write.

xlsxwriter's per-cell Python work (a call, a cell tuple, a dict, an attribute list and an escape per
cell) is most of the combined workbook's writing time. In constant-memory mode xlsxwriter streams
each finished row's XML to a scratch file (`row_data_fh`) and copies that file into `<sheetData>`
when the workbook is closed; `RowWriter` writes its rows straight into that file, one string per
batch of rows, with the same XML and the same escaping as xlsxwriter's own.

Every use of xlsxwriter's private names is in this module. They are checked before the first row:
when a future xlsxwriter no longer has them, `RowWriter` writes each cell through the public API
instead (slower, the same cells).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

Value = str | int | float | None

_SHEET_NAMES = ("row_data_fh", "previous_row", "table", "row_info", "comments", "dim_rowmin",
                "dim_rowmax", "dim_colmin", "dim_colmax", "default_row_height",
                "original_row_height", "excel_version", "constant_memory")
_STRING_LIMIT = 32_767  # UTF-16 units in a cell, as xlsxwriter counts them
_HALF_LIMIT = _STRING_LIMIT // 2  # a text this long or shorter cannot be over the limit
_BATCH = 500  # rows joined into one write

# xlsxwriter's escaping (xmlwriter.py): a literal _xHHHH_ gets its underscore escaped, control
# characters but tab and newline become _xHHHH_, the two non-characters too; then & < > in text.
# One difference: every underscore that starts _xHHHH_ is escaped, also where two such share an
# underscore ("_x005F_x0041_"), which xlsxwriter's non-overlapping match leaves to read "_x005FA"
_LITERAL_ESCAPE = re.compile("_(?=x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
_SPECIAL = re.compile("[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")  # _SPECIAL's characters but & < >
_EXACT_INT = 2**53  # an int below this in size is its own float: '.16G' writes it as str() does


def fast_path_possible(sheet: Worksheet) -> bool:
    """Whether this xlsxwriter still has what `RowWriter` writes through, the sheet is in
    constant-memory mode, and nothing would make its rows differ from ours (Excel 2010 rows)."""
    if not all(hasattr(sheet, name) for name in _SHEET_NAMES):
        return False
    if not callable(getattr(sheet, "_write_single_row", None)):
        return False
    if not callable(getattr(Format, "_get_xf_index", None)):
        return False
    return bool(sheet.constant_memory) and sheet.excel_version == 2007


def escaped(text: str) -> str:
    """`text` as xlsxwriter puts it inside `<t>` in constant-memory mode, but where xlsxwriter
    loses it: a text that starts `<r>` and ends `</r>` (xlsxwriter writes it unescaped, as a rich
    string) and literal _xHHHH_ that share an underscore (see above)."""
    if not _SPECIAL.search(text):
        return text
    text = _LITERAL_ESCAPE.sub("_x005F_", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text.translate(_XML)


def utf16_fit(text: str, limit: int = _STRING_LIMIT) -> str:
    """`text` cut to `limit` UTF-16 units without splitting a character (what xlsxwriter does)."""
    if len(text) <= limit // 2 or len(text.encode("utf-16-le", "surrogatepass")) // 2 <= limit:
        return text
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > limit:
            return text[:index]
    return text


class RowWriter:
    """Writes rows below the rows already written to `sheet` (its header), each row with a height
    in points, a row format (its cells' format unless a column has its own) and values by column:
    text as inline text, int and float as numbers, None and "" not written."""

    def __init__(self, sheet: Worksheet, *, fast: bool | None = None) -> None:
        self.sheet = sheet
        self.fast = fast_path_possible(sheet) if fast is None else fast and fast_path_possible(sheet)
        self._started = False
        self._pending: list[str] = []
        self._first: int | None = None
        self._last = -1
        self._colmin: int | None = None
        self._colmax = -1
        self._columns: list[str] = []
        self._xf: dict[int, int] = {}
        self._heights: dict[float, str] = {}

    def write(self, row: int, height: float, row_format: Format | None, values: Sequence[Value],
              formats: Mapping[int, Format] | None = None) -> None:
        """One row: `values[col]` in column col, `formats[col]` the format of that cell if any."""
        if not self.fast:
            self._write_public(row, height, row_format, values, formats or {})
            return
        if not self._started:
            self._start(row)
        if row <= self._last:
            raise ValueError(f"row {row} comes after row {self._last}: rows go down the sheet")
        number = row + 1
        row_xf = self._xf_index(row_format) if row_format is not None else 0
        row_style = f' s="{row_xf}"' if row_xf else ""
        custom = ' customFormat="1"' if row_format else ""
        # a cell without a format of its own takes the row's (xlsxwriter's _write_cell)
        cell_style = f' s="{row_xf}"' if row_format else ""
        parts = [f'<row r="{number}"{row_style}{custom}{self._height(height)}>']
        columns = self._columns
        special = _SPECIAL.search
        if len(values) > len(columns):
            columns.extend(xl_col_to_name(c) for c in range(len(columns), len(values)))
        # one look at all the row's texts (3x quicker than _SPECIAL's, text by text) tells
        # whether any needs escaping: none has & < > or '_x', and none a control character or
        # non-character (isprintable: none at all; else, as tab and newline are not printable,
        # a search for the others)
        joined = " ".join([v for v in values if v.__class__ is str])
        plain = ("&" not in joined and "<" not in joined and ">" not in joined and "_x" not in joined
                 and (joined.isprintable() or _UNPRINTABLE.search(joined) is None))
        first = last = None
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if first is None:
                first = col
            last = col
            style = cell_style
            if formats and col in formats:
                style = f' s="{self._xf_index(formats[col])}"'
            if value.__class__ is str:
                text = value if len(value) <= _HALF_LIMIT else utf16_fit(value)
                if not plain and special(text) is not None:
                    text = escaped(text)
                # xlsxwriter's test is ^\s or \s$: str.isspace is the same class of characters
                preserve = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
                parts.append(f'<c r="{columns[col]}{number}"{style} t="inlineStr"><is><t{preserve}>'
                             f'{text}</t></is></c>')
            elif value.__class__ is int and -_EXACT_INT < value < _EXACT_INT:
                parts.append(f'<c r="{columns[col]}{number}"{style}><v>{value}</v></c>')
            else:
                parts.append(f'<c r="{columns[col]}{number}"{style}><v>{value:.16G}</v></c>')
        parts.append("</row>")
        self._pending.append("".join(parts))
        if self._first is None:
            self._first = row
        self._last = row
        if first is not None:
            self._colmin = first if self._colmin is None else min(self._colmin, first)
            self._colmax = max(self._colmax, last)
        if len(self._pending) >= _BATCH:
            self._flush()

    def close(self) -> None:
        """Write what is waiting and tell xlsxwriter where the rows end (its `<dimension>`)."""
        if not self.fast or not self._started:
            return
        self._flush()
        sheet = self.sheet
        if self._first is not None:
            sheet.dim_rowmin = self._first if sheet.dim_rowmin is None else min(sheet.dim_rowmin,
                                                                                self._first)
            sheet.dim_rowmax = self._last if sheet.dim_rowmax is None else max(sheet.dim_rowmax,
                                                                               self._last)
            if self._colmin is not None:
                sheet.dim_colmin = (self._colmin if sheet.dim_colmin is None
                                    else min(sheet.dim_colmin, self._colmin))
                sheet.dim_colmax = (self._colmax if sheet.dim_colmax is None
                                    else max(sheet.dim_colmax, self._colmax))
            # rows above this one are in the file: xlsxwriter refuses later writes to them
            sheet.previous_row = self._last + 1

    def _start(self, row: int) -> None:
        sheet = self.sheet
        if any(getattr(info, "column_format", None) for info in getattr(sheet, "col_info", {}).values()):
            raise ValueError("columns with a format of their own are not written here")
        if row < sheet.previous_row or any(r >= row for r in sheet.table if sheet.table[r]):
            raise ValueError(f"row {row} is above a row xlsxwriter already holds")
        sheet._write_single_row(row)  # xlsxwriter writes the row it holds (the header) first
        self._started = True

    def _flush(self) -> None:
        if self._pending:
            self.sheet.row_data_fh.write("".join(self._pending))
            self._pending.clear()

    def _xf_index(self, cell_format: Format) -> int:
        index = self._xf.get(id(cell_format))
        if index is None:
            index = self._xf[id(cell_format)] = cell_format._get_xf_index()
        return index

    def _height(self, points: float) -> str:
        """The row's height attributes as xlsxwriter's set_row and _write_row make them."""
        shown = self._heights.get(points)
        if shown is None:
            sheet = self.sheet
            pixels = int(points * 4.0 / 3.0 + 0.5)
            if pixels == 0:  # xlsxwriter hides a row of height 0: never asked for here
                raise ValueError("a row of height 0")
            original, default = sheet.original_row_height, sheet.default_row_height
            if pixels != original or pixels != default:
                shown = f' ht="{pixels * 0.75:.16g}" customHeight="1"'
            else:
                shown = ""
            self._heights[points] = shown
        return shown

    def _write_public(self, row: int, height: float, row_format: Format | None,
                      values: Sequence[Value], formats: Mapping[int, Format]) -> None:
        sheet = self.sheet
        sheet.set_row(row, height, row_format)
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, value, formats.get(col))
            else:
                sheet.write_number(row, col, value, formats.get(col))
