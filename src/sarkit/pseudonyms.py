"""review.toml's `[pseudonyms]` applied to a text: whole words, case ignored, longest name first.

Pure: used by the outputs' text cleaner and by the closing account (file names), so a name is
replaced the same way wherever it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping


def pseudonymiser(pseudonyms: Mapping[str, str] | None) -> Callable[[str], str] | None:
    """A function that puts each pseudonym in place of its real name, or None when there are none."""
    table = {k.casefold(): v for k, v in (pseudonyms or {}).items() if k.strip()}
    if not table:
        return None
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(a) for a in sorted(table, key=len, reverse=True)) + r")(?!\w)",
        re.IGNORECASE,
    )

    def replace(text: str) -> str:
        return pattern.sub(lambda m: table[m.group(0).casefold()], text) if text else text

    return replace
