"""The one exception type for failures that stop a command."""

from __future__ import annotations


class SarkitError(Exception):
    """A failure that stops a command; the message is a sentence for the user.

    `file`, `sheet` and `cell` say where, when the failure has a place.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str = "",
        file: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.file = file
        self.sheet = sheet
        self.cell = cell

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.file and f"file {self.file}",
                self.sheet and f"sheet {self.sheet}",
                self.cell and f"cell {self.cell}",
            )
            if part
        )
        text = f"{self.message} ({where})" if where else self.message
        return f"{text} {self.hint}".strip()
