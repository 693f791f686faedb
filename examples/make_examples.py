"""Write the fictional example review: examples/review.toml and the returns in examples/returns/.

Every person, agency and event here is invented. The returns are deliberately as untidy as real
ones (title rows, a details block, renamed headings, dates typed many ways, blank rows, an extra
column, one return newest first) and carry a few planted problems, listed in examples/README.md.

Run it again at any time (it replaces the files it writes):

    python examples/make_examples.py

Needs sarkit itself (for the blank template), openpyxl, and LibreOffice (`soffice`) to turn two
of the returns into .ods and .xls.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sarkit.output.template_workbook import write_template_workbook
from sarkit.review import load_review
from sarkit.schema import load_schema

HERE = Path(__file__).resolve().parent
RETURNS = HERE / "returns"

REVIEW_TOML = """\
# A fictional Safeguarding Adults Review, used by the README and the tests.
# Every name, agency and event in this folder is invented.

[review]
reference = "SAR-2026-01"
subject = "Adult C"                 # the pseudonym used in every output; never a real name
period_start = 2025-01-01
period_end = 2025-12-31
marking = "OFFICIAL-SENSITIVE"
terms_of_reference = [
  "How well did agencies recognise and respond to Adult C's self-neglect and repeated falls?",
  "How well did agencies share information and work together, including when Adult C declined support?",
  "Was the Mental Capacity Act applied appropriately, including executive capacity?",
]

[analysis]
gap_days = 28
overlap_window_days = 0

[[agencies]]
name = "Northshire Police"
short = "Police"
aliases = ["police", "officers", "PC ", "PCSO"]
files = ["*police*"]

[[agencies]]
name = "Riverside Medical Practice"
short = "GP"
aliases = ["GP", "surgery", "practice nurse"]
files = ["*gp*", "*riverside*"]

[[agencies]]
name = "Northshire Hospitals NHS Trust"
short = "Hospital"
aliases = ["hospital", "A&E", "ward"]
files = ["*hospital*"]

[[agencies]]
name = "North West Ambulance Service"
short = "Ambulance"
aliases = ["ambulance", "paramedic", "crew"]
files = ["*ambulance*", "*nwas*"]

[[agencies]]
name = "Northshire Adult Social Care"
short = "ASC"
aliases = ["social worker", "adult social care", "ASC"]
files = ["*asc*", "*social*care*"]

[[agencies]]
name = "Eastgate Housing Association"
short = "Housing"
aliases = ["housing", "housing officer"]
files = ["*housing*"]

[[agencies]]
name = "Northshire Mental Health Trust"
short = "Mental Health"
aliases = ["CMHT", "mental health"]
files = ["*mental*health*"]

