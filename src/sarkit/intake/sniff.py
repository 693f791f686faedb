"""Deciding a file's format from its first bytes, never from its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
EMAIL_HEADERS = (b"from:", b"received:", b"mime-version:", b"return-path:", b"date:",
                 b"subject:", b"to:", b"message-id:", b"delivered-to:", b"x-")


def is_junk(path: Path) -> bool:
    """Lock files and system litter: `~$x.xlsx`, `.~lock.x#`, `._x`, `.DS_Store`, `Thumbs.db`."""
    name = path.name
    return (
        name.startswith("~$")
        or name.startswith(".~lock.")
        or name.startswith("._")
        or name.lower() in JUNK_NAMES
    )


def sniff_format(path: Path) -> str:
    """One of xlsx, xlsm, xlsb, ods, docx, xls, ole-encrypted, msg, ole, eml, text, empty, zip, unknown."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path)
    if _looks_like_email(head):
        return "eml"
    if b"\x00" in head.replace(b"\x00\x00", b"")[:1024] and not head.startswith(
        (b"\xff\xfe", b"\xfe\xff")
    ):
        return "unknown"
    return "text"


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError):
        return "zip-broken"
    if "xl/workbook.xml" in names:
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if b"opendocument.spreadsheet" in mimetype or "content.xml" in names and not mimetype:
        return "ods"
    if "word/document.xml" in names:
        return "docx"
    return "zip"


def _sniff_ole(path: Path) -> str:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # noqa: BLE001 - olefile raises many kinds on broken files
        return "ole-broken"
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        return "ole-encrypted"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if any(s.startswith("__substg1.0_") for s in streams):
        return "msg"
    return "ole"


def _looks_like_email(head: bytes) -> bool:
    first = head.lstrip().split(b"\n", 1)[0].lower()
    return first.startswith(EMAIL_HEADERS) and b":" in first and b"\n" in head and (
        b"\nfrom:" in head.lower() or first.startswith(b"from:")
    ) and (b"\nsubject:" in head.lower() or b"content-type:" in head.lower())
