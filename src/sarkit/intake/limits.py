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
from typing import Any

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
    max_key_iterations: int = 1_000_000

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
    "max_key_iterations": "most rounds of key derivation a password-protected file may ask for",
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
        self.parsed: dict[str, object] = {}  # structure parts already parsed, by what they are

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

# The prolog every Office writer emits: maybe a BOM, an XML declaration, then a start tag. A `<`
# can appear nowhere else in it (the declaration's values hold no `<` nor `>`), so when a part
# begins like this its root element has started and no DTD came before it: nothing to parse.
_PLAIN_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?[ \t\r\n]*(?:<\?xml[^<>]*\?>[ \t\r\n]*)?<[A-Za-z_]")


class _RootReached(Exception):
    pass


def _prolog_parser() -> Any:
    """defusedxml's SAX parser, refusing DTDs, that stops at the root element's start."""
    from xml.sax.handler import ContentHandler

    from defusedxml.sax import make_parser

    class Handler(ContentHandler):
        def startElement(self, name, attrs):  # noqa: N802 - SAX API
            raise _RootReached

        def startElementNS(self, name, qname, attrs):  # noqa: N802 - SAX API
            raise _RootReached

    parser = make_parser()
    parser.forbid_dtd = True
    parser.setContentHandler(Handler())
    return parser


class PrologCheck:
    """Feeds an XML part's first bytes to defusedxml until its root element starts.

    A DTD, and so any entity declaration, can only come before the root element: once the root
    starts, the rest of the part cannot declare entities. defusedxml refuses the DTD. A part
    whose first chunk starts with the plain prolog Office writes (`_PLAIN_PROLOG`) has no DTD:
    the parser is made only for the others.
    """

    def __init__(self, part: str) -> None:
        self.part = part
        self.parser: Any = None
        self.seen = 0
        self.done = False

    def feed(self, chunk: bytes) -> None:
        if self.done:  # `!` first: a quick search, as it is rare where `<` is everywhere
            if b"!" in chunk and b"<!" in chunk and (b"<!ENTITY" in chunk or b"<!DOCTYPE" in chunk):
                self._refuse()
            return
        from defusedxml import DefusedXmlException

        if self.parser is None:
            if not self.seen and _PLAIN_PROLOG.match(chunk):
                self.done = True
                return
            self.parser = _prolog_parser()
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
    # (first, last) rows holding a formula saved with no value at all (not even an empty one),
    # with the rows an array formula's range fills: what they show is not known
    unsaved_rows: list[tuple[int, int]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    autofilter: str | None = None
    filtered: bool = False
    comments: list[tuple[int, int]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # cell -> '#N/A' it shows
    date_cells: list[tuple[int, int, str]] = field(default_factory=list)  # .ods: (row, col, style)

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
