"""The one exception type for failures that stop a command."""

from __future__ import annotations


class SarkitError(Exception):
    """A failure that stops a command; the message is a sentence for the user.

    `file`, `sheet` and `cell` say where, when the failure has a place; `exit_code` is 2 for
    a usage error (bad option, no such path), 1 otherwise.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str = "",
        file: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        exit_code: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.exit_code = exit_code  # 1 for a failure, 2 for a usage error

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


def usage_error(message: str, hint: str = "") -> SarkitError:
    """A SarkitError for a usage mistake (bad option, no such path): exit code 2."""
    return SarkitError(message, hint=hint, exit_code=2)
