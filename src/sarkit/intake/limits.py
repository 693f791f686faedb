"""Safety limits, measured by streaming the file before any reader allocates anything.

A crafted workbook can make a reader exhaust memory or abort the process: a 5 KB xlsx with one
cell at XFD1048576 makes calamine allocate 512 GiB; a 200 KB zip can hold a 200 MB sheet; an XML
entity can expand a billion times. So every zip member is decompressed here in bounded chunks
(its real size counted, never the size its header claims), every XML part's prolog goes through
defusedxml (no DTD, no entities), and every sheet's real used range — the cells it actually
holds, not its declared dimension — and its merged ranges are measured before the reader runs.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from operator import itemgetter

MB = 1024 * 1024
CHUNK = 1 * MB
PROLOG_BYTES = 1 * MB  # an Office XML part's prolog is a few hundred bytes
STRUCTURE_PART_BYTES = 32 * MB  # workbook.xml, rels, content types: read whole
XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass(frozen=True, slots=True)
class Limits:
    """The safety limits of reading one file; each can be changed (`--limit NAME=VALUE`)."""

    max_file_size: int = 200 * MB
    max_xls_size: int = 100 * MB
    max_members: int = 10_000
    max_total_size: int = 500 * MB
    max_member_size: int = 300 * MB
    max_ratio: int = 200
    ratio_min_size: int = 1 * MB
    max_rows: int = 1_048_576
    max_columns: int = 16_384
    max_cells: int = 20_000_000
    max_merged_cells: int = 10_000_000

    @classmethod
    def parse(cls, specs: list[str], base: Limits | None = None) -> Limits:
        """Limits from `NAME=VALUE` strings (`max-cells=30000000`, `max-total-size=1GB`)."""
        limits = base or cls()
        changes: dict[str, int] = {}
        known = {f.name.replace("_", "-"): f.name for f in fields(cls)}
        for spec in specs:
            name, _, value = spec.partition("=")
            key = known.get(name.strip().lower().replace("_", "-"))
            if key is None:
                raise ValueError(
                    f"There is no limit called {name.strip()!r}; the limits are: "
                    + ", ".join(known) + "."
                )
            changes[key] = _parse_amount(value, key)
        return replace(limits, **changes)

    def describe(self) -> list[str]:
        """One line per limit, for `--help` and the docs."""
        return [
            f"{f.name.replace('_', '-')}={_show_amount(getattr(self, f.name), f.name)}: "
            f"{LIMIT_HELP[f.name]}"
            for f in fields(self)
        ]


LIMIT_HELP = {
    "max_file_size": "largest input file",
    "max_xls_size": "largest Excel 97-2003 (.xls) file",
    "max_members": "most files inside a zipped workbook",
    "max_total_size": "largest total size of a zipped workbook once uncompressed",
    "max_member_size": "largest single file inside a zipped workbook once uncompressed",
    "max_ratio": "highest compression ratio of a file inside a zipped workbook (over ratio-min-size)",
    "ratio_min_size": "files inside a zipped workbook smaller than this are not ratio-checked",
    "max_rows": "most rows a sheet may span",
    "max_columns": "most columns a sheet may span",
    "max_cells": "most cells a sheet's used range may span (rows x columns)",
    "max_merged_cells": "most cells the merged ranges of one sheet may cover",
}


def _parse_amount(text: str, key: str) -> int:
    match = re.fullmatch(r"\s*([\d_,.]+)\s*([kmg]i?b?|b)?\s*", text.strip().lower())
    if not match:
        raise ValueError(f"The limit {key.replace('_', '-')} needs a number, not {text.strip()!r}.")
    number = float(match.group(1).replace(",", "").replace("_", ""))
    unit = (match.group(2) or "").rstrip("b").rstrip("i")
    scale = {"": 1, "k": 1024, "m": MB, "g": 1024 * MB}[unit]
    return int(number * scale)


def _show_amount(value: int, key: str) -> str:
    if key.endswith("_size") and value % MB == 0:
        return f"{value // MB}MB"
    return str(value)


class LimitExceeded(Exception):
    """A file is over a safety limit; `reason` says which, in words, and `limit` names it."""

    def __init__(self, reason: str, limit: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.limit = limit.replace("_", "-")


class BrokenPackage(Exception):
    """The zip structure itself is damaged (not a limit: the file is unreadable)."""


# ---- zip containers ----------------------------------------------------------------------------

EOCD = b"PK\x05\x06"
EOCD64_LOCATOR = b"PK\x06\x07"


def check_zip_directory(data: bytes, limits: Limits) -> None:
    """Count the members a zip declares before `zipfile` builds an object for each of them."""
    start = data.rfind(EOCD, max(0, len(data) - 65_557))
    if start < 0 or start + 22 > len(data):
        return  # not a readable zip: zipfile will say so
    (entries,) = struct.unpack_from("<H", data, start + 10)
    if entries == 0xFFFF and start >= 20 and data[start - 20 : start - 16] == EOCD64_LOCATOR:
        (offset,) = struct.unpack_from("<Q", data, start - 20 + 8)
        if offset + 40 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            (entries,) = struct.unpack_from("<Q", data, offset + 32)
    if entries > limits.max_members:
        raise LimitExceeded(
            f"the zipped workbook holds {entries:,} files, over the limit of "
            f"{limits.max_members:,}", "max_members")


def normalise_name(name: str) -> str:
    """A member name as the readers look it up: forward slashes, no leading slash."""
    return name.replace("\\", "/").lstrip("/")


class ZipPackage:
    """A zip container read from bytes, with members streamed under the limits."""

    def __init__(self, data: bytes, limits: Limits) -> None:
        check_zip_directory(data, limits)
        self.data = data
        self.limits = limits
        self.archive = zipfile.ZipFile(io.BytesIO(data))
        self.infos = [i for i in self.archive.infolist() if not i.filename.endswith(("/", "\\"))]
        self.by_name: dict[str, zipfile.ZipInfo] = {}
        for info in self.infos:
            self.by_name.setdefault(normalise_name(info.filename), info)
        self.lower = {name.lower(): name for name in self.by_name}
        self.total = 0

    def has(self, name: str) -> bool:
        return normalise_name(name).lower() in self.lower

    def find(self, name: str) -> zipfile.ZipInfo | None:
        real = self.lower.get(normalise_name(name).lower())
        return self.by_name[real] if real else None

    def check_declared(self) -> None:
        """The sizes the zip declares: over a limit is refused before anything is decompressed."""
        limits = self.limits
        if len(self.infos) > limits.max_members:
            raise LimitExceeded(
                f"the zipped workbook holds {len(self.infos):,} files, over the limit of "
                f"{limits.max_members:,}", "max_members")
        total = 0
        for info in self.infos:
            self._check_member_size(info, info.file_size, info.compress_size)
            total += info.file_size
            if total > limits.max_total_size:
                raise LimitExceeded(
                    f"once uncompressed, the files inside it would take more than "
                    f"{_mb(limits.max_total_size)}", "max_total_size")

    def _check_member_size(self, info: zipfile.ZipInfo, size: int, compressed: int) -> None:
        limits = self.limits
        name = normalise_name(info.filename)
        if size > limits.max_member_size:
            raise LimitExceeded(
                f"the part {name} inside it is more than {_mb(limits.max_member_size)} once "
                "uncompressed", "max_member_size")
        if size > limits.ratio_min_size and size > limits.max_ratio * max(compressed, 1):
            raise LimitExceeded(
                f"the part {name} inside it is compressed more than {limits.max_ratio} times "
                "(a zip bomb?)", "max_ratio")

    def read_small(self, name: str) -> bytes | None:
        """A structure part (workbook.xml, rels) read whole, through the limits."""
        info = self.find(name)
        if info is None:
            return None
        chunks = []
        size = 0
        for chunk in self.stream(info, count=False):
            size += len(chunk)
            if size > STRUCTURE_PART_BYTES:
                raise LimitExceeded(
                    f"the part {normalise_name(info.filename)} inside it is unusually large "
                    f"(over {_mb(STRUCTURE_PART_BYTES)})", "max_member_size")
            chunks.append(chunk)
        return b"".join(chunks)

    def stream(self, info: zipfile.ZipInfo, *, count: bool = True) -> Iterator[bytes]:
        """The member's real content in chunks, counted against the limits as it comes.

        The compressed bytes are inflated here, so a header claiming a small size cannot hide a
        large member: the real size meets the limits. A size that differs from the header's is
        damage (`BrokenPackage`).
        """
        produced = 0
        crc = 0
        for chunk in self._raw_stream(info):
            produced += len(chunk)
            crc = zlib.crc32(chunk, crc)
            self._check_member_size(info, produced, info.compress_size)
            if count:
                self.total += len(chunk)
                if self.total > self.limits.max_total_size:
                    raise LimitExceeded(
                        f"once uncompressed, the files inside it take more than "
                        f"{_mb(self.limits.max_total_size)}", "max_total_size")
            yield chunk
        if produced != info.file_size:
            raise BrokenPackage("the sizes recorded inside the zip do not match its content")
        if crc != info.CRC:
            raise BrokenPackage("a part's checksum does not match its content")

    def _raw_stream(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        data = self.data
        offset = info.header_offset
        if offset + 30 > len(data) or data[offset : offset + 4] != b"PK\x03\x04":
            raise BrokenPackage("local header missing")
        if info.flag_bits & 0x1:
            raise BrokenPackage("zip-level encryption")
        name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
        start = offset + 30 + name_len + extra_len
        end = start + info.compress_size
        if end > len(data):
            raise BrokenPackage("member truncated")
        view = memoryview(data)
        if info.compress_type == zipfile.ZIP_STORED:
            for pos in range(start, end, CHUNK):
                yield bytes(view[pos : min(pos + CHUNK, end)])
            return
        if info.compress_type != zipfile.ZIP_DEFLATED:
            with self.archive.open(info) as handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
            return
        inflater = zlib.decompressobj(-15)
        pos = start
        try:
            while pos < end and not inflater.eof:
                block = view[pos : min(pos + 256 * 1024, end)]
                pos += len(block)
                out = inflater.decompress(block, CHUNK)
                if out:
                    yield out
                while inflater.unconsumed_tail and not inflater.eof:
                    out = inflater.decompress(inflater.unconsumed_tail, CHUNK)
                    if out:
                        yield out
            if not inflater.eof:
                raise BrokenPackage("member truncated")
        except zlib.error as exc:
            raise BrokenPackage("member damaged") from exc


def _mb(value: int) -> str:
    return f"{value / MB:,.0f} MB" if value >= MB else f"{value:,} bytes"


# ---- XML: the prolog through defusedxml ------------------------------------------------------------

class _RootReached(Exception):
    pass


class PrologCheck:
    """Feeds an XML part's first bytes to defusedxml until its root element starts.

    A DTD, and so any entity declaration, can only come before the root element: once the root
    starts, the rest of the part cannot declare entities. defusedxml refuses the DTD.
    """

    def __init__(self, part: str) -> None:
        from xml.sax.handler import ContentHandler

        from defusedxml.sax import make_parser

        class Handler(ContentHandler):
            def startElement(self, name, attrs):  # noqa: N802 - SAX API
                raise _RootReached

            def startElementNS(self, name, qname, attrs):  # noqa: N802 - SAX API
                raise _RootReached

        self.part = part
        self.parser = make_parser()
        self.parser.forbid_dtd = True
        self.parser.setContentHandler(Handler())
        self.seen = 0
        self.done = False

    def feed(self, chunk: bytes) -> None:
        if self.done:
            if b"<!" in chunk and (b"<!ENTITY" in chunk or b"<!DOCTYPE" in chunk):
                self._refuse()
            return
        from defusedxml import DefusedXmlException

        self.seen += len(chunk)
        try:
            self.parser.feed(chunk)
        except _RootReached:
            self.done = True
            return
        except DefusedXmlException:
            self._refuse()
        except Exception:  # noqa: BLE001 - not well-formed: the reader will say it is damaged
            self.done = True
            return
        if self.seen > PROLOG_BYTES:
            self.done = True
            if b"<!ENTITY" in chunk:
                self._refuse()

    def _refuse(self) -> None:
        raise LimitExceeded(
            f"its XML part {self.part} declares a DTD or entities, which a workbook never needs "
            "(a 'billion laughs' or external-entity attack?)", "xml_entities")


# ---- sheets: the real used range ----------------------------------------------------------------

@dataclass(slots=True)
class SheetScan:
    """What a sheet really holds, measured from its cells (1-based rows, 0-based columns)."""

    part: str
    name: str
    rows: int = 0  # last row holding a cell
    columns: int = 0  # last column holding a cell, as a count (column index + 1)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    merged_cells: int = 0
    formulas: list[tuple[int, int]] = field(default_factory=list)
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    autofilter: str | None = None
    filtered: bool = False
    comments: list[tuple[int, int]] = field(default_factory=list)

    def check(self, limits: Limits) -> None:
        where = f"the sheet {self.name}"
        if self.rows > limits.max_rows:
            raise LimitExceeded(
                f"{where} has a cell in row {self.rows:,}, beyond the limit of "
                f"{limits.max_rows:,} rows", "max_rows")
        if self.columns > limits.max_columns:
            raise LimitExceeded(
                f"{where} has a cell in column {self.columns:,}, beyond the limit of "
                f"{limits.max_columns:,} columns", "max_columns")
        if self.rows * self.columns > limits.max_cells:
            raise LimitExceeded(
                f"{where} spans {self.rows:,} rows x {self.columns:,} columns = "
                f"{self.rows * self.columns:,} cells, over the limit of {limits.max_cells:,} "
                "cells (a far-away cell stretches the table)", "max_cells")
        if self.merged_cells > limits.max_merged_cells:
            raise LimitExceeded(
                f"{where} has merged ranges covering {self.merged_cells:,} cells, over the limit "
                f"of {limits.max_merged_cells:,}", "max_merged_cells")


_NS = rb"(?:[A-Za-z_][\w.-]*:)?"
_ROW_TAG = re.compile(rb"<" + _NS + rb"row\b([^>]*)>")
_CELL_REF = re.compile(rb"<" + _NS + rb"c\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]{1,7})\$?(\d{1,12})[\"']")
_CELL_ANY = re.compile(rb"<" + _NS + rb"c[\s/>]")
_ATTR_R = re.compile(rb"\br\s*=\s*[\"'](\d{1,12})[\"']")
_ATTR_REF = re.compile(rb"\bref\s*=\s*[\"']([^\"']*)[\"']")
_ATTR_T = re.compile(rb"\bt\s*=\s*[\"'](\w*)[\"']")
_HIDDEN = re.compile(rb"\bhidden\s*=\s*[\"'](?:1|true)[\"']")
_MERGE = re.compile(rb"<" + _NS + rb"mergeCell\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_FORMULA = re.compile(rb"<" + _NS + rb"f[\s/>]")
_AUTOFILTER = re.compile(rb"<" + _NS + rb"autoFilter\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_FILTER_COLUMN = re.compile(rb"<" + _NS + rb"filterColumn\b")
_TOKEN = re.compile(rb"<(/?)" + _NS + rb"(row|c|f|v)(?=[\s/>])([^>]*)>")
_QUICK_REF = re.compile(rb' r="([A-Za-z]{1,7})(\d{1,12})"')
_QUICK_REF_CLOSED = re.compile(rb' r="([A-Za-z]{1,7})(\d{1,12})"[^>]*?(/?)>')
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData\b")
_A1 = re.compile(r"\$?([A-Za-z]{1,7})\$?(\d{1,12})")


def column_number(letters: bytes | str) -> int:
    """Spreadsheet column letters as a 1-based number: A -> 1, XFD -> 16384."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def parse_range(text: str) -> tuple[int, int, int, int] | None:
    """'B3:D9' -> (3, 1, 9, 3): 1-based rows, 0-based columns; None when not a range."""
    parts = text.strip().split(":")
    cells = [_A1.fullmatch(p) for p in parts]
    if not parts or len(parts) > 2 or not all(cells):
        return None
    first = cells[0]
    last = cells[-1]
    r1, r2 = int(first.group(2)), int(last.group(2))
    c1, c2 = column_number(first.group(1)) - 1, column_number(last.group(1)) - 1
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


