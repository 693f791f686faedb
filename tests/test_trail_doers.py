"""Who the words say did it: the adult sent somewhere ('signposted to GP and Age UK') and a
referral someone else made ('concern raised with police and ASC by neighbour') open no trail
from the agency that recorded them; its own staff, and ways of sending, still do (red-team
report T, item 6)."""

from __future__ import annotations

import pytest

from sarkit.analysis import Evidence, Vocabulary, analyse, trails_and_patterns
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.review import Agency, Review
from sarkit.vocabulary import schema_vocabulary, vocabulary_for

GP = Agency("Riverside Medical Practice", "GP")
ASC = Agency("Northshire Adult Social Care", "ASC", ("Adult Social Care",))
CMHT = Agency("Northshire Mental Health Trust", "Mental Health", ("CMHT",))
POLICE = Agency("Northshire Police", "Police", ("PC ",))
HOUSING = Agency("Eastgate Housing Association", "Housing")
AGENCIES = [GP, ASC, CMHT, POLICE, HOUSING]
VOCABULARY = vocabulary_for(Review())


def entries_of(*rows: tuple[Agency, str, str]) -> list[Entry]:
    found = []
    for number, (agency, date, event) in enumerate(rows, start=1):
        y, m, d = (int(p) for p in date.split("-"))
        found.append(Entry(agency=agency.name, date=PartialDate(y, m, d), source="Records",
                           event=event, ref=f"C{number:04d}"))
    return found


def trails(*texts: str, agency: Agency = HOUSING) -> list[tuple[str, str, str, str]]:
    """(ref, from agency, to agency, words) of the trails opened by one entry per text."""
    rows = [(agency, f"2025-03-{1 + 2 * i:02d}", text) for i, text in enumerate(texts)]
    found = trails_and_patterns(entries_of(*rows), agencies=AGENCIES, vocabulary=VOCABULARY).trails
    found = sorted(found, key=lambda t: int(t.id[1:]))  # T1, T2… T10
    return [(t.ref, t.from_agency, t.to_agency, t.words) for t in found]


# Signposting: the adult was sent somewhere; nothing passed between agencies.

@pytest.mark.parametrize("text", [
    "Signposted to GP and Age UK.",
    "Signposted to the GP and Age UK",
    "Signposted to Age UK and the GP",
    "Signposted to Age UK, Citizens Advice and GP",
    "Signposted her to GP",
    "Sign-posted back to GP",
    "Advised to go to the GP",
    "Advised to go back to own GP",
    "Advised to contact GP and ASC",
    "Advised to see own GP",
    "Given details of ASC",
    "Given contact details for the GP and Age UK",
    "Told to ring ASC if worried",
    "Advised to register with a GP",
    "Referral closed, signposted to GP",
    "Concern discussed; signposted to ASC",
])
def test_signposting_opens_no_trail(text):
    assert trails(text) == []


def test_a_referral_beside_signposting_still_opens_its_trail():
    assert trails("Referred to GP", "Signposted to Age UK and referred to GP",
                  "Advised to contact GP, and ASC informed by letter sent to ASC",
                  "Signposted to Age UK. Referral sent to ASC.",
                  "Told that referral sent to ASC", "Signposted and referred to CMHT") == [
        ("C0001", HOUSING.name, GP.name, "Referred to GP"),
        ("C0002", HOUSING.name, GP.name, "Signposted to Age UK and referred to GP"),
        ("C0003", HOUSING.name, ASC.name,
         "Advised to contact GP, and ASC informed by letter sent to ASC"),
        ("C0004", HOUSING.name, ASC.name, "Referral sent to ASC"),
        ("C0005", HOUSING.name, ASC.name, "Told that referral sent to ASC"),
        ("C0006", HOUSING.name, CMHT.name, "Signposted and referred to CMHT"),
    ]


def test_signposting_is_not_a_referral_word():
    assert "signposted" not in schema_vocabulary().referral


