"""sarkit's mark on what it writes, and how a file found among the returns is known to carry it.

Writers put the mark where each format keeps such things: the combined workbook's About sheet
(`Made by` = `sarkit …`, beside Chronology, Agencies and Findings sheets), `<meta name="generator"
content="sarkit …">` in HTML, a first line `# Made by sarkit …` in CSV, `<!-- Made by sarkit … -->`
in Markdown, a `"generator"` key in JSON and the comments property of a Word document. Readers
skip a marked file with a `sarkit-output` finding, so sarkit never reads its own output back as
a return. Detection reads at most a few kilobytes (or one small member of a zip) of any file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from sarkit import __version__

MADE_BY = f"Made by sarkit {__version__}"
GENERATOR = f"sarkit {__version__}"

_HEAD_BYTES = 4096
_MEMBER_LIMIT = 1_000_000
_TAIL_BYTES = 65_557  # the end-of-central-directory record and the longest zip comment
_MAX_ENTRIES = 10_000  # more members than any Office file sarkit writes: not opened here
_MAX_DIRECTORY = 5_000_000
_TEXT_MARKS = (
    re.compile(rb"^(?:\xef\xbb\xbf)?\s*#\s*Made by sarkit\b"),  # CSV
    re.compile(rb"^(?:\xef\xbb\xbf)?\s*<!--\s*Made by sarkit\b"),  # Markdown
    re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{\s*"generator"\s*:\s*"sarkit\b'),  # JSON
    re.compile(rb'<meta\s+name="generator"\s+content="sarkit\b', re.IGNORECASE),  # HTML
)
_SHEET_NAME = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"')
_COMBINED_SHEETS = {b"Chronology", b"Agencies", b"Findings", b"About"}


def csv_comment() -> str:
    """The first line of a CSV sarkit writes."""
    return f"# {MADE_BY}"


def markdown_comment() -> str:
    """The first line of a Markdown document sarkit writes."""
    return f"<!-- {MADE_BY} -->"


def is_sarkit_output(path: Path) -> bool:
    """True when the file carries sarkit's mark; any file that cannot be read is not marked."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    if head.startswith(b"PK\x03\x04"):
        return _small_zip(Path(path)) and _zip_marked(Path(path))
    return any(mark.search(head) for mark in _TEXT_MARKS)


def _small_zip(path: Path) -> bool:
    """Whether the zip's central directory is small enough to read in this process (a crafted
    return with millions of members is left to the isolated readers)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - _TAIL_BYTES))
            tail = handle.read()
    except OSError:
        return False
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) < end + 22:
        return False
    entries = int.from_bytes(tail[end + 10:end + 12], "little")
    directory = int.from_bytes(tail[end + 12:end + 16], "little")
    return entries < min(_MAX_ENTRIES, 0xFFFF) and directory <= _MAX_DIRECTORY


def _zip_marked(path: Path) -> bool:
    """A workbook with the combined workbook's sheets, or an Office file whose core properties
    say sarkit made it."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                info = archive.getinfo("xl/workbook.xml")
                if info.file_size <= _MEMBER_LIMIT:
                    sheets = set(_SHEET_NAME.findall(archive.read(info)))
                    if _COMBINED_SHEETS <= sheets:
                        return True
            if "docProps/core.xml" in names:
                info = archive.getinfo("docProps/core.xml")
                if info.file_size <= _MEMBER_LIMIT:
                    return b"Made by sarkit" in archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, EOFError):
        return False
    return False
