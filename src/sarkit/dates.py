"""Date and time parsing for UK chronologies: day first, precision and uncertainty kept.

INTERFACE STUB — being implemented. The signatures below are the contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class DateError(ValueError):
    """A value that is not a usable date. `reason` is 'invalid', 'impossible' or 'month-first'.

    `str(err)` is a sentence that never quotes the value; `hint` says how to fix it.
    """

    def __init__(self, message: str, *, reason: str = "invalid", hint: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.hint = hint


class TimeError(ValueError):
    """A value that is not a usable time; `str(err)` never quotes the value."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as precise as its author wrote it: day, month or year; maybe uncertain."""

    year: int
    month: int | None = None
    day: int | None = None
    uncertain: bool = False

    @property
    def precision(self) -> Precision:
        raise NotImplementedError

    @property
    def start(self) -> dt.date:
        """First day of the period the date covers."""
        raise NotImplementedError

    @property
    def last(self) -> dt.date:
        """Last day of the period the date covers."""
        raise NotImplementedError

    def display(self) -> str:
        """As written, never showing assumed parts: '22/05/2016', 'May 2016', '2016', '?22/05/2016'."""
        raise NotImplementedError


def parse_date(value: object, *, date1904: bool = False) -> tuple[PartialDate, dt.time | None]:
    """Read a cell as a date (and the time when the cell holds both). Raises DateError."""
    raise NotImplementedError


def parse_time(value: object) -> dt.time:
    """Read a cell as a time of day. Raises TimeError."""
    raise NotImplementedError


def format_time(value: dt.time) -> str:
    """'14:30' (seconds only when not zero)."""
    raise NotImplementedError
