"""Reading CSV and TSV returns: encoding detected, delimiter sniffed."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from sarkit.intake.limits import LimitExceeded, Limits
from sarkit.raw_tables import RawSheet, RawWorkbook

DELIMITERS = ",;\t|"


# Single-byte encodings a UK return may arrive in, in order of likelihood (first wins a tie).
ENCODINGS = {
    "cp1252": "Windows-1252 (Western European, what Excel on Windows writes)",
    "mac_roman": "Mac Roman (what Excel on an older Mac writes)",
    "cp1250": "Windows-1250 (Central European)",
    "cp850": "DOS Latin-1 (code page 850)",
}
# Letters and marks that real UK text holds, by how often; anything else decoded from a high
# byte is a sign of the wrong encoding ('cafŽ' is a Mac 'café' read as Windows-1252).
_FREQUENT = frozenset("£€éèàçêôöüäñáóú‘’“”–—…•°½")
_OCCASIONAL = frozenset(
    "ëâãåîïíìûùÿõøæœßÉÈÊÀÂÄÁÅÇÎÍÔÖÓÛÜÚÑÆØŒ«»©®™·¼¾"
    "łŁśŚżŻźŹćĆńŃąĄęĘčČřŘšŠžŽěĚůŮ")
SAMPLE = 200_000


def detect_encoding(data: bytes) -> tuple[str, bool]:
    """(codec, guessed): UTF-16 by its BOM; UTF-8 (with or without BOM); otherwise the
    single-byte encoding whose reading of the bytes looks most like real text (guessed)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", False
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


def _high_bytes(data: bytes) -> bytes:
    """The words around the first non-ASCII bytes: enough to judge, cheap on a large file."""
    words = re.findall(rb"[^\s,;\t|\"]*[\x80-\xff][^\s,;\t|\"]*", data[: 50 * SAMPLE])
    return b" ".join(words[:5000])


def _plausibility(text: str) -> int:
    """+3 for each frequent letter or mark, +1 for an occasional one, -2 for any other
    non-ASCII character and for a capital inside a lower-case word ('cafÉs')."""
    score = 0
    previous = " "
    for char in text:
        if char > "\x7f":
            if char.isupper() and previous.islower():
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