class XlsxSheetScanner:
    """Streams a worksheet's XML and measures it: real rows and columns, merges, formulas.

    Most sheets take the fast path: C-speed searches over each megabyte (every cell names
    itself with r="A1", none holds a formula). Otherwise, from then on, every tag is followed
    in order, as a reader does (cells without r count on from the one before).
    """

    def __init__(self, scan: SheetScan, limits: Limits) -> None:
        self.scan = scan
        self.limits = limits
        self.carry = b""
        self.offset = 0  # absolute offset of the buffer being scanned
        self.row = 0
        self.next_col = 0
        self.cell: list | None = None  # [row, col, has_formula, has_value, type, value_start]
        self.precise = False  # every tag followed (formulas, or cells without r)
        self.prefix: bytes | None = None  # the sheet's namespace prefix (b"" or b"x:")
        self.after_data = False  # past </sheetData>: merges and filters come there

    def feed(self, chunk: bytes) -> None:
        buffer = self.carry + chunk
        cut = buffer.rfind(b">") + 1
        if cut == 0:
            if len(buffer) > 64 * MB:
                raise LimitExceeded(
                    f"the sheet {self.scan.name} has a single XML tag over 64 MB long",
                    "max_member_size")
            self.carry = buffer
            return
        self.carry = buffer[cut:]
        self._scan(buffer[:cut])
        self.offset += cut
        self.scan.check(self.limits)

    def close(self) -> None:
        if self.carry.strip():
            self._scan(self.carry)
            self.carry = b""
        self._end_cell()
        self.scan.check(self.limits)

    def _learn_prefix(self, buf: bytes) -> None:
        match = _SHEET_DATA.search(buf)
        if match:
            self.prefix = match.group(1) or b""
            self.cell_open = b"<" + self.prefix + b"c "
            self.cell_bare = re.compile(b"<" + re.escape(self.prefix) + b"c[>/]")
            self.formula = re.compile(b"<" + re.escape(self.prefix) + b"f[ >/]")
            self.data_end = b"</" + self.prefix + b"sheetData>"

    def _scan(self, buf: bytes) -> None:
        scan = self.scan
        if self.prefix is None:
            self._learn_prefix(buf)
            if self.prefix is None:
                self._scan_tokens(buf)  # the sheet data has not started: nothing to measure
                return
        end_of_data = buf.find(self.data_end) if not self.after_data else 0
        if self.precise or self.cell_bare.search(buf) or self.formula.search(buf):
            self.precise = True  # from here on: a cell may open in one buffer, end in the next
            self._scan_tokens(buf)
        else:
            found = _QUICK_REF.findall(buf) if b" r='" not in buf else []
            if buf.count(self.cell_open) != len(found):
                self.precise = True
                self._scan_tokens(buf)
            else:
                self._scan_quick(buf, found)
        if end_of_data >= 0:
            self.after_data = True
            tail = buf[end_of_data:]
            for ref in _MERGE.findall(tail):
                area = parse_range(ref.decode("ascii", "replace"))
                if area is None:
                    continue
                r1, c1, r2, c2 = area
                scan.merged.append(area)
                scan.merged_cells += (r2 - r1 + 1) * (c2 - c1 + 1)
            match = _AUTOFILTER.search(tail)
            if match:
                scan.autofilter = match.group(1).decode("ascii", "replace")
                scan.filtered = scan.filtered or bool(_FILTER_COLUMN.search(tail))

    def _scan_quick(self, buf: bytes, found: list[tuple[bytes, bytes]]) -> None:
        scan = self.scan
        last_row = -1
        if b"hidden" in buf:
            for match in _ROW_TAG.finditer(buf):
                found_r = _ATTR_R.search(match.group(1))
                self.row = int(found_r.group(1)) if found_r else self.row + 1
                last_row = match.start()
                if _HIDDEN.search(match.group(1)):
                    scan.hidden_rows.append(self.row)
        else:
            last_row = self._follow_rows(buf)
        if found:
            rows = max(map(int, set(map(itemgetter(1), found))))
            columns = max(map(column_number, set(map(itemgetter(0), found))))
            if rows * columns > self.limits.max_cells or rows > self.limits.max_rows or (
                    columns > self.limits.max_columns):
                # Over a limit, counting every cell; calamine skips cells without content
                # (<c r="XFD9" s="1"/>), so count again without them before refusing.
                filled = [(c, r) for c, r, closed in _QUICK_REF_CLOSED.findall(buf) if not closed]
                rows = max(map(int, (r for _, r in filled)), default=0)
                columns = max(map(column_number, (c for c, _ in filled)), default=0)
            scan.rows = max(scan.rows, rows)
            scan.columns = max(scan.columns, columns)
            last_cell = buf.rfind(self.cell_open)
            if last_cell > last_row:
                letters, digits = found[-1]
                self.row = int(digits)
                self.next_col = column_number(letters)
                tag_end = buf.find(b">", last_cell)
                if buf[tag_end - 1 : tag_end] != b"/" and buf.find(b"</", tag_end) < 0:
                    self._open_cell(buf, last_cell, self.row, self.next_col - 1)
                return
        if last_row >= 0:
            self.next_col = 0

    def _open_cell(self, buf: bytes, start: int, row: int, col: int) -> None:
        """The buffer ends inside a cell: carry it into the next buffer, which may hold its
        formula or the end of its value."""
        tag_end = buf.find(b">", start)
        kind = _ATTR_T.search(buf, start, tag_end)
        self.cell = [row, col, False, False, kind.group(1) if kind else b"n", -1]
        value = max(buf.rfind(b"<v>", tag_end), buf.rfind(b":v>", tag_end))
        if value >= 0:
            self.cell[5] = self.offset + value + 3

    def _follow_rows(self, buf: bytes) -> int:
        """Keep the current row number without visiting every row: the last row tag's r, or
        (rows without r) the count of row tags. Returns where the last row tag starts (or -1)."""
        end = len(buf)
        while end > 0:
            pos = max(buf.rfind(b"<row", 0, end), buf.rfind(b":row", 0, end))
            if pos < 0:
                return -1
            start = max(pos if buf[pos] == ord("<") else buf.rfind(b"<", 0, pos), 0)
            match = _ROW_TAG.match(buf, start)
            if match:
                found = _ATTR_R.search(match.group(1))
                if found:
                    self.row = int(found.group(1))
                else:
                    self.row += len(_ROW_TAG.findall(buf))
                return start
            end = pos
        return -1

    def _scan_tokens(self, buf: bytes) -> None:
        scan = self.scan
        for match in _TOKEN.finditer(buf):
            closing, tag, attrs = match.group(1), match.group(2), match.group(3)
            empty = attrs.endswith(b"/")
            if tag == b"row":
                if closing:
                    continue
                found = _ATTR_R.search(attrs)
                self.row = int(found.group(1)) if found else self.row + 1
                self.next_col = 0
                if _HIDDEN.search(attrs):
                    scan.hidden_rows.append(self.row)
            elif tag == b"c":
                if closing:
                    self._end_cell()
                    continue
                self._end_cell()
                found = _CELL_REF.match(match.group(0))
                if found:
                    row, col = int(found.group(2)), column_number(found.group(1)) - 1
                else:
                    row, col = max(self.row, 1), self.next_col
                self.row = row
                self.next_col = col + 1
                if not empty:  # calamine skips cells without content
                    scan.rows = max(scan.rows, row)
                    scan.columns = max(scan.columns, col + 1)
                kind = _ATTR_T.search(attrs)
                self.cell = [row, col, False, False, kind.group(1) if kind else b"n", -1]
                if empty:
                    self._end_cell()
            elif self.cell is not None:
                if tag == b"f" and not closing:
                    self.cell[2] = True
                elif tag == b"v":
                    if closing:
                        start = self.offset + match.start()
                        if start > self.cell[5] >= 0 or self.cell[4] == b"str":
                            self.cell[3] = True
                    elif not empty:
                        self.cell[5] = self.offset + match.end()

    def _end_cell(self) -> None:
        cell = self.cell
        if cell is None:
            return
        self.cell = None
        if cell[2]:
            self.scan.formulas.append((cell[0], cell[1]))
            if not cell[3]:
                self.scan.formulas_without_value.append((cell[0], cell[1]))


