"""Returns still inside the saved email: .eml (standard library) and Outlook .msg (`outlook.py`).

Each spreadsheet, CSV or Word attachment is read as a return of its own, shown as
`mail.eml › police.xlsx`; the email's sender, date and subject are kept as provenance.
Pictures, signatures, calendar invitations and contact cards are ignored; a PDF or an old
Word document is reported, so a return in a format sarkit cannot read is never silently lost.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from sarkit.raw_tables import RawWorkbook

MAX_ATTACHMENTS = 200
MAX_DEPTH = 3  # an email attached to an email attached to an email
MSG_TYPE = "application/vnd.ms-outlook"
DAMAGED_HINT = "Ask the agency to send the email again, or the return as a file of its own."
SEPARATOR = " › "
RETURN_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".tsv", ".docx", ".eml", ".msg")
TEXT_SUFFIXES = (".csv", ".tsv")
TEXT_TYPES = {"text/csv", "text/tab-separated-values", "application/csv", "application/vnd.ms-excel"}
IGNORED_TYPES = ("image/", "video/", "audio/", "font/")
IGNORED_EXACT = {
    "application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature",
    "text/calendar", "text/vcard", "text/x-vcard", "application/ms-tnef", "text/html",
    "application/vnd.ms-tnef",
}
IGNORED_SUFFIXES = (".p7s", ".p7m", ".asc", ".sig", ".ics", ".vcf", ".htm", ".html", ".dat",
                    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emz", ".wmz", ".tif", ".tiff", ".svg")
UNREADABLE_SUFFIXES = {
    ".pdf": "a PDF", ".doc": "a Word 97-2003 document", ".docm": "a Word document with macros",
    ".rtf": "a rich-text document", ".odt": "a LibreOffice text document",
    ".pages": "a Pages document", ".numbers": "a Numbers spreadsheet", ".zip": "a zip archive",
    ".7z": "a 7-Zip archive", ".rar": "a RAR archive", ".xps": "an XPS document",
}


@dataclass(slots=True)
class Attachment:
    name: str
    content_type: str
    data: bytes
    message: Email | None = None  # an email attached to the email, already read (.msg)
    problem: str = ""  # why the attachment cannot be read, as "it is a link to a file"


@dataclass(slots=True)
class Email:
    sender: str
    date: str
    subject: str
    attachments: list[Attachment]


# read(data, shown, name, depth) -> workbooks: the caller's reader, so nested emails recurse.
Reader = Callable[[bytes, str, str, int], list[RawWorkbook]]


def read_email(data: bytes, shown: str, fmt: str, depth: int, read: Reader) -> list[RawWorkbook]:
    """One workbook per return attached to the email (reported when there is none)."""
    from sarkit.findings import finding
    from sarkit.intake.outlook import DamagedMessage, parse_msg

    try:
        mail = parse_msg(data) if fmt == "msg" else parse_eml(data)
    except DamagedMessage as exc:
        book = RawWorkbook(path=shown, format=fmt)
        book.findings.append(finding(
            "file-unreadable", shown, f"The file looks like an Outlook email but cannot be read: {exc}.",
            hint=DAMAGED_HINT,
        ))
        return [book]
    except Exception as exc:  # noqa: BLE001 - email libraries raise many kinds on damaged files
        book = RawWorkbook(path=shown, format=fmt)
        book.findings.append(finding(
            "file-unreadable", shown,
            f"The file looks like an email but cannot be read: it may be damaged ({type(exc).__name__}).",
        ))
        return [book]
    return _read_mail(mail, shown, fmt, depth, read, _sha(data))


def _read_mail(mail: Email, shown: str, fmt: str, depth: int, read: Reader, sha256: str = ""
               ) -> list[RawWorkbook]:
    """`read_email` for an email already read; an attached email already read is read in turn."""
    from sarkit.findings import finding

    provenance = {"email_from": mail.sender, "email_date": mail.date, "email_subject": mail.subject}
    books: list[RawWorkbook] = []
    used: dict[str, int] = {}
    for attachment in mail.attachments[:MAX_ATTACHMENTS]:
        name = _unique(attachment.name, used)
        where = f"{shown}{SEPARATOR}{name}"
        lowered = name.lower()
        if attachment.message is not None:
            found = _attached_email(attachment.message, where, depth + 1, read)
        elif attachment.problem:  # before _ignored: a return named like a picture is still reported
            book = RawWorkbook(path=where, format=_suffix(lowered).lstrip(".") or "unknown")
            book.findings.append(finding(
                "file-unreadable", where, f"The attachment {name} cannot be read: {attachment.problem}.",
                hint=DAMAGED_HINT,
            ))
            found = [book]
        elif _ignored(attachment, lowered):
            continue
        elif _is_return(attachment, lowered):
            found = read(attachment.data, where, name, depth + 1)
        elif (kind := UNREADABLE_SUFFIXES.get(_suffix(lowered))) is not None:
            book = RawWorkbook(path=where, format=_suffix(lowered).lstrip("."), sha256=_sha(attachment.data))
            book.findings.append(finding(
                "file-unreadable", where,
                f"The attachment {name} is {kind}; sarkit reads spreadsheets (xlsx, xls, ods), "
                "CSV files and Word (.docx) documents.",
                hint="Ask the agency to send the chronology as the Appendix 8b workbook.",
            ))
            found = [book]
        else:
            continue
        for book in found:
            book.provenance = {**provenance, **book.provenance}
            book.provenance.setdefault("attachment", name)
        books.extend(found)
    if len(mail.attachments) > MAX_ATTACHMENTS:
        book = RawWorkbook(path=shown, format=fmt, provenance=dict(provenance))
        book.findings.append(finding(
            "file-refused", shown,
            f"The file was refused in part: the email has {len(mail.attachments):,} attachments "
            f"and only the first {MAX_ATTACHMENTS} were read.",
        ))
        books.append(book)
    if not books:
        book = RawWorkbook(path=shown, format=fmt, sha256=sha256, provenance=dict(provenance))
        book.findings.append(finding(
            "file-unreadable", shown,
            "The email has no spreadsheet, CSV or Word attachment, so there is no return to read.",
            hint="Save the attachment from the email and check it is the chronology.",
        ))
        books.append(book)
    return books


def _attached_email(mail: Email, shown: str, depth: int, read: Reader) -> list[RawWorkbook]:
    """An Outlook email attached to an Outlook email, refused like any email nested too deeply."""
    from sarkit.findings import finding

    if depth >= MAX_DEPTH:
        book = RawWorkbook(path=shown, format="msg")
        book.findings.append(finding(
            "file-refused", shown, f"The file was refused: it is an email inside {depth} other emails.",
        ))
        return [book]
    return _read_mail(mail, shown, "msg", depth, read)


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def _is_return(attachment: Attachment, lowered: str) -> bool:
    """Whether an attachment may be a return: an Office file, an email, a CSV, or named like one."""
    from sarkit.intake.sniff import OLE_MAGIC, ZIP_MAGIC, sniff_bytes

    data = attachment.data
    if lowered.endswith(RETURN_SUFFIXES) or data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return True
    fmt = sniff_bytes(data[:4096])
    if fmt == "eml" or attachment.content_type == "message/rfc822":
        return True
    return fmt == "text" and (lowered.endswith(TEXT_SUFFIXES) or attachment.content_type in TEXT_TYPES)


def _ignored(attachment: Attachment, lowered: str) -> bool:
    content_type = attachment.content_type
    return (content_type.startswith(IGNORED_TYPES) or content_type in IGNORED_EXACT
            or lowered.endswith(IGNORED_SUFFIXES) or lowered in {"winmail.dat", "smime.p7s"})


def _unique(name: str, used: dict[str, int]) -> str:
    key = name.lower()
    used[key] = used.get(key, 0) + 1
    if used[key] == 1:
        return name
    stem, dot, suffix = name.rpartition(".")
    return f"{stem} ({used[key]}).{suffix}" if dot and stem else f"{name} ({used[key]})"


def safe_name(name: str | None, index: int, content_type: str = "") -> str:
    """An attachment's file name without folders or control characters."""
    cleaned = re.sub(r"[\x00-\x1f\x7f]", "", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if cleaned in {"", ".", ".."}:
        guess = {"text/csv": ".csv", "application/vnd.ms-excel": ".xls",
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
                 "message/rfc822": ".eml"}.get(content_type, "")
        cleaned = f"attachment {index}{guess}"
    return cleaned[:200]


def _show_date(value: dt.datetime | None, fallback: str = "") -> str:
    if value is None:
        return fallback
    return value.strftime("%d/%m/%Y %H:%M")


# ---- .eml --------------------------------------------------------------------------------------

def parse_eml(data: bytes) -> Email:
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.default)
    sender = header_value(message, "from")
    subject = header_value(message, "subject")
    date = header_date(header_value(message, "date"))
    return Email(sender, date, subject, list(_eml_attachments(message)))


