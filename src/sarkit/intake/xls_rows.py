"""Hidden rows of an Excel 97-2003 (.xls, BIFF8) workbook, read from its ROW records.

The spreadsheet reader gives an .xls workbook's values but not which rows are hidden; each row's
ROW record carries that (the fDyZero flag: height zero, as Excel hides and filters rows). Only
the records' headers and a few fixed fields are read; never a cell's value.
"""

from __future__ import annotations

import struct

BOF, EOF, BOUNDSHEET, ROW = 0x0809, 0x000A, 0x0085, 0x0208
BIFF8 = 0x0600
WORKSHEET = 0x00  # BOUNDSHEET dt: a worksheet or dialog sheet
HIDDEN = 0x20  # ROW flags: fDyZero
ROWS = frozenset({ROW})
MAX_SHEETS = 1_000  # sheets whose rows are looked at (a return has a handful)


def xls_hidden_rows(data: bytes) -> dict[str, list[int]]:
    """Sheet name -> its hidden rows (1-based); {} when the file is not BIFF8 or cannot be read
    this way (then no row is known to be hidden)."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("Workbook"):
                return {}  # BIFF5 ('Book') and older: not read here
            stream = ole.openstream("Workbook").read()
        return _hidden_rows(stream)
    except Exception:  # noqa: BLE001 - a damaged file: the reader itself reports it
        return {}


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


def _hidden_rows(stream: bytes) -> dict[str, list[int]]:
    sheets: list[tuple[str, int]] = []
    for number, (kind, body) in enumerate(_records(stream, 0)):
        if number == 0 and (kind != BOF or len(body) < 2 or struct.unpack_from("<H", body)[0] != BIFF8):
            return {}
        if kind == BOUNDSHEET and len(body) >= 8:
            position, _state, sheet_type, length, flags = struct.unpack_from("<IBBBB", body)
            raw = body[8:]
            name = raw[: length * 2].decode("utf-16-le") if flags & 1 else raw[:length].decode("latin-1")
            if sheet_type == WORKSHEET:
                sheets.append((name, position))
    found: dict[str, list[int]] = {}
    walked: set[int] = set()
    for name, position in sheets[:MAX_SHEETS]:
        if position in walked:  # a crafted file pointing many sheets at one: each walked once
            continue
        walked.add(position)
        rows = [struct.unpack_from("<H", body)[0] + 1
                for kind, body in _records(stream, position, ROWS)
                if kind == ROW and len(body) >= 16 and struct.unpack_from("<I", body, 12)[0] & HIDDEN]
        if rows:
            found[name] = sorted(set(rows))
    return found
