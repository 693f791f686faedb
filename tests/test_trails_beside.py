"""A large review's trails and patterns are read in two processes (`workers.beside`): the same
trails as in one, in the same order and with the same numbers, the same patterns, and the same
when the other process fails."""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import os

import pytest

import sarkit.analysis as analysis
from sarkit.analysis import analysis_to_json, trails_and_patterns
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.pipeline import workers
from sarkit.pipeline.workers import START_METHOD_VARIABLE, beside
from sarkit.review import Agency, Review
from sarkit.vocabulary import vocabulary_for

GP = Agency("Hill Surgery", "GP")
MH = Agency("Northshire Mental Health Trust", "Mental Health", ("Memory Service",))
ASC = Agency("Northshire Adult Social Care", "ASC")
AMB = Agency("North West Ambulance Service", "Ambulance")
HOUSING = Agency("Northshire Homes", "Housing")  # no entries: its trails say why
AGENCIES = [GP, MH, ASC, AMB, HOUSING]
VOCABULARY = vocabulary_for(Review())
START = dt.date(2020, 1, 1)

# (agency, day in the fortnight, event): trails answered, unanswered, negated, incoming
FORTNIGHT = [
    (GP, 0, "Referred to the Memory Service for assessment of memory loss"),
    (ASC, 1, "Home visit. No referral made to the GP; advised to see own GP"),
    (ASC, 2, "Safeguarding concern sent to Mental Health and Housing"),
    (MH, 5, "Concern from ASC triaged; allocated to CPN"),
    (AMB, 6, "999 call, fall at home, not conveyed. Notified GP by letter"),
    (GP, 9, "Discharge summary request sent to Mental Health"),
    (MH, 11, "Discharge summary sent out"),
    (ASC, 12, "Referral received from the GP"),
    (GP, 13, "Letter from Ambulance filed; DNA at clinic"),
]


def review_entries(fortnights: int) -> list[Entry]:
    entries = []
    for k in range(fortnights):
        for agency, day, event in FORTNIGHT:
            day_of = START + dt.timedelta(days=14 * k + day)
            date = PartialDate(day_of.year, day_of.month, day_of.day)
            entries.append(Entry(agency=agency.name, date=date, source="Records",
                                 event=f"{event} ({k})", ref=f"C{len(entries) + 1:05d}"))
    return entries


def trails_of(entries: list[Entry], **kwargs) -> analysis.Analysis:
    return trails_and_patterns(entries, agencies=AGENCIES, vocabulary=VOCABULARY, **kwargs)


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return review_entries(40)


@pytest.fixture(scope="module")
def alone(entries) -> dict:
    found = analysis_to_json(trails_of(entries))
    assert len(found["trails"]) == 40 * 5  # the review's trails, before they are compared
    assert {t["no_return"] for t in found["trails"]} == {None, "no-entries"}
    assert {t["answered"] for t in found["trails"]} == {True, False}
    assert {(p["kind"], p["agency"]) for p in found["patterns"]} == {
        ("Falls", AMB.name), ("999 calls not conveyed", AMB.name),
        ("Missed appointments (DNA/WNB)", GP.name), ("Safeguarding concerns", ASC.name)}
    return found


def methods() -> list[str]:
    return [m for m in ("fork", "spawn") if m in multiprocessing.get_all_start_methods()
            and (m != "fork" or hasattr(os, "fork"))]


def in_process(calls: list):
    """A `beside` that runs the call here, when asked for its result, and counts it."""
    def run(function, *args):
        calls.append(args[-1] - args[-2])  # how many entries it was given
        return lambda: function(*args)
    return run


def test_the_share_read_beside_gives_the_same_trails(monkeypatch, entries, alone):
    monkeypatch.setattr(analysis, "_BESIDE_FROM", 1)
    calls: list[int] = []
    assert analysis_to_json(trails_of(entries, beside=in_process(calls))) == alone
    # of the 360 entries, those holding the second half of the text: 180
    assert calls == [180]


def test_patterns_alone_are_shared_too(monkeypatch, entries, alone):
    """A vocabulary without referral words: no trails, the patterns read in two parts."""
    monkeypatch.setattr(analysis, "_BESIDE_FROM", 1)
    calls: list[int] = []
    no_referrals = dataclasses.replace(VOCABULARY, referral=())
    found = analysis_to_json(trails_and_patterns(entries, agencies=AGENCIES,
                                                 vocabulary=no_referrals, beside=in_process(calls)))
    assert found["trails"] == [] and found["patterns"] == alone["patterns"]
    assert calls == [180]