def header_date(raw: str) -> str:
    """A Date: header as dd/mm/yyyy hh:mm (the text as it is when it is not a date)."""
    import email.utils

    if not raw:
        return ""
    try:
        return _show_date(email.utils.parsedate_to_datetime(raw), raw)
    except (TypeError, ValueError, IndexError):
        return raw


def header_value(message, name: str) -> str:
    """A header on one line; '' when it is missing or malformed."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header is left out, never fatal
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _eml_attachments(message) -> list[Attachment]:
    """Attachments in order; an attached email is one attachment (read as an email in turn)."""
    found: list[Attachment] = []
    _collect(message, found, top=True)
    return found


def _collect(part, found: list[Attachment], *, top: bool = False) -> None:
    content_type = part.get_content_type().lower()
    if content_type == "message/rfc822" and not top:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else payload
        try:
            data = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
        except Exception:  # noqa: BLE001 - a damaged inner email is read as empty
            data = b""
        found.append(Attachment(safe_name(_filename(part), len(found) + 1, content_type),
                                content_type, data))
        return
    if part.is_multipart():
        for child in part.get_payload() or []:
            _collect(child, found)
        return
    filename = _filename(part)
    disposition = (part.get_content_disposition() or "").lower()
    if filename is None and disposition != "attachment" and (
            content_type.startswith("text/") or not content_type.startswith("application/")):
        return  # the body of the email, or an inline picture
    try:
        data = part.get_payload(decode=True) or b""
    except Exception:  # noqa: BLE001
        data = b""
    found.append(Attachment(safe_name(filename, len(found) + 1, content_type), content_type, data))


def _filename(part) -> str | None:
    try:
        return part.get_filename()
    except Exception:  # noqa: BLE001 - a malformed header: the attachment gets a made-up name
        return None
