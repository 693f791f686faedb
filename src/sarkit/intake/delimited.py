"""Reading CSV and TSV returns: encoding detected, delimiter sniffed."""

from __future__ import annotations

import csv
import io

from charset_normalizer import from_bytes

from sarkit.intake.model import RawSheet, RawWorkbook

DELIMITERS = ",;\t|"


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), then cp1252 (what UK Excel writes), then a detected charset."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("latin-1")


def read_delimited(data: bytes, workbook: RawWorkbook, *, sheet_name: str = "CSV") -> None:
    """Fill `workbook.sheets` with the one table a CSV/TSV holds."""
    text = decode_text(data)
    sample = text[:20_000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, DELIMITERS)
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    csv.field_size_limit(50_000_000)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[list[object]] = [list(row) for row in reader]
    workbook.sheets.append(RawSheet(name=sheet_name, rows=rows))
