"""Headings written across the table that hold a date or are framed with dashes: dividers, never
rejected rows; one with a day in it is said as a warning (it might be an event)."""

from __future__ import annotations

import pytest
from conftest import TODAY, row

from sarkit.returns import ReadOptions, read_returns


def read(path):
    [result] = read_returns([path], ReadOptions(agency="Police", today=TODAY))  # type: ignore[arg-type]
    return result


def heading_between_entries(make_return, heading: str):
    rows = [row(day="03/03/2025", event="Home visit"), [heading], row(day="10/04/2025", event="Phone call")]
    return read(make_return("police.xlsx", rows, merge=["A3:F3"]))


@pytest.mark.parametrize("heading", ["— 2025 —", "–– 2025 ––", "— April 2025 —", "01/04/2025 onwards"])
def test_framed_years_and_periods_are_dividers(make_return, heading):
    result = heading_between_entries(make_return, heading)
    assert [e.event for e in result.entries] == ["Home visit", "Phone call"]
    assert [(f.code, str(f.severity), f.row, f.cell) for f in result.findings] == [
        ("divider-row", "info", 3, "A3")]


@pytest.mark.parametrize("heading", ["Review period 01/04/2025 - 30/09/2025",
                                     "Admission to Ward 7 (14/03/2025 - 28/03/2025)"])
def test_a_heading_with_a_day_in_it_is_a_divider_said_as_a_warning(make_return, heading):
    result = heading_between_entries(make_return, heading)
    assert [e.event for e in result.entries] == ["Home visit", "Phone call"]
    assert result.rejected_rows == 0
    [said] = result.findings
    assert (said.code, str(said.severity), said.row, said.cell) == ("divider-row", "warning", 3, "A3")
    assert said.message == ("Row 3 is a heading written across the table with a date in it, not an "
                            "entry; it was skipped, and it gives no date to the rows under it.")
    assert said.hint == ("If the row records an event, give it a row of its own with its Date, "
                         "Source and Event.")


def test_an_entry_squeezed_into_one_merged_cell_is_still_rejected(make_return):
    result = heading_between_entries(make_return, "05/03/2025 Home visit by SW")
    assert result.rejected_rows == 1
    assert "date-invalid" in [f.code for f in result.findings if f.row == 3]
