"""What the spreadsheet reader does not say of an Excel 97-2003 (.xls, BIFF8) workbook, read
from its records: the hidden rows (a ROW record's fDyZero flag: height zero, as Excel hides and
filters rows), the cells holding a formula (FORMULA records), the cells showing an error such as
#N/A (BOOLERR records and formulas whose saved value is an error), the number cells whose format
shows only a month or a year (their XF's FORMAT, as for .xlsx), and which of the cells the reader
gave as a time (a serial under 1) have a format that shows a date. Only the records' headers and a
few fixed fields are read; never a cell's value.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from sarkit.intake.shown_dates import shown_by, shows_a_date

BOF, EOF, BOUNDSHEET, ROW = 0x0809, 0x000A, 0x0085, 0x0208
FORMAT, XF, FORMULA, NUMBER, RK, MULRK = 0x041E, 0x00E0, 0x0006, 0x0203, 0x027E, 0x00BD
BOOLERR = 0x0205
FONT, LABELSST, LABEL, RSTRING = 0x0031, 0x00FD, 0x0204, 0x00D6
STRUCK_OUT = 0x0008  # FONT grbit: fStrikeOut
BIFF8 = 0x0600
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
          0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}  # BErr codes
WORKSHEET = 0x00  # BOUNDSHEET dt: a worksheet or dialog sheet
HIDDEN = 0x20  # ROW flags: fDyZero
SHEET_RECORDS = frozenset({ROW, FORMULA, NUMBER, RK, MULRK, BOOLERR})
MAX_SHEETS = 1_000  # sheets whose rows are looked at (a return has a handful)


@dataclass(slots=True)
class XlsSheetFacts:
    """A sheet's hidden rows (1-based), formula cells and month or year date cells ((row,
    col) 1-based row, 0-based column -> (precision, uncertain) as `shown_by` says)."""

    hidden_rows: list[int] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    shown: dict[tuple[int, int], tuple[str, bool]] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # cell -> '#N/A' it shows
    dated_times: set[tuple[int, int]] = field(default_factory=set)  # of `times`, shown as dates
    struck: set[tuple[int, int]] = field(default_factory=set)  # cells whose font is struck through


def xls_sheet_facts(data: bytes, times: dict[str, set[tuple[int, int]]] | None = None
                    ) -> dict[str, XlsSheetFacts]:
    """Sheet name -> what its records say; {} when the file is not BIFF8 or cannot be read this
    way (then no row is known to be hidden and no cell to hold a formula). `times`: sheet name
    -> (row, col) of cells read as times, whose format is looked at (see dated_times)."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("Workbook"):
                return {}  # BIFF5 ('Book') and older: not read here
            stream = ole.openstream("Workbook").read()
        return _sheet_facts(stream, times or {})
    except Exception:  # noqa: BLE001 - a damaged file: the reader itself reports it
        return {}


def xls_hidden_rows(data: bytes) -> dict[str, list[int]]:
    """Sheet name -> its hidden rows (1-based), for the sheets that have some."""
    return {name: facts.hidden_rows for name, facts in xls_sheet_facts(data).items()
            if facts.hidden_rows}


def _records(stream: bytes, pos: int, wanted: frozenset[int] | None = None):
    """(type, body) of each record from `pos` to the end of the substream (its EOF); only the
    records of a `wanted` type when given (the others are skipped unread)."""
    depth = 0
    end = len(stream)
    header = struct.Struct("<HH").unpack_from
    while pos + 4 <= end:
        kind, size = header(stream, pos)
        start = pos + 4
        pos = start + size
        if kind == BOF:
            depth += 1
        elif kind == EOF:
            depth -= 1
        if wanted is None or kind in wanted:
            yield kind, stream[start:pos]
        if depth <= 0:
            return


def _format_string(body: bytes) -> str:
    """A FORMAT record's format code (an XLUnicodeString after its number)."""
    length, flags = struct.unpack_from("<HB", body, 2)
    raw = body[5:]
    return raw[: length * 2].decode("utf-16-le", "replace") if flags & 1 else raw[:length].decode(
        "latin-1")


