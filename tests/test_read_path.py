"""The quick read of a combined workbook (values part -> columns -> entries): the same results as
a cell at a time."""

from __future__ import annotations

import datetime as dt

import pytest

from sarkit.dates import PartialDate
from sarkit.formats.values_part import EXCEL_EPOCH, _days_to_dates
from sarkit.intake.combined import EntryColumns, _dates, _Parsed, _times, entries_of


def test_day_numbers_become_one_date_object_per_day() -> None:
    day = 45_000
    column = _days_to_dates([day, "typed as text", day, "", day + 1])
    assert column == [EXCEL_EPOCH + dt.timedelta(days=day), "typed as text",
                      EXCEL_EPOCH + dt.timedelta(days=day), "", EXCEL_EPOCH + dt.timedelta(days=day + 1)]
    assert column[0] is column[2]


def test_a_day_number_before_march_1900_is_refused() -> None:
    with pytest.raises(ValueError):
        _days_to_dates([45_000, 60])


def test_a_date_column_reads_as_cell_by_cell() -> None:
    day = dt.date(2025, 3, 3)
    values = [day, "04/03/2025", day, "", None, dt.datetime(2025, 3, 5, 10, 30), day, day]
    formats = {(4, 1): ("month", False), (8, 1): ("year", True), (4, 2): ("year", False)}
    got = _dates(values, 1, "date", _Parsed("combined.xlsx"), formats)
    assert got == [PartialDate(2025, 3, 3), PartialDate(2025, 3, 4), PartialDate(2025, 3, None),
                   None, None, PartialDate(2025, 3, 5), PartialDate(2025, None, None, True),
                   PartialDate(2025, 3, 3)]
    assert got[0] is got[7] and got[0] is not got[2]


def test_a_time_column_reads_each_text_once() -> None:
    got = _times(["09:30", "", "09:30", None, "14:05"], _Parsed("combined.xlsx"))
    assert got == [dt.time(9, 30), None, dt.time(9, 30), None, dt.time(14, 5)]


def columns(height: int, **given: list) -> EntryColumns:
    out = EntryColumns(
        agency=["GP"] * height, date=[PartialDate(2025, 1, 1)] * height, source=["Notes"] * height,
        event=["Seen"] * height, time=[None] * height, end_date=[None] * height,
        end_time=[None] * height, action=[""] * height, practitioner=[""] * height,
        analysis=[""] * height, key_event=[None] * height, agency_ref=[""] * height,
        file=["gp.xlsx"] * height, sheet=[""] * height, row=list(range(2, height + 2)),
        order=list(range(height)), ref=[f"C{i + 1}" for i in range(height)], flags=[""] * height)
    for name, values in given.items():
        setattr(out, name, values)
    return out


def test_entries_get_their_own_extras_and_flags() -> None:
    made = entries_of(columns(3, flags=["a; b", "", "a; b"],
                              extras={"Risk Level": ["High", "", "Low"], "Team": ["", "", "North"]}))
    assert [e.extras for e in made] == [{"Risk Level": "High"}, {}, {"Risk Level": "Low", "Team": "North"}]
    assert list(made[2].extras) == ["Risk Level", "Team"]
    assert [e.flags for e in made] == [["a", "b"], [], ["a", "b"]]
    made[0].flags.append("c")
    made[1].extras["Team"] = "South"
    assert made[2].flags == ["a", "b"] and made[0].extras == {"Risk Level": "High"}
    assert [(e.ref, e.row, e.order) for e in made] == [("C1", 2, 0), ("C2", 3, 1), ("C3", 4, 2)]


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        entries_of(columns(3, ref=["C1", "C2"]))
    with pytest.raises(ValueError):
        entries_of(columns(2, extras={"Risk Level": ["High"]}))
