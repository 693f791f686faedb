"""Returns of a large review written as agencies write them, for `bench_gaps.py --texts chronology`.

One return per agency (20 fictional agencies named in a review.toml), each entry a few sentences:
ordinary contacts, the events the patterns count (falls, ED attendances, 999 calls, missed
appointments, welfare checks, safeguarding concerns) and referrals to the other agencies, about
six in ten of them answered by the receiving agency within three weeks. Each entry has its own
particulars (times, figures, initials), so nearly every text is unlike any other, as on a real review.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

# part of the data folder's name: returns an earlier version wrote are made again, not reused
GENERATION = 2

# (name, short name, what their staff are), all fictional
AGENCIES = [
    ("Northshire Police", "Police", "PC"),
    ("Riverside GP Practice", "GP", "GP"),
    ("Northshire Hospitals Trust", "Hospital", "Nurse"),
    ("Regional Ambulance Service", "Ambulance", "Paramedic"),
    ("Adult Social Care", "ASC", "Social worker"),
    ("Northshire Housing", "Housing", "Housing officer"),
    ("Northshire Mental Health Trust", "Mental Health", "CPN"),
    ("Probation Service", "Probation", "PO"),
    ("Fire and Rescue Service", "Fire Service", "Firefighter"),
    ("Jobcentre Plus", "DWP", "Work coach"),
    ("Community Nursing Team", "District Nurses", "District nurse"),
    ("Northshire Recovery Service", "Drug and Alcohol Service", "Recovery worker"),
    ("Safe Homes Domestic Abuse Service", "DA Service", "IDVA"),
    ("High Street Pharmacy", "Pharmacy", "Pharmacist"),
    ("Northshire Carers Centre", "Carers Centre", "Carer support worker"),
    ("Valley Hospice", "Hospice", "Nurse"),
    ("Homecare Plus", "Care Agency", "Carer"),
    ("Northshire Advocacy", "Advocacy", "Advocate"),
    ("Northshire Memory Service", "Memory Service", "Nurse"),
    ("Citizens Advice Northshire", "Citizens Advice", "Adviser"),
]
ORDINARY = [
    "Home visit. Adult at home and appeared well; no concerns raised.",
    "Telephone call with the adult to arrange the next visit.",
    "Case discussed at the team meeting; plan to review in four weeks.",
    "Care and support plan reviewed with the adult and her daughter.",
    "Medication review completed; blister packs arranged.",
    "Letter received about rent arrears; advice given on a payment plan.",
    "Adult declined the offer of a carer's assessment.",
    "Visit by {role}. Kitchen untidy, food in the fridge, heating on.",
    "Adult said she felt low but safe; encouraged to keep in touch with family.",
    "No answer at the door; card left with a contact number.",
]
EVENTS = [
    "Attended ED following a fall at home. X-ray clear; discharged the same day.",
    "999 call: adult found on the floor by a neighbour. Not conveyed; advised to see own GP.",
    "Did not attend outpatient appointment (DNA). New appointment sent.",
    "Welfare check requested by the daughter; officers attended and found the adult safe.",
    "Safeguarding concern raised with ASC about self-neglect.",
    "Fall in the bathroom overnight; no injury, assisted up by carers.",
]
REFERRALS = [
    "Referral made to {other} for an assessment of needs.",
    "Letter sent to {other} with the discharge summary.",
    "Concern shared with {other} by email following the visit.",
    "Safeguarding referral to {other} completed on the day.",
]
ANSWERS = [
    "Referral received from {sender}; allocated for assessment.",
    "Letter from {sender} received and added to the record.",
]
# sentences of particulars: real entries are rarely word for word alike, so nearly every text of
# the benchmark is its own (a reading that remembered texts would gain nothing it would not on a
# real review)
DETAILS = [
    "Next visit booked for {weekday} at {hour}:{minute}.",
    "Spoke with the {relative} by phone for {n} minutes.",
    "Weight {n}.{m} kg, observations within normal range.",
    "Rent account {n}{m} pounds in arrears.",
    "Blood pressure 1{n}/8{m}, pulse {n2}.",
    "Keys held by the {relative}; key safe code changed on {weekday}.",
    "Adult asked about {topic}; leaflet given and {n} minutes spent on it.",
    "Seen with the {relative} present for {n} minutes.",
    "{relative_cap} says she has not been eating well for {n} days.",
    "Case reference {n}{m}{n2} noted by {initials}.",
    "Contact at {hour}:{minute}, {n} minutes, recorded by {initials}.",
    "Adult mentioned {topic} and the {relative} twice.",
]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
RELATIVES = ("daughter", "son", "neighbour", "niece", "friend")
TOPICS = ("benefits", "transport", "day centres", "meals at home", "the garden", "bus passes",
          "her cat", "the heating", "a hearing test", "church", "her late husband", "the stairs")
OUTCOMES = ("No further action.", "Plan to review.", "", "Record updated.")


def with_details(rng: random.Random, text: str) -> str:
    """`text` and one to three sentences of particulars."""
    details = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        relative = rng.choice(RELATIVES)
        details.append(rng.choice(DETAILS).format(
            weekday=rng.choice(WEEKDAYS), relative=relative, relative_cap=relative.capitalize(),
            topic=rng.choice(TOPICS), n=rng.randint(10, 99), m=rng.randint(0, 9),
            n2=rng.randint(50, 120), hour=rng.randint(8, 19), minute=f"{rng.randint(0, 59):02d}",
            initials="".join(rng.choice("BCEFHJKLMNRTW") for _ in range(2))))
    return " ".join((text, *details))


DAYS = 5 * 365


def review_toml(agencies: list[tuple[str, str, str]]) -> str:
    """The review.toml naming the agencies, each with its file pattern."""
    lines = ['[review]\nreference = "SAR-BENCH-1"\nsubject = "Adult B"\nperiod_start = 2021-01-01\n'
             'period_end = 2025-12-31\n']
    for number, (name, short, _) in enumerate(agencies):
        lines.append(f'[[agencies]]\nname = "{name}"\nshort = "{short}"\nfiles = ["agency-{number:02d}*"]\n')
    return "\n".join(lines)


def write_returns(folder: Path, returns: int, entries: int, header: list[str]) -> Path:
    """`returns` returns of `entries` entries each, in `folder`/returns, with their review.toml
    in `folder` (its path is returned). Deterministic; files already there are kept."""
    import xlsxwriter

    (folder / "returns").mkdir(parents=True, exist_ok=True)
    agencies = AGENCIES[:returns]
    rng = random.Random(2026)
    received: dict[int, list[tuple[int, int]]] = {n: [] for n in range(len(agencies))}
    plans = []
    for number in range(len(agencies)):
        rows = []
        for offset in sorted(rng.randrange(0, DAYS) for _ in range(entries)):
            kind = rng.random()
            if kind < 0.08:
                other = rng.choice([n for n in range(len(agencies)) if n != number])
                referral = rng.choice(REFERRALS).format(other=agencies[other][1])
                rows.append((offset, with_details(rng, referral)))
                received[other].append((offset, number))
            elif kind < 0.3:
                rows.append((offset, with_details(rng, rng.choice(EVENTS))))
            else:
                ordinary = rng.choice(ORDINARY).format(role=agencies[number][2])
                rows.append((offset, with_details(rng, ordinary)))
        plans.append(rows)
    start = dt.date(2021, 1, 1)
    for number, rows in enumerate(plans):
        path = folder / "returns" / f"agency-{number:02d}.xlsx"
        if path.exists():
            continue
        answers = [(offset + rng.randint(1, 20),
                    with_details(rng, rng.choice(ANSWERS).format(sender=agencies[sender][1])))
                   for offset, sender in received[number] if rng.random() < 0.6]
        # answers take the place of ordinary entries, so each return keeps `entries` rows
        kept = sorted([*rows[: max(0, entries - len(answers))],
                       *((day, text) for day, text in answers if day < DAYS)])[:entries]
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("Chronology")
        sheet.write_row(0, 0, header)
        for row, (offset, text) in enumerate(kept, start=1):
            day = start + dt.timedelta(days=offset)
            sheet.write_row(row, 0, [
                f"{number}-{row}", day.strftime("%d/%m/%Y"),
                f"{rng.randint(7, 20):02d}:{rng.choice((0, 30)):02d}",
                rng.choice(("Case notes", "Incident log", "Records", "Visit notes")), text,
                rng.choice(OUTCOMES), agencies[number][2], "", rng.choice(("Y", "N", "")),
                rng.choice(("Low", "High"))])
        book.close()
    review = folder / "review.toml"
    review.write_text(review_toml(agencies), encoding="utf-8")
    return review
