"""Corrections without editing the agency's file: `corrections.toml` next to review.toml.

Each `[[corrections]]` table names a cell (file, sheet, cell), the value the administrator saw
there (`original`), the new value, why, who and when. Corrections are applied to the cells as
they are read, before validation, so a corrected date is checked like any date; the agency's file
is never touched. Every applied correction is a `corrected-cell` finding (the entry is flagged in
the chronology and listed in the Corrections sheet); a correction whose cell no longer holds the
original (the agency resent the file, or someone else fixed it) is `correction-stale` and is not
applied. A file that cannot be read, a missing key, or two corrections of one cell stop the
command with the line to fix, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sarkit.errors import SarkitError
from sarkit.findings import Finding, finding
from sarkit.raw_tables import RawSheet, RawWorkbook
from sarkit.textfile import BACKSLASH_FIX, read_user_text, toml_mistake

CORRECTIONS_FILE = "corrections.toml"
_CELL = re.compile(r"^([A-Za-z]{1,3})([1-9][0-9]{0,6})$")
_KEYS = {"file", "sheet", "cell", "original", "value", "reason", "who", "when"}
_REQUIRED = ("file", "cell", "original", "value", "reason", "who", "when")
_SEPARATOR = " › "  # how an email attachment is named after its email (intake/email.py)
_HINT = ("Each [[corrections]] table needs file, cell, original, value, reason, who and when "
         "(and sheet when the file has several sheets).")


def _mistake(message: str, *, hint: str = "") -> SarkitError:
    """A mistake in corrections.toml: like one in review.toml, a usage error (exit code 2);
    the command stops before anything is read or written."""
    return SarkitError(message, hint=hint, exit_code=2)


@dataclass(frozen=True, slots=True)
class Correction:
    """One corrected cell: where, what it held, what it holds now, why, who and when."""

    file: str
    sheet: str
    cell: str
    original: str
    value: object
    reason: str
    who: str
    when: dt.date
    line: int  # of its [[corrections]] header in corrections.toml

    @property
    def position(self) -> tuple[int, int]:
        """(1-based row, 0-based column) of the cell."""
        match = _CELL.match(self.cell)
        assert match  # checked on loading
        col = 0
        for letter in match.group(1).upper():
            col = col * 26 + ord(letter) - 64
        return int(match.group(2)), col - 1


def corrections_path(review_folder: Path | None) -> Path | None:
    """corrections.toml beside review.toml, when there is one."""
    if review_folder is None:
        return None
    path = Path(review_folder) / CORRECTIONS_FILE
    return path if path.is_file() else None


def load_corrections(path: Path) -> tuple[Correction, ...]:
    """Every correction of the file, checked; a mistake stops the command naming its line."""
    try:
        text = read_user_text(path, "The corrections file", use="corrections.toml")
    except OSError as exc:
        raise _mistake(f"The corrections file {path} cannot be read ({exc.strerror}).") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where, said, fix = toml_mistake(text, exc)
        raise _mistake(f"The corrections file {path} is not valid TOML at {where}.{said}", hint=fix) from None
    lines = [n for n, t in enumerate(text.splitlines(), 1) if t.strip().startswith("[[corrections]]")]
    unknown = set(data) - {"corrections"}
    if unknown:
        raise _mistake(f"The corrections file {path} has an unknown table or key "
                          f"{sorted(unknown)[0]}: write each correction as a [[corrections]] table.",
                          hint=_HINT)
    items = data.get("corrections", [])
    if not isinstance(items, list):
        raise _mistake(f"In {path}, write each correction as a [[corrections]] table.", hint=_HINT)
    out: list[Correction] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else 1
        out.append(_correction(item, path, line))
        key = (out[-1].file.casefold(), out[-1].sheet.casefold(), out[-1].cell.upper())
        if key in seen:
            raise _mistake(
                f"In {path}, the correction at line {line} corrects the same cell as the one at "
                f"line {seen[key]} ({out[-1].file} {out[-1].cell}); keep one of them.",
                hint="Put the value the cell should hold in one correction.")
        seen[key] = line
    return tuple(out)


def _correction(item: object, path: Path, line: int) -> Correction:
    where = f"In {path}, the correction at line {line}"
    if not isinstance(item, dict):
        raise _mistake(f"{where} is not a table.", hint=_HINT)
    unknown = set(item) - _KEYS
    if unknown:
        raise _mistake(f"{where} has an unknown key {sorted(unknown)[0]}.", hint=_HINT)
    missing = [k for k in _REQUIRED if k not in item]
    if missing:
        raise _mistake(f"{where} has no {missing[0]}.", hint=_HINT)
    for key in ("file", "cell", "reason", "who"):
        if not isinstance(item[key], str) or not item[key].strip():
            raise _mistake(f"{where}: {key} must be text in quotes.", hint=_HINT)
    if any(c in item["file"] for c in "\t\n\r\b\f"):  # "returns\new.xlsx": TOML read \n as a new line
        raise _mistake(f"{where}: file has a backslash (\\) inside double quotes, which TOML reads as "
                       "the start of a special character.", hint=BACKSLASH_FIX)
    if not _CELL.match(item["cell"].strip()):
        raise _mistake(f"{where}: cell must be a cell name such as D14.", hint=_HINT)
    when = item["when"]
    if isinstance(when, dt.datetime):
        when = when.date()
    if not isinstance(when, dt.date):
        raise _mistake(f"{where}: when must be a date written YYYY-MM-DD without quotes.",
                          hint=_HINT)
    sheet = item.get("sheet", "")
    if not isinstance(sheet, str):
        raise _mistake(f"{where}: sheet must be text in quotes.", hint=_HINT)
    value = item["value"]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, str | int | float | dt.datetime | dt.time) or isinstance(value, bool):
        raise _mistake(f"{where}: value must be text, a number or a date.", hint=_HINT)
    return Correction(file=item["file"].strip(), sheet=sheet.strip(), cell=item["cell"].strip().upper(),
                      original=cell_text(item["original"]), value=value,
                      reason=item["reason"].strip(), who=item["who"].strip(), when=when, line=line)


def cell_text(value: object) -> str:
    """A cell's value as text to compare with `original` (dates day first, 5.0 as 5)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        shown = value.strftime("%d/%m/%Y")
        return shown + (value.strftime(" %H:%M") if value.time() != dt.time() else "")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _file_matches(correction: Correction, path: str) -> bool:
    wanted = correction.file.replace("\\", "/").casefold()
    for candidate in (path, path.split(_SEPARATOR)[-1]):
        shown = candidate.replace("\\", "/").casefold()
        if shown == wanted or shown.endswith("/" + wanted) or shown.rsplit("/", 1)[-1] == wanted:
            return True
    return False