[pseudonyms]
"""


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.properties.creator = "sarkit example (fictional)"
    return wb


def d(day: int, month: int, year: int = 2025) -> dt.datetime:
    """A real date cell."""
    return dt.datetime(year, month, day)


def t(hour: int, minute: int) -> dt.time:
    """A real time cell."""
    return dt.time(hour, minute)


def style_cells(ws, row: int, *, bold: bool = False, wrap: bool = True) -> None:
    for cell in ws[row]:
        cell.alignment = Alignment(wrap_text=wrap, vertical="top")
        if bold:
            cell.font = Font(bold=True)


def put_row(ws, row: int, values: list[object]) -> None:
    """Write one row; real dates and times get a UK number format, as Excel would show them."""
    for col, value in enumerate(values, start=1):
        if value is None or value == "":
            continue
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, dt.datetime):
            cell.number_format = "DD/MM/YYYY"
        elif isinstance(value, dt.time):
            cell.number_format = "HH:MM"
    style_cells(ws, row)


def widths(ws, sizes: list[int]) -> None:
    for col, size in enumerate(sizes, start=1):
        ws.column_dimensions[get_column_letter(col)].width = size


# ---- Northshire Police: .xlsx, merged title, a Part 1 details block, an extra column ---------

POLICE_HEADER = ["Ref No", "Date of Contact", "Time", "Source", "Details of Contact", "Action",
                 "Staff Name & Role", "Risk Level"]
POLICE_ROWS = [
    ["NP01", d(27, 1), t(19, 40), "Incident log",
     "Call from a neighbour: Adult C seen in the communal stairwell in night clothes, confused "
     "about the time of day.",
     "Officers attended. Adult C at home; said she had been looking for her cat. Flat cold. "
     "Advice given. No adult concern notification submitted.", "PC, Response Team", "Medium"],
    ["NP02", "19/02/2025", "0920", "Incident log", "Silent 999 call from Adult C's landline.",
     "Call back answered by Adult C, who said she had pressed the wrong button.", "Call handler",
     "Low"],
    ["NP03", "04/03/2025", "1005", "Incident log",
     "Request for a welfare check from Eastgate Housing: no reply at the flat for two weeks.",
     "Officers attended; Adult C answered after 20 minutes, thin and unkempt. Adult concern "
     "notification submitted; referred to ASC.", "PC, Response Team", "High"],
    ["NP04", "14 March 2025", "07:52", "Incident log",
     "999 call from neighbour: Adult C had fallen in the hallway of her flat and could not get "
     "up. Conscious and talking.",
     "Officers attended with the ambulance; Adult C left in the care of the paramedics.",
     "PC, Response Team", "Medium"],
    None,  # a blank row, as people leave them
    ["NP05", "31/02/2025", "1415", "Intelligence record",  # planted: impossible date
     "Neighbour reported that a man had been seen calling at Adult C's flat asking for money.",
     "Intelligence submitted; no further action.", "PCSO, Neighbourhood Team", "Low"],
    ["NP06", d(12, 4), "2.30pm", "Incident log",
     "Call from Adult C: she said her purse had been taken from the flat.",
     "Officers attended; purse found under a cushion; no crime.", "PC, Response Team", "Low"],
    ["NP07", "15/05/2025", "", "Intelligence record",
     "Neighbourhood patrol: neighbours raised concern about Adult C's weight and the state of "
     "the flat.", "Information recorded; no referral made.", "PCSO, Neighbourhood Team",
     "Medium"],
    ["NP08", "3.6.25", "23:10", "Incident log",
     "Call from Adult C, distressed, saying someone was in the flat.",
     "Officers attended; no one found; Adult C calmer. Adult concern notification submitted; "
     "referred to ASC.", "PC, Response Team", "Medium"],
    ["NP09", "26/06/2025", "?14:30", "Incident log",
     "Adult C reported missing by a neighbour after not being seen all day.",
     "Adult C found at the bus station and taken home. Adult concern notification submitted; "
     "referred to ASC.", "PC, Response Team", "High"],
    ["NP10", "?12/07/2025", "", "Incident log",
     "Neighbour telephoned to say Adult C was shouting in the street late at night (call date "
     "uncertain: the log entry is incomplete).",
     "Call recorded; no patrol available; no further action.", "Call handler", "Low"],
    ["NP11", d(2, 8), "14.30", "Incident log",
     "Call from a taxi driver: Adult C found lost in the town centre.",
     "Officers took Adult C home; a neighbour agreed to check on her.", "PC, Response Team",
     "Medium"],
    ["NP12", "07/10/2025", "16:05", "Incident log",
     "Welfare check requested by ASC after no reply to a planned visit.",
     "Officers attended; Adult C spoke through the door, said she was well and would not open "
     "it.", "PC, Response Team", "Medium"],
    ["NP13", "21/10/2025", "11:40", "Crime record",
     "Adult C reported that money had been taken from her bank account.",
     "Crime recorded (fraud) and passed to the national fraud reporting centre.",
     "Investigating officer", "Medium"],
    ["NP14", "28/10/2025", "", "Crime record",
     "Fraud enquiry: the bank confirmed card payments to an online shop.",
     "Victim care letter sent; crime filed pending further information.",
     "Investigating officer", "Low"],
    ["NP15", d(23, 11), t(20, 15), "Incident log",
     "Call from Adult C asking for help to find her cat.",
     "Advice given by telephone; no attendance.", "Call handler", "Low"],
]


def write_police(path: Path) -> None:
    wb = new_workbook()
    ws = wb.active
    ws.title = "SAR Chronology"
    ws["A1"] = "NORTHSHIRE POLICE – SAFEGUARDING ADULTS REVIEW SAR-2026-01 – CHRONOLOGY"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:H1")
    ws["A2"] = "OFFICIAL-SENSITIVE"
    ws["A2"].font = Font(bold=True, color="C00000")
    ws["A4"] = "PART 1 – DETAILS"
    ws["A4"].font = Font(bold=True)
    for row, (label, value) in enumerate([
        ("Agency:", "Northshire Police"),
        ("Author:", "Detective Sergeant, Public Protection Unit"),
        ("Date completed:", "10/02/2026"),
    ], start=5):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        ws.cell(row=row, column=2, value=value)
    ws["A9"] = "PART 2 – CHRONOLOGY OF CONTACT"
    ws["A9"].font = Font(bold=True)
    header_row = 10
    put_row(ws, header_row, POLICE_HEADER)
    style_cells(ws, header_row, bold=True)
    row = header_row + 1
    for values in POLICE_ROWS:
        if values is not None:
            put_row(ws, row, values)
        row += 1
    widths(ws, [9, 16, 8, 18, 55, 50, 26, 11])
    ws.freeze_panes = f"A{header_row + 1}"
    wb.save(path)


# ---- Riverside Medical Practice: .ods (via LibreOffice), newest first, an author note --------

GP_HEADER = ["Date", "Time", "Record", "Details", "Outcome", "Clinician", "Significance"]
GP_ROWS_OLDEST_FIRST = [
    ["01/01/2025", "", "# Author's note",
     "Adult C has been registered with the practice since 1998. Contacts before the review "
     "period are summarised in the IMR.", "", "", ""],
    [d(6, 1), "09:10", "Appointment record",
     "Adult C did not attend her annual review for high blood pressure and COPD.",
     "Second appointment letter sent.", "Receptionist", "Third missed review in 12 months."],
    [d(14, 1), "1130", "Practice nurse home visit notes",
     "Home visit to dress a leg ulcer (left shin). Flat cold and cluttered; little food seen. "
     "Adult C said she was \"managing fine\".",
     "Dressing changed. Referral to ASC for support at home discussed; Adult C declined. "
     "Nurse to discuss with the GP.", "Practice nurse",
     "Early signs of self-neglect; the refusal of support was not explored further."],
    [d(28, 1), "", "Practice nurse home visit notes",
     "Dressing visit: no answer at the door; telephone not answered.",
     "Visit rebooked for 31/01/2025.", "Practice nurse", ""],
    [d(31, 1), t(10, 0), "Practice nurse home visit notes",
     "Dressing visit. Ulcer larger; Adult C wearing the same clothes as at the last visit.",
     "Dressing changed; GP told; GP to offer a review.", "Practice nurse", ""],
    [d(18, 2), "14:05", "Correspondence",
     "Email from the housing officer at Eastgate Housing: concern about the condition of the "
     "flat and rent arrears.",
     "Added to the record. GP to review Adult C at the next contact; no reply sent.", "GP",
     "Information shared with the practice; no joint plan made."],
    [d(31, 3), "", "Correspondence",
     "Discharge summary received: admitted on 14/03/2025 after a fall; no fracture; urinary "
     "infection treated; reablement arranged.",
     "Medication changes made on the record.", "Practice pharmacist", ""],
    [d(15, 4), "10:40", "Consultation record",
     "Telephone review after discharge. Adult C said carers were visiting four times a day and "
     "she was \"back on her feet\".", "Falls advice given. Review in 3 months.", "GP",
     "Telephone only; no face-to-face review after the admission."],
    ["22/05/25", "0930", "Consultation record",
     "Attended with bruising to the left cheek and forehead; said she had tripped on a rug at "
     "home. Weight 41 kg (47 kg in January).",
     "Examined; no fracture suspected. Bloods taken.", "GP",
     "Weight loss of 6 kg in four months. No enquiry about how she was managing at home."],
    [d(29, 5), "", "Appointment record",
     "Adult C did not attend the follow-up appointment for her blood results.", "Letter sent.",
     "Receptionist", ""],
    [d(10, 6), t(16, 20), "Pathology results",  # planted: no Outcome
     "Blood results reviewed: mild anaemia and low albumin, consistent with poor nutrition.",
     "", "GP", ""],
    ["15.07.2025", "12:15", "Consultation record",
     "Telephone consultation: Adult C repeated questions and could not recall the fall in May.",
     "Referral to the memory assessment service (Northshire Mental Health Trust) sent "
     "electronically.", "GP",
     "No record that the referral was received: the Mental Health Trust sent a nil return."],
    [d(8, 8), "", "Correspondence",
     "No appointment letter from the memory assessment service on the record.",
     "None recorded.", "Administrator", "The referral was not chased."],
    [d(23, 10), "11:00", "Consultation record",
     "Telephone consultation after the A&E attendance on 19/10/2025 for a fall. Adult C said "
     "she did not want \"a fuss\".", "Advice given; offer of a home visit declined.", "GP", ""],
    [d(3, 11), "", "Repeat prescription record",
     "Repeat prescriptions for inhalers not collected for 8 weeks.", "None recorded.",
     "Pharmacy technician", "Missed prescriptions not linked to the wider concerns."],
    [d(1, 12), "", "Correspondence",
     "Notification of an emergency admission on 30/11/2025.", "Noted on the record.",
     "Administrator", ""],
    [d(23, 12), "", "Correspondence",
     "Discharge summary: discharged to a nursing home on 19/12/2025; pneumonia, pressure "
     "ulcers, malnutrition.", "Records transferred to the nursing home's practice.",
     "Administrator", ""],
]


def write_gp_source(path: Path) -> None:
    wb = new_workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws["A1"] = "RIVERSIDE MEDICAL PRACTICE"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:G1")
    ws["A2"] = ("Chronology for Safeguarding Adults Review SAR-2026-01 (Adult C) – most recent "
                "first")
    header_row = 4
    put_row(ws, header_row, GP_HEADER)
    style_cells(ws, header_row, bold=True)
    row = header_row + 1
    for number, values in enumerate(reversed(GP_ROWS_OLDEST_FIRST)):
        put_row(ws, row, values)
        row += 2 if number == 7 else 1  # one blank row half way down
    widths(ws, [12, 8, 26, 55, 45, 20, 45])
    wb.save(path)


# ---- Northshire Hospitals NHS Trust: .xls (via LibreOffice), Organisation column, End Date --

HOSPITAL_HEADER = ["Ref", "Date", "Time", "Date To", "Source of Information", "Event",
                   "Action Taken", "Practitioner", "Comments", "Key Event", "Organisation"]
TRUST = "Northshire Hospitals NHS Trust"
HOSPITAL_ROWS = [
    ["H01", d(12, 12, 2024), "", "", "ED record",  # planted: before the review period
     "Attended A&E after a fall at home; no fracture.", "Discharged home the same day.",
     "ED doctor", "Before the review period; included for context.", "No", "A&E"],
    ["H02", "14 March 2025", "08:40", d(28, 3), "ED record and admission",
     "Brought in by ambulance after a fall at home; unable to bear weight; temperature 38.2°C.",
     "X-ray: no fracture. Admitted to the frailty unit with a urinary infection and "
     "dehydration.", "ED registrar", "Admission 14/03/2025 to 28/03/2025.", "Yes", "A&E"],
    ["H03", d(15, 3), "", "", "Nursing notes",
     "Skin check: grade 2 pressure ulcer on the sacrum; weight 44 kg; eating little.",
     "Pressure care plan; referral to the dietitian.", "Staff nurse", "", "No", TRUST],
    ["H04", d(17, 3), t(10, 30), "", "Therapy notes",
     "Occupational therapy assessment: mobile with a frame; cannot manage stairs or cook "
     "safely.", "Home assessment requested.", "Occupational therapist", "", "No", TRUST],
    ["H05", d(18, 3), "", "", "Dietitian notes", "",  # planted: no Event
     "Supplement drinks prescribed.", "Dietitian", "", "No", TRUST],
    ["H06", "20/03/2025", "11:00", "", "Discharge planning notes",
     "Referral to adult social care for a Care Act assessment and reablement.",
     "Referral sent to ASC.", "Discharge coordinator", "", "Yes", TRUST],
    ["H07", d(24, 3), "", "", "Medical notes",
     "Mental state: some short-term memory problems; no formal cognitive assessment done.",
     "To be followed up by the GP after discharge.", "Consultant geriatrician",
     "Cognitive screening not completed.", "No", TRUST],
    ["H08", d(28, 3), t(14, 0), "", "Discharge planning notes",
     "Discharged home with reablement of four calls a day.", "Discharge summary sent to the GP.",
     "Discharge coordinator", "", "No", TRUST],
    ["H09", "19/10/2025", "11.52", "", "ED record",
     "Brought in by ambulance after a fall at home; sprained right wrist.",
     "Splint applied; discharged home; letter to the GP.", "ED doctor",
     "No safeguarding screening recorded despite repeated falls.", "No", "A&E"],
    ["H10", d(30, 11), t(10, 48), d(19, 12), "ED record and admission",
     "Brought in by ambulance: hypothermia, chest infection, weight 38 kg, category 3 pressure "
     "ulcers.", "Admitted to the respiratory unit.", "ED consultant",
     "Admission 30/11/2025 to 19/12/2025.", "Yes", TRUST],
    ["H11", d(2, 12), "", "", "Medical notes",
     "Pneumonia confirmed; nutrition poor.", "Intravenous antibiotics; dietitian review.",
     "Respiratory registrar", "", "No", TRUST],
    ["H12", d(5, 12), "", "", "Safeguarding team notes",
     "Safeguarding concern: self-neglect and pressure damage present on admission.",
     "Safeguarding referral sent to ASC.", "Safeguarding nurse", "", "Yes", TRUST],
    ["H13", d(9, 12), "", "", "Medical notes",
     "Mental Capacity Act assessment about where to live after discharge: Adult C could not "
     "retain the information.",
     "Assessed as lacking capacity for this decision; best interests process started.",
     "Consultant geriatrician", "", "Yes", TRUST],
    ["H14", d(16, 12), "", "", "Discharge planning notes",
     "Best interests meeting with adult social care, the GP (by telephone) and Adult C.",
     "Decision: discharge to a nursing home.", "Discharge coordinator", "", "Yes", TRUST],
    ["H15", d(19, 12), "", "", "Discharge planning notes", "Discharged to a nursing home.",
     "Discharge summary sent to the GP and the nursing home.", "Discharge coordinator", "", "No",
     TRUST],
]


def write_hospital_source(path: Path) -> None:
    wb = new_workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws["A1"] = "NORTHSHIRE HOSPITALS NHS TRUST"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "OFFICIAL-SENSITIVE – SAR-2026-01 – Adult C"
    header_row = 3
    put_row(ws, header_row, HOSPITAL_HEADER)
    style_cells(ws, header_row, bold=True)
    for row, values in enumerate(HOSPITAL_ROWS, start=header_row + 1):
        put_row(ws, row, values)
    widths(ws, [6, 14, 7, 12, 22, 55, 45, 22, 35, 9, 28])
    wb.save(path)


# ---- North West Ambulance Service: .csv, cp1252, semicolons ---------------------------------

AMBULANCE_HEADER = ["Incident Date", "Incident Time", "Source", "Incident Details", "Action",
                    "Crew/Role", "Key"]
AMBULANCE_ROWS = [
    ["2025-02-23", "16:30", "ePCR", "Call from Adult C: short of breath.",
     "Inhaler technique checked; not conveyed; advised to see her GP.", "Paramedic", "N"],
    ["2025-03-14", "07:58", "ePCR",
     "999 call from a neighbour: Adult C had fallen in the hallway of her flat and could not get "
     "up; conscious and talking.",
     "Assessed: pain in the left hip, temperature 38.2°C. Conveyed to Northshire General A&E. "
     "Police on scene.", "Paramedic and emergency care assistant", "Y"],
    ["2025-04-02", "06:40", "ePCR",
     "Fall at home overnight, reported by a reablement carer; no injury found.",
     "Lifted; not conveyed. Referral to the community falls service.", "Paramedic", "N"],
    ["10.5.25", "21:15", "ePCR",
     "Fall at home; found by a neighbour; graze to the right arm.",
     "Wound cleaned; not conveyed; advised to see her GP.", "Paramedic", "N"],
    [],
    ["2025-05-21", "02:30", "ePCR", "Fall at home; no injury.", "Lifted; not conveyed.",
     "Emergency care assistant", "N"],
    ["2025-05-29", "09:50", "ePCR", "Fall in the kitchen; no injury; 2–3 hours on the floor.",
     "Lifted; not conveyed; falls advice leaflet left.", "Paramedic", "N"],
    ["2025-06-18", "13:05", "ePCR",
     "Fall in the street outside the flats; cut to the forehead.",
     "Wound closed with adhesive strips; not conveyed.", "Paramedic", "N"],
    ["2025-07-04", "10:20", "NHS 111 record", "Adult C called 111 with chest pain.",
     "Ambulance dispatched; ECG normal; not conveyed.", "Clinical adviser; paramedic", "N"],
    ["2025-07-29", "18:45", "ePCR",
     "Fall at home; on the floor about 4 hours; slightly confused.",
     "Adult C declined to go to hospital; capacity to make this decision assessed and "
     "recorded as present. Advised to call back.", "Paramedic", "Y"],
    ["2025-09-28", "20:40", "ePCR", "Fall at home; no injury.", "Lifted; not conveyed.",
     "Emergency care assistant", "N"],
    ["11.10.25", "07:30", "ePCR", "Fall at home; found by a neighbour; bruised right hip.",
     "Not conveyed, at Adult C's request.", "Paramedic", "N"],
    ["19.10.25", "11:10", "ePCR", "Fall at home; pain in the right wrist.",
     "Conveyed to Northshire General A&E.", "Paramedic and emergency care assistant", "N"],
    ["2025-11-06", "04:15", "ePCR", "Fall at home; no injury; home very cold (12°C).",
     "Lifted; not conveyed. Safeguarding referral made to adult social care (self-neglect).",
     "Paramedic", "Y"],
    ["2025-11-19", "15:25", "ePCR", "Call from Adult C: fall at home; no injury.",
     "Lifted; not conveyed; safeguarding referral of 06/11/2025 noted.", "Paramedic", "N"],
    ["2025-11-30", "10:02", "ePCR",
     "999 call from the housing officer: Adult C found on the floor of her living room; cold, "
     "confused, breathing fast.",
     "Treated for hypothermia and a possible chest infection; conveyed to Northshire General "
     "A&E.", "Paramedic and emergency care assistant", "Y"],
]


def write_ambulance(path: Path) -> None:
    with open(path, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(AMBULANCE_HEADER)
        writer.writerows(AMBULANCE_ROWS)


# ---- Northshire Adult Social Care: .csv, UTF-8 with BOM, one row out of order ---------------

ASC_HEADER = ["Date", "Time", "Source of Info", "What Happened", "Outcome", "Worker & Role",
              "Reflection"]
ASC_ROWS = [
    ["04/03/2025", "12:30", "Contact record",
     "Adult concern notification received from Northshire Police: Adult C thin and unkempt; no "
     "reply at the flat for two weeks.",
     "Screened: information and advice letter sent to Adult C; no visit.",
     "Contact officer, Front Door team", "Decided without speaking to Adult C."],
    ["20-03-2025", "3:15 PM", "Contact record",
     "Referral from the hospital discharge team for a Care Act assessment and reablement.",
     "Allocated to the hospital social work team.", "Social worker", ""],
    ["26 March 2025", "", "Assessment record",
     "Care Act assessment with Adult C before discharge. She wants to go home.",
     "Reablement of four calls a day arranged from 28/03/2025.", "Social worker", ""],
    ["2/4/25", "09:00", "Reablement notes",
     "Carers found that Adult C had fallen overnight; an ambulance had attended.",
     "Falls risk noted; occupational therapy review requested.", "Reablement support worker",
     ""],
    ["22nd April 2025", "", "Assessment record",  # planted: this row and the next are swapped
     "Review of reablement: Adult C declined care after reablement ends; said she can manage.",
     "Her decision accepted; capacity not formally assessed.", "Social worker",
     "Capacity assumed; the risks of self-neglect were not explored."],
    ["Wednesday 9 April 2025", "", "Reablement notes",
     "Occupational therapy review: grab rails and a perching stool fitted.",
     "Equipment provided.", "Occupational therapist (ASC)", ""],
    ["28/04/2025", "", "Case record", "Reablement ended.",
     "Case closed; signposted to the local befriending service.", "Team manager", ""],
    [],
    ["31/05/2025", "", "# Author's note",
     "ASC records were checked: no contact between 29/04/2025 and 03/06/2025.", "", "", ""],
    ["04/06/2025", "10:10", "Contact record",
     "Adult concern notification received from Police (call on 03/06/2025: Adult C distressed, "
     "believed someone was in her flat).",
     "Screened; telephone call to Adult C, who said she was fine. No further action.",
     "Contact officer, Front Door team",
     "Second police notification in three months;\nthe history was not checked."],
    ["01/07/2025", "", "Contact record",
     "Adult concern notification received from Police: Adult C found at the bus station on "
     "26/06/2025 after being reported missing.",
     "Passed to the locality team for a review.", "Contact officer, Front Door team", ""],
    ["21/07/2025", "", "Case record", "Locality team review: case waiting for allocation.",
     "Held on the waiting list.", "Team manager", "Not allocated for eight weeks."],
    ["18/09/2025", "13:00", "Contact record",
     "Safeguarding concern from Eastgate Housing: Adult C thin and unkempt; flat very cold.",
     "Allocated urgently; visit arranged for 19/09/2025.", "Contact officer, Front Door team",
     ""],
    ["19/09/2025", "11.00", "Visit record",
     "Home visit. Adult C declined care and would not discuss her money.",
     "Capacity about care and support assessed: Adult C has capacity. Weekly welfare calls "
     "agreed.", "Social worker",
     "Executive capacity (carrying out decisions, not only making them) was not considered."],
    ["25/09/2025", "", "Safeguarding record", "Safeguarding concern screened.",
     "Criteria for a section 42 enquiry not met; managed through care management.",
     "Team manager", ""],
    ["07/10/2025", "10:30", "Visit record", "Planned visit: no reply at the flat.",
     "Police asked to carry out a welfare check.", "Social worker", ""],
    ["30/10/2025", "", "Visit record",
     "Home visit with the tenancy sustainment officer; Adult C declined help with cleaning and "
     "meals.", "Weekly welfare calls continued.", "Social worker", ""],
    ["06/11/2025", "", "Contact record",
     "Safeguarding concern from the ambulance service: a fall; home very cold.",
     "Added to the open case; social worker told.", "Contact officer, Front Door team", ""],
    ["05/12/2025", "", "Safeguarding record",
     "Safeguarding concern from the hospital: self-neglect and pressure damage.",
     "Section 42 enquiry opened; hospital social worker to lead.", "Team manager", ""],
    ["16/12/2025", "14:00", "Case record", "Best interests meeting at the hospital.",
     "Agreed: discharge to a nursing home, funded by ASC.", "Social worker", ""],
    ["19/12/2025", "", "Case record", "Adult C moved from hospital to a nursing home.",
     "Placement review booked for 16/01/2026.", "Social worker", ""],
]


def write_asc(path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ASC_HEADER)
        writer.writerows(ASC_ROWS)


# ---- Eastgate Housing Association: the blank template, filled in ----------------------------

HOUSING_ROWS = [
    ["EH1", "20/01/2025", "", "", "", "Rent account", "Arrears letter 1 sent: arrears £412.",
     "Letter sent; no response.", "Income officer", "", "N"],
    ["EH2", "03/02/2025", "10:30", "", "", "Housing management notes",
     "Tenancy visit: no answer; card left.", "Revisit booked.", "Housing officer", "", "N"],
    ["EH3", "18/02/2025", "11:15", "", "", "Housing management notes",
     "Tenancy visit. Strong smell in the flat; rubbish bags in the hallway; kitchen unusable. "
     "Adult C said she was \"sorting it\". Arrears £560.",
     "Email sent to Riverside Medical Practice (GP) about the home conditions. Payment plan "
     "discussed.", "Housing officer", "Concern shared with the GP but not with ASC.", "Y"],
    ["EH4", "03/03/2025", "09:00", "", "", "Housing management notes",
     "Neighbour complaint about a smell from the flat; no reply at the door for two weeks.",
     "Police asked to carry out a welfare check.", "Housing officer", "", "N"],
    ["EH5", "24/04/2025", "", "", "", "Rent account",
     "Arrears £780. Notice of seeking possession considered.",
     "Decision deferred until contact with Adult C.", "Income officer", "", "N"],
    ["EH6", "22/05/2025", "15:40", "", "", "Housing management notes",
     "Home visit about the arrears. Adult C had bruising to her face. Flat cluttered; no food in "
     "the fridge.", "Payment plan of £5 a week agreed.", "Housing officer",
     "Bruising and lack of food not shared with any agency.", "Y"],
    ["EH7", "June 2025", "", "", "", "Repairs record",
     "Gas safety check: access not given on three attempts during June 2025.",
     "Letters sent; check outstanding.", "Repairs team", "", "N"],
    ["EH8", d(14, 7), "", "", "", "Repairs record",
     "Gas safety check completed; boiler condemned as unsafe; no heating or hot water.",
     "Temporary heaters supplied; new boiler ordered.", "Gas engineer (contractor)", "", "Y"],
    ["EH9", "05/08/2025", "", "", "", "Repairs record", "New boiler fitted.",
     "Heating and hot water restored.", "Gas engineer (contractor)", "", "N"],
    ["EH10", "18/09/2025", "12:20", "", "", "Housing management notes",
     "Neighbours said Adult C had not been seen for weeks. Entry gained with a key-holder: "
     "Adult C thin, unkempt; flat very cold with the heating switched off.",
     "Safeguarding concern raised with ASC by telephone and online form.", "Housing officer",
     "First referral to ASC by Housing.", "Y"],
    ["EH11", "02/10/2025", "", "", "", "Rent account", "Arrears £1,040.",
     "Referral to the tenancy sustainment team.", "Income officer", "", "N"],
    ["EH12", "16/10/2025", "10:00", "", "", "Tenancy sustainment notes",
     "Visit: Adult C agreed to claim housing benefit; declined help with cleaning.",
     "Benefit claim completed with Adult C.", "Tenancy sustainment officer", "", "N"],
    ["EH13", "30/11/2025", "09:45", "", "", "Housing management notes",
     "Visit: no answer; Adult C heard calling from inside. Entry gained with the key: Adult C "
     "on the living room floor, cold and confused.",
     "999 called; stayed until the ambulance crew arrived.", "Housing officer", "", "Y"],
    ["EH14", "08/12/2025", "", "", "", "Housing management notes",
     "Telephone call from the hospital social worker about Adult C's flat.",
     "Tenancy information shared.", "Housing officer", "", "N"],
    ["EH15", "22/12/2025", "", "", "", "Rent account",
     "Told that Adult C moved to a nursing home on 19/12/2025.",
     "Ending the tenancy to be discussed with Adult C and her social worker.", "Income officer",
     "", "N"],
]
HOUSING_GLOSSARY = [
    ("NOSP", "Notice of seeking possession"),
    ("Key-holder", "A neighbour who holds a spare key with the tenant's agreement"),
]


def write_housing(path: Path, review_path: Path) -> None:
    review = load_review(review_path)
    agency = review.find_agency("Housing")
    assert agency is not None
    write_template_workbook(path, agency=agency, review=review, schema=load_schema())
    wb = load_workbook(path)
    details = wb["Details"]
    details["B5"] = "Housing Services Manager"
    details["B6"] = "Author of the chronology; no involvement with Adult C"
    details["B7"] = "05/02/2026"
    ws = wb["Chronology"]
    for row, values in enumerate(HOUSING_ROWS, start=2):
        for col, value in enumerate(values, start=1):
            if value not in (None, ""):
                ws.cell(row=row, column=col, value=value)
    glossary = wb["Glossary"]
    for row, pair in enumerate(HOUSING_GLOSSARY, start=2):
        glossary.cell(row=row, column=1, value=pair[0])
        glossary.cell(row=row, column=2, value=pair[1])
    wb.save(path)


# ---- Northshire Mental Health Trust: a nil return --------------------------------------------

def write_mental_health(path: Path) -> None:
    wb = new_workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws["A1"] = "Northshire Mental Health Trust – chronology for SAR-2026-01 (Adult C)"
    ws["A1"].font = Font(bold=True, size=14)
    for row, (label, value) in enumerate([
        ("Agency:", "Northshire Mental Health Trust"),
        ("Author:", "Named nurse for safeguarding adults"),
        ("Note:", "NIL RETURN. No record of contact with Adult C, and no record of a referral "
                  "received, between 01/01/2025 and 31/12/2025."),
    ], start=2):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        ws.cell(row=row, column=2, value=value)
    header = ["Date", "Time", "Source of Information", "Event / Contact Details",
              "Action Taken / Outcome", "Practitioner / Role"]
    put_row(ws, 6, header)
    style_cells(ws, 6, bold=True)
    widths(ws, [16, 8, 24, 50, 40, 24])
    wb.save(path)


# ---- putting it together ---------------------------------------------------------------------

def convert(source: Path, fmt: str, folder: Path, profile: Path) -> Path:
    """Convert with LibreOffice in its own profile (so it never clashes with a running one)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) is needed to write the .ods and .xls returns.")
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", fmt, "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    converted = folder / f"{source.stem}.{fmt}"
    if not converted.is_file():
        sys.exit(f"LibreOffice did not write {converted}.")
    return converted


def main() -> None:
    review_path = HERE / "review.toml"
    review_path.write_text(REVIEW_TOML, "utf-8")
    RETURNS.mkdir(exist_ok=True)
    write_police(RETURNS / "northshire-police-chronology.xlsx")
    write_ambulance(RETURNS / "nwas-ambulance-chronology.csv")
    write_asc(RETURNS / "asc-chronology.csv")
    housing = RETURNS / "Housing-chronology.xlsx"
    housing.unlink(missing_ok=True)
    write_housing(housing, review_path)
    write_mental_health(RETURNS / "mental-health-nil-return.xlsx")
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        gp = work / "riverside-gp-chronology.xlsx"
        write_gp_source(gp)
        hospital = work / "hospital-trust-chronology.xlsx"
        write_hospital_source(hospital)
        for source, fmt in ((gp, "ods"), (hospital, "xls")):
            converted = convert(source, fmt, work, work / "profile")
            shutil.copyfile(converted, RETURNS / converted.name)
    for path in sorted(RETURNS.iterdir()):
        print(f"Wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
