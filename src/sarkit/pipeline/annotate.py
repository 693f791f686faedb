"""`sarkit validate --annotate DIR`: an annotated copy of each return, for the agency that sent it.

Only returns that were read (in the worker processes, under the safety limits) are opened here
again: a file that could not be read, was refused or stayed locked is listed with the reason,
and the other returns are annotated. An .xlsx/.xlsm workbook is edited by openpyxl in memory
(decrypted in memory when the user gave its password); any other return gets an .xlsx copy of
the table it was read into. The original files are only ever read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sarkit.entries import ReturnResult
from sarkit.intake import SEPARATOR, crypto, passwords_for, read_workbooks
from sarkit.intake.limits import ZipPackage
from sarkit.intake.sniff import sniff_bytes
from sarkit.output.agency_wording import advice
from sarkit.output.annotated_returns import (
    annotate,
    load_workbook_copy,
    save_workbook,
    workbook_from_sheets,
)
from sarkit.output.atomic import atomic_output
from sarkit.returns import ReadOptions

NOT_READ = ("file-unreadable", "file-refused", "file-encrypted", "file-label-encrypted")
EDITABLE = ("xlsx", "xlsm")


@dataclass(slots=True)
class Annotation:
    """What became of one return: its annotated copy, or why there is none."""

    source: str
    output: Path | None = None
    cells: int = 0
    reason: str = ""  # why there is no copy
    unprotected: bool = False  # the return had a password; the copy has none


def annotate_returns(results: list[ReturnResult], folder: Path, options: ReadOptions,
                     names: dict[str, str], *, reply_by: str = "") -> list[Annotation]:
    """Write each return's copy into `folder` under `names` (return path -> file name; the
    caller has checked them against the output rules)."""
    done: list[Annotation] = []
    for result in results:
        if result.skipped or result.path not in names:
            continue
        blocking = next((f for f in result.findings if f.code in NOT_READ), None)
        if blocking is not None:
            done.append(Annotation(result.path, reason=advice(blocking).what))
            continue
        try:
            book, unprotected = _open_copy(result, options)
            file_name = result.path.split(SEPARATOR)[-1]
            cells = annotate(book, result, file_name=Path(file_name).name, reply_by=reply_by,
                             unprotected=unprotected)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - readers and openpyxl raise anything on a damaged file
            done.append(Annotation(result.path, reason="The file could not be opened again and "
                                   f"annotated; it may be damaged ({type(exc).__name__})."))
            continue
        target = folder / names[result.path]
        with atomic_output(target) as temporary:
            save_workbook(book, temporary)
        done.append(Annotation(result.path, target, cells, unprotected=unprotected))
    return done


def _decrypted(data: bytes, passwords: list[str]) -> bytes:
    """The plain package, with the first of `passwords` that opens it (as the return was read)."""
    tried = [p for p in passwords if p] or [None]
    for password in tried[:-1]:
        try:
            return crypto.decrypt_office(data, password)
        except crypto.WrongPassword:
            continue
    return crypto.decrypt_office(data, tried[-1])


def _open_copy(result: ReturnResult, options: ReadOptions):
    """(an openpyxl workbook to annotate, whether the return was password-protected)."""
    outer, attached, _ = result.path.partition(SEPARATOR)
    path = Path(result.source or outer)
    if attached:  # an email's attachment: the table read from it
        books = read_workbooks(path, passwords=options.passwords, limits=options.limits)
        raw = next(book for book in books if book.path == result.path)
        return workbook_from_sheets(raw.sheets), False
    data = path.read_bytes()
    fmt = sniff_bytes(data)
    protected = False
    if fmt == "ole-encrypted":
        data, protected = _decrypted(data, passwords_for(path.name, options.passwords, str(path),
                                                         str(path.absolute()))), True
        fmt = sniff_bytes(data)
    if fmt in EDITABLE:
        return load_workbook_copy(data), protected
    if fmt == "xls":
        protected = crypto.xls_is_encrypted(data)
    elif fmt == "ods":
        protected = crypto.odf_is_encrypted(ZipPackage(data, options.limits))
    books = read_workbooks(path, passwords=options.passwords, limits=options.limits)
    raw = next(book for book in books if book.path == result.path)
    if any(f.code in NOT_READ for f in raw.findings):
        raise ValueError("not read")
    return workbook_from_sheets(raw.sheets), protected
