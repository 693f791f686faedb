"""Referral trails, evidence for every verdict, and patterns (issue 13 points 1, 2 and 5),
on a review built in code with planted trails."""

from __future__ import annotations

import datetime as dt

import pytest

from sarkit.analysis import (
    Evidence,
    PatternCount,
    Trail,
    Vocabulary,
    analyse,
    analysis_to_json,
    trails_and_patterns,
)
from sarkit.dates import PartialDate
from sarkit.entries import Entry
from sarkit.errors import SarkitError
from sarkit.review import Agency, Review, load_review
from sarkit.vocabulary import schema_vocabulary, vocabulary_for

D = dt.date.fromisoformat
GP = Agency("Hill Surgery", "GP")
MH = Agency("Northshire Mental Health Trust", "Mental Health", ("Memory Service",))
ASC = Agency("Northshire Adult Social Care", "ASC")
AMB = Agency("North West Ambulance Service", "Ambulance")
AGENCIES = [GP, MH, ASC, AMB]
VOCABULARY = vocabulary_for(Review())


def entry(agency: Agency, date: str, event: str, action: str = "") -> Entry:
    y, m, d = (int(p) for p in date.split("-"))
    return Entry(agency=agency.name, date=PartialDate(y, m, d), source="Records", event=event,
                 action=action)


def planted() -> list[Entry]:
    entries = [
        # T1 unanswered: Mental Health's next entry is after the 14-day window.
        entry(GP, "2025-03-12", "Referred to the Memory Service for assessment of memory loss"),
        # Negated and signposted: no trail.
        entry(ASC, "2025-03-13", "Home visit. No referral made to the GP; advised to see own GP"),
        # T2 answered by naming the sender, 14 days later: the last day of the window.
        entry(ASC, "2025-04-01", "Safeguarding concern sent to Mental Health"),
        entry(MH, "2025-04-15", "Concern from ASC triaged; allocated to CPN"),
        # T3 just across the window edge: the answer is on day 15, so unanswered.
        entry(AMB, "2025-05-01", "999 call, fall at home, not conveyed. Notified GP by letter"),
        entry(GP, "2025-05-16", "Letter from Ambulance filed"),
        # T4 answered by the thing sent (the receiver does not name the sender).
        entry(GP, "2025-05-20", "Discharge summary request sent to Mental Health"),
        entry(MH, "2025-05-30", "Discharge summary sent out"),
        # Incoming, not a referral: 'from' the GP; words that say something came in.
        entry(ASC, "2025-06-02", "Referral received from the GP"),
        entry(ASC, "2025-06-03", "Referral from the duty team at the GP practice: bruising"),
        entry(MH, "2025-06-04", "Received a referral about ASC involvement"),
    ]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number:04d}"
    return sorted(entries, key=lambda e: e.date.start)


def test_planted_trails_exactly():
    analysis = analyse(planted(), agencies=AGENCIES, vocabulary=VOCABULARY)
    assert analysis.referral_window_days == 14
    assert analysis.trails == [
        Trail("T1", GP.name, MH.name, "C0001", D("2025-03-12"),
              "Referred to the Memory Service for assessment of memory loss", answered=False,
              next_ref="C0004", next_date=D("2025-04-15")),
        Trail("T3", AMB.name, GP.name, "C0005", D("2025-05-01"), "Notified GP by letter",
              answered=False, next_ref="C0006", next_date=D("2025-05-16")),
        Trail("T2", ASC.name, MH.name, "C0003", D("2025-04-01"),
              "Safeguarding concern sent to Mental Health", answered=True, answer_ref="C0004",
              answer_date=D("2025-04-15"), days=14, answer_words="Concern from ASC triaged"),
        Trail("T4", GP.name, MH.name, "C0007", D("2025-05-20"),
              "Discharge summary request sent to Mental Health", answered=True,
              answer_ref="C0008", answer_date=D("2025-05-30"), days=10,
              answer_words="Discharge summary sent out"),
    ]


