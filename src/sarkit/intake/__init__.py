"""Reading any input into raw tables with cell coordinates; bad files become findings.

The order matters: the format is sniffed from the bytes; an encrypted file is decrypted in
memory; a zipped file is measured against the safety limits (`limits.py`) before any reader
touches it; only then is it read, and its features (macros, formulas, comments, …) reported.
No finding quotes a cell or a library's error message (they quote cell contents): only the
exception's type name is shown.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from sarkit.findings import finding
from sarkit.intake import crypto, features
from sarkit.intake.delimited import NAMES, detect_encoding, read_delimited
from sarkit.intake.email import MAX_DEPTH, SEPARATOR, read_email
from sarkit.intake.limits import BrokenPackage, LimitExceeded, Limits, ZipPackage
from sarkit.intake.package import measure_package, readable_copy, word_copy
from sarkit.intake.sniff import (
    OFFICE_SUFFIXES,
    ZIP_MAGIC,
    is_junk,
    ole_streams,
    sniff_bytes,
    text_under_office_name,
)
from sarkit.intake.spreadsheet import read_spreadsheet
from sarkit.raw_tables import RawSheet, RawWorkbook
from sarkit.wording import shown_path

__all__ = [
    "Limits", "RawSheet", "RawWorkbook", "SEPARATOR", "is_junk", "password_for", "passwords_for",
    "read_workbook", "read_workbooks",
]

ZIPPED = {"xlsx", "xlsm", "xlsb", "ods", "docx"}
PASSWORD_HINT = (
    "Give the password with --password (you will be asked for it), the SARKIT_PASSWORD "
    "environment variable, or --passwords FILE (one 'file name = password' a line); "
    "or ask the agency to send the return without a password, by secure email."
)


def password_for(name: str, passwords: dict[str, str] | None, *also: str) -> str | None:
    """The password for a file: the first of `passwords_for`, or None."""
    found = passwords_for(name, passwords, *also)
    return found[0] if found else None


def passwords_for(name: str, passwords: dict[str, str] | None, *also: str) -> list[str]:
    """The passwords to try for a file, best first: the lines naming its path (its file name
    `name`, or any of `also`: its path as shown, its full path, its email), a full path exactly,
    a relative one as the end of its path (relative to the current folder, the review folder or
    any folder above it; the longest first); then the other lines naming its file name, in the
    file's order (a path from another computer); then '*'. Case ignored as Windows does, either
    slash. Each is the user's own password for a file of that name, so each may be tried."""
    if not passwords:
        return []
    paths = [_password_key(path) for path in (name, *also) if path]
    wanted = _password_key(name).rsplit("/", 1)[-1]
    by_path: list[tuple[int, str]] = []
    by_name: list[str] = []
    for key, password in passwords.items():
        line = _password_key(key)
        if key == "*":
            continue
        if line in paths or "/" in line and any(_names_path(line, path) for path in paths):
            by_path.append((-line.count("/"), password))
        elif line.rsplit("/", 1)[-1] == wanted:
            by_name.append(password)
    found = [password for _, password in sorted(by_path, key=lambda pair: pair[0])] + by_name
    if "*" in passwords:
        found.append(passwords["*"])
    return list(dict.fromkeys(found))


def _names_path(line: str, path: str) -> bool:
    """Whether a passwords file line (a path) names `path`: a full path the same, a relative path
    (leading '../' left out) its end, at a folder boundary."""
    if line.startswith("/") or re.match(r"[a-z]:/", line):
        return line == path
    while line.startswith("../"):
        line = line[3:]
    return path == line or path.endswith("/" + line)


def _password_key(name: str) -> str:
    """A file name or path as a passwords file line is matched: case ignored, '\\' read as '/'."""
    key = name.strip().replace("\\", "/").casefold().removeprefix("./")
    return re.sub(r"/(?:\./)+", "/", key)


