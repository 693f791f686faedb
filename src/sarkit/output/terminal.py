"""The terminal: consoles that cannot crash on a narrow encoding, and text from files made inert.

Every string that came from a file (file names, sheet names, headings, cell text) passes through
`inert` before rich prints it: rich markup such as ``[/]`` or ``[link=...]`` is escaped, and
control characters (ESC sequences that clear the screen or write the clipboard) and the surrogates
of a file name that is not valid UTF-8 become replacement characters.
"""

from __future__ import annotations

import codecs
import re
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich is imported when something is printed, not at start-up
    from rich.console import Console

# C0 and C1 controls but tab and newline, DEL, and lone surrogates (undecodable file names)
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: object) -> str:
    """Text with control characters and undecodable bytes replaced by U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", str(text))


def inert(text: object) -> str:
    """Text from a file, safe to hand to rich: printable and with its markup escaped."""
    from rich.markup import escape

    return escape(printable(text))


def survive_narrow_encodings() -> None:
    """Make stdout and stderr replace what their encoding cannot show instead of raising.

    A redirected Windows console writes cp1252 or cp850; a file name with 'Ł' or sarkit's own
    dashes must come out as '?', not as a UnicodeEncodeError.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to protect
                pass


def make_console(*, stderr: bool = False) -> Console:
    """The one way sarkit makes a rich console: no guessing highlights, no emoji codes. On a
    console whose encoding cannot show every character (cp1252, cp850: a redirected Windows
    console), what it writes goes through `NarrowStream`, so tables stay in line."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    encoding = narrow_encoding(stream)
    if encoding is None:
        return Console(stderr=stderr, highlight=False, emoji=False)
    return Console(file=NarrowStream(stream, encoding), highlight=False, emoji=False)  # type: ignore[arg-type]


_WIDE_ENCODINGS = frozenset({"utf-8", "utf-16", "utf-32", "utf-8-sig", "utf-16-le", "utf-16-be",
                             "utf-32-le", "utf-32-be"})


def narrow_encoding(stream: object) -> str | None:
    """The codec name of a stream that cannot write every character (cp1252, cp850, ascii), or
    None for a UTF stream (or one that names no encoding it can be checked against)."""
    try:
        name = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
    except LookupError:
        return None
    return None if name in _WIDE_ENCODINGS else name


def _as_columns(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each run of characters the encoding lacks becomes as many '?' as
    the columns rich laid it out in (2 for an emoji, 0 for a joiner), so nothing shifts."""
    from rich.cells import cell_len

    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "?" * cell_len(error.object[error.start:error.end]), error.end


codecs.register_error("sarkit-columns", _as_columns)


def fit_to_encoding(text: str, encoding: str) -> str:
    """`text` with what `encoding` cannot write replaced by '?', one for each column it takes."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode(encoding, "sarkit-columns").decode(encoding)
    return text


class NarrowStream:
    """A text stream for rich on a narrow console: rich lays a line out by the columns each
    character takes, and the encoder would then write one '?' for an emoji of 2 columns, putting
    the rest of the row, and the table's border, out of line. Everything else is the stream's."""

    def __init__(self, stream: TextIO, encoding: str) -> None:
        self._stream = stream
        self._encoding = encoding

    def write(self, text: str) -> int:
        return self._stream.write(fit_to_encoding(text, self._encoding))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def cannot_show(text: str, stream: object) -> bool:
    """True when `stream` has a narrow encoding that lacks a character of `text`."""
    encoding = narrow_encoding(stream)
    if encoding is None:
        return False
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return True
    return False


def echo_json(data: object, *, indent: int) -> None:
    """JSON on stdout: as it is on a UTF-8 stream, with \\u escapes on any other, so a path with 'ł'
    or an emoji stays exact on a cp1252 console instead of becoming '?'. (JSON written to a file
    is UTF-8 and not escaped.)"""
    import codecs
    import json

    import typer

    try:
        utf8 = codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        utf8 = False
    typer.echo(json.dumps(data, ensure_ascii=not utf8, indent=indent))


class WatchedStream:
    """A text stream that notes whether anything written to it had a character its encoding
    lacks (written as '?'), so the command can say so once."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.replaced = False

    def write(self, text: str) -> int:
        if not self.replaced and cannot_show(text, self._stream):
            self.replaced = True
        return self._stream.write(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def replaced_note(stream: object) -> str:
    """The one sentence when CSV went to a console that could not show every character."""
    return (f"Some characters (in agency names, file names or text) cannot be shown in this "
            f"console's encoding ({narrow_encoding(stream)}) and were written as '?'. For every "
            "character, use --format json, or set the environment variable PYTHONUTF8=1 "
            "before running sarkit.")