def test_the_window_comes_from_review_toml(tmp_path):
    (tmp_path / "review.toml").write_text(
        '[analysis]\nreferral_window_days = 15\nreferral_words = ["passed on to"]\n'
        '[analysis.patterns]\n"Falls" = ["slipped"]\n"Hoarding" = ["hoarding"]\n', "utf-8")
    review = load_review(tmp_path / "review.toml")
    assert review.referral_window_days == 15
    vocabulary = vocabulary_for(review)
    assert vocabulary.referral[-1] == "passed on to"
    kinds = dict(vocabulary.patterns)
    assert kinds["Falls"][-1] == "slipped" and kinds["Hoarding"] == ("hoarding",)
    analysis = analyse(planted(), agencies=AGENCIES, vocabulary=vocabulary,
                       referral_window_days=review.referral_window_days)
    t3 = next(t for t in analysis.trails if t.id == "T3")
    assert (t3.answered, t3.answer_ref, t3.days, t3.answer_words) == (
        True, "C0006", 15, "Letter from Ambulance filed")


def test_a_bad_window_is_a_sentence(tmp_path):
    (tmp_path / "review.toml").write_text('[analysis]\nreferral_window_days = "two weeks"\n')
    with pytest.raises(SarkitError, match="referral_window_days must be a whole number"):
        load_review(tmp_path / "review.toml")


def test_evidence_for_every_verdict():
    entries = [
        entry(GP, "2025-02-03", "Review of medication"),
        entry(ASC, "2025-02-03", "Visit. GP informed of concerns about self-neglect"),
        entry(GP, "2025-02-10", "Telephone consultation"),
        entry(AMB, "2025-02-10", "Fall at home; advised to see own GP"),  # no communication
    ]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    o1, o2 = analyse(entries, agencies=AGENCIES, vocabulary=VOCABULARY).overlaps
    assert (o1.communication, o1.evidence, o1.looked_for) == (
        "recorded", (Evidence("C2", "GP informed of concerns about self-neglect"),), ())
    assert (o2.communication, o2.evidence) == ("none recorded", ())
    assert o2.looked_for == ("GP", "Hill Surgery", "Ambulance", "North West Ambulance Service")


def test_patterns_per_agency_and_month_negations_left_out():
    entries = [
        entry(AMB, "2025-01-04", "Fall at home; not conveyed"),
        entry(AMB, "2025-01-20", "Found on the floor, no injuries"),
        entry(AMB, "2025-02-02", "No falls reported"),  # negated
        entry(GP, "2025-01-08", "DNA"),
        entry(GP, "2025-01-22", "Patient did not attend"),
        entry(GP, "2025-01-23", "DNAR discussed"),  # not DNA
    ]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    counts = trails_and_patterns(entries, agencies=AGENCIES, vocabulary=VOCABULARY).patterns
    jan = D("2025-01-01")
    assert counts == [
        PatternCount("Falls", AMB.name, jan, 2, ("C1", "C2")),
        PatternCount("999 calls not conveyed", AMB.name, jan, 1, ("C1",)),
        PatternCount("Missed appointments (DNA/WNB)", GP.name, jan, 2, ("C4", "C5")),
    ]
    data = analysis_to_json(analyse(entries, agencies=AGENCIES, vocabulary=VOCABULARY))
    assert data["patterns"][0] == {"kind": "Falls", "agency": AMB.name, "month": "2025-01",
                                   "count": 2, "refs": ["C1", "C2"]}


def test_json_shape_of_trails():
    data = analysis_to_json(analyse(planted(), agencies=AGENCIES, vocabulary=VOCABULARY))
    assert data["trails"][0] == {
        "id": "T1", "from_agency": GP.name, "to_agency": MH.name, "ref": "C0001",
        "date": "2025-03-12", "words": "Referred to the Memory Service for assessment of memory loss",
        "answered": False, "answer_ref": None, "answer_date": None, "days": None,
        "answer_words": "", "next_ref": "C0004", "next_date": "2025-04-15", "no_return": None,
    }


def test_no_vocabulary_no_entries_no_text():
    assert analyse(planted(), agencies=AGENCIES).trails == []
    assert analyse([], agencies=AGENCIES, vocabulary=VOCABULARY).trails == []
    blank = [entry(GP, "2025-01-01", ""), entry(ASC, "2025-01-02", "")]
    for number, e in enumerate(blank, start=1):
        e.ref = f"C{number}"
    result = analyse(blank, agencies=AGENCIES, vocabulary=VOCABULARY)
    assert (result.trails, result.patterns) == ([], [])
    assert schema_vocabulary().referral and schema_vocabulary().patterns
    assert Vocabulary() == Vocabulary((), (), ())