def _sheet(book: RawWorkbook, correction: Correction) -> RawSheet | None:
    if not correction.sheet:
        visible = [s for s in book.sheets if s.visible]
        return visible[0] if len(visible) == 1 else None
    return next((s for s in book.sheets if s.name.casefold() == correction.sheet.casefold()), None)


def apply_corrections(book: RawWorkbook, corrections: tuple[Correction, ...]) -> list[Finding]:
    """Apply the corrections of this file to its cells; a finding for each (applied or stale)."""
    found: list[Finding] = []
    for correction in corrections:
        if not _file_matches(correction, book.path):
            continue
        sheet = _sheet(book, correction)
        row, col = correction.position
        details = {"original": correction.original, "corrected": cell_text(correction.value),
                   "reason": correction.reason, "who": correction.who,
                   "when": correction.when.strftime("%d/%m/%Y")}
        if sheet is None:
            found.append(_stale(book, correction, details, "that sheet is not in the file"))
            continue
        i, j = row - sheet.first_row, col - sheet.first_col
        cells = sheet.rows[i] if 0 <= i < len(sheet.rows) else []
        current = cells[j] if 0 <= j < len(cells) else None
        if i < 0 or j < 0 or cell_text(current) != correction.original:
            found.append(_stale(book, correction, details, "the cell no longer holds the original "
                                "value (was the return sent again, or corrected already?)"))
            continue
        while len(sheet.rows) <= i:
            sheet.rows.append([])
        cells = sheet.rows[i]
        while len(cells) <= j:
            cells.append(None)
        cells[j] = correction.value
        result = finding(
            "corrected-cell", book.path,
            f"Cell {correction.cell} was corrected by {correction.who} on {details['when']} "
            f"({correction.reason}); the original is kept in the Corrections sheet.",
            sheet=sheet.name, row=row, cell=correction.cell)
        result.values.update(details)
        found.append(result)
    return found


def _stale(book: RawWorkbook, correction: Correction, details: dict[str, str], why: str) -> Finding:
    result = finding(
        "correction-stale", book.path,
        f"The correction of cell {correction.cell} (line {correction.line} of {CORRECTIONS_FILE}) "
        f"was not applied: {why}.",
        sheet=correction.sheet or None, row=correction.position[0], cell=correction.cell)
    result.values.update(details)
    return result
