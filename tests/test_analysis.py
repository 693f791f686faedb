"""Tests for sarkit.analysis: gaps, overlaps, communication, duplicates, missing returns, flags."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sarkit.analysis as analysis_module
from sarkit.analysis import (
    Analysis,
    Gap,
    Overlap,
    PossibleDuplicate,
    analyse,
    analysis_to_json,
    flags_for,
)
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.review import Agency

D = dt.date.fromisoformat

GP = Agency("General Practice", "GP", ("surgery",))
ASC = Agency("Adult Social Care", "ASC", ("social worker",))
POLICE = Agency("Metropolitan Police", "Police", ("PC ", "MPS"))
AGENCIES = [GP, ASC, POLICE]


def pdate(text: str) -> PartialDate:
    """'2024-05-03', '2024-05' (month precision) or '2024' (year precision)."""
    parts = [int(p) for p in text.split("-")]
    return PartialDate(*parts)


_counter = iter(range(1, 1_000_000))


def entry(
    agency: str, date: str, *, ref: str | None = None, end: str | None = None,
    event: str = "Contact with Adult B", action: str = "", source: str = "Case notes",
    analysis: str = "",
) -> Entry:
    return Entry(
        agency=agency, date=pdate(date), end_date=pdate(end) if end else None, source=source,
        event=event, action=action, analysis=analysis,
        ref=ref if ref is not None else f"X{next(_counter)}",
    )


def numbered(*entries: Entry) -> list[Entry]:
    """Give entries refs C1, C2… in the order written (as collate numbers the chronology)."""
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    return list(entries)


def gaps_of(analysis: Analysis, kind: str) -> list[Gap]:
    return [g for g in analysis.gaps if g.kind == kind]


# --------------------------------------------------------------------------------------------
# All-agency gaps


def test_all_agency_gaps_include_the_review_start_and_end():
    entries = numbered(
        entry("GP", "2024-02-10"),
        entry("ASC", "2024-02-20"),
        entry("GP", "2024-05-01"),
        entry("ASC", "2024-11-15"),
    )
    result = analyse(entries, period=(D("2024-01-01"), D("2024-12-31")), gap_days=28)
    assert gaps_of(result, "all-agency") == [
        Gap("all-agency", None, D("2024-01-01"), D("2024-02-09"), 40, None, "C1"),
        Gap("all-agency", None, D("2024-02-21"), D("2024-04-30"), 70, "C2", "C3"),
        Gap("all-agency", None, D("2024-05-02"), D("2024-11-14"), 197, "C3", "C4"),
        Gap("all-agency", None, D("2024-11-16"), D("2024-12-31"), 46, "C4", None),
    ]


def test_gap_days_is_a_minimum_and_counts_both_ends():
    entries = numbered(entry("GP", "2024-03-01"), entry("GP", "2024-03-30"))  # 28 silent days
    assert [g.days for g in gaps_of(analyse(entries, gap_days=28), "all-agency")] == [28]
    assert gaps_of(analyse(entries, gap_days=29), "all-agency") == []


def test_without_a_period_the_review_runs_from_first_to_last_entry():
    entries = numbered(entry("GP", "2024-02-10"), entry("ASC", "2024-04-01"))
    assert gaps_of(analyse(entries), "all-agency") == [
        Gap("all-agency", None, D("2024-02-11"), D("2024-03-31"), 50, "C1", "C2"),
    ]


def test_one_sided_period():
    entries = numbered(entry("GP", "2024-02-10"), entry("ASC", "2024-02-12"))
    start_only = analyse(entries, period=(D("2024-01-01"), None))
    assert gaps_of(start_only, "all-agency") == [
        Gap("all-agency", None, D("2024-01-01"), D("2024-02-09"), 40, None, "C1"),
    ]
    end_only = analyse(entries, period=(None, D("2024-03-31")))
    assert gaps_of(end_only, "all-agency") == [
        Gap("all-agency", None, D("2024-02-13"), D("2024-03-31"), 48, "C2", None),
    ]


def test_gaps_are_clipped_to_the_review_period():
    entries = numbered(
        entry("GP", "2023-11-01"),  # before the review period
        entry("GP", "2024-02-01"),
        entry("ASC", "2024-02-02"),
        entry("ASC", "2024-09-01"),  # after it
    )
    result = analyse(entries, period=(D("2024-01-01"), D("2024-06-30")), gap_days=28)
    assert gaps_of(result, "all-agency") == [
        Gap("all-agency", None, D("2024-01-01"), D("2024-01-31"), 31, "C1", "C2"),
        Gap("all-agency", None, D("2024-02-03"), D("2024-06-30"), 149, "C3", "C4"),
    ]
    assert gaps_of(result, "agency") == [
        Gap("agency", "ASC", D("2024-02-03"), D("2024-06-30"), 149, "C3", "C4", 0, 0),
        Gap("agency", "GP", D("2024-01-01"), D("2024-01-31"), 31, "C1", "C2", 0, 0),
    ]


def test_no_entries():
    period = (D("2024-01-01"), D("2024-01-31"))
    assert analyse([], period=period).gaps == [
        Gap("all-agency", None, D("2024-01-01"), D("2024-01-31"), 31),
    ]
    assert analyse([]) == Analysis()
    assert analyse([], period=period, gap_days=32).gaps == []


# --------------------------------------------------------------------------------------------
# End dates


def test_an_end_date_covers_every_day_to_the_end_date():
    entries = numbered(
        entry("Hospital", "2024-03-01", end="2024-04-30", event="Admitted to ward 4"),
        entry("ASC", "2024-03-05"),
        entry("Hospital", "2024-03-10"),
        entry("ASC", "2024-05-10"),
        entry("Hospital", "2024-06-14"),
    )
    result = analyse(entries, gap_days=28)
    assert gaps_of(result, "all-agency") == [  # none in March and April: the stay covers them
        Gap("all-agency", None, D("2024-05-11"), D("2024-06-13"), 34, "C4", "C5"),
    ]
    # The Hospital's silence starts after the stay; the stay (not the later C3) is before it.
    assert gaps_of(result, "agency") == [  # agencies A-Z when review.toml lists none
        Gap("agency", "ASC", D("2024-03-06"), D("2024-05-09"), 65, "C2", "C4", 1, 2),
        Gap("agency", "Hospital", D("2024-05-01"), D("2024-06-13"), 44, "C1", "C5", 1, 1),
    ]


def test_an_end_date_with_month_precision_covers_the_whole_month():
    entries = numbered(
        entry("Hospital", "2024-01-10", end="2024-02"),
        entry("Hospital", "2024-03-31"),
    )
    assert gaps_of(analyse(entries, gap_days=28), "agency") == [
        Gap("agency", "Hospital", D("2024-03-01"), D("2024-03-30"), 30, "C1", "C2"),
    ]


def test_an_end_date_before_the_date_covers_the_date_only():
    entries = numbered(entry("GP", "2024-03-10", end="2024-03-01"), entry("GP", "2024-04-10"))
    assert [(g.start, g.days) for g in gaps_of(analyse(entries), "agency")] == [
        (D("2024-03-11"), 30),
    ]


def test_month_and_year_precision_count_on_their_first_day():
    entries = numbered(entry("GP", "2024-05"), entry("GP", "2024-06-15"), entry("GP", "2025"))
    assert [(g.start, g.end) for g in gaps_of(analyse(entries), "agency")] == [
        (D("2024-05-02"), D("2024-06-14")),
        (D("2024-06-16"), D("2024-12-31")),
    ]


# --------------------------------------------------------------------------------------------
# Agency gaps


def test_agency_gap_counts_other_agencies_and_their_entries():
    entries = numbered(
        entry("GP", "2024-01-01"),
        entry("ASC", "2024-01-15"),
        entry("ASC", "2024-02-01"),
        entry("Police", "2024-02-10"),
        entry("GP", "2024-03-01"),
        entry("Police", "2024-03-02"),  # after the GP's gap
    )
    result = analyse(entries, gap_days=28)
    assert gaps_of(result, "agency") == [
        Gap("agency", "GP", D("2024-01-02"), D("2024-02-29"), 59, "C1", "C5", 2, 3),
    ]


def test_other_agencies_entries_reaching_into_the_gap_count():
    entries = numbered(
        entry("Police", "2023-12-20", end="2024-01-05"),  # custody, into the GP's gap
        entry("GP", "2024-01-01"),
        entry("GP", "2024-03-01"),
    )
    gap = gaps_of(analyse(entries), "agency")[0]
    assert (gap.agency, gap.start, gap.others_active, gap.others_entries) == (
        "GP", D("2024-01-02"), 1, 1)


def test_agency_gaps_are_only_between_an_agencys_own_entries():
    entries = numbered(
        entry("GP", "2024-01-01"),
        entry("ASC", "2024-06-01"),
        entry("ASC", "2024-06-02"),
    )
    result = analyse(entries, period=(D("2023-01-01"), D("2024-12-31")))
    assert gaps_of(result, "agency") == []


def test_agency_gaps_in_review_order_then_by_date():
    entries = numbered(
        entry("Adult Social Care", "2024-01-01"),
        entry("General Practice", "2024-01-02"),
        entry("Adult Social Care", "2024-03-01"),
        entry("General Practice", "2024-03-02"),
        entry("Adult Social Care", "2024-05-01"),
    )
    gaps = gaps_of(analyse(entries, agencies=AGENCIES), "agency")
    assert [(g.agency, g.after_ref) for g in gaps] == [
        ("General Practice", "C4"),
        ("Adult Social Care", "C3"),
        ("Adult Social Care", "C5"),
    ]


def test_entries_need_not_be_sorted():
    entries = numbered(
        entry("GP", "2024-01-01"),
        entry("ASC", "2024-01-15"),
        entry("GP", "2024-03-01"),
        entry("ASC", "2024-03-02", event="Referred to GP"),
        entry("Police", "2024-06-01"),
    )
    period = (D("2023-12-01"), D("2024-07-31"))
    expected = analyse(entries, period=period, window_days=1)
    assert len(expected.gaps) == 6 and len(expected.overlaps) == 1
    shuffled = entries[:]
    random.Random(4).shuffle(shuffled)
    assert analyse(shuffled, period=period, window_days=1) == expected


# --------------------------------------------------------------------------------------------
# Author notes


def test_notes_are_not_activity():
    entries = numbered(
        entry("GP", "2024-01-01"),
        entry("GP", "2024-01-20", source="# Author's note", event="Records for this month lost"),
        entry("ASC", "2024-01-20", source="#", event="Records for this month lost"),
        entry("GP", "2024-03-01"),
        entry("ASC", "2024-03-01", source="# note"),
    )
    result = analyse(entries, gap_days=28)
    assert gaps_of(result, "agency") == [
        Gap("agency", "GP", D("2024-01-02"), D("2024-02-29"), 59, "C1", "C4", 0, 0),
    ]
    assert gaps_of(result, "all-agency") == [
        Gap("all-agency", None, D("2024-01-02"), D("2024-02-29"), 59, "C1", "C4"),
    ]
    assert result.overlaps == []
    assert result.duplicates == []


# --------------------------------------------------------------------------------------------
# Missing returns


def test_missing_returns_match_names_exactly_or_ignoring_case():
    result = analyse([], agencies=AGENCIES, returned=["general practice", "ASC"])
    assert result.missing_returns == ["Metropolitan Police"]
    assert result.gaps == [Gap("missing-return", "Metropolitan Police")]


def test_an_agency_with_entries_has_returned():
    entries = numbered(entry("Metropolitan Police", "2024-01-01"))
    result = analyse(entries, agencies=AGENCIES, returned=["General Practice"])
    assert result.missing_returns == ["Adult Social Care"]


def test_missing_returns_come_after_the_other_gaps():
    entries = numbered(entry("General Practice", "2024-01-01"),
                       entry("General Practice", "2024-03-01"))
    kinds = [g.kind for g in analyse(entries, agencies=AGENCIES).gaps]
    assert kinds == ["all-agency", "agency", "missing-return", "missing-return"]


# --------------------------------------------------------------------------------------------
# Overlaps


def test_overlaps_same_day():
    entries = numbered(
        entry("GP", "2024-01-01"),
        entry("ASC", "2024-01-01"),
        entry("GP", "2024-01-02"),
        entry("GP", "2024-01-05"),
        entry("GP", "2024-01-05"),  # one agency twice: not an overlap
        entry("Police", "2024-01-09"),
        entry("ASC", "2024-01-09"),
        entry("GP", "2024-01-09"),
    )
    assert analyse(entries, window_days=0).overlaps == [
        Overlap("O1", D("2024-01-01"), D("2024-01-01"), ("GP", "ASC"), ("C1", "C2"),
                "none recorded", looked_for=("GP", "ASC")),
        Overlap("O2", D("2024-01-09"), D("2024-01-09"), ("Police", "ASC", "GP"),
                ("C6", "C7", "C8"), "none recorded", looked_for=("Police", "ASC", "GP")),
    ]


def test_overlaps_chain_within_the_window():
    entries = numbered(
        entry("GP", "2024-03-01"),
        entry("ASC", "2024-03-03"),
        entry("Police", "2024-03-05"),  # 4 days after the GP, but 2 after ASC: single linkage
        entry("GP", "2024-03-09"),  # 4 days later: a cluster of its own
        entry("GP", "2024-03-20"),
        entry("GP", "2024-03-22"),  # GP alone: not an overlap
        entry("ASC", "2024-03-26"),  # 4 days later
    )
    assert analyse(entries, window_days=2).overlaps == [
        Overlap("O1", D("2024-03-01"), D("2024-03-05"), ("GP", "ASC", "Police"),
                ("C1", "C2", "C3"), "none recorded", looked_for=("GP", "ASC", "Police")),
    ]
    assert [(o.start, o.end, o.refs) for o in analyse(entries, window_days=4).overlaps] == [
        (D("2024-03-01"), D("2024-03-09"), ("C1", "C2", "C3", "C4")),
        (D("2024-03-20"), D("2024-03-26"), ("C5", "C6", "C7")),
    ]
    assert analyse(entries, window_days=0).overlaps == []


def test_an_entry_counts_on_its_date_and_on_its_end_date():
    entries = numbered(
        entry("Hospital", "2024-04-01", end="2024-04-20", event="Inpatient stay"),
        entry("Police", "2024-04-01"),
        entry("GP", "2024-04-10"),  # inside the stay, but not on either of its days
        entry("ASC", "2024-04-20"),
    )
    assert [(o.id, o.start, o.agencies, o.refs) for o in analyse(entries).overlaps] == [
        ("O1", D("2024-04-01"), ("Hospital", "Police"), ("C1", "C2")),
        ("O2", D("2024-04-20"), ("Hospital", "ASC"), ("C1", "C4")),
    ]


def test_an_entry_in_a_cluster_twice_is_listed_once_in_chronology_order():
    entries = numbered(
        entry("GP", "2024-04-01"),
        entry("Hospital", "2024-04-02", end="2024-04-03"),
        entry("ASC", "2024-04-03"),
    )
    assert [(o.start, o.end, o.refs) for o in analyse(entries, window_days=1).overlaps] == [
        (D("2024-04-01"), D("2024-04-03"), ("C1", "C2", "C3")),
    ]


def test_overlap_agencies_in_review_order_when_agencies_are_given():
    entries = numbered(
        entry("Metropolitan Police", "2024-01-01"),
        entry("Housing", "2024-01-01"),
        entry("General Practice", "2024-01-01"),
        entry("Adult Social Care", "2024-01-01"),
    )
    assert analyse(entries).overlaps[0].agencies == (
        "Metropolitan Police", "Housing", "General Practice", "Adult Social Care")
    assert analyse(entries, agencies=AGENCIES).overlaps[0].agencies == (
        "General Practice", "Adult Social Care", "Metropolitan Police", "Housing")


# --------------------------------------------------------------------------------------------
# Communication


@pytest.fixture(autouse=True, params=["read", "screened"])
def reading(request, monkeypatch):
    """Run every test twice: entries read one by one, and screened together first (the way a
    big chronology is read)."""
    if request.param == "screened":
        monkeypatch.setattr(analysis_module, "_FIRST_LOOK", 0)
        monkeypatch.setattr(analysis_module, "_SCREEN_FROM", 0)
    return request.param


def _communication(*entries: Entry) -> str:
    [overlap] = analyse(numbered(*entries), agencies=AGENCIES).overlaps
    return overlap.communication


def test_communication_none_recorded():
    assert _communication(
        entry("General Practice", "2024-01-01", event="Appointment, BP checked"),
        entry("Adult Social Care", "2024-01-01", event="Home visit"),
    ) == "none recorded"


def test_communication_by_short_name():
    assert _communication(
        entry("General Practice", "2024-01-01", event="Appointment"),
        entry("Adult Social Care", "2024-01-01", event="Home visit", action="Referred to GP."),
    ) == "recorded"


def test_communication_by_alias_with_a_trailing_space():
    assert _communication(
        entry("Metropolitan Police", "2024-01-01", event="Welfare check"),
        entry("Adult Social Care", "2024-01-01", event="Call from pc Jones about Adult B"),
    ) == "recorded"
    assert _communication(
        entry("Metropolitan Police", "2024-01-01", event="Welfare check"),
        entry("Adult Social Care", "2024-01-01", event="Adult B's PCs and laptop"),
    ) == "none recorded"


def test_communication_by_full_name_and_in_every_text_column():
    assert _communication(
        entry("General Practice", "2024-01-01", analysis="Shared with adult social care"),
        entry("Adult Social Care", "2024-01-01"),
    ) == "recorded"
    # 'should have told': a hypothetical, so nothing was shared
    assert _communication(
        entry("General Practice", "2024-01-01", analysis="Should have told adult social care"),
        entry("Adult Social Care", "2024-01-01"),
    ) == "none recorded"
    assert _communication(
        entry("General Practice", "2024-01-01", source="Letter from the Social Worker"),
        entry("Adult Social Care", "2024-01-01"),
    ) == "recorded"


def test_communication_needs_another_agency_of_the_cluster():
    # Naming itself, or an agency that is not in the overlap, is not communication.
    assert _communication(
        entry("General Practice", "2024-01-01", event="GP appointment at the surgery"),
        entry("Adult Social Care", "2024-01-01", event="Told the police"),
    ) == "none recorded"


def test_communication_names_match_whole_words():
    assert _communication(
        entry("General Practice", "2024-01-01"),
        entry("Adult Social Care", "2024-01-01", event="GPS tag fitted; ASCII form"),
    ) == "none recorded"


def test_communication_with_an_agency_not_in_review_toml():
    assert _communication(
        entry("Housing", "2024-01-01", event="Tenancy visit"),
        entry("Adult Social Care", "2024-01-01", event="Spoke to housing officer"),
    ) == "recorded"


def test_communication_with_texts_not_in_ascii():
    assert _communication(
        entry("General Practice", "2024-01-01"),
        entry("Adult Social Care", "2024-01-01", event="Café visit; told the GP’s receptionist"),
    ) == "recorded"
    assert _communication(
        entry("General Practice", "2024-01-01"),
        entry("Adult Social Care", "2024-01-01", event="Café visit; GPé"),
    ) == "none recorded"


def test_communication_in_a_big_overlap():
    crowd = [entry(name, "2024-01-01", event=f"Contact {i}")
             for i in range(30) for name in ("General Practice", "Adult Social Care")]
    assert _communication(*crowd) == "none recorded"
    crowd[45].source = "Letter to the surgery"  # an ASC entry, naming the GP by an alias
    assert _communication(*crowd) == "recorded"
    crowd[45].source = "Case notes"
    crowd[50].analysis = "The GP should have been told"  # a GP entry naming itself
    assert _communication(*crowd) == "none recorded"


_PIECES = ["gp", "GP", "gps", "pc ", "PC", "pcs", "adult social care", "Adult  social care",
           "social worker", "police", "Police.", "surgery", "mps", "x", "é", "’", " ", " ",
           ", ", ".", "-", "_", "\n", "\x00", "care", "adult", "social", "9", "ASC", "asc1"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), min_size=1,
                max_size=12))
def test_the_quick_screen_never_misses_a_name(texts):
    mentions = analysis_module._Mentions(["General Practice", "Adult Social Care",
                                          "Metropolitan Police"], AGENCIES)
    screened = analysis_module._may_name(texts, mentions.screen)
    for text, passed in zip(texts, screened, strict=True):
        if mentions.pattern.search(text.casefold()):
            assert passed, text
        elif text.isascii() and not any(w in text.lower() for w in (b.decode() for b in mentions.screen)):
            assert not passed, text


# --------------------------------------------------------------------------------------------
# Possible duplicates

JOINT = "Joint visit to Adult B at home; concerns about self-neglect discussed."


def test_identical_texts_apart_from_case_spacing_and_punctuation():
    entries = numbered(
        entry("GP", "2024-01-01", event=JOINT),
        entry("ASC", "2024-01-01", event="joint visit to adult B at home -  concerns about "
                                         "self neglect discussed"),
        entry("ASC", "2024-01-02", event=JOINT),  # another day
        entry("GP", "2024-01-02", event="Telephone call to Adult B, no answer, voicemail left"),
    )
    assert analyse(entries).duplicates == [
        PossibleDuplicate(D("2024-01-01"), ("C1", "C2"), ("GP", "ASC"), 1.0),
    ]


def test_near_identical_texts():
    entries = numbered(
        entry("GP", "2024-01-01", event=JOINT),
        entry("ASC", "2024-01-01", event=JOINT.replace("discussed", "discused")),
        entry("Police", "2024-01-01", event="Joint visit to Adult B at home; no concerns."),
    )
    [duplicate] = analyse(entries).duplicates
    assert duplicate.refs == ("C1", "C2")
    assert duplicate.agencies == ("GP", "ASC")
    assert 0.9 <= duplicate.similarity < 1.0


def test_duplicates_need_two_agencies_and_enough_text():
    entries = numbered(
        entry("GP", "2024-01-01", event=JOINT),
        entry("GP", "2024-01-01", event=JOINT),  # the same agency
        entry("GP", "2024-01-02", event="DNA"),
        entry("ASC", "2024-01-02", event="DNA"),  # too short to tell
    )
    assert analyse(entries).duplicates == []


def test_duplicates_need_the_same_precision():
    entries = numbered(
        entry("GP", "2024-01", event=JOINT),
        entry("ASC", "2024-01-01", event=JOINT),
    )
    assert analyse(entries).duplicates == []


def test_identical_texts_on_a_busy_day():
    busy = [entry(f"Agency {i % 7}", "2024-01-01", event=f"Routine contact number {i} recorded")
            for i in range(40)]
    busy.insert(10, entry("GP", "2024-01-01", event=JOINT))
    busy.insert(30, entry("ASC", "2024-01-01", event=JOINT.upper() + "  "))
    busy.append(entry("Police", "2024-01-01", event=JOINT))
    entries = numbered(*busy)
    assert [(d.refs, d.agencies, d.similarity) for d in analyse(entries).duplicates] == [
        (("C11", "C31"), ("GP", "ASC"), 1.0),
        (("C11", "C43"), ("GP", "Police"), 1.0),
    ]


def difflib_similarity(a: bytes, b: bytes, words_a: frozenset[str], words_b: frozenset[str]) -> float:
    """The duplicate check's similarity as it was before rapidfuzz: the reference every decision
    is compared with."""
    from difflib import SequenceMatcher

    la, lb = len(a), len(b)
    if 2 * min(la, lb) < analysis_module.DUPLICATE_SIMILARITY * (la + lb):
        return 0.0
    if 2 * len(words_a & words_b) < analysis_module._DUPLICATE_WORDS * (len(words_a) + len(words_b)):
        return 0.0
    limit = analysis_module._DUPLICATE_MAX_CHARS
    matcher = SequenceMatcher(None, a[:limit], b[:limit], autojunk=False)
    if matcher.quick_ratio() < analysis_module.DUPLICATE_SIMILARITY:
        return 0.0
    return matcher.ratio()


def both_similarities(text_a: str, text_b: str) -> tuple[float | None, float | None]:
    """The decision of today's check and of the reference: the similarity reported for a
    possible duplicate, or None for no duplicate (the value below the threshold is never used)."""
    (a, b), words = analysis_module._duplicate_keys([text_a, text_b]), analysis_module._words
    values = (analysis_module._similarity(a, b, words(text_a), words(text_b)),
              difflib_similarity(a, b, words(text_a), words(text_b)))
    return tuple(v if v >= analysis_module.DUPLICATE_SIMILARITY else None for v in values)


_WORDS = ["visit", "adult", "home", "call", "GP", "nurse", "concerns", "self-neglect", "Adult B",
          "discussed", "référé", "café", "ward", "no", "answer", "12", "2024", "x"]


@st.composite
def near_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """A text and a copy with a few characters deleted, inserted, changed or words swapped: the
    pairs near the 0.9 threshold, where a wrong shortcut would show."""
    text = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=3, max_size=40)))
    text += draw(st.text(alphabet="abcxyz0123 ;,.é", max_size=30))
    copy = list(text)
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["delete", "insert", "change", "swap"]))
        at = draw(st.integers(0, max(len(copy) - 1, 0)))
        char = draw(st.sampled_from("abcxyz 0é"))
        if kind == "delete" and copy:
            del copy[at]
        elif kind == "insert":
            copy.insert(at, char)
        elif kind == "change" and copy:
            copy[at] = char
        elif kind == "swap" and len(copy) > 1:
            other = draw(st.integers(0, len(copy) - 1))
            copy[at], copy[other] = copy[other], copy[at]
    return text, "".join(copy)


@settings(max_examples=600, deadline=None)
@given(near_pairs())
def test_similarity_decides_as_difflib_on_near_pairs(pair: tuple[str, str]) -> None:
    fast, reference = both_similarities(*pair)
    assert fast == reference


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab cd", max_size=60), st.text(alphabet="ab cd", max_size=60))
def test_similarity_decides_as_difflib_on_any_pair(text_a: str, text_b: str) -> None:
    fast, reference = both_similarities(text_a, text_b)
    assert fast == reference


def test_similarity_of_long_texts_is_measured_on_their_first_characters_as_before() -> None:
    base = "Home visit; Adult B seen with the district nurse, concerns discussed. " * 40
    assert len(analysis_module._duplicate_keys([base])[0]) > analysis_module._DUPLICATE_MAX_CHARS
    pairs = [(base, base[:2500] + "different ending " * 20), (base, base.replace("seen", "met", 3))]
    results = [both_similarities(a, b) for a, b in pairs]
    assert [fast for fast, _ in results] == [reference for _, reference in results]
    assert all(fast is not None and fast >= 0.9 for fast, _ in results)


def test_pairs_the_common_subsequence_rules_out_never_reach_difflib(monkeypatch) -> None:
    """The same words in another order: lengths and words agree, difflib's quick_ratio is 1.0,
    but the longest common subsequence is far too short, so difflib is never run."""
    calls = []

    class Counting(analysis_module.SequenceMatcher):
        def __init__(self, *args, **kwargs) -> None:
            calls.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(analysis_module, "SequenceMatcher", Counting)
    shuffled = "discussed concerns home at B Adult to visit Joint self-neglect about"
    assert both_similarities(JOINT, shuffled) == (None, None)
    assert calls == []
    near = JOINT.replace("discussed", "discused")
    fast, reference = both_similarities(JOINT, near)
    assert fast == reference
    assert fast is not None and fast >= 0.9
    assert len(calls) == 1  # the one survivor, measured by difflib  # the one survivor, measured by difflib


# --------------------------------------------------------------------------------------------
# Flags and JSON


def test_flags_for():
    entries = numbered(
        entry("GP", "2024-01-10"),
        entry("ASC", "2024-01-10", event=JOINT),
        entry("Police", "2024-01-10", event=JOINT),
        entry("GP", "2024-03-01"),
        entry("ASC", "2024-03-15"),
    )
    result = analyse(entries, period=(D("2024-01-01"), D("2024-05-31")), gap_days=28)
    assert flags_for(entries, result) == {
        "C1": ["multi-agency O1"],
        "C2": ["multi-agency O1", "possible duplicate of C3"],
        "C3": ["multi-agency O1", "possible duplicate of C2"],
        "C4": ["all-agency gap of 50 days before", "gap of 50 days before"],
        "C5": ["all-agency gap of 77 days after", "gap of 64 days before"],
    }


def test_flags_say_day_for_one_day():
    entries = numbered(entry("GP", "2024-01-01"), entry("GP", "2024-01-03"))
    assert flags_for(entries, analyse(entries, gap_days=1)) == {
        "C2": ["all-agency gap of 1 day before", "gap of 1 day before"],
    }


def test_analysis_to_json():
    entries = numbered(
        entry("General Practice", "2024-01-10"),
        entry("Adult Social Care", "2024-01-10", action="Informed the GP"),
        entry("General Practice", "2024-03-01"),
    )
    result = analyse(entries, agencies=AGENCIES, returned=["General Practice"],
                     period=(D("2024-01-01"), D("2024-03-01")), gap_days=28)
    data = analysis_to_json(result)
    assert json.loads(json.dumps(data)) == data
    assert list(data) == ["gaps", "overlaps", "duplicates", "missing_returns", "unusable_returns",
                          "trails", "referral_window_days", "patterns"]
    assert data["gaps"][:2] == [
        {"kind": "all-agency", "agency": None, "start": "2024-01-11", "end": "2024-02-29",
         "days": 50, "before_ref": "C2", "after_ref": "C3", "others_active": 0,
         "others_entries": 0},
        {"kind": "agency", "agency": "General Practice", "start": "2024-01-11",
         "end": "2024-02-29", "days": 50, "before_ref": "C1", "after_ref": "C3",
         "others_active": 0, "others_entries": 0},
    ]
    assert data["gaps"][2]["kind"] == "missing-return"
    assert data["gaps"][2]["start"] is None
    assert data["overlaps"] == [
        {"id": "O1", "start": "2024-01-10", "end": "2024-01-10",
         "agencies": ["General Practice", "Adult Social Care"], "refs": ["C1", "C2"],
         "communication": "recorded", "evidence": [{"ref": "C2", "words": "Informed the GP"}],
         "looked_for": []},
    ]
    assert data["trails"] == [] and data["patterns"] == []  # no vocabulary given
    assert data["duplicates"] == []
    assert data["missing_returns"] == ["Metropolitan Police"]


# --------------------------------------------------------------------------------------------
# Against a plain day-by-day reference, on random chronologies


def _runs(days: list[int], covered: set[int]) -> list[tuple[int, int]]:
    """Runs of consecutive days not in `covered`, as (first, last)."""
    runs: list[list[int]] = []
    for day in days:
        if day in covered:
            continue
        if runs and runs[-1][1] == day - 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def _reference(entries: list[Entry], period, gap_days: int, window: int):
    acts = [e for e in entries if not e.is_note]
    o = dt.date.toordinal
    span = {e.ref: (o(e.first_day), o(e.last_day)) for e in acts}
    covered = {d for f, last in span.values() for d in range(f, last + 1)}
    lo = o(period[0]) if period[0] else min(f for f, _ in span.values())
    hi = o(period[1]) if period[1] else max(last for _, last in span.values())
    days = list(range(lo, hi + 1))
    all_gaps = [(s, e) for s, e in _runs(days, covered) if e - s + 1 >= gap_days]
    agency_gaps = set()
    for agency in {e.agency for e in acts}:
        mine = [span[e.ref] for e in acts if e.agency == agency]
        own = {d for f, last in mine for d in range(f, last + 1)}
        a_lo = max(min(f for f, _ in mine), o(period[0]) if period[0] else -10**9)
        a_hi = min(max(f for f, _ in mine), o(period[1]) if period[1] else 10**9)
        for s, e in _runs(list(range(a_lo, a_hi + 1)), own):
            if e - s + 1 >= gap_days:
                others = [x for x in acts if x.agency != agency
                          and span[x.ref][0] <= e and span[x.ref][1] >= s]
                agency_gaps.add((agency, s, e, len({x.agency for x in others}), len(others)))
    dated = [e for e in acts if e.date.day is not None]  # a 'May 2025' entry is on no day
    points = sorted([(span[e.ref][0], e) for e in dated]
                    + [(span[e.ref][1], e) for e in dated
                       if e.end_date is not None and span[e.ref][1] != span[e.ref][0]],
                    key=lambda p: p[0])
    clusters, current = [], []
    for day, e in points:
        if current and day - current[-1][0] > window:
            clusters.append(current)
            current = []
        current.append((day, e))
    if current:
        clusters.append(current)
    overlaps = [(c[0][0], c[-1][0], frozenset(e.ref for _, e in c)) for c in clusters
                if len({e.agency for _, e in c}) >= 2]
    return all_gaps, agency_gaps, overlaps


_dates = st.builds(dt.date.fromordinal,
                   st.integers(dt.date(2024, 1, 1).toordinal(), dt.date(2024, 6, 30).toordinal()))


@st.composite
def _chronologies(draw):
    count = draw(st.integers(1, 25))
    entries = []
    for _ in range(count):
        start = draw(_dates)
        end = draw(st.one_of(st.none(), st.integers(0, 40)))
        end_date = None
        if end is not None:
            last = dt.date.fromordinal(start.toordinal() + end)
            end_date = PartialDate(last.year, last.month, last.day)
        date = PartialDate(start.year, start.month, start.day)
        if draw(st.integers(0, 9)) == 0:
            date = PartialDate(start.year, start.month)  # month precision: on the 1st
        entries.append(Entry(
            agency=draw(st.sampled_from(["GP", "ASC", "Police"])),
            date=date, end_date=end_date,
            source=draw(st.sampled_from(["Case notes", "Case notes", "# note"])),
            event="Contact",
        ))
    entries.sort(key=lambda e: e.first_day)  # as collate orders and numbers them
    return numbered(*entries)


@settings(max_examples=150, deadline=None)
@given(
    _chronologies(),
    st.sampled_from([(None, None), (dt.date(2024, 2, 1), dt.date(2024, 5, 31)),
                     (dt.date(2023, 12, 1), None)]),
    st.integers(1, 30),
    st.integers(0, 5),
)
def test_matches_a_day_by_day_reference(entries, period, gap_days, window):
    if all(e.is_note for e in entries):
        entries[0].source = "Case notes"
    result = analyse(entries, period=period, gap_days=gap_days, window_days=window)
    all_gaps, agency_gaps, overlaps = _reference(entries, period, gap_days, window)
    o = dt.date.toordinal
    assert [(o(g.start), o(g.end)) for g in gaps_of(result, "all-agency")] == all_gaps
    assert all(g.days == (g.end - g.start).days + 1 for g in result.gaps if g.start)
    assert {(g.agency, o(g.start), o(g.end), g.others_active, g.others_entries)
            for g in gaps_of(result, "agency")} == agency_gaps
    assert [(o(x.start), o(x.end), frozenset(x.refs)) for x in result.overlaps] == overlaps
    assert [x.id for x in result.overlaps] == [f"O{i}" for i in range(1, len(overlaps) + 1)]
    # The entries around each gap: the last to cover a day before it, the first after it.
    acts = [e for e in entries if not e.is_note]
    for gap in gaps_of(result, "all-agency") + gaps_of(result, "agency"):
        mine = [e for e in acts if gap.kind == "all-agency" or e.agency == gap.agency]
        before = [e for e in mine if e.first_day < gap.start]
        after = [e for e in mine if e.first_day > gap.end]
        latest = max((e.last_day for e in before), default=None)
        assert gap.before_ref == next(
            (e.ref for e in reversed(before) if e.last_day == latest), None)
        assert gap.after_ref == (after[0].ref if after else None)
    for overlap in result.overlaps:
        assert len(set(overlap.refs)) == len(overlap.refs)
        assert list(overlap.refs) == sorted(overlap.refs, key=lambda r: int(r[1:]))


def test_month_precision_entries_are_in_no_overlap():
    from sarkit.analysis import analyse as run_analysis
    from sarkit.dates import PartialDate
    from sarkit.entries import Entry

    entries = [
        Entry(agency="GP", date=PartialDate(2025, 5, None), source="Notes", event="Seen in May",
              ref="C1"),
        Entry(agency="ASC", date=PartialDate(2025, 5, 1), source="Notes", event="Visit", ref="C2"),
        Entry(agency="Police", date=PartialDate(2025, 5, 1), source="Log", event="Call", ref="C3"),
    ]
    [overlap] = run_analysis(entries).overlaps
    assert overlap.refs == ("C2", "C3")


@pytest.mark.parametrize(("action", "communication"), [
    ("Referred to ASC", "recorded"),
    ("No referral made to ASC", "none recorded"),
    ("ASC were not informed", "none recorded"),
    ("Attended, no injuries, ASC informed", "recorded"),
    ("Not shared. Later the social care team was told", "recorded"),
])
def test_a_negated_mention_is_not_communication(action, communication):
    from sarkit.analysis import analyse as run_analysis
    from sarkit.dates import PartialDate
    from sarkit.entries import Entry
    from sarkit.review import Agency

    agencies = [Agency("Police", aliases=("police",)), Agency("ASC", aliases=("social care",))]
    entries = [
        Entry(agency="Police", date=PartialDate(2025, 5, 1), source="Log", event="Welfare check",
              action=action, ref="C1"),
        Entry(agency="ASC", date=PartialDate(2025, 5, 1), source="Notes", event="Visit", ref="C2"),
    ]
    [overlap] = run_analysis(entries, agencies=agencies).overlaps
    assert overlap.communication == communication
