"""Write the second fictional example review: examples/messy-review/ (review.toml and returns/).

Every person, agency and event here is invented. The four returns are laid out the way real
ones are, to show how sarkit reads table shapes (issue 10):

- police-chronology.docx: a Word table with year dividers ("2024", "2025") merged across the
  table, a heading row, and a sign-off under the table;
- housing-chronology.xlsx: a title row, month dividers merged across the table;
- gp-chronology.xlsx: the Board's numbered template (Ref 1-30, Key Event defaulting to "N"),
  six rows used, one of them half-filled, and a signature block;
- asc-chronology.csv: year dividers typed in the first cell, lines that wrap into the next row,
  and a totals line;
- mental-health-chronology.xlsx: a header over two rows ("Contact" merged over "Date | Time"),
  headings of its own ("Details of contact/event", "Outcome/Action", "Name and designation of
  staff"), an inpatient stay written as a date range in one cell, and an uncertain time.

Run it again at any time (it replaces the files it writes):

    python examples/messy-review/make_messy_review.py
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import xlsxwriter
from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
RETURNS = HERE / "returns"
HEADER = ["Date", "Time", "Source of Information", "Event / Contact Details",
          "Action Taken / Outcome", "Practitioner / Role"]

REVIEW_TOML = """\
# A second fictional Safeguarding Adults Review: returns laid out as agencies really lay them
# out (dividers, template rows, sign-offs, wrapped lines). Every name and event is invented.

[review]
reference = "SAR-2025-07"
subject = "Adult M"
period_start = 2024-08-01
period_end = 2025-06-30
marking = "OFFICIAL-SENSITIVE"

[analysis]
gap_days = 28
overlap_window_days = 0

[[agencies]]
name = "Northshire Police"
short = "Police"
aliases = ["police"]
files = ["*police*"]

[[agencies]]
name = "Eastgate Housing Association"
short = "Housing"
aliases = ["housing", "housing officer"]
files = ["*housing*"]

[[agencies]]
name = "Millbrook Surgery"
short = "GP"
aliases = ["GP", "surgery"]
files = ["*gp*"]

[[agencies]]
name = "Northshire Adult Social Care"
short = "ASC"
aliases = ["ASC", "social care"]
files = ["*asc*"]

