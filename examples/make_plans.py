"""Write two filled-in action plans for the fictional review, as untidy as real ones.

    python examples/make_plans.py

Every name here is invented. The plans are what `sarkit actions plans/` reports on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent / "plans"


def police_plan(path: Path) -> None:
    """A title row, renamed headers (Owner, Due, RAG Status, Evidence), dates as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action Plan"
    sheet.append(["Northshire Police - SAR-2026-01 action plan"])
    sheet.append([])
    sheet.append(["Ref", "Recommendation", "Action to be Taken", "Owner", "Due", "Status",
                  "RAG Status", "Update on Progress", "Evidence", "Completed"])
    sheet.append(["P1", "Welfare checks record the adult's living conditions",
                  "Add a living-conditions prompt to the welfare check form", "Insp. Example",
                  "31/01/2026", "complete", "green", "Form changed 15/01/2026",
                  "Form v3 on intranet", "15/01/2026"])
    sheet.append(["P2", "Vulnerable adult notifications are shared with the GP",
                  "Agree a notification route with the GP practices", "DI Sample",
                  "28/02/2026", "In progress", "Amber", "Meeting held with practices", "", ""])
    sheet.append(["P3", "Training on self-neglect for response officers",
                  "Deliver a 30-minute briefing to all response teams", "",
                  "March 2026", "not started", "Red", "", "", ""])
    sheet.append(["P4", "Learning shared with the call handlers",
                  "Brief call handlers on repeat callers who live alone", "Ch. Insp. Model",
                  "", "Complete", "Green", "Done at team meetings", "", "20/12/2025"])
    book.save(path)


def gp_plan(path: Path) -> None:
    """The template's own headings, a real date cell and an agency column."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    sheet.append(["Ref", "Recommendation", "Agency", "Action", "Lead Officer", "Target Date",
                  "Status", "RAG", "Progress Update", "Supporting Evidence", "Date Completed"])
    sheet.append(["G1", "Referrals to memory services are tracked until seen",
                  "Riverside Medical Practice", "Add referral tracking to the recall system",
                  "Practice manager", dt.datetime(2026, 1, 15), "Not started", "Red", "", "", ""])
    sheet.append(["G2", "Missed appointments of housebound patients are followed up",
                  "Riverside Medical Practice", "Nurse to phone after any missed visit",
                  "Lead nurse", dt.datetime(2026, 12, 20), "In progress", "Amber",
                  "Protocol drafted", "", ""])
    book.save(path)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    police_plan(HERE / "police-action-plan.xlsx")
    gp_plan(HERE / "gp-action-plan.xlsx")
    print(f"Wrote the plans to {HERE}")


if __name__ == "__main__":
    main()
