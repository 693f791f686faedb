"""Regular expressions compiled on first use, not at import.

sarkit's modules define a few hundred expressions; compiling them all at import cost about 0.1 s
of every command, most of it for expressions the command never uses (reading returns, when gaps
reads a combined workbook). `lazy_compile` returns a stand-in that compiles on the first use of
any attribute and then keeps the compiled pattern's methods on itself, so later calls
(`X.search(text)`) cost what they cost on a compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any

# what sarkit uses of a compiled pattern, copied onto the stand-in at the first use
_KEPT = ("match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer",
         "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """A compiled pattern, compiled on first use."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for attributes not yet on the instance
        if name.startswith("_"):  # dunders asked by copy, pickle, inspect; and _source itself
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for kept in _KEPT:
            setattr(self, kept, getattr(compiled, kept))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_compile({self._source[0]!r}, {self._source[1]!r})"


def lazy_compile(pattern: str, flags: int = 0) -> Any:
    """`re.compile(pattern, flags)`, done at the first use (typed Any: it acts as re.Pattern)."""
    return LazyPattern(pattern, flags)