@pytest.mark.parametrize("share", [0.0, 0.003, 0.31, 0.5, 0.997, 1.0])
def test_wherever_the_review_is_cut_the_parts_give_the_whole(monkeypatch, share):
    """Words at the very start of a part's text, letters not in ASCII, a pattern word next to
    the cut: the two parts find what the whole finds."""
    entries = review_entries(12)
    for number, e in enumerate(entries):
        if number % 3 == 0:
            e.event = f"Fall at home; é {e.event}"  # a pattern word that starts the text
        if number % 5 == 0:
            e.action = "Référé à ASC. Referred to ASC"
    whole = analysis_to_json(trails_of(entries))
    monkeypatch.setattr(analysis, "_BESIDE_FROM", 1)
    monkeypatch.setattr(analysis, "_BESIDE_SHARE", share)
    assert analysis_to_json(trails_of(entries, beside=in_process([]))) == whole


def test_a_small_review_is_read_in_one_process(entries, alone):
    calls: list[int] = []
    assert analysis_to_json(trails_of(entries, beside=in_process(calls))) == alone
    assert calls == []  # 360 entries: a child would not pay for its start


@pytest.mark.parametrize("method", methods())
def test_the_share_read_in_a_child_process_gives_the_same_trails(monkeypatch, entries, alone,
                                                                   method):
    monkeypatch.setenv(START_METHOD_VARIABLE, method)
    monkeypatch.setattr(analysis, "_BESIDE_FROM", 1)
    assert analysis_to_json(trails_of(entries, beside=beside)) == alone


def test_when_the_child_fails_the_trails_are_read_here(monkeypatch, entries, alone):
    monkeypatch.setattr(analysis, "_BESIDE_FROM", 1)
    records = analysis._trail_records

    def failing_in_a_child(*args):
        if multiprocessing.parent_process() is not None:
            os._exit(3)  # dies as a crash would
        return records(*args)

    monkeypatch.setattr(analysis, "_trail_records", failing_in_a_child)
    monkeypatch.setenv(START_METHOD_VARIABLE, "fork" if hasattr(os, "fork") else "spawn")
    assert analysis_to_json(trails_of(entries, beside=beside)) == alone


def test_the_trails_are_numbered_in_the_order_of_their_sending_entries(monkeypatch, entries):
    monkeypatch.setattr(analysis, "_BESIDE_FROM", 1)
    trails = trails_of(entries, beside=in_process([])).trails
    numbered = sorted(trails, key=lambda t: int(t.id[1:]))
    assert [t.ref for t in numbered] == sorted(t.ref for t in numbered)
    assert [t.id for t in numbered] == [f"T{n}" for n in range(1, len(trails) + 1)]
    assert not any(t.answered for t in trails[:next(i for i, t in enumerate(trails) if t.answered)])
    assert all(t.answered for t in trails[next(i for i, t in enumerate(trails) if t.answered):])


# `beside` itself: the result of the call, whatever happens to the child


def _square(n: int) -> int:
    return n * n


def _pid() -> int:
    return os.getpid()