# ---- ODS: content.xml ----------------------------------------------------------------------------

_ODS_TOKEN = re.compile(
    rb"<(/?)" + _NS + rb"(table|table-row|table-cell|covered-table-cell|annotation)(?=[\s/>])([^>]*)>"
)
_ODS_ROWS_REPEATED = re.compile(rb"number-rows-repeated\s*=\s*[\"'](\d{1,15})[\"']")
_ODS_COLS_REPEATED = re.compile(rb"number-columns-repeated\s*=\s*[\"'](\d{1,15})[\"']")
_ODS_COLS_SPANNED = re.compile(rb"number-columns-spanned\s*=\s*[\"'](\d{1,15})[\"']")
_ODS_ROWS_SPANNED = re.compile(rb"number-rows-spanned\s*=\s*[\"'](\d{1,15})[\"']")
_ODS_VALUE_TYPE = re.compile(rb"value-type\s*=\s*[\"']")
_ODS_FORMULA = re.compile(rb"\bformula\s*=\s*[\"']")
_ODS_NAME = re.compile(rb"\bname\s*=\s*[\"']([^\"']*)[\"']")
_ODS_HIDDEN = re.compile(rb"visibility\s*=\s*[\"'](?:collapse|filter)[\"']")


class OdsContentScanner:
    """Streams an ODS content.xml: repeated rows and columns are counted, never expanded."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.sheets: list[SheetScan] = []
        self.carry = b""
        self.depth = 0  # nesting of table:table (sub-tables are not sheets)
        self.row = 0  # rows before the current one
        self.row_repeat = 1
        self.row_used = False
        self.col = 0
        self.cell: tuple[int, int] | None = None  # (row, col) of an open cell with content

    def feed(self, chunk: bytes) -> None:
        buffer = self.carry + chunk
        cut = buffer.rfind(b">") + 1
        if cut == 0:
            if len(buffer) > 64 * MB:
                raise LimitExceeded("a single XML tag in content.xml is over 64 MB long",
                                    "max_member_size")
            self.carry = buffer
            return
        self.carry = buffer[cut:]
        self._scan(buffer[:cut])

    def close(self) -> None:
        if self.carry.strip():
            self._scan(self.carry)
        self.carry = b""

    def _scan(self, buf: bytes) -> None:
        if b"<!ENTITY" in buf:
            raise LimitExceeded("its XML part content.xml declares entities", "xml_entities")
        for match in _ODS_TOKEN.finditer(buf):
            closing, tag, attrs = match.group(1), match.group(2), match.group(3)
            empty = attrs.endswith(b"/")
            if tag == b"table":
                if closing:
                    self.depth -= 1
                    if self.depth == 0 and self.sheets:
                        self.sheets[-1].check(self.limits)
                elif not empty:
                    self.depth += 1
                    if self.depth == 1:
                        name = _ODS_NAME.search(attrs)
                        title = name.group(1).decode("utf-8", "replace") if name else "?"
                        self.sheets.append(SheetScan(part="content.xml", name=_unescape(title)))
                        self.row = 0
                continue
            if self.depth != 1 or not self.sheets:
                continue
            sheet = self.sheets[-1]
            if tag == b"table-row":
                if closing:
                    self._end_row(sheet)
                    continue
                repeat = _ODS_ROWS_REPEATED.search(attrs)
                self.row_repeat = max(1, int(repeat.group(1))) if repeat else 1
                self.row_used = False
                self.col = 0
                if _ODS_HIDDEN.search(attrs):
                    sheet.hidden_rows.extend(
                        range(self.row + 1, self.row + 1 + min(self.row_repeat, 1000)))
                if empty:
                    self._end_row(sheet)
            elif tag in (b"table-cell", b"covered-table-cell"):
                if closing:
                    self.cell = None
                    continue
                repeat = _ODS_COLS_REPEATED.search(attrs)
                count = max(1, int(repeat.group(1))) if repeat else 1
                used = bool(_ODS_VALUE_TYPE.search(attrs)) or not empty
                position = (self.row + 1, self.col)
                if used and tag == b"table-cell":
                    self.row_used = True
                    sheet.columns = max(sheet.columns, self.col + count)
                    sheet.rows = max(sheet.rows, self.row + self.row_repeat)
                    if _ODS_FORMULA.search(attrs):
                        sheet.formulas.append(position)
                        if not _ODS_VALUE_TYPE.search(attrs):
                            sheet.formulas_without_value.append(position)
                spans_c = _ODS_COLS_SPANNED.search(attrs)
                spans_r = _ODS_ROWS_SPANNED.search(attrs)
                width = int(spans_c.group(1)) if spans_c else 1
                height = int(spans_r.group(1)) if spans_r else 1
                if width > 1 or height > 1:
                    sheet.merged.append((self.row + 1, self.col, self.row + height,
                                         self.col + width - 1))
                    sheet.merged_cells += width * height * count
                self.cell = None if empty else position
                self.col += count
                sheet.check(self.limits)
            elif tag == b"annotation" and not closing and self.cell is not None:
                sheet.comments.append(self.cell)

    def _end_row(self, sheet: SheetScan) -> None:
        self.row += self.row_repeat
        self.row_repeat = 1
        self.col = 0


def _unescape(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


# ---- xlsb: binary records --------------------------------------------------------------------------

XLSB_ROW_HEADER = 0x0000
XLSB_CELLS = set(range(0x0001, 0x000C)) | {0x003E}
XLSB_FORMULAS = {0x0008, 0x0009, 0x000A, 0x000B}
XLSB_DIMENSION = 0x0094
XLSB_MERGE = 0x00B0


class XlsbSheetScanner:
    """Walks an xlsb worksheet's records: rows, columns, merges and formulas, before calamine."""

    def __init__(self, scan: SheetScan, limits: Limits) -> None:
        self.scan = scan
        self.limits = limits
        self.carry = b""
        self.row = 0

    def feed(self, chunk: bytes) -> None:
        buffer = self.carry + chunk
        pos = 0
        end = len(buffer)
        scan = self.scan
        while True:
            record = xlsb_record(buffer, pos, end)
            if record is None:
                break
            kind, start, size = record
            if size > 64 * MB:
                raise LimitExceeded(
                    f"the sheet {scan.name} has a record over 64 MB long", "max_member_size")
            if start + size > end:
                break
            body = buffer[start : start + size]
            if kind == XLSB_ROW_HEADER and size >= 4:
                (self.row,) = struct.unpack_from("<I", body)
                scan.rows = max(scan.rows, self.row + 1)
            elif kind in XLSB_CELLS and size >= 4:
                (col,) = struct.unpack_from("<I", body)
                scan.rows = max(scan.rows, self.row + 1)
                scan.columns = max(scan.columns, col + 1)
                if kind in XLSB_FORMULAS:
                    scan.formulas.append((self.row + 1, col))
            elif kind == XLSB_DIMENSION and size >= 16:
                r1, r2, c1, c2 = struct.unpack_from("<IIII", body)
                scan.rows = max(scan.rows, r2 + 1)
                scan.columns = max(scan.columns, c2 + 1)
            elif kind == XLSB_MERGE and size >= 16:
                r1, r2, c1, c2 = struct.unpack_from("<IIII", body)
                if r2 >= r1 and c2 >= c1:
                    scan.merged.append((r1 + 1, c1, r2 + 1, c2))
                    scan.merged_cells += (r2 - r1 + 1) * (c2 - c1 + 1)
            pos = start + size
        self.carry = buffer[pos:]
        scan.check(self.limits)

    def close(self) -> None:
        self.scan.check(self.limits)


