"""The one way text goes into an output: pseudonyms applied, illegal XML characters replaced."""

from __future__ import annotations

import re
from collections.abc import Mapping

from sarkit.chronology import ILLEGAL_CHARACTERS as ILLEGAL_XML

# what spreadsheet programs may run as a formula when a CSV is opened (OWASP's list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767


class TextCleaner:
    """Applies `[pseudonyms]` (whole words, case ignored) and replaces characters XML forbids."""

    def __init__(self, pseudonyms: Mapping[str, str] | None = None) -> None:
        self.pseudonyms = {k.casefold(): v for k, v in (pseudonyms or {}).items() if k.strip()}
        if self.pseudonyms:
            alternatives = sorted(self.pseudonyms, key=len, reverse=True)
            self._pattern: re.Pattern[str] | None = re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)",
                re.IGNORECASE,
            )
        else:
            self._pattern = None

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: self.pseudonyms[m.group(0).casefold()], text)
        # a printable text has none of the characters XML forbids (a quicker look than the search)
        if not text.isprintable() and ILLEGAL_XML.search(text):
            text = ILLEGAL_XML.sub("\ufffd", text)
        return text


def csv_safe(text: str) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula: prefix `'`."""
    return "'" + text if text.startswith(FORMULA_START) else text