[[agencies]]
name = "Riverbank Mental Health Trust"
short = "Mental Health"
aliases = ["mental health", "memory service", "CMHT"]
files = ["*mental-health*"]
"""

# ---- Police: a Word table; year dividers and a heading merged across; a sign-off under it --

POLICE = [
    "2024",
    ["14/08/2024", "22:15", "Incident log", "Neighbour reported shouting from Adult M's flat.",
     "Officers attended; Adult M alone and calm; advice given.", "PC, Response Team"],
    ["29/09/2024", "10:40", "Incident log",
     "Adult M reported that her bank card had been used by someone else.",
     "Crime recorded (fraud); bank informed.", "Investigating officer"],
    "Contacts after the move to Eastgate Court",
    ["18/12/2024", "19:05", "Incident log", "Concern for welfare call from the new landlord.",
     "Officers attended; Adult M well; referred to ASC.", "PC, Response Team"],
    "2025",
    ["06/01/2025", "08:30", "Incident log", "Adult M found lost in the town centre.",
     "Taken home; adult concern notification submitted.", "PC, Response Team"],
    ["20/03/2025", "15:20", "Intelligence record",
     "Neighbourhood team heard that a man was asking Adult M for money.",
     "Intelligence submitted; no further action.", "PCSO, Neighbourhood Team"],
    None,
    ["End of chronology"],
    ["Completed by: DS A. Example, Public Protection Unit"],
    ["Date completed: 14/07/2025"],
]


def write_police(path: Path) -> None:
    document = Document()
    document.core_properties.author = "sarkit example (fictional)"
    document.add_paragraph("Northshire Police: single-agency chronology for SAR-2025-07")
    table = document.add_table(rows=len(POLICE) + 1, cols=len(HEADER))
    table.style = "Table Grid"
    for c, heading in enumerate(HEADER):
        table.cell(0, c).text = heading
    for r, cells in enumerate(POLICE, start=1):
        if isinstance(cells, str):  # a divider, merged across the whole table
            table.cell(r, 0).merge(table.cell(r, len(HEADER) - 1)).text = cells
        elif cells:
            for c, value in enumerate(cells):
                table.cell(r, c).text = value
    document.save(path)


# ---- Housing: a title row, month dividers merged across -------------------------------------

HOUSING = [
    "August 2024",
    [dt.datetime(2024, 8, 5), "Tenancy file", "Sign-up visit for the flat at Eastgate Court.",
     "Tenancy signed; support needs form completed.", "Housing officer"],
    [dt.datetime(2024, 8, 22), "Tenancy file", "Adult M asked for help with her benefit claim.",
     "Referred to the money advice service.", "Housing officer"],
    "November 2024",
    [dt.datetime(2024, 11, 11), "Repairs log", "No heating reported by Adult M.",
     "Boiler repaired the same day.", "Repairs team"],
    [dt.datetime(2024, 12, 2), "Rent account", "Rent arrears of two months.",
     "Letter sent; home visit booked.", "Income officer"],
    "February 2025",
    [dt.datetime(2025, 2, 17), "Tenancy file", "Home visit: flat cluttered, little food.",
     "Referred to ASC with Adult M's consent.", "Housing officer"],
    [dt.datetime(2025, 5, 12), "Tenancy file", "Adult M did not answer the door for a visit.",
     "Card left; second visit booked.", "Housing officer"],
]


def write_housing(path: Path) -> None:
    book = Workbook()
    book.properties.creator = "sarkit example (fictional)"
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["Eastgate Housing Association: chronology for SAR-2025-07 (Adult M)"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    header = ["Date", "Source", "Details", "Outcome", "Staff"]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for cells in HOUSING:
        if isinstance(cells, str):
            sheet.append([cells])
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(header))
            sheet.cell(row, 1).font = Font(bold=True)
            sheet.cell(row, 1).alignment = Alignment(horizontal="center")
        else:
            sheet.append(cells)
            sheet.cell(sheet.max_row, 1).number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDE", (12, 16, 50, 40, 18), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)


# ---- GP: the Board's numbered template, partly used; a signature block ---------------------

GP_HEADER = ["Ref", *HEADER, "Key Event (Y/N)"]
GP = {
    1: ["20/08/2024", "09:10", "GP record", "Annual review: weight 52 kg; lives alone.",
        "Bloods taken.", "Practice nurse", "N"],
    2: ["15/09/2024", "11:00", "GP record", "Did not attend the blood test results appointment.",
        "Letter sent.", "Receptionist", "N"],
    3: ["25/11/2024", "14:20", "GP record", "Seen with a fall at home; bruised hip.",
        "Falls clinic referral.", "GP", "Y"],
    4: ["09/01/2025", "10:30", "GP record", "Letter from ASC: adult concern from the police.",
        "Added to the record.", "GP", "N"],
    5: [None, None, None, "Telephone call from Adult M's daughter.", None, None, "N"],
    6: ["03/02/2025", "16:00", "GP record", "Home visit: weight 46 kg; confused about the date.",
        "Memory clinic referral.", "GP", "Y"],
    7: ["10/06/2025", "09:45", "GP record", "Did not attend the memory clinic.",
        "Clinic asked to offer a home visit.", "GP", "N"],
}


def write_gp(path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"author": "sarkit example (fictional)"})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Chronology")
    sheet.write_row(0, 0, GP_HEADER, bold)
    for number in range(1, 31):
        cells = GP.get(number, [None] * 6 + ["N"])
        sheet.write_number(number, 0, number)
        for c, value in enumerate(cells, start=1):
            if value is not None:
                sheet.write_string(number, c, value)
    sheet.data_validation(1, 7, 30, 7, {"validate": "list", "source": ["Y", "N"]})
    sheet.write_row(32, 0, ["Signed:", "Dr B. Example, GP partner"])
    sheet.write_row(33, 0, ["Date:", "15/07/2025"])
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 6, 18)
    sheet.set_column(4, 4, 50)
    book.close()


# ---- ASC: a CSV with year dividers, wrapped lines and a totals line -------------------------

ASC = [
    ["2024"],
    ["28/08/2024", "11:15", "Case record", "Contact from Adult M asking for help at home.",
     "Advice and information given.", "Contact officer"],
    ["25/09/2024", "14:00", "Case record", "Carers assessment requested by Adult M's daughter,",
     "Assessment booked.", "Social worker"],
    ["", "", "", "who lives 80 miles away and visits monthly.", "", ""],
    ["12/11/2024", "10:00", "Case record", "Home visit for the care needs assessment.",
     "Eligible needs found; care package offered,", "Social worker"],
    ["", "", "", "", "declined by Adult M.", ""],
    ["2025"],
    ["13/01/2025", "09:30", "Case record", "Adult concern notification from the police.",
     "Screened; no further action.", "Duty social worker"],
    ["28/02/2025", "15:45", "Case record", "Referral from Eastgate Housing about self-neglect.",
     "Allocated to a social worker.", "Duty social worker"],
    ["19/03/2025", "13:00", "Case record", "Visit: Adult M declined support;",
     "Capacity assumed; case closed.", "Social worker"],
    ["", "", "", "capacity not assessed.", "", ""],
    ["20/05/2025", "10:15", "Case record", "Second referral from Eastgate Housing.",
     "Reopened; visit booked.", "Duty social worker"],
    [],
    ["Total contacts: 7"],
]


def write_asc(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for cells in ASC:
            writer.writerow(cells + [""] * (len(HEADER) - len(cells)))


# ---- Mental Health: a two-row header, a date range in one cell, an uncertain time -------------

MENTAL_HEALTH = [
    ["15/11/2024", "?14:30", "Memory service notes", "Assessment at home after the GP referral.",
     "Diagnosis of mixed dementia; follow-up booked.", "Consultant psychiatrist"],
    ["12/02/2025 - 26/02/2025", "", "Ward record",
     "Admitted informally after a week of not eating; discharged home with a care plan.",
     "Discharge summary sent to the GP and ASC.", "Ward manager"],
    ["04/03/2025", "11:00", "CMHT notes", "Follow-up visit after discharge.",
     "Adult M declined further visits; GP informed.", "Community psychiatric nurse"],
]


def write_mental_health(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["Contact", None, "Source of", "Details of contact/event", "Outcome/Action",
                  "Name and designation of staff"])
    sheet.append(["Date", "Time", "Information", None, None, None])
    sheet.merge_cells("A1:B1")
    for cells in MENTAL_HEALTH:
        sheet.append(cells)
    for cell in (*sheet[1], *sheet[2]):
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (24, 8, 22, 50, 44, 28), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)


def main() -> None:
    (HERE / "review.toml").write_text(REVIEW_TOML, "utf-8")
    RETURNS.mkdir(exist_ok=True)
    write_police(RETURNS / "police-chronology.docx")
    write_housing(RETURNS / "housing-chronology.xlsx")
    write_gp(RETURNS / "gp-chronology.xlsx")
    write_asc(RETURNS / "asc-chronology.csv")
    write_mental_health(RETURNS / "mental-health-chronology.xlsx")
    for path in sorted(RETURNS.iterdir()):
        print(f"Wrote {path.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
