"""Where a walker of an .ods sheet's XML is: its row and column, and the style each cell takes.

Used by the walkers that note cells' fills (fills.py) and struck text (struck.py): a row or cell
repeated many times is noted MAX_REPEATS times at most.
"""

from __future__ import annotations

from collections.abc import Iterator

MAX_REPEATS = 1_000  # a repeated .ods row or cell is noted this many times at most


def local_name(name: str) -> str:
    """A tag or attribute name without its namespace."""
    return name[name.rfind(":") + 1 :]


def attribute(attrs: dict[str, str], local: str) -> str:
    """The attribute of that local name, whatever its namespace; '' when there is none."""
    return next((value for key, value in attrs.items() if local_name(key) == local), "")


def repeats(attrs: dict[str, str], name: str) -> int:
    """A number-…-repeated attribute: at least 1."""
    value = attribute(attrs, name).strip()
    return max(1, int(value[:15])) if value.isdigit() else 1


class TableCursor:
    """The row and column a walker of one table is at, the row's repeat and default cell style,
    and the columns' default styles."""

    def __init__(self) -> None:
        self.row = 0  # rows above the current one
        self.row_repeat = 1
        self.row_style = ""
        self.col = 0
        self.columns: list[tuple[int, int, str]] = []  # (first, last + 1, default cell style)

    def start_row(self, attrs: dict[str, str]) -> None:
        self.row_repeat = min(repeats(attrs, "number-rows-repeated"), MAX_REPEATS)
        self.row_style, self.col = attribute(attrs, "default-cell-style-name"), 0

    def add_columns(self, attrs: dict[str, str]) -> None:
        first = self.columns[-1][1] if self.columns else 0
        self.columns.append((first, first + repeats(attrs, "number-columns-repeated"),
                             attribute(attrs, "default-cell-style-name")))

    def cell(self, attrs: dict[str, str]) -> tuple[int, int, str]:
        """(column, repeat, style) of a cell starting here: its own style, else its row's or its
        column's default; the cursor moves past it."""
        repeat = repeats(attrs, "number-columns-repeated")
        style = attribute(attrs, "style-name") or self.row_style or next(
            (name for first, end, name in self.columns if first <= self.col < end), "")
        col = self.col
        self.col += repeat
        return col, repeat, style

    def places(self, col: int, repeat: int) -> Iterator[tuple[int, int]]:
        """(row, column), 1-based row, of each place a cell at `col` repeated `repeat` times
        stands in the current row (and its repeats)."""
        for down in range(self.row_repeat):
            for across in range(min(repeat, MAX_REPEATS)):
                yield self.row + 1 + down, col + across

    def end_row(self) -> None:
        self.row += self.row_repeat
        self.row_repeat = 1
