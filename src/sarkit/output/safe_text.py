"""The one way text goes into an output: pseudonyms applied, illegal XML characters replaced."""

from __future__ import annotations

from collections.abc import Mapping

from sarkit.chronology import ILLEGAL_CHARACTERS as ILLEGAL_XML
from sarkit.pseudonyms import pseudonymiser

# what spreadsheet programs may run as a formula when a CSV is opened (OWASP's list)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32_767


class TextCleaner:
    """Applies `[pseudonyms]` (whole words, case ignored) and replaces characters XML forbids."""

    def __init__(self, pseudonyms: Mapping[str, str] | None = None) -> None:
        self._pseudonymise = pseudonymiser(pseudonyms)  # the account's file names use it too

    def __call__(self, text: str) -> str:
        if not text:
            return text
        if self._pseudonymise is not None:
            text = self._pseudonymise(text)
        # a printable text has none of the characters XML forbids (a quicker look than the search)
        if not text.isprintable() and ILLEGAL_XML.search(text):
            text = ILLEGAL_XML.sub("\ufffd", text)
        return text


def csv_safe(text: str) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula: prefix `'`."""
    return "'" + text if text.startswith(FORMULA_START) else text
