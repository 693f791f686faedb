"""The one way sarkit writes a file it makes: through a temporary file in the same folder, then
renamed over the target (see output/atomic.py), so a half-written output never exists."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sarkit.output.atomic import atomic_output


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write` on a temporary path, then rename it over `path`."""
    with atomic_output(path) as temporary:
        write(temporary)


def write_text_atomically(path: Path, text: str) -> None:
    """Write UTF-8 text through a temporary file in the same folder, then rename."""
    with atomic_output(path) as temporary:
        temporary.write_text(text, "utf-8")
