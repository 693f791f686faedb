"""Reading CSV and TSV returns: encoding detected, delimiter sniffed, stray quotation marks found."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from sarkit.findings import Finding, cell_name, finding
from sarkit.intake.limits import LimitExceeded, Limits
from sarkit.raw_tables import RawSheet, RawWorkbook

DELIMITERS = ",;\t|"
MAX_STRAYS = 20  # rows whose quotation mark is never closed, read again; more: the file is refused


# Single-byte encodings a UK return may arrive in, in order of likelihood (first wins a tie).
ENCODINGS = {
    "cp1252": "Windows-1252 (Western European, what Excel on Windows writes)",
    "mac_roman": "Mac Roman (what Excel on an older Mac writes)",
    "cp1250": "Windows-1250 (Central European)",
    "cp850": "DOS Latin-1 (code page 850)",
}
# Other encodings a guess may name, for the warning
NAMES = {**ENCODINGS, "utf-16-le": "UTF-16 (little-endian) without a byte-order mark",
         "utf-16-be": "UTF-16 (big-endian) without a byte-order mark"}
# Letters and marks that real UK text holds, by how often; anything else decoded from a high
# byte is a sign of the wrong encoding ('cafŽ' is a Mac 'café' read as Windows-1252).
_FREQUENT = frozenset("£€éèàçêôöüäñáóú‘’“”–—…•°½\u00a0")  # a no-break space: pasted from Word
_OCCASIONAL = frozenset(
    "ëâãåîïíìûùÿõøæœßÉÈÊÀÂÄÁÅÇÎÍÔÖÓÛÜÚÑÆØŒ«»©®™·¼¾"
    "łŁśŚżŻźŹćĆńŃąĄęĘčČřŘšŠžŽěĚůŮ")
SAMPLE = 200_000


def detect_encoding(data: bytes) -> tuple[str, bool]:
    """(codec, guessed): UTF-16 by its BOM; UTF-8 (with or without BOM); otherwise the
    single-byte encoding whose reading of the bytes looks most like real text (guessed)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", False
    if utf16 := _utf16_without_bom(data):
        return utf16, True
    if data.isascii():
        return "utf-8-sig", False
    try:
        data.decode("utf-8-sig")
        return "utf-8-sig", False
    except UnicodeDecodeError:
        pass
    sample = _high_bytes(data)
    scores = {}
    for codec in ENCODINGS:
        try:
            scores[codec] = _plausibility(sample.decode(codec))
        except UnicodeDecodeError:
            continue
    best = max(scores, key=lambda codec: scores[codec])  # mac_roman decodes every byte
    if scores[best] < 0:
        from charset_normalizer import from_bytes  # slow to import; rarely needed

        found = from_bytes(data[:SAMPLE]).best()
        if found is not None and found.encoding not in {"utf_8", "ascii"}:
            try:
                data.decode(found.encoding)
                return found.encoding, True
            except (UnicodeDecodeError, LookupError):
                pass
    return best, True


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when the bytes are UTF-16 text without a byte-order mark: NUL
    bytes in most odd (or even) places and none in the others, as ASCII letters give."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    codec = "utf-16-le" if odd > 0.4 * half and even == 0 else (
        "utf-16-be" if even > 0.4 * half and odd == 0 else None)
    if codec is None:
        return None
    try:
        data[: len(data) // 2 * 2].decode(codec)
    except UnicodeDecodeError:
        return None
    return codec


def _high_bytes(data: bytes) -> bytes:
    """The words around the first non-ASCII bytes: enough to judge, cheap on a large file."""
    words = re.findall(rb"[^\s,;\t|\"]*[\x80-\xff][^\s,;\t|\"]*", data[: 50 * SAMPLE])
    return b" ".join(words[:5000])


def _plausibility(text: str) -> int:
    """+3 for each frequent letter or mark, +1 for an occasional one, -2 for any other
    non-ASCII character, for a capital inside a lower-case word ('cafÉs') and for a letter
    straight after a figure ('3áMarch': a no-break space read as DOS code page 850)."""
    score = 0
    previous = " "
    for char in text:
        if char > "\x7f":
            if (char.isupper() and previous.islower()) or (char.isalpha() and previous.isdigit()):
                score -= 2
            elif char in _FREQUENT:
                score += 3
            elif char in _OCCASIONAL:
                score += 1
            else:
                score -= 2
        previous = char
    return score


def decode_text(data: bytes) -> str:
    """The text of a CSV/TSV file, decoded as `detect_encoding` decides."""
    return data.decode(detect_encoding(data)[0], errors="replace")


def _delimiter(sample: str) -> str:
    """The delimiter that splits the most sample rows into the same number (> 1) of fields.

    csv.Sniffer alone is thrown by a title line above the header, which real exports have.
    """
    lines = [line for line in sample.splitlines()[:60] if line.strip()]
    best, best_score = ",", 0
    for candidate in DELIMITERS:
        counts = Counter(len(r) for r in csv.reader(lines, delimiter=candidate))
        width, score = max(counts.items(), key=lambda item: (item[1], item[0]), default=(1, 0))
        if width > 1 and score > best_score:
            best, best_score = candidate, score
    return best


def read_delimited(
    data: bytes, workbook: RawWorkbook, *, sheet_name: str = "CSV", limits: Limits | None = None
) -> None:
    """Fill `workbook.sheets` with the one table a CSV/TSV holds, within the row and cell limits.

    A quotation mark that opens a cell and is never closed would run every later line into that
    one cell: such a row is read again with the mark as a plain character, the lines after it
    as rows of their own, and an error names the cell (`_unclosed_quotes`).
    """
    limits = limits or Limits()
    text = decode_text(data)
    csv.field_size_limit(max(limits.max_member_size, 1))
    lines = io.StringIO(text, newline="").readlines()
    delimiter = _delimiter(text[:50_000])
    rows, spans = _records(lines, 0, delimiter, limits)
    strays = _unclosed_quotes(lines, rows, spans, delimiter, limits)
    if len(strays) > MAX_STRAYS:
        workbook.findings.append(finding(
            "file-unreadable", workbook.path,
            f"In more than {MAX_STRAYS} rows a quotation mark opens a cell and is never closed "
            f"(the first in cell {cell_name(strays[0][0], strays[0][1])}), so the rows of the file "
            "cannot be told apart reliably; none was read.",
            hint="Ask the agency to open the file in Excel, save it again as an Excel Workbook "
                 "(.xlsx) and send that."))
        return
    workbook.sheets.append(RawSheet(name=sheet_name, rows=rows))
    for row, column, swallowed in strays:
        if swallowed < 0:  # closed as the file's marks say, with what looks like a row inside
            workbook.findings.append(_row_in_cell_finding(workbook.path, sheet_name, row, column))
        else:
            workbook.findings.append(_stray_quote_finding(workbook.path, sheet_name, row, column,
                                                          swallowed))


def _records(lines: list[str], start: int, delimiter: str, limits: Limits, before: int = 0
             ) -> tuple[list[list[object]], list[int]]:
    """The records of `lines[start:]`, and the line each begins on followed by the line after
    the last (so record i spans lines spans[i] to spans[i + 1]); `before` records precede."""
    reader = csv.reader(iter(lines[start:]), delimiter=delimiter)
    rows: list[list[object]] = []
    spans = [start]
    cells = 0
    for row in reader:
        rows.append(row)
        spans.append(start + reader.line_num)
        cells += len(row)
        if before + len(rows) > limits.max_rows:
            raise LimitExceeded(f"the CSV file has more than {limits.max_rows:,} rows", "max_rows")
        if len(row) > limits.max_columns:
            raise LimitExceeded(
                f"the CSV file has a row of {len(row):,} columns, beyond the limit of "
                f"{limits.max_columns:,}", "max_columns")
        if cells > limits.max_cells:
            raise LimitExceeded(f"the CSV file has more than {limits.max_cells:,} cells", "max_cells")
    return rows, spans


def _unclosed_quotes(lines: list[str], rows: list[list[object]], spans: list[int], delimiter: str,
                     limits: Limits) -> list[tuple[int, int, int]]:
    """Read again (in place) each row whose quotation mark ran on over later rows; the
    (sheet row, 0-based column, lines swallowed) of each such row. A record of the usual number
    of cells whose quoted cell holds a line that looks like a row is kept as the marks say (a
    note may quote a row) when its marks are well formed, with -1 for the lines swallowed: it
    gets a warning, not a re-read."""
    strays: list[tuple[int, int, int]] = []
    usual: tuple[int, set[str]] | None = None
    candidates, position = _spanning(spans, 0, len(lines)), 0
    while position < len(candidates):
        index = candidates[position]
        position += 1
        first, last = spans[index], spans[index + 1]
        usual = usual or _usual_row(lines, delimiter)
        record = lines[first:last]
        # the file's last record is read strictly first: is a quotation mark open at its end?
        error = _strict_error(record, delimiter) if last == len(lines) else None
        open_at_end = error is not None and "end of data" in error
        if not open_at_end and not _row_inside(record, delimiter, *usual):
            continue
        fields = rows[index]
        column = next((i for i, v in enumerate(fields) if "\n" in str(v) or "\r" in str(v)),
                      max(len(fields) - 1, 0))  # open at the end of the file: the last cell
        if last != len(lines):
            error = _strict_error(record, delimiter)
        if error is None:  # its marks open and close as CSV writes them: kept as it is
            strays.append((index + 1, column, -1))
            continue
        strays.append((index + 1, column, last - first - 1))
        if len(strays) > MAX_STRAYS:  # each is read again to the end: give up on a file so broken
            break
        plain = next(csv.reader([lines[first]], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
        rest, rest_spans = _records(lines, first + 1, delimiter, limits, before=index + 1)
        rows[index:] = [plain, *rest]
        spans[index + 1:] = rest_spans
        candidates, position = _spanning(spans, index + 1, len(lines)), 0
    return strays


def _spanning(spans: list[int], start: int, end: int) -> list[int]:
    """The records from `start` on that span several lines or reach the end of the file."""
    pairs = zip(spans[start:], spans[start + 1:], strict=False)
    return [index for index, (first, last) in enumerate(pairs, start) if last - first > 1 or last == end]


def _usual_row(lines: list[str], delimiter: str, sample: int = 2000) -> tuple[int, set[str]]:
    """The usual number of cells of a line read on its own (a quotation mark it leaves open
    taken as a plain character), and the shapes of most such lines' first cells (judged on the
    first `sample` lines: a stray quotation mark cannot hide the rows it swallows)."""
    single = [cells for cells in (_line_cells(line, delimiter) for line in lines[:sample])
              if len(cells) > 1]
    if not single:
        return 0, set()
    width = Counter(len(cells) for cells in single).most_common(1)[0][0]
    shapes = Counter(_shape(str(cells[0])) for cells in single if len(cells) == width)
    return width, {shape for shape, n in shapes.items() if n * 5 >= len(single)}


def _line_cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True), [])
    except csv.Error:
        return next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])


