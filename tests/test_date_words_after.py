"""Words after a plain date ('03/03/2025 - evening', '03/03/2025 (late shift)', '03/03/2025 am')
are read as the date with `date-extra-text`, whatever the separator, and the words are kept; a
day and month with no year ('3/3') says so."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import HEADER, row
from test_table_shapes import read_one, write_xlsx

from sarkit.dates import DateError, PartialDate, date_then_words, day_part_words, parse_date

DAY = PartialDate(2025, 3, 3)


@pytest.mark.parametrize(("text", "words"), [
    ("03/03/2025 - evening", "evening"), ("03/03/2025 am", "am"), ("03/03/2025 night shift", "night shift"),
    ("3rd March 2025 - night shift", "night shift"), ("03/03/2025 (late shift)", "late shift"),
    ("03/03/2025, see notes", "see notes"), ("Mon 3rd March 2025 \u2013 evening", "evening"),
])
def test_a_date_then_words_is_the_date_and_the_words(text, words):
    assert date_then_words(text) == (DAY, words)


@pytest.mark.parametrize("text", [
    "03/03/2025 to date", "03/03/2025 onwards", "03/03/2025 or 04/03/2025", "03/03/2025 - 04/03",
    "03/03/2025 room 4", "March 2025 night", "3rd March night", "03/03/2025 14:30 evening",
    "w/c 03/03/2025", "03/03/2025 approx", "03/03/2025 - maybe", "03/03/2025 week", "evening",
    "03/03/2025 night?",
])
def test_no_date_is_read_from_a_period_a_doubt_or_digits_after_it(text):
    assert date_then_words(text) is None


def test_words_for_the_part_of_the_day():
    assert [day_part_words(w) for w in ("am", "late shift", "in the evening", "see notes", "shift change")
            ] == [True, True, True, False, False]


def test_every_date_with_words_after_it_is_read_and_the_words_kept(tmp_path):
    cases = ["03/03/2025 evening", "03/03/2025 - evening", "3rd March 2025 night",
             "3rd March 2025 - night shift", "03/03/2025 night shift", "03/03/2025 (late shift)",
             "03/03/2025 am", "03/03/2025 - see notes"]
    rows = [row(day=day, time="", event=f"Event {i}") for i, day in enumerate(cases)]
    rows.append(row(day="03/03/2025 - evening", time="18:00", event="Timed"))
    result = read_one(write_xlsx(tmp_path / "oakfield.xlsx", rows))
    assert [(e.date, e.time) for e in result.entries] == [(DAY, None)] * 8 + [(DAY, dt.time(18))]
    assert [e.extras.get("Time (as written)") for e in result.entries] == [
        "evening", "evening", "night", "night shift", "night shift", "late shift", "am", None, None]
    assert [(f.code, f.cell, f.severity) for f in result.findings] == [
        ("date-extra-text", f"A{r}", "warning") for r in range(2, 11)]
    assert result.findings[1].message == (
        "The Date in row 3 holds more than a date and a time; the date was read; the words for the part "
        "of the day are kept in the column Time (as written) (the entry has no time).")
    assert result.findings[1].values == {"Date": "03/03/2025 - evening"}
    assert result.findings[7].message == (
        "The Date in row 9 holds more than a date and a time; the date was read; the words after the "
        "date were not used (they are kept with this finding).")
    assert result.findings[7].values == {"Date": "03/03/2025 - see notes"}
    assert result.findings[8].message.endswith(
        "the words for the part of the day were not used, as the Time cell gives the time (they are "
        "kept with this finding).")
    assert (result.data_rows, result.rejected_rows) == (9, 0)


def test_a_period_after_the_date_is_still_rejected(tmp_path):
    result = read_one(write_xlsx(tmp_path / "oakfield.xlsx", [row(day="03/03/2025 to date")]))
    assert [(f.code, f.cell) for f in result.findings] == [("date-invalid", "A2")]
    assert result.rejected_rows == 1


@pytest.mark.parametrize("text", ["3/3", "03/03", "13/3", "29/2", "31/12"])
def test_a_day_and_month_with_no_year_says_so(text):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert (caught.value.reason, str(caught.value)) == (
        "invalid", "The date has no year, or a year that is not written in full.")


@pytest.mark.parametrize("text", ["1/2", "12/11", "3/13", "30/2", "3/3/"])
def test_a_day_and_month_that_might_be_month_first_or_no_date_stays_unreadable(text):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert str(caught.value) == "This is not a date that can be read."


def test_the_date_cell_3_3_is_rejected_as_having_no_year(tmp_path):
    result = read_one(write_xlsx(tmp_path / "oakfield.xlsx", [row(day="3/3")], header=HEADER))
    [wrong] = result.findings
    assert (wrong.code, wrong.cell) == ("date-invalid", "A2")
    assert wrong.message == ("The Date in row 2 cannot be read as a date. The date has no year, or a year "
                             "that is not written in full.")