def test_signposting_is_no_evidence_of_communication():
    entries = entries_of(
        (HOUSING, "2025-02-10", "Adult asked about her leg ulcer. Signposted to GP and Age UK."),
        (GP, "2025-02-11", "Leg ulcer dressed"),
        (HOUSING, "2025-03-10", "Given details of ASC and the GP"),
        (GP, "2025-03-10", "Review"),
        (HOUSING, "2025-04-10", "Signposted to Age UK; GP informed of the ulcer"),
        (GP, "2025-04-11", "Review"),
    )
    o1, o2, o3 = analyse(entries, agencies=AGENCIES, window_days=3, vocabulary=VOCABULARY).overlaps
    assert (o1.communication, o1.evidence) == ("none recorded", ())
    assert (o2.communication, o2.evidence) == ("none recorded", ())
    assert (o3.communication, o3.evidence) == ("recorded",
                                               (Evidence("C0005", "GP informed of the ulcer"),))


# Someone else did it: a person who is not an agency, or another agency, named after 'by'.

@pytest.mark.parametrize("text", [
    "Concern raised with police and ASC by neighbour.",
    "Concern raised with police and the GP by a concerned neighbour",
    "Referral made by daughter to ASC",
    "Referral made by Adult C's daughter to ASC",
    "Referral made by her son to the GP",
    "Safeguarding concern raised with police by member of the public",
    "Concern raised with police by a member of the public",
    "Concern raised by family with GP",
    "SG concern raised with ASC by an anonymous caller",
    "ASC notified by the tenant",
    "Police notified by neighbours",
    "Referred to ASC by the GP",
    "Referral made by Adult Social Care to police",
])
def test_a_referral_someone_else_made_opens_no_trail(text):
    assert trails(text) == []


def test_the_recording_agencys_own_staff_and_ways_of_sending_keep_the_trail():
    assert trails("Referral made by PC 123 to ASC", "Referral sent by post to the GP",
                  "Referral sent to ASC by email", "Letter sent to GP by fax",
                  "Referred to ASC by phone", "Referral made by the duty team to ASC",
                  "Referral made to ASC by PC Jones", "Referred to CMHT by DS 45 by letter",
                  "Concern raised with ASC by end of shift",
                  "Referral made by family liaison officer to ASC",
                  "Referral sent to ASC by the tenant support worker", agency=POLICE) == [
        ("C0001", POLICE.name, ASC.name, "Referral made by PC 123 to ASC"),
        ("C0002", POLICE.name, GP.name, "Referral sent by post to the GP"),
        ("C0003", POLICE.name, ASC.name, "Referral sent to ASC by email"),
        ("C0004", POLICE.name, GP.name, "Letter sent to GP by fax"),
        ("C0005", POLICE.name, ASC.name, "Referred to ASC by phone"),
        ("C0006", POLICE.name, ASC.name, "Referral made by the duty team to ASC"),
        ("C0007", POLICE.name, ASC.name, "Referral made to ASC by PC Jones"),
        ("C0008", POLICE.name, CMHT.name, "Referred to CMHT by DS 45 by letter"),
        ("C0009", POLICE.name, ASC.name, "Concern raised with ASC by end of shift"),
        ("C0010", POLICE.name, ASC.name, "Referral made by family liaison officer to ASC"),
        ("C0011", POLICE.name, ASC.name, "Referral sent to ASC by the tenant support worker"),
    ]


def test_staff_titles_keep_the_trail_of_any_agency():
    assert trails("Referral made by SW to CMHT", "Referral made by CPN to ASC",
                  "Referral sent to ASC by practice nurse", agency=GP) == [
        ("C0001", GP.name, CMHT.name, "Referral made by SW to CMHT"),
        ("C0002", GP.name, ASC.name, "Referral made by CPN to ASC"),
        ("C0003", GP.name, ASC.name, "Referral sent to ASC by practice nurse"),
    ]
    # the GP's own name after 'by', in the GP's entry, is its own referral
    assert trails("Referred to ASC by the GP", agency=GP) == [
        ("C0001", GP.name, ASC.name, "Referred to ASC by the GP")]


