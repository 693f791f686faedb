"""Deciding a file's format from its bytes, never from its name."""

from __future__ import annotations

import re
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
EMAIL_HEADERS = (b"from:", b"received:", b"mime-version:", b"return-path:", b"date:",
                 b"subject:", b"to:", b"message-id:", b"delivered-to:", b"x-", b"from ")


# What a name promises: an Office file, never plain text
OFFICE_SUFFIXES = {".xlsx": "an Excel workbook", ".xlsm": "an Excel workbook",
                   ".xlsb": "an Excel workbook", ".xls": "an Excel workbook",
                   ".ods": "a LibreOffice spreadsheet", ".docx": "a Word document",
                   ".doc": "a Word document"}


def text_under_office_name(fmt: str, name: str) -> str | None:
    """When the bytes are plain text but the name ends like an Office file (a text file named
    .xlsx): the sentence saying so, for a finding; else None. The bytes decide the format (the
    file is read as the CSV it is); the finding says the name is wrong."""
    suffix = Path(name).suffix.lower()
    if fmt != "text" or suffix not in OFFICE_SUFFIXES:
        return None
    return (f"The file is named {suffix} but is not {OFFICE_SUFFIXES[suffix]}: it holds plain "
            "text, so its content does not match its name; it was read as a CSV file.")


def is_junk(path: Path) -> bool:
    """Lock files and system litter: `~$x.xlsx`, `.~lock.x#`, `._x`, `.DS_Store`, `Thumbs.db`."""
    name = Path(path).name
    return (
        name.startswith("~$")
        or name.startswith(".~lock.")
        or name.startswith("._")
        or name.lower() in JUNK_NAMES
    )


# Words in a file's name saying it is not a return: a README, the Terms of Reference, guidance,
# a covering letter or email, notes (whole words, case ignored, any extension)
_NOT_A_RETURN = re.compile(
    r"\b(?:read ?me|terms of reference|tor|guidance|instructions|cover(?:ing)? (?:letter|email|e mail|note)"
    r"|email|notes)\b")


def named_not_a_return(name: str) -> bool:
    """Whether a file's name says it is not a return (`README.txt`, `Terms of Reference.docx`,
    `SAR 12 ToR v2.pdf`, `Covering letter.docx`): its words, case, spaces, `_`, `-` and `.` ignored."""
    stem = Path(name).stem if "." in Path(name).name else Path(name).name
    words = re.sub(r"([a-z])(?=[A-Z][a-z])", r"\1 ", stem)  # ReadMe, TermsOfReference
    words = " ".join(re.split(r"[\W_]+", words.lower()))
    return bool(_NOT_A_RETURN.search(words))


def sniff_format(path: Path) -> str:
    """The format of a file on disk (see `sniff_bytes`)."""
    return sniff_bytes(Path(path).read_bytes())


def sniff_bytes(data: bytes, package=None) -> str:
    """One of xlsx, xlsm, xlsb, ods, docx, odt, xls, ole-encrypted, msg, doc, ole, eml, text,
    html, spreadsheetml, xml, rtf, pdf, empty, zip, zip-broken, ole-broken, unknown.

    `package` is the `ZipPackage` already opened over `data` (under the limits), if any.
    """
    head = data[:4096]
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGIC):
        if package is None:
            from sarkit.intake.limits import Limits, ZipPackage

            try:
                package = ZipPackage(data, Limits())
            except Exception:  # noqa: BLE001 - zipfile raises many kinds on damaged archives
                return "zip-broken"
        return zip_format(package)
    if head.startswith(EMPTY_ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return ole_format(data)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-"):
        return "pdf"
    if _looks_like_email(head):
        return "eml"
    return text_kind(head) if _looks_like_text(head) else "unknown"


def text_kind(head: bytes) -> str:
    """What a text file is: text (read as CSV), or a web page (html), an Excel 2003 XML
    spreadsheet (spreadsheetml), other XML (xml) or a rich-text document (rtf), which are not."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:2048]:
        head = head.replace(b"\x00", b"")  # UTF-16: its ASCII letters, enough to tell
    sample = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if sample.startswith(b"{\\rtf"):
        return "rtf"
    if not sample.startswith(b"<"):
        return "text"
    if sample.startswith(b"<?xml") and (b"urn:schemas-microsoft-com:office:spreadsheet" in sample
                                        or b'progid="excel.sheet"' in sample):
        return "spreadsheetml"
    if sample.startswith((b"<!doctype html", b"<html")) or any(
            tag in sample for tag in (b"<html", b"<table", b"<body", b"<head>")):
        return "html"
    return "xml" if sample.startswith(b"<?xml") else "text"


def zip_format(package) -> str:
    """The kind of zipped Office package: its main part's content type decides (a template or
    a macro-enabled document is read as the workbook or document it is), then its name."""
    from sarkit.intake.package import MAIN_TYPES, content_type, has_vba, main_part

    try:
        main = main_part(package)
        mimetype = package.read_small("mimetype") if package.has("mimetype") else b""
        kind = content_type(package, main) if main is not None else ""
    except Exception:  # noqa: BLE001 - includes LimitExceeded on a huge part: measured later
        main, mimetype, kind = None, b"", ""
    names = package.lower
    if kind in MAIN_TYPES:
        fmt = MAIN_TYPES[kind][0]
        return "xlsm" if fmt == "xlsx" and has_vba(package) else fmt
    if main is not None:
        lowered = main.lower()
        if lowered.endswith("workbook.xml"):
            return "xlsm" if any(n.endswith("vbaproject.bin") for n in names) else "xlsx"
        if lowered.endswith("workbook.bin"):
            return "xlsb"
        if lowered.endswith("document.xml") or lowered.endswith("document2.xml"):
            return "docx"
    mimetype = (mimetype or b"")[:100]
    if b"opendocument.spreadsheet" in mimetype or ("content.xml" in names and not mimetype):
        return "ods"
    if b"opendocument.text" in mimetype:
        return "odt"
    return "zip"


def ole_format(data: bytes) -> str:
    """The kind of OLE compound file: an old Office file, an encrypted new one, an Outlook email."""
    streams = ole_streams(data)
    if streams is None:
        return "ole-broken"
    from sarkit.intake.crypto import label_encrypted

    if label_encrypted(streams):  # an .xls or .doc too: its content is in the encrypted stream
        return "ole-encrypted"
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        return "ole-encrypted"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if any(s.startswith("__substg1.0_") for s in streams):
        return "msg"
    if "worddocument" in streams:
        return "doc"
    return "ole"


def ole_streams(data: bytes) -> set[str] | None:
    """The lower-cased paths of every stream and storage of an OLE file; None when damaged."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            return {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 - olefile raises many kinds on broken files
        return None


def _looks_like_text(head: bytes) -> bool:
    """Text (any 8-bit encoding, or UTF-16 with or without BOM), not a picture or a program."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:2048]
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return max(even, odd) > 0.4 * len(sample) / 2 and min(even, odd) == 0  # UTF-16 text
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls <= len(sample) // 20


def _looks_like_email(head: bytes) -> bool:
    lowered = head.lower()
    first = head.lstrip().split(b"\n", 1)[0].lower()
    return first.startswith(EMAIL_HEADERS) and b"\n" in head and (
        b"\nfrom:" in lowered or first.startswith(b"from:")
    ) and (b"\nsubject:" in lowered or b"content-type:" in lowered)