def _shape(value: str) -> str:
    """'03/02/2025' -> '9/9/9', 'Case note' -> 'a a': what kind of value, not which."""
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d+", "9", value.strip()))


def _strict_error(lines: list[str], delimiter: str) -> str | None:
    """What is wrong with a record's quotation marks, read as CSV writes them (each closing mark
    followed by the delimiter or the end of the line; none left open), or None: 'unexpected end
    of data' for a mark never closed, another error for a stray mark closed by another."""
    try:
        list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return str(exc)
    return None


def _row_inside(lines: list[str], delimiter: str, width: int, shapes: set[str]) -> bool:
    """Whether a line inside the record's cell has the cells and the first cell of a row."""
    if width < 3:
        return False
    for line in lines[1:]:
        if line.count(delimiter) < width - 1:  # too few cells for a row: most lines of a cell
            continue
        cells = _line_cells(line, delimiter)  # its own quotation mark may be stray
        if len(cells) == width and _shape(cells[0]) in shapes:
            return True
    return False


def _row_in_cell_finding(path: str, sheet: str, row: int, column: int) -> Finding:
    cell = cell_name(row, column)
    return finding(
        "csv-row-in-cell", path,
        f"Row {row}: the quoted cell {cell} runs over several lines, and one of them looks like a "
        "row of its own (a date first, as many commas as a row). The row was read as the file's "
        f"quotation marks say, with those lines in cell {cell}: check that no entry is hidden "
        "in it.",
        sheet=sheet, cell=cell)


def _stray_quote_finding(path: str, sheet: str, row: int, column: int, swallowed: int) -> Finding:
    cell = cell_name(row, column)
    if swallowed:
        lines = "line" if swallowed == 1 else f"{swallowed} lines"
        what = (f"is not closed at the end of the row, so the {lines} after it ran into that one "
                "cell. The row was read again with the quotation mark as a plain character and the "
                "lines after it as rows of their own")
    else:
        what = ("is never closed, so the rest of the row ran into that one cell. The row was read "
                "again with the quotation mark as a plain character")
    return finding(
        "csv-quote-unclosed", path,
        f"Row {row}: a quotation mark opens cell {cell} and {what}: check that row {row}'s cells "
        "are in the right columns.",
        sheet=sheet, cell=cell)