def _sheet_facts(stream: bytes, times: dict[str, set[tuple[int, int]]]) -> dict[str, XlsSheetFacts]:
    sheets: list[tuple[str, int]] = []
    formats: dict[int, str] = {}  # the workbook's own (FORMAT records)
    styles: list[int] = []  # each XF's format number, in order (a cell's ixfe indexes it)
    fonts: list[bool] = []  # each FONT's strike-out flag, in order
    xf_fonts: list[int] = []  # each XF's font number
    for number, (kind, body) in enumerate(_records(stream, 0)):
        if number == 0 and (kind != BOF or len(body) < 2 or struct.unpack_from("<H", body)[0] != BIFF8):
            return {}
        if kind == BOUNDSHEET and len(body) >= 8:
            position, _state, sheet_type, length, flags = struct.unpack_from("<IBBBB", body)
            raw = body[8:]
            name = raw[: length * 2].decode("utf-16-le") if flags & 1 else raw[:length].decode("latin-1")
            if sheet_type == WORKSHEET:
                sheets.append((name, position))
        elif kind == FORMAT and len(body) >= 5:
            formats[struct.unpack_from("<H", body)[0]] = _format_string(body)
        elif kind == XF and len(body) >= 4:
            styles.append(struct.unpack_from("<H", body, 2)[0])
            xf_fonts.append(struct.unpack_from("<H", body)[0])
        elif kind == FONT and len(body) >= 4:
            fonts.append(bool(struct.unpack_from("<H", body, 2)[0] & STRUCK_OUT))
    meanings = {index: meaning for index, code in enumerate(styles)
                if (meaning := shown_by(code, formats)) is not None}
    dated = {index for index, code in enumerate(styles) if shows_a_date(code, formats)}
    # font 4 is never written: the fourth FONT record is font 5
    struck = {index for index, font in enumerate(xf_fonts)
              if (font if font < 4 else font - 1) < len(fonts) and fonts[font if font < 4 else font - 1]}
    wanted = SHEET_RECORDS | {LABELSST, LABEL, RSTRING} if struck else SHEET_RECORDS
    found: dict[str, XlsSheetFacts] = {}
    walked: set[int] = set()
    unpack = struct.unpack_from
    for name, position in sheets[:MAX_SHEETS]:
        if position in walked:  # a crafted file pointing many sheets at one: each walked once
            continue
        walked.add(position)
        facts = found[name] = XlsSheetFacts()
        suspects = times.get(name, set())
        for kind, body in _records(stream, position, wanted):
            if kind == ROW:
                if len(body) >= 16 and unpack("<I", body, 12)[0] & HIDDEN:
                    facts.hidden_rows.append(unpack("<H", body)[0] + 1)
            elif kind == MULRK:
                if len(body) >= 6 and (meanings or suspects or struck):
                    row, first = unpack("<HH", body)
                    for k in range((len(body) - 6) // 6):
                        style = unpack("<H", body, 4 + 6 * k)[0]
                        if style in meanings:
                            facts.shown[(row + 1, first + k)] = meanings[style]
                        if style in dated and (row + 1, first + k) in suspects:
                            facts.dated_times.add((row + 1, first + k))
                        if style in struck:
                            facts.struck.add((row + 1, first + k))
            elif len(body) >= 6:
                row, col, style = unpack("<HHH", body)
                if kind == FORMULA:
                    facts.formulas.add((row + 1, col))
                    # FormulaValue: an error is type 2 at byte 6, its code at 8, 0xFFFF at 12
                    if len(body) >= 14 and body[6] == 2 and body[12:14] == b"\xff\xff":
                        facts.errors[(row + 1, col)] = ERRORS.get(body[8], "")
                elif kind == BOOLERR and len(body) >= 8 and body[7] == 1:
                    facts.errors[(row + 1, col)] = ERRORS.get(body[6], "")
                if style in meanings:
                    facts.shown[(row + 1, col)] = meanings[style]
                if style in dated and (row + 1, col) in suspects:
                    facts.dated_times.add((row + 1, col))
                if style in struck:
                    facts.struck.add((row + 1, col))
        facts.hidden_rows = sorted(set(facts.hidden_rows))
    return found
