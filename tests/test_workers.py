"""What a reader worker sends back is what it read: the compact pickling of entries and dates."""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import replace

from sarkit.dates import PartialDate, UncertainTime
from sarkit.entries import Entry, ReturnResult
from sarkit.findings import finding
from sarkit.pipeline.workers import dumps


def _entry(**changes: object) -> Entry:
    entry = Entry(
        agency="Ward Health", date=PartialDate(2024, 3, 5, uncertain=True), source="GP record",
        event="Home visit.", time=UncertainTime.of(dt.time(9, 30)), end_date=PartialDate(2024, 3),
        end_time=dt.time(10, 0), action="Referred.", practitioner="Nurse", analysis="Noted.",
        key_event=False, agency_ref="A-1", file="returns/ward.xlsx", sheet="Chronology", row=7,
        order=3, extras={"Risk Level": "High"}, ref="C0004", flags=["gap"])
    return replace(entry, **changes)  # type: ignore[arg-type]


def test_a_result_sent_back_by_a_worker_is_equal_to_the_one_read() -> None:
    result = ReturnResult(path="returns/ward.xlsx", agency="Ward Health", entries=[
        _entry(), _entry(key_event=None, time=None, end_date=None, extras={}, flags=[]),
    ], findings=[finding("nil-return", "returns/ward.xlsx", "A message.", sheet="Chronology")])
    back = pickle.loads(dumps([result]))
    assert back == [result]
    first = back[0].entries[0]
    assert type(first) is Entry and type(first.date) is PartialDate
    assert type(first.time) is UncertainTime and first.date.uncertain is True
    # the entries' own lists and dicts are their own, not shared with another entry
    back[0].entries[0].flags.append("x")
    assert back[0].entries[1].flags == []


def test_entries_and_dates_pickle_smaller_than_by_default() -> None:
    entries = [_entry(row=n, order=n) for n in range(100)]
    assert len(dumps(entries)) < len(pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
    assert pickle.loads(pickle.dumps(PartialDate(2021, None, None))) == PartialDate(2021)
