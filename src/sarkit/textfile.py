"""Text files the user writes (review.toml, corrections.toml, the passwords file, templates), read as
Notepad saves them: UTF-8, with or without its mark, or "Unicode" (UTF-16 with its mark).

Bytes in another encoding (Notepad's "ANSI") are not guessed at: the user is told how to save the file
as UTF-8, so a "£" or "é" is never read as something else.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from pathlib import Path

from sarkit.errors import SarkitError

SAVE_AS_UTF8 = "Open it in Notepad, choose File > Save As, set Encoding to UTF-8 and save it again."
# The first bytes of a workbook, a Word document or a PDF: not text whatever their encoding.
_NOT_TEXT = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")
BACKSLASH_FIX = ("Write a Windows path in single quotes, as in file = 'returns\\police.xlsx', or double "
                 "each backslash (returns\\\\police.xlsx), or use forward slashes (returns/police.xlsx).")
_CHECK_LINE = "Check the quotes around text and the form YYYY-MM-DD for dates on that line."
# A backslash between double quotes, as in a Windows path: TOML reads it as the start of an escape.
_BACKSLASH_IN_QUOTES = re.compile(r'"[^"]*\\[^"]*"')


def read_user_text(path: Path, what: str, *, use: str = "", hint: str = "") -> str:
    """The text of `path`. `what` names the file in messages ("The review file"); `use` and `hint`
    finish the message for a file that is not text ("review.toml", "Give the review.toml ...").
    An unreadable file raises OSError, for the caller to word; an encoding or a file that is not
    text raises a SarkitError (exit code 2) naming the file and what to do."""
    data = Path(path).read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass  # a mark and then not UTF-16: not text
    elif not data.startswith(_NOT_TEXT) and b"\0" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise SarkitError(
                f"{what} {path} is not saved as UTF-8: line {line} has a character in another "
                "encoding (Notepad's ANSI), so it cannot be read safely.",
                hint=SAVE_AS_UTF8, exit_code=2) from None
    readable = f", so it cannot be read as {use}" if use else ", so it cannot be read"
    raise SarkitError(f"{what} {path} is not a text file (it may be a workbook or a document){readable}.",
                      hint=hint, exit_code=2)


def toml_mistake(text: str, exc: tomllib.TOMLDecodeError) -> tuple[str, str, str]:
    """Where a TOML mistake is ("line 2"), what is wrong there in words, and the fix. A backslash in
    double quotes (a Windows path) is said plainly, with the three ways to write it."""
    found = re.search(r"line (\d+)", str(exc))
    if not found:
        return "a line", "", _CHECK_LINE
    number = int(found.group(1))
    lines = text.splitlines()
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    if _BACKSLASH_IN_QUOTES.search(line):
        return (f"line {number}", " It has a backslash (\\) inside double quotes, which TOML reads as "
                "the start of a special character.",
                BACKSLASH_FIX)
    return f"line {number}", "", _CHECK_LINE
