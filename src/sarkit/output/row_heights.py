"""Row heights that show every wrapped line: Excel and LibreOffice do not grow the rows of a
written file by themselves, so a row's lines are estimated from its texts and column widths."""

from __future__ import annotations

from collections.abc import Callable, Sequence

MAX_HEIGHT = 409.0  # Excel's largest row height, in points
CHARACTERS_PER_WIDTH = 1.15  # 9-point text: characters per unit of column width (a '0' at 11 points)


def row_height(texts: Sequence[object], widths: Sequence[float], *, line_points: float = 12.0,
               size: float = 9) -> float:
    """Points for a row whose cells hold `texts` (non-text values count as one line) in columns of
    `widths`; `line_points` is the height of one line of text of `size` points."""
    return row_heights(widths, line_points=line_points, size=size)(texts)


def row_heights(widths: Sequence[float], *, line_points: float = 12.0,
                size: float = 9) -> Callable[[Sequence[object]], float]:
    """`row_height` for rows of these columns, the characters a line holds worked out once."""
    per_width = CHARACTERS_PER_WIDTH * 9 / size
    per_lines = [max(1, int(width * per_width)) for width in widths]

    def height(texts: Sequence[object]) -> float:
        lines = 1
        for text, per_line in zip(texts, per_lines, strict=True):
            if text.__class__ is not str and not isinstance(text, str):
                continue
            if len(text) <= per_line and "\n" not in text:  # one line (or none)
                continue
            if "\n" in text:
                count = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
            else:
                count = -(-len(text) // per_line)
            if count > lines:
                lines = count
        return min(MAX_HEIGHT, lines * line_points + 3)

    return height


def wrapped_lines(text: str, per_line: int) -> int:
    """The lines `text` takes when wrapped at spaces into lines of `per_line` characters, as a
    spreadsheet wraps it (a word longer than a line is broken; each line break starts a line)."""
    per_line = max(1, per_line)
    lines = 0
    for part in text.split("\n"):
        lines += 1
        used = 0
        for word in part.split():
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            lines += (len(word) - 1) // per_line
            used = (len(word) - 1) % per_line + 1
    return lines