def test_someone_else_named_for_other_words_leaves_the_referral():
    # 'by' bound to other words of the sentence (or of another sentence): the referral stays.
    assert trails("Referral to ASC following concerns raised by neighbour",
                  "Visited by daughter, referred to ASC",
                  "Concern raised by daughter. Referred to ASC.",
                  "Referral sent to ASC regarding care provided by son",
                  "Letter sent to GP and referral made by daughter to ASC",
                  "Referral sent to ASC and visit by daughter arranged") == [
        ("C0001", HOUSING.name, ASC.name, "Referral to ASC following concerns raised by neighbour"),
        ("C0002", HOUSING.name, ASC.name, "Visited by daughter, referred to ASC"),
        ("C0003", HOUSING.name, ASC.name, "Referred to ASC"),
        ("C0004", HOUSING.name, ASC.name, "Referral sent to ASC regarding care provided by son"),
        ("C0005", HOUSING.name, GP.name, "Letter sent to GP and referral made by daughter to ASC"),
        ("C0006", HOUSING.name, ASC.name, "Referral sent to ASC and visit by daughter arranged"),
    ]


def test_the_words_for_people_who_are_not_agencies_are_the_schemas():
    others = schema_vocabulary().others
    assert {"neighbour", "daughter", "member of the public", "family", "tenant"} <= set(others)
    assert not {"pc", "nurse", "officer", "worker", "practitioner", "gp", "carer"} & {
        w.lower() for w in others}
    assert vocabulary_for(Review()).others == others
    # without them only another agency after 'by' says someone else did it
    bare = Vocabulary(referral=VOCABULARY.referral, answer=VOCABULARY.answer)
    rows = entries_of((HOUSING, "2025-03-01", "Referral made by daughter to ASC"),
                      (HOUSING, "2025-03-02", "Referred to CMHT by the GP"))
    found = trails_and_patterns(rows, agencies=AGENCIES, vocabulary=bare).trails
    assert [(t.ref, t.to_agency) for t in found] == [("C0001", ASC.name)]


