"""Two files of one agency whose entries have mostly the same words (Source and Event; case, spaces
and punctuation ignored) are versions of one return whatever their dates (a resubmission correcting
the year on every date): several-returns, never parts, with or without Refs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import HEADER, row, write_return
from typer.testing import CliRunner

from sarkit.cli import app
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.returns import PARTS, UNSURE, VERSIONS, _entries_relation, _same_words

runner = CliRunner()

REF_HEADER = ["Ref", *HEADER]
EVENTS = [f"Consultation about leg ulcer, dressing changed, week {n}" for n in range(9)]
SEVERAL = ("several-returns", "warning", "Hill Surgery has 2 returns: returns/gp v1.xlsx and "
           "returns/gp v2.xlsx. Entries identical in more than one are collated once.")
REDATED = (*SEVERAL[:2], SEVERAL[2] + " Most entries of one have the words of the other's on other days: "
           "one probably corrects the other's dates, so the same events are in the combined chronology "
           "twice, on different days, until the older file is removed.")


@pytest.fixture
def returns(review_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(review_file.parent)
    folder = review_file.parent / "returns"
    write_return(folder / "asc.xlsx", [row(event="Assessment")])
    write_return(folder / "police.xlsx", [row(event="Welfare check")])
    return folder


def _validate() -> tuple[int, dict]:
    result = runner.invoke(app, ["validate", "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _findings(data: dict, path: str) -> list[tuple[str, str, str]]:
    found = next(f for f in data["files"] if f["path"] == path)["findings"]
    return [(f["code"], f["severity"], f["message"]) for f in found]


def _weekly(first: dt.date, count: int = 8) -> list[str]:
    return [(first + dt.timedelta(days=7 * n)).strftime("%d/%m/%Y") for n in range(count)]


def _reworded(event: str) -> str:
    """The same words, typed again: other case, spaces and punctuation."""
    return "  " + event.upper().replace(",", " -").replace("week", "week:") + "."


def test_a_resubmission_correcting_every_date_is_versions_not_parts(returns):
    write_return(returns / "gp v1.xlsx", [row(day=day, event=event, source="GP record")
                                          for day, event in zip(_weekly(dt.date(2025, 1, 6), 9), EVENTS,
                                                                strict=True)])
    write_return(returns / "gp v2.xlsx", [row(day=day, event=_reworded(event), source="gp record.")
                                          for day, event in zip(_weekly(dt.date(2025, 9, 1), 9), EVENTS,
                                                                strict=True)])
    code, data = _validate()
    assert code == 0
    assert _findings(data, "returns/gp v1.xlsx") == [REDATED]
    assert _findings(data, "returns/gp v2.xlsx") == [REDATED]
    assert [f["entries"] for f in data["files"] if f["path"].startswith("returns/gp")] == [9, 9]


def _entries(first: dt.date, events: list[str]) -> list[Entry]:
    days = [first + dt.timedelta(days=7 * n) for n in range(len(events))]
    return [Entry("GP", PartialDate(d.year, d.month, d.day), "GP record", event)
            for d, event in zip(days, events, strict=True)]


@pytest.mark.parametrize("same, kind", [(9, VERSIONS), (5, VERSIONS), (4, UNSURE), (3, PARTS),
                                        (1, PARTS), (0, PARTS)])
def test_how_many_entries_keep_their_words_decides_versions_unsure_or_parts(same, kind):
    """Half the smaller file's entries in the other's words: versions; at most 2 in 5: parts (the
    periods do not overlap, no entry in common by date); between: unsure, said so."""
    spring = _entries(dt.date(2025, 1, 6), EVENTS)
    autumn = _entries(dt.date(2025, 9, 1), [*EVENTS[:same], *[f"Other contact {n}" for n in range(9 - same)]])
    assert _same_words(spring, autumn) == same
    assert _entries_relation(spring, autumn)[0] == kind
    assert _entries_relation(autumn, spring)[0] == kind


def test_words_are_matched_once_each():
    """A visit repeated in one file matches as many of the other's as there are, not more."""
    once = _entries(dt.date(2025, 1, 6), ["Home visit", "Phone call", "Letter sent"])
    many = _entries(dt.date(2025, 9, 1), ["Home visit"] * 3)
    assert _same_words(once, many) == _same_words(many, once) == 1


def test_other_words_on_other_dates_are_still_parts(returns):
    write_return(returns / "gp v1.xlsx", [row(day=day, event=event, source="GP record")
                                          for day, event in zip(_weekly(dt.date(2025, 1, 6), 9), EVENTS,
                                                                strict=True)])
    write_return(returns / "gp v2.xlsx", [row(day=day, event=f"Review of care plan {n}", source="GP record")
                                          for n, day in enumerate(_weekly(dt.date(2025, 9, 1)))])
    code, data = _validate()
    assert code == 0
    assert _findings(data, "returns/gp v1.xlsx") == []
    assert [f[:2] for f in _findings(data, "returns/gp v2.xlsx")] == [("agency-parts", "info")]


def test_a_resubmission_renumbered_with_its_dates_corrected_is_not_ref_parts(returns):
    """v2 puts a missed entry in at Ref 1 (every Ref moves on) and corrects every date: the shared
    Refs name other dates and other events, but the words are v1's: versions, never parts."""
    first = [[str(n), *row(day=day, event=event)]
             for n, (day, event) in enumerate(zip(_weekly(dt.date(2025, 1, 6), 5), EVENTS, strict=False),
                                              start=1)]
    second = [["1", *row(day="25/08/2025", event="Telephone triage")],
              *[[str(n), *row(day=day, event=event)]
                for n, (day, event) in enumerate(zip(_weekly(dt.date(2025, 9, 1), 5), EVENTS, strict=False),
                                                 start=2)]]
    write_return(returns / "gp v1.xlsx", first, header=REF_HEADER)
    write_return(returns / "gp v2.xlsx", second, header=REF_HEADER)
    code, data = _validate()
    assert code == 0
    assert _findings(data, "returns/gp v1.xlsx") == [REDATED]
    codes = [f[:2] for f in _findings(data, "returns/gp v2.xlsx")]
    assert codes == [SEVERAL[:2], ("agency-ref-versions", "warning")]