def _dies_in_a_child(n: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return n + 1


def _raises(n: int) -> int:
    raise ValueError(f"bad {n}")


@pytest.mark.parametrize("method", methods())
def test_beside_runs_the_call_in_another_process(monkeypatch, method):
    monkeypatch.setenv(START_METHOD_VARIABLE, method)
    assert beside(_square, 7)() == 49
    assert beside(_pid)() != os.getpid()


@pytest.mark.parametrize("method", methods())
def test_beside_calls_again_here_when_the_child_dies(monkeypatch, method):
    monkeypatch.setenv(START_METHOD_VARIABLE, method)
    assert beside(_dies_in_a_child, 1)() == 2


@pytest.mark.parametrize("method", methods())
def test_beside_raises_here_what_the_call_raises(monkeypatch, method):
    monkeypatch.setenv(START_METHOD_VARIABLE, method)
    later = beside(_raises, 5)
    with pytest.raises(ValueError, match="bad 5"):
        later()


def test_beside_calls_here_when_no_child_can_start(monkeypatch):
    def no_process(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr(workers, "_start_process", no_process)
    assert beside(_pid)() == os.getpid()


def test_the_share_comes_back_as_plain_values(monkeypatch, entries):
    """What comes back from the child is pickled: ints, strings and None, no entry or array."""
    calls: list = []

    def keep(function, *args):
        calls.append(function(*args))
        return lambda: calls[-1]

    monkeypatch.setattr(analysis, "_BESIDE_FROM", 1)
    trails_of(entries, beside=keep)
    records, matched = calls[0]
    assert len(records) == 100 and {len(record) for record in records} == {7}  # 20 of the 40 fortnights
    assert {type(value) for record in records for value in record} == {int, str, type(None)}
    assert set(matched) == {0, 1, 2, 3, 4, 5}  # every kind of pattern with words, by its index
    assert {type(k) for found in matched.values() for k in found} == {int}  # positions
    assert {type(span) for found in matched.values() for span in found.values()} == {tuple}


def test_a_child_is_used_only_where_it_pays(monkeypatch):
    import threading

    from sarkit.pipeline.workers import SPAWN_BESIDE_FROM, beside_pays

    monkeypatch.setenv(START_METHOD_VARIABLE, "spawn")
    # spawned, the child imports sarkit and is sent the texts: only for a large review
    assert beside_pays(SPAWN_BESIDE_FROM - 1) is False
    assert beside_pays(SPAWN_BESIDE_FROM) is True
    if "fork" not in methods():
        return
    monkeypatch.setenv(START_METHOD_VARIABLE, "fork")
    assert beside_pays(100) is (threading.active_count() == 1)  # the analysis says from when
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert beside_pays(100_000) is False  # a fork beside a running thread may deadlock the child
    finally:
        stop.set()
        thread.join()


def test_the_child_is_given_the_table_without_its_entries(entries):
    """Spawned, the child is sent its arguments: the entries would take seconds to pickle."""
    t = analysis._table(entries)
    lean = analysis._lean_table(t)
    assert lean.entries == () and t.entries is entries
    for column in ("event", "action", "source", "analysis"):
        assert lean.column(column) == [getattr(e, column) for e in entries]
    assert (lean.index == t.index).all() and (lean.code == t.code).all()


def test_gaps_reads_a_large_review_beside_where_it_pays(monkeypatch, tmp_path, entries, alone):
    """The pipeline (gaps, new-imr, the API) gives `beside` to the analysis where it pays."""
    from sarkit.pipeline import chronology

    monkeypatch.setattr(analysis, "_BESIDE_FROM", 1)
    calls: list[int] = []
    monkeypatch.setattr(chronology, "beside", in_process(calls))
    for pays in (True, False):
        monkeypatch.setattr(chronology, "beside_pays", lambda entries, pays=pays: pays)
        found = trails_through_the_pipeline(entries)
        assert analysis_to_json(found)["trails"] == alone["trails"]
    assert calls == [180]  # only where it pays


def trails_through_the_pipeline(entries: list[Entry]) -> analysis.Analysis:
    from sarkit.account import Account
    from sarkit.collate import Collation
    from sarkit.pipeline.chronology import AnalysedChronology, add_trails_and_patterns

    review = Review(agencies=AGENCIES)
    collation = Collation(review=review, entries=entries, results=[], findings=[], agencies=[],
                          analysis=analysis.Analysis(), account=Account(entries=len(entries)))
    add_trails_and_patterns(AnalysedChronology(collation=collation, source="returns"))
    return collation.analysis


def test_sarkit_gaps_gives_the_same_json_with_the_child_as_without(monkeypatch, tmp_path):
    """The command itself on the example review, read in one process (its 95 entries are too
    few for a spawned child), then with the thresholds lowered in two: spawned, and forked where
    fork exists. The same JSON each time."""
    import json
    import shutil
    from pathlib import Path

    from typer.testing import CliRunner

    from sarkit.cli import app
    from sarkit.pipeline import chronology

    examples = Path(__file__).resolve().parents[1] / "examples"
    shutil.copytree(examples, tmp_path / "examples", ignore=shutil.ignore_patterns("out"))
    monkeypatch.chdir(tmp_path / "examples")
    started: list[str] = []

    def counted(function, *args):
        started.append(function.__name__)
        return beside(function, *args)

    monkeypatch.setattr(chronology, "beside", counted)

    def gaps_json(method: str) -> dict:
        monkeypatch.setenv(START_METHOD_VARIABLE, method)
        result = CliRunner().invoke(app, ["gaps", "--format", "json"])
        assert result.exit_code == 1, result.output  # the example has two rejected rows
        return json.loads(result.stdout)

    alone = gaps_json("spawn")
    assert started == [] and len(alone["trails"]) == 13 and alone["patterns"]
    monkeypatch.setattr(analysis, "_BESIDE_FROM", 1)
    monkeypatch.setattr(workers, "SPAWN_BESIDE_FROM", 1)
    assert gaps_json("spawn") == alone
    assert started == ["_read_part"]
    if "fork" in methods():
        assert gaps_json("fork") == alone
        assert started == ["_read_part"] * 2