HOUSING = Agency("Northshire Homes", "Housing")


def test_review_toml_adds_words_that_are_not_a_kind_of_event(tmp_path):
    entries = [entry(HOUSING, "2025-01-06", "Fall in income reported; rent arrears"),
               entry(HOUSING, "2025-01-20", "Tenant fell on the stairs")]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    jan = D("2025-01-01")
    before = analyse(entries, agencies=[HOUSING], vocabulary=VOCABULARY)
    assert before.patterns == [PatternCount("Falls", HOUSING.name, jan, 2, ("C1", "C2"))]
    (tmp_path / "review.toml").write_text(
        '[analysis.not_patterns]\n"Falls" = ["fall in income"]\n', "utf-8")
    vocabulary = vocabulary_for(load_review(tmp_path / "review.toml"))
    assert dict(vocabulary.not_patterns)["Falls"][-1] == "fall in income"
    assert dict(vocabulary.not_patterns)["Falls"][0] == "falls risk"  # the schema's are kept
    after = analyse(entries, agencies=[HOUSING], vocabulary=vocabulary)
    assert after.patterns == [PatternCount("Falls", HOUSING.name, jan, 1, ("C2",))]


def test_not_patterns_of_a_kind_review_toml_adds(tmp_path):
    (tmp_path / "review.toml").write_text(
        '[analysis.patterns]\n"Hoarding" = ["clutter"]\n'
        '[analysis.not_patterns]\n"Hoarding" = ["clutter removed"]\n', "utf-8")
    vocabulary = vocabulary_for(load_review(tmp_path / "review.toml"))
    assert dict(vocabulary.not_patterns)["Hoarding"] == ("clutter removed",)


def test_not_patterns_of_no_kind_is_a_sentence(tmp_path):
    path = tmp_path / "review.toml"
    path.write_text('[analysis.not_patterns]\n"Fals" = ["fall in income"]\n', "utf-8")
    with pytest.raises(SarkitError) as raised:
        vocabulary_for(load_review(path))
    assert raised.value.message == (
        f"In {path}, [analysis.not_patterns] names 'Fals', which is not a kind of event counted in "
        "the patterns (the schema's or [analysis.patterns]).")
    assert raised.value.hint == 'Spell the kind as [analysis.patterns] or the schema does, e.g. "Falls".'
    path.write_text('[analysis]\nnot_patterns = ["fall in income"]\n', "utf-8")
    with pytest.raises(SarkitError, match=r"\[analysis.not_patterns\] must give a list of words for "
                       r'each kind of event, e.g. "Falls" = \["fall in income"\]'):
        load_review(path)


