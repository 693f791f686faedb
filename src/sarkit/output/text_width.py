"""How wide a short text prints in Arial, estimated from the font's character widths, so that a
table column can be given room for a date, a time or a heading's longest word (never broken
mid-value). Characters not listed count as the widest of their kind: a column errs wide."""

from __future__ import annotations

# Arial advance widths in thousandths of an em: (regular, bold)
_WIDTHS: dict[str, tuple[int, int]] = {
    **dict.fromkeys("0123456789", (556, 556)), "/": (278, 278), ":": (278, 333), "?": (556, 611),
    " ": (278, 278), ".": (278, 278), ",": (278, 278), "-": (333, 333), "(": (333, 333),
    ")": (333, 333), "'": (191, 238), "&": (667, 722), "i": (222, 278), "j": (222, 278),
    "l": (222, 278), "f": (278, 333), "t": (278, 333), "r": (333, 389), "m": (833, 889),
    "w": (722, 778), "I": (278, 278), "J": (500, 556), "M": (833, 833), "W": (944, 944),
}
_UPPER = (722, 722)
_LOWER = (556, 611)
_OTHER = (1000, 1000)


def text_points(text: str, size: float, *, bold: bool = False) -> float:
    """The printed width of `text` (one line) in points, in Arial of `size` points."""
    pick = 1 if bold else 0
    total = 0
    for ch in text:
        widths = _WIDTHS.get(ch)
        if widths is None:
            widths = _UPPER if ch.isupper() else _LOWER if ch.islower() else _OTHER
        total += widths[pick]
    return total * size / 1000
