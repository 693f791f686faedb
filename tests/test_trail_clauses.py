"""What practitioners' words say happened: negated, declined, considered, past and hypothetical
referrals open no trail and are no evidence; a trail's agency and its words come from one
clause; pattern counts leave out non-events (red-team report N, defects 1-7 and 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from sarkit.analysis import Evidence, PatternCount, analyse, trails_and_patterns
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.review import Agency, Review
from sarkit.vocabulary import vocabulary_for

GP = Agency("Riverside Medical Practice", "GP")
ASC = Agency("Northshire Adult Social Care", "ASC")
HOSP = Agency("Northshire Hospitals NHS Trust", "Hospital")
CMHT = Agency("Northshire Mental Health Trust", "Mental Health", ("CMHT",))
AMB = Agency("North West Ambulance Service", "Ambulance")
POLICE = Agency("Northshire Police", "Police")
AGENCIES = [GP, ASC, HOSP, CMHT, AMB, POLICE]
VOCABULARY = vocabulary_for(Review())


def entries_of(*rows: tuple[Agency, str, str]) -> list[Entry]:
    found = []
    for number, (agency, date, event) in enumerate(rows, start=1):
        y, m, d = (int(p) for p in date.split("-"))
        found.append(Entry(agency=agency.name, date=PartialDate(y, m, d), source="Records",
                           event=event, ref=f"C{number:04d}"))
    return found


def trails(*texts: str, agency: Agency = GP) -> list[tuple[str, str, str]]:
    """(ref, to agency, words) of the trails opened by one entry per text."""
    rows = [(agency, f"2025-03-{1 + 2 * i:02d}", text) for i, text in enumerate(texts)]
    found = trails_and_patterns(entries_of(*rows), agencies=AGENCIES, vocabulary=VOCABULARY).trails
    return [(t.ref, t.to_agency, t.words) for t in sorted(found, key=lambda t: t.id)]


@pytest.mark.parametrize("text", [
    "Declined referral to ASC",
    "Referral to ASC declined by pt",
    "ASC referral not made",
    "Referral to ASC not needed",
    "Considered a referral to CMHT but pt declined referral",
    "Previous referral (2019) to CMHT noted in records",
    "Adult refused to be referred to ASC",
    "Safeguarding referral to ASC not made - pt has capacity and declined",
    "Considered a referral to ASC but not felt necessary",
    "Will refer to ASC if no improvement",
    "Pt to self-refer to ASC",
    "Did not refer to ASC as carer now in place",
])
def test_a_referral_that_was_not_made_opens_no_trail(text):
    assert trails(text) == []


def test_negation_is_scoped_to_the_clause_of_the_referral():
    assert trails("No concerns. Referred to ASC.", "No injuries, referred to ASC",
                  "Referred to ASC as pt not coping", "Prior to discharge referred to ASC",
                  "Self-neglect referral sent to ASC") == [
        ("C0001", ASC.name, "Referred to ASC"),
        ("C0002", ASC.name, "No injuries, referred to ASC"),
        ("C0003", ASC.name, "Referred to ASC as pt not coping"),
        ("C0004", ASC.name, "Prior to discharge referred to ASC"),
        ("C0005", ASC.name, "Self-neglect referral sent to ASC"),
    ]


def test_the_trail_goes_only_where_its_own_clause_sends():
    # The adult advised to contact the GP; the ASC referral not made: nothing was sent to anyone.
    assert trails("Treated at scene, left at home with advice to contact own GP. Safeguarding "
                  "referral to ASC not made", agency=AMB) == []
    # Two sends in one cell: two trails, each with its own words.
    assert trails("Discharge summary sent to GP. SG concern raised with ASC re self-neglect.",
                  agency=HOSP) == [
        ("C0001", GP.name, "Discharge summary sent to GP"),
        ("C0001", ASC.name, "SG concern raised with ASC re self-neglect"),
    ]
    assert trails("Letter sent to hospital. SG concern raised with ASC.") == [
        ("C0001", HOSP.name, "Letter sent to hospital"),
        ("C0001", ASC.name, "SG concern raised with ASC"),
    ]
    # One clause declined, the other sent: only the one sent (the words: the sentence).
    assert trails("Pt declined referral to ASC, letter sent to hospital") == [
        ("C0001", HOSP.name, "Pt declined referral to ASC, letter sent to hospital")]
    # One referral word for several agencies of the sentence.
    assert trails("Referral sent to ASC and CMHT") == [
        ("C0001", ASC.name, "Referral sent to ASC and CMHT"),
        ("C0001", CMHT.name, "Referral sent to ASC and CMHT"),
    ]


def test_something_received_earlier_in_the_cell_does_not_hide_a_later_referral():
    assert trails("Home visit. Discharge summary from hospital reviewed. Pt fell at home. Referral "
                  "faxed to ASC for care needs assessment.", "Referral received from hospital") == [
        ("C0001", ASC.name, "Referral faxed to ASC for care needs assessment")]


def test_a_referral_not_made_is_no_evidence_of_communication():
    entries = entries_of(
        (POLICE, "2025-09-20", "Adult refused to be referred to ASC. No referral made."),
        (ASC, "2025-09-20", "Duty call, no answer"),
        (POLICE, "2025-09-22", "Welfare visit. Referred to ASC."),
        (ASC, "2025-09-22", "Case note"),
    )
    o1, o2 = analyse(entries, agencies=AGENCIES, vocabulary=VOCABULARY).overlaps
    assert (o1.communication, o1.evidence) == ("none recorded", ())
    assert (o2.communication, o2.evidence) == ("recorded", (Evidence("C0003", "Referred to ASC"),))


def test_patterns_leave_out_non_events():
    entries = entries_of(
        (GP, "2025-02-03", "Pt states no falls since last review. Falls risk assessment completed"),
        (HOSP, "2025-02-05", "Tends to fall asleep in chair most nights; no falls"),
        (GP, "2025-02-07", "Found on the floor by carer"),
        (GP, "2025-02-09", "Tel consult re chest pain - advised to attend A&E if worsens"),
        (HOSP, "2025-02-11", "Attended A&E overnight"),
        (AMB, "2025-02-13", "Safeguarding referral to ASC not made - pt has capacity"),
        (HOSP, "2025-02-15", "SG concern raised with ASC re self-neglect"),
        (ASC, "2025-02-17", "SG concern from hospital triaged. Not meeting s42 criteria"),
        (ASC, "2025-02-19", "SG1 received"),
        (ASC, "2025-02-21", "SW home visit - no access. Police asked to do welfare check."),
        (POLICE, "2025-02-21", "Welfare check requested by ASC. PCSO attended, no reply."),
    )
    counts = trails_and_patterns(entries, agencies=AGENCIES, vocabulary=VOCABULARY).patterns
    feb = dt.date(2025, 2, 1)
    assert counts == [
        PatternCount("Falls", GP.name, feb, 1, ("C0003",)),
        PatternCount("Emergency department attendances", HOSP.name, feb, 1, ("C0005",)),
        PatternCount("Police welfare checks", POLICE.name, feb, 1, ("C0011",)),
        PatternCount("Safeguarding concerns", HOSP.name, feb, 1, ("C0007",)),
        PatternCount("Safeguarding concerns", ASC.name, feb, 2, ("C0008", "C0009")),
    ]


def test_questions_name_every_agency_the_same_way():
    from sarkit.questions import Namer, agency_gaps_question

    labels = {a.name: a.short for a in AGENCIES}
    name = Namer(labels.get)
    assert [name(ASC.name), name(ASC.name), name(POLICE.name), name(POLICE.name),
            name.short(GP.name)] == [
        "Northshire Adult Social Care (ASC)", "ASC", "Northshire Police (Police)", "Police", "GP"]
    gap = analyse(entries_of((ASC, "2025-01-10", "Visit"), (ASC, "2025-03-20", "Visit"),
                             (GP, "2025-02-01", "Review")),
                  agencies=AGENCIES, gap_days=28).gaps
    asc_gaps = [g for g in gap if g.kind == "agency" and g.agency == ASC.name]
    text = agency_gaps_question(ASC.name, asc_gaps, Namer(labels.get), "Adult K")
    assert text.startswith("Between 11/01/2025 and 19/03/2025 (68 days) Northshire Adult Social "
                           "Care (ASC) recorded no contact with Adult K")
    assert text.endswith("Should ASC have been involved, and did the others say what was happening?")