def test_gaps_says_a_wrong_kind_before_reading(tmp_path, review_file, make_return):
    import subprocess
    import sys

    make_return("police.xlsx", [["03/03/2025", "10:00", "PNC", "Fall in income reported", "", "PC"]])
    with review_file.open("a", encoding="utf-8") as toml:
        toml.write('\n[analysis.not_patterns]\n"Fals" = ["fall in income"]\n')
    done = subprocess.run([sys.executable, "-m", "sarkit", "gaps", "--review", str(review_file),
                           str(tmp_path / "returns")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "[analysis.not_patterns] names 'Fals', which is not a kind of event" in done.stderr
    assert "Traceback" not in done.stderr and "Reading" not in done.stderr


ACUTE = Agency("Northshire Acute Trust", "Acute Trust", ("hospital", "memory clinic"))
CLINICS = Agency("Northshire Memory Services", "Memory", ("memory clinic", "Memory Service"))
COMMUNITY = Agency("Northshire Community Health", "Community", ("falls team",))


def trails_of(agency: Agency, *texts: str) -> list[tuple[str, str, str]]:
    entries = [entry(agency, f"2025-03-{1 + 2 * i:02d}", text) for i, text in enumerate(texts)]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    found = trails_and_patterns(entries, agencies=[ACUTE, CLINICS, COMMUNITY, HOUSING],
                                vocabulary=VOCABULARY).trails
    return [(t.ref, t.from_agency, t.to_agency) for t in sorted(found, key=lambda t: int(t.id[1:]))]


def test_a_trust_naming_its_own_services_opens_no_trail():
    # 'our', a name the trust shares with another agency, the trust's own name with 's: its own
    assert trails_of(ACUTE, "Referred to our memory clinic", "Referred to the memory clinic",
                     "Acute Trust: referred to the hospital's falls team",
                     "Referred to our own falls team", "Referred to the hospital's Memory Service",
                     "Referred to the hospital") == []
    # another agency's service, not named as the trust's, is another agency
    assert trails_of(ACUTE, "Referred to the falls team", "Referred to the Memory Service") == [
        ("C1", ACUTE.name, COMMUNITY.name), ("C2", ACUTE.name, CLINICS.name)]


def test_a_service_named_as_another_agencys_goes_to_that_agency():
    assert trails_of(HOUSING, "Referred to the hospital's falls team",
                     "Referred to the hospital's Memory Service", "Referred to our falls team") == [
        ("C1", HOUSING.name, ACUTE.name), ("C2", HOUSING.name, ACUTE.name)]


def test_review_toml_adds_people_who_are_not_agencies(tmp_path):
    entries = [entry(HOUSING, "2025-01-06", "Landlord raised a concern with ASC"),
               entry(HOUSING, "2025-01-08", "Referral made by the landlord to ASC"),
               entry(HOUSING, "2025-01-10", "Daughter raised a concern with ASC")]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    before = trails_and_patterns(entries, agencies=[HOUSING, ASC], vocabulary=VOCABULARY).trails
    assert sorted(t.ref for t in before) == ["C1", "C2"]
    (tmp_path / "review.toml").write_text('[analysis]\nother_words = ["landlord", "Agent"]\n', "utf-8")
    review = load_review(tmp_path / "review.toml")
    assert review.other_words == ("landlord", "Agent")
    vocabulary = vocabulary_for(review)
    assert vocabulary.others == (*schema_vocabulary().others, "landlord", "Agent")
    assert trails_and_patterns(entries, agencies=[HOUSING, ASC], vocabulary=vocabulary).trails == []


def test_other_words_must_be_a_list_of_words(tmp_path):
    path = tmp_path / "review.toml"
    path.write_text('[analysis]\nother_words = "landlord"\n', "utf-8")
    assert load_review(path).other_words == ("landlord",)  # one word, as for referral_words
    path.write_text('[analysis]\nother_words = [3]\n', "utf-8")
    with pytest.raises(SarkitError) as raised:
        load_review(path)
    assert raised.value.message == f"In {path}, other_words must be a list of text in quotes."


def test_gaps_says_a_misspelt_other_words_before_reading(tmp_path, review_file, make_return):
    import subprocess
    import sys

    make_return("police.xlsx", [["03/03/2025", "10:00", "PNC", "Landlord raised a concern with ASC",
                                 "", "PC"]])
    text = review_file.read_text("utf-8").replace("[analysis]", '[analysis]\nother_word = ["landlord"]', 1)
    assert "other_word =" in text
    review_file.write_text(text, "utf-8")
    done = subprocess.run([sys.executable, "-m", "sarkit", "gaps", "--review", str(review_file),
                           str(tmp_path / "returns")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "[analysis] has an unknown key: other_word." in done.stderr
    assert "other_words" in done.stderr  # the known keys name the right spelling
    assert "Traceback" not in done.stderr and "Reading" not in done.stderr


def test_init_template_documents_other_words():
    from sarkit.review import render_review_toml

    assert '# other_words = ["landlord"]' in render_review_toml(Review())


# Answers: an answer word about something from or to another agency answers no trail.

TRUST = Agency("Westmoor Mental Health Trust", "MH")
POLICE = Agency("Westmoor Police", "Police")
ANSWERING = [GP, TRUST, ASC, POLICE]


def answers_to(*rows: tuple[Agency, str, str, str]) -> list[tuple]:
    """(id, from, to, answered, answer ref, answer words) of the trails of some entries."""
    entries = [entry(agency, date, event, action) for agency, date, event, action in rows]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    found = trails_and_patterns(entries, agencies=ANSWERING, vocabulary=VOCABULARY).trails
    return [(t.id, t.from_agency, t.to_agency, t.answered, t.answer_ref, t.answer_words)
            for t in found]


def test_a_letter_from_someone_else_does_not_answer_a_letter_sent():
    # the GP's letter came from the hospital: MH's letter is never answered
    assert answers_to(
        (TRUST, "2024-07-01", "DNA assessment.", "Letter to GP"),
        (GP, "2024-07-04", "ED discharge letter received from hospital re attendance 03/07/2024.",
         "Noted"),
    ) == [("T1", TRUST.name, GP.name, False, None, "")]


@pytest.mark.parametrize("text", [
    "Letter received from the hospital",
    "Letter from Police re arrest filed",
    "Referral received via the police",
    "Safeguarding concern raised by neighbour received",
    "Referred to ASC for a care assessment",
    "Discharge summary received from ward 4",
])
def test_an_answer_word_about_another_agency_answers_nothing(text):
    found = answers_to((TRUST, "2025-01-06", "Letter sent to GP", ""), (GP, "2025-01-08", text, ""))
    assert [trail for trail in found if trail[0] == "T1"] == [
        ("T1", TRUST.name, GP.name, False, None, "")]


@pytest.mark.parametrize(("text", "words"), [
    ("Letter received", "Letter received"),
    ("Letter received by post, filed", "Letter received by post, filed"),
    ("Referral received via email", "Referral received via email"),
    ("Letter from MH received: to review", "Letter from MH received: to review"),
    ("ED letter received from hospital; letter from MH also received", "letter from MH also received"),
    ("Referral allocated by duty manager", "Referral allocated by duty manager"),
    ("Referral received from today's post", "Referral received from today's post"),
])
def test_an_answer_naming_the_sender_or_no_other_still_answers(text, words):
    assert answers_to((TRUST, "2025-01-06", "Letter sent to GP", ""),
                      (GP, "2025-01-08", text, "")) == [
        ("T1", TRUST.name, GP.name, True, "C2", words)]


def test_a_later_answer_word_answers_when_the_first_is_about_another_agency():
    assert answers_to((TRUST, "2025-01-06", "Letter sent to GP", ""),
                      (GP, "2025-01-08", "Letter from Police filed. Referral received, triaged", "")
                      ) == [("T1", TRUST.name, GP.name, True, "C2", "Referral received, triaged")]


# Referral words: informed, shared with, submitted to… and who did it.

def opened(*texts: str, agency: Agency = GP) -> list[tuple[str, str, str]]:
    """(ref, to agency, words) of the trails opened by one entry per text."""
    entries = [entry(agency, f"2025-03-{1 + 2 * i:02d}", text) for i, text in enumerate(texts)]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    found = trails_and_patterns(entries, agencies=ANSWERING, vocabulary=VOCABULARY).trails
    return [(t.ref, t.to_agency, t.words) for t in sorted(found, key=lambda t: int(t.id[1:]))]


def test_common_wordings_of_sending_open_trails():
    assert opened("Police informed", "Shared with ASC", "Risk review; shared with ASC",
                  "SAFEGUARDING ADULT CONCERN SUBMITTED TO ASC", "Reported to police",
                  "Escalated to ASC", "Forwarded to MH", "Copied to ASC", "Police cc'd",
                  "ASC alerted", "Police made aware", "Informed MH and ASC",
                  "Police were informed") == [
        ("C1", POLICE.name, "Police informed"),
        ("C2", ASC.name, "Shared with ASC"),
        ("C3", ASC.name, "shared with ASC"),
        ("C4", ASC.name, "SAFEGUARDING ADULT CONCERN SUBMITTED TO ASC"),
        ("C5", POLICE.name, "Reported to police"),
        ("C6", ASC.name, "Escalated to ASC"),
        ("C7", TRUST.name, "Forwarded to MH"),
        ("C8", ASC.name, "Copied to ASC"),
        ("C9", POLICE.name, "Police cc'd"),
        ("C10", ASC.name, "ASC alerted"),
        ("C11", POLICE.name, "Police made aware"),
        ("C12", TRUST.name, "Informed MH and ASC"),
        ("C12", ASC.name, "Informed MH and ASC"),
        ("C13", POLICE.name, "Police were informed"),
    ]


@pytest.mark.parametrize("text", [
    "Informed by police of arrest",  # the police sent it
    "Police informed us of arrest",
    "Police informed me",
    "Information sent to us by police",
    "Made aware by police",
    "Pt informed of plan",  # no agency
    "Informed consent obtained",
    "Pt informed police that her bag was stolen",  # the adult told them
    "Pt reported to police",
    "She reported to police that her bag was stolen",
    "Daughter informed police",
    "Police not informed",
    "Liaised with ASC",  # who spoke, not what was sent
])
def test_other_directions_and_other_doers_open_no_trail(text):
    assert opened(text) == []


def test_an_informed_police_entry_answers_the_trail_by_naming_the_sender():
    assert answers_to((GP, "2024-06-03", "Missed appointment, concern for welfare.", "Police informed"),
                      (POLICE, "2024-06-05", "Informed by GP of missed appointment", "")) == [
        ("T1", GP.name, POLICE.name, True, "C2", "Informed by GP of missed appointment")]


# A short name that is an ordinary word ('Fire') names its agency only where it reads as one.

FIRE = Agency("Northshire Fire and Rescue Service", "Fire", ("FRS",))
STEP = Agency("Second Step Recovery", "Second Step")


def overlap_of(text: str) -> tuple[str, tuple[Evidence, ...]]:
    entries = [entry(FIRE, "2025-02-14", "Kitchen fire, pan left on hob", "Fire extinguished"),
               entry(STEP, "2025-02-14", text, "Phoned, no answer")]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    (found,) = analyse(entries, agencies=[FIRE, STEP], vocabulary=VOCABULARY).overlaps
    return found.communication, found.evidence


@pytest.mark.parametrize("text", [
    "Did not attend. Later heard of kitchen fire from GP.",
    "Fire in kitchen overnight",  # a sentence's start
    "Incident: Fire in kitchen",
    "Report of a Kitchen Fire",  # a title
    "KITCHEN FIRE AT FLAT",  # capitals
    "Fire attended",  # a sentence's start: not sure, so not a mention
])
def test_the_ordinary_word_is_no_mention(text):
    assert overlap_of(text) == ("none recorded", ())


@pytest.mark.parametrize(("text", "words"), [
    ("Fire Service attended", "Fire Service attended"),
    ("fire service attended with us", "fire service attended with us"),
    ("Spoke to fire crew", "Spoke to fire crew"),
    ("Fire and Rescue called", "Fire and Rescue called"),
    ("FRS attended", "FRS attended"),
    ("Referred to Fire for a home safety visit", "Referred to Fire for a home safety visit"),
    ("Police and Fire attended", "Police and Fire attended"),
    ("Northshire Fire and Rescue Service phoned", "Northshire Fire and Rescue Service phoned"),
])
def test_the_agency_is_a_mention(text, words):
    assert overlap_of(text) == ("recorded", (Evidence("C2", words),))


def test_an_ordinary_word_opens_no_trail_and_the_agency_does():
    entries = [entry(STEP, "2025-02-14", "Referral sent to GP after kitchen fire"),
               entry(STEP, "2025-02-16", "Referred to Fire for a home safety visit")]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    found = trails_and_patterns(entries, agencies=[FIRE, STEP], vocabulary=VOCABULARY).trails
    assert [(t.ref, t.to_agency, t.words) for t in found] == [
        ("C2", FIRE.name, "Referred to Fire for a home safety visit")]


def test_a_plain_word_written_in_capitals_or_as_a_full_name_matches_as_ever():
    mind = Agency("Mind", "MIND")
    entries = [entry(STEP, "2025-02-14", "Referred to mind for counselling"),
               entry(STEP, "2025-02-16", "Peace of mind; referral sent to MIND")]
    for number, e in enumerate(entries, start=1):
        e.ref = f"C{number}"
    found = trails_and_patterns(entries, agencies=[mind, STEP], vocabulary=VOCABULARY).trails
    assert [(t.ref, t.to_agency) for t in found] == [("C1", "Mind"), ("C2", "Mind")]