def test_gaps_json_shows_only_the_trails_the_words_support(tmp_path, review_file, make_return):
    import json
    import subprocess
    import sys

    make_return("police.xlsx", [
        ["03/02/2025", "10:00", "PNC", "Concern raised with ASC and the GP by neighbour", "Noted", "PC"],
        ["10/02/2025", "11:00", "PNC", "Adult asked about her leg ulcer", "Signposted to GP and Age UK",
         "PC"],
        ["11/02/2025", "12:00", "PNC", "Welfare visit", "Referral made by PC 123 to ASC", "PC"],
    ])
    done = subprocess.run([sys.executable, "-m", "sarkit", "gaps", "--review", str(review_file),
                           "--format", "json", str(tmp_path / "returns")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert "Traceback" not in done.stderr
    found = [(t["from_agency"], t["to_agency"], t["date"], t["words"], t["answered"])
             for t in json.loads(done.stdout)["trails"]]
    assert found == [("Testshire Police", "Testshire Adult Social Care", "2025-02-11",
                      "Referral made by PC 123 to ASC", False)]


# Someone else did it, named before the referral words at the start of their clause.

AMBULANCE = Agency("Northshire Ambulance Service", "Ambulance", ("999",))


def trails_with(*texts: str, agency: Agency = HOUSING, vocabulary: Vocabulary = VOCABULARY
                ) -> list[tuple[str, str, str]]:
    """(ref, from agency, to agency) of the trails opened by one entry per text, with the
    Ambulance Service (alias '999') among the agencies."""
    rows = [(agency, f"2025-03-{1 + 2 * i:02d}", text) for i, text in enumerate(texts)]
    found = trails_and_patterns(entries_of(*rows), agencies=[*AGENCIES, AMBULANCE],
                                vocabulary=vocabulary).trails
    return [(t.ref, t.from_agency, t.to_agency) for t in sorted(found, key=lambda t: int(t.id[1:]))]


REPORTED = Vocabulary(referral=(*VOCABULARY.referral, "reported to", "called"),
                      answer=VOCABULARY.answer, others=VOCABULARY.others)


@pytest.mark.parametrize("text", [
    "Neighbour raised concern with police and ASC",
    "Neighbour raised a concern with police and ASC.",
    "Tenancy visit: neighbour also raised concerns with ASC",
    "Daughter referred her to ASC",
    "Her son emailed ASC",
    "Family notified police",
    "A member of the public notified police",
    "Mr X's friend referred him to the GP",
    "Concern raised by the GP surgery to ASC",
    "The GP referred her to ASC",
    "GP surgery referred to ASC",
    "Police notified ASC",
    "PC Smith referred to ASC",
    "ASC duty team notified police and the GP",
])
def test_a_referral_someone_else_made_before_the_words_opens_no_trail(text):
    assert trails_with(text) == []


@pytest.mark.parametrize("text", [
    "Daughter reported to police that she was missing",
    "Mr X's friend called 999",
])
def test_a_third_party_reporting_opens_no_trail_when_those_words_are_referral_words(text):
    assert trails_with(text, vocabulary=REPORTED) == []


def test_the_recording_agency_sending_it_keeps_the_trail():
    assert trails_with("Referral made to ASC", "Referred to police", "We referred to ASC",
                       "I referred to ASC", "SW referred to ASC", "ASC notified",
                       "GP and daughter notified", "ASC was notified by letter",
                       "Pt referred to CMHT", "Adult C referred to ASC",
                       "Neighbour was referred to ASC", "Neighbour dispute referral sent to ASC",
                       "Visited by daughter. Daughter notified. Referred to ASC",
                       "Raised concerns with the GP") == [
        ("C0001", HOUSING.name, ASC.name),
        ("C0002", HOUSING.name, POLICE.name),
        ("C0003", HOUSING.name, ASC.name),
        ("C0004", HOUSING.name, ASC.name),
        ("C0005", HOUSING.name, ASC.name),
        ("C0006", HOUSING.name, ASC.name),
        ("C0007", HOUSING.name, GP.name),
        ("C0008", HOUSING.name, ASC.name),
        ("C0009", HOUSING.name, CMHT.name),
        ("C0010", HOUSING.name, ASC.name),
        ("C0011", HOUSING.name, ASC.name),
        ("C0012", HOUSING.name, ASC.name),
        ("C0013", HOUSING.name, ASC.name),
        ("C0014", HOUSING.name, GP.name),
    ]
    assert trails_with("Daughter reported to police", "Called 999", vocabulary=REPORTED,
                       agency=GP) == [("C0002", GP.name, AMBULANCE.name)]


def test_an_agency_named_before_the_words_in_its_own_return_keeps_the_trail():
    assert trails_with("Police notified ASC", "PC Smith referred to ASC",
                       "ASC notified police", agency=POLICE) == [
        ("C0001", POLICE.name, ASC.name),
        ("C0002", POLICE.name, ASC.name),
    ]
    assert trails_with("The GP referred her to ASC", agency=GP) == [("C0001", GP.name, ASC.name)]


# The passive, '<X> <referral words> [to <agency>] by <Y>': Y sent it, not X (red-team report AA,
# item 7). Y the recording agency's own staff or service: its trail, to the agency named after
# 'to', or to X when X is an agency and the words tell their subject ('GP notified by ward').

HOSPITAL = Agency("Northshire Hospitals NHS Trust", "Hospital", ("hospital", "A&E", "ward"))


def hospital_trails(*texts: str, agency: Agency = HOSPITAL, vocabulary: Vocabulary = VOCABULARY
                    ) -> list[tuple[str, str, str]]:
    """(ref, from agency, to agency) of the trails opened by one entry per text, with the
    Hospital (aliases 'hospital', 'A&E', 'ward') among the agencies."""
    rows = [(agency, f"2025-04-{1 + 2 * i:02d}", text) for i, text in enumerate(texts)]
    found = trails_and_patterns(entries_of(*rows), agencies=[*AGENCIES, HOSPITAL],
                                vocabulary=vocabulary).trails
    return [(t.ref, t.from_agency, t.to_agency) for t in sorted(found, key=lambda t: int(t.id[1:]))]


def test_a_passive_referral_by_the_recording_agencys_own_staff_opens_its_trail():
    assert hospital_trails("GP notified by ward of discharge",
                           "Daughter referred to ASC by ward",
                           "Daughter referred to ASC by the ward sister",
                           "Daughter referred to ASC by Dr Smith",
                           "Daughter referred to ASC by SW",
                           "Daughter referred to ASC by the duty team",
                           "Daughter referred to ASC by this service",
                           "Daughter referred to ASC by us",
                           "Neighbour referred to ASC by me",
                           "GP informed by ward sister",
                           "Police notified by ward",
                           "Family concern raised with ASC by the ward") == [
        ("C0001", HOSPITAL.name, GP.name),
        ("C0002", HOSPITAL.name, ASC.name),
        ("C0003", HOSPITAL.name, ASC.name),
        ("C0004", HOSPITAL.name, ASC.name),
        ("C0005", HOSPITAL.name, ASC.name),
        ("C0006", HOSPITAL.name, ASC.name),
        ("C0007", HOSPITAL.name, ASC.name),
        ("C0008", HOSPITAL.name, ASC.name),
        ("C0009", HOSPITAL.name, ASC.name),
        ("C0010", HOSPITAL.name, GP.name),
        ("C0011", HOSPITAL.name, POLICE.name),
        ("C0012", HOSPITAL.name, ASC.name),
    ]


def test_a_passive_referral_by_own_staff_goes_to_the_agency_after_to_not_its_subject():
    # 'GP referred to ASC by ward': the GP was not sent it; 'notified' tells its subject
    assert hospital_trails("GP referred to ASC by ward", "GP surgery was notified by ward",
                           "Police informed by ward that pt absconded",
                           "ASC duty team notified police by ward") == [
        ("C0001", HOSPITAL.name, ASC.name),
        ("C0002", HOSPITAL.name, GP.name),
        ("C0003", HOSPITAL.name, POLICE.name),
        ("C0004", HOSPITAL.name, POLICE.name),
    ]


def test_the_passive_controls_keep_their_trails():
    assert hospital_trails("Referred to ASC by ward", "Adult's GP was notified by ward",
                           "ASC was notified by letter", "Pt referred to CMHT by ward") == [
        ("C0001", HOSPITAL.name, ASC.name),
        ("C0002", HOSPITAL.name, GP.name),
        ("C0003", HOSPITAL.name, ASC.name),
        ("C0004", HOSPITAL.name, CMHT.name),
    ]


@pytest.mark.parametrize("text", [
    "Daughter referred to ASC by neighbour",
    "Daughter referred to ASC by her son",
    "Daughter referred to ASC by GP",
    "GP informed by daughter",
    "ASC notified by police",
    # a way of sending or a time after 'by' names no sender: who is named first did it
    "Daughter referred to ASC by phone",
    "Neighbour raised concern with police by email",
    "Neighbour raised concern with police by 999 call",
    "Police notified ASC by letter",
    "Daughter referred to ASC by the end of the day",
    "Police notified ward",
])
def test_a_passive_referral_by_someone_else_opens_no_trail_from_the_recording_agency(text):
    assert hospital_trails(text) == []


def test_a_passive_referral_by_another_agency_opens_none_from_the_recording_agency():
    landlord = Vocabulary(referral=VOCABULARY.referral, answer=VOCABULARY.answer,
                          others=(*VOCABULARY.others, "landlord"))
    assert hospital_trails("Landlord referred to ASC by GP", "Landlord referred to ASC by the GP",
                           "Landlord referred to ASC by housing officer",
                           "Landlord referred to ASC", agency=HOUSING, vocabulary=landlord) == [
        ("C0003", HOUSING.name, ASC.name),
    ]