def read_workbook(path: Path, *, password: str | None = None, limits: Limits | None = None) -> RawWorkbook:
    """Read one file into raw sheets; a file that cannot be read gets a finding, not an exception.

    An email holding several returns gives the first here, with a finding naming the others;
    `read_workbooks` gives them all.
    """
    books = read_workbooks(path, passwords={"*": password} if password else None, limits=limits)
    first = books[0]
    if len(books) > 1:
        others = ", ".join(book.path.rsplit(SEPARATOR, 1)[-1] for book in books[1:])
        first.findings.append(finding(
            "file-unreadable", first.path,
            f"The email holds {len(books)} returns; only the first was read here (not: {others}).",
            hint="Save each attachment as a file of its own, or read the email with sarkit validate.",
        ))
    return first


def read_workbooks(
    path: Path, *, passwords: dict[str, str] | None = None, limits: Limits | None = None
) -> list[RawWorkbook]:
    """Every return in one file: one for a workbook, CSV or Word file; one per attachment of an
    email (shown as `mail.eml › police.xlsx`). Never raises for a bad file."""
    path = Path(path)
    shown = shown_path(path)
    limits = limits or Limits()
    try:
        size = path.stat().st_size
        if size > limits.max_file_size:
            book = RawWorkbook(path=shown, format="unknown")
            _refuse(book, LimitExceeded(
                f"it is {size / 1024**2:,.0f} MB, over the limit of "
                f"{limits.max_file_size / 1024**2:,.0f} MB for one file", "max_file_size"))
            return [book]
        data = path.read_bytes()
    except OSError as exc:
        book = RawWorkbook(path=shown, format="unknown")
        book.findings.append(finding(
            "file-unreadable", shown, f"The file cannot be opened ({exc.strerror or 'read error'}).",
        ))
        return [book]
    return read_bytes(data, shown, passwords=passwords, limits=limits,
                      names=(path.name, shown, *_full_paths(path)))


def _full_paths(path: Path) -> tuple[str, ...]:
    """A file's full path as given and with links resolved, for a passwords file line naming it."""
    try:
        return (str(path.absolute()), str(path.resolve()))
    except (OSError, RuntimeError):
        return (str(path.absolute()),)


def read_bytes(
    data: bytes, shown: str, *, passwords: dict[str, str] | None = None,
    limits: Limits | None = None, names: tuple[str, ...] = (), depth: int = 0,
) -> list[RawWorkbook]:
    """`read_workbooks` for bytes already in memory (an attachment); `names` pick the password."""
    limits = limits or Limits()
    head = data[:4096]
    fmt = sniff_bytes(head) if not head.startswith((ZIP_MAGIC, b"\xd0\xcf")) else None
    if fmt is None and head.startswith(b"\xd0\xcf"):
        fmt = sniff_bytes(data)
    if fmt in {"eml", "msg"}:
        if depth >= MAX_DEPTH:
            book = RawWorkbook(path=shown, format=fmt)
            book.findings.append(finding(
                "file-refused", shown,
                f"The file was refused: it is an email inside {depth} other emails.",
            ))
            return [book]

        def read_inner(inner: bytes, where: str, name: str, level: int) -> list[RawWorkbook]:
            return read_bytes(inner, where, passwords=passwords, limits=limits,
                              names=(name, *names), depth=level)

        return read_email(data, shown, fmt, depth, read_inner)
    found = passwords_for(names[0], passwords, *names[1:]) if names else passwords_for("", passwords)
    return [read_one(data, shown, password=found[0] if found else None, limits=limits,
                     unlisted=not found and bool(passwords), others=tuple(found[1:]))]