def xlsb_record(buf: bytes, pos: int, end: int) -> tuple[int, int, int] | None:
    """(type, body start, body size) of the record at pos, or None when it is incomplete."""
    if pos >= end:
        return None
    kind = buf[pos] & 0x7F
    if buf[pos] & 0x80:
        if pos + 1 >= end:
            return None
        kind |= (buf[pos + 1] & 0x7F) << 7
        pos += 2
    else:
        pos += 1
    size = 0
    for shift in range(0, 28, 7):
        if pos >= end:
            return None
        byte = buf[pos]
        pos += 1
        size |= (byte & 0x7F) << shift
        if not byte & 0x80:
            break
    return kind, pos, size


# ---- docx: table cells -------------------------------------------------------------------------

_GRID_SPAN = re.compile(rb"gridSpan\b[^>]*?\bval\s*=\s*[\"'](\d{1,9})[\"']")


class DocxScanner:
    """Counts a Word document's table rows and cells (spans included) before python-docx loads it."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.carry = b""
        self.rows = 0
        self.cells = 0

    def feed(self, chunk: bytes) -> None:
        buffer = self.carry + chunk
        cut = buffer.rfind(b">") + 1
        self.carry = buffer[cut:]
        if len(self.carry) > 64 * MB:
            raise LimitExceeded("the Word document has a single XML tag over 64 MB long",
                                "max_member_size")
        self._scan(buffer[:cut])

    def close(self) -> None:
        self._scan(self.carry)
        self.carry = b""

    def _scan(self, buf: bytes) -> None:
        if b"<!ENTITY" in buf:
            raise LimitExceeded("its XML part word/document.xml declares entities", "xml_entities")
        self.rows += buf.count(b":tr>") + buf.count(b":tr ")
        self.cells += buf.count(b":tc>") + buf.count(b":tc ")
        if b"gridSpan" in buf:
            self.cells += sum(int(n) - 1 for n in _GRID_SPAN.findall(buf) if int(n) > 1)
        if self.rows > self.limits.max_rows:
            raise LimitExceeded(
                f"the Word document's tables have more than {self.limits.max_rows:,} rows",
                "max_rows")
        if self.cells > self.limits.max_cells:
            raise LimitExceeded(
                f"the Word document's tables have more than {self.limits.max_cells:,} cells",
                "max_cells")
