"""Tests for sarkit.dates: day-first UK dates with precision and uncertainty, and times."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from sarkit.dates import (
    DateError,
    PartialDate,
    Precision,
    TimeError,
    UncertainTime,
    format_time,
    parse_date,
    parse_date_range,
    parse_time,
)

D = PartialDate
MAY22 = D(2016, 5, 22)
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day(value: object, **kwargs: bool) -> PartialDate:
    """Parse and insist there is no time."""
    pd, t = parse_date(value, **kwargs)
    assert t is None
    return pd


# --------------------------------------------------------------------------------------------
# PartialDate


class TestPartialDate:
    def test_precision(self) -> None:
        assert D(2016, 5, 22).precision is Precision.DAY
        assert D(2016, 5).precision is Precision.MONTH
        assert D(2016).precision is Precision.YEAR

    def test_start_and_last(self) -> None:
        assert D(2016, 5, 22).start == D(2016, 5, 22).last == dt.date(2016, 5, 22)
        assert D(2016, 5).start == dt.date(2016, 5, 1)
        assert D(2016, 5).last == dt.date(2016, 5, 31)
        assert D(2016, 2).last == dt.date(2016, 2, 29)
        assert D(2015, 2).last == dt.date(2015, 2, 28)
        assert D(1900, 2).last == dt.date(1900, 2, 28)
        assert D(2000, 2).last == dt.date(2000, 2, 29)
        assert D(2016).start == dt.date(2016, 1, 1)
        assert D(2016).last == dt.date(2016, 12, 31)

    @pytest.mark.parametrize(
        ("pd", "text"),
        [
            (D(2016, 5, 22), "22/05/2016"),
            (D(2016, 1, 2), "02/01/2016"),
            (D(2016, 5), "May 2016"),
            (D(2016, 9), "September 2016"),
            (D(2016), "2016"),
            (D(2016, 5, 22, True), "?22/05/2016"),
            (D(2016, 5, None, True), "?May 2016"),
            (D(2016, None, None, True), "?2016"),
        ],
    )
    def test_display(self, pd: PartialDate, text: str) -> None:
        assert pd.display() == text

    def test_hashable_frozen_and_slotted(self) -> None:
        assert {D(2016, 5, 22), D(2016, 5, 22), D(2016, 5)} == {MAY22, D(2016, 5)}
        assert D(2016, 5, 22) != D(2016, 5, 22, True)
        assert not hasattr(MAY22, "__dict__")
        with pytest.raises(AttributeError):
            MAY22.year = 2017  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# parse_date: accepted forms


@pytest.mark.parametrize(
    "text",
    [
        "22/05/2016",
        "22/5/16",
        "22.05.16",
        "22-05-2016",
        "22 May 2016",
        "22nd May 2016",
        "22nd of May 2016",
        "22-May-16",
        "22 MAY 2016",
        "22 may 16",
        "22May2016",
        "Sunday 22 May 2016",
        "Sun 22 May 2016",
        "Sunday, 22nd May 2016",
        "sun. 22/05/2016",
        "2016-05-22",
        "2016/05/22",
        "22.05/16",
        "22/05.2016",
        "22-05/2016",
        "22 / 05 / 2016",
        "22\\05\\2016",
        "22 05 2016",
        "May 22, 2016",
        "May 22nd 2016",
        "  22/05/2016  ",
        "22/05/2016.",
        "'22/05/2016",
        "22\u201305\u20132016",
        "42512",
    ],
)
def test_day_forms(text: str) -> None:
    assert day(text) == MAY22


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22 Sept 2016", D(2016, 9, 22)),
        ("22 Sep 2016", D(2016, 9, 22)),
        ("22 September 2016", D(2016, 9, 22)),
        ("1st Feb 2016", D(2016, 2, 1)),
        ("3rd March 2016", D(2016, 3, 3)),
        ("29/02/2016", D(2016, 2, 29)),
        ("1/1/2000", D(2000, 1, 1)),
        ("31/12/1999", D(1999, 12, 31)),
    ],
)
def test_day_forms_other_dates(text: str, expected: PartialDate) -> None:
    assert day(text) == expected


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("22/05/2016 14:30", dt.time(14, 30)),
        ("22/05/2016 2.30pm", dt.time(14, 30)),
        ("22/05/2016 2:30 PM", dt.time(14, 30)),
        ("22/05/2016 1430", dt.time(14, 30)),
        ("22/05/2016, 14:30", dt.time(14, 30)),
        ("22 May 2016 at 9am", dt.time(9, 0)),
        ("2016-05-22T14:30:00", dt.time(14, 30)),
        ("2016-05-22 14:30:15", dt.time(14, 30, 15)),
        ("Sunday 22nd May 2016 at 2.30pm", dt.time(14, 30)),
        ("42512.5", dt.time(12, 0)),
    ],
)
def test_date_and_time_in_one_cell(text: str, time: dt.time) -> None:
    assert parse_date(text) == (MAY22, time)


def test_midnight_is_no_time() -> None:
    assert parse_date("22/05/2016 00:00") == (MAY22, None)
    assert parse_date("2016-05-22T00:00:00") == (MAY22, None)
    assert parse_date(dt.datetime(2016, 5, 22)) == (MAY22, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 2016", D(2016, 5)),
        ("may 2016", D(2016, 5)),
        ("May, 2016", D(2016, 5)),
        ("Sept 2016", D(2016, 9)),
        ("September 2016", D(2016, 9)),
        ("May-16", D(2016, 5)),
        ("May-2016", D(2016, 5)),
        ("May '16", D(2016, 5)),
        ("Jan-70", D(1970, 1)),
        ("05/2016", D(2016, 5)),
        ("5/2016", D(2016, 5)),
        ("5.2016", D(2016, 5)),
        ("??/05/2016", D(2016, 5)),
        ("xx/05/2016", D(2016, 5)),
        ("2016", D(2016)),
        ("1800", D(1800)),
        ("2200", D(2200)),
        ("??/??/2016", D(2016)),
    ],
)
def test_imprecise(text: str, expected: PartialDate) -> None:
    assert day(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("?22/05/2016", D(2016, 5, 22, True)),
        ("? 22/05/2016", D(2016, 5, 22, True)),
        ("22/05/2016?", D(2016, 5, 22, True)),
        ("22/05/2016 (?)", D(2016, 5, 22, True)),
        ("22/05/2016 (approx)", D(2016, 5, 22, True)),
        ("22/05/2016 approx.", D(2016, 5, 22, True)),
        ("? May 2016", D(2016, 5, None, True)),
        ("?May 2016", D(2016, 5, None, True)),
        ("c. 2016", D(2016, None, None, True)),
        ("c.2016", D(2016, None, None, True)),
        ("c 2016", D(2016, None, None, True)),
        ("c2016", D(2016, None, None, True)),
        ("ca. May 2016", D(2016, 5, None, True)),
        ("ca 2016", D(2016, None, None, True)),
        ("circa May 2016", D(2016, 5, None, True)),
        ("Circa 22/05/2016", D(2016, 5, 22, True)),
        ("approx 22/05/2016", D(2016, 5, 22, True)),
        ("approx. 22 May 2016", D(2016, 5, 22, True)),
        ("approximately May 2016", D(2016, 5, None, True)),
        ("about 2016", D(2016, None, None, True)),
        ("?2016", D(2016, None, None, True)),
        ("2016?", D(2016, None, None, True)),
        ("?Sunday 22 May 2016", D(2016, 5, 22, True)),
    ],
)
def test_uncertain(text: str, expected: PartialDate) -> None:
    assert day(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("w/c 22/05/2016", D(2016, 5, 22, True)),
        ("W/C 22/5/16", D(2016, 5, 22, True)),
        ("wc 22 May 2016", D(2016, 5, 22, True)),
        ("w/b 22/05/2016", D(2016, 5, 22, True)),
        ("week commencing 22 May 2016", D(2016, 5, 22, True)),
        ("Week beginning 22/05/2016", D(2016, 5, 22, True)),
        ("early May 2016", D(2016, 5, None, True)),
        ("mid-May 2016", D(2016, 5, None, True)),
        ("Mid May 2016", D(2016, 5, None, True)),
        ("late 2016", D(2016, None, None, True)),
        ("end of May 2016", D(2016, 5, None, True)),
        ("beginning of May 2016", D(2016, 5, None, True)),
    ],
)
def test_a_week_or_part_of_a_month_is_an_uncertain_date(text: str, expected: PartialDate) -> None:
    assert day(text) == expected


@pytest.mark.parametrize("value", ["20160522", 20160522, 20160522.0, " 20160522 "])
def test_a_system_date_written_year_month_day_in_figures(value: object) -> None:
    assert day(value) == MAY22


@pytest.mark.parametrize("value", ["20160230", 20160230])
def test_a_year_month_day_in_figures_that_does_not_exist_is_impossible(value: object) -> None:
    with pytest.raises(DateError, match="does not exist"):
        parse_date(value)


def test_certain_by_default() -> None:
    assert not day("22/05/2016").uncertain
    assert not day("May 2016").uncertain


# --------------------------------------------------------------------------------------------
# parse_date: cells that are not text


def test_date_objects() -> None:
    assert parse_date(dt.date(2016, 5, 22)) == (MAY22, None)
    assert parse_date(dt.datetime(2016, 5, 22, 14, 30)) == (MAY22, dt.time(14, 30))
    assert parse_date(dt.datetime(2016, 5, 22, 14, 30, 15)) == (MAY22, dt.time(14, 30, 15))


def test_datetime_rounding_to_the_second() -> None:
    assert parse_date(dt.datetime(2016, 5, 22, 14, 29, 59, 999_000)) == (MAY22, dt.time(14, 30))
    assert parse_date(dt.datetime(2016, 5, 21, 23, 59, 59, 999_990)) == (MAY22, None)


class TestSerials:
    def test_1900_system(self) -> None:
        assert parse_date(42512) == (MAY22, None)
        assert parse_date(42512.0) == (MAY22, None)
        assert parse_date(1) == (D(1900, 1, 1), None)
        assert parse_date(59) == (D(1900, 2, 28), None)
        assert parse_date(61) == (D(1900, 3, 1), None)

    def test_lotus_leap_day_does_not_exist(self) -> None:
        with pytest.raises(DateError) as err:
            parse_date(60)
        assert err.value.reason == "impossible"

    def test_1904_system(self) -> None:
        assert parse_date(42512 - 1462, date1904=True) == (MAY22, None)
        assert parse_date(1, date1904=True) == (D(1904, 1, 2), None)
        assert parse_date(42512, date1904=True) == (D(2020, 5, 23), None)

    def test_fraction_is_a_time(self) -> None:
        assert parse_date(42512.604166666664) == (MAY22, dt.time(14, 30))
        assert parse_date(42512.5) == (MAY22, dt.time(12, 0))
        assert parse_date(42512 - 1462 + 0.75, date1904=True) == (MAY22, dt.time(18, 0))

    @pytest.mark.parametrize("year", [1800, 1900, 2016, 2016.0, 2200])
    def test_whole_number_in_year_range_is_a_year(self, year: float) -> None:
        assert parse_date(year) == (D(int(year)), None)
        assert parse_date(year, date1904=True) == (D(int(year)), None)

    def test_numeric_string_serial(self) -> None:
        assert day("42512") == MAY22
        assert day("42512", date1904=True) == D(2020, 5, 23)

    @pytest.mark.parametrize(
        "value", [0, 0.5, -1, -42512, 10**20, float("inf"), 1e300, True, False]
    )
    def test_not_a_date(self, value: object) -> None:
        with pytest.raises(DateError):
            parse_date(value)


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_blank(value: object) -> None:
    with pytest.raises(DateError) as err:
        parse_date(value)
    assert err.value.reason == "invalid"
    assert str(err.value) == "The date is blank."


@pytest.mark.parametrize("value", [[2016], b"22/05/2016", object(), dt.time(14, 30)])
def test_other_types(value: object) -> None:
    with pytest.raises(DateError) as err:
        parse_date(value)
    assert err.value.reason == "invalid"


# --------------------------------------------------------------------------------------------
# parse_date: errors


EXAMPLE_TOKENS = re.compile(r"[^\s;,]*\d[^\s;,]*|\b(?:May|July)\b|\?")


def assert_error(value: str, reason: str) -> DateError:
    with pytest.raises(DateError) as info:
        parse_date(value)
    err = info.value
    assert err.reason == reason
    assert str(err) and err.hint
    stripped = value.strip()
    if len(stripped) > 1:
        assert stripped not in str(err)
    # The hint may hold generic examples (22/05/2016, May 2016, ?), never the value itself.
    assert stripped not in EXAMPLE_TOKENS.sub("", err.hint)
    return err


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2024",
        "29/02/2023",
        "31/04/2016",
        "00/01/2024",
        "32/01/2024",
        "13/13/2024",
        "22/00/2016",
        "31 Feb 2016",
        "0 May 2016",
        "2016-02-30",
        "2016-13-01",
        "13/2016",
        "Monday 22 May 2016",
        "02/30/2024",
    ],
)
def test_impossible(text: str) -> None:
    assert_error(text, "impossible")


@pytest.mark.parametrize("text", ["07/23/2024", "12/31/2016", "5/13/16", "02/29/2016"])
def test_month_first(text: str) -> None:
    err = assert_error(text, "month-first")
    assert "day first" in err.hint
    assert "23/07/2024" in err.hint  # the generic example, never the value


@pytest.mark.parametrize(
    "text",
    [
        "morning",
        "no idea",
        "22 May",
        "May",
        "May 16",
        "05/16",
        "22/05",
        "22/05/201",
        "22/05/20166",
        "1430",
        "3016",
        "22/05/3016",
        "22/05/1016",
        "2016-17",
        "2016-05",
        "22052016",
        "20161322",
        "22/05/2016 - 25/05/2016",
        "22/05/2016 to 25/05/2016",
        "22/05/2016 morning",
        "22/05/2016 25:00",
        "May 2016 14:30",
        "Sunday May 2016",
        "Mayy 2016",
        "?",
        "c.",
        "approx",
        "22/05/2016" * 20,
    ],
)
def test_invalid(text: str) -> None:
    assert_error(text, "invalid")


def test_two_dates_hint_points_to_end_date() -> None:
    err = assert_error("22/05/2016 - 25/05/2016", "invalid")
    assert "End Date" in err.hint


@pytest.mark.parametrize(
    ("yy", "year"),
    [("00", 2000), ("16", 2016), ("69", 2069), ("70", 1970), ("99", 1999)],
)
def test_two_digit_year_pivot(yy: str, year: int) -> None:
    assert day(f"01/02/{yy}") == D(year, 2, 1)
    assert day(f"1-Feb-{yy}") == D(year, 2, 1)
    assert day(f"Feb-{yy}") == D(year, 2)


# --------------------------------------------------------------------------------------------
# parse_date: properties

DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def ordinal(n: int) -> str:
    if 11 <= n % 100 <= 13:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def month_abbr(month: int) -> str:
    return "Sept" if month == 9 else MONTHS[month - 1][:3]


def day_forms(d: dt.date) -> list[str]:
    """Every accepted day-precision way of writing `d`."""
    dd, mm, y = d.day, d.month, d.year
    name, abbr = MONTHS[mm - 1], month_abbr(mm)
    weekday = WEEKDAYS[d.weekday()]
    forms = [
        f"{dd:02d}/{mm:02d}/{y}",
        f"{dd}/{mm}/{y}",
        f"{dd:02d}.{mm:02d}.{y}",
        f"{dd:02d}-{mm:02d}-{y}",
        f"{dd:02d}.{mm:02d}/{y}",
        f"{dd}-{mm}.{y}",
        f"{dd} {name} {y}",
        f"{dd} {abbr} {y}",
        f"{dd} {abbr.upper()} {y}",
        f"{dd} {name.lower()} {y}",
        f"{ordinal(dd)} {name} {y}",
        f"{ordinal(dd)} of {name} {y}",
        f"{dd}-{abbr}-{y}",
        f"{weekday} {dd} {name} {y}",
        f"{weekday[:3]} {dd} {abbr} {y}",
        f"{weekday}, {ordinal(dd)} {name} {y}",
        f"{name} {dd}, {y}",
        f"{d.isoformat()}",
        f"{y}/{mm:02d}/{dd:02d}",
    ]
    if 1970 <= y <= 2069:
        yy = f"{y % 100:02d}"
        forms += [
            f"{dd}/{mm}/{yy}",
            f"{dd:02d}/{mm:02d}/{yy}",
            f"{dd:02d}.{mm:02d}.{yy}",
            f"{dd:02d}.{mm:02d}/{yy}",
            f"{dd}-{abbr}-{yy}",
            f"{dd} {abbr} {yy}",
        ]
    return forms


@given(DATES, st.data())
def test_property_day_forms(d: dt.date, data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(day_forms(d)))
    pd, t = parse_date(text)
    assert t is None
    assert pd == D(d.year, d.month, d.day)
    assert pd.precision is Precision.DAY
    assert pd.start == pd.last == d


@given(DATES, st.data())
def test_property_day_forms_uncertain(d: dt.date, data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(day_forms(d)))
    mark = data.draw(st.sampled_from(["?", "? ", "c. ", "circa ", "approx ", "about "]))
    assert day(mark + text) == D(d.year, d.month, d.day, True)
    assert day(text + "?") == D(d.year, d.month, d.day, True)


@given(DATES, st.times().map(lambda t: t.replace(microsecond=0)))
def test_property_date_and_time(d: dt.date, t: dt.time) -> None:
    expected_time = t if t != dt.time(0) else None
    pd = D(d.year, d.month, d.day)
    assert parse_date(f"{d:%d/%m/%Y} {format_time(t)}") == (pd, expected_time)
    assert parse_date(f"{d.isoformat()}T{t.isoformat()}") == (pd, expected_time)
    assert parse_date(dt.datetime.combine(d, t)) == (pd, expected_time)


@given(DATES)
def test_property_date_objects_and_serials(d: dt.date) -> None:
    pd = D(d.year, d.month, d.day)
    assert parse_date(d) == (pd, None)
    if d >= dt.date(1900, 3, 1):
        serial = (d - dt.date(1899, 12, 30)).days
        if not 1800 <= serial <= 2200:
            assert parse_date(serial) == (pd, None)
            assert parse_date(float(serial) + 0.25) == (pd, dt.time(6))
    if d > dt.date(1904, 1, 1):
        serial = (d - dt.date(1904, 1, 1)).days
        if not 1800 <= serial <= 2200:
            assert parse_date(serial, date1904=True) == (pd, None)


@given(DATES, st.data())
def test_property_month_forms(d: dt.date, data: st.DataObject) -> None:
    name = MONTHS[d.month - 1]
    forms = [
        f"{name} {d.year}",
        f"{month_abbr(d.month)} {d.year}",
        f"{name.upper()} {d.year}",
        f"{d.month:02d}/{d.year}",
        f"{d.month}/{d.year}",
    ]
    text = data.draw(st.sampled_from(forms))
    pd = day(text)
    assert pd == D(d.year, d.month)
    assert pd.precision is Precision.MONTH
    assert pd.start == d.replace(day=1)
    assert pd.last.month == d.month and (pd.last + dt.timedelta(days=1)).day == 1


@given(st.integers(1800, 2200), st.booleans())
def test_property_year(year: int, as_text: bool) -> None:
    pd = day(str(year) if as_text else year)
    assert pd == D(year)
    assert pd.precision is Precision.YEAR


@given(st.integers(0, 99))
def test_property_two_digit_years(yy: int) -> None:
    expected = 2000 + yy if yy < 70 else 1900 + yy
    assert day(f"15/06/{yy:02d}").year == expected


partial_dates = st.one_of(
    DATES.map(lambda d: (d.year, d.month, d.day)),
    DATES.map(lambda d: (d.year, d.month, None)),
    DATES.map(lambda d: (d.year, None, None)),
).flatmap(lambda parts: st.builds(PartialDate, st.just(parts[0]), st.just(parts[1]),
                                  st.just(parts[2]), st.booleans()))  # fmt: skip


@given(partial_dates)
def test_property_display_round_trip(pd: PartialDate) -> None:
    assert parse_date(pd.display()) == (pd, None)
    assert pd.start <= pd.last


@given(DATES, st.data())
def test_property_month_first_rejected(d: dt.date, data: st.DataObject) -> None:
    assume(d.day > 12)
    sep = data.draw(st.sampled_from("/.-"))
    text = f"{d.month:02d}{sep}{d.day:02d}{sep}{d.year}"
    assert_error(text, "month-first")


@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(29, 31))
def test_property_impossible_rejected(year: int, month: int, dd: int) -> None:
    try:
        dt.date(year, month, dd)
    except ValueError:
        assert_error(f"{dd}/{month}/{year}", "impossible")
        assert_error(f"{dd} {MONTHS[month - 1]} {year}", "impossible")
    else:
        assert day(f"{dd}/{month}/{year}") == D(year, month, dd)


date_like_text = st.text(alphabet="0123456789/.-: ?,'()acdeilmnoprstuxyMJSTADFNO\t", max_size=40)


@given(st.one_of(st.text(), date_like_text))
@example("??/??/99")
@example("x-x-00")
@example("c?c?c?c?2016")
@example("22/05/2016 22/05/2016 22/05/2016")
def test_property_random_text_only_raises_date_error(text: str) -> None:
    try:
        pd, t = parse_date(text)
    except DateError as err:
        assert err.reason in {"invalid", "impossible", "month-first"}
        assert str(err)
        # the cell's text is never echoed (unless it happens to be words of the message itself)
        if len(text.strip()) >= 6 and text.strip() not in "This is not a date that can be read.":
            assert text.strip() not in str(err)
        return
    assert isinstance(pd, PartialDate)
    assert t is None or isinstance(t, dt.time)
    assert 1800 <= pd.year <= 2200
    assert parse_date(pd.display())[0] == pd  # whatever was read, its display reads back


@given(st.one_of(st.floats(allow_nan=True), st.integers(-(10**30), 10**30)))
def test_property_numbers_only_raise_date_error(number: float) -> None:
    try:
        parse_date(number)
    except DateError:
        pass


# --------------------------------------------------------------------------------------------
# Times


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14:30", dt.time(14, 30)),
        ("9:05", dt.time(9, 5)),
        ("14:30:15", dt.time(14, 30, 15)),
        ("1430", dt.time(14, 30)),
        ("0930", dt.time(9, 30)),
        ("930", dt.time(9, 30)),
        ("1430hrs", dt.time(14, 30)),
        ("14.30", dt.time(14, 30)),
        ("14h30", dt.time(14, 30)),
        ("2.30pm", dt.time(14, 30)),
        ("2:30 PM", dt.time(14, 30)),
        ("2:30 p.m.", dt.time(14, 30)),
        ("2pm", dt.time(14)),
        ("2 pm", dt.time(14)),
        ("11am", dt.time(11)),
        ("12am", dt.time(0)),
        ("12pm", dt.time(12)),
        ("12.15am", dt.time(0, 15)),
        ("14:30pm", dt.time(14, 30)),
        ("?14:30", dt.time(14, 30)),
        ("14:30?", dt.time(14, 30)),
        ("approx 14:30", dt.time(14, 30)),
        (" 14:30 ", dt.time(14, 30)),
        ("00:00", dt.time(0)),
        ("23:59", dt.time(23, 59)),
        ("noon", dt.time(12)),
        ("midnight", dt.time(0)),
        ("22/05/2016 14:30", dt.time(14, 30)),
        (dt.time(14, 30), dt.time(14, 30)),
        (dt.time(14, 29, 59, 600_000), dt.time(14, 30)),
        (dt.datetime(2016, 5, 22, 14, 30), dt.time(14, 30)),
        (dt.datetime(1899, 12, 30, 9, 0), dt.time(9, 0)),
        (0.604166, dt.time(14, 30)),
        (0.604166666666667, dt.time(14, 30)),
        (0.5, dt.time(12)),
        (0, dt.time(0)),
        (0.0, dt.time(0)),
        (42512.604166666664, dt.time(14, 30)),
        (1430, dt.time(14, 30)),
        (dt.timedelta(hours=14, minutes=30), dt.time(14, 30)),
        (dt.timedelta(seconds=52215), dt.time(14, 30, 15)),
    ],
)
def test_times(value: object, expected: dt.time) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "25:00",
        "24:00",
        "14:60",
        "morning",
        "9999",
        "2360",
        "13am",
        "0pm",
        "14",
        "",
        "   ",
        "22/05/2016",
        None,
        True,
        -0.5,
        99,
        float("nan"),
        float("inf"),
        dt.date(2016, 5, 22),
        dt.timedelta(days=1, hours=2),
        dt.timedelta(hours=-1),
        [14, 30],
    ],
)
def test_invalid_times(value: object) -> None:
    with pytest.raises(TimeError) as err:
        parse_time(value)
    assert str(err.value)
    assert err.value.hint
    if isinstance(value, str) and value.strip():
        assert value not in str(err.value)


@pytest.mark.parametrize(
    ("t", "text"),
    [
        (dt.time(14, 30), "14:30"),
        (dt.time(9, 5), "09:05"),
        (dt.time(0, 0), "00:00"),
        (dt.time(14, 30, 15), "14:30:15"),
        (dt.time(14, 30, 0, 500), "14:30"),
    ],
)
def test_format_time(t: dt.time, text: str) -> None:
    assert format_time(t) == text


@given(st.times().map(lambda t: t.replace(microsecond=0)))
def test_property_time_round_trip(t: dt.time) -> None:
    assert parse_time(format_time(t)) == t
    assert parse_time(t) == t
    seconds = t.hour * 3600 + t.minute * 60 + t.second
    assert parse_time(seconds / 86400) == t
    assert parse_time(dt.timedelta(seconds=seconds)) == t


@given(st.integers(0, 23), st.integers(0, 59))
def test_property_time_text_forms(hour: int, minute: int) -> None:
    t = dt.time(hour, minute)
    h12 = hour % 12 or 12
    ampm = "am" if hour < 12 else "pm"
    for text in (
        f"{hour:02d}:{minute:02d}",
        f"{hour}.{minute:02d}",
        f"{hour:02d}{minute:02d}",
        f"{hour}h{minute:02d}",
        f"{h12}.{minute:02d}{ampm}",
        f"{h12}:{minute:02d} {ampm.upper()}",
        f"?{hour:02d}:{minute:02d}",
    ):
        assert parse_time(text) == t, text


@given(st.one_of(st.text(), st.text(alphabet="0123456789:.hapm ?", max_size=12)))
def test_property_random_text_only_raises_time_error(text: str) -> None:
    try:
        t = parse_time(text)
    except TimeError:
        return
    assert isinstance(t, dt.time)


# --------------------------------------------------------------------------------------------
# Uncertain times keep their mark


@pytest.mark.parametrize("text", ["?14:30", "? 14:30", "14:30?", "approx 14:30", "c. 14:30",
                                  "approx 2.30pm", "14:30 (approx)"])
def test_uncertain_time_keeps_its_mark(text: str) -> None:
    t = parse_time(text)
    assert isinstance(t, UncertainTime) and t == dt.time(14, 30)
    assert format_time(t) == "?14:30"


def test_certain_time_has_no_mark() -> None:
    assert type(parse_time("14:30")) is dt.time and format_time(parse_time("1430")) == "14:30"


def test_uncertain_time_after_a_date_in_one_cell() -> None:
    pd, t = parse_date("22/05/2016 ?14:30")
    assert pd == MAY22 and format_time(t) == "?14:30"  # type: ignore[arg-type]


@given(st.times().map(lambda t: t.replace(microsecond=0)))
def test_property_uncertain_time_round_trip(t: dt.time) -> None:
    """What format_time shows reads back as the same time, uncertain when it was."""
    uncertain = UncertainTime.of(t)
    back = parse_time(format_time(uncertain))
    assert back == t and isinstance(back, UncertainTime)
    assert format_time(back) == format_time(uncertain)
    assert not isinstance(parse_time(format_time(t)), UncertainTime)


# --------------------------------------------------------------------------------------------
# A date range in one cell


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("12/05/2025 - 30/06/2025", D(2025, 5, 12), D(2025, 6, 30)),
        ("12/05/2025 to 30/06/2025", D(2025, 5, 12), D(2025, 6, 30)),
        ("12/05/2025–30/06/2025", D(2025, 5, 12), D(2025, 6, 30)),
        ("12/05/2025 \u2014 30/06/2025", D(2025, 5, 12), D(2025, 6, 30)),
        ("12-05-2025 - 30-06-2025", D(2025, 5, 12), D(2025, 6, 30)),
        ("from 3/3/25 until 5/3/25", D(2025, 3, 3), D(2025, 3, 5)),
        ("From 3/3/25 till 5/3/25", D(2025, 3, 3), D(2025, 3, 5)),
        ("between 3/3/25 and 5/3/25", D(2025, 3, 3), D(2025, 3, 5)),
        ("12-14 March 2025", D(2025, 3, 12), D(2025, 3, 14)),
        ("12th - 14th March 2025", D(2025, 3, 12), D(2025, 3, 14)),
        ("12 March - 14 April 2025", D(2025, 3, 12), D(2025, 4, 14)),
        ("March - April 2025", D(2025, 3), D(2025, 4)),
        ("05/2025-06/2025", D(2025, 5), D(2025, 6)),
        ("?12/05/2025 - 30/06/2025", D(2025, 5, 12, True), D(2025, 6, 30)),
        ("14-12 March 2025", D(2025, 3, 14), D(2025, 3, 12)),  # end before start: the caller says so
    ],
)
def test_date_range_in_one_cell(text: str, start: PartialDate, end: PartialDate) -> None:
    assert parse_date_range(text) == ((start, None), (end, None))


def test_date_range_with_times() -> None:
    assert parse_date_range("12/05/2025 10:00 - 12/05/2025 11:30") == (
        (D(2025, 5, 12), dt.time(10)), (D(2025, 5, 12), dt.time(11, 30)))


@pytest.mark.parametrize("text", [
    "12-05-2025",  # one date written with dashes, not a range
    "2024-2025",  # two years: a range, or a financial year?
    "2024 - 2025",
    "12/05/2025 and 30/06/2025",  # two dates: two events?
    "12/05/2025 & 30/06/2025",
    "12/05/2025 10:00-11:00",
    "12/05/2025 -",
    "from 12/05/2025",
    "12 - 14",
    "1-2-3",
    "12-14 March",
    "12/05/2025 - next week",
    "7-41165",  # an Excel serial typed as text is no end of a range
    "45000 - 45010",
    "6.-9/1/2009",  # '6.' is a slip, not June
    "2024-25",  # a financial year?
    "",
])
def test_not_a_date_range(text: str) -> None:
    assert parse_date_range(text) is None


def test_date_range_only_reads_text() -> None:
    assert parse_date_range(dt.date(2025, 5, 12)) is None and parse_date_range(45000) is None


def _range_forms(d: dt.date) -> list[str]:
    return [f"{d:%d/%m/%Y}", f"{d.day}/{d.month}/{d:%Y}", f"{d.day} {MONTHS[d.month - 1]} {d.year}",
            d.isoformat(), f"{d:%d-%m-%Y}", f"{d:%d.%m.%Y}"]


@given(DATES, st.integers(0, 400), st.data())
def test_property_date_range(start: dt.date, days: int, data: st.DataObject) -> None:
    """Two dates written any accepted way, joined any accepted way, read back as the range."""
    end = start + dt.timedelta(days=days)
    assume(end.year <= 2200)
    left = data.draw(st.sampled_from(_range_forms(start)))
    right = data.draw(st.sampled_from(_range_forms(end)))
    sep = data.draw(st.sampled_from([" - ", "-", " – ", "–", " to ", " until ", " till "]))
    lead = data.draw(st.sampled_from(["", "from ", "From "]))
    assert parse_date_range(f"{lead}{left}{sep}{right}") == (
        (D(start.year, start.month, start.day), None), (D(end.year, end.month, end.day), None))


@given(DATES, st.data())
def test_property_a_single_date_is_never_a_range(d: dt.date, data: st.DataObject) -> None:
    assert parse_date_range(data.draw(st.sampled_from(day_forms(d)))) is None


@given(st.one_of(st.text(max_size=60), date_like_text))
@example("12-14 32 March 2025")
def test_property_random_text_is_a_range_or_none(text: str) -> None:
    found = parse_date_range(text)
    if found is not None:
        (start, _), (end, _) = found
        assert isinstance(start, PartialDate) and isinstance(end, PartialDate)
        with pytest.raises(DateError):
            parse_date(text)


@pytest.mark.parametrize(("text", "day", "clock"), [
    ("2025-03-05T14:32:00Z", dt.date(2025, 3, 5), dt.time(14, 32)),  # winter: UK time is UTC
    ("2025-06-05T14:32:00Z", dt.date(2025, 6, 5), dt.time(15, 32)),  # summer: an hour ahead
    ("2025-06-05T23:30:00Z", dt.date(2025, 6, 6), dt.time(0, 30)),  # the next day in the UK
    ("2025-06-05T14:32:00+01:00", dt.date(2025, 6, 5), dt.time(14, 32)),
    ("2025-01-05 14:32:00.123-05:00", dt.date(2025, 1, 5), dt.time(19, 32)),
    ("2025-03-30T00:59:00Z", dt.date(2025, 3, 30), dt.time(0, 59)),  # summer time starts 01:00 UTC
    ("2025-03-30T01:00:00Z", dt.date(2025, 3, 30), dt.time(2, 0)),
    ("2025-10-26T00:30:00Z", dt.date(2025, 10, 26), dt.time(1, 30)),  # and ends 01:00 UTC
    ("2025-10-26T01:00:00Z", dt.date(2025, 10, 26), dt.time(1, 0)),
])
def test_a_timestamp_with_a_time_zone_is_read_as_the_uk_clock_read(text, day, clock):
    date, time = parse_date(text)
    assert (dt.date(date.year, date.month, date.day), time) == (day, clock)


def test_a_zoned_timestamp_on_a_day_that_does_not_exist_is_invalid():
    with pytest.raises(DateError):
        parse_date("2025-02-30T10:00:00Z")