def read_one(data: bytes, shown: str, *, password: str | None = None, limits: Limits | None = None,
             unlisted: bool = False, others: tuple[str, ...] = ()) -> RawWorkbook:
    """One workbook, CSV or Word file from its bytes; `unlisted`: passwords were given (a
    passwords file), none of them for this file; `others`: more passwords to try, in turn, when
    `password` does not open it (other lines naming a file of its name)."""
    limits = limits or Limits()
    tried = [p for p in dict.fromkeys((password, *others)) if p] or [None]  # "" is no password
    workbook = RawWorkbook(path=shown, format="unknown", sha256=hashlib.sha256(data).hexdigest())
    details: dict[str, str] = {}
    try:
        details = _read_trying(workbook, data, tried, limits)
    except LimitExceeded as exc:
        _refuse(workbook, exc)
    except BrokenPackage:
        _damaged(workbook, "it is damaged or incomplete")
    except crypto.PasswordNeeded:
        _encrypted(workbook, f"The {_noun(shown)} is protected by a password, and "
                   + (_UNLISTED if unlisted else "no password was given."))
    except crypto.WrongPassword:
        given = ("the password given did not open it" if len(tried) == 1 else
                 f"none of the {len(tried)} passwords given for it opened it")
        _encrypted(workbook, f"The {_noun(shown)} is protected by a password, and {given}.")
    except crypto.LabelEncrypted:
        workbook.sheets.clear()
        workbook.findings.append(finding(
            "file-label-encrypted", workbook.path,
            f"The {_noun(shown)} is encrypted by a sensitivity label (Microsoft Purview Information "
            "Protection), which sarkit cannot open; it has no password, so no password opens it."))
    except crypto.UnsupportedEncryption:
        _encrypted(workbook, f"The {_noun(shown)} is protected by a password with a kind of "
                             "encryption sarkit cannot open.",
                   hint="Ask the agency to save it again without a password and send it by secure "
                        "email.")
    except MemoryError:
        _refuse(workbook, LimitExceeded("reading it needs more memory than is allowed", "memory"))
    except RecursionError:
        _damaged(workbook, "nested too deeply")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - readers raise anything (even Rust panics)
        if workbook.format == "xlsb" or type(exc).__name__ == "PanicException":
            _reader_limit(workbook, exc)  # Excel wrote it: the reader, not the file, failed
        else:
            name = type(exc).__name__  # the reader's own name is no help to the user
            _damaged(workbook, "it may be damaged or incomplete"
                     + ("" if name.startswith("Calamine") else f" ({name})"))
    workbook.details = {**details_from(workbook.sheets), **details}
    return workbook


def _read_trying(workbook: RawWorkbook, data: bytes, passwords: list[str | None],
                 limits: Limits) -> dict[str, str]:
    """`_read_into` with each password in turn until one opens the file; the last one's error."""
    for password in passwords[:-1]:
        try:
            return _read_into(workbook, data, password, limits)
        except crypto.WrongPassword:
            continue
    return _read_into(workbook, data, passwords[-1], limits)


def _read_into(workbook: RawWorkbook, data: bytes, password: str | None, limits: Limits,
               decrypted: bool = False) -> dict[str, str]:
    if len(data) > limits.max_file_size:
        raise LimitExceeded(
            f"it is over the limit of {limits.max_file_size / 1024**2:,.0f} MB for one file",
            "max_file_size")
    package = None
    if data.startswith(ZIP_MAGIC):
        try:
            package = ZipPackage(data, limits)
        except LimitExceeded:
            raise
        except Exception:  # noqa: BLE001 - zipfile raises many kinds on a damaged archive
            workbook.format = "zip-broken"
            workbook.findings.append(
                finding("file-unreadable", workbook.path, _unreadable_message("zip-broken")))
            return {}
    fmt = sniff_bytes(data, package)
    workbook.format = fmt
    if fmt == "ole-encrypted" and not decrypted:
        plain = crypto.decrypt_office(data, password, limits)
        return _read_into(workbook, plain, None, limits, decrypted=True)
    if fmt == "ods" and package is not None and crypto.odf_is_encrypted(package):
        package.check_declared()
        plain = crypto.decrypt_odf(package, password, limits)
        return _read_into(workbook, plain, None, limits, decrypted=True)
    if fmt == "xls":
        if len(data) > limits.max_xls_size:
            raise LimitExceeded(
                f"it is an Excel 97-2003 file over the limit of "
                f"{limits.max_xls_size / 1024**2:,.0f} MB", "max_xls_size")
        if crypto.xls_is_encrypted(data):
            data = crypto.decrypt_xls(data, password)
        kinds = read_spreadsheet(io.BytesIO(data), workbook)
        features.report_ole_macros(workbook, ole_streams(data), kinds)
        features.report_xls_rows(workbook, data)
        return {}
    if fmt in ZIPPED and package is not None:
        scan = measure_package(package, fmt, limits)
        if fmt == "docx":
            from sarkit.intake.word import read_docx

            details = read_docx(word_copy(package, scan.main) or data, workbook)
        else:
            readable = readable_copy(package, scan) if fmt in {"xlsx", "xlsm"} else None
            read_spreadsheet(io.BytesIO(readable or data), workbook,
                             date1904=scan.date1904 if fmt != "ods" else None)
            details = {}
        features.report_package(workbook, package, scan)
        return details
    if fmt == "text":
        if mismatch := text_under_office_name(fmt, workbook.path):
            workbook.findings.append(finding("file-misnamed", workbook.path, mismatch))
        read_delimited(data, workbook, limits=limits)
        _report_encoding(workbook, data)
        return {}
    message = _unreadable_message(fmt)
    suffix = Path(workbook.path).suffix.lower()
    if fmt in {"html", "spreadsheetml"} and suffix in OFFICE_SUFFIXES:
        message = message.replace(", not ", f" named {suffix}, not ", 1)
    workbook.findings.append(finding("file-unreadable", workbook.path, message,
                                     hint=_UNREADABLE_FIX.get(fmt)))
    return {}


