"""The terminal: consoles that cannot crash on a narrow encoding, and text from files made inert.

Every string that came from a file (file names, sheet names, headings, cell text) passes through
`inert` before rich prints it: rich markup such as ``[/]`` or ``[link=...]`` is escaped, and
control characters (ESC sequences that clear the screen or write the clipboard) and the surrogates
of a file name that is not valid UTF-8 become replacement characters.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

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
    """The one way sarkit makes a rich console: no guessing highlights, no emoji codes."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


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
