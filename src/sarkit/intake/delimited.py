"""Reading CSV and TSV returns: encoding detected, delimiter sniffed."""

from __future__ import annotations

import csv
import io
from collections import Counter

from sarkit.intake.limits import LimitExceeded, Limits
from sarkit.raw_tables import RawSheet, RawWorkbook

DELIMITERS = ",;\t|"


def decode_text(data: bytes) -> str:
    """UTF-16 by its BOM; UTF-8 (with or without BOM); then Windows-1252, what Excel on a UK
    Windows PC writes as 'CSV'; charset-normalizer only for bytes Windows-1252 cannot hold."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # slow to import; rarely needed

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding not in {"utf_8", "ascii"}:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")


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
    """Fill `workbook.sheets` with the one table a CSV/TSV holds, within the row and cell limits."""
    limits = limits or Limits()
    text = decode_text(data)
    csv.field_size_limit(max(limits.max_member_size, 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:50_000]))
    rows: list[list[object]] = []
    cells = 0
    for row in reader:
        rows.append(list(row))
        cells += len(row)
        if len(rows) > limits.max_rows:
            raise LimitExceeded(f"the CSV file has more than {limits.max_rows:,} rows", "max_rows")
        if len(row) > limits.max_columns:
            raise LimitExceeded(
                f"the CSV file has a row of {len(row):,} columns, beyond the limit of "
                f"{limits.max_columns:,}", "max_columns")
        if cells > limits.max_cells:
            raise LimitExceeded(f"the CSV file has more than {limits.max_cells:,} cells", "max_cells")
    workbook.sheets.append(RawSheet(name=sheet_name, rows=rows))