def _report_encoding(workbook: RawWorkbook, data: bytes) -> None:
    """A warning when a CSV was read in a guessed encoding other than Windows-1252, what
    Excel on a UK Windows PC writes (the documented default, not worth a word)."""
    codec, guessed = detect_encoding(data)
    if guessed and codec != "cp1252":
        name = NAMES.get(codec, codec)
        workbook.findings.append(finding(
            "encoding-guessed", workbook.path,
            f"The file is not saved as UTF-8; its letters were read as {name}, the most likely "
            "of the encodings tried.",
            hint="If names or accents look wrong in the chronology, ask the agency to save the "
                 "file again as 'CSV UTF-8 (Comma delimited)' and send it again.",
        ))


def _refuse(workbook: RawWorkbook, exc: LimitExceeded) -> None:
    workbook.sheets.clear()
    workbook.findings = [f for f in workbook.findings if f.code != "formula-cell"]
    hint = (
        "A genuine chronology is far smaller: ask the agency to copy the table into a new "
        "workbook and send that. If this file is genuine, the limit can be raised with "
        f"--limit {exc.limit}=NUMBER."
        if exc.limit not in {"xml_entities", "xml-entities", "memory"}
        else "Ask the agency to save the chronology again as a plain workbook in Excel or "
        "LibreOffice and send it again."
    )
    workbook.findings.append(finding(
        "file-refused", workbook.path, f"The file was refused: {exc.reason}.", hint=hint,
    ))


def _damaged(workbook: RawWorkbook, why: str) -> None:
    workbook.sheets.clear()
    workbook.findings.append(finding(
        "file-unreadable", workbook.path,
        f"The file looks like {_describe(workbook.format)} but cannot be read: {why}.",
    ))


def _reader_limit(workbook: RawWorkbook, exc: BaseException) -> None:
    """A file the spreadsheet reader stumbled on (a panic, or an .xlsb feature it lacks): most
    likely sound, and readable once saved in another format."""
    workbook.sheets.clear()
    workbook.findings.append(finding(
        "file-unreadable", workbook.path,
        f"The file looks like {_describe(workbook.format)}, but the spreadsheet reader sarkit uses "
        f"could not read it ({type(exc).__name__}): a limitation of the reader, not necessarily "
        "damage to the file.",
        hint="Open it in Excel or LibreOffice and save it as an .xlsx workbook, then read that.",
    ))


_UNLISTED = "the passwords file has no line for this file; the lines are matched by file name."


def _encrypted(workbook: RawWorkbook, message: str, hint: str = PASSWORD_HINT) -> None:
    workbook.sheets.clear()
    workbook.findings.append(finding("file-encrypted", workbook.path, message, hint=hint))


_WORD_SUFFIXES = (".docx", ".docm", ".doc", ".dotx", ".dotm", ".dot")
_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".xltx", ".xltm", ".xlt")


def _noun(shown: str) -> str:
    """What an encrypted Office file is called: its content is hidden, so its name says (the
    last name of an email's attachment)."""
    name = shown.lower()
    return ("document" if name.endswith(_WORD_SUFFIXES) else "workbook" if name.endswith(_EXCEL_SUFFIXES)
            else "file")


def _describe(fmt: str) -> str:
    return {
        "xlsx": "an Excel workbook", "xlsm": "an Excel workbook with macros",
        "xlsb": "an Excel binary workbook", "xls": "an Excel 97-2003 workbook",
        "ods": "a LibreOffice spreadsheet", "text": "a text (CSV) file",
        "docx": "a Word document", "ole-encrypted": "a password-protected Office file",
        "zip-broken": "a zipped Office file", "eml": "an email", "msg": "an Outlook email",
    }.get(fmt, "a spreadsheet")


def _unreadable_message(fmt: str) -> str:
    return {
        "empty": "The file is empty (0 bytes).",
        "zip-broken": "The file looks like a zipped Office file but it is damaged or incomplete.",
        "ole-broken": "The file looks like an old Office file but it is damaged or incomplete.",
        "zip": "The file is a zip archive, not a spreadsheet: the returns may be inside it.",
        "html": "The file is a web page (HTML), not a spreadsheet, as some case-management "
                "systems export.",
        "spreadsheetml": "The file is an Excel 2003 XML spreadsheet, not a workbook sarkit can "
                         "read.",
        "xml": "The file is an XML file, not a spreadsheet.",
        "pdf": "The file is a PDF document: its table cannot be read reliably as a chronology.",
        "rtf": "The file is a rich-text (RTF) document, not a spreadsheet.",
        "odt": "The file is a LibreOffice text document; sarkit reads Word (.docx) tables, not ODT.",
        "doc": "The file is a Word 97-2003 document; save it as .docx (Word) and send it again.",
        "ole": "The file is an Office document but not a spreadsheet.",
        "ole-encrypted": "The file is a password-protected Office file that holds no workbook.",
        "unknown": "The file is not a spreadsheet, CSV, Word document or email sarkit can read.",
    }.get(fmt, "The file cannot be read.")


_RESAVE = ("Open it in Excel and save it as an Excel Workbook (.xlsx), check that the chronology "
           "looks right, and read that file; or ask the agency to send the return as .xlsx.")
_UNREADABLE_FIX = {
    "zip": "Unzip it (right-click, Extract All) into the returns folder, and remove the zip file.",
    "html": _RESAVE,
    "spreadsheetml": _RESAVE,
    "xml": "Ask the agency for the chronology as the Appendix 8b workbook (.xlsx).",
    "pdf": "Ask the agency for the spreadsheet the PDF was made from, as the Appendix 8b "
           "workbook (.xlsx).",
    "rtf": "If the chronology is a table, open the file in Word and save it as a Word Document "
           "(.docx); or ask the agency for the chronology as the Appendix 8b workbook (.xlsx).",
    "doc": "Open the file in Word or LibreOffice Writer, save it as a Word Document (.docx) "
           "(File > Save As), and read that file; or ask the agency to send the return as .docx.",
    "odt": "Open the file in LibreOffice Writer or Word, save it as a Word Document (.docx) "
           "(File > Save As, Word 2007-365), and read that file; or ask the agency to send the "
           "return as .docx.",
}


def details_from(sheets: list[RawSheet]) -> dict[str, str]:
    """Label/value pairs ('Agency:' -> 'Northshire Police') from a Details sheet or Part 1 block.

    A label is a cell ending in ':' in the first 40 rows; its value is the next non-blank cell
    on the same row. The Details sheet wins over a block above the table.
    """
    ordered = sorted(
        (s for s in sheets if s.visible or s.name.strip().lower() == "details"),
        key=lambda s: s.name.strip().lower() != "details",
    )
    details: dict[str, str] = {}
    for sheet in ordered:
        for cells in sheet.rows[:40]:
            for index, value in enumerate(cells[:6]):
                if not isinstance(value, str) or not value.strip().endswith(":"):
                    continue
                label = value.strip()[:-1].strip().lower()
                following = next(
                    (v for v in cells[index + 1 : index + 4] if v not in (None, "")), None
                )
                if label and following is not None and label not in details:
                    details[label] = str(following).strip()
                break
    return details
